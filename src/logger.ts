/**
 * JSON logger that keeps credentials and account numbers out of log storage, in two layers:
 *  1. pino `redact` for fields whose NAME says they are secret (any value type);
 *  2. a text scrub of every string VALUE (message, args, nested fields, errors), because
 *     secrets also travel inside free text: error messages, URLs, echoed payloads.
 * Numbers are never scrubbed, so `time`, `pid` and amounts stay intact.
 */
import pino from 'pino';
import { currentRequestId } from './request-context';
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
  // IBANs, with or without the print-format spaces: checked (country + mod-97), so message ids
  // like PD2026120100000001 that merely look alike stay readable.
  [/(?<![\w-])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![\w-])/g, (m) => (isIban(m) ? maskTail(m) : m)],
  // Account numbers written in groups: "6222 0200 0000 5678", "6222-0200-0000-5678" (11+ digits in all).
  // Groups of 3+ digits after the first, so dates (2026-12-07) and times never match.
  [/(?<![\w-])\d{2,6}(?:[ -]\d{3,6}){2,}(?![\w-])/g, (m) => (m.replace(/\D/g, '').length >= 11 ? maskTail(m) : m)],
  // Bare 11+ digit runs look like account / card numbers (or phone numbers: personal data too).
  // Runs glued to letters, "_" or "-" (payment references like PAY202411280001, UUID tails) are left alone.
  [/(?<![\w-])\d{11,}(?![\w-])/g, (m) => maskTail(m)],
];

/** Every digit and letter but the last 4 becomes "*"; separators stay, so the shape is still readable. */
function maskTail(s: string): string {
  let keep = 4;
  return [...s].reverse().map((c) => (/[A-Z0-9]/i.test(c) ? (keep-- > 0 ? c : '*') : c)).reverse().join('');
}

// Countries that issue IBANs (SWIFT IBAN registry).
const IBAN_COUNTRIES = new Set(
  ('AD AE AL AT AZ BA BE BG BH BI BR BY CH CR CY CZ DE DJ DK DO EE EG ES FI FK FO FR GB GE GI GL GR GT HR HU IE IL IQ IS IT JO KW KZ LB LC LI LT LU LV LY ' +
    'MC MD ME MK MN MR MT MU NI NL NO OM PK PL PS PT QA RO RS RU SA SC SD SE SI SK SM SO ST SV TL TN TR UA VA VG XK YE').split(' '),
);

/** ISO 13616: a known country and the mod-97 check digits. */
function isIban(text: string): boolean {
  const s = text.replace(/ /g, '');
  if (!IBAN_COUNTRIES.has(s.slice(0, 2)) || s.length < 15 || s.length > 34) return false;
  const digits = (s.slice(4) + s.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
}

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
    // Every line written while answering an HTTP request names it (see request-context.ts).
    mixin: () => {
      const reqId = currentRequestId();
      return reqId ? { reqId } : {};
    },
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
