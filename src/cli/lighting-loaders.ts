/**
 * What `lykta lighting` loads only when a file needs it: the full importers (with proj4,
 * xmldom, sql.js, ...), the clean-GeoJSON reader, the OSM layer split and the CRS options.
 * The ES module build (lykta.js, chunks/) passes these; the command itself never names the
 * modules, so the code-cached bundle of the plain path (lighting-fast.ts) stays small.
 */
export interface LightingLoaders {
  importer: () => Promise<typeof import("../domain/import")>;
  geojsonFast: () => Promise<typeof import("../domain/import/geojson-fast")>;
  osm: () => Promise<typeof import("../domain/import/osm")>;
  crsOptions: () => Promise<typeof import("./crs-options")>;
}

export const LIGHTING_LOADERS: LightingLoaders = {
  importer: () => import("../domain/import"),
  geojsonFast: () => import("../domain/import/geojson-fast"),
  osm: () => import("../domain/import/osm"),
  crsOptions: () => import("./crs-options"),
};
