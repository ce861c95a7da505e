/**
 * Test and benchmark helpers for the sync server: build `lykta` into its own folder, start
 * PostgreSQL 15 with PostGIS in a temporary cluster on loopback (as the postgres user:
 * PostgreSQL refuses to run as root), start `lykta serve` as a process, join with codes.
 * Used by server.test.ts and test/bench/sync.mjs (through the built copy). Node only.
 *
 * A Playwright test of the app can use the same: `buildServer()`, then
 * `startServer({ driver: "pglite", dataDir })`, `bootstrapProject(server)` for a planner
 * token and `createCode(server, planner, { role: "team", walkId })` for a team's code.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JoinResponse, Role } from "../domain/sync/protocol";

export const ROOT = join(import.meta.dirname, "../..");
export const SERVER_BUILD_DIR = join(ROOT, ".cache/server-build");
export const ADMIN_TOKEN = "test-admin-token-not-secret";

/** Build the CLI (with `lykta serve`) into .cache/server-build, apart from dist-cli. */
export function buildServer(outDir = SERVER_BUILD_DIR): string {
  const result = spawnSync(
    process.execPath,
    [
      join(ROOT, "node_modules/vite/bin/vite.js"),
      "build",
      "--config",
      "vite.cli.config.ts",
      "--outDir",
      outDir,
    ],
    { cwd: ROOT, encoding: "utf8", timeout: 180_000 },
  );
  if (result.status !== 0) throw new Error(`server build failed: ${result.stderr}`);
  return join(outDir, "lykta.js");
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------
// PostgreSQL

const PG_BIN = "/usr/lib/postgresql/15/bin";

export interface Postgres {
  url: string;
  port: number;
  start(): void;
  /** Fast shutdown: connections are cut, as when the database server goes away. */
  stop(): void;
  /** SQL as the superuser, through psql. */
  psql(sql: string): string;
  destroy(): void;
}

/**
 * A fresh cluster in a temporary folder, on 127.0.0.1 only, trust authentication for the
 * postgres user (loopback, tests only), with a database `lykta`.
 */
export async function startPostgres(): Promise<Postgres> {
  if (!existsSync(join(PG_BIN, "initdb"))) {
    throw new Error("PostgreSQL 15 not found: scripts/setup-test-deps.sh installs it");
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "lykta-pg-"));
  const data = join(dir, "data");
  const socket = join(dir, "socket");
  mkdirSync(socket);
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    chownSync(dir, uid, gid);
    chownSync(socket, uid, gid);
  }
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot
      ? ["runuser", ["-u", "postgres", "--", join(PG_BIN, command), ...args]]
      : [join(PG_BIN, command), args];
    const result = spawnSync(file, argv, { encoding: "utf8", timeout: 120_000, cwd: dir });
    if (result.status !== 0) {
      throw new Error(`${command} failed (${result.status}): ${result.stderr}${result.stdout}`);
    }
    return result.stdout;
  };
  const port = await freePort();
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${socket} -c fsync=off -c max_connections=200`;
  const start = () => {
    run("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "60", "start"]);
  };
  start();
  const psql = (sql: string) =>
    run("psql", ["-h", socket, "-p", String(port), "-U", "postgres", "-d", "lykta", "-Atc", sql]);
  run("createdb", ["-h", socket, "-p", String(port), "-U", "postgres", "lykta"]);
  // The cluster never outlives the test or benchmark that started it.
  const orphanGuard = () => {
    spawnSync(asRoot ? "runuser" : join(PG_BIN, "pg_ctl"), [
      ...(asRoot ? ["-u", "postgres", "--", join(PG_BIN, "pg_ctl")] : []),
      "-D",
      data,
      "-m",
      "immediate",
      "stop",
    ]);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", orphanGuard);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/lykta`,
    port,
    start,
    stop: () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]),
    psql,
    destroy: () => {
      process.removeListener("exit", orphanGuard);
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------
// The server process

export type Driver = "pglite" | "postgresql";

export interface ServerOptions {
  program: string;
  driver: Driver;
  /** PGlite's folder (driver pglite). */
  dataDir?: string;
  /** PostgreSQL's URL (driver postgresql). */
  databaseUrl?: string;
  port?: number;
  extraArgs?: string[];
}

export interface RunningServer {
  url: string;
  port: number;
  options: ServerOptions;
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
  /** SIGKILL: no shutdown at all, as a crash or `kill -9`. */
  kill(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const database =
    options.driver === "pglite"
      ? ["--data-dir", options.dataDir!]
      : ["--database-url", options.databaseUrl!];
  const child = spawn(
    process.execPath,
    [options.program, "serve", ...database, "--port", String(port), ...(options.extraArgs ?? [])],
    {
      cwd: ROOT,
      env: { ...process.env, LYKTA_ADMIN_TOKEN: ADMIN_TOKEN },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  // A server never outlives the test or benchmark that started it.
  const orphanGuard = () => child.kill("SIGKILL");
  process.once("exit", orphanGuard);
  child.once("exit", () => process.removeListener("exit", orphanGuard));
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  let buffered = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 180 s: ${stderr}`)),
      180_000,
    );
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === "listening") {
            clearTimeout(timer);
            resolve();
          }
        } catch {
          logs.push({ raw: line });
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    options: { ...options, port },
    child,
    logs,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Bootstrap

export async function api<T = unknown>(
  server: { url: string },
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    // Not JSON: the text.
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

export async function joinWith(server: { url: string }, code: string, deviceId: string) {
  const joined = await api<JoinResponse>(server, "POST", "/api/v1/join", undefined, {
    code,
    deviceId,
  });
  if (joined.status !== 200)
    throw new Error(`join: ${joined.status} ${JSON.stringify(joined.body)}`);
  return joined.body;
}

/** A new project through the admin API, and a planner token for it. */
export async function bootstrapProject(server: { url: string }, name = "Vivalla 2027") {
  const created = await api<{ projectId: string; plannerCode: { code: string } }>(
    server,
    "POST",
    "/api/v1/admin/projects",
    ADMIN_TOKEN,
    { name },
  );
  if (created.status !== 200) throw new Error(`create project: ${created.status}`);
  const planner = await joinWith(server, created.body.plannerCode.code, "planner-device");
  return { projectId: created.body.projectId, planner };
}

export async function createCode(
  server: { url: string },
  planner: JoinResponse,
  input: {
    role: Role;
    walkId?: string;
    organisation?: string;
    expiresInHours?: number;
    tokenExpiresInHours?: number;
  },
): Promise<{ id: string; code: string; expiresAt: string }> {
  const created = await api<{ id: string; code: string; expiresAt: string }>(
    server,
    "POST",
    `/api/v1/projects/${planner.projectId}/join-codes`,
    planner.token,
    input,
  );
  if (created.status !== 200) {
    throw new Error(`join code: ${created.status} ${JSON.stringify(created.body)}`);
  }
  return created.body;
}
