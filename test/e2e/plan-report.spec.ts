/**
 * Issue 6, "Outputs", end to end: Helsinki's paths and lamps, two walks with reports (a broken
 * lamp with a photo, a dark stretch, brush, graffiti), the plan computed and the budget slider
 * moved, then both printable reports printed to PDF by headless Chromium, the way "Save as
 * PDF" does. Each PDF is turned into PNG pages (pdftoppm): the page count is checked against
 * pdfinfo and the PNG files, and no page may be blank. The pages are kept in
 * .cache/screenshots/report-*.png to be looked at.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { CONVERT } from "../fixtures/make-photo";
import { collectConsoleErrors, projectWithHelsinki, setNight } from "./helpers";
import { goTo, helsinkiPlaces, newWalk, noSeriousAxeFindings, report } from "./plan-helpers";

const OUT = ".cache/report-pdf";
const SCREENSHOTS = ".cache/screenshots";

/**
 * Print the open report to A4 PDF the way the print dialog does, turn it into PNG pages,
 * check the count and that no page is blank; returns the number of pages.
 */
async function printAndCheck(page: Page, name: string, minPages: number): Promise<number> {
  mkdirSync(OUT, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const pdf = join(OUT, `${name}.pdf`);
  const prefix = join(OUT, name);
  for (const file of readdirSync(OUT)) if (file.startsWith(`${name}-`)) rmSync(join(OUT, file));
  await page.emulateMedia({ media: "print" });
  await page.pdf({ path: pdf, format: "A4", printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: "screen" });

  const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  expect(pages).toBeGreaterThanOrEqual(minPages);
  expect(info).toMatch(/Page size:.*\(A4\)/);

  execFileSync("pdftoppm", ["-r", "60", "-png", pdf, prefix]);
  const pngs = readdirSync(OUT)
    .filter((file) => file.startsWith(`${name}-`) && file.endsWith(".png"))
    .sort();
  expect(pngs.length).toBe(pages);
  for (const file of readdirSync(SCREENSHOTS)) {
    if (file.startsWith(`report-${name}-`)) rmSync(join(SCREENSHOTS, file));
  }
  for (const [index, file] of pngs.entries()) {
    // Share of pixels darker than 90 % grey: ink on the page. A page with only a running
    // header or nothing at all stays far below 0.5 %.
    const ink = Number(
      execFileSync(
        CONVERT,
        [
          join(OUT, file),
          "-colorspace",
          "Gray",
          "-threshold",
          "90%",
          "-format",
          "%[fx:1-mean]",
          "info:",
        ],
        { encoding: "utf8" },
      ),
    );
    expect(ink, `${file}: ink share ${ink}`).toBeGreaterThan(0.005);
    // Black on white: a page printed dark (night mode leaking into print) is mostly ink.
    expect(ink, `${file}: ink share ${ink}`).toBeLessThan(0.35);
    copyFileSync(join(OUT, file), join(SCREENSHOTS, `report-${name}-${index + 1}.png`));
  }
  return pages;
}

test("both reports print to A4 PDF pages that are not blank", async ({ page, context }) => {
  test.setTimeout(300_000);
  const errors = collectConsoleErrors(page);
  const places = await helsinkiPlaces();
  await context.grantPermissions(["geolocation"]);
  await goTo(context, page, places.lamp);
  await projectWithHelsinki(page, "Helsingfors centrum 2027");
  const projectUrl = page.url();

  await newWalk(page, projectUrl, "Kvällsvandring 1");
  await report(context, page, places.lamp, "Trasig belysning", {
    photo: true,
    note: "Lampan vid övergångsstället är släckt.",
  });
  await report(context, page, places.dark, "Mörk sträcka", { note: "Helt mörkt mot parken." });
  await page.getByRole("link", { name: "Om vandringen" }).click();
  await page.getByRole("button", { name: "Öka Kvinnor" }).click();
  await page.getByRole("button", { name: "Öka Kvinnor" }).click();
  await page.getByRole("button", { name: "Öka Äldre" }).click();
  await page.getByRole("button", { name: "Öka Polisen" }).click();
  await expect(page.getByText(/Totalt \d deltagare/)).toBeVisible();
  await newWalk(page, projectUrl, "Kvällsvandring 2");
  await report(context, page, places.lamp, "Trasig belysning");
  await report(context, page, places.brush, "Buskage skymmer sikten");
  await report(context, page, places.brush, "Klotter", { note: "Klotter på elskåpet." });

  // The plan, and a lower budget.
  await page.goto(projectUrl);
  await page.getByTestId("open-plan").click();
  await page.getByTestId("plan-run").click();
  await expect(page.getByTestId("plan-status")).toContainText("Beräknad", { timeout: 90_000 });
  const summary = page.getByTestId("plan-summary");
  await expect(summary).toContainText("Kostnad:");
  const before = await summary.textContent();
  await page.getByTestId("plan-budget").fill("300000");
  await expect(summary).toContainText("av 300 000 kr");
  expect(await summary.textContent()).not.toBe(before);

  // The lighting-strategy basis.
  await page.getByTestId("open-strategy-report").click();
  const strategy = page.getByTestId("strategy-report");
  await expect(strategy).toHaveAttribute("data-ready", "true", { timeout: 90_000 });
  await expect(strategy.getByRole("heading", { level: 1 })).toHaveText(
    "Underlag till belysningsstrategi",
  );
  await expect(strategy.getByTestId("report-plan-facts")).toContainText("300 000 kr");
  await expect(strategy.getByTestId("report-coverage-table").locator("tbody tr")).not.toHaveCount(
    0,
  );
  await expect(strategy.getByTestId("report-gaps-table").locator("tbody tr")).toHaveCount(20);
  await expect(strategy.getByTestId("report-tasks-table")).toContainText("Ta bort klotter");
  await expect(strategy).toContainText("© OpenStreetMap-bidragsgivare");
  await expect(strategy.getByTestId("strategy-report-map").locator("path").first()).toBeVisible();
  await expect(page.getByTestId("report-print")).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/report-screen-strategy.png` });
  await noSeriousAxeFindings(page, "strategy report");
  const strategyPages = await printAndCheck(page, "strategy", 3);

  // The walk protocol of the first walk, opened in night mode: it still prints black on white.
  await page.goBack();
  await setNight(page, true);
  await page.getByTestId("open-walk-report").filter({ hasText: "Kvällsvandring 1" }).click();
  const walk = page.getByTestId("walk-report");
  await expect(walk).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
  await expect(walk.getByRole("heading", { level: 1 })).toHaveText("Trygghetsvandringsprotokoll");
  await expect(walk.getByTestId("report-observation")).toHaveCount(2);
  await expect(walk).toContainText("Kvinnor 2, Äldre 1");
  await expect(walk).toContainText("Trasig belysning");
  await expect(walk).toContainText("Gatuavdelningen");
  await expect(walk.locator(".report-photos img")).toHaveCount(1);
  expect(
    await walk
      .locator(".report-photos img")
      .evaluate((image: HTMLImageElement) => image.naturalWidth),
  ).toBeGreaterThan(0);
  await page.screenshot({ path: `${SCREENSHOTS}/report-screen-walk-night.png`, fullPage: true });
  await noSeriousAxeFindings(page, "walk protocol, night");
  const walkPages = await printAndCheck(page, "walk", 1);

  console.log(`strategy report: ${strategyPages} pages; walk protocol: ${walkPages} pages`);
  expect(errors).toEqual([]);
});
