/**
 * The budget plan of the open project (issue 6; docs/plan.md).
 *
 *   await runPlan(projectId, "coverage", null);   // candidates, in the lighting worker
 *   planBudgetSek.value = 2_000_000;               // the slider
 *   planSelection.value                            // the best plan within it (main thread)
 *   planCurve.value                                // benefit against budget, for the chart
 *
 * Building candidates needs the lighting model (the scenario API), so it runs in the
 * lighting worker with the analysis. Selecting within a budget is pure data and quick for a
 * project's few hundred candidates (the knapsack, benchmark 10), so it runs on the page and
 * follows the slider.
 *
 * The cost catalogue, the benefit weights and the budget are the project's: a planner edits
 * them here. They are kept per project on this device (localStorage) for now; see
 * docs/plan.md, "What is still missing".
 */
import { computed, signal } from "@preact/signals";
import benefitWeightsData from "../../data/benefit-weights.json";
import costsData from "../../data/costs.json";
import {
  type BenefitWeights,
  benefitWeightsProblems,
  type CostCatalogue,
  costCatalogueProblems,
  type TableProblem,
} from "../domain/plan/catalogue";
import {
  benefitCurve,
  type PlanCandidates,
  type PlanSelection,
  selectPlan,
} from "../domain/plan/plan";
import type { LightingMode, PlanReply } from "../workers/lighting-protocol";
import { askLightingWorker, nextRequestId, projectLayerBlobs } from "./lighting";
import { projectObservations, sites } from "./sites";

export const DEFAULT_COSTS = costsData as CostCatalogue;
export const DEFAULT_WEIGHTS = benefitWeightsData as BenefitWeights;
/** The budget a new plan starts from: the example of issue 6 ("say, 2 million SEK"). */
export const DEFAULT_BUDGET_SEK = 2_000_000;

export type PlanState =
  | { state: "idle" }
  | { state: "running"; projectId: string }
  | {
      state: "done";
      projectId: string;
      mode: LightingMode;
      radiusM: number | null;
      candidates: PlanCandidates;
      /** When the candidates were built, epoch ms (the reports say so). */
      builtAt: number;
      workerMs: number;
    }
  | {
      state: "failed";
      projectId: string;
      reason: "no_paths" | "no_lamps" | "crashed";
      detail?: string;
    };

export const planState = signal<PlanState>({ state: "idle" });
export const planCosts = signal<CostCatalogue>(DEFAULT_COSTS);
export const planWeights = signal<BenefitWeights>(DEFAULT_WEIGHTS);
export const planBudgetSek = signal<number>(DEFAULT_BUDGET_SEK);
/** The project whose settings are loaded into the three signals above. */
let settingsProjectId: string | null = null;

const storageKey = (projectId: string) => `lykta.plan.v1.${projectId}`;

interface StoredPlanSettings {
  costs?: unknown;
  weights?: unknown;
  budgetSek?: unknown;
}

/** Load a project's plan settings (falling back to the shipped tables when unusable). */
export function loadPlanSettings(projectId: string): void {
  settingsProjectId = projectId;
  let stored: StoredPlanSettings = {};
  try {
    stored = JSON.parse(globalThis.localStorage?.getItem(storageKey(projectId)) ?? "{}");
  } catch {
    stored = {};
  }
  planCosts.value =
    stored.costs !== undefined && costCatalogueProblems(stored.costs).length === 0
      ? (stored.costs as CostCatalogue)
      : DEFAULT_COSTS;
  planWeights.value =
    stored.weights !== undefined && benefitWeightsProblems(stored.weights).length === 0
      ? (stored.weights as BenefitWeights)
      : DEFAULT_WEIGHTS;
  planBudgetSek.value =
    typeof stored.budgetSek === "number" &&
    Number.isFinite(stored.budgetSek) &&
    stored.budgetSek >= 0
      ? stored.budgetSek
      : DEFAULT_BUDGET_SEK;
}

function storePlanSettings(): void {
  if (settingsProjectId === null) return;
  try {
    globalThis.localStorage?.setItem(
      storageKey(settingsProjectId),
      JSON.stringify({
        costs: planCosts.peek(),
        weights: planWeights.peek(),
        budgetSek: planBudgetSek.peek(),
      }),
    );
  } catch {
    // A full or blocked storage keeps the values for this session only.
  }
}

/** Use an edited cost catalogue; refused (with where and why) when it is not usable. */
export function setPlanCosts(value: unknown): TableProblem[] {
  const problems = costCatalogueProblems(value);
  if (problems.length > 0) return problems;
  planCosts.value = value as CostCatalogue;
  storePlanSettings();
  return [];
}

/** Use edited benefit weights; refused (with where and why) when they are not usable. */
export function setPlanWeights(value: unknown): TableProblem[] {
  const problems = benefitWeightsProblems(value);
  if (problems.length > 0) return problems;
  planWeights.value = value as BenefitWeights;
  storePlanSettings();
  return [];
}

export function setPlanBudget(budgetSek: number): void {
  if (!Number.isFinite(budgetSek) || budgetSek < 0) return;
  planBudgetSek.value = Math.round(budgetSek);
  storePlanSettings();
}

/** Back to the shipped tables (data/costs.json, data/benefit-weights.json). */
export function resetPlanTables(): void {
  planCosts.value = DEFAULT_COSTS;
  planWeights.value = DEFAULT_WEIGHTS;
  storePlanSettings();
}

/** Build the candidates of the open project in the worker (the analysis runs again). */
export async function runPlan(
  projectId: string,
  mode: LightingMode = "coverage",
  radiusM: number | null = null,
): Promise<void> {
  const { paths, lamps, pois, areas } = await projectLayerBlobs(projectId);
  if (paths.length === 0 || lamps.length === 0) {
    planState.value = {
      state: "failed",
      projectId,
      reason: paths.length === 0 ? "no_paths" : "no_lamps",
    };
    return;
  }
  planState.value = { state: "running", projectId };
  const reply = await askLightingWorker<PlanReply>({
    type: "plan",
    id: nextRequestId(),
    mode,
    radiusM,
    paths,
    lamps,
    pois,
    areas,
    observations: projectObservations.peek().filter((record) => record.projectId === projectId),
    sites: sites.peek(),
    costs: planCosts.peek(),
    weights: planWeights.peek(),
  });
  if (reply.type === "failed") {
    planState.value = { state: "failed", projectId, reason: "crashed", detail: reply.message };
    return;
  }
  planState.value = {
    state: "done",
    projectId,
    mode,
    radiusM,
    candidates: reply.candidates,
    builtAt: Date.now(),
    workerMs: reply.timingsMs.totalMs,
  };
}

/** The best plan within the budget (null until candidates exist). */
export const planSelection = computed<PlanSelection | null>(() => {
  const state = planState.value;
  if (state.state !== "done") return null;
  return selectPlan(state.candidates, planBudgetSek.value);
});

/** The slider's top: every group's most expensive alternative, rounded up to 100,000 SEK. */
export const planMaxBudgetSek = computed<number>(() => {
  const state = planState.value;
  if (state.state !== "done") return DEFAULT_BUDGET_SEK * 2;
  const top = Math.max(state.candidates.maxUsefulBudgetSek, planBudgetSek.value, 100_000);
  return Math.ceil(top / 100_000) * 100_000;
});

/** Benefit against budget from 0 to the slider's top (the chart beside the slider). */
export const planCurve = computed<{ budgetSek: number; benefit: number }[]>(() => {
  const state = planState.value;
  if (state.state !== "done") return [];
  return benefitCurve(state.candidates, planMaxBudgetSek.value);
});
