/**
 * Export a whole project for the municipal GIS: one zip with a file per kind
 * (observations, walks, tracks, each imported layer), photos, and the attribution.
 * The export code (proj4, zip) loads only when a person exports.
 */
import type { Feature, Geometry } from "geojson";
import pathClassesData from "../../data/path-classes.json";
import type { ExportFormat } from "../domain/export/index";
import type { NormalisedProperties, PathClassesFile } from "../domain/layers";
import type { ObservationRecord } from "../domain/observation";
import type { ProjectRecord } from "../domain/project";
import type { TrackChunkRecord, TrackRecord } from "../domain/track";
import type { WalkRecord } from "../domain/walk";
import { t } from "./i18n";
import { db, notify, reportStorageError } from "./session";
import { CHECKLIST, GROUPS, type LayerRecord, ORGANISATIONS } from "./store";

function download(bytes: Uint8Array, name: string, mimeType: string) {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mimeType }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function exportWholeProject(
  project: ProjectRecord,
  format: ExportFormat,
): Promise<void> {
  try {
    const store = db();
    const live = <R extends { deleted: boolean }>(records: R[]) =>
      records.filter((record) => !record.deleted);
    const [walks, observations, tracks, trackChunks, layerRecords] = await Promise.all([
      store.listProjectKind<WalkRecord>(project.id, "walk"),
      store.listProjectKind<ObservationRecord>(project.id, "observation"),
      store.listProjectKind<TrackRecord>(project.id, "track"),
      store.listProjectKind<TrackChunkRecord>(project.id, "trackChunk"),
      store.listProjectKind<LayerRecord>(project.id, "layer"),
    ]);
    const layers = [];
    for (const record of live(layerRecords)) {
      const blob = await store.getLayerData(record.fields.dataId);
      if (!blob) continue;
      const collection = JSON.parse(await blob.text()) as {
        features: Feature<Geometry | null, NormalisedProperties>[];
      };
      layers.push({ record, features: collection.features });
    }
    const photos = new Map<string, Uint8Array>();
    for (const observation of live(observations)) {
      for (const id of observation.fields.photoIds) {
        if (photos.has(id)) continue;
        const blob = await store.getPhotoBlob(id);
        if (blob) photos.set(id, new Uint8Array(await blob.arrayBuffer()));
      }
    }
    const { exportProject, prepareExport } = await import("../domain/export/index");
    await prepareExport(format);
    const file = exportProject(
      {
        project,
        walks: live(walks),
        observations: live(observations),
        tracks: live(tracks),
        trackChunks: live(trackChunks),
        layers,
        photos,
      },
      {
        checklist: CHECKLIST,
        groups: GROUPS,
        organisations: ORGANISATIONS,
        pathClasses: pathClassesData as PathClassesFile,
      },
      { format, exportedAt: Date.now() },
    );
    download(file.bytes, file.fileName, file.mimeType);
    notify(t("exportSaved", { name: file.fileName }), "success");
  } catch (error) {
    reportStorageError(error);
  }
}
