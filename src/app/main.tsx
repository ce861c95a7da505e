/**
 * Entry point: open storage, recover interrupted recordings, load projects, follow the
 * URL, and register the service worker (updates wait for the user).
 */

import { registerSW } from "virtual:pwa-register";
import { render } from "preact";
import { newId } from "../domain/ids";
import {
  collectUnusedPhotos,
  followOtherTabs,
  loadProjects,
  loadWalks,
  openWalk,
} from "../state/actions";
import { loadConflicts } from "../state/conflicts";
import { recoverRecordings, startGps } from "../state/gps";
import { t } from "../state/i18n";
import { followHash } from "../state/router";
import { notify, setSession } from "../state/session";
import { refreshStorageInfo, requestPersistence } from "../state/storage-info";
import { boot, online, route, updateReady, walkRecords } from "../state/store";
import { loadSyncConnections } from "../state/sync";
import { LyktaDatabase } from "../storage/database";
import { StorageError } from "../storage/errors";
import { App } from "../ui/App";
import "../../styles/app.css";
import "../../styles/print.css";

// DO NOT RENAME: existing tablets hold their device id under this meta key.
const META_DEVICE_ID = "deviceId";

// A walk's map is the slowest part to start: fetch its code at once, beside opening storage.
if (location.hash.startsWith("#/walk/")) void import("../map/map-view");

async function start() {
  let db: LyktaDatabase;
  try {
    db = await LyktaDatabase.open({
      onVersionChange: () =>
        notify(t("errorDatabaseClosed"), "error", {
          label: t("reload"),
          run: () => location.reload(),
        }),
      onBlocked: () => notify(t("errorDatabaseBlocked"), "error"),
      onTerminated: () =>
        notify(t("errorDatabaseClosed"), "error", {
          label: t("reload"),
          run: () => location.reload(),
        }),
    });
  } catch (error) {
    const unavailable = error instanceof StorageError && error.kind === "unavailable";
    boot.value = {
      state: "failed",
      messageKey: unavailable ? "errorStorageUnavailable" : "errorSaveFailed",
      detail: error instanceof Error ? error.message : String(error),
    };
    return;
  }
  let deviceId = await db.getMeta<string>(META_DEVICE_ID);
  if (!deviceId) {
    deviceId = newId();
    await db.setMeta(META_DEVICE_ID, deviceId);
  }
  setSession(db, deviceId);
  performance.mark("lykta:db-open");
  await recoverRecordings();
  await loadProjects();
  followOtherTabs();
  await loadSyncConnections();
  followHash((next) => {
    if (
      next.screen === "project" ||
      next.screen === "sites" ||
      next.screen === "lighting" ||
      next.screen === "plan" ||
      next.screen === "strategyReport" ||
      next.screen === "walkReport"
    ) {
      void loadWalks(next.projectId);
    }
    if (next.screen === "project") void loadConflicts(next.projectId);
    if (next.screen === "walk") {
      if (!walkRecords.value.has(next.walkId)) {
        void openWalk(next.walkId).then(() => startGps());
      }
    } else {
      walkRecords.value = new Map();
    }
  });
  boot.value = { state: "ready" };
  performance.mark("lykta:ready");
  void refreshStorageInfo();
  // Ask once, quietly: Chromium grants it to installed or engaged sites; Safari to home-screen apps.
  void requestPersistence(true);
  // Housekeeping reads every observation: wait until the first screen has settled.
  setTimeout(() => void collectUnusedPhotos().catch(() => undefined), 15_000);
}

addEventListener("online", () => (online.value = true));
addEventListener("offline", () => (online.value = false));

render(<App />, document.getElementById("app")!);
void start();

if ("serviceWorker" in navigator && import.meta.env.PROD) {
  const update = registerSW({
    immediate: true,
    onNeedRefresh() {
      // Never reload mid-walk: offer the update and let the user choose when.
      updateReady.value = () => void update(true);
    },
    onOfflineReady() {
      if (route.value.screen !== "walk") notify(t("offlineReady"), "success");
    },
  });
}
