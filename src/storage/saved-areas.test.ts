import "fake-indexeddb/auto";
import { openDB } from "idb";
import { describe, expect, it } from "vitest";
import { mapFileInfo, testArea } from "../../test/fixtures/basemaps";
import type { BasemapFileInfo } from "../domain/basemap-file";
import { BasemapFileStore } from "./basemap-files";
import { SavedAreaStore } from "./saved-areas";

let counter = 0;
const freshName = () => `maps-${++counter}-${Math.random()}`;

const bytes = (length: number) => ({ bytes: new Uint8Array(length).buffer, type: "image/png" });

describe("saved area store", () => {
  it("stores tiles with the area's counters, and reads them back", async () => {
    const store = await SavedAreaStore.open({ name: freshName() });
    await store.create(testArea("a"));
    const after = await store.storeTile("a", { z: 1, x: 1, y: 0 }, bytes(300));
    expect([after.storedTiles, after.storedBytes]).toEqual([1, 300]);
    const missing = await store.markMissing("a", { z: 1, x: 0, y: 0 });
    expect([missing.storedTiles, missing.missingTiles]).toEqual([1, 1]);
    expect([...(await store.doneTileKeys("a"))].sort()).toEqual(["1/0/0", "1/1/0"]);
    expect((await store.readTile("src-1", { z: 1, x: 1, y: 0 }))?.bytes.byteLength).toBe(300);
    expect(await store.readTile("src-1", { z: 1, x: 0, y: 0 })).toBeUndefined();
    // Storing the same tile again counts it once.
    const again = await store.storeTile("a", { z: 1, x: 1, y: 0 }, bytes(400));
    expect([again.storedTiles, again.storedBytes]).toEqual([1, 400]);
    store.close();
  });

  it("keeps a tile two areas share until the last of them is deleted", async () => {
    const store = await SavedAreaStore.open({ name: freshName() });
    await store.create(testArea("first"));
    await store.create(testArea("second"));
    await store.storeTile("first", { z: 1, x: 1, y: 0 }, bytes(500));
    await store.storeTile("first", { z: 2, x: 3, y: 0 }, bytes(200));
    // The second area gets the shared tile without a download.
    const linked = await store.linkStoredTile("second", { z: 1, x: 1, y: 0 });
    expect([linked?.storedTiles, linked?.storedBytes]).toEqual([1, 500]);
    expect(await store.linkStoredTile("second", { z: 5, x: 0, y: 0 })).toBeNull();
    expect(await store.sourceTotals("src-1")).toEqual({ tiles: 2, bytes: 700 });

    await store.delete("first");
    expect((await store.list()).map((area) => area.id)).toEqual(["second"]);
    expect((await store.readTile("src-1", { z: 1, x: 1, y: 0 }))?.bytes.byteLength).toBe(500);
    expect(await store.readTile("src-1", { z: 2, x: 3, y: 0 })).toBeUndefined();

    await store.delete("second");
    expect(await store.readTile("src-1", { z: 1, x: 1, y: 0 })).toBeUndefined();
    expect(await store.sourceTotals("src-1")).toEqual({ tiles: 0, bytes: 0 });
    store.close();
  });

  it("opens a version 1 database (map files only) and keeps its map files", async () => {
    // Version 1 as the first release made it, by hand: stores files and blobs.
    const name = freshName();
    const old = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore("files", { keyPath: "id" });
        database.createObjectStore("blobs");
      },
    });
    const file: BasemapFileInfo = {
      ...mapFileInfo("firenze"),
      sizeBytes: 5,
      storage: "indexeddb",
    };
    await old.put("files", file);
    await old.put("blobs", new Blob(["bytes"]), "firenze");
    old.close();

    const files = await BasemapFileStore.open({ name });
    expect(await files.list()).toEqual([file]);
    expect(await (await files.open("firenze"))?.text()).toBe("bytes");
    const areas = await SavedAreaStore.open({ name });
    expect(await areas.list()).toEqual([]);
    await areas.create(testArea("new"));
    expect((await areas.list()).map((area) => area.id)).toEqual(["new"]);
    files.close();
    areas.close();
  });
});
