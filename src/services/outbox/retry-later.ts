/** Thrown by a consumer when the other side asked us to come back later (HTTP 429 Retry-After). */
export class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    message = `retry in ${delayMs} ms`,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}
