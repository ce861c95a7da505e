/**
 * Inputs, options and results of the lighting analysis (docs/lighting.md). Everything is a
 * plain object or a typed array, so a result can be posted from a Web Worker as it is
 * (structured clone; the typed arrays' buffers can be transferred).
 *
 * Units are in the names: metres (`M`), lux (`Lux`), lumen (`Lm`), watt (`W`).
 * Positions are WGS 84 [longitude, latitude] (RFC 7946), as everywhere in src/domain.
 */
import type { Position } from "geojson";
import type { LitValue, PoiKind } from "../layers";
import type { LightingClassesFile } from "./classes";
import type { IntensityDistribution, LampDefaults, LampStatus } from "./photometry";

// ---- inputs ------------------------------------------------------------------------------

/** One walkable line. A MultiLineString becomes one path per part, sharing the id. */
export interface LightingPath {
  /** The source's id (OSM "way/4400154", a UUID, a row number), repeated in every piece. */
  id: string;
  /** At least two positions. */
  coordinates: Position[];
  /** A class id of data/path-classes.json, or null (no class: not judged). */
  pathClass: string | null;
  /** What the source says: OSM `lit`, a municipal "belyst" field. */
  lit: LitValue;
  name?: string | null;
}

export interface LightingLamp {
  id: string;
  position: Position;
  poleHeightM?: number | null;
  luminousFluxLm?: number | null;
  /** Used with efficacy when the flux is unknown. */
  powerW?: number | null;
  efficacyLmPerW?: number | null;
  /** Default "working". "off": there but dark (can be repaired); "removed": left out. */
  status?: LampStatus;
  /** The lamp's number in the inventory, which a broken-lamp report may name. */
  ref?: string | null;
}

/**
 * What a walk saw (from Lykta observations: lightingObservationsFromRecords). A report of
 * a broken lamp switches that lamp off "today"; a report of darkness marks the path near it
 * dark; a lux reading is shown next to the model.
 */
export interface LightingObservation {
  id: string;
  /** A point, or a line (a dark stretch). */
  coordinates: Position | Position[];
  reportsBrokenLamp: boolean;
  reportsDark: boolean;
  /** Measured horizontal illuminance, lux. */
  illuminanceLux: number | null;
  /** Lamp number named in the report; else the nearest lamp within brokenLampLinkM. */
  lampRef?: string | null;
}

/** A school, stop, ... (points; the representative point of an area). */
export interface LightingPoi {
  id: string;
  position: Position;
  kind: PoiKind;
  name?: string | null;
}

/** A priority area: (Multi)Polygon coordinates, WGS 84. */
export interface LightingArea {
  id: string;
  name?: string | null;
  /** MultiPolygon coordinates: polygons, each a list of rings (the first the outer one). */
  polygons: Position[][][];
}

/**
 * Paths as columns: the same paths as LightingPath[] without an object per path or position
 * (what a reader that works on a file's bytes builds: pathsFromScan in inputs-scan.ts). The
 * model reads the arrays and never changes them.
 */
export interface LightingPathColumns {
  count: number;
  /** Path p's positions are vertexStart[p] .. vertexStart[p + 1] - 1 (at least 2). */
  vertexStart: Uint32Array;
  /** WGS 84 positions: longitude at 2v, latitude at 2v + 1. */
  lonLat: Float64Array;
  id: readonly string[];
  pathClass: readonly (string | null)[];
  lit: readonly LitValue[];
  name: readonly (string | null)[];
}

/** Lamp status codes of LightingLampColumns.status. */
export const LAMP_STATUS_CODES: readonly LampStatus[] = ["working", "off", "removed"];

/**
 * Lamps as columns: the same lamps as LightingLamp[] without an object per lamp
 * (lampsFromScan in inputs-scan.ts). NaN stands for an unknown number.
 */
export interface LightingLampColumns {
  count: number;
  /** WGS 84 positions: longitude at 2i, latitude at 2i + 1. */
  lonLat: Float64Array;
  /**
   * Lamp i's id and inventory number. Functions, so a reader can make the strings only for
   * the lamps someone asks about (a city's coverage names none of its 47,000 lamps).
   */
  id: (i: number) => string;
  ref: (i: number) => string | null;
  poleHeightM: Float64Array;
  luminousFluxLm: Float64Array;
  powerW: Float64Array;
  efficacyLmPerW: Float64Array;
  /** Index into LAMP_STATUS_CODES. */
  status: Uint8Array;
}

export interface LightingInput {
  paths: readonly LightingPath[] | LightingPathColumns;
  lamps: readonly LightingLamp[] | LightingLampColumns;
  observations?: readonly LightingObservation[];
  pois?: readonly LightingPoi[];
  areas?: readonly LightingArea[];
}

export interface LightingOptions {
  /** data/lighting-classes.json. */
  classes: LightingClassesFile;
  /**
   * Coverage radius R for every lamp, metres. Null or absent: per lamp, 3.5 × its pole height
   * (RADIUS_PER_POLE_HEIGHT).
   */
  radiusM?: number | null;
  /** Distance between illuminance samples along a path, metres (default 1). */
  stepM?: number;
  /** Maintained / initial light (default 0.8, DEFAULT_MAINTENANCE_FACTOR). */
  maintenanceFactor?: number;
  distribution?: IntensityDistribution;
  lampDefaults?: Partial<LampDefaults>;
  /**
   * A broken-lamp report without a lamp number switches off the nearest lamp within this
   * distance, metres (default 15: phone GPS under trees and between buildings is often 5-15 m
   * off, and lamps along a path stand 25-40 m apart, so the neighbour is rarely taken).
   */
  brokenLampLinkM?: number;
  /**
   * A dark report marks the path within this distance of it, metres (default 25: the
   * checklist's site radius for lighting reports, data/checklist.json).
   */
  darkReportRadiusM?: number;
  /**
   * Points of interest this close to a gap are listed with it, metres (default 150: about a
   * block; the last stretch to a school gate or a bus stop).
   */
  poiNearGapM?: number;
  /**
   * A lux reading is linked to the nearest path within this distance, metres (default 10:
   * a reading taken on the path with a phone's GPS fix).
   */
  measurementLinkM?: number;
  /** Unlit runs shorter than this are not listed as gaps (default 5 m): slivers between circles. */
  minGapM?: number;
  /**
   * Gaps listed with their nearby points of interest and reasons, worst first (default 500;
   * all gaps are counted in `gapCount` and in the lengths).
   */
  maxGaps?: number;
  /** Which unlit states make a gap (default dark and unknown: tagged_lit is probably lit). */
  gapStates?: readonly PieceState[];
}

// ---- results -----------------------------------------------------------------------------

/**
 * The state of a piece of path:
 * - `lit_by_lamp`: within R of a working lamp;
 * - `tagged_lit`: not within R, but the source says it is lit (lamps probably missing);
 * - `dark`: not within R, and tagged unlit or reported dark by a walk;
 * - `unknown`: not within R, and nothing says either way.
 */
export type PieceState = "lit_by_lamp" | "tagged_lit" | "dark" | "unknown";
/** Piece states by code: `PathPieces.state[i]` indexes this list. */
export const PIECE_STATES: readonly PieceState[] = ["lit_by_lamp", "tagged_lit", "dark", "unknown"];
export const STATE_LIT_BY_LAMP = 0;
export const STATE_TAGGED_LIT = 1;
export const STATE_DARK = 2;
export const STATE_UNKNOWN = 3;

/**
 * Path pieces, column by column: piece i lies on path `pathIndex[i]` (an index into the
 * model's paths) from `startM[i]` to `endM[i]` metres from the path's first position.
 * Pieces of one path are consecutive, in order, and cover it without gaps or overlaps.
 */
export interface PathPieces {
  count: number;
  pathIndex: Uint32Array;
  startM: Float64Array;
  endM: Float64Array;
  /** Index into PIECE_STATES. */
  state: Uint8Array;
}

export interface LengthTotals {
  pathsM: number;
  litByLampM: number;
  /** Farther than R from every working lamp, whatever the tags: taggedLitM + darkM + unknownM. */
  unlitM: number;
  taggedLitM: number;
  darkM: number;
  unknownM: number;
}

export interface ClassSummary extends LengthTotals {
  /** A path class id, or "unclassified". */
  pathClass: string;
  targetClass: string | null;
  importance: number;
  /** Illuminance only: length of pieces that meet the target class (null in coverage mode or without a target). */
  compliantM: number | null;
  /** compliantM / pathsM. */
  compliantShare: number | null;
}

export interface AreaSummary extends LengthTotals {
  areaIndex: number;
  id: string;
  name: string | null;
  /** Illuminance only, over the length inside the area that has a target class. */
  compliantM: number | null;
  compliantShare: number | null;
  byClass: ClassSummary[];
}

export interface NearbyPoi {
  poiIndex: number;
  id: string;
  kind: PoiKind;
  name: string | null;
  distanceM: number;
}

/** Why a gap is dark: what the UI shows when someone taps it. */
export interface GapReasons {
  /** Distance from the gap's middle to the nearest working lamp, metres (null: none within 500 m). */
  nearestWorkingLampM: number | null;
  /** Lamps that would light part of the gap but are off (status, or reported broken). */
  offLampIds: string[];
  /** Of those, the ones a walk reported broken. */
  reportedBrokenLampIds: string[];
  /** The path's lit tag. */
  lit: LitValue;
  /** Dark reports within darkReportRadiusM of the gap. */
  darkReportIds: string[];
}

export interface DarkGap {
  /** 1 = the worst. */
  rank: number;
  pathIndex: number;
  pathId: string;
  pathClass: string;
  name: string | null;
  startM: number;
  endM: number;
  lengthM: number;
  /** WGS 84 positions of the gap's ends. */
  start: Position;
  end: Position;
  taggedLitM: number;
  darkM: number;
  unknownM: number;
  importance: number;
  /** lengthM × importance: the ranking key. */
  score: number;
  nearby: NearbyPoi[];
  reasons: GapReasons;
}

export interface LampCounts {
  total: number;
  working: number;
  /** Off by status or by a broken-lamp report. */
  off: number;
  /** Switched off by a walk's broken-lamp report. */
  reportedBroken: number;
  /** Left out: status removed or planned. */
  removed: number;
  /** Broken-lamp reports that named no lamp and had none within brokenLampLinkM. */
  unlinkedReports: number;
}

export interface CoverageResult {
  mode: "coverage";
  /** The fixed R, or null: per lamp from its height. */
  radiusM: number | null;
  pieces: PathPieces;
  totals: LengthTotals;
  byClass: ClassSummary[];
  byArea: AreaSummary[];
  /** The worst gaps (at most maxGaps), ranked by score. */
  gaps: DarkGap[];
  /** All gaps of at least minGapM. */
  gapCount: number;
  lamps: LampCounts;
  /** Largest relative length error of the local projection over the data (e.g. 3e-5). */
  maxScaleError: number;
}

/** A lux reading from a walk next to the modelled value at the same spot. */
export interface Measurement {
  observationId: string;
  position: Position;
  measuredLux: number;
  /** Maintained horizontal illuminance the model gives at that position, today. */
  modelledLux: number;
  /** The nearest path within measurementLinkM, or null. */
  pathIndex: number | null;
  /** Distance to that path, metres. */
  distanceToPathM: number | null;
}

/**
 * Illuminance mode: the coverage pieces, each with photometric values (arrays by piece
 * index). NaN where not defined: uniformity when the average is 0.
 */
export interface IlluminanceResult extends Omit<CoverageResult, "mode"> {
  mode: "illuminance";
  stepM: number;
  maintenanceFactor: number;
  /** Maintained average and minimum horizontal illuminance over the piece's samples, lux. */
  eAvgLux: Float64Array;
  eMinLux: Float64Array;
  /** eMin / eAvg. */
  uniformity: Float64Array;
  /** Target P class per piece (index into classes.pClasses; -1: none). */
  targetClassIndex: Int8Array;
  /** 1 complies, 0 does not, -1 no target. */
  compliant: Int8Array;
  measurements: Measurement[];
}

// ---- scenarios ---------------------------------------------------------------------------

/** A lamp that would be put up (defaults for what is not given). */
export interface NewLamp {
  position: Position;
  poleHeightM?: number | null;
  luminousFluxLm?: number | null;
  id?: string;
}

/** "What if": lamps added, lamps repaired (off -> working), lamps removed (or switched off). */
export interface LampChange {
  add?: readonly NewLamp[];
  /** Lamp indexes (model.lamps order). */
  repair?: readonly number[];
  remove?: readonly number[];
}

/** The change on one piece of today's coverage. */
export interface PieceChange {
  pieceIndex: number;
  pathIndex: number;
  startM: number;
  endM: number;
  stateBefore: PieceState;
  /** Metres of the piece that were unlit and become lit (within R of a working lamp). */
  newlyLitM: number;
  /** Metres that were lit and become unlit (lamps removed). */
  newlyUnlitM: number;
  /** With illuminance: maintained values before and after, lux. */
  eAvgLuxBefore?: number;
  eAvgLuxAfter?: number;
  eMinLuxBefore?: number;
  eMinLuxAfter?: number;
  compliantBefore?: boolean | null;
  compliantAfter?: boolean | null;
  /** ∫ (E_after - E_before) ds over the piece, lux·metres. */
  illuminanceGainLuxM?: number;
}

export interface ScenarioResult {
  /** Only pieces that change. */
  pieces: PieceChange[];
  newlyLitM: number;
  newlyUnlitM: number;
  /** Σ newly lit metres × importance of the path class, minus the same for newly unlit. */
  weightedNewlyLitM: number;
  /** Illuminance only: metres of pieces that start / stop complying. */
  newlyCompliantM?: number;
  noLongerCompliantM?: number;
  illuminanceGainLuxM?: number;
  /** Paths whose coverage was recomputed (the rest cannot change). */
  recomputedPaths: number;
}

/** Scores of candidate lamps, each evaluated alone against the current state. By candidate. */
export interface CandidateScores {
  count: number;
  /** Metres of path that a lamp there would newly light. */
  newlyLitM: Float64Array;
  /** The same, times the importance of each path's class. */
  weightedNewlyLitM: Float64Array;
  /**
   * With illuminance: Σ over samples of the gain in maintained illuminance, capped at the
   * path's target average (light above the target does not make a path safer by the
   * standard), times the sample spacing; lux·metres. Null without illuminance.
   */
  usefulGainLuxM: Float64Array | null;
}
