/**
 * The open database and this device's edit context, plus user notices. Set once at boot.
 */
import { randomNonce } from "../domain/ids";
import type { EditContext } from "../domain/record";
import type { LyktaDatabase } from "../storage/database";
import { StorageError } from "../storage/errors";
import { t } from "./i18n";
import { type Notice, notices } from "./store";

let database: LyktaDatabase | undefined;
let context: EditContext | undefined;

export function setSession(db: LyktaDatabase, deviceId: string): void {
  database = db;
  context = { deviceId, now: () => Date.now(), nonce: randomNonce };
}

export function db(): LyktaDatabase {
  if (!database) throw new Error("db(): the database is not open yet");
  return database;
}

export function ctx(): EditContext {
  if (!context) throw new Error("ctx(): the session is not set up yet");
  return context;
}

let noticeCounter = 0;

export function notify(
  text: string,
  kind: Notice["kind"] = "info",
  action?: Notice["action"],
  /** Stays until dismissed; errors always do. */
  sticky = kind === "error",
): number {
  noticeCounter += 1;
  const notice: Notice = { id: noticeCounter, kind, text, sticky, action };
  notices.value = [...notices.value.slice(-3), notice];
  if (!notice.sticky) {
    setTimeout(() => dismiss(notice.id), 4000);
  }
  return notice.id;
}

export function dismiss(id: number): void {
  notices.value = notices.value.filter((notice) => notice.id !== id);
}

/** Say what went wrong with a write, and that what was saved before is still there. */
export function reportStorageError(error: unknown): void {
  if (error instanceof StorageError) {
    if (error.kind === "quota") notify(t("errorQuota"), "error");
    else if (error.kind === "closed")
      notify(t("errorDatabaseClosed"), "error", {
        label: t("reload"),
        run: () => location.reload(),
      });
    else notify(t("errorSaveFailed", { detail: error.message }), "error");
  } else {
    notify(
      t("errorSaveFailed", { detail: error instanceof Error ? error.message : String(error) }),
      "error",
    );
  }
  console.warn("Lykta storage error", error);
}
