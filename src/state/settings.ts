/**
 * Device settings (not synced): language, night mode, basemap, onboarding. Kept in
 * localStorage so the first paint already has the right language and colours.
 */
import {
  type BasemapSetting,
  DEFAULT_BASEMAP,
  migrateBasemapSetting,
  type TileSource,
  tileSourceProblem,
} from "../domain/basemap";
import { newId } from "../domain/ids";
import type { Language } from "../domain/labels";

export type NightModeSetting = "auto" | "on" | "off";

export interface Settings {
  language: Language;
  nightMode: NightModeSetting;
  basemap: BasemapSetting;
  /** The person's own online tile sources (XYZ, WMTS, styles), oldest first. */
  tileSources: TileSource[];
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
  tileSources: [],
  onboarded: false,
  lastView: null,
};

export function loadSettings(): Settings {
  try {
    const raw = globalThis.localStorage?.getItem(SETTINGS_KEY);
    if (!raw) return { ...DEFAULT_SETTINGS };
    const parsed = JSON.parse(raw) as Partial<Settings>;
    const sources = (Array.isArray(parsed.tileSources) ? parsed.tileSources : []).filter(
      (source) => typeof source?.id === "string" && tileSourceProblem(source) === null,
    );
    const { basemap, sources: tileSources } = migrateBasemapSetting(parsed.basemap, sources, newId);
    return {
      language: parsed.language === "en" ? "en" : "sv",
      nightMode:
        parsed.nightMode === "on" || parsed.nightMode === "off" ? parsed.nightMode : "auto",
      basemap,
      tileSources,
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
