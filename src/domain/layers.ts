/**
 * Context layers a planner brings in: the path network, street lamps, points of interest
 * (schools, stops, ...) and priority areas. The person says what a layer is (its role);
 * fields are mapped to the model, detected where obvious and editable.
 */
import type { Feature, Geometry } from "geojson";
import type { LocalizedText } from "./labels";

export type LayerRole = "paths" | "lamps" | "poi" | "priority_areas";
export const LAYER_ROLES: readonly LayerRole[] = ["paths", "lamps", "poi", "priority_areas"];

/** Kinds of points of interest that matter for exposure (issue 6: nearness raises priority). */
export type PoiKind = "school" | "preschool" | "transit_stop" | "exercise_track" | "other";
export const POI_KINDS: readonly PoiKind[] = [
  "school",
  "preschool",
  "transit_stop",
  "exercise_track",
  "other",
];

export interface PathClass {
  id: string;
  label: LocalizedText;
}

export interface PathClassesFile {
  formatVersion: number;
  classes: PathClass[];
  /** OSM highway value -> path class id. */
  osmDefaults: Record<string, string>;
}

/** Model fields a source field can be mapped to, per role. */
export const MAPPABLE_FIELDS: Readonly<Record<LayerRole, readonly string[]>> = {
  paths: ["pathClass", "lit", "name"],
  lamps: ["poleHeightM", "luminousFluxLm", "powerW", "status", "ref"],
  poi: ["kind", "name"],
  priority_areas: ["name"],
};

/** Model field -> source property name (null: not mapped). */
export type FieldMapping = Record<string, string | null>;

/**
 * Source property names recognised for each model field, lower-cased, in order of
 * preference. Swedish municipal exports (höjd, ljusflöde, effekt), Dutch (MASTLENGTE) and
 * OSM tags (lit, name, ref) are covered; anything else is mapped by hand.
 */
const FIELD_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  pathClass: ["path_class", "pathclass", "vagklass", "vägklass", "klass", "class", "stracktyp"],
  lit: ["lit", "belyst", "belysning", "lighting"],
  name: ["name", "namn", "gatunamn", "street", "straat", "title", "benamning", "benämning"],
  poleHeightM: [
    "pole_height_m",
    "pole_height",
    "poleheight",
    "height",
    "hojd",
    "höjd",
    "stolphojd",
    "stolphöjd",
    "ljuspunktshojd",
    "ljuspunktshöjd",
    "mastlengte",
    "masthoogte",
    "mast_height",
    "lichtpunthoogte",
  ],
  luminousFluxLm: [
    "luminous_flux_lm",
    "luminous_flux",
    "lumen",
    "lm",
    "flux",
    "ljusflode",
    "ljusflöde",
  ],
  powerW: ["power_w", "power", "watt", "w", "effekt", "lamp_power", "wattage", "vermogen"],
  status: ["status", "state", "condition", "tillstand", "tillstånd", "operational_status"],
  ref: ["ref", "mastnummer", "stolpnummer", "stolpnr", "armatur_id", "lamp_id", "id", "nr"],
  kind: ["kind", "type", "typ", "amenity", "kategori", "category"],
};

/** Guess the mapping from the property names that occur in the layer. */
export function detectFieldMapping(role: LayerRole, propertyNames: Iterable<string>): FieldMapping {
  const byLower = new Map<string, string>();
  for (const name of propertyNames) {
    const lower = name.toLowerCase();
    if (!byLower.has(lower)) byLower.set(lower, name);
  }
  const mapping: FieldMapping = {};
  for (const field of MAPPABLE_FIELDS[role]) {
    const match = (FIELD_SYNONYMS[field] ?? []).find((synonym) => byLower.has(synonym));
    mapping[field] = match ? byLower.get(match)! : null;
  }
  return mapping;
}

/** Property names that occur in a layer, most frequent first (for the mapping form). */
export function propertyNames(features: readonly Feature[], sample = 2000): string[] {
  const counts = new Map<string, number>();
  const step = Math.max(1, Math.floor(features.length / sample));
  for (let i = 0; i < features.length; i += step) {
    for (const key of Object.keys(features[i]!.properties ?? {})) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([key]) => key);
}

/** The role a layer most likely has, from its geometries and tags. */
export function suggestRole(features: readonly Feature[]): LayerRole {
  let points = 0;
  let lines = 0;
  let areas = 0;
  let lamps = 0;
  for (const feature of features) {
    const type = feature.geometry?.type;
    if (type === "Point" || type === "MultiPoint") points += 1;
    else if (type === "LineString" || type === "MultiLineString") lines += 1;
    else if (type === "Polygon" || type === "MultiPolygon") areas += 1;
    if (feature.properties?.highway === "street_lamp") lamps += 1;
  }
  if (lines >= points && lines >= areas) return "paths";
  if (areas > points) return "priority_areas";
  if (lamps > 0 || points > 0) {
    const names = propertyNames(features).map((name) => name.toLowerCase());
    const lampLike = [...FIELD_SYNONYMS.poleHeightM!, ...FIELD_SYNONYMS.luminousFluxLm!];
    if (lamps > 0 || names.some((name) => lampLike.includes(name))) return "lamps";
    return "poi";
  }
  return "paths";
}

/** The default path class from OSM tags (documented in data/path-classes.json). */
export function defaultPathClass(
  tags: Record<string, unknown>,
  classes: PathClassesFile,
): string | null {
  const highway = typeof tags.highway === "string" ? tags.highway : "";
  if (highway === "footway" && tags.footway === "sidewalk") return "local_footway";
  return classes.osmDefaults[highway] ?? null;
}

/** A number typed in a file: "4,5", "4.5 m", " 12 " (metres, lumen, watt). */
export function parseMeasure(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string") return null;
  const match = /^\s*(-?\d+(?:[.,]\d+)?)\s*[a-zA-Z]*\s*$/.exec(value);
  return match ? Number(match[1]!.replace(",", ".")) : null;
}

export type LitValue = "yes" | "no" | "unknown";

/** OSM `lit` and municipal yes/no fields. OSM values: yes, no, 24/7, automatic, limited, ... */
export function parseLit(value: unknown): LitValue {
  if (value === true || value === 1) return "yes";
  if (value === false || value === 0) return "no";
  if (typeof value !== "string") return "unknown";
  const lower = value.trim().toLowerCase();
  if (
    [
      "yes",
      "ja",
      "j",
      "true",
      "1",
      "24/7",
      "automatic",
      "interval",
      "limited",
      "sunset-sunrise",
    ].includes(lower)
  ) {
    return "yes";
  }
  if (["no", "nej", "n", "false", "0", "disused"].includes(lower)) return "no";
  return "unknown";
}

/** Model properties of a path, lamp, point of interest or priority area. */
export interface NormalisedProperties {
  /** The source's own properties, kept for the GIS round trip. */
  source: Record<string, unknown>;
  [field: string]: unknown;
}

/**
 * Model properties from a feature's source properties, through the mapping. Paths get
 * `pathClass` (mapped, else the OSM default), `lit` and `name`; lamps get `poleHeightM`,
 * `luminousFluxLm`, `powerW`, `status` and `ref`.
 */
export function normaliseProperties(
  role: LayerRole,
  properties: Record<string, unknown>,
  mapping: FieldMapping,
  classes: PathClassesFile,
  poiKind: PoiKind = "other",
): Record<string, unknown> {
  const get = (field: string) => {
    const source = mapping[field];
    return source ? properties[source] : undefined;
  };
  const text = (value: unknown) =>
    value === undefined || value === null || value === "" ? null : String(value);
  switch (role) {
    case "paths": {
      const mapped = text(get("pathClass"));
      const known = mapped && classes.classes.some((entry) => entry.id === mapped) ? mapped : null;
      return {
        pathClass: known ?? defaultPathClass(properties, classes),
        lit: parseLit(get("lit")),
        name: text(get("name")),
      };
    }
    case "lamps":
      return {
        poleHeightM: parseMeasure(get("poleHeightM")),
        luminousFluxLm: parseMeasure(get("luminousFluxLm")),
        powerW: parseMeasure(get("powerW")),
        status: text(get("status")),
        ref: text(get("ref")),
      };
    case "poi": {
      const kind = text(get("kind"));
      return {
        kind: POI_KINDS.includes(kind as PoiKind) ? kind : (poiKindFromTags(properties) ?? poiKind),
        name: text(get("name")),
      };
    }
    case "priority_areas":
      return { name: text(get("name")) };
  }
}

/**
 * Does a feature belong in a layer of this role? The geometry must fit. In OSM data (the
 * file has `highway=street_lamp` points: pass `osmLamps`), a point is a lamp only when it is
 * tagged so: an OSM extract also holds crossings, signals, bus stops and untagged nodes.
 */
export function belongsToRole(role: LayerRole, feature: Feature, osmLamps = false): boolean {
  if (!feature.geometry || !roleAccepts(role, feature.geometry)) return false;
  const highway = feature.properties?.highway;
  if (role === "lamps" && (osmLamps || typeof highway === "string")) {
    return highway === "street_lamp";
  }
  if (role === "paths" && highway === "street_lamp") return false;
  return true;
}

/** The kind of a point of interest from OSM tags, when the file has them. */
export function poiKindFromTags(tags: Record<string, unknown>): PoiKind | null {
  if (tags.amenity === "school") return "school";
  if (tags.amenity === "kindergarten" || tags.amenity === "childcare") return "preschool";
  if (
    tags.highway === "bus_stop" ||
    tags.public_transport === "platform" ||
    tags.public_transport === "stop_position" ||
    tags.railway === "station" ||
    tags.railway === "tram_stop"
  ) {
    return "transit_stop";
  }
  if (tags.leisure === "track" || tags.leisure === "fitness_station" || tags.sport === "running") {
    return "exercise_track";
  }
  return null;
}

/** Geometry types a role accepts. */
export function roleAccepts(role: LayerRole, geometry: Geometry): boolean {
  switch (role) {
    case "paths":
      return geometry.type === "LineString" || geometry.type === "MultiLineString";
    case "lamps":
      return geometry.type === "Point";
    case "poi":
      return (
        geometry.type === "Point" || geometry.type === "Polygon" || geometry.type === "MultiPolygon"
      );
    case "priority_areas":
      return geometry.type === "Polygon" || geometry.type === "MultiPolygon";
  }
}

/**
 * A context layer of a project, as a record. Its features are stored beside it, as one
 * immutable data file keyed by its SHA-256 (like photos), in the normalised form: each
 * feature's properties are the model fields of its role plus `source` (what the file had).
 * Changing the role or the mapping writes a new data file and points `dataId` at it.
 */
export interface LayerFields {
  name: string;
  role: LayerRole | "";
  poiKind: PoiKind | null;
  /** File name as imported. */
  sourceFile: string;
  sourceFormat: string;
  /** CRS the file's coordinates were in, e.g. "EPSG:3006"; stored data is WGS84. */
  sourceCrs: string;
  encoding: string | null;
  fieldMapping: FieldMapping;
  featureCount: number;
  /** Features left out at import (with reasons shown at the time). */
  rejectedCount: number;
  /** SHA-256 of the data file. */
  dataId: string;
  /** [west, south, east, north] in WGS84. */
  bbox: [number, number, number, number] | null;
  attribution: string;
  importedAt: number;
  visible: boolean;
}

export const EMPTY_LAYER_FIELDS: LayerFields = Object.freeze({
  name: "",
  role: "",
  poiKind: null,
  sourceFile: "",
  sourceFormat: "",
  sourceCrs: "",
  encoding: null,
  fieldMapping: {},
  featureCount: 0,
  rejectedCount: 0,
  dataId: "",
  bbox: null,
  attribution: "",
  importedAt: 0,
  visible: false,
}) as LayerFields;

/** [west, south, east, north] of features, or null when there are none. */
export function boundsOf(features: readonly Feature[]): [number, number, number, number] | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  const visit = (coordinates: unknown): void => {
    if (!Array.isArray(coordinates)) return;
    if (typeof coordinates[0] === "number") {
      const x = coordinates[0] as number;
      const y = coordinates[1] as number;
      if (x < west) west = x;
      if (x > east) east = x;
      if (y < south) south = y;
      if (y > north) north = y;
      return;
    }
    for (const child of coordinates) visit(child);
  };
  for (const feature of features) {
    const geometry = feature.geometry;
    if (geometry && "coordinates" in geometry) visit(geometry.coordinates);
  }
  return Number.isFinite(west) ? [west, south, east, north] : null;
}

/** OpenStreetMap's required credit (ODbL). */
export const OSM_ATTRIBUTION = "© OpenStreetMap contributors";

/**
 * Is this OSM data in another format (GeoJSON from osmium or Overpass, say)? Then it must
 * carry OSM's credit too. Recognised by OSM ids ("way/123", osmium's "@id") on a sample.
 */
export function looksLikeOsm(features: readonly Feature[], sample = 200): boolean {
  const step = Math.max(1, Math.floor(features.length / sample));
  let osm = 0;
  let seen = 0;
  for (let i = 0; i < features.length; i += step) {
    seen += 1;
    const feature = features[i]!;
    const id = feature.properties?.["@id"] ?? feature.id;
    if (typeof id === "string" && /^(node|way|relation)\/\d+$/.test(id)) osm += 1;
    else if (typeof id === "number" && typeof feature.properties?.["@type"] === "string") osm += 1;
  }
  return seen > 0 && osm / seen >= 0.5;
}
