/**
 * Comments (issue 8): what a partner (the police, a housing company) or a planner writes about
 * a record, an observation or a follow-up, for the shared situation picture. A record of its
 * own, so it syncs and merges like every record and never changes the record it is about.
 */
import { newId } from "./ids";
import { createRecord, type EditContext, type SyncedRecord } from "./record";

export interface CommentFields {
  /** Id of the record commented on. "" only in a tombstone. */
  targetId: string;
  /** The comment, as typed. "" only in a tombstone. */
  body: string;
}

export type CommentRecord = SyncedRecord<CommentFields>;

/** What a tombstone keeps: nothing. */
export const EMPTY_COMMENT_FIELDS: CommentFields = Object.freeze({ targetId: "", body: "" });

export function createComment(
  projectId: string,
  fields: CommentFields,
  ctx: EditContext,
  id: string = newId(),
): CommentRecord {
  return createRecord({ id, kind: "comment", projectId, fields }, ctx);
}
