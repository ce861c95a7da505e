/**
 * Nothing the app confirmed is lost when the browser is killed. Saves go out as fast as the
 * buttons allow; the app announces each durable write with the window event "lykta:saved";
 * Chromium is killed with SIGKILL while saves are still in flight; after a restart on the
 * same profile every confirmed observation is there.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import {
  killChromium,
  killGroup,
  liveObservations,
  type RunningChromium,
  startChromium,
  stopChromium,
  walkIdFromUrl,
} from "./field-helpers";
import { createProjectAndWalk } from "./helpers";

const CATEGORY = "Trasig belysning";
/** Observations saved one at a time through the UI before the burst. */
const CALM_SAVES = 3;
/** Saves pressed in the burst, as fast as the UI allows, none awaited. */
const BURST_SAVES = 40;
/** Kill -9 the browser the moment this many burst saves are confirmed. */
const KILL_AFTER_CONFIRMED = 20;

/** One observation the ordinary way: Lägg till här, a category, Spara, the form closes. */
async function saveThroughUi(page: Page) {
  await page.getByRole("button", { name: "Lägg till här" }).click();
  await page.getByText(CATEGORY, { exact: true }).click();
  await page.getByRole("button", { name: "Spara", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeHidden();
}

/**
 * In the page: press the same buttons as fast as the UI lets us, without waiting for the
 * writes: Lägg till här, the category tile, Spara, then Avbryt at once (the save goes on in
 * the background), and again. Preact renders in microtasks, so up to SAVES_PER_TURN forms
 * are opened, filled and saved within one task, before any write can complete; then the
 * page gets a task's turn. Reports each Spara press to the test. A save that completes
 * closes whatever form is open then, so each step looks at the page afresh.
 */
function startBurst(page: Page, category: string, total: number) {
  return page.evaluate(
    ([categoryText, totalSaves]) => {
      const SAVES_PER_TURN = 8;
      const report = (window as unknown as { lyktaReport(kind: string, id?: string): void })
        .lyktaReport;
      // A task's turn (IndexedDB callbacks, rendering) without timer clamping.
      const channel = new MessageChannel();
      const waiting: Array<() => void> = [];
      channel.port1.onmessage = () => waiting.shift()?.();
      const task = () =>
        new Promise<void>((resolve) => {
          waiting.push(resolve);
          channel.port2.postMessage(null);
        });
      const button = (root: ParentNode | null, text: string) =>
        [...(root?.querySelectorAll<HTMLButtonElement>("button") ?? [])].find(
          (candidate) => candidate.textContent?.trim().endsWith(text) && !candidate.disabled,
        );
      const saved = new WeakSet<Element>();
      void (async () => {
        let pressedThisTurn = 0;
        let pressedTotal = 0;
        let idleSteps = 0;
        while (pressedTotal < totalSaves) {
          let acted = true;
          const sheet = document.querySelector("aside.sheet form");
          if (!sheet) {
            const add = button(document.querySelector("nav.actionbar"), "Lägg till här");
            if (add) add.click();
            else acted = false;
          } else if (saved.has(sheet)) {
            const cancel = button(sheet, "Avbryt");
            if (cancel) cancel.click();
            else acted = false;
          } else {
            const tile = [...sheet.querySelectorAll("label.tile")].find(
              (label) => label.textContent?.trim() === categoryText,
            );
            const save = button(sheet, "Spara");
            if (tile && !tile.classList.contains("tile-selected")) {
              tile.querySelector("input")?.click();
            } else if (tile && save) {
              // The form shows the choice, so its state has it: Spara starts the write now.
              report("pressed"); // before the click: a confirmation can never precede it
              save.click();
              saved.add(sheet);
              pressedThisTurn += 1;
              pressedTotal += 1;
              button(sheet, "Avbryt")?.click();
            } else {
              acted = false;
            }
          }
          idleSteps = acted ? 0 : idleSteps + 1;
          if (pressedThisTurn >= SAVES_PER_TURN || idleSteps > 20) {
            pressedThisTurn = 0;
            idleSteps = 0;
            await task();
          } else {
            await Promise.resolve(); // let Preact render (microtasks)
          }
        }
      })();
    },
    [category, total] as const,
  );
}

test("every confirmed observation survives kill -9 of the browser mid-burst", async ({
  baseURL,
}) => {
  test.setTimeout(180_000);
  const profile = mkdtempSync(join(tmpdir(), "lykta-crash-"));
  let running: RunningChromium | undefined;
  try {
    running = await startChromium(profile);
    const page = running.context.pages()[0] ?? (await running.context.newPage());
    await page.setViewportSize({ width: 1180, height: 820 });

    // What the test knows, as the page reports it. The kill happens inside the report of
    // the confirmation that reaches KILL_AFTER_CONFIRMED, with no await in between.
    const confirmed = new Set<string>();
    let pressed = 0;
    let killed = false;
    let confirmedAtKill = new Set<string>();
    let pressedAtKill = 0;
    const browserProcess = running.process;
    await page.exposeFunction("lyktaReport", (kind: string, id?: string) => {
      if (killed) return; // anything arriving after the kill cannot be counted as known
      if (kind === "saved" && id) confirmed.add(id);
      if (kind === "pressed") pressed += 1;
      if (confirmed.size - CALM_SAVES >= KILL_AFTER_CONFIRMED) {
        killed = true;
        confirmedAtKill = new Set(confirmed);
        pressedAtKill = pressed;
        killGroup(browserProcess);
      }
    });
    await page.addInitScript(() => {
      addEventListener("lykta:saved", (event) => {
        const { id } = (event as CustomEvent<{ id: string }>).detail;
        (window as unknown as { lyktaReport(kind: string, id?: string): void }).lyktaReport(
          "saved",
          id,
        );
      });
    });

    await createProjectAndWalk(page, undefined, baseURL!);
    const walkId = walkIdFromUrl(page);
    for (let index = 0; index < CALM_SAVES; index += 1) await saveThroughUi(page);
    await expect.poll(() => confirmed.size).toBe(CALM_SAVES);

    // The burst runs in the list view (the same buttons; the map is not redrawn meanwhile).
    await page.getByRole("link", { name: "Lista" }).click();
    await expect(
      page.getByRole("heading", { name: `Observationer (${CALM_SAVES})` }),
    ).toBeVisible();
    await startBurst(page, CATEGORY, BURST_SAVES);
    await expect
      .poll(() => killed, {
        timeout: 120_000,
        message: `burst saves confirmed: ${KILL_AFTER_CONFIRMED} needed to kill`,
      })
      .toBe(true);
    await killChromium(running);
    running = undefined;

    const burstConfirmed = confirmedAtKill.size - CALM_SAVES;
    const inFlight = pressedAtKill - burstConfirmed;
    console.log(
      `crash: ${confirmedAtKill.size} confirmed (${CALM_SAVES} calm + ${burstConfirmed} burst), ` +
        `${pressedAtKill} burst saves pressed, ${inFlight} in flight at kill -9`,
    );

    // Same profile, fresh browser.
    running = await startChromium(profile);
    const after = running.context.pages()[0] ?? (await running.context.newPage());
    await after.setViewportSize({ width: 1180, height: 820 });
    await after.goto(new URL(`#/walk/${encodeURIComponent(walkId)}/list`, baseURL).href);
    const stored = await liveObservations(after);
    const storedIds = new Set(stored.map((record) => record.id));
    const missing = [...confirmedAtKill].filter((id) => !storedIds.has(id));
    console.log(
      `after restart: ${stored.length} observations stored, ` +
        `${stored.length - confirmedAtKill.size} of the ${inFlight} in flight made it to disk too`,
    );
    expect(missing).toEqual([]);
    // And the test only means something if saves were under way when the browser died.
    expect(inFlight).toBeGreaterThan(0);
    expect(stored.every((record) => record.walkId === walkId)).toBe(true);
    // The list shows them all.
    await expect(
      after.getByRole("heading", { name: `Observationer (${stored.length})` }),
    ).toBeVisible();
    await expect(after.getByRole("button", { name: new RegExp(CATEGORY) })).toHaveCount(
      stored.length,
    );
  } finally {
    if (running) await stopChromium(running);
    rmSync(profile, { recursive: true, force: true });
  }
});
