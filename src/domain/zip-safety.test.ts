import zlib from "node:zlib";
import { deflateSync, strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { IMPORT_MESSAGES_FORMATS } from "../i18n/import-messages-formats";
import {
  checkZipEntries,
  crc32,
  DEFAULT_ZIP_LIMITS,
  readZipEntry,
  unsafePathReason,
  unzipSafely,
  ZIP_REASONS,
} from "./zip-safety";

interface RawEntry {
  name: string;
  /** The stored bytes (already deflated when method is 8). */
  data: Uint8Array;
  method: 0 | 8;
  crc: number;
  /** The uncompressed size the headers declare. */
  size: number;
  /** Write sizes as ZIP64 (0xFFFFFFFF plus extra field 0x0001). */
  zip64?: boolean;
}

/** Builds a zip byte by byte, so a test can write what no honest tool writes. */
function buildZip(entries: RawEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = strToU8(entry.name);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, 0x800, true);
    local.setUint16(8, entry.method, true);
    local.setUint32(14, entry.crc, true);
    local.setUint32(18, entry.data.length, true);
    local.setUint32(22, entry.size, true);
    local.setUint16(26, name.length, true);
    parts.push(new Uint8Array(local.buffer), name, entry.data);
    const extra = new DataView(new ArrayBuffer(entry.zip64 ? 28 : 0));
    if (entry.zip64) {
      extra.setUint16(0, 0x0001, true);
      extra.setUint16(2, 24, true);
      extra.setBigUint64(4, BigInt(entry.size), true);
      extra.setBigUint64(12, BigInt(entry.data.length), true);
      extra.setBigUint64(20, BigInt(offset), true);
    }
    const header = new DataView(new ArrayBuffer(46));
    header.setUint32(0, 0x02014b50, true);
    header.setUint16(4, 20, true);
    header.setUint16(6, 20, true);
    header.setUint16(8, 0x800, true);
    header.setUint16(10, entry.method, true);
    header.setUint32(16, entry.crc, true);
    header.setUint32(20, entry.zip64 ? 0xffffffff : entry.data.length, true);
    header.setUint32(24, entry.zip64 ? 0xffffffff : entry.size, true);
    header.setUint16(28, name.length, true);
    header.setUint16(30, extra.byteLength, true);
    header.setUint32(42, entry.zip64 ? 0xffffffff : offset, true);
    central.push(new Uint8Array(header.buffer), name, new Uint8Array(extra.buffer));
    offset += 30 + name.length + entry.data.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of all) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const deflated = (name: string, text: string): RawEntry => {
  const data = strToU8(text);
  return { name, data: deflateSync(data), method: 8, crc: crc32(data), size: data.length };
};

/** Deflates `megabytes` MiB of zeros with zlib, streamed (never the whole input in memory). */
async function zeros(megabytes: number): Promise<{ data: Uint8Array; crc: number; size: number }> {
  const deflater = zlib.createDeflateRaw({ level: 9, memLevel: 9 });
  const chunks: Buffer[] = [];
  deflater.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => deflater.on("end", resolve));
  const megabyte = Buffer.alloc(1024 * 1024);
  let crc = 0;
  for (let i = 0; i < megabytes; i += 1) {
    deflater.write(megabyte);
    crc = zlib.crc32(megabyte, crc);
  }
  deflater.end();
  await ended;
  return { data: new Uint8Array(Buffer.concat(chunks)), crc, size: megabytes * 1024 * 1024 };
}

describe("checkZipEntries and unzipSafely on an honest zip", () => {
  const files = {
    "vägar/gångvägar.shp": new Uint8Array(5000).map((_, i) => i % 251),
    "vägar/gångvägar.dbf": strToU8("Åsögatan ".repeat(400)),
    "readme.txt": strToU8("hej"),
  };
  const zip = zipSync({ ...files, "tom/": new Uint8Array(0) });

  it("lists the entries without inflating and reads them back byte for byte", () => {
    const check = checkZipEntries(zip);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.entries.map((entry) => entry.name).sort()).toEqual(
      ["readme.txt", "tom/", "vägar/gångvägar.dbf", "vägar/gångvägar.shp"].sort(),
    );
    const result = unzipSafely(zip);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([...result.files.keys()].sort()).toEqual(Object.keys(files).sort());
    for (const [name, bytes] of Object.entries(files)) {
      expect(result.files.get(name)).toEqual(bytes);
    }
  });

  it("reads only the entries a caller wants", () => {
    const result = unzipSafely(zip, { wanted: (entry) => entry.name.endsWith(".dbf") });
    expect(result.ok && [...result.files.keys()]).toEqual(["vägar/gångvägar.dbf"]);
  });

  it("reads ZIP64 sizes and offsets from the extra field", () => {
    const bytes = buildZip([
      deflated("a.txt", "ett"),
      { ...deflated("b.txt", "två"), zip64: true },
    ]);
    const result = unzipSafely(bytes);
    expect(result.ok).toBe(true);
    if (result.ok) expect(new TextDecoder().decode(result.files.get("b.txt"))).toBe("två");
  });
});

describe("zip slip: entries whose paths leave the package are refused by name", () => {
  it.each([
    ["../../evil.shp", "climbs out"],
    ["data/../../evil.shp", "climbs out"],
    ["/etc/passwd", "absolute"],
    ["C:/Windows/evil.dll", "drive letter"],
    ["data\\..\\..\\evil.shp", "backslash"],
    ["evil\u0000.shp", "control characters"],
  ])("%s", (name, reason) => {
    const zip = buildZip([deflated("ok.shp", "fine"), deflated(name, "evil")]);
    const check = checkZipEntries(zip);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.issues).toHaveLength(1);
    expect(check.issues[0]).toMatchObject({
      where: `zip entry ${JSON.stringify(name)}`,
      code: ZIP_REASONS.unsafePath,
      params: { name },
    });
    expect(check.issues[0]!.message).toContain(reason);
    expect(unzipSafely(zip).ok).toBe(false);
  });

  it("accepts ordinary relative paths, dots and all", () => {
    for (const name of ["a.shp", "./a.shp", "mapp/undermapp/ä ö.dbf", "..hidden/x", "a..b.shp"]) {
      expect(unsafePathReason(name), name).toBeNull();
    }
  });

  it("refuses two entries with the same path (one would hide the other)", () => {
    const check = checkZipEntries(buildZip([deflated("a.dbf", "1"), deflated("A.DBF", "2")]));
    expect(check).toMatchObject({
      ok: false,
      issues: [{ code: ZIP_REASONS.duplicateEntry, where: 'zip entry "A.DBF"' }],
    });
  });
});

describe("zip bombs", () => {
  it("refuses 600 MB of zeros (about 600 KB zipped) from the directory, inflating nothing", async () => {
    const bomb = await zeros(600);
    expect(bomb.data.length).toBeLessThan(700 * 1024);
    const zip = buildZip([{ name: "zeros.shp", method: 8, ...bomb }]);
    const started = performance.now();
    const check = checkZipEntries(zip);
    expect(performance.now() - started).toBeLessThan(50);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.issues.map((issue) => issue.code)).toEqual([
      ZIP_REASONS.entryTooLarge,
      ZIP_REASONS.totalTooLarge,
    ]);
    expect(check.issues[0]).toMatchObject({
      where: 'zip entry "zeros.shp"',
      params: { sizeMb: 600, limitMb: 256 },
    });
  }, 30_000);

  it("refuses an entry within the size limits that compresses like a bomb", async () => {
    const bomb = await zeros(50);
    const check = checkZipEntries(buildZip([{ name: "zeros.dbf", method: 8, ...bomb }]));
    expect(check).toMatchObject({
      ok: false,
      issues: [{ code: ZIP_REASONS.ratioTooHigh, params: { limit: 1000 } }],
    });
  });

  it("stops inflating an entry that lies about its size, at the declared size", async () => {
    const bomb = await zeros(50);
    // The headers claim 1 KB; the data inflates to 50 MB.
    const zip = buildZip([
      { name: "liar.shp", method: 8, data: bomb.data, crc: bomb.crc, size: 1024 },
    ]);
    const check = checkZipEntries(zip);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    const read = readZipEntry(zip, check.entries[0]!);
    expect(read).toMatchObject({
      ok: false,
      issue: { where: 'zip entry "liar.shp"', code: ZIP_REASONS.sizeMismatch },
    });
  });

  it("honours limits given by the caller", () => {
    const zip = zipSync({ "a.txt": new Uint8Array(3000), "b.txt": new Uint8Array(3000) });
    const limits = { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 5000, ratioAppliesFromBytes: 1e9 };
    expect(checkZipEntries(zip, limits)).toMatchObject({
      ok: false,
      issues: [{ where: "file", code: ZIP_REASONS.totalTooLarge }],
    });
    expect(checkZipEntries(zip, { ...DEFAULT_ZIP_LIMITS, maxEntries: 1 })).toMatchObject({
      ok: false,
      issues: [{ code: ZIP_REASONS.tooManyEntries, params: { count: 2, limit: 1 } }],
    });
  });
});

describe("damaged zips", () => {
  it("says a file is not a zip, or that its directory is cut off", () => {
    expect(checkZipEntries(strToU8("not a zip at all, just text"))).toMatchObject({
      ok: false,
      issues: [{ where: "file", code: ZIP_REASONS.notZip }],
    });
    const zip = zipSync({ "a.txt": strToU8("hello ".repeat(100)) });
    expect(checkZipEntries(zip.subarray(0, zip.length - 30))).toMatchObject({
      ok: false,
      issues: [{ code: ZIP_REASONS.notZip }],
    });
  });

  it("refuses an entry whose CRC does not match its data", () => {
    const entry = deflated("a.txt", "hej hopp");
    const zip = buildZip([{ ...entry, crc: entry.crc ^ 1 }]);
    const result = unzipSafely(zip);
    expect(result).toMatchObject({ ok: false, issues: [{ code: ZIP_REASONS.sizeMismatch }] });
  });

  it("refuses compression methods it cannot read, naming the entry", () => {
    const zip = buildZip([{ ...deflated("a.shp", "x"), method: 12 as 8 }]);
    expect(unzipSafely(zip)).toMatchObject({
      ok: false,
      issues: [{ where: 'zip entry "a.shp"', code: ZIP_REASONS.unsupportedMethod }],
    });
  });

  it("computes CRC-32 as zip does", () => {
    expect(crc32(strToU8("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe("messages", () => {
  it("every reason code has Swedish and English text with the same placeholders", () => {
    for (const code of Object.values(ZIP_REASONS)) {
      const template = IMPORT_MESSAGES_FORMATS[code];
      expect(template, code).toBeDefined();
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(template!.sv), code).toEqual(names(template!.en));
    }
  });
});
