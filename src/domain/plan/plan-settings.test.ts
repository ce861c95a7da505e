import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import benefitWeightsData from "../../../data/benefit-weights.json";
import costsData from "../../../data/costs.json";
import { testContext } from "../../../test/fixtures/context";
import { EMPTY_FIELDS } from "../kinds";
import { mergeRecords } from "../merge";
import { type EditContext, tombstoneRecord } from "../record";
import {
  type BenefitWeights,
  benefitWeightsProblems,
  type CostCatalogue,
  costCatalogueProblems,
} from "./catalogue";
import { DERIVED_BY } from "./follow-up";
import {
  budgetOf,
  catalogueOf,
  changePlanSettings,
  costFieldsOf,
  createPlanSettings,
  DEFAULT_BUDGET_SEK,
  EMPTY_PLAN_SETTINGS_FIELDS,
  editPlanSettings,
  legacyPlanSettingsPatch,
  type PlanSettingsPatch,
  type PlanSettingsRecord,
  planSettingsFieldProblems,
  planSettingsId,
  readPlanSettings,
  weightsOf,
} from "./plan-settings";

const PROJECT = "0b7e4c1a-5d2f-4a47-9c1e-8d3f2a6b7c90";
const COSTS = costsData as CostCatalogue;
const WEIGHTS = benefitWeightsData as BenefitWeights;

async function changed(
  existing: PlanSettingsRecord | undefined,
  patch: PlanSettingsPatch,
  ctx: EditContext = testContext("tablet-a", 1),
): Promise<PlanSettingsRecord> {
  const result = await changePlanSettings(existing, PROJECT, patch, ctx);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result.record;
}

describe("plan settings record id and initial version", () => {
  it("is derived from the project id: equal on two tablets, different for another project", async () => {
    const expected = `plansettings-${createHash("sha256").update(PROJECT, "utf8").digest("hex")}`;
    expect(await planSettingsId(PROJECT)).toBe(expected);
    const onA = await createPlanSettings(PROJECT);
    const onB = await createPlanSettings(PROJECT);
    expect(onA.id).toBe(expected);
    expect(onB).toEqual(onA);
    expect(onA.kind).toBe("planSettings");
    expect(onA.projectId).toBe(PROJECT);
    expect(await planSettingsId("another-project")).not.toBe(expected);
    await expect(planSettingsId("")).rejects.toThrow();
  });

  it("starts from the shipped tables and the default budget, made by no tablet", async () => {
    const record = await createPlanSettings(PROJECT);
    expect(catalogueOf(record).items).toEqual(COSTS.items);
    expect(catalogueOf(record).assumptions).toEqual(COSTS.assumptions);
    expect(catalogueOf(record).priceYear).toBe(COSTS.priceYear);
    expect(weightsOf(record).need).toEqual(WEIGHTS.need);
    expect(weightsOf(record).exposure).toEqual(WEIGHTS.exposure);
    expect(budgetOf(record)).toBe(DEFAULT_BUDGET_SEK);
    expect(costCatalogueProblems(catalogueOf(record))).toEqual([]);
    expect(benefitWeightsProblems(weightsOf(record))).toEqual([]);
    for (const clock of Object.values(record.clock)) {
      expect(clock).toMatchObject({ version: 1, by: DERIVED_BY, at: 0, ancestors: [] });
    }
  });

  it("merges two tablets' untouched initial versions to the same record, with no conflict", async () => {
    const a = await createPlanSettings(PROJECT);
    const b = await createPlanSettings(PROJECT);
    const merged = mergeRecords(a, b);
    expect(merged.record).toEqual(a);
    expect(merged.conflicts).toEqual([]);
  });
});

describe("concurrent edits on two tablets", () => {
  it("keeps a unit cost set on one tablet and the budget set on another, with no conflict", async () => {
    const pole = { ...COSTS.items["new_lamps.pole"], unitCostSek: 42_500 };
    // Offline, neither tablet has the record: each starts it with its own change.
    const onA = await changed(undefined, { costNewLampsPole: pole }, testContext("tablet-a", 11));
    const onB = await changed(undefined, { budgetSek: 3_250_000 }, testContext("tablet-b", 12));
    expect(onA.id).toBe(onB.id);

    const ab = mergeRecords(onA, onB);
    const ba = mergeRecords(onB, onA);
    expect(ab.conflicts).toEqual([]);
    expect(ba.conflicts).toEqual([]);
    expect(ab.record).toEqual(ba.record);
    const costs = catalogueOf(ab.record);
    expect(costs.items["new_lamps.pole"].unitCostSek).toBe(42_500);
    expect(costs.items["new_lamps.cable"]).toEqual(COSTS.items["new_lamps.cable"]);
    expect(budgetOf(ab.record)).toBe(3_250_000);
  });

  it("keeps two different unit costs, and weights beside costs", async () => {
    const base = await createPlanSettings(PROJECT);
    const cable = { ...COSTS.items["new_lamps.cable"], unitCostSek: 600 };
    const trim = { ...COSTS.items["trim_trees.lamp"], unitCostSek: 3100 };
    const need = { ...WEIGHTS.need, pointsPerExtraWalk: 12 };
    const onA = await changed(base, { costNewLampsCable: cable }, testContext("tablet-a", 3));
    const onB = await changed(
      base,
      { costTrimTreesLamp: trim, needWeights: need },
      testContext("tablet-b", 4),
    );
    const merged = mergeRecords(onA, onB);
    expect(merged.conflicts).toEqual([]);
    expect(catalogueOf(merged.record).items["new_lamps.cable"].unitCostSek).toBe(600);
    expect(catalogueOf(merged.record).items["trim_trees.lamp"].unitCostSek).toBe(3100);
    expect(weightsOf(merged.record).need.pointsPerExtraWalk).toBe(12);
  });

  it("logs the losing value when both tablets change the same unit cost", async () => {
    const base = await createPlanSettings(PROJECT);
    const pole = (sek: number) => ({ ...COSTS.items["new_lamps.pole"], unitCostSek: sek });
    const onA = await changed(base, { costNewLampsPole: pole(40_000) }, testContext("a", 5));
    const onB = await changed(base, { costNewLampsPole: pole(45_000) }, testContext("b", 6));
    const merged = mergeRecords(onA, onB);
    expect(merged.conflicts).toHaveLength(1);
    expect(merged.conflicts[0]!.field).toBe("costNewLampsPole");
    expect(merged.record).toEqual(mergeRecords(onB, onA).record);
  });

  it("orders initial versions made from different shipped tables instead of keeping either", async () => {
    const current = await createPlanSettings(PROJECT);
    // A tablet whose app shipped another pole price writes another version 1 of that field.
    const other = structuredClone(current);
    other.fields.costNewLampsPole = { ...COSTS.items["new_lamps.pole"], unitCostSek: 1 };
    other.clock.costNewLampsPole = { ...other.clock.costNewLampsPole, nonce: 7 };
    const ab = mergeRecords(current, other);
    const ba = mergeRecords(other, current);
    expect(ab.record).toEqual(ba.record);
    // The other fields came from the same tables: the same clocks, nothing to log.
    expect(ab.conflicts.map((conflict) => conflict.field)).toEqual(["costNewLampsPole"]);
  });
});

describe("plan settings validation", () => {
  it("refuses invalid values with where and why, and changes nothing", async () => {
    const base = await createPlanSettings(PROJECT);
    const ctx = testContext();
    const cases: [PlanSettingsPatch, string, string][] = [
      [
        { costNewLampsPole: { ...COSTS.items["new_lamps.pole"], unitCostSek: -5 } },
        "costNewLampsPole",
        'items["new_lamps.pole"].unitCostSek',
      ],
      [
        { costClearBrushArea: { unit: "", unitCostSek: 45, includes: "" } },
        "costClearBrushArea",
        'items["clear_brush.area"].unit',
      ],
      [
        { costAssumptions: { ...COSTS.assumptions, newLampSpacingM: 0 } },
        "costAssumptions",
        "assumptions.newLampSpacingM",
      ],
      [{ costPriceYear: 1200 }, "costPriceYear", "priceYear"],
      [
        { needWeights: { ...WEIGHTS.need, maxExtraReports: Number.NaN } },
        "needWeights",
        "need.maxExtraReports",
      ],
      [
        { exposureWeights: { ...WEIGHTS.exposure, priorityAreaFactor: 1000 } },
        "exposureWeights",
        "exposure.priorityAreaFactor",
      ],
      [{ budgetSek: -1 }, "budgetSek", "budgetSek"],
      [{ budgetSek: Number.POSITIVE_INFINITY }, "budgetSek", "budgetSek"],
    ];
    for (const [patch, field, path] of cases) {
      const result = editPlanSettings(base, patch, ctx);
      expect(result.ok, field).toBe(false);
      if (result.ok) continue;
      expect(result.problems[0]).toMatchObject({ field, path });
      expect(result.problems[0]!.reason).not.toBe("");
      const started = await changePlanSettings(undefined, PROJECT, patch, ctx);
      expect(started.ok).toBe(false);
    }
    expect(planSettingsFieldProblems("costNewLampsCable", "450")).toMatchObject([
      { field: "costNewLampsCable", path: 'items["new_lamps.cable"]' },
    ]);
  });

  it("rounds the budget to whole SEK; a change that changes nothing returns the same record", async () => {
    const base = await createPlanSettings(PROJECT);
    const result = editPlanSettings(base, { budgetSek: 1_234_567.6 }, testContext());
    expect(result.ok && result.record.fields.budgetSek).toBe(1_234_568);
    const same = editPlanSettings(base, { budgetSek: DEFAULT_BUDGET_SEK }, testContext());
    expect(same.ok && same.record).toBe(base);
  });

  it("reads a field a newer app wrote, or a broken one, as the shipped default with a problem", async () => {
    const base = await createPlanSettings(PROJECT);
    const odd = structuredClone(base) as PlanSettingsRecord;
    const fields = odd.fields as unknown as Record<string, unknown>;
    // A newer app's shape of a cost item, and a budget in another unit.
    fields.costRepairLampLamp = { unit: "lamp", unitCostSek: { amount: 3900, currency: "SEK" } };
    fields.budgetSek = "2 MSEK";
    // A field this app does not know (a newer app's new cost item) is kept and not used.
    fields.costSolarLamp = { unit: "lamp", unitCostSek: 25_000, includes: "" };
    // A field an older app's record does not have yet takes the default silently.
    delete fields.costClearBrushSite;
    const read = readPlanSettings(odd);
    expect(read.costs.items["repair_lamp.lamp"]).toEqual(COSTS.items["repair_lamp.lamp"]);
    expect(read.costs.items["clear_brush.site"]).toEqual(COSTS.items["clear_brush.site"]);
    expect(read.budgetSek).toBe(DEFAULT_BUDGET_SEK);
    expect(read.problems.map((problem) => problem.field).sort()).toEqual([
      "budgetSek",
      "costRepairLampLamp",
    ]);
    expect(costCatalogueProblems(read.costs)).toEqual([]);
    expect(readPlanSettings(undefined).problems).toEqual([]);
    expect(catalogueOf(undefined).items).toEqual(COSTS.items);
  });
});

describe("plan settings tombstone", () => {
  it("keeps nothing; a deleted record reads as the shipped tables and comes back on a change", async () => {
    const edited = await changed(undefined, {
      costNewLampsPole: { ...COSTS.items["new_lamps.pole"], unitCostSek: 50_000 },
      budgetSek: 900_000,
    });
    expect(EMPTY_FIELDS.planSettings).toBe(EMPTY_PLAN_SETTINGS_FIELDS);
    const deleted = tombstoneRecord(edited, EMPTY_PLAN_SETTINGS_FIELDS, testContext("a", 9));
    expect(deleted.deleted).toBe(true);
    expect(Object.keys(deleted.fields).sort()).toEqual(Object.keys(edited.fields).sort());
    for (const value of Object.values(deleted.fields)) expect(value).toBeNull();
    expect(readPlanSettings(deleted)).toMatchObject({
      budgetSek: DEFAULT_BUDGET_SEK,
      problems: [],
    });
    expect(catalogueOf(deleted).items["new_lamps.pole"]).toEqual(COSTS.items["new_lamps.pole"]);

    const back = await changed(deleted, { budgetSek: 1_000_000 }, testContext("b", 10));
    expect(back.deleted).toBe(false);
    expect(budgetOf(back)).toBe(1_000_000);
    expect(catalogueOf(back).items).toEqual(COSTS.items);
  });
});

describe("settings kept on a device before the record", () => {
  const legacy = {
    costs: {
      ...COSTS,
      items: {
        ...COSTS.items,
        "new_lamps.pole": { ...COSTS.items["new_lamps.pole"], unitCostSek: 41_000 },
      },
    },
    weights: WEIGHTS,
    budgetSek: 1_500_000,
  };

  it("moves the values that differ from the shipped ones", () => {
    expect(legacyPlanSettingsPatch(undefined, legacy)).toEqual({
      costNewLampsPole: { ...COSTS.items["new_lamps.pole"], unitCostSek: 41_000 },
      budgetSek: 1_500_000,
    });
    expect(legacyPlanSettingsPatch(undefined, { costs: COSTS, weights: WEIGHTS })).toEqual({});
  });

  it("ignores broken values and leaves fields a planner has set in the record alone", async () => {
    expect(legacyPlanSettingsPatch(undefined, "{")).toEqual({});
    expect(legacyPlanSettingsPatch(undefined, { costs: { items: {} }, budgetSek: -3 })).toEqual({});
    const record = await changed(undefined, { budgetSek: 2_500_000 });
    expect(legacyPlanSettingsPatch(record, legacy)).toEqual({
      costNewLampsPole: { ...COSTS.items["new_lamps.pole"], unitCostSek: 41_000 },
    });
    expect(Object.keys(costFieldsOf(COSTS))).toHaveLength(10);
  });
});
