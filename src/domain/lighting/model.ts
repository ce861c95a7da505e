/**
 * The lighting model of a path network (docs/lighting.md): coverage with exact cut points,
 * illuminance along the paths, summaries, ranked dark gaps, and "what if" scenarios that
 * recompute only what a change of lamps can reach.
 *
 *   const model = createLightingModel({ paths, lamps, observations, pois, areas }, { classes });
 *   const today = model.coverage();          // pieces, totals, per class / area, gaps
 *   const light = model.illuminance();       // the same pieces with E_avg, E_min, compliance
 *   const what = model.evaluate({ add: [{ position: [16.54, 59.61] }], repair: [12] });
 *   const scores = model.scoreCandidates(points);   // each candidate lamp alone
 *   model.apply({ add: [...] });             // make a change part of the model (greedy planning)
 *
 * How it works: every lamp (working or off) is intersected with every path segment within
 * its radius R (Flatbush on segments, exact circle/segment intervals, network.ts). Those
 * intervals are kept per path with their lamp, so a scenario re-unions only the paths a
 * changed lamp touches. Illuminance samples (every stepM along each path) are filled by
 * scattering each lamp's light onto the samples within its reach (h · tan 80°), so a
 * scenario adds or subtracts just the changed lamps' light. All geometry is in a local
 * transverse Mercator projection in metres (projection.ts).
 */
import type { Position } from "geojson";
import type { LitValue } from "../layers";
import { areaStretches } from "./areas";
import {
  type LightingClassesFile,
  lightingClassesProblem,
  type PClass,
  targetOf,
  UNCLASSIFIED,
} from "./classes";
import { lampColumnsOf, pathColumnsOf, pathsOfColumns } from "./columns";
import {
  coveredLength,
  type GroupedIntervals,
  groupByPath,
  IntervalColumns,
  unionInto,
  unionOfPairs,
} from "./intervals";
import { LampTable, type ResolvedLamp, resolveLampValues } from "./lamps";
import {
  buildNetwork,
  circleIntervalsInto,
  distanceToStretchM,
  forEachCircleInterval,
  type Network,
  nearestOnNetwork,
  positionAt,
  projectedAt,
  sliceLine,
  sliceLineInto,
} from "./network";
import {
  DEFAULT_DISTRIBUTION,
  DEFAULT_MAINTENANCE_FACTOR,
  type IntensityDistribution,
  LAMP_DEFAULTS,
  type LampDefaults,
} from "./photometry";
import { createLocalProjection, type LocalProjection } from "./projection";
import {
  type AreaSummary,
  type CandidateScores,
  type ClassSummary,
  type CoverageResult,
  type DarkGap,
  type IlluminanceResult,
  type LampChange,
  type LampCounts,
  type LengthTotals,
  type LightingArea,
  type LightingInput,
  type LightingLampColumns,
  type LightingObservation,
  type LightingOptions,
  type LightingPath,
  type LightingPathColumns,
  type LightingPoi,
  type Measurement,
  type NearbyPoi,
  type NewLamp,
  type PathPieces,
  PIECE_STATES,
  type PieceChange,
  type PieceState,
  type ScenarioResult,
  STATE_DARK,
  STATE_LIT_BY_LAMP,
  STATE_TAGGED_LIT,
  STATE_UNKNOWN,
} from "./types";

/** Defaults of LightingOptions (docs/lighting.md lists them with their reasons). */
export const LIGHTING_DEFAULTS = Object.freeze({
  stepM: 1,
  brokenLampLinkM: 15,
  darkReportRadiusM: 25,
  poiNearGapM: 150,
  measurementLinkM: 10,
  minGapM: 5,
  maxGaps: 500,
  gapStates: Object.freeze(["dark", "unknown"]) as readonly PieceState[],
});

/** Radius within which gap reasons look for the nearest working lamp, metres. */
const NEAREST_LAMP_SEARCH_M = 500;

export interface LightingModel {
  /** The paths, in input order: `pathIndex` in results indexes this. */
  readonly paths: readonly LightingPath[];
  /** The same paths as columns (made once; what hot loops over the paths read). */
  readonly pathColumns: LightingPathColumns;
  /** The lamps (removed ones left out), in input order, then added ones: LampChange indexes. */
  readonly lamps: readonly ResolvedLamp[];
  readonly projection: LocalProjection;
  /** Options with defaults filled in. */
  readonly settings: ResolvedSettings;
  /** Length of each path, metres. */
  pathLengthM(pathIndex: number): number;
  /** Coverage of the current state. A fresh object every call: its buffers may be transferred. */
  coverage(): CoverageResult;
  /** Illuminance of the current state (samples computed on the first call). */
  illuminance(): IlluminanceResult;
  /**
   * What a change would do, against the current state, without making it. With
   * `illuminance` (default: whether illuminance() has run) the pieces carry lux values too.
   */
  evaluate(change: LampChange, options?: { illuminance?: boolean }): ScenarioResult;
  /** Make a change part of the model (incremental, as evaluate). */
  apply(change: LampChange): void;
  /**
   * Score candidate lamp positions, each alone against the current state. `lamp` sets the
   * pole height and flux of every candidate (defaults otherwise). With `illuminance` (default:
   * whether illuminance() has run) usefulGainLuxM is filled.
   */
  scoreCandidates(
    points: readonly Position[],
    lamp?: Omit<NewLamp, "position" | "id">,
    options?: { illuminance?: boolean },
  ): CandidateScores;
  /** Maintained horizontal illuminance at a WGS 84 position, current state, lux. */
  illuminanceAt(position: Position): number;
  /** WGS 84 line of a piece (pieces from coverage() or illuminance()). */
  pieceLine(pieces: PathPieces, pieceIndex: number): Position[];
  /** WGS 84 line of a path between two distances along it, metres (e.g. a dark gap). */
  pathLine(pathIndex: number, startM: number, endM: number): Position[];
  /**
   * pathLine into `out` (longitude at 2k, latitude at 2k + 1), for writers of many pieces:
   * returns the number of positions. `out` needs room for the path's positions + 2.
   */
  pathLineInto(pathIndex: number, startM: number, endM: number, out: Float64Array): number;
  /** WGS 84 point at a distance along a path, metres (clamped to the path). */
  pathPoint(pathIndex: number, distanceM: number): Position;
  /** The nearest path within `maxM` of a WGS 84 position, with its class importance. */
  nearestPath(
    position: Position,
    maxM: number,
  ): { pathIndex: number; alongM: number; distanceM: number; importance: number } | null;
  /** Index of the lamp with this id or ref, or -1. */
  lampIndex(idOrRef: string): number;
}

export interface ResolvedSettings {
  radiusM: number | null;
  stepM: number;
  maintenanceFactor: number;
  distribution: IntensityDistribution;
  lampDefaults: LampDefaults;
  brokenLampLinkM: number;
  darkReportRadiusM: number;
  poiNearGapM: number;
  measurementLinkM: number;
  minGapM: number;
  maxGaps: number;
  gapStates: readonly PieceState[];
}

/** Per-path interval rows from a grouped base, with replacements for changed paths. */
class PathIntervals {
  readonly overrides = new Map<
    number,
    { start: Float64Array; end: Float64Array; tag: Uint32Array }
  >();
  constructor(private readonly base: GroupedIntervals) {}

  /** Sets view.start/end/tag/from/to to path p's rows. */
  view(p: number, view: IntervalView): IntervalView {
    const override = this.overrides.get(p);
    if (override !== undefined) {
      view.start = override.start;
      view.end = override.end;
      view.tag = override.tag;
      view.from = 0;
      view.to = override.start.length;
    } else {
      view.start = this.base.start;
      view.end = this.base.end;
      view.tag = this.base.tag;
      view.from = this.base.offset[p]!;
      view.to = this.base.offset[p + 1]!;
    }
    return view;
  }

  set(p: number, start: readonly number[], end: readonly number[], tag: readonly number[]): void {
    this.overrides.set(p, {
      start: Float64Array.from(start),
      end: Float64Array.from(end),
      tag: Uint32Array.from(tag),
    });
  }
}

interface IntervalView {
  start: Float64Array;
  end: Float64Array;
  tag: Uint32Array;
  from: number;
  to: number;
}

const emptyView = (): IntervalView => ({
  start: new Float64Array(0),
  end: new Float64Array(0),
  tag: new Uint32Array(0),
  from: 0,
  to: 0,
});

/** Growable piece columns. */
class PieceColumns {
  count = 0;
  pathIndex = new Uint32Array(1024);
  startM = new Float64Array(1024);
  endM = new Float64Array(1024);
  state = new Uint8Array(1024);

  /** Append, joining a piece that continues the previous one in the same state. */
  push(path: number, start: number, end: number, state: number): void {
    if (!(end > start)) return;
    const last = this.count - 1;
    if (
      last >= 0 &&
      this.pathIndex[last] === path &&
      this.state[last] === state &&
      this.endM[last] === start
    ) {
      this.endM[last] = end;
      return;
    }
    if (this.count === this.pathIndex.length) {
      const capacity = this.count * 2;
      const grow = <T extends Uint32Array | Float64Array | Uint8Array>(array: T): T => {
        const next = new (array.constructor as new (n: number) => T)(capacity);
        next.set(array);
        return next;
      };
      this.pathIndex = grow(this.pathIndex);
      this.startM = grow(this.startM);
      this.endM = grow(this.endM);
      this.state = grow(this.state);
    }
    const i = this.count++;
    this.pathIndex[i] = path;
    this.startM[i] = start;
    this.endM[i] = end;
    this.state[i] = state;
  }

  /** Exact-size copies (safe to transfer). */
  snapshot(): PathPieces {
    return {
      count: this.count,
      pathIndex: this.pathIndex.slice(0, this.count),
      startM: this.startM.slice(0, this.count),
      endM: this.endM.slice(0, this.count),
      state: this.state.slice(0, this.count),
    };
  }
}

interface Samples {
  /** Path p's samples are start[p] .. start[p + 1] - 1, at (k + 0.5) · spacing[p]. */
  start: Uint32Array;
  spacing: Float64Array;
  /** Maintained horizontal illuminance per sample, current state, lux. */
  lux: Float64Array;
  /** Zeroed scratch for scenario deltas, and the samples it touched. */
  scratch: Float64Array;
}

/** A lamp as the light loops need it. */
interface LightSource {
  x: number;
  y: number;
  heightM: number;
  /** maintenance factor × flux / 1000 × height: E = factor × I_klm(γ) / slant³. */
  factor: number;
  reachM: number;
}

const DEGREE = Math.PI / 180;

/** summarise's sums per class: path length, one per piece state, compliant length. */
const LENGTH_SUMS = 6;

function emptyTotals(): LengthTotals {
  return { pathsM: 0, litByLampM: 0, unlitM: 0, taggedLitM: 0, darkM: 0, unknownM: 0 };
}

function addState(totals: LengthTotals, state: number, lengthM: number): void {
  if (state === STATE_LIT_BY_LAMP) totals.litByLampM += lengthM;
  else if (state === STATE_TAGGED_LIT) totals.taggedLitM += lengthM;
  else if (state === STATE_DARK) totals.darkM += lengthM;
  else totals.unknownM += lengthM;
}

function finishTotals(totals: LengthTotals): void {
  // Defined as the sum, so the three always add up to it exactly.
  totals.unlitM = totals.taggedLitM + totals.darkM + totals.unknownM;
}

/**
 * The pieces of path p between a and b, which no lamp lights: dark where a dark report's
 * interval covers them (dark rows from `darkCursor` to `darkTo`), else `unlitState`. Returns
 * the cursor for the next stretch of the same path.
 */
function unlitPieces(
  pieces: PieceColumns,
  p: number,
  a: number,
  b: number,
  unlitState: number,
  dark: GroupedIntervals,
  darkCursor: number,
  darkTo: number,
): number {
  let position = a;
  while (darkCursor < darkTo && dark.end[darkCursor]! <= position) darkCursor++;
  for (let d = darkCursor; d < darkTo && dark.start[d]! < b; d++) {
    const ds = Math.max(dark.start[d]!, position);
    const de = Math.min(dark.end[d]!, b);
    if (ds > position) pieces.push(p, position, ds, unlitState);
    pieces.push(p, ds, de, STATE_DARK);
    position = de;
  }
  if (position < b) pieces.push(p, position, b, unlitState);
  return darkCursor;
}

/** A copy of `array` with room for `size` elements. */
function grown<T extends Float64Array | Uint32Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

/**
 * The box of the paths and lamps, checking on the way what a programmer must not pass:
 * paths with fewer than 2 positions, coordinates that are not finite numbers.
 */
function boundsOfInput(
  paths: LightingPathColumns,
  lamps: LightingLampColumns,
): [number, number, number, number] {
  let west = Number.POSITIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  const { vertexStart } = paths;
  let lonLat = paths.lonLat;
  for (let p = 0; p < paths.count; p++) {
    if (vertexStart[p + 1]! - vertexStart[p]! < 2) {
      throw new Error(
        `createLightingModel: paths[${p}] (${paths.id[p]}) has fewer than 2 positions`,
      );
    }
    for (let v = vertexStart[p]!; v < vertexStart[p + 1]!; v++) {
      const x = lonLat[2 * v]!;
      const y = lonLat[2 * v + 1]!;
      // NaN fails every comparison: caught by the check below.
      if (x < west) west = x;
      if (x > east) east = x;
      if (y < south) south = y;
      if (y > north) north = y;
      if (!(x - x === 0 && y - y === 0)) {
        throw new Error(
          `createLightingModel: paths[${p}] (${paths.id[p]}) has a non-finite position`,
        );
      }
    }
  }
  lonLat = lamps.lonLat;
  for (let i = 0; i < lamps.count; i++) {
    const x = lonLat[2 * i]!;
    const y = lonLat[2 * i + 1]!;
    if (!(x - x === 0 && y - y === 0)) {
      throw new Error(
        `createLightingModel: lamps[${i}] (${lamps.id(i)}) has a non-finite position`,
      );
    }
    if (x < west) west = x;
    if (x > east) east = x;
    if (y < south) south = y;
    if (y > north) north = y;
  }
  // Observations, points of interest and areas far from the paths do not widen the
  // projection: they only matter near paths (areas are clipped to them).
  if (!Number.isFinite(west)) return [0, 0, 0, 0];
  return [west, south, east, north];
}

function resolveSettings(options: LightingOptions): ResolvedSettings {
  const problem = lightingClassesProblem(options.classes);
  if (problem !== null) throw new Error(`createLightingModel: classes: ${problem}`);
  const radiusM = options.radiusM ?? null;
  if (radiusM !== null && !(radiusM > 0)) {
    throw new Error(`createLightingModel: radiusM must be > 0, got ${radiusM}`);
  }
  const stepM = options.stepM ?? LIGHTING_DEFAULTS.stepM;
  if (!(stepM > 0)) throw new Error(`createLightingModel: stepM must be > 0, got ${stepM}`);
  const maintenanceFactor = options.maintenanceFactor ?? DEFAULT_MAINTENANCE_FACTOR;
  if (!(maintenanceFactor > 0 && maintenanceFactor <= 1)) {
    throw new Error(
      `createLightingModel: maintenanceFactor must be in (0, 1], got ${maintenanceFactor}`,
    );
  }
  return {
    radiusM,
    stepM,
    maintenanceFactor,
    distribution: options.distribution ?? DEFAULT_DISTRIBUTION,
    lampDefaults: { ...LAMP_DEFAULTS, ...options.lampDefaults },
    brokenLampLinkM: options.brokenLampLinkM ?? LIGHTING_DEFAULTS.brokenLampLinkM,
    darkReportRadiusM: options.darkReportRadiusM ?? LIGHTING_DEFAULTS.darkReportRadiusM,
    poiNearGapM: options.poiNearGapM ?? LIGHTING_DEFAULTS.poiNearGapM,
    measurementLinkM: options.measurementLinkM ?? LIGHTING_DEFAULTS.measurementLinkM,
    minGapM: options.minGapM ?? LIGHTING_DEFAULTS.minGapM,
    maxGaps: options.maxGaps ?? LIGHTING_DEFAULTS.maxGaps,
    gapStates: options.gapStates ?? LIGHTING_DEFAULTS.gapStates,
  };
}

/** A representative point of an observation: the point, or the middle vertex of a line. */
function observationPoint(observation: LightingObservation): Position {
  const coordinates = observation.coordinates;
  if (typeof coordinates[0] === "number") return coordinates as Position;
  const line = coordinates as Position[];
  return line[Math.floor(line.length / 2)]!;
}

/**
 * Build the model: project, index, intersect every lamp with the paths. Throws for a
 * programmer error (a path with fewer than 2 positions, non-finite coordinates, bad
 * options); user files are checked before, by inputs.ts.
 */
export function createLightingModel(input: LightingInput, options: LightingOptions): LightingModel {
  return new Model(input, resolveSettings(options), options.classes);
}

class Model implements LightingModel {
  readonly pathColumns: LightingPathColumns;
  /** The input's path objects, or made from the columns when asked for. */
  private pathObjects: readonly LightingPath[] | null;
  readonly projection: LocalProjection;
  readonly settings: ResolvedSettings;
  private readonly classes: LightingClassesFile;
  private readonly network: Network;
  private readonly table: LampTable;
  private readonly observations: readonly LightingObservation[];
  private readonly pois: readonly LightingPoi[];
  private readonly poiXy: Float64Array;
  private readonly areas: readonly LightingArea[];
  private areaCache: Map<number, [number, number][]>[] | null = null;
  /** Per path: index into classKeys, importance, target P class (index, -1 none). */
  private readonly classKeys: string[];
  private readonly pathClassKey: Uint16Array;
  private readonly pathImportance: Float64Array;
  private readonly pathTarget: Int8Array;
  private readonly pathTargetAvgLux: Float64Array;
  private readonly pathLit: LitValue[];
  /** Every present lamp's intervals on every path (tag: lamp index). */
  private readonly raw: PathIntervals;
  /** Union of the intervals of lamps that are on (tag unused). */
  private readonly lit: PathIntervals;
  /** Dark reports' intervals (tag: observation index), and their union. */
  private readonly darkRaw: GroupedIntervals;
  private readonly darkUnion: GroupedIntervals;
  private readonly lampCounts: Omit<LampCounts, "working" | "off">;
  private samples: Samples | null = null;
  private pieces: PieceColumns | null = null;
  /** pieceOffset[p] .. pieceOffset[p + 1] - 1 are path p's pieces. */
  private pieceOffset: Uint32Array | null = null;
  private readonly intensity: (gammaDeg: number) => number;
  private lampLookup: Map<string, number> | null = null;
  private lampLookupCount = 0;
  private readonly viewA = emptyView();
  private readonly viewB = emptyView();

  constructor(input: LightingInput, settings: ResolvedSettings, classes: LightingClassesFile) {
    const paths = pathColumnsOf(input.paths);
    const lamps = lampColumnsOf(input.lamps);
    this.pathColumns = paths;
    this.pathObjects = paths === input.paths ? null : (input.paths as readonly LightingPath[]);
    this.settings = settings;
    this.classes = classes;
    this.projection = createLocalProjection(boundsOfInput(paths, lamps));
    this.network = buildNetwork(paths, this.projection);
    this.intensity = intensityFunction(settings.distribution);

    // Classes and targets per path.
    const keys = new Map<string, number>();
    this.classKeys = [];
    const pathCount = paths.count;
    this.pathClassKey = new Uint16Array(pathCount);
    this.pathImportance = new Float64Array(pathCount);
    this.pathTarget = new Int8Array(pathCount);
    this.pathTargetAvgLux = new Float64Array(pathCount);
    this.pathLit = new Array<LitValue>(pathCount);
    const pClassIndex = new Map(classes.pClasses.map((entry, index) => [entry.id, index]));
    // Per class key (a handful): importance, target class and its average.
    const keyImportance: number[] = [];
    const keyTarget: number[] = [];
    let previousClass: string | null | undefined;
    let k = -1;
    for (let p = 0; p < pathCount; p++) {
      const pathClass = paths.pathClass[p]!;
      if (pathClass !== previousClass) {
        previousClass = pathClass;
        const key = pathClass ?? UNCLASSIFIED;
        const known = keys.get(key);
        if (known === undefined) {
          k = this.classKeys.length;
          keys.set(key, k);
          this.classKeys.push(key);
          const target = targetOf(classes, pathClass);
          keyImportance.push(target.importance);
          keyTarget.push(
            target.targetClass === null ? -1 : (pClassIndex.get(target.targetClass) ?? -1),
          );
        } else {
          k = known;
        }
      }
      this.pathClassKey[p] = k;
      this.pathImportance[p] = keyImportance[k]!;
      const targetIndex = keyTarget[k]!;
      this.pathTarget[p] = targetIndex;
      this.pathTargetAvgLux[p] = targetIndex < 0 ? 0 : classes.pClasses[targetIndex]!.averageLux;
      this.pathLit[p] = paths.lit[p]!;
    }

    // Lamps: removed ones are left out; reports switch lamps off.
    this.table = new LampTable(this.projection, {
      radiusM: settings.radiusM,
      distribution: settings.distribution,
      defaults: settings.lampDefaults,
    });
    const removed = this.table.addInventory(lamps);
    this.observations = input.observations ?? [];
    let reportedBroken = 0;
    let unlinkedReports = 0;
    const point = new Float64Array(2);
    for (const observation of this.observations) {
      if (!observation.reportsBrokenLamp) continue;
      let lamp = observation.lampRef ? this.lampIndex(observation.lampRef) : -1;
      if (lamp < 0) {
        const position = observationPoint(observation);
        this.projection.forwardInto(position[0]!, position[1]!, point, 0);
        lamp = this.table.nearest(point[0]!, point[1]!, settings.brokenLampLinkM, () => true);
      }
      if (lamp < 0) {
        unlinkedReports++;
        continue;
      }
      this.table.linkReport(lamp, observation.id);
      if (this.table.offBecause(lamp) !== "reported_broken") {
        reportedBroken++;
        this.table.setOn(lamp, false, "reported_broken");
      }
    }
    this.lampCounts = {
      total: lamps.count,
      reportedBroken,
      removed,
      unlinkedReports,
    };

    // Every lamp's intervals, then the union of the working ones.
    const columns = new IntervalColumns(Math.max(1024, this.table.count * 4));
    const table = this.table;
    for (let i = 0; i < table.count; i++) {
      circleIntervalsInto(
        this.network,
        table.xy[2 * i]!,
        table.xy[2 * i + 1]!,
        table.radiusM[i]!,
        columns,
        i,
      );
    }
    const rawGrouped = groupByPath(columns, pathCount);
    this.raw = new PathIntervals(rawGrouped);
    this.lit = new PathIntervals(this.unionGrouped(rawGrouped, table.on));

    // Dark reports: the path within darkReportRadiusM of the report (a line: of its vertices
    // and points every half radius along it).
    const darkColumns = new IntervalColumns(64);
    this.observations.forEach((observation, index) => {
      if (!observation.reportsDark) return;
      for (const [x, y] of this.reportPoints(observation)) {
        forEachCircleInterval(this.network, x, y, settings.darkReportRadiusM, (path, start, end) =>
          darkColumns.push(path, start, end, index),
        );
      }
    });
    this.darkRaw = groupByPath(darkColumns, pathCount);
    this.darkUnion = this.unionGrouped(this.darkRaw, null);

    this.pois = input.pois ?? [];
    this.poiXy = new Float64Array(this.pois.length * 2);
    this.pois.forEach((poi, i) => {
      this.projection.forwardInto(poi.position[0]!, poi.position[1]!, this.poiXy, i);
    });
    this.areas = input.areas ?? [];
  }

  get paths(): readonly LightingPath[] {
    if (this.pathObjects === null) this.pathObjects = pathsOfColumns(this.pathColumns);
    return this.pathObjects;
  }

  get lamps(): readonly ResolvedLamp[] {
    return this.table.lamps;
  }

  pathLengthM(pathIndex: number): number {
    return this.network.pathLengthM[pathIndex] ?? Number.NaN;
  }

  lampIndex(idOrRef: string): number {
    // A map of ids and refs, made on first use and when lamps were added since.
    if (this.lampLookup === null || this.lampLookupCount !== this.table.count) {
      const lookup = new Map<string, number>();
      const table = this.table;
      const count = table.count;
      for (let i = count - 1; i >= 0; i--) {
        const ref = table.refOf(i);
        if (ref !== null) lookup.set(`ref:${ref}`, i);
        lookup.set(`id:${table.idOf(i)}`, i);
      }
      this.lampLookup = lookup;
      this.lampLookupCount = count;
    }
    return this.lampLookup.get(`id:${idOrRef}`) ?? this.lampLookup.get(`ref:${idOrRef}`) ?? -1;
  }

  /** Projected points of a dark report. */
  private reportPoints(observation: LightingObservation): [number, number][] {
    const coordinates = observation.coordinates;
    const point = new Float64Array(2);
    if (typeof coordinates[0] === "number") {
      const position = coordinates as Position;
      this.projection.forwardInto(position[0]!, position[1]!, point, 0);
      return [[point[0]!, point[1]!]];
    }
    const line = coordinates as Position[];
    const points: [number, number][] = [];
    const spacing = this.settings.darkReportRadiusM / 2;
    let previous: [number, number] | null = null;
    for (const position of line) {
      this.projection.forwardInto(position[0]!, position[1]!, point, 0);
      const current: [number, number] = [point[0]!, point[1]!];
      if (previous !== null) {
        const length = Math.hypot(current[0] - previous[0], current[1] - previous[1]);
        const steps = Math.floor(length / spacing);
        for (let k = 1; k <= steps; k++) {
          const f = (k * spacing) / length;
          points.push([
            previous[0] + f * (current[0] - previous[0]),
            previous[1] + f * (current[1] - previous[1]),
          ]);
        }
      }
      points.push(current);
      previous = current;
    }
    return points;
  }

  /** Per path, the union of the intervals (of lamps that are on, when `on` is given). */
  private unionGrouped(grouped: GroupedIntervals, on: Uint8Array | null): GroupedIntervals {
    const pathCount = this.network.pathCount;
    const offset = new Uint32Array(pathCount + 1);
    const start = new Float64Array(grouped.start.length);
    const end = new Float64Array(grouped.start.length);
    let count = 0;
    for (let p = 0; p < pathCount; p++) {
      count = unionInto(
        grouped.start,
        grouped.end,
        grouped.tag,
        grouped.offset[p]!,
        grouped.offset[p + 1]!,
        on,
        start,
        end,
        count,
      );
      offset[p + 1] = count;
    }
    return {
      offset,
      start: start.slice(0, count),
      end: end.slice(0, count),
      tag: new Uint32Array(count),
    };
  }

  // ---- pieces ------------------------------------------------------------------------------

  private tagState(p: number): number {
    const lit = this.pathLit[p];
    return lit === "yes" ? STATE_TAGGED_LIT : lit === "no" ? STATE_DARK : STATE_UNKNOWN;
  }

  private currentPieces(): { pieces: PieceColumns; offset: Uint32Array } {
    if (this.pieces !== null && this.pieceOffset !== null) {
      return { pieces: this.pieces, offset: this.pieceOffset };
    }
    const pieces = new PieceColumns();
    const pathCount = this.network.pathCount;
    const offset = new Uint32Array(pathCount + 1);
    const lit = this.viewA;
    const dark = this.darkUnion;
    for (let p = 0; p < pathCount; p++) {
      const length = this.network.pathLengthM[p]!;
      const unlitState = this.tagState(p);
      const darkTo = dark.offset[p + 1]!;
      let darkCursor = dark.offset[p]!;
      this.lit.view(p, lit);
      let position = 0;
      for (let i = lit.from; i < lit.to; i++) {
        const s = lit.start[i]!;
        const e = lit.end[i]!;
        if (s > position) {
          darkCursor = unlitPieces(pieces, p, position, s, unlitState, dark, darkCursor, darkTo);
        }
        pieces.push(p, Math.max(s, position), e, STATE_LIT_BY_LAMP);
        if (e > position) position = e;
      }
      if (position < length) {
        unlitPieces(pieces, p, position, length, unlitState, dark, darkCursor, darkTo);
      }
      offset[p + 1] = pieces.count;
    }
    this.pieces = pieces;
    this.pieceOffset = offset;
    return { pieces, offset };
  }

  private invalidate(): void {
    this.pieces = null;
    this.pieceOffset = null;
  }

  // ---- coverage ----------------------------------------------------------------------------

  coverage(): CoverageResult {
    const { pieces } = this.currentPieces();
    const snapshot = pieces.snapshot();
    const { byClass, totals } = this.summarise(snapshot, null);
    const { gaps, gapCount } = this.findGaps(snapshot);
    return {
      mode: "coverage",
      radiusM: this.settings.radiusM,
      pieces: snapshot,
      totals,
      byClass,
      byArea: this.summariseAreas(snapshot, null),
      gaps,
      gapCount,
      lamps: this.countLamps(),
      maxScaleError: this.projection.maxScaleError,
    };
  }

  private countLamps(): LampCounts {
    let working = 0;
    let original = 0;
    const { flags, on, count } = this.table;
    for (let i = 0; i < count; i++) {
      // Bit 4 of flags: added by a scenario (LampTable).
      if ((flags[i]! & 4) !== 0) continue;
      original++;
      if (on[i] === 1) working++;
    }
    return {
      ...this.lampCounts,
      working,
      off: original - working,
    };
  }

  private summarise(
    pieces: PathPieces,
    compliant: Int8Array | null,
  ): { byClass: ClassSummary[]; totals: LengthTotals } {
    // Sums in typed arrays, each in the order the objects summed them: per class (and at
    // LENGTH_SUMS * classes, the totals) path length, the four states, compliant length.
    const classes = this.classKeys.length;
    const sums = new Float64Array(LENGTH_SUMS * (classes + 1));
    const all = LENGTH_SUMS * classes;
    const { pathLengthM, pathCount } = this.network;
    const classKey = this.pathClassKey;
    for (let p = 0; p < pathCount; p++) {
      const length = pathLengthM[p]!;
      sums[all]! += length;
      sums[LENGTH_SUMS * classKey[p]!]! += length;
    }
    const { pathIndex, startM, endM, state } = pieces;
    for (let i = 0; i < pieces.count; i++) {
      const length = endM[i]! - startM[i]!;
      const base = LENGTH_SUMS * classKey[pathIndex[i]!]!;
      sums[all + 1 + state[i]!]! += length;
      sums[base + 1 + state[i]!]! += length;
      if (compliant !== null && compliant[i] === 1) sums[base + 5]! += length;
    }
    const totalsOf = (base: number) => ({
      pathsM: sums[base]!,
      litByLampM: sums[base + 1 + STATE_LIT_BY_LAMP]!,
      unlitM: 0,
      taggedLitM: sums[base + 1 + STATE_TAGGED_LIT]!,
      darkM: sums[base + 1 + STATE_DARK]!,
      unknownM: sums[base + 1 + STATE_UNKNOWN]!,
    });
    const totals = totalsOf(all);
    finishTotals(totals);
    const perClass = this.classKeys.map((_, k) => ({
      ...totalsOf(LENGTH_SUMS * k),
      compliantM: sums[LENGTH_SUMS * k + 5]!,
    }));
    return { byClass: this.classSummaries(perClass, compliant !== null), totals };
  }

  private classSummaries(
    perClass: (LengthTotals & { compliantM: number })[],
    withCompliance: boolean,
  ): ClassSummary[] {
    const order = Object.keys(this.classes.pathClasses);
    const rank = (key: string) => {
      const index = order.indexOf(key);
      return index < 0 ? order.length : index;
    };
    return this.classKeys
      .map((key, k) => ({ key, k }))
      .filter(({ k }) => perClass[k]!.pathsM > 0)
      .sort((a, b) => rank(a.key) - rank(b.key) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ key, k }) => {
        const entry = perClass[k]!;
        finishTotals(entry);
        const target = targetOf(this.classes, key === UNCLASSIFIED ? null : key);
        const judged = withCompliance && target.targetClass !== null;
        return {
          pathClass: key,
          targetClass: target.targetClass,
          importance: target.importance,
          pathsM: entry.pathsM,
          litByLampM: entry.litByLampM,
          unlitM: entry.unlitM,
          taggedLitM: entry.taggedLitM,
          darkM: entry.darkM,
          unknownM: entry.unknownM,
          compliantM: judged ? entry.compliantM : null,
          compliantShare: judged && entry.pathsM > 0 ? entry.compliantM / entry.pathsM : null,
        };
      });
  }

  private summariseAreas(pieces: PathPieces, compliant: Int8Array | null): AreaSummary[] {
    if (this.areas.length === 0) return [];
    if (this.areaCache === null) {
      this.areaCache = this.areas.map((area) => areaStretches(area, this.network, this.projection));
    }
    const { offset } = this.currentPieces();
    return this.areas.map((area, areaIndex) => {
      const stretches = this.areaCache![areaIndex]!;
      const totals = emptyTotals();
      const perClass = this.classKeys.map(() => ({ ...emptyTotals(), compliantM: 0 }));
      let compliantM = 0;
      let judgedM = 0;
      for (const [p, list] of stretches) {
        const entry = perClass[this.pathClassKey[p]!]!;
        for (const [a, b] of list) {
          totals.pathsM += b - a;
          entry.pathsM += b - a;
        }
        for (let i = offset[p]!; i < offset[p + 1]!; i++) {
          const start = pieces.startM[i]!;
          const end = pieces.endM[i]!;
          let inside = 0;
          for (const [a, b] of list) {
            const overlap = Math.min(b, end) - Math.max(a, start);
            if (overlap > 0) inside += overlap;
          }
          if (inside <= 0) continue;
          addState(totals, pieces.state[i]!, inside);
          addState(entry, pieces.state[i]!, inside);
          if (compliant !== null && compliant[i]! >= 0) {
            judgedM += inside;
            if (compliant[i] === 1) {
              compliantM += inside;
              entry.compliantM += inside;
            }
          }
        }
      }
      finishTotals(totals);
      return {
        areaIndex,
        id: area.id,
        name: area.name ?? null,
        ...totals,
        compliantM: compliant === null ? null : compliantM,
        compliantShare: compliant === null || judgedM === 0 ? null : compliantM / judgedM,
        byClass: this.classSummaries(perClass, compliant !== null),
      };
    });
  }

  // ---- gaps --------------------------------------------------------------------------------

  private findGaps(pieces: PathPieces): { gaps: DarkGap[]; gapCount: number } {
    const wanted = new Uint8Array(PIECE_STATES.length);
    for (const state of this.settings.gapStates) wanted[PIECE_STATES.indexOf(state)] = 1;
    // The gaps as columns (a city has thousands): path, start, end, score, length per state.
    const states = PIECE_STATES.length;
    let capacity = 1024;
    let gapPath = new Uint32Array(capacity);
    let gapStart = new Float64Array(capacity);
    let gapEnd = new Float64Array(capacity);
    let gapScore = new Float64Array(capacity);
    let gapByState = new Float64Array(capacity * states);
    let count = 0;
    const { pathIndex, startM, endM, state } = pieces;
    const minGapM = this.settings.minGapM;
    let i = 0;
    while (i < pieces.count) {
      if (wanted[state[i]!] !== 1) {
        i++;
        continue;
      }
      const p = pathIndex[i]!;
      const start = startM[i]!;
      if (count === capacity) {
        capacity *= 2;
        gapPath = grown(gapPath, capacity);
        gapStart = grown(gapStart, capacity);
        gapEnd = grown(gapEnd, capacity);
        gapScore = grown(gapScore, capacity);
        gapByState = grown(gapByState, capacity * states);
      }
      let end = start;
      while (
        i < pieces.count &&
        pathIndex[i] === p &&
        wanted[state[i]!] === 1 &&
        startM[i] === end
      ) {
        gapByState[count * states + state[i]!]! += endM[i]! - startM[i]!;
        end = endM[i]!;
        i++;
      }
      const length = end - start;
      if (length >= minGapM) {
        gapPath[count] = p;
        gapStart[count] = start;
        gapEnd[count] = end;
        gapScore[count] = length * this.pathImportance[p]!;
        count++;
      } else {
        for (let k = 0; k < states; k++) gapByState[count * states + k] = 0;
      }
    }
    // Worst first: score, then path, then start (a total order, so any correct sort agrees).
    const before = (a: number, b: number) =>
      gapScore[b]! - gapScore[a]! || gapPath[a]! - gapPath[b]! || gapStart[a]! - gapStart[b]!;
    const listed = Math.min(count, this.settings.maxGaps);
    let order: number[];
    if (listed > 0 && listed * 8 < count) {
      // Only the first few are described: keep the best `listed` while going through them.
      order = [];
      for (let g = 0; g < count; g++) {
        if (order.length === listed && before(g, order[listed - 1]!) >= 0) continue;
        let at = order.length === listed ? listed - 1 : order.length;
        while (at > 0 && before(g, order[at - 1]!) < 0) {
          order[at] = order[at - 1]!;
          at--;
        }
        order[at] = g;
      }
    } else {
      order = Array.from({ length: count }, (_, g) => g).sort(before);
    }
    const gaps: DarkGap[] = [];
    for (let rank = 0; rank < listed; rank++) {
      const g = order[rank]!;
      gaps.push(
        this.describeGap(
          {
            p: gapPath[g]!,
            start: gapStart[g]!,
            end: gapEnd[g]!,
            byState: gapByState.subarray(g * states, (g + 1) * states),
            score: gapScore[g]!,
          },
          rank + 1,
        ),
      );
    }
    return { gaps, gapCount: count };
  }

  private describeGap(
    gap: { p: number; start: number; end: number; byState: Float64Array; score: number },
    rank: number,
  ): DarkGap {
    const { p, start, end } = gap;
    const paths = this.pathColumns;
    const middle = new Float64Array(2);
    projectedAt(this.network, p, (start + end) / 2, middle);
    // Nearest working lamp to the middle of the gap.
    const table = this.table;
    const nearestWorkingLampM = table.nearestDistanceM(
      middle[0]!,
      middle[1]!,
      NEAREST_LAMP_SEARCH_M,
      (i) => table.on[i] === 1,
    );
    // Lamps whose circle reaches into the gap but are off.
    const offLampIds: string[] = [];
    const reportedBrokenLampIds: string[] = [];
    const raw = this.raw.view(p, this.viewB);
    const seen = new Set<number>();
    for (let i = raw.from; i < raw.to; i++) {
      const lamp = raw.tag[i]!;
      if (table.on[lamp] === 1 || seen.has(lamp)) continue;
      if (raw.end[i]! > start && raw.start[i]! < end) {
        seen.add(lamp);
        offLampIds.push(table.idOf(lamp));
        if (table.offBecause(lamp) === "reported_broken")
          reportedBrokenLampIds.push(table.idOf(lamp));
      }
    }
    const darkReportIds: string[] = [];
    const seenReports = new Set<number>();
    for (let i = this.darkRaw.offset[p]!; i < this.darkRaw.offset[p + 1]!; i++) {
      const report = this.darkRaw.tag[i]!;
      if (seenReports.has(report)) continue;
      if (this.darkRaw.end[i]! > start && this.darkRaw.start[i]! < end) {
        seenReports.add(report);
        darkReportIds.push(this.observations[report]!.id);
      }
    }
    const length = end - start;
    return {
      rank,
      pathIndex: p,
      pathId: paths.id[p]!,
      pathClass: this.classKeys[this.pathClassKey[p]!]!,
      name: paths.name[p] ?? null,
      startM: start,
      endM: end,
      lengthM: length,
      start: positionAt(this.network, p, start),
      end: positionAt(this.network, p, end),
      taggedLitM: gap.byState[STATE_TAGGED_LIT]!,
      darkM: gap.byState[STATE_DARK]!,
      unknownM: gap.byState[STATE_UNKNOWN]!,
      importance: this.pathImportance[p]!,
      score: gap.score,
      nearby: this.poisNear(p, start, end, middle),
      reasons: {
        nearestWorkingLampM,
        offLampIds,
        reportedBrokenLampIds,
        lit: this.pathLit[p]!,
        darkReportIds,
      },
    };
  }

  /** Points of interest within poiNearGapM of a stretch, nearest first. */
  private poisNear(p: number, start: number, end: number, middle: Float64Array): NearbyPoi[] {
    if (this.pois.length === 0) return [];
    const limit = this.settings.poiNearGapM;
    // Every point of the stretch is within half its length (along it) of the middle.
    const search = limit + (end - start) / 2;
    const nearby: NearbyPoi[] = [];
    for (let i = 0; i < this.pois.length; i++) {
      const x = this.poiXy[2 * i]!;
      const y = this.poiXy[2 * i + 1]!;
      if (Math.abs(x - middle[0]!) > search || Math.abs(y - middle[1]!) > search) continue;
      const distance = distanceToStretchM(this.network, p, start, end, x, y);
      if (distance <= limit) {
        const poi = this.pois[i]!;
        nearby.push({
          poiIndex: i,
          id: poi.id,
          kind: poi.kind,
          name: poi.name ?? null,
          distanceM: distance,
        });
      }
    }
    return nearby.sort((a, b) => a.distanceM - b.distanceM);
  }

  // ---- illuminance -------------------------------------------------------------------------

  private lightSource(i: number): LightSource {
    const t = this.table;
    const heightM = t.heightM[i]!;
    return {
      x: t.xy[2 * i]!,
      y: t.xy[2 * i + 1]!,
      heightM,
      factor: (this.settings.maintenanceFactor * t.fluxLm[i]! * heightM) / 1000,
      reachM: t.reachM[i]!,
    };
  }

  private newLightSource(lamp: NewLamp, xy: Float64Array): LightSource {
    const values = resolveLampValues(
      { poleHeightM: lamp.poleHeightM ?? null, luminousFluxLm: lamp.luminousFluxLm ?? null },
      {
        radiusM: this.settings.radiusM,
        distribution: this.settings.distribution,
        defaults: this.settings.lampDefaults,
      },
    );
    return {
      x: xy[0]!,
      y: xy[1]!,
      heightM: values.poleHeightM,
      factor: (this.settings.maintenanceFactor * values.luminousFluxLm * values.poleHeightM) / 1000,
      reachM: values.reachM,
    };
  }

  private ensureSamples(): Samples {
    if (this.samples !== null) return this.samples;
    const { pathCount, pathLengthM } = this.network;
    const start = new Uint32Array(pathCount + 1);
    const spacing = new Float64Array(pathCount);
    const step = this.settings.stepM;
    for (let p = 0; p < pathCount; p++) {
      const length = pathLengthM[p]!;
      const n = length > 0 ? Math.max(1, Math.round(length / step)) : 0;
      spacing[p] = n > 0 ? length / n : 0;
      start[p + 1] = start[p]! + n;
    }
    const total = start[pathCount]!;
    const samples: Samples = {
      start,
      spacing,
      lux: new Float64Array(total),
      scratch: new Float64Array(total),
    };
    this.samples = samples;
    for (let i = 0; i < this.table.count; i++) {
      if (this.table.on[i] === 1) this.scatter(this.lightSource(i), 1, samples.lux, null);
    }
    return samples;
  }

  /**
   * Add sign × the lamp's light to every sample within its reach (into `target`, indexed like
   * samples.lux), recording the touched sample indexes when `touched` is given.
   */
  private scatter(
    light: LightSource,
    sign: number,
    target: Float64Array,
    touched: number[] | null,
  ): void {
    const samples = this.samples!;
    const { xy, cumM, segmentVertex } = this.network;
    const { start: sampleStart, spacing } = samples;
    const intensity = this.intensity;
    const h = light.heightM;
    const h2 = h * h;
    const factor = sign * light.factor;
    forEachCircleInterval(this.network, light.x, light.y, light.reachM, (path, s0, s1, segment) => {
      const step = spacing[path]!;
      const first = sampleStart[path]!;
      const n = sampleStart[path + 1]! - first;
      const a = segmentVertex[segment]!;
      const cumA = cumM[a]!;
      const cumB = cumM[a + 1]!;
      // Samples this segment owns (offset in [cumA, cumB)) that lie in [s0, s1].
      let k0 = Math.ceil(cumA / step - 0.5);
      let k1 = Math.ceil(cumB / step - 0.5) - 1;
      const c0 = Math.ceil(s0 / step - 0.5);
      const c1 = Math.floor(s1 / step - 0.5);
      if (c0 > k0) k0 = c0;
      if (c1 < k1) k1 = c1;
      if (k0 < 0) k0 = 0;
      if (k1 > n - 1) k1 = n - 1;
      if (k1 < k0) return;
      const ax = xy[2 * a]!;
      const ay = xy[2 * a + 1]!;
      const length = cumB - cumA;
      const ux = (xy[2 * a + 2]! - ax) / length;
      const uy = (xy[2 * a + 3]! - ay) / length;
      const px = light.x - ax;
      const py = light.y - ay;
      const along = px * ux + py * uy;
      const perpendicular2 = Math.max(0, px * px + py * py - along * along);
      for (let k = k0; k <= k1; k++) {
        const offset = (k + 0.5) * step - cumA - along;
        const d2 = offset * offset + perpendicular2;
        const slant2 = d2 + h2;
        const value =
          (factor * intensity(Math.atan2(Math.sqrt(d2), h) / DEGREE)) /
          (slant2 * Math.sqrt(slant2));
        if (value === 0) continue;
        target[first + k]! += value;
        touched?.push(first + k);
      }
    });
  }

  /** Light at a projected point from the lamps that are on, plus/minus extra sources. */
  private luxAtXy(x: number, y: number): number {
    const table = this.table;
    const index = table.index;
    if (index === null) return 0;
    let total = 0;
    const reach = table.maxReachM;
    index.search(x - reach, y - reach, x + reach, y + reach, (i) => {
      if (table.on[i] === 1) total += this.luxFrom(this.lightSource(i), x, y);
      return false;
    });
    return total;
  }

  private luxFrom(light: LightSource, x: number, y: number): number {
    const d2 = (x - light.x) ** 2 + (y - light.y) ** 2;
    if (d2 >= light.reachM * light.reachM) return 0;
    const h = light.heightM;
    const slant2 = d2 + h * h;
    return (
      (light.factor * this.intensity(Math.atan2(Math.sqrt(d2), h) / DEGREE)) /
      (slant2 * Math.sqrt(slant2))
    );
  }

  illuminanceAt(position: Position): number {
    const point = new Float64Array(2);
    this.projection.forwardInto(position[0]!, position[1]!, point, 0);
    return this.luxAtXy(point[0]!, point[1]!);
  }

  /** Sample range [from, to) of a piece of path p. */
  private sampleRange(p: number, startM: number, endM: number): [number, number] {
    const samples = this.samples!;
    const first = samples.start[p]!;
    const n = samples.start[p + 1]! - first;
    const step = samples.spacing[p]!;
    if (n === 0) return [first, first];
    const from = Math.min(n, Math.max(0, Math.ceil(startM / step - 0.5)));
    const to =
      endM >= this.network.pathLengthM[p]!
        ? n
        : Math.min(n, Math.max(0, Math.ceil(endM / step - 0.5)));
    return [first + from, first + Math.max(from, to)];
  }

  /** Average and minimum over a piece; a piece shorter than the spacing: its middle. */
  private pieceLux(
    p: number,
    startM: number,
    endM: number,
    lux: Float64Array,
    delta: Float64Array | null,
    pointDelta: (x: number, y: number) => number,
  ): { average: number; minimum: number } {
    const [from, to] = this.sampleRange(p, startM, endM);
    if (to > from) {
      let sum = 0;
      let minimum = Number.POSITIVE_INFINITY;
      for (let k = from; k < to; k++) {
        const value = delta === null ? lux[k]! : lux[k]! + delta[k]!;
        sum += value;
        if (value < minimum) minimum = value;
      }
      return { average: sum / (to - from), minimum };
    }
    const middle = new Float64Array(2);
    projectedAt(this.network, p, (startM + endM) / 2, middle);
    const value = this.luxAtXy(middle[0]!, middle[1]!) + pointDelta(middle[0]!, middle[1]!);
    return { average: value, minimum: value };
  }

  illuminance(): IlluminanceResult {
    const samples = this.ensureSamples();
    const coverage = this.coverage();
    const pieces = coverage.pieces;
    const eAvgLux = new Float64Array(pieces.count);
    const eMinLux = new Float64Array(pieces.count);
    const uniformity = new Float64Array(pieces.count);
    const targetClassIndex = new Int8Array(pieces.count);
    const compliant = new Int8Array(pieces.count);
    const noDelta = () => 0;
    for (let i = 0; i < pieces.count; i++) {
      const p = pieces.pathIndex[i]!;
      const { average, minimum } = this.pieceLux(
        p,
        pieces.startM[i]!,
        pieces.endM[i]!,
        samples.lux,
        null,
        noDelta,
      );
      eAvgLux[i] = average;
      eMinLux[i] = minimum;
      uniformity[i] = average > 0 ? minimum / average : Number.NaN;
      const target = this.pathTarget[p]!;
      targetClassIndex[i] = target;
      compliant[i] = target < 0 ? -1 : this.meets(target, average, minimum) ? 1 : 0;
    }
    const { byClass } = this.summarise(pieces, compliant);
    return {
      ...coverage,
      mode: "illuminance",
      byClass,
      byArea: this.summariseAreas(pieces, compliant),
      stepM: this.settings.stepM,
      maintenanceFactor: this.settings.maintenanceFactor,
      eAvgLux,
      eMinLux,
      uniformity,
      targetClassIndex,
      compliant,
      measurements: this.measurements(),
    };
  }

  private meets(target: number, average: number, minimum: number): boolean {
    const pClass: PClass = this.classes.pClasses[target]!;
    return average >= pClass.averageLux && minimum >= pClass.minimumLux;
  }

  private measurements(): Measurement[] {
    const result: Measurement[] = [];
    const point = new Float64Array(2);
    for (const observation of this.observations) {
      if (observation.illuminanceLux === null || !Number.isFinite(observation.illuminanceLux))
        continue;
      const position = observationPoint(observation);
      this.projection.forwardInto(position[0]!, position[1]!, point, 0);
      const near = nearestOnNetwork(
        this.network,
        point[0]!,
        point[1]!,
        this.settings.measurementLinkM,
      );
      result.push({
        observationId: observation.id,
        position: [position[0]!, position[1]!],
        measuredLux: observation.illuminanceLux,
        modelledLux: this.luxAtXy(point[0]!, point[1]!),
        pathIndex: near?.path ?? null,
        distanceToPathM: near?.distanceM ?? null,
      });
    }
    return result;
  }

  // ---- scenarios ---------------------------------------------------------------------------

  private checkLampIndexes(name: string, indexes: readonly number[] | undefined): void {
    for (const index of indexes ?? []) {
      if (!Number.isInteger(index) || index < 0 || index >= this.table.count) {
        throw new RangeError(`${name}: ${index} is not a lamp index (0..${this.table.count - 1})`);
      }
    }
  }

  /** Which lamps change: those switched on and those switched off by the change. */
  private plan(change: LampChange): {
    added: { lamp: NewLamp; xy: Float64Array; radiusM: number; light: LightSource }[];
    turnOn: Set<number>;
    turnOff: Set<number>;
  } {
    this.checkLampIndexes("repair", change.repair);
    this.checkLampIndexes("remove", change.remove);
    const removing = new Set(change.remove ?? []);
    const turnOn = new Set<number>();
    for (const i of change.repair ?? [])
      if (this.table.on[i] === 0 && !removing.has(i)) turnOn.add(i);
    const turnOff = new Set<number>();
    for (const i of removing) if (this.table.on[i] === 1) turnOff.add(i);
    const added = (change.add ?? []).map((lamp) => {
      if (!Number.isFinite(lamp.position[0]) || !Number.isFinite(lamp.position[1])) {
        throw new Error(`add: a lamp position is not finite: ${JSON.stringify(lamp.position)}`);
      }
      const xy = new Float64Array(2);
      this.projection.forwardInto(lamp.position[0]!, lamp.position[1]!, xy, 0);
      const values = resolveLampValues(
        { poleHeightM: lamp.poleHeightM ?? null, luminousFluxLm: lamp.luminousFluxLm ?? null },
        {
          radiusM: this.settings.radiusM,
          distribution: this.settings.distribution,
          defaults: this.settings.lampDefaults,
        },
      );
      return { lamp, xy, radiusM: values.radiusM, light: this.newLightSource(lamp, xy) };
    });
    return { added, turnOn, turnOff };
  }

  /** Paths within R of the changed lamps, with the added lamps' intervals per path. */
  private touchedPaths(plan: ReturnType<Model["plan"]>): Map<number, [number, number][]> {
    const touched = new Map<number, [number, number][]>();
    const mark = (path: number) => {
      let list = touched.get(path);
      if (list === undefined) {
        list = [];
        touched.set(path, list);
      }
      return list;
    };
    for (const added of plan.added) {
      forEachCircleInterval(
        this.network,
        added.xy[0]!,
        added.xy[1]!,
        added.radiusM,
        (path, start, end) => {
          mark(path).push([start, end]);
        },
      );
    }
    const table = this.table;
    for (const i of [...plan.turnOn, ...plan.turnOff]) {
      forEachCircleInterval(
        this.network,
        table.xy[2 * i]!,
        table.xy[2 * i + 1]!,
        table.radiusM[i]!,
        (path) => {
          mark(path);
        },
      );
    }
    return touched;
  }

  /** The lit union of path p after the change. */
  private litAfter(
    p: number,
    extra: readonly [number, number][],
    onAfter: (lamp: number) => boolean,
  ): { start: number[]; end: number[] } {
    const raw = this.raw.view(p, this.viewB);
    const pairs: [number, number][] = [...extra];
    for (let i = raw.from; i < raw.to; i++)
      if (onAfter(raw.tag[i]!)) pairs.push([raw.start[i]!, raw.end[i]!]);
    const union = unionOfPairs(pairs);
    return { start: union.map((pair) => pair[0]), end: union.map((pair) => pair[1]) };
  }

  evaluate(change: LampChange, options: { illuminance?: boolean } = {}): ScenarioResult {
    const withLight = options.illuminance ?? this.samples !== null;
    const samples = withLight ? this.ensureSamples() : null;
    const plan = this.plan(change);
    const table = this.table;
    const onAfter = (lamp: number) =>
      plan.turnOn.has(lamp) ? true : plan.turnOff.has(lamp) ? false : table.on[lamp] === 1;
    const touched = this.touchedPaths(plan);
    const { pieces, offset } = this.currentPieces();

    const changes = new Map<number, PieceChange>();
    const changeOf = (i: number): PieceChange => {
      let entry = changes.get(i);
      if (entry === undefined) {
        entry = {
          pieceIndex: i,
          pathIndex: pieces.pathIndex[i]!,
          startM: pieces.startM[i]!,
          endM: pieces.endM[i]!,
          stateBefore: PIECE_STATES[pieces.state[i]!]!,
          newlyLitM: 0,
          newlyUnlitM: 0,
        };
        changes.set(i, entry);
      }
      return entry;
    };
    let newlyLitM = 0;
    let newlyUnlitM = 0;
    let weightedNewlyLitM = 0;
    for (const [p, extra] of touched) {
      const after = this.litAfter(p, extra, onAfter);
      for (let i = offset[p]!; i < offset[p + 1]!; i++) {
        const start = pieces.startM[i]!;
        const end = pieces.endM[i]!;
        const covered = coveredLength(after.start, after.end, 0, after.start.length, start, end);
        if (pieces.state[i] === STATE_LIT_BY_LAMP) {
          const lost = end - start - covered;
          if (lost > 1e-9) {
            changeOf(i).newlyUnlitM = lost;
            newlyUnlitM += lost;
            weightedNewlyLitM -= lost * this.pathImportance[p]!;
          }
        } else if (covered > 1e-9) {
          changeOf(i).newlyLitM = covered;
          newlyLitM += covered;
          weightedNewlyLitM += covered * this.pathImportance[p]!;
        }
      }
    }

    const result: ScenarioResult = {
      pieces: [],
      newlyLitM,
      newlyUnlitM,
      weightedNewlyLitM,
      recomputedPaths: touched.size,
    };
    if (samples !== null) {
      const delta = samples.scratch;
      const touchedSamples: number[] = [];
      const sources: { light: LightSource; sign: number }[] = [
        ...plan.added.map((added) => ({ light: added.light, sign: 1 })),
        ...[...plan.turnOn].map((i) => ({ light: this.lightSource(i), sign: 1 })),
        ...[...plan.turnOff].map((i) => ({ light: this.lightSource(i), sign: -1 })),
      ];
      for (const { light, sign } of sources) this.scatter(light, sign, delta, touchedSamples);
      const pointDelta = (x: number, y: number) =>
        sources.reduce((sum, { light, sign }) => sum + sign * this.luxFrom(light, x, y), 0);
      // Paths with changed samples, and paths within reach of a change that have pieces
      // without samples (shorter than the spacing).
      const lightPaths = new Set<number>(touched.keys());
      for (const k of touchedSamples) lightPaths.add(this.pathOfSample(k));
      for (const { light } of sources) {
        forEachCircleInterval(this.network, light.x, light.y, light.reachM, (path) => {
          lightPaths.add(path);
        });
      }
      let newlyCompliantM = 0;
      let noLongerCompliantM = 0;
      let gainLuxM = 0;
      const noDelta = () => 0;
      for (const p of lightPaths) {
        const step = samples.spacing[p]!;
        for (let i = offset[p]!; i < offset[p + 1]!; i++) {
          const start = pieces.startM[i]!;
          const end = pieces.endM[i]!;
          const before = this.pieceLux(p, start, end, samples.lux, null, noDelta);
          const after = this.pieceLux(p, start, end, samples.lux, delta, pointDelta);
          const [from, to] = this.sampleRange(p, start, end);
          let gain = 0;
          if (to > from) for (let k = from; k < to; k++) gain += delta[k]! * step;
          else gain = (after.average - before.average) * (end - start);
          const existing = changes.get(i);
          if (existing === undefined && Math.abs(gain) < 1e-9) continue;
          const entry = changeOf(i);
          entry.eAvgLuxBefore = before.average;
          entry.eAvgLuxAfter = after.average;
          entry.eMinLuxBefore = before.minimum;
          entry.eMinLuxAfter = after.minimum;
          const target = this.pathTarget[p]!;
          entry.compliantBefore =
            target < 0 ? null : this.meets(target, before.average, before.minimum);
          entry.compliantAfter =
            target < 0 ? null : this.meets(target, after.average, after.minimum);
          entry.illuminanceGainLuxM = gain;
          gainLuxM += gain;
          if (entry.compliantAfter === true && entry.compliantBefore === false)
            newlyCompliantM += end - start;
          if (entry.compliantAfter === false && entry.compliantBefore === true)
            noLongerCompliantM += end - start;
        }
      }
      for (const k of touchedSamples) delta[k] = 0;
      result.newlyCompliantM = newlyCompliantM;
      result.noLongerCompliantM = noLongerCompliantM;
      result.illuminanceGainLuxM = gainLuxM;
    }
    result.pieces = [...changes.values()].sort((a, b) => a.pieceIndex - b.pieceIndex);
    return result;
  }

  private pathOfSample(k: number): number {
    const start = this.samples!.start;
    let low = 0;
    let high = this.network.pathCount - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (start[mid]! <= k) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  apply(change: LampChange): void {
    const plan = this.plan(change);
    const table = this.table;
    const touched = this.touchedPaths(plan);
    // New lamps join the table; their intervals join the raw rows of the paths they reach.
    const firstNew = table.add(
      plan.added.map((added, k) => ({
        position: [added.lamp.position[0]!, added.lamp.position[1]!],
        poleHeightM: added.lamp.poleHeightM ?? null,
        luminousFluxLm: added.lamp.luminousFluxLm ?? null,
        id: added.lamp.id ?? `added-${table.count + k}`,
        added: true as const,
      })),
    );
    const newRaw = new Map<number, { start: number[]; end: number[]; tag: number[] }>();
    plan.added.forEach((added, k) => {
      forEachCircleInterval(
        this.network,
        added.xy[0]!,
        added.xy[1]!,
        added.radiusM,
        (path, start, end) => {
          let rows = newRaw.get(path);
          if (rows === undefined) {
            rows = { start: [], end: [], tag: [] };
            newRaw.set(path, rows);
          }
          rows.start.push(start);
          rows.end.push(end);
          rows.tag.push(firstNew + k);
        },
      );
    });
    for (const [p, rows] of newRaw) {
      const view = this.raw.view(p, this.viewB);
      const all: [number, number, number][] = [];
      for (let i = view.from; i < view.to; i++)
        all.push([view.start[i]!, view.end[i]!, view.tag[i]!]);
      for (let i = 0; i < rows.start.length; i++) {
        all.push([rows.start[i]!, rows.end[i]!, rows.tag[i]!]);
      }
      all.sort((a, b) => a[0] - b[0]);
      this.raw.set(
        p,
        all.map((row) => row[0]),
        all.map((row) => row[1]),
        all.map((row) => row[2]),
      );
    }
    // Light: apply the deltas to the samples before the switches change `on`.
    if (this.samples !== null) {
      for (const added of plan.added) this.scatter(added.light, 1, this.samples.lux, null);
      for (const i of plan.turnOn) this.scatter(this.lightSource(i), 1, this.samples.lux, null);
      for (const i of plan.turnOff) this.scatter(this.lightSource(i), -1, this.samples.lux, null);
    }
    for (const i of plan.turnOn) table.setOn(i, true, null);
    for (const i of plan.turnOff) table.setOn(i, false, "removed");
    for (const p of touched.keys()) {
      const union = this.litAfter(p, [], (lamp) => table.on[lamp] === 1);
      this.lit.set(p, union.start, union.end, new Array<number>(union.start.length).fill(0));
    }
    this.invalidate();
  }

  scoreCandidates(
    points: readonly Position[],
    lamp: Omit<NewLamp, "position" | "id"> = {},
    options: { illuminance?: boolean } = {},
  ): CandidateScores {
    const withLight = options.illuminance ?? this.samples !== null;
    const samples = withLight ? this.ensureSamples() : null;
    const count = points.length;
    const newlyLitM = new Float64Array(count);
    const weightedNewlyLitM = new Float64Array(count);
    const usefulGainLuxM = samples === null ? null : new Float64Array(count);
    const xy = new Float64Array(2);
    const template = this.newLightSource({ ...lamp, position: [0, 0] }, xy);
    const radiusM = resolveLampValues(
      { poleHeightM: lamp.poleHeightM ?? null, luminousFluxLm: lamp.luminousFluxLm ?? null },
      {
        radiusM: this.settings.radiusM,
        distribution: this.settings.distribution,
        defaults: this.settings.lampDefaults,
      },
    ).radiusM;
    const hitPath: number[] = [];
    const hitStart: number[] = [];
    const hitEnd: number[] = [];
    const touchedSamples: number[] = [];
    const view = this.viewA;
    for (let c = 0; c < count; c++) {
      const position = points[c]!;
      this.projection.forwardInto(position[0]!, position[1]!, xy, 0);
      hitPath.length = 0;
      hitStart.length = 0;
      hitEnd.length = 0;
      forEachCircleInterval(this.network, xy[0]!, xy[1]!, radiusM, (path, start, end) => {
        hitPath.push(path);
        hitStart.push(start);
        hitEnd.push(end);
      });
      let lit = 0;
      let weighted = 0;
      // Intervals of one circle on one path only overlap where a path crosses itself; take
      // the union per path so no metre counts twice.
      const byPath = new Map<number, [number, number][]>();
      for (let k = 0; k < hitPath.length; k++) {
        const p = hitPath[k]!;
        let list = byPath.get(p);
        if (list === undefined) {
          list = [];
          byPath.set(p, list);
        }
        list.push([hitStart[k]!, hitEnd[k]!]);
      }
      for (const [p, list] of byPath) {
        this.lit.view(p, view);
        let gained = 0;
        for (const [start, end] of list.length > 1 ? unionOfPairs(list) : list) {
          gained +=
            end - start - coveredLength(view.start, view.end, view.from, view.to, start, end);
        }
        lit += gained;
        weighted += gained * this.pathImportance[p]!;
      }
      newlyLitM[c] = lit;
      weightedNewlyLitM[c] = weighted;
      if (samples !== null && usefulGainLuxM !== null) {
        touchedSamples.length = 0;
        const light: LightSource = { ...template, x: xy[0]!, y: xy[1]! };
        this.scatter(light, 1, samples.scratch, touchedSamples);
        let useful = 0;
        for (const k of touchedSamples) {
          const delta = samples.scratch[k]!;
          if (delta === 0) continue;
          samples.scratch[k] = 0;
          const p = this.pathOfSample(k);
          const target = this.pathTargetAvgLux[p]!;
          const before = samples.lux[k]!;
          const gain = Math.min(before + delta, target) - Math.min(before, target);
          if (gain > 0) useful += gain * samples.spacing[p]!;
        }
        usefulGainLuxM[c] = useful;
      }
    }
    return { count, newlyLitM, weightedNewlyLitM, usefulGainLuxM };
  }

  pathLine(pathIndex: number, startM: number, endM: number): Position[] {
    return sliceLine(this.network, pathIndex, startM, endM);
  }

  pathLineInto(pathIndex: number, startM: number, endM: number, out: Float64Array): number {
    return sliceLineInto(this.network, pathIndex, startM, endM, out);
  }

  pathPoint(pathIndex: number, distanceM: number): Position {
    return positionAt(this.network, pathIndex, distanceM);
  }

  nearestPath(
    position: Position,
    maxM: number,
  ): { pathIndex: number; alongM: number; distanceM: number; importance: number } | null {
    const [x, y] = this.projection.forward(position[0]!, position[1]!);
    const near = nearestOnNetwork(this.network, x, y, maxM);
    if (near === null) return null;
    return {
      pathIndex: near.path,
      alongM: near.alongM,
      distanceM: near.distanceM,
      importance: this.pathImportance[near.path]!,
    };
  }

  pieceLine(pieces: PathPieces, pieceIndex: number): Position[] {
    return sliceLine(
      this.network,
      pieces.pathIndex[pieceIndex]!,
      pieces.startM[pieceIndex]!,
      pieces.endM[pieceIndex]!,
    );
  }
}

/** A fast I(γ) in cd/klm for a distribution: linear between entries, 0 from the cutoff. */
function intensityFunction(distribution: IntensityDistribution): (gammaDeg: number) => number {
  const table = Float64Array.from(distribution.candelaPerKilolumen);
  const step = distribution.stepDeg;
  const cutoff = distribution.cutoffDeg;
  const last = table.length - 1;
  return (gammaDeg: number) => {
    if (gammaDeg >= cutoff) return 0;
    const position = gammaDeg / step;
    const index = position | 0;
    if (index >= last) return table[last]!;
    const fraction = position - index;
    return table[index]! + fraction * (table[index + 1]! - table[index]!);
  };
}
