/**
 * Saved areas of online tile sources, in the basemaps' own database (`lykta-basemaps`,
 * src/storage/basemap-db.ts), never in the walks' database. Chosen over Cache Storage
 * because a tile, the record that an area needs it and the area's counters are written in
 * one transaction: after a full disk, a crash or a cancel, what the list says is what is
 * stored, and a resume knows exactly which tiles to skip.
 *
 * A tile is stored once per source however many areas need it (key [sourceId, z, x, y]);
 * `areaTiles` says which area needs which, and a tile goes with the last area needing it.
 */
import type { IDBPTransaction } from "idb";
import type { SavedArea, SavedAreaStatus } from "../domain/saved-area";
import { type TileId, tileKey } from "../domain/tiles";
import {
  type BasemapDb,
  type BasemapSchemaDb,
  INDEX_BY_TILE,
  openBasemapDb,
  STORE_AREA_TILES,
  STORE_AREAS,
  STORE_TILES,
  type StoredTile,
  writeTransaction,
} from "./basemap-db";
import { StorageError } from "./errors";

/** A transaction that can write areas and their tile records. */
type AreaWrite = IDBPTransaction<
  BasemapSchemaDb,
  (typeof STORE_AREAS | typeof STORE_TILES | typeof STORE_AREA_TILES)[],
  "readwrite"
>;

export type { StoredTile } from "./basemap-db";

/** All keys [areaId, ...] of one area: arrays sort after numbers in IndexedDB keys. */
function areaRange(areaId: string): IDBKeyRange {
  return IDBKeyRange.bound([areaId], [areaId, []]);
}

export class SavedAreaStore {
  private constructor(private readonly db: BasemapDb) {}

  static async open(options: { name?: string } = {}): Promise<SavedAreaStore> {
    return new SavedAreaStore(await openBasemapDb(options.name));
  }

  close(): void {
    this.db.close();
  }

  async list(): Promise<SavedArea[]> {
    const areas = await this.db.getAll(STORE_AREAS);
    return areas.sort((a, b) => a.createdAt - b.createdAt);
  }

  async get(id: string): Promise<SavedArea | undefined> {
    return this.db.get(STORE_AREAS, id);
  }

  /** Record a new area (no tiles yet). */
  async create(area: SavedArea): Promise<void> {
    await writeTransaction(this.db, [STORE_AREAS], "strict", (tx) =>
      tx.objectStore(STORE_AREAS).put(area),
    );
  }

  /** Change an area's status (and its failed count), keeping the counters its tiles wrote. */
  async setStatus(
    id: string,
    status: SavedAreaStatus,
    failedTiles?: number,
  ): Promise<SavedArea | undefined> {
    return writeTransaction(this.db, [STORE_AREAS], "strict", async (tx) => {
      const area = await tx.objectStore(STORE_AREAS).get(id);
      if (!area) return undefined;
      const next: SavedArea = {
        ...area,
        status,
        failedTiles: failedTiles ?? area.failedTiles,
        updatedAt: Date.now(),
      };
      await tx.objectStore(STORE_AREAS).put(next);
      return next;
    });
  }

  /** The tiles an area has done ("z/x/y"): stored, or missing at the source. */
  async doneTileKeys(areaId: string): Promise<Set<string>> {
    const keys = await this.db.getAllKeys(STORE_AREA_TILES, areaRange(areaId));
    return new Set(keys.map(([, z, x, y]) => tileKey({ z, x, y })));
  }

  /**
   * Store a downloaded tile for an area, the record that the area has it, and the area's
   * counters, in one transaction: a failure (QuotaExceededError) leaves none of the three.
   * Returns the area as it now is.
   */
  async storeTile(areaId: string, tile: TileId, stored: StoredTile): Promise<SavedArea> {
    return this.withArea(areaId, async (tx, area) => {
      const key: [string, number, number, number] = [area.source.id, tile.z, tile.x, tile.y];
      await tx.objectStore(STORE_TILES).put(stored, key);
      return this.recordAreaTile(tx, area, tile, stored.bytes.byteLength, false);
    });
  }

  /**
   * Give an area a tile another area of the same source already stored, without fetching it.
   * Returns the area as it now is, or null when the tile is not stored.
   */
  async linkStoredTile(areaId: string, tile: TileId): Promise<SavedArea | null> {
    return this.withArea(areaId, async (tx, area) => {
      const stored = await tx
        .objectStore(STORE_TILES)
        .get([area.source.id, tile.z, tile.x, tile.y]);
      if (!stored) return null;
      return this.recordAreaTile(tx, area, tile, stored.bytes.byteLength, false);
    });
  }

  /** The source has no tile here (HTTP 404): done for the area, with nothing stored. */
  async markMissing(areaId: string, tile: TileId): Promise<SavedArea> {
    return this.withArea(areaId, (tx, area) => this.recordAreaTile(tx, area, tile, 0, true));
  }

  /**
   * One tile's write for an area, in a transaction over the area, tiles and their records.
   * A tile can be fetched again: no need to wait for the disk on every one ("relaxed").
   */
  private withArea<Result>(
    areaId: string,
    work: (tx: AreaWrite, area: SavedArea) => Promise<Result>,
  ): Promise<Result> {
    return writeTransaction(
      this.db,
      [STORE_AREAS, STORE_TILES, STORE_AREA_TILES],
      "relaxed",
      async (tx) => {
        const area = await tx.objectStore(STORE_AREAS).get(areaId);
        if (!area) throw new StorageError("failed", `The saved area ${areaId} is gone`);
        return work(tx, area);
      },
    );
  }

  private async recordAreaTile(
    tx: AreaWrite,
    area: SavedArea,
    tile: TileId,
    sizeBytes: number,
    missing: boolean,
  ): Promise<SavedArea> {
    const areaTiles = tx.objectStore(STORE_AREA_TILES);
    // Twice the same tile (a retry racing a resume) counts once.
    const before = await areaTiles.get([area.id, tile.z, tile.x, tile.y]);
    await areaTiles.put({ areaId: area.id, sourceId: area.source.id, ...tile, sizeBytes, missing });
    const next: SavedArea = { ...area, updatedAt: Date.now() };
    if (before) {
      if (before.missing) next.missingTiles -= 1;
      else {
        next.storedTiles -= 1;
        next.storedBytes -= before.sizeBytes;
      }
    }
    if (missing) next.missingTiles += 1;
    else {
      next.storedTiles += 1;
      next.storedBytes += sizeBytes;
    }
    await tx.objectStore(STORE_AREAS).put(next);
    return next;
  }

  /** A stored tile of a source, for the map; undefined when none is stored. */
  async readTile(sourceId: string, tile: TileId): Promise<StoredTile | undefined> {
    return this.db.get(STORE_TILES, [sourceId, tile.z, tile.x, tile.y]);
  }

  /**
   * Delete an area: its records, and every tile no other area of the source needs. One
   * transaction: an area is there or gone, never half.
   */
  async delete(areaId: string): Promise<void> {
    await writeTransaction(
      this.db,
      [STORE_AREAS, STORE_TILES, STORE_AREA_TILES],
      "strict",
      async (tx) => {
        const areaTiles = tx.objectStore(STORE_AREA_TILES);
        const byTile = areaTiles.index(INDEX_BY_TILE);
        const tiles = tx.objectStore(STORE_TILES);
        const mine = await areaTiles.getAll(areaRange(areaId));
        await areaTiles.delete(areaRange(areaId));
        for (const entry of mine) {
          const key: [string, number, number, number] = [entry.sourceId, entry.z, entry.x, entry.y];
          if ((await byTile.count(key)) === 0) await tiles.delete(key);
        }
        await tx.objectStore(STORE_AREAS).delete(areaId);
      },
    );
  }

  /** How many tiles of a source are stored and their bytes (for size estimates). */
  async sourceTotals(sourceId: string): Promise<{ tiles: number; bytes: number }> {
    const range = IDBKeyRange.bound([sourceId], [sourceId, []]);
    let tiles = 0;
    let bytes = 0;
    let cursor = await this.db
      .transaction(STORE_AREA_TILES)
      .store.index(INDEX_BY_TILE)
      .openCursor(range, "nextunique");
    while (cursor) {
      if (!cursor.value.missing) {
        tiles += 1;
        bytes += cursor.value.sizeBytes;
      }
      cursor = await cursor.continue();
    }
    return { tiles, bytes };
  }
}
