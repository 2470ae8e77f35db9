/** The slice of a pino logger the jobs use, so tests can pass a plain object. */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
