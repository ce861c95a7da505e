/**
 * The plan's two editable tables: the cost catalogue (data/costs.json) and the benefit
 * weights (data/benefit-weights.json). Both are data, not code, so a municipality calibrates
 * them without a release; the app stores a project's edited copy. Validation says where
 * (a JSON path) and why, so a broken edit or file is refused with a message instead of a
 * plan with NaN in it.
 */
import type { PoiKind } from "../layers";
import { POI_KINDS } from "../layers";
import type { CostCalculation, CostLine } from "./types";

export const CATALOGUE_FORMAT_VERSION = 1;

export interface CostItem {
  unit: string;
  unitCostSek: number;
  includes: string;
}

/** Item ids the plan uses. A catalogue must have every one. */
export const COST_ITEM_IDS = [
  "new_lamps.pole",
  "new_lamps.cable",
  "new_lamps.site",
  "repair_lamp.lamp",
  "upgrade_lamp.luminaire",
  "trim_trees.lamp",
  "clear_brush.area",
  "clear_brush.site",
] as const;
export type CostItemId = (typeof COST_ITEM_IDS)[number];

export interface CostAssumptions {
  newLampSpacingM: number;
  /** Count a cable trench along the whole gap (false: poles on an existing feed only). */
  cablePerGapM: boolean;
  brushLineWidthM: number;
  brushPointAreaM2: number;
  brushMaxAreaM2: number;
}

export interface CostCatalogue {
  formatVersion: number;
  description?: string;
  currency: "SEK";
  priceYear: number;
  items: Record<CostItemId, CostItem>;
  assumptions: CostAssumptions;
}

export interface BenefitWeights {
  formatVersion: number;
  description?: string;
  need: {
    pointsPerSeverityStep: number;
    pointsPerExtraReport: number;
    maxExtraReports: number;
    pointsPerExtraWalk: number;
    /** Group id (data/groups.json) → points when a report names it. */
    feltUnsafePointsPerGroup: Record<string, number>;
    pointsPer100MNewlyLit: number;
    pointsPer100MNewlyCompliant: number;
  };
  exposure: {
    pathClassFactorPerImportance: number;
    pathClassSearchM: number;
    poi: Record<PoiKind, { radiusM: number; factor: number }>;
    priorityAreaFactor: number;
  };
}

/** A problem in a catalogue or weights file: where (JSON path) and why. */
export interface TableProblem {
  path: string;
  reason: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkNumber(
  problems: TableProblem[],
  value: unknown,
  path: string,
  { min = 0, max = Number.POSITIVE_INFINITY, above = false } = {},
): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    problems.push({ path, reason: `must be a number, not ${JSON.stringify(value) ?? "nothing"}` });
  } else if (above ? value <= min : value < min) {
    problems.push({ path, reason: `must be ${above ? "above" : "at least"} ${min}, not ${value}` });
  } else if (value > max) {
    problems.push({ path, reason: `must be at most ${max}, not ${value}` });
  }
}

function checkVersion(problems: TableProblem[], value: Record<string, unknown>): boolean {
  const version = value.formatVersion;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    problems.push({ path: "formatVersion", reason: "must be a whole number from 1" });
    return false;
  }
  if (version > CATALOGUE_FORMAT_VERSION) {
    problems.push({
      path: "formatVersion",
      reason: `is ${version}, from a newer version of Lykta (this one reads ${CATALOGUE_FORMAT_VERSION}): update the app`,
    });
    return false;
  }
  return true;
}

/** Why `value` is not a usable cost catalogue: every problem, or none. */
export function costCatalogueProblems(value: unknown): TableProblem[] {
  const problems: TableProblem[] = [];
  if (!isObject(value)) return [{ path: "", reason: "is not a JSON object" }];
  if (!checkVersion(problems, value)) return problems;
  if (value.currency !== "SEK") problems.push({ path: "currency", reason: 'must be "SEK"' });
  checkNumber(problems, value.priceYear, "priceYear", { min: 1900, max: 2200 });
  const items = value.items;
  if (!isObject(items)) {
    problems.push({ path: "items", reason: "must be an object of cost items" });
  } else {
    for (const id of COST_ITEM_IDS) {
      const item = items[id];
      const at = `items["${id}"]`;
      if (!isObject(item)) {
        problems.push({ path: at, reason: "is missing" });
        continue;
      }
      if (typeof item.unit !== "string" || item.unit === "") {
        problems.push({ path: `${at}.unit`, reason: "must name a unit" });
      }
      checkNumber(problems, item.unitCostSek, `${at}.unitCostSek`, { max: 1e9 });
    }
  }
  const assumptions = value.assumptions;
  if (!isObject(assumptions)) {
    problems.push({ path: "assumptions", reason: "must be an object" });
  } else {
    checkNumber(problems, assumptions.newLampSpacingM, "assumptions.newLampSpacingM", {
      min: 1,
      max: 500,
    });
    if (typeof assumptions.cablePerGapM !== "boolean") {
      problems.push({ path: "assumptions.cablePerGapM", reason: "must be true or false" });
    }
    checkNumber(problems, assumptions.brushLineWidthM, "assumptions.brushLineWidthM", {
      min: 0,
      above: true,
      max: 100,
    });
    checkNumber(problems, assumptions.brushPointAreaM2, "assumptions.brushPointAreaM2", {
      min: 0,
      above: true,
    });
    checkNumber(problems, assumptions.brushMaxAreaM2, "assumptions.brushMaxAreaM2", {
      min: 0,
      above: true,
    });
  }
  return problems;
}

/** Why `value` is not usable benefit weights: every problem, or none. */
export function benefitWeightsProblems(value: unknown): TableProblem[] {
  const problems: TableProblem[] = [];
  if (!isObject(value)) return [{ path: "", reason: "is not a JSON object" }];
  if (!checkVersion(problems, value)) return problems;
  const need = value.need;
  if (!isObject(need)) {
    problems.push({ path: "need", reason: "must be an object" });
  } else {
    for (const key of [
      "pointsPerSeverityStep",
      "pointsPerExtraReport",
      "maxExtraReports",
      "pointsPerExtraWalk",
      "pointsPer100MNewlyLit",
      "pointsPer100MNewlyCompliant",
    ]) {
      checkNumber(problems, need[key], `need.${key}`, { max: 1e6 });
    }
    const felt = need.feltUnsafePointsPerGroup;
    if (!isObject(felt)) {
      problems.push({ path: "need.feltUnsafePointsPerGroup", reason: "must be an object" });
    } else {
      for (const [group, points] of Object.entries(felt)) {
        checkNumber(problems, points, `need.feltUnsafePointsPerGroup.${group}`, { max: 1e6 });
      }
    }
  }
  const exposure = value.exposure;
  if (!isObject(exposure)) {
    problems.push({ path: "exposure", reason: "must be an object" });
  } else {
    checkNumber(
      problems,
      exposure.pathClassFactorPerImportance,
      "exposure.pathClassFactorPerImportance",
      { max: 100 },
    );
    checkNumber(problems, exposure.pathClassSearchM, "exposure.pathClassSearchM", {
      max: 10_000,
    });
    checkNumber(problems, exposure.priorityAreaFactor, "exposure.priorityAreaFactor", {
      max: 100,
    });
    const poi = exposure.poi;
    if (!isObject(poi)) {
      problems.push({ path: "exposure.poi", reason: "must be an object" });
    } else {
      for (const kind of POI_KINDS) {
        const entry = poi[kind];
        if (!isObject(entry)) {
          problems.push({ path: `exposure.poi.${kind}`, reason: "is missing" });
          continue;
        }
        checkNumber(problems, entry.radiusM, `exposure.poi.${kind}.radiusM`, { max: 10_000 });
        checkNumber(problems, entry.factor, `exposure.poi.${kind}.factor`, { max: 100 });
      }
    }
  }
  return problems;
}

/** "items["new_lamps.pole"].unitCostSek: must be a number, not "abc"" – one line per problem. */
export function tableProblemLines(problems: readonly TableProblem[]): string[] {
  return problems.map((p) => (p.path === "" ? p.reason : `${p.path}: ${p.reason}`));
}

// ---- cost calculations -------------------------------------------------------------------

function line(catalogue: CostCatalogue, item: CostItemId, quantity: number): CostLine {
  const entry = catalogue.items[item];
  return {
    item,
    quantity,
    unit: entry.unit,
    unitCostSek: entry.unitCostSek,
    costSek: quantity * entry.unitCostSek,
  };
}

function calculation(
  lines: CostLine[],
  key: string,
  values: Record<string, string | number>,
): CostCalculation {
  const total = lines.reduce((sum, l) => sum + l.costSek, 0);
  return {
    lines: lines.filter((l) => l.quantity > 0),
    costSek: Math.round(total),
    basis: { key, values },
  };
}

/**
 * Poles for a dark stretch: enough that no point is further than half a spacing from a pole,
 * at least one. A 142 m gap at 30 m spacing takes ceil(142 / 30) = 5 poles.
 */
export function polesForGap(lengthM: number, spacingM: number): number {
  return Math.max(1, Math.ceil(lengthM / spacingM - 1e-9));
}

/** New lamps along a dark stretch of `lengthM` metres (or `poles` at a reported point). */
export function newLampsCost(
  catalogue: CostCatalogue,
  lengthM: number,
  poles = polesForGap(lengthM, catalogue.assumptions.newLampSpacingM),
): CostCalculation {
  const cableM = catalogue.assumptions.cablePerGapM ? Math.round(lengthM) : 0;
  return calculation(
    [
      line(catalogue, "new_lamps.pole", poles),
      line(catalogue, "new_lamps.cable", cableM),
      line(catalogue, "new_lamps.site", 1),
    ],
    "plan.basis.newLamps",
    { lengthM: Math.round(lengthM), spacingM: catalogue.assumptions.newLampSpacingM, poles },
  );
}

export function repairLampCost(catalogue: CostCatalogue, lamps: number): CostCalculation {
  return calculation([line(catalogue, "repair_lamp.lamp", lamps)], "plan.basis.repair", {
    lamps,
  });
}

export function upgradeLampCost(catalogue: CostCatalogue, lamps: number): CostCalculation {
  return calculation([line(catalogue, "upgrade_lamp.luminaire", lamps)], "plan.basis.upgrade", {
    lamps,
  });
}

export function trimTreesCost(catalogue: CostCatalogue, lamps: number): CostCalculation {
  return calculation([line(catalogue, "trim_trees.lamp", lamps)], "plan.basis.trim", { lamps });
}

/** How a brush area was measured: a drawn polygon, a line times a width, or a point. */
export type BrushMeasure =
  | { kind: "polygon"; areaM2: number }
  | { kind: "line"; lengthM: number }
  | { kind: "point" };

export function brushAreaM2(catalogue: CostCatalogue, measure: BrushMeasure): number {
  const a = catalogue.assumptions;
  const area =
    measure.kind === "polygon"
      ? measure.areaM2
      : measure.kind === "line"
        ? measure.lengthM * a.brushLineWidthM
        : a.brushPointAreaM2;
  return Math.min(Math.max(1, Math.round(area)), a.brushMaxAreaM2);
}

export function clearBrushCost(
  catalogue: CostCatalogue,
  measures: BrushMeasure[],
): CostCalculation {
  const areaM2 = measures.reduce((sum, m) => sum + brushAreaM2(catalogue, m), 0);
  const how = measures.map((m) => m.kind).join("+");
  return calculation(
    [line(catalogue, "clear_brush.area", areaM2), line(catalogue, "clear_brush.site", 1)],
    "plan.basis.brush",
    {
      areaM2,
      how,
      widthM: catalogue.assumptions.brushLineWidthM,
      pointAreaM2: catalogue.assumptions.brushPointAreaM2,
    },
  );
}

/** Σ of calculations (a group alternative doing several actions). */
export function sumCosts(costs: readonly (CostCalculation | null)[]): number {
  return costs.reduce((sum, c) => sum + (c?.costSek ?? 0), 0);
}
