/**
 * Imported context layers: store an accepted import, show or hide a layer, delete it.
 * A layer's data file is served to MapLibre through an object URL, so the map's own worker
 * reads it (the page never parses tens of thousands of features).
 */
import { newId } from "../domain/ids";
import { EMPTY_FIELDS } from "../domain/kinds";
import type { FieldMapping, LayerFields, LayerRole, PoiKind } from "../domain/layers";
import { createRecord, editRecord, tombstoneRecord } from "../domain/record";
import type { FinalisedLayer, ImportSummary } from "../workers/import-protocol";
import { commit } from "./actions";
import { t } from "./i18n";
import { ctx, db, notify, reportStorageError } from "./session";
import { type LayerRecord, projectLayers } from "./store";

export interface AcceptedImport {
  projectId: string;
  name: string;
  sourceFile: string;
  role: LayerRole;
  poiKind: PoiKind | null;
  mapping: FieldMapping;
  summary: ImportSummary;
  layer: FinalisedLayer;
}

/** Store an accepted import: the layer record and its data in one transaction. */
export async function storeImportedLayer(accepted: AcceptedImport): Promise<LayerRecord | null> {
  const fields: LayerFields = {
    name: accepted.name,
    role: accepted.role,
    poiKind: accepted.role === "poi" ? (accepted.poiKind ?? "other") : null,
    sourceFile: accepted.sourceFile,
    sourceFormat: accepted.summary.format,
    sourceCrs: accepted.summary.sourceCrs,
    encoding: accepted.summary.encoding,
    fieldMapping: accepted.mapping,
    featureCount: accepted.layer.featureCount,
    rejectedCount: accepted.summary.rejectedCount + accepted.layer.skippedForRole,
    dataId: accepted.layer.dataId,
    bbox: accepted.layer.bbox,
    attribution: accepted.summary.attribution,
    importedAt: Date.now(),
    visible: true,
  };
  const record = createRecord(
    { id: newId(), kind: "layer", projectId: accepted.projectId, fields },
    ctx(),
  ) as LayerRecord;
  try {
    await db().putLayer(
      record,
      new Blob([accepted.layer.data as BlobPart], { type: "application/geo+json" }),
    );
  } catch (error) {
    reportStorageError(error);
    return null;
  }
  projectLayers.value = [...projectLayers.value, record];
  notify(
    t("layerImported", { name: record.fields.name, count: record.fields.featureCount }),
    "success",
  );
  return record;
}

export async function setLayerVisible(layer: LayerRecord, visible: boolean): Promise<void> {
  await commit([editRecord(layer, { visible }, ctx())]);
}

export async function deleteLayer(layer: LayerRecord): Promise<void> {
  const dataId = layer.fields.dataId;
  const tombstone = tombstoneRecord(layer, EMPTY_FIELDS.layer as LayerFields, ctx());
  if (!(await commit([tombstone]))) return;
  const stillUsed = projectLayers.value.some((other) => other.fields.dataId === dataId);
  if (!stillUsed) await db().deleteLayerData([dataId]).catch(reportStorageError);
  releaseLayerUrl(dataId);
  notify(t("layerDeleted", { name: layer.fields.name }), "success");
}

const urls = new Map<string, Promise<string | null>>();

/** An object URL of a layer's data, for MapLibre (made once per data file). */
export function layerDataUrl(dataId: string): Promise<string | null> {
  let url = urls.get(dataId);
  if (!url) {
    url = db()
      .getLayerData(dataId)
      .then((blob) => (blob ? URL.createObjectURL(blob) : null));
    urls.set(dataId, url);
  }
  return url;
}

function releaseLayerUrl(dataId: string) {
  const url = urls.get(dataId);
  urls.delete(dataId);
  void url?.then((value) => value && URL.revokeObjectURL(value));
}
