/**
 * The only place (with draw-tools.ts) that imports maplibre-gl and terra-draw. The rest of the app talks to the
 * map through this small adapter: set data, draw a geometry, edit a geometry. Updates are
 * batched per animation frame.
 */
import circle from "@turf/circle";
import type { Feature, FeatureCollection, Geometry, LineString, Point, Polygon } from "geojson";
import {
  AttributionControl,
  type GeoJSONSource,
  type LayerSpecification,
  Map as MapLibreMap,
  type MapMouseEvent,
  NavigationControl,
  type SourceSpecification,
  type StyleSpecification,
  setWorkerUrl,
} from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import "maplibre-gl/dist/maplibre-gl.css";
import type { TerraDraw, TerraDrawLineStringMode, TerraDrawPolygonMode } from "terra-draw";
import type { BasemapView } from "../domain/basemap";
import { type ObservationGeometry, representativePosition } from "../domain/geometry";
import { groupOnGrid, type OverviewPoint } from "../domain/overview";
import type { Fix } from "../domain/track";
import { openStoredBasemapFile } from "../state/basemap-files";
import { readSavedTile } from "../state/saved-areas";
import { basemapFileUrl, registerPmtilesProtocol } from "./pmtiles-protocol";
import { basemapFontFaces, protomapsLayers, protomapsPaint } from "./protomaps-style";
import { registerTilesProtocol, savedTilesUrl } from "./tiles-protocol";

setWorkerUrl(workerUrl);
registerPmtilesProtocol(openStoredBasemapFile);
registerTilesProtocol(readSavedTile);

export type DrawKind = "point" | "line" | "polygon";

/** An imported context layer to show under the observations. */
export interface ContextLayer {
  id: string;
  role: "paths" | "lamps" | "poi" | "priority_areas";
  /** Where MapLibre's worker reads the GeoJSON (an object URL of the stored data). */
  url: string;
  attribution: string;
  visible: boolean;
}

/** Context layers go under everything of the walk. */
const CONTEXT_BEFORE_LAYER = "lykta-area-line";

function contextStyleLayers(layer: ContextLayer, source: string): LayerSpecification[] {
  const id = (part: string) => `${source}-${part}`;
  switch (layer.role) {
    case "paths":
      return [
        {
          id: id("line"),
          type: "line",
          source,
          paint: {
            // Lit (OSM lit=yes and the like): amber; unlit: violet, dashed; unknown: grey.
            "line-color": ["match", ["get", "lit"], "yes", "#d9a400", "no", "#7b52c7", "#8a96a3"],
            "line-width": ["interpolate", ["linear"], ["zoom"], 12, 1, 16, 3, 19, 6],
            "line-dasharray": [
              "case",
              ["==", ["get", "lit"], "no"],
              ["literal", [2, 1.5]],
              ["literal", [1, 0]],
            ],
          },
          layout: { "line-cap": "round", "line-join": "round" },
        },
      ];
    case "lamps":
      return [
        {
          id: id("circle"),
          type: "circle",
          source,
          paint: {
            "circle-color": "#ffd54a",
            "circle-radius": ["interpolate", ["linear"], ["zoom"], 12, 1.5, 16, 3.5, 19, 6],
            "circle-stroke-color": "#5a4500",
            "circle-stroke-width": ["interpolate", ["linear"], ["zoom"], 12, 0, 15, 1],
          },
        },
      ];
    case "poi":
      return [
        {
          id: id("circle"),
          type: "circle",
          source,
          paint: {
            "circle-color": "#1f6fd1",
            "circle-radius": 6,
            "circle-stroke-color": "#ffffff",
            "circle-stroke-width": 2,
          },
        },
      ];
    case "priority_areas":
      return [
        {
          id: id("fill"),
          type: "fill",
          source,
          paint: { "fill-color": "#b05cff", "fill-opacity": 0.12 },
        },
        {
          id: id("line"),
          type: "line",
          source,
          paint: { "line-color": "#b05cff", "line-width": 2, "line-dasharray": [3, 2] },
        },
      ];
  }
}

export interface MapViewOptions {
  container: HTMLElement;
  basemap: BasemapView;
  night: boolean;
  center: [number, number];
  zoom: number;
  /** Label of the map canvas for screen readers. */
  label: string;
  /** MapLibre's own control texts, translated (MapLibre's default locale ids). */
  locale: Record<string, string>;
  onSelectObservation(id: string): void;
  onBasemapError(): void;
  onMove?(center: [number, number], zoom: number): void;
}

const SOURCE_OBSERVATIONS = "lykta-observations";
const SOURCE_POSITION = "lykta-position";
const SOURCE_TRACKS = "lykta-tracks";
const SOURCE_AREA = "lykta-area";
const SOURCE_BASEMAP = "lykta-basemap";
const SOURCE_OVERVIEW = "lykta-overview";
const SOURCE_SELECTED = "lykta-selected";
/** The lighting analysis: path pieces with their state (src/domain/lighting). */
const SOURCE_ANALYSIS = "lykta-analysis";

/**
 * Colours of the lighting analysis, also used by the legend (src/ui/LightingMap.tsx). Chosen
 * to be told apart by people with red-green colour blindness, and from the basemap; the
 * dark and unknown states are also drawn dashed, so colour is not the only cue.
 */
export const ANALYSIS_COLOURS = {
  lit_by_lamp: "#f2b705",
  tagged_lit: "#8fb8de",
  dark: "#7a1fa2",
  unknown: "#8a8a8a",
  non_compliant: "#e8590c",
} as const;
const OBSERVATION_LAYERS = [
  "lykta-obs-fill",
  "lykta-obs-line",
  "lykta-obs-point",
  "lykta-overview-cluster",
  "lykta-overview-point",
];
/**
 * Below this zoom, observations show as one point each (lines and areas at their middle),
 * grouped into clusters where they crowd. A 5 m bush outline is invisible at a
 * neighbourhood's scale anyway, and a cheap tablet draws a walk of thousands of
 * observations fast.
 */
export const OVERVIEW_MAX_ZOOM = 15;
/** Observations within one cell of this size (screen px) are drawn as one group. */
const OVERVIEW_CELL_PX = 30;

/**
 * Severity colours from yellow (1) to deep red (5), chosen to stay distinct on a light
 * background, a dark one and a dimmed basemap; every symbol also has an outline.
 */
const SEVERITY_COLOURS = ["#f6c744", "#f39c34", "#e8682a", "#d13a2f", "#8e1b2a"];

function severityColour(): unknown {
  return [
    "match",
    ["get", "severity"],
    1,
    SEVERITY_COLOURS[0],
    2,
    SEVERITY_COLOURS[1],
    3,
    SEVERITY_COLOURS[2],
    4,
    SEVERITY_COLOURS[3],
    5,
    SEVERITY_COLOURS[4],
    "#888888",
  ];
}

/** Positive observations ("feels safe") show in green. */
function observationColour(): unknown {
  return ["case", ["==", ["get", "group"], "positive"], "#2e9d5b", severityColour()];
}

const EMPTY_COLLECTION: FeatureCollection = { type: "FeatureCollection", features: [] };

function basemapSource(setting: BasemapView): SourceSpecification | null {
  if (setting.kind === "raster") {
    return {
      type: "raster",
      // An own source goes through Lykta's protocol, which reads its saved areas first.
      tiles: [setting.sourceId ? savedTilesUrl(setting.sourceId, setting.url) : setting.url],
      tileSize: setting.tileSizePx,
      minzoom: setting.minZoom,
      maxzoom: setting.maxZoom,
      attribution: setting.attribution,
    };
  }
  if (setting.kind === "pmtiles") {
    return {
      type: setting.schema === "raster" ? "raster" : "vector",
      url: basemapFileUrl(setting.fileId),
      attribution: setting.attribution,
    };
  }
  return null;
}

function overlaySources(): Record<string, SourceSpecification> {
  return {
    [SOURCE_AREA]: { type: "geojson", data: EMPTY_COLLECTION },
    [SOURCE_ANALYSIS]: { type: "geojson", data: EMPTY_COLLECTION },
    [SOURCE_TRACKS]: { type: "geojson", data: EMPTY_COLLECTION },
    [SOURCE_OBSERVATIONS]: { type: "geojson", data: EMPTY_COLLECTION, promoteId: "id" },
    // Grouped on a screen grid for the current zoom (src/domain/overview.ts).
    [SOURCE_OVERVIEW]: { type: "geojson", data: EMPTY_COLLECTION },
    [SOURCE_SELECTED]: { type: "geojson", data: EMPTY_COLLECTION },
    [SOURCE_POSITION]: { type: "geojson", data: EMPTY_COLLECTION },
  };
}

/**
 * Our layers, bottom to top. Observations are drawn above the team's own position: a point
 * just added "here" must be visible, not hidden under the position dot.
 */
function overlayLayers(night: boolean): LayerSpecification[] {
  const outline = night ? "#0b0e13" : "#ffffff";
  const selected = night ? "#7fd1ff" : "#0057b8";
  return [
    {
      id: "lykta-area-line",
      type: "line",
      source: SOURCE_AREA,
      paint: {
        "line-color": night ? "#9fb3c8" : "#3d4f63",
        "line-width": 2,
        "line-dasharray": [3, 2],
      },
    },
    {
      id: "lykta-analysis-line",
      type: "line",
      source: SOURCE_ANALYSIS,
      paint: {
        "line-color": [
          "case",
          ["==", ["get", "compliant"], false],
          ANALYSIS_COLOURS.non_compliant,
          [
            "match",
            ["get", "state"],
            "lit_by_lamp",
            ANALYSIS_COLOURS.lit_by_lamp,
            "tagged_lit",
            ANALYSIS_COLOURS.tagged_lit,
            "dark",
            ANALYSIS_COLOURS.dark,
            ANALYSIS_COLOURS.unknown,
          ],
        ],
        "line-width": ["interpolate", ["linear"], ["zoom"], 12, 2, 16, 5, 19, 8],
      },
      layout: { "line-cap": "butt", "line-join": "round" },
    },
    {
      // Unlit pieces dashed over their colour: the state reads without colour too.
      id: "lykta-analysis-unlit",
      type: "line",
      source: SOURCE_ANALYSIS,
      filter: ["in", ["get", "state"], ["literal", ["dark", "unknown"]]],
      paint: {
        "line-color": night ? "#0b0e13" : "#ffffff",
        "line-width": ["interpolate", ["linear"], ["zoom"], 12, 1, 16, 2, 19, 3],
        "line-dasharray": [1, 2],
      },
    },
    {
      id: "lykta-tracks",
      type: "line",
      source: SOURCE_TRACKS,
      paint: {
        "line-color": [
          "case",
          ["==", ["get", "kind"], "walking"],
          "#b05cff",
          night ? "#5fb3ff" : "#1f6fd1",
        ],
        "line-width": ["case", ["==", ["get", "kind"], "walking"], 5, 3],
        "line-opacity": 0.85,
      },
      layout: { "line-cap": "round", "line-join": "round" },
    },
    {
      id: "lykta-position-accuracy",
      type: "fill",
      source: SOURCE_POSITION,
      filter: ["==", ["geometry-type"], "Polygon"],
      paint: { "fill-color": "#2f80ed", "fill-opacity": 0.15, "fill-outline-color": "#2f80ed" },
    },
    {
      id: "lykta-position",
      type: "circle",
      source: SOURCE_POSITION,
      filter: ["==", ["geometry-type"], "Point"],
      paint: {
        "circle-color": "#2f80ed",
        "circle-radius": 8,
        "circle-stroke-color": "#ffffff",
        "circle-stroke-width": 3,
      },
    },
    {
      id: "lykta-obs-fill",
      type: "fill",
      source: SOURCE_OBSERVATIONS,
      minzoom: OVERVIEW_MAX_ZOOM,
      filter: ["==", ["geometry-type"], "Polygon"],
      paint: { "fill-color": observationColour() as never, "fill-opacity": 0.35 },
    },
    {
      id: "lykta-obs-line",
      type: "line",
      source: SOURCE_OBSERVATIONS,
      minzoom: OVERVIEW_MAX_ZOOM,
      filter: ["!=", ["geometry-type"], "Point"],
      paint: {
        "line-color": observationColour() as never,
        "line-width": ["interpolate", ["linear"], ["zoom"], OVERVIEW_MAX_ZOOM, 3, 18, 5],
      },
      layout: { "line-cap": "round", "line-join": "round" },
    },
    {
      id: "lykta-obs-point",
      type: "circle",
      source: SOURCE_OBSERVATIONS,
      minzoom: OVERVIEW_MAX_ZOOM,
      filter: ["==", ["geometry-type"], "Point"],
      paint: {
        "circle-color": observationColour() as never,
        "circle-radius": ["interpolate", ["linear"], ["zoom"], OVERVIEW_MAX_ZOOM, 7, 18, 10],
        "circle-stroke-color": outline,
        "circle-stroke-width": 2.5,
      },
    },
    {
      // Sites (the sites screen): a ring around a place several reports describe, growing
      // with the count. Walk observations have no `reports` property and get no ring.
      id: "lykta-site-ring",
      type: "circle",
      source: SOURCE_OBSERVATIONS,
      minzoom: OVERVIEW_MAX_ZOOM,
      filter: [">", ["coalesce", ["get", "reports"], 1], 1],
      paint: {
        "circle-color": "rgba(0,0,0,0)",
        "circle-radius": ["step", ["get", "reports"], 19, 3, 22, 5, 26, 10, 30],
        "circle-stroke-color": night ? "#ffd54a" : "#1d3b5c",
        "circle-stroke-width": 3,
      },
    },
    {
      id: "lykta-overview-cluster",
      type: "circle",
      source: SOURCE_OVERVIEW,
      maxzoom: OVERVIEW_MAX_ZOOM,
      filter: ["has", "pointCount"],
      paint: {
        "circle-color": [
          "match",
          ["get", "maxSeverity"],
          1,
          SEVERITY_COLOURS[0]!,
          2,
          SEVERITY_COLOURS[1]!,
          3,
          SEVERITY_COLOURS[2]!,
          4,
          SEVERITY_COLOURS[3]!,
          SEVERITY_COLOURS[4]!,
        ],
        // Bigger for more observations (no numbers: labels would need fonts offline).
        "circle-radius": ["step", ["get", "pointCount"], 9, 10, 13, 50, 17, 200, 22],
        "circle-stroke-color": outline,
        "circle-stroke-width": 3,
        "circle-opacity": 0.9,
      },
    },
    {
      id: "lykta-overview-point",
      type: "circle",
      source: SOURCE_OVERVIEW,
      maxzoom: OVERVIEW_MAX_ZOOM,
      filter: ["!", ["has", "pointCount"]],
      paint: {
        "circle-color": observationColour() as never,
        "circle-radius": 6,
        "circle-stroke-color": outline,
        "circle-stroke-width": 2,
      },
    },
    {
      id: "lykta-selected-halo",
      type: "line",
      source: SOURCE_SELECTED,
      filter: ["!=", ["geometry-type"], "Point"],
      paint: { "line-color": selected, "line-width": 4, "line-opacity": 0.9, "line-offset": -2 },
      layout: { "line-cap": "round", "line-join": "round" },
    },
    {
      id: "lykta-selected-point",
      type: "circle",
      source: SOURCE_SELECTED,
      filter: ["==", ["geometry-type"], "Point"],
      paint: {
        "circle-color": "rgba(0,0,0,0)",
        "circle-radius": 14,
        "circle-stroke-color": selected,
        "circle-stroke-width": 4,
      },
    },
  ];
}

/** Night mode dims the basemap: less glare for eyes adapted to the dark. */
function basemapPaint(night: boolean) {
  return night
    ? { "raster-brightness-max": 0.45, "raster-saturation": -0.6, "raster-contrast": 0.1 }
    : { "raster-brightness-max": 1, "raster-saturation": 0, "raster-contrast": 0 };
}

function buildStyle(setting: BasemapView, night: boolean): StyleSpecification {
  const sources: Record<string, SourceSpecification> = { ...overlaySources() };
  const layers: LayerSpecification[] = [
    {
      id: "lykta-background",
      type: "background",
      paint: { "background-color": night ? "#141a22" : "#eef1ec" },
    },
  ];
  const source = basemapSource(setting);
  const style: StyleSpecification = { version: 8, sources, layers };
  if (source) {
    sources[SOURCE_BASEMAP] = source;
    if (setting.kind === "pmtiles" && setting.schema !== "raster") {
      // A vector file: Lykta's own style, with bundled fonts for its labels.
      layers.push(...protomapsLayers(setting.schema, SOURCE_BASEMAP, night));
      style["font-faces"] = basemapFontFaces();
    } else {
      layers.push({
        id: "lykta-basemap",
        type: "raster",
        source: SOURCE_BASEMAP,
        paint: basemapPaint(night),
      });
    }
  }
  layers.push(...overlayLayers(night));
  return style;
}

export class MapView {
  readonly map: MapLibreMap;
  private draw: TerraDraw | undefined;
  private pending = new Map<string, FeatureCollection>();
  private frame = 0;
  private night: boolean;
  private selectedId: string | null = null;
  private observations: FeatureCollection = EMPTY_COLLECTION;
  private ready: Promise<void>;
  private drawResolve: ((geometry: Geometry | null) => void) | undefined;
  private editingId: string | undefined;
  private lineMode: TerraDrawLineStringMode | undefined;
  private polygonMode: TerraDrawPolygonMode | undefined;

  constructor(private readonly options: MapViewOptions) {
    this.night = options.night;
    this.map = new MapLibreMap({
      container: options.container,
      style: buildStyle(
        options.basemap.kind === "style" ? { kind: "none" } : options.basemap,
        options.night,
      ),
      center: options.center,
      zoom: options.zoom,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      maxZoom: 21,
      fadeDuration: 0,
      locale: options.locale,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), "top-right");
    this.map.addControl(new AttributionControl({ compact: false }), "bottom-right");
    this.map.getCanvas().setAttribute("aria-label", options.label);
    this.map.on("error", (event) => {
      // A failing basemap tile (offline, blocked) must not break the map or spam the console.
      const sourceId = (event as { sourceId?: string }).sourceId;
      if (sourceId === SOURCE_BASEMAP || options.basemap.kind === "style") options.onBasemapError();
    });
    this.map.on("click", (event) => this.onClick(event));
    // At the end of a zoom, not during it: a fly past zoom 14 should not make MapLibre tile
    // every full geometry of a big walk.
    this.map.on("zoomend", () => {
      this.sendFullGeometries();
      this.updateOverview();
    });
    this.map.on("moveend", () => {
      const center = this.map.getCenter();
      options.onMove?.([center.lng, center.lat], this.map.getZoom());
    });
    for (const layer of OBSERVATION_LAYERS) {
      this.map.on("mouseenter", layer, () => {
        this.map.getCanvas().style.cursor = "pointer";
      });
      this.map.on("mouseleave", layer, () => {
        this.map.getCanvas().style.cursor = "";
      });
    }
    if (options.basemap.kind === "style") {
      // A vector style from a URL: our overlays go on top of its layers.
      const night = options.night;
      const overlays = overlaySources();
      // The credit the person entered for the style, beside the style's own.
      if (options.basemap.attribution.trim()) {
        overlays[SOURCE_AREA] = {
          type: "geojson",
          data: EMPTY_COLLECTION,
          attribution: options.basemap.attribution,
        };
      }
      this.map.setStyle(options.basemap.url, {
        transformStyle: (_previous, next) => ({
          ...next,
          sources: { ...next.sources, ...overlays },
          layers: [...next.layers, ...overlayLayers(night)],
        }),
      });
    }
    this.ready = new Promise<void>((resolve) => {
      if (this.map.loaded()) resolve();
      else this.map.once("load", () => resolve());
    });
    if (options.basemap.kind !== "none") this.markBasemapRendered();
  }

  /**
   * Mark the first frame drawn with the basemap's tiles loaded (performance mark and the
   * container's data-basemap attribute): how long a reload takes to show the map.
   */
  private markBasemapRendered() {
    const onRender = () => {
      if (!this.map.getSource(SOURCE_BASEMAP) || !this.map.isSourceLoaded(SOURCE_BASEMAP)) return;
      if (!this.map.getStyle().sources[SOURCE_BASEMAP]) return;
      this.map.off("render", onRender);
      performance.mark("lykta:basemap-rendered");
      this.options.container.dataset.basemap = "rendered";
    };
    this.map.on("render", onRender);
  }

  /** Resolves when everything set so far is rendered (the map is idle). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      // "idle" never fires on a map that is already idle: ask for a frame first.
      this.map.once("idle", () => resolve());
      this.map.triggerRepaint();
    });
  }

  /**
   * Resolves when the observations set so far are drawn. MapLibre's "load" comes after the
   * first complete rendering of all sources, so observations handed over before it are
   * drawn by then; ones handed over later are drawn when the map is next idle.
   */
  async whenObservationsDrawn(): Promise<void> {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await this.ready;
    if (this.observationsBeforeLoad && this.pending.size === 0) return;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await this.whenIdle();
  }

  private observationsBeforeLoad = false;

  /** Resolves when the map has loaded its style. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /**
   * terra-draw starts on first use: its layers would otherwise cost every frame of a map
   * that is mostly looked at, and its set-up would slow the first paint.
   */
  private ensureDraw(): Promise<TerraDraw> {
    this.drawLoading ??= import("./draw-tools").then(({ createDrawTools }) => {
      const tools = createDrawTools(this.map, this.night);
      this.draw = tools.draw;
      this.lineMode = tools.lineMode;
      this.polygonMode = tools.polygonMode;
      tools.draw.on("finish", (id, context) => {
        if (context.action !== "draw" || !this.drawResolve) return;
        const feature = tools.draw.getSnapshotFeature(id);
        tools.draw.removeFeatures([id]);
        tools.draw.setMode("static");
        const resolve = this.drawResolve;
        this.drawResolve = undefined;
        resolve(feature ? (feature.geometry as Geometry) : null);
      });
      return tools.draw;
    });
    return this.drawLoading;
  }

  private drawLoading: Promise<TerraDraw> | undefined;

  private onClick(event: MapMouseEvent) {
    if (this.draw && this.draw.getMode() !== "static") return;
    const layers = OBSERVATION_LAYERS.filter((layer) => this.map.getLayer(layer));
    // A finger is about 9 mm wide: query a box, not a pixel.
    const radius = 16;
    const features = this.map.queryRenderedFeatures(
      [
        [event.point.x - radius, event.point.y - radius],
        [event.point.x + radius, event.point.y + radius],
      ],
      { layers },
    );
    const first = features[0];
    if (first?.properties?.cluster === true && first.geometry.type === "Point") {
      // A group: zoom in until it comes apart.
      this.map.easeTo({
        center: (first.geometry as Point).coordinates as [number, number],
        zoom: Math.min(OVERVIEW_MAX_ZOOM, this.map.getZoom() + 2),
        duration: 300,
      });
      return;
    }
    const id = first?.properties?.id;
    if (typeof id === "string") this.options.onSelectObservation(id);
  }

  /** The full-geometry features MapLibre holds, by observation id. */
  private sentObservations: Map<string, Feature> | null = null;

  /**
   * A save changes one observation of perhaps thousands: send MapLibre only the difference
   * (by id, promoteId), not the whole walk again. Unchanged observations keep their feature
   * objects (see MapPanel), so a changed one is a different object.
   */
  private sendObservations(source: GeoJSONSource, collection: FeatureCollection) {
    const next = new Map<string, Feature>();
    for (const feature of collection.features) next.set(String(feature.properties?.id), feature);
    const previous = this.sentObservations;
    this.sentObservations = next;
    if (!previous) {
      void source.setData(collection);
      return;
    }
    const remove: string[] = [];
    const add: Feature[] = [];
    for (const [id, feature] of previous) {
      const now = next.get(id);
      if (now !== feature) remove.push(id);
    }
    for (const [id, feature] of next) if (previous.get(id) !== feature) add.push(feature);
    if (remove.length === 0 && add.length === 0) return;
    if (remove.length + add.length > collection.features.length / 3) {
      void source.setData(collection);
      return;
    }
    void source.updateData({ remove, add });
  }

  /** Sources that hold data; the rest still hold the empty collection of the style. */
  private filled = new Set<string>();

  private schedule(sourceId: string, data: FeatureCollection) {
    // An empty source made empty again would still be re-tiled and redrawn: skip it. On a
    // slow tablet those frames compete with reading a big walk.
    if (data.features.length === 0 && !this.filled.has(sourceId) && !this.pending.has(sourceId)) {
      return;
    }
    if (data.features.length > 0) this.filled.add(sourceId);
    else this.filled.delete(sourceId);
    this.pending.set(sourceId, data);
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (
        !this.map.loaded() &&
        (this.pending.has(SOURCE_OVERVIEW) || this.pending.has(SOURCE_OBSERVATIONS))
      ) {
        this.observationsBeforeLoad = true;
      }
      for (const [id, collection] of this.pending) {
        const source = this.map.getSource(id) as GeoJSONSource | undefined;
        if (!source) continue;
        if (id === SOURCE_OBSERVATIONS) this.sendObservations(source, collection);
        else void source.setData(collection);
      }
      this.pending.clear();
    });
  }

  /** Observations as GeoJSON features with properties id, severity, group. */
  setObservations(collection: FeatureCollection) {
    this.observations = collection;
    this.scheduleObservations();
    this.scheduleSelected();
  }

  setSelected(id: string | null) {
    if (id === this.selectedId) return;
    this.selectedId = id;
    this.scheduleSelected();
  }

  private scheduleObservations() {
    // The feature being reshaped is shown by the drawing tool only.
    const features = this.editingId
      ? this.observations.features.filter((feature) => feature.properties?.id !== this.editingId)
      : this.observations.features;
    this.overviewPoints = features.map((feature) => {
      const [lon, lat] = representativePosition(feature.geometry as ObservationGeometry);
      return {
        id: String(feature.properties?.id),
        lon: lon!,
        lat: lat!,
        severity: Number(feature.properties?.severity),
        group: String(feature.properties?.group),
      };
    });
    this.overviewZoom = Number.NaN;
    this.updateOverview();
    this.fullGeometries = { type: "FeatureCollection", features };
    this.sendFullGeometries();
  }

  private overviewPoints: OverviewPoint[] = [];
  private overviewZoom = Number.NaN;

  /** Regroup for the current whole zoom level (only while the overview is what shows). */
  private updateOverview() {
    const zoom = Math.floor(this.map.getZoom());
    if (zoom >= OVERVIEW_MAX_ZOOM || zoom === this.overviewZoom) return;
    this.overviewZoom = zoom;
    this.schedule(SOURCE_OVERVIEW, {
      type: "FeatureCollection",
      features: groupOnGrid(this.overviewPoints, zoom, OVERVIEW_CELL_PX),
    });
  }

  /**
   * Full geometries are drawn only from OVERVIEW_MAX_ZOOM. Sent to MapLibre only when the
   * map is near that zoom, so a big walk seen from afar does not pay for tiling them.
   */
  private sendFullGeometries() {
    if (!this.fullGeometries || this.map.getZoom() < OVERVIEW_MAX_ZOOM - 1) return;
    this.schedule(SOURCE_OBSERVATIONS, this.fullGeometries);
    this.fullGeometries = null;
  }

  private fullGeometries: FeatureCollection | null = null;

  /** The selection lives in its own tiny source: selecting never re-sends all observations. */
  private scheduleSelected() {
    const selected =
      this.selectedId === null
        ? undefined
        : this.observations.features.find((feature) => feature.properties?.id === this.selectedId);
    this.schedule(SOURCE_SELECTED, {
      type: "FeatureCollection",
      features: selected && this.selectedId !== this.editingId ? [selected] : [],
    });
  }

  setPosition(fix: Fix | null) {
    if (!fix) {
      this.schedule(SOURCE_POSITION, EMPTY_COLLECTION);
      return;
    }
    const accuracy = circle([fix.lon, fix.lat], Math.max(fix.accuracyM, 1), {
      steps: 48,
      units: "meters",
    });
    this.schedule(SOURCE_POSITION, {
      type: "FeatureCollection",
      features: [
        accuracy,
        {
          type: "Feature",
          geometry: { type: "Point", coordinates: [fix.lon, fix.lat] },
          properties: {},
        },
      ],
    });
  }

  private contextShown = new Map<string, { url: string; layers: string[] }>();

  /** Show the project's imported layers (under the walk's own data). */
  async setContextLayers(layers: readonly ContextLayer[]): Promise<void> {
    await this.ready;
    const map = this.map;
    const wanted = new Map(layers.map((layer) => [layer.id, layer]));
    for (const [id, shown] of this.contextShown) {
      const layer = wanted.get(id);
      if (layer && layer.url === shown.url) continue;
      for (const styleLayer of shown.layers)
        if (map.getLayer(styleLayer)) map.removeLayer(styleLayer);
      if (map.getSource(`ctx-${id}`)) map.removeSource(`ctx-${id}`);
      this.contextShown.delete(id);
    }
    for (const layer of layers) {
      const source = `ctx-${layer.id}`;
      let shown = this.contextShown.get(layer.id);
      if (!shown) {
        map.addSource(source, {
          type: "geojson",
          data: layer.url,
          ...(layer.attribution ? { attribution: layer.attribution } : {}),
        });
        const styleLayers = contextStyleLayers(layer, source);
        for (const styleLayer of styleLayers) {
          map.addLayer(
            styleLayer,
            map.getLayer(CONTEXT_BEFORE_LAYER) ? CONTEXT_BEFORE_LAYER : undefined,
          );
        }
        shown = { url: layer.url, layers: styleLayers.map((styleLayer) => styleLayer.id) };
        this.contextShown.set(layer.id, shown);
      }
      for (const styleLayer of shown.layers) {
        map.setLayoutProperty(styleLayer, "visibility", layer.visible ? "visible" : "none");
      }
    }
  }

  /** Recorded routes and the line being walked (property kind: "route" or "walking"). */
  /** Outline one geometry as the selection (a dark gap), on a map without observations. */
  setHighlight(geometry: Geometry | null) {
    this.schedule(SOURCE_SELECTED, {
      type: "FeatureCollection",
      features: geometry ? [{ type: "Feature", geometry, properties: {} }] : [],
    });
  }

  /**
   * The lighting analysis's path pieces (properties state, compliant): the URL of a GeoJSON
   * file, which MapLibre's worker fetches and parses (a city's pieces never touch the page's
   * main thread), or null for none.
   */
  setAnalysis(url: string | null) {
    void this.whenReady().then(() => {
      const source = this.map.getSource(SOURCE_ANALYSIS) as GeoJSONSource | undefined;
      void source?.setData(url ?? EMPTY_COLLECTION);
    });
  }

  setTracks(lines: Feature<LineString>[]) {
    this.schedule(SOURCE_TRACKS, { type: "FeatureCollection", features: lines });
  }

  setArea(polygon: Polygon | null) {
    this.schedule(SOURCE_AREA, {
      type: "FeatureCollection",
      features: polygon ? [{ type: "Feature", geometry: polygon, properties: {} }] : [],
    });
  }

  /** West, south, east, north of what the map shows now. */
  getBounds(): [number, number, number, number] {
    const bounds = this.map.getBounds();
    return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()];
  }

  private cancelPick: (() => void) | undefined;

  /** The place of the next tap on the map, or null when cancelled (cancelPickPoint). */
  pickPoint(): Promise<[number, number] | null> {
    this.cancelPickPoint();
    return new Promise((resolve) => {
      const onClick = (event: MapMouseEvent) => {
        done();
        resolve([event.lngLat.lng, event.lngLat.lat]);
      };
      const done = () => {
        this.map.off("click", onClick);
        this.map.getCanvas().style.cursor = "";
        this.cancelPick = undefined;
      };
      this.cancelPick = () => {
        done();
        resolve(null);
      };
      this.map.getCanvas().style.cursor = "crosshair";
      this.map.on("click", onClick);
    });
  }

  cancelPickPoint() {
    this.cancelPick?.();
  }

  getCenter(): [number, number] {
    const center = this.map.getCenter();
    return [center.lng, center.lat];
  }

  flyTo(lon: number, lat: number, zoom?: number) {
    this.map.easeTo({ center: [lon, lat], ...(zoom !== undefined ? { zoom } : {}), duration: 400 });
  }

  fitBounds(bounds: [number, number, number, number]) {
    this.map.fitBounds(bounds, { padding: 60, maxZoom: 18, duration: 0 });
  }

  /**
   * Night mode: dark background, dimmed basemap, outlines that read on dark. Changed in
   * place (not by a new style), so the drawing tool's layers stay.
   */
  setNight(night: boolean) {
    if (night === this.night) return;
    this.night = night;
    const map = this.map;
    if (map.getLayer("lykta-background")) {
      map.setPaintProperty("lykta-background", "background-color", night ? "#141a22" : "#eef1ec");
    }
    const basemap = this.options.basemap;
    if (basemap.kind === "pmtiles" && basemap.schema !== "raster") {
      for (const [layer, paint] of protomapsPaint(basemap.schema, night)) {
        if (!map.getLayer(layer)) continue;
        for (const [property, value] of Object.entries(paint)) {
          map.setPaintProperty(layer, property as "fill-color", value as never);
        }
      }
    }
    if (map.getLayer("lykta-basemap")) {
      const dim = basemapPaint(night);
      for (const property of [
        "raster-brightness-max",
        "raster-saturation",
        "raster-contrast",
      ] as const) {
        map.setPaintProperty("lykta-basemap", property, dim[property]);
      }
    }
    for (const layer of overlayLayers(night)) {
      if (!map.getLayer(layer.id) || !("paint" in layer) || !layer.paint) continue;
      for (const [property, value] of Object.entries(layer.paint)) {
        map.setPaintProperty(layer.id, property as "fill-color", value as never);
      }
    }
  }

  /** Let the person draw a geometry by touch. Resolves with it, or null when cancelled. */
  async drawGeometry(kind: DrawKind): Promise<Geometry | null> {
    await this.ready;
    this.cancelDrawing();
    const draw = await this.ensureDraw();
    draw.setMode(kind === "line" ? "linestring" : kind);
    return new Promise((resolve) => {
      this.drawResolve = resolve;
    });
  }

  /**
   * Finish a line or polygon being drawn, as the Enter key does in terra-draw (touch users
   * have no Enter key: this backs the "Done" button).
   */
  finishDrawing() {
    const draw = this.draw;
    if (!draw || !this.drawResolve) return;
    const mode =
      draw.getMode() === "linestring"
        ? this.lineMode
        : draw.getMode() === "polygon"
          ? this.polygonMode
          : undefined;
    // The modes' public key handler; "Enter" is their default finish key.
    mode?.onKeyUp({ key: "Enter", heldKeys: [], preventDefault: () => undefined });
  }

  cancelDrawing() {
    if (!this.draw) return;
    if (this.drawResolve) {
      const resolve = this.drawResolve;
      this.drawResolve = undefined;
      this.draw.setMode("static");
      for (const feature of this.draw.getSnapshot())
        if (feature.id !== this.editingId) this.draw.removeFeatures([feature.id!]);
      resolve(null);
    }
  }

  /** Start editing an existing geometry: move it, drag its vertices. */
  async beginEdit(id: string, geometry: Geometry): Promise<void> {
    await this.ready;
    const draw = await this.ensureDraw();
    this.cancelDrawing();
    this.endEdit();
    const mode =
      geometry.type === "Point"
        ? "point"
        : geometry.type === "LineString"
          ? "linestring"
          : "polygon";
    const editId = draw.getFeatureId();
    const [validation] = draw.addFeatures([
      { id: editId, type: "Feature", geometry: geometry as never, properties: { mode } },
    ]);
    if (!validation?.valid) throw new Error(`beginEdit: geometry refused (${validation?.reason})`);
    this.editingId = String(editId);
    draw.setMode("select");
    draw.selectFeature(editId);
    this.editingFeatureId = editId;
    this.scheduleObservations();
    this.scheduleSelected();
    void id;
  }

  private editingFeatureId: string | number | undefined;

  /** Finish editing: returns the edited geometry (or null if nothing was being edited). */
  endEdit(): Geometry | null {
    const draw = this.draw;
    if (!draw || this.editingFeatureId === undefined) return null;
    const feature = draw.getSnapshotFeature(this.editingFeatureId);
    try {
      draw.deselectFeature(this.editingFeatureId);
    } catch {
      // Already deselected.
    }
    draw.removeFeatures([this.editingFeatureId]);
    draw.setMode("static");
    this.editingFeatureId = undefined;
    this.editingId = undefined;
    this.scheduleObservations();
    this.scheduleSelected();
    return feature ? (feature.geometry as Geometry) : null;
  }

  resize() {
    this.map.resize();
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    try {
      this.draw?.stop();
    } catch {
      // The map may already be gone.
    }
    this.map.remove();
  }
}
