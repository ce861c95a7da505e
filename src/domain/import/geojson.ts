/**
 * GeoJSON importer: RFC 7946, plus the legacy forms municipal GIS really writes.
 *
 * Accepted roots: a FeatureCollection, a single Feature, a bare geometry (read as one
 * feature without properties) and a GeometryCollection (split: one feature per member, the
 * properties copied to each; nested collections are flattened). Files are decoded as UTF-8,
 * or Windows-1252 when they are not valid UTF-8 (see encoding.ts).
 *
 * CRS: `input.fromCrs` wins; else a 2008-style `crs` member at the root naming a supported
 * CRS (EPSG:4326/CRS84, EPSG:3006, EPSG:3007–3018, EPSG:3021) is reprojected to WGS 84
 * (x = easting/longitude first, as GDAL writes them); an unknown named CRS refuses the file.
 * With neither, coordinates are WGS 84, and coordinates outside WGS 84's range are refused
 * with a hint to name the CRS (SWEREF 99 TM or RT 90 by name when every position fits it).
 *
 * A file that needs no repair and no rejection at all takes a fast path (geojson-fast.ts) that
 * returns the same result. Per feature: what is rejected and what is repaired is listed in
 * geojson-checks.ts. Also:
 * - `geometry: null` (an unlocated feature, valid GeoJSON) is listed as rejected with
 *   `no_geometry`: there is nothing to put on a map or analyse.
 * - `properties: null` or a missing `properties` member reads as no properties `{}`;
 *   `properties: []` (PHP writes an empty object that way) is repaired to `{}`; other
 *   non-objects are rejected. Property values are kept as read (HTML is data; the UI shows
 *   text), but values nested more than 32 levels deep reject the feature (hostile files).
 * - `id` is kept when it is a string or a number; another id is dropped (repair). `id: null`
 *   reads as no id.
 * - Only `type`, `id`, `geometry` and `properties` are kept; foreign members and `bbox` are
 *   not (Lykta computes extents itself). A `crs` member below the root is ignored.
 * - JSON duplicate keys: the last one wins (as in every JavaScript JSON reader).
 *
 * The whole file is refused (one sentence, ImportFailure) when it is empty, not JSON (with
 * line and column), JSON but not GeoJSON, a FeatureCollection without features, names a CRS
 * Lykta cannot reproject, names a projected CRS while every coordinate looks like degrees, or
 * names no CRS and no feature lies within WGS 84's range. Otherwise it imports, and each
 * feature left out is listed with where and why (a file whose features are all rejected for
 * other reasons still "imports" with 0 valid features, so the person sees every reason).
 */
import type { Feature, Geometry } from "geojson";
import {
  crsDefinition,
  normaliseCrsName,
  parseCrsName,
  SUPPORTED_CRS_TEXT,
  toWgs84,
  WGS84,
} from "../crs";
import { decodeText } from "./encoding";
import {
  canonicalType,
  describeValue,
  FORBIDDEN_MEMBERS,
  findJsonSyntaxError,
  GEOJSON_REASONS,
  GeometryReader,
  isGeometryType,
  isPlainObject,
  type JsonSyntaxError,
  likelyProjectedCrs,
  REPAIRS,
  WGS84_DECIMALS,
} from "./geojson-checks";
import { cleanSuccess } from "./geojson-fast";
import type {
  ImportFailure,
  ImportInput,
  ImportIssue,
  ImportResult,
  ProgressCallback,
} from "./types";

export { GEOJSON_REASONS, REPAIRS } from "./geojson-checks";

/**
 * Property values may be objects and arrays (kept as read), but not nested deeper than this:
 * a hostile file nested thousands deep would overflow the stack of JSON.stringify, structured
 * clone and every exporter later.
 */
const MAX_PROPERTY_DEPTH = 32;

/** Whether objects or arrays inside `value` go deeper than `limit` levels. */
function nestedDeeperThan(value: object, limit: number): boolean {
  if (limit <= 0) return true;
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== null && typeof child === "object" && nestedDeeperThan(child, limit - 1)) {
      return true;
    }
  }
  return false;
}

/** Features between progress reports. */
const PROGRESS_EVERY = 2000;
/** Share of the progress bar for decoding and JSON parsing. */
const PARSE_SHARE = 0.3;

function failure(
  code: string,
  message: string,
  params?: Record<string, string | number>,
): ImportFailure {
  return { ok: false, issue: { where: "file", code, message, ...(params ? { params } : {}) } };
}

/** The CRS the file names in its root `crs` member: canonical code, null (none) or an error. */
function namedCrs(root: Record<string, unknown>): { crs: string | null } | ImportFailure {
  const member = root.crs;
  if (member === undefined || member === null) return { crs: null };
  let name: string | null = null;
  if (typeof member === "string") name = member;
  else if (isPlainObject(member)) {
    const properties = isPlainObject(member.properties) ? member.properties : {};
    if (member.type === "name" && typeof properties.name === "string") name = properties.name;
    // GeoJSON 2008 drafts: {"type": "EPSG", "properties": {"code": 3006}}.
    else if (typeof member.type === "string" && member.type.toLowerCase() === "epsg") {
      if (typeof properties.code === "number" || typeof properties.code === "string") {
        name = `EPSG:${properties.code}`;
      }
    }
  }
  const crs = name === null ? null : parseCrsName(name);
  if (crs !== null) return { crs };
  const shown = name ?? JSON.stringify(member).slice(0, 80);
  const code = name === null ? null : normaliseCrsName(name);
  return failure(
    GEOJSON_REASONS.unknownCrs,
    `The file names the CRS "${shown}"${code ? ` (${code})` : ""}, which Lykta cannot reproject. Lykta reads ${SUPPORTED_CRS_TEXT}; reproject the file to one of them in your GIS first.`,
    { crs: shown },
  );
}

/**
 * Where the JavaScript engine says JSON.parse failed, for the (so far never seen) case where
 * findJsonSyntaxError finds no error: V8 says "at position N".
 */
function engineSyntaxError(text: string, error: unknown): JsonSyntaxError {
  const detail = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(detail);
  const end = position ? Math.min(Number(position[1]), text.length) : 0;
  const before = text.slice(0, end);
  const line = before.split("\n").length;
  return { line, column: end - before.lastIndexOf("\n"), detail };
}

/** Collects the issues of one file. */
class IssueList {
  readonly rejected: ImportIssue[] = [];
  readonly repaired: ImportIssue[] = [];

  reject(
    where: string,
    code: string,
    message: string,
    params: Record<string, string | number>,
  ): void {
    this.rejected.push({ where, code, message, params });
  }

  repair(
    where: string,
    code: string,
    message: string,
    params: Record<string, string | number>,
  ): void {
    this.repaired.push({ where, code, message, params });
  }
}

/** Notes about objects (type case, forbidden members, bbox), for a feature or the file. */
function reportNotes(
  reader: GeometryReader,
  issues: IssueList,
  where: string,
  base: Record<string, string | number>,
): void {
  if (reader.typeCaseFixes) {
    const types = reader.typeCaseFixes.join(", ");
    issues.repair(
      where,
      REPAIRS.typeCase,
      `type names in the wrong case read as GeoJSON types (${types}); GeoJSON types are case-sensitive`,
      { ...base, types },
    );
  }
  if (reader.ignoredMembers) {
    const members = reader.ignoredMembers.join(", ");
    const one = reader.ignoredMembers.length === 1;
    issues.repair(
      where,
      REPAIRS.forbiddenMemberIgnored,
      `ignored the member${one ? "" : "s"} ${members}: GeoJSON does not allow ${one ? "it" : "them"} there (RFC 7946 §7.1)`,
      { ...base, members },
    );
  }
  if (reader.ignoredBboxes) {
    const paths = reader.ignoredBboxes.join(", ");
    issues.repair(
      where,
      REPAIRS.bboxIgnored,
      `ignored an invalid bbox (${paths}): a bbox is 4 or 6 numbers; Lykta computes extents itself`,
      { ...base, path: paths },
    );
  }
}

/** Report the repairs the reader noted for one kept feature. */
function reportRepairs(
  reader: GeometryReader,
  issues: IssueList,
  where: string,
  base: Record<string, string | number>,
  parts: number,
): void {
  reportNotes(reader, issues, where, base);
  if (reader.collection) {
    issues.repair(
      where,
      REPAIRS.geometryCollectionSplit,
      `GeometryCollection split into ${parts} feature${parts === 1 ? "" : "s"}, one per geometry, each with the feature's properties${parts > 1 ? " (the id is not kept: parts would share it)" : ""}`,
      { ...base, count: parts },
    );
  }
  if (reader.dimensionsDropped) {
    issues.repair(
      where,
      REPAIRS.dimensionsDropped,
      "coordinates had a third (elevation) or fourth value; only x and y are kept",
      base,
    );
  }
  if (reader.precisionReduced) {
    issues.repair(
      where,
      REPAIRS.precisionReduced,
      `coordinates rounded to ${WGS84_DECIMALS} decimals (about 1 cm)`,
      { ...base, decimals: WGS84_DECIMALS },
    );
  }
  if (reader.duplicatesRemoved > 0) {
    const count = reader.duplicatesRemoved;
    issues.repair(
      where,
      REPAIRS.duplicatePositionsRemoved,
      `removed ${count} repeated position${count === 1 ? "" : "s"} (the same point twice in a row)`,
      { ...base, count },
    );
  }
  if (reader.rewound) {
    issues.repair(
      where,
      REPAIRS.windingRewound,
      "polygon rings rewound to the right-hand rule (outer ring counterclockwise, holes clockwise)",
      base,
    );
  }
}

/**
 * One feature (or a bare geometry wrapped as one): validated, reprojected and repaired into
 * `out`, or listed in `issues.rejected`.
 */
function readFeature(
  value: unknown,
  where: string,
  base: Record<string, string | number>,
  reader: GeometryReader,
  issues: IssueList,
  out: Feature<Geometry>[],
  bareGeometry: boolean,
): void {
  reader.begin();
  let properties: Record<string, unknown> = {};
  let id: string | number | undefined;
  let geometryValue: unknown;
  let idDropped = false;
  let propertiesRepaired = false;
  if (bareGeometry) {
    geometryValue = value;
  } else {
    if (!isPlainObject(value)) {
      issues.reject(
        where,
        GEOJSON_REASONS.featureNotObject,
        `the feature is ${describeValue(value)}, not an object`,
        base,
      );
      return;
    }
    const typeInfo = canonicalType(value.type);
    if (typeInfo?.type !== "Feature") {
      const type = typeof value.type === "string" ? value.type : describeValue(value.type);
      const message =
        value.type === undefined
          ? 'the feature has no "type": "Feature"'
          : typeInfo && isGeometryType(typeInfo.type)
            ? `a ${typeInfo.type} geometry where a Feature should be (a geometry must be wrapped in a Feature)`
            : `the type is "${type}", not "Feature"`;
      issues.reject(where, GEOJSON_REASONS.featureTypeInvalid, message, {
        ...base,
        type: value.type === undefined ? "" : type,
      });
      return;
    }
    if (typeInfo.caseFixed) reader.noteTypeCase(value.type as string, "Feature");
    reader.noteForbiddenMembers(value, FORBIDDEN_MEMBERS.Feature, "");
    reader.noteBbox(value, "");

    const rawProperties = value.properties;
    if (isPlainObject(rawProperties)) {
      if (nestedDeeperThan(rawProperties, MAX_PROPERTY_DEPTH)) {
        issues.reject(
          where,
          GEOJSON_REASONS.propertiesTooDeep,
          `the properties are nested more than ${MAX_PROPERTY_DEPTH} levels deep`,
          { ...base, depth: MAX_PROPERTY_DEPTH },
        );
        return;
      }
      properties = rawProperties;
    } else if (Array.isArray(rawProperties) && rawProperties.length === 0)
      propertiesRepaired = true;
    else if (rawProperties !== undefined && rawProperties !== null) {
      issues.reject(
        where,
        GEOJSON_REASONS.propertiesNotObject,
        `"properties" is ${describeValue(rawProperties)}; it must be an object (or null)`,
        base,
      );
      return;
    }

    const rawId = value.id;
    if (typeof rawId === "string" || (typeof rawId === "number" && Number.isFinite(rawId))) {
      id = rawId;
    } else if (rawId !== undefined && rawId !== null) {
      idDropped = true;
    }

    if (!("geometry" in value)) {
      issues.reject(
        where,
        GEOJSON_REASONS.geometryMissing,
        'the feature has no "geometry" member',
        base,
      );
      return;
    }
    geometryValue = value.geometry;
    if (geometryValue === null) {
      issues.reject(
        where,
        GEOJSON_REASONS.noGeometry,
        "the feature has no geometry (null): there is nothing to place on the map",
        base,
      );
      return;
    }
  }

  const geometries = reader.read(geometryValue, "geometry");
  if (geometries === null) {
    const problem = reader.problem!;
    issues.reject(where, problem.code, problem.message, { ...base, ...problem.params });
    return;
  }
  if (geometries.length === 1) {
    const feature: Feature<Geometry> = { type: "Feature", geometry: geometries[0]!, properties };
    if (id !== undefined) feature.id = id;
    out.push(feature);
  } else {
    for (const geometry of geometries) {
      out.push({ type: "Feature", geometry, properties: { ...properties } });
    }
  }
  if (propertiesRepaired) {
    issues.repair(
      where,
      REPAIRS.propertiesEmptyArray,
      '"properties" was an empty array (as PHP writes an empty object); read as no properties',
      base,
    );
  }
  if (idDropped) {
    issues.repair(
      where,
      REPAIRS.idDropped,
      `the id was ${describeValue((value as Record<string, unknown>).id)}, not a string or number; dropped`,
      base,
    );
  }
  reportRepairs(reader, issues, where, base, geometries.length);
}

/**
 * Import a GeoJSON file (see the top of this file for what is accepted and repaired).
 * `fastPath: false` runs every check even on a clean file (tests compare the two paths).
 */
export async function importGeoJson(
  input: ImportInput,
  onProgress: ProgressCallback = () => undefined,
  options: { fastPath?: boolean } = {},
): Promise<ImportResult> {
  onProgress(0);
  let fromCrs: string | null = null;
  if (input.fromCrs !== undefined) {
    fromCrs = parseCrsName(input.fromCrs);
    if (fromCrs === null) {
      return failure(
        GEOJSON_REASONS.unknownCrs,
        `The CRS given for the import, "${input.fromCrs}", is not one Lykta can reproject. Lykta reads ${SUPPORTED_CRS_TEXT}.`,
        { crs: input.fromCrs },
      );
    }
  }

  const { text, encoding } = decodeText(input.bytes);
  if (text.trim() === "") {
    return failure(GEOJSON_REASONS.emptyFile, `${input.name} is empty`, { name: input.name });
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith("<")) {
      return failure(
        GEOJSON_REASONS.notGeoJson,
        `${input.name} is not GeoJSON: it looks like XML or HTML (it starts with "<")`,
        { name: input.name },
      );
    }
    const syntax = findJsonSyntaxError(text) ?? engineSyntaxError(text, error);
    return failure(
      GEOJSON_REASONS.invalidJson,
      `${input.name} is not valid JSON: line ${syntax.line}, column ${syntax.column}: ${syntax.detail}`,
      { line: syntax.line, column: syntax.column },
    );
  }
  onProgress(PARSE_SHARE);

  // A large clean file (geojson-fast.ts): the same features without the per-feature checks.
  if (fromCrs === null && options.fastPath !== false) {
    const clean = cleanSuccess(root, encoding, (share) =>
      onProgress(PARSE_SHARE + (1 - PARSE_SHARE) * share),
    );
    if (clean !== null) {
      onProgress(1);
      return clean;
    }
  }

  if (!isPlainObject(root)) {
    return failure(
      GEOJSON_REASONS.notGeoJson,
      `${input.name} is JSON but not GeoJSON: the file holds ${describeValue(root)}, not a GeoJSON object`,
      { name: input.name },
    );
  }
  const rootType = canonicalType(root.type);
  if (rootType === null) {
    if (typeof root.type === "string") {
      const hint =
        root.type === "Topology" ? " TopoJSON is not supported; convert it to GeoJSON first." : "";
      return failure(
        GEOJSON_REASONS.unknownType,
        `${input.name} is not GeoJSON: its type "${root.type}" is not a GeoJSON type.${hint}`,
        { name: input.name, type: root.type },
      );
    }
    return failure(
      GEOJSON_REASONS.notGeoJson,
      root.type === undefined
        ? `${input.name} is JSON but not GeoJSON: it has no "type" member (such as "FeatureCollection")`
        : `${input.name} is JSON but not GeoJSON: its "type" is ${describeValue(root.type)}, not a GeoJSON type name`,
      { name: input.name },
    );
  }

  // A crs member Lykta cannot read does not matter when the person names the CRS.
  const named = fromCrs === null ? namedCrs(root) : { crs: null };
  if ("ok" in named) return named;
  const sourceCrs = fromCrs ?? named.crs ?? WGS84;
  const crsGiven = fromCrs !== null || named.crs !== null;
  const definition = crsDefinition(sourceCrs)!;
  const reader = new GeometryReader({
    transform: definition.kind === "geographic" ? null : toWgs84(sourceCrs),
  });
  const issues = new IssueList();

  // Notes on the root object itself (a FeatureCollection; other roots are read as a feature).
  const rootIssues = new IssueList();
  if (rootType.type === "FeatureCollection") {
    const rootReader = new GeometryReader({ transform: null });
    if (rootType.caseFixed) rootReader.noteTypeCase(root.type as string, rootType.type);
    rootReader.noteForbiddenMembers(root, FORBIDDEN_MEMBERS.FeatureCollection, "");
    rootReader.noteBbox(root, "");
    reportNotes(rootReader, rootIssues, "file", {});
  }

  const features: Feature<Geometry>[] = [];
  let totalFeatures: number;
  if (rootType.type === "FeatureCollection") {
    const list = root.features;
    if (list === undefined || list === null) {
      return failure(
        GEOJSON_REASONS.featuresMissing,
        `${input.name} is a FeatureCollection without a "features" array`,
        { name: input.name },
      );
    }
    if (!Array.isArray(list)) {
      return failure(
        GEOJSON_REASONS.featuresNotArray,
        `${input.name} is a FeatureCollection whose "features" is ${describeValue(list)}, not an array`,
        { name: input.name },
      );
    }
    if (list.length === 0) {
      return failure(GEOJSON_REASONS.noFeatures, `${input.name} contains no features`, {
        name: input.name,
      });
    }
    totalFeatures = list.length;
    for (let index = 0; index < list.length; index++) {
      readFeature(list[index], `features[${index}]`, { index }, reader, issues, features, false);
      if (index % PROGRESS_EVERY === PROGRESS_EVERY - 1) {
        onProgress(PARSE_SHARE + ((1 - PARSE_SHARE) * index) / list.length);
      }
    }
  } else if (rootType.type === "Feature") {
    totalFeatures = 1;
    readFeature(root, "feature", {}, reader, issues, features, false);
  } else {
    totalFeatures = 1;
    readFeature(root, "geometry", {}, reader, issues, features, true);
  }

  // Whole-file decisions that need every position.
  if (definition.kind === "projected" && reader.positionCount > 0 && reader.allWithinDegrees) {
    const [x, y] = reader.firstPosition!;
    return failure(
      GEOJSON_REASONS.crsMismatch,
      `The coordinates (e.g. [${x}, ${y}]) look like longitude and latitude in degrees, but the file is read as ${definition.name} (${sourceCrs}), which is in metres. Name the right CRS, or none for WGS 84.`,
      { crs: sourceCrs, x, y },
    );
  }
  const outOfRange = issues.rejected.filter((issue) => issue.code === GEOJSON_REASONS.outOfRange);
  if (!crsGiven && features.length === 0 && outOfRange.length > 0) {
    const first = outOfRange[0]!;
    const x = first.params?.x ?? 0;
    const y = first.params?.y ?? 0;
    const likely = likelyProjectedCrs(reader);
    if (likely) {
      return failure(
        GEOJSON_REASONS.outOfRangeLikelyCrs,
        `The coordinates are outside WGS84's range (longitude −180…180, latitude −90…90), e.g. [${x}, ${y}] at ${first.where}. They look like ${likely.name} (${likely.crs}) coordinates, but the file names no CRS. Name the CRS when importing (e.g. lykta --from-crs ${likely.crs}) or add a "crs" member to the file.`,
        { x, y, crs: likely.crs, crsName: likely.name },
      );
    }
    return failure(
      GEOJSON_REASONS.outOfRange,
      `The coordinates are outside WGS84's range (longitude −180…180, latitude −90…90), e.g. [${x}, ${y}] at ${first.where}. They look like projected coordinates (e.g. SWEREF 99 TM or a local SWEREF 99 zone), but the file names no CRS. Name the CRS when importing (e.g. lykta --from-crs EPSG:3006) or add a "crs" member to the file.`,
      { x, y },
    );
  }

  onProgress(1);
  return {
    ok: true,
    format: "geojson",
    sourceCrs,
    encoding,
    features,
    rejected: issues.rejected,
    repaired: [...rootIssues.repaired, ...issues.repaired],
    totalFeatures,
  };
}
