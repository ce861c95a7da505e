/**
 * Underlag till belysningsstrategi: the printable basis for a lighting strategy (issue 6,
 * "Outputs"), for a committee. Data sources and credits; 1) coverage and compliance per path
 * class; 2) the worst dark gaps; 3) the budget plan (the selection, what was left out, tasks
 * outside the budget with owners and deadlines); 4) the benefit curve; 5) a map; 6) the
 * method in plain Swedish, with the weights and unit costs in use and what is an assumption.
 *
 * Opened without a computed plan or lighting analysis of the project, it computes both with
 * the project's current settings (src/state/plan.ts, src/state/lighting.ts) and says so.
 */
import type { FeatureCollection, LineString, Position } from "geojson";
import { useEffect, useState } from "preact/hooks";
import type { ClassSummary, DarkGap } from "../../domain/lighting";
import type { BenefitWeights, CostCatalogue } from "../../domain/plan/catalogue";
import { effectiveFollowUp } from "../../domain/plan/follow-up";
import { benefitCurve, type PlanCandidates, type PlanSelection } from "../../domain/plan/plan";
import type { PlanAction } from "../../domain/plan/types";
import { followUps, ownerKey, statusKey } from "../../state/follow-up";
import { label, t } from "../../state/i18n";
import { type LightingRun, lighting, runLighting } from "../../state/lighting";
import {
  loadPlanSettings,
  planCosts,
  planCurve,
  planMaxBudgetSek,
  planSelection,
  planState,
  planWeights,
  runPlan,
} from "../../state/plan";
import { hrefFor } from "../../state/router";
import { sitesProjectId } from "../../state/sites";
import { currentProject, GROUPS, type LayerRecord, projectLayers, walks } from "../../state/store";
import { LoadingScreen } from "../Header";
import { gapReasonTexts, pathClassLabel } from "../lighting-text";
import {
  actionLabel,
  dateTime,
  formatNumber,
  kr,
  maybe,
  points,
  termDescription,
  unitName,
} from "../plan/format";
import { calendarDate, ReportFrame } from "./ReportFrame";
import { type MapLineLayer, type MapPoint, SvgMap } from "./SvgMap";

/** Gaps listed in section 2 (the analysis ranks them all). */
const GAPS_LISTED = 20;
/** Actions left out of the budget listed briefly (the rest are counted). */
const NOT_SELECTED_LISTED = 15;
/** Ranks written on the map (more would cover the paths). */
const RANKS_ON_MAP = 30;

/** The map's colours: the analysis layer's (src/map/map-view.ts), darker for paper. */
const STATE_COLOURS: Record<string, string> = {
  lit_by_lamp: "#e0a800",
  tagged_lit: "#7fa7cf",
  dark: "#7a1fa2",
  unknown: "#9a9a9a",
};
const SELECTED_COLOUR = "#0b3d91";
const TASK_COLOUR = "#222222";

const km = (metres: number) => formatNumber(metres / 1000, 1);
const percent = (share: number) => `${formatNumber(share * 100)} %`;

type Progress =
  | { step: "waiting" }
  | { step: "plan" }
  | { step: "lighting" }
  | { step: "done" }
  | { step: "failed"; detail: string };

/** The plan and the lighting analysis of the project, computed here when missing. */
function useComputed(projectId: string): Progress {
  const [progress, setProgress] = useState<Progress>({ step: "waiting" });
  const loaded = sitesProjectId.value === projectId;
  useEffect(() => {
    if (!loaded) return;
    let cancelled = false;
    void (async () => {
      try {
        let plan = planState.peek();
        if (plan.state !== "done" || plan.projectId !== projectId) {
          loadPlanSettings(projectId);
          setProgress({ step: "plan" });
          await runPlan(projectId);
          plan = planState.peek();
        }
        if (plan.state !== "done" || plan.projectId !== projectId) {
          const detail = plan.state === "failed" ? (plan.detail ?? plan.reason) : "";
          if (!cancelled) setProgress({ step: "failed", detail });
          return;
        }
        const run = lighting.peek();
        if (
          run.state !== "done" ||
          run.run.projectId !== projectId ||
          run.run.mode !== plan.mode ||
          run.run.radiusM !== plan.radiusM
        ) {
          if (!cancelled) setProgress({ step: "lighting" });
          await runLighting(projectId, plan.mode, plan.radiusM);
        }
        const after = lighting.peek();
        if (cancelled) return;
        if (after.state !== "done") {
          setProgress({
            step: "failed",
            detail: after.state === "failed" ? (after.detail ?? after.reason) : "",
          });
          return;
        }
        setProgress({ step: "done" });
      } catch (error) {
        if (!cancelled) {
          setProgress({
            step: "failed",
            detail: error instanceof Error ? error.message : String(error),
          });
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [projectId, loaded]);
  return progress;
}

/** The analysis pieces' lines by state, read from the run's GeoJSON (null while reading). */
function usePieceLines(run: LightingRun | null): Record<string, Position[][]> | null {
  const [lines, setLines] = useState<Record<string, Position[][]> | null>(null);
  useEffect(() => {
    if (!run) return;
    let cancelled = false;
    void fetch(run.piecesUrl)
      .then((response) => response.json() as Promise<FeatureCollection<LineString>>)
      .then((collection) => {
        const byState: Record<string, Position[][]> = {};
        for (const feature of collection.features) {
          const state = String(feature.properties?.state ?? "unknown");
          const list = byState[state] ?? [];
          list.push(feature.geometry.coordinates);
          byState[state] = list;
        }
        if (!cancelled) setLines(byState);
      })
      .catch(() => {
        if (!cancelled) setLines({});
      });
    return () => {
      cancelled = true;
    };
  }, [run?.piecesUrl]);
  return lines;
}

export function StrategyReport(props: { projectId: string }) {
  const { projectId } = props;
  const project = currentProject.value;
  const progress = useComputed(projectId);
  const lightingState = lighting.value;
  const run =
    progress.step === "done" &&
    lightingState.state === "done" &&
    lightingState.run.projectId === projectId
      ? lightingState.run
      : null;
  const pieces = usePieceLines(run);
  const back = hrefFor({ screen: "plan", projectId });
  if (!project) return <LoadingScreen back={back} />;
  const plan = planState.value;
  const selection = planSelection.value;
  const ready =
    run !== null && plan.state === "done" && plan.projectId === projectId && selection !== null;
  return (
    <ReportFrame
      project={project}
      title={t("report.strategyTitle")}
      back={back}
      complete={ready && pieces !== null}
      testId="strategy-report"
    >
      {!ready && (
        <p role="status" class="report-progress" data-testid="report-progress">
          {progress.step === "failed"
            ? t("report.failed", { detail: progress.detail })
            : progress.step === "lighting"
              ? t("report.computingLighting")
              : progress.step === "plan"
                ? t("report.computingPlan")
                : t("loading")}
        </p>
      )}
      {ready && (
        <>
          <Summary
            run={run}
            candidates={plan.candidates}
            selection={selection}
            builtAt={plan.builtAt}
          />
          <Sources projectId={projectId} run={run} />
          <Coverage run={run} />
          <Gaps run={run} />
          <BudgetPlan candidates={plan.candidates} selection={selection} />
          <Curve selection={selection} candidates={plan.candidates} />
          <PlanMapSection
            candidates={plan.candidates}
            selection={selection}
            run={run}
            pieces={pieces}
          />
          <Method
            run={run}
            costs={planCosts.value}
            weights={planWeights.value}
            selection={selection}
          />
        </>
      )}
    </ReportFrame>
  );
}

function Summary(props: {
  run: LightingRun;
  candidates: PlanCandidates;
  selection: PlanSelection;
  builtAt: number;
}) {
  const { totals } = props.run.result;
  const { selection } = props;
  const chosen = selection.selected.filter(Boolean).length;
  const investments = props.candidates.actions.filter((action) => action.cost !== null).length;
  return (
    <section class="report-section report-summary" aria-labelledby="report-summary">
      <h2 id="report-summary">{t("report.summary")}</h2>
      <ul>
        <li>
          {t("report.summaryNetwork", {
            km: km(totals.pathsM),
            lit: percent(totals.pathsM > 0 ? totals.litByLampM / totals.pathsM : 0),
            dark: km(totals.unlitM),
            gaps: formatNumber(props.run.result.gapCount),
          })}
        </li>
        <li>
          {t("report.summaryPlan", {
            budget: kr(selection.budgetSek),
            cost: kr(selection.selectedCostSek),
            chosen,
            total: investments,
            benefit: points(selection.selectedBenefit),
          })}
        </li>
        <li>
          {t("report.summaryMarginal", { points: points(selection.marginalNext100kBenefit) })}
        </li>
        <li>
          {t("report.summaryComputed", {
            time: dateTime(props.builtAt),
            mode: t(
              props.run.mode === "coverage" ? "lightingModeCoverage" : "lightingModeIlluminance",
            ),
          })}
        </li>
      </ul>
    </section>
  );
}

function isOsm(layer: LayerRecord): boolean {
  const { attribution, sourceFormat, sourceFile } = layer.fields;
  return /openstreetmap|\bosm\b/i.test(`${attribution} ${sourceFormat} ${sourceFile}`);
}

function Sources(props: { projectId: string; run: LightingRun }) {
  const layers = projectLayers.value.filter((layer) => layer.projectId === props.projectId);
  const projectWalks = walks.value
    .filter((walk) => walk.projectId === props.projectId && !walk.deleted)
    .sort((a, b) => (a.fields.date < b.fields.date ? -1 : 1));
  const osm = layers.some(isOsm);
  // OpenStreetMap's credit once, in the report's language; other credits as the layers give them.
  const credits = [
    ...new Set(
      layers
        .map((layer) => layer.fields.attribution.trim())
        .filter((text) => text !== "" && !(osm && /openstreetmap/i.test(text))),
    ),
  ];
  return (
    <section class="report-section" aria-labelledby="report-sources">
      <h2 id="report-sources">{t("report.sources")}</h2>
      <table class="report-table">
        <thead>
          <tr>
            <th scope="col">{t("report.sourceLayer")}</th>
            <th scope="col">{t("report.sourceContent")}</th>
            <th scope="col">{t("report.sourceCount")}</th>
            <th scope="col">{t("report.sourceFile")}</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((layer) => (
            <tr key={layer.id}>
              <td>{layer.fields.name}</td>
              <td>{maybe(`layerRole_${layer.fields.role}`, {}, layer.fields.role)}</td>
              <td class="number">{formatNumber(layer.fields.featureCount)}</td>
              <td>
                {layer.fields.sourceFile} ({layer.fields.sourceCrs || "EPSG:4326"})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {t("report.sourceWalks", { count: projectWalks.length })}{" "}
        {projectWalks
          .map((walk) => `${walk.fields.name} (${calendarDate(walk.fields.date)})`)
          .join("; ")}
        .
      </p>
      <p class="report-credits">
        {t("report.credits")}:{" "}
        {[osm ? t("osmCredit") : null, ...credits].filter(Boolean).join(" · ") || "–"}
      </p>
    </section>
  );
}

function Coverage(props: { run: LightingRun }) {
  const { result } = props.run;
  const illuminance = result.mode === "illuminance";
  const rows: ClassSummary[] = result.byClass.filter((row) => row.pathsM > 0);
  const totals = result.totals;
  return (
    <section class="report-section report-break" aria-labelledby="report-coverage">
      <h2 id="report-coverage">{t("report.coverageHeading")}</h2>
      <p>
        {t(result.radiusM === null ? "lightingRadiusPerLamp" : "lightingRadiusFixed", {
          radius: formatNumber(result.radiusM ?? 0),
        })}{" "}
        {t("lightingLamps", {
          total: result.lamps.total,
          working: result.lamps.working,
          off: result.lamps.off,
          reported: result.lamps.reportedBroken,
        })}
      </p>
      <table class="report-table" data-testid="report-coverage-table">
        <thead>
          <tr>
            <th scope="col">{t("lightingPathClass")}</th>
            <th scope="col">{t("lightingLengthKm")}</th>
            <th scope="col">{t("lightingLitShare")}</th>
            <th scope="col">{t("report.taggedLitKm")}</th>
            <th scope="col">{t("lightingDarkKm")}</th>
            <th scope="col">{t("report.unknownKm")}</th>
            {illuminance && <th scope="col">{t("lightingTarget")}</th>}
            {illuminance && <th scope="col">{t("lightingCompliantShare")}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.pathClass}>
              <th scope="row">{pathClassLabel(row.pathClass)}</th>
              <td class="number">{km(row.pathsM)}</td>
              <td class="number">{percent(row.litByLampM / row.pathsM)}</td>
              <td class="number">{km(row.taggedLitM)}</td>
              <td class="number">{km(row.darkM)}</td>
              <td class="number">{km(row.unknownM)}</td>
              {illuminance && <td>{row.targetClass ?? "–"}</td>}
              {illuminance && (
                <td class="number">
                  {row.compliantShare === null ? "–" : percent(row.compliantShare)}
                </td>
              )}
            </tr>
          ))}
          <tr class="report-total">
            <th scope="row">{t("report.total")}</th>
            <td class="number">{km(totals.pathsM)}</td>
            <td class="number">
              {percent(totals.pathsM > 0 ? totals.litByLampM / totals.pathsM : 0)}
            </td>
            <td class="number">{km(totals.taggedLitM)}</td>
            <td class="number">{km(totals.darkM)}</td>
            <td class="number">{km(totals.unknownM)}</td>
            {illuminance && <td />}
            {illuminance && <td />}
          </tr>
        </tbody>
      </table>
      <p class="report-note">{t("report.coverageNote")}</p>
    </section>
  );
}

function gapReasons(gap: DarkGap): string {
  return gapReasonTexts(gap).join(" ");
}

function Gaps(props: { run: LightingRun }) {
  const { result } = props.run;
  const gaps = result.gaps.slice(0, GAPS_LISTED);
  return (
    <section class="report-section report-break" aria-labelledby="report-gaps">
      <h2 id="report-gaps">
        {t("report.gapsHeading", { count: gaps.length, total: formatNumber(result.gapCount) })}
      </h2>
      <p>{t("report.gapsIntro")}</p>
      <table class="report-table report-small" data-testid="report-gaps-table">
        <thead>
          <tr>
            <th scope="col">{t("plan.col.rank")}</th>
            <th scope="col">{t("report.gapWhere")}</th>
            <th scope="col">{t("report.lengthM")}</th>
            <th scope="col">{t("lightingPathClass")}</th>
            <th scope="col">{t("report.gapNearby")}</th>
            <th scope="col">{t("lightingWhyDark")}</th>
          </tr>
        </thead>
        <tbody>
          {gaps.map((gap) => (
            <tr key={gap.rank}>
              <td class="number">{gap.rank}</td>
              <td>{gap.name ?? pathClassLabel(gap.pathClass)}</td>
              <td class="number">{formatNumber(gap.lengthM)}</td>
              <td>{pathClassLabel(gap.pathClass)}</td>
              <td>
                {gap.nearby
                  .slice(0, 3)
                  .map(
                    (poi) =>
                      `${poi.name ?? maybe(`poiKind_${poi.kind}`, {}, poi.kind)} ${formatNumber(poi.distanceM)} m`,
                  )
                  .join(", ") || "–"}
              </td>
              <td>{gapReasons(gap)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The largest benefit terms of an action, as short texts. */
function mainTerms(action: PlanAction, count = 3): string {
  return [...action.benefit.terms]
    .sort((a, b) => b.points - a.points)
    .slice(0, count)
    .filter((term) => term.points > 0)
    .map(termDescription)
    .join("; ");
}

function BudgetPlan(props: { candidates: PlanCandidates; selection: PlanSelection }) {
  const { candidates, selection } = props;
  const now = Date.now();
  const indexed = candidates.actions.map((action, i) => ({ action, i }));
  const byRank = indexed
    .filter(({ i }) => selection.rank[i] !== null)
    .sort((a, b) => selection.rank[a.i]! - selection.rank[b.i]!);
  const chosen = byRank.filter(({ i }) => selection.selected[i]);
  const left = byRank.filter(({ i }) => !selection.selected[i]);
  const tasks = indexed.filter(({ action }) => action.cost === null);
  const knapsack = selection.knapsack;
  return (
    <section class="report-section report-break" aria-labelledby="report-plan">
      <h2 id="report-plan">{t("report.planHeading")}</h2>
      <dl class="report-facts report-plan-facts" data-testid="report-plan-facts">
        <dt>{t("report.budget")}</dt>
        <dd>{kr(selection.budgetSek)}</dd>
        <dt>{t("report.selectedCost")}</dt>
        <dd>{kr(selection.selectedCostSek)}</dd>
        <dt>{t("report.totalBenefit")}</dt>
        <dd>{t("report.pointsValue", { points: points(selection.selectedBenefit) })}</dd>
        <dt>{t("report.marginal")}</dt>
        <dd>{t("report.pointsValue", { points: points(selection.marginalNext100kBenefit) })}</dd>
        <dt>{t("report.method")}</dt>
        <dd>
          {knapsack.method === "exact"
            ? t("report.methodExact")
            : t("report.methodApproximate", {
                bound: points(knapsack.upperBound),
                gap: points(knapsack.gapBound),
              })}
        </dd>
      </dl>
      <h3>{t("report.chosenHeading", { count: chosen.length })}</h3>
      {chosen.length === 0 ? (
        <p>{t("report.chosenNone")}</p>
      ) : (
        <table class="report-table report-small" data-testid="report-chosen-table">
          <thead>
            <tr>
              <th scope="col">{t("plan.col.rank")}</th>
              <th scope="col">{t("plan.col.what")}</th>
              <th scope="col">{t("plan.col.cost")}</th>
              <th scope="col">{t("plan.col.benefit")}</th>
              <th scope="col">{t("report.mainTerms")}</th>
            </tr>
          </thead>
          <tbody>
            {chosen.map(({ action, i }) => (
              <tr key={action.key}>
                <td class="number">{selection.rank[i]}</td>
                <td>{actionLabel(action)}</td>
                <td class="number">{kr(action.cost?.costSek ?? 0)}</td>
                <td class="number">{points(selection.plannedBenefit[i] ?? 0)}</td>
                <td>{mainTerms(action)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t("report.leftHeading", { count: left.length })}</h3>
      {left.length === 0 ? (
        <p>{t("report.leftNone")}</p>
      ) : (
        <>
          <table class="report-table report-small">
            <thead>
              <tr>
                <th scope="col">{t("plan.col.rank")}</th>
                <th scope="col">{t("plan.col.what")}</th>
                <th scope="col">{t("plan.col.cost")}</th>
                <th scope="col">{t("plan.col.benefit")}</th>
              </tr>
            </thead>
            <tbody>
              {left.slice(0, NOT_SELECTED_LISTED).map(({ action, i }) => (
                <tr key={action.key}>
                  <td class="number">{selection.rank[i]}</td>
                  <td>{actionLabel(action)}</td>
                  <td class="number">{kr(action.cost?.costSek ?? 0)}</td>
                  <td class="number">{points(action.benefit.benefit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {left.length > NOT_SELECTED_LISTED && (
            <p class="report-note">
              {t("report.leftMore", {
                count: left.length - NOT_SELECTED_LISTED,
                cost: kr(
                  left
                    .slice(NOT_SELECTED_LISTED)
                    .reduce((sum, { action }) => sum + (action.cost?.costSek ?? 0), 0),
                ),
              })}
            </p>
          )}
        </>
      )}
      <h3>{t("report.tasksHeading", { count: tasks.length })}</h3>
      <p>{t("plan.tasksIntro")}</p>
      {tasks.length === 0 ? (
        <p>{t("plan.tasksNone")}</p>
      ) : (
        <table class="report-table report-small" data-testid="report-tasks-table">
          <thead>
            <tr>
              <th scope="col">{t("plan.col.task")}</th>
              <th scope="col">{t("plan.col.reports")}</th>
              <th scope="col">{t("followUp.owner")}</th>
              <th scope="col">{t("report.deadline")}</th>
              <th scope="col">{t("followUp.status")}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map(({ action }) => {
              const followUp = effectiveFollowUp(action, followUps.value.get(action.key), now);
              return (
                <tr key={action.key}>
                  <td>{actionLabel(action)}</td>
                  <td class="number">{action.observationIds.length}</td>
                  <td>{t(ownerKey(followUp.owner))}</td>
                  <td>
                    {followUp.deadlineAt === null ? "–" : dateTime(followUp.deadlineAt)}
                    {followUp.overdue ? ` ${t("plan.overdue")}` : ""}
                  </td>
                  <td>{t(statusKey(followUp.status))}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

const CHART = { width: 720, height: 300, left: 78, right: 24, top: 20, bottom: 56 };

/** A round axis step: 1, 2 or 5 × 10^n, giving about `count` steps up to `max`. */
function niceStep(max: number, count = 4): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}

/** The budget range of the close-up chart: four times the budget, at least 1 million SEK. */
function closeUpMaxSek(budgetSek: number, maxBudgetSek: number): number {
  return Math.min(maxBudgetSek, Math.ceil(Math.max(4 * budgetSek, 1_000_000) / 100_000) * 100_000);
}

function Curve(props: { selection: PlanSelection; candidates: PlanCandidates }) {
  const { selection, candidates } = props;
  const maxBudget = planMaxBudgetSek.value;
  const closeUpMax = closeUpMaxSek(selection.budgetSek, maxBudget);
  // The slider's curve spans every action (tens of millions in a city); the budget is
  // usually near its start, so a second chart shows the range around the budget.
  const closeUp = closeUpMax < maxBudget ? benefitCurve(candidates, closeUpMax, 80) : null;
  return (
    <section class="report-section report-keep" aria-labelledby="report-curve">
      <h2 id="report-curve">{t("report.curveHeading")}</h2>
      <p>
        {t("report.curveIntro", {
          budget: kr(selection.budgetSek),
          benefit: points(selection.selectedBenefit),
        })}
      </p>
      {closeUp && (
        <CurveChart
          title={t("report.curveCloseUp", { max: kr(closeUpMax) })}
          curve={closeUp}
          maxBudget={closeUpMax}
          selection={selection}
          testId="report-curve"
        />
      )}
      <CurveChart
        title={t("report.curveWhole", { max: kr(maxBudget) })}
        curve={planCurve.value}
        maxBudget={maxBudget}
        selection={selection}
        testId={closeUp ? "report-curve-whole" : "report-curve"}
      />
    </section>
  );
}

function CurveChart(props: {
  title: string;
  curve: readonly { budgetSek: number; benefit: number }[];
  maxBudget: number;
  selection: PlanSelection;
  testId: string;
}) {
  const { curve, maxBudget, selection } = props;
  const { width, height, left, right, top, bottom } = CHART;
  const top1 = Math.max(1, ...curve.map((point) => point.benefit), selection.selectedBenefit);
  const yStep = niceStep(top1);
  const maxBenefit = Math.ceil(top1 / yStep) * yStep;
  const x = (sek: number) => left + (Math.min(sek, maxBudget) / maxBudget) * (width - left - right);
  const y = (value: number) => top + (1 - value / maxBenefit) * (height - top - bottom);
  const line = curve
    .map(
      (point, i) =>
        `${i === 0 ? "M" : "L"}${x(point.budgetSek).toFixed(1)} ${y(point.benefit).toFixed(1)}`,
    )
    .join("");
  const xStep = niceStep(maxBudget);
  const xTicks = Array.from({ length: Math.floor(maxBudget / xStep) + 1 }, (_, i) => i * xStep);
  const yTicks = Array.from({ length: Math.round(maxBenefit / yStep) + 1 }, (_, i) => i * yStep);
  const tick = (sek: number) =>
    sek >= 1_000_000
      ? `${formatNumber(sek / 1_000_000, 1)} mn`
      : sek === 0
        ? "0"
        : `${formatNumber(sek / 1000)} tkr`;
  return (
    <figure class="report-figure report-keep">
      <figcaption>{props.title}</figcaption>
      <svg
        class="report-chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={t("plan.chartDesc", {
          max: formatNumber(maxBudget),
          budget: formatNumber(selection.budgetSek),
          benefit: points(selection.selectedBenefit),
        })}
        data-testid={props.testId}
      >
        {yTicks.map((value) => (
          <g key={`y${value}`}>
            <line x1={left} x2={width - right} y1={y(value)} y2={y(value)} stroke="#cccccc" />
            <text x={left - 8} y={y(value) + 4} text-anchor="end" font-size={13}>
              {formatNumber(value)}
            </text>
          </g>
        ))}
        {xTicks.map((sek) => (
          <text
            key={`x${sek}`}
            x={x(sek)}
            y={height - bottom + 20}
            text-anchor="middle"
            font-size={13}
          >
            {tick(sek)}
          </text>
        ))}
        <line
          x1={left}
          x2={width - right}
          y1={height - bottom}
          y2={height - bottom}
          stroke="#000000"
        />
        <line x1={left} x2={left} y1={top} y2={height - bottom} stroke="#000000" />
        <text x={(left + width - right) / 2} y={height - 10} text-anchor="middle" font-size={14}>
          {t("plan.budget")}
        </text>
        <text
          x={16}
          y={(top + height - bottom) / 2}
          text-anchor="middle"
          font-size={14}
          transform={`rotate(-90 16 ${(top + height - bottom) / 2})`}
        >
          {t("report.benefitAxis")}
        </text>
        <path d={line} fill="none" stroke={SELECTED_COLOUR} stroke-width={3} />
        <line
          x1={x(selection.budgetSek)}
          x2={x(selection.budgetSek)}
          y1={top}
          y2={height - bottom}
          stroke="#b3261e"
          stroke-width={2}
          stroke-dasharray="6 4"
        />
        <circle
          cx={x(selection.budgetSek)}
          cy={y(selection.selectedBenefit)}
          r={6}
          fill="#b3261e"
        />
        <text
          x={x(selection.budgetSek) + (x(selection.budgetSek) > width * 0.7 ? -8 : 8)}
          y={top + 14}
          text-anchor={x(selection.budgetSek) > width * 0.7 ? "end" : "start"}
          font-size={13}
          fill="#b3261e"
        >
          {t("report.budgetMark", { budget: kr(selection.budgetSek) })}
        </text>
      </svg>
    </figure>
  );
}

function PlanMapSection(props: {
  candidates: PlanCandidates;
  selection: PlanSelection;
  run: LightingRun;
  pieces: Record<string, Position[][]> | null;
}) {
  const { candidates, selection, run, pieces } = props;
  const bbox = run.bbox;
  if (!bbox) return null;
  const lines: MapLineLayer[] = ["unknown", "tagged_lit", "dark", "lit_by_lamp"].map((state) => ({
    key: state,
    lines: pieces?.[state] ?? [],
    stroke: STATE_COLOURS[state]!,
    widthPx: state === "lit_by_lamp" ? 2 : 1.6,
  }));
  const chosenLines = candidates.actions
    .filter((action, i) => selection.selected[i] && action.geometry.type === "LineString")
    .map((action) => (action.geometry as LineString).coordinates);
  lines.push({ key: "chosen", lines: chosenLines, stroke: SELECTED_COLOUR, widthPx: 5 });
  const marks: MapPoint[] = [];
  candidates.actions.forEach((action) => {
    if (action.cost === null) {
      marks.push({
        key: action.key,
        position: action.position,
        shape: "square",
        fill: TASK_COLOUR,
        radiusPx: 7,
      });
    }
  });
  const ranked = candidates.actions
    .map((action, i) => ({ action, i }))
    .filter(({ i }) => selection.selected[i])
    .sort((a, b) => selection.rank[b.i]! - selection.rank[a.i]!);
  for (const { action, i } of ranked) {
    const rank = selection.rank[i]!;
    marks.push({
      key: action.key,
      position: action.position,
      shape: "circle",
      fill: SELECTED_COLOUR,
      label: rank <= RANKS_ON_MAP ? String(rank) : undefined,
      radiusPx: rank <= RANKS_ON_MAP ? 14 : 7,
    });
  }
  const legend: [string, string, "line" | "dot" | "square"][] = [
    [STATE_COLOURS.lit_by_lamp!, t("lightingState_lit_by_lamp"), "line"],
    [STATE_COLOURS.tagged_lit!, t("lightingState_tagged_lit"), "line"],
    [STATE_COLOURS.dark!, t("lightingState_dark"), "line"],
    [STATE_COLOURS.unknown!, t("lightingState_unknown"), "line"],
    [SELECTED_COLOUR, t("report.legendChosen", { count: RANKS_ON_MAP }), "dot"],
    [TASK_COLOUR, t("report.legendTask"), "square"],
  ];
  return (
    <section class="report-section report-break report-keep" aria-labelledby="report-map">
      <h2 id="report-map">{t("report.mapHeading")}</h2>
      <figure class="report-figure">
        <SvgMap
          bbox={bbox}
          lines={lines}
          points={marks}
          label={t("report.mapLabel")}
          maxHeightPx={900}
          testId="strategy-report-map"
        />
        <figcaption>
          <ul class="report-legend">
            {legend.map(([colour, text, shape]) => (
              <li key={text}>
                <svg width="28" height="14" aria-hidden="true">
                  {shape === "line" ? (
                    <line x1="2" x2="26" y1="7" y2="7" stroke={colour} stroke-width="4" />
                  ) : shape === "dot" ? (
                    <circle cx="14" cy="7" r="6" fill={colour} />
                  ) : (
                    <rect x="9" y="2" width="10" height="10" fill={colour} />
                  )}
                </svg>
                {text}
              </li>
            ))}
          </ul>
          <p class="report-note">{t("report.mapCredit")}</p>
        </figcaption>
      </figure>
    </section>
  );
}

function Method(props: {
  run: LightingRun;
  costs: CostCatalogue;
  weights: BenefitWeights;
  selection: PlanSelection;
}) {
  const { costs, weights } = props;
  const need = weights.need;
  const exposure = weights.exposure;
  const weightRows: [string, string][] = [
    [t("plan.weight.need.pointsPerSeverityStep"), formatNumber(need.pointsPerSeverityStep, 2)],
    [t("plan.weight.need.pointsPerExtraReport"), formatNumber(need.pointsPerExtraReport, 2)],
    [t("plan.weight.need.maxExtraReports"), formatNumber(need.maxExtraReports)],
    [t("plan.weight.need.pointsPerExtraWalk"), formatNumber(need.pointsPerExtraWalk, 2)],
    ...Object.entries(need.feltUnsafePointsPerGroup).map(([group, value]): [string, string] => [
      t("plan.weight.feltUnsafe", { group: groupName(group) }),
      formatNumber(value, 2),
    ]),
    [t("plan.weight.need.pointsPer100MNewlyLit"), formatNumber(need.pointsPer100MNewlyLit, 2)],
    [
      t("plan.weight.need.pointsPer100MNewlyCompliant"),
      formatNumber(need.pointsPer100MNewlyCompliant, 2),
    ],
    [
      t("plan.weight.exposure.pathClassFactorPerImportance"),
      formatNumber(exposure.pathClassFactorPerImportance, 2),
    ],
    [t("plan.weight.exposure.pathClassSearchM"), formatNumber(exposure.pathClassSearchM)],
    ...Object.entries(exposure.poi).map(([kind, poi]): [string, string] => [
      t("report.weightPoi", { kind: maybe(`poiKind_${kind}`, {}, kind) }),
      t("report.weightPoiValue", {
        factor: formatNumber(poi.factor, 2),
        radius: formatNumber(poi.radiusM),
      }),
    ]),
    [t("plan.weight.exposure.priorityAreaFactor"), formatNumber(exposure.priorityAreaFactor, 2)],
  ];
  const assumptions = costs.assumptions;
  return (
    <section class="report-section report-break report-method" aria-labelledby="report-method">
      <h2 id="report-method">{t("report.methodHeading")}</h2>
      <h3>{t("report.methodCoverageHeading")}</h3>
      <p>{t("report.methodCoverage")}</p>
      <p>{t("report.methodStates")}</p>
      {props.run.mode === "illuminance" && <p>{t("report.methodIlluminance")}</p>}
      <h3>{t("report.methodBenefitHeading")}</h3>
      <p>{t("report.methodBenefit")}</p>
      <p class="report-formula">{t("report.methodFormula")}</p>
      <table class="report-table report-small report-half">
        <caption>{t("report.weightsCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("report.weight")}</th>
            <th scope="col">{t("plan.valueCol")}</th>
          </tr>
        </thead>
        <tbody>
          {weightRows.map(([name, value]) => (
            <tr key={name}>
              <td>{name}</td>
              <td class="number">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t("report.methodCostsHeading")}</h3>
      <p>{t("report.methodCosts", { year: costs.priceYear })}</p>
      <table class="report-table report-small">
        <caption>{t("report.costsCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("report.costItem")}</th>
            <th scope="col">{t("report.unitCost")}</th>
            <th scope="col">{t("report.includes")}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(costs.items).map(([id, item]) => (
            <tr key={id}>
              <td>{maybe(`plan.item.${id}`, {}, id)}</td>
              <td class="number">
                {kr(item.unitCostSek)} / {unitName(item.unit)}
              </td>
              <td>{maybe(`report.includes.${id}`, {}, item.includes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {t("report.methodAssumptions", {
          spacing: formatNumber(assumptions.newLampSpacingM),
          width: formatNumber(assumptions.brushLineWidthM),
          point: formatNumber(assumptions.brushPointAreaM2),
          max: formatNumber(assumptions.brushMaxAreaM2),
        })}
      </p>
      <h3>{t("report.methodChoiceHeading")}</h3>
      <p>{t("report.methodOverlap")}</p>
      <p>{t("report.methodKnapsack")}</p>
      <h3>{t("report.methodCalibrateHeading")}</h3>
      <ul>
        <li>{t("report.calibrate1")}</li>
        <li>{t("report.calibrate2")}</li>
        <li>{t("report.calibrate3")}</li>
        <li>{t("report.calibrate4")}</li>
        <li>{t("report.calibrate5")}</li>
      </ul>
    </section>
  );
}

function groupName(id: string): string {
  const group = [GROUPS.everyone, ...GROUPS.groups].find((entry) => entry.id === id);
  return group ? label(group.label).toLowerCase() : id;
}
