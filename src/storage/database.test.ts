import "fake-indexeddb/auto";
import { IDBObjectStore as FakeObjectStore } from "fake-indexeddb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { EMPTY_LAYER_FIELDS } from "../domain/layers";
import { mergeRecords } from "../domain/merge";
import {
  createObservation,
  EMPTY_OBSERVATION_FIELDS,
  type ObservationFields,
} from "../domain/observation";
import { EMPTY_PHOTO_FIELDS } from "../domain/photo";
import { changeFollowUp, type FollowUpAction } from "../domain/plan/follow-up";
import { createProject } from "../domain/project";
import {
  createRecord,
  editRecord,
  restoreRecord,
  type SyncedRecord,
  tombstoneRecord,
} from "../domain/record";
import { createWalk, EMPTY_WALK_FIELDS } from "../domain/walk";
import { LyktaDatabase } from "./database";
import { StorageError } from "./errors";
import { DB_VERSION } from "./schema";

let dbCounter = 0;
const freshName = () => `lykta-test-${++dbCounter}-${Math.random()}`;

const observationFields: ObservationFields = {
  geometry: { type: "Point", coordinates: [16.54, 59.62] },
  categoryId: "lighting.broken",
  severity: 3,
  feltUnsafe: ["everyone"],
  note: "Trasig lampa vid busshållplatsen",
  photoIds: [],
  illuminanceLux: null,
  observedAt: 1_800_000_000_000,
  positionAccuracyM: 7,
  placement: "gps",
};

function rawRequest<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Build a version-1 database by hand, as Lykta 0.0 left it on a tablet: no conflict store,
 * no per-project index, and records in shape 1 (light level in `lux`, clocks without
 * ancestors).
 */
async function buildVersion1Database(name: string, records: object[], blobs: [string, Blob][]) {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    const store = db.createObjectStore("records", { keyPath: "id" });
    store.createIndex("byWalk", "walkId");
    store.createIndex("byKind", "kind");
    db.createObjectStore("photoBlobs");
    db.createObjectStore("meta");
  };
  const db = await rawRequest(open);
  const tx = db.transaction(["records", "photoBlobs", "meta"], "readwrite");
  for (const record of records) tx.objectStore("records").put(record);
  for (const [key, blob] of blobs) tx.objectStore("photoBlobs").put(blob, key);
  tx.objectStore("meta").put("device-old", "deviceId");
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

const clock1 = (nonce: number) => ({ version: 1, nonce, by: "old-tablet", at: 1_700_000_000_000 });

describe("upgrade from an older database", () => {
  it("keeps every record, photo and setting, and migrates record shapes on load", async () => {
    const name = freshName();
    const project = {
      id: "p-1",
      kind: "project",
      shapeVersion: 1,
      projectId: "p-1",
      fields: { name: "Vivalla 2027", organisation: "Örebro kommun" },
      clock: { name: clock1(1), organisation: clock1(2), deleted: clock1(3) },
      deleted: false,
    };
    const walk = {
      id: "w-1",
      kind: "walk",
      shapeVersion: 1,
      projectId: "p-1",
      walkId: "w-1",
      fields: { ...EMPTY_WALK_FIELDS, name: "Kvällsvandring", date: "2026-11-24" },
      clock: Object.fromEntries(
        [...Object.keys(EMPTY_WALK_FIELDS), "deleted"].map((key, index) => [
          key,
          clock1(10 + index),
        ]),
      ),
      deleted: false,
    };
    const observations = Array.from({ length: 25 }, (_, index) => ({
      id: `o-${index}`,
      kind: "observation",
      shapeVersion: 1,
      projectId: "p-1",
      walkId: "w-1",
      fields: { severity: (index % 5) + 1, note: `Anteckning ${index} – åäö`, lux: index / 10 },
      clock: {
        severity: clock1(100 + index),
        note: clock1(200 + index),
        lux: clock1(300 + index),
        deleted: clock1(400 + index),
      },
      deleted: false,
    }));
    const tombstone = {
      ...observations[0],
      id: "o-deleted",
      fields: { severity: 0, note: "", lux: null },
      deleted: true,
    };
    const photoBytes = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], {
      type: "image/jpeg",
    });
    const photoId = "a".repeat(64);
    await buildVersion1Database(
      name,
      [project, walk, ...observations, tombstone],
      [[photoId, photoBytes]],
    );

    const db = await LyktaDatabase.open({ name });
    expect(await db.countRecords()).toBe(28);
    const loaded = await db.listWalkContent("w-1");
    const loadedObservations = loaded.filter((record) => record.kind === "observation");
    expect(loadedObservations).toHaveLength(26);
    for (const original of observations) {
      const record = loadedObservations.find((candidate) => candidate.id === original.id)!;
      expect(record.shapeVersion).toBe(2);
      expect(record.fields).toEqual({
        severity: original.fields.severity,
        note: original.fields.note,
        illuminanceLux: original.fields.lux,
      });
      // A migration never bumps a version.
      const clock = record.clock as Record<string, { version: number; nonce: number }>;
      expect(clock.illuminanceLux).toMatchObject({ version: 1, nonce: original.clock.lux.nonce });
    }
    expect(loadedObservations.find((record) => record.id === "o-deleted")!.deleted).toBe(true);
    // New indexes of version 2 work on old data.
    expect((await db.listProjectKind("p-1", "walk")).map((record) => record.id)).toEqual(["w-1"]);
    expect((await db.listProjectKind("p-1", "project"))[0]!.fields).toEqual(project.fields);
    // Photo bytes and device meta survive.
    const blob = await db.getPhotoBlob(photoId);
    expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(
      new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
    );
    expect(await db.getMeta("deviceId")).toBe("device-old");
    expect(await db.listConflicts()).toEqual([]);
    db.close();

    // The background rewrite left migrated shapes on disk; a second open reads them plainly.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await LyktaDatabase.open({ name });
    const raw = await new Promise<SyncedRecord>((resolve, reject) => {
      const request = indexedDB.open(name, DB_VERSION);
      request.onsuccess = () => {
        const get = request.result.transaction("records").objectStore("records").get("o-3");
        get.onsuccess = () => {
          resolve(get.result);
          request.result.close();
        };
        get.onerror = () => reject(get.error);
      };
    });
    expect(raw.shapeVersion).toBe(2);
    expect(raw.fields).toHaveProperty("illuminanceLux", 0.3);
    again.close();
  });
});

describe("writes", () => {
  afterEach(() => vi.restoreAllMocks());

  it("stores and lists records by walk and project", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const ctx = testContext();
    const project = createProject({ name: "Gäddeholm", organisation: "" }, ctx);
    const walk = createWalk(
      project.id,
      { ...EMPTY_WALK_FIELDS, name: "V1", date: "2026-11-21" },
      ctx,
    );
    const observation = createObservation(project.id, walk.id, observationFields, ctx);
    await db.putRecords([project, walk, observation]);
    expect((await db.listWalkContent(walk.id)).map((record) => record.kind).sort()).toEqual([
      "observation",
      "walk",
    ]);
    expect(await db.listProjectKind(project.id, "observation")).toEqual([observation]);
    db.close();
  });

  it("stores follow-ups by project, and merges another tablet's copy of one field by field", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const a = testContext("tablet-a", 7);
    const b = testContext("tablet-b", 8);
    const project = createProject({ name: "Vivalla", organisation: "Örebro kommun" }, a);
    const action: FollowUpAction = {
      key: "clear_brush:site-4",
      defaultOwner: "park_department",
      defaultDeadlineAt: null,
    };
    const change = async (patch: Parameters<typeof changeFollowUp>[3], ctx: typeof a) => {
      const result = await changeFollowUp(undefined, project.id, action, patch, ctx);
      if (!result.ok) throw new Error(result.problem.detail);
      return result.record;
    };
    const local = await change({ status: "planned" }, a);
    await db.putRecords([project, local]);
    // Read back exactly, clocks included (packed on disk with field names the codec does not list).
    expect(await db.listProjectKind(project.id, "followUp")).toEqual([local]);
    expect(await db.getRecord(local.id)).toEqual(local);
    const remote = await change({ owner: "property_owner" }, b);
    const result = await db.applyRecords([remote]);
    expect(result).toMatchObject({ added: 0, updated: 1, conflicts: [] });
    expect((await db.getRecord(local.id))!.fields).toMatchObject({
      owner: "property_owner",
      status: "planned",
    });
    db.close();
  });

  it("merges incoming copies and logs the edit that lost", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const a = testContext("tablet-a", 5);
    const b = testContext("tablet-b", 6);
    const original = createObservation("p", "w", observationFields, a, "o1");
    await db.putRecords([original]);
    const local = editRecord(original, { note: "lokalt" }, a);
    await db.putRecords([local]);
    const remote = editRecord(editRecord(original, { severity: 5 }, b), { note: "från B" }, b);
    const result = await db.applyRecords([
      remote,
      createObservation("p", "w", observationFields, b, "o2"),
    ]);
    expect(result.added).toBe(1);
    expect(result.updated).toBe(1);
    const stored = (await db.getRecord("o1"))!;
    expect(stored.fields).toMatchObject({ severity: 5 });
    expect(result.conflicts).toHaveLength(1);
    expect(await db.listConflicts("o1")).toEqual(result.conflicts);
    const loser = result.conflicts[0]!.lostValue;
    expect([loser, (stored.fields as ObservationFields).note].sort()).toEqual(["från B", "lokalt"]);
    // Applying the same copy again changes nothing, even with its keys in another order
    // (as after a JSON round trip through a package).
    const again = await db.applyRecords([remote]);
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
    const stored2 = (await db.getRecord("o1"))!;
    const reordered = JSON.parse(
      JSON.stringify(
        stored2,
        Object.keys(stored2)
          .sort()
          .concat(Object.keys(stored2.fields).reverse(), Object.keys(stored2.clock), [
            "version",
            "nonce",
            "by",
            "at",
            "ancestors",
          ]),
      ),
    );
    expect(await db.applyRecords([reordered])).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: 1,
    });
    db.close();
  });

  it("counts records deleted by the merge apart from updated ones", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const a = testContext("tablet-a", 5);
    const b = testContext("tablet-b", 6);
    const live = createObservation("p", "w", observationFields, a, "live");
    const edited = createObservation("p", "w", observationFields, a, "edited");
    await db.putRecords([live, edited]);
    const unknownTombstone = tombstoneRecord(
      createObservation("p", "w", observationFields, b, "unknown"),
      EMPTY_OBSERVATION_FIELDS,
      b,
    );
    const deletedOnB = tombstoneRecord(live, EMPTY_OBSERVATION_FIELDS, b);
    const result = await db.applyRecords([
      deletedOnB,
      editRecord(edited, { severity: 1 }, b),
      unknownTombstone,
    ]);
    // live -> tombstone is "deleted"; an unknown record arriving deleted is "added".
    expect(result).toMatchObject({ added: 1, updated: 1, unchanged: 0, deleted: 1 });
    expect((await db.getRecord("live"))!.deleted).toBe(true);
    expect(await db.getRecord("unknown")).toEqual(unknownTombstone);
    // Deleted on another tablet too: a person sees nothing new, but the clocks are stored.
    const alsoDeleted = tombstoneRecord(live, EMPTY_OBSERVATION_FIELDS, a);
    const again = await db.applyRecords([alsoDeleted]);
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 1, deleted: 0 });
    const stored = (await db.getRecord("live"))!;
    expect(stored).toEqual(mergeRecords(deletedOnB, alsoDeleted).record);
    db.close();
  });

  it("stores a package's conflict log with its records, one entry per conflict id", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const a = testContext("tablet-a", 5);
    const b = testContext("tablet-b", 6);
    const start = createObservation("p", "w", observationFields, a, "o1");
    const { record, conflicts } = mergeRecords(
      editRecord(start, { note: "A" }, a),
      editRecord(start, { note: "B" }, b),
    );
    expect(conflicts).toHaveLength(1);
    const result = await db.applyRecords([record], { conflicts });
    expect(result).toMatchObject({ added: 1, conflicts: [] });
    expect(await db.listConflicts("o1")).toEqual(conflicts);
    // The same log again, by either route: still one entry.
    await db.applyRecords([record], { conflicts });
    expect(await db.putConflicts(conflicts)).toEqual([]);
    expect(await db.listConflicts()).toEqual(conflicts);
    // The same lost edit, known to have lost to a newer value: that entry replaces it.
    const newer = {
      ...conflicts[0]!,
      keptClock: { ...conflicts[0]!.keptClock, version: conflicts[0]!.keptClock.version + 1 },
    };
    expect(await db.putConflicts([newer])).toEqual([newer]);
    expect(await db.listConflicts()).toEqual([newer]);
    db.close();
  });

  it("reports a full disk as a quota error and stores nothing of the failed write", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const ctx = testContext();
    const saved = createObservation("p", "w", observationFields, ctx, "kept");
    await db.putRecords([saved]);
    const realPut = FakeObjectStore.prototype.put;
    let calls = 0;
    vi.spyOn(FakeObjectStore.prototype, "put").mockImplementation(function (
      this: IDBObjectStore,
      ...args
    ) {
      calls += 1;
      if (calls === 2) throw new DOMException("Quota exceeded", "QuotaExceededError");
      return realPut.apply(this, args as Parameters<IDBObjectStore["put"]>);
    });
    const edited = editRecord(saved, { note: "ändrad" }, ctx);
    const extra = createObservation("p", "w", observationFields, ctx, "new");
    const failure = await db.putRecords([edited, extra]).catch((error) => error);
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).kind).toBe("quota");
    vi.restoreAllMocks();
    // All or nothing: the earlier record is unchanged and the new one was not stored.
    expect(await db.getRecord("kept")).toEqual(saved);
    expect(await db.getRecord("new")).toBeUndefined();
    db.close();
  });

  it("stores a photo's bytes once however often it is added", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const ctx = testContext();
    const id = "b".repeat(64);
    const record = {
      ...createObservation("p", "w", observationFields, ctx, id),
      kind: "photo" as const,
    };
    await db.putPhoto(record, new Blob(["one"]));
    await db.putPhoto(record, new Blob(["two"]));
    expect(await (await db.getPhotoBlob(id))!.text()).toBe("one");
    db.close();
  });

  it("brings a deleted photo back when the same picture is added again", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const ctx = testContext();
    const id = "c".repeat(64);
    const fields = { byteLength: 3 };
    const photo = createRecord({ id, kind: "photo", projectId: "p", walkId: "w", fields }, ctx);
    await db.putPhoto(photo, new Blob(["one"]));
    const deleted = tombstoneRecord(photo, { byteLength: 0 }, ctx);
    await db.putRecords([deleted]);
    // A stale copy (the first version) must not replace the tombstone...
    await db.putPhoto(photo, new Blob(["one"]));
    expect((await db.getRecord(id))!.deleted).toBe(true);
    // ... but a restore, a newer version, does.
    const restored = restoreRecord(deleted, fields, ctx);
    await db.putPhoto(restored, new Blob(["one"]));
    const stored = (await db.getRecord(id))!;
    expect(stored.deleted).toBe(false);
    expect(stored.fields).toEqual(fields);
    db.close();
  });

  it("closes itself when a newer version in another tab needs to upgrade", async () => {
    const name = freshName();
    let notified = false;
    const db = await LyktaDatabase.open({ name, onVersionChange: () => (notified = true) });
    const newer = indexedDB.open(name, DB_VERSION + 1);
    await rawRequest(newer);
    expect(notified).toBe(true);
    newer.result.close();
    void db;
  });
});

describe("imported layers", () => {
  afterEach(() => vi.restoreAllMocks());

  it("stores a layer and its data together, or neither", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const ctx = testContext();
    const fields = {
      ...EMPTY_LAYER_FIELDS,
      name: "Lampor",
      role: "lamps" as const,
      dataId: "c".repeat(64),
      featureCount: 2,
    };
    const layer = createRecord({ id: "layer-1", kind: "layer", projectId: "p", fields }, ctx);
    const data = new Blob(['{"type":"FeatureCollection","features":[]}']);
    await db.putLayer(layer, data);
    expect((await db.getRecord("layer-1"))!.fields).toEqual(fields);
    expect(await (await db.getLayerData("c".repeat(64)))!.text()).toContain("FeatureCollection");

    // A full disk while writing the record: the data file is not left behind either.
    const realPut = FakeObjectStore.prototype.put;
    vi.spyOn(FakeObjectStore.prototype, "put").mockImplementation(function (
      this: IDBObjectStore,
      ...args
    ) {
      if (this.name === "records") throw new DOMException("Quota exceeded", "QuotaExceededError");
      return realPut.apply(this, args as Parameters<IDBObjectStore["put"]>);
    });
    const second = createRecord(
      {
        id: "layer-2",
        kind: "layer",
        projectId: "p",
        fields: { ...fields, dataId: "d".repeat(64) },
      },
      ctx,
    );
    const failure = await db.putLayer(second, data).catch((error) => error);
    expect((failure as StorageError).kind).toBe("quota");
    vi.restoreAllMocks();
    expect(await db.getRecord("layer-2")).toBeUndefined();
    expect(await db.getLayerData("d".repeat(64))).toBeUndefined();
    db.close();
  });
});

describe("sync outbox", () => {
  const photoId = "a".repeat(64);

  it("queues every local write in the same transaction, one entry per record", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const ctx = testContext("tablet-a", 3);
    const observation = createObservation("p", "w", observationFields, ctx, "o1");
    await db.putRecords([observation]);
    await db.putRecords([editRecord(observation, { note: "ändrad" }, ctx)]);
    await db.putRecordsAndMeta([createObservation("p", "w", observationFields, ctx, "o2")], {
      someMeta: 1,
    });
    await db.putRecords([createObservation("other", "w2", observationFields, ctx, "o3")]);
    const entries = await db.listOutbox("p");
    expect(entries.map((entry) => entry.key)).toEqual(["record:o1", "record:o2"]);
    expect(await db.countOutbox("p")).toEqual({ records: 2, conflicts: 0, blobs: 0 });
    expect(await db.countOutbox("other")).toEqual({ records: 1, conflicts: 0, blobs: 0 });
    db.close();
  });

  it("a failed write queues nothing", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const ctx = testContext("tablet-a", 3);
    const quota = new DOMException("full", "QuotaExceededError");
    const put = FakeObjectStore.prototype.put;
    let calls = 0;
    vi.spyOn(FakeObjectStore.prototype, "put").mockImplementation(function (this: never, ...args) {
      calls += 1;
      if (calls === 2) throw quota;
      return put.apply(this, args as never);
    });
    await expect(
      db.putRecords([createObservation("p", "w", observationFields, ctx, "o1")]),
    ).rejects.toBeInstanceOf(StorageError);
    vi.restoreAllMocks();
    expect(await db.getRecord("o1")).toBeUndefined();
    expect(await db.listOutbox("p")).toEqual([]);
    db.close();
  });

  it("settles only entries that did not change while they were being sent", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const ctx = testContext("tablet-a", 3);
    const one = createObservation("p", "w", observationFields, ctx, "o1");
    const two = createObservation("p", "w", observationFields, ctx, "o2");
    await db.putRecords([one, two]);
    const sent = await db.listOutbox("p");
    // o2 is edited while the push is on its way: its new version must still go.
    await db.putRecords([editRecord(two, { severity: 5 }, ctx)]);
    await db.settleOutbox(sent);
    expect((await db.listOutbox("p")).map((entry) => entry.key)).toEqual(["record:o2"]);
    // Settling the same entries again (a resend) changes nothing more.
    await db.settleOutbox(sent);
    expect((await db.listOutbox("p")).map((entry) => entry.key)).toEqual(["record:o2"]);
    db.close();
  });

  it("queues a photo's bytes with its record, once, and drops them when the photo is deleted", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const ctx = testContext("tablet-a", 3);
    const photo = createRecord(
      {
        id: photoId,
        kind: "photo",
        projectId: "p",
        walkId: "w",
        fields: { mimeType: "image/jpeg", widthPx: 2, heightPx: 2, byteLength: 3, takenAt: 1 },
      },
      ctx,
    );
    await db.putPhoto(photo, new Blob([new Uint8Array([1, 2, 3])]));
    await db.putPhoto(photo, new Blob([new Uint8Array([1, 2, 3])]));
    expect((await db.listOutbox("p")).map((entry) => entry.key)).toEqual([
      `record:${photoId}`,
      `blob:${photoId}`,
    ]);
    expect(await db.countOutbox("p")).toEqual({ records: 1, conflicts: 0, blobs: 1 });
    // Bytes from a package are queued for the project; bytes from the server are not.
    await db.putPhotoBlob("c".repeat(64), new Blob([new Uint8Array([4])]), "p");
    await db.putPulledBlob("d".repeat(64), "photoBlobs", new Blob([new Uint8Array([5])]));
    expect((await db.listOutbox("p")).filter((e) => e.type === "blob").map((e) => e.id)).toEqual([
      photoId,
      "c".repeat(64),
    ]);
    await db.deletePhotoBlobs([photoId], [tombstoneRecord(photo, EMPTY_PHOTO_FIELDS, ctx)]);
    expect((await db.listOutbox("p")).map((entry) => entry.key)).toEqual([
      `record:${photoId}`,
      `blob:${"c".repeat(64)}`,
    ]);
    db.close();
  });

  it("a pulled page is merged, re-queued and moves the cursor in one transaction", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const a = testContext("tablet-a", 5);
    const b = testContext("tablet-b", 6);
    const fromPackage = createObservation("p", "w", observationFields, b, "pkg");
    await db.applyRecords([fromPackage]);
    expect((await db.listOutbox("p")).map((entry) => entry.key)).toEqual(["record:pkg"]);
    await db.settleOutbox(await db.listOutbox("p"));

    const serverCopy = createObservation("p", "w", observationFields, b, "srv");
    const local = editRecord(serverCopy, { note: "här" }, a);
    await db.putRecords([local]);
    await db.settleOutbox(await db.listOutbox("p"));
    const remote = editRecord(editRecord(serverCopy, { severity: 1 }, b), { note: "där" }, b);
    const lost = {
      id: "server-conflict",
      recordId: "srv",
      kind: "observation" as const,
      projectId: "p",
      field: "note",
      lostValue: "x",
      lostClock: remote.clock.note,
      keptClock: remote.clock.note,
    };
    let seen: ReadonlyMap<string, SyncedRecord> | undefined;
    await db.applyPulledPage("p", ["srv"], "cursor:p", (copies) => {
      seen = copies;
      const merged = mergeRecords(copies.get("srv")!, remote);
      return {
        writes: [merged.record],
        requeue: ["srv"],
        conflicts: [lost],
        foundConflicts: merged.conflicts,
        cursor: 42,
      };
    });
    expect(seen?.get("srv")).toEqual(local);
    expect(await db.getMeta("cursor:p")).toBe(42);
    expect((await db.getRecord("srv"))!.fields).toMatchObject({ severity: 1 });
    const keys = (await db.listOutbox("p")).map((entry) => entry.key);
    expect(keys[0]).toBe("record:srv");
    expect(keys).toHaveLength(2);
    expect(keys[1]).toMatch(/^conflict:srv\|note\|/);
    // The server's own entry is stored, not queued back.
    expect((await db.listConflicts("srv")).map((entry) => entry.id)).toContain("server-conflict");
    expect(keys).not.toContain("conflict:server-conflict");
    db.close();
  });

  it("a pulled page that fails to write leaves records, outbox and cursor as they were", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const b = testContext("tablet-b", 6);
    await db.setMeta("cursor:p", 7);
    const foreign = createObservation("other-project", "w", observationFields, b, "x");
    await expect(
      db.applyPulledPage("p", ["x"], "cursor:p", () => ({
        writes: [createObservation("p", "w", observationFields, b, "ok"), foreign],
        requeue: ["ok"],
        conflicts: [],
        foundConflicts: [],
        cursor: 9,
      })),
    ).rejects.toBeInstanceOf(StorageError);
    expect(await db.getMeta("cursor:p")).toBe(7);
    expect(await db.getRecord("ok")).toBeUndefined();
    expect(await db.listOutbox("p")).toEqual([]);
    db.close();
  });

  it("queues a whole project when it is first connected, and forgets it on disconnect", async () => {
    const db = await LyktaDatabase.open({ name: freshName() });
    const ctx = testContext("tablet-a", 3);
    const project = createProject({ name: "Gäddeholm", organisation: "" }, ctx);
    const walk = createWalk(
      project.id,
      { ...EMPTY_WALK_FIELDS, name: "V1", date: "2026-11-21" },
      ctx,
    );
    await db.putRecords([project, walk, createObservation("other", "w", observationFields, ctx)]);
    await db.clearOutbox(project.id);
    expect(await db.listOutbox(project.id)).toEqual([]);
    expect(await db.enqueueProject(project.id)).toBe(2);
    expect((await db.listOutbox(project.id)).map((entry) => entry.id).sort()).toEqual(
      [project.id, walk.id].sort(),
    );
    await db.clearOutbox(project.id);
    expect(await db.countOutbox(project.id)).toEqual({ records: 0, conflicts: 0, blobs: 0 });
    expect(await db.countOutbox("other")).toEqual({ records: 1, conflicts: 0, blobs: 0 });
    db.close();
  });

  it("a version-3 database opens with its records and an empty outbox", async () => {
    const name = freshName();
    const ctx = testContext("tablet-a", 3);
    const observation = createObservation("p", "w", observationFields, ctx, "old");
    const old = await (async () => {
      const open = indexedDB.open(name, 3);
      open.onupgradeneeded = () => {
        const raw = open.result;
        const records = raw.createObjectStore("records", { keyPath: "id" });
        records.createIndex("byWalk", "walkId");
        records.createIndex("byKind", "kind");
        records.createIndex("byProjectKind", ["projectId", "kind"]);
        raw.createObjectStore("photoBlobs");
        raw.createObjectStore("meta");
        raw.createObjectStore("conflicts", { keyPath: "id" }).createIndex("byRecord", "recordId");
        raw.createObjectStore("layerData");
      };
      return rawRequest(open);
    })();
    const tx = old.transaction("records", "readwrite");
    tx.objectStore("records").put(observation);
    await new Promise((resolve) => {
      tx.oncomplete = resolve;
    });
    old.close();
    const db = await LyktaDatabase.open({ name });
    expect(await db.getRecord("old")).toEqual(observation);
    expect(await db.listOutbox("p")).toEqual([]);
    expect(DB_VERSION).toBe(4);
    db.close();
  });
});
