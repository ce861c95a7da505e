/**
 * Budget planning as a multiple-choice knapsack (MCKP), issue 6 "Budget".
 *
 * Overlapping actions (repair a lamp, build a new one beside it, or both) form a group of
 * alternatives; a plan picks at most one alternative per group and maximises the total
 * benefit within the budget.
 *
 * Costs are counted in units of `resolutionSek` (default 100 SEK). A cost that is not a
 * multiple of the resolution is rounded UP to the next unit, and the budget DOWN, so a plan
 * never exceeds the budget; "exact" means exact for these rounded costs. The plan reports the
 * true cost in SEK (the sum of the unrounded costs) beside the rounded one.
 *
 * Two solvers:
 * - `solveKnapsackExact`: dynamic programming over capacity in one Float64Array row.
 *   Per group, dominated alternatives (costing as much or more and giving no more) are
 *   dropped; LP-dominated alternatives are kept, as they can be in an exact optimum. Groups
 *   run in ascending order of their largest cost, and the capacity loop of a group stops at
 *   the running sum of largest costs (no plan can use more) and starts at its smallest cost.
 *   Choices are reconstructed from a packed table: per group and capacity cell, the index
 *   of the chosen alternative in ceil(log2(alternatives + 1)) bits (1 bit for a group of one,
 *   2 bits for up to three), only over the cells the group's loop visits. 5,000 groups of
 *   one alternative at 100,001 cells is 62.5 MB; the benchmark's mix of groups of 1-3 about
 *   half that. A full groups × capacity byte table would be 500 MB; divide-and-conquer
 *   (Hirschberg) would need no table but about twice the time.
 * - `solveKnapsackApproximate`: the LP relaxation's greedy. Per group, the upper convex hull
 *   of (cost, benefit) with the "nothing" point (0, 0); its segments, across all groups,
 *   taken in order of decreasing incremental efficiency while they fit (a group whose next
 *   segment does not fit takes no further segment). The LP relaxation's value (the same
 *   order, with a fraction of the first segment that does not fit) is an upper bound on the
 *   optimum, so `gapBound = upperBound - benefit` is a proven bound on the gap.
 *
 * Pure: no DOM. Programmer errors (negative or non-finite numbers) throw.
 */

/** One way to act on a group of overlapping candidate actions. */
export interface PlanAlternative {
  /** Cost in SEK, >= 0. */
  costSek: number;
  /** Benefit score, >= 0 (issue 6 "Benefit"). */
  benefit: number;
}

export interface KnapsackInput {
  /** Groups of alternatives; a plan picks at most one alternative per group. */
  groups: readonly (readonly PlanAlternative[])[];
  /** Budget in SEK, >= 0. */
  budgetSek: number;
  /** Cost resolution in SEK (default 100): costs round up to it, the budget down. */
  resolutionSek?: number;
  /** Step of the benefit-versus-budget curve in SEK (default 10,000). */
  curveStepSek?: number;
}

export interface KnapsackPlan {
  /** "exact": the optimum for the rounded costs; "approximate": greedy with a proven gap bound. */
  method: "exact" | "approximate";
  /** Per group, the index of the chosen alternative in that group, or null for none. */
  chosen: (number | null)[];
  /** The true cost of the chosen alternatives, SEK (sum of the unrounded costs). */
  costSek: number;
  /** The same, each cost rounded up to the resolution: what was checked against the budget. */
  roundedCostSek: number;
  /** Total benefit of the chosen alternatives. */
  benefit: number;
  /** Proven upper bound on the optimum (equal to `benefit` when exact). */
  upperBound: number;
  /** Proven bound on the gap to the optimum: upperBound - benefit (0 when exact). */
  gapBound: number;
  budgetSek: number;
  resolutionSek: number;
  /**
   * Benefit against budget, at `curveStepSek` and at the budget itself: exact, the best
   * benefit for each budget; approximate, the benefit of the greedy's prefix that fits.
   */
  curve: { budgetSek: number; benefit: number }[];
}

export const DEFAULT_RESOLUTION_SEK = 100;
export const DEFAULT_CURVE_STEP_SEK = 10_000;
/** `solveKnapsack` goes exact up to this many alternatives × capacity cells (5,000 × 100,001). */
export const EXACT_WORK_LIMIT = 5_000 * 100_001;
/** The reduction runs a greedy per curve point: skipped above this many points × alternatives. */
const REDUCTION_WORK_LIMIT = 20_000_000;

/** An alternative in capacity units, with its index in the caller's group. */
interface Item {
  units: number;
  benefit: number;
  index: number;
}

interface Prepared {
  resolutionSek: number;
  capacity: number;
  /** Per group, its useful alternatives: ascending units, strictly ascending benefit. */
  groups: Item[][];
  alternatives: number;
}

function prepare(input: KnapsackInput): Prepared {
  const resolutionSek = input.resolutionSek ?? DEFAULT_RESOLUTION_SEK;
  if (!(Number.isFinite(resolutionSek) && resolutionSek > 0)) {
    throw new Error(`knapsack: resolutionSek must be a positive number, got ${resolutionSek}`);
  }
  if (!(Number.isFinite(input.budgetSek) && input.budgetSek >= 0)) {
    throw new Error(`knapsack: budgetSek must be a finite number >= 0, got ${input.budgetSek}`);
  }
  const capacity = Math.floor(input.budgetSek / resolutionSek);
  let alternatives = 0;
  const groups = input.groups.map((group, groupIndex) => {
    const items: Item[] = [];
    group.forEach((alternative, index) => {
      const { costSek, benefit } = alternative;
      if (!(Number.isFinite(costSek) && costSek >= 0)) {
        throw new Error(`knapsack: group ${groupIndex} alternative ${index}: costSek ${costSek}`);
      }
      if (!(Number.isFinite(benefit) && benefit >= 0)) {
        throw new Error(`knapsack: group ${groupIndex} alternative ${index}: benefit ${benefit}`);
      }
      alternatives += 1;
      const units = Math.ceil(costSek / resolutionSek);
      // Over the budget on its own, or no benefit: never in a better plan than "none".
      if (units <= capacity && benefit > 0) items.push({ units, benefit, index });
    });
    // Dominance: keep an alternative only if it gives more than every one costing as much
    // or less. Ties keep the first (cheapest, then earliest).
    items.sort((a, b) => a.units - b.units || b.benefit - a.benefit || a.index - b.index);
    const kept: Item[] = [];
    for (const item of items) {
      if (kept.length === 0 || item.benefit > kept[kept.length - 1]!.benefit) kept.push(item);
    }
    return kept;
  });
  return { resolutionSek, capacity, groups, alternatives };
}

/** The budgets of the curve: every `stepSek` from 0, and the budget itself. */
function curveBudgets(budgetSek: number, stepSek: number): number[] {
  if (!(Number.isFinite(stepSek) && stepSek > 0)) {
    throw new Error(`knapsack: curveStepSek must be a positive number, got ${stepSek}`);
  }
  const budgets: number[] = [];
  for (let step = 0; step * stepSek < budgetSek; step++) budgets.push(step * stepSek);
  budgets.push(budgetSek);
  return budgets;
}

function summarise(
  input: KnapsackInput,
  prepared: Prepared,
  chosen: (number | null)[],
): { costSek: number; roundedCostSek: number; benefit: number } {
  let costSek = 0;
  let units = 0;
  let benefit = 0;
  chosen.forEach((index, group) => {
    if (index === null) return;
    const alternative = input.groups[group]![index]!;
    costSek += alternative.costSek;
    units += Math.ceil(alternative.costSek / prepared.resolutionSek);
    benefit += alternative.benefit;
  });
  return { costSek, roundedCostSek: units * prepared.resolutionSek, benefit };
}

/**
 * The alternatives that can be in an optimal plan at one of `budgets` (Lagrangian reduction,
 * `markSurvivors`, at each budget with the greedy as the feasible plan). The DP over them is
 * exact at those budgets, which are the only ones the plan reports. Skipped (all kept) when
 * budgets × alternatives exceeds REDUCTION_WORK_LIMIT.
 */
function reduceForBudgets(prepared: Prepared, budgets: number[]): Item[][] {
  const { groups, resolutionSek } = prepared;
  const alternatives = groups.reduce((sum, items) => sum + items.length, 0);
  if (budgets.length * alternatives > REDUCTION_WORK_LIMIT) return groups;
  const hull = buildHull(groups);
  const keep = groups.map((items) => new Uint8Array(items.length));
  const blocked = new Uint8Array(groups.length);
  const terms = new Float64Array(groups.length);
  let scale = 1;
  for (const items of groups) scale += items.length > 0 ? items[items.length - 1]!.benefit : 0;
  // Float error in the sums is far below this; a tie with the lower bound is kept.
  const tolerance = 1e-9 * scale;
  for (const budgetSek of budgets) {
    const units = Math.floor(budgetSek / resolutionSek);
    const greedy = runGreedy(hull, units, blocked);
    markSurvivors(groups, units, greedy.criticalSlope, greedy.benefit, tolerance, terms, keep);
  }
  return groups.map((items, g) => items.filter((_, k) => keep[g]![k] === 1));
}

/** The exact optimum for costs rounded up to the resolution (see the module comment). */
export function solveKnapsackExact(input: KnapsackInput): KnapsackPlan {
  const prepared = prepare(input);
  const { capacity } = prepared;
  const budgets = curveBudgets(input.budgetSek, input.curveStepSek ?? DEFAULT_CURVE_STEP_SEK);
  const groups = reduceForBudgets(prepared, budgets);
  // Groups with a useful alternative, by ascending largest cost: the running sum of largest
  // costs caps each group's capacity loop for longer.
  const order = groups
    .map((_, group) => group)
    .filter((group) => groups[group]!.length > 0)
    .sort(
      (a, b) => groups[a]![groups[a]!.length - 1]!.units - groups[b]![groups[b]!.length - 1]!.units,
    );

  // Layout of the packed choice table: per group, its cells [low, high] at `bits` bits each.
  const low = new Int32Array(order.length);
  const high = new Int32Array(order.length);
  const bitsOf = new Uint8Array(order.length);
  const offset = new Float64Array(order.length + 1);
  let reach = 0;
  order.forEach((group, position) => {
    const items = groups[group]!;
    reach = Math.min(capacity, reach + items[items.length - 1]!.units);
    let bits = 1;
    while (2 ** bits <= items.length) bits *= 2; // 1, 2, 4, 8, 16: whole cells per 32-bit word
    if (bits > 16) throw new Error(`knapsack: a group has ${items.length} useful alternatives`);
    low[position] = items[0]!.units;
    high[position] = reach;
    bitsOf[position] = bits;
    const cells = reach - items[0]!.units + 1;
    offset[position + 1] = offset[position]! + Math.ceil((cells * bits) / 32);
  });
  const table = new Uint32Array(offset[order.length]!);
  const row = new Float64Array(capacity + 1);

  for (let position = 0; position < order.length; position++) {
    const items = groups[order[position]!]!;
    const lowCell = low[position]!;
    const highCell = high[position]!;
    const base = offset[position]!;
    // Above the previous groups' reach no plan of theirs fits better than at that reach.
    const previousHigh = position === 0 ? 0 : high[position - 1]!;
    if (highCell > previousHigh) row.fill(row[previousHigh]!, previousHigh + 1, highCell + 1);
    if (items.length === 1) {
      const units = items[0]!.units;
      const benefit = items[0]!.benefit;
      for (let cell = highCell; cell >= lowCell; cell--) {
        const value = row[cell - units]! + benefit;
        if (value > row[cell]!) {
          row[cell] = value;
          const slot = cell - lowCell;
          table[base + (slot >>> 5)] = table[base + (slot >>> 5)]! | (1 << (slot & 31));
        }
      }
      continue;
    }
    const count = items.length;
    const units = new Int32Array(count);
    const benefits = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      units[k] = items[k]!.units;
      benefits[k] = items[k]!.benefit;
    }
    const bits = bitsOf[position]!;
    const shift = Math.log2(32 / bits);
    const mask = 32 / bits - 1;
    // Descending capacity, so row[cell - units]! (units > 0) is still the previous groups' value;
    // a zero-cost alternative reads row[cell]! before it is written.
    for (let cell = highCell; cell >= lowCell; cell--) {
      let best = row[cell]!;
      let choice = 0;
      // Alternatives ascend in units: stop at the first that does not fit.
      for (let k = 0; k < count && units[k]! <= cell; k++) {
        const value = row[cell - units[k]!]! + benefits[k]!;
        if (value > best) {
          best = value;
          choice = k + 1;
        }
      }
      if (choice !== 0) {
        row[cell] = best;
        const slot = cell - lowCell;
        const at = base + (slot >>> shift);
        table[at] = table[at]! | (choice << ((slot & mask) * bits));
      }
    }
  }

  const lastHigh = order.length === 0 ? 0 : high[order.length - 1]!;
  row.fill(row[lastHigh]!, lastHigh + 1);

  const chosen: (number | null)[] = groups.map(() => null);
  let cell = capacity;
  for (let position = order.length - 1; position >= 0; position--) {
    // Above its reach, the best plan of the groups so far is the one at its reach.
    if (cell > high[position]!) cell = high[position]!;
    if (cell < low[position]!) continue;
    const bits = bitsOf[position]!;
    const slot = cell - low[position]!;
    const perWord = 32 / bits;
    const word = table[offset[position]! + Math.floor(slot / perWord)]!;
    const choice = (word >>> ((slot % perWord) * bits)) & (2 ** bits - 1);
    if (choice === 0) continue;
    const item = groups[order[position]!]![choice - 1]!;
    chosen[order[position]!] = item.index;
    cell -= item.units;
  }

  const totals = summarise(input, prepared, chosen);
  // The row is non-decreasing: each cell is the best benefit within that many units.
  const curve = budgets.map((budgetSek) => ({
    budgetSek,
    benefit: row[Math.min(capacity, Math.floor(budgetSek / prepared.resolutionSek))]!,
  }));
  return {
    method: "exact",
    chosen,
    ...totals,
    upperBound: totals.benefit,
    gapBound: 0,
    budgetSek: input.budgetSek,
    resolutionSek: prepared.resolutionSek,
    curve,
  };
}

/** The LP relaxation's pieces: per group the upper hull from (0, 0), as segments. */
interface Hull {
  /** Per segment: its group, the item it moves the group to, its units and benefit. */
  group: Int32Array;
  to: Int32Array;
  units: Float64Array;
  benefit: Float64Array;
  /** Segment indices by decreasing efficiency (ties: group, then hull order). */
  order: Int32Array;
  /** Per group, its zero-cost item (0) or -1; their benefit is always taken. */
  start: Int32Array;
  baseBenefit: number;
}

function buildHull(groups: Item[][]): Hull {
  const group: number[] = [];
  const to: number[] = [];
  const units: number[] = [];
  const benefit: number[] = [];
  const start = new Int32Array(groups.length).fill(-1);
  let baseBenefit = 0;
  groups.forEach((items, groupIndex) => {
    let startBenefit = 0;
    let first = 0;
    // A zero-cost alternative (the best of them, after dominance) is always taken.
    if (items.length > 0 && items[0]!.units === 0) {
      start[groupIndex] = 0;
      startBenefit = items[0]!.benefit;
      baseBenefit += startBenefit;
      first = 1;
    }
    // Hull points are item indices; -1 is the start point (0, startBenefit).
    const unitsAt = (h: number) => (h < 0 ? 0 : items[h]!.units);
    const benefitAt = (h: number) => (h < 0 ? startBenefit : items[h]!.benefit);
    const hull: number[] = [];
    for (let k = first; k < items.length; k++) {
      // Pop while the last hull point lies on or below the chord from its predecessor to k.
      while (hull.length > 0) {
        const last = hull[hull.length - 1]!;
        const before = hull.length > 1 ? hull[hull.length - 2]! : -1;
        const slopeLast = (benefitAt(last) - benefitAt(before)) / (unitsAt(last) - unitsAt(before));
        const slopeNew =
          (items[k]!.benefit - benefitAt(before)) / (items[k]!.units - unitsAt(before));
        if (slopeNew >= slopeLast) hull.pop();
        else break;
      }
      hull.push(k);
    }
    let previous = -1;
    for (const h of hull) {
      group.push(groupIndex);
      to.push(h);
      units.push(items[h]!.units - unitsAt(previous));
      benefit.push(items[h]!.benefit - benefitAt(previous));
      previous = h;
    }
  });
  const order = Int32Array.from(group, (_, index) => index).sort(
    (a, b) => benefit[b]! * units[a]! - benefit[a]! * units[b]! || group[a]! - group[b]! || a - b,
  );
  return {
    group: Int32Array.from(group),
    to: Int32Array.from(to),
    units: Float64Array.from(units),
    benefit: Float64Array.from(benefit),
    order,
    start,
    baseBenefit,
  };
}

interface Greedy {
  /** The greedy's benefit (a feasible plan). */
  benefit: number;
  /** The LP relaxation's value: an upper bound on the optimum. */
  upperBound: number;
  /** The LP's critical efficiency (benefit per unit), 0 if every segment fits. */
  criticalSlope: number;
}

/**
 * Segments by decreasing efficiency while they fit; a group whose next segment does not fit
 * takes no further one. `current` (if given) receives each group's hull item.
 */
function runGreedy(
  hull: Hull,
  capacity: number,
  blocked: Uint8Array,
  current?: Int32Array,
  prefix?: { units: number[]; benefit: number[] },
): Greedy {
  blocked.fill(0);
  let remaining = capacity;
  let benefit = hull.baseBenefit;
  let upperBound = Number.NaN;
  let criticalSlope = 0;
  for (let i = 0; i < hull.order.length; i++) {
    const segment = hull.order[i]!;
    const group = hull.group[segment]!;
    if (blocked[group]!) continue;
    if (hull.units[segment]! <= remaining) {
      remaining -= hull.units[segment]!;
      benefit += hull.benefit[segment]!;
      if (current) current[group] = hull.to[segment]!;
      if (prefix && Number.isNaN(upperBound)) {
        prefix.units.push(capacity - remaining);
        prefix.benefit.push(benefit);
      }
    } else {
      if (Number.isNaN(upperBound)) {
        criticalSlope = hull.benefit[segment]! / hull.units[segment]!;
        upperBound = benefit + criticalSlope * remaining;
      }
      blocked[group] = 1;
    }
  }
  if (Number.isNaN(upperBound)) upperBound = benefit;
  return { benefit, upperBound, criticalSlope };
}

/**
 * Lagrangian reduction (variable fixing, as in Dyer, Kayal and Walker 1984): at a budget of
 * `capacity` units and the LP's critical slope λ, a plan that uses alternative j of group g
 * has benefit at most λ·capacity + Σ_h max(0, max_k b_k - λ w_k) - (group g's term) +
 * (b_j - λ w_j). If that is below a feasible plan's benefit, j is in no optimal plan at that
 * budget. Marks in `keep` every alternative that survives at this budget.
 */
function markSurvivors(
  groups: Item[][],
  capacity: number,
  criticalSlope: number,
  lowerBound: number,
  tolerance: number,
  terms: Float64Array,
  keep: Uint8Array[],
): void {
  let sum = 0;
  for (let g = 0; g < groups.length; g++) {
    let term = 0;
    for (const item of groups[g]!) term = Math.max(term, item.benefit - criticalSlope * item.units);
    terms[g] = term;
    sum += term;
  }
  const base = criticalSlope * capacity + sum;
  for (let g = 0; g < groups.length; g++) {
    const items = groups[g]!;
    const rest = base - terms[g]!;
    for (let k = 0; k < items.length; k++) {
      if (items[k]!.units > capacity) break;
      if (rest + items[k]!.benefit - criticalSlope * items[k]!.units >= lowerBound - tolerance) {
        keep[g]![k] = 1;
      }
    }
  }
}

/**
 * Greedy on the LP relaxation (see the module comment), O(n log n) in the alternatives.
 * `gapBound` is proven: the optimum lies in [benefit, upperBound].
 */
export function solveKnapsackApproximate(input: KnapsackInput): KnapsackPlan {
  const prepared = prepare(input);
  const { capacity, groups } = prepared;
  const hull = buildHull(groups);
  const current = Int32Array.from(hull.start);
  // The LP prefix (segments in order until the first that does not fit) is a feasible plan
  // at each prefix's cumulative cost: the curve.
  const prefix = { units: [0], benefit: [hull.baseBenefit] };
  const greedy = runGreedy(hull, capacity, new Uint8Array(groups.length), current, prefix);

  let chosen: (number | null)[] = groups.map((items, group) =>
    current[group]! < 0 ? null : items[current[group]!]!.index,
  );
  // The best single alternative alone can beat the greedy (the classic 1/2 guarantee).
  let bestSingle = -1;
  let bestSingleGroup = -1;
  let bestSingleIndex = -1;
  groups.forEach((items, group) => {
    for (const item of items) {
      if (item.benefit > bestSingle) {
        bestSingle = item.benefit;
        bestSingleGroup = group;
        bestSingleIndex = item.index;
      }
    }
  });
  if (bestSingleGroup >= 0 && bestSingle > greedy.benefit) {
    chosen = groups.map((_, group) => (group === bestSingleGroup ? bestSingleIndex : null));
  }
  const totals = summarise(input, prepared, chosen);
  const budgets = curveBudgets(input.budgetSek, input.curveStepSek ?? DEFAULT_CURVE_STEP_SEK);
  const curve = budgets.map((budgetSek) => {
    const units = Math.floor(budgetSek / prepared.resolutionSek);
    let lowIndex = 0;
    let highIndex = prefix.units.length - 1;
    while (lowIndex < highIndex) {
      const middle = (lowIndex + highIndex + 1) >> 1;
      if (prefix.units[middle]! <= units) lowIndex = middle;
      else highIndex = middle - 1;
    }
    return { budgetSek, benefit: prefix.benefit[lowIndex]! };
  });
  const bound = Math.max(greedy.upperBound, totals.benefit);
  return {
    method: "approximate",
    chosen,
    ...totals,
    upperBound: bound,
    gapBound: bound - totals.benefit,
    budgetSek: input.budgetSek,
    resolutionSek: prepared.resolutionSek,
    curve,
  };
}

/**
 * Exact up to `EXACT_WORK_LIMIT` alternatives × capacity cells, approximate above it, or as
 * the caller asks.
 */
export function solveKnapsack(
  input: KnapsackInput,
  method: "auto" | "exact" | "approximate" = "auto",
): KnapsackPlan {
  if (method === "exact") return solveKnapsackExact(input);
  if (method === "approximate") return solveKnapsackApproximate(input);
  const resolutionSek = input.resolutionSek ?? DEFAULT_RESOLUTION_SEK;
  const cells = Math.floor(input.budgetSek / resolutionSek) + 1;
  const alternatives = input.groups.reduce((sum, group) => sum + group.length, 0);
  return alternatives * cells <= EXACT_WORK_LIMIT
    ? solveKnapsackExact(input)
    : solveKnapsackApproximate(input);
}
