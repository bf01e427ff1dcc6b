// matrix.test.mjs - the authorisation matrix (issue 4, "Security and
// confidentiality"): every endpoint of the route table in src/http/server.c ×
// every staff role × cases whose holder (lead) unit is the user's own unit,
// its parent, a child and a sibling, against expectations kept below as data.
//
// The expectations are the rules, not a recording of the server:
//   - scope (docs/API.md "Conventions: Scope"; DESIGN.md §7: the server, never
//     the client, decides unit scope): a petition department (信访部门) sees
//     the cases of its unit subtree; a handling unit sees only the cases sent
//     to it, as lead or co-unit (R22 art. 22-23: 转送/交办 to the organ with
//     power to handle it);
//   - out of scope is 404 case.not_found, exactly like a case that does not
//     exist, on reads and actions alike; it is absent from every list,
//     search, to-do list, escalation list, count and statistic;
//   - 三员分立 (等保 2.0; docs/ARCHITECTURE.md "Identity and sessions"): the
//     system, security and audit administrators never read case content;
//   - role-specific endpoints as docs/API.md documents them answer other roles
//     403 auth.role_denied: audit (auditor), calendar import, policies and unit
//     policies (sysadmin), registration (registrar), notice candidates
//     (supervisor, leader, analyst, unit_head; R22 art. 40), unmasking personal
//     data (pii_reader), petitioner look-up (not 三员);
//   - an action needs the role (403 auth.role_denied) and the unit that holds
//     the case (403 case.not_holder; R22 art. 22-23, docs/API.md action table);
//   - an anonymous request to any R_AUTH endpoint is 401 auth.required;
//   - a refusal changes nothing.
//
// Adding an endpoint is one entry in ENDPOINTS; the first test fails until
// every route of src/http/server.c has one.
//
// The server runs at T1, 49 days after the cases were made (T0), so every
// triage (15 days, R22 art. 22) and acceptance (15 days, art. 23) clock is
// overdue and the scanner has created reminders and supervision items: the
// escalation, statistics and notice endpoints have something to leak.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, epoch, expectError, caseBody, idNumber, http, PASSWORD } from './helpers.mjs';
import { serverRoutes, advanceTo, anonymous, maskPhone, maskId } from './security-fixtures.mjs';
import { sheetNos } from './xlsx.mjs';

const T0 = epoch('2026-03-02T10:00:00+08:00'); // a Monday
const T1 = epoch('2026-04-20T10:00:00+08:00'); // a Monday, 49 days later
const PERIOD = 'from=2026-03-01&to=2026-04-20';

// ---- the organisation around the subjects (xinfang demo) ----------------------
//   hlj-xfj 黑龙江省信访局 (province) ─┬─ hrb-xfj 哈尔滨市信访局 (city) ─┬─ dl-xfj 道里区信访局 (county)
//                                      │                                ├─ hrb-cgj 市城市管理局 (handling)
//                                      │                                └─ hrb-zjj 市住建局 (handling)
//                                      └─ qqhr-xfj 齐齐哈尔市信访局 (city)
// Subjects: every role of the city bureau hrb-xfj; the roles only the province
// has (complaint_supervisor and the 三员); both roles of a handling unit (hrb-cgj).
const SUBJECTS = [
  'hrb-xfj.registrar', 'hrb-xfj.dispatcher', 'hrb-xfj.handler', 'hrb-xfj.unit_head', 'hrb-xfj.supervisor',
  'hrb-xfj.reviewer', 'hrb-xfj.leader', 'hrb-xfj.analyst', 'hrb-xfj.pii_reader',
  'hlj-xfj.complaint_supervisor', 'hlj-xfj.sysadmin', 'hlj-xfj.secadmin', 'hlj-xfj.auditor',
  'hrb-cgj.handler', 'hrb-cgj.unit_head',
];
const unitOf = (user) => user.split('.')[0];
const roleOf = (user) => user.split('.')[1];
const THREE = ['sysadmin', 'secadmin', 'auditor'];

// ---- the cases: holder unit and state; `from` is the bureau that sent it --------
const CASES = {
  REG_HLJ: { holder: 'hlj-xfj', state: 'registered', locality: '230000' },
  REG_HRB: { holder: 'hrb-xfj', state: 'registered', locality: '230100' },
  DISP_HRB: { holder: 'hrb-xfj', state: 'dispatched', from: 'hlj-xfj', locality: '230100' },
  REG_DL: { holder: 'dl-xfj', state: 'registered', locality: '230102' },
  DISP_DL: { holder: 'dl-xfj', state: 'dispatched', from: 'hrb-xfj', locality: '230102' },
  DISP_CGJ: { holder: 'hrb-cgj', state: 'dispatched', from: 'hrb-xfj', locality: '230103' },
  DISP_ZJJ: { holder: 'hrb-zjj', state: 'dispatched', from: 'hrb-xfj', locality: '230104' },
  REG_QQHR: { holder: 'qqhr-xfj', state: 'registered', locality: '230202' },
  DISP_QQHR: { holder: 'qqhr-xfj', state: 'dispatched', from: 'hlj-xfj', locality: '230203' },
};
const KEYS = Object.keys(CASES);

// The cases in each relation to the subject's unit (holder = own unit, its
// parent, a child, a sibling). The province has no parent and no sibling; a
// handling unit has no child.
const RELATIONS = ['own', 'parent', 'child', 'sibling'];
const RELATED = {
  'hrb-xfj': { own: ['REG_HRB', 'DISP_HRB'], parent: ['REG_HLJ'], child: ['REG_DL', 'DISP_DL', 'DISP_CGJ'], sibling: ['REG_QQHR', 'DISP_QQHR'] },
  'hlj-xfj': { own: ['REG_HLJ'], parent: [], child: ['REG_HRB', 'DISP_HRB', 'REG_QQHR', 'DISP_QQHR'], sibling: [] },
  'hrb-cgj': { own: ['DISP_CGJ'], parent: ['REG_HRB', 'DISP_HRB'], child: [], sibling: ['DISP_ZJJ'] },
};

// ---- who sees what: one row per subject, one column per relation ------------------
const R = 'read';
const H = 'hidden';
const _ = null; // no case in that relation
const rel = (own, parent, child, sibling) => ({ own, parent, child, sibling });
//                                          own parent child sibling
const SEES = {
  'hrb-xfj.registrar':            rel(R, H, R, H), // a petition department: its subtree
  'hrb-xfj.dispatcher':           rel(R, H, R, H),
  'hrb-xfj.handler':              rel(R, H, R, H),
  'hrb-xfj.unit_head':            rel(R, H, R, H),
  'hrb-xfj.supervisor':           rel(R, H, R, H),
  'hrb-xfj.reviewer':             rel(R, H, R, H),
  'hrb-xfj.leader':               rel(R, H, R, H),
  'hrb-xfj.analyst':              rel(R, H, R, H),
  'hrb-xfj.pii_reader':           rel(R, H, R, H),
  'hlj-xfj.complaint_supervisor': rel(R, _, R, _), // the province: the whole tree
  'hlj-xfj.sysadmin':             rel(H, _, H, _), // 三员分立: no case content
  'hlj-xfj.secadmin':             rel(H, _, H, _),
  'hlj-xfj.auditor':              rel(H, _, H, _),
  'hrb-cgj.handler':              rel(R, H, _, H), // a handling unit: what was sent to it
  'hrb-cgj.unit_head':            rel(R, H, _, H),
};

// ---- actions (POST /api/v1/cases/{no}/actions/{action}) ----------------------------
// OK: authorised — the probe's body is deliberately incomplete, so the answer is
// 400 validation.required and nothing changes; ROLE: 403 auth.role_denied;
// HOLD: 403 case.not_holder; GONE: 404 case.not_found (out of scope).
const OK = 'ok';
const ROLE = 'auth.role_denied';
const HOLD = 'case.not_holder';
const GONE = 'case.not_found';

// transfer 转送 on the registered cases (R22 art. 22: the petition department
// that holds it, by its dispatcher). The cases: hrb-xfj users — own REG_HRB,
// parent REG_HLJ, child REG_DL, sibling REG_QQHR; hlj-xfj users — own REG_HLJ,
// child REG_HRB and REG_QQHR; hrb-cgj users — parent REG_HRB.
//                                          own   parent child sibling
const TRANSFER = {
  'hrb-xfj.registrar':            rel(ROLE, GONE, ROLE, GONE),
  'hrb-xfj.dispatcher':           rel(OK,   GONE, HOLD, GONE),
  'hrb-xfj.handler':              rel(ROLE, GONE, ROLE, GONE),
  'hrb-xfj.unit_head':            rel(ROLE, GONE, ROLE, GONE),
  'hrb-xfj.supervisor':           rel(ROLE, GONE, ROLE, GONE),
  'hrb-xfj.reviewer':             rel(ROLE, GONE, ROLE, GONE),
  'hrb-xfj.leader':               rel(ROLE, GONE, ROLE, GONE),
  'hrb-xfj.analyst':              rel(ROLE, GONE, ROLE, GONE),
  'hrb-xfj.pii_reader':           rel(ROLE, GONE, ROLE, GONE),
  'hlj-xfj.complaint_supervisor': rel(ROLE, _,    ROLE, _),
  'hlj-xfj.sysadmin':             rel(GONE, _,    GONE, _),
  'hlj-xfj.secadmin':             rel(GONE, _,    GONE, _),
  'hlj-xfj.auditor':              rel(GONE, _,    GONE, _),
  'hrb-cgj.handler':              rel(_,    GONE, _,    _),
  'hrb-cgj.unit_head':            rel(_,    GONE, _,    _),
};

// return 退回 on the dispatched cases (R22 art. 23: the handler of the unit it
// was sent to objects, with reasons). The cases: hrb-xfj users — own DISP_HRB,
// child DISP_DL and DISP_CGJ, sibling DISP_QQHR; hlj-xfj users — child DISP_HRB
// and DISP_QQHR; hrb-cgj users — own DISP_CGJ, parent DISP_HRB, sibling DISP_ZJJ.
//                                          own   parent child sibling
const RETURN = {
  'hrb-xfj.registrar':            rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.dispatcher':           rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.handler':              rel(OK,   _,    HOLD, GONE),
  'hrb-xfj.unit_head':            rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.supervisor':           rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.reviewer':             rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.leader':               rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.analyst':              rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.pii_reader':           rel(ROLE, _,    ROLE, GONE),
  'hlj-xfj.complaint_supervisor': rel(_,    _,    ROLE, _),
  'hlj-xfj.sysadmin':             rel(_,    _,    GONE, _),
  'hlj-xfj.secadmin':             rel(_,    _,    GONE, _),
  'hlj-xfj.auditor':              rel(_,    _,    GONE, _),
  'hrb-cgj.handler':              rel(OK,   GONE, _,    GONE),
  'hrb-cgj.unit_head':            rel(ROLE, GONE, _,    GONE),
};

// suggest 三项建议 on the dispatched cases (R22 art. 39: the supervisor of a
// petition department that sees the case, whoever holds it)
//                                          own   parent child sibling
const SUGGEST = {
  'hrb-xfj.registrar':            rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.dispatcher':           rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.handler':              rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.unit_head':            rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.supervisor':           rel(OK,   _,    OK,   GONE),
  'hrb-xfj.reviewer':             rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.leader':               rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.analyst':              rel(ROLE, _,    ROLE, GONE),
  'hrb-xfj.pii_reader':           rel(ROLE, _,    ROLE, GONE),
  'hlj-xfj.complaint_supervisor': rel(_,    _,    ROLE, _),
  'hlj-xfj.sysadmin':             rel(_,    _,    GONE, _),
  'hlj-xfj.secadmin':             rel(_,    _,    GONE, _),
  'hlj-xfj.auditor':              rel(_,    _,    GONE, _),
  'hrb-cgj.handler':              rel(ROLE, GONE, _,    GONE),
  'hrb-cgj.unit_head':            rel(ROLE, GONE, _,    GONE),
};

// ---- the to-do list: the cases the user's unit holds and the user can act on now
// (docs/API.md "GET /api/v1/todo"); everyone not named: none.
const TODO = {
  'hrb-xfj.dispatcher': ['REG_HRB'],   // triage (R22 art. 22)
  'hrb-xfj.handler': ['DISP_HRB'],     // accept what the province sent (art. 23)
  'hrb-xfj.supervisor': ['DISP_HRB'],  // 三项建议 on a case its bureau holds (art. 39)
  'hrb-cgj.handler': ['DISP_CGJ'],     // accept (art. 23)
};

// ---- the endpoints --------------------------------------------------------------
// roles: PUBLIC (no session), ALL (every staff role), or the roles allowed
// (others: 403 auth.role_denied, whatever the case).
// scope: how case visibility shows:
//   'case'   per case: R → ok(), H → 404 case.not_found (like a missing case);
//   'listed' the case numbers the answer lists (nos()): R ⇔ listed; perCase: one call per case;
//   'units'  per-unit rows (stats, notices): the holder of an R case has a row whose
//            `count` is the number of our cases it holds; an H case's holder has none;
//            no row for a unit outside the user's scope;
//   'count'  aggregates (the dashboard): the R cases are counted and no H case; the units
//            running late are in the user's scope, each with the R cases it holds;
//   'todo'   the fixture cases listed are exactly TODO[user];
//   'action' per case in `state`: the table's expectation; nothing changes.
// write: a state-changing endpoint; the refused (and the deliberately invalid
// allowed) requests leave policies, calendar and cases as they were.
const PUBLIC = 'public';
const ALL = 'all';
const BUSINESS = ['registrar', 'dispatcher', 'handler', 'unit_head', 'supervisor', 'complaint_supervisor',
  'reviewer', 'leader', 'analyst'];
const ATTACH = ['registrar', 'dispatcher', 'handler', 'unit_head', 'supervisor', 'complaint_supervisor',
  'reviewer', 'leader'];
const PDF = '%PDF-1.4\n%授权矩阵\n%%EOF\n';
const SCOPE_RULE = 'R22 art. 22-23, 30; docs/API.md "Scope"';
const itemsNos = (r) => r.body.items.map((i) => i.no);
const PHONE = '13704519876';
const ID = idNumber('23010319700101123');
const WORD = '授权矩阵检索词';
let ctx;
let U;       // unit code → {id, parent_id, type, ...}
const C = {}; // case key → {no, code, version, holder, state}

const ENDPOINTS = [
  // public: the petitioner's portal, login and health need no session (R22 art. 21)
  { route: 'GET /healthz', roles: PUBLIC, call: (c) => c.get('/healthz'), ok: (r) => assert.equal(r.body.status, 'ok') },
  { route: 'POST /api/v1/login', roles: PUBLIC,
    call: (c) => c.post('/api/v1/login', { username: 'hrb-xfj.registrar', password: PASSWORD }),
    ok: (r) => assert.equal(r.body.user.username, 'hrb-xfj.registrar') },
  { route: 'POST /api/public/v1/cases', roles: PUBLIC, call: (c) => c.post('/api/public/v1/cases', {}),
    status: 400, ok: (r) => assert.match(r.body.error.code, /^validation\./) },
  // the code lists the portal's form needs (reference data, no case content)
  { route: 'GET /api/public/v1/codes', roles: PUBLIC, call: (c) => c.get('/api/public/v1/codes'),
    ok: (r) => { assert.ok(r.body.category.length); assert.ok(r.body.division.some((d) => d.code === '230102')); } },
  // the organisation chart, so that an online accusation can name the accused unit (R22 art. 30)
  { route: 'GET /api/public/v1/units', roles: PUBLIC, call: (c) => c.get('/api/public/v1/units'),
    ok: (r) => { assert.ok(r.body.items.some((u) => u.code === 'dl-cgj')); assert.ok(r.body.items.every((u) => !('policy' in u))); } },
  { route: 'POST /api/public/v1/query', roles: PUBLIC,
    call: (c) => c.post('/api/public/v1/query', { no: C.REG_DL.no, query_code: C.REG_DL.code }),
    ok: (r) => assert.equal(r.body.no, C.REG_DL.no) },
  { route: 'GET /api/public/v1/cases/{}/attachments', roles: PUBLIC,
    call: () => http(ctx.base, 'GET', `/api/public/v1/cases/${C.REG_DL.no}/attachments`, { headers: { 'X-Query-Code': C.REG_DL.code } }),
    ok: (r) => assert.deepEqual(r.body.items, []) }, // the petitioner sees what they uploaded, not the staff's
  { route: 'GET /api/public/v1/cases/{}/attachments/{}', roles: PUBLIC,
    call: () => http(ctx.base, 'GET', `/api/public/v1/cases/${C.REG_DL.no}/attachments/${C.REG_DL.attachment}`, { headers: { 'X-Query-Code': C.REG_DL.code } }),
    status: 404, ok: (r) => assert.equal(r.body.error.code, 'attachment.not_found') },
  { route: 'POST /api/public/v1/cases/{}/attachments', roles: PUBLIC,
    call: () => http(ctx.base, 'POST', `/api/public/v1/cases/${C.REG_DL.no}/attachments`, { raw: PDF, headers: { 'X-Query-Code': C.REG_DL.code } }),
    status: 400, ok: (r) => assert.equal(r.body.error.code, 'validation.required') },
  { route: 'POST /api/public/v1/cases/{}/actions/{}', roles: PUBLIC,
    call: (c) => c.post(`/api/public/v1/cases/${C.REG_DL.no}/actions/request_review`, { query_code: C.REG_DL.code }),
    status: 409, ok: (r) => assert.equal(r.body.error.code, 'flow.invalid_transition') },

  // every staff role: the user itself and reference data, no case content
  { route: 'GET /api/v1/me', roles: ALL, call: (c) => c.get('/api/v1/me'),
    ok: (r, c) => assert.equal(r.body.user.username, c.username) },
  { route: 'POST /api/v1/logout', roles: ALL, fresh: true, call: (c) => c.post('/api/v1/logout', {}),
    ok: async (r, c) => expectError(await c.get('/api/v1/me'), 401, 'auth.required') },
  { route: 'GET /api/v1/codes', roles: ALL, call: (c) => c.get('/api/v1/codes'), ok: (r) => assert.ok(r.body.kind.length) },
  { route: 'GET /api/v1/units', roles: ALL, call: (c) => c.get('/api/v1/units'), ok: (r) => assert.ok(r.body.items.length) },
  { route: 'GET /api/v1/calendar', roles: ALL, call: (c) => c.get('/api/v1/calendar?year=2026'),
    ok: (r) => assert.equal(r.body.year, 2026) },
  { route: 'GET /api/v1/calendar/due', roles: ALL, call: (c) => c.get('/api/v1/calendar/due?start=2026-09-30&amount=5&unit=workdays'),
    ok: (r) => assert.equal(r.body.last_day, '2026-10-13') },
  { route: 'GET /api/v1/calendar/workday', roles: ALL, call: (c) => c.get('/api/v1/calendar/workday?date=2026-10-10'),
    ok: (r) => assert.equal(r.body.workday, true) },
  { route: 'GET /api/v1/policies', roles: ALL, call: (c) => c.get('/api/v1/policies'), ok: (r) => assert.ok(r.body) },

  // the user's own second factor (等保 2.0 level 3: administrators must keep it)
  { route: 'POST /api/v1/me/totp/setup', roles: ALL, call: (c) => c.post('/api/v1/me/totp/setup', {}),
    expect: (user) => (THREE.includes(roleOf(user)) ? [409, 'auth.totp_already_enabled'] : [200]),
    ok: (r) => assert.match(r.body.otpauth_uri, /^otpauth:\/\/totp\//) },
  { route: 'POST /api/v1/me/totp/enable', roles: ALL, call: (c) => c.post('/api/v1/me/totp/enable', { code: '000000' }),
    expect: (user) => (THREE.includes(roleOf(user)) ? [409, 'auth.totp_already_enabled'] : [400, 'auth.totp_invalid']) },
  // the user's own password (a wrong old one: refused for everyone, nothing changes)
  { route: 'POST /api/v1/me/password', roles: ALL,
    call: (c) => c.post('/api/v1/me/password', { old_password: 'Wrong@Password1', new_password: 'Xinfang@2026other' }),
    expect: () => [400, 'auth.invalid_credentials'] },
  { route: 'POST /api/v1/me/totp/disable', roles: ALL, call: (c) => c.post('/api/v1/me/totp/disable', { code: '000000' }),
    expect: (user) => (THREE.includes(roleOf(user)) ? [403, 'auth.totp_mandatory'] : [409, 'auth.totp_not_enabled']) },
  // the user's own saved views (named list filters; no case content): business roles, like the lists they filter
  { route: 'GET /api/v1/me/views', roles: BUSINESS, rule: 'docs/API.md "me/views"', call: (c) => c.get('/api/v1/me/views'),
    ok: (r) => assert.deepEqual(r.body.items, []) },
  { route: 'POST /api/v1/me/views', roles: BUSINESS, rule: 'docs/API.md "me/views"',
    call: (c) => c.post('/api/v1/me/views', { name: '', list: 'cases' }),
    status: 400, ok: (r) => assert.equal(r.body.error.code, 'validation.required') },
  { route: 'POST /api/v1/me/views/{}/delete', roles: BUSINESS, rule: 'docs/API.md "me/views"',
    call: (c) => c.post('/api/v1/me/views/999999/delete', {}),
    status: 404, ok: (r) => assert.equal(r.body.error.code, 'view.not_found') },

  // accounts, split along 三员分立: the system administrator creates and disables
  // accounts, the security administrator grants roles and resets second factors
  { route: 'GET /api/v1/users', roles: ['sysadmin', 'secadmin'], rule: '三员分立 (等保 2.0)',
    call: (c) => c.get('/api/v1/users'), ok: (r) => assert.ok(r.body.items.length > 10) },
  { route: 'POST /api/v1/users', roles: ['sysadmin'], write: true, rule: '三员分立 (等保 2.0)',
    call: (c) => c.post('/api/v1/users', {}), status: 400, ok: (r) => assert.equal(r.body.error.code, 'validation.required') },
  { route: 'POST /api/v1/users/{}/disabled', roles: ['sysadmin'], write: true, rule: '三员分立 (等保 2.0)',
    call: (c) => c.post('/api/v1/users/bx-xfj.registrar/disabled', {}),
    status: 400, ok: (r) => assert.equal(r.body.error.code, 'validation.required') },
  { route: 'POST /api/v1/users/{}/password', roles: ['sysadmin'], write: true, rule: '三员分立 (等保 2.0)',
    call: (c) => c.post('/api/v1/users/bx-xfj.registrar/password', { password: 'weak' }),
    status: 400, ok: (r) => assert.equal(r.body.error.code, 'auth.weak_password') },
  { route: 'POST /api/v1/users/{}/roles', roles: ['secadmin'], write: true, rule: '三员分立 (等保 2.0)',
    call: (c) => c.post('/api/v1/users/bx-xfj.registrar/roles', { roles: 'registrar' }),
    status: 400, ok: (r) => assert.equal(r.body.error.code, 'validation.type') },
  { route: 'POST /api/v1/users/{}/totp/reset', roles: ['secadmin'], write: true, rule: '三员分立 (等保 2.0)',
    call: (c) => c.post('/api/v1/users/no-such.user/totp/reset', {}),
    status: 404, ok: (r) => assert.equal(r.body.error.code, 'user.not_found') },

  // role-specific (docs/API.md): the probe of a write is invalid, so even the allowed role changes nothing
  { route: 'GET /api/v1/audit', roles: ['auditor'], rule: '三员分立; docs/API.md "Audit"',
    call: (c) => c.get('/api/v1/audit?limit=5'), ok: (r) => assert.ok(Array.isArray(r.body.items)) },
  { route: 'GET /api/v1/audit/retention', roles: ['auditor'], rule: '三员分立; 等保 2.0: audit kept ≥ 6 months',
    call: (c) => c.get('/api/v1/audit/retention'), ok: (r) => assert.ok(r.body.days >= r.body.minimum) },
  { route: 'POST /api/v1/audit/retention', roles: ['auditor'], write: true, rule: '三员分立; 等保 2.0: audit kept ≥ 6 months',
    call: (c) => c.post('/api/v1/audit/retention', { days: 1 }),
    status: 400, ok: (r) => assert.equal(r.body.error.code, 'validation.invalid') },
  { route: 'POST /api/v1/calendar/import', roles: ['sysadmin'], write: true, rule: 'docs/API.md "calendar/import"',
    call: (c) => c.post('/api/v1/calendar/import', { year: 2099, days: [{ name: '元旦', date: '2099-02-30', isOffDay: true }] }),
    status: 400, ok: (r) => assert.match(r.body.error.code, /^calendar\./) },
  { route: 'POST /api/v1/policies/{}', roles: ['sysadmin'], write: true, rule: 'docs/API.md "policies/{name}"',
    call: (c) => c.post('/api/v1/policies/national', { key: 'triage', amount: 'x' }),
    status: 400, ok: (r) => assert.equal(r.body.error.code, 'validation.type') },
  { route: 'POST /api/v1/units/{}/policy', roles: ['sysadmin'], write: true, rule: 'docs/API.md "units/{code}/policy"',
    call: (c) => c.post('/api/v1/units/hrb-xfj/policy', { policy: 5 }),
    status: 400, ok: (r) => assert.equal(r.body.error.code, 'validation.type') },
  { route: 'POST /api/v1/cases', roles: ['registrar'], write: true, rule: 'docs/API.md "register (登记), role registrar"',
    call: (c) => c.post('/api/v1/cases', {}),
    status: 400, ok: (r) => assert.equal(r.body.error.code, 'validation.required') },
  // hot issues list only the cases that cluster (their scope: tests/api/hot.test.mjs, secrecy.test.mjs)
  { route: 'GET /api/v1/stats/hot', roles: ['dispatcher', 'supervisor', 'leader', 'analyst', 'unit_head'],
    rule: 'seed 000 art. 20; issue 5', call: (c) => c.get(`/api/v1/stats/hot?${PERIOD}&min=2`),
    ok: (r) => assert.ok(Array.isArray(r.body.issues)) },
  // the dashboard: aggregates only, of the cases in scope and of the units in scope
  { route: 'GET /api/v1/stats/overview', roles: ['dispatcher', 'supervisor', 'leader', 'analyst', 'unit_head'], scope: 'count',
    rule: 'seed 000 art. 24; R22 art. 30; docs/API.md "stats/overview"', call: (c) => c.get(`/api/v1/stats/overview?${PERIOD}`) },
  { route: 'GET /api/v1/supervision/notices', roles: ['supervisor', 'leader', 'analyst', 'unit_head'], scope: 'units', count: 'cases',
    rule: 'R22 art. 40; docs/API.md "supervision/notices"',
    call: (c) => c.get(`/api/v1/supervision/notices?${PERIOD}&min=1`) },
  { route: 'POST /api/v1/cases/{}/petitioners/{}/unmask', roles: ['pii_reader'], scope: 'case',
    rule: '个人信息保护 (等保 2.0 8.1.4.8); src/service/svc.h svc_pii_unmask',
    call: (c, k) => c.post(`/api/v1/cases/${k.no}/petitioners/0/unmask`, { reason: '核实信访人身份，办理需要' }),
    ok: (r, c, k) => { assert.equal(r.body.no, k.no); assert.equal(r.body.phone, PHONE); } },
  // the look-up answers with cases, so the 三员 may not use it; the pii_reader
  // permission alone is no business role (src/service/pii.c; not yet in docs/API.md)
  { route: 'POST /api/v1/petitioners/lookup', roles: BUSINESS, scope: 'listed', rule: '三员分立; src/service/svc.h svc_petitioner_lookup',
    call: (c) => c.post('/api/v1/petitioners/lookup', { phone: PHONE }),
    nos: (r) => { assert.ok(!r.text.includes(PHONE) && !r.text.includes(ID), 'look-up answers whole personal data'); return itemsNos(r); } },
  { route: 'POST /api/v1/petitioners/lookup', name: 'by ID number', roles: BUSINESS, scope: 'listed',
    call: (c) => c.post('/api/v1/petitioners/lookup', { id_number: ID }), nos: itemsNos },

  // repeat and related candidates (issue 5; seed 002 精准甄别): a case's own in scope;
  // a draft's from anywhere, but out of scope only number, holder and score
  { route: 'GET /api/v1/cases/{}/similar', roles: BUSINESS, scope: 'case', rule: 'issue 5; seed 002 精准甄别',
    call: (c, k) => c.get(`/api/v1/cases/${k.no}/similar`), ok: (r, c, k) => assert.equal(r.body.no, k.no) },
  { route: 'POST /api/v1/cases/similar', roles: BUSINESS, rule: 'issue 5; seed 002 精准甄别',
    call: (c) => c.post('/api/v1/cases/similar', { content: '工资拖欠', petitioners: [{ phone: PHONE }] }),
    ok: (r) => {
      assert.ok(Array.isArray(r.body.candidates));
      assert.ok(!r.text.includes(PHONE) && !r.text.includes(ID), 'candidates show no whole personal data');
      for (const c of r.body.candidates) if (!c.in_scope) assert.deepEqual(Object.keys(c).sort(), ['holder_unit', 'in_scope', 'no', 'score']);
    } },

  // case content, scoped (404 out of scope; 三员 nothing)
  { route: 'GET /api/v1/cases/{}', roles: ALL, scope: 'case', rule: SCOPE_RULE, call: (c, k) => c.get(`/api/v1/cases/${k.no}`),
    ok: (r, c, k) => {
      assert.equal(r.body.no, k.no);
      assert.equal(r.body.holder_unit.id, U[k.holder].id);
      // personal data is shown masked; whole only through unmask (等保 2.0 8.1.4.8)
      assert.equal(r.body.petitioners[0].phone, maskPhone(PHONE));
      assert.equal(r.body.petitioners[0].id_number, maskId(ID));
      assert.ok(!r.text.includes(PHONE) && !r.text.includes(ID), 'whole phone or ID number in the case');
    } },
  { route: 'GET /api/v1/cases/{}/events', roles: ALL, scope: 'case', rule: SCOPE_RULE, call: (c, k) => c.get(`/api/v1/cases/${k.no}/events`),
    ok: (r, c, k) => {
      assert.equal(r.body.no, k.no);
      assert.ok(r.body.events.length >= 1);
      assert.ok(!r.text.includes(PHONE) && !r.text.includes(ID), 'whole phone or ID number in the events');
    } },
  { route: 'GET /api/v1/cases', roles: ALL, scope: 'listed', rule: SCOPE_RULE, call: (c) => c.get('/api/v1/cases?limit=200'), nos: itemsNos },
  { route: 'GET /api/v1/cases', name: '?q= (search)', roles: ALL, scope: 'listed', rule: SCOPE_RULE,
    call: (c) => c.get(`/api/v1/cases?limit=200&q=${encodeURIComponent(WORD)}`), nos: itemsNos },
  { route: 'GET /api/v1/cases', name: '?unit= (the holder)', roles: ALL, scope: 'listed', perCase: true, rule: SCOPE_RULE,
    call: (c, k) => c.get(`/api/v1/cases?limit=200&unit=${U[k.holder].id}`), nos: itemsNos },
  { route: 'GET /api/v1/todo', roles: ALL, scope: 'todo', rule: 'docs/API.md "GET /api/v1/todo"', call: (c) => c.get('/api/v1/todo') },
  // exports (DESIGN.md §7: every list to Excel): the list's rows, the list's scope, as .xlsx (the
  // numbers are read from the sheet's first column); business roles only — the 三员 and
  // pii_reader alone get 403 (src/service/export.c)
  { route: 'GET /api/v1/cases/export', roles: BUSINESS, scope: 'listed', rule: `${SCOPE_RULE}; docs/API.md "cases/export"`,
    call: (c) => c.get('/api/v1/cases/export'), nos: sheetNos },
  { route: 'GET /api/v1/cases/export', name: '?q= (search)', roles: BUSINESS, scope: 'listed', rule: SCOPE_RULE,
    call: (c) => c.get(`/api/v1/cases/export?q=${encodeURIComponent(WORD)}`), nos: sheetNos },
  { route: 'GET /api/v1/cases/export', name: '?unit= (the holder)', roles: BUSINESS, scope: 'listed', perCase: true, rule: SCOPE_RULE,
    call: (c, k) => c.get(`/api/v1/cases/export?unit=${U[k.holder].id}`), nos: sheetNos },
  { route: 'GET /api/v1/todo/export', roles: BUSINESS, scope: 'todo', rule: 'docs/API.md "todo/export"',
    call: (c) => c.get('/api/v1/todo/export'), nos: sheetNos },
  // escalations go to the unit on the clock and the petition department that
  // supervises it; in this organisation every case a subject sees is on its
  // unit or a unit it supervises, so listed ⇔ visible
  { route: 'GET /api/v1/escalations', roles: ALL, scope: 'listed', rule: 'R22 art. 38-40',
    call: (c) => c.get('/api/v1/escalations'), nos: itemsNos },
  { route: 'GET /api/v1/stats/timeliness', roles: ALL, scope: 'units', count: 'overdue_now', rule: 'docs/API.md "per unit in your scope"; 三员: none',
    call: (c) => c.get(`/api/v1/stats/timeliness?${PERIOD}`) },

  // actions: one probe per state; the table says what each user gets
  // attachments: read through the case's own scope; added by the roles that work on
  // cases (not the analyst, not pii_reader alone, never the 三员; src/service/attach.c)
  { route: 'GET /api/v1/cases/{}/attachments', roles: ALL, scope: 'case', rule: SCOPE_RULE,
    call: (c, k) => c.get(`/api/v1/cases/${k.no}/attachments`),
    ok: (r, c, k) => assert.deepEqual(r.body.items.map((i) => i.id), [k.attachment]) },
  { route: 'GET /api/v1/cases/{}/attachments/{}', roles: ALL, scope: 'case', rule: SCOPE_RULE,
    call: (c, k) => c.get(`/api/v1/cases/${k.no}/attachments/${k.attachment}`),
    ok: (r) => assert.equal(r.text, PDF) },
  { route: 'POST /api/v1/cases/{}/attachments', roles: ATTACH, scope: 'case', order: 'scope', write: true, rule: SCOPE_RULE,
    // no ?name=: refused after the scope and role checks (400), so nothing is added
    call: (c, k) => c.post(`/api/v1/cases/${k.no}/attachments`, undefined, { raw: PDF }),
    status: 400, ok: (r) => assert.equal(r.body.error.code, 'validation.required') },

  { route: 'POST /api/v1/cases/{}/actions/{}', name: 'transfer', roles: ALL, scope: 'action', state: 'registered',
    table: TRANSFER, action: 'transfer', offered: 'transfer', rule: 'R22 art. 22' },
  { route: 'POST /api/v1/cases/{}/actions/{}', name: 'return', roles: ALL, scope: 'action', state: 'dispatched',
    // the objection window (5 workdays) closed before T1, so `accept` (same rule: the
    // holder's handler) is what the case offers
    table: RETURN, action: 'return', offered: 'accept', rule: 'R22 art. 23' },
  { route: 'POST /api/v1/cases/{}/actions/{}', name: 'suggest', roles: ALL, scope: 'action', state: 'dispatched',
    table: SUGGEST, action: 'suggest', offered: 'suggest', rule: 'R22 art. 39' },
];

// Known disagreements between the tables and the server: `${route} ${name} ${user}` → todo text.
const KNOWN = {};

// ---- helpers ----------------------------------------------------------------------

const allowedRole = (e, user) => e.roles === ALL || (Array.isArray(e.roles) && e.roles.includes(roleOf(user)));
const label = (e) => (e.name ? `${e.route} ${e.name}` : e.route);

/** Is unit `code` one the user may report on (its subtree, or itself for a handling unit)? */
function unitInScope(user, code) {
  if (THREE.includes(roleOf(user))) return false;
  const own = U[unitOf(user)];
  if (own.type !== 'petition') return code === own.code;
  for (let u = U[code]; u; u = u.parent_id ? Object.values(U).find((x) => x.id === u.parent_id) : null) {
    if (u.code === own.code) return true;
  }
  return false;
}

/** [{relation, key, k, sees}] for the user's unit, optionally only cases in `state`. */
function cells(user, state) {
  const out = [];
  for (const r of RELATIONS) {
    for (const key of RELATED[unitOf(user)][r]) {
      if (state && CASES[key].state !== state) continue;
      out.push({ relation: r, key, k: C[key], sees: SEES[user][r] });
    }
  }
  return out;
}

/** Versions of every case as the province sees them (it sees the whole tree). */
async function versions() {
  const obs = await ctx.login('hlj-xfj.dispatcher');
  const out = {};
  for (const key of KEYS) out[key] = (await obs.getCase(C[key].no)).version;
  return out;
}

/** Everything a refused write could have changed. */
async function worldState() {
  const obs = await ctx.login('hlj-xfj.dispatcher');
  const pol = await obs.get('/api/v1/policies');
  const cal = await obs.get('/api/v1/calendar?year=2099');
  const list = await obs.get('/api/v1/cases?limit=200');
  const users = await ctx.login('hlj-xfj.secadmin').then((c) => c.get('/api/v1/users'));
  const retention = await ctx.login('hlj-xfj.auditor').then((c) => c.get('/api/v1/audit/retention'));
  return {
    retention: retention.text,
    users: users.text,
    policies: pol.text,
    calendar: cal.body?.days,
    cases: list.body.items.map((i) => `${i.no}@${i.version}`),
    units: (await obs.get('/api/v1/units')).text,
  };
}

let missingMessage; // the 404 of a case that does not exist, for comparison
const FAKE = 'XF2099010100001';

function expectHidden(res, no, what) {
  const e = expectError(res, 404, 'case.not_found');
  // indistinguishable from a case that does not exist
  assert.equal(e.message.replace(no, '#'), missingMessage.replace(FAKE, '#'), `${what}: the 404 differs from a missing case's`);
  return e;
}

// ---- set-up: the cases at T0, then the server at T1 ---------------------------------

before(async () => {
  ctx = await setup({ now: T0 });
  U = await ctx.units();
  const reg = async (key, unit) => {
    const c = await ctx.login(`${unit}.registrar`);
    const body = caseBody({
      title: `授权矩阵 ${key}`, locality: CASES[key].locality,
      content: `我反映的问题见标题（${WORD}）。`,
      petitioners: [{ name: '矩阵甲', sex: 'male', id_type: 'resident_id', id_number: ID, phone: PHONE,
        address: '哈尔滨市南岗区测试街1号', representative: true }],
    });
    const r = await c.registered(body);
    C[key] = { no: r.no, code: r.code, ...CASES[key] };
    const a = await c.post(`/api/v1/cases/${r.no}/attachments?name=${encodeURIComponent('登记材料.pdf')}`, undefined, { raw: PDF });
    assert.equal(a.status, 201, `attachment on ${key}: ${a.status} ${a.text}`);
    C[key].attachment = a.body.attachment.id;
  };
  for (const key of KEYS) {
    const k = CASES[key];
    if (k.state === 'registered') {
      await reg(key, k.holder);
    } else {
      await reg(key, k.from);
      await (await ctx.login(`${k.from}.dispatcher`)).acted(C[key].no, 'transfer', { lead_unit: U[k.holder].id });
    }
  }
  await advanceTo(ctx, T1);
  const obs = await ctx.login('hlj-xfj.dispatcher');
  for (const key of KEYS) {
    const c = await obs.getCase(C[key].no);
    assert.equal(c.state, CASES[key].state, key);
    assert.equal(c.holder_unit.id, U[CASES[key].holder].id, key);
    C[key].version = c.version;
  }
  missingMessage = expectError(await obs.get(`/api/v1/cases/${FAKE}`), 404, 'case.not_found').message;
});
after(async () => { await ctx?.close(); });

// ---- the tables themselves ---------------------------------------------------------

describe('the tables', () => {
  it('ENDPOINTS cover every route of src/http/server.c, and only those; public ⇔ no R_AUTH', () => {
    const routes = serverRoutes();
    const keys = new Set(ENDPOINTS.map((e) => e.route));
    const missing = routes.filter((r) => !keys.has(r.key)).map((r) => r.key);
    assert.deepEqual(missing, [], `routes without an entry in ENDPOINTS: ${missing.join(', ')}`);
    const extra = [...keys].filter((k) => !routes.some((r) => r.key === k));
    assert.deepEqual(extra, [], `entries for routes that do not exist: ${extra.join(', ')}`);
    for (const r of routes) {
      for (const e of ENDPOINTS.filter((x) => x.route === r.key)) {
        assert.equal(e.roles === PUBLIC, !r.auth, `${label(e)}: public in the table ⇔ no R_AUTH in server.c`);
      }
    }
  });

  it('every table has one row per subject; "no case" exactly where the relation has none', () => {
    for (const [name, t] of Object.entries({ SEES, TRANSFER, RETURN, SUGGEST })) {
      assert.deepEqual(Object.keys(t).sort(), [...SUBJECTS].sort(), name);
    }
    for (const u of SUBJECTS) {
      for (const r of RELATIONS) {
        const keys = RELATED[unitOf(u)][r];
        assert.equal(SEES[u][r] === _, keys.length === 0, `SEES ${u} ${r}`);
        for (const [t, state] of [[TRANSFER, 'registered'], [RETURN, 'dispatched'], [SUGGEST, 'dispatched']]) {
          const any = keys.some((k) => CASES[k].state === state);
          assert.equal(t[u][r] === _, !any, `${u} ${r} ${state}`);
          // out of scope ⇔ 404, whatever the role
          if (any) assert.equal(t[u][r] === GONE, SEES[u][r] === H, `${u} ${r} ${state}: GONE ⇔ hidden`);
        }
      }
      // 三员 see nothing
      if (THREE.includes(roleOf(u))) for (const r of RELATIONS) assert.ok(SEES[u][r] !== R, u);
      for (const k of TODO[u] ?? []) assert.ok(KEYS.includes(k), k);
    }
  });

  it('the demo users have the unit and the single role the tables assume', async () => {
    for (const u of SUBJECTS) {
      const c = await ctx.login(u);
      assert.equal(c.unit.code, unitOf(u), u);
      assert.deepEqual(c.roles, [roleOf(u)], u);
    }
  });
});

// ---- anonymous: every R_AUTH endpoint is 401 --------------------------------------

describe('anonymous requests: 401 auth.required on every R_AUTH endpoint; public ones answer', () => {
  for (const e of ENDPOINTS) {
    if (e.roles === PUBLIC) {
      it(`${label(e)}: public, no session needed`, async () => {
        const r = await e.call(anonymous(ctx));
        assert.equal(r.status, e.status ?? 200, `${label(e)}: ${r.status} ${r.text}`);
        await e.ok?.(r);
      });
      continue;
    }
    it(`${label(e)}: no cookie / an unknown cookie → 401 auth.required, nothing changed`, async () => {
      const before = await versions();
      for (const anon of [anonymous(ctx), anonymous(ctx, { cookie: `xf_session=${'0'.repeat(64)}` })]) {
        const r = e.scope === 'action'
          ? await anon.act(C.REG_HRB.no, e.action, {}, { ifMatch: C.REG_HRB.version })
          : await e.call(anon, C.REG_HRB);
        expectError(r, 401, 'auth.required');
      }
      assert.deepEqual(await versions(), before);
    });
  }
});

// ---- the matrix ------------------------------------------------------------------

/** The outcome of an action probe as one of OK / ROLE / HOLD / GONE, or a description. */
function outcome(r) {
  if (r.status === 400 && r.body?.error?.code === 'validation.required') return OK;
  if (r.status === 403 && [ROLE, HOLD].includes(r.body?.error?.code)) return r.body.error.code;
  if (r.status === 404 && r.body?.error?.code === GONE) return GONE;
  return `${r.status} ${r.body?.error?.code ?? r.text.slice(0, 80)}`;
}

async function checkCell(e, user) {
  const c = e.fresh ? await ctx.freshLogin(user) : await ctx.login(user);
  const expectNoChange = e.write || e.scope === 'action' ? await worldState() : null;

  if (!allowedRole(e, user)) {
    if (e.order === 'scope') {
      // the case is looked up first: out of scope stays 404 (like a missing case)
      for (const { key, k, sees } of cells(user)) {
        const r = await e.call(c, k);
        if (sees === R) expectError(r, 403, 'auth.role_denied');
        else expectHidden(r, k.no, `${user} → ${key}`);
      }
    } else {
      // a role refusal that does not depend on the case: no existence to leak
      const ks = e.scope === 'case' || e.perCase ? cells(user).map((x) => x.k) : [];
      for (const k of ks.length ? ks : [C.REG_HRB]) expectError(await e.call(c, k), 403, 'auth.role_denied');
    }
  } else if (!e.scope) {
    const r = await e.call(c);
    const [status, code] = e.expect ? e.expect(user) : [e.status ?? 200];
    assert.equal(r.status, status, `${user}: ${r.status} ${r.text}`);
    if (code) expectError(r, status, code);
    else await e.ok?.(r, c);
  } else if (e.scope === 'case') {
    for (const { relation, key, k, sees } of cells(user)) {
      const r = await e.call(c, k);
      const what = `${user} → ${key} (${relation})`;
      if (sees === R) {
        assert.equal(r.status, e.status ?? 200, `${what}: expected ${e.status ?? 200}, got ${r.status} ${r.text}`);
        await e.ok?.(r, c, k);
      } else {
        expectHidden(r, k.no, what);
      }
    }
  } else if (e.scope === 'listed') {
    let listed = null;
    if (!e.perCase) {
      const r = await e.call(c);
      assert.equal(r.status, 200, `${user}: ${r.status} ${r.text}`);
      listed = new Set(e.nos(r));
      // 三员 get nothing at all (not only none of ours)
      if (THREE.includes(roleOf(user))) assert.deepEqual([...listed], [], `${user}: 三员 see no case`);
    }
    const got = {};
    const want = {};
    for (const { relation, key, k, sees } of cells(user)) {
      let set = listed;
      if (e.perCase) {
        const r = await e.call(c, k);
        assert.equal(r.status, 200, `${user} ${key}: ${r.status} ${r.text}`);
        set = new Set(e.nos(r));
      }
      got[`${key} (${relation})`] = set.has(k.no) ? R : H;
      want[`${key} (${relation})`] = sees;
    }
    assert.deepEqual(got, want, `${user}: listed (read) or not (hidden)`);
  } else if (e.scope === 'units') {
    const r = await e.call(c);
    assert.equal(r.status, 200, `${user}: ${r.status} ${r.text}`);
    const rows = new Map(r.body.units.map((x) => [x.unit_code, x]));
    for (const code of rows.keys()) assert.ok(unitInScope(user, code), `${user}: a row for ${code}, outside its scope`);
    if (THREE.includes(roleOf(user))) assert.deepEqual(r.body.units, [], `${user}: 三员 get no statistics`);
    const got = {};
    const want = {};
    for (const { relation, key, k, sees } of cells(user)) {
      const row = rows.get(k.holder);
      const held = KEYS.filter((x) => CASES[x].holder === k.holder).length;
      got[`${key} (${relation}) at ${k.holder}`] = row ? `${e.count}=${row[e.count]}` : 'no row';
      want[`${key} (${relation}) at ${k.holder}`] = sees === R ? `${e.count}=${held}` : 'no row';
    }
    assert.deepEqual(got, want, `${user}: per-unit rows`);
  } else if (e.scope === 'count') {
    // counts only: every case the user may read is counted and no other (all were registered
    // in PERIOD); the units running late are units in the user's scope, each with one overdue
    // clock (triage or acceptance, at T1) per case of ours it holds that the user may read
    const r = await e.call(c);
    assert.equal(r.status, 200, `${user}: ${r.status} ${r.text}`);
    const readable = (key) => unitInScope(user, CASES[key].holder) || (!!CASES[key].from && unitInScope(user, CASES[key].from));
    for (const { key, sees } of cells(user)) assert.equal(readable(key), sees === R, `${user} ${key}: the holder/sender rule agrees with SEES`);
    const visible = KEYS.filter(readable);
    assert.equal(r.body.period.registered, visible.length, `${user}: cases counted`);
    const want = {};
    for (const key of visible) if (unitInScope(user, CASES[key].holder)) want[CASES[key].holder] = (want[CASES[key].holder] ?? 0) + 1;
    assert.deepEqual(Object.fromEntries(r.body.overdue_by_unit.map((x) => [x.unit.code, x.overdue_now])), want,
      `${user}: units running late`);
  } else if (e.scope === 'todo') {
    const r = await e.call(c);
    assert.equal(r.status, 200, `${user}: ${r.status} ${r.text}`);
    const nos = new Set((e.nos ?? itemsNos)(r));
    assert.deepEqual(KEYS.filter((key) => nos.has(C[key].no)), (TODO[user] ?? []).slice().sort((a, b) => KEYS.indexOf(a) - KEYS.indexOf(b)),
      `${user}: to-do`);
    if (THREE.includes(roleOf(user))) assert.deepEqual(r.body.items, []);
  } else if (e.scope === 'action') {
    const got = {};
    const want = {};
    for (const { relation, key, k, sees } of cells(user, e.state)) {
      const r = await c.act(k.no, e.action, {}, { ifMatch: k.version });
      const o = outcome(r);
      if (o !== OK && o !== GONE && r.body?.error) assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
      if (o === GONE) expectHidden(r, k.no, `${user} ${e.action} ${key}`);
      got[`${key} (${relation})`] = o;
      want[`${key} (${relation})`] = e.table[user][relation];
      // what the case offers agrees: the action is offered ⇔ authorised
      if (sees === R) {
        const offered = (await c.getCase(k.no)).actions.map((a) => a.action).includes(e.offered);
        got[`${key} (${relation}) offers ${e.offered}`] = offered;
        want[`${key} (${relation}) offers ${e.offered}`] = e.table[user][relation] === OK;
      }
    }
    assert.deepEqual(got, want, `${user}: ${e.action}`);
  } else {
    throw new Error(`unknown scope ${e.scope}`);
  }

  if (expectNoChange) assert.deepEqual(await worldState(), expectNoChange, `${user}: a refused request changed something`);
}

for (const e of ENDPOINTS.filter((x) => x.roles !== PUBLIC)) {
  const who = e.roles === ALL ? 'every role' : e.roles.join(', ');
  describe(`${label(e)} — ${who}${e.scope ? `, scope ${e.scope}` : ''}${e.rule ? ` (${e.rule})` : ''}`, () => {
    for (const user of SUBJECTS) {
      const todo = KNOWN[`${label(e)} ${user}`];
      it(`${user}`, { todo }, async () => { await checkCell(e, user); });
    }
  });
}
