import { type BrowserContext, expect, test } from "@playwright/test";
import {
  collectConsoleErrors,
  createProjectAndWalk,
  grantGps,
  storedRecords,
  WALK_PLACE,
} from "./helpers";

/** Metres to degrees near Västerås. */
const M_LAT = 1 / 111_320;
const M_LON = 1 / (111_320 * Math.cos((WALK_PLACE.latitude * Math.PI) / 180));

/** Walk east at about 1.4 m/s, one fix a second; fixes timestamp themselves as they come. */
async function walkEast(
  context: BrowserContext,
  fromM: number,
  steps: number,
  page: import("@playwright/test").Page,
  accuracy = 5,
) {
  for (let step = 1; step <= steps; step++) {
    await context.setGeolocation({
      latitude: WALK_PLACE.latitude,
      longitude: WALK_PLACE.longitude + (fromM + step * 1.4) * M_LON,
      accuracy,
    });
    await page.waitForTimeout(1000);
  }
}

test("record the route, drop a jump, then delete the route and its points", async ({
  page,
  context,
}) => {
  const errors = collectConsoleErrors(page);
  await grantGps(context);
  await createProjectAndWalk(page);
  await page.getByRole("button", { name: "Spela in rutten" }).tap();
  await expect(page.getByText(/Spelar in rutten/)).toBeVisible();
  // The screen is kept awake where the browser allows it, and the app says which.
  await expect(page.getByText(/Skärmen hålls tänd|kan inte hålla skärmen tänd/)).toBeVisible();
  await walkEast(context, 0, 6, page);
  // A 400 m jump in one second (a bad fix): dropped.
  await context.setGeolocation({
    latitude: WALK_PLACE.latitude + 400 * M_LAT,
    longitude: WALK_PLACE.longitude,
    accuracy: 5,
  });
  await page.waitForTimeout(1000);
  // A fix with 80 m accuracy: dropped.
  await context.setGeolocation({
    latitude: WALK_PLACE.latitude,
    longitude: WALK_PLACE.longitude + 10 * M_LON,
    accuracy: 80,
  });
  await page.waitForTimeout(1000);
  await walkEast(context, 8.4, 4, page);
  await page.getByRole("button", { name: "Stoppa inspelningen" }).tap();
  await expect(page.getByText(/Rutten är sparad/)).toBeVisible();

  const chunks = await storedRecords(page, "trackChunk");
  const points = chunks.flatMap(
    (chunk) => chunk.fields.points as [number, number, number, number][],
  );
  expect(points.length).toBeGreaterThanOrEqual(9);
  expect(points.every((point) => Math.abs(point[1] - WALK_PLACE.latitude) < 20 * M_LAT)).toBe(true);
  expect(points.every((point) => point[2] <= 30)).toBe(true);

  await page.getByRole("link", { name: "Om vandringen" }).click();
  await expect(page.getByText(new RegExp(`Rutt .*, ${points.length} punkter`))).toBeVisible();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Ta bort rutten" }).click();
  await expect(page.getByText("Ingen rutt inspelad.")).toBeVisible();
  const after = await storedRecords(page, "trackChunk");
  expect(after.length).toBe(chunks.length);
  expect(
    after.every((chunk) => chunk.deleted && (chunk.fields.points as unknown[]).length === 0),
  ).toBe(true);
  expect(errors).toEqual([]);
});

test("a line recorded by walking it, without drawing", async ({ page, context }) => {
  await grantGps(context);
  await createProjectAndWalk(page);
  await page.getByRole("link", { name: "Lista" }).click();
  await page.getByRole("button", { name: "Gå en linje" }).tap();
  await expect(page.getByText(/Gå sträckan/)).toBeVisible();
  await walkEast(context, 0, 5, page);
  await page.getByRole("button", { name: "Avsluta linjen" }).tap();
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeVisible();
  await expect(page.getByText(/Linje, \d+ m · Gången med GPS/)).toBeVisible();
  await page.getByText("Mörk sträcka", { exact: true }).tap();
  await page.getByRole("button", { name: "Spara", exact: true }).tap();
  await expect(page.getByRole("button", { name: /Mörk sträcka.*Linje/ })).toBeVisible();
  const [line] = await storedRecords(page, "observation");
  const geometry = line!.fields.geometry as { type: string; coordinates: number[][] };
  expect(geometry.type).toBe("LineString");
  expect(geometry.coordinates.length).toBeGreaterThanOrEqual(4);
});
