// The case lists (我的待办 /todo, 信访事项 /cases): their rows, their filters and how the
// filters travel between the route query, the API and saved views.
//
// The route query holds the API's own filter parameters (docs/API.md, GET /api/v1/cases), so a
// URL can be shared, Back works, and a saved view is simply a route query:
//   q, state (comma-separated), channel, kind, category (code prefix), locality (division
//   prefix, 2–6 digits), unit (unit id), from, to (YYYY-MM-DD)
// plus `due` (warning | overdue) on the to-do list, a view of the loaded rows only.
import type { LocationQuery, LocationQueryRaw } from 'vue-router';

export interface UnitRef {
  id: number;
  name: string;
}
export interface Snippet {
  field: string;
  text: string;
  highlights: [number, number][];
}
/** One row of GET /api/v1/cases or /api/v1/todo. */
export interface CaseRow {
  no: string;
  version: number;
  state: string;
  state_label?: string;
  channel: string;
  kind: string;
  purpose?: string;
  category: string;
  locality: string;
  title: string;
  flags?: string[];
  registered_at: string;
  updated_at?: string;
  due_at?: string | null;
  due_clock?: string | null;
  due_clock_label?: string | null;
  due_state?: string | null;
  remaining_seconds?: number | null;
  holder_unit: UnitRef | null;
  lead_unit: UnitRef | null;
  snippet?: Snippet;
}
export interface CaseList {
  items: CaseRow[];
  next_cursor: string | null;
}

export interface Filters {
  q: string;
  state: string[];
  channel: string;
  kind: string;
  category: string;
  /** division prefix as the API takes it: 23, 2301, 230102 */
  locality: string;
  unit: number | null;
  from: string;
  to: string;
}

/** The API's filter parameters, in the order they appear in a URL. */
export const FILTER_KEYS = ['q', 'state', 'channel', 'kind', 'category', 'locality', 'unit', 'from', 'to'] as const;

export function emptyFilters(): Filters {
  return { q: '', state: [], channel: '', kind: '', category: '', locality: '', unit: null, from: '', to: '' };
}

function one(v: LocationQuery[string] | undefined): string {
  if (Array.isArray(v)) return v[0] ?? '';
  return v ?? '';
}

export function filtersFromQuery(q: LocationQuery): Filters {
  const f = emptyFilters();
  f.q = one(q.q);
  f.state = one(q.state).split(',').filter(Boolean);
  f.channel = one(q.channel);
  f.kind = one(q.kind);
  f.category = one(q.category);
  f.locality = one(q.locality);
  const unit = Number(one(q.unit));
  f.unit = one(q.unit) && Number.isInteger(unit) ? unit : null;
  f.from = one(q.from);
  f.to = one(q.to);
  return f;
}

/** The filters as flat strings (API parameters, route query, saved view), empty ones left out. */
export function filterParams(f: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  const q = f.q.trim();
  if (q) out.q = q;
  if (f.state.length) out.state = f.state.join(',');
  if (f.channel) out.channel = f.channel;
  if (f.kind) out.kind = f.kind;
  if (f.category) out.category = f.category;
  if (f.locality) out.locality = f.locality;
  if (f.unit !== null && f.unit !== undefined) out.unit = String(f.unit);
  if (f.from) out.from = f.from;
  if (f.to) out.to = f.to;
  return out;
}

export function hasFilters(f: Filters): boolean {
  return Object.keys(filterParams(f)).length > 0;
}

/** The route query for these filters, keeping the non-filter keys of `current` (e.g. `due`). */
export function queryWith(current: LocationQuery, f: Filters): LocationQueryRaw {
  const out: LocationQueryRaw = {};
  for (const [k, v] of Object.entries(current)) if (!(FILTER_KEYS as readonly string[]).includes(k)) out[k] = v;
  return { ...filterParams(f), ...out };
}

/** Same filters? (for "which saved view is this") */
export function sameParams(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).filter((k) => a[k] !== '');
  const kb = Object.keys(b).filter((k) => b[k] !== '');
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}

/**
 * 问题属地: the picker holds a six-digit division code, the API a prefix of 2–6 digits
 * (230000 → 23, 230100 → 2301, 230102 → 230102) so that a province or city takes in
 * everything under it.
 */
export function divisionPrefix(code: string | null | undefined): string {
  if (!code) return '';
  if (!/^\d{6}$/.test(code)) return code;
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}
export function divisionCode(prefix: string | null | undefined): string {
  if (!prefix) return '';
  return /^\d{2,6}$/.test(prefix) ? prefix.padEnd(6, '0') : prefix;
}

/** A search snippet cut into plain-text pieces; `hit` pieces go inside <mark>. Never HTML. */
export function snippetParts(text: string, highlights: [number, number][] | undefined): { text: string; hit: boolean }[] {
  const out: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const [s0, e0] of highlights || []) {
    const s = Math.max(at, Math.min(s0, text.length));
    const e = Math.max(s, Math.min(e0, text.length));
    if (s > at) out.push({ text: text.slice(at, s), hit: false });
    if (e > s) out.push({ text: text.slice(s, e), hit: true });
    at = e;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false });
  return out;
}

export const SNIPPET_FIELDS: Record<string, string> = {
  title: '标题',
  content: '正文',
  request: '诉求',
  reply: '答复',
};

/** How the full-text search works, for empty results and the search box's tooltip. */
export const SEARCH_HELP =
  '搜索标题、正文、诉求和答复内容：输入至少一个字即可，中文逐字匹配；多个词用空格隔开表示须同时包含（如“噪音 夜间”）；最多50个字。';
