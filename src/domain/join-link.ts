/**
 * Joining a sync server (docs/sync.md): a server address and a join code, typed or scanned
 * from a QR code that holds `lykta-join:<server url>#<code>`. Pure: the app's forms and the
 * QR scanner both go through here, so a typed and a scanned code are read the same way. The
 * code's alphabet and the link's text are the protocol's (sync/protocol.ts).
 */
import { normaliseJoinCode } from "./sync/protocol";

/** The scheme of a join link in a QR code. */
export const JOIN_LINK_SCHEME = "lykta-join:";

export const JOIN_REASONS = {
  emptyUrl: "sync_url_empty",
  notAUrl: "sync_url_invalid",
  notHttp: "sync_url_not_http",
  /** http:// is only for a server on this machine or a test server on the local network. */
  insecure: "sync_url_insecure",
  emptyCode: "sync_code_empty",
  badCode: "sync_code_invalid",
  notAJoinLink: "sync_not_a_join_link",
} as const;

export type JoinReason = (typeof JOIN_REASONS)[keyof typeof JOIN_REASONS];

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: JoinReason };

/** Host names for which plain http is acceptable (the traffic never leaves the machine). */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A server address as the app stores it: the origin and path without a trailing slash,
 * e.g. "https://lykta.vasteras.se" or "http://127.0.0.1:8787". Plain http only on this
 * machine: tokens must not cross a network unencrypted.
 */
export function parseServerUrl(text: string): Parsed<string> {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, reason: JOIN_REASONS.emptyUrl };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return { ok: false, reason: JOIN_REASONS.notAUrl };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: JOIN_REASONS.notHttp };
  }
  if (url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname)) {
    return { ok: false, reason: JOIN_REASONS.insecure };
  }
  if (url.username !== "" || url.password !== "") {
    return { ok: false, reason: JOIN_REASONS.notAUrl };
  }
  const path = url.pathname.replace(/\/+$/, "");
  return { ok: true, value: `${url.protocol}//${url.host}${path}` };
}

/**
 * A join code as typed: case, spaces and dashes do not matter ("k7qm 4xtp" = "K7QM-4XTP").
 * Returns the code in capitals without separators (protocol.ts normaliseJoinCode).
 */
export function parseJoinCode(text: string): Parsed<string> {
  if (text.replace(/[\s-]+/g, "") === "") return { ok: false, reason: JOIN_REASONS.emptyCode };
  const code = normaliseJoinCode(text);
  return code === null ? { ok: false, reason: JOIN_REASONS.badCode } : { ok: true, value: code };
}

export interface JoinLink {
  serverUrl: string;
  code: string;
}

/**
 * Read a scanned QR code (protocol.ts joinLink writes them), saying what is wrong with one
 * that is not a Lykta join link, or whose address or code would be refused when typed.
 */
export function parseJoinLink(text: string): Parsed<JoinLink> {
  const trimmed = text.trim();
  if (!trimmed.toLowerCase().startsWith(JOIN_LINK_SCHEME)) {
    return { ok: false, reason: JOIN_REASONS.notAJoinLink };
  }
  const rest = trimmed.slice(JOIN_LINK_SCHEME.length);
  const hash = rest.lastIndexOf("#");
  if (hash < 0) return { ok: false, reason: JOIN_REASONS.emptyCode };
  const serverUrl = parseServerUrl(rest.slice(0, hash));
  if (!serverUrl.ok) return serverUrl;
  const code = parseJoinCode(rest.slice(hash + 1));
  if (!code.ok) return code;
  return { ok: true, value: { serverUrl: serverUrl.value, code: code.value } };
}
