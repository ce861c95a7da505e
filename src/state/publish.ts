/**
 * A planner publishes the latest lighting analysis and budget plan to the sync server, where
 * the OGC API serves them to the municipal GIS (docs/sync.md). A publication is a record like
 * any other (src/domain/publication.ts): stored here first, then pushed with the next sync.
 */
import type { FeatureCollection } from "geojson";
import type { PlanCandidates, PlanSelection } from "../domain/plan/plan";
import {
  type PublicationCollection,
  type PublicationRecord,
  publicationId,
  publish,
} from "../domain/publication";
import { commit } from "./actions";
import { followUps } from "./follow-up";
import { t } from "./i18n";
import { lighting } from "./lighting";
import { ctx, db, notify } from "./session";
import { GROUPS, settings } from "./store";
import { syncConnections, syncNow } from "./sync";

/** May this device publish the project's results (a planner connected to a server)? */
export function canPublish(projectId: string): boolean {
  return syncConnections.value.get(projectId)?.role === "planner";
}

async function publishCollection(
  projectId: string,
  collection: PublicationCollection,
  features: FeatureCollection,
): Promise<boolean> {
  const existing = await db().getRecord<PublicationRecord>(publicationId(projectId, collection));
  const record = publish(existing, projectId, collection, features, ctx());
  if (!(await commit([record]))) return false;
  notify(
    t("publish.done", { count: features.features.length, what: t(`publish.what.${collection}`) }),
    "success",
  );
  void syncNow(projectId);
  return true;
}

/** The pieces of the lighting analysis shown on the screen. */
export async function publishLighting(projectId: string): Promise<boolean> {
  const current = lighting.value;
  if (current.state !== "done" || current.run.projectId !== projectId) return false;
  const pieces = (await (await fetch(current.run.piecesUrl)).json()) as FeatureCollection;
  return publishCollection(projectId, "lighting", pieces);
}

/** The plan as its GeoJSON export has it (src/domain/export/plan.ts). */
export async function publishPlan(
  projectId: string,
  candidates: PlanCandidates,
  selection: PlanSelection,
): Promise<boolean> {
  const { planFeatures } = await import("../domain/export/plan");
  const features = planFeatures(candidates, selection, {
    language: settings.value.language,
    followUps: followUps.value,
    now: Date.now(),
    groups: GROUPS,
  });
  return publishCollection(projectId, "plan", {
    type: "FeatureCollection",
    // A layer in a GIS needs a geometry; a task without a place is in the plan's table only.
    features: features
      .filter((feature) => feature.geometry !== null)
      .map((feature) => ({
        type: "Feature",
        geometry: feature.geometry,
        properties: feature.properties,
        ...(feature.id === null ? {} : { id: feature.id }),
      })),
  } as FeatureCollection);
}
