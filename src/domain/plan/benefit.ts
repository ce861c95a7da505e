/**
 * The benefit score of the budget plan (issue 6 "Benefit"; docs/plan.md):
 *
 *   benefit = need × (1 + exposure)
 *
 *   need     = Σ over the places the action answers (site by site):
 *                severity × pointsPerSeverityStep           (the worst report of the place)
 *              + (reports − 1) × pointsPerExtraReport       (independent reports, capped)
 *              + (walks − 1) × pointsPerExtraWalk           (distinct teams that saw it)
 *              + Σ feltUnsafePointsPerGroup[group]          (women, children and young people,
 *                                                            elderly, disabilities: once per
 *                                                            group named at the place)
 *            + newly lit metres / 100 × pointsPer100MNewlyLit          (scenario API)
 *            + newly compliant metres / 100 × pointsPer100MNewlyCompliant (illuminance)
 *   exposure = max(0, importance − 1) × pathClassFactorPerImportance  (the most important
 *              path class near the action, data/lighting-classes.json)
 *            + Σ per POI kind: factor when one lies within its radius (the nearest counts)
 *            + priorityAreaFactor when the action lies in a priority area
 *              (@turf/boolean-point-in-polygon)
 *
 * Terms are reported with their points, and exposure terms with the points they add
 * (need × factor), so the terms add up to the benefit. A place counts once in an
 * alternative that answers it twice (a repair and a new lamp beside it): the need is summed
 * over distinct sites, with each site's observations united, and the light terms come from
 * one scenario of the whole alternative.
 */
import booleanPointInPolygon from "@turf/boolean-point-in-polygon";
import type { Position } from "geojson";
import KDBush from "kdbush";
import type { PoiKind } from "../layers";
import { POI_KINDS } from "../layers";
import type { LocalProjection } from "../lighting/projection";
import type { LightingArea, LightingPoi } from "../lighting/types";
import type { BenefitWeights } from "./catalogue";
import type { BenefitBreakdown, BenefitTerm } from "./types";

/** One observation as the score needs it. */
export interface NeedObservation {
  id: string;
  walkId: string | null;
  severity: number;
  feltUnsafe: readonly string[];
}

/** A place the action answers: a site and those of its observations that ask for it. */
export interface NeedUnit {
  siteId: string;
  observations: readonly NeedObservation[];
}

/** What the light terms come from: one scenario of the whole alternative. */
export interface LightGain {
  newlyLitM: number;
  newlyCompliantM: number;
}

/** Where an action is: points to test for nearby POIs and priority areas, and path class. */
export interface Exposure {
  /** The largest path-class importance near the action (0 when none). */
  importance: number;
  /** POI kind → nearest POI within its radius. */
  pois: Partial<Record<PoiKind, { id: string; distanceM: number }>>;
  /** Ids of priority areas the action lies in. */
  areaIds: string[];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * Fast "which POIs are near, which areas contain" for many actions: POIs in a KDBush on the
 * model's local projection, areas with their bounding boxes for a quick reject.
 */
export class ExposureIndex {
  private readonly pois: readonly LightingPoi[];
  private readonly poiIndex: KDBush | null;
  private readonly xy: Float64Array;
  private readonly areas: { area: LightingArea; bbox: [number, number, number, number] }[];
  private readonly maxRadiusM: number;

  constructor(
    pois: readonly LightingPoi[],
    areas: readonly LightingArea[],
    private readonly projection: LocalProjection,
    private readonly weights: BenefitWeights,
  ) {
    this.pois = pois;
    this.xy = new Float64Array(pois.length * 2);
    if (pois.length > 0) {
      const index = new KDBush(pois.length);
      for (let i = 0; i < pois.length; i++) {
        projection.forwardInto(pois[i]!.position[0]!, pois[i]!.position[1]!, this.xy, i);
        index.add(this.xy[2 * i]!, this.xy[2 * i + 1]!);
      }
      index.finish();
      this.poiIndex = index;
    } else {
      this.poiIndex = null;
    }
    this.maxRadiusM = Math.max(0, ...POI_KINDS.map((kind) => weights.exposure.poi[kind].radiusM));
    this.areas = areas.map((area) => {
      let west = Infinity;
      let south = Infinity;
      let east = -Infinity;
      let north = -Infinity;
      for (const polygon of area.polygons) {
        for (const position of polygon[0] ?? []) {
          west = Math.min(west, position[0]!);
          east = Math.max(east, position[0]!);
          south = Math.min(south, position[1]!);
          north = Math.max(north, position[1]!);
        }
      }
      return { area, bbox: [west, south, east, north] };
    });
  }

  /** Exposure of an action at `anchors` (lon/lat), with the path-class importance given. */
  exposureAt(anchors: readonly Position[], importance: number): Exposure {
    const pois: Exposure["pois"] = {};
    if (this.poiIndex !== null) {
      for (const anchor of anchors) {
        const [x, y] = this.projection.forward(anchor[0]!, anchor[1]!);
        for (const i of this.poiIndex.within(x, y, this.maxRadiusM)) {
          const poi = this.pois[i]!;
          const distanceM = Math.hypot(this.xy[2 * i]! - x, this.xy[2 * i + 1]! - y);
          if (distanceM > this.weights.exposure.poi[poi.kind].radiusM) continue;
          const best = pois[poi.kind];
          if (best === undefined || distanceM < best.distanceM) {
            pois[poi.kind] = { id: poi.id, distanceM };
          }
        }
      }
    }
    const areaIds: string[] = [];
    for (const { area, bbox } of this.areas) {
      const inside = anchors.some(
        (anchor) =>
          anchor[0]! >= bbox[0] &&
          anchor[0]! <= bbox[2] &&
          anchor[1]! >= bbox[1] &&
          anchor[1]! <= bbox[3] &&
          booleanPointInPolygon(anchor as [number, number], {
            type: "MultiPolygon",
            coordinates: area.polygons,
          }),
      );
      if (inside) areaIds.push(area.id);
    }
    return { importance, pois, areaIds };
  }
}

/** Unite need units by site (an observation counts once per site). */
export function uniteNeedUnits(units: readonly NeedUnit[]): NeedUnit[] {
  const bySite = new Map<string, Map<string, NeedObservation>>();
  for (const unit of units) {
    let observations = bySite.get(unit.siteId);
    if (observations === undefined) {
      observations = new Map();
      bySite.set(unit.siteId, observations);
    }
    for (const observation of unit.observations) observations.set(observation.id, observation);
  }
  return [...bySite]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([siteId, observations]) => ({ siteId, observations: [...observations.values()] }));
}

/** Unite exposures of several actions (an alternative): the largest of each. */
export function uniteExposures(exposures: readonly Exposure[]): Exposure {
  const pois: Exposure["pois"] = {};
  const areaIds = new Set<string>();
  let importance = 0;
  for (const exposure of exposures) {
    importance = Math.max(importance, exposure.importance);
    for (const [kind, poi] of Object.entries(exposure.pois) as [
      PoiKind,
      { id: string; distanceM: number },
    ][]) {
      const best = pois[kind];
      if (best === undefined || poi.distanceM < best.distanceM) pois[kind] = poi;
    }
    for (const id of exposure.areaIds) areaIds.add(id);
  }
  return { importance, pois, areaIds: [...areaIds].sort() };
}

/** The score of an action or an alternative, with its terms. */
export function scoreBenefit(
  units: readonly NeedUnit[],
  light: LightGain | null,
  exposure: Exposure,
  weights: BenefitWeights,
): BenefitBreakdown {
  const w = weights.need;
  const places = uniteNeedUnits(units);
  const need: BenefitTerm[] = [];

  let severity = 0;
  let extraReports = 0;
  let extraWalks = 0;
  let feltPoints = 0;
  const feltGroups = new Map<string, Set<string>>();
  const allIds: string[] = [];
  const repeatIds: string[] = [];
  const walkIds: string[] = [];
  for (const place of places) {
    const observations = place.observations;
    if (observations.length === 0) continue;
    let worst = 0;
    const walks = new Set<string>();
    const groups = new Set<string>();
    for (const observation of observations) {
      worst = Math.max(worst, observation.severity);
      if (observation.walkId !== null) walks.add(observation.walkId);
      for (const group of observation.feltUnsafe) groups.add(group);
      allIds.push(observation.id);
    }
    severity += worst;
    const extra = Math.min(observations.length - 1, w.maxExtraReports);
    extraReports += extra;
    if (extra > 0) repeatIds.push(...observations.map((o) => o.id));
    if (walks.size > 1) {
      extraWalks += walks.size - 1;
      walkIds.push(...[...walks].sort());
    }
    for (const group of groups) {
      const points = w.feltUnsafePointsPerGroup[group] ?? 0;
      if (points <= 0) continue;
      feltPoints += points;
      let sites = feltGroups.get(group);
      if (sites === undefined) {
        sites = new Set();
        feltGroups.set(group, sites);
      }
      for (const observation of observations) {
        if (observation.feltUnsafe.includes(group)) sites.add(observation.id);
      }
    }
  }
  const siteIds = places.map((place) => place.siteId);
  if (severity > 0) {
    need.push({
      term: "severity",
      value: severity,
      points: severity * w.pointsPerSeverityStep,
      from: allIds.sort(),
      detail: { places: siteIds.length },
    });
  }
  if (extraReports > 0) {
    need.push({
      term: "reports",
      value: extraReports,
      points: extraReports * w.pointsPerExtraReport,
      from: repeatIds.sort(),
    });
  }
  if (extraWalks > 0) {
    need.push({
      term: "walks",
      value: extraWalks,
      points: extraWalks * w.pointsPerExtraWalk,
      from: walkIds,
    });
  }
  if (feltPoints > 0) {
    need.push({
      term: "felt_unsafe",
      value: feltGroups.size,
      points: feltPoints,
      from: [...new Set([...feltGroups.values()].flatMap((ids) => [...ids]))].sort(),
      detail: { groups: [...feltGroups.keys()].sort().join(",") },
    });
  }
  if (light !== null && light.newlyLitM > 0) {
    need.push({
      term: "newly_lit",
      value: round1(light.newlyLitM),
      points: (light.newlyLitM / 100) * w.pointsPer100MNewlyLit,
      from: [],
    });
  }
  if (light !== null && light.newlyCompliantM > 0) {
    need.push({
      term: "compliance",
      value: round1(light.newlyCompliantM),
      points: (light.newlyCompliantM / 100) * w.pointsPer100MNewlyCompliant,
      from: [],
    });
  }
  const needPoints = need.reduce((sum, term) => sum + term.points, 0);

  const e = weights.exposure;
  const factors: { term: BenefitTerm; factor: number }[] = [];
  const classFactor = Math.max(0, exposure.importance - 1) * e.pathClassFactorPerImportance;
  if (classFactor > 0) {
    factors.push({
      factor: classFactor,
      term: {
        term: "exposure_path_class",
        value: exposure.importance,
        points: 0,
        from: [],
        detail: { factor: classFactor },
      },
    });
  }
  for (const kind of POI_KINDS) {
    const poi = exposure.pois[kind];
    const factor = e.poi[kind].factor;
    if (poi === undefined || factor <= 0) continue;
    factors.push({
      factor,
      term: {
        term: "exposure_poi",
        value: 1,
        points: 0,
        from: [poi.id],
        detail: { kind, distanceM: Math.round(poi.distanceM), factor },
      },
    });
  }
  if (exposure.areaIds.length > 0 && e.priorityAreaFactor > 0) {
    factors.push({
      factor: e.priorityAreaFactor,
      term: {
        term: "priority_area",
        value: exposure.areaIds.length,
        points: 0,
        from: exposure.areaIds,
        detail: { factor: e.priorityAreaFactor },
      },
    });
  }
  const terms = [...need];
  for (const { term, factor } of factors) {
    term.points = needPoints * factor;
    terms.push(term);
  }
  const benefit = terms.reduce((sum, term) => sum + term.points, 0);
  return { benefit, terms };
}
