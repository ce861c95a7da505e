/**
 * The client's sync engine (docs/sync.md): push what changed here, pull what changed
 * elsewhere, merge with the same rule as every merge (mergeIncomingRecord), upload photos.
 * Runs unchanged in Node (tests, the benchmark) and in the browser: the network comes in as a
 * SyncTransport (http-transport.ts) and storage as a SyncStore (memory-store.ts; the app's
 * IndexedDB store implements the same interface).
 *
 * Safe to interrupt anywhere, because every step is idempotent:
 * - A pushed batch leaves the outbox only after the server answered, and a record only if it
 *   did not change meanwhile (SyncStore.markPushed). Resending a batch changes nothing.
 * - A pulled page is merged and the cursor moved in one store call (SyncStore.applyPulled),
 *   so the cursor never passes a change that was not stored. Pulling a page again changes
 *   nothing (the merge is idempotent).
 * - A blob upload resumes from the offset the server reports (HEAD), so a dropped upload
 *   continues where it stopped.
 *
 * A pulled record that merged into something other than what the server sent (this device
 * holds an edit the server lacks) goes back to the outbox: the next push sends it.
 */

import { valuesEqual } from "../equal";
import { sha256Hex } from "../hash";
import { newId } from "../ids";
import type { ConflictEntry } from "../merge";
import { mergeIncomingRecord } from "../merge-set";
import { migrateRecord } from "../migrations";
import type { SyncedRecord } from "../record";
import {
  DEFAULT_BLOB_CHUNK_BYTES,
  DEFAULT_PULL_LIMIT,
  DEFAULT_PUSH_BATCH,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from "./protocol";

/** The server, as the engine sees it. Each call either succeeds or throws (SyncHttpError). */
export interface SyncTransport {
  push(request: PushRequest): Promise<PushResponse>;
  pull(after: number, limit: number): Promise<PullResponse>;
  /** Bytes of the blob the server holds (`complete` when all of them), or null: none. */
  blobStatus(sha256: string): Promise<{ offset: number; complete: boolean } | null>;
  /** Send `bytes` (the blob's bytes from `offset` on) of a blob of `totalBytes`; returns the new offset. */
  uploadBlob(
    sha256: string,
    offset: number,
    totalBytes: number,
    bytes: Uint8Array,
  ): Promise<number>;
  downloadBlob(sha256: string): Promise<Uint8Array>;
}

/** What a pulled page does to the store, computed by the engine from the store's own copies. */
export interface PulledPage {
  /** Records to write (merged). */
  writes: SyncedRecord[];
  /** Ids to put (back) in the outbox: the merged copy holds what the server lacks. */
  requeue: string[];
  /** The server's conflict entries: add to the log (a grow-only set keyed by id). */
  conflicts: ConflictEntry[];
  /** Conflicts this page's merges found here: add to the log and to the conflict outbox. */
  foundConflicts: ConflictEntry[];
  /** The cursor after this page. */
  cursor: number;
}

/**
 * The device's records as the engine needs them. Implementations make each method one
 * transaction; `applyPulled` calls `merge` synchronously inside its transaction, with the
 * store's copies at that moment, so an edit made meanwhile is never overwritten.
 */
export interface SyncStore {
  /** The last change number applied from the server (0: none yet). */
  getCursor(): Promise<number>;
  /** Up to `limit` records waiting in the outbox, oldest change first. */
  pendingRecords(limit: number): Promise<SyncedRecord[]>;
  /** The server has these copies: drop each id from the outbox unless the record changed since. */
  markPushed(records: readonly SyncedRecord[]): Promise<void>;
  /** Conflict entries found here that the server has not acknowledged yet. */
  pendingConflicts(limit: number): Promise<ConflictEntry[]>;
  markConflictsPushed(ids: readonly string[]): Promise<void>;
  /** Read the local copies of `ids`, let `merge` decide, write the result: one transaction. */
  applyPulled(
    ids: readonly string[],
    merge: (local: ReadonlyMap<string, SyncedRecord>) => PulledPage,
  ): Promise<void>;
  /** Blob ids (SHA-256) waiting to be uploaded, and their bytes. */
  pendingBlobs(): Promise<string[]>;
  readBlob(sha256: string): Promise<Uint8Array | undefined>;
  markBlobUploaded(sha256: string): Promise<void>;
  /** Blob ids live records here need but the store lacks (photos of others' observations). */
  missingBlobs(): Promise<string[]>;
  putBlob(sha256: string, bytes: Uint8Array): Promise<void>;
}

export interface SyncOptions {
  deviceId: string;
  pushBatch?: number;
  pullLimit?: number;
  blobChunkBytes?: number;
  /** Upper bound on push and pull rounds of one sync, so a device edited non-stop still returns. */
  maxRounds?: number;
  /** Records this device may not send (by role, protocol.ts writeRefusal): kept here, not pushed. */
  mayPush?: (record: SyncedRecord) => boolean;
  /** Called after each step, for a progress display. */
  onProgress?: (progress: SyncProgress) => void;
}

export interface SyncProgress {
  phase: "blobs" | "push" | "pull" | "download";
  pushed: number;
  pulled: number;
}

export interface SyncSummary {
  /** Records the server acknowledged. */
  pushed: number;
  /** Records pulled and merged. */
  pulled: number;
  /** Pulled records that went back to the outbox (this device holds an edit the server lacked). */
  requeued: number;
  /** Records left out of pushes (mayPush). */
  withheld: number;
  /**
   * Ids of records the server refused as too large (413) even alone: kept in the outbox,
   * left out of this sync so the rest goes through. A person has to act (a smaller
   * publication, a server with a higher --body-limit-mb).
   */
  tooLarge: string[];
  conflictsPushed: number;
  conflictsPulled: number;
  blobsUploaded: number;
  blobsDownloaded: number;
  /** The cursor after the sync. */
  cursor: number;
}

/** An HTTP answer other than success. `retryable`: try again later (429, 503, network). */
export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterMs: number | null = null,
    readonly where?: string,
  ) {
    super(message);
    this.name = "SyncHttpError";
  }
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/**
 * One sync: upload waiting blobs, push the outbox in batches, pull every page after the
 * cursor, push what the pull re-queued, download missing blobs. Throws what the transport
 * throws (SyncHttpError); everything done before the error stays done.
 */
export async function syncOnce(
  transport: SyncTransport,
  store: SyncStore,
  options: SyncOptions,
): Promise<SyncSummary> {
  const pushBatch = options.pushBatch ?? DEFAULT_PUSH_BATCH;
  const pullLimit = options.pullLimit ?? DEFAULT_PULL_LIMIT;
  const maxRounds = options.maxRounds ?? 1000;
  const summary: SyncSummary = {
    pushed: 0,
    pulled: 0,
    requeued: 0,
    withheld: 0,
    tooLarge: [],
    conflictsPushed: 0,
    conflictsPulled: 0,
    blobsUploaded: 0,
    blobsDownloaded: 0,
    cursor: await store.getCursor(),
  };
  const progress = (phase: SyncProgress["phase"]) =>
    options.onProgress?.({ phase, pushed: summary.pushed, pulled: summary.pulled });

  summary.blobsUploaded += await uploadBlobs(transport, store, options.blobChunkBytes);
  progress("blobs");
  await pushAll(transport, store, options, pushBatch, maxRounds, summary, progress);

  for (let round = 0; round < maxRounds; round++) {
    const after = await store.getCursor();
    const page = await transport.pull(after, pullLimit);
    const incoming = page.records.map((raw) => {
      // The server sends the current shape; an older server's records are migrated.
      const migration = migrateRecord(raw);
      if (!migration.ok) throw new SyncHttpError(0, "bad_pull", `pulled ${migration.detail}`);
      return migration.record;
    });
    const ids = [...new Set(incoming.map((record) => record.id))];
    let requeued = 0;
    await store.applyPulled(ids, (local) => {
      const result = mergePulledPage(local, incoming, page.conflicts, page.lastSeq);
      requeued = result.requeue.length;
      return result;
    });
    summary.pulled += incoming.length;
    summary.requeued += requeued;
    summary.conflictsPulled += page.conflicts.length;
    summary.cursor = page.lastSeq;
    progress("pull");
    if (!page.more) break;
  }
  // What the pull re-queued, and the conflicts its merges found (the server cannot know them:
  // the value that lost here never reached it).
  await pushAll(transport, store, options, pushBatch, maxRounds, summary, progress);
  summary.blobsDownloaded += await downloadBlobs(transport, store);
  progress("download");
  summary.cursor = await store.getCursor();
  return summary;
}

/**
 * The merge of one pulled page into the store's copies (pure; exported for stores and tests).
 * A record whose merge differs from the server's copy is re-queued; a pulled copy merges into
 * a local one with the same rule the server used, so conflicts found here go to the log.
 */
export function mergePulledPage(
  local: ReadonlyMap<string, SyncedRecord>,
  incoming: readonly SyncedRecord[],
  conflicts: readonly ConflictEntry[],
  cursor: number,
): PulledPage {
  const merged = new Map<string, SyncedRecord>();
  const found: ConflictEntry[] = [];
  const requeue = new Set<string>();
  for (const record of incoming) {
    const base = merged.get(record.id) ?? local.get(record.id);
    const step = mergeIncomingRecord(base, record);
    found.push(...step.conflicts);
    if (step.recordChanged || merged.has(record.id)) merged.set(record.id, step.record);
    if (!valuesEqual(step.record, record)) requeue.add(record.id);
    else requeue.delete(record.id);
  }
  return {
    writes: [...merged.values()],
    requeue: [...requeue],
    conflicts: [...conflicts],
    foundConflicts: found,
    cursor,
  };
}

async function pushAll(
  transport: SyncTransport,
  store: SyncStore,
  options: SyncOptions,
  pushBatch: number,
  maxRounds: number,
  summary: SyncSummary,
  progress: (phase: SyncProgress["phase"]) => void,
): Promise<void> {
  const withheld = new Set<string>();
  const tooLarge = new Set<string>();
  for (let round = 0; round < maxRounds; round++) {
    // Ask for more than a batch so withheld records do not starve the rest.
    const waiting = await store.pendingRecords(pushBatch + withheld.size);
    const records: SyncedRecord[] = [];
    for (const record of waiting) {
      if (withheld.has(record.id)) continue;
      if (options.mayPush && !options.mayPush(record)) {
        withheld.add(record.id);
        continue;
      }
      if (records.length < pushBatch) records.push(record);
    }
    const conflicts = await store.pendingConflicts(pushBatch * 5);
    if (records.length === 0 && conflicts.length === 0) break;
    const refused = await pushSplitting(transport, options.deviceId, records, conflicts);
    for (const id of refused) {
      withheld.add(id);
      tooLarge.add(id);
      if (!summary.tooLarge.includes(id)) summary.tooLarge.push(id);
    }
    const sent = refused.size === 0 ? records : records.filter((record) => !refused.has(record.id));
    await store.markPushed(sent);
    if (conflicts.length > 0) await store.markConflictsPushed(conflicts.map((entry) => entry.id));
    summary.pushed += sent.length;
    summary.conflictsPushed += conflicts.length;
    progress("push");
  }
  summary.withheld = withheld.size - tooLarge.size;
}

/**
 * Push a batch; when the server says it is too large (413), push its halves, down to single
 * records. Returns the ids of records too large even alone (the rest went through). Pushes
 * are idempotent, so a half that had gone before its sibling was refused is harmless.
 */
async function pushSplitting(
  transport: SyncTransport,
  deviceId: string,
  records: SyncedRecord[],
  conflicts: ConflictEntry[],
): Promise<Set<string>> {
  try {
    await transport.push({ deviceId, batchId: newId(), records, conflicts });
    return new Set();
  } catch (error) {
    if (!(error instanceof SyncHttpError) || error.status !== 413) throw error;
    if (records.length === 0) {
      // Conflict entries only: halves of them; one entry too large is the server's limit.
      if (conflicts.length <= 1) throw error;
      const half = Math.ceil(conflicts.length / 2);
      await pushSplitting(transport, deviceId, [], conflicts.slice(0, half));
      await pushSplitting(transport, deviceId, [], conflicts.slice(half));
      return new Set();
    }
    if (records.length === 1) {
      if (conflicts.length === 0) return new Set([records[0]!.id]);
      await pushSplitting(transport, deviceId, [], conflicts);
      return pushSplitting(transport, deviceId, records, []);
    }
    const middle = Math.ceil(records.length / 2);
    const first = await pushSplitting(transport, deviceId, records.slice(0, middle), conflicts);
    const second = await pushSplitting(transport, deviceId, records.slice(middle), []);
    return new Set([...first, ...second]);
  }
}

async function uploadBlobs(
  transport: SyncTransport,
  store: SyncStore,
  chunkBytes = DEFAULT_BLOB_CHUNK_BYTES,
): Promise<number> {
  let uploaded = 0;
  for (const sha256 of await store.pendingBlobs()) {
    const bytes = await store.readBlob(sha256);
    if (bytes === undefined) {
      await store.markBlobUploaded(sha256); // Gone here (a deleted photo): nothing to send.
      continue;
    }
    const status = await transport.blobStatus(sha256);
    let offset = status?.offset ?? 0;
    if (!status?.complete) {
      while (offset < bytes.byteLength) {
        const end = Math.min(bytes.byteLength, offset + chunkBytes);
        offset = await transport.uploadBlob(
          sha256,
          offset,
          bytes.byteLength,
          bytes.subarray(offset, end),
        );
      }
      uploaded += 1;
    }
    await store.markBlobUploaded(sha256);
  }
  return uploaded;
}

async function downloadBlobs(transport: SyncTransport, store: SyncStore): Promise<number> {
  let downloaded = 0;
  for (const sha256 of await store.missingBlobs()) {
    const status = await transport.blobStatus(sha256);
    if (!status?.complete) continue; // Not uploaded yet by its tablet: next sync.
    const bytes = await transport.downloadBlob(sha256);
    if ((await sha256Hex(bytes)) !== sha256) {
      throw new SyncHttpError(0, "blob_mismatch", `blob ${sha256} arrived damaged`);
    }
    await store.putBlob(sha256, bytes);
    downloaded += 1;
  }
  return downloaded;
}
