/**
 * The model's paths and lamps straight from a scanned GeoJSON file (import/geojson-scan.ts),
 * as columns: what pathsFromFeatures and lampsFromFeatures (inputs.ts) give for the features
 * of the same file, without an object per feature, position or lamp. Only the properties the
 * analysis reads are decoded. inputs-scan.test.ts checks both give the same on real, made
 * and mutated files.
 *
 * A scanned file is clean (geojson-scan.ts), so every property is a scalar: no feature is a
 * normalised layer feature (those keep an object under `source`).
 */
import {
  type GeoJsonScan,
  SCAN_GEOMETRY_TYPES,
  SCAN_LINE_STRING,
  SCAN_MULTI_LINE_STRING,
  SCAN_POINT,
  scanFeatureId,
  scanLiteral,
  VALUE_ASCII,
  VALUE_NONE,
  VALUE_UTF8,
} from "../import/geojson-scan";
import {
  defaultPathClass,
  detectFieldMapping,
  type FieldMapping,
  type LitValue,
  parseLit,
  parseMeasure,
} from "../layers";
import { type LeftOut, LIGHTING_INPUT_REASONS, type PathsFromFeaturesOptions } from "./inputs";
import { parseLampStatus } from "./photometry";
import { LAMP_STATUS_CODES, type LightingLampColumns, type LightingPathColumns } from "./types";

type Scalar = string | number | boolean | null | undefined;

/** Strings cached per slot of a FieldReader (a power of two). */
const CACHE_SIZE = 64;

/**
 * The values of a few keys, feature by feature: load(f) finds feature f's properties of
 * those keys in one pass over its properties, value(slot) decodes one. Strings are decoded
 * once per distinct bytes (as far as a small cache per key holds them): a lamp file repeats
 * "node" and "street_lamp" tens of thousands of times, a path file a few highway values.
 */
class FieldReader {
  /** Per key id of the scan: the slot of the reader, or -1. */
  private readonly slotOfKey: Int8Array;
  /** Per slot: the slot that reads the same key, or -1. */
  private readonly duplicates: number[];
  /** Per slot: the property index in the loaded feature, or -1. */
  private readonly found: Int32Array;
  /** Per slot and cache entry: the hash and bytes (as a range of the file) of a string. */
  private readonly cacheHash: Int32Array;
  private readonly cacheStart: Int32Array;
  private readonly cacheEnd: Int32Array;
  private readonly cacheText: string[];

  /** `names[slot]`: the key read into that slot (null: none). */
  constructor(
    private readonly scan: GeoJsonScan,
    names: readonly (string | null)[],
  ) {
    this.slotOfKey = new Int8Array(scan.keys.length).fill(-1);
    names.forEach((name, slot) => {
      const key = name === null ? -1 : scan.keys.indexOf(name);
      // The first slot of a key that is read twice (a field mapped to "highway", say) keeps it.
      if (key >= 0 && this.slotOfKey[key] === -1) this.slotOfKey[key] = slot;
    });
    this.duplicates = names.map((name, slot) => {
      const first = name === null ? -1 : names.indexOf(name);
      return first >= 0 && first !== slot ? first : -1;
    });
    this.found = new Int32Array(names.length).fill(-1);
    this.cacheHash = new Int32Array(names.length * CACHE_SIZE);
    this.cacheStart = new Int32Array(names.length * CACHE_SIZE).fill(-1);
    this.cacheEnd = new Int32Array(names.length * CACHE_SIZE);
    this.cacheText = new Array<string>(names.length * CACHE_SIZE).fill("");
  }

  load(f: number): void {
    const { found, slotOfKey } = this;
    found.fill(-1);
    const scan = this.scan;
    const end = scan.propertyStart[f + 1]!;
    for (let k = scan.propertyStart[f]!; k < end; k++) {
      const slot = slotOfKey[scan.propertyKey[k]!]!;
      if (slot >= 0) found[slot] = k;
    }
  }

  /** The loaded feature's value of the slot's key, undefined when it has none. */
  value(slot: number): Scalar {
    const duplicate = this.duplicates[slot]!;
    const k = this.found[duplicate >= 0 ? duplicate : slot]!;
    if (k < 0) return undefined;
    const scan = this.scan;
    const kind = scan.valueKind[k]!;
    const start = scan.valueStart[k]!;
    const end = scan.valueEnd[k]!;
    if (kind !== VALUE_ASCII && kind !== VALUE_UTF8) return scanLiteral(scan, kind, start, end);
    const bytes = scan.bytes;
    let hash = 0;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + bytes[i]!) | 0;
    const entry = slot * CACHE_SIZE + (hash & (CACHE_SIZE - 1));
    const cached = this.cacheStart[entry]!;
    if (
      cached >= 0 &&
      this.cacheHash[entry] === hash &&
      this.cacheEnd[entry]! - cached === end - start
    ) {
      let same = true;
      for (let i = 0; same && i < end - start; i++) same = bytes[start + i] === bytes[cached + i];
      if (same) return this.cacheText[entry]!;
    }
    const text = scanLiteral(scan, kind, start, end) as string;
    this.cacheHash[entry] = hash;
    this.cacheStart[entry] = start;
    this.cacheEnd[entry] = end;
    this.cacheText[entry] = text;
    return text;
  }
}

/** `parse` of a value, once per distinct string (numbers and the rest are parsed each time). */
function memoised<T>(parse: (value: Scalar) => T): (value: Scalar) => T {
  const known = new Map<string, T>();
  return (value) => {
    if (typeof value !== "string") return parse(value);
    let result = known.get(value);
    if (result === undefined) {
      result = parse(value);
      known.set(value, result);
    }
    return result;
  };
}

/** Slots of every reader: the keys featureId (inputs.ts) reads. */
const OSM_ID = 0;
const OSM_TYPE = 1;
const ID_KEYS = ["@id", "@type"];

/** featureId (inputs.ts) of the loaded feature f: OSM "way/123", the feature id, or its index. */
function scanId(scan: GeoJsonScan, fields: FieldReader, f: number): string {
  const osmId = fields.value(OSM_ID);
  if (typeof osmId === "string" && osmId !== "") return osmId;
  if (typeof osmId === "number") {
    const osmType = fields.value(OSM_TYPE);
    if (typeof osmType === "string") return `${osmType}/${osmId}`;
  }
  if (scan.idKind[f] !== VALUE_NONE) {
    const id = scanFeatureId(scan, f);
    if (id !== "") return String(id);
  }
  return `features[${f}]`;
}

/**
 * propertyNames (layers.ts) of the scanned features that pass `include`: most frequent first
 * in a sample of every step-th feature, ties in the order first seen.
 */
export function scanPropertyNames(
  scan: GeoJsonScan,
  include: ((f: number) => boolean) | null,
  sample = 2000,
): string[] {
  let included = scan.featureCount;
  if (include !== null) {
    included = 0;
    for (let f = 0; f < scan.featureCount; f++) if (include(f)) included++;
  }
  const counts = new Map<number, number>();
  const step = Math.max(1, Math.floor(included / sample));
  // Every step-th of the included features, as propertyNames samples the list it is given.
  let position = 0;
  for (let f = 0; f < scan.featureCount; f++) {
    if (include !== null && !include(f)) continue;
    if (position++ % step !== 0) continue;
    for (let k = scan.propertyStart[f]!; k < scan.propertyStart[f + 1]!; k++) {
      const key = scan.propertyKey[k]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([key]) => scan.keys[key]!);
}

/** Does any feature have this property (`feature.properties[name] !== undefined`)? */
export function scanHasProperty(scan: GeoJsonScan, name: string): boolean {
  const key = scan.keys.indexOf(name);
  if (key < 0) return false;
  return scan.propertyKey.includes(key);
}

/** looksLikeOsm (layers.ts) of the scanned features. */
export function scanLooksLikeOsm(scan: GeoJsonScan, sample = 200): boolean {
  const step = Math.max(1, Math.floor(scan.featureCount / sample));
  const fields = new FieldReader(scan, ID_KEYS);
  let osm = 0;
  let seen = 0;
  for (let f = 0; f < scan.featureCount; f += step) {
    seen += 1;
    fields.load(f);
    const id = fields.value(OSM_ID) ?? scanFeatureId(scan, f);
    if (typeof id === "string" && /^(node|way|relation)\/\d+$/.test(id)) osm += 1;
    else if (typeof id === "number" && typeof fields.value(OSM_TYPE) === "string") osm += 1;
  }
  return seen > 0 && osm / seen >= 0.5;
}

/** Slots of the paths' reader. */
const PATH_CLASS = 2;
const LIT = 3;
const NAME = 4;
const HIGHWAY = 5;
const FOOTWAY = 6;

/** pathsFromFeatures (inputs.ts) of a scanned file, as columns. */
export function pathsFromScan(
  scan: GeoJsonScan,
  options: PathsFromFeaturesOptions,
): { paths: LightingPathColumns; leftOut: LeftOut[] } {
  const mapping: FieldMapping = {
    ...(options.mapping ?? detectFieldMapping("paths", scanPropertyNames(scan, null))),
  };
  if (options.classField !== undefined) mapping.pathClass = options.classField;
  const litField = mapping.lit ?? null;
  const fields = new FieldReader(scan, [
    ...ID_KEYS,
    mapping.pathClass ?? null,
    litField,
    mapping.name ?? null,
    "highway",
    "footway",
  ]);
  const knownClasses = new Set(options.pathClasses.classes.map((entry) => entry.id));
  const litOf = memoised(parseLit);
  const { geometryType, featurePart, partVertex } = scan;
  const source = scan.lonLat;

  // Every line part is a path (a scanned line has no repeated positions, so none is short).
  let pathCount = 0;
  let vertexCount = 0;
  for (let f = 0; f < scan.featureCount; f++) {
    const type = geometryType[f];
    if (type !== SCAN_LINE_STRING && type !== SCAN_MULTI_LINE_STRING) continue;
    pathCount += featurePart[f + 1]! - featurePart[f]!;
    vertexCount += partVertex[featurePart[f + 1]!]! - partVertex[featurePart[f]!]!;
  }
  const vertexStart = new Uint32Array(pathCount + 1);
  const lonLat = new Float64Array(2 * vertexCount);
  const id: string[] = new Array(pathCount);
  const pathClass: (string | null)[] = new Array(pathCount);
  const lit: LitValue[] = new Array(pathCount);
  const name: (string | null)[] = new Array(pathCount);
  const leftOut: LeftOut[] = [];
  const tags: { highway: Scalar; footway: Scalar } = { highway: undefined, footway: undefined };
  let p = 0;
  let v = 0;
  for (let f = 0; f < scan.featureCount; f++) {
    const type = geometryType[f]!;
    if (type !== SCAN_LINE_STRING && type !== SCAN_MULTI_LINE_STRING) {
      leftOut.push({
        where: `features[${f}]`,
        code: LIGHTING_INPUT_REASONS.notALine,
        message: `a ${SCAN_GEOMETRY_TYPES[type]} is not a path (paths are LineStrings)`,
      });
      continue;
    }
    fields.load(f);
    const mapped = fields.value(PATH_CLASS);
    let featureClass: string | null;
    if (typeof mapped === "string" && knownClasses.has(mapped)) featureClass = mapped;
    else {
      tags.highway = fields.value(HIGHWAY);
      tags.footway = fields.value(FOOTWAY);
      featureClass = defaultPathClass(tags, options.pathClasses);
    }
    const featureLit = litField === null ? "unknown" : litOf(fields.value(LIT));
    const named = fields.value(NAME);
    const featureName =
      named === undefined || named === null || named === "" ? null : String(named);
    const featureId = scanId(scan, fields, f);
    for (let k = featurePart[f]!; k < featurePart[f + 1]!; k++) {
      // distinctPositions (inputs.ts): a position equal to the one before is left out.
      const first = v;
      for (let s = partVertex[k]!; s < partVertex[k + 1]!; s++) {
        const x = source[2 * s]!;
        const y = source[2 * s + 1]!;
        if (v > first && lonLat[2 * v - 2] === x && lonLat[2 * v - 1] === y) continue;
        lonLat[2 * v] = x;
        lonLat[2 * v + 1] = y;
        v++;
      }
      if (v - first < 2) {
        v = first;
        leftOut.push({
          where: `features[${f}]`,
          code: LIGHTING_INPUT_REASONS.tooShort,
          message: "a line needs at least two distinct positions",
        });
        continue;
      }
      id[p] = featureId;
      pathClass[p] = featureClass;
      lit[p] = featureLit;
      name[p] = featureName;
      vertexStart[p + 1] = v;
      p++;
    }
  }
  const paths: LightingPathColumns = {
    count: p,
    vertexStart: p === pathCount ? vertexStart : vertexStart.slice(0, p + 1),
    lonLat: v === vertexCount ? lonLat : lonLat.slice(0, 2 * v),
    id: p === pathCount ? id : id.slice(0, p),
    pathClass: p === pathCount ? pathClass : pathClass.slice(0, p),
    lit: p === pathCount ? lit : lit.slice(0, p),
    name: p === pathCount ? name : name.slice(0, p),
  };
  return { paths, leftOut };
}

/** Slots of the lamps' reader. */
const LAMP_HIGHWAY = 2;
const HEIGHT = 3;
const FLUX = 4;
const POWER = 5;
const STATUS = 6;
const REF = 7;

/** lampsFromFeatures (inputs.ts) of a scanned file, as columns. */
export function lampsFromScan(
  scan: GeoJsonScan,
  options: { mapping?: FieldMapping } = {},
): { lamps: LightingLampColumns; leftOut: LeftOut[] } {
  const { geometryType, featurePart, partVertex } = scan;
  const highway = new FieldReader(scan, ["highway"]);
  // OSM data (some point is a highway=street_lamp): only street lamps are lamps.
  let osmLamps = false;
  for (let f = 0; f < scan.featureCount && !osmLamps; f++) {
    if (geometryType[f] !== SCAN_POINT) continue;
    highway.load(f);
    osmLamps = highway.value(0) === "street_lamp";
  }
  const mapping =
    options.mapping ??
    detectFieldMapping(
      "lamps",
      scanPropertyNames(scan, (f) => geometryType[f] === SCAN_POINT),
    );
  const fields = new FieldReader(scan, [
    ...ID_KEYS,
    "highway",
    mapping.poleHeightM ?? null,
    mapping.luminousFluxLm ?? null,
    mapping.powerW ?? null,
    mapping.status ?? null,
    mapping.ref ?? null,
  ]);
  const leftOut: LeftOut[] = [];
  const measureOf = memoised((value) => parseMeasure(value) ?? Number.NaN);
  const statusOf = memoised((value) => LAMP_STATUS_CODES.indexOf(parseLampStatus(value)));
  // Columns for every feature, cut to the lamps at the end.
  const size = scan.featureCount;
  const lonLat = new Float64Array(2 * size);
  const poleHeightM = new Float64Array(size);
  const luminousFluxLm = new Float64Array(size);
  const powerW = new Float64Array(size);
  const status = new Uint8Array(size);
  const feature = new Uint32Array(size);
  let i = 0;
  for (let f = 0; f < size; f++) {
    const type = geometryType[f]!;
    let lamp = type === SCAN_POINT;
    if (lamp) {
      // belongsToRole("lamps", ...) (layers.ts).
      fields.load(f);
      const tag = fields.value(LAMP_HIGHWAY);
      if (osmLamps || typeof tag === "string") lamp = tag === "street_lamp";
    }
    if (!lamp) {
      leftOut.push({
        where: `features[${f}]`,
        code: LIGHTING_INPUT_REASONS.notALamp,
        message:
          type === SCAN_POINT
            ? "a point that is not a street lamp (OSM highway tag other than street_lamp)"
            : `a ${SCAN_GEOMETRY_TYPES[type]} is not a lamp (lamps are Points)`,
      });
      continue;
    }
    const vertex = partVertex[featurePart[f]!]!;
    lonLat[2 * i] = scan.lonLat[2 * vertex]!;
    lonLat[2 * i + 1] = scan.lonLat[2 * vertex + 1]!;
    poleHeightM[i] = measureOf(fields.value(HEIGHT));
    luminousFluxLm[i] = measureOf(fields.value(FLUX));
    powerW[i] = measureOf(fields.value(POWER));
    status[i] = statusOf(fields.value(STATUS));
    feature[i] = f;
    i++;
  }
  const cut = <T extends Float64Array | Uint8Array>(column: T, length: number): T =>
    column.length === length ? column : (column.slice(0, length) as T);
  const lamps: LightingLampColumns = {
    count: i,
    lonLat: cut(lonLat, 2 * i),
    // Ids and refs when asked for: a coverage run names no lamp.
    id: (lamp) => {
      const f = feature[lamp]!;
      fields.load(f);
      return scanId(scan, fields, f);
    },
    ref: (lamp) => {
      fields.load(feature[lamp]!);
      const ref = fields.value(REF);
      return ref === undefined || ref === null || ref === "" ? null : String(ref);
    },
    poleHeightM: cut(poleHeightM, i),
    luminousFluxLm: cut(luminousFluxLm, i),
    powerW: cut(powerW, i),
    efficacyLmPerW: new Float64Array(i).fill(Number.NaN),
    status: cut(status, i),
  };
  return { lamps, leftOut };
}
