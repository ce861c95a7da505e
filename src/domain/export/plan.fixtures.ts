/**
 * A hand-made street for the plan export's tests: a 400 m footway lit at both ends, lamp l90
 * off (a broken-lamp report beside it), the stretch 80-280 m dark; brush reported at 200 m
 * (30 m off the path) and graffiti at 150 m, all at SEEN. Coverage radius 20 m.
 */
import benefitWeightsData from "../../../data/benefit-weights.json";
import costsData from "../../../data/costs.json";
import { CHECKLIST, report } from "../../../test/fixtures/sites";
import { lightingObservationsFromRecords } from "../lighting/inputs";
import { at, CLASSES, lamp, path } from "../lighting/lighting.fixtures";
import { createLightingModel } from "../lighting/model";
import type { BenefitWeights, CostCatalogue } from "../plan/catalogue";
import { buildCandidates } from "../plan/plan";
import { groupSites } from "../sites";

/** 2026-11-24 18:00 in Stockholm (+01:00). */
export const SEEN = Date.UTC(2026, 10, 24, 17, 0, 0);

export function street() {
  const observations = [
    report(
      "obs-broken",
      "lighting.broken",
      { type: "Point", coordinates: at(92, 3) },
      {
        severity: 4,
        observedAt: SEEN,
      },
    ),
    report(
      "obs-brush",
      "vegetation.brush_sightlines",
      { type: "Point", coordinates: at(200, 30) },
      {
        severity: 3,
        feltUnsafe: ["women"],
        observedAt: SEEN,
      },
    ),
    report(
      "obs-graffiti",
      "maintenance.graffiti",
      { type: "Point", coordinates: at(150, 5) },
      {
        observedAt: SEEN,
      },
    ),
  ];
  const model = createLightingModel(
    {
      paths: [
        path(
          "street",
          [
            [0, 0],
            [400, 0],
          ],
          { lit: "no" },
        ),
      ],
      lamps: [0, 30, 60, 90, 300, 330, 360, 390].map((x) =>
        lamp(`l${x}`, x, 0, x === 90 ? { status: "off" } : {}),
      ),
      observations: lightingObservationsFromRecords(observations),
    },
    { classes: CLASSES, radiusM: 20 },
  );
  return buildCandidates(
    {
      observations,
      sites: groupSites(observations, [], CHECKLIST),
      model,
      lighting: model.coverage(),
    },
    { costs: costsData as CostCatalogue, weights: benefitWeightsData as BenefitWeights },
  );
}
