/**
 * The conflict log of the open project: values that lost a concurrent edit in a merge.
 * Nothing typed is silently dropped: a person reads each one here and either restores it
 * (a new edit, so it wins everywhere after the next exchange) or lets it go.
 */
import { signal } from "@preact/signals";
import { RESTORE_REASONS, restoreFromConflict } from "../domain/conflicts";
import type { ConflictEntry } from "../domain/merge";
import type { SyncedRecord } from "../domain/record";
import { commit } from "./actions";
import { t } from "./i18n";
import { ctx, db, notify, reportStorageError } from "./session";

export interface ConflictView {
  entry: ConflictEntry;
  /** The record as stored now (the kept value is in its fields). */
  record: SyncedRecord | undefined;
}

export const conflicts = signal<ConflictView[]>([]);
let loadedProject: string | null = null;

export async function loadConflicts(projectId: string): Promise<void> {
  loadedProject = projectId;
  const store = db();
  const entries = (await store.listConflicts()).filter((entry) => entry.projectId === projectId);
  const records = await store.getRecords([...new Set(entries.map((entry) => entry.recordId))]);
  const byId = new Map(records.map((record) => [record.id, record]));
  if (loadedProject !== projectId) return;
  conflicts.value = entries
    .map((entry) => ({ entry, record: byId.get(entry.recordId) }))
    .sort(
      (a, b) => b.entry.lostClock.at - a.entry.lostClock.at || a.entry.id.localeCompare(b.entry.id),
    );
}

/** Put the lost value back, as a new edit; the log entry is then done. */
export async function restoreConflict(view: ConflictView): Promise<boolean> {
  const record = view.record ?? (await db().getRecord(view.entry.recordId));
  if (!record) {
    notify(t("conflictRecordGone"), "error");
    return false;
  }
  const restored = restoreFromConflict(record, view.entry, ctx());
  if (!restored.ok) {
    notify(
      t(
        restored.reason === RESTORE_REASONS.recordDeleted
          ? "conflictRecordDeleted"
          : "conflictFieldGone",
      ),
      "error",
    );
    return false;
  }
  if (!(await commit([restored.record]))) return false;
  await forget(view.entry);
  notify(t("conflictRestored"), "success");
  return true;
}

/** Keep the current value: remove the entry from the log. */
export async function dismissConflict(view: ConflictView): Promise<boolean> {
  return forget(view.entry);
}

async function forget(entry: ConflictEntry): Promise<boolean> {
  try {
    await db().deleteConflict(entry.id);
  } catch (error) {
    reportStorageError(error);
    return false;
  }
  if (loadedProject) await loadConflicts(loadedProject);
  return true;
}
