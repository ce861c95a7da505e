/**
 * What a planner's app publishes to the sync server for the municipal GIS (issue 8): the
 * latest lighting analysis and the latest budget plan, as GeoJSON features. One `publication`
 * record per project and collection, with an id derived from both, so publishing again is an
 * edit of the same record (a newer version of `features`) and the server's OGC API serves
 * what was published last.
 *
 * Pure: no DOM, no storage.
 */
import type { Feature, FeatureCollection, Geometry } from "geojson";
import { geometryProblem } from "./geometry";
import { createRecord, type EditContext, editRecord, type SyncedRecord } from "./record";

/** The OGC API collections a publication fills. Stored in records: never rename. */
export const PUBLICATION_COLLECTIONS = ["lighting", "plan"] as const;
export type PublicationCollection = (typeof PUBLICATION_COLLECTIONS)[number];

/** Most features one publication carries (a city's lighting analysis is tens of thousands). */
export const PUBLICATION_MAX_FEATURES = 200_000;

export interface PublicationFields {
  /** "" only in a tombstone. */
  collection: PublicationCollection | "";
  /** WGS 84 GeoJSON (RFC 7946), as the app exports it; null only in a tombstone. */
  features: FeatureCollection | null;
  /** Epoch ms on the publishing device. For display: decides no merge. */
  publishedAt: number;
}

export type PublicationRecord = SyncedRecord<PublicationFields>;

/** What a tombstone keeps: nothing. */
export const EMPTY_PUBLICATION_FIELDS: PublicationFields = Object.freeze({
  collection: "",
  features: null,
  publishedAt: 0,
}) as PublicationFields;

// DO NOT CHANGE: servers hold publications under ids made this way.
export const PUBLICATION_ID_PREFIX = "publication-";

/** The publication record id of a project's collection: "publication-lighting-<projectId>". */
export function publicationId(projectId: string, collection: PublicationCollection): string {
  if (projectId === "") throw new Error("publicationId: projectId must not be empty");
  return `${PUBLICATION_ID_PREFIX}${collection}-${projectId}`;
}

/**
 * Publish features: a new record when the project has none for the collection, else an edit
 * of the existing one (editRecord: unchanged features keep their version).
 */
export function publish(
  existing: PublicationRecord | undefined,
  projectId: string,
  collection: PublicationCollection,
  features: FeatureCollection,
  ctx: EditContext,
): PublicationRecord {
  const fields: PublicationFields = { collection, features, publishedAt: ctx.now() };
  if (existing === undefined) {
    return createRecord(
      { id: publicationId(projectId, collection), kind: "publication", projectId, fields },
      ctx,
    );
  }
  return editRecord(existing, fields, ctx);
}

const GEOMETRY_PARTS: Readonly<Record<string, "Point" | "LineString" | "Polygon">> = {
  MultiPoint: "Point",
  MultiLineString: "LineString",
  MultiPolygon: "Polygon",
};

/** Why a GeoJSON geometry (any type but GeometryCollection) is not valid WGS 84, or null. */
export function anyGeometryProblem(value: unknown): string | null {
  const type = (value as { type?: unknown } | null)?.type;
  const part = typeof type === "string" ? GEOMETRY_PARTS[type] : undefined;
  if (part === undefined) {
    const found = geometryProblem(value);
    return found === "geometry must be a Point, LineString or Polygon"
      ? "geometry must be a Point, MultiPoint, LineString, MultiLineString, Polygon or MultiPolygon"
      : found;
  }
  const parts = (value as { coordinates?: unknown }).coordinates;
  if (!Array.isArray(parts) || parts.length === 0) return `a ${type} needs at least one part`;
  for (const [index, coordinates] of parts.entries()) {
    const found = geometryProblem({ type: part, coordinates });
    if (found !== null) return `part ${index}: ${found}`;
  }
  return null;
}

/** Why `value` is not a publication's FeatureCollection, with where inside it; or null. */
export function publicationFeaturesProblem(
  value: unknown,
): { where: string; detail: string } | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { where: "", detail: "must be a GeoJSON FeatureCollection object" };
  }
  const collection = value as Partial<FeatureCollection>;
  if (collection.type !== "FeatureCollection") {
    return {
      where: ".type",
      detail: `must be "FeatureCollection", not ${JSON.stringify(collection.type)}`,
    };
  }
  if (!Array.isArray(collection.features)) {
    return { where: ".features", detail: "must be a list of features" };
  }
  if (collection.features.length > PUBLICATION_MAX_FEATURES) {
    return {
      where: ".features",
      detail: `has ${collection.features.length} features; at most ${PUBLICATION_MAX_FEATURES}`,
    };
  }
  for (const [index, raw] of (collection.features as unknown[]).entries()) {
    const where = `.features[${index}]`;
    const feature = raw as Partial<Feature<Geometry | null>> | null;
    if (typeof feature !== "object" || feature === null || feature.type !== "Feature") {
      return { where, detail: 'must be an object of type "Feature"' };
    }
    const properties = feature.properties;
    if (
      properties !== null &&
      (typeof properties !== "object" || properties === undefined || Array.isArray(properties))
    ) {
      return { where: `${where}.properties`, detail: "must be an object or null" };
    }
    if (
      feature.id !== undefined &&
      typeof feature.id !== "string" &&
      typeof feature.id !== "number"
    ) {
      return { where: `${where}.id`, detail: "must be text or a number" };
    }
    if (feature.geometry === null) continue;
    const found = anyGeometryProblem(feature.geometry);
    if (found !== null) return { where: `${where}.geometry`, detail: found };
  }
  return null;
}
