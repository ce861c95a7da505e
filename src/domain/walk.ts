/**
 * A walk (trygghetsvandring): one evening's route through a neighbourhood by one team.
 */
import type { Polygon } from "geojson";
import { geometryProblem } from "./geometry";
import { type Counts, MAX_PARTICIPANTS_PER_ENTRY, normaliseCounts } from "./groups";
import { newId } from "./ids";
import { createRecord, type EditContext, type SyncedRecord } from "./record";
import { type FieldErrors, REASONS, type Validated } from "./validation";

export const WALK_NAME_MAX_LENGTH = 120;
export const WALK_TEXT_MAX_LENGTH = 4000;

export interface WalkFields {
  name: string;
  /** Free-text area, e.g. "Vivalla centrum till Lillåstorget". */
  areaName: string;
  /** Optional outline of the area (WGS84). */
  areaPolygon: Polygon | null;
  /** Local date in Europe/Stockholm, YYYY-MM-DD. */
  date: string;
  /** Local times HH:MM (Europe/Stockholm); "" when not set. */
  startTime: string;
  endTime: string;
  /** Participant counts by organisation id (data/organisations.json). Never names. */
  participantsByOrganisation: Counts;
  /** Participant counts by group id (data/groups.json). Never names. */
  participantsByGroup: Counts;
  note: string;
  /** Epoch ms of the last backup file made of this walk on this or another device. */
  lastBackupAt: number | null;
}

export type WalkRecord = SyncedRecord<WalkFields>;

export const EMPTY_WALK_FIELDS: WalkFields = Object.freeze({
  name: "",
  areaName: "",
  areaPolygon: null,
  date: "",
  startTime: "",
  endTime: "",
  participantsByOrganisation: {},
  participantsByGroup: {},
  note: "",
  lastBackupAt: null,
}) as WalkFields;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isValidDate(date: string): boolean {
  const match = DATE_PATTERN.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return (
    probe.getUTCFullYear() === year &&
    probe.getUTCMonth() === month - 1 &&
    probe.getUTCDate() === day
  );
}

export function isValidTime(time: string): boolean {
  return TIME_PATTERN.test(time);
}

export function validateWalk(
  input: WalkFields,
  organisationIds: readonly string[],
  groupIds: readonly string[],
): Validated<WalkFields> {
  const errors: FieldErrors<WalkFields> = {};
  const name = input.name.trim();
  if (name === "") errors.name = REASONS.required;
  else if (name.length > WALK_NAME_MAX_LENGTH) errors.name = REASONS.tooLong;
  if (input.areaName.length > WALK_TEXT_MAX_LENGTH) errors.areaName = REASONS.tooLong;
  if (input.note.length > WALK_TEXT_MAX_LENGTH) errors.note = REASONS.tooLong;
  if (input.areaPolygon !== null && geometryProblem(input.areaPolygon) !== null) {
    errors.areaPolygon = REASONS.invalidGeometry;
  }
  if (!isValidDate(input.date)) errors.date = REASONS.invalidDate;
  if (input.startTime !== "" && !isValidTime(input.startTime))
    errors.startTime = REASONS.invalidTime;
  if (input.endTime !== "" && !isValidTime(input.endTime)) errors.endTime = REASONS.invalidTime;
  const countProblem = (counts: Counts) =>
    Object.values(counts).some(
      (value) => !Number.isInteger(value) || value < 0 || value > MAX_PARTICIPANTS_PER_ENTRY,
    );
  if (countProblem(input.participantsByOrganisation)) {
    errors.participantsByOrganisation = REASONS.outOfRange;
  }
  if (countProblem(input.participantsByGroup)) errors.participantsByGroup = REASONS.outOfRange;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...input,
      name,
      areaName: input.areaName.trim(),
      note: input.note.trim(),
      participantsByOrganisation: normaliseCounts(
        input.participantsByOrganisation,
        organisationIds,
      ),
      participantsByGroup: normaliseCounts(input.participantsByGroup, groupIds),
    },
  };
}

export function createWalk(
  projectId: string,
  fields: WalkFields,
  ctx: EditContext,
  id: string = newId(),
): WalkRecord {
  // A walk is walk content of itself: walkId === id, so "everything of walk X" is one index.
  return createRecord({ id, kind: "walk", projectId, walkId: id, fields }, ctx);
}

/** Walks sorted for a list: newest date first, then by name. */
export function sortWalks(walks: readonly WalkRecord[]): WalkRecord[] {
  return [...walks].sort(
    (a, b) =>
      b.fields.date.localeCompare(a.fields.date) ||
      a.fields.name.localeCompare(b.fields.name, "sv"),
  );
}
