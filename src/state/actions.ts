/**
 * Actions: a user intent becomes a domain change, the change is stored, and only then do
 * the signals (and so the UI) show it. Flow: action -> domain change -> write -> signals.
 */
import { batch } from "@preact/signals";
import type { Polygon } from "geojson";
import { type HistoryEntry, type HistoryLabel, pushHistory, replayEntry } from "../domain/history";
import { newId } from "../domain/ids";
import { EMPTY_FIELDS } from "../domain/kinds";
import type { ConflictEntry } from "../domain/merge";
import { mergePackages } from "../domain/merge-set";
import {
  createObservation,
  type ObservationFields,
  type ObservationInput,
  type ObservationRecord,
  validateObservation,
} from "../domain/observation";
import type { PackageContent, PackageProblem } from "../domain/package";
import { createPhotoRecord, type PhotoFields } from "../domain/photo";
import type { FollowUpRecord } from "../domain/plan/follow-up";
import {
  createProject,
  type ProjectFields,
  type ProjectRecord,
  validateProject,
} from "../domain/project";
import { editRecord, restoreRecord, type SyncedRecord, tombstoneRecord } from "../domain/record";
import type { SiteLinkRecord } from "../domain/sites";
import { localDate } from "../domain/time";
import type { FieldErrors } from "../domain/validation";
import {
  createWalk,
  EMPTY_WALK_FIELDS,
  validateWalk,
  type WalkFields,
  type WalkRecord,
} from "../domain/walk";
import { announceChanges, onChanges } from "../storage/broadcast";
import { processPhoto } from "../workers/photo-processing";
import { loadConflicts } from "./conflicts";
import { refreshFollowUpsFor, setFollowUps } from "./follow-up";
import { formatBytes, t } from "./i18n";
import { planSettingsWritten, refreshPlanSettingsFor, reloadPlanSettings } from "./plan-settings";
import { navigate } from "./router";
import { ctx, db, notify, reportStorageError } from "./session";
import { loadProjectObservations, refreshSitesFor, setProjectObservations } from "./sites";
import {
  CHECKLIST,
  changedSinceBackup,
  editor,
  GROUP_IDS,
  history,
  type LayerRecord,
  lastMerge,
  ORGANISATION_IDS,
  pendingOpen,
  projectLayers,
  projects,
  route,
  selectedId,
  walkCounts,
  walkRecords,
  walks,
} from "./store";

export type ActionResult<T> = { ok: true; value: T } | { ok: false; errors?: FieldErrors<never> };

/** Put records into the open walk's view (only those that belong to it). */
function showInWalk(records: readonly SyncedRecord[]) {
  const current = route.value;
  if (current.screen !== "walk") return;
  const next = new Map(walkRecords.value);
  let changed = false;
  for (const record of records) {
    if (record.walkId === current.walkId) {
      next.set(record.id, record);
      changed = true;
    }
  }
  if (changed) walkRecords.value = next;
}

/**
 * The one path for local changes: write, then show, then tell other tabs. Returns false
 * (after telling the user) when the write failed; nothing already saved is touched.
 */
export async function commit(
  records: readonly SyncedRecord[],
  historyLabel?: HistoryLabel,
  before?: ReadonlyMap<string, SyncedRecord | null>,
  onStored?: () => void,
): Promise<boolean> {
  if (records.length === 0) return true;
  try {
    await db().putRecords(records);
  } catch (error) {
    reportStorageError(error);
    return false;
  }
  onStored?.();
  batch(() => {
    showInWalk(records);
    refreshListsFor(records);
    if (historyLabel && before) {
      const entry: HistoryEntry = {
        label: historyLabel,
        changes: records.map((after) => ({ before: before.get(after.id) ?? null, after })),
      };
      history.value = pushHistory(history.value, entry);
    }
    if (records.some((record) => record.kind !== "project")) changedSinceBackup.value = true;
  });
  announceChanges({
    type: "records",
    ids: records.map((record) => record.id),
    kinds: [...new Set(records.map((record) => record.kind))],
  });
  return true;
}

function refreshListsFor(records: readonly SyncedRecord[]) {
  refreshSitesFor(records);
  refreshFollowUpsFor(records);
  refreshPlanSettingsFor(records);
  for (const record of records) {
    if (record.kind === "project") {
      const others = projects.value.filter((project) => project.id !== record.id);
      projects.value = record.deleted ? others : sortProjects([...others, record as ProjectRecord]);
    } else if (record.kind === "layer") {
      const layer = record as LayerRecord;
      const others = projectLayers.value.filter((candidate) => candidate.id !== layer.id);
      projectLayers.value = layer.deleted ? others : [...others, layer];
    } else if (record.kind === "walk") {
      const others = walks.value.filter((walk) => walk.id !== record.id);
      walks.value = record.deleted ? others : [...others, record as WalkRecord];
    }
  }
}

function sortProjects(list: ProjectRecord[]) {
  return list.sort((a, b) => a.fields.name.localeCompare(b.fields.name, "sv"));
}

// ---- projects and walks -----------------------------------------------------------------

export async function loadProjects(): Promise<void> {
  const all = await db().listByKind<ProjectRecord>("project");
  projects.value = sortProjects(all.filter((project) => !project.deleted));
}

export async function saveProject(
  input: ProjectFields,
  existingId?: string,
): Promise<ActionResult<ProjectRecord>> {
  const validated = validateProject(input);
  if (!validated.ok) return { ok: false, errors: validated.errors as FieldErrors<never> };
  const existing = existingId
    ? projects.value.find((project) => project.id === existingId)
    : undefined;
  const record = existing
    ? editRecord(existing, validated.value, ctx())
    : createProject(validated.value, ctx());
  if (record === existing) return { ok: true, value: record };
  return (await commit([record])) ? { ok: true, value: record } : { ok: false };
}

export async function loadWalks(projectId: string): Promise<void> {
  const store = db();
  const list = (await store.listProjectKind<WalkRecord>(projectId, "walk")).filter(
    (walk) => !walk.deleted,
  );
  const observations = await store.listProjectKind<ObservationRecord>(projectId, "observation");
  const counts: Record<string, number> = {};
  for (const observation of observations) {
    if (observation.deleted || !observation.walkId) continue;
    counts[observation.walkId] = (counts[observation.walkId] ?? 0) + 1;
  }
  const layers = (await store.listProjectKind<LayerRecord>(projectId, "layer")).filter(
    (layer) => !layer.deleted,
  );
  const links = await store.listProjectKind<SiteLinkRecord>(projectId, "siteLink");
  const followUps = await store.listProjectKind<FollowUpRecord>(projectId, "followUp");
  batch(() => {
    walks.value = list;
    walkCounts.value = counts;
    projectLayers.value = layers;
    setProjectObservations(projectId, observations, links);
    setFollowUps(projectId, followUps);
  });
  // The plan's settings, when that project's are shown (a merged package may have changed them).
  await reloadPlanSettings(projectId);
}

/** The open walk's project layers (the walk screen shows them as context). */
export async function loadLayers(projectId: string): Promise<void> {
  const layers = await db().listProjectKind<LayerRecord>(projectId, "layer");
  projectLayers.value = layers.filter((layer) => !layer.deleted);
}

export function blankWalkFields(date: string): WalkFields {
  return { ...EMPTY_WALK_FIELDS, date, startTime: "18:00", endTime: "20:00" };
}

export async function saveWalk(
  projectId: string,
  input: WalkFields,
  existingId?: string,
): Promise<ActionResult<WalkRecord>> {
  const validated = validateWalk(input, ORGANISATION_IDS, GROUP_IDS);
  if (!validated.ok) return { ok: false, errors: validated.errors as FieldErrors<never> };
  const existing = existingId
    ? ((walkRecords.value.get(existingId) as WalkRecord | undefined) ??
      walks.value.find((walk) => walk.id === existingId))
    : undefined;
  const record = existing
    ? editRecord(existing, validated.value, ctx())
    : createWalk(projectId, validated.value, ctx());
  if (record === existing) return { ok: true, value: record };
  return (await commit([record])) ? { ok: true, value: record } : { ok: false };
}

/** Change some walk fields directly (participant counts, area), validated as a whole. */
export async function patchWalk(walkId: string, patch: Partial<WalkFields>): Promise<boolean> {
  const walk = walkRecords.value.get(walkId) as WalkRecord | undefined;
  if (!walk) return false;
  const result = await saveWalk(walk.projectId, { ...walk.fields, ...patch }, walkId);
  return result.ok;
}

/** Delete a walk and everything in it: observations, photos (bytes too) and tracks. */
export async function deleteWalk(walkId: string): Promise<boolean> {
  const store = db();
  const content = await store.listWalkContent(walkId);
  const tombstones = content
    .filter((record) => !record.deleted)
    .map((record) =>
      tombstoneRecord(record, EMPTY_FIELDS[record.kind] as Record<string, unknown>, ctx()),
    );
  const photoIds = content.filter((record) => record.kind === "photo").map((record) => record.id);
  try {
    await store.deletePhotoBlobs(photoIds, tombstones);
  } catch (error) {
    reportStorageError(error);
    return false;
  }
  batch(() => {
    refreshListsFor(tombstones);
    const counts = { ...walkCounts.value };
    delete counts[walkId];
    walkCounts.value = counts;
  });
  announceChanges({ type: "records", ids: tombstones.map((record) => record.id), kinds: ["walk"] });
  notify(t("walkDeleted"), "success");
  return true;
}

export async function openWalk(walkId: string): Promise<void> {
  const content = await db().listWalkContent(walkId);
  performance.mark("lykta:walk-read");
  const walk = content.find((record) => record.id === walkId) as WalkRecord | undefined;
  const open = pendingOpen.value;
  const openNow = open !== null && content.some((record) => record.id === open && !record.deleted);
  batch(() => {
    walkRecords.value = new Map(content.map((record) => [record.id, record]));
    history.value = { undo: [], redo: [] };
    selectedId.value = openNow ? open : null;
    editor.value = openNow ? { mode: "edit", id: open } : null;
    pendingOpen.value = null;
    changedSinceBackup.value = false;
  });
  performance.mark("lykta:walk-shown");
  if (walk) void loadLayers(walk.projectId);
  // Other teams' reports, for "already reported nearby": after the walk is on screen.
  if (walk) setTimeout(() => void loadProjectObservations(walk.projectId), 500);
  // Reading every clock of a big walk is not needed for the first screen: look a moment later.
  if (walk) {
    setTimeout(() => {
      if (walkRecords.value.get(walkId) && !changedSinceBackup.value) {
        changedSinceBackup.value = hasChangesSinceBackup(content, walk);
      }
    }, 1500);
  }
}

function hasChangesSinceBackup(content: readonly SyncedRecord[], walk: WalkRecord): boolean {
  const last = walk.fields.lastBackupAt;
  if (last === null) return content.some((record) => record.kind === "observation");
  return content.some((record) =>
    Object.entries(record.clock).some(
      ([key, clock]) => key !== "lastBackupAt" && clock.by === ctx().deviceId && clock.at > last,
    ),
  );
}

// ---- observations -----------------------------------------------------------------------

export function newObservationId(): string {
  return newId();
}

/**
 * Save the observation form. Validates; creates or edits; stores before confirming.
 * Records a performance measure "lykta:save" from the tap to the stored write.
 */
export async function saveObservation(
  walkId: string,
  id: string,
  input: ObservationInput,
  tapAtMs: number = performance.now(),
): Promise<ActionResult<ObservationRecord>> {
  const validated = validateObservation(input, CHECKLIST, GROUP_IDS);
  if (!validated.ok) return { ok: false, errors: validated.errors as FieldErrors<never> };
  const walk = walkRecords.value.get(walkId) as WalkRecord | undefined;
  if (!walk) throw new Error(`saveObservation: walk ${walkId} is not open`);
  const existing = walkRecords.value.get(id) as ObservationRecord | undefined;
  let record: ObservationRecord;
  let label: HistoryLabel;
  if (existing && !existing.deleted) {
    record = editRecord(existing, validated.value, ctx());
    label = "edit";
    if (record === existing) return { ok: true, value: record };
  } else if (existing) {
    // The same form after an undo of its creation: bring the record back.
    record = restoreRecord(existing, validated.value, ctx());
    label = "create";
  } else {
    record = createObservation(walk.projectId, walkId, validated.value, ctx(), id);
    label = "create";
  }
  // "lykta:save": from the tap to the durable write (strict durability), before the screen
  // updates; the benchmark reports it.
  const ok = await commit(
    [record],
    label,
    new Map([[id, existing && !existing.deleted ? existing : null]]),
    () => performance.measure("lykta:save", { start: tapAtMs, end: performance.now() }),
  );
  if (!ok) return { ok: false };
  notify(t("observationSaved"), "success");
  dispatchEvent(new CustomEvent("lykta:saved", { detail: { id: record.id } }));
  return { ok: true, value: record };
}

/** Change only the geometry of an observation (after moving or reshaping it). */
export async function saveGeometry(
  id: string,
  geometry: ObservationFields["geometry"],
): Promise<boolean> {
  const existing = walkRecords.value.get(id) as ObservationRecord | undefined;
  if (!existing || existing.deleted || !geometry) return false;
  const record = editRecord(existing, { geometry, placement: "drawn" }, ctx());
  if (record === existing) return true;
  const ok = await commit([record], "edit", new Map([[id, existing]]));
  if (ok) notify(t("observationSaved"), "success");
  return ok;
}

export async function deleteObservation(id: string): Promise<boolean> {
  const existing = walkRecords.value.get(id) as ObservationRecord | undefined;
  if (!existing || existing.deleted) return false;
  const record = tombstoneRecord(existing, EMPTY_FIELDS.observation as ObservationFields, ctx());
  const ok = await commit([record], "delete", new Map([[id, existing]]));
  if (ok) {
    batch(() => {
      if (selectedId.value === id) selectedId.value = null;
      if (editor.value?.id === id) editor.value = null;
    });
    notify(t("observationDeleted"), "success", { label: t("undo"), run: () => void undo() });
  }
  return ok;
}

async function replay(direction: "undo" | "redo"): Promise<void> {
  const state = history.value;
  const stack = direction === "undo" ? state.undo : state.redo;
  const entry = stack.at(-1);
  if (!entry) {
    notify(t("nothingToUndo"));
    return;
  }
  const records = replayEntry(entry, direction, walkRecords.value, ctx());
  try {
    await db().putRecords(records);
  } catch (error) {
    reportStorageError(error);
    return;
  }
  batch(() => {
    showInWalk(records);
    history.value =
      direction === "undo"
        ? { undo: state.undo.slice(0, -1), redo: [...state.redo, entry] }
        : { undo: [...state.undo, entry], redo: state.redo.slice(0, -1) };
    const stillLive = selectedId.value && !walkRecords.value.get(selectedId.value)?.deleted;
    if (!stillLive) selectedId.value = null;
    changedSinceBackup.value = true;
  });
  announceChanges({
    type: "records",
    ids: records.map((record) => record.id),
    kinds: [...new Set(records.map((record) => record.kind))],
  });
  const what = t(`action_${entry.label}`);
  notify(direction === "undo" ? t("undone", { what }) : t("redone", { what }), "success");
}

export const undo = () => replay("undo");
export const redo = () => replay("redo");

// ---- photos -----------------------------------------------------------------------------

/** Process and store a photo; returns its id (SHA-256) for the observation form. */
export async function addPhoto(walkId: string, file: File): Promise<string | null> {
  const walk = walkRecords.value.get(walkId) as WalkRecord | undefined;
  if (!walk) return null;
  const result = await processPhoto(file);
  if (!result.ok) {
    const key =
      result.reason === "too_large"
        ? "photoTooLarge"
        : result.reason === "not_an_image"
          ? "photoNotAnImage"
          : "photoUnreadable";
    notify(t(key, { name: file.name }), "error");
    return null;
  }
  const { photo } = result;
  const fields: PhotoFields = {
    mimeType: "image/jpeg",
    widthPx: photo.widthPx,
    heightPx: photo.heightPx,
    byteLength: photo.blob.size,
    takenAt: Date.now(),
  };
  // The same picture again (same SHA-256): reuse its record; one deleted earlier is restored
  // as a new version, since a record made afresh at version 1 would lose to its tombstone.
  let record: SyncedRecord;
  try {
    const existing = (walkRecords.value.get(photo.sha256) ??
      (await db().getRecord(photo.sha256))) as SyncedRecord<PhotoFields> | undefined;
    record = !existing
      ? createPhotoRecord(photo.sha256, walk.projectId, walkId, fields, ctx())
      : existing.deleted
        ? restoreRecord(existing, fields, ctx())
        : existing;
    await db().putPhoto(record, photo.blob);
  } catch (error) {
    reportStorageError(error);
    return null;
  }
  showInWalk([record]);
  notify(t("photoSaved", { size: formatBytes(photo.blob.size) }), "success");
  return photo.sha256;
}

/**
 * Photos that no live observation references (a form was cancelled, an observation was
 * deleted) are erased at start-up: their bytes go, their records become tombstones.
 * Waiting until the next start keeps undo possible during the session.
 */
export async function collectUnusedPhotos(): Promise<number> {
  const store = db();
  const photos = (await store.listByKind("photo")).filter((photo) => !photo.deleted);
  if (photos.length === 0) return 0;
  const used = new Set<string>();
  for (const observation of await store.listByKind<ObservationRecord>("observation")) {
    if (!observation.deleted) for (const id of observation.fields.photoIds) used.add(id);
  }
  const unused = photos.filter((photo) => !used.has(photo.id));
  if (unused.length === 0) return 0;
  const tombstones = unused.map((photo) =>
    tombstoneRecord(photo, EMPTY_FIELDS.photo as Record<string, unknown>, ctx()),
  );
  await store.deletePhotoBlobs(
    unused.map((photo) => photo.id),
    tombstones,
  );
  return unused.length;
}

// ---- backup files (.lykta packages) -----------------------------------------------------

function download(bytes: Uint8Array, name: string) {
  const blob = new Blob([bytes as BlobPart], { type: "application/octet-stream" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The stored bytes of the live photo records among `records`, for a package. */
async function photoBytesOf(records: readonly SyncedRecord[]): Promise<Map<string, Uint8Array>> {
  const photos = new Map<string, Uint8Array>();
  for (const record of records) {
    if (record.kind !== "photo" || record.deleted) continue;
    const blob = await db().getPhotoBlob(record.id);
    if (blob) photos.set(record.id, new Uint8Array(await blob.arrayBuffer()));
  }
  return photos;
}

/** Save the open walk, tombstones and photos included, as a .lykta file. */
export async function saveBackup(walkId: string): Promise<string | null> {
  const walk = walkRecords.value.get(walkId) as WalkRecord | undefined;
  if (!walk) return null;
  const marked = editRecord(walk, { lastBackupAt: Date.now() }, ctx());
  if (!(await commit([marked]))) return null;
  const store = db();
  const content = await store.listWalkContent(walkId);
  const project = await store.getRecord(walk.projectId);
  const records = project ? [project, ...content] : content;
  const photos = await photoBytesOf(content);
  // The zip code (fflate) loads only when a backup is made or read.
  const { buildPackage, packageFileName } = await import("../domain/package");
  const bytes = buildPackage(
    {
      appVersion: __APP_VERSION__,
      createdAt: Date.now(),
      createdBy: ctx().deviceId,
      scope: { projectId: walk.projectId, walkId },
    },
    records,
    photos,
  );
  const name = packageFileName(walk.fields.name, walk.fields.date);
  download(bytes, name);
  changedSinceBackup.value = false;
  notify(t("backupSaved", { name }), "success");
  return name;
}

/**
 * Save a whole project (every walk, photos, layers' records, a planner's site decisions, the
 * plan's follow-ups and settings) as one .lykta file: what a coordinator hands to each tablet
 * before a walk, or keeps as the merged result after one.
 */
export async function saveProjectPackage(projectId: string): Promise<string | null> {
  const store = db();
  const project = await store.getRecord<ProjectRecord>(projectId);
  if (!project || project.deleted) return null;
  // A budget still waiting for the slider to rest goes into the package too.
  await planSettingsWritten();
  try {
    const kinds = [
      "walk",
      "observation",
      "photo",
      "track",
      "trackChunk",
      "layer",
      "siteLink",
      "followUp",
      "planSettings",
    ] as const;
    const lists = await Promise.all(kinds.map((kind) => store.listProjectKind(projectId, kind)));
    const records: SyncedRecord[] = [project, ...lists.flat()];
    const photos = await photoBytesOf(records);
    const { buildPackage, packageFileName } = await import("../domain/package");
    const bytes = buildPackage(
      {
        appVersion: __APP_VERSION__,
        createdAt: Date.now(),
        createdBy: ctx().deviceId,
        scope: { projectId },
      },
      records,
      photos,
    );
    const name = packageFileName(project.fields.name, localDate(Date.now()));
    download(bytes, name);
    notify(t("backupSaved", { name }), "success");
    return name;
  } catch (error) {
    reportStorageError(error);
    return null;
  }
}

/** Why a package was refused, in one sentence for the person who chose it. */
function packageProblemText(problem: PackageProblem): string {
  const { reason, detail, where } = problem;
  if (reason === "newer_format" || reason === "newer_shape") return t("importNewer");
  if (reason === "not_a_package") return t("importNotPackage", { detail });
  return t("importRefused", { detail: `${where}: ${detail}` });
}

/**
 * Load .lykta files (one, or every tablet's after a walk): merge them with each other and
 * with this device's records, field by field, in one transaction. A refused file (not a
 * package, from a newer app, damaged) is named and changes nothing; the others still merge.
 */
export async function loadBackups(files: readonly File[]): Promise<boolean> {
  const { readPackage } = await import("../domain/package");
  const contents: PackageContent[] = [];
  let skipped = 0;
  for (const file of files) {
    const read = await readPackage(new Uint8Array(await file.arrayBuffer()));
    if (!read.ok) {
      const text = packageProblemText(read.problem);
      notify(
        files.length > 1 ? t("mergeFileRefused", { name: file.name, detail: text }) : text,
        "error",
      );
      continue;
    }
    contents.push(read.content);
    skipped += read.problems.length;
  }
  // Packages of one project merge with each other first, so the summary counts each record
  // once against this device; packages of different projects are simply loaded side by side.
  const byProject = new Map<string, PackageContent[]>();
  for (const content of contents) {
    const projectId = content.manifest.scope.projectId;
    byProject.set(projectId, [...(byProject.get(projectId) ?? []), content]);
  }
  const records: SyncedRecord[] = [];
  const photos = new Map<string, Uint8Array>();
  const packageConflicts: ConflictEntry[] = [];
  for (const group of byProject.values()) {
    const merged = mergePackages(group);
    if (!merged.ok) {
      notify(
        t("importRefused", { detail: `${merged.problem.where}: ${merged.problem.detail}` }),
        "error",
      );
      continue;
    }
    records.push(...merged.content.records);
    for (const [id, bytes] of merged.content.photos) photos.set(id, bytes);
    // The merged package's log holds the packages' own logs and what merging them lost.
    packageConflicts.push(...merged.content.conflicts);
  }
  if (records.length === 0) return false;
  const store = db();
  try {
    const photoProjects = new Map(
      records.filter((record) => record.kind === "photo").map((r) => [r.id, r.projectId]),
    );
    for (const [id, bytes] of photos) {
      // Queued for the project's sync server, if it has one: it may not have these bytes.
      await store.putPhotoBlob(
        id,
        new Blob([bytes as BlobPart], { type: "image/jpeg" }),
        photoProjects.get(id),
      );
    }
    const result = await store.applyRecords(records, { conflicts: packageConflicts });
    showInWalk(result.stored);
    await loadProjects();
    const projectIds = new Set(contents.map((content) => content.manifest.scope.projectId));
    const current = route.value;
    const openProject =
      current.screen === "project" || current.screen === "sites" ? current.projectId : null;
    await loadWalks(openProject ?? [...projectIds][0]!);
    if (openProject) await loadConflicts(openProject);
    announceChanges({
      type: "records",
      ids: result.stored.map((record) => record.id),
      kinds: [...new Set(result.stored.map((record) => record.kind))],
    });
    const conflictCount = new Set(
      [...result.conflicts, ...packageConflicts].map((entry) => entry.id),
    ).size;
    const counts = {
      files: contents.length,
      added: result.added,
      updated: result.updated,
      unchanged: result.unchanged,
      deleted: result.deleted,
      conflicts: conflictCount,
    };
    const summary = t(contents.length > 1 ? "mergeResult" : "importResult", counts);
    // The project screen keeps the summary in view: it is what the coordinator reports back.
    lastMerge.value = { projectIds: [...projectIds], text: summary };
    notify(
      summary,
      "success",
      conflictCount > 0 && openProject === null
        ? {
            label: t("showConflicts"),
            run: () => navigate({ screen: "project", projectId: [...projectIds][0]! }),
          }
        : undefined,
      conflictCount > 0 && openProject === null,
    );
    if (skipped > 0) notify(t("importProblems", { count: skipped }), "error");
    return true;
  } catch (error) {
    reportStorageError(error);
    return false;
  }
}

// ---- other tabs -------------------------------------------------------------------------

/** Reload records another tab wrote, so both tabs show the same. */
/** Records that arrived from the sync server: show them wherever they belong. */
export async function showPulledRecords(records: readonly SyncedRecord[]): Promise<void> {
  batch(() => {
    showInWalk(records);
    refreshListsFor(records);
  });
  const current = route.value;
  if ("projectId" in current && records.some((record) => record.projectId === current.projectId)) {
    await loadWalks(current.projectId);
    await loadConflicts(current.projectId);
  }
}

export function followOtherTabs(): () => void {
  return onChanges(async (message) => {
    const records = await db().getRecords(message.ids);
    batch(() => {
      showInWalk(records);
      refreshListsFor(records);
    });
    if (message.kinds.includes("observation") && route.value.screen === "project") {
      void loadWalks(route.value.projectId);
    }
  });
}

/** Area outline of a walk, as drawn on the map. */
export async function setWalkArea(walkId: string, polygon: Polygon | null): Promise<boolean> {
  return patchWalk(walkId, { areaPolygon: polygon });
}
