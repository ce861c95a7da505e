/**
 * The lighting analysis of a project's path network (issue 5): where it is dark, how dark,
 * and against which standard (EN 13201-2 P classes). Computed in a Web Worker; shown on a
 * map, as a table and chart per path class, and as a ranked list of dark gaps that says why
 * each one is dark.
 */
import type { LineString } from "geojson";
import { useState } from "preact/hooks";
import type {
  AreaSummary,
  ClassSummary,
  CoverageResult,
  DarkGap,
  IlluminanceResult,
  LengthTotals,
} from "../domain/lighting";
import { t } from "../state/i18n";
import { type LightingRun, lighting, runLighting, selectedGap } from "../state/lighting";
import { canPublish, publishLighting } from "../state/publish";
import { hrefFor } from "../state/router";
import { currentProject, projectLayers, settings } from "../state/store";
import { Header, LoadingScreen } from "./Header";
import { LightingMap } from "./LightingMap";
import { gapReasonTexts, pathClassLabel } from "./lighting-text";
import { PublishButton } from "./sync/PublishButton";

function formatNumber(value: number, digits = 0): string {
  const locale = settings.value.language === "sv" ? "sv-SE" : "en-GB";
  return value.toLocaleString(locale, {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

const km = (metres: number) => formatNumber(metres / 1000, 1);
const percent = (share: number) => `${formatNumber(share * 100, 0)} %`;

/** Gaps listed at a time; the list is ranked, the worst first. */
const GAP_PAGE = 20;

export function LightingScreen(props: { projectId: string }) {
  const project = currentProject.value;
  const [mode, setMode] = useState<"coverage" | "illuminance">("coverage");
  const [radius, setRadius] = useState("");
  if (!project) {
    return <LoadingScreen back={hrefFor({ screen: "project", projectId: props.projectId })} />;
  }
  const layers = projectLayers.value.filter((layer) => layer.projectId === props.projectId);
  const hasPaths = layers.some((layer) => layer.fields.role === "paths");
  const hasLamps = layers.some((layer) => layer.fields.role === "lamps");
  const state = lighting.value;
  const run = state.state === "done" && state.run.projectId === props.projectId ? state.run : null;
  const running = state.state === "running" && state.projectId === props.projectId;
  const radiusM = radius.trim() === "" ? null : Number(radius.replace(",", "."));
  const radiusInvalid = radiusM !== null && !(radiusM > 0 && radiusM <= 200);

  return (
    <>
      <Header
        title={`${t("lightingTitle")}: ${project.fields.name}`}
        back={hrefFor({ screen: "project", projectId: props.projectId })}
      />
      <main id="main" class="page lighting-page">
        <section class="card" aria-labelledby="lighting-heading">
          <h2 id="lighting-heading">{t("lightingTitle")}</h2>
          <p class="hint">{t("lightingIntro")}</p>
          {!hasPaths || !hasLamps ? (
            <p role="alert">{t(hasPaths ? "lightingNeedsLamps" : "lightingNeedsPaths")}</p>
          ) : (
            <form
              class="lighting-form"
              onSubmit={(event) => {
                event.preventDefault();
                if (!radiusInvalid) void runLighting(props.projectId, mode, radiusM);
              }}
            >
              <fieldset class="field">
                <legend>{t("lightingMode")}</legend>
                <div class="tile-grid">
                  {(["coverage", "illuminance"] as const).map((value) => (
                    <label key={value} class={`tile${mode === value ? " tile-selected" : ""}`}>
                      <input
                        type="radio"
                        name="lighting-mode"
                        checked={mode === value}
                        onChange={() => setMode(value)}
                      />
                      <span>
                        {t(
                          value === "coverage" ? "lightingModeCoverage" : "lightingModeIlluminance",
                        )}
                      </span>
                    </label>
                  ))}
                </div>
              </fieldset>
              <div class={`field${radiusInvalid ? " field-invalid" : ""}`}>
                <label for="lighting-radius">{t("lightingRadius")}</label>
                <p class="hint" id="lighting-radius-hint">
                  {t("lightingRadiusHint")}
                </p>
                <input
                  id="lighting-radius"
                  inputMode="decimal"
                  value={radius}
                  aria-describedby="lighting-radius-hint"
                  aria-invalid={radiusInvalid || undefined}
                  onInput={(event) => setRadius(event.currentTarget.value)}
                />
                {radiusInvalid && <p class="field-error">{t("lightingRadiusInvalid")}</p>}
              </div>
              <button
                type="submit"
                class="button button-primary"
                disabled={running}
                aria-busy={running}
              >
                {running ? t("lightingRunning") : t("lightingRun")}
              </button>
            </form>
          )}
          {state.state === "failed" && state.projectId === props.projectId && (
            <p role="alert">{t("lightingFailed", { detail: state.detail ?? state.reason })}</p>
          )}
        </section>
        <LightingMap
          piecesUrl={run?.piecesUrl ?? null}
          bbox={run?.bbox ?? null}
          highlight={gapLine(run, selectedGap.value)}
          illuminance={run?.mode === "illuminance"}
        />
        {run && <LightingResults run={run} />}
      </main>
    </>
  );
}

function gapLine(run: LightingRun | null, rank: number | null): LineString | null {
  if (!run || rank === null) return null;
  const index = run.result.gaps.findIndex((gap) => gap.rank === rank);
  const coordinates = run.gapLines[index];
  return coordinates && coordinates.length >= 2 ? { type: "LineString", coordinates } : null;
}

function LightingResults(props: { run: LightingRun }) {
  const { result } = props.run;
  const totals = result.totals;
  const illuminance = result.mode === "illuminance";
  return (
    <>
      <section
        class="card"
        aria-labelledby="lighting-summary-heading"
        data-testid="lighting-summary"
      >
        <h2 id="lighting-summary-heading">{t("lightingSummary")}</h2>
        <p>
          {t("lightingTotals", {
            paths: km(totals.pathsM),
            lit: km(totals.litByLampM),
            litShare: percent(totals.pathsM > 0 ? totals.litByLampM / totals.pathsM : 0),
            unlit: km(totals.unlitM),
            tagged: km(totals.taggedLitM),
            dark: km(totals.darkM),
            unknown: km(totals.unknownM),
          })}
        </p>
        <p>
          {t("lightingLamps", {
            total: result.lamps.total,
            working: result.lamps.working,
            off: result.lamps.off,
            reported: result.lamps.reportedBroken,
          })}
        </p>
        <p class="muted">
          {t(result.radiusM === null ? "lightingRadiusPerLamp" : "lightingRadiusFixed", {
            radius: formatNumber(result.radiusM ?? 0),
          })}{" "}
          {t("lightingComputed", { ms: formatNumber(props.run.wallMs) })}
        </p>
        <ClassChart rows={result.byClass} illuminance={illuminance} />
        <ClassTable rows={result.byClass} illuminance={illuminance} />
        {result.byArea.length > 0 && <AreaTable rows={result.byArea} illuminance={illuminance} />}
        {canPublish(props.run.projectId) && (
          <PublishButton
            testId="publish-lighting"
            publishing={() => publishLighting(props.run.projectId)}
          />
        )}
      </section>
      <GapList result={result} />
      {result.mode === "illuminance" && <Measurements result={result} />}
    </>
  );
}

/** Stacked bars per path class: lit by a lamp, tagged lit, dark, unknown (or compliance). */
function ClassChart(props: { rows: ClassSummary[]; illuminance: boolean }) {
  const rows = props.rows.filter((row) => row.pathsM > 0);
  const barWidth = 100;
  return (
    <figure class="class-chart">
      <figcaption>
        {t(props.illuminance ? "lightingChartCompliance" : "lightingChartCoverage")}
      </figcaption>
      {/* The table below holds the same figures; the chart is a picture of it. */}
      <svg
        role="img"
        aria-label={t("lightingChartAlt")}
        viewBox={`0 0 ${barWidth + 2} ${rows.length * 14}`}
        preserveAspectRatio="none"
        class="class-chart-bars"
      >
        {rows.map((row, index) => {
          const y = index * 14 + 2;
          const share = (metres: number) => (metres / row.pathsM) * barWidth;
          const segments = props.illuminance
            ? [
                ["compliant", share(row.compliantM ?? 0)],
                ["non_compliant", barWidth - share(row.compliantM ?? 0)],
              ]
            : [
                ["lit_by_lamp", share(row.litByLampM)],
                ["tagged_lit", share(row.taggedLitM)],
                ["dark", share(row.darkM)],
                ["unknown", share(row.unknownM)],
              ];
          let x = 1;
          return (
            <g key={row.pathClass}>
              {segments.map(([state, width]) => {
                const rect = (
                  <rect
                    key={state}
                    class={`bar-${state}`}
                    x={x}
                    y={y}
                    width={Math.max(0, width as number)}
                    height={10}
                  />
                );
                x += width as number;
                return rect;
              })}
            </g>
          );
        })}
      </svg>
      <ul class="class-chart-labels" aria-hidden="true">
        {rows.map((row) => (
          <li key={row.pathClass}>{pathClassLabel(row.pathClass)}</li>
        ))}
      </ul>
    </figure>
  );
}

/** A table that scrolls sideways on a narrow screen, reachable from the keyboard. */
function ScrollArea(props: { label: string; children: preact.ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be focusable to be scrolled from the keyboard (WCAG 2.1.1; axe scrollable-region-focusable).
    <section class="table-scroll" tabIndex={0} aria-label={props.label}>
      {props.children}
    </section>
  );
}

/** One row of a summary table: path lengths by state, and compliance in illuminance mode. */
interface SummaryRow {
  key: string;
  label: string;
  totals: LengthTotals & { compliantShare: number | null };
  /** The path class's target P class (per class only). */
  target?: string | null;
}

function SummaryTable(props: {
  caption: string;
  firstHeader: string;
  rows: SummaryRow[];
  illuminance: boolean;
  withTarget: boolean;
  testId: string;
}) {
  const target = props.illuminance && props.withTarget;
  return (
    <ScrollArea label={props.caption}>
      <table class="data-table" data-testid={props.testId}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.firstHeader}</th>
            <th scope="col">{t("lightingLengthKm")}</th>
            <th scope="col">{t("lightingLitShare")}</th>
            <th scope="col">{t("lightingUnlitKm")}</th>
            <th scope="col">{t("lightingDarkKm")}</th>
            {target && <th scope="col">{t("lightingTarget")}</th>}
            {props.illuminance && <th scope="col">{t("lightingCompliantShare")}</th>}
          </tr>
        </thead>
        <tbody>
          {props.rows.map(({ key, label: rowLabel, totals, target: rowTarget }) => (
            <tr key={key}>
              <th scope="row">{rowLabel}</th>
              <td>{km(totals.pathsM)}</td>
              <td>{percent(totals.pathsM > 0 ? totals.litByLampM / totals.pathsM : 0)}</td>
              <td>{km(totals.unlitM)}</td>
              <td>{km(totals.darkM)}</td>
              {target && <td>{rowTarget ?? "–"}</td>}
              {props.illuminance && (
                <td>{totals.compliantShare === null ? "–" : percent(totals.compliantShare)}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  );
}

function ClassTable(props: { rows: ClassSummary[]; illuminance: boolean }) {
  return (
    <SummaryTable
      caption={t("lightingTableCaption")}
      firstHeader={t("lightingPathClass")}
      testId="lighting-class-table"
      illuminance={props.illuminance}
      withTarget
      rows={props.rows.map((row) => ({
        key: row.pathClass,
        label: pathClassLabel(row.pathClass),
        totals: row,
        target: row.targetClass,
      }))}
    />
  );
}

/** The same figures per priority area (the project's priority-area layers). */
function AreaTable(props: { rows: AreaSummary[]; illuminance: boolean }) {
  return (
    <SummaryTable
      caption={t("lightingAreaCaption")}
      firstHeader={t("lightingArea")}
      testId="lighting-area-table"
      illuminance={props.illuminance}
      withTarget={false}
      rows={props.rows.map((row) => ({ key: row.id, label: row.name ?? row.id, totals: row }))}
    />
  );
}

function GapList(props: { result: CoverageResult | IlluminanceResult }) {
  const [shown, setShown] = useState(GAP_PAGE);
  const gaps = props.result.gaps;
  return (
    <section class="card" aria-labelledby="gaps-heading" data-testid="lighting-gaps">
      <h2 id="gaps-heading">{t("lightingGaps", { count: props.result.gapCount })}</h2>
      <p class="hint">{t("lightingGapsIntro")}</p>
      <ol class="gap-list">
        {gaps.slice(0, shown).map((gap) => (
          <GapRow key={gap.rank} gap={gap} />
        ))}
      </ol>
      {gaps.length > shown && (
        <button type="button" class="button" onClick={() => setShown(shown + GAP_PAGE)}>
          {t("lightingMoreGaps", { count: gaps.length - shown })}
        </button>
      )}
    </section>
  );
}

function GapRow(props: { gap: DarkGap }) {
  const { gap } = props;
  const open = selectedGap.value === gap.rank;
  const reasons = gapReasonTexts(gap);
  const title = `${gap.rank}. ${gap.name ?? pathClassLabel(gap.pathClass)}`;
  return (
    <li class={`gap-row${open ? " gap-row-open" : ""}`}>
      <button
        type="button"
        class="list-row"
        aria-expanded={open}
        onClick={() => (selectedGap.value = open ? null : gap.rank)}
      >
        <span class="list-row-main">
          <span class="list-row-title">{title}</span>
          <span class="muted">
            {[
              `${formatNumber(gap.lengthM)} m`,
              pathClassLabel(gap.pathClass),
              ...gap.nearby
                .slice(0, 2)
                .map(
                  (poi) =>
                    `${poi.name ?? t(`poiKind_${poi.kind}`)} ${formatNumber(poi.distanceM)} m`,
                ),
            ].join(" · ")}
          </span>
        </span>
      </button>
      {open && (
        <div class="gap-reasons">
          <h3>{t("lightingWhyDark")}</h3>
          <ul>
            {reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}

function Measurements(props: { result: IlluminanceResult }) {
  const list = props.result.measurements;
  if (list.length === 0) return null;
  return (
    <section class="card" aria-labelledby="measurements-heading">
      <h2 id="measurements-heading">{t("lightingMeasurements")}</h2>
      <ScrollArea label={t("lightingMeasurements")}>
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">{t("lightingMeasured")}</th>
              <th scope="col">{t("lightingModelled")}</th>
              <th scope="col">{t("lightingToPath")}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((measurement) => (
              <tr key={measurement.observationId}>
                <td>{formatNumber(measurement.measuredLux, 1)} lux</td>
                <td>{formatNumber(measurement.modelledLux, 1)} lux</td>
                <td>
                  {measurement.distanceToPathM === null
                    ? "–"
                    : `${formatNumber(measurement.distanceToPathM)} m`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
    </section>
  );
}
