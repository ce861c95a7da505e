/**
 * Device settings (not synced): language, night mode, basemap, onboarding. Kept in
 * localStorage so the first paint already has the right language and colours.
 */
import { type BasemapSetting, basemapProblem, DEFAULT_BASEMAP } from "../domain/basemap";
import type { Language } from "../domain/labels";

export type NightModeSetting = "auto" | "on" | "off";

export interface Settings {
  language: Language;
  nightMode: NightModeSetting;
  basemap: BasemapSetting;
  onboarded: boolean;
  /** Last map view, used when a walk has nothing to zoom to. */
  lastView: { center: [number, number]; zoom: number } | null;
}

// DO NOT RENAME: existing tablets hold settings under this key.
const SETTINGS_KEY = "lykta.settings.v1";

export const DEFAULT_SETTINGS: Settings = {
  language: "sv",
  nightMode: "auto",
  basemap: DEFAULT_BASEMAP,
  onboarded: false,
  lastView: null,
};

export function loadSettings(): Settings {
  try {
    const raw = globalThis.localStorage?.getItem(SETTINGS_KEY);
    if (!raw) return { ...DEFAULT_SETTINGS };
    const parsed = JSON.parse(raw) as Partial<Settings>;
    const basemap =
      parsed.basemap && basemapProblem(parsed.basemap) === null ? parsed.basemap : DEFAULT_BASEMAP;
    return {
      language: parsed.language === "en" ? "en" : "sv",
      nightMode:
        parsed.nightMode === "on" || parsed.nightMode === "off" ? parsed.nightMode : "auto",
      basemap,
      onboarded: parsed.onboarded === true,
      lastView: parsed.lastView ?? null,
    };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export function storeSettings(settings: Settings): void {
  try {
    globalThis.localStorage?.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // Settings are a convenience; failing to keep them must not disturb a walk.
  }
}
