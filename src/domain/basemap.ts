/**
 * The basemap is a configurable tile source. With none, the map shows a plain background
 * and everything else works (offline-first; and no third party sees the team's position).
 */
export type BasemapSetting =
  | { kind: "none" }
  | { kind: "osm" }
  | { kind: "raster"; url: string; attribution: string }
  | { kind: "style"; url: string }
  /** A PMTiles file stored on the device (src/storage/basemap-files.ts): works offline. */
  | { kind: "pmtiles"; fileId: string; schema: BasemapSchema; attribution: string };

/**
 * What a PMTiles file holds, which decides the style it is drawn with (docs/basemaps.md):
 * - `protomaps-2023`: Protomaps vector tiles with the 2023 layer schema (`pmap:kind`,
 *   layers earth, natural, landuse, water, physical_line, roads, transit, buildings, places, mask);
 * - `protomaps-v4`: the current Protomaps schema (`kind`, layers earth, landcover, landuse,
 *   water, roads, transit, buildings, places, pois, boundaries), as made by
 *   `pmtiles extract` of a current build or by the planetiler-based Protomaps profile;
 * - `raster`: PNG, JPEG or WebP image tiles, drawn as they are.
 */
export type BasemapSchema = "protomaps-2023" | "protomaps-v4" | "raster";

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
  if (setting.kind === "none" || setting.kind === "osm" || setting.kind === "pmtiles") return null;
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
