/**
 * The basemap is a configurable tile source. With none, the map shows a plain background
 * and everything else works (offline-first; and no third party sees the team's position).
 */
export type BasemapSetting =
  | { kind: "none" }
  | { kind: "osm" }
  | { kind: "raster"; url: string; attribution: string }
  | { kind: "style"; url: string };

export const DEFAULT_BASEMAP: BasemapSetting = { kind: "none" };

/**
 * OpenStreetMap's standard tiles. Their tile usage policy allows light interactive use with
 * attribution, and forbids bulk downloading (https://operations.osmfoundation.org/policies/tiles/).
 */
export const OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
export const OSM_ATTRIBUTION = "© OpenStreetMap contributors";
/** OSM's standard tiles stop at zoom 19. */
export const OSM_MAX_ZOOM = 19;

export type BasemapProblem = "not_https" | "missing_placeholders" | "sweref_grid";

/** Check a user-entered basemap address. */
export function basemapProblem(setting: BasemapSetting): BasemapProblem | null {
  if (setting.kind === "none" || setting.kind === "osm") return null;
  const url = setting.url.trim();
  const local = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url);
  if (!url.startsWith("https://") && !local) return "not_https";
  // MapLibre shows Web Mercator tile grids only; SWEREF 99 TM (EPSG:3006) grids cannot be shown.
  if (/3006|sweref/i.test(url)) return "sweref_grid";
  if (setting.kind === "raster") {
    const hasXyz = url.includes("{z}") && url.includes("{x}") && url.includes("{y}");
    if (!hasXyz) return "missing_placeholders";
  }
  return null;
}
