/**
 * Steps through the app's UI as a person would (the logic of test/e2e/helpers.ts), and the
 * in-page probes for benchmarks 2 (tap to saved) and 4 (photo pipeline).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WALK_PLACE } from "./seed.mjs";

/** Swedish labels of point categories, used round-robin by the save loop. */
export function pointCategoryLabels(root) {
  const checklist = JSON.parse(readFileSync(join(root, "data/checklist.json"), "utf8"));
  return checklist.groups
    .flatMap((group) => group.categories)
    .filter((category) => category.geometry === "point" && !category.retired)
    .map((category) => category.label.sv);
}

export async function grantGps(context, accuracy = 6) {
  await context.grantPermissions(["geolocation"]);
  await context.setGeolocation({ ...WALK_PLACE, accuracy });
}

/** From a fresh start: dismiss onboarding, create a project and a walk; ends on the map. */
export async function createProjectAndWalk(page, url, walkName = "Kvällsvandring Vallby") {
  await page.goto(url);
  await page.getByRole("button", { name: "Kom igång" }).click();
  await page.getByLabel("Projektets namn").fill("Västerås 2027");
  await page.getByRole("button", { name: "Skapa projekt" }).click();
  await page.getByRole("heading", { name: "Västerås 2027" }).waitFor();
  await page.getByLabel("Namn på vandringen").fill(walkName);
  await page.getByLabel("Område", { exact: true }).fill("Vallby centrum");
  await page.getByRole("button", { name: "Skapa vandring" }).click();
  await page.getByRole("heading", { name: walkName }).waitFor();
  await page.locator('[data-testid="map"][data-ready="true"]').waitFor({ timeout: 60_000 });
}

/** The three-tap flow, `times` times: "Lägg till här", a category, "Spara". */
export async function saveLoop(page, context, { times, labels, random }) {
  const started = Date.now();
  for (let i = 0; i < times; i++) {
    // The team walks on: a new fix a few metres away for every observation.
    await context.setGeolocation({
      latitude: WALK_PLACE.latitude + (random() - 0.5) * 0.004,
      longitude: WALK_PLACE.longitude + (random() - 0.5) * 0.008,
      accuracy: 4 + Math.floor(random() * 10),
    });
    await page.getByRole("button", { name: "Lägg till här" }).tap();
    const form = page.locator("form.sheet-form");
    // Within the tiles: a group legend may carry the same text ("Övrigt").
    await form
      .locator(".tile-grid")
      .getByText(labels[i % labels.length], { exact: true })
      .tap();
    await form.getByRole("button", { name: "Spara", exact: true }).tap();
    await page.getByRole("heading", { name: "Ny observation" }).waitFor({ state: "hidden" });
  }
  return Date.now() - started;
}

/** The "lykta:save" measures the app recorded (then cleared, for the next loop). */
export async function takeSaveMeasures(page) {
  return page.evaluate(() => {
    const durations = performance
      .getEntriesByName("lykta:save", "measure")
      .map((entry) => entry.duration);
    performance.clearMeasures("lykta:save");
    return durations;
  });
}

/**
 * In the page, a throwaway database: one record put per transaction, durability "strict"
 * against "relaxed", alternating. Time from starting the transaction to its complete event.
 */
export async function durabilityInPage(page, record, rounds) {
  return page.evaluate(
    async ({ record, rounds }) => {
      const name = "lykta-bench-durability";
      const wait = (request) =>
        new Promise((resolve, reject) => {
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      await wait(indexedDB.deleteDatabase(name));
      const opening = indexedDB.open(name, 1);
      opening.onupgradeneeded = () =>
        opening.result.createObjectStore("records", { keyPath: "id" });
      const db = await wait(opening);
      const times = { strict: [], relaxed: [] };
      try {
        for (let round = 0; round < rounds; round++) {
          const order = round % 2 === 0 ? ["strict", "relaxed"] : ["relaxed", "strict"];
          for (const durability of order) {
            const started = performance.now();
            await new Promise((resolve, reject) => {
              const tx = db.transaction("records", "readwrite", { durability });
              tx.objectStore("records").put({ ...record, id: `${durability}-${round}` });
              tx.oncomplete = resolve;
              tx.onerror = () => reject(tx.error);
              tx.onabort = () => reject(tx.error);
            });
            times[durability].push(performance.now() - started);
          }
        }
      } finally {
        db.close();
        await wait(indexedDB.deleteDatabase(name));
      }
      return times;
    },
    { record, rounds },
  );
}

/** In the page: note when a file is chosen and when each photo thumbnail appears. */
function installPhotoProbe() {
  const probe = { chosen: [], shown: [] };
  window.__lyktaPhotoProbe = probe;
  document.addEventListener(
    "change",
    (event) => {
      if (event.target?.dataset?.testid === "photo-input") probe.chosen.push(performance.now());
    },
    true,
  );
  new MutationObserver(() => {
    const count = document.querySelectorAll(".photo-item").length;
    while (probe.shown.length < count) probe.shown.push(performance.now());
  }).observe(document.body, { childList: true, subtree: true });
}

/** In the page: keys of "photoBlobs", or details of the blob that is not in `known`. */
function photoBlobsInPage(known) {
  const wait = (request) =>
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  return (async () => {
    const db = await wait(indexedDB.open("lykta"));
    try {
      const tx = db.transaction(["photoBlobs", "records"], "readonly");
      const keys = await wait(tx.objectStore("photoBlobs").getAllKeys());
      if (known === null) return { keys };
      const id = keys.find((key) => !known.includes(key));
      if (!id) return { keys };
      const blob = await wait(tx.objectStore("photoBlobs").get(id));
      const record = await wait(tx.objectStore("records").get(id));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      // Walk the JPEG segments before the image data: is there an APP1 (EXIF/XMP) segment?
      let app1 = false;
      for (let at = 2; at + 4 <= bytes.length && bytes[at] === 0xff; ) {
        const marker = bytes[at + 1];
        if (marker === 0xda) break;
        if (marker === 0xe1) app1 = true;
        at += 2 + ((bytes[at + 2] << 8) | bytes[at + 3]);
      }
      const bitmap = await createImageBitmap(blob);
      const result = {
        keys,
        id,
        size: blob.size,
        type: blob.type,
        width: bitmap.width,
        height: bitmap.height,
        app1,
        recordSize: record?.fields?.byteLength,
      };
      bitmap.close();
      return result;
    } finally {
      db.close();
    }
  })();
}

/** Choose each file in the observation form's photo input, one after another. */
export async function photoRun(page, files) {
  await page.getByRole("button", { name: "Lägg till här" }).tap();
  await page.getByRole("heading", { name: "Ny observation" }).waitFor();
  await page.evaluate(installPhotoProbe);
  const results = [];
  for (const [index, file] of files.entries()) {
    const { keys } = await page.evaluate(photoBlobsInPage, null);
    const started = Date.now();
    await page.getByTestId("photo-input").setInputFiles(file.path);
    await page.waitForFunction(
      (count) => document.querySelectorAll(".photo-item").length >= count,
      index + 1,
      {
        timeout: 60_000,
        polling: 50,
      },
    );
    const wallMs = Date.now() - started;
    const probe = await page.evaluate(() => window.__lyktaPhotoProbe);
    const stored = await page.evaluate(photoBlobsInPage, keys);
    if (!stored.id) throw new Error(`no new photo blob stored for ${file.path}`);
    results.push({
      ...file,
      ...stored,
      pageMs: probe.shown[index] - probe.chosen[index],
      wallMs,
    });
  }
  // Keep the observation: a category and "Spara".
  const form = page.locator("form.sheet-form");
  await form.locator(".tile-grid").getByText("Trasig belysning", { exact: true }).tap();
  await form.getByRole("button", { name: "Spara", exact: true }).tap();
  await page.getByRole("heading", { name: "Ny observation" }).waitFor({ state: "hidden" });
  return results;
}
