// rules.test.mjs - the legal rules the transition table enforces, each
// refusal with its exact status and code, and nothing changed by it.
// The server runs on a fixed clock (XINFANG_NOW) so the time windows of
// R22 art. 35 can be tested by restarting it later.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, epoch, expectError, expectStatus, snapshot, assertUnchanged, caseBody, idNumber,
  newCase, transfer, toAccepted, toClosed, replyBody, decisionBody, DAY,
} from './helpers.mjs';

const T0 = epoch('2026-03-02T10:00:00+08:00');   // a Monday morning
let ctx;
let U;
before(async () => {
  ctx = await setup({ now: T0 });
  U = {};
  for (const c of ['hlj-xfj', 'hlj-zjt', 'hrb-xfj', 'hrb-cgj', 'hrb-zjj', 'bx-xfj', 'dl-xfj', 'dl-cgj', 'dl-zjj']) U[c] = await ctx.unitId(c);
});
after(async () => { await ctx?.close(); });

function accusation(overrides = {}) {
  return caseBody({
    kind: 'accusation', purpose: 'accuse', category: '1101',
    title: '举报某局工作人员收受好处费', content: '该局工作人员在办理审批时收受好处费。',
    request: '请依纪依法查处', ...overrides,
  });
}

describe('accusations never reach the accused unit (R22 art. 30, 46(5); seed 004 art. 7; seed 003 §11.4)', () => {
  it('not to the accused unit as lead or co-unit; fine to another unit', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await reg.registered(accusation({ accused_unit: U['dl-cgj'], accused_name: '张某' }));
    const disp = await ctx.login('dl-xfj.dispatcher');
    const c0 = await disp.getCase(no);
    assert.equal(c0.accused_unit.id, U['dl-cgj']);
    const snap = await snapshot(disp, no);
    expectError(await disp.act(no, 'transfer', { lead_unit: U['dl-cgj'] }), 422, 'flow.accused_unit', 'lead_unit');
    expectError(await disp.act(no, 'assign', { lead_unit: U['dl-cgj'], due_days: 10 }), 422, 'flow.accused_unit', 'lead_unit');
    expectError(await disp.act(no, 'transfer', { lead_unit: U['dl-zjj'], co_units: [U['dl-cgj']] }), 422, 'flow.accused_unit', 'co_units');
    await assertUnchanged(disp, no, snap);
    // the accused unit has never seen it
    const accused = await ctx.login('dl-cgj.handler');
    expectError(await accused.get(`/api/v1/cases/${no}`), 404, 'case.not_found');
    const c = await disp.acted(no, 'transfer', { lead_unit: U['dl-zjj'] });
    assert.equal(c.holder_unit.id, U['dl-zjj']);
    expectError(await accused.get(`/api/v1/cases/${no}`), 404, 'case.not_found');
    expectError(await accused.get(`/api/v1/cases/${no}/events`), 404, 'case.not_found');
    assert.ok(!(await accused.listNos()).includes(no), 'not in the accused unit\'s list');
    assert.ok(!(await (await ctx.login('dl-cgj.unit_head')).listNos()).includes(no));
  });

  it('not to any unit under the accused unit either (its subtree)', async () => {
    const reg = await ctx.login('hrb-xfj.registrar');
    const { no } = await reg.registered(accusation({ accused_unit: U['dl-xfj'], title: '举报道里区信访局压案不办' }));
    const disp = await ctx.login('hrb-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await disp.act(no, 'transfer', { lead_unit: U['dl-xfj'] }), 422, 'flow.accused_unit', 'lead_unit');
    expectError(await disp.act(no, 'transfer', { lead_unit: U['dl-cgj'] }), 422, 'flow.accused_unit', 'lead_unit');
    expectError(await disp.act(no, 'assign', { lead_unit: U['dl-zjj'], due_days: 5 }), 422, 'flow.accused_unit', 'lead_unit');
    await assertUnchanged(disp, no, snap);
    // the accused bureau does not see a case registered above it
    expectError(await (await ctx.login('dl-xfj.dispatcher')).get(`/api/v1/cases/${no}`), 404, 'case.not_found');
    const c = await disp.acted(no, 'transfer', { lead_unit: U['hrb-cgj'] });
    assert.equal(c.state, 'dispatched');
  });

  it('a bureau under the accused unit may not register the accusation; nothing is created (R22 art. 30, 46(5))', async () => {
    for (const accused of ['hrb-xfj', 'dl-xfj']) {
      const reg = await ctx.login('dl-xfj.registrar');
      const before = await reg.listNos();
      expectError(await reg.register(accusation({ accused_unit: U[accused] })), 422, 'flow.accused_unit', 'accused_unit');
      assert.deepEqual(await reg.listNos(), before, 'nothing registered');
    }
  });

  it('an online accusation against the city bureau goes to the province, and the accused bureau never sees it', async () => {
    const body = accusation({ accused_unit: U['hrb-xfj'], title: '举报哈尔滨市信访局工作人员', locality: '230102', channel: 'online' });
    const r = await ctx.publicSubmit(body);
    assert.equal(r.status, 201, r.text);
    const no = r.body.case.no;
    const prov = await ctx.login('hlj-xfj.dispatcher');
    const c = await prov.getCase(no);
    assert.equal(c.holder_unit.id, U['hlj-xfj'], 'registered above the accused bureau, not at dl-xfj');
    // nothing under the accused bureau may take it; the provincial discipline organ may
    expectError(await prov.act(no, 'transfer', { lead_unit: U['dl-cgj'] }, { ifMatch: c.version }), 422, 'flow.accused_unit', 'lead_unit');
    const t = await prov.acted(no, 'transfer', { lead_unit: await ctx.unitId('hlj-jw') });
    assert.equal(t.state, 'dispatched');
    for (const user of ['hrb-xfj.dispatcher', 'hrb-xfj.leader', 'hrb-xfj.reviewer', 'dl-xfj.dispatcher']) {
      const accused = await ctx.login(user);
      expectError(await accused.get(`/api/v1/cases/${no}`), 404, 'case.not_found');
      expectError(await accused.get(`/api/v1/cases/${no}/events`), 404, 'case.not_found');
      assert.ok(!(await accused.listNos()).includes(no), `${user} lists the accusation against its own unit`);
    }
  });

  it('the accused unit\'s own bureau may not handle it itself (自办)', async () => {
    // registered at the city above the accused county bureau's department
    const reg = await ctx.login('hrb-xfj.registrar');
    const { no } = await reg.registered(accusation({ accused_unit: U['hrb-cgj'] }));
    const disp = await ctx.login('hrb-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await disp.act(no, 'transfer', { lead_unit: U['hrb-cgj'] }, { ifMatch: snap.version }), 422, 'flow.accused_unit', 'lead_unit');
    await assertUnchanged(disp, no, snap);
  });

  it('only accusations name an accused unit; an unknown unit is refused', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const before = (await reg.listNos()).length;
    expectError(await reg.register(caseBody({ accused_unit: U['dl-cgj'] })), 400, 'validation.invalid', 'accused_unit');
    expectError(await reg.register(caseBody({ accused_name: '张某' })), 400, 'validation.invalid', 'accused_name');
    expectError(await reg.register(accusation({ accused_unit: 999999 })), 422, 'validation.unknown_unit', 'accused_unit');
    assert.equal((await reg.listNos()).length, before, 'nothing registered');
  });

  it('the portal shows no progress details of an accusation (seed 004 art. 9(1)3)', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no, code } = await reg.registered(accusation({ accused_unit: U['dl-cgj'] }));
    await transfer(ctx, no, 'dl-zjj');
    const h = await ctx.login('dl-zjj.handler');
    await h.acted(no, 'accept');
    await h.acted(no, 'reply', replyBody({ facts: '经查，举报属实，已移送纪检监察机关。' }));
    await (await ctx.login('dl-xfj.dispatcher')).acted(no, 'approve');
    const view = await ctx.publicView(no, code);
    assert.equal(view.state, 'closed');
    assert.equal(view.reply, null, 'no result for an accusation');
    const text = JSON.stringify(view);
    assert.ok(!text.includes('举报属实'));
    const units = await ctx.units();
    assert.ok(!text.includes(units['dl-zjj'].name), 'the handling unit is not told');
    assert.deepEqual(view.timeline.map((l) => l.text).slice(1), ['您反映的问题已办理完毕']);
  });
});

describe('dispatch follows the unit tree (R22 art. 22: 属地管理、分级负责)', () => {
  it('a county bureau transfers or assigns only to organs under it; a city organ is refused, nothing changes', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const disp = await ctx.login('dl-xfj.dispatcher');
    const { no } = await reg.registered();
    const snap = await snapshot(disp, no);
    expectError(await disp.act(no, 'transfer', { lead_unit: U['hrb-cgj'] }), 422, 'flow.outside_jurisdiction', 'lead_unit');
    expectError(await disp.act(no, 'assign', { lead_unit: U['hrb-cgj'], due_days: 10 }), 422, 'flow.outside_jurisdiction', 'lead_unit');
    expectError(await disp.act(no, 'transfer', { lead_unit: U['dl-cgj'], co_units: [U['hrb-zjj']] }), 422, 'flow.outside_jurisdiction', 'co_units');
    expectError(await disp.act(no, 'transfer', { lead_unit: U['bx-xfj'] }), 422, 'flow.outside_jurisdiction', 'lead_unit');
    await assertUnchanged(disp, no, snap);
    expectStatus(await disp.act(no, 'transfer', { lead_unit: U['dl-cgj'], co_units: [U['dl-zjj']] }));
  });

  it('the city bureau may send a case down to a county bureau and its organs', async () => {
    const reg = await ctx.login('hrb-xfj.registrar');
    const disp = await ctx.login('hrb-xfj.dispatcher');
    const { no } = await reg.registered();
    expectStatus(await disp.act(no, 'transfer', { lead_unit: U['dl-xfj'] }));
  });
});

describe('extension: once, at most 30 days, decided by the unit head (R22 art. 34; seed 004 art. 10(5))', () => {
  it('over 30 days, zero, negative, or without a reason is refused; nothing changes', async () => {
    const { no } = await newCase(ctx);
    await toAccepted(ctx, no);
    const h = await ctx.login('dl-cgj.handler');
    const snap = await snapshot(h, no);
    expectError(await h.act(no, 'request_extension', { days: 31, reason: '案情复杂' }), 422, 'flow.extension_too_long', 'days');
    expectError(await h.act(no, 'request_extension', { days: 0, reason: '案情复杂' }), 400, 'validation.required', 'days');
    expectError(await h.act(no, 'request_extension', { days: -3, reason: '案情复杂' }), 400, 'validation.invalid', 'days');
    expectError(await h.act(no, 'request_extension', { days: '10', reason: '案情复杂' }), 400, 'validation.type', 'days');
    expectError(await h.act(no, 'request_extension', { days: 10 }), 400, 'validation.required', 'reason');
    expectError(await h.act(no, 'approve_extension', {}), 403, 'auth.role_denied');
    await assertUnchanged(h, no, snap);
  });

  it('30 days is allowed; a second request while pending → 409 flow.extension_pending; after approval → 409 flow.extension_used', async () => {
    const { no } = await newCase(ctx);
    await toAccepted(ctx, no);
    const h = await ctx.login('dl-cgj.handler');
    const c = await h.acted(no, 'request_extension', { days: 30, reason: '需调查取证' });
    assert.equal(c.extension, 'pending');
    let snap = await snapshot(h, no);
    expectError(await h.act(no, 'request_extension', { days: 5, reason: '再延' }), 409, 'flow.extension_pending');
    await assertUnchanged(h, no, snap);
    await (await ctx.login('dl-cgj.unit_head')).acted(no, 'approve_extension');
    snap = await snapshot(h, no);
    expectError(await h.act(no, 'request_extension', { days: 5, reason: '再延' }), 409, 'flow.extension_used');
    const head = await ctx.login('dl-cgj.unit_head');
    expectError(await head.act(no, 'approve_extension', {}), 409, 'flow.no_extension_pending');
    await assertUnchanged(h, no, snap);
  });

  it('after a denial the one extension is used too → 409 flow.extension_used', async () => {
    const { no } = await newCase(ctx);
    await toAccepted(ctx, no);
    const h = await ctx.login('dl-cgj.handler');
    await h.acted(no, 'request_extension', { days: 10, reason: '需调查取证' });
    await (await ctx.login('dl-cgj.unit_head')).acted(no, 'deny_extension', { reason: '可以按期办结' });
    const snap = await snapshot(h, no);
    expectError(await h.act(no, 'request_extension', { days: 10, reason: '再次申请' }), 409, 'flow.extension_used');
    await assertUnchanged(h, no, snap);
  });
});

describe('collective visits elect at most 5 representatives (R22 art. 20; seed 004 art. 11(5))', () => {
  const person = (i, representative) => ({
    name: `信访人${i}`, id_number: idNumber(`2301021980010100${i}`), representative,
  });

  it('6 representatives → 422 validation.too_many_representatives, nothing registered', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const before = await reg.listNos();
    const six = [1, 2, 3, 4, 5, 6].map((i) => person(i, true));
    expectError(await reg.register(caseBody({ petitioners: six, people_count: 30, flags: ['collective'] })),
      422, 'validation.too_many_representatives', 'petitioners');
    assert.deepEqual(await reg.listNos(), before);
  });

  it('5 representatives among 6 petitioners of 30 people is fine', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const pets = [1, 2, 3, 4, 5, 6].map((i) => person(i, i <= 5));
    const { case: c } = await reg.registered({ petitioners: pets, people_count: 30, flags: ['collective'] });
    assert.equal(c.people_count, 30);
    assert.equal(c.petitioners.length, 6);
    assert.equal(c.petitioners.filter((p) => p.representative).length, 5);
    expectError(await reg.register(caseBody({ petitioners: pets, people_count: 5 })), 400, 'validation.invalid', 'people_count');
  });
});

describe('illegal transitions fail with a clear error and change nothing (DESIGN.md section 3)', () => {
  it('accept / approve / reply / decide on a registered case → 409 flow.invalid_transition', async () => {
    const { no } = await newCase(ctx);
    const disp = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    for (const action of ['accept', 'return', 'approve', 'send_back', 'reply', 'request_extension', 'decide_review', 'decide_recheck']) {
      const e = expectError(await disp.act(no, action, {}), 409, 'flow.invalid_transition');
      assert.ok(e.message.includes('已登记'), `message names the state: ${e.message}`);
    }
    await assertUnchanged(disp, no, snap);
  });

  it('the wrong role → 403 auth.role_denied: a registrar or unit head transferring, a handler transferring', async () => {
    const { no } = await newCase(ctx);
    const snapUser = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(snapUser, no);
    const reg = await ctx.login('dl-xfj.registrar');
    expectError(await reg.act(no, 'transfer', { lead_unit: U['dl-cgj'] }), 403, 'auth.role_denied');
    const head = await ctx.login('dl-xfj.unit_head');
    expectError(await head.act(no, 'self_handle', {}), 403, 'auth.role_denied');
    await assertUnchanged(snapUser, no, snap);
    // a handler on a case it was sent and returned (it still sees it): may not triage
    await transfer(ctx, no, 'dl-cgj');
    const h = await ctx.login('dl-cgj.handler');
    await h.acted(no, 'return', { reason: '不属本单位职责' });
    const snap2 = await snapshot(snapUser, no);
    expectError(await h.act(no, 'transfer', { lead_unit: U['dl-zjj'] }), 403, 'auth.role_denied');
    expectError(await h.act(no, 'accept', {}), 409, 'flow.invalid_transition');
    await assertUnchanged(snapUser, no, snap2);
    // staff may not rate or ask for review on the petitioner's behalf
    const closed = await newCase(ctx);
    await toClosed(ctx, closed.no);
    const snap3 = await snapshot(snapUser, closed.no);
    expectError(await snapUser.act(closed.no, 'rate', { satisfaction: 'satisfied' }), 403, 'auth.role_denied');
    expectError(await snapUser.act(closed.no, 'request_review', {}), 403, 'auth.role_denied');
    await assertUnchanged(snapUser, closed.no, snap3);
  });

  it('decline needs a concluded case (R22 art. 36)', async () => {
    const closed = await newCase(ctx);
    await toClosed(ctx, closed.no);
    const { no } = await newCase(ctx, { repeat_of: closed.no });
    const disp = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await disp.act(no, 'decline', { reason: '重复信访', repeat_of: closed.no }), 422, 'flow.not_concluded', 'repeat_of');
    expectError(await disp.act(no, 'decline', { reason: '重复信访' }), 400, 'validation.required', 'repeat_of');
    expectError(await disp.act(no, 'decline', { reason: '重复信访', repeat_of: 'XF2099010199999' }), 404, 'case.not_found', 'repeat_of');
    expectError(await disp.act(no, 'decline', { repeat_of: closed.no }), 400, 'validation.required', 'reason');
    await assertUnchanged(disp, no, snap);
    const reg = await ctx.login('dl-xfj.registrar');
    expectError(await reg.register(caseBody({ repeat_of: 'XF2099010199999' })), 422, 'validation.unknown_case', 'repeat_of');
  });

  it('terminal states allow nothing more', async () => {
    const { no } = await newCase(ctx);
    const disp = await ctx.login('dl-xfj.dispatcher');
    await disp.acted(no, 'archive', { reason: '无实质内容' });
    const snap = await snapshot(disp, no);
    for (const [action, body] of [['transfer', { lead_unit: U['dl-cgj'] }], ['self_handle', {}], ['archive', { reason: 'x' }],
      ['reject', { reason: 'x', route: 'other' }]]) {
      expectError(await disp.act(no, action, body), 409, 'flow.invalid_transition');
    }
    await assertUnchanged(disp, no, snap);
  });
});

describe('review and recheck go up one level each (R22 art. 35)', () => {
  it('handled by a city department: review at the province, no organ above it for recheck', async () => {
    const reg = await ctx.login('hrb-xfj.registrar');
    const { no, code } = await reg.registered({ locality: '230100' });
    const disp = await ctx.login('hrb-xfj.dispatcher');
    await disp.acted(no, 'transfer', { lead_unit: U['hrb-cgj'] });
    const h = await ctx.login('hrb-cgj.handler');
    await h.acted(no, 'accept');
    await h.acted(no, 'reply', replyBody());
    await disp.acted(no, 'approve');
    const v = expectStatus(await ctx.publicAct(no, 'request_review', code));
    assert.equal(v.state, 'review');
    const rev = await ctx.login('hlj-xfj.reviewer');
    const c = await rev.getCase(no);
    assert.equal(c.holder_unit.id, U['hlj-xfj']);
    await rev.acted(no, 'decide_review', decisionBody());
    const view = await ctx.publicView(no, code);
    assert.equal(view.can.request_recheck, false, 'nobody above the province in this tree');
    const snap = await snapshot(rev, no);
    expectError(await ctx.publicAct(no, 'request_recheck', code), 422, 'flow.no_higher_organ');
    await assertUnchanged(rev, no, snap);
  });

  it('recheck only after review → 409 flow.review_required', async () => {
    const { no, code } = await newCase(ctx);
    await toClosed(ctx, no);
    const disp = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await ctx.publicAct(no, 'request_recheck', code), 409, 'flow.review_required');
    await assertUnchanged(disp, no, snap);
  });

  it('only a reviewer of the review organ decides', async () => {
    const { no, code } = await newCase(ctx);
    await toClosed(ctx, no);
    expectStatus(await ctx.publicAct(no, 'request_review', code));
    const rev = await ctx.login('hrb-xfj.reviewer');
    const snap = await snapshot(rev, no);
    expectError(await (await ctx.login('hrb-xfj.dispatcher')).act(no, 'decide_review', decisionBody()), 403, 'auth.role_denied');
    expectError(await (await ctx.login('dl-xfj.reviewer')).act(no, 'decide_review', decisionBody()), 403, 'case.not_holder');
    expectError(await (await ctx.login('hlj-xfj.reviewer')).act(no, 'decide_review', decisionBody()), 403, 'case.not_holder');
    expectError(await rev.act(no, 'decide_review', decisionBody({ legal_basis: '' })), 400, 'validation.required', 'legal_basis');
    await assertUnchanged(rev, no, snap);
  });
});

describe('rating: once per decision (国信发〔2014〕16号)', () => {
  it('after a review decision the petitioner may rate again, even in the same second as the last rating', async () => {
    const { no, code } = await newCase(ctx);
    await toClosed(ctx, no);
    expectStatus(await ctx.publicAct(no, 'rate', code, { satisfaction: 'unsatisfied' }));
    expectStatus(await ctx.publicAct(no, 'request_review', code));
    await (await ctx.login('hrb-xfj.reviewer')).acted(no, 'decide_review', decisionBody());
    const view = await ctx.publicView(no, code);
    assert.equal(view.can.rate, true, 'a new decision to rate');
    expectStatus(await ctx.publicAct(no, 'rate', code, { satisfaction: 'fair' }));
  });
});

// Last: these move the server's clock forward.
describe('the 30-day windows to ask for review and recheck (R22 art. 35; 民法典 art. 201, 203)', () => {
  let a; let b; let staffBefore;

  before(async () => {
    // a: closed at T0; b: reviewed at T0
    a = await newCase(ctx);
    await toClosed(ctx, a.no);
    b = await newCase(ctx);
    await toClosed(ctx, b.no);
    expectStatus(await ctx.publicAct(b.no, 'request_review', b.code));
    await (await ctx.login('hrb-xfj.reviewer')).acted(b.no, 'decide_review', decisionBody());
    staffBefore = await ctx.login('dl-xfj.dispatcher');
  });

  it('the deadline is the 30th day after closing, 24:00, start day not counted', async () => {
    const view = await ctx.publicView(a.no, a.code);
    assert.equal(view.review_deadline, '2026-04-01');
    assert.equal(view.can.request_review, true);
  });

  it('still open at 23:59:59 on the 30th day', async () => {
    await ctx.restart({ now: epoch('2026-04-01T23:59:59+08:00') });
    const va = await ctx.publicView(a.no, a.code);
    assert.equal(va.can.request_review, true);
    const vb = await ctx.publicView(b.no, b.code);
    assert.equal(vb.can.request_recheck, true);
  });

  it('31+ days after closing: request_review → 422 flow.review_window_closed, can.request_review false, nothing changed', async () => {
    await ctx.restart({ now: epoch('2026-04-02T00:00:00+08:00') });
    // the old staff session expired meanwhile (idle > 30 min)
    expectError(await staffBefore.get(`/api/v1/cases/${a.no}`), 401, 'auth.session_expired');
    const disp = await ctx.login('dl-xfj.dispatcher');
    const snapA = await snapshot(disp, a.no);
    const va = await ctx.publicView(a.no, a.code);
    assert.equal(va.can.request_review, false);
    assert.equal(va.can.rate, true, 'rating is not limited by the review window');
    expectError(await ctx.publicAct(a.no, 'request_review', a.code, { reason: '不服' }), 422, 'flow.review_window_closed');
    await assertUnchanged(disp, a.no, snapA);
    const snapB = await snapshot(disp, b.no);
    const vb = await ctx.publicView(b.no, b.code);
    assert.equal(vb.can.request_recheck, false);
    expectError(await ctx.publicAct(b.no, 'request_recheck', b.code), 422, 'flow.recheck_window_closed');
    await assertUnchanged(disp, b.no, snapB);
  });

  it('much later (T0 + 45 days) it stays closed', async () => {
    await ctx.restart({ now: T0 + 45 * DAY });
    const disp = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(disp, a.no);
    expectError(await ctx.publicAct(a.no, 'request_review', a.code), 422, 'flow.review_window_closed');
    await assertUnchanged(disp, a.no, snap);
  });
});
