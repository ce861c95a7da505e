/**
 * The budget plan as a map layer (src/ui/plan/PlanMap.tsx): chosen investments, investments
 * left out and tasks outside the budget, told apart by shape and line style, not by colour
 * alone: a chosen action is a filled circle (a solid line for a dark stretch), one left out a
 * ring (a dashed line), a task a square. Tapping a feature reports its action key.
 *
 * Kept beside map-view.ts (the only other place that touches MapLibre) and built on its public
 * `map`, so the plan adds no code to the walk's map.
 */
import type { FeatureCollection } from "geojson";
import type { ExpressionSpecification, GeoJSONSource, MapLayerMouseEvent } from "maplibre-gl";
import type { MapView } from "./map-view";

/** Properties of a plan feature: `key` (the action key), `state`, `attribution` on the source. */
export type PlanFeatureState = "selected" | "not_selected" | "task";

const SOURCE = "lykta-plan";
const LAYER_FILL = "lykta-plan-fill";
const LAYER_LINE = "lykta-plan-line";
const LAYER_LINE_DASHED = "lykta-plan-line-dashed";
const LAYER_POINT = "lykta-plan-point";
const LAYER_CHOSEN = "lykta-plan-chosen";
const TAPPABLE = [LAYER_POINT, LAYER_LINE, LAYER_LINE_DASHED, LAYER_FILL];

/** Day and night colours: dark blue / amber for actions, a dark outline that reads on both. */
function colours(night: boolean) {
  return night
    ? // Not amber: the paths under the plan are amber where lit.
      { selected: "#f4f4f4", other: "#a9b4c0", task: "#7fd1ff", outline: "#0b0e13" }
    : { selected: "#0b5cad", other: "#4a5560", task: "#8e1b5a", outline: "#ffffff" };
}

function colourExpression(night: boolean): ExpressionSpecification {
  const c = colours(night);
  return ["match", ["get", "state"], "selected", c.selected, "task", c.task, c.other];
}

/** A symbol image drawn in code: no sprite or glyph files, so it works offline. */
function shapeImage(
  shape: "disc" | "ring" | "square",
  fill: string,
  outline: string,
): { width: number; height: number; data: Uint8Array } {
  const size = 36;
  const data = new Uint8Array(size * size * 4);
  const parse = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  const [fr, fg, fb] = parse(fill);
  const [or, og, ob] = parse(outline);
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      let paint: "fill" | "outline" | null = null;
      if (shape === "square") {
        const d = Math.max(Math.abs(x - centre), Math.abs(y - centre));
        paint = d <= 11 ? "fill" : d <= 14 ? "outline" : null;
      } else {
        const d = Math.hypot(x - centre, y - centre);
        if (shape === "disc") paint = d <= 12 ? "fill" : d <= 15 ? "outline" : null;
        else
          paint =
            d <= 7 ? null : d <= 9.5 ? "outline" : d <= 13 ? "fill" : d <= 15.5 ? "outline" : null;
      }
      if (paint === null) continue;
      const [r, g, b] = paint === "fill" ? [fr, fg, fb] : [or, og, ob];
      data[i] = r!;
      data[i + 1] = g!;
      data[i + 2] = b!;
      data[i + 3] = 255;
    }
  }
  return { width: size, height: size, data };
}

function addImages(view: MapView, night: boolean) {
  const map = view.map;
  const c = colours(night);
  const images = {
    "lykta-plan-selected": shapeImage("disc", c.selected, c.outline),
    "lykta-plan-not-selected": shapeImage("ring", c.other, c.outline),
    "lykta-plan-task": shapeImage("square", c.task, c.outline),
  };
  for (const [id, image] of Object.entries(images)) {
    if (map.hasImage(id)) map.updateImage(id, image);
    else map.addImage(id, image, { pixelRatio: 2 });
  }
}

/** The plan's layer on a panel map; `setData` replaces the features. */
export class PlanLayer {
  private readonly onTap: (event: MapLayerMouseEvent) => void;

  constructor(
    private readonly view: MapView,
    onSelect: (key: string) => void,
    private night: boolean,
  ) {
    this.onTap = (event) => {
      const key = event.features?.[0]?.properties?.key;
      if (typeof key === "string") onSelect(key);
    };
  }

  /** Adds the source and layers once the style has loaded. */
  async install(attribution: string): Promise<void> {
    await this.view.whenReady();
    const map = this.view.map;
    if (map.getSource(SOURCE)) return;
    addImages(this.view, this.night);
    map.addSource(SOURCE, {
      type: "geojson",
      data: { type: "FeatureCollection", features: [] },
      ...(attribution ? { attribution } : {}),
    });
    const colour = colourExpression(this.night);
    map.addLayer({
      id: LAYER_FILL,
      type: "fill",
      source: SOURCE,
      filter: ["==", ["geometry-type"], "Polygon"],
      paint: { "fill-color": colour, "fill-opacity": 0.25, "fill-outline-color": colour },
    });
    map.addLayer({
      id: LAYER_LINE,
      type: "line",
      source: SOURCE,
      filter: ["all", ["!=", ["geometry-type"], "Point"], ["==", ["get", "state"], "selected"]],
      paint: { "line-color": colour, "line-width": 6 },
      layout: { "line-cap": "round", "line-join": "round" },
    });
    map.addLayer({
      id: LAYER_LINE_DASHED,
      type: "line",
      source: SOURCE,
      filter: ["all", ["!=", ["geometry-type"], "Point"], ["!=", ["get", "state"], "selected"]],
      paint: { "line-color": colour, "line-width": 4, "line-dasharray": [2, 1.5] },
    });
    map.addLayer({
      // Every action also has a symbol at its position: lines and areas read at any zoom.
      id: LAYER_POINT,
      type: "symbol",
      source: SOURCE,
      filter: ["==", ["geometry-type"], "Point"],
      layout: {
        "icon-image": [
          "match",
          ["get", "state"],
          "selected",
          "lykta-plan-selected",
          "task",
          "lykta-plan-task",
          "lykta-plan-not-selected",
        ],
        // Small when zoomed out over a city's hundreds of actions, full size up close.
        "icon-size": ["interpolate", ["linear"], ["zoom"], 12, 0.5, 15, 0.9, 17, 1.2],
        // A task at the same place as an investment (graffiti on a thicket) stays visible.
        "icon-offset": [
          "match",
          ["get", "state"],
          "task",
          ["literal", [14, -14]],
          ["literal", [0, 0]],
        ],
        "icon-allow-overlap": true,
        "icon-ignore-placement": true,
        "symbol-sort-key": ["match", ["get", "state"], "selected", 2, "task", 1, 0],
      },
    });
    map.addLayer({
      // The row chosen in the table: a wide ring around it.
      id: LAYER_CHOSEN,
      type: "circle",
      source: SOURCE,
      filter: ["all", ["==", ["geometry-type"], "Point"], ["==", ["get", "key"], ""]],
      paint: {
        "circle-color": "rgba(0,0,0,0)",
        "circle-radius": 16,
        "circle-stroke-color": this.night ? "#7fd1ff" : "#0057b8",
        "circle-stroke-width": 4,
      },
    });
    for (const layer of TAPPABLE) {
      map.on("click", layer, this.onTap);
      map.on("mouseenter", layer, () => {
        map.getCanvas().style.cursor = "pointer";
      });
      map.on("mouseleave", layer, () => {
        map.getCanvas().style.cursor = "";
      });
    }
  }

  setData(collection: FeatureCollection): void {
    const source = this.view.map.getSource(SOURCE) as GeoJSONSource | undefined;
    void source?.setData(collection);
  }

  /** Ring the action of this key (its point feature), or none. */
  setChosen(key: string | null): void {
    const map = this.view.map;
    if (!map.getLayer(LAYER_CHOSEN)) return;
    map.setFilter(LAYER_CHOSEN, [
      "all",
      ["==", ["geometry-type"], "Point"],
      ["==", ["get", "key"], key ?? ""],
    ]);
  }

  setNight(night: boolean): void {
    if (night === this.night) return;
    this.night = night;
    const map = this.view.map;
    if (!map.getSource(SOURCE)) return;
    addImages(this.view, night);
    const colour = colourExpression(night);
    for (const layer of [LAYER_FILL, LAYER_LINE, LAYER_LINE_DASHED]) {
      const property = layer === LAYER_FILL ? "fill-color" : "line-color";
      map.setPaintProperty(layer, property, colour);
    }
    map.setPaintProperty(LAYER_FILL, "fill-outline-color", colour);
    map.setPaintProperty(LAYER_CHOSEN, "circle-stroke-color", night ? "#7fd1ff" : "#0057b8");
  }
}
