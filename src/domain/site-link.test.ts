import { describe, expect, it } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { EMPTY_FIELDS } from "./kinds";
import { tombstoneRecord } from "./record";
import {
  createSiteLink,
  EMPTY_SITE_LINK_FIELDS,
  type SiteLinkFields,
  siteLinkProblem,
} from "./site-link";

const ctx = testContext("planner", 5);

describe("site links", () => {
  it("stores the groups sorted and without repeats, as a mergeable record", () => {
    const link = createSiteLink(
      "project-1",
      { relation: "same", groupA: ["c", "a", "c"], groupB: ["b"] },
      ctx,
      "link-1",
    );
    expect(link).toMatchObject({
      id: "link-1",
      kind: "siteLink",
      projectId: "project-1",
      deleted: false,
      fields: { relation: "same", groupA: ["a", "c"], groupB: ["b"] },
    });
    expect(Object.keys(link.clock).sort()).toEqual(["deleted", "groupA", "groupB", "relation"]);
    expect(link.walkId).toBeUndefined();
  });

  it("empties every field in a tombstone", () => {
    expect(EMPTY_FIELDS.siteLink).toBe(EMPTY_SITE_LINK_FIELDS);
    const link = createSiteLink(
      "project-1",
      { relation: "different", groupA: ["a"], groupB: ["b"] },
      ctx,
    );
    const tombstone = tombstoneRecord(link, EMPTY_SITE_LINK_FIELDS, ctx);
    expect(tombstone.fields).toEqual({ relation: "", groupA: [], groupB: [] });
    expect(tombstone.clock.relation.version).toBe(2);
  });

  it.each([
    [
      { relation: "", groupA: ["a"], groupB: ["b"] },
      'relation must be "same" or "different", not ""',
    ],
    [{ relation: "same", groupA: [], groupB: ["b"] }, "groupA is empty"],
    [{ relation: "same", groupA: ["a"], groupB: "b" }, "groupB must be a list of observation ids"],
    [
      { relation: "same", groupA: ["a", ""], groupB: ["b"] },
      "groupA must be a list of observation ids",
    ],
    [
      { relation: "different", groupA: ["a", "b"], groupB: ["b"] },
      "observation b is in both groups",
    ],
    [null, "fields are not an object"],
  ])("refuses %j: %s", (fields, reason) => {
    expect(siteLinkProblem(fields)).toBe(reason);
    expect(() => createSiteLink("project-1", fields as SiteLinkFields, ctx)).toThrow(
      `createSiteLink: ${reason}`,
    );
  });
});
