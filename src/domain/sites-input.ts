/**
 * What sites are grouped from, read from files (`lykta sites`): the observation and site
 * link records of a `.lykta` package, or the features of Lykta's observations GeoJSON export
 * (docs/format.md, "Observations"), mapped back to observation records.
 *
 * User input: never throws; every record or feature that cannot be used comes back as a
 * problem with where it is (`features[3]: observed_at: …`, `record 0f9c…: …`).
 */
import { geometryProblem, type ObservationGeometry } from "./geometry";
import {
  EMPTY_OBSERVATION_FIELDS,
  type ObservationFields,
  type ObservationRecord,
} from "./observation";
import { createRecord, type EditContext, type SyncedRecord } from "./record";
import { type SiteLinkRecord, siteLinkProblem } from "./site-link";

export interface SiteInputProblem {
  where: string;
  reason: string;
}

export interface SiteInput {
  observations: ObservationRecord[];
  links: SiteLinkRecord[];
  problems: SiteInputProblem[];
}

// ---------------------------------------------------------------------------------------
// Package records

function observationRecordProblem(record: SyncedRecord): string | null {
  if (record.deleted) return null;
  const fields = record.fields as Partial<Record<keyof ObservationFields, unknown>>;
  if (fields.geometry !== null && geometryProblem(fields.geometry) !== null) {
    return `geometry: ${geometryProblem(fields.geometry)}`;
  }
  if (typeof fields.categoryId !== "string") return "categoryId is not text";
  if (typeof fields.severity !== "number") return "severity is not a number";
  if (
    !Array.isArray(fields.feltUnsafe) ||
    !fields.feltUnsafe.every((id) => typeof id === "string")
  ) {
    return "feltUnsafe is not a list of group ids";
  }
  if (typeof fields.observedAt !== "number") return "observedAt is not a time (epoch ms)";
  return null;
}

/** The observations and site links among a package's records; other kinds are skipped. */
export function siteInputFromRecords(records: readonly SyncedRecord[]): SiteInput {
  const input: SiteInput = { observations: [], links: [], problems: [] };
  const seen = new Set<string>();
  for (const record of records) {
    if (record.kind !== "observation" && record.kind !== "siteLink") continue;
    if (seen.has(`${record.kind} ${record.id}`)) {
      input.problems.push({ where: `${record.kind} ${record.id}`, reason: "listed twice" });
      continue;
    }
    seen.add(`${record.kind} ${record.id}`);
    if (record.kind === "observation") {
      const problem = observationRecordProblem(record);
      if (problem === null) input.observations.push(record as ObservationRecord);
      else input.problems.push({ where: `observation ${record.id}`, reason: problem });
    } else {
      const problem = record.deleted ? null : siteLinkProblem(record.fields);
      if (problem === null) input.links.push(record as SiteLinkRecord);
      else input.problems.push({ where: `siteLink ${record.id}`, reason: problem });
    }
  }
  return input;
}

// ---------------------------------------------------------------------------------------
// An observations GeoJSON export

/** Records made from an export carry no edit history: a fixed, empty clock. */
const EXPORT_CONTEXT: EditContext = { deviceId: "export", now: () => 0, nonce: () => 0 };

type Properties = Record<string, unknown>;

function text(properties: Properties, name: string): string | null | undefined {
  const value = properties[name];
  if (value === undefined || value === null) return value;
  return typeof value === "string" ? value : undefined;
}

/** `felt_unsafe` as written to GeoJSON (a list), CSV-style text ("women;elderly") or JSON text. */
function feltUnsafeOf(value: unknown): string[] | null {
  if (value === undefined || value === null || value === "") return [];
  if (Array.isArray(value)) return value.every((id) => typeof id === "string") ? value : null;
  if (typeof value !== "string") return null;
  if (value.trim().startsWith("[")) {
    try {
      return feltUnsafeOf(JSON.parse(value));
    } catch {
      return null;
    }
  }
  return value
    .split(";")
    .map((id) => id.trim())
    .filter((id) => id !== "");
}

/** An ISO 8601 date-time with an offset (as exports write) or epoch ms; else null. */
function timeOf(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value !== "string") return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value))
    return null;
  const epochMs = Date.parse(value);
  return Number.isFinite(epochMs) ? epochMs : null;
}

type FeatureResult = { ok: true; record: ObservationRecord } | { ok: false; reason: string };

function observationOfFeature(feature: unknown): FeatureResult {
  if (typeof feature !== "object" || feature === null)
    return { ok: false, reason: "not a feature" };
  const {
    geometry,
    properties: raw,
    id: featureId,
  } = feature as {
    geometry?: unknown;
    properties?: unknown;
    id?: unknown;
  };
  const properties = (typeof raw === "object" && raw !== null ? raw : {}) as Properties;
  const id = text(properties, "id") ?? (typeof featureId === "string" ? featureId : null);
  if (!id) return { ok: false, reason: "id: missing (the observation's UUID)" };
  const problem = geometryProblem(geometry);
  if (problem !== null) return { ok: false, reason: `geometry: ${problem}` };
  const categoryId = text(properties, "category_id");
  if (!categoryId) return { ok: false, reason: "category_id: missing" };
  const walkId = text(properties, "walk_id");
  if (walkId === undefined && properties.walk_id !== undefined) {
    return { ok: false, reason: "walk_id: not text" };
  }
  const severity = properties.severity ?? 0;
  if (typeof severity !== "number" || !Number.isInteger(severity) || severity < 0 || severity > 5) {
    return { ok: false, reason: `severity: ${JSON.stringify(severity)} is not a whole number 1-5` };
  }
  const feltUnsafe = feltUnsafeOf(properties.felt_unsafe);
  if (feltUnsafe === null) return { ok: false, reason: "felt_unsafe: not a list of group ids" };
  const observedAt = timeOf(properties.observed_at);
  if (observedAt === null) {
    return {
      ok: false,
      reason: `observed_at: ${JSON.stringify(properties.observed_at ?? null)} is not an ISO 8601 date-time with an offset`,
    };
  }
  const fields: ObservationFields = {
    ...EMPTY_OBSERVATION_FIELDS,
    geometry: geometry as ObservationGeometry,
    categoryId,
    severity,
    feltUnsafe,
    observedAt,
  };
  const record = createRecord(
    {
      id,
      kind: "observation",
      projectId: "",
      ...(walkId ? { walkId } : {}),
      fields,
    },
    EXPORT_CONTEXT,
  );
  return { ok: true, record };
}

/**
 * Observations from a parsed Lykta observations GeoJSON export (WGS 84). Where: the
 * feature's index in the file's `features` array. A SWEREF 99 TM file is refused as a whole.
 */
export function siteInputFromGeoJson(value: unknown): SiteInput {
  const input: SiteInput = { observations: [], links: [], problems: [] };
  const collection = value as { type?: unknown; features?: unknown; crs?: unknown };
  if (collection?.type !== "FeatureCollection" || !Array.isArray(collection.features)) {
    input.problems.push({ where: "file", reason: "not a GeoJSON FeatureCollection" });
    return input;
  }
  if (collection.crs !== undefined) {
    input.problems.push({
      where: "crs",
      reason:
        "the file names a CRS; sites are read from WGS 84 (RFC 7946) GeoJSON: export observations without --crs, or lykta convert it first",
    });
    return input;
  }
  const seen = new Map<string, number>();
  collection.features.forEach((feature, index) => {
    const where = `features[${index}]`;
    const result = observationOfFeature(feature);
    if (!result.ok) {
      input.problems.push({ where, reason: result.reason });
      return;
    }
    const earlier = seen.get(result.record.id);
    if (earlier !== undefined) {
      input.problems.push({
        where,
        reason: `id: ${result.record.id} is also features[${earlier}]`,
      });
      return;
    }
    seen.set(result.record.id, index);
    input.observations.push(result.record);
  });
  return input;
}
