import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deepFreeze, testContext } from "../../../test/fixtures/context";
import { EMPTY_FIELDS } from "../kinds";
import { mergeRecords } from "../merge";
import { mergeRecordSets } from "../merge-set";
import { editRecord, tombstoneRecord } from "../record";
import {
  changeFollowUp,
  createFollowUp,
  defaultDeadlineAt,
  defaultOwner,
  EMPTY_FOLLOW_UP_FIELDS,
  editFollowUp,
  effectiveFollowUp,
  FOLLOW_UP_REASONS,
  type FollowUpAction,
  type FollowUpRecord,
  followUpId,
  followUpProblem,
  followUpSince,
  followUpsByActionKey,
} from "./follow-up";

const PROJECT = "project-vivalla";
const HOUR_MS = 3_600_000;
/** Observation time of the graffiti report (2027-01-15 19:00 UTC). */
const OBSERVED_AT = Date.UTC(2027, 0, 15, 19, 0, 0);

const graffiti: FollowUpAction = deepFreeze({
  key: "remove_graffiti:site-3f2a",
  defaultOwner: "street_department",
  // The programme's rule written out here, not taken from the code under test.
  defaultDeadlineAt: OBSERVED_AT + 24 * HOUR_MS,
});

const lamp: FollowUpAction = deepFreeze({
  key: "repair_lamp:lamp/123",
  defaultOwner: "street_department",
  defaultDeadlineAt: null,
});

async function edited(
  existing: FollowUpRecord | undefined,
  action: FollowUpAction,
  patch: Parameters<typeof changeFollowUp>[3],
  ctx = testContext("tablet-a", 1),
): Promise<FollowUpRecord> {
  const result = await changeFollowUp(existing, PROJECT, action, patch, ctx);
  if (!result.ok) throw new Error(`refused: ${result.problem.detail}`);
  return result.record;
}

describe("follow-up record id", () => {
  it("is derived from project and action key: equal on two devices, different otherwise", async () => {
    const onA = await createFollowUp(PROJECT, graffiti);
    const onB = await createFollowUp(PROJECT, graffiti);
    const expected = `followup-${createHash("sha256").update(`${PROJECT}\n${graffiti.key}`, "utf8").digest("hex")}`;
    expect(onA.id).toBe(expected);
    expect(onB.id).toBe(expected);
    expect(await followUpId(PROJECT, graffiti.key)).toBe(expected);
    expect(await followUpId("project-other", graffiti.key)).not.toBe(expected);
    expect(await followUpId(PROJECT, lamp.key)).not.toBe(expected);
    // "a\nb" + "c" would meet "a" + "b\nc": project ids (UUIDs) have no line break.
    await expect(followUpId("a\nb", "c")).rejects.toThrow("projectId contains a line break");
    expect(onA).toMatchObject({ kind: "followUp", projectId: PROJECT, deleted: false });
    expect(onA.walkId).toBeUndefined();
  });

  it("starts from the action's defaults, the same record on every device", async () => {
    const onA = await createFollowUp(PROJECT, graffiti);
    const onB = await createFollowUp(PROJECT, graffiti);
    expect(onA.fields).toEqual({
      actionKey: graffiti.key,
      owner: "street_department",
      status: "proposed",
      deadlineAt: graffiti.defaultDeadlineAt,
      rejectedReason: "",
      note: "",
      statusChangedAt: null,
    });
    expect(onB).toEqual(onA);
    // One shared version 1 that no tablet made.
    for (const clock of Object.values(onA.clock)) {
      expect(clock).toMatchObject({ version: 1, by: "lykta:derived", at: 0, ancestors: [] });
    }
  });
});

describe("concurrent follow-up edits on two tablets", () => {
  it("owner set on one tablet and status on another both survive the merge, in either order", async () => {
    const ctxA = testContext("tablet-a", 11, OBSERVED_AT);
    const ctxB = testContext("tablet-b", 12, OBSERVED_AT + 5 * HOUR_MS);
    // Both tablets are offline and neither has the record yet.
    const onA = await edited(undefined, graffiti, { owner: "property_owner" }, ctxA);
    const onB = await edited(undefined, graffiti, { status: "in_progress" }, ctxB);
    expect(onA.id).toBe(onB.id);

    for (const [first, second] of [
      [onA, onB],
      [onB, onA],
    ] as const) {
      const { record, conflicts } = mergeRecords(first, second);
      expect(record.fields.owner).toBe("property_owner");
      expect(record.fields.status).toBe("in_progress");
      expect(record.fields.statusChangedAt).toBe(onB.fields.statusChangedAt);
      expect(record.fields.deadlineAt).toBe(graffiti.defaultDeadlineAt);
      expect(conflicts).toEqual([]);
    }

    const sets = mergeRecordSets([onA], [onB]);
    if (!sets.ok) throw new Error(sets.problem.detail);
    expect(sets.records).toHaveLength(1);
    expect(sets.records[0]!.fields).toMatchObject({
      owner: "property_owner",
      status: "in_progress",
    });
    expect(sets.summary.conflicts).toEqual([]);
  });

  it("the same field changed on both tablets keeps one value and logs the other", async () => {
    const ctxA = testContext("tablet-a", 21);
    const ctxB = testContext("tablet-b", 22);
    const onA = await edited(undefined, lamp, { owner: "trafikverket" }, ctxA);
    const onB = await edited(undefined, lamp, { owner: "property_owner" }, ctxB);
    const { record, conflicts } = mergeRecords(onA, onB);
    const values = [onA.fields.owner, onB.fields.owner];
    expect(values).toContain(record.fields.owner);
    expect(conflicts.map((entry) => [entry.field, entry.lostValue])).toEqual([
      ["owner", values.find((value) => value !== record.fields.owner)],
    ]);
  });
});

describe("editing a follow-up", () => {
  it("stamps statusChangedAt when the status really changes, and only then", async () => {
    const changedAt = Date.UTC(2027, 1, 3, 9, 30);
    const ctx = { ...testContext("tablet-a", 3), now: () => changedAt };
    const start = await createFollowUp(PROJECT, lamp);
    const planned = editFollowUp(start, { status: "planned" }, ctx);
    if (!planned.ok) throw new Error(planned.problem.detail);
    expect(planned.record.fields.statusChangedAt).toBe(changedAt);
    expect(planned.record.clock.status.version).toBe(2);
    const again = editFollowUp(planned.record, { status: "planned" }, ctx);
    expect(again).toEqual({ ok: true, record: planned.record });
    if (again.ok) expect(again.record).toBe(planned.record);
    const noted = editFollowUp(planned.record, { note: "  Beställt  " }, ctx);
    if (!noted.ok) throw new Error(noted.problem.detail);
    expect(noted.record.fields.note).toBe("Beställt");
    expect(noted.record.clock.statusChangedAt).toEqual(planned.record.clock.statusChangedAt);
  });

  it("refuses rejected without a reason, and takes it with one", async () => {
    const ctx = testContext("tablet-a", 4);
    const start = await createFollowUp(PROJECT, lamp);
    for (const rejectedReason of [undefined, "", "   "]) {
      const result = editFollowUp(start, { status: "rejected", rejectedReason }, ctx);
      expect(result).toEqual({
        ok: false,
        problem: {
          field: "rejectedReason",
          reason: FOLLOW_UP_REASONS.reasonRequired,
          detail: "a rejected action needs a reason",
        },
      });
    }
    const first = await changeFollowUp(undefined, PROJECT, lamp, { status: "rejected" }, ctx);
    expect(first.ok).toBe(false);
    const rejected = editFollowUp(
      start,
      { status: "rejected", rejectedReason: "Lampan byts i projektet 2028" },
      ctx,
    );
    expect(rejected.ok && rejected.record.fields).toMatchObject({
      status: "rejected",
      rejectedReason: "Lampan byts i projektet 2028",
    });
  });

  it.each([
    [null, "fields", FOLLOW_UP_REASONS.notAnObject],
    [{ ...EMPTY_FOLLOW_UP_FIELDS }, "actionKey", FOLLOW_UP_REASONS.required],
    [{ owner: "kommunen" }, "owner", FOLLOW_UP_REASONS.unknownOwner],
    [{ owner: "" }, "owner", FOLLOW_UP_REASONS.unknownOwner],
    [{ status: "finished" }, "status", FOLLOW_UP_REASONS.unknownStatus],
    [{ deadlineAt: Number.NaN }, "deadlineAt", FOLLOW_UP_REASONS.invalidDate],
    [{ deadlineAt: "2027-01-16" }, "deadlineAt", FOLLOW_UP_REASONS.invalidDate],
    [
      { statusChangedAt: Number.POSITIVE_INFINITY },
      "statusChangedAt",
      FOLLOW_UP_REASONS.invalidDate,
    ],
    [{ note: "x".repeat(4001) }, "note", FOLLOW_UP_REASONS.tooLong],
    [{ rejectedReason: 7 }, "rejectedReason", FOLLOW_UP_REASONS.required],
    [
      { status: "rejected", rejectedReason: " " },
      "rejectedReason",
      FOLLOW_UP_REASONS.reasonRequired,
    ],
  ])("refuses %j: %s %s", (change, field, reason) => {
    const valid = {
      actionKey: "guards:site-9",
      owner: "police",
      status: "proposed",
      deadlineAt: null,
      rejectedReason: "",
      note: "",
      statusChangedAt: null,
    };
    expect(followUpProblem(valid)).toBeNull();
    const value = change === null ? null : { ...valid, ...change };
    expect(followUpProblem(value)).toMatchObject({ field, reason });
  });
});

describe("deleting a follow-up", () => {
  it("a tombstone keeps nothing, and the screens fall back to the action's defaults", async () => {
    const ctx = testContext("tablet-a", 5);
    const record = await edited(
      undefined,
      graffiti,
      { owner: "property_owner", status: "rejected", rejectedReason: "Privat vägg", note: "Ring" },
      ctx,
    );
    expect(EMPTY_FIELDS.followUp).toBe(EMPTY_FOLLOW_UP_FIELDS);
    const tombstone = tombstoneRecord(record, EMPTY_FIELDS.followUp as typeof record.fields, ctx);
    expect(tombstone.deleted).toBe(true);
    expect(tombstone.fields).toEqual({
      actionKey: "",
      owner: "",
      status: "",
      deadlineAt: null,
      rejectedReason: "",
      note: "",
      statusChangedAt: null,
    });
    const shown = effectiveFollowUp(graffiti, tombstone, OBSERVED_AT);
    expect(shown).toMatchObject({
      owner: graffiti.defaultOwner,
      status: "proposed",
      deadlineAt: graffiti.defaultDeadlineAt,
      rejectedReason: "",
      note: "",
    });
    expect(followUpsByActionKey([tombstone]).size).toBe(0);
    // Brought back by a later change: the initial values again, plus the change.
    const back = await edited(tombstone, graffiti, { status: "planned" }, ctx);
    expect(back.deleted).toBe(false);
    expect(back.id).toBe(record.id);
    expect(back.fields).toMatchObject({
      actionKey: graffiti.key,
      owner: graffiti.defaultOwner,
      status: "planned",
      rejectedReason: "",
      note: "",
    });
  });
});

describe("default owner and deadline", () => {
  it.each([
    ["new_lamps", [], "street_department"],
    ["repair_lamp", ["lighting.broken"], "street_department"],
    ["upgrade_lamp", ["lighting.too_dim"], "street_department"],
    ["trim_trees", ["vegetation.trees_shading_lamps"], "park_department"],
    ["clear_brush", ["vegetation.brush_sightlines"], "park_department"],
    ["remove_graffiti", ["maintenance.graffiti"], "street_department"],
    ["remove_litter", ["maintenance.litter"], "street_department"],
    ["repair_vandalism", ["maintenance.vandalism"], "street_department"],
    ["camera_review", ["measures.camera"], "police"],
    ["guards", ["measures.guards"], "police"],
    ["other_task", ["traffic.unsafe_crossing"], "street_department"],
    ["other_task", ["public_transport.unsafe_stop"], "other"],
    [
      "other_task",
      ["public_transport.unsafe_stop", "public_transport.unsafe_route_to_stop"],
      "other",
    ],
    ["other_task", ["public_transport.unsafe_stop", "traffic.high_speed"], "street_department"],
    ["other_task", ["wayfinding.poor_signage"], "street_department"],
    ["other_task", [], "street_department"],
  ] as const)("%s for %j: %s", (kind, categories, owner) => {
    expect(defaultOwner(kind, categories)).toBe(owner);
  });

  it("gives graffiti and litter 24 hours from the earliest observation, nothing else a deadline", () => {
    const dayMs = 24 * 60 * 60 * 1000;
    expect(defaultDeadlineAt("remove_graffiti", OBSERVED_AT)).toBe(OBSERVED_AT + dayMs);
    expect(defaultDeadlineAt("remove_litter", OBSERVED_AT)).toBe(OBSERVED_AT + dayMs);
    expect(
      defaultDeadlineAt("remove_litter", [OBSERVED_AT + HOUR_MS, OBSERVED_AT, OBSERVED_AT + 7]),
    ).toBe(OBSERVED_AT + dayMs);
    expect(defaultDeadlineAt("remove_graffiti", null)).toBeNull();
    expect(defaultDeadlineAt("remove_graffiti", [])).toBeNull();
    for (const kind of ["repair_vandalism", "repair_lamp", "clear_brush", "guards"] as const) {
      expect(defaultDeadlineAt(kind, OBSERVED_AT)).toBeNull();
    }
  });
});

describe("what the screens show", () => {
  it("flags an open action past its deadline as overdue, not a done or rejected one", async () => {
    const deadline = graffiti.defaultDeadlineAt!;
    const justAfter = deadline + 1;
    expect(effectiveFollowUp(graffiti, undefined, deadline - 1).overdue).toBe(false);
    expect(effectiveFollowUp(graffiti, undefined, deadline).overdue).toBe(false);
    expect(effectiveFollowUp(graffiti, undefined, justAfter)).toMatchObject({
      status: "proposed",
      owner: "street_department",
      deadlineAt: deadline,
      overdue: true,
    });
    const ctx = testContext("tablet-a", 6);
    const started = await edited(undefined, graffiti, { status: "in_progress" }, ctx);
    expect(effectiveFollowUp(graffiti, started, justAfter).overdue).toBe(true);
    const done = await edited(started, graffiti, { status: "done" }, ctx);
    expect(effectiveFollowUp(graffiti, done, justAfter).overdue).toBe(false);
    const rejected = await edited(
      started,
      graffiti,
      { status: "rejected", rejectedReason: "Redan sanerat" },
      ctx,
    );
    expect(effectiveFollowUp(graffiti, rejected, justAfter).overdue).toBe(false);
    const later = await edited(started, graffiti, { deadlineAt: justAfter + HOUR_MS }, ctx);
    expect(effectiveFollowUp(graffiti, later, justAfter).overdue).toBe(false);
    expect(effectiveFollowUp(lamp, undefined, Number.MAX_SAFE_INTEGER).overdue).toBe(false);
  });

  it("falls back to the defaults for a value a merge or a newer app left invalid", async () => {
    const ctx = testContext("tablet-a", 7);
    const record = await createFollowUp(PROJECT, lamp);
    const odd = editRecord(
      record,
      { owner: "county" as never, status: "paused" as never, deadlineAt: 12 },
      ctx,
    );
    expect(effectiveFollowUp(lamp, odd, 0)).toMatchObject({
      owner: lamp.defaultOwner,
      status: "proposed",
      deadlineAt: 12,
    });
  });

  it("lists what was done, started or rejected since the walk, oldest change first", async () => {
    const walkEndedAt = OBSERVED_AT + 3 * HOUR_MS;
    const before = testContext("tablet-a", 8, OBSERVED_AT);
    const after = testContext("tablet-a", 9, walkEndedAt + HOUR_MS);
    const action = (key: string): FollowUpAction => ({ ...lamp, key });
    const doneBefore = await edited(undefined, action("a"), { status: "done" }, before);
    const plannedAfter = await edited(undefined, action("b"), { status: "planned" }, after);
    const rejectedAfter = await edited(
      undefined,
      action("c"),
      { status: "rejected", rejectedReason: "Ingen budget" },
      after,
    );
    const startedAfter = await edited(undefined, action("d"), { status: "in_progress" }, after);
    const doneAfter = await edited(undefined, action("e"), { status: "done" }, after);
    const untouched = await createFollowUp(PROJECT, action("f"));
    const deleted = tombstoneRecord(
      await edited(undefined, action("g"), { status: "done" }, after),
      EMPTY_FOLLOW_UP_FIELDS,
      after,
    );
    const all = [doneAfter, untouched, deleted, startedAfter, rejectedAfter, plannedAfter];
    const since = followUpSince([...all, doneBefore], walkEndedAt);
    expect(since.map((record) => record.fields.actionKey)).toEqual(["c", "d", "e"]);
    const times = since.map((record) => record.fields.statusChangedAt!);
    expect(times.every((time) => time >= walkEndedAt)).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(doneBefore.fields.statusChangedAt!).toBeLessThan(walkEndedAt);
  });
});
