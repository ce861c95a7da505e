/**
 * terra-draw and its MapLibre adapter: drawing and reshaping geometries by touch. Loaded on
 * first use, in its own chunk, so opening a walk does not wait for it.
 */
import type { Map as MapLibreMap } from "maplibre-gl";
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawPointMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
} from "terra-draw";
import { TerraDrawMapLibreGLAdapter } from "terra-draw-maplibre-gl-adapter";

export interface DrawTools {
  draw: TerraDraw;
  lineMode: TerraDrawLineStringMode;
  polygonMode: TerraDrawPolygonMode;
}

export function createDrawTools(map: MapLibreMap, night: boolean): DrawTools {
  const colour = night ? "#7fd1ff" : "#0057b8";
  const lineMode = new TerraDrawLineStringMode({
    styles: {
      lineStringColor: colour,
      lineStringWidth: 5,
      closingPointColor: colour,
      closingPointWidth: 10,
    },
  });
  const polygonMode = new TerraDrawPolygonMode({
    styles: { fillColor: colour, outlineColor: colour, outlineWidth: 4, closingPointWidth: 10 },
  });
  const editable = {
    feature: {
      draggable: true,
      coordinates: { midpoints: true, draggable: true, deletable: true },
    },
  };
  const draw = new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map }),
    modes: [
      new TerraDrawPointMode({
        styles: {
          pointColor: colour,
          pointWidth: 10,
          pointOutlineColor: "#ffffff",
          pointOutlineWidth: 3,
        },
      }),
      lineMode,
      polygonMode,
      new TerraDrawSelectMode({
        flags: {
          point: { feature: { draggable: true } },
          linestring: editable,
          polygon: editable,
        },
        styles: {
          selectedPolygonColor: colour,
          selectedPolygonOutlineColor: colour,
          selectedLineStringColor: colour,
          selectedPointColor: colour,
          selectionPointWidth: 10,
          selectionPointColor: colour,
          selectionPointOutlineColor: "#ffffff",
          selectionPointOutlineWidth: 3,
          midPointWidth: 8,
          selectedPointWidth: 12,
        },
      }),
    ],
  });
  draw.start();
  draw.setMode("static");
  return { draw, lineMode, polygonMode };
}
