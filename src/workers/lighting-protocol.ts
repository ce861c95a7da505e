/** Messages between the page and the lighting worker (src/workers/lighting.worker.ts). */
import type { Feature, Geometry, Position } from "geojson";
import type { CoverageResult, IlluminanceResult } from "../domain/lighting";
import type { ObservationRecord } from "../domain/observation";
import type { BenefitWeights, CostCatalogue } from "../domain/plan/catalogue";
import type { PlanCandidates } from "../domain/plan/plan";
import type { Site } from "../domain/sites";

export type LightingMode = "coverage" | "illuminance";

export interface LightingRequest {
  type: "analyse";
  id: number;
  mode: LightingMode;
  /** A fixed coverage radius, metres; null: per lamp from its pole height. */
  radiusM: number | null;
  /** Layer data files (GeoJSON FeatureCollections of normalised features), read in the worker. */
  paths: Blob[];
  lamps: Blob[];
  pois: Blob[];
  areas: Blob[];
  /** The project's live observations (broken lamps, dark reports, lux readings). */
  observations: ObservationRecord[];
}

/** The budget plan's candidates (src/domain/plan): the analysis, then actions and groups. */
export interface PlanRequest extends Omit<LightingRequest, "type"> {
  type: "plan";
  /** The project's sites (derived on the page from observations and site links). */
  sites: Site[];
  costs: CostCatalogue;
  weights: BenefitWeights;
}

export type PlanReply =
  | { type: "planned"; id: number; candidates: PlanCandidates; timingsMs: { totalMs: number } }
  | { type: "failed"; id: number; message: string };

export type LightingReply =
  | {
      type: "analysed";
      id: number;
      result: CoverageResult | IlluminanceResult;
      /**
       * The pieces as a GeoJSON file (properties state, compliant, ...) for the map layer:
       * a Blob, so neither the page nor MapLibre's main-thread side ever parses or copies
       * the features (MapLibre's worker reads it from an object URL).
       */
      pieces: Blob;
      /** Number of pieces, and their bounds [west, south, east, north] (null: none). */
      pieceCount: number;
      bbox: [number, number, number, number] | null;
      /** Each listed gap's line (WGS 84), by the order of `result.gaps`. */
      gapLines: Position[][];
      /** Time spent in the worker, ms: reading, building the model, analysing. */
      timingsMs: { readMs: number; modelMs: number; analyseMs: number };
      /** Features left out of the inputs, by reason (not lines, not lamps, ...). */
      leftOut: number;
    }
  | { type: "failed"; id: number; message: string };

export type LayerFeatures = Feature<Geometry | null>[];
