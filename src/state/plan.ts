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
 * them here. They are the project's `planSettings` record, synced and merged like every record
 * and carried in `.lykta` packages: see ./plan-settings.ts (re-exported here) and
 * src/domain/plan/plan-settings.ts. The slider's setPlanBudget writes the record 500 ms after
 * its last call (BUDGET_WRITE_DELAY_MS); commitPlanBudget() writes it at once.
 */
import { computed, signal } from "@preact/signals";
import {
  benefitCurve,
  type PlanCandidates,
  type PlanSelection,
  selectPlan,
} from "../domain/plan/plan";
import type { LightingMode, PlanReply } from "../workers/lighting-protocol";
import { askLightingWorker, nextRequestId, projectLayerBlobs } from "./lighting";
import {
  DEFAULT_BUDGET_SEK,
  ensurePlanSettings,
  planBudgetSek,
  planCosts,
  planWeights,
} from "./plan-settings";
import { projectObservations, sites } from "./sites";

export {
  BUDGET_WRITE_DELAY_MS,
  commitPlanBudget,
  DEFAULT_BUDGET_SEK,
  DEFAULT_COSTS,
  DEFAULT_WEIGHTS,
  loadPlanSettings,
  planBudgetSek,
  planCosts,
  planSettingsLoaded,
  planSettingsProblems,
  planSettingsReady,
  planSettingsWritten,
  planWeights,
  resetPlanTables,
  setPlanBudget,
  setPlanCosts,
  setPlanWeights,
} from "./plan-settings";

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

/** Build the candidates of the open project in the worker (the analysis runs again). */
export async function runPlan(
  projectId: string,
  mode: LightingMode = "coverage",
  radiusM: number | null = null,
): Promise<void> {
  // The project's stored tables, not the defaults shown while they load.
  await ensurePlanSettings(projectId);
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
