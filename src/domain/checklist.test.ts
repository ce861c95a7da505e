import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type Checklist,
  checkChecklist,
  findCategory,
  REQUIRED_CHECKLIST_GROUPS,
} from "./checklist";
import type { GroupsFile, OrganisationsFile } from "./groups";

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../data/${name}`, import.meta.url), "utf8"));
const checklist: Checklist = read("checklist.json");
const groups: GroupsFile = read("groups.json");
const organisations: OrganisationsFile = read("organisations.json");

describe("data/checklist.json", () => {
  it("is well formed", () => {
    expect(checkChecklist(checklist)).toEqual([]);
  });

  it("covers every area the brief asks for", () => {
    const ids = checklist.groups.map((group) => group.id);
    for (const required of REQUIRED_CHECKLIST_GROUPS) expect(ids).toContain(required);
  });

  it.each([
    ["lighting.missing", "Belysning saknas"],
    ["lighting.broken", "Trasig belysning"],
    ["lighting.too_dim", "För svag belysning"],
    ["lighting.glare", "Bländande belysning"],
    ["lighting.dark_stretch", "Mörk sträcka"],
    ["lighting.dark_tunnel", "Mörk tunnel eller viadukt"],
    ["vegetation.brush_sightlines", "Buskage skymmer sikten"],
    ["vegetation.trees_shading_lamps", "Träd skymmer belysningen"],
    ["vegetation.overgrown_path", "Igenvuxen gångväg"],
    ["sightlines.hiding_place", "Gömställe"],
    ["maintenance.graffiti", "Klotter"],
    ["maintenance.litter", "Nedskräpning"],
    ["maintenance.vandalism", "Skadegörelse"],
    ["maintenance.broken_furniture", "Trasig utrustning eller möbel"],
    ["measures.camera", "Förslag: kamerabevakning"],
    ["measures.guards", "Förslag: ordningsvakter"],
    ["measures.other", "Annat förslag"],
  ])("has %s labelled %s", (id, label) => {
    expect(findCategory(checklist, id)?.category.label.sv).toBe(label);
  });

  it("reports problems with their path", () => {
    const broken = structuredClone(checklist);
    broken.groups[1]!.categories[0]!.id = "lighting.missing";
    broken.groups[2]!.siteRadiusM = -1;
    (broken.groups[0]!.categories[0]!.label as { en: string }).en = "";
    expect(checkChecklist(broken)).toEqual([
      { path: "$.groups[0].categories[0].label", reason: "needs sv and en" },
      { path: "$.groups[1].categories[0].id", reason: 'must start with "vegetation."' },
      { path: "$.groups[2].siteRadiusM", reason: "must be a positive number of metres" },
    ]);
    expect(checkChecklist("nope")).toEqual([{ path: "$", reason: "not an object" }]);
  });
});

describe("data/groups.json and data/organisations.json", () => {
  it("list the groups the brief names, each in Swedish and English", () => {
    expect(groups.groups.map((group) => group.id)).toEqual([
      "women",
      "men",
      "children_young",
      "elderly",
      "disabilities",
    ]);
    expect(groups.everyone.id).toBe("everyone");
    for (const group of groups.groups) {
      expect(group.label.sv.length).toBeGreaterThan(0);
      expect(group.label.en.length).toBeGreaterThan(0);
    }
  });

  it("list the organisations the brief names", () => {
    expect(organisations.organisations.map((organisation) => organisation.id)).toEqual([
      "municipality",
      "police",
      "housing_company",
      "residents",
      "school",
      "other",
    ]);
  });
});
