/**
 * The lighting analysis (src/domain/lighting) runs here, off the page's main thread:
 * reading the layers, building the model and computing coverage or illuminance for a
 * city's paths never freezes the map or the list.
 */
/// <reference lib="webworker" />
import lightingClassesData from "../../data/lighting-classes.json";
import pathClassesData from "../../data/path-classes.json";
import type { PathClassesFile } from "../domain/layers";
import {
  areasFromFeatures,
  createLightingModel,
  type LightingClassesFile,
  lampsFromFeatures,
  lightingObservationsFromRecords,
  pathsFromFeatures,
  pieceFeatures,
  poisFromFeatures,
} from "../domain/lighting";
import { buildCandidates, PLAN_MAX_GAPS } from "../domain/plan/plan";
import type {
  LayerFeatures,
  LightingReply,
  LightingRequest,
  PlanReply,
  PlanRequest,
} from "./lighting-protocol";

const PATH_CLASSES = pathClassesData as PathClassesFile;
const CLASSES = lightingClassesData as LightingClassesFile;
const scope = self as unknown as DedicatedWorkerGlobalScope;

async function featuresOf(blobs: readonly Blob[]): Promise<LayerFeatures> {
  const all: LayerFeatures = [];
  for (const blob of blobs) {
    const collection = JSON.parse(await blob.text()) as { features?: LayerFeatures };
    for (const feature of collection.features ?? []) all.push(feature);
  }
  return all;
}

/** Read the layers and build the model: what the analysis and the plan share. */
async function modelOf(request: Omit<LightingRequest, "type">, maxGaps?: number) {
  const [pathFeatures, lampFeatures, poiFeatures, areaFeatures] = await Promise.all([
    featuresOf(request.paths),
    featuresOf(request.lamps),
    featuresOf(request.pois),
    featuresOf(request.areas),
  ]);
  const paths = pathsFromFeatures(pathFeatures, { pathClasses: PATH_CLASSES });
  const lamps = lampsFromFeatures(lampFeatures);
  const pois = poisFromFeatures(poiFeatures);
  const areas = areasFromFeatures(areaFeatures);
  const read = performance.now();
  const model = createLightingModel(
    {
      paths: paths.paths,
      lamps: lamps.lamps,
      observations: lightingObservationsFromRecords(request.observations),
      pois,
      areas,
    },
    {
      classes: CLASSES,
      ...(request.radiusM === null ? {} : { radiusM: request.radiusM }),
      ...(maxGaps === undefined ? {} : { maxGaps }),
    },
  );
  return { model, paths, lamps, pois, areas, read };
}

async function plan(request: PlanRequest): Promise<PlanReply> {
  const started = performance.now();
  const { model, pois, areas } = await modelOf(request, PLAN_MAX_GAPS);
  const lighting = request.mode === "illuminance" ? model.illuminance() : model.coverage();
  const candidates = buildCandidates(
    {
      observations: request.observations,
      sites: request.sites,
      model,
      lighting,
      pois,
      priorityAreas: areas,
    },
    { costs: request.costs, weights: request.weights },
  );
  return {
    type: "planned",
    id: request.id,
    candidates,
    timingsMs: { totalMs: performance.now() - started },
  };
}

async function analyse(request: LightingRequest): Promise<LightingReply> {
  const started = performance.now();
  const { model, paths, lamps, read } = await modelOf(request);
  const built = performance.now();
  const result = request.mode === "illuminance" ? model.illuminance() : model.coverage();
  const analysed = performance.now();
  // A gap is a stretch of one path: the same cut as a piece's (model.pieceLine).
  const gapLines = result.gaps.map((gap) =>
    model.pieceLine(
      {
        count: 1,
        pathIndex: Uint32Array.of(gap.pathIndex),
        startM: Float64Array.of(gap.startM),
        endM: Float64Array.of(gap.endM),
        state: Uint8Array.of(0),
      },
      0,
    ),
  );
  const features = pieceFeatures(model, result, CLASSES);
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const feature of features) {
    for (const [x, y] of feature.geometry.coordinates as [number, number][]) {
      if (x < bbox[0]) bbox[0] = x;
      if (y < bbox[1]) bbox[1] = y;
      if (x > bbox[2]) bbox[2] = x;
      if (y > bbox[3]) bbox[3] = y;
    }
  }
  const pieces = new Blob([JSON.stringify({ type: "FeatureCollection", features })], {
    type: "application/geo+json",
  });
  return {
    pieces,
    pieceCount: features.length,
    bbox: features.length > 0 ? bbox : null,
    gapLines,
    type: "analysed",
    id: request.id,
    result,
    timingsMs: { readMs: read - started, modelMs: built - read, analyseMs: analysed - built },
    leftOut: paths.leftOut.length + lamps.leftOut.length,
  };
}

scope.addEventListener("message", (event: MessageEvent<LightingRequest | PlanRequest>) => {
  const request = event.data;
  const work: Promise<LightingReply | PlanReply> =
    request.type === "plan" ? plan(request) : analyse(request);
  work.then(
    (reply) => scope.postMessage(reply),
    (error: unknown) =>
      scope.postMessage({
        type: "failed",
        id: request.id,
        message: error instanceof Error ? error.message : String(error),
      } satisfies LightingReply | PlanReply),
  );
});
