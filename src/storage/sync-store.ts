/**
 * The app's SyncStore (src/domain/sync/engine.ts) for one project, over the IndexedDB
 * database: the outbox that every local write fills in its own transaction
 * (database.ts), the cursor in meta, pulled pages applied in one transaction each.
 */
import type { ConflictEntry } from "../domain/merge";
import type { SyncedRecord } from "../domain/record";
import type { PulledPage, SyncStore } from "../domain/sync/engine";
import type { LyktaDatabase } from "./database";
import type { OutboxEntry } from "./schema";

// DO NOT RENAME: existing tablets hold their sync cursors under these meta keys.
export function cursorMetaKey(projectId: string): string {
  return `syncCursor:${projectId}`;
}

export class IndexedDbSyncStore implements SyncStore {
  /** Marks of the outbox entries last handed out, so only unchanged ones are settled. */
  private readonly marks = new Map<string, number>();
  private readonly blobStores = new Map<string, "photoBlobs" | "layerData">();
  /** Told of every pulled page's written records, after its transaction completed. */
  onPulled?: (records: readonly SyncedRecord[]) => void;

  constructor(
    private readonly db: LyktaDatabase,
    readonly projectId: string,
  ) {}

  async getCursor(): Promise<number> {
    return (await this.db.getMeta<number>(cursorMetaKey(this.projectId))) ?? 0;
  }

  private async entries(type: OutboxEntry["type"], limit: number): Promise<OutboxEntry[]> {
    const entries = (await this.db.listOutbox(this.projectId)).filter(
      (entry) => entry.type === type,
    );
    const chosen = entries.slice(0, limit);
    for (const entry of chosen) {
      this.marks.set(entry.key, entry.mark);
      if (entry.blobStore) this.blobStores.set(entry.id, entry.blobStore);
    }
    return chosen;
  }

  private settle(keys: readonly string[]): Promise<void> {
    const sent: Pick<OutboxEntry, "key" | "mark">[] = [];
    for (const key of keys) {
      const mark = this.marks.get(key);
      if (mark !== undefined) sent.push({ key, mark });
      this.marks.delete(key);
    }
    return this.db.settleOutbox(sent);
  }

  async pendingRecords(limit: number): Promise<SyncedRecord[]> {
    const entries = await this.entries("record", limit);
    return this.db.getRecords(entries.map((entry) => entry.id));
  }

  markPushed(records: readonly SyncedRecord[]): Promise<void> {
    return this.settle(records.map((record) => `record:${record.id}`));
  }

  async pendingConflicts(limit: number): Promise<ConflictEntry[]> {
    const entries = await this.entries("conflict", limit);
    return this.db.getConflicts(entries.map((entry) => entry.id));
  }

  markConflictsPushed(ids: readonly string[]): Promise<void> {
    return this.settle(ids.map((id) => `conflict:${id}`));
  }

  async applyPulled(
    ids: readonly string[],
    merge: (local: ReadonlyMap<string, SyncedRecord>) => PulledPage,
  ): Promise<void> {
    const page = await this.db.applyPulledPage(
      this.projectId,
      ids,
      cursorMetaKey(this.projectId),
      merge,
    );
    if (page.writes.length > 0) this.onPulled?.(page.writes);
  }

  async pendingBlobs(): Promise<string[]> {
    return (await this.entries("blob", Number.POSITIVE_INFINITY)).map((entry) => entry.id);
  }

  async readBlob(sha256: string): Promise<Uint8Array | undefined> {
    const blob = await this.db.getBlob(sha256, this.blobStores.get(sha256) ?? "photoBlobs");
    return blob === undefined ? undefined : new Uint8Array(await blob.arrayBuffer());
  }

  markBlobUploaded(sha256: string): Promise<void> {
    return this.settle([`blob:${sha256}`]);
  }

  async missingBlobs(): Promise<string[]> {
    const missing = await this.db.missingBlobs(this.projectId);
    for (const blob of missing) this.blobStores.set(blob.id, blob.store);
    return missing.map((blob) => blob.id);
  }

  async putBlob(sha256: string, bytes: Uint8Array): Promise<void> {
    const store = this.blobStores.get(sha256) ?? "photoBlobs";
    const type = store === "photoBlobs" ? "image/jpeg" : "application/geo+json";
    await this.db.putPulledBlob(sha256, store, new Blob([bytes as BlobPart], { type }));
  }
}
