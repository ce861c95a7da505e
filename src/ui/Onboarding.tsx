import { t } from "../state/i18n";

/** First start: what a newcomer does, in five short steps. */
export function Onboarding(props: { onDone(): void }) {
  return (
    <section class="card onboarding" aria-labelledby="onboarding-heading">
      <h2 id="onboarding-heading">{t("onboardingTitle")}</h2>
      <p>{t("appTagline")}</p>
      <ol class="onboarding-steps">
        <li>{t("onboardingStep1")}</li>
        <li>{t("onboardingStep2")}</li>
        <li>{t("onboardingStep3")}</li>
        <li>{t("onboardingStep4")}</li>
        <li>{t("onboardingStep5")}</li>
      </ol>
      <button type="button" class="button button-primary" onClick={props.onDone}>
        {t("onboardingStart")}
      </button>
    </section>
  );
}
