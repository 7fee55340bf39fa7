/**
 * Structured logs (pino). Secrets are redacted wherever they appear, as a second
 * line of defence: code never logs them on purpose. pino's own `redact` takes
 * fixed paths, which miss a secret one level deeper or spelled differently
 * (`Authorization`, `GRAPH_CLIENT_SECRET`), so redaction here goes by key name at
 * any depth and also masks credentials inside URLs in any string.
 */
import pino, { type Logger, type DestinationStream } from 'pino';

export const REDACTED = '[redacted]';

/**
 * Key names whose values are secrets, compared case-insensitively with `-`, `_`,
 * `.` and spaces removed: `clientSecret`, `GRAPH_CLIENT_SECRET`, `Authorization`,
 * `connection-string`, `temporaryAccessPass`, `CertificatePrivateKey`...
 */
const SECRET_KEY = /secret|password|passwd|token|authorization|cookie|connectionstring|temporaryaccesspass|privatekey|apikey/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.replace(/[-_.\s]/g, '').toLowerCase());
}

/** `postgres://user:pw@host/db` → `postgres://user:[redacted]@host/db` (also `scheme://token@host`). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:'"]*)(?::[^\s/?#@'"]*)?@/gi;

export function redactString(text: string): string {
  if (!text.includes('://') || !text.includes('@')) return text;
  return text.replace(URL_CREDENTIALS, (_match, scheme: string, user: string, offset: number, whole: string) => {
    // `scheme://user:pw@` keeps the user name; `scheme://token@` (no colon) hides it all.
    const hasPassword = whole.slice(offset + scheme.length + user.length, offset + scheme.length + user.length + 1) === ':';
    return hasPassword ? `${scheme}${user}:${REDACTED}@` : `${scheme}${REDACTED}@`;
  });
}

const MAX_DEPTH = 12;

/**
 * A copy of `value` with every secret-named key's value and every URL credential
 * replaced; unchanged parts keep their identity (nothing is copied when nothing is
 * secret, which is the common case on the hot path). Errors become plain objects
 * (type, message, stack, own fields) so their fields can be redacted too.
 */
export function redactDeep(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (value instanceof Error) {
      const plain: Record<string, unknown> = { type: value.name, message: value.message, stack: value.stack };
      for (const [key, field] of Object.entries(value)) plain[key] = field;
      if ('cause' in value && value.cause !== undefined) plain.cause = value.cause;
      return redactObject(plain, depth, seen, true);
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, index) => {
        const redacted = redactDeep(item, depth + 1, seen);
        if (redacted !== item) (copy ??= [...(value as unknown[])])[index] = redacted;
      });
      return copy ?? value;
    }
    if (value instanceof Date || Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
    return redactObject(value as Record<string, unknown>, depth, seen, false);
  } finally {
    seen.delete(value);
  }
}

function redactObject(value: Record<string, unknown>, depth: number, seen: WeakSet<object>, alwaysCopy: boolean): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined = alwaysCopy ? { ...value } : undefined;
  for (const key of Object.keys(value)) {
    const field = value[key];
    const redacted = isSecretKey(key) && field !== undefined && field !== null && field !== '' ? REDACTED : redactDeep(field, depth + 1, seen);
    if (redacted !== field) (copy ??= { ...value })[key] = redacted;
  }
  if (copy && 'toJSON' in copy && typeof copy.toJSON === 'function') delete copy.toJSON;
  return copy ?? value;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name: 'passkey-helpdesk',
      level,
      formatters: {
        bindings: (bindings) => redactDeep(bindings) as Record<string, unknown>,
      },
      hooks: {
        // Every argument of every log call (objects, errors, the message and its
        // interpolation values) passes the redaction before pino serialises it.
        logMethod(args, method) {
          // An Error logged on its own stays pino's `{ err, msg }` shape.
          const [first, ...rest] = args as unknown[];
          const head = first instanceof Error ? { err: redactDeep(first) } : redactDeep(first);
          const tail = first instanceof Error && rest.length === 0 ? [redactString(first.message)] : rest.map((arg) => redactDeep(arg));
          return method.apply(this, [head, ...tail] as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * Where the bot's logs go: JSON lines on stdout (for App Service, containers, log shippers), or
 * human-readable lines when a person watches a terminal. `auto` is pretty only when stdout is a TTY,
 * NODE_ENV is not `production` and the dev-only `pino-pretty` is installed (production images omit it).
 * The redaction above runs before either format.
 */
export function consoleDestination(format: LogFormat, stdout: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): DestinationStream | undefined {
  const wantPretty = format === 'pretty' || (format === 'auto' && stdout.isTTY === true && env.NODE_ENV !== 'production');
  if (!wantPretty) return undefined;
  let pretty: ((options: Record<string, unknown>) => DestinationStream) | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    pretty = require('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
  } catch {
    return undefined; // not installed (npm ci --omit=dev): JSON it is
  }
  return pretty({ colorize: stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name', destination: stdout, sync: true });
}
