/** Storage use and persistence (navigator.storage), feature-detected. */
import { t } from "./i18n";
import { notify } from "./session";
import { storageInfo } from "./store";

export async function refreshStorageInfo(): Promise<void> {
  const storage = typeof navigator !== "undefined" ? navigator.storage : undefined;
  if (!storage) {
    storageInfo.value = {
      usedBytes: null,
      quotaBytes: null,
      persisted: null,
      persistSupported: false,
    };
    return;
  }
  const estimate =
    typeof storage.estimate === "function" ? await storage.estimate().catch(() => null) : null;
  const persisted =
    typeof storage.persisted === "function" ? await storage.persisted().catch(() => null) : null;
  storageInfo.value = {
    usedBytes: estimate?.usage ?? null,
    quotaBytes: estimate?.quota ?? null,
    persisted,
    persistSupported: typeof storage.persist === "function",
  };
}

/** Ask the browser not to clear Lykta's data under storage pressure. */
export async function requestPersistence(quiet = false): Promise<boolean> {
  const storage = typeof navigator !== "undefined" ? navigator.storage : undefined;
  if (!storage || typeof storage.persist !== "function") {
    if (!quiet) notify(t("storagePersistUnsupported"), "error");
    return false;
  }
  const granted = await storage.persist().catch(() => false);
  await refreshStorageInfo();
  if (!quiet)
    notify(
      granted ? t("storagePersisted") : t("storagePersistDenied"),
      granted ? "success" : "error",
    );
  return granted;
}
