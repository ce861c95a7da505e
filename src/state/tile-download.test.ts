import "fake-indexeddb/auto";
import { IDBObjectStore as FakeObjectStore } from "fake-indexeddb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TEST_SOURCE, testArea } from "../../test/fixtures/basemaps";
import { testContext } from "../../test/fixtures/context";
import { createProject } from "../domain/project";
import { LyktaDatabase } from "../storage/database";
import { SavedAreaStore } from "../storage/saved-areas";
import { downloadArea, type TileFetchResult } from "./tile-download";

let counter = 0;
const freshName = (prefix: string) => `${prefix}-${++counter}-${Math.random()}`;

/**
 * The 2 by 2 block of zoom-14 tiles x 8942-8943, y 4792-4793 (longitude 16.4794921875 to
 * 16.5234375, latitude 59.60109549032134 to 59.62332522313024), at zooms 14 and 15: 4 + 16
 * tiles. At zoom 15 it is x 17884-17887, y 9584-9587.
 */
const BLOCK = [16.4794921875, 59.60109549032134, 16.5234375, 59.62332522313024] as const;
const BLOCK_URLS = [
  ...[8942, 8943].flatMap((x) => [4792, 4793].map((y) => `14/${x}/${y}`)),
  ...[17884, 17885, 17886, 17887].flatMap((x) =>
    [9584, 9585, 9586, 9587].map((y) => `15/${x}/${y}`),
  ),
].map((tile) => `http://127.0.0.1:9/${tile}.png`);

function blockArea(id: string) {
  return testArea(id, {
    region: { kind: "rectangle", bbox: BLOCK },
    minZoom: 14,
    maxZoom: 15,
    tileCount: 20,
  });
}

/** A server that answers every tile with 100 + z bytes, and logs the addresses asked for. */
function fakeServer(answer?: (url: string, call: number) => TileFetchResult | "abort") {
  const requested: string[] = [];
  const fetchTile = async (url: string, signal: AbortSignal): Promise<TileFetchResult> => {
    requested.push(url);
    const given = answer?.(url, requested.length);
    if (given === "abort" || signal.aborted) throw new DOMException("Aborted", "AbortError");
    if (given) return given;
    const z = Number(/\/(\d+)\/\d+\/\d+\.png$/.exec(url)![1]);
    return { kind: "tile", bytes: new Uint8Array(100 + z).buffer, type: "image/png" };
  };
  return { requested, fetchTile };
}

const fast = { minIntervalMs: 0, sleep: async () => undefined };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("downloading a saved area", () => {
  it("fetches every tile of the area once and stores them", async () => {
    const store = await SavedAreaStore.open({ name: freshName("maps") });
    await store.create(blockArea("block"));
    const server = fakeServer();
    const outcome = await downloadArea(store, "block", {
      signal: new AbortController().signal,
      fetchTile: server.fetchTile,
      ...fast,
    });
    expect(outcome.status).toBe("complete");
    expect([...server.requested].sort()).toEqual([...BLOCK_URLS].sort());
    // 4 tiles of 114 bytes and 16 of 115.
    expect([outcome.area.storedTiles, outcome.area.storedBytes]).toEqual([20, 4 * 114 + 16 * 115]);
    expect((await store.get("block"))?.status).toBe("complete");
    store.close();
  });

  it("cancel keeps what is stored, and resume fetches only the rest", async () => {
    const store = await SavedAreaStore.open({ name: freshName("maps") });
    await store.create(blockArea("block"));
    const cancel = new AbortController();
    // The person cancels while the 8th tile is on its way.
    const first = fakeServer((_url, call) => {
      if (call === 8) {
        cancel.abort();
        return "abort";
      }
      return undefined as never;
    });
    const paused = await downloadArea(store, "block", {
      signal: cancel.signal,
      fetchTile: first.fetchTile,
      concurrency: 1,
      ...fast,
    });
    expect(paused.status).toBe("paused");
    expect(paused.area.storedTiles).toBe(7);
    const storedBefore = first.requested.slice(0, 7);

    const second = fakeServer();
    const resumed = await downloadArea(store, "block", {
      signal: new AbortController().signal,
      fetchTile: second.fetchTile,
      ...fast,
    });
    expect(resumed.status).toBe("complete");
    expect(resumed.skippedTiles).toBe(7);
    expect(second.requested).toHaveLength(13);
    expect(second.requested.filter((url) => storedBefore.includes(url))).toEqual([]);
    expect(new Set([...storedBefore, ...second.requested])).toEqual(new Set(BLOCK_URLS));
    expect(resumed.area.storedTiles).toBe(20);
    store.close();
  });

  it("a full disk stops cleanly: walks and earlier areas untouched, what was stored kept", async () => {
    const walks = await LyktaDatabase.open({ name: freshName("lykta") });
    const project = createProject({ name: "Västerås 2027", organisation: "" }, testContext());
    await walks.putRecords([project]);
    const store = await SavedAreaStore.open({ name: freshName("maps") });
    // An area saved earlier, 3 degrees west of the block (no tile in common).
    await store.create(
      testArea("earlier", {
        region: { kind: "rectangle", bbox: [13.359375, 59.0, 13.38, 59.01] },
        minZoom: 14,
        maxZoom: 14,
      }),
    );
    const earlierServer = fakeServer();
    const earlier = await downloadArea(store, "earlier", {
      signal: new AbortController().signal,
      fetchTile: earlierServer.fetchTile,
      ...fast,
    });
    expect(earlier.status).toBe("complete");
    const earlierTiles = earlier.area.storedTiles;
    expect(earlierTiles).toBeGreaterThan(0);

    // From the 6th tile written on, the device has no room.
    let puts = 0;
    const realPut = FakeObjectStore.prototype.put;
    vi.spyOn(FakeObjectStore.prototype, "put").mockImplementation(function (
      this: IDBObjectStore,
      ...args
    ) {
      if (this.name === "tiles" && ++puts > 5) {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      }
      return realPut.apply(this, args as Parameters<IDBObjectStore["put"]>);
    });
    await store.create(blockArea("block"));
    const fullServer = fakeServer();
    const full = await downloadArea(store, "block", {
      signal: new AbortController().signal,
      fetchTile: fullServer.fetchTile,
      concurrency: 1,
      ...fast,
    });
    vi.restoreAllMocks();

    expect(full.status).toBe("quota");
    // It stopped at the tile that did not fit: no more requests.
    expect(fullServer.requested).toHaveLength(6);
    expect(full.area.status).toBe("quota");
    expect(full.area.storedTiles).toBe(5);
    expect((await store.get("block"))?.storedTiles).toBe(5);
    expect((await store.doneTileKeys("block")).size).toBe(5);
    // The earlier area and its tiles are as they were.
    const kept = await store.get("earlier");
    expect([kept?.status, kept?.storedTiles]).toEqual(["complete", earlierTiles]);
    for (const url of earlierServer.requested) {
      const [, z, x, y] = /\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(url)!.map(Number);
      expect(await store.readTile(TEST_SOURCE.id, { z: z!, x: x!, y: y! })).toBeDefined();
    }
    // The walks' database is another database: untouched.
    expect((await walks.getRecord(project.id))?.fields).toEqual(project.fields);
    expect(await walks.countRecords()).toBe(1);

    // Room again: resume fetches the 15 tiles that were not stored.
    const after = fakeServer();
    const resumed = await downloadArea(store, "block", {
      signal: new AbortController().signal,
      fetchTile: after.fetchTile,
      ...fast,
    });
    expect(resumed.status).toBe("complete");
    expect(after.requested).toHaveLength(15);
    store.close();
    walks.close();
  });

  it("counts missing tiles as done, waits as told on 429, and retries failures on resume", async () => {
    const store = await SavedAreaStore.open({ name: freshName("maps") });
    await store.create(blockArea("block"));
    const waits: number[] = [];
    let refusedOnce = false;
    const server = fakeServer((url) => {
      if (url.endsWith("/14/8942/4792.png")) return { kind: "missing" };
      if (url.endsWith("/14/8943/4793.png") && !refusedOnce) {
        refusedOnce = true;
        return { kind: "retry", afterMs: 3_000 };
      }
      if (url.endsWith("/15/17884/9584.png")) return { kind: "failed", detail: "HTTP 500" };
      return undefined as never;
    });
    const outcome = await downloadArea(store, "block", {
      signal: new AbortController().signal,
      fetchTile: server.fetchTile,
      minIntervalMs: 0,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(waits).toContain(3_000);
    expect(outcome.status).toBe("incomplete");
    expect([outcome.area.storedTiles, outcome.area.missingTiles, outcome.area.failedTiles]).toEqual(
      [18, 1, 1],
    );
    const again = fakeServer();
    const resumed = await downloadArea(store, "block", {
      signal: new AbortController().signal,
      fetchTile: again.fetchTile,
      ...fast,
    });
    expect(again.requested).toEqual(["http://127.0.0.1:9/15/17884/9584.png"]);
    expect(resumed.status).toBe("complete");
    store.close();
  });

  it("keeps at most 4 requests in flight and starts them at least 50 ms apart", async () => {
    const store = await SavedAreaStore.open({ name: freshName("maps") });
    await store.create(blockArea("block"));
    // A clock that moves only when the downloader waits.
    let clockMs = 0;
    const starts: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    await downloadArea(store, "block", {
      signal: new AbortController().signal,
      now: () => clockMs,
      sleep: async (ms) => {
        clockMs += ms;
      },
      fetchTile: async () => {
        starts.push(clockMs);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight -= 1;
        return { kind: "tile", bytes: new Uint8Array(10).buffer, type: "image/png" };
      },
    });
    expect(starts).toHaveLength(20);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    const sorted = [...starts].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i += 1) {
      expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(50);
    }
    store.close();
  });
});
