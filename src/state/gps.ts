/**
 * GPS: the current position, recording the walk's route as a track, and walking a line.
 * Fixes go through the domain's track filter (poor accuracy and implausible jumps are
 * dropped). Track points are written as they come (the unflushed part of a chunk lives in
 * the meta store), so a crash loses nothing that was accepted.
 */
import { batch } from "@preact/signals";
import { EMPTY_FIELDS } from "../domain/kinds";
import { editRecord, type SyncedRecord, tombstoneRecord } from "../domain/record";
import {
  createTrack,
  createTrackChunk,
  type Fix,
  filterFix,
  INITIAL_TRACK_FILTER,
  TRACK_CHUNK_MAX_AGE_MS,
  TRACK_CHUNK_MAX_POINTS,
  type TrackChunkRecord,
  type TrackFilterState,
  type TrackPoint,
  type TrackRecord,
  toTrackPoint,
} from "../domain/track";
import { announceChanges } from "../storage/broadcast";
import { commit } from "./actions";
import { t } from "./i18n";
import { ctx, db, notify, reportStorageError } from "./session";
import { gps, recording, route, wakeLock, walkedLine, walkRecords } from "./store";

// DO NOT RENAME: in-progress recordings survive a crash under these meta keys.
const META_ACTIVE_TRACK = "activeTrack";
const META_WALKED_LINE = "walkedLine";

interface ActiveTrackMeta {
  trackId: string;
  walkId: string;
  projectId: string;
  nextSequence: number;
  buffer: TrackPoint[];
  filter: TrackFilterState;
}

interface WalkedLineMeta {
  walkId: string;
  points: TrackPoint[];
  filter: TrackFilterState;
}

let watchId: number | null = null;
let activeTrack: ActiveTrackMeta | null = null;
let activeLine: WalkedLineMeta | null = null;
let sentinel: WakeLockSentinel | null = null;
/** Fixes are handled one at a time, in order. */
let queue: Promise<void> = Promise.resolve();

export function startGps(): void {
  if (watchId !== null) return;
  if (typeof navigator === "undefined" || !("geolocation" in navigator)) {
    gps.value = { watching: false, fix: null, error: "unsupported" };
    return;
  }
  gps.value = { ...gps.value, watching: true };
  watchId = navigator.geolocation.watchPosition(
    (position) => {
      const fix: Fix = {
        lon: position.coords.longitude,
        lat: position.coords.latitude,
        accuracyM: position.coords.accuracy,
        timeMs: position.timestamp,
      };
      gps.value = { watching: true, fix, error: null };
      queue = queue.then(() => onFix(fix)).catch(reportStorageError);
    },
    (error) => {
      const denied = error.code === error.PERMISSION_DENIED;
      gps.value = { ...gps.value, watching: !denied, error: denied ? "denied" : "unavailable" };
      if (denied && watchId !== null) {
        navigator.geolocation.clearWatch(watchId);
        watchId = null;
      }
    },
    { enableHighAccuracy: true, maximumAge: 2000, timeout: 30_000 },
  );
}

export function stopGps(): void {
  if (watchId !== null) navigator.geolocation.clearWatch(watchId);
  watchId = null;
  gps.value = { ...gps.value, watching: false };
}

/** A fix no older than this counts as "my position" for a new observation. */
export const FRESH_FIX_MS = 60_000;

export function freshFix(): Fix | null {
  const fix = gps.value.fix;
  if (!fix || Date.now() - fix.timeMs > FRESH_FIX_MS) return null;
  return fix;
}

async function onFix(fix: Fix): Promise<void> {
  if (activeTrack) await appendToTrack(fix);
  if (activeLine) await appendToLine(fix);
}

// ---- wake lock ------------------------------------------------------------------------

async function acquireWakeLock(): Promise<void> {
  if (!("wakeLock" in navigator)) {
    wakeLock.value = "unavailable";
    return;
  }
  try {
    sentinel = await navigator.wakeLock.request("screen");
    wakeLock.value = "on";
    sentinel.addEventListener("release", () => {
      if (wakeLock.value === "on") wakeLock.value = "off";
    });
  } catch {
    wakeLock.value = "unavailable";
  }
}

function releaseWakeLock(): void {
  if (activeTrack || activeLine) return;
  void sentinel?.release().catch(() => undefined);
  sentinel = null;
  wakeLock.value = "off";
}

if (typeof document !== "undefined") {
  // The browser drops the lock when the page is hidden; take it again on return.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && (activeTrack || activeLine))
      void acquireWakeLock();
  });
}

// ---- route recording (tracks) ---------------------------------------------------------

export async function startTrack(walkId: string): Promise<boolean> {
  const walk = walkRecords.value.get(walkId);
  if (!walk || activeTrack) return false;
  startGps();
  const track = createTrack(walk.projectId, walkId, Date.now(), ctx());
  const meta: ActiveTrackMeta = {
    trackId: track.id,
    walkId,
    projectId: walk.projectId,
    nextSequence: 0,
    buffer: [],
    filter: INITIAL_TRACK_FILTER,
  };
  if (!(await commit([track]))) return false;
  try {
    await db().setMeta(META_ACTIVE_TRACK, meta);
  } catch (error) {
    reportStorageError(error);
    return false;
  }
  activeTrack = meta;
  recording.value = { trackId: track.id, walkId, points: 0 };
  await acquireWakeLock();
  return true;
}

async function appendToTrack(fix: Fix): Promise<void> {
  const meta = activeTrack!;
  const step = filterFix(meta.filter, fix);
  if (step.accepted.length === 0 && step.state === meta.filter) return;
  const next: ActiveTrackMeta = {
    ...meta,
    filter: step.state,
    buffer: [...meta.buffer, ...step.accepted.map(toTrackPoint)],
  };
  const oldest = next.buffer[0]?.[3];
  const full =
    next.buffer.length >= TRACK_CHUNK_MAX_POINTS ||
    (oldest !== undefined && fix.timeMs - oldest >= TRACK_CHUNK_MAX_AGE_MS);
  if (full && next.buffer.length > 0) await flushTrack(next);
  else {
    await db().setMeta(META_ACTIVE_TRACK, next);
    activeTrack = next;
  }
  if (recording.value) {
    recording.value = { ...recording.value, points: recording.value.points + step.accepted.length };
  }
}

/** Write the buffered points as one chunk, and the emptied buffer, in one transaction. */
async function flushTrack(meta: ActiveTrackMeta): Promise<void> {
  const track = walkRecords.value.get(meta.trackId) as TrackRecord | undefined;
  const owner =
    track ?? ({ id: meta.trackId, projectId: meta.projectId, walkId: meta.walkId } as TrackRecord);
  const chunk = createTrackChunk(owner, meta.nextSequence, meta.buffer, ctx());
  const next: ActiveTrackMeta = { ...meta, nextSequence: meta.nextSequence + 1, buffer: [] };
  await db().putRecordsAndMeta([chunk], { [META_ACTIVE_TRACK]: next });
  activeTrack = next;
  showChunk(chunk);
}

function showChunk(chunk: TrackChunkRecord) {
  const current = route.value;
  if (current.screen === "walk" && current.walkId === chunk.walkId) {
    walkRecords.value = new Map(walkRecords.value).set(chunk.id, chunk);
  }
  announceChanges({ type: "records", ids: [chunk.id], kinds: ["trackChunk"] });
}

export async function stopTrack(): Promise<void> {
  const meta = activeTrack;
  if (!meta) return;
  await queue;
  if (meta.buffer.length > 0 && activeTrack) await flushTrack(activeTrack);
  const track = walkRecords.value.get(meta.trackId) as TrackRecord | undefined;
  if (track) await commit([editRecord(track, { endedAt: Date.now() }, ctx())]);
  await db().deleteMeta(META_ACTIVE_TRACK);
  const points = recording.value?.points ?? 0;
  activeTrack = null;
  recording.value = null;
  releaseWakeLock();
  notify(t("trackStopped", { count: points }), "success");
}

/** Delete a track: its record becomes a tombstone and every chunk's points are erased. */
export async function deleteTrack(trackId: string): Promise<boolean> {
  if (activeTrack?.trackId === trackId) await stopTrack();
  const track = walkRecords.value.get(trackId) as TrackRecord | undefined;
  if (!track) return false;
  const chunks = [...walkRecords.value.values()].filter(
    (record): record is TrackChunkRecord =>
      record.kind === "trackChunk" &&
      !record.deleted &&
      (record as TrackChunkRecord).fields.trackId === trackId,
  );
  const tombstones: SyncedRecord[] = [track as SyncedRecord, ...chunks].map((record) =>
    tombstoneRecord(record, EMPTY_FIELDS[record.kind], ctx()),
  );
  const ok = await commit(tombstones);
  if (ok) notify(t("trackDeleted"), "success");
  return ok;
}

/**
 * After a crash or a closed tab: a track that was recording is closed, with its buffered
 * points written as a last chunk; a line being walked is restored so it can be finished.
 */
export async function recoverRecordings(): Promise<void> {
  const store = db();
  const meta = await store.getMeta<ActiveTrackMeta>(META_ACTIVE_TRACK);
  if (meta) {
    if (meta.buffer.length > 0) {
      const chunk = createTrackChunk(
        { id: meta.trackId, projectId: meta.projectId, walkId: meta.walkId } as TrackRecord,
        meta.nextSequence,
        meta.buffer,
        ctx(),
      );
      await store.putRecordsAndMeta([chunk], { [META_ACTIVE_TRACK]: undefined });
    } else {
      await store.deleteMeta(META_ACTIVE_TRACK);
    }
    const track = await store.getRecord<TrackRecord>(meta.trackId);
    if (track && !track.deleted && track.fields.endedAt === null) {
      const lastTime = meta.buffer.at(-1)?.[3] ?? track.fields.startedAt;
      await store.putRecords([editRecord(track, { endedAt: lastTime }, ctx())]);
    }
  }
  const line = await store.getMeta<WalkedLineMeta>(META_WALKED_LINE);
  if (line) {
    activeLine = line;
    walkedLine.value = { walkId: line.walkId, points: line.points };
  }
}

// ---- walking a line -------------------------------------------------------------------

export async function startWalkedLine(walkId: string): Promise<boolean> {
  if (activeLine) return false;
  startGps();
  const meta: WalkedLineMeta = { walkId, points: [], filter: INITIAL_TRACK_FILTER };
  try {
    await db().setMeta(META_WALKED_LINE, meta);
  } catch (error) {
    reportStorageError(error);
    return false;
  }
  activeLine = meta;
  walkedLine.value = { walkId, points: [] };
  await acquireWakeLock();
  return true;
}

async function appendToLine(fix: Fix): Promise<void> {
  const meta = activeLine!;
  const step = filterFix(meta.filter, fix);
  if (step.accepted.length === 0 && step.state === meta.filter) return;
  const next = {
    ...meta,
    filter: step.state,
    points: [...meta.points, ...step.accepted.map(toTrackPoint)],
  };
  await db().setMeta(META_WALKED_LINE, next);
  activeLine = next;
  walkedLine.value = { walkId: next.walkId, points: next.points };
}

/** Stop walking: returns the line's positions, or null if it has fewer than two. */
export async function finishWalkedLine(): Promise<[number, number][] | null> {
  await queue;
  const meta = activeLine;
  if (!meta) return null;
  if (meta.points.length < 2) {
    notify(t("walkLineTooShort"), "error");
    return null;
  }
  return meta.points.map((point) => [point[0], point[1]]);
}

/** Clear the walked line (after its observation is saved, or when cancelled). */
export async function clearWalkedLine(): Promise<void> {
  activeLine = null;
  batch(() => {
    walkedLine.value = null;
  });
  await db().deleteMeta(META_WALKED_LINE).catch(reportStorageError);
  releaseWakeLock();
}
