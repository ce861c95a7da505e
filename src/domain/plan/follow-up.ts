/**
 * Follow-up of the budget plan (issue 6): who does an action or task, where it stands, and by
 * when. One `followUp` record per plan action, synced and merged field by field like every
 * record (../shared/STYLE.md), so the coordinator's tablet, the planners' tablets and later the
 * partners' PostgreSQL server all agree on it.
 *
 * The record id is derived from the project and the action key (PlanAction.key), not random:
 * two tablets that start the follow-up of the same action offline make the same record, and
 * their edits merge field by field instead of showing the action twice. Both start from the
 * same values (the action's defaults, see `initialFollowUpFields`), so a planner's change is
 * always a version 2 that wins over the other tablet's untouched version 1: an owner set on one
 * tablet and a status set on another both survive the merge.
 *
 * Pure: no DOM, no storage. Time, device id and randomness come in through EditContext.
 */
import { sha256Hex } from "../hash";
import {
  createRecord,
  type EditContext,
  editRecord,
  restoreRecord,
  type SyncedRecord,
} from "../record";
import {
  ACTION_STATUSES,
  type ActionKind,
  type ActionStatus,
  OWNERS,
  type Owner,
  type PlanAction,
} from "./types";

export interface FollowUpFields {
  /** PlanAction.key of the action or task followed up. Never edited after creation. */
  actionKey: string;
  /** Who does it. "" only in a tombstone. */
  owner: Owner | "";
  /** Where it stands. "" only in a tombstone. */
  status: ActionStatus | "";
  /** Epoch ms by which it should be done, or null: no deadline. */
  deadlineAt: number | null;
  /** Why it was rejected; required while the status is "rejected", kept (not shown) after. */
  rejectedReason: string;
  /** Free text for the meeting ("the property owner has been called"). */
  note: string;
  /**
   * Epoch ms on the tablet that last changed the status, or null: never changed. Tablet
   * clocks drift: for display and the "since the walk" list only, it decides no merge.
   */
  statusChangedAt: number | null;
}

export type FollowUpRecord = SyncedRecord<FollowUpFields>;

/** What a tombstone keeps: nothing. */
export const EMPTY_FOLLOW_UP_FIELDS: FollowUpFields = Object.freeze({
  actionKey: "",
  owner: "",
  status: "",
  deadlineAt: null,
  rejectedReason: "",
  note: "",
  statusChangedAt: null,
}) as FollowUpFields;

// DO NOT CHANGE: existing tablets and packages hold follow-ups under ids made this way.
export const FOLLOW_UP_ID_PREFIX = "followup-";

/**
 * The follow-up record id of an action: "followup-" + SHA-256 (hex) of
 * `projectId + "\n" + actionKey` (UTF-8). The same on every device; a fixed length and safe
 * characters whatever the action key holds ("new_lamps:gap:way/9@120-262").
 */
export async function followUpId(projectId: string, actionKey: string): Promise<string> {
  if (projectId === "" || actionKey === "") {
    throw new Error("followUpId: projectId and actionKey must not be empty");
  }
  // Project ids are UUIDs. One with a line break could make "a" + "b\nc" and "a\nb" + "c" meet.
  if (projectId.includes("\n")) throw new Error("followUpId: projectId contains a line break");
  const bytes = new TextEncoder().encode(`${projectId}\n${actionKey}`);
  return FOLLOW_UP_ID_PREFIX + (await sha256Hex(bytes));
}

/** Longest note or reason accepted (the observation note's limit). */
export const FOLLOW_UP_TEXT_MAX_LENGTH = 4000;

/** Why follow-up fields are refused. Constants, so tests assert them and the UI translates them. */
export const FOLLOW_UP_REASONS = {
  notAnObject: "not_an_object",
  required: "required",
  unknownOwner: "unknown_owner",
  unknownStatus: "unknown_status",
  reasonRequired: "reason_required",
  invalidDate: "invalid_date",
  tooLong: "too_long",
} as const;

export type FollowUpReason = (typeof FOLLOW_UP_REASONS)[keyof typeof FOLLOW_UP_REASONS];

export interface FollowUpProblem {
  /** The field at fault; "fields" when the value is not an object at all. */
  field: keyof FollowUpFields | "fields";
  reason: FollowUpReason;
  /** For logs and tools, in English. */
  detail: string;
}

function isOwner(value: unknown): value is Owner {
  return (OWNERS as readonly unknown[]).includes(value);
}

function isStatus(value: unknown): value is ActionStatus {
  return (ACTION_STATUSES as readonly unknown[]).includes(value);
}

function isEpochOrNull(value: unknown): value is number | null {
  return value === null || (typeof value === "number" && Number.isFinite(value));
}

/** Why `value` is not the fields of a live follow-up, or null when it is. */
export function followUpProblem(value: unknown): FollowUpProblem | null {
  const problem = (field: FollowUpProblem["field"], reason: FollowUpReason, detail: string) => ({
    field,
    reason,
    detail,
  });
  if (typeof value !== "object" || value === null) {
    return problem("fields", FOLLOW_UP_REASONS.notAnObject, "fields are not an object");
  }
  const fields = value as Partial<Record<keyof FollowUpFields, unknown>>;
  if (typeof fields.actionKey !== "string" || fields.actionKey === "") {
    return problem("actionKey", FOLLOW_UP_REASONS.required, "actionKey must be a non-empty text");
  }
  if (!isOwner(fields.owner)) {
    return problem(
      "owner",
      FOLLOW_UP_REASONS.unknownOwner,
      `owner must be one of ${OWNERS.join(", ")}, not ${JSON.stringify(fields.owner)}`,
    );
  }
  if (!isStatus(fields.status)) {
    return problem(
      "status",
      FOLLOW_UP_REASONS.unknownStatus,
      `status must be one of ${ACTION_STATUSES.join(", ")}, not ${JSON.stringify(fields.status)}`,
    );
  }
  if (!isEpochOrNull(fields.deadlineAt)) {
    return problem(
      "deadlineAt",
      FOLLOW_UP_REASONS.invalidDate,
      `deadlineAt must be epoch milliseconds or null, not ${JSON.stringify(fields.deadlineAt)}`,
    );
  }
  if (!isEpochOrNull(fields.statusChangedAt)) {
    return problem(
      "statusChangedAt",
      FOLLOW_UP_REASONS.invalidDate,
      `statusChangedAt must be epoch milliseconds or null, not ${JSON.stringify(fields.statusChangedAt)}`,
    );
  }
  for (const key of ["rejectedReason", "note"] as const) {
    const text = fields[key];
    if (typeof text !== "string") {
      return problem(key, FOLLOW_UP_REASONS.required, `${key} must be a text`);
    }
    if (text.length > FOLLOW_UP_TEXT_MAX_LENGTH) {
      return problem(
        key,
        FOLLOW_UP_REASONS.tooLong,
        `${key} is longer than ${FOLLOW_UP_TEXT_MAX_LENGTH} characters`,
      );
    }
  }
  if (fields.status === "rejected" && (fields.rejectedReason as string).trim() === "") {
    return problem(
      "rejectedReason",
      FOLLOW_UP_REASONS.reasonRequired,
      "a rejected action needs a reason",
    );
  }
  return null;
}

/** What the follow-up of an action starts from: the action's key and defaults. */
export type FollowUpAction = Pick<PlanAction, "key" | "defaultOwner" | "defaultDeadlineAt">;

/**
 * The values a new follow-up starts with. A function of the action only (no time, no device),
 * so every tablet writes the same version-1 values and a merge of two new copies keeps both
 * tablets' changes.
 */
export function initialFollowUpFields(action: FollowUpAction): FollowUpFields {
  return {
    actionKey: action.key,
    owner: action.defaultOwner,
    status: "proposed",
    deadlineAt: action.defaultDeadlineAt,
    rejectedReason: "",
    note: "",
    statusChangedAt: null,
  };
}

/**
 * `by` of the initial version: no tablet made it, it follows from the plan. DO NOT CHANGE:
 * tablets must agree on it for their initial versions to be the same.
 */
export const DERIVED_BY = "lykta:derived";

/**
 * A new follow-up record for an action, with the derived id and the initial values, at a
 * version 1 that is the same on every device: same values and the same clock (nonce from the
 * id, `by` DERIVED_BY, `at` 0). So two tablets that both start the record hold one shared
 * version 1, and a planner's change (version 2, through `editFollowUp`) replaces it without a
 * conflict: the merge sees version 1 as its ancestor, not as a concurrent edit to log.
 * Throws on a programmer error (an action whose defaults are not valid).
 */
export async function createFollowUp(
  projectId: string,
  action: FollowUpAction,
): Promise<FollowUpRecord> {
  const fields = initialFollowUpFields(action);
  const problem = followUpProblem(fields);
  if (problem !== null) throw new Error(`createFollowUp: ${problem.detail}`);
  const id = await followUpId(projectId, action.key);
  // 31 bits of the hash, like ctx.nonce(): a random-looking integer in [0, 2^31).
  const nonce =
    Number.parseInt(id.slice(FOLLOW_UP_ID_PREFIX.length, FOLLOW_UP_ID_PREFIX.length + 8), 16) >>> 1;
  const derived: EditContext = { deviceId: DERIVED_BY, now: () => 0, nonce: () => nonce };
  return createRecord({ id, kind: "followUp", projectId, fields }, derived);
}

/** What a planner may change. The action key is fixed; statusChangedAt follows the status. */
export type FollowUpPatch = Partial<
  Pick<FollowUpFields, "owner" | "status" | "deadlineAt" | "rejectedReason" | "note">
> & { owner?: Owner; status?: ActionStatus };

export type FollowUpEditResult =
  | { ok: true; record: FollowUpRecord }
  | { ok: false; problem: FollowUpProblem };

/**
 * Change a live follow-up (through editRecord: unchanged fields keep their versions, and an
 * edit that changes nothing returns the same record). A real change of the status stamps
 * `statusChangedAt` with ctx.now(). Texts are trimmed. User input: a refused edit returns the
 * problem (e.g. "rejected" without a reason) and changes nothing.
 */
export function editFollowUp(
  record: FollowUpRecord,
  patch: FollowUpPatch,
  ctx: EditContext,
): FollowUpEditResult {
  const clean: Partial<FollowUpFields> = {};
  for (const key of ["owner", "status", "deadlineAt", "rejectedReason", "note"] as const) {
    if (patch[key] === undefined) continue;
    const value = patch[key];
    (clean as Record<string, unknown>)[key] = typeof value === "string" ? value.trim() : value;
  }
  if (clean.status !== undefined && clean.status !== record.fields.status) {
    clean.statusChangedAt = ctx.now();
  }
  const problem = followUpProblem({ ...record.fields, ...clean });
  if (problem !== null) return { ok: false, problem };
  return { ok: true, record: editRecord(record, clean, ctx) };
}

/**
 * The one path for a planner's change, used by the app's state: create the follow-up when the
 * device has none (then edit it, so the change is a version above the shared initial values),
 * bring a deleted one back with the initial values, or edit the existing one.
 */
export async function changeFollowUp(
  existing: FollowUpRecord | undefined,
  projectId: string,
  action: FollowUpAction,
  patch: FollowUpPatch,
  ctx: EditContext,
): Promise<FollowUpEditResult> {
  let base: FollowUpRecord;
  if (existing === undefined) base = await createFollowUp(projectId, action);
  else if (existing.deleted) base = restoreRecord(existing, initialFollowUpFields(action), ctx);
  else base = existing;
  if (base.fields.actionKey !== action.key) {
    throw new Error(
      `changeFollowUp: ${base.id} follows ${base.fields.actionKey}, not ${action.key}`,
    );
  }
  // A refused change leaves nothing to write: the caller stores only `ok` results.
  return editFollowUp(base, patch, ctx);
}

// ---------------------------------------------------------------------------------------
// Defaults, used when the plan builds its actions

const HOUR_MS = 3600 * 1000;

/**
 * Graffiti and litter: "klotter och nedskräpning åtgärdas inom 24 timmar" (the local
 * programme for safety walks, issue 6), counted from the observation's time.
 */
export const QUICK_FIX_DEADLINE_MS = 24 * HOUR_MS;

const QUICK_FIX_KINDS: ReadonlySet<ActionKind> = new Set(["remove_graffiti", "remove_litter"]);

/**
 * Who does an action before a planner says otherwise. Lamps and their upkeep, graffiti, litter
 * and vandalism: the street department (gatuavdelningen, which runs street lighting and
 * cleaning in most municipalities); trees and brush: the park department; camera review and
 * guards: the police. Other tasks by their categories' checklist group: public transport
 * (stops, routes to stops) belongs to the transport authority, "other", when every category is
 * of that group; anything else, traffic included, to the street department.
 */
export function defaultOwner(kind: ActionKind, categoryIds: readonly string[]): Owner {
  switch (kind) {
    case "new_lamps":
    case "repair_lamp":
    case "upgrade_lamp":
    case "remove_graffiti":
    case "remove_litter":
    case "repair_vandalism":
      return "street_department";
    case "trim_trees":
    case "clear_brush":
      return "park_department";
    case "camera_review":
    case "guards":
      return "police";
    case "other_task": {
      const groups = categoryIds.map((id) => id.split(".")[0]);
      if (groups.length > 0 && groups.every((group) => group === "public_transport")) {
        return "other";
      }
      return "street_department";
    }
  }
}

/**
 * Default deadline, epoch ms: QUICK_FIX_DEADLINE_MS after the earliest observation for
 * graffiti and litter; null for everything else, and when no observation time is known.
 * `observedAt` is the earliest time already (PlanAction.observedAt) or the reports' times.
 */
export function defaultDeadlineAt(
  kind: ActionKind,
  observedAt: number | null | readonly number[],
): number | null {
  if (!QUICK_FIX_KINDS.has(kind)) return null;
  const times = (Array.isArray(observedAt) ? observedAt : [observedAt]).filter(
    (time): time is number => typeof time === "number" && Number.isFinite(time),
  );
  if (times.length === 0) return null;
  return Math.min(...times) + QUICK_FIX_DEADLINE_MS;
}

// ---------------------------------------------------------------------------------------
// What the screens show

export interface EffectiveFollowUp {
  owner: Owner;
  status: ActionStatus;
  deadlineAt: number | null;
  rejectedReason: string;
  note: string;
  statusChangedAt: number | null;
  /** The deadline has passed (at `now`) and the action is neither done nor rejected. */
  overdue: boolean;
}

/**
 * The follow-up as the screens show it: the record's values where it has a valid one, the
 * action's defaults otherwise (no record yet, a deleted one, or a value a merge left invalid,
 * e.g. from a newer app). Status defaults to "proposed".
 */
export function effectiveFollowUp(
  action: FollowUpAction,
  record: FollowUpRecord | undefined,
  now: number,
): EffectiveFollowUp {
  const fields = record && !record.deleted ? record.fields : undefined;
  const owner = isOwner(fields?.owner) ? fields.owner : action.defaultOwner;
  const status = isStatus(fields?.status) ? fields.status : "proposed";
  const deadlineAt =
    fields && isEpochOrNull(fields.deadlineAt) ? fields.deadlineAt : action.defaultDeadlineAt;
  const statusChangedAt =
    fields && isEpochOrNull(fields.statusChangedAt) ? fields.statusChangedAt : null;
  return {
    owner,
    status,
    deadlineAt,
    rejectedReason: typeof fields?.rejectedReason === "string" ? fields.rejectedReason : "",
    note: typeof fields?.note === "string" ? fields.note : "",
    statusChangedAt,
    overdue: isOverdue(deadlineAt, status, now),
  };
}

/** Past its deadline and still open (not done, not rejected). */
export function isOverdue(deadlineAt: number | null, status: ActionStatus, now: number): boolean {
  return deadlineAt !== null && now > deadlineAt && status !== "done" && status !== "rejected";
}

/** Statuses the meeting's "since the walk" list shows. */
export const REPORTED_STATUSES: readonly ActionStatus[] = ["done", "in_progress", "rejected"];

/**
 * What happened since the walk, for the follow-up meeting: live follow-ups whose status became
 * done, in progress or rejected at or after `sinceMs` (by statusChangedAt, the changing
 * tablet's clock), oldest change first (ties by action key).
 */
export function followUpSince(
  records: Iterable<FollowUpRecord>,
  sinceMs: number,
): FollowUpRecord[] {
  const result: FollowUpRecord[] = [];
  for (const record of records) {
    if (record.deleted) continue;
    const { status, statusChangedAt } = record.fields;
    if (status === "" || !REPORTED_STATUSES.includes(status)) continue;
    if (statusChangedAt === null || statusChangedAt < sinceMs) continue;
    result.push(record);
  }
  return result.sort(
    (a, b) =>
      (a.fields.statusChangedAt as number) - (b.fields.statusChangedAt as number) ||
      (a.fields.actionKey < b.fields.actionKey
        ? -1
        : a.fields.actionKey > b.fields.actionKey
          ? 1
          : 0),
  );
}

/**
 * Live follow-ups by action key. Should two records name one action (only a tool that ignored
 * the derived id could write that), the lower id wins, the same on every device.
 */
export function followUpsByActionKey(
  records: Iterable<FollowUpRecord>,
): Map<string, FollowUpRecord> {
  const byKey = new Map<string, FollowUpRecord>();
  for (const record of records) {
    if (record.deleted || record.kind !== "followUp") continue;
    const key = record.fields.actionKey;
    if (typeof key !== "string" || key === "") continue;
    const held = byKey.get(key);
    if (held === undefined || record.id < held.id) byKey.set(key, record);
  }
  return byKey;
}
