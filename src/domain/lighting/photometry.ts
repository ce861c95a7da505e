/**
 * The photometric model: how much light a lamp puts on the ground, and the defaults used
 * where a lamp inventory says nothing (docs/lighting.md, "Model").
 *
 * Horizontal illuminance at a ground point from one lamp at mounting height h, at a
 * horizontal distance d from the point below the lamp (the inverse-square and cosine laws):
 *
 *     E = I(γ) · cos³γ / h²,   γ = atan(d / h)
 *
 * with I(γ) the luminous intensity towards the point (cd). The intensity distributions
 * here are rotationally symmetric and given in candela per 1,000 lumen of lamp flux
 * (cd/klm), as photometric files (EULUMDAT, IES) give them, so I(γ) = table(γ) · Φ / 1000.
 * Several lamps add up. A maintenance factor turns the new-lamp values into maintained
 * values, which is what EN 13201-2 prescribes.
 */

/** A rotationally symmetric intensity distribution. */
export interface IntensityDistribution {
  name: string;
  /** Angle between two table entries, degrees; the first entry is straight down (γ = 0). */
  stepDeg: number;
  /** Intensity per 1,000 lm of lamp flux, cd/klm, at γ = 0, stepDeg, 2·stepDeg, ... */
  candelaPerKilolumen: readonly number[];
  /**
   * No light at or beyond this angle: it bounds a lamp's reach, h · tan(cutoffDeg). The
   * table's last entry must be at this angle and be 0, unless the table stops short of it.
   */
  cutoffDeg: number;
}

/**
 * The default: a generic full cut-off LED path luminaire (post-top or side-mounted).
 * Intensity rises from 145 cd/klm straight down to a peak of 276 cd/klm at 60° (1.9 times
 * the nadir value: light is spread along the path, as in any street luminaire), falls to
 * 174 cd/klm at 70° and 73 at 75°, and is 0 from 80° up: well within EN 13201-2:2015's
 * glare class G*4 (Annex A: at most 500, 100 and 10 cd/klm at 70°, 80° and 90°). The
 * table is scaled so that the flux below the horizon, 2π ∫ I(γ) sin γ dγ, is 1,000 lm per
 * 1,000 lm (photometry.test.ts integrates it): the lamp's whole flux reaches the ground
 * side, as it does for a full cut-off LED luminaire (upward light output ratio 0).
 * Linear between the entries. A real luminaire's file replaces this where known.
 */
export const DEFAULT_DISTRIBUTION: IntensityDistribution = Object.freeze({
  name: "generic full cut-off LED path luminaire",
  stepDeg: 5,
  candelaPerKilolumen: Object.freeze([
    145, 145, 148, 152, 160, 168, 180, 195, 212, 232, 253, 269, 276, 254, 174, 73, 0,
  ]),
  cutoffDeg: 80,
}) as IntensityDistribution;

/** Defaults for what a lamp inventory leaves out. */
export interface LampDefaults {
  /**
   * Mounting height when unknown: 5 m, the middle of the 4-6 m poles usual for footway and
   * cycle-path lighting (street lighting stands on 8-10 m poles). Utrecht's mast inventory
   * (9,793 masts, the shared test data) has a median MASTLENGTE of 5 m, quartiles 4 and 7 m.
   */
  poleHeightM: number;
  /**
   * Flux of a lamp on a 5 m pole when neither flux nor power is known: 4,000 lm, the middle
   * of what LED path luminaires are sold at (about 3,000-5,000 lm, 20-40 W). Scaled with the
   * square of the pole height (fluxForHeight), so the light under a taller pole is the
   * same: 16,000 lm at 10 m, the range of street luminaires.
   */
  luminousFluxLmAt5M: number;
  /**
   * Luminaire efficacy when only the power is known: 100 lm/W, between old high-pressure
   * sodium luminaires (about 70-100 lm/W including gear) and current LED ones (about
   * 120-160 lm/W): the lamp type is rarely in the inventory.
   */
  efficacyLmPerW: number;
}

export const LAMP_DEFAULTS: LampDefaults = Object.freeze({
  poleHeightM: 5,
  luminousFluxLmAt5M: 4000,
  efficacyLmPerW: 100,
});

/**
 * Maintained / initial light: 0.8. EN 13201-2's values are maintained values (after lamp
 * lumen depreciation and dirt); CIE 154:2003 gives maintenance factors of about 0.7-0.9 for
 * sealed road luminaires, and 0.8 is the usual planning value for LED.
 */
export const DEFAULT_MAINTENANCE_FACTOR = 0.8;

/**
 * Coverage radius per metre of pole height: R = 3.5 h (17.5 m for a 5 m pole). Why: with
 * the default luminaire and flux, the point midway between two 5 m poles 35 m apart (2R)
 * still gets 2 × 0.31 = 0.61 lx, the P5 minimum (0.6 lx), and poles farther apart than
 * about 7 times their height are uncommon on lit paths. So "within R of a working lamp" means
 * "lit at least to the lowest class a path is usually given".
 */
export const RADIUS_PER_POLE_HEIGHT = 3.5;

/** The flux assumed for a lamp whose flux and power are unknown. */
export function fluxForHeight(poleHeightM: number, defaults: LampDefaults = LAMP_DEFAULTS): number {
  return defaults.luminousFluxLmAt5M * (poleHeightM / 5) ** 2;
}

/** Intensity in cd/klm at γ degrees (linear between entries, 0 at and beyond the cutoff). */
export function intensityPerKilolumen(
  distribution: IntensityDistribution,
  gammaDeg: number,
): number {
  if (gammaDeg >= distribution.cutoffDeg) return 0;
  const table = distribution.candelaPerKilolumen;
  const position = gammaDeg / distribution.stepDeg;
  const index = Math.floor(position);
  if (index >= table.length - 1) return table[table.length - 1] ?? 0;
  const fraction = position - index;
  return table[index]! * (1 - fraction) + table[index + 1]! * fraction;
}

/**
 * Horizontal illuminance in lux at a ground point `distanceM` (horizontal) from the foot of
 * a lamp of flux `luminousFluxLm` mounted at `heightM`: I(γ) · cos³γ / h², times
 * `maintenanceFactor`. 0 beyond the cutoff.
 */
export function illuminanceLux(
  distribution: IntensityDistribution,
  luminousFluxLm: number,
  heightM: number,
  distanceM: number,
  maintenanceFactor = 1,
): number {
  const slant2 = distanceM * distanceM + heightM * heightM;
  const gammaDeg = Math.atan2(distanceM, heightM) / DEGREE;
  const intensity = (intensityPerKilolumen(distribution, gammaDeg) * luminousFluxLm) / 1000;
  // cos³γ / h² = h / slant³.
  return (maintenanceFactor * intensity * heightM) / (slant2 * Math.sqrt(slant2));
}

const DEGREE = Math.PI / 180;

/** How far a lamp lights the ground at all: h · tan(cutoff), metres. */
export function reachM(distribution: IntensityDistribution, heightM: number): number {
  return heightM * Math.tan(Math.min(distribution.cutoffDeg, 89.9) * DEGREE);
}

/** What a lamp's status says: it lights, it is there but dark, or it is not there. */
export type LampStatus = "working" | "off" | "removed";

/**
 * Status words of inventories (Swedish, English, Dutch, OSM lifecycle prefixes) that mean
 * the lamp is dark. Anything not listed here or in REMOVED_WORDS counts as working.
 */
const OFF_WORDS = [
  "off",
  "broken",
  "defect",
  "defective",
  "faulty",
  "out of order",
  "not working",
  "dark",
  "disused",
  "trasig",
  "sönder",
  "sonder",
  "släckt",
  "slackt",
  "ur funktion",
  "defekt",
  "fel",
  "felanmäld",
  "felanmald",
  "ej tänd",
  "ej tand",
  "kapot",
  "storing",
  "uit",
];
const REMOVED_WORDS = [
  "removed",
  "demolished",
  "planned",
  "proposed",
  "borttagen",
  "nedtagen",
  "riven",
  "planerad",
  "verwijderd",
  "gepland",
];

/** A lamp's status from an inventory's text (null: not said, so working). */
export function parseLampStatus(value: unknown): LampStatus {
  if (value === false || value === 0) return "off";
  if (typeof value !== "string") return "working";
  const lower = value.trim().toLowerCase();
  if (lower === "") return "working";
  if (REMOVED_WORDS.includes(lower)) return "removed";
  if (OFF_WORDS.includes(lower)) return "off";
  return "working";
}
