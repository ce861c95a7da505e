/**
 * Export for people and GIS (issue 3, section 5; documented in docs/format.md).
 *
 * Records become flat features: snake_case attribute names with the unit in the name
 * (`illuminance_lux`, `length_m`), scalar values where possible (QGIS and ArcGIS show them as
 * an attribute table), ISO 8601 times, category codes plus Swedish labels, photos referenced
 * by file name. Tombstones, clocks and device ids are left out: these files are for people,
 * not merge inputs (that is the `.lykta` package).
 *
 * This module builds the features (one builder per kind) and writes RFC 7946 GeoJSON:
 * WGS84, exterior rings counter-clockwise and holes clockwise (the right-hand rule),
 * at most 7 decimals (1e-7 degree is about 1 cm), 2D. sweref.ts and csv.ts write the same
 * features in other forms.
 */
import type { Feature, Geometry, Position } from "geojson";
import { type Checklist, findCategory } from "../checklist";
import type { Counts, GroupsFile, OrganisationsFile } from "../groups";
import { newId } from "../ids";
import {
  type LayerRole,
  type NormalisedProperties,
  normaliseProperties,
  type PathClassesFile,
} from "../layers";
import type { ObservationRecord } from "../observation";
import { localParts, zoneOffsetMs } from "../time";
import { type TrackChunkRecord, type TrackRecord, trackPoints } from "../track";
import type { WalkRecord } from "../walk";

/** Version of the exported attribute set; raised when a column changes meaning or goes away. */
export const EXPORT_FORMAT_VERSION = 1;
/** RFC 7946 §11.2: 7 decimals of a degree are about 1 cm, finer than any GPS. */
export const WGS84_DECIMALS = 7;
/** Folder of photo files beside an export, as referenced by `photo_files`. */
export const PHOTO_FOLDER = "photos";

/** What a file holds: one kind per file, so every file is one attribute table. */
export type ExportKind =
  | "observations"
  | "walks"
  | "tracks"
  | "paths"
  | "lamps"
  | "poi"
  | "priority_areas"
  /** Places reported by several teams, derived (the CLI's `sites`; export/sites.ts). */
  | "sites"
  /** The budget plan's actions and tasks, derived (the CLI's `plan`; export/plan.ts). */
  | "plan"
  /** Any features, properties as read (the CLI's `convert`). */
  | "features";

export const LYKTA_KINDS: readonly ExportKind[] = [
  "observations",
  "walks",
  "tracks",
  "paths",
  "lamps",
  "poi",
  "priority_areas",
];

/** The export kind of an imported layer's role (the same words). */
export const LAYER_ROLE_KIND: Readonly<Record<LayerRole, ExportKind>> = {
  paths: "paths",
  lamps: "lamps",
  poi: "poi",
  priority_areas: "priority_areas",
};

/** One exported feature: WGS84 geometry (not yet rounded) and flat properties. */
export interface ExportFeature {
  /** Record id (UUID) for Lykta records; the source's id for other features; null: none. */
  id: string | number | null;
  geometry: Geometry | null;
  properties: Record<string, unknown>;
}

/** Photo file name relative to the export, e.g. "photos/3f2a….jpg" (photos are JPEG). */
export function photoFileName(sha256: string): string {
  return `${PHOTO_FOLDER}/${sha256}.jpg`;
}

// ---------------------------------------------------------------------------------------
// Times

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/**
 * ISO 8601 in Swedish local time with its offset, e.g. "2026-11-24T18:03:12+01:00":
 * what the team saw on the clock, and still one exact instant. Milliseconds only when set.
 */
export function isoLocalTime(epochMs: number): string {
  const parts = localParts(epochMs);
  const offsetMinutes = Math.round(zoneOffsetMs(epochMs) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const absolute = Math.abs(offsetMinutes);
  const millis = ((epochMs % 1000) + 1000) % 1000;
  return (
    `${parts.year}-${pad(parts.month)}-${pad(parts.day)}` +
    `T${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.second)}` +
    (millis === 0 ? "" : `.${pad(millis, 3)}`) +
    `${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`
  );
}

// ---------------------------------------------------------------------------------------
// Geometry: rounding, ring winding, measures

/** Round to `decimals`; the shortest decimal form of the result has at most that many. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return rounded === 0 ? 0 : rounded; // no "-0"
}

/** Twice the signed area of a ring in its own plane: > 0 counter-clockwise (x east, y north). */
export function ringSignedArea2(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return sum;
}

/** The right-hand rule of RFC 7946 §3.1.6: exterior counter-clockwise, holes clockwise. */
export function rewindPolygon(rings: readonly Position[][]): Position[][] {
  return rings.map((ring, index) => {
    const counterClockwise = ringSignedArea2(ring) > 0;
    const wantCounterClockwise = index === 0;
    return counterClockwise === wantCounterClockwise ? ring : [...ring].reverse();
  });
}

const samePosition = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

function withoutRepeats(positions: Position[]): Position[] {
  return positions.filter(
    (position, index) => index === 0 || !samePosition(position, positions[index - 1]!),
  );
}

/** A position mapper: from WGS84 lon/lat to the output's coordinates. */
export type PositionTransform = (position: Position) => Position;

/**
 * The geometry as written: transformed (SWEREF), 2D, rounded to `decimals`, repeated
 * positions that rounding made dropped, polygon rings rewound to the right-hand rule.
 */
export function outputGeometry(
  geometry: Geometry | null,
  decimals: number,
  transform: PositionTransform = (position) => position,
): Geometry | null {
  if (geometry === null) return null;
  const point = (position: Position): Position => {
    const [x, y] = transform(position);
    return [roundTo(x!, decimals), roundTo(y!, decimals)];
  };
  const line = (positions: Position[]): Position[] => {
    const rounded = positions.map(point);
    const distinct = withoutRepeats(rounded);
    return distinct.length >= 2 ? distinct : rounded;
  };
  const ring = (positions: Position[]): Position[] => {
    const rounded = positions.map(point);
    const distinct = withoutRepeats(rounded);
    return distinct.length >= 4 ? distinct : rounded;
  };
  const polygon = (rings: Position[][]): Position[][] => rewindPolygon(rings.map(ring));
  switch (geometry.type) {
    case "Point":
      return { type: "Point", coordinates: point(geometry.coordinates) };
    case "MultiPoint":
      return { type: "MultiPoint", coordinates: geometry.coordinates.map(point) };
    case "LineString":
      return { type: "LineString", coordinates: line(geometry.coordinates) };
    case "MultiLineString":
      return { type: "MultiLineString", coordinates: geometry.coordinates.map(line) };
    case "Polygon":
      return { type: "Polygon", coordinates: polygon(geometry.coordinates) };
    case "MultiPolygon":
      return { type: "MultiPolygon", coordinates: geometry.coordinates.map(polygon) };
    case "GeometryCollection":
      return {
        type: "GeometryCollection",
        geometries: geometry.geometries.map(
          (member) => outputGeometry(member, decimals, transform) as Geometry,
        ),
      };
  }
}

/** GRS 80 (SWEREF 99; WGS84 differs by 0.1 mm in the semi-minor axis). */
const ELLIPSOID_A_M = 6_378_137;
const ELLIPSOID_F = 1 / 298.257222101;
const E2 = ELLIPSOID_F * (2 - ELLIPSOID_F);
const E = Math.sqrt(E2);
const RAD = Math.PI / 180;

/**
 * Length of a segment on the ellipsoid, from the meridian and prime-vertical radii at its
 * middle latitude. For segments under 10 km this agrees with the geodesic to better than
 * 1 mm, and so with QGIS's ellipsoidal `$length`.
 */
function segmentLengthM(a: Position, b: Position): number {
  const midLatitude = ((a[1]! + b[1]!) / 2) * RAD;
  const sin = Math.sin(midLatitude);
  const w = 1 - E2 * sin * sin;
  const meridianRadius = (ELLIPSOID_A_M * (1 - E2)) / (w * Math.sqrt(w));
  const primeVerticalRadius = ELLIPSOID_A_M / Math.sqrt(w);
  const north = (b[1]! - a[1]!) * RAD * meridianRadius;
  const east = (b[0]! - a[0]!) * RAD * primeVerticalRadius * Math.cos(midLatitude);
  return Math.hypot(north, east);
}

function pathLengthM(positions: readonly Position[]): number {
  let total = 0;
  for (let i = 1; i < positions.length; i++)
    total += segmentLengthM(positions[i - 1]!, positions[i]!);
  return total;
}

/** Length in metres on the ellipsoid of a (multi)line; null for other geometries. */
export function lengthM(geometry: Geometry | null): number | null {
  if (geometry?.type === "LineString") return roundTo(pathLengthM(geometry.coordinates), 2);
  if (geometry?.type === "MultiLineString") {
    return roundTo(
      geometry.coordinates.reduce((sum, part) => sum + pathLengthM(part), 0),
      2,
    );
  }
  return null;
}

/** Snyder (1987) eq. 3-12: q, the authalic function; the ellipsoid's area is a²/2 dq dλ. */
function authalicQ(latitudeDeg: number): number {
  const sin = Math.sin(latitudeDeg * RAD);
  return (
    (1 - E2) *
    (sin / (1 - E2 * sin * sin) - (1 / (2 * E)) * Math.log((1 - E * sin) / (1 + E * sin)))
  );
}

/** Area of a ring on the ellipsoid: the shoelace in the cylindrical equal-area projection. */
function ringAreaM2(ring: readonly Position[]): number {
  const projected = ring.map((position) => [
    position[0]! * RAD * ELLIPSOID_A_M,
    (authalicQ(position[1]!) * ELLIPSOID_A_M) / 2,
  ]);
  return Math.abs(ringSignedArea2(projected)) / 2;
}

function polygonAreaM2(rings: readonly Position[][]): number {
  const [exterior, ...holes] = rings;
  if (!exterior) return 0;
  return Math.max(
    0,
    holes.reduce((area, hole) => area - ringAreaM2(hole), ringAreaM2(exterior)),
  );
}

/** Area in square metres on the ellipsoid of a (multi)polygon, holes subtracted; else null. */
export function areaM2(geometry: Geometry | null): number | null {
  if (geometry?.type === "Polygon") return roundTo(polygonAreaM2(geometry.coordinates), 2);
  if (geometry?.type === "MultiPolygon") {
    return roundTo(
      geometry.coordinates.reduce((sum, polygon) => sum + polygonAreaM2(polygon), 0),
      2,
    );
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Builders: records -> features

export interface ObservationExportContext {
  checklist: Checklist;
  groups: GroupsFile;
  /** For `walk_name` and `walk_date`; walks not given leave them null. */
  walks: readonly WalkRecord[];
}

function liveWalks(walks: readonly WalkRecord[]): Map<string, WalkRecord> {
  return new Map(walks.filter((walk) => !walk.deleted).map((walk) => [walk.id, walk]));
}

/** One feature per observation that is not deleted; oldest first. */
export function observationFeatures(
  records: readonly ObservationRecord[],
  context: ObservationExportContext,
): ExportFeature[] {
  const walks = liveWalks(context.walks);
  const groupLabels = new Map<string, string>([
    [context.groups.everyone.id, context.groups.everyone.label.sv],
    ...context.groups.groups.map((group) => [group.id, group.label.sv] as [string, string]),
  ]);
  return records
    .filter((record) => !record.deleted)
    .sort((a, b) => a.fields.observedAt - b.fields.observedAt || a.id.localeCompare(b.id))
    .map((record) => {
      const fields = record.fields;
      const walk = record.walkId === undefined ? undefined : walks.get(record.walkId);
      const found = findCategory(context.checklist, fields.categoryId);
      return {
        id: record.id,
        geometry: fields.geometry,
        properties: {
          id: record.id,
          walk_id: record.walkId ?? null,
          walk_name: walk?.fields.name ?? null,
          walk_date: walk?.fields.date || null,
          category_id: fields.categoryId,
          category_label_sv: found?.category.label.sv ?? null,
          category_group_id: found?.group.id ?? null,
          category_group_label_sv: found?.group.label.sv ?? null,
          severity: fields.severity,
          felt_unsafe: [...fields.feltUnsafe],
          felt_unsafe_label_sv: fields.feltUnsafe.map((id) => groupLabels.get(id) ?? id),
          note: fields.note,
          illuminance_lux: fields.illuminanceLux,
          observed_at: isoLocalTime(fields.observedAt),
          position_accuracy_m: fields.positionAccuracyM,
          placement: fields.placement,
          photo_count: fields.photoIds.length,
          photo_files: fields.photoIds.map(photoFileName),
          geometry_type: fields.geometry?.type ?? null,
          length_m: lengthM(fields.geometry),
          area_m2: areaM2(fields.geometry),
        },
      };
    });
}

export interface WalkExportContext {
  organisations: OrganisationsFile;
  groups: GroupsFile;
  /** The project's observations, for `observation_count` (deleted ones are not counted). */
  observations: readonly ObservationRecord[];
}

/** Count columns: every known id (0 when absent), then ids this app does not know. */
function countColumns(prefix: string, counts: Counts, knownIds: readonly string[]) {
  const columns: Record<string, number> = {};
  for (const id of knownIds) columns[`${prefix}${id}`] = counts[id] ?? 0;
  for (const id of Object.keys(counts).sort()) {
    if (!knownIds.includes(id)) columns[`${prefix}${id}`] = counts[id]!;
  }
  return columns;
}

/**
 * One feature per walk that is not deleted: the area outline (or no geometry), the
 * participant counts as one column per organisation (`participants_police`) and per group
 * (`participants_group_women`); `participants_total` is the sum over organisations.
 */
export function walkFeatures(
  walks: readonly WalkRecord[],
  context: WalkExportContext,
): ExportFeature[] {
  const observationCounts = new Map<string, number>();
  for (const observation of context.observations) {
    if (observation.deleted || observation.walkId === undefined) continue;
    observationCounts.set(observation.walkId, (observationCounts.get(observation.walkId) ?? 0) + 1);
  }
  const organisationIds = context.organisations.organisations.map((entry) => entry.id);
  const groupIds = context.groups.groups.map((entry) => entry.id);
  return walks
    .filter((walk) => !walk.deleted)
    .sort((a, b) => a.fields.date.localeCompare(b.fields.date) || a.id.localeCompare(b.id))
    .map((walk) => {
      const fields = walk.fields;
      const byOrganisation = fields.participantsByOrganisation;
      return {
        id: walk.id,
        geometry: fields.areaPolygon,
        properties: {
          id: walk.id,
          project_id: walk.projectId,
          name: fields.name,
          area_name: fields.areaName,
          date: fields.date || null,
          start_time: fields.startTime || null,
          end_time: fields.endTime || null,
          participants_total: Object.values(byOrganisation).reduce((sum, n) => sum + n, 0),
          ...countColumns("participants_", byOrganisation, organisationIds),
          ...countColumns("participants_group_", fields.participantsByGroup, groupIds),
          observation_count: observationCounts.get(walk.id) ?? 0,
          note: fields.note,
          area_m2: areaM2(fields.areaPolygon),
        },
      };
    });
}

export interface TrackExportContext {
  walks: readonly WalkRecord[];
}

/**
 * One LineString per track that is not deleted, from its live chunks in time order.
 * Tracks with fewer than two points are no line and are left out.
 */
export function trackFeatures(
  tracks: readonly TrackRecord[],
  chunks: readonly TrackChunkRecord[],
  context: TrackExportContext,
): ExportFeature[] {
  const walks = liveWalks(context.walks);
  const features: ExportFeature[] = [];
  const live = tracks
    .filter((track) => !track.deleted)
    .sort((a, b) => a.fields.startedAt - b.fields.startedAt || a.id.localeCompare(b.id));
  for (const track of live) {
    const points = trackPoints(chunks, track.id);
    if (points.length < 2) continue;
    const geometry: Geometry = {
      type: "LineString",
      coordinates: points.map(([lon, lat]) => [lon, lat]),
    };
    const walk = track.walkId === undefined ? undefined : walks.get(track.walkId);
    const firstTime = points[0]![3];
    const lastTime = points[points.length - 1]![3];
    features.push({
      id: track.id,
      geometry,
      properties: {
        id: track.id,
        walk_id: track.walkId ?? null,
        walk_name: walk?.fields.name ?? null,
        started_at: isoLocalTime(track.fields.startedAt),
        ended_at: track.fields.endedAt === null ? null : isoLocalTime(track.fields.endedAt),
        point_count: points.length,
        duration_s: (lastTime - firstTime) / 1000,
        mean_accuracy_m: roundTo(
          points.reduce((sum, point) => sum + point[2], 0) / points.length,
          1,
        ),
        length_m: lengthM(geometry),
      },
    });
  }
  return features;
}

/** An imported context layer as stored: its role, a name, and normalised features. */
export interface ExportLayer {
  role: LayerRole;
  /** The layer's name as the person gave it (often the file name). */
  name: string;
  /** Properties: the model fields (camelCase, see layers.ts) and `source`, as imported. */
  features: readonly Feature<Geometry | null, NormalisedProperties>[];
}

/** Source values as columns: scalars and lists of scalars kept, anything else as JSON text. */
function sourceColumns(source: Record<string, unknown>): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    const scalar = (item: unknown) =>
      item === null || ["string", "number", "boolean"].includes(typeof item);
    columns[`source_${key}`] =
      value === undefined
        ? null
        : scalar(value) || (Array.isArray(value) && value.every(scalar))
          ? value
          : JSON.stringify(value);
  }
  return columns;
}

/**
 * The id of an imported feature: its stored id; else, for OpenStreetMap data, OSM's own
 * "way/4400154" (stable across exports, and openstreetmap.org/way/4400154 shows it); else a
 * new UUID.
 */
function layerFeatureId(id: unknown, source: Record<string, unknown>): string {
  if (typeof id === "string" || typeof id === "number") return String(id);
  const osmType = source["@type"];
  const osmId = source["@id"];
  if (
    (osmType === "node" || osmType === "way" || osmType === "relation") &&
    (typeof osmId === "number" || typeof osmId === "string")
  ) {
    return `${osmType}/${osmId}`;
  }
  return newId();
}

const numberOrNull = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? value : null;
const textOrNull = (value: unknown) =>
  value === undefined || value === null || value === "" ? null : String(value);

/**
 * Features of an imported layer. The model fields come first (snake_case, units in the
 * name), then the source's own properties prefixed `source_` (so `lit` is the normalised
 * yes/no/unknown and `source_lit` the value the source had, e.g. "24/7").
 */
export function layerFeatures(layer: ExportLayer, pathClasses: PathClassesFile): ExportFeature[] {
  const classLabels = new Map(pathClasses.classes.map((entry) => [entry.id, entry.label.sv]));
  return layer.features.map((feature) => {
    const model = feature.properties ?? { source: {} };
    const id = layerFeatureId(feature.id, model.source ?? {});
    let columns: Record<string, unknown>;
    switch (layer.role) {
      case "paths": {
        const pathClass = textOrNull(model.pathClass);
        columns = {
          path_class: pathClass,
          path_class_label_sv: pathClass === null ? null : (classLabels.get(pathClass) ?? null),
          lit: textOrNull(model.lit) ?? "unknown",
          name: textOrNull(model.name),
          length_m: lengthM(feature.geometry),
        };
        break;
      }
      case "lamps":
        columns = {
          pole_height_m: numberOrNull(model.poleHeightM),
          luminous_flux_lm: numberOrNull(model.luminousFluxLm),
          power_w: numberOrNull(model.powerW),
          status: textOrNull(model.status),
          ref: textOrNull(model.ref),
        };
        break;
      case "poi":
        columns = { kind: textOrNull(model.kind) ?? "other", name: textOrNull(model.name) };
        break;
      case "priority_areas":
        columns = { name: textOrNull(model.name), area_m2: areaM2(feature.geometry) };
        break;
    }
    return {
      id,
      geometry: feature.geometry,
      properties: {
        id,
        layer_name: layer.name,
        ...columns,
        ...sourceColumns(model.source ?? {}),
      },
    };
  });
}

/**
 * A layer from raw imported features (the CLI's `import-osm`): the model fields through
 * the role's field mapping, the original properties kept as `source`.
 */
export function normaliseLayer(
  role: LayerRole,
  name: string,
  features: readonly Feature<Geometry | null>[],
  mapping: Record<string, string | null>,
  pathClasses: PathClassesFile,
): ExportLayer {
  return {
    role,
    name,
    features: features.map((feature) => {
      const source = { ...(feature.properties ?? {}) };
      const normalised: Feature<Geometry | null, NormalisedProperties> = {
        type: "Feature",
        geometry: feature.geometry,
        properties: { ...normaliseProperties(role, source, mapping, pathClasses), source },
      };
      if (feature.id !== undefined) normalised.id = feature.id;
      return normalised;
    }),
  };
}

/** Any features (the CLI's `convert`): properties as read, the source id kept. */
export function plainFeatures(features: readonly Feature<Geometry | null>[]): ExportFeature[] {
  return features.map((feature) => ({
    id: feature.id ?? null,
    geometry: feature.geometry,
    properties: { ...(feature.properties ?? {}) },
  }));
}

// ---------------------------------------------------------------------------------------
// Writing

/** Names the file's content for readers (RFC 7946 §6.1 foreign member). */
export interface ExportHeader {
  /** The layer name GDAL and QGIS show (GDAL reads a FeatureCollection's `name`). */
  name: string;
  kind: ExportKind;
  /** "lykta-geojson" (RFC 7946) or "lykta-geojson-sweref99tm" (the named variant). */
  format: string;
  /** Epoch ms of the export; left out when not given (keeps tests deterministic). */
  exportedAt?: number;
  /** Credit the data needs wherever it is shown, e.g. "© OpenStreetMap contributors". */
  attribution?: string;
}

/**
 * A FeatureCollection as text, one feature per line: valid JSON, easy to diff and to read
 * a line at a time. `extra` members (e.g. SWEREF's `crs`) come right after `type`.
 */
export function featureCollectionText(
  header: ExportHeader,
  features: readonly ExportFeature[],
  decimals: number,
  transform?: PositionTransform,
  extra: Record<string, unknown> = {},
): string {
  const lykta: Record<string, unknown> = {
    format: header.format,
    formatVersion: EXPORT_FORMAT_VERSION,
    kind: header.kind,
  };
  if (header.exportedAt !== undefined) lykta.exportedAt = isoLocalTime(header.exportedAt);
  if (header.attribution) lykta.attribution = header.attribution;
  const head = JSON.stringify({ type: "FeatureCollection", ...extra, name: header.name, lykta });
  const lines = features.map((feature) => {
    const out: Record<string, unknown> = { type: "Feature" };
    if (feature.id !== null) out.id = feature.id;
    out.geometry = outputGeometry(feature.geometry, decimals, transform);
    out.properties = feature.properties;
    return JSON.stringify(out);
  });
  const body = lines.length === 0 ? "[]" : `[\n${lines.join(",\n")}\n]`;
  return `${head.slice(0, -1)},"features":${body}}\n`;
}

export const GEOJSON_FORMAT = "lykta-geojson";

/** RFC 7946 GeoJSON text: WGS84, right-hand rule, at most 7 decimals. */
export function toGeoJsonText(
  features: readonly ExportFeature[],
  header: Omit<ExportHeader, "format">,
): string {
  return featureCollectionText({ ...header, format: GEOJSON_FORMAT }, features, WGS84_DECIMALS);
}
