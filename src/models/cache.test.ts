import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedFileName, modelCacheDir } from './cache.js';
import { MODEL_CATALOG } from './catalog.js';

describe('modelCacheDir', () => {
  const homeDir = '/home/tester';

  it('prefers HETSCHED_MODEL_CACHE', () => {
    const env = { HETSCHED_MODEL_CACHE: '/data/models', XDG_CACHE_HOME: '/xdg' };
    expect(modelCacheDir({ env, homeDir })).toBe('/data/models');
  });

  it('resolves a relative HETSCHED_MODEL_CACHE against the working directory', () => {
    expect(modelCacheDir({ env: { HETSCHED_MODEL_CACHE: 'models' }, homeDir })).toBe(resolve('models'));
  });

  it('falls back to XDG_CACHE_HOME, then to ~/.cache', () => {
    expect(modelCacheDir({ env: { XDG_CACHE_HOME: '/xdg' }, homeDir })).toBe(
      join('/xdg', 'hetsched', 'models'),
    );
    expect(modelCacheDir({ env: {}, homeDir })).toBe(join(homeDir, '.cache', 'hetsched', 'models'));
  });

  it('treats empty variables as unset and ignores a relative XDG_CACHE_HOME, as the XDG spec asks', () => {
    const fallback = join(homeDir, '.cache', 'hetsched', 'models');
    expect(modelCacheDir({ env: { HETSCHED_MODEL_CACHE: '', XDG_CACHE_HOME: '' }, homeDir })).toBe(fallback);
    expect(modelCacheDir({ env: { XDG_CACHE_HOME: 'relative/cache' }, homeDir })).toBe(fallback);
  });

  it('reads this process by default', () => {
    expect(modelCacheDir()).toMatch(/^\//);
  });
});

describe('cachedFileName', () => {
  it('is the id and the first 12 characters of the sha256', () => {
    expect(cachedFileName({ id: 'ppocr-det', sha256: '30a86f5731181461d08021402766601e4302a9b9' })).toBe(
      'ppocr-det-30a86f573118.onnx',
    );
  });

  it('differs for every catalog model', () => {
    const names = MODEL_CATALOG.map(cachedFileName);
    expect(new Set(names).size).toBe(names.length);
  });
});
