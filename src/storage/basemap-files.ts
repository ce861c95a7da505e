/**
 * Basemap files (PMTiles archives of the walk area), kept apart from walk data: their bytes
 * live in the Origin Private File System (or, where a browser has none, in a database of
 * their own), and what Lykta knows about them in the database `lykta-basemaps`. A map file is
 * tens or hundreds of megabytes: a quota error while storing one must never touch the
 * walks' database (`lykta`), so no transaction here ever spans both.
 */
import type { BasemapFileInfo } from "../domain/basemap-file";
import {
  type BasemapDb,
  openBasemapDb,
  STORE_BLOBS,
  STORE_FILES,
  writeTransaction,
} from "./basemap-db";
import type { StorageError, StorageErrorKind } from "./errors";
import { toStorageError } from "./errors";

export { BASEMAP_DB_NAME } from "./basemap-db";

// DO NOT RENAME: existing tablets hold map files in this directory.
const OPFS_DIRECTORY = "lykta-basemaps";

/** Where the bytes of map files go. */
export interface BlobBackend {
  readonly kind: BasemapFileInfo["storage"];
  /** Store the bytes; on failure nothing of them is left behind. */
  write(id: string, blob: Blob): Promise<void>;
  read(id: string, name: string): Promise<File | null>;
  remove(id: string): Promise<void>;
}

export type SaveBasemapResult =
  | { ok: true; info: BasemapFileInfo }
  | { ok: false; reason: StorageErrorKind; error: StorageError };

function fileName(id: string) {
  return `${id}.pmtiles`;
}

/**
 * The Origin Private File System, if this browser can write files there from the page
 * (createWritable); null otherwise.
 */
export async function opfsBackend(): Promise<BlobBackend | null> {
  const storage = typeof navigator !== "undefined" ? navigator.storage : undefined;
  if (!storage || typeof storage.getDirectory !== "function") return null;
  if (
    typeof FileSystemFileHandle === "undefined" ||
    !("createWritable" in FileSystemFileHandle.prototype)
  ) {
    return null;
  }
  let directory: FileSystemDirectoryHandle;
  try {
    const root = await storage.getDirectory();
    directory = await root.getDirectoryHandle(OPFS_DIRECTORY, { create: true });
  } catch {
    return null;
  }
  const remove = async (id: string) => {
    await directory.removeEntry(fileName(id)).catch(() => undefined);
  };
  return {
    kind: "opfs",
    async write(id, blob) {
      try {
        const handle = await directory.getFileHandle(fileName(id), { create: true });
        const writable = await handle.createWritable();
        // pipeTo closes the file when done, and aborts it (dropping what was written) on error.
        await blob.stream().pipeTo(writable);
      } catch (error) {
        await remove(id);
        throw error;
      }
    },
    async read(id) {
      try {
        const handle = await directory.getFileHandle(fileName(id));
        return await handle.getFile();
      } catch {
        return null;
      }
    },
    remove,
  };
}

/** The bytes in the map files' own database, for browsers without OPFS writes. */
function indexedDbBackend(db: BasemapDb): BlobBackend {
  return {
    kind: "indexeddb",
    async write(id, blob) {
      await writeTransaction(db, [STORE_BLOBS], "strict", (tx) =>
        tx.objectStore(STORE_BLOBS).put(blob, id),
      );
    },
    async read(id, name) {
      const blob = await db.get(STORE_BLOBS, id);
      return blob ? new File([blob], name) : null;
    },
    async remove(id) {
      await db.delete(STORE_BLOBS, id);
    },
  };
}

export interface BasemapStoreOptions {
  /** The database name (tests use fresh ones). */
  name?: string;
  /**
   * Where the bytes go: by default the Origin Private File System, else the database.
   * Tests pass their own (e.g. one that runs out of room).
   */
  backend?: (db: BasemapDb) => Promise<BlobBackend> | BlobBackend;
}

export class BasemapFileStore {
  private constructor(
    private readonly db: BasemapDb,
    readonly backend: BlobBackend,
  ) {}

  static async open(options: BasemapStoreOptions = {}): Promise<BasemapFileStore> {
    const db = await openBasemapDb(options.name);
    const backend = options.backend
      ? await options.backend(db)
      : ((await opfsBackend()) ?? indexedDbBackend(db));
    return new BasemapFileStore(db, backend);
  }

  /** The default backend for a database, for tests that wrap it. */
  static indexedDbBackend(db: BasemapDb): BlobBackend {
    return indexedDbBackend(db);
  }

  close(): void {
    this.db.close();
  }

  async list(): Promise<BasemapFileInfo[]> {
    const files = await this.db.getAll(STORE_FILES);
    return files.sort((a, b) => a.storedAt - b.storedAt);
  }

  async get(id: string): Promise<BasemapFileInfo | undefined> {
    return this.db.get(STORE_FILES, id);
  }

  /**
   * Store a file's bytes, then what Lykta knows about it. A failure at either step (a full
   * disk: QuotaExceededError) removes what this save wrote and reports why; files stored
   * earlier stay as they were.
   */
  async save(info: Omit<BasemapFileInfo, "storage">, blob: Blob): Promise<SaveBasemapResult> {
    const stored: BasemapFileInfo = { ...info, storage: this.backend.kind };
    try {
      await this.backend.write(info.id, blob);
    } catch (error) {
      const storageError = toStorageError(error);
      return { ok: false, reason: storageError.kind, error: storageError };
    }
    try {
      await writeTransaction(this.db, [STORE_FILES], "strict", (tx) =>
        tx.objectStore(STORE_FILES).put(stored),
      );
    } catch (error) {
      await this.backend.remove(info.id).catch(() => undefined);
      const storageError = toStorageError(error);
      return { ok: false, reason: storageError.kind, error: storageError };
    }
    return { ok: true, info: stored };
  }

  /** The stored file, to read tiles from; null if it is gone (the browser cleared it). */
  async open(id: string): Promise<File | null> {
    const info = await this.db.get(STORE_FILES, id);
    if (!info) return null;
    return (await this.backendOf(info))?.read(id, info.name) ?? null;
  }

  async delete(id: string): Promise<void> {
    const info = await this.db.get(STORE_FILES, id);
    if (info) await (await this.backendOf(info))?.remove(id);
    await this.db.delete(STORE_FILES, id);
  }

  /** The backend a file was stored with (a browser may have gained OPFS writes since). */
  private async backendOf(info: BasemapFileInfo): Promise<BlobBackend | null> {
    if (info.storage === this.backend.kind) return this.backend;
    return info.storage === "indexeddb" ? indexedDbBackend(this.db) : opfsBackend();
  }
}
