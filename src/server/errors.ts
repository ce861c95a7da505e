/** An answer other than success, with the contract's error body (docs/sync.md, "Errors"). */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503,
    readonly code: string,
    message: string,
    readonly where?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }

  body(): { error: { code: string; message: string; where?: string } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.where !== undefined ? { where: this.where } : {}),
      },
    };
  }
}

export const badRequest = (code: string, message: string, where?: string) =>
  new HttpError(400, code, message, where);
export const forbidden = (message: string, where?: string) =>
  new HttpError(403, "forbidden", message, where);
export const notFound = (message: string) => new HttpError(404, "not_found", message);
export const unauthorised = (message: string) => new HttpError(401, "unauthorised", message);
