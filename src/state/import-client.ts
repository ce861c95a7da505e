/** The page's side of the import worker: one worker, requests by id, progress callbacks. */
import type { ImportIssue } from "../domain/import/types";
import type { FieldMapping, LayerRole, PoiKind } from "../domain/layers";
import type {
  FinalisedLayer,
  FromWorker,
  ImportSummary,
  ToWorker,
} from "../workers/import-protocol";

type Pending = {
  resolve(message: FromWorker): void;
  onProgress?: (fraction: number) => void;
};

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL("../workers/import.worker.ts", import.meta.url), {
      type: "module",
    });
    worker.addEventListener("message", (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      const request = pending.get(message.id);
      if (!request) return;
      if (message.type === "progress") request.onProgress?.(message.fraction);
      else request.resolve(message);
    });
  }
  return worker;
}

function send(message: ToWorker, transfer: Transferable[], onProgress?: (f: number) => void) {
  return new Promise<FromWorker>((resolve) => {
    pending.set(message.id, {
      resolve: (reply) => {
        pending.delete(message.id);
        resolve(reply);
      },
      onProgress,
    });
    getWorker().postMessage(message, transfer);
  });
}

export type AnalyseOutcome =
  | { ok: true; sessionId: number; summary: ImportSummary }
  | { ok: false; issue: ImportIssue };

/** Read and check a file in the worker. The file's bytes move to the worker (no copy). */
export async function analyseFile(
  file: File,
  onProgress: (fraction: number) => void,
  fromCrs?: string,
): Promise<AnalyseOutcome> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const id = nextId++;
  const reply = await send(
    { type: "analyse", id, name: file.name, bytes, ...(fromCrs ? { fromCrs } : {}) },
    [bytes.buffer],
    onProgress,
  );
  if (reply.type === "analysed") {
    return reply.ok
      ? { ok: true, sessionId: id, summary: reply.summary }
      : { ok: false, issue: reply.issue };
  }
  const message = reply.type === "failed" ? reply.message : "unexpected reply";
  return {
    ok: false,
    issue: { where: "file", code: "import_crashed", message, params: { detail: message } },
  };
}

/** Normalise the accepted features for a role and mapping; returns the layer's data file. */
export async function finaliseImport(
  sessionId: number,
  role: LayerRole,
  mapping: FieldMapping,
  poiKind: PoiKind | null,
): Promise<FinalisedLayer> {
  const reply = await send({ type: "finalise", id: sessionId, role, mapping, poiKind }, []);
  if (reply.type === "finalised") return reply.layer;
  throw new Error(reply.type === "failed" ? reply.message : "unexpected reply from the import");
}

export function discardImport(sessionId: number): void {
  if (worker) worker.postMessage({ type: "discard", id: sessionId } satisfies ToWorker);
}
