/**
 * `lykta merge`, run through `main` as the command line runs it, with packages in a temporary
 * folder. Expected counts and values are worked out by hand from the merge rule: tablet-b's
 * nonces (100, ...) are lower than tablet-a's (1000, ...), so B wins every tie of versions.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, unzipSync, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BASE_OBSERVATION_FIELDS,
  countingDevice,
  observationFields,
} from "../../test/fixtures/observation";
import { sha256Hex } from "../domain/hash";
import {
  createObservation,
  EMPTY_OBSERVATION_FIELDS,
  type ObservationFields,
} from "../domain/observation";
import { buildPackage, type PackageMeta, readPackage } from "../domain/package";
import { createPhotoRecord, type PhotoFields } from "../domain/photo";
import { createProject } from "../domain/project";
import { editRecord, type SyncedRecord, tombstoneRecord } from "../domain/record";
import { createWalk, EMPTY_WALK_FIELDS } from "../domain/walk";
import { lykta } from "./cli.fixtures";

let dir: string;
const path = (name: string) => join(dir, name);

function write(name: string, bytes: Uint8Array) {
  writeFileSync(path(name), bytes);
  return path(name);
}

const meta = (createdBy: string, projectId: string): PackageMeta => ({
  appVersion: "0.1.0",
  createdAt: 1_800_000_500_000,
  createdBy,
  scope: { projectId },
});

let photoId: string;
const photoBytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 9, 8, 7]);

/**
 * Tablet A (the coordinator's file) and tablet B, from one start: the project, a walk, three
 * observations and a photo of obs-1. A writes obs-1's note; B writes it too (B wins, A's is
 * logged), deletes obs-2 and adds obs-3.
 */
async function tablets() {
  photoId = await sha256Hex(photoBytes);
  const origin = countingDevice("tablet-o", 1);
  const a = countingDevice("tablet-a", 1000);
  const b = countingDevice("tablet-b", 100);
  const project = createProject(
    { name: "Vivalla 2027", organisation: "Örebro kommun" },
    origin,
    "p-1",
  );
  const walk = createWalk(
    "p-1",
    { ...EMPTY_WALK_FIELDS, name: "Kväll 1", date: "2027-11-24" },
    origin,
  );
  const photoFields: PhotoFields = {
    mimeType: "image/jpeg",
    widthPx: 4,
    heightPx: 3,
    byteLength: photoBytes.byteLength,
    takenAt: 1_800_000_000_000,
  };
  const photo = createPhotoRecord(photoId, "p-1", walk.id, photoFields, origin);
  const obs1 = createObservation(
    "p-1",
    walk.id,
    observationFields({ photoIds: [photoId] }),
    origin,
    "obs-1",
  );
  const obs2 = createObservation("p-1", walk.id, BASE_OBSERVATION_FIELDS, origin, "obs-2");
  const photos = new Map([[photoId, photoBytes]]);
  const onA: SyncedRecord[] = [
    project,
    walk,
    photo,
    editRecord(obs1, { note: "A: lampan släckt" }, a),
    obs2,
  ];
  const onB: SyncedRecord[] = [
    project,
    walk,
    photo,
    editRecord(obs1, { note: "B: mörk gång" }, b),
    tombstoneRecord(obs2, EMPTY_OBSERVATION_FIELDS, b),
    createObservation("p-1", walk.id, observationFields({ severity: 5 }), b, "obs-3"),
  ];
  return {
    a: write("a.lykta", buildPackage(meta("tablet-a", "p-1"), onA, photos)),
    b: write("b.lykta", buildPackage(meta("tablet-b", "p-1"), onB, photos)),
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lykta-merge-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("lykta merge", () => {
  it("merges packages into one, with the conflict log, and prints the summary", async () => {
    const { a, b } = await tablets();
    const result = await lykta("merge", a, b, "-o", path("merged.lykta"));
    expect(result.err.join("\n")).not.toMatch(/^\s+at /m);
    expect(result.status).toBe(0);
    // Against a.lykta, over b's six ids: obs-3 added, obs-1 updated (B's note), obs-2
    // deleted; project, walk and photo unchanged; A's note is the one lost value.
    expect(result.out).toEqual(["1 added, 1 updated, 3 unchanged, 1 deleted, 1 conflicts logged"]);
    expect(result.err).toEqual([
      `${path("merged.lykta")}: 6 records (1 deleted), 1 photos, 1 lost values in conflicts.ndjson`,
    ]);
    const read = await readPackage(readFileSync(path("merged.lykta")));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.problems).toEqual([]);
    expect(read.content.manifest).toMatchObject({
      createdBy: "lykta-cli",
      scope: { projectId: "p-1" },
      recordCount: 6,
      photoCount: 1,
    });
    expect([...read.content.photos.keys()]).toEqual([photoId]);
    const obs1 = read.content.records.find((record) => record.id === "obs-1")!;
    expect((obs1.fields as ObservationFields).note).toBe("B: mörk gång");
    expect(read.content.conflicts).toHaveLength(1);
    expect(read.content.conflicts[0]).toMatchObject({
      recordId: "obs-1",
      field: "note",
      lostValue: "A: lampan släckt",
    });
    // Merging the result with b again finds nothing new.
    const again = await lykta("merge", path("merged.lykta"), b, "-o", path("again.lykta"));
    expect(again.out).toEqual(["0 added, 0 updated, 6 unchanged, 0 deleted, 0 conflicts logged"]);
  });

  it("writes the merged observations for people, and lists the lost values it cannot hold", async () => {
    const { a, b } = await tablets();
    const result = await lykta("merge", a, b, "-o", path("merged.geojson"));
    expect(result.status).toBe(0);
    expect(result.out).toEqual(["1 added, 1 updated, 3 unchanged, 1 deleted, 1 conflicts logged"]);
    const collection = JSON.parse(readFileSync(path("merged.geojson"), "utf8"));
    const byId = new Map(
      collection.features.map((feature: { properties: { id: string } }) => [
        feature.properties.id,
        feature.properties,
      ]),
    );
    // obs-2 is deleted: left out.
    expect([...byId.keys()].sort()).toEqual(["obs-1", "obs-3"]);
    expect(byId.get("obs-1")).toMatchObject({
      note: "B: mörk gång",
      category_label_sv: "Trasig belysning",
      walk_name: "Kväll 1",
      photo_count: 1,
    });
    expect(byId.get("obs-3")).toMatchObject({ severity: 5 });
    expect(result.err[0]).toBe(
      `${path("merged.geojson")}: 2 observations written (deleted ones left out)`,
    );
    expect(result.err[1]).toMatch(/1 values that lost a concurrent edit are not in it/);
    expect(result.err[2]).toMatch(
      /^conflict: observation obs-1 note: lost "A: lampan släckt" \(tablet-a, /,
    );
  });

  it("refuses packages of different projects, naming both", async () => {
    const { a } = await tablets();
    const other = createProject(
      { name: "Gäddeholm", organisation: "" },
      countingDevice("x", 1),
      "p-2",
    );
    const c = write("c.lykta", buildPackage(meta("tablet-c", "p-2"), [other], new Map()));
    const result = await lykta("merge", a, c, "-o", path("mixed.lykta"));
    expect(result.status).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err).toEqual([
      `lykta: ${a} is project "Vivalla 2027" (p-1), but ${c} is project "Gäddeholm" (p-2): a package holds one project, so merge each project's packages separately`,
      "Try: lykta --help",
    ]);
  });

  it("refuses a package from a newer Lykta and asks for an update; writes nothing", async () => {
    const { a, b } = await tablets();
    const files = unzipSync(readFileSync(b));
    const manifest = JSON.parse(new TextDecoder().decode(files["manifest.json"]));
    files["manifest.json"] = strToU8(
      JSON.stringify({ ...manifest, formatVersion: 2, appVersion: "9.0.0" }),
    );
    const newer = write("newer.lykta", zipSync(files));
    const result = await lykta("merge", a, newer, "-o", path("never.lykta"));
    expect(result.status).toBe(1);
    expect(result.out).toEqual([
      `${newer}: manifest.json: formatVersion: package format 2 comes from a newer Lykta (9.0.0); this app reads format 1. Update the app.`,
    ]);
    expect(result.err).toEqual([
      "lykta: a newer Lykta made it: update this lykta and merge again",
      "lykta: 1 of 2 packages cannot be merged; nothing written",
    ]);
    expect(() => readFileSync(path("never.lykta"))).toThrow();
  });

  it("stops at unreadable records unless --skip-invalid", async () => {
    const { a, b } = await tablets();
    const files = unzipSync(readFileSync(b));
    files["records.ndjson"] = strToU8(
      `${new TextDecoder().decode(files["records.ndjson"])}\n{broken`,
    );
    const damaged = write("damaged.lykta", zipSync(files));
    const stopped = await lykta("merge", a, damaged, "-o", path("stopped.lykta"));
    expect(stopped.status).toBe(1);
    expect(stopped.out).toEqual([
      expect.stringMatching(new RegExp(`^${damaged}: records.ndjson: line 7: not JSON: `)),
    ]);
    expect(stopped.err).toEqual([
      "lykta: 1 records, conflict entries or photos cannot be read; nothing written. Fix them, or pass --skip-invalid to merge the rest.",
    ]);
    const skipped = await lykta("merge", a, damaged, "-o", path("skipped.lykta"), "--skip-invalid");
    expect(skipped.status).toBe(0);
    expect(skipped.out.at(-1)).toBe(
      "1 added, 1 updated, 3 unchanged, 1 deleted, 1 conflicts logged",
    );
  });

  it("says what is wrong with the call or the files, without a stack trace", async () => {
    const { a } = await tablets();
    const text = write("notes.lykta", strToU8("inte en zip"));
    const cases: [string[], number, string[]][] = [
      [["merge", a], 2, ["lykta: merge needs -o OUT", "Try: lykta --help"]],
      [
        ["merge", "-o", path("x.lykta")],
        2,
        [
          "lykta: merge needs packages: lykta merge A.lykta B.lykta ... -o OUT",
          "Try: lykta --help",
        ],
      ],
      [
        ["merge", a, "-o", path("x.txt")],
        2,
        [
          `lykta: cannot tell what to write from "${path("x.txt")}": use .lykta for a merged package, or .geojson, .json, .csv or .gpkg for the merged observations`,
          "Try: lykta --help",
        ],
      ],
      [
        ["merge", a, "-o", path("x.lykta"), "--crs", "EPSG:3006"],
        2,
        ["lykta: merge takes no --crs (see lykta --help)", "Try: lykta --help"],
      ],
      [
        ["merge", path("missing.lykta"), "-o", path("x.lykta")],
        2,
        [`lykta: cannot read ${path("missing.lykta")}: no such file or folder`],
      ],
    ];
    for (const [args, status, err] of cases) {
      const result = await lykta(...args);
      expect(result.status, args.join(" ")).toBe(status);
      expect(result.err, args.join(" ")).toEqual(err);
    }
    const notPackage = await lykta("merge", text, "-o", path("x.lykta"));
    expect(notPackage.status).toBe(1);
    expect(notPackage.out).toEqual([
      expect.stringMatching(new RegExp(`^${text}: not a zip archive`)),
    ]);
  });

  it("is listed in the help", async () => {
    const help = await lykta("--help");
    expect(help.out.join("\n")).toContain("lykta merge A.lykta B.lykta... -o OUT");
  });
});
