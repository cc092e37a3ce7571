// The text of the `withRetry` helper the quick fix adds to a project (once). It
// knows no HTTP library: it reads fetch Responses and axios/got errors by shape,
// so the same file serves every client and type-checks without their types.
export const HELPER_EXPORT = 'withRetry';
export const HELPER_BASENAME = 'with-retry';

export const RETRY_HELPER_TS = `// Retries an idempotent outgoing HTTP request on transient failures (network
// errors, timeouts, 408, 429, 5xx) with exponential backoff and full jitter, and
// gives every attempt its own timeout. Added by Production Hardening.

export interface RetryOptions {
  /** Attempts in all, the first one included. */
  readonly attempts?: number;
  /** Time limit of each attempt, in milliseconds. */
  readonly timeoutMs?: number;
  /** Ceiling of the first backoff; it doubles with each retry up to maxDelayMs. */
  readonly baseDelayMs?: number;
  /** Longest wait between attempts, Retry-After included: a longer Retry-After ends the retries. */
  readonly maxDelayMs?: number;
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_NETWORK',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/**
 * Runs \`attempt\` until it succeeds, fails in a way a retry cannot fix, or runs out
 * of attempts. Only for idempotent requests (GET, HEAD, OPTIONS, PUT, DELETE, or
 * one carrying an Idempotency-Key header): a retried POST can be applied twice.
 */
export async function withRetry<T>(attempt: (signal: AbortSignal) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 3, timeoutMs = 10_000, baseDelayMs = 200, maxDelayMs = 5_000 } = options;
  for (let n = 1; ; n++) {
    let delay: number | undefined;
    try {
      const result = await attempt(AbortSignal.timeout(timeoutMs));
      // fetch resolves on any status: a transient one is retried like an error.
      const status = statusOf(result);
      if (n >= attempts || status === undefined || !isTransientStatus(status)) return result;
      delay = delayBeforeRetry(n, retryAfterMs(result), baseDelayMs, maxDelayMs);
      if (delay === undefined) return result;
      await discardBody(result);
    } catch (error) {
      if (n >= attempts || !isTransient(error)) throw error;
      delay = delayBeforeRetry(n, retryAfterMs(field(error, 'response')), baseDelayMs, maxDelayMs);
      if (delay === undefined) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

function isTransientStatus(status: number): boolean {
  // 501 and 505 say the server will never do it: retrying cannot help.
  return status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

function isTransient(error: unknown): boolean {
  const status = statusOf(field(error, 'response'));
  if (status !== undefined) return isTransientStatus(status);
  // AbortSignal.timeout() fails with a TimeoutError; an AbortError is a deliberate cancel.
  if (field(error, 'name') === 'TimeoutError') return true;
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 4; e = field(e, 'cause'), depth++) {
    const code = field(e, 'code');
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  }
  return false;
}

/** Full jitter spreads the retries of many clients instead of sending them in waves. */
function delayBeforeRetry(attempt: number, retryAfter: number | undefined, baseDelayMs: number, maxDelayMs: number): number | undefined {
  if (retryAfter !== undefined) return retryAfter <= maxDelayMs ? retryAfter : undefined;
  return Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
}

/** Retry-After in milliseconds, from a fetch Response, an axios or a got response. */
function retryAfterMs(response: unknown): number | undefined {
  const headers = field(response, 'headers');
  const get = field(headers, 'get');
  const value = typeof get === 'function' ? get.call(headers, 'retry-after') : field(headers, 'retry-after');
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function statusOf(response: unknown): number | undefined {
  const status = field(response, 'status') ?? field(response, 'statusCode');
  return typeof status === 'number' ? status : undefined;
}

/** An unread body holds its connection until it is garbage-collected. */
async function discardBody(response: unknown): Promise<void> {
  const body = field(response, 'body');
  // fetch's ReadableStream has cancel(), undici.request's body has dump().
  const discard = field(body, 'cancel') ?? field(body, 'dump');
  if (typeof discard !== 'function') return;
  try {
    await discard.call(body);
  } catch {
    // The response is dropped either way: a failed cancel changes nothing.
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
`;
