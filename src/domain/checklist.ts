/**
 * The walk checklist (data/checklist.json): categories of what makes a place feel unsafe,
 * grouped, with Swedish labels and English translations. Kept as data so a municipality
 * can extend it without a code change.
 */
import type { LocalizedText } from "./labels";

export type GeometryKind = "point" | "line" | "polygon";

export interface ChecklistCategory {
  id: string;
  label: LocalizedText;
  /** The geometry a team usually records for this category; any geometry is allowed. */
  geometry: GeometryKind;
}

export interface ChecklistGroup {
  id: string;
  label: LocalizedText;
  /** Two reports of this group within this distance describe the same place (sites). */
  siteRadiusM: number;
  categories: ChecklistCategory[];
}

export interface Checklist {
  formatVersion: number;
  groups: ChecklistGroup[];
}

export const CHECKLIST_FORMAT_VERSION = 1;

/** Groups that the brief requires the checklist to cover (issue 2). */
export const REQUIRED_CHECKLIST_GROUPS = [
  "lighting",
  "vegetation",
  "sightlines",
  "escape",
  "maintenance",
  "surface",
  "traffic",
  "public_transport",
  "wayfinding",
  "deserted",
  "measures",
] as const;

export interface ChecklistProblem {
  path: string;
  reason: string;
}

/** Structural check of a checklist file; returns every problem with its JSON path. */
export function checkChecklist(value: unknown): ChecklistProblem[] {
  const problems: ChecklistProblem[] = [];
  const isText = (text: unknown): boolean =>
    typeof text === "object" &&
    text !== null &&
    typeof (text as LocalizedText).sv === "string" &&
    (text as LocalizedText).sv.trim() !== "" &&
    typeof (text as LocalizedText).en === "string" &&
    (text as LocalizedText).en.trim() !== "";
  if (typeof value !== "object" || value === null) {
    return [{ path: "$", reason: "not an object" }];
  }
  const checklist = value as Partial<Checklist>;
  if (checklist.formatVersion !== CHECKLIST_FORMAT_VERSION) {
    problems.push({ path: "$.formatVersion", reason: `expected ${CHECKLIST_FORMAT_VERSION}` });
  }
  if (!Array.isArray(checklist.groups)) {
    problems.push({ path: "$.groups", reason: "not an array" });
    return problems;
  }
  const seen = new Set<string>();
  checklist.groups.forEach((group, groupIndex) => {
    const path = `$.groups[${groupIndex}]`;
    if (typeof group.id !== "string" || !/^[a-z_]+$/.test(group.id)) {
      problems.push({ path: `${path}.id`, reason: "id must be lower_snake_case" });
    }
    if (!isText(group.label)) problems.push({ path: `${path}.label`, reason: "needs sv and en" });
    if (!(typeof group.siteRadiusM === "number" && group.siteRadiusM > 0)) {
      problems.push({ path: `${path}.siteRadiusM`, reason: "must be a positive number of metres" });
    }
    if (!Array.isArray(group.categories) || group.categories.length === 0) {
      problems.push({ path: `${path}.categories`, reason: "needs at least one category" });
      return;
    }
    group.categories.forEach((category, categoryIndex) => {
      const categoryPath = `${path}.categories[${categoryIndex}]`;
      if (typeof category.id !== "string" || !category.id.startsWith(`${group.id}.`)) {
        problems.push({ path: `${categoryPath}.id`, reason: `must start with "${group.id}."` });
      } else if (seen.has(category.id)) {
        problems.push({ path: `${categoryPath}.id`, reason: `duplicate id ${category.id}` });
      } else seen.add(category.id);
      if (!isText(category.label)) {
        problems.push({ path: `${categoryPath}.label`, reason: "needs sv and en" });
      }
      if (!["point", "line", "polygon"].includes(category.geometry)) {
        problems.push({ path: `${categoryPath}.geometry`, reason: "point, line or polygon" });
      }
    });
  });
  return problems;
}

export function findCategory(
  checklist: Checklist,
  categoryId: string,
): { group: ChecklistGroup; category: ChecklistCategory } | undefined {
  for (const group of checklist.groups) {
    const category = group.categories.find((candidate) => candidate.id === categoryId);
    if (category) return { group, category };
  }
  return undefined;
}
