/**
 * Application state as Preact signals. Components read signals; only actions (actions.ts,
 * gps.ts) write them, after the change is stored.
 */
import { computed, signal } from "@preact/signals";
import checklistData from "../../data/checklist.json";
import groupsData from "../../data/groups.json";
import organisationsData from "../../data/organisations.json";
import { resolveBasemap } from "../domain/basemap";
import type { Checklist } from "../domain/checklist";
import type { ObservationGeometry } from "../domain/geometry";
import type { GroupsFile, OrganisationsFile } from "../domain/groups";
import { EMPTY_HISTORY, type HistoryState } from "../domain/history";
import type { LayerFields } from "../domain/layers";
import type { ObservationInput, ObservationRecord } from "../domain/observation";
import type { PhotoRecord } from "../domain/photo";
import type { ProjectRecord } from "../domain/project";
import type { SyncedRecord } from "../domain/record";
import type { Fix, TrackChunkRecord, TrackPoint, TrackRecord } from "../domain/track";
import type { WalkRecord } from "../domain/walk";
import type { StringKey } from "../i18n/strings";
import { loadSettings, type Settings } from "./settings";

export const CHECKLIST = checklistData as Checklist;
export const GROUPS = groupsData as GroupsFile;
export const ORGANISATIONS = organisationsData as OrganisationsFile;
export const GROUP_IDS = GROUPS.groups.map((group) => group.id);
export const ORGANISATION_IDS = ORGANISATIONS.organisations.map((organisation) => organisation.id);

export type LayerRecord = SyncedRecord<LayerFields>;

export const settings = signal<Settings>(loadSettings());

/** What the map draws: the chosen basemap with its own source looked up. */
export const basemapView = computed(() =>
  resolveBasemap(settings.value.basemap, settings.value.tileSources),
);

export type BootState =
  | { state: "loading" }
  | { state: "ready" }
  | { state: "failed"; messageKey: StringKey; detail?: string };

export const boot = signal<BootState>({ state: "loading" });

export type Route =
  | { screen: "home" }
  | { screen: "project"; projectId: string }
  | { screen: "sites"; projectId: string }
  | { screen: "lighting"; projectId: string }
  | { screen: "plan"; projectId: string }
  | { screen: "strategyReport"; projectId: string }
  | { screen: "walkReport"; projectId: string; walkId: string }
  | { screen: "walk"; walkId: string; view: "map" | "list" | "about" }
  | { screen: "settings" }
  /** Save an area of an online source for offline use; from a walk, its area comes first. */
  | { screen: "offlineArea"; walkId?: string }
  | { screen: "accessibility" };

export const route = signal<Route>({ screen: "home" });

export const projects = signal<ProjectRecord[]>([]);
/** Walks of the open project (or of the open walk's project). */
export const walks = signal<WalkRecord[]>([]);
export const walkCounts = signal<Record<string, number>>({});
/** Context layers (paths, lamps, points of interest, priority areas) of the open project. */
export const projectLayers = signal<LayerRecord[]>([]);

/** Everything of the open walk, by id: the walk, observations, photos, tracks, chunks. */
export const walkRecords = signal<ReadonlyMap<string, SyncedRecord>>(new Map());

export const currentWalk = computed(() => {
  const current = route.value;
  if (current.screen !== "walk") return null;
  const walk = walkRecords.value.get(current.walkId) as WalkRecord | undefined;
  return walk && !walk.deleted ? walk : null;
});

export const currentProject = computed(() => {
  const current = route.value;
  const projectId =
    current.screen === "project" ||
    current.screen === "sites" ||
    current.screen === "lighting" ||
    current.screen === "plan" ||
    current.screen === "strategyReport" ||
    current.screen === "walkReport"
      ? current.projectId
      : current.screen === "walk"
        ? currentWalk.value?.projectId
        : undefined;
  return projects.value.find((project) => project.id === projectId) ?? null;
});

function liveOfKind<R extends SyncedRecord>(kind: SyncedRecord["kind"]): R[] {
  const result: R[] = [];
  for (const record of walkRecords.value.values()) {
    if (record.kind === kind && !record.deleted) result.push(record as R);
  }
  return result;
}

/** Live observations of the open walk, newest first. */
export const observations = computed(() =>
  liveOfKind<ObservationRecord>("observation").sort(
    // Ties broken by id with a plain comparison: localeCompare is slow over thousands.
    (a, b) => b.fields.observedAt - a.fields.observedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  ),
);

export const tracks = computed(() =>
  liveOfKind<TrackRecord>("track").sort((a, b) => a.fields.startedAt - b.fields.startedAt),
);

export const trackChunks = computed(() => liveOfKind<TrackChunkRecord>("trackChunk"));

export const photoRecords = computed(() => {
  const map = new Map<string, PhotoRecord>();
  for (const photo of liveOfKind<PhotoRecord>("photo")) map.set(photo.id, photo);
  return map;
});

export const selectedId = signal<string | null>(null);
/** What the last loading of .lykta files did, for the project screen to keep in view. */
export const lastMerge = signal<{ projectIds: string[]; text: string } | null>(null);
/** An observation to open once its walk is loaded (from "already reported nearby"). */
export const pendingOpen = signal<string | null>(null);

/** The observation form: new (with a geometry) or editing an existing observation. */
export interface EditorState {
  mode: "new" | "edit";
  /** Observation id (new ones get their id when the form opens). */
  id: string;
  /** Starting values of a new observation (geometry, time, accuracy). */
  initial?: ObservationInput;
}

/** A new observation's geometry while its form is open, so the map can show it. */
export const draftObservation = signal<{ geometry: ObservationGeometry; severity: number } | null>(
  null,
);
export const editor = signal<EditorState | null>(null);

export type DrawKind = "point" | "line" | "polygon";
/** What the map is doing: drawing a new geometry, or reshaping one. */
export type MapMode =
  | { kind: "idle" }
  | { kind: "drawing"; draw: DrawKind; purpose: "observation" | "area" }
  | { kind: "editing"; observationId: string };
export const mapMode = signal<MapMode>({ kind: "idle" });

export type GpsError = "denied" | "unavailable" | "unsupported" | null;
export interface GpsState {
  watching: boolean;
  fix: Fix | null;
  error: GpsError;
}
export const gps = signal<GpsState>({ watching: false, fix: null, error: null });

export interface RecordingState {
  trackId: string;
  walkId: string;
  points: number;
}
export const recording = signal<RecordingState | null>(null);

export interface WalkedLineState {
  walkId: string;
  points: TrackPoint[];
}
export const walkedLine = signal<WalkedLineState | null>(null);

export const wakeLock = signal<"on" | "unavailable" | "off">("off");

export const history = signal<HistoryState>(EMPTY_HISTORY);

export interface Notice {
  id: number;
  kind: "info" | "success" | "error";
  text: string;
  /** Errors stay until dismissed; others fade. */
  sticky: boolean;
  action?: { label: string; run(): void };
}
export const notices = signal<Notice[]>([]);

export const online = signal<boolean>(typeof navigator === "undefined" ? true : navigator.onLine);
export const basemapFailing = signal(false);

/** Set when a new app version waits; calling it activates the new version and reloads. */
export const updateReady = signal<(() => void) | null>(null);

export interface StorageInfo {
  usedBytes: number | null;
  quotaBytes: number | null;
  persisted: boolean | null;
  persistSupported: boolean;
}
export const storageInfo = signal<StorageInfo | null>(null);

/** Last map centre, so a new observation without GPS lands where the person is looking. */
export const mapCenter = signal<[number, number] | null>(null);

/** Backup reminder for the open walk: records changed since its last backup. */
export const changedSinceBackup = signal(false);
