/**
 * The fast path of the GeoJSON importer (geojson.ts) for large, clean files: one pass over the
 * parsed FeatureCollection that checks what the full importer would check and builds the same
 * features, reusing the parsed position arrays instead of copying them.
 *
 * "Clean" means the full importer would keep every feature as it is and report nothing: a
 * FeatureCollection in WGS 84 (no `crs` member) with at least one feature; every feature
 * `"type": "Feature"` with a geometry that is not a GeometryCollection; positions of exactly
 * two finite numbers within WGS 84's range, with at most 7 decimals; no repeated position in
 * a line or ring; rings closed and wound by the right-hand rule; properties a flat object (or null or missing), an id a string,
 * a finite number or null; no `bbox` and no member RFC 7946 §7.1 forbids, anywhere.
 *
 * Anything else (a GeometryCollection, a clockwise outer ring, a third coordinate, a nested property, a type in the wrong case,
 * a position out of range, ...) returns null, and the caller runs the full importer, whose
 * messages say where and why. So the fast path never changes a result, only its cost
 * (geojson-fast.test.ts checks both paths give equal results).
 *
 * This module imports no CRS code (proj4) and no other importer: `lykta lighting` reads clean
 * GeoJSON through it without loading them (src/cli/lighting-command.ts).
 */
import type { Feature, Geometry, Position } from "geojson";
import { decodeText } from "./encoding";
import { FORBIDDEN_MEMBERS, isPlainObject, signedArea, WGS84_DECIMALS } from "./geojson-checks";
import type { ImportSuccess } from "./types";

const ROUNDING = 10 ** WGS84_DECIMALS;
/** Features between progress reports (as geojson.ts). */
const PROGRESS_EVERY = 2000;
/** domain/crs.ts WGS84 (not imported: that module loads proj4). */
const WGS84_CODE = "EPSG:4326";

/** No `bbox` and none of `forbidden` on `object`. */
function noForeignMembers(object: object, forbidden: readonly string[]): boolean {
  if ("bbox" in object) return false;
  for (let i = 0; i < forbidden.length; i++) if (forbidden[i]! in object) return false;
  return true;
}

/** A position the full importer keeps as it is: [x, y], finite, in range, 7 decimals at most. */
function cleanPosition(value: unknown): value is Position {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const x = value[0];
  const y = value[1];
  if (typeof x !== "number" || typeof y !== "number") return false;
  // Also false for NaN and infinities (a number literal like 1e999 parses to Infinity).
  if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90)) return false;
  return Math.round(x * ROUNDING) / ROUNDING === x && Math.round(y * ROUNDING) / ROUNDING === y;
}

/** A line of at least two positions, none the same as the one before. */
function cleanLine(value: unknown): value is Position[] {
  if (!Array.isArray(value) || value.length < 2) return false;
  let previous: Position | null = null;
  for (let i = 0; i < value.length; i++) {
    const position = value[i];
    if (!cleanPosition(position)) return false;
    if (previous !== null && previous[0] === position[0] && previous[1] === position[1]) {
      return false;
    }
    previous = position;
  }
  return true;
}

/**
 * A polygon's rings: closed, at least 4 positions without repeats, the outer ring
 * counterclockwise and holes clockwise (RFC 7946 §3.1.6; the full importer rewinds others).
 */
function cleanPolygon(value: unknown): value is Position[][] {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (let r = 0; r < value.length; r++) {
    const ring = value[r];
    if (!cleanLine(ring) || ring.length < 4) return false;
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) return false;
    const area = signedArea(ring);
    if (r === 0 ? area < 0 : area > 0) return false;
  }
  return true;
}

/** The geometry as the full importer would build it, or null when it would report anything. */
function cleanGeometry(value: unknown): Geometry | null {
  if (!isPlainObject(value) || !noForeignMembers(value, FORBIDDEN_MEMBERS.Geometry)) return null;
  const coordinates = value.coordinates;
  switch (value.type) {
    case "Point":
      return cleanPosition(coordinates) ? { type: "Point", coordinates } : null;
    case "LineString":
      return cleanLine(coordinates) ? { type: "LineString", coordinates } : null;
    case "MultiPoint": {
      if (!Array.isArray(coordinates) || coordinates.length === 0) return null;
      for (let i = 0; i < coordinates.length; i++) {
        if (!cleanPosition(coordinates[i])) return null;
      }
      return { type: "MultiPoint", coordinates: coordinates as Position[] };
    }
    case "MultiLineString": {
      if (!Array.isArray(coordinates) || coordinates.length === 0) return null;
      for (let i = 0; i < coordinates.length; i++) {
        if (!cleanLine(coordinates[i])) return null;
      }
      return { type: "MultiLineString", coordinates: coordinates as Position[][] };
    }
    case "Polygon":
      return cleanPolygon(coordinates) ? { type: "Polygon", coordinates } : null;
    case "MultiPolygon": {
      if (!Array.isArray(coordinates) || coordinates.length === 0) return null;
      for (let i = 0; i < coordinates.length; i++) {
        if (!cleanPolygon(coordinates[i])) return null;
      }
      return { type: "MultiPolygon", coordinates: coordinates as Position[][][] };
    }
    default:
      // GeometryCollections (split), wrong-case types, no type: the full importer.
      return null;
  }
}

/** Flat properties (no object or array values): kept as they are. */
function cleanProperties(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) return null;
  for (const key in value) {
    const item = value[key];
    if (item !== null && typeof item === "object") return null;
  }
  return value;
}

/**
 * The features of a parsed file, exactly as importGeoJson (without a given CRS) would return
 * them, when the file is clean (see the top of this file); null otherwise.
 */
export function cleanFeatureCollection(
  root: unknown,
  onProgress?: (share: number) => void,
): Feature<Geometry>[] | null {
  if (
    !isPlainObject(root) ||
    root.type !== "FeatureCollection" ||
    (root.crs !== undefined && root.crs !== null) ||
    !noForeignMembers(root, FORBIDDEN_MEMBERS.FeatureCollection)
  ) {
    return null;
  }
  const list = root.features;
  if (!Array.isArray(list) || list.length === 0) return null;
  const features: Feature<Geometry>[] = new Array(list.length);
  for (let index = 0; index < list.length; index++) {
    const value = list[index];
    if (
      !isPlainObject(value) ||
      value.type !== "Feature" ||
      !noForeignMembers(value, FORBIDDEN_MEMBERS.Feature)
    ) {
      return null;
    }
    const properties = cleanProperties(value.properties);
    if (properties === null) return null;
    const geometry = cleanGeometry(value.geometry);
    if (geometry === null) return null;
    const feature: Feature<Geometry> = { type: "Feature", geometry, properties };
    const id = value.id;
    if (typeof id === "string" || (typeof id === "number" && Number.isFinite(id))) feature.id = id;
    else if (id !== undefined && id !== null) return null;
    features[index] = feature;
    if (onProgress && index % PROGRESS_EVERY === PROGRESS_EVERY - 1) {
      onProgress(index / list.length);
    }
  }
  return features;
}

/**
 * Decode, parse and check a clean GeoJSON file (see the top of this file): the ImportSuccess
 * importGeoJson would return, or null when the full importer must read it (it may then
 * repair, reject or refuse).
 */
export function readCleanGeoJson(bytes: Uint8Array): ImportSuccess | null {
  const { text, encoding } = decodeText(bytes);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return null;
  }
  return cleanSuccess(root, encoding);
}

/**
 * The import result of a parsed clean file, or null (see cleanFeatureCollection). `onProgress`
 * gets the share of the features checked, now and then.
 */
export function cleanSuccess(
  root: unknown,
  encoding: ImportSuccess["encoding"],
  onProgress?: (share: number) => void,
): ImportSuccess | null {
  const features = cleanFeatureCollection(root, onProgress);
  if (features === null) return null;
  return {
    ok: true,
    format: "geojson",
    sourceCrs: WGS84_CODE,
    encoding,
    features,
    rejected: [],
    repaired: [],
    totalFeatures: features.length,
  };
}
