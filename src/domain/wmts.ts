/**
 * WMTS (OGC 07-057r7, version 1.0.0) for the basemap: read a GetCapabilities document, find
 * the layers offered in a Web Mercator tile matrix set MapLibre can draw, and turn a layer
 * into an XYZ address ({z}/{x}/{y}). Tile grids in SWEREF 99 TM (EPSG:3006; Lantmäteriet's
 * default) or any other projection are refused with the reason: MapLibre draws Web Mercator
 * (EPSG:3857) tiles only. Pure; XML through @xmldom/xmldom (no DOMParser in Node or workers).
 */
import { DOMParser } from "@xmldom/xmldom";
import { gridNamed } from "./tile-grid";

export interface WmtsTileMatrix {
  id: string;
  scaleDenominator: number;
  /** TopLeftCorner as written: for EPSG:3857, easting then northing (metres). */
  topLeft: [number, number];
  tileWidth: number;
  tileHeight: number;
  matrixWidth: number;
  matrixHeight: number;
}

export interface WmtsTileMatrixSet {
  id: string;
  crs: string;
  wellKnownScaleSet: string | null;
  matrices: WmtsTileMatrix[];
}

export interface WmtsLayer {
  id: string;
  title: string;
  formats: string[];
  /** Style identifiers, the default first. */
  styles: string[];
  matrixSetIds: string[];
  /** REST templates (ResourceURL resourceType="tile"). */
  resourceUrls: { format: string; template: string }[];
}

export interface WmtsCapabilities {
  title: string;
  /** ServiceProvider/ProviderName: a starting point for the credit shown on the map. */
  provider: string;
  layers: WmtsLayer[];
  matrixSets: WmtsTileMatrixSet[];
  /** The GetTile address for key-value requests, if the service offers them. */
  kvpUrl: string | null;
}

export const WMTS_PROBLEMS = {
  notXml: "not_xml",
  notWmts: "not_wmts",
  noLayers: "no_layers",
  sweref: "sweref_grid",
  notWebMercator: "not_web_mercator",
  irregularGrid: "irregular_grid",
  matrixNames: "matrix_names",
  noImageFormat: "no_image_format",
  noTileAddress: "no_tile_address",
  unknownGrid: "unknown_grid",
  notTemplate: "not_tile_template",
} as const;
export type WmtsProblem = (typeof WMTS_PROBLEMS)[keyof typeof WMTS_PROBLEMS];

type XmlNode = {
  nodeType: number;
  localName?: string | null;
  textContent?: string | null;
  childNodes: ArrayLike<XmlNode>;
  getAttribute?(name: string): string | null;
};

function children(node: XmlNode, name: string): XmlNode[] {
  const found: XmlNode[] = [];
  for (let i = 0; i < node.childNodes.length; i += 1) {
    const child = node.childNodes[i]!;
    if (child.nodeType === 1 && child.localName === name) found.push(child);
  }
  return found;
}

function child(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let current = node;
  for (const name of path) current = current ? children(current, name)[0] : undefined;
  return current;
}

function text(node: XmlNode | undefined, ...path: string[]): string {
  return (child(node, ...path)?.textContent ?? "").trim();
}

function numbers(value: string): number[] {
  return value.split(/\s+/).filter(Boolean).map(Number);
}

/** Read a GetCapabilities document. */
export function parseWmtsCapabilities(
  xml: string,
): { ok: true; capabilities: WmtsCapabilities } | { ok: false; problem: WmtsProblem } {
  let root: XmlNode | undefined;
  try {
    const document = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") throw new Error(message);
      },
    }).parseFromString(xml, "text/xml");
    root = document.documentElement as unknown as XmlNode | undefined;
  } catch {
    return { ok: false, problem: "not_xml" };
  }
  if (root?.localName !== "Capabilities" || !child(root, "Contents")) {
    return { ok: false, problem: "not_wmts" };
  }
  const contents = child(root, "Contents")!;
  const layers = children(contents, "Layer").map(
    (layer): WmtsLayer => ({
      id: text(layer, "Identifier"),
      title: text(layer, "Title") || text(layer, "Identifier"),
      formats: children(layer, "Format").map((format) => (format.textContent ?? "").trim()),
      styles: children(layer, "Style")
        .map((style) => ({
          id: text(style, "Identifier"),
          isDefault: style.getAttribute?.("isDefault") === "true",
        }))
        .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
        .map((style) => style.id),
      matrixSetIds: children(layer, "TileMatrixSetLink").map((link) => text(link, "TileMatrixSet")),
      resourceUrls: children(layer, "ResourceURL")
        .filter((url) => url.getAttribute?.("resourceType") === "tile")
        .map((url) => ({
          format: url.getAttribute?.("format") ?? "",
          template: url.getAttribute?.("template") ?? "",
        })),
    }),
  );
  const matrixSets = children(contents, "TileMatrixSet").map(
    (set): WmtsTileMatrixSet => ({
      id: text(set, "Identifier"),
      crs: text(set, "SupportedCRS"),
      wellKnownScaleSet: text(set, "WellKnownScaleSet") || null,
      matrices: children(set, "TileMatrix").map((matrix) => {
        const [x = Number.NaN, y = Number.NaN] = numbers(text(matrix, "TopLeftCorner"));
        return {
          id: text(matrix, "Identifier"),
          scaleDenominator: Number(text(matrix, "ScaleDenominator")),
          topLeft: [x, y],
          tileWidth: Number(text(matrix, "TileWidth")),
          tileHeight: Number(text(matrix, "TileHeight")),
          matrixWidth: Number(text(matrix, "MatrixWidth")),
          matrixHeight: Number(text(matrix, "MatrixHeight")),
        };
      }),
    }),
  );
  let kvpUrl: string | null = null;
  for (const operation of children(child(root, "OperationsMetadata") ?? root, "Operation")) {
    if (operation.getAttribute?.("name") !== "GetTile") continue;
    for (const get of children(child(operation, "DCP", "HTTP") ?? operation, "Get")) {
      const encodings = children(child(get, "Constraint") ?? get, "AllowedValues").flatMap(
        (allowed) => children(allowed, "Value").map((value) => (value.textContent ?? "").trim()),
      );
      const href = get.getAttribute?.("xlink:href") ?? get.getAttribute?.("href") ?? null;
      if (href && (encodings.length === 0 || encodings.includes("KVP"))) kvpUrl ??= href;
    }
  }
  return {
    ok: true,
    capabilities: {
      title: text(root, "ServiceIdentification", "Title"),
      provider: text(root, "ServiceProvider", "ProviderName"),
      layers,
      matrixSets,
      kvpUrl,
    },
  };
}

/** The EPSG code of a CRS written as EPSG:3857, an OGC URN or an OGC http URI; else null. */
export function epsgCode(crs: string): number | null {
  const match =
    /^(?:EPSG:|urn:ogc:def:crs:EPSG:[\d.]*:|https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/\d+\/)(\d+)$/i.exec(
      crs.trim(),
    );
  return match ? Number(match[1]) : null;
}

/**
 * Codes Web Mercator goes by: EPSG:3857, and the older or vendor names for the same
 * projection (900913 "Google", 3785, ESRI 102100 and 102113).
 */
const WEB_MERCATOR_CODES = new Set([3857, 900913, 3785, 102100, 102113]);
/** SWEREF 99 TM (3006) and its twelve local zones (3007-3018), EPSG registry. */
const SWEREF_CODES = new Set([
  3006, 3007, 3008, 3009, 3010, 3011, 3012, 3013, 3014, 3015, 3016, 3017, 3018,
]);

/**
 * The Web Mercator world is 2 pi 6378137 m wide, and its top left corner is at
 * (-20037508.3428, 20037508.3428) (EPSG:3857). WMTS scale denominators assume 0.28 mm
 * pixels (OGC 07-057r7, 6.1), so a matrix of W tiles of T px at scale S spans
 * S * 0.00028 * T * W metres, which must be the world's width.
 */
const WORLD_WIDTH_M = 2 * Math.PI * 6_378_137;
const HALF_WORLD_M = WORLD_WIDTH_M / 2;
const WMTS_PIXEL_M = 0.00028;

export interface WebMercatorGrid {
  /** Zooms in the XYZ sense (2^z tiles across), lowest first, with their matrix ids. */
  zooms: { z: number; id: string }[];
  tileSizePx: 256 | 512;
  /** What {TileMatrix} becomes: "{z}", or a common prefix before the zoom, e.g. "EPSG:3857:{z}". */
  matrixTemplate: string;
}

/** Whether a tile matrix set is the Web Mercator pyramid MapLibre draws, and its zooms. */
export function webMercatorGrid(
  set: WmtsTileMatrixSet,
): { ok: true; grid: WebMercatorGrid } | { ok: false; problem: WmtsProblem } {
  const code = epsgCode(set.crs);
  if ((code !== null && SWEREF_CODES.has(code)) || /sweref/i.test(set.crs)) {
    return { ok: false, problem: "sweref_grid" };
  }
  if (code === null || !WEB_MERCATOR_CODES.has(code))
    return { ok: false, problem: "not_web_mercator" };
  const zooms: { z: number; id: string }[] = [];
  let tileSize: number | null = null;
  for (const matrix of set.matrices) {
    const z = Math.log2(matrix.matrixWidth);
    const spanM = matrix.scaleDenominator * WMTS_PIXEL_M * matrix.tileWidth * matrix.matrixWidth;
    const regular =
      Number.isInteger(z) &&
      matrix.matrixHeight === matrix.matrixWidth &&
      matrix.tileWidth === matrix.tileHeight &&
      (matrix.tileWidth === 256 || matrix.tileWidth === 512) &&
      (tileSize === null || tileSize === matrix.tileWidth) &&
      Math.abs(spanM / WORLD_WIDTH_M - 1) < 1e-4 &&
      Math.abs(matrix.topLeft[0] + HALF_WORLD_M) < 1 &&
      Math.abs(matrix.topLeft[1] - HALF_WORLD_M) < 1;
    if (!regular) return { ok: false, problem: "irregular_grid" };
    tileSize = matrix.tileWidth;
    zooms.push({ z, id: matrix.id });
  }
  if (zooms.length === 0) return { ok: false, problem: "irregular_grid" };
  zooms.sort((a, b) => a.z - b.z);
  // {z} can only stand for the matrix id if every id is the zoom, after one common prefix.
  const prefix = zooms[0]!.id.slice(0, zooms[0]!.id.length - String(zooms[0]!.z).length);
  const named = zooms.every(
    (zoom, index) =>
      zoom.id === `${prefix}${zoom.z}` && (index === 0 || zoom.z === zooms[index - 1]!.z + 1),
  );
  if (!named) return { ok: false, problem: "matrix_names" };
  return {
    ok: true,
    grid: { zooms, tileSizePx: tileSize as 256 | 512, matrixTemplate: `${prefix}{z}` },
  };
}

/** One way to draw a layer: what Lykta stores as the source. */
export interface WmtsChoice {
  layer: string;
  title: string;
  tileMatrixSet: string;
  format: string;
  style: string;
  /** XYZ address for MapLibre and the downloader. */
  url: string;
  minZoom: number;
  maxZoom: number;
  tileSizePx: 256 | 512;
}

const IMAGE_FORMATS = ["image/png", "image/jpeg", "image/jpg", "image/webp"];

function imageFormat(formats: readonly string[]): string | null {
  for (const wanted of IMAGE_FORMATS) {
    const found = formats.find((format) => format.toLowerCase() === wanted);
    if (found) return found;
  }
  return null;
}

/**
 * The layers of a service MapLibre can draw, one choice per layer (its first Web Mercator
 * matrix set), and the others with the reason they cannot be used. A layer offered both in
 * SWEREF 99 TM and in Web Mercator (as Lantmäteriet's topographic web map is) is usable.
 */
export function wmtsChoices(capabilities: WmtsCapabilities): {
  choices: WmtsChoice[];
  refused: { layer: string; title: string; problem: WmtsProblem }[];
} {
  const sets = new Map(capabilities.matrixSets.map((set) => [set.id, set]));
  const choices: WmtsChoice[] = [];
  const refused: { layer: string; title: string; problem: WmtsProblem }[] = [];
  for (const layer of capabilities.layers) {
    let problem: WmtsProblem = "not_web_mercator";
    let chosen: WmtsChoice | null = null;
    for (const setId of layer.matrixSetIds) {
      const set = sets.get(setId);
      if (!set) continue;
      const checked = webMercatorGrid(set);
      if (!checked.ok) {
        // A SWEREF grid is the reason worth telling, unless a better one is found.
        if (problem === "not_web_mercator" || checked.problem === "sweref_grid") {
          problem = checked.problem;
        }
        continue;
      }
      const rest = layer.resourceUrls.find((url) => imageFormat([url.format]));
      const format = rest?.format ?? imageFormat(layer.formats);
      if (!format) {
        problem = "no_image_format";
        continue;
      }
      const style = layer.styles[0] ?? "default";
      const { grid } = checked;
      let url: string | null = null;
      if (rest) {
        url = rest.template
          .replace(/\{TileMatrixSet\}/gi, encodeURIComponent(set.id))
          .replace(/\{TileMatrix\}/gi, grid.matrixTemplate)
          .replace(/\{TileRow\}/gi, "{y}")
          .replace(/\{TileCol\}/gi, "{x}")
          .replace(/\{Style\}/gi, encodeURIComponent(style));
      } else if (capabilities.kvpUrl) {
        const base = capabilities.kvpUrl.includes("?")
          ? /[?&]$/.test(capabilities.kvpUrl)
            ? capabilities.kvpUrl
            : `${capabilities.kvpUrl}&`
          : `${capabilities.kvpUrl}?`;
        const parameters = [
          "SERVICE=WMTS",
          "REQUEST=GetTile",
          "VERSION=1.0.0",
          `LAYER=${encodeURIComponent(layer.id)}`,
          `STYLE=${encodeURIComponent(style)}`,
          `TILEMATRIXSET=${encodeURIComponent(set.id)}`,
          `TILEMATRIX=${encodeURIComponent(grid.matrixTemplate.replace("{z}", ""))}{z}`,
          "TILEROW={y}",
          "TILECOL={x}",
          `FORMAT=${encodeURIComponent(format)}`,
        ];
        url = `${base}${parameters.join("&")}`;
      }
      if (!url) {
        problem = "no_tile_address";
        continue;
      }
      chosen = {
        layer: layer.id,
        title: layer.title,
        tileMatrixSet: set.id,
        format,
        style,
        url,
        minZoom: grid.zooms[0]!.z,
        maxZoom: grid.zooms[grid.zooms.length - 1]!.z,
        tileSizePx: grid.tileSizePx,
      };
      break;
    }
    if (chosen) choices.push(chosen);
    else refused.push({ layer: layer.id, title: layer.title, problem });
  }
  return { choices, refused };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A WMTS tile address a person pasted, as an XYZ template: a key-value GetTile request
 * (SERVICE=WMTS&REQUEST=GetTile&...&TILEMATRIXSET=...&TILEMATRIX=..&TILEROW=..&TILECOL=..)
 * or a REST template with {TileMatrix}, {TileRow}, {TileCol}. Without the capabilities the
 * grid can only be told from its name: a set named for EPSG:3857 (or Google/WebMercator) is
 * taken; SWEREF 99 is refused; any other name asks for the capabilities address instead.
 */
export function wmtsTemplateToXyz(
  address: string,
): { ok: true; url: string; tileMatrixSet: string } | { ok: false; problem: WmtsProblem } {
  const trimmed = address.trim();
  const query = trimmed.indexOf("?");
  if (query >= 0 && /(^|[?&])request=gettile(&|$)/i.test(trimmed.slice(query))) {
    const base = trimmed.slice(0, query + 1);
    const parts = trimmed
      .slice(query + 1)
      .split("&")
      .filter(Boolean);
    let tileMatrixSet = "";
    const rewritten = parts.map((part) => {
      const [key = "", value = ""] = part.split("=");
      const upper = key.toUpperCase();
      const decoded = safeDecode(value);
      if (upper === "TILEMATRIXSET") tileMatrixSet = decoded;
      if (upper === "TILEROW") return `${key}={y}`;
      if (upper === "TILECOL") return `${key}={x}`;
      if (upper === "TILEMATRIX") {
        // "{TileMatrix}", "{z}", or an example request: "EPSG:3857:12" or "12".
        if (/^\{(TileMatrix|z)\}$/i.test(decoded)) return `${key}={z}`;
        const zoom = /\d+$/.exec(decoded);
        if (!zoom) return part;
        return `${key}=${encodeURIComponent(decoded.slice(0, zoom.index))}{z}`;
      }
      return part;
    });
    const url = `${base}${rewritten.join("&")}`;
    if (!tileMatrixSet || !url.includes("{z}") || !url.includes("{x}") || !url.includes("{y}")) {
      return { ok: false, problem: "not_tile_template" };
    }
    const grid = gridNamed(tileMatrixSet);
    if (grid === "sweref") return { ok: false, problem: "sweref_grid" };
    if (grid === "unknown") return { ok: false, problem: "unknown_grid" };
    return { ok: true, url, tileMatrixSet };
  }
  if (
    /\{TileMatrix\}/i.test(trimmed) &&
    /\{TileRow\}/i.test(trimmed) &&
    /\{TileCol\}/i.test(trimmed)
  ) {
    const grid = gridNamed(trimmed.replace(/\{[^}]*\}/g, "/"));
    if (grid === "sweref") return { ok: false, problem: "sweref_grid" };
    if (grid === "unknown" || /\{TileMatrixSet\}/i.test(trimmed)) {
      return { ok: false, problem: "unknown_grid" };
    }
    const url = trimmed
      .replace(/\{TileMatrix\}/gi, "{z}")
      .replace(/\{TileRow\}/gi, "{y}")
      .replace(/\{TileCol\}/gi, "{x}")
      .replace(/\{Style\}/gi, "default");
    return { ok: true, url, tileMatrixSet: "" };
  }
  return { ok: false, problem: "not_tile_template" };
}
