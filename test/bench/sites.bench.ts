/**
 * Benchmark 7 (domain): grouping observations into sites (src/domain/sites.ts).
 *
 *   a. 100,000 seeded point observations over a 10 km × 10 km city (a realistic category
 *      mix, 30 % of the reports in hot spots of 2-7 reports): groupSiteIndex, the partition
 *      in typed arrays (the figure the target applies to; run.mjs reports the first entry of
 *      this group), and groupSites, the partition and the 70,335 Site objects. Next to them,
 *      two calibration tasks of fixed size in the same run: a figure well above its idle value
 *      (docs/benchmarks.md) says the machine was busy, and by how much. One is CPU only (an
 *      arithmetic loop), one allocates like groupSites does (JSON.parse).
 *   b. The same at 5,000, against the obvious alternative in the same run: every pair of
 *      the same checklist group measured with haversine, then the same complete linkage
 *      (cluster count only: no Site objects, so it is flattered).
 *   c. nearbyReports ("already reported nearby", on every GPS fix) over 10,000 observations,
 *      against a linear scan with haversine.
 *
 * Run by `npm run bench -- sites` (test/bench/run.mjs) through `vitest bench`; not a test.
 */
import { bench, describe } from "vitest";
import checklistData from "../../data/checklist.json";
import type { Checklist } from "../../src/domain/checklist";
import { distanceM } from "../../src/domain/geometry";
import { mulberry32 } from "../../src/domain/ids";
import type { ObservationRecord } from "../../src/domain/observation";
import { groupSiteIndex, groupSites, nearbyReports } from "../../src/domain/sites";
import { seededCity, VASTERAS } from "../fixtures/city";

const checklist = checklistData as Checklist;
const LARGE = 100_000;
const SMALL = 5_000;
const NEARBY = 10_000;

const large = seededCity({ count: LARGE, seed: 20_271_114 });
// The small city is a 2.2 km square, so it is as dense as the large one.
const small = seededCity({ count: SMALL, seed: 20_271_115, sideM: 2_236 });
const nearbyPool = seededCity({ count: NEARBY, seed: 20_271_116, sideM: 3_000 });

/** 5,000 of the large city's observations as JSON (7.6 MB), for the calibration. */
const largeJson = JSON.stringify(large.slice(0, 5_000));

/** A fixed amount of arithmetic (mulberry32 steps): CPU only, no memory traffic. */
function arithmetic(steps: number): number {
  let a = 1;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    sum = (sum + (t ^ (t >>> 14))) | 0;
  }
  return sum;
}

/** Results feed this global, so no engine can drop the work as unused. */
const result = { sink: 0 };
(globalThis as { lyktaBenchSink?: object }).lyktaBenchSink = result;

/**
 * The obvious alternative: all pairs with haversine, then complete linkage (pairs by
 * distance, then ids; join two clusters only if every pair across them is close).
 */
function allPairsClusterCount(observations: readonly ObservationRecord[]): number {
  const radius = new Map<string, number>();
  const groupOf = new Map<string, string>();
  for (const group of checklist.groups) {
    for (const category of group.categories) {
      groupOf.set(category.id, group.id);
      radius.set(category.id, group.siteRadiusM);
    }
  }
  const live = observations
    .filter((o) => !o.deleted && o.fields.geometry?.type === "Point")
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const positions = live.map((o) => o.fields.geometry!.coordinates as [number, number]);
  const pairs: [number, number, number][] = [];
  const close = new Set<number>();
  for (let i = 0; i < live.length; i++) {
    for (let j = i + 1; j < live.length; j++) {
      const category = live[i]!.fields.categoryId;
      if (groupOf.get(category) !== groupOf.get(live[j]!.fields.categoryId)) continue;
      const metres = distanceM(positions[i]!, positions[j]!);
      if (metres > radius.get(category)!) continue;
      pairs.push([metres, i, j]);
      close.add(i * live.length + j);
    }
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const clusterOf = live.map((_, i) => [i]);
  for (const [, i, j] of pairs) {
    const [a, b] = [clusterOf[i]!, clusterOf[j]!];
    if (a === b) continue;
    const allClose = a.every((x) =>
      b.every((y) => close.has(Math.min(x, y) * live.length + Math.max(x, y))),
    );
    if (!allClose) continue;
    const joined = [...a, ...b];
    for (const member of joined) clusterOf[member] = joined;
  }
  return new Set(clusterOf).size;
}

/** Fixed positions inside the nearby pool's square, as GPS fixes would be. */
const random = mulberry32(7);
const fixes: [number, number][] = Array.from({ length: 64 }, () => [
  VASTERAS[0] + (random() - 0.5) * 0.05,
  VASTERAS[1] + (random() - 0.5) * 0.025,
]);
let fixIndex = 0;
const nextFix = () => fixes[fixIndex++ % fixes.length]!;

function haversineNearby(position: [number, number], categoryId: string): number {
  let found = 0;
  for (const observation of nearbyPool) {
    const geometry = observation.fields.geometry;
    if (observation.deleted || observation.fields.categoryId !== categoryId) continue;
    if (geometry?.type !== "Point") continue;
    if (distanceM(position, geometry.coordinates) <= 250) found += 1;
  }
  return found;
}

/** Each heavy task runs exactly this often; the fast nearby calls run for a second. The
 *  100,000-observation tasks run more often: their median is what the target applies to. */
const HEAVY = { time: 0, iterations: 9, warmupTime: 0, warmupIterations: 2 };
const LARGE_RUNS = { time: 0, iterations: 15, warmupTime: 0, warmupIterations: 3 };
const FAST = { time: 1000, warmupTime: 200 };

describe(`group ${LARGE.toLocaleString("en")} observations into sites`, () => {
  bench(
    "groupSiteIndex: the partition, typed arrays (grid per checklist group, complete linkage)",
    () => {
      result.sink += groupSiteIndex(large, [], checklist).siteCount;
    },
    LARGE_RUNS,
  );
  bench(
    "groupSites: the partition and the Site objects",
    () => {
      result.sink += groupSites(large, [], checklist).length;
    },
    LARGE_RUNS,
  );
  bench(
    "calibration: fixed arithmetic loop (20 M mulberry32 steps; CPU only)",
    () => {
      result.sink += arithmetic(20_000_000);
    },
    LARGE_RUNS,
  );
  bench(
    "calibration: JSON.parse of 5,000 of these observations (7.6 MB; allocates)",
    () => {
      result.sink += JSON.parse(largeJson).length;
    },
    LARGE_RUNS,
  );
});

describe(`group ${SMALL.toLocaleString("en")} observations into sites`, () => {
  bench(
    "groupSites (grid per checklist group, complete linkage)",
    () => {
      result.sink += groupSites(small, [], checklist).length;
    },
    HEAVY,
  );
  bench(
    "naive: all pairs with haversine, then complete linkage (count only)",
    () => {
      result.sink += allPairsClusterCount(small);
    },
    HEAVY,
  );
});

describe(`nearby reports among ${NEARBY.toLocaleString("en")} observations, one GPS fix`, () => {
  bench(
    "nearbyReports (linear scan, Mercator with a local scale)",
    () => {
      result.sink += nearbyReports(nearbyPool, nextFix(), "lighting.broken").length;
    },
    FAST,
  );
  bench(
    "naive: linear scan with haversine",
    () => {
      result.sink += haversineNearby(nextFix(), "lighting.broken");
    },
    FAST,
  );
});
