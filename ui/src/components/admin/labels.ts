// Chinese labels the administrators' pages need and the API does not send (see the report:
// GET /api/v1/policies has no clock labels, GET /api/v1/units no type/level labels).
import { label } from '../../refdata';

export const UNIT_TYPE_LABELS: Record<string, string> = {
  petition: '信访部门',
  handling: '办理单位',
  discipline: '纪检监察',
};
export const UNIT_TYPE_TAG: Record<string, 'danger' | 'primary' | 'warning'> = {
  petition: 'danger',
  handling: 'primary',
  discipline: 'warning',
};

export const UNIT_LEVEL_LABELS: Record<string, string> = {
  national: '国家级',
  province: '省级',
  city: '市级',
  county: '县级',
  township: '乡镇级',
};

/** The clocks of a case (src/domain/policy.c) and the other limits a policy holds. */
export const CLOCK_LABELS: Record<string, string> = {
  triage: '甄别分办',
  accept: '受理告知',
  objection: '退回异议期',
  handle: '办理',
  extension: '延期',
  review_request: '申请复查期限',
  review: '复查',
  recheck_request: '申请复核期限',
  recheck: '复核',
  implement: '落实处理意见',
  suggestion: '三项建议反馈',
};
export const CLOCK_KEYS = Object.keys(CLOCK_LABELS);

/** The variants of a limit: `handle.urgent`, `triage.county`, … */
export const VARIANT_LABELS: Record<string, string> = {
  urgent: '紧急件',
  province: '省级',
  city: '市级',
  county: '县级',
  township: '乡镇级',
};

export function limitKeyLabel(key: string): string {
  const [base, variant] = key.split('.', 2);
  const b = CLOCK_LABELS[base] ?? base;
  return variant ? `${b}（${VARIANT_LABELS[variant] ?? variant}）` : b;
}

export const TIME_UNIT_LABELS: Record<string, string> = {
  days: '日',
  workdays: '工作日',
  hours: '小时',
};

export function fmtLimit(amount: number, unit: string): string {
  return `${amount} ${TIME_UNIT_LABELS[unit] ?? unit}`;
}

/** Audit actions other than case.<action> (docs/API.md, Audit). */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  login: '登录',
  logout: '退出',
  'access.denied': '越权访问被拒',
  'attachment.download': '下载附件',
  'pii.unmask': '查看个人信息',
  'pii.lookup': '查询信访人',
  'pii.seal_legacy': '加密存量个人信息',
  'user.add': '新建用户',
  'user.roles': '调整角色',
  'user.disable': '停用账号',
  'user.enable': '启用账号',
  'password.change': '修改密码',
  'password.reset': '重置密码',
  'totp.setup': '设置动态验证码',
  'totp.enable': '启用动态验证码',
  'totp.disable': '停用动态验证码',
  'totp.reset': '重置动态验证码',
  'calendar.import': '导入节假日安排',
  'policy.set': '调整时限策略',
  'unit.policy': '设置单位时限策略',
  'unit.add': '新增单位',
  'audit.retention': '设置日志保存期限',
  'audit.purge': '清理过期日志',
  'case.attach': '事项操作：上传附件',
  'case.export': '事项操作：导出',
};

/** "case.transfer" → "事项操作：转送" (the action code list, GET /api/v1/codes `action`). */
export function auditActionLabel(action: string): string {
  if (AUDIT_ACTION_LABELS[action]) return AUDIT_ACTION_LABELS[action];
  if (action.startsWith('case.')) return `事项操作：${label('action', action.slice(5))}`;
  return action;
}

/** The groups the audit filter offers. */
export const AUDIT_GROUPS: { value: string; label: string; match: (a: string) => boolean }[] = [
  { value: 'session', label: '登录与退出', match: (a) => a === 'login' || a === 'logout' },
  { value: 'denied', label: '越权访问', match: (a) => a === 'access.denied' },
  { value: 'case', label: '事项操作', match: (a) => a.startsWith('case.') || a === 'attachment.download' },
  { value: 'pii', label: '个人信息', match: (a) => a.startsWith('pii.') },
  {
    value: 'account',
    label: '账号与权限',
    match: (a) => a.startsWith('user.') || a.startsWith('password.') || a.startsWith('totp.'),
  },
  {
    value: 'config',
    label: '系统配置',
    match: (a) => a.startsWith('calendar.') || a.startsWith('policy.') || a.startsWith('unit.'),
  },
  { value: 'audit', label: '审计管理', match: (a) => a.startsWith('audit.') },
];

export const AUDIT_RESULT: Record<string, { label: string; type: 'success' | 'danger' | 'warning' | 'info' }> = {
  ok: { label: '成功', type: 'success' },
  failure: { label: '失败', type: 'danger' },
  locked: { label: '已锁定', type: 'warning' },
  refused: { label: '拒绝', type: 'danger' },
};

export const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
