/**
 * The path network in the local projection (projection.ts), as columns: vertices, cumulative
 * lengths along each path, segments and a grid index of the segments (segment-grid.ts). Everything the
 * analysis does to geometry is here: exact circle/segment intervals, cutting a path between
 * two distances, distances from a point to a stretch of path.
 */
import type { Position } from "geojson";
import { IntervalColumns } from "./intervals";
import type { LocalProjection } from "./projection";
import { SegmentGrid } from "./segment-grid";
import type { LightingPathColumns } from "./types";

export interface Network {
  pathCount: number;
  /** Path p's vertices are vertexStart[p] .. vertexStart[p + 1] - 1. */
  vertexStart: Uint32Array;
  /** Projected vertices, metres: x at 2i, y at 2i + 1. */
  xy: Float64Array;
  /** The input's WGS 84 vertices, for output geometry (cut pieces keep the source vertices). */
  lonLat: Float64Array;
  /** Distance along the path from its first vertex to vertex i, metres. */
  cumM: Float64Array;
  pathLengthM: Float64Array;
  /** Segments of positive length: from vertex segmentVertex[s] to the next one. */
  segmentCount: number;
  segmentVertex: Uint32Array;
  segmentPath: Uint32Array;
  /** Grid index of the segments; null when there are none. */
  segmentIndex: SegmentGrid | null;
}

/**
 * Build the network. Paths must have at least 2 positions (inputs.ts checks). The network
 * keeps the columns' lonLat as it is (for output geometry).
 */
export function buildNetwork(paths: LightingPathColumns, projection: LocalProjection): Network {
  const pathCount = paths.count;
  const vertexStart = paths.vertexStart;
  const vertexCount = vertexStart[pathCount]!;
  const lonLat = paths.lonLat;
  const xy = new Float64Array(vertexCount * 2);
  const cumM = new Float64Array(vertexCount);
  const pathLengthM = new Float64Array(pathCount);
  const segmentVertex = new Uint32Array(Math.max(0, vertexCount - pathCount));
  const segmentPath = new Uint32Array(segmentVertex.length);
  let segmentCount = 0;
  projection.forwardAll(lonLat, xy, vertexCount);
  for (let p = 0; p < pathCount; p++) {
    const first = vertexStart[p]!;
    const last = vertexStart[p + 1]!;
    let length = 0;
    cumM[first] = 0;
    for (let v = first + 1; v < last; v++) {
      const dx = xy[2 * v]! - xy[2 * v - 2]!;
      const dy = xy[2 * v + 1]! - xy[2 * v - 1]!;
      const segmentLength = Math.sqrt(dx * dx + dy * dy);
      if (segmentLength > 0) {
        segmentVertex[segmentCount] = v - 1;
        segmentPath[segmentCount] = p;
        segmentCount++;
      }
      length += segmentLength;
      cumM[v] = length;
    }
    pathLengthM[p] = length;
  }
  let segmentIndex: SegmentGrid | null = null;
  if (segmentCount > 0) {
    const boxes = new Float64Array(segmentCount * 4);
    for (let s = 0; s < segmentCount; s++) {
      const a = segmentVertex[s]!;
      const ax = xy[2 * a]!;
      const ay = xy[2 * a + 1]!;
      const bx = xy[2 * a + 2]!;
      const by = xy[2 * a + 3]!;
      boxes[4 * s] = ax < bx ? ax : bx;
      boxes[4 * s + 1] = ay < by ? ay : by;
      boxes[4 * s + 2] = ax < bx ? bx : ax;
      boxes[4 * s + 3] = ay < by ? by : ay;
    }
    segmentIndex = new SegmentGrid(boxes, segmentCount);
  }
  return {
    pathCount,
    vertexStart,
    xy,
    lonLat,
    cumM,
    pathLengthM,
    segmentCount,
    segmentVertex,
    segmentPath,
    segmentIndex,
  };
}

/** Receives one interval: on `path`, from `startM` to `endM` along it, on segment `segment`. */
export type IntervalVisitor = (path: number, startM: number, endM: number, segment: number) => void;

/**
 * Append the exact intersection of a circle (centre cx, cy, radius, metres) with every
 * segment to `out`: one interval per segment that the circle's interior crosses, as
 * distances along the segment's path, tagged `tag` (a negative tag: the segment's index).
 * Where a circle covers a vertex the intervals of its two segments touch exactly at the
 * vertex's distance (both use cumM), so a union joins them. A circle that only touches a
 * segment (one common point) gives nothing. No callback: the model collects every lamp's
 * intervals with it, tens of thousands of circles in a row.
 */
export function circleIntervalsInto(
  network: Network,
  cx: number,
  cy: number,
  radius: number,
  out: IntervalColumns,
  tag: number,
): void {
  const grid = network.segmentIndex;
  if (grid === null || !(radius > 0)) return;
  const { xy, cumM, segmentVertex, segmentPath } = network;
  const radius2 = radius * radius;
  const count = grid.collect(cx - radius, cy - radius, cx + radius, cy + radius);
  const found = grid.found;
  for (let k = 0; k < count; k++) {
    const s = found[k]!;
    const a = segmentVertex[s]!;
    const ax = xy[2 * a]!;
    const ay = xy[2 * a + 1]!;
    const dx = xy[2 * a + 2]! - ax;
    const dy = xy[2 * a + 3]! - ay;
    const length = Math.sqrt(dx * dx + dy * dy);
    const px = cx - ax;
    const py = cy - ay;
    // Along-segment coordinate of the foot of the perpendicular, and the squared distance.
    const along = (px * dx + py * dy) / length;
    const perpendicular2 = Math.max(0, px * px + py * py - along * along);
    if (perpendicular2 >= radius2) continue;
    const half = Math.sqrt(radius2 - perpendicular2);
    const t0 = along - half;
    const t1 = along + half;
    if (t1 <= 0 || t0 >= length) continue;
    const base = cumM[a]!;
    out.push(
      segmentPath[s]!,
      t0 <= 0 ? base : base + t0,
      t1 >= length ? cumM[a + 1]! : base + t1,
      tag < 0 ? s : tag,
    );
  }
}

/** Intervals of one circle for forEachCircleInterval (a visitor must not call it again). */
const circleScratch = new IntervalColumns(256);
let circleScratchBusy = false;

/** circleIntervalsInto, visiting each interval (path, start, end, segment) instead. */
export function forEachCircleInterval(
  network: Network,
  cx: number,
  cy: number,
  radius: number,
  visit: IntervalVisitor,
): void {
  // A visitor that asks again gets columns of its own.
  const scratch = circleScratchBusy ? new IntervalColumns(64) : circleScratch;
  const outer = scratch === circleScratch;
  scratch.count = 0;
  circleScratchBusy = true;
  try {
    circleIntervalsInto(network, cx, cy, radius, scratch, -1);
    for (let i = 0; i < scratch.count; i++) {
      visit(scratch.path[i]!, scratch.start[i]!, scratch.end[i]!, scratch.tag[i]!);
    }
  } finally {
    if (outer) circleScratchBusy = false;
  }
}

/** Index of the vertex that starts the segment of `path` containing `distanceM`. */
function segmentAt(network: Network, path: number, distanceM: number): number {
  const { cumM, vertexStart } = network;
  let low = vertexStart[path]!;
  let high = vertexStart[path + 1]! - 2;
  if (high < low) return low;
  // Last vertex with cumM <= distance, at most the second to last.
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (cumM[mid]! <= distanceM) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * The WGS 84 position `distanceM` along a path. Interpolated on the source's coordinates in
 * proportion to the projected segment (a segment is straight in the projection; over tens of
 * metres the difference to a geodesic is far below a millimetre).
 */
export function positionAt(network: Network, path: number, distanceM: number): Position {
  pointInto(network.lonLat, network, path, distanceM, pointScratch, 0);
  return [pointScratch[0]!, pointScratch[1]!];
}

const pointScratch = new Float64Array(2);

/** Projected position `distanceM` along a path, into out[0], out[1]. */
export function projectedAt(
  network: Network,
  path: number,
  distanceM: number,
  out: Float64Array,
): void {
  pointInto(network.xy, network, path, distanceM, out, 0);
}

/** The WGS 84 line of a path from `startM` to `endM` (the source's vertices in between). */
export function sliceLine(
  network: Network,
  path: number,
  startM: number,
  endM: number,
): Position[] {
  const line: Position[] = [positionAt(network, path, startM)];
  const { cumM, lonLat, vertexStart } = network;
  for (let v = vertexStart[path]!; v < vertexStart[path + 1]!; v++) {
    const at = cumM[v]!;
    if (at > startM && at < endM) line.push([lonLat[2 * v]!, lonLat[2 * v + 1]!]);
  }
  line.push(positionAt(network, path, endM));
  return line;
}

/**
 * sliceLine into `out` (longitude at 2k, latitude at 2k + 1) without an array per position:
 * returns the number of positions. `out` needs room for the path's vertices + 2.
 */
export function sliceLineInto(
  network: Network,
  path: number,
  startM: number,
  endM: number,
  out: Float64Array,
): number {
  const { cumM, lonLat, vertexStart } = network;
  const first = vertexStart[path]!;
  const end = vertexStart[path + 1]!;
  pointInto(lonLat, network, path, startM, out, 0);
  let count = 1;
  for (let v = first; v < end; v++) {
    const at = cumM[v]!;
    if (at > startM && at < endM) {
      out[2 * count] = lonLat[2 * v]!;
      out[2 * count + 1] = lonLat[2 * v + 1]!;
      count++;
    }
  }
  pointInto(lonLat, network, path, endM, out, count);
  return count + 1;
}

/**
 * The point `distanceM` along a path in `coordinates` (the network's lonLat or xy) into
 * out[2k], out[2k + 1]: interpolated on the segment in proportion to the projected length.
 */
function pointInto(
  coordinates: Float64Array,
  network: Network,
  path: number,
  distanceM: number,
  out: Float64Array,
  k: number,
): void {
  const v = segmentAt(network, path, distanceM);
  const cumM = network.cumM;
  const segmentLength = cumM[v + 1]! - cumM[v]!;
  if (!(segmentLength > 0) || v + 1 >= network.vertexStart[path + 1]!) {
    out[2 * k] = coordinates[2 * v]!;
    out[2 * k + 1] = coordinates[2 * v + 1]!;
    return;
  }
  const f = Math.min(1, Math.max(0, (distanceM - cumM[v]!) / segmentLength));
  out[2 * k] = coordinates[2 * v]! + f * (coordinates[2 * v + 2]! - coordinates[2 * v]!);
  out[2 * k + 1] =
    coordinates[2 * v + 1]! + f * (coordinates[2 * v + 3]! - coordinates[2 * v + 1]!);
}

/**
 * Smallest distance from a projected point to the stretch of `path` between `startM` and
 * `endM`, metres.
 */
export function distanceToStretchM(
  network: Network,
  path: number,
  startM: number,
  endM: number,
  x: number,
  y: number,
): number {
  const { cumM, xy, vertexStart } = network;
  let best = Number.POSITIVE_INFINITY;
  const last = vertexStart[path + 1]! - 1;
  for (let v = vertexStart[path]!; v < last; v++) {
    const s0 = cumM[v]!;
    const s1 = cumM[v + 1]!;
    if (s1 < startM || s0 > endM || !(s1 > s0)) continue;
    const ax = xy[2 * v]!;
    const ay = xy[2 * v + 1]!;
    const dx = xy[2 * v + 2]! - ax;
    const dy = xy[2 * v + 3]! - ay;
    const length = s1 - s0;
    const from = Math.max(0, startM - s0);
    const to = Math.min(length, endM - s0);
    const along = ((x - ax) * dx + (y - ay) * dy) / length;
    const t = Math.min(to, Math.max(from, along)) / length;
    const ex = x - (ax + t * dx);
    const ey = y - (ay + t * dy);
    const distance = Math.sqrt(ex * ex + ey * ey);
    if (distance < best) best = distance;
  }
  return best;
}

/** The nearest path to a projected point within `maxM`: path, distance along it, distance to it. */
export function nearestOnNetwork(
  network: Network,
  x: number,
  y: number,
  maxM: number,
): { path: number; alongM: number; distanceM: number } | null {
  const index = network.segmentIndex;
  if (index === null) return null;
  const { xy, cumM, segmentVertex, segmentPath } = network;
  let best: { path: number; alongM: number; distanceM: number } | null = null;
  index.search(x - maxM, y - maxM, x + maxM, y + maxM, (s) => {
    const a = segmentVertex[s]!;
    const ax = xy[2 * a]!;
    const ay = xy[2 * a + 1]!;
    const dx = xy[2 * a + 2]! - ax;
    const dy = xy[2 * a + 3]! - ay;
    const length2 = dx * dx + dy * dy;
    const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / length2));
    const ex = x - (ax + t * dx);
    const ey = y - (ay + t * dy);
    const distance = Math.sqrt(ex * ex + ey * ey);
    if (distance <= maxM && (best === null || distance < best.distanceM)) {
      best = {
        path: segmentPath[s]!,
        alongM: cumM[a]! + t * (cumM[a + 1]! - cumM[a]!),
        distanceM: distance,
      };
    }
  });
  return best;
}
