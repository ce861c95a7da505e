/**
 * Candidate actions (issue 6 "Candidate actions"; docs/plan.md), from the sites of the walks
 * and the lighting analysis of today's network:
 *
 * - repair_lamp: every lamp that is off today (its status in the inventory, or a walk's
 *   broken-lamp report linked to it by the lighting model); a broken-lamp report with no lamp
 *   of the inventory near it becomes a repair of an unknown lamp (cost, no modelled light).
 * - new_lamps: every dark gap the analysis describes (poles at the catalogue's spacing along
 *   the gap), and every dark / missing-light / dark-tunnel report that no gap answers (poles
 *   at the report).
 * - upgrade_lamp: a "too dim" report, on the nearest working lamp within LAMP_LINK_M (a
 *   luminaire of twice the flux on the same pole); with no lamp near, new lamps there.
 * - trim_trees: a "trees shade the lamp" report, on the nearest lamp(s).
 * - clear_brush: brush blocking sightlines, an overgrown path, a hiding place. Area from the
 *   drawn polygon, or length × width for a line, or a default area for a point.
 * - tasks (outside the budget): graffiti, litter, vandalism, camera and guard requests, and
 *   every other category except "feels safe".
 *
 * Each action links to the sites, observations, gaps and lamps it answers. Lighting actions
 * carry the lamp change the scenario API evaluates; plan.ts groups the ones that overlap.
 */
import type { Position } from "geojson";
import KDBush from "kdbush";
import { areaM2 } from "../export/geojson";
import type { ObservationGeometry } from "../geometry";
import { lineLengthM } from "../geometry";
import { lampDisplayName } from "../lighting/inputs";
import type { LightingModel } from "../lighting/model";
import type { CoverageResult, DarkGap, IlluminanceResult, LampChange } from "../lighting/types";
import type { ObservationRecord } from "../observation";
import type { Site } from "../sites";
import type { Exposure, ExposureIndex, NeedObservation, NeedUnit } from "./benefit";
import {
  type BrushMeasure,
  type CostCatalogue,
  clearBrushCost,
  newLampsCost,
  polesForGap,
  repairLampCost,
  trimTreesCost,
  upgradeLampCost,
} from "./catalogue";
import { defaultDeadlineAt, defaultOwner } from "./follow-up";
import type { ActionKind, CostCalculation, PlanAction } from "./types";

/** A lamp within this distance of a "too dim" or "trees shade the lamp" report is the one it
 *  means (a report is placed where the team stood, under or beside the lamp). */
export const LAMP_LINK_M = 30;
/** An upgrade doubles the luminous flux on the same pole (e.g. 3,000 lm -> 6,000 lm LED). */
export const UPGRADE_FLUX_FACTOR = 2;
/** Exposure anchors along a line: a point at least every this many metres. */
const ANCHOR_STEP_M = 25;

/** Category → what answers it. Categories not listed become "other_task"; null: no action. */
export const CATEGORY_ACTIONS: Readonly<Record<string, ActionKind | null>> = {
  "lighting.missing": "new_lamps",
  "lighting.dark_stretch": "new_lamps",
  "lighting.dark_tunnel": "new_lamps",
  "lighting.broken": "repair_lamp",
  "lighting.too_dim": "upgrade_lamp",
  "lighting.glare": "other_task",
  "vegetation.brush_sightlines": "clear_brush",
  "vegetation.overgrown_path": "clear_brush",
  "vegetation.trees_shading_lamps": "trim_trees",
  "sightlines.hiding_place": "clear_brush",
  "maintenance.graffiti": "remove_graffiti",
  "maintenance.litter": "remove_litter",
  "maintenance.vandalism": "repair_vandalism",
  "maintenance.broken_furniture": "repair_vandalism",
  "measures.camera": "camera_review",
  "measures.guards": "guards",
  "positive.feels_safe": null,
};

export function actionKindOf(categoryId: string): ActionKind | null {
  return Object.hasOwn(CATEGORY_ACTIONS, categoryId) ? CATEGORY_ACTIONS[categoryId]! : "other_task";
}

/** An action with what plan.ts needs to score and group it. */
export interface ActionDraft {
  action: Omit<PlanAction, "benefit">;
  units: NeedUnit[];
  exposure: Exposure;
  /** The lamp change a lighting action makes (null: nothing the model can evaluate). */
  change: LampChange | null;
}

export interface CandidateInput {
  /** The project's observations (tombstones are skipped). */
  observations: readonly ObservationRecord[];
  sites: readonly Site[];
  model: LightingModel;
  lighting: CoverageResult | IlluminanceResult;
}

function needObservation(record: ObservationRecord): NeedObservation {
  return {
    id: record.id,
    walkId: record.walkId ?? null,
    severity: record.fields.severity,
    feltUnsafe: record.fields.feltUnsafe,
  };
}

const round = (value: number) => Math.round(value);

/** Points along a line at most `stepM` apart (ends included), for exposure tests. */
function anchorsAlong(line: readonly Position[], stepM = ANCHOR_STEP_M): Position[] {
  if (line.length <= 1) return [...line];
  const out: Position[] = [line[0]!];
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1]!;
    const b = line[i]!;
    const length = lineLengthM([a, b]);
    const steps = Math.max(1, Math.ceil(length / stepM));
    for (let k = 1; k <= steps; k++) {
      const f = k / steps;
      out.push([a[0]! + f * (b[0]! - a[0]!), a[1]! + f * (b[1]! - a[1]!)]);
    }
  }
  return out;
}

/** `count` points spread evenly along a line ((i + 0.5) / count of its length). */
function spreadAlong(line: readonly Position[], count: number): Position[] {
  if (line.length === 1) return Array.from({ length: count }, () => line[0]!);
  const cum = [0];
  for (let i = 1; i < line.length; i++)
    cum.push(cum[i - 1]! + lineLengthM([line[i - 1]!, line[i]!]));
  const total = cum[cum.length - 1]!;
  const out: Position[] = [];
  let segment = 1;
  for (let k = 0; k < count; k++) {
    const at = ((k + 0.5) / count) * total;
    while (segment < line.length - 1 && cum[segment]! < at) segment++;
    const a = line[segment - 1]!;
    const b = line[segment]!;
    const span = cum[segment]! - cum[segment - 1]!;
    const f = span > 0 ? (at - cum[segment - 1]!) / span : 0;
    out.push([a[0]! + f * (b[0]! - a[0]!), a[1]! + f * (b[1]! - a[1]!)]);
  }
  return out;
}

function geometryAnchors(geometry: ObservationGeometry): Position[] {
  if (geometry.type === "Point") return [geometry.coordinates];
  if (geometry.type === "LineString") return anchorsAlong(geometry.coordinates);
  return anchorsAlong(geometry.coordinates[0]!);
}

/** Ids are compared by code unit everywhere (sort-ids.ts), so every device orders alike. */
function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function gapId(gap: DarkGap): string {
  return `gap:${gap.pathId}@${round(gap.startM)}-${round(gap.endM)}`;
}

/**
 * Build the candidate actions. `exposureIndex` gives POIs and priority areas; the path-class
 * importance comes from the model (the nearest path within the weights' search distance).
 */
export function buildCandidates(
  input: CandidateInput,
  catalogue: CostCatalogue,
  exposureIndex: ExposureIndex,
  pathClassSearchM: number,
): ActionDraft[] {
  const { model, lighting } = input;
  const records = new Map<string, ObservationRecord>();
  for (const record of input.observations) {
    if (!record.deleted && record.fields.geometry !== null) records.set(record.id, record);
  }
  const siteOf = new Map<string, Site>();
  for (const site of input.sites) for (const id of site.memberIds) siteOf.set(id, site);

  const drafts: ActionDraft[] = [];
  /** Observations already answered by a lighting action (repair of a linked lamp, a gap). */
  const answered = new Set<string>();

  const importanceAt = (anchors: readonly Position[]) => {
    let best = 0;
    for (const anchor of anchors) {
      const near = model.nearestPath(anchor, pathClassSearchM);
      if (near !== null) best = Math.max(best, near.importance);
    }
    return best;
  };

  /** Need units of some observations, site by site. */
  const unitsOf = (observationIds: readonly string[]): NeedUnit[] => {
    const bySite = new Map<string, NeedObservation[]>();
    for (const id of observationIds) {
      const record = records.get(id);
      if (record === undefined) continue;
      const siteId = siteOf.get(id)?.id ?? `observation:${id}`;
      let list = bySite.get(siteId);
      if (list === undefined) {
        list = [];
        bySite.set(siteId, list);
      }
      list.push(needObservation(record));
    }
    return [...bySite].map(([siteId, observations]) => ({ siteId, observations }));
  };

  const earliest = (observationIds: readonly string[]): number | null => {
    let at: number | null = null;
    for (const id of observationIds) {
      const time = records.get(id)?.fields.observedAt;
      if (time !== undefined && (at === null || time < at)) at = time;
    }
    return at;
  };

  const push = (
    kind: ActionKind,
    key: string,
    fields: {
      position: Position;
      geometry: PlanAction["geometry"];
      observationIds: string[];
      gapIds?: string[];
      lampIds?: string[];
      newLamps?: Position[];
      cost: CostCalculation | null;
      change: LampChange | null;
      anchors: Position[];
      importance?: number;
      label: PlanAction["label"];
    },
  ) => {
    const observationIds = [...new Set(fields.observationIds)].sort(byId);
    const units = unitsOf(observationIds);
    const siteIds = units.map((unit) => unit.siteId).sort(byId);
    const categoryIds = [
      ...new Set(observationIds.map((id) => records.get(id)?.fields.categoryId ?? "")),
    ].filter((id) => id !== "");
    const observedAt = earliest(observationIds);
    const importance = fields.importance ?? importanceAt(fields.anchors);
    drafts.push({
      action: {
        key,
        kind,
        position: fields.position,
        geometry: fields.geometry,
        siteIds,
        observationIds,
        gapIds: fields.gapIds ?? [],
        lampIds: fields.lampIds ?? [],
        newLamps: fields.newLamps ?? [],
        cost: fields.cost,
        observedAt,
        defaultOwner: defaultOwner(kind, categoryIds),
        defaultDeadlineAt: observedAt === null ? null : defaultDeadlineAt(kind, observedAt),
        label: fields.label,
      },
      units,
      exposure: exposureIndex.exposureAt(fields.anchors, importance),
      change: fields.change,
    });
  };

  // ---- lamps off today: repairs ----------------------------------------------------------
  const lamps = model.lamps;
  for (let i = 0; i < lamps.length; i++) {
    const lamp = lamps[i]!;
    if (lamp.on || lamp.added) continue;
    if (lamp.offBecause !== "status" && lamp.offBecause !== "reported_broken") continue;
    const reportIds = lamp.reportIds.filter((id) => records.has(id));
    for (const id of reportIds) answered.add(id);
    push("repair_lamp", `repair_lamp:${lamp.id}`, {
      position: lamp.position,
      geometry: { type: "Point", coordinates: lamp.position },
      observationIds: reportIds,
      lampIds: [lamp.id],
      cost: repairLampCost(catalogue, 1),
      change: { repair: [i] },
      anchors: [lamp.position],
      label: {
        key: "plan.label.repair",
        values: { lamp: lampDisplayName(lamp), reports: reportIds.length },
      },
    });
  }

  // ---- dark gaps: new lamps ----------------------------------------------------------------
  const spacingM = catalogue.assumptions.newLampSpacingM;
  for (const gap of lighting.gaps) {
    const poles = polesForGap(gap.lengthM, spacingM);
    const newLamps: Position[] = [];
    for (let k = 0; k < poles; k++) {
      newLamps.push(model.pathPoint(gap.pathIndex, gap.startM + ((k + 0.5) / poles) * gap.lengthM));
    }
    const line = model.pathLine(gap.pathIndex, gap.startM, gap.endM);
    const reports = gap.reasons.darkReportIds.filter((id) => records.has(id));
    for (const id of reports) answered.add(id);
    const id = gapId(gap);
    push("new_lamps", `new_lamps:${id}`, {
      position: model.pathPoint(gap.pathIndex, (gap.startM + gap.endM) / 2),
      geometry: { type: "LineString", coordinates: line },
      observationIds: reports,
      gapIds: [id],
      newLamps,
      cost: newLampsCost(catalogue, gap.lengthM, poles),
      change: { add: newLamps.map((position) => ({ position })) },
      anchors: anchorsAlong(line),
      importance: gap.importance,
      label: {
        key: poles === 1 ? "plan.label.newLampGap" : "plan.label.newLampsGap",
        // An unnamed path is named by its class ("Lokalgata"), translated with the label.
        values: {
          poles,
          lengthM: round(gap.lengthM),
          ...(gap.name !== null ? { path: gap.name } : { pathClass: gap.pathClass }),
        },
      },
    });
  }

  // ---- reports, site by site ---------------------------------------------------------------
  const lampIndex = new KDBush(Math.max(1, lamps.length));
  const lampXy = new Float64Array(Math.max(1, lamps.length) * 2);
  for (let i = 0; i < lamps.length; i++) {
    model.projection.forwardInto(lamps[i]!.position[0]!, lamps[i]!.position[1]!, lampXy, i);
    lampIndex.add(lampXy[2 * i]!, lampXy[2 * i + 1]!);
  }
  if (lamps.length === 0) lampIndex.add(Number.NaN, Number.NaN);
  lampIndex.finish();
  const nearestLamp = (position: Position, onlyOn: boolean): number => {
    if (lamps.length === 0) return -1;
    const [x, y] = model.projection.forward(position[0]!, position[1]!);
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (const i of lampIndex.within(x, y, LAMP_LINK_M)) {
      if (onlyOn && !lamps[i]!.on) continue;
      const d = Math.hypot(lampXy[2 * i]! - x, lampXy[2 * i + 1]! - y);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  };

  for (const site of [...input.sites].sort((a, b) => byId(a.id, b.id))) {
    // Members by the kind of action their category asks for.
    const byKind = new Map<ActionKind, ObservationRecord[]>();
    for (const id of site.memberIds) {
      const record = records.get(id);
      if (record === undefined || answered.has(id)) continue;
      const kind = actionKindOf(record.fields.categoryId);
      if (kind === null) continue;
      let list = byKind.get(kind);
      if (list === undefined) {
        list = [];
        byKind.set(kind, list);
      }
      list.push(record);
    }
    for (const [kind, members] of byKind) {
      const ids = members.map((m) => m.id);
      const geometries = members.map((m) => m.fields.geometry!);
      const anchors = geometries.flatMap(geometryAnchors);
      const position = site.position;
      const point = { type: "Point" as const, coordinates: position };
      const firstShape =
        geometries.find((g) => g.type === "Polygon") ??
        geometries.find((g) => g.type === "LineString") ??
        point;
      const key = `${kind}:${site.id}`;
      if (kind === "new_lamps" || kind === "upgrade_lamp") {
        const lamp = kind === "upgrade_lamp" ? nearestLamp(position, true) : -1;
        if (lamp >= 0) {
          const old = lamps[lamp]!;
          push("upgrade_lamp", `upgrade_lamp:${old.id}`, {
            position: old.position,
            geometry: { type: "Point", coordinates: old.position },
            observationIds: ids,
            lampIds: [old.id],
            cost: upgradeLampCost(catalogue, 1),
            change: {
              remove: [lamp],
              add: [
                {
                  position: old.position,
                  poleHeightM: old.poleHeightM,
                  luminousFluxLm: old.luminousFluxLm * UPGRADE_FLUX_FACTOR,
                },
              ],
            },
            anchors,
            label: { key: "plan.label.upgrade", values: { lamp: lampDisplayName(old) } },
          });
          continue;
        }
        // New lamps at the report: along a drawn line, else one pole at the place.
        const lineGeometry = geometries.find((g) => g.type === "LineString");
        const line = lineGeometry?.type === "LineString" ? lineGeometry.coordinates : null;
        const lengthM = line === null ? 0 : lineLengthM(line);
        const poles = line === null ? 1 : polesForGap(lengthM, spacingM);
        const newLamps = line === null ? [position] : spreadAlong(line, poles);
        push("new_lamps", `new_lamps:${site.id}`, {
          position,
          geometry: line === null ? point : { type: "LineString", coordinates: line },
          observationIds: ids,
          newLamps,
          cost: newLampsCost(catalogue, lengthM, poles),
          change: { add: newLamps.map((p) => ({ position: p })) },
          anchors,
          label: {
            key: poles === 1 ? "plan.label.newLampReport" : "plan.label.newLampsReport",
            values: { poles, lengthM: round(lengthM) },
          },
        });
        continue;
      }
      if (kind === "repair_lamp") {
        // A broken-lamp report the model linked to no lamp of the inventory.
        push("repair_lamp", key, {
          position,
          geometry: point,
          observationIds: ids,
          cost: repairLampCost(catalogue, 1),
          change: null,
          anchors,
          label: { key: "plan.label.repairUnknown", values: { reports: ids.length } },
        });
        continue;
      }
      if (kind === "trim_trees") {
        const lampIds = new Set<string>();
        for (const geometry of geometries) {
          const lamp = nearestLamp(
            geometry.type === "Point" ? geometry.coordinates : position,
            false,
          );
          if (lamp >= 0) lampIds.add(lamps[lamp]!.id);
        }
        const count = Math.max(1, lampIds.size);
        push("trim_trees", key, {
          position,
          geometry: point,
          observationIds: ids,
          lampIds: [...lampIds].sort(byId),
          cost: trimTreesCost(catalogue, count),
          change: null,
          anchors,
          label: { key: "plan.label.trim", values: { lamps: count } },
        });
        continue;
      }
      if (kind === "clear_brush") {
        const measures: BrushMeasure[] = geometries.map((g) =>
          g.type === "Polygon"
            ? { kind: "polygon", areaM2: areaM2(g) ?? 0 }
            : g.type === "LineString"
              ? { kind: "line", lengthM: lineLengthM(g.coordinates) }
              : { kind: "point" },
        );
        // Several reports of one thicket: measure the largest drawn shape once, not each.
        const polygon = measures.filter((m) => m.kind === "polygon");
        const lines = measures.filter((m) => m.kind === "line");
        const chosen: BrushMeasure[] =
          polygon.length > 0
            ? [
                polygon.reduce((a, b) =>
                  a.kind === "polygon" && b.kind === "polygon" && b.areaM2 > a.areaM2 ? b : a,
                ),
              ]
            : lines.length > 0
              ? [
                  lines.reduce((a, b) =>
                    a.kind === "line" && b.kind === "line" && b.lengthM > a.lengthM ? b : a,
                  ),
                ]
              : [{ kind: "point" }];
        const cost = clearBrushCost(catalogue, chosen);
        push("clear_brush", key, {
          position,
          geometry: firstShape,
          observationIds: ids,
          cost,
          change: null,
          anchors,
          label: { key: "plan.label.brush", values: { areaM2: cost.basis.values.areaM2 ?? 0 } },
        });
        continue;
      }
      // Tasks: outside the budget.
      push(kind, key, {
        position,
        geometry: firstShape,
        observationIds: ids,
        cost: null,
        change: null,
        anchors,
        label: { key: `plan.kind.${kind}`, values: { reports: ids.length } },
      });
    }
  }
  return drafts;
}
