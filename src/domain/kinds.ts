/** Per record kind: the empty field values a tombstone keeps. */
import { EMPTY_COMMENT_FIELDS } from "./comment";
import { EMPTY_LAYER_FIELDS } from "./layers";
import { EMPTY_OBSERVATION_FIELDS } from "./observation";
import { EMPTY_PHOTO_FIELDS } from "./photo";
import { EMPTY_FOLLOW_UP_FIELDS } from "./plan/follow-up";
import { EMPTY_PLAN_SETTINGS_FIELDS } from "./plan/plan-settings";
import { EMPTY_PROJECT_FIELDS } from "./project";
import { EMPTY_PUBLICATION_FIELDS } from "./publication";
import type { RecordKind } from "./record";
import { EMPTY_SITE_LINK_FIELDS } from "./site-link";
import { EMPTY_TRACK_CHUNK_FIELDS, EMPTY_TRACK_FIELDS } from "./track";
import { EMPTY_WALK_FIELDS } from "./walk";

export const EMPTY_FIELDS: Readonly<Record<RecordKind, object>> = {
  project: EMPTY_PROJECT_FIELDS,
  walk: EMPTY_WALK_FIELDS,
  observation: EMPTY_OBSERVATION_FIELDS,
  photo: EMPTY_PHOTO_FIELDS,
  track: EMPTY_TRACK_FIELDS,
  trackChunk: EMPTY_TRACK_CHUNK_FIELDS,
  layer: EMPTY_LAYER_FIELDS,
  siteLink: EMPTY_SITE_LINK_FIELDS,
  followUp: EMPTY_FOLLOW_UP_FIELDS,
  planSettings: EMPTY_PLAN_SETTINGS_FIELDS,
  comment: EMPTY_COMMENT_FIELDS,
  publication: EMPTY_PUBLICATION_FIELDS,
};
