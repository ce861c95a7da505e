/** Helpers for the field tests (photos, crash, full disk): reading what the app stored. */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, expect, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../playwright.config";
import { type StoredRecord, storedRecords } from "./helpers";

export interface StoredBlob {
  key: string;
  type: string;
  base64: string;
}

/** Every photo blob in IndexedDB "lykta" / "photoBlobs", bytes as base64. */
export async function readPhotoBlobs(page: Page): Promise<StoredBlob[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open("lykta");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const { keys, values } = await new Promise<{ keys: IDBValidKey[]; values: Blob[] }>(
        (resolve, reject) => {
          const store = db.transaction("photoBlobs", "readonly").objectStore("photoBlobs");
          const keysRequest = store.getAllKeys();
          const valuesRequest = store.getAll();
          valuesRequest.onsuccess = () =>
            resolve({ keys: keysRequest.result, values: valuesRequest.result as Blob[] });
          valuesRequest.onerror = () => reject(valuesRequest.error);
        },
      );
      const result: { key: string; type: string; base64: string }[] = [];
      for (let index = 0; index < keys.length; index += 1) {
        const blob = values[index] as Blob;
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let binary = "";
        for (let offset = 0; offset < bytes.length; offset += 0x8000) {
          binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
        }
        result.push({ key: String(keys[index]), type: blob.type, base64: btoa(binary) });
      }
      return result;
    } finally {
      db.close();
    }
  });
}

/** Every record in IndexedDB "lykta" / "records", of every kind. */
export async function readRecords(page: Page): Promise<StoredRecord[]> {
  return storedRecords(page);
}

export async function liveObservations(page: Page): Promise<StoredRecord[]> {
  return (await readRecords(page)).filter(
    (record) => record.kind === "observation" && !record.deleted,
  );
}

/** The walk id from the URL (#/walk/<id>[/view]). */
export function walkIdFromUrl(page: Page): string {
  const match = /#\/walk\/([^/]+)/.exec(page.url());
  if (!match) throw new Error(`not on a walk: ${page.url()}`);
  return decodeURIComponent(match[1] ?? "");
}

/** Open the form with "Lägg till här" and choose a category; the form stays open. */
export async function startObservation(page: Page, category: string) {
  await page.getByRole("button", { name: "Lägg till här" }).tap();
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeVisible();
  await page.getByText(category, { exact: true }).tap();
}

// ---- a Chromium we start ourselves (so we can kill -9 it) ---------------------------------
// Playwright gives no process handle for a persistent profile, so start Chromium with a
// profile on disk and attach through the DevTools protocol.

export interface RunningChromium {
  process: ChildProcess;
  browser: Browser;
  /** The default (persistent, on-disk) context of the profile. */
  context: BrowserContext;
  exited: Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startChromium(userDataDir: string): Promise<RunningChromium> {
  const portFile = join(userDataDir, "DevToolsActivePort");
  rmSync(portFile, { force: true }); // a killed run leaves a stale one behind
  const child = spawn(
    CHROMIUM_PATH,
    [
      ...CHROMIUM_ARGS,
      "--headless=new",
      "--remote-debugging-port=0",
      `--user-data-dir=${userDataDir}`,
      "--window-size=1180,820",
      "--lang=sv-SE",
      "--no-default-browser-check",
      "--hide-crash-restore-bubble",
      "about:blank",
    ],
    {
      detached: true, // its own process group: kill(-pid) reaches every Chromium process
      stdio: "ignore",
      env: { ...process.env, TZ: "Europe/Stockholm", LANG: "sv_SE.UTF-8" },
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let port = 0;
  for (let attempt = 0; attempt < 300 && !port; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`Chromium exited (${child.exitCode})`);
    // The file is rewritten on each start; a stale one from a killed run has a dead port.
    if (existsSync(portFile)) {
      const [line] = readFileSync(portFile, "utf8").split("\n");
      const candidate = Number(line);
      if (candidate > 0) {
        try {
          const response = await fetch(`http://127.0.0.1:${candidate}/json/version`);
          if (response.ok) port = candidate;
        } catch {
          // Not listening (yet, or a stale file).
        }
      }
    }
    if (!port) await sleep(100);
  }
  if (!port) {
    killGroup(child);
    throw new Error("Chromium did not open its DevTools port");
  }
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  const [context] = browser.contexts();
  if (!context) throw new Error("Chromium has no default context");
  return { process: child, browser, context, exited };
}

/** SIGKILL every process of the group, at once (synchronously). */
export function killGroup(child: ChildProcess) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** True while any process of the group is alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** kill -9 the whole Chromium process group and wait until every process is gone. */
export async function killChromium(running: RunningChromium): Promise<void> {
  killGroup(running.process);
  await running.exited;
  const pid = running.process.pid;
  for (let attempt = 0; pid !== undefined && groupAlive(pid) && attempt < 100; attempt += 1) {
    await sleep(50);
  }
  if (pid !== undefined && groupAlive(pid)) throw new Error("Chromium processes survived kill -9");
}

/** A normal end: close the connection, then make sure nothing is left running. */
export async function stopChromium(running: RunningChromium): Promise<void> {
  await running.browser.close().catch(() => undefined);
  await killChromium(running).catch(() => undefined);
}
