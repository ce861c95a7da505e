/**
 * A planner hands out access to the project on the server: a join code (with its QR code)
 * for a walk team, a partner organisation (the police, a housing company) or a read-only
 * connection for QGIS; and sees and revokes the codes and tokens given out.
 */
import { useEffect, useState } from "preact/hooks";
import { OWNERS } from "../../domain/plan/types";
import { formatJoinCode, joinLink, type Role } from "../../domain/sync/protocol";
import { formatDateTime, t } from "../../state/i18n";
import { walks } from "../../state/store";
import {
  type AccessEntry,
  createJoinCode,
  type IssuedCode,
  listAccess,
  revokeAccess,
  type SyncConnection,
  syncErrorText,
} from "../../state/sync";
import { Field } from "../Field";
import { QrCode } from "./QrCode";

const ISSUABLE: readonly Role[] = ["team", "partner", "read", "planner"];
/** Hours a join code stays valid unless the planner chooses otherwise: one walk evening. */
const DEFAULT_CODE_HOURS = 72;
/** The server's default upper limit (`lykta serve --join-code-max-hours`): 30 days. */
const MAX_CODE_HOURS = 720;

export function InviteCodes(props: { connection: SyncConnection }) {
  const [role, setRole] = useState<Role>("team");
  const [walkId, setWalkId] = useState("");
  const [organisation, setOrganisation] = useState<string>("police");
  const [hours, setHours] = useState(String(DEFAULT_CODE_HOURS));
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const [access, setAccess] = useState<AccessEntry[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function reload() {
    try {
      setAccess(await listAccess(props.connection));
    } catch (error) {
      setMessage(syncErrorText(error));
    }
  }
  useEffect(() => {
    void reload();
  }, [props.connection.projectId]);

  async function issue(event: Event) {
    event.preventDefault();
    const expiresInHours = Number(hours);
    if (
      !Number.isFinite(expiresInHours) ||
      expiresInHours <= 0 ||
      expiresInHours > MAX_CODE_HOURS
    ) {
      setMessage(t("sync.invite.badHours"));
      return;
    }
    setMessage(null);
    try {
      const code = await createJoinCode(props.connection, {
        role,
        expiresInHours,
        ...(role === "team" && walkId !== "" ? { walkId } : {}),
        ...(role === "partner" ? { organisation } : {}),
      });
      setIssued(code);
      await reload();
    } catch (error) {
      setMessage(syncErrorText(error));
    }
  }

  async function revoke(entry: AccessEntry) {
    try {
      await revokeAccess(props.connection, entry);
      await reload();
    } catch (error) {
      setMessage(syncErrorText(error));
    }
  }

  const live = walks.value.filter((walk) => walk.projectId === props.connection.projectId);
  return (
    <section class="invite" aria-labelledby="invite-heading">
      <h3 id="invite-heading">{t("sync.invite.title")}</h3>
      <p class="hint">{t("sync.invite.intro")}</p>
      <form class="form" onSubmit={(event) => void issue(event)}>
        <Field id="invite-role" label={t("sync.invite.role")}>
          <select
            id="invite-role"
            value={role}
            onChange={(event) => setRole((event.target as HTMLSelectElement).value as Role)}
          >
            {ISSUABLE.map((option) => (
              <option key={option} value={option}>
                {t(`sync.role.${option}`)}
              </option>
            ))}
          </select>
        </Field>
        {role === "team" && (
          <Field id="invite-walk" label={t("sync.invite.walk")} hint={t("sync.invite.walkHint")}>
            <select
              id="invite-walk"
              value={walkId}
              aria-describedby="invite-walk-hint"
              onChange={(event) => setWalkId((event.target as HTMLSelectElement).value)}
            >
              <option value="">{t("sync.invite.newWalk")}</option>
              {live.map((walk) => (
                <option key={walk.id} value={walk.id}>
                  {walk.fields.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        {role === "partner" && (
          <Field id="invite-organisation" label={t("sync.invite.organisation")}>
            <select
              id="invite-organisation"
              value={organisation}
              onChange={(event) => setOrganisation((event.target as HTMLSelectElement).value)}
            >
              {OWNERS.map((owner) => (
                <option key={owner} value={owner}>
                  {t(`followUp.owner.${owner}`)}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id="invite-hours" label={t("sync.invite.hours")}>
          <input
            id="invite-hours"
            type="number"
            inputMode="numeric"
            min={1}
            value={hours}
            onInput={(event) => setHours((event.target as HTMLInputElement).value)}
          />
        </Field>
        <button type="submit" class="button">
          {t("sync.invite.create")}
        </button>
      </form>
      {issued && (
        <div class="invite-issued" data-testid="invite-issued">
          <p>
            {t("sync.invite.issued", {
              role: t(`sync.role.${issued.role}`),
              expires: formatDateTime(Date.parse(issued.expiresAt)),
            })}
          </p>
          <p class="join-code" data-testid="invite-code">
            {formatJoinCode(issued.code)}
          </p>
          <QrCode
            text={joinLink(props.connection.serverUrl, issued.code)}
            label={t("sync.invite.qrLabel", { code: formatJoinCode(issued.code) })}
          />
          <p class="hint">{t("sync.invite.once")}</p>
        </div>
      )}
      {message && (
        <p role="alert" class="field-error">
          {message}
        </p>
      )}
      {access && access.length > 0 && (
        <div class="table-scroll">
          <table class="data-table">
            <caption>{t("sync.access.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("sync.access.what")}</th>
                <th scope="col">{t("sync.access.role")}</th>
                <th scope="col">{t("sync.access.expires")}</th>
                <th scope="col">{t("sync.access.state")}</th>
                <th scope="col">
                  <span class="visually-hidden">{t("sync.access.revoke")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {access.map((entry) => (
                <tr key={`${entry.type}-${entry.id}`}>
                  <td>{t(entry.type === "token" ? "sync.access.token" : "sync.access.code")}</td>
                  <td>{t(`sync.role.${entry.role}`)}</td>
                  <td>{entry.expiresAt ? formatDateTime(Date.parse(entry.expiresAt)) : "–"}</td>
                  <td>
                    {entry.revokedAt
                      ? t("sync.access.revoked")
                      : entry.expiresAt && Date.parse(entry.expiresAt) < Date.now()
                        ? t("sync.access.expired")
                        : t("sync.access.active")}
                  </td>
                  <td>
                    {!entry.revokedAt && entry.id !== props.connection.tokenId && (
                      <button type="button" class="button" onClick={() => void revoke(entry)}>
                        {t("sync.access.revoke")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
