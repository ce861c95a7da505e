/**
 * Intervals along a path, in metres from its first position: growable columns, grouping by
 * path, sorting and union. Plain loops over typed arrays: these run over hundreds of
 * thousands of intervals for a city.
 */

/** Growable columns of (path, start, end, tag) intervals. */
export class IntervalColumns {
  count = 0;
  path: Uint32Array;
  start: Float64Array;
  end: Float64Array;
  /** A lamp index, a report index, ...: whatever the producer needs to know later. */
  tag: Uint32Array;

  constructor(capacity = 1024) {
    this.path = new Uint32Array(capacity);
    this.start = new Float64Array(capacity);
    this.end = new Float64Array(capacity);
    this.tag = new Uint32Array(capacity);
  }

  push(path: number, start: number, end: number, tag: number): void {
    if (this.count === this.path.length) this.grow();
    const i = this.count++;
    this.path[i] = path;
    this.start[i] = start;
    this.end[i] = end;
    this.tag[i] = tag;
  }

  private grow(): void {
    const capacity = this.path.length * 2;
    const path = new Uint32Array(capacity);
    path.set(this.path);
    const start = new Float64Array(capacity);
    start.set(this.start);
    const end = new Float64Array(capacity);
    end.set(this.end);
    const tag = new Uint32Array(capacity);
    tag.set(this.tag);
    this.path = path;
    this.start = start;
    this.end = end;
    this.tag = tag;
  }
}

/**
 * Intervals grouped by path (compressed rows): path p's intervals are at
 * `offset[p] .. offset[p + 1] - 1`, sorted by start.
 */
export interface GroupedIntervals {
  offset: Uint32Array;
  start: Float64Array;
  end: Float64Array;
  tag: Uint32Array;
}

/** Group intervals by path (a counting sort), then sort each path's intervals by start. */
export function groupByPath(columns: IntervalColumns, pathCount: number): GroupedIntervals {
  const offset = new Uint32Array(pathCount + 1);
  for (let i = 0; i < columns.count; i++) offset[columns.path[i]! + 1]! += 1;
  for (let p = 0; p < pathCount; p++) offset[p + 1]! += offset[p]!;
  const cursor = offset.slice(0, pathCount);
  const start = new Float64Array(columns.count);
  const end = new Float64Array(columns.count);
  const tag = new Uint32Array(columns.count);
  for (let i = 0; i < columns.count; i++) {
    const at = cursor[columns.path[i]!]!++;
    start[at] = columns.start[i]!;
    end[at] = columns.end[i]!;
    tag[at] = columns.tag[i]!;
  }
  for (let p = 0; p < pathCount; p++) sortRange(start, end, tag, offset[p]!, offset[p + 1]!);
  return { offset, start, end, tag };
}

/** Sort [from, to) of three parallel columns by start (insertion sort: rows are short). */
export function sortRange(
  start: Float64Array,
  end: Float64Array,
  tag: Uint32Array,
  from: number,
  to: number,
): void {
  if (to - from > 48) {
    sortRangeLong(start, end, tag, from, to);
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const s = start[i]!;
    const e = end[i]!;
    const t = tag[i]!;
    let j = i - 1;
    while (j >= from && start[j]! > s) {
      start[j + 1] = start[j]!;
      end[j + 1] = end[j]!;
      tag[j + 1] = tag[j]!;
      j--;
    }
    start[j + 1] = s;
    end[j + 1] = e;
    tag[j + 1] = t;
  }
}

function sortRangeLong(
  start: Float64Array,
  end: Float64Array,
  tag: Uint32Array,
  from: number,
  to: number,
): void {
  const order = Array.from({ length: to - from }, (_, k) => from + k);
  order.sort((a, b) => start[a]! - start[b]!);
  const s = order.map((k) => start[k]!);
  const e = order.map((k) => end[k]!);
  const t = order.map((k) => tag[k]!);
  for (let k = 0; k < order.length; k++) {
    start[from + k] = s[k]!;
    end[from + k] = e[k]!;
    tag[from + k] = t[k]!;
  }
}

/**
 * Union of sorted intervals [from, to) (of lamps that are on, when `on` is given: on[tag]
 * is 1), written to outStart/outEnd from `at` as disjoint, sorted intervals (touching
 * intervals join: [0, 5] and [5, 9] give [0, 9]). Returns the end. The out columns need room
 * for to - from more.
 */
export function unionInto(
  start: Float64Array,
  end: Float64Array,
  tag: Uint32Array,
  from: number,
  to: number,
  on: Uint8Array | null,
  outStart: Float64Array,
  outEnd: Float64Array,
  at: number,
): number {
  let open = false;
  let currentStart = 0;
  let currentEnd = 0;
  for (let i = from; i < to; i++) {
    if (on !== null && on[tag[i]!] !== 1) continue;
    const s = start[i]!;
    const e = end[i]!;
    if (!open) {
      open = true;
      currentStart = s;
      currentEnd = e;
    } else if (s <= currentEnd) {
      if (e > currentEnd) currentEnd = e;
    } else {
      outStart[at] = currentStart;
      outEnd[at] = currentEnd;
      at++;
      currentStart = s;
      currentEnd = e;
    }
  }
  if (open) {
    outStart[at] = currentStart;
    outEnd[at] = currentEnd;
    at++;
  }
  return at;
}

/** Union of a list of [start, end] pairs (any order): sorted, disjoint. */
export function unionOfPairs(pairs: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1]) {
      if (e > last[1]) last[1] = e;
    } else {
      out.push([s, e]);
    }
  }
  return out;
}

/** Length of the part of [a, b] covered by sorted disjoint intervals (columns, [from, to)). */
export function coveredLength(
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  from: number,
  to: number,
  a: number,
  b: number,
): number {
  let total = 0;
  // Binary search for the first interval ending after a.
  let low = from;
  let high = to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (end[mid]! <= a) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < to; i++) {
    const s = start[i]!;
    if (s >= b) break;
    const e = end[i]!;
    total += Math.min(e, b) - Math.max(s, a);
  }
  return total;
}
