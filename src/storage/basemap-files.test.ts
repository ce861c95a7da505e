import "fake-indexeddb/auto";
import { IDBObjectStore as FakeObjectStore } from "fake-indexeddb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mapFileInfo } from "../../test/fixtures/basemaps";
import { testContext } from "../../test/fixtures/context";
import { createProject } from "../domain/project";
import { BasemapFileStore, type BlobBackend } from "./basemap-files";
import { LyktaDatabase } from "./database";

let counter = 0;
const freshName = (prefix: string) => `${prefix}-${++counter}-${Math.random()}`;

const info = mapFileInfo;

const bytes = (text: string) => new Blob([text]);

/** A backend over the database whose writes fail as a full disk does, from a given write on. */
function fullDiskAfter(writes: number) {
  let count = 0;
  const removed: string[] = [];
  const make = (db: Parameters<typeof BasemapFileStore.indexedDbBackend>[0]): BlobBackend => {
    const real = BasemapFileStore.indexedDbBackend(db);
    return {
      kind: real.kind,
      async write(id, blob) {
        count += 1;
        if (count > writes) {
          throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        }
        await real.write(id, blob);
      },
      read: (id, name) => real.read(id, name),
      async remove(id) {
        removed.push(id);
        await real.remove(id);
      },
    };
  };
  return { make, removed };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("basemap file store", () => {
  it("stores, lists, opens and deletes map files", async () => {
    const store = await BasemapFileStore.open({ name: freshName("maps") });
    expect(store.backend.kind).toBe("indexeddb"); // no OPFS under Node
    const saved = await store.save(info("a", "firenze.pmtiles"), bytes("PMTiles-bytes"));
    expect(saved.ok).toBe(true);
    expect((await store.list()).map((file) => [file.id, file.name, file.storage])).toEqual([
      ["a", "firenze.pmtiles", "indexeddb"],
    ]);
    const file = await store.open("a");
    expect(file?.name).toBe("firenze.pmtiles");
    expect(await file?.text()).toBe("PMTiles-bytes");
    await store.delete("a");
    expect(await store.list()).toEqual([]);
    expect(await store.open("a")).toBeNull();
    store.close();
  });

  it("a full disk while storing the bytes stops cleanly and leaves walks and earlier maps alone", async () => {
    // A walk project in the walks' database, and one map file stored earlier.
    const walks = await LyktaDatabase.open({ name: freshName("lykta") });
    const project = createProject({ name: "Firenze 2027", organisation: "" }, testContext());
    await walks.putRecords([project]);
    const disk = fullDiskAfter(1);
    const store = await BasemapFileStore.open({ name: freshName("maps"), backend: disk.make });
    expect((await store.save(info("earlier"), bytes("earlier-bytes"))).ok).toBe(true);

    const result = await store.save(info("big"), bytes("too-big"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe("quota");

    expect((await store.list()).map((file) => file.id)).toEqual(["earlier"]);
    expect(await store.open("big")).toBeNull();
    expect(await (await store.open("earlier"))?.text()).toBe("earlier-bytes");
    expect((await walks.getRecord(project.id))?.fields).toEqual(project.fields);
    expect(await walks.countRecords()).toBe(1);
    store.close();
    walks.close();
  });

  it("a full disk while recording the file removes its bytes again", async () => {
    const disk = fullDiskAfter(10);
    const store = await BasemapFileStore.open({ name: freshName("maps"), backend: disk.make });
    expect((await store.save(info("earlier"), bytes("earlier-bytes"))).ok).toBe(true);
    const realPut = FakeObjectStore.prototype.put;
    vi.spyOn(FakeObjectStore.prototype, "put").mockImplementation(function (
      this: IDBObjectStore,
      ...args
    ) {
      if (this.name === "files") throw new DOMException("Quota exceeded", "QuotaExceededError");
      return realPut.apply(this, args as Parameters<IDBObjectStore["put"]>);
    });
    const result = await store.save(info("second"), bytes("second-bytes"));
    vi.restoreAllMocks();
    expect(result).toMatchObject({ ok: false, reason: "quota" });
    expect(disk.removed).toEqual(["second"]);
    expect((await store.list()).map((file) => file.id)).toEqual(["earlier"]);
    expect(await (await store.open("earlier"))?.text()).toBe("earlier-bytes");
    store.close();
  });
});
