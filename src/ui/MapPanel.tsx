import { effect } from "@preact/signals";
import type { Feature, FeatureCollection, LineString } from "geojson";
import { useEffect, useRef } from "preact/hooks";
import { findCategory } from "../domain/checklist";
import { trackPoints } from "../domain/track";
import type { MapView } from "../map/map-view";
import { t } from "../state/i18n";
import { isNight } from "../state/night";
import { storeSettings } from "../state/settings";
import {
  basemapFailing,
  CHECKLIST,
  currentWalk,
  draftObservation,
  gps,
  mapCenter,
  mapMode,
  observations,
  selectedId,
  settings,
  trackChunks,
  tracks,
  walkedLine,
} from "../state/store";
import { openObservation } from "./walk-actions";

/** The live MapView, for actions that draw or edit (see walk-actions.ts). */
export const mapRef: { current: MapView | null } = { current: null };

function observationFeatures(): FeatureCollection {
  const features: Feature[] = [];
  for (const observation of observations.value) {
    const geometry = observation.fields.geometry;
    if (!geometry) continue;
    features.push({
      type: "Feature",
      geometry,
      properties: {
        id: observation.id,
        severity: observation.fields.severity,
        group: findCategory(CHECKLIST, observation.fields.categoryId)?.group.id ?? "other",
      },
    });
  }
  const draft = draftObservation.value;
  if (draft) {
    features.push({
      type: "Feature",
      geometry: draft.geometry,
      properties: { id: "draft", severity: draft.severity, group: "draft", selected: true },
    });
  }
  return { type: "FeatureCollection", features };
}

function bounds(collection: FeatureCollection): [number, number, number, number] | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const visit = (coordinates: unknown): void => {
    if (Array.isArray(coordinates) && typeof coordinates[0] === "number") {
      const [x, y] = coordinates as [number, number];
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    } else if (Array.isArray(coordinates)) coordinates.forEach(visit);
  };
  for (const feature of collection.features) {
    if (feature.geometry && "coordinates" in feature.geometry) visit(feature.geometry.coordinates);
  }
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
}

/** Sweden, for a first start with nothing to show. */
const SWEDEN_CENTER: [number, number] = [15.5, 62.0];

export function MapPanel(props: { hidden: boolean }) {
  const container = useRef<HTMLDivElement>(null);
  const failed = useRef(false);

  useEffect(() => {
    if (!container.current) return;
    let disposed = false;
    const disposers: Array<() => void> = [];
    void import("../map/map-view").then(({ MapView, webglAvailable }) => {
      if (disposed || !container.current) return;
      if (!webglAvailable()) {
        failed.current = true;
        container.current.dataset.failed = "true";
        return;
      }
      const walk = currentWalk.value;
      const initial = observationFeatures();
      const area = walk?.fields.areaPolygon ?? null;
      const fitTo = bounds(
        area
          ? {
              type: "FeatureCollection",
              features: [...initial.features, { type: "Feature", geometry: area, properties: {} }],
            }
          : initial,
      );
      const fix = gps.value.fix;
      const last = settings.value.lastView;
      const view = new MapView({
        container: container.current,
        basemap: settings.value.basemap,
        night: isNight.value,
        center: fix ? [fix.lon, fix.lat] : (last?.center ?? SWEDEN_CENTER),
        zoom: fix ? 17 : (last?.zoom ?? 4.5),
        label: t("mapLabel"),
        locale: {
          "Map.Title": t("mapLabel"),
          "NavigationControl.ZoomIn": t("mapZoomIn"),
          "NavigationControl.ZoomOut": t("mapZoomOut"),
          "NavigationControl.ResetBearing": t("mapResetBearing"),
          "AttributionControl.ToggleAttribution": t("mapAttribution"),
        },
        onSelectObservation: (id) => openObservation(id),
        onBasemapError: () => {
          basemapFailing.value = true;
        },
        onMove: (center, zoom) => {
          mapCenter.value = center;
          storeSettings({ ...settings.value, lastView: { center, zoom } });
        },
      });
      mapRef.current = view;
      mapCenter.value = view.getCenter();
      if (fitTo) {
        const pad = 0.0015;
        view.fitBounds([fitTo[0] - pad, fitTo[1] - pad, fitTo[2] + pad, fitTo[3] + pad]);
      }
      let centredOnFix = Boolean(fix || fitTo);
      void view
        .whenReady()
        .then(() => new Promise((resolve) => requestAnimationFrame(resolve)))
        .then(() => view.whenIdle())
        .then(() => {
          if (disposed) return;
          // Style loaded, observations drawn, drawing tools ready: the team can work.
          container.current?.setAttribute("data-ready", "true");
          performance.mark("lykta:map-interactive");
        });
      disposers.push(
        effect(() => view.setObservations(observationFeatures())),
        effect(() => view.setSelected(selectedId.value)),
        effect(() => view.setNight(isNight.value)),
        effect(() => view.setArea(currentWalk.value?.fields.areaPolygon ?? null)),
        effect(() => {
          const current = gps.value.fix;
          view.setPosition(current);
          if (current && !centredOnFix) {
            centredOnFix = true;
            view.flyTo(current.lon, current.lat, 17);
          }
        }),
        effect(() => {
          const chunks = trackChunks.value;
          const lines: Feature<LineString>[] = [];
          for (const track of tracks.value) {
            const points = trackPoints(chunks, track.id);
            if (points.length >= 2) {
              lines.push({
                type: "Feature",
                geometry: {
                  type: "LineString",
                  coordinates: points.map((point) => [point[0], point[1]]),
                },
                properties: { kind: "route" },
              });
            }
          }
          const walking = walkedLine.value;
          if (walking && walking.points.length >= 2) {
            lines.push({
              type: "Feature",
              geometry: {
                type: "LineString",
                coordinates: walking.points.map((point) => [point[0], point[1]]),
              },
              properties: { kind: "walking" },
            });
          }
          view.setTracks(lines);
        }),
      );
    });
    return () => {
      disposed = true;
      for (const dispose of disposers) dispose();
      mapRef.current?.destroy();
      mapRef.current = null;
    };
    // The basemap is part of the map's identity: a new basemap makes a new map.
  }, [JSON.stringify(settings.value.basemap), settings.value.language]);

  useEffect(() => {
    if (!props.hidden) mapRef.current?.resize();
  }, [props.hidden]);

  return (
    <div class="map-wrap" hidden={props.hidden}>
      <div ref={container} class="map" data-testid="map" />
      {failed.current && <p class="map-message">{t("mapNoWebgl")}</p>}
      {settings.value.basemap.kind === "none" && mapMode.value.kind === "idle" && (
        <p class="map-hint">{t("basemapHintNone")}</p>
      )}
      {settings.value.basemap.kind !== "none" && basemapFailing.value && (
        <p class="map-hint">{t("basemapOffline")}</p>
      )}
    </div>
  );
}
