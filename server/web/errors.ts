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
