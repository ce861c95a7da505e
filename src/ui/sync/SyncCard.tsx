/**
 * A project's link to its sync server, on the project screen: connect with a join code, see
 * what has not reached the server yet and when the last sync was, sync now, disconnect. A
 * planner also hands out join codes for teams, partners and QGIS here (InviteCodes).
 */
import { formatDateTime, t } from "../../state/i18n";
import { disconnect, syncConnections, syncNow, syncStatuses } from "../../state/sync";
import { ConnectForm } from "./ConnectForm";
import { InviteCodes } from "./InviteCodes";

function hostOf(serverUrl: string): string {
  try {
    return new URL(serverUrl).host;
  } catch {
    return serverUrl;
  }
}

export function SyncCard(props: { projectId: string }) {
  const connection = syncConnections.value.get(props.projectId);
  const status = syncStatuses.value.get(props.projectId);
  return (
    <section class="card" aria-labelledby="sync-heading" data-testid="sync-card">
      <h2 id="sync-heading">{t("sync.title")}</h2>
      {!connection ? (
        <>
          <p class="hint">{t("sync.intro")}</p>
          <ConnectForm idPrefix="sync-connect" projectId={props.projectId} />
          <p class="hint">
            {t("sync.projectIdHint")} <code data-testid="sync-project-id">{props.projectId}</code>
          </p>
        </>
      ) : (
        <>
          <p>
            {t("sync.connectedTo", {
              server: hostOf(connection.serverUrl),
              role: t(`sync.role.${connection.role}`),
            })}
          </p>
          <dl class="facts" data-testid="sync-status">
            <div>
              <dt>{t("sync.pending")}</dt>
              <dd data-testid="sync-pending">
                {status
                  ? status.pending.records + status.pending.conflicts + status.pending.blobs === 0
                    ? t("sync.pendingNone")
                    : t("sync.pendingCounts", {
                        records: status.pending.records + status.pending.conflicts,
                        photos: status.pending.blobs,
                      })
                  : t("loading")}
              </dd>
            </div>
            <div>
              <dt>{t("sync.last")}</dt>
              <dd data-testid="sync-last">
                {status?.running
                  ? t("sync.running")
                  : status?.lastSyncAt
                    ? formatDateTime(status.lastSyncAt)
                    : t("sync.never")}
              </dd>
            </div>
          </dl>
          {status && status.tooLarge > 0 && (
            <p role="alert" class="field-error">
              {t("sync.tooLarge", { count: status.tooLarge })}
            </p>
          )}
          {status && status.withheld > 0 && (
            <p class="hint">{t("sync.withheld", { count: status.withheld })}</p>
          )}
          {status?.error && (
            <p role="alert" class="field-error" data-testid="sync-error">
              {status.error}
            </p>
          )}
          <div class="button-row">
            <button
              type="button"
              class="button button-primary"
              disabled={status?.running}
              onClick={() => void syncNow(props.projectId)}
            >
              {t("sync.now")}
            </button>
            <button
              type="button"
              class="button"
              onClick={() => {
                if (confirm(t("sync.disconnectConfirm"))) void disconnect(props.projectId);
              }}
            >
              {t("sync.disconnect")}
            </button>
          </div>
          {status?.needsAttention && (
            <details>
              <summary>{t("sync.reconnect")}</summary>
              <ConnectForm idPrefix="sync-reconnect" projectId={props.projectId} />
            </details>
          )}
          {connection.role === "planner" && <InviteCodes connection={connection} />}
        </>
      )}
    </section>
  );
}
