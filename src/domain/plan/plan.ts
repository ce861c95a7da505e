/**
 * The budget plan (issue 6; docs/plan.md), in two steps:
 *
 * 1. `buildCandidates(input, options)` (once per analysis, needs the lighting model):
 *    candidate actions (candidates.ts), each scored alone (benefit.ts); overlapping
 *    investments grouped; per group its alternatives, each scored as one scenario.
 * 2. `selectPlan(candidates, budgetSek)` (every move of the budget slider; pure data, cheap):
 *    the multiple-choice knapsack (knapsack.ts) over the groups, the ranking and the
 *    benefit-versus-budget curve.
 *
 * Overlap. Two investments overlap when the scenario of one changes a piece of today's
 * coverage that the other also changes (a repair and a new lamp beside it light the same
 * metres), or when they answer the same site (its need must count once). Overlap is
 * transitive: the groups are the connected components. A group of up to
 * MAX_SUBSET_GROUP actions gets every non-empty subset as an alternative (a pair: repair
 * only, new lamp only, both); a larger group gets each action alone plus the nested
 * prefixes of its actions in order of benefit per SEK alone (k + k − 1 alternatives), each
 * evaluated as one scenario. So the plan never adds up light or need twice; for large groups
 * the choice inside the group is limited to those alternatives (said in the result).
 */
import type { LightingModel } from "../lighting/model";
import type { LampChange, LightingArea, LightingPoi } from "../lighting/types";
import { ExposureIndex, type LightGain, scoreBenefit, uniteExposures } from "./benefit";
import {
  type ActionDraft,
  type CandidateInput,
  buildCandidates as draftCandidates,
} from "./candidates";
import type { BenefitWeights, CostCatalogue } from "./catalogue";
import { DEFAULT_RESOLUTION_SEK, type KnapsackPlan, solveKnapsack } from "./knapsack";
import {
  type ActionGroup,
  type GroupAlternative,
  isInvestmentKind,
  type PlanAction,
} from "./types";

/**
 * Dark gaps the lighting model describes for a plan (its `maxGaps` option): every gap of a
 * city becomes a candidate (the analysis screen lists the worst 500; the synthetic city of
 * the benchmarks has about 4,200 gaps of 5 m or more).
 */
export const PLAN_MAX_GAPS = 20_000;

/** Groups up to this size get every subset as an alternative (2^k − 1: 7 for three). */
export const MAX_SUBSET_GROUP = 3;

export interface PlanInput extends CandidateInput {
  pois?: readonly LightingPoi[];
  /** Priority areas (point-in-polygon). */
  priorityAreas?: readonly LightingArea[];
}

export interface PlanOptions {
  costs: CostCatalogue;
  weights: BenefitWeights;
}

export interface PlanCandidates {
  /** Investments first (in generation order), then tasks. */
  actions: PlanAction[];
  /** Groups of investments (every investment is in exactly one). */
  groups: ActionGroup[];
  /** Groups too large for every subset (their alternatives are limited; see above). */
  limitedGroups: number;
  /** Σ over groups of the most expensive alternative: the slider's top. */
  maxUsefulBudgetSek: number;
  mode: "coverage" | "illuminance";
}

function lightOf(
  model: LightingModel,
  change: LampChange | null,
  illuminance: boolean,
): { gain: LightGain; pieces: number[] } | null {
  if (change === null) return null;
  const result = model.evaluate(change, { illuminance });
  return {
    gain: { newlyLitM: result.newlyLitM, newlyCompliantM: result.newlyCompliantM ?? 0 },
    pieces: result.pieces.map((piece) => piece.pieceIndex),
  };
}

function mergeChanges(changes: readonly (LampChange | null)[]): LampChange | null {
  const add: NonNullable<LampChange["add"]>[number][] = [];
  const repair: number[] = [];
  const remove: number[] = [];
  let any = false;
  for (const change of changes) {
    if (change === null) continue;
    any = true;
    add.push(...(change.add ?? []));
    repair.push(...(change.repair ?? []));
    remove.push(...(change.remove ?? []));
  }
  return any ? { add, repair: [...new Set(repair)], remove: [...new Set(remove)] } : null;
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[i] !== root) {
      const next = this.parent[i]!;
      this.parent[i] = root;
      i = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Candidate actions, scored, with their groups of alternatives. */
export function buildCandidates(input: PlanInput, options: PlanOptions): PlanCandidates {
  const { model, lighting } = input;
  const illuminance = lighting.mode === "illuminance";
  const exposureIndex = new ExposureIndex(
    input.pois ?? [],
    input.priorityAreas ?? [],
    model.projection,
    options.weights,
  );
  const drafts = draftCandidates(
    input,
    options.costs,
    exposureIndex,
    options.weights.exposure.pathClassSearchM,
  );
  // Investments first, tasks after, each in generation order.
  const ordered = [
    ...drafts.filter((d) => isInvestmentKind(d.action.kind)),
    ...drafts.filter((d) => !isInvestmentKind(d.action.kind)),
  ];
  const investments = ordered.filter((d) => isInvestmentKind(d.action.kind)).length;

  // Score each alone; remember which coverage pieces its scenario changes.
  const lights = ordered.map((draft) => lightOf(model, draft.change, illuminance));
  const actions: PlanAction[] = ordered.map((draft, i) => ({
    ...draft.action,
    benefit: scoreBenefit(draft.units, lights[i]?.gain ?? null, draft.exposure, options.weights),
  }));

  // Overlap: shared coverage pieces or shared sites.
  const union = new UnionFind(investments);
  const byPiece = new Map<number, number>();
  const bySite = new Map<string, number>();
  for (let i = 0; i < investments; i++) {
    for (const piece of lights[i]?.pieces ?? []) {
      const other = byPiece.get(piece);
      if (other === undefined) byPiece.set(piece, i);
      else union.union(i, other);
    }
    for (const unit of ordered[i]!.units) {
      const other = bySite.get(unit.siteId);
      if (other === undefined) bySite.set(unit.siteId, i);
      else union.union(i, other);
    }
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < investments; i++) {
    const root = union.find(i);
    let list = members.get(root);
    if (list === undefined) {
      list = [];
      members.set(root, list);
    }
    list.push(i);
  }

  const groups: ActionGroup[] = [];
  let limitedGroups = 0;
  let maxUsefulBudgetSek = 0;
  for (const indexes of members.values()) {
    const alternatives =
      indexes.length === 1
        ? [single(actions, indexes[0]!)]
        : groupAlternatives(indexes, ordered, actions, model, illuminance, options.weights);
    if (indexes.length > MAX_SUBSET_GROUP) limitedGroups++;
    maxUsefulBudgetSek += Math.max(...alternatives.map((a) => a.costSek));
    groups.push({
      id: `group:${actions[indexes[0]!]!.key}`,
      actionIndexes: indexes,
      alternatives,
    });
  }
  return { actions, groups, limitedGroups, maxUsefulBudgetSek, mode: lighting.mode };
}

function single(actions: readonly PlanAction[], index: number): GroupAlternative {
  const action = actions[index]!;
  return { actionIndexes: [index], costSek: action.cost?.costSek ?? 0, benefit: action.benefit };
}

function groupAlternatives(
  indexes: readonly number[],
  drafts: readonly ActionDraft[],
  actions: readonly PlanAction[],
  model: LightingModel,
  illuminance: boolean,
  weights: BenefitWeights,
): GroupAlternative[] {
  const subsets: number[][] = [];
  if (indexes.length <= MAX_SUBSET_GROUP) {
    for (let mask = 1; mask < 1 << indexes.length; mask++) {
      subsets.push(indexes.filter((_, bit) => (mask >> bit) & 1));
    }
  } else {
    const efficiency = (i: number) =>
      actions[i]!.benefit.benefit / Math.max(1, actions[i]!.cost?.costSek ?? 0);
    const order = [...indexes].sort((a, b) => efficiency(b) - efficiency(a) || a - b);
    for (const i of indexes) subsets.push([i]);
    for (let k = 2; k <= order.length; k++) subsets.push(order.slice(0, k).sort((a, b) => a - b));
  }
  return subsets.map((subset) => {
    if (subset.length === 1) return single(actions, subset[0]!);
    const change = mergeChanges(subset.map((i) => drafts[i]!.change));
    const light = lightOf(model, change, illuminance);
    const benefit = scoreBenefit(
      subset.flatMap((i) => drafts[i]!.units),
      light?.gain ?? null,
      uniteExposures(subset.map((i) => drafts[i]!.exposure)),
      weights,
    );
    const costSek = subset.reduce((sum, i) => sum + (actions[i]!.cost?.costSek ?? 0), 0);
    return { actionIndexes: subset, costSek, benefit };
  });
}

// ---- selection ------------------------------------------------------------------------

export interface PlanSelection {
  budgetSek: number;
  knapsack: KnapsackPlan;
  /** Per action (PlanCandidates.actions order). */
  selected: boolean[];
  /** Per action: 1.. for investments, null for tasks. */
  rank: (number | null)[];
  /** Per action: the benefit it adds within its chosen alternative (its share of the
   *  alternative's benefit, split by standalone benefit), 0 when not selected. */
  plannedBenefit: number[];
  /** Per action: the other actions chosen with it as one alternative (indexes). */
  chosenWith: number[][];
  selectedCostSek: number;
  selectedBenefit: number;
  /** Benefit of the best plan for a budget 100,000 SEK larger, minus this one. */
  marginalNext100kBenefit: number;
}

export const MARGINAL_STEP_SEK = 100_000;

/** The best plan within `budgetSek` (exact up to the knapsack's work limit). */
export function selectPlan(
  candidates: PlanCandidates,
  budgetSek: number,
  options: {
    resolutionSek?: number;
    curveStepSek?: number;
    method?: "auto" | "exact" | "approximate";
  } = {},
): PlanSelection {
  const resolutionSek = options.resolutionSek ?? DEFAULT_RESOLUTION_SEK;
  const groups = candidates.groups.map((group) =>
    group.alternatives.map((alt) => ({ costSek: alt.costSek, benefit: alt.benefit.benefit })),
  );
  const knapsack = solveKnapsack(
    { groups, budgetSek, resolutionSek, curveStepSek: options.curveStepSek },
    options.method ?? "auto",
  );
  const next = solveKnapsack(
    {
      groups,
      budgetSek: budgetSek + MARGINAL_STEP_SEK,
      resolutionSek,
      curveStepSek: MARGINAL_STEP_SEK,
    },
    options.method ?? "auto",
  );
  const count = candidates.actions.length;
  const selected = new Array<boolean>(count).fill(false);
  const plannedBenefit = new Array<number>(count).fill(0);
  const chosenWith: number[][] = Array.from({ length: count }, () => []);
  const chosenAlternatives: GroupAlternative[] = [];
  candidates.groups.forEach((group, g) => {
    const choice = knapsack.chosen[g];
    if (choice === null || choice === undefined) return;
    const alt = group.alternatives[choice]!;
    chosenAlternatives.push(alt);
    const standalone = alt.actionIndexes.reduce(
      (sum, i) => sum + candidates.actions[i]!.benefit.benefit,
      0,
    );
    for (const i of alt.actionIndexes) {
      selected[i] = true;
      const share =
        standalone > 0
          ? candidates.actions[i]!.benefit.benefit / standalone
          : 1 / alt.actionIndexes.length;
      plannedBenefit[i] = alt.benefit.benefit * share;
      chosenWith[i] = alt.actionIndexes.filter((j) => j !== i);
    }
  });

  // Rank: chosen alternatives by benefit per SEK (their actions together), then the rest of
  // the investments by their own benefit per SEK; ties by generation order.
  const perSek = (benefit: number, cost: number) => benefit / Math.max(cost, 1);
  const chosenOrder = chosenAlternatives
    .map((alt) => ({ alt, efficiency: perSek(alt.benefit.benefit, alt.costSek) }))
    .sort(
      (a, b) => b.efficiency - a.efficiency || a.alt.actionIndexes[0]! - b.alt.actionIndexes[0]!,
    );
  const rank = new Array<number | null>(count).fill(null);
  let next1 = 1;
  for (const { alt } of chosenOrder) {
    const inside = [...alt.actionIndexes].sort(
      (a, b) =>
        perSek(candidates.actions[b]!.benefit.benefit, candidates.actions[b]!.cost?.costSek ?? 0) -
          perSek(
            candidates.actions[a]!.benefit.benefit,
            candidates.actions[a]!.cost?.costSek ?? 0,
          ) || a - b,
    );
    for (const i of inside) rank[i] = next1++;
  }
  const rest = candidates.actions
    .map((action, i) => ({ action, i }))
    .filter(({ action, i }) => isInvestmentKind(action.kind) && !selected[i])
    .sort(
      (a, b) =>
        perSek(b.action.benefit.benefit, b.action.cost?.costSek ?? 0) -
          perSek(a.action.benefit.benefit, a.action.cost?.costSek ?? 0) || a.i - b.i,
    );
  for (const { i } of rest) rank[i] = next1++;

  return {
    budgetSek,
    knapsack,
    selected,
    rank,
    plannedBenefit,
    chosenWith,
    selectedCostSek: knapsack.costSek,
    selectedBenefit: knapsack.benefit,
    marginalNext100kBenefit: Math.max(0, next.benefit - knapsack.benefit),
  };
}

/** Benefit against budget from 0 to `maxBudgetSek` (the slider's chart), ~`points` steps. */
export function benefitCurve(
  candidates: PlanCandidates,
  maxBudgetSek: number,
  points = 100,
): { budgetSek: number; benefit: number }[] {
  const step = Math.max(10_000, Math.ceil(maxBudgetSek / points / 10_000) * 10_000);
  const plan = solveKnapsack({
    groups: candidates.groups.map((group) =>
      group.alternatives.map((alt) => ({ costSek: alt.costSek, benefit: alt.benefit.benefit })),
    ),
    budgetSek: maxBudgetSek,
    curveStepSek: step,
  });
  return plan.curve;
}
