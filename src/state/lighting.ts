/**
 * The lighting analysis of the open project: the page gathers the project's layers and
 * observations, the lighting worker computes, and the result is shown on the map, as a table
 * per path class and as a ranked list of dark gaps.
 */
import { signal } from "@preact/signals";
import type { Position } from "geojson";
import type { CoverageResult, IlluminanceResult } from "../domain/lighting";
import type {
  LightingMode,
  LightingReply,
  LightingRequest,
  PlanRequest,
} from "../workers/lighting-protocol";
import { db } from "./session";
import { projectObservations } from "./sites";
import { projectLayers } from "./store";

export interface LightingRun {
  projectId: string;
  mode: LightingMode;
  radiusM: number | null;
  result: CoverageResult | IlluminanceResult;
  /** Object URL of the pieces' GeoJSON (for the map); revoked when a new run replaces it. */
  piecesUrl: string;
  pieceCount: number;
  bbox: [number, number, number, number] | null;
  gapLines: Position[][];
  timingsMs: { readMs: number; modelMs: number; analyseMs: number };
  /** Wall time from the request to the reply, ms. */
  wallMs: number;
}

export type LightingState =
  | { state: "idle" }
  | { state: "running"; projectId: string; mode: LightingMode }
  | { state: "done"; run: LightingRun }
  | {
      state: "failed";
      projectId: string;
      reason: "no_paths" | "no_lamps" | "crashed";
      detail?: string;
    };

export const lighting = signal<LightingState>({ state: "idle" });
/** The gap (by rank) chosen in the list or on the map. */
export const selectedGap = signal<number | null>(null);

let worker: Worker | undefined;
let nextId = 1;

function getWorker(): Worker {
  worker ??= new Worker(new URL("../workers/lighting.worker.ts", import.meta.url), {
    type: "module",
  });
  return worker;
}

/** Send a request to the lighting worker and wait for the reply with its id. */
export function askLightingWorker<Reply extends { id: number }>(
  request: LightingRequest | PlanRequest,
): Promise<Reply> {
  return new Promise((resolve) => {
    const target = getWorker();
    const onMessage = (event: MessageEvent<Reply>) => {
      if (event.data.id !== request.id) return;
      target.removeEventListener("message", onMessage);
      resolve(event.data);
    };
    target.addEventListener("message", onMessage);
    target.postMessage(request);
  });
}

/** A request id for the lighting worker. */
export function nextRequestId(): number {
  return nextId++;
}

/** The open project's layer files by role, for the worker. */
export async function projectLayerBlobs(projectId: string) {
  const layers = projectLayers.value.filter((layer) => layer.projectId === projectId);
  const blobsOf = async (role: string) => {
    const blobs: Blob[] = [];
    for (const layer of layers) {
      if (layer.fields.role !== role) continue;
      const blob = await db().getLayerData(layer.fields.dataId);
      if (blob) blobs.push(blob);
    }
    return blobs;
  };
  const [paths, lamps, pois, areas] = await Promise.all([
    blobsOf("paths"),
    blobsOf("lamps"),
    blobsOf("poi"),
    blobsOf("priority_areas"),
  ]);
  return { paths, lamps, pois, areas };
}

/** Run the analysis of the open project's visible layers in the worker. */
export async function runLighting(
  projectId: string,
  mode: LightingMode,
  radiusM: number | null,
): Promise<void> {
  const { paths, lamps, pois, areas } = await projectLayerBlobs(projectId);
  if (paths.length === 0 || lamps.length === 0) {
    lighting.value = {
      state: "failed",
      projectId,
      reason: paths.length === 0 ? "no_paths" : "no_lamps",
    };
    return;
  }
  lighting.value = { state: "running", projectId, mode };
  selectedGap.value = null;
  const started = performance.now();
  const reply = await askLightingWorker<LightingReply>({
    type: "analyse",
    id: nextRequestId(),
    mode,
    radiusM,
    paths,
    lamps,
    pois,
    areas,
    observations: projectObservations.value.filter((record) => record.projectId === projectId),
  });
  const previous = lighting.peek();
  if (previous.state === "done") URL.revokeObjectURL(previous.run.piecesUrl);
  if (reply.type === "failed") {
    lighting.value = { state: "failed", projectId, reason: "crashed", detail: reply.message };
    return;
  }
  lighting.value = {
    state: "done",
    run: {
      projectId,
      mode,
      radiusM,
      result: reply.result,
      piecesUrl: URL.createObjectURL(reply.pieces),
      pieceCount: reply.pieceCount,
      bbox: reply.bbox,
      gapLines: reply.gapLines,
      timingsMs: reply.timingsMs,
      wallMs: performance.now() - started,
    },
  };
}
