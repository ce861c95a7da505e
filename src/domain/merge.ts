/**
 * Field-by-field merge of two copies of one record (../shared/STYLE.md): per field the
 * winning clock (clockWins) takes its value, the tombstone included. The merge is a pure
 * join: commutative, associative and idempotent, so copies converge in any order.
 *
 * A concurrent edit that lost is not dropped: it is returned as a conflict entry for the
 * conflict log, where a person can restore it.
 */
import { valuesEqual } from "./equal";
import {
  type Clock,
  clockWins,
  DELETED_CLOCK_KEY,
  type FieldClock,
  type SyncedRecord,
  sameClock,
} from "./record";

export interface ConflictEntry {
  /** Deterministic, so logging the same lost edit twice keeps one entry. */
  id: string;
  recordId: string;
  kind: SyncedRecord["kind"];
  projectId: string;
  walkId?: string;
  field: string;
  /** The value that lost, as it was typed. */
  lostValue: unknown;
  lostClock: FieldClock;
  /** The clock of the value that was kept. */
  keptClock: FieldClock;
}

export interface MergeResult<Fields extends object> {
  record: SyncedRecord<Fields>;
  conflicts: ConflictEntry[];
}

export function conflictId(recordId: string, field: string, lost: FieldClock): string {
  return `${recordId}|${field}|${lost.version}|${lost.nonce}|${lost.by}`;
}

/** Is `older` an earlier version of the same field history as `newer` (not concurrent)? */
export function isAncestor(older: FieldClock, newer: FieldClock): boolean {
  return newer.ancestors.includes(older.nonce);
}

export function mergeRecords<Fields extends object>(
  a: SyncedRecord<Fields>,
  b: SyncedRecord<Fields>,
): MergeResult<Fields> {
  if (a.id !== b.id) throw new Error(`mergeRecords: different ids ${a.id} and ${b.id}`);
  if (a.kind !== b.kind) throw new Error(`mergeRecords: ${a.id} is ${a.kind} and ${b.kind}`);
  if (a.shapeVersion !== b.shapeVersion) {
    throw new Error(
      `mergeRecords: ${a.id} has shape versions ${a.shapeVersion} and ${b.shapeVersion}; migrate first`,
    );
  }
  const conflicts: ConflictEntry[] = [];
  const fields = {} as Record<string, unknown>;
  const clock = {} as Record<string, FieldClock>;
  const clockA = a.clock as Record<string, FieldClock>;
  const clockB = b.clock as Record<string, FieldClock>;
  const fieldsA = a.fields as Record<string, unknown>;
  const fieldsB = b.fields as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(clockA), ...Object.keys(clockB)])].sort();
  let deleted = false;
  for (const key of keys) {
    const ca = clockA[key];
    const cb = clockB[key];
    const va = key === DELETED_CLOCK_KEY ? a.deleted : fieldsA[key];
    const vb = key === DELETED_CLOCK_KEY ? b.deleted : fieldsB[key];
    let winnerClock: FieldClock;
    let winnerValue: unknown;
    if (!ca || !cb) {
      winnerClock = (ca ?? cb)!;
      winnerValue = ca ? va : vb;
    } else {
      const aWins = sameClock(ca, cb) ? true : clockWins(ca, cb);
      winnerClock = aWins ? ca : cb;
      winnerValue = aWins ? va : vb;
      const loserClock = aWins ? cb : ca;
      const loserValue = aWins ? vb : va;
      if (
        !sameClock(ca, cb) &&
        !valuesEqual(winnerValue, loserValue) &&
        !isAncestor(loserClock, winnerClock) &&
        key !== DELETED_CLOCK_KEY
      ) {
        conflicts.push({
          id: conflictId(a.id, key, loserClock),
          recordId: a.id,
          kind: a.kind,
          projectId: a.projectId,
          ...(a.walkId !== undefined ? { walkId: a.walkId } : {}),
          field: key,
          lostValue: loserValue,
          lostClock: loserClock,
          keptClock: winnerClock,
        });
      }
    }
    clock[key] = winnerClock;
    if (key === DELETED_CLOCK_KEY) deleted = winnerValue === true;
    else fields[key] = winnerValue;
  }
  const record: SyncedRecord<Fields> = {
    ...a,
    fields: fields as Fields,
    clock: clock as Clock<Fields>,
    deleted,
  };
  return { record, conflicts };
}
