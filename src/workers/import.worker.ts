/**
 * Imports run here, off the page's main thread: parsing, reprojection, validation and
 * normalisation of tens of thousands of features never freezes the UI. The page gets a
 * summary first (valid, rejected with reasons), and the data file only when the person
 * accepts the import.
 */
/// <reference lib="webworker" />
import type { Feature } from "geojson";
import pathClassesData from "../../data/path-classes.json";
import { sha256Hex } from "../domain/hash";
import { importFile } from "../domain/import/index";
import {
  belongsToRole,
  boundsOf,
  detectFieldMapping,
  LAYER_ROLES,
  type LayerRole,
  looksLikeOsm,
  normaliseProperties,
  OSM_ATTRIBUTION,
  type PathClassesFile,
  propertyNames,
  suggestRole,
} from "../domain/layers";
import { type FromWorker, ISSUES_SHOWN, type ToWorker } from "./import-protocol";

const PATH_CLASSES = pathClassesData as PathClassesFile;
const sessions = new Map<number, Feature[]>();
const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: FromWorker, transfer: Transferable[] = []) {
  scope.postMessage(message, transfer);
}

async function analyse(message: Extract<ToWorker, { type: "analyse" }>) {
  let lastSent = 0;
  const result = await importFile(
    { name: message.name, bytes: message.bytes, fromCrs: message.fromCrs },
    (fraction) => {
      if (fraction - lastSent >= 0.02 || fraction === 1) {
        lastSent = fraction;
        post({ type: "progress", id: message.id, fraction });
      }
    },
  );
  if (!result.ok) {
    post({ type: "analysed", id: message.id, ok: false, issue: result.issue });
    return;
  }
  sessions.set(message.id, result.features);
  const names = propertyNames(result.features);
  const geometryCounts = { point: 0, line: 0, polygon: 0 };
  let osmLampCount = 0;
  for (const feature of result.features) {
    const type = feature.geometry?.type ?? "";
    if (type === "Point" && feature.properties?.highway === "street_lamp") osmLampCount += 1;
    if (type.endsWith("Point")) geometryCounts.point += 1;
    else if (type.endsWith("LineString")) geometryCounts.line += 1;
    else if (type.endsWith("Polygon")) geometryCounts.polygon += 1;
  }
  const mappings = Object.fromEntries(
    LAYER_ROLES.map((role) => [role, detectFieldMapping(role, names)]),
  ) as Record<LayerRole, ReturnType<typeof detectFieldMapping>>;
  post({
    type: "analysed",
    id: message.id,
    ok: true,
    summary: {
      format: result.format,
      sourceCrs: result.sourceCrs,
      encoding: result.encoding,
      totalFeatures: result.totalFeatures,
      validCount: result.features.length,
      rejected: result.rejected.slice(0, ISSUES_SHOWN),
      rejectedCount: result.rejected.length,
      repaired: result.repaired.slice(0, ISSUES_SHOWN),
      repairedCount: result.repaired.length,
      propertyNames: names.slice(0, 80),
      suggestedRole: suggestRole(result.features),
      mappings,
      geometryCounts,
      osmLampCount,
      attribution: result.attribution ?? (looksLikeOsm(result.features) ? OSM_ATTRIBUTION : ""),
    },
  });
}

async function finalise(message: Extract<ToWorker, { type: "finalise" }>) {
  const features = sessions.get(message.id);
  if (!features) throw new Error(`import ${message.id} is not open`);
  const kept: Feature[] = [];
  let skippedForRole = 0;
  const osmLamps = features.some(
    (feature) =>
      feature.geometry?.type === "Point" && feature.properties?.highway === "street_lamp",
  );
  for (const feature of features) {
    if (!belongsToRole(message.role, feature, osmLamps)) {
      skippedForRole += 1;
      continue;
    }
    const source = (feature.properties ?? {}) as Record<string, unknown>;
    kept.push({
      type: "Feature",
      ...(feature.id !== undefined ? { id: feature.id } : {}),
      geometry: feature.geometry,
      properties: {
        ...normaliseProperties(
          message.role,
          source,
          message.mapping,
          PATH_CLASSES,
          message.poiKind ?? "other",
        ),
        source,
      },
    });
  }
  const data = new TextEncoder().encode(
    JSON.stringify({ type: "FeatureCollection", features: kept }),
  );
  const dataId = await sha256Hex(data);
  // The session stays open: one file may give two layers (an OSM extract: paths and lamps).
  post(
    {
      type: "finalised",
      id: message.id,
      layer: { data, dataId, featureCount: kept.length, skippedForRole, bbox: boundsOf(kept) },
    },
    [data.buffer],
  );
}

scope.addEventListener("message", (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  const run =
    message.type === "analyse"
      ? analyse(message)
      : message.type === "finalise"
        ? finalise(message)
        : Promise.resolve(void sessions.delete(message.id));
  run.catch((error: unknown) => {
    sessions.delete(message.id);
    post({
      type: "failed",
      id: message.id,
      message: error instanceof Error ? error.message : String(error),
    });
  });
});
