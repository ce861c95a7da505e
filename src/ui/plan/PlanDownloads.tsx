/**
 * The plan as files (GeoJSON for the GIS, CSV for a spreadsheet), made with the export's own
 * writer (src/domain/export/plan.ts, the same features `lykta plan` writes), and the links to
 * the printable reports.
 */
import type { PlanCandidates, PlanSelection } from "../../domain/plan/plan";
import type { WalkRecord } from "../../domain/walk";
import { followUps } from "../../state/follow-up";
import { t } from "../../state/i18n";
import { canPublish, publishPlan } from "../../state/publish";
import { notify, reportStorageError } from "../../state/session";
import { GROUPS, projectLayers, settings } from "../../state/store";
import { PublishButton } from "../sync/PublishButton";

function saveFile(text: string, name: string, mimeType: string) {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Write the plan as GeoJSON or CSV and hand it to the browser's download. */
export async function downloadPlan(
  projectId: string,
  candidates: PlanCandidates,
  selection: PlanSelection,
  format: "geojson" | "csv",
): Promise<void> {
  try {
    // The export code loads when someone exports, not with the screen.
    const [{ planFeatures }, { exportText }] = await Promise.all([
      import("../../domain/export/plan"),
      import("../../domain/export/index"),
    ]);
    const features = planFeatures(candidates, selection, {
      language: settings.value.language,
      followUps: followUps.value,
      now: Date.now(),
      groups: GROUPS,
    });
    // Credit what the plan is built on (OSM paths and lamps need "© OpenStreetMap contributors").
    const attribution = [
      ...new Set(
        projectLayers.value
          .filter((layer) => layer.projectId === projectId && layer.fields.attribution)
          .map((layer) => layer.fields.attribution),
      ),
    ].join("; ");
    const text = exportText(features, {
      format,
      kind: "plan",
      layerName: "plan",
      exportedAt: Date.now(),
      ...(attribution ? { attribution } : {}),
    });
    const name = format === "geojson" ? "plan.geojson" : "plan.csv";
    saveFile(text, name, format === "geojson" ? "application/geo+json" : "text/csv;charset=utf-8");
    notify(t("plan.downloaded", { name }), "success");
  } catch (error) {
    reportStorageError(error);
  }
}

export function PlanDownloads(props: {
  projectId: string;
  candidates: PlanCandidates | null;
  selection: PlanSelection | null;
  walks: readonly WalkRecord[];
}) {
  const { candidates, selection, projectId } = props;
  const base = `#/project/${encodeURIComponent(projectId)}/report`;
  return (
    <section class="card" aria-labelledby="plan-downloads-heading">
      <h2 id="plan-downloads-heading">{t("plan.downloadsHeading")}</h2>
      <div class="button-row">
        <button
          type="button"
          class="button"
          data-testid="plan-download-geojson"
          disabled={!candidates || !selection}
          onClick={() =>
            candidates &&
            selection &&
            void downloadPlan(projectId, candidates, selection, "geojson")
          }
        >
          {t("plan.downloadGeojson")}
        </button>
        <button
          type="button"
          class="button"
          data-testid="plan-download-csv"
          disabled={!candidates || !selection}
          onClick={() =>
            candidates && selection && void downloadPlan(projectId, candidates, selection, "csv")
          }
        >
          {t("plan.downloadCsv")}
        </button>
        {canPublish(projectId) && candidates && selection && (
          <PublishButton
            testId="publish-plan"
            publishing={() => publishPlan(projectId, candidates, selection)}
          />
        )}
      </div>
      <ul class="link-list plan-reports">
        <li>
          <a class="button" data-testid="open-strategy-report" href={`${base}/strategy`}>
            {t("plan.strategyReport")}
          </a>
        </li>
        {props.walks.map((walk) => (
          <li key={walk.id}>
            <a
              class="button"
              data-testid="open-walk-report"
              href={`${base}/walk/${encodeURIComponent(walk.id)}`}
            >
              {t("plan.walkReport", { walk: walk.fields.name })}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
