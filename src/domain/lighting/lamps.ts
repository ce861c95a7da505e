/**
 * Lamps as the model uses them: position in the local projection, mounting height, flux,
 * coverage radius and reach, on or off. Defaults fill what the inventory leaves out
 * (photometry.ts), and every lamp says which values were assumed, so the UI can show it.
 */
import Flatbush from "flatbush";
import type { Position } from "geojson";
import {
  fluxForHeight,
  type IntensityDistribution,
  type LampDefaults,
  RADIUS_PER_POLE_HEIGHT,
  reachM,
} from "./photometry";
import type { LocalProjection } from "./projection";
import type { LightingLamp, LightingLampColumns, NewLamp } from "./types";

/** LightingLampColumns.status codes (types.ts LAMP_STATUS_CODES). */
const OFF = 1;
const REMOVED = 2;

/** A lamp of the model, in model.lamps order (the indexes LampChange uses). */
export interface ResolvedLamp {
  id: string;
  ref: string | null;
  position: Position;
  poleHeightM: number;
  luminousFluxLm: number;
  radiusM: number;
  reachM: number;
  /** Lighting in the current state (today, plus applied changes). */
  on: boolean;
  /** Why it is off: its status, a walk's report, or a scenario that removed it. */
  offBecause: "status" | "reported_broken" | "removed" | null;
  /** Ids of the broken-lamp reports linked to it. */
  reportIds: string[];
  /** Which values are defaults, not data. */
  assumed: { poleHeight: boolean; luminousFlux: boolean };
  /** Added by a scenario (model.apply). */
  added: boolean;
}

export interface LampSettings {
  radiusM: number | null;
  distribution: IntensityDistribution;
  defaults: LampDefaults;
}

function positive(value: number | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : null;
}

/** Height, flux, radius and reach of a lamp, with defaults for what is missing. */
export function resolveLampValues(
  lamp: Pick<LightingLamp, "poleHeightM" | "luminousFluxLm" | "powerW" | "efficacyLmPerW">,
  settings: LampSettings,
): {
  poleHeightM: number;
  luminousFluxLm: number;
  radiusM: number;
  reachM: number;
  assumed: { poleHeight: boolean; luminousFlux: boolean };
} {
  const height = positive(lamp.poleHeightM);
  const poleHeightM = height ?? settings.defaults.poleHeightM;
  const power = positive(lamp.powerW);
  const efficacy = positive(lamp.efficacyLmPerW) ?? settings.defaults.efficacyLmPerW;
  const flux = positive(lamp.luminousFluxLm) ?? (power === null ? null : power * efficacy);
  return {
    poleHeightM,
    luminousFluxLm: flux ?? fluxForHeight(poleHeightM, settings.defaults),
    radiusM: settings.radiusM ?? RADIUS_PER_POLE_HEIGHT * poleHeightM,
    reachM: reachM(settings.distribution, poleHeightM),
    assumed: { poleHeight: height === null, luminousFlux: flux === null },
  };
}

const OFF_REASONS: readonly ResolvedLamp["offBecause"][] = [
  null,
  "status",
  "reported_broken",
  "removed",
];

/**
 * Lamp columns for the hot loops, plus a point index. Grows when lamps are added. The
 * ResolvedLamp objects are made only when asked for (`lamps`): a city has 40,000 lamps.
 */
export class LampTable {
  count = 0;
  /** Projected position, metres: x at 2i, y at 2i + 1. */
  xy = new Float64Array(0);
  lonLat = new Float64Array(0);
  heightM = new Float64Array(0);
  fluxLm = new Float64Array(0);
  radiusM = new Float64Array(0);
  reachM = new Float64Array(0);
  /** 1: lighting in the current state. */
  on = new Uint8Array(0);
  /** Index into OFF_REASONS. */
  offReason = new Uint8Array(0);
  /** Bit 1: height assumed; bit 2: flux assumed; bit 4: added by a scenario. */
  flags = new Uint8Array(0);
  /** The inventory (lamp i is its lamp inventoryIndex[i]), then added lamps' ids. */
  private inventory: LightingLampColumns | null = null;
  private inventoryIndex = new Uint32Array(0);
  private readonly addedIds: string[] = [];
  /** Broken-lamp reports linked to a lamp, by lamp index. */
  readonly reportIds = new Map<number, string[]>();
  maxRadiusM = 0;
  maxReachM = 0;
  private pointIndex: Flatbush | null = null;
  /** A grid of the lamps for nearestDistanceM (made on first use). */
  private pointGrid: PointGrid | null = null;
  private resolved: ResolvedLamp[] | null = null;

  constructor(
    private readonly projection: LocalProjection,
    private readonly settings: LampSettings,
  ) {}

  /** Room for `total` lamps in every column. */
  private reserve(total: number): void {
    const grow = <T extends Float64Array | Uint8Array>(array: T, size: number): T => {
      const next = new (array.constructor as new (n: number) => T)(size);
      next.set(array);
      return next;
    };
    this.xy = grow(this.xy, total * 2);
    this.lonLat = grow(this.lonLat, total * 2);
    this.heightM = grow(this.heightM, total);
    this.fluxLm = grow(this.fluxLm, total);
    this.radiusM = grow(this.radiusM, total);
    this.reachM = grow(this.reachM, total);
    this.on = grow(this.on, total);
    this.offReason = grow(this.offReason, total);
    this.flags = grow(this.flags, total);
  }

  /**
   * Lamp i's columns from its values (null or NaN: unknown), with the defaults of the
   * settings for what is unknown.
   */
  private put(
    i: number,
    lon: number,
    lat: number,
    poleHeight: number | null | undefined,
    luminousFlux: number | null | undefined,
    powerW: number | null | undefined,
    efficacyLmPerW: number | null | undefined,
    statusOff: boolean,
    added: boolean,
    reachPerHeight: number,
  ): void {
    const { defaults, radiusM: fixedRadius } = this.settings;
    const height = positive(poleHeight);
    const poleHeightM = height ?? defaults.poleHeightM;
    const power = positive(powerW);
    const efficacy = positive(efficacyLmPerW) ?? defaults.efficacyLmPerW;
    const flux = positive(luminousFlux) ?? (power === null ? null : power * efficacy);
    const radius = fixedRadius ?? RADIUS_PER_POLE_HEIGHT * poleHeightM;
    const reach = reachPerHeight * poleHeightM;
    this.lonLat[2 * i] = lon;
    this.lonLat[2 * i + 1] = lat;
    this.heightM[i] = poleHeightM;
    this.fluxLm[i] = flux ?? fluxForHeight(poleHeightM, defaults);
    this.radiusM[i] = radius;
    this.reachM[i] = reach;
    this.on[i] = statusOff ? 0 : 1;
    this.offReason[i] = statusOff ? 1 : 0;
    this.flags[i] = (height === null ? 1 : 0) | (flux === null ? 2 : 0) | (added ? 4 : 0);
    if (radius > this.maxRadiusM) this.maxRadiusM = radius;
    if (reach > this.maxReachM) this.maxReachM = reach;
  }

  /**
   * The inventory's lamps, removed ones left out (in input order); returns how many were
   * removed. Once, on an empty table.
   */
  addInventory(lamps: LightingLampColumns): number {
    if (this.count !== 0) throw new Error("LampTable.addInventory: the table is not empty");
    const status = lamps.status;
    let present = 0;
    for (let k = 0; k < lamps.count; k++) if (status[k] !== REMOVED) present++;
    this.reserve(present);
    const reachPerHeight = reachM(this.settings.distribution, 1);
    const { lonLat, poleHeightM, luminousFluxLm, powerW, efficacyLmPerW } = lamps;
    const inventoryIndex = new Uint32Array(present);
    let i = 0;
    for (let k = 0; k < lamps.count; k++) {
      if (status[k] === REMOVED) continue;
      this.put(
        i,
        lonLat[2 * k]!,
        lonLat[2 * k + 1]!,
        poleHeightM[k],
        luminousFluxLm[k],
        powerW[k],
        efficacyLmPerW[k],
        status[k] === OFF,
        false,
        reachPerHeight,
      );
      inventoryIndex[i] = k;
      i++;
    }
    this.projection.forwardAll(this.lonLat, this.xy, present);
    this.inventory = lamps;
    this.inventoryIndex = inventoryIndex;
    this.count = present;
    this.resolved = null;
    this.pointIndex = null;
    return lamps.count - present;
  }

  /** Append lamps added by a scenario; returns the index of the first. */
  add(lamps: readonly (NewLamp & { added: true })[]): number {
    const first = this.count;
    const total = first + lamps.length;
    this.reserve(total);
    const reachPerHeight = reachM(this.settings.distribution, 1);
    for (let k = 0; k < lamps.length; k++) {
      const lamp = lamps[k]!;
      const i = first + k;
      const position = lamp.position;
      this.put(
        i,
        position[0]!,
        position[1]!,
        lamp.poleHeightM,
        lamp.luminousFluxLm,
        null,
        null,
        false,
        true,
        reachPerHeight,
      );
      this.projection.forwardInto(position[0]!, position[1]!, this.xy, i);
      this.addedIds.push(lamp.id ?? `added-${i}`);
    }
    this.count = total;
    this.resolved = null;
    this.pointIndex = null;
    return first;
  }

  /** Lamp i's id: the inventory's, or an added lamp's. */
  idOf(i: number): string {
    const inventory = this.inventory;
    if (inventory !== null && i < this.inventoryIndex.length) {
      return inventory.id(this.inventoryIndex[i]!);
    }
    return this.addedIds[i - this.inventoryIndex.length]!;
  }

  /** Lamp i's inventory number (null for added lamps). */
  refOf(i: number): string | null {
    const inventory = this.inventory;
    if (inventory !== null && i < this.inventoryIndex.length) {
      return inventory.ref(this.inventoryIndex[i]!);
    }
    return null;
  }

  isAdded(i: number): boolean {
    return (this.flags[i]! & 4) !== 0;
  }

  offBecause(i: number): ResolvedLamp["offBecause"] {
    return OFF_REASONS[this.offReason[i]!] ?? null;
  }

  setOn(i: number, on: boolean, offBecause: ResolvedLamp["offBecause"]): void {
    this.on[i] = on ? 1 : 0;
    this.offReason[i] = on ? 0 : Math.max(0, OFF_REASONS.indexOf(offBecause));
    this.resolved = null;
  }

  linkReport(i: number, reportId: string): void {
    const list = this.reportIds.get(i);
    if (list === undefined) this.reportIds.set(i, [reportId]);
    else list.push(reportId);
    this.resolved = null;
  }

  /** The lamps as objects (made on first use after a change). */
  get lamps(): ResolvedLamp[] {
    if (this.resolved !== null) return this.resolved;
    const lamps: ResolvedLamp[] = [];
    for (let i = 0; i < this.count; i++) {
      lamps.push({
        id: this.idOf(i),
        ref: this.refOf(i),
        position: [this.lonLat[2 * i]!, this.lonLat[2 * i + 1]!],
        poleHeightM: this.heightM[i]!,
        luminousFluxLm: this.fluxLm[i]!,
        radiusM: this.radiusM[i]!,
        reachM: this.reachM[i]!,
        on: this.on[i] === 1,
        offBecause: this.offBecause(i),
        reportIds: [...(this.reportIds.get(i) ?? [])],
        assumed: {
          poleHeight: (this.flags[i]! & 1) !== 0,
          luminousFlux: (this.flags[i]! & 2) !== 0,
        },
        added: this.isAdded(i),
      });
    }
    this.resolved = lamps;
    return lamps;
  }

  /**
   * A point index of the lamps, made on first use after a change: a plain `lykta lighting`
   * run never needs one (only broken-lamp reports, gap reasons and illuminance queries do).
   */
  get index(): Flatbush | null {
    if (this.pointIndex !== null || this.count === 0) return this.pointIndex;
    const index = new Flatbush(this.count);
    for (let i = 0; i < this.count; i++) {
      const x = this.xy[2 * i]!;
      const y = this.xy[2 * i + 1]!;
      index.add(x, y, x, y);
    }
    index.finish();
    this.pointIndex = index;
    return index;
  }

  /**
   * The distance from a projected point to the nearest lamp within maxM that passes
   * `accept`, or null: what nearest() finds, through a grid of the lamps (made on first use,
   * far cheaper than the point index for the few gaps a summary names).
   */
  nearestDistanceM(
    x: number,
    y: number,
    maxM: number,
    accept: (i: number) => boolean,
  ): number | null {
    if (this.count === 0) return null;
    if (this.pointGrid === null || this.pointGrid.count !== this.count) {
      this.pointGrid = new PointGrid(this.xy, this.count);
    }
    const best = this.pointGrid.nearest(x, y, maxM, accept);
    return best < 0 ? null : Math.hypot(this.xy[2 * best]! - x, this.xy[2 * best + 1]! - y);
  }

  /** The nearest lamp to a projected point within maxM that passes `accept`, or -1. */
  nearest(x: number, y: number, maxM: number, accept: (i: number) => boolean): number {
    const index = this.index;
    if (index === null) return -1;
    const found = index.neighbors(x, y, 1, maxM, accept);
    return found.length > 0 ? found[0]! : -1;
  }
}

/**
 * A uniform grid of points (a counting sort by cell, two passes): cheaper to make than the
 * point index for the few distance queries of a summary's gaps.
 */
class PointGrid {
  private readonly minX: number;
  private readonly minY: number;
  private readonly cellM: number;
  private readonly columns: number;
  private readonly rows: number;
  /** Cell c's points are items[cellStart[c] .. cellStart[c + 1] - 1]. */
  private readonly cellStart: Uint32Array;
  private readonly items: Uint32Array;

  constructor(
    private readonly xy: Float64Array,
    readonly count: number,
  ) {
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const x = xy[2 * i]!;
      const y = xy[2 * i + 1]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    // About four points a cell where they are spread evenly.
    const area = Math.max(1, maxX - minX) * Math.max(1, maxY - minY);
    const cellM = Math.max(1, Math.sqrt((4 * area) / count));
    this.minX = minX;
    this.minY = minY;
    this.cellM = cellM;
    this.columns = Math.floor((maxX - minX) / cellM) + 1;
    this.rows = Math.floor((maxY - minY) / cellM) + 1;
    const cellOf = new Uint32Array(count);
    const cellStart = new Uint32Array(this.columns * this.rows + 1);
    for (let i = 0; i < count; i++) {
      const c = Math.floor((xy[2 * i]! - minX) / cellM);
      const r = Math.floor((xy[2 * i + 1]! - minY) / cellM);
      const cell = r * this.columns + c;
      cellOf[i] = cell;
      cellStart[cell + 1]! += 1;
    }
    for (let c = 0; c + 1 < cellStart.length; c++) cellStart[c + 1]! += cellStart[c]!;
    const cursor = cellStart.slice(0, cellStart.length - 1);
    const items = new Uint32Array(count);
    for (let i = 0; i < count; i++) items[cursor[cellOf[i]!]!++] = i;
    this.cellStart = cellStart;
    this.items = items;
  }

  /** The point nearest to (x, y) within maxM (inclusive) that passes `accept`, or -1. */
  nearest(x: number, y: number, maxM: number, accept: (i: number) => boolean): number {
    const { xy, cellM, items, cellStart, columns, rows } = this;
    const clamp = (value: number, last: number) => (value < 0 ? 0 : value > last ? last : value);
    const c0 = clamp(Math.floor((x - maxM - this.minX) / cellM), columns - 1);
    const c1 = clamp(Math.floor((x + maxM - this.minX) / cellM), columns - 1);
    const r0 = clamp(Math.floor((y - maxM - this.minY) / cellM), rows - 1);
    const r1 = clamp(Math.floor((y + maxM - this.minY) / cellM), rows - 1);
    const limit = maxM * maxM;
    let best = -1;
    let bestSquared = Number.POSITIVE_INFINITY;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * columns + c;
        for (let k = cellStart[cell]!; k < cellStart[cell + 1]!; k++) {
          const i = items[k]!;
          const dx = x - xy[2 * i]!;
          const dy = y - xy[2 * i + 1]!;
          const squared = dx * dx + dy * dy;
          if (squared <= limit && squared < bestSquared && accept(i)) {
            bestSquared = squared;
            best = i;
          }
        }
      }
    }
    return best;
  }
}
