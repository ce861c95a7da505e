/**
 * The one validator for every record that comes in from outside this device: a `.lykta`
 * package (package.ts readPackage) and a sync push (src/server). A record that passes is in the
 * current shape (migrateRecord) and safe to merge (mergeIncomingRecord) and to store.
 *
 * What is checked, in this order (the first problem is reported, with where and why):
 *   1. the object shape: id, kind (a known RecordKind), shapeVersion, projectId, walkId,
 *      fields, clock, deleted;
 *   2. the project (when the caller names one) and the walk (walk content names its walk; a
 *      walk is its own walk);
 *   3. clocks: every field and `deleted` has a clock with an integer version >= 1, an integer
 *      nonce >= 0, a device id (`by`), a finite time (`at`) and a list of integer ancestors;
 *      no clock without a field;
 *   4. per-kind field values (the kinds' own types, limits and validators: observation
 *      geometry, photo ids as SHA-256 hex, text length caps, ...).
 *
 * Field values are checked one by one, as they merge: a field may hold its kind's empty value
 * (EMPTY_FIELDS) or a valid live value, whatever the tombstone says, because a merge of a
 * delete with a concurrent edit can leave either in either (record.ts). Rules that relate
 * several fields (a rejected follow-up needs a reason) are the editing screens' business, not
 * this validator's: a merge may combine fields from different devices. Fields a kind does not
 * know are kept (a newer app may add one within a shape version, plan-settings.ts), within
 * limits on their name, number and size.
 *
 * Pure: no DOM, no storage.
 */
import { valuesEqual } from "./equal";
import { geometryProblem } from "./geometry";
import { MAX_PARTICIPANTS_PER_ENTRY } from "./groups";
import { EMPTY_FIELDS } from "./kinds";
import { LAYER_ROLES, POI_KINDS } from "./layers";
import { migrateRecord } from "./migrations";
import { ILLUMINANCE_MAX_LUX, MAX_PHOTOS_PER_OBSERVATION, NOTE_MAX_LENGTH } from "./observation";
import { PHOTO_INPUT_MAX_BYTES, SHA256_HEX } from "./photo";
import { FOLLOW_UP_TEXT_MAX_LENGTH } from "./plan/follow-up";
import { type PlanSettingsField, planSettingsFieldProblems } from "./plan/plan-settings";
import { ACTION_STATUSES, OWNERS } from "./plan/types";
import { PROJECT_NAME_MAX_LENGTH } from "./project";
import { PUBLICATION_COLLECTIONS, publicationFeaturesProblem } from "./publication";
import {
  CURRENT_SHAPE_VERSION,
  DELETED_CLOCK_KEY,
  type FieldClock,
  type RecordKind,
  type SyncedRecord,
} from "./record";
import { isValidDate, isValidTime, WALK_NAME_MAX_LENGTH, WALK_TEXT_MAX_LENGTH } from "./walk";

/** Why a record is refused. Constants, so tests assert them and tools can translate them. */
export const RECORD_REASONS = {
  notAnObject: "not_an_object",
  badId: "bad_id",
  unknownKind: "unknown_kind",
  badShapeVersion: "bad_shape_version",
  newerShape: "newer_shape",
  badProjectId: "bad_project_id",
  otherProject: "other_project",
  badWalkId: "bad_walk_id",
  badFields: "bad_fields",
  missingField: "missing_field",
  tooManyFields: "too_many_fields",
  badFieldName: "bad_field_name",
  badClock: "bad_clock",
  missingClock: "missing_clock",
  clockWithoutField: "clock_without_field",
  badVersion: "bad_version",
  badNonce: "bad_nonce",
  badBy: "bad_by",
  badAt: "bad_at",
  badAncestors: "bad_ancestors",
  badDeleted: "bad_deleted",
  wrongType: "wrong_type",
  tooLong: "too_long",
  tooMany: "too_many",
  outOfRange: "out_of_range",
  notAllowed: "not_allowed",
  invalidGeometry: "invalid_geometry",
  badPhotoId: "bad_photo_id",
  badDate: "bad_date",
  badTime: "bad_time",
} as const;

export type RecordReason = (typeof RECORD_REASONS)[keyof typeof RECORD_REASONS];

export type RecordValidation =
  | { ok: true; record: SyncedRecord; migrated: boolean }
  | {
      ok: false;
      /** Where in the record: `id`, `clock.note.version`, `fields.geometry`. */
      where: string;
      reason: RecordReason;
      /** For people and logs, in English: what is wrong. */
      detail: string;
    };

export interface RecordValidationOptions {
  /** The project the record must belong to (a push to one project, a project package). */
  projectId?: string;
}

/** Longest id, project id or walk id accepted (UUIDs are 36, derived ids about 80). */
export const RECORD_ID_MAX_LENGTH = 200;
/** Longest device id (`by`) accepted. */
export const DEVICE_ID_MAX_LENGTH = 200;
/** Fields a record may have, known and unknown together. */
export const MAX_FIELDS_PER_RECORD = 64;
/** JSON size of one field the kind does not know (kept for a newer app). */
export const UNKNOWN_FIELD_MAX_JSON_LENGTH = 16_384;
/** Longest category, group, owner or other code accepted. */
export const CODE_MAX_LENGTH = 200;
/** Most points of one track chunk (the app writes TRACK_CHUNK_MAX_POINTS; tools may write more). */
export const TRACK_CHUNK_MAX_POINTS_ACCEPTED = 10_000;
/** Most observation ids on one side of a site link. */
export const SITE_LINK_MAX_GROUP = 10_000;
/** Longest comment body. */
export const COMMENT_BODY_MAX_LENGTH = 4000;
/** Longest layer texts (file names, attribution). */
export const LAYER_TEXT_MAX_LENGTH = 1000;

/** Kinds whose records are walk content: they name the walk they belong to. */
export const WALK_CONTENT_KINDS: ReadonlySet<RecordKind> = new Set([
  "walk",
  "observation",
  "photo",
  "track",
  "trackChunk",
]);

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

type Problem = { reason: RecordReason; detail: string; where?: string };
/** A live value's check: null when valid. `where` is relative to the field (`[2]`, `.type`). */
type FieldCheck = (value: unknown) => Problem | null;

const show = (value: unknown): string => {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const problem = (reason: RecordReason, detail: string, where?: string): Problem =>
  where === undefined ? { reason, detail } : { reason, detail, where };

// ---------------------------------------------------------------------------------------
// Value checks

function text(maxLength: number, minLength = 0): FieldCheck {
  return (value) => {
    if (typeof value !== "string") {
      return problem(RECORD_REASONS.wrongType, `must be text, not ${show(value)}`);
    }
    if (value.length > maxLength) {
      return problem(RECORD_REASONS.tooLong, `is ${value.length} characters; at most ${maxLength}`);
    }
    if (value.length < minLength) return problem(RECORD_REASONS.outOfRange, "must not be empty");
    return null;
  };
}

function number(min: number, max: number, integer = false): FieldCheck {
  return (value) => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return problem(RECORD_REASONS.wrongType, `must be a finite number, not ${show(value)}`);
    }
    if (integer && !Number.isInteger(value)) {
      return problem(RECORD_REASONS.wrongType, `must be a whole number, not ${value}`);
    }
    if (value < min || value > max) {
      return problem(RECORD_REASONS.outOfRange, `must be ${min} to ${max}, not ${value}`);
    }
    return null;
  };
}

/** Epoch milliseconds: any finite number (tablet clocks drift; `at` decides nothing). */
const epochMs = number(-8.64e15, 8.64e15);

function nullable(check: FieldCheck): FieldCheck {
  return (value) => (value === null ? null : check(value));
}

function oneOf(values: readonly unknown[]): FieldCheck {
  return (value) =>
    values.includes(value)
      ? null
      : problem(
          RECORD_REASONS.notAllowed,
          `must be one of ${values.map((entry) => JSON.stringify(entry)).join(", ")}, not ${show(value)}`,
        );
}

const boolean: FieldCheck = (value) =>
  typeof value === "boolean"
    ? null
    : problem(RECORD_REASONS.wrongType, `must be true or false, not ${show(value)}`);

function list(maxItems: number, item: FieldCheck): FieldCheck {
  return (value) => {
    if (!Array.isArray(value)) {
      return problem(RECORD_REASONS.wrongType, `must be a list, not ${show(value)}`);
    }
    if (value.length > maxItems) {
      return problem(RECORD_REASONS.tooMany, `has ${value.length} items; at most ${maxItems}`);
    }
    for (const [index, entry] of value.entries()) {
      const found = item(entry);
      if (found) return { ...found, where: `[${index}]${found.where ?? ""}` };
    }
    return null;
  };
}

function record(maxEntries: number, entry: FieldCheck): FieldCheck {
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return problem(RECORD_REASONS.wrongType, `must be an object, not ${show(value)}`);
    }
    const entries = Object.entries(value);
    if (entries.length > maxEntries) {
      return problem(
        RECORD_REASONS.tooMany,
        `has ${entries.length} entries; at most ${maxEntries}`,
      );
    }
    for (const [key, item] of entries) {
      if (key.length > CODE_MAX_LENGTH) {
        return problem(RECORD_REASONS.tooLong, `a key is longer than ${CODE_MAX_LENGTH}`);
      }
      const found = item === undefined ? null : entry(item);
      if (found) return { ...found, where: `.${key}${found.where ?? ""}` };
    }
    return null;
  };
}

const geometry: FieldCheck = (value) => {
  const found = geometryProblem(value);
  return found === null ? null : problem(RECORD_REASONS.invalidGeometry, found);
};

const polygon: FieldCheck = (value) => {
  if ((value as { type?: unknown } | null)?.type !== "Polygon") {
    return problem(RECORD_REASONS.invalidGeometry, "must be a GeoJSON Polygon");
  }
  return geometry(value);
};

const photoId: FieldCheck = (value) =>
  typeof value === "string" && SHA256_HEX.test(value)
    ? null
    : problem(RECORD_REASONS.badPhotoId, `must be SHA-256 hex (64 of 0-9a-f), not ${show(value)}`);

const date: FieldCheck = (value) =>
  typeof value === "string" && isValidDate(value)
    ? null
    : problem(RECORD_REASONS.badDate, `must be a date YYYY-MM-DD, not ${show(value)}`);

const timeOfDay: FieldCheck = (value) =>
  value === "" || (typeof value === "string" && isValidTime(value))
    ? null
    : problem(RECORD_REASONS.badTime, `must be a time HH:MM or "", not ${show(value)}`);

const trackPoint: FieldCheck = (value) => {
  if (!Array.isArray(value) || value.length !== 4) {
    return problem(RECORD_REASONS.wrongType, "must be [lon, lat, accuracyM, timeMs]");
  }
  const [lon, lat, accuracyM, timeMs] = value as unknown[];
  return (
    number(-180, 180)(lon) ??
    number(-90, 90)(lat) ??
    number(0, Number.MAX_VALUE)(accuracyM) ??
    epochMs(timeMs)
  );
};

const bbox: FieldCheck = (value) => {
  if (!Array.isArray(value) || value.length !== 4) {
    return problem(RECORD_REASONS.wrongType, "must be [west, south, east, north]");
  }
  for (const [index, entry] of value.entries()) {
    const found = number(index % 2 === 0 ? -180 : -90, index % 2 === 0 ? 180 : 90)(entry);
    if (found) return { ...found, where: `[${index}]` };
  }
  return null;
};

const publicationFeatures: FieldCheck = (value) => {
  const found = publicationFeaturesProblem(value);
  return found === null ? null : problem(RECORD_REASONS.invalidGeometry, found.detail, found.where);
};

function planSetting(field: PlanSettingsField): FieldCheck {
  return (value) => {
    const [first] = planSettingsFieldProblems(field, value);
    return first === undefined
      ? null
      : problem(RECORD_REASONS.outOfRange, `${first.path}: ${first.reason}`);
  };
}

const counts = record(1000, number(0, MAX_PARTICIPANTS_PER_ENTRY, true));

/** Per kind, per field: the check of a live value (the empty value always passes). */
const FIELD_CHECKS: { readonly [K in RecordKind]: Readonly<Record<string, FieldCheck>> } = {
  project: {
    name: text(PROJECT_NAME_MAX_LENGTH),
    organisation: text(PROJECT_NAME_MAX_LENGTH),
  },
  walk: {
    name: text(WALK_NAME_MAX_LENGTH),
    areaName: text(WALK_TEXT_MAX_LENGTH),
    areaPolygon: nullable(polygon),
    date,
    startTime: timeOfDay,
    endTime: timeOfDay,
    participantsByOrganisation: counts,
    participantsByGroup: counts,
    note: text(WALK_TEXT_MAX_LENGTH),
    lastBackupAt: nullable(epochMs),
  },
  observation: {
    geometry,
    categoryId: text(CODE_MAX_LENGTH, 1),
    severity: number(1, 5, true),
    feltUnsafe: list(100, text(CODE_MAX_LENGTH, 1)),
    note: text(NOTE_MAX_LENGTH),
    photoIds: list(MAX_PHOTOS_PER_OBSERVATION, photoId),
    illuminanceLux: nullable(number(0, ILLUMINANCE_MAX_LUX)),
    observedAt: epochMs,
    positionAccuracyM: nullable(number(0, Number.MAX_VALUE)),
    placement: oneOf(["drawn", "gps", "walked"]),
  },
  photo: {
    mimeType: text(100),
    widthPx: number(0, 100_000, true),
    heightPx: number(0, 100_000, true),
    byteLength: number(0, PHOTO_INPUT_MAX_BYTES, true),
    takenAt: epochMs,
  },
  track: { startedAt: epochMs, endedAt: nullable(epochMs) },
  trackChunk: {
    trackId: text(RECORD_ID_MAX_LENGTH, 1),
    sequence: number(0, Number.MAX_SAFE_INTEGER, true),
    points: list(TRACK_CHUNK_MAX_POINTS_ACCEPTED, trackPoint),
  },
  layer: {
    name: text(LAYER_TEXT_MAX_LENGTH),
    role: oneOf(LAYER_ROLES),
    poiKind: nullable(oneOf(POI_KINDS)),
    sourceFile: text(LAYER_TEXT_MAX_LENGTH),
    sourceFormat: text(CODE_MAX_LENGTH),
    sourceCrs: text(CODE_MAX_LENGTH),
    encoding: nullable(text(CODE_MAX_LENGTH)),
    fieldMapping: record(100, nullable(text(CODE_MAX_LENGTH))),
    featureCount: number(0, Number.MAX_SAFE_INTEGER, true),
    rejectedCount: number(0, Number.MAX_SAFE_INTEGER, true),
    dataId: photoId,
    bbox: nullable(bbox),
    attribution: text(LAYER_TEXT_MAX_LENGTH),
    importedAt: epochMs,
    visible: boolean,
  },
  siteLink: {
    relation: oneOf(["same", "different"]),
    groupA: list(SITE_LINK_MAX_GROUP, text(RECORD_ID_MAX_LENGTH, 1)),
    groupB: list(SITE_LINK_MAX_GROUP, text(RECORD_ID_MAX_LENGTH, 1)),
  },
  followUp: {
    actionKey: text(LAYER_TEXT_MAX_LENGTH, 1),
    owner: oneOf(OWNERS),
    status: oneOf(ACTION_STATUSES),
    deadlineAt: nullable(epochMs),
    rejectedReason: text(FOLLOW_UP_TEXT_MAX_LENGTH),
    note: text(FOLLOW_UP_TEXT_MAX_LENGTH),
    statusChangedAt: nullable(epochMs),
  },
  planSettings: Object.fromEntries(
    Object.keys(EMPTY_FIELDS.planSettings).map((field) => [
      field,
      planSetting(field as PlanSettingsField),
    ]),
  ),
  comment: {
    targetId: text(RECORD_ID_MAX_LENGTH, 1),
    body: text(COMMENT_BODY_MAX_LENGTH, 1),
  },
  publication: {
    collection: oneOf(PUBLICATION_COLLECTIONS),
    features: publicationFeatures,
    publishedAt: epochMs,
  },
};

const KNOWN_KINDS = Object.keys(FIELD_CHECKS) as RecordKind[];

// ---------------------------------------------------------------------------------------
// The record

function clockProblem(value: unknown): Problem | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return problem(RECORD_REASONS.badClock, `must be a clock object, not ${show(value)}`);
  }
  const clock = value as Partial<Record<keyof FieldClock, unknown>>;
  if (!Number.isInteger(clock.version) || (clock.version as number) < 1) {
    return problem(
      RECORD_REASONS.badVersion,
      `must be a whole number >= 1, not ${show(clock.version)}`,
      ".version",
    );
  }
  if (!Number.isInteger(clock.nonce) || (clock.nonce as number) < 0) {
    return problem(
      RECORD_REASONS.badNonce,
      `must be a whole number >= 0, not ${show(clock.nonce)}`,
      ".nonce",
    );
  }
  if (typeof clock.by !== "string" || clock.by === "" || clock.by.length > DEVICE_ID_MAX_LENGTH) {
    return problem(
      RECORD_REASONS.badBy,
      `must be a device id (text, 1 to ${DEVICE_ID_MAX_LENGTH} characters), not ${show(clock.by)}`,
      ".by",
    );
  }
  if (typeof clock.at !== "number" || !Number.isFinite(clock.at)) {
    return problem(
      RECORD_REASONS.badAt,
      `must be a finite time (epoch ms), not ${show(clock.at)}`,
      ".at",
    );
  }
  const ancestors = clock.ancestors;
  if (
    !Array.isArray(ancestors) ||
    ancestors.length > 64 ||
    !ancestors.every((nonce) => Number.isInteger(nonce))
  ) {
    return problem(
      RECORD_REASONS.badAncestors,
      `must be a list of at most 64 whole numbers, not ${show(ancestors)}`,
      ".ancestors",
    );
  }
  return null;
}

function idProblem(value: unknown, what: string): string | null {
  if (typeof value !== "string" || value === "") return `${what} must be non-empty text`;
  if (value.length > RECORD_ID_MAX_LENGTH) {
    return `${what} is ${value.length} characters; at most ${RECORD_ID_MAX_LENGTH}`;
  }
  // Control characters in an id would break logs, NDJSON lines and derived-id rules.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) return `${what} contains a control character`;
  return null;
}

type Failure = Extract<RecordValidation, { ok: false }>;

function fail(where: string, reason: RecordReason, detail: string): Failure {
  return { ok: false, where, reason, detail };
}

/**
 * Check one record that comes in from outside (user input: never throws). On success the
 * record is in the current shape; `migrated` says whether a migration ran.
 */
export function validateIncomingRecord(
  raw: unknown,
  options: RecordValidationOptions = {},
): RecordValidation {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return fail(
      "record",
      RECORD_REASONS.notAnObject,
      `a record must be an object, not ${show(raw)}`,
    );
  }
  const input = raw as Partial<Record<keyof SyncedRecord, unknown>>;
  const badId = idProblem(input.id, "id");
  if (badId) return fail("id", RECORD_REASONS.badId, badId);
  if (!KNOWN_KINDS.includes(input.kind as RecordKind)) {
    return fail(
      "kind",
      RECORD_REASONS.unknownKind,
      `must be one of ${KNOWN_KINDS.join(", ")}, not ${show(input.kind)}`,
    );
  }
  const kind = input.kind as RecordKind;
  if (
    input.shapeVersion !== undefined &&
    (!Number.isInteger(input.shapeVersion) || (input.shapeVersion as number) < 1)
  ) {
    return fail(
      "shapeVersion",
      RECORD_REASONS.badShapeVersion,
      `must be a whole number >= 1, not ${show(input.shapeVersion)}`,
    );
  }
  if ((input.shapeVersion as number) > CURRENT_SHAPE_VERSION) {
    return fail(
      "shapeVersion",
      RECORD_REASONS.newerShape,
      `shape ${input.shapeVersion as number} comes from a newer Lykta; this one reads up to ${CURRENT_SHAPE_VERSION}. Update the app.`,
    );
  }
  const badProject = idProblem(input.projectId, "projectId");
  if (badProject) return fail("projectId", RECORD_REASONS.badProjectId, badProject);
  if (options.projectId !== undefined && input.projectId !== options.projectId) {
    return fail(
      "projectId",
      RECORD_REASONS.otherProject,
      `belongs to project ${input.projectId as string}, not ${options.projectId}`,
    );
  }
  if (kind === "project" && input.projectId !== input.id) {
    return fail("projectId", RECORD_REASONS.badProjectId, "a project record is its own project");
  }
  if (input.walkId !== undefined) {
    const badWalk = idProblem(input.walkId, "walkId");
    if (badWalk) return fail("walkId", RECORD_REASONS.badWalkId, badWalk);
  }
  if (WALK_CONTENT_KINDS.has(kind) && input.walkId === undefined) {
    return fail("walkId", RECORD_REASONS.badWalkId, `a ${kind} record names its walk`);
  }
  if (kind === "walk" && input.walkId !== input.id) {
    return fail("walkId", RECORD_REASONS.badWalkId, "a walk is its own walk (walkId = id)");
  }
  if (kind === "project" && input.walkId !== undefined) {
    return fail("walkId", RECORD_REASONS.badWalkId, "a project belongs to no walk");
  }
  if (typeof input.deleted !== "boolean") {
    return fail(
      "deleted",
      RECORD_REASONS.badDeleted,
      `must be true or false, not ${show(input.deleted)}`,
    );
  }
  if (typeof input.fields !== "object" || input.fields === null || Array.isArray(input.fields)) {
    return fail("fields", RECORD_REASONS.badFields, `must be an object, not ${show(input.fields)}`);
  }
  if (typeof input.clock !== "object" || input.clock === null || Array.isArray(input.clock)) {
    return fail("clock", RECORD_REASONS.badClock, `must be an object, not ${show(input.clock)}`);
  }
  // Older shapes first become the current one (field renames, clock ancestors), then the
  // current shape's rules apply.
  const migration = migrateRecord(raw);
  if (!migration.ok) {
    return fail(
      "record",
      migration.reason === "newer_shape" ? RECORD_REASONS.newerShape : RECORD_REASONS.badFields,
      migration.detail,
    );
  }
  const result = migration.record;
  const fields = result.fields as Record<string, unknown>;
  const clock = result.clock as Record<string, unknown>;
  const fieldNames = Object.keys(fields);
  if (fieldNames.length > MAX_FIELDS_PER_RECORD) {
    return fail(
      "fields",
      RECORD_REASONS.tooManyFields,
      `has ${fieldNames.length} fields; at most ${MAX_FIELDS_PER_RECORD}`,
    );
  }
  const checks = FIELD_CHECKS[kind];
  const empty = EMPTY_FIELDS[kind] as Record<string, unknown>;
  for (const name of Object.keys(checks)) {
    if (!(name in fields)) {
      return fail(`fields.${name}`, RECORD_REASONS.missingField, `a ${kind} record has a ${name}`);
    }
  }
  for (const name of [...fieldNames, DELETED_CLOCK_KEY]) {
    if (name !== DELETED_CLOCK_KEY && (!FIELD_NAME.test(name) || name === DELETED_CLOCK_KEY)) {
      return fail(
        `fields.${name.slice(0, 64)}`,
        RECORD_REASONS.badFieldName,
        "a field name is a letter, then letters, digits or _, at most 64 characters",
      );
    }
    if (!(name in clock)) {
      return fail(`clock.${name}`, RECORD_REASONS.missingClock, `the field ${name} has no clock`);
    }
    const found = clockProblem(clock[name]);
    if (found) return fail(`clock.${name}${found.where ?? ""}`, found.reason, found.detail);
  }
  for (const name of Object.keys(clock)) {
    if (name !== DELETED_CLOCK_KEY && !(name in fields)) {
      return fail(
        `clock.${name.slice(0, 64)}`,
        RECORD_REASONS.clockWithoutField,
        `a clock for ${name}, but the record has no such field`,
      );
    }
  }
  for (const name of fieldNames) {
    const value = fields[name];
    const check = checks[name];
    if (check === undefined) {
      const length = (JSON.stringify(value) ?? "").length;
      if (length > UNKNOWN_FIELD_MAX_JSON_LENGTH) {
        return fail(
          `fields.${name}`,
          RECORD_REASONS.tooLong,
          `a field this app does not know is ${length} characters of JSON; at most ${UNKNOWN_FIELD_MAX_JSON_LENGTH}`,
        );
      }
      continue;
    }
    if (valuesEqual(value, empty[name])) continue;
    const found = check(value);
    if (found) return fail(`fields.${name}${found.where ?? ""}`, found.reason, found.detail);
  }
  return { ok: true, record: result, migrated: migration.migrated };
}

/** One line for people: `fields.geometry: invalid_geometry: ring 0 is not closed`. */
export function describeRecordProblem(problem: Failure): string {
  return `${problem.where}: ${problem.reason}: ${problem.detail}`;
}
