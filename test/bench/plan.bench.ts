/**
 * Benchmark 10 (domain): the budget plan's multiple-choice knapsack (src/domain/plan/knapsack.ts).
 *
 * 5,000 seeded candidate actions in groups of 1-3 alternatives (a dark gap: repair only, new
 * lamps only, both; brush: trim or clear; lone actions), costs 15,000-400,000 SEK, not
 * multiples of 100 SEK; budget 10 MSEK at 100 SEK resolution (100,001 capacity cells):
 *   - solveKnapsackExact: the exact plan, choices reconstructed (the figure with the target,
 *     < 500 ms; run.mjs reports the first entry);
 *   - the obvious alternative in the same run: a plain DP, two Float64Array rows, every group
 *     over the whole capacity taking the max over its alternatives. Value only: it keeps no
 *     choices (a byte per group and cell would be 250 MB here), so it is flattered;
 *   - solveKnapsackApproximate: the LP greedy with its gap bound.
 *
 * Run by `npm run bench -- plan` (test/bench/run.mjs) through `vitest bench`; not a test.
 */
import { bench, describe } from "vitest";
import { mulberry32 } from "../../src/domain/ids";
import {
  type PlanAlternative,
  solveKnapsackApproximate,
  solveKnapsackExact,
} from "../../src/domain/plan/knapsack";
import { plainKnapsackDp } from "./plain-dp";

const CANDIDATES = 5_000;
const BUDGET_SEK = 10_000_000;
const RESOLUTION_SEK = 100;

function seededCandidates(count: number, seed: number): PlanAlternative[][] {
  const random = mulberry32(seed);
  const between = (low: number, high: number) => low + random() * (high - low);
  const groups: PlanAlternative[][] = [];
  let total = 0;
  while (total < count) {
    const roll = random();
    let group: PlanAlternative[];
    if (roll < 0.45) {
      // A dark gap: repair the broken lamp, build new poles, or both (which overlap).
      const repair = { costSek: between(15_000, 40_000), benefit: between(2, 12) };
      const poles = 1 + Math.floor(random() * 6);
      const build = {
        costSek: poles * between(40_000, 60_000),
        benefit: poles * between(3, 10),
      };
      group = [
        repair,
        build,
        {
          costSek: repair.costSek + build.costSek,
          benefit: repair.benefit + build.benefit * between(0.5, 0.9),
        },
      ];
    } else if (roll < 0.75) {
      // Brush by a path: trim, or clear the whole area (area times a unit cost).
      const areaM2 = between(100, 2_000);
      const clear = {
        costSek: Math.max(15_000, areaM2 * between(60, 120)),
        benefit: between(1, 15),
      };
      group = [{ costSek: clear.costSek * between(0.4, 0.7), benefit: clear.benefit * 0.6 }, clear];
    } else {
      // A lone action: a dim lamp upgraded, trees trimmed around one lamp.
      group = [{ costSek: between(15_000, 400_000), benefit: between(1, 40) }];
    }
    group = group.slice(0, count - total);
    total += group.length;
    groups.push(group);
  }
  return groups;
}

const groups = seededCandidates(CANDIDATES, 20_260_606);
const input = { groups, budgetSek: BUDGET_SEK, resolutionSek: RESOLUTION_SEK };

/** The obvious DP: all groups, all capacity, two rows; the optimum's benefit only. */
const plainDp = () => plainKnapsackDp(groups, BUDGET_SEK, RESOLUTION_SEK);

// Same answer, or the comparison means nothing.
const exact = solveKnapsackExact(input);
const plain = plainDp();
if (Math.abs(exact.benefit - plain) > 1e-6) {
  throw new Error(`plan bench: exact ${exact.benefit} but plain DP ${plain}`);
}
const approximate = solveKnapsackApproximate(input);
console.log(
  `plan: ${groups.length} groups, ${CANDIDATES} candidates; exact benefit ${exact.benefit.toFixed(2)} ` +
    `at ${exact.costSek.toFixed(0)} SEK; approximate ${approximate.benefit.toFixed(2)}, ` +
    `gap bound ${approximate.gapBound.toFixed(2)} (LP bound ${approximate.upperBound.toFixed(2)})`,
);

describe("plan 5,000 candidates, 10 MSEK at 100 SEK", () => {
  bench(
    "solveKnapsackExact (reduced, pruned DP, packed choices)",
    () => {
      solveKnapsackExact(input);
    },
    { time: 0, iterations: 10, warmupIterations: 2 },
  );
  // Seconds per run: a few runs are enough.
  bench(
    "plain DP, two rows, benefit only",
    () => {
      plainDp();
    },
    { time: 0, iterations: 5, warmupIterations: 1 },
  );
  bench("solveKnapsackApproximate (LP greedy, gap bound)", () => {
    solveKnapsackApproximate(input);
  });
});
