/**
 * Model inputs from what Lykta has: imported GeoJSON features (raw, as an importer returns
 * them, or normalised layer features with `pathClass`/`lit`/`source`), and observation
 * records from walks. User data never throws here: what cannot be used is returned with a
 * reason (`features[17]: ...`), as importers do.
 */
import type { Feature, Geometry, Position } from "geojson";
import {
  belongsToRole,
  defaultPathClass,
  detectFieldMapping,
  type FieldMapping,
  type LitValue,
  type PathClassesFile,
  POI_KINDS,
  type PoiKind,
  parseLit,
  parseMeasure,
  poiKindFromTags,
  propertyNames,
} from "../layers";
import type { ObservationRecord } from "../observation";
import { parseLampStatus } from "./photometry";
import type {
  LightingArea,
  LightingLamp,
  LightingObservation,
  LightingPath,
  LightingPoi,
} from "./types";

/** Reason codes for features left out of the analysis. */
export const LIGHTING_INPUT_REASONS = {
  /** A paths feature that is not a (Multi)LineString (points, areas: not paths). */
  notALine: "lighting_not_a_line",
  /** A line with fewer than two distinct positions. */
  tooShort: "lighting_line_too_short",
  /** A lamps feature that is not a Point, or a point that is not a lamp (OSM crossings ...). */
  notALamp: "lighting_not_a_lamp",
} as const;

export interface LeftOut {
  /** "features[17]" (index in the input list). */
  where: string;
  code: string;
  message: string;
}

/** The id a feature keeps through the analysis: OSM "way/123", the feature id, or its index. */
export function featureId(feature: Feature, index: number): string {
  const properties = feature.properties ?? {};
  const own = osmFeatureId(properties);
  if (own !== null) return own;
  if (feature.id !== undefined && feature.id !== null && feature.id !== "")
    return String(feature.id);
  // A layer imported in the app keeps the source's properties under `source`.
  const source = properties.source;
  if (typeof source === "object" && source !== null) {
    const fromSource = osmFeatureId(source as Record<string, unknown>);
    if (fromSource !== null) return fromSource;
  }
  return `features[${index}]`;
}

function osmFeatureId(properties: Record<string, unknown>): string | null {
  const osmId = properties["@id"];
  const osmType = properties["@type"];
  if (typeof osmId === "string" && osmId !== "") return osmId;
  if (typeof osmId === "number" && typeof osmType === "string") return `${osmType}/${osmId}`;
  return null;
}

/** A lamp's name for people: its reference, else its source id, else its place in the layer. */
export function lampDisplayName(lamp: { id: string; ref: string | null }): string {
  if (lamp.ref !== null) return lamp.ref;
  const index = /^features\[(\d+)\]$/.exec(lamp.id);
  return index ? `#${Number(index[1]) + 1}` : lamp.id;
}

/** Is this a normalised layer feature (export/geojson.ts normaliseLayer), not a raw one? */
function isNormalised(properties: Record<string, unknown>): boolean {
  return typeof properties.source === "object" && properties.source !== null && "lit" in properties;
}

function distinctPositions(line: Position[]): Position[] {
  const out: Position[] = [];
  for (const position of line) {
    const last = out[out.length - 1];
    if (last === undefined || last[0] !== position[0] || last[1] !== position[1])
      out.push(position);
  }
  return out;
}

export interface PathsFromFeaturesOptions {
  pathClasses: PathClassesFile;
  /** Source property that holds the path class (data/path-classes.json ids); overrides detection. */
  classField?: string;
  /** Field mapping as the person set it in the app; detected when absent. */
  mapping?: FieldMapping;
}

/**
 * Every (Multi)LineString becomes a path (one per part). Class: the mapped field when its
 * value is a known class id, else the default of the OSM `highway` tag
 * (data/path-classes.json `osmDefaults`), else none. `lit` from the mapped field (OSM `lit`,
 * "belyst", ...).
 */
export function pathsFromFeatures(
  features: readonly Feature<Geometry | null>[],
  options: PathsFromFeaturesOptions,
): { paths: LightingPath[]; leftOut: LeftOut[] } {
  const mapping: FieldMapping = {
    ...(options.mapping ?? detectFieldMapping("paths", propertyNames(features as Feature[]))),
  };
  if (options.classField !== undefined) mapping.pathClass = options.classField;
  const classField = mapping.pathClass ?? null;
  const litField = mapping.lit ?? null;
  const nameField = mapping.name ?? null;
  const knownClasses = new Set(options.pathClasses.classes.map((entry) => entry.id));
  const paths: LightingPath[] = [];
  const leftOut: LeftOut[] = [];
  for (let index = 0; index < features.length; index++) {
    const feature = features[index]!;
    const where = `features[${index}]`;
    const geometry = feature.geometry;
    if (
      geometry === null ||
      (geometry.type !== "LineString" && geometry.type !== "MultiLineString")
    ) {
      leftOut.push({
        where,
        code: LIGHTING_INPUT_REASONS.notALine,
        message: `a ${geometry?.type ?? "feature without geometry"} is not a path (paths are LineStrings)`,
      });
      continue;
    }
    const properties = (feature.properties ?? {}) as Record<string, unknown>;
    let pathClass: string | null;
    let lit: LitValue;
    let name: string | null;
    if (isNormalised(properties) && options.classField === undefined) {
      pathClass = typeof properties.pathClass === "string" ? properties.pathClass : null;
      lit = parseLit(properties.lit);
      name = typeof properties.name === "string" ? properties.name : null;
    } else {
      // As normaliseProperties("paths", ...), without its per-feature closures (a city has
      // tens of thousands of ways).
      const mapped = classField === null ? undefined : properties[classField];
      pathClass =
        typeof mapped === "string" && knownClasses.has(mapped)
          ? mapped
          : defaultPathClass(properties, options.pathClasses);
      lit = litField === null ? "unknown" : parseLit(properties[litField]);
      const named = nameField === null ? undefined : properties[nameField];
      name = named === undefined || named === null || named === "" ? null : String(named);
    }
    const id = featureId(feature as Feature, index);
    const parts = geometry.type === "LineString" ? [geometry.coordinates] : geometry.coordinates;
    for (const part of parts) {
      const coordinates = distinctPositions(part);
      if (coordinates.length < 2) {
        leftOut.push({
          where,
          code: LIGHTING_INPUT_REASONS.tooShort,
          message: "a line needs at least two distinct positions",
        });
        continue;
      }
      paths.push({ id, coordinates, pathClass, lit, name });
    }
  }
  return { paths, leftOut };
}

/**
 * A model field of a feature: its own property when the feature is normalised, else the
 * mapped source property (undefined when nothing is mapped), as normaliseProperties reads it.
 */
function fieldValue(
  properties: Record<string, unknown>,
  normalised: boolean,
  field: string,
  source: string | null,
): unknown {
  if (normalised) return properties[field];
  return source === null ? undefined : properties[source];
}

/**
 * Every Point that is a lamp becomes one. In OSM data (some point has `highway=street_lamp`)
 * only street lamps count; elsewhere every point. Height, flux, power, status and ref come
 * through the field mapping (detected: höjd, MASTLENGTE, ljusflöde, effekt, ...).
 */
export function lampsFromFeatures(
  features: readonly Feature<Geometry | null>[],
  options: { mapping?: FieldMapping } = {},
): { lamps: LightingLamp[]; leftOut: LeftOut[] } {
  const osmLamps = features.some(
    (feature) =>
      feature.geometry?.type === "Point" && feature.properties?.highway === "street_lamp",
  );
  const mapping =
    options.mapping ??
    detectFieldMapping(
      "lamps",
      propertyNames(
        (features as Feature[]).filter((feature) => feature.geometry?.type === "Point"),
      ),
    );
  // The model fields through the mapping, as normaliseProperties("lamps", ...) reads them.
  const heightField = mapping.poleHeightM ?? null;
  const fluxField = mapping.luminousFluxLm ?? null;
  const powerField = mapping.powerW ?? null;
  const statusField = mapping.status ?? null;
  const refField = mapping.ref ?? null;
  const lamps: LightingLamp[] = [];
  const leftOut: LeftOut[] = [];
  // A plain loop without per-lamp closures: a city has 50,000 lamps, read once (cold code).
  for (let index = 0; index < features.length; index++) {
    const feature = features[index]!;
    if (!belongsToRole("lamps", feature as Feature, osmLamps)) {
      leftOut.push({
        where: `features[${index}]`,
        code: LIGHTING_INPUT_REASONS.notALamp,
        message:
          feature.geometry?.type === "Point"
            ? "a point that is not a street lamp (OSM highway tag other than street_lamp)"
            : `a ${feature.geometry?.type ?? "feature without geometry"} is not a lamp (lamps are Points)`,
      });
      continue;
    }
    const properties = (feature.properties ?? {}) as Record<string, unknown>;
    const normalised = isNormalised(properties);
    const ref = fieldValue(properties, normalised, "ref", refField);
    const position = (feature.geometry as { coordinates: Position }).coordinates;
    lamps.push({
      id: featureId(feature as Feature, index),
      position: [position[0]!, position[1]!],
      poleHeightM: parseMeasure(fieldValue(properties, normalised, "poleHeightM", heightField)),
      luminousFluxLm: parseMeasure(fieldValue(properties, normalised, "luminousFluxLm", fluxField)),
      powerW: parseMeasure(fieldValue(properties, normalised, "powerW", powerField)),
      status: parseLampStatus(fieldValue(properties, normalised, "status", statusField)),
      ref: ref === undefined || ref === null || ref === "" ? null : String(ref),
    });
  }
  return { lamps, leftOut };
}

/** Checklist categories that report a broken lamp, and darkness (data/checklist.json). */
export const BROKEN_LAMP_CATEGORIES: readonly string[] = ["lighting.broken"];
export const DARK_CATEGORIES: readonly string[] = [
  "lighting.missing",
  "lighting.dark_stretch",
  "lighting.dark_tunnel",
];

function observationCoordinates(geometry: Geometry | null): Position | Position[] | null {
  if (geometry === null) return null;
  if (geometry.type === "Point") return geometry.coordinates;
  if (geometry.type === "LineString") return geometry.coordinates;
  if (geometry.type === "Polygon") return geometry.coordinates[0] ?? null;
  return null;
}

/**
 * What the analysis uses from a walk's observation records: broken lamps, dark reports and
 * lux readings. Deleted records and records of other categories without a reading are left out.
 */
export function lightingObservationsFromRecords(
  records: readonly ObservationRecord[],
): LightingObservation[] {
  const result: LightingObservation[] = [];
  for (const record of records) {
    if (record.deleted) continue;
    const fields = record.fields;
    const observation = lightingObservation(
      record.id,
      fields.geometry,
      fields.categoryId,
      fields.illuminanceLux,
    );
    if (observation !== null) result.push(observation);
  }
  return result;
}

function lightingObservation(
  id: string,
  geometry: Geometry | null,
  categoryId: string,
  illuminanceLux: number | null,
): LightingObservation | null {
  const coordinates = observationCoordinates(geometry);
  if (coordinates === null) return null;
  const reportsBrokenLamp = BROKEN_LAMP_CATEGORIES.includes(categoryId);
  const reportsDark = DARK_CATEGORIES.includes(categoryId);
  const lux =
    typeof illuminanceLux === "number" && Number.isFinite(illuminanceLux) ? illuminanceLux : null;
  if (!reportsBrokenLamp && !reportsDark && lux === null) return null;
  return { id, coordinates, reportsBrokenLamp, reportsDark, illuminanceLux: lux };
}

/**
 * The same from Lykta's observations GeoJSON export (docs/format.md: `id`, `category_id`,
 * `illuminance_lux`), for the CLI.
 */
export function lightingObservationsFromFeatures(
  features: readonly Feature<Geometry | null>[],
): LightingObservation[] {
  const result: LightingObservation[] = [];
  features.forEach((feature, index) => {
    const properties = (feature.properties ?? {}) as Record<string, unknown>;
    const category = typeof properties.category_id === "string" ? properties.category_id : "";
    const lux = parseMeasure(properties.illuminance_lux);
    const observation = lightingObservation(
      typeof properties.id === "string" ? properties.id : featureId(feature as Feature, index),
      feature.geometry,
      category,
      lux,
    );
    if (observation === null) return;
    if (typeof properties.lamp_ref === "string" && properties.lamp_ref !== "") {
      observation.lampRef = properties.lamp_ref;
    }
    result.push(observation);
  });
  return result;
}

/** Points of interest: points, or the mean of an area's outer ring. Kind from `kind` or OSM tags. */
export function poisFromFeatures(
  features: readonly Feature<Geometry | null>[],
  fallbackKind: PoiKind = "other",
): LightingPoi[] {
  const result: LightingPoi[] = [];
  features.forEach((feature, index) => {
    const geometry = feature.geometry;
    let position: Position | null = null;
    if (geometry?.type === "Point") position = geometry.coordinates;
    else if (geometry?.type === "Polygon" || geometry?.type === "MultiPolygon") {
      const ring =
        geometry.type === "Polygon" ? geometry.coordinates[0] : geometry.coordinates[0]?.[0];
      if (ring && ring.length > 1) {
        const vertices = ring.slice(0, -1);
        position = [
          vertices.reduce((sum, p) => sum + p[0]!, 0) / vertices.length,
          vertices.reduce((sum, p) => sum + p[1]!, 0) / vertices.length,
        ];
      }
    }
    if (position === null) return;
    const properties = (feature.properties ?? {}) as Record<string, unknown>;
    const kind =
      typeof properties.kind === "string" && POI_KINDS.includes(properties.kind as PoiKind)
        ? (properties.kind as PoiKind)
        : (poiKindFromTags(properties) ?? fallbackKind);
    result.push({
      id: featureId(feature as Feature, index),
      position: [position[0]!, position[1]!],
      kind,
      name: typeof properties.name === "string" ? properties.name : null,
    });
  });
  return result;
}

/** Priority areas: every (Multi)Polygon. */
export function areasFromFeatures(features: readonly Feature<Geometry | null>[]): LightingArea[] {
  const result: LightingArea[] = [];
  features.forEach((feature, index) => {
    const geometry = feature.geometry;
    if (geometry?.type !== "Polygon" && geometry?.type !== "MultiPolygon") return;
    const properties = (feature.properties ?? {}) as Record<string, unknown>;
    const name =
      typeof properties.name === "string"
        ? properties.name
        : typeof properties.namn === "string"
          ? properties.namn
          : null;
    result.push({
      id: featureId(feature as Feature, index),
      name,
      polygons: geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates,
    });
  });
  return result;
}
