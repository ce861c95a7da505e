/**
 * The budget plan for people and GIS (docs/format.md, "Plan"): one feature per candidate
 * action, investments and tasks, with its rank in the plan, cost, benefit and why, and its
 * follow-up (owner, status, deadline). Written by `lykta plan`; the same conventions as every
 * export (snake_case, units in names, ISO 8601 local times, lists as JSON arrays in GeoJSON
 * and ";"-joined in CSV).
 *
 * The texts (`label`, `reasons`) come from the one translation table (src/i18n/strings.ts,
 * keys `plan.*`), in Swedish or English; the codes beside them (`action`, `terms`) are the
 * same in both, for scripts.
 */
import type { Geometry } from "geojson";
import pathClassesData from "../../../data/path-classes.json";
import { isStringKey, translate } from "../../i18n/strings";
import type { GroupsFile } from "../groups";
import type { PathClassesFile } from "../layers";
import { effectiveFollowUp, type FollowUpRecord } from "../plan/follow-up";
import type { PlanCandidates, PlanSelection } from "../plan/plan";
import type { BenefitTerm, CostCalculation, PlanAction } from "../plan/types";
import { type ExportFeature, isoLocalTime, roundTo } from "./geojson";

export type PlanLanguage = "sv" | "en";

/** The attributes of a plan feature, in the order they are written (CSV columns after `id`). */
export const PLAN_COLUMNS = [
  "rank",
  "action",
  "key",
  "label",
  "cost_sek",
  "cost_basis",
  "benefit",
  "planned_benefit",
  "selected",
  "chosen_with",
  "reasons",
  "terms",
  "site_ids",
  "observation_ids",
  "gap_ids",
  "lamp_ids",
  "owner",
  "status",
  "deadline",
  "overdue",
] as const;

export interface PlanExportOptions {
  /** Language of `label` and `reasons` (default Swedish). */
  language?: PlanLanguage;
  /** Follow-up records by action key (followUpsByActionKey); the action's defaults otherwise. */
  followUps?: ReadonlyMap<string, FollowUpRecord>;
  /** Epoch ms that `overdue` is judged at. */
  now: number;
  /** data/groups.json: names the groups in the felt-unsafe reason (their ids otherwise). */
  groups?: GroupsFile;
}

/** A number for people: at most one decimal, no ".0", the language's decimal sign. */
function decimal(value: number, language: PlanLanguage): string {
  const text = String(roundTo(value, 1));
  return language === "sv" ? text.replace(".", ",") : text;
}

/** "38 000": thousands grouped by a space (SI; readable in Swedish and English). */
function whole(value: number): string {
  const sign = value < 0 ? "-" : "";
  return sign + String(Math.round(Math.abs(value))).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

/** "7 pole × 38 000 SEK + 200 m × 450 SEK + 1 project × 15 000 SEK" (catalogue units). */
export function costBasisText(cost: CostCalculation): string {
  return cost.lines
    .map((line) => `${whole(line.quantity)} ${line.unit} × ${whole(line.unitCostSek)} SEK`)
    .join(" + ");
}

function text(
  language: PlanLanguage,
  key: string,
  values: Record<string, string | number>,
): string | null {
  return isStringKey(key) ? translate(language, key, values) : null;
}

/** The action's label in the language; the key and its values when the table lacks the key. */
export function actionLabel(action: PlanAction, language: PlanLanguage): string {
  const values = { ...action.label.values };
  if (values.path === undefined && typeof values.pathClass === "string") {
    values.path = pathClassName(values.pathClass, language);
  }
  return (
    text(language, action.label.key, values) ??
    `${action.label.key} ${JSON.stringify(action.label.values)}`
  );
}

const PATH_CLASSES = pathClassesData as PathClassesFile;

/** "Lokalgata" for `residential`; the id itself for a class the table does not know. */
function pathClassName(id: string, language: PlanLanguage): string {
  const found = PATH_CLASSES.classes.find((entry) => entry.id === id);
  return found ? found.label[language].toLowerCase() : id;
}

function groupNames(ids: string, language: PlanLanguage, groups: GroupsFile | undefined): string {
  const labels = new Map<string, string>();
  if (groups !== undefined) {
    for (const group of [groups.everyone, ...groups.groups]) {
      labels.set(group.id, group.label[language].toLowerCase());
    }
  }
  return ids
    .split(",")
    .filter((id) => id !== "")
    .map((id) => labels.get(id) ?? id)
    .join(", ");
}

/** One benefit term as a sentence: "severity 4: 40 p", "school 120 m: +16.1 p". */
export function termText(term: BenefitTerm, language: PlanLanguage, groups?: GroupsFile): string {
  const detail = term.detail ?? {};
  const values: Record<string, string | number> = {
    term: term.term,
    value: decimal(term.value, language),
    points: decimal(term.points, language),
  };
  if (term.term === "felt_unsafe") {
    values.groups = groupNames(String(detail.groups ?? ""), language, groups);
  }
  if (term.term === "exposure_poi") {
    const kindKey = `poiKind_${detail.kind}`;
    values.kind = (text(language, kindKey, {}) ?? String(detail.kind)).toLowerCase();
    values.distanceM = Math.round(Number(detail.distanceM ?? 0));
  }
  return (
    text(language, `plan.term.${term.term}`, values) ??
    translate(language, "plan.term.other", values)
  );
}

/** The reasons of a benefit, one readable text: "severity 4: 40 p; 118 m newly lit: 14.2 p". */
export function reasonsText(
  terms: readonly BenefitTerm[],
  language: PlanLanguage,
  groups?: GroupsFile,
): string {
  return terms.map((term) => termText(term, language, groups)).join("; ");
}

/**
 * One feature per action of `candidates` (investments, then tasks, in their order), with the
 * plan `selection` made from them. Geometry: the action's line (a dark gap, a drawn line),
 * polygon (a drawn brush area) or point. Feature id: the action key.
 */
export function planFeatures(
  candidates: PlanCandidates,
  selection: PlanSelection,
  options: PlanExportOptions,
): ExportFeature[] {
  const language = options.language ?? "sv";
  if (selection.selected.length !== candidates.actions.length) {
    throw new Error(
      `planFeatures: the selection has ${selection.selected.length} actions, the candidates ${candidates.actions.length}`,
    );
  }
  return candidates.actions.map((action, i) => {
    const followUp = effectiveFollowUp(action, options.followUps?.get(action.key), options.now);
    const investment = action.cost !== null;
    return {
      id: action.key,
      geometry: action.geometry as Geometry,
      properties: {
        rank: selection.rank[i] ?? null,
        action: action.kind,
        key: action.key,
        label: actionLabel(action, language),
        cost_sek: investment ? action.cost!.costSek : null,
        cost_basis: investment ? costBasisText(action.cost!) : null,
        benefit: roundTo(action.benefit.benefit, 1),
        planned_benefit: roundTo(selection.plannedBenefit[i] ?? 0, 1),
        selected: selection.selected[i] === true,
        chosen_with: (selection.chosenWith[i] ?? []).map((j) => candidates.actions[j]!.key),
        reasons: reasonsText(action.benefit.terms, language, options.groups),
        terms: JSON.stringify(action.benefit.terms),
        site_ids: [...action.siteIds],
        observation_ids: [...action.observationIds],
        gap_ids: [...action.gapIds],
        lamp_ids: [...action.lampIds],
        owner: followUp.owner,
        status: followUp.status,
        deadline: followUp.deadlineAt === null ? null : isoLocalTime(followUp.deadlineAt),
        overdue: followUp.overdue,
      },
    };
  });
}
