/**
 * GeoPackage import: files made by GDAL (ogr2ogr, as QGIS makes them) from small GeoJSON
 * fixtures, in WGS 84, SWEREF 99 TM and other CRSs; hand-made geometry blobs for the WKB
 * variants; files that are no GeoPackage; and a seeded fuzz of mutated files.
 *
 * Needs gdal-bin (scripts/setup-test-deps.sh installs it).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Feature, FeatureCollection, Geometry, Position } from "geojson";
import type { Database } from "sql.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IMPORT_MESSAGES_CORE } from "../../i18n/import-messages-core";
import { IMPORT_MESSAGES_FORMATS } from "../../i18n/import-messages-formats";
import { mulberry32 } from "../ids";
import {
  GeoPackageGeometryReader,
  GPKG_REASONS,
  importGeoPackage,
  isSqliteFile,
  loadSqlJs,
} from "./gpkg";
import { mutate, signedArea } from "./import.fixtures";
import { detectFormat, importFile } from "./index";
import type { ImportIssue, ImportResult, ImportSuccess } from "./types";

/** Lamps with the names Swedish municipalities really have; one without a position. */
const LAMPS: FeatureCollection = {
  type: "FeatureCollection",
  features: [
    {
      type: "Feature",
      properties: {
        namn: "Åsögatan 12",
        hojd: 4.5,
        datum: "2024-05-01",
        bytt: "2024-05-01T16:00:00Z",
        antal: 3,
        tand: true,
      },
      geometry: { type: "Point", coordinates: [18.0686, 59.3293] },
    },
    {
      type: "Feature",
      properties: {
        namn: "Ärtviksvägen/Önskehemsgatan",
        hojd: 8,
        datum: null,
        bytt: null,
        antal: null,
        tand: false,
      },
      geometry: { type: "Point", coordinates: [17.6389123, 59.8586456] },
    },
    {
      type: "Feature",
      properties: {
        namn: "Café Ängen (é)",
        hojd: null,
        datum: "1999-12-31",
        bytt: "2026-11-24T17:03:12.345Z",
        antal: 0,
        tand: null,
      },
      geometry: { type: "Point", coordinates: [13.0038, 55.605] },
    },
    {
      type: "Feature",
      properties: { namn: "Utan position", hojd: 3, datum: null, bytt: null, antal: 1, tand: true },
      geometry: null as unknown as Feature["geometry"],
    },
  ],
};

const PATHS: FeatureCollection = {
  type: "FeatureCollection",
  features: [
    {
      type: "Feature",
      properties: { namn: "Gångväg längs Fyrisån", klass: "park_path" },
      geometry: {
        type: "LineString",
        coordinates: [
          [17.64, 59.85],
          [17.645, 59.852],
          [17.65, 59.855],
        ],
      },
    },
    {
      type: "Feature",
      properties: { namn: "Två delar", klass: "local_footway" },
      geometry: {
        type: "MultiLineString",
        coordinates: [
          [
            [17.641, 59.851],
            [17.642, 59.852],
          ],
          [
            [17.643, 59.853],
            [17.644, 59.854],
            [17.6451234, 59.8551234],
          ],
        ],
      },
    },
  ],
};

/** A park with a hole, both rings wound the wrong way for RFC 7946. */
const PARKS: FeatureCollection = {
  type: "FeatureCollection",
  features: [
    {
      type: "Feature",
      properties: { namn: "Stadsträdgården" },
      geometry: {
        type: "MultiPolygon",
        coordinates: [
          [
            [
              [17.64, 59.85],
              [17.64, 59.86],
              [17.65, 59.86],
              [17.65, 59.85],
              [17.64, 59.85],
            ],
            [
              [17.644, 59.854],
              [17.646, 59.854],
              [17.646, 59.856],
              [17.644, 59.856],
              [17.644, 59.854],
            ],
          ],
        ],
      },
    },
  ],
};

let work: string;
let counter = 0;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "lykta-gpkg-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes `layers` (name → GeoJSON) into one GeoPackage with ogr2ogr; returns its bytes. */
function geoPackage(layers: Record<string, FeatureCollection>, options: string[] = []): Uint8Array {
  const dir = join(work, `run${counter++}`);
  mkdirSync(dir, { recursive: true });
  const out = join(dir, "out.gpkg");
  for (const [index, [name, collection]] of Object.entries(layers).entries()) {
    const input = join(dir, `${name}.geojson`);
    writeFileSync(input, JSON.stringify(collection));
    execFileSync(
      "ogr2ogr",
      ["-f", "GPKG", ...(index > 0 ? ["-update"] : []), ...options, "-nln", name, out, input],
      { stdio: "pipe" },
    );
  }
  return new Uint8Array(readFileSync(out));
}

/**
 * Drops GDAL's R-tree triggers, which call GDAL's SQL functions (ST_IsEmpty ...) that
 * sql.js does not have, so the tests can change rows.
 */
function dropRtreeTriggers(database: Database) {
  const triggers = database.exec(
    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_%'",
  )[0];
  for (const [name] of triggers?.values ?? []) database.run(`DROP TRIGGER "${name}"`);
}

/** Runs SQL on a copy of a GeoPackage with sql.js; returns the changed file. */
async function withSql(bytes: Uint8Array, sql: string): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const database = new SQL.Database(bytes);
  try {
    dropRtreeTriggers(database);
    database.run(sql);
    return database.export();
  } finally {
    database.close();
  }
}

/** Every issue's code has Swedish and English text whose placeholders its params fill. */
function expectTranslatable(issues: readonly ImportIssue[]) {
  for (const issue of issues) {
    const template = IMPORT_MESSAGES_FORMATS[issue.code] ?? IMPORT_MESSAGES_CORE[issue.code];
    expect(template, issue.code).toBeDefined();
    for (const text of [template!.sv, template!.en]) {
      for (const [, name] of text.matchAll(/\{(\w+)\}/g)) {
        if (name === "where") continue;
        expect(issue.params ?? {}, `${issue.code} needs {${name}}`).toHaveProperty(name!);
      }
    }
  }
}

function ok(result: ImportResult): ImportSuccess {
  if (!result.ok) throw new Error(`import failed: ${result.issue.code}: ${result.issue.message}`);
  expectTranslatable([...result.rejected, ...result.repaired]);
  return result;
}

function failed(result: ImportResult): ImportIssue {
  if (result.ok) throw new Error("the import should have failed");
  expectTranslatable([result.issue]);
  return result.issue;
}

function positionsOf(geometry: Geometry | null): Position[] {
  if (geometry === null) return [];
  switch (geometry.type) {
    case "Point":
      return [geometry.coordinates];
    case "MultiPoint":
    case "LineString":
      return geometry.coordinates;
    case "MultiLineString":
    case "Polygon":
      return geometry.coordinates.flat();
    case "MultiPolygon":
      return geometry.coordinates.flat(2);
    case "GeometryCollection":
      return geometry.geometries.flatMap(positionsOf);
  }
}

/** Same geometry type and positions, each within `tolerance` degrees. */
function expectSameGeometry(actual: Geometry, expected: Geometry, tolerance: number) {
  expect(actual.type).toBe(expected.type);
  const a = positionsOf(actual);
  const b = positionsOf(expected);
  expect(a).toHaveLength(b.length);
  for (const [i, position] of a.entries()) {
    expect(Math.abs(position[0]! - b[i]![0]!), `x of ${i}`).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(position[1]! - b[i]![1]!), `y of ${i}`).toBeLessThanOrEqual(tolerance);
  }
}

function expectLamps(result: ImportSuccess, tolerance: number) {
  expect(result.format).toBe("gpkg");
  expect(result.totalFeatures).toBe(4);
  expect(result.features).toHaveLength(3);
  for (const [index, feature] of result.features.entries()) {
    expectSameGeometry(feature.geometry, LAMPS.features[index]!.geometry, tolerance);
  }
  expect(result.features[0]!.properties).toEqual({
    namn: "Åsögatan 12",
    hojd: 4.5,
    datum: "2024-05-01",
    // DATETIME is UTC in a GeoPackage; Lykta shows it in Swedish local time.
    bytt: "2024-05-01T18:00:00+02:00",
    antal: 3,
    tand: true,
  });
  expect(result.features[1]!.properties).toEqual({
    namn: "Ärtviksvägen/Önskehemsgatan",
    hojd: 8,
    datum: null,
    bytt: null,
    antal: null,
    tand: false,
  });
  expect(result.features[2]!.properties).toMatchObject({
    namn: "Café Ängen (é)",
    bytt: "2026-11-24T18:03:12.345+01:00",
    tand: null,
  });
  expect(result.rejected).toEqual([
    expect.objectContaining({ where: "ljus fid 4", code: GPKG_REASONS.nullGeometry }),
  ]);
}

describe("GeoPackages GDAL writes", () => {
  it("WGS 84: positions within 1e-7°, Swedish text, numbers, dates, date-times and booleans", async () => {
    const bytes = geoPackage({ ljus: LAMPS });
    expect(detectFormat("ljus.gpkg", bytes)).toBe("gpkg");
    const result = ok(await importFile({ name: "ljus.gpkg", bytes }));
    expect(result.sourceCrs).toBe("EPSG:4326");
    expect(result.repaired).toEqual([]);
    expectLamps(result, 1e-7);
  });

  it("SWEREF 99 TM (EPSG:3006): reprojected to WGS 84 within 1e-7°", async () => {
    const bytes = geoPackage({ ljus: LAMPS }, ["-t_srs", "EPSG:3006"]);
    const result = ok(await importFile({ name: "ljus.gpkg", bytes }));
    expect(result.sourceCrs).toBe("EPSG:3006");
    expectLamps(result, 1e-7);
  });

  it("a local SWEREF 99 zone (EPSG:3011): multi-geometries, a hole, rings wound to RFC 7946", async () => {
    const bytes = geoPackage({ park: PARKS, vagar: PATHS }, ["-t_srs", "EPSG:3011"]);
    const result = ok(await importFile({ name: "uppsala.gpkg", bytes }));
    expect(result.sourceCrs).toBe("EPSG:3011");
    expect(result.totalFeatures).toBe(3);
    expect(result.features.map((feature) => feature.geometry.type)).toEqual([
      "MultiPolygon",
      "LineString",
      "MultiLineString",
    ]);
    expectSameGeometry(result.features[1]!.geometry, PATHS.features[0]!.geometry, 1e-7);
    expectSameGeometry(result.features[2]!.geometry, PATHS.features[1]!.geometry, 1e-7);
    const park = result.features[0]!.geometry as { coordinates: Position[][][] };
    const [outer, hole] = park.coordinates[0]!;
    expect(signedArea(outer!)).toBeGreaterThan(0);
    expect(signedArea(hole!)).toBeLessThan(0);
    // Rewinding is conversion (GeoPackage has no winding rule): not reported.
    expect(result.repaired).toEqual([]);
  });

  it("several tables: all imported in name order, each feature tagged with @layer", async () => {
    const bytes = geoPackage({ vagar: PATHS, ljus: LAMPS, park: PARKS });
    const result = ok(await importFile({ name: "kommun.gpkg", bytes }));
    expect(result.totalFeatures).toBe(7);
    expect(result.features.map((feature) => feature.properties?.["@layer"])).toEqual([
      "ljus",
      "ljus",
      "ljus",
      "park",
      "vagar",
      "vagar",
    ]);
    expect(result.features[3]!.properties).toEqual({ namn: "Stadsträdgården", "@layer": "park" });
    expect(result.rejected.map((issue) => issue.where)).toEqual(["ljus fid 4"]);
  });

  it("one table of a CRS Lykta cannot reproject is refused, naming it; the others are kept", async () => {
    const dir = join(work, `run${counter++}`);
    mkdirSync(dir);
    const out = join(dir, "out.gpkg");
    writeFileSync(join(dir, "ljus.geojson"), JSON.stringify(LAMPS));
    writeFileSync(join(dir, "vagar.geojson"), JSON.stringify(PATHS));
    execFileSync("ogr2ogr", ["-f", "GPKG", "-nln", "ljus", out, join(dir, "ljus.geojson")]);
    execFileSync("ogr2ogr", [
      ...["-f", "GPKG", "-update", "-nln", "vagar", "-t_srs", "EPSG:2154"],
      ...[out, join(dir, "vagar.geojson")],
    ]);
    const result = ok(await importFile({ name: "blandat.gpkg", bytes: readFileSync(out) }));
    expect(result.features).toHaveLength(3);
    expect(result.rejected).toContainEqual(
      expect.objectContaining({
        where: "vagar",
        code: GPKG_REASONS.crsUnsupported,
        params: expect.objectContaining({
          table: "vagar",
          crs: expect.stringContaining("EPSG:2154"),
        }),
      }),
    );
    const issue = result.rejected.find((item) => item.code === GPKG_REASONS.crsUnsupported)!;
    expect(issue.message).toContain("--from-crs");

    // Only that table: the whole file is refused with its reason.
    const only = geoPackage({ vagar: PATHS }, ["-t_srs", "EPSG:2154"]);
    expect(failed(await importFile({ name: "lambert.gpkg", bytes: only })).code).toBe(
      GPKG_REASONS.crsUnsupported,
    );
  });

  it("SWEREF coordinates in a table that says WGS 84: refused with a hint; --from-crs reads them", async () => {
    // GeoJSON without a crs member is WGS 84 to GDAL, whatever the numbers.
    const sweref: FeatureCollection = {
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          properties: { namn: "Stortorget" },
          geometry: { type: "Point", coordinates: [674571.9, 6580743.0] },
        },
      ],
    };
    const bytes = geoPackage({ ljus: sweref });
    const issue = failed(await importFile({ name: "fel.gpkg", bytes }));
    expect(issue.code).toBe(GPKG_REASONS.notWgs84);
    expect(issue.params).toMatchObject({ table: "ljus", crs: "EPSG:3006" });
    expect(issue.message).toContain("--from-crs EPSG:3006");

    const read = ok(await importFile({ name: "fel.gpkg", bytes, fromCrs: "EPSG:3006" }));
    expect(read.sourceCrs).toBe("EPSG:3006");
    const [lon, lat] = (read.features[0]!.geometry as { coordinates: Position }).coordinates;
    expect(lon).toBeCloseTo(18.0686, 5);
    expect(lat).toBeCloseTo(59.3293, 5);

    expect(failed(await importFile({ name: "fel.gpkg", bytes, fromCrs: "EPSG:2154" })).code).toBe(
      GPKG_REASONS.fromCrsUnsupported,
    );
  });

  it("3D points: Z dropped, reported once for the table", async () => {
    const lamps3d: FeatureCollection = {
      type: "FeatureCollection",
      features: LAMPS.features.slice(0, 3).map((feature) => ({
        ...feature,
        geometry: {
          type: "Point",
          coordinates: [...(feature.geometry as { coordinates: Position }).coordinates, 42.5],
        },
      })),
    };
    const bytes = geoPackage({ ljus: lamps3d });
    const result = ok(await importFile({ name: "3d.gpkg", bytes }));
    expect(result.features).toHaveLength(3);
    expect(result.features[0]!.geometry).toEqual({
      type: "Point",
      coordinates: [18.0686, 59.3293],
    });
    expect(result.repaired).toEqual([
      expect.objectContaining({
        where: "ljus",
        code: GPKG_REASONS.zmDropped,
        params: { table: "ljus", count: 3 },
      }),
    ]);
  });

  it("SWEREF 99 TM + RH2000 height (EPSG:5845, a compound CRS): read as SWEREF 99 TM, heights dropped", async () => {
    const withHeights: FeatureCollection = {
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          properties: { namn: "Stortorget" },
          geometry: { type: "Point", coordinates: [674571.9, 6580743.0, 21.5] },
        },
      ],
    };
    const bytes = geoPackage({ ljus: withHeights }, ["-a_srs", "EPSG:5845"]);
    const result = ok(await importFile({ name: "rh2000.gpkg", bytes }));
    expect(result.sourceCrs).toBe("EPSG:3006");
    const [lon, lat] = (result.features[0]!.geometry as { coordinates: Position }).coordinates;
    expect(lon).toBeCloseTo(18.0686, 5);
    expect(lat).toBeCloseTo(59.3293, 5);
    expect(result.repaired.map((issue) => issue.code)).toEqual([GPKG_REASONS.zmDropped]);
  });

  it("a GeometryCollection is split into one feature per member, each with the attributes", async () => {
    const collection: FeatureCollection = {
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          properties: { namn: "Torg och gång" },
          geometry: {
            type: "GeometryCollection",
            geometries: [
              { type: "Point", coordinates: [18.0686, 59.3293] },
              {
                type: "LineString",
                coordinates: [
                  [18.0686, 59.3293],
                  [18.07, 59.33],
                ],
              },
            ],
          },
        },
      ],
    };
    const result = ok(await importFile({ name: "gc.gpkg", bytes: geoPackage({ gc: collection }) }));
    expect(result.features.map((feature) => feature.geometry.type)).toEqual([
      "Point",
      "LineString",
    ]);
    expect(result.features.map((feature) => feature.properties)).toEqual([
      { namn: "Torg och gång" },
      { namn: "Torg och gång" },
    ]);
    expect(result.repaired).toEqual([
      expect.objectContaining({ where: "gc fid 1", code: "geometry_collection_split" }),
    ]);
  });

  it("BLOB columns are left out and reported; JSON columns (gpkg_data_columns) are parsed", async () => {
    const lists: FeatureCollection = {
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          properties: { namn: "a", extra: { grupper: ["kvinnor", "äldre"] } },
          geometry: { type: "Point", coordinates: [18.0686, 59.3293] },
        },
      ],
    };
    let bytes = geoPackage({ ljus: lists });
    bytes = await withSql(
      bytes,
      "ALTER TABLE ljus ADD COLUMN foto BLOB; UPDATE ljus SET foto = x'FFD8FFE0';",
    );
    const result = ok(await importFile({ name: "blob.gpkg", bytes }));
    expect(result.features[0]!.properties).toEqual({
      namn: "a",
      extra: { grupper: ["kvinnor", "äldre"] },
    });
    expect(result.repaired).toEqual([
      expect.objectContaining({
        where: "ljus",
        code: GPKG_REASONS.blobColumnsSkipped,
        params: { table: "ljus", columns: "foto" },
      }),
    ]);
  });

  it("a view registered as a feature table is read, its rows counted for `where`", async () => {
    const bytes = await withSql(
      geoPackage({ ljus: LAMPS }),
      `CREATE VIEW tanda AS SELECT geom, namn FROM ljus WHERE tand = 1;
       INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('tanda', 'features', 'tanda', 4326);
       INSERT INTO gpkg_geometry_columns VALUES ('tanda', 'geom', 'POINT', 4326, 0, 0);`,
    );
    const result = ok(await importFile({ name: "vy.gpkg", bytes }));
    const fromView = result.features.filter(
      (feature) => feature.properties?.["@layer"] === "tanda",
    );
    expect(fromView.map((feature) => feature.properties)).toEqual([
      { namn: "Åsögatan 12", "@layer": "tanda" },
    ]);
    expect(result.rejected.map((issue) => issue.where)).toEqual(["ljus fid 4", "tanda fid 2"]);
  });

  it("a file saved in WAL mode (as QGIS may leave it) reads the same", async () => {
    const bytes = geoPackage({ ljus: LAMPS });
    const wal = bytes.slice();
    wal[18] = 2;
    wal[19] = 2;
    expectLamps(ok(await importFile({ name: "wal.gpkg", bytes: wal })), 1e-7);
  });
});

describe("files that are not GeoPackages", () => {
  it("a .gpkg that is not an SQLite file: one sentence", async () => {
    const bytes = new TextEncoder().encode('{"type":"FeatureCollection","features":[]}');
    const issue = failed(await importFile({ name: "lampor.gpkg", bytes }));
    expect(issue.code).toBe(GPKG_REASONS.notSqlite);
    expect(issue.message).toBe(
      "lampor.gpkg is not a GeoPackage: a GeoPackage is an SQLite database, and this file is not one",
    );
  });

  it("an SQLite database that is not a GeoPackage, found by its header whatever its name", async () => {
    const SQL = await loadSqlJs();
    const database = new SQL.Database();
    database.run(
      "CREATE TABLE lampor (id INTEGER PRIMARY KEY, namn TEXT); INSERT INTO lampor VALUES (1, 'Å');",
    );
    const bytes = database.export();
    database.close();
    expect(isSqliteFile(bytes)).toBe(true);
    expect(detectFormat("lampor.db", bytes)).toBe("gpkg");
    const issue = failed(await importFile({ name: "lampor.db", bytes }));
    expect(issue.code).toBe(GPKG_REASONS.notGeoPackage);
    expect(issue.message).toBe(
      "lampor.db is an SQLite database but not a GeoPackage (it has no gpkg_contents and gpkg_geometry_columns tables)",
    );
  });

  it("a GeoPackage with no feature tables", async () => {
    const bytes = await withSql(
      geoPackage({ ljus: LAMPS }),
      "DELETE FROM gpkg_geometry_columns; UPDATE gpkg_contents SET data_type = 'attributes'",
    );
    const issue = failed(await importFile({ name: "tom.gpkg", bytes }));
    expect(issue.code).toBe(GPKG_REASONS.noFeatureTables);
  });

  it("a GeoPackage cut off in the middle: one sentence, never a throw", async () => {
    const bytes = geoPackage({ ljus: LAMPS, vagar: PATHS });
    for (const length of [100, 1024, 4096, 8192, Math.floor(bytes.length / 2)]) {
      const result = await importFile({ name: "halv.gpkg", bytes: bytes.slice(0, length) });
      if (!result.ok) expectTranslatable([result.issue]);
      else expectTranslatable([...result.rejected, ...result.repaired]);
    }
  });
});

/** A GeoPackage geometry blob around `wkb`: little-endian header, no envelope. */
function blob(wkb: number[], flags = 0x01): Uint8Array {
  return new Uint8Array([0x47, 0x50, 0, flags, 0xe6, 0x10, 0, 0, ...wkb]);
}

function uint32(value: number, little = true): number[] {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, little);
  return [...bytes];
}

function float64(...values: number[]): number[] {
  const bytes = new Uint8Array(8 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => {
    view.setFloat64(8 * i, value, true);
  });
  return [...bytes];
}

function bigEndianFloat64(...values: number[]): number[] {
  const bytes = new Uint8Array(8 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => {
    view.setFloat64(8 * i, value, false);
  });
  return [...bytes];
}

describe("geometry blobs (GeoPackage header + WKB)", () => {
  const reader = new GeoPackageGeometryReader();
  const problem = (bytes: Uint8Array) => {
    try {
      reader.read(bytes);
    } catch (error) {
      return (error as { code: string }).code;
    }
    return "read";
  };

  it("reads little- and big-endian WKB, ISO Z/M codes and EWKB flags (Z and M dropped)", () => {
    expect(reader.read(blob([1, ...uint32(1), ...float64(18.0686, 59.3293)]))).toEqual({
      type: "Point",
      coordinates: [18.0686, 59.3293],
    });
    expect(reader.zmDropped).toBe(false);
    expect(
      reader.read(blob([0, ...uint32(1, false), ...bigEndianFloat64(18.0686, 59.3293)])),
    ).toEqual({
      type: "Point",
      coordinates: [18.0686, 59.3293],
    });
    // LineString ZM (ISO 3002): x y z m per position.
    const line = reader.read(
      blob([1, ...uint32(3002), ...uint32(2), ...float64(1, 2, 3, 4, 5, 6, 7, 8)]),
    );
    expect(line).toEqual({
      type: "LineString",
      coordinates: [
        [1, 2],
        [5, 6],
      ],
    });
    expect(reader.zmDropped).toBe(true);
    // Point Z with the EWKB high bit.
    expect(reader.read(blob([1, ...uint32(0x80000001), ...float64(1, 2, 3)]))).toEqual({
      type: "Point",
      coordinates: [1, 2],
    });
    expect(reader.zmDropped).toBe(true);
    // An xy envelope (flags: envelope 1, little-endian) is skipped.
    expect(
      reader.read(
        new Uint8Array([
          0x47,
          0x50,
          0,
          0x03,
          0xe6,
          0x10,
          0,
          0,
          ...float64(1, 1, 2, 2),
          1,
          ...uint32(1),
          ...float64(1, 2),
        ]),
      ),
    ).toEqual({ type: "Point", coordinates: [1, 2] });
  });

  it("rejects empty, curved, extended and damaged geometries with their reason", () => {
    expect(problem(blob([], 0x11))).toBe(GPKG_REASONS.emptyGeometry);
    expect(problem(blob([1, ...uint32(1), ...float64(Number.NaN, Number.NaN)]))).toBe(
      GPKG_REASONS.emptyGeometry,
    );
    expect(problem(blob([1, ...uint32(2), ...uint32(0)]))).toBe(GPKG_REASONS.emptyGeometry);
    expect(problem(blob([1, ...uint32(8), ...uint32(0)]))).toBe(GPKG_REASONS.unsupportedGeometry);
    expect(problem(blob([1, ...uint32(1), ...float64(1, 2)], 0x21))).toBe(
      GPKG_REASONS.unsupportedGeometry,
    );
    expect(problem(new Uint8Array([1, 1, 0, 0, 0, ...float64(1, 2)]))).toBe(
      GPKG_REASONS.geometryDamaged,
    );
    expect(problem(blob([1, ...uint32(1), ...float64(1)]))).toBe(GPKG_REASONS.geometryDamaged);
    // A count far beyond the bytes: refused before anything is allocated.
    expect(problem(blob([1, ...uint32(2), ...uint32(0xfffffff0)]))).toBe(
      GPKG_REASONS.geometryDamaged,
    );
    expect(problem(blob([1, ...uint32(99), ...float64(1, 2)]))).toBe(GPKG_REASONS.geometryDamaged);
    // A LineString inside a MultiPoint.
    expect(
      problem(
        blob([1, ...uint32(4), ...uint32(1), 1, ...uint32(2), ...uint32(1), ...float64(1, 2)]),
      ),
    ).toBe(GPKG_REASONS.geometryDamaged);
  });

  it("GeometryCollections nested too deep are refused", () => {
    let wkb = [1, ...uint32(1), ...float64(1, 2)];
    for (let i = 0; i < 20; i++) wkb = [1, ...uint32(7), ...uint32(1), ...wkb];
    expect(problem(blob(wkb))).toBe(GPKG_REASONS.geometryDamaged);
  });
});

describe("messages", () => {
  it("every reason code has Swedish and English text with the same placeholders", () => {
    for (const code of Object.values(GPKG_REASONS)) {
      const template = IMPORT_MESSAGES_FORMATS[code];
      expect(template, code).toBeDefined();
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(template!.sv), code).toEqual(names(template!.en));
    }
  });
});

describe("speed", () => {
  it("the 29,969 Montpellier lamps import in well under 2 s", async () => {
    const source = join(
      import.meta.dirname,
      "../../../../shared/data/lamps/montpellier_eclairage_public.geojson",
    );
    const out = join(work, "montpellier.gpkg");
    execFileSync("ogr2ogr", ["-f", "GPKG", "-nln", "lampor", out, source], { stdio: "pipe" });
    const bytes = new Uint8Array(readFileSync(out));
    await loadSqlJs(); // started once per app session; not part of an import
    const started = performance.now();
    const result = ok(await importGeoPackage({ name: "montpellier.gpkg", bytes }));
    const elapsedMs = performance.now() - started;
    console.log(`GeoPackage import: ${result.features.length} lamps in ${elapsedMs.toFixed(0)} ms`);
    expect(result.features).toHaveLength(29_969);
    expect(elapsedMs).toBeLessThan(2000);
  }, 30_000);
});

/** What every import must give: one translated sentence, or valid WGS 84 features. */
function expectSound(result: ImportResult, label: string) {
  const issues = result.ok ? [...result.rejected, ...result.repaired] : [result.issue];
  for (const issue of issues) {
    expect(issue.where, label).toBeTruthy();
    expect(issue.message, label).toBeTruthy();
  }
  expectTranslatable(issues);
  if (!result.ok) return;
  for (const feature of result.features) {
    for (const [x, y] of positionsOf(feature.geometry) as [number, number][]) {
      expect(x >= -180 && x <= 180 && y >= -90 && y <= 90, `${label}: [${x}, ${y}]`).toBe(true);
    }
  }
}

describe("seeded fuzz: mutated GeoPackages never crash the importer", () => {
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  it(`200 mutated files and geometry blobs (seed ${seed})`, async () => {
    const random = mulberry32(seed);
    const files = [
      geoPackage({ ljus: LAMPS, park: PARKS, vagar: PATHS }),
      geoPackage({ ljus: LAMPS, vagar: PATHS }, ["-t_srs", "EPSG:3006"]),
    ];
    // The file as a whole: SQLite's pages, the GeoPackage tables.
    for (let i = 0; i < 100; i += 1) {
      const bytes = mutate(files[i % files.length]!, random);
      const result = await importFile({ name: "fuzz.gpkg", bytes });
      expectSound(result, `seed ${seed}, file case ${i}`);
    }
    // The geometry blobs inside an intact file.
    const SQL = await loadSqlJs();
    for (let i = 0; i < 100; i += 1) {
      const database = new SQL.Database(files[i % files.length]!);
      dropRtreeTriggers(database);
      const table = i % 2 === 0 ? "ljus" : "vagar";
      const rows = database.exec(`SELECT fid, geom FROM ${table} WHERE geom IS NOT NULL`)[0]!
        .values;
      const update = database.prepare(`UPDATE ${table} SET geom = ? WHERE fid = ?`);
      for (const [fid, geom] of rows) {
        update.run([mutate(geom as Uint8Array, random), fid as number]);
      }
      update.free();
      const bytes = database.export();
      database.close();
      const result = await importFile({ name: "fuzz.gpkg", bytes });
      expectSound(result, `seed ${seed}, blob case ${i}`);
    }
  }, 120_000);
});
