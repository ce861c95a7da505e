/**
 * Result types for user input. User input never throws past the boundary: validators return
 * per-field reasons (constants, so tests can assert the exact reason and the UI can
 * translate them).
 */
export const REASONS = {
  required: "required",
  tooLong: "too_long",
  notANumber: "not_a_number",
  notAWholeNumber: "not_a_whole_number",
  outOfRange: "out_of_range",
  negative: "negative",
  unknownCategory: "unknown_category",
  unknownGroup: "unknown_group",
  everyoneWithGroups: "everyone_with_groups",
  tooManyPhotos: "too_many_photos",
  invalidGeometry: "invalid_geometry",
  invalidDate: "invalid_date",
  invalidTime: "invalid_time",
  endBeforeStart: "end_before_start",
} as const;

export type Reason = (typeof REASONS)[keyof typeof REASONS];

export type FieldErrors<Fields> = Partial<Record<keyof Fields & string, Reason>>;

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors<T> };
