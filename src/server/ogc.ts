/**
 * OGC API – Features, Part 1: Core (OGC 17-069r4), read-only, GeoJSON only, for QGIS and GDAL
 * (docs/sync.md): a landing page, conformance, four collections and their items with
 * `limit`/`offset` paging and a WGS 84 `bbox` filter.
 *
 *   observations  live observations, as the GeoJSON export writes them (docs/format.md),
 *                 paged and filtered in SQL (PostGIS, GiST index)
 *   sites         sites grouped from the observations and site links (src/domain/sites.ts)
 *   lighting      the features of the planner's last `publication` of the lighting analysis
 *   plan          the features of the planner's last `publication` of the budget plan
 */
import type { Feature, FeatureCollection } from "geojson";
import checklistData from "../../data/checklist.json";
import groupsData from "../../data/groups.json";
import type { Checklist } from "../domain/checklist";
import { observationFeatures } from "../domain/export/geojson";
import { siteFeatures } from "../domain/export/sites";
import type { GroupsFile } from "../domain/groups";
import type { ObservationRecord } from "../domain/observation";
import { type PublicationRecord, publicationId } from "../domain/publication";
import type { SyncedRecord } from "../domain/record";
import { groupSites, type SiteLinkRecord } from "../domain/sites";
import type { WalkRecord } from "../domain/walk";
import type { Database } from "./database";
import { badRequest, notFound } from "./errors";
import { liveRecords, recordOfRow } from "./store";

const checklist = checklistData as Checklist;
const groups = groupsData as GroupsFile;

export const OGC_DEFAULT_LIMIT = 100;
export const OGC_MAX_LIMIT = 10_000;

export const CONFORMANCE = [
  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
];

const CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

export const COLLECTIONS = {
  observations: {
    title: "Observationer",
    description: "Observations of the safety walks (not deleted), as the GeoJSON export.",
  },
  sites: {
    title: "Platser",
    description: "Sites: reports of the same problem at the same place, one point each.",
  },
  lighting: {
    title: "Belysningsanalys",
    description: "The lighting analysis the planner last published.",
  },
  plan: { title: "Åtgärdsplan", description: "The budget plan the planner last published." },
} as const;

export type CollectionId = keyof typeof COLLECTIONS;

export function isCollectionId(id: string): id is CollectionId {
  return Object.hasOwn(COLLECTIONS, id);
}

export interface ItemsQuery {
  limit: number;
  offset: number;
  bbox: [number, number, number, number] | null;
}

/** Read `limit`, `offset` and `bbox`; 400 with the parameter named when one is wrong. */
export function parseItemsQuery(query: Record<string, string | undefined>): ItemsQuery {
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const text = query[name];
    if (text === undefined) return fallback;
    if (!/^\d{1,9}$/.test(text))
      throw badRequest("bad_parameter", `${name} must be a whole number`, name);
    const value = Number(text);
    if (value < min || value > max) {
      throw badRequest("bad_parameter", `${name} must be ${min} to ${max}`, name);
    }
    return value;
  };
  const limit = integer("limit", OGC_DEFAULT_LIMIT, 1, OGC_MAX_LIMIT);
  const offset = integer("offset", 0, 0, 1e9);
  let bbox: ItemsQuery["bbox"] = null;
  if (query.bbox !== undefined) {
    const parts = query.bbox.split(",").map((part) => Number(part));
    const [west, south, east, north] = parts as [number, number, number, number];
    if (
      parts.length !== 4 ||
      !parts.every((part) => Number.isFinite(part)) ||
      west < -180 ||
      east > 180 ||
      south < -90 ||
      north > 90 ||
      west > east ||
      south > north
    ) {
      throw badRequest(
        "bad_parameter",
        "bbox must be west,south,east,north in WGS 84 degrees (west <= east, south <= north)",
        "bbox",
      );
    }
    bbox = [west, south, east, north];
  }
  return { limit, offset, bbox };
}

export function landingPage(base: string) {
  return {
    title: "Lykta",
    description: "Lykta's shared situation picture: observations, sites, lighting and plan.",
    links: [
      { href: base, rel: "self", type: "application/json", title: "this document" },
      { href: `${base}/conformance`, rel: "conformance", type: "application/json" },
      { href: `${base}/collections`, rel: "data", type: "application/json" },
    ],
  };
}

function collectionInfo(base: string, id: CollectionId) {
  return {
    id,
    title: COLLECTIONS[id].title,
    description: COLLECTIONS[id].description,
    itemType: "feature",
    crs: [CRS84],
    extent: { spatial: { bbox: [[-180, -90, 180, 90]], crs: CRS84 } },
    links: [
      { href: `${base}/collections/${id}`, rel: "self", type: "application/json" },
      { href: `${base}/collections/${id}/items`, rel: "items", type: "application/geo+json" },
    ],
  };
}

export function collections(base: string) {
  return {
    links: [{ href: `${base}/collections`, rel: "self", type: "application/json" }],
    collections: (Object.keys(COLLECTIONS) as CollectionId[]).map((id) => collectionInfo(base, id)),
  };
}

export function collection(base: string, id: CollectionId) {
  return collectionInfo(base, id);
}

/** [west, south, east, north] of a GeoJSON geometry, or null for none. */
function boundsOf(feature: Feature): [number, number, number, number] | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  const visit = (value: unknown) => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === "number") {
      west = Math.min(west, value[0]);
      east = Math.max(east, value[0]);
      south = Math.min(south, value[1] as number);
      north = Math.max(north, value[1] as number);
      return;
    }
    for (const child of value) visit(child);
  };
  const geometry = feature.geometry as { coordinates?: unknown } | null;
  visit(geometry?.coordinates);
  return Number.isFinite(west) ? [west, south, east, north] : null;
}

function intersects(feature: Feature, bbox: [number, number, number, number]): boolean {
  const bounds = boundsOf(feature);
  if (bounds === null) return false;
  return !(
    bounds[0] > bbox[2] ||
    bounds[2] < bbox[0] ||
    bounds[1] > bbox[3] ||
    bounds[3] < bbox[1]
  );
}

interface Page {
  features: Feature[];
  numberMatched: number;
}

async function observationPage(
  database: Database,
  projectId: string,
  query: ItemsQuery,
): Promise<Page> {
  const params: unknown[] = [projectId];
  let filter = "project_id = $1 AND kind = 'observation' AND NOT deleted AND geom IS NOT NULL";
  if (query.bbox) {
    params.push(...query.bbox);
    filter += " AND ST_Intersects(geom, ST_MakeEnvelope($2, $3, $4, $5, 4326))";
  }
  const [count] = await database.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM records WHERE ${filter}`,
    params,
  );
  const rows = await database.query(
    `SELECT id, kind, walk_id, shape_version, deleted, fields, clock, seq FROM records WHERE ${filter}
     ORDER BY (fields->>'observedAt')::double precision, id COLLATE "C"
     LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.limit, query.offset],
  );
  const records = rows.map((row) => recordOfRow(projectId, row as never)) as ObservationRecord[];
  const walks = (await liveRecords(database, projectId, ["walk"])) as WalkRecord[];
  const features = observationFeatures(records, { checklist, groups, walks }) as Feature[];
  return { features, numberMatched: Number(count!.n) };
}

function pageOf(all: Feature[], query: ItemsQuery): Page {
  const matched = query.bbox ? all.filter((feature) => intersects(feature, query.bbox!)) : all;
  return {
    features: matched.slice(query.offset, query.offset + query.limit),
    numberMatched: matched.length,
  };
}

async function collectionFeatures(
  database: Database,
  projectId: string,
  id: Exclude<CollectionId, "observations">,
): Promise<Feature[]> {
  if (id === "sites") {
    const records = await liveRecords(database, projectId, ["observation", "siteLink"]);
    const observations = records.filter(
      (record) => record.kind === "observation",
    ) as ObservationRecord[];
    const links = records.filter((record) => record.kind === "siteLink") as SiteLinkRecord[];
    return siteFeatures(groupSites(observations, links, checklist), {
      checklist,
      groups,
    }) as Feature[];
  }
  const [publication] = (await liveRecords(database, projectId, ["publication"])).filter(
    (record: SyncedRecord) => record.id === publicationId(projectId, id),
  ) as PublicationRecord[];
  const published: FeatureCollection | null = publication?.fields.features ?? null;
  return (published?.features ?? []).map((feature, index) =>
    feature.id === undefined ? { ...feature, id: index + 1 } : feature,
  );
}

/** GET .../collections/:id/items */
export async function items(
  database: Database,
  projectId: string,
  id: CollectionId,
  query: ItemsQuery,
  base: string,
) {
  const page =
    id === "observations"
      ? await observationPage(database, projectId, query)
      : pageOf(await collectionFeatures(database, projectId, id), query);
  const href = (offset: number) => {
    const params = new URLSearchParams({ limit: String(query.limit), offset: String(offset) });
    if (query.bbox) params.set("bbox", query.bbox.join(","));
    return `${base}/collections/${id}/items?${params}`;
  };
  const links = [{ href: href(query.offset), rel: "self", type: "application/geo+json" }];
  if (query.offset + page.features.length < page.numberMatched) {
    links.push({
      href: href(query.offset + query.limit),
      rel: "next",
      type: "application/geo+json",
    });
  }
  if (query.offset > 0) {
    links.push({
      href: href(Math.max(0, query.offset - query.limit)),
      rel: "prev",
      type: "application/geo+json",
    });
  }
  return {
    type: "FeatureCollection",
    // The export builders leave out `type` (exports add it when writing): GeoJSON needs it.
    features: page.features.map((feature) => ({ ...feature, type: "Feature" })),
    numberMatched: page.numberMatched,
    numberReturned: page.features.length,
    timeStamp: new Date().toISOString(),
    links,
  };
}

/** GET .../collections/:id/items/:featureId */
export async function item(
  database: Database,
  projectId: string,
  id: CollectionId,
  featureId: string,
) {
  const all =
    id === "observations"
      ? (
          await observationPage(database, projectId, {
            limit: OGC_MAX_LIMIT,
            offset: 0,
            bbox: null,
          })
        ).features
      : await collectionFeatures(database, projectId, id);
  const found = all.find((feature) => String(feature.id) === featureId);
  if (!found) throw notFound(`no feature ${featureId} in ${id}`);
  return { ...found, type: "Feature" };
}
