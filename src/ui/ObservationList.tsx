import { findCategory } from "../domain/checklist";
import { geometryKindOf } from "../domain/geometry";
import { formatDateTime, label, t } from "../state/i18n";
import { CHECKLIST, GROUPS, observations, selectedId } from "../state/store";
import { openObservation } from "./walk-actions";

/** Every observation of the walk, usable without the map and with a screen reader. */
export function ObservationList() {
  const list = observations.value;
  const groupLabel = (id: string) =>
    id === GROUPS.everyone.id
      ? label(GROUPS.everyone.label)
      : label(GROUPS.groups.find((group) => group.id === id)?.label ?? { sv: id, en: id });
  return (
    <section class="observation-list" aria-labelledby="list-heading">
      <h2 id="list-heading">
        {t("observations")} ({list.length})
      </h2>
      {list.length === 0 ? (
        <p>{t("listEmpty")}</p>
      ) : (
        <ul aria-describedby="list-caption">
          {list.map((observation) => {
            const found = findCategory(CHECKLIST, observation.fields.categoryId);
            const fields = observation.fields;
            const kind = fields.geometry ? geometryKindOf(fields.geometry) : "point";
            return (
              <li key={observation.id}>
                <button
                  type="button"
                  class={`list-row${selectedId.value === observation.id ? " list-row-selected" : ""}`}
                  onClick={() => openObservation(observation.id)}
                >
                  <span class={`severity-badge severity-${fields.severity}`} aria-hidden="true">
                    {fields.severity}
                  </span>
                  <span class="list-row-main">
                    <span class="list-row-title">
                      {found ? label(found.category.label) : fields.categoryId}
                    </span>
                    <span class="muted">
                      {[
                        t("severityLevel", { level: fields.severity }),
                        formatDateTime(fields.observedAt),
                        t(
                          kind === "point"
                            ? "drawPoint"
                            : kind === "line"
                              ? "drawLine"
                              : "drawPolygon",
                        ),
                        fields.photoIds.length > 0
                          ? `${t("photos")}: ${fields.photoIds.length}`
                          : "",
                        fields.illuminanceLux !== null ? `${fields.illuminanceLux} lux` : "",
                      ]
                        .filter(Boolean)
                        .join(" · ")}
                    </span>
                    {fields.feltUnsafe.length > 0 && (
                      <span class="muted">
                        {t("feltUnsafe")} {fields.feltUnsafe.map(groupLabel).join(", ")}
                      </span>
                    )}
                    {fields.note && <span class="list-row-note">{fields.note}</span>}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p id="list-caption" class="visually-hidden">
        {t("listCaption")}
      </p>
    </section>
  );
}
