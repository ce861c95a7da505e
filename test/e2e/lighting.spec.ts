/**
 * Issue 5 end to end: Helsinki's paths and lamps imported through the UI, the lighting
 * analysis run in the app (in a Web Worker), coloured paths on the map and the summary.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { collectConsoleErrors, countColours, projectWithHelsinki, setNight } from "./helpers";

test("the lighting analysis of Helsinki's centre runs in a worker and colours the paths", async ({
  page,
}) => {
  const errors = collectConsoleErrors(page);
  const workers: string[] = [];
  page.on("worker", (worker) => workers.push(worker.url()));
  await projectWithHelsinki(page, "Helsingfors belysning");

  await page.getByRole("link", { name: "Analysera belysningen" }).click();
  await page.getByLabel("Räckvidd per lampa (meter)").fill("20");
  await page.getByRole("button", { name: "Analysera", exact: true }).click();
  const summary = page.getByTestId("lighting-summary");
  await expect(summary).toContainText(
    /Gångnät [\d\s,]+ km, varav [\d\s,]+ km \(\d+ %\) upplyst av lampa/,
  );
  await expect(summary).toContainText("586 lampor");
  await expect(summary).toContainText("Räckvidd 20 m för alla lampor.");
  // The analysis ran in the lighting worker, not on the page's main thread.
  expect(workers.some((url) => /lighting\.worker/.test(url))).toBe(true);
  // A row per path class, and the dark gaps ranked.
  await expect(page.getByTestId("lighting-class-table").locator("tbody tr")).not.toHaveCount(0);
  const gaps = page.getByTestId("lighting-gaps");
  await expect(gaps.getByRole("heading", { level: 2 })).toHaveText(/Mörka luckor \(\d+\)/);

  // Coloured paths on the map: lit (amber) and out of reach (grey or purple).
  const map = page.getByTestId("lighting-map");
  await expect(map).toHaveAttribute("data-ready", "true");
  await page.waitForTimeout(1000);
  await setNight(page, false);
  const shot = await map.screenshot();
  const [lit, unknown, dark, tagged] = await countColours(page, shot, [
    [0xf2, 0xb7, 0x05],
    [0x8a, 0x8a, 0x8a],
    [0x7a, 0x1f, 0xa2],
    [0x8f, 0xb8, 0xde],
  ]);
  expect(lit).toBeGreaterThan(1500);
  const unlit = unknown! + dark! + tagged!;
  expect(unlit).toBeGreaterThan(500);
  await page.screenshot({ path: ".cache/screenshots/lighting-day.png", fullPage: true });

  // Tapping a gap shows it on the map and says why it is dark.
  await gaps.locator(".gap-row button").first().click();
  await expect(gaps.getByRole("heading", { name: "Varför mörkt?" })).toBeVisible();
  await expect(gaps.locator(".gap-reasons li").first()).toContainText(/lampa/);

  // Illuminance against EN 13201-2.
  await page.getByText("Belysningsstyrka (lux, EN 13201-2)").click();
  await page.getByRole("button", { name: "Analysera", exact: true }).click();
  await expect(page.getByTestId("lighting-class-table").locator("thead")).toContainText(
    "Uppfyller klassen",
  );
  // No serious accessibility findings on the results, by day and by night (WCAG 2.1 AA).
  for (const night of [false, true]) {
    await setNight(page, night);
    const axe = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const serious = axe.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map(
        (violation) => `${night ? "night" : "day"}: ${violation.id} ${violation.nodes[0]?.target}`,
      );
    expect(serious).toEqual([]);
  }
  await page.waitForTimeout(800);
  await page.screenshot({ path: ".cache/screenshots/lighting-night.png", fullPage: true });
  expect(errors).toEqual([]);
});
