/**
 * Undo and redo. An entry remembers each touched record before and after a user action.
 * Undoing is itself a new edit (new versions), so it travels to other devices like any
 * change. Merges from other devices are never put on the stack (excalidraw
 * `CaptureUpdateAction.NEVER`).
 */
import { valuesEqual } from "./equal";
import { EMPTY_FIELDS } from "./kinds";
import {
  type EditContext,
  editRecord,
  restoreRecord,
  type SyncedRecord,
  tombstoneRecord,
} from "./record";

export type HistoryLabel = "create" | "edit" | "delete";

export interface HistoryChange {
  /** null when the action created the record. */
  before: SyncedRecord | null;
  after: SyncedRecord;
}

export interface HistoryEntry {
  label: HistoryLabel;
  changes: HistoryChange[];
}

export interface HistoryState {
  undo: HistoryEntry[];
  redo: HistoryEntry[];
}

/** Entries kept: a walk's evening fits well within this. */
export const HISTORY_LIMIT = 100;

export const EMPTY_HISTORY: HistoryState = Object.freeze({ undo: [], redo: [] }) as HistoryState;

export function pushHistory(state: HistoryState, entry: HistoryEntry): HistoryState {
  return { undo: [...state.undo, entry].slice(-HISTORY_LIMIT), redo: [] };
}

/** Bring a record to a target state (its content, or deleted) as a new edit. */
function moveTo(
  current: SyncedRecord,
  target: { deleted: boolean; fields: object } | null,
  ctx: EditContext,
): SyncedRecord {
  const empty = EMPTY_FIELDS[current.kind] as Record<string, unknown>;
  if (target === null || target.deleted) return tombstoneRecord(current, empty, ctx);
  const fields = target.fields as Record<string, unknown>;
  return current.deleted ? restoreRecord(current, fields, ctx) : editRecord(current, fields, ctx);
}

function changedFields(
  before: SyncedRecord,
  after: SyncedRecord,
  target: SyncedRecord,
): Record<string, unknown> {
  const beforeFields = before.fields as Record<string, unknown>;
  const afterFields = after.fields as Record<string, unknown>;
  const targetFields = target.fields as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(afterFields)) {
    if (!valuesEqual(beforeFields[key], afterFields[key])) patch[key] = targetFields[key];
  }
  return patch;
}

/**
 * Records to write for undoing (or redoing) an entry, given the records as they are now.
 * Records that no longer exist are skipped.
 */
export function replayEntry(
  entry: HistoryEntry,
  direction: "undo" | "redo",
  current: ReadonlyMap<string, SyncedRecord>,
  ctx: EditContext,
): SyncedRecord[] {
  const result: SyncedRecord[] = [];
  for (const change of entry.changes) {
    const now = current.get(change.after.id);
    if (!now) continue;
    const target = direction === "undo" ? change.before : change.after;
    const next =
      change.before && !change.before.deleted && !change.after.deleted && !now.deleted
        ? // An edit: only the fields this action changed move, so later edits of other
          // fields (here or merged from another device) are kept.
          editRecord(now, changedFields(change.before, change.after, target!), ctx)
        : moveTo(now, target, ctx);
    if (next !== now) result.push(next);
  }
  return result;
}
