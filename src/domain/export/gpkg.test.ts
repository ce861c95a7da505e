/**
 * The GeoPackage writer, read back with sql.js: the GeoPackage tables and pragmas, column
 * types, geometry blobs, names, the SWEREF 99 TM form, and the whole-project zip.
 * GDAL as a client and the round trip through Lykta's importer: test/unit/gdal.test.ts.
 */
import { unzipSync } from "fflate";
import type { Geometry, Position } from "geojson";
import type { Database, SqlValue } from "sql.js";
import { describe, expect, it } from "vitest";
import { GeoPackageGeometryReader, loadSqlJs } from "../import/gpkg";
import { exportFixture, LABELS, PHOTO_A, WINTER_INSTANT_MS } from "./export.fixtures";
import {
  type ExportFeature,
  observationFeatures,
  outputGeometry,
  WGS84_DECIMALS,
  walkFeatures,
} from "./geojson";
import { GPKG_APPLICATION_ID, GPKG_USER_VERSION, geoPackageGeometry } from "./gpkg";
import {
  chooseExportFormat,
  exportFeatures,
  exportProject,
  exportReady,
  prepareExport,
} from "./index";
import { SWEREF_DECIMALS, swerefOfExported } from "./sweref";

function observations(): ExportFeature[] {
  const fixture = exportFixture();
  return observationFeatures(fixture.observations, { ...LABELS, walks: fixture.walks });
}

async function open(bytes: Uint8Array): Promise<Database> {
  const SQL = await loadSqlJs();
  return new SQL.Database(bytes);
}

function rows(database: Database, sql: string): SqlValue[][] {
  return database.exec(sql)[0]?.values ?? [];
}

function declaredTypes(database: Database, table: string): Record<string, string> {
  return Object.fromEntries(
    rows(database, `PRAGMA table_info("${table}")`).map((row) => [row[1], row[2]]),
  ) as Record<string, string>;
}

describe("loading SQLite on demand", () => {
  it("a GeoPackage export before prepareExport is a programmer error with an exact message", async () => {
    expect(exportReady("geojson")).toBe(true);
    expect(exportReady("gpkg")).toBe(false);
    expect(() => exportFeatures([], { format: "gpkg", kind: "lamps" })).toThrow(
      "GeoPackage export needs SQLite, which loads on demand: await prepareExport(format) (or loadGeoPackageWriter()) first",
    );
    await prepareExport("gpkg");
    expect(exportReady("gpkg-sweref")).toBe(true);
  });
});

describe("the format rule", () => {
  it(".gpkg or --format gpkg writes a GeoPackage; the CRS picks the SWEREF 99 TM form", () => {
    expect(chooseExportFormat("ut.GPKG", undefined)).toEqual({ ok: true, format: "gpkg" });
    expect(chooseExportFormat("ut.gpkg", undefined, "EPSG:3006")).toEqual({
      ok: true,
      format: "gpkg-sweref",
    });
    expect(chooseExportFormat("ut.dat", "gpkg")).toEqual({ ok: true, format: "gpkg" });
  });
});

describe("a GeoPackage of one kind", () => {
  it("is a GeoPackage 1.2: application_id, user_version, the required tables and CRS rows", async () => {
    await prepareExport("gpkg");
    const file = exportFeatures(observations(), {
      format: "gpkg",
      kind: "observations",
      exportedAt: WINTER_INSTANT_MS,
    });
    expect(file.fileName).toBe("observations.gpkg");
    expect(file.mimeType).toBe("application/geopackage+sqlite3");
    expect(new TextDecoder().decode(file.bytes.subarray(0, 15))).toBe("SQLite format 3");
    const database = await open(file.bytes);
    expect(rows(database, "PRAGMA application_id")).toEqual([[GPKG_APPLICATION_ID]]);
    expect(rows(database, "PRAGMA user_version")).toEqual([[GPKG_USER_VERSION]]);
    expect(rows(database, "PRAGMA integrity_check")).toEqual([["ok"]]);
    expect(
      rows(
        database,
        "SELECT srs_id, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys ORDER BY srs_id",
      ),
    ).toEqual([
      [-1, "NONE", -1],
      [0, "NONE", 0],
      [3006, "EPSG", 3006],
      [4326, "EPSG", 4326],
    ]);
    const [contents] = rows(
      database,
      "SELECT table_name, data_type, identifier, last_change, srs_id, min_x, min_y, max_x, max_y FROM gpkg_contents",
    );
    expect(contents!.slice(0, 5)).toEqual([
      "observations",
      "features",
      "observations",
      "2026-11-24T17:03:12.345Z",
      4326,
    ]);
    const [minX, minY, maxX, maxY] = contents!.slice(5) as number[];
    expect(minX).toBeLessThan(maxX!);
    expect(minY).toBeLessThan(maxY!);
    expect(minX).toBeGreaterThan(15);
    expect(maxY).toBeLessThan(60);
    // Observations mix points, lines and polygons.
    expect(rows(database, "SELECT * FROM gpkg_geometry_columns")).toEqual([
      ["observations", "geom", "GEOMETRY", 4326, 0, 0],
    ]);
    database.close();
  });

  it("types columns so GIS shows integers, reals, dates, date-times and lists", async () => {
    await prepareExport("gpkg");
    const features = observations();
    const file = exportFeatures(features, { format: "gpkg", kind: "observations" });
    const database = await open(file.bytes);
    const types = declaredTypes(database, "observations");
    expect(types).toMatchObject({
      fid: "INTEGER",
      geom: "GEOMETRY",
      id: "TEXT",
      severity: "MEDIUMINT",
      illuminance_lux: "REAL",
      position_accuracy_m: "REAL",
      photo_count: "MEDIUMINT",
      observed_at: "DATETIME",
      walk_date: "DATE",
      felt_unsafe: "TEXT",
      photo_files: "TEXT",
      note: "TEXT",
    });
    // The column order is the properties' order.
    expect(Object.keys(types)).toEqual(["fid", "geom", ...Object.keys(features[0]!.properties)]);
    expect(
      rows(database, "SELECT column_name, mime_type FROM gpkg_data_columns ORDER BY column_name"),
    ).toEqual([
      ["felt_unsafe", "application/json"],
      ["felt_unsafe_label_sv", "application/json"],
      ["photo_files", "application/json"],
    ]);
    const [first] = rows(
      database,
      "SELECT fid, observed_at, felt_unsafe, photo_files FROM observations ORDER BY fid LIMIT 1",
    );
    expect(first![0]).toBe(1);
    // DATETIME in UTC, as the GeoPackage spec requires.
    expect(first![1]).toBe(
      new Date(Date.parse(features[0]!.properties.observed_at as string)).toISOString(),
    );
    expect(JSON.parse(first![2] as string)).toEqual(features[0]!.properties.felt_unsafe);
    database.close();
  });

  it("writes the GeoPackage geometry header, the envelope and WKB of the exported coordinates", async () => {
    await prepareExport("gpkg");
    const features = observations();
    const database = await open(
      exportFeatures(features, { format: "gpkg", kind: "observations" }).bytes,
    );
    const reader = new GeoPackageGeometryReader();
    const blobs = rows(database, "SELECT geom FROM observations ORDER BY fid").map(
      (row) => row[0] as Uint8Array | null,
    );
    expect(blobs).toHaveLength(features.length);
    for (const [index, blob] of blobs.entries()) {
      const expected = outputGeometry(features[index]!.geometry, WGS84_DECIMALS);
      if (expected === null) {
        expect(blob).toBeNull();
        continue;
      }
      expect([...blob!.subarray(0, 3)]).toEqual([0x47, 0x50, 0]);
      const view = new DataView(blob!.buffer, blob!.byteOffset);
      expect(view.getInt32(4, true)).toBe(4326);
      const flags = blob![3]!;
      expect(flags & 1).toBe(1); // little-endian
      if (expected.type === "Point") expect(flags).toBe(0x01);
      else {
        expect(flags).toBe(0x03);
        const positions = JSON.stringify(expected)
          .match(/-?\d+\.?\d*(?:e-?\d+)?/g)!
          .map(Number);
        const xs = positions.filter((_, i) => i % 2 === 0);
        const ys = positions.filter((_, i) => i % 2 === 1);
        expect([
          view.getFloat64(8, true),
          view.getFloat64(16, true),
          view.getFloat64(24, true),
          view.getFloat64(32, true),
        ]).toEqual([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]);
      }
      expect(reader.read(blob!)).toEqual(expected);
    }
    database.close();
  });

  it("SWEREF 99 TM: srs_id 3006 and the coordinates the SWEREF exports write", async () => {
    await prepareExport("gpkg-sweref");
    const fixture = exportFixture();
    const features = walkFeatures(fixture.walks, { ...LABELS, observations: fixture.observations });
    const file = exportFeatures(features, { format: "gpkg-sweref", kind: "walks" });
    expect(file.fileName).toBe("walks-sweref99tm.gpkg");
    const database = await open(file.bytes);
    expect(rows(database, "SELECT srs_id FROM gpkg_contents")).toEqual([[3006]]);
    expect(rows(database, "SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns")).toEqual([
      ["POLYGON", 3006],
    ]);
    const reader = new GeoPackageGeometryReader();
    const blobs = rows(database, "SELECT geom FROM walks ORDER BY fid").map((row) => row[0]);
    for (const [index, blob] of blobs.entries()) {
      const expected = outputGeometry(features[index]!.geometry, SWEREF_DECIMALS, swerefOfExported);
      if (expected === null) expect(blob).toBeNull();
      else {
        expect(new DataView((blob as Uint8Array).buffer).getInt32(4, true)).toBe(3006);
        expect(reader.read(blob as Uint8Array)).toEqual(expected);
      }
    }
    database.close();
  });

  it("column names unique in SQLite's case-insensitive way; feature ids without an id property kept", async () => {
    await prepareExport("gpkg");
    const point: Geometry = { type: "Point", coordinates: [18.0686, 59.3293] };
    const features: ExportFeature[] = [
      {
        id: "a-1",
        geometry: point,
        properties: { Namn: "Å", namn: "ä", fid: 7, geom: "x", "": 1 },
      },
      { id: 2, geometry: point, properties: { Namn: "Ö", dag: "2026-02-30", tal: 1.5 } },
    ];
    const database = await open(
      exportFeatures(features, { format: "gpkg", kind: "features", layerName: "gpkg_punkter" })
        .bytes,
    );
    expect(rows(database, "SELECT table_name FROM gpkg_contents")).toEqual([
      ["layer_gpkg_punkter"],
    ]);
    expect(declaredTypes(database, "layer_gpkg_punkter")).toEqual({
      fid: "INTEGER",
      geom: "POINT",
      id: "TEXT",
      Namn: "TEXT",
      namn_2: "TEXT",
      fid_2: "MEDIUMINT",
      geom_2: "TEXT",
      field: "MEDIUMINT",
      // Not a real date: text.
      dag: "TEXT",
      tal: "REAL",
    });
    expect(
      rows(database, "SELECT id, Namn, namn_2, fid_2 FROM layer_gpkg_punkter ORDER BY fid"),
    ).toEqual([
      ["a-1", "Å", "ä", 7],
      ["2", "Ö", null, null],
    ]);
    database.close();
  });

  it("a geometry whose positions are all gone is stored with the empty flag", () => {
    const { blob, extent } = geoPackageGeometry({ type: "MultiPoint", coordinates: [] }, 4326);
    expect(extent).toBeNull();
    expect(blob[3]).toBe(0x11);
  });
});

describe("a whole project as GeoPackage", () => {
  it("one zip: one .gpkg with a table per kind, the photos and ATTRIBUTION.txt", async () => {
    await prepareExport("gpkg");
    const fixture = exportFixture();
    const photos = new Map([[PHOTO_A, new Uint8Array([0xff, 0xd8, 0xff, 0xd9])]]);
    const zip = exportProject({ ...fixture, photos }, LABELS, {
      format: "gpkg",
      exportedAt: WINTER_INSTANT_MS,
    });
    expect(zip.fileName).toBe("Lykta Vivalla 2027 2026-11-24.zip");
    expect(zip.mimeType).toBe("application/zip");
    const files = unzipSync(zip.bytes);
    expect(Object.keys(files).sort()).toEqual([
      "ATTRIBUTION.txt",
      "Lykta Vivalla 2027 2026-11-24.gpkg",
      `photos/${PHOTO_A}.jpg`,
    ]);
    const database = await open(files["Lykta Vivalla 2027 2026-11-24.gpkg"]!);
    expect(
      rows(database, "SELECT table_name, description FROM gpkg_contents ORDER BY rowid"),
    ).toEqual([
      ["observations", ""],
      ["walks", ""],
      ["tracks", ""],
      ["paths", "Örebro kommun"],
      ["lamps", ""],
    ]);
    expect(rows(database, "SELECT count(*) FROM observations")).toEqual([[observations().length]]);
    database.close();
  });

  it("SWEREF 99 TM: the .gpkg inside is named -sweref99tm.gpkg and every table is EPSG:3006", async () => {
    await prepareExport("gpkg-sweref");
    const zip = exportProject(exportFixture(), LABELS, { format: "gpkg-sweref" });
    const files = unzipSync(zip.bytes);
    const name = Object.keys(files).find((file) => file.endsWith(".gpkg"))!;
    expect(name).toBe("Lykta Vivalla 2027-sweref99tm.gpkg");
    const database = await open(files[name]!);
    expect(rows(database, "SELECT DISTINCT srs_id FROM gpkg_geometry_columns")).toEqual([[3006]]);
    database.close();
  });
});

// Positions of a polygon export are rewound to the right-hand rule like GeoJSON's.
describe("winding", () => {
  it("exterior rings counter-clockwise, as in the GeoJSON export", async () => {
    await prepareExport("gpkg");
    const fixture = exportFixture();
    const walks = walkFeatures(fixture.walks, { ...LABELS, observations: fixture.observations });
    const database = await open(exportFeatures(walks, { format: "gpkg", kind: "walks" }).bytes);
    const reader = new GeoPackageGeometryReader();
    for (const [blob] of rows(database, "SELECT geom FROM walks WHERE geom IS NOT NULL")) {
      const polygon = reader.read(blob as Uint8Array) as { coordinates: Position[][] };
      const ring = polygon.coordinates[0]!;
      let area = 0;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        area += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
      }
      expect(area).toBeGreaterThan(0);
    }
    database.close();
  });
});
