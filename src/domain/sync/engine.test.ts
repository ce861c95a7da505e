import { describe, expect, it } from "vitest";
import { testContext } from "../../../test/fixtures/context";
import { valuesEqual } from "../equal";
import { mergeIncomingRecord } from "../merge-set";
import { createObservation, type ObservationFields } from "../observation";
import { createFollowUp } from "../plan/follow-up";
import { editRecord, type SyncedRecord } from "../record";
import { SyncHttpError, type SyncTransport, syncOnce } from "./engine";
import { MemorySyncStore } from "./memory-store";
import {
  formatJoinCode,
  joinLink,
  normaliseJoinCode,
  type Principal,
  parseJoinLink,
  writeRefusal,
} from "./protocol";

const PROJECT = "project-1";
const FIELDS: ObservationFields = {
  geometry: { type: "Point", coordinates: [15.2, 59.27] },
  categoryId: "lighting.broken",
  severity: 3,
  feltUnsafe: ["everyone"],
  note: "Trasig lampa",
  photoIds: [],
  illuminanceLux: null,
  observedAt: 1_800_000_000_000,
  positionAccuracyM: 5,
  placement: "gps",
};

/** A server in memory: the protocol's behaviour, written out plainly for these tests. */
function fakeServer() {
  const records = new Map<string, { record: SyncedRecord; seq: number }>();
  const blobs = new Map<string, Uint8Array>();
  let seq = 0;
  const transport: SyncTransport & { hooks: { beforePush?: () => void } } = {
    hooks: {},
    async push(request) {
      transport.hooks.beforePush?.();
      for (const incoming of request.records) {
        const step = mergeIncomingRecord(records.get(incoming.id)?.record, incoming);
        if (step.recordChanged) records.set(incoming.id, { record: step.record, seq: ++seq });
      }
      return { seq, results: [] };
    },
    async pull(after, limit) {
      const changed = [...records.values()]
        .filter((entry) => entry.seq > after)
        .sort((a, b) => a.seq - b.seq);
      const page = changed.slice(0, limit);
      return {
        records: page.map((entry) => structuredClone(entry.record)),
        conflicts: [],
        lastSeq: page.at(-1)?.seq ?? after,
        more: changed.length > limit,
      };
    },
    async blobStatus(sha256) {
      const held = blobs.get(sha256);
      return held ? { offset: held.byteLength, complete: held.byteLength === 10 } : null;
    },
    async uploadBlob(sha256, offset, _total, bytes) {
      const held = blobs.get(sha256) ?? new Uint8Array(0);
      if (offset !== held.byteLength) throw new SyncHttpError(409, "offset_mismatch", "offset");
      const next = new Uint8Array(held.byteLength + bytes.byteLength);
      next.set(held);
      next.set(bytes, held.byteLength);
      blobs.set(sha256, next);
      return next.byteLength;
    },
    async downloadBlob(sha256) {
      return blobs.get(sha256)!;
    },
  };
  return { transport, records, blobs };
}

describe("syncOnce", () => {
  it("keeps a record edited while its push was in flight in the outbox, and pushes it next", async () => {
    const server = fakeServer();
    const store = new MemorySyncStore();
    const ctx = testContext("tablet-1", 1);
    const first = createObservation(PROJECT, "walk-1", FIELDS, ctx, "obs-1");
    store.commit(first);
    const edited = editRecord(first, { note: "Typed during the push" }, ctx);
    server.transport.hooks.beforePush = () => {
      store.commit(edited);
      server.transport.hooks.beforePush = undefined;
    };
    await syncOnce(server.transport, store, { deviceId: "tablet-1" });
    // The first push carried the old copy; markPushed kept the id, so the next batch sent the edit.
    expect(valuesEqual(server.records.get("obs-1")?.record, edited)).toBe(true);
    expect(store.outbox.size).toBe(0);
  });

  it("re-queues a pulled record that merges into something the server lacks", async () => {
    const server = fakeServer();
    const a = new MemorySyncStore();
    const b = new MemorySyncStore();
    const ctxA = testContext("tablet-a", 2);
    const ctxB = testContext("tablet-b", 3);
    const record = createObservation(PROJECT, "walk-1", FIELDS, ctxA, "obs-2");
    a.commit(record);
    await syncOnce(server.transport, a, { deviceId: "tablet-a" });
    await syncOnce(server.transport, b, { deviceId: "tablet-b" });
    a.commit(editRecord(a.records.get("obs-2")!, { severity: 5 }, ctxA));
    // B edits another field and loses its outbox entry (as if the push had been acknowledged).
    b.records.set("obs-2", editRecord(b.records.get("obs-2")!, { note: "B" }, ctxB));
    await syncOnce(server.transport, a, { deviceId: "tablet-a" });
    const summary = await syncOnce(server.transport, b, { deviceId: "tablet-b" });
    expect(summary.requeued).toBe(1);
    expect(server.records.get("obs-2")?.record.fields).toMatchObject({ severity: 5, note: "B" });
  });

  it("resumes an interrupted blob upload at the server's offset", async () => {
    const server = fakeServer();
    const store = new MemorySyncStore();
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    store.addBlob("b".repeat(64), bytes);
    const upload = server.transport.uploadBlob;
    let calls = 0;
    server.transport.uploadBlob = async (...args) => {
      calls += 1;
      if (calls === 2) throw new SyncHttpError(0, "network", "dropped");
      return upload(...args);
    };
    await expect(
      syncOnce(server.transport, store, { deviceId: "t", blobChunkBytes: 4 }),
    ).rejects.toThrow("dropped");
    expect(server.blobs.get("b".repeat(64))?.byteLength).toBe(4);
    await syncOnce(server.transport, store, { deviceId: "t", blobChunkBytes: 4 });
    expect(server.blobs.get("b".repeat(64))).toEqual(bytes);
    expect(store.blobOutbox.size).toBe(0);
  });

  it("withholds what the role may not push and pushes the rest", async () => {
    const server = fakeServer();
    const store = new MemorySyncStore();
    const ctx = testContext("tablet-1", 4);
    store.commit(createObservation(PROJECT, "walk-1", FIELDS, ctx, "obs-ok"));
    store.commit(createObservation(PROJECT, "walk-other", FIELDS, ctx, "obs-not"));
    const summary = await syncOnce(server.transport, store, {
      deviceId: "tablet-1",
      mayPush: (record) => record.walkId === "walk-1",
    });
    expect(summary).toMatchObject({ pushed: 1, withheld: 1 });
    expect([...server.records.keys()]).toEqual(["obs-ok"]);
  });
});

describe("writeRefusal", () => {
  const team: Principal = {
    role: "team",
    projectId: PROJECT,
    ownedWalkIds: new Set(["walk-1"]),
    organisation: null,
  };
  const police: Principal = {
    ...team,
    role: "partner",
    ownedWalkIds: new Set(),
    organisation: "police",
  };
  const ctx = testContext("t", 5);

  it("lets a team write its own walk's content only", async () => {
    const own = createObservation(PROJECT, "walk-1", FIELDS, ctx);
    const other = createObservation(PROJECT, "walk-2", FIELDS, ctx);
    expect(writeRefusal(team, own, undefined)).toBeNull();
    expect(writeRefusal(team, other, undefined)?.where).toBe("walkId");
    expect(writeRefusal(team, other, undefined, true)).toBeNull();
    expect(writeRefusal(team, { ...own, projectId: "other" }, undefined)?.where).toBe("projectId");
    const followUp = await createFollowUp(PROJECT, {
      key: "k",
      defaultOwner: "police",
      defaultDeadlineAt: null,
    });
    expect(writeRefusal(team, followUp, undefined)?.where).toBe("kind");
    // A copy that changes nothing on the server is harmless to resend, whoever sends it.
    expect(writeRefusal(team, other, other)).toBeNull();
  });

  it("lets a partner change its organisation's follow-up status fields only", async () => {
    const ours = await createFollowUp(PROJECT, {
      key: "a",
      defaultOwner: "police",
      defaultDeadlineAt: null,
    });
    const theirs = await createFollowUp(PROJECT, {
      key: "b",
      defaultOwner: "park_department",
      defaultDeadlineAt: null,
    });
    expect(writeRefusal(police, editRecord(ours, { status: "done" }, ctx), ours)).toBeNull();
    expect(writeRefusal(police, editRecord(ours, { actionKey: "x" }, ctx), ours)?.where).toBe(
      "fields.actionKey",
    );
    expect(writeRefusal(police, editRecord(theirs, { status: "done" }, ctx), theirs)?.where).toBe(
      "fields.owner",
    );
    expect(writeRefusal(police, ours, undefined)?.where).toBe("record");
  });
});

describe("join codes", () => {
  it("normalise what people type and read scanned links back", () => {
    expect(normaliseJoinCode("k7qm 4xtp")).toBe("K7QM4XTP");
    expect(normaliseJoinCode("K7QM-4XT0")).toBeNull(); // 0 is not in the alphabet
    expect(normaliseJoinCode("K7QM4XT")).toBeNull();
    expect(formatJoinCode("K7QM4XTP")).toBe("K7QM-4XTP");
    const link = joinLink("https://lykta.orebro.se", "K7QM4XTP");
    expect(link).toBe("lykta-join:https://lykta.orebro.se#K7QM-4XTP");
    expect(parseJoinLink(link)).toEqual({ serverUrl: "https://lykta.orebro.se", code: "K7QM4XTP" });
    expect(parseJoinLink("https://example.org")).toBeNull();
  });
});

describe("a push the server finds too large (413)", () => {
  it("is split until it goes; a record too large alone stays in the outbox, the rest is pushed", async () => {
    const server = fakeServer();
    const store = new MemorySyncStore();
    const ctx = testContext("tablet-1", 4);
    for (let i = 0; i < 7; i++) {
      store.commit(createObservation(PROJECT, "walk-1", FIELDS, ctx, `obs-${i}`));
    }
    const big = createObservation(
      PROJECT,
      "walk-1",
      { ...FIELDS, note: "x".repeat(5000) },
      ctx,
      "obs-big",
    );
    store.commit(big);
    // The server takes at most 3 records a push, and never one with a note over 4,000 chars.
    const push = server.transport.push;
    let refusals = 0;
    server.transport.push = async (request) => {
      const tooBig =
        request.records.length > 3 ||
        request.records.some((record) => (record.fields as ObservationFields).note.length > 4000);
      if (tooBig) {
        refusals += 1;
        throw new SyncHttpError(413, "too_large", "body over the limit");
      }
      return push(request);
    };
    const summary = await syncOnce(server.transport, store, { deviceId: "tablet-1" });
    expect(refusals).toBeGreaterThan(0);
    expect(summary.tooLarge).toEqual(["obs-big"]);
    expect(summary.pushed).toBe(7);
    expect([...server.records.keys()].sort()).toEqual(
      Array.from({ length: 7 }, (_, i) => `obs-${i}`).sort(),
    );
    // Still waiting here, not lost: the next sync tries it again.
    expect([...store.outbox]).toEqual(["obs-big"]);
  });

  it("other failures still stop the sync, with everything still queued", async () => {
    const server = fakeServer();
    const store = new MemorySyncStore();
    store.commit(createObservation(PROJECT, "walk-1", FIELDS, testContext("t", 1), "obs-1"));
    server.transport.push = async () => {
      throw new SyncHttpError(503, "unavailable", "database down", 1000);
    };
    await expect(syncOnce(server.transport, store, { deviceId: "t" })).rejects.toMatchObject({
      status: 503,
    });
    expect([...store.outbox]).toEqual(["obs-1"]);
  });
});
