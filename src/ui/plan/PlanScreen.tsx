/**
 * The budget plan (issue 6): which actions to do first within a budget, and why. The plan's
 * candidates are built in the lighting worker (src/state/plan.ts); the selection follows the
 * budget slider on the page. Everything the map shows is also in the tables: the ranked
 * actions with their cost calculations and benefit terms, the tasks outside the budget, the
 * follow-up for the next meeting, and the editable cost catalogue and weights.
 */
import { signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import type { BenefitWeights, CostCatalogue } from "../../domain/plan/catalogue";
import type { PlanCandidates, PlanSelection } from "../../domain/plan/plan";
import { t } from "../../state/i18n";
import {
  loadPlanSettings,
  planBudgetSek,
  planCosts,
  planCurve,
  planMaxBudgetSek,
  planSelection,
  planState,
  planWeights,
  runPlan,
  setPlanBudget,
} from "../../state/plan";
import { hrefFor } from "../../state/router";
import { projectObservations, sitesProjectId } from "../../state/sites";
import { currentProject, projectLayers, walks } from "../../state/store";
import { Header, LoadingScreen } from "../Header";
import { dateTime, formatNumber, kr, points } from "./format";
import { PlanChart } from "./PlanChart";
import { PlanDownloads } from "./PlanDownloads";
import { CostEditor, WeightsEditor } from "./PlanEditors";
import { PlanMap } from "./PlanMap";
import { ActionTable, FollowUpView, TaskTable } from "./PlanTables";

/** The tables the shown plan was computed with (a change asks for a new computation). */
const usedTables = signal<{ costs: CostCatalogue; weights: BenefitWeights } | null>(null);

/** Slider moves reach the selection at most this often, so dragging stays smooth. */
const BUDGET_THROTTLE_MS = 120;

/** Equal tables (an edit and its undoing are no change). */
function sameValues(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

async function computePlan(projectId: string): Promise<void> {
  usedTables.value = { costs: planCosts.peek(), weights: planWeights.peek() };
  try {
    await runPlan(projectId);
  } catch (error) {
    planState.value = {
      state: "failed",
      projectId,
      reason: "crashed",
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

export function PlanScreen(props: { projectId: string }) {
  const { projectId } = props;
  const project = currentProject.value;
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  useEffect(() => loadPlanSettings(projectId), [projectId]);
  if (!project || sitesProjectId.value !== projectId) {
    return <LoadingScreen back={hrefFor({ screen: "project", projectId })} />;
  }
  const layers = projectLayers.value.filter((layer) => layer.projectId === projectId);
  const hasPaths = layers.some((layer) => layer.fields.role === "paths");
  const hasLamps = layers.some((layer) => layer.fields.role === "lamps");
  const hasReports = projectObservations.value.some((record) => record.projectId === projectId);
  const state = planState.value;
  const mine = state.state !== "idle" && state.projectId === projectId ? state : null;
  const running = mine?.state === "running";
  const done = mine?.state === "done" ? mine : null;
  const selection = done ? planSelection.value : null;
  const used = usedTables.value;
  const stale =
    done !== null &&
    used !== null &&
    (!sameValues(used.costs, planCosts.value) || !sameValues(used.weights, planWeights.value));

  return (
    <>
      <Header
        title={`${t("plan.title")}: ${project.fields.name}`}
        back={hrefFor({ screen: "project", projectId })}
      />
      <main id="main" class="page plan-page">
        <section class="card" aria-labelledby="plan-heading">
          <h2 id="plan-heading">{t("plan.title")}</h2>
          <p class="hint">{t("plan.intro")}</p>
          {(!hasPaths || !hasLamps) && (
            <p role="alert">{t(hasPaths ? "plan.failed.no_lamps" : "plan.failed.no_paths")}</p>
          )}
          {!hasReports && <p>{t("plan.noReports")}</p>}
          <button
            type="button"
            class="button button-primary"
            data-testid="plan-run"
            disabled={running}
            aria-busy={running}
            onClick={() => void computePlan(projectId)}
          >
            {running ? t("plan.running") : done ? t("plan.rerun") : t("plan.run")}
          </button>
          <p role="status" data-testid="plan-status">
            {running
              ? t("plan.running")
              : done
                ? t("plan.builtAt", {
                    time: dateTime(done.builtAt),
                    count: done.candidates.actions.length,
                  })
                : ""}
          </p>
          {mine?.state === "failed" && (
            <p role="alert" data-testid="plan-failed">
              {mine.reason === "crashed"
                ? t("plan.failed.crashed", { detail: mine.detail ?? "" })
                : t(mine.reason === "no_paths" ? "plan.failed.no_paths" : "plan.failed.no_lamps")}
            </p>
          )}
          {stale && (
            <div class="callout" role="status" data-testid="plan-stale">
              <p>{t("plan.stale")}</p>
              <button
                type="button"
                class="button button-primary"
                onClick={() => void computePlan(projectId)}
              >
                {t("plan.rerun")}
              </button>
            </div>
          )}
        </section>
        {done && selection && (
          <>
            <BudgetCard selection={selection} candidates={done.candidates} />
            <PlanMap
              candidates={done.candidates}
              selection={selection}
              selectedKey={selectedKey}
              onSelect={setSelectedKey}
            />
            <ActionTable
              projectId={projectId}
              candidates={done.candidates}
              selection={selection}
              openKey={selectedKey}
              onOpen={setSelectedKey}
            />
            <TaskTable
              projectId={projectId}
              candidates={done.candidates}
              openKey={selectedKey}
              onOpen={setSelectedKey}
            />
          </>
        )}
        <FollowUpView
          projectId={projectId}
          candidates={done?.candidates ?? null}
          walks={walks.value.filter((walk) => walk.projectId === projectId)}
        />
        <PlanDownloads
          projectId={projectId}
          candidates={done?.candidates ?? null}
          selection={selection}
          walks={walks.value.filter((walk) => walk.projectId === projectId)}
        />
        <CostEditor />
        <WeightsEditor />
      </main>
    </>
  );
}

/** The budget: a slider and an amount, the summary of the selection, and the chart. */
function BudgetCard(props: { selection: PlanSelection; candidates: PlanCandidates }) {
  const { selection, candidates } = props;
  const committed = planBudgetSek.value;
  const max = planMaxBudgetSek.value;
  const [draft, setDraft] = useState(committed);
  const pending = useRef<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const last = useRef(0);

  const computeMs = useRef(0);

  const flush = () => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    const started = performance.now();
    if (pending.current !== null) {
      setPlanBudget(pending.current);
      // Select now (the render reuses it) to learn how long a selection takes here.
      void planSelection.peek();
    }
    pending.current = null;
    last.current = performance.now();
    computeMs.current = last.current - started;
  };
  const push = (value: number, now = false) => {
    setDraft(value);
    pending.current = value;
    // A slow selection (a city's hundreds of groups on a slow tablet) is spaced out further,
    // so the slider's thumb keeps up with the finger between selections.
    const spacing = Math.max(BUDGET_THROTTLE_MS, 2 * computeMs.current);
    const wait = spacing - (performance.now() - last.current);
    if (now || wait <= 0) flush();
    else timer.current ??= setTimeout(flush, wait);
  };
  // The committed budget changed elsewhere (settings loaded): follow it when not dragging.
  useEffect(() => {
    if (pending.current === null) setDraft(committed);
  }, [committed]);
  useEffect(() => () => flush(), []);

  const investments = candidates.actions.filter((action) => action.cost !== null).length;
  const chosen = selection.selected.filter(Boolean).length;
  const knapsack = selection.knapsack;
  return (
    <section class="card plan-budget" aria-labelledby="plan-budget-heading">
      <h2 id="plan-budget-heading">{t("plan.summaryHeading")}</h2>
      <div class="field">
        <label for="plan-budget-range">{t("plan.budget")}</label>
        <p class="hint" id="plan-budget-hint">
          {t("plan.budgetHint")}
        </p>
        <input
          id="plan-budget-range"
          type="range"
          data-testid="plan-budget"
          min={0}
          max={max}
          step={10_000}
          value={draft}
          aria-describedby="plan-budget-hint"
          aria-valuetext={kr(draft)}
          onInput={(event) => push(Number(event.currentTarget.value))}
          onChange={(event) => push(Number(event.currentTarget.value), true)}
        />
      </div>
      <div class="field plan-budget-amount">
        <label for="plan-budget-input">{t("plan.budgetInput")}</label>
        <input
          id="plan-budget-input"
          type="number"
          inputMode="numeric"
          data-testid="plan-budget-input"
          min={0}
          step="any"
          value={draft}
          onChange={(event) => {
            const value = Number(event.currentTarget.value.replace(/\s/g, "").replace(",", "."));
            if (Number.isFinite(value) && value >= 0) push(Math.round(value), true);
            else event.currentTarget.value = String(draft);
          }}
        />
      </div>
      <div aria-live="polite" data-testid="plan-summary" class="plan-summary">
        <p>
          <strong>{t("plan.summary.chosen", { count: chosen, total: investments })}</strong>
        </p>
        <p>
          {t("plan.summary.cost", {
            cost: formatNumber(Math.round(selection.selectedCostSek)),
            budget: formatNumber(selection.budgetSek),
          })}
        </p>
        <p>{t("plan.summary.benefit", { benefit: points(selection.selectedBenefit) })}</p>
        <p>{t("plan.summary.marginal", { points: points(selection.marginalNext100kBenefit) })}</p>
        <p class="muted" data-testid="plan-method" data-method={knapsack.method}>
          {knapsack.method === "exact"
            ? t("plan.summary.exact")
            : t("plan.summary.approximate", {
                method: knapsack.method,
                gap: points(knapsack.gapBound),
              })}
        </p>
      </div>
      <PlanChart
        curve={planCurve.value}
        maxBudgetSek={max}
        budgetSek={selection.budgetSek}
        benefit={selection.selectedBenefit}
      />
    </section>
  );
}
