// The table below mutates JSON copies of records in one line each, as they could arrive.
// biome-ignore-all lint/suspicious/noAssignInExpressions: one-line mutations of a test table
// biome-ignore-all lint/complexity/noCommaOperator: two mutations in one table row
// biome-ignore-all lint/suspicious/noExplicitAny: records off the wire are untyped JSON
import { describe, expect, it } from "vitest";
import { deepFreeze, testContext } from "../../test/fixtures/context";
import { createComment } from "./comment";
import { createObservation, EMPTY_OBSERVATION_FIELDS, type ObservationFields } from "./observation";
import { createPhotoRecord } from "./photo";
import { createPlanSettings } from "./plan/plan-settings";
import { createProject } from "./project";
import { publicationId, publish } from "./publication";
import { CURRENT_SHAPE_VERSION, type SyncedRecord, tombstoneRecord } from "./record";
import { RECORD_REASONS, validateIncomingRecord } from "./record-validation";
import { createWalk, EMPTY_WALK_FIELDS } from "./walk";

const PROJECT = "11111111-2222-4333-8444-555555555555";
const WALK = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const PHOTO = "c".repeat(64);

const OBSERVATION_FIELDS: ObservationFields = deepFreeze({
  geometry: { type: "Point", coordinates: [15.21, 59.27] },
  categoryId: "lighting.broken",
  severity: 4,
  feltUnsafe: ["everyone"],
  note: "Trasig lampa vid gångtunneln",
  photoIds: [PHOTO],
  illuminanceLux: 0.4,
  observedAt: 1_800_000_000_000,
  positionAccuracyM: 6,
  placement: "gps",
});

function observation(): SyncedRecord {
  return createObservation(PROJECT, WALK, OBSERVATION_FIELDS, testContext("tablet-1", 5), "obs-1");
}

/** A JSON copy with one change, as it would arrive over the wire. */
function changed(record: SyncedRecord, change: (copy: Record<string, any>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(record));
  change(copy);
  return copy;
}

function reasonOf(raw: unknown, options = {}) {
  const result = validateIncomingRecord(raw, options);
  return result.ok ? { ok: true } : { where: result.where, reason: result.reason };
}

describe("validateIncomingRecord", () => {
  it("accepts records of every kind the app writes, tombstones included", async () => {
    const ctx = testContext("tablet-2", 9);
    const walk = createWalk(
      PROJECT,
      { ...EMPTY_WALK_FIELDS, name: "Vivalla kväll", date: "2026-11-24", startTime: "18:00" },
      ctx,
      WALK,
    );
    const records: SyncedRecord[] = [
      createProject({ name: "Vivalla 2027", organisation: "Örebro kommun" }, ctx, PROJECT),
      walk,
      observation(),
      tombstoneRecord(observation(), EMPTY_OBSERVATION_FIELDS, ctx),
      createPhotoRecord(
        PHOTO,
        PROJECT,
        WALK,
        { mimeType: "image/jpeg", widthPx: 1600, heightPx: 1200, byteLength: 300_000, takenAt: 1 },
        ctx,
      ),
      await createPlanSettings(PROJECT),
      createComment(PROJECT, { targetId: "obs-1", body: "Polisen har varit där" }, ctx),
      publish(
        undefined,
        PROJECT,
        "lighting",
        {
          type: "FeatureCollection",
          features: [
            {
              type: "Feature",
              properties: { lit: false },
              geometry: {
                type: "MultiLineString",
                coordinates: [
                  [
                    [15.2, 59.2],
                    [15.3, 59.3],
                  ],
                ],
              },
            },
          ],
        },
        ctx,
      ),
    ];
    for (const record of records) {
      const result = validateIncomingRecord(JSON.parse(JSON.stringify(record)), {
        projectId: PROJECT,
      });
      expect(result, `${record.kind} ${record.id}`).toMatchObject({ ok: true });
    }
  });

  it("migrates a record of shape 1 to the current shape", () => {
    const old = changed(observation(), (copy) => {
      copy.shapeVersion = 1;
      copy.fields.lux = copy.fields.illuminanceLux;
      copy.clock.lux = copy.clock.illuminanceLux;
      delete copy.fields.illuminanceLux;
      delete copy.clock.illuminanceLux;
      for (const entry of Object.values(copy.clock) as any[]) delete entry.ancestors;
    });
    const result = validateIncomingRecord(old);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.migrated).toBe(true);
    expect(result.record.shapeVersion).toBe(CURRENT_SHAPE_VERSION);
    expect((result.record.fields as ObservationFields).illuminanceLux).toBe(0.4);
  });

  const R = RECORD_REASONS;
  const cases: [string, (copy: Record<string, any>) => void, string, string][] = [
    ["no id", (c) => delete c.id, "id", R.badId],
    ["an id with a line break", (c) => (c.id = "a\nb"), "id", R.badId],
    ["a 201-character id", (c) => (c.id = "x".repeat(201)), "id", R.badId],
    ["an unknown kind", (c) => (c.kind = "spaceship"), "kind", R.unknownKind],
    ["a shape from a newer app", (c) => (c.shapeVersion = 99), "shapeVersion", R.newerShape],
    ["a fractional shape", (c) => (c.shapeVersion = 1.5), "shapeVersion", R.badShapeVersion],
    ["no project", (c) => delete c.projectId, "projectId", R.badProjectId],
    ["walk content without its walk", (c) => delete c.walkId, "walkId", R.badWalkId],
    ["deleted as text", (c) => (c.deleted = "false"), "deleted", R.badDeleted],
    ["fields as a list", (c) => (c.fields = []), "fields", R.badFields],
    ["a missing field", (c) => delete c.fields.note, "fields.note", R.missingField],
    ["no tombstone clock", (c) => delete c.clock.deleted, "clock.deleted", R.missingClock],
    ["a field without a clock", (c) => delete c.clock.note, "clock.note", R.missingClock],
    [
      "a clock without a field",
      (c) => (c.clock.ghost = c.clock.note),
      "clock.ghost",
      R.clockWithoutField,
    ],
    ["version 0", (c) => (c.clock.note.version = 0), "clock.note.version", R.badVersion],
    [
      "version 1.5",
      (c) => (c.clock.severity.version = 1.5),
      "clock.severity.version",
      R.badVersion,
    ],
    ["a fractional nonce", (c) => (c.clock.note.nonce = 0.5), "clock.note.nonce", R.badNonce],
    ["no device", (c) => delete c.clock.note.by, "clock.note.by", R.badBy],
    ["a time as text", (c) => (c.clock.note.at = "now"), "clock.note.at", R.badAt],
    [
      "ancestors of text",
      (c) => (c.clock.note.ancestors = ["1"]),
      "clock.note.ancestors",
      R.badAncestors,
    ],
    [
      "a tombstone clock at version 0",
      (c) => (c.clock.deleted.version = 0),
      "clock.deleted.version",
      R.badVersion,
    ],
    ["severity 7", (c) => (c.fields.severity = 7), "fields.severity", R.outOfRange],
    ["severity as text", (c) => (c.fields.severity = "4"), "fields.severity", R.wrongType],
    [
      "a note of 4001 characters",
      (c) => (c.fields.note = "å".repeat(4001)),
      "fields.note",
      R.tooLong,
    ],
    [
      "a photo id that is not SHA-256",
      (c) => (c.fields.photoIds = ["../../etc/passwd"]),
      "fields.photoIds[0]",
      R.badPhotoId,
    ],
    ["six photos", (c) => (c.fields.photoIds = Array(6).fill(PHOTO)), "fields.photoIds", R.tooMany],
    [
      "an unknown placement",
      (c) => (c.fields.placement = "teleported"),
      "fields.placement",
      R.notAllowed,
    ],
    ["negative lux", (c) => (c.fields.illuminanceLux = -1), "fields.illuminanceLux", R.outOfRange],
    [
      "a MultiPoint observation",
      (c) => (c.fields.geometry = { type: "MultiPoint", coordinates: [[1, 2]] }),
      "fields.geometry",
      R.invalidGeometry,
    ],
    [
      "a longitude of 200",
      (c) => (c.fields.geometry.coordinates = [200, 59]),
      "fields.geometry",
      R.invalidGeometry,
    ],
    [
      "a NaN-like coordinate",
      (c) => (c.fields.geometry.coordinates = [15, null]),
      "fields.geometry",
      R.invalidGeometry,
    ],
    [
      "an open polygon ring",
      (c) =>
        (c.fields.geometry = {
          type: "Polygon",
          coordinates: [
            [
              [15, 59],
              [15.1, 59],
              [15.1, 59.1],
              [15, 59.1],
            ],
          ],
        }),
      "fields.geometry",
      R.invalidGeometry,
    ],
    [
      "a one-point line",
      (c) => (c.fields.geometry = { type: "LineString", coordinates: [[15, 59]] }),
      "fields.geometry",
      R.invalidGeometry,
    ],
    [
      "a bad field name",
      (c) => ((c.fields["x y"] = 1), (c.clock["x y"] = c.clock.note)),
      "fields.x y",
      R.badFieldName,
    ],
    [
      "a huge unknown field",
      (c) => ((c.fields.future = "x".repeat(20_000)), (c.clock.future = c.clock.note)),
      "fields.future",
      R.tooLong,
    ],
  ];

  it.each(cases)("refuses %s", (_name, change, where, reason) => {
    expect(reasonOf(changed(observation(), change))).toEqual({ where, reason });
  });

  it("refuses what is not a record object", () => {
    expect(reasonOf(42)).toEqual({ where: "record", reason: R.notAnObject });
    expect(reasonOf(null)).toEqual({ where: "record", reason: R.notAnObject });
    expect(reasonOf([observation()])).toEqual({ where: "record", reason: R.notAnObject });
  });

  it("refuses a record of another project when the caller names one", () => {
    expect(reasonOf(observation(), { projectId: "other-project" })).toEqual({
      where: "projectId",
      reason: R.otherProject,
    });
  });

  it("says where and why in words", () => {
    const result = validateIncomingRecord(changed(observation(), (c) => (c.fields.severity = 7)));
    expect(result).toEqual({
      ok: false,
      where: "fields.severity",
      reason: R.outOfRange,
      detail: "must be 1 to 5, not 7",
    });
  });

  it("keeps a field a newer app added, and lets a field hold its kind's empty value", () => {
    const result = validateIncomingRecord(
      changed(observation(), (c) => {
        c.fields.future = { any: "thing" };
        c.clock.future = c.clock.note;
        c.fields.geometry = null; // a tombstone's value, left by a merge with a delete
      }),
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect((result.record.fields as any).future).toEqual({ any: "thing" });
  });

  it("checks walks, comments, publications and plan settings by their own rules", async () => {
    const ctx = testContext("tablet-3", 2);
    const walk = createWalk(
      PROJECT,
      { ...EMPTY_WALK_FIELDS, name: "K", date: "2026-11-24" },
      ctx,
      WALK,
    );
    expect(reasonOf(changed(walk, (c) => (c.fields.date = "2026-02-30")))).toEqual({
      where: "fields.date",
      reason: R.badDate,
    });
    expect(reasonOf(changed(walk, (c) => (c.fields.startTime = "25:00")))).toEqual({
      where: "fields.startTime",
      reason: R.badTime,
    });
    expect(reasonOf(changed(walk, (c) => (c.walkId = "another-walk")))).toEqual({
      where: "walkId",
      reason: R.badWalkId,
    });
    const comment = createComment(PROJECT, { targetId: "obs-1", body: "ok" }, ctx);
    expect(reasonOf(changed(comment, (c) => (c.fields.body = 12)))).toEqual({
      where: "fields.body",
      reason: R.wrongType,
    });
    const features = {
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: {}, geometry: { type: "Point", coordinates: [1, 2] } },
      ],
    } as const;
    const publication = publish(undefined, PROJECT, "plan", features as any, ctx);
    expect(publication.id).toBe(publicationId(PROJECT, "plan"));
    expect(
      reasonOf(
        changed(publication, (c) => (c.fields.features.features[0].geometry.coordinates = [1, 95])),
      ),
    ).toEqual({ where: "fields.features.features[0].geometry", reason: R.invalidGeometry });
    expect(reasonOf(changed(publication, (c) => (c.fields.collection = "secret")))).toEqual({
      where: "fields.collection",
      reason: R.notAllowed,
    });
    const settings = await createPlanSettings(PROJECT);
    expect(reasonOf(changed(settings, (c) => (c.fields.budgetSek = -5)))).toEqual({
      where: "fields.budgetSek",
      reason: R.outOfRange,
    });
  });
});
