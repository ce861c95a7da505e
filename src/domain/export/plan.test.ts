/**
 * The plan export (docs/format.md, "Plan") on the hand-made street of plan.fixtures.ts.
 * Costs from data/costs.json: the repair 3,500 SEK; the brush (a point: 50 m² × 45 + 3,000)
 * 5,250 SEK; the gap (7 poles × 38,000 + 200 m × 450 + 15,000) 371,000 SEK. With 10,000 SEK
 * the plan can only be the repair and the brush.
 */
import { describe, expect, it } from "vitest";
import { testContext } from "../../../test/fixtures/context";
import { GROUPS } from "../../../test/fixtures/sites";
import { createFollowUp, editFollowUp } from "../plan/follow-up";
import { selectPlan } from "../plan/plan";
import { toCsvText } from "./csv";
import { PLAN_COLUMNS, planFeatures } from "./plan";
import { SEEN, street } from "./plan.fixtures";

const DAY_MS = 24 * 3_600_000;

const candidates = street();
const keyOf = (kind: string) => candidates.actions.find((a) => a.kind === kind)!.key;
const byKey = (features: ReturnType<typeof planFeatures>) =>
  new Map(features.map((feature) => [feature.id, feature.properties]));

describe("plan features", () => {
  const selection = selectPlan(candidates, 10_000);
  const features = planFeatures(candidates, selection, { now: SEEN, groups: GROUPS });
  const props = byKey(features);

  it("have the documented attributes, in order, with their types", () => {
    expect(features).toHaveLength(candidates.actions.length);
    for (const feature of features) {
      const p = feature.properties;
      expect(Object.keys(p)).toEqual([...PLAN_COLUMNS]);
      expect(feature.id).toBe(p.key);
      expect(p.rank === null || Number.isInteger(p.rank)).toBe(true);
      expect(typeof p.action).toBe("string");
      expect(typeof p.label).toBe("string");
      expect(p.cost_sek === null || Number.isInteger(p.cost_sek)).toBe(true);
      expect(typeof p.benefit).toBe("number");
      expect(typeof p.planned_benefit).toBe("number");
      expect(typeof p.selected).toBe("boolean");
      expect(typeof p.reasons).toBe("string");
      expect(Array.isArray(JSON.parse(p.terms as string))).toBe(true);
      for (const list of ["chosen_with", "site_ids", "observation_ids", "gap_ids", "lamp_ids"]) {
        expect(Array.isArray(p[list]), list).toBe(true);
      }
      expect(typeof p.owner).toBe("string");
      expect(p.status).toBe("proposed");
      expect(typeof p.overdue).toBe("boolean");
    }
  });

  it("tasks have no rank and no cost and are never selected; graffiti is due in 24 hours", () => {
    const graffiti = props.get(keyOf("remove_graffiti"))!;
    expect(graffiti).toMatchObject({
      rank: null,
      cost_sek: null,
      cost_basis: null,
      selected: false,
      owner: "street_department",
      deadline: "2026-11-25T18:00:00+01:00",
      overdue: false,
      observation_ids: ["obs-graffiti"],
    });
  });

  it("10,000 SEK buys the repair and the brush, not the 371,000 SEK gap", () => {
    const repair = props.get("repair_lamp:l90")!;
    const brush = props.get(keyOf("clear_brush"))!;
    const gap = props.get(keyOf("new_lamps"))!;
    expect([repair.selected, brush.selected, gap.selected]).toEqual([true, true, false]);
    expect([repair.cost_sek, brush.cost_sek, gap.cost_sek]).toEqual([3_500, 5_250, 371_000]);
    expect([repair.rank, brush.rank].sort()).toEqual([1, 2]);
    expect(gap.rank).toBe(3);
    expect(gap.planned_benefit).toBe(0);
    expect(gap.cost_basis).toBe("7 pole × 38 000 SEK + 200 m × 450 SEK + 1 project × 15 000 SEK");
    expect(gap.gap_ids).toEqual(["gap:street@80-280"]);
    expect(repair.lamp_ids).toEqual(["l90"]);
  });

  it("reasons name the terms with their points, in Swedish or English", () => {
    const repair = props.get("repair_lamp:l90")!;
    // Severity 4 × 10 points; l90 lights 70-110, of which 80-110 is dark today (30 m × 12 p
    // per 100 m); a local footway (importance 1.5) adds (1.5 - 1) × 0.2 of the 43.6 p.
    expect(repair.reasons).toBe(
      "allvarlighet 4: 40 p; 30 m blir belysta: 3,6 p; vägklass (vikt 1,5): +4,4 p",
    );
    const english = byKey(
      planFeatures(candidates, selection, { now: SEEN, language: "en", groups: GROUPS }),
    );
    expect(english.get("repair_lamp:l90")!.reasons).toBe(
      "severity 4: 40 p; 30 m newly lit: 3.6 p; path class (importance 1.5): +4.4 p",
    );
    expect(english.get("repair_lamp:l90")!.label).toBe("Repair lamp l90");
    // Severity 3 × 10, women feeling unsafe 6 p; the footway 30 m away adds 0.1 of 36 p.
    expect(english.get(keyOf("clear_brush"))!.reasons).toBe(
      "severity 3: 30 p; felt unsafe for women: 6 p; path class (importance 1.5): +3.6 p",
    );
  });

  it("a follow-up record's owner, status and deadline replace the defaults", async () => {
    const task = candidates.actions.find((a) => a.kind === "remove_graffiti")!;
    const ctx = testContext("planner-tablet");
    const record = await createFollowUp("project-1", task);
    const edited = editFollowUp(record, { owner: "property_owner", status: "in_progress" }, ctx);
    if (!edited.ok) throw new Error(edited.problem.detail);
    const later = planFeatures(candidates, selection, {
      now: SEEN + 2 * DAY_MS,
      followUps: new Map([[task.key, edited.record]]),
    });
    expect(byKey(later).get(task.key)).toMatchObject({
      owner: "property_owner",
      status: "in_progress",
      deadline: "2026-11-25T18:00:00+01:00",
      overdue: true,
    });
  });

  it("as CSV: the id, the documented columns in order, then the geometry", () => {
    const csv = toCsvText(features, { bom: false });
    expect(csv.split("\r\n")[0]).toBe(
      "id,rank,action,key,label,cost_sek,cost_basis,benefit,planned_benefit,selected," +
        "chosen_with,reasons,terms,site_ids,observation_ids,gap_ids,lamp_ids,owner,status," +
        "deadline,overdue,lon,lat,wkt",
    );
  });
});
