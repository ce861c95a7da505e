import { useEffect } from "preact/hooks";
import { t } from "../state/i18n";
import { isNight } from "../state/night";
import { boot, route, settings, updateReady } from "../state/store";
import { AccessibilityScreen } from "./AccessibilityScreen";
import { HomeScreen } from "./HomeScreen";
import { LightingScreen } from "./LightingScreen";
import { Notices } from "./Notices";
import { OfflineAreaScreen } from "./OfflineAreaScreen";
import { ProjectScreen } from "./ProjectScreen";
import { PlanScreen } from "./plan/PlanScreen";
import { StrategyReport } from "./reports/StrategyReport";
import { WalkReport } from "./reports/WalkReport";
import { SettingsScreen } from "./SettingsScreen";
import { SitesScreen } from "./SitesScreen";
import { WalkScreen } from "./WalkScreen";

function UpdateBanner() {
  const activate = updateReady.value;
  if (!activate) return null;
  return (
    <div class="banner banner-update" role="status">
      <span>{t("updateAvailable")}</span>
      <div class="button-row">
        <button type="button" class="button button-primary" onClick={activate}>
          {t("updateNow")}
        </button>
        <button type="button" class="button" onClick={() => (updateReady.value = null)}>
          {t("updateLater")}
        </button>
      </div>
    </div>
  );
}

function Screen() {
  const current = route.value;
  switch (current.screen) {
    case "home":
      return <HomeScreen />;
    case "project":
      return <ProjectScreen projectId={current.projectId} />;
    case "walk":
      return <WalkScreen walkId={current.walkId} view={current.view} />;
    case "sites":
      return <SitesScreen projectId={current.projectId} />;
    case "lighting":
      return <LightingScreen projectId={current.projectId} />;
    case "plan":
      return <PlanScreen projectId={current.projectId} />;
    case "strategyReport":
      return <StrategyReport projectId={current.projectId} />;
    case "walkReport":
      return <WalkReport projectId={current.projectId} walkId={current.walkId} />;
    case "settings":
      return <SettingsScreen />;
    case "offlineArea":
      return <OfflineAreaScreen walkId={current.walkId} />;
    case "accessibility":
      return <AccessibilityScreen />;
  }
}

export function App() {
  const night = isNight.value;
  useEffect(() => {
    document.documentElement.classList.toggle("night", night);
    document
      .querySelector('meta[name="theme-color"]')
      ?.setAttribute("content", night ? "#0b0e13" : "#1d3b5c");
  }, [night]);
  useEffect(() => {
    document.documentElement.lang = settings.value.language;
    document.title = t("appName");
  }, [settings.value.language]);

  const state = boot.value;
  if (state.state === "loading") {
    return (
      <main id="main" class="page" aria-busy="true">
        <p>{t("loading")}</p>
      </main>
    );
  }
  if (state.state === "failed") {
    return (
      <main id="main" class="page">
        <div class="card" role="alert">
          <h1>{t("appName")}</h1>
          <p>{t(state.messageKey)}</p>
          {state.detail && <p class="muted">{state.detail}</p>}
          <button type="button" class="button button-primary" onClick={() => location.reload()}>
            {t("reload")}
          </button>
        </div>
      </main>
    );
  }
  return (
    <>
      <button
        type="button"
        class="skip-link button"
        onClick={() => {
          // The URL hash is the router's, so move focus instead of linking to #main.
          const main = document.getElementById("main");
          main?.setAttribute("tabindex", "-1");
          main?.focus();
        }}
      >
        {t("skipToContent")}
      </button>
      <UpdateBanner />
      <Screen />
      <Notices />
    </>
  );
}
