/** The way into the budget plan from the project screen, saying what the plan needs. */
import { t } from "../../state/i18n";
import { hrefFor } from "../../state/router";
import { projectObservations } from "../../state/sites";
import { projectLayers } from "../../state/store";

export function PlanCard(props: { projectId: string }) {
  const layers = projectLayers.value.filter((layer) => layer.projectId === props.projectId);
  const missing = [
    layers.some((layer) => layer.fields.role === "paths") ? null : t("plan.needPaths"),
    layers.some((layer) => layer.fields.role === "lamps") ? null : t("plan.needLamps"),
    projectObservations.value.some((record) => record.projectId === props.projectId)
      ? null
      : t("plan.needReports"),
  ].filter((text) => text !== null);
  return (
    <section class="card" aria-labelledby="plan-card-heading">
      <h2 id="plan-card-heading">{t("plan.title")}</h2>
      <p>{t("plan.cardIntro")}</p>
      {missing.length > 0 && (
        <p class="hint" data-testid="plan-card-missing">
          {t("plan.cardMissing", { missing: missing.join(", ") })}
        </p>
      )}
      <a
        class="button"
        data-testid="open-plan"
        href={hrefFor({ screen: "plan", projectId: props.projectId })}
      >
        {t("plan.open")}
      </a>
    </section>
  );
}
