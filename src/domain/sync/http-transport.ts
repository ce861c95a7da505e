/**
 * The SyncTransport over HTTP (docs/sync.md), with `fetch` injected so it runs in Node 20 and
 * in the browser alike (and tests can drop requests). Every failure becomes a SyncHttpError:
 * status 0 for a network error, the server's status and error code otherwise.
 */
import { SyncHttpError, type SyncTransport } from "./engine";
import {
  API_PREFIX,
  type ErrorBody,
  type JoinRequest,
  type JoinResponse,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from "./protocol";

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface HttpTransportOptions {
  /** The server, e.g. "https://lykta.example.se" (no trailing slash needed). */
  serverUrl: string;
  projectId: string;
  token: string;
  fetch?: Fetch;
}

function retryAfterMs(response: Response): number | null {
  const header = response.headers.get("retry-after");
  if (header === null) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? seconds * 1000 : null;
}

async function failure(response: Response): Promise<SyncHttpError> {
  let body: Partial<ErrorBody> = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  return new SyncHttpError(
    response.status,
    body.error?.code ?? `http_${response.status}`,
    body.error?.message ?? `HTTP ${response.status}`,
    retryAfterMs(response),
    body.error?.where,
  );
}

async function send(fetcher: Fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetcher(url, init);
  } catch (error) {
    throw new SyncHttpError(0, "network", `network: ${(error as Error).message}`);
  }
}

function base(serverUrl: string): string {
  return serverUrl.replace(/\/+$/, "");
}

/** Exchange a join code for a token (POST /api/v1/join). */
export async function joinServer(
  serverUrl: string,
  request: JoinRequest,
  fetcher: Fetch = (url, init) => fetch(url, init),
): Promise<JoinResponse> {
  const response = await send(fetcher, `${base(serverUrl)}${API_PREFIX}/join`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as JoinResponse;
}

export function httpTransport(options: HttpTransportOptions): SyncTransport {
  const fetcher: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  const project = `${base(options.serverUrl)}${API_PREFIX}/projects/${encodeURIComponent(options.projectId)}`;
  const auth = { authorization: `Bearer ${options.token}` };
  const json = async <T>(url: string, init: RequestInit): Promise<T> => {
    const response = await send(fetcher, url, init);
    if (!response.ok) throw await failure(response);
    return (await response.json()) as T;
  };
  return {
    push: (request: PushRequest) =>
      json<PushResponse>(`${project}/push`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify(request),
      }),
    pull: (after: number, limit: number) =>
      json<PullResponse>(`${project}/pull?after=${after}&limit=${limit}`, { headers: auth }),
    async blobStatus(sha256) {
      const response = await send(fetcher, `${project}/blobs/${sha256}`, {
        method: "HEAD",
        headers: auth,
      });
      if (response.status === 404) return null;
      if (!response.ok) throw await failure(response);
      const offset = Number(response.headers.get("upload-offset") ?? 0);
      return { offset, complete: response.headers.get("upload-length") !== null };
    },
    async uploadBlob(sha256, offset, totalBytes, bytes) {
      const response = await send(fetcher, `${project}/blobs/${sha256}`, {
        method: "PATCH",
        headers: {
          ...auth,
          "content-type": "application/offset+octet-stream",
          "upload-offset": String(offset),
          "upload-length": String(totalBytes),
        },
        body: bytes as BodyInit,
      });
      if (!response.ok) throw await failure(response);
      return Number(response.headers.get("upload-offset") ?? offset + bytes.byteLength);
    },
    async downloadBlob(sha256) {
      const response = await send(fetcher, `${project}/blobs/${sha256}`, { headers: auth });
      if (!response.ok) throw await failure(response);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
