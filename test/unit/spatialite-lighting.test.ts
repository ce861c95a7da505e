/**
 * A peer as the reference for coverage (issue 5): SpatiaLite's GEOS, what QGIS uses, computes
 * the unlit length of Helsinki centre's highway ways (2,417 LineStrings) against its 586
 * mapped street lamps with R = 20 m, in EPSG:3067 (ETRS-TM35FIN):
 *
 *   sum over paths of ST_Length(ST_Difference(path, U)),  U = ST_Union(ST_Buffer(lamp, 20, 64))
 *
 * and Lykta's exact circle/segment intervals must agree within 0.5 % of the unlit length.
 * The test runs the reference itself (ogr2ogr loads the GeoJSON into a SpatiaLite database
 * in EPSG:3067, the `spatialite` shell runs the query) and also checks it against the numbers
 * recorded in test/fixtures/lighting-geos-reference.json (docs/lighting.md shows them).
 *
 * Why the two differ at all, quantified (the recorded run: ours 57,257.97 m, GEOS 57,240.34 m,
 * +0.031 %):
 * - Scale. EPSG:3067 is UTM zone 35 (central meridian 27° E, k0 = 0.9996); Helsinki lies
 *   about 114 km west of it, where the grid scale is k = 0.99976 (proj4 computes it below):
 *   GEOS's lengths are 0.024 % short of true lengths, and its 20-unit circles are 20.005 m
 *   in true metres. Lykta measures in true metres (projection.ts, within 3e-9 here).
 * - Polygons. ST_Buffer(p, 20, 64) is a 256-gon inscribed in the circle: its edges bulge in
 *   by at most the sagitta R(1 − cos(π/256)) = 1.5 mm, and its area is (256/2π)·sin(2π/256)
 *   = 99.990 % of the circle's. A path crossing a circle edge at angle θ leaves it up to
 *   1.5 mm / sin θ early, so GEOS counts slightly more unlit length.
 * Compared on the same footing (Lykta with R = 20/k, its lengths times k) the recorded run
 * gives 57,239.37 m against GEOS's 57,240.34 m: −0.97 m, −0.0017 %, the polygons' share.
 * The test requires 0.01 % there.
 *
 * Needs spatialite-bin and gdal-bin (scripts/setup-test-deps.sh installs them).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Feature, FeatureCollection, Geometry } from "geojson";
import proj4 from "proj4";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import lightingClassesData from "../../data/lighting-classes.json";
import pathClassesData from "../../data/path-classes.json";
import type { PathClassesFile } from "../../src/domain/layers";
import {
  createLightingModel,
  type LightingClassesFile,
  lampsFromFeatures,
  pathsFromFeatures,
} from "../../src/domain/lighting";
import reference from "../fixtures/lighting-geos-reference.json";

// Every test here starts GDAL, SpatiaLite or the built CLI as a process: on a loaded CI
// machine one can take longer than vitest's default 5 s.
vi.setConfig({ testTimeout: 60_000 });

const ROOT = join(import.meta.dirname, "../..");
const HELSINKI = join(ROOT, "../shared/data/osm/helsinki_centre_highways_lamps.geojson");
const RADIUS_M = 20;

let dir: string;
let geos: { paths: number; pathsM: number; unlitM: number };

function run(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, {
    cwd: dir,
    encoding: "utf8",
    timeout: 240_000,
    ...(input === undefined ? {} : { input }),
  });
  if (result.error) {
    throw new Error(
      `${command}: ${result.error.message} (scripts/setup-test-deps.sh installs spatialite-bin and gdal-bin)`,
    );
  }
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lykta-spatialite-"));
  // The recorded command (test/fixtures/lighting-geos-reference.json), step by step.
  run(
    "ogr2ogr",
    reference.load.slice(1).map((arg) => arg.replace("$HELSINKI", HELSINKI)),
  );
  const out = run("spatialite", ["-silent", "ref.sqlite"], reference.sql).trim();
  const [paths, pathsM, unlitM] = out.split("|").map(Number);
  geos = { paths: paths!, pathsM: pathsM!, unlitM: unlitM! };
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Lykta's coverage of the same LineStrings and street lamps. */
function lykta(radiusM: number) {
  const collection = JSON.parse(readFileSync(HELSINKI, "utf8")) as FeatureCollection<Geometry>;
  const lines = collection.features.filter((feature) => feature.geometry?.type === "LineString");
  const { paths } = pathsFromFeatures(lines as Feature<Geometry>[], {
    pathClasses: pathClassesData as PathClassesFile,
  });
  const { lamps } = lampsFromFeatures(collection.features as Feature<Geometry>[]);
  const model = createLightingModel(
    { paths, lamps },
    { classes: lightingClassesData as LightingClassesFile, radiusM },
  );
  return { paths, lamps, totals: model.coverage().totals };
}

/** Grid scale of EPSG:3067 at the middle of the data (conformal: the same in every direction). */
function scaleOf3067(lon: number, lat: number): number {
  const utm35 = proj4(
    "+proj=longlat +datum=WGS84 +no_defs",
    "+proj=utm +zone=35 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
  );
  const step = 0.001;
  const [x1, y1] = utm35.forward([lon, lat]) as [number, number];
  const [x2, y2] = utm35.forward([lon, lat + step]) as [number, number];
  // A meridian arc of 0.001° at 60.17° N on GRS 80: M · Δφ, M = a(1 − e²)/(1 − e² sin²φ)^1.5.
  const a = 6_378_137;
  const e2 = 0.0066943800229;
  const phi = ((lat + step / 2) * Math.PI) / 180;
  const meridian = (a * (1 - e2)) / (1 - e2 * Math.sin(phi) ** 2) ** 1.5;
  return Math.hypot(x2 - x1, y2 - y1) / ((meridian * step * Math.PI) / 180);
}

describe("coverage against SpatiaLite/GEOS on Helsinki centre, R = 20 m", () => {
  it("the reference run gives the recorded numbers", () => {
    expect(geos.paths).toBe(reference.result.paths);
    expect(geos.pathsM).toBeCloseTo(reference.result.paths_m, 2);
    expect(geos.unlitM).toBeCloseTo(reference.result.unlit_m, 2);
  });

  it("Lykta's unlit length is within 0.5 % of GEOS's", () => {
    const ours = lykta(RADIUS_M);
    expect(ours.paths.length).toBe(geos.paths);
    expect(ours.lamps.length).toBe(586);
    expect(Math.abs(ours.totals.unlitM - geos.unlitM) / geos.unlitM).toBeLessThan(0.005);
    // Total length: EPSG:3067's scale, 0.024 %, is all the difference.
    expect(Math.abs(ours.totals.pathsM - geos.pathsM) / geos.pathsM).toBeLessThan(0.001);
    expect(ours.totals.unlitM).toBeCloseTo(reference.lykta.unlit_m, 1);
  });

  it("on the same footing (GEOS's grid scale), within 0.01 %", () => {
    const k = scaleOf3067(24.9443, 60.1716);
    expect(k).toBeCloseTo(0.99976, 5);
    const ours = lykta(RADIUS_M / k);
    expect(Math.abs((ours.totals.pathsM * k) / geos.pathsM - 1)).toBeLessThan(1e-5);
    expect(Math.abs((ours.totals.unlitM * k) / geos.unlitM - 1)).toBeLessThan(1e-4);
  });
});

describe("the built `lykta lighting` (dist-cli: byte scanner, code cache) on the same data", () => {
  const program = join(ROOT, "dist-cli/lykta.js");
  const cache = join(ROOT, "dist-cli/lighting-fast.v8cache");
  const lighting = (output: string) => {
    const result = spawnSync(
      "node",
      [
        program,
        "lighting",
        "--paths",
        HELSINKI,
        "--lamps",
        HELSINKI,
        "--radius",
        "20",
        "-o",
        output,
      ],
      { cwd: dir, encoding: "utf8", timeout: 120_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    return { summary: result.stdout, pieces: readFileSync(join(dir, output), "utf8") };
  };

  it("within 0.5 % of GEOS, the same as the model on parsed features, with or without a cache", () => {
    expect(existsSync(program), "dist-cli/lykta.js: npm ci builds it (npm run build:cli)").toBe(
      true,
    );
    rmSync(cache, { force: true });
    const first = lighting("first.geojson");
    expect(existsSync(cache)).toBe(true);
    const written = statSync(cache).mtimeMs;
    const second = lighting("first.geojson");
    // The cache was accepted (not written again), and changes nothing.
    expect(statSync(cache).mtimeMs).toBe(written);
    expect(second).toEqual(first);
    // A damaged cache is refused by V8 and written anew; the result is the same.
    writeFileSync(cache, "not a code cache");
    expect(lighting("first.geojson")).toEqual(first);
    expect(readFileSync(cache, "utf8")).not.toBe("not a code cache");

    const summary = JSON.parse(first.summary);
    expect(summary.path_count).toBe(geos.paths);
    expect(Math.abs(summary.unlit_m - geos.unlitM) / geos.unlitM).toBeLessThan(0.005);
    // The summary rounds each part to centimetres.
    expect(summary.unlit_m).toBeCloseTo(lykta(RADIUS_M).totals.unlitM, 1);
  });
});
