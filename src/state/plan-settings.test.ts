import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { testContext } from "../../test/fixtures/context";
import {
  changePlanSettings,
  type PlanSettingsRecord,
  planSettingsId,
} from "../domain/plan/plan-settings";
import { createProject } from "../domain/project";
import { LyktaDatabase } from "../storage/database";
import {
  BUDGET_WRITE_DELAY_MS,
  commitPlanBudget,
  DEFAULT_BUDGET_SEK,
  DEFAULT_COSTS,
  DEFAULT_WEIGHTS,
  legacyStorageKey,
  loadPlanSettings,
  planBudgetSek,
  planCosts,
  planSettingsLoaded,
  planSettingsReady,
  planSettingsWritten,
  planWeights,
  refreshPlanSettingsFor,
  resetPlanTables,
  setPlanBudget,
  setPlanCosts,
  setPlanWeights,
} from "./plan-settings";
import { setSession } from "./session";

const opened: LyktaDatabase[] = [];
let counter = 0;

async function open(name = `lykta-plan-settings-${++counter}-${Math.random()}`) {
  const db = await LyktaDatabase.open({ name });
  opened.push(db);
  setSession(db, "tablet-a");
  return { db, name };
}

async function newProject(db: LyktaDatabase) {
  const project = createProject({ name: "Vivalla", organisation: "Örebro kommun" }, testContext());
  await db.putRecords([project]);
  return project.id;
}

async function stored(db: LyktaDatabase, projectId: string) {
  return db.getRecord<PlanSettingsRecord>(await planSettingsId(projectId));
}

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  delete (globalThis as { localStorage?: Storage }).localStorage;
});

describe("plan settings state", () => {
  it("shows the shipped tables at once, stores edits in the project's record, reads them back", async () => {
    const { db, name } = await open();
    const projectId = await newProject(db);
    loadPlanSettings(projectId);
    expect(planCosts.value).toBe(DEFAULT_COSTS);
    expect(planSettingsLoaded.value).toBeNull();
    await planSettingsReady();
    expect(planSettingsLoaded.value).toBe(projectId);
    // Opening the screen writes nothing.
    expect(await stored(db, projectId)).toBeUndefined();

    const costs = structuredClone(planCosts.value);
    costs.items["new_lamps.cable"].unitCostSek = 520;
    expect(setPlanCosts(costs)).toEqual([]);
    expect(planCosts.value).toBe(costs);
    const broken = structuredClone(costs);
    broken.items["new_lamps.cable"].unitCostSek = -1;
    expect(setPlanCosts(broken)).toMatchObject([{ path: 'items["new_lamps.cable"].unitCostSek' }]);
    const weights = structuredClone(planWeights.value);
    weights.exposure.priorityAreaFactor = 0.5;
    expect(setPlanWeights(weights)).toEqual([]);
    await planSettingsWritten();

    const record = await stored(db, projectId);
    expect(record?.fields.costNewLampsCable?.unitCostSek).toBe(520);
    expect(record?.fields.exposureWeights?.priorityAreaFactor).toBe(0.5);
    // Only what was edited is a planner's version; the rest is the shared initial version.
    expect(record?.clock.costNewLampsCable.version).toBe(2);
    expect(record?.clock.costNewLampsPole.version).toBe(1);
    // The signals keep the editor's objects: the plan screen compares them by identity.
    expect(planCosts.value).toBe(costs);
    expect(planWeights.value).toBe(weights);

    db.close();
    loadPlanSettings("another-project");
    expect(planCosts.value).toBe(DEFAULT_COSTS);
    await planSettingsReady();
    const reopened = await open(name);
    loadPlanSettings(projectId);
    await planSettingsReady();
    expect(planCosts.value.items["new_lamps.cable"].unitCostSek).toBe(520);
    expect(planWeights.value.exposure.priorityAreaFactor).toBe(0.5);

    resetPlanTables();
    expect(planCosts.value).toBe(DEFAULT_COSTS);
    await planSettingsWritten();
    const reset = await stored(reopened.db, projectId);
    expect(reset?.fields.costNewLampsCable).toEqual(DEFAULT_COSTS.items["new_lamps.cable"]);
    expect(reset?.fields.exposureWeights).toEqual(DEFAULT_WEIGHTS.exposure);
  });

  it("writes the budget once after the slider stops, not per move", async () => {
    const { db } = await open();
    const projectId = await newProject(db);
    loadPlanSettings(projectId);
    await planSettingsReady();
    for (let sek = 1_000_000; sek <= 1_500_000; sek += 50_000) setPlanBudget(sek);
    expect(planBudgetSek.value).toBe(1_500_000);
    await new Promise((resolve) => setTimeout(resolve, BUDGET_WRITE_DELAY_MS / 2));
    expect(await stored(db, projectId)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, BUDGET_WRITE_DELAY_MS));
    await commitPlanBudget();
    const record = await stored(db, projectId);
    expect(record?.fields.budgetSek).toBe(1_500_000);
    // One write: version 2 above the shared initial version.
    expect(record?.clock.budgetSek.version).toBe(2);

    setPlanBudget(1_250_000.4);
    expect(await commitPlanBudget()).toBe(true);
    expect((await stored(db, projectId))?.fields.budgetSek).toBe(1_250_000);
    setPlanBudget(-5);
    expect(planBudgetSek.value).toBe(1_250_000);
  });

  it("shows another tablet's change merged into the record, keeping equal tables' objects", async () => {
    const { db } = await open();
    const projectId = await newProject(db);
    loadPlanSettings(projectId);
    await planSettingsReady();
    const costsBefore = planCosts.value;
    const result = await changePlanSettings(
      undefined,
      projectId,
      { budgetSek: 4_000_000 },
      testContext("tablet-b", 3),
    );
    if (!result.ok) throw new Error("refused");
    refreshPlanSettingsFor([result.record]);
    expect(planBudgetSek.value).toBe(4_000_000);
    expect(planCosts.value).toBe(costsBefore);
  });

  it("moves a device's settings from localStorage into the record once", async () => {
    const { db } = await open();
    const projectId = await newProject(db);
    const items = new Map<string, string>();
    (globalThis as { localStorage?: Partial<Storage> }).localStorage = {
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => void items.set(key, value),
      removeItem: (key) => void items.delete(key),
    };
    const costs = structuredClone(DEFAULT_COSTS);
    costs.items["upgrade_lamp.luminaire"].unitCostSek = 9900;
    items.set(
      legacyStorageKey(projectId),
      JSON.stringify({ costs, weights: DEFAULT_WEIGHTS, budgetSek: 1_750_000 }),
    );
    loadPlanSettings(projectId);
    await planSettingsReady();
    expect(planCosts.value.items["upgrade_lamp.luminaire"].unitCostSek).toBe(9900);
    expect(planBudgetSek.value).toBe(1_750_000);
    expect(items.has(legacyStorageKey(projectId))).toBe(false);
    const record = await stored(db, projectId);
    expect(record?.fields.budgetSek).toBe(1_750_000);
    expect(record?.clock.needWeights.version).toBe(1);

    loadPlanSettings("elsewhere");
    await planSettingsReady();
    expect(planBudgetSek.value).toBe(DEFAULT_BUDGET_SEK);
  });
});
