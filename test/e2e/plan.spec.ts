/**
 * Issue 6 end to end: Helsinki's paths and lamps, reports from two walks (a broken lamp, a
 * dark stretch, brush, graffiti), the budget plan computed in the app; the budget slider, a
 * row's cost calculation and benefit terms, follow-up that survives a reload, the 24-hour
 * deadline of graffiti, the follow-up for the next meeting, axe, and screenshots by day and
 * by night.
 */
import { readFile } from "node:fs/promises";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { collectConsoleErrors, projectWithHelsinki, setNight, storedRecords } from "./helpers";
import { goTo, helsinkiPlaces, newWalk, noSeriousAxeFindings, report } from "./plan-helpers";

/** "Kostnad: 1 940 000 kr av 2 000 000 kr" → [1940000, 2000000]. */
async function summaryCost(summary: Locator): Promise<[number, number]> {
  const text = (await summary.textContent()) ?? "";
  const match = /Kostnad: ([\d\s\u00a0\u202f]+) kr av ([\d\s\u00a0\u202f]+) kr/.exec(text);
  if (!match) throw new Error(`no cost in the summary: ${text}`);
  const whole = (value: string) => Number(value.replace(/[\s\u00a0\u202f]/g, ""));
  return [whole(match[1]!), whole(match[2]!)];
}

async function computePlan(page: Page) {
  await page.getByTestId("plan-run").click();
  await expect(page.getByTestId("plan-status")).toContainText("Beräknad", { timeout: 60_000 });
  await expect(page.getByTestId("plan-row").first()).toBeVisible();
}

test("the budget plan: slider, breakdown, follow-up, 24-hour graffiti deadline", async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  const places = await helsinkiPlaces();
  await context.grantPermissions(["geolocation"]);
  await goTo(context, page, places.lamp);
  await projectWithHelsinki(page, "Helsingfors plan");
  const projectUrl = page.url();
  await expect(page.getByTestId("open-plan")).toBeVisible();
  await expect(page.getByTestId("plan-card-missing")).toContainText("rapporter från vandringarna");

  // Two walks: a broken lamp (seen by both), a dark stretch, brush and graffiti.
  await newWalk(page, projectUrl, "Kvällsvandring 1");
  await report(context, page, places.lamp, "Trasig belysning");
  await report(context, page, places.dark, "Mörk sträcka");
  await newWalk(page, projectUrl, "Kvällsvandring 2");
  await report(context, page, places.lamp, "Trasig belysning");
  await report(context, page, places.brush, "Buskage skymmer sikten");
  await report(context, page, places.brush, "Klotter");
  const graffiti = (await storedRecords(page, "observation")).find(
    (record) => record.fields.categoryId === "maintenance.graffiti",
  )!;

  await page.goto(projectUrl);
  await expect(page.getByTestId("plan-card-missing")).toBeHidden();
  await page.getByTestId("open-plan").click();
  await expect(page.getByRole("heading", { name: "Prioritera åtgärder", level: 2 })).toBeVisible();
  await computePlan(page);

  const table = page.getByTestId("plan-table");
  const rows = table.getByTestId("plan-row");
  expect(await rows.count()).toBeGreaterThan(2);
  const summary = page.getByTestId("plan-summary");
  await expect(summary).toContainText("Nästa 100 000 kr ger +");
  await expect(page.getByTestId("plan-method")).toContainText("Metod:");
  const selectedAt = () => table.locator('[data-testid="plan-row"][data-selected="true"]').count();

  // A large budget, then a small one: fewer actions, and the cost stays within the budget.
  const slider = page.getByRole("slider", { name: "Budget (kr)" });
  await slider.fill("2000000");
  await expect(summary).toContainText("av 2 000 000 kr");
  const [highCost] = await summaryCost(summary);
  expect(highCost).toBeLessThanOrEqual(2_000_000);
  const high = await selectedAt();
  expect(high).toBeGreaterThan(1);
  await slider.fill("10000");
  await expect(summary).toContainText("av 10 000 kr");
  const [lowCost, lowBudget] = await summaryCost(summary);
  expect(lowBudget).toBe(10_000);
  expect(lowCost).toBeLessThanOrEqual(10_000);
  const low = await selectedAt();
  expect(low).toBeLessThan(high);
  await expect(page.getByTestId("plan-budget-input")).toHaveValue("10000");
  await page.getByTestId("plan-budget-input").fill("500000");
  await page.getByTestId("plan-budget-input").press("Enter");
  await expect(summary).toContainText("av 500 000 kr");

  // The repair of the broken lamp: its cost calculation and benefit terms, from both walks.
  const repair = table.locator('[data-testid="plan-row"][data-key^="repair_lamp:"]').first();
  const repairKey = (await repair.getAttribute("data-key"))!;
  await repair.getByRole("button").click();
  const detail = table.getByTestId("plan-detail");
  await expect(detail.getByTestId("plan-cost-lines")).toContainText("× 3 500 kr");
  const terms = detail.getByTestId("plan-terms");
  await expect(terms).toContainText("Allvarlighet");
  await expect(terms).toContainText("Fler vandringar");
  await expect(terms.getByTestId("plan-evidence-link").first()).toHaveAttribute(
    "href",
    /#\/walk\/.+\/list/,
  );

  // Follow-up: owner and status, kept after a reload.
  await detail.getByLabel("Ansvarig").selectOption({ label: "Fastighetsägaren" });
  await expect(repair).toContainText("Fastighetsägaren");
  await detail.getByLabel("Status").selectOption({ label: "Pågår" });
  await expect(repair).toContainText("Pågår");
  // Rejecting asks for a reason first.
  await detail.getByLabel("Status").selectOption({ label: "Avvisad" });
  await detail.getByRole("button", { name: "Avvisa med skälet" }).click();
  await expect(detail.getByRole("alert")).toContainText("Skriv ett skäl");
  await detail.getByRole("button", { name: "Avbryt" }).click();
  await expect(repair).toContainText("Pågår");

  // The graffiti task: due 24 hours after its observation.
  const tasks = page.getByTestId("plan-tasks");
  const graffitiRow = tasks.locator('[data-testid="plan-task-row"][data-kind="remove_graffiti"]');
  const due = await page.evaluate(
    (at) =>
      new Intl.DateTimeFormat("sv-SE", {
        timeZone: "Europe/Stockholm",
        dateStyle: "medium",
        timeStyle: "short",
      }).format(new Date(at + 24 * 3600 * 1000)),
    graffiti.fields.observedAt as number,
  );
  await expect(graffitiRow.getByTestId("plan-task-deadline")).toHaveText(due);
  await expect(graffitiRow).toContainText("Gatuavdelningen");
  await graffitiRow.getByRole("button").click();
  await tasks.getByLabel("Status").selectOption({ label: "Klar" });
  await expect(graffitiRow).toContainText("Klar");
  const followUp = page.getByTestId("plan-followup");
  await expect(followUp.getByTestId("plan-followup-since")).toContainText("Ta bort klotter: Klar");
  await expect(followUp.getByTestId("plan-followup-since")).toContainText("Pågår");

  // Cost catalogue: a bad value is refused with where and why; a good one asks for a new run.
  const costs = page.getByTestId("plan-costs");
  const lampCost = costs.getByLabel(/Laga en lampa/);
  await lampCost.fill("-5");
  await lampCost.press("Tab");
  await expect(costs.getByRole("alert")).toContainText('items["repair_lamp.lamp"].unitCostSek');
  await lampCost.fill("4000");
  await lampCost.press("Tab");
  await expect(costs.getByRole("alert")).toHaveCount(0);
  await expect(page.getByTestId("plan-stale")).toBeVisible();
  await costs.getByRole("button", { name: "Återställ" }).click();
  await expect(page.getByTestId("plan-stale")).toBeHidden();
  await expect(page.getByTestId("open-strategy-report")).toHaveAttribute(
    "href",
    /#\/project\/.+\/report\/strategy$/,
  );
  await expect(page.getByTestId("open-walk-report")).toHaveCount(2);

  // The plan on the map.
  await expect(page.getByTestId("plan-map")).toHaveAttribute("data-ready", "true");

  // After a reload, the follow-up is still there.
  await page.reload();
  await computePlan(page);
  const again = page.locator(`[data-testid="plan-row"][data-key="${repairKey}"]`);
  await expect(again).toContainText("Fastighetsägaren");
  await expect(again).toContainText("Pågår");
  await expect(graffitiRow).toContainText("Klar");

  // Downloads: the plan as GeoJSON.
  const download = page.waitForEvent("download");
  await page.getByTestId("plan-download-geojson").click();
  const file = await download;
  const geojson = JSON.parse(await readFile((await file.path())!, "utf8"));
  expect(geojson.features.length).toBeGreaterThan(2);
  expect(geojson.lykta.attribution).toContain("OpenStreetMap");

  // Accessibility and screenshots, with a row open, by day and by night.
  await again.getByRole("button").click();
  await expect(page.getByTestId("plan-map")).toHaveAttribute("data-ready", "true");
  await setNight(page, false);
  await page.waitForTimeout(800);
  await noSeriousAxeFindings(page, "day");
  await page.screenshot({ path: ".cache/screenshots/plan-day.png", fullPage: true });
  await setNight(page, true);
  await page.waitForTimeout(800);
  await noSeriousAxeFindings(page, "night");
  await page.screenshot({ path: ".cache/screenshots/plan-night.png", fullPage: true });
  expect(errors).toEqual([]);
});
