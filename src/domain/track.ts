/**
 * GPS tracks: the route a walk team took. Stored as append-only chunks (records that are
 * never edited, only tombstoned), so appends from two devices never conflict.
 */
import { distanceM } from "./geometry";
import { newId } from "./ids";
import { createRecord, type EditContext, type SyncedRecord } from "./record";

export interface Fix {
  lon: number;
  lat: number;
  /** Horizontal accuracy radius in metres, as the Geolocation API reports it. */
  accuracyM: number;
  timeMs: number;
}

/** A stored track point: [lon, lat, accuracyM, timeMs]. Compact: tracks are long. */
export type TrackPoint = [number, number, number, number];

/**
 * Fixes worse than this are dropped. Outdoors a phone or tablet GPS reports 3 to 15 m;
 * 30 m and above usually means Wi-Fi or cell positioning, too coarse for a footpath.
 */
export const TRACK_MAX_ACCURACY_M = 30;
/**
 * Faster than this between two fixes is treated as a jump. Walking is about 1.4 m/s and
 * running 3 to 5 m/s; 8 m/s leaves room for a team member on a bicycle.
 */
export const TRACK_MAX_SPEED_MPS = 8;
/** A run of this many rejected but mutually consistent fixes means the anchor was the outlier. */
export const TRACK_RECOVERY_RUN = 3;
/** Points per chunk: a crash loses at most the unflushed part of one chunk. */
export const TRACK_CHUNK_MAX_POINTS = 20;
/** A chunk is also flushed when its oldest point is this old. */
export const TRACK_CHUNK_MAX_AGE_MS = 15_000;

export type FixRejection = "poor_accuracy" | "not_newer" | "implausible_jump" | "invalid";

export interface TrackFilterState {
  lastAccepted: Fix | null;
  /** Fixes rejected as jumps since the last accepted one (newest last). */
  rejectedRun: Fix[];
}

export const INITIAL_TRACK_FILTER: TrackFilterState = Object.freeze({
  lastAccepted: null,
  rejectedRun: [],
}) as TrackFilterState;

export interface TrackFilterOptions {
  maxAccuracyM: number;
  maxSpeedMps: number;
}

export const DEFAULT_TRACK_FILTER_OPTIONS: TrackFilterOptions = {
  maxAccuracyM: TRACK_MAX_ACCURACY_M,
  maxSpeedMps: TRACK_MAX_SPEED_MPS,
};

function plausibleStep(from: Fix, to: Fix, options: TrackFilterOptions): boolean {
  const seconds = (to.timeMs - from.timeMs) / 1000;
  // The accuracy radii allow for noise: a standing person's fixes wander within them.
  const toleranceM = (from.accuracyM + to.accuracyM) / 2;
  return (
    distanceM([from.lon, from.lat], [to.lon, to.lat]) <= options.maxSpeedMps * seconds + toleranceM
  );
}

export interface FilterStep {
  state: TrackFilterState;
  /** Fixes to append to the track (usually 0 or 1; more on recovery from a bad anchor). */
  accepted: Fix[];
  rejected?: FixRejection;
}

/** Feed one fix through the filter. Pure: returns the next state. */
export function filterFix(
  state: TrackFilterState,
  fix: Fix,
  options: TrackFilterOptions = DEFAULT_TRACK_FILTER_OPTIONS,
): FilterStep {
  const valid =
    Number.isFinite(fix.lon) &&
    Number.isFinite(fix.lat) &&
    Math.abs(fix.lon) <= 180 &&
    Math.abs(fix.lat) <= 90 &&
    Number.isFinite(fix.timeMs) &&
    fix.accuracyM >= 0;
  if (!valid) return { state, accepted: [], rejected: "invalid" };
  if (fix.accuracyM > options.maxAccuracyM)
    return { state, accepted: [], rejected: "poor_accuracy" };
  const last = state.lastAccepted;
  if (last === null) return { state: { lastAccepted: fix, rejectedRun: [] }, accepted: [fix] };
  if (fix.timeMs <= last.timeMs) return { state, accepted: [], rejected: "not_newer" };
  if (plausibleStep(last, fix, options)) {
    return { state: { lastAccepted: fix, rejectedRun: [] }, accepted: [fix] };
  }
  // A jump. If the recent rejected fixes agree with each other, the anchor was the outlier.
  const run = [...state.rejectedRun, fix];
  const consistent = run.every((candidate, index) =>
    index === 0 ? true : plausibleStep(run[index - 1]!, candidate, options),
  );
  if (!consistent) {
    return { state: { ...state, rejectedRun: [fix] }, accepted: [], rejected: "implausible_jump" };
  }
  if (run.length >= TRACK_RECOVERY_RUN) {
    return { state: { lastAccepted: fix, rejectedRun: [] }, accepted: run };
  }
  return { state: { ...state, rejectedRun: run }, accepted: [], rejected: "implausible_jump" };
}

/** Filter a whole list of fixes (e.g. for tests or re-processing). */
export function filterFixes(fixes: readonly Fix[], options = DEFAULT_TRACK_FILTER_OPTIONS): Fix[] {
  let state = INITIAL_TRACK_FILTER;
  const kept: Fix[] = [];
  for (const fix of fixes) {
    const step = filterFix(state, fix, options);
    state = step.state;
    kept.push(...step.accepted);
  }
  return kept;
}

export function toTrackPoint(fix: Fix): TrackPoint {
  return [fix.lon, fix.lat, fix.accuracyM, fix.timeMs];
}

export interface TrackFields {
  /** Epoch ms when recording started. */
  startedAt: number;
  /** Epoch ms when recording stopped; null while recording (or after a crash). */
  endedAt: number | null;
}

export interface TrackChunkFields {
  trackId: string;
  /** Order within the track; chunks from one device count up from 0. */
  sequence: number;
  points: TrackPoint[];
}

export type TrackRecord = SyncedRecord<TrackFields>;
export type TrackChunkRecord = SyncedRecord<TrackChunkFields>;

export const EMPTY_TRACK_FIELDS: TrackFields = Object.freeze({ startedAt: 0, endedAt: null });
export const EMPTY_TRACK_CHUNK_FIELDS: TrackChunkFields = Object.freeze({
  trackId: "",
  sequence: 0,
  points: [],
}) as TrackChunkFields;

export function createTrack(
  projectId: string,
  walkId: string,
  startedAt: number,
  ctx: EditContext,
  id: string = newId(),
): TrackRecord {
  return createRecord(
    { id, kind: "track", projectId, walkId, fields: { startedAt, endedAt: null } },
    ctx,
  );
}

export function createTrackChunk(
  track: TrackRecord,
  sequence: number,
  points: TrackPoint[],
  ctx: EditContext,
  id: string = newId(),
): TrackChunkRecord {
  if (points.length === 0) throw new Error("createTrackChunk: a chunk needs at least one point");
  return createRecord(
    {
      id,
      kind: "trackChunk",
      projectId: track.projectId,
      ...(track.walkId !== undefined ? { walkId: track.walkId } : {}),
      fields: { trackId: track.id, sequence, points },
    },
    ctx,
  );
}

/** The points of a track in order, from its live (not deleted) chunks. */
export function trackPoints(chunks: readonly TrackChunkRecord[], trackId: string): TrackPoint[] {
  return chunks
    .filter((chunk) => !chunk.deleted && chunk.fields.trackId === trackId)
    .flatMap((chunk) => chunk.fields.points)
    .sort((a, b) => a[3] - b[3]);
}
