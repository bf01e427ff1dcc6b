// The one way the front end talks to the server: the documented JSON API (docs/API.md).
// Errors arrive as {"error":{"code","message","field"}}; the Chinese message is shown as is.

export class ApiError extends Error {
  status: number;
  code: string;
  field?: string;
  retryAfter?: number;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

let csrfToken = '';
export function setCsrf(token: string) {
  csrfToken = token || '';
}

type Listener = (e: ApiError) => void;
const authListeners: Listener[] = [];
/** Called when the session is gone (401 other than a failed login). */
export function onSessionLost(fn: Listener) {
  authListeners.push(fn);
}

export type Query = Record<string, string | number | boolean | undefined | null | string[]>;

export function qs(params?: Query): string {
  if (!params) return '';
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    u.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  ifMatch?: number | string;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  /** do not treat 401 as a lost session (the login form itself) */
  quiet401?: boolean;
  signal?: AbortSignal;
}

async function toError(res: Response): Promise<ApiError> {
  let code = 'http.' + res.status;
  let message = `服务器返回错误（${res.status}）`;
  let field: string | undefined;
  try {
    const j = await res.json();
    if (j && j.error) {
      code = j.error.code || code;
      message = j.error.message || message;
      field = j.error.field;
    }
  } catch {
    /* not JSON: keep the generic message */
  }
  const e = new ApiError(res.status, code, message, field);
  const ra = res.headers.get('Retry-After');
  if (ra) e.retryAfter = Number(ra);
  return e;
}

export async function request<T = any>(
  method: string,
  path: string,
  body?: unknown,
  opt: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(opt.headers || {}) };
  let payload: BodyInit | undefined;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken && path.startsWith('/api/v1/'))
    headers['X-CSRF-Token'] = csrfToken;
  if (opt.ifMatch !== undefined) headers['If-Match'] = String(opt.ifMatch);
  if (opt.idempotencyKey) headers['Idempotency-Key'] = opt.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: opt.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) {
    const e = await toError(res);
    if (res.status === 401 && !opt.quiet401 && path.startsWith('/api/v1/'))
      authListeners.forEach((fn) => fn(e));
    throw e;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('application/json')) return (await res.json()) as T;
  return (await res.blob()) as unknown as T;
}

export const get = <T = any>(path: string, params?: Query, opt?: RequestOptions) =>
  request<T>('GET', path + qs(params), undefined, opt);
export const post = <T = any>(path: string, body?: unknown, opt?: RequestOptions) =>
  request<T>('POST', path, body ?? {}, opt);

/** A file from the API (attachments, exports) as a Blob, with the name the server gave it. */
export async function download(path: string, headers?: Record<string, string>): Promise<{ blob: Blob; name: string }> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { ...(headers || {}) }, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) {
    const e = await toError(res);
    if (res.status === 401 && path.startsWith('/api/v1/')) authListeners.forEach((fn) => fn(e));
    throw e;
  }
  const cd = res.headers.get('Content-Disposition') || '';
  let name = 'download';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const plain = /filename="([^"]+)"/i.exec(cd);
  if (star) name = decodeURIComponent(star[1]);
  else if (plain) name = plain[1];
  return { blob: await res.blob(), name };
}

/** Save a Blob as a file in the browser. */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A random key for Idempotency-Key: one per form, so a retried submit never registers twice. */
export function newKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
