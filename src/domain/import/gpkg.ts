/**
 * GeoPackage import (`.gpkg`, OGC 12-128r18: an SQLite database), what QGIS and ArcGIS
 * write and municipal GIS hands out most. Read with sql.js (SQLite compiled to WebAssembly),
 * loaded on first use only (loadSqlJs): the ~1 MB of SQLite costs nothing until a
 * GeoPackage is read or written.
 *
 * - **The file**: not an SQLite file, an SQLite file that is no GeoPackage (no
 *   `gpkg_contents` / `gpkg_geometry_columns`, e.g. a SpatiaLite database), a damaged one,
 *   or a GeoPackage without feature tables (tiles or attribute tables only) each get one
 *   sentence. A file saved in WAL mode is read as it stands (a `-wal` file beside it is not
 *   seen; GIS software checkpoints on close).
 * - **Tables**: every `features` table of `gpkg_contents` with a row in
 *   `gpkg_geometry_columns`, in name order. With more than one, each feature gets the
 *   property `@layer` with its table name (as Shapefile layers do; `@` keeps it apart from
 *   a column called `layer`). A table that cannot be read is listed as rejected (where: the
 *   table name) and the others are kept.
 * - **CRS**, per table: `input.fromCrs`; else the table's `srs_id` row in
 *   `gpkg_spatial_ref_sys`: organization `EPSG` with a code Lykta knows (crs.ts), or another
 *   organization whose WKT definition names such an EPSG code or CRS; the undefined SRSs
 *   (srs_id 0 and -1) are read as WGS 84 when the coordinates are degrees. Any other CRS is
 *   refused for that table, naming it, with the hint to reproject (ogr2ogr -t_srs) or name
 *   the CRS (`--from-crs`). A table whose CRS is WGS 84 or undefined but whose coordinates
 *   are all outside WGS 84's range is refused with a hint (they often are SWEREF 99 TM).
 *   The srs_id inside each geometry blob is not consulted (the spec requires it to equal
 *   the column's).
 * - **Geometry**: the blob's "GP" header (magic, version, flags: byte order, envelope
 *   type, empty flag, extended type) and then ISO WKB in either byte order: Point,
 *   LineString, Polygon, their Multi forms and GeometryCollection. Z and M values (ISO
 *   1000/2000/3000 codes, or the EWKB high bits some writers use) are dropped, reported once
 *   per table (`gpkg_z_m_dropped`). A GeometryCollection is split into one feature per
 *   member, each with the row's properties (reported, as for GeoJSON). Rejected per feature:
 *   NULL geometries, empty geometries (the header's empty flag, zero points, or a point of
 *   NaN coordinates), curves, surfaces and extended types (with the ogr2ogr
 *   `-nlt CONVERT_TO_LINEAR` hint), and blobs that are damaged. The result goes through the
 *   GeoJSON geometry reader (validation, WGS 84 range, 7 decimals, repeated positions
 *   removed, rings rewound to the right-hand rule), so a GeoPackage and a GeoJSON file of
 *   the same data import the same. As for Shapefiles, rewinding (GeoPackage has no winding
 *   rule) and rounding binary doubles are conversion and not reported.
 * - **Attributes**: every column but the primary key and the geometry, in table order.
 *   TEXT stays text, INTEGER and REAL numbers (integers beyond 2^53 as text, so no digit is
 *   lost), BOOLEAN true/false, DATE "YYYY-MM-DD" text, DATETIME in UTC ("…Z", the spec's
 *   form) as ISO 8601 in Swedish local time with its offset, the form of Lykta's exports
 *   (other DATETIME text stays as written); columns `gpkg_data_columns` marks
 *   `application/json` (GDAL's String(JSON), Lykta's lists) are parsed back. BLOB columns
 *   (photos, binary data) are left out, reported once per table.
 * - **Where**: "ljus fid 17": the table and the row's primary key, the feature id QGIS and
 *   ogrinfo show.
 */
import type { Feature, Geometry, Position } from "geojson";
import type { Database, SqlJsStatic, SqlValue, Statement } from "sql.js";
import { normaliseCrsName, parseCrsName, SUPPORTED_CRS_TEXT, toWgs84, WGS84 } from "../crs";
import { isoLocalTime } from "../export/geojson";
import {
  GeometryReader,
  likelyProjectedCrs,
  MAX_COLLECTION_DEPTH,
  REPAIRS,
} from "./geojson-checks";
import type { ImportInput, ImportIssue, ImportResult, ProgressCallback } from "./types";

/** Reason codes (translated in src/i18n/import-messages-formats.ts). */
export const GPKG_REASONS = {
  /** Failure: the bytes are not an SQLite database. */
  notSqlite: "gpkg_not_sqlite",
  /** Failure: an SQLite database without the GeoPackage tables. */
  notGeoPackage: "gpkg_not_geopackage",
  /** Failure: SQLite cannot read the database (damaged, cut off). */
  damaged: "gpkg_damaged",
  /** Failure: a GeoPackage without feature tables (tiles or attributes only). */
  noFeatureTables: "gpkg_no_feature_tables",
  /** Failure: `fromCrs` names a CRS Lykta does not support. */
  fromCrsUnsupported: "gpkg_from_crs_unsupported",
  /** A table: it cannot be read (damaged, or no gpkg_geometry_columns row). */
  tableDamaged: "gpkg_table_damaged",
  /** A table: its CRS is one Lykta cannot reproject. */
  crsUnsupported: "gpkg_crs_unsupported",
  /** A table: WGS 84 or undefined CRS, but the coordinates are not degrees. */
  notWgs84: "gpkg_not_wgs84",
  /** Rejected feature: the geometry is NULL. */
  nullGeometry: "gpkg_null_geometry",
  /** Rejected feature: the geometry is empty. */
  emptyGeometry: "gpkg_empty_geometry",
  /** Rejected feature: a curve, surface or extended geometry type. */
  unsupportedGeometry: "gpkg_unsupported_geometry",
  /** Rejected feature: the geometry blob cannot be read. */
  geometryDamaged: "gpkg_geometry_damaged",
  /** Repaired (per table): Z and/or M values dropped. */
  zmDropped: "gpkg_z_m_dropped",
  /** Repaired (per table): BLOB columns left out. */
  blobColumnsSkipped: "gpkg_blob_columns_skipped",
} as const;

/** "SQLite format 3\0": the first 16 bytes of every SQLite 3 database file. */
export const SQLITE_HEADER: readonly number[] = [
  0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33, 0x00,
];

/** Rows between progress reports. */
const PROGRESS_EVERY = 2000;

// ---------------------------------------------------------------------------------------
// sql.js, loaded on first use

let sqlJs: Promise<SqlJsStatic> | null = null;

/**
 * SQLite (sql.js), loaded and started on first use; shared by the GeoPackage reader and
 * writer. The inline build carries its WebAssembly as base64, so nothing is fetched or
 * looked up at run time: the same code runs in the app's import worker, on the page (export)
 * and in the bundled CLI. Vite puts it in a chunk of its own (about 1 MB, 0.45 MB gzipped)
 * that loads only here.
 */
export function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= (async () => {
    // @ts-expect-error: sql.js types describe the package root; this build has the same API.
    const module = (await import("sql.js/dist/sql-wasm-inline.js")) as {
      default: ((config?: object) => Promise<SqlJsStatic>) | SqlJsStatic;
    };
    const entry = module.default;
    // In Node, a started sql.js replaces its CommonJS exports with the started module.
    return typeof entry === "function" ? entry() : entry;
  })();
  sqlJs.catch(() => {
    sqlJs = null; // a later call may try again
  });
  return sqlJs;
}

/** An SQL identifier in double quotes ("ljus ""nya"""). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

// ---------------------------------------------------------------------------------------
// Geometry blobs: the GeoPackage header and WKB

/** A problem with one geometry blob; caught per feature. */
class BlobProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

/** WKB geometry type codes 8–17: curves, surfaces, TINs (ISO 13249-3). */
const UNSUPPORTED_WKB_TYPES: Readonly<Record<number, string>> = {
  8: "CircularString",
  9: "CompoundCurve",
  10: "CurvePolygon",
  11: "MultiCurve",
  12: "MultiSurface",
  13: "Curve",
  14: "Surface",
  15: "PolyhedralSurface",
  16: "TIN",
  17: "Triangle",
};

const WKB_TYPE_NAMES = [
  "",
  "Point",
  "LineString",
  "Polygon",
  "MultiPoint",
  "MultiLineString",
  "MultiPolygon",
  "GeometryCollection",
] as const;

/** Envelope sizes in bytes by the header's envelope contents indicator (0–4). */
const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** A geometry as GeoJSON-shaped plain data, before validation. */
type RawGeometry =
  | {
      type: "Point" | "LineString" | "Polygon" | "MultiPoint" | "MultiLineString" | "MultiPolygon";
      coordinates: unknown[];
    }
  | { type: "GeometryCollection"; geometries: RawGeometry[] };

/**
 * Reads one GeoPackage geometry blob into GeoJSON-shaped data (2D), or throws BlobProblem.
 * Counts are checked against the bytes left before anything is allocated, so a damaged or
 * hostile count cannot exhaust memory.
 */
export class GeoPackageGeometryReader {
  private view: DataView = new DataView(new ArrayBuffer(0));
  private offset = 0;
  private end = 0;
  /** Set when the last blob had Z or M values (dropped). */
  zmDropped = false;

  read(blob: Uint8Array): RawGeometry {
    this.zmDropped = false;
    this.view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    this.end = blob.byteLength;
    if (blob.byteLength < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) {
      throw new BlobProblem(
        GPKG_REASONS.geometryDamaged,
        'the geometry is not a GeoPackage geometry (no "GP" header)',
        { detail: "no GP header" },
      );
    }
    const flags = blob[3]!;
    if (flags & 0x20) {
      throw new BlobProblem(
        GPKG_REASONS.unsupportedGeometry,
        "the geometry uses an extended GeoPackage geometry type, which Lykta does not read",
        { type: "extended GeoPackage geometry" },
      );
    }
    const envelope = (flags >> 1) & 0x07;
    if (envelope >= ENVELOPE_BYTES.length) {
      throw new BlobProblem(
        GPKG_REASONS.geometryDamaged,
        `the geometry header has an invalid envelope code (${envelope})`,
        { detail: `envelope code ${envelope}` },
      );
    }
    if (flags & 0x10) {
      throw new BlobProblem(GPKG_REASONS.emptyGeometry, "the geometry is empty");
    }
    this.offset = 8 + ENVELOPE_BYTES[envelope]!;
    return this.geometry(0);
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.end) {
      throw new BlobProblem(
        GPKG_REASONS.geometryDamaged,
        "the geometry ends too early (it is cut off or damaged)",
        { detail: "cut off" },
      );
    }
  }

  /** A count of items of at least `minimumBytes` each that must fit in what is left. */
  private count(little: boolean, minimumBytes: number): number {
    this.need(4);
    const count = this.view.getUint32(this.offset, little);
    this.offset += 4;
    if (count * minimumBytes > this.end - this.offset) {
      throw new BlobProblem(
        GPKG_REASONS.geometryDamaged,
        `the geometry says it has ${count} parts, more than its bytes can hold`,
        { detail: `count ${count}` },
      );
    }
    return count;
  }

  private geometry(depth: number, expected?: number): RawGeometry {
    this.need(5);
    const order = this.view.getUint8(this.offset);
    if (order > 1) {
      throw new BlobProblem(
        GPKG_REASONS.geometryDamaged,
        `the geometry's byte order mark is ${order}, not 0 or 1`,
        { detail: `byte order ${order}` },
      );
    }
    const little = order === 1;
    const code = this.view.getUint32(this.offset + 1, little);
    this.offset += 5;
    // EWKB (PostGIS, some older writers): flags in the high bits.
    let hasZ = (code & 0x80000000) !== 0;
    let hasM = (code & 0x40000000) !== 0;
    if (code & 0x20000000) {
      this.need(4);
      this.offset += 4; // an embedded SRID: the table's CRS applies
    }
    const iso = code & 0x0fffffff;
    const dimension = Math.floor(iso / 1000);
    const base = iso % 1000;
    if (dimension > 3) {
      throw new BlobProblem(
        GPKG_REASONS.geometryDamaged,
        `the geometry type code ${code} is not a WKB geometry type`,
        { detail: `type code ${code}` },
      );
    }
    hasZ ||= dimension === 1 || dimension === 3;
    hasM ||= dimension === 2 || dimension === 3;
    if (hasZ || hasM) this.zmDropped = true;
    const unsupported = UNSUPPORTED_WKB_TYPES[base];
    if (unsupported) {
      throw new BlobProblem(
        GPKG_REASONS.unsupportedGeometry,
        `the geometry is a ${unsupported}, which Lykta does not read; convert curves to lines first (ogr2ogr -nlt CONVERT_TO_LINEAR)`,
        { type: unsupported },
      );
    }
    if (base < 1 || base > 7) {
      throw new BlobProblem(
        GPKG_REASONS.geometryDamaged,
        `the geometry type code ${code} is not a WKB geometry type`,
        { detail: `type code ${code}` },
      );
    }
    if (expected !== undefined && base !== expected) {
      throw new BlobProblem(
        GPKG_REASONS.geometryDamaged,
        `a ${WKB_TYPE_NAMES[base]} inside a Multi${WKB_TYPE_NAMES[expected]}`,
        { detail: `${WKB_TYPE_NAMES[base]} in Multi${WKB_TYPE_NAMES[expected]}` },
      );
    }
    const stride = 16 + (hasZ ? 8 : 0) + (hasM ? 8 : 0);
    switch (base) {
      case 1: {
        const position = this.positions(little, stride, 1)[0]!;
        if (Number.isNaN(position[0]) && Number.isNaN(position[1])) {
          throw new BlobProblem(GPKG_REASONS.emptyGeometry, "the point is empty");
        }
        return { type: "Point", coordinates: position };
      }
      case 2:
        return { type: "LineString", coordinates: this.line(little, stride) };
      case 3:
        return { type: "Polygon", coordinates: this.polygon(little, stride) };
      case 4:
      case 5:
      case 6: {
        const count = this.count(little, 9);
        if (count === 0) throw new BlobProblem(GPKG_REASONS.emptyGeometry, "the geometry is empty");
        const parts: unknown[] = [];
        for (let i = 0; i < count; i++) {
          const part = this.geometry(depth + 1, base - 3) as { coordinates: unknown[] };
          parts.push(part.coordinates);
        }
        const type = base === 4 ? "MultiPoint" : base === 5 ? "MultiLineString" : "MultiPolygon";
        return { type, coordinates: parts };
      }
      default: {
        if (depth >= MAX_COLLECTION_DEPTH) {
          throw new BlobProblem(
            GPKG_REASONS.geometryDamaged,
            `GeometryCollections are nested more than ${MAX_COLLECTION_DEPTH} deep`,
            { detail: "nested too deep" },
          );
        }
        const count = this.count(little, 9);
        if (count === 0) throw new BlobProblem(GPKG_REASONS.emptyGeometry, "the geometry is empty");
        const geometries: RawGeometry[] = [];
        for (let i = 0; i < count; i++) geometries.push(this.geometry(depth + 1));
        return { type: "GeometryCollection", geometries };
      }
    }
  }

  /** `count` positions of `stride` bytes; x and y kept. */
  private positions(little: boolean, stride: number, count: number): Position[] {
    this.need(count * stride);
    const positions: Position[] = new Array(count);
    const view = this.view;
    let at = this.offset;
    for (let i = 0; i < count; i++) {
      positions[i] = [view.getFloat64(at, little), view.getFloat64(at + 8, little)];
      at += stride;
    }
    this.offset = at;
    return positions;
  }

  private line(little: boolean, stride: number): Position[] {
    const count = this.count(little, stride);
    if (count === 0) throw new BlobProblem(GPKG_REASONS.emptyGeometry, "the line is empty");
    return this.positions(little, stride, count);
  }

  private polygon(little: boolean, stride: number): Position[][] {
    const rings = this.count(little, 4);
    if (rings === 0) throw new BlobProblem(GPKG_REASONS.emptyGeometry, "the polygon is empty");
    const out: Position[][] = [];
    for (let r = 0; r < rings; r++) out.push(this.line(little, stride));
    return out;
  }
}

// ---------------------------------------------------------------------------------------
// Tables and their CRS

interface FeatureTable {
  name: string;
  geometryColumn: string | null;
  srsId: number | null;
}

interface SpatialRefSys {
  srsName: string;
  organization: string;
  coordsysId: number;
  /** WKT1 (`definition`), or "undefined" when only the WKT2 column has one. */
  definition: string;
  /** WKT2 (`definition_12_063`, the crs_wkt extension), or "". */
  definitionWkt2: string;
}

/** Issue for a whole table. */
class TableProblem extends Error {
  constructor(readonly issue: ImportIssue) {
    super(issue.message);
  }
}

/**
 * CRSs that are one Lykta supports in plan (x, y), by EPSG code: the 3D forms GDAL gives
 * data with heights (WGS 84 3D), and SWEREF 99 in degrees, which EPSG and PROJ treat as
 * WGS 84 at the metre level (as crs.ts does for SWEREF 99 TM). Z is dropped (reported).
 */
const PLAN_EQUIVALENT: Readonly<Record<number, string>> = {
  4979: WGS84, // WGS 84 (3D)
  4619: WGS84, // SWEREF99 (geographic 2D)
  4977: WGS84, // SWEREF99 (geographic 3D)
};

/** The supported CRS for an EPSG code: directly, or its plan equivalent; else null. */
function supportedEpsg(code: number): string | null {
  return parseCrsName(`EPSG:${code}`) ?? PLAN_EQUIVALENT[code] ?? null;
}

/** The text of the bracketed WKT node that starts at `start` ("PROJCS[...]"), or null. */
function wktNode(wkt: string, start: number): string | null {
  let depth = 0;
  let quoted = false;
  for (let i = wkt.indexOf("[", start); i >= 0 && i < wkt.length; i++) {
    const char = wkt[i];
    if (char === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (char === "[" || char === "(") depth++;
    else if ((char === "]" || char === ")") && --depth === 0) return wkt.slice(start, i + 1);
  }
  return null;
}

/**
 * The supported CRS a WKT (1 or 2) definition names: its own EPSG id (the last AUTHORITY or
 * ID), else for a compound CRS (SWEREF99 TM + RH2000 height, EPSG:5845) its horizontal part,
 * else its name ("SWEREF99 TM"); null when none is supported.
 */
function crsOfDefinition(wkt: string, depth = 0): string | null {
  const authorities = [...wkt.matchAll(/(?:AUTHORITY|ID)\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]/gi)];
  // WKT1 puts the CRS's own AUTHORITY last; WKT2's ID of the CRS comes last too.
  const authority = authorities.at(-1);
  const byCode = authority ? supportedEpsg(Number(authority[1])) : null;
  if (byCode) return byCode;
  if (depth === 0 && /^\s*(?:COMPD_CS|COMPOUNDCRS)\s*\[/i.test(wkt)) {
    const horizontal =
      /(?:PROJCS|GEOGCS|PROJCRS|PROJECTEDCRS|GEOGCRS|GEOGRAPHICCRS|GEODCRS)\s*\[/i.exec(
        wkt.slice(wkt.indexOf("[") + 1),
      );
    if (horizontal) {
      const node = wktNode(wkt, wkt.indexOf("[") + 1 + horizontal.index);
      if (node) return crsOfDefinition(node, depth + 1);
    }
    return null;
  }
  if (authority) return null; // an EPSG CRS Lykta does not support: not guessed by name
  const name = /^\s*(?:PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]*)"/i.exec(wkt)?.[1];
  return name ? parseCrsName(name) : null;
}

function isUndefinedSrs(srs: SpatialRefSys | undefined, srsId: number | null): boolean {
  if (srsId === 0 || srsId === -1 || srsId === null) return true;
  if (!srs) return false;
  return (
    srs.organization.toUpperCase() === "NONE" &&
    (srs.definition.trim() === "" || srs.definition.trim().toLowerCase() === "undefined")
  );
}

/** How a table's CRS reads: a supported code, "undefined", or a name for the refusal. */
type TableCrs = { code: string } | { undefined: true } | { unsupported: string };

function tableCrs(srsId: number | null, srs: SpatialRefSys | undefined): TableCrs {
  if (isUndefinedSrs(srs, srsId)) return { undefined: true };
  if (!srs) return { unsupported: `srs_id ${srsId} (not in gpkg_spatial_ref_sys)` };
  const organization = srs.organization.toUpperCase();
  const named = organization === "EPSG" ? `EPSG:${srs.coordsysId}` : null;
  const code =
    (named && supportedEpsg(srs.coordsysId)) ??
    crsOfDefinition(srs.definitionWkt2 || srs.definition) ??
    (srs.definitionWkt2 ? crsOfDefinition(srs.definition) : null);
  if (code) return { code };
  const label =
    named ?? (normaliseCrsName(srs.definition) || `${srs.organization}:${srs.coordsysId}`);
  return { unsupported: srs.srsName ? `${label} (${srs.srsName})` : label };
}

// ---------------------------------------------------------------------------------------
// Attribute values

type ColumnKind = "plain" | "boolean" | "datetime" | "json" | "blob";

const UTC_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z$/;

/** A DATETIME in UTC ("…Z") as Swedish local time with its offset; other text as written. */
function localDateTime(text: string): string {
  const match = UTC_DATETIME.exec(text);
  if (!match) return text;
  const [, year, month, day, hour, minute, second, fraction] = match;
  const instant = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second ?? 0),
    Number((fraction ?? "0").padEnd(3, "0")),
  );
  const check = new Date(instant);
  // Not a real date (2024-02-30): keep the text.
  if (check.getUTCDate() !== Number(day) || check.getUTCHours() !== Number(hour)) return text;
  return isoLocalTime(instant);
}

function columnKind(declared: string, json: boolean): ColumnKind {
  const type = declared.trim().toUpperCase();
  if (type === "BLOB" || type.startsWith("BLOB(")) return "blob";
  if (json) return "json";
  if (type === "BOOLEAN") return "boolean";
  if (type === "DATETIME") return "datetime";
  return "plain";
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function attributeValue(stored: SqlValue | bigint, kind: ColumnKind): unknown {
  if (stored === null) return null;
  let value: SqlValue;
  if (typeof stored === "bigint") {
    // Integers beyond 2^53 as text: a number would silently change their last digits.
    if (stored < MIN_SAFE || stored > MAX_SAFE) return stored.toString();
    value = Number(stored);
  } else {
    value = stored;
  }
  switch (kind) {
    case "boolean":
      return typeof value === "number" ? value !== 0 : value;
    case "datetime":
      return typeof value === "string" ? localDateTime(value) : value;
    case "json":
      if (typeof value !== "string") return value;
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    default:
      return value;
  }
}

// ---------------------------------------------------------------------------------------

interface Column {
  name: string;
  index: number;
  kind: ColumnKind;
}

interface TableResult {
  features: Feature<Geometry>[];
  rejected: ImportIssue[];
  repaired: ImportIssue[];
  rows: number;
  crs: string;
}

/** Column names with mime type application/json (gpkg_data_columns), by lower-cased table. */
function jsonColumns(database: Database): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  try {
    const rows = database.exec(
      "SELECT table_name, column_name FROM gpkg_data_columns WHERE lower(mime_type) = 'application/json'",
    )[0];
    for (const [table, column] of rows?.values ?? []) {
      const key = String(table).toLowerCase();
      const columns = found.get(key) ?? new Set<string>();
      columns.add(String(column).toLowerCase());
      found.set(key, columns);
    }
  } catch {
    // No gpkg_data_columns (the schema extension is optional).
  }
  return found;
}

function readTable(
  database: Database,
  table: FeatureTable,
  srs: SpatialRefSys | undefined,
  fromCrs: string | null,
  json: ReadonlySet<string>,
  tagLayer: boolean,
  onRow: (done: number, count: number) => void,
): TableResult {
  const name = table.name;
  const tableIssue = (
    code: string,
    message: string,
    params: Record<string, string | number> = {},
  ) => new TableProblem({ where: name, code, message, params: { table: name, ...params } });

  if (!table.geometryColumn) {
    throw tableIssue(
      GPKG_REASONS.tableDamaged,
      `the table ${name} is listed as features but has no row in gpkg_geometry_columns`,
    );
  }

  // CRS
  let crsCode: string;
  let crsUndefined = false;
  if (fromCrs) {
    crsCode = fromCrs;
  } else {
    const found = tableCrs(table.srsId, srs);
    if ("unsupported" in found) {
      throw tableIssue(
        GPKG_REASONS.crsUnsupported,
        `the table ${name} is in ${found.unsupported}, a CRS Lykta cannot reproject; reproject it to SWEREF 99 TM or WGS 84 (ogr2ogr -t_srs EPSG:3006), or name its CRS with --from-crs (Lykta reads ${SUPPORTED_CRS_TEXT})`,
        { crs: found.unsupported },
      );
    }
    if ("undefined" in found) {
      crsCode = WGS84;
      crsUndefined = true;
    } else {
      crsCode = found.code;
    }
  }

  // Columns
  const quoted = quoteIdentifier(name);
  let columns: Column[];
  let primaryKey: string | null = null;
  const skippedBlobs: string[] = [];
  let statement: Statement;
  try {
    const info = database.exec(`PRAGMA table_info(${quoted})`)[0];
    if (!info || info.values.length === 0) throw new Error("no such table");
    const geometryLower = table.geometryColumn.toLowerCase();
    columns = [];
    const selected: string[] = [];
    // table_info: cid, name, type, notnull, dflt_value, pk
    for (const [, columnName, declared, , , pk] of info.values) {
      const column = String(columnName);
      const lower = column.toLowerCase();
      if (lower === geometryLower) continue;
      if (Number(pk) === 1 && primaryKey === null && /^INTEGER$/i.test(String(declared).trim())) {
        primaryKey = column;
        continue;
      }
      const kind = columnKind(String(declared ?? ""), json.has(lower));
      if (kind === "blob") {
        skippedBlobs.push(column);
        continue;
      }
      columns.push({ name: column, index: 0, kind });
      selected.push(quoteIdentifier(column));
    }
    columns.forEach((column, index) => {
      column.index = index + 2;
    });
    const rest = `${quoteIdentifier(table.geometryColumn)}${selected.map((column) => `, ${column}`).join("")} FROM ${quoted}`;
    if (primaryKey !== null) {
      const key = quoteIdentifier(primaryKey);
      statement = database.prepare(`SELECT ${key}, ${rest} ORDER BY ${key}`);
    } else {
      try {
        statement = database.prepare(`SELECT rowid, ${rest} ORDER BY rowid`);
      } catch {
        // A view (GeoPackage allows views as feature tables) has no rowid: count rows.
        statement = database.prepare(`SELECT NULL, ${rest}`);
      }
    }
  } catch (error) {
    throw tableIssue(
      GPKG_REASONS.tableDamaged,
      `the table ${name} cannot be read (${(error as Error).message})`,
    );
  }

  let rowCount = 0;
  try {
    const counted = database.exec(`SELECT count(*) FROM ${quoted}`)[0]?.values[0]?.[0];
    rowCount = typeof counted === "number" ? counted : 0;
  } catch {
    // The rows themselves will say what is wrong.
  }

  const reader = new GeometryReader({ transform: crsCode === WGS84 ? null : toWgs84(crsCode) });
  const blobs = new GeoPackageGeometryReader();
  const features: Feature<Geometry>[] = [];
  const rejected: ImportIssue[] = [];
  const repaired: ImportIssue[] = [];
  let withZm = 0;
  let rows = 0;
  const options = { useBigInt: true };
  try {
    while (statement.step()) {
      if (rows % PROGRESS_EVERY === 0) onRow(rows, rowCount);
      const row = (statement.get as (params: null, config: object) => (SqlValue | bigint)[])(
        null,
        options,
      );
      rows += 1;
      const id = row[0];
      const fid = id === null ? String(rows) : typeof id === "bigint" ? id.toString() : String(id);
      const where = `${name} fid ${fid}`;
      const params = { table: name, fid };
      const blob = row[1];
      if (blob === null || blob === undefined) {
        rejected.push({
          where,
          code: GPKG_REASONS.nullGeometry,
          message: "the feature has no geometry (NULL)",
          params,
        });
        continue;
      }
      if (!(blob instanceof Uint8Array)) {
        rejected.push({
          where,
          code: GPKG_REASONS.geometryDamaged,
          message: `the geometry is ${typeof blob === "string" ? "text" : "a number"}, not a GeoPackage geometry`,
          params: { ...params, detail: "not a blob" },
        });
        continue;
      }
      let raw: RawGeometry;
      try {
        raw = blobs.read(blob);
      } catch (error) {
        if (!(error instanceof BlobProblem)) throw error;
        rejected.push({
          where,
          code: error.code,
          message: error.message,
          params: { ...params, ...error.params },
        });
        continue;
      }
      if (blobs.zmDropped) withZm += 1;
      reader.begin();
      const read = reader.read(raw, "geometry");
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
      if (reader.collection) {
        repaired.push({
          where,
          code: REPAIRS.geometryCollectionSplit,
          message: `GeometryCollection split into ${read.length} feature${read.length === 1 ? "" : "s"}, one per geometry, each with the row's attributes`,
          params: { ...params, count: read.length },
        });
      }
      if (reader.duplicatesRemoved > 0) {
        const count = reader.duplicatesRemoved;
        repaired.push({
          where,
          code: REPAIRS.duplicatePositionsRemoved,
          message: `removed ${count} repeated position${count === 1 ? "" : "s"} (the same point twice in a row)`,
          params: { ...params, count },
        });
      }
      const properties: Record<string, unknown> = {};
      for (const column of columns) {
        properties[column.name] = attributeValue(row[column.index] ?? null, column.kind);
      }
      if (tagLayer) properties["@layer"] = name;
      for (const geometry of read) {
        // Split collections: each part gets its own copy of the attributes.
        features.push({
          type: "Feature",
          geometry,
          properties: read.length === 1 ? properties : { ...properties },
        });
      }
    }
  } catch (error) {
    if (error instanceof BlobProblem) throw error;
    throw tableIssue(
      GPKG_REASONS.tableDamaged,
      `the table ${name} cannot be read after ${rows} rows (${(error as Error).message})`,
    );
  } finally {
    statement.free();
  }

  // WGS 84 (said or assumed) but no coordinate in degrees: most likely projected.
  if (!fromCrs && crsCode === WGS84 && reader.positionCount > 0 && features.length === 0) {
    const first = reader.firstPosition ?? [0, 0];
    const likely = likelyProjectedCrs(reader);
    if (!reader.allWithinDegrees) {
      throw tableIssue(
        GPKG_REASONS.notWgs84,
        `the table ${name} ${crsUndefined ? "names no CRS" : "says WGS 84"} but its coordinates (e.g. ${first[0]}, ${first[1]}) are not degrees${likely ? `; they look like ${likely.name} (${likely.crs})` : ""}: name the CRS with --from-crs${likely ? ` ${likely.crs}` : ""}`,
        { x: first[0], y: first[1], crs: likely?.crs ?? "" },
      );
    }
  }

  if (withZm > 0) {
    repaired.unshift({
      where: name,
      code: GPKG_REASONS.zmDropped,
      message: `Z or M values were dropped from ${withZm} feature${withZm === 1 ? "" : "s"} of ${name}; Lykta keeps x and y only`,
      params: { table: name, count: withZm },
    });
  }
  if (skippedBlobs.length > 0) {
    repaired.unshift({
      where: name,
      code: GPKG_REASONS.blobColumnsSkipped,
      message: `the column${skippedBlobs.length === 1 ? "" : "s"} ${skippedBlobs.join(", ")} of ${name} hold${skippedBlobs.length === 1 ? "s" : ""} binary data (BLOB) and ${skippedBlobs.length === 1 ? "was" : "were"} left out`,
      params: { table: name, columns: skippedBlobs.join(", ") },
    });
  }
  return { features, rejected, repaired, rows, crs: crsCode };
}

function failure(
  code: string,
  message: string,
  params: Record<string, string | number>,
): ImportResult {
  return { ok: false, issue: { where: "file", code, message, params } };
}

/** True when the bytes start with the SQLite 3 header. */
export function isSqliteFile(bytes: Uint8Array): boolean {
  return bytes.length >= 16 && SQLITE_HEADER.every((byte, index) => bytes[index] === byte);
}

/** Import a GeoPackage (every feature table). */
export async function importGeoPackage(
  input: ImportInput,
  onProgress: ProgressCallback = () => undefined,
): Promise<ImportResult> {
  const file = input.name;
  if (!isSqliteFile(input.bytes) || input.bytes.length < 100) {
    return failure(
      GPKG_REASONS.notSqlite,
      `${file} is not a GeoPackage: a GeoPackage is an SQLite database, and this file is not one`,
      { name: file },
    );
  }
  let fromCrs: string | null = null;
  if (input.fromCrs) {
    fromCrs = parseCrsName(input.fromCrs);
    if (!fromCrs) {
      return failure(
        GPKG_REASONS.fromCrsUnsupported,
        `the CRS "${input.fromCrs}" is not one Lykta can reproject`,
        { crs: input.fromCrs },
      );
    }
  }

  let bytes = input.bytes;
  // Bytes 18 and 19 are 2 in WAL mode, which an in-memory database cannot open; 1 (rollback
  // journal) reads the same pages.
  if (bytes[18] === 2 || bytes[19] === 2) {
    bytes = bytes.slice();
    bytes[18] = 1;
    bytes[19] = 1;
  }

  const SQL = await loadSqlJs();
  let database: Database;
  try {
    database = new SQL.Database(bytes);
  } catch (error) {
    return failure(
      GPKG_REASONS.damaged,
      `${file} is a damaged SQLite database (${(error as Error).message})`,
      { name: file },
    );
  }
  try {
    let tableNames: Set<string>;
    try {
      const rows = database.exec(
        "SELECT lower(name) FROM sqlite_master WHERE type IN ('table', 'view')",
      )[0];
      tableNames = new Set((rows?.values ?? []).map((row) => String(row[0])));
    } catch (error) {
      const message = (error as Error).message;
      return /not a database/i.test(message)
        ? failure(
            GPKG_REASONS.notSqlite,
            `${file} is not a GeoPackage: a GeoPackage is an SQLite database, and this file is not one`,
            { name: file },
          )
        : failure(GPKG_REASONS.damaged, `${file} is a damaged SQLite database (${message})`, {
            name: file,
          });
    }
    if (!tableNames.has("gpkg_contents") || !tableNames.has("gpkg_geometry_columns")) {
      const spatialite = tableNames.has("geometry_columns") && tableNames.has("spatial_ref_sys");
      return failure(
        GPKG_REASONS.notGeoPackage,
        `${file} is an SQLite database but not a GeoPackage (it has no gpkg_contents and gpkg_geometry_columns tables)${spatialite ? "; it looks like SpatiaLite: convert it with ogr2ogr -f GPKG out.gpkg in.sqlite" : ""}`,
        { name: file },
      );
    }

    let tables: FeatureTable[];
    const spatialRefSys = new Map<number, SpatialRefSys>();
    let otherTables = 0;
    try {
      const contents = database.exec(
        `SELECT c.table_name, lower(c.data_type), g.column_name, g.srs_id
           FROM gpkg_contents c LEFT JOIN gpkg_geometry_columns g
             ON lower(g.table_name) = lower(c.table_name)
          ORDER BY c.table_name`,
      )[0];
      tables = [];
      for (const [tableName, dataType, column, srsId] of contents?.values ?? []) {
        if (dataType !== "features") {
          otherTables += 1;
          continue;
        }
        tables.push({
          name: String(tableName),
          geometryColumn: column === null || column === undefined ? null : String(column),
          srsId: typeof srsId === "number" ? srsId : null,
        });
      }
      // SELECT *: definition_12_063 (WKT2) exists only with the crs_wkt extension.
      const srs = database.exec("SELECT * FROM gpkg_spatial_ref_sys")[0];
      const column = (name: string) =>
        srs?.columns.findIndex((item) => item.toLowerCase() === name) ?? -1;
      const [id, srsName, organization, coordsysId, definition, wkt2] = [
        "srs_id",
        "srs_name",
        "organization",
        "organization_coordsys_id",
        "definition",
        "definition_12_063",
      ].map(column) as [number, number, number, number, number, number];
      for (const row of srs?.values ?? []) {
        const srsId = row[id];
        if (typeof srsId !== "number") continue;
        const text = (index: number) => (index < 0 ? "" : String(row[index] ?? ""));
        spatialRefSys.set(srsId, {
          srsName: text(srsName),
          organization: text(organization),
          coordsysId: Number(row[coordsysId]),
          definition: text(definition),
          definitionWkt2: text(wkt2),
        });
      }
    } catch (error) {
      return failure(
        GPKG_REASONS.damaged,
        `${file} is a damaged GeoPackage: its table of contents cannot be read (${(error as Error).message})`,
        { name: file },
      );
    }
    if (tables.length === 0) {
      return failure(
        GPKG_REASONS.noFeatureTables,
        `${file} is a GeoPackage without feature tables${otherTables > 0 ? ` (its ${otherTables} table${otherTables === 1 ? " holds" : "s hold"} tiles or attributes without geometry)` : " (it is empty)"}`,
        { name: file, count: otherTables },
      );
    }

    const json = jsonColumns(database);
    const features: Feature<Geometry>[] = [];
    const rejected: ImportIssue[] = [];
    const repaired: ImportIssue[] = [];
    const crsNames = new Set<string>();
    let total = 0;
    let firstTableIssue: ImportIssue | null = null;
    for (const [index, table] of tables.entries()) {
      try {
        const result = readTable(
          database,
          table,
          table.srsId === null ? undefined : spatialRefSys.get(table.srsId),
          fromCrs,
          json.get(table.name.toLowerCase()) ?? new Set(),
          tables.length > 1,
          (done, count) => onProgress((index + done / Math.max(1, count)) / tables.length),
        );
        features.push(...result.features);
        rejected.push(...result.rejected);
        repaired.push(...result.repaired);
        total += result.rows;
        crsNames.add(result.crs);
      } catch (error) {
        if (!(error instanceof TableProblem)) throw error;
        firstTableIssue ??= error.issue;
        rejected.push(error.issue);
        total += 1;
      }
      onProgress((index + 1) / tables.length);
    }
    if (features.length === 0 && firstTableIssue && rejected.length === tables.length) {
      return { ok: false, issue: firstTableIssue };
    }
    return {
      ok: true,
      format: "gpkg",
      sourceCrs: [...crsNames].join(", ") || WGS84,
      encoding: null,
      features,
      rejected,
      repaired,
      totalFeatures: total,
    };
  } finally {
    database.close();
  }
}
