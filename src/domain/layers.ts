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
  luminousFluxLm: ["luminous_flux", "lumen", "lm", "flux", "ljusflode", "ljusflöde"],
  powerW: ["power", "watt", "w", "effekt", "lamp_power", "wattage", "vermogen"],
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
        kind: POI_KINDS.includes(kind as PoiKind) ? kind : poiKind,
        name: text(get("name")),
      };
    }
    case "priority_areas":
      return { name: text(get("name")) };
  }
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
