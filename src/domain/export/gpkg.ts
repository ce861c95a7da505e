/**
 * GeoPackage export (OGC 12-128r18, version 1.2; docs/format.md "GeoPackage"): an SQLite
 * database written with sql.js, one feature table per kind, that QGIS, ArcGIS and GDAL open
 * directly, in WGS 84 (EPSG:4326) or SWEREF 99 TM (EPSG:3006).
 *
 * - **The file**: `application_id` 'GPKG' (0x47504B47), `user_version` 10200;
 *   `gpkg_spatial_ref_sys` with the spec's three required rows (EPSG:4326, undefined
 *   Cartesian -1, undefined geographic 0) plus EPSG:3006, with the WKT GDAL writes for both;
 *   `gpkg_contents` (each table's extent, CRS and last change) and `gpkg_geometry_columns`.
 *   No R-tree spatial index: sql.js is built without the rtree module; QGIS and GDAL read
 *   small tables fast without one, and `ogrinfo -sql "SELECT CreateSpatialIndex('t','geom')"`
 *   adds it.
 * - **Tables**: `fid` (INTEGER PRIMARY KEY, 1, 2, … in feature order), `geom`, then one
 *   column per property in first-seen order. A property that would clash with another
 *   column (SQLite names are case-insensitive: `Namn` and `namn`; or `fid`, `geom`) gets
 *   `_2`, `_3`, …. A feature id without an `id` property (GeoJSON `convert` input) becomes
 *   an `id` column, as GDAL does.
 * - **Column types** from the values, so GDAL and QGIS show typed fields: true/false →
 *   BOOLEAN (GDAL: Integer(Boolean)); whole numbers → MEDIUMINT (Integer) or INTEGER beyond
 *   32 bits (Integer64), except columns whose name ends in a unit of measure (`_m`, `_m2`,
 *   `_lux`, `_lm`, `_w`, `_s`: Lykta's convention), which are REAL like any other number
 *   column, so the type does not depend on one export's values; "YYYY-MM-DD" → DATE;
 *   ISO 8601 date-times with a zone → DATETIME, stored in UTC as the spec requires
 *   ("2026-11-24T17:03:12.000Z"; Lykta's importer shows them in Swedish local time again);
 *   lists and objects → TEXT holding JSON, marked `application/json` in
 *   `gpkg_data_columns` (GDAL: String(JSON)); everything else and mixed columns → TEXT.
 *   A column with no value at all is TEXT.
 * - **Geometry**: the GeoPackage binary header ("GP", version 0, little-endian, srs_id, an
 *   xy envelope for everything but points, as GDAL writes) and ISO WKB, 2D. Coordinates
 *   as the GeoJSON and SWEREF exports write them (7 decimals, or SWEREF 99 TM with 2;
 *   right-hand rule). The column's type is the one geometry type of its features, else
 *   GEOMETRY (observations mix points, lines and polygons). Null geometries stay NULL.
 */
import type { Geometry, Position } from "geojson";
import type { Database, SqlJsStatic } from "sql.js";
import { loadSqlJs, quoteIdentifier } from "../import/gpkg";
import { type ExportFeature, outputGeometry, WGS84_DECIMALS } from "./geojson";
import { SWEREF_DECIMALS, swerefOfExported } from "./sweref";

/** PRAGMA application_id of a GeoPackage: "GPKG" in ASCII. */
export const GPKG_APPLICATION_ID = 0x47504b47;
/** PRAGMA user_version: GeoPackage 1.2.0 (what GDAL 3.6 writes by default). */
export const GPKG_USER_VERSION = 10200;
/** The geometry column of every table Lykta writes. */
export const GEOMETRY_COLUMN = "geom";
/** The primary key column (GDAL's default name). */
export const FID_COLUMN = "fid";

export type GeoPackageCrs = "EPSG:4326" | "EPSG:3006";

/** One feature table. */
export interface GeoPackageTable {
  /** Table name (also the identifier QGIS shows), e.g. "observations". */
  name: string;
  features: readonly ExportFeature[];
  /** gpkg_contents.description, e.g. the attribution the data needs. */
  description?: string;
}

export interface GeoPackageOptions {
  crs: GeoPackageCrs;
  /** Epoch ms, written as each table's last_change; default: now. */
  exportedAt?: number;
}

// ---------------------------------------------------------------------------------------
// SQLite, loaded on demand

let sqlite: SqlJsStatic | null = null;

/**
 * Loads SQLite (sql.js, about 1 MB) for writeGeoPackage. Export functions stay synchronous
 * for the text formats; callers of a GeoPackage export await this once first
 * (prepareExport in index.ts does).
 */
export async function loadGeoPackageWriter(): Promise<void> {
  sqlite ??= await loadSqlJs();
}

/** True once loadGeoPackageWriter has finished. */
export function geoPackageWriterLoaded(): boolean {
  return sqlite !== null;
}

// ---------------------------------------------------------------------------------------
// The GeoPackage tables (SQL as GDAL 3.6 writes it)

/** WKT of the two CRSs Lykta writes, as GDAL 3.6 stores them in gpkg_spatial_ref_sys. */
const WKT_4326 =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';
const WKT_3006 =
  'PROJCS["SWEREF99 TM",GEOGCS["SWEREF99",DATUM["SWEREF99",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],AUTHORITY["EPSG","6619"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4619"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",15],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","3006"]]';

const SRS_ID: Readonly<Record<GeoPackageCrs, number>> = { "EPSG:4326": 4326, "EPSG:3006": 3006 };

const SCHEMA = `
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL,srs_id INTEGER NOT NULL PRIMARY KEY,organization TEXT NOT NULL,organization_coordsys_id INTEGER NOT NULL,definition  TEXT NOT NULL,description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY,data_type TEXT NOT NULL,identifier TEXT UNIQUE,description TEXT DEFAULT '',last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),min_x DOUBLE, min_y DOUBLE,max_x DOUBLE, max_y DOUBLE,srs_id INTEGER,CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL,column_name TEXT NOT NULL,geometry_type_name TEXT NOT NULL,srs_id INTEGER NOT NULL,z TINYINT NOT NULL,m TINYINT NOT NULL,CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),CONSTRAINT uk_gc_table_name UNIQUE (table_name),CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (table_name TEXT,column_name TEXT,extension_name TEXT NOT NULL,definition TEXT NOT NULL,scope TEXT NOT NULL,CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
`;

/** The schema extension: gpkg_data_columns says which TEXT columns hold JSON. */
const DATA_COLUMNS_SCHEMA = `
CREATE TABLE gpkg_data_columns (table_name TEXT NOT NULL,column_name TEXT NOT NULL,name TEXT UNIQUE,title TEXT,description TEXT,mime_type TEXT,constraint_name TEXT,CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),CONSTRAINT gdc_tn UNIQUE (table_name, name));
CREATE TABLE gpkg_data_column_constraints (constraint_name TEXT NOT NULL,constraint_type TEXT NOT NULL,value TEXT,min NUMERIC,min_is_inclusive BOOLEAN,max NUMERIC,max_is_inclusive BOOLEAN,description TEXT,CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value));
INSERT INTO gpkg_extensions VALUES ('gpkg_data_columns', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec121/#extension_schema', 'read-write');
INSERT INTO gpkg_extensions VALUES ('gpkg_data_column_constraints', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec121/#extension_schema', 'read-write');
`;

function insertSpatialRefSys(database: Database): void {
  const rows: [string, number, string, number, string, string | null][] = [
    [
      "Undefined Cartesian SRS",
      -1,
      "NONE",
      -1,
      "undefined",
      "undefined Cartesian coordinate reference system",
    ],
    [
      "Undefined geographic SRS",
      0,
      "NONE",
      0,
      "undefined",
      "undefined geographic coordinate reference system",
    ],
    [
      "WGS 84 geodetic",
      4326,
      "EPSG",
      4326,
      WKT_4326,
      "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
    ],
    ["SWEREF99 TM", 3006, "EPSG", 3006, WKT_3006, null],
  ];
  for (const row of rows)
    database.run("INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)", row);
}

// ---------------------------------------------------------------------------------------
// Columns and their types

type ColumnType = "BOOLEAN" | "MEDIUMINT" | "INTEGER" | "REAL" | "DATE" | "DATETIME" | "TEXT";

interface Column {
  /** The property it holds ("" for a feature id written as the `id` column). */
  key: string;
  name: string;
  type: ColumnType;
  json: boolean;
}

/** Units of measure at the end of a column name (docs/format.md): always REAL. */
const MEASURE_SUFFIX = /_(m|m2|km|lux|lm|w|kw|s|h)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isRealDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** The declared type that holds every (non-null) value of a column without loss. */
function columnType(name: string, values: readonly unknown[]): { type: ColumnType; json: boolean } {
  let booleans = 0;
  let numbers = 0;
  let integers = 0;
  let int32 = 0;
  let strings = 0;
  let dates = 0;
  let dateTimes = 0;
  let structured = 0;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (typeof value === "boolean") booleans++;
    else if (typeof value === "number") {
      if (!Number.isFinite(value)) continue; // written as NULL
      numbers++;
      if (Number.isSafeInteger(value)) {
        integers++;
        if (value >= INT32_MIN && value <= INT32_MAX) int32++;
      }
    } else if (typeof value === "string") {
      strings++;
      if (DATE.test(value) && isRealDate(value)) dates++;
      else if (DATE_TIME.test(value) && Number.isFinite(Date.parse(value))) dateTimes++;
    } else if (typeof value === "object") structured++;
  }
  const count = booleans + numbers + strings + structured;
  if (structured > 0) return { type: "TEXT", json: true };
  if (count === 0) return { type: "TEXT", json: false };
  if (booleans === count) return { type: "BOOLEAN", json: false };
  if (numbers === count) {
    if (integers === count && !MEASURE_SUFFIX.test(name)) {
      return { type: int32 === count ? "MEDIUMINT" : "INTEGER", json: false };
    }
    return { type: "REAL", json: false };
  }
  if (dates === count) return { type: "DATE", json: false };
  if (dateTimes === count) return { type: "DATETIME", json: false };
  return { type: "TEXT", json: false };
}

/** The value as stored in a column of `column.type`. */
function storedValue(value: unknown, column: Column): number | string | null {
  if (value === null || value === undefined) return null;
  if (column.json) return JSON.stringify(value);
  switch (column.type) {
    case "BOOLEAN":
      return value ? 1 : 0;
    case "MEDIUMINT":
    case "INTEGER":
    case "REAL":
      return Number.isFinite(value as number) ? (value as number) : null;
    case "DATETIME":
      // GeoPackage 1.2 §1.1.1.1.1: DATETIME is ISO 8601 in UTC with a Z.
      return new Date(Date.parse(value as string)).toISOString();
    default:
      return typeof value === "string" ? value : String(value);
  }
}

/** The table's columns: properties in first-seen order, names unique case-insensitively. */
function tableColumns(features: readonly ExportFeature[]): Column[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  let hasIdProperty = false;
  let hasFeatureId = false;
  for (const feature of features) {
    if (feature.id !== null && feature.id !== undefined) hasFeatureId = true;
    for (const key of Object.keys(feature.properties)) {
      if (seen.has(key)) continue;
      seen.add(key);
      keys.push(key);
      if (key.toLowerCase() === "id") hasIdProperty = true;
    }
  }
  const taken = new Set([FID_COLUMN, GEOMETRY_COLUMN]);
  const columns: Column[] = [];
  const add = (key: string, wanted: string, values: unknown[]) => {
    const base = wanted.trim() === "" ? "field" : wanted;
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    taken.add(name.toLowerCase());
    columns.push({ key, name, ...columnType(name, values) });
  };
  if (hasFeatureId && !hasIdProperty) {
    add(
      "",
      "id",
      features.map((feature) => feature.id),
    );
  }
  for (const key of keys) {
    add(
      key,
      key,
      features.map((feature) => feature.properties[key]),
    );
  }
  return columns;
}

// ---------------------------------------------------------------------------------------
// Geometry: GeoPackage binary header + ISO WKB

const WKB_CODE: Readonly<Record<Geometry["type"], number>> = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
};

const GEOMETRY_TYPE_NAME: Readonly<Record<Geometry["type"], string>> = {
  Point: "POINT",
  LineString: "LINESTRING",
  Polygon: "POLYGON",
  MultiPoint: "MULTIPOINT",
  MultiLineString: "MULTILINESTRING",
  MultiPolygon: "MULTIPOLYGON",
  GeometryCollection: "GEOMETRYCOLLECTION",
};

/** Bytes of the WKB of a geometry (2D). */
function wkbSize(geometry: Geometry): number {
  switch (geometry.type) {
    case "Point":
      return 5 + 16;
    case "LineString":
    case "MultiPoint":
      return geometry.type === "LineString"
        ? 9 + 16 * geometry.coordinates.length
        : 9 + 21 * geometry.coordinates.length;
    case "Polygon":
      return 9 + geometry.coordinates.reduce((sum, ring) => sum + 4 + 16 * ring.length, 0);
    case "MultiLineString":
      return 9 + geometry.coordinates.reduce((sum, line) => sum + 9 + 16 * line.length, 0);
    case "MultiPolygon":
      return (
        9 +
        geometry.coordinates.reduce(
          (sum, polygon) =>
            sum + 9 + polygon.reduce((inner, ring) => inner + 4 + 16 * ring.length, 0),
          0,
        )
      );
    case "GeometryCollection":
      return 9 + geometry.geometries.reduce((sum, member) => sum + wkbSize(member), 0);
  }
}

/** Writes geometries into one buffer, tracking the envelope. */
class WkbWriter {
  view: DataView;
  offset = 0;
  minX = Infinity;
  minY = Infinity;
  maxX = -Infinity;
  maxY = -Infinity;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private header(code: number): void {
    this.view.setUint8(this.offset, 1); // little-endian
    this.view.setUint32(this.offset + 1, code, true);
    this.offset += 5;
  }

  private uint32(value: number): void {
    this.view.setUint32(this.offset, value, true);
    this.offset += 4;
  }

  private position(position: Position): void {
    const x = position[0]!;
    const y = position[1]!;
    this.view.setFloat64(this.offset, x, true);
    this.view.setFloat64(this.offset + 8, y, true);
    this.offset += 16;
    if (x < this.minX) this.minX = x;
    if (x > this.maxX) this.maxX = x;
    if (y < this.minY) this.minY = y;
    if (y > this.maxY) this.maxY = y;
  }

  private positions(positions: readonly Position[]): void {
    this.uint32(positions.length);
    for (const position of positions) this.position(position);
  }

  private rings(rings: readonly Position[][]): void {
    this.uint32(rings.length);
    for (const ring of rings) this.positions(ring);
  }

  write(geometry: Geometry): void {
    this.header(WKB_CODE[geometry.type]);
    switch (geometry.type) {
      case "Point":
        this.position(geometry.coordinates);
        return;
      case "LineString":
        this.positions(geometry.coordinates);
        return;
      case "Polygon":
        this.rings(geometry.coordinates);
        return;
      case "MultiPoint":
        this.uint32(geometry.coordinates.length);
        for (const position of geometry.coordinates) {
          this.header(1);
          this.position(position);
        }
        return;
      case "MultiLineString":
        this.uint32(geometry.coordinates.length);
        for (const line of geometry.coordinates) {
          this.header(2);
          this.positions(line);
        }
        return;
      case "MultiPolygon":
        this.uint32(geometry.coordinates.length);
        for (const polygon of geometry.coordinates) {
          this.header(3);
          this.rings(polygon);
        }
        return;
      case "GeometryCollection":
        this.uint32(geometry.geometries.length);
        for (const member of geometry.geometries) this.write(member);
        return;
    }
  }
}

/** Envelope of what was written: [minX, minY, maxX, maxY], or null when nothing was. */
type Extent = [number, number, number, number];

/**
 * A GeoPackage geometry blob: "GP", version 0, flags (little-endian; an xy envelope except
 * for points, whose envelope is the point itself), srs_id, envelope, ISO WKB.
 */
export function geoPackageGeometry(
  geometry: Geometry,
  srsId: number,
): { blob: Uint8Array; extent: Extent | null } {
  const wkb = new Uint8Array(wkbSize(geometry));
  const writer = new WkbWriter(wkb);
  writer.write(geometry);
  const extent: Extent | null =
    writer.minX <= writer.maxX ? [writer.minX, writer.minY, writer.maxX, writer.maxY] : null;
  const withEnvelope = geometry.type !== "Point" && extent !== null;
  const headerBytes = 8 + (withEnvelope ? 32 : 0);
  const blob = new Uint8Array(headerBytes + wkb.length);
  const view = new DataView(blob.buffer);
  blob[0] = 0x47; // G
  blob[1] = 0x50; // P
  blob[2] = 0; // version 1
  // Bit 0: little-endian; bits 1-3: envelope 1 = [minx, maxx, miny, maxy]; bit 4: empty.
  blob[3] = 1 | (withEnvelope ? 1 << 1 : 0) | (extent === null ? 1 << 4 : 0);
  view.setInt32(4, srsId, true);
  if (withEnvelope) {
    view.setFloat64(8, extent[0], true);
    view.setFloat64(16, extent[2], true);
    view.setFloat64(24, extent[1], true);
    view.setFloat64(32, extent[3], true);
  }
  blob.set(wkb, headerBytes);
  return { blob, extent };
}

/** Geometry type name for gpkg_geometry_columns: the features' one type, else GEOMETRY. */
function geometryTypeName(features: readonly ExportFeature[]): string {
  const types = new Set<string>();
  for (const feature of features) if (feature.geometry) types.add(feature.geometry.type);
  if (types.size !== 1) return "GEOMETRY";
  return GEOMETRY_TYPE_NAME[[...types][0] as Geometry["type"]];
}

/** A table name GeoPackage allows: not empty, not in the gpkg_ / sqlite_ namespaces. */
function safeTableName(name: string, taken: Set<string>): string {
  let base = name.trim() === "" ? "features" : name.trim();
  if (/^(gpkg_|sqlite_|rtree_)/i.test(base)) base = `layer_${base}`;
  let result = base;
  for (let n = 2; taken.has(result.toLowerCase()); n++) result = `${base}_${n}`;
  taken.add(result.toLowerCase());
  return result;
}

// ---------------------------------------------------------------------------------------

/** "2026-11-24T17:03:12.345Z": the form GeoPackage wants for DATETIME. */
function utcText(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function writeTable(
  database: Database,
  table: GeoPackageTable,
  columns: readonly Column[],
  name: string,
  options: GeoPackageOptions,
  lastChange: string,
): void {
  const srsId = SRS_ID[options.crs];
  const sweref = options.crs === "EPSG:3006";
  const quoted = quoteIdentifier(name);
  database.run(
    `CREATE TABLE ${quoted} (${quoteIdentifier(FID_COLUMN)} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, ${quoteIdentifier(GEOMETRY_COLUMN)} ${geometryTypeName(table.features)}${columns.map((column) => `, ${quoteIdentifier(column.name)} ${column.type}`).join("")})`,
  );
  const insert = database.prepare(
    `INSERT INTO ${quoted} (${[GEOMETRY_COLUMN, ...columns.map((column) => column.name)].map(quoteIdentifier).join(", ")}) VALUES (${["?", ...columns.map(() => "?")].join(", ")})`,
  );
  let extent: Extent | null = null;
  try {
    for (const feature of table.features) {
      const geometry = sweref
        ? outputGeometry(feature.geometry, SWEREF_DECIMALS, swerefOfExported)
        : outputGeometry(feature.geometry, WGS84_DECIMALS);
      let blob: Uint8Array | null = null;
      if (geometry) {
        const written = geoPackageGeometry(geometry, srsId);
        blob = written.blob;
        const box = written.extent;
        if (box) {
          extent = extent
            ? [
                Math.min(extent[0], box[0]),
                Math.min(extent[1], box[1]),
                Math.max(extent[2], box[2]),
                Math.max(extent[3], box[3]),
              ]
            : box;
        }
      }
      const values: (number | string | Uint8Array | null)[] = [blob];
      for (const column of columns) {
        values.push(
          storedValue(column.key === "" ? feature.id : feature.properties[column.key], column),
        );
      }
      insert.run(values);
    }
  } finally {
    insert.free();
  }
  database.run(
    "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)",
    [
      name,
      name,
      table.description ?? "",
      lastChange,
      extent?.[0] ?? null,
      extent?.[1] ?? null,
      extent?.[2] ?? null,
      extent?.[3] ?? null,
      srsId,
    ],
  );
  database.run("INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)", [
    name,
    GEOMETRY_COLUMN,
    geometryTypeName(table.features),
    srsId,
  ]);
  for (const column of columns) {
    if (!column.json) continue;
    database.run(
      "INSERT INTO gpkg_data_columns (table_name, column_name, mime_type) VALUES (?, ?, 'application/json')",
      [name, column.name],
    );
  }
}

/**
 * A GeoPackage file with one feature table per entry of `tables` (in that order), all in
 * `options.crs`. Needs loadGeoPackageWriter() to have finished (programmer error otherwise).
 */
export function writeGeoPackage(
  tables: readonly GeoPackageTable[],
  options: GeoPackageOptions,
): Uint8Array {
  if (!sqlite) {
    throw new Error(
      "GeoPackage export needs SQLite, which loads on demand: await prepareExport(format) (or loadGeoPackageWriter()) first",
    );
  }
  const database = new sqlite.Database();
  try {
    database.run(
      `PRAGMA application_id = ${GPKG_APPLICATION_ID}; PRAGMA user_version = ${GPKG_USER_VERSION};`,
    );
    database.run("BEGIN");
    database.run(SCHEMA);
    insertSpatialRefSys(database);
    const columns = tables.map((table) => tableColumns(table.features));
    if (columns.some((list) => list.some((column) => column.json))) {
      database.run(DATA_COLUMNS_SCHEMA);
    }
    const lastChange = utcText(options.exportedAt ?? Date.now());
    const taken = new Set<string>();
    tables.forEach((table, index) => {
      const name = safeTableName(table.name, taken);
      writeTable(database, table, columns[index]!, name, options, lastChange);
    });
    database.run("COMMIT");
    return database.export();
  } finally {
    database.close();
  }
}
