/**
 * GDAL as a real client of every export (issue 3): `ogrinfo` opens each format Lykta writes
 * and reports the expected feature count, fields and CRS; `ogr2ogr -t_srs EPSG:3006` of the
 * WGS84 export agrees with Lykta's own SWEREF 99 TM export within 1 cm per vertex.
 * GeoPackages also pass GDAL's validate_gpkg.py (python3-gdal, a dependency of gdal-bin)
 * with its extra checks and warnings as errors, and come back identical through Lykta's
 * importer. And the `lykta` command, built with vite.cli.config.ts and run as a user runs it.
 *
 * Needs gdal-bin (scripts/setup-test-deps.sh installs it).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import type { FeatureCollection, Geometry, Position } from "geojson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { exportFixture, LABELS } from "../../src/domain/export/export.fixtures";
import {
  type ExportFeature,
  type ExportKind,
  layerFeatures,
  observationFeatures,
  trackFeatures,
  walkFeatures,
} from "../../src/domain/export/geojson";
import {
  type ExportFormat,
  exportFeatures,
  exportProject,
  prepareExport,
} from "../../src/domain/export/index";
import { importFile } from "../../src/domain/import/index";

// Every test here starts GDAL, SpatiaLite or the built CLI as a process: on a loaded CI
// machine one can take longer than vitest's default 5 s.
vi.setConfig({ testTimeout: 60_000 });

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist-cli/lykta.js");
const BERLIN_OSM = join(ROOT, "../shared/data/osm/berlin_siegessaeule.osm.gz");

let dir: string;

function run(command: string, args: string[], cwd = dir) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function gdal(command: string, args: string[]): string {
  const result = run(command, args);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout;
}

interface LayerSummary {
  name: string;
  featureCount: number;
  geometry: string;
  srs: string;
  fields: Map<string, string>;
}

/** Parse `ogrinfo -ro -al -so` output (one layer, or the named layer of a GeoPackage). */
function ogrinfoSummary(path: string, extra: string[] = [], layer?: string): LayerSummary {
  const text = gdal(
    "ogrinfo",
    layer === undefined
      ? ["-ro", "-al", "-so", ...extra, path]
      : ["-ro", "-so", ...extra, path, layer],
  );
  const line = (label: string) => new RegExp(`^${label}: (.*)$`, "m").exec(text)?.[1] ?? "";
  const fields = new Map<string, string>();
  const afterSrs = text.split(/^Data axis to CRS axis mapping:.*$|^Layer SRS WKT:\n\(unknown\)$/m);
  for (const fieldLine of (afterSrs[afterSrs.length - 1] ?? "").split("\n")) {
    // "name: Integer (0.0)", "photo_files: String(JSON) (0.0)"
    const match = /^(\S.*): (\w+(?:\(\w+\))?) \(\d+\.\d+\)$/.exec(fieldLine);
    if (match) fields.set(match[1]!, match[2]!);
  }
  return {
    name: line("Layer name"),
    featureCount: Number(line("Feature Count")),
    geometry: line("Geometry"),
    srs: text,
    fields,
  };
}

function fixtureKinds(): Map<ExportKind, ExportFeature[]> {
  const fixture = exportFixture();
  const kinds = new Map<ExportKind, ExportFeature[]>();
  kinds.set(
    "observations",
    observationFeatures(fixture.observations, { ...LABELS, walks: fixture.walks }),
  );
  kinds.set(
    "walks",
    walkFeatures(fixture.walks, { ...LABELS, observations: fixture.observations }),
  );
  kinds.set("tracks", trackFeatures(fixture.tracks, fixture.trackChunks, { walks: fixture.walks }));
  for (const layer of fixture.layers) {
    const role = layer.record.fields.role as "paths" | "lamps";
    kinds.set(
      role,
      layerFeatures(
        { role, name: layer.record.fields.name, features: layer.features },
        LABELS.pathClasses,
      ),
    );
  }
  return kinds;
}

function columnsOf(features: readonly ExportFeature[]): string[] {
  return [...new Set(features.flatMap((feature) => Object.keys(feature.properties)))];
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

function readCollection(path: string): FeatureCollection {
  return JSON.parse(readFileSync(path, "utf8")) as FeatureCollection;
}

/** Largest per-vertex distance in metres between two collections of the same features. */
function maxVertexDistanceM(
  a: FeatureCollection,
  b: FeatureCollection,
): { max: number; vertices: number } {
  expect(b.features.length).toBe(a.features.length);
  let max = 0;
  let vertices = 0;
  a.features.forEach((feature, index) => {
    const left = positionsOf(feature.geometry);
    const right = positionsOf(b.features[index]!.geometry);
    expect(right.length).toBe(left.length);
    left.forEach((position, i) => {
      const other = right[i]!;
      max = Math.max(max, Math.hypot(position[0]! - other[0]!, position[1]! - other[1]!));
      vertices += 1;
    });
  });
  return { max, vertices };
}

const report: string[] = [];

const VALIDATE_GPKG = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";

/** GDAL's GeoPackage validator (python3-gdal), extra checks on, warnings as errors. */
function validateGpkg(path: string): void {
  if (!existsSync(VALIDATE_GPKG))
    throw new Error(`${VALIDATE_GPKG} not found: install python3-gdal`);
  const result = run("python3", [VALIDATE_GPKG, "--extra", "--warning-as-error", path]);
  expect(result.status, `${path}: ${result.stderr}`).toBe(0);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lykta-gdal-"));
  const version = spawnSync("ogrinfo", ["--version"], { encoding: "utf8" });
  if (version.error) {
    throw new Error("ogrinfo not found: install gdal-bin (scripts/setup-test-deps.sh does)");
  }
  report.push(version.stdout.trim());
  // Build the CLI as `npm ci` (the prepare script) does.
  const build = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", "vite.cli.config.ts"],
    { cwd: ROOT, encoding: "utf8", timeout: 120_000 },
  );
  if (build.status !== 0) throw new Error(`CLI build failed: ${build.stderr}`);
}, 150_000);

afterAll(() => {
  console.log(`GDAL checks:\n  ${report.join("\n  ")}`);
  rmSync(dir, { recursive: true, force: true });
});

describe("GDAL reads every export", () => {
  const FORMATS: ExportFormat[] = ["geojson", "geojson-sweref", "csv", "csv-sweref"];

  it("ogrinfo: expected feature count, fields and CRS for every kind and format", () => {
    for (const [kind, features] of fixtureKinds()) {
      for (const format of FORMATS) {
        const file = exportFeatures(features, { format, kind });
        const path = join(dir, file.fileName);
        writeFileSync(path, file.bytes);
        const summary = ogrinfoSummary(path);
        const where = `${file.fileName}`;
        expect(summary.featureCount, where).toBe(features.length);
        const columns = columnsOf(features);
        if (format.startsWith("csv")) {
          const geometryColumns = format === "csv" ? ["lon", "lat", "wkt"] : ["e", "n", "wkt"];
          expect([...summary.fields.keys()], where).toEqual([...columns, ...geometryColumns]);
          // GDAL takes the geometry from the column named WKT.
          expect(summary.srs, where).toMatch(/^Extent: \(/m);
        } else {
          expect(summary.name, where).toBe(kind);
          expect([...summary.fields.keys()].sort(), where).toEqual([...columns].sort());
          if (format === "geojson") expect(summary.srs, where).toContain('ID["EPSG",4326]');
          else {
            expect(summary.srs, where).toContain('PROJCRS["SWEREF99 TM"');
            expect(summary.srs, where).toContain('ID["EPSG",3006]');
          }
        }
        report.push(`${where}: ${summary.featureCount} features, ${summary.fields.size} fields`);
      }
    }
  });

  it("ogrinfo: GeoJSON attributes get the types QGIS shows (integer, real, list, date-time)", () => {
    const features = fixtureKinds().get("observations")!;
    const file = exportFeatures(features, { format: "geojson", kind: "observations" });
    const path = join(dir, "typed.geojson");
    writeFileSync(path, file.bytes);
    const fields = ogrinfoSummary(path).fields;
    expect(fields.get("id")).toBe("String");
    expect(fields.get("severity")).toBe("Integer");
    expect(fields.get("illuminance_lux")).toBe("Real");
    expect(fields.get("felt_unsafe")).toBe("StringList");
    // GDAL 3.6 types a list column as JSON text when its first value is an empty list
    // (the first observation here has no photos); the values are still the JSON arrays.
    expect(fields.get("photo_files")).toMatch(/^(StringList|String\(JSON\))$/);
    expect(fields.get("observed_at")).toBe("DateTime");
    expect(fields.get("walk_date")).toBe("Date");
    const full = gdal("ogrinfo", ["-ro", "-al", path]);
    expect(full).toContain("walk_name (String) = Vivalla kväll – åäö");
  });

  it("ogrinfo opens every file of a whole-project zip", () => {
    const fixture = exportFixture();
    const zip = exportProject(fixture, LABELS, { format: "geojson" });
    const path = join(dir, "project.zip");
    writeFileSync(path, zip.bytes);
    const kinds = fixtureKinds();
    for (const [kind, features] of kinds) {
      const summary = ogrinfoSummary(`/vsizip/${path}/${kind}.geojson`);
      expect(summary.featureCount, kind).toBe(features.length);
    }
  });

  it("ogr2ogr -t_srs EPSG:3006 of the WGS84 export agrees with the SWEREF export within 0.01 m", () => {
    const kinds = fixtureKinds();
    const osm = run(
      process.execPath,
      [CLI, "import-osm", BERLIN_OSM, "-o", join(dir, "osm-wgs84")],
      ROOT,
    );
    const osmSweref = run(
      process.execPath,
      [CLI, "import-osm", BERLIN_OSM, "-o", join(dir, "osm-sweref"), "--crs", "EPSG:3006"],
      ROOT,
    );
    // Berlin is outside Sweden, but SWEREF 99 TM is defined there: a good test of the maths.
    const pairs: [string, string][] = [];
    if (osm.status === 0 && osmSweref.status === 0) {
      pairs.push([join(dir, "osm-wgs84/paths.geojson"), join(dir, "osm-sweref/paths.geojson")]);
      pairs.push([join(dir, "osm-wgs84/lamps.geojson"), join(dir, "osm-sweref/lamps.geojson")]);
    }
    for (const [kind, features] of kinds) {
      const wgs84 = exportFeatures(features, { format: "geojson", kind });
      const sweref = exportFeatures(features, { format: "geojson-sweref", kind });
      const wgs84Path = join(dir, `rp-${wgs84.fileName}`);
      const swerefPath = join(dir, `rp-${sweref.fileName}`);
      writeFileSync(wgs84Path, wgs84.bytes);
      writeFileSync(swerefPath, sweref.bytes);
      pairs.push([wgs84Path, swerefPath]);
    }
    let overall = 0;
    let vertices = 0;
    for (const [wgs84Path, swerefPath] of pairs) {
      const reprojected = `${wgs84Path}.ogr2ogr-3006.geojson`;
      gdal("ogr2ogr", ["-f", "GeoJSON", "-t_srs", "EPSG:3006", reprojected, wgs84Path]);
      const result = maxVertexDistanceM(readCollection(swerefPath), readCollection(reprojected));
      expect(result.max, swerefPath).toBeLessThanOrEqual(0.01);
      overall = Math.max(overall, result.max);
      vertices += result.vertices;
    }
    expect(pairs.length).toBe(kinds.size + 2);
    report.push(
      `ogr2ogr -t_srs EPSG:3006 vs Lykta SWEREF export: ${vertices} vertices, max ${overall.toFixed(4)} m`,
    );
  });
});

describe("GDAL reads every GeoPackage export", () => {
  const FORMATS: ExportFormat[] = ["gpkg", "gpkg-sweref"];

  it("ogrinfo: layer, feature count, fields with their types, CRS; validate_gpkg.py passes", async () => {
    await prepareExport("gpkg");
    for (const [kind, features] of fixtureKinds()) {
      for (const format of FORMATS) {
        const file = exportFeatures(features, { format, kind });
        const path = join(dir, file.fileName);
        writeFileSync(path, file.bytes);
        const ogrinfo = run("ogrinfo", ["-ro", "-al", "-so", path]);
        // No "non-conformant content" or other warning.
        expect(ogrinfo.stderr, file.fileName).toBe("");
        const summary = ogrinfoSummary(path);
        expect(summary.name, file.fileName).toBe(kind);
        expect(summary.featureCount, file.fileName).toBe(features.length);
        expect([...summary.fields.keys()], file.fileName).toEqual(columnsOf(features));
        if (format === "gpkg") expect(summary.srs, file.fileName).toContain('ID["EPSG",4326]');
        else {
          expect(summary.srs, file.fileName).toContain('PROJCRS["SWEREF99 TM"');
          expect(summary.srs, file.fileName).toContain('ID["EPSG",3006]');
        }
        validateGpkg(path);
        report.push(
          `${file.fileName}: ${summary.featureCount} features, ${summary.fields.size} fields, ${summary.geometry}`,
        );
      }
    }
    const observations = ogrinfoSummary(join(dir, "observations.gpkg")).fields;
    expect(Object.fromEntries(observations)).toMatchObject({
      id: "String",
      severity: "Integer",
      illuminance_lux: "Real",
      felt_unsafe: "String(JSON)",
      photo_files: "String(JSON)",
      observed_at: "DateTime",
      walk_date: "Date",
      photo_count: "Integer",
      length_m: "Real",
    });
    const full = gdal("ogrinfo", ["-ro", "-al", join(dir, "observations.gpkg")]);
    expect(full).toContain("walk_name (String) = Vivalla kväll – åäö");
    expect(Object.fromEntries(ogrinfoSummary(join(dir, "walks.gpkg")).fields)).toMatchObject({
      participants_total: "Integer",
      area_m2: "Real",
      date: "Date",
    });
    expect(ogrinfoSummary(join(dir, "tracks.gpkg")).geometry).toBe("Line String");
  }, 60_000);

  it("ogrinfo opens every table of a whole-project GeoPackage inside the zip", async () => {
    await prepareExport("gpkg");
    const zip = exportProject(exportFixture(), LABELS, { format: "gpkg" });
    const path = join(dir, "project-gpkg.zip");
    writeFileSync(path, zip.bytes);
    const inner = Object.keys(unzipSync(zip.bytes)).find((name) => name.endsWith(".gpkg"))!;
    for (const [kind, features] of fixtureKinds()) {
      const summary = ogrinfoSummary(`/vsizip/${path}/${inner}`, [], kind);
      expect(summary.name, kind).toBe(kind);
      expect(summary.featureCount, kind).toBe(features.length);
    }
    const unpacked = join(dir, "project.gpkg");
    writeFileSync(unpacked, unzipSync(zip.bytes)[inner]!);
    validateGpkg(unpacked);
  }, 60_000);

  it("ogr2ogr -t_srs EPSG:3006 of the WGS84 GeoPackage agrees with the SWEREF GeoPackage within 0.01 m", async () => {
    await prepareExport("gpkg");
    let overall = 0;
    let vertices = 0;
    const pairs: [string, string][] = [];
    // Berlin's OSM paths and lamps, through the CLI (SWEREF 99 TM is defined there too).
    const osm = (out: string, ...extra: string[]) =>
      run(
        process.execPath,
        [CLI, "import-osm", BERLIN_OSM, "-o", join(dir, out), "--format", "gpkg", ...extra],
        ROOT,
      );
    expect(osm("osm-gpkg-wgs84").status).toBe(0);
    expect(osm("osm-gpkg-sweref", "--crs", "EPSG:3006").status).toBe(0);
    for (const role of ["paths", "lamps"]) {
      pairs.push([
        join(dir, `osm-gpkg-wgs84/${role}.gpkg`),
        join(dir, `osm-gpkg-sweref/${role}.gpkg`),
      ]);
    }
    for (const [kind, features] of fixtureKinds()) {
      const wgs84 = exportFeatures(features, { format: "gpkg", kind });
      const sweref = exportFeatures(features, { format: "gpkg-sweref", kind });
      const wgs84Path = join(dir, `rp-${wgs84.fileName}`);
      const swerefPath = join(dir, `rp-${sweref.fileName}`);
      writeFileSync(wgs84Path, wgs84.bytes);
      writeFileSync(swerefPath, sweref.bytes);
      pairs.push([wgs84Path, swerefPath]);
    }
    for (const [wgs84Path, swerefPath] of pairs) {
      const reprojected = `${wgs84Path}.3006.geojson`;
      const swerefJson = `${swerefPath}.geojson`;
      gdal("ogr2ogr", ["-f", "GeoJSON", "-t_srs", "EPSG:3006", reprojected, wgs84Path]);
      gdal("ogr2ogr", ["-f", "GeoJSON", swerefJson, swerefPath]);
      const result = maxVertexDistanceM(readCollection(swerefJson), readCollection(reprojected));
      expect(result.max, swerefPath).toBeLessThanOrEqual(0.01);
      overall = Math.max(overall, result.max);
      vertices += result.vertices;
    }
    report.push(
      `ogr2ogr -t_srs EPSG:3006 of the WGS84 GeoPackage vs Lykta's SWEREF GeoPackage: ${vertices} vertices, max ${overall.toFixed(4)} m`,
    );
  }, 60_000);

  it("round trip: export, then Lykta's importFile, gives identical attributes and geometry (1e-7°)", async () => {
    await prepareExport("gpkg");
    for (const [kind, features] of fixtureKinds()) {
      for (const format of ["gpkg", "gpkg-sweref"] as const) {
        const file = exportFeatures(features, { format, kind });
        const result = await importFile({ name: file.fileName, bytes: file.bytes });
        if (!result.ok) throw new Error(`${kind}: ${result.issue.message}`);
        expect(result.rejected, kind).toEqual([]);
        expect(result.repaired, kind).toEqual([]);
        const located = features.filter((feature) => feature.geometry !== null);
        expect(result.features, kind).toHaveLength(located.length);
        // The GeoJSON export's view of the same features: properties as JSON has them.
        const expected = JSON.parse(
          new TextDecoder().decode(exportFeatures(located, { format: "geojson", kind }).bytes),
        ) as FeatureCollection;
        // SWEREF 99 TM: 1 cm in the export; back in degrees that is within about 1.5e-7°.
        const limit = format === "gpkg" ? 1e-7 + 1e-12 : 2e-7;
        expected.features.forEach((feature, index) => {
          const back = result.features[index]!;
          expect(back.properties, `${kind} ${index}`).toEqual(feature.properties);
          expect(back.geometry.type).toBe(feature.geometry!.type);
          const before = positionsOf(feature.geometry);
          const after = positionsOf(back.geometry);
          expect(after).toHaveLength(before.length);
          before.forEach((position, i) => {
            expect(Math.abs(position[0]! - after[i]![0]!)).toBeLessThanOrEqual(limit);
            expect(Math.abs(position[1]! - after[i]![1]!)).toBeLessThanOrEqual(limit);
          });
        });
      }
    }
  });
});

describe("the lykta command (dist-cli/lykta.js)", () => {
  const lykta = (...args: string[]) => run(process.execPath, [CLI, ...args]);

  it("--help exits 0; usage mistakes exit 2 with one clear line and no stack trace", () => {
    const help = lykta("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("lykta convert IN -o OUT");
    for (const args of [
      [],
      ["frobnicate"],
      ["convert", "a.geojson"],
      ["convert", "--bogus"],
      ["validate"],
      ["convert", "a.geojson", "-o", "b.txt"],
      ["convert", "a.geojson", "-o", "b.geojson", "--crs", "EPSG:2154"],
    ]) {
      const result = lykta(...args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(/^lykta: .+/);
      expect(result.stderr, args.join(" ")).not.toMatch(/\n\s+at /);
    }
  });

  it("convert x.geojson -o y.gpkg writes a GeoPackage GDAL reads; lykta validate y.gpkg exits 0", () => {
    const lamps = fixtureKinds().get("lamps")!;
    writeFileSync(
      join(dir, "in.geojson"),
      exportFeatures(lamps, { format: "geojson", kind: "lamps" }).bytes,
    );
    const toGpkg = lykta("convert", "in.geojson", "-o", "belysning.gpkg");
    expect(toGpkg.status, toGpkg.stderr).toBe(0);
    expect(toGpkg.stderr).toContain("(GeoPackage, WGS84; read as geojson, EPSG:4326)");
    const summary = ogrinfoSummary(join(dir, "belysning.gpkg"));
    expect(summary.name).toBe("belysning");
    expect(summary.featureCount).toBe(lamps.length);
    expect(summary.srs).toContain('ID["EPSG",4326]');
    expect([...summary.fields.keys()]).toEqual(columnsOf(lamps));
    validateGpkg(join(dir, "belysning.gpkg"));

    const valid = lykta("validate", "belysning.gpkg");
    expect(valid.status, valid.stderr).toBe(0);
    expect(valid.stdout).toBe("");
    expect(valid.stderr).toContain(
      `belysning.gpkg: ${lamps.length} valid, 0 rejected, 0 repaired (gpkg, EPSG:4326)`,
    );

    // --format names it; --crs EPSG:3006 writes SWEREF 99 TM; back again to GeoJSON.
    const sweref = lykta(
      "convert",
      "in.geojson",
      "-o",
      "b.dat",
      "--format",
      "gpkg",
      "--crs",
      "EPSG:3006",
    );
    expect(sweref.status, sweref.stderr).toBe(0);
    expect(ogrinfoSummary(join(dir, "b.dat")).srs).toContain('ID["EPSG",3006]');
    const back = lykta("convert", "belysning.gpkg", "-o", "belysning-back.geojson");
    expect(back.status, back.stderr).toBe(0);
    expect(
      readCollection(join(dir, "belysning-back.geojson")).features.map((f) => f.properties),
    ).toEqual(readCollection(join(dir, "in.geojson")).features.map((f) => f.properties));

    // import-osm --format gpkg: DIR/paths.gpkg and DIR/lamps.gpkg.
    const osm = lykta("import-osm", BERLIN_OSM, "-o", join(dir, "osm-gpkg"), "--format", "gpkg");
    expect(osm.status, osm.stderr).toBe(0);
    expect(ogrinfoSummary(join(dir, "osm-gpkg/lamps.gpkg")).featureCount).toBe(47);
  }, 60_000);

  it("validate: 0 for valid files, 1 with `file: features[N]: reason` lines, 2 for an unreadable file", () => {
    const good = join(dir, "good.geojson");
    writeFileSync(
      good,
      exportFeatures(fixtureKinds().get("observations")!, {
        format: "geojson",
        kind: "observations",
      }).bytes,
    );
    const ok = lykta("validate", good);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe("");

    const bad = {
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          properties: { name: "ok" },
          geometry: { type: "Point", coordinates: [18.07, 59.33] },
        },
        {
          type: "Feature",
          properties: { name: "open ring" },
          geometry: {
            type: "Polygon",
            coordinates: [
              [
                [18.07, 59.33],
                [18.08, 59.33],
                [18.08, 59.34],
                [18.07, 59.34],
              ],
            ],
          },
        },
        { type: "Feature", properties: {}, geometry: { type: "Point", coordinates: ["x", 59.33] } },
      ],
    };
    writeFileSync(join(dir, "bad.geojson"), JSON.stringify(bad));
    const invalid = lykta("validate", "good.geojson", "bad.geojson");
    expect(invalid.status).toBe(1);
    const lines = invalid.stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).toMatch(/^bad\.geojson: features\[\d+\]: \S.*$/);
    expect(lines.some((line) => line.startsWith("bad.geojson: features[1]: "))).toBe(true);
    expect(lines.some((line) => line.startsWith("bad.geojson: features[2]: "))).toBe(true);
    report.push(`lykta validate bad.geojson:\n    ${lines.join("\n    ")}`);

    const missing = lykta("validate", "good.geojson", "no-such-file.geojson");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(
      "lykta: cannot read no-such-file.geojson: no such file or folder",
    );

    writeFileSync(join(dir, "notes.txt"), "");
    const empty = lykta("validate", "notes.txt");
    expect(empty.status).toBe(1);
    expect(empty.stdout).toMatch(/^notes\.txt: /);
  });

  it("convert: the format follows OUT's extension; --crs EPSG:3006 writes SWEREF 99 TM that GDAL reads", () => {
    const lamps = fixtureKinds().get("lamps")!;
    writeFileSync(
      join(dir, "lamps-in.geojson"),
      exportFeatures(lamps, { format: "geojson", kind: "lamps" }).bytes,
    );
    const toCsv = lykta("convert", "lamps-in.geojson", "-o", "lamps-out.csv");
    expect(toCsv.status, toCsv.stderr).toBe(0);
    expect(readFileSync(join(dir, "lamps-out.csv"), "utf8")).toContain(",lon,lat,wkt");
    expect(ogrinfoSummary(join(dir, "lamps-out.csv")).featureCount).toBe(lamps.length);

    const toSweref = lykta(
      "convert",
      "lamps-in.geojson",
      "-o",
      "lamps-3006.json",
      "--crs",
      "EPSG:3006",
    );
    expect(toSweref.status, toSweref.stderr).toBe(0);
    const summary = ogrinfoSummary(join(dir, "lamps-3006.json"));
    expect(summary.srs).toContain('ID["EPSG",3006]');
    expect(summary.featureCount).toBe(lamps.length);

    const named = lykta("convert", "lamps-in.geojson", "-o", "lamps.txt", "--format", "csv");
    expect(named.status, named.stderr).toBe(0);
    expect(readFileSync(join(dir, "lamps.txt"), "utf8")).toContain(",lon,lat,wkt");

    // Back from SWEREF, naming nothing: the crs member says it.
    const back = lykta("convert", "lamps-3006.json", "-o", "lamps-back.geojson");
    expect(back.status, back.stderr).toBe(0);
    const original = readCollection(join(dir, "lamps-in.geojson"));
    const roundTripped = readCollection(join(dir, "lamps-back.geojson"));
    expect(roundTripped.features.map((feature) => feature.properties)).toEqual(
      original.features.map((feature) => feature.properties),
    );
  });

  it("import-osm writes DIR/paths.geojson and DIR/lamps.geojson with normalised fields", () => {
    const out = join(dir, "berlin");
    mkdirSync(out, { recursive: true });
    const result = lykta("import-osm", BERLIN_OSM, "-o", out);
    expect(result.status, result.stderr).toBe(0);
    const paths = ogrinfoSummary(join(out, "paths.geojson"));
    const lamps = ogrinfoSummary(join(out, "lamps.geojson"));
    expect(paths.featureCount).toBeGreaterThanOrEqual(140);
    expect(paths.featureCount).toBeLessThanOrEqual(150);
    expect(lamps.featureCount).toBe(47);
    for (const field of [
      "id",
      "path_class",
      "path_class_label_sv",
      "lit",
      "name",
      "length_m",
      "source_highway",
      "source_lit",
    ]) {
      expect(paths.fields.has(field), field).toBe(true);
    }
    for (const field of [
      "id",
      "pole_height_m",
      "luminous_flux_lm",
      "power_w",
      "status",
      "ref",
      "source_highway",
    ]) {
      expect(lamps.fields.has(field), field).toBe(true);
    }
    const collection = readCollection(join(out, "paths.geojson"));
    const lit = collection.features.filter((feature) => feature.properties?.lit === "yes").length;
    expect(lit).toBe(42);
    expect((collection as unknown as { lykta: { attribution: string } }).lykta.attribution).toBe(
      "© OpenStreetMap contributors",
    );
    report.push(
      `import-osm berlin: ${paths.featureCount} paths (${lit} lit), ${lamps.featureCount} lamps`,
    );

    writeFileSync(
      join(dir, "points.geojson"),
      exportFeatures(fixtureKinds().get("lamps")!, { format: "geojson", kind: "lamps" }).bytes,
    );
    const notOsm = lykta("import-osm", join(dir, "points.geojson"), "-o", join(dir, "x"));
    expect(notOsm.status).toBe(2);
    expect(notOsm.stderr).toContain("not OpenStreetMap data");
  });
});
