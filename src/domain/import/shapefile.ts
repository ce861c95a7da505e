/**
 * Zipped Shapefile import (`.zip` with `.shp`, `.dbf`, `.prj`, `.cpg`), the format municipal
 * GIS exports most.
 *
 * - **Hostile zips** are refused before anything is inflated (zip-safety.ts: zip slip,
 *   sizes, compression ratio), and no entry inflates beyond what it declared.
 * - **Several shapefiles in one zip** are all imported, in path order; each feature then
 *   gets the property `@layer` with its shapefile's path in the zip without `.shp`
 *   ("vagar/gangvagar"). `@` cannot occur in a DBF field name, so it never overwrites an
 *   attribute (unlike `layer`, a common field). A zip with one shapefile adds nothing.
 *   A shapefile that cannot be read is listed as rejected (where "vagar.shp") and the
 *   others are kept. `__MACOSX/` and `._*` files (macOS zip leftovers) are ignored.
 * - **CRS**, in order: `input.fromCrs`; the `.prj`'s EPSG authority or name when it is one
 *   Lykta knows (SWEREF 99 TM, the local SWEREF 99 zones, RT 90 2.5 gon V, WGS 84 — the
 *   definitions in crs.ts); any other `.prj` through proj4's WKT reader. Without a `.prj`
 *   the coordinates must be WGS 84; when they are not, the layer is refused with a hint to
 *   name the CRS. shpjs is used without its own reprojection (which silently skips a `.prj`
 *   it cannot read).
 * - **Attribute encoding**: the `.cpg` when there is one (UTF-8, 1252/ANSI 1252,
 *   ISO-8859-x, any label the platform decodes); else the DBF's language driver byte when it
 *   says Windows ANSI; else UTF-8 when the bytes are valid UTF-8, else Windows-1252. A
 *   `.cpg` that says UTF-8 over bytes that are not UTF-8 is overruled (reported).
 * - **Values**: text trimmed; empty numbers and dates become null; dates become ISO
 *   "YYYY-MM-DD" strings (shpjs gives local-time Date objects, which would shift a day when
 *   serialised in UTC). Records marked deleted in the DBF are rejected (as GDAL skips them).
 * - **Geometry** goes through the GeoJSON geometry reader (validation, WGS 84 range,
 *   7 decimals). Shapefile rings are clockwise; rewinding them to RFC 7946 is conversion,
 *   not a repair, and is not reported; nor is rounding. Z values are dropped, reported once
 *   per shapefile. Null shapes are rejected. Where: "vagar.shp features[3]" (the 0-based
 *   record number, QGIS's feature id).
 */
import type { Feature, Geometry } from "geojson";
import proj4 from "proj4";
import * as shpjs from "shpjs";
import { parseCrsName, type Transform, toWgs84, WGS84 } from "../crs";
import {
  checkZipEntries,
  DEFAULT_ZIP_LIMITS,
  readZipEntry,
  type ZipEntryInfo,
  type ZipLimits,
} from "../zip-safety";
import { GeometryReader, REPAIRS } from "./geojson-checks";
import type {
  ImportInput,
  ImportIssue,
  ImportResult,
  ImportSuccess,
  ProgressCallback,
} from "./types";

/** Reason codes (translated in src/i18n/import-messages-formats.ts). */
export const SHAPEFILE_REASONS = {
  /** Failure: the zip holds no `.shp`. */
  noShapefile: "shapefile_none_in_zip",
  /** A layer: the `.shp` cannot be read. */
  shpDamaged: "shapefile_shp_damaged",
  /** A layer: the `.dbf` cannot be read. */
  dbfDamaged: "shapefile_dbf_damaged",
  /** A layer: the `.prj` names a CRS Lykta cannot reproject. */
  prjUnsupported: "shapefile_prj_unsupported",
  /** A layer: no `.prj` and the coordinates are not WGS 84. */
  noPrjNotWgs84: "shapefile_no_prj_not_wgs84",
  /** Failure: `fromCrs` names a CRS Lykta does not support. */
  fromCrsUnsupported: "shapefile_from_crs_unsupported",
  /** Rejected feature: a null shape (a record without geometry). */
  nullShape: "shapefile_null_shape",
  /** Rejected feature: the record is marked deleted in the `.dbf`. */
  deletedRecord: "shapefile_deleted_record",
  /** Repaired (per layer): no `.dbf`, so no attributes. */
  noDbf: "shapefile_no_dbf",
  /** Repaired (per layer): `.shp` and `.dbf` have different record counts. */
  recordCountMismatch: "shapefile_record_count_mismatch",
  /** Repaired (per layer): the `.cpg` says UTF-8 but the text is not; read as Windows-1252. */
  cpgOverruled: "shapefile_cpg_overruled",
  /** Repaired (per layer): Z values dropped. */
  elevationDropped: "elevation_dropped",
} as const;

/** Features between progress reports. */
const PROGRESS_EVERY = 2000;

const EXTENSIONS = ["shp", "dbf", "prj", "cpg"] as const;
type Part = (typeof EXTENSIONS)[number];

interface LayerEntries {
  /** Path in the zip without the extension, as written. */
  base: string;
  parts: Partial<Record<Part, ZipEntryInfo>>;
}

/** Issue for a whole layer (the shapefile in the zip). */
class LayerProblem extends Error {
  constructor(readonly issue: ImportIssue) {
    super(issue.message);
  }
}

/** Groups the zip's entries into shapefiles by path (extension case ignored). */
function groupLayers(entries: readonly ZipEntryInfo[]): LayerEntries[] {
  const layers = new Map<string, LayerEntries>();
  for (const entry of entries) {
    if (entry.isDirectory) continue;
    const segments = entry.name.split("/");
    const file = segments[segments.length - 1]!;
    if (segments.includes("__MACOSX") || file.startsWith("._")) continue;
    const dot = entry.name.lastIndexOf(".");
    if (dot < 0) continue;
    const extension = entry.name.slice(dot + 1).toLowerCase() as Part;
    if (!EXTENSIONS.includes(extension)) continue;
    const base = entry.name.slice(0, dot);
    const key = base.toLowerCase();
    const layer = layers.get(key) ?? { base, parts: {} };
    layer.parts[extension] = entry;
    if (extension === "shp") layer.base = base;
    layers.set(key, layer);
  }
  return [...layers.values()]
    .filter((layer) => layer.parts.shp)
    .sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
}

function read(bytes: Uint8Array, entry: ZipEntryInfo): Uint8Array {
  const result = readZipEntry(bytes, entry);
  if (!result.ok) throw new LayerProblem(result.issue);
  return result.bytes;
}

// ---------------------------------------------------------------------------------------
// CRS

interface LayerCrs {
  /** "EPSG:3006", or the .prj's name for a CRS read through proj4. */
  name: string;
  /** Null for WGS 84. */
  transform: Transform | null;
}

/** The CRS a .prj (WKT, usually ESRI-flavoured) describes, or null when it is unreadable. */
export function crsFromPrj(wkt: string): LayerCrs | null {
  const text = wkt.trim();
  // WKT1 (OGC) puts the CRS's own AUTHORITY last.
  const authorities = [...text.matchAll(/AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]/gi)];
  const authority = authorities.at(-1);
  const byAuthority = authority ? parseCrsName(`EPSG:${authority[1]}`) : null;
  const name = /^(?:PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]*)"/i.exec(text)?.[1] ?? "";
  const byName = name ? parseCrsName(name) : null;
  const known = byAuthority ?? byName;
  if (known) return { name: known, transform: known === WGS84 ? null : toWgs84(known) };
  if (/^GEOGCS/i.test(text) && /WGS[_ ]?(19)?84/i.test(name + text.slice(0, 120))) {
    return { name: WGS84, transform: null };
  }
  try {
    const converter = proj4(text);
    const transform = ((a: number | number[], b?: number) => {
      const x = typeof a === "number" ? a : a[0]!;
      const y = typeof a === "number" ? b! : a[1]!;
      try {
        const [lon, lat] = converter.inverse([x, y]) as [number, number];
        return [lon, lat];
      } catch {
        return [Number.NaN, Number.NaN];
      }
    }) as Transform;
    return { name: name || "the .prj's CRS", transform };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------
// DBF text encoding

/** A TextDecoder label from a .cpg's content, or null when it names nothing decodable. */
export function encodingFromCpg(cpg: string): string | null {
  const value = cpg.trim().toLowerCase();
  if (value === "") return null;
  const aliases: Record<string, string> = {
    utf8: "utf-8",
    "utf-8": "utf-8",
    "65001": "utf-8",
    "1252": "windows-1252",
    "ansi 1252": "windows-1252",
    cp1252: "windows-1252",
    "88591": "iso-8859-1",
    "8859-1": "iso-8859-1",
  };
  let label = aliases[value] ?? value;
  const iso = /^(?:iso[-_ ]?)?8859[-_]?(\d{1,2})$/.exec(label);
  if (iso) label = `iso-8859-${iso[1]}`;
  const ansi = /^(?:ansi |cp|windows-)?(125\d)$/.exec(label);
  if (ansi) label = `windows-${ansi[1]}`;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null; // OEM code pages (437, 850) and unknown names
  }
}

/** Language driver ids (DBF byte 29) that mean Windows ANSI Latin-1 (code page 1252). */
const LDID_WINDOWS_1252 = new Set([0x03, 0x57, 0x58, 0x59]);

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

interface DbfEncoding {
  label: string;
  overruled: boolean;
}

function dbfEncoding(dbf: Uint8Array, cpg: string | null): DbfEncoding {
  const headerLength = dbf.length >= 12 ? dbf[8]! | (dbf[9]! << 8) : 0;
  const records = dbf.subarray(Math.min(headerLength, dbf.length));
  const fromCpg = cpg === null ? null : encodingFromCpg(cpg);
  if (fromCpg === "utf-8" && !isUtf8(records)) return { label: "windows-1252", overruled: true };
  if (fromCpg) return { label: fromCpg, overruled: false };
  if (LDID_WINDOWS_1252.has(dbf[29] ?? 0)) return { label: "windows-1252", overruled: false };
  return { label: isUtf8(records) ? "utf-8" : "windows-1252", overruled: false };
}

interface DbfTable {
  /** One object per record, in file order; null for a record marked deleted. */
  rows: (Record<string, unknown> | null)[];
}

class DbfDamaged extends Error {}

/**
 * Reads a dBase III/IV table (what every Shapefile writer produces). Written here rather
 * than taken from shpjs (parsedbf 2.0), which turns an empty date into 1899-11-30, builds
 * dates in local time, and finds the records by counting fields instead of reading the
 * header length. Values: C text (trailing blanks removed), N/F numbers (blank or overflowed
 * `***` → null), D dates as "YYYY-MM-DD" (blank or invalid → null), L booleans (`?` or blank
 * → null); memo fields (their text lives in a .dbt Lykta does not read) → null; other types
 * as trimmed text.
 */
export function readDbf(dbf: Uint8Array, encoding: string): DbfTable {
  if (dbf.length < 32) throw new DbfDamaged("shorter than a header");
  const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  if ((dbf[0]! & 0x07) === 4) throw new DbfDamaged("dBase 7 tables are not supported");
  const count = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  if (headerLength > dbf.length || recordLength === 0) throw new DbfDamaged("bad header");
  const decoder = new TextDecoder(encoding);
  const fields: { name: string; type: string; offset: number; length: number }[] = [];
  let offset = 1; // after the deletion flag
  for (let at = 32; at + 32 <= headerLength && dbf[at] !== 0x0d; at += 32) {
    const nameBytes = dbf.subarray(at, at + 11);
    const end = nameBytes.indexOf(0);
    const name = decoder.decode(end < 0 ? nameBytes : nameBytes.subarray(0, end)).trim();
    const length = dbf[at + 16]!;
    fields.push({ name, type: String.fromCharCode(dbf[at + 11]!).toUpperCase(), offset, length });
    offset += length;
  }
  if (offset > recordLength) throw new DbfDamaged("fields longer than the record");
  const rows: (Record<string, unknown> | null)[] = [];
  for (let index = 0; index < count; index += 1) {
    const start = headerLength + index * recordLength;
    if (start + recordLength > dbf.length) break; // a truncated table: the count check reports it
    if (dbf[start] === 0x2a) {
      rows.push(null);
      continue;
    }
    const row: Record<string, unknown> = {};
    for (const field of fields) {
      const raw = decoder.decode(
        dbf.subarray(start + field.offset, start + field.offset + field.length),
      );
      row[field.name] = dbfValue(field.type, raw);
    }
    rows.push(row);
  }
  return { rows };
}

/** NUL bytes pad some writers' fields. */
function stripNul(text: string): string {
  return text.includes("\0") ? text.split("\0").join("") : text;
}

function dbfValue(type: string, raw: string): unknown {
  switch (type) {
    case "C":
      return stripNul(raw).trimEnd();
    case "N":
    case "F": {
      const text = stripNul(raw).trim();
      if (text === "" || /^\*+$/.test(text)) return null;
      const value = Number(text);
      return Number.isFinite(value) ? value : null;
    }
    case "D": {
      const match = /^(\d{4})(\d{2})(\d{2})$/.exec(raw.trim());
      if (!match) return null;
      const [, year, month, day] = match;
      const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
      return date.getUTCMonth() === Number(month) - 1 && Number(year) > 0
        ? `${year}-${month}-${day}`
        : null;
    }
    case "L": {
      const flag = raw.trim().toUpperCase();
      if (flag === "T" || flag === "Y") return true;
      if (flag === "F" || flag === "N") return false;
      return null;
    }
    case "M":
      return null;
    default:
      return stripNul(raw).trim();
  }
}

// ---------------------------------------------------------------------------------------

interface LayerResult {
  features: Feature<Geometry>[];
  rejected: ImportIssue[];
  repaired: ImportIssue[];
  records: number;
  crs: string;
  encoding: string | null;
}

/** The shp header's bounding box: [minX, minY, maxX, maxY]. */
function shpBounds(shp: Uint8Array): [number, number, number, number] | null {
  if (shp.length < 100) return null;
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  return [
    view.getFloat64(36, true),
    view.getFloat64(44, true),
    view.getFloat64(52, true),
    view.getFloat64(60, true),
  ];
}

function readLayer(
  bytes: Uint8Array,
  layer: LayerEntries,
  fromCrs: string | null,
  tagLayer: boolean,
  onFeature: (index: number, count: number) => void,
): LayerResult {
  const file = `${layer.base}.shp`;
  const layerIssue = (
    code: string,
    message: string,
    params: Record<string, string | number> = {},
  ) => new LayerProblem({ where: file, code, message, params: { file, ...params } });

  const shp = read(bytes, layer.parts.shp!);
  const dbf = layer.parts.dbf ? read(bytes, layer.parts.dbf) : null;
  const prj = layer.parts.prj ? new TextDecoder().decode(read(bytes, layer.parts.prj)) : null;
  const cpg = layer.parts.cpg ? new TextDecoder().decode(read(bytes, layer.parts.cpg)) : null;

  // CRS
  let crs: LayerCrs;
  if (fromCrs) {
    crs = { name: fromCrs, transform: fromCrs === WGS84 ? null : toWgs84(fromCrs) };
  } else if (prj !== null && prj.trim() !== "") {
    const found = crsFromPrj(prj);
    if (!found) {
      throw layerIssue(
        SHAPEFILE_REASONS.prjUnsupported,
        `the .prj of ${file} describes a CRS Lykta cannot read; reproject the layer to SWEREF 99 TM or WGS 84, or name its CRS when importing`,
      );
    }
    crs = found;
  } else {
    const bounds = shpBounds(shp);
    if (bounds && !bounds.every(Number.isNaN)) {
      const [minX, minY, maxX, maxY] = bounds;
      const inDegrees = minX >= -180 && maxX <= 180 && minY >= -90 && maxY <= 90;
      if (!inDegrees) {
        const sweref =
          minX >= 180_000 && maxX <= 1_090_000 && minY >= 6_090_000 && maxY <= 7_700_000;
        throw layerIssue(
          SHAPEFILE_REASONS.noPrjNotWgs84,
          `${file} has no .prj and its coordinates (e.g. ${minX}, ${minY}) are not WGS 84${sweref ? "; they look like SWEREF 99 TM (EPSG:3006)" : ""}: add the .prj to the zip or name the CRS when importing`,
          { x: minX, y: minY, crs: sweref ? "EPSG:3006" : "" },
        );
      }
    }
    crs = { name: WGS84, transform: null };
  }

  // Geometry
  let geometries: (Geometry | null)[];
  try {
    geometries = shpjs.parseShp(shp as unknown as ArrayBuffer) as (Geometry | null)[];
  } catch {
    throw layerIssue(SHAPEFILE_REASONS.shpDamaged, `${file} is damaged or not a shapefile`);
  }

  // Attributes
  const rejected: ImportIssue[] = [];
  const repaired: ImportIssue[] = [];
  let rows: (Record<string, unknown> | null)[] = [];
  let encoding: string | null = null;
  if (dbf) {
    const chosen = dbfEncoding(dbf, cpg);
    encoding = chosen.label;
    try {
      rows = readDbf(dbf, chosen.label).rows;
    } catch (error) {
      const detail = error instanceof DbfDamaged ? ` (${error.message})` : "";
      throw layerIssue(
        SHAPEFILE_REASONS.dbfDamaged,
        `the table ${layer.base}.dbf cannot be read${detail}`,
      );
    }
    if (chosen.overruled) {
      repaired.push({
        where: `${layer.base}.cpg`,
        code: SHAPEFILE_REASONS.cpgOverruled,
        message: `the .cpg says UTF-8 but the table's text is not UTF-8; it was read as Windows-1252`,
        params: { file },
      });
    }
    if (rows.length !== geometries.length) {
      repaired.push({
        where: file,
        code: SHAPEFILE_REASONS.recordCountMismatch,
        message: `${file} has ${geometries.length} shapes but its .dbf ${rows.length} records; they were paired in order`,
        params: { file, shapes: geometries.length, records: rows.length },
      });
    }
  } else {
    repaired.push({
      where: file,
      code: SHAPEFILE_REASONS.noDbf,
      message: `${file} has no .dbf table: its features have no attributes`,
      params: { file },
    });
  }

  const reader = new GeometryReader({ transform: crs.transform });
  const features: Feature<Geometry>[] = [];
  let withZ = 0;
  for (let index = 0; index < geometries.length; index += 1) {
    if (index % PROGRESS_EVERY === 0) onFeature(index, geometries.length);
    const where = `${file} features[${index}]`;
    if (rows[index] === null) {
      rejected.push({
        where,
        code: SHAPEFILE_REASONS.deletedRecord,
        message: "the record is marked deleted in the .dbf",
        params: { file, index },
      });
      continue;
    }
    const shape = geometries[index];
    if (!shape) {
      rejected.push({
        where,
        code: SHAPEFILE_REASONS.nullShape,
        message: "the record has no geometry (a null shape)",
        params: { file, index },
      });
      continue;
    }
    const { bbox: _bbox, ...geometry } = shape as Geometry & { bbox?: unknown };
    reader.begin();
    const read = reader.read(geometry, "geometry");
    if (!read) {
      const problem = reader.problem!;
      rejected.push({
        where,
        code: problem.code,
        message: problem.message,
        params: problem.params,
      });
      continue;
    }
    if (reader.dimensionsDropped) withZ += 1;
    if (reader.duplicatesRemoved > 0) {
      const count = reader.duplicatesRemoved;
      repaired.push({
        where,
        code: REPAIRS.duplicatePositionsRemoved,
        message: `removed ${count} repeated position${count === 1 ? "" : "s"} (the same point twice in a row)`,
        params: { count },
      });
    }
    const properties: Record<string, unknown> = {};
    Object.assign(properties, rows[index] ?? {});
    if (tagLayer) properties["@layer"] = layer.base;
    for (const part of read) features.push({ type: "Feature", geometry: part, properties });
  }
  if (withZ > 0) {
    repaired.unshift({
      where: file,
      code: SHAPEFILE_REASONS.elevationDropped,
      message: `Z values were dropped from ${withZ} feature${withZ === 1 ? "" : "s"}; Lykta keeps x and y only`,
      params: { count: withZ },
    });
  }
  return { features, rejected, repaired, records: geometries.length, crs: crs.name, encoding };
}

/**
 * Import a zipped Shapefile (one or several layers). `limits` are the zip safety limits
 * (DEFAULT_ZIP_LIMITS unless a caller, or a test, gives others).
 */
export async function importShapefile(
  input: ImportInput,
  onProgress: ProgressCallback = () => undefined,
  limits: Readonly<ZipLimits> = DEFAULT_ZIP_LIMITS,
): Promise<ImportResult> {
  const check = checkZipEntries(input.bytes, limits);
  if (!check.ok) {
    const [first, ...more] = check.issues;
    return {
      ok: false,
      issue: {
        ...first!,
        message:
          more.length > 0
            ? `${first!.message} (and ${more.length} more problem${more.length === 1 ? "" : "s"})`
            : first!.message,
      },
    };
  }
  const layers = groupLayers(check.entries);
  if (layers.length === 0) {
    const names = check.entries.map((entry) => entry.name.toLowerCase());
    const hint = names.some((name) => name.endsWith(".gpkg"))
      ? " It holds a GeoPackage, which Lykta does not read yet: export the layer as a Shapefile or GeoJSON."
      : names.some((name) => name.endsWith(".dbf"))
        ? " It holds a .dbf table but no .shp with the geometry."
        : "";
    return {
      ok: false,
      issue: {
        where: "file",
        code: SHAPEFILE_REASONS.noShapefile,
        message: `the zip holds no Shapefile (.shp).${hint}`.replace(/\.$/, ""),
        params: { name: input.name },
      },
    };
  }

  let fromCrs: string | null = null;
  if (input.fromCrs) {
    fromCrs = parseCrsName(input.fromCrs);
    if (!fromCrs) {
      return {
        ok: false,
        issue: {
          where: "file",
          code: SHAPEFILE_REASONS.fromCrsUnsupported,
          message: `the CRS "${input.fromCrs}" is not one Lykta can reproject`,
          params: { crs: input.fromCrs },
        },
      };
    }
  }

  const features: Feature<Geometry>[] = [];
  const rejected: ImportIssue[] = [];
  const repaired: ImportIssue[] = [];
  const crsNames = new Set<string>();
  const encodings = new Set<string>();
  let total = 0;
  let firstLayerIssue: ImportIssue | null = null;
  for (const [index, layer] of layers.entries()) {
    try {
      const result = readLayer(input.bytes, layer, fromCrs, layers.length > 1, (done, count) =>
        onProgress((index + done / Math.max(1, count)) / layers.length),
      );
      features.push(...result.features);
      rejected.push(...result.rejected);
      repaired.push(...result.repaired);
      total += result.records;
      crsNames.add(result.crs);
      if (result.encoding) encodings.add(result.encoding);
    } catch (error) {
      if (!(error instanceof LayerProblem)) throw error;
      firstLayerIssue ??= error.issue;
      rejected.push(error.issue);
      total += 1;
    }
    onProgress((index + 1) / layers.length);
  }
  if (features.length === 0 && firstLayerIssue && rejected.length === layers.length) {
    return { ok: false, issue: firstLayerIssue };
  }
  const only = encodings.size === 1 ? [...encodings][0] : null;
  const encoding: ImportSuccess["encoding"] =
    only === "utf-8"
      ? "utf-8"
      : only === "windows-1252" || only === "iso-8859-1"
        ? "windows-1252"
        : null;
  return {
    ok: true,
    format: "shapefile",
    sourceCrs: [...crsNames].join(", ") || WGS84,
    encoding,
    features,
    rejected,
    repaired,
    totalFeatures: total,
  };
}
