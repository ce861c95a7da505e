/**
 * Benchmark 11 (domain): the budget plan for the seeded synthetic city, single-threaded in Node.
 * The city every benchmark uses (test/fixtures/city.ts, seed 20271201: about 2,100 km of paths
 * and 44,000 lamps) and 3,000 seeded reports of 60 walks on its streets
 * (test/fixtures/city-walks.ts). The steps `lykta plan` and the app's plan screen run:
 *
 *   a. sites (groupSites), the lighting model and its coverage, buildCandidates (candidate
 *      actions, each scored alone, groups of overlapping investments, every alternative
 *      scored as one scenario), selectPlan at 2 MSEK and 10 MSEK, benefitCurve to the top;
 *   b. the obvious alternatives in the same run: a scenario evaluated by building a fresh
 *      model with the changed lamps and computing its whole coverage, against
 *      model.evaluate (the incremental scenario API buildCandidates uses), on the same
 *      alternatives; and the plain DP (two rows over the whole capacity, every group, value
 *      only) against selectPlan's knapsack at 10 MSEK.
 *
 * Run by `npm run bench -- plan-city` (test/bench/run.mjs) through `vitest bench`; not a test.
 */
import { bench, describe } from "vitest";
import benefitWeightsData from "../../data/benefit-weights.json";
import checklistData from "../../data/checklist.json";
import costsData from "../../data/costs.json";
import lightingClassesData from "../../data/lighting-classes.json";
import pathClassesData from "../../data/path-classes.json";
import type { Checklist } from "../../src/domain/checklist";
import type { PathClassesFile } from "../../src/domain/layers";
import {
  createLightingModel,
  type LampChange,
  type LightingClassesFile,
  type LightingLamp,
  lampsFromFeatures,
  lightingObservationsFromRecords,
  pathsFromFeatures,
  poisFromFeatures,
} from "../../src/domain/lighting";
import type { BenefitWeights, CostCatalogue } from "../../src/domain/plan/catalogue";
import {
  benefitCurve,
  buildCandidates,
  PLAN_MAX_GAPS,
  selectPlan,
} from "../../src/domain/plan/plan";
import { groupSites } from "../../src/domain/sites";
import { seededCityNetwork } from "../fixtures/city";
import { seededCityWalks } from "../fixtures/city-walks";
import { plainKnapsackDp } from "./plain-dp";

const CITY_SEED = 20_271_201;
const WALKS_SEED = 20_271_202;
const RADIUS_M = 20;
const RESOLUTION_SEK = 100;
/** Scenarios evaluated both ways (a fresh model's coverage takes about a second each). */
const SCENARIOS = 5;

const classes = lightingClassesData as LightingClassesFile;
const pathClasses = pathClassesData as PathClassesFile;
const checklist = checklistData as Checklist;
const plan = { costs: costsData as CostCatalogue, weights: benefitWeightsData as BenefitWeights };

/** Results feed this global, so no engine can drop the work as unused. */
const result = { sink: 0 };
(globalThis as { lyktaBenchSink?: object }).lyktaBenchSink = result;

const city = seededCityNetwork({ seed: CITY_SEED });
const observations = seededCityWalks(city, { seed: WALKS_SEED });
const paths = pathsFromFeatures(city.paths.features, { pathClasses }).paths;
const lamps = lampsFromFeatures(city.lamps.features).lamps;
const pois = poisFromFeatures(city.pois.features);
const lightingObservations = lightingObservationsFromRecords(observations);

function makeModel(lampList: readonly LightingLamp[] = lamps) {
  return createLightingModel(
    { paths, lamps: lampList, observations: lightingObservations, pois },
    { classes, radiusM: RADIUS_M, maxGaps: PLAN_MAX_GAPS },
  );
}

// One pass, timed once, for the printed counts (vitest bench times each step below).
const started = performance.now();
const sites = groupSites(observations, [], checklist);
const model = makeModel();
const lighting = model.coverage();
const candidatesStarted = performance.now();
const candidates = buildCandidates({ observations, sites, model, lighting, pois }, plan);
const candidatesMs = performance.now() - candidatesStarted;
const tasks = candidates.actions.filter((action) => action.cost === null).length;
const alternatives = candidates.groups.reduce((sum, g) => sum + g.alternatives.length, 0);
const largest = Math.max(...candidates.groups.map((g) => g.actionIndexes.length));
console.log(
  `plan-city: ${observations.length} reports, ${sites.length} sites, ${lighting.gapCount} dark gaps (${lighting.gaps.length} of them candidates); ` +
    `${candidates.actions.length - tasks} investments and ${tasks} tasks, ${candidates.groups.length} groups ` +
    `(${alternatives} alternatives, largest group ${largest} actions, ${candidates.limitedGroups} limited), ` +
    `top of the slider ${Math.round(candidates.maxUsefulBudgetSek / 1e6)} MSEK; ` +
    `buildCandidates ${candidatesMs.toFixed(0)} ms, the whole pass ${(performance.now() - started).toFixed(0)} ms`,
);
for (const budgetSek of [2_000_000, 10_000_000]) {
  const selection = selectPlan(candidates, budgetSek);
  console.log(
    `plan-city: ${budgetSek / 1e6} MSEK: ${selection.knapsack.method}, ${selection.selected.filter(Boolean).length} actions ` +
      `for ${Math.round(selection.selectedCostSek)} SEK, benefit ${selection.selectedBenefit.toFixed(1)}, ` +
      `proven gap bound ${selection.knapsack.gapBound.toFixed(1)} ` +
      `(${((100 * selection.knapsack.gapBound) / Math.max(selection.selectedBenefit, 1e-9)).toFixed(2)} %)`,
  );
}

// ---- scenarios: the incremental API against a fresh model ---------------------------------

/**
 * Alternatives of several new-lamp actions (overlapping gaps and reports): what buildCandidates
 * evaluates as one scenario. New lamps only, so the same scenario as a lamp list is today's
 * lamps plus the new ones (a repair would also need the broken-lamp reports taken away).
 */
const scenarioChanges: LampChange[] = [];
const lampLists: LightingLamp[][] = [];
for (const group of candidates.groups) {
  if (scenarioChanges.length >= SCENARIOS) break;
  const alternative = group.alternatives.find(
    (alt) =>
      alt.actionIndexes.length > 1 &&
      alt.actionIndexes.every((i) => candidates.actions[i]!.kind === "new_lamps"),
  );
  if (alternative === undefined) continue;
  const positions = alternative.actionIndexes.flatMap((i) => candidates.actions[i]!.newLamps);
  scenarioChanges.push({ add: positions.map((position) => ({ position })) });
  lampLists.push([...lamps, ...positions.map((position, k) => ({ id: `new-${k}`, position }))]);
}
// Same answer, or the comparison means nothing: newly lit metres both ways.
for (let s = 0; s < scenarioChanges.length; s++) {
  const incremental = model.evaluate(scenarioChanges[s]!, { illuminance: false }).newlyLitM;
  const freshLitM =
    makeModel(lampLists[s]).coverage().totals.litByLampM - lighting.totals.litByLampM;
  if (Math.abs(incremental - freshLitM) > 0.5) {
    throw new Error(
      `plan-city bench: scenario ${s}: evaluate ${incremental.toFixed(2)} m newly lit, a fresh model ${freshLitM.toFixed(2)} m`,
    );
  }
}
console.log(`plan-city: ${scenarioChanges.length} scenarios of several new-lamp actions compared`);

// ---- the plain DP -----------------------------------------------------------------------

const cityGroups = candidates.groups.map((group) =>
  group.alternatives.map((alt) => ({ costSek: alt.costSek, benefit: alt.benefit.benefit })),
);
const plainDp = (budgetSek: number) => plainKnapsackDp(cityGroups, budgetSek, RESOLUTION_SEK);
const exact10 = selectPlan(candidates, 10_000_000, { method: "exact" }).selectedBenefit;
const plain10 = plainDp(10_000_000);
if (Math.abs(exact10 - plain10) > 1e-6) {
  throw new Error(`plan-city bench: selectPlan ${exact10} but plain DP ${plain10} at 10 MSEK`);
}

const SLOW = { time: 0, iterations: 3, warmupIterations: 1 };
const FAST = { time: 0, iterations: 10, warmupIterations: 2 };

describe("plan for the synthetic city: 3,000 reports, 44,000 lamps", () => {
  bench(
    "groupSites (3,000 reports)",
    () => {
      result.sink += groupSites(observations, [], checklist).length;
    },
    FAST,
  );
  bench(
    "lighting model + coverage",
    () => {
      result.sink += makeModel().coverage().gaps.length;
    },
    SLOW,
  );
  bench(
    "buildCandidates (actions, scores, groups, alternatives)",
    () => {
      result.sink += buildCandidates(
        { observations, sites, model, lighting, pois },
        plan,
      ).groups.length;
    },
    SLOW,
  );
  bench(
    "selectPlan at 2 MSEK",
    () => {
      result.sink += selectPlan(candidates, 2_000_000).selectedBenefit;
    },
    FAST,
  );
  bench(
    "selectPlan at 10 MSEK",
    () => {
      result.sink += selectPlan(candidates, 10_000_000).selectedBenefit;
    },
    FAST,
  );
  bench(
    "benefitCurve, 0 to the top of the slider",
    () => {
      result.sink += benefitCurve(candidates, candidates.maxUsefulBudgetSek).length;
    },
    FAST,
  );
});

describe(`alternatives: ${SCENARIOS} scenarios; the knapsack at 10 MSEK`, () => {
  bench(
    `model.evaluate, ${SCENARIOS} scenarios (incremental)`,
    () => {
      for (const change of scenarioChanges) {
        result.sink += model.evaluate(change, { illuminance: false }).newlyLitM;
      }
    },
    FAST,
  );
  bench(
    `a fresh model's coverage per scenario, ${SCENARIOS} scenarios`,
    () => {
      for (const lampList of lampLists) result.sink += makeModel(lampList).coverage().gaps.length;
    },
    SLOW,
  );
  bench(
    "selectPlan at 10 MSEK, exact (knapsack with pruning, and the +100 kSEK plan)",
    () => {
      result.sink += selectPlan(candidates, 10_000_000, { method: "exact" }).selectedBenefit;
    },
    SLOW,
  );
  bench(
    "selectPlan at 10 MSEK, as the app runs it (approximate above the exact work limit)",
    () => {
      result.sink += selectPlan(candidates, 10_000_000).selectedBenefit;
    },
    FAST,
  );
  bench(
    "plain DP at 10 MSEK, two rows, value only",
    () => {
      result.sink += plainDp(10_000_000);
    },
    SLOW,
  );
});
