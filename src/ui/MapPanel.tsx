import { computed, effect } from "@preact/signals";
import type { Feature, FeatureCollection, LineString } from "geojson";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ObservationRecord } from "../domain/observation";
import { trackPoints } from "../domain/track";
import type { MapView } from "../map/map-view";
import { t } from "../state/i18n";
import { layerDataUrl } from "../state/layers";
import { isNight } from "../state/night";
import { refreshSavedAreas, savedAreas } from "../state/saved-areas";
import { storeSettings } from "../state/settings";
import {
  basemapFailing,
  basemapView,
  CHECKLIST,
  currentWalk,
  draftObservation,
  gps,
  mapCenter,
  mapMode,
  observations,
  projectLayers,
  selectedId,
  settings,
  trackChunks,
  tracks,
  walkedLine,
} from "../state/store";
import { BasemapSwitch } from "./BasemapSwitch";
import { openObservation } from "./walk-actions";

/** The live MapView, for actions that draw or edit (see walk-actions.ts). */
export const mapRef: { current: MapView | null } = { current: null };

/** Category id to checklist group id, for map colours (positive places are green). */
const GROUP_OF_CATEGORY = new Map(
  CHECKLIST.groups.flatMap((group) => group.categories.map((category) => [category.id, group.id])),
);

/**
 * Map features per stored record. A record that did not change keeps its feature object, so
 * the map can send MapLibre only the observations that changed.
 */
const featureOfRecord = new WeakMap<ObservationRecord, Feature>();

/** The walk's observations as map features, computed once per change of the walk. */
const savedFeatures = computed(() => {
  const features: Feature[] = [];
  for (const observation of observations.value) {
    const geometry = observation.fields.geometry;
    if (!geometry) continue;
    let feature = featureOfRecord.get(observation);
    if (!feature) {
      feature = {
        type: "Feature",
        geometry,
        properties: {
          id: observation.id,
          severity: observation.fields.severity,
          group: GROUP_OF_CATEGORY.get(observation.fields.categoryId) ?? "other",
        },
      };
      featureOfRecord.set(observation, feature);
    }
    features.push(feature);
  }
  return features;
});

/** Saved observations plus the one being recorded. */
function observationFeatures(): FeatureCollection {
  const draft = draftObservation.value;
  if (!draft) return { type: "FeatureCollection", features: savedFeatures.value };
  return {
    type: "FeatureCollection",
    features: [
      ...savedFeatures.value,
      {
        type: "Feature",
        geometry: draft.geometry,
        properties: { id: "draft", severity: draft.severity, group: "draft" },
      },
    ],
  };
}

function bounds(features: readonly Feature[]): [number, number, number, number] | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const add = (position: number[]) => {
    const x = position[0]!;
    const y = position[1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  };
  for (const { geometry } of features) {
    if (geometry.type === "Point") add(geometry.coordinates);
    else if (geometry.type === "LineString") geometry.coordinates.forEach(add);
    else if (geometry.type === "Polygon") geometry.coordinates[0]?.forEach(add);
  }
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
}

/** Whether the basemap is an own source with saved areas (drawn there with no network). */
function savedAreaShown(): boolean {
  const view = basemapView.value;
  if (view.kind !== "raster" || !view.sourceId) return false;
  return (savedAreas.value ?? []).some((area) => area.source.id === view.sourceId);
}

/** Sweden, for a first start with nothing to show. */
const SWEDEN_CENTER: [number, number] = [15.5, 62.0];

export function MapPanel(props: { hidden: boolean }) {
  const container = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!container.current) return;
    let disposed = false;
    const disposers: Array<() => void> = [];
    void import("../map/map-view").then(({ MapView }) => {
      if (disposed || !container.current) return;
      const fix = gps.value.fix;
      const last = settings.value.lastView;
      basemapFailing.value = false;
      let view: MapView;
      try {
        // Creating the map is the WebGL check: a separate test context would cost a
        // second context creation on every start.
        view = new MapView({
          container: container.current,
          basemap: basemapView.value,
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
      } catch (error) {
        console.warn("Lykta: the map cannot start", error);
        container.current.dataset.failed = "true";
        setFailed(true);
        return;
      }
      mapRef.current = view;
      mapCenter.value = view.getCenter();
      let centredOnFix = Boolean(fix);
      // The walk's records may still be loading: frame them once they are here.
      let walkLoaded: () => void = () => undefined;
      const loaded = new Promise<void>((resolve) => {
        walkLoaded = resolve;
      });
      let framed = false;
      disposers.push(
        effect(() => {
          const walk = currentWalk.value;
          if (!walk || framed) return;
          framed = true;
          const features = [...savedFeatures.value];
          const area = walk.fields.areaPolygon;
          if (area) features.push({ type: "Feature", geometry: area, properties: {} });
          const fitTo = bounds(features);
          if (fitTo) {
            const pad = 0.0015;
            view.fitBounds([fitTo[0] - pad, fitTo[1] - pad, fitTo[2] + pad, fitTo[3] + pad]);
            centredOnFix = true;
          }
          walkLoaded();
        }),
      );
      disposers.push(
        effect(() => {
          const layers = projectLayers.value;
          void Promise.all(
            layers.map(async (layer) => {
              const url = await layerDataUrl(layer.fields.dataId);
              return url && layer.fields.role
                ? {
                    id: layer.id,
                    role: layer.fields.role,
                    url,
                    attribution: layer.fields.attribution,
                    visible: layer.fields.visible,
                  }
                : null;
            }),
          ).then((shown) => {
            if (disposed) return;
            void view.setContextLayers(shown.filter((layer) => layer !== null));
          });
          // A walk with nothing of its own yet opens on the project's layers.
          if (framed && !centredOnFix) {
            const boxes = layers
              .filter((layer) => layer.fields.visible && layer.fields.bbox)
              .map((layer) => layer.fields.bbox!);
            if (boxes.length > 0) {
              centredOnFix = true;
              view.fitBounds([
                Math.min(...boxes.map((box) => box[0])),
                Math.min(...boxes.map((box) => box[1])),
                Math.max(...boxes.map((box) => box[2])),
                Math.max(...boxes.map((box) => box[3])),
              ]);
            }
          }
        }),
      );
      void view.whenReady().then(() => performance.mark("lykta:map-loaded"));
      void loaded
        .then(() => view.whenObservationsDrawn())
        .then(() => {
          if (disposed) return;
          // Style loaded, the walk's observations drawn: the team can work.
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
          // Only once the walk is framed: a walk with observations opens on them, an empty
          // one on the team's position.
          if (current && !centredOnFix && framed) {
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
  }, [JSON.stringify(basemapView.value), settings.value.language]);

  useEffect(() => {
    if (savedAreas.value === null) void refreshSavedAreas();
  }, []);

  useEffect(() => {
    if (!props.hidden) mapRef.current?.resize();
  }, [props.hidden]);

  return (
    <div class="map-wrap" hidden={props.hidden}>
      <div ref={container} class="map" data-testid="map" />
      {failed && <p class="map-message">{t("mapNoWebgl")}</p>}
      {!failed && <BasemapSwitch />}
      {basemapView.value.kind === "none" && mapMode.value.kind === "idle" && (
        <p class="map-hint">{t("basemapHintNone")}</p>
      )}
      {basemapView.value.kind !== "none" && basemapFailing.value && (
        <p class="map-hint">{t(savedAreaShown() ? "basemapOfflineSavedOnly" : "basemapOffline")}</p>
      )}
    </div>
  );
}
