/**
 * Save an area of an online tile source for offline use: choose a source whose terms allow
 * it, mark the area (the walk's outline, the map's view, or a rectangle drawn on the map or
 * typed in degrees), choose zooms, see the tile count and estimated size, then download
 * with progress, cancel and resume. Everything but drawing works without the map.
 */
import type { Polygon } from "geojson";
import { useEffect, useRef, useState } from "preact/hooks";
import {
  type BasemapView,
  type OfflineSaveProblem,
  offlineSaveProblem,
  resolveBasemap,
  type TileSource,
} from "../domain/basemap";
import { type AreaRegion, regionBbox, regionPolygon, regionShape } from "../domain/saved-area";
import { type AreaProblem, areaProblem, type Bbox, MAX_AREA_TILES } from "../domain/tiles";
import type { StringKey } from "../i18n/strings";
import { formatBytes, formatCount, t } from "../state/i18n";
import { hrefFor } from "../state/router";
import {
  type AreaEstimate,
  activeDownload,
  estimateArea,
  refreshSavedAreas,
  saveArea,
  savedAreas,
  walksWithArea,
} from "../state/saved-areas";
import { refreshStorageInfo } from "../state/storage-info";
import { settings, storageInfo } from "../state/store";
import { setOfflineAllowed } from "../state/tile-sources";
import { Header } from "./Header";
import { SavedAreaItem } from "./SavedAreasCard";
import { usePanelMap } from "./use-panel-map";

const OFFLINE_PROBLEM_TEXT: Record<OfflineSaveProblem, StringKey> = {
  osm_policy: "areaOsmForbidden",
  style_source: "areaStyleNotPossible",
  not_confirmed: "areaNotConfirmed",
};

const AREA_PROBLEM_TEXT: Record<AreaProblem, StringKey> = {
  empty_area: "areaEmpty",
  crosses_antimeridian: "areaAntimeridian",
  outside_web_mercator: "areaOutsideMercator",
  bad_zooms: "areaBadZooms",
  too_many_tiles: "areaTooMany",
};

/** Zooms a walk area is usually saved at: a district at 12, house numbers at 17. */
const DEFAULT_MIN_ZOOM = 12;
const DEFAULT_MAX_ZOOM = 17;

type RegionKind = AreaRegion["kind"];

function sourceView(source: TileSource | undefined): BasemapView {
  if (!source) return { kind: "none" };
  return resolveBasemap({ kind: "source", sourceId: source.id }, [source]);
}

function parseDegrees(text: string): number {
  return Number(text.trim().replace(",", "."));
}

function round(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

function ZoomSelect(props: {
  id: string;
  label: string;
  zooms: readonly number[];
  value: number;
  onChange(zoom: number): void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={String(props.value)}
        onChange={(event) => props.onChange(Number(event.currentTarget.value))}
      >
        {props.zooms.map((zoom) => (
          <option key={zoom} value={String(zoom)}>
            {zoom}
          </option>
        ))}
      </select>
    </div>
  );
}

function SourceChoice(props: { sourceId: string | null; onChoose(id: string): void }) {
  const sources = settings.value.tileSources;
  return (
    <fieldset class="field">
      <legend>{t("areaSource")}</legend>
      {sources.length === 0 && (
        <p class="muted">
          {t("areaNoSources")}{" "}
          <a class="button" href={hrefFor({ screen: "settings" })}>
            {t("settings")}
          </a>
        </p>
      )}
      {sources.map((source) => {
        const problem = offlineSaveProblem(source);
        const disabled = problem === "osm_policy" || problem === "style_source";
        const reasonId = `source-reason-${source.id}`;
        return (
          <div key={source.id}>
            <label class={`tile tile-wide${disabled ? " tile-disabled" : ""}`}>
              <input
                type="radio"
                name="area-source"
                checked={props.sourceId === source.id}
                disabled={disabled}
                aria-describedby={problem ? reasonId : undefined}
                onChange={() => props.onChoose(source.id)}
              />
              <span>{source.name}</span>
            </label>
            {problem && (
              <p class="hint" id={reasonId}>
                {t(OFFLINE_PROBLEM_TEXT[problem])}
              </p>
            )}
          </div>
        );
      })}
      <div>
        <label class="tile tile-wide tile-disabled">
          <input type="radio" name="area-source" disabled aria-describedby="source-reason-osm" />
          <span>{t("basemapOsm")}</span>
        </label>
        <p class="hint" id="source-reason-osm">
          {t("areaOsmForbidden")}
        </p>
      </div>
    </fieldset>
  );
}

export function OfflineAreaScreen(props: { walkId?: string }) {
  const sources = settings.value.tileSources;
  const usable = sources.filter((source) => {
    const problem = offlineSaveProblem(source);
    return problem === null || problem === "not_confirmed";
  });
  const current = settings.value.basemap;
  const [sourceId, setSourceId] = useState<string | null>(
    (current.kind === "source" && usable.some((source) => source.id === current.sourceId)
      ? current.sourceId
      : usable[0]?.id) ?? null,
  );
  const source = sources.find((candidate) => candidate.id === sourceId);
  const [walks, setWalks] = useState<{ id: string; name: string; polygon: Polygon }[] | null>(null);
  const [walkId, setWalkId] = useState<string | null>(props.walkId ?? null);
  const [regionKind, setRegionKind] = useState<RegionKind>(props.walkId ? "walk" : "view");
  const [viewBbox, setViewBbox] = useState<Bbox | null>(null);
  const [edges, setEdges] = useState({ west: "", south: "", east: "", north: "" });
  const [picking, setPicking] = useState<0 | 1 | 2>(0);
  const [minZoom, setMinZoom] = useState(DEFAULT_MIN_ZOOM);
  const [maxZoom, setMaxZoom] = useState(DEFAULT_MAX_ZOOM);
  const [name, setName] = useState("");
  const [estimate, setEstimate] = useState<AreaEstimate | null>(null);
  const [areaId, setAreaId] = useState<string | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const { view, loaded, failed } = usePanelMap(
    container,
    "areaMapLabel",
    undefined,
    sourceView(source),
  );

  useEffect(() => {
    void refreshStorageInfo();
    if (savedAreas.value === null) void refreshSavedAreas();
    void walksWithArea()
      .then((list) => {
        setWalks(list);
        setWalkId((chosen) =>
          chosen && list.some((walk) => walk.id === chosen) ? chosen : (list[0]?.id ?? null),
        );
      })
      .catch(() => setWalks([]));
  }, []);

  // The source's zooms bound the choice.
  const lowest = source?.minZoom ?? 0;
  const highest = source?.maxZoom ?? 22;
  const fromZoom = Math.min(Math.max(minZoom, lowest), highest);
  const toZoom = Math.min(Math.max(maxZoom, fromZoom), highest);

  const walk = walks?.find((candidate) => candidate.id === walkId);
  const typedBbox: Bbox = [
    parseDegrees(edges.west),
    parseDegrees(edges.south),
    parseDegrees(edges.east),
    parseDegrees(edges.north),
  ];
  const region: AreaRegion | null =
    regionKind === "walk"
      ? walk
        ? { kind: "walk", walkId: walk.id, walkName: walk.name, polygon: walk.polygon }
        : null
      : regionKind === "view"
        ? viewBbox
          ? { kind: "view", bbox: viewBbox }
          : null
        : typedBbox.every(Number.isFinite)
          ? { kind: "rectangle", bbox: typedBbox }
          : null;
  const regionKey = JSON.stringify(region);

  useEffect(() => {
    if (!source || !region) {
      setEstimate(null);
      return;
    }
    let stale = false;
    void estimateArea(source, region, fromZoom, toZoom).then((next) => {
      if (!stale) setEstimate(next);
    });
    return () => {
      stale = true;
    };
  }, [sourceId, regionKey, fromZoom, toZoom, savedAreas.value?.length]);

  // The map shows the area being marked.
  useEffect(() => {
    if (!loaded) return;
    view.current?.setArea(region ? regionPolygon(region) : null);
  }, [regionKey, loaded]);

  function fitRegion() {
    if (region) view.current?.fitBounds(regionBbox(region));
  }

  // A walk's outline is shown on the map when it is chosen.
  useEffect(() => {
    if (loaded && region?.kind === "walk") void view.current?.whenReady().then(fitRegion);
  }, [loaded, regionKind, walkId, walks !== null]);

  function captureView() {
    const bounds = view.current?.getBounds();
    if (bounds) setViewBbox(bounds);
  }

  // "The map's view" follows the map once it is there.
  useEffect(() => {
    if (regionKind === "view" && loaded && !viewBbox) {
      void view.current?.whenReady().then(captureView);
    }
  }, [regionKind, loaded]);

  async function drawRectangle() {
    const map = view.current;
    if (!map) return;
    setPicking(1);
    const first = await map.pickPoint();
    if (!first) {
      setPicking(0);
      return;
    }
    setPicking(2);
    const second = await map.pickPoint();
    setPicking(0);
    if (!second) return;
    setEdges({
      west: round(Math.min(first[0], second[0])),
      south: round(Math.min(first[1], second[1])),
      east: round(Math.max(first[0], second[0])),
      north: round(Math.max(first[1], second[1])),
    });
  }

  const offline = source ? offlineSaveProblem(source) : null;
  const areaIssue =
    region && estimate ? areaProblem(regionShape(region), fromZoom, toZoom, estimate.plan) : null;
  const running = activeDownload.value;
  const startProblem: string | null = !source
    ? t("areaChooseSource")
    : offline
      ? t(OFFLINE_PROBLEM_TEXT[offline])
      : !region
        ? t(regionKind === "walk" ? "areaNoWalkArea" : "areaChooseRegion")
        : areaIssue
          ? t(AREA_PROBLEM_TEXT[areaIssue], { max: formatCount(MAX_AREA_TILES) })
          : running
            ? t("areaOtherRunning")
            : null;
  const info = storageInfo.value;
  const freeBytes =
    info?.quotaBytes != null && info.usedBytes != null ? info.quotaBytes - info.usedBytes : null;
  const created = (savedAreas.value ?? []).find((area) => area.id === areaId);
  const defaultName =
    region?.kind === "walk"
      ? region.walkName
      : t("areaDefaultName", { date: new Date().toLocaleDateString("sv-SE") });

  async function start() {
    if (!source || !region || !estimate || startProblem) return;
    const area = await saveArea({
      name: name.trim() || defaultName,
      source,
      region,
      minZoom: fromZoom,
      maxZoom: toZoom,
      tileCount: estimate.plan.tileCount,
      estimatedBytes: estimate.sizeBytes,
    });
    setAreaId(area.id);
  }

  const zooms = Array.from({ length: highest - lowest + 1 }, (_, index) => lowest + index);
  return (
    <>
      <Header
        title={t("areaScreenTitle")}
        back={
          props.walkId
            ? hrefFor({ screen: "walk", walkId: props.walkId, view: "about" })
            : hrefFor({ screen: "settings" })
        }
      />
      <main id="main" class="page page-wide offline-area">
        <div class="offline-area-form">
          <section class="card" aria-labelledby="area-source-heading">
            <h2 id="area-source-heading">{t("areaStepSource")}</h2>
            <SourceChoice sourceId={sourceId} onChoose={setSourceId} />
            {source && (offline === null || offline === "not_confirmed") && (
              <label class="tile tile-wide">
                <input
                  type="checkbox"
                  checked={source.offlineAllowedByUser}
                  onChange={(event) => setOfflineAllowed(source.id, event.currentTarget.checked)}
                />
                <span>{t("sourceOfflineAllowed")}</span>
              </label>
            )}
            {source && <p class="hint">{t("basemapCredit", { credit: source.attribution })}</p>}
          </section>

          <section class="card" aria-labelledby="area-region-heading">
            <h2 id="area-region-heading">{t("areaStepRegion")}</h2>
            <fieldset class="field">
              <legend class="visually-hidden">{t("areaStepRegion")}</legend>
              <label class="tile tile-wide">
                <input
                  type="radio"
                  name="area-region"
                  checked={regionKind === "walk"}
                  onChange={() => setRegionKind("walk")}
                />
                <span>{t("areaRegionWalk")}</span>
              </label>
              <label class="tile tile-wide">
                <input
                  type="radio"
                  name="area-region"
                  checked={regionKind === "view"}
                  onChange={() => {
                    setRegionKind("view");
                    captureView();
                  }}
                />
                <span>{t("areaRegionView")}</span>
              </label>
              <label class="tile tile-wide">
                <input
                  type="radio"
                  name="area-region"
                  checked={regionKind === "rectangle"}
                  onChange={() => setRegionKind("rectangle")}
                />
                <span>{t("areaRegionRectangle")}</span>
              </label>
            </fieldset>
            {regionKind === "walk" &&
              (walks && walks.length > 0 ? (
                <div class="field">
                  <label for="area-walk">{t("areaWalk")}</label>
                  <select
                    id="area-walk"
                    value={walkId ?? ""}
                    onChange={(event) => setWalkId(event.currentTarget.value)}
                  >
                    {walks.map((candidate) => (
                      <option key={candidate.id} value={candidate.id}>
                        {candidate.name}
                      </option>
                    ))}
                  </select>
                </div>
              ) : (
                <p class="muted">{t("areaNoWalkArea")}</p>
              ))}
            {regionKind === "view" && (
              <div class="field">
                <p class="hint">{t("areaViewHint")}</p>
                <button type="button" class="button" disabled={!loaded} onClick={captureView}>
                  {t("areaUseView")}
                </button>
              </div>
            )}
            {regionKind === "rectangle" && (
              <>
                <p class="hint">{t("areaRectangleHint")}</p>
                <div class="field-row">
                  {(["west", "south", "east", "north"] as const).map((edge) => (
                    <div class="field" key={edge}>
                      <label for={`area-${edge}`}>{t(`areaEdge_${edge}`)}</label>
                      <input
                        id={`area-${edge}`}
                        inputMode="decimal"
                        value={edges[edge]}
                        onInput={(event) =>
                          setEdges({ ...edges, [edge]: event.currentTarget.value })
                        }
                      />
                    </div>
                  ))}
                </div>
                <div class="button-row">
                  <button
                    type="button"
                    class="button"
                    disabled={!loaded || picking !== 0}
                    onClick={() => void drawRectangle()}
                  >
                    {t("areaDraw")}
                  </button>
                  {picking !== 0 && (
                    <button
                      type="button"
                      class="button"
                      onClick={() => view.current?.cancelPickPoint()}
                    >
                      {t("drawCancel")}
                    </button>
                  )}
                </div>
                {picking !== 0 && (
                  <p role="status" class="callout">
                    {t(picking === 1 ? "areaDrawFirst" : "areaDrawSecond")}
                  </p>
                )}
              </>
            )}
            {region && regionKind !== "view" && (
              <div class="field area-fit">
                <button type="button" class="button" disabled={!loaded} onClick={fitRegion}>
                  {t("areaFit")}
                </button>
              </div>
            )}
          </section>

          <section class="card" aria-labelledby="area-zoom-heading">
            <h2 id="area-zoom-heading">{t("areaStepZooms")}</h2>
            <p class="hint">{t("areaZoomHint")}</p>
            <div class="field-row">
              <ZoomSelect
                id="area-min-zoom"
                label={t("areaMinZoom")}
                zooms={zooms}
                value={fromZoom}
                onChange={setMinZoom}
              />
              <ZoomSelect
                id="area-max-zoom"
                label={t("areaMaxZoom")}
                zooms={zooms.filter((zoom) => zoom >= fromZoom)}
                value={toZoom}
                onChange={setMaxZoom}
              />
            </div>
          </section>

          <section class="card" aria-labelledby="area-save-heading">
            <h2 id="area-save-heading">{t("areaStepSave")}</h2>
            <div class="field">
              <label for="area-name">{t("areaName")}</label>
              <input
                id="area-name"
                value={name}
                placeholder={defaultName}
                onInput={(event) => setName(event.currentTarget.value)}
              />
            </div>
            {estimate && region && (
              <p data-testid="area-estimate" aria-live="polite">
                {t(estimate.measured ? "areaEstimateMeasured" : "areaEstimateAssumed", {
                  tiles: formatCount(estimate.plan.tileCount),
                  size: formatBytes(estimate.sizeBytes),
                  mean: formatBytes(estimate.meanTileBytes),
                })}
              </p>
            )}
            {freeBytes !== null && (
              <p class="hint">{t("storageFree", { free: formatBytes(Math.max(0, freeBytes)) })}</p>
            )}
            {estimate && freeBytes !== null && estimate.sizeBytes > freeBytes && (
              <p class="callout">{t("areaMayNotFit")}</p>
            )}
            <p class="hint">{t("areaPolite")}</p>
            {startProblem && (
              <p class="hint" id="area-start-problem">
                {startProblem}
              </p>
            )}
            <button
              type="button"
              class="button button-primary"
              disabled={startProblem !== null || !estimate}
              aria-describedby={startProblem ? "area-start-problem" : undefined}
              onClick={() => void start()}
            >
              {estimate && !startProblem
                ? t("areaStart", { tiles: formatCount(estimate.plan.tileCount) })
                : t("areaStartPlain")}
            </button>
            {created && (
              <ul class="link-list" aria-label={t("areas")}>
                <SavedAreaItem area={created} />
              </ul>
            )}
          </section>
        </div>
        <div class="offline-area-map">
          <div class="map-wrap sites-map">
            <div ref={container} class="map" data-testid="area-map" />
            {failed && <p class="map-message">{t("mapNoWebgl")}</p>}
          </div>
          <p class="hint">{t("areaMapHint")}</p>
        </div>
      </main>
    </>
  );
}
