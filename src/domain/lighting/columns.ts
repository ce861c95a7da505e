/**
 * The model's inputs as columns (types.ts LightingPathColumns, LightingLampColumns): from
 * lists of objects, and back. The model works on columns either way; a reader that builds
 * columns from a file's bytes (inputs-scan.ts) saves an object per path, position and lamp.
 */
import type { Position } from "geojson";
import {
  LAMP_STATUS_CODES,
  type LightingLamp,
  type LightingLampColumns,
  type LightingPath,
  type LightingPathColumns,
} from "./types";

export function isPathColumns(
  paths: readonly LightingPath[] | LightingPathColumns,
): paths is LightingPathColumns {
  return !Array.isArray(paths);
}

export function isLampColumns(
  lamps: readonly LightingLamp[] | LightingLampColumns,
): lamps is LightingLampColumns {
  return !Array.isArray(lamps);
}

/** Paths as columns (the same object when they are columns already). */
export function pathColumnsOf(
  paths: readonly LightingPath[] | LightingPathColumns,
): LightingPathColumns {
  if (isPathColumns(paths)) return paths;
  const count = paths.length;
  const vertexStart = new Uint32Array(count + 1);
  for (let p = 0; p < count; p++) {
    vertexStart[p + 1] = vertexStart[p]! + paths[p]!.coordinates.length;
  }
  const lonLat = new Float64Array(2 * vertexStart[count]!);
  const id: string[] = new Array(count);
  const pathClass: (string | null)[] = new Array(count);
  const lit: LightingPath["lit"][] = new Array(count);
  const name: (string | null)[] = new Array(count);
  for (let p = 0; p < count; p++) {
    const path = paths[p]!;
    const coordinates = path.coordinates;
    const first = vertexStart[p]!;
    for (let k = 0; k < coordinates.length; k++) {
      lonLat[2 * (first + k)] = coordinates[k]![0]!;
      lonLat[2 * (first + k) + 1] = coordinates[k]![1]!;
    }
    id[p] = path.id;
    pathClass[p] = path.pathClass;
    lit[p] = path.lit;
    name[p] = path.name ?? null;
  }
  return { count, vertexStart, lonLat, id, pathClass, lit, name };
}

/** Paths as objects, as pathsFromFeatures makes them. */
export function pathsOfColumns(columns: LightingPathColumns): LightingPath[] {
  const paths: LightingPath[] = new Array(columns.count);
  const { vertexStart, lonLat } = columns;
  for (let p = 0; p < columns.count; p++) {
    const coordinates: Position[] = [];
    for (let v = vertexStart[p]!; v < vertexStart[p + 1]!; v++) {
      coordinates.push([lonLat[2 * v]!, lonLat[2 * v + 1]!]);
    }
    paths[p] = {
      id: columns.id[p]!,
      coordinates,
      pathClass: columns.pathClass[p]!,
      lit: columns.lit[p]!,
      name: columns.name[p]!,
    };
  }
  return paths;
}

const number = (value: number | null | undefined) =>
  typeof value === "number" ? value : Number.NaN;

/** Lamps as columns (the same object when they are columns already). */
export function lampColumnsOf(
  lamps: readonly LightingLamp[] | LightingLampColumns,
): LightingLampColumns {
  if (isLampColumns(lamps)) return lamps;
  const count = lamps.length;
  const columns: LightingLampColumns = {
    count,
    lonLat: new Float64Array(2 * count),
    id: (i) => lamps[i]!.id,
    ref: (i) => lamps[i]!.ref ?? null,
    poleHeightM: new Float64Array(count),
    luminousFluxLm: new Float64Array(count),
    powerW: new Float64Array(count),
    efficacyLmPerW: new Float64Array(count),
    status: new Uint8Array(count),
  };
  for (let i = 0; i < count; i++) {
    const lamp = lamps[i]!;
    columns.lonLat[2 * i] = lamp.position[0]!;
    columns.lonLat[2 * i + 1] = lamp.position[1]!;
    columns.poleHeightM[i] = number(lamp.poleHeightM);
    columns.luminousFluxLm[i] = number(lamp.luminousFluxLm);
    columns.powerW[i] = number(lamp.powerW);
    columns.efficacyLmPerW[i] = number(lamp.efficacyLmPerW);
    columns.status[i] = Math.max(0, LAMP_STATUS_CODES.indexOf(lamp.status ?? "working"));
  }
  return columns;
}

/** Lamps as objects, as lampsFromFeatures makes them. */
export function lampsOfColumns(columns: LightingLampColumns): LightingLamp[] {
  const lamps: LightingLamp[] = new Array(columns.count);
  const known = (value: number) => (Number.isNaN(value) ? null : value);
  for (let i = 0; i < columns.count; i++) {
    const lamp: LightingLamp = {
      id: columns.id(i),
      position: [columns.lonLat[2 * i]!, columns.lonLat[2 * i + 1]!],
      poleHeightM: known(columns.poleHeightM[i]!),
      luminousFluxLm: known(columns.luminousFluxLm[i]!),
      powerW: known(columns.powerW[i]!),
      status: LAMP_STATUS_CODES[columns.status[i]!]!,
      ref: columns.ref(i),
    };
    const efficacy = known(columns.efficacyLmPerW[i]!);
    if (efficacy !== null) lamp.efficacyLmPerW = efficacy;
    lamps[i] = lamp;
  }
  return lamps;
}
