/**
 * Benchmark 1: reload to an interactive map, offline, with 10,000 observations in one walk,
 * against an empty walk of the same project; and, in the page, the ways to read 10,000
 * records of a walk from IndexedDB (index getAll, index cursor, one get per id).
 */
import {
  collectErrors,
  launchTablet,
  ms,
  OFFLINE_PROBE,
  printTable,
  summarise,
  waitForMark,
} from "./lib.mjs";
import { makeFixture } from "./seed.mjs";

const SEED_CHUNK = 2500;

/** In the page: put records into "lykta"/"records" with raw IndexedDB, strict durability. */
async function putRecordsInPage(page, records) {
  for (let start = 0; start < records.length; start += SEED_CHUNK) {
    // One JSON string per chunk: far faster through the protocol than an object graph.
    await page.evaluate(
      async (json) => {
        const chunk = JSON.parse(json);
        const db = await new Promise((resolve, reject) => {
          const request = indexedDB.open("lykta");
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        try {
          await new Promise((resolve, reject) => {
            const tx = db.transaction("records", "readwrite", { durability: "strict" });
            const store = tx.objectStore("records");
            for (const record of chunk) store.put(record);
            tx.oncomplete = resolve;
            tx.onerror = () => reject(tx.error);
            tx.onabort = () => reject(tx.error);
          });
        } finally {
          db.close();
        }
      },
      JSON.stringify(records.slice(start, start + SEED_CHUNK)),
    );
  }
}

/** In the page: read one walk's records three ways, `rounds` times each, rotating order. */
function readWaysInPage({ walkId, rounds }) {
  const open = () =>
    new Promise((resolve, reject) => {
      const request = indexedDB.open("lykta");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const done = (request) =>
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const ways = {
    "index getAll (byWalk), one request": async (db) => {
      const tx = db.transaction("records", "readonly");
      return (await done(tx.objectStore("records").index("byWalk").getAll(walkId))).length;
    },
    "index cursor (byWalk), one step per record": (db) =>
      new Promise((resolve, reject) => {
        const tx = db.transaction("records", "readonly");
        const request = tx.objectStore("records").index("byWalk").openCursor(walkId);
        const found = [];
        request.onsuccess = () => {
          const cursor = request.result;
          if (!cursor) return resolve(found.length);
          found.push(cursor.value);
          cursor.continue();
        };
        request.onerror = () => reject(request.error);
      }),
    "one get per id (ids known), one transaction": async (db, ids) => {
      const tx = db.transaction("records", "readonly");
      const store = tx.objectStore("records");
      const found = await Promise.all(ids.map((id) => done(store.get(id))));
      return found.filter(Boolean).length;
    },
  };
  return (async () => {
    const db = await open();
    try {
      const keyTx = db.transaction("records", "readonly");
      const ids = await done(keyTx.objectStore("records").index("byWalk").getAllKeys(walkId));
      const names = Object.keys(ways);
      const times = Object.fromEntries(names.map((name) => [name, []]));
      const counts = {};
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < names.length; k++) {
          const name = names[(round + k) % names.length];
          const started = performance.now();
          counts[name] = await ways[name](db, ids);
          times[name].push(performance.now() - started);
        }
      }
      return { times, counts };
    } finally {
      db.close();
    }
  })();
}

export async function benchMapLoad({ root, url, reloads = 7, count = 10_000 }) {
  const fixture = makeFixture(root, { count });
  const { context, close } = await launchTablet();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = collectErrors(page);
    await page.goto(url);
    await waitForMark(page, "lykta:ready");
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

    const seedStarted = Date.now();
    await putRecordsInPage(page, [
      fixture.project,
      fixture.walk,
      fixture.emptyWalk,
      ...fixture.observations,
    ]);
    const seedMs = Date.now() - seedStarted;

    // Reload once so the service worker controls the page, then cut the network.
    await page.reload();
    await waitForMark(page, "lykta:ready");
    const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
    if (!controlled) throw new Error("the service worker does not control the page");
    await context.setOffline(true);

    const walks = [
      { label: `${count.toLocaleString("en")} observations`, id: fixture.walk.id },
      { label: "0 observations", id: fixture.emptyWalk.id },
    ];
    const samples = new Map(
      walks.map((walk) => [walk.id, { ready: [], mapChunk: [], interactive: [] }]),
    );
    const load = async (walk) => {
      // A new document each time: the service worker serves it from its cache.
      await page.goto("about:blank");
      await page.goto(`${url}#/walk/${walk.id}`);
      const interactive = await waitForMark(page, "lykta:map-interactive");
      const ready = await waitForMark(page, "lykta:ready");
      // When the walk screen asked for the map code (MapLibre + terra-draw, a lazy chunk).
      const mapChunk = await page.evaluate(
        () =>
          performance
            .getEntriesByType("resource")
            .find((entry) => /\/map-view-[^/]*\.js$/.test(entry.name))?.startTime ?? null,
      );
      const state = await page.evaluate(
        async (probe) => ({
          controlled: navigator.serviceWorker.controller !== null,
          // Not in the precache, so it goes to the network: it must fail.
          networkReached: await fetch(`./${probe}-${Date.now()}.txt`).then(
            () => true,
            () => false,
          ),
          mapReady: document.querySelector('[data-testid="map"]')?.getAttribute("data-ready"),
        }),
        OFFLINE_PROBE,
      );
      if (!state.controlled || state.networkReached || state.mapReady !== "true") {
        throw new Error(
          `offline load of walk ${walk.id} not as expected: ${JSON.stringify(state)}`,
        );
      }
      return { interactive, ready, mapChunk };
    };
    // One unmeasured warm-up load of each walk, then alternate so drift hits both alike.
    for (const walk of walks) await load(walk);
    // The seed wrote records in the plain (unpacked) layout; the app repacks what it reads
    // (src/storage/codec.ts). Wait until storage is as a tablet's would be.
    await page.waitForFunction(
      () =>
        new Promise((resolve) => {
          const request = indexedDB.open("lykta");
          request.onsuccess = () => {
            const all = request.result.transaction("records").objectStore("records").getAll();
            all.onsuccess = () => {
              request.result.close();
              resolve(all.result.every((record) => Array.isArray(record.p)));
            };
          };
        }),
      undefined,
      { timeout: 120_000, polling: 1000 },
    );
    for (let i = 0; i < reloads; i++) {
      for (const walk of walks) {
        const result = await load(walk);
        samples.get(walk.id).ready.push(result.ready);
        if (result.mapChunk !== null) samples.get(walk.id).mapChunk.push(result.mapChunk);
        samples.get(walk.id).interactive.push(result.interactive);
      }
    }

    const rows = [];
    for (const walk of walks) {
      const { ready, mapChunk, interactive } = samples.get(walk.id);
      for (const [what, values] of [
        ["-> lykta:map-interactive", interactive],
        ["-> lykta:ready (storage open)", ready],
        ["-> map chunk requested", mapChunk],
      ]) {
        const stats = summarise(values);
        rows.push([
          walk.label,
          what,
          stats.n,
          ms(stats.median),
          ms(stats.p95),
          ms(stats.min),
          ms(stats.max),
        ]);
      }
    }
    printTable(
      `1. Offline reload of #/walk/<id> (navigation start -> mark), ${reloads} loads each after 1 warm-up`,
      ["walk", "until", "n", "median", "p95", "min", "max"],
      rows,
    );

    // Still offline, on the big walk: the ways to read its records.
    const reads = await page.evaluate(readWaysInPage, { walkId: fixture.walk.id, rounds: 5 });
    printTable(
      `1b. Reading the walk's ${(count + 1).toLocaleString("en")} records in the page (raw IndexedDB, 5 rounds each)`,
      ["method", "records", "median", "min", "max"],
      Object.entries(reads.times).map(([name, values]) => {
        const stats = summarise(values);
        return [name, reads.counts[name], ms(stats.median), ms(stats.min), ms(stats.max)];
      }),
    );
    console.log(
      `   seeded ${(count + 3).toLocaleString("en")} records in ${seedMs} ms; console errors: ${errors.length}`,
    );
    for (const error of errors.slice(0, 5)) console.log(`   ! ${error}`);
    const big = summarise(samples.get(fixture.walk.id).interactive);
    const empty = summarise(samples.get(fixture.emptyWalk.id).interactive);
    return { big, empty, reads, errors: errors.length, page, context, close, fixture };
  } catch (error) {
    await close();
    throw error;
  }
}
