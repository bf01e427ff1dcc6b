// mkseeds.mjs - writes the hand-made seeds of fuzz_http (tests/fuzz/seeds/fuzz_http/):
// one valid request for every route, a valid JSON body for every POST (taken
// from tests/api/*.test.mjs), and a few near misses. The input format is
// described at the top of fuzz_http.c; the route indices are read from its
// templates[] table. Run: node tests/fuzz/mkseeds.mjs
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const src = readFileSync(path.join(HERE, 'fuzz_http.c'), 'utf8');
const table = src.slice(src.indexOf('static const struct tmpl templates[]'));
const templates = [...table.slice(0, table.indexOf('};')).matchAll(/\{ "([A-Z]+)", "([^"]*)" \}/g)]
  .map((m) => `${m[1]} ${m[2]}`);
const N_SESS = Number(/#define N_SESS (\d+)/.exec(src)[1]);

// Session numbers (fuzz_http.c sessions[]).
const S = {
  none: 0, registrar: 1, dispatcher: 2, handler: 3, unit_head: 4, reviewer: 5, sysadmin: 6,
  auditor: 7, supervisor: 8, reader: 9, secadmin: 10, sacrifice: 11, pii_reader: 12, forged: N_SESS + 1,
};

// Every route of src/http/server.c should have a template.
{
  const server = readFileSync(path.join(HERE, '../../src/http/server.c'), 'utf8');
  const routes = /static const struct route routes\[\] = \{([\s\S]*?)\n\};/.exec(server)[1];
  for (const m of routes.matchAll(/\{\s*"([A-Z]+)",\s*"([^"]+)"/g)) {
    if (!templates.includes(`${m[1]} ${m[2]}`)) console.warn(`fuzz_http.c has no template for ${m[1]} ${m[2]}: append one`);
  }
}
// Unit ids of the demo organisation (stable: demo_run adds them in one order).
const U = { 'dl-xfj': 9, 'dl-cgj': 10, 'dl-zjj': 11, 'hrb-xfj': 4 };

/** A printable byte b with b % n === i (n a power of two: b & (n - 1)). */
function sel(i, n) {
  for (let b = 0x21; b < 0x7f; b++) if (b % n === i) return String.fromCharCode(b);
  throw new Error(`no printable selector for ${i} mod ${n}`);
}

const seeds = new Map();
function seed(name, route, {
  sess = S.none, seg0 = '', seg1 = '', query = '', method = '', ctype = '', ifMatch = '', idem = '',
  origin = '', cookie = '', csrf = '', xff = '', qcode = '', expect = '', body = '',
} = {}) {
  const i = templates.indexOf(route);
  if (i < 0) throw new Error(`no template ${route}`);
  const staff = sess >= 1 && sess <= N_SESS;
  const line0 = `${sel(i, 64)}${sel(sess, 16)} ${route}`;
  const b = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const isPost = route.startsWith('POST') || method === 'POST';
  if (isPost && b.length && !ctype && !Buffer.isBuffer(body)) ctype = 'application/json';
  if (isPost && staff && !csrf) csrf = '@CSRF@';
  const text = Buffer.concat([
    Buffer.from([line0, seg0, seg1, query, method, ctype, ifMatch, idem, origin, cookie, csrf, xff, qcode, expect].join('\n') + '\n'),
    b,
  ]);
  if (seeds.has(name)) throw new Error(`seed ${name} twice`);
  seeds.set(name, text);
}

// ---- bodies from tests/api ----
function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[sum % 11];
}
const caseBody = (o = {}) => ({
  channel: 'visit', kind: 'claim', purpose: 'demand', category: '0301', locality: '230102',
  title: '道里区某工地拖欠农民工工资',
  content: '我们在道里区某工地干了四个月，工资至今未结，多次找公司无果。',
  request: '请督促公司结清工资',
  petitioners: [{
    name: '王建国', sex: 'male', id_type: 'resident_id', id_number: idNumber('23010219850315001'),
    phone: '13904510000', address: '哈尔滨市道里区安静街1号', representative: true,
  }],
  ...o,
});
const replyBody = (o = {}) => ({
  outcome: 'support', facts: '经查，该公司确欠12名农民工工资共计38万元。',
  opinion: '责令该公司于30日内结清所欠工资。', legal_basis: '《保障农民工工资支付条例》第十五条',
  delivery: 'signed', ...o,
});
const decisionBody = (o = {}) => ({
  outcome: 'explain', facts: '经复查，原处理意见认定事实清楚。', opinion: '维持原处理意见。',
  legal_basis: '《信访工作条例》第三十五条', ...o,
});
const holidays2027 = {
  $schema: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json',
  $id: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/2027.json',
  year: 2027, papers: ['（测试数据）'],
  days: [
    { name: '元旦', date: '2027-01-01', isOffDay: true },
    { name: '国庆节', date: '2027-09-26', isOffDay: false },
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ name: '国庆节', date: `2027-10-${d}`, isOffDay: true })),
    { name: '国庆节', date: '2027-10-09', isOffDay: false },
  ],
};
const online = caseBody({ title: '网上信访：小区噪音扰民' });
delete online.channel;

// ---- GET routes ----
seed('index', 'GET /');
seed('healthz', 'GET /healthz');
seed('healthz-head', 'GET /healthz', { method: 'HEAD' });
seed('me', 'GET /api/v1/me', { sess: S.registrar });
seed('me-forged', 'GET /api/v1/me', { sess: S.forged });
seed('me-no-session', 'GET /api/v1/me');
seed('codes', 'GET /api/v1/codes', { sess: S.registrar });
seed('units', 'GET /api/v1/units', { sess: S.dispatcher });
seed('cases', 'GET /api/v1/cases', { sess: S.reader, query: 'state=registered&limit=5' });
seed('cases-filters', 'GET /api/v1/cases', {
  sess: S.dispatcher,
  query: 'q=工资&channel=visit&kind=claim&category=0301&locality=230102&unit=dl-xfj&from=2026-01-01&to=2026-12-31&limit=2',
});
seed('cases-cursor', 'GET /api/v1/cases', { sess: S.reader, query: 'limit=3&cursor=XF2026110100001' });
seed('case', 'GET /api/v1/cases/{}', { sess: S.dispatcher, seg0: '@C0@' });
seed('case-demo', 'GET /api/v1/cases/{}', { sess: S.reader, seg0: '@D3@' });
seed('case-missing', 'GET /api/v1/cases/{}', { sess: S.reader, seg0: 'XF2099010199999' });
seed('events', 'GET /api/v1/cases/{}/events', { sess: S.reader, seg0: '@C5@' });
seed('todo', 'GET /api/v1/todo', { sess: S.handler, query: 'limit=5' });
seed('calendar', 'GET /api/v1/calendar', { sess: S.sysadmin, query: 'year=2026' });
seed('due', 'GET /api/v1/calendar/due', { sess: S.dispatcher, query: 'start=2026-09-30T10:00&amount=5&unit=workdays' });
seed('due-days', 'GET /api/v1/calendar/due', { sess: S.dispatcher, query: 'start=2026-10-11&amount=30&unit=days' });
seed('workday', 'GET /api/v1/calendar/workday', { sess: S.dispatcher, query: 'date=2026-10-10' });
seed('policies', 'GET /api/v1/policies', { sess: S.sysadmin });
seed('timeliness', 'GET /api/v1/stats/timeliness', { sess: S.supervisor, query: 'from=2026-03-01&to=2026-03-31' });
seed('notices', 'GET /api/v1/supervision/notices', { sess: S.supervisor, query: 'from=2026-01-01&to=2026-12-31&min=1' });
seed('escalations', 'GET /api/v1/escalations', { sess: S.supervisor, query: 'level=overdue' });
seed('audit', 'GET /api/v1/audit', { sess: S.auditor, query: 'limit=5&cursor=100' });
seed('unknown', 'GET /api/v1/{}/{}', { sess: S.registrar, seg0: 'nothing', seg1: 'here' });
seed('unknown-public', 'GET /api/public/v1/{}/{}', { seg0: 'cases', seg1: '@C5@' });
seed('unknown-root', 'GET /{}/{}', { seg0: 'static', seg1: '..%2f..%2fetc%2fpasswd' });
seed('asterisk', 'GET {}{}', { seg0: '*', method: 'OPTIONS' });
// the front end (fuzz_http.c make_ui: index.html, assets/app-abc123.js, .env, links out: outside.txt, up, passwd)
seed('ui-index-head', 'GET /', { method: 'HEAD' });
seed('ui-asset', 'GET /{}/{}', { seg0: 'assets', seg1: 'app-abc123.js' });
seed('ui-route', 'GET /{}/{}', { seg0: 'cases', seg1: '@C0@' });
seed('ui-missing-asset', 'GET /{}/{}', { seg0: 'assets', seg1: 'nope.js' });
seed('ui-dotdot', 'GET {}{}', { seg0: '/assets/../../', seg1: 'outside.txt' });
seed('ui-dotdot-encoded', 'GET {}{}', { seg0: '/%2e%2e/%2E%2E/', seg1: 'outside.txt' });
seed('ui-link-out', 'GET /{}/{}', { seg0: 'up', seg1: 'outside.txt' });
seed('ui-link-passwd', 'GET {}{}', { seg0: '/passwd', seg1: '' });
seed('ui-dotfile', 'GET {}{}', { seg0: '/%2eenv' });
seed('ui-nul', 'GET {}{}', { seg0: '/index.html%00', seg1: '.js' });
seed('ui-post', 'GET /{}/{}', { seg0: 'workbench', seg1: 'todo', method: 'POST', body: '{}' });
seed('case-subpath', 'GET /api/v1/cases/{}/{}', { sess: S.reader, seg0: '@C0@', seg1: 'foo' });
seed('wrong-method', 'GET /api/v1/cases', { sess: S.registrar, method: 'DELETE' });

// ---- the portal ----
seed('public-submit', 'POST /api/public/v1/cases', { body: online, idem: 'web-7f3a-0001' });
seed('public-query', 'POST /api/public/v1/query', { body: { no: '@C5@', query_code: '@Q5@' } });
seed('public-rate', 'POST /api/public/v1/cases/{}/actions/{}', {
  seg0: '@C5@', seg1: 'rate', body: { query_code: '@Q5@', satisfaction: 'satisfied' },
});
seed('public-review', 'POST /api/public/v1/cases/{}/actions/{}', {
  seg0: '@C6@', seg1: 'request_review', body: { query_code: '@Q6@', reason: '工资仍未结清' },
});
seed('public-recheck', 'POST /api/public/v1/cases/{}/actions/{}', {
  seg0: '@C7@', seg1: 'request_recheck', body: { query_code: '@Q7@' },
});

// ---- sessions ----
seed('login-wrong', 'POST /api/v1/login', { body: { username: 'dl-xfj.registrar', password: 'wrong-password-1' } });
seed('login-missing', 'POST /api/v1/login', { body: { username: 'dl-xfj.registrar' } });
seed('logout', 'POST /api/v1/logout', { sess: S.sacrifice, origin: 'http://@HOST@' });

// ---- registration ----
seed('register', 'POST /api/v1/cases', { sess: S.registrar, body: caseBody({ people_count: 3, flags: ['collective'] }), idem: 'reg-key-0001' });
seed('register-accusation', 'POST /api/v1/cases', {
  sess: S.registrar,
  body: caseBody({ kind: 'accusation', purpose: 'report', category: '0301', accused_unit: U['dl-cgj'], accused_name: '某执法队员', flags: ['urgent'] }),
});
seed('register-bad-origin', 'POST /api/v1/cases', { sess: S.registrar, origin: 'http://evil.example', body: caseBody() });

// ---- actions (If-Match: the current version) ----
const acts = [
  ['transfer', 0, S.dispatcher, { lead_unit: U['dl-cgj'], co_units: [U['dl-zjj']], comment: '请依法处理' }],
  ['assign', 0, S.dispatcher, { lead_unit: U['dl-zjj'], due_days: 10 }],
  ['self_handle', 0, S.dispatcher, {}],
  ['reject', 0, S.dispatcher, { reason: '属诉讼事项', route: 'litigation' }],
  ['archive', 0, S.dispatcher, { reason: '咨询已解答' }],
  ['merge', 0, S.dispatcher, { into: '@C8@', reason: '同一事项' }],
  ['decline', 0, S.dispatcher, { reason: '重复信访', repeat_of: '@D0@' }],
  ['accept', 1, S.handler, { comment: '已接收' }],
  ['return', 1, S.handler, { reason: '不属本单位职责' }],
  ['request_extension', 2, S.handler, { days: 10, reason: '需调查取证' }],
  ['approve_extension', 3, S.unit_head, {}],
  ['deny_extension', 3, S.unit_head, { reason: '可以按期办结' }],
  ['reply', 2, S.handler, replyBody()],
  ['reply-refused', 2, S.handler, replyBody({ delivery: 'refused', witness: '社区网格员李红' })],
  ['request_material', 2, S.handler, { reason: '请补充劳动合同和考勤记录' }],
  ['receive_material', 2, S.handler, {}],
  ['start_hearing', 2, S.handler, {}],
  ['end_hearing', 2, S.handler, {}],
  ['approve', 4, S.dispatcher, {}],
  ['send_back', 4, S.dispatcher, { reason: '请补充法律依据' }],
  ['rate', 5, S.dispatcher, { satisfaction: 'satisfied' }],
  ['implement', 5, S.handler, { facts: '公司已于9月1日结清全部工资。' }],
  ['decide_review', 7, S.reviewer, decisionBody()],
  ['suggest', 2, S.supervisor, { to_unit: U['dl-cgj'], suggestion_type: 'work', opinion: '建议规范受理告知程序，按时书面告知信访人。' }],
  ['suggestion_feedback', 2, S.unit_head, { facts: '已整改：建立受理告知台账，专人负责按时告知。' }],
];
for (const [name, c, sess, body] of acts) {
  const action = name.replace(/-.*/, '');
  seed(`act-${name}`, 'POST /api/v1/cases/{}/actions/{}', { sess, seg0: `@C${c}@`, seg1: action, ifMatch: '@V@', body });
}
seed('act-no-if-match', 'POST /api/v1/cases/{}/actions/{}', { sess: S.handler, seg0: '@C1@', seg1: 'accept', body: {} });
seed('act-weak-etag', 'POST /api/v1/cases/{}/actions/{}', { sess: S.handler, seg0: '@C1@', seg1: 'accept', ifMatch: 'W/"2"', body: {} });
seed('act-no-csrf', 'POST /api/v1/cases/{}/actions/{}', { sess: S.handler, seg0: '@C1@', seg1: 'accept', ifMatch: '@V@', csrf: 'x', body: {} });
seed('act-unknown', 'POST /api/v1/cases/{}/actions/{}', { sess: S.dispatcher, seg0: '@C0@', seg1: 'fly', ifMatch: '@V@', body: {} });
seed('act-not-json', 'POST /api/v1/cases/{}/actions/{}', { sess: S.dispatcher, seg0: '@C0@', seg1: 'archive', ifMatch: '@V@', ctype: 'text/plain', body: 'reason=x' });

// ---- administration ----
seed('calendar-import', 'POST /api/v1/calendar/import', { sess: S.sysadmin, body: holidays2027 });
seed('policy-set', 'POST /api/v1/policies/{}', { sess: S.sysadmin, seg0: 'national', body: { key: 'triage', amount: 10, unit: 'days', warn_pct: 80 } });
seed('unit-policy', 'POST /api/v1/units/{}/policy', { sess: S.sysadmin, seg0: 'dl-xfj', body: { policy: 'national' } });
seed('unit-policy-null', 'POST /api/v1/units/{}/policy', { sess: S.sysadmin, seg0: 'dl-xfj', body: { policy: null } });

// ---- personal data, second factor, accounts ----
seed('unmask', 'POST /api/v1/cases/{}/petitioners/{}/unmask', { sess: S.pii_reader, seg0: '@C0@', seg1: '0', body: { reason: '核实信访人身份，联系补充材料' } });
seed('lookup-id', 'POST /api/v1/petitioners/lookup', { sess: S.dispatcher, body: { id_number: idNumber('23010219850315001') } });
seed('lookup-phone', 'POST /api/v1/petitioners/lookup', { sess: S.dispatcher, body: { phone: '13904510000' } });
seed('totp-setup', 'POST /api/v1/me/totp/setup', { sess: S.registrar, body: {} });
seed('totp-enable', 'POST /api/v1/me/totp/enable', { sess: S.registrar, body: { code: '123456' } });
seed('totp-disable', 'POST /api/v1/me/totp/disable', { sess: S.registrar, body: { code: '123456' } });
seed('users', 'GET /api/v1/users', { sess: S.sysadmin });
seed('user-create', 'POST /api/v1/users', {
  sess: S.sysadmin,
  body: { username: 'dl-xfj.registrar2', name: '赵敏', unit: 'dl-xfj', roles: ['registrar'], password: 'Xinfang@2026new1' },
});
seed('user-disable', 'POST /api/v1/users/{}/disabled', { sess: S.sysadmin, seg0: 'bx-rsj.handler', body: { disabled: true } });
seed('user-roles', 'POST /api/v1/users/{}/roles', { sess: S.secadmin, seg0: 'bx-rsj.handler', body: { roles: ['handler', 'unit_head'] } });
seed('user-totp-reset', 'POST /api/v1/users/{}/totp/reset', { sess: S.secadmin, seg0: 'bx-rsj.handler', body: {} });

// ---- attachments (the body is the file; ?name= its name) and audit retention ----
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde])]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
const amr = Buffer.from('#!AMR\n\x3c\x48\xf5\x1f\x96\x66\x79\xe1\xe0\x01\xe7\xcf\xf0\x00\x00\x00\x80', 'latin1');
seed('attach-upload-pdf', 'POST /api/v1/cases/{}/attachments', { sess: S.registrar, seg0: '@C0@', query: 'name=信访材料.pdf', ctype: 'application/pdf', idem: 'att-0001', body: pdf });
seed('attach-upload-png', 'POST /api/v1/cases/{}/attachments', { sess: S.handler, seg0: '@C2@', query: 'name=现场照片.png', ctype: 'application/octet-stream', body: png });
seed('attach-upload-html', 'POST /api/v1/cases/{}/attachments', { sess: S.registrar, seg0: '@C0@', query: 'name=a.pdf', ctype: 'text/html', body: '<html><script>alert(1)</script></html>' });
seed('attach-list', 'GET /api/v1/cases/{}/attachments', { sess: S.reader, seg0: '@C0@' });
seed('attach-get', 'GET /api/v1/cases/{}/attachments/{}', { sess: S.reader, seg0: '@C0@', seg1: '@A0@' });
seed('public-attach-upload', 'POST /api/public/v1/cases/{}/attachments', { seg0: '@C8@', query: 'name=录音.amr', qcode: '@Q8@', ctype: 'audio/amr', expect: '100-continue', body: amr });
seed('public-attach-jpeg', 'POST /api/public/v1/cases/{}/attachments', { seg0: '@C0@', query: 'name=%E5%8D%95%E6%8D%AE.jpg', qcode: '@Q0@', body: jpeg });
seed('public-attach-list', 'GET /api/public/v1/cases/{}/attachments', { seg0: '@C8@', qcode: '@Q8@' });
seed('public-attach-get', 'GET /api/public/v1/cases/{}/attachments/{}', { seg0: '@C8@', seg1: '@A1@', qcode: '@Q8@' });
seed('retention', 'GET /api/v1/audit/retention', { sess: S.auditor });
seed('retention-set', 'POST /api/v1/audit/retention', { sess: S.auditor, body: { days: 200 } });
seed('password', 'POST /api/v1/me/password', { sess: S.handler, body: { old_password: 'Xinfang@2026demo', new_password: 'Xinfang@2027demo' } });
seed('password-weak', 'POST /api/v1/me/password', { sess: S.unit_head, body: { old_password: 'Xinfang@2026demo', new_password: 'short' } });
seed('user-password', 'POST /api/v1/users/{}/password', { sess: S.sysadmin, seg0: 'bx-rsj.handler', body: { password: 'Xinfang@2027reset' } });
seed('similar', 'GET /api/v1/cases/{}/similar', { sess: S.dispatcher, seg0: '@C0@' });
seed('similar-draft', 'POST /api/v1/cases/similar', {
  sess: S.registrar,
  body: { title: '道里区某工地拖欠农民工工资', content: '我们在道里区某工地干了四个月，工资至今未结。', request: '请督促公司结清工资',
    locality: '230102', category: '0301', petitioners: [{ name: '王建国', id_number: idNumber('23010219850315001'), phone: '13904510000' }], limit: 5 },
});
seed('hot', 'GET /api/v1/stats/hot', { sess: S.supervisor, query: 'from=2026-01-01&to=2026-12-31&min=2' });
seed('overview', 'GET /api/v1/stats/overview', { sess: S.supervisor, query: 'from=2026-01-01&to=2026-12-31&city=230100' });
seed('overview-days', 'GET /api/v1/stats/overview', { sess: S.supervisor, query: 'from=2026-12-31&to=2026-02-30' });
seed('xff', 'GET /api/v1/me', { sess: S.registrar, xff: '203.0.113.7, 10.0.0.1, 127.0.0.1' });
// exports (.xlsx of a list) and saved views
seed('export-cases', 'GET /api/v1/cases/export', { sess: S.dispatcher, query: 'state=registered,dispatched&channel=visit&from=2026-01-01&to=2026-12-31' });
seed('export-cases-q', 'GET /api/v1/cases/export', { sess: S.reader, query: 'q=%E5%99%AA%E9%9F%B3&category=04' });
seed('export-cases-admin', 'GET /api/v1/cases/export', { sess: S.auditor });
seed('export-todo', 'GET /api/v1/todo/export', { sess: S.handler, query: 'kind=claim&limit=5&cursor=9' });
seed('views', 'GET /api/v1/me/views', { sess: S.registrar });
seed('view-create', 'POST /api/v1/me/views', {
  sess: S.registrar, body: { name: '本周来访', list: 'cases', query: { state: 'registered', channel: 'visit', from: '2026-11-16', q: '工资' } },
});
seed('view-create-todo', 'POST /api/v1/me/views', { sess: S.handler, body: { name: '紧急', list: 'todo', query: {} } });
seed('view-create-bad', 'POST /api/v1/me/views', { sess: S.registrar, body: { name: 'x', list: 'todo', query: { cursor: '5', state: 'nope' } } });
seed('view-delete', 'POST /api/v1/me/views/{}/delete', { sess: S.registrar, seg0: '1', body: {} });
seed('view-delete-other', 'POST /api/v1/me/views/{}/delete', { sess: S.handler, seg0: '1' });

const dir = path.join(HERE, 'seeds', 'fuzz_http');
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) rmSync(path.join(dir, f));
for (const [name, text] of seeds) writeFileSync(path.join(dir, name), text);
console.log(`${seeds.size} seeds in ${path.relative(process.cwd(), dir)}`);

// ---- fuzz_sniff: one valid file of every allowed type (builders as in tests/unit/test_sniff.c) ----
{
  const NS = 0xFFFFFFFF; const END = 0xFFFFFFFE; const FREE = 0xFFFFFFFF; const FATSECT = 0xFFFFFFFD;
  const cfb = (ents, shift = 9) => {
    const ss = 1 << shift; const per = ss / 128; const dirs = Math.ceil(ents.length / per);
    const out = Buffer.alloc(ss * (2 + dirs));
    Buffer.from([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).copy(out, 0);
    out.writeUInt16LE(0x3E, 0x18); out.writeUInt16LE(shift === 9 ? 3 : 4, 0x1A); out.writeUInt16LE(0xFFFE, 0x1C);
    out.writeUInt16LE(shift, 0x1E); out.writeUInt16LE(6, 0x20); out.writeUInt32LE(4096, 0x38);
    out.writeUInt32LE(END, 0x3C); out.writeUInt32LE(END, 0x44);
    for (let i = 0; i < 109; i++) out.writeUInt32LE(FREE, 0x4C + 4 * i);
    out.writeUInt32LE(1, 0x2C); out.writeUInt32LE(1, 0x30); out.writeUInt32LE(0, 0x4C);
    for (let i = 0; i < ss / 4; i++) out.writeUInt32LE(FREE, ss + 4 * i);
    out.writeUInt32LE(FATSECT, ss);
    for (let i = 0; i < dirs; i++) out.writeUInt32LE(i + 1 < dirs ? 2 + i : END, ss + 4 * (1 + i));
    ents.forEach(([name, type, left, right, child], i) => {
      const d = 2 * ss + 128 * i;
      for (let k = 0; k < name.length; k++) out.writeUInt16LE(name.charCodeAt(k), d + 2 * k);
      out.writeUInt16LE(2 * (name.length + 1), d + 0x40); out[d + 0x42] = type; out[d + 0x43] = 1;
      out.writeUInt32LE(left, d + 0x44); out.writeUInt32LE(right, d + 0x48); out.writeUInt32LE(child, d + 0x4C);
    });
    return out;
  };
  const zip = (names) => {
    const parts = []; const offs = []; let off = 0;
    for (const n of names) {
      const h = Buffer.alloc(30); h.write('PK\x03\x04', 0, 'latin1'); h.writeUInt16LE(20, 4); h.writeUInt16LE(n.length, 26);
      offs.push(off); parts.push(h, Buffer.from(n)); off += 30 + n.length;
    }
    const cd = off;
    names.forEach((n, i) => {
      const h = Buffer.alloc(46); h.write('PK\x01\x02', 0, 'latin1'); h.writeUInt16LE(20, 4); h.writeUInt16LE(20, 6);
      h.writeUInt16LE(n.length, 28); h.writeUInt32LE(offs[i], 42); parts.push(h, Buffer.from(n)); off += 46 + n.length;
    });
    const e = Buffer.alloc(22); e.write('PK\x05\x06', 0, 'latin1'); e.writeUInt16LE(names.length, 8);
    e.writeUInt16LE(names.length, 10); e.writeUInt32LE(off - cd, 12); e.writeUInt32LE(cd, 16); parts.push(e);
    return Buffer.concat(parts);
  };
  const mp3 = (frames) => {
    const p = Buffer.alloc(417 * frames);
    for (let i = 0; i < frames; i++) Buffer.from([0xFF, 0xFB, 0x90, 0x64]).copy(p, 417 * i);
    return p;
  };
  const id3 = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x64TIT2', 'latin1'), Buffer.alloc(96), mp3(2)]);
  const files = {
    'pdf': pdf, 'png': png, 'jpeg': jpeg, 'amr': amr,
    'amr-wb': Buffer.from('#!AMR-WB\n\x04\x10', 'latin1'),
    'doc': cfb([['Root Entry', 5, NS, NS, 2], ['1Table', 2, NS, NS, NS], ['WordDocument', 2, 1, 3, NS], ['\x05SummaryInformation', 2, NS, NS, NS]]),
    'xls': cfb([['Root Entry', 5, NS, NS, 1], ['Workbook', 2, NS, 2, NS], ['\x05DocumentSummaryInformation', 2, NS, NS, NS]]),
    'xls-v4': cfb([['Root Entry', 5, NS, NS, 1], ['Book', 2, NS, NS, NS]], 12),
    'docx': zip(['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/_rels/document.xml.rels', 'docProps/core.xml']),
    'xlsx': zip(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'docProps/app.xml']),
    'docm': zip(['[Content_Types].xml', 'word/document.xml', 'word/vbaProject.bin']),
    'mp3': mp3(3), 'mp3-id3': id3,
    'name-cjk': Buffer.from('信访材料（第1份）.pdf'),
    'name-bidi': Buffer.from('report\u202Efdp.exe'),
    'name-dots': Buffer.from(' . .'),
  };
  const sdir = path.join(HERE, 'seeds', 'fuzz_sniff');
  mkdirSync(sdir, { recursive: true });
  for (const f of readdirSync(sdir)) rmSync(path.join(sdir, f));
  for (const [name, data] of Object.entries(files)) writeFileSync(path.join(sdir, name), data);
  console.log(`${Object.keys(files).length} seeds in ${path.relative(process.cwd(), sdir)}`);
}
