/** Storage failures, classified so the UI can say what happened and what to do. */
export type StorageErrorKind =
  /** The device or browser refused more data (QuotaExceededError). */
  | "quota"
  /** Another tab holds an older version of the database open. */
  | "blocked"
  /** The database connection was closed (app update in another tab, or the browser). */
  | "closed"
  /** IndexedDB is not available (private mode in some browsers, or disabled). */
  | "unavailable"
  | "failed";

export class StorageError extends Error {
  readonly kind: StorageErrorKind;
  override readonly cause: unknown;
  constructor(kind: StorageErrorKind, message: string, cause?: unknown) {
    super(message);
    this.name = "StorageError";
    this.kind = kind;
    this.cause = cause;
  }
}

function errorName(error: unknown): string {
  return typeof error === "object" && error !== null && "name" in error
    ? String((error as { name: unknown }).name)
    : "";
}

/** Classify anything IndexedDB threw or aborted with. */
export function toStorageError(error: unknown, transactionError?: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const names = [errorName(error), errorName(transactionError)];
  const message = error instanceof Error ? error.message : String(error);
  if (names.includes("QuotaExceededError")) {
    return new StorageError("quota", "The device has no room for more data", error);
  }
  if (names.includes("InvalidStateError")) {
    return new StorageError("closed", `The database connection is closed: ${message}`, error);
  }
  return new StorageError("failed", `Saving failed: ${message}`, error);
}

/**
 * Finish a readwrite transaction: run `work`, wait for the commit. A failure anywhere (a
 * full disk: QuotaExceededError, at a put or at commit) aborts the whole transaction, so
 * nothing of it is stored, and comes out classified as a StorageError.
 */
export async function commitOrAbort<Result>(
  tx: { readonly done: Promise<void>; readonly error: DOMException | null; abort(): void },
  work: () => Promise<Result>,
): Promise<Result> {
  try {
    const result = await work();
    await tx.done;
    return result;
  } catch (error) {
    const transactionError = tx.error;
    try {
      tx.abort();
    } catch {
      // Already finished or aborted.
    }
    await tx.done.catch(() => undefined);
    throw toStorageError(error, transactionError);
  }
}
