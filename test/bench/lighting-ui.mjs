/**
 * Benchmark 9: the lighting analysis in the app. Helsinki's centre (2,417 ways, 586 street
 * lamps) imported through the UI, then "Analysera" in coverage and in illuminance mode.
 * The analysis runs in the lighting worker; the page's long tasks (PerformanceObserver
 * "longtask": main-thread tasks over 50 ms) are recorded from the tap to the summary on
 * screen, drawing the coloured paths included. The obvious alternative, computing on the main
 * thread, would be at least one task as long as the worker's own time (reading the layers,
 * building the model, analysing), which the app reports; that is the last row.
 */
import { join } from "node:path";
import { launchTablet, ms, printTable, recordLongTasks } from "./lib.mjs";

const FILE = "osm/helsinki_centre_highways_lamps.geojson";

async function analyse(page, mode) {
  if (mode === "illuminance") await page.getByText("Belysningsstyrka (lux, EN 13201-2)").click();
  await page.waitForTimeout(300);
  await page.evaluate(() => {
    window.__longTasks = [];
  });
  const started = await page.evaluate(() => performance.now());
  await page.getByRole("button", { name: "Analysera", exact: true }).click();
  await page.getByRole("button", { name: "Analyserar …" }).waitFor({ state: "detached" });
  await page.getByTestId("lighting-summary").waitFor();
  const shown = await page.evaluate(() => performance.now());
  await page.waitForTimeout(1500);
  const tasks = await page.evaluate(() => window.__longTasks);
  const text = await page.getByTestId("lighting-summary").locator("p").last().textContent();
  return {
    mode,
    wallMs: shown - started,
    longTasks: tasks.length,
    longestMs: tasks.reduce((max, task) => Math.max(max, task.duration), 0),
    computed: text?.match(/Beräknat på ([\d\s]+) ms/)?.[1]?.replace(/\s/g, "") ?? "?",
  };
}

export async function benchLightingUi({ root, url }) {
  const path = join(root, "..", "shared", "data", FILE);
  const { context, close } = await launchTablet();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await recordLongTasks(page);
    await page.goto(url);
    await page.getByRole("button", { name: "Kom igång" }).click();
    await page.getByLabel("Projektets namn").fill("Helsingfors");
    await page.getByRole("button", { name: "Skapa projekt" }).click();
    await page.getByTestId("layer-input").setInputFiles(path);
    await page.getByRole("button", { name: /^Importera \d+ objekt$/ }).click();
    await page.getByText(/Gatubelysning \(lampor\) · 586 objekt/).waitFor({ timeout: 60_000 });
    await page.getByRole("link", { name: "Analysera belysningen" }).click();
    await page.getByTestId("lighting-map").waitFor();
    const rows = [];
    for (const mode of ["coverage", "illuminance"]) rows.push(await analyse(page, mode));
    printTable(
      "9. Lighting analysis in the app: Helsinki centre, tap Analysera -> summary on screen",
      ["mode", "tap -> summary", "in worker", "long tasks", "longest task"],
      [
        ...rows.map((row) => [
          row.mode,
          ms(row.wallMs),
          `${row.computed} ms`,
          String(row.longTasks),
          ms(row.longestMs),
        ]),
        ...rows.map((row) => [
          `alternative: ${row.mode} computed on the main thread`,
          "-",
          "-",
          "at least 1",
          `>= ${row.computed} ms`,
        ]),
      ],
    );
    return { rows };
  } finally {
    await close();
  }
}
