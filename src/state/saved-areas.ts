/**
 * Saved areas of online tile sources: plan one (tile count and estimated size), download it
 * with progress, cancel, resume, list, delete, and read its tiles for the map. One download
 * runs at a time. Tiles live in the basemaps' own database, never beside walk data.
 */
import { computed, signal } from "@preact/signals";
import type { Polygon } from "geojson";
import type { TileSource } from "../domain/basemap";
import { newId } from "../domain/ids";
import { type AreaRegion, regionShape, type SavedArea } from "../domain/saved-area";
import { estimateSizeBytes, planTiles, type TileId, type TilePlan } from "../domain/tiles";
import type { WalkRecord } from "../domain/walk";
import type { StorageErrorKind } from "../storage/errors";
import { SavedAreaStore } from "../storage/saved-areas";
import { openedOnce } from "./basemap-files";
import { db } from "./session";
import { refreshStorageInfo, requestPersistence } from "./storage-info";
import { type DownloadOutcome, downloadArea } from "./tile-download";

const store = openedOnce(() => SavedAreaStore.open());

/** Saved areas, oldest first; null until read. */
export const savedAreas = signal<SavedArea[] | null>(null);

/** The download running now (one at a time). */
export const activeDownload = signal<{ areaId: string; controller: AbortController } | null>(null);

/** How the last download of each area ended in this session, for its message. */
export const downloadEnds = signal<
  Record<string, { status: DownloadOutcome["status"]; storageError?: StorageErrorKind }>
>({});

/** Bytes of all saved areas' tiles (a tile two areas share counts in both). */
export const savedAreasBytes = computed(() =>
  (savedAreas.value ?? []).reduce((sum, area) => sum + area.storedBytes, 0),
);

function replaceArea(area: SavedArea) {
  const list = savedAreas.value ?? [];
  savedAreas.value = list.some((candidate) => candidate.id === area.id)
    ? list.map((candidate) => (candidate.id === area.id ? area : candidate))
    : [...list, area];
}

export async function refreshSavedAreas(): Promise<void> {
  try {
    const list = await (await store()).list();
    const running = activeDownload.value?.areaId;
    // A download the app was closed in the middle of is paused: resume continues it.
    savedAreas.value = list.map((area) =>
      area.status === "downloading" && area.id !== running ? { ...area, status: "paused" } : area,
    );
  } catch (error) {
    console.warn("Lykta: saved areas cannot be listed", error);
    savedAreas.value = [];
  }
}

/** A saved tile, for the map (src/map/tiles-protocol.ts). */
export async function readSavedTile(
  sourceId: string,
  tile: TileId,
): Promise<{ bytes: ArrayBuffer } | undefined> {
  try {
    return await (await store()).readTile(sourceId, tile);
  } catch (error) {
    console.warn("Lykta: a saved tile cannot be read", error);
    return undefined;
  }
}

export interface AreaEstimate {
  plan: TilePlan;
  sizeBytes: number;
  meanTileBytes: number;
  /** From tiles of this source already stored, rather than the assumption. */
  measured: boolean;
}

/** The tile count and estimated size of an area before it is saved. */
export async function estimateArea(
  source: TileSource,
  region: AreaRegion,
  minZoom: number,
  maxZoom: number,
): Promise<AreaEstimate> {
  const plan = planTiles(regionShape(region), minZoom, maxZoom);
  const totals = await (await store())
    .sourceTotals(source.id)
    .catch(() => ({ tiles: 0, bytes: 0 }));
  return { plan, ...estimateSizeBytes(plan.tileCount, totals) };
}

/** The download running now, to wait for. */
let running: Promise<unknown> = Promise.resolve();

function run(areaId: string): Promise<DownloadOutcome | null> {
  if (activeDownload.value) return Promise.resolve(null);
  const result = runDownload(areaId).catch((error) => {
    console.warn("Lykta: the download stopped", error);
    void refreshSavedAreas();
    return null;
  });
  running = result;
  return result;
}

async function runDownload(areaId: string): Promise<DownloadOutcome> {
  const controller = new AbortController();
  activeDownload.value = { areaId, controller };
  const { [areaId]: _previous, ...others } = downloadEnds.value;
  downloadEnds.value = others;
  // A saved area is what the team needs with no network: ask the browser to keep it.
  await requestPersistence(true);
  const started = performance.now();
  try {
    const outcome = await downloadArea(await store(), areaId, {
      signal: controller.signal,
      onProgress: replaceArea,
    });
    performance.measure("lykta:area-download", {
      start: started,
      duration: outcome.durationMs,
      detail: { tiles: outcome.fetchedTiles, bytes: outcome.fetchedBytes },
    });
    downloadEnds.value = {
      ...downloadEnds.value,
      [areaId]: {
        status: outcome.status,
        ...(outcome.storageError ? { storageError: outcome.storageError } : {}),
      },
    };
    replaceArea(outcome.area);
    return outcome;
  } finally {
    activeDownload.value = null;
    await refreshStorageInfo();
  }
}

/** Record a new area and start downloading it (the list shows its progress). */
export async function saveArea(
  input: Pick<
    SavedArea,
    "name" | "source" | "region" | "minZoom" | "maxZoom" | "tileCount" | "estimatedBytes"
  >,
): Promise<SavedArea> {
  const now = Date.now();
  const area: SavedArea = {
    id: newId(),
    ...input,
    storedTiles: 0,
    storedBytes: 0,
    missingTiles: 0,
    failedTiles: 0,
    status: "paused",
    createdAt: now,
    updatedAt: now,
  };
  await (await store()).create(area);
  replaceArea(area);
  void run(area.id);
  return area;
}

/** Continue a paused, stopped or incomplete area: stored tiles are skipped. */
export function resumeArea(areaId: string): Promise<DownloadOutcome | null> {
  return run(areaId);
}

export function cancelDownload(): void {
  activeDownload.value?.controller.abort(new DOMException("Cancelled", "AbortError"));
}

export async function deleteSavedArea(areaId: string): Promise<void> {
  if (activeDownload.value?.areaId === areaId) {
    cancelDownload();
    await running;
  }
  await (await store()).delete(areaId);
  await refreshSavedAreas();
  await refreshStorageInfo();
}

/** Walks with an area outline, newest first: areas a team can save the map of. */
export async function walksWithArea(): Promise<{ id: string; name: string; polygon: Polygon }[]> {
  const list = await db().listByKind<WalkRecord>("walk");
  return list
    .filter((walk) => !walk.deleted && walk.fields.areaPolygon)
    .sort((a, b) => (a.fields.date < b.fields.date ? 1 : a.fields.date > b.fields.date ? -1 : 0))
    .map((walk) => ({ id: walk.id, name: walk.fields.name, polygon: walk.fields.areaPolygon! }));
}
