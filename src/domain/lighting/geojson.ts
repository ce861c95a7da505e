/**
 * Results as GeoJSON features and one summary object with snake_case keys: what `lykta
 * lighting` writes and prints, and what the app's map layer draws. Attributes and units are
 * documented in docs/format.md ("Lighting analysis").
 */
import type { Feature, LineString } from "geojson";
import type { LightingClassesFile } from "./classes";
import type { LightingModel } from "./model";
import {
  type AreaSummary,
  type ClassSummary,
  type CoverageResult,
  type DarkGap,
  type IlluminanceResult,
  type LengthTotals,
  PIECE_STATES,
} from "./types";

/** Metres with centimetres, lux with two decimals: more would be noise. */
const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
const roundOrNull = (value: number | null, digits: number) =>
  value === null || !Number.isFinite(value) ? null : round(value, digits);
/** RFC 7946 §11.2: seven decimals of a degree are about a centimetre. */
const roundPosition = (position: number[]) => [round(position[0]!, 7), round(position[1]!, 7)];

export interface PieceProperties {
  path_id: string;
  path_class: string;
  name: string | null;
  state: string;
  length_m: number;
  start_m: number;
  end_m: number;
  lit_tag: string;
  e_avg_lux?: number;
  e_min_lux?: number;
  uniformity?: number | null;
  target_class?: string | null;
  compliant?: boolean | null;
}

/** One LineString feature per piece, in piece order. */
export function pieceFeatures(
  model: LightingModel,
  result: CoverageResult | IlluminanceResult,
  classes: LightingClassesFile,
): Feature<LineString, PieceProperties>[] {
  const { pieces } = result;
  const paths = model.pathColumns;
  const features: Feature<LineString, PieceProperties>[] = [];
  for (let i = 0; i < pieces.count; i++) {
    const p = pieces.pathIndex[i]!;
    const startM = pieces.startM[i]!;
    const endM = pieces.endM[i]!;
    const properties: PieceProperties = {
      path_id: paths.id[p]!,
      path_class: paths.pathClass[p] ?? "unclassified",
      name: paths.name[p] ?? null,
      state: PIECE_STATES[pieces.state[i]!]!,
      length_m: round(endM - startM, 2),
      start_m: round(startM, 2),
      end_m: round(endM, 2),
      lit_tag: paths.lit[p]!,
    };
    if (result.mode === "illuminance") {
      properties.e_avg_lux = round(result.eAvgLux[i]!, 2);
      properties.e_min_lux = round(result.eMinLux[i]!, 2);
      properties.uniformity = roundOrNull(result.uniformity[i]!, 3);
      const target = result.targetClassIndex[i]!;
      properties.target_class = target < 0 ? null : (classes.pClasses[target]?.id ?? null);
      const compliant = result.compliant[i]!;
      properties.compliant = compliant < 0 ? null : compliant === 1;
    }
    features.push({
      type: "Feature",
      geometry: { type: "LineString", coordinates: model.pieceLine(pieces, i).map(roundPosition) },
      properties,
    });
  }
  return features;
}

function totalsJson(totals: LengthTotals) {
  const taggedLit = round(totals.taggedLitM, 2);
  const dark = round(totals.darkM, 2);
  const unknown = round(totals.unknownM, 2);
  return {
    paths_m: round(totals.pathsM, 2),
    lit_by_lamp_m: round(totals.litByLampM, 2),
    // The sum of the rounded parts, so the three add up to it (to within float rounding).
    unlit_m: round(taggedLit + dark + unknown, 2),
    tagged_lit_m: taggedLit,
    dark_m: dark,
    unknown_m: unknown,
  };
}

function classJson(entry: ClassSummary) {
  return {
    path_class: entry.pathClass,
    target_class: entry.targetClass,
    importance: entry.importance,
    ...totalsJson(entry),
    compliant_m: roundOrNull(entry.compliantM, 2),
    compliant_share: roundOrNull(entry.compliantShare, 4),
  };
}

function areaJson(entry: AreaSummary) {
  return {
    area_id: entry.id,
    name: entry.name,
    ...totalsJson(entry),
    compliant_m: roundOrNull(entry.compliantM, 2),
    compliant_share: roundOrNull(entry.compliantShare, 4),
    classes: entry.byClass.map(classJson),
  };
}

function gapJson(gap: DarkGap) {
  return {
    rank: gap.rank,
    path_id: gap.pathId,
    path_class: gap.pathClass,
    name: gap.name,
    start: roundPosition(gap.start),
    end: roundPosition(gap.end),
    start_m: round(gap.startM, 2),
    end_m: round(gap.endM, 2),
    length_m: round(gap.lengthM, 2),
    dark_m: round(gap.darkM, 2),
    unknown_m: round(gap.unknownM, 2),
    tagged_lit_m: round(gap.taggedLitM, 2),
    importance: gap.importance,
    score: round(gap.score, 2),
    nearby: gap.nearby.map((poi) => ({
      id: poi.id,
      kind: poi.kind,
      name: poi.name,
      distance_m: round(poi.distanceM, 1),
    })),
    nearest_working_lamp_m: roundOrNull(gap.reasons.nearestWorkingLampM, 1),
    off_lamp_ids: gap.reasons.offLampIds,
    reported_broken_lamp_ids: gap.reasons.reportedBrokenLampIds,
    lit_tag: gap.reasons.lit,
    dark_report_ids: gap.reasons.darkReportIds,
  };
}

/**
 * The summary `lykta lighting` prints: totals (paths_m, unlit_m = tagged_lit_m + dark_m +
 * unknown_m, ...), per class, per area, lamp counts, and the first `gapLimit` gaps.
 */
export function summaryJson(result: CoverageResult | IlluminanceResult, gapLimit = 20) {
  const base = {
    mode: result.mode,
    radius_m: result.radiusM,
    ...totalsJson(result.totals),
    lamps: {
      total: result.lamps.total,
      working: result.lamps.working,
      off: result.lamps.off,
      reported_broken: result.lamps.reportedBroken,
      removed: result.lamps.removed,
      unlinked_broken_reports: result.lamps.unlinkedReports,
    },
    classes: result.byClass.map(classJson),
    areas: result.byArea.map(areaJson),
    gap_count: result.gapCount,
    gaps: result.gaps.slice(0, gapLimit).map(gapJson),
    max_scale_error: Number(result.maxScaleError.toPrecision(2)),
  };
  if (result.mode === "coverage") return base;
  return {
    ...base,
    step_m: result.stepM,
    maintenance_factor: result.maintenanceFactor,
    measurements: result.measurements.map((entry) => ({
      observation_id: entry.observationId,
      position: roundPosition(entry.position),
      measured_lux: entry.measuredLux,
      modelled_lux: round(entry.modelledLux, 2),
      distance_to_path_m: roundOrNull(entry.distanceToPathM, 1),
    })),
  };
}

/**
 * The pieces as a GeoJSON FeatureCollection in the header style of every Lykta export
 * (docs/format.md, "Header": `name`, `lykta` with format, formatVersion, kind "lighting" and
 * the attribution), one feature per line, with the properties of pieceFeatures. Written as
 * text directly (a city has tens of thousands of pieces).
 */
export function piecesGeoJsonText(
  model: LightingModel,
  result: CoverageResult | IlluminanceResult,
  classes: LightingClassesFile,
  header: { name: string; attribution?: string },
): string {
  const lykta: Record<string, unknown> = {
    format: "lykta-geojson",
    formatVersion: 1,
    kind: "lighting",
  };
  if (header.attribution) lykta.attribution = header.attribution;
  const head = JSON.stringify({ type: "FeatureCollection", name: header.name, lykta });
  const { pieces } = result;
  const lines: string[] = new Array(pieces.count);
  const illuminance = result.mode === "illuminance" ? result : null;
  const paths = model.pathColumns;
  const pathText = paths.id.map(
    (id, p) =>
      `"path_id":${JSON.stringify(id)},"path_class":${JSON.stringify(paths.pathClass[p] ?? "unclassified")},"name":${JSON.stringify(paths.name[p] ?? null)}`,
  );
  for (let i = 0; i < pieces.count; i++) {
    const p = pieces.pathIndex[i]!;
    const startM = pieces.startM[i]!;
    const endM = pieces.endM[i]!;
    const coordinates = model
      .pieceLine(pieces, i)
      .map((position) => `[${round(position[0]!, 7)},${round(position[1]!, 7)}]`)
      .join(",");
    let properties = `${pathText[p]},"state":"${PIECE_STATES[pieces.state[i]!]}","length_m":${round(endM - startM, 2)},"start_m":${round(startM, 2)},"end_m":${round(endM, 2)},"lit_tag":"${paths.lit[p]}"`;
    if (illuminance !== null) {
      const target = illuminance.targetClassIndex[i]!;
      const compliant = illuminance.compliant[i]!;
      properties += `,"e_avg_lux":${round(illuminance.eAvgLux[i]!, 2)},"e_min_lux":${round(illuminance.eMinLux[i]!, 2)},"uniformity":${roundOrNull(illuminance.uniformity[i]!, 3)},"target_class":${target < 0 ? "null" : JSON.stringify(classes.pClasses[target]?.id ?? null)},"compliant":${compliant < 0 ? "null" : compliant === 1}`;
    }
    lines[i] =
      `{"type":"Feature","geometry":{"type":"LineString","coordinates":[${coordinates}]},"properties":{${properties}}}`;
  }
  const body = lines.length === 0 ? "[]" : `[\n${lines.join(",\n")}\n]`;
  return `${head.slice(0, -1)},"features":${body}}\n`;
}

const encoder = new TextEncoder();
const ascii = (text: string) => encoder.encode(text);
const FEATURE_START = ascii('{"type":"Feature","geometry":{"type":"LineString","coordinates":[');
const PROPERTIES_START = ascii(']},"properties":{');
const STATE_TEXT = PIECE_STATES.map((state) => ascii(`,"state":"${state}","length_m":`));
const START_M = ascii(',"start_m":');
const END_M = ascii(',"end_m":');
const E_AVG = ascii(',"e_avg_lux":');
const E_MIN = ascii(',"e_min_lux":');

/** Copies `chunk` to `bytes` at `at`; returns the end. Small chunks byte by byte. */
function put(bytes: Uint8Array, at: number, chunk: Uint8Array): number {
  const count = chunk.length;
  if (count > 32) {
    bytes.set(chunk, at);
    return at + count;
  }
  for (let i = 0; i < count; i++) bytes[at + i] = chunk[i]!;
  return at + count;
}

/** 10^digits for the digits the writer uses (exact doubles). */
const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * Writes `String(round(value, digits))` to `bytes` at `at` without making the string; returns
 * the end. The same characters whenever the rounded value has at most 15 significant digits
 * and needs no exponent (always for degrees with 7 decimals and metres with 2); else through
 * String. Needs 24 bytes of room, or the length of that string. `digits` is 0 to 9.
 */
export function putRounded(bytes: Uint8Array, at: number, value: number, digits: number): number {
  const factor = POWERS_OF_TEN[digits]!;
  const scaled = Math.round(value * factor);
  const magnitude = scaled < 0 ? -scaled : scaled;
  if (!(magnitude < 1e15) || (magnitude !== 0 && magnitude < factor / 1e6)) {
    return put(bytes, at, ascii(String(scaled / factor)));
  }
  if (scaled < 0) bytes[at++] = 0x2d; // "-"
  if (magnitude < 2147483648) {
    // The usual case (degrees with 7 decimals, metres with 2): int32 arithmetic.
    const m = magnitude | 0;
    const whole = (m / factor) | 0;
    at = putInteger(bytes, at, whole);
    let fraction = m - whole * factor;
    if (fraction > 0) {
      bytes[at++] = 0x2e; // "."
      // The decimals without trailing zeros, leading zeros kept.
      let places = digits;
      while (fraction % 10 === 0) {
        fraction = (fraction / 10) | 0;
        places--;
      }
      for (let k = at + places - 1; k >= at; k--) {
        const rest = (fraction / 10) | 0;
        bytes[k] = 0x30 + fraction - rest * 10;
        fraction = rest;
      }
      at += places;
    }
    return at;
  }
  // Integers below 1e15: divisions by 10 and floor are exact.
  let whole = Math.floor(magnitude / factor);
  let fraction = magnitude - whole * factor;
  let length = 1;
  for (let power = 10; power <= whole; power *= 10) length++;
  for (let k = length - 1; k >= 0; k--) {
    const rest = Math.floor(whole / 10);
    bytes[at + k] = 0x30 + (whole - rest * 10);
    whole = rest;
  }
  at += length;
  if (fraction > 0) {
    bytes[at++] = 0x2e; // "."
    let places = digits;
    while (fraction % 10 === 0) {
      fraction /= 10;
      places--;
    }
    for (let k = places - 1; k >= 0; k--) {
      const rest = Math.floor(fraction / 10);
      bytes[at + k] = 0x30 + (fraction - rest * 10);
      fraction = rest;
    }
    at += places;
  }
  return at;
}

/** Two ASCII digits per number below 100. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) =>
  i % 2 === 0 ? 0x30 + Math.floor(i / 20) : 0x30 + (((i - 1) / 2) % 10),
);

/** A non-negative int32 in decimal at `at`; returns the end. */
function putInteger(bytes: Uint8Array, at: number, value: number): number {
  let length = 1;
  for (let power = 10; power <= value && length < 10; power *= 10) length++;
  let k = at + length;
  let rest = value;
  while (rest >= 100) {
    const next = (rest / 100) | 0;
    const pair = 2 * (rest - next * 100);
    bytes[--k] = DIGIT_PAIRS[pair + 1]!;
    bytes[--k] = DIGIT_PAIRS[pair]!;
    rest = next;
  }
  if (rest >= 10) {
    bytes[--k] = DIGIT_PAIRS[2 * rest + 1]!;
    bytes[--k] = DIGIT_PAIRS[2 * rest]!;
  } else {
    bytes[--k] = 0x30 + rest;
  }
  return at + length;
}

/**
 * piecesGeoJsonText as UTF-8 bytes, byte for byte the same, written straight into one buffer
 * (no string per piece or number): `lykta lighting` writes a city's 9 MB with it.
 */
export function piecesGeoJsonBytes(
  model: LightingModel,
  result: CoverageResult | IlluminanceResult,
  classes: LightingClassesFile,
  header: { name: string; attribution?: string },
): Uint8Array {
  const lykta: Record<string, unknown> = {
    format: "lykta-geojson",
    formatVersion: 1,
    kind: "lighting",
  };
  if (header.attribution) lykta.attribution = header.attribution;
  const head = JSON.stringify({ type: "FeatureCollection", name: header.name, lykta });
  const { pieces } = result;
  const illuminance = result.mode === "illuminance" ? result : null;
  if (pieces.count === 0) return encoder.encode(`${head.slice(0, -1)},"features":[]}\n`);
  // About 330 bytes a piece in a city (8.8 MB for 27,484): room for all of them at once.
  let bytes = new Uint8Array(65536 + 400 * pieces.count);
  let at = put(bytes, 0, encoder.encode(`${head.slice(0, -1)},"features":[\n`));
  // Per path: the properties that come from the path, as bytes in one pool (made when the
  // path's first piece is written), and its lit tag.
  const paths = model.pathColumns;
  const pathStart = new Int32Array(paths.count).fill(-1);
  const pathEnd = new Int32Array(paths.count);
  let pool = new Uint8Array(64 * 1024);
  let poolUsed = 0;
  const litBytes = new Map<string, Uint8Array>();
  // Room for the longest path's positions (a piece has at most those and its two ends).
  let longest = 0;
  for (let p = 0; p < paths.count; p++) {
    const count = paths.vertexStart[p + 1]! - paths.vertexStart[p]!;
    if (count > longest) longest = count;
  }
  const line = new Float64Array(2 * (longest + 2));
  const { pathIndex, startM: starts, endM: ends, state } = pieces;
  for (let i = 0; i < pieces.count; i++) {
    const p = pathIndex[i]!;
    if (pathStart[p]! < 0) {
      const text = `"path_id":${JSON.stringify(paths.id[p])},"path_class":${JSON.stringify(paths.pathClass[p] ?? "unclassified")},"name":${JSON.stringify(paths.name[p] ?? null)}`;
      // At most 3 bytes of UTF-8 per UTF-16 unit.
      if (poolUsed + 3 * text.length > pool.length) {
        const larger = new Uint8Array(Math.max(2 * pool.length, poolUsed + 3 * text.length));
        larger.set(pool.subarray(0, poolUsed));
        pool = larger;
      }
      pathStart[p] = poolUsed;
      poolUsed += encoder.encodeInto(text, pool.subarray(poolUsed)).written;
      pathEnd[p] = poolUsed;
    }
    const propertiesStart = pathStart[p]!;
    const propertiesEnd = pathEnd[p]!;
    const litTag = paths.lit[p]!;
    let lit = litBytes.get(litTag);
    if (lit === undefined) {
      lit = ascii(`,"lit_tag":"${litTag}"}}`);
      litBytes.set(litTag, lit);
    }
    const extra =
      illuminance === null
        ? null
        : ascii(
            `,"uniformity":${roundOrNull(illuminance.uniformity[i]!, 3)},"target_class":${illuminance.targetClassIndex[i]! < 0 ? "null" : JSON.stringify(classes.pClasses[illuminance.targetClassIndex[i]!]?.id ?? null)},"compliant":${illuminance.compliant[i]! < 0 ? "null" : illuminance.compliant[i] === 1}`,
          );
    const startM = starts[i]!;
    const endM = ends[i]!;
    const positions = model.pathLineInto(p, startM, endM, line);
    // Room for this piece: numbers take at most 24 bytes each.
    const room = 400 + 52 * positions + (propertiesEnd - propertiesStart) + (extra?.length ?? 0);
    if (at + room > bytes.length) {
      const next = new Uint8Array(Math.max(bytes.length * 2, at + room));
      next.set(bytes.subarray(0, at));
      bytes = next;
    }
    if (i > 0) {
      bytes[at++] = 0x2c; // ","
      bytes[at++] = 0x0a; // "\n"
    }
    at = put(bytes, at, FEATURE_START);
    for (let k = 0; k < positions; k++) {
      if (k > 0) bytes[at++] = 0x2c;
      bytes[at++] = 0x5b; // "["
      at = putRounded(bytes, at, line[2 * k]!, 7);
      bytes[at++] = 0x2c;
      at = putRounded(bytes, at, line[2 * k + 1]!, 7);
      bytes[at++] = 0x5d; // "]"
    }
    at = put(bytes, at, PROPERTIES_START);
    for (let k = propertiesStart; k < propertiesEnd; k++) bytes[at++] = pool[k]!;
    at = put(bytes, at, STATE_TEXT[state[i]!]!);
    at = putRounded(bytes, at, endM - startM, 2);
    at = put(bytes, at, START_M);
    at = putRounded(bytes, at, startM, 2);
    at = put(bytes, at, END_M);
    at = putRounded(bytes, at, endM, 2);
    if (illuminance !== null) {
      // lit_tag, then the illuminance properties, then the closing braces.
      at = put(bytes, at, lit.subarray(0, lit.length - 2));
      at = put(bytes, at, E_AVG);
      at = putRounded(bytes, at, illuminance.eAvgLux[i]!, 2);
      at = put(bytes, at, E_MIN);
      at = putRounded(bytes, at, illuminance.eMinLux[i]!, 2);
      at = put(bytes, at, extra!);
      bytes[at++] = 0x7d;
      bytes[at++] = 0x7d;
    } else {
      at = put(bytes, at, lit);
    }
  }
  const end = ascii("\n]}\n");
  if (at + end.length > bytes.length) {
    const next = new Uint8Array(at + end.length);
    next.set(bytes.subarray(0, at));
    bytes = next;
  }
  at = put(bytes, at, end);
  return bytes.subarray(0, at);
}
