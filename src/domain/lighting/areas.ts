/**
 * Which stretches of which paths lie inside a priority area: exact cut points where a path
 * crosses the area's boundary (segment/edge intersections), inside or outside decided by a
 * point-in-polygon test (even-odd rule, so holes count as outside) at the middle of each
 * stretch between two crossings. Edges are indexed with Flatbush: a municipality boundary
 * has thousands of them.
 */
import Flatbush from "flatbush";
import type { Network } from "./network";
import type { LocalProjection } from "./projection";
import type { LightingArea } from "./types";

/** Inside stretches by path: path -> sorted, disjoint [start, end] pairs. */
export type AreaStretches = Map<number, [number, number][]>;

interface Edges {
  count: number;
  /** x0, y0, x1, y1 per edge. */
  coordinates: Float64Array;
  index: Flatbush;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function projectEdges(area: LightingArea, projection: LocalProjection): Edges | null {
  let count = 0;
  for (const polygon of area.polygons) for (const ring of polygon) count += ring.length - 1;
  if (count <= 0) return null;
  const coordinates = new Float64Array(count * 4);
  const point = new Float64Array(2);
  let e = 0;
  for (const polygon of area.polygons) {
    for (const ring of polygon) {
      for (let k = 0; k + 1 < ring.length; k++) {
        projection.forwardInto(ring[k]![0]!, ring[k]![1]!, point, 0);
        coordinates[4 * e] = point[0]!;
        coordinates[4 * e + 1] = point[1]!;
        projection.forwardInto(ring[k + 1]![0]!, ring[k + 1]![1]!, point, 0);
        coordinates[4 * e + 2] = point[0]!;
        coordinates[4 * e + 3] = point[1]!;
        e++;
      }
    }
  }
  const index = new Flatbush(count);
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < count; k++) {
    const x0 = coordinates[4 * k]!;
    const y0 = coordinates[4 * k + 1]!;
    const x1 = coordinates[4 * k + 2]!;
    const y1 = coordinates[4 * k + 3]!;
    const left = Math.min(x0, x1);
    const bottom = Math.min(y0, y1);
    const right = Math.max(x0, x1);
    const top = Math.max(y0, y1);
    index.add(left, bottom, right, top);
    minX = Math.min(minX, left);
    minY = Math.min(minY, bottom);
    maxX = Math.max(maxX, right);
    maxY = Math.max(maxY, top);
  }
  index.finish();
  return { count, coordinates, index, minX, minY, maxX, maxY };
}

/** Even-odd test: a ray from (x, y) towards +x, counting edge crossings. */
function inside(edges: Edges, x: number, y: number): boolean {
  let crossings = 0;
  const c = edges.coordinates;
  edges.index.search(x, y, Number.POSITIVE_INFINITY, y, (k) => {
    const y0 = c[4 * k + 1]!;
    const y1 = c[4 * k + 3]!;
    if (y0 > y !== y1 > y) {
      const x0 = c[4 * k]!;
      const x1 = c[4 * k + 2]!;
      const crossingX = x0 + ((y - y0) * (x1 - x0)) / (y1 - y0);
      if (crossingX > x) crossings++;
    }
    return false;
  });
  return crossings % 2 === 1;
}

/** The stretches of every path inside one area. */
export function areaStretches(
  area: LightingArea,
  network: Network,
  projection: LocalProjection,
): AreaStretches {
  const result: AreaStretches = new Map();
  const edges = projectEdges(area, projection);
  const segmentIndex = network.segmentIndex;
  if (edges === null || segmentIndex === null) return result;
  const { xy, cumM, segmentVertex, segmentPath } = network;
  const c = edges.coordinates;
  const cuts: number[] = [];
  segmentIndex.search(edges.minX, edges.minY, edges.maxX, edges.maxY, (s) => {
    const a = segmentVertex[s]!;
    const ax = xy[2 * a]!;
    const ay = xy[2 * a + 1]!;
    const bx = xy[2 * a + 2]!;
    const by = xy[2 * a + 3]!;
    const dx = bx - ax;
    const dy = by - ay;
    cuts.length = 0;
    cuts.push(0, 1);
    edges.index.search(
      Math.min(ax, bx),
      Math.min(ay, by),
      Math.max(ax, bx),
      Math.max(ay, by),
      (k) => {
        const ex = c[4 * k + 2]! - c[4 * k]!;
        const ey = c[4 * k + 3]! - c[4 * k + 1]!;
        const denominator = dx * ey - dy * ex;
        if (denominator === 0) return false; // parallel: no single crossing
        const qx = c[4 * k]! - ax;
        const qy = c[4 * k + 1]! - ay;
        const t = (qx * ey - qy * ex) / denominator;
        const u = (qx * dy - qy * dx) / denominator;
        if (t > 0 && t < 1 && u >= 0 && u <= 1) cuts.push(t);
        return false;
      },
    );
    cuts.sort((p, q) => p - q);
    const path = segmentPath[s]!;
    const base = cumM[a]!;
    const length = cumM[a + 1]! - base;
    let list = result.get(path);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const t0 = cuts[i]!;
      const t1 = cuts[i + 1]!;
      if (!(t1 > t0)) continue;
      const middle = (t0 + t1) / 2;
      if (!inside(edges, ax + middle * dx, ay + middle * dy)) continue;
      const start = t0 === 0 ? base : base + t0 * length;
      const end = t1 === 1 ? cumM[a + 1]! : base + t1 * length;
      if (list === undefined) {
        list = [];
        result.set(path, list);
      }
      list.push([start, end]);
    }
  });
  for (const [path, list] of result) {
    list.sort((p, q) => p[0] - q[0]);
    const merged: [number, number][] = [];
    for (const [start, end] of list) {
      const last = merged[merged.length - 1];
      if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    result.set(path, merged);
  }
  return result;
}
