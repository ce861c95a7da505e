import { describe, expect, it } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { BASE_OBSERVATION_FIELDS } from "../../test/fixtures/observation";
import { mulberry32 } from "./ids";
import { type ConflictEntry, mergeRecords } from "./merge";
import { createObservation, EMPTY_OBSERVATION_FIELDS, type ObservationRecord } from "./observation";
import { type EditContext, editRecord, restoreRecord, tombstoneRecord } from "./record";

const base = BASE_OBSERVATION_FIELDS;

describe("mergeRecords, case table", () => {
  const a = testContext("tablet-a", 11);
  const b = testContext("tablet-b", 22);
  const original = createObservation("p", "w", base, a, "obs");

  it("keeps both changes when two devices edit different fields", () => {
    const onA = editRecord(original, { severity: 5 }, a);
    const onB = editRecord(original, { note: "Buskar skymmer" }, b);
    const { record, conflicts } = mergeRecords(onA, onB);
    expect(record.fields.severity).toBe(5);
    expect(record.fields.note).toBe("Buskar skymmer");
    expect(conflicts).toEqual([]);
  });

  it("takes the newer version and logs nothing when one copy is only stale", () => {
    const stale = editRecord(original, { note: "ett" }, a);
    const onA = editRecord(stale, { note: "två" }, a);
    const { record, conflicts } = mergeRecords(stale, onA);
    expect(record.fields.note).toBe("två");
    expect(conflicts).toEqual([]);
  });

  it("decides a concurrent edit of one field by nonce and logs the loser", () => {
    const onA = editRecord(original, { note: "A skrev" }, a);
    const onB = editRecord(original, { note: "B skrev" }, b);
    const aWins = onA.clock.note.nonce < onB.clock.note.nonce;
    const { record, conflicts } = mergeRecords(onA, onB);
    expect(record.fields.note).toBe(aWins ? "A skrev" : "B skrev");
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.field).toBe("note");
    expect(conflicts[0]!.lostValue).toBe(aWins ? "B skrev" : "A skrev");
  });

  it("logs a concurrent edit that lost to a longer history", () => {
    const onA = editRecord(editRecord(original, { severity: 4 }, a), { severity: 5 }, a);
    const onB = editRecord(original, { severity: 1 }, b);
    const { record, conflicts } = mergeRecords(onB, onA);
    expect(record.fields.severity).toBe(5);
    expect(conflicts.map((c) => c.lostValue)).toEqual([1]);
  });

  it("treats the tombstone like any field: a delete beats an older copy", () => {
    const deleted = tombstoneRecord(original, EMPTY_OBSERVATION_FIELDS, a);
    const { record } = mergeRecords(original, deleted);
    expect(record.deleted).toBe(true);
    expect(record.fields).toEqual(EMPTY_OBSERVATION_FIELDS);
  });

  it("a restore after a delete wins over the delete", () => {
    const deleted = tombstoneRecord(original, EMPTY_OBSERVATION_FIELDS, a);
    const restored = restoreRecord(deleted, base, a);
    expect(mergeRecords(deleted, restored).record.deleted).toBe(false);
    expect(mergeRecords(restored, deleted).record.fields).toEqual(base);
  });

  it("is idempotent", () => {
    const onA = editRecord(original, { note: "x", severity: 2 }, a);
    expect(mergeRecords(onA, onA).record).toEqual(onA);
    expect(mergeRecords(onA, onA).conflicts).toEqual([]);
  });

  it("refuses to merge different records or shapes", () => {
    const other = createObservation("p", "w", base, a, "other");
    expect(() => mergeRecords(original, other)).toThrow(/different ids/);
    expect(() => mergeRecords(original, { ...original, shapeVersion: 1 })).toThrow(/migrate first/);
  });
});

/**
 * Seeded convergence fuzz (tldraw's recordStoreFuzzing): devices edit, delete, restore and
 * exchange copies of a few records at random. Afterwards every device merges every copy in its
 * own random order; all must end with the same records and the same conflict log.
 */
describe("mergeRecords, convergence fuzz", () => {
  type Replica = Map<string, ObservationRecord>;
  const PINNED_SEEDS: number[] = [];
  const RANDOM_SEEDS = Array.from({ length: 40 }, (_, index) => 1000 + index * 7919);

  function mergeInto(
    target: Replica,
    incoming: ObservationRecord,
    log: Map<string, ConflictEntry>,
  ) {
    const current = target.get(incoming.id);
    if (!current) {
      target.set(incoming.id, incoming);
      return;
    }
    const { record, conflicts } = mergeRecords(current, incoming);
    for (const conflict of conflicts) log.set(conflict.id, conflict);
    target.set(incoming.id, record);
  }

  function shuffle<T>(items: T[], random: () => number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }

  function run(seed: number) {
    const random = mulberry32(seed);
    const deviceCount = 2 + Math.floor(random() * 3);
    const contexts: EditContext[] = Array.from({ length: deviceCount }, (_, index) =>
      testContext(`device-${index}`, seed * 31 + index),
    );
    const replicas: Replica[] = contexts.map(() => new Map());
    const history: ObservationRecord[] = [];
    const seedRecord = createObservation("p", "w", base, contexts[0]!, "r0");
    for (const replica of replicas) replica.set("r0", seedRecord);
    history.push(seedRecord);
    const notes = ["", "mörkt", "buskar", "klotter", "trasig lampa"];
    for (let step = 0; step < 60; step++) {
      const device = Math.floor(random() * deviceCount);
      const ctx = contexts[device]!;
      const replica = replicas[device]!;
      const roll = random();
      const ids = [...replica.keys()];
      const id = ids[Math.floor(random() * ids.length)]!;
      const current = replica.get(id)!;
      let next: ObservationRecord | undefined;
      if (roll < 0.1) {
        next = createObservation("p", "w", base, ctx, `r${step}`);
      } else if (roll < 0.5 && !current.deleted) {
        next = editRecord(
          current,
          random() < 0.5
            ? { note: notes[Math.floor(random() * notes.length)]! }
            : { severity: 1 + Math.floor(random() * 5) },
          ctx,
        );
      } else if (roll < 0.6) {
        next = current.deleted
          ? restoreRecord(current, base, ctx)
          : tombstoneRecord(current, EMPTY_OBSERVATION_FIELDS, ctx);
      } else if (roll < 0.85) {
        // Exchange: another device sends one record here.
        const source = replicas[Math.floor(random() * deviceCount)]!;
        const sent = source.get(id);
        if (sent) mergeInto(replica, sent, new Map());
      }
      if (next) {
        replica.set(next.id, next);
        history.push(next);
      }
    }
    // Final round: every device receives every version ever made, in its own order.
    const finals = replicas.map((replica) => {
      const log = new Map<string, ConflictEntry>();
      const copy: Replica = new Map(replica);
      for (const version of shuffle(history, random)) mergeInto(copy, version, log);
      for (const other of shuffle(replicas, random)) {
        for (const version of other.values()) mergeInto(copy, version, log);
      }
      return { records: copy, log };
    });
    return finals;
  }

  for (const seed of [...PINNED_SEEDS, ...RANDOM_SEEDS]) {
    it(`converges for seed ${seed}`, () => {
      const finals = run(seed);
      const canonical = (replica: Replica) =>
        JSON.stringify([...replica.values()].sort((x, y) => x.id.localeCompare(y.id)));
      const first = canonical(finals[0]!.records);
      for (const final of finals) expect(canonical(final.records), `seed ${seed}`).toBe(first);
    });
  }

  it("is associative: (a+b)+c equals a+(b+c)", () => {
    const ctxs = ["x", "y", "z"].map((device, index) => testContext(device, 99 + index));
    const original = createObservation("p", "w", base, ctxs[0]!, "r");
    const [a, b, c] = [
      editRecord(original, { note: "x", severity: 2 }, ctxs[0]!),
      editRecord(original, { note: "y" }, ctxs[1]!),
      tombstoneRecord(original, EMPTY_OBSERVATION_FIELDS, ctxs[2]!),
    ] as const;
    const left = mergeRecords(mergeRecords(a, b).record, c).record;
    const right = mergeRecords(a, mergeRecords(b, c).record).record;
    expect(left).toEqual(right);
    expect(mergeRecords(c, mergeRecords(b, a).record).record).toEqual(left);
  });
});
