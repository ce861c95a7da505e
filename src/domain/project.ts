/** A project: one municipality's walk programme, e.g. "Vivalla 2027". Holds walks. */
import { newId } from "./ids";
import { createRecord, type EditContext, type SyncedRecord } from "./record";
import { type FieldErrors, REASONS, type Validated } from "./validation";

export const PROJECT_NAME_MAX_LENGTH = 120;

export interface ProjectFields {
  name: string;
  /** Municipality or organisation that runs the programme (free text). */
  organisation: string;
}

export type ProjectRecord = SyncedRecord<ProjectFields>;

export const EMPTY_PROJECT_FIELDS: ProjectFields = Object.freeze({ name: "", organisation: "" });

export function validateProject(input: ProjectFields): Validated<ProjectFields> {
  const errors: FieldErrors<ProjectFields> = {};
  const name = input.name.trim();
  if (name === "") errors.name = REASONS.required;
  else if (name.length > PROJECT_NAME_MAX_LENGTH) errors.name = REASONS.tooLong;
  if (input.organisation.trim().length > PROJECT_NAME_MAX_LENGTH) {
    errors.organisation = REASONS.tooLong;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { name, organisation: input.organisation.trim() } };
}

export function createProject(
  fields: ProjectFields,
  ctx: EditContext,
  id: string = newId(),
): ProjectRecord {
  // A project is its own project: projectId === id keeps "every record belongs to a project".
  return createRecord({ id, kind: "project", projectId: id, fields }, ctx);
}
