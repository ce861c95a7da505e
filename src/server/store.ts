/**
 * What the server does with the database: projects, tokens and join codes, pushes (merged
 * with the domain's merge), pulls, blobs. Every statement is parameterised.
 *
 * Change numbers: a push takes the project's advisory lock (pg_advisory_xact_lock, held to
 * commit) and then numbers its changes after projects.last_seq, so the changes of one project
 * commit in number order and a reader that has seen N has seen everything up to N, also
 * with several server instances on one PostgreSQL primary.
 */
import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import { preferredConflict } from "../domain/conflicts";
import type { ConflictEntry } from "../domain/merge";
import { mergeIncomingRecord } from "../domain/merge-set";
import { migrateRecord } from "../domain/migrations";
import { createProject as createProjectRecord } from "../domain/project";
import { CURRENT_SHAPE_VERSION, type EditContext, type SyncedRecord } from "../domain/record";
import {
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  type Principal,
  type PushResponse,
  type Role,
  writeRefusal,
} from "../domain/sync/protocol";
import type { Database, Queryable } from "./database";
import { badRequest, forbidden, HttpError, notFound, unauthorised } from "./errors";

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** A project, as the admin and create-project see it. */
export interface ProjectInfo {
  id: string;
  name: string;
}

/** An authenticated token. */
export interface TokenPrincipal extends Principal {
  tokenId: string;
  joinCodeId: string | null;
  /** The walk the join code named (a team's own walk), if any. */
  codeWalkId: string | null;
}

/** Device id of edits the server makes itself (a new project's record). */
export const SERVER_DEVICE_ID = "lykta-server";

/**
 * A project on the server. With `projectId` the tablets already hold the project and bring
 * its record with their first push. Without, the project is new: the server writes its
 * `project` record (a planner's edit, merged like any), so every tablet that joins gets it.
 */
export async function createProject(
  database: Database,
  name: string,
  projectId?: string | null,
): Promise<ProjectInfo> {
  const given = projectId ?? null;
  const id = given ?? randomUUID();
  const rows = await database.query<{ id: string }>(
    "INSERT INTO projects (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id",
    [id, name],
  );
  if (rows.length === 0) throw new HttpError(409, "exists", `project ${id} exists`);
  if (given === null) {
    const record = createProjectRecord({ name, organisation: "" }, serverContext(), id);
    const server: TokenPrincipal = {
      role: "planner",
      projectId: id,
      ownedWalkIds: new Set(),
      organisation: null,
      tokenId: SERVER_DEVICE_ID,
      joinCodeId: null,
      codeWalkId: null,
    };
    await pushRecords(database, server, id, { records: [record], conflicts: [] });
  }
  return { id, name };
}

function serverContext(): EditContext {
  return {
    deviceId: SERVER_DEVICE_ID,
    now: () => Date.now(),
    nonce: () => randomInt(2 ** 31),
  };
}

export async function projectExists(database: Queryable, projectId: string): Promise<boolean> {
  const rows = await database.query("SELECT 1 FROM projects WHERE id = $1", [projectId]);
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------
// Join codes and tokens

function randomJoinCode(): string {
  let code = "";
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) {
    code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  }
  return code;
}

export interface NewJoinCode {
  role: Role;
  walkId?: string | null;
  organisation?: string | null;
  expiresInHours: number;
  /** Lifetime of the tokens it gives, hours (null: the server's default). */
  tokenHours?: number | null;
}

export async function createJoinCode(
  database: Queryable,
  projectId: string,
  input: NewJoinCode,
): Promise<{ id: string; code: string; expiresAt: string }> {
  const id = randomUUID();
  const code = randomJoinCode();
  const rows = await database.query<{ expires_at: Date }>(
    `INSERT INTO join_codes (id, project_id, code_hash, role, walk_id, organisation, expires_at, token_hours)
     VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 second', $8)
     RETURNING expires_at`,
    [
      id,
      projectId,
      sha256(code),
      input.role,
      input.walkId ?? null,
      input.organisation ?? null,
      input.expiresInHours * 3600,
      input.tokenHours ?? null,
    ],
  );
  return { id, code, expiresAt: new Date(rows[0]!.expires_at).toISOString() };
}

/** Exchange a (normalised) join code for a token; 401 when unknown, expired or revoked. */
export async function joinWithCode(
  database: Database,
  code: string,
  deviceId: string,
  tokenLifetimeDays: number,
) {
  return database.transaction(async (tx) => {
    const [row] = await tx.query<{
      id: string;
      project_id: string;
      role: Role;
      walk_id: string | null;
      organisation: string | null;
      token_hours: number | null;
      usable: boolean;
    }>(
      `SELECT id, project_id, role, walk_id, organisation, token_hours,
              (revoked_at IS NULL AND expires_at > now()) AS usable
       FROM join_codes WHERE code_hash = $1 FOR UPDATE`,
      [sha256(code)],
    );
    if (!row?.usable) throw unauthorised("unknown, expired or revoked join code");
    const token = `lyk_${randomBytes(32).toString("base64url")}`;
    const tokenId = randomUUID();
    const [created] = await tx.query<{ expires_at: Date }>(
      `INSERT INTO tokens (id, project_id, token_hash, role, join_code_id, organisation, device_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8 * interval '1 hour')
       RETURNING expires_at`,
      [
        tokenId,
        row.project_id,
        sha256(token),
        row.role,
        row.id,
        row.organisation,
        deviceId,
        Math.min(tokenLifetimeDays * 24, row.token_hours ?? Number.POSITIVE_INFINITY),
      ],
    );
    await tx.query("UPDATE join_codes SET used_count = used_count + 1 WHERE id = $1", [row.id]);
    return {
      token,
      tokenId,
      projectId: row.project_id,
      role: row.role,
      walkIds: row.walk_id ? [row.walk_id] : [],
      organisation: row.organisation,
      expiresAt: new Date(created!.expires_at).toISOString(),
    };
  });
}

/** The token's principal; 401 when unknown, expired or revoked. */
export async function authenticate(database: Database, token: string): Promise<TokenPrincipal> {
  const [row] = await database.query<{
    id: string;
    project_id: string;
    role: Role;
    organisation: string | null;
    join_code_id: string | null;
    code_walk_id: string | null;
    usable: boolean;
    stale: boolean;
  }>(
    `SELECT t.id, t.project_id, t.role, t.organisation, t.join_code_id, j.walk_id AS code_walk_id,
            (t.revoked_at IS NULL AND t.expires_at > now()) AS usable,
            (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS stale
     FROM tokens t LEFT JOIN join_codes j ON j.id = t.join_code_id
     WHERE t.token_hash = $1`,
    [sha256(token)],
  );
  if (!row?.usable) throw unauthorised("unknown, expired or revoked token");
  if (row.stale) {
    // At most one write a minute per token: "last used" is for the planner's token list.
    await database.query("UPDATE tokens SET last_used_at = now() WHERE id = $1", [row.id]);
  }
  const owned = new Set<string>();
  if (row.code_walk_id) owned.add(row.code_walk_id);
  return {
    tokenId: row.id,
    projectId: row.project_id,
    role: row.role,
    organisation: row.organisation,
    joinCodeId: row.join_code_id,
    codeWalkId: row.code_walk_id,
    ownedWalkIds: owned,
  };
}

export async function listTokens(database: Queryable, projectId: string) {
  const tokens = await database.query(
    `SELECT id, role, organisation, device_id AS "deviceId", join_code_id AS "joinCodeId",
            created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt",
            last_used_at AS "lastUsedAt"
     FROM tokens WHERE project_id = $1 ORDER BY created_at, id`,
    [projectId],
  );
  const joinCodes = await database.query(
    `SELECT id, role, walk_id AS "walkId", organisation, created_at AS "createdAt",
            expires_at AS "expiresAt", revoked_at AS "revokedAt", used_count AS "usedCount"
     FROM join_codes WHERE project_id = $1 ORDER BY created_at, id`,
    [projectId],
  );
  return { tokens, joinCodes };
}

export async function revoke(
  database: Queryable,
  table: "tokens" | "join_codes",
  projectId: string,
  id: string,
): Promise<void> {
  // The table name is one of two constants, never input.
  const rows = await database.query(
    `UPDATE ${table === "tokens" ? "tokens" : "join_codes"} SET revoked_at = COALESCE(revoked_at, now())
     WHERE project_id = $1 AND id = $2 RETURNING id`,
    [projectId, id],
  );
  if (rows.length === 0) throw notFound(`no ${table === "tokens" ? "token" : "join code"} ${id}`);
}

// ---------------------------------------------------------------------------------------
// Records

interface RecordRow {
  id: string;
  kind: SyncedRecord["kind"];
  walk_id: string | null;
  shape_version: number;
  deleted: boolean;
  fields: object;
  clock: object;
  seq: number;
}

const RECORD_COLUMNS = "id, kind, walk_id, shape_version, deleted, fields, clock, seq";

export function recordOfRow(projectId: string, row: RecordRow): SyncedRecord {
  const record: SyncedRecord = {
    id: row.id,
    kind: row.kind,
    shapeVersion: Number(row.shape_version),
    projectId,
    fields: row.fields,
    clock: row.clock as SyncedRecord["clock"],
    deleted: row.deleted,
  };
  if (row.walk_id !== null) record.walkId = row.walk_id;
  // Rows are written in the current shape; one written by an older server is migrated.
  const migration = migrateRecord(record);
  return migration.ok ? migration.record : record;
}

/** The GeoJSON geometry PostGIS indexes for a record, or null. */
function geometryOf(record: SyncedRecord): string | null {
  if (record.deleted) return null;
  const fields = record.fields as Record<string, unknown>;
  const geometry =
    record.kind === "observation"
      ? fields.geometry
      : record.kind === "walk"
        ? fields.areaPolygon
        : null;
  return geometry ? JSON.stringify(geometry) : null;
}

export interface PushInput {
  records: SyncedRecord[];
  conflicts: ConflictEntry[];
}

/**
 * Merge pushed copies into the server's copies, in one transaction: authorised record by
 * record (writeRefusal; the whole push is refused with 403 on the first refusal), merged with
 * mergeIncomingRecord, changed records and new or changed conflict entries numbered and
 * written. Idempotent: a resend finds nothing to change and numbers nothing.
 */
export async function pushRecords(
  database: Database,
  principal: TokenPrincipal,
  projectId: string,
  input: PushInput,
): Promise<PushResponse> {
  return database.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [projectId]);
    const [project] = await tx.query<{ last_seq: number }>(
      "SELECT last_seq FROM projects WHERE id = $1 FOR UPDATE",
      [projectId],
    );
    if (!project) throw notFound(`no project ${projectId}`);
    const ids = [...new Set(input.records.map((record) => record.id))];
    const existing = new Map<string, SyncedRecord>();
    if (ids.length > 0) {
      const rows = await tx.query<RecordRow>(
        `SELECT ${RECORD_COLUMNS} FROM records WHERE project_id = $1 AND id = ANY($2::text[])`,
        [projectId, ids],
      );
      for (const row of rows) existing.set(row.id, recordOfRow(projectId, row));
    }

    // A team may claim a walk nobody owns (no team's code names it, no team claimed it) and
    // the server holds nothing of.
    const claimable = new Set<string>();
    if (principal.role === "team") {
      if (principal.joinCodeId !== null) {
        const owned = await tx.query<{ walk_id: string }>(
          "SELECT walk_id FROM walk_owners WHERE project_id = $1 AND join_code_id = $2",
          [projectId, principal.joinCodeId],
        );
        for (const row of owned) (principal.ownedWalkIds as Set<string>).add(row.walk_id);
      }
      const walkIds = [
        ...new Set(
          input.records
            .map((record) => record.walkId)
            .filter((id): id is string => id !== undefined && !principal.ownedWalkIds.has(id)),
        ),
      ];
      if (walkIds.length > 0 && principal.joinCodeId !== null) {
        const taken = await tx.query<{ walk_id: string }>(
          `SELECT walk_id FROM walk_owners WHERE project_id = $1 AND walk_id = ANY($2::text[])
           UNION SELECT walk_id FROM join_codes WHERE project_id = $1 AND walk_id = ANY($2::text[])
           UNION SELECT walk_id FROM records WHERE project_id = $1 AND walk_id = ANY($2::text[])`,
          [projectId, walkIds],
        );
        const takenIds = new Set(taken.map((row) => row.walk_id));
        for (const id of walkIds) if (!takenIds.has(id)) claimable.add(id);
      }
    }

    let seq = Number(project.last_seq);
    const merged = new Map<string, SyncedRecord>();
    const firstChange = new Map<string, PushResponse["results"][number]["change"]>();
    const found: ConflictEntry[] = [...input.conflicts];
    const claimed = new Set<string>();
    for (const [index, incoming] of input.records.entries()) {
      const base = merged.get(incoming.id) ?? existing.get(incoming.id);
      const walkId = base?.walkId ?? incoming.walkId;
      const refusal = writeRefusal(
        principal,
        incoming,
        existing.get(incoming.id),
        walkId !== undefined && claimable.has(walkId),
      );
      if (refusal) throw forbidden(refusal.message, `records[${index}].${refusal.where}`);
      if (principal.role === "team" && walkId !== undefined && claimable.has(walkId)) {
        claimed.add(walkId);
      }
      const step = mergeIncomingRecord(base, incoming);
      found.push(...step.conflicts);
      if (step.recordChanged) merged.set(incoming.id, step.record);
      if (!firstChange.has(incoming.id)) firstChange.set(incoming.id, step.change);
    }

    const writes = [...merged.values()];
    if (writes.length > 0) {
      const seqs = writes.map(() => ++seq);
      await tx.query(
        `INSERT INTO records (project_id, id, kind, walk_id, shape_version, deleted, fields, clock, geom, seq)
         SELECT $1, u.id, u.kind, u.walk_id, u.shape_version, u.deleted, u.fields::jsonb, u.clock::jsonb,
                CASE WHEN u.geom IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON(u.geom), 4326) END,
                u.seq
         FROM unnest($2::text[], $3::text[], $4::text[], $5::integer[], $6::boolean[], $7::text[],
                     $8::text[], $9::text[], $10::bigint[])
              AS u(id, kind, walk_id, shape_version, deleted, fields, clock, geom, seq)
         ON CONFLICT (project_id, id) DO UPDATE SET
           kind = EXCLUDED.kind, walk_id = EXCLUDED.walk_id, shape_version = EXCLUDED.shape_version,
           deleted = EXCLUDED.deleted, fields = EXCLUDED.fields, clock = EXCLUDED.clock,
           geom = EXCLUDED.geom, seq = EXCLUDED.seq, updated_at = now()`,
        [
          projectId,
          writes.map((record) => record.id),
          writes.map((record) => record.kind),
          writes.map((record) => record.walkId ?? null),
          writes.map((record) => record.shapeVersion),
          writes.map((record) => record.deleted),
          writes.map((record) => JSON.stringify(record.fields)),
          writes.map((record) => JSON.stringify(record.clock)),
          writes.map(geometryOf),
          seqs,
        ],
      );
    }

    seq = await storeConflicts(tx, projectId, found, seq);
    if (claimed.size > 0 && principal.joinCodeId !== null) {
      await tx.query(
        `INSERT INTO walk_owners (project_id, walk_id, join_code_id)
         SELECT $1, walk_id, $3 FROM unnest($2::text[]) AS walk_id ON CONFLICT DO NOTHING`,
        [projectId, [...claimed], principal.joinCodeId],
      );
    }
    if (seq !== Number(project.last_seq)) {
      await tx.query("UPDATE projects SET last_seq = $2 WHERE id = $1", [projectId, seq]);
    }
    return {
      seq,
      results: ids.map((id) => ({ id, change: firstChange.get(id)! })),
    };
  });
}

/** Add entries to the project's log (one per id, the preferred one); returns the new seq. */
async function storeConflicts(
  tx: Queryable,
  projectId: string,
  entries: readonly ConflictEntry[],
  seq: number,
): Promise<number> {
  if (entries.length === 0) return seq;
  const wanted = new Map<string, ConflictEntry>();
  for (const entry of entries) {
    const held = wanted.get(entry.id);
    wanted.set(entry.id, held ? preferredConflict(held, entry) : entry);
  }
  const rows = await tx.query<{ id: string; entry: ConflictEntry }>(
    "SELECT id, entry FROM conflicts WHERE project_id = $1 AND id = ANY($2::text[])",
    [projectId, [...wanted.keys()]],
  );
  const stored = new Map(rows.map((row) => [row.id, row.entry]));
  const writes: ConflictEntry[] = [];
  for (const entry of wanted.values()) {
    const held = stored.get(entry.id);
    if (held === undefined) writes.push(entry);
    else if (preferredConflict(held, entry) !== held) writes.push(entry);
  }
  if (writes.length === 0) return seq;
  const seqs = writes.map(() => ++seq);
  await tx.query(
    `INSERT INTO conflicts (project_id, id, record_id, entry, seq)
     SELECT $1, u.id, u.record_id, u.entry::jsonb, u.seq
     FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[]) AS u(id, record_id, entry, seq)
     ON CONFLICT (project_id, id) DO UPDATE SET entry = EXCLUDED.entry, seq = EXCLUDED.seq`,
    [
      projectId,
      writes.map((entry) => entry.id),
      writes.map((entry) => entry.recordId),
      writes.map((entry) => JSON.stringify(entry)),
      seqs,
    ],
  );
  return seq;
}

/** A pull page as JSON text (records and entries as the database holds them, not re-parsed). */
export interface PullPageText {
  /** Each record's JSON, in the current shape. */
  records: string[];
  /** Each conflict entry's JSON. */
  conflicts: string[];
  lastSeq: number;
  more: boolean;
}

/** The PullResponse body of a page, built from the JSON texts. */
export function pullResponseText(page: PullPageText): string {
  return `{"records":[${page.records.join(",")}],"conflicts":[${page.conflicts.join(",")}],"lastSeq":${page.lastSeq},"more":${page.more}}`;
}

/**
 * Records and conflict entries with seq > after, in seq order, at most `limit` together. The
 * database writes each record's JSON (jsonb_build_object) so that a page of thousands of
 * records is not parsed into objects and serialised again here; a row of an older shape is
 * migrated first.
 */
export async function pullChanges(
  database: Database,
  projectId: string,
  after: number,
  limit: number,
): Promise<PullPageText> {
  // Read up to the project's last committed change number first: changes are committed in
  // number order, so everything up to it is visible to the two queries below, whatever other
  // pushes commit meanwhile (a change numbered later would otherwise show up in one query and
  // let the cursor jump past a change the other query did not see yet).
  const [project] = await database.query<{ last_seq: number }>(
    "SELECT last_seq FROM projects WHERE id = $1",
    [projectId],
  );
  if (!project) throw notFound(`no project ${projectId}`);
  const bound = Number(project.last_seq);
  const records = await database.query<{ seq: number; shape_version: number; json: string }>(
    `SELECT seq, shape_version,
            (jsonb_build_object('id', id, 'kind', kind, 'shapeVersion', shape_version,
                                'projectId', project_id, 'fields', fields, 'clock', clock,
                                'deleted', deleted)
             || CASE WHEN walk_id IS NULL THEN '{}'::jsonb
                     ELSE jsonb_build_object('walkId', walk_id) END)::text AS json
     FROM records
     WHERE project_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
    [projectId, after, bound, limit + 1],
  );
  const conflicts = await database.query<{ json: string; seq: number }>(
    `SELECT entry::text AS json, seq FROM conflicts
     WHERE project_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
    [projectId, after, bound, limit + 1],
  );
  const changes = [
    ...records.map((row) => ({ seq: Number(row.seq), row, conflict: undefined })),
    ...conflicts.map((row) => ({ seq: Number(row.seq), row: undefined, conflict: row.json })),
  ].sort((a, b) => a.seq - b.seq);
  const page = changes.slice(0, limit);
  const recordText = (row: { shape_version: number; json: string }) => {
    if (Number(row.shape_version) === CURRENT_SHAPE_VERSION) return row.json;
    const migration = migrateRecord(JSON.parse(row.json));
    return migration.ok ? JSON.stringify(migration.record) : row.json;
  };
  return {
    records: page.flatMap((change) => (change.row ? [recordText(change.row)] : [])),
    conflicts: page.flatMap((change) => (change.conflict ? [change.conflict] : [])),
    // A full page ends at its last change; otherwise everything up to the bound was read.
    lastSeq: changes.length > limit ? page[page.length - 1]!.seq : Math.max(after, bound),
    more: changes.length > limit,
  };
}

/** Live records of some kinds (for the OGC API and sites). */
export async function liveRecords(
  database: Queryable,
  projectId: string,
  kinds: readonly string[],
): Promise<SyncedRecord[]> {
  const rows = await database.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM records
     WHERE project_id = $1 AND kind = ANY($2::text[]) AND NOT deleted ORDER BY id`,
    [projectId, kinds],
  );
  return rows.map((row) => recordOfRow(projectId, row));
}

// ---------------------------------------------------------------------------------------
// Blobs

export interface BlobStatus {
  receivedBytes: number;
  lengthBytes: number;
  complete: boolean;
}

export async function blobStatus(
  database: Queryable,
  projectId: string,
  hash: string,
): Promise<BlobStatus | null> {
  const [row] = await database.query<{
    received_bytes: number;
    length_bytes: number;
    complete: boolean;
  }>(
    "SELECT received_bytes, length_bytes, complete FROM blobs WHERE project_id = $1 AND sha256 = $2",
    [projectId, hash],
  );
  return row
    ? {
        receivedBytes: Number(row.received_bytes),
        lengthBytes: Number(row.length_bytes),
        complete: row.complete,
      }
    : null;
}

/**
 * Append bytes at `offset` of a blob of `lengthBytes`. 409 when the offset is not what the
 * server holds (the client asks HEAD and resumes there), or when the complete bytes do not
 * hash to the id (the partial upload is dropped).
 */
export async function appendBlob(
  database: Database,
  projectId: string,
  hash: string,
  offset: number,
  lengthBytes: number,
  bytes: Uint8Array,
): Promise<BlobStatus> {
  return database.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO blobs (project_id, sha256, length_bytes) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, sha256) DO NOTHING`,
      [projectId, hash, lengthBytes],
    );
    const [row] = await tx.query<{
      received_bytes: number;
      length_bytes: number;
      complete: boolean;
    }>(
      `SELECT received_bytes, length_bytes, complete FROM blobs
       WHERE project_id = $1 AND sha256 = $2 FOR UPDATE`,
      [projectId, hash],
    );
    const status = {
      receivedBytes: Number(row!.received_bytes),
      lengthBytes: Number(row!.length_bytes),
      complete: row!.complete,
    };
    if (status.complete) return status; // Already here: a resend changes nothing.
    const mismatch = (message: string) =>
      new HttpError(409, "offset_mismatch", message, undefined, {
        "Upload-Offset": String(status.receivedBytes),
      });
    if (status.lengthBytes !== lengthBytes) {
      throw mismatch(`the upload started with Upload-Length ${status.lengthBytes}`);
    }
    if (offset !== status.receivedBytes) {
      throw mismatch(`the server holds ${status.receivedBytes} bytes; resume from there`);
    }
    if (offset + bytes.byteLength > lengthBytes) {
      throw badRequest("too_long", `${offset + bytes.byteLength} bytes is more than Upload-Length`);
    }
    const [updated] = await tx.query<{ received_bytes: number; data: Uint8Array }>(
      `UPDATE blobs SET data = data || $3::bytea, received_bytes = received_bytes + $4
       WHERE project_id = $1 AND sha256 = $2
       RETURNING received_bytes, CASE WHEN received_bytes = length_bytes THEN data END AS data`,
      [projectId, hash, bytes, bytes.byteLength],
    );
    const received = Number(updated!.received_bytes);
    if (received < lengthBytes) return { ...status, receivedBytes: received };
    const actual = createHash("sha256").update(updated!.data).digest("hex");
    if (actual !== hash) {
      await tx.query("DELETE FROM blobs WHERE project_id = $1 AND sha256 = $2", [projectId, hash]);
      // Committed (the partial upload is gone), then answered with 409.
      return { receivedBytes: -1, lengthBytes, complete: false };
    }
    await tx.query("UPDATE blobs SET complete = true WHERE project_id = $1 AND sha256 = $2", [
      projectId,
      hash,
    ]);
    return { receivedBytes: received, lengthBytes, complete: true };
  });
}

export async function blobBytes(
  database: Queryable,
  projectId: string,
  hash: string,
): Promise<Uint8Array | null> {
  const [row] = await database.query<{ data: Uint8Array }>(
    "SELECT data FROM blobs WHERE project_id = $1 AND sha256 = $2 AND complete",
    [projectId, hash],
  );
  return row ? row.data : null;
}
