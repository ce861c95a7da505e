import { t } from "../state/i18n";
import { hrefFor } from "../state/router";
import { Header } from "./Header";

/** Tillgänglighetsredogörelse, as Swedish public bodies must publish (DOS-lagen, 2018:1937). */
export function AccessibilityScreen() {
  return (
    <>
      <Header title={t("accessibility")} back={hrefFor({ screen: "home" })} />
      <main id="main" class="page">
        <article class="card prose">
          <p>{t("a11yIntro")}</p>
          <h2>{t("a11yStatusHeading")}</h2>
          <p>{t("a11yStatus")}</p>
          <h2>{t("a11yAlternativesHeading")}</h2>
          <p>{t("a11yAlternatives")}</p>
          <h2>{t("a11yKnownIssuesHeading")}</h2>
          <ul>
            <li>{t("a11yKnownIssue1")}</li>
            <li>{t("a11yKnownIssue2")}</li>
            <li>{t("a11yKnownIssue3")}</li>
          </ul>
          <h2>{t("a11yReportHeading")}</h2>
          <p>{t("a11yReport")}</p>
          <h2>{t("a11yEnforcementHeading")}</h2>
          <p>{t("a11yEnforcement")}</p>
          <h2>{t("a11yMethodHeading")}</h2>
          <p>{t("a11yMethod", { version: __APP_VERSION__ })}</p>
        </article>
      </main>
    </>
  );
}
