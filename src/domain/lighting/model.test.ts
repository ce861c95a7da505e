/**
 * The model beyond plain coverage: illuminance against hand-computed values, scenarios
 * (evaluate, apply, scoreCandidates) against hand-computed answers and against a model
 * built from scratch, gaps and their ranking, areas, measurements.
 */
import { describe, expect, it } from "vitest";
import pathClassesData from "../../../data/path-classes.json";
import { seededCityNetwork } from "../../../test/fixtures/city";
import { mulberry32 } from "../ids";
import type { PathClassesFile } from "../layers";
import { lampsFromFeatures, pathsFromFeatures } from "./inputs";
import { at, CLASSES, lamp, path } from "./lighting.fixtures";
import { createLightingModel } from "./model";
import type { IntensityDistribution } from "./photometry";
import type { LightingInput, LightingOptions } from "./types";

const MM = 4;

/** 1,000 cd per 1,000 lm in every direction below 89°. */
const FLAT: IntensityDistribution = {
  name: "flat",
  stepDeg: 1,
  candelaPerKilolumen: Array.from({ length: 90 }, () => 1000),
  cutoffDeg: 89,
};

/** E of a 1,000 lm FLAT lamp at height h and horizontal distance d: 1000 · h / (d² + h²)^1.5. */
const flatLux = (d: number, h = 5) => (1000 * h) / (d * d + h * h) ** 1.5;

const FLAT_OPTIONS: LightingOptions = {
  classes: CLASSES,
  distribution: FLAT,
  maintenanceFactor: 1,
  radiusM: 20,
};
const flatLamp = (id: string, x: number, y: number, extra = {}) =>
  lamp(id, x, y, { poleHeightM: 5, luminousFluxLm: 1000, ...extra });

describe("illuminance at a point", () => {
  it("one lamp: 40 lx below it, 14.142 lx 5 m away (hand values)", () => {
    const model = createLightingModel(
      {
        paths: [
          path("p", [
            [0, 0],
            [20, 0],
          ]),
        ],
        lamps: [flatLamp("a", 10, 0)],
      },
      FLAT_OPTIONS,
    );
    expect(model.illuminanceAt(at(10, 0))).toBeCloseTo(40, 6);
    expect(model.illuminanceAt(at(15, 0))).toBeCloseTo(14.142136, 5);
    expect(model.illuminanceAt(at(10, 5))).toBeCloseTo(14.142136, 5);
  });

  it("two lamps add up; a lamp that is off adds nothing", () => {
    const both = createLightingModel(
      {
        paths: [
          path("p", [
            [0, 0],
            [20, 0],
          ]),
        ],
        lamps: [flatLamp("a", 0, 0), flatLamp("b", 10, 0)],
      },
      FLAT_OPTIONS,
    );
    expect(both.illuminanceAt(at(5, 0))).toBeCloseTo(2 * 14.142136, 5);
    const oneOff = createLightingModel(
      {
        paths: [
          path("p", [
            [0, 0],
            [20, 0],
          ]),
        ],
        lamps: [flatLamp("a", 0, 0), flatLamp("b", 10, 0, { status: "off" })],
      },
      FLAT_OPTIONS,
    );
    expect(oneOff.illuminanceAt(at(5, 0))).toBeCloseTo(14.142136, 5);
  });

  it("the maintenance factor scales it", () => {
    const model = createLightingModel(
      {
        paths: [
          path("p", [
            [0, 0],
            [20, 0],
          ]),
        ],
        lamps: [flatLamp("a", 10, 0)],
      },
      { ...FLAT_OPTIONS, maintenanceFactor: 0.8 },
    );
    expect(model.illuminanceAt(at(10, 0))).toBeCloseTo(32, 6);
  });
});

describe("illuminance along a path", () => {
  // A 20 m path, one FLAT lamp above its middle, R = 100 (one lit piece), samples every 1 m
  // at 0.5, 1.5, ... 19.5 m: distances 9.5, 8.5, ... 0.5, 0.5, ... 9.5 from the lamp.
  const model = createLightingModel(
    {
      paths: [
        path("p", [
          [0, 0],
          [20, 0],
        ]),
      ],
      lamps: [flatLamp("a", 10, 0)],
    },
    { ...FLAT_OPTIONS, radiusM: 100 },
  );
  const result = model.illuminance();
  const distances = Array.from({ length: 20 }, (_, k) => Math.abs(k + 0.5 - 10));
  const average = distances.reduce((sum, d) => sum + flatLux(d), 0) / 20;

  it("E_avg and E_min over the samples", () => {
    expect(result.pieces.count).toBe(1);
    expect(result.eAvgLux[0]).toBeCloseTo(average, 6);
    // The farthest samples, 9.5 m away: 5000 / (9.5² + 5²)^1.5 = 5000 / 115.25^1.5 = 4.04117 lx.
    expect(result.eMinLux[0]).toBeCloseTo(5000 / 115.25 ** 1.5, 6);
    expect(result.uniformity[0]).toBeCloseTo(5000 / 115.25 ** 1.5 / average, 6);
  });

  it("target class from the path class, and compliance", () => {
    // local_footway → P4 (5 lx average, 1 lx minimum); average ≈ 15.4, minimum 4.04: complies.
    expect(CLASSES.pClasses[result.targetClassIndex[0]!]?.id).toBe("P4");
    expect(result.compliant[0]).toBe(1);
    expect(result.byClass[0]).toMatchObject({ pathClass: "local_footway", targetClass: "P4" });
    expect(result.byClass[0]!.compliantShare).toBeCloseTo(1, 9);
  });

  it("does not comply when the minimum is below the class minimum", () => {
    // A main route (P2: 10 / 2 lx) 60 m long: the ends, 29.5 m from the lamp, get
    // 5000 / (29.5² + 25)^1.5 = 0.1838 lx < 2.
    const long = createLightingModel(
      {
        paths: [
          path(
            "p",
            [
              [0, 0],
              [60, 0],
            ],
            { pathClass: "main_route" },
          ),
        ],
        lamps: [flatLamp("a", 30, 0)],
      },
      { ...FLAT_OPTIONS, radiusM: 100 },
    ).illuminance();
    expect(long.eMinLux[0]).toBeCloseTo(5000 / (29.5 ** 2 + 25) ** 1.5, 6);
    expect(long.compliant[0]).toBe(0);
  });

  it("a path without a class has no target", () => {
    const none = createLightingModel(
      {
        paths: [
          path(
            "p",
            [
              [0, 0],
              [20, 0],
            ],
            { pathClass: null },
          ),
        ],
        lamps: [flatLamp("a", 10, 0)],
      },
      FLAT_OPTIONS,
    ).illuminance();
    expect(none.targetClassIndex[0]).toBe(-1);
    expect(none.compliant[0]).toBe(-1);
    expect(none.byClass[0]).toMatchObject({ pathClass: "unclassified", compliantM: null });
  });
});

describe("scenarios", () => {
  // A 100 m footway with lamps at both ends, R = 20: lit 0..20 and 80..100, a 60 m gap.
  const lamps = [
    flatLamp("a", 0, 0),
    flatLamp("b", 100, 0),
    flatLamp("c", 50, 1000, { status: "off" }),
  ];
  const input: LightingInput = {
    paths: [
      path("p", [
        [0, 0],
        [100, 0],
      ]),
      path("far", [
        [0, 1000],
        [100, 1000],
      ]),
    ],
    lamps,
  };

  it("a lamp added in the gap lights 40 m (30..70)", () => {
    const model = createLightingModel(input, FLAT_OPTIONS);
    const result = model.evaluate({ add: [{ position: at(50, 0) }] });
    expect(result.newlyLitM).toBeCloseTo(40, MM);
    expect(result.newlyUnlitM).toBe(0);
    // local_footway importance 1.5
    expect(result.weightedNewlyLitM).toBeCloseTo(60, MM);
    expect(result.recomputedPaths).toBe(1);
    expect(result.pieces).toHaveLength(1);
    expect(result.pieces[0]).toMatchObject({ stateBefore: "unknown", pathIndex: 0 });
    expect(result.pieces[0]!.startM).toBeCloseTo(20, MM);
    expect(result.pieces[0]!.endM).toBeCloseTo(80, MM);
  });

  it("a lamp removed leaves its 20 m unlit; repairing an off lamp lights 40 m", () => {
    const model = createLightingModel(input, FLAT_OPTIONS);
    expect(model.evaluate({ remove: [1] }).newlyUnlitM).toBeCloseTo(20, MM);
    const repaired = model.evaluate({ repair: [2] });
    expect(repaired.newlyLitM).toBeCloseTo(40, MM);
    expect(repaired.pieces[0]?.pathIndex).toBe(1);
  });

  it("evaluate changes nothing; apply gives what a model built with the change gives", () => {
    const model = createLightingModel(input, FLAT_OPTIONS);
    const before = model.coverage();
    model.evaluate({ add: [{ position: at(50, 0) }], remove: [0] });
    expect(model.coverage().totals).toEqual(before.totals);
    model.apply({
      add: [{ position: at(50, 0), poleHeightM: 5, luminousFluxLm: 1000 }],
      remove: [0],
    });
    const fresh = createLightingModel(
      { ...input, lamps: [lamps[1]!, lamps[2]!, flatLamp("new", 50, 0)] },
      FLAT_OPTIONS,
    );
    const applied = model.coverage();
    const rebuilt = fresh.coverage();
    expect(applied.totals.litByLampM).toBeCloseTo(rebuilt.totals.litByLampM, 9);
    expect([...applied.pieces.state]).toEqual([...rebuilt.pieces.state]);
    expect(model.lamps[3]).toMatchObject({ added: true, on: true });
    expect(model.lamps[0]).toMatchObject({ on: false, offBecause: "removed" });
  });

  it("illuminance after a change equals a model built with it, sample by sample", () => {
    const model = createLightingModel(input, FLAT_OPTIONS);
    model.illuminance();
    const result = model.evaluate({
      add: [{ position: at(50, 0), poleHeightM: 5, luminousFluxLm: 1000 }],
    });
    const fresh = createLightingModel(
      { ...input, lamps: [...lamps, flatLamp("new", 50, 0)] },
      FLAT_OPTIONS,
    );
    // The gap piece, 20..80 m: samples at 20.5 ... 79.5 m.
    const piece = result.pieces.find(
      (entry) => entry.pathIndex === 0 && entry.stateBefore === "unknown",
    )!;
    const samples = Array.from({ length: 60 }, (_, k) => 20.5 + k);
    const after = samples.map((x) => fresh.illuminanceAt(at(x, 0)));
    const before = samples.map((x) => model.illuminanceAt(at(x, 0)));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(piece.eAvgLuxBefore).toBeCloseTo(mean(before), 6);
    expect(piece.eAvgLuxAfter).toBeCloseTo(mean(after), 6);
    expect(piece.eMinLuxAfter).toBeCloseTo(Math.min(...after), 6);
    // The new lamp's light summed over the samples, 1 m each.
    const gain = samples.reduce((sum, x) => sum + flatLux(Math.abs(x - 50)), 0);
    expect(piece.illuminanceGainLuxM).toBeCloseTo(gain, 6);
    model.apply({ add: [{ position: at(50, 0), poleHeightM: 5, luminousFluxLm: 1000 }] });
    const applied = model.illuminance();
    const rebuilt = fresh.illuminance();
    expect(applied.pieces.count).toBe(rebuilt.pieces.count);
    for (let i = 0; i < applied.pieces.count; i++) {
      expect(applied.eAvgLux[i]).toBeCloseTo(rebuilt.eAvgLux[i]!, 9);
      expect(applied.eMinLux[i]).toBeCloseTo(rebuilt.eMinLux[i]!, 9);
    }
  });

  it("scores candidates: metres newly lit, weighted, and light up to the target", () => {
    const model = createLightingModel(input, FLAT_OPTIONS);
    model.illuminance();
    const scores = model.scoreCandidates([at(50, 0), at(50, 30), at(0, 0)], {
      poleHeightM: 5,
      luminousFluxLm: 1000,
    });
    expect([...scores.newlyLitM].map((value) => Number(value.toFixed(4)))).toEqual([40, 0, 0]);
    expect(scores.weightedNewlyLitM[0]).toBeCloseTo(60, MM);
    // Useful gain of the first: Σ over the footway's 100 samples of
    // min(E + ΔE, 5) − min(E, 5), with E from lamps a and b (P4 average 5 lx).
    let useful = 0;
    for (let k = 0; k < 100; k++) {
      const x = k + 0.5;
      const today = flatLux(x) + flatLux(100 - x);
      useful += Math.min(today + flatLux(Math.abs(x - 50)), 5) - Math.min(today, 5);
    }
    expect(scores.usefulGainLuxM?.[0]).toBeCloseTo(useful, 6);
    // A candidate 30 m from the footway: no metres lit, but a little light on it.
    expect(scores.usefulGainLuxM?.[1]).toBeGreaterThan(0);
  });

  it("agrees with evaluate and with rebuilding, on a seeded city, for random changes", () => {
    const city = seededCityNetwork({ seed: 7, sideM: 1200 });
    const pathClasses = pathClassesData as PathClassesFile;
    const { paths } = pathsFromFeatures(city.paths.features, { pathClasses });
    const { lamps } = lampsFromFeatures(city.lamps.features);
    const options: LightingOptions = { classes: CLASSES };
    const model = createLightingModel({ paths, lamps }, options);
    const before = model.coverage().totals.litByLampM;
    const random = mulberry32(20271202);
    for (let round = 0; round < 10; round++) {
      const remove = [Math.floor(random() * lamps.length), Math.floor(random() * lamps.length)];
      // Somewhere in the city (1.2 km square around Västerås centre, 16.54 E 59.61 N).
      const add = [
        { position: [16.54 + (random() - 0.5) * 0.02, 59.61 + (random() - 0.5) * 0.01] },
      ];
      const scenario = model.evaluate({ add, remove });
      const kept = lamps.filter((_, index) => !remove.includes(index));
      const rebuilt = createLightingModel(
        { paths, lamps: [...kept, { id: "new", position: add[0]!.position }] },
        options,
      ).coverage().totals.litByLampM;
      expect(before + scenario.newlyLitM - scenario.newlyUnlitM).toBeCloseTo(rebuilt, 6);
      const score = model.scoreCandidates([add[0]!.position]);
      const alone = model.evaluate({ add });
      expect(score.newlyLitM[0]).toBeCloseTo(alone.newlyLitM, 9);
    }
  });

  it("refuses lamp indexes that do not exist", () => {
    const model = createLightingModel(input, FLAT_OPTIONS);
    expect(() => model.evaluate({ remove: [3] })).toThrow("remove: 3 is not a lamp index (0..2)");
    expect(() => model.evaluate({ repair: [-1] })).toThrow(RangeError);
  });
});

describe("gaps", () => {
  // A: a main route (importance 3) with lamps at both ends, R = 30: gap 30..70 (40 m, score 120).
  // B: a park path (1), no lamps: 300 m, score 300. C: a footway (1.5) lit at its start: gap
  // 30..60 (30 m, score 45). D: a footway with a 3 m gap (under minGapM, 5 m).
  const result = createLightingModel(
    {
      paths: [
        path(
          "A",
          [
            [0, 0],
            [100, 0],
          ],
          { pathClass: "main_route" },
        ),
        path(
          "B",
          [
            [0, 200],
            [300, 200],
          ],
          { pathClass: "park_path", lit: "no" },
        ),
        path("C", [
          [0, 400],
          [60, 400],
        ]),
        path("D", [
          [0, 600],
          [63, 600],
        ]),
      ],
      lamps: [
        lamp("a1", 0, 0),
        lamp("a2", 100, 0),
        lamp("c1", 0, 400),
        lamp("d1", 0, 600),
        lamp("d2", 63, 600),
      ],
      pois: [
        { id: "school", position: at(50, 100), kind: "school", name: "Skolan" },
        { id: "stop", position: at(50, -160), kind: "transit_stop", name: null },
      ],
    },
    { classes: CLASSES, radiusM: 30 },
  ).coverage();

  it("are ranked by length × importance", () => {
    expect(result.gaps.map((gap) => gap.pathId)).toEqual(["B", "A", "C"]);
    expect(result.gaps.map((gap) => gap.rank)).toEqual([1, 2, 3]);
    expect(result.gaps[1]!.lengthM).toBeCloseTo(40, MM);
    expect(result.gaps[1]!.score).toBeCloseTo(120, MM);
    expect(result.gaps[0]!.darkM).toBeCloseTo(300, MM);
    expect(result.gapCount).toBe(3);
  });

  it("say where they start and end", () => {
    const gap = result.gaps[1]!;
    expect(gap.startM).toBeCloseTo(30, MM);
    expect(gap.endM).toBeCloseTo(70, MM);
    const start = at(30, 0);
    expect(gap.start[0]).toBeCloseTo(start[0]!, 8);
    expect(gap.start[1]).toBeCloseTo(start[1]!, 8);
  });

  it("list schools and stops within 150 m", () => {
    // The school is 100 m from gap A (at x = 50) and from path B; the stop 160 m from A.
    expect(result.gaps[1]!.nearby.map((poi) => poi.id)).toEqual(["school"]);
    expect(result.gaps[1]!.nearby[0]!.distanceM).toBeCloseTo(100, 3);
    expect(result.gaps[0]!.nearby.map((poi) => poi.id)).toEqual(["school"]);
  });

  it("say why they are dark", () => {
    // The middle of gap A is 50 m from both lamps.
    expect(result.gaps[1]!.reasons).toMatchObject({ offLampIds: [], lit: "unknown" });
    expect(result.gaps[1]!.reasons.nearestWorkingLampM).toBeCloseTo(50, 3);
    expect(result.gaps[0]!.reasons.lit).toBe("no");
  });

  it("the first few of a seeded city are the first few of all of them, in the same order", () => {
    const city = seededCityNetwork({ seed: 7, sideM: 1500 });
    const pathClasses = pathClassesData as PathClassesFile;
    const { paths } = pathsFromFeatures(city.paths.features, { pathClasses });
    const { lamps } = lampsFromFeatures(city.lamps.features);
    const all = createLightingModel({ paths, lamps }, { classes: CLASSES, maxGaps: 100_000 });
    const allGaps = all.coverage();
    expect(allGaps.gaps.length).toBe(allGaps.gapCount);
    expect(allGaps.gapCount).toBeGreaterThan(40);
    for (const maxGaps of [1, 5, 20]) {
      const few = createLightingModel({ paths, lamps }, { classes: CLASSES, maxGaps }).coverage();
      expect(few.gapCount).toBe(allGaps.gapCount);
      expect(few.gaps).toEqual(allGaps.gaps.slice(0, maxGaps));
    }
    // Worst first, by the rule (a check of the full list, not of the code's own order).
    for (let k = 1; k < allGaps.gaps.length; k++) {
      const [a, b] = [allGaps.gaps[k - 1]!, allGaps.gaps[k]!];
      expect(
        a.score > b.score ||
          (a.score === b.score &&
            (a.pathIndex < b.pathIndex || (a.pathIndex === b.pathIndex && a.startM < b.startM))),
      ).toBe(true);
    }
  });
});

describe("priority areas", () => {
  // The path runs from x = 0 to 100 with a lamp at 0 (R = 30: lit 0..30). The area is the
  // rectangle x −10..50, y −10..10, with a hole x 10..20.
  const area = {
    id: "area-1",
    name: "Centrum",
    polygons: [
      [
        [at(-10, -10), at(50, -10), at(50, 10), at(-10, 10), at(-10, -10)],
        [at(10, -5), at(10, 5), at(20, 5), at(20, -5), at(10, -5)],
      ],
    ],
  };
  const model = createLightingModel(
    {
      paths: [
        path("p", [
          [0, 0],
          [100, 0],
        ]),
      ],
      lamps: [lamp("l", 0, 0)],
      areas: [area],
    },
    { classes: CLASSES, radiusM: 30 },
  );

  it("count only the length inside, with exact cut points at the boundary", () => {
    const [summary] = model.coverage().byArea;
    // Inside: 0..10 and 20..50 = 40 m; lit inside: 0..10 and 20..30 = 20 m.
    expect(summary).toMatchObject({ id: "area-1", name: "Centrum" });
    expect(summary!.pathsM).toBeCloseTo(40, MM);
    expect(summary!.litByLampM).toBeCloseTo(20, MM);
    expect(summary!.unknownM).toBeCloseTo(20, MM);
    expect(summary!.byClass[0]).toMatchObject({ pathClass: "local_footway" });
    expect(summary!.compliantShare).toBeNull();
  });

  it("give the share that complies in illuminance mode", () => {
    const [summary] = model.illuminance().byArea;
    expect(summary!.compliantShare).not.toBeNull();
  });
});

describe("measurements", () => {
  it("keep each lux reading next to the model's value there", () => {
    const model = createLightingModel(
      {
        paths: [
          path("p", [
            [0, 0],
            [20, 0],
          ]),
        ],
        lamps: [flatLamp("a", 10, 0)],
        observations: [
          {
            id: "m1",
            coordinates: at(10, 3),
            reportsBrokenLamp: false,
            reportsDark: false,
            illuminanceLux: 12,
          },
          {
            id: "m2",
            coordinates: at(10, 40),
            reportsBrokenLamp: false,
            reportsDark: false,
            illuminanceLux: 0.5,
          },
        ],
      },
      FLAT_OPTIONS,
    );
    const [near, far] = model.illuminance().measurements;
    // 3 m from the foot of the lamp: 5000 / (9 + 25)^1.5 = 25.2214 lx.
    expect(near).toMatchObject({ observationId: "m1", measuredLux: 12, pathIndex: 0 });
    expect(near!.modelledLux).toBeCloseTo(5000 / 34 ** 1.5, 6);
    expect(near!.distanceToPathM).toBeCloseTo(3, 4);
    expect(far).toMatchObject({ observationId: "m2", pathIndex: null, distanceToPathM: null });
  });
});

describe("programmer errors", () => {
  it("throw with an exact message", () => {
    expect(() =>
      createLightingModel(
        {
          paths: [{ id: "x", coordinates: [[16, 59]], pathClass: null, lit: "unknown" }],
          lamps: [],
        },
        { classes: CLASSES },
      ),
    ).toThrow("createLightingModel: paths[0] (x) has fewer than 2 positions");
    expect(() =>
      createLightingModel({ paths: [], lamps: [] }, { classes: CLASSES, radiusM: 0 }),
    ).toThrow("createLightingModel: radiusM must be > 0, got 0");
  });

  it("an empty input gives empty results", () => {
    const result = createLightingModel(
      { paths: [], lamps: [] },
      { classes: CLASSES },
    ).illuminance();
    expect(result.pieces.count).toBe(0);
    expect(result.totals.pathsM).toBe(0);
  });
});
