/**
 * Follow-up of the plan's actions and tasks (issue 6): owner, status, deadline, reason and
 * note of each action, stored as `followUp` records (src/domain/plan/follow-up.ts) that travel
 * in `.lykta` packages and merge field by field. No UI here: the plan screens build on this.
 *
 * Usage (a screen, with `action` a PlanAction of the open project's plan):
 *
 *   import { effectiveFollowUp, followUpSince } from "../domain/plan/follow-up";
 *   import { followUpRecords, followUps, ownerKey, setFollowUp, statusKey } from "../state/follow-up";
 *
 *   // Loaded with the project (loadWalks); elsewhere: await loadFollowUps(projectId).
 *   const shown = effectiveFollowUp(action, followUps.value.get(action.key), Date.now());
 *   t(ownerKey(shown.owner)); t(statusKey(shown.status)); if (shown.overdue) t("followUp.overdue");
 *
 *   const result = await setFollowUp(projectId, action, { status: "rejected", rejectedReason });
 *   if (!result.ok && result.problem) showFieldError(result.problem.field, followUpProblemText(result.problem));
 *   // ok: stored, the signals show it, other tabs and the next package get it.
 *   // not ok without a problem: the write failed and the user was already told.
 *
 *   // The meeting: what changed since the walk (walk end as epoch ms).
 *   const since = followUpSince(followUpRecords.value, walkEndedAtMs);
 */
import { batch, computed, signal } from "@preact/signals";
import {
  changeFollowUp,
  type FollowUpAction,
  type FollowUpPatch,
  type FollowUpProblem,
  type FollowUpRecord,
  followUpId,
  followUpsByActionKey,
} from "../domain/plan/follow-up";
import type { ActionStatus, Owner } from "../domain/plan/types";
import type { SyncedRecord } from "../domain/record";
import { isStringKey, type StringKey } from "../i18n/strings";
import { commit } from "./actions";
import { t } from "./i18n";
import { ctx, db, reportStorageError } from "./session";

/** Live follow-up records of the open project. */
export const followUpRecords = signal<FollowUpRecord[]>([]);
/** The project whose follow-ups are loaded. */
export const followUpsProjectId = signal<string | null>(null);
/** The open project's live follow-ups by action key (PlanAction.key). */
export const followUps = computed<ReadonlyMap<string, FollowUpRecord>>(() =>
  followUpsByActionKey(followUpRecords.value),
);

/** Show a project's follow-ups, as read from storage (tombstones are left out). */
export function setFollowUps(projectId: string, records: readonly FollowUpRecord[]): void {
  batch(() => {
    followUpRecords.value = records.filter((record) => !record.deleted);
    followUpsProjectId.value = projectId;
  });
}

/** Read a project's follow-ups. */
export async function loadFollowUps(projectId: string): Promise<void> {
  setFollowUps(projectId, await db().listProjectKind<FollowUpRecord>(projectId, "followUp"));
}

/** Keep the loaded project's follow-ups in step with records just written or merged. */
export function refreshFollowUpsFor(records: readonly SyncedRecord[]): void {
  const projectId = followUpsProjectId.value;
  if (!projectId) return;
  const incoming = records.filter(
    (record): record is FollowUpRecord =>
      record.kind === "followUp" && record.projectId === projectId,
  );
  if (incoming.length === 0) return;
  const ids = new Set(incoming.map((record) => record.id));
  followUpRecords.value = [
    ...followUpRecords.value.filter((record) => !ids.has(record.id)),
    ...incoming.filter((record) => !record.deleted),
  ];
}

export type SetFollowUpResult =
  | { ok: true; record: FollowUpRecord }
  /** `problem`: the change was refused (show it at its field). null: the write failed, the
   *  user was told, nothing changed. */
  | { ok: false; problem: FollowUpProblem | null };

// One change at a time: two quick changes of a new follow-up must not both create it.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Change an action's follow-up: creates the record the first time (id derived from the project
 * and action key, so another tablet that does the same offline makes the same record), edits
 * it afterwards, brings back a deleted one. Written through `commit`, the path of every local
 * edit: stored, shown, announced to other tabs, carried by the next package.
 */
export function setFollowUp(
  projectId: string,
  action: FollowUpAction,
  patch: FollowUpPatch,
): Promise<SetFollowUpResult> {
  const run = queue.then(() => applyFollowUp(projectId, action, patch));
  queue = run.catch(() => undefined);
  return run;
}

async function applyFollowUp(
  projectId: string,
  action: FollowUpAction,
  patch: FollowUpPatch,
): Promise<SetFollowUpResult> {
  let existing: FollowUpRecord | undefined;
  try {
    // Storage, not the signal: another tab or a loaded package may have changed it since.
    existing = await db().getRecord<FollowUpRecord>(await followUpId(projectId, action.key));
  } catch (error) {
    reportStorageError(error);
    return { ok: false, problem: null };
  }
  const result = await changeFollowUp(existing, projectId, action, patch, ctx());
  if (!result.ok) return result;
  if (result.record === existing) return result;
  return (await commit([result.record])) ? result : { ok: false, problem: null };
}

/** Translation key of an owner's name. */
export function ownerKey(owner: Owner): StringKey {
  return `followUp.owner.${owner}`;
}

/** Translation key of a status's name. */
export function statusKey(status: ActionStatus): StringKey {
  return `followUp.status.${status}`;
}

/** A refused change in the user's language (the English detail when no text exists). */
export function followUpProblemText(problem: FollowUpProblem): string {
  const key = `followUp.problem.${problem.reason}`;
  return isStringKey(key) ? t(key) : problem.detail;
}
