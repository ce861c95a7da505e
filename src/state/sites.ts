/**
 * Sites: places reported by several teams, derived from the project's observations
 * (src/domain/sites.ts) and a planner's joins and splits (siteLink records). Derived, never
 * stored: every device derives the same sites from the same records.
 */
import { batch, computed, signal } from "@preact/signals";
import type { ObservationRecord } from "../domain/observation";
import {
  groupSites,
  joinSites,
  nearbyReports,
  type Site,
  type SiteLinkRecord,
  splitSite,
} from "../domain/sites";
import { commit } from "./actions";
import { t } from "./i18n";
import { ctx, db, notify } from "./session";
import { CHECKLIST, observations } from "./store";

/** Live observations of every walk of the open project (the sites screen, "nearby"). */
export const projectObservations = signal<ObservationRecord[]>([]);
/** Live site links (a planner's joins and splits) of the open project. */
export const siteLinks = signal<SiteLinkRecord[]>([]);
/** The project whose observations and links are loaded. */
export const sitesProjectId = signal<string | null>(null);

export const sites = computed<Site[]>(() =>
  groupSites(projectObservations.value, siteLinks.value, CHECKLIST),
);

/** Sites with more than one report first (the strongest evidence), then by severity. */
export const sitesByWeight = computed<Site[]>(() =>
  [...sites.value].sort(
    (a, b) =>
      b.reportCount - a.reportCount ||
      b.walkCount - a.walkCount ||
      b.maxSeverity - a.maxSeverity ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  ),
);

/** Show a project's observations and site links (all walks), as read from storage. */
export function setProjectObservations(
  projectId: string,
  list: readonly ObservationRecord[],
  links: readonly SiteLinkRecord[],
): void {
  batch(() => {
    projectObservations.value = list.filter((record) => !record.deleted);
    siteLinks.value = links.filter((record) => !record.deleted);
    sitesProjectId.value = projectId;
  });
}

/** Read the project's observations and site links (all walks). */
export async function loadProjectObservations(projectId: string): Promise<void> {
  const store = db();
  const [list, links] = await Promise.all([
    store.listProjectKind<ObservationRecord>(projectId, "observation"),
    store.listProjectKind<SiteLinkRecord>(projectId, "siteLink"),
  ]);
  setProjectObservations(projectId, list, links);
}

/** Keep the loaded project's lists in step with records just written or merged. */
export function refreshSitesFor(records: readonly { kind: string; projectId: string }[]): void {
  const projectId = sitesProjectId.value;
  if (!projectId) return;
  const touched = records.filter((record) => record.projectId === projectId);
  if (touched.length === 0) return;
  const replace = <R extends { id: string; deleted: boolean }>(list: R[], kind: string) => {
    const incoming = touched.filter((record) => record.kind === kind) as unknown as R[];
    if (incoming.length === 0) return list;
    const ids = new Set(incoming.map((record) => record.id));
    return [
      ...list.filter((record) => !ids.has(record.id)),
      ...incoming.filter((record) => !record.deleted),
    ];
  };
  projectObservations.value = replace(projectObservations.value, "observation");
  siteLinks.value = replace(siteLinks.value, "siteLink");
}

/** Join two sites the grouping kept apart (stored as a siteLink record). */
export async function joinTwoSites(a: Site, b: Site): Promise<boolean> {
  const projectId = sitesProjectId.value;
  if (!projectId) return false;
  const records = joinSites(a, b, siteLinks.value, projectId, ctx());
  const ok = await commit(records);
  if (ok) notify(t("sitesJoined"), "success");
  return ok;
}

/** Take some reports out of a site into a site of their own. */
export async function splitOffSite(site: Site, separate: readonly string[]): Promise<boolean> {
  const projectId = sitesProjectId.value;
  if (!projectId || separate.length === 0 || separate.length >= site.memberIds.length) {
    return false;
  }
  const records = splitSite(site, [...separate], siteLinks.value, projectId, ctx());
  const ok = await commit(records);
  if (ok) notify(t("sitesSplitDone"), "success");
  return ok;
}

/**
 * Reports of the same category near a position, from every walk of the project (FixMyStreet
 * shows reports within 250 m): the team can add to one instead of reporting it again.
 */
export function reportsNear(
  position: [number, number],
  categoryId: string,
  excludeId?: string,
): { observation: ObservationRecord; distanceM: number }[] {
  const own = observations.value;
  const ownIds = new Set(own.map((record) => record.id));
  const all = [...own, ...projectObservations.value.filter((record) => !ownIds.has(record.id))];
  return nearbyReports(all, position, categoryId, excludeId ? { excludeId } : {});
}
