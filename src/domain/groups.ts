/**
 * Groups of people (data/groups.json) and organisations (data/organisations.json).
 * One list of groups is used everywhere: for "who feels unsafe here" and for
 * participant counts. Participants are counts only, never names (GDPR).
 */
import type { LocalizedText } from "./labels";

export interface LabelledId {
  id: string;
  label: LocalizedText;
}

export interface GroupsFile {
  formatVersion: number;
  everyone: LabelledId;
  groups: LabelledId[];
}

export interface OrganisationsFile {
  formatVersion: number;
  organisations: LabelledId[];
}

export const EVERYONE = "everyone";

/** Participant counts: whole numbers from 0, keyed by organisation or group id. */
export type Counts = Record<string, number>;

export const MAX_PARTICIPANTS_PER_ENTRY = 999;

/** Drop zero entries and unknown ids, so equal counts compare equal. */
export function normaliseCounts(counts: Counts, knownIds: readonly string[]): Counts {
  const result: Counts = {};
  for (const id of knownIds) {
    const value = counts[id];
    if (typeof value === "number" && value > 0) result[id] = value;
  }
  return result;
}

export function totalCount(counts: Counts): number {
  return Object.values(counts).reduce((sum, value) => sum + value, 0);
}
