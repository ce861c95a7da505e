/**
 * The IndexedDB layout and its upgrade ladder (idb README: `if (oldVersion < N)`). The ladder
 * creates stores and indexes only; record shapes change through named migrations
 * (src/domain/migrations.ts) that run when records are loaded.
 */
import type { DBSchema, IDBPDatabase } from "idb";
import type { ConflictEntry } from "../domain/merge";
import type { StoredRecord } from "./codec";

// DO NOT RENAME: existing tablets hold data under this name.
export const DB_NAME = "lykta";
export const DB_VERSION = 4;

// DO NOT RENAME any store or index below: existing tablets hold data under these names.
export const STORE_RECORDS = "records";
export const STORE_PHOTO_BLOBS = "photoBlobs";
export const STORE_META = "meta";
export const STORE_CONFLICTS = "conflicts";
export const STORE_LAYER_DATA = "layerData";
export const STORE_OUTBOX = "outbox";
export const INDEX_BY_WALK = "byWalk";
export const INDEX_BY_KIND = "byKind";
export const INDEX_BY_PROJECT_KIND = "byProjectKind";
export const INDEX_BY_RECORD = "byRecord";
export const INDEX_BY_PROJECT = "byProject";

export interface LyktaSchema extends DBSchema {
  records: {
    key: string;
    /** Records with their clocks packed (codec.ts); unpacked ones from older versions read too. */
    value: StoredRecord;
    indexes: { byWalk: string; byKind: string; byProjectKind: [string, string] };
  };
  /** Photo bytes keyed by their SHA-256 hex (the photo record's id). */
  photoBlobs: { key: string; value: Blob };
  /** Device settings and state that do not sync: device id, language, drafts. */
  meta: { key: string; value: unknown };
  /** Values that lost a concurrent edit, kept so a person can restore them. */
  conflicts: { key: string; value: ConflictEntry; indexes: { byRecord: string } };
  /** Features of imported layers (GeoJSON, UTF-8), keyed by their SHA-256 (layer `dataId`). */
  layerData: { key: string; value: Blob };
  /**
   * What this device has that a sync server may not: records and conflict entries changed
   * here (or merged in from a package) and blobs (photo bytes, layer data) stored here.
   * Written in the same transaction as the change; removed once the server has it.
   */
  outbox: { key: string; value: OutboxEntry; indexes: { byProject: string } };
}

/** One thing to send to the sync server. */
export interface OutboxEntry {
  /** "record:<id>", "conflict:<id>" or "blob:<sha256>": one entry per thing, however often it changed. */
  key: string;
  type: "record" | "conflict" | "blob";
  /** Record id, conflict id, or SHA-256 hex of the blob. */
  id: string;
  projectId: string;
  /** For blobs: which store holds the bytes. */
  blobStore?: "photoBlobs" | "layerData";
  /**
   * Random mark rewritten with every change: an entry is removed after a push only if its
   * mark is still the one that was read before the push (so a change made meanwhile stays).
   */
  mark: number;
}

/** The upgrade ladder. Each step runs once per device, in order. */
export function upgradeSchema(
  // The ladder must also handle stores that the typed schema no longer lists.
  db: IDBPDatabase<LyktaSchema>,
  oldVersion: number,
  transaction: { objectStore(name: "records"): { createIndex: IDBObjectStore["createIndex"] } },
): void {
  if (oldVersion < 1) {
    // Lykta 0.0: records, photo bytes and device meta.
    const records = db.createObjectStore(STORE_RECORDS, { keyPath: "id" });
    records.createIndex(INDEX_BY_WALK, "walkId");
    records.createIndex(INDEX_BY_KIND, "kind");
    db.createObjectStore(STORE_PHOTO_BLOBS);
    db.createObjectStore(STORE_META);
  }
  if (oldVersion < 2) {
    // Lykta 0.1: per-project listing and the conflict log.
    transaction
      .objectStore(STORE_RECORDS)
      .createIndex(INDEX_BY_PROJECT_KIND, ["projectId", "kind"]);
    const conflicts = db.createObjectStore(STORE_CONFLICTS, { keyPath: "id" });
    conflicts.createIndex(INDEX_BY_RECORD, "recordId");
  }
  if (oldVersion < 3) {
    // Lykta 0.2: data of imported context layers (paths, lamps, points of interest, areas).
    db.createObjectStore(STORE_LAYER_DATA);
  }
  if (oldVersion < 4) {
    // Lykta 0.3: the sync outbox (issue 8).
    const outbox = db.createObjectStore(STORE_OUTBOX, { keyPath: "key" });
    outbox.createIndex(INDEX_BY_PROJECT, "projectId");
  }
}
