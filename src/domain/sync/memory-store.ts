/**
 * A SyncStore in memory (engine.ts): the simulated tablets of the server tests and the sync
 * benchmark, and a reference for the app's IndexedDB store. Local edits go through `commit`,
 * which writes the record and puts its id in the outbox, as the app's storage does.
 */
import { addConflicts } from "../conflicts";
import { valuesEqual } from "../equal";
import type { ConflictEntry } from "../merge";
import type { SyncedRecord } from "../record";
import type { PulledPage, SyncStore } from "./engine";

export class MemorySyncStore implements SyncStore {
  readonly records = new Map<string, SyncedRecord>();
  readonly conflicts = new Map<string, ConflictEntry>();
  readonly blobs = new Map<string, Uint8Array>();
  /** Ids waiting to be pushed, in the order they first changed (a Set keeps insertion order). */
  readonly outbox = new Set<string>();
  readonly conflictOutbox = new Set<string>();
  readonly blobOutbox = new Set<string>();
  cursor = 0;

  /** A local edit (or an imported package's record): stored and queued for the next push. */
  commit(record: SyncedRecord): void {
    this.records.set(record.id, record);
    this.outbox.add(record.id);
  }

  /** A local blob (a photo taken here): stored and queued for upload. */
  addBlob(sha256: string, bytes: Uint8Array): void {
    this.blobs.set(sha256, bytes);
    this.blobOutbox.add(sha256);
  }

  /** Conflicts found by a local merge (a package loaded here): logged and queued. */
  logConflicts(entries: readonly ConflictEntry[]): void {
    addConflicts(this.conflicts, entries);
    for (const entry of entries) this.conflictOutbox.add(entry.id);
  }

  async getCursor(): Promise<number> {
    return this.cursor;
  }

  async pendingRecords(limit: number): Promise<SyncedRecord[]> {
    const result: SyncedRecord[] = [];
    for (const id of this.outbox) {
      if (result.length >= limit) break;
      const record = this.records.get(id);
      if (record) result.push(record);
    }
    return result;
  }

  async markPushed(records: readonly SyncedRecord[]): Promise<void> {
    for (const pushed of records) {
      const current = this.records.get(pushed.id);
      if (current === pushed || (current !== undefined && valuesEqual(current, pushed))) {
        this.outbox.delete(pushed.id);
      }
    }
  }

  async pendingConflicts(limit: number): Promise<ConflictEntry[]> {
    const result: ConflictEntry[] = [];
    for (const id of this.conflictOutbox) {
      if (result.length >= limit) break;
      const entry = this.conflicts.get(id);
      if (entry) result.push(entry);
    }
    return result;
  }

  async markConflictsPushed(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.conflictOutbox.delete(id);
  }

  async applyPulled(
    ids: readonly string[],
    merge: (local: ReadonlyMap<string, SyncedRecord>) => PulledPage,
  ): Promise<void> {
    const local = new Map<string, SyncedRecord>();
    for (const id of ids) {
      const record = this.records.get(id);
      if (record) local.set(id, record);
    }
    const page = merge(local);
    for (const record of page.writes) this.records.set(record.id, record);
    for (const id of page.requeue) this.outbox.add(id);
    addConflicts(this.conflicts, page.conflicts);
    this.logConflicts(page.foundConflicts);
    this.cursor = page.cursor;
  }

  async pendingBlobs(): Promise<string[]> {
    return [...this.blobOutbox];
  }

  async readBlob(sha256: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(sha256);
  }

  async markBlobUploaded(sha256: string): Promise<void> {
    this.blobOutbox.delete(sha256);
  }

  async missingBlobs(): Promise<string[]> {
    const missing: string[] = [];
    for (const record of this.records.values()) {
      if (record.kind === "photo" && !record.deleted && !this.blobs.has(record.id)) {
        missing.push(record.id);
      }
    }
    return missing;
  }

  async putBlob(sha256: string, bytes: Uint8Array): Promise<void> {
    this.blobs.set(sha256, bytes);
  }
}
