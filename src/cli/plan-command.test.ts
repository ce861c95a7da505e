/**
 * `lykta plan` on real data: the Helsinki centre extract (../shared/data/osm, read from there)
 * as paths and lamps, and a few reports placed on its streets by hand (positions read off the
 * extract: a street lamp, an unlit footway, a named footway).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import costsData from "../../data/costs.json";
import { testContext } from "../../test/fixtures/context";
import { CHECKLIST, GROUPS, report } from "../../test/fixtures/sites";
import { observationFeatures, toGeoJsonText } from "../domain/export/geojson";
import { buildPackage } from "../domain/package";
import { createFollowUp, editFollowUp } from "../domain/plan/follow-up";
import { lykta } from "./cli.fixtures";

const HELSINKI = join(
  import.meta.dirname,
  "../../../shared/data/osm/helsinki_centre_highways_lamps.geojson",
);
const folder = mkdtempSync(join(tmpdir(), "lykta-plan-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const path = (name: string) => join(folder, name);

/** 2026-11-24 18:00 in Stockholm (+01:00). */
const EVENING = Date.UTC(2026, 10, 24, 17, 0, 0);
const point = (lon: number, lat: number) => ({ type: "Point" as const, coordinates: [lon, lat] });
const ids = {
  broken: "9c1d0000-0000-4000-a000-000000000001",
  darkA: "9c1d0000-0000-4000-a000-000000000002",
  darkB: "9c1d0000-0000-4000-a000-000000000003",
  brush: "9c1d0000-0000-4000-a000-000000000004",
  graffiti: "9c1d0000-0000-4000-a000-000000000005",
};
const observations = [
  // Beside street lamp node 314737872 (24.9525531, 60.1674716).
  report(ids.broken, "lighting.broken", point(24.95257, 60.16748), {
    severity: 4,
    observedAt: EVENING,
  }),
  // Two teams on the unlit (lit=no) footway way 440684310, about 24.9365-24.9376, 60.17597.
  report(ids.darkA, "lighting.dark_stretch", point(24.93705, 60.17597), {
    walkId: "walk-1",
    severity: 5,
    feltUnsafe: ["women"],
    observedAt: EVENING + 60_000,
  }),
  report(ids.darkB, "lighting.dark_stretch", point(24.93708, 60.17598), {
    walkId: "walk-2",
    severity: 4,
    observedAt: EVENING + 120_000,
  }),
  // Ateneuminkuja (way 8035183).
  report(ids.brush, "vegetation.brush_sightlines", point(24.9445, 60.16975), {
    severity: 3,
    observedAt: EVENING + 180_000,
  }),
  // Opintoputki (way 18378126).
  report(ids.graffiti, "maintenance.graffiti", point(24.94765, 60.17035), {
    observedAt: EVENING + 240_000,
  }),
];

function writeObservations(name: string): string {
  const features = observationFeatures(observations, {
    checklist: CHECKLIST,
    groups: GROUPS,
    walks: [],
  });
  writeFileSync(
    path(name),
    toGeoJsonText(features, { name: "observations", kind: "observations" }),
  );
  return path(name);
}

/** A school 40 m north of the unlit footway, without a kind of its own. */
function writeSchool(): string {
  const school = {
    type: "FeatureCollection",
    features: [
      {
        type: "Feature",
        id: "school-1",
        geometry: point(24.9371, 60.17633),
        properties: { name: "Skola" },
      },
    ],
  };
  writeFileSync(path("school.geojson"), JSON.stringify(school));
  return path("school.geojson");
}

type Props = Record<string, unknown>;
function readPlan(file: string) {
  const json = JSON.parse(readFileSync(file, "utf8")) as {
    lykta: Record<string, unknown>;
    features: { id: string; geometry: { type: string }; properties: Props }[];
  };
  return json;
}

const baseArgs = (observationsFile: string) => [
  "plan",
  "--observations",
  observationsFile,
  "--paths",
  HELSINKI,
  "--lamps",
  HELSINKI,
];

describe("lykta plan", () => {
  it("plans from the Helsinki extract and an observations export, within the budget", async () => {
    const obs = writeObservations("observations.geojson");
    const { status, out, err } = await lykta(
      ...baseArgs(obs),
      "--poi",
      `school=${writeSchool()}`,
      "--budget",
      "100000",
      "--radius",
      "20",
      "--lang",
      "en",
      "-o",
      path("plan.geojson"),
    );
    expect(status, err.join("\n")).toBe(0);
    const summary = JSON.parse(out.join("\n"));
    expect(Object.keys(summary)).toEqual([
      "budget_sek",
      "selected_cost_sek",
      "selected_benefit",
      "candidates",
      "selected",
      "tasks",
      "groups",
      "method",
      "gap_bound",
      "marginal_next_100k_benefit",
    ]);
    expect(summary.budget_sek).toBe(100_000);
    expect(summary.selected_cost_sek).toBeLessThanOrEqual(100_000);
    expect(summary.selected).toBeGreaterThan(0);
    expect(err.at(-1)).toBe("Credit: © OpenStreetMap contributors");

    const plan = readPlan(path("plan.geojson"));
    expect(plan.lykta).toMatchObject({ kind: "plan", attribution: "© OpenStreetMap contributors" });
    const features = plan.features.map((feature) => feature.properties);
    for (const p of features) {
      for (const name of ["rank", "action", "cost_sek", "benefit", "selected", "reasons"]) {
        expect(p, name).toHaveProperty(name);
      }
    }
    const selected = features.filter((p) => p.selected === true);
    expect(selected).toHaveLength(summary.selected);
    const spent = selected.reduce((sum, p) => sum + (p.cost_sek as number), 0);
    expect(spent).toBe(summary.selected_cost_sek);

    // The broken lamp is a 3,500 SEK repair of that lamp; cheap and reported: in the plan.
    const repair = features.find((p) => (p.observation_ids as string[]).includes(ids.broken))!;
    expect(repair).toMatchObject({
      action: "repair_lamp",
      cost_sek: 3_500,
      selected: true,
      lamp_ids: ["node/314737872"],
    });
    expect(repair.reasons).toMatch(/^severity 4: 40 p/);
    // The unlit footway's reports: new lamps, raised by the school 40 m away.
    const dark = features.find((p) => (p.observation_ids as string[]).includes(ids.darkA))!;
    expect(dark.action).toBe("new_lamps");
    expect(dark.observation_ids).toEqual([ids.darkA, ids.darkB]);
    expect(dark.reasons).toMatch(/more walks 1: 8 p/);
    expect(dark.reasons).toMatch(/school \d+ m: \+\d/);
    // Graffiti: a task, due 24 hours after the report, outside the budget.
    const graffiti = features.find((p) => p.action === "remove_graffiti")!;
    expect(graffiti).toMatchObject({
      rank: null,
      cost_sek: null,
      selected: false,
      owner: "street_department",
      status: "proposed",
      deadline: "2026-11-25T18:04:00+01:00",
    });
  });

  it("selects nothing with a budget of 0, and writes CSV when OUT ends in .csv", async () => {
    const obs = writeObservations("observations.geojson");
    const { status, out } = await lykta(...baseArgs(obs), "--budget", "0", "-o", path("plan.csv"));
    expect(status).toBe(0);
    const summary = JSON.parse(out.join("\n"));
    expect([summary.selected, summary.selected_cost_sek, summary.selected_benefit]).toEqual([
      0, 0, 0,
    ]);
    const header = readFileSync(path("plan.csv"), "utf8")
      .replace(/^\uFEFF/, "")
      .split("\r\n")[0];
    expect(header).toBe(
      "id,rank,action,key,label,cost_sek,cost_basis,benefit,planned_benefit,selected," +
        "chosen_with,reasons,terms,site_ids,observation_ids,gap_ids,lamp_ids,owner,status," +
        "deadline,overdue,lon,lat,wkt",
    );
  });

  it("reads a .lykta package, and its follow-up records give owner and status", async () => {
    const graffitiKey = `remove_graffiti:site-${ids.graffiti}`;
    const created = await createFollowUp("project-1", {
      key: graffitiKey,
      defaultOwner: "street_department",
      defaultDeadlineAt: EVENING + 240_000 + 24 * 3_600_000,
    });
    const edited = editFollowUp(
      created,
      { owner: "property_owner", status: "done" },
      testContext("planner", 5),
    );
    if (!edited.ok) throw new Error(edited.problem.detail);
    const bytes = buildPackage(
      {
        appVersion: "0.1.0",
        createdAt: EVENING,
        createdBy: "tablet-1",
        scope: { projectId: "project-1" },
      },
      [...observations, edited.record],
      new Map(),
    );
    writeFileSync(path("walks.lykta"), bytes);
    const { status, err } = await lykta(
      ...baseArgs(path("walks.lykta")),
      "--budget",
      "50000",
      "-o",
      path("from-package.geojson"),
    );
    expect(status, err.join("\n")).toBe(0);
    const features = readPlan(path("from-package.geojson")).features;
    expect(features.find((feature) => feature.id === graffitiKey)?.properties).toMatchObject({
      owner: "property_owner",
      status: "done",
      overdue: false,
    });
  });

  it("refuses a broken cost catalogue with where and why, and writes nothing", async () => {
    const broken = structuredClone(costsData) as {
      items: Record<string, { unitCostSek: unknown }>;
    };
    broken.items["repair_lamp.lamp"]!.unitCostSek = "abc";
    writeFileSync(path("costs.json"), JSON.stringify(broken));
    const obs = writeObservations("observations.geojson");
    const { status, out, err } = await lykta(
      ...baseArgs(obs),
      "--budget",
      "100000",
      "--costs",
      path("costs.json"),
      "-o",
      path("refused.geojson"),
    );
    expect(status).toBe(1);
    expect(out).toEqual([
      `${path("costs.json")}: items["repair_lamp.lamp"].unitCostSek: must be a number, not "abc"`,
    ]);
    expect(err).toEqual([
      "lykta: the cost catalogue or the benefit weights cannot be used; nothing written.",
    ]);
    expect(existsSync(path("refused.geojson"))).toBe(false);
  });

  /** The files a plan needs (never read: the call is refused first). */
  const files = ["--paths", "p.geojson", "--lamps", "l.geojson", "--observations", "o.geojson"];
  it.each([
    [["-o", "x.geojson"], "lykta: plan needs --budget SEK"],
    [["--budget=abc", "-o", "x.geojson"], "lykta: --budget abc: give a non-negative number of SEK"],
    [
      ["--budget", "1", "--poi", "castle=c.geojson", "-o", "x.geojson"],
      "lykta: --poi castle=c.geojson: KIND is one of school, preschool, transit_stop, exercise_track, other",
    ],
    [["--budget", "1", "--lang", "fi", "-o", "x.geojson"], "lykta: --lang fi: give sv or en"],
  ])("a usage error exits 2: %j", async (args, message) => {
    const { status, out, err } = await lykta("plan", ...files, ...args);
    expect({ status, out, err }).toEqual({
      status: 2,
      out: [],
      err: [message, "Try: lykta --help"],
    });
  });

  it("takes --poi once in other commands", async () => {
    const { status, err } = await lykta("lighting", "--poi", "a", "--poi", "b");
    expect({ status, err }).toEqual({
      status: 2,
      err: ["lykta: lighting takes one --poi", "Try: lykta --help"],
    });
  });
});
