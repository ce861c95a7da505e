import { describe, expect, it } from "vitest";
import { CHECKLIST, GROUPS } from "../../../test/fixtures/sites";
import type { Site } from "../sites";
import { siteFeatures, sitesToGeoJson } from "./sites";

const site: Site = Object.freeze({
  id: "site-0f9c",
  groupId: "lighting",
  memberIds: ["0f9c", "7a21"],
  categoryIds: ["lighting.broken", "lighting.retired_code"],
  reportCount: 2,
  walkIds: ["walk-1", "walk-2"],
  walkCount: 2,
  feltUnsafe: { women: 2, youth_club: 1 },
  maxSeverity: 4,
  // 2026-11-24 18:03:12 and 2026-06-15 22:30:00 in Stockholm.
  firstObservedAt: Date.UTC(2026, 5, 15, 20, 30, 0),
  lastObservedAt: Date.UTC(2026, 10, 24, 17, 3, 12),
  position: [16.543623456789, 59.607951234567] as [number, number],
  bbox: [16.5436, 59.6079, 16.5437, 59.608] as [number, number, number, number],
  planned: true,
});

describe("sites export", () => {
  it("writes one point per site with snake_case attributes and Swedish labels", () => {
    expect(siteFeatures([site], { checklist: CHECKLIST, groups: GROUPS })).toEqual([
      {
        id: "site-0f9c",
        geometry: { type: "Point", coordinates: [16.543623456789, 59.607951234567] },
        properties: {
          site_id: "site-0f9c",
          group_id: "lighting",
          group_label_sv: "Belysning",
          category_ids: ["lighting.broken", "lighting.retired_code"],
          category_labels_sv: ["Trasig belysning", "lighting.retired_code"],
          report_count: 2,
          walk_count: 2,
          walk_ids: ["walk-1", "walk-2"],
          member_ids: ["0f9c", "7a21"],
          felt_unsafe_everyone: 0,
          felt_unsafe_women: 2,
          felt_unsafe_men: 0,
          felt_unsafe_children_young: 0,
          felt_unsafe_elderly: 0,
          felt_unsafe_disabilities: 0,
          felt_unsafe_youth_club: 1,
          max_severity: 4,
          first_observed_at: "2026-06-15T22:30:00+02:00",
          last_observed_at: "2026-11-24T18:03:12+01:00",
          planned: true,
        },
      },
    ]);
  });

  it("is RFC 7946 GeoJSON with 7 decimals and the kind in the header", () => {
    const text = sitesToGeoJson([site], { checklist: CHECKLIST, groups: GROUPS });
    const parsed = JSON.parse(text);
    expect(parsed.name).toBe("sites");
    expect(parsed.lykta).toEqual({ format: "lykta-geojson", formatVersion: 1, kind: "sites" });
    expect(parsed.features[0].geometry.coordinates).toEqual([16.5436235, 59.6079512]);
  });
});
