/**
 * Opening zip files that may be hostile: zipped Shapefiles from anywhere, `.lykta`
 * packages from another tablet. Two steps:
 *
 * 1. `checkZipEntries` reads the central directory only (nothing is inflated) and refuses
 *    the whole zip when an entry's path leaves the package (zip slip: `../`, an absolute
 *    path, a drive letter, a backslash), when the declared sizes exceed the limits, or when
 *    an entry compresses suspiciously well (zip bomb).
 * 2. `readZipEntry` inflates one checked entry and never produces more bytes than the
 *    entry declared: a zip that lies about its sizes is stopped mid-inflate, so memory use
 *    stays within the checked limits. The CRC-32 is verified.
 *
 * `unzipSafely` does both for the entries a caller wants.
 */
import { Inflate } from "fflate";
import type { ImportIssue } from "./import/types";

/** Limits for one zip. Sizes in bytes. */
export interface ZipLimits {
  /** Sum of all entries' uncompressed sizes. */
  maxTotalBytes: number;
  /** Uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Number of entries (a central directory of millions of entries is an attack too). */
  maxEntries: number;
  /** Uncompressed / compressed size of one entry, and of the whole zip. */
  maxCompressionRatio: number;
  /** The ratio limit applies to entries (and zips) at least this large uncompressed. */
  ratioAppliesFromBytes: number;
}

const MIB = 1024 * 1024;

/**
 * The limits used unless a caller passes its own (documented in the report of issue 3):
 * 500 MiB in all, 256 MiB per entry, 50,000 entries, and at most 1,000:1 compression for
 * anything of 1 MiB or more. Deflate tops out near 1,030:1 on runs of one byte, which is
 * what bombs are made of. Real tables come close: a DBF of OSM tags (hundreds of mostly
 * blank text fields) measured 382:1 and the Montpellier lamps' DBF 180:1, so a lower ratio
 * would refuse honest Shapefiles. The sizes, checked before and enforced during inflation,
 * are the main defence; the ratio catches the most extreme bombs by their shape.
 */
export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxTotalBytes: 500 * MIB,
  maxEntryBytes: 256 * MIB,
  maxEntries: 50_000,
  maxCompressionRatio: 1000,
  ratioAppliesFromBytes: 1 * MIB,
});

/** Reason codes (translated in src/i18n/import-messages-formats.ts). */
export const ZIP_REASONS = {
  /** Not a zip, or its central directory is damaged. */
  notZip: "zip_not_a_zip",
  /** A multi-part (spanned) zip. */
  multiDisk: "zip_multi_disk",
  tooManyEntries: "zip_too_many_entries",
  /** An entry's path leaves the package (zip slip). */
  unsafePath: "zip_unsafe_path",
  /** Two entries with the same path: one would hide the other. */
  duplicateEntry: "zip_duplicate_entry",
  entryTooLarge: "zip_entry_too_large",
  totalTooLarge: "zip_total_too_large",
  /** Compresses far better than real data does: a zip bomb. */
  ratioTooHigh: "zip_ratio_too_high",
  /** The entry's data lies outside the file, or its local header is damaged. */
  entryDamaged: "zip_entry_damaged",
  /** The entry inflates to more (or fewer) bytes than it declared, or its CRC is wrong. */
  sizeMismatch: "zip_entry_size_mismatch",
  encrypted: "zip_entry_encrypted",
  unsupportedMethod: "zip_unsupported_method",
} as const;

/** One entry of the central directory. */
export interface ZipEntryInfo {
  /** The path inside the zip, as stored (`/` separated). */
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  /** 0 stored, 8 deflate; anything else cannot be read. */
  method: number;
  crc32: number;
  encrypted: boolean;
  isDirectory: boolean;
  /** Where the entry's local header starts. */
  localHeaderOffset: number;
}

export type ZipCheck =
  | { ok: true; entries: ZipEntryInfo[]; totalUncompressedBytes: number }
  | { ok: false; issues: ImportIssue[] };

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

const where = (name: string) => `zip entry ${JSON.stringify(name)}`;

function fileIssue(code: string, message: string): ImportIssue {
  return { where: "file", code, message };
}

class ZipDamaged extends Error {}

function uint64(view: DataView, offset: number): number {
  const low = view.getUint32(offset, true);
  const high = view.getUint32(offset + 4, true);
  if (high >= 2 ** 21) throw new ZipDamaged("a 64-bit size beyond 2^53");
  return high * 2 ** 32 + low;
}

/** Entry names: UTF-8 when flagged or valid, else Latin-1 (old tools wrote CP437). */
function decodeName(bytes: Uint8Array, utf8Flag: boolean): string {
  if (!utf8Flag) {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return new TextDecoder("latin1").decode(bytes);
    }
  }
  return new TextDecoder("utf-8").decode(bytes);
}

/** Why a path would leave the package, or null when it stays inside. */
export function unsafePathReason(name: string): string | null {
  if (name.length === 0) return "the name is empty";
  if (name.includes("\\")) return "the path contains a backslash";
  if (name.startsWith("/")) return "the path is absolute";
  if (/^[A-Za-z]:/.test(name)) return "the path starts with a drive letter";
  // Control characters (NUL included) have no place in a file name.
  if (Array.from(name).some((character) => character.charCodeAt(0) < 0x20)) {
    return "the path contains control characters";
  }
  if (name.split("/").some((segment) => segment === "..")) return "the path climbs out with ..";
  return null;
}

function findEndOfCentralDirectory(view: DataView): number {
  const last = view.byteLength - 22;
  const first = Math.max(0, last - 0xffff);
  for (let offset = last; offset >= first; offset -= 1) {
    if (view.getUint32(offset, true) === EOCD_SIGNATURE) return offset;
  }
  return -1;
}

/** The central directory's entries, without any checks beyond its structure. */
function readCentralDirectory(bytes: Uint8Array, maxEntries: number): ZipEntryInfo[] | ImportIssue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = bytes.byteLength >= 22 ? findEndOfCentralDirectory(view) : -1;
  if (eocd < 0) {
    return fileIssue(ZIP_REASONS.notZip, "the file is not a zip file (or its end is missing)");
  }
  const disk = view.getUint16(eocd + 4, true);
  const directoryDisk = view.getUint16(eocd + 6, true);
  let count = view.getUint16(eocd + 10, true);
  let directorySize = view.getUint32(eocd + 12, true);
  let directoryOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR_SIGNATURE) {
      return fileIssue(ZIP_REASONS.notZip, "the zip file's directory is damaged");
    }
    const record = uint64(view, locator + 8);
    if (record + 56 > bytes.byteLength || view.getUint32(record, true) !== ZIP64_EOCD_SIGNATURE) {
      return fileIssue(ZIP_REASONS.notZip, "the zip file's directory is damaged");
    }
    count = uint64(view, record + 32);
    directorySize = uint64(view, record + 40);
    directoryOffset = uint64(view, record + 48);
  }
  if (disk !== 0 || directoryDisk !== 0) {
    return fileIssue(
      ZIP_REASONS.multiDisk,
      "the zip file is split into several parts; join them into one zip first",
    );
  }
  if (count > maxEntries) {
    return {
      where: "file",
      code: ZIP_REASONS.tooManyEntries,
      message: `the zip file holds ${count} entries, more than the limit of ${maxEntries}`,
      params: { count, limit: maxEntries },
    };
  }
  if (directoryOffset + directorySize > bytes.byteLength) {
    return fileIssue(ZIP_REASONS.notZip, "the zip file's directory is damaged or truncated");
  }
  const entries: ZipEntryInfo[] = [];
  let offset = directoryOffset;
  for (let index = 0; index < count; index += 1) {
    if (offset + 46 > bytes.byteLength || view.getUint32(offset, true) !== CENTRAL_SIGNATURE) {
      return fileIssue(ZIP_REASONS.notZip, "the zip file's directory is damaged or truncated");
    }
    const flags = view.getUint16(offset + 8, true);
    const method = view.getUint16(offset + 10, true);
    const crc32 = view.getUint32(offset + 16, true);
    let compressedSize = view.getUint32(offset + 20, true);
    let uncompressedSize = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    let localHeaderOffset = view.getUint32(offset + 42, true);
    const nameStart = offset + 46;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > bytes.byteLength) {
      return fileIssue(ZIP_REASONS.notZip, "the zip file's directory is damaged or truncated");
    }
    const name = decodeName(bytes.subarray(nameStart, extraStart), (flags & 0x800) !== 0);
    // ZIP64: sizes and offset that do not fit 32 bits are in the extra field 0x0001.
    for (let extra = extraStart; extra + 4 <= extraStart + extraLength; ) {
      const id = view.getUint16(extra, true);
      const size = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        try {
          if (uncompressedSize === 0xffffffff) {
            uncompressedSize = uint64(view, field);
            field += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = uint64(view, field);
            field += 8;
          }
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = uint64(view, field);
        } catch {
          return fileIssue(ZIP_REASONS.notZip, "the zip file's directory is damaged");
        }
      }
      extra += 4 + size;
    }
    entries.push({
      name,
      compressedSize,
      uncompressedSize,
      method,
      crc32,
      encrypted: (flags & 0x1) !== 0,
      isDirectory: name.endsWith("/"),
      localHeaderOffset,
    });
    offset = next;
  }
  return entries;
}

/**
 * Checks a zip before anything is inflated, from its central directory: every entry's path
 * stays inside the package, declared sizes are within the limits, no entry (and not the
 * whole zip) compresses like a bomb, and every entry's data lies inside the file. Any
 * problem refuses the whole zip; every problem is listed, each naming its entry.
 */
export function checkZipEntries(
  bytes: Uint8Array,
  limits: Readonly<ZipLimits> = DEFAULT_ZIP_LIMITS,
): ZipCheck {
  let read: ZipEntryInfo[] | ImportIssue;
  try {
    read = readCentralDirectory(bytes, limits.maxEntries);
  } catch {
    read = fileIssue(ZIP_REASONS.notZip, "the zip file's directory is damaged");
  }
  if (!Array.isArray(read)) return { ok: false, issues: [read] };
  const entries = read;
  const issues: ImportIssue[] = [];
  const seen = new Set<string>();
  let total = 0;
  const mb = (value: number) => Math.round((value / MIB) * 10) / 10;
  for (const entry of entries) {
    const unsafe = unsafePathReason(entry.name);
    if (unsafe) {
      issues.push({
        where: where(entry.name),
        code: ZIP_REASONS.unsafePath,
        message: `the entry ${JSON.stringify(entry.name)} would be written outside the package (${unsafe})`,
        params: { name: entry.name, reason: unsafe },
      });
      continue;
    }
    const key = entry.name.toLowerCase();
    if (seen.has(key)) {
      issues.push({
        where: where(entry.name),
        code: ZIP_REASONS.duplicateEntry,
        message: `the entry ${JSON.stringify(entry.name)} occurs more than once`,
        params: { name: entry.name },
      });
    }
    seen.add(key);
    total += entry.uncompressedSize;
    if (entry.uncompressedSize > limits.maxEntryBytes) {
      issues.push({
        where: where(entry.name),
        code: ZIP_REASONS.entryTooLarge,
        message: `the entry ${JSON.stringify(entry.name)} expands to ${mb(entry.uncompressedSize)} MB, more than the limit of ${mb(limits.maxEntryBytes)} MB`,
        params: {
          name: entry.name,
          sizeMb: mb(entry.uncompressedSize),
          limitMb: mb(limits.maxEntryBytes),
        },
      });
    } else if (
      entry.uncompressedSize >= limits.ratioAppliesFromBytes &&
      entry.uncompressedSize > limits.maxCompressionRatio * Math.max(1, entry.compressedSize)
    ) {
      const ratio = Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize));
      issues.push({
        where: where(entry.name),
        code: ZIP_REASONS.ratioTooHigh,
        message: `the entry ${JSON.stringify(entry.name)} is compressed ${ratio}:1, more than the limit of ${limits.maxCompressionRatio}:1 (a zip bomb?)`,
        params: { name: entry.name, ratio, limit: limits.maxCompressionRatio },
      });
    }
    if (entry.localHeaderOffset + 30 + entry.compressedSize > bytes.byteLength) {
      issues.push({
        where: where(entry.name),
        code: ZIP_REASONS.entryDamaged,
        message: `the entry ${JSON.stringify(entry.name)} lies outside the file (damaged or truncated zip)`,
        params: { name: entry.name },
      });
    }
  }
  if (total > limits.maxTotalBytes) {
    issues.push({
      where: "file",
      code: ZIP_REASONS.totalTooLarge,
      message: `the zip expands to ${mb(total)} MB, more than the limit of ${mb(limits.maxTotalBytes)} MB`,
      params: { sizeMb: mb(total), limitMb: mb(limits.maxTotalBytes) },
    });
  } else if (
    total >= limits.ratioAppliesFromBytes &&
    total > limits.maxCompressionRatio * Math.max(1, bytes.byteLength) &&
    !issues.some((issue) => issue.code === ZIP_REASONS.ratioTooHigh)
  ) {
    // Many small entries sharing one compressed stream (overlapping entries).
    const ratio = Math.round(total / Math.max(1, bytes.byteLength));
    issues.push({
      where: "file",
      code: ZIP_REASONS.ratioTooHigh,
      message: `the zip expands ${ratio} times its size, more than the limit of ${limits.maxCompressionRatio} (a zip bomb?)`,
      params: { name: "", ratio, limit: limits.maxCompressionRatio },
    });
  }
  return issues.length > 0
    ? { ok: false, issues }
    : { ok: true, entries, totalUncompressedBytes: total };
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as zip uses). */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i += 1) {
    crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export type ZipEntryRead = { ok: true; bytes: Uint8Array } | { ok: false; issue: ImportIssue };

/** Compressed bytes handed to the inflater at a time: bounds each output burst. */
const INFLATE_STEP_BYTES = 64 * 1024;

class SizeExceeded extends Error {}

/**
 * The contents of one entry that `checkZipEntries` accepted. Inflation stops as soon as
 * the output passes the declared size, so a zip that lies about its sizes costs no more
 * memory than it declared. The CRC-32 is checked.
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntryInfo): ZipEntryRead {
  const fail = (code: string, message: string): ZipEntryRead => ({
    ok: false,
    issue: { where: where(entry.name), code, message, params: { name: entry.name } },
  });
  const quoted = JSON.stringify(entry.name);
  if (entry.encrypted) {
    return fail(ZIP_REASONS.encrypted, `the entry ${quoted} is encrypted; Lykta cannot read it`);
  }
  if (entry.method !== 0 && entry.method !== 8) {
    return fail(
      ZIP_REASONS.unsupportedMethod,
      `the entry ${quoted} is compressed with method ${entry.method}; save the zip with ordinary (deflate) compression`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const local = entry.localHeaderOffset;
  if (local + 30 > bytes.byteLength || view.getUint32(local, true) !== LOCAL_SIGNATURE) {
    return fail(ZIP_REASONS.entryDamaged, `the entry ${quoted} is damaged`);
  }
  const dataStart =
    local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > bytes.byteLength) {
    return fail(ZIP_REASONS.entryDamaged, `the entry ${quoted} is damaged or truncated`);
  }
  const compressed = bytes.subarray(dataStart, dataEnd);
  const mismatch = () =>
    fail(
      ZIP_REASONS.sizeMismatch,
      `the entry ${quoted} does not hold the data its header declares (damaged or hostile zip)`,
    );
  let output: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize) return mismatch();
    output = compressed;
  } else {
    output = new Uint8Array(entry.uncompressedSize);
    let written = 0;
    let ended = false;
    const inflater = new Inflate((chunk, final) => {
      if (written + chunk.length > output.length) throw new SizeExceeded();
      output.set(chunk, written);
      written += chunk.length;
      if (final) ended = true;
    });
    try {
      if (compressed.length === 0) inflater.push(compressed, true);
      for (let offset = 0; offset < compressed.length; offset += INFLATE_STEP_BYTES) {
        const end = Math.min(compressed.length, offset + INFLATE_STEP_BYTES);
        inflater.push(compressed.subarray(offset, end), end === compressed.length);
      }
    } catch (error) {
      if (error instanceof SizeExceeded) return mismatch();
      return fail(ZIP_REASONS.entryDamaged, `the entry ${quoted} is damaged (it does not inflate)`);
    }
    if (!ended || written !== output.length) return mismatch();
  }
  if (crc32(output) !== entry.crc32) return mismatch();
  return { ok: true, bytes: output };
}

export type UnzipResult =
  | { ok: true; files: Map<string, Uint8Array>; entries: ZipEntryInfo[] }
  | { ok: false; issues: ImportIssue[] };

/**
 * Checks the zip (`checkZipEntries`) and reads the entries `wanted` accepts (all files by
 * default; directories never). The first entry that cannot be read stops it.
 */
export function unzipSafely(
  bytes: Uint8Array,
  options: {
    limits?: Readonly<ZipLimits>;
    wanted?: (entry: ZipEntryInfo) => boolean;
  } = {},
): UnzipResult {
  const check = checkZipEntries(bytes, options.limits ?? DEFAULT_ZIP_LIMITS);
  if (!check.ok) return check;
  const files = new Map<string, Uint8Array>();
  for (const entry of check.entries) {
    if (entry.isDirectory || (options.wanted && !options.wanted(entry))) continue;
    const read = readZipEntry(bytes, entry);
    if (!read.ok) return { ok: false, issues: [read.issue] };
    files.set(entry.name, read.bytes);
  }
  return { ok: true, files, entries: check.entries };
}
