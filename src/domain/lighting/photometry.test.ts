/**
 * The photometric model against values computed by hand (E = I(γ) · cos³γ / h²), the
 * default intensity distribution's flux and glare limits, the defaults and status words.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_DISTRIBUTION,
  fluxForHeight,
  type IntensityDistribution,
  illuminanceLux,
  intensityPerKilolumen,
  LAMP_DEFAULTS,
  parseLampStatus,
  RADIUS_PER_POLE_HEIGHT,
  reachM,
} from "./photometry";

/** 1,000 cd in every direction below 89° for 1,000 lm: I(γ) = 1000 cd exactly. */
const FLAT: IntensityDistribution = Object.freeze({
  name: "flat 1000 cd/klm",
  stepDeg: 1,
  candelaPerKilolumen: Object.freeze(Array.from({ length: 90 }, () => 1000)),
  cutoffDeg: 89,
}) as IntensityDistribution;

describe("illuminance of one lamp, by hand", () => {
  // I = 1000 cd. E = 1000 · cos³γ / h², cos γ = h / √(h² + d²).
  it.each([
    // h, d, expected lux (hand computation)
    [5, 0, 40], // straight down: 1000 / 25
    [5, 5, 14.142135623730951], // γ = 45°: cos³ = (√2/2)³ = 0.3535534; × 1000 / 25
    [4, 3, 32], // cos γ = 4/5: 0.512 × 1000 / 16
    [6, 8, 6], // cos γ = 6/10: 0.216 × 1000 / 36
    [3, 4, 24], // cos γ = 3/5: 0.216 × 1000 / 9
    [10, 0, 10], // 1000 / 100
  ])("h = %d m, d = %d m", (h, d, expected) => {
    expect(illuminanceLux(FLAT, 1000, h, d)).toBeCloseTo(expected, 9);
  });

  it("scales with flux and maintenance factor", () => {
    // 4,000 lm → 4,000 cd; × 0.8 maintained: 4000 × 0.8 / 25 = 128 lx at the foot.
    expect(illuminanceLux(FLAT, 4000, 5, 0, 0.8)).toBeCloseTo(128, 9);
  });

  it("is 0 at and beyond the cutoff", () => {
    // tan 89° · 5 = 286.4 m
    expect(illuminanceLux(FLAT, 1000, 5, 5 * Math.tan((89 * Math.PI) / 180) + 0.01)).toBe(0);
    expect(reachM(FLAT, 5)).toBeCloseTo(5 * 57.28996163, 6);
  });
});

describe("the default distribution", () => {
  it("interpolates its table linearly", () => {
    expect(intensityPerKilolumen(DEFAULT_DISTRIBUTION, 0)).toBe(145);
    expect(intensityPerKilolumen(DEFAULT_DISTRIBUTION, 60)).toBe(276);
    // Half way between 60° (276) and 65° (254): 265.
    expect(intensityPerKilolumen(DEFAULT_DISTRIBUTION, 62.5)).toBe(265);
    expect(intensityPerKilolumen(DEFAULT_DISTRIBUTION, 80)).toBe(0);
    expect(intensityPerKilolumen(DEFAULT_DISTRIBUTION, 85)).toBe(0);
  });

  it("gives hand-computed illuminance for a 4,000 lm lamp on a 5 m pole", () => {
    // Straight down: 145 cd/klm × 4 klm = 580 cd; 580 / 25 = 23.2 lx.
    expect(illuminanceLux(DEFAULT_DISTRIBUTION, 4000, 5, 0)).toBeCloseTo(23.2, 9);
    // d = 5 m, γ = 45°: 232 × 4 = 928 cd; × 0.35355339 / 25 = 13.12390.
    expect(illuminanceLux(DEFAULT_DISTRIBUTION, 4000, 5, 5)).toBeCloseTo(13.1239, 4);
    // d = 10 m, γ = atan 2 = 63.43495°: 276 − 22 × 3.43495/5 = 260.8862 cd/klm → 1043.545 cd;
    // cos³γ = (1/√5)³ = 0.0894427; × / 25 = 3.73345 lx.
    expect(illuminanceLux(DEFAULT_DISTRIBUTION, 4000, 5, 10)).toBeCloseTo(3.73345, 4);
  });

  it("emits the lamp's whole flux below the horizon (within 0.5 %)", () => {
    // Φ = 2π ∫ I(γ) sin γ dγ over 0..90°, midpoint rule with 90,000 steps: an independent sum.
    const steps = 90_000;
    let flux = 0;
    for (let k = 0; k < steps; k++) {
      const gamma = ((k + 0.5) / steps) * (Math.PI / 2);
      flux +=
        intensityPerKilolumen(DEFAULT_DISTRIBUTION, (gamma * 180) / Math.PI) *
        Math.sin(gamma) *
        (Math.PI / 2 / steps);
    }
    flux *= 2 * Math.PI;
    expect(Math.abs(flux - 1000) / 1000).toBeLessThan(0.005);
  });

  it("keeps within glare class G*4 (EN 13201-2 Annex A: 500, 100, 10 cd/klm at 70°, 80°, 90°)", () => {
    expect(intensityPerKilolumen(DEFAULT_DISTRIBUTION, 70)).toBeLessThanOrEqual(500);
    expect(intensityPerKilolumen(DEFAULT_DISTRIBUTION, 80)).toBeLessThanOrEqual(100);
    expect(intensityPerKilolumen(DEFAULT_DISTRIBUTION, 90)).toBeLessThanOrEqual(10);
  });

  it("meets the reason given for R = 3.5 h: two default lamps 2R apart still give the P5 minimum", () => {
    const height = LAMP_DEFAULTS.poleHeightM;
    const midway = RADIUS_PER_POLE_HEIGHT * height;
    const lux = 2 * illuminanceLux(DEFAULT_DISTRIBUTION, fluxForHeight(height), height, midway);
    expect(lux).toBeGreaterThanOrEqual(0.6);
    expect(lux).toBeLessThan(0.7);
  });
});

describe("defaults", () => {
  it("scales the default flux with the square of the height", () => {
    expect(fluxForHeight(5)).toBe(4000);
    expect(fluxForHeight(10)).toBe(16000);
    expect(fluxForHeight(4)).toBeCloseTo(2560, 9);
  });
});

describe("parseLampStatus", () => {
  it.each([
    [undefined, "working"],
    [null, "working"],
    ["", "working"],
    ["OK", "working"],
    ["i drift", "working"],
    ["Trasig", "off"],
    ["släckt", "off"],
    ["broken", "off"],
    ["kapot", "off"],
    [false, "off"],
    ["borttagen", "removed"],
    ["planned", "removed"],
  ])("%s -> %s", (value, expected) => {
    expect(parseLampStatus(value)).toBe(expected);
  });
});
