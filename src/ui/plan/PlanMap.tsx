/**
 * The plan on a map: chosen investments, investments left out and tasks, told apart by shape
 * and line style (src/map/plan-layer.ts), over the project's paths and lamps. Tapping an
 * action opens its row in the table. Everything here is also in the tables below.
 */
import type { Feature, FeatureCollection } from "geojson";
import { useEffect, useRef } from "preact/hooks";
import type { PlanCandidates, PlanSelection } from "../../domain/plan/plan";
import { type PlanFeatureState, PlanLayer } from "../../map/plan-layer";
import { t } from "../../state/i18n";
import { layerDataUrl } from "../../state/layers";
import { isNight } from "../../state/night";
import { projectLayers } from "../../state/store";
import { usePanelMap } from "../use-panel-map";

function planCollection(candidates: PlanCandidates, selection: PlanSelection): FeatureCollection {
  const features: Feature[] = [];
  candidates.actions.forEach((action, i) => {
    const state: PlanFeatureState =
      action.cost === null ? "task" : selection.selected[i] ? "selected" : "not_selected";
    const properties = { key: action.key, state };
    if (action.geometry.type !== "Point") {
      features.push({ type: "Feature", geometry: action.geometry, properties });
    }
    features.push({
      type: "Feature",
      geometry: { type: "Point", coordinates: action.position },
      properties,
    });
  });
  return { type: "FeatureCollection", features };
}

/** What the plan chose and the tasks (everything when nothing is chosen yet). */
function bounds(
  candidates: PlanCandidates,
  selection: PlanSelection,
): [number, number, number, number] | null {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const focus = candidates.actions.filter(
    (action, i) => selection.selected[i] || action.cost === null,
  );
  for (const { position } of focus.length > 0 ? focus : candidates.actions) {
    box[0] = Math.min(box[0]!, position[0]!);
    box[1] = Math.min(box[1]!, position[1]!);
    box[2] = Math.max(box[2]!, position[0]!);
    box[3] = Math.max(box[3]!, position[1]!);
  }
  if (!Number.isFinite(box[0]!)) return null;
  const pad = 0.0008;
  return [box[0]! - pad, box[1]! - pad, box[2]! + pad, box[3]! + pad];
}

export function PlanMap(props: {
  candidates: PlanCandidates;
  selection: PlanSelection;
  selectedKey: string | null;
  onSelect(key: string): void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const { view, loaded, failed } = usePanelMap(container, "plan.mapLabel");
  const layer = useRef<PlanLayer | null>(null);
  const installed = useRef<Promise<void> | null>(null);
  const select = useRef(props.onSelect);
  select.current = props.onSelect;
  const framed = useRef(false);

  // The project's paths and lamps under the plan, with the credit their data needs.
  useEffect(() => {
    const map = view.current;
    if (!map) return;
    let cancelled = false;
    void Promise.all(
      projectLayers.value
        .filter((record) => record.fields.role === "paths" || record.fields.role === "lamps")
        .map(async (record) => {
          const url = await layerDataUrl(record.fields.dataId);
          return url
            ? {
                id: record.id,
                role: record.fields.role as "paths" | "lamps",
                url,
                attribution: record.fields.attribution,
                visible: true,
              }
            : null;
        }),
    ).then((layers) => {
      if (!cancelled) void map.setContextLayers(layers.filter((entry) => entry !== null));
    });
    return () => {
      cancelled = true;
    };
  }, [loaded, projectLayers.value]);

  useEffect(() => {
    const map = view.current;
    if (!map || layer.current) return;
    layer.current = new PlanLayer(map, (key) => select.current(key), isNight.peek());
    const attribution = [
      ...new Set(projectLayers.value.map((record) => record.fields.attribution).filter(Boolean)),
    ].join("; ");
    installed.current = layer.current.install(attribution);
  }, [loaded]);

  useEffect(() => {
    const map = view.current;
    const plan = layer.current;
    if (!map || !plan || !installed.current) return;
    void installed.current.then(() => {
      plan.setData(planCollection(props.candidates, props.selection));
      if (!framed.current) {
        framed.current = true;
        const box = bounds(props.candidates, props.selection);
        if (box) map.fitBounds(box);
      }
      return map.whenIdle().then(() => container.current?.setAttribute("data-ready", "true"));
    });
  }, [props.candidates, props.selection, loaded]);

  // The row opened in the table: ringed, and the map goes to it.
  useEffect(() => {
    const map = view.current;
    void installed.current?.then(() => {
      layer.current?.setChosen(props.selectedKey);
      const action = props.candidates.actions.find((entry) => entry.key === props.selectedKey);
      if (!map || !action) return;
      const positions =
        action.geometry.type === "Point"
          ? [action.geometry.coordinates]
          : action.geometry.type === "LineString"
            ? action.geometry.coordinates
            : (action.geometry.coordinates[0] ?? []);
      const xs = [action.position[0]!, ...positions.map((position) => position[0]!)];
      const ys = [action.position[1]!, ...positions.map((position) => position[1]!)];
      const pad = 0.0015;
      map.fitBounds([
        Math.min(...xs) - pad,
        Math.min(...ys) - pad / 2,
        Math.max(...xs) + pad,
        Math.max(...ys) + pad / 2,
      ]);
    });
  }, [props.selectedKey, loaded]);

  useEffect(() => layer.current?.setNight(isNight.value), [isNight.value, loaded]);

  return (
    <div class="lighting-map-wrap">
      <div class="map-wrap sites-map">
        <div ref={container} class="map" data-testid="plan-map" />
        {failed && <p class="map-message">{t("mapNoWebgl")}</p>}
      </div>
      <ul class="legend plan-legend" aria-label={t("lightingLegend")}>
        <li>
          <span class="plan-swatch plan-swatch-selected" aria-hidden="true" />
          {t("plan.legend.selected")}
        </li>
        <li>
          <span class="plan-swatch plan-swatch-not-selected" aria-hidden="true" />
          {t("plan.legend.notSelected")}
        </li>
        <li>
          <span class="plan-swatch plan-swatch-task" aria-hidden="true" />
          {t("plan.legend.task")}
        </li>
      </ul>
    </div>
  );
}
