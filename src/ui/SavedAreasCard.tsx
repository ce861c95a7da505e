/**
 * Saved areas of online sources (Settings, and the save screen): each with its tile count,
 * size and state, a progress bar while it downloads, and show on the map, resume, cancel,
 * delete. The messages say what happened, a full disk included.
 */
import { useEffect } from "preact/hooks";
import { zoomToShow } from "../domain/basemap-file";
import { doneTiles, regionBbox, type SavedArea } from "../domain/saved-area";
import { formatBytes, t } from "../state/i18n";
import { hrefFor } from "../state/router";
import {
  activeDownload,
  cancelDownload,
  deleteSavedArea,
  downloadEnds,
  refreshSavedAreas,
  resumeArea,
  savedAreas,
} from "../state/saved-areas";
import { notify } from "../state/session";
import { storeSettings } from "../state/settings";
import { settings } from "../state/store";

/** Choose the area's source as the basemap and open the map on the area. */
export function showAreaOnMap(area: SavedArea): void {
  const [west, south, east, north] = regionBbox(area.region);
  const shift = Math.log2(512 / area.source.tileSizePx);
  const sources = settings.value.tileSources;
  const next = {
    ...settings.value,
    // The source may have been removed from the list since: the area keeps a copy.
    tileSources: sources.some((source) => source.id === area.source.id)
      ? sources
      : [...sources, area.source],
    basemap: { kind: "source" as const, sourceId: area.source.id },
    lastView: {
      center: [(west + east) / 2, (south + north) / 2] as [number, number],
      // MapLibre draws a 256 px tile of zoom z at its zoom z - 1 (its own tiles are 512 px).
      zoom: zoomToShow([west, south, east, north], area.minZoom - shift, area.maxZoom - shift),
    },
  };
  settings.value = next;
  storeSettings(next);
  notify(t("areaShown", { name: area.name }), "success");
}

/** What the area's state is, in words. */
export function areaStatusText(area: SavedArea): string {
  const done = doneTiles(area);
  const facts = { done, total: area.tileCount, size: formatBytes(area.storedBytes) };
  const ended = downloadEnds.value[area.id];
  if (ended?.status === "storage_failed") return t("areaStorageFailed", facts);
  switch (area.status) {
    case "downloading":
      return t("areaDownloading", facts);
    case "paused":
      return t("areaPaused", facts);
    case "complete":
      return t("areaComplete", facts);
    case "quota":
      return t("areaQuota", facts);
    case "incomplete":
      return t("areaIncomplete", { ...facts, failed: area.failedTiles });
  }
}

export function SavedAreaItem(props: { area: SavedArea }) {
  const { area } = props;
  const running = activeDownload.value?.areaId === area.id;
  const busy = activeDownload.value !== null;
  const done = doneTiles(area);
  return (
    <li class="area-row" data-testid="saved-area">
      <div class="list-row-main">
        <span class="list-row-title">{area.name}</span>
        <span class="muted">
          {t("areaFacts", {
            tiles: area.storedTiles,
            size: formatBytes(area.storedBytes),
            min: area.minZoom,
            max: area.maxZoom,
            source: area.source.name,
          })}
        </span>
        {running && (
          <progress
            max={area.tileCount}
            value={done}
            aria-label={t("areaProgressLabel", { name: area.name })}
          />
        )}
        <p
          class={area.status === "quota" ? "field-error" : "area-status"}
          role={area.status === "quota" ? "alert" : "status"}
          data-testid="saved-area-status"
        >
          {areaStatusText(area)}
        </p>
      </div>
      <div class="button-row">
        {running ? (
          <button type="button" class="button" onClick={cancelDownload}>
            {t("areaCancel")}
          </button>
        ) : (
          area.status !== "complete" && (
            <button
              type="button"
              class="button button-primary"
              disabled={busy}
              onClick={() => void resumeArea(area.id)}
            >
              {t("areaResume")}
            </button>
          )
        )}
        <button type="button" class="button" onClick={() => showAreaOnMap(area)}>
          {t("areaShow")}
        </button>
        <button
          type="button"
          class="button button-danger"
          aria-label={t("areaDelete", { name: area.name })}
          onClick={() =>
            void deleteSavedArea(area.id).then(() =>
              notify(t("areaDeleted", { name: area.name }), "success"),
            )
          }
        >
          {t("delete")}
        </button>
      </div>
    </li>
  );
}

export function SavedAreasCard() {
  useEffect(() => {
    if (savedAreas.value === null) void refreshSavedAreas();
  }, []);
  const areas = savedAreas.value ?? [];
  return (
    <section class="card" aria-labelledby="areas-heading">
      <h2 id="areas-heading">{t("areas")}</h2>
      <p class="hint">{t("areasIntro")}</p>
      <p>
        <a class="button" href={hrefFor({ screen: "offlineArea" })}>
          {t("areaSaveOpen")}
        </a>
      </p>
      {areas.length === 0 ? (
        <p class="muted">{t("areasNone")}</p>
      ) : (
        <ul class="link-list" aria-label={t("areas")}>
          {areas.map((area) => (
            <SavedAreaItem key={area.id} area={area} />
          ))}
        </ul>
      )}
    </section>
  );
}
