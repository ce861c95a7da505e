/**
 * An observation: one thing a walk team marked as making a place feel unsafe (or safe).
 */
import { type Checklist, findCategory } from "./checklist";
import { geometryProblem, type ObservationGeometry } from "./geometry";
import { EVERYONE } from "./groups";
import { newId } from "./ids";
import { createRecord, type EditContext, type SyncedRecord } from "./record";
import { type FieldErrors, REASONS, type Validated } from "./validation";

export const SEVERITY_MIN = 1;
export const SEVERITY_MAX = 5;
export const MAX_PHOTOS_PER_OBSERVATION = 5;
export const NOTE_MAX_LENGTH = 4000;
/**
 * Upper bound for a plausible lux reading. Direct summer sunlight is about 100,000 lx;
 * street lighting is below 100 lx (EN 13201-2 P1 average is 15 lx).
 */
export const ILLUMINANCE_MAX_LUX = 200_000;

/** How the position was set. */
export type Placement = "drawn" | "gps" | "walked";

export interface ObservationFields {
  geometry: ObservationGeometry | null;
  categoryId: string;
  /** 1 (minor) to 5 (serious); 0 only in a tombstone. */
  severity: number;
  /** "everyone", or ids from data/groups.json. */
  feltUnsafe: string[];
  note: string;
  /** SHA-256 ids of photo records, at most MAX_PHOTOS_PER_OBSERVATION, in display order. */
  photoIds: string[];
  /** Measured horizontal illuminance in lux, if the team measured it. */
  illuminanceLux: number | null;
  /** When the observation was made, epoch ms. */
  observedAt: number;
  /** GPS accuracy (radius, metres, 68 % confidence as reported by the device). */
  positionAccuracyM: number | null;
  placement: Placement;
}

export type ObservationRecord = SyncedRecord<ObservationFields>;

/** What a tombstone keeps: nothing. */
export const EMPTY_OBSERVATION_FIELDS: ObservationFields = Object.freeze({
  geometry: null,
  categoryId: "",
  severity: 0,
  feltUnsafe: [],
  note: "",
  photoIds: [],
  illuminanceLux: null,
  observedAt: 0,
  positionAccuracyM: null,
  placement: "drawn",
}) as ObservationFields;

/** Raw form values, as typed (numbers arrive as text from inputs). */
export interface ObservationInput {
  geometry: unknown;
  categoryId: string;
  severity: string | number;
  feltUnsafe: string[];
  note: string;
  photoIds: string[];
  illuminanceLux: string | number | null;
  observedAt: number;
  positionAccuracyM: number | null;
  placement: Placement;
}

/** Parse a number typed by a person: accepts a decimal comma ("3,5"), as Swedes write. */
export function parseTypedNumber(value: string | number | null): number | null | "nan" {
  if (value === null) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : "nan";
  const trimmed = value.trim();
  if (trimmed === "") return null;
  const normalised = trimmed.replace(/\s/g, "").replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(normalised)) return "nan";
  return Number(normalised);
}

export function validateObservation(
  input: ObservationInput,
  checklist: Checklist,
  groupIds: readonly string[],
): Validated<ObservationFields> {
  const errors: FieldErrors<ObservationFields> = {};
  if (geometryProblem(input.geometry) !== null) errors.geometry = REASONS.invalidGeometry;
  if (input.categoryId.trim() === "") errors.categoryId = REASONS.required;
  else if (!findCategory(checklist, input.categoryId)) errors.categoryId = REASONS.unknownCategory;

  const severity = parseTypedNumber(input.severity);
  if (severity === null) errors.severity = REASONS.required;
  else if (severity === "nan") errors.severity = REASONS.notANumber;
  else if (!Number.isInteger(severity)) errors.severity = REASONS.notAWholeNumber;
  else if (severity < SEVERITY_MIN || severity > SEVERITY_MAX) errors.severity = REASONS.outOfRange;

  const known = new Set([EVERYONE, ...groupIds]);
  if (input.feltUnsafe.some((id) => !known.has(id))) errors.feltUnsafe = REASONS.unknownGroup;
  else if (input.feltUnsafe.includes(EVERYONE) && input.feltUnsafe.length > 1) {
    errors.feltUnsafe = REASONS.everyoneWithGroups;
  }

  if (input.note.length > NOTE_MAX_LENGTH) errors.note = REASONS.tooLong;
  if (input.photoIds.length > MAX_PHOTOS_PER_OBSERVATION) errors.photoIds = REASONS.tooManyPhotos;

  const lux = parseTypedNumber(input.illuminanceLux);
  if (lux === "nan") errors.illuminanceLux = REASONS.notANumber;
  else if (lux !== null && lux < 0) errors.illuminanceLux = REASONS.negative;
  else if (lux !== null && lux > ILLUMINANCE_MAX_LUX) errors.illuminanceLux = REASONS.outOfRange;

  if (input.positionAccuracyM !== null && !(input.positionAccuracyM >= 0)) {
    errors.positionAccuracyM = REASONS.outOfRange;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // Keep the group order of data/groups.json so equal selections compare equal.
  const feltUnsafe = [EVERYONE, ...groupIds].filter((id) => input.feltUnsafe.includes(id));
  return {
    ok: true,
    value: {
      geometry: input.geometry as ObservationGeometry,
      categoryId: input.categoryId,
      severity: severity as number,
      feltUnsafe,
      note: input.note.trim(),
      photoIds: [...input.photoIds],
      illuminanceLux: lux as number | null,
      observedAt: input.observedAt,
      positionAccuracyM: input.positionAccuracyM,
      placement: input.placement,
    },
  };
}

export function createObservation(
  projectId: string,
  walkId: string,
  fields: ObservationFields,
  ctx: EditContext,
  id: string = newId(),
): ObservationRecord {
  return createRecord({ id, kind: "observation", projectId, walkId, fields }, ctx);
}

/** Default severity offered in the form: the middle of the scale. */
export const DEFAULT_SEVERITY = 3;
