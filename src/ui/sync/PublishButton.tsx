/** "Publish on the server": a planner's results for the municipal GIS (state/publish.ts). */
import { useState } from "preact/hooks";
import { t } from "../../state/i18n";

export function PublishButton(props: { testId: string; publishing: () => Promise<boolean> }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      class="button"
      data-testid={props.testId}
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await props.publishing();
        } finally {
          setBusy(false);
        }
      }}
    >
      {busy ? t("publish.busy") : t("publish.button")}
    </button>
  );
}
