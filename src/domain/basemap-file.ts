/**
 * Basemap files (PMTiles archives) a team loads onto the tablet: what Lykta keeps about each,
 * and how it recognises the layer schema of a vector file. Pure: the header and metadata come
 * from the `pmtiles` library (src/state/basemap-files.ts).
 */
import type { BasemapSchema } from "./basemap";

/** What Lykta keeps about a stored basemap file (the bytes are stored beside it). */
export interface BasemapFileInfo {
  /** Made on the device; also the name of the stored file. */
  id: string;
  /** The file name the person chose, for display. */
  name: string;
  sizeBytes: number;
  schema: BasemapSchema;
  /** West, south, east, north in degrees (from the PMTiles header). */
  bounds: [number, number, number, number];
  /** Where to look first: the header's centre, inside the bounds. */
  center: [number, number];
  /** A zoom that shows the whole area on a tablet, at least the file's minimum zoom. */
  centerZoom: number;
  minZoom: number;
  maxZoom: number;
  /** Credit for the map data, shown on the map. */
  attribution: string;
  /** Epoch ms when it was stored. */
  storedAt: number;
  /** Where the bytes are: the Origin Private File System, or IndexedDB where there is none. */
  storage: "opfs" | "indexeddb";
}

/** OpenStreetMap-derived data must say so wherever it is shown (ODbL). */
export const PROTOMAPS_ATTRIBUTION =
  '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>, <a href="https://protomaps.com">Protomaps</a>';

/** The part of a PMTiles v3 header Lykta reads. */
export interface PmtilesHeaderFacts {
  specVersion: number;
  /** 1 MVT, 2 PNG, 3 JPEG, 4 WebP, 5 AVIF, 0 unknown (PMTiles v3 spec). */
  tileType: number;
  minZoom: number;
  maxZoom: number;
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
  centerLon: number;
  centerLat: number;
  centerZoom: number;
}

export interface VectorLayerFacts {
  id: string;
  fields?: Record<string, unknown>;
}

export const BASEMAP_FILE_PROBLEMS = {
  notPmtiles: "not_pmtiles",
  unsupportedVersion: "unsupported_version",
  unknownSchema: "unknown_schema",
  unsupportedTiles: "unsupported_tiles",
} as const;
export type BasemapFileProblem = (typeof BASEMAP_FILE_PROBLEMS)[keyof typeof BASEMAP_FILE_PROBLEMS];

/** Layers only the 2023 schema has. */
const LAYERS_2023 = new Set(["physical_line", "physical_point", "natural", "mask"]);
/** Layers only the current (v4) schema has. */
const LAYERS_V4 = new Set(["landcover"]);

/**
 * The Protomaps schema of a vector file from its metadata's `vector_layers`: the 2023 schema
 * names its fields `pmap:kind`, the current one `kind`; some layers exist in one only. Null
 * when neither is recognised (another vector schema, e.g. OpenMapTiles: not supported).
 */
export function detectVectorSchema(
  layers: readonly VectorLayerFacts[],
): "protomaps-2023" | "protomaps-v4" | null {
  let score2023 = 0;
  let scoreV4 = 0;
  for (const layer of layers) {
    const fields = Object.keys(layer.fields ?? {});
    if (fields.some((field) => field.startsWith("pmap:"))) score2023 += 2;
    if (fields.includes("kind")) scoreV4 += 2;
    if (LAYERS_2023.has(layer.id)) score2023 += 1;
    if (LAYERS_V4.has(layer.id)) scoreV4 += 1;
  }
  const ids = new Set(layers.map((layer) => layer.id));
  const protomapsLike = ids.has("roads") && ids.has("earth");
  if (!protomapsLike || score2023 === scoreV4) return null;
  return score2023 > scoreV4 ? "protomaps-2023" : "protomaps-v4";
}

/**
 * The schema of a file from its header and metadata, or why it cannot be shown. `sampleKinds`
 * are the property names of one decoded tile's features, for files whose metadata lists no
 * fields (optional).
 */
export function basemapSchemaOf(
  header: PmtilesHeaderFacts,
  metadata: unknown,
  sampleFieldNames: readonly string[] = [],
): { ok: true; schema: BasemapSchema } | { ok: false; problem: BasemapFileProblem } {
  if (header.specVersion !== 3) return { ok: false, problem: "unsupported_version" };
  if (header.tileType >= 2 && header.tileType <= 4) return { ok: true, schema: "raster" };
  if (header.tileType !== 1) return { ok: false, problem: "unsupported_tiles" };
  const layers =
    typeof metadata === "object" && metadata !== null && "vector_layers" in metadata
      ? ((metadata as { vector_layers: unknown }).vector_layers as VectorLayerFacts[])
      : [];
  const schema = Array.isArray(layers) ? detectVectorSchema(layers) : null;
  if (schema) return { ok: true, schema };
  if (sampleFieldNames.includes("pmap:kind")) return { ok: true, schema: "protomaps-2023" };
  if (sampleFieldNames.includes("kind")) return { ok: true, schema: "protomaps-v4" };
  return { ok: false, problem: "unknown_schema" };
}

/** The world's width in px at MapLibre's zoom 0 (its tiles are 512 px). */
const MAPLIBRE_WORLD_PX = 512;

/**
 * A zoom that shows the file's whole area on a tablet-sized map (about 1,000 px across),
 * within the file's zooms.
 */
export function zoomToShow(
  bounds: readonly [number, number, number, number],
  minZoom: number,
  maxZoom: number,
): number {
  const [west, south, east, north] = bounds;
  const widthDeg = Math.max(east - west, 1e-6);
  const mercator = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  const heightRad = Math.max(mercator(north) - mercator(south), 1e-9);
  // MapLibre's zoom z is 512 * 2^z px around the world (360 degrees, 2 pi radians): its
  // zoom 0 is one 512 px tile, so a 256 px XYZ tile of zoom z + 1 is drawn 256 px wide.
  const zoomX = Math.log2((1000 * 360) / (MAPLIBRE_WORLD_PX * widthDeg));
  const zoomY = Math.log2((700 * 2 * Math.PI) / (MAPLIBRE_WORLD_PX * heightRad));
  const fit = Math.floor(Math.min(zoomX, zoomY) * 2) / 2;
  return Math.min(Math.max(fit, minZoom), Math.max(maxZoom, minZoom));
}

/** The facts Lykta keeps, from a file's header (the caller adds id, name, size, storage). */
export function describeBasemapFile(
  header: PmtilesHeaderFacts,
  metadata: unknown,
  schema: BasemapSchema,
): Pick<
  BasemapFileInfo,
  "schema" | "bounds" | "center" | "centerZoom" | "minZoom" | "maxZoom" | "attribution"
> {
  const bounds: [number, number, number, number] = [
    header.minLon,
    header.minLat,
    header.maxLon,
    header.maxLat,
  ];
  const inside =
    header.centerLon >= header.minLon &&
    header.centerLon <= header.maxLon &&
    header.centerLat >= header.minLat &&
    header.centerLat <= header.maxLat;
  const center: [number, number] = inside
    ? [header.centerLon, header.centerLat]
    : [(header.minLon + header.maxLon) / 2, (header.minLat + header.maxLat) / 2];
  const ownAttribution =
    typeof metadata === "object" && metadata !== null && "attribution" in metadata
      ? String((metadata as { attribution: unknown }).attribution ?? "")
      : "";
  return {
    schema,
    bounds,
    center,
    centerZoom: zoomToShow(bounds, header.minZoom, header.maxZoom),
    minZoom: header.minZoom,
    maxZoom: header.maxZoom,
    // Protomaps files are OpenStreetMap data: credit it even if the file forgot to. A raster
    // file's own credit is shown as text: MapLibre shows attributions as HTML, and a file is
    // not trusted to write the page's markup.
    attribution: schema === "raster" ? plainText(ownAttribution) : PROTOMAPS_ATTRIBUTION,
  };
}

/** Text without markup, escaped for a place that reads HTML. */
function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\s+/g, " ")
    .trim();
}
