/** Messages between the page and the import worker (import.worker.ts). */
import type { ImportIssue } from "../domain/import/types";
import type { FieldMapping, LayerRole, PoiKind } from "../domain/layers";

/** Issues shown to the person; the rest are counted. */
export const ISSUES_SHOWN = 200;

export interface ImportSummary {
  format: string;
  sourceCrs: string;
  encoding: string | null;
  totalFeatures: number;
  validCount: number;
  rejected: ImportIssue[];
  rejectedCount: number;
  repaired: ImportIssue[];
  repairedCount: number;
  propertyNames: string[];
  suggestedRole: LayerRole;
  /** Detected mapping for each role, so changing the role keeps a sensible mapping. */
  mappings: Record<LayerRole, FieldMapping>;
  geometryCounts: { point: number; line: number; polygon: number };
  /** Points tagged highway=street_lamp (OSM data): such a file can give paths and lamps. */
  osmLampCount: number;
  attribution: string;
}

export type ToWorker =
  | { type: "analyse"; id: number; name: string; bytes: Uint8Array; fromCrs?: string }
  | {
      type: "finalise";
      id: number;
      role: LayerRole;
      mapping: FieldMapping;
      poiKind: PoiKind | null;
    }
  | { type: "discard"; id: number };

export interface FinalisedLayer {
  /** GeoJSON FeatureCollection, UTF-8. */
  data: Uint8Array;
  dataId: string;
  featureCount: number;
  /** Valid features whose geometry does not fit the role (e.g. a point in a path layer). */
  skippedForRole: number;
  bbox: [number, number, number, number] | null;
}

export type FromWorker =
  | { type: "progress"; id: number; fraction: number }
  | { type: "analysed"; id: number; ok: true; summary: ImportSummary }
  | { type: "analysed"; id: number; ok: false; issue: ImportIssue }
  | { type: "finalised"; id: number; layer: FinalisedLayer }
  | { type: "failed"; id: number; message: string };
