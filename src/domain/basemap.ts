/**
 * The basemap is a configurable tile source. With none, the map shows a plain background
 * and everything else works (offline-first; and no third party sees the team's position).
 */
import { gridNamed } from "./tile-grid";

/** What the person chose as the basemap (kept in the device's settings). */
export type BasemapSetting =
  | { kind: "none" }
  | { kind: "osm" }
  /** One of the person's own online sources (settings.tileSources), by id. */
  | { kind: "source"; sourceId: string }
  /** A PMTiles file stored on the device (src/storage/basemap-files.ts): works offline. */
  | { kind: "pmtiles"; fileId: string; schema: BasemapSchema; attribution: string };

/**
 * An online tile source the person added: the municipality's own map, Lantmäteriet's
 * topographic web map in Web Mercator, or another source they may use.
 */
export interface TileSource {
  /** Made on the device; saved areas and their stored tiles are filed under it. */
  id: string;
  name: string;
  /** How it was given: an XYZ address, a WMTS service (capabilities or a tile template), a style. */
  kind: "xyz" | "wmts" | "style";
  /** xyz and wmts: the tile address with {z}, {x} and {y}; style: the style.json address. */
  url: string;
  /** The credit the source asks for, shown on the map (plain text). */
  attribution: string;
  tileSizePx: 256 | 512;
  minZoom: number;
  maxZoom: number;
  /** For wmts: the layer and tile matrix set it was made from. */
  wmts?: { capabilitiesUrl: string | null; layer: string; tileMatrixSet: string };
  /**
   * The person confirmed that the source's terms allow saving its tiles for offline use.
   * Without it Lykta downloads no areas from the source.
   */
  offlineAllowedByUser: boolean;
}

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

/** What the map draws: a setting with its source looked up. */
export type BasemapView =
  | { kind: "none" }
  | {
      kind: "raster";
      url: string;
      attribution: string;
      tileSizePx: 256 | 512;
      minZoom: number;
      maxZoom: number;
      /** The own source, whose saved areas the map reads first; null for OSM (never saved). */
      sourceId: string | null;
    }
  | { kind: "style"; url: string; attribution: string }
  | { kind: "pmtiles"; fileId: string; schema: BasemapSchema; attribution: string };

export const DEFAULT_BASEMAP: BasemapSetting = { kind: "none" };

/**
 * OpenStreetMap's standard tiles. Their tile usage policy allows light interactive use with
 * attribution, and forbids bulk downloading, e.g. for offline use
 * (https://operations.osmfoundation.org/policies/tiles/).
 */
export const OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
export const OSM_ATTRIBUTION = "© OpenStreetMap contributors";
/** OSM's standard tiles stop at zoom 19. */
export const OSM_MAX_ZOOM = 19;
/** MapLibre's highest zoom, and the most an own source can say it has. */
export const SOURCE_MAX_ZOOM = 22;

/** The map a setting draws; a source that is gone draws nothing. */
export function resolveBasemap(
  setting: BasemapSetting,
  sources: readonly TileSource[],
): BasemapView {
  switch (setting.kind) {
    case "none":
    case "pmtiles":
      return setting;
    case "osm":
      return {
        kind: "raster",
        url: OSM_TILE_URL,
        attribution: OSM_ATTRIBUTION,
        tileSizePx: 256,
        minZoom: 0,
        maxZoom: OSM_MAX_ZOOM,
        sourceId: null,
      };
    case "source": {
      const source = sources.find((candidate) => candidate.id === setting.sourceId);
      if (!source) return { kind: "none" };
      if (source.kind === "style") {
        return { kind: "style", url: source.url, attribution: source.attribution };
      }
      return {
        kind: "raster",
        url: source.url,
        attribution: source.attribution,
        tileSizePx: source.tileSizePx,
        minZoom: source.minZoom,
        maxZoom: source.maxZoom,
        sourceId: source.id,
      };
    }
  }
}

export const TILE_SOURCE_PROBLEMS = {
  notHttps: "not_https",
  missingPlaceholders: "missing_placeholders",
  sweref: "sweref_grid",
  noName: "no_name",
  noAttribution: "no_attribution",
  zooms: "bad_zooms",
} as const;
export type TileSourceProblem = (typeof TILE_SOURCE_PROBLEMS)[keyof typeof TILE_SOURCE_PROBLEMS];

/** http is allowed for the device itself only (a test server, a local tile server). */
function addressProblem(url: string): "not_https" | null {
  const local = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url);
  return url.startsWith("https://") || local ? null : "not_https";
}

/** Why an own source cannot be used, or null. */
export function tileSourceProblem(source: TileSource): TileSourceProblem | null {
  const url = source.url.trim();
  const address = addressProblem(url);
  if (address) return address;
  // MapLibre shows Web Mercator tile grids only; SWEREF 99 TM (EPSG:3006) grids cannot be shown.
  if (gridNamed(url.replace(/\{[^}]*\}/g, "/")) === "sweref") return "sweref_grid";
  if (source.kind !== "style") {
    const hasXyz = url.includes("{z}") && url.includes("{x}") && url.includes("{y}");
    if (!hasXyz) return "missing_placeholders";
    if (
      !Number.isInteger(source.minZoom) ||
      !Number.isInteger(source.maxZoom) ||
      source.minZoom < 0 ||
      source.maxZoom > SOURCE_MAX_ZOOM ||
      source.minZoom > source.maxZoom
    ) {
      return "bad_zooms";
    }
    // A raster source's tiles are its owner's work: the map says whose.
    if (source.attribution.trim() === "") return "no_attribution";
  }
  if (source.name.trim() === "") return "no_name";
  return null;
}

/** tile.openstreetmap.org and its old a/b/c names, whose policy forbids bulk downloads. */
export function isOsmTileUrl(url: string): boolean {
  return /^https?:\/\/([abc]\.)?tile\.openstreetmap\.org\//i.test(url.trim());
}

export type OfflineSaveProblem = "osm_policy" | "style_source" | "not_confirmed";

/**
 * Why areas of a source may not be saved for offline use, or null when they may: OSM's
 * standard tiles never (their policy), vector styles not (a style is many files: use a
 * PMTiles map file), an own source only once the person confirmed its terms allow it.
 */
export function offlineSaveProblem(source: TileSource | "osm"): OfflineSaveProblem | null {
  if (source === "osm" || isOsmTileUrl(source.url)) return "osm_policy";
  if (source.kind === "style") return "style_source";
  return source.offlineAllowedByUser ? null : "not_confirmed";
}

/**
 * Settings stored before own sources had ids held the address in the basemap setting
 * itself ({kind: "raster", url, attribution} or {kind: "style", url}): move it into a source.
 */
export function migrateBasemapSetting(
  stored: unknown,
  sources: readonly TileSource[],
  newId: () => string,
): { basemap: BasemapSetting; sources: TileSource[] } {
  const value = (typeof stored === "object" && stored !== null ? stored : {}) as Record<
    string,
    unknown
  >;
  const kept = [...sources];
  const plain = (key: string) => (typeof value[key] === "string" ? (value[key] as string) : "");
  if (value.kind === "raster" || value.kind === "style") {
    const source: TileSource = {
      id: newId(),
      name: value.kind === "raster" ? "Egen rasterkälla" : "Egen stil",
      kind: value.kind === "raster" ? "xyz" : "style",
      url: plain("url"),
      attribution: plain("attribution") || "–",
      tileSizePx: 256,
      minZoom: 0,
      maxZoom: SOURCE_MAX_ZOOM,
      offlineAllowedByUser: false,
    };
    if (tileSourceProblem(source) !== null) return { basemap: DEFAULT_BASEMAP, sources: kept };
    return { basemap: { kind: "source", sourceId: source.id }, sources: [...kept, source] };
  }
  if (value.kind === "osm") return { basemap: { kind: "osm" }, sources: kept };
  if (value.kind === "source" && kept.some((source) => source.id === value.sourceId)) {
    return { basemap: { kind: "source", sourceId: String(value.sourceId) }, sources: kept };
  }
  if (
    value.kind === "pmtiles" &&
    typeof value.fileId === "string" &&
    typeof value.schema === "string"
  ) {
    return { basemap: value as unknown as BasemapSetting, sources: kept };
  }
  return { basemap: DEFAULT_BASEMAP, sources: kept };
}
