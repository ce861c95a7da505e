/**
 * A small project for the export tests (src/domain/export/*.test.ts, test/unit/gdal.test.ts):
 * every record kind, tombstones, polygons wound the wrong way, coordinates with too many
 * decimals, text that looks like a spreadsheet formula, and Swedish letters. Deep-frozen.
 */
import type { Feature, Geometry, Polygon } from "geojson";
import checklistData from "../../../data/checklist.json";
import groupsData from "../../../data/groups.json";
import organisationsData from "../../../data/organisations.json";
import pathClassesData from "../../../data/path-classes.json";
import { deepFreeze, testContext } from "../../../test/fixtures/context";
import { observationFields as baseObservationFields } from "../../../test/fixtures/observation";
import type { Checklist } from "../checklist";
import type { GroupsFile, OrganisationsFile } from "../groups";
import type { NormalisedProperties, PathClassesFile } from "../layers";
import {
  createObservation,
  EMPTY_OBSERVATION_FIELDS,
  type ObservationFields,
  type ObservationRecord,
} from "../observation";
import { createProject } from "../project";
import { createRecord, tombstoneRecord } from "../record";
import {
  createTrack,
  createTrackChunk,
  EMPTY_TRACK_FIELDS,
  type TrackChunkRecord,
  type TrackRecord,
} from "../track";
import { createWalk, EMPTY_WALK_FIELDS, type WalkFields, type WalkRecord } from "../walk";
import type { ExportLabels, ProjectExportInput, ProjectLayer } from "./index";

export const LABELS: ExportLabels = deepFreeze({
  checklist: checklistData as Checklist,
  groups: groupsData as GroupsFile,
  organisations: organisationsData as OrganisationsFile,
  pathClasses: pathClassesData as PathClassesFile,
});

/** 2026-11-24 18:03:12.345 in Stockholm (+01:00, winter time). */
export const WINTER_INSTANT_MS = Date.UTC(2026, 10, 24, 17, 3, 12, 345);
/** 2026-06-15 22:30:00 in Stockholm (+02:00, summer time). */
export const SUMMER_INSTANT_MS = Date.UTC(2026, 5, 15, 20, 30, 0);

export const PHOTO_A = "a".repeat(64);
export const PHOTO_B = "b".repeat(64);
export const PHOTO_DELETED = "d".repeat(64);

/** Vivalla, Örebro. Exterior clockwise on purpose (RFC 7946 wants counter-clockwise). */
export const WALK_AREA: Polygon = {
  type: "Polygon",
  coordinates: [
    [
      [15.151234567891, 59.301234567891],
      [15.151234567891, 59.309876543219],
      [15.169876543219, 59.309876543219],
      [15.169876543219, 59.301234567891],
      [15.151234567891, 59.301234567891],
    ],
  ],
};

/** A polygon with a hole, both wound the wrong way (exterior clockwise, hole counter-clockwise). */
export const BRUSH_AREA: Polygon = {
  type: "Polygon",
  coordinates: [
    [
      [15.16, 59.305],
      [15.16, 59.306],
      [15.162, 59.306],
      [15.162, 59.305],
      [15.16, 59.305],
    ],
    [
      [15.1605, 59.3053],
      [15.1615, 59.3053],
      [15.1615, 59.3057],
      [15.1605, 59.3057],
      [15.1605, 59.3053],
    ],
  ],
};

/** A report drawn on the map in Vivalla on a winter evening, with `patch` over it. */
function observationFields(patch: Partial<ObservationFields>): ObservationFields {
  return baseObservationFields({
    geometry: { type: "Point", coordinates: [15.16, 59.305] },
    observedAt: WINTER_INSTANT_MS,
    positionAccuracyM: null,
    placement: "drawn",
    ...patch,
  });
}

export interface ExportFixture extends ProjectExportInput {
  walks: WalkRecord[];
  observations: ObservationRecord[];
  tracks: TrackRecord[];
  trackChunks: TrackChunkRecord[];
  layers: ProjectLayer[];
  photos: Map<string, Uint8Array>;
  /** Ids by role in the fixture. */
  ids: {
    walk: string;
    deletedWalk: string;
    point: string;
    line: string;
    polygon: string;
    deletedObservation: string;
    unknownCategory: string;
    track: string;
    deletedTrack: string;
    onePointTrack: string;
  };
}

export function exportFixture(): ExportFixture {
  const ctx = testContext("tablet-1", 7);
  const project = createProject({ name: "Vivalla 2027", organisation: "Örebro kommun" }, ctx);
  const walkFields: WalkFields = {
    name: "Vivalla kväll – åäö",
    areaName: "Vivalla centrum till Lillåstorget",
    areaPolygon: WALK_AREA,
    date: "2026-11-24",
    startTime: "18:00",
    endTime: "20:00",
    participantsByOrganisation: { municipality: 2, police: 1, residents: 5 },
    participantsByGroup: { women: 4, men: 3, elderly: 1 },
    note: "Blött och mörkt.",
    lastBackupAt: null,
  };
  const walk = createWalk(project.id, walkFields, ctx);
  const deletedWalk = tombstoneRecord(
    createWalk(project.id, { ...walkFields, name: "Borttagen" }, ctx),
    EMPTY_WALK_FIELDS,
    ctx,
  );
  const point = createObservation(
    project.id,
    walk.id,
    observationFields({
      geometry: { type: "Point", coordinates: [15.161234567891, 59.305432109876] },
      categoryId: "lighting.broken",
      severity: 4,
      feltUnsafe: ["women", "elderly"],
      note: "Lampan vid gångtunneln är trasig, ”mörkt” här; ring 1, 2",
      photoIds: [PHOTO_A, PHOTO_B],
      illuminanceLux: 0.8,
      observedAt: WINTER_INSTANT_MS,
      positionAccuracyM: 4.2,
      placement: "gps",
    }),
    ctx,
  );
  const line = createObservation(
    project.id,
    walk.id,
    observationFields({
      geometry: {
        type: "LineString",
        coordinates: [
          [15.155, 59.303],
          [15.1555, 59.3033],
          [15.156123456789, 59.303512345678],
        ],
      },
      categoryId: "lighting.dark_stretch",
      feltUnsafe: ["everyone"],
      note: '=HYPERLINK("http://example.invalid","klicka")',
      observedAt: WINTER_INSTANT_MS + 60_000,
      placement: "walked",
    }),
    ctx,
  );
  const polygon = createObservation(
    project.id,
    walk.id,
    observationFields({
      geometry: BRUSH_AREA,
      categoryId: "vegetation.brush_sightlines",
      severity: 2,
      feltUnsafe: ["children_young"],
      note: "+46 70 123 45 67",
      observedAt: WINTER_INSTANT_MS + 120_000,
    }),
    ctx,
  );
  const deletedObservation = tombstoneRecord(
    createObservation(
      project.id,
      walk.id,
      observationFields({ photoIds: [PHOTO_DELETED], note: "borttagen" }),
      ctx,
    ),
    EMPTY_OBSERVATION_FIELDS,
    ctx,
  );
  const unknownCategory = createObservation(
    project.id,
    walk.id,
    observationFields({
      categoryId: "retired.category",
      note: "@kommun -5 grader",
      observedAt: SUMMER_INSTANT_MS,
      geometry: { type: "Point", coordinates: [15.1583, 59.3071, 31.5] },
    }),
    ctx,
  );

  const track = createTrack(project.id, walk.id, WINTER_INSTANT_MS - 600_000, ctx);
  const t0 = WINTER_INSTANT_MS - 590_000;
  // Chunks out of order and one deleted chunk: the line follows time, live chunks only.
  const chunkLater = createTrackChunk(
    track,
    1,
    [
      [15.153, 59.303, 6, t0 + 30_000],
      [15.154, 59.303, 5, t0 + 40_000],
    ],
    ctx,
  );
  const chunkEarlier = createTrackChunk(
    track,
    0,
    [
      [15.151, 59.303, 4, t0],
      [15.152, 59.303, 5, t0 + 10_000],
    ],
    ctx,
  );
  const chunkDeleted = tombstoneRecord(
    createTrackChunk(track, 2, [[16, 60, 5, t0 + 50_000]], ctx),
    { trackId: "", sequence: 0, points: [] },
    ctx,
  );
  const endedTrack = { ...track, fields: { ...track.fields, endedAt: t0 + 45_000 } };
  const deletedTrack = tombstoneRecord(
    createTrack(project.id, walk.id, t0, ctx),
    EMPTY_TRACK_FIELDS,
    ctx,
  );
  const onePointTrack = createTrack(project.id, walk.id, t0, ctx);
  const onePointChunk = createTrackChunk(onePointTrack, 0, [[15.15, 59.3, 5, t0]], ctx);

  const pathsRecord = createRecord(
    {
      id: "layer-paths",
      kind: "layer",
      projectId: project.id,
      fields: { name: "Gångvägar Vivalla", role: "paths" as const, attribution: "Örebro kommun" },
    },
    ctx,
  );
  const lampsRecord = createRecord(
    {
      id: "layer-lamps",
      kind: "layer",
      projectId: project.id,
      fields: { name: "Belysning", role: "lamps" as const, attribution: "" },
    },
    ctx,
  );
  const pathFeatures: Feature<Geometry | null, NormalisedProperties>[] = [
    {
      type: "Feature",
      id: "5c3e1d2a-1111-4aaa-8bbb-000000000001",
      geometry: {
        type: "LineString",
        coordinates: [
          [15.152, 59.304],
          [15.158, 59.304],
        ],
      },
      properties: {
        pathClass: "school_route",
        lit: "yes",
        name: "Skolstigen",
        source: { KLASS: "school_route", BELYST: "Ja", NAMN: "Skolstigen", OBJEKT_ID: 17 },
      },
    },
  ];
  const lampFeatures: Feature<Geometry | null, NormalisedProperties>[] = [
    {
      type: "Feature",
      id: "5c3e1d2a-2222-4aaa-8bbb-000000000002",
      geometry: { type: "Point", coordinates: [15.155, 59.3041] },
      properties: {
        poleHeightM: 6,
        luminousFluxLm: 3200,
        powerW: 28,
        status: "i drift",
        ref: "=A1",
        source: { HOJD: "6,0", LJUSFLODE: 3200, STATUS: "i drift", STOLPNR: "=A1" },
      },
    },
  ];
  return deepFreeze({
    project,
    walks: [walk, deletedWalk],
    observations: [polygon, point, line, deletedObservation, unknownCategory],
    tracks: [endedTrack, deletedTrack, onePointTrack],
    trackChunks: [chunkLater, chunkEarlier, chunkDeleted, onePointChunk],
    layers: [
      { record: pathsRecord, features: pathFeatures },
      { record: lampsRecord, features: lampFeatures },
    ],
    photos: new Map([
      [PHOTO_A, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1])],
      [PHOTO_B, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 2])],
      [PHOTO_DELETED, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 3])],
    ]),
    ids: {
      walk: walk.id,
      deletedWalk: deletedWalk.id,
      point: point.id,
      line: line.id,
      polygon: polygon.id,
      deletedObservation: deletedObservation.id,
      unknownCategory: unknownCategory.id,
      track: track.id,
      deletedTrack: deletedTrack.id,
      onePointTrack: onePointTrack.id,
    },
  });
}
