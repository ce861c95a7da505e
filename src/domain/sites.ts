/**
 * Sites (issue 4): reports that describe the same place, grouped. On one evening 3–5 teams
 * walk, often the same streets; the dark viaduct that three teams marked is one place that
 * three teams found unsafe, not three problems. Sites are derived, never stored: every device
 * computes the same sites from the same observations and site links (site-link.ts), so a
 * site's id is "site-" + its smallest member id.
 *
 * The rules (docs/format.md, "Sites"):
 *
 * - Only live observations with a geometry and a category of the checklist take part. Two
 *   reports can only be the same place when their categories are in the same checklist group
 *   (a broken lamp and overgrown bushes at one corner are two problems), and the group's
 *   `siteRadiusM` (data/checklist.json) is the distance D.
 * - Same place (site-geometry.ts, placeDistanceM): point–point within D; point–line: the
 *   point within D of the line; point–polygon: inside, or within D of the boundary;
 *   line–line: at least half of the shorter line lies within D of the other (sampled every
 *   2 m); line–polygon: at least half of the line lies inside the polygon or within D of it;
 *   polygon–polygon: they intersect, or one contains the other.
 * - Complete linkage, so sites do not chain (ten broken lamps 20 m apart along a street are
 *   not one 200 m site): candidate pairs are taken in a canonical order (distance ascending,
 *   then ids) and two groups are joined only if every pair across them is the same place.
 * - Planner links: a live "same" link joins its groups regardless of distance (pairs in
 *   different checklist groups excepted); a live "different" link keeps its groups apart,
 *   and wins over "same" and over distance. Same links are applied first, in link id order;
 *   a pair tied by a same link counts as "same place" for complete linkage.
 *
 * Every qualifying observation is in exactly one site (a lone report is a site of one). The
 * result depends on the observations and links only: not on their order, and not on
 * observations of other groups or far away (no data-dependent projection; see
 * site-geometry.ts).
 *
 * Speed: groupSiteIndex computes the partition in typed arrays: the ids sorted once
 * (sort-ids.ts), point pairs found through a grid per checklist group (points sorted by
 * cell; each compared with its own cell and the neighbouring ones: no tree, nothing
 * allocated per point), pairs with lines and polygons through Flatbush (and KDBush for the
 * points), complete linkage on adjacency lists and a union-find that allocate nothing per
 * join. groupSites (sitesOfIndex) then builds the Site objects. On the 2-core benchmark
 * machine 100,000 points (70,335 sites) are partitioned in 95-145 ms (median; 70-110 ms at
 * best) and grouped into Site objects in 210-350 ms: most of the difference is allocating
 * and collecting the 48 MB of objects. 5,000 points take 7-10 ms (all pairs with
 * haversine: 1.3-1.5 s); see test/bench/sites.bench.ts and docs/benchmarks.md.
 */
import Flatbush from "flatbush";
import type { Position } from "geojson";
import KDBush from "kdbush";
import type { Checklist } from "./checklist";
import type { ObservationGeometry } from "./geometry";
import type { ObservationRecord } from "./observation";
import { type EditContext, tombstoneRecord } from "./record";
import {
  mercatorScale,
  mercatorX,
  mercatorY,
  type PlanarShape,
  placeDistanceM,
  planarShape,
  pointShape,
  pointShapeDistance,
} from "./site-geometry";
import {
  createSiteLink,
  EMPTY_SITE_LINK_FIELDS,
  type SiteLinkRecord,
  type SiteRelation,
  siteLinkProblem,
} from "./site-link";
import { codeUnitOrder } from "./sort-ids";

export {
  createSiteLink,
  EMPTY_SITE_LINK_FIELDS,
  type SiteLinkFields,
  type SiteLinkRecord,
  type SiteRelation,
  siteLinkProblem,
} from "./site-link";

/** One place, with everything the reports of it say. */
export interface Site {
  /** "site-" + the smallest member id (code-unit order), so every device derives the same id. */
  id: string;
  /** Checklist group id, e.g. "lighting". */
  groupId: string;
  /** Observation ids, sorted. */
  memberIds: string[];
  /** Distinct category ids, sorted. */
  categoryIds: string[];
  reportCount: number;
  /** Distinct walk ids (a walk is one team's walk), sorted. */
  walkIds: string[];
  walkCount: number;
  /** Group of people ("everyone", "women", …) → number of reports naming it. */
  feltUnsafe: Record<string, number>;
  maxSeverity: number;
  /** Epoch ms. */
  firstObservedAt: number;
  lastObservedAt: number;
  /** Lon/lat: the mean of the members' representative points (point, line midpoint by
   *  length, polygon centroid). */
  position: [number, number];
  /** [west, south, east, north] of every member's geometry. */
  bbox: [number, number, number, number];
  /** A live site link names a member: a planner has joined or split here. */
  planned: boolean;
}

/** Candidate search reaches this much further than D: the pair's scale can differ a little
 *  from the querying item's over a long line (1e-3 over 5 km at 60° N). */
const REACH_MARGIN = 1.05;

/**
 * The partition of the observations into sites, in typed arrays: what groupSites computes
 * before it builds any Site object. Items are the observations that take part (live, with a
 * geometry and a category of the checklist), in id order (code units); item i is
 * `observations[i]`.
 */
export interface SiteIndex {
  /** The observations that take part, in id order. */
  observations: ObservationRecord[];
  /** Their ids: `ids[i] === observations[i].id`. */
  ids: string[];
  /** Per item: its checklist group, an index into `checklist.groups`. */
  group: Int32Array;
  /** Per item: its representative point (see representativePoint), lon and lat. */
  lon: Float64Array;
  lat: Float64Array;
  /** Per item: 1 when its geometry is a Point (its box is then its representative point). */
  isPoint: Uint8Array;
  /** Per item: 1 when a live site link names it. */
  planned: Uint8Array;
  /** The items in the order the observations were given. */
  inputOrder: Int32Array;
  siteCount: number;
  /** Per item: its site. Sites are numbered in the order of their ids ("site-" + the
   *  smallest member id), which is the order groupSites returns them in. */
  siteOf: Int32Array;
  /** Site s has the items `members[memberStart[s]]` … `members[memberStart[s + 1] - 1]`,
   *  ascending (so in id order: the first is the smallest). Length siteCount + 1. */
  memberStart: Int32Array;
  members: Int32Array;
}

/** The id of site s of an index: "site-" + its smallest member id. */
export function siteIdOf(index: SiteIndex, site: number): string {
  return `site-${index.ids[index.members[index.memberStart[site]!]!]!}`;
}

// ---------------------------------------------------------------------------------------
// Items: the qualifying observations in id order, with what the grouping needs

interface Items {
  count: number;
  records: ObservationRecord[];
  ids: string[];
  /** The items in input order: itemAtInput[k] is the k-th qualifying observation given. */
  itemAtInput: Int32Array;
  /** Index into checklist.groups. */
  group: Int32Array;
  /** Mercator metres of a point observation; NaN for lines and polygons. */
  x: Float64Array;
  y: Float64Array;
  /** Ground metres per Mercator metre at the representative point. */
  scale: Float64Array;
  representativeLon: Float64Array;
  representativeLat: Float64Array;
  /** 1 for point observations. */
  isPoint: Uint8Array;
  /** Planar shapes of lines and polygons (and of points, once needed against them); empty
   *  when there are only points. */
  shapes: (PlanarShape | undefined)[];
}

function groupOfCategory(checklist: Checklist): Map<string, number> {
  const groups = new Map<string, number>();
  for (let index = 0; index < checklist.groups.length; index++) {
    for (const category of checklist.groups[index]!.categories) groups.set(category.id, index);
  }
  return groups;
}

/**
 * The qualifying observations, in id order. Records are read once, in the order given
 * (which is usually the order they lie in memory: reading 100,000 records in id order
 * instead costs a cache miss per field); everything later works on typed arrays.
 */
function prepareItems(observations: readonly ObservationRecord[], checklist: Checklist): Items {
  const groupIndex = groupOfCategory(checklist);
  const length = observations.length;
  // Per qualifying observation, in input order. The lists start at full length (growing
  // them by push copies them over and over) and are cut to size below.
  const kept: ObservationRecord[] = new Array(length);
  const keptIds: string[] = new Array(length);
  let keptCount = 0;
  const keptGroups = new Int32Array(length);
  const keptLon = new Float64Array(length);
  const keptLat = new Float64Array(length);
  /** Index into keptShapes, or -1 for a point. */
  const keptShapeOf = new Int32Array(length);
  const keptShapes: PlanarShape[] = [];
  for (let o = 0; o < length; o++) {
    const observation = observations[o]!;
    const fields = observation.fields;
    const geometry = fields.geometry;
    if (observation.deleted || geometry === null) continue;
    const group = groupIndex.get(fields.categoryId);
    if (group === undefined) continue;
    const k = keptCount++;
    kept[k] = observation;
    keptIds[k] = observation.id;
    keptGroups[k] = group;
    if (geometry.type === "Point") {
      keptLon[k] = geometry.coordinates[0]!;
      keptLat[k] = geometry.coordinates[1]!;
      keptShapeOf[k] = -1;
    } else {
      const [lon, lat] = representativePoint(geometry);
      keptLon[k] = lon;
      keptLat[k] = lat;
      keptShapeOf[k] = keptShapes.length;
      keptShapes.push(planarShape(geometry));
    }
  }
  kept.length = keptCount;
  keptIds.length = keptCount;
  const { order, duplicate } = codeUnitOrder(keptIds);
  if (duplicate !== undefined) {
    throw new Error(`groupSites: observation ${duplicate} is given twice`);
  }
  const count = kept.length;
  const items: Items = {
    count,
    records: new Array(count),
    ids: new Array(count),
    itemAtInput: new Int32Array(count),
    group: new Int32Array(count),
    x: new Float64Array(count),
    y: new Float64Array(count),
    scale: new Float64Array(count),
    representativeLon: new Float64Array(count),
    representativeLat: new Float64Array(count),
    isPoint: new Uint8Array(count),
    // Only needed when there are lines or polygons (points get a shape against them).
    shapes: keptShapes.length > 0 ? new Array(count).fill(undefined) : [],
  };
  const { records, ids, itemAtInput, group, x, y, scale, isPoint, shapes } = items;
  for (let i = 0; i < count; i++) {
    const k = order[i]!;
    const lon = keptLon[k]!;
    const lat = keptLat[k]!;
    records[i] = kept[k]!;
    ids[i] = keptIds[k]!;
    itemAtInput[k] = i;
    group[i] = keptGroups[k]!;
    items.representativeLon[i] = lon;
    items.representativeLat[i] = lat;
    scale[i] = mercatorScale(lat);
    const shape = keptShapeOf[k]!;
    if (shape === -1) {
      isPoint[i] = 1;
      x[i] = mercatorX(lon);
      y[i] = mercatorY(lat);
    } else {
      shapes[i] = keptShapes[shape];
      x[i] = Number.NaN;
      y[i] = Number.NaN;
    }
  }
  return items;
}

function shapeOf(items: Items, item: number): PlanarShape {
  let shape = items.shapes[item];
  if (shape === undefined) {
    shape = pointShape(items.x[item]!, items.y[item]!);
    items.shapes[item] = shape;
  }
  return shape;
}

// ---------------------------------------------------------------------------------------
// Representative points (lon/lat)

/**
 * A point that stands for a geometry: the point; the point halfway along a line by length;
 * the area centroid of a polygon (holes subtracted). Line lengths are taken in lon/lat with
 * longitude scaled by cos φ of the first vertex (over a walk's distances the error is far
 * below GPS accuracy); the centroid needs no scaling, as an affine map keeps centroids.
 */
export function representativePoint(geometry: ObservationGeometry): [number, number] {
  if (geometry.type === "Point") return [geometry.coordinates[0]!, geometry.coordinates[1]!];
  if (geometry.type === "LineString") return lineMidpoint(geometry.coordinates);
  return polygonCentroid(geometry.coordinates);
}

function lineMidpoint(positions: readonly Position[]): [number, number] {
  const kx = mercatorScale(positions[0]![1]!);
  const lengths: number[] = [];
  let total = 0;
  for (let i = 1; i < positions.length; i++) {
    const length = Math.hypot(
      (positions[i]![0]! - positions[i - 1]![0]!) * kx,
      positions[i]![1]! - positions[i - 1]![1]!,
    );
    lengths.push(length);
    total += length;
  }
  let walked = 0;
  for (let i = 1; i < positions.length; i++) {
    const length = lengths[i - 1]!;
    if (walked + length >= total / 2 && length > 0) {
      const t = (total / 2 - walked) / length;
      const [ax, ay] = positions[i - 1]! as [number, number];
      const [bx, by] = positions[i]! as [number, number];
      return [ax + t * (bx - ax), ay + t * (by - ay)];
    }
    walked += length;
  }
  return [positions[0]![0]!, positions[0]![1]!];
}

function polygonCentroid(rings: readonly Position[][]): [number, number] {
  // Relative to the first vertex, so the products keep their precision.
  const [originX, originY] = rings[0]![0]! as [number, number];
  let area2 = 0;
  let momentX = 0;
  let momentY = 0;
  rings.forEach((ring, index) => {
    let ringArea2 = 0;
    let ringX = 0;
    let ringY = 0;
    for (let i = 0; i + 1 < ring.length; i++) {
      const x0 = ring[i]![0]! - originX;
      const y0 = ring[i]![1]! - originY;
      const x1 = ring[i + 1]![0]! - originX;
      const y1 = ring[i + 1]![1]! - originY;
      const cross = x0 * y1 - x1 * y0;
      ringArea2 += cross;
      ringX += (x0 + x1) * cross;
      ringY += (y0 + y1) * cross;
    }
    // Whatever the winding: the exterior adds, holes subtract.
    const sign = (index === 0 ? 1 : -1) * (ringArea2 < 0 ? -1 : 1);
    area2 += sign * ringArea2;
    momentX += sign * ringX;
    momentY += sign * ringY;
  });
  if (!(area2 > 0)) {
    const exterior = rings[0]!.slice(0, -1);
    const lon = exterior.reduce((sum, position) => sum + position[0]!, 0) / exterior.length;
    const lat = exterior.reduce((sum, position) => sum + position[1]!, 0) / exterior.length;
    return [lon, lat];
  }
  return [originX + momentX / (3 * area2), originY + momentY / (3 * area2)];
}

// ---------------------------------------------------------------------------------------
// Candidate pairs: "same place" pairs (first < second) with their distance in metres

/** Growable columns of pairs; `count` are in use. */
interface Edges {
  count: number;
  first: Int32Array;
  second: Int32Array;
  distanceM: Float64Array;
}

function newEdges(capacity: number): Edges {
  const size = Math.max(16, capacity);
  return {
    count: 0,
    first: new Int32Array(size),
    second: new Int32Array(size),
    distanceM: new Float64Array(size),
  };
}

function pushEdge(edges: Edges, first: number, second: number, distanceM: number): void {
  const e = edges.count;
  if (e === edges.first.length) {
    const first2 = new Int32Array(e * 2);
    const second2 = new Int32Array(e * 2);
    const distance2 = new Float64Array(e * 2);
    first2.set(edges.first);
    second2.set(edges.second);
    distance2.set(edges.distanceM);
    edges.first = first2;
    edges.second = second2;
    edges.distanceM = distance2;
  }
  edges.first[e] = first;
  edges.second[e] = second;
  edges.distanceM[e] = distanceM;
  edges.count = e + 1;
}

/** The items of each checklist group, points and shapes apart, ascending (CSR). */
interface ItemsByGroup {
  pointStart: Int32Array;
  points: Int32Array;
  shapeStart: Int32Array;
  shapes: Int32Array;
}

function itemsByGroup(items: Items, groupCount: number): ItemsByGroup {
  const pointStart = new Int32Array(groupCount + 1);
  const shapeStart = new Int32Array(groupCount + 1);
  for (let i = 0; i < items.count; i++) {
    if (items.isPoint[i] === 1) pointStart[items.group[i]! + 1]! += 1;
    else shapeStart[items.group[i]! + 1]! += 1;
  }
  for (let g = 0; g < groupCount; g++) {
    pointStart[g + 1]! += pointStart[g]!;
    shapeStart[g + 1]! += shapeStart[g]!;
  }
  const points = new Int32Array(pointStart[groupCount]!);
  const shapes = new Int32Array(shapeStart[groupCount]!);
  const pointFill = pointStart.slice(0, groupCount);
  const shapeFill = shapeStart.slice(0, groupCount);
  for (let i = 0; i < items.count; i++) {
    if (items.isPoint[i] === 1) points[pointFill[items.group[i]!]!++] = i;
    else shapes[shapeFill[items.group[i]!]!++] = i;
  }
  return { pointStart, points, shapeStart, shapes };
}

/** Cells per axis of a point grid at most (a wider spread gets wider cells). */
const GRID_LIMIT = 32_768;
/** A group whose reaches (1 / cos latitude) differ more than this uses the tree search. */
const MAX_REACH_RATIO = 4;
/** Radix sort digits: 11 bits, three passes cover 33 bits. */
const DIGIT_BITS = 11;
const DIGIT_COUNT = 1 << DIGIT_BITS;
const DIGIT_MASK = DIGIT_COUNT - 1;

/** Buffers for the point grids, reused from one checklist group to the next. */
interface GridBuffers {
  key: Uint32Array;
  sortedKey: Uint32Array;
  slot: Int32Array;
  sorted: Int32Array;
  x: Float64Array;
  y: Float64Array;
  histogram: Int32Array;
}

function newGridBuffers(size: number): GridBuffers {
  return {
    key: new Uint32Array(size),
    sortedKey: new Uint32Array(size),
    slot: new Int32Array(size),
    sorted: new Int32Array(size),
    x: new Float64Array(size),
    y: new Float64Array(size),
    histogram: new Int32Array(3 * DIGIT_COUNT),
  };
}

/**
 * Order points[0, m) by key (LSD radix sort, stable): buffers.sorted gets the positions,
 * buffers.sortedKey the keys.
 */
function sortByKey(buffers: GridBuffers, m: number): void {
  const { key, histogram } = buffers;
  histogram.fill(0);
  for (let p = 0; p < m; p++) {
    const k = key[p]!;
    histogram[k & DIGIT_MASK]! += 1;
    histogram[DIGIT_COUNT + ((k >>> DIGIT_BITS) & DIGIT_MASK)]! += 1;
    histogram[2 * DIGIT_COUNT + (k >>> (2 * DIGIT_BITS))]! += 1;
  }
  let from = buffers.slot;
  let to = buffers.sorted;
  for (let p = 0; p < m; p++) from[p] = p;
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * DIGIT_COUNT;
    const shift = pass * DIGIT_BITS;
    // A digit that all keys share moves nothing.
    if (histogram[base + ((key[0]! >>> shift) & DIGIT_MASK)] === m) continue;
    let sum = 0;
    for (let d = 0; d < DIGIT_COUNT; d++) {
      const n = histogram[base + d]!;
      histogram[base + d] = sum;
      sum += n;
    }
    for (let r = 0; r < m; r++) {
      const p = from[r]!;
      to[histogram[base + ((key[p]! >>> shift) & DIGIT_MASK)]!++] = p;
    }
    const swap = from;
    from = to;
    to = swap;
  }
  if (from !== buffers.sorted) buffers.sorted.set(from.subarray(0, m));
  for (let r = 0; r < m; r++) buffers.sortedKey[r] = key[buffers.sorted[r]!]!;
}

/**
 * The point–point pairs of one checklist group, through a grid: the points are sorted by
 * cell (row, then column), cells at least as wide as any point's reach, so a pair within
 * reach lies in the same cell or in neighbouring ones. Each point is compared with the
 * points after it in its own cell and the next cell of its row, and with the three cells
 * above (one contiguous run of the sorted points): every neighbouring pair once. Pointers
 * into the sorted points only move forward, so the search costs a sort (radix) and a sweep;
 * no tree, and nothing allocated. Which pairs count is exactly as with a radius search from
 * the pair's first item: squared Mercator distance within its reach squared, then the
 * distance in metres within D. Returns false (nothing done) when the coordinates or reaches
 * are not finite, or differ too much (see MAX_REACH_RATIO): the tree search handles those.
 */
function gridPointPairs(
  items: Items,
  points: Int32Array,
  radiusM: number,
  reach: Float64Array,
  edges: Edges,
  buffers: GridBuffers,
): boolean {
  const m = points.length;
  const { x, y, scale } = items;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let minReach = Infinity;
  let maxReach = 0;
  for (let p = 0; p < m; p++) {
    const item = points[p]!;
    const px = x[item]!;
    const py = y[item]!;
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
    if (reach[item]! < minReach) minReach = reach[item]!;
    if (reach[item]! > maxReach) maxReach = reach[item]!;
  }
  const span = Math.max(maxX - minX, maxY - minY);
  if (!Number.isFinite(span) || !Number.isFinite(maxReach)) return false;
  // Cells fit the largest reach: with reaches far apart (reports from the equator to the
  // Arctic in one group) most points would compare with far too many others.
  if (maxReach > MAX_REACH_RATIO * minReach) return false;
  // A little wider than the reach, so rounding in the cell numbers cannot skip a cell.
  let cell = maxReach * (1 + 1e-6);
  if (!(cell * GRID_LIMIT >= span)) cell = span / GRID_LIMIT;
  if (!(cell > 0)) cell = 1;
  const inverse = 1 / cell;
  // Columns 1 … n, with an empty one on either side: neighbours never wrap to another row.
  const columns = Math.floor((maxX - minX) * inverse) + 3;
  const { key, sorted, sortedKey, slot } = buffers;
  for (let p = 0; p < m; p++) {
    const item = points[p]!;
    const column = Math.floor((x[item]! - minX) * inverse) + 1;
    const row = Math.floor((y[item]! - minY) * inverse) + 1;
    key[p] = row * columns + column;
  }
  sortByKey(buffers, m);
  const sortedX = buffers.x;
  const sortedY = buffers.y;
  for (let r = 0; r < m; r++) {
    const item = points[sorted[r]!]!;
    slot[r] = item;
    sortedX[r] = x[item]!;
    sortedY[r] = y[item]!;
  }
  const maxReach2 = maxReach * maxReach;
  let rowEnd = 0;
  let aboveStart = 0;
  let aboveEnd = 0;
  for (let k = 0; k < m; k++) {
    const cellKey = sortedKey[k]!;
    while (rowEnd < m && sortedKey[rowEnd]! <= cellKey + 1) rowEnd++;
    while (aboveStart < m && sortedKey[aboveStart]! < cellKey + columns - 1) aboveStart++;
    if (aboveEnd < aboveStart) aboveEnd = aboveStart;
    while (aboveEnd < m && sortedKey[aboveEnd]! <= cellKey + columns + 1) aboveEnd++;
    const item = slot[k]!;
    const itemX = sortedX[k]!;
    const itemY = sortedY[k]!;
    for (let q = k + 1; q < rowEnd; q++) {
      const dx = sortedX[q]! - itemX;
      const dy = sortedY[q]! - itemY;
      const distance2 = dx * dx + dy * dy;
      // Most candidates are beyond every reach: skip them before reading their item's.
      if (distance2 <= maxReach2)
        tryPointPair(edges, scale, reach, radiusM, item, slot[q]!, distance2);
    }
    for (let q = aboveStart; q < aboveEnd; q++) {
      const dx = sortedX[q]! - itemX;
      const dy = sortedY[q]! - itemY;
      const distance2 = dx * dx + dy * dy;
      if (distance2 <= maxReach2)
        tryPointPair(edges, scale, reach, radiusM, item, slot[q]!, distance2);
    }
  }
  return true;
}

/**
 * Two points at squared Mercator distance `distance2`: a pair if within the reach of the
 * first (lower) item and within D in metres (see gridPointPairs).
 */
function tryPointPair(
  edges: Edges,
  scale: Float64Array,
  reach: Float64Array,
  radiusM: number,
  i: number,
  j: number,
  distance2: number,
): void {
  const first = i < j ? i : j;
  const r = reach[first]!;
  if (!(distance2 <= r * r)) return;
  const second = i < j ? j : i;
  const distanceM = Math.sqrt(distance2) * ((scale[first]! + scale[second]!) / 2);
  if (distanceM <= radiusM) pushEdge(edges, first, second, distanceM);
}

function pointTree(items: Items, points: Int32Array): KDBush {
  const index = new KDBush(points.length);
  for (let p = 0; p < points.length; p++) index.add(items.x[points[p]!]!, items.y[points[p]!]!);
  return index.finish();
}

/** The point–point pairs of one group by a radius search per point (see gridPointPairs). */
function treePointPairs(
  items: Items,
  points: Int32Array,
  radiusM: number,
  reach: Float64Array,
  edges: Edges,
): void {
  const kd = pointTree(items, points);
  const found: number[] = [];
  for (let p = 0; p < points.length; p++) {
    const item = points[p]!;
    const hits = kd.withinInto(items.x[item]!, items.y[item]!, reach[item]!, found);
    for (let k = 0; k < hits; k++) {
      const other = points[found[k]!]!;
      if (other <= item) continue;
      // Math.sqrt of squares (in tryPointPair): Math.hypot guards against overflow and is
      // several times slower.
      const dx = items.x[other]! - items.x[item]!;
      const dy = items.y[other]! - items.y[item]!;
      tryPointPair(edges, items.scale, reach, radiusM, item, other, dx * dx + dy * dy);
    }
  }
}

/** Pairs with a line or polygon in them, tested from the pair's first item. */
function shapePairs(
  items: Items,
  points: Int32Array,
  shapes: Int32Array,
  radiusM: number,
  reach: Float64Array,
  edges: Edges,
): void {
  const flat = new Flatbush(shapes.length);
  for (let s = 0; s < shapes.length; s++) {
    const shape = items.shapes[shapes[s]!]!;
    flat.add(shape.minX, shape.minY, shape.maxX, shape.maxY);
  }
  flat.finish();
  for (let p = 0; p < points.length; p++) {
    const item = points[p]!;
    const x = items.x[item]!;
    const y = items.y[item]!;
    const r = reach[item]!;
    pairsWithShapes(items, flat, shapes, radiusM, edges, item, x - r, y - r, x + r, y + r);
  }
  const kd = points.length > 0 ? pointTree(items, points) : null;
  for (let s = 0; s < shapes.length; s++) {
    const item = shapes[s]!;
    const shape = items.shapes[item]!;
    const r = reach[item]!;
    const minX = shape.minX - r;
    const minY = shape.minY - r;
    const maxX = shape.maxX + r;
    const maxY = shape.maxY + r;
    if (kd !== null) {
      for (const hit of kd.range(minX, minY, maxX, maxY)) {
        const other = points[hit]!;
        if (other <= item) continue;
        const scale = (items.scale[item]! + items.scale[other]!) / 2;
        const distanceM = placeDistanceM(shape, shapeOf(items, other), scale);
        if (distanceM <= radiusM) pushEdge(edges, item, other, distanceM);
      }
    }
    pairsWithShapes(items, flat, shapes, radiusM, edges, item, minX, minY, maxX, maxY);
  }
}

function pairsWithShapes(
  items: Items,
  flat: Flatbush,
  shapes: Int32Array,
  radiusM: number,
  edges: Edges,
  item: number,
  minX: number,
  minY: number,
  maxX: number,
  maxY: number,
): void {
  for (const hit of flat.search(minX, minY, maxX, maxY)) {
    const other = shapes[hit]!;
    if (other <= item) continue;
    const scale = (items.scale[item]! + items.scale[other]!) / 2;
    const distanceM = placeDistanceM(shapeOf(items, item), shapeOf(items, other), scale);
    if (distanceM <= radiusM) pushEdge(edges, item, other, distanceM);
  }
}

/** Every pair of one group that is the same place, each once (first < second). */
function samePlacePairs(items: Items, checklist: Checklist): Edges {
  const groupCount = checklist.groups.length;
  const edges = newEdges(items.count);
  const byGroup = itemsByGroup(items, groupCount);
  // Per item: how far (Mercator metres) its pairs can lie.
  const reach = new Float64Array(items.count);
  for (let i = 0; i < items.count; i++) {
    reach[i] = (checklist.groups[items.group[i]!]!.siteRadiusM / items.scale[i]!) * REACH_MARGIN;
  }
  let largest = 0;
  for (let g = 0; g < groupCount; g++) {
    largest = Math.max(largest, byGroup.pointStart[g + 1]! - byGroup.pointStart[g]!);
  }
  const buffers = newGridBuffers(largest);
  for (let g = 0; g < groupCount; g++) {
    const radiusM = checklist.groups[g]!.siteRadiusM;
    const points = byGroup.points.subarray(byGroup.pointStart[g]!, byGroup.pointStart[g + 1]!);
    const shapes = byGroup.shapes.subarray(byGroup.shapeStart[g]!, byGroup.shapeStart[g + 1]!);
    if (points.length > 1 && !gridPointPairs(items, points, radiusM, reach, edges, buffers)) {
      treePointPairs(items, points, radiusM, reach, edges);
    }
    if (shapes.length > 0) shapePairs(items, points, shapes, radiusM, reach, edges);
  }
  return edges;
}
// ---------------------------------------------------------------------------------------
// Planner links

interface PreparedLinks {
  /** Member pairs of live "same" links (same checklist group), in link id order. */
  samePairs: [number, number][];
  /** Per item: link number * 2 + side (0: groupA, 1: groupB) of the "different" links. */
  differentSides: Map<number, number[]>;
  /** Items named by any live link. */
  planned: Uint8Array;
}

/** The position of `id` in the sorted ids, or -1. */
function indexOfId(ids: readonly string[], id: string): number {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const candidate = ids[middle]!;
    if (candidate === id) return middle;
    if (candidate < id) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** A link that says something: live, and well formed (a malformed one is ignored). */
function isUsableLink(link: SiteLinkRecord): boolean {
  return !link.deleted && siteLinkProblem(link.fields) === null;
}

function prepareLinks(items: Items, links: readonly SiteLinkRecord[]): PreparedLinks {
  const prepared: PreparedLinks = {
    samePairs: [],
    differentSides: new Map(),
    planned: new Uint8Array(items.count),
  };
  const usable = links
    .filter(isUsableLink)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  usable.forEach((link, linkNumber) => {
    const sides = [link.fields.groupA, link.fields.groupB].map((group) =>
      group.map((id) => indexOfId(items.ids, id)).filter((item) => item >= 0),
    ) as [number[], number[]];
    for (const side of sides) for (const item of side) prepared.planned[item] = 1;
    if (link.fields.relation === "different") {
      sides.forEach((side, sideNumber) => {
        for (const item of side) {
          const entries = prepared.differentSides.get(item) ?? [];
          entries.push(linkNumber * 2 + sideNumber);
          prepared.differentSides.set(item, entries);
        }
      });
      return;
    }
    for (const a of sides[0]) {
      for (const b of sides[1]) {
        if (items.group[a] === items.group[b]) prepared.samePairs.push([a, b]);
      }
    }
  });
  return prepared;
}

function keptApart(links: PreparedLinks, a: number, b: number): boolean {
  const sidesA = links.differentSides.get(a);
  const sidesB = sidesA && links.differentSides.get(b);
  if (!sidesA || !sidesB) return false;
  for (const sideA of sidesA) {
    for (const sideB of sidesB) {
      if (sideA >> 1 === sideB >> 1 && sideA !== sideB) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Complete linkage

/** Which pairs count as "same place": adjacency lists (CSR) of the pairs and link pairs. */
interface Adjacency {
  offsets: Int32Array;
  neighbours: Int32Array;
}

function adjacency(count: number, edges: Edges, samePairs: readonly [number, number][]): Adjacency {
  const { first, second } = edges;
  const offsets = new Int32Array(count + 1);
  for (let e = 0; e < edges.count; e++) {
    offsets[first[e]! + 1]! += 1;
    offsets[second[e]! + 1]! += 1;
  }
  for (const [a, b] of samePairs) {
    offsets[a + 1]! += 1;
    offsets[b + 1]! += 1;
  }
  for (let i = 0; i < count; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, count);
  const neighbours = new Int32Array(offsets[count]!);
  for (let e = 0; e < edges.count; e++) {
    const a = first[e]!;
    const b = second[e]!;
    neighbours[fill[a]!++] = b;
    neighbours[fill[b]!++] = a;
  }
  for (const [a, b] of samePairs) {
    neighbours[fill[a]!++] = b;
    neighbours[fill[b]!++] = a;
  }
  return { offsets, neighbours };
}

function adjacent(graph: Adjacency, a: number, b: number): boolean {
  const end = graph.offsets[a + 1]!;
  for (let k = graph.offsets[a]!; k < end; k++) {
    if (graph.neighbours[k] === b) return true;
  }
  return false;
}

/**
 * Union-find whose roots also head their members as a linked list, in typed arrays: a join
 * allocates nothing.
 */
interface Clusters {
  parent: Int32Array;
  /** The next member of the cluster after this one; -1 at the end. A root is its list's head. */
  next: Int32Array;
  /** Per root: the last member of its list. */
  tail: Int32Array;
  /** Per root: the number of members. */
  size: Int32Array;
}

function findRoot(parent: Int32Array, item: number): number {
  let current = item;
  while (parent[current] !== current) {
    parent[current] = parent[parent[current]!]!; // path halving
    current = parent[current]!;
  }
  return current;
}

function newUnionFind(count: number): Int32Array {
  const parent = new Int32Array(count);
  for (let i = 0; i < count; i++) parent[i] = i;
  return parent;
}

function newClusters(count: number): Clusters {
  const clusters: Clusters = {
    parent: newUnionFind(count),
    next: new Int32Array(count).fill(-1),
    tail: newUnionFind(count),
    size: new Int32Array(count).fill(1),
  };
  return clusters;
}

/** May the clusters of roots a and b be joined (`graph` null: planner links only)? */
function joinAllowed(
  clusters: Clusters,
  rootA: number,
  rootB: number,
  links: PreparedLinks,
  graph: Adjacency | null,
): boolean {
  const checkApart = links.differentSides.size > 0;
  for (let x = rootA; x !== -1; x = clusters.next[x]!) {
    for (let y = rootB; y !== -1; y = clusters.next[y]!) {
      if (graph !== null && !adjacent(graph, x, y)) return false;
      if (checkApart && keptApart(links, x, y)) return false;
    }
  }
  return true;
}

/**
 * Join the clusters of a and b unless a "different" link separates a pair across them, or
 * (with `graph`) a pair across them is not the same place (complete linkage).
 */
function tryJoin(
  clusters: Clusters,
  a: number,
  b: number,
  links: PreparedLinks,
  graph: Adjacency | null,
): void {
  const { parent, next, tail, size } = clusters;
  const rootA = findRoot(parent, a);
  const rootB = findRoot(parent, b);
  if (rootA === rootB) return;
  // Two lone reports joined by their own pair need no adjacency look-up.
  const lone = size[rootA] === 1 && size[rootB] === 1;
  if (!joinAllowed(clusters, rootA, rootB, links, lone ? null : graph)) return;
  const big = size[rootA]! >= size[rootB]! ? rootA : rootB;
  const small = big === rootA ? rootB : rootA;
  parent[small] = big;
  next[tail[big]!] = small;
  tail[big] = tail[small]!;
  size[big]! += size[small]!;
}

/** Edge e comes before edge f: by distance, then ids. */
function edgeBefore(edges: Edges, e: number, f: number): boolean {
  const distanceE = edges.distanceM[e]!;
  const distanceF = edges.distanceM[f]!;
  if (distanceE !== distanceF) return distanceE < distanceF;
  if (edges.first[e] !== edges.first[f]) return edges.first[e]! < edges.first[f]!;
  return edges.second[e]! < edges.second[f]!;
}

/** Runs this short are sorted in place by insertion (most components are a pair or two). */
const INSERTION_RUN = 32;

/**
 * Distance pairs grouped by connected component and sorted within each (distance, then ids):
 * the order only matters within a component, and many small sorts are much faster than one
 * big one.
 */
function pairsInCanonicalOrder(
  count: number,
  edges: Edges,
  samePairs: readonly [number, number][],
): Int32Array {
  const component = newUnionFind(count);
  const edgeCount = edges.count;
  const { first, second } = edges;
  for (let e = 0; e < edgeCount; e++) connect(component, first[e]!, second[e]!);
  for (const [a, b] of samePairs) connect(component, a, b);
  const start = new Int32Array(count + 1);
  const rootOf = new Int32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    const root = findRoot(component, first[e]!);
    rootOf[e] = root;
    start[root + 1]! += 1;
  }
  for (let i = 0; i < count; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, count);
  const order = new Int32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) order[fill[rootOf[e]!]!++] = e;
  const byDistanceThenIds = (e: number, f: number) =>
    edgeBefore(edges, e, f) ? -1 : edgeBefore(edges, f, e) ? 1 : 0;
  for (let root = 0; root < count; root++) {
    const from = start[root]!;
    const to = start[root + 1]!;
    if (to - from < 2) continue;
    if (to - from <= INSERTION_RUN) {
      for (let k = from + 1; k < to; k++) {
        const e = order[k]!;
        let j = k - 1;
        while (j >= from && edgeBefore(edges, e, order[j]!)) {
          order[j + 1] = order[j]!;
          j--;
        }
        order[j + 1] = e;
      }
    } else {
      order.set(Array.from(order.subarray(from, to)).sort(byDistanceThenIds), from);
    }
  }
  return order;
}

/** Union by the smaller root: a component's root is its smallest item. */
function connect(component: Int32Array, a: number, b: number): void {
  const rootA = findRoot(component, a);
  const rootB = findRoot(component, b);
  if (rootA < rootB) component[rootB] = rootA;
  else if (rootB < rootA) component[rootA] = rootB;
}

function cluster(items: Items, edges: Edges, links: PreparedLinks): Clusters {
  const clusters = newClusters(items.count);
  // Planner joins first: they hold regardless of distance, but never against "different".
  for (const [a, b] of links.samePairs) tryJoin(clusters, a, b, links, null);
  if (edges.count === 0) return clusters;
  const graph = adjacency(items.count, edges, links.samePairs);
  const order = pairsInCanonicalOrder(items.count, edges, links.samePairs);
  for (let k = 0; k < order.length; k++) {
    const e = order[k]!;
    tryJoin(clusters, edges.first[e]!, edges.second[e]!, links, graph);
  }
  return clusters;
}

// ---------------------------------------------------------------------------------------
// The partition

/**
 * Group observations into sites (see the rules at the top of this file), as typed arrays:
 * the partition only, no Site objects (groupSites builds those from it). Deterministic and
 * independent of input order. Throws when an observation id is given twice.
 */
export function groupSiteIndex(
  observations: readonly ObservationRecord[],
  links: readonly SiteLinkRecord[],
  checklist: Checklist,
): SiteIndex {
  const items = prepareItems(observations, checklist);
  const edges = samePlacePairs(items, checklist);
  const prepared = prepareLinks(items, links);
  const clusters = cluster(items, edges, prepared);
  const count = items.count;
  // Items are in id order, so each cluster is met first at its smallest member: numbering
  // the sites in that pass numbers them in id order.
  const siteOf = new Int32Array(count);
  const siteOfRoot = clusters.tail.fill(-1);
  let siteCount = 0;
  for (let item = 0; item < count; item++) {
    const root = findRoot(clusters.parent, item);
    let site = siteOfRoot[root]!;
    if (site === -1) {
      site = siteCount++;
      siteOfRoot[root] = site;
    }
    siteOf[item] = site;
  }
  const memberStart = new Int32Array(siteCount + 1);
  for (let item = 0; item < count; item++) memberStart[siteOf[item]! + 1]! += 1;
  for (let site = 0; site < siteCount; site++) memberStart[site + 1]! += memberStart[site]!;
  const fill = memberStart.slice(0, siteCount);
  const members = new Int32Array(count);
  for (let item = 0; item < count; item++) members[fill[siteOf[item]!]!++] = item;
  return {
    observations: items.records,
    ids: items.ids,
    group: items.group,
    lon: items.representativeLon,
    lat: items.representativeLat,
    isPoint: items.isPoint,
    planned: prepared.planned,
    inputOrder: items.itemAtInput,
    siteCount,
    siteOf,
    memberStart,
    members,
  };
}

// ---------------------------------------------------------------------------------------
// Sites

/** Widen the box at bounds[at … at + 3] (west, south, east, north) by some positions. */
function extendBounds(bounds: Float64Array, at: number, positions: readonly Position[]): void {
  for (let k = 0; k < positions.length; k++) {
    extendBoundsByPoint(bounds, at, positions[k]![0]!, positions[k]![1]!);
  }
}

function extendBoundsByPoint(bounds: Float64Array, at: number, lon: number, lat: number): void {
  if (lon < bounds[at]!) bounds[at] = lon;
  if (lat < bounds[at + 1]!) bounds[at + 1] = lat;
  if (lon > bounds[at + 2]!) bounds[at + 2] = lon;
  if (lat > bounds[at + 3]!) bounds[at + 3] = lat;
}

function geometryBounds(geometry: ObservationGeometry, bounds: Float64Array, at: number): void {
  if (geometry.type === "Point") {
    extendBoundsByPoint(bounds, at, geometry.coordinates[0]!, geometry.coordinates[1]!);
  } else if (geometry.type === "LineString") {
    extendBounds(bounds, at, geometry.coordinates);
  } else {
    for (const ring of geometry.coordinates) extendBounds(bounds, at, ring);
  }
}

function countFeltUnsafe(counts: Record<string, number>, groups: readonly string[]): void {
  for (let k = 0; k < groups.length; k++) {
    const group = groups[k]!;
    // A record lists a group once; count it once even if a damaged copy repeats it.
    if (groups.indexOf(group) === k) counts[group] = (counts[group] ?? 0) + 1;
  }
}

/**
 * feltUnsafe of one report, by its list of groups: most reports name one of a few lists
 * ("women", "women, elderly", …), so each distinct list is counted once into a template and
 * every site of one report gets a copy (one allocation, the template's shape; adding the
 * keys one by one to an empty object costs several times more).
 */
class FeltUnsafeTemplates {
  /** Group id → a small number. */
  private readonly numbers = new Map<string, number>();
  /** Packed list of group numbers → template. */
  private readonly templates = new Map<number, Record<string, number>>();

  counts(groups: readonly string[]): Record<string, number> {
    const template = this.template(groups);
    if (template !== undefined) return { ...template };
    const counts: Record<string, number> = {};
    countFeltUnsafe(counts, groups);
    return counts;
  }

  /** The template of a list of up to 4 groups; undefined for longer lists. */
  private template(groups: readonly string[]): Record<string, number> | undefined {
    if (groups.length > TEMPLATE_GROUPS) return undefined;
    let key = groups.length;
    for (let k = 0; k < groups.length; k++) {
      let number = this.numbers.get(groups[k]!);
      if (number === undefined) {
        number = this.numbers.size;
        if (number >= TEMPLATE_NUMBERS) return undefined;
        this.numbers.set(groups[k]!, number);
      }
      key = key * TEMPLATE_NUMBERS + number;
    }
    let template = this.templates.get(key);
    if (template === undefined) {
      template = {};
      countFeltUnsafe(template, groups);
      this.templates.set(key, template);
    }
    return template;
  }
}

/** Templates cover lists of up to 4 groups of the first 4,096 distinct group ids: the key,
 *  4 numbers of 12 bits and the length, stays an exact integer. */
const TEMPLATE_GROUPS = 4;
const TEMPLATE_NUMBERS = 4096;

/** A site of one report: most sites, so built without the general loop's bookkeeping. */
function loneSite(
  index: SiteIndex,
  item: number,
  groupIds: readonly string[],
  felt: FeltUnsafeTemplates,
): Site {
  const record = index.observations[item]!;
  const fields = record.fields;
  const lon = index.lon[item]!;
  const lat = index.lat[item]!;
  // A point's box is the point: no need to read its geometry again.
  const bbox: [number, number, number, number] = [lon, lat, lon, lat];
  if (index.isPoint[item] !== 1) {
    const bounds = Float64Array.of(Infinity, Infinity, -Infinity, -Infinity);
    geometryBounds(fields.geometry!, bounds, 0);
    bbox[0] = bounds[0]!;
    bbox[1] = bounds[1]!;
    bbox[2] = bounds[2]!;
    bbox[3] = bounds[3]!;
  }
  const walkIds = record.walkId === undefined ? [] : [record.walkId];
  return {
    id: `site-${record.id}`,
    groupId: groupIds[index.group[item]!]!,
    memberIds: [record.id],
    categoryIds: [fields.categoryId],
    reportCount: 1,
    walkIds,
    walkCount: walkIds.length,
    feltUnsafe: felt.counts(fields.feltUnsafe),
    maxSeverity: fields.severity,
    firstObservedAt: fields.observedAt,
    lastObservedAt: fields.observedAt,
    position: [lon, lat],
    bbox,
    planned: index.planned[item] === 1,
  };
}

/**
 * What the sites of several reports need from their records, read in input order (the
 * order the records usually lie in memory; reading them member by member, in id order,
 * costs a cache miss per field): per item its category, walk and feltUnsafe list, and per
 * site what does not depend on the order of its members (severity, times, box, planned).
 */
interface MemberFacts {
  category: string[];
  walk: (string | undefined)[];
  felt: (readonly string[])[];
  /** Per site. */
  maxSeverity: Float64Array;
  firstObservedAt: Float64Array;
  lastObservedAt: Float64Array;
  /** Per site: west, south, east, north. */
  bounds: Float64Array;
}

function newMemberFacts(itemCount: number, siteCount: number): MemberFacts {
  const facts: MemberFacts = {
    category: new Array(itemCount),
    walk: new Array(itemCount),
    felt: new Array(itemCount),
    maxSeverity: new Float64Array(siteCount),
    firstObservedAt: new Float64Array(siteCount).fill(Infinity),
    lastObservedAt: new Float64Array(siteCount).fill(-Infinity),
    bounds: new Float64Array(4 * siteCount),
  };
  for (let site = 0; site < siteCount; site++) {
    facts.bounds[4 * site] = facts.bounds[4 * site + 1] = Infinity;
    facts.bounds[4 * site + 2] = facts.bounds[4 * site + 3] = -Infinity;
  }
  return facts;
}

function noteMember(index: SiteIndex, item: number, site: number, facts: MemberFacts): void {
  const record = index.observations[item]!;
  const fields = record.fields;
  facts.category[item] = fields.categoryId;
  facts.walk[item] = record.walkId;
  facts.felt[item] = fields.feltUnsafe;
  facts.maxSeverity[site] = Math.max(facts.maxSeverity[site]!, fields.severity);
  facts.firstObservedAt[site] = Math.min(facts.firstObservedAt[site]!, fields.observedAt);
  facts.lastObservedAt[site] = Math.max(facts.lastObservedAt[site]!, fields.observedAt);
  if (index.isPoint[item] === 1) {
    extendBoundsByPoint(facts.bounds, 4 * site, index.lon[item]!, index.lat[item]!);
  } else {
    geometryBounds(fields.geometry!, facts.bounds, 4 * site);
  }
}

/** Add `value` to the sorted values[0, count) unless present (code units, as Array#sort);
 *  returns the new count. */
function insertSorted(values: string[], count: number, value: string): number {
  let k = count;
  while (k > 0 && values[k - 1]! >= value) {
    if (values[k - 1] === value) return count;
    k--;
  }
  for (let move = count; move > k; move--) values[move] = values[move - 1]!;
  values[k] = value;
  return count + 1;
}

/** A site of several reports, from its members in id order and the facts read before. */
function buildSite(
  index: SiteIndex,
  site: number,
  groupIds: readonly string[],
  facts: MemberFacts,
  scratch: string[][],
): Site {
  const from = index.memberStart[site]!;
  const to = index.memberStart[site + 1]!;
  const reportCount = to - from;
  const memberIds: string[] = new Array(reportCount);
  const [categories, walks] = scratch as [string[], string[]];
  let categoryCount = 0;
  let walkCount = 0;
  const feltUnsafe: Record<string, number> = {};
  let lon = 0;
  let lat = 0;
  let isPlanned = false;
  for (let k = from; k < to; k++) {
    const item = index.members[k]!;
    memberIds[k - from] = index.ids[item]!;
    categoryCount = insertSorted(categories, categoryCount, facts.category[item]!);
    const walk = facts.walk[item];
    if (walk !== undefined) walkCount = insertSorted(walks, walkCount, walk);
    countFeltUnsafe(feltUnsafe, facts.felt[item]!);
    // Summed in id order, so the mean is the same to the last bit on every device.
    lon += index.lon[item]!;
    lat += index.lat[item]!;
    isPlanned ||= index.planned[item] === 1;
  }
  const bounds = facts.bounds;
  return {
    id: `site-${memberIds[0]}`,
    groupId: groupIds[index.group[index.members[from]!]!]!,
    memberIds,
    categoryIds: categories.slice(0, categoryCount),
    reportCount,
    walkIds: walks.slice(0, walkCount),
    walkCount,
    feltUnsafe,
    maxSeverity: facts.maxSeverity[site]!,
    firstObservedAt: facts.firstObservedAt[site]!,
    lastObservedAt: facts.lastObservedAt[site]!,
    position: [lon / reportCount, lat / reportCount],
    bbox: [bounds[4 * site]!, bounds[4 * site + 1]!, bounds[4 * site + 2]!, bounds[4 * site + 3]!],
    planned: isPlanned,
  };
}

/**
 * The Site objects of a partition (groupSiteIndex), sorted by id. One pass over the
 * records in input order, which reads them in the order they usually lie in memory (see
 * prepareItems), builds the sites of one report and notes what the others need; a second
 * pass builds those.
 */
export function sitesOfIndex(index: SiteIndex, checklist: Checklist): Site[] {
  const groupIds = checklist.groups.map((group) => group.id);
  const { inputOrder, siteOf, memberStart, siteCount } = index;
  const felt = new FeltUnsafeTemplates();
  const facts = newMemberFacts(inputOrder.length, siteCount);
  const sites: Site[] = new Array(siteCount);
  for (let k = 0; k < inputOrder.length; k++) {
    const item = inputOrder[k]!;
    const site = siteOf[item]!;
    if (memberStart[site + 1]! - memberStart[site]! === 1) {
      sites[site] = loneSite(index, item, groupIds, felt);
    } else {
      noteMember(index, item, site, facts);
    }
  }
  const scratch: string[][] = [[], []];
  for (let site = 0; site < siteCount; site++) {
    if (memberStart[site + 1]! - memberStart[site]! > 1) {
      sites[site] = buildSite(index, site, groupIds, facts, scratch);
    }
  }
  return sites;
}

/**
 * Group observations into sites (see the rules at the top of this file). Deterministic and
 * independent of input order; sorted by site id. Throws when an observation id is given
 * twice (a programmer error: a store holds one record per id).
 */
export function groupSites(
  observations: readonly ObservationRecord[],
  links: readonly SiteLinkRecord[],
  checklist: Checklist,
): Site[] {
  return sitesOfIndex(groupSiteIndex(observations, links, checklist), checklist);
}

// ---------------------------------------------------------------------------------------
// Nearby reports, while recording

/** FixMyStreet shows reports within 250 m as "already reported nearby". */
export const NEARBY_RADIUS_M = 250;

export interface NearbyReport {
  observation: ObservationRecord;
  /** To the nearest point of the observation's geometry (0 inside a polygon). */
  distanceM: number;
}

/**
 * Live observations of `categoryId` within `radiusM` of `position` (lon/lat), nearest
 * first (then by id). A linear scan: the category test and a latitude window skip most
 * observations before any projection, which keeps a call on 10,000 observations well under
 * a millisecond (test/bench/sites.bench.ts), so it can run on every GPS fix.
 */
export function nearbyReports(
  observations: readonly ObservationRecord[],
  position: readonly [number, number] | Position,
  categoryId: string,
  options: { radiusM?: number; excludeId?: string } = {},
): NearbyReport[] {
  const radiusM = options.radiusM ?? NEARBY_RADIUS_M;
  const lon = position[0]!;
  const lat = position[1]!;
  const scale = mercatorScale(lat);
  const x = mercatorX(lon);
  const y = mercatorY(lat);
  // Degrees of latitude per metre is nearly constant; 1 % margin for the ellipsoid.
  const latitudeWindow = (radiusM / 111_000) * 1.01;
  const longitudeWindow = latitudeWindow / Math.max(scale, 0.01);
  const reach = (radiusM / scale) * 1.01;
  const found: NearbyReport[] = [];
  for (const observation of observations) {
    const fields = observation.fields;
    if (fields.categoryId !== categoryId || observation.deleted || fields.geometry === null)
      continue;
    if (observation.id === options.excludeId) continue;
    const geometry = fields.geometry;
    let distanceM: number;
    if (geometry.type === "Point") {
      const pointLon = geometry.coordinates[0]!;
      const pointLat = geometry.coordinates[1]!;
      if (Math.abs(pointLat - lat) > latitudeWindow) continue;
      if (Math.abs(pointLon - lon) > longitudeWindow) continue;
      const dx = mercatorX(pointLon) - x;
      const dy = mercatorY(pointLat) - y;
      distanceM = Math.sqrt(dx * dx + dy * dy) * scale;
    } else {
      const shape = planarShape(geometry);
      if (shape.minX > x + reach || shape.maxX < x - reach) continue;
      if (shape.minY > y + reach || shape.maxY < y - reach) continue;
      distanceM = pointShapeDistance(x, y, shape) * scale;
    }
    if (distanceM <= radiusM) found.push({ observation, distanceM });
  }
  return found.sort(
    (a, b) =>
      a.distanceM - b.distanceM ||
      (a.observation.id < b.observation.id ? -1 : a.observation.id > b.observation.id ? 1 : 0),
  );
}

// ---------------------------------------------------------------------------------------
// Planner actions: the records to write

/**
 * Replace links of `relation` that tie a member of part 0 to a member of part 1 (either way
 * round): each is tombstoned, and what else it said is written again as up to three new
 * links, so a join or split never undoes another decision of the planner.
 *
 * With A and B cut into part 0, part 1 and the rest (2), the kept pairs are
 * A0×(B0 ∪ B2), A1×(B1 ∪ B2) and A2×B: everything but A0×B1 and A1×B0.
 */
function withoutCrossPairs(
  links: readonly SiteLinkRecord[],
  relation: SiteRelation,
  partOf: (id: string) => 0 | 1 | 2,
  projectId: string,
  ctx: EditContext,
): SiteLinkRecord[] {
  const written: SiteLinkRecord[] = [];
  const sorted = [...links].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const link of sorted) {
    if (!isUsableLink(link) || link.fields.relation !== relation) continue;
    const a = [0, 1, 2].map((part) => link.fields.groupA.filter((id) => partOf(id) === part));
    const b = [0, 1, 2].map((part) => link.fields.groupB.filter((id) => partOf(id) === part));
    const crosses =
      (a[0]!.length > 0 && b[1]!.length > 0) || (a[1]!.length > 0 && b[0]!.length > 0);
    if (!crosses) continue;
    written.push(tombstoneRecord(link, EMPTY_SITE_LINK_FIELDS, ctx));
    const remnants: [string[], string[]][] = [
      [a[0]!, [...b[0]!, ...b[2]!]],
      [a[1]!, [...b[1]!, ...b[2]!]],
      [a[2]!, link.fields.groupB],
    ];
    for (const [groupA, groupB] of remnants) {
      if (groupA.length === 0 || groupB.length === 0) continue;
      written.push(createSiteLink(projectId, { relation, groupA, groupB }, ctx));
    }
  }
  return written;
}

/**
 * A planner says two sites are one place. Returns the records to write: "different" links
 * between the two sites' members, tombstoned (their other pairs written again as new links),
 * and one new "same" link {groupA: a's members, groupB: b's members}. Throws for sites of
 * different checklist groups (the UI must not offer that) or a site joined with itself.
 */
export function joinSites(
  a: Site,
  b: Site,
  links: readonly SiteLinkRecord[],
  projectId: string,
  ctx: EditContext,
): SiteLinkRecord[] {
  if (a.id === b.id) throw new Error(`joinSites: ${a.id} cannot be joined with itself`);
  if (a.groupId !== b.groupId) {
    throw new Error(
      `joinSites: ${a.id} is ${a.groupId} and ${b.id} is ${b.groupId}; only sites of one checklist group can be one place`,
    );
  }
  const inA = new Set(a.memberIds);
  const inB = new Set(b.memberIds);
  const partOf = (id: string) => (inA.has(id) ? 0 : inB.has(id) ? 1 : 2);
  return [
    ...withoutCrossPairs(links, "different", partOf, projectId, ctx),
    createSiteLink(projectId, { relation: "same", groupA: a.memberIds, groupB: b.memberIds }, ctx),
  ];
}

/**
 * A planner says some reports of a site are another place. Returns the records to write:
 * "same" links that tie `separate` to the rest of the site, tombstoned (their other pairs
 * written again as new links), and one new "different" link {groupA: separate, groupB: the
 * rest}. The separated reports form one site again only if they are the same place among
 * themselves (by distance or by a link). Throws when `separate` is empty, is the whole site,
 * or names a report that is not a member.
 */
export function splitSite(
  site: Site,
  separate: readonly string[],
  links: readonly SiteLinkRecord[],
  projectId: string,
  ctx: EditContext,
): SiteLinkRecord[] {
  const moving = new Set(separate);
  const stranger = separate.find((id) => !site.memberIds.includes(id));
  if (stranger !== undefined) throw new Error(`splitSite: ${stranger} is not in ${site.id}`);
  const rest = site.memberIds.filter((id) => !moving.has(id));
  if (moving.size === 0 || rest.length === 0) {
    throw new Error(`splitSite: separate some but not all reports of ${site.id}`);
  }
  const inSite = new Set(site.memberIds);
  const partOf = (id: string) => (moving.has(id) ? 0 : inSite.has(id) ? 1 : 2);
  return [
    ...withoutCrossPairs(links, "same", partOf, projectId, ctx),
    createSiteLink(projectId, { relation: "different", groupA: [...moving], groupB: rest }, ctx),
  ];
}
