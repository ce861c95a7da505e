/**
 * The budget plan's settings of a project (issue 6): the cost catalogue, the benefit weights
 * and the budget. One `planSettings` record per project, synced and merged field by field like
 * every record (../shared/STYLE.md), so a catalogue edited on one tablet reaches the others in
 * `.lykta` packages (and later through the partners' server).
 *
 * The record id is derived from the project id, not random: two tablets that start a project's
 * settings offline make the same record. Both start from the same values (the shipped tables,
 * data/costs.json and data/benefit-weights.json, and DEFAULT_BUDGET_SEK) with the same clock,
 * so a planner's change is always a version 2 that wins over the other tablet's untouched
 * version 1 without a conflict.
 *
 * Fields are cut where planners edit independently, so that concurrent edits of different
 * things both survive a merge: one field per cost item (`costNewLampsPole`, ...), the price
 * year, the cost assumptions, the need weights, the exposure weights and the budget. Two
 * planners changing the same cost item at once is a real conflict: one value wins everywhere,
 * the other goes to the conflict log.
 *
 * Pure: no DOM, no storage. Time, device id and randomness come in through EditContext.
 */
import benefitWeightsData from "../../../data/benefit-weights.json";
import costsData from "../../../data/costs.json";
import { valuesEqual } from "../equal";
import { sha256Hex } from "../hash";
import {
  createRecord,
  DELETED_CLOCK_KEY,
  type EditContext,
  editRecord,
  type FieldClock,
  restoreRecord,
  type SyncedRecord,
} from "../record";
import {
  type BenefitWeights,
  benefitWeightsProblems,
  CATALOGUE_FORMAT_VERSION,
  type CostAssumptions,
  type CostCatalogue,
  type CostItem,
  type CostItemId,
  costCatalogueProblems,
  type TableProblem,
} from "./catalogue";
import { DERIVED_BY } from "./follow-up";

/** The shipped cost catalogue (data/costs.json). */
export const SHIPPED_COSTS = costsData as CostCatalogue;
/** The shipped benefit weights (data/benefit-weights.json). */
export const SHIPPED_WEIGHTS = benefitWeightsData as BenefitWeights;
/** The budget a new plan starts from: the example of issue 6 ("say, 2 million SEK"). */
export const DEFAULT_BUDGET_SEK = 2_000_000;
/** The highest budget accepted (a municipality's plan, not a state budget). */
export const MAX_BUDGET_SEK = 1e12;

/**
 * The record field of each cost item. DO NOT CHANGE an entry: records hold the items under
 * these names. A new item gets a new field (an older app keeps it through merges, unused).
 */
export const COST_ITEM_FIELDS = {
  "new_lamps.pole": "costNewLampsPole",
  "new_lamps.cable": "costNewLampsCable",
  "new_lamps.site": "costNewLampsSite",
  "repair_lamp.lamp": "costRepairLampLamp",
  "upgrade_lamp.luminaire": "costUpgradeLampLuminaire",
  "trim_trees.lamp": "costTrimTreesLamp",
  "clear_brush.area": "costClearBrushArea",
  "clear_brush.site": "costClearBrushSite",
} as const satisfies Record<CostItemId, string>;

export type CostItemField = (typeof COST_ITEM_FIELDS)[CostItemId];

/** Every field holds null only in a tombstone. */
export type PlanSettingsFields = { [F in CostItemField]: CostItem | null } & {
  /** Price level of the unit costs (CostCatalogue.priceYear). */
  costPriceYear: number | null;
  /** CostCatalogue.assumptions (spacing of new poles, brush areas, ...). */
  costAssumptions: CostAssumptions | null;
  /** BenefitWeights.need. */
  needWeights: BenefitWeights["need"] | null;
  /** BenefitWeights.exposure. */
  exposureWeights: BenefitWeights["exposure"] | null;
  /** The budget the plan selects within, whole SEK. */
  budgetSek: number | null;
};

export type PlanSettingsField = keyof PlanSettingsFields;
export type PlanSettingsRecord = SyncedRecord<PlanSettingsFields>;
/** What a planner may change: any fields, each validated on its own. */
export type PlanSettingsPatch = Partial<PlanSettingsFields>;

const COST_FIELDS = [
  ...Object.values(COST_ITEM_FIELDS),
  "costPriceYear",
  "costAssumptions",
] as const satisfies readonly PlanSettingsField[];
const WEIGHT_FIELDS = ["needWeights", "exposureWeights"] as const satisfies PlanSettingsField[];

/** Every field, in a fixed order. */
export const PLAN_SETTINGS_FIELDS: readonly PlanSettingsField[] = [
  ...COST_FIELDS,
  ...WEIGHT_FIELDS,
  "budgetSek",
];

/** What a tombstone keeps: nothing. */
export const EMPTY_PLAN_SETTINGS_FIELDS: PlanSettingsFields = Object.freeze(
  Object.fromEntries(PLAN_SETTINGS_FIELDS.map((field) => [field, null])),
) as PlanSettingsFields;

// DO NOT CHANGE: existing tablets and packages hold plan settings under ids made this way.
export const PLAN_SETTINGS_ID_PREFIX = "plansettings-";

/** The plan settings record id of a project: "plansettings-" + SHA-256 (hex) of the id (UTF-8). */
export async function planSettingsId(projectId: string): Promise<string> {
  if (projectId === "") throw new Error("planSettingsId: projectId must not be empty");
  return PLAN_SETTINGS_ID_PREFIX + (await sha256Hex(new TextEncoder().encode(projectId)));
}

/** JSON-plain copy (no undefined, no shared objects with the caller). */
function plain<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** The catalogue's part of the fields. */
export function costFieldsOf(
  catalogue: CostCatalogue,
): Pick<PlanSettingsFields, CostItemField | "costPriceYear" | "costAssumptions"> {
  const fields = {} as Record<string, unknown>;
  for (const [id, field] of Object.entries(COST_ITEM_FIELDS)) {
    fields[field] = plain(catalogue.items[id as CostItemId]);
  }
  fields.costPriceYear = catalogue.priceYear;
  fields.costAssumptions = plain(catalogue.assumptions);
  return fields as Pick<PlanSettingsFields, CostItemField | "costPriceYear" | "costAssumptions">;
}

/** The weights' part of the fields. */
export function weightFieldsOf(
  weights: BenefitWeights,
): Pick<PlanSettingsFields, "needWeights" | "exposureWeights"> {
  return { needWeights: plain(weights.need), exposureWeights: plain(weights.exposure) };
}

/**
 * The values a project's settings start with: the shipped tables and the default budget. The
 * same on every tablet of one app version, so two tablets write the same version 1.
 */
export function initialPlanSettingsFields(): PlanSettingsFields {
  return {
    ...costFieldsOf(SHIPPED_COSTS),
    ...weightFieldsOf(SHIPPED_WEIGHTS),
    budgetSek: DEFAULT_BUDGET_SEK,
  };
}

/** Why a plan settings field is refused: the field, and where in it (JSON path) and why. */
export interface PlanSettingsProblem extends TableProblem {
  field: PlanSettingsField;
}

/**
 * Why `value` is not a usable value of `field`, or [] when it is. A field is checked by
 * putting it into the shipped table and running that table's own check
 * (costCatalogueProblems, benefitWeightsProblems), so the rules live in one place and the
 * paths are the tables' paths (`items["new_lamps.pole"].unitCostSek`, `need.maxExtraReports`)
 * that the editors already show problems at.
 */
export function planSettingsFieldProblems(
  field: PlanSettingsField,
  value: unknown,
): PlanSettingsProblem[] {
  const within = (problems: TableProblem[], prefix: string) =>
    problems
      .filter((problem) => problem.path.startsWith(prefix))
      .map((problem) => ({ field, ...problem }));
  switch (field) {
    case "budgetSek":
      if (typeof value !== "number" || !Number.isFinite(value)) {
        return [
          {
            field,
            path: "budgetSek",
            reason: `must be a number, not ${JSON.stringify(value) ?? "nothing"}`,
          },
        ];
      }
      if (value < 0 || value > MAX_BUDGET_SEK) {
        return [
          { field, path: "budgetSek", reason: `must be 0 to ${MAX_BUDGET_SEK}, not ${value}` },
        ];
      }
      return [];
    case "costPriceYear":
      return within(costCatalogueProblems({ ...SHIPPED_COSTS, priceYear: value }), "priceYear");
    case "costAssumptions":
      return within(costCatalogueProblems({ ...SHIPPED_COSTS, assumptions: value }), "assumptions");
    case "needWeights":
      return within(benefitWeightsProblems({ ...SHIPPED_WEIGHTS, need: value }), "need");
    case "exposureWeights":
      return within(benefitWeightsProblems({ ...SHIPPED_WEIGHTS, exposure: value }), "exposure");
    default: {
      const id = costItemIdOf(field);
      if (id === undefined) return [{ field, path: field, reason: "is not a plan setting" }];
      // A missing item reads "is missing" in the catalogue's words; say what is wrong here.
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return [{ field, path: `items["${id}"]`, reason: "must be a cost item object" }];
      }
      return within(
        costCatalogueProblems({ ...SHIPPED_COSTS, items: { ...SHIPPED_COSTS.items, [id]: value } }),
        `items["${id}"]`,
      );
    }
  }
}

function costItemIdOf(field: string): CostItemId | undefined {
  for (const [id, name] of Object.entries(COST_ITEM_FIELDS)) {
    if (name === field) return id as CostItemId;
  }
  return undefined;
}

/** Why a patch is refused: every problem of every field in it, or []. */
export function planSettingsPatchProblems(patch: PlanSettingsPatch): PlanSettingsProblem[] {
  const problems: PlanSettingsProblem[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    problems.push(...planSettingsFieldProblems(field as PlanSettingsField, value));
  }
  return problems;
}

/** Sorted-key JSON: the same text for equal values whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Nonce of a derived version 1: 31 bits of SHA-256(id, field, value). From the value, not only
 * the id: two app versions whose shipped tables differ make different clocks for the fields
 * that differ, so the merge orders them (lower nonce wins, the other is logged) instead of
 * seeing one edit with two values and keeping whichever copy came first.
 */
async function derivedNonce(id: string, field: string, value: unknown): Promise<number> {
  const hex = await sha256Hex(new TextEncoder().encode(`${id}\n${field}\n${canonicalJson(value)}`));
  return Number.parseInt(hex.slice(0, 8), 16) >>> 1;
}

/**
 * A project's new settings record: the derived id, the initial values (the shipped tables and
 * the default budget), at a version 1 that is the same on every device running the same
 * tables: `by` DERIVED_BY, `at` 0, nonces from the values. A planner's change (version 2,
 * through `editPlanSettings`) replaces it without a conflict.
 */
export async function createPlanSettings(projectId: string): Promise<PlanSettingsRecord> {
  const fields = initialPlanSettingsFields();
  const id = await planSettingsId(projectId);
  const derived: EditContext = { deviceId: DERIVED_BY, now: () => 0, nonce: () => 0 };
  const record = createRecord({ id, kind: "planSettings", projectId, fields }, derived);
  const clock = record.clock as Record<string, FieldClock>;
  for (const key of Object.keys(clock)) {
    const value = key === DELETED_CLOCK_KEY ? false : (fields as Record<string, unknown>)[key];
    clock[key] = { ...clock[key]!, nonce: await derivedNonce(id, key, value) };
  }
  return record;
}

export type PlanSettingsEditResult =
  | { ok: true; record: PlanSettingsRecord }
  | { ok: false; problems: PlanSettingsProblem[] };

/**
 * Change a live settings record (through editRecord: unchanged fields keep their versions, and
 * a change that changes nothing returns the same record). The budget is rounded to whole SEK.
 * A refused patch (any field invalid) changes nothing and says where and why.
 */
export function editPlanSettings(
  record: PlanSettingsRecord,
  patch: PlanSettingsPatch,
  ctx: EditContext,
): PlanSettingsEditResult {
  const clean: PlanSettingsPatch = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value !== undefined) (clean as Record<string, unknown>)[field] = plain(value);
  }
  const problems = planSettingsPatchProblems(clean);
  if (problems.length > 0) return { ok: false, problems };
  if (clean.budgetSek != null) clean.budgetSek = Math.round(clean.budgetSek);
  return { ok: true, record: editRecord(record, clean, ctx) };
}

/**
 * The one path for a planner's change: create the project's settings when the device has none
 * (then edit, so the change is a version above the shared initial values), bring a deleted
 * record back with the initial values, or edit the existing one.
 */
export async function changePlanSettings(
  existing: PlanSettingsRecord | undefined,
  projectId: string,
  patch: PlanSettingsPatch,
  ctx: EditContext,
): Promise<PlanSettingsEditResult> {
  const problems = planSettingsPatchProblems(patch);
  if (problems.length > 0) return { ok: false, problems };
  let base: PlanSettingsRecord;
  if (existing === undefined) base = await createPlanSettings(projectId);
  else if (existing.deleted) base = restoreRecord(existing, initialPlanSettingsFields(), ctx);
  else base = existing;
  if (base.projectId !== projectId) {
    throw new Error(
      `changePlanSettings: ${base.id} belongs to ${base.projectId}, not ${projectId}`,
    );
  }
  return editPlanSettings(base, patch, ctx);
}

/** The settings as the plan uses them. */
export interface EffectivePlanSettings {
  costs: CostCatalogue;
  weights: BenefitWeights;
  budgetSek: number;
  /**
   * Fields that held a value this app cannot use (written by a newer app, or broken by a
   * tool): the shipped default is used for each, and this says where and why. A field the
   * record does not have at all (written by an older app) takes the default silently.
   */
  problems: PlanSettingsProblem[];
}

/**
 * A record's settings, field by field: its value where valid, the shipped default otherwise
 * (no record, a deleted one, a missing or invalid field). Never throws.
 */
export function readPlanSettings(record: PlanSettingsRecord | undefined): EffectivePlanSettings {
  const initial = initialPlanSettingsFields();
  const stored =
    record && !record.deleted ? (record.fields as Partial<Record<string, unknown>>) : {};
  const problems: PlanSettingsProblem[] = [];
  const value = <F extends PlanSettingsField>(field: F): NonNullable<PlanSettingsFields[F]> => {
    const held = stored[field];
    if (held === undefined) return initial[field] as NonNullable<PlanSettingsFields[F]>;
    const found = planSettingsFieldProblems(field, held);
    if (found.length === 0) return held as NonNullable<PlanSettingsFields[F]>;
    problems.push(...found);
    return initial[field] as NonNullable<PlanSettingsFields[F]>;
  };
  const items = {} as Record<CostItemId, CostItem>;
  for (const [id, field] of Object.entries(COST_ITEM_FIELDS)) {
    items[id as CostItemId] = value(field);
  }
  const costs: CostCatalogue = {
    formatVersion: CATALOGUE_FORMAT_VERSION,
    ...(SHIPPED_COSTS.description !== undefined ? { description: SHIPPED_COSTS.description } : {}),
    currency: "SEK",
    priceYear: value("costPriceYear"),
    items,
    assumptions: value("costAssumptions"),
  };
  const weights: BenefitWeights = {
    formatVersion: CATALOGUE_FORMAT_VERSION,
    ...(SHIPPED_WEIGHTS.description !== undefined
      ? { description: SHIPPED_WEIGHTS.description }
      : {}),
    need: value("needWeights"),
    exposure: value("exposureWeights"),
  };
  return { costs, weights, budgetSek: Math.round(value("budgetSek")), problems };
}

/** The cost catalogue of a settings record (shipped values where it has none valid). */
export function catalogueOf(record: PlanSettingsRecord | undefined): CostCatalogue {
  return readPlanSettings(record).costs;
}

/** The benefit weights of a settings record (shipped values where it has none valid). */
export function weightsOf(record: PlanSettingsRecord | undefined): BenefitWeights {
  return readPlanSettings(record).weights;
}

/** The budget of a settings record (DEFAULT_BUDGET_SEK when it has none valid). */
export function budgetOf(record: PlanSettingsRecord | undefined): number {
  return readPlanSettings(record).budgetSek;
}

/** The fields of `next` that differ from `previous`: what an editor changed. */
export function changedFields(
  previous: PlanSettingsPatch,
  next: PlanSettingsPatch,
): PlanSettingsPatch {
  const patch: PlanSettingsPatch = {};
  for (const [field, value] of Object.entries(next)) {
    if (!valuesEqual((previous as Record<string, unknown>)[field], value)) {
      (patch as Record<string, unknown>)[field] = value;
    }
  }
  return patch;
}

/**
 * What a device's settings from before the record (Lykta kept them in localStorage per device,
 * `{costs, weights, budgetSek}`) add to the project's record, once: the valid values that
 * differ from the shipped ones, for fields that nobody has set yet in the synced record (still
 * the derived version 1, or no record). A field a planner already set on any tablet keeps its
 * value: the synced settings are the project's, the old copy was one device's. Never throws.
 */
export function legacyPlanSettingsPatch(
  record: PlanSettingsRecord | undefined,
  legacy: unknown,
): PlanSettingsPatch {
  if (typeof legacy !== "object" || legacy === null) return {};
  const { costs, weights, budgetSek } = legacy as Record<string, unknown>;
  const wanted: PlanSettingsPatch = {};
  if (costs !== undefined && costCatalogueProblems(costs).length === 0) {
    Object.assign(wanted, costFieldsOf(costs as CostCatalogue));
  }
  if (weights !== undefined && benefitWeightsProblems(weights).length === 0) {
    Object.assign(wanted, weightFieldsOf(weights as BenefitWeights));
  }
  if (planSettingsFieldProblems("budgetSek", budgetSek).length === 0) {
    wanted.budgetSek = Math.round(budgetSek as number);
  }
  const patch = changedFields(initialPlanSettingsFields(), wanted);
  if (record === undefined || record.deleted) return patch;
  const clock = record.clock as Partial<Record<string, FieldClock>>;
  for (const field of Object.keys(patch)) {
    const held = clock[field];
    if (held !== undefined && held.by !== DERIVED_BY) {
      delete (patch as Record<string, unknown>)[field];
    }
  }
  return patch;
}
