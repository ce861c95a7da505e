import { t } from "../state/i18n";
import { dismiss } from "../state/session";
import { notices } from "../state/store";

/** Messages: polite live region for news, assertive alert for errors. */
export function Notices() {
  const list = notices.value;
  const errors = list.filter((notice) => notice.kind === "error");
  const others = list.filter((notice) => notice.kind !== "error");
  return (
    <div class="notices">
      <div role="status" aria-live="polite" class="notice-stack">
        {others.map((notice) => (
          <div key={notice.id} class={`notice notice-${notice.kind}`}>
            <span>{notice.text}</span>
            {notice.action && (
              <button
                type="button"
                class="button button-small"
                onClick={() => {
                  notice.action?.run();
                  dismiss(notice.id);
                }}
              >
                {notice.action.label}
              </button>
            )}
          </div>
        ))}
      </div>
      <div role="alert" class="notice-stack">
        {errors.map((notice) => (
          <div key={notice.id} class="notice notice-error">
            <span>{notice.text}</span>
            {notice.action && (
              <button
                type="button"
                class="button button-small"
                onClick={() => notice.action?.run()}
              >
                {notice.action.label}
              </button>
            )}
            <button type="button" class="button button-small" onClick={() => dismiss(notice.id)}>
              {t("close")}
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
