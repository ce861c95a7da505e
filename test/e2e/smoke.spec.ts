import { expect, test } from "@playwright/test";
import { addHere, collectConsoleErrors, createProjectAndWalk, grantGps } from "./helpers";

test("a newcomer creates a walk and records a point in three taps", async ({ page, context }) => {
  const errors = collectConsoleErrors(page);
  await grantGps(context);
  await createProjectAndWalk(page);
  await expect(page.getByTestId("gps-chip")).toContainText("± 6 m");
  await addHere(page, "Trasig belysning");
  await page.getByRole("link", { name: "Lista" }).click();
  await expect(page.getByRole("button", { name: /Trasig belysning/ })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("button", { name: /Trasig belysning/ })).toBeVisible();
  expect(errors).toEqual([]);
});
