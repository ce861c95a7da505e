/**
 * Connect to a sync server: its address and a join code, typed or scanned from a QR code.
 * Used on the home screen (join a project that lives on a server) and on a project's screen
 * (connect a project this tablet already has).
 */
import { useState } from "preact/hooks";
import { parseJoinLink } from "../../domain/join-link";
import { t } from "../../state/i18n";
import { connectToServer } from "../../state/sync";
import { Field } from "../Field";
import { QrScanner } from "./QrScanner";

export function ConnectForm(props: {
  idPrefix: string;
  /** Connect this project (the code must be for it); none: join the code's project. */
  projectId?: string;
  onConnected?: (projectId: string) => void;
}) {
  const [serverUrl, setServerUrl] = useState("");
  const [code, setCode] = useState("");
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessage(null);
    const result = await connectToServer(serverUrl, code, props.projectId);
    setBusy(false);
    if (result.ok) {
      setCode("");
      props.onConnected?.(result.projectId);
    } else setMessage({ text: result.message, error: true });
  }

  function scanned(text: string) {
    setScanning(false);
    const link = parseJoinLink(text);
    if (!link.ok) {
      setMessage({ text: t(`sync.reason.${link.reason}`), error: true });
      return;
    }
    setServerUrl(link.value.serverUrl);
    setCode(link.value.code);
    setMessage({ text: t("sync.scanned"), error: false });
  }

  const urlId = `${props.idPrefix}-server`;
  const codeId = `${props.idPrefix}-code`;
  return (
    <form class="form" onSubmit={(event) => void submit(event)} noValidate>
      <Field id={urlId} label={t("sync.serverUrl")} hint={t("sync.serverUrlHint")}>
        <input
          id={urlId}
          type="url"
          inputMode="url"
          autoComplete="url"
          autoCapitalize="none"
          spellcheck={false}
          value={serverUrl}
          aria-describedby={`${urlId}-hint`}
          onInput={(event) => setServerUrl((event.target as HTMLInputElement).value)}
        />
      </Field>
      <Field id={codeId} label={t("sync.joinCode")} hint={t("sync.joinCodeHint")}>
        <input
          id={codeId}
          type="text"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellcheck={false}
          value={code}
          aria-describedby={`${codeId}-hint`}
          onInput={(event) => setCode((event.target as HTMLInputElement).value)}
        />
      </Field>
      <div class="button-row">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? t("sync.connecting") : t("sync.connect")}
        </button>
        <button type="button" class="button" onClick={() => setScanning(!scanning)}>
          {scanning ? t("sync.scanStop") : t("sync.scan")}
        </button>
      </div>
      {scanning && <QrScanner onResult={scanned} onClose={() => setScanning(false)} />}
      <p
        role="status"
        class={message?.error ? "field-error" : "hint"}
        data-testid={`${props.idPrefix}-message`}
      >
        {message?.text ?? ""}
      </p>
    </form>
  );
}
