/**
 * The sync protocol's types and rules shared by the server (src/server) and the client engine
 * (engine.ts): request and response bodies, roles and what each may write, join codes.
 * docs/sync.md is the contract; where this file and it disagree, fix one of them.
 *
 * Pure: no DOM, no storage, no network.
 */
import type { ConflictEntry } from "../merge";
import type { RecordChange } from "../merge-set";
import { clockWins, DELETED_CLOCK_KEY, type FieldClock, type SyncedRecord } from "../record";
import { WALK_CONTENT_KINDS } from "../record-validation";

/** Path prefix of the JSON API. */
export const API_PREFIX = "/api/v1";
/** Records a client sends in one push unless told otherwise. */
export const DEFAULT_PUSH_BATCH = 200;
/** Most records the server accepts in one push. */
export const MAX_PUSH_RECORDS = 2000;
/** Most conflict entries the server accepts in one push. */
export const MAX_PUSH_CONFLICTS = 10_000;
/** Records and conflicts a pull returns unless told otherwise, and at most. */
export const DEFAULT_PULL_LIMIT = 500;
export const MAX_PULL_LIMIT = 2000;
/** Bytes a client sends in one blob PATCH. */
export const DEFAULT_BLOB_CHUNK_BYTES = 256 * 1024;

export interface PushRequest {
  /** The pushing device (for the server's audit log). */
  deviceId: string;
  /** Random per batch; a resend of a batch may reuse it. For logs only: pushes are idempotent. */
  batchId: string;
  records: SyncedRecord[];
  /** Conflict log entries the device found (its own merges); a grow-only set. */
  conflicts: ConflictEntry[];
}

export interface PushResult {
  id: string;
  /** What the push did to the server's copy (merge-set.ts RecordChange). */
  change: RecordChange;
}

export interface PushResponse {
  /** The project's last change number after this push. */
  seq: number;
  results: PushResult[];
}

export interface PullResponse {
  /** Records changed after the cursor, in change order (each at most once: its latest state). */
  records: SyncedRecord[];
  conflicts: ConflictEntry[];
  /** The cursor to pull after next time: the last change number in this page. */
  lastSeq: number;
  /** More changes after lastSeq. */
  more: boolean;
}

export interface JoinRequest {
  code: string;
  deviceId: string;
}

export interface JoinResponse {
  token: string;
  tokenId: string;
  projectId: string;
  role: Role;
  walkIds: string[];
  organisation: string | null;
  /** ISO 8601. */
  expiresAt: string;
}

export interface ErrorBody {
  error: { code: string; message: string; where?: string };
}

// ---------------------------------------------------------------------------------------
// Roles

/** Stored in tokens and join codes: never rename. */
export const ROLES = ["team", "planner", "partner", "read"] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking, as the server knows it from the token. */
export interface Principal {
  role: Role;
  projectId: string;
  /** Team: the walks it owns (created through the server, or named by its join code). */
  ownedWalkIds: ReadonlySet<string>;
  /** Partner: its organisation (an owner id of followUp records, plan/types.ts OWNERS). */
  organisation: string | null;
}

/** The followUp fields a partner may change on the follow-ups of its organisation. */
export const PARTNER_FOLLOW_UP_FIELDS: ReadonlySet<string> = new Set([
  "status",
  "note",
  "rejectedReason",
  "statusChangedAt",
  "deadlineAt",
]);

/** Why a principal may not write a record; null when it may. */
export interface WriteRefusal {
  /** The record-level member or field at fault: `kind`, `walkId`, `fields.owner`. */
  where: string;
  message: string;
}

/** Would merging `incoming` into `existing` change this clock entry? */
function changesEntry(
  incoming: SyncedRecord,
  existing: SyncedRecord | undefined,
  key: string,
): boolean {
  const mine = (incoming.clock as Record<string, FieldClock>)[key];
  const theirs = existing ? (existing.clock as Record<string, FieldClock>)[key] : undefined;
  if (mine === undefined) return false;
  if (theirs === undefined) return true;
  return (
    clockWins(mine, theirs) &&
    !(mine.version === theirs.version && mine.nonce === theirs.nonce && mine.by === theirs.by)
  );
}

/**
 * May `principal` push `incoming`, given the server's copy `existing` (undefined: none)?
 * The one rule, used by the server on every pushed record and by the client to leave out what
 * it may not send (docs/sync.md, "Roles and tokens"). A copy that changes nothing on the
 * server (an old copy pulled earlier) is always allowed: resending is harmless.
 *
 * `walkClaimable`: for a team, whether a walk nobody owns yet may become its own (the server
 * knows; the client passes true).
 */
export function writeRefusal(
  principal: Principal,
  incoming: SyncedRecord,
  existing: SyncedRecord | undefined,
  walkClaimable = false,
): WriteRefusal | null {
  if (incoming.projectId !== principal.projectId) {
    return { where: "projectId", message: `the token is for project ${principal.projectId}` };
  }
  const keys = Object.keys(incoming.clock);
  const changes = keys.filter((key) => changesEntry(incoming, existing, key));
  if (existing !== undefined && changes.length === 0) return null;
  switch (principal.role) {
    case "planner":
      return null;
    case "read":
      return { where: "record", message: "a read token may not write" };
    case "team": {
      if (!WALK_CONTENT_KINDS.has(incoming.kind)) {
        return {
          where: "kind",
          message: `a team writes walk content (walk, observation, photo, track, trackChunk), not ${incoming.kind}`,
        };
      }
      const walkId = existing?.walkId ?? incoming.walkId;
      if (existing !== undefined && existing.walkId !== incoming.walkId) {
        return { where: "walkId", message: `the record belongs to walk ${existing.walkId}` };
      }
      if (walkId === undefined) return { where: "walkId", message: "walk content names its walk" };
      if (principal.ownedWalkIds.has(walkId) || walkClaimable) return null;
      return { where: "walkId", message: `walk ${walkId} belongs to another team` };
    }
    case "partner": {
      if (incoming.kind === "comment") return null;
      if (incoming.kind !== "followUp") {
        return {
          where: "kind",
          message: `a partner writes comments and its own follow-ups, not ${incoming.kind}`,
        };
      }
      if (existing === undefined || existing.deleted) {
        return { where: "record", message: "a partner follows up existing actions only" };
      }
      const owner = (existing.fields as { owner?: unknown }).owner;
      if (owner !== principal.organisation) {
        return {
          where: "fields.owner",
          message: `the action belongs to ${String(owner)}, not ${String(principal.organisation)}`,
        };
      }
      const forbidden = changes.find(
        (key) => key === DELETED_CLOCK_KEY || !PARTNER_FOLLOW_UP_FIELDS.has(key),
      );
      if (forbidden !== undefined) {
        return {
          where: `fields.${forbidden}`,
          message: `a partner changes only ${[...PARTNER_FOLLOW_UP_FIELDS].join(", ")}`,
        };
      }
      return null;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Join codes

/** No 0/O, 1/I/L or U/V look-alikes: read aloud and typed from paper. */
export const JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ";
export const JOIN_CODE_LENGTH = 8;

/** "k7qm 4xtp", "K7QM-4XTP" -> "K7QM4XTP"; null when it cannot be a code. */
export function normaliseJoinCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== JOIN_CODE_LENGTH) return null;
  for (const character of code) if (!JOIN_CODE_ALPHABET.includes(character)) return null;
  return code;
}

/** "K7QM4XTP" -> "K7QM-4XTP", as shown. */
export function formatJoinCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The QR code's text: `lykta-join:<server url>#<code>`. */
export function joinLink(serverUrl: string, code: string): string {
  return `lykta-join:${serverUrl}#${formatJoinCode(code)}`;
}

/** Read a scanned QR text back, or null when it is not a join link. */
export function parseJoinLink(text: string): { serverUrl: string; code: string } | null {
  const match = /^lykta-join:(https?:\/\/[^#\s]+)#([A-Za-z0-9 -]+)$/.exec(text.trim());
  if (!match) return null;
  const code = normaliseJoinCode(match[2]!);
  return code === null ? null : { serverUrl: match[1]!, code };
}
