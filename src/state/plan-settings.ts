/**
 * The budget plan's settings of the open project (issue 6): cost catalogue, benefit weights and
 * budget, stored as the project's `planSettings` record (src/domain/plan/plan-settings.ts) that
 * travels in `.lykta` packages and merges field by field. src/state/plan.ts re-exports all of
 * this; screens import it from there.
 *
 *   loadPlanSettings(projectId);          // sync: shipped defaults at once, the record soon
 *   await planSettingsReady();            // when the values must be the stored ones (runPlan does)
 *   planCosts.value / planWeights.value / planBudgetSek.value
 *   setPlanCosts(catalogue)               // [] or the problems (path, reason); written at once
 *   setPlanBudget(sek)                    // the signal at once; the record 500 ms after the last call
 *   await commitPlanBudget();             // optional: write a pending budget now (slider change event)
 *
 * Writes go through `commit` (stored, shown, announced to other tabs, in the next package).
 * Only the fields an edit changed are written, so a screen showing a value another tablet has
 * since changed does not overwrite that value by editing something else.
 */
import { batch, signal } from "@preact/signals";
import { valuesEqual } from "../domain/equal";
import {
  type BenefitWeights,
  benefitWeightsProblems,
  type CostCatalogue,
  costCatalogueProblems,
  type TableProblem,
} from "../domain/plan/catalogue";
import {
  changedFields,
  changePlanSettings,
  costFieldsOf,
  DEFAULT_BUDGET_SEK,
  legacyPlanSettingsPatch,
  MAX_BUDGET_SEK,
  type PlanSettingsPatch,
  type PlanSettingsProblem,
  type PlanSettingsRecord,
  planSettingsId,
  readPlanSettings,
  SHIPPED_COSTS,
  SHIPPED_WEIGHTS,
  weightFieldsOf,
} from "../domain/plan/plan-settings";
import type { SyncedRecord } from "../domain/record";
import { commit } from "./actions";
import { ctx, db, reportStorageError } from "./session";

export { DEFAULT_BUDGET_SEK };
export const DEFAULT_COSTS: CostCatalogue = SHIPPED_COSTS;
export const DEFAULT_WEIGHTS: BenefitWeights = SHIPPED_WEIGHTS;

/** The budget is written this long after the slider's last move (not once per pixel). */
export const BUDGET_WRITE_DELAY_MS = 500;

export const planCosts = signal<CostCatalogue>(DEFAULT_COSTS);
export const planWeights = signal<BenefitWeights>(DEFAULT_WEIGHTS);
export const planBudgetSek = signal<number>(DEFAULT_BUDGET_SEK);
/** The project whose stored settings the signals hold; null while loading (defaults shown). */
export const planSettingsLoaded = signal<string | null>(null);
/**
 * Fields of the stored settings this app cannot use (from a newer app, or broken): the
 * shipped default is used for each. For a notice; nothing needs to be done about them.
 */
export const planSettingsProblems = signal<PlanSettingsProblem[]>([]);

/** The project the settings are for (loadPlanSettings); null: none yet, edits stay unsaved. */
let settingsProjectId: string | null = null;
/** Reads and writes one after another: a change reads the record the previous one wrote. */
let queue: Promise<unknown> = Promise.resolve();
let loading: Promise<void> = Promise.resolve();
/** Changes queued and not yet written (the signals show them already). */
let writesQueued = 0;
/** Raised by every local change: a load started before one must not show older values. */
let editGeneration = 0;
let pendingBudget: {
  projectId: string;
  budgetSek: number;
  timer: ReturnType<typeof setTimeout>;
} | null = null;

function enqueue<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task);
  queue = run.catch(() => undefined);
  return run;
}

/** localStorage key of the settings before the record (Lykta 0.x); read once, then removed. */
export const legacyStorageKey = (projectId: string) => `lykta.plan.v1.${projectId}`;

/**
 * Show a project's plan settings. Synchronous, so effects may call it: the signals show the
 * shipped tables at once when the project changes (never another project's values), and the
 * project's record replaces them as soon as it is read (`planSettingsReady()` resolves then).
 * A project's settings kept on this device before the record existed are moved into it once.
 */
export function loadPlanSettings(projectId: string): void {
  if (projectId !== settingsProjectId) {
    void commitPlanBudget();
    settingsProjectId = projectId;
    batch(() => {
      planCosts.value = DEFAULT_COSTS;
      planWeights.value = DEFAULT_WEIGHTS;
      planBudgetSek.value = DEFAULT_BUDGET_SEK;
      planSettingsProblems.value = [];
      planSettingsLoaded.value = null;
    });
  }
  loading = enqueue(() => readSettings(projectId));
}

/** Resolves when the last loadPlanSettings has read the record (never rejects). */
export function planSettingsReady(): Promise<void> {
  return loading;
}

/** The project's settings, loaded if they are not (runPlan waits for them). */
export function ensurePlanSettings(projectId: string): Promise<void> {
  if (projectId !== settingsProjectId) loadPlanSettings(projectId);
  return loading;
}

/** Read the open project's settings again (after a package was merged), if they are loaded. */
export async function reloadPlanSettings(projectId: string): Promise<void> {
  if (projectId !== settingsProjectId) return;
  loadPlanSettings(projectId);
  await loading;
}

async function readSettings(projectId: string): Promise<void> {
  const generation = editGeneration;
  let record: PlanSettingsRecord | undefined;
  try {
    record = await db().getRecord<PlanSettingsRecord>(await planSettingsId(projectId));
    record = await moveLegacySettings(projectId, record);
  } catch (error) {
    reportStorageError(error);
  }
  if (projectId !== settingsProjectId) return;
  // A change made while reading is written after this; its commit shows the record.
  if (generation === editGeneration) showSettings(record);
  planSettingsLoaded.value = projectId;
}

/** The settings this device kept in localStorage before the record: into the record, once. */
async function moveLegacySettings(
  projectId: string,
  record: PlanSettingsRecord | undefined,
): Promise<PlanSettingsRecord | undefined> {
  const storage = globalThis.localStorage as Storage | undefined;
  let text: string | null = null;
  try {
    text = storage?.getItem(legacyStorageKey(projectId)) ?? null;
  } catch {
    return record;
  }
  if (text === null) return record;
  let legacy: unknown = null;
  try {
    legacy = JSON.parse(text);
  } catch {
    legacy = null; // unreadable: nothing to move
  }
  const patch = legacyPlanSettingsPatch(record, legacy);
  let moved = record;
  if (Object.keys(patch).length > 0) {
    const result = await changePlanSettings(record, projectId, patch, ctx());
    if (result.ok && result.record !== record) {
      // Not written (storage full): keep the old copy and try again next time.
      if (!(await commit([result.record]))) return record;
      moved = result.record;
    }
  }
  try {
    storage?.removeItem(legacyStorageKey(projectId));
  } catch {
    // Blocked storage: the next load finds it again, and moves nothing a planner has set.
  }
  return moved;
}

/** Put a record's values into the signals, keeping each signal's object when equal. */
function showSettings(record: PlanSettingsRecord | undefined): void {
  const { costs, weights, budgetSek, problems } = readPlanSettings(record);
  batch(() => {
    // More local changes are on their way: the last one's commit shows the result.
    if (writesQueued <= 1) {
      if (!valuesEqual(planCosts.peek(), costs)) planCosts.value = costs;
      if (!valuesEqual(planWeights.peek(), weights)) planWeights.value = weights;
    }
    if (pendingBudget === null && planBudgetSek.peek() !== budgetSek) {
      planBudgetSek.value = budgetSek;
    }
    if (!valuesEqual(planSettingsProblems.peek(), problems)) planSettingsProblems.value = problems;
  });
}

/** Keep the loaded project's settings in step with records just written or merged. */
export function refreshPlanSettingsFor(records: readonly SyncedRecord[]): void {
  const projectId = settingsProjectId;
  if (projectId === null) return;
  const record = records.find(
    (candidate): candidate is PlanSettingsRecord =>
      candidate.kind === "planSettings" && candidate.projectId === projectId,
  );
  if (record !== undefined) showSettings(record);
}

/** Write a change of the loaded project's settings (queued after any read or write). */
function writeSettings(patch: PlanSettingsPatch): Promise<boolean> {
  const projectId = settingsProjectId;
  editGeneration += 1;
  if (projectId === null || Object.keys(patch).length === 0) return Promise.resolve(true);
  return writeFor(projectId, patch);
}

function writeFor(projectId: string, patch: PlanSettingsPatch): Promise<boolean> {
  writesQueued += 1;
  return enqueue(async () => {
    try {
      const existing = await db().getRecord<PlanSettingsRecord>(await planSettingsId(projectId));
      const result = await changePlanSettings(existing, projectId, patch, ctx());
      if (!result.ok) {
        // Checked before queueing: only a programmer error gets here.
        console.error("plan settings refused", result.problems);
        return false;
      }
      if (result.record === existing) return true;
      return await commit([result.record]);
    } catch (error) {
      reportStorageError(error);
      return false;
    } finally {
      writesQueued -= 1;
    }
  });
}

/** Use an edited cost catalogue; refused (with where and why) when it is not usable. */
export function setPlanCosts(value: unknown): TableProblem[] {
  const problems = costCatalogueProblems(value);
  if (problems.length > 0) return problems;
  const catalogue = value as CostCatalogue;
  const patch = changedFields(costFieldsOf(planCosts.peek()), costFieldsOf(catalogue));
  planCosts.value = catalogue;
  void writeSettings(patch);
  return [];
}

/** Use edited benefit weights; refused (with where and why) when they are not usable. */
export function setPlanWeights(value: unknown): TableProblem[] {
  const problems = benefitWeightsProblems(value);
  if (problems.length > 0) return problems;
  const weights = value as BenefitWeights;
  const patch = changedFields(weightFieldsOf(planWeights.peek()), weightFieldsOf(weights));
  planWeights.value = weights;
  void writeSettings(patch);
  return [];
}

/**
 * The budget, whole SEK. The signal (and so the selection) follows at once; the record is
 * written BUDGET_WRITE_DELAY_MS after the last call, so a dragged slider writes once.
 * Leaving the project (loadPlanSettings of another) or commitPlanBudget() writes it sooner.
 */
export function setPlanBudget(budgetSek: number): void {
  if (!Number.isFinite(budgetSek) || budgetSek < 0 || budgetSek > MAX_BUDGET_SEK) return;
  const rounded = Math.round(budgetSek);
  planBudgetSek.value = rounded;
  if (settingsProjectId === null) return;
  if (pendingBudget !== null) clearTimeout(pendingBudget.timer);
  pendingBudget = {
    projectId: settingsProjectId,
    budgetSek: rounded,
    timer: setTimeout(() => void commitPlanBudget(), BUDGET_WRITE_DELAY_MS),
  };
}

/** Write a budget set with setPlanBudget now instead of after the delay (false: not stored). */
export function commitPlanBudget(): Promise<boolean> {
  if (pendingBudget === null) return Promise.resolve(true);
  const { projectId, budgetSek, timer } = pendingBudget;
  clearTimeout(timer);
  pendingBudget = null;
  return writeFor(projectId, { budgetSek });
}

/**
 * Write a pending budget now and wait for every queued settings write (before a package is
 * saved, so it holds what the screen shows). Never rejects; a failed write was reported.
 */
export async function planSettingsWritten(): Promise<void> {
  void commitPlanBudget();
  await queue;
}

/** Back to the shipped tables (data/costs.json, data/benefit-weights.json); the budget stays. */
export function resetPlanTables(): void {
  batch(() => {
    planCosts.value = DEFAULT_COSTS;
    planWeights.value = DEFAULT_WEIGHTS;
  });
  void writeSettings({ ...costFieldsOf(DEFAULT_COSTS), ...weightFieldsOf(DEFAULT_WEIGHTS) });
}
