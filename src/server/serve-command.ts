/**
 * `lykta serve`: the sync server (docs/sync.md), and `lykta serve create-project`, which
 * makes a project and prints its first planner join code.
 */
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { CallProblem, type CommandOutput, EXIT } from "../cli/io";
import { formatJoinCode } from "../domain/sync/protocol";
import { createApp, type ServerSettings } from "./app";
import { type Database, openPglite, openPostgres } from "./database";
import { createLogger, LOG_LEVELS, type LogLevel } from "./log";
import { migrate } from "./schema";
import { createJoinCode, createProject, sha256 } from "./store";

export const SERVE_HELP = `lykta serve: the sync server (docs/sync.md)

Usage:
  lykta serve [options]
  lykta serve create-project --name NAME [--project-id UUID] [database options]

Teams' tablets push and pull records, photos upload and resume, and QGIS reads the
observations, sites, lighting results and plan through OGC API - Features at
/ogc/projects/<projectId>. Logs are JSON, one line per request, on standard output.

Database (one of):
  --data-dir DIR          embedded PostgreSQL (PGlite with PostGIS) in DIR; the default,
                          ./lykta-data. One server process per DIR.
  --database-url URL      PostgreSQL with PostGIS, e.g. postgres://lykta@db.example/lykta
                          (also LYKTA_DATABASE_URL). Several instances may share one.
  --pool-size N           PostgreSQL connections per instance (default 10)

Network:
  --port N                port to listen on (default 8787; 0 picks a free one)
  --host ADDRESS          address to listen on (default 127.0.0.1; 0.0.0.0 for all; put
                          an HTTPS proxy in front for tablets)
  --cors-origin LIST      origins of the app allowed to call the API from a browser,
                          comma-separated, e.g. https://lykta.orebro.se (default *: any;
                          tokens are headers, never cookies)

Limits:
  --body-limit-mb N       largest request body in MB (default 16): 413 above
  --blob-limit-mb N       largest photo or layer file in MB (default 64): 413 above
  --rate-limit N          requests a minute per token or address (default 1200; 0: none):
                          429 with Retry-After above
  --join-rate-limit N     join attempts a minute per address (default 30)

Tokens and join codes:
  --token-days N          lifetime of a token from a join code, days (default 365)
  --join-code-hours N     default lifetime of a join code, hours (default 72)
  --join-code-max-hours N longest lifetime a planner may give a join code (default 720)
  LYKTA_ADMIN_TOKEN       environment: enables POST /api/v1/admin/projects with this token
                          (stored only as its SHA-256 in memory)

Logging:
  --log-level LEVEL       debug, info (default), warn or error

create-project:
  --name NAME             the project's name, e.g. "Vivalla 2027"
  --project-id UUID       the id, when the tablets already hold the project (default: new)
  Prints the project id and a planner join code (shown once). With --data-dir, stop the
  server first: an embedded database is opened by one process at a time.

Examples:
  npx lykta serve create-project --name "Vivalla 2027"
  npx lykta serve
  npx lykta serve --database-url postgres://lykta@localhost/lykta --host 0.0.0.0
`;

const OPTIONS = {
  "data-dir": { type: "string" },
  "database-url": { type: "string" },
  "pool-size": { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  "cors-origin": { type: "string" },
  "body-limit-mb": { type: "string" },
  "blob-limit-mb": { type: "string" },
  "rate-limit": { type: "string" },
  "join-rate-limit": { type: "string" },
  "token-days": { type: "string" },
  "join-code-hours": { type: "string" },
  "join-code-max-hours": { type: "string" },
  "log-level": { type: "string" },
  name: { type: "string" },
  "project-id": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function numberOption(values: Record<string, unknown>, name: string, fallback: number, min = 0) {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new CallProblem(`--${name} must be a number of at least ${min}, not "${String(raw)}"`);
  }
  return value;
}

async function openDatabase(values: Record<string, unknown>): Promise<Database> {
  const url = (values["database-url"] as string | undefined) ?? process.env.LYKTA_DATABASE_URL;
  if (url !== undefined && values["data-dir"] !== undefined) {
    throw new CallProblem("give --database-url or --data-dir, not both");
  }
  if (url !== undefined) {
    return openPostgres(url, numberOption(values, "pool-size", 10, 1));
  }
  return openPglite((values["data-dir"] as string | undefined) ?? "./lykta-data");
}

export async function serveCommand(argv: string[], io: CommandOutput): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CallProblem((error as Error).message, true);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(SERVE_HELP);
    return EXIT.ok;
  }
  const level = (values["log-level"] ?? "info") as LogLevel;
  if (!LOG_LEVELS.includes(level)) {
    throw new CallProblem(`--log-level must be one of ${LOG_LEVELS.join(", ")}`);
  }
  if (positionals[0] === "create-project") return createProjectCommand(values, io);
  if (positionals.length > 0)
    throw new CallProblem(`unknown serve command "${positionals[0]}"`, true);

  const port = numberOption(values, "port", 8787);
  const host = values.host ?? "127.0.0.1";
  const log = createLogger(level);
  const database = await openDatabase(values);
  const migrations = await migrate(database);
  const adminToken = process.env.LYKTA_ADMIN_TOKEN;
  const settings: ServerSettings = {
    bodyLimitBytes: numberOption(values, "body-limit-mb", 16) * 1024 * 1024,
    blobLimitBytes: numberOption(values, "blob-limit-mb", 64) * 1024 * 1024,
    rateLimitPerMinute: numberOption(values, "rate-limit", 1200),
    joinRateLimitPerMinute: numberOption(values, "join-rate-limit", 30),
    tokenLifetimeDays: numberOption(values, "token-days", 365),
    joinCodeDefaultHours: numberOption(values, "join-code-hours", 72),
    joinCodeMaxHours: numberOption(values, "join-code-max-hours", 720),
    corsOrigins: (values["cors-origin"] ?? "*").split(",").map((origin) => origin.trim()),
    adminTokenHash: adminToken ? sha256(adminToken) : null,
    version: __APP_VERSION__,
    migrations,
  };
  const app = createApp(database, settings, log);
  const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
    // Whatever the level: scripts and supervisors wait for this line.
    createLogger("debug").info("listening", {
      url: `http://${host.includes(":") ? `[${host}]` : host}:${info.port}`,
      port: info.port,
      database: database.kind,
      migrations,
    });
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info("stopping", { signal });
      server.close(() => {
        void database.close().finally(resolve);
      });
      // Keep-alive connections would hold close() open: give them a moment, then go.
      setTimeout(resolve, 5000).unref();
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  return EXIT.ok;
}

async function createProjectCommand(
  values: Record<string, unknown>,
  io: CommandOutput,
): Promise<number> {
  const name = values.name as string | undefined;
  if (!name || name.trim() === "") throw new CallProblem("create-project needs --name NAME");
  const database = await openDatabase(values);
  try {
    await migrate(database);
    const project = await createProject(
      database,
      name.trim(),
      (values["project-id"] as string | undefined) ?? undefined,
    );
    const code = await createJoinCode(database, project.id, {
      role: "planner",
      expiresInHours: numberOption(values, "join-code-hours", 72),
    });
    io.out(
      JSON.stringify({
        projectId: project.id,
        name: project.name,
        plannerCode: formatJoinCode(code.code),
        expiresAt: code.expiresAt,
      }),
    );
    io.err(
      `lykta: project "${project.name}" (${project.id}); planner join code ${formatJoinCode(code.code)}, valid until ${code.expiresAt}`,
    );
    return EXIT.ok;
  } finally {
    await database.close();
  }
}
