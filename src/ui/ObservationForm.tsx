import { useEffect, useRef, useState } from "preact/hooks";
import { geometryKindOf, lineLengthM, representativePosition } from "../domain/geometry";
import { EVERYONE } from "../domain/groups";
import {
  type ObservationInput,
  type ObservationRecord,
  SEVERITY_MAX,
  SEVERITY_MIN,
} from "../domain/observation";
import { deleteObservation, saveObservation } from "../state/actions";
import { clearWalkedLine } from "../state/gps";
import { formatDateTime, label, t } from "../state/i18n";
import {
  CHECKLIST,
  draftObservation,
  type EditorState,
  editor as editorState,
  GROUPS,
  selectedId,
  walkRecords,
} from "../state/store";
import { describedBy, Field, reasonText } from "./Field";
import { NearbyReports } from "./NearbyReports";
import { Photos } from "./Photos";
import { beginGeometryEdit, closeEditor } from "./walk-actions";

function inputFromRecord(record: ObservationRecord): ObservationInput {
  const fields = record.fields;
  return {
    geometry: fields.geometry,
    categoryId: fields.categoryId,
    severity: fields.severity,
    feltUnsafe: fields.feltUnsafe,
    note: fields.note,
    photoIds: fields.photoIds,
    illuminanceLux: fields.illuminanceLux === null ? "" : String(fields.illuminanceLux),
    observedAt: fields.observedAt,
    positionAccuracyM: fields.positionAccuracyM,
    placement: fields.placement,
  };
}

/** The observation form, in a side sheet (landscape) or bottom sheet (portrait). */
export function ObservationForm(props: { walkId: string; editor: EditorState }) {
  const { editor } = props;
  const existing = walkRecords.value.get(editor.id) as ObservationRecord | undefined;
  const [input, setInput] = useState<ObservationInput>(() =>
    editor.mode === "edit" && existing ? inputFromRecord(existing) : editor.initial!,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, [editor.id]);

  const update = (patch: Partial<ObservationInput>) => {
    setInput((current) => ({ ...current, ...patch }));
    if (patch.severity !== undefined && draftObservation.value) {
      draftObservation.value = { ...draftObservation.value, severity: Number(patch.severity) || 3 };
    }
  };

  async function submit(event: Event) {
    event.preventDefault();
    const tapAt = performance.now();
    setSaving(true);
    const result = await saveObservation(props.walkId, editor.id, input, tapAt);
    setSaving(false);
    if (!result.ok) {
      setErrors((result.errors ?? {}) as Record<string, string>);
      requestAnimationFrame(() => {
        document
          .querySelector<HTMLElement>(
            ".field-invalid input, .field-invalid textarea, .field-invalid legend",
          )
          ?.focus();
      });
      return;
    }
    if (input.placement === "walked" && editor.mode === "new") await clearWalkedLine();
    // Close only this form: the person may have moved on to a new one while the save ran.
    if (editorState.value?.id === editor.id) {
      selectedId.value = result.value.id;
      closeEditor();
    }
  }

  async function cancel() {
    if (input.placement === "walked" && editor.mode === "new") await clearWalkedLine();
    closeEditor();
  }

  async function remove() {
    if (!confirm(t("deleteObservationConfirm"))) return;
    await deleteObservation(editor.id);
    closeEditor();
  }

  const toggleGroup = (id: string, checked: boolean) => {
    if (id === EVERYONE) {
      update({ feltUnsafe: checked ? [EVERYONE] : [] });
      return;
    }
    const others = input.feltUnsafe.filter(
      (candidate) => candidate !== EVERYONE && candidate !== id,
    );
    update({ feltUnsafe: checked ? [...others, id] : others });
  };

  const geometry = input.geometry as ObservationRecord["fields"]["geometry"];
  const geometryText = geometry
    ? geometryKindOf(geometry) === "point"
      ? t("geometryPoint")
      : geometryKindOf(geometry) === "line" && geometry.type === "LineString"
        ? t("geometryLine", { meters: Math.round(lineLengthM(geometry.coordinates)) })
        : t("geometryPolygon")
    : "";

  const errorCount = Object.keys(errors).length;
  return (
    <form class="sheet-form" onSubmit={submit} noValidate aria-labelledby="observation-heading">
      <div class="sheet-scroll">
        <h2 id="observation-heading" tabIndex={-1} ref={heading}>
          {editor.mode === "new" ? t("newObservation") : t("editObservation")}
        </h2>
        {errorCount > 0 && (
          <p class="form-error" role="alert">
            {t("formHasErrors")}
          </p>
        )}

        <fieldset
          class={`field${errors.categoryId ? " field-invalid" : ""}`}
          aria-describedby={describedBy("category", undefined, errors.categoryId)}
        >
          <legend tabIndex={-1}>{t("category")}</legend>
          {errors.categoryId && (
            <p class="field-error" id="category-error">
              {reasonText(errors.categoryId)}
            </p>
          )}
          {CHECKLIST.groups.map((group) => (
            <fieldset key={group.id} class="category-group">
              <legend class="category-group-title">{label(group.label)}</legend>
              <div class="tile-grid">
                {group.categories.map((category) => (
                  <label
                    key={category.id}
                    class={`tile${input.categoryId === category.id ? " tile-selected" : ""}`}
                  >
                    <input
                      type="radio"
                      name="category"
                      value={category.id}
                      checked={input.categoryId === category.id}
                      onChange={() => update({ categoryId: category.id })}
                    />
                    <span>{label(category.label)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          ))}
        </fieldset>

        {editor.mode === "new" && geometry && input.categoryId && (
          <NearbyReports
            walkId={props.walkId}
            position={representativePosition(geometry) as [number, number]}
            categoryId={input.categoryId}
          />
        )}

        <fieldset class={`field${errors.severity ? " field-invalid" : ""}`}>
          <legend tabIndex={-1}>{t("severity")}</legend>
          <p class="hint">{t("severityHint")}</p>
          <div class="severity-row">
            {Array.from(
              { length: SEVERITY_MAX - SEVERITY_MIN + 1 },
              (_, index) => SEVERITY_MIN + index,
            ).map((level) => (
              <label
                key={level}
                class={`tile tile-severity severity-${level}${Number(input.severity) === level ? " tile-selected" : ""}`}
              >
                <input
                  type="radio"
                  name="severity"
                  value={level}
                  aria-label={t("severityLevel", { level })}
                  checked={Number(input.severity) === level}
                  onChange={() => update({ severity: level })}
                />
                <span aria-hidden="true">{level}</span>
              </label>
            ))}
          </div>
          {errors.severity && <p class="field-error">{reasonText(errors.severity, "severity")}</p>}
        </fieldset>

        <fieldset class={`field${errors.feltUnsafe ? " field-invalid" : ""}`}>
          <legend tabIndex={-1}>{t("feltUnsafe")}</legend>
          <div class="tile-grid">
            {[GROUPS.everyone, ...GROUPS.groups].map((group) => (
              <label
                key={group.id}
                class={`tile${input.feltUnsafe.includes(group.id) ? " tile-selected" : ""}`}
              >
                <input
                  type="checkbox"
                  checked={input.feltUnsafe.includes(group.id)}
                  onChange={(event) => toggleGroup(group.id, event.currentTarget.checked)}
                />
                <span>{label(group.label)}</span>
              </label>
            ))}
          </div>
          {errors.feltUnsafe && <p class="field-error">{reasonText(errors.feltUnsafe)}</p>}
        </fieldset>

        <Field id="observation-note" label={t("note")} error={reasonText(errors.note)}>
          <textarea
            id="observation-note"
            rows={3}
            value={input.note}
            placeholder={t("notePlaceholder")}
            aria-invalid={errors.note ? true : undefined}
            aria-describedby={describedBy("observation-note", undefined, errors.note)}
            onInput={(event) => update({ note: event.currentTarget.value })}
          />
        </Field>

        <Field
          id="observation-lux"
          label={t("illuminanceLux")}
          hint={t("illuminanceHint")}
          error={reasonText(errors.illuminanceLux)}
        >
          <input
            id="observation-lux"
            inputMode="decimal"
            autocomplete="off"
            value={input.illuminanceLux ?? ""}
            aria-invalid={errors.illuminanceLux ? true : undefined}
            aria-describedby={describedBy(
              "observation-lux",
              t("illuminanceHint"),
              errors.illuminanceLux,
            )}
            onInput={(event) => update({ illuminanceLux: event.currentTarget.value })}
          />
        </Field>

        <Photos
          walkId={props.walkId}
          photoIds={input.photoIds}
          onChange={(photoIds) => update({ photoIds })}
        />

        <dl class="facts">
          <div>
            <dt>{t("observedAt")}</dt>
            <dd>{formatDateTime(input.observedAt)}</dd>
          </div>
          <div>
            <dt>{t("geometry")}</dt>
            <dd>
              {geometryText} · {t(`placement_${input.placement}`)}
            </dd>
          </div>
          <div>
            <dt>{t("accuracy")}</dt>
            <dd>
              {input.positionAccuracyM === null
                ? t("accuracyUnknown")
                : t("accuracyValue", { meters: input.positionAccuracyM })}
            </dd>
          </div>
        </dl>
        {errors.geometry && <p class="field-error">{reasonText(errors.geometry)}</p>}
        {editor.mode === "edit" && geometry && (
          <div class="button-row">
            <button
              type="button"
              class="button"
              onClick={() => void beginGeometryEdit(editor.id, geometry)}
            >
              {t("editGeometry")}
            </button>
            <button type="button" class="button button-danger" onClick={remove}>
              {t("deleteObservation")}
            </button>
          </div>
        )}
      </div>
      <div class="sheet-actions">
        <button type="submit" class="button button-primary button-large" disabled={saving}>
          {t("save")}
        </button>
        <button type="button" class="button button-large" onClick={cancel}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}
