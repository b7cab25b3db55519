/**
 * A small ZIP writer for the Teams app package: a handful of files at the archive root, deflated
 * with node:zlib, no ZIP64, no directories, no dependency. Entries carry a fixed timestamp so that
 * the same inputs always give the same bytes.
 */
import { deflateRawSync } from 'node:zlib';

/** One file of the archive: its name inside the zip (forward slashes) and its bytes. */
export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20; // 2.0: deflate
const FLAG_UTF8_NAMES = 0x0800;
const STORE = 0;
const DEFLATE = 8;
// 2026-01-01 00:00:00 in MS-DOS format (date: years since 1980 << 9 | month << 5 | day).
const DOS_TIME = 0;
const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1;
const MAX_32 = 0xffffffff;

let crcTable: Uint32Array | undefined;

/** The CRC-32 (IEEE 802.3, as ZIP and PNG use it) of `data`. */
export function crc32(data: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Builds a ZIP archive holding `entries` in the given order. Each file is deflated, or stored when
 * deflating does not make it smaller (PNGs, for instance). Throws on an empty, duplicate or unsafe
 * name and on anything that would need ZIP64.
 */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  if (entries.length > 0xffff) throw new Error(`A zip without ZIP64 holds at most 65535 files, not ${entries.length}.`);
  const seen = new Set<string>();
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;

  for (const entry of entries) {
    const name = entry.name;
    if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
      throw new Error(`"${name}" is not a safe file name inside a zip.`);
    }
    if (seen.has(name)) throw new Error(`"${name}" appears twice in the zip.`);
    seen.add(name);

    const nameBytes = Buffer.from(name, 'utf8');
    const raw = Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength);
    const deflated = deflateRawSync(raw, { level: 9 });
    const method = deflated.length < raw.length ? DEFLATE : STORE;
    const body = method === DEFLATE ? deflated : raw;
    const crc = crc32(raw);
    if (raw.length > MAX_32 || offset > MAX_32) throw new Error(`"${name}" is too large for a zip without ZIP64.`);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(FLAG_UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // no extra field

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(VERSION, 4); // made by: MS-DOS, 2.0
    header.writeUInt16LE(VERSION, 6);
    header.writeUInt16LE(FLAG_UTF8_NAMES, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(raw.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    // extra length, comment length, disk number, internal and external attributes: all 0
    header.writeUInt32LE(offset, 42);

    parts.push(local, nameBytes, body);
    central.push(header, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }

  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  if (offset > MAX_32 || centralSize > MAX_32) throw new Error('The zip is too large without ZIP64.');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  // this disk and the central directory's disk: 0
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  // comment length: 0
  return Buffer.concat([...parts, ...central, end]);
}
