/**
 * JSON logger that keeps credentials and account numbers out of log storage, in two layers:
 *  1. pino `redact` for fields whose NAME says they are secret (any value type);
 *  2. a text scrub of every string VALUE (message, args, nested fields, errors), because
 *     secrets also travel inside free text: error messages, URLs, echoed payloads.
 * Numbers are never scrubbed, so `time`, `pid` and amounts stay intact.
 */
import pino from 'pino';
import pinoPretty from 'pino-pretty';

export { maskAccountNumber } from './domain/mask';
export type Logger = pino.Logger;

const CENSOR = '[REDACTED]';

const SECRET_KEYS = [
  'token', 'botToken', 'appToken', 'accessToken', 'access_token', 'refreshToken', 'tenant_access_token',
  'authorization', 'Authorization', 'cookie', 'signingSecret', 'appSecret', 'app_secret', 'encryptKey',
  'verificationToken', 'secret', 'clientSecret', 'password', 'apiKey', 'privateKey',
  'accountNumber', 'account_number', 'iban',
];
// Header names contain dashes, so they need bracket notation.
const SECRET_HEADERS = ['headers.authorization', 'headers.cookie', 'headers["x-slack-signature"]', 'headers["x-lark-signature"]'];

/** Each key at the top level and up to 3 levels down (`*.key`, `*.*.key`, `*.*.*.key`). */
export const REDACT_PATHS: string[] = [...SECRET_KEYS, ...SECRET_HEADERS].flatMap((key) =>
  ['', '*.', '*.*.', '*.*.*.'].map((prefix) => prefix + key),
);

const SECRET_KEY_SET = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));
// Secret-looking keys inside serialised JSON or form bodies, e.g. an SDK error echoing its request.
const EMBEDDED_KEYS =
  'app_secret|appSecret|secret|client_secret|token|access_token|tenant_access_token|app_access_token|refresh_token|encrypt_key|encryptKey|verification_token|signing_secret|password';

const TEXT_RULES: [RegExp, (match: string, ...groups: string[]) => string][] = [
  [new RegExp(`("(?:${EMBEDDED_KEYS})"\\s*:\\s*)"[^"]*"`, 'gi'), (_m, head) => `${head}"${CENSOR}"`],
  [new RegExp(`\\b((?:${EMBEDDED_KEYS})=)[^&\\s"]+`, 'gi'), (_m, head) => `${head}${CENSOR}`],
  [/\b(xox[abprs]|xapp)-[A-Za-z0-9-]+/g, (_m, kind) => `${kind}-${CENSOR}`],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, () => `Bearer ${CENSOR}`],
  // Only the password part of postgres://user:password@host, so the host stays debuggable.
  [/\b(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, (_m, head) => `${head}${CENSOR}@`],
  // 12+ digit runs look like bank account / card numbers. Runs glued to letters, "_" or "-"
  // (payment references like PAY202411280001, UUID tails) are left alone.
  [/(?<![\w-])\d{12,}(?![\w-])/g, (m) => '*'.repeat(m.length - 4) + m.slice(-4)],
];

/** Replaces tokens, bearer credentials, database passwords and account numbers inside text. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [re, replace] of TEXT_RULES) out = out.replace(re, replace as (m: string) => string);
  return out;
}

/**
 * Copy of `value` as JSON would see it, with every string scrubbed. Copies rather than
 * mutates because the caller still owns the object.
 */
function scrubDeep(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth > 10) return '[Circular]';
  seen.add(value);
  try {
    // Errors have non-enumerable message/stack; serialize them the way pino would.
    if (value instanceof Error) return scrubDeep(pino.stdSerializers.err(value), seen, depth + 1);
    // Dates, entities, Buffers: follow toJSON like JSON.stringify does.
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function') return scrubDeep(json.call(value), seen, depth + 1);
    if (Array.isArray(value)) return value.map((v) => scrubDeep(v, seen, depth + 1));
    const out: Record<string, unknown> = {};
    // Name-based redaction at any depth: pino's `redact` paths stop at four levels.
    for (const [k, v] of Object.entries(value))
      out[k] = SECRET_KEY_SET.has(k.toLowerCase()) && v !== null && v !== undefined && v !== '' ? CENSOR : scrubDeep(v, seen, depth + 1);
    return out;
  } finally {
    // Only ancestors count as cycles; the same object twice in siblings is fine.
    seen.delete(value);
  }
}

export interface LoggerOptions {
  level?: string;
  destination?: pino.DestinationStream | NodeJS.WritableStream;
  name?: string;
  /** Human-readable lines through pino-pretty (for a terminal); secrets are scrubbed before it sees them. */
  pretty?: boolean;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    name: opts.name,
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    // formatters.log already turned Errors into scrubbed plain objects; pino's default err
    // serializer would re-serialize those and report their type as "Object".
    serializers: { err: (e: unknown) => (e instanceof Error ? scrubDeep(e) : e) },
    formatters: {
      // The merging object; the message goes through logMethod below, child bindings through child().
      log: (obj) => scrubDeep(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        // logger.error(err) takes its msg from err.message after this hook; pass it explicitly so it is scrubbed.
        if (first instanceof Error && typeof rest[0] !== 'string') rest.unshift(first.message);
        // First arg objects are scrubbed by formatters.log; strings and printf args here.
        const head = typeof first === 'string' ? scrubSecrets(first) : first;
        const tail = rest.map((a) => scrubDeep(a));
        return method.apply(this, [head, ...tail] as Parameters<pino.LogFn>);
      },
    },
  };
  // pino-pretty as a stream in this thread (not a transport worker), so the scrubbing hooks above still apply.
  const destination = opts.destination ?? (opts.pretty ? prettyStream() : undefined);
  const logger = destination ? pino(options, destination as pino.DestinationStream) : pino(options);
  // pino runs child bindings through neither formatters.log nor logMethod. Children are
  // Object.create(parent), so this override is inherited by grandchildren too.
  const child = logger.child;
  logger.child = function (this: unknown, bindings: pino.Bindings, childOpts?: unknown) {
    return Reflect.apply(child, this, [scrubDeep(bindings), childOpts]);
  } as Logger['child'];
  return logger;
}

function prettyStream(): pino.DestinationStream {
  return pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' });
}
