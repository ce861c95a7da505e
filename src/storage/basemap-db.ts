/**
 * The basemaps' own database, `lykta-basemaps`: map files (PMTiles) and saved areas of
 * online tile sources. Walk data lives in `lykta` (src/storage/database.ts); no transaction
 * ever spans both, so a full disk while storing a map can never touch a walk.
 */
import {
  type DBSchema,
  type IDBPDatabase,
  type IDBPTransaction,
  openDB,
  type StoreNames,
} from "idb";
import type { BasemapFileInfo } from "../domain/basemap-file";
import type { SavedArea } from "../domain/saved-area";
import { commitOrAbort, StorageError, toStorageError } from "./errors";

// DO NOT RENAME: existing tablets hold map files and saved areas under these names.
export const BASEMAP_DB_NAME = "lykta-basemaps";
export const BASEMAP_DB_VERSION = 2;
export const STORE_FILES = "files";
export const STORE_BLOBS = "blobs";
export const STORE_AREAS = "areas";
export const STORE_TILES = "tiles";
export const STORE_AREA_TILES = "areaTiles";
export const INDEX_BY_TILE = "by-tile";

/** A stored tile of an online source, keyed [sourceId, z, x, y]. */
export interface StoredTile {
  bytes: ArrayBuffer;
  /** The Content-Type the server sent (image/png, image/jpeg, ...). */
  type: string;
}

/** That an area has a tile (which may be shared with other areas of the same source). */
export interface AreaTile {
  areaId: string;
  sourceId: string;
  z: number;
  x: number;
  y: number;
  sizeBytes: number;
  /** The source has no tile here (HTTP 404): nothing is stored, nothing to fetch again. */
  missing: boolean;
}

export interface BasemapSchemaDb extends DBSchema {
  /** What Lykta knows about each stored map file, by id. */
  [STORE_FILES]: { key: string; value: BasemapFileInfo };
  /** The bytes of map files, where there is no Origin Private File System. */
  [STORE_BLOBS]: { key: string; value: Blob };
  /** Saved areas of online sources, by id. */
  [STORE_AREAS]: { key: string; value: SavedArea };
  /** Tiles of online sources, once each however many areas need them. */
  [STORE_TILES]: { key: [string, number, number, number]; value: StoredTile };
  /** Which area needs which tile: a tile goes when the last area that needs it goes. */
  [STORE_AREA_TILES]: {
    key: [string, number, number, number];
    value: AreaTile;
    indexes: { [INDEX_BY_TILE]: [string, number, number, number] };
  };
}

export type BasemapDb = IDBPDatabase<BasemapSchemaDb>;

/**
 * Open the database, creating or upgrading its stores (the upgrade ladder creates stores
 * and indexes only). A newer app in another tab may upgrade it: this connection then closes.
 */
export async function openBasemapDb(name = BASEMAP_DB_NAME): Promise<BasemapDb> {
  if (typeof indexedDB === "undefined") {
    throw new StorageError("unavailable", "This browser offers no IndexedDB storage");
  }
  try {
    const db: BasemapDb = await openDB<BasemapSchemaDb>(name, BASEMAP_DB_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          database.createObjectStore(STORE_FILES, { keyPath: "id" });
          database.createObjectStore(STORE_BLOBS);
        }
        if (oldVersion < 2) {
          database.createObjectStore(STORE_AREAS, { keyPath: "id" });
          database.createObjectStore(STORE_TILES);
          const areaTiles = database.createObjectStore(STORE_AREA_TILES, {
            keyPath: ["areaId", "z", "x", "y"],
          });
          areaTiles.createIndex(INDEX_BY_TILE, ["sourceId", "z", "x", "y"]);
        }
      },
      blocking() {
        db.close();
      },
    });
    return db;
  } catch (error) {
    throw toStorageError(error);
  }
}

/** Run `work` in one readwrite transaction; a failure leaves nothing of it (commitOrAbort). */
export function writeTransaction<Names extends StoreNames<BasemapSchemaDb>[], Result>(
  db: BasemapDb,
  stores: Names,
  durability: "strict" | "relaxed",
  work: (tx: IDBPTransaction<BasemapSchemaDb, Names, "readwrite">) => Promise<Result>,
): Promise<Result> {
  const tx = db.transaction(stores, "readwrite", { durability });
  return commitOrAbort(tx, () => work(tx));
}
