/**
 * The conflict log (../shared/STYLE.md): values that lost a concurrent edit, kept so a person
 * can put them back. Entries come from mergeRecords (merge.ts), travel in packages
 * (`conflicts.ndjson`, package.ts) and are stored per device (src/storage).
 *
 * The log only grows, keyed by the deterministic conflict id (a grow-only set): logging the
 * same lost edit twice, on one device or on several, leaves one entry.
 */
import { type ConflictEntry, conflictId } from "./merge";
import {
  clockWins,
  DELETED_CLOCK_KEY,
  type EditContext,
  editRecord,
  type FieldClock,
  type SyncedRecord,
} from "./record";

/**
 * Of two entries with the same id (the same lost edit), the one to keep: the one whose kept
 * clock wins, i.e. the newest value the lost one is known to have lost to. A join (max), so
 * merging logs in any order and grouping gives the same log.
 */
export function preferredConflict(a: ConflictEntry, b: ConflictEntry): ConflictEntry {
  return clockWins(b.keptClock, a.keptClock) ? b : a;
}

/** Add entries to a log in place (id -> entry), keeping one entry per id. */
export function addConflicts(log: Map<string, ConflictEntry>, entries: Iterable<ConflictEntry>) {
  for (const entry of entries) {
    const known = log.get(entry.id);
    log.set(entry.id, known ? preferredConflict(known, entry) : entry);
  }
}

/** The union of logs, one entry per id, sorted by id (so equal logs serialise equally). */
export function unionConflicts(...logs: Iterable<ConflictEntry>[]): ConflictEntry[] {
  const log = new Map<string, ConflictEntry>();
  for (const entries of logs) addConflicts(log, entries);
  return [...log.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function clockProblem(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return "is not an object";
  const clock = value as Partial<FieldClock>;
  if (!Number.isInteger(clock.version) || (clock.version as number) < 1) return "has no version";
  if (!Number.isInteger(clock.nonce) || (clock.nonce as number) < 0) return "has no nonce";
  if (typeof clock.by !== "string") return "has no device (by)";
  if (typeof clock.at !== "number") return "has no time (at)";
  if (clock.ancestors !== undefined && !Array.isArray(clock.ancestors)) {
    return "has ancestors that are not a list";
  }
  return null;
}

/**
 * Check one conflict entry read from a file. Returns the entry (clocks without `ancestors`
 * get an empty list, as shape migration 2 does for record clocks) or the reason it is refused.
 * The id must be the one `conflictId` gives, so an edited id cannot hide a duplicate.
 */
export function parseConflictEntry(
  raw: unknown,
): { ok: true; entry: ConflictEntry } | { ok: false; detail: string } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, detail: "conflict entry is not an object" };
  }
  const entry = raw as Partial<ConflictEntry>;
  for (const member of ["id", "recordId", "projectId", "field"] as const) {
    if (typeof entry[member] !== "string" || entry[member] === "") {
      return { ok: false, detail: `conflict entry has no ${member}` };
    }
  }
  // Any kind name: a newer app may add kinds, and the entry only names its record's kind.
  if (typeof entry.kind !== "string" || (entry.kind as string) === "") {
    return { ok: false, detail: `conflict ${entry.id} has no kind` };
  }
  if (entry.walkId !== undefined && typeof entry.walkId !== "string") {
    return { ok: false, detail: `conflict ${entry.id}: walkId is not text` };
  }
  if (!("lostValue" in entry))
    return { ok: false, detail: `conflict ${entry.id} has no lostValue` };
  for (const member of ["lostClock", "keptClock"] as const) {
    const problem = clockProblem(entry[member]);
    if (problem) return { ok: false, detail: `conflict ${entry.id}: ${member} ${problem}` };
  }
  const withAncestors = (clock: FieldClock): FieldClock =>
    Array.isArray(clock.ancestors) ? clock : { ...clock, ancestors: [] };
  const checked = {
    ...entry,
    lostClock: withAncestors(entry.lostClock as FieldClock),
    keptClock: withAncestors(entry.keptClock as FieldClock),
  } as ConflictEntry;
  const expected = conflictId(checked.recordId, checked.field, checked.lostClock);
  if (checked.id !== expected) {
    return {
      ok: false,
      detail: `conflict ${checked.id}: id does not match its record, field and lost clock (expected ${expected})`,
    };
  }
  return { ok: true, entry: checked };
}

/** Why a lost value cannot be put back. */
export const RESTORE_REASONS = {
  /** The record is a tombstone: restore the record first, then the value. */
  recordDeleted: "record_deleted",
  /** The record's kind has no such field any more (a later shape renamed or removed it). */
  fieldGone: "field_gone",
} as const;

export type RestoreReason = (typeof RESTORE_REASONS)[keyof typeof RESTORE_REASONS];

export type RestoreResult<Fields extends object> =
  | { ok: true; record: SyncedRecord<Fields> }
  | { ok: false; reason: RestoreReason; detail: string };

/**
 * Put a lost value back as a NEW edit (editRecord): the field gets the next version on this
 * device, so after the next merge the restored value wins over the value it had lost to,
 * everywhere. When the record already holds that value nothing changes and the very same
 * record is returned (an edit that changes nothing makes no version, record.ts).
 *
 * Refuses, with a reason, when the record is a tombstone (a deleted record keeps no
 * content: restore the record first) or when the field no longer exists.
 * Passing a conflict of another record is a programming error and throws.
 */
export function restoreFromConflict<Fields extends object>(
  record: SyncedRecord<Fields>,
  conflict: ConflictEntry,
  ctx: EditContext,
): RestoreResult<Fields> {
  if (conflict.recordId !== record.id) {
    throw new Error(
      `restoreFromConflict: conflict ${conflict.id} belongs to ${conflict.recordId}, not ${record.id}`,
    );
  }
  if (record.deleted) {
    return {
      ok: false,
      reason: RESTORE_REASONS.recordDeleted,
      detail: `${record.kind} ${record.id} is deleted; restore it before its lost ${conflict.field}`,
    };
  }
  if (conflict.field === DELETED_CLOCK_KEY || !(conflict.field in record.fields)) {
    return {
      ok: false,
      reason: RESTORE_REASONS.fieldGone,
      detail: `${record.kind} ${record.id} has no field "${conflict.field}" any more`,
    };
  }
  const patch = { [conflict.field]: conflict.lostValue } as Partial<Fields>;
  return { ok: true, record: editRecord(record, patch, ctx) };
}
