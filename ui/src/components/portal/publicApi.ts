// The petitioner's portal talks only to /api/public/v1/ (no login, no CSRF): code lists,
// attachments with the query code in the X-Query-Code header (never in the URL), and the
// Chinese wording of refusals that concern the portal (rate limits, uploads).
import { reactive } from 'vue';
import { ApiError, get } from '../../api';
import type { Code } from '../../refdata';

/**
 * The number and code handed from the submit page to the query page, in memory only (never in
 * the URL, the history state or storage); the query page takes it once.
 */
export const handoff = { no: '', code: '' };

/** GET /api/public/v1/codes: the same lists as the staff GET /api/v1/codes. */
export const publicCodes = reactive<{ codes: Record<string, Code[]>; loaded: boolean }>({ codes: {}, loaded: false });

let pending: Promise<void> | null = null;
export function loadPublicCodes(): Promise<void> {
  if (publicCodes.loaded) return Promise.resolve();
  if (!pending)
    pending = get<Record<string, Code[]>>('/api/public/v1/codes')
      .then((c) => {
        publicCodes.codes = c;
        publicCodes.loaded = true;
      })
      .finally(() => {
        pending = null;
      });
  return pending;
}

/** GET /api/public/v1/units, as a tree for a picker: loaded when an accusation needs it. */
export interface PublicUnitNode {
  value: number;
  label: string;
  children?: PublicUnitNode[];
}
export const publicUnits = reactive<{ tree: PublicUnitNode[]; loaded: boolean }>({ tree: [], loaded: false });
export async function loadPublicUnits(): Promise<void> {
  if (publicUnits.loaded) return;
  const { items } = await get<{ items: { id: number; parent_id: number | null; name: string }[] }>('/api/public/v1/units');
  const build = (p: number | null): PublicUnitNode[] =>
    items.filter((u) => u.parent_id === p).map((u) => {
      const ch = build(u.id);
      return ch.length ? { value: u.id, label: u.name, children: ch } : { value: u.id, label: u.name };
    });
  publicUnits.tree = build(null);
  publicUnits.loaded = true;
}

export function codeLabel(list: string, code?: string | null): string {
  if (!code) return '';
  return publicCodes.codes[list]?.find((c) => c.code === code)?.label ?? code;
}

/** An attachment as the portal sees it (no uploaded_by). */
export interface PublicAttachment {
  id: string;
  name: string;
  type: string;
  content_type: string;
  size: number;
  uploaded_at: string;
  url: string;
}

/** Per file, at most 20 MiB (docs/API.md, Attachments). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** At most 20 files from the petitioner per case. */
export const MAX_PETITIONER_FILES = 20;
/** The allowed types (the server decides by content; this only guides the file chooser). */
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.mp3,.amr';
export const ACCEPT_TEXT = 'PDF、JPG、PNG、Word、Excel、MP3、AMR，每个不超过20MB，最多20个';

export function fmtSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function parseError(status: number, text: string, retryAfter: string | null): ApiError {
  let code = 'http.' + status;
  let message = `服务器返回错误（${status}）`;
  let field: string | undefined;
  try {
    const j = JSON.parse(text);
    if (j && j.error) {
      code = j.error.code || code;
      message = j.error.message || message;
      field = j.error.field;
    }
  } catch {
    /* not JSON */
  }
  const e = new ApiError(status, code, message, field);
  if (retryAfter) e.retryAfter = Number(retryAfter);
  return e;
}

/**
 * POST /api/public/v1/cases/{no}/attachments?name=… with X-Query-Code, the body being the file.
 * XMLHttpRequest rather than fetch for the upload progress.
 */
export function uploadAttachment(
  no: string,
  queryCode: string,
  file: File,
  onProgress?: (percent: number) => void,
): Promise<PublicAttachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/public/v1/cases/${encodeURIComponent(no)}/attachments?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('X-Query-Code', queryCode);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && onProgress) onProgress(Math.min(99, Math.round((ev.loaded / ev.total) * 100)));
    };
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 200) {
        try {
          onProgress?.(100);
          resolve(JSON.parse(xhr.responseText).attachment);
        } catch {
          reject(new ApiError(xhr.status, 'bad_answer', '服务器的答复无法识别'));
        }
      } else reject(parseError(xhr.status, xhr.responseText, xhr.getResponseHeader('Retry-After')));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', '网络中断，文件未能上传，请检查网络后重试'));
    xhr.send(file);
  });
}

/** GET /api/public/v1/cases/{no}/attachments with X-Query-Code: the petitioner's own files. */
export async function listAttachments(no: string, queryCode: string): Promise<PublicAttachment[]> {
  const r = await get<{ items: PublicAttachment[] }>(`/api/public/v1/cases/${encodeURIComponent(no)}/attachments`, undefined, {
    headers: { 'X-Query-Code': queryCode },
  });
  return r.items;
}

/** The message for a refusal; a rate limit says when to try again. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'request.rate_limited' && e.retryAfter && !/\d/.test(e.message))
      return `${e.message}（请 ${e.retryAfter} 秒后再试）`;
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** A file the browser holds until the case exists, then uploads. */
export interface PendingFile {
  uid: number;
  file: File;
  status: 'waiting' | 'uploading' | 'done' | 'failed';
  percent: number;
  error: string;
  /** failed for a reason that may pass on a second try (network, busy server) */
  retryable?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Upload the files one after another. A busy server (503 server.busy, Retry-After) is waited
 * for and tried again up to twice; every other refusal is kept on the file, in Chinese.
 */
export async function uploadAll(no: string, queryCode: string, files: PendingFile[], onDone?: (a: PublicAttachment) => void) {
  for (const f of files) {
    if (f.status === 'done' || (f.status === 'failed' && !f.retryable)) continue;
    f.status = 'uploading';
    f.error = '';
    f.percent = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const a = await uploadAttachment(no, queryCode, f.file, (p) => (f.percent = p));
        f.status = 'done';
        f.percent = 100;
        onDone?.(a);
        break;
      } catch (e) {
        if (e instanceof ApiError && (e.code === 'server.busy' || e.code === 'request.rate_limited') && attempt < 2) {
          const wait = Math.min(e.retryAfter || 10, 60);
          f.error = `服务器繁忙，${wait} 秒后自动重试…`;
          await sleep(wait * 1000);
          f.error = '';
          continue;
        }
        f.status = 'failed';
        f.error = errorText(e);
        f.retryable = !(e instanceof ApiError) || e.status === 0 || e.status === 429 || e.status >= 500;
        break;
      }
    }
  }
}
