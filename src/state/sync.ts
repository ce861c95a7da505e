/**
 * Sync with a Lykta server (docs/sync.md): connect a project with a server address and a
 * join code, then push what changed here and pull what changed elsewhere, whenever the
 * tablet is online. Recording never waits for the server: every write goes to IndexedDB
 * first, with an outbox entry in the same transaction (src/storage/database.ts), and the
 * engine (src/domain/sync/engine.ts) sends it later.
 */
import { signal } from "@preact/signals";
import { parseJoinCode, parseServerUrl } from "../domain/join-link";
import type { SyncedRecord } from "../domain/record";
import { SyncHttpError, syncOnce } from "../domain/sync/engine";
import { httpTransport, joinServer } from "../domain/sync/http-transport";
import {
  normaliseJoinCode,
  type Principal,
  type Role,
  writeRefusal,
} from "../domain/sync/protocol";
import { announceChanges } from "../storage/broadcast";
import type { OutboxCounts } from "../storage/database";
import { IndexedDbSyncStore } from "../storage/sync-store";
import { showPulledRecords } from "./actions";
import { t } from "./i18n";
import { ctx, db } from "./session";

// DO NOT RENAME: existing tablets hold their server connections under this meta key.
const META_CONNECTIONS = "syncConnections";

/** How often a connected tablet that is online looks for work (ms). */
const SYNC_INTERVAL_MS = 15_000;
/** Pull at least this often even when nothing is waiting here (ms). */
const PULL_EVERY_MS = 60_000;
/** After a failure that may pass (no network, server down), wait this long at first (ms). */
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;

/** A project's link to a server. The token is a secret: it never leaves this device's storage. */
export interface SyncConnection {
  projectId: string;
  serverUrl: string;
  token: string;
  tokenId: string;
  role: Role;
  walkIds: string[];
  organisation: string | null;
  expiresAt: string | null;
  connectedAt: number;
}

export interface SyncStatus {
  running: boolean;
  /** Epoch ms of the last sync that finished. */
  lastSyncAt: number | null;
  /** What the last attempt ran into, translated; null after a success. */
  error: string | null;
  /** The last error needs a person (a new join code), not just a network. */
  needsAttention: boolean;
  pending: OutboxCounts;
  /** Records this tablet's role may not send (they stay here). */
  withheld: number;
  /** Records the server refused as too large even alone (they stay here). */
  tooLarge: number;
  lastPulled: number;
  lastPushed: number;
}

const EMPTY_COUNTS: OutboxCounts = { records: 0, conflicts: 0, blobs: 0 };

export const syncConnections = signal<ReadonlyMap<string, SyncConnection>>(new Map());
export const syncStatuses = signal<ReadonlyMap<string, SyncStatus>>(new Map());

function status(projectId: string): SyncStatus {
  return (
    syncStatuses.value.get(projectId) ?? {
      running: false,
      lastSyncAt: null,
      error: null,
      needsAttention: false,
      pending: EMPTY_COUNTS,
      withheld: 0,
      tooLarge: 0,
      lastPulled: 0,
      lastPushed: 0,
    }
  );
}

function setStatus(projectId: string, patch: Partial<SyncStatus>): void {
  const next = new Map(syncStatuses.value);
  next.set(projectId, { ...status(projectId), ...patch });
  syncStatuses.value = next;
}

async function saveConnections(next: ReadonlyMap<string, SyncConnection>): Promise<void> {
  await db().setMeta(META_CONNECTIONS, [...next.values()]);
  syncConnections.value = next;
}

/** Read the connections at start and begin syncing in the background. */
export async function loadSyncConnections(): Promise<void> {
  const stored = (await db().getMeta<SyncConnection[]>(META_CONNECTIONS)) ?? [];
  syncConnections.value = new Map(stored.map((connection) => [connection.projectId, connection]));
  for (const connection of stored) void refreshPending(connection.projectId);
  startBackgroundSync();
}

/** Refresh what is waiting to be sent, for the status line. */
export async function refreshPending(projectId: string): Promise<void> {
  if (!syncConnections.value.has(projectId)) return;
  setStatus(projectId, { pending: await db().countOutbox(projectId) });
}

export type ConnectResult = { ok: true; projectId: string } | { ok: false; message: string };

/** The message for a failure, in the user's language. */
export function syncErrorText(error: unknown): string {
  if (error instanceof SyncHttpError) {
    if (error.status === 0) return t("sync.error.network");
    if (error.status === 401) return t("sync.error.unauthorized");
    if (error.status === 403) return t("sync.error.forbidden", { detail: error.message });
    if (error.status === 404) return t("sync.error.notFound");
    if (error.status === 429) return t("sync.error.rateLimited");
    if (error.status >= 500) return t("sync.error.server", { status: error.status });
    return t("sync.error.refused", { detail: error.message });
  }
  return t("sync.error.other", { detail: (error as Error)?.message ?? String(error) });
}

function readInput(serverText: string, codeText: string) {
  const server = parseServerUrl(serverText);
  if (!server.ok) return { ok: false as const, message: t(`sync.reason.${server.reason}`) };
  const code = parseJoinCode(codeText);
  if (!code.ok) return { ok: false as const, message: t(`sync.reason.${code.reason}`) };
  return { ok: true as const, serverUrl: server.value, code: code.value };
}

/**
 * Join a server with a code. `projectId` given: connect that project of this tablet (the code
 * must be for it). Not given: join the code's project, which arrives with the first sync.
 */
export async function connectToServer(
  serverText: string,
  codeText: string,
  projectId?: string,
): Promise<ConnectResult> {
  const input = readInput(serverText, codeText);
  if (!input.ok) return input;
  let joined: Awaited<ReturnType<typeof joinServer>>;
  try {
    joined = await joinServer(input.serverUrl, { code: input.code, deviceId: ctx().deviceId });
  } catch (error) {
    if (error instanceof SyncHttpError && error.status === 401) {
      return { ok: false, message: t("sync.error.codeRefused") };
    }
    return { ok: false, message: syncErrorText(error) };
  }
  if (projectId !== undefined && joined.projectId !== projectId) {
    return { ok: false, message: t("sync.error.otherProject") };
  }
  const connection: SyncConnection = {
    projectId: joined.projectId,
    serverUrl: input.serverUrl,
    token: joined.token,
    tokenId: joined.tokenId,
    role: joined.role,
    walkIds: joined.walkIds ?? [],
    organisation: joined.organisation ?? null,
    expiresAt: joined.expiresAt ?? null,
    connectedAt: Date.now(),
  };
  const next = new Map(syncConnections.value);
  next.set(connection.projectId, connection);
  await saveConnections(next);
  // What this tablet already holds of the project goes to the server with the first sync.
  await db().enqueueProject(connection.projectId);
  await refreshPending(connection.projectId);
  void syncNow(connection.projectId);
  return { ok: true, projectId: connection.projectId };
}

/** Stop syncing a project. Its records stay on this tablet; nothing is deleted anywhere. */
export async function disconnect(projectId: string): Promise<void> {
  const next = new Map(syncConnections.value);
  next.delete(projectId);
  await saveConnections(next);
  await db().clearOutbox(projectId);
  const statuses = new Map(syncStatuses.value);
  statuses.delete(projectId);
  syncStatuses.value = statuses;
}

function principalOf(connection: SyncConnection): Principal {
  return {
    role: connection.role,
    projectId: connection.projectId,
    ownedWalkIds: new Set(connection.walkIds),
    organisation: connection.organisation,
  };
}

/**
 * What this tablet sends. The server decides with its own copy (writeRefusal); here the
 * tablet has only its own, so a partner's follow-up goes and the server judges it.
 */
function mayPush(principal: Principal, record: SyncedRecord): boolean {
  switch (principal.role) {
    case "planner":
      return true;
    case "read":
      return false;
    case "partner":
      return record.kind === "comment" || record.kind === "followUp";
    case "team":
      return writeRefusal(principal, record, undefined, true) === null;
  }
}

const running = new Map<string, Promise<void>>();
const retryAt = new Map<string, { at: number; delayMs: number }>();

/**
 * Sync one project now (or join the sync already running). Never throws: what went wrong is
 * in the project's status. Two tabs of the app take turns through a Web Lock.
 */
export function syncNow(projectId: string): Promise<void> {
  const current = running.get(projectId);
  if (current) return current;
  const work = (async () => {
    const connection = syncConnections.value.get(projectId);
    if (!connection) return;
    setStatus(projectId, { running: true });
    const store = new IndexedDbSyncStore(db(), projectId);
    const pulled: SyncedRecord[] = [];
    store.onPulled = (records) => pulled.push(...records);
    try {
      const principal = principalOf(connection);
      const run = () =>
        syncOnce(
          httpTransport({
            serverUrl: connection.serverUrl,
            projectId,
            token: connection.token,
          }),
          store,
          {
            deviceId: ctx().deviceId,
            // A tablet keeps what its role may not send (docs/sync.md) instead of being
            // refused by the server for the whole batch.
            mayPush: (record) => mayPush(principal, record),
          },
        );
      const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
      const summary = locks ? await locks.request(`lykta-sync-${projectId}`, run) : await run();
      retryAt.delete(projectId);
      setStatus(projectId, {
        lastSyncAt: Date.now(),
        error: null,
        needsAttention: false,
        withheld: summary.withheld,
        tooLarge: summary.tooLarge.length,
        lastPulled: summary.pulled,
        lastPushed: summary.pushed,
      });
    } catch (error) {
      const attention =
        error instanceof SyncHttpError && (error.status === 401 || error.status === 403);
      const previous = retryAt.get(projectId)?.delayMs ?? RETRY_FIRST_MS / 2;
      const delayMs =
        error instanceof SyncHttpError && error.retryAfterMs !== null
          ? error.retryAfterMs
          : Math.min(RETRY_MAX_MS, previous * 2);
      retryAt.set(projectId, { at: Date.now() + delayMs, delayMs });
      setStatus(projectId, { error: syncErrorText(error), needsAttention: attention });
    } finally {
      if (pulled.length > 0) {
        await showPulledRecords(pulled);
        announceChanges({
          type: "records",
          ids: pulled.map((record) => record.id),
          kinds: [...new Set(pulled.map((record) => record.kind))],
        });
      }
      setStatus(projectId, { running: false, pending: await db().countOutbox(projectId) });
      running.delete(projectId);
    }
  })();
  running.set(projectId, work);
  return work;
}

let timer: ReturnType<typeof setInterval> | undefined;

/** Sync every connected project when it has work, when the network comes back, and regularly. */
function startBackgroundSync(): void {
  if (timer !== undefined || typeof window === "undefined") return;
  const tick = async () => {
    if (typeof navigator !== "undefined" && navigator.onLine === false) return;
    for (const projectId of syncConnections.value.keys()) {
      const state = status(projectId);
      if (state.running || state.needsAttention) continue;
      const retry = retryAt.get(projectId);
      if (retry && Date.now() < retry.at) continue;
      const waiting = await db().countOutbox(projectId);
      const due =
        waiting.records + waiting.conflicts + waiting.blobs > 0 ||
        state.lastSyncAt === null ||
        Date.now() - state.lastSyncAt >= PULL_EVERY_MS;
      if (due) void syncNow(projectId);
      else setStatus(projectId, { pending: waiting });
    }
  };
  timer = setInterval(() => void tick(), SYNC_INTERVAL_MS);
  window.addEventListener("online", () => {
    retryAt.clear();
    void tick();
  });
  void tick();
}

// ---- a planner's join codes and tokens (docs/sync.md) -----------------------------------

export interface IssuedCode {
  id: string;
  code: string;
  role: Role;
  walkId: string | null;
  organisation: string | null;
  expiresAt: string;
}

export interface AccessEntry {
  id: string;
  type: "token" | "join_code";
  role: Role;
  walkId?: string | null;
  organisation?: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt?: string | null;
}

async function plannerRequest<T>(
  connection: SyncConnection,
  path: string,
  init: { method?: string; json?: unknown } = {},
): Promise<T> {
  const url = `${connection.serverUrl}/api/v1/projects/${encodeURIComponent(connection.projectId)}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? (init.json === undefined ? "GET" : "POST"),
      headers: {
        authorization: `Bearer ${connection.token}`,
        ...(init.json === undefined ? {} : { "content-type": "application/json" }),
      },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      credentials: "omit",
      cache: "no-store",
    });
  } catch (error) {
    throw new SyncHttpError(0, "network", (error as Error).message);
  }
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const problem = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new SyncHttpError(
      response.status,
      problem?.code ?? `http_${response.status}`,
      problem?.message ?? `HTTP ${response.status}`,
    );
  }
  return body as T;
}

/** A new join code for a team (a walk), a partner (an organisation) or QGIS (read). */
export async function createJoinCode(
  connection: SyncConnection,
  request: { role: Role; walkId?: string; organisation?: string; expiresInHours: number },
): Promise<IssuedCode> {
  const issued = await plannerRequest<Partial<IssuedCode>>(connection, "/join-codes", {
    json: request,
  });
  const code = normaliseJoinCode(String(issued.code ?? ""));
  if (code === null || typeof issued.id !== "string") {
    throw new SyncHttpError(0, "protocol", "the server's answer holds no join code");
  }
  return {
    id: issued.id,
    code,
    role: request.role,
    walkId: request.walkId ?? null,
    organisation: request.organisation ?? null,
    expiresAt: String(issued.expiresAt ?? ""),
  };
}

export async function listAccess(connection: SyncConnection): Promise<AccessEntry[]> {
  const answer = await plannerRequest<{ tokens?: AccessEntry[]; joinCodes?: AccessEntry[] }>(
    connection,
    "/tokens",
  );
  return [
    ...(answer.joinCodes ?? []).map((entry) => ({ ...entry, type: "join_code" as const })),
    ...(answer.tokens ?? []).map((entry) => ({ ...entry, type: "token" as const })),
  ];
}

export async function revokeAccess(connection: SyncConnection, entry: AccessEntry) {
  const kind = entry.type === "token" ? "tokens" : "join-codes";
  await plannerRequest<null>(connection, `/${kind}/${encodeURIComponent(entry.id)}`, {
    method: "DELETE",
  });
}
