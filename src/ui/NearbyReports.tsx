/**
 * "Already reported nearby" while recording (FixMyStreet shows reports of the same category
 * within 250 m): the team opens the earlier report and adds to it instead of making a
 * duplicate that would be counted twice.
 */
import { findCategory } from "../domain/checklist";
import { formatDateTime, label, t } from "../state/i18n";
import { navigate } from "../state/router";
import { reportsNear } from "../state/sites";
import { CHECKLIST, pendingOpen, walks } from "../state/store";
import { closeEditor, openObservation } from "./walk-actions";

/** At most this many are listed: the nearest are what the team can check on the spot. */
const MAX_LISTED = 5;

export function NearbyReports(props: {
  walkId: string;
  position: [number, number];
  categoryId: string;
}) {
  const near = reportsNear(props.position, props.categoryId).slice(0, MAX_LISTED);
  if (near.length === 0) return null;
  const category = findCategory(CHECKLIST, props.categoryId);
  return (
    <section class="nearby" aria-labelledby="nearby-heading" data-testid="nearby-reports">
      <h3 id="nearby-heading">{t("nearbyTitle", { count: near.length })}</h3>
      <p class="hint">{t("nearbyIntro")}</p>
      <ul class="nearby-list">
        {near.map(({ observation, distanceM }) => {
          const walk = walks.value.find((candidate) => candidate.id === observation.walkId);
          const text = [
            category ? label(category.category.label) : props.categoryId,
            t("nearbyDistance", { distance: Math.round(distanceM) }),
            walk && observation.walkId !== props.walkId ? walk.fields.name : "",
            formatDateTime(observation.fields.observedAt),
          ]
            .filter(Boolean)
            .join(" · ");
          return (
            <li key={observation.id}>
              <span>
                {text}
                {observation.fields.note && (
                  <span class="list-row-note">{observation.fields.note}</span>
                )}
              </span>
              <button
                type="button"
                class="button"
                onClick={() => {
                  closeEditor();
                  if (observation.walkId === props.walkId) {
                    openObservation(observation.id);
                  } else if (observation.walkId) {
                    pendingOpen.value = observation.id;
                    navigate({ screen: "walk", walkId: observation.walkId, view: "map" });
                  }
                }}
              >
                {t("nearbyOpen")}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
