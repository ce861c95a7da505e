/**
 * The obvious multiple-choice knapsack, the alternative benchmarks 10 and 11 compare the plan's
 * solver (src/domain/plan/knapsack.ts) against: every group over the whole capacity, two
 * Float64Array rows, the max over the group's alternatives per cell. Value only: it keeps no
 * choices (a byte per group and cell would be hundreds of MB), so it is flattered.
 */
export interface DpAlternative {
  costSek: number;
  benefit: number;
}

/** The best total benefit within `budgetSek`, costs rounded up to `resolutionSek`. */
export function plainKnapsackDp(
  groups: readonly (readonly DpAlternative[])[],
  budgetSek: number,
  resolutionSek: number,
): number {
  const capacity = Math.floor(budgetSek / resolutionSek);
  let previous = new Float64Array(capacity + 1);
  let next = new Float64Array(capacity + 1);
  for (const group of groups) {
    const units = group.map((alternative) => Math.ceil(alternative.costSek / resolutionSek));
    const benefits = group.map((alternative) => alternative.benefit);
    for (let cell = 0; cell <= capacity; cell++) {
      let best = previous[cell]!;
      for (let k = 0; k < units.length; k++) {
        if (units[k]! <= cell) {
          const value = previous[cell - units[k]!]! + benefits[k]!;
          if (value > best) best = value;
        }
      }
      next[cell] = best;
    }
    [previous, next] = [next, previous];
  }
  return previous[capacity]!;
}
