/**
 * The budget plan on hand-made places: a 400 m unlit footway with lamps every 30 m except a
 * stretch where one lamp is off and the next ones are missing, and reports around it.
 * Coverage radius 20 m, so lit and dark metres are worked out by hand from lamp positions.
 */
import { describe, expect, it } from "vitest";
import benefitWeightsData from "../../../data/benefit-weights.json";
import costsData from "../../../data/costs.json";
import { CHECKLIST, report } from "../../../test/fixtures/sites";
import { lightingObservationsFromRecords } from "../lighting/inputs";
import { at, CLASSES, lamp, path } from "../lighting/lighting.fixtures";
import { createLightingModel } from "../lighting/model";
import type { LightingArea, LightingPoi } from "../lighting/types";
import type { ObservationRecord } from "../observation";
import { groupSites } from "../sites";
import {
  type BenefitWeights,
  benefitWeightsProblems,
  type CostCatalogue,
  costCatalogueProblems,
} from "./catalogue";
import { buildCandidates, type PlanCandidates, selectPlan } from "./plan";

const COSTS = costsData as CostCatalogue;
const WEIGHTS = benefitWeightsData as BenefitWeights;
const HOUR_MS = 3_600_000;

const point = (x: number, y: number) => ({ type: "Point" as const, coordinates: at(x, y) });

/** Lamps at 0, 30, 60 (on), 90 (off), 300 … 390 (on); R = 20 m. Lit today: 0-80 and 280-400. */
function world(
  observations: ObservationRecord[],
  extra: { pois?: LightingPoi[]; areas?: LightingArea[] } = {},
) {
  const model = createLightingModel(
    {
      paths: [
        path(
          "street",
          [
            [0, 0],
            [400, 0],
          ],
          { lit: "no", pathClass: "local_footway" },
        ),
      ],
      lamps: [
        lamp("l0", 0, 0),
        lamp("l30", 30, 0),
        lamp("l60", 60, 0),
        lamp("l90", 90, 0, { status: "off" }),
        lamp("l300", 300, 0),
        lamp("l330", 330, 0),
        lamp("l360", 360, 0),
        lamp("l390", 390, 0),
      ],
      observations: lightingObservationsFromRecords(observations),
    },
    { classes: CLASSES, radiusM: 20 },
  );
  const lighting = model.coverage();
  const sites = groupSites(observations, [], CHECKLIST);
  return buildCandidates(
    {
      observations,
      sites,
      model,
      lighting,
      pois: extra.pois ?? [],
      priorityAreas: extra.areas ?? [],
    },
    { costs: COSTS, weights: WEIGHTS },
  );
}

const actionOf = (plan: PlanCandidates, key: string) => {
  const action = plan.actions.find((a) => a.key === key);
  if (action === undefined)
    throw new Error(`no action ${key}: ${plan.actions.map((a) => a.key).join(", ")}`);
  return action;
};
const term = (
  action: { benefit: { terms: { term: string; value: number; points: number }[] } },
  name: string,
) => action.benefit.terms.find((t) => t.term === name);

describe("the shipped tables", () => {
  it("data/costs.json and data/benefit-weights.json are valid", () => {
    expect(costCatalogueProblems(costsData)).toEqual([]);
    expect(benefitWeightsProblems(benefitWeightsData)).toEqual([]);
  });

  it("a broken edit is refused with where and why", () => {
    const broken = structuredClone(costsData) as Record<string, unknown>;
    (broken.items as Record<string, { unitCostSek: unknown }>)["repair_lamp.lamp"]!.unitCostSek =
      "abc";
    expect(costCatalogueProblems(broken)).toEqual([
      { path: 'items["repair_lamp.lamp"].unitCostSek', reason: 'must be a number, not "abc"' },
    ]);
    const newer = { ...benefitWeightsData, formatVersion: 2 };
    expect(benefitWeightsProblems(newer)[0]!.reason).toMatch(/newer version of Lykta/);
  });
});

describe("candidate actions", () => {
  it("a dark gap gets new poles at the catalogue's spacing, priced line by line", () => {
    const plan = world([]);
    // Gap 80-280 m: 200 m / 30 m spacing = 6.67 -> 7 poles.
    const gap = plan.actions.find((a) => a.kind === "new_lamps")!;
    expect(gap.newLamps).toHaveLength(7);
    expect(gap.cost!.lines.map((l) => [l.item, l.quantity])).toEqual([
      ["new_lamps.pole", 7],
      ["new_lamps.cable", 200],
      ["new_lamps.site", 1],
    ]);
    expect(gap.cost!.costSek).toBe(7 * 38_000 + 200 * 450 + 15_000);
    // 7 poles 28.6 m apart with R = 20 m light the whole gap.
    expect(term(gap, "newly_lit")!.value).toBeCloseTo(200, 0);
  });

  it("the lamp that is off becomes a repair, linked to the broken-lamp report beside it", () => {
    const broken = report("obs-broken", "lighting.broken", point(92, 3), { severity: 4 });
    const plan = world([broken]);
    const repair = actionOf(plan, "repair_lamp:l90");
    expect(repair.observationIds).toEqual(["obs-broken"]);
    expect(repair.cost!.costSek).toBe(3_500);
    // Lamp at 90 lights 70-110; 70-80 is lit already: 30 m newly lit.
    expect(term(repair, "newly_lit")!.value).toBeCloseTo(30, 0);
    expect(term(repair, "severity")!.points).toBe(4 * 10);
    // The report is answered by the repair, not by a second "unknown lamp" repair.
    expect(plan.actions.filter((a) => a.observationIds.includes("obs-broken"))).toHaveLength(1);
  });

  it("graffiti and litter are tasks outside the budget, due 24 h after the observation", () => {
    const seen = Date.UTC(2026, 10, 24, 17, 0, 0);
    const graffiti = report("obs-graffiti", "maintenance.graffiti", point(200, 5), {
      observedAt: seen,
    });
    const camera = report("obs-camera", "measures.camera", point(150, 5), { observedAt: seen });
    const plan = world([graffiti, camera]);
    const task = plan.actions.find((a) => a.kind === "remove_graffiti")!;
    expect(task.cost).toBeNull();
    expect(task.defaultDeadlineAt).toBe(seen + 24 * HOUR_MS);
    expect(task.defaultOwner).toBe("street_department");
    const cameraTask = plan.actions.find((a) => a.kind === "camera_review")!;
    expect(cameraTask.defaultDeadlineAt).toBeNull();
    expect(cameraTask.defaultOwner).toBe("police");
    // Tasks are in no budget group.
    const grouped = new Set(plan.groups.flatMap((g) => g.actionIndexes));
    expect(grouped.has(plan.actions.indexOf(task))).toBe(false);
  });

  it("brush area: a drawn 10 x 20 m polygon, a 50 m line x 4 m, a point's 50 m2", () => {
    const polygon = {
      type: "Polygon" as const,
      coordinates: [[at(100, 10), at(120, 10), at(120, 20), at(100, 20), at(100, 10)]],
    };
    const line = { type: "LineString" as const, coordinates: [at(150, -10), at(200, -10)] };
    const plan = world([
      report("b-poly", "vegetation.brush_sightlines", polygon),
      report("b-line", "vegetation.overgrown_path", line),
      report("b-point", "sightlines.hiding_place", point(390, 60)),
    ]);
    const areaOf = (id: string) =>
      plan.actions
        .find((a) => a.observationIds.includes(id))!
        .cost!.lines.find((l) => l.item === "clear_brush.area")!.quantity;
    expect(areaOf("b-poly")).toBeGreaterThanOrEqual(199);
    expect(areaOf("b-poly")).toBeLessThanOrEqual(201);
    expect(areaOf("b-line")).toBeGreaterThanOrEqual(199);
    expect(areaOf("b-line")).toBeLessThanOrEqual(201);
    expect(areaOf("b-point")).toBe(50);
    const pointCost = plan.actions.find((a) => a.observationIds.includes("b-point"))!.cost!;
    expect(pointCost.costSek).toBe(50 * 45 + 3_000);
  });
});

describe("score terms", () => {
  const brush = (id: string, walkId = "walk-1") =>
    report(id, "vegetation.brush_sightlines", point(200, 30), { walkId, severity: 3 });
  const brushAction = (plan: PlanCandidates) => plan.actions.find((a) => a.kind === "clear_brush")!;

  it("a school nearby raises the score by its factor of the need", () => {
    const without = brushAction(world([brush("b1")]));
    const school: LightingPoi = { id: "school-1", kind: "school", position: at(200, 250) };
    const withSchool = brushAction(world([brush("b1")], { pois: [school] }));
    const farSchool: LightingPoi = { id: "school-2", kind: "school", position: at(200, 800) };
    const withFarSchool = brushAction(world([brush("b1")], { pois: [farSchool] }));
    expect(withSchool.benefit.benefit).toBeGreaterThan(without.benefit.benefit);
    const poiTerm = withSchool.benefit.terms.find((t) => t.term === "exposure_poi")!;
    expect(poiTerm.from).toEqual(["school-1"]);
    // Severity 3 -> 30 points of need; the school (220 m, within 300 m) adds 0.3 of it.
    expect(poiTerm.points).toBeCloseTo(30 * 0.3, 6);
    expect(withFarSchool.benefit.benefit).toBe(without.benefit.benefit);
  });

  it("a report from a second walk raises it; a second report from the same walk less", () => {
    const one = brushAction(world([brush("b1")]));
    const sameWalk = brushAction(world([brush("b1"), brush("b2")]));
    const secondWalk = brushAction(world([brush("b1"), brush("b2", "walk-2")]));
    expect(sameWalk.benefit.benefit).toBeGreaterThan(one.benefit.benefit);
    expect(secondWalk.benefit.benefit).toBeGreaterThan(sameWalk.benefit.benefit);
    expect(term(secondWalk, "walks")).toMatchObject({ value: 1, points: 8 });
    expect(term(sameWalk, "walks")).toBeUndefined();
    expect(term(sameWalk, "reports")).toMatchObject({ value: 1, points: 4 });
  });

  it("a site inside a priority area raises it; one outside does not", () => {
    const around = (x0: number, x1: number): LightingArea => ({
      id: `area-${x0}`,
      name: "Prioriterat område",
      polygons: [[[at(x0, -100), at(x1, -100), at(x1, 100), at(x0, 100), at(x0, -100)]]],
    });
    const base = brushAction(world([brush("b1")]));
    const inside = brushAction(world([brush("b1")], { areas: [around(150, 250)] }));
    const outside = brushAction(world([brush("b1")], { areas: [around(300, 400)] }));
    expect(inside.benefit.benefit).toBeGreaterThan(base.benefit.benefit);
    expect(term(inside, "priority_area")!.points).toBeCloseTo(30 * 0.25, 6);
    expect(outside.benefit.benefit).toBe(base.benefit.benefit);
  });

  it("women feeling unsafe adds their group's points; 'everyone' adds none", () => {
    const everyone = brushAction(world([brush("b1")]));
    const women = brushAction(
      world([
        report("b1", "vegetation.brush_sightlines", point(200, 30), {
          feltUnsafe: ["women", "elderly"],
        }),
      ]),
    );
    expect(term(everyone, "felt_unsafe")).toBeUndefined();
    expect(term(women, "felt_unsafe")).toMatchObject({ value: 2, points: 12 });
  });

  it("terms add up to the benefit", () => {
    const plan = world([brush("b1"), brush("b2", "walk-2")], {
      pois: [{ id: "stop", kind: "transit_stop", position: at(210, 40) }],
    });
    for (const action of plan.actions) {
      const sum = action.benefit.terms.reduce((s, t) => s + t.points, 0);
      expect(sum).toBeCloseTo(action.benefit.benefit, 9);
    }
  });
});

describe("overlapping actions", () => {
  const broken = () => report("obs-broken", "lighting.broken", point(92, 3), { severity: 4 });

  it("a repair and new lamps over the same gap form one group of three alternatives", () => {
    const plan = world([broken()]);
    const repair = plan.actions.findIndex((a) => a.key === "repair_lamp:l90");
    const gap = plan.actions.findIndex((a) => a.kind === "new_lamps");
    const group = plan.groups.find((g) => g.actionIndexes.includes(repair))!;
    expect([...group.actionIndexes].sort()).toEqual([repair, gap].sort());
    expect(group.alternatives).toHaveLength(3);
  });

  it("doing both does not light the same metres twice", () => {
    const plan = world([broken()]);
    const repair = plan.actions.findIndex((a) => a.key === "repair_lamp:l90");
    const gap = plan.actions.findIndex((a) => a.kind === "new_lamps");
    const group = plan.groups.find((g) => g.actionIndexes.includes(repair))!;
    const both = group.alternatives.find((a) => a.actionIndexes.length === 2)!;
    const lit = (b: { terms: { term: string; value: number }[] }) =>
      b.terms.find((t) => t.term === "newly_lit")!.value;
    // New lamps light all of 80-280; the repair's 80-110 is inside it: 200 m, not 230 m.
    expect(lit(both.benefit)).toBeCloseTo(200, 0);
    expect(lit(both.benefit)).toBeLessThan(
      lit(plan.actions[repair]!.benefit) + lit(plan.actions[gap]!.benefit) - 1,
    );
    expect(both.benefit.benefit).toBeLessThan(
      plan.actions[repair]!.benefit.benefit + plan.actions[gap]!.benefit.benefit,
    );
    expect(both.costSek).toBe(
      plan.actions[repair]!.cost!.costSek + plan.actions[gap]!.cost!.costSek,
    );
  });

  it("two reports of one place answered by two actions count once in the pair", () => {
    // A dark-stretch report inside the gap is answered by the gap; a broken-lamp report at the
    // off lamp by the repair. The pair's severity is the sum over the two places, each once.
    const dark = report("obs-dark", "lighting.dark_stretch", point(180, 2), { severity: 5 });
    const plan = world([broken(), dark]);
    const repair = plan.actions.findIndex((a) => a.key === "repair_lamp:l90");
    const group = plan.groups.find((g) => g.actionIndexes.includes(repair))!;
    const both = group.alternatives.find((a) => a.actionIndexes.length === 2)!;
    expect(both.benefit.terms.find((t) => t.term === "severity")!.value).toBe(4 + 5);
  });
});

describe("selection under a budget", () => {
  const plan = () =>
    world([
      report("obs-broken", "lighting.broken", point(92, 3), { severity: 4 }),
      report("b1", "vegetation.brush_sightlines", point(200, 30)),
    ]);

  it("never exceeds the budget, and picks at most one alternative per group", () => {
    const candidates = plan();
    for (const budget of [0, 3_000, 3_500, 10_000, 20_000, 400_000, 1_000_000]) {
      const selection = selectPlan(candidates, budget);
      const cost = candidates.actions.reduce(
        (sum, a, i) => sum + (selection.selected[i] ? (a.cost?.costSek ?? 0) : 0),
        0,
      );
      expect(cost).toBeLessThanOrEqual(budget);
      expect(selection.selectedCostSek).toBe(cost);
    }
  });

  it("ranks every investment, selected first; tasks have no rank", () => {
    const candidates = world([
      report("obs-broken", "lighting.broken", point(92, 3), { severity: 4 }),
      report("g1", "maintenance.litter", point(10, 10)),
    ]);
    const selection = selectPlan(candidates, 3_500);
    const repair = candidates.actions.findIndex((a) => a.key === "repair_lamp:l90");
    expect(selection.selected[repair]).toBe(true);
    expect(selection.rank[repair]).toBe(1);
    const litter = candidates.actions.findIndex((a) => a.kind === "remove_litter");
    expect(selection.rank[litter]).toBeNull();
    const ranks = selection.rank.filter((r): r is number => r !== null).sort((a, b) => a - b);
    expect(ranks).toEqual(ranks.map((_, i) => i + 1));
  });

  it("the marginal benefit of the next 100,000 SEK is what a larger budget adds", () => {
    const candidates = plan();
    const selection = selectPlan(candidates, 10_000);
    const larger = selectPlan(candidates, 110_000);
    expect(selection.marginalNext100kBenefit).toBeCloseTo(
      larger.selectedBenefit - selection.selectedBenefit,
      9,
    );
  });
});
