/**
 * Coverage on hand-made geometry with exact answers: cut points are circle/segment
 * intersections, worked out by hand in metres (lighting.fixtures.ts places the geometry
 * with proj4, independently of projection.ts). Tolerance 0.1 mm.
 */
import { describe, expect, it } from "vitest";
import { pathColumnsOf } from "./columns";
import { at, CLASSES, IDENTITY, lamp, path } from "./lighting.fixtures";
import { createLightingModel } from "./model";
import { buildNetwork, forEachCircleInterval } from "./network";
import { type CoverageResult, type LightingInput, type LightingPath, PIECE_STATES } from "./types";

const MM = 4; // toBeCloseTo digits: |difference| < 0.5e-4 m

function coverage(input: LightingInput, radiusM: number | null = 10): CoverageResult {
  return createLightingModel(input, { classes: CLASSES, radiusM }).coverage();
}

/** [state, start, end] of every piece. */
function pieces(result: CoverageResult): [string, number, number][] {
  const out: [string, number, number][] = [];
  for (let i = 0; i < result.pieces.count; i++) {
    out.push([
      PIECE_STATES[result.pieces.state[i]!]!,
      result.pieces.startM[i]!,
      result.pieces.endM[i]!,
    ]);
  }
  return out;
}

function expectPieces(result: CoverageResult, expected: [string, number, number][]): void {
  const actual = pieces(result);
  expect(actual.map((piece) => piece[0])).toEqual(expected.map((piece) => piece[0]));
  actual.forEach((piece, i) => {
    expect(piece[1]).toBeCloseTo(expected[i]![1], MM);
    expect(piece[2]).toBeCloseTo(expected[i]![2], MM);
  });
}

describe("a straight path with lamps at known spacing", () => {
  const lamps = [0, 30, 60, 90];

  it("lamps on the path, R = 10 m: lit 70 m, three 10 m gaps", () => {
    const result = coverage({
      paths: [
        path("p", [
          [0, 0],
          [100, 0],
        ]),
      ],
      lamps: lamps.map((x) => lamp(`l${x}`, x, 0)),
    });
    expectPieces(result, [
      ["lit_by_lamp", 0, 10],
      ["unknown", 10, 20],
      ["lit_by_lamp", 20, 40],
      ["unknown", 40, 50],
      ["lit_by_lamp", 50, 70],
      ["unknown", 70, 80],
      ["lit_by_lamp", 80, 100],
    ]);
    expect(result.totals.pathsM).toBeCloseTo(100, MM);
    expect(result.totals.litByLampM).toBeCloseTo(70, MM);
    expect(result.totals.unlitM).toBeCloseTo(30, MM);
  });

  it("lamps 6 m beside the path: chords of 2·√(10² − 6²) = 16 m", () => {
    // The same with extra vertices on the path: cut points do not depend on them.
    const result = coverage({
      paths: [
        path("p", [
          [0, 0],
          [25, 0],
          [50, 0],
          [75, 0],
          [100, 0],
        ]),
      ],
      lamps: lamps.map((x) => lamp(`l${x}`, x, 6)),
    });
    expectPieces(result, [
      ["lit_by_lamp", 0, 8],
      ["unknown", 8, 22],
      ["lit_by_lamp", 22, 38],
      ["unknown", 38, 52],
      ["lit_by_lamp", 52, 68],
      ["unknown", 68, 82],
      ["lit_by_lamp", 82, 98],
      ["unknown", 98, 100],
    ]);
    expect(result.totals.litByLampM).toBeCloseTo(56, MM);
    expect(result.totals.unlitM).toBeCloseTo(44, MM);
  });

  it("the radius from pole height: 3.5 × 4 m = 14 m", () => {
    const result = coverage(
      {
        paths: [
          path("p", [
            [0, 0],
            [100, 0],
          ]),
        ],
        lamps: [lamp("l", 50, 0, { poleHeightM: 4 })],
      },
      null,
    );
    expectPieces(result, [
      ["unknown", 0, 36],
      ["lit_by_lamp", 36, 64],
      ["unknown", 64, 100],
    ]);
  });
});

describe("a path that leaves a lamp's circle and enters it again", () => {
  // Lamp at (0, 0), R = 20. The path runs east along y = 0 from x = −10 to 40 (50 m; inside
  // for x ≤ 20, i.e. the first 30 m), north to (40, 10) (10 m, outside), then west along
  // y = 10 to x = −40 (80 m), inside where |x| ≤ √(20² − 10²) = 17.320508 m: from
  // 60 + 40 − 17.320508 = 82.679492 m to 60 + 40 + 17.320508 = 117.320508 m along the path.
  const result = coverage(
    {
      paths: [
        path("p", [
          [-10, 0],
          [40, 0],
          [40, 10],
          [-40, 10],
        ]),
      ],
      lamps: [lamp("l", 0, 0)],
    },
    20,
  );
  const half = Math.sqrt(300);

  it("gives two lit pieces with exact cut points", () => {
    expectPieces(result, [
      ["lit_by_lamp", 0, 30],
      ["unknown", 30, 100 - half],
      ["lit_by_lamp", 100 - half, 100 + half],
      ["unknown", 100 + half, 140],
    ]);
  });

  it("adds up: 140 m, lit 30 + 2·√300 m", () => {
    expect(result.totals.pathsM).toBeCloseTo(140, MM);
    expect(result.totals.litByLampM).toBeCloseTo(30 + 2 * half, MM);
    expect(result.totals.unlitM).toBeCloseTo(110 - 2 * half, MM);
  });
});

describe("a lamp exactly on a vertex", () => {
  it("lights both segments as one piece, 10 m each way", () => {
    const result = coverage({
      paths: [
        path("p", [
          [0, 0],
          [50, 0],
          [50, 50],
        ]),
      ],
      lamps: [lamp("l", 50, 0)],
    });
    expectPieces(result, [
      ["unknown", 0, 40],
      ["lit_by_lamp", 40, 60],
      ["unknown", 60, 100],
    ]);
  });

  it("on the first vertex: only the part along the path", () => {
    const result = coverage({
      paths: [
        path("p", [
          [0, 0],
          [50, 0],
        ]),
      ],
      lamps: [lamp("l", 0, 0)],
    });
    expectPieces(result, [
      ["lit_by_lamp", 0, 10],
      ["unknown", 10, 50],
    ]);
  });
});

describe("edge cases of circles and segments", () => {
  it("a circle that only touches a segment gives no interval (exact arithmetic)", () => {
    // An identity "projection" keeps the metres exact, so the circle touches the segment
    // in exactly one point.
    const metres: LightingPath = {
      id: "p",
      coordinates: [
        [0, 0],
        [100, 0],
      ],
      pathClass: null,
      lit: "unknown",
    };
    const network = buildNetwork(pathColumnsOf([metres]), IDENTITY);
    const found: number[][] = [];
    forEachCircleInterval(network, 50, 10, 10, (p, start, end) => found.push([p, start, end]));
    expect(found).toEqual([]);
    forEachCircleInterval(network, 50, 8, 10, (p, start, end) => found.push([p, start, end]));
    expect(found).toEqual([[0, 44, 56]]);
  });

  it("a circle just clear of the path lights nothing; just over it, a short chord", () => {
    const clear = coverage({
      paths: [
        path("p", [
          [0, 0],
          [100, 0],
        ]),
      ],
      lamps: [lamp("l", 50, 10.001)],
    });
    expectPieces(clear, [["unknown", 0, 100]]);
    // 2·√(10² − 9.99²) = 0.894147 m
    const chord = Math.sqrt(100 - 9.99 ** 2);
    const over = coverage({
      paths: [
        path("p", [
          [0, 0],
          [100, 0],
        ]),
      ],
      lamps: [lamp("l", 50, 9.99)],
    });
    expectPieces(over, [
      ["unknown", 0, 50 - chord],
      ["lit_by_lamp", 50 - chord, 50 + chord],
      ["unknown", 50 + chord, 100],
    ]);
  });

  it("a path inside the circle is lit whole", () => {
    const result = coverage({
      paths: [
        path("p", [
          [0, 0],
          [5, 0],
        ]),
      ],
      lamps: [lamp("l", 2, 0)],
    });
    expectPieces(result, [["lit_by_lamp", 0, 5]]);
  });

  it("overlapping circles join into one lit piece", () => {
    const result = coverage({
      paths: [
        path("p", [
          [0, 0],
          [100, 0],
        ]),
      ],
      lamps: [lamp("a", 40, 0), lamp("b", 55, 0)],
    });
    expectPieces(result, [
      ["unknown", 0, 30],
      ["lit_by_lamp", 30, 65],
      ["unknown", 65, 100],
    ]);
  });
});

describe("the state of unlit pieces", () => {
  const lamps = [lamp("l", 50, 0)];

  it("follows the lit tag: yes → tagged_lit, no → dark, nothing → unknown", () => {
    for (const [lit, state] of [
      ["yes", "tagged_lit"],
      ["no", "dark"],
      ["unknown", "unknown"],
    ] as const) {
      const result = coverage({
        paths: [
          path(
            "p",
            [
              [0, 0],
              [100, 0],
            ],
            { lit },
          ),
        ],
        lamps,
      });
      expect(pieces(result).map((piece) => piece[0])).toEqual([state, "lit_by_lamp", state]);
    }
  });

  it("a walk's dark report marks the path within 25 m of it dark, whatever the tag", () => {
    const result = createLightingModel(
      {
        paths: [
          path(
            "p",
            [
              [0, 0],
              [200, 0],
            ],
            { lit: "yes" },
          ),
        ],
        lamps: [],
        observations: [
          {
            id: "report",
            coordinates: at(100, 5),
            reportsBrokenLamp: false,
            reportsDark: true,
            illuminanceLux: null,
          },
        ],
      },
      { classes: CLASSES },
    ).coverage();
    // √(25² − 5²) = 24.494897 m either side of x = 100.
    const half = Math.sqrt(600);
    expectPieces(result, [
      ["tagged_lit", 0, 100 - half],
      ["dark", 100 - half, 100 + half],
      ["tagged_lit", 100 + half, 200],
    ]);
    expect(result.totals.darkM).toBeCloseTo(2 * half, MM);
    expect(result.totals.unlitM).toBe(
      result.totals.taggedLitM + result.totals.darkM + result.totals.unknownM,
    );
  });
});

describe("lamp status and broken-lamp reports", () => {
  // Lamps at x = 0 and 40 on a path from x = −20 to 60, R = 25: lamp a lights 0..45 m along
  // the path, lamp b 35..80 m.
  const paths = [
    path("p", [
      [-20, 0],
      [60, 0],
    ]),
  ];
  const lamps = [lamp("a", 0, 0, { ref: "L1" }), lamp("b", 40, 0, { ref: "L2" })];
  const report = (x: number, y: number, lampRef?: string) => ({
    id: `report-${x}-${y}`,
    coordinates: at(x, y),
    reportsBrokenLamp: true,
    reportsDark: false,
    illuminanceLux: null,
    ...(lampRef ? { lampRef } : {}),
  });

  it("everything lit without reports", () => {
    const result = coverage({ paths, lamps }, 25);
    expectPieces(result, [["lit_by_lamp", 0, 80]]);
  });

  it("a report 10.2 m from lamp b (within 15 m) switches it off", () => {
    const result = coverage({ paths, lamps, observations: [report(42, 10)] }, 25);
    expectPieces(result, [
      ["lit_by_lamp", 0, 45],
      ["unknown", 45, 80],
    ]);
    expect(result.lamps).toMatchObject({ total: 2, working: 1, off: 1, reportedBroken: 1 });
    expect(result.gaps[0]?.reasons.reportedBrokenLampIds).toEqual(["b"]);
    expect(result.gaps[0]?.reasons.offLampIds).toEqual(["b"]);
  });

  it("a report 16 m from every lamp links to none", () => {
    const result = coverage({ paths, lamps, observations: [report(40, 16)] }, 25);
    expect(result.lamps).toMatchObject({ working: 2, reportedBroken: 0, unlinkedReports: 1 });
  });

  it("a report naming a lamp's ref switches that one off, wherever it was made", () => {
    const result = coverage({ paths, lamps, observations: [report(500, 500, "L1")] }, 25);
    expectPieces(result, [
      ["unknown", 0, 35],
      ["lit_by_lamp", 35, 80],
    ]);
  });

  it("status: off lamps are off, removed lamps are left out", () => {
    const result = coverage(
      {
        paths,
        lamps: [lamp("a", 0, 0, { status: "off" }), lamp("b", 40, 0, { status: "removed" })],
      },
      20,
    );
    expectPieces(result, [["unknown", 0, 80]]);
    expect(result.lamps).toMatchObject({ total: 2, working: 0, off: 1, removed: 1 });
  });
});

describe("pieces", () => {
  it("cover every path end to end, in order, and add up", () => {
    const result = coverage(
      {
        paths: [
          path(
            "a",
            [
              [0, 0],
              [100, 0],
              [100, 80],
            ],
            { lit: "yes" },
          ),
          path(
            "b",
            [
              [0, 30],
              [120, 30],
            ],
            { lit: "no" },
          ),
          path("c", [
            [-50, -50],
            [-50, 50],
          ]),
        ],
        lamps: [lamp("1", 20, 10), lamp("2", 95, 40), lamp("3", -45, 0)],
      },
      15,
    );
    const byPath = new Map<number, [number, number][]>();
    for (let i = 0; i < result.pieces.count; i++) {
      const list = byPath.get(result.pieces.pathIndex[i]!) ?? [];
      list.push([result.pieces.startM[i]!, result.pieces.endM[i]!]);
      byPath.set(result.pieces.pathIndex[i]!, list);
    }
    const lengths = [180, 120, 100];
    for (const [p, list] of byPath) {
      expect(list[0]![0]).toBe(0);
      for (let k = 1; k < list.length; k++) expect(list[k]![0]).toBe(list[k - 1]![1]);
      expect(list[list.length - 1]![1]).toBeCloseTo(lengths[p]!, MM);
    }
    const { totals } = result;
    expect(totals.litByLampM + totals.unlitM).toBeCloseTo(totals.pathsM, 9);
    expect(totals.unlitM).toBe(totals.taggedLitM + totals.darkM + totals.unknownM);
  });
});
