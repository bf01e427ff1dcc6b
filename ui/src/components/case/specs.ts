// What each case action asks for (docs/API.md, "POST /api/v1/cases/{no}/actions/{action}"):
// one form spec per action name. The server decides which actions a user may take (the case's
// `actions`) and checks every field; these specs only lay out the form it expects.
import { ref as refdata, label } from '../../refdata';
import { session } from '../../session';
import { OUTCOME_LABELS, fmtTime, fmtRemaining } from '../../format';
import type { CaseView } from './types';

export type FieldType = 'text' | 'textarea' | 'number' | 'unit' | 'units' | 'code' | 'radio' | 'case';

/** Which units a unit field offers. */
export type UnitScope = 'below-holder' | 'below-mine';

export interface FieldSpec {
  key: string;
  label: string;
  type: FieldType;
  /** marks the field with an asterisk; the server is the one that checks */
  required?: boolean;
  max?: number;
  min?: number;
  rows?: number;
  placeholder?: string;
  /** code list for type `code` (GET /api/v1/codes) */
  codes?: string;
  options?: { value: string; label: string }[];
  unitScope?: UnitScope;
  /** shown only when this returns true */
  showIf?: (form: Record<string, unknown>) => boolean;
  /** initial value from the case */
  initial?: (c: CaseView) => unknown;
  /** a hint under the field */
  hint?: string;
  /** text after a number input, e.g. 日 */
  suffix?: string;
}

export interface ActionSpec {
  fields: FieldSpec[];
  width?: number;
  /** a sentence above the form: the rule that applies, what happens next */
  note?: (c: CaseView) => string;
}

const OUTCOME_OPTIONS = Object.entries(OUTCOME_LABELS).map(([value, l]) => ({ value, label: l }));
export const DELIVERY_LABELS: Record<string, string> = { signed: '信访人签收', refused: '信访人拒绝签收' };
const DELIVERY_OPTIONS = Object.entries(DELIVERY_LABELS).map(([value, l]) => ({ value, label: l }));

const reason = (l = '理由', extra: Partial<FieldSpec> = {}): FieldSpec => ({
  key: 'reason', label: l, type: 'textarea', max: 1000, rows: 3, required: true, ...extra,
});

const DECISION: FieldSpec[] = [
  { key: 'outcome', label: '处理结果', type: 'radio', options: OUTCOME_OPTIONS, required: true },
  { key: 'facts', label: '查明事实', type: 'textarea', max: 5000, rows: 4, required: true },
  { key: 'opinion', label: '处理意见', type: 'textarea', max: 5000, rows: 4, required: true },
  {
    key: 'legal_basis', label: '法律政策依据', type: 'textarea', max: 2000, rows: 2, required: true,
    placeholder: '如：《信访工作条例》第三十二条；《保障农民工工资支付条例》第十五条',
  },
];

function clockNote(c: CaseView, name: string, prefix: string): string {
  const k = [...(c.clocks || [])].reverse().find((x) => x.name === name && x.state !== 'stopped');
  if (!k) return '';
  return `${prefix}${fmtTime(k.due)}（${fmtRemaining(k.remaining_seconds)}）。`;
}

function accusedNote(c: CaseView): string {
  return c.kind === 'accusation' && c.accused_unit
    ? `本件为检举控告，不得转送、交办给被检举控告的${c.accused_unit.name}及其下级单位（《信访工作条例》第三十条），这些单位不可选。`
    : '';
}

export const ACTION_SPECS: Record<string, ActionSpec> = {
  transfer: {
    fields: [
      { key: 'lead_unit', label: '主办单位', type: 'unit', unitScope: 'below-holder', required: true },
      { key: 'co_units', label: '协办单位', type: 'units', unitScope: 'below-holder', placeholder: '可不选，最多10个' },
    ],
    note: (c) => `转送有权处理的单位办理，该单位应在15日内告知是否受理。${accusedNote(c)}`,
  },
  assign: {
    fields: [
      { key: 'lead_unit', label: '主办单位', type: 'unit', unitScope: 'below-holder', required: true },
      { key: 'co_units', label: '协办单位', type: 'units', unitScope: 'below-holder', placeholder: '可不选，最多10个' },
      { key: 'due_days', label: '办理期限', type: 'number', min: 1, max: 90, required: true, suffix: '日', hint: '1至90日，自受理之日起计算' },
    ],
    note: (c) => `交办并要求在期限内反馈办理结果。${accusedNote(c)}`,
  },
  self_handle: {
    fields: [],
    note: () => '由本单位直接办理，受理后开始计算办理期限。',
  },
  reject: {
    fields: [
      reason('不予受理理由'),
      { key: 'route', label: '告知途径', type: 'code', codes: 'route', required: true, hint: '告知信访人依法通过该途径解决（《信访工作条例》第三十一条）' },
    ],
  },
  decline: {
    fields: [
      reason('不再受理理由'),
      { key: 'repeat_of', label: '原信访事项', type: 'case', required: true, placeholder: '已复核终结的信访事项编号，如 XF2026080300002' },
    ],
    note: () => '仅适用于已经复核终结、信访人以同一事实和理由再次提出的事项（《信访工作条例》第三十六条）。',
  },
  archive: {
    fields: [reason('存档理由')],
  },
  merge: {
    fields: [
      { key: 'into', label: '并入事项', type: 'case', required: true, placeholder: '要并入的信访事项编号' },
      reason('并案理由'),
    ],
    note: () => '本件将并入所选信访事项一并办理，本件随之终止。',
  },
  accept: {
    fields: [],
    note: (c) => `受理后开始计算办理期限，并告知信访人。${clockNote(c, 'accept', '受理告知期限：')}`,
  },
  return: {
    fields: [reason('退回理由', { placeholder: '说明不属于本单位职权范围的理由及应当办理的单位' })],
    note: (c) =>
      `对不属于本单位职权范围的事项，应自收到之日起5个工作日内提出异议并退回（《信访工作条例》第二十三条），逾期应予受理。${clockNote(c, 'objection', '退回截止：')}`,
  },
  request_extension: {
    fields: [
      { key: 'days', label: '延期天数', type: 'number', min: 1, max: 30, required: true, suffix: '日', hint: '不超过30日' },
      reason('延期理由'),
    ],
    note: (c) => `情况复杂的，经本单位负责人批准可以适当延长办理期限，每件只能延期一次，延长期限不得超过30日，并告知信访人延期理由（《信访工作条例》第三十四条）。${clockNote(c, 'handle', '当前办理期限：')}`,
  },
  approve_extension: {
    fields: [],
    note: (c) => `批准延期${c.extension_days ? ` ${c.extension_days} 日` : ''}，办理期限相应延长。`,
  },
  deny_extension: {
    fields: [reason('不予批准的理由')],
    note: (c) => `不批准延期${c.extension_days ? ` ${c.extension_days} 日` : ''}的申请，承办单位须在原期限内办结。`,
  },
  reply: {
    width: 780,
    fields: [
      ...DECISION,
      { key: 'delivery', label: '送达情况', type: 'radio', options: DELIVERY_OPTIONS, required: true },
      {
        key: 'witness', label: '见证人', type: 'text', max: 50, required: true,
        showIf: (f) => f.delivery === 'refused', placeholder: '拒绝签收时在场的见证人姓名及身份',
      },
    ],
    note: () => '处理意见书须载明查明的事实、处理意见和法律政策依据，报信访部门审核后送达信访人。',
  },
  approve: {
    fields: [],
    note: (c) => `审核通过后本件办结${c.reply?.outcome ? `（处理结果：${OUTCOME_LABELS[c.reply.outcome] || c.reply.outcome}）` : ''}，信访人可在收到处理意见之日起30日内请求复查。`,
  },
  send_back: {
    fields: [reason('退回修改意见')],
    note: () => '处理意见退回承办单位修改完善后重新报送。',
  },
  decide_review: {
    width: 780,
    fields: DECISION,
    note: () => '复查机关应自收到复查请求之日起30日内提出复查意见（《信访工作条例》第三十五条）。',
  },
  decide_recheck: {
    width: 780,
    fields: DECISION,
    note: () => '复核意见为终结意见；信访人仍以同一事实和理由提出的，不再受理（《信访工作条例》第三十五条、第三十六条）。',
  },
  request_material: {
    fields: [reason('需补充的材料', { placeholder: '列明需信访人补充的材料及理由' })],
    note: () => '通知信访人补充材料，补充期间办理期限暂停计算。',
  },
  receive_material: {
    fields: [],
    note: () => '记录已收到补充材料，办理期限恢复计算。',
  },
  start_hearing: {
    fields: [reason('听证事由')],
    note: () => '听证所需时间不计入复查、复核期限（《信访工作条例》第三十六条）。',
  },
  end_hearing: {
    fields: [],
    note: () => '听证结束，复查、复核期限恢复计算。',
  },
  implement: {
    fields: [{ key: 'facts', label: '落实情况', type: 'textarea', max: 5000, rows: 4, required: true }],
    note: () => '记录予以支持的处理意见的落实情况。',
  },
  suggest: {
    fields: [
      {
        key: 'to_unit', label: '送达单位', type: 'unit', unitScope: 'below-mine', required: true,
        initial: (c) => (c.lead_unit && session.me && unitUnder(c.lead_unit.id, session.me.unit.id) ? c.lead_unit.id : null),
      },
      { key: 'suggestion_type', label: '建议类型', type: 'code', codes: 'suggestion', required: true },
      { key: 'opinion', label: '建议内容', type: 'textarea', max: 5000, rows: 4, required: true },
    ],
    note: (c) => `向有关单位提出改进工作、完善政策或追究责任的建议，收到建议的单位应书面反馈（《信访工作条例》第三十九条）。${accusedNote(c) ? '被检举控告的单位不可选。' : ''}`,
  },
  suggestion_feedback: {
    fields: [{ key: 'facts', label: '反馈意见', type: 'textarea', max: 5000, rows: 4, required: true }],
    note: (c) => {
      const s = c.suggestion as { opinion?: string; suggestion_type?: string } | null;
      return s ? `就${label('suggestion', s.suggestion_type) || '三项建议'}作出书面反馈：${s.opinion || ''}` : '';
    },
  },
  remind: {
    fields: [reason('催办事由')],
    note: () => '催促承办单位加快办理，催办记入办理过程。',
  },
  supervise: {
    fields: [
      reason('督办事由'),
      { key: 'due_days', label: '反馈期限', type: 'number', min: 1, max: 30, suffix: '日', hint: '选填，1至30日内报告办理情况' },
    ],
    note: () => '对办理中的问题发出督办，要求承办单位在期限内报告办理情况。',
  },
  instruct: {
    fields: [{ key: 'opinion', label: '批示内容', type: 'textarea', max: 2000, rows: 4, required: true }],
  },
  take_ownership: {
    fields: [reason('包案说明', { required: false, placeholder: '选填' })],
    note: () => '由您包案负责本信访事项，一包到底。',
  },
  release_ownership: {
    fields: [reason('解除说明', { required: false, placeholder: '选填' })],
  },
};

export const COMMENT_FIELD: FieldSpec = {
  key: 'comment', label: '备注', type: 'textarea', max: 1000, rows: 2, placeholder: '选填，记入办理过程',
};

/** The main next step of a case: shown as a primary button. */
export const PRIMARY_ACTIONS = new Set(['accept', 'reply', 'approve', 'transfer', 'decide_review', 'decide_recheck']);
/** Actions that end or turn back the matter: shown in red. */
export const NEGATIVE_ACTIONS = new Set(['reject', 'decline', 'return', 'send_back', 'deny_extension', 'release_ownership']);

/** Action labels for events the code list may not name (oversight, attachments). */
const EXTRA_ACTION_LABELS: Record<string, string> = {
  attach: '上传附件',
  remind: '催办',
  supervise: '督办',
  instruct: '批示',
  take_ownership: '包案',
  release_ownership: '解除包案',
  rate: '评价',
};
export function actionLabel(action: string): string {
  const l = label('action', action);
  return l && l !== action ? l : EXTRA_ACTION_LABELS[action] || action;
}

export function stateLabel(state: string): string {
  if (state === 'none') return '未登记';
  return label('state', state);
}

/** Is unit `id` strictly under unit `root` in the tree? */
export function unitUnder(id: number, root: number): boolean {
  let cur = refdata.units.find((u) => u.id === id);
  for (let i = 0; cur && cur.parent_id !== null && i < 32; i++) {
    if (cur.parent_id === root) return true;
    const parent: number = cur.parent_id;
    cur = refdata.units.find((u) => u.id === parent);
  }
  return false;
}

/** "60 days" → "60日", "5 workdays" → "5个工作日", "2 hours" → "2小时". */
export function fmtLimit(limit?: string | null): string {
  if (!limit) return '';
  return limit
    .replace(/(\d+)\s*workdays?/g, '$1个工作日')
    .replace(/(\d+)\s*days?/g, '$1日')
    .replace(/(\d+)\s*hours?/g, '$1小时');
}

export function fmtSize(n?: number | null): string {
  if (n === null || n === undefined) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function kebab(s: string): string {
  return s.replace(/_/g, '-');
}

/** A code's label with its parents: "城乡建设 / 住房保障与房地产", "黑龙江省 / 哈尔滨市 / 道里区". */
export function codePath(list: string, code?: string | null): string {
  const items = refdata.codes[list] || [];
  const out: string[] = [];
  let c = code || '';
  for (let i = 0; c && i < 8; i++) {
    const hit = items.find((x) => x.code === c);
    if (!hit) {
      if (!out.length) out.push(c);
      break;
    }
    out.unshift(hit.label);
    c = hit.parent || '';
  }
  return out.join(' / ');
}
