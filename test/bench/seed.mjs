/**
 * Seeded, realistic records for the benchmarks, in the shape the app writes
 * (src/domain/record.ts createRecord, observation.ts, walk.ts, project.ts): fields plus one
 * field clock per field and one for "deleted", shapeVersion 2.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mulberry32 } from "./lib.mjs";

const SHAPE_VERSION = 2;
/** Västerås, Vallby: the neighbourhood of the walk (as in test/e2e/helpers.ts). */
export const WALK_PLACE = { latitude: 59.6262, longitude: 16.5146 };
const NOTES = [
  "Lampan vid gångtunneln är släckt.",
  "Buskarna är höga, man ser inte vem som står där.",
  "Mörkt mellan husen, ingen belysning på gångvägen.",
  "Klotter på hållplatsens vägg.",
  "Cyklister kommer fort runt hörnet.",
  "Ingen annan väg till bussen än genom parken.",
  "Känns tryggt här, mycket folk i rörelse.",
];

function uuid(random) {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
  const variant = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** A clock per field: version 1, or a few edits with their ancestor nonces. */
function makeClock(random, keys, devices, at) {
  const clock = {};
  for (const key of ["deleted", ...keys]) {
    const edits = key !== "deleted" && random() < 0.15 ? 1 + Math.floor(random() * 3) : 0;
    const ancestors = Array.from({ length: edits }, () => Math.floor(random() * 2 ** 31));
    clock[key] = {
      version: edits + 1,
      nonce: Math.floor(random() * 2 ** 31),
      by: devices[Math.floor(random() * devices.length)],
      at: at + edits * 60_000,
      ancestors,
    };
  }
  return clock;
}

function record(random, { id, kind, projectId, walkId, fields, devices, at }) {
  const result = {
    id,
    kind,
    shapeVersion: SHAPE_VERSION,
    projectId,
    fields,
    clock: makeClock(random, Object.keys(fields), devices, at),
    deleted: false,
  };
  if (walkId !== undefined) result.walkId = walkId;
  return result;
}

function loadData(root) {
  const checklist = JSON.parse(readFileSync(join(root, "data/checklist.json"), "utf8"));
  const groups = JSON.parse(readFileSync(join(root, "data/groups.json"), "utf8"));
  const byGeometry = { point: [], line: [], polygon: [] };
  for (const group of checklist.groups) {
    for (const category of group.categories) {
      if (!category.retired) byGeometry[category.geometry].push(category);
    }
  }
  return { byGeometry, groupIds: groups.groups.map((group) => group.id), everyone: "everyone" };
}

/** Metres east/north of the walk place, as [lon, lat] rounded like a GPS fix. */
function toLonLat(east, north) {
  const lat = WALK_PLACE.latitude + north / 110_540;
  const lon =
    WALK_PLACE.longitude + east / (111_320 * Math.cos((WALK_PLACE.latitude * Math.PI) / 180));
  return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}

function makeGeometry(random, kind) {
  // Somewhere in a neighbourhood about 1.6 km across.
  const east = (random() - 0.5) * 1600;
  const north = (random() - 0.5) * 1200;
  if (kind === "point") return { type: "Point", coordinates: toLonLat(east, north) };
  if (kind === "line") {
    const vertices = 2 + Math.floor(random() * 9);
    const coordinates = [];
    let [x, y] = [east, north];
    let heading = random() * 2 * Math.PI;
    for (let i = 0; i < vertices; i++) {
      coordinates.push(toLonLat(x, y));
      heading += (random() - 0.5) * 1.2;
      const step = 10 + random() * 30;
      x += Math.cos(heading) * step;
      y += Math.sin(heading) * step;
    }
    return { type: "LineString", coordinates };
  }
  const vertices = 4 + Math.floor(random() * 5);
  const ring = [];
  for (let i = 0; i < vertices; i++) {
    const angle = (i / vertices) * 2 * Math.PI + random() * 0.3;
    const radius = 10 + random() * 30;
    ring.push(toLonLat(east + Math.cos(angle) * radius, north + Math.sin(angle) * radius));
  }
  ring.push(ring[0]);
  return { type: "Polygon", coordinates: [ring] };
}

/**
 * A project, a walk with `count` observations, and an empty second walk of the same
 * project (the 0-observation comparison). Same seed, same records.
 */
export function makeFixture(root, { seed = 20271014, count = 10_000 } = {}) {
  const random = mulberry32(seed);
  const data = loadData(root);
  const devices = [uuid(random), uuid(random)];
  const startAt = Date.UTC(2027, 9, 14, 16, 0, 0); // 18:00 in Stockholm (CEST)
  const projectId = uuid(random);
  const project = record(random, {
    id: projectId,
    kind: "project",
    projectId,
    fields: { name: "Västerås 2027", organisation: "Västerås stad" },
    devices,
    at: startAt - 86_400_000,
  });
  const walkFields = (name, areaName) => ({
    name,
    areaName,
    areaPolygon: null,
    date: "2027-10-14",
    startTime: "18:00",
    endTime: "20:00",
    participantsByOrganisation: { municipality: 3, police: 1, residents: 6 },
    participantsByGroup: { women: 5, men: 4, elderly: 1 },
    note: "",
    lastBackupAt: null,
  });
  const walkId = uuid(random);
  const walk = record(random, {
    id: walkId,
    kind: "walk",
    projectId,
    walkId,
    fields: walkFields("Kvällsvandring Vallby", "Vallby centrum"),
    devices,
    at: startAt,
  });
  const emptyWalkId = uuid(random);
  const emptyWalk = record(random, {
    id: emptyWalkId,
    kind: "walk",
    projectId,
    walkId: emptyWalkId,
    fields: walkFields("Tom vandring", "Vallby norra"),
    devices,
    at: startAt,
  });
  const observations = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    const kind = roll < 0.7 ? "point" : roll < 0.9 ? "line" : "polygon";
    const categories = data.byGeometry[kind];
    const category = categories[Math.floor(random() * categories.length)];
    const placement =
      kind === "point"
        ? random() < 0.6
          ? "gps"
          : "drawn"
        : kind === "line" && random() < 0.3
          ? "walked"
          : "drawn";
    let feltUnsafe = [];
    const who = random();
    if (who < 0.4) feltUnsafe = [data.everyone];
    else if (who < 0.9) feltUnsafe = data.groupIds.filter(() => random() < 0.4);
    const observedAt = startAt + Math.floor((i / count) * 2 * 3_600_000);
    observations.push(
      record(random, {
        id: uuid(random),
        kind: "observation",
        projectId,
        walkId,
        fields: {
          geometry: makeGeometry(random, kind),
          categoryId: category.id,
          severity: 1 + Math.floor(random() * 5),
          feltUnsafe,
          note: random() < 0.3 ? NOTES[Math.floor(random() * NOTES.length)] : "",
          photoIds: [],
          illuminanceLux: random() < 0.25 ? Math.round((0.2 + random() * 30) * 10) / 10 : null,
          observedAt,
          positionAccuracyM: placement === "gps" ? 3 + Math.floor(random() * 22) : null,
          placement,
        },
        devices,
        at: observedAt,
      }),
    );
  }
  return { project, walk, emptyWalk, observations };
}
