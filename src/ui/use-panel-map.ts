/**
 * A map inside a project screen (sites, lighting): created once the map code has loaded,
 * destroyed with the screen, following night mode. The walk's own map (MapPanel) does more.
 */
import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { BasemapView } from "../domain/basemap";
import type { StringKey } from "../i18n/strings";
import type { MapView } from "../map/map-view";
import { t } from "../state/i18n";
import { isNight } from "../state/night";
import { basemapView, settings } from "../state/store";

/** Sweden, when the person has not looked at a map yet. */
const SWEDEN_CENTER: [number, number] = [15.5, 62.0];

export interface PanelMap {
  view: RefObject<MapView | null>;
  /** True once the map exists (effects that use it depend on this). */
  loaded: boolean;
  /** The device cannot draw maps (no WebGL). */
  failed: boolean;
}

export function usePanelMap(
  container: RefObject<HTMLDivElement | null>,
  labelKey: StringKey,
  onSelect: (id: string) => void = () => undefined,
  /** The basemap to draw, if not the chosen one; a new one makes a new map. */
  basemap?: BasemapView,
): PanelMap {
  const view = useRef<MapView | null>(null);
  const [failed, setFailed] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const select = useRef(onSelect);
  select.current = onSelect;

  useEffect(() => {
    let disposed = false;
    void import("../map/map-view").then(({ MapView }) => {
      if (disposed || !container.current) return;
      try {
        view.current = new MapView({
          container: container.current,
          basemap: basemap ?? basemapView.value,
          night: isNight.value,
          center: settings.value.lastView?.center ?? SWEDEN_CENTER,
          zoom: settings.value.lastView?.zoom ?? 4.5,
          label: t(labelKey),
          locale: {
            "NavigationControl.ZoomIn": t("mapZoomIn"),
            "NavigationControl.ZoomOut": t("mapZoomOut"),
            "AttributionControl.ToggleAttribution": t("mapAttribution"),
          },
          onSelectObservation: (id) => select.current(id),
          onBasemapError: () => undefined,
        });
        setLoaded(true);
      } catch {
        setFailed(true);
      }
    });
    return () => {
      disposed = true;
      view.current?.destroy();
      view.current = null;
      setLoaded(false);
    };
  }, [JSON.stringify(basemap ?? null)]);

  useEffect(() => view.current?.setNight(isNight.value), [isNight.value, loaded]);
  return { view, loaded, failed };
}
