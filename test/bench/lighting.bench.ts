/**
 * Benchmark 8 (domain): the lighting analysis (src/domain/lighting), single-threaded in Node.
 *
 *   a. Helsinki centre (../shared/data/osm): 2,417 highway ways, 586 street lamps, R = 20 m.
 *   b. The seeded synthetic city (test/fixtures/city.ts, the generator every benchmark uses):
 *      about 2,200 km of paths and 47,000 lamps. JSON.parse of its GeoJSON against the
 *      analysis from parsed features to results (inputs, projection, index, coverage), coverage
 *      compute alone, illuminance at a 1 m step.
 *   c. A 3 km × 3 km part of the city: the exact coverage with the index against the obvious
 *      alternative, every lamp against every segment (the same exact intervals, no index).
 *   d. Scenarios: one lamp added (evaluate), 5,000 candidate lamps scored.
 *
 * It also writes the city's GeoJSON and the numbers the process comparison needs to
 * .cache/bench-lighting/ (test/bench/lighting.mjs times `lykta lighting` and SpatiaLite/GEOS
 * on the same files as whole processes). Run by `npm run bench -- lighting`; not a test.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Feature, FeatureCollection, Geometry, LineString, Point, Position } from "geojson";
import { bench, describe } from "vitest";
import lightingClassesData from "../../data/lighting-classes.json";
import pathClassesData from "../../data/path-classes.json";
import { mulberry32 } from "../../src/domain/ids";
import type { PathClassesFile } from "../../src/domain/layers";
import {
  createLightingModel,
  createLocalProjection,
  type LightingClassesFile,
  type LightingLamp,
  type LightingPath,
  lampsFromFeatures,
  pathsFromFeatures,
} from "../../src/domain/lighting";
import { seededCityNetwork } from "../fixtures/city";

const ROOT = join(import.meta.dirname, "../..");
const OUT = join(ROOT, ".cache/bench-lighting");
const classes = lightingClassesData as LightingClassesFile;
const pathClasses = pathClassesData as PathClassesFile;
const CITY_SEED = 20_271_201;
/** The radius of the GEOS comparison (and of Helsinki's reference check). */
const RADIUS_M = 20;

/** Results feed this global, so no engine can drop the work as unused. */
const result = { sink: 0 };
(globalThis as { lyktaBenchSink?: object }).lyktaBenchSink = result;
/** Each task runs exactly this often after two warm-up runs. */
const OPTIONS = { time: 0, iterations: 7, warmupTime: 0, warmupIterations: 2 };

// ---- data --------------------------------------------------------------------------------

const helsinkiText = readFileSync(
  join(ROOT, "../shared/data/osm/helsinki_centre_highways_lamps.geojson"),
  "utf8",
);
const helsinki = JSON.parse(helsinkiText) as FeatureCollection<Geometry>;
const helsinkiLines = helsinki.features.filter(
  (feature) => feature.geometry?.type === "LineString",
);

const city = seededCityNetwork({ seed: CITY_SEED });
const cityPathsText = JSON.stringify(city.paths);
const cityLampsText = JSON.stringify(city.lamps);
const cityPaths = pathsFromFeatures(city.paths.features, { pathClasses }).paths;
const cityLamps = lampsFromFeatures(city.lamps.features).lamps;

/** The analysis as an app or the CLI runs it: parsed features to coverage results. */
function analyse(
  pathFeatures: Feature<Geometry>[],
  lampFeatures: Feature<Geometry>[],
  radiusM: number | null,
) {
  const { paths } = pathsFromFeatures(pathFeatures, { pathClasses });
  const { lamps } = lampsFromFeatures(lampFeatures);
  return createLightingModel({ paths, lamps }, { classes, radiusM }).coverage();
}

// ---- a 3 km square of the city, and the all-pairs alternative --------------------------------

const middle =
  city.lamps.features[Math.floor(city.lamps.features.length / 2)]!.geometry.coordinates;
const projection = createLocalProjection([
  middle[0]! - 0.05,
  middle[1]! - 0.03,
  middle[0]! + 0.05,
  middle[1]! + 0.03,
]);
const [cx, cy] = projection.forward(middle[0]!, middle[1]!);
const inSquare = (position: Position) => {
  const [x, y] = projection.forward(position[0]!, position[1]!);
  return Math.abs(x - cx) < 1500 && Math.abs(y - cy) < 1500;
};
const subsetPaths = cityPaths.filter((path) => path.coordinates.every(inSquare));
const subsetLamps = cityLamps.filter((lamp) => inSquare(lamp.position));

/**
 * Coverage by brute force: every lamp against every segment (exact circle/segment
 * intervals, the same arithmetic as the model), then the union per path. Returns unlit metres.
 */
function allPairsUnlitM(paths: readonly LightingPath[], lamps: readonly LightingLamp[]): number {
  const box: [number, number, number, number] = [180, 90, -180, -90];
  for (const path of paths) {
    for (const [lon, lat] of path.coordinates) {
      box[0] = Math.min(box[0], lon!);
      box[1] = Math.min(box[1], lat!);
      box[2] = Math.max(box[2], lon!);
      box[3] = Math.max(box[3], lat!);
    }
  }
  const local = createLocalProjection(box);
  const lampXy = lamps.map((lamp) => local.forward(lamp.position[0]!, lamp.position[1]!));
  const radius2 = RADIUS_M * RADIUS_M;
  let unlit = 0;
  for (const path of paths) {
    const xy = path.coordinates.map((position) => local.forward(position[0]!, position[1]!));
    const intervals: [number, number][] = [];
    let base = 0;
    for (let k = 1; k < xy.length; k++) {
      const [ax, ay] = xy[k - 1]!;
      const dx = xy[k]![0] - ax;
      const dy = xy[k]![1] - ay;
      const length = Math.sqrt(dx * dx + dy * dy);
      for (const [lx, ly] of lampXy) {
        const px = lx - ax;
        const py = ly - ay;
        const along = (px * dx + py * dy) / length;
        const perpendicular2 = px * px + py * py - along * along;
        if (perpendicular2 >= radius2) continue;
        const half = Math.sqrt(radius2 - perpendicular2);
        const t0 = Math.max(0, along - half);
        const t1 = Math.min(length, along + half);
        if (t1 > t0) intervals.push([base + t0, base + t1]);
      }
      base += length;
    }
    intervals.sort((p, q) => p[0] - q[0]);
    let lit = 0;
    let end = Number.NEGATIVE_INFINITY;
    let start = 0;
    for (const [s, e] of intervals) {
      if (s > end) {
        if (end > Number.NEGATIVE_INFINITY) lit += end - start;
        start = s;
        end = e;
      } else if (e > end) end = e;
    }
    if (end > Number.NEGATIVE_INFINITY) lit += end - start;
    unlit += base - lit;
  }
  return unlit;
}

// ---- facts for the process comparison and the tables ------------------------------------------

const cityCoverage = createLightingModel(
  { paths: cityPaths, lamps: cityLamps },
  { classes, radiusM: RADIUS_M },
).coverage();
const cityDefault = createLightingModel(
  { paths: cityPaths, lamps: cityLamps },
  { classes },
).coverage();
const subsetModel = createLightingModel(
  { paths: subsetPaths, lamps: subsetLamps },
  { classes, radiusM: RADIUS_M },
);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, "city-paths.geojson"), cityPathsText);
writeFileSync(join(OUT, "city-lamps.geojson"), cityLampsText);
writeFileSync(
  join(OUT, "facts.json"),
  JSON.stringify(
    {
      seed: CITY_SEED,
      cityPaths: cityPaths.length,
      cityPathsKm: cityCoverage.totals.pathsM / 1000,
      cityLamps: cityLamps.length,
      cityMegabytes: (cityPathsText.length + cityLampsText.length) / 1e6,
      cityUnlitM: cityCoverage.totals.unlitM,
      cityPieces: cityCoverage.pieces.count,
      cityDefaultUnlitM: cityDefault.totals.unlitM,
      subsetPaths: subsetPaths.length,
      subsetPathsKm: subsetModel.coverage().totals.pathsM / 1000,
      subsetLamps: subsetLamps.length,
      subsetUnlitM: subsetModel.coverage().totals.unlitM,
      subsetAllPairsUnlitM: allPairsUnlitM(subsetPaths, subsetLamps),
      helsinkiUnlitM: analyse(helsinkiLines, helsinki.features, RADIUS_M).totals.unlitM,
    },
    null,
    2,
  ),
);

// ---- benchmarks --------------------------------------------------------------------------

describe("Helsinki centre: 2,417 ways, 586 street lamps, R = 20 m", () => {
  bench(
    "JSON.parse of the file (1.3 MB)",
    () => {
      result.sink += (JSON.parse(helsinkiText) as FeatureCollection).features.length;
    },
    OPTIONS,
  );
  bench(
    "analysis: features -> coverage (inputs, projection, index, pieces, gaps)",
    () => {
      result.sink += analyse(helsinkiLines, helsinki.features, RADIUS_M).pieces.count;
    },
    OPTIONS,
  );
  bench(
    "analysis + illuminance at 1 m",
    () => {
      const { paths } = pathsFromFeatures(helsinkiLines, { pathClasses });
      const { lamps } = lampsFromFeatures(helsinki.features);
      result.sink += createLightingModel({ paths, lamps }, { classes }).illuminance().pieces.count;
    },
    OPTIONS,
  );
});

describe("synthetic city: analysis against JSON.parse of its inputs", () => {
  bench(
    "JSON.parse of paths and lamps GeoJSON",
    () => {
      const paths = JSON.parse(cityPathsText) as FeatureCollection<LineString>;
      const lamps = JSON.parse(cityLampsText) as FeatureCollection<Point>;
      result.sink += paths.features.length + lamps.features.length;
    },
    OPTIONS,
  );
  bench(
    "analysis: parsed features -> coverage results",
    () => {
      result.sink += analyse(city.paths.features, city.lamps.features, null).pieces.count;
    },
    OPTIONS,
  );
});

describe("synthetic city: compute", () => {
  bench(
    "coverage (model + coverage(), inputs ready)",
    () => {
      result.sink += createLightingModel(
        { paths: cityPaths, lamps: cityLamps },
        { classes },
      ).coverage().pieces.count;
    },
    OPTIONS,
  );
  bench(
    "illuminance at 1 m (model + illuminance(), inputs ready)",
    () => {
      result.sink += createLightingModel(
        { paths: cityPaths, lamps: cityLamps },
        { classes },
      ).illuminance().pieces.count;
    },
    OPTIONS,
  );
});

describe("3 km x 3 km of the city: index against all pairs, R = 20 m", () => {
  bench(
    "Lykta: index + exact intervals",
    () => {
      result.sink += createLightingModel(
        { paths: subsetPaths, lamps: subsetLamps },
        { classes, radiusM: RADIUS_M },
      ).coverage().totals.unlitM;
    },
    OPTIONS,
  );
  bench(
    "naive: every lamp against every segment",
    () => {
      result.sink += allPairsUnlitM(subsetPaths, subsetLamps);
    },
    { ...OPTIONS, iterations: 3, warmupIterations: 1 },
  );
});

// Scenarios against the whole city, today's state (illuminance computed once, before).
const scenarioModel = createLightingModel({ paths: cityPaths, lamps: cityLamps }, { classes });
scenarioModel.illuminance();
const random = mulberry32(CITY_SEED + 1);
const candidates: Position[] = [];
for (const gap of scenarioModel.coverage().gaps) candidates.push(gap.start, gap.end);
while (candidates.length < 5000) {
  const path = cityPaths[Math.floor(random() * cityPaths.length)]!;
  const vertex = path.coordinates[Math.floor(random() * path.coordinates.length)]!;
  candidates.push([vertex[0]! + (random() - 0.5) * 0.0003, vertex[1]! + (random() - 0.5) * 0.0002]);
}
candidates.length = 5000;

describe("synthetic city: scenarios", () => {
  bench(
    "evaluate: one lamp added (coverage and illuminance, incremental)",
    () => {
      result.sink += scenarioModel.evaluate({ add: [{ position: candidates[0]! }] }).newlyLitM;
    },
    { ...OPTIONS, iterations: 50 },
  );
  bench(
    "scoreCandidates: 5,000 lamps, metres newly lit",
    () => {
      result.sink += scenarioModel.scoreCandidates(candidates, {}, { illuminance: false })
        .newlyLitM[0]!;
    },
    OPTIONS,
  );
  bench(
    "scoreCandidates: 5,000 lamps, with useful light gain",
    () => {
      result.sink += scenarioModel.scoreCandidates(candidates).newlyLitM[0]!;
    },
    OPTIONS,
  );
});
