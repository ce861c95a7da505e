/**
 * The only place that talks to IndexedDB (through idb). Every write goes through one
 * transaction helper with strict durability, so a write the UI confirms is on disk.
 */
import { type IDBPDatabase, type IDBPTransaction, openDB, type StoreNames } from "idb";
import { preferredConflict } from "../domain/conflicts";
import type { ConflictEntry } from "../domain/merge";
import { mergeIncomingRecord } from "../domain/merge-set";
import { migrateRecord } from "../domain/migrations";
import type { RecordKind, SyncedRecord } from "../domain/record";
import { isPacked, packRecord, type StoredRecord, unpackRecord } from "./codec";
import { commitOrAbort, StorageError, toStorageError } from "./errors";
import {
  DB_NAME,
  DB_VERSION,
  INDEX_BY_KIND,
  INDEX_BY_PROJECT,
  INDEX_BY_PROJECT_KIND,
  INDEX_BY_RECORD,
  INDEX_BY_WALK,
  type LyktaSchema,
  type OutboxEntry,
  STORE_CONFLICTS,
  STORE_LAYER_DATA,
  STORE_META,
  STORE_OUTBOX,
  STORE_PHOTO_BLOBS,
  STORE_RECORDS,
  upgradeSchema,
} from "./schema";

type Stores = StoreNames<LyktaSchema>;
export type WriteTransaction = IDBPTransaction<LyktaSchema, Stores[], "readwrite">;

export interface DatabaseEvents {
  /** Another tab wants to open a newer version: we closed; the page should reload. */
  onVersionChange?(): void;
  /** Our upgrade waits for another tab that holds an older version open. */
  onBlocked?(): void;
  /** The browser closed the connection abnormally. */
  onTerminated?(): void;
}

export interface OpenOptions extends DatabaseEvents {
  name?: string;
}

/**
 * What applyRecords did, one count per incoming record (src/domain/merge-set.ts,
 * RecordChange): added (unknown here, even when it arrives deleted), updated, unchanged, or
 * deleted (live here, a tombstone after the merge; not also counted as updated).
 */
export interface ApplyResult {
  added: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Lost concurrent edits this merge logged. */
  conflicts: ConflictEntry[];
  /** The records as stored after the merge. */
  stored: SyncedRecord[];
}

/**
 * Start requests and wait for all of them. If starting one throws (e.g. a quota error thrown
 * synchronously), the requests already started are aborted with the transaction; their
 * rejections are handled here so they do not surface as unhandled errors.
 */
async function all(start: Array<() => Promise<unknown>>): Promise<void> {
  const pending: Promise<unknown>[] = [];
  try {
    for (const request of start) pending.push(request());
  } finally {
    for (const promise of pending) promise.catch(() => undefined);
  }
  await Promise.all(pending);
}

/** A fresh random mark for an outbox entry (see OutboxEntry.mark). */
function outboxMark(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! >>> 1;
}

function recordEntry(record: SyncedRecord): OutboxEntry {
  return {
    key: `record:${record.id}`,
    type: "record",
    id: record.id,
    projectId: record.projectId,
    mark: outboxMark(),
  };
}

/** The blob a record's content lives in: a photo's bytes, a layer's data file. */
function blobOf(record: SyncedRecord): { id: string; store: "photoBlobs" | "layerData" } | null {
  if (record.kind === "photo") return { id: record.id, store: STORE_PHOTO_BLOBS };
  if (record.kind === "layer") {
    const dataId = (record.fields as { dataId?: unknown }).dataId;
    if (typeof dataId === "string" && dataId !== "") return { id: dataId, store: STORE_LAYER_DATA };
  }
  return null;
}

function conflictEntry(entry: ConflictEntry): OutboxEntry {
  return {
    key: `conflict:${entry.id}`,
    type: "conflict",
    id: entry.id,
    projectId: entry.projectId,
    mark: outboxMark(),
  };
}

function blobEntry(
  id: string,
  projectId: string,
  blobStore: "photoBlobs" | "layerData",
): OutboxEntry {
  return { key: `blob:${id}`, type: "blob", id, projectId, blobStore, mark: outboxMark() };
}

/** What is waiting for the sync server, per kind of thing. */
export interface OutboxCounts {
  records: number;
  conflicts: number;
  blobs: number;
}

/**
 * What a pulled page does to this device (src/domain/sync/engine.ts PulledPage): computed
 * by `merge` from the stored copies inside the transaction that writes it.
 */
export interface PulledPageWrite {
  writes: SyncedRecord[];
  requeue: string[];
  conflicts: ConflictEntry[];
  foundConflicts: ConflictEntry[];
  cursor: number;
}

/** Records per transaction when rewriting old layouts in the background. */
const REWRITE_BATCH = 200;

export class LyktaDatabase {
  private constructor(
    private readonly db: IDBPDatabase<LyktaSchema>,
    readonly name: string,
  ) {}

  static async open(options: OpenOptions = {}): Promise<LyktaDatabase> {
    const name = options.name ?? DB_NAME;
    if (typeof indexedDB === "undefined") {
      throw new StorageError("unavailable", "This browser offers no IndexedDB storage");
    }
    let holder: LyktaDatabase | undefined;
    try {
      const db = await openDB<LyktaSchema>(name, DB_VERSION, {
        upgrade(database, oldVersion, _newVersion, transaction) {
          upgradeSchema(database, oldVersion, transaction as never);
        },
        blocked() {
          options.onBlocked?.();
        },
        blocking() {
          // Close so the newer version in another tab can upgrade instead of deadlocking.
          holder?.db.close();
          options.onVersionChange?.();
        },
        terminated() {
          options.onTerminated?.();
        },
      });
      holder = new LyktaDatabase(db, name);
      return holder;
    } catch (error) {
      throw toStorageError(error);
    }
  }

  close(): void {
    this.db.close();
  }

  /**
   * The one write helper: a readwrite transaction with strict durability (the write is
   * flushed to disk before it completes). Errors, including a quota abort, come out as
   * StorageError; nothing of a failed transaction is stored.
   */
  async write<T>(stores: Stores[], work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    let tx: WriteTransaction;
    try {
      tx = this.db.transaction(stores, "readwrite", { durability: "strict" });
    } catch (error) {
      throw toStorageError(error);
    }
    return commitOrAbort(tx, () => work(tx));
  }

  // ---- records ------------------------------------------------------------------------

  async putRecords(records: readonly SyncedRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.write([STORE_RECORDS, STORE_OUTBOX], async (tx) => {
      const store = tx.objectStore(STORE_RECORDS);
      const outbox = tx.objectStore(STORE_OUTBOX);
      await all(records.map((record) => () => store.put(packRecord(record))));
      await all(records.map((record) => () => outbox.put(recordEntry(record))));
    });
  }

  async getRecord<R extends SyncedRecord = SyncedRecord>(id: string): Promise<R | undefined> {
    const record = await this.db.get(STORE_RECORDS, id);
    return record ? (this.migrated([record])[0] as R) : undefined;
  }

  async getRecords(ids: readonly string[]): Promise<SyncedRecord[]> {
    const tx = this.db.transaction(STORE_RECORDS, "readonly");
    const found = await Promise.all(ids.map((id) => tx.store.get(id)));
    return this.migrated(found.filter((record): record is StoredRecord => record !== undefined));
  }

  async listByKind<R extends SyncedRecord = SyncedRecord>(kind: RecordKind): Promise<R[]> {
    return this.migrated(await this.db.getAllFromIndex(STORE_RECORDS, INDEX_BY_KIND, kind)) as R[];
  }

  async listProjectKind<R extends SyncedRecord = SyncedRecord>(
    projectId: string,
    kind: RecordKind,
  ): Promise<R[]> {
    return this.migrated(
      await this.db.getAllFromIndex(STORE_RECORDS, INDEX_BY_PROJECT_KIND, [projectId, kind]),
    ) as R[];
  }

  /** Everything of one walk (the walk record, observations, photos, tracks), in one read. */
  async listWalkContent(walkId: string): Promise<SyncedRecord[]> {
    return this.migrated(await this.db.getAllFromIndex(STORE_RECORDS, INDEX_BY_WALK, walkId));
  }

  async countRecords(): Promise<number> {
    return this.db.count(STORE_RECORDS);
  }

  /**
   * Run shape migrations on records as they are loaded; write migrated (or still unpacked)
   * ones back in the background so the next load is plain. Records from a newer app are left out of the
   * result (and untouched on disk) rather than misread.
   */
  private migrated(records: StoredRecord[]): SyncedRecord[] {
    const result: SyncedRecord[] = [];
    const rewrite: SyncedRecord[] = [];
    for (const stored of records) {
      const migration = migrateRecord(unpackRecord(stored));
      if (!migration.ok) continue;
      result.push(migration.record);
      if (migration.migrated || !isPacked(stored)) rewrite.push(migration.record);
    }
    if (rewrite.length > 0) void this.rewriteInBatches(rewrite);
    return result;
  }

  /**
   * Write records back in small transactions, one after another, so a person's save never
   * waits behind rewriting a whole big walk. Through the merge, so a write that happened
   * since the read is never overwritten.
   */
  private async rewriteInBatches(records: SyncedRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += REWRITE_BATCH) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      try {
        await this.applyRecords(records.slice(start, start + REWRITE_BATCH), { outbox: "none" });
      } catch {
        // The next load tries again; the records read fine in their old layout meanwhile.
        return;
      }
    }
  }

  /**
   * Merge incoming copies of records into the stored ones, field by field
   * (src/domain/merge.ts), and log every lost concurrent edit. `conflicts`, the log a package
   * carries (`content.conflicts` of readPackage), is stored with them. One transaction: all
   * or none. Incoming records of an older shape are migrated; a newer shape fails the write.
   */
  async applyRecords(
    incoming: readonly SyncedRecord[],
    options: {
      conflicts?: readonly ConflictEntry[];
      /**
       * What goes into the sync outbox. "changed" (the default, a package from another
       * tablet): every record the merge changed here and every new conflict entry, since a
       * server may not have them. "none": a rewrite of the same content in a new layout.
       */
      outbox?: "changed" | "none";
    } = {},
  ): Promise<ApplyResult> {
    const outboxMode = options.outbox ?? "changed";
    return this.write([STORE_RECORDS, STORE_CONFLICTS, STORE_OUTBOX], async (tx) => {
      const store = tx.objectStore(STORE_RECORDS);
      const outbox = tx.objectStore(STORE_OUTBOX);
      const result: ApplyResult = {
        added: 0,
        updated: 0,
        unchanged: 0,
        deleted: 0,
        conflicts: [],
        stored: [],
      };
      for (const raw of incoming) {
        const arriving = migrateRecord(raw);
        if (!arriving.ok) {
          throw new StorageError("failed", `Incoming record ${raw.id}: ${arriving.detail}`);
        }
        const record = arriving.record;
        const existingRaw = await store.get(record.id);
        let existing: SyncedRecord | undefined;
        let rewrite = false;
        if (existingRaw) {
          const migration = migrateRecord(unpackRecord(existingRaw));
          if (!migration.ok) {
            throw new StorageError("failed", `Stored record ${record.id}: ${migration.detail}`);
          }
          existing = migration.record;
          // A record still in an old shape or layout on disk is rewritten in the new one.
          rewrite = migration.migrated || !isPacked(existingRaw);
        }
        const step = mergeIncomingRecord(existing, record);
        result.conflicts.push(...step.conflicts);
        if (step.recordChanged || rewrite) await store.put(packRecord(step.record));
        if (outboxMode === "changed" && step.recordChanged) {
          await outbox.put(recordEntry(step.record));
        }
        result[step.change] += 1;
        result.stored.push(step.record);
      }
      const changed = await this.storeConflicts(tx, [
        ...result.conflicts,
        ...(options.conflicts ?? []),
      ]);
      if (outboxMode === "changed") {
        for (const entry of changed) await outbox.put(conflictEntry(entry));
      }
      return result;
    });
  }

  // ---- photos ---------------------------------------------------------------------------

  /**
   * Store a photo record with its bytes in one transaction. Same hash: the bytes are stored
   * once; the record is written when it is new or brings a deleted photo back.
   */
  async putPhoto(record: SyncedRecord, bytes: Blob): Promise<void> {
    await this.write([STORE_RECORDS, STORE_PHOTO_BLOBS, STORE_OUTBOX], async (tx) => {
      const blobs = tx.objectStore(STORE_PHOTO_BLOBS);
      const outbox = tx.objectStore(STORE_OUTBOX);
      if ((await blobs.getKey(record.id)) === undefined) {
        await blobs.put(bytes, record.id);
        await outbox.put(blobEntry(record.id, record.projectId, STORE_PHOTO_BLOBS));
      }
      const records = tx.objectStore(STORE_RECORDS);
      const stored = await records.get(record.id);
      if (stored === undefined) {
        await records.put(packRecord(record));
        await outbox.put(recordEntry(record));
        return;
      }
      // Merged like any copy: a restore (a newer version) brings a deleted photo back, a
      // stale copy changes nothing. A photo's fields follow from its bytes, so a lost value
      // (say, another tablet's takenAt) is not worth a conflict entry.
      const existing = migrateRecord(unpackRecord(stored));
      if (!existing.ok) {
        throw new StorageError("failed", `Stored record ${record.id}: ${existing.detail}`);
      }
      const step = mergeIncomingRecord(existing.record, record);
      if (step.recordChanged || existing.migrated) await records.put(packRecord(step.record));
      if (step.recordChanged) await outbox.put(recordEntry(step.record));
    });
  }

  /**
   * Store photo bytes that arrived without being taken here: from a package (queued for a
   * sync server, `projectId` given) or from the sync server itself (not queued).
   */
  async putPhotoBlob(id: string, bytes: Blob, projectId?: string): Promise<void> {
    await this.write([STORE_PHOTO_BLOBS, STORE_OUTBOX], async (tx) => {
      const store = tx.objectStore(STORE_PHOTO_BLOBS);
      if ((await store.getKey(id)) !== undefined) return;
      await store.put(bytes, id);
      if (projectId !== undefined) {
        await tx.objectStore(STORE_OUTBOX).put(blobEntry(id, projectId, STORE_PHOTO_BLOBS));
      }
    });
  }

  async getPhotoBlob(id: string): Promise<Blob | undefined> {
    return this.db.get(STORE_PHOTO_BLOBS, id);
  }

  async hasPhotoBlob(id: string): Promise<boolean> {
    return (await this.db.getKey(STORE_PHOTO_BLOBS, id)) !== undefined;
  }

  /** Remove photo bytes (the record becomes a tombstone elsewhere). */
  async deletePhotoBlobs(
    ids: readonly string[],
    tombstones: readonly SyncedRecord[],
  ): Promise<void> {
    await this.write([STORE_RECORDS, STORE_PHOTO_BLOBS, STORE_OUTBOX], async (tx) => {
      const blobs = tx.objectStore(STORE_PHOTO_BLOBS);
      const records = tx.objectStore(STORE_RECORDS);
      const outbox = tx.objectStore(STORE_OUTBOX);
      await all(ids.map((id) => () => blobs.delete(id)));
      // Bytes that are gone here are not sent; the tombstones are.
      await all(ids.map((id) => () => outbox.delete(`blob:${id}`)));
      await all(tombstones.map((record) => () => records.put(packRecord(record))));
      await all(tombstones.map((record) => () => outbox.put(recordEntry(record))));
    });
  }

  // ---- imported layers --------------------------------------------------------------------

  /**
   * Store a layer record with its data file in one transaction: an import is all or
   * nothing. The same data (same SHA-256) is stored once.
   */
  async putLayer(record: SyncedRecord, data: Blob): Promise<void> {
    const dataId = (record.fields as { dataId: string }).dataId;
    await this.write([STORE_RECORDS, STORE_LAYER_DATA, STORE_OUTBOX], async (tx) => {
      const blobs = tx.objectStore(STORE_LAYER_DATA);
      const outbox = tx.objectStore(STORE_OUTBOX);
      if ((await blobs.getKey(dataId)) === undefined) {
        await blobs.put(data, dataId);
        await outbox.put(blobEntry(dataId, record.projectId, STORE_LAYER_DATA));
      }
      await tx.objectStore(STORE_RECORDS).put(packRecord(record));
      await outbox.put(recordEntry(record));
    });
  }

  async getLayerData(dataId: string): Promise<Blob | undefined> {
    return this.db.get(STORE_LAYER_DATA, dataId);
  }

  /** Remove layer data no live layer points at (after a delete or a re-mapping). */
  async deleteLayerData(dataIds: readonly string[]): Promise<void> {
    await this.write([STORE_LAYER_DATA], async (tx) => {
      const store = tx.objectStore(STORE_LAYER_DATA);
      await all(dataIds.map((id) => () => store.delete(id)));
    });
  }

  // ---- conflicts ------------------------------------------------------------------------

  async listConflicts(recordId?: string): Promise<ConflictEntry[]> {
    return recordId === undefined
      ? this.db.getAll(STORE_CONFLICTS)
      : this.db.getAllFromIndex(STORE_CONFLICTS, INDEX_BY_RECORD, recordId);
  }

  /**
   * Store entries of another device's conflict log (a package's `conflicts.ndjson`).
   * Idempotent: an id already stored stays one entry (the one whose kept clock wins).
   * Returns the entries that were new or replaced an older one.
   */
  async putConflicts(entries: readonly ConflictEntry[]): Promise<ConflictEntry[]> {
    if (entries.length === 0) return [];
    return this.write([STORE_CONFLICTS], (tx) => this.storeConflicts(tx, entries));
  }

  private async storeConflicts(
    tx: WriteTransaction,
    entries: readonly ConflictEntry[],
  ): Promise<ConflictEntry[]> {
    const store = tx.objectStore(STORE_CONFLICTS);
    const changed: ConflictEntry[] = [];
    for (const entry of entries) {
      const known = await store.get(entry.id);
      const keep = known ? preferredConflict(known, entry) : entry;
      if (keep === known) continue;
      await store.put(keep);
      changed.push(keep);
    }
    return changed;
  }

  async deleteConflict(id: string): Promise<void> {
    await this.write([STORE_CONFLICTS], async (tx) => {
      await tx.objectStore(STORE_CONFLICTS).delete(id);
    });
  }

  // ---- sync outbox ------------------------------------------------------------------------

  /** Entries waiting for the server: records first, then conflicts, then blobs. */
  async listOutbox(projectId: string, limit = Number.POSITIVE_INFINITY): Promise<OutboxEntry[]> {
    const entries = await this.db.getAllFromIndex(STORE_OUTBOX, INDEX_BY_PROJECT, projectId);
    const order = { record: 0, conflict: 1, blob: 2 } as const;
    entries.sort((a, b) => order[a.type] - order[b.type] || (a.key < b.key ? -1 : 1));
    return entries.slice(0, limit);
  }

  async countOutbox(projectId: string): Promise<OutboxCounts> {
    const counts: OutboxCounts = { records: 0, conflicts: 0, blobs: 0 };
    const entries = await this.db.getAllFromIndex(STORE_OUTBOX, INDEX_BY_PROJECT, projectId);
    for (const entry of entries) {
      if (entry.type === "record") counts.records += 1;
      else if (entry.type === "conflict") counts.conflicts += 1;
      else counts.blobs += 1;
    }
    return counts;
  }

  /**
   * The server has what `sent` stood for: remove each entry whose mark is unchanged. An entry
   * whose thing changed meanwhile has a new mark and stays for the next push. Idempotent.
   */
  async settleOutbox(sent: readonly Pick<OutboxEntry, "key" | "mark">[]): Promise<void> {
    if (sent.length === 0) return;
    await this.write([STORE_OUTBOX], async (tx) => {
      const outbox = tx.objectStore(STORE_OUTBOX);
      for (const entry of sent) {
        const current = await outbox.get(entry.key);
        if (current !== undefined && current.mark === entry.mark) await outbox.delete(entry.key);
      }
    });
  }

  /**
   * Queue everything of a project, when it is first connected to a server: every record,
   * every conflict entry, and the photo bytes and layer data this device holds.
   */
  async enqueueProject(projectId: string): Promise<number> {
    const range = IDBKeyRange.bound([projectId], [projectId, []]);
    const records = this.migrated(
      await this.db.getAllFromIndex(STORE_RECORDS, INDEX_BY_PROJECT_KIND, range),
    );
    const conflicts = (await this.db.getAll(STORE_CONFLICTS)).filter(
      (entry) => entry.projectId === projectId,
    );
    return this.write([STORE_OUTBOX, STORE_PHOTO_BLOBS, STORE_LAYER_DATA], async (tx) => {
      const outbox = tx.objectStore(STORE_OUTBOX);
      let queued = 0;
      for (const record of records) {
        await outbox.put(recordEntry(record));
        queued += 1;
        if (record.deleted) continue;
        const blob = blobOf(record);
        if (blob && (await tx.objectStore(blob.store).getKey(blob.id)) !== undefined) {
          await outbox.put(blobEntry(blob.id, projectId, blob.store));
          queued += 1;
        }
      }
      for (const entry of conflicts) {
        await outbox.put(conflictEntry(entry));
        queued += 1;
      }
      return queued;
    });
  }

  /** Forget what was waiting for a server (the project was disconnected from it). */
  async clearOutbox(projectId: string): Promise<void> {
    await this.write([STORE_OUTBOX], async (tx) => {
      const outbox = tx.objectStore(STORE_OUTBOX);
      const keys = await outbox.index(INDEX_BY_PROJECT).getAllKeys(projectId);
      for (const key of keys) await outbox.delete(key);
    });
  }

  /**
   * Apply one page pulled from the sync server in one transaction: read this device's copies
   * of `ids`, let `merge` (synchronous) decide, write the merged records, put re-queued ones
   * and the conflicts found here in the outbox, store the server's conflict entries (not
   * queued: the server has them), and move the cursor (meta `cursorKey`). An edit saved here
   * while the page was on its way is read by `merge`, so it is never overwritten; a page
   * applied twice changes nothing.
   */
  async applyPulledPage(
    projectId: string,
    ids: readonly string[],
    cursorKey: string,
    merge: (local: ReadonlyMap<string, SyncedRecord>) => PulledPageWrite,
  ): Promise<PulledPageWrite> {
    return this.write([STORE_RECORDS, STORE_CONFLICTS, STORE_OUTBOX, STORE_META], async (tx) => {
      const store = tx.objectStore(STORE_RECORDS);
      const outbox = tx.objectStore(STORE_OUTBOX);
      const local = new Map<string, SyncedRecord>();
      for (const id of ids) {
        const raw = await store.get(id);
        if (raw === undefined) continue;
        const migration = migrateRecord(unpackRecord(raw));
        if (!migration.ok) {
          throw new StorageError("failed", `Stored record ${id}: ${migration.detail}`);
        }
        local.set(id, migration.record);
      }
      const page = merge(local);
      for (const record of page.writes) {
        if (record.projectId !== projectId) {
          throw new StorageError("failed", `Pulled record ${record.id} is not of this project`);
        }
        await store.put(packRecord(record));
      }
      for (const id of page.requeue) {
        await outbox.put({
          key: `record:${id}`,
          type: "record",
          id,
          projectId,
          mark: outboxMark(),
        });
      }
      await this.storeConflicts(tx, page.conflicts);
      const found = await this.storeConflicts(tx, page.foundConflicts);
      for (const entry of found) await outbox.put(conflictEntry(entry));
      await tx.objectStore(STORE_META).put(page.cursor, cursorKey);
      return page;
    });
  }

  /** Conflict entries by id (those the outbox names). */
  async getConflicts(ids: readonly string[]): Promise<ConflictEntry[]> {
    const tx = this.db.transaction(STORE_CONFLICTS, "readonly");
    const found = await Promise.all(ids.map((id) => tx.store.get(id)));
    return found.filter((entry): entry is ConflictEntry => entry !== undefined);
  }

  /**
   * Blobs that live records of the project point at but this device lacks: photos taken on
   * other tablets, layers imported elsewhere. With the store each belongs in.
   */
  async missingBlobs(
    projectId: string,
  ): Promise<{ id: string; store: "photoBlobs" | "layerData" }[]> {
    const missing: { id: string; store: "photoBlobs" | "layerData" }[] = [];
    for (const kind of ["photo", "layer"] as const) {
      for (const record of await this.listProjectKind(projectId, kind)) {
        if (record.deleted) continue;
        const blob = blobOf(record);
        if (blob && (await this.db.getKey(blob.store, blob.id)) === undefined) missing.push(blob);
      }
    }
    return missing;
  }

  /** Bytes of a blob from the store its outbox entry names. */
  async getBlob(id: string, store: "photoBlobs" | "layerData"): Promise<Blob | undefined> {
    return this.db.get(store, id);
  }

  /** Bytes that came from the sync server: stored, never queued back. */
  async putPulledBlob(id: string, store: "photoBlobs" | "layerData", bytes: Blob): Promise<void> {
    await this.write([store], async (tx) => {
      const target = tx.objectStore(store);
      if ((await target.getKey(id)) === undefined) await target.put(bytes, id);
    });
  }

  // ---- meta -----------------------------------------------------------------------------

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.db.get(STORE_META, key)) as T | undefined;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.write([STORE_META], async (tx) => {
      await tx.objectStore(STORE_META).put(value, key);
    });
  }

  async deleteMeta(key: string): Promise<void> {
    await this.write([STORE_META], async (tx) => {
      await tx.objectStore(STORE_META).delete(key);
    });
  }

  /** Records and meta in one transaction (e.g. a track chunk and the filter state). */
  async putRecordsAndMeta(records: readonly SyncedRecord[], meta: Record<string, unknown>) {
    await this.write([STORE_RECORDS, STORE_META, STORE_OUTBOX], async (tx) => {
      const store = tx.objectStore(STORE_RECORDS);
      const metaStore = tx.objectStore(STORE_META);
      const outbox = tx.objectStore(STORE_OUTBOX);
      await all(records.map((record) => () => store.put(packRecord(record))));
      await all(records.map((record) => () => outbox.put(recordEntry(record))));
      await all(
        Object.entries(meta).map(
          ([key, value]) =>
            () =>
              value === undefined ? metaStore.delete(key) : metaStore.put(value, key),
        ),
      );
    });
  }
}
