import type { ComponentChildren } from "preact";
import type { StringKey } from "../i18n/strings";
import { loadBackups } from "../state/actions";
import { t } from "../state/i18n";

/** A labelled form field with its error message next to it (WCAG 3.3.1). */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${props.error ? " field-invalid" : ""}`}>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.children}
      {props.error && (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** aria-describedby for an input with optional hint and error. */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

/** The message for a validation reason (src/domain/validation.ts). */
export function reasonText(reason: string | undefined, field?: string): string | undefined {
  if (!reason) return undefined;
  if (field === "severity" && reason === "out_of_range") return t("reason_severity_out_of_range");
  return t(`reason_${reason}` as StringKey);
}

/**
 * Choose .lykta files (one, or several tablets' at once) and merge them into this device
 * (home screen, walk details, project screen).
 */
export function BackupFileInput(props: { testId: string; label?: string; multiple?: boolean }) {
  return (
    <label class="button file-button">
      {props.label ?? t("backupRestore")}
      <input
        type="file"
        accept=".lykta,application/zip,application/octet-stream"
        class="visually-hidden"
        multiple={props.multiple}
        data-testid={props.testId}
        onChange={async (event) => {
          const input = event.currentTarget;
          const files = [...(input.files ?? [])];
          input.value = "";
          if (files.length > 0) await loadBackups(files);
        }}
      />
    </label>
  );
}
