import { strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { sha256Hex } from "./hash";
import { mergeRecords } from "./merge";
import { mergePackages } from "./merge-set";
import { createObservation, EMPTY_OBSERVATION_FIELDS, type ObservationFields } from "./observation";
import {
  buildPackage,
  PACKAGE_FORMAT_VERSION,
  type PackageManifest,
  packageFileName,
  readPackage,
} from "./package";
import { changeFollowUp, type FollowUpAction, type FollowUpRecord } from "./plan/follow-up";
import {
  budgetOf,
  catalogueOf,
  changePlanSettings,
  type PlanSettingsPatch,
  SHIPPED_COSTS,
} from "./plan/plan-settings";
import { createProject } from "./project";
import { CURRENT_SHAPE_VERSION, editRecord, type SyncedRecord, tombstoneRecord } from "./record";

const fields: ObservationFields = {
  geometry: { type: "Point", coordinates: [15.21, 59.27] },
  categoryId: "maintenance.graffiti",
  severity: 2,
  feltUnsafe: ["everyone"],
  note: "Klotter på väggen vid Ånäs förskola – åäö é",
  photoIds: [],
  illuminanceLux: null,
  observedAt: 1_800_000_000_000,
  positionAccuracyM: 5,
  placement: "gps",
};

async function fixture() {
  const ctx = testContext("tablet-7", 3);
  const project = createProject({ name: "Örebro 2027", organisation: "Örebro kommun" }, ctx);
  const kept = createObservation(project.id, "walk-1", fields, ctx);
  const deleted = tombstoneRecord(
    createObservation(project.id, "walk-1", fields, ctx),
    EMPTY_OBSERVATION_FIELDS,
    ctx,
  );
  const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]);
  const photoId = await sha256Hex(photo);
  const meta = {
    appVersion: "0.1.0",
    createdAt: 1_800_000_100_000,
    createdBy: "tablet-7",
    scope: { projectId: project.id, walkId: "walk-1" },
  };
  const bytes = buildPackage(meta, [project, kept, deleted], new Map([[photoId, photo]]));
  return { bytes, project, kept, deleted, photo, photoId };
}

function rewrite(bytes: Uint8Array, change: (files: Record<string, Uint8Array>) => void) {
  const files = unzipSync(bytes);
  change(files);
  return zipSync(files);
}

describe("Lykta packages", () => {
  it("round-trip records, tombstones and photos exactly", async () => {
    const { bytes, project, kept, deleted, photo, photoId } = await fixture();
    const result = await readPackage(bytes);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.problems).toEqual([]);
    expect(result.content.records).toEqual([project, kept, deleted]);
    expect(result.content.photos.get(photoId)).toEqual(photo);
    expect(result.content.manifest).toMatchObject({
      format: "lykta-package",
      formatVersion: PACKAGE_FORMAT_VERSION,
      shapeVersion: CURRENT_SHAPE_VERSION,
      recordCount: 3,
      photoCount: 1,
    });
    // One record per line.
    const lines = new TextDecoder().decode(unzipSync(bytes)["records.ndjson"]).split("\n");
    expect(lines).toHaveLength(3);
  });

  it("refuses a file that is not a zip, saying so", async () => {
    const result = await readPackage(strToU8("just some text"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.reason).toBe("not_a_package");
    expect(result.problem.detail).toMatch(/^not a zip archive/);
  });

  it("refuses a zip without a manifest, or with another format", async () => {
    const noManifest = await readPackage(zipSync({ "records.ndjson": strToU8("") }));
    expect(noManifest).toEqual({
      ok: false,
      problem: {
        reason: "not_a_package",
        where: "manifest.json",
        detail: "the archive has no manifest.json",
      },
    });
    const { bytes } = await fixture();
    const other = rewrite(bytes, (files) => {
      files["manifest.json"] = strToU8(JSON.stringify({ format: "something-else" }));
    });
    expect(await readPackage(other)).toEqual({
      ok: false,
      problem: {
        reason: "not_a_package",
        where: "manifest.json: format",
        detail: "not a Lykta package",
      },
    });
  });

  it("refuses a package from a newer app and asks for an update", async () => {
    const { bytes } = await fixture();
    const newer = rewrite(bytes, (files) => {
      const manifest = JSON.parse(
        new TextDecoder().decode(files["manifest.json"]),
      ) as PackageManifest;
      manifest.formatVersion = PACKAGE_FORMAT_VERSION + 1;
      manifest.appVersion = "9.0.0";
      files["manifest.json"] = strToU8(JSON.stringify(manifest));
    });
    const result = await readPackage(newer);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.reason).toBe("newer_format");
    expect(result.problem.detail).toContain("Update the app");
    expect(result.problem.detail).toContain("9.0.0");
  });

  it("refuses the whole package when one record has a newer shape", async () => {
    const { bytes } = await fixture();
    const newer = rewrite(bytes, (files) => {
      const records = new TextDecoder()
        .decode(files["records.ndjson"])
        .split("\n")
        .map((line) => JSON.parse(line));
      records[1].shapeVersion = CURRENT_SHAPE_VERSION + 1;
      files["records.ndjson"] = strToU8(
        records.map((record: unknown) => JSON.stringify(record)).join("\n"),
      );
    });
    const result = await readPackage(newer);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problem).toMatchObject({
        reason: "newer_shape",
        where: "records.ndjson: line 2",
      });
  });

  it("keeps the good records and reports each bad one with its index", async () => {
    const { bytes } = await fixture();
    const damaged = rewrite(bytes, (files) => {
      const records = new TextDecoder()
        .decode(files["records.ndjson"])
        .split("\n")
        .map((line) => JSON.parse(line));
      records.splice(1, 0, { kind: "observation" }, 42);
      files["records.ndjson"] = strToU8(
        records.map((record: unknown) => JSON.stringify(record)).join("\n"),
      );
    });
    const result = await readPackage(damaged);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.content.records).toHaveLength(3);
    expect(result.problems).toEqual([
      // The validator of every incoming record (record-validation.ts): where in it, and why.
      {
        reason: "malformed",
        where: "records.ndjson: line 2",
        detail: "id: bad_id: id must be non-empty text",
      },
      {
        reason: "malformed",
        where: "records.ndjson: line 3",
        detail: "record: not_an_object: a record must be an object, not 42",
      },
    ]);
  });

  it("migrates records of an older shape on import", async () => {
    const { bytes, kept } = await fixture();
    const older = rewrite(bytes, (files) => {
      const records = new TextDecoder()
        .decode(files["records.ndjson"])
        .split("\n")
        .map((line) => JSON.parse(line));
      const old = records[1];
      old.shapeVersion = 1;
      old.fields.lux = 2.5;
      delete old.fields.illuminanceLux;
      old.clock.lux = old.clock.illuminanceLux;
      delete old.clock.illuminanceLux;
      files["records.ndjson"] = strToU8(
        records.map((record: unknown) => JSON.stringify(record)).join("\n"),
      );
    });
    const result = await readPackage(older);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const migrated = result.content.records.find((record) => record.id === kept.id)!;
    expect(migrated.shapeVersion).toBe(CURRENT_SHAPE_VERSION);
    expect((migrated.fields as ObservationFields).illuminanceLux).toBe(2.5);
  });

  it("drops a photo whose bytes do not match its hash", async () => {
    const { bytes, photoId } = await fixture();
    const damaged = rewrite(bytes, (files) => {
      files[`photos/${photoId}.jpg`] = new Uint8Array([1, 2, 3]);
    });
    const result = await readPackage(damaged);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.content.photos.size).toBe(0);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({
      reason: "photo_mismatch",
      where: `photos/${photoId}.jpg`,
    });
  });

  it("refuses an entry whose path leaves the package (zip slip), by name", async () => {
    const { bytes } = await fixture();
    const hostile = rewrite(bytes, (files) => {
      files["../../evil.jpg"] = new Uint8Array([1, 2, 3]);
    });
    const result = await readPackage(hostile);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.reason).toBe("unsafe_zip");
      expect(result.problem.where).toBe('zip entry "../../evil.jpg"');
    }
  });

  it("carries a conflict log in conflicts.ndjson, and an empty one when the file is absent", async () => {
    const { project, kept, photo, photoId } = await fixture();
    const a = testContext("tablet-a", 5);
    const b = testContext("tablet-b", 6);
    const merged = mergeRecords(
      editRecord(kept, { note: "från A" }, a),
      editRecord(kept, { note: "från B" }, b),
    );
    expect(merged.conflicts).toHaveLength(1);
    const meta = {
      appVersion: "0.1.0",
      createdAt: 1_800_000_100_000,
      createdBy: "lykta-cli",
      scope: { projectId: project.id },
    };
    const photos = new Map([[photoId, photo]]);
    const withLog = buildPackage(meta, [project, merged.record], photos, merged.conflicts);
    const read = await readPackage(withLog);
    expect(read.ok && read.content.conflicts).toEqual(merged.conflicts);
    expect(read.ok && read.problems).toEqual([]);
    // Without a log: no file, the same manifest (format 1 as before), an empty log on reading.
    const withoutLog = buildPackage(meta, [project, merged.record], photos);
    expect(Object.keys(unzipSync(withoutLog))).not.toContain("conflicts.ndjson");
    expect(unzipSync(withLog)["manifest.json"]).toEqual(unzipSync(withoutLog)["manifest.json"]);
    const plain = await readPackage(withoutLog);
    expect(plain.ok && plain.content.conflicts).toEqual([]);
  });

  it("keeps the good conflict entries and reports each bad line", async () => {
    const { bytes } = await fixture();
    const a = testContext("tablet-a", 5);
    const b = testContext("tablet-b", 6);
    const start = createObservation("p", "w", fields, a, "obs");
    const { conflicts } = mergeRecords(
      editRecord(start, { severity: 4 }, a),
      editRecord(start, { severity: 5 }, b),
    );
    const damaged = rewrite(bytes, (files) => {
      files["conflicts.ndjson"] = strToU8(
        [JSON.stringify(conflicts[0]), "{oops", JSON.stringify({ id: "x" })].join("\n"),
      );
    });
    const result = await readPackage(damaged);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.content.conflicts).toEqual(conflicts);
    expect(result.problems).toEqual([
      {
        reason: "malformed",
        where: "conflicts.ndjson: line 2",
        detail: expect.stringMatching(/^not JSON: /),
      },
      {
        reason: "malformed",
        where: "conflicts.ndjson: line 3",
        detail: "conflict entry has no recordId",
      },
    ]);
  });

  it("carries follow-ups; two tablets' packages merge to one follow-up with both changes", async () => {
    const onA = testContext("tablet-a", 41);
    const onB = testContext("tablet-b", 42);
    const project = createProject({ name: "Vivalla 2027", organisation: "Örebro kommun" }, onA);
    const action: FollowUpAction = {
      key: "remove_graffiti:site-7",
      defaultOwner: "street_department",
      defaultDeadlineAt: 1_800_086_400_000,
    };
    const change = async (patch: Parameters<typeof changeFollowUp>[3], ctx: typeof onA) => {
      const result = await changeFollowUp(undefined, project.id, action, patch, ctx);
      if (!result.ok) throw new Error(result.problem.detail);
      return result.record;
    };
    // Offline, each tablet starts the follow-up of the same action with its own change.
    const fromA = await change(
      { owner: "property_owner", note: "Fastighetsägaren kontaktad" },
      onA,
    );
    const fromB = await change({ status: "done" }, onB);
    const pack = (records: FollowUpRecord[], by: string) =>
      buildPackage(
        {
          appVersion: "0.1.0",
          createdAt: 1_800_000_500_000,
          createdBy: by,
          scope: { projectId: project.id },
        },
        [project, ...records],
        new Map(),
      );
    const readA = await readPackage(pack([fromA], "tablet-a"));
    const readB = await readPackage(pack([fromB], "tablet-b"));
    if (!readA.ok || !readB.ok) throw new Error("package refused");
    expect(readA.content.records).toContainEqual(fromA);
    const merged = mergePackages([readA.content, readB.content]);
    if (!merged.ok) throw new Error(merged.problem.detail);
    const followUps = merged.content.records.filter((record) => record.kind === "followUp");
    expect(followUps).toHaveLength(1);
    expect(followUps[0]!.id).toBe(fromA.id);
    expect(followUps[0]!.fields).toEqual({
      actionKey: action.key,
      owner: "property_owner",
      status: "done",
      deadlineAt: action.defaultDeadlineAt,
      rejectedReason: "",
      note: "Fastighetsägaren kontaktad",
      statusChangedAt: fromB.fields.statusChangedAt,
    });
    expect(merged.summary.conflicts).toEqual([]);
    expect(merged.content.conflicts).toEqual([]);
  });

  it("carries plan settings; a unit cost from one tablet and a budget from another both arrive", async () => {
    const onA = testContext("tablet-a", 43);
    const onB = testContext("tablet-b", 44);
    const project = createProject({ name: "Vivalla 2027", organisation: "Örebro kommun" }, onA);
    const change = async (patch: PlanSettingsPatch, ctx: typeof onA) => {
      const result = await changePlanSettings(undefined, project.id, patch, ctx);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      return result.record;
    };
    const pole = { ...SHIPPED_COSTS.items["new_lamps.pole"], unitCostSek: 44_000 };
    const fromA = await change({ costNewLampsPole: pole }, onA);
    const fromB = await change({ budgetSek: 2_750_000 }, onB);
    const pack = (records: SyncedRecord[], by: string) =>
      buildPackage(
        {
          appVersion: "0.1.0",
          createdAt: 1_800_000_600_000,
          createdBy: by,
          scope: { projectId: project.id },
        },
        [project, ...records],
        new Map(),
      );
    const readA = await readPackage(pack([fromA], "tablet-a"));
    const readB = await readPackage(pack([fromB], "tablet-b"));
    if (!readA.ok || !readB.ok) throw new Error("package refused");
    expect(readA.content.records).toContainEqual(fromA);
    const merged = mergePackages([readA.content, readB.content]);
    if (!merged.ok) throw new Error(merged.problem.detail);
    const settings = merged.content.records.filter((record) => record.kind === "planSettings");
    expect(settings).toHaveLength(1);
    expect(catalogueOf(settings[0] as typeof fromA).items["new_lamps.pole"]).toEqual(pole);
    expect(budgetOf(settings[0] as typeof fromA)).toBe(2_750_000);
    expect(merged.summary.conflicts).toEqual([]);
  });

  it("names files safely", () => {
    expect(packageFileName("Vivalla: kväll/natt?", "2026-11-24")).toBe(
      "Lykta Vivalla kväll natt 2026-11-24.lykta",
    );
    expect(packageFileName("  ", "2026-11-24")).toBe("Lykta vandring 2026-11-24.lykta");
  });
});
