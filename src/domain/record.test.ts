import { describe, expect, it } from "vitest";
import { deepFreeze, testContext } from "../../test/fixtures/context";
import { createObservation, EMPTY_OBSERVATION_FIELDS, type ObservationFields } from "./observation";
import {
  ANCESTOR_WINDOW,
  clockWins,
  createRecord,
  editRecord,
  restoreRecord,
  tombstoneRecord,
} from "./record";

const fields: ObservationFields = deepFreeze({
  geometry: { type: "Point", coordinates: [16.5, 59.6] },
  categoryId: "lighting.broken",
  severity: 4,
  feltUnsafe: ["women"],
  note: "Lampan vid tunneln är trasig",
  photoIds: [],
  illuminanceLux: 0.5,
  observedAt: 1_800_000_000_000,
  positionAccuracyM: 6,
  placement: "gps",
});

describe("record creation", () => {
  it("starts every field and the tombstone at version 1, stamped by the device", () => {
    const record = createObservation("p1", "w1", fields, testContext("tablet-1"), "obs-1");
    expect(record.id).toBe("obs-1");
    expect(record.projectId).toBe("p1");
    expect(record.walkId).toBe("w1");
    expect(record.deleted).toBe(false);
    const keys = Object.keys(record.clock).sort();
    expect(keys).toEqual([...Object.keys(fields), "deleted"].sort());
    for (const entry of Object.values(record.clock)) {
      expect(entry.version).toBe(1);
      expect(entry.by).toBe("tablet-1");
      expect(entry.ancestors).toEqual([]);
    }
  });

  it("refuses a field named like the tombstone clock", () => {
    expect(() =>
      createRecord(
        { id: "x", kind: "project", projectId: "x", fields: { deleted: 1 } },
        testContext(),
      ),
    ).toThrow(/may not be named "deleted"/);
  });
});

describe("editing", () => {
  it("bumps only the fields that really change", () => {
    const ctx = testContext();
    const record = createObservation("p1", "w1", fields, ctx);
    const edited = editRecord(record, { severity: 5, note: fields.note }, ctx);
    expect(edited.fields.severity).toBe(5);
    expect(edited.clock.severity.version).toBe(2);
    expect(edited.clock.severity.ancestors).toEqual([record.clock.severity.nonce]);
    expect(edited.clock.note).toBe(record.clock.note);
    expect(edited.clock.categoryId).toBe(record.clock.categoryId);
  });

  it("returns the same object for a no-op edit, so nothing is written", () => {
    const ctx = testContext();
    const record = createObservation("p1", "w1", fields, ctx);
    const same = editRecord(
      record,
      {
        severity: 4,
        feltUnsafe: ["women"],
        geometry: { type: "Point", coordinates: [16.5, 59.6] },
      },
      ctx,
    );
    expect(same).toBe(record);
  });

  it("refuses unknown fields and edits of deleted records", () => {
    const ctx = testContext();
    const record = createObservation("p1", "w1", fields, ctx);
    expect(() => editRecord(record, { colour: "red" } as never, ctx)).toThrow(/no field "colour"/);
    const deleted = tombstoneRecord(record, EMPTY_OBSERVATION_FIELDS, ctx);
    expect(() => editRecord(deleted, { severity: 1 }, ctx)).toThrow(/is deleted/);
  });

  it("keeps a bounded window of ancestor nonces", () => {
    const ctx = testContext();
    let record = createObservation("p1", "w1", fields, ctx);
    const nonces = [record.clock.severity.nonce];
    for (let edit = 0; edit < ANCESTOR_WINDOW + 4; edit++) {
      record = editRecord(record, { severity: record.fields.severity === 1 ? 2 : 1 }, ctx);
      nonces.push(record.clock.severity.nonce);
    }
    expect(record.clock.severity.version).toBe(ANCESTOR_WINDOW + 5);
    // The newest ANCESTOR_WINDOW nonces before the current one, oldest first.
    expect(record.clock.severity.ancestors).toEqual(nonces.slice(-ANCESTOR_WINDOW - 1, -1));
  });
});

describe("tombstones", () => {
  it("keep no content and bump the deleted clock", () => {
    const ctx = testContext();
    const record = createObservation("p1", "w1", fields, ctx);
    const deleted = tombstoneRecord(record, EMPTY_OBSERVATION_FIELDS, ctx);
    expect(deleted.deleted).toBe(true);
    expect(deleted.fields).toEqual(EMPTY_OBSERVATION_FIELDS);
    expect(JSON.stringify(deleted.fields)).not.toContain("tunneln");
    expect(deleted.clock.deleted.version).toBe(2);
    expect(deleted.clock.note.version).toBe(2);
    // Ids and membership stay so the deletion can travel to other devices.
    expect(deleted.id).toBe(record.id);
    expect(deleted.walkId).toBe("w1");
  });

  it("deleting twice changes nothing", () => {
    const ctx = testContext();
    const deleted = tombstoneRecord(
      createObservation("p1", "w1", fields, ctx),
      EMPTY_OBSERVATION_FIELDS,
      ctx,
    );
    expect(tombstoneRecord(deleted, EMPTY_OBSERVATION_FIELDS, ctx)).toBe(deleted);
  });

  it("restore brings the content back as newer versions", () => {
    const ctx = testContext();
    const record = createObservation("p1", "w1", fields, ctx);
    const deleted = tombstoneRecord(record, EMPTY_OBSERVATION_FIELDS, ctx);
    const restored = restoreRecord(deleted, fields, ctx);
    expect(restored.deleted).toBe(false);
    expect(restored.fields).toEqual(fields);
    expect(restored.clock.deleted.version).toBe(3);
    expect(restored.clock.note.version).toBe(3);
  });
});

describe("clock order", () => {
  const base = { at: 0, ancestors: [] };
  it.each([
    [
      "higher version wins",
      { version: 2, nonce: 9, by: "b" },
      { version: 1, nonce: 1, by: "a" },
      true,
    ],
    [
      "lower version loses",
      { version: 1, nonce: 1, by: "a" },
      { version: 2, nonce: 9, by: "b" },
      false,
    ],
    [
      "equal version: lower nonce wins",
      { version: 3, nonce: 1, by: "z" },
      { version: 3, nonce: 2, by: "a" },
      true,
    ],
    [
      "equal version and nonce: lower device wins",
      { version: 3, nonce: 5, by: "a" },
      { version: 3, nonce: 5, by: "b" },
      true,
    ],
    [
      "equal version and nonce: higher device loses",
      { version: 3, nonce: 5, by: "b" },
      { version: 3, nonce: 5, by: "a" },
      false,
    ],
  ])("%s", (_name, a, b, expected) => {
    expect(clockWins({ ...base, ...a }, { ...base, ...b })).toBe(expected);
  });

  it("ignores wall-clock time, because tablet clocks drift", () => {
    expect(
      clockWins(
        { version: 2, nonce: 1, by: "a", at: 0, ancestors: [] },
        { version: 2, nonce: 2, by: "a", at: 9e15, ancestors: [] },
      ),
    ).toBe(true);
  });
});
