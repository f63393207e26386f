import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { tarEntries } from './tar.js';

/** One member for the test writer; `prefix` only means something with the POSIX magic. */
interface Member {
  name: string;
  data?: string | Uint8Array;
  typeflag?: string;
  prefix?: string;
  magic?: 'posix' | 'gnu';
  /** Written into the size field instead of the data length (to test pax `size`). */
  sizeField?: number;
  /** Writes the size field in GNU base-256 form. */
  base256Size?: boolean;
}

const encoder = new TextEncoder();

function bytesOf(data: string | Uint8Array | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return typeof data === 'string' ? encoder.encode(data) : data;
}

function put(header: Uint8Array, offset: number, text: string): void {
  header.set(encoder.encode(text), offset);
}

/** A minimal tar writer: enough of ustar/GNU to exercise every branch of the reader. */
function header(member: Member): Uint8Array {
  const data = bytesOf(member.data);
  const block = new Uint8Array(512);
  put(block, 0, member.name);
  put(block, 100, '0000644\0');
  put(block, 108, '0000000\0');
  put(block, 116, '0000000\0');
  const size = member.sizeField ?? data.length;
  if (member.base256Size) {
    block[124] = 0x80;
    for (let i = 135, rest = size; i > 124; i--, rest = Math.floor(rest / 256)) block[i] = rest % 256;
  } else {
    put(block, 124, `${size.toString(8).padStart(11, '0')}\0`);
  }
  put(block, 136, '14000000000\0');
  put(block, 156, member.typeflag ?? '0');
  if (member.magic === 'gnu') {
    put(block, 257, 'ustar  \0');
    // GNU keeps atime/ctime where POSIX has the prefix: a reader joining it would produce garbage.
    put(block, 345, '14000000000\0');
  } else {
    put(block, 257, 'ustar\0' + '00');
    if (member.prefix !== undefined) put(block, 345, member.prefix);
  }
  put(block, 148, '        ');
  const sum = block.reduce((total, byte) => total + byte, 0);
  put(block, 148, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

function tar(members: readonly Member[], endBlocks = 2): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const member of members) {
    const data = bytesOf(member.data);
    parts.push(header(member), data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(512 * endBlocks));
  return Buffer.concat(parts);
}

function paxData(records: Record<string, string>): string {
  let text = '';
  for (const [key, value] of Object.entries(records)) {
    const body = ` ${key}=${value}\n`;
    const bodyBytes = Buffer.byteLength(body);
    // The length prefix counts itself (in bytes), so find the fixed point.
    let length = bodyBytes + 1;
    while (String(length).length + bodyBytes !== length) length = String(length).length + bodyBytes;
    text += `${length}${body}`;
  }
  return text;
}

function listing(archive: Uint8Array): Array<[string, string, string]> {
  return [...tarEntries(archive)].map((entry) => [
    entry.path,
    entry.kind,
    Buffer.from(entry.data).toString(),
  ]);
}

function expectDataLoss(run: () => unknown, pattern: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HetschedError);
    expect((error as HetschedError).code).toBe(Code.DataLoss);
    expect((error as HetschedError).message).toMatch(pattern);
    return;
  }
  throw new Error('expected a DATA_LOSS error');
}

describe('tarEntries', () => {
  it('lists files and folders with their bytes, across block padding', () => {
    const big = 'x'.repeat(1300);
    const archive = tar([
      { name: 'package/', typeflag: '5' },
      { name: 'package/a.txt', data: 'hello' },
      { name: 'package/empty', data: '' },
      { name: 'package/big.bin', data: big },
      { name: 'package/link', typeflag: '2' },
      { name: 'package/last', data: 'end', typeflag: '\0' },
    ]);
    expect(listing(archive)).toEqual([
      ['package/', 'directory', ''],
      ['package/a.txt', 'file', 'hello'],
      ['package/empty', 'file', ''],
      ['package/big.bin', 'file', big],
      ['package/link', 'symlink', ''],
      ['package/last', 'file', 'end'],
    ]);
  });

  it('returns views into the archive rather than copies', () => {
    const archive = tar([{ name: 'a', data: 'abc' }]);
    const [entry] = [...tarEntries(archive)];
    expect(entry?.data.buffer).toBe(archive.buffer);
  });

  it('joins the ustar prefix, but not the same bytes of a GNU header', () => {
    const archive = tar([
      { name: 'model.onnx', prefix: 'package/deep/folder', data: 'm' },
      { name: 'gnu.onnx', magic: 'gnu', data: 'g' },
    ]);
    expect(listing(archive).map(([path]) => path)).toEqual(['package/deep/folder/model.onnx', 'gnu.onnx']);
  });

  it('applies a GNU long name to the next entry only', () => {
    const long = `package/${'d'.repeat(150)}/model.onnx`;
    const archive = tar([
      { name: '././@LongLink', typeflag: 'L', magic: 'gnu', data: `${long}\0` },
      { name: long.slice(0, 99), magic: 'gnu', data: 'weights' },
      { name: 'package/short', magic: 'gnu', data: 's' },
    ]);
    expect(listing(archive)).toEqual([
      [long, 'file', 'weights'],
      ['package/short', 'file', 's'],
    ]);
  });

  it('applies pax path and size records, and skips global headers', () => {
    const long = `package/${'é'.repeat(80)}/model.onnx`;
    const archive = tar([
      { name: 'pax_global_header', typeflag: 'g', data: paxData({ comment: 'ignored' }) },
      { name: 'PaxHeader/x', typeflag: 'x', data: paxData({ path: long, size: '5' }) },
      // A writer may leave the size field at 0 when pax carries it (members over 8 GiB).
      { name: 'truncated-name', data: 'bytes', sizeField: 0 },
      { name: 'package/after', data: 'a' },
    ]);
    expect(listing(archive)).toEqual([
      [long, 'file', 'bytes'],
      ['package/after', 'file', 'a'],
    ]);
  });

  it('reads GNU base-256 sizes', () => {
    const archive = tar([{ name: 'b256', data: 'twelve bytes', base256Size: true }]);
    expect(listing(archive)).toEqual([['b256', 'file', 'twelve bytes']]);
  });

  it('stops at the end marker and ignores what follows it', () => {
    const archive = Buffer.concat([tar([{ name: 'a', data: '1' }]), Buffer.from('trailing junk')]);
    expect(listing(archive)).toEqual([['a', 'file', '1']]);
  });

  it('accepts an archive that ends without the end marker', () => {
    expect(listing(tar([{ name: 'a', data: '1' }], 0))).toEqual([['a', 'file', '1']]);
    expect(listing(new Uint8Array(0))).toEqual([]);
  });

  it('rejects a header whose checksum does not match, naming the offset', () => {
    const archive = tar([
      { name: 'a', data: '1' },
      { name: 'b', data: '2' },
    ]);
    archive[1024 + 10] = 0x41; // second header, inside its name
    expectDataLoss(() => listing(archive), /at byte 1024: header checksum/);
  });

  it('rejects truncated archives', () => {
    const archive = tar([{ name: 'a', data: 'x'.repeat(700) }], 0);
    expectDataLoss(() => listing(archive.subarray(0, 900)), /ends inside a 700-byte member/);
    expectDataLoss(() => listing(archive.subarray(0, 300)), /ends inside a header/);
    const dangling = tar([{ name: 'L', typeflag: 'L', data: 'long/name\0' }], 0);
    expectDataLoss(() => listing(dangling), /ends after an extended header/);
  });

  it('rejects malformed pax records', () => {
    const archive = tar([
      { name: 'x', typeflag: 'x', data: '99 path=a\n' },
      { name: 'a', data: '1' },
    ]);
    expectDataLoss(() => listing(archive), /malformed pax record/);
  });

  const hasTar = (() => {
    try {
      execFileSync('tar', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  // The hand-made archives above test the reader against my reading of the format; a real writer
  // tests it against everyone else's.
  it.skipIf(!hasTar).each(['ustar', 'gnu', 'pax'])(
    'reads what the system tar writes in %s format',
    (format) => {
      const root = mkdtempSync(join(tmpdir(), 'hetsched-tar-test-'));
      try {
        // 150 characters: too long for the name field, short enough for ustar's prefix split.
        const long = `package/${'long-folder-name/'.repeat(8)}model-with-a-long-name.onnx`;
        const files: Record<string, string> = { 'package/a.txt': 'alpha', [long]: 'weights'.repeat(100) };
        for (const [path, text] of Object.entries(files)) {
          mkdirSync(dirname(join(root, path)), { recursive: true });
          writeFileSync(join(root, path), text);
        }
        const archivePath = join(root, 'out.tar');
        execFileSync('tar', [`--format=${format}`, '-cf', archivePath, '-C', root, ...Object.keys(files)]);
        const found = new Map(
          [...tarEntries(readFileSync(archivePath))]
            .filter((entry) => entry.kind === 'file')
            .map((entry) => [entry.path, Buffer.from(entry.data).toString()]),
        );
        expect(Object.fromEntries(found)).toEqual(files);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
