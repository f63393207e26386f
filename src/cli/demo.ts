import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ensureModels } from '../models/index.js';
import type { RunningServer } from '../server/index.js';

/** Written once the demo tenants were registered, so that models a user unregisters stay gone. */
const MARKER = '.demo-seeded';

/** The demo tenants `npm start` serves: an OCR pipeline's two stages and a voice-activity detector. */
const DEMO_TENANTS = [
  {
    id: 'ppocr-det',
    name: 'ppocr-det',
    tenant: 'ocr',
    qos: { latencySloMs: 200, weight: 1, requestRatePerS: 5 },
    inputShapes: new Map([['x', [1, 3, 640, 640]]]),
  },
  {
    id: 'ppocr-rec',
    name: 'ppocr-rec',
    tenant: 'ocr',
    qos: { latencySloMs: 50, weight: 1, requestRatePerS: 20 },
    inputShapes: new Map([['x', [1, 3, 48, 320]]]),
  },
  {
    id: 'silero-vad-v5',
    name: 'silero-vad',
    tenant: 'voice',
    // One 512-sample window at 16 kHz every 32 ms.
    qos: { latencySloMs: 10, weight: 2, requestRatePerS: 31.25 },
    inputShapes: new Map([
      ['input', [1, 512]],
      ['state', [2, 1, 128]],
    ]),
  },
] as const;

/**
 * Registers the demo tenants into an empty repository on the first start (fetching the models
 * from the npm registry into the model cache if needed). Never again after that: the marker file
 * remembers, so a user's unregistrations are respected.
 */
export async function seedDemo(server: RunningServer, logger: Logger): Promise<void> {
  const marker = join(server.options.repository, MARKER);
  if (
    await stat(marker).then(
      () => true,
      () => false,
    )
  )
    return;
  if (server.catalog.records().length > 0) return;
  logger.info('first start: fetching and registering the demo models');
  const paths = await ensureModels(
    DEMO_TENANTS.map((demo) => demo.id),
    { log: (line) => logger.info(line) },
  );
  for (const demo of DEMO_TENANTS) {
    const path = paths.get(demo.id);
    if (!path) continue;
    await server.catalog.register({
      name: demo.name,
      version: 1,
      tenant: demo.tenant,
      qos: demo.qos,
      inputShapes: demo.inputShapes,
      source: { bytes: await readFile(path) },
    });
  }
  await writeFile(marker, `demo tenants registered ${new Date().toISOString()}\n`);
}
