/**
 * Simulated tablets for the server tests and the sync benchmark: each is the client engine
 * (src/domain/sync/engine.ts) with an in-memory store, a device id, a seeded random history
 * of creates, edits, deletes and restores, and a transport that can drop a request before
 * the server sees it or drop the answer after the server handled it.
 */
import checklistData from "../../data/checklist.json";
import type { Checklist } from "../domain/checklist";
import { mulberry32 } from "../domain/ids";
import {
  createObservation,
  EMPTY_OBSERVATION_FIELDS,
  type ObservationFields,
  type ObservationRecord,
} from "../domain/observation";
import {
  clockWins,
  DELETED_CLOCK_KEY,
  type EditContext,
  editRecord,
  type FieldClock,
  restoreRecord,
  type SyncedRecord,
  tombstoneRecord,
} from "../domain/record";
import { SyncHttpError, type SyncTransport, syncOnce } from "../domain/sync/engine";
import { httpTransport } from "../domain/sync/http-transport";
import { MemorySyncStore } from "../domain/sync/memory-store";
import type { JoinResponse } from "../domain/sync/protocol";

const CATEGORY_IDS = (checklistData as Checklist).groups.flatMap((group) =>
  group.categories.map((category) => category.id),
);

export interface FaultRates {
  /** Probability that a request is dropped before it reaches the server. */
  before: number;
  /** Probability that the answer is dropped after the server handled the request. */
  after: number;
}

export const NO_FAULTS: FaultRates = { before: 0, after: 0 };

/** Drops requests or answers at the given rates (as a flaky mobile network does). */
export function faultyTransport(
  inner: SyncTransport,
  random: () => number,
  rates: () => FaultRates,
  onRequest: () => void = () => undefined,
): SyncTransport {
  const wrap =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      onRequest();
      if (random() < rates().before) {
        throw new SyncHttpError(0, "network", "dropped before the server saw it");
      }
      const result = await call(...args);
      if (random() < rates().after) {
        throw new SyncHttpError(0, "network", "answer dropped after the server handled it");
      }
      return result;
    };
  return {
    push: wrap(inner.push),
    pull: wrap(inner.pull),
    blobStatus: wrap(inner.blobStatus),
    uploadBlob: wrap(inner.uploadBlob),
    downloadBlob: wrap(inner.downloadBlob),
  };
}

export interface Tablet {
  deviceId: string;
  walkId: string;
  store: MemorySyncStore;
  transport: SyncTransport;
  ctx: EditContext;
  random: () => number;
}

export interface TabletOptions {
  serverUrl: string;
  join: JoinResponse;
  deviceId: string;
  walkId: string;
  seed: number;
  faults: () => FaultRates;
  onRequest?: () => void;
}

export function makeTablet(options: TabletOptions): Tablet {
  const random = mulberry32(options.seed);
  let time = 1_800_000_000_000 + options.seed;
  const ctx: EditContext = {
    deviceId: options.deviceId,
    now: () => {
      time += 1000;
      return time;
    },
    nonce: () => Math.floor(random() * 2 ** 31),
  };
  const inner = httpTransport({
    serverUrl: options.serverUrl,
    projectId: options.join.projectId,
    token: options.join.token,
  });
  return {
    deviceId: options.deviceId,
    walkId: options.walkId,
    store: new MemorySyncStore(),
    transport: faultyTransport(inner, random, options.faults, options.onRequest),
    ctx,
    random,
  };
}

function randomFields(random: () => number): ObservationFields {
  return {
    geometry: {
      type: "Point",
      coordinates: [
        Math.round((15.1 + random() * 0.2) * 1e7) / 1e7,
        Math.round((59.2 + random() * 0.15) * 1e7) / 1e7,
      ],
    },
    categoryId: CATEGORY_IDS[Math.floor(random() * CATEGORY_IDS.length)]!,
    severity: 1 + Math.floor(random() * 5),
    feltUnsafe: ["everyone"],
    note: `note ${Math.floor(random() * 1e6)}`,
    photoIds: [],
    illuminanceLux: null,
    observedAt: 1_800_000_000_000 + Math.floor(random() * 1e9),
    positionAccuracyM: 5,
    placement: "gps",
  };
}

/**
 * One random step of a tablet's history: create (often), edit a field, delete or restore one
 * of the walk's observations it holds (its own or its teammates', pulled). Every version made
 * goes to `history`, for the reference merge.
 */
export function randomEdit(tablet: Tablet, projectId: string, history: SyncedRecord[]): void {
  const { random, ctx, store } = tablet;
  const mine = [...store.records.values()].filter(
    (record) => record.kind === "observation" && record.walkId === tablet.walkId,
  ) as ObservationRecord[];
  const roll = random();
  let next: SyncedRecord | undefined;
  if (mine.length === 0 || roll < 0.35) {
    next = createObservation(projectId, tablet.walkId, randomFields(random), ctx);
  } else {
    const target = mine[Math.floor(random() * mine.length)]!;
    if (target.deleted) {
      next = roll < 0.6 ? restoreRecord(target, randomFields(random), ctx) : undefined;
    } else if (roll < 0.45) {
      next = tombstoneRecord(target, EMPTY_OBSERVATION_FIELDS, ctx);
    } else {
      const fresh = randomFields(random);
      const field = (["note", "severity", "categoryId", "geometry"] as const)[
        Math.floor(random() * 4)
      ]!;
      next = editRecord(target, { [field]: fresh[field] }, ctx);
    }
  }
  if (next === undefined) return;
  store.commit(next);
  history.push(next);
}

/** Sync once; a retryable failure (dropped, 429, 503) is counted, anything else thrown. */
export async function trySync(tablet: Tablet, pushBatch?: number): Promise<boolean> {
  try {
    await syncOnce(tablet.transport, tablet.store, {
      deviceId: tablet.deviceId,
      ...(pushBatch !== undefined ? { pushBatch } : {}),
    });
    return true;
  } catch (error) {
    if (error instanceof SyncHttpError && error.retryable) return false;
    throw error;
  }
}

/**
 * The reference result, computed from every version any tablet made, independently of the
 * merge code: per record and per clock key, the winning clock (higher version; then lower
 * nonce; then lower device id) and the value that version carried.
 */
export function referenceMerge(history: readonly SyncedRecord[]): Map<string, SyncedRecord> {
  const result = new Map<string, SyncedRecord>();
  for (const version of history) {
    const held = result.get(version.id);
    if (!held) {
      result.set(version.id, structuredClone(version));
      continue;
    }
    const heldClock = held.clock as Record<string, FieldClock>;
    const clock = version.clock as Record<string, FieldClock>;
    for (const key of Object.keys(clock)) {
      const mine = clock[key]!;
      const theirs = heldClock[key];
      if (theirs !== undefined && !clockWins(mine, theirs)) continue;
      heldClock[key] = mine;
      if (key === DELETED_CLOCK_KEY) held.deleted = version.deleted;
      else
        (held.fields as Record<string, unknown>)[key] = structuredClone(
          (version.fields as Record<string, unknown>)[key],
        );
    }
  }
  return result;
}
