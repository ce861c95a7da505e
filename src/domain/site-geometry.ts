/**
 * Plane geometry for sites (sites.ts): how far apart two observation geometries are, in the
 * sense of "do they describe the same place".
 *
 * Coordinates are projected once to spherical Mercator metres (x = Rλ, y = R ln tan(π/4 + φ/2)).
 * Mercator is conformal, so near a latitude φ every direction is stretched by the same factor
 * 1/cos φ: a distance, a point-in-polygon test or a segment crossing computed in Mercator is
 * the ground one times that factor. Over tens or hundreds of metres the factor is constant to
 * 1e-5, so multiplying a Mercator distance by `scale` = cos φ of the pair gives metres as
 * accurately as haversine, without a trigonometric call per pair.
 *
 * Why not an equirectangular projection at the data's mean latitude: its scale depends on
 * the data, so adding a report in another town (or summing the latitudes in another order)
 * would move every distance by a little and could flip a pair that lies right at the radius.
 * Mercator with a per-pair scale depends on the two geometries only, so sites are exactly
 * the same whatever else is in the input and in whatever order.
 */
import type { Position } from "geojson";
import { EARTH_RADIUS_M, type ObservationGeometry } from "./geometry";

const RAD = Math.PI / 180;

/** Length of (dx, dy). Math.hypot guards against overflow and is several times slower. */
function norm(dx: number, dy: number): number {
  return Math.sqrt(dx * dx + dy * dy);
}

/** Spherical Mercator x in metres. */
export function mercatorX(lon: number): number {
  return EARTH_RADIUS_M * lon * RAD;
}

/** Spherical Mercator y in metres. */
export function mercatorY(lat: number): number {
  return EARTH_RADIUS_M * Math.log(Math.tan(Math.PI / 4 + (lat * RAD) / 2));
}

/** Ground metres per Mercator metre at a latitude: cos φ (Mercator's scale is sec φ). */
export function mercatorScale(lat: number): number {
  return Math.cos(lat * RAD);
}

/** A geometry in Mercator metres: x,y interleaved. */
export interface PlanarShape {
  kind: "point" | "line" | "polygon";
  /** Point: one x,y; line: its vertices; polygon: the exterior ring (also rings[0]). */
  coordinates: Float64Array;
  /** Polygon rings (exterior first, then holes), each closed; empty for points and lines. */
  rings: Float64Array[];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function projectPositions(positions: readonly Position[]): Float64Array {
  const out = new Float64Array(positions.length * 2);
  for (let i = 0; i < positions.length; i++) {
    out[2 * i] = mercatorX(positions[i]![0]!);
    out[2 * i + 1] = mercatorY(positions[i]![1]!);
  }
  return out;
}

function withBounds(
  kind: PlanarShape["kind"],
  coordinates: Float64Array,
  rings: Float64Array[],
): PlanarShape {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < coordinates.length; i += 2) {
    minX = Math.min(minX, coordinates[i]!);
    maxX = Math.max(maxX, coordinates[i]!);
    minY = Math.min(minY, coordinates[i + 1]!);
    maxY = Math.max(maxY, coordinates[i + 1]!);
  }
  return { kind, coordinates, rings, minX, minY, maxX, maxY };
}

export function pointShape(x: number, y: number): PlanarShape {
  return {
    kind: "point",
    coordinates: Float64Array.of(x, y),
    rings: [],
    minX: x,
    minY: y,
    maxX: x,
    maxY: y,
  };
}

export function planarShape(geometry: ObservationGeometry): PlanarShape {
  switch (geometry.type) {
    case "Point":
      return pointShape(mercatorX(geometry.coordinates[0]!), mercatorY(geometry.coordinates[1]!));
    case "LineString":
      return withBounds("line", projectPositions(geometry.coordinates), []);
    case "Polygon": {
      const rings = geometry.coordinates.map(projectPositions);
      return withBounds("polygon", rings[0]!, rings);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Primitives (Mercator metres)

/** Squared distance from (px, py) to the segment (ax, ay)-(bx, by). */
function pointSegmentDistance2(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  let t = length2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / length2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/** Distance from a point to a polyline (or a closed ring) given as x,y pairs. */
function pointPathDistance(px: number, py: number, path: Float64Array): number {
  if (path.length === 2) return norm(path[0]! - px, path[1]! - py);
  let best = Infinity;
  for (let i = 2; i < path.length; i += 2) {
    const d2 = pointSegmentDistance2(px, py, path[i - 2]!, path[i - 1]!, path[i]!, path[i + 1]!);
    if (d2 < best) best = d2;
  }
  return Math.sqrt(best);
}

/** Even-odd ray casting against one closed ring. */
function pointInRing(px: number, py: number, ring: Float64Array): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
    const xi = ring[i]!;
    const yi = ring[i + 1]!;
    const xj = ring[j]!;
    const yj = ring[j + 1]!;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the exterior ring and outside every hole. */
function pointInPolygon(px: number, py: number, rings: readonly Float64Array[]): boolean {
  if (!pointInRing(px, py, rings[0]!)) return false;
  for (let r = 1; r < rings.length; r++) if (pointInRing(px, py, rings[r]!)) return false;
  return true;
}

/** 0 inside the polygon, else the distance to its boundary (holes included). */
function pointPolygonDistance(px: number, py: number, rings: readonly Float64Array[]): number {
  if (pointInPolygon(px, py, rings)) return 0;
  let best = Infinity;
  for (const ring of rings) best = Math.min(best, pointPathDistance(px, py, ring));
  return best;
}

function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number) {
  const cross = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return cross > 0 ? 1 : cross < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number) {
  return (
    Math.min(ax, bx) <= px &&
    px <= Math.max(ax, bx) &&
    Math.min(ay, by) <= py &&
    py <= Math.max(ay, by)
  );
}

/** Do the closed segments p1-p2 and q1-q2 share a point? */
function segmentsIntersect(path: Float64Array, i: number, other: Float64Array, j: number): boolean {
  const ax = path[i]!;
  const ay = path[i + 1]!;
  const bx = path[i + 2]!;
  const by = path[i + 3]!;
  const cx = other[j]!;
  const cy = other[j + 1]!;
  const dx = other[j + 2]!;
  const dy = other[j + 3]!;
  const o1 = orientation(ax, ay, bx, by, cx, cy);
  const o2 = orientation(ax, ay, bx, by, dx, dy);
  const o3 = orientation(cx, cy, dx, dy, ax, ay);
  const o4 = orientation(cx, cy, dx, dy, bx, by);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) ||
    (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) ||
    (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) ||
    (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by))
  );
}

function boundsOverlap(a: PlanarShape, b: PlanarShape): boolean {
  return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY;
}

/** Polygons share a point: boundaries cross, or one holds a vertex of the other. */
function polygonsIntersect(a: PlanarShape, b: PlanarShape): boolean {
  if (!boundsOverlap(a, b)) return false;
  for (const ringA of a.rings) {
    for (const ringB of b.rings) {
      for (let i = 0; i + 2 < ringA.length; i += 2) {
        for (let j = 0; j + 2 < ringB.length; j += 2) {
          if (segmentsIntersect(ringA, i, ringB, j)) return true;
        }
      }
    }
  }
  // No boundary crossing: either one lies inside the other (then every vertex does), or
  // they are apart (or one sits in the other's hole, which is apart too).
  const [ax, ay] = [a.coordinates[0]!, a.coordinates[1]!];
  const [bx, by] = [b.coordinates[0]!, b.coordinates[1]!];
  return pointInPolygon(ax, ay, b.rings) || pointInPolygon(bx, by, a.rings);
}

function pathLength(path: Float64Array): number {
  let total = 0;
  for (let i = 2; i < path.length; i += 2) {
    total += norm(path[i]! - path[i - 2]!, path[i + 1]! - path[i - 1]!);
  }
  return total;
}

/** Lines are compared by samples this far apart along the shorter line (ground metres). */
export const LINE_SAMPLE_STEP_M = 2;
/** At most this many samples per line; a longer line gets a wider step. */
export const MAX_LINE_SAMPLES = 500;

/**
 * Points at the middles of `count` equal stretches of a path (x,y pairs): each stands for the
 * same length of line, so "half of the samples" is "half of the length".
 */
function samplePath(path: Float64Array, count: number): Float64Array {
  const total = pathLength(path);
  const out = new Float64Array(count * 2);
  let segment = 2;
  let walked = 0;
  let segmentLength = norm(path[2]! - path[0]!, path[3]! - path[1]!);
  for (let k = 0; k < count; k++) {
    const target = ((k + 0.5) / count) * total;
    while (walked + segmentLength < target && segment + 2 < path.length) {
      walked += segmentLength;
      segment += 2;
      segmentLength = norm(
        path[segment]! - path[segment - 2]!,
        path[segment + 1]! - path[segment - 1]!,
      );
    }
    const t = segmentLength === 0 ? 0 : Math.min(1, (target - walked) / segmentLength);
    out[2 * k] = path[segment - 2]! + t * (path[segment]! - path[segment - 2]!);
    out[2 * k + 1] = path[segment - 1]! + t * (path[segment + 1]! - path[segment - 1]!);
  }
  return out;
}

/**
 * The distance (Mercator metres) within which at least half of the line lies: the lower
 * median of the distances of its samples. "At least half of the line is within D" is then
 * exactly "this distance ≤ D".
 */
function halfLineDistance(
  line: PlanarShape,
  scale: number,
  distanceOf: (x: number, y: number) => number,
): number {
  const lengthM = pathLength(line.coordinates) * scale;
  const count = Math.max(1, Math.min(MAX_LINE_SAMPLES, Math.ceil(lengthM / LINE_SAMPLE_STEP_M)));
  const samples = samplePath(line.coordinates, count);
  const distances = new Float64Array(count);
  for (let k = 0; k < count; k++) distances[k] = distanceOf(samples[2 * k]!, samples[2 * k + 1]!);
  distances.sort();
  return distances[Math.ceil(count / 2) - 1]!;
}

const KIND_ORDER = { point: 0, line: 1, polygon: 2 } as const;

/**
 * The "same place" distance in ground metres between two shapes; they describe the same
 * place when it is at most the group's site radius D:
 *
 *   point–point     the distance
 *   point–line      the distance from the point to the line
 *   point–polygon   0 inside, else the distance to the boundary
 *   line–line       the distance within which half of the shorter line runs along the other
 *                   (sampled every LINE_SAMPLE_STEP_M)
 *   line–polygon    the same for the line against the polygon (0 inside)
 *   polygon–polygon 0 when they intersect or one contains the other, else Infinity
 *
 * `scale` is ground metres per Mercator metre at the pair (mercatorScale). Pass the pair
 * in a fixed order (the caller's id order): equally long lines sample the first one.
 */
export function placeDistanceM(first: PlanarShape, second: PlanarShape, scale: number): number {
  const [a, b] =
    KIND_ORDER[first.kind] <= KIND_ORDER[second.kind] ? [first, second] : [second, first];
  const ax = a.coordinates[0]!;
  const ay = a.coordinates[1]!;
  if (a.kind === "point") {
    if (b.kind === "point") return norm(b.coordinates[0]! - ax, b.coordinates[1]! - ay) * scale;
    if (b.kind === "line") return pointPathDistance(ax, ay, b.coordinates) * scale;
    return pointPolygonDistance(ax, ay, b.rings) * scale;
  }
  if (a.kind === "line" && b.kind === "line") {
    const [shorter, longer] =
      pathLength(b.coordinates) < pathLength(a.coordinates) ? [b, a] : [a, b];
    return (
      halfLineDistance(shorter, scale, (x, y) => pointPathDistance(x, y, longer.coordinates)) *
      scale
    );
  }
  if (a.kind === "line") {
    return halfLineDistance(a, scale, (x, y) => pointPolygonDistance(x, y, b.rings)) * scale;
  }
  return polygonsIntersect(a, b) ? 0 : Infinity;
}

/** Distance in Mercator metres from a point to the nearest point of a shape (0 inside). */
export function pointShapeDistance(px: number, py: number, shape: PlanarShape): number {
  if (shape.kind === "polygon") return pointPolygonDistance(px, py, shape.rings);
  return pointPathDistance(px, py, shape.coordinates);
}
