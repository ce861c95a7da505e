/**
 * The mergeable record model (../shared/STYLE.md, decided): every record that a tablet
 * writes carries per-field versions so that copies made on different devices can be merged
 * field by field without losing an edit.
 *
 * Pure: no DOM, no storage. Time, device id and randomness come in through `EditContext`.
 */
import { valuesEqual } from "./equal";

/** Per-field version stamp (excalidraw's version/versionNonce, one pair per field). */
export interface FieldClock {
  /** Grows by one on every real change of the field. */
  version: number;
  /** Random tie-breaker, regenerated with every version. Lower wins on equal versions. */
  nonce: number;
  /** Device id that made this version. Lower wins on equal version and nonce. */
  by: string;
  /** Epoch ms on the device that made the change. For display and audit only: never decides. */
  at: number;
  /**
   * Nonces of the versions this one replaced, newest last, at most `ANCESTOR_WINDOW`.
   * Lets a merge tell a stale copy (its nonce is an ancestor: not a conflict) from a
   * concurrent edit (not an ancestor: the losing value goes to the conflict log).
   */
  ancestors: number[];
}

/** How many ancestor nonces a field clock keeps. */
export const ANCESTOR_WINDOW = 8;

export type RecordKind =
  | "project"
  | "walk"
  | "observation"
  | "photo"
  | "track"
  | "trackChunk"
  | "layer"
  | "siteLink"
  | "followUp"
  | "planSettings"
  | "comment"
  | "publication";

/** Key of the tombstone's own clock entry. No record kind may have a field with this name. */
export const DELETED_CLOCK_KEY = "deleted";

export type Clock<Fields> = { [K in keyof Fields & string]: FieldClock } & {
  [DELETED_CLOCK_KEY]: FieldClock;
};

export interface SyncedRecord<Fields extends object = object> {
  /** UUID made on the device (or SHA-256 hex for photos); never reused. */
  id: string;
  kind: RecordKind;
  /** Version of the record shape; raised by named migrations, see migrations.ts. */
  shapeVersion: number;
  /** The project (one municipality's walk programme) the record belongs to. */
  projectId: string;
  /** The walk, for walk content (observations, tracks, photos). */
  walkId?: string;
  /** Current values, one per mutable field. */
  fields: Fields;
  clock: Clock<Fields>;
  /** Tombstone. A deleted record keeps no content: its fields hold the kind's empty values. */
  deleted: boolean;
}

/** What an edit needs from the world. Injected so the domain stays pure and testable. */
export interface EditContext {
  deviceId: string;
  now(): number;
  /** A random integer in [0, 2^31). */
  nonce(): number;
}

/** Current shape version for records written by this app version. */
export const CURRENT_SHAPE_VERSION = 2;

function freshClock(ctx: EditContext, previous?: FieldClock): FieldClock {
  const ancestors = previous ? [...previous.ancestors, previous.nonce].slice(-ANCESTOR_WINDOW) : [];
  return {
    version: previous ? previous.version + 1 : 1,
    nonce: ctx.nonce(),
    by: ctx.deviceId,
    at: ctx.now(),
    ancestors,
  };
}

export interface NewRecordInput<Fields extends object> {
  id: string;
  kind: RecordKind;
  projectId: string;
  walkId?: string;
  fields: Fields;
}

/** A new record: every field and the tombstone at version 1. */
export function createRecord<Fields extends object>(
  input: NewRecordInput<Fields>,
  ctx: EditContext,
): SyncedRecord<Fields> {
  if (DELETED_CLOCK_KEY in input.fields) {
    throw new Error(`createRecord: a field may not be named "${DELETED_CLOCK_KEY}"`);
  }
  const clock = { [DELETED_CLOCK_KEY]: freshClock(ctx) } as Record<string, FieldClock>;
  for (const key of Object.keys(input.fields)) clock[key] = freshClock(ctx);
  const record: SyncedRecord<Fields> = {
    id: input.id,
    kind: input.kind,
    shapeVersion: CURRENT_SHAPE_VERSION,
    projectId: input.projectId,
    fields: { ...input.fields },
    clock: clock as Clock<Fields>,
    deleted: false,
  };
  if (input.walkId !== undefined) record.walkId = input.walkId;
  return record;
}

/**
 * Apply a partial change. Fields whose new value equals the current one are left alone
 * and keep their version (excalidraw `newElementWith`): an edit that changes nothing
 * returns the very same record object, so callers can skip the write.
 */
export function editRecord<Fields extends object>(
  record: SyncedRecord<Fields>,
  patch: Partial<Fields>,
  ctx: EditContext,
): SyncedRecord<Fields> {
  if (record.deleted) throw new Error(`editRecord: record ${record.id} is deleted`);
  let fields: Fields | undefined;
  let clock: Clock<Fields> | undefined;
  for (const key of Object.keys(patch) as (keyof Fields & string)[]) {
    if (!(key in record.fields)) {
      throw new Error(`editRecord: ${record.kind} has no field "${key}"`);
    }
    const next = patch[key] as Fields[typeof key];
    if (valuesEqual(record.fields[key], next)) continue;
    fields ??= { ...record.fields };
    clock ??= { ...record.clock };
    fields[key] = next;
    (clock as Record<string, FieldClock>)[key] = freshClock(
      ctx,
      (record.clock as Record<string, FieldClock>)[key],
    );
  }
  if (!fields || !clock) return record;
  return { ...record, fields, clock };
}

/**
 * Delete: set the tombstone and empty every field (bumping its version), so the deleted
 * record carries no content to other devices. `emptyFields` are the kind's empty values.
 */
export function tombstoneRecord<Fields extends object>(
  record: SyncedRecord<Fields>,
  emptyFields: Fields,
  ctx: EditContext,
): SyncedRecord<Fields> {
  if (record.deleted) return record;
  const fields = { ...record.fields };
  const clock = { ...record.clock } as Record<string, FieldClock>;
  for (const key of Object.keys(record.fields) as (keyof Fields & string)[]) {
    const empty = emptyFields[key];
    if (!valuesEqual(fields[key], empty)) {
      fields[key] = empty;
      clock[key] = freshClock(ctx, clock[key]);
    }
  }
  clock[DELETED_CLOCK_KEY] = freshClock(ctx, clock[DELETED_CLOCK_KEY]);
  return { ...record, fields, clock: clock as Clock<Fields>, deleted: true };
}

/** Undo a delete: clear the tombstone and put content back, as new versions. */
export function restoreRecord<Fields extends object>(
  record: SyncedRecord<Fields>,
  content: Fields,
  ctx: EditContext,
): SyncedRecord<Fields> {
  if (!record.deleted) return editRecord(record, content, ctx);
  const clock = { ...record.clock } as Record<string, FieldClock>;
  clock[DELETED_CLOCK_KEY] = freshClock(ctx, clock[DELETED_CLOCK_KEY]);
  const undeleted = { ...record, clock: clock as Clock<Fields>, deleted: false };
  return editRecord(undeleted, content, ctx);
}

/**
 * Total order on clocks: does `a` win over `b`? Higher version wins; on equal versions the
 * lower nonce wins, then the lower device id. Never looks at `at` (tablet clocks drift).
 */
export function clockWins(a: FieldClock, b: FieldClock): boolean {
  if (a.version !== b.version) return a.version > b.version;
  if (a.nonce !== b.nonce) return a.nonce < b.nonce;
  return a.by < b.by;
}

/** Same version stamp: the same edit, seen on two devices. */
export function sameClock(a: FieldClock, b: FieldClock): boolean {
  return a.version === b.version && a.nonce === b.nonce && a.by === b.by;
}
