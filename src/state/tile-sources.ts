/**
 * The person's own online tile sources (device settings): add one from an XYZ address, a
 * WMTS service or a style address, choose it as the basemap, confirm its terms, remove it.
 */
import type { BasemapSetting, TileSource } from "../domain/basemap";
import type { WmtsChoice, WmtsProblem } from "../domain/wmts";
import { storeSettings } from "./settings";
import { settings } from "./store";

function save(patch: Partial<typeof settings.value>) {
  const next = { ...settings.value, ...patch };
  settings.value = next;
  storeSettings(next);
}

export function chooseBasemap(basemap: BasemapSetting): void {
  save({ basemap });
}

/** Add a source (already checked) and choose it as the basemap. */
export function addTileSource(source: TileSource): void {
  save({
    tileSources: [...settings.value.tileSources, source],
    basemap: { kind: "source", sourceId: source.id },
  });
}

export function removeTileSource(sourceId: string): void {
  const basemap = settings.value.basemap;
  save({
    tileSources: settings.value.tileSources.filter((source) => source.id !== sourceId),
    ...(basemap.kind === "source" && basemap.sourceId === sourceId
      ? { basemap: { kind: "none" as const } }
      : {}),
  });
}

/** The person confirms (or withdraws) that a source's terms allow saving it for offline use. */
export function setOfflineAllowed(sourceId: string, allowed: boolean): void {
  save({
    tileSources: settings.value.tileSources.map((source) =>
      source.id === sourceId ? { ...source, offlineAllowedByUser: allowed } : source,
    ),
  });
}

export type CapabilitiesResult =
  | {
      ok: true;
      choices: WmtsChoice[];
      refused: { layer: string; title: string; problem: WmtsProblem }[];
      provider: string;
    }
  | { ok: false; problem: WmtsProblem | "network" };

/** Fetch and read a WMTS GetCapabilities document (the XML reader loads on first use). */
export async function loadCapabilities(url: string): Promise<CapabilitiesResult> {
  let xml: string;
  try {
    const response = await fetch(url, { credentials: "omit" });
    if (!response.ok) return { ok: false, problem: "network" };
    xml = await response.text();
  } catch {
    // Offline, the server is unreachable, or it does not allow the app to read it (CORS).
    return { ok: false, problem: "network" };
  }
  const { parseWmtsCapabilities, wmtsChoices } = await import("../domain/wmts");
  const parsed = parseWmtsCapabilities(xml);
  if (!parsed.ok) return parsed;
  const { choices, refused } = wmtsChoices(parsed.capabilities);
  if (choices.length === 0 && refused.length === 0) return { ok: false, problem: "no_layers" };
  return { ok: true, choices, refused, provider: parsed.capabilities.provider };
}
