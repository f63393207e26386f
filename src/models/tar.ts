import { Code, HetschedError } from '../common/index.js';

/** What a tar entry is; links and devices are reported but never followed. */
export type TarEntryKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

/** One member of a tar archive. */
export interface TarEntry {
  /** Full path as stored: ustar `prefix` joined, GNU long name or pax `path` applied. */
  readonly path: string;
  readonly kind: TarEntryKind;
  /** The member's bytes: a view into the archive, not a copy. */
  readonly data: Uint8Array;
}

const BLOCK_BYTES = 512;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Header fields: [offset, length] in bytes (POSIX ustar layout). */
const NAME: Field = [0, 100];
const SIZE: Field = [124, 12];
const CHECKSUM: Field = [148, 8];
const TYPEFLAG_OFFSET = 156;
const MAGIC: Field = [257, 6];
const PREFIX: Field = [345, 155];
type Field = readonly [offset: number, length: number];

/**
 * Lists the members of an uncompressed tar archive (ustar, GNU or pax, as npm's tarballs are),
 * enough to pull files out of a package without a dependency: 512-byte blocks, ustar `prefix`, GNU
 * long names ('L'), pax `path` and `size` records. Every header's checksum is verified; a damaged or
 * truncated archive throws DATA_LOSS naming the byte offset.
 */
export function* tarEntries(archive: Uint8Array): Generator<TarEntry> {
  let offset = 0;
  // Set by a GNU 'L' or pax 'x' pseudo-entry; applies to the next real entry only.
  let longName: string | undefined;
  let pax = new Map<string, string>();
  while (offset < archive.length) {
    if (offset + BLOCK_BYTES > archive.length) throw damaged(offset, 'the archive ends inside a header');
    const header = archive.subarray(offset, offset + BLOCK_BYTES);
    // The end-of-archive marker is two zero blocks; one is enough to stop, what follows is padding.
    if (header.every((byte) => byte === 0)) break;
    verifyChecksum(header, offset);
    const paxSize = pax.get('size');
    const size = paxSize === undefined ? headerSize(header, offset) : decimal(paxSize, offset);
    const dataStart = offset + BLOCK_BYTES;
    const dataEnd = dataStart + size;
    if (dataEnd > archive.length) throw damaged(offset, `the archive ends inside a ${size}-byte member`);
    const data = archive.subarray(dataStart, dataEnd);
    const typeflag = String.fromCharCode(header[TYPEFLAG_OFFSET] ?? 0);
    offset = dataStart + Math.ceil(size / BLOCK_BYTES) * BLOCK_BYTES;

    if (typeflag === 'L') {
      longName = cString(data);
      continue;
    }
    if (typeflag === 'x') {
      pax = paxRecords(data, dataStart);
      continue;
    }
    // GNU long link names and pax global headers say nothing about which file is which.
    if (typeflag === 'K' || typeflag === 'g') continue;

    const path = pax.get('path') ?? longName ?? headerPath(header);
    longName = undefined;
    pax = new Map();
    yield { path, kind: entryKind(typeflag), data };
  }
  if (longName !== undefined || pax.size > 0) {
    throw damaged(offset, 'the archive ends after an extended header');
  }
}

function entryKind(typeflag: string): TarEntryKind {
  switch (typeflag) {
    case '0':
    case '\0':
    case '7': // contiguous file: a regular file to every reader but one long-gone system
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
      return 'directory';
    default:
      return 'other';
  }
}

/**
 * `prefix/name` for POSIX ustar headers (magic "ustar\0"). GNU headers (magic "ustar  ") reuse the
 * prefix bytes for access and change times, so there the name field alone is the path.
 */
function headerPath(header: Uint8Array): string {
  const name = cString(field(header, NAME));
  if (cString(field(header, MAGIC)) !== 'ustar') return name;
  const prefix = cString(field(header, PREFIX));
  return prefix ? `${prefix}/${name}` : name;
}

/** The checksum is the byte sum of the header with its own field read as spaces. */
function verifyChecksum(header: Uint8Array, offset: number): void {
  const stored = octal(field(header, CHECKSUM), offset, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK_BYTES; i++) {
    const inField = i >= CHECKSUM[0] && i < CHECKSUM[0] + CHECKSUM[1];
    const byte = inField ? 0x20 : (header[i] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  // Some historic writers summed signed chars; accepting both costs nothing.
  if (stored !== unsigned && stored !== signed) {
    throw damaged(offset, `header checksum is ${stored} but the header sums to ${unsigned}`);
  }
}

/** Size field: octal text, or GNU base-256 (high bit of the first byte set) for members of 8 GiB and more. */
function headerSize(header: Uint8Array, offset: number): number {
  const bytes = field(header, SIZE);
  const first = bytes[0] ?? 0;
  if ((first & 0x80) === 0) return octal(bytes, offset, 'size');
  if ((first & 0x40) !== 0) throw damaged(offset, 'negative base-256 size');
  let size = first & 0x3f;
  for (const byte of bytes.subarray(1)) size = size * 256 + byte;
  if (!Number.isSafeInteger(size)) throw damaged(offset, 'member size beyond 2^53 bytes');
  return size;
}

/** pax records: `<length> <key>=<value>\n`, where length counts the whole record in bytes. */
function paxRecords(data: Uint8Array, offset: number): Map<string, string> {
  const records = new Map<string, string>();
  let position = 0;
  while (position < data.length) {
    const space = data.indexOf(0x20, position);
    if (space < 0) break;
    const length = decimal(utf8.decode(data.subarray(position, space)), offset + position);
    const end = position + length;
    if (length <= space - position || end > data.length || data[end - 1] !== 0x0a) {
      throw damaged(offset + position, 'malformed pax record');
    }
    const record = utf8.decode(data.subarray(space + 1, end - 1));
    const equals = record.indexOf('=');
    if (equals < 0) throw damaged(offset + position, 'pax record without "="');
    records.set(record.slice(0, equals), record.slice(equals + 1));
    position = end;
  }
  return records;
}

function field(header: Uint8Array, [start, length]: Field): Uint8Array {
  return header.subarray(start, start + length);
}

/** Text up to the first NUL. */
function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return utf8.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** An octal number field, padded with NULs or spaces on either side. */
function octal(bytes: Uint8Array, offset: number, what: string): number {
  const text = String.fromCharCode(...bytes).replace(/^[\0 ]+|[\0 ]+$/g, '');
  if (!/^[0-7]*$/.test(text)) throw damaged(offset, `${what} field is not octal`);
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function decimal(text: string, offset: number): number {
  if (!/^[0-9]+$/.test(text)) throw damaged(offset, `'${text}' is not a decimal number`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw damaged(offset, `${text} is too large`);
  return value;
}

function damaged(offset: number, detail: string): HetschedError {
  return new HetschedError(Code.DataLoss, `damaged tar archive at byte ${offset}: ${detail}`);
}
