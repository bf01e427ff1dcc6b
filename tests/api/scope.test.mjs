// scope.test.mjs - who sees and who acts. The server decides the unit scope
// (DESIGN.md section 7): a petition department sees its subtree, a handling
// unit sees what was sent to it; out of scope reads as 404, never 403; only
// the unit holding a case acts on it. The to-do list shows each unit what
// it must act on, most urgent first.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, expectError, snapshot, assertUnchanged, newCase, transfer, toAccepted, toReplied,
} from './helpers.mjs';

let ctx;
let U;
before(async () => {
  ctx = await setup();
  U = {};
  for (const c of ['dl-xfj', 'dl-cgj', 'dl-zjj', 'hrb-xfj', 'hrb-cgj', 'bx-xfj', 'qqhr-xfj']) U[c] = await ctx.unitId(c);
});
after(async () => { await ctx?.close(); });

describe('only the holding unit acts (403 case.not_holder)', () => {
  it('the parent bureau sees a county case but cannot triage it', async () => {
    const { no } = await newCase(ctx);
    const city = await ctx.login('hrb-xfj.dispatcher');
    const c = await city.getCase(no);
    assert.deepEqual(c.actions, [], 'no actions offered to a unit that does not hold it');
    const snap = await snapshot(city, no);
    expectError(await city.act(no, 'transfer', { lead_unit: U['hrb-cgj'] }), 403, 'case.not_holder');
    expectError(await city.act(no, 'reject', { reason: 'x', route: 'other' }), 403, 'case.not_holder');
    await assertUnchanged(city, no, snap);
  });

  it('a co-unit sees the case but cannot accept or return it; the dispatching bureau cannot act on it either', async () => {
    const { no } = await newCase(ctx);
    await transfer(ctx, no, 'dl-cgj', ['dl-zjj']);
    const co = await ctx.login('dl-zjj.handler');
    const c = await co.getCase(no);
    assert.deepEqual(c.actions, []);
    const snap = await snapshot(co, no);
    expectError(await co.act(no, 'accept', {}), 403, 'case.not_holder');
    expectError(await co.act(no, 'return', { reason: '不属本单位' }), 403, 'case.not_holder');
    // dl-xfj.dispatcher, whose bureau sent it: nothing a dispatcher does applies while dl-cgj holds it
    const disp = await ctx.login('dl-xfj.dispatcher');
    expectError(await disp.act(no, 'transfer', { lead_unit: U['dl-zjj'] }), 409, 'flow.invalid_transition');
    expectError(await disp.act(no, 'accept', {}), 403, 'auth.role_denied');
    await assertUnchanged(co, no, snap);
  });

  it('another unit head cannot decide an extension of dl-cgj; dl-cgj\'s head cannot approve the bureau\'s reply check', async () => {
    const { no } = await newCase(ctx);
    await toAccepted(ctx, no);
    await (await ctx.login('dl-cgj.handler')).acted(no, 'request_extension', { days: 15, reason: '需补充调查' });
    const bureauHead = await ctx.login('dl-xfj.unit_head');
    const snap = await snapshot(bureauHead, no);
    expectError(await bureauHead.act(no, 'approve_extension', {}), 403, 'case.not_holder');
    expectError(await bureauHead.act(no, 'deny_extension', { reason: '不批准' }), 403, 'case.not_holder');
    await assertUnchanged(bureauHead, no, snap);

    const r = await newCase(ctx);
    await toReplied(ctx, r.no);
    const unitHead = await ctx.login('dl-cgj.unit_head');
    const snap2 = await snapshot(unitHead, r.no);
    expectError(await unitHead.act(r.no, 'approve', {}), 403, 'case.not_holder');
    expectError(await unitHead.act(r.no, 'send_back', { reason: '重新答复' }), 403, 'case.not_holder');
    await assertUnchanged(unitHead, r.no, snap2);
  });
});

describe('out of scope reads as 404 case.not_found, never 403', () => {
  let no;
  let code;
  before(async () => {
    ({ no, code } = await newCase(ctx, { title: '道里区独有标题甲乙丙丁' }));
  });

  for (const user of ['qqhr-xfj.dispatcher', 'qqhr-xfj.reviewer', 'lj-xfj.registrar', 'bx-xfj.dispatcher', 'qqhr-cgj.handler', 'hrb-cgj.handler']) {
    it(`${user}: GET, events, actions 404; not in list, search or to-do`, async () => {
      const other = await ctx.login(user);
      const owner = await ctx.login('dl-xfj.dispatcher');
      const snap = await snapshot(owner, no);
      const missing = expectError(await other.get(`/api/v1/cases/${no}`), 404, 'case.not_found');
      expectError(await other.get(`/api/v1/cases/${no}/events`), 404, 'case.not_found');
      expectError(await other.act(no, 'transfer', { lead_unit: U['dl-cgj'] }, { ifMatch: 1 }), 404, 'case.not_found');
      expectError(await other.act(no, 'accept', {}, { ifMatch: 1 }), 404, 'case.not_found');
      // no version probing: a stale If-Match still says 404
      expectError(await other.act(no, 'transfer', { lead_unit: U['dl-cgj'] }, { ifMatch: 99 }), 404, 'case.not_found');
      // indistinguishable from a case that does not exist
      const fake = `XF2099010100001`;
      const none = expectError(await other.get(`/api/v1/cases/${fake}`), 404, 'case.not_found');
      assert.equal(missing.message.replace(no, '#'), none.message.replace(fake, '#'));
      assert.deepEqual(Object.keys(missing).sort(), Object.keys(none).sort());
      assert.ok(!(await other.listNos()).includes(no));
      assert.deepEqual((await other.list({ q: '道里区独有标题甲乙丙丁' })).body.items, []);
      assert.ok(!(await other.todo()).body.items.some((c) => c.no === no));
      await assertUnchanged(owner, no, snap);
      // the petitioner's view is unaffected
      assert.equal((await ctx.publicView(no, code)).state, 'registered');
    });
  }

  it('the parent and the province see the county\'s case (their subtree)', async () => {
    for (const user of ['hrb-xfj.dispatcher', 'hrb-xfj.reviewer', 'hlj-xfj.dispatcher']) {
      const up = await ctx.login(user);
      const c = await up.getCase(no);
      assert.equal(c.no, no);
      assert.equal((await up.events(no)).length, 1);
      assert.ok((await up.listNos()).includes(no), `${user} lists it`);
    }
  });
});

describe('a handling unit sees only the cases sent to it (lead or co-unit)', () => {
  it('dl-zjj sees its co-unit and assigned cases, not the others', async () => {
    const coCase = await newCase(ctx);
    await transfer(ctx, coCase.no, 'dl-cgj', ['dl-zjj']);
    const cgjOnly = await newCase(ctx);
    await transfer(ctx, cgjOnly.no, 'dl-cgj');
    const notSent = await newCase(ctx);
    const assigned = await newCase(ctx);
    await (await ctx.login('dl-xfj.dispatcher')).acted(assigned.no, 'assign', { lead_unit: U['dl-zjj'], due_days: 7 });

    const zjj = await ctx.login('dl-zjj.handler');
    const seen = await zjj.listNos();
    assert.ok(seen.includes(coCase.no), 'co-unit case listed');
    assert.ok(seen.includes(assigned.no), 'assigned case listed');
    assert.ok(!seen.includes(cgjOnly.no));
    assert.ok(!seen.includes(notSent.no));
    for (const no of [coCase.no, assigned.no]) assert.equal((await zjj.getCase(no)).no, no);
    for (const no of [cgjOnly.no, notSent.no]) {
      expectError(await zjj.get(`/api/v1/cases/${no}`), 404, 'case.not_found');
      expectError(await zjj.get(`/api/v1/cases/${no}/events`), 404, 'case.not_found');
    }
    // every case in dl-zjj's list names it as lead, co-unit or holder
    for (const item of await zjj.listAll()) {
      const c = await zjj.getCase(item.no);
      const ids = [c.lead_unit?.id, c.holder_unit?.id, ...c.co_units.map((u) => u.id)];
      assert.ok(ids.includes(U['dl-zjj']), `${item.no} is not dl-zjj's: ${JSON.stringify(ids)}`);
    }
    // the same unit's head sees the same
    assert.deepEqual(await (await ctx.login('dl-zjj.unit_head')).listNos(), seen);
    // dl-cgj sees the two it leads
    const cgj = await (await ctx.login('dl-cgj.handler')).listNos();
    assert.ok(cgj.includes(coCase.no) && cgj.includes(cgjOnly.no));
    assert.ok(!cgj.includes(notSent.no) && !cgj.includes(assigned.no));
  });
});

describe('/api/v1/todo: what each unit must act on, most urgent first', () => {
  let X; let Y; let Z; let W; let R; let P; let reg;
  before(async () => {
    const disp = await ctx.login('dl-xfj.dispatcher');
    X = await newCase(ctx);
    await disp.acted(X.no, 'assign', { lead_unit: U['dl-cgj'], due_days: 3 });
    Y = await newCase(ctx);
    await transfer(ctx, Y.no, 'dl-cgj');                  // 15 days to accept (R22 art. 23)
    Z = await newCase(ctx);
    await disp.acted(Z.no, 'assign', { lead_unit: U['dl-cgj'], due_days: 10 });
    W = await newCase(ctx);
    await toAccepted(ctx, W.no);                           // 60 days to conclude (R22 art. 34)
    P = await newCase(ctx);
    await toAccepted(ctx, P.no);
    await (await ctx.login('dl-cgj.handler')).acted(P.no, 'request_extension', { days: 10, reason: '需补充调查' });
    R = await newCase(ctx);
    await toReplied(ctx, R.no);                            // back at dl-xfj for approval
    reg = await newCase(ctx);                              // registered at dl-xfj
  });

  // earliest due first; cases with no running deadline (a reply waiting for the
  // bureau's approval: the handling clock is paused) come last
  function assertSorted(items) {
    const key = (i) => (i.due_at === null ? Infinity : Date.parse(i.due_at));
    for (let i = 1; i < items.length; i++) {
      assert.ok(key(items[i - 1]) <= key(items[i]),
        `to-do not sorted by due_at: ${items[i - 1].due_at} > ${items[i].due_at}`);
    }
  }

  it('the handler of dl-cgj: dispatched and accepted cases it holds, earliest due first', async () => {
    const r = await (await ctx.login('dl-cgj.handler')).todo();
    assert.equal(r.status, 200, r.text);
    const nos = r.body.items.map((c) => c.no);
    for (const c of [X, Y, Z, W, P]) assert.ok(nos.includes(c.no), `${c.no} in to-do`);
    for (const c of [R, reg]) assert.ok(!nos.includes(c.no), `${c.no} not in dl-cgj's to-do`);
    // most urgent first: by the nearest running clock (R22 art. 23: 15 days to accept)
    assertSorted(r.body.items);
    for (const item of r.body.items) {
      assert.equal(item.holder_unit.id, U['dl-cgj']);
      assert.ok(['dispatched', 'accepted'].includes(item.state), item.state);
    }
    assert.equal(r.body.next_cursor, null);
  });

  it('the dispatcher of dl-xfj: registered cases and replies to check, not what dl-cgj holds', async () => {
    const r = await (await ctx.login('dl-xfj.dispatcher')).todo();
    assert.equal(r.status, 200, r.text);
    const nos = r.body.items.map((c) => c.no);
    assert.ok(nos.includes(reg.no) && nos.includes(R.no));
    for (const c of [X, Y, Z, W, P]) assert.ok(!nos.includes(c.no));
    for (const item of r.body.items) {
      assert.equal(item.holder_unit.id, U['dl-xfj']);
      assert.ok(['registered', 'replied'].includes(item.state), item.state);
    }
    assertSorted(r.body.items);
    // each row carries the actions the case itself offers this user (bulk actions need no second read)
    const disp = await ctx.login('dl-xfj.dispatcher');
    for (const item of r.body.items) assert.deepEqual(item.actions, (await disp.getCase(item.no)).actions, item.no);
  });

  it('a co-unit and an unrelated bureau have nothing of these to do; a registrar decides nothing', async () => {
    for (const user of ['dl-zjj.handler', 'qqhr-xfj.dispatcher', 'hrb-xfj.dispatcher', 'dl-xfj.registrar']) {
      const r = await (await ctx.login(user)).todo();
      assert.equal(r.status, 200, r.text);
      const nos = r.body.items.map((c) => c.no);
      for (const c of [X, Y, Z, W, P, R, reg]) assert.ok(!nos.includes(c.no), `${c.no} in ${user}'s to-do`);
    }
    assert.deepEqual((await (await ctx.login('dl-xfj.registrar')).todo()).body.items, []);
  });

  it('the to-do list accepts the list filters (docs/API.md "GET /api/v1/todo")', async () => {
    const h = await ctx.login('dl-cgj.handler');
    const r = await h.todo({ state: 'accepted' });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.items.every((c) => c.state === 'accepted'));
    assert.ok(r.body.items.some((c) => c.no === W.no));
  });

  it('the to-do list refuses bad filters like the list (400)', async () => {
    const h = await ctx.login('dl-cgj.handler');
    expectError(await h.todo({ state: 'nonsense' }), 400, 'validation.unknown_code', 'state');
    expectError(await h.todo({ limit: '0' }), 400, 'validation.invalid', 'limit');
  });

  it('the to-do list narrows by the other filters (q, kind)', async () => {
    const h = await ctx.login('dl-cgj.handler');
    const r = await h.todo({ kind: 'accusation' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.items, []);
    const all = (await h.todo()).body.items;
    const x = all.find((c) => c.no === X.no);
    const byTitle = await h.todo({ q: x.title });
    assert.deepEqual(byTitle.body.items.map((c) => c.no), [X.no]);
  });

  it('the unit head of dl-cgj: the pending extension, and not cases with nothing to decide', async () => {
    const r = await (await ctx.login('dl-cgj.unit_head')).todo();
    assert.equal(r.status, 200, r.text);
    const nos = r.body.items.map((c) => c.no);
    assert.ok(nos.includes(P.no), 'pending extension listed');
    assert.ok(!nos.includes(W.no), `accepted case without a pending extension is listed for the unit head: ${JSON.stringify(r.body.items.map((c) => [c.no, c.state, c.extension]))}`);
  });

  it('the reviewer of hrb-xfj: review requests held by hrb-xfj', async () => {
    const c = await newCase(ctx);
    await toReplied(ctx, c.no);
    await (await ctx.login('dl-xfj.dispatcher')).acted(c.no, 'approve');
    const pr = await ctx.publicAct(c.no, 'request_review', c.code);
    assert.equal(pr.status, 200, pr.text);
    const r = await (await ctx.login('hrb-xfj.reviewer')).todo();
    assert.ok(r.body.items.some((i) => i.no === c.no && i.state === 'review'));
    const d = await (await ctx.login('dl-xfj.dispatcher')).todo();
    assert.ok(!d.body.items.some((i) => i.no === c.no));
    // after the decision it leaves the reviewer's list
    await (await ctx.login('hrb-xfj.reviewer')).acted(c.no, 'decide_review', {
      outcome: 'explain', facts: '事实清楚', opinion: '维持', legal_basis: '《信访工作条例》第三十五条',
    });
    const r2 = await (await ctx.login('hrb-xfj.reviewer')).todo();
    assert.ok(!r2.body.items.some((i) => i.no === c.no));
  });
});
