/**
 * Downloading a saved area's tiles: a few requests at a time, spaced out, lowest zoom first,
 * each tile stored as it arrives (src/storage/saved-areas.ts). Cancel stops at once and keeps
 * what is stored; resume skips every tile already stored (also ones another area of the same
 * source stored). A full disk stops the download cleanly: what was stored stays, and the
 * walks' database is never touched. No signals or UI here, so Node tests run it as it is.
 */
import { regionShape, type SavedArea } from "../domain/saved-area";
import { planTiles, type TileId, tileKey, tilesOf, tileUrl } from "../domain/tiles";
import { StorageError, type StorageErrorKind } from "../storage/errors";
import type { SavedAreaStore } from "../storage/saved-areas";

/**
 * Politeness towards the source's server, whose permission the team has: at most 4 requests
 * at once and 20 started per second. OSM's tile usage policy, the strictest of the common
 * ones, allows 2 connections for interactive use and no bulk download at all (so OSM's
 * tiles are never downloaded); a municipal or commercial server the team may use is
 * expected to take this.
 */
export const DOWNLOAD_CONCURRENCY = 4;
export const DOWNLOAD_MIN_INTERVAL_MS = 50;
/** A tile refused with 429 or 503 is tried this many times in all, waiting as told. */
export const DOWNLOAD_MAX_ATTEMPTS = 3;
/** How long to wait after 429/503 without a Retry-After header. */
const DEFAULT_RETRY_MS = 2_000;
/** The longest wait a Retry-After header may ask for before the tile counts as failed. */
const MAX_RETRY_MS = 60_000;

export type TileFetchResult =
  | { kind: "tile"; bytes: ArrayBuffer; type: string }
  /** The source has no tile here (404, 204). */
  | { kind: "missing" }
  /** Asked to come back later (429, 503). */
  | { kind: "retry"; afterMs: number }
  | { kind: "failed"; detail: string };

function isAbort(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === "AbortError";
}

/** One request for a tile, read into a result (throws only when aborted). */
export async function fetchTileOnce(url: string, signal: AbortSignal): Promise<TileFetchResult> {
  let response: Response;
  try {
    response = await fetch(url, { signal, credentials: "omit" });
  } catch (error) {
    if (isAbort(error)) throw error;
    return { kind: "failed", detail: error instanceof Error ? error.message : String(error) };
  }
  if (response.status === 404 || response.status === 204) return { kind: "missing" };
  if (response.status === 429 || response.status === 503) {
    const seconds = Number(response.headers.get("retry-after"));
    return {
      kind: "retry",
      afterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_RETRY_MS,
    };
  }
  if (!response.ok) return { kind: "failed", detail: `HTTP ${response.status}` };
  const type = response.headers.get("content-type") ?? "";
  // A WMTS exception report or an HTML error page is not a tile.
  if (!type.startsWith("image/")) return { kind: "failed", detail: `not an image (${type})` };
  return { kind: "tile", bytes: await response.arrayBuffer(), type };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export interface DownloadOptions {
  /** Cancel: stops at once; what is stored stays. */
  signal: AbortSignal;
  onProgress?(area: SavedArea): void;
  concurrency?: number;
  minIntervalMs?: number;
  maxAttempts?: number;
  fetchTile?(url: string, signal: AbortSignal): Promise<TileFetchResult>;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  now?(): number;
}

export interface DownloadOutcome {
  status: "complete" | "paused" | "quota" | "incomplete" | "storage_failed";
  area: SavedArea;
  /** Tiles fetched and stored in this run, and their bytes (not ones linked or skipped). */
  fetchedTiles: number;
  fetchedBytes: number;
  /** Tiles already done when this run started. */
  skippedTiles: number;
  durationMs: number;
  storageError?: StorageErrorKind;
}

/** Download (or resume) an area's tiles into the store. */
export async function downloadArea(
  store: SavedAreaStore,
  areaId: string,
  options: DownloadOptions,
): Promise<DownloadOutcome> {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? abortableSleep;
  const fetchTile = options.fetchTile ?? fetchTileOnce;
  const concurrency = options.concurrency ?? DOWNLOAD_CONCURRENCY;
  const minIntervalMs = options.minIntervalMs ?? DOWNLOAD_MIN_INTERVAL_MS;
  const maxAttempts = options.maxAttempts ?? DOWNLOAD_MAX_ATTEMPTS;
  const started = now();

  const initial = await store.get(areaId);
  if (!initial) throw new Error(`downloadArea: no saved area ${areaId}`);
  const plan = planTiles(regionShape(initial.region), initial.minZoom, initial.maxZoom);
  const done = await store.doneTileKeys(areaId);
  const pending: TileId[] = [];
  for (const tile of tilesOf(plan.runs)) if (!done.has(tileKey(tile))) pending.push(tile);

  let area = (await store.setStatus(areaId, "downloading", 0)) ?? initial;
  options.onProgress?.(area);

  // Stops the workers: the person's cancel, or a full disk.
  const stop = new AbortController();
  const onCancel = () => stop.abort(options.signal.reason);
  options.signal.addEventListener("abort", onCancel, { once: true });
  if (options.signal.aborted) stop.abort(options.signal.reason);
  let storageError: StorageErrorKind | null = null;
  let failed = 0;
  let fetchedTiles = 0;
  let fetchedBytes = 0;
  let next = 0;
  let nextStartAt = now();

  const progress = (updated: SavedArea) => {
    area = updated;
    options.onProgress?.(updated);
  };

  const stored = async (write: () => Promise<SavedArea | null>): Promise<SavedArea | null> => {
    try {
      return await write();
    } catch (error) {
      storageError = error instanceof StorageError ? error.kind : "failed";
      stop.abort(error);
      return null;
    }
  };

  const worker = async () => {
    while (next < pending.length && !stop.signal.aborted) {
      const tile = pending[next++]!;
      // Stored already by another area of the source: no request.
      const linked = await stored(() => store.linkStoredTile(areaId, tile));
      if (stop.signal.aborted) return;
      if (linked) {
        progress(linked);
        continue;
      }
      for (let attempt = 1; ; attempt += 1) {
        const wait = nextStartAt - now();
        nextStartAt = Math.max(now(), nextStartAt) + minIntervalMs;
        if (wait > 0) await sleep(wait, stop.signal);
        const result = await fetchTile(tileUrl(area.source.url, tile), stop.signal);
        if (result.kind === "retry" && attempt < maxAttempts && result.afterMs <= MAX_RETRY_MS) {
          await sleep(result.afterMs, stop.signal);
          continue;
        }
        if (result.kind === "tile") {
          const updated = await stored(() =>
            store.storeTile(areaId, tile, { bytes: result.bytes, type: result.type }),
          );
          if (updated) {
            fetchedTiles += 1;
            fetchedBytes += result.bytes.byteLength;
            progress(updated);
          }
        } else if (result.kind === "missing") {
          const updated = await stored(() => store.markMissing(areaId, tile));
          if (updated) progress(updated);
        } else {
          failed += 1;
        }
        break;
      }
    }
  };

  const workers = Array.from({ length: Math.min(concurrency, pending.length) }, () =>
    worker().catch((error) => {
      // Aborted mid-request or mid-wait: the tile was not stored and is fetched on resume.
      if (!stop.signal.aborted && !isAbort(error)) throw error;
    }),
  );
  try {
    await Promise.all(workers);
  } finally {
    options.signal.removeEventListener("abort", onCancel);
  }

  const status: DownloadOutcome["status"] =
    storageError === "quota"
      ? "quota"
      : storageError !== null
        ? "storage_failed"
        : options.signal.aborted
          ? "paused"
          : failed > 0
            ? "incomplete"
            : "complete";
  const areaStatus = status === "storage_failed" ? "incomplete" : status;
  const failedTiles = status === "paused" ? area.failedTiles : failed;
  // On a full disk even this small write may fail: the stored counters are right anyway.
  const final = (await store.setStatus(areaId, areaStatus, failedTiles).catch(() => undefined)) ?? {
    ...area,
    status: areaStatus,
    failedTiles,
  };
  options.onProgress?.(final);
  return {
    status,
    area: final,
    fetchedTiles,
    fetchedBytes,
    skippedTiles: done.size,
    durationMs: now() - started,
    ...(storageError ? { storageError } : {}),
  };
}
