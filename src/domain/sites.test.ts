import { describe, expect, it } from "vitest";
import { seededCity } from "../../test/fixtures/city";
import { testContext } from "../../test/fixtures/context";
import {
  at,
  CHECKLIST,
  EVENING_MS,
  lineThrough,
  pointAt,
  rectangle,
  report,
} from "../../test/fixtures/sites";
import { distanceM } from "./geometry";
import { mulberry32 } from "./ids";
import { EMPTY_FIELDS } from "./kinds";
import { EMPTY_OBSERVATION_FIELDS, type ObservationRecord } from "./observation";
import { tombstoneRecord } from "./record";
import { mercatorScale, placeDistanceM, planarShape } from "./site-geometry";
import {
  createSiteLink,
  EMPTY_SITE_LINK_FIELDS,
  groupSiteIndex,
  groupSites,
  joinSites,
  nearbyReports,
  representativePoint,
  type Site,
  type SiteIndex,
  type SiteLinkRecord,
  siteIdOf,
  splitSite,
} from "./sites";

const ctx = testContext("planner-tablet", 11);

const sitesOf = (observations: ObservationRecord[], links: SiteLinkRecord[] = []) =>
  groupSites(observations, links, CHECKLIST);
const memberLists = (sites: Site[]) => sites.map((site) => site.memberIds);

/** Records written by a planner action, applied to the current links (by id). */
function apply(links: SiteLinkRecord[], written: SiteLinkRecord[]): SiteLinkRecord[] {
  const byId = new Map(links.map((link) => [link.id, link]));
  for (const record of written) byId.set(record.id, record);
  return [...byId.values()];
}

describe("groupSites: one place reported by several teams", () => {
  const viaduct = [
    report("viaduct-c", "lighting.dark_tunnel", pointAt(0, 0), {
      walkId: "walk-north",
      severity: 4,
      feltUnsafe: ["everyone"],
      observedAt: EVENING_MS + 120_000,
    }),
    report("viaduct-a", "lighting.dark_tunnel", pointAt(6, 3), {
      walkId: "walk-centre",
      severity: 5,
      feltUnsafe: ["women", "elderly"],
      observedAt: EVENING_MS,
    }),
    report("viaduct-b", "lighting.too_dim", pointAt(-4, 5), {
      walkId: "walk-east",
      severity: 3,
      feltUnsafe: ["women"],
      observedAt: EVENING_MS + 60_000,
    }),
  ];

  it("counts three reports of a viaduct by three walks as one site", () => {
    const positions = [at(0, 0), at(6, 3), at(-4, 5)];
    expect(sitesOf(viaduct)).toEqual([
      {
        id: "site-viaduct-a",
        groupId: "lighting",
        memberIds: ["viaduct-a", "viaduct-b", "viaduct-c"],
        categoryIds: ["lighting.dark_tunnel", "lighting.too_dim"],
        reportCount: 3,
        walkIds: ["walk-centre", "walk-east", "walk-north"],
        walkCount: 3,
        feltUnsafe: { everyone: 1, women: 2, elderly: 1 },
        maxSeverity: 5,
        firstObservedAt: EVENING_MS,
        lastObservedAt: EVENING_MS + 120_000,
        position: [expect.closeTo(16.5346 + 2 / 3 / 56_253, 9), expect.any(Number)],
        bbox: [positions[2]![0], positions[0]![1], positions[1]![0], positions[2]![1]],
        planned: false,
      },
    ]);
    const [site] = sitesOf(viaduct);
    const meanLat = (positions[0]![1] + positions[1]![1] + positions[2]![1]) / 3;
    expect(site!.position[1]).toBeCloseTo(meanLat, 10);
  });

  it("gives the same site whatever the order of the reports", () => {
    expect(sitesOf([...viaduct].reverse())).toEqual(sitesOf(viaduct));
  });

  it("keeps two problems of different checklist groups at one spot apart", () => {
    const sites = sitesOf([
      report("lamp", "lighting.broken", pointAt(0, 0)),
      report("trees", "vegetation.trees_shading_lamps", pointAt(3, 0)),
    ]);
    expect(sites.map((site) => [site.id, site.groupId])).toEqual([
      ["site-lamp", "lighting"],
      ["site-trees", "vegetation"],
    ]);
  });

  it("makes a lone report a site of one", () => {
    const [site] = sitesOf([report("alone", "maintenance.graffiti", pointAt(0, 0))]);
    expect(site).toMatchObject({ id: "site-alone", reportCount: 1, walkCount: 1 });
  });

  it("ignores deleted reports, reports without a geometry and unknown categories", () => {
    const deleted = tombstoneRecord(
      report("deleted", "lighting.broken", pointAt(2, 0)),
      EMPTY_OBSERVATION_FIELDS,
      ctx,
    );
    const noGeometry = { ...report("no-geometry", "lighting.broken", pointAt(0, 0)) };
    noGeometry.fields = { ...noGeometry.fields, geometry: null };
    const retired = report("retired", "lighting.retired_code", pointAt(1, 0));
    const sites = sitesOf([
      report("lamp", "lighting.broken", pointAt(0, 0)),
      deleted,
      noGeometry,
      retired,
    ]);
    expect(memberLists(sites)).toEqual([["lamp"]]);
  });

  it("refuses the same observation twice (a programmer error)", () => {
    const lamp = report("lamp", "lighting.broken", pointAt(0, 0));
    expect(() => sitesOf([lamp, lamp])).toThrow("groupSites: observation lamp is given twice");
  });
});

describe("groupSites: complete linkage, no chaining", () => {
  it("pairs ten broken lamps along a street instead of making one 178 m site", () => {
    // Gaps of 18 m and 22 m alternate; lighting's radius is 25 m, so neighbours are the
    // same place but no three lamps are (18 + 22 = 40 m). The 18 m pairs come first.
    const eastM = [0, 18, 40, 58, 80, 98, 120, 138, 160, 178];
    const lamps = eastM.map((east, i) => report(`lamp-${i}`, "lighting.broken", pointAt(east, 0)));
    expect(memberLists(sitesOf(lamps))).toEqual([
      ["lamp-0", "lamp-1"],
      ["lamp-2", "lamp-3"],
      ["lamp-4", "lamp-5"],
      ["lamp-6", "lamp-7"],
      ["lamp-8", "lamp-9"],
    ]);
  });

  it("never makes a site wider than the radius, even with equal gaps", () => {
    const lamps = Array.from({ length: 10 }, (_, i) =>
      report(`lamp-${i}`, "lighting.broken", pointAt(i * 20, 0)),
    );
    const sites = sitesOf(lamps);
    expect(sites.length).toBeGreaterThanOrEqual(5);
    for (const site of sites) {
      const eastOf = (id: string) => Number(id.slice(5)) * 20;
      const spanM =
        Math.max(...site.memberIds.map(eastOf)) - Math.min(...site.memberIds.map(eastOf));
      expect(spanM).toBeLessThanOrEqual(20);
    }
  });
});

describe("groupSites: lines and polygons", () => {
  it("joins lines along the same path and keeps a crossing street apart", () => {
    const sites = sitesOf([
      // A 200 m dark stretch, and a 60 m one along the same street 6 m further north.
      report("line-a", "lighting.dark_stretch", lineThrough([0, 0], [100, 0], [200, 0])),
      report("line-b", "lighting.dark_stretch", lineThrough([20, 6], [80, 6])),
      // A 200 m street crossing it: only 50 m of either lies within 25 m of the other.
      report("line-c", "lighting.dark_stretch", lineThrough([100, -100], [100, 100])),
      // A parallel street 40 m north: beyond the radius.
      report("line-d", "lighting.dark_stretch", lineThrough([0, 40], [200, 40])),
    ]);
    expect(memberLists(sites)).toEqual([["line-a", "line-b"], ["line-c"], ["line-d"]]);
  });

  it("joins a line with a polygon when most of it runs inside", () => {
    const sites = sitesOf([
      report("brush", "vegetation.brush_sightlines", rectangle(0, 0, 60, 100)),
      report("path-through", "vegetation.overgrown_path", lineThrough([0, 50], [100, 50])),
      report("path-away", "vegetation.overgrown_path", lineThrough([0, 150], [100, 150])),
    ]);
    expect(memberLists(sites)).toEqual([["brush", "path-through"], ["path-away"]]);
  });

  it("joins polygons that overlap; polygons 10 m apart stay two places", () => {
    const sites = sitesOf([
      report("brush-a", "vegetation.brush_sightlines", rectangle(0, 0, 40, 40)),
      report("brush-b", "vegetation.brush_sightlines", rectangle(30, 10, 70, 30)),
      report("brush-c", "vegetation.brush_sightlines", rectangle(80, 0, 120, 40)),
    ]);
    expect(memberLists(sites)).toEqual([["brush-a", "brush-b"], ["brush-c"]]);
  });

  it("joins a polygon that lies inside another", () => {
    const sites = sitesOf([
      report("outer", "deserted.no_people", rectangle(0, 0, 200, 200)),
      report("inner", "deserted.no_people", rectangle(80, 80, 120, 120)),
    ]);
    expect(memberLists(sites)).toEqual([["inner", "outer"]]);
  });

  it("joins a point inside a polygon, 50 m from its edge", () => {
    const sites = sitesOf([
      report("brush", "vegetation.brush_sightlines", rectangle(0, 0, 100, 100)),
      report("tree", "vegetation.trees_shading_lamps", pointAt(50, 50)),
    ]);
    expect(memberLists(sites)).toEqual([["brush", "tree"]]);
  });

  it("joins a point 20 m outside a polygon, not one 50 m outside", () => {
    const brush = report("brush", "vegetation.brush_sightlines", rectangle(0, 0, 100, 100));
    expect(
      memberLists(
        sitesOf([brush, report("near", "vegetation.trees_shading_lamps", pointAt(120, 50))]),
      ),
    ).toEqual([["brush", "near"]]);
    expect(
      memberLists(
        sitesOf([brush, report("far", "vegetation.trees_shading_lamps", pointAt(150, 50))]),
      ),
    ).toEqual([["brush"], ["far"]]);
  });

  it("joins a point 10 m from a dark stretch", () => {
    const sites = sitesOf([
      report("stretch", "lighting.dark_stretch", lineThrough([0, 0], [100, 0])),
      report("lamp", "lighting.broken", pointAt(40, 10)),
    ]);
    expect(memberLists(sites)).toEqual([["lamp", "stretch"]]);
  });
});

describe("groupSites: a planner's joins and splits", () => {
  const near = [
    report("a", "lighting.broken", pointAt(0, 0), { walkId: "walk-1" }),
    report("b", "lighting.broken", pointAt(5, 0), { walkId: "walk-2" }),
    report("c", "lighting.broken", pointAt(0, 6), { walkId: "walk-3" }),
  ];
  const far = [
    report("x", "lighting.broken", pointAt(100, 0)),
    report("y", "lighting.broken", pointAt(104, 0)),
  ];

  it("joins two sites 100 m apart with one same link", () => {
    const observations = [...near, ...far];
    const [siteABC, siteXY] = sitesOf(observations);
    const written = joinSites(siteABC!, siteXY!, [], "project-1", ctx);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      kind: "siteLink",
      projectId: "project-1",
      deleted: false,
      fields: { relation: "same", groupA: ["a", "b", "c"], groupB: ["x", "y"] },
    });
    const joined = sitesOf(observations, written);
    expect(memberLists(joined)).toEqual([["a", "b", "c", "x", "y"]]);
    expect(joined[0]).toMatchObject({ id: "site-a", reportCount: 5, planned: true });
  });

  it("splits a report out of a site with one different link", () => {
    const [site] = sitesOf(near);
    const written = splitSite(site!, ["c"], [], "project-1", ctx);
    expect(written.map((record) => record.fields)).toEqual([
      { relation: "different", groupA: ["c"], groupB: ["a", "b"] },
    ]);
    const split = sitesOf(near, written);
    expect(memberLists(split)).toEqual([["a", "b"], ["c"]]);
    expect(split.map((each) => each.planned)).toEqual([true, true]);
  });

  it("joins a split site again: the different link is tombstoned", () => {
    const [site] = sitesOf(near);
    const links = splitSite(site!, ["c"], [], "project-1", ctx);
    const [siteAB, siteC] = sitesOf(near, links);
    const written = joinSites(siteAB!, siteC!, links, "project-1", ctx);
    expect(written[0]).toMatchObject({ id: links[0]!.id, deleted: true });
    expect(written[0]!.fields).toEqual(EMPTY_SITE_LINK_FIELDS);
    expect(written[1]!.fields).toEqual({ relation: "same", groupA: ["a", "b"], groupB: ["c"] });
    expect(memberLists(sitesOf(near, apply(links, written)))).toEqual([["a", "b", "c"]]);
  });

  it("splits a joined site again, keeping the planner's other pairs", () => {
    // a, b are one place and x, y another; the planner joined them, then says that b and
    // x are a third place. The join's pairs a–y and b–x must survive the split.
    const observations = [...near.slice(0, 2), ...far];
    const [siteAB, siteXY] = sitesOf(observations);
    const links = joinSites(siteAB!, siteXY!, [], "project-1", ctx);
    const [joined] = sitesOf(observations, links);
    const written = splitSite(joined!, ["b", "x"], links, "project-1", ctx);
    expect(written.map((record) => [record.deleted, record.fields])).toEqual([
      [true, EMPTY_SITE_LINK_FIELDS],
      [false, { relation: "same", groupA: ["b"], groupB: ["x"] }],
      [false, { relation: "same", groupA: ["a"], groupB: ["y"] }],
      [false, { relation: "different", groupA: ["b", "x"], groupB: ["a", "y"] }],
    ]);
    expect(memberLists(sitesOf(observations, apply(links, written)))).toEqual([
      ["a", "y"],
      ["b", "x"],
    ]);
  });

  it("keeps a different link's other pairs when a join removes some", () => {
    const link = createSiteLink(
      "project-1",
      { relation: "different", groupA: ["a"], groupB: ["b", "x"] },
      ctx,
    );
    const [siteA, siteB] = sitesOf(near.slice(0, 2), [link]);
    const written = joinSites(siteA!, siteB!, [link], "project-1", ctx);
    expect(written.map((record) => [record.deleted, record.fields])).toEqual([
      [true, EMPTY_SITE_LINK_FIELDS],
      [false, { relation: "different", groupA: ["a"], groupB: ["x"] }],
      [false, { relation: "same", groupA: ["a"], groupB: ["b"] }],
    ]);
  });

  it("lets different win over same and over distance", () => {
    const same = createSiteLink(
      "project-1",
      { relation: "same", groupA: ["a"], groupB: ["b"] },
      ctx,
    );
    const different = createSiteLink(
      "project-1",
      { relation: "different", groupA: ["b"], groupB: ["a"] },
      ctx,
    );
    expect(memberLists(sitesOf(near.slice(0, 2), [same, different]))).toEqual([["a"], ["b"]]);
  });

  it("ignores tombstoned links and links across checklist groups", () => {
    const split = createSiteLink(
      "project-1",
      { relation: "different", groupA: ["a"], groupB: ["b"] },
      ctx,
    );
    const tombstone = tombstoneRecord(
      split,
      EMPTY_FIELDS.siteLink as typeof EMPTY_SITE_LINK_FIELDS,
      ctx,
    );
    expect(memberLists(sitesOf(near.slice(0, 2), [tombstone]))).toEqual([["a", "b"]]);
    const trees = report("trees", "vegetation.trees_shading_lamps", pointAt(300, 0));
    const across = createSiteLink(
      "project-1",
      { relation: "same", groupA: ["a"], groupB: ["trees"] },
      ctx,
    );
    const sites = sitesOf([near[0]!, trees], [across]);
    expect(memberLists(sites)).toEqual([["a"], ["trees"]]);
    expect(sites.every((site) => site.planned)).toBe(true);
  });

  it("refuses to join sites of different groups, or to split off nothing or everything", () => {
    const [lamp, trees] = sitesOf([
      near[0]!,
      report("trees", "vegetation.trees_shading_lamps", pointAt(2, 0)),
    ]);
    expect(() => joinSites(lamp!, trees!, [], "project-1", ctx)).toThrow(
      "only sites of one checklist group can be one place",
    );
    const [site] = sitesOf(near);
    expect(() => splitSite(site!, [], [], "project-1", ctx)).toThrow("some but not all");
    expect(() => splitSite(site!, ["a", "b", "c"], [], "project-1", ctx)).toThrow(
      "some but not all",
    );
    expect(() => splitSite(site!, ["x"], [], "project-1", ctx)).toThrow("x is not in site-a");
  });
});

describe("groupSites: stability", () => {
  const base = [
    report("v1", "lighting.dark_tunnel", pointAt(0, 0), { walkId: "walk-1" }),
    report("v2", "lighting.dark_tunnel", pointAt(4, 2), { walkId: "walk-2" }),
    report("lamp", "lighting.broken", pointAt(60, 0)),
    report("brush", "vegetation.brush_sightlines", rectangle(100, 0, 140, 30)),
    report("stretch", "lighting.dark_stretch", lineThrough([0, 50], [150, 50])),
  ];
  const without = (sites: Site[], id: string) =>
    sites.filter((site) => !site.memberIds.includes(id));

  it.each([
    [
      "another group at the same spot",
      report("0-trees", "vegetation.trees_shading_lamps", pointAt(1, 1)),
    ],
    ["the same group 5 km away", report("0-far", "lighting.dark_tunnel", pointAt(5000, 0))],
    [
      "the same group in another town",
      report("0-kiruna", "lighting.dark_tunnel", {
        type: "Point",
        coordinates: [20.2253, 67.8558],
      }),
    ],
  ])("leaves every other site identical when adding %s", (_, extra) => {
    const before = sitesOf(base);
    const after = sitesOf([extra, ...base]);
    expect(after).toHaveLength(before.length + 1);
    expect(without(after, extra.id)).toEqual(before);
  });
});

describe("groupSites: seeded property test", () => {
  const SEED = 20_261_124;

  /** A dense walk area: hot spots of 2-6 reports, lines, polygons and planner links. */
  function seededArea(seed: number) {
    const random = mulberry32(seed);
    const pointCategories = [
      "lighting.broken",
      "lighting.dark_tunnel",
      "vegetation.trees_shading_lamps",
      "maintenance.graffiti",
    ];
    const observations: ObservationRecord[] = [];
    const spread = () => random() * 1500;
    for (let spot = 0; spot < 400; spot++) {
      const [east, north] = [spread(), spread()];
      const category = pointCategories[Math.floor(random() * pointCategories.length)]!;
      const reports = 1 + Math.floor(random() * 6);
      for (let k = 0; k < reports; k++) {
        observations.push(
          report(`p-${spot}-${k}`, category, pointAt(east + random() * 30, north + random() * 30), {
            walkId: `walk-${Math.floor(random() * 5)}`,
          }),
        );
      }
    }
    for (let k = 0; k < 60; k++) {
      const [east, north] = [spread(), spread()];
      observations.push(
        report(
          `l-${k}`,
          "lighting.dark_stretch",
          lineThrough([east, north], [east + random() * 80, north + random() * 80]),
        ),
        report(
          `g-${k}`,
          "vegetation.brush_sightlines",
          rectangle(east, north, east + 10 + random() * 40, north + 10 + random() * 40),
        ),
      );
    }
    const ids = observations.map((observation) => observation.id);
    const pick = () => ids[Math.floor(random() * ids.length)]!;
    const links: SiteLinkRecord[] = [];
    for (let k = 0; k < 40; k++) {
      const [a, b] = [pick(), pick()];
      if (a === b) continue;
      links.push(
        createSiteLink(
          "project-1",
          { relation: random() < 0.5 ? "same" : "different", groupA: [a], groupB: [b] },
          ctx,
          `link-${k}`,
        ),
      );
    }
    return { observations, links, random };
  }

  it(`gives identical sites for 30 shuffles of the input (seed ${SEED})`, () => {
    const { observations, links, random } = seededArea(SEED);
    const expected = JSON.stringify(sitesOf(observations, links));
    for (let round = 0; round < 30; round++) {
      const shuffled = [...observations];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(JSON.stringify(sitesOf(shuffled, [...links].reverse())), `round ${round}`).toBe(
        expected,
      );
    }
  });

  it(`gives the same partition (groupSiteIndex) for 30 shuffles of the input (seed ${SEED})`, () => {
    const { observations, links, random } = seededArea(SEED);
    const expected = partitionOf(groupSiteIndex(observations, links, CHECKLIST));
    expect(expected.siteCount).toBeGreaterThan(300);
    for (let round = 0; round < 30; round++) {
      const shuffled = [...observations];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      const index = groupSiteIndex(shuffled, [...links].reverse(), CHECKLIST);
      expect(partitionOf(index), `round ${round}`).toEqual(expected);
      // inputOrder lists the items in the order given.
      expect(Array.from(index.inputOrder, (item) => index.ids[item])).toEqual(
        shuffled.map((observation) => observation.id),
      );
    }
  });

  it(`puts every report in exactly one site, and no unlinked site is wider than D (seed ${SEED})`, () => {
    const { observations } = seededArea(SEED);
    const sites = sitesOf(observations);
    const members = sites.flatMap((site) => site.memberIds).sort();
    expect(members).toEqual(observations.map((observation) => observation.id).sort());
    const byId = new Map(observations.map((observation) => [observation.id, observation]));
    const radius = new Map(CHECKLIST.groups.map((group) => [group.id, group.siteRadiusM]));
    for (const site of sites) {
      const points = site.memberIds
        .map((id) => byId.get(id)!.fields.geometry!)
        .filter((geometry) => geometry.type === "Point");
      for (const [i, a] of points.entries()) {
        for (const b of points.slice(i + 1)) {
          // Haversine, independent of the projection under test.
          expect(distanceM(a.coordinates, b.coordinates)).toBeLessThanOrEqual(
            radius.get(site.groupId)! + 0.01,
          );
        }
      }
    }
  });
});

/** An index's partition as plain data: ids, and each site's member ids. */
function partitionOf(index: SiteIndex) {
  const sites: string[][] = [];
  for (let site = 0; site < index.siteCount; site++) {
    const members = index.members.subarray(index.memberStart[site]!, index.memberStart[site + 1]!);
    sites.push(Array.from(members, (item) => index.ids[item]!));
  }
  return { siteCount: index.siteCount, ids: [...index.ids], sites };
}

describe("groupSiteIndex: the partition in typed arrays", () => {
  const city = seededCity({ count: 20_000, seed: 20_271_117, sideM: 3_000 });

  it("agrees with groupSites on a seeded city of 20,000 reports", () => {
    const index = groupSiteIndex(city, [], CHECKLIST);
    const sites = groupSites(city, [], CHECKLIST);
    expect(index.siteCount).toBe(sites.length);
    expect(sites.length).toBeGreaterThan(10_000);
    expect(sites.some((site) => site.reportCount >= 5)).toBe(true);
    // Items are the observations in id order; every item is in exactly one site.
    expect(index.ids).toEqual(city.map((observation) => observation.id).sort());
    expect(index.observations.map((observation) => observation.id)).toEqual(index.ids);
    const seen = new Uint8Array(index.ids.length);
    sites.forEach((site, s) => {
      const from = index.memberStart[s]!;
      const to = index.memberStart[s + 1]!;
      const memberIds = Array.from(index.members.subarray(from, to), (item) => {
        expect(index.siteOf[item]).toBe(s);
        seen[item]! += 1;
        return index.ids[item]!;
      });
      expect(site.memberIds).toEqual(memberIds);
      expect(site.id).toBe(siteIdOf(index, s));
      expect(site.reportCount).toBe(to - from);
      expect(site.groupId).toBe(CHECKLIST.groups[index.group[index.members[from]!]!]!.id);
    });
    expect(seen.every((count) => count === 1)).toBe(true);
    // Numbered in id order, which is the order of groupSites.
    const ids = sites.map((site) => site.id);
    expect(ids).toEqual([...ids].sort());
  });

  it("finds the same sites as all pairs with the same metric (no pair missed by the grid)", () => {
    // A dense square: every report has several candidates, many across cell borders.
    const dense = seededCity({ count: 1_500, seed: 20_271_118, sideM: 500 });
    const radius = new Map<string, number>();
    const groupOf = new Map<string, number>();
    CHECKLIST.groups.forEach((group, index) => {
      for (const category of group.categories) {
        groupOf.set(category.id, index);
        radius.set(category.id, group.siteRadiusM);
      }
    });
    const live = [...dense].sort((a, b) => (a.id < b.id ? -1 : 1));
    const shapes = live.map((observation) => planarShape(observation.fields.geometry!));
    const lat = live.map((observation) => observation.fields.geometry!.coordinates[1] as number);
    const pairs: [number, number, number][] = [];
    const close = new Set<number>();
    for (let i = 0; i < live.length; i++) {
      for (let j = i + 1; j < live.length; j++) {
        const category = live[i]!.fields.categoryId;
        if (groupOf.get(category) !== groupOf.get(live[j]!.fields.categoryId)) continue;
        const scale = (mercatorScale(lat[i]!) + mercatorScale(lat[j]!)) / 2;
        const metres = placeDistanceM(shapes[i]!, shapes[j]!, scale);
        if (metres > radius.get(category)!) continue;
        pairs.push([metres, i, j]);
        close.add(i * live.length + j);
      }
    }
    expect(pairs.length).toBeGreaterThan(1_000);
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const clusterOf = live.map((_, i) => [i]);
    for (const [, i, j] of pairs) {
      const [a, b] = [clusterOf[i]!, clusterOf[j]!];
      if (a === b) continue;
      const allClose = a.every((x) =>
        b.every((y) => close.has(Math.min(x, y) * live.length + Math.max(x, y))),
      );
      if (!allClose) continue;
      const joined = [...a, ...b].sort((x, y) => x - y);
      for (const member of joined) clusterOf[member] = joined;
    }
    const expected = [...new Set(clusterOf)].map((members) => members.map((i) => live[i]!.id));
    expected.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
    expect(partitionOf(groupSiteIndex(dense, [], CHECKLIST)).sites).toEqual(expected);
  });
});

describe("groupSites: real coordinates near Västerås", () => {
  // Three teams' GPS fixes at the railway underpass by Västerås C, and a broken lamp across
  // the street (about 39.5 m away by haversine; lighting's radius is 25 m).
  const fixes: [number, number][] = [
    [16.54362, 59.60795],
    [16.54371, 59.60799],
    [16.54355, 59.6079],
  ];
  const lamp: [number, number] = [16.5442, 59.60815];

  it("checks the distances the case relies on (haversine)", () => {
    // By hand: 1e-5 degree is 0.563 m east and 1.112 m north here.
    expect(distanceM(fixes[0]!, fixes[1]!)).toBeCloseTo(6.7, 0);
    expect(distanceM(fixes[0]!, fixes[2]!)).toBeCloseTo(6.8, 0);
    expect(distanceM(fixes[1]!, fixes[2]!)).toBeCloseTo(13.5, 0);
    expect(distanceM(fixes[0]!, lamp)).toBeCloseTo(39.5, 0);
  });

  it("makes the underpass one site of three walks and the lamp another", () => {
    const observations = [
      ...fixes.map((coordinates, i) =>
        report(
          `underpass-${i}`,
          "lighting.dark_tunnel",
          { type: "Point", coordinates },
          { walkId: `walk-${i}` },
        ),
      ),
      report("lamp", "lighting.broken", { type: "Point", coordinates: lamp }),
    ];
    const sites = sitesOf(observations);
    expect(sites.map((site) => [site.id, site.reportCount, site.walkCount])).toEqual([
      ["site-lamp", 1, 1],
      ["site-underpass-0", 3, 3],
    ]);
    expect(sites[1]!.position[0]).toBeCloseTo((16.54362 + 16.54371 + 16.54355) / 3, 9);
    expect(sites[1]!.position[1]).toBeCloseTo((59.60795 + 59.60799 + 59.6079) / 3, 9);
  });
});

describe("nearbyReports", () => {
  const observations = [
    report("east-100", "lighting.broken", pointAt(100, 0)),
    report("north-249", "lighting.broken", pointAt(0, 249)),
    report("east-300", "lighting.broken", pointAt(300, 0)),
    report("here-other-category", "lighting.glare", pointAt(1, 0)),
    tombstoneRecord(
      report("deleted", "lighting.broken", pointAt(5, 0)),
      EMPTY_OBSERVATION_FIELDS,
      ctx,
    ),
    report("self", "lighting.broken", pointAt(2, 0)),
  ];

  it("lists live reports of the category within 250 m, nearest first", () => {
    const found = nearbyReports(observations, at(0, 0), "lighting.broken", { excludeId: "self" });
    expect(found.map(({ observation }) => observation.id)).toEqual(["east-100", "north-249"]);
    expect(found[0]!.distanceM).toBeCloseTo(100, 1);
    expect(found[1]!.distanceM).toBeCloseTo(249, 1);
  });

  it("takes a radius, and includes the excluded id when not asked to leave it out", () => {
    const found = nearbyReports(observations, at(0, 0), "lighting.broken", { radiusM: 120 });
    expect(found.map(({ observation }) => observation.id)).toEqual(["self", "east-100"]);
    expect(found[0]!.distanceM).toBeCloseTo(2, 2);
  });

  it("measures to the nearest point of a line, and 0 inside a polygon", () => {
    const found = nearbyReports(
      [
        report("path", "vegetation.overgrown_path", lineThrough([-200, 80], [200, 80])),
        report("path-far", "vegetation.overgrown_path", lineThrough([-200, 400], [200, 400])),
      ],
      at(0, 0),
      "vegetation.overgrown_path",
    );
    expect(
      found.map(({ observation, distanceM: metres }) => [
        observation.id,
        Math.round(metres * 10) / 10,
      ]),
    ).toEqual([["path", 80]]);
    const inside = nearbyReports(
      [report("square", "deserted.no_people", rectangle(-50, -50, 50, 50))],
      at(10, 10),
      "deserted.no_people",
    );
    expect(inside.map(({ distanceM: metres }) => metres)).toEqual([0]);
  });
});

describe("representativePoint", () => {
  it("takes a line's midpoint by length, not the mean of its vertices", () => {
    // 200 m long: the midpoint is the corner; the vertex mean would be (66.7, 33.3).
    const [lon, lat] = representativePoint(lineThrough([0, 0], [100, 0], [100, 100]));
    expect(lon).toBeCloseTo(at(100, 0)[0], 9);
    expect(lat).toBeCloseTo(at(100, 0)[1], 9);
  });

  it("takes a polygon's area centroid with its hole taken out, whatever the winding", () => {
    const square = rectangle(0, 0, 100, 100);
    const [lon, lat] = representativePoint(square);
    expect(lon).toBeCloseTo(at(50, 50)[0], 9);
    expect(lat).toBeCloseTo(at(50, 50)[1], 9);
    // An L: (10,000 m² at (50, 50) - 2,500 m² at (25, 25)) / 7,500 m² = (58.33, 58.33).
    const hole = rectangle(0, 0, 50, 50).coordinates[0]!;
    for (const ring of [hole, [...hole].reverse()]) {
      const [holeLon, holeLat] = representativePoint({
        type: "Polygon",
        coordinates: [square.coordinates[0]!, ring],
      });
      expect(holeLon).toBeCloseTo(at(175 / 3, 175 / 3)[0], 8);
      expect(holeLat).toBeCloseTo(at(175 / 3, 175 / 3)[1], 8);
    }
  });
});
