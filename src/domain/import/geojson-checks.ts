/**
 * Checks shared by the GeoJSON and CSV importers: reason codes, the geometry reader (validates
 * GeoJSON geometry objects, reprojects them to WGS 84 and makes the documented repairs) and a
 * JSON syntax checker that says where a file stops being JSON.
 *
 * What the geometry reader accepts, repairs and rejects:
 * - Rejected, with the path inside the feature: not an object, unknown type, missing or
 *   wrongly nested coordinates, values that are not numbers or not finite, a position with
 *   fewer than 2 numbers, a line with fewer than 2 positions, a ring with fewer than 4, a ring
 *   whose first and last positions differ (never closed silently: the file is wrong and the
 *   person should know), empty geometries, positions outside WGS 84's range after
 *   reprojection.
 * - Repaired, and reported: a third or fourth value (elevation, measure) is dropped; WGS 84
 *   coordinates with more than 7 decimals are rounded to 7 (about 1 cm); repeated consecutive
 *   positions in lines and rings are removed; polygon rings are rewound to the right-hand rule
 *   of RFC 7946 (outer ring counterclockwise, holes clockwise); a GeometryCollection is split
 *   into one feature per member; wrongly cased type names ("point") are read as the GeoJSON
 *   type; members RFC 7946 §7.1 forbids on an object ("coordinates" on a Feature) and invalid
 *   `bbox` members are ignored.
 * - Reprojected coordinates are rounded to 7 decimals without a report: the extra digits are
 *   an artefact of the transform, not data.
 */
import type { Geometry, Position } from "geojson";
import type { Transform } from "../crs";

/** Every reason code the GeoJSON importer and the geometry reader emit. */
export const GEOJSON_REASONS = {
  // The whole file (ImportFailure).
  emptyFile: "empty_file",
  invalidJson: "invalid_json",
  notGeoJson: "not_geojson",
  unknownType: "unknown_type",
  featuresMissing: "features_missing",
  featuresNotArray: "features_not_array",
  noFeatures: "no_features",
  unknownCrs: "unknown_crs",
  crsMismatch: "crs_mismatch",
  outOfRangeLikelyCrs: "out_of_range_likely_crs",
  // The whole file or one feature.
  outOfRange: "out_of_range",
  // One feature (rejected).
  featureNotObject: "feature_not_object",
  featureTypeInvalid: "feature_type_invalid",
  propertiesNotObject: "properties_not_object",
  propertiesTooDeep: "properties_too_deep",
  geometryMissing: "geometry_missing",
  noGeometry: "no_geometry",
  geometryNotObject: "geometry_not_object",
  geometryTypeInvalid: "geometry_type_invalid",
  coordinatesMissing: "coordinates_missing",
  coordinatesInvalid: "coordinates_invalid",
  coordinatesNesting: "coordinates_nesting",
  coordinateNotNumber: "coordinate_not_number",
  coordinateNotFinite: "coordinate_not_finite",
  positionTooShort: "position_too_short",
  lineTooShort: "line_too_short",
  ringTooShort: "ring_too_short",
  ringNotClosed: "ring_not_closed",
  emptyGeometry: "empty_geometry",
  nestingTooDeep: "nesting_too_deep",
} as const;

/** Every repair code (ImportSuccess.repaired). */
export const REPAIRS = {
  dimensionsDropped: "dimensions_dropped",
  precisionReduced: "precision_reduced",
  duplicatePositionsRemoved: "duplicate_positions_removed",
  windingRewound: "winding_rewound",
  geometryCollectionSplit: "geometry_collection_split",
  typeCase: "type_case",
  forbiddenMemberIgnored: "forbidden_member_ignored",
  bboxIgnored: "bbox_ignored",
  idDropped: "id_dropped",
  propertiesEmptyArray: "properties_empty_array",
} as const;

/** Decimals kept for WGS 84 coordinates: 1e-7° is about 1 cm. */
export const WGS84_DECIMALS = 7;
const ROUNDING = 10 ** WGS84_DECIMALS;

/** GeometryCollections nested deeper than this are refused (hostile files). */
export const MAX_COLLECTION_DEPTH = 8;

export const GEOMETRY_TYPES = [
  "Point",
  "MultiPoint",
  "LineString",
  "MultiLineString",
  "Polygon",
  "MultiPolygon",
  "GeometryCollection",
] as const;
export type GeometryTypeName = (typeof GEOMETRY_TYPES)[number];

const GEOMETRY_TYPE_SET: ReadonlySet<string> = new Set(GEOMETRY_TYPES);
const ALL_TYPES = [...GEOMETRY_TYPES, "Feature", "FeatureCollection"];
const TYPE_BY_LOWER = new Map(ALL_TYPES.map((type) => [type.toLowerCase(), type]));

/** A GeoJSON type name, exact or in the wrong case ("featurecollection"), or null. */
export function canonicalType(value: unknown): { type: string; caseFixed: boolean } | null {
  if (typeof value !== "string") return null;
  if (TYPE_BY_LOWER.get(value.toLowerCase()) === value) return { type: value, caseFixed: false };
  const type = TYPE_BY_LOWER.get(value.toLowerCase());
  return type ? { type, caseFixed: true } : null;
}

export function isGeometryType(type: string): type is GeometryTypeName {
  return GEOMETRY_TYPE_SET.has(type);
}

/** Members RFC 7946 §7.1 forbids, per kind of object ("must not contain"). */
export const FORBIDDEN_MEMBERS = {
  FeatureCollection: ["coordinates", "geometries", "geometry", "properties"],
  Feature: ["coordinates", "geometries", "features"],
  Geometry: ["geometry", "properties", "features"],
} as const;

/** "a string", "null", "an array" ...: what a value is, for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "object":
      return "an object";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return value ? "true" : "false";
    default:
      return typeof value;
  }
}

/** A short display of a bad value: "\"39.3\"", "null", "{…}". */
export function showValue(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value);
  }
  if (Array.isArray(value)) return "[…]";
  if (value !== null && typeof value === "object") return "{…}";
  return String(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A bbox RFC 7946 §5 allows: 4 or 6 finite numbers. */
export function isValidBbox(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    (value.length === 4 || value.length === 6) &&
    value.every((item) => typeof item === "number" && Number.isFinite(item))
  );
}

export interface GeometryProblem {
  code: string;
  /** Where inside the feature, e.g. "geometry.coordinates[0][3]". */
  path: string;
  message: string;
  params: Record<string, string | number>;
}

/** Coordinate boxes for hints: projected coordinates in a file that names no CRS. */
const SWEREF99_TM_HINT = { minX: 200_000, maxX: 1_000_000, minY: 6_100_000, maxY: 7_700_000 };
const RT90_HINT = { minX: 1_200_000, maxX: 1_950_000, minY: 6_100_000, maxY: 7_700_000 };

export interface GeometryReaderOptions {
  /** Source CRS -> WGS 84; null when the source is WGS 84 already. */
  transform: Transform | null;
}

/**
 * Reads GeoJSON geometry objects of one file, feature by feature: `begin()`, then `read()`
 * for the feature's geometry, then look at `problem` and the repair fields.
 * Loops are written for 100,000s of positions: no per-position strings or closures.
 */
export class GeometryReader {
  private readonly transform: Transform | null;
  private readonly reportPrecision: boolean;

  // Per file: what the raw coordinates look like (for the "name the CRS" hints).
  positionCount = 0;
  allWithinDegrees = true;
  allInSweref99Tm = true;
  allInRt90 = true;
  /** The first raw position read, for messages. */
  firstPosition: [number, number] | null = null;

  // Per feature (reset by begin()).
  problem: GeometryProblem | null = null;
  dimensionsDropped = false;
  precisionReduced = false;
  duplicatesRemoved = 0;
  rewound = false;
  /** Set when a GeometryCollection was read (its members become features). */
  collection = false;
  typeCaseFixes: string[] | null = null;
  ignoredMembers: string[] | null = null;
  ignoredBboxes: string[] | null = null;

  constructor(options: GeometryReaderOptions) {
    this.transform = options.transform;
    this.reportPrecision = options.transform === null;
  }

  begin(): void {
    this.problem = null;
    this.dimensionsDropped = false;
    this.precisionReduced = false;
    this.duplicatesRemoved = 0;
    this.rewound = false;
    this.collection = false;
    this.typeCaseFixes = null;
    this.ignoredMembers = null;
    this.ignoredBboxes = null;
  }

  noteTypeCase(from: string, to: string): void {
    this.typeCaseFixes ??= [];
    this.typeCaseFixes.push(`"${from}" → "${to}"`);
  }

  /** Forbidden members (RFC 7946 §7.1) present on `object`: noted, ignored. */
  noteForbiddenMembers(
    object: Record<string, unknown>,
    members: readonly string[],
    path: string,
  ): void {
    for (const member of members) {
      if (member in object) {
        this.ignoredMembers ??= [];
        this.ignoredMembers.push(path ? `${path}.${member}` : member);
      }
    }
  }

  noteBbox(object: Record<string, unknown>, path: string): void {
    if ("bbox" in object && !isValidBbox(object.bbox)) {
      this.ignoredBboxes ??= [];
      this.ignoredBboxes.push(path ? `${path}.bbox` : "bbox");
    }
  }

  private fail(
    code: string,
    path: string,
    message: string,
    params: Record<string, string | number> = {},
  ): null {
    this.problem = { code, path, message: `${message} (at ${path})`, params: { path, ...params } };
    return null;
  }

  /**
   * Read one geometry object at `path` ("geometry"). Returns the geometries to keep (a
   * GeometryCollection gives one per member, flattened), in WGS 84, or null with `problem` set.
   */
  read(value: unknown, path: string): Geometry[] | null {
    const out: Geometry[] = [];
    return this.readInto(value, path, out, 0) ? out : null;
  }

  private readInto(value: unknown, path: string, out: Geometry[], depth: number): boolean {
    if (!isPlainObject(value)) {
      this.fail(
        GEOJSON_REASONS.geometryNotObject,
        path,
        `the geometry is ${describeValue(value)}, not a geometry object`,
      );
      return false;
    }
    const typeInfo = canonicalType(value.type);
    if (!typeInfo || !isGeometryType(typeInfo.type)) {
      const type = typeof value.type === "string" ? value.type : describeValue(value.type);
      this.fail(
        GEOJSON_REASONS.geometryTypeInvalid,
        path,
        value.type === undefined
          ? "the geometry has no type"
          : `"${type}" is not a geometry type (Point, LineString, Polygon, their Multi forms or GeometryCollection)`,
        { type: value.type === undefined ? "" : type },
      );
      return false;
    }
    const type = typeInfo.type;
    if (typeInfo.caseFixed) this.noteTypeCase(value.type as string, type);
    this.noteForbiddenMembers(value, FORBIDDEN_MEMBERS.Geometry, path);
    this.noteBbox(value, path);

    if (type === "GeometryCollection") {
      this.collection = true;
      if (depth >= MAX_COLLECTION_DEPTH) {
        this.fail(
          GEOJSON_REASONS.nestingTooDeep,
          path,
          `GeometryCollections are nested more than ${MAX_COLLECTION_DEPTH} deep`,
          { depth: MAX_COLLECTION_DEPTH },
        );
        return false;
      }
      const geometries = value.geometries;
      if (geometries === undefined || geometries === null) {
        this.fail(
          GEOJSON_REASONS.coordinatesMissing,
          path,
          'the GeometryCollection has no "geometries" array',
        );
        return false;
      }
      if (!Array.isArray(geometries)) {
        this.fail(
          GEOJSON_REASONS.coordinatesInvalid,
          `${path}.geometries`,
          `"geometries" is ${describeValue(geometries)}, not an array`,
        );
        return false;
      }
      if (geometries.length === 0) {
        this.fail(GEOJSON_REASONS.emptyGeometry, path, "the GeometryCollection is empty");
        return false;
      }
      for (let i = 0; i < geometries.length; i++) {
        if (!this.readInto(geometries[i], `${path}.geometries[${i}]`, out, depth + 1)) return false;
      }
      return true;
    }

    const coordinates = value.coordinates;
    const at = `${path}.coordinates`;
    if (coordinates === undefined || coordinates === null) {
      this.fail(GEOJSON_REASONS.coordinatesMissing, path, `the ${type} has no coordinates`, {
        type,
      });
      return false;
    }
    if (!Array.isArray(coordinates)) {
      this.fail(
        GEOJSON_REASONS.coordinatesInvalid,
        at,
        `coordinates are ${describeValue(coordinates)}, not an array`,
      );
      return false;
    }
    if (coordinates.length === 0) {
      this.fail(GEOJSON_REASONS.emptyGeometry, path, `the ${type} has no positions`, { type });
      return false;
    }
    switch (type) {
      case "Point": {
        const position = this.position(coordinates, at, -1);
        if (!position) return false;
        out.push({ type, coordinates: position });
        return true;
      }
      case "MultiPoint": {
        if (!this.notShallow(coordinates, at, 1)) return false;
        const positions: Position[] = [];
        for (let i = 0; i < coordinates.length; i++) {
          const position = this.position(coordinates[i], at, i);
          if (!position) return false;
          positions.push(position);
        }
        out.push({ type, coordinates: positions });
        return true;
      }
      case "LineString": {
        const line = this.line(coordinates, at, false);
        if (!line) return false;
        out.push({ type, coordinates: line });
        return true;
      }
      case "MultiLineString": {
        if (!this.notShallow(coordinates, at, 2)) return false;
        const lines: Position[][] = [];
        for (let i = 0; i < coordinates.length; i++) {
          const line = this.line(coordinates[i], `${at}[${i}]`, false);
          if (!line) return false;
          lines.push(line);
        }
        out.push({ type, coordinates: lines });
        return true;
      }
      case "Polygon": {
        const polygon = this.polygon(coordinates, at);
        if (!polygon) return false;
        out.push({ type, coordinates: polygon });
        return true;
      }
      case "MultiPolygon": {
        if (!this.notShallow(coordinates, at, 3)) return false;
        const polygons: Position[][][] = [];
        for (let i = 0; i < coordinates.length; i++) {
          const polygon = this.polygon(coordinates[i], `${at}[${i}]`);
          if (!polygon) return false;
          polygons.push(polygon);
        }
        out.push({ type, coordinates: polygons });
        return true;
      }
    }
  }

  /** The first element of `array` is a number where `levels` more array levels are due. */
  private notShallow(array: unknown[], path: string, levels: number): boolean {
    if (typeof array[0] !== "number") return true;
    const expected =
      levels === 1
        ? "a position [x, y]"
        : levels === 2
          ? "a line or ring (an array of positions)"
          : "a polygon (an array of rings)";
    this.fail(
      GEOJSON_REASONS.coordinatesNesting,
      `${path}[0]`,
      `a number where ${expected} should be: the coordinates are nested ${levels === 1 ? "one level" : `${levels} levels`} too shallow`,
      { levels },
    );
    return false;
  }

  private position(value: unknown, path: string, index: number): Position | null {
    if (!Array.isArray(value)) {
      const at = index < 0 ? path : `${path}[${index}]`;
      if (typeof value === "number") {
        return this.fail(
          GEOJSON_REASONS.coordinatesNesting,
          at,
          "a number where a position [x, y] should be: the coordinates are nested one level too shallow",
          { levels: 1 },
        );
      }
      return this.fail(
        GEOJSON_REASONS.coordinatesInvalid,
        at,
        `a position is ${describeValue(value)}, not an array [x, y]`,
      );
    }
    const count = value.length;
    for (let k = 0; k < count; k++) {
      const item = value[k];
      if (typeof item !== "number") {
        const at = `${index < 0 ? path : `${path}[${index}]`}[${k}]`;
        if (Array.isArray(item)) {
          return this.fail(
            GEOJSON_REASONS.coordinatesNesting,
            at,
            "an array where a number should be: the coordinates are nested too deeply",
            { levels: -1 },
          );
        }
        return this.fail(
          GEOJSON_REASONS.coordinateNotNumber,
          at,
          `a coordinate is ${describeValue(item)} (${showValue(item)}), not a number`,
          { value: showValue(item) },
        );
      }
      if (!Number.isFinite(item)) {
        return this.fail(
          GEOJSON_REASONS.coordinateNotFinite,
          `${index < 0 ? path : `${path}[${index}]`}[${k}]`,
          "a coordinate is too large to be a number (infinite)",
        );
      }
    }
    if (count < 2) {
      return this.fail(
        GEOJSON_REASONS.positionTooShort,
        index < 0 ? path : `${path}[${index}]`,
        `a position has ${count} number${count === 1 ? "" : "s"}; it needs x and y`,
        { count },
      );
    }
    if (count > 2) this.dimensionsDropped = true;
    const x = value[0] as number;
    const y = value[1] as number;
    this.positionCount++;
    if (this.firstPosition === null) this.firstPosition = [x, y];
    if (this.allWithinDegrees && !(x >= -180 && x <= 180 && y >= -90 && y <= 90)) {
      this.allWithinDegrees = false;
    }
    if (
      this.allInSweref99Tm &&
      !(
        x >= SWEREF99_TM_HINT.minX &&
        x <= SWEREF99_TM_HINT.maxX &&
        y >= SWEREF99_TM_HINT.minY &&
        y <= SWEREF99_TM_HINT.maxY
      )
    ) {
      this.allInSweref99Tm = false;
    }
    if (
      this.allInRt90 &&
      !(x >= RT90_HINT.minX && x <= RT90_HINT.maxX && y >= RT90_HINT.minY && y <= RT90_HINT.maxY)
    ) {
      this.allInRt90 = false;
    }
    let lon = x;
    let lat = y;
    if (this.transform !== null) {
      const result = this.transform(x, y);
      lon = result[0];
      lat = result[1];
    }
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
      return this.fail(
        GEOJSON_REASONS.outOfRange,
        index < 0 ? path : `${path}[${index}]`,
        this.transform === null
          ? `[${x}, ${y}] is outside WGS84's range (longitude −180…180, latitude −90…90); if the file holds projected coordinates (e.g. SWEREF 99 TM), name the CRS`
          : `[${x}, ${y}] lies outside WGS84's range after reprojection; check the CRS`,
        { x, y },
      );
    }
    const roundedLon = Math.round(lon * ROUNDING) / ROUNDING;
    const roundedLat = Math.round(lat * ROUNDING) / ROUNDING;
    if (this.reportPrecision && (roundedLon !== lon || roundedLat !== lat)) {
      this.precisionReduced = true;
    }
    return [roundedLon, roundedLat];
  }

  /** A LineString's positions or a linear ring, repeated positions removed. */
  private line(value: unknown, path: string, ring: boolean): Position[] | null {
    if (!Array.isArray(value)) {
      if (typeof value === "number") {
        return this.fail(
          GEOJSON_REASONS.coordinatesNesting,
          path,
          "a number where an array of positions should be: the coordinates are nested too shallow",
          { levels: 2 },
        );
      }
      return this.fail(
        GEOJSON_REASONS.coordinatesInvalid,
        path,
        `${ring ? "a ring" : "a line"} is ${describeValue(value)}, not an array of positions`,
      );
    }
    const count = value.length;
    if (count > 0 && typeof value[0] === "number") {
      return this.fail(
        GEOJSON_REASONS.coordinatesNesting,
        `${path}[0]`,
        "a number where a position [x, y] should be: the coordinates are nested one level too shallow",
        { levels: 1 },
      );
    }
    const minimum = ring ? 4 : 2;
    if (count < minimum) {
      return ring
        ? this.fail(
            GEOJSON_REASONS.ringTooShort,
            path,
            `a polygon ring has ${count} position${count === 1 ? "" : "s"}; it needs at least 4 (3 corners and the first again)`,
            { count },
          )
        : this.fail(
            GEOJSON_REASONS.lineTooShort,
            path,
            `a line has ${count} position${count === 1 ? "" : "s"}; it needs at least 2`,
            { count },
          );
    }
    const positions: Position[] = [];
    let previous: Position | null = null;
    for (let i = 0; i < count; i++) {
      const position = this.position(value[i], path, i);
      if (!position) return null;
      if (previous !== null && previous[0] === position[0] && previous[1] === position[1]) {
        this.duplicatesRemoved++;
        continue;
      }
      positions.push(position);
      previous = position;
    }
    if (ring) {
      const first = value[0] as number[];
      const last = value[count - 1] as number[];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        return this.fail(
          GEOJSON_REASONS.ringNotClosed,
          path,
          `polygon ring is not closed: the first position [${first[0]}, ${first[1]}] and the last [${last[0]}, ${last[1]}] differ`,
        );
      }
    }
    if (positions.length < minimum) {
      const distinct = positions.length;
      return ring
        ? this.fail(
            GEOJSON_REASONS.ringTooShort,
            path,
            `a polygon ring has only ${distinct} different consecutive positions; it needs at least 4`,
            { count: distinct },
          )
        : this.fail(
            GEOJSON_REASONS.lineTooShort,
            path,
            `a line has only ${distinct} different position${distinct === 1 ? "" : "s"}; it needs at least 2`,
            { count: distinct },
          );
    }
    return positions;
  }

  private polygon(value: unknown, path: string): Position[][] | null {
    if (!Array.isArray(value)) {
      if (typeof value === "number") {
        return this.fail(
          GEOJSON_REASONS.coordinatesNesting,
          path,
          "a number where a polygon (an array of rings) should be: the coordinates are nested too shallow",
          { levels: 3 },
        );
      }
      return this.fail(
        GEOJSON_REASONS.coordinatesInvalid,
        path,
        `a polygon is ${describeValue(value)}, not an array of rings`,
      );
    }
    if (value.length === 0) {
      return this.fail(GEOJSON_REASONS.emptyGeometry, path, "a polygon has no rings");
    }
    if (!this.notShallow(value, path, 2)) return null;
    const rings: Position[][] = [];
    for (let r = 0; r < value.length; r++) {
      const ring = this.line(value[r], `${path}[${r}]`, true);
      if (!ring) return null;
      // RFC 7946 §3.1.6: exterior rings counterclockwise, holes clockwise.
      const area = signedArea(ring);
      if (r === 0 ? area < 0 : area > 0) {
        ring.reverse();
        this.rewound = true;
      }
      rings.push(ring);
    }
    return rings;
  }
}

/** Twice the signed area of a closed ring (shoelace); positive when counterclockwise. */
export function signedArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    sum += (a[0]! - b[0]!) * (a[1]! + b[1]!);
  }
  // (x_j - x_i)(y_j + y_i) summed is +2A for counterclockwise rings.
  return sum;
}

/** Which CRS the raw coordinates of a file that names none most likely are in. */
export function likelyProjectedCrs(reader: GeometryReader): { crs: string; name: string } | null {
  if (reader.positionCount === 0) return null;
  if (reader.allInSweref99Tm) return { crs: "EPSG:3006", name: "SWEREF 99 TM" };
  if (reader.allInRt90) return { crs: "EPSG:3021", name: "RT 90 2.5 gon V" };
  return null;
}

export interface JsonSyntaxError {
  /** 1-based line and column, as a text editor shows them. */
  line: number;
  column: number;
  /** What is wrong, in English. */
  detail: string;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Where `text` stops being JSON (RFC 8259), for the one sentence a person sees when a file
 * does not parse. JavaScript engines word and place JSON.parse errors differently (or not at
 * all), so the position is found here. Only run after JSON.parse failed; iterative, so deep
 * nesting cannot overflow the stack. Returns null when no error is found.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const length = text.length;
  let i = 0;
  // Open containers: true for an object, false for an array.
  const stack: boolean[] = [];
  let error: string | null = null;

  const skipWhitespace = () => {
    while (i < length && WHITESPACE.has(text.charCodeAt(i))) i++;
  };
  const unexpected = (expected: string): string => {
    if (i >= length) return "the file ends too early (it may be cut off)";
    const char = text[i]!;
    if (text.startsWith("//", i) || text.startsWith("/*", i)) {
      return "comments are not allowed in JSON";
    }
    if (char === "'") return "strings must be in double quotes, not single quotes";
    const shown =
      char.charCodeAt(0) < 0x20
        ? `control character U+${char.charCodeAt(0).toString(16).padStart(4, "0")}`
        : `'${char}'`;
    return `expected ${expected}, found ${shown}`;
  };
  const readString = (): boolean => {
    // text[i] is the opening quote.
    const start = i;
    i++;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        i++;
        return true;
      }
      if (code < 0x20) {
        error = "a line break or control character inside a string (write it as \\n)";
        return false;
      }
      if (code === 0x5c) {
        const next = text[i + 1];
        if (next === undefined) break;
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            error = "an invalid \\u escape in a string";
            return false;
          }
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(next)) {
          error = `an invalid escape \\${next} in a string`;
          return false;
        }
        i += 2;
        continue;
      }
      i++;
    }
    error = "the file ends inside a string (it may be cut off, or a quote is missing)";
    i = start;
    return false;
  };
  const readNumber = (): boolean => {
    const start = i;
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) {
      error = text.startsWith("-Infinity", i)
        ? "NaN and Infinity are not allowed in JSON"
        : "an invalid number";
      return false;
    }
    i += match[0].length;
    const next = text[i];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) {
      error = "an invalid number";
      i = start;
      return false;
    }
    return true;
  };
  /** A property name and its colon; on return i is at the value. */
  const readKey = (): boolean => {
    skipWhitespace();
    if (text[i] !== '"') {
      error =
        text[i] === "}"
          ? "a comma before '}' (trailing commas are not allowed in JSON)"
          : unexpected("a property name in double quotes");
      return false;
    }
    if (!readString()) return false;
    skipWhitespace();
    if (text[i] !== ":") {
      error = unexpected("':' after a property name");
      return false;
    }
    i++;
    return true;
  };

  skipWhitespace();
  let expectValue = true;
  while (error === null) {
    if (expectValue) {
      skipWhitespace();
      const char = text[i];
      if (char === "{") {
        i++;
        skipWhitespace();
        if (text[i] === "}") {
          i++;
          expectValue = false;
          continue;
        }
        stack.push(true);
        if (!readKey()) break;
        continue;
      }
      if (char === "[") {
        i++;
        skipWhitespace();
        if (text[i] === "]") {
          i++;
          expectValue = false;
          continue;
        }
        stack.push(false);
        continue;
      }
      if (char === '"') {
        if (!readString()) break;
        expectValue = false;
        continue;
      }
      if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) {
        if (!readNumber()) break;
        expectValue = false;
        continue;
      }
      const literal = ["true", "false", "null"].find((word) => text.startsWith(word, i));
      if (literal) {
        i += literal.length;
        expectValue = false;
        continue;
      }
      if (text.startsWith("NaN", i) || text.startsWith("Infinity", i)) {
        error = "NaN and Infinity are not allowed in JSON";
        break;
      }
      if (char === "]" && stack.length > 0 && stack[stack.length - 1] === false) {
        error = "a comma before ']' (trailing commas are not allowed in JSON)";
        break;
      }
      error = unexpected("a value");
      break;
    }
    skipWhitespace();
    if (stack.length === 0) {
      if (i < length) error = "more text after the end of the JSON value";
      break;
    }
    const inObject = stack[stack.length - 1]!;
    const char = text[i];
    if (char === ",") {
      i++;
      if (inObject && !readKey()) break;
      expectValue = true;
      continue;
    }
    if ((inObject && char === "}") || (!inObject && char === "]")) {
      i++;
      stack.pop();
      continue;
    }
    error = inObject
      ? unexpected("',' or '}' after a property value")
      : unexpected("',' or ']' after an array element");
  }
  if (error === null) return null;
  let line = 1;
  let lineStart = 0;
  const end = Math.min(i, length);
  for (let k = text.indexOf("\n"); k !== -1 && k < end; k = text.indexOf("\n", k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: end - lineStart + 1, detail: error };
}
