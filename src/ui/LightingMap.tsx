/**
 * The lighting analysis on a map: path pieces coloured by state (lit by a lamp, tagged lit,
 * dark, unknown; in illuminance mode also "below its class"), the project's lamps, and the
 * chosen dark gap outlined. A legend says what each colour means.
 */
import type { LineString } from "geojson";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../state/i18n";
import { layerDataUrl } from "../state/layers";
import { projectLayers } from "../state/store";
import { usePanelMap } from "./use-panel-map";

/** The same colours as the map layer (src/map/map-view.ts ANALYSIS_COLOURS). */
const LEGEND = [
  ["lit_by_lamp", "#f2b705", "lightingState_lit_by_lamp"],
  ["tagged_lit", "#8fb8de", "lightingState_tagged_lit"],
  ["dark", "#7a1fa2", "lightingState_dark"],
  ["unknown", "#8a8a8a", "lightingState_unknown"],
  ["non_compliant", "#e8590c", "lightingState_non_compliant"],
] as const;

export function LightingMap(props: {
  /** Object URL of the pieces' GeoJSON, and their bounds. */
  piecesUrl: string | null;
  bbox: [number, number, number, number] | null;
  highlight: LineString | null;
  illuminance: boolean;
}) {
  const container = useRef<HTMLDivElement>(null);
  const { view, loaded, failed } = usePanelMap(container, "lightingMapLabel");
  const framed = useRef(false);

  // The project's lamps (and the attribution its layers need) under the analysis.
  useEffect(() => {
    const map = view.current;
    if (!map) return;
    let cancelled = false;
    void Promise.all(
      projectLayers.value
        .filter((layer) => layer.fields.role === "lamps")
        .map(async (layer) => {
          const url = await layerDataUrl(layer.fields.dataId);
          return url
            ? {
                id: layer.id,
                role: "lamps" as const,
                url,
                attribution: layer.fields.attribution,
                visible: true,
              }
            : null;
        }),
    ).then((layers) => {
      if (!cancelled) void map.setContextLayers(layers.filter((layer) => layer !== null));
    });
    return () => {
      cancelled = true;
    };
  }, [loaded, projectLayers.value]);

  useEffect(() => {
    const map = view.current;
    if (!map) return;
    map.setAnalysis(props.piecesUrl);
    if (props.bbox && !framed.current) {
      framed.current = true;
      map.fitBounds(props.bbox);
    }
    void map.whenIdle().then(() => container.current?.setAttribute("data-ready", "true"));
  }, [props.piecesUrl, loaded]);

  useEffect(() => {
    const map = view.current;
    if (!map) return;
    map.setHighlight(props.highlight);
    if (props.highlight) {
      const xs = props.highlight.coordinates.map((position) => position[0]!);
      const ys = props.highlight.coordinates.map((position) => position[1]!);
      const pad = 0.0008;
      map.fitBounds([
        Math.min(...xs) - pad,
        Math.min(...ys) - pad,
        Math.max(...xs) + pad,
        Math.max(...ys) + pad,
      ]);
    }
  }, [props.highlight, loaded]);

  return (
    <div class="lighting-map-wrap">
      <div class="map-wrap sites-map">
        <div ref={container} class="map" data-testid="lighting-map" />
        {failed && <p class="map-message">{t("mapNoWebgl")}</p>}
      </div>
      <ul class="legend" aria-label={t("lightingLegend")}>
        {LEGEND.filter(([state]) => props.illuminance || state !== "non_compliant").map(
          ([state, colour, key]) => (
            <li key={state}>
              <span
                class={`legend-swatch${state === "dark" || state === "unknown" ? " legend-dashed" : ""}`}
                style={{ background: colour }}
                aria-hidden="true"
              />
              {t(key)}
            </li>
          ),
        )}
      </ul>
    </div>
  );
}
