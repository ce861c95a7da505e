/**
 * The sync server (`lykta serve`, built as users run it) against BOTH databases: the embedded
 * default (PGlite with PostGIS) and a real PostgreSQL 15 with PostGIS that this file starts
 * in a temporary cluster on loopback (scripts/setup-test-deps.sh installs it). The same tests
 * run on both; a few need PostgreSQL (the database going away, two instances).
 *
 * Convergence: 20 simulated tablets (the client engine, in-memory stores) push and pull seeded
 * random histories concurrently over HTTP with dropped requests and dropped answers. The seed
 * is printed; LYKTA_SYNC_SEED=N replays one.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { fromWgs84, SWEREF99_TM } from "../domain/crs";
import { valuesEqual } from "../domain/equal";
import {
  createObservation,
  EMPTY_OBSERVATION_FIELDS,
  type ObservationFields,
} from "../domain/observation";
import { createFollowUp } from "../domain/plan/follow-up";
import { publish } from "../domain/publication";
import { editRecord, type SyncedRecord, tombstoneRecord } from "../domain/record";
import { syncOnce } from "../domain/sync/engine";
import { httpTransport } from "../domain/sync/http-transport";
import { MemorySyncStore } from "../domain/sync/memory-store";
import type { JoinResponse, PullResponse } from "../domain/sync/protocol";
import { createWalk, EMPTY_WALK_FIELDS } from "../domain/walk";
import {
  makeTablet,
  NO_FAULTS,
  randomEdit,
  referenceMerge,
  type Tablet,
  trySync,
} from "./sync-simulation";
import {
  ADMIN_TOKEN,
  api,
  bootstrapProject,
  buildServer,
  createCode,
  type Driver,
  joinWith,
  type Postgres,
  type RunningServer,
  startPostgres,
  startServer,
} from "./test-harness";

// Processes, a database cluster and PGlite's WebAssembly start here: generous timeouts.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const SEED = Number(process.env.LYKTA_SYNC_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`sync convergence seed: ${SEED} (replay with LYKTA_SYNC_SEED=${SEED})`);

const INJECTION = "x'); DROP TABLE records; --";
const TABLET_COUNT = 20;
const TEAMS = 4;
const ROUNDS = 6;

let program: string;

beforeAll(() => {
  program = buildServer();
}, 300_000);

const OBSERVATION: ObservationFields = {
  geometry: { type: "Point", coordinates: [15.2, 59.27] },
  categoryId: "lighting.broken",
  severity: 3,
  feltUnsafe: ["everyone"],
  note: "Trasig lampa",
  photoIds: [],
  illuminanceLux: null,
  observedAt: 1_800_000_000_000,
  positionAccuracyM: 5,
  placement: "gps",
};

/** Every record and conflict of the project, pulled from 0 with the planner's token. */
async function pullAll(server: { url: string }, planner: JoinResponse) {
  const records = new Map<string, SyncedRecord>();
  const conflicts = new Set<string>();
  let after = 0;
  let pulledIds = 0;
  for (;;) {
    const page = await api<PullResponse>(
      server,
      "GET",
      `/api/v1/projects/${planner.projectId}/pull?after=${after}&limit=1000`,
      planner.token,
    );
    expect(page.status).toBe(200);
    for (const record of page.body.records) records.set(record.id, record);
    pulledIds += page.body.records.length;
    for (const entry of page.body.conflicts) conflicts.add(entry.id);
    after = page.body.lastSeq;
    if (!page.body.more) break;
  }
  return { records, conflicts, lastSeq: after, pulledIds };
}

async function push(
  server: { url: string },
  token: JoinResponse,
  records: SyncedRecord[],
  projectId = token.projectId,
) {
  return api<{ seq: number; error?: { where?: string; message: string } }>(
    server,
    "POST",
    `/api/v1/projects/${projectId}/push`,
    token.token,
    { deviceId: "test-device", batchId: "b1", records, conflicts: [] },
  );
}

describe.each<Driver>(["pglite", "postgresql"])("lykta serve on %s", (driver) => {
  let postgres: Postgres | undefined;
  let server: RunningServer;
  let dataDir: string;
  let projectId: string;
  let planner: JoinResponse;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `lykta-serve-${driver}-`));
    if (driver === "postgresql") postgres = await startPostgres();
    server = await startServer({
      program,
      driver,
      dataDir: join(dataDir, "db"),
      ...(postgres ? { databaseUrl: postgres.url } : {}),
      extraArgs: ["--body-limit-mb", "1", "--rate-limit", "0", "--join-rate-limit", "0"],
    });
    ({ projectId, planner } = await bootstrapProject(server));
  });

  afterAll(async () => {
    await server?.stop();
    postgres?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers /health with the database and its migrations", async () => {
    const health = await api<{ ok: boolean; database: string; migrations: number[] }>(
      server,
      "GET",
      "/health",
    );
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true, database: driver, migrations: [1] });
  });

  it("lets the app's page call the API from another origin (CORS preflight)", async () => {
    const preflight = await fetch(`${server.url}/api/v1/projects/${projectId}/push`, {
      method: "OPTIONS",
      headers: {
        origin: "http://127.0.0.1:4373",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain(
      "authorization",
    );
  });

  it("logs one JSON line per request with method, path, status and time, and no secret", async () => {
    await api(server, "GET", `/api/v1/projects/${projectId}/pull?after=0`, planner.token);
    const line = server.logs.findLast((entry) => entry.msg === "request" && entry.method === "GET");
    expect(line).toMatchObject({ level: "info", method: "GET", status: 200 });
    expect(typeof line?.ms).toBe("number");
    expect(JSON.stringify(server.logs)).not.toContain(planner.token);
  });

  it("pushes, pulls with a cursor, and a resend changes nothing", async () => {
    const ctx = testContext("tablet-p", 4);
    const observation = createObservation(projectId, "walk-planner", OBSERVATION, ctx);
    const first = await push(server, planner, [observation]);
    expect(first.status).toBe(200);
    const before = await pullAll(server, planner);
    const again = await push(server, planner, [observation]);
    expect(again.status).toBe(200);
    const after = await pullAll(server, planner);
    expect(after.lastSeq).toBe(before.lastSeq);
    expect(valuesEqual(after.records.get(observation.id), observation)).toBe(true);
    // A pull after the last change is empty, and says so.
    const empty = await api<PullResponse>(
      server,
      "GET",
      `/api/v1/projects/${projectId}/pull?after=${after.lastSeq}`,
      planner.token,
    );
    expect(empty.body).toEqual({ records: [], conflicts: [], lastSeq: after.lastSeq, more: false });
  });

  it("a project made on the server carries its record, so the first tablet that joins gets it", async () => {
    const made = await bootstrapProject(server, "Gottsunda 2027");
    const pulled = await pullAll(server, made.planner);
    const record = pulled.records.get(made.projectId);
    expect(record).toMatchObject({
      kind: "project",
      projectId: made.projectId,
      deleted: false,
      fields: { name: "Gottsunda 2027", organisation: "" },
    });
    // A project the tablets already hold brings its own record: the server writes none.
    const tabletProjectId = "4f1c8a2e-9b7d-4c3a-8e6f-1a2b3c4d5e6f";
    const given = await api<{ plannerCode: { code: string } }>(
      server,
      "POST",
      "/api/v1/admin/projects",
      ADMIN_TOKEN,
      { name: "Från surfplattan", projectId: tabletProjectId },
    );
    expect(given.status).toBe(200);
    const planner2 = await joinWith(server, given.body.plannerCode.code, "tablet-x");
    expect((await pullAll(server, planner2)).records.size).toBe(0);
  });

  it("uploads a blob in pieces, resumes at the server's offset, and checks its SHA-256", async () => {
    const team = await joinWith(
      server,
      (await createCode(server, planner, { role: "team", walkId: "walk-blob" })).code,
      "blob-tablet",
    );
    const bytes = new Uint8Array(300_000).map((_, index) => (index * 7) % 251);
    const hash = Buffer.from(await crypto.subtle.digest("SHA-256", bytes)).toString("hex");
    const transport = httpTransport({ serverUrl: server.url, projectId, token: team.token });
    expect(await transport.blobStatus(hash)).toBeNull();
    expect(await transport.uploadBlob(hash, 0, bytes.byteLength, bytes.subarray(0, 100_000))).toBe(
      100_000,
    );
    // A resend of the first piece is refused with the offset to resume from.
    await expect(
      transport.uploadBlob(hash, 0, bytes.byteLength, bytes.subarray(0, 100_000)),
    ).rejects.toMatchObject({ status: 409 });
    expect(await transport.blobStatus(hash)).toEqual({ offset: 100_000, complete: false });
    const store = new MemorySyncStore();
    store.addBlob(hash, bytes);
    await syncOnce(transport, store, { deviceId: "blob-tablet", blobChunkBytes: 64 * 1024 });
    expect(await transport.blobStatus(hash)).toEqual({ offset: 300_000, complete: true });
    expect(await transport.downloadBlob(hash)).toEqual(bytes);
    // Bytes that do not hash to the id: 409 when complete, and the partial upload is gone.
    const wrong = "0".repeat(64);
    await expect(transport.uploadBlob(wrong, 0, 10, new Uint8Array(10))).rejects.toMatchObject({
      status: 409,
      code: "hash_mismatch",
    });
    expect(await transport.blobStatus(wrong)).toBeNull();
  });

  describe("security", () => {
    let teamA: JoinResponse;
    let teamB: JoinResponse;
    let otherProject: { projectId: string; planner: JoinResponse };

    beforeAll(async () => {
      teamA = await joinWith(
        server,
        (await createCode(server, planner, { role: "team", walkId: "walk-a" })).code,
        "tablet-a",
      );
      teamB = await joinWith(
        server,
        (await createCode(server, planner, { role: "team", walkId: "walk-b" })).code,
        "tablet-b",
      );
      otherProject = await bootstrapProject(server, "Another project");
    });

    it("401 for a missing, wrong, expired or revoked token, and for a wrong join code", async () => {
      const pull = `/api/v1/projects/${projectId}/pull?after=0`;
      expect((await api(server, "GET", pull)).status).toBe(401);
      expect((await api(server, "GET", pull, "lyk_not-a-token")).status).toBe(401);
      // A token that expires a microsecond after it is made: expired by the time it is used
      // (no waiting, so no race with a slow machine).
      const shortLived = await createCode(server, planner, {
        role: "read",
        tokenExpiresInHours: 1e-9,
      });
      const expiring = await joinWith(server, shortLived.code, "qgis");
      expect(Date.parse(expiring.expiresAt)).toBeLessThanOrEqual(Date.now() + 1000);
      const expired = await api<{ error: { code: string } }>(server, "GET", pull, expiring.token);
      expect(expired.status).toBe(401);
      expect(expired.body.error.code).toBe("unauthorised");
      const expiredCode = await createCode(server, planner, { role: "read", expiresInHours: 1e-9 });
      expect(
        (
          await api(server, "POST", "/api/v1/join", undefined, {
            code: expiredCode.code,
            deviceId: "d",
          })
        ).status,
      ).toBe(401);
      const revokedToken = await joinWith(
        server,
        (await createCode(server, planner, { role: "read" })).code,
        "qgis-2",
      );
      expect(
        (
          await api(
            server,
            "DELETE",
            `/api/v1/projects/${projectId}/tokens/${revokedToken.tokenId}`,
            planner.token,
          )
        ).status,
      ).toBe(204);
      expect((await api(server, "GET", pull, revokedToken.token)).status).toBe(401);
      const code = await createCode(server, planner, { role: "read" });
      expect(
        (
          await api(
            server,
            "DELETE",
            `/api/v1/projects/${projectId}/join-codes/${code.id}`,
            planner.token,
          )
        ).status,
      ).toBe(204);
      expect(
        (await api(server, "POST", "/api/v1/join", undefined, { code: code.code, deviceId: "d" }))
          .status,
      ).toBe(401);
      expect(
        (await api(server, "POST", "/api/v1/join", undefined, { code: "AAAA-AAAA", deviceId: "d" }))
          .status,
      ).toBe(401);
    });

    it("403 for a team changing another team's walk, or anything of another project", async () => {
      const ctx = testContext("tablet-b", 8);
      const theirs = createObservation(projectId, "walk-b", OBSERVATION, ctx);
      expect((await push(server, teamB, [theirs])).status).toBe(200);
      const changed = editRecord(theirs, { note: "changed by team A" }, testContext("tablet-a", 2));
      const refused = await push(server, teamA, [changed]);
      expect(refused.status).toBe(403);
      expect(refused.body.error?.where).toBe("records[0].walkId");
      // A new record in B's walk, and walk content of a walk the server knows and A does not own.
      expect(
        (await push(server, teamA, [createObservation(projectId, "walk-b", OBSERVATION, ctx)]))
          .status,
      ).toBe(403);
      // Not walk content at all.
      const settings = await createFollowUp(projectId, {
        key: "repair_lamp:x",
        defaultOwner: "police",
        defaultDeadlineAt: null,
      });
      expect((await push(server, teamA, [settings])).status).toBe(403);
      // Another project: by URL, by pull, by the OGC API.
      const foreign = createObservation(otherProject.projectId, "walk-a", OBSERVATION, ctx);
      expect((await push(server, teamA, [foreign], otherProject.projectId)).status).toBe(403);
      expect(
        (
          await api(
            server,
            "GET",
            `/api/v1/projects/${otherProject.projectId}/pull?after=0`,
            teamA.token,
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await api(
            server,
            "GET",
            `/ogc/projects/${otherProject.projectId}/collections/observations/items`,
            teamA.token,
          )
        ).status,
      ).toBe(403);
      // A record naming another project, pushed to its own: refused as bad input.
      expect((await push(server, teamA, [foreign])).status).toBe(400);
      const state = await pullAll(server, planner);
      expect((state.records.get(theirs.id)!.fields as ObservationFields).note).toBe(
        OBSERVATION.note,
      );
      // The other project holds only the record the server made for it.
      const others = await pullAll(server, otherProject.planner);
      expect([...others.records.values()].map((record) => record.kind)).toEqual(["project"]);
    });

    it("a partner follows up its own organisation's actions only, and only their status fields", async () => {
      const police = await joinWith(
        server,
        (await createCode(server, planner, { role: "partner", organisation: "police" })).code,
        "police-1",
      );
      const ours = await createFollowUp(projectId, {
        key: "camera_review:site-1",
        defaultOwner: "police",
        defaultDeadlineAt: null,
      });
      const streets = await createFollowUp(projectId, {
        key: "repair_lamp:lamp-1",
        defaultOwner: "street_department",
        defaultDeadlineAt: null,
      });
      expect((await push(server, planner, [ours, streets])).status).toBe(200);
      const ctx = testContext("police-1", 3);
      expect(
        (
          await push(server, police, [
            editRecord(ours, { status: "in_progress", note: "Vi tittar" }, ctx),
          ])
        ).status,
      ).toBe(200);
      const notOurs = await push(server, police, [editRecord(streets, { status: "done" }, ctx)]);
      expect(notOurs.status).toBe(403);
      expect(notOurs.body.error?.where).toBe("records[0].fields.owner");
      const owner = await push(server, police, [
        editRecord(ours, { owner: "street_department" }, ctx),
      ]);
      expect(owner.status).toBe(403);
      expect(owner.body.error?.where).toBe("records[0].fields.owner");
      const state = await pullAll(server, planner);
      expect(state.records.get(ours.id)?.fields).toMatchObject({
        status: "in_progress",
        owner: "police",
      });
      expect(state.records.get(streets.id)?.fields).toMatchObject({ status: "proposed" });
      // A read token writes nothing.
      const reader = await joinWith(
        server,
        (await createCode(server, planner, { role: "read" })).code,
        "qgis-3",
      );
      expect((await push(server, reader, [ours])).status).toBe(403);
    });

    it("413 for a body over the limit, 400 with a message for malformed JSON or GeoJSON; nothing stored", async () => {
      const before = await pullAll(server, planner);
      const big = await api<{ error: { code: string; message: string } }>(
        server,
        "POST",
        `/api/v1/projects/${projectId}/push`,
        planner.token,
        JSON.stringify({ deviceId: "d", records: [], padding: "x".repeat(1_200_000) }),
      );
      expect(big.status).toBe(413);
      expect(big.body.error.message).toMatch(/over the limit/);
      const broken = await api<{ error: { code: string; message: string; where: string } }>(
        server,
        "POST",
        `/api/v1/projects/${projectId}/push`,
        planner.token,
        '{"deviceId": "d", "records": [',
      );
      expect(broken.status).toBe(400);
      expect(broken.body.error).toMatchObject({ code: "invalid_json", where: "body" });
      const ctx = testContext("tablet-x", 5);
      const good = createObservation(projectId, "walk-x", OBSERVATION, ctx);
      const openRing = createObservation(
        projectId,
        "walk-x",
        {
          ...OBSERVATION,
          geometry: {
            type: "Polygon",
            coordinates: [
              [
                [15, 59],
                [15.1, 59],
                [15.1, 59.1],
                [15, 59.1],
              ],
            ],
          },
        },
        ctx,
      );
      const badGeometry = await push(server, planner, [good, openRing]);
      expect(badGeometry.status).toBe(400);
      expect(badGeometry.body.error).toMatchObject({ where: "records[1].fields.geometry" });
      expect(badGeometry.body.error?.message).toMatch(/ring 0 is not closed/);
      const outOfRange = createObservation(
        projectId,
        "walk-x",
        { ...OBSERVATION, geometry: { type: "Point", coordinates: [15, 91] } },
        ctx,
      );
      expect((await push(server, planner, [outOfRange])).status).toBe(400);
      const publication = publish(
        undefined,
        projectId,
        "plan",
        {
          type: "FeatureCollection",
          features: [
            {
              type: "Feature",
              properties: {},
              geometry: { type: "LineString", coordinates: [[15, 59]] },
            },
          ],
        },
        ctx,
      );
      const badPublication = await push(server, planner, [publication]);
      expect(badPublication.status).toBe(400);
      expect(badPublication.body.error?.where).toBe(
        "records[0].fields.features.features[0].geometry",
      );
      const nul = await push(server, planner, [
        createObservation(projectId, "walk-x", { ...OBSERVATION, note: "a\u0000b" }, ctx),
      ]);
      expect(nul.status).toBe(400);
      const wrongType = await api(
        server,
        "POST",
        `/api/v1/projects/${projectId}/push`,
        planner.token,
        undefined,
      );
      expect(wrongType.status).toBe(415);
      const after = await pullAll(server, planner);
      expect(after.lastSeq).toBe(before.lastSeq);
      expect(after.records.has(good.id)).toBe(false);
    });

    it("an SQL injection string in every string parameter changes nothing", async () => {
      const before = await pullAll(server, planner);
      const encoded = encodeURIComponent(INJECTION);
      const probes: [string, string, unknown?][] = [
        ["GET", `/api/v1/projects/${encoded}/pull?after=0`],
        ["GET", `/api/v1/projects/${projectId}/pull?after=${encoded}`],
        ["GET", `/api/v1/projects/${projectId}/pull?after=0&limit=${encoded}`],
        ["HEAD", `/api/v1/projects/${projectId}/blobs/${encoded}`],
        ["GET", `/api/v1/projects/${projectId}/blobs/${encoded}`],
        ["DELETE", `/api/v1/projects/${projectId}/tokens/${encoded}`],
        ["DELETE", `/api/v1/projects/${projectId}/join-codes/${encoded}`],
        ["GET", `/ogc/projects/${encoded}/collections`],
        ["GET", `/ogc/projects/${projectId}/collections/${encoded}/items`],
        ["GET", `/ogc/projects/${projectId}/collections/observations/items/${encoded}`],
        ["GET", `/ogc/projects/${projectId}/collections/observations/items?bbox=${encoded}`],
        [
          "GET",
          `/ogc/projects/${projectId}/collections/observations/items?limit=${encoded}&offset=${encoded}`,
        ],
        ["POST", "/api/v1/join", { code: INJECTION, deviceId: INJECTION }],
        [
          "POST",
          `/api/v1/projects/${projectId}/join-codes`,
          { role: INJECTION, walkId: INJECTION, organisation: INJECTION },
        ],
        [
          "POST",
          `/api/v1/projects/${projectId}/join-codes`,
          { role: "partner", organisation: INJECTION },
        ],
        [
          "POST",
          `/api/v1/projects/${projectId}/push`,
          {
            deviceId: INJECTION,
            batchId: INJECTION,
            records: [{ id: INJECTION, kind: INJECTION }],
            conflicts: [],
          },
        ],
      ];
      for (const [method, path, body] of probes) {
        const answer = await api(server, method, path, planner.token, body);
        expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${method} ${path}`).toBeLessThan(500);
      }
      // The string as data, in every text of a record the planner may write: stored as typed.
      const ctx = testContext(INJECTION, 6);
      const record = createObservation(
        projectId,
        INJECTION,
        { ...OBSERVATION, note: INJECTION, categoryId: INJECTION },
        ctx,
        `obs-${INJECTION}`,
      );
      expect((await push(server, planner, [record])).status).toBe(200);
      const after = await pullAll(server, planner);
      expect(after.records.size).toBe(before.records.size + 1);
      expect(valuesEqual(after.records.get(record.id), record)).toBe(true);
      for (const [id, kept] of before.records)
        expect(valuesEqual(after.records.get(id), kept)).toBe(true);
      expect((await api(server, "GET", "/health")).status).toBe(200);
    });
  });

  it(`${TABLET_COUNT} tablets converge with dropped requests and answers, and no winning edit is lost`, async () => {
    const history: SyncedRecord[] = [];
    const codes = [];
    for (let team = 0; team < TEAMS; team++) {
      codes.push(await createCode(server, planner, { role: "team", walkId: `walk-team-${team}` }));
    }
    let faults = { before: 0.15, after: 0.15 };
    const tablets: Tablet[] = [];
    for (let index = 0; index < TABLET_COUNT; index++) {
      const team = index % TEAMS;
      const join = await joinWith(server, codes[team]!.code, `tablet-${index}`);
      tablets.push(
        makeTablet({
          serverUrl: server.url,
          join,
          deviceId: `tablet-${index}`,
          walkId: `walk-team-${team}`,
          seed: SEED + index,
          faults: () => faults,
        }),
      );
    }
    // The team's walk record, made by its first tablet.
    for (let team = 0; team < TEAMS; team++) {
      const walk = createWalk(
        projectId,
        { ...EMPTY_WALK_FIELDS, name: `Lag ${team}`, date: "2026-11-24" },
        tablets[team]!.ctx,
        `walk-team-${team}`,
      );
      tablets[team]!.store.commit(walk);
      history.push(walk);
    }
    let failedSyncs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        tablets.map(async (tablet) => {
          const edits = Math.floor(tablet.random() * 4);
          for (let i = 0; i < edits; i++) randomEdit(tablet, projectId, history);
          // Small batches, so a sync is several requests and can fail in the middle.
          if (!(await trySync(tablet, 3))) failedSyncs += 1;
        }),
      );
    }
    expect(failedSyncs).toBeGreaterThan(0); // The faults happened.
    faults = NO_FAULTS;
    for (let pass = 0; pass < 2; pass++) {
      for (const tablet of tablets) expect(await trySync(tablet)).toBe(true);
    }
    const state = await pullAll(server, planner);
    const reference = referenceMerge(history);
    for (const [id, expected] of reference) {
      expect(valuesEqual(state.records.get(id), expected), `record ${id}`).toBe(true);
    }
    for (const tablet of tablets) {
      for (const [id, expected] of reference) {
        expect(
          valuesEqual(tablet.store.records.get(id), expected),
          `${tablet.deviceId}: ${id}`,
        ).toBe(true);
      }
      expect(tablet.store.outbox.size).toBe(0);
      const serverConflicts = [...state.conflicts].sort();
      expect(
        [...tablet.store.conflicts.keys()].filter((id) => serverConflicts.includes(id)).length,
      ).toBe(tablet.store.conflicts.size);
    }
    console.log(
      `${driver}: ${reference.size} records, ${history.length} versions, ${failedSyncs} interrupted syncs, ${state.conflicts.size} conflicts logged`,
    );
  });

  it("the server is killed (SIGKILL) in the middle of a sync and restarted: clients resume, nothing lost or duplicated", async () => {
    const code = await createCode(server, planner, { role: "team", walkId: "walk-crash" });
    const history: SyncedRecord[] = [];
    let requests = 0;
    let killAt = Number.POSITIVE_INFINITY;
    let killed: Promise<void> | undefined;
    const onRequest = () => {
      requests += 1;
      if (requests === killAt) killed = server.kill();
    };
    const tablets: Tablet[] = [];
    for (let index = 0; index < 5; index++) {
      const join = await joinWith(server, code.code, `crash-${index}`);
      tablets.push(
        makeTablet({
          serverUrl: server.url,
          join,
          deviceId: `crash-${index}`,
          walkId: "walk-crash",
          seed: SEED * 7 + index,
          faults: () => NO_FAULTS,
          onRequest,
        }),
      );
    }
    const round = async () => {
      await Promise.all(
        tablets.map(async (tablet) => {
          for (let i = 0; i < 6; i++) randomEdit(tablet, projectId, history);
          await trySync(tablet, 2);
        }),
      );
    };
    await round();
    killAt = requests + 7; // In the middle of the next round's pushes.
    await round();
    expect(killed).toBeDefined();
    await killed;
    expect(server.child.signalCode).toBe("SIGKILL");
    server = await startServer(server.options);
    await round();
    for (let pass = 0; pass < 2; pass++) {
      for (const tablet of tablets) expect(await trySync(tablet)).toBe(true);
    }
    const state = await pullAll(server, planner);
    expect(state.pulledIds).toBe(state.records.size); // Each record once.
    const reference = referenceMerge(history);
    for (const [id, expected] of reference) {
      expect(valuesEqual(state.records.get(id), expected), `record ${id}`).toBe(true);
      for (const tablet of tablets)
        expect(valuesEqual(tablet.store.records.get(id), expected)).toBe(true);
    }
  });

  it("GDAL's OGC API - Features driver (QGIS's library) lists the collections, counts the features and filters by bbox", async () => {
    const ogcProject = await bootstrapProject(server, "OGC");
    const ctx = testContext("gis-tablet", 11);
    // A 6 x 5 grid of observations, 0.01 degrees apart, from (15.10, 59.20).
    const records: SyncedRecord[] = [];
    for (let x = 0; x < 6; x++) {
      for (let y = 0; y < 5; y++) {
        records.push(
          createObservation(
            ogcProject.projectId,
            "walk-ogc",
            {
              ...OBSERVATION,
              geometry: { type: "Point", coordinates: [15.1 + x * 0.01, 59.2 + y * 0.01] },
            },
            ctx,
          ),
        );
      }
    }
    records.push(
      publish(
        undefined,
        ogcProject.projectId,
        "lighting",
        {
          type: "FeatureCollection",
          features: [
            {
              type: "Feature",
              properties: { lit: true },
              geometry: {
                type: "LineString",
                coordinates: [
                  [15.1, 59.2],
                  [15.11, 59.2],
                ],
              },
            },
            {
              type: "Feature",
              properties: { lit: false },
              geometry: {
                type: "LineString",
                coordinates: [
                  [15.3, 59.4],
                  [15.31, 59.4],
                ],
              },
            },
          ],
        },
        ctx,
      ),
    );
    expect((await push(server, ogcProject.planner, records)).status).toBe(200);
    const reader = await joinWith(
      server,
      (await createCode(server, ogcProject.planner, { role: "read" })).code,
      "qgis",
    );
    const source = `OAPIF:${server.url}/ogc/projects/${ogcProject.projectId}`;
    const ogrinfo = (...args: string[]) => {
      const result = spawnSync(
        "ogrinfo",
        ["--config", "GDAL_HTTP_HEADERS", `Authorization: Bearer ${reader.token}`, "-ro", ...args],
        { encoding: "utf8", timeout: 120_000 },
      );
      if (result.status !== 0) throw new Error(`ogrinfo ${args.join(" ")}: ${result.stderr}`);
      // CPL_DEBUG=ON LYKTA_GDAL_DEBUG=1 shows GDAL's requests.
      if (process.env.LYKTA_GDAL_DEBUG) console.log(result.stderr);
      return result.stdout;
    };
    const layers = ogrinfo(source);
    for (const name of ["observations", "sites", "lighting", "plan"])
      expect(layers).toMatch(new RegExp(`: ${name}\\b`));
    const count = (output: string) => (output.match(/^OGRFeature\(/gm) ?? []).length;
    expect(count(ogrinfo("-al", "-geom=NO", source, "observations"))).toBe(30);
    // x in 0..2 (15.10 to 15.12) and y in 1..3 (59.21 to 59.23): 3 x 3 = 9 points.
    expect(
      count(
        ogrinfo(
          "-al",
          "-geom=NO",
          "-spat",
          "15.095",
          "59.205",
          "15.125",
          "59.235",
          source,
          "observations",
        ),
      ),
    ).toBe(9);
    expect(count(ogrinfo("-al", "-geom=NO", source, "lighting"))).toBe(2);
    expect(
      count(
        ogrinfo("-al", "-geom=NO", "-spat", "15.0", "59.1", "15.2", "59.3", source, "lighting"),
      ),
    ).toBe(1);
    // The API itself: paging with numberMatched and a next link.
    const page = await api<{
      numberMatched: number;
      numberReturned: number;
      links: { rel: string }[];
    }>(
      server,
      "GET",
      `/ogc/projects/${ogcProject.projectId}/collections/observations/items?limit=7&offset=28`,
      reader.token,
    );
    expect(page.body).toMatchObject({ numberMatched: 30, numberReturned: 2 });
    expect(page.body.links.map((link) => link.rel)).toEqual(["self", "prev"]);
    expect(page.headers.get("content-type")).toMatch(/application\/geo\+json/);
    // No token: the landing page only.
    expect((await api(server, "GET", `/ogc/projects/${ogcProject.projectId}`)).status).toBe(200);
    expect(
      (await api(server, "GET", `/ogc/projects/${ogcProject.projectId}/collections`)).status,
    ).toBe(401);
  });

  if (driver === "postgresql") {
    it("the EPSG:3006 views give live observations in SWEREF 99 TM (as proj4 projects them)", async () => {
      const ctx = testContext("view-tablet", 12);
      const view = await bootstrapProject(server, "Views");
      const kept = createObservation(view.projectId, "walk-v", OBSERVATION, ctx);
      const gone = tombstoneRecord(
        createObservation(view.projectId, "walk-v", OBSERVATION, ctx),
        EMPTY_OBSERVATION_FIELDS,
        ctx,
      );
      expect((await push(server, view.planner, [kept, gone])).status).toBe(200);
      const rows = postgres!
        .psql(
          `SELECT id, ST_SRID(geom), ST_X(geom), ST_Y(geom) FROM observations_sweref99tm WHERE project_id = '${view.projectId}'`,
        )
        .trim()
        .split("\n");
      expect(rows).toHaveLength(1);
      const [id, srid, x, y] = rows[0]!.split("|");
      expect(id).toBe(kept.id);
      expect(srid).toBe("3006");
      const [east, north] = fromWgs84(SWEREF99_TM)(15.2, 59.27);
      expect(Math.abs(Number(x) - east)).toBeLessThan(0.01);
      expect(Math.abs(Number(y) - north)).toBeLessThan(0.01);
    });

    it("the database goes away: requests get 503 with Retry-After, then succeed when it is back", async () => {
      postgres!.stop();
      const down = await api<{ error: { code: string } }>(
        server,
        "GET",
        `/api/v1/projects/${projectId}/pull?after=0`,
        planner.token,
      );
      expect(down.status).toBe(503);
      expect(down.headers.get("retry-after")).toBe("2");
      expect(down.body.error.code).toBe("database_unavailable");
      expect((await api(server, "GET", "/health")).status).toBe(503);
      postgres!.start();
      const back = await api(
        server,
        "GET",
        `/api/v1/projects/${projectId}/pull?after=0`,
        planner.token,
      );
      expect(back.status).toBe(200);
    });

    it("a second instance on the same database serves the same project, and rate-limits with 429", async () => {
      const second = await startServer({
        program,
        driver,
        databaseUrl: postgres!.url,
        extraArgs: ["--rate-limit", "5"],
      });
      try {
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let i = 0; i < 8; i++) {
          const answer = await api(
            second,
            "GET",
            `/api/v1/projects/${projectId}/pull?after=0&limit=1`,
            planner.token,
          );
          statuses.push(answer.status);
          retryAfter ??= answer.headers.get("retry-after");
        }
        expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
        expect(statuses).toContain(429);
        expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      } finally {
        await second.stop();
      }
    });
  }
});
