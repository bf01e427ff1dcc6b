// The logged-in staff member (GET /api/v1/me), shared by every page.
import { reactive, computed } from 'vue';
import { get, post, setCsrf, ApiError } from './api';

export interface Unit {
  id: number;
  code: string;
  name: string;
  type: string;
  level: string;
}
export interface Me {
  user: { username: string; name: string; totp_enabled?: boolean };
  unit: Unit;
  roles: string[];
  csrf_token: string;
  totp_enrolment_required?: boolean;
}

export const session = reactive<{ me: Me | null; loaded: boolean; notice: string }>({
  me: null,
  loaded: false,
  notice: '',
});

function take(me: Me) {
  session.me = me;
  setCsrf(me.csrf_token);
}

/** Ask the server who we are; null when not logged in. */
export async function loadMe(): Promise<Me | null> {
  try {
    take(await get<Me>('/api/v1/me', undefined, { quiet401: true }));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    session.me = null;
    setCsrf('');
  }
  session.loaded = true;
  return session.me;
}

export async function login(username: string, password: string, totp?: string): Promise<Me> {
  const body: Record<string, string> = { username, password };
  if (totp) body.totp = totp;
  const me = await post<Me>('/api/v1/login', body, { quiet401: true });
  take(me);
  session.loaded = true;
  return me;
}

export async function logout() {
  try {
    await post('/api/v1/logout');
  } finally {
    session.me = null;
    setCsrf('');
  }
}

export function hasRole(...roles: string[]): boolean {
  const mine = session.me?.roles || [];
  return roles.some((r) => mine.includes(r));
}

export const ADMIN_ROLES = ['sysadmin', 'secadmin', 'auditor'];
/** Roles that work on cases (everyone but the three administrators and a bare pii_reader). */
export const BUSINESS_ROLES = [
  'registrar', 'dispatcher', 'handler', 'unit_head', 'supervisor', 'complaint_supervisor',
  'reviewer', 'leader', 'analyst',
];
export const STATS_ROLES = ['dispatcher', 'supervisor', 'leader', 'analyst', 'unit_head'];

export const isBusiness = computed(() => hasRole(...BUSINESS_ROLES));
export const isPetitionUnit = computed(() => session.me?.unit.type === 'petition');

export const ROLE_LABELS: Record<string, string> = {
  registrar: '登记员',
  dispatcher: '分办员',
  handler: '承办员',
  unit_head: '单位负责人',
  supervisor: '督办员',
  complaint_supervisor: '投诉监督员',
  reviewer: '复查复核员',
  leader: '领导',
  analyst: '分析员',
  pii_reader: '个人信息查阅',
  sysadmin: '系统管理员',
  secadmin: '安全管理员',
  auditor: '审计管理员',
};

/** Where a user lands after login. */
export function homeFor(me: Me | null): string {
  if (!me) return '/login';
  if (me.totp_enrolment_required) return '/me';
  const r = me.roles;
  if (r.includes('auditor')) return '/admin/audit';
  if (r.includes('secadmin') || r.includes('sysadmin')) return '/admin/users';
  if (r.some((x) => ['registrar', 'dispatcher', 'handler', 'unit_head', 'reviewer'].includes(x))) return '/todo';
  if (r.includes('supervisor')) return '/supervision';
  if (r.includes('leader') || r.includes('analyst')) return '/dashboard';
  if (r.includes('pii_reader')) return '/cases';
  return '/me';
}
