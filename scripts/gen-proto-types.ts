/**
 * Regenerates src/gen/ (TypeScript types for the .proto files, from @grpc/proto-loader's
 * generator) and adds the `.js` suffix its relative imports lack, which NodeNext ESM requires.
 * src/gen/ is generated: never edit it by hand; CI checks it is current.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROTO_FILES, PROTO_LOADER_OPTIONS } from '../src/server/index.js';

const outDir = 'src/gen';
rmSync(outDir, { recursive: true, force: true });
execFileSync(
  'npx',
  [
    'proto-loader-gen-types',
    `--longs=${PROTO_LOADER_OPTIONS.longs.name}`,
    `--enums=${PROTO_LOADER_OPTIONS.enums.name}`,
    '--defaults',
    '--oneofs',
    '--includeComments',
    '--grpcLib=@grpc/grpc-js',
    '-I',
    'proto',
    '-O',
    outDir,
    ...PROTO_FILES,
  ],
  { stdio: 'inherit' },
);

for (const file of walk(outDir)) {
  const source = readFileSync(file, 'utf8');
  const fixed = source.replace(/(from '\.{1,2}\/[^']+?)(?<!\.js)'/g, "$1.js'");
  if (fixed !== source) writeFileSync(file, fixed);
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (path.endsWith('.ts')) yield path;
  }
}
