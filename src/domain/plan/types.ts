/**
 * The budget plan (issue 6): candidate actions generated from sites and the lighting
 * analysis, their costs (data/costs.json) and benefits (data/benefit-weights.json), groups of
 * overlapping alternatives, and the selection under a budget (knapsack.ts).
 *
 * docs/plan.md describes the method; these types are its vocabulary.
 */
import type { Position } from "geojson";

/** Investments: inside the budget. */
export const INVESTMENT_KINDS = [
  "new_lamps",
  "repair_lamp",
  "upgrade_lamp",
  "trim_trees",
  "clear_brush",
] as const;

/** Tasks: follow-up with an owner, outside the budget. */
export const TASK_KINDS = [
  "remove_graffiti",
  "remove_litter",
  "repair_vandalism",
  "camera_review",
  "guards",
  "other_task",
] as const;

export type InvestmentKind = (typeof INVESTMENT_KINDS)[number];
export type TaskKind = (typeof TASK_KINDS)[number];
export type ActionKind = InvestmentKind | TaskKind;

export function isInvestmentKind(kind: string): kind is InvestmentKind {
  return (INVESTMENT_KINDS as readonly string[]).includes(kind);
}

export function isTaskKind(kind: string): kind is TaskKind {
  return (TASK_KINDS as readonly string[]).includes(kind);
}

/** Who does it. Stored in follow-up records: never rename an id. */
export const OWNERS = [
  "street_department",
  "park_department",
  "property_owner",
  "trafikverket",
  "police",
  "other",
] as const;
export type Owner = (typeof OWNERS)[number];

/** Where an action stands. Stored in follow-up records: never rename an id. */
export const ACTION_STATUSES = ["proposed", "planned", "in_progress", "done", "rejected"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** One line of a cost calculation: quantity × unit cost, or a fixed amount (quantity 1). */
export interface CostLine {
  /** Catalogue item id, e.g. "new_lamps.pole". */
  item: string;
  quantity: number;
  /** "pole", "lamp", "m2", "tree", "project", ... (data/costs.json). */
  unit: string;
  unitCostSek: number;
  costSek: number;
}

export interface CostCalculation {
  lines: CostLine[];
  /** Σ lines, rounded to whole SEK. */
  costSek: number;
  /** How the quantity was derived, e.g. "gap 142 m / spacing 30 m = 5 poles". Machine form:
   *  a key of the translation table and its values. */
  basis: { key: string; values: Record<string, string | number> };
}

/** One term of a benefit score. Terms add up to the score. */
export interface BenefitTerm {
  /** "severity", "reports", "walks", "felt_unsafe", "newly_lit", "compliance",
   *  "exposure_path_class", "exposure_poi", "priority_area". */
  term: string;
  /** The input value (e.g. severity 4, 2 walks, 118 weighted metres, 1 school). */
  value: number;
  /** Points this term adds to the score. */
  points: number;
  /** Observation ids, site ids, POI ids or area ids that the value comes from. */
  from: string[];
  /** Extra detail for the explanation, e.g. { kind: "school", distanceM: 120 }. */
  detail?: Record<string, string | number>;
}

export interface BenefitBreakdown {
  /** Σ points of the terms. */
  benefit: number;
  terms: BenefitTerm[];
}

/** A candidate action (an investment or a task). */
export interface PlanAction {
  /** Stable across devices and re-runs: derived from what the action answers, e.g.
   *  "repair_lamp:lamp/123", "clear_brush:site-…", "new_lamps:gap:way/9@120-262". The key of
   *  its follow-up record. */
  key: string;
  kind: ActionKind;
  /** A point to show it at (lon/lat). */
  position: Position;
  /** Line or polygon the action covers when it has one (a gap, a brush area), lon/lat. */
  geometry:
    | { type: "Point"; coordinates: Position }
    | { type: "LineString"; coordinates: Position[] }
    | { type: "Polygon"; coordinates: Position[][] };
  /** Site ids it answers (sites.ts). */
  siteIds: string[];
  /** Observation ids behind those sites. */
  observationIds: string[];
  /** Dark-gap ids it answers ("gap:<pathId>@<startM>-<endM>"). */
  gapIds: string[];
  /** Lamp ids it repairs / upgrades / trims around. */
  lampIds: string[];
  /** New lamp positions (new_lamps), lon/lat. */
  newLamps: Position[];
  /** Investments only; tasks have no cost in the plan. */
  cost: CostCalculation | null;
  /** The action on its own (as if it were the only one chosen in its group). */
  benefit: BenefitBreakdown;
  /** Earliest observation time of its reports, epoch ms (deadlines count from it). */
  observedAt: number | null;
  /** Default owner before a planner changes it. */
  defaultOwner: Owner;
  /** Default deadline, epoch ms (24 h after the observation for graffiti and litter), or null. */
  defaultDeadlineAt: number | null;
  /** Short description parameters for the UI ("5 new poles on Storgatan, 142 m"). */
  label: { key: string; values: Record<string, string | number> };
}

/** One way to act on a group: a set of its actions, with the benefit of doing them together. */
export interface GroupAlternative {
  /** Indexes into PlanResult.actions. */
  actionIndexes: number[];
  costSek: number;
  benefit: BenefitBreakdown;
}

/** Overlapping investments: the plan picks at most one alternative. */
export interface ActionGroup {
  id: string;
  actionIndexes: number[];
  alternatives: GroupAlternative[];
}
