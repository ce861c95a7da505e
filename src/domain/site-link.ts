/**
 * A planner's decision about sites (sites.ts): "these reports are the same place" (a join)
 * or "these reports are not the same place" (a split). Stored as a record of its own so the
 * decision survives re-deriving the sites, travels in `.lykta` packages and merges field by
 * field like any record (../shared/STYLE.md). Sites themselves are never stored: every
 * device derives them from the observations and these links.
 *
 * Meaning: every observation in `groupA` is (`same`) or is not (`different`) the same place
 * as every observation in `groupB`. Nothing is said about pairs inside one group.
 */
import { newId } from "./ids";
import { createRecord, type EditContext, type SyncedRecord } from "./record";

export type SiteRelation = "same" | "different";

export interface SiteLinkFields {
  /** "" only in a tombstone. */
  relation: SiteRelation | "";
  /** Observation ids, sorted. */
  groupA: string[];
  /** Observation ids, sorted. */
  groupB: string[];
}

export type SiteLinkRecord = SyncedRecord<SiteLinkFields>;

/** What a tombstone keeps: nothing. */
export const EMPTY_SITE_LINK_FIELDS: SiteLinkFields = Object.freeze({
  relation: "",
  groupA: [],
  groupB: [],
}) as SiteLinkFields;

/**
 * A new link. The groups are stored sorted, so two devices that make the same decision
 * write equal values. Throws on a programmer error: no relation, an empty group, or an
 * observation on both sides (it cannot be "different" from itself).
 */
export function createSiteLink(
  projectId: string,
  fields: SiteLinkFields,
  ctx: EditContext,
  id: string = newId(),
): SiteLinkRecord {
  const problem = siteLinkProblem(fields);
  if (problem !== null) throw new Error(`createSiteLink: ${problem}`);
  const sorted: SiteLinkFields = {
    relation: fields.relation,
    groupA: [...new Set(fields.groupA)].sort(),
    groupB: [...new Set(fields.groupB)].sort(),
  };
  return createRecord({ id, kind: "siteLink", projectId, fields: sorted }, ctx);
}

/** Why `value` is not the fields of a live site link, or null when it is. */
export function siteLinkProblem(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return "fields are not an object";
  const fields = value as Partial<Record<keyof SiteLinkFields, unknown>>;
  if (fields.relation !== "same" && fields.relation !== "different") {
    return `relation must be "same" or "different", not ${JSON.stringify(fields.relation)}`;
  }
  for (const side of ["groupA", "groupB"] as const) {
    const group = fields[side];
    if (!Array.isArray(group) || !group.every((id) => typeof id === "string" && id !== "")) {
      return `${side} must be a list of observation ids`;
    }
    if (group.length === 0) return `${side} is empty`;
  }
  const inA = new Set(fields.groupA as string[]);
  const both = (fields.groupB as string[]).find((id) => inA.has(id));
  if (both !== undefined) return `observation ${both} is in both groups`;
  return null;
}

/** Live links only: tombstones and links without a relation say nothing. */
export function isLiveSiteLink(link: SiteLinkRecord): boolean {
  return !link.deleted && link.fields.relation !== "";
}
