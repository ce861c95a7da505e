import { describe, expect, it } from "vitest";
import { mulberry32 } from "../ids";
import {
  type KnapsackInput,
  type KnapsackPlan,
  type PlanAlternative,
  solveKnapsack,
  solveKnapsackApproximate,
  solveKnapsackExact,
} from "./knapsack";

/** Every selection (at most one alternative per group), costs rounded up to the resolution. */
function bruteForce(input: KnapsackInput): number {
  const resolution = input.resolutionSek ?? 100;
  const capacity = Math.floor(input.budgetSek / resolution);
  let best = 0;
  const visit = (group: number, units: number, benefit: number) => {
    if (units > capacity) return;
    if (group === input.groups.length) {
      best = Math.max(best, benefit);
      return;
    }
    visit(group + 1, units, benefit);
    for (const alternative of input.groups[group]!) {
      const cost = Math.ceil(alternative.costSek / resolution);
      visit(group + 1, units + cost, benefit + alternative.benefit);
    }
  };
  visit(0, 0, 0);
  return best;
}

/** The plan is consistent: its totals are those of its choices, within the budget. */
function expectConsistent(input: KnapsackInput, plan: KnapsackPlan) {
  const resolution = input.resolutionSek ?? 100;
  expect(plan.chosen).toHaveLength(input.groups.length);
  let cost = 0;
  let rounded = 0;
  let benefit = 0;
  plan.chosen.forEach((index, group) => {
    if (index === null) return;
    const alternative = input.groups[group]![index]!;
    expect(alternative).toBeDefined();
    cost += alternative.costSek;
    rounded += Math.ceil(alternative.costSek / resolution) * resolution;
    benefit += alternative.benefit;
  });
  expect(plan.costSek).toBeCloseTo(cost, 6);
  expect(plan.roundedCostSek).toBeCloseTo(rounded, 6);
  expect(plan.benefit).toBeCloseTo(benefit, 9);
  expect(plan.roundedCostSek).toBeLessThanOrEqual(input.budgetSek);
  expect(plan.costSek).toBeLessThanOrEqual(plan.roundedCostSek);
}

function randomInstance(random: () => number): KnapsackInput {
  const resolutionSek = random() < 0.5 ? 100 : 1 + Math.floor(random() * 300);
  const groupCount = Math.floor(random() * 7);
  const groups: PlanAlternative[][] = [];
  for (let group = 0; group < groupCount; group++) {
    const alternatives: PlanAlternative[] = [];
    const count = 1 + Math.floor(random() * 3);
    for (let k = 0; k < count; k++) {
      const roll = random();
      const costSek =
        roll < 0.1
          ? 0
          : roll < 0.55
            ? resolutionSek * Math.floor(random() * 40) // on the resolution
            : Math.round(random() * 4_000 * 100) / 100; // off it, to the öre
      // Small integers make ties; fractions make everything else.
      const benefit = random() < 0.4 ? Math.floor(random() * 6) : random() * 50;
      alternatives.push({ costSek, benefit });
    }
    groups.push(alternatives);
  }
  const budgetSek = random() < 0.2 ? 0 : Math.round(random() * 8_000);
  return { groups, budgetSek, resolutionSek };
}

describe("solveKnapsackExact", () => {
  it("matches brute force on random small instances (seeded)", () => {
    const seed = 20_260_601;
    const random = mulberry32(seed);
    for (let round = 0; round < 3_000; round++) {
      const input = randomInstance(random);
      const plan = solveKnapsackExact(input);
      const context = `seed ${seed}, round ${round}: ${JSON.stringify(input)}`;
      expect(Math.abs(plan.benefit - bruteForce(input)), context).toBeLessThanOrEqual(1e-9);
      expectConsistent(input, plan);
      expect(plan.gapBound).toBe(0);
      // The curve's last point is the budget, and the curve never falls.
      expect(plan.curve.at(-1)).toEqual({
        budgetSek: input.budgetSek,
        benefit: expect.any(Number),
      });
      expect(Math.abs(plan.curve.at(-1)!.benefit - plan.benefit)).toBeLessThanOrEqual(1e-9);
      for (let i = 1; i < plan.curve.length; i++) {
        expect(plan.curve[i]!.benefit).toBeGreaterThanOrEqual(plan.curve[i - 1]!.benefit);
      }
    }
  });

  it("gives the best benefit at every budget on its curve", () => {
    const random = mulberry32(7);
    for (let round = 0; round < 200; round++) {
      const input = { ...randomInstance(random), curveStepSek: 500 };
      const plan = solveKnapsackExact(input);
      for (const point of plan.curve) {
        const expected = bruteForce({ ...input, budgetSek: point.budgetSek });
        expect(Math.abs(point.benefit - expected), `round ${round}`).toBeLessThanOrEqual(1e-9);
      }
    }
  });

  it("returns an empty plan for no groups", () => {
    const plan = solveKnapsackExact({ groups: [], budgetSek: 50_000 });
    expect(plan).toMatchObject({ chosen: [], costSek: 0, roundedCostSek: 0, benefit: 0 });
    expect(plan.curve.map((point) => point.budgetSek)).toEqual([
      0, 10_000, 20_000, 30_000, 40_000, 50_000,
    ]);
  });

  it("takes only what costs nothing at a zero budget", () => {
    const groups = [
      [{ costSek: 100, benefit: 5 }],
      [
        { costSek: 0, benefit: 2 },
        { costSek: 300, benefit: 9 },
      ],
    ];
    const plan = solveKnapsackExact({ groups, budgetSek: 0 });
    expect(plan.chosen).toEqual([null, 0]);
    expect(plan.benefit).toBe(2);
    expect(plan.curve).toEqual([{ budgetSek: 0, benefit: 2 }]);
  });

  it("chooses none in a group whose alternatives are all too expensive", () => {
    const groups = [
      [
        { costSek: 600, benefit: 100 },
        { costSek: 900, benefit: 200 },
      ],
      [{ costSek: 200, benefit: 1 }],
    ];
    const plan = solveKnapsackExact({ groups, budgetSek: 500 });
    expect(plan.chosen).toEqual([null, 0]);
    expect(plan.benefit).toBe(1);
  });

  it("rounds costs up to the resolution, so the plan stays within budget", () => {
    // 150 SEK rounds up to 200: over a 150 SEK budget.
    const groups = [[{ costSek: 150, benefit: 3 }], [{ costSek: 100, benefit: 1 }]];
    const plan = solveKnapsackExact({ groups, budgetSek: 150 });
    expect(plan.chosen).toEqual([null, 0]);
    // At 50 SEK resolution it fits, at its true cost.
    const fine = solveKnapsackExact({ groups, budgetSek: 150, resolutionSek: 50 });
    expect(fine.chosen).toEqual([0, null]);
    expect(fine.costSek).toBe(150);
    expect(fine.roundedCostSek).toBe(150);
    const off = solveKnapsackExact({ groups: [[{ costSek: 120, benefit: 3 }]], budgetSek: 200 });
    expect(off).toMatchObject({ costSek: 120, roundedCostSek: 200, benefit: 3 });
  });

  it("picks one alternative per group, not a sum of overlapping ones", () => {
    // Repair only, new lamp only, both: "both" is not repair + new.
    const groups = [
      [
        { costSek: 20_000, benefit: 4 },
        { costSek: 60_000, benefit: 10 },
        { costSek: 80_000, benefit: 11 },
      ],
    ];
    expect(solveKnapsackExact({ groups, budgetSek: 80_000 }).chosen).toEqual([2]);
    expect(solveKnapsackExact({ groups, budgetSek: 79_900 }).chosen).toEqual([1]);
    expect(solveKnapsackExact({ groups, budgetSek: 59_900 }).chosen).toEqual([0]);
  });

  it("keeps an LP-dominated alternative that the exact optimum needs", () => {
    // (150, 11) lies under the upper hull of (0, 0), (100, 10), (300, 30), yet with the
    // other group it makes the optimum: 11 + 20 = 31 beats 30 and 10 + 20.
    const groups = [
      [
        { costSek: 100, benefit: 10 },
        { costSek: 150, benefit: 11 },
        { costSek: 300, benefit: 30 },
      ],
      [{ costSek: 150, benefit: 20 }],
    ];
    const plan = solveKnapsackExact({ groups, budgetSek: 300, resolutionSek: 50 });
    expect(plan.chosen).toEqual([1, 0]);
    expect(plan.benefit).toBe(31);
  });

  it("is deterministic on ties: none before an alternative that adds nothing", () => {
    const groups = [
      [
        { costSek: 100, benefit: 5 },
        { costSek: 100, benefit: 5 },
      ],
      [{ costSek: 100, benefit: 0 }],
    ];
    const plan = solveKnapsackExact({ groups, budgetSek: 1_000 });
    expect(plan.chosen).toEqual([0, null]);
    expect(plan.benefit).toBe(5);
  });

  it("throws on programmer errors", () => {
    expect(() => solveKnapsackExact({ groups: [], budgetSek: -1 })).toThrow(
      "knapsack: budgetSek must be a finite number >= 0, got -1",
    );
    expect(() =>
      solveKnapsackExact({ groups: [[{ costSek: -5, benefit: 1 }]], budgetSek: 100 }),
    ).toThrow("knapsack: group 0 alternative 0: costSek -5");
    expect(() => solveKnapsackExact({ groups: [], budgetSek: 100, resolutionSek: 0 })).toThrow(
      "knapsack: resolutionSek must be a positive number, got 0",
    );
  });
});

describe("solveKnapsackApproximate", () => {
  it("never beats the optimum, and its bound covers the true gap (seeded)", () => {
    const seed = 20_260_602;
    const random = mulberry32(seed);
    for (let round = 0; round < 3_000; round++) {
      const input = randomInstance(random);
      const approximate = solveKnapsackApproximate(input);
      const optimum = bruteForce(input);
      const context = `seed ${seed}, round ${round}: ${JSON.stringify(input)}`;
      expectConsistent(input, approximate);
      expect(approximate.benefit, context).toBeLessThanOrEqual(optimum + 1e-9);
      expect(approximate.upperBound, context).toBeGreaterThanOrEqual(optimum - 1e-9);
      expect(approximate.gapBound, context).toBeGreaterThanOrEqual(
        optimum - approximate.benefit - 1e-9,
      );
      for (const point of approximate.curve) {
        expect(point.benefit).toBeLessThanOrEqual(
          bruteForce({ ...input, budgetSek: point.budgetSek }) + 1e-9,
        );
      }
    }
  });

  it("is exact with no gap when everything fits", () => {
    const groups = [
      [
        { costSek: 100, benefit: 1 },
        { costSek: 300, benefit: 2 },
      ],
      [{ costSek: 0, benefit: 3 }],
    ];
    const plan = solveKnapsackApproximate({ groups, budgetSek: 10_000 });
    expect(plan).toMatchObject({ chosen: [1, 0], benefit: 5, gapBound: 0 });
  });
});

describe("solveKnapsack", () => {
  it("goes exact for small inputs and approximate when asked", () => {
    const input = { groups: [[{ costSek: 100, benefit: 1 }]], budgetSek: 1_000 };
    expect(solveKnapsack(input).method).toBe("exact");
    expect(solveKnapsack(input, "approximate").method).toBe("approximate");
  });
});
