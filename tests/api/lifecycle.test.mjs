// lifecycle.test.mjs - the case life cycle through HTTP, from each role's
// seat (DESIGN.md section 3; R22 art. 22-36), and what the petitioner sees
// on the portal at each stage (R22 art. 21; R05 art. 12).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, epoch, DAY, expectError, expectStatus, snapshot, assertUnchanged, replyBody, decisionBody,
  newCase, transfer, toAccepted, toReplied, caseBody,
} from './helpers.mjs';

// A fixed clock (XINFANG_NOW), moved forward a day before each decision of
// the review stages, as it would be in real life.
const T0 = epoch('2026-06-01T09:00:00+08:00');
let ctx;
before(async () => { ctx = await setup({ now: T0 }); });
after(async () => { await ctx?.close(); });

/** An event time as milliseconds, whether sent as ISO text or epoch seconds. */
const when = (at) => (typeof at === 'number' ? at * 1000 : Date.parse(at));

const INTERNAL = '内部备注';   // every staff comment carries this marker: never public
const EXT_REASON = '需调取该公司近两年的工资发放台账，延期理由甲乙丙';

/** Names of every staff member this file has logged in, plus actors seen in events. */
const staffNames = new Set();
const nameOf = new Map(); // username → personal name
async function who(username) {
  const c = await ctx.login(username);
  staffNames.add(c.user.name);
  nameOf.set(username, c.user.name);
  if (ctx.demoUsers.has(username)) assert.equal(ctx.demoUsers.get(username), c.user.name);
  return c;
}

/** The petitioner's view: plain words, no staff names, no internal notes. */
function assertPublicClean(view, extra = []) {
  const text = JSON.stringify(view);
  for (const name of staffNames) {
    assert.ok(!text.includes(name), `public view shows the staff name ${name}: ${text}`);
  }
  assert.ok(!text.includes(INTERNAL), `public view shows an internal comment: ${text}`);
  for (const s of extra) assert.ok(!text.includes(s), `public view shows "${s}": ${text}`);
  for (const key of ['petitioners', 'actions', 'query_hash', 'holder_unit', 'events', 'actor_name']) {
    assert.ok(!(key in view), `public view has internal key ${key}`);
  }
  for (const line of view.timeline) {
    assert.equal(typeof line.text, 'string');
    assert.match(line.text, /[\u4e00-\u9fff]/, 'timeline in plain Chinese words');
    assert.match(line.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  }
}

describe('full life cycle: register → transfer → accept → extend → reply → approve → rate → review → recheck → concluded → declined', () => {
  let no; let code;
  const U = {};
  const eventLog = [];   // events after each step, to check the log only grows
  const publicLog = [];  // public views after each step

  before(async () => {
    for (const c of ['dl-xfj', 'dl-cgj', 'dl-zjj', 'hrb-xfj', 'hlj-xfj']) U[c] = await ctx.unitId(c);
    // every staff member's personal name, from the demo's table of logins
    assert.ok(ctx.demoUsers.size > 20, 'the demo prints its users');
    for (const name of ctx.demoUsers.values()) staffNames.add(name);
    for (const u of ['dl-xfj.registrar', 'dl-xfj.dispatcher', 'dl-cgj.handler', 'dl-cgj.unit_head',
      'hrb-xfj.reviewer', 'hlj-xfj.reviewer', 'dl-zjj.handler']) await who(u);
  });

  async function step() {
    const reader = await ctx.login('hlj-xfj.dispatcher');
    eventLog.push(await reader.events(no));
    const view = await ctx.publicView(no, code);
    for (const e of eventLog.at(-1)) if (e.actor_name) staffNames.add(e.actor_name);
    assertPublicClean(view);
    publicLog.push(view);
    return view;
  }

  it('dl-xfj.registrar registers a visit (R22 art. 17, 21): 201 with case number and query code', async () => {
    const reg = await who('dl-xfj.registrar');
    const r = await reg.register(caseBody({ title: '道里区某工地拖欠农民工工资', people_count: 3, flags: ['collective'] }));
    const body = expectStatus(r, 201);
    no = body.case.no;
    code = body.query_code;
    assert.match(no, /^XF\d{8}\d{5}$/);
    assert.match(code, /^[A-HJ-NP-Z2-9]{8}$/, 'query code: 8 characters without look-alikes');
    assert.equal(body.case.state, 'registered');
    assert.equal(body.case.state_label, '已登记');
    assert.equal(body.case.version, 1);
    assert.equal(body.case.holder_unit.id, U['dl-xfj']);
    assert.equal(body.case.registered_unit.id, U['dl-xfj']);
    assert.equal(body.case.people_count, 3);
    assert.deepEqual(body.case.flags, ['collective']);
    assert.equal(body.case.petitioners[0].name, '王建国');
    assert.ok(!('query_hash' in body.case), 'the query code hash is never sent');
    const view = await step();
    assert.equal(view.no, no);
    assert.equal(view.state, 'registered');
    assert.equal(view.timeline.length, 1);
    assert.ok(view.timeline[0].text.includes(no), 'the receipt line names the case number');
    assert.equal(view.reply, null);
    assert.deepEqual(view.can, { rate: false, request_review: false, request_recheck: false });
  });

  it('the dispatcher sees the triage actions; the registrar sees none', async () => {
    const disp = await who('dl-xfj.dispatcher');
    const c = await disp.getCase(no);
    const actions = c.actions.map((a) => a.action).sort();
    assert.deepEqual(actions, ['archive', 'assign', 'decline', 'merge', 'reject', 'self_handle', 'transfer']);
    const reg = await who('dl-xfj.registrar');
    assert.deepEqual((await reg.getCase(no)).actions, []);
  });

  it('dl-xfj.dispatcher transfers to dl-cgj as lead with dl-zjj as co-unit (R22 art. 22)', async () => {
    const disp = await who('dl-xfj.dispatcher');
    const r = await disp.post(`/api/v1/cases/${no}/actions/transfer`,
      { lead_unit: U['dl-cgj'], co_units: [U['dl-zjj']], comment: `${INTERNAL}：请依法处理` }, { ifMatch: 1 });
    const c = expectStatus(r);
    assert.equal(c.state, 'dispatched');
    assert.equal(c.version, 2);
    assert.equal(r.headers.get('etag'), '"2"');
    assert.equal(c.holder_unit.id, U['dl-cgj']);
    assert.equal(c.lead_unit.id, U['dl-cgj']);
    assert.equal(c.dispatch_unit.id, U['dl-xfj']);
    assert.deepEqual(c.co_units.map((u) => u.id), [U['dl-zjj']]);
    assert.deepEqual(c.actions, [], 'the bureau no longer acts on it');
    const view = await step();
    assert.equal(view.state, 'dispatched');
    const units = await ctx.units();
    assert.ok(view.timeline.at(-1).text.includes(units['dl-cgj'].name), 'the portal names the handling unit');
  });

  it('dl-cgj.handler accepts (R22 art. 23)', async () => {
    const h = await who('dl-cgj.handler');
    const before = await h.getCase(no);
    assert.deepEqual(before.actions.map((a) => a.action).sort(), ['accept', 'return']);
    const c = await h.acted(no, 'accept', { comment: `${INTERNAL}：已接收` });
    assert.equal(c.state, 'accepted');
    assert.equal(c.holder_unit.id, U['dl-cgj']);
    assert.ok(c.accepted_at);
    const view = await step();
    assert.equal(view.state, 'accepted');
    assert.ok(view.timeline.at(-1).text.includes('已受理'));
  });

  it('the handler asks for a 20-day extension; the petitioner does not see the request (R22 art. 34)', async () => {
    const h = await who('dl-cgj.handler');
    const c = await h.acted(no, 'request_extension', { days: 20, reason: EXT_REASON, comment: `${INTERNAL}：延期` });
    assert.equal(c.state, 'accepted');
    assert.equal(c.extension, 'pending');
    assert.equal(c.extension_days, 20);
    const head = await who('dl-cgj.unit_head');
    assert.deepEqual((await head.getCase(no)).actions.map((a) => a.action).sort(), ['approve_extension', 'deny_extension']);
    const view = await step();
    assertPublicClean(view, [EXT_REASON]);
    assert.equal(view.timeline.length, publicLog.at(-2).timeline.length, 'an internal request adds no public line');
  });

  it('dl-cgj.unit_head approves the extension; the petitioner is told the new limit and why', async () => {
    const head = await who('dl-cgj.unit_head');
    const due0 = (await head.getCase(no)).due_at;
    const c = await head.acted(no, 'approve_extension');
    assert.equal(c.extension, 'approved');
    assert.equal(Date.parse(c.due_at) - Date.parse(due0), 20 * 86400 * 1000, 'due date moves by 20 days');
    const view = await step();
    const last = view.timeline.at(-1).text;
    assert.ok(last.includes('20'), `new limit told: ${last}`);
    assert.ok(last.includes(EXT_REASON), `reason told after approval (R22 art. 34): ${last}`);
  });

  it('the handler replies with outcome, facts, opinion, legal basis, delivery signed (R22 art. 32; seed 004 art. 10(5)); not yet public', async () => {
    const h = await who('dl-cgj.handler');
    const c = await h.acted(no, 'reply', replyBody({ comment: `${INTERNAL}：请审核` }));
    assert.equal(c.state, 'replied');
    assert.equal(c.holder_unit.id, U['dl-xfj'], 'the reply goes back to the dispatching bureau');
    assert.equal(c.reply.outcome, 'support');
    assert.equal(c.reply.legal_basis, replyBody().legal_basis);
    const view = await step();
    assert.equal(view.state, 'replied');
    assert.equal(view.reply, null, 'no reply before the bureau approves it');
    assertPublicClean(view, [replyBody().facts, replyBody().opinion]);
  });

  it('dl-xfj.dispatcher approves the reply: closed; the reply is public with the review deadline', async () => {
    const disp = await who('dl-xfj.dispatcher');
    assert.deepEqual((await disp.getCase(no)).actions.map((a) => a.action).sort(), ['approve', 'send_back']);
    const c = await disp.acted(no, 'approve');
    assert.equal(c.state, 'closed');
    assert.equal(c.state_label, '已办结');
    assert.ok(c.closed_at);
    const view = await step();
    assert.equal(view.state, 'closed');
    assert.deepEqual(view.reply, {
      outcome: 'support', outcome_label: '予以支持',
      facts: replyBody().facts, opinion: replyBody().opinion, legal_basis: replyBody().legal_basis,
    });
    assert.match(view.review_deadline, /^\d{4}-\d\d-\d\d$/);
    const closed = new Date(Date.parse(c.closed_at) + 8 * 3600e3).toISOString().slice(0, 10);
    const expect = new Date(Date.parse(`${closed}T00:00:00Z`) + 30 * 86400e3).toISOString().slice(0, 10);
    assert.equal(view.review_deadline, expect, 'R22 art. 35: 30 days, start day not counted');
    assert.deepEqual(view.can, { rate: true, request_review: true, request_recheck: false });
  });

  it('the petitioner rates the handling once (国信发〔2014〕16号)', async () => {
    const r = await ctx.publicAct(no, 'rate', code, { satisfaction: 'unsatisfied' });
    const view = expectStatus(r);
    assert.equal(view.satisfaction, 'unsatisfied');
    assert.equal(view.can.rate, false);
    assert.ok(view.timeline.at(-1).text.includes('不满意'));
    await step();
    const snap = await snapshot(await ctx.login('hlj-xfj.dispatcher'), no);
    expectError(await ctx.publicAct(no, 'rate', code, { satisfaction: 'satisfied' }), 409, 'flow.already_rated');
    expectError(await ctx.publicAct(no, 'rate', code, {}), 400, 'validation.required', 'satisfaction');
    expectError(await ctx.publicAct(no, 'rate', 'WRONGCD2', { satisfaction: 'fair' }), 404, 'case.not_found');
    await assertUnchanged(await ctx.login('hlj-xfj.dispatcher'), no, snap);
  });

  it('the petitioner asks for review: it goes to hrb-xfj, one level up (R22 art. 35)', async () => {
    const r = await ctx.publicAct(no, 'request_review', code, { reason: '工资仍未结清' });
    const view = expectStatus(r);
    assert.equal(view.state, 'review');
    const units = await ctx.units();
    assert.ok(view.timeline.at(-1).text.includes(units['hrb-xfj'].name));
    assert.deepEqual(view.can, { rate: false, request_review: false, request_recheck: false });
    const c = await (await who('hrb-xfj.reviewer')).getCase(no);
    assert.equal(c.state, 'review');
    assert.equal(c.holder_unit.id, U['hrb-xfj']);
    assert.equal(c.review_unit.id, U['hrb-xfj']);
    assert.deepEqual(c.actions.map((a) => a.action), ['decide_review', 'start_hearing']);
    await step();
  });

  it('hrb-xfj.reviewer decides the review (a day later); the petitioner sees the review opinion', async () => {
    await ctx.restart({ now: T0 + DAY });
    const rev = await who('hrb-xfj.reviewer');
    const c = await rev.acted(no, 'decide_review', decisionBody());
    assert.equal(c.state, 'closed');
    assert.equal(c.stage, 1);
    assert.equal(c.review_decision.opinion, decisionBody().opinion);
    const view = await step();
    assert.equal(view.review_decision.outcome_label, '解释说明');
    assert.deepEqual(view.can, { rate: true, request_review: false, request_recheck: true });
    const snap = await snapshot(rev, no);
    expectError(await ctx.publicAct(no, 'request_review', code), 409, 'flow.review_done');
    await assertUnchanged(rev, no, snap);
  });

  it('the petitioner asks for recheck: it goes to hlj-xfj (R22 art. 35)', async () => {
    const view = expectStatus(await ctx.publicAct(no, 'request_recheck', code, {}));
    assert.equal(view.state, 'recheck');
    const c = await (await who('hlj-xfj.reviewer')).getCase(no);
    assert.equal(c.holder_unit.id, U['hlj-xfj']);
    assert.equal(c.recheck_unit.id, U['hlj-xfj']);
    await step();
  });

  it('hlj-xfj.reviewer decides the recheck (a day later): concluded for good (R22 art. 36)', async () => {
    await ctx.restart({ now: T0 + 2 * DAY });
    const rev = await who('hlj-xfj.reviewer');
    const c = await rev.acted(no, 'decide_recheck', decisionBody({ outcome: 'deny', opinion: '复核维持，不予支持。' }));
    assert.equal(c.state, 'concluded');
    assert.equal(c.stage, 2);
    assert.deepEqual(c.actions, []);
    const view = await step();
    assert.equal(view.state, 'concluded');
    assert.equal(view.recheck_decision.outcome_label, '不予支持');
    assert.ok(view.timeline.at(-1).text.includes('终结'));
    assert.equal(view.can.request_review, false);
    assert.equal(view.can.request_recheck, false);
    const snap = await snapshot(rev, no);
    expectError(await ctx.publicAct(no, 'request_recheck', code), 409, 'flow.invalid_transition');
    await assertUnchanged(rev, no, snap);
  });

  it('the events list: actor, unit, from/to state of every step, seq 1..n, append-only', async () => {
    const reader = await ctx.login('hlj-xfj.dispatcher');
    const events = await reader.events(no);
    const name = (u) => nameOf.get(u);
    const expected = [
      ['register', 'none', 'registered', 'dl-xfj.registrar', 'dl-xfj'],
      ['transfer', 'registered', 'dispatched', 'dl-xfj.dispatcher', 'dl-xfj'],
      ['accept', 'dispatched', 'accepted', 'dl-cgj.handler', 'dl-cgj'],
      ['request_extension', 'accepted', 'accepted', 'dl-cgj.handler', 'dl-cgj'],
      ['approve_extension', 'accepted', 'accepted', 'dl-cgj.unit_head', 'dl-cgj'],
      ['reply', 'accepted', 'replied', 'dl-cgj.handler', 'dl-cgj'],
      ['approve', 'replied', 'closed', 'dl-xfj.dispatcher', 'dl-xfj'],
      ['rate', 'closed', 'closed', null, null],
      ['request_review', 'closed', 'review', null, null],
      ['decide_review', 'review', 'closed', 'hrb-xfj.reviewer', 'hrb-xfj'],
      ['request_recheck', 'closed', 'recheck', null, null],
      ['decide_recheck', 'recheck', 'concluded', 'hlj-xfj.reviewer', 'hlj-xfj'],
    ];
    assert.equal(events.length, expected.length, JSON.stringify(events.map((e) => e.action)));
    expected.forEach(([action, from, to, user, unit], i) => {
      const e = events[i];
      const where = `event ${i + 1} ${JSON.stringify(e)}`;
      assert.equal(e.seq, i + 1, where);
      assert.equal(e.action, action, where);
      assert.equal(e.from_state, from, where);
      assert.equal(e.to_state, to, where);
      if (user) {
        assert.equal(e.actor_kind, 'staff', where);
        assert.equal(e.actor_name, name(user), where);
        assert.equal(e.actor_unit_id, U[unit], where);
        assert.ok(e.actor_unit_name, where);
      } else {
        assert.equal(e.actor_kind, 'petitioner', where);
        assert.equal(e.actor_name ?? null, null, where);
        assert.equal(e.actor_unit_id ?? null, null, where);
      }
      if (i) assert.ok(when(e.at) >= when(events[i - 1].at), 'events in time order');
      assert.ok(!('query_hash' in (e.payload || {})), 'the query hash never leaves the server');
    });
    assert.equal(events[1].payload.lead_unit_id, U['dl-cgj']);
    assert.deepEqual(events[1].payload.co_unit_ids, [U['dl-zjj']]);
    assert.equal(events[3].payload.days, 20);
    assert.equal(events[5].payload.outcome, 'support');
    // append-only: every earlier reading is a prefix of the final log
    for (const earlier of eventLog) assert.deepEqual(earlier, events.slice(0, earlier.length));
    // the case's version is the number of events
    assert.equal((await reader.getCase(no)).version, events.length);
    // the clock: staff steps at T0, the review decision a day later, the recheck two
    assert.equal(when(events[0].at), T0 * 1000);
    assert.equal(when(events[9].at), (T0 + DAY) * 1000);
    assert.equal(when(events[11].at), (T0 + 2 * DAY) * 1000);
  });

  it('event times are ISO 8601 in +08:00 like every other time (docs/API.md "Conventions")', async () => {
    const events = await (await ctx.login('hlj-xfj.dispatcher')).events(no);
    for (const e of events) assert.match(String(e.at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  });

  it('a new petition on the concluded matter is declined with repeat_of (R22 art. 36: 不再受理)', async () => {
    const reg = await who('dl-xfj.registrar');
    const again = await reg.registered({ title: '再次反映拖欠工资问题', repeat_of: no });
    assert.deepEqual(again.case.relations, [{ rel: 'repeat_of', no }]);
    const disp = await who('dl-xfj.dispatcher');
    const c = await disp.acted(again.no, 'decline', { reason: '该事项已经复核终结', repeat_of: no });
    assert.equal(c.state, 'declined');
    assert.equal(c.state_label, '不再受理');
    assert.deepEqual(c.actions, []);
    const ev = await disp.events(again.no);
    assert.deepEqual(ev.map((e) => [e.action, e.from_state, e.to_state]),
      [['register', 'none', 'registered'], ['decline', 'registered', 'declined']]);
    const view = await ctx.publicView(again.no, again.code);
    assert.equal(view.state, 'declined');
    assert.ok(view.timeline.at(-1).text.includes('不再受理'));
    assertPublicClean(view);
    // the concluded case itself is untouched by the new petition
    assert.equal((await disp.getCase(no)).version, 12);
  });
});

describe('other triage paths (R22 art. 22)', () => {
  let U;
  before(async () => {
    U = {};
    for (const c of ['dl-xfj', 'dl-cgj', 'dl-zjj']) U[c] = await ctx.unitId(c);
    for (const u of ['dl-xfj.registrar', 'dl-xfj.dispatcher', 'dl-cgj.handler', 'dl-cgj.unit_head', 'dl-zjj.handler']) await who(u);
  });

  it('assign with a deadline (交办, due_days); the due date follows it', async () => {
    const { no, code } = await newCase(ctx);
    const disp = await who('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await disp.act(no, 'assign', { lead_unit: U['dl-zjj'] }), 400, 'validation.required', 'due_days');
    expectError(await disp.act(no, 'assign', { lead_unit: U['dl-zjj'], due_days: 91 }), 400, 'validation.invalid', 'due_days');
    expectError(await disp.act(no, 'assign', { due_days: 10 }), 400, 'validation.required', 'lead_unit');
    expectError(await disp.act(no, 'assign', { lead_unit: 999999, due_days: 10 }), 422, 'validation.unknown_unit', 'lead_unit');
    await assertUnchanged(disp, no, snap);
    const c = await disp.acted(no, 'assign', { lead_unit: U['dl-zjj'], due_days: 10 });
    assert.equal(c.state, 'dispatched');
    assert.equal(c.dispatch_mode, 'assign');
    assert.equal(c.assign_due_days, 10);
    assert.equal(c.holder_unit.id, U['dl-zjj']);
    // the unit must tell the petitioner within 15 days whether it accepts (R22 art. 23);
    // the case's due time is its nearest running obligation
    const accept = c.clocks.find((k) => k.name === 'accept');
    assert.equal(accept.state, 'running');
    assert.equal(accept.limit, '15 days');
    assert.equal(c.due_at, accept.due);
    const view = await ctx.publicView(no, code);
    assert.ok(view.timeline.at(-1).text.startsWith('已交办'));
    assertPublicClean(view);
    const h = await who('dl-zjj.handler');
    const a = await h.acted(no, 'accept');
    assert.equal(a.state, 'accepted');
    // the assignment's deadline is the handling period (R22 art. 22: 交办 with a deadline)
    const handle = a.clocks.find((k) => k.name === 'handle');
    assert.equal(handle.limit, '10 days');
    assert.equal(a.clocks.find((k) => k.name === 'accept').state, 'stopped');
  });

  it('self_handle: the bureau handles it itself (自办) and holds it', async () => {
    const { no, code } = await newCase(ctx);
    const disp = await who('dl-xfj.dispatcher');
    const c = await disp.acted(no, 'self_handle');
    assert.equal(c.state, 'accepted');
    assert.equal(c.holder_unit.id, U['dl-xfj']);
    assert.equal(c.lead_unit.id, U['dl-xfj']);
    assert.equal(c.dispatch_mode, 'self');
    const view = await ctx.publicView(no, code);
    assert.equal(view.state, 'accepted');
    assert.ok(view.timeline.at(-1).text.includes('已受理'));
  });

  it('a self-handled case can be answered by the bureau itself (自办 → reply → approve)', async () => {
    const { no } = await newCase(ctx);
    await (await who('dl-xfj.dispatcher')).acted(no, 'self_handle');
    const offered = {};
    for (const username of ctx.demoUsers.keys()) {
      if (!username.startsWith('dl-xfj.')) continue;
      offered[username] = (await (await ctx.login(username)).getCase(no)).actions.map((a) => a.action);
    }
    assert.ok(Object.values(offered).some((a) => a.includes('reply')), `actions offered at dl-xfj: ${JSON.stringify(offered)}`);
  });

  it('transfer to one\'s own unit is refused: use self_handle', async () => {
    const { no } = await newCase(ctx);
    const disp = await who('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await disp.act(no, 'transfer', { lead_unit: U['dl-xfj'] }), 422, 'flow.transfer_to_self', 'lead_unit');
    expectError(await disp.act(no, 'transfer', { lead_unit: U['dl-cgj'], co_units: [U['dl-cgj']] }), 400, 'validation.invalid', 'co_units');
    await assertUnchanged(disp, no, snap);
  });

  it('reject needs a reason and the statutory route; the portal tells the route (R22 art. 31)', async () => {
    const { no, code } = await newCase(ctx, { title: '对法院判决不服', category: '1002' });
    const disp = await who('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await disp.act(no, 'reject', { route: 'litigation' }), 400, 'validation.required', 'reason');
    expectError(await disp.act(no, 'reject', { reason: '属诉讼事项' }), 400, 'validation.required', 'route');
    expectError(await disp.act(no, 'reject', { reason: '属诉讼事项', route: 'court' }), 422, 'validation.unknown_code', 'route');
    expectError(await disp.act(no, 'reject', { reason: '　 ', route: 'litigation' }), 400, 'validation.required', 'reason');
    await assertUnchanged(disp, no, snap);
    const c = await disp.acted(no, 'reject', { reason: '该事项已进入诉讼程序', route: 'litigation', comment: `${INTERNAL}：x` });
    assert.equal(c.state, 'rejected');
    assert.equal(c.route, 'litigation');
    assert.equal(c.ended_reason, '该事项已进入诉讼程序');
    const view = await ctx.publicView(no, code);
    assert.equal(view.state, 'rejected');
    const last = view.timeline.at(-1).text;
    assert.ok(last.includes('该事项已进入诉讼程序') && last.includes('诉讼'), `route told: ${last}`);
    assertPublicClean(view);
    expectError(await disp.act(no, 'transfer', { lead_unit: U['dl-cgj'] }), 409, 'flow.invalid_transition');
  });

  it('archive needs a reason (存档)', async () => {
    const { no } = await newCase(ctx);
    const disp = await who('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await disp.act(no, 'archive', {}), 400, 'validation.required', 'reason');
    await assertUnchanged(disp, no, snap);
    const c = await disp.acted(no, 'archive', { reason: '内容为咨询，已当场解答' });
    assert.equal(c.state, 'archived');
    assert.deepEqual(c.actions, []);
  });

  it('merge into another case: relations on both (并案)', async () => {
    const a = await newCase(ctx);
    const b = await newCase(ctx);
    const disp = await who('dl-xfj.dispatcher');
    const snap = await snapshot(disp, a.no);
    expectError(await disp.act(a.no, 'merge', {}), 400, 'validation.required', 'into');
    expectError(await disp.act(a.no, 'merge', { into: a.no }), 400, 'validation.invalid', 'into');
    expectError(await disp.act(a.no, 'merge', { into: 'XF2099010199999' }), 404, 'case.not_found', 'into');
    // a case of another city is out of scope: as if it did not exist
    const elsewhere = await (await ctx.login('qqhr-xfj.registrar')).registered({ locality: '230200' });
    expectError(await disp.act(a.no, 'merge', { into: elsewhere.no }), 404, 'case.not_found', 'into');
    await assertUnchanged(disp, a.no, snap);
    const c = await disp.acted(a.no, 'merge', { into: b.no, reason: '同一事项' });
    assert.equal(c.state, 'merged');
    assert.equal(c.merged_into, b.no);
    assert.deepEqual(c.relations, [{ rel: 'merged_into', no: b.no }]);
    const target = await disp.getCase(b.no);
    assert.deepEqual(target.relations, [{ rel: 'merged_from', no: a.no }]);
    assert.equal(target.state, 'registered', 'the target goes on');
    assert.equal(target.version, 1, 'the target gets no event of its own');
    const view = await ctx.publicView(a.no, a.code);
    assert.ok(view.timeline.at(-1).text.includes(b.no));
    // a merged case can no longer be a merge target
    const d = await newCase(ctx);
    const snapD = await snapshot(disp, d.no);
    expectError(await disp.act(d.no, 'merge', { into: a.no }), 422, 'flow.merge_target_closed', 'into');
    await assertUnchanged(disp, d.no, snapD);
  });

  it('the handler returns a case with reasons: back to registered at dl-xfj (R22 art. 23; seed 000 art. 14-15)', async () => {
    const { no, code } = await newCase(ctx);
    await transfer(ctx, no, 'dl-cgj', ['dl-zjj']);
    const h = await who('dl-cgj.handler');
    const snap = await snapshot(h, no);
    expectError(await h.act(no, 'return', {}), 400, 'validation.required', 'reason');
    expectError(await h.act(no, 'return', { reason: '   ' }), 400, 'validation.required', 'reason');
    await assertUnchanged(h, no, snap);
    const c = await h.acted(no, 'return', { reason: '该事项属住建部门职责，不属本单位' });
    assert.equal(c.state, 'registered');
    assert.equal(c.holder_unit.id, U['dl-xfj']);
    assert.equal(c.lead_unit, null);
    assert.deepEqual(c.co_units, []);
    assert.deepEqual(c.actions, [], 'the returning unit has nothing more to do');
    const disp = await who('dl-xfj.dispatcher');
    const again = await disp.getCase(no);
    assert.ok(again.actions.some((a) => a.action === 'transfer'));
    const ev = await disp.events(no);
    assert.deepEqual(ev.at(-1).payload.reason, '该事项属住建部门职责，不属本单位');
    assert.equal(ev.at(-1).from_state, 'dispatched');
    assert.equal(ev.at(-1).to_state, 'registered');
    const view = await ctx.publicView(no, code);
    assert.equal(view.state, 'registered');
    assertPublicClean(view, ['不属本单位']);
    const c2 = await disp.acted(no, 'transfer', { lead_unit: U['dl-zjj'] });
    assert.equal(c2.holder_unit.id, U['dl-zjj']);
  });

  it('the bureau sends an incomplete reply back: accepted again at dl-cgj (seed 004 art. 10(5))', async () => {
    const { no, code } = await newCase(ctx);
    await toReplied(ctx, no);
    const disp = await who('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await disp.act(no, 'send_back', {}), 400, 'validation.required', 'reason');
    await assertUnchanged(disp, no, snap);
    const c = await disp.acted(no, 'send_back', { reason: '法律依据引用不准确，请重新答复' });
    assert.equal(c.state, 'accepted');
    assert.equal(c.holder_unit.id, U['dl-cgj']);
    const h = await who('dl-cgj.handler');
    assert.ok((await h.getCase(no)).actions.some((a) => a.action === 'reply'));
    const view = await ctx.publicView(no, code);
    assert.equal(view.reply, null);
    assertPublicClean(view, ['法律依据引用不准确', replyBody().facts]);
    await h.acted(no, 'reply', replyBody({ legal_basis: '《保障农民工工资支付条例》第三十条' }));
    const closed = await disp.acted(no, 'approve');
    assert.equal(closed.state, 'closed');
    assert.equal(closed.reply.legal_basis, '《保障农民工工资支付条例》第三十条');
    assert.equal((await ctx.publicView(no, code)).reply.legal_basis, '《保障农民工工资支付条例》第三十条');
  });

  it('a reply lacks nothing: outcome, facts, opinion, legal basis, delivery; a refusal needs a witness', async () => {
    const { no } = await newCase(ctx);
    await toAccepted(ctx, no);
    const h = await who('dl-cgj.handler');
    const snap = await snapshot(h, no);
    for (const f of ['outcome', 'facts', 'opinion', 'legal_basis', 'delivery']) {
      const body = replyBody();
      delete body[f];
      expectError(await h.act(no, 'reply', body), 400, 'validation.required', f);
    }
    expectError(await h.act(no, 'reply', replyBody({ outcome: 'maybe' })), 422, 'validation.unknown_code', 'outcome');
    expectError(await h.act(no, 'reply', replyBody({ delivery: 'refused' })), 400, 'validation.required', 'witness');
    await assertUnchanged(h, no, snap);
    const c = await h.acted(no, 'reply', replyBody({ delivery: 'refused', witness: '社区网格员李红' }));
    assert.equal(c.state, 'replied');
    assert.equal(c.reply.witness, '社区网格员李红');
  });

  it('the unit head denies an extension with a reason; the petitioner is not told the request', async () => {
    const { no, code } = await newCase(ctx);
    await toAccepted(ctx, no);
    const h = await who('dl-cgj.handler');
    await h.acted(no, 'request_extension', { days: 10, reason: '需要现场核查，乙丁戊' });
    const head = await who('dl-cgj.unit_head');
    const snap = await snapshot(head, no);
    expectError(await head.act(no, 'deny_extension', {}), 400, 'validation.required', 'reason');
    await assertUnchanged(head, no, snap);
    const c = await head.acted(no, 'deny_extension', { reason: '按期办结' });
    assert.equal(c.extension, 'denied');
    assert.equal(c.state, 'accepted');
    assert.deepEqual(c.actions, [], 'nothing left for the unit head');
    const hc = await h.getCase(no);
    assert.ok(!hc.actions.some((a) => a.action === 'request_extension'), 'no second request offered');
    const view = await ctx.publicView(no, code);
    assertPublicClean(view, ['需要现场核查，乙丁戊', '按期办结']);
    const snap2 = await snapshot(head, no);
    expectError(await head.act(no, 'approve_extension', {}), 409, 'flow.no_extension_pending');
    await assertUnchanged(head, no, snap2);
  });
});

describe('the petitioner portal (R22 art. 17, 21)', () => {
  it('submits online: registered at the bureau of the locality, followed with the query code', async () => {
    const body = caseBody({ title: '建议增加公交线路', kind: 'proposal', purpose: 'suggest', category: '0802' });
    delete body.channel;
    const r = await ctx.publicSubmit(body);
    const out = expectStatus(r, 201);
    assert.equal(out.case.state, 'registered');
    assert.equal(out.case.channel, 'online');
    assert.match(out.query_code, /^[A-HJ-NP-Z2-9]{8}$/);
    assert.ok(!('petitioners' in out.case));
    const staff = await who('dl-xfj.dispatcher');
    const c = await staff.getCase(out.case.no);
    assert.equal(c.registered_unit.id, await ctx.unitId('dl-xfj'));
    assert.equal(c.channel, 'online');
    const ev = await staff.events(out.case.no);
    assert.equal(ev[0].actor_kind, 'petitioner');
    const view = await ctx.publicView(out.case.no, out.query_code);
    assert.equal(view.no, out.case.no);
    expectError(await ctx.publicQuery(out.case.no, 'ABCDEFGH'), 404, 'case.not_found');
    expectError(await ctx.publicQuery('XF2099010100001', out.query_code), 404, 'case.not_found');
    expectError(await ctx.publicQuery(out.case.no, null), 404, 'case.not_found');
    // a county without its own bureau goes to the city's
    const b2 = caseBody({ locality: '230103' });
    delete b2.channel;
    const r2 = expectStatus(await ctx.publicSubmit(b2), 201);
    const c2 = await (await who('hrb-xfj.dispatcher')).getCase(r2.case.no);
    assert.equal(c2.registered_unit.id, await ctx.unitId('hrb-xfj'));
    // only the online channel on the portal
    expectError(await ctx.publicSubmit(caseBody({ channel: 'visit' })), 400, 'validation.invalid', 'channel');
  });

  it('an unknown portal action is 404; staff actions are not open to the petitioner', async () => {
    const { no, code } = await newCase(ctx);
    const disp = await who('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await ctx.publicAct(no, 'transfer', code, { lead_unit: 1 }), 404, 'flow.unknown_action');
    expectError(await ctx.publicAct(no, 'fly', code), 404, 'flow.unknown_action');
    expectError(await ctx.publicAct(no, 'request_review', code), 409, 'flow.invalid_transition');
    expectError(await ctx.publicAct(no, 'rate', code, { satisfaction: 'satisfied' }), 409, 'flow.invalid_transition');
    await assertUnchanged(disp, no, snap);
  });
});
