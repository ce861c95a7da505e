/**
 * Sites for people and GIS (docs/format.md, "Sites"): one Point per site at the mean of its
 * reports, with the counts a planner sorts by (reports, walks, who feels unsafe). Written by
 * `lykta sites`; the same conventions as every export (snake_case, units and `_sv` labels,
 * ISO 8601 local times, lists as JSON arrays in GeoJSON and ";"-joined in CSV).
 */
import type { Checklist } from "../checklist";
import type { GroupsFile } from "../groups";
import type { Site } from "../sites";
import { type ExportFeature, isoLocalTime, toGeoJsonText } from "./geojson";

export interface SiteExportContext {
  checklist: Checklist;
  /** data/groups.json: one `felt_unsafe_<group>` column per group, "everyone" first. */
  groups: GroupsFile;
}

/** `felt_unsafe_<id>` for every known group (0 when absent), then ids this app does not know. */
function feltUnsafeColumns(counts: Record<string, number>, knownIds: readonly string[]) {
  const columns: Record<string, number> = {};
  for (const id of knownIds) columns[`felt_unsafe_${id}`] = counts[id] ?? 0;
  for (const id of Object.keys(counts).sort()) {
    if (!knownIds.includes(id)) columns[`felt_unsafe_${id}`] = counts[id]!;
  }
  return columns;
}

/** One feature per site, in the order given (groupSites sorts by id). */
export function siteFeatures(sites: readonly Site[], context: SiteExportContext): ExportFeature[] {
  const groupLabels = new Map(context.checklist.groups.map((group) => [group.id, group.label.sv]));
  const categoryLabels = new Map(
    context.checklist.groups.flatMap((group) =>
      group.categories.map((category) => [category.id, category.label.sv] as const),
    ),
  );
  const knownGroups = [context.groups.everyone.id, ...context.groups.groups.map((g) => g.id)];
  return sites.map((site) => ({
    id: site.id,
    geometry: { type: "Point", coordinates: [...site.position] },
    properties: {
      site_id: site.id,
      group_id: site.groupId,
      group_label_sv: groupLabels.get(site.groupId) ?? null,
      category_ids: [...site.categoryIds],
      category_labels_sv: site.categoryIds.map((id) => categoryLabels.get(id) ?? id),
      report_count: site.reportCount,
      walk_count: site.walkCount,
      walk_ids: [...site.walkIds],
      member_ids: [...site.memberIds],
      ...feltUnsafeColumns(site.feltUnsafe, knownGroups),
      max_severity: site.maxSeverity,
      first_observed_at: isoLocalTime(site.firstObservedAt),
      last_observed_at: isoLocalTime(site.lastObservedAt),
      planned: site.planned,
    },
  }));
}

/** RFC 7946 GeoJSON text of the sites (WGS 84, at most 7 decimals), layer name "sites". */
export function sitesToGeoJson(
  sites: readonly Site[],
  context: SiteExportContext,
  exportedAt?: number,
): string {
  return toGeoJsonText(siteFeatures(sites, context), {
    name: "sites",
    kind: "sites",
    ...(exportedAt === undefined ? {} : { exportedAt }),
  });
}
