/**
 * The app's IndexedDB SyncStore driven by the real sync engine (src/domain/sync/engine.ts)
 * between two tablets, through a server held in memory that follows docs/sync.md: merge on
 * push, a change sequence, pages after a cursor, resumable blobs. The server over HTTP and
 * PostgreSQL is tested in src/server; here the subject is what the tablet stores.
 */
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { observationFields } from "../../test/fixtures/observation";
import { addConflicts } from "../domain/conflicts";
import { sha256Hex } from "../domain/hash";
import type { ConflictEntry } from "../domain/merge";
import { mergeIncomingRecord } from "../domain/merge-set";
import { createObservation } from "../domain/observation";
import { createPhotoRecord } from "../domain/photo";
import { editRecord, type SyncedRecord } from "../domain/record";
import { type SyncTransport, syncOnce } from "../domain/sync/engine";
import { LyktaDatabase } from "./database";
import { cursorMetaKey, IndexedDbSyncStore } from "./sync-store";

let counter = 0;
const freshName = () => `lykta-sync-${++counter}-${Math.random()}`;

/** A sync server in memory: merge on push, one change number per stored change. */
class MemoryServer {
  seq = 0;
  readonly records = new Map<string, { record: SyncedRecord; seq: number }>();
  readonly conflicts = new Map<string, { entry: ConflictEntry; seq: number }>();
  readonly blobs = new Map<string, Uint8Array>();
  readonly partial = new Map<string, Uint8Array>();
  pushes = 0;

  transport(options: { dropPushResponses?: number } = {}): SyncTransport {
    let drops = options.dropPushResponses ?? 0;
    return {
      push: async (request) => {
        this.pushes += 1;
        for (const record of request.records) {
          const held = this.records.get(record.id)?.record;
          const step = mergeIncomingRecord(held, structuredClone(record));
          if (step.recordChanged)
            this.records.set(record.id, { record: step.record, seq: ++this.seq });
          for (const entry of step.conflicts)
            this.conflicts.set(entry.id, { entry, seq: ++this.seq });
        }
        for (const entry of request.conflicts) {
          if (!this.conflicts.has(entry.id))
            this.conflicts.set(entry.id, { entry, seq: ++this.seq });
        }
        // The server did the work, but the answer never arrives: the client must resend.
        if (drops > 0) {
          drops -= 1;
          throw new Error("connection dropped");
        }
        return { seq: this.seq, results: [] };
      },
      pull: async (after, limit) => {
        const changes = [
          ...[...this.records.values()].map((held) => ({ ...held, type: "record" as const })),
          ...[...this.conflicts.values()].map((held) => ({ ...held, type: "conflict" as const })),
        ]
          .filter((change) => change.seq > after)
          .sort((a, b) => a.seq - b.seq);
        const page = changes.slice(0, limit);
        return {
          records: page.flatMap((c) => (c.type === "record" ? [structuredClone(c.record)] : [])),
          conflicts: page.flatMap((c) => (c.type === "conflict" ? [c.entry] : [])),
          lastSeq: page.at(-1)?.seq ?? after,
          more: changes.length > limit,
        };
      },
      blobStatus: async (sha256) => {
        const whole = this.blobs.get(sha256);
        if (whole) return { offset: whole.byteLength, complete: true };
        const part = this.partial.get(sha256);
        return part ? { offset: part.byteLength, complete: false } : null;
      },
      uploadBlob: async (sha256, offset, totalBytes, bytes) => {
        const before = this.partial.get(sha256) ?? new Uint8Array(0);
        if (offset !== before.byteLength) throw new Error("offset mismatch");
        const next = new Uint8Array(before.byteLength + bytes.byteLength);
        next.set(before);
        next.set(bytes, before.byteLength);
        if (next.byteLength === totalBytes) {
          this.partial.delete(sha256);
          this.blobs.set(sha256, next);
        } else this.partial.set(sha256, next);
        return next.byteLength;
      },
      downloadBlob: async (sha256) => this.blobs.get(sha256)!,
    };
  }
}

async function tablet(device: string, seed: number) {
  const db = await LyktaDatabase.open({ name: freshName() });
  return { db, ctx: testContext(device, seed), store: new IndexedDbSyncStore(db, "p") };
}

describe("IndexedDbSyncStore with the sync engine", () => {
  it("two tablets converge: records, a photo and its bytes, and a conflict both can restore", async () => {
    const server = new MemoryServer();
    const a = await tablet("tablet-a", 11);
    const b = await tablet("tablet-b", 12);
    const bytes = new Uint8Array(150_000).map((_, i) => (i * 7) % 251);
    const photoId = await sha256Hex(bytes);
    const photo = createPhotoRecord(
      photoId,
      "p",
      "w",
      {
        mimeType: "image/jpeg",
        widthPx: 10,
        heightPx: 10,
        byteLength: bytes.byteLength,
        takenAt: 1,
      },
      a.ctx,
    );
    const lamp = createObservation(
      "p",
      "w",
      observationFields({ photoIds: [photoId] }),
      a.ctx,
      "lamp",
    );
    await a.db.putPhoto(photo, new Blob([bytes]));
    await a.db.putRecords([lamp]);

    const first = await syncOnce(server.transport(), a.store, {
      deviceId: "tablet-a",
      blobChunkBytes: 64 * 1024,
    });
    expect(first).toMatchObject({ pushed: 2, blobsUploaded: 1 });
    // Compared by hash: vitest's element-by-element toEqual on 150,000 bytes takes seconds.
    expect(await sha256Hex(server.blobs.get(photoId)!)).toBe(photoId);
    expect(await a.db.countOutbox("p")).toEqual({ records: 0, conflicts: 0, blobs: 0 });

    const second = await syncOnce(server.transport(), b.store, { deviceId: "tablet-b" });
    expect(second).toMatchObject({ pulled: 2, blobsDownloaded: 1, pushed: 0 });
    expect(await b.db.getRecord("lamp")).toEqual(lamp);
    const pulledBytes = await b.db.getPhotoBlob(photoId);
    expect(await sha256Hex(new Uint8Array(await pulledBytes!.arrayBuffer()))).toBe(photoId);
    // What came from the server is not queued back.
    expect(await b.db.countOutbox("p")).toEqual({ records: 0, conflicts: 0, blobs: 0 });
    expect(await b.db.getMeta(cursorMetaKey("p"))).toBe(server.seq);

    // Both edit the note offline; A's edit reaches the server first.
    await a.db.putRecords([editRecord(lamp, { note: "från A" }, a.ctx)]);
    await b.db.putRecords([editRecord(lamp, { note: "från B", severity: 5 }, b.ctx)]);
    await syncOnce(server.transport(), a.store, { deviceId: "tablet-a" });
    await syncOnce(server.transport(), b.store, { deviceId: "tablet-b" });
    await syncOnce(server.transport(), a.store, { deviceId: "tablet-a" });

    const onA = await a.db.getRecord("lamp");
    const onB = await b.db.getRecord("lamp");
    expect(onA).toEqual(onB);
    expect(onA).toEqual(server.records.get("lamp")!.record);
    expect(onA!.fields).toMatchObject({ severity: 5 });
    const notes = ["från A", "från B"];
    const kept = (onA!.fields as { note: string }).note;
    expect(notes).toContain(kept);
    // The note that lost is in both tablets' conflict logs.
    const lost = notes.find((note) => note !== kept);
    for (const device of [a, b]) {
      const log = await device.db.listConflicts("lamp");
      expect(log.map((entry) => entry.lostValue)).toContain(lost);
    }
    expect(await a.db.countOutbox("p")).toEqual({ records: 0, conflicts: 0, blobs: 0 });
    a.db.close();
    b.db.close();
  });

  it("a push whose answer is lost is sent again and changes nothing on the server", async () => {
    const server = new MemoryServer();
    const a = await tablet("tablet-a", 21);
    const records = Array.from({ length: 5 }, (_, i) =>
      createObservation("p", "w", observationFields(), a.ctx, `o${i}`),
    );
    await a.db.putRecords(records);
    await expect(
      syncOnce(server.transport({ dropPushResponses: 1 }), a.store, { deviceId: "tablet-a" }),
    ).rejects.toThrow("connection dropped");
    // The server stored the batch, the tablet does not know it: everything is still queued.
    expect(server.records.size).toBe(5);
    expect((await a.db.countOutbox("p")).records).toBe(5);
    const seqBefore = server.seq;
    await syncOnce(server.transport(), a.store, { deviceId: "tablet-a" });
    expect(server.seq).toBe(seqBefore);
    expect(server.records.size).toBe(5);
    expect((await a.db.countOutbox("p")).records).toBe(0);
    a.db.close();
  });

  it("an edit made while a push is on its way is pushed by the next sync", async () => {
    const server = new MemoryServer();
    const a = await tablet("tablet-a", 31);
    const record = createObservation("p", "w", observationFields(), a.ctx, "o");
    await a.db.putRecords([record]);
    const transport = server.transport();
    const slowPush = transport.push;
    let edited: SyncedRecord | undefined;
    transport.push = async (request) => {
      const answer = await slowPush(request);
      if (!edited) {
        edited = editRecord(record, { severity: 1 }, a.ctx);
        await a.db.putRecords([edited]);
      }
      return answer;
    };
    await syncOnce(transport, a.store, { deviceId: "tablet-a" });
    // The first push's answer did not settle the newer version: it went in a second push.
    expect(server.pushes).toBe(2);
    expect(server.records.get("o")!.record).toEqual(edited);
    expect((await a.db.countOutbox("p")).records).toBe(0);
    a.db.close();
  });

  it("conflicts found by loading a package here reach the server once", async () => {
    const server = new MemoryServer();
    const a = await tablet("tablet-a", 41);
    const other = testContext("tablet-c", 42);
    const base = createObservation("p", "w", observationFields(), a.ctx, "o");
    await a.db.putRecords([editRecord(base, { note: "här" }, a.ctx)]);
    const result = await a.db.applyRecords([editRecord(base, { note: "i paketet" }, other)]);
    expect(result.conflicts).toHaveLength(1);
    await syncOnce(server.transport(), a.store, { deviceId: "tablet-a" });
    const onServer = new Map<string, ConflictEntry>();
    addConflicts(
      onServer,
      [...server.conflicts.values()].map((held) => held.entry),
    );
    expect([...onServer.keys()]).toContain(result.conflicts[0]!.id);
    expect((await a.db.countOutbox("p")).conflicts).toBe(0);
    a.db.close();
  });
});
