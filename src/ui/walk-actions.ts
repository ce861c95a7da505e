/**
 * What the walk screen's buttons do: open the form at my position, draw on the map, reshape
 * a geometry, walk a line. Coordinates the map (mapRef) with the state actions.
 */
import { batch } from "@preact/signals";
import type { Geometry, Polygon } from "geojson";
import { findCategory } from "../domain/checklist";
import type { ObservationGeometry } from "../domain/geometry";
import { DEFAULT_SEVERITY, type ObservationInput, type Placement } from "../domain/observation";
import { newObservationId, saveGeometry, setWalkArea } from "../state/actions";
import { finishWalkedLine, freshFix, startGps, startWalkedLine } from "../state/gps";
import { t } from "../state/i18n";
import { notify } from "../state/session";
import {
  CHECKLIST,
  type DrawKind,
  draftObservation,
  editor,
  mapCenter,
  mapMode,
  selectedId,
} from "../state/store";
import { mapRef } from "./MapPanel";

function blankInput(
  geometry: ObservationGeometry,
  placement: Placement,
  accuracyM: number | null,
): ObservationInput {
  return {
    geometry,
    categoryId: "",
    severity: DEFAULT_SEVERITY,
    feltUnsafe: [],
    note: "",
    photoIds: [],
    illuminanceLux: "",
    observedAt: Date.now(),
    positionAccuracyM: accuracyM,
    placement,
  };
}

export function openNewObservation(
  geometry: ObservationGeometry,
  placement: Placement,
  accuracyM: number | null,
) {
  batch(() => {
    selectedId.value = null;
    editor.value = {
      mode: "new",
      id: newObservationId(),
      initial: blankInput(geometry, placement, accuracyM),
    };
    draftObservation.value = { geometry, severity: DEFAULT_SEVERITY };
  });
}

/** "Add here": one tap opens the form at the current GPS position (or the map centre). */
export function addAtMyPosition() {
  startGps();
  const fix = freshFix();
  if (fix) {
    openNewObservation(
      { type: "Point", coordinates: [fix.lon, fix.lat] },
      "gps",
      Math.round(fix.accuracyM),
    );
    return;
  }
  const center = mapRef.current?.getCenter() ?? mapCenter.value;
  if (!center) {
    notify(t("gpsUnavailable"), "error");
    return;
  }
  notify(t("positionApproximate"));
  openNewObservation({ type: "Point", coordinates: center }, "drawn", null);
}

export function openObservation(id: string) {
  if (mapMode.value.kind !== "idle") return;
  batch(() => {
    selectedId.value = id;
    editor.value = { mode: "edit", id };
    draftObservation.value = null;
  });
}

export function closeEditor() {
  batch(() => {
    editor.value = null;
    draftObservation.value = null;
  });
}

export async function drawObservation(kind: DrawKind) {
  const map = mapRef.current;
  if (!map) return;
  closeEditor();
  mapMode.value = { kind: "drawing", draw: kind, purpose: "observation" };
  const geometry = await map.drawGeometry(kind);
  mapMode.value = { kind: "idle" };
  if (geometry) openNewObservation(geometry as ObservationGeometry, "drawn", null);
}

export async function drawWalkArea(walkId: string) {
  const map = mapRef.current;
  if (!map) return;
  mapMode.value = { kind: "drawing", draw: "polygon", purpose: "area" };
  const geometry = await map.drawGeometry("polygon");
  mapMode.value = { kind: "idle" };
  if (geometry?.type === "Polygon") await setWalkArea(walkId, geometry as Polygon);
}

export function finishDrawing() {
  mapRef.current?.finishDrawing();
}

export function cancelDrawing() {
  mapRef.current?.cancelDrawing();
  mapMode.value = { kind: "idle" };
}

export async function beginGeometryEdit(id: string, geometry: Geometry) {
  const map = mapRef.current;
  if (!map) return;
  editor.value = null;
  mapMode.value = { kind: "editing", observationId: id };
  await map.beginEdit(id, geometry);
}

export async function finishGeometryEdit(save: boolean) {
  const map = mapRef.current;
  const mode = mapMode.value;
  if (!map || mode.kind !== "editing") return;
  const geometry = map.endEdit();
  mapMode.value = { kind: "idle" };
  if (save && geometry) await saveGeometry(mode.observationId, geometry as ObservationGeometry);
  editor.value = { mode: "edit", id: mode.observationId };
}

export async function toggleWalkedLine(walkId: string, walking: boolean) {
  if (!walking) {
    await startWalkedLine(walkId);
    return;
  }
  const positions = await finishWalkedLine();
  if (!positions) return;
  // The walked positions stay stored until the observation is saved or the form cancelled.
  openNewObservation({ type: "LineString", coordinates: positions }, "walked", null);
}

export function categoryLabelFor(categoryId: string): string {
  const found = findCategory(CHECKLIST, categoryId);
  if (!found) return categoryId;
  return found.category.label[document.documentElement.lang === "en" ? "en" : "sv"];
}
