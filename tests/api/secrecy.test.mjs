// secrecy.test.mjs - whistleblower secrecy (issue 4, "Security and
// confidentiality"). R22 art. 30: the accuser's identity and the accusation
// material must never be disclosed or passed to the accused person or unit;
// art. 46(5) makes leaking them an accountability failure; seed 004 art. 7 and
// seed 003 §11.4 say the same locally; seed 004 art. 9(1)3: no progress or
// results of an accusation are published.
//
// For an accusation (kind=accusation) naming an accused unit (`accused_unit`),
// users of that unit and of every unit under it:
//   - get no trace of it from any endpoint that returns case data — case,
//     events, attachments, lists, search (q=), to-do, escalations, statistics,
//     notice candidates, petitioner look-up, unmasking, actions: not the case
//     number, not the petitioner's name, ID number, phone, address or
//     workplace, whole or masked, not its title;
//   - cannot find out that it exists: a search by the accuser's name, phone
//     or ID number answers exactly as one for a person who never petitioned,
//     and everything they see is identical before and after the accusation
//     was registered and dispatched (no existence oracle);
//   - never receive it: transfer, assign, co-units, 三项建议 and merges that
//     would bring it (or a case linked to it) to the accused unit's subtree
//     are refused with 422 flow.accused_unit and change nothing.
// Every check has a positive control: a user who may see the accusation
// finds it through the same endpoint, so an empty answer means "hidden", not
// "broken".
//
// The accusations:
//   ACC1 against 道里区城市管理局 (dl-cgj, a handling unit), registered by
//        道里区信访局 (dl-xfj), handled by 道里区住建局 (dl-zjj, its sibling);
//   ACC2 against 哈尔滨市信访局 (hrb-xfj, a city bureau: its subtree holds
//        hrb-cgj, dl-xfj, dl-cgj, dl-zjj, bx-xfj, bx-rsj …), submitted online
//        from 道里区 (so it would normally land at dl-xfj), registered at the
//        province (hlj-xfj) and handled by the provincial discipline organ
//        (hlj-jw), as R22 art. 31 routes accusations within its remit.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, epoch, expectError, caseBody, idNumber, snapshot, assertUnchanged, replyBody, http } from './helpers.mjs';
import { serverRoutes, advanceTo, traces, assertNoTrace, assertTrace } from './security-fixtures.mjs';

const T0 = epoch('2026-03-02T10:00:00+08:00'); // a Monday
const T1 = epoch('2026-05-16T10:00:00+08:00'); // 75 days later: every 60-day handling clock is overdue
const PERIOD = 'from=2026-03-01&to=2026-05-16';
const PDF = (s) => `%PDF-1.4\n%${s}\n%%EOF\n`;

// ---- the accusers: everything that would identify them ------------------------
const P1 = { name: '欧阳秘举', sex: 'male', id_type: 'resident_id', id_number: idNumber('11010519791231003'),
  phone: '15945672381', address: '哈尔滨市道里区保密巷7号', workplace: '道里区城市管理局执法三中队', representative: true };
const P2 = { name: '司马秘诉', sex: 'female', id_type: 'resident_id', id_number: idNumber('12010419820214004'),
  phone: '18603458812', address: '哈尔滨市南岗区隐名路19号', workplace: '哈尔滨市信访局来访接待处', representative: true };
const P3 = { name: '上官秘告', sex: 'male', id_type: 'resident_id', id_number: idNumber('13010219880808005'),
  phone: '13566091473', address: '哈尔滨市道里区无名街3号', workplace: '道里区城市管理局机关', representative: true };
const NOBODY = { name: '诸葛无此人', phone: '13000000001', id_number: idNumber('31010119900101006') };

function accusation(p, token, overrides = {}) {
  return caseBody({
    kind: 'accusation', purpose: 'accuse', category: '1101',
    title: `举报工作人员索要好处费（${token}）`,
    content: `我叫${p.name}，电话${p.phone}，身份证${p.id_number}。${token}：该单位执法人员多次索要好处费。`,
    request: '请依纪依法查处，并为我保密',
    petitioners: [p],
    ...overrides,
  });
}

// ---- who must not see, who must ---------------------------------------------------
const DEPT = ['handler', 'unit_head'];
const COUNTY = ['registrar', 'dispatcher', 'handler', 'unit_head', 'supervisor', 'reviewer'];
const CITY = [...COUNTY, 'leader', 'analyst', 'pii_reader'];
const users = (unit, roles) => roles.map((r) => `${unit}.${r}`);
// ACC1: the accused unit dl-cgj (no unit under it)
const ACCUSED1 = users('dl-cgj', DEPT);
// ACC2: hrb-xfj and everything under it
const ACCUSED2 = [...users('hrb-xfj', CITY), ...users('hrb-cgj', DEPT), ...users('hrb-zjj', DEPT),
  ...users('dl-xfj', COUNTY), ...users('dl-cgj', DEPT), ...users('dl-zjj', DEPT), 'bx-xfj.dispatcher', 'bx-rsj.handler'];
// positive controls: the units above the accused, and the unit handling it
const CONTROL1 = ['dl-xfj.dispatcher', 'dl-xfj.supervisor', 'dl-zjj.handler', 'hrb-xfj.supervisor'];
const CONTROL2 = ['hlj-xfj.dispatcher', 'hlj-xfj.supervisor', 'hlj-jw.handler'];
const roleOf = (u) => u.split('.')[1];

// The routes of src/http/server.c that answer with case data, and how to probe
// them for one case; every other route must be named in NO_CASE_DATA.
const NOTICE_ROLES = ['supervisor', 'leader', 'analyst', 'unit_head'];
const CASE_DATA = {
  'GET /api/v1/cases/{}': (c, a) => c.get(`/api/v1/cases/${a.no}`),
  'GET /api/v1/cases/{}/events': (c, a) => c.get(`/api/v1/cases/${a.no}/events`),
  'GET /api/v1/cases/{}/similar': (c, a) => c.get(`/api/v1/cases/${a.no}/similar`),
  'POST /api/v1/cases/similar': (c, a) => c.post('/api/v1/cases/similar', { content: a.token, petitioners: [{ name: a.p.name, phone: a.p.phone }] }),
  'GET /api/v1/cases/{}/attachments': (c, a) => c.get(`/api/v1/cases/${a.no}/attachments`),
  'GET /api/v1/cases/{}/attachments/{}': (c, a) => c.get(`/api/v1/cases/${a.no}/attachments/${a.attachment}`),
  'POST /api/v1/cases/{}/attachments': (c, a) => c.post(`/api/v1/cases/${a.no}/attachments?name=x.pdf`, undefined, { raw: PDF('x') }),
  'POST /api/v1/cases/{}/actions/{}': (c, a) => c.act(a.no, 'accept', {}, { ifMatch: 1 }),
  'POST /api/v1/cases/{}/petitioners/{}/unmask': (c, a) => c.post(`/api/v1/cases/${a.no}/petitioners/0/unmask`, { reason: '核实举报人身份需要' }),
  'GET /api/v1/cases': (c) => c.get('/api/v1/cases?limit=200'),
  'GET /api/v1/todo': (c) => c.get('/api/v1/todo'),
  // the exports' sheets are stored (uncompressed) XML: the text shows what they hold
  'GET /api/v1/cases/export': (c) => c.get('/api/v1/cases/export'),
  'GET /api/v1/todo/export': (c) => c.get('/api/v1/todo/export'),
  'GET /api/v1/escalations': (c) => c.get('/api/v1/escalations'),
  'GET /api/v1/stats/timeliness': (c) => c.get(`/api/v1/stats/timeliness?${PERIOD}`),
  'GET /api/v1/supervision/notices': (c) => c.get(`/api/v1/supervision/notices?${PERIOD}&min=1`),
  'GET /api/v1/stats/hot': (c) => c.get(`/api/v1/stats/hot?${PERIOD}&min=2`),
  'GET /api/v1/stats/overview': (c) => c.get(`/api/v1/stats/overview?${PERIOD}`),
  'POST /api/v1/petitioners/lookup': (c, a) => c.post('/api/v1/petitioners/lookup', { phone: a.p.phone }),
  // the portal answers only to the case number with its query code (R05 art. 12)
  'POST /api/public/v1/query': null,
  'POST /api/public/v1/cases/{}/actions/{}': null,
  'GET /api/public/v1/cases/{}/attachments': null,
  'GET /api/public/v1/cases/{}/attachments/{}': null,
  'POST /api/public/v1/cases/{}/attachments': null,
};
const NO_CASE_DATA = [
  'GET /healthz', 'POST /api/v1/login', 'POST /api/v1/logout', 'GET /api/v1/me', 'GET /api/v1/codes',
  'GET /api/v1/units', 'GET /api/v1/calendar', 'GET /api/v1/calendar/due', 'GET /api/v1/calendar/workday',
  'POST /api/v1/calendar/import', 'GET /api/v1/policies', 'POST /api/v1/policies/{}', 'POST /api/v1/units/{}/policy',
  'GET /api/v1/users', 'POST /api/v1/users', 'POST /api/v1/users/{}/disabled', 'POST /api/v1/users/{}/roles',
  'POST /api/v1/users/{}/totp/reset', 'POST /api/v1/me/totp/setup', 'POST /api/v1/me/totp/enable',
  'POST /api/v1/me/totp/disable', 'POST /api/v1/me/password', 'POST /api/v1/users/{}/password',
  'GET /api/v1/audit/retention', 'POST /api/v1/audit/retention',
  'GET /api/v1/audit',         // the auditor's: actions and case numbers, no case content; the 三员 are never under an accused unit here
  'POST /api/v1/cases',        // answers with the case the caller registers
  'POST /api/public/v1/cases', // answers the petitioner with their own case
  'GET /api/public/v1/codes', 'GET /api/public/v1/units',
  'GET /api/v1/me/views', 'POST /api/v1/me/views', 'POST /api/v1/me/views/{}/delete', // the user's own filters
];

let ctx;
let U;
const A = {}; // ACC1, ACC2, ACC3: {no, code, p, token, attachment, markers}
const K = {}; // the ordinary cases: C1 (dl-cgj handles it), B (dl-zjj leads, dl-cgj co-unit), C3 (dl-cgj returned it)

/** The strings that would betray accusation `a`. */
function markersOf(a) {
  return traces(a.p, [a.no, a.token, a.attachName]);
}

/** Everything a user can see that could change when a case appears (fixed clock). */
async function views(user, probes) {
  const c = await ctx.login(user);
  const strip = (r) => ({ status: r.status, body: r.body });
  const out = {
    list: strip(await c.get('/api/v1/cases?limit=200')),
    todo: strip(await c.get('/api/v1/todo')),
    escalations: strip(await c.get('/api/v1/escalations')),
    stats: strip(await c.get(`/api/v1/stats/timeliness?${PERIOD}`)),
    overview: strip(await c.get(`/api/v1/stats/overview?${PERIOD}`)),
    notices: strip(await c.get(`/api/v1/supervision/notices?${PERIOD}&min=1`)),
    // the workbooks, byte for byte (the archive holds no clock of its own)
    export: await c.get('/api/v1/cases/export').then((r) => ({ status: r.status, text: r.text })),
    todoExport: await c.get('/api/v1/todo/export').then((r) => ({ status: r.status, text: r.text })),
  };
  for (const p of probes) {
    for (const q of [p.name, p.phone, p.id_number, p.token].filter(Boolean)) {
      out[`q=${q}`] = strip(await c.get(`/api/v1/cases?limit=200&q=${encodeURIComponent(q)}`));
      out[`todo q=${q}`] = strip(await c.get(`/api/v1/todo?q=${encodeURIComponent(q)}`));
    }
    out[`lookup ${p.phone}`] = strip(await c.post('/api/v1/petitioners/lookup', { phone: p.phone }));
    out[`lookup ${p.id_number}`] = strip(await c.post('/api/v1/petitioners/lookup', { id_number: p.id_number }));
  }
  return out;
}

before(async () => {
  ctx = await setup({ now: T0 });
  U = await ctx.units();
  const dlReg = await ctx.login('dl-xfj.registrar');
  const dlDisp = await ctx.login('dl-xfj.dispatcher');
  // the ordinary cases the accused unit works on
  K.C1 = await dlReg.registered({ title: '道里区某小区违建（普通事项）' });
  await dlDisp.acted(K.C1.no, 'transfer', { lead_unit: U['dl-cgj'].id });
  await (await ctx.login('dl-cgj.handler')).acted(K.C1.no, 'accept');
  K.B = await dlReg.registered({ title: '道里区某路段占道经营（普通事项）' });
  await dlDisp.acted(K.B.no, 'transfer', { lead_unit: U['dl-zjj'].id, co_units: [U['dl-cgj'].id] });
  K.C3 = await dlReg.registered({ title: '道里区某摊点噪音扰民（普通事项）' });
  await dlDisp.acted(K.C3.no, 'transfer', { lead_unit: U['dl-cgj'].id });
  await (await ctx.login('dl-cgj.handler')).acted(K.C3.no, 'return', { reason: '不属本单位职责' });
});
after(async () => { await ctx?.close(); });

describe('the tables', () => {
  it('every route of src/http/server.c is either probed for case data or named as returning none', () => {
    const routes = serverRoutes().map((r) => r.key);
    const named = [...Object.keys(CASE_DATA), ...NO_CASE_DATA];
    assert.deepEqual(routes.filter((r) => !named.includes(r)), [], 'routes not classified (add them to CASE_DATA or NO_CASE_DATA)');
    assert.deepEqual(named.filter((r) => !routes.includes(r)), [], 'classified routes that do not exist');
    assert.equal(new Set(named).size, named.length, 'a route named twice');
  });
});

describe('registering and dispatching: never to the accused unit or under it (R22 art. 30, 46(5); seed 004 art. 7)', () => {
  let s0;
  it('ACC1 against dl-cgj: registered at dl-xfj; transfer, assign, co-unit to dl-cgj refused (422 flow.accused_unit), nothing changed', async () => {
    s0 = {};
    for (const u of ACCUSED1) s0[u] = await views(u, [{ ...P1, token: '秘举甲一' }]);
    const dlReg = await ctx.login('dl-xfj.registrar');
    const r = await dlReg.registered(accusation(P1, '秘举甲一', { accused_unit: U['dl-cgj'].id, accused_name: '李某' }));
    const att = await dlReg.post(`/api/v1/cases/${r.no}/attachments?name=${encodeURIComponent('举报材料秘举甲一.pdf')}`, undefined, { raw: PDF('ACC1') });
    assert.equal(att.status, 201, att.text);
    A.ACC1 = { no: r.no, code: r.code, p: P1, token: '秘举甲一', attachName: '举报材料秘举甲一', attachment: att.body.attachment.id };
    const disp = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(disp, r.no);
    const refuse = async (action, body, field) =>
      expectError(await disp.act(r.no, action, body, { ifMatch: snap.version }), 422, 'flow.accused_unit', field);
    await refuse('transfer', { lead_unit: U['dl-cgj'].id }, 'lead_unit');
    await refuse('assign', { lead_unit: U['dl-cgj'].id, due_days: 10 }, 'lead_unit');
    await refuse('transfer', { lead_unit: U['dl-zjj'].id, co_units: [U['dl-cgj'].id] }, 'co_units');
    await refuse('assign', { lead_unit: U['dl-zjj'].id, co_units: [U['dl-cgj'].id], due_days: 10 }, 'co_units');
    await assertUnchanged(disp, r.no, snap);
    // to its sibling: fine
    await disp.acted(r.no, 'transfer', { lead_unit: U['dl-zjj'].id });
    await (await ctx.login('dl-zjj.handler')).acted(r.no, 'accept');
  });

  it('ACC1: a 三项建议 to the accused unit is refused (R22 art. 39, 30), nothing changed', async () => {
    const sup = await ctx.login('dl-xfj.supervisor');
    const snap = await snapshot(sup, A.ACC1.no);
    expectError(await sup.act(A.ACC1.no, 'suggest', { to_unit: U['dl-cgj'].id, suggestion_type: 'work', opinion: '请改进执法工作' },
      { ifMatch: snap.version }), 422, 'flow.accused_unit', 'to_unit');
    await assertUnchanged(sup, A.ACC1.no, snap);
  });

  it('ACC1: everything dl-cgj sees is exactly as before the accusation was registered, dispatched and accepted (no existence oracle)', async () => {
    for (const u of ACCUSED1) {
      assert.deepEqual(await views(u, [{ ...P1, token: A.ACC1.token }]), s0[u], `${u}: its views changed when ACC1 appeared`);
    }
  });

  let s1;
  it('ACC2 against hrb-xfj, submitted online from 道里区: registered at the province, not at dl-xfj (under the accused)', async () => {
    s1 = {};
    for (const u of ACCUSED2) s1[u] = await views(u, [{ ...P2, token: '秘诉乙二' }]);
    const body = accusation(P2, '秘诉乙二', { accused_unit: U['hrb-xfj'].id, accused_name: '王某', channel: 'online', locality: '230102' });
    const r = await ctx.publicSubmit(body);
    assert.equal(r.status, 201, r.text);
    const no = r.body.case.no;
    const prov = await ctx.login('hlj-xfj.dispatcher');
    const c = await prov.getCase(no);
    assert.equal(c.holder_unit.id, U['hlj-xfj'].id, 'the first petition department above the accused subtree');
    const up = await http(ctx.base, 'POST', `/api/public/v1/cases/${no}/attachments?name=${encodeURIComponent('证据秘诉乙二.pdf')}`,
      { raw: PDF('ACC2'), headers: { 'X-Query-Code': r.body.query_code } });
    assert.equal(up.status, 201, up.text);
    A.ACC2 = { no, code: r.body.query_code, p: P2, token: '秘诉乙二', attachName: '证据秘诉乙二', attachment: up.body.attachment.id };
  });

  it('ACC2: not to hrb-xfj, nor to any unit under it, as lead or co-unit; no 三项建议 there; nothing changed', async () => {
    const no = A.ACC2.no;
    const prov = await ctx.login('hlj-xfj.dispatcher');
    const snap = await snapshot(prov, no);
    const refuse = async (action, body, field) =>
      expectError(await prov.act(no, action, body, { ifMatch: snap.version }), 422, 'flow.accused_unit', field);
    await refuse('transfer', { lead_unit: U['hrb-xfj'].id }, 'lead_unit');          // the accused itself
    await refuse('transfer', { lead_unit: U['dl-xfj'].id }, 'lead_unit');           // a bureau under it
    await refuse('assign', { lead_unit: U['dl-cgj'].id, due_days: 10 }, 'lead_unit'); // two levels under it
    await refuse('assign', { lead_unit: U['hrb-cgj'].id, due_days: 10 }, 'lead_unit');
    await refuse('transfer', { lead_unit: U['hlj-jw'].id, co_units: [U['hrb-zjj'].id] }, 'co_units');
    await assertUnchanged(prov, no, snap);
    await prov.acted(no, 'transfer', { lead_unit: U['hlj-jw'].id });
    await (await ctx.login('hlj-jw.handler')).acted(no, 'accept');
    const sup = await ctx.login('hlj-xfj.supervisor');
    const snap2 = await snapshot(sup, no);
    for (const to of ['hrb-xfj', 'bx-xfj', 'dl-zjj']) {
      expectError(await sup.act(no, 'suggest', { to_unit: U[to].id, suggestion_type: 'accountability', opinion: '建议追究责任' },
        { ifMatch: snap2.version }), 422, 'flow.accused_unit', 'to_unit');
    }
    await assertUnchanged(sup, no, snap2);
  });

  it('ACC2: a clerk under the accused unit cannot register an accusation against it; nothing is created', async () => {
    for (const user of ['hrb-xfj.registrar', 'dl-xfj.registrar']) {
      const reg = await ctx.login(user);
      const before = await reg.listNos();
      expectError(await reg.register(accusation(P3, '秘告未登', { accused_unit: U['hrb-xfj'].id })), 422, 'flow.accused_unit', 'accused_unit');
      assert.deepEqual(await reg.listNos(), before, `${user}: nothing registered`);
    }
  });

  it('ACC2: everything the accused subtree sees is exactly as before (no existence oracle)', async () => {
    for (const u of ACCUSED2) {
      assert.deepEqual(await views(u, [{ ...P2, token: A.ACC2.token }]), s1[u], `${u}: its views changed when ACC2 appeared`);
    }
  });
});

describe('later, with the handling clocks overdue and escalated: no endpoint gives the accused a trace (R22 art. 30, 46(5))', () => {
  before(async () => {
    assert.ok(A.ACC1 && A.ACC2, 'the accusations were registered');
    A.ACC1.markers = markersOf(A.ACC1);
    A.ACC2.markers = markersOf(A.ACC2);
    await advanceTo(ctx, T1);
  });

  const cases = () => [
    { a: A.ACC1, accused: ACCUSED1, control: CONTROL1 },
    { a: A.ACC2, accused: ACCUSED2, control: CONTROL2 },
  ];

  for (const route of Object.keys(CASE_DATA).filter((r) => CASE_DATA[r])) {
    it(`${route}: the accused subtree gets no trace (a case-specific route: 404 case.not_found, like a missing case)`, async () => {
      for (const { a, accused } of cases()) {
        for (const u of accused) {
          const c = await ctx.login(u);
          const r = await CASE_DATA[route](c, a);
          // a route that names the case may echo the number it was asked for
          const markers = route.includes('{}') ? a.markers.filter((m) => m !== a.no) : a.markers;
          assertNoTrace(r, markers, `${route} as ${u} (accused of ${a.no})`);
          if (route.includes('{}')) {
            if (route.endsWith('/unmask') && !c.roles.includes('pii_reader')) expectError(r, 403, 'auth.role_denied');
            else if (route.endsWith('/similar') && roleOf(u) === 'pii_reader') expectError(r, 403, 'auth.role_denied');
            else expectError(r, 404, 'case.not_found');
          } else if ((route.includes('notices') && !NOTICE_ROLES.includes(roleOf(u))) ||
                     ((route.includes('/hot') || route.includes('/overview')) && ![...NOTICE_ROLES, 'dispatcher'].includes(roleOf(u)))) {
            expectError(r, 403, 'auth.role_denied');
          } else if ((route.includes('lookup') || route.includes('similar') || route.includes('/export')) && roleOf(u) === 'pii_reader') {
            expectError(r, 403, 'auth.role_denied');
          } else {
            assert.equal(r.status, 200, `${route} as ${u}: ${r.status} ${r.text}`);
          }
        }
      }
    });
  }

  it('controls: the units above the accused and the handling unit do find the accusations through the same endpoints', async () => {
    for (const { a, control } of cases()) {
      const what = (x) => `${x} (control for ${a.no})`;
      for (const u of control) {
        const c = await ctx.login(u);
        assertTrace(await c.get(`/api/v1/cases/${a.no}`), [a.p.name], what(`GET case as ${u}`));
        assertTrace(await c.get(`/api/v1/cases/${a.no}/events`), [a.p.name], what(`events as ${u}`));
        assertTrace(await c.get(`/api/v1/cases/${a.no}/attachments`), [a.attachName], what(`attachments as ${u}`));
        assertTrace(await c.get('/api/v1/cases?limit=200'), [a.no], what(`list as ${u}`));
        assertTrace(await c.get('/api/v1/cases/export'), [a.no], what(`export as ${u}`));
        assertTrace(await c.get(`/api/v1/cases?q=${encodeURIComponent(a.p.name)}`), [a.no], what(`q=name as ${u}`));
        assertTrace(await c.get(`/api/v1/cases?q=${a.p.phone}`), [a.no], what(`q=phone as ${u}`));
        assertTrace(await c.post('/api/v1/petitioners/lookup', { phone: a.p.phone }), [a.no], what(`lookup as ${u}`));
        assertTrace(await c.post('/api/v1/petitioners/lookup', { id_number: a.p.id_number }), [a.no], what(`lookup by ID as ${u}`));
      }
    }
    // the handling units have them to do, and their escalations
    for (const [u, a] of [['dl-zjj.handler', A.ACC1], ['hlj-jw.handler', A.ACC2]]) {
      const c = await ctx.login(u);
      assertTrace(await c.get('/api/v1/todo'), [a.no], `to-do of ${u}`);
      assertTrace(await c.get('/api/v1/escalations'), [a.no], `escalations of ${u}`);
    }
    // the supervising bureaus see the 督办 (R22 art. 38-40)
    assertTrace(await (await ctx.login('dl-xfj.supervisor')).get('/api/v1/escalations'), [A.ACC1.no], 'escalations of dl-xfj');
    assertTrace(await (await ctx.login('hlj-xfj.supervisor')).get('/api/v1/escalations'), [A.ACC2.no], 'escalations of hlj-xfj');
    // …and count them: the handling unit's overdue clock in the statistics and notice candidates
    const stats = await (await ctx.login('hlj-xfj.supervisor')).get(`/api/v1/stats/timeliness?${PERIOD}`);
    assert.ok(stats.body.units.some((x) => x.unit_code === 'hlj-jw' && x.overdue_now >= 1), stats.text);
    const notices = await (await ctx.login('hlj-xfj.supervisor')).get(`/api/v1/supervision/notices?${PERIOD}&min=1`);
    assert.ok(notices.body.units.some((x) => x.unit_code === 'hlj-jw'), notices.text);
    // a reader of personal data above the accused may unmask (and it is audited)
    const pr = await (await ctx.login('hrb-xfj.pii_reader')).post(`/api/v1/cases/${A.ACC1.no}/petitioners/0/unmask`, { reason: '核实举报人身份需要' });
    assert.equal(pr.status, 200, pr.text);
    assert.equal(pr.body.phone, P1.phone);
  });

  it('the accused cannot tell a hidden accuser from a stranger: search and look-up by name, phone, ID number answer as for someone who never petitioned', async () => {
    for (const { a, accused } of cases()) {
      for (const u of accused) {
        const c = await ctx.login(u);
        const same = async (path, real, fake) => {
          const r1 = await c.get(path(real));
          const r2 = await c.get(path(fake));
          assert.equal(r1.status, r2.status, `${u} ${path(real)}`);
          assert.deepEqual(r1.body, r2.body, `${u}: ${path(real)} differs from ${path(fake)}`);
        };
        for (const [real, fake] of [[a.p.name, NOBODY.name], [a.p.phone, NOBODY.phone], [a.p.id_number, NOBODY.id_number]]) {
          await same((q) => `/api/v1/cases?limit=200&q=${encodeURIComponent(q)}`, real, fake);
          await same((q) => `/api/v1/todo?q=${encodeURIComponent(q)}`, real, fake);
        }
        for (const key of ['phone', 'id_number']) {
          const r1 = await c.post('/api/v1/petitioners/lookup', { [key]: a.p[key] });
          const r2 = await c.post('/api/v1/petitioners/lookup', { [key]: NOBODY[key] });
          assert.equal(r1.status, r2.status, `${u} lookup ${key}`);
          assert.deepEqual(r1.body, r2.body, `${u}: look-up by the accuser's ${key} differs from a stranger's`);
        }
        // the case itself: 404 exactly like a number that does not exist
        const fake = `${a.no.slice(0, 10)}99999`;
        const e1 = expectError(await c.get(`/api/v1/cases/${a.no}`), 404, 'case.not_found');
        const e2 = expectError(await c.get(`/api/v1/cases/${fake}`), 404, 'case.not_found');
        assert.equal(e1.message.replace(a.no, '#'), e2.message.replace(fake, '#'), `${u}: the 404 differs from a missing case's`);
      }
    }
  });

  it('the portal: a wrong query code is a 404 like a missing case; the petitioner\'s own view names no unit (seed 004 art. 9(1)3)', async () => {
    for (const a of [A.ACC1, A.ACC2]) {
      const wrong = await ctx.publicQuery(a.no, 'ZZZZZZZZ');
      const missing = await ctx.publicQuery(`${a.no.slice(0, 10)}99999`, 'ZZZZZZZZ');
      expectError(wrong, 404, 'case.not_found');
      expectError(missing, 404, 'case.not_found');
      assert.deepEqual(wrong.body, missing.body, 'the portal tells an existing number from a missing one');
      const missingNo = `${a.no.slice(0, 10)}99999`;
      for (const path of [(n) => `/api/public/v1/cases/${n}/attachments`, (n) => `/api/public/v1/cases/${n}/attachments/${a.attachment}`]) {
        const w = await http(ctx.base, 'GET', path(a.no), { headers: { 'X-Query-Code': 'ZZZZZZZZ' } });
        const m = await http(ctx.base, 'GET', path(missingNo), { headers: { 'X-Query-Code': 'ZZZZZZZZ' } });
        expectError(w, 404, 'case.not_found');
        assert.deepEqual(w.body, m.body, `${path(a.no)}: a wrong code answers unlike a missing case`);
      }
      const view = await ctx.publicView(a.no, a.code);
      const names = Object.values(U).map((u) => u.name);
      assertNoTrace(JSON.stringify(view), names, `public view of ${a.no}`);
      assert.equal(view.reply ?? null, null);
    }
  });
});

describe('merges must not carry an accusation to the accused unit (R22 art. 30)', () => {
  // Either refused with 422 flow.accused_unit, or done without leaving the
  // accused unit any trace (through the other case's relations, events or state).
  async function refusedOrTraceless(r, accusedUsers, otherNo, a, snapWho, snap) {
    if (r.status === 200) {
      for (const u of accusedUsers) {
        const c = await ctx.login(u);
        for (const path of [`/api/v1/cases/${otherNo}`, `/api/v1/cases/${otherNo}/events`, '/api/v1/cases?limit=200']) {
          assertNoTrace(await c.get(path), [a.no, ...traces(a.p)], `${path} as ${u} after the merge`);
        }
      }
      return;
    }
    expectError(r, 422, 'flow.accused_unit');
    await assertUnchanged(snapWho, a.no, snap);
  }

  it('an accusation against dl-cgj merged into a case dl-cgj works on as co-unit', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const r = await reg.registered(accusation(P3, '秘告丙三', { accused_unit: U['dl-cgj'].id }));
    const a = { no: r.no, p: P3 };
    const disp = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(disp, a.no);
    const m = await disp.act(a.no, 'merge', { into: K.B.no, reason: '同一事项，并案办理' }, { ifMatch: snap.version });
    await refusedOrTraceless(m, ACCUSED1, K.B.no, a, disp, snap);
  });

  it('a case dl-cgj once handled (and returned) merged into the accusation against dl-cgj', async () => {
    const disp = await ctx.login('dl-xfj.dispatcher');
    // dl-cgj still sees the case it returned
    assert.equal((await (await ctx.login('dl-cgj.handler')).getCase(K.C3.no)).no, K.C3.no);
    const snap = await snapshot(disp, K.C3.no);
    const m = await disp.act(K.C3.no, 'merge', { into: A.ACC1.no, reason: '同一事项，并案办理' }, { ifMatch: snap.version });
    if (m.status === 200) {
      for (const u of ACCUSED1) {
        const c = await ctx.login(u);
        for (const path of [`/api/v1/cases/${K.C3.no}`, `/api/v1/cases/${K.C3.no}/events`, '/api/v1/cases?limit=200']) {
          assertNoTrace(await c.get(path), A.ACC1.markers, `${path} as ${u} after the merge`);
        }
      }
    } else {
      expectError(m, 422, 'flow.accused_unit');
      await assertUnchanged(disp, K.C3.no, snap);
    }
  });
});

describe('a repeat petition linked to the accusation must not lead the accused unit to it (R22 art. 30)', () => {
  it('a claim registered as a repeat of the accusation against dl-cgj and sent to dl-cgj: refused, or no trace of the accusation', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const r = await reg.register(caseBody({ title: '要求赔偿执法中损坏的物品（重复件）', repeat_of: A.ACC1.no,
      petitioners: [{ ...P1 }] }));
    if (r.status !== 201) {
      // refusing the link at registration is one way to keep the secret
      expectError(r, 422, 'flow.accused_unit');
      return;
    }
    const no = r.body.case.no;
    const disp = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    const t = await disp.act(no, 'transfer', { lead_unit: U['dl-cgj'].id }, { ifMatch: snap.version });
    if (t.status !== 200) {
      expectError(t, 422, 'flow.accused_unit');
      await assertUnchanged(disp, no, snap);
      return;
    }
    for (const u of ACCUSED1) {
      const c = await ctx.login(u);
      for (const path of [`/api/v1/cases/${no}`, `/api/v1/cases/${no}/events`]) {
        assertNoTrace(await c.get(path), [A.ACC1.no, A.ACC1.token], `${path} as ${u}`);
      }
    }
  });
});

describe('naming the accusation in a form is no oracle for the accused unit (R22 art. 30)', () => {
  it('decline with repeat_of = the accusation answers dl-cgj exactly as for a number that does not exist', async () => {
    const missing = `${A.ACC1.no.slice(0, 10)}99999`;
    for (const u of ['dl-cgj.handler', 'dl-cgj.unit_head']) {
      const c = await ctx.login(u);
      for (const target of [K.B.no, K.C3.no]) {
        const snap = await snapshot(c, target);
        const acc = await c.act(target, 'decline', { reason: '重复信访', repeat_of: A.ACC1.no }, { ifMatch: snap.version });
        const none = await c.act(target, 'decline', { reason: '重复信访', repeat_of: missing }, { ifMatch: snap.version });
        assert.equal(acc.status, none.status, `${u} on ${target}: ${acc.text} vs ${none.text}`);
        assert.equal(acc.body?.error?.code, none.body?.error?.code, `${u} on ${target}`);
        assert.notEqual(acc.status, 200);
        await assertUnchanged(c, target, snap);
      }
    }
  });
});

describe('replies and decisions on the accusation stay away from the accused', () => {
  it('ACC1 replied, approved: dl-cgj still finds nothing; the portal shows no result (seed 004 art. 9(1)3)', async () => {
    const h = await ctx.login('dl-zjj.handler');
    await h.acted(A.ACC1.no, 'reply', replyBody({ facts: `经查，${A.ACC1.token}反映属实。`, opinion: '移送纪检监察机关处理。' }));
    await (await ctx.login('dl-xfj.dispatcher')).acted(A.ACC1.no, 'approve');
    for (const u of ACCUSED1) {
      const c = await ctx.login(u);
      for (const path of ['/api/v1/cases?limit=200', '/api/v1/todo', '/api/v1/escalations',
        `/api/v1/cases?q=${encodeURIComponent(A.ACC1.token)}`, `/api/v1/cases?q=${encodeURIComponent('反映属实')}`]) {
        assertNoTrace(await c.get(path), [...A.ACC1.markers, '反映属实'], `${path} as ${u}`);
      }
      expectError(await c.get(`/api/v1/cases/${A.ACC1.no}`), 404, 'case.not_found');
      expectError(await c.get(`/api/v1/cases/${A.ACC1.no}/events`), 404, 'case.not_found');
    }
    const view = await ctx.publicView(A.ACC1.no, A.ACC1.code);
    assert.equal(view.state, 'closed');
    assert.equal(view.reply ?? null, null, 'no result for an accusation');
    assertNoTrace(JSON.stringify(view), ['反映属实', '移送纪检监察机关'], 'public view');
  });
});
