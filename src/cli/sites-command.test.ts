import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { CHECKLIST, EVENING_MS, GROUPS, pointAt, report } from "../../test/fixtures/sites";
import { observationFeatures, toGeoJsonText } from "../domain/export/geojson";
import { sitesToGeoJson } from "../domain/export/sites";
import { buildPackage } from "../domain/package";
import { createSiteLink } from "../domain/site-link";
import { groupSites } from "../domain/sites";
import { lykta } from "./cli.fixtures";

const folder = mkdtempSync(join(tmpdir(), "lykta-sites-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const path = (name: string) => join(folder, name);

/** The viaduct by three walks (within 10 m), and a broken lamp 200 m away. */
const observations = [
  report("3b8e0c1a-0000-4000-a000-000000000003", "lighting.dark_tunnel", pointAt(0, 0), {
    walkId: "walk-1",
    severity: 4,
    feltUnsafe: ["everyone"],
    observedAt: EVENING_MS,
  }),
  report("3b8e0c1a-0000-4000-a000-000000000001", "lighting.dark_tunnel", pointAt(6, 3), {
    walkId: "walk-2",
    severity: 5,
    feltUnsafe: ["women", "elderly"],
    observedAt: EVENING_MS + 60_000,
  }),
  report("3b8e0c1a-0000-4000-a000-000000000002", "lighting.too_dim", pointAt(-4, 5), {
    walkId: "walk-3",
    severity: 3,
    feltUnsafe: ["women"],
    observedAt: EVENING_MS + 120_000,
  }),
  report("3b8e0c1a-0000-4000-a000-000000000009", "lighting.broken", pointAt(200, 0), {
    walkId: "walk-1",
    observedAt: EVENING_MS + 180_000,
  }),
];
const [, viaductA, viaductB] = observations.map((observation) => observation.id);

function writeExport(
  name: string,
  features = observationFeatures(observations, {
    checklist: CHECKLIST,
    groups: GROUPS,
    walks: [],
  }),
): string {
  writeFileSync(
    path(name),
    toGeoJsonText(features, { name: "observations", kind: "observations" }),
  );
  return path(name);
}

function readFeatures(file: string) {
  return JSON.parse(readFileSync(file, "utf8")).features as {
    id: string;
    geometry: { type: string; coordinates: number[] };
    properties: Record<string, unknown>;
  }[];
}

describe("lykta sites", () => {
  it("groups an observations GeoJSON export into sites", async () => {
    const input = writeExport("observations.geojson");
    const { status, out, err } = await lykta("sites", input, "-o", path("sites.geojson"));
    expect({ status, out }).toEqual({ status: 0, out: [] });
    expect(err).toEqual([
      `${path("sites.geojson")}: 2 sites from 4 observations (1 reported more than once, 0 with a planner's join or split)`,
    ]);
    const features = readFeatures(path("sites.geojson"));
    expect(features.map((feature) => feature.id)).toEqual([
      `site-${viaductA}`,
      "site-3b8e0c1a-0000-4000-a000-000000000009",
    ]);
    expect(features[0]!.geometry.type).toBe("Point");
    expect(features[0]!.properties).toEqual({
      site_id: `site-${viaductA}`,
      group_id: "lighting",
      group_label_sv: "Belysning",
      category_ids: ["lighting.dark_tunnel", "lighting.too_dim"],
      category_labels_sv: ["Mörk tunnel eller viadukt", "För svag belysning"],
      report_count: 3,
      walk_count: 3,
      walk_ids: ["walk-1", "walk-2", "walk-3"],
      member_ids: [viaductA, viaductB, "3b8e0c1a-0000-4000-a000-000000000003"],
      felt_unsafe_everyone: 1,
      felt_unsafe_women: 2,
      felt_unsafe_men: 0,
      felt_unsafe_children_young: 0,
      felt_unsafe_elderly: 1,
      felt_unsafe_disabilities: 0,
      max_severity: 5,
      first_observed_at: "2026-11-24T18:00:00+01:00",
      last_observed_at: "2026-11-24T18:02:00+01:00",
      planned: false,
    });
  });

  it("reads a .lykta package with the planner's links", async () => {
    const ctx = testContext("planner", 3);
    const split = createSiteLink(
      "project-1",
      { relation: "different", groupA: [viaductB!], groupB: [viaductA!] },
      ctx,
    );
    const bytes = buildPackage(
      {
        appVersion: "0.1.0",
        createdAt: EVENING_MS,
        createdBy: "tablet-1",
        scope: { projectId: "project-1" },
      },
      [...observations, split],
      new Map(),
    );
    writeFileSync(path("walks.lykta"), bytes);
    const { status, err } = await lykta(
      "sites",
      path("walks.lykta"),
      "-o",
      path("planned.geojson"),
    );
    expect(status).toBe(0);
    expect(err[0]).toContain("3 sites from 4 observations");
    const features = readFeatures(path("planned.geojson"));
    expect(
      features.map((feature) => [feature.properties.member_ids, feature.properties.planned]),
    ).toEqual([
      // The closest pair (B and the third report, 6.4 m) joins first; A is kept from B.
      [[viaductA], true],
      [[viaductB, "3b8e0c1a-0000-4000-a000-000000000003"], true],
      [["3b8e0c1a-0000-4000-a000-000000000009"], false],
    ]);
  });

  it("writes what sitesToGeoJson writes, and CSV when OUT ends in .csv", async () => {
    const input = writeExport("same.geojson");
    expect((await lykta("sites", input, "-o", path("sites.geojson"))).status).toBe(0);
    const expected = sitesToGeoJson(groupSites(observations, [], CHECKLIST), {
      checklist: CHECKLIST,
      groups: GROUPS,
    });
    expect(readFileSync(path("sites.geojson"), "utf8")).toBe(expected);
    expect((await lykta("sites", input, "-o", path("sites.csv"))).status).toBe(0);
    const header = readFileSync(path("sites.csv"), "utf8").split("\r\n")[0]!;
    // The CSV writer puts the feature id first as `id`, as for every feature with an id.
    expect(header.startsWith("\uFEFFid,site_id,group_id,group_label_sv,category_ids,")).toBe(true);
  });

  it("says which feature is wrong, writes nothing, and exits 1", async () => {
    const features = observationFeatures(observations, {
      checklist: CHECKLIST,
      groups: GROUPS,
      walks: [],
    });
    features[1]!.properties.observed_at = "yesterday";
    const input = writeExport("bad.geojson", features);
    const { status, out, err } = await lykta("sites", input, "-o", path("bad-sites.geojson"));
    expect(status).toBe(1);
    expect(out).toEqual([
      `${input}: features[1]: observed_at: "yesterday" is not an ISO 8601 date-time with an offset`,
    ]);
    expect(err).toEqual([
      "lykta: 1 records or features cannot be read; nothing written. Fix them, or pass --skip-invalid to group the 3 readable observations.",
    ]);
    expect(() => readFileSync(path("bad-sites.geojson"))).toThrow();
    const skipped = await lykta("sites", input, "-o", path("bad-sites.geojson"), "--skip-invalid");
    expect(skipped.status).toBe(0);
    expect(readFeatures(path("bad-sites.geojson"))).toHaveLength(2);
  });

  it("refuses a file that is neither a package nor JSON (exit 1)", async () => {
    writeFileSync(path("notes.txt"), "Mörkt under bron.");
    const { status, out } = await lykta("sites", path("notes.txt"), "-o", path("x.geojson"));
    expect(status).toBe(1);
    expect(out).toEqual([
      `${path("notes.txt")}: is neither a Lykta package (.lykta) nor JSON; give notes.txt as a .lykta package or an observations GeoJSON export`,
    ]);
  });

  it.each([
    [["sites", "in.geojson"], "lykta: sites needs -o OUT"],
    [
      ["sites", "-o", "out.geojson"],
      "lykta: sites needs exactly one input file: lykta sites OBSERVATIONS -o OUT",
    ],
    [
      ["sites", "in.geojson", "-o", "out.txt"],
      'lykta: cannot tell the output format from "out.txt": use .geojson, .json, .csv or .gpkg, or name it with --format',
    ],
    [
      ["sites", "in.geojson", "-o", "out.geojson", "--from-crs", "EPSG:3006"],
      "lykta: sites takes no --from-crs (see lykta --help)",
    ],
  ])("exits 2 for a usage mistake: %j", async (argv, message) => {
    const { status, err } = await lykta(...argv);
    expect(status).toBe(2);
    expect(err).toEqual([message, "Try: lykta --help"]);
  });

  it("exits 2 for an unreadable input, without a stack trace", async () => {
    const { status, err } = await lykta("sites", path("missing.lykta"), "-o", path("x.geojson"));
    expect(status).toBe(2);
    expect(err).toEqual([`lykta: cannot read ${path("missing.lykta")}: no such file or folder`]);
  });

  it("is in the help", async () => {
    const { out } = await lykta("--help");
    expect(out[0]).toContain("lykta sites OBSERVATIONS -o OUT");
  });
});
