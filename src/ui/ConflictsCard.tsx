/** The conflict log: values that lost a concurrent edit, to restore or let go. */
import { findCategory } from "../domain/checklist";
import { isStringKey } from "../i18n/strings";
import { type ConflictView, conflicts, dismissConflict, restoreConflict } from "../state/conflicts";
import { formatDateTime, label, t } from "../state/i18n";
import { CHECKLIST, walks } from "../state/store";
import { groupLabel } from "./SitesScreen";

/** A field value as a person reads it. */
export function describeValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return t("conflictEmpty");
  if (field === "categoryId" && typeof value === "string") {
    const found = findCategory(CHECKLIST, value);
    return found ? label(found.category.label) : value;
  }
  if (field === "feltUnsafe" && Array.isArray(value))
    return value.map(String).map(groupLabel).join(", ");
  if (field === "photoIds" && Array.isArray(value))
    return t("conflictPhotos", { count: value.length });
  if (field === "geometry" || field === "areaPolygon") return t("conflictGeometry");
  if (typeof value === "boolean") return value ? t("yes") : t("no");
  if (typeof value === "string" || typeof value === "number") return String(value);
  return JSON.stringify(value);
}

function fieldName(field: string): string {
  const key = `conflictField_${field}`;
  return isStringKey(key) ? t(key) : field;
}

function recordTitle(view: ConflictView): string {
  const { entry, record } = view;
  const walk = walks.value.find((candidate) => candidate.id === entry.walkId);
  if (entry.kind === "observation") {
    const category = record
      ? String((record.fields as { categoryId?: string }).categoryId ?? "")
      : "";
    const found = category ? findCategory(CHECKLIST, category) : undefined;
    const what = found ? label(found.category.label) : t("conflictKind_observation");
    return walk ? `${what} (${walk.fields.name})` : what;
  }
  const kindKey = `conflictKind_${entry.kind}`;
  const kind = isStringKey(kindKey) ? t(kindKey) : entry.kind;
  const name = record ? (record.fields as { name?: string }).name : undefined;
  return name ? `${kind}: ${name}` : kind;
}

export function ConflictsCard() {
  const list = conflicts.value;
  return (
    <section class="card" aria-labelledby="conflicts-heading" data-testid="conflicts">
      <h2 id="conflicts-heading">
        {t("conflictsTitle")} ({list.length})
      </h2>
      {list.length === 0 ? (
        <p>{t("conflictsNone")}</p>
      ) : (
        <>
          <p class="hint">{t("conflictsIntro")}</p>
          <ul class="conflict-list">
            {list.map((view) => {
              const { entry, record } = view;
              const current = record
                ? record.deleted
                  ? t("conflictDeletedNow")
                  : describeValue(
                      entry.field,
                      (record.fields as Record<string, unknown>)[entry.field],
                    )
                : t("conflictRecordGone");
              const headingId = `conflict-${entry.id}`;
              return (
                <li key={entry.id} class="conflict-row">
                  <h3 id={headingId} class="conflict-title">
                    {recordTitle(view)} · {fieldName(entry.field)}
                  </h3>
                  <dl class="conflict-values">
                    <dt>{t("conflictLost", { at: formatDateTime(entry.lostClock.at) })}</dt>
                    <dd class="conflict-lost">{describeValue(entry.field, entry.lostValue)}</dd>
                    <dt>{t("conflictKept", { at: formatDateTime(entry.keptClock.at) })}</dt>
                    <dd>{current}</dd>
                  </dl>
                  <div class="button-row">
                    <button
                      type="button"
                      class="button button-primary"
                      aria-describedby={headingId}
                      disabled={!record || record.deleted}
                      onClick={() => void restoreConflict(view)}
                    >
                      {t("conflictRestore")}
                    </button>
                    <button
                      type="button"
                      class="button"
                      aria-describedby={headingId}
                      onClick={() => void dismissConflict(view)}
                    >
                      {t("conflictKeep")}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
