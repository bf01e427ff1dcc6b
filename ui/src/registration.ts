// Registration (登记) form model: the fields of POST /api/v1/cases (docs/API.md), the
// client-side checks that mirror the server's, and the shapes of the screening answers
// (POST /api/v1/cases/similar, POST /api/v1/petitioners/lookup).

export interface PetitionerDraft {
  /** local row key (never sent) */
  uid: number;
  name: string;
  sex: string;
  id_type: string;
  id_number: string;
  phone: string;
  address: string;
  address_code: string | null;
  workplace: string;
  representative: boolean;
}

let nextUid = 1;
export function newPetitioner(): PetitionerDraft {
  return {
    uid: nextUid++,
    name: '',
    sex: '',
    id_type: 'resident_id',
    id_number: '',
    phone: '',
    address: '',
    address_code: null,
    workplace: '',
    representative: false,
  };
}

export interface RegistrationDraft {
  channel: string;
  kind: string;
  purpose: string;
  category: string | null;
  locality: string | null;
  title: string;
  content: string;
  request: string;
  petition_date: string | null;
  flags: string[];
  people_count: number | null;
  involved_count: number | null;
  accused_unit: number | null;
  accused_name: string;
  repeat_of: string;
  /** 关联件: other people's cases on the same matter, marked from the candidates */
  related: string[];
  petitioners: PetitionerDraft[];
}

export function newDraft(channel: string): RegistrationDraft {
  return {
    channel,
    kind: '',
    purpose: '',
    category: null,
    locality: null,
    title: '',
    content: '',
    request: '',
    petition_date: null,
    flags: [],
    people_count: null,
    involved_count: null,
    accused_unit: null,
    accused_name: '',
    repeat_of: '',
    related: [],
    petitioners: [newPetitioner()],
  };
}

export const LIMITS = { title: 100, content: 10000, request: 2000, name: 50, id_number: 30, phone: 20, address: 200, workplace: 100, accused_name: 100 };
export const MAX_REPRESENTATIVES = 5;

/** Characters as the server counts them (code points, not UTF-16 units). */
export const chars = (s: string) => Array.from(s).length;

/** GB 11643 check character of an 18-digit citizen ID number (as the server checks it). */
export function residentIdOk(s: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(s)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * w[i];
  return '10X98765432'[sum % 11] === s[17].toUpperCase();
}

/** The server's phone rule: 7–20 characters of digits, '+', '-', ' ', at least 7 digits. */
export function phoneOk(s: string): boolean {
  return s.length >= 7 && s.length <= 20 && /^[\d+\- ]+$/.test(s) && s.replace(/\D/g, '').length >= 7;
}

/** The server's message for a citizen ID number that fails GB 11643, or ''. */
export function idNumberError(p: PetitionerDraft): string {
  const id = p.id_number.trim();
  return id && (p.id_type || 'resident_id') === 'resident_id' && !residentIdOk(id)
    ? `身份证号码“${id}”不正确（应为18位且校验码正确）`
    : '';
}
export function phoneError(p: PetitionerDraft): string {
  const ph = p.phone.trim();
  return ph && !phoneOk(ph) ? `电话号码“${ph}”不正确` : '';
}

export const PET_FIELDS = ['name', 'sex', 'id_type', 'id_number', 'phone', 'address', 'address_code', 'workplace'] as const;

/** The JSON body of POST /api/v1/cases: empty fields left out, so the server's defaults apply. */
export function registrationBody(d: RegistrationDraft): Record<string, unknown> {
  const b: Record<string, unknown> = {
    channel: d.channel,
    kind: d.kind,
    purpose: d.purpose,
    category: d.category,
    locality: d.locality,
    title: d.title.trim(),
    content: d.content.trim(),
    request: d.request.trim(),
  };
  for (const k of ['kind', 'purpose', 'category', 'locality', 'title', 'content', 'request']) if (!b[k]) delete b[k];
  if (d.flags.length) b.flags = [...d.flags];
  if (d.petition_date) b.petition_date = d.petition_date;
  if (d.people_count) b.people_count = d.people_count;
  if (d.involved_count !== null && d.involved_count !== undefined) b.involved_count = d.involved_count;
  if (d.kind === 'accusation') {
    if (d.accused_unit) b.accused_unit = d.accused_unit;
    if (d.accused_name.trim()) b.accused_name = d.accused_name.trim();
  }
  if (d.repeat_of.trim()) b.repeat_of = d.repeat_of.trim();
  if (d.related.length) b.related = [...d.related];
  if (!d.flags.includes('anonymous')) {
    b.petitioners = d.petitioners.map((p) => {
      const o: Record<string, unknown> = {};
      for (const f of PET_FIELDS) {
        const v = p[f];
        if (typeof v === 'string' ? v.trim() : v) o[f] = typeof v === 'string' ? v.trim() : v;
      }
      if (!o.id_number) delete o.id_type;
      if (p.representative) o.representative = true;
      return o;
    });
  }
  return b;
}

/**
 * Client checks that mirror the server's and block submitting: required fields, lengths, the
 * number of representatives and people. The ID number and phone rules are checked as the clerk
 * leaves the field (idNumberError, phoneError) but left to the server at submit: its answer is
 * the authority.
 */
export function checkDraft(d: RegistrationDraft): Record<string, string> {
  const e: Record<string, string> = {};
  const req: [keyof RegistrationDraft, string][] = [
    ['kind', '请选择信访形式'],
    ['purpose', '请选择信访目的'],
    ['category', '请选择内容分类'],
    ['locality', '请选择问题属地'],
    ['title', '请填写标题'],
    ['content', '请填写主要内容'],
    ['request', '请填写诉求'],
  ];
  for (const [k, msg] of req) {
    const v = d[k];
    if (!v || (typeof v === 'string' && !v.trim())) e[k] = msg;
  }
  for (const k of ['title', 'content', 'request'] as const)
    if (chars(d[k]) > LIMITS[k]) e[k] = `不能超过${LIMITS[k]}个字（现为${chars(d[k])}个字）`;
  if (!d.flags.includes('anonymous')) {
    if (!d.petitioners.length) e.petitioners = '请至少填写一名信访人（匿名件请勾选“匿名”）';
    d.petitioners.forEach((p, i) => {
      if (!p.name.trim()) e[`petitioners[${i}].name`] = '请填写姓名';
    });
    const reps = d.petitioners.filter((p) => p.representative).length;
    if (reps > MAX_REPRESENTATIVES) e.petitioners = `代表人数不超过${MAX_REPRESENTATIVES}人（现为${reps}人）`;
    if (d.people_count && d.people_count < d.petitioners.length) e.people_count = '信访人数不能少于登记的信访人';
  }
  return e;
}

/** One candidate of POST /api/v1/cases/similar (and of the registration's answer). */
export interface Candidate {
  no: string;
  holder_unit: { id: number; name: string } | null;
  score: number;
  in_scope: boolean;
  title?: string;
  state?: string;
  state_label?: string;
  registered_at?: string;
  similarity?: number;
  relation?: 'repeat' | 'related' | 'none';
  reasons?: string[];
}

/** One row of POST /api/v1/petitioners/lookup (masked as the server gives it). */
export interface LookupItem {
  no: string;
  title: string;
  state: string;
  kind: string;
  registered_at: string;
  ord: number;
  name: string;
  id_number: string | null;
  phone: string | null;
}

/** Query codes are shown once: kept for the receipt in this tab only (never in the URL). */
export const queryCodeKey = (no: string) => `xf.query_code.${no}`;

/** The returning-petitioner hint of one petitioner row. */
export interface History {
  loading: boolean;
  error: string;
  items: LookupItem[];
}
