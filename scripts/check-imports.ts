/**
 * Enforces the layout rule of CONVENTIONS.md: code imports another pipeline stage (a folder
 * under src/) only through that stage's index.ts, so each index states what a stage exports.
 * Generated types (src/gen) are exempt. Exits 1 listing every violation.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const scanned = ['src', 'workers', 'test', 'bench', 'scripts'];
const importPattern = /(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

const violations: string[] = [];
for (const file of scanned.flatMap((dir) => walk(join(root, dir)))) {
  const fromStage = stageOf(file);
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(importPattern)) {
    const target = resolve(dirname(file), match[1] ?? '');
    const toStage = stageOf(target);
    if (toStage === undefined || toStage === fromStage || toStage === 'gen') continue;
    if (relative(join(root, 'src', toStage), target) !== 'index.js') {
      violations.push(
        `${relative(root, file)}: imports ${match[1]} — import from src/${toStage}/index.js instead`,
      );
    }
  }
}
if (violations.length > 0) {
  process.stderr.write(
    `${violations.join('\n')}\n${violations.length} import(s) bypass a stage's index.ts\n`,
  );
  process.exit(1);
}
process.stdout.write('imports: every cross-stage import goes through an index.ts\n');

/** The src/ stage a path belongs to, or undefined outside src/. */
function stageOf(path: string): string | undefined {
  const parts = relative(root, path).split(sep);
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
}

function walk(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'gen' || name === 'node_modules' ? [] : walk(path);
    return /\.(ts|mts)$/.test(name) ? [path] : [];
  });
}
