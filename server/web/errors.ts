// An error with an HTTP status and a stable code; its message is a sentence for the user.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Handler = (req: import('express').Request, res: import('express').Response) => Promise<void>;

/** Wrap route handlers so that the errors they throw pass through `toHttp` (service error → HttpError). */
export function translating(toHttp: (e: unknown) => unknown): (fn: Handler) => Handler {
  return (fn) => async (req, res) => {
    try {
      await fn(req, res);
    } catch (e) {
      throw toHttp(e);
    }
  };
}
