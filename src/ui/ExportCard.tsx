import type { ExportFormat } from "../domain/export/index";
import type { ProjectRecord } from "../domain/project";
import type { StringKey } from "../i18n/strings";
import { exportWholeProject } from "../state/export";
import { t } from "../state/i18n";

const FORMATS: ExportFormat[] = [
  "geojson",
  "geojson-sweref",
  "gpkg",
  "gpkg-sweref",
  "csv",
  "csv-sweref",
];

/** Export the whole project for the municipal GIS (QGIS, ArcGIS): see docs/format.md. */
export function ExportCard(props: { project: ProjectRecord }) {
  return (
    <section class="card" aria-labelledby="export-heading">
      <h2 id="export-heading">{t("exportTitle")}</h2>
      <p class="hint">{t("exportIntro")}</p>
      <div class="button-row">
        {FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            class="button"
            onClick={() => void exportWholeProject(props.project, format)}
          >
            {t(`exportFormat_${format.replace("-", "_")}` as StringKey)}
          </button>
        ))}
      </div>
    </section>
  );
}
