import type { ComponentChildren } from "preact";
import { t } from "../state/i18n";
import { isNight } from "../state/night";
import { hrefFor } from "../state/router";
import { storeSettings } from "../state/settings";
import { online, settings } from "../state/store";

export function toggleNight() {
  const next = { ...settings.value, nightMode: isNight.value ? ("off" as const) : ("on" as const) };
  settings.value = next;
  storeSettings(next);
}

export function toggleLanguage() {
  const next = {
    ...settings.value,
    language: settings.value.language === "sv" ? ("en" as const) : ("sv" as const),
  };
  settings.value = next;
  storeSettings(next);
  document.documentElement.lang = next.language;
}

/** The top bar: back link, title, and the controls that apply everywhere. */
export function Header(props: { title: string; back?: string; children?: ComponentChildren }) {
  return (
    <header class="topbar">
      {props.back && (
        <a class="button button-icon" href={props.back}>
          <span aria-hidden="true">‹</span>
          <span class="visually-hidden">{t("back")}</span>
        </a>
      )}
      <h1 class="topbar-title">{props.title}</h1>
      <div class="topbar-actions">
        {props.children}
        {!online.value && <span class="chip chip-warning">{t("offline")}</span>}
        <button
          type="button"
          class="button button-icon"
          aria-pressed={isNight.value}
          aria-label={isNight.value ? t("nightModeToggleOff") : t("nightModeToggleOn")}
          onClick={toggleNight}
        >
          <span aria-hidden="true">{isNight.value ? "☀" : "☾"}</span>
        </button>
        <button
          type="button"
          class="button"
          lang={settings.value.language === "sv" ? "en" : "sv"}
          onClick={toggleLanguage}
        >
          {settings.value.language === "sv" ? "English" : "Svenska"}
        </button>
        <a class="button button-icon" href={hrefFor({ screen: "settings" })}>
          <span aria-hidden="true">⚙</span>
          <span class="visually-hidden">{t("settings")}</span>
        </a>
      </div>
    </header>
  );
}

/** A screen whose records are still being read. */
export function LoadingScreen(props: { back: string }) {
  return (
    <>
      <Header title={t("appName")} back={props.back} />
      <main id="main" class="page" aria-busy="true">
        <p>{t("loading")}</p>
      </main>
    </>
  );
}
