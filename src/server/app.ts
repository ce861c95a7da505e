/**
 * The HTTP side of `lykta serve` (Hono): the sync API, join codes and tokens, blobs, the OGC
 * API and /health, as docs/sync.md specifies them. Every request is authorised here; every
 * record is validated with the validator of imports (validateIncomingRecord); every answer to
 * bad input is a 4xx with `{ error: { code, message, where? } }`, never a 500.
 */
import { timingSafeEqual } from "node:crypto";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { parseConflictEntry } from "../domain/conflicts";
import type { ConflictEntry } from "../domain/merge";
import { OWNERS } from "../domain/plan/types";
import type { SyncedRecord } from "../domain/record";
import {
  describeRecordProblem,
  RECORD_ID_MAX_LENGTH,
  validateIncomingRecord,
} from "../domain/record-validation";
import {
  API_PREFIX,
  DEFAULT_PULL_LIMIT,
  formatJoinCode,
  MAX_PULL_LIMIT,
  MAX_PUSH_CONFLICTS,
  MAX_PUSH_RECORDS,
  normaliseJoinCode,
  ROLES,
  type Role,
} from "../domain/sync/protocol";
import { type Database, DatabaseUnavailable } from "./database";
import { badRequest, forbidden, HttpError, notFound, unauthorised } from "./errors";
import type { Logger } from "./log";
import {
  CONFORMANCE,
  collection,
  collections,
  isCollectionId,
  item,
  items,
  landingPage,
  parseItemsQuery,
} from "./ogc";
import { RateLimiter } from "./rate-limit";
import {
  appendBlob,
  authenticate,
  blobBytes,
  blobStatus,
  createJoinCode,
  createProject,
  joinWithCode,
  listTokens,
  pullChanges,
  pullResponseText,
  pushRecords,
  revoke,
  sha256,
  type TokenPrincipal,
} from "./store";

export interface ServerSettings {
  /** Largest request body, bytes (413 above). */
  bodyLimitBytes: number;
  /** Largest blob, bytes (413 above). */
  blobLimitBytes: number;
  /** Requests per minute per token (or per address without one). */
  rateLimitPerMinute: number;
  /** Join attempts per minute per address (join codes are short: this keeps guessing slow). */
  joinRateLimitPerMinute: number;
  tokenLifetimeDays: number;
  /** Longest a join code may live, and the default when a planner names none. */
  joinCodeMaxHours: number;
  joinCodeDefaultHours: number;
  /**
   * Origins whose pages may call the API from a browser (the app's address), or ["*"]: any.
   * Tokens travel in a header, never in cookies, so "*" gives a page nothing it lacks.
   */
  corsOrigins: string[];
  /** SHA-256 hex of the admin token (LYKTA_ADMIN_TOKEN), or null: no admin API. */
  adminTokenHash: string | null;
  version: string;
  migrations: number[];
}

type Env = { Variables: { principal: TokenPrincipal } };

const SHA256 = /^[0-9a-f]{64}$/;
/** A body declared over the limit but under this is read and dropped before the 413. */
const DRAIN_MAX_BYTES = 256 * 1024 * 1024;

function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming;
  return incoming?.socket?.remoteAddress ?? "unknown";
}

/** Parse a JSON body; 415 when it is not JSON, 400 with where it broke when it is not valid. */
async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, "unsupported_media_type", "send the body as application/json");
  }
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest("invalid_json", `the body is not JSON: ${(error as Error).message}`, "body");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("invalid_body", "the body must be a JSON object", "body");
  }
  return value as Record<string, unknown>;
}

function text(
  body: Record<string, unknown>,
  name: string,
  options: { required?: boolean; max?: number } = {},
): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) {
    if (options.required) throw badRequest("invalid_body", `${name} is required`, name);
    return undefined;
  }
  const max = options.max ?? RECORD_ID_MAX_LENGTH;
  if (typeof value !== "string" || value === "" || value.length > max) {
    throw badRequest("invalid_body", `${name} must be text of 1 to ${max} characters`, name);
  }
  return value;
}

function parsePush(body: Record<string, unknown>, projectId: string) {
  text(body, "deviceId", { required: true });
  text(body, "batchId");
  const rawRecords = body.records;
  if (!Array.isArray(rawRecords))
    throw badRequest("invalid_body", "records must be a list", "records");
  if (rawRecords.length > MAX_PUSH_RECORDS) {
    throw badRequest("too_many", `at most ${MAX_PUSH_RECORDS} records a push`, "records");
  }
  const records: SyncedRecord[] = [];
  for (const [index, raw] of rawRecords.entries()) {
    const checked = validateIncomingRecord(raw, { projectId });
    if (!checked.ok) {
      throw badRequest(
        checked.reason,
        describeRecordProblem(checked),
        `records[${index}].${checked.where}`,
      );
    }
    // PostgreSQL's jsonb holds no NUL character: say so rather than fail in the database.
    if (JSON.stringify(checked.record).includes("\\u0000")) {
      throw badRequest(
        "invalid_text",
        "text may not contain the NUL character (U+0000)",
        `records[${index}]`,
      );
    }
    records.push(checked.record);
  }
  const rawConflicts = body.conflicts ?? [];
  if (!Array.isArray(rawConflicts)) {
    throw badRequest("invalid_body", "conflicts must be a list", "conflicts");
  }
  if (rawConflicts.length > MAX_PUSH_CONFLICTS) {
    throw badRequest("too_many", `at most ${MAX_PUSH_CONFLICTS} conflicts a push`, "conflicts");
  }
  const conflicts: ConflictEntry[] = [];
  for (const [index, raw] of rawConflicts.entries()) {
    const parsed = parseConflictEntry(raw);
    if (!parsed.ok) throw badRequest("invalid_conflict", parsed.detail, `conflicts[${index}]`);
    if (parsed.entry.projectId !== projectId) {
      throw badRequest(
        "other_project",
        `conflict of project ${parsed.entry.projectId}`,
        `conflicts[${index}].projectId`,
      );
    }
    if (JSON.stringify(parsed.entry).includes("\\u0000")) {
      throw badRequest(
        "invalid_text",
        "text may not contain the NUL character (U+0000)",
        `conflicts[${index}]`,
      );
    }
    conflicts.push(parsed.entry);
  }
  return { records, conflicts };
}

function integerParameter(value: string | undefined, name: string, fallback: number, max: number) {
  if (value === undefined) return fallback;
  if (!/^\d{1,15}$/.test(value) || Number(value) > max) {
    throw badRequest("bad_parameter", `${name} must be a whole number from 0 to ${max}`, name);
  }
  return Number(value);
}

export function createApp(database: Database, settings: ServerSettings, log: Logger): Hono<Env> {
  const app = new Hono<Env>();
  const limiter = new RateLimiter(settings.rateLimitPerMinute);
  const joinLimiter = new RateLimiter(settings.joinRateLimitPerMinute);

  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    // One line per request; the path holds no secret (tokens travel in a header).
    log.info("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });

  // The app is served from its own address: it calls the API across origins.
  app.use(
    "*",
    cors({
      origin: settings.corsOrigins.includes("*") ? "*" : settings.corsOrigins,
      allowMethods: ["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"],
      allowHeaders: ["Authorization", "Content-Type", "Upload-Offset", "Upload-Length"],
      exposeHeaders: ["Upload-Offset", "Upload-Length", "Retry-After"],
      maxAge: 86_400,
    }),
  );

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json(error.body(), error.status);
    }
    if (error instanceof DatabaseUnavailable) {
      log.warn("database unavailable", { path: c.req.path, error: error.message });
      c.header("Retry-After", "2");
      return c.json(
        {
          error: { code: "database_unavailable", message: "the database is not reachable; retry" },
        },
        503,
      );
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && /^(22|23|XX)/.test(code)) {
      // The database refused a value the validators let through: still the client's input.
      log.warn("database refused a value", { path: c.req.path, code, error: error.message });
      return c.json({ error: { code: "refused_value", message: error.message } }, 400);
    }
    log.error("internal error", { path: c.req.path, error: error.stack ?? String(error) });
    return c.json({ error: { code: "internal", message: "internal error" } }, 500);
  });

  app.notFound((c) => c.json({ error: { code: "not_found", message: `no ${c.req.path}` } }, 404));

  const limitBody = bodyLimit({
    maxSize: settings.bodyLimitBytes,
    onError: (c) =>
      c.json(
        {
          error: {
            code: "too_large",
            message: `the body is over the limit of ${settings.bodyLimitBytes} bytes`,
          },
        },
        413,
      ),
  });
  app.use(`${API_PREFIX}/*`, async (c, next) => {
    // A body declared too large is refused before it is parsed. It is read and dropped first
    // (up to a bound), so the client, still sending, gets the 413 rather than a reset.
    const declared = Number(c.req.header("content-length") ?? Number.NaN);
    if (declared > settings.bodyLimitBytes) {
      if (declared <= DRAIN_MAX_BYTES && c.req.raw.body) {
        for await (const _chunk of c.req.raw.body) {
          // Dropped.
        }
      }
      c.header("Connection", "close");
      return c.json(
        {
          error: {
            code: "too_large",
            message: `the body is over the limit of ${settings.bodyLimitBytes} bytes`,
          },
        },
        413,
      );
    }
    return limitBody(c, next);
  });

  const rateLimit = (limiterToUse: RateLimiter, key: string) => {
    const waitMs = limiterToUse.take(key);
    if (waitMs > 0) {
      throw new HttpError(429, "rate_limited", "too many requests; wait and retry", undefined, {
        "Retry-After": String(Math.max(1, Math.ceil(waitMs / 1000))),
      });
    }
  };

  /** Authenticate, rate-limit by token, and check the token's project and role. */
  const authorise = async (c: Context<Env>, roles: readonly Role[]) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S{1,512})$/i.exec(header);
    if (!match) {
      rateLimit(limiter, `address:${clientAddress(c)}`);
      throw unauthorised("send Authorization: Bearer <token>");
    }
    rateLimit(limiter, `token:${sha256(match[1]!).slice(0, 32)}`);
    const principal = await authenticate(database, match[1]!);
    const projectId = c.req.param("projectId");
    if (projectId !== undefined && projectId !== principal.projectId) {
      throw forbidden("the token is for another project", "projectId");
    }
    if (!roles.includes(principal.role)) {
      throw forbidden(`a ${principal.role} token may not do this`);
    }
    c.set("principal", principal);
    return principal;
  };

  app.get("/health", async (c) => {
    try {
      await database.query("SELECT 1");
    } catch (error) {
      if (error instanceof DatabaseUnavailable) {
        return c.json({ ok: false, version: settings.version, database: database.kind }, 503);
      }
      throw error;
    }
    return c.json({
      ok: true,
      version: settings.version,
      database: database.kind === "pglite" ? "pglite" : "postgresql",
      migrations: settings.migrations,
    });
  });

  // ---- join and admin --------------------------------------------------------------------

  app.post(`${API_PREFIX}/join`, async (c) => {
    rateLimit(joinLimiter, `join:${clientAddress(c)}`);
    const body = await jsonBody(c);
    const typed = text(body, "code", { required: true, max: 40 })!;
    const deviceId = text(body, "deviceId", { required: true })!;
    const code = normaliseJoinCode(typed);
    if (code === null) throw unauthorised("unknown, expired or revoked join code");
    return c.json(await joinWithCode(database, code, deviceId, settings.tokenLifetimeDays));
  });

  app.post(`${API_PREFIX}/admin/projects`, async (c) => {
    rateLimit(joinLimiter, `admin:${clientAddress(c)}`);
    const match = /^Bearer\s+(\S{1,512})$/i.exec(c.req.header("authorization") ?? "");
    const given = match ? Buffer.from(sha256(match[1]!), "hex") : Buffer.alloc(32);
    const expected = settings.adminTokenHash ? Buffer.from(settings.adminTokenHash, "hex") : null;
    if (!expected || !match || !timingSafeEqual(given, expected)) {
      throw unauthorised("the admin API needs the server's LYKTA_ADMIN_TOKEN");
    }
    const body = await jsonBody(c);
    const name = text(body, "name", { required: true, max: 200 })!;
    const projectId = text(body, "projectId");
    const project = await createProject(database, name, projectId);
    const planner = await createJoinCode(database, project.id, {
      role: "planner",
      expiresInHours: settings.joinCodeDefaultHours,
    });
    return c.json({
      projectId: project.id,
      name,
      plannerCode: { ...planner, code: formatJoinCode(planner.code) },
    });
  });

  // ---- sync ------------------------------------------------------------------------------

  const project = `${API_PREFIX}/projects/:projectId`;

  app.post(`${project}/push`, async (c) => {
    const principal = await authorise(c, ["team", "planner", "partner"]);
    const input = parsePush(await jsonBody(c), principal.projectId);
    return c.json(await pushRecords(database, principal, principal.projectId, input));
  });

  app.get(`${project}/pull`, async (c) => {
    const principal = await authorise(c, ROLES);
    const after = integerParameter(c.req.query("after"), "after", 0, Number.MAX_SAFE_INTEGER);
    const limit = integerParameter(
      c.req.query("limit"),
      "limit",
      DEFAULT_PULL_LIMIT,
      MAX_PULL_LIMIT,
    );
    if (limit < 1) throw badRequest("bad_parameter", "limit must be at least 1", "limit");
    const page = await pullChanges(database, principal.projectId, after, limit);
    c.header("Content-Type", "application/json; charset=UTF-8");
    return c.body(pullResponseText(page), 200);
  });

  // ---- blobs -----------------------------------------------------------------------------

  const blob = `${project}/blobs/:sha256`;
  const blobId = (c: Context) => {
    const id = c.req.param("sha256") ?? "";
    if (!SHA256.test(id))
      throw badRequest("bad_parameter", "a blob id is SHA-256 hex (64 of 0-9a-f)", "sha256");
    return id;
  };

  app.patch(blob, async (c) => {
    const principal = await authorise(c, ["team", "planner"]);
    const id = blobId(c);
    const offset = integerParameter(
      c.req.header("upload-offset"),
      "Upload-Offset",
      -1,
      settings.blobLimitBytes,
    );
    const length = integerParameter(
      c.req.header("upload-length"),
      "Upload-Length",
      -1,
      Number.MAX_SAFE_INTEGER,
    );
    if (offset < 0) throw badRequest("bad_header", "Upload-Offset is required", "Upload-Offset");
    if (length < 1) throw badRequest("bad_header", "Upload-Length is required", "Upload-Length");
    if (length > settings.blobLimitBytes) {
      throw new HttpError(
        413,
        "too_large",
        `a blob may be at most ${settings.blobLimitBytes} bytes`,
      );
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const status = await appendBlob(database, principal.projectId, id, offset, length, bytes);
    if (status.receivedBytes < 0) {
      throw new HttpError(
        409,
        "hash_mismatch",
        "the bytes do not hash to the blob id; upload them again",
        undefined,
        {
          "Upload-Offset": "0",
        },
      );
    }
    c.header("Upload-Offset", String(status.receivedBytes));
    return c.body(null, 204);
  });

  app.get(blob, async (c) => {
    const principal = await authorise(c, ROLES);
    // Hono answers HEAD with the GET route: the upload's status, no body.
    if (c.req.method === "HEAD") {
      const status = await blobStatus(database, principal.projectId, blobId(c));
      if (!status) return c.body(null, 404);
      c.header("Upload-Offset", String(status.receivedBytes));
      if (status.complete) c.header("Upload-Length", String(status.lengthBytes));
      c.header("Cache-Control", "no-store");
      return c.body(null, 200);
    }
    const bytes = await blobBytes(database, principal.projectId, blobId(c));
    if (!bytes) throw notFound("no complete blob with this id");
    c.header("Content-Type", "application/octet-stream");
    c.header("Cache-Control", "private, max-age=31536000, immutable");
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200);
  });

  // ---- join codes and tokens ---------------------------------------------------------------

  app.post(`${project}/join-codes`, async (c) => {
    const principal = await authorise(c, ["planner"]);
    const body = await jsonBody(c);
    const role = body.role as Role;
    if (!ROLES.includes(role)) {
      throw badRequest("invalid_body", `role must be one of ${ROLES.join(", ")}`, "role");
    }
    const walkId = text(body, "walkId");
    const organisation = text(body, "organisation", { max: 100 });
    if (role === "partner" && !(OWNERS as readonly string[]).includes(organisation ?? "")) {
      throw badRequest(
        "invalid_body",
        `a partner's organisation is one of ${OWNERS.join(", ")}`,
        "organisation",
      );
    }
    const hours = body.expiresInHours ?? settings.joinCodeDefaultHours;
    if (
      typeof hours !== "number" ||
      !Number.isFinite(hours) ||
      hours <= 0 ||
      hours > settings.joinCodeMaxHours
    ) {
      throw badRequest(
        "invalid_body",
        `expiresInHours must be more than 0 and at most ${settings.joinCodeMaxHours}`,
        "expiresInHours",
      );
    }
    const tokenHours = body.tokenExpiresInHours ?? null;
    if (
      tokenHours !== null &&
      (typeof tokenHours !== "number" || !Number.isFinite(tokenHours) || tokenHours <= 0)
    ) {
      throw badRequest(
        "invalid_body",
        "tokenExpiresInHours must be a number of hours above 0",
        "tokenExpiresInHours",
      );
    }
    const created = await createJoinCode(database, principal.projectId, {
      tokenHours: tokenHours as number | null,
      role,
      walkId: role === "team" ? (walkId ?? null) : null,
      organisation: role === "partner" ? organisation! : null,
      expiresInHours: hours,
    });
    return c.json({ ...created, code: formatJoinCode(created.code) });
  });

  app.get(`${project}/tokens`, async (c) => {
    const principal = await authorise(c, ["planner"]);
    return c.json(await listTokens(database, principal.projectId));
  });

  app.delete(`${project}/tokens/:id`, async (c) => {
    const principal = await authorise(c, ["planner"]);
    await revoke(database, "tokens", principal.projectId, c.req.param("id"));
    return c.body(null, 204);
  });

  app.delete(`${project}/join-codes/:id`, async (c) => {
    const principal = await authorise(c, ["planner"]);
    await revoke(database, "join_codes", principal.projectId, c.req.param("id"));
    return c.body(null, 204);
  });

  // ---- OGC API – Features ----------------------------------------------------------------

  const ogc = "/ogc/projects/:projectId";
  const ogcBase = (c: Context) => {
    const url = new URL(c.req.url);
    return `${url.origin}/ogc/projects/${encodeURIComponent(c.req.param("projectId") ?? "")}`;
  };
  const geoJson = (c: Context, value: unknown) => {
    c.header("Content-Type", "application/geo+json");
    return c.body(JSON.stringify(value), 200);
  };
  const collectionParam = (c: Context) => {
    const id = c.req.param("collectionId") ?? "";
    if (!isCollectionId(id)) throw notFound(`no collection ${id}`);
    return id;
  };

  app.get(ogc, (c) => c.json(landingPage(ogcBase(c))));
  app.get(`${ogc}/conformance`, async (c) => {
    await authorise(c, ROLES);
    return c.json({ conformsTo: CONFORMANCE });
  });
  app.get(`${ogc}/collections`, async (c) => {
    await authorise(c, ROLES);
    return c.json(collections(ogcBase(c)));
  });
  app.get(`${ogc}/collections/:collectionId`, async (c) => {
    await authorise(c, ROLES);
    return c.json(collection(ogcBase(c), collectionParam(c)));
  });
  app.get(`${ogc}/collections/:collectionId/items`, async (c) => {
    const principal = await authorise(c, ROLES);
    const query = parseItemsQuery(c.req.query());
    return geoJson(
      c,
      await items(database, principal.projectId, collectionParam(c), query, ogcBase(c)),
    );
  });
  app.get(`${ogc}/collections/:collectionId/items/:featureId`, async (c) => {
    const principal = await authorise(c, ROLES);
    return geoJson(
      c,
      await item(database, principal.projectId, collectionParam(c), c.req.param("featureId")),
    );
  });

  return app;
}
