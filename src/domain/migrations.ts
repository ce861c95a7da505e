/**
 * Named, ordered migrations of the record shape (tldraw's record migrations). They run on
 * every record loaded from storage and on every record in an imported file, because another
 * tablet may run an older app. A migration never bumps a field version: it changes the shape,
 * not the content.
 *
 * Shape history:
 *   1  Lykta 0.0 (first field trials): observation light level in `lux`.
 *   2  Units in names: observation `lux` became `illuminanceLux`; every field clock carries
 *      `ancestors` (empty for clocks written before, which only makes the merge more willing
 *      to log a conflict, never less).
 */
import { CURRENT_SHAPE_VERSION, type FieldClock, type SyncedRecord } from "./record";

export interface RecordMigration {
  /** Shape version this migration produces; it runs on records at `to - 1`. */
  to: number;
  name: string;
  migrate(record: SyncedRecord): SyncedRecord;
}

function renameField(record: SyncedRecord, from: string, to: string): SyncedRecord {
  if (!(from in record.fields)) return record;
  const fields = { ...record.fields } as Record<string, unknown>;
  const clock = { ...record.clock } as Record<string, FieldClock>;
  fields[to] = fields[from];
  delete fields[from];
  if (clock[from]) {
    clock[to] = clock[from]!;
    delete clock[from];
  }
  return { ...record, fields, clock: clock as SyncedRecord["clock"] };
}

export const RECORD_MIGRATIONS: readonly RecordMigration[] = [
  {
    to: 2,
    name: "observation-lux-to-illuminanceLux",
    migrate: (record) => {
      const renamed =
        record.kind === "observation" ? renameField(record, "lux", "illuminanceLux") : record;
      const clock = {} as Record<string, FieldClock>;
      for (const [key, entry] of Object.entries(renamed.clock as Record<string, FieldClock>)) {
        clock[key] = { ...entry, ancestors: Array.isArray(entry.ancestors) ? entry.ancestors : [] };
      }
      return { ...renamed, clock: clock as SyncedRecord["clock"] };
    },
  },
];

export type MigrationResult =
  | { ok: true; record: SyncedRecord; migrated: boolean }
  | { ok: false; reason: "newer_shape" | "malformed"; detail: string };

/** Bring a record to the current shape, or say why it cannot be. */
export function migrateRecord(input: unknown): MigrationResult {
  if (typeof input !== "object" || input === null) {
    return { ok: false, reason: "malformed", detail: "record is not an object" };
  }
  const record = input as SyncedRecord;
  if (typeof record.id !== "string" || typeof record.kind !== "string") {
    return { ok: false, reason: "malformed", detail: "record has no id or kind" };
  }
  const shapeVersion = record.shapeVersion ?? 1;
  if (!Number.isInteger(shapeVersion) || shapeVersion < 1) {
    return { ok: false, reason: "malformed", detail: `record ${record.id}: bad shapeVersion` };
  }
  if (shapeVersion > CURRENT_SHAPE_VERSION) {
    return {
      ok: false,
      reason: "newer_shape",
      detail: `record ${record.id} has shape ${shapeVersion}; this app reads up to ${CURRENT_SHAPE_VERSION}`,
    };
  }
  if (typeof record.fields !== "object" || typeof record.clock !== "object") {
    return { ok: false, reason: "malformed", detail: `record ${record.id} has no fields or clock` };
  }
  // The common case, a current record, is returned as is: loading a big walk copies nothing.
  if (shapeVersion === CURRENT_SHAPE_VERSION) return { ok: true, record, migrated: false };
  let current: SyncedRecord = { ...record, shapeVersion };
  for (const migration of RECORD_MIGRATIONS) {
    if (current.shapeVersion === migration.to - 1) {
      current = { ...migration.migrate(current), shapeVersion: migration.to };
    }
  }
  return { ok: true, record: current, migrated: current.shapeVersion !== record.shapeVersion };
}
