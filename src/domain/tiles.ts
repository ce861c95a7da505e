/**
 * Web Mercator tile arithmetic for saving an area of an online tile source: which tiles of
 * the XYZ grid (z/x/y, origin top left, as OSM, MapLibre and WMTS GoogleMapsCompatible
 * number them) cover an area at each zoom, how many there are, and about how many bytes
 * they take. Pure: no network, no storage.
 *
 * A tile belongs to an area when the two share a piece of positive size: a rectangle whose
 * edge lies exactly on a tile border does not take the tile beyond it.
 */
import type { Polygon, Position } from "geojson";

/** West, south, east, north in degrees (WGS 84). */
export type Bbox = readonly [number, number, number, number];

/** The part of the world an area covers: a rectangle (a drawn one, or the map's view) or a polygon. */
export type AreaShape = { kind: "bbox"; bbox: Bbox } | { kind: "polygon"; polygon: Polygon };

/** Tiles x = minX..maxX (inclusive) of one row y at zoom z. */
export interface TileRun {
  z: number;
  y: number;
  minX: number;
  maxX: number;
}

export interface TileId {
  z: number;
  x: number;
  y: number;
}

/**
 * Web Mercator stops short of the poles: the latitude where the square world of zoom 0
 * ends, atan(sinh(pi)) in degrees (EPSG:3857; OSM wiki "Slippy map tilenames").
 */
export const MAX_MERCATOR_LAT = 85.0511287798066;

/** Highest zoom Lykta plans for: MapLibre's and most tile servers' limit is 22 or lower. */
export const MAX_TILE_ZOOM = 22;

/**
 * An area of more tiles than this is refused: at about 20 KB a tile it is half a gigabyte,
 * hours at a polite request rate, and more than a walk area needs. A neighbourhood of 2 by 2
 * km at zooms 12-18 is about 1,500 tiles at Swedish latitudes.
 */
export const MAX_AREA_TILES = 25_000;

/**
 * Size of one tile when nothing of the source is stored yet: an assumption, not a
 * measurement. A 256 px PNG street map tile is typically 10-30 KB, an aerial JPEG more;
 * once tiles of the source are stored their measured mean replaces it.
 */
export const ASSUMED_TILE_BYTES = 20_000;

/** Fractional tile column of a longitude at zoom z. */
export function tileXOf(lon: number, z: number): number {
  return ((lon + 180) / 360) * 2 ** z;
}

/** Fractional tile row of a latitude at zoom z (row 0 at the top, the north). */
export function tileYOf(lat: number, z: number): number {
  const clamped = Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat));
  const rad = (clamped * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** z;
}

/** The west, south, east, north edges of a tile in degrees. */
export function tileBounds(tile: TileId): [number, number, number, number] {
  const n = 2 ** tile.z;
  const lonOf = (x: number) => (x / n) * 360 - 180;
  const latOf = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return [lonOf(tile.x), latOf(tile.y + 1), lonOf(tile.x + 1), latOf(tile.y)];
}

/** A border computed through tan and log lands a few ulps off the integer it is. */
function snap(value: number): number {
  return Math.abs(value - Math.round(value)) < 1e-9 ? Math.round(value) : value;
}

/** First and last tile index touching the open interval (low, high) of tile coordinates. */
function indexRange(lowEdge: number, highEdge: number, z: number): [number, number] {
  const last = 2 ** z - 1;
  const low = snap(lowEdge);
  const high = snap(highEdge);
  const first = Math.floor(low);
  // An upper edge exactly on a border does not take the tile beyond it.
  const end = Math.max(first, Math.ceil(high) - 1);
  return [Math.max(0, Math.min(last, first)), Math.max(0, Math.min(last, end))];
}

/** Tile rows and columns (inclusive) a rectangle covers at zoom z. */
export function bboxTileRange(
  bbox: Bbox,
  z: number,
): { minX: number; maxX: number; minY: number; maxY: number } {
  const [west, south, east, north] = bbox;
  const [minX, maxX] = indexRange(tileXOf(west, z), tileXOf(east, z), z);
  const [minY, maxY] = indexRange(tileYOf(north, z), tileYOf(south, z), z);
  return { minX, maxX, minY, maxY };
}

/** The bounding box of a polygon's outer ring. */
export function polygonBbox(polygon: Polygon): [number, number, number, number] {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const position of polygon.coordinates[0] ?? []) {
    west = Math.min(west, position[0]!);
    east = Math.max(east, position[0]!);
    south = Math.min(south, position[1]!);
    north = Math.max(north, position[1]!);
  }
  return [west, south, east, north];
}

export function shapeBbox(shape: AreaShape): [number, number, number, number] {
  return shape.kind === "bbox" ? [...shape.bbox] : polygonBbox(shape.polygon);
}

/** A rectangle as a closed GeoJSON polygon (for drawing it). */
export function bboxPolygon(bbox: Bbox): Polygon {
  const [west, south, east, north] = bbox;
  return {
    type: "Polygon",
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  };
}

type Point2 = readonly [number, number];
type Edge = readonly [Point2, Point2];

/** Even-odd rule over all rings (holes included). */
function insideRings(rings: readonly (readonly Point2[])[], x: number, y: number): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/**
 * Whether a segment passes through the open box (x0, x1) x (y0, y1): the middle of its piece
 * inside the closed box (Liang-Barsky clipping) lies strictly inside. A segment along the
 * box's border, or touching a corner, does not.
 */
function segmentEntersBox(edge: Edge, x0: number, y0: number, x1: number, y1: number): boolean {
  const [[ax, ay], [bx, by]] = edge;
  const dx = bx - ax;
  const dy = by - ay;
  let t0 = 0;
  let t1 = 1;
  const clips: [number, number][] = [
    [-dx, ax - x0],
    [dx, x1 - ax],
    [-dy, ay - y0],
    [dy, y1 - ay],
  ];
  for (const [p, q] of clips) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  const mid = (t0 + t1) / 2;
  const mx = ax + mid * dx;
  const my = ay + mid * dy;
  return mx > x0 && mx < x1 && my > y0 && my < y1;
}

/** Whether the open tile (x, y) and the polygon share a piece of positive area. */
function tileMeetsPolygon(
  rings: readonly (readonly Point2[])[],
  edges: readonly Edge[],
  x: number,
  y: number,
): boolean {
  for (const ring of rings) {
    for (const [px, py] of ring) if (px > x && px < x + 1 && py > y && py < y + 1) return true;
  }
  for (const edge of edges) if (segmentEntersBox(edge, x, y, x + 1, y + 1)) return true;
  // No border crosses the tile: it is wholly inside or wholly outside.
  return insideRings(rings, x + 0.5, y + 0.5);
}

/** The runs of tiles a polygon covers at zoom z, row by row. */
function polygonRuns(polygon: Polygon, z: number): TileRun[] {
  const rings = polygon.coordinates.map((ring: Position[]) =>
    ring.map(
      (position): Point2 => [snap(tileXOf(position[0]!, z)), snap(tileYOf(position[1]!, z))],
    ),
  );
  const edges: Edge[] = [];
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i += 1) edges.push([ring[i - 1]!, ring[i]!]);
  }
  const { minX, maxX, minY, maxY } = bboxTileRange(polygonBbox(polygon), z);
  const runs: TileRun[] = [];
  for (let y = minY; y <= maxY; y += 1) {
    // Tiles some border touches (closed tiles): they need the exact test.
    const touched = new Set<number>();
    const rowEdges: Edge[] = [];
    for (const edge of edges) {
      const [[ax, ay], [bx, by]] = edge;
      if (Math.max(ay, by) < y || Math.min(ay, by) > y + 1) continue;
      rowEdges.push(edge);
      // The edge's x extent within the row's band.
      const at = (yy: number) => (by === ay ? ax : ax + ((yy - ay) * (bx - ax)) / (by - ay));
      const ya = Math.max(y, Math.min(ay, by));
      const yb = Math.min(y + 1, Math.max(ay, by));
      const xa = by === ay ? Math.min(ax, bx) : Math.min(at(ya), at(yb));
      const xb = by === ay ? Math.max(ax, bx) : Math.max(at(ya), at(yb));
      for (let x = Math.max(minX, Math.ceil(xa) - 1); x <= Math.min(maxX, Math.floor(xb)); x += 1) {
        touched.add(x);
      }
    }
    let runStart = -1;
    let untouchedInside: boolean | null = null;
    const close = (end: number) => {
      if (runStart >= 0) runs.push({ z, y, minX: runStart, maxX: end });
      runStart = -1;
    };
    for (let x = minX; x <= maxX; x += 1) {
      let covered: boolean;
      if (touched.has(x)) {
        covered = tileMeetsPolygon(rings, rowEdges, x, y);
        untouchedInside = null;
      } else {
        // A stretch no border touches is inside or outside as a whole: test it once.
        untouchedInside ??= insideRings(rings, x + 0.5, y + 0.5);
        covered = untouchedInside;
      }
      if (covered && runStart < 0) runStart = x;
      if (!covered) close(x - 1);
    }
    close(maxX);
  }
  return runs;
}

/** The runs of tiles an area covers at zoom z. */
export function tileRuns(shape: AreaShape, z: number): TileRun[] {
  if (shape.kind === "polygon") return polygonRuns(shape.polygon, z);
  const { minX, maxX, minY, maxY } = bboxTileRange(shape.bbox, z);
  const runs: TileRun[] = [];
  for (let y = minY; y <= maxY; y += 1) runs.push({ z, y, minX, maxX });
  return runs;
}

export interface TilePlan {
  /** Lowest zoom first: a download that stops early still gives an overview. */
  runs: TileRun[];
  perZoom: { z: number; tiles: number }[];
  tileCount: number;
}

/**
 * The tiles of an area at zooms minZoom..maxZoom. Counting stops once `limit` is passed
 * (the plan is then refused): a city at zoom 22 need not be enumerated to be too big.
 */
export function planTiles(
  shape: AreaShape,
  minZoom: number,
  maxZoom: number,
  limit = MAX_AREA_TILES,
): TilePlan {
  const runs: TileRun[] = [];
  const perZoom: { z: number; tiles: number }[] = [];
  let tileCount = 0;
  for (let z = minZoom; z <= maxZoom; z += 1) {
    // A rectangle's count needs no enumeration: refuse a huge one before listing its rows.
    if (shape.kind === "bbox") {
      const range = bboxTileRange(shape.bbox, z);
      const tiles = (range.maxX - range.minX + 1) * (range.maxY - range.minY + 1);
      if (tileCount + tiles > limit) {
        perZoom.push({ z, tiles });
        tileCount += tiles;
        break;
      }
    }
    const zoomRuns = tileRuns(shape, z);
    const tiles = zoomRuns.reduce((sum, run) => sum + run.maxX - run.minX + 1, 0);
    runs.push(...zoomRuns);
    perZoom.push({ z, tiles });
    tileCount += tiles;
    if (tileCount > limit) break;
  }
  return { runs, perZoom, tileCount };
}

/** Every tile of a plan, in its order. */
export function* tilesOf(runs: readonly TileRun[]): Generator<TileId> {
  for (const run of runs) {
    for (let x = run.minX; x <= run.maxX; x += 1) yield { z: run.z, x, y: run.y };
  }
}

/** A tile's key in storage and in sets: "z/x/y". */
export function tileKey(tile: TileId): string {
  return `${tile.z}/${tile.x}/${tile.y}`;
}

/**
 * About how many bytes `tileCount` tiles take, from the mean size of tiles of the same source
 * already stored (`stored`), or ASSUMED_TILE_BYTES when none are.
 */
export function estimateSizeBytes(
  tileCount: number,
  stored: { tiles: number; bytes: number } = { tiles: 0, bytes: 0 },
): { sizeBytes: number; meanTileBytes: number; measured: boolean } {
  const measured = stored.tiles > 0 && stored.bytes > 0;
  const meanTileBytes = measured ? stored.bytes / stored.tiles : ASSUMED_TILE_BYTES;
  return { sizeBytes: Math.round(tileCount * meanTileBytes), meanTileBytes, measured };
}

export const AREA_PROBLEMS = {
  empty: "empty_area",
  antimeridian: "crosses_antimeridian",
  outsideMercator: "outside_web_mercator",
  zooms: "bad_zooms",
  tooMany: "too_many_tiles",
} as const;
export type AreaProblem = (typeof AREA_PROBLEMS)[keyof typeof AREA_PROBLEMS];

/** Why an area and zoom range cannot be saved, or null. */
export function areaProblem(
  shape: AreaShape,
  minZoom: number,
  maxZoom: number,
  plan?: TilePlan,
): AreaProblem | null {
  const [west, south, east, north] = shapeBbox(shape);
  if (![west, south, east, north].every(Number.isFinite)) return "empty_area";
  if (west > east) return "crosses_antimeridian";
  if (west < -180 || east > 180 || south < -MAX_MERCATOR_LAT || north > MAX_MERCATOR_LAT) {
    return "outside_web_mercator";
  }
  if (!(east > west && north > south)) return "empty_area";
  if (
    !Number.isInteger(minZoom) ||
    !Number.isInteger(maxZoom) ||
    minZoom < 0 ||
    maxZoom > MAX_TILE_ZOOM ||
    minZoom > maxZoom
  ) {
    return "bad_zooms";
  }
  const count = (plan ?? planTiles(shape, minZoom, maxZoom)).tileCount;
  if (count === 0) return "empty_area";
  if (count > MAX_AREA_TILES) return "too_many_tiles";
  return null;
}

/** A tile's address from an XYZ template ({z}, {x}, {y}). */
export function tileUrl(template: string, tile: TileId): string {
  return template
    .replaceAll("{z}", String(tile.z))
    .replaceAll("{x}", String(tile.x))
    .replaceAll("{y}", String(tile.y));
}
