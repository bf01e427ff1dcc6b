// overview.test.mjs - the dashboard (大屏): GET /api/v1/stats/overview.
// Seed 000 art. 24: the complaint supervision office analyses the data and
// shows it live on the big screen of the reception hall. What the screen
// counts is what RULES.md lists as the metrics in use: 件次 and 人次, 初信初访
// and 重复信访率, 及时受理率 and 按期办结率 (R22 art. 23, 34), 满意率 (the
// petitioner's evaluation), overdue and awaiting counts (R22 art. 38-40:
// reminders, supervision, notices), by channel (R22 art. 17), kind (art.
// 29-31), category and locality, day by day.
//
// It counts only the cases in the viewer's scope, exactly as lists do: a
// county bureau does not count another county's cases, and an accusation is
// never counted for the accused unit (R22 art. 30, 46(5); seed 004 art. 7):
// what its head sees is exactly what it saw before the accusation existed.
//
// The story, in March 2026 (no holidays; hlj-complaint limits: triage and
// acceptance 15 days, handling 60):
//   03-02  A  visit/claim 0301 道里区, 3 persons  → dl-cgj, accepted, replied, closed the same day
//          B  letter/proposal 0802 道里区         → dl-zjj, never accepted (acceptance due 03-18)
//   03-04  C  phone/claim 0501 南岗区, repeat of A  stays at dl-xfj (triage due 03-19)
//          D  online/claim 0301 宾县, at bx-xfj    (another county)
//          E  letter/accusation 1101 道里区 against dl-cgj → dl-zjj, accepted
//   03-10  F  visit/claim 0301 道里区              → dl-cgj, accepted, replied, closed; A rated 满意, F 不满意
//   03-25  G  fax/claim 0501 道里区 (today)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, epoch, caseBody, expectError, expectStatus, replyBody } from './helpers.mjs';

const at = (local) => epoch(`${local}:00+08:00`);
const MARCH = '/api/v1/stats/overview?from=2026-03-01&to=2026-03-31';
let ctx;
let U;
const K = {};

const other = (i) => ({
  content: ['小区门前道路坑洼多年无人修补，雨天积水严重，出行十分不便。',
    '楼下烧烤店油烟直排，夜间噪声扰民，多次投诉未果。',
    '举报该单位执法人员在检查中多次索要好处费，情节恶劣。',
    '宾县某企业拖欠社保费两年，职工无法办理退休。'][i],
});

async function overview(user, path = MARCH) {
  return expectStatus(await (await ctx.login(user)).get(path));
}

/** {code: count} of a by_* list. */
const counts = (list) => Object.fromEntries(list.map((x) => [x.code, x.count]));

before(async () => {
  ctx = await setup({ now: at('2026-03-02T10:00') });
  U = await ctx.units();
  const reg = await ctx.login('dl-xfj.registrar');
  const disp = await ctx.login('dl-xfj.dispatcher');
  const close = async (no) => {
    await disp.acted(no, 'transfer', { lead_unit: U['dl-cgj'].id });
    const h = await ctx.login('dl-cgj.handler');
    await h.acted(no, 'accept');
    await h.acted(no, 'reply', replyBody({ outcome: 'explain' }));
    await disp.acted(no, 'approve');
  };
  // 03-02
  K.A = await reg.registered({ channel: 'visit', category: '0301', people_count: 3 });
  await close(K.A.no);
  K.B = await reg.registered({ channel: 'letter', kind: 'proposal', purpose: 'suggest', category: '0802',
    title: '建议修补小区门前道路', ...other(0) });
  await disp.acted(K.B.no, 'transfer', { lead_unit: U['dl-zjj'].id });
});
after(async () => { await ctx?.close(); });

describe('the dashboard counts what happened in the period, in scope (seed 000 art. 24)', () => {
  let before03;
  it('03-04: the accused unit\'s head sees exactly the same before and after an accusation against it (R22 art. 30)', async () => {
    await ctx.restart({ now: at('2026-03-04T09:00') });
    before03 = await overview('dl-cgj.unit_head');
    const reg = await ctx.login('dl-xfj.registrar');
    K.C = await reg.registered({ channel: 'phone', category: '0501', locality: '230103', repeat_of: K.A.no,
      title: '烧烤店油烟噪声扰民', ...other(1) });
    K.D = await (await ctx.login('bx-xfj.registrar')).registered({ channel: 'online', category: '0301',
      locality: '230125', title: '企业拖欠社保费', ...other(3) });
    K.E = await reg.registered({ channel: 'letter', kind: 'accusation', purpose: 'accuse', category: '1101',
      title: '举报执法人员索要好处费', accused_unit: U['dl-cgj'].id, accused_name: '李某', ...other(2) });
    await (await ctx.login('dl-xfj.dispatcher')).acted(K.E.no, 'transfer', { lead_unit: U['dl-zjj'].id });
    await (await ctx.login('dl-zjj.handler')).acted(K.E.no, 'accept');
    assert.deepEqual(await overview('dl-cgj.unit_head'), before03, 'dl-cgj\'s dashboard changed when the accusation against it appeared');
    // positive control: the unit that handles it counts it
    const zjj = await overview('dl-zjj.unit_head');
    assert.equal(counts(zjj.by_kind).accusation, 1);
  });

  it('03-10 and 03-25: more cases, a closure, two evaluations; then today', async () => {
    await ctx.restart({ now: at('2026-03-10T09:00') });
    const reg = await ctx.login('dl-xfj.registrar');
    const disp = await ctx.login('dl-xfj.dispatcher');
    K.F = await reg.registered({ channel: 'visit', category: '0301' });
    await disp.acted(K.F.no, 'transfer', { lead_unit: U['dl-cgj'].id });
    const h = await ctx.login('dl-cgj.handler');
    await h.acted(K.F.no, 'accept');
    await h.acted(K.F.no, 'reply', replyBody({ outcome: 'explain' }));
    await disp.acted(K.F.no, 'approve');
    for (const [k, satisfaction] of [['A', 'satisfied'], ['F', 'unsatisfied']]) {
      const r = await ctx.publicAct(K[k].no, 'rate', K[k].code, { satisfaction });
      assert.equal(r.status, 200, r.text);
    }
    // later: B's acceptance (due 03-18) and C's triage (due 03-19) are overdue now
    await ctx.restart({ now: at('2026-03-25T10:00') });
    K.G = await (await ctx.login('dl-xfj.registrar')).registered({ channel: 'fax', category: '0501' });
  });

  it('counts of the county bureau: 件次, 人次, closed, in progress, overdue, 初信初访 and repeats (RULES.md metrics)', async () => {
    const o = await overview('dl-xfj.supervisor');
    assert.equal(o.from, '2026-03-01');
    assert.equal(o.to, '2026-03-31');
    assert.equal(o.generated_at, '2026-03-25T10:00:00+08:00');
    // D is 宾县's: not here
    assert.deepEqual(o.period, { days: 31, registered: 6, persons: 8, closed: 2, in_progress: 4, overdue_now: 2,
      first_time: 5, repeat: 1, repeat_rate: 0.166667 }); // 1 of 6 (rates carry 6 significant digits)
    assert.deepEqual(o.today, { date: '2026-03-25', registered: 1, closed: 0 });
    assert.deepEqual(o.month, { month: '2026-03', registered: 6, closed: 2 });
  });

  it('groupings: every channel and kind (zeros too), top-level categories and cities biggest first, the counties of the biggest city, states', async () => {
    const o = await overview('dl-xfj.supervisor');
    assert.deepEqual(o.by_channel.map((x) => x.code), ['letter', 'visit', 'phone', 'online', 'fax'], 'every channel of R22 art. 17');
    assert.deepEqual(counts(o.by_channel), { letter: 2, visit: 2, phone: 1, online: 0, fax: 1 });
    assert.equal(o.by_channel.find((x) => x.code === 'visit').label, '来访');
    assert.deepEqual(counts(o.by_kind), { proposal: 1, accusation: 1, claim: 4 });
    // two-level categories counted at the top level: 0301 → 03 劳动和社会保障
    assert.deepEqual(o.by_category, [
      { code: '03', label: '劳动和社会保障', count: 2 }, { code: '05', label: '生态环境', count: 2 },
      { code: '08', label: '交通运输', count: 1 }, { code: '11', label: '纪检监察', count: 1 }]);
    // 道里区 and 南岗区 are 哈尔滨市
    assert.deepEqual(o.by_locality, [{ code: '230100', label: '哈尔滨市', count: 6 }]);
    assert.deepEqual(o.county_city, { code: '230100', label: '哈尔滨市' });
    assert.deepEqual(o.by_county, [{ code: '230102', label: '道里区', count: 5 }, { code: '230103', label: '南岗区', count: 1 }]);
    assert.equal(o.by_state.length, 12, 'every state');
    assert.deepEqual(Object.fromEntries(Object.entries(counts(o.by_state)).filter(([, n]) => n)),
      { registered: 2, dispatched: 1, accepted: 1, closed: 2 });
    assert.equal(o.by_state.find((x) => x.code === 'closed').label, '已办结');
  });

  it('daily: every day of the period, zeros included; registered by day registered, closed by day closed', async () => {
    const o = await overview('dl-xfj.supervisor');
    assert.equal(o.daily.length, 31);
    assert.deepEqual(o.daily[0], { date: '2026-03-01', registered: 0, closed: 0 });
    assert.equal(o.daily[30].date, '2026-03-31');
    const busy = Object.fromEntries(o.daily.filter((d) => d.registered || d.closed).map((d) => [d.date, [d.registered, d.closed]]));
    assert.deepEqual(busy, { '2026-03-02': [2, 1], '2026-03-04': [2, 0], '2026-03-10': [1, 1], '2026-03-25': [1, 0] });
    // another period: nothing in it, while today and this month stay as they are
    const q = await overview('dl-xfj.supervisor', '/api/v1/stats/overview?from=2026-03-05&to=2026-03-09');
    assert.deepEqual(q.daily.map((d) => d.date), ['2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09']);
    assert.ok(q.daily.every((d) => d.registered === 0 && d.closed === 0));
    assert.equal(q.period.registered, 0);
    assert.equal(q.period.repeat_rate, null, 'no rate of nothing');
    assert.deepEqual(q.timeliness, { accept_total: 0, accept_on_time: 0, timely_acceptance_rate: null,
      handle_total: 0, handle_on_time: 0, on_time_conclusion_rate: null });
    assert.deepEqual(q.satisfaction, { rated: 0, satisfied: 0, fair: 0, unsatisfied: 0, satisfaction_rate: null });
    // what runs late is what runs late now, whatever the period
    assert.deepEqual([q.overdue_by_unit, q.now], [o.overdue_by_unit, o.now]);
    assert.deepEqual(q.today, { date: '2026-03-25', registered: 1, closed: 0 });
    assert.deepEqual(q.month, { month: '2026-03', registered: 6, closed: 2 });
    // defaults: the first of this month to today
    const d = await overview('dl-xfj.supervisor', '/api/v1/stats/overview');
    assert.equal(d.from, '2026-03-01');
    assert.equal(d.to, '2026-03-25');
    assert.equal(d.daily.length, 25);
    assert.deepEqual({ ...d.period, days: 31 }, o.period);
  });

  it('rates: 及时受理率 and 按期办结率 as /stats/timeliness counts them, summed over the units in scope; 满意率 from the evaluations', async () => {
    const o = await overview('dl-xfj.supervisor');
    // acceptance: A, E, F on time at once; B due 03-18 and still not accepted (late)
    // handling: A and F concluded on time; E runs until May
    assert.deepEqual(o.timeliness, { accept_total: 4, accept_on_time: 3, timely_acceptance_rate: 0.75,
      handle_total: 2, handle_on_time: 2, on_time_conclusion_rate: 1 });
    const t = expectStatus(await (await ctx.login('dl-xfj.supervisor')).get('/api/v1/stats/timeliness?from=2026-03-01&to=2026-03-31'));
    const sum = (k) => t.units.reduce((s, u) => s + u[k], 0);
    for (const k of ['accept_total', 'accept_on_time', 'handle_total', 'handle_on_time']) assert.equal(o.timeliness[k], sum(k), k);
    // 满意 and 基本满意 count as satisfied
    assert.deepEqual(o.satisfaction, { rated: 2, satisfied: 1, fair: 0, unsatisfied: 1, satisfaction_rate: 0.5 });
  });

  it('units running late now, worst first (R22 art. 38-40: 催办, 督办, 通报)', async () => {
    const o = await overview('dl-xfj.supervisor');
    // C's triage at dl-xfj (due 03-19), B's acceptance at dl-zjj (due 03-18); ties in the unit tree's order
    assert.deepEqual(o.overdue_by_unit, [
      { unit: { id: U['dl-xfj'].id, code: 'dl-xfj', name: '道里区信访局' }, overdue_now: 1, warning_now: 0 },
      { unit: { id: U['dl-zjj'].id, code: 'dl-zjj', name: '道里区住房和城乡建设局' }, overdue_now: 1, warning_now: 0 }]);
    // all of them, whichever unit: now
    assert.deepEqual(o.now, { overdue: 2, warning: 0 });
    // the same clocks as /stats/timeliness counts
    const t = expectStatus(await (await ctx.login('dl-xfj.supervisor')).get('/api/v1/stats/timeliness?from=2026-03-01&to=2026-03-31'));
    for (const u of o.overdue_by_unit) {
      const row = t.units.find((x) => x.unit_id === u.unit.id);
      assert.equal(row.overdue_now, u.overdue_now, u.unit.code);
      assert.equal(row.warning_now, u.warning_now, u.unit.code);
    }
  });
});

describe('scope: each viewer counts only the cases it may see (R22 art. 30; docs/API.md "Scope")', () => {
  it('another county bureau counts its own case only; the city counts both counties', async () => {
    const bx = await overview('bx-xfj.supervisor');
    assert.equal(bx.period.registered, 1);
    assert.deepEqual(counts(bx.by_channel), { letter: 0, visit: 0, phone: 0, online: 1, fax: 0 });
    assert.deepEqual(bx.by_locality, [{ code: '230100', label: '哈尔滨市', count: 1 }]);
    assert.deepEqual(bx.by_county, [{ code: '230125', label: '宾县', count: 1 }]);
    // D waits for triage at bx-xfj since 03-04 (due 03-19)
    assert.deepEqual(bx.overdue_by_unit, [{ unit: { id: U['bx-xfj'].id, code: 'bx-xfj', name: '宾县信访局' }, overdue_now: 1, warning_now: 0 }]);
    assert.deepEqual(bx.now, { overdue: 1, warning: 0 });
    const city = await overview('hrb-xfj.leader');
    assert.equal(city.period.registered, 7);
    assert.equal(city.period.persons, 9);
    assert.deepEqual(counts(city.by_county), { 230102: 5, 230103: 1, 230125: 1 });
    // the counties of another city, when asked
    const qq = await overview('hrb-xfj.analyst', `${MARCH}&city=230200`);
    assert.deepEqual(qq.county_city, { code: '230200', label: '齐齐哈尔市' });
    assert.deepEqual(qq.by_county, []);
    const other = await overview('qqhr-xfj.supervisor');
    assert.equal(other.period.registered, 0);
    assert.deepEqual(other.by_locality, []);
    assert.equal(other.county_city, null);
  });

  it('the accused unit\'s head does not count the accusation against it; the units that may see it do', async () => {
    const head = await overview('dl-cgj.unit_head');
    // dl-cgj led A and F, nothing else
    assert.equal(head.period.registered, 2);
    assert.equal(counts(head.by_kind).accusation, 0);
    assert.equal(counts(head.by_category)['11'], undefined);
    assert.deepEqual(head.daily.filter((d) => d.registered).map((d) => d.date), ['2026-03-02', '2026-03-10']);
    const zjj = await overview('dl-zjj.unit_head');
    assert.equal(zjj.period.registered, 2); // B and E
    assert.equal(counts(zjj.by_kind).accusation, 1);
    assert.deepEqual(zjj.overdue_by_unit.map((x) => x.unit.code), ['dl-zjj'], 'a handling unit reports on itself only');
    assert.equal(counts((await overview('dl-xfj.dispatcher')).by_kind).accusation, 1);
  });
});

describe('refusals', () => {
  it('roles: only dispatchers, supervisors, leaders, analysts and unit heads (as /stats/hot); 403 auth.role_denied', async () => {
    for (const u of ['dl-xfj.registrar', 'dl-xfj.handler', 'dl-xfj.reviewer', 'dl-cgj.handler', 'hrb-xfj.pii_reader',
      'hlj-xfj.complaint_supervisor', 'hlj-xfj.sysadmin', 'hlj-xfj.secadmin', 'hlj-xfj.auditor']) {
      expectError(await (await ctx.login(u)).get(MARCH), 403, 'auth.role_denied');
    }
    for (const u of ['dl-xfj.dispatcher', 'dl-xfj.supervisor', 'hrb-xfj.leader', 'hrb-xfj.analyst', 'dl-xfj.unit_head']) {
      expectStatus(await (await ctx.login(u)).get(MARCH));
    }
  });

  it('dates: YYYY-MM-DD, from ≤ to, at most 366 days; city a city code; 400 validation.invalid with the field', async () => {
    const c = await ctx.login('dl-xfj.supervisor');
    const bad = async (q, field) => expectError(await c.get(`/api/v1/stats/overview?${q}`), 400, 'validation.invalid', field);
    await bad('from=2026-13-01', 'from');
    await bad('from=2026-02-30', 'from');
    await bad('from=2026-3-1', 'from');
    await bad('from=2026-03-01T00:00', 'from');
    await bad('to=March', 'to');
    await bad('to=2026-03-01x', 'to');
    await bad('from=2026-03-10&to=2026-03-09', 'to');
    await bad('from=2025-01-01&to=2026-01-02', 'to'); // 367 days
    await bad('city=999999', 'city');
    await bad('city=230102', 'city'); // a district, not a city
    // 366 days (a leap year) is the longest period; one day the shortest
    const leap = expectStatus(await c.get('/api/v1/stats/overview?from=2024-01-01&to=2024-12-31'));
    assert.equal(leap.daily.length, 366);
    const one = expectStatus(await c.get('/api/v1/stats/overview?from=2026-03-02&to=2026-03-02'));
    assert.deepEqual(one.daily, [{ date: '2026-03-02', registered: 2, closed: 1 }]);
  });
});
