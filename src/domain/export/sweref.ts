/**
 * "Lykta GeoJSON, SWEREF 99 TM": the GeoJSON export in the CRS Swedish municipalities work
 * in (EPSG:3006). A named variant that is NOT RFC 7946 (which allows WGS84 only); it carries
 * the legacy `crs` member of the 2008 GeoJSON specification, which GDAL, QGIS and ArcGIS
 * read, so the file opens in the right place without any choice by the user.
 *
 * Same features and attributes as the RFC export; coordinates are [E, N] in metres with
 * 2 decimals (1 cm); rings follow the same right-hand rule (TM keeps orientation).
 */
import type { Position } from "geojson";
import { fromWgs84, SWEREF99_TM } from "../crs";
import {
  type ExportFeature,
  type ExportHeader,
  featureCollectionText,
  roundTo,
  WGS84_DECIMALS,
} from "./geojson";

/** 1 cm: finer than any survey a walk team makes, coarse enough to keep files small. */
export const SWEREF_DECIMALS = 2;
export const SWEREF_GEOJSON_FORMAT = "lykta-geojson-sweref99tm";
/** The 2008 GeoJSON `crs` member naming EPSG:3006 (OGC URN: unambiguous axis order E, N). */
export const SWEREF_CRS_MEMBER = Object.freeze({
  type: "name",
  properties: Object.freeze({ name: "urn:ogc:def:crs:EPSG::3006" }),
});

let toSwerefCached: ((position: Position) => Position) | undefined;

/** WGS84 [lon, lat] -> SWEREF 99 TM [E, N] in metres (not rounded). */
export function toSweref99Tm(position: Position): Position {
  toSwerefCached ??= fromWgs84(SWEREF99_TM);
  return toSwerefCached(position);
}

/**
 * The position as the SWEREF exports write it: the projection of the position the WGS84
 * export writes (7 decimals), so the two exports of the same data agree. GDAL's
 * `ogr2ogr -t_srs EPSG:3006` of the WGS84 file then lands within 1 cm of this one
 * (only the 1 cm rounding differs), where projecting unrounded positions could differ by
 * up to 1.3 cm (both roundings adding up).
 */
export function swerefOfExported(position: Position): Position {
  return toSweref99Tm([
    roundTo(position[0]!, WGS84_DECIMALS),
    roundTo(position[1]!, WGS84_DECIMALS),
  ]);
}

/** "Lykta GeoJSON, SWEREF 99 TM" text. */
export function toSwerefGeoJsonText(
  features: readonly ExportFeature[],
  header: Omit<ExportHeader, "format">,
): string {
  return featureCollectionText(
    { ...header, format: SWEREF_GEOJSON_FORMAT },
    features,
    SWEREF_DECIMALS,
    swerefOfExported,
    { crs: SWEREF_CRS_MEMBER },
  );
}
