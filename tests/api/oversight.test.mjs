// oversight.test.mjs - the manual oversight actions on a case: 催办 (remind) and
// 督办 (supervise) by a supervising petition department (R22 art. 38-40; seed
// 002: 交办督办专班), 批示 (instruct) and 包案 (take_ownership /
// release_ownership, "一包到底") by leaders (seeds 003 §七, 004 art. 12). They
// are side records (DESIGN.md section 3): the state, the holder and the clocks
// stay; each is a case event (GET …/events, audit `case.<action>`), shown on
// the case as `oversight` and `owner`, and offered in `actions` exactly when the
// server accepts it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, epoch, expectError, expectStatus, snapshot, assertUnchanged, caseBody, newCase, transfer,
  toClosed, runCli,
} from './helpers.mjs';

const T0 = epoch('2026-03-02T10:00:00+08:00'); // a Monday
const OVERSIGHT = ['remind', 'supervise', 'instruct', 'take_ownership', 'release_ownership'];
let ctx;
const U = {};
before(async () => {
  ctx = await setup({ now: T0 });
  for (const c of ['dl-xfj', 'dl-cgj', 'dl-zjj', 'hrb-xfj', 'hlj-xfj']) U[c] = await ctx.unitId(c);
});
after(async () => { await ctx?.close(); });

const offered = (c) => c.actions.map((a) => a.action);
const name = (username) => ctx.demoUsers.get(username);

describe('催办 and 督办 by a supervising petition department (R22 art. 38-40; seed 002)', () => {
  it('the county supervisor reminds and supervises a dispatched case held by the handling unit; state and holder stay', async () => {
    const { no } = await newCase(ctx);
    await transfer(ctx, no, 'dl-cgj');
    const sup = await ctx.login('dl-xfj.supervisor');
    const before = await sup.getCase(no);
    assert.equal(before.state, 'dispatched');
    assert.equal(before.holder_unit.id, U['dl-cgj']);
    assert.ok(offered(before).includes('remind') && offered(before).includes('supervise'), offered(before).join());
    assert.ok(!offered(before).includes('instruct') && !offered(before).includes('take_ownership'), 'leaders only');
    assert.deepEqual(before.oversight, []);
    assert.equal(before.owner, null);

    const r = await sup.acted(no, 'remind', { reason: '请于三日内书面告知信访人是否受理', comment: '电话催办' });
    assert.equal(r.state, 'dispatched');
    assert.equal(r.holder_unit.id, U['dl-cgj']);
    assert.equal(r.version, before.version + 1);
    assert.deepEqual(r.clocks.map((k) => [k.name, k.state, k.due]), before.clocks.map((k) => [k.name, k.state, k.due]),
      'a reminder moves no clock');

    // seed 002: the feedback expected in 5 days; 03-07 is a Saturday, so the last day moves to Monday 03-09
    const s = await sup.acted(no, 'supervise', { reason: '群众多次来访，请加快办理并书面反馈办理情况', due_days: 5 });
    assert.equal(s.state, 'dispatched');
    assert.equal(s.holder_unit.id, U['dl-cgj']);
    assert.equal(s.version, before.version + 2);
    const due = expectStatus(await sup.get('/api/v1/calendar/due?start=2026-03-02T10:00&amount=5&unit=days'));
    assert.equal(due.deadline, '2026-03-10T00:00:00+08:00');

    // newest first
    assert.deepEqual(s.oversight.map((o) => o.action), ['supervise', 'remind']);
    const [so, ro] = s.oversight;
    assert.equal(so.action_label, '督办');
    assert.equal(so.at, '2026-03-02T10:00:00+08:00');
    assert.equal(so.actor_name, name('dl-xfj.supervisor'));
    assert.equal(so.actor_unit_name, '道里区信访局');
    assert.deepEqual(so.to_unit, { id: U['dl-cgj'], name: '道里区城市管理局' });
    assert.equal(so.reason, '群众多次来访，请加快办理并书面反馈办理情况');
    assert.equal(so.due_days, 5);
    assert.equal(so.due_at, due.deadline);
    assert.equal(so.opinion, null);
    assert.equal(ro.action_label, '催办');
    assert.deepEqual(ro.to_unit, { id: U['dl-cgj'], name: '道里区城市管理局' });
    assert.equal(ro.reason, '请于三日内书面告知信访人是否受理');
    assert.equal(ro.comment, '电话催办');
    assert.equal(ro.due_at, null);

    // case events: from_state = to_state, the unit it went to recorded
    const ev = await sup.events(no);
    const [e1, e2] = ev.slice(-2);
    assert.deepEqual([e1.action, e1.from_state, e1.to_state], ['remind', 'dispatched', 'dispatched']);
    assert.deepEqual([e2.action, e2.from_state, e2.to_state], ['supervise', 'dispatched', 'dispatched']);
    assert.equal(e1.payload.to_unit_id, U['dl-cgj']);
    assert.equal(e2.payload.to_unit_id, U['dl-cgj']);
    assert.equal(e2.payload.due_days, 5);
    assert.equal(e2.payload.due_at, so.due_at, 'times in the history are ISO 8601, like everywhere else');
    assert.equal(e1.payload.holder_unit_id, undefined, 'the holder does not move');

    // the unit reminded sees it on the case, and still has its own work to do
    const h = await (await ctx.login('dl-cgj.handler')).getCase(no);
    assert.deepEqual(h.oversight.map((o) => o.action), ['supervise', 'remind']);
    assert.ok(offered(h).includes('accept'));
    assert.ok(!offered(h).some((a) => OVERSIGHT.includes(a)), offered(h).join());
    // and the city bureau above sees it too
    const city = await (await ctx.login('hrb-xfj.supervisor')).getCase(no);
    assert.equal(city.oversight.length, 2);

    // audit: one case.<action> row each (三员: the auditor reads it)
    const rows = expectStatus(await (await ctx.login('hlj-xfj.auditor')).get('/api/v1/audit?limit=50')).items
      .filter((x) => x.object === no);
    for (const a of ['case.remind', 'case.supervise']) {
      const row = rows.find((x) => x.action === a);
      assert.ok(row, `audit row ${a}`);
      assert.equal(row.actor, 'dl-xfj.supervisor');
      assert.equal(row.result, 'ok');
      assert.match(row.detail, /^sm3:[0-9a-f]{64}/);
    }
  });

  it('a registered case held by the bureau itself may be reminded, but oversight never fills the to-do list', async () => {
    const { no } = await newCase(ctx);
    const sup = await ctx.login('dl-xfj.supervisor');
    assert.ok(offered(await sup.getCase(no)).includes('remind'));
    const r = await sup.acted(no, 'remind', { reason: '请在法定期限内甄别分办' });
    assert.deepEqual(r.oversight[0].to_unit, { id: U['dl-xfj'], name: '道里区信访局' });
    assert.equal(r.state, 'registered');
    const todo = expectStatus(await sup.todo()).items.map((i) => i.no);
    assert.ok(!todo.includes(no), 'an oversight action is not work waiting for the supervisor');
    const leader = await ctx.login('hrb-xfj.leader');
    assert.deepEqual(expectStatus(await leader.todo()).items, [], 'nor for a leader');
    assert.ok(expectStatus(await (await ctx.login('dl-xfj.dispatcher')).todo()).items.some((i) => i.no === no),
      'the dispatcher still has it to triage');
  });

  it('a handler (and a dispatcher) may not: 403 auth.role_denied, not offered, nothing changes', async () => {
    const { no } = await newCase(ctx);
    await transfer(ctx, no, 'dl-cgj');
    const handler = await ctx.login('dl-cgj.handler');
    const obs = await ctx.login('dl-xfj.supervisor');
    const snap = await snapshot(obs, no);
    assert.ok(!offered(await handler.getCase(no)).includes('remind'));
    expectError(await handler.act(no, 'remind', { reason: '催' }), 403, 'auth.role_denied', 'action');
    expectError(await handler.act(no, 'supervise', { reason: '督' }), 403, 'auth.role_denied', 'action');
    expectError(await handler.act(no, 'instruct', { opinion: '批' }), 403, 'auth.role_denied', 'action');
    expectError(await handler.act(no, 'take_ownership', {}), 403, 'auth.role_denied', 'action');
    const disp = await ctx.login('dl-xfj.dispatcher');
    assert.ok(!offered(await disp.getCase(no)).includes('supervise'));
    expectError(await disp.act(no, 'supervise', { reason: '督' }), 403, 'auth.role_denied', 'action');
    // a supervisor may not instruct or own: leaders do (seed 004 art. 12)
    expectError(await obs.act(no, 'instruct', { opinion: '批' }), 403, 'auth.role_denied', 'action');
    expectError(await obs.act(no, 'take_ownership', {}), 403, 'auth.role_denied', 'action');
    await assertUnchanged(obs, no, snap);
  });

  it('not on a closed case (R22 art. 38: while it is handled or reviewed): 409, not offered; 三项建议 still is', async () => {
    const { no } = await newCase(ctx);
    await toClosed(ctx, no);
    const sup = await ctx.login('dl-xfj.supervisor');
    const snap = await snapshot(sup, no);
    const acts = offered(snap.case);
    assert.ok(!acts.includes('remind') && !acts.includes('supervise'), acts.join());
    assert.ok(acts.includes('suggest'), acts.join());
    expectError(await sup.act(no, 'remind', { reason: '催' }), 409, 'flow.invalid_transition', 'action');
    expectError(await sup.act(no, 'supervise', { reason: '督' }), 409, 'flow.invalid_transition', 'action');
    await assertUnchanged(sup, no, snap);
  });
});

describe('批示 and 包案 by leaders (seeds 003 §七, 004 art. 12: one leader, "一包到底")', () => {
  it('a city leader instructs and takes ownership; the province leader gets 409; the owner releases; then another may take it', async () => {
    const { no } = await newCase(ctx);
    await transfer(ctx, no, 'dl-cgj');
    const city = await ctx.login('hrb-xfj.leader');
    const prov = await ctx.login('hlj-xfj.leader');
    const c0 = await city.getCase(no);
    assert.deepEqual(offered(c0).filter((a) => OVERSIGHT.includes(a)), ['instruct', 'take_ownership']);

    const opinion = '请道里区信访局督促区城管局依法妥善处理，办理结果报市信访局。';
    const i = await city.acted(no, 'instruct', { opinion });
    assert.equal(i.state, 'dispatched');
    assert.equal(i.holder_unit.id, U['dl-cgj']);
    assert.equal(i.version, c0.version + 1);
    assert.equal(i.oversight[0].action, 'instruct');
    assert.equal(i.oversight[0].action_label, '批示');
    assert.equal(i.oversight[0].opinion, opinion);
    assert.equal(i.oversight[0].reason, null);
    assert.equal(i.oversight[0].to_unit, null);
    assert.equal(i.oversight[0].actor_name, name('hrb-xfj.leader'));
    assert.equal(i.oversight[0].actor_unit_name, '哈尔滨市信访局');

    const t = await city.acted(no, 'take_ownership', { reason: '市领导批示件，实行领导包案' });
    assert.equal(t.state, 'dispatched');
    assert.equal(t.holder_unit.id, U['dl-cgj']);
    assert.deepEqual(t.owner, {
      username: 'hrb-xfj.leader', name: name('hrb-xfj.leader'),
      unit: { id: U['hrb-xfj'], name: '哈尔滨市信访局' }, since: '2026-03-02T10:00:00+08:00',
    });
    assert.deepEqual(offered(t).filter((a) => OVERSIGHT.includes(a)), ['instruct', 'release_ownership']);
    assert.equal(t.oversight[0].action, 'take_ownership');
    assert.equal(t.oversight[0].action_label, '包案');
    assert.equal(t.oversight[0].reason, '市领导批示件，实行领导包案');

    // everyone who sees the case sees its owner: the handling unit too
    assert.equal((await (await ctx.login('dl-cgj.handler')).getCase(no)).owner.username, 'hrb-xfj.leader');

    // one owner at a time: the province leader is refused and offered neither
    const snap = await snapshot(city, no);
    assert.deepEqual(offered(await prov.getCase(no)).filter((a) => OVERSIGHT.includes(a)), ['instruct']);
    expectError(await prov.act(no, 'take_ownership', { reason: '省领导包案' }), 409, 'flow.already_owned');
    expectError(await prov.act(no, 'release_ownership', {}), 403, 'case.not_holder');
    expectError(await city.act(no, 'take_ownership', {}), 409, 'flow.already_owned');
    await assertUnchanged(city, no, snap);

    const rel = await city.acted(no, 'release_ownership', { reason: '问题已协调解决' });
    assert.equal(rel.owner, null);
    assert.equal(rel.state, 'dispatched');
    assert.deepEqual(rel.oversight.map((o) => o.action), ['release_ownership', 'take_ownership', 'instruct']);
    assert.equal(rel.oversight[0].action_label, '解除包案');
    assert.deepEqual(offered(rel).filter((a) => OVERSIGHT.includes(a)), ['instruct', 'take_ownership']);
    const snap2 = await snapshot(city, no);
    expectError(await city.act(no, 'release_ownership', {}), 409, 'flow.not_owned');
    await assertUnchanged(city, no, snap2);

    const p = await prov.acted(no, 'take_ownership', {});
    assert.equal(p.owner.username, 'hlj-xfj.leader');
    assert.deepEqual(p.owner.unit, { id: U['hlj-xfj'], name: '黑龙江省信访局' });
    assert.equal(p.oversight[0].reason, null);
    const ev = await city.events(no);
    assert.deepEqual(ev.slice(-4).map((e) => [e.action, e.from_state, e.to_state, e.actor_name]), [
      ['instruct', 'dispatched', 'dispatched', name('hrb-xfj.leader')],
      ['take_ownership', 'dispatched', 'dispatched', name('hrb-xfj.leader')],
      ['release_ownership', 'dispatched', 'dispatched', name('hrb-xfj.leader')],
      ['take_ownership', 'dispatched', 'dispatched', name('hlj-xfj.leader')],
    ]);
    // the handling goes on under the owner; ownership stays through the states (一包到底)
    const acc = await (await ctx.login('dl-cgj.handler')).acted(no, 'accept');
    assert.equal(acc.owner.username, 'hlj-xfj.leader');
  });

  it('an ended case refuses take_ownership (409) but files an instruction (seed 004 art. 10(6))', async () => {
    const { no } = await newCase(ctx);
    await (await ctx.login('dl-xfj.dispatcher')).acted(no, 'reject', { reason: '属于劳动仲裁受理范围', route: 'arbitration' });
    const leader = await ctx.login('hrb-xfj.leader');
    const snap = await snapshot(leader, no);
    assert.equal(snap.state, 'rejected');
    assert.deepEqual(offered(snap.case), [{ action: 'instruct' }].map((a) => a.action));
    expectError(await leader.act(no, 'take_ownership', {}), 409, 'flow.invalid_transition', 'action');
    expectError(await leader.act(no, 'release_ownership', {}), 409, 'flow.not_owned');
    await assertUnchanged(leader, no, snap);
    const i = await leader.acted(no, 'instruct', { opinion: '同意不予受理，请做好解释疏导工作。' });
    assert.equal(i.state, 'rejected');
    assert.equal(i.oversight.length, 1);
    // and no supervision on it
    expectError(await (await ctx.login('dl-xfj.supervisor')).act(no, 'remind', { reason: '催' }), 409, 'flow.invalid_transition');
  });
});

describe('scope and secrecy: a unit that cannot see the case gets 404 (R22 art. 30; docs/API.md "Scope")', () => {
  it('another city, a sibling county: 404 case.not_found for every oversight action', async () => {
    const { no } = await newCase(ctx);
    await transfer(ctx, no, 'dl-cgj');
    const obs = await ctx.login('dl-xfj.supervisor');
    const snap = await snapshot(obs, no);
    const bodies = { remind: { reason: '催' }, supervise: { reason: '督' }, instruct: { opinion: '批' }, take_ownership: {}, release_ownership: {} };
    for (const user of ['qqhr-xfj.leader', 'qqhr-xfj.supervisor', 'bx-xfj.supervisor']) {
      const c = await ctx.login(user);
      expectError(await c.get(`/api/v1/cases/${no}`), 404, 'case.not_found');
      for (const a of OVERSIGHT) {
        expectError(await c.act(no, a, bodies[a], { ifMatch: snap.version }), 404, 'case.not_found');
      }
    }
    await assertUnchanged(obs, no, snap);
  });

  it('an accusation: the accused unit never sees it, nor its instructions and supervision orders', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await reg.registered(caseBody({
      kind: 'accusation', purpose: 'accuse', category: '1101', accused_unit: U['dl-cgj'], accused_name: '张某',
    }));
    await transfer(ctx, no, 'dl-zjj');
    const sup = await ctx.login('dl-xfj.supervisor');
    const s = await sup.acted(no, 'supervise', { reason: '检举件，请依规核查', due_days: 10 });
    assert.deepEqual(s.oversight[0].to_unit, { id: U['dl-zjj'], name: '道里区住房和城乡建设局' });
    await (await ctx.login('hrb-xfj.leader')).acted(no, 'instruct', { opinion: '请严格保密，依规核查。' });
    for (const user of ['dl-cgj.handler', 'dl-cgj.unit_head']) {
      const c = await ctx.login(user);
      expectError(await c.get(`/api/v1/cases/${no}`), 404, 'case.not_found');
      expectError(await c.get(`/api/v1/cases/${no}/events`), 404, 'case.not_found');
      expectError(await c.act(no, 'instruct', { opinion: '批' }, { ifMatch: s.version + 1 }), 404, 'case.not_found');
    }
  });

  it('the petitioner never sees oversight on the portal, and cannot take it there', async () => {
    const { no, code } = await newCase(ctx);
    const before = await ctx.publicView(no, code);
    await (await ctx.login('dl-xfj.supervisor')).acted(no, 'remind', { reason: '内部催办意见' });
    await (await ctx.login('hrb-xfj.leader')).acted(no, 'instruct', { opinion: '内部批示意见' });
    const after = await ctx.publicView(no, code);
    assert.deepEqual(after.timeline, before.timeline);
    assert.ok(!JSON.stringify(after).includes('内部'), JSON.stringify(after));
    for (const a of OVERSIGHT) {
      expectError(await ctx.publicAct(no, a, code, {}), 404, 'flow.unknown_action');
    }
  });
});

describe('each action takes only its own fields; a refused request changes nothing', () => {
  it('validation.required / unknown_field / invalid / type / too_long, If-Match; the version does not move', async () => {
    const { no } = await newCase(ctx);
    await transfer(ctx, no, 'dl-cgj');
    const sup = await ctx.login('dl-xfj.supervisor');
    const leader = await ctx.login('hrb-xfj.leader');
    const snap = await snapshot(sup, no);
    // remind: reason required; nothing but reason and comment
    expectError(await sup.act(no, 'remind', {}), 400, 'validation.required', 'reason');
    expectError(await sup.act(no, 'remind', { reason: '　 ' }), 400, 'validation.required', 'reason');
    expectError(await sup.act(no, 'remind', { reason: '催', due_days: 3 }), 400, 'validation.unknown_field', 'due_days');
    expectError(await sup.act(no, 'remind', { reason: '催', to_unit: U['dl-zjj'] }), 400, 'validation.unknown_field', 'to_unit');
    expectError(await sup.act(no, 'remind', { reason: 7 }), 400, 'validation.type', 'reason');
    // supervise: reason required, due_days 1-30
    expectError(await sup.act(no, 'supervise', { due_days: 5 }), 400, 'validation.required', 'reason');
    expectError(await sup.act(no, 'supervise', { reason: '督', due_days: 31 }), 400, 'validation.invalid', 'due_days');
    expectError(await sup.act(no, 'supervise', { reason: '督', due_days: 0 }), 400, 'validation.invalid', 'due_days');
    expectError(await sup.act(no, 'supervise', { reason: '督', due_days: -2 }), 400, 'validation.invalid', 'due_days');
    expectError(await sup.act(no, 'supervise', { reason: '督', due_days: '5' }), 400, 'validation.type', 'due_days');
    expectError(await sup.act(no, 'supervise', { reason: '督', opinion: '意见' }), 400, 'validation.unknown_field', 'opinion');
    // instruct: opinion required, at most 2000 characters
    const noOpinion = expectError(await leader.act(no, 'instruct', {}), 400, 'validation.required', 'opinion');
    assert.equal(noOpinion.message, '请填写批示内容');
    expectError(await leader.act(no, 'instruct', { opinion: '批'.repeat(2001) }), 400, 'validation.too_long', 'opinion');
    expectError(await leader.act(no, 'instruct', { opinion: '批', reason: '因' }), 400, 'validation.unknown_field', 'reason');
    // ownership: reason and comment only
    expectError(await leader.act(no, 'take_ownership', { opinion: '包' }), 400, 'validation.unknown_field', 'opinion');
    expectError(await leader.act(no, 'take_ownership', { due_days: 30 }), 400, 'validation.unknown_field', 'due_days');
    expectError(await leader.act(no, 'release_ownership', { to_unit: 1 }), 400, 'validation.unknown_field', 'to_unit');
    // versions: If-Match required and current
    expectError(await sup.post(`/api/v1/cases/${no}/actions/remind`, { reason: '催' }), 428, 'request.if_match_required');
    expectError(await sup.act(no, 'remind', { reason: '催' }, { ifMatch: snap.version - 1 }), 409, 'case.version_conflict');
    expectError(await leader.act(no, 'take_ownership', {}, { ifMatch: snap.version + 5 }), 409, 'case.version_conflict');
    await assertUnchanged(sup, no, snap);
    // exactly 2000 characters is an instruction
    const ok = await leader.acted(no, 'instruct', { opinion: '批'.repeat(2000) });
    assert.equal(ok.version, snap.version + 1);
    const ok2 = await sup.acted(no, 'supervise', { reason: '督', due_days: 30, comment: '限期反馈' });
    assert.equal(ok2.oversight[0].due_days, 30);
    assert.equal(ok2.oversight[0].comment, '限期反馈');
  });

  it('GET /api/v1/codes lists the actions with their Chinese labels', async () => {
    const codes = expectStatus(await (await ctx.login('dl-xfj.supervisor')).get('/api/v1/codes'));
    const label = Object.fromEntries(codes.action.map((a) => [a.code, a.label]));
    assert.deepEqual(OVERSIGHT.map((a) => label[a]), ['催办', '督办', '批示', '包案', '解除包案']);
  });
});

describe('escalations (the scanner\'s 催办/督办) are left as they are by the manual actions', () => {
  it('a late case: the scanner\'s rows before and after a manual remind and supervise are the same', async () => {
    const { no } = await newCase(ctx);
    await transfer(ctx, no, 'dl-cgj');
    // R22 art. 23: the accept clock (15 days) is overdue by 03-20; scan with the server stopped
    const later = epoch('2026-03-20T10:00:00+08:00');
    await ctx.server.stop();
    ctx.sessions.clear();
    try {
      const r = await runCli(['scan', '--db', ctx.db], { now: later });
      assert.equal(r.code, 0, r.stderr);
    } finally {
      await ctx.server.start({ now: later });
    }
    const sup = await ctx.login('dl-xfj.supervisor');
    const esc = async () => expectStatus(await sup.get('/api/v1/escalations')).items.filter((e) => e.no === no);
    const before = await esc();
    assert.ok(before.some((e) => e.kind === 'supervise' && e.clock === 'accept'), JSON.stringify(before));
    await sup.acted(no, 'remind', { reason: '受理告知已超期，请立即办理' });
    const s = await sup.acted(no, 'supervise', { reason: '超期未受理，挂牌督办', due_days: 3 });
    assert.equal(s.state, 'dispatched');
    assert.deepEqual(await esc(), before);
    // the supervision order's due date follows the calendar from the day it was issued (03-20 Friday + 3 = 03-23)
    assert.equal(s.oversight[0].due_at, '2026-03-24T00:00:00+08:00');
  });
});
