/** Steps shared by the budget-plan end-to-end tests (plan.spec.ts, plan-report.spec.ts). */
import { readFile } from "node:fs/promises";
import { type BrowserContext, expect, type Page } from "@playwright/test";
import { seriousViolations } from "./axe-helpers";
import { HELSINKI, smallJpeg } from "./helpers";

export type Position = [number, number];

/** A street lamp of the Helsinki data, and a footway vertex more than 60 m from every lamp. */
export async function helsinkiPlaces(): Promise<{
  lamp: Position;
  dark: Position;
  brush: Position;
}> {
  const data = JSON.parse(await readFile(HELSINKI, "utf8")) as {
    features: {
      geometry: { type: string; coordinates: unknown };
      properties: Record<string, unknown>;
    }[];
  };
  const lamps = data.features
    .filter((feature) => feature.properties.highway === "street_lamp")
    .map((feature) => feature.geometry.coordinates as Position);
  const metres = (a: Position, b: Position) =>
    Math.hypot((a[0] - b[0]) * 55_600, (a[1] - b[1]) * 111_200);
  const lamp = lamps[100]!;
  for (const feature of data.features) {
    if (feature.properties.highway !== "footway" || feature.geometry.type !== "LineString")
      continue;
    for (const vertex of feature.geometry.coordinates as Position[]) {
      if (metres(vertex, lamp) < 300 && lamps.every((other) => metres(vertex, other) > 60)) {
        return { lamp, dark: vertex, brush: [lamp[0] + 0.0006, lamp[1] + 0.0003] };
      }
    }
  }
  throw new Error("no dark footway vertex near the lamp");
}

export async function goTo(context: BrowserContext, page: Page, [longitude, latitude]: Position) {
  await context.setGeolocation({ longitude, latitude, accuracy: 5 });
  // The app follows the position through watchPosition: give it a moment to arrive.
  await page.waitForTimeout(600);
}

/** Stand at `at` and report `category` there, with a note or a photo if asked. */
export async function report(
  context: BrowserContext,
  page: Page,
  at: Position,
  category: string,
  extra: { note?: string; photo?: boolean } = {},
) {
  await goTo(context, page, at);
  await page.getByRole("button", { name: "Lägg till här" }).tap();
  await page.getByText(category, { exact: true }).tap();
  if (extra.photo) {
    await page.getByTestId("photo-input").setInputFiles({
      name: "lampa.jpg",
      mimeType: "image/jpeg",
      buffer: await smallJpeg(page),
    });
    await expect(page.getByRole("button", { name: "Visa foto 1 i full storlek" })).toBeVisible();
  }
  if (extra.note) await page.getByLabel("Anteckning").fill(extra.note);
  await page.getByRole("button", { name: "Spara", exact: true }).tap();
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeHidden();
}

export async function newWalk(page: Page, projectUrl: string, name: string) {
  await page.goto(projectUrl);
  await page.getByLabel("Namn på vandringen").fill(name);
  await page.getByLabel("Område", { exact: true }).fill("Helsingfors centrum");
  await page.getByRole("button", { name: "Skapa vandring" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("map")).toHaveAttribute("data-ready", "true");
}

export async function noSeriousAxeFindings(page: Page, label: string) {
  expect(await seriousViolations(page, label)).toEqual([]);
}
