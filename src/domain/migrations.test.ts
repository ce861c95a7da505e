import { describe, expect, it } from "vitest";
import { migrateRecord } from "./migrations";
import { CURRENT_SHAPE_VERSION } from "./record";

const v1Observation = Object.freeze({
  id: "0b6f5e0e-3f43-4c39-9d38-3a8d0e8a1c11",
  kind: "observation",
  shapeVersion: 1,
  projectId: "p",
  walkId: "w",
  fields: { severity: 4, note: "Mörkt", lux: 1.5 },
  clock: {
    severity: { version: 3, nonce: 10, by: "t1", at: 1 },
    note: { version: 1, nonce: 11, by: "t1", at: 1 },
    lux: { version: 2, nonce: 12, by: "t1", at: 1 },
    deleted: { version: 1, nonce: 13, by: "t1", at: 1 },
  },
  deleted: false,
});

describe("record migrations", () => {
  it("renames lux to illuminanceLux without bumping any version", () => {
    const result = migrateRecord(v1Observation);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.migrated).toBe(true);
    expect(result.record.shapeVersion).toBe(CURRENT_SHAPE_VERSION);
    expect(result.record.fields).toEqual({ severity: 4, note: "Mörkt", illuminanceLux: 1.5 });
    const clock = result.record.clock as Record<string, { version: number; ancestors: number[] }>;
    expect(clock.illuminanceLux).toEqual({ version: 2, nonce: 12, by: "t1", at: 1, ancestors: [] });
    expect(clock.lux).toBeUndefined();
    expect(clock.severity!.version).toBe(3);
  });

  it("leaves a current record alone", () => {
    const current = migrateRecord(v1Observation);
    if (!current.ok) throw new Error("setup");
    const again = migrateRecord(current.record);
    expect(again).toEqual({ ok: true, record: current.record, migrated: false });
  });

  it("refuses a record from a newer app with a message that says so", () => {
    const result = migrateRecord({ ...v1Observation, shapeVersion: CURRENT_SHAPE_VERSION + 1 });
    expect(result).toEqual({
      ok: false,
      reason: "newer_shape",
      detail: `record ${v1Observation.id} has shape ${CURRENT_SHAPE_VERSION + 1}; this app reads up to ${CURRENT_SHAPE_VERSION}`,
    });
  });

  it.each([
    [null, "record is not an object"],
    [{ kind: "observation" }, "record has no id or kind"],
    [{ id: "x", kind: "walk", shapeVersion: 0 }, "record x: bad shapeVersion"],
  ])("refuses malformed input %j", (input, detail) => {
    expect(migrateRecord(input)).toEqual({ ok: false, reason: "malformed", detail });
  });
});
