import { expect, test } from "@playwright/test";
import {
  addHere,
  collectConsoleErrors,
  createProjectAndWalk,
  grantGps,
  installedForOffline,
} from "./helpers";

test("offline: the app opens with all its data and recording still works", async ({
  page,
  context,
}) => {
  const errors = collectConsoleErrors(page);
  await grantGps(context);
  await createProjectAndWalk(page);
  await addHere(page, "Mörk tunnel eller viadukt");
  await addHere(page, "Gömställe");
  // Once the service worker controls the page, the whole app shell is cached.
  await installedForOffline(page);
  const walkUrl = page.url();

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("map")).toHaveAttribute("data-ready", "true");
  // MapLibre's worker came from the precache: the map draws the observations.
  await addHere(page, "Klotter");
  await page.getByRole("link", { name: "Lista" }).click();
  await expect(page.locator(".observation-list li")).toHaveCount(3);

  // A cold start offline, straight to the walk's address.
  const second = await context.newPage();
  await second.goto(walkUrl);
  await expect(second.getByTestId("map")).toHaveAttribute("data-ready", "true");
  await second.getByRole("link", { name: "Lista" }).click();
  await expect(second.locator(".observation-list li")).toHaveCount(3);
  // Really offline: anything not in the precache fails. (navigator.onLine is not a reliable
  // signal here: Chromium's emulation reports true in a page its service worker served.)
  const probe = await second.evaluate(() =>
    fetch(`/not-cached?${Math.random()}`).then(
      () => "reached the server",
      () => "network error",
    ),
  );
  expect(probe).toBe("network error");
  await context.setOffline(false);
  expect(errors).toEqual([]);
});
