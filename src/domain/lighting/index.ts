/**
 * Lighting analysis of the path network (issue 5; docs/lighting.md): where is it dark, how
 * dark, and against which standard. Pure: runs unchanged in Node (tests, `lykta lighting`),
 * in a Web Worker (the app) and in the page.
 *
 * In a worker:
 *
 *   import lightingClasses from "../../data/lighting-classes.json";
 *   import pathClasses from "../../data/path-classes.json";
 *   const { paths } = pathsFromFeatures(pathFeatures, { pathClasses });
 *   const { lamps } = lampsFromFeatures(lampFeatures);
 *   const observations = lightingObservationsFromRecords(records);
 *   const model = createLightingModel({ paths, lamps, observations, pois, areas },
 *                                     { classes: lightingClasses });
 *   const result = model.illuminance();   // or model.coverage()
 *   postMessage({ summary: summaryJson(result), gaps: result.gaps,
 *                 features: pieceFeatures(model, result, lightingClasses) });
 *   // keep `model` in the worker: model.evaluate(change), model.scoreCandidates(points)
 *
 * docs/lighting.md describes the model, its defaults and sources, and the reference check.
 */
export {
  complies,
  type LightingClassesFile,
  lightingClassesProblem,
  type PathClassTarget,
  type PClass,
  pClassOf,
  targetOf,
  UNCLASSIFIED,
} from "./classes";
export {
  type PieceProperties,
  pieceFeatures,
  piecesGeoJsonBytes,
  piecesGeoJsonText,
  summaryJson,
} from "./geojson";
export {
  areasFromFeatures,
  BROKEN_LAMP_CATEGORIES,
  DARK_CATEGORIES,
  featureId,
  type LeftOut,
  LIGHTING_INPUT_REASONS,
  lampsFromFeatures,
  lightingObservationsFromFeatures,
  lightingObservationsFromRecords,
  pathsFromFeatures,
  poisFromFeatures,
} from "./inputs";
export type { ResolvedLamp } from "./lamps";
export {
  createLightingModel,
  LIGHTING_DEFAULTS,
  type LightingModel,
  type ResolvedSettings,
} from "./model";
export {
  DEFAULT_DISTRIBUTION,
  DEFAULT_MAINTENANCE_FACTOR,
  fluxForHeight,
  type IntensityDistribution,
  illuminanceLux,
  intensityPerKilolumen,
  LAMP_DEFAULTS,
  type LampDefaults,
  type LampStatus,
  parseLampStatus,
  RADIUS_PER_POLE_HEIGHT,
  reachM,
} from "./photometry";
export { createLocalProjection, type LocalProjection } from "./projection";
export * from "./types";
