// clocks.test.mjs - time limits as configured clocks on the case (R22 art.
// 22-36; seed 000 art. 5(4), 13, 14-15), counted as Chinese law counts
// them (民法典 art. 201-203: start day not counted, a last day off work
// moves to the next working day, a period ends at 24:00; working days skip
// weekends and statutory holidays but include make-up days 调休), the
// scanner's 催办 / 督办, the calendar and policy administration and the
// timeliness statistics (国信发〔2014〕16号: 及时受理率, 按期办结率).
//
// Each describe block runs its own demo database and server on a fixed
// clock (XINFANG_NOW); time moves by restarting the server later.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, epoch, http, expectError, expectStatus, snapshot, assertUnchanged, runCli,
  newCase, transfer, toAccepted, toClosed, replyBody, decisionBody,
} from './helpers.mjs';

/** Epoch seconds of a Beijing local time "YYYY-MM-DDTHH:MM[:SS]". */
const at = (local) => epoch(`${local}${local.length === 16 ? ':00' : ''}+08:00`);
/** The ISO text the server prints for a Beijing local time. */
const iso = (local) => `${local}${local.length === 16 ? ':00' : ''}+08:00`;
/** 24:00 of a last day, as the server prints a due time (the next day, 00:00). */
const endOf = (day) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return iso(`${d.toISOString().slice(0, 10)}T00:00`);
};
const HOUR = 3600;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The clock `name` of a case JSON (asserting it exists). */
function clock(c, name) {
  assert.ok(Array.isArray(c.clocks), `case ${c.no} has no clocks array`);
  // a clock may have run more than once (returned and re-transferred): the latest run is last
  const k = c.clocks.filter((x) => x.name === name).at(-1);
  assert.ok(k, `case ${c.no} has no ${name} clock: ${JSON.stringify(c.clocks.map((x) => x.name))}`);
  return k;
}

/** Assert the fields of a clock; `want` lists only what matters. */
function expectClock(c, name, want) {
  const k = clock(c, name);
  for (const [key, v] of Object.entries(want)) {
    if (key === 'unit') assert.equal(k.unit?.id, v, `${name}.unit of ${c.no}: ${JSON.stringify(k)}`);
    else if (key === 'rule') assert.ok(k.rule.includes(v), `${name}.rule of ${c.no} cites ${v}: ${k.rule}`);
    else assert.deepEqual(k[key], v, `${name}.${key} of ${c.no}: ${JSON.stringify(k)}`);
  }
  return k;
}

/** Poll `fn` until it returns a truthy value (the server scans in the background at start). */
async function until(fn, what, ms = 8000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------

describe('every time limit is a configured clock on the case, counted over the 2026 National Day holiday', () => {
  let ctx; const U = {};
  let W; let E; let c1; let c2; let c3; let c4; let c5;

  before(async () => {
    ctx = await setup({ now: at('2026-09-01T10:00') }); // a Tuesday
    for (const u of ['hlj-xfj', 'hrb-xfj', 'hrb-tjj', 'dl-xfj', 'dl-cgj']) U[u] = await ctx.unitId(u);
  });
  after(async () => { await ctx?.close(); });

  it('approving a supported reply starts review_request (30 days, R22 art. 35) and implement (30 days, seed 000 art. 5(4)); both end after the holiday', async () => {
    W = await newCase(ctx);
    const c = await toClosed(ctx, W.no);
    // 09-01 + 30 days = 10-01, a day off (10-01..10-07): the last day moves to 10-08
    expectClock(c, 'review_request', {
      state: 'running', limit: '30 days', start: iso('2026-09-01T10:00'), due: endOf('2026-10-08'),
      escalate: false, unit: U['dl-xfj'], rule: '第三十五条',
    });
    expectClock(c, 'implement', {
      state: 'running', limit: '30 days', due: endOf('2026-10-08'), escalate: true,
      unit: U['dl-cgj'], policy: 'jiujiang-cgj', rule: '第五条',
    });
    expectClock(c, 'handle', { state: 'stopped', on_time: true, stopped: iso('2026-09-01T10:00'), limit: '60 days' });
    assert.equal(c.due_at, endOf('2026-10-08'), 'due_at: the implement clock (review_request does not escalate)');
    for (const k of c.clocks) {
      for (const f of ['name', 'label', 'rule', 'state', 'start', 'due', 'limit', 'policy']) {
        assert.equal(typeof k[f], 'string', `clock ${k.name}.${f}`);
      }
      assert.match(k.label, /[\u4e00-\u9fff]/);
      assert.equal(typeof k.remaining_seconds, 'number');
      assert.equal(typeof k.escalate, 'boolean');
      assert.ok(k.unit && Number.isInteger(k.unit.id) && typeof k.unit.name === 'string', JSON.stringify(k));
    }
  });

  it('the handling unit\'s implement action stops the implement clock; an explained reply has none (seed 000 art. 5(4))', async () => {
    const h = await ctx.login('dl-cgj.handler');
    const c = await h.acted(W.no, 'implement', { facts: '公司已于9月1日结清全部工资。' });
    expectClock(c, 'implement', { state: 'stopped', on_time: true, stopped: iso('2026-09-01T10:00') });
    assert.equal(c.due_at, null, 'nothing escalating runs any more');
    const snap = await snapshot(h, W.no);
    expectError(await h.act(W.no, 'implement', { facts: '再次落实' }), 409, 'flow.already_implemented');
    await assertUnchanged(h, W.no, snap);

    E = await newCase(ctx);
    await toAccepted(ctx, E.no);
    await h.acted(E.no, 'reply', replyBody({ outcome: 'explain' }));
    const e = await (await ctx.login('dl-xfj.dispatcher')).acted(E.no, 'approve');
    assert.ok(!e.clocks.some((k) => k.name === 'implement'), 'no implement clock for an explained reply');
    clock(e, 'review_request');
    expectError(await h.act(E.no, 'implement', { facts: '无' }), 409, 'flow.not_supported');
  });

  it('registration starts triage: 15 days (R22 art. 22); 09-28 + 15 = 10-13, ends 2026-10-14T00:00+08:00', async () => {
    await ctx.restart({ now: at('2026-09-28T10:00') }); // a Monday
    c1 = await newCase(ctx);
    const c = c1.case;
    const k = expectClock(c, 'triage', {
      state: 'running', limit: '15 days', start: iso('2026-09-28T10:00'), due: iso('2026-10-14T00:00'),
      escalate: true, unit: U['dl-xfj'], policy: 'hlj-complaint', rule: '第二十二条',
    });
    assert.equal(k.remaining_seconds, at('2026-10-14T00:00') - at('2026-09-28T10:00'));
    assert.equal(c.due_at, iso('2026-10-14T00:00'));
    // the same from GET, and plainly on the portal (R22 art. 21)
    const again = await (await ctx.login('dl-xfj.dispatcher')).getCase(c1.no);
    assert.deepEqual(again.clocks, c.clocks);
    const view = await ctx.publicView(c1.no, c1.code);
    assert.deepEqual(view.deadlines, [{ name: 'triage', label: k.label, due: k.due, state: 'running' }]);
    c5 = await newCase(ctx);
  });

  it('an urgent (or threat) complaint in the hlj-complaint subtree: triage within 2 hours (seed 000 art. 13)', async () => {
    c2 = await newCase(ctx, { flags: ['urgent'] });
    expectClock(c2.case, 'triage', {
      state: 'running', limit: '2 hours', due: iso('2026-09-28T12:00'), policy: 'hlj-complaint', remaining_seconds: 2 * HOUR,
    });
    assert.equal(c2.case.due_at, iso('2026-09-28T12:00'));
    const threat = await newCase(ctx, { flags: ['threat'] });
    expectClock(threat.case, 'triage', { limit: '2 hours', due: iso('2026-09-28T12:00') });
    // at the province and the city too (the policy covers hlj-xfj's subtree)
    const prov = await (await ctx.login('hlj-xfj.registrar')).registered({ flags: ['urgent'], locality: '230000' });
    expectClock(prov.case, 'triage', { limit: '2 hours', unit: U['hlj-xfj'] });
    c3 = await newCase(ctx, { locality: '230100' }, 'hrb-xfj.registrar');
    c4 = await newCase(ctx, { locality: '230100', flags: ['urgent'] }, 'hrb-xfj.registrar');
    expectClock(c3.case, 'triage', { limit: '15 days', due: iso('2026-10-14T00:00'), unit: U['hrb-xfj'] });
    expectClock(c4.case, 'triage', { limit: '2 hours', unit: U['hrb-xfj'] });
  });

  it('the to-do list is sorted by due_at, the urgent complaint first (R22 art. 22, 25)', async () => {
    const r = await (await ctx.login('dl-xfj.dispatcher')).todo();
    const items = expectStatus(r).items;
    const nos = items.map((i) => i.no);
    for (const no of [c1.no, c2.no, c5.no]) assert.ok(nos.includes(no), `${no} in the to-do`);
    assert.ok(nos.indexOf(c2.no) < nos.indexOf(c1.no), 'the 2-hour case before the 15-day case');
    for (let i = 1; i < items.length; i++) {
      assert.ok(items[i - 1].due_at !== null || items[i].due_at === null, 'cases without a due time last');
      if (items[i].due_at !== null) {
        assert.ok(Date.parse(items[i - 1].due_at) <= Date.parse(items[i].due_at),
          `to-do not sorted by due_at: ${items[i - 1].due_at} > ${items[i].due_at}`);
      }
    }
    assert.equal(items.find((i) => i.no === c2.no).due_at, iso('2026-09-28T12:00'));
    assert.equal(items.find((i) => i.no === c1.no).due_at, iso('2026-10-14T00:00'));
  });

  it('transfer stops triage and starts accept (15 days) and objection (5 workdays, counting the make-up day 10-10) (R22 art. 23)', async () => {
    await ctx.restart({ now: at('2026-09-30T10:00') }); // Wednesday before the holiday
    const c = await transfer(ctx, c1.no, 'dl-cgj');
    expectClock(c, 'triage', { state: 'stopped', on_time: true, stopped: iso('2026-09-30T10:00') });
    // 09-30 + 15 days = 10-15, a Thursday
    expectClock(c, 'accept', {
      state: 'running', limit: '15 days', start: iso('2026-09-30T10:00'), due: endOf('2026-10-15'),
      escalate: true, unit: U['dl-cgj'], policy: 'jiujiang-cgj', rule: '第二十三条',
    });
    // working days after 09-30: 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13
    expectClock(c, 'objection', {
      state: 'running', limit: '5 workdays', due: endOf('2026-10-13'), escalate: false, unit: U['dl-cgj'],
    });
    assert.equal(c.due_at, endOf('2026-10-15'), 'due_at: the nearest escalating clock (accept)');
    const h = await ctx.login('dl-cgj.handler');
    const due = expectStatus(await h.get('/api/v1/calendar/due?start=2026-09-30T10:00&amount=5&unit=workdays'));
    assert.equal(due.last_day, '2026-10-13');
    assert.equal(due.deadline, clock(c, 'objection').due);
    // the petitioner sees the acceptance notice's limit, not the unit's objection window (R22 art. 23)
    const view = await ctx.publicView(c1.no, c1.code);
    assert.deepEqual(view.deadlines.map((d) => d.name), ['accept']);
  });

  it('the urgent triage clock is overdue two days later: state "overdue", negative remaining time', async () => {
    const c = await (await ctx.login('dl-xfj.dispatcher')).getCase(c2.no);
    expectClock(c, 'triage', { state: 'overdue', remaining_seconds: at('2026-09-28T12:00') - at('2026-09-30T10:00') });
    assert.equal(c.due_at, iso('2026-09-28T12:00'), 'an overdue clock still sets due_at');
    const view = await ctx.publicView(c2.no, c2.code);
    assert.equal(view.deadlines.find((d) => d.name === 'triage').state, 'overdue');
  });

  it('binhai-stats at hrb-tjj: objection 3 days (moved past the holiday), handle 15 days, 7 days if urgent', async () => {
    const a = await transfer(ctx, c3.no, 'hrb-tjj', [], 'hrb-xfj.dispatcher');
    // 09-30 + 3 days = 10-03, off; the next working day is 10-08
    expectClock(a, 'objection', { limit: '3 days', due: endOf('2026-10-08'), policy: 'binhai-stats', unit: U['hrb-tjj'] });
    expectClock(a, 'accept', { limit: '15 days', due: endOf('2026-10-15') });
    const h = await ctx.login('hrb-tjj.handler');
    const b = await h.acted(c3.no, 'accept');
    expectClock(b, 'handle', { state: 'running', limit: '15 days', due: endOf('2026-10-15'), policy: 'binhai-stats', unit: U['hrb-tjj'] });
    await transfer(ctx, c4.no, 'hrb-tjj', [], 'hrb-xfj.dispatcher');
    const u = await h.acted(c4.no, 'accept');
    // 09-30 + 7 days = 10-07, off; moves to 10-08
    expectClock(u, 'handle', { limit: '7 days', due: endOf('2026-10-08'), policy: 'binhai-stats' });
  });

  it('self_handle starts handle at the petition bureau; an assignment\'s own deadline (交办, R22 art. 22) sets handle, ending on the make-up Saturday 10-10', async () => {
    const d = await ctx.login('dl-xfj.dispatcher');
    const s = await newCase(ctx);
    const c = await d.acted(s.no, 'self_handle');
    expectClock(c, 'triage', { state: 'stopped', on_time: true });
    expectClock(c, 'handle', { state: 'running', limit: '60 days', due: endOf('2026-11-30'), unit: U['dl-xfj'], policy: 'hlj-complaint' });
    const a = await newCase(ctx);
    const t = await d.acted(a.no, 'assign', { lead_unit: U['dl-cgj'], due_days: 10 });
    expectClock(t, 'accept', { state: 'running', limit: '15 days', due: endOf('2026-10-15') });
    expectClock(t, 'objection', { state: 'running', limit: '5 workdays', due: endOf('2026-10-13') });
    const h = await (await ctx.login('dl-cgj.handler')).acted(a.no, 'accept');
    // 09-30 + 10 days = 10-10, a make-up working day: the period ends on it
    expectClock(h, 'handle', { state: 'running', limit: '10 days', due: endOf('2026-10-10'), unit: U['dl-cgj'] });
  });

  it('accept starts handle: 60 days (R22 art. 34); the last day, Sunday 11-29, moves to Monday 11-30; an approved extension adds its days', async () => {
    const h = await ctx.login('dl-cgj.handler');
    const c = await h.acted(c1.no, 'accept');
    expectClock(c, 'accept', { state: 'stopped', on_time: true });
    expectClock(c, 'objection', { state: 'stopped' });
    expectClock(c, 'handle', {
      state: 'running', limit: '60 days', start: iso('2026-09-30T10:00'), due: endOf('2026-11-30'),
      unit: U['dl-cgj'], policy: 'jiujiang-cgj', rule: '第三十四条',
    });
    assert.equal(c.due_at, endOf('2026-11-30'));
    await h.acted(c1.no, 'request_extension', { days: 10, reason: '需调取工资台账' });
    expectClock(await h.getCase(c1.no), 'handle', { limit: '60 days', due: endOf('2026-11-30') });
    const e = await (await ctx.login('dl-cgj.unit_head')).acted(c1.no, 'approve_extension');
    // 09-30 + 70 days = 12-09, a Wednesday
    expectClock(e, 'handle', { state: 'running', limit: '70 days', due: endOf('2026-12-09') });
    assert.equal(e.due_at, endOf('2026-12-09'));
  });

  it('review_request at approve, review at request_review, recheck_request at decide_review, recheck at request_recheck (R22 art. 35)', async () => {
    const h = await ctx.login('dl-cgj.handler');
    await h.acted(c1.no, 'reply', replyBody());
    let c = await (await ctx.login('dl-xfj.dispatcher')).acted(c1.no, 'approve');
    // 09-30 + 30 days = 10-30, a Friday
    expectClock(c, 'handle', { state: 'stopped', on_time: true, limit: '70 days' });
    expectClock(c, 'review_request', { state: 'running', limit: '30 days', due: endOf('2026-10-30') });
    expectClock(c, 'implement', { state: 'running', due: endOf('2026-10-30'), unit: U['dl-cgj'] });
    expectStatus(await ctx.publicAct(c1.no, 'request_review', c1.code));
    const rev = await ctx.login('hrb-xfj.reviewer');
    c = await rev.getCase(c1.no);
    expectClock(c, 'review_request', { state: 'stopped', on_time: true });
    expectClock(c, 'review', {
      state: 'running', limit: '30 days', due: endOf('2026-10-30'), escalate: true, unit: U['hrb-xfj'], rule: '第三十五条',
    });
    c = await rev.acted(c1.no, 'decide_review', decisionBody());
    expectClock(c, 'review', { state: 'stopped', on_time: true });
    expectClock(c, 'recheck_request', { state: 'running', limit: '30 days', due: endOf('2026-10-30'), escalate: false });
    expectStatus(await ctx.publicAct(c1.no, 'request_recheck', c1.code));
    const rc = await ctx.login('hlj-xfj.reviewer');
    c = await rc.getCase(c1.no);
    expectClock(c, 'recheck_request', { state: 'stopped', on_time: true });
    expectClock(c, 'recheck', { state: 'running', limit: '30 days', due: endOf('2026-10-30'), unit: U['hlj-xfj'] });
    c = await rc.acted(c1.no, 'decide_recheck', decisionBody());
    assert.equal(c.state, 'concluded');
    expectClock(c, 'recheck', { state: 'stopped', on_time: true });
  });

  it('a supported decision still has to be implemented after the case concludes: implement stays open (seed 000 art. 5(4))', async () => {
    const c = await (await ctx.login('dl-cgj.handler')).getCase(c1.no);
    assert.equal(c.state, 'concluded');
    expectClock(c, 'implement', { state: 'running', due: endOf('2026-10-30'), unit: U['dl-cgj'] });
    const h = await ctx.login('dl-cgj.handler');
    const d = expectStatus(await h.act(c1.no, 'implement', { facts: '已落实' }));
    expectClock(d, 'implement', { state: 'stopped', on_time: true, stopped: iso('2026-09-30T10:00') });
    assert.equal(d.state, 'concluded');
  });

  it('as time passes a clock shows "warning" (at 80 %) and then "overdue" (24:00 of the last day)', async () => {
    // c5: triage from 09-28 10:00 to 10-14 00:00; 80 % of it has passed on 10-10 at 21:12
    await ctx.restart({ now: at('2026-10-10T21:11') });
    const d = await ctx.login('dl-xfj.dispatcher');
    expectClock(await d.getCase(c5.no), 'triage', { state: 'running' });
    await ctx.restart({ now: at('2026-10-11T10:00') });
    let c = await (await ctx.login('dl-xfj.dispatcher')).getCase(c5.no);
    expectClock(c, 'triage', { state: 'warning', remaining_seconds: at('2026-10-14T00:00') - at('2026-10-11T10:00') });
    assert.equal((await ctx.publicView(c5.no, c5.code)).deadlines[0].state, 'warning');
    await ctx.restart({ now: at('2026-10-13T23:59:59') });
    c = await (await ctx.login('dl-xfj.dispatcher')).getCase(c5.no);
    expectClock(c, 'triage', { state: 'warning', remaining_seconds: 1 });
    await ctx.restart({ now: at('2026-10-14T08:00') });
    c = await (await ctx.login('dl-xfj.dispatcher')).getCase(c5.no);
    expectClock(c, 'triage', { state: 'overdue', remaining_seconds: -8 * HOUR });
    const todo = expectStatus(await (await ctx.login('dl-xfj.dispatcher')).todo()).items;
    const item = todo.find((i) => i.no === c5.no);
    assert.equal(item.due_at, iso('2026-10-14T00:00'));
    // the to-do list names the clock and how late it is, for the deadline colours
    assert.equal(item.due_clock, 'triage');
    assert.equal(item.due_clock_label, '甄别分办');
    assert.equal(item.due_state, 'overdue');
    assert.equal(item.remaining_seconds, -8 * HOUR);
  });
});

// ---------------------------------------------------------------------------

describe('time not counted: waiting for material and hearings pause the clock (R22 art. 36)', () => {
  let ctx; let P; let Q; let handleDue; let reviewDue; let remaining;

  before(async () => {
    ctx = await setup({ now: at('2026-10-08T10:00') }); // a Thursday, first day back after the holiday
    P = await newCase(ctx);
    const a = await toAccepted(ctx, P.no);
    handleDue = clock(a, 'handle').due;
    Q = await newCase(ctx);
    await toClosed(ctx, Q.no);
    expectStatus(await ctx.publicAct(Q.no, 'request_review', Q.code));
    reviewDue = clock(await (await ctx.login('hrb-xfj.reviewer')).getCase(Q.no), 'review').due;
  });
  after(async () => { await ctx?.close(); });

  it('the clocks before pausing: handle to 12-07 (60 days), review to 11-09 (30 days, Saturday 11-07 moved to Monday)', () => {
    assert.equal(handleDue, endOf('2026-12-07'));
    assert.equal(reviewDue, endOf('2026-11-09'));
  });

  it('request_material pauses handle; pausing twice → 409 flow.already_paused; resuming a running clock → 409 flow.not_paused', async () => {
    const h = await ctx.login('dl-cgj.handler');
    let snap = await snapshot(h, P.no);
    expectError(await h.act(P.no, 'receive_material', {}), 409, 'flow.not_paused');
    await assertUnchanged(h, P.no, snap);
    const c = await h.acted(P.no, 'request_material', { reason: '请补充劳动合同和考勤记录' });
    const k = expectClock(c, 'handle', { state: 'paused', due: handleDue });
    remaining = k.remaining_seconds;
    assert.equal(remaining, at('2026-12-08T00:00') - at('2026-10-08T10:00'));
    assert.equal(c.due_at, null, 'a paused clock is not running: no due_at');
    snap = await snapshot(h, P.no);
    expectError(await h.act(P.no, 'request_material', { reason: '再次补充' }), 409, 'flow.already_paused');
    await assertUnchanged(h, P.no, snap);
  });

  it('start_hearing pauses review; a second start_hearing → 409 flow.already_paused', async () => {
    const rev = await ctx.login('hrb-xfj.reviewer');
    const c = await rev.acted(Q.no, 'start_hearing', {});
    expectClock(c, 'review', { state: 'paused', due: reviewDue });
    const snap = await snapshot(rev, Q.no);
    expectError(await rev.act(Q.no, 'start_hearing', {}), 409, 'flow.already_paused');
    await assertUnchanged(rev, Q.no, snap);
  });

  it('three days later the paused clocks have not moved on; receive_material / end_hearing resume them and the due time moves 3 days later', async () => {
    await ctx.restart({ now: at('2026-10-11T10:00') });
    const h = await ctx.login('dl-cgj.handler');
    let c = await h.getCase(P.no);
    expectClock(c, 'handle', { state: 'paused', remaining_seconds: remaining, due: handleDue });
    c = await h.acted(P.no, 'receive_material', {});
    const k = expectClock(c, 'handle', { state: 'running', due: endOf('2026-12-10'), remaining_seconds: remaining });
    assert.equal(Date.parse(k.due) - Date.parse(handleDue), 3 * 86400 * 1000, 'due moves by the paused time');
    assert.equal(c.due_at, k.due);
    const snap = await snapshot(h, P.no);
    expectError(await h.act(P.no, 'receive_material', {}), 409, 'flow.not_paused');
    await assertUnchanged(h, P.no, snap);

    const rev = await ctx.login('hrb-xfj.reviewer');
    expectClock(await rev.getCase(Q.no), 'review', { state: 'paused', due: reviewDue });
    c = await rev.acted(Q.no, 'end_hearing', {});
    // counted as if the 30 days had started 3 days later: 10-11 + 30 = 11-10
    const r = expectClock(c, 'review', { state: 'running', due: endOf('2026-11-10') });
    const same = expectStatus(await rev.get('/api/v1/calendar/due?start=2026-10-11T10:00&amount=30&unit=days'));
    assert.equal(r.due, same.deadline);
    assert.ok(Date.parse(r.due) > Date.parse(reviewDue));
    expectError(await rev.act(Q.no, 'end_hearing', {}), 409, 'flow.not_paused');
  });
});

// ---------------------------------------------------------------------------

describe('windows that close: objection (R22 art. 23; seed 000 art. 14-15) and review request (R22 art. 35)', () => {
  let ctx; let W1; let W2; let R1; let R2;

  before(async () => {
    ctx = await setup({ now: at('2026-09-01T10:00') });
    W1 = await newCase(ctx);
    await toClosed(ctx, W1.no);
    W2 = await newCase(ctx);
    const c = await toClosed(ctx, W2.no);
    assert.equal(clock(c, 'review_request').due, endOf('2026-10-08'));
  });
  after(async () => { await ctx?.close(); });

  it('cases sent to dl-cgj on 09-30 may be objected to until 10-13 (5 working days)', async () => {
    await ctx.restart({ now: at('2026-09-30T10:00') });
    R1 = await newCase(ctx);
    R2 = await newCase(ctx);
    for (const r of [R1, R2]) assert.equal(clock(await transfer(ctx, r.no, 'dl-cgj'), 'objection').due, endOf('2026-10-13'));
  });

  it('37 days after closing, on 10-08, review may still be asked: the 30th day fell in the holiday', async () => {
    await ctx.restart({ now: at('2026-10-08T12:00') });
    const v = await ctx.publicView(W1.no, W1.code);
    assert.equal(v.can.request_review, true);
    const r = expectStatus(await ctx.publicAct(W1.no, 'request_review', W1.code));
    assert.equal(r.state, 'review');
  });

  it('a return within the objection window works and restarts triage at the dispatching bureau', async () => {
    const c = await (await ctx.login('dl-cgj.handler')).acted(R1.no, 'return', { reason: '不属本单位职责' });
    assert.equal(c.state, 'registered');
    expectClock(c, 'objection', { state: 'stopped', on_time: true });
    expectClock(c, 'accept', { state: 'stopped' });
    // 10-08 + 15 days = 10-23
    expectClock(c, 'triage', { state: 'running', start: iso('2026-10-08T12:00'), due: endOf('2026-10-23') });
    // the first runs stay in the history: the first triage, and dl-cgj's objection window
    const triages = c.clocks.filter((k) => k.name === 'triage');
    assert.equal(triages.length, 2);
    assert.equal(triages[0].state, 'stopped');
    assert.ok(triages[0].run < triages[1].run);
  });

  it('request_review after review_request\'s due → 422 flow.review_window_closed, nothing changed', async () => {
    await ctx.restart({ now: at('2026-10-09T00:00') });
    const d = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(d, W2.no);
    assert.equal(clock(snap.case, 'review_request').state, 'overdue');
    assert.equal((await ctx.publicView(W2.no, W2.code)).can.request_review, false);
    expectError(await ctx.publicAct(W2.no, 'request_review', W2.code), 422, 'flow.review_window_closed');
    await assertUnchanged(d, W2.no, snap);
  });

  it('return after the objection window → 422 flow.return_window_closed, nothing changed; accepting still works', async () => {
    await ctx.restart({ now: at('2026-10-14T00:00') });
    const h = await ctx.login('dl-cgj.handler');
    const snap = await snapshot(h, R2.no);
    expectError(await h.act(R2.no, 'return', { reason: '不属本单位职责' }), 422, 'flow.return_window_closed');
    await assertUnchanged(h, R2.no, snap);
    const c = await h.acted(R2.no, 'accept');
    assert.equal(c.state, 'accepted');
  });
});

// ---------------------------------------------------------------------------

describe('the scanner: 催办 to the unit on the clock at the warning, 督办 to its supervising petition department when overdue (R22 art. 38-40)', () => {
  let ctx; const U = {}; let S1; let S2; let snapshotLists;
  // S1: triage at dl-xfj (supervised by hrb-xfj); S2: accept at dl-cgj (supervised by dl-xfj).
  // Both run from 03-02 10:00 to 03-18 00:00 (15 days); 80 % is reached on 03-14 at 21:12.
  const VIEWERS = ['dl-xfj.dispatcher', 'hrb-xfj.dispatcher', 'dl-cgj.handler', 'qqhr-xfj.dispatcher'];

  async function lists() {
    const out = {};
    for (const u of VIEWERS) out[u] = expectStatus(await (await ctx.login(u)).get('/api/v1/escalations')).items;
    return out;
  }
  const ids = (all) => new Set(Object.values(all).flat().map((e) => e.id));

  async function whileStopped(now, fn) {
    await ctx.server.stop();
    ctx.sessions.clear();
    try { return await fn(); } finally { await ctx.server.start({ now }); }
  }

  before(async () => {
    ctx = await setup({ now: at('2026-03-02T10:00') });
    for (const u of ['hrb-xfj', 'dl-xfj', 'dl-cgj']) U[u] = await ctx.unitId(u);
    S1 = await newCase(ctx);
    S2 = await newCase(ctx);
    await transfer(ctx, S2.no, 'dl-cgj');
  });
  after(async () => { await ctx?.close(); });

  it('nothing is escalated while the clocks run', async () => {
    const all = await lists();
    assert.equal(ids(all).size, 0, JSON.stringify(all));
    expectError(await (await ctx.login('dl-xfj.dispatcher')).get('/api/v1/escalations?level=late'), 400, 'validation.unknown_code', 'level');
  });

  it('`xinfang scan` at the warning stage (server stopped): 2 reminders, then nothing on a second run', async () => {
    const now = at('2026-03-15T10:00');
    await whileStopped(now, async () => {
      const r1 = await runCli(['scan', '--db', ctx.db], { now });
      assert.equal(r1.code, 0, r1.stderr);
      assert.match(r1.stdout, / 2 new reminders \(催办\), 0 new supervision items \(督办\)/);
      const r2 = await runCli(['scan', '--db', ctx.db], { now });
      assert.equal(r2.code, 0, r2.stderr);
      assert.match(r2.stdout, / 0 new reminders \(催办\), 0 new supervision items \(督办\)/);
    });
    const all = await lists();
    assert.equal(ids(all).size, 2);
    const cgj = all['dl-cgj.handler'];
    assert.equal(cgj.length, 1, JSON.stringify(cgj));
    const e = cgj[0];
    assert.equal(e.level, 'warning');
    assert.equal(e.kind, 'remind');
    assert.equal(e.kind_label, '催办');
    assert.equal(e.clock, 'accept');
    assert.equal(e.clock_label, '受理告知');
    assert.equal(e.no, S2.no);
    assert.equal(e.unit.id, U['dl-cgj']);
    assert.equal(e.supervisor_unit.id, U['dl-xfj']);
    assert.equal(e.due_at, iso('2026-03-18T00:00'));
    assert.equal(e.created_at, iso('2026-03-15T10:00'));
    const dl = all['dl-xfj.dispatcher'];
    assert.deepEqual(dl.map((x) => x.no).sort(), [S1.no, S2.no].sort(), 'dl-xfj: its own triage and the accept it supervises');
    const s1 = dl.find((x) => x.no === S1.no);
    assert.equal(s1.clock, 'triage');
    assert.equal(s1.unit.id, U['dl-xfj']);
    assert.equal(s1.supervisor_unit.id, U['hrb-xfj']);
    assert.deepEqual(all['hrb-xfj.dispatcher'].map((x) => x.no), [S1.no]);
    assert.deepEqual(all['qqhr-xfj.dispatcher'], [], 'another city sees nothing');
    const w = expectStatus(await (await ctx.login('dl-xfj.dispatcher')).get('/api/v1/escalations?level=overdue'));
    assert.deepEqual(w.items, []);
  });

  it('restarted after the due time, the server scans: 督办 for the supervising petition department', async () => {
    await ctx.restart({ now: at('2026-03-18T08:00') });
    const dl = await ctx.login('dl-xfj.dispatcher');
    const over = await until(async () => {
      const r = expectStatus(await dl.get('/api/v1/escalations?level=overdue'));
      return r.items.length >= 2 ? r.items : null;
    }, 'the overdue escalations of S1 and S2');
    // dl-xfj: the accept it supervises, and its own late triage
    assert.deepEqual(over.map((x) => x.no).sort(), [S1.no, S2.no].sort(), JSON.stringify(over));
    const e = over.find((x) => x.no === S2.no);
    assert.equal(e.no, S2.no);
    assert.equal(e.level, 'overdue');
    assert.equal(e.kind, 'supervise');
    assert.equal(e.kind_label, '督办');
    assert.equal(e.supervisor_unit.id, U['dl-xfj']);
    assert.equal(e.unit.id, U['dl-cgj']);
    const hrb = await ctx.login('hrb-xfj.dispatcher');
    const h = await until(async () => {
      const r = expectStatus(await hrb.get('/api/v1/escalations?level=overdue'));
      return r.items.length >= 1 ? r.items : null;
    }, 'the overdue escalation of S1');
    assert.deepEqual(h.map((x) => [x.no, x.clock, x.supervisor_unit.id]), [[S1.no, 'triage', U['hrb-xfj']]]);
    expectClock(await dl.getCase(S2.no), 'accept', { state: 'overdue' });
    snapshotLists = await lists();
    assert.equal(ids(snapshotLists).size, 4, '2 reminders + 2 supervision items');
  });

  it('scanning twice creates nothing twice; a restart loses nothing', async () => {
    const now = at('2026-03-18T08:00');
    await whileStopped(now, async () => {
      const r = await runCli(['scan', '--db', ctx.db], { now });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, / 0 new reminders \(催办\), 0 new supervision items \(督办\)/);
    });
    await sleep(200); // let the start-up scan run
    assert.deepEqual(await lists(), snapshotLists);
    await ctx.restart({ now: now + 60 });
    await sleep(200);
    assert.deepEqual(await lists(), snapshotLists);
  });

  it('`xinfang rebuild` still prints "identical" after the scans, and the escalations stay', async () => {
    const now = at('2026-03-18T08:01');
    await whileStopped(now, async () => {
      const r = await runCli(['rebuild', '--db', ctx.db], { now });
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /^identical$/m);
    });
    await sleep(200);
    assert.deepEqual(await lists(), snapshotLists);
  });

  it('once the unit acts, its escalations show when they were resolved', async () => {
    await (await ctx.login('dl-cgj.handler')).acted(S2.no, 'accept');
    const items = expectStatus(await (await ctx.login('dl-cgj.handler')).get('/api/v1/escalations')).items;
    assert.equal(items.length, 2);
    for (const e of items) assert.equal(e.resolved_at, iso('2026-03-18T08:01'), JSON.stringify(e));
  });
});

// ---------------------------------------------------------------------------

const OFF_2026 = [
  '01-01', '01-02', '01-03', '02-15', '02-16', '02-17', '02-18', '02-19', '02-20', '02-21', '02-22', '02-23',
  '04-04', '04-05', '04-06', '05-01', '05-02', '05-03', '05-04', '05-05', '06-19', '06-20', '06-21',
  '09-25', '09-26', '09-27', '10-01', '10-02', '10-03', '10-04', '10-05', '10-06', '10-07',
];
const MAKEUP_2026 = ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'];
const OFF_2025 = [
  '01-01', '01-28', '01-29', '01-30', '01-31', '02-01', '02-02', '02-03', '02-04', '04-04', '04-05', '04-06',
  '05-01', '05-02', '05-03', '05-04', '05-05', '05-31', '06-01', '06-02',
  '10-01', '10-02', '10-03', '10-04', '10-05', '10-06', '10-07', '10-08',
];
const MAKEUP_2025 = ['01-26', '02-08', '04-27', '09-28', '10-11'];

function expectedDays(year, off, makeup) {
  return [...off.map((d) => ({ date: `${year}-${d}`, isOffDay: true })),
    ...makeup.map((d) => ({ date: `${year}-${d}`, isOffDay: false }))]
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** A 2027 arrangement in holiday-cn's format (test data). */
const HOLIDAYS_2027 = {
  $schema: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json',
  $id: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/2027.json',
  year: 2027,
  papers: ['（测试数据）'],
  days: [
    { name: '元旦', date: '2027-01-01', isOffDay: true },
    { name: '国庆节', date: '2027-09-26', isOffDay: false },
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ name: '国庆节', date: `2027-10-${d}`, isOffDay: true })),
    { name: '国庆节', date: '2027-10-09', isOffDay: false },
  ],
};

describe('the working-day calendar: GET /api/v1/calendar, import by the system administrator (RULES.md "Counting time")', () => {
  let ctx; let K; let T;

  before(async () => {
    ctx = await setup({ now: at('2026-12-17T10:00') }); // a Thursday in December: 2027 not entered yet
    // 12-17 + 15 days = 2027-01-01: a Friday, a working day while 2027 is not loaded
    K = await newCase(ctx);
    expectClock(K.case, 'triage', { due: endOf('2027-01-01') });
    // T: triage already stopped before the import, its due time counted without 2027's holidays
    T = await newCase(ctx);
    expectClock(await transfer(ctx, T.no, 'dl-cgj'), 'triage', { state: 'stopped', due: endOf('2027-01-01') });
  });
  after(async () => { await ctx?.close(); });

  const cal = async (year, user = 'dl-xfj.registrar') => expectStatus(await (await ctx.login(user)).get(`/api/v1/calendar?year=${year}`));

  it('2026: exactly the days off and make-up days of 国办发明电〔2025〕7号, loaded; in December it warns that 2027 is missing', async () => {
    const c = await cal(2026);
    assert.equal(c.year, 2026);
    assert.equal(c.loaded, true);
    assert.deepEqual(c.days, expectedDays(2026, OFF_2026, MAKEUP_2026));
    assert.ok(c.changes.length >= 1 && c.changes.every((x) => typeof x.actor === 'string' && typeof x.at === 'string'));
    assert.match(c.warning ?? '', /2027/, 'December without next year\'s arrangement warns');
  });

  it('2025: the days of 国办发明电〔2024〕12号', async () => {
    const c = await cal(2025);
    assert.equal(c.loaded, true);
    assert.deepEqual(c.days, expectedDays(2025, OFF_2025, MAKEUP_2025));
  });

  it('2027 is not loaded: no days, no changes; bad years → 400', async () => {
    const c = await cal(2027);
    assert.equal(c.year, 2027);
    assert.equal(c.loaded, false);
    assert.deepEqual(c.days, []);
    assert.deepEqual(c.changes, []);
    const r = await ctx.login('dl-xfj.registrar');
    expectError(await r.get('/api/v1/calendar?year=abc'), 400, 'validation.invalid', 'year');
    expectError(await http(ctx.base, 'GET', '/api/v1/calendar?year=2026'), 401, 'auth.required');
    expectError(await http(ctx.base, 'GET', '/api/v1/calendar/due?start=2026-09-28&amount=15&unit=days'), 401, 'auth.required');
  });

  it('GET /api/v1/calendar/due and /workday count as the law does; bad input → 400', async () => {
    const r = await ctx.login('dl-xfj.registrar');
    const q = async (s) => expectStatus(await r.get(`/api/v1/calendar/due?${s}`));
    assert.deepEqual(await q('start=2026-09-28&amount=15&unit=days'),
      { start: '2026-09-28', amount: 15, unit: 'days', last_day: '2026-10-13', deadline: iso('2026-10-14T00:00') });
    assert.equal((await q('start=2026-09-30&amount=5&unit=workdays')).last_day, '2026-10-13');
    assert.equal((await q('start=2026-09-30T16:00&amount=2&unit=hours')).due, '2026-09-30T18:00');
    assert.equal((await q('start=2026-03-02&amount=5&unit=days')).last_day, '2026-03-09', 'Saturday → Monday');
    assert.deepEqual(expectStatus(await r.get('/api/v1/calendar/workday?date=2026-10-10')), { date: '2026-10-10', workday: true, kind: 'makeup' });
    assert.deepEqual(expectStatus(await r.get('/api/v1/calendar/workday?date=2026-10-01')), { date: '2026-10-01', workday: false, kind: 'off' });
    assert.deepEqual(expectStatus(await r.get('/api/v1/calendar/workday?date=2026-10-09')), { date: '2026-10-09', workday: true, kind: 'normal' });
    expectError(await r.get('/api/v1/calendar/due?start=2026-02-30&amount=5&unit=days'), 400, 'validation.invalid', 'start');
    expectError(await r.get('/api/v1/calendar/due?start=2026-09-30&amount=-1&unit=days'), 400, 'validation.invalid', 'amount');
    expectError(await r.get('/api/v1/calendar/due?start=2026-09-30&amount=5&unit=weeks'), 400, 'validation.unknown_code', 'unit');
    expectError(await r.get('/api/v1/calendar/due?start=2026-09-30&unit=days'), 400, 'validation.invalid', 'amount');
    expectError(await r.get('/api/v1/calendar/workday?date=2026-10'), 400, 'validation.invalid', 'date');
  });

  it('import by anyone but a system administrator → 403 auth.role_denied; nothing changes', async () => {
    const before27 = await cal(2027);
    for (const u of ['hlj-xfj.dispatcher', 'hlj-xfj.secadmin', 'dl-xfj.unit_head']) {
      expectError(await (await ctx.login(u)).post('/api/v1/calendar/import', HOLIDAYS_2027), 403, 'auth.role_denied');
    }
    assert.deepEqual(await cal(2027), before27);
  });

  it('bad JSON or bad dates → 400, and nothing changes (not even the good days of the same file)', async () => {
    const sa = await ctx.login('hlj-xfj.sysadmin');
    const b26 = await cal(2026);
    const b27 = await cal(2027);
    const good = { name: '元旦', date: '2027-01-01', isOffDay: true };
    const bad = [
      [{ raw: '{"days": [' }, undefined],
      [{ raw: 'not json' }, undefined],
      [{ body: [good] }, undefined],
      [{ body: { year: 2027 } }, 'calendar.bad_json'],
      [{ body: { days: [good, { name: '春节', date: '2027-02-30', isOffDay: true }] } }, 'calendar.bad_day'],
      [{ body: { days: [good, { name: '春节', date: '2027-13-01', isOffDay: true }] } }, 'calendar.bad_day'],
      [{ body: { days: [good, { name: '春节', date: '20270206', isOffDay: true }] } }, 'calendar.bad_day'],
      [{ body: { days: [good, { name: '春节', date: '2027-02-06', isOffDay: 'yes' }] } }, 'calendar.bad_day'],
      [{ body: { days: [good, { date: '2027-02-06', isOffDay: true }] } }, 'calendar.bad_day'],
      [{ body: { days: [good, { name: '春节', date: '1999-02-06', isOffDay: true }] } }, 'calendar.bad_day'],
      [{ body: { days: [good, { ...good, isOffDay: false }] } }, 'calendar.duplicate_day'],
      [{ body: { year: 1999, days: [good] } }, 'calendar.bad_year'],
      [{ body: { days: [] } }, 'calendar.empty'],
    ];
    for (const [{ raw, body }, code] of bad) {
      const r = raw !== undefined
        ? await sa.post('/api/v1/calendar/import', undefined, { raw, headers: { 'Content-Type': 'application/json' } })
        : await sa.post('/api/v1/calendar/import', body);
      assert.equal(r.status, 400, `${raw ?? JSON.stringify(body)}: ${r.status} ${r.text}`);
      if (code) expectError(r, 400, code);
      else assert.match(r.body?.error?.message ?? '', /[\u4e00-\u9fff]/, r.text);
    }
    assert.deepEqual(await cal(2027), b27);
    assert.deepEqual(await cal(2026), b26);
    expectClock(await (await ctx.login('dl-xfj.dispatcher')).getCase(K.no), 'triage', { due: endOf('2027-01-01') });
  });

  it('importing 2027 as hlj-xfj.sysadmin: listed with who, loaded, and due dates over its holidays shift (running clocks too)', async () => {
    const r = await ctx.login('dl-xfj.registrar');
    const due = async (s) => expectStatus(await r.get(`/api/v1/calendar/due?${s}`)).last_day;
    // weekends only before the import
    assert.equal(await due('start=2027-09-30&amount=5&unit=workdays'), '2027-10-07');
    assert.equal(await due('start=2027-09-28&amount=5&unit=days'), '2027-10-04');
    assert.equal(await due('start=2026-12-17&amount=15&unit=days'), '2027-01-01');

    const sa = await ctx.login('hlj-xfj.sysadmin');
    const out = expectStatus(await sa.post('/api/v1/calendar/import', HOLIDAYS_2027));
    assert.deepEqual(out.years, [2027]);
    const c = await cal(2027);
    assert.equal(c.loaded, true);
    assert.deepEqual(c.days, HOLIDAYS_2027.days.map(({ date, isOffDay }) => ({ date, isOffDay })));
    assert.equal(c.changes.length, 1);
    assert.equal(c.changes[0].actor, 'hlj-xfj.sysadmin');
    assert.equal(c.changes[0].at, iso('2026-12-17T10:00'));
    assert.equal(c.changes[0].year, 2027);
    assert.match(c.changes[0].what, /\d/);
    assert.equal((await cal(2026)).warning, undefined, 'no warning once 2027 is in');

    // 10-01..10-07 off, 10-09 a make-up Saturday: 10-08, 10-09, 10-11, 10-12, 10-13
    assert.equal(await due('start=2027-09-30&amount=5&unit=workdays'), '2027-10-13');
    assert.equal(await due('start=2027-09-28&amount=5&unit=days'), '2027-10-08');
    assert.deepEqual(expectStatus(await r.get('/api/v1/calendar/workday?date=2027-10-09')), { date: '2027-10-09', workday: true, kind: 'makeup' });
    // the running triage clock ends after New Year's Day and the weekend
    assert.equal(await due('start=2026-12-17&amount=15&unit=days'), '2027-01-04');
    const k = await (await ctx.login('dl-xfj.dispatcher')).getCase(K.no); // administrators read no case content
    expectClock(k, 'triage', { state: 'running', due: endOf('2027-01-04') });
    assert.equal(k.due_at, endOf('2027-01-04'));
    // the next case gets it too, and it survives a restart
    await ctx.restart({ now: at('2026-12-17T11:00') });
    const n = await newCase(ctx);
    expectClock(n.case, 'triage', { due: endOf('2027-01-04') });
    assert.equal((await cal(2027)).changes.length, 1);
  });

  it('`xinfang rebuild` after the import still prints "identical"', async () => {
    const now = at('2026-12-17T12:00');
    await ctx.server.stop();
    ctx.sessions.clear();
    let r;
    try {
      r = await runCli(['rebuild', '--db', ctx.db], { now });
    } finally {
      await ctx.server.start({ now });
    }
    assert.match(r.stdout, /^identical$/m, r.stdout);
    assert.equal(r.code, 0);
  });
});

describe('the calendar of a year out of range', () => {
  it('GET /api/v1/calendar?year=1999 or 2100 → 400 validation.invalid, and the server stays clean', async () => {
    const ctx = await setup({ now: at('2026-03-02T10:00') });
    try {
      const r = await ctx.login('dl-xfj.registrar');
      expectError(await r.get('/api/v1/calendar?year=1999'), 400, 'validation.invalid', 'year');
      expectError(await r.get('/api/v1/calendar?year=2100'), 400, 'validation.invalid', 'year');
      assert.equal(expectStatus(await r.get('/api/v1/calendar?year=2000')).loaded, false);
    } finally {
      await ctx.close(); // fails on a sanitizer report
    }
  });
});

// ---------------------------------------------------------------------------

describe('time-limit policies: GET /api/v1/policies, overrides by the system administrator (data/policy/policies.txt)', () => {
  let ctx; let old;
  const entry = (body, policy, key) => body.policies.find((p) => p.name === policy)?.entries.find((e) => e.key === key);

  before(async () => {
    ctx = await setup({ now: at('2026-03-02T10:00') });
    old = await newCase(ctx);
    expectClock(old.case, 'triage', { limit: '15 days', due: endOf('2026-03-17') });
  });
  after(async () => { await ctx?.close(); });

  it('the shipped policies: hlj-complaint (urgent triage 2 hours, objection 5 workdays), binhai-stats, jiujiang-cgj', async () => {
    const p = expectStatus(await (await ctx.login('dl-cgj.handler')).get('/api/v1/policies'));
    const names = p.policies.map((x) => x.name);
    for (const n of ['national', 'hlj-complaint', 'binhai-stats', 'jiujiang-cgj']) assert.ok(names.includes(n), n);
    const byName = Object.fromEntries(p.policies.map((x) => [x.name, x]));
    assert.equal(byName.national.inherits, null);
    assert.equal(byName['hlj-complaint'].inherits, 'national');
    assert.deepEqual(byName['hlj-complaint'].units, ['hlj-xfj']);
    assert.deepEqual(byName['binhai-stats'].units, ['hrb-tjj', 'qqhr-tjj']);
    assert.deepEqual(byName['jiujiang-cgj'].units, ['hrb-cgj', 'dl-cgj', 'qqhr-cgj']);
    assert.deepEqual(entry(p, 'hlj-complaint', 'triage.urgent'), { ...entry(p, 'hlj-complaint', 'triage.urgent'), amount: 2, unit: 'hours', warn_pct: 50 });
    assert.equal(entry(p, 'hlj-complaint', 'objection').unit, 'workdays');
    assert.equal(entry(p, 'binhai-stats', 'handle').amount, 15);
    assert.equal(entry(p, 'binhai-stats', 'handle.urgent').amount, 7);
    assert.deepEqual([entry(p, 'binhai-stats', 'objection').amount, entry(p, 'binhai-stats', 'objection').unit], [3, 'days']);
    for (const [k, amount, unit] of [['accept', 15, 'days'], ['objection', 5, 'workdays'], ['handle', 60, 'days'],
      ['extension', 30, 'days'], ['review_request', 30, 'days'], ['review', 30, 'days']]) {
      const e = entry(p, 'national', k);
      assert.ok(e, `national ${k}`);
      assert.deepEqual([e.amount, e.unit], [amount, unit], `national ${k}`);
      assert.match(e.rule, /[\u4e00-\u9fff]/);
    }
    assert.deepEqual(p.changes, []);
  });

  it('every entry of policies.txt is listed: national triage 15 days, implement 30, suggestion 30; jiujiang-cgj extension', async () => {
    const p = expectStatus(await (await ctx.login('dl-cgj.handler')).get('/api/v1/policies'));
    for (const [pol, k, amount] of [['national', 'triage', 15], ['national', 'implement', 30], ['national', 'suggestion', 30],
      ['national', 'recheck_request', 30], ['national', 'recheck', 30], ['jiujiang-cgj', 'extension', 30]]) {
      const e = entry(p, pol, k);
      assert.ok(e, `${pol} ${k} missing from GET /api/v1/policies`);
      assert.equal(e.amount, amount);
    }
  });

  it('national triage → 10 days by hlj-xfj.sysadmin: new cases get 10 days, the running clock keeps 15; the change is recorded with who', async () => {
    const sa = await ctx.login('hlj-xfj.sysadmin');
    const p = expectStatus(await sa.post('/api/v1/policies/national', { key: 'triage', amount: 10, unit: 'days' }));
    assert.deepEqual([entry(p, 'national', 'triage').amount, entry(p, 'national', 'triage').unit, entry(p, 'national', 'triage').warn_pct], [10, 'days', 80]);
    assert.equal(p.changes.length, 1);
    assert.equal(p.changes[0].actor, 'hlj-xfj.sysadmin');
    assert.equal(p.changes[0].at, iso('2026-03-02T10:00'));
    assert.match(p.changes[0].what, /triage/);
    assert.match(p.changes[0].what, /10/);
    const n = await newCase(ctx);
    // 03-02 + 10 days = 03-12, a Thursday
    expectClock(n.case, 'triage', { limit: '10 days', due: endOf('2026-03-12'), policy: 'hlj-complaint' });
    expectClock(await (await ctx.login('dl-xfj.dispatcher')).getCase(old.no), 'triage', { limit: '15 days', due: endOf('2026-03-17'), state: 'running' });
    // urgent complaints keep their own 2-hour entry
    expectClock((await newCase(ctx, { flags: ['urgent'] })).case, 'triage', { limit: '2 hours' });
    // kept over a restart
    await ctx.restart({ now: at('2026-03-02T11:00') });
    const m = await newCase(ctx);
    expectClock(m.case, 'triage', { limit: '10 days' });
    const again = expectStatus(await (await ctx.login('hlj-xfj.sysadmin')).get('/api/v1/policies'));
    assert.equal(entry(again, 'national', 'triage').amount, 10);
    assert.equal(again.changes.length, 1);
  });

  it('`xinfang rebuild` after the change still prints "identical", and the older clock keeps its 15 days', async () => {
    const now = at('2026-03-02T11:00');
    await ctx.server.stop();
    ctx.sessions.clear();
    let r;
    try {
      r = await runCli(['rebuild', '--db', ctx.db], { now });
    } finally {
      await ctx.server.start({ now });
    }
    const c = await (await ctx.login('dl-xfj.dispatcher')).getCase(old.no);
    assert.equal(clock(c, 'triage').limit, '15 days', 'the older clock was rewritten by rebuild');
    assert.match(r.stdout, /^identical$/m, r.stdout);
    assert.equal(r.code, 0);
  });

  it('refused: a non-sysadmin (403 auth.role_denied), an unknown key (400), a bad unit or amount (400), an unknown policy (404); nothing recorded', async () => {
    const sa = await ctx.login('hlj-xfj.sysadmin');
    const before = expectStatus(await sa.get('/api/v1/policies'));
    for (const u of ['hlj-xfj.dispatcher', 'hlj-xfj.leader', 'dl-cgj.unit_head']) {
      expectError(await (await ctx.login(u)).post('/api/v1/policies/national', { key: 'triage', amount: 5, unit: 'days' }), 403, 'auth.role_denied');
    }
    expectError(await sa.post('/api/v1/policies/national', { key: 'nonsense', amount: 5, unit: 'days' }), 400, 'validation.invalid', 'key');
    expectError(await sa.post('/api/v1/policies/national', { key: 'triage.weekly', amount: 5, unit: 'days' }), 400, 'validation.invalid', 'key');
    expectError(await sa.post('/api/v1/policies/national', { amount: 5, unit: 'days' }), 400, 'validation.invalid', 'key');
    expectError(await sa.post('/api/v1/policies/national', { key: 'triage', amount: 5, unit: 'weeks' }), 400, 'validation.unknown_code', 'unit');
    expectError(await sa.post('/api/v1/policies/national', { key: 'triage', amount: '5', unit: 'days' }), 400, 'validation.type', 'amount');
    expectError(await sa.post('/api/v1/policies/national', { key: 'triage', amount: -5, unit: 'days' }), 400, 'validation.invalid');
    expectError(await sa.post('/api/v1/policies/national', { key: 'triage', amount: 5000, unit: 'days' }), 400, 'validation.invalid');
    expectError(await sa.post('/api/v1/policies/national', { key: 'triage', amount: 5, unit: 'days', warn_pct: 0 }), 400, 'validation.invalid');
    expectError(await sa.post('/api/v1/policies/nowhere', { key: 'triage', amount: 5, unit: 'days' }), 404, 'policy.not_found');
    assert.deepEqual(expectStatus(await sa.get('/api/v1/policies')), before);
    expectClock((await newCase(ctx)).case, 'triage', { limit: '10 days' });
  });

  it('a unit\'s own policy: POST /api/v1/units/dl-xfj/policy {policy:"national"} drops the 2-hour urgent triage; null inherits again', async () => {
    const sa = await ctx.login('hlj-xfj.sysadmin');
    expectError(await (await ctx.login('dl-xfj.dispatcher')).post('/api/v1/units/dl-xfj/policy', { policy: 'national' }), 403, 'auth.role_denied');
    expectError(await sa.post('/api/v1/units/dl-xfj/policy', { policy: 'nowhere' }), 404, 'policy.not_found');
    expectError(await sa.post('/api/v1/units/nowhere/policy', { policy: 'national' }), 404, 'unit.not_found');
    const n0 = expectStatus(await sa.get('/api/v1/policies')).changes.length;
    expectStatus(await sa.post('/api/v1/units/dl-xfj/policy', { policy: 'national' }));
    const unitPolicy = async () => expectStatus(await sa.get('/api/v1/units')).items.find((x) => x.code === 'dl-xfj').policy;
    assert.equal(await unitPolicy(), 'national', 'the unit tree shows the unit\'s own policy');
    const u = await newCase(ctx, { flags: ['urgent'] });
    expectClock(u.case, 'triage', { policy: 'national', limit: '10 days' });
    const p = expectStatus(await sa.get('/api/v1/policies'));
    assert.equal(p.changes.length, n0 + 1);
    assert.equal(p.changes.at(-1).actor, 'hlj-xfj.sysadmin');
    assert.match(p.changes.at(-1).what, /dl-xfj/);
    expectStatus(await sa.post('/api/v1/units/dl-xfj/policy', { policy: null }));
    assert.equal(await unitPolicy(), null);
    expectClock((await newCase(ctx, { flags: ['urgent'] })).case, 'triage', { policy: 'hlj-complaint', limit: '2 hours' });
  });
});

// ---------------------------------------------------------------------------

describe('timeliness statistics: 及时受理率 and 按期办结率 per unit (国信发〔2014〕16号; R22 art. 23, 34)', () => {
  let ctx; const U = {}; let A; let B; let H;
  const PERIOD = '/api/v1/stats/timeliness?from=2026-03-01&to=2026-03-31';

  async function stats(path = PERIOD) {
    const body = expectStatus(await (await ctx.login('hlj-xfj.analyst')).get(path));
    return { body, unit: (code) => body.units.find((u) => u.unit_id === U[code]) };
  }

  before(async () => {
    ctx = await setup({ now: at('2026-03-02T10:00') });
    for (const u of ['dl-cgj', 'hrb-tjj']) U[u] = await ctx.unitId(u);
    A = await newCase(ctx);
    await toClosed(ctx, A.no); // accepted and concluded at once
    B = await newCase(ctx);
    await transfer(ctx, B.no, 'dl-cgj'); // accepted late, below
    H = await newCase(ctx, { locality: '230100' }, 'hrb-xfj.registrar');
    await transfer(ctx, H.no, 'hrb-tjj', [], 'hrb-xfj.dispatcher');
    await (await ctx.login('hrb-tjj.handler')).acted(H.no, 'accept'); // 15 days under binhai-stats
  });
  after(async () => { await ctx?.close(); });

  it('on time so far: dl-cgj accepted 1 of 1 on time, concluded 1 of 1 on time', async () => {
    const { body, unit } = await stats();
    assert.equal(body.from, '2026-03-01');
    assert.equal(body.to, '2026-03-31');
    const d = unit('dl-cgj');
    assert.ok(d, JSON.stringify(body));
    assert.equal(d.unit_code, 'dl-cgj');
    assert.deepEqual([d.accept_total, d.accept_on_time, d.handle_total, d.handle_on_time, d.overdue],
      [1, 1, 1, 1, 0]);
    assert.equal(d.timely_acceptance_rate, 1);
    assert.equal(d.on_time_conclusion_rate, 1);
    const t = unit('hrb-tjj');
    assert.deepEqual([t.accept_total, t.accept_on_time, t.handle_total, t.handle_on_time], [1, 1, 0, 0]);
    assert.equal(t.on_time_conclusion_rate, null, 'nothing concluded or due yet');
  });

  it('a late acceptance lowers 及时受理率; a late conclusion lowers 按期办结率; the overdue count follows the 督办', async () => {
    // accept due 03-18 00:00 (03-02 + 15 days); handle at hrb-tjj due 03-18 00:00 too
    await ctx.restart({ now: at('2026-03-20T10:00') });
    await until(async () => (await stats()).unit('dl-cgj').overdue >= 1, 'the start-up scan');
    await (await ctx.login('dl-cgj.handler')).acted(B.no, 'accept');
    const th = await ctx.login('hrb-tjj.handler');
    await th.acted(H.no, 'reply', replyBody());
    await (await ctx.login('hrb-xfj.dispatcher')).acted(H.no, 'approve');
    const { unit } = await stats();
    const d = unit('dl-cgj');
    assert.deepEqual([d.accept_total, d.accept_on_time], [2, 1]);
    assert.equal(d.timely_acceptance_rate, 0.5);
    assert.equal(d.overdue, 1);
    const t = unit('hrb-tjj');
    assert.deepEqual([t.handle_total, t.handle_on_time], [1, 0]);
    assert.equal(t.on_time_conclusion_rate, 0);
    assert.equal(t.overdue, 1);
    const c = await th.getCase(H.no);
    expectClock(c, 'handle', { state: 'stopped', on_time: false, limit: '15 days' });
  });

  it('another period counts nothing; a bad period → 400', async () => {
    const { unit } = await stats('/api/v1/stats/timeliness?from=2026-01-01&to=2026-02-28');
    const d = unit('dl-cgj');
    if (d) {
      assert.deepEqual([d.accept_total, d.handle_total, d.overdue], [0, 0, 0]);
      assert.equal(d.timely_acceptance_rate, null);
    }
    const a = await ctx.login('hlj-xfj.analyst');
    expectError(await a.get('/api/v1/stats/timeliness?from=2026-03-31&to=2026-03-01'), 400, 'validation.invalid', 'to');
    expectError(await a.get('/api/v1/stats/timeliness?from=2026-02-30&to=2026-03-31'), 400, 'validation.invalid', 'from');
    expectError(await a.get('/api/v1/stats/timeliness?from=2026-03-01&to=March'), 400, 'validation.invalid', 'to');
  });
});
