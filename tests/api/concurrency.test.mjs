// concurrency.test.mjs - two clerks cannot overwrite each other (If-Match
// versions, DESIGN.md section 7) and a retried create creates nothing twice
// (Idempotency-Key).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, epoch, expectError, expectStatus, snapshot, assertUnchanged, caseBody, newCase, toClosed,
} from './helpers.mjs';

let ctx;
let U;
before(async () => {
  // a fixed clock: all registrations fall on one day, whatever the wall clock says
  ctx = await setup({ now: epoch('2026-07-06T10:00:00+08:00') });
  U = {};
  for (const c of ['dl-cgj', 'dl-zjj']) U[c] = await ctx.unitId(c);
});
after(async () => { await ctx?.close(); });

describe('If-Match versions', () => {
  it('a stale If-Match → 409 case.version_conflict and nothing changed', async () => {
    const { no } = await newCase(ctx);
    const disp = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    for (const stale of [0, 2, 7]) {
      const e = expectError(await disp.post(`/api/v1/cases/${no}/actions/transfer`, { lead_unit: U['dl-cgj'] }, { ifMatch: stale }),
        409, 'case.version_conflict', 'If-Match');
      assert.ok(e.message.includes('1'), 'the message tells the current version');
    }
    await assertUnchanged(disp, no, snap);
  });

  it('a missing If-Match → 428 request.if_match_required; a malformed one → 400', async () => {
    const { no } = await newCase(ctx);
    const disp = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await disp.post(`/api/v1/cases/${no}/actions/transfer`, { lead_unit: U['dl-cgj'] }), 428, 'request.if_match_required', 'If-Match');
    for (const bad of ['abc', '1a', '-1', '*', '1.5']) {
      expectError(await disp.post(`/api/v1/cases/${no}/actions/transfer`, { lead_unit: U['dl-cgj'] }, { ifMatch: bad }),
        400, 'request.bad_if_match', 'If-Match');
    }
    await assertUnchanged(disp, no, snap);
  });

  it('the ETag of GET is what If-Match takes (also quoted or weak)', async () => {
    const { no } = await newCase(ctx);
    const disp = await ctx.login('dl-xfj.dispatcher');
    const g = await disp.get(`/api/v1/cases/${no}`);
    assert.equal(g.headers.get('etag'), '"1"');
    const r = await disp.post(`/api/v1/cases/${no}/actions/transfer`, { lead_unit: U['dl-cgj'] }, { ifMatch: g.headers.get('etag') });
    expectStatus(r);
    assert.equal(r.headers.get('etag'), '"2"');
    const h = await ctx.login('dl-cgj.handler');
    const r2 = await h.post(`/api/v1/cases/${no}/actions/accept`, {}, { ifMatch: 'W/"2"' });
    assert.equal(expectStatus(r2).version, 3);
  });

  it('two clerks transfer one case at once: exactly one 200 and one 409, one event added', async () => {
    const a = await ctx.freshLogin('dl-xfj.dispatcher');
    const b = await ctx.freshLogin('dl-xfj.dispatcher');
    for (let round = 0; round < 5; round++) {
      const { no } = await newCase(ctx);
      const before = await snapshot(a, no);
      const [ra, rb] = await Promise.all([
        a.post(`/api/v1/cases/${no}/actions/transfer`, { lead_unit: U['dl-cgj'] }, { ifMatch: before.version }),
        b.post(`/api/v1/cases/${no}/actions/transfer`, { lead_unit: U['dl-zjj'] }, { ifMatch: before.version }),
      ]);
      const statuses = [ra.status, rb.status].sort();
      assert.deepEqual(statuses, [200, 409], `round ${round}: ${ra.text} / ${rb.text}`);
      const [win, lose] = ra.status === 200 ? [ra, rb] : [rb, ra];
      expectError(lose, 409, 'case.version_conflict');
      const after = await snapshot(a, no);
      assert.equal(after.events, before.events + 1, 'exactly one event added');
      assert.equal(after.version, before.version + 1);
      assert.equal(after.case.holder_unit.id, win.body.holder_unit.id, 'the winner\'s transfer stands');
      assert.equal(after.eventList.filter((e) => e.action === 'transfer').length, 1);
    }
  });

  it('a burst of ten different actions on one version: exactly one wins', async () => {
    const clerks = [];
    for (let i = 0; i < 3; i++) clerks.push(await ctx.freshLogin('dl-xfj.dispatcher'));
    const { no } = await newCase(ctx);
    const before = await snapshot(clerks[0], no);
    const bodies = [
      ['transfer', { lead_unit: U['dl-cgj'] }], ['transfer', { lead_unit: U['dl-zjj'] }],
      ['assign', { lead_unit: U['dl-cgj'], due_days: 5 }], ['self_handle', {}],
      ['archive', { reason: '存档' }], ['reject', { reason: '不予受理', route: 'other' }],
      ['transfer', { lead_unit: U['dl-cgj'] }], ['assign', { lead_unit: U['dl-zjj'], due_days: 9 }],
      ['archive', { reason: '再存档' }], ['self_handle', {}],
    ];
    const res = await Promise.all(bodies.map(([action, body], i) =>
      clerks[i % 3].post(`/api/v1/cases/${no}/actions/${action}`, body, { ifMatch: before.version })));
    const ok = res.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, res.map((r) => r.status).join(','));
    for (const r of res.filter((x) => x.status !== 200)) expectError(r, 409, 'case.version_conflict');
    const after = await snapshot(clerks[0], no);
    assert.equal(after.events, before.events + 1);
    assert.equal(after.state, ok[0].body.state);
  });
});

describe('the petitioner double-clicks (no If-Match on the portal)', () => {
  it('two ratings at once: one 200, one 409 flow.already_rated; two review requests: one 200, one 409', async () => {
    const { no, code } = await newCase(ctx);
    await toClosed(ctx, no);
    const staff = await ctx.login('dl-xfj.dispatcher');
    const before = await snapshot(staff, no);
    const rates = await Promise.all([
      ctx.publicAct(no, 'rate', code, { satisfaction: 'satisfied' }),
      ctx.publicAct(no, 'rate', code, { satisfaction: 'unsatisfied' }),
    ]);
    assert.deepEqual(rates.map((r) => r.status).sort(), [200, 409], rates.map((r) => r.text).join(' / '));
    expectError(rates.find((r) => r.status === 409), 409, 'flow.already_rated');
    const won = rates.find((r) => r.status === 200).body.satisfaction;
    assert.equal((await staff.getCase(no)).satisfaction, won);
    const reviews = await Promise.all([1, 2].map(() => ctx.publicAct(no, 'request_review', code)));
    assert.deepEqual(reviews.map((r) => r.status).sort(), [200, 409]);
    expectError(reviews.find((r) => r.status === 409), 409, 'flow.invalid_transition');
    const after = await snapshot(await ctx.login('hrb-xfj.reviewer'), no);
    assert.equal(after.events, before.events + 2);
    assert.equal(after.state, 'review');
  });
});

describe('case numbers', () => {
  it('ten registrations at once get ten distinct, consecutive numbers of today', async () => {
    const regs = [await ctx.login('dl-xfj.registrar'), await ctx.login('hrb-xfj.registrar')];
    const res = await Promise.all(Array.from({ length: 10 }, (_, i) => regs[i % 2].register({ title: `并发登记第${i}件` })));
    for (const r of res) expectStatus(r, 201);
    const nos = res.map((r) => r.body.case.no).sort();
    assert.equal(new Set(nos).size, 10);
    const seq = nos.map((n) => Number(n.slice(10)));
    for (let i = 1; i < seq.length; i++) assert.equal(seq[i], seq[i - 1] + 1, `consecutive: ${nos.join(',')}`);
    assert.deepEqual([...new Set(nos.map((n) => n.slice(0, 10)))], ['XF20260706'], 'numbered by the day');
    assert.equal(new Set(res.map((r) => r.body.query_code)).size, 10, 'each its own query code');
  });
});

describe('Idempotency-Key on create', () => {
  async function count(user = 'dl-xfj.registrar') {
    return (await (await ctx.login(user)).listNos()).length;
  }

  it('a retry with the same key returns the same case number and query code and creates nothing', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const body = caseBody({ title: '幂等登记测试一' });
    const n0 = await count();
    const r1 = await reg.post('/api/v1/cases', body, { idempotencyKey: 'reg-key-0001' });
    expectStatus(r1, 201);
    const n1 = await count();
    assert.equal(n1, n0 + 1);
    const r2 = await reg.post('/api/v1/cases', body, { idempotencyKey: 'reg-key-0001' });
    expectStatus(r2, 201);
    assert.equal(r2.body.case.no, r1.body.case.no);
    assert.equal(r2.body.query_code, r1.body.query_code);
    assert.deepEqual(r2.body, r1.body, 'the first answer, replayed');
    // same body with the keys in another order is the same request
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const r3 = await reg.post('/api/v1/cases', reordered, { idempotencyKey: 'reg-key-0001' });
    expectStatus(r3, 201);
    assert.equal(r3.body.case.no, r1.body.case.no);
    assert.equal(await count(), n1, 'nothing created by the retries');
    // the case itself has one event
    assert.equal((await reg.events(r1.body.case.no)).length, 1);
    // the code still opens the portal
    assert.equal((await ctx.publicView(r1.body.case.no, r1.body.query_code)).no, r1.body.case.no);
  });

  it('the same key with a different body → 422 idempotency.key_reused, nothing created', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const r1 = await reg.post('/api/v1/cases', caseBody({ title: '幂等登记测试二' }), { idempotencyKey: 'reg-key-0002' });
    expectStatus(r1, 201);
    const n1 = await count();
    expectError(await reg.post('/api/v1/cases', caseBody({ title: '幂等登记测试二（改）' }), { idempotencyKey: 'reg-key-0002' }),
      422, 'idempotency.key_reused', 'Idempotency-Key');
    assert.equal(await count(), n1);
  });

  it('concurrent retries with one key create one case', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const body = caseBody({ title: '幂等登记测试三' });
    const n0 = await count();
    const res = await Promise.all([1, 2, 3, 4].map(() => reg.post('/api/v1/cases', body, { idempotencyKey: 'reg-key-0003' })));
    for (const r of res) expectStatus(r, 201);
    assert.equal(new Set(res.map((r) => r.body.case.no)).size, 1);
    assert.equal(new Set(res.map((r) => r.body.query_code)).size, 1);
    assert.equal(await count(), n0 + 1);
  });

  it('keys belong to the caller: another registrar\'s same key is a new case', async () => {
    const a = await ctx.login('dl-xfj.registrar');
    const b = await ctx.login('hrb-xfj.registrar');
    const body = caseBody({ title: '幂等登记测试四' });
    const r1 = expectStatus(await a.post('/api/v1/cases', body, { idempotencyKey: 'shared-key-4' }), 201);
    const r2 = expectStatus(await b.post('/api/v1/cases', body, { idempotencyKey: 'shared-key-4' }), 201);
    assert.notEqual(r1.case.no, r2.case.no);
    assert.notEqual(r1.query_code, r2.query_code);
  });

  it('a refused registration is not remembered under its key', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const n0 = await count();
    const bad = caseBody({ category: '99' });
    expectError(await reg.post('/api/v1/cases', bad, { idempotencyKey: 'reg-key-0005' }), 422, 'validation.unknown_code', 'category');
    const good = caseBody({ title: '幂等登记测试五' });
    const r = await reg.post('/api/v1/cases', good, { idempotencyKey: 'reg-key-0005' });
    expectStatus(r, 201);
    assert.equal(await count(), n0 + 1);
  });

  it('a key over 100 characters → 400 validation.invalid', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const n0 = await count();
    expectError(await reg.post('/api/v1/cases', caseBody(), { idempotencyKey: 'k'.repeat(101) }), 400, 'validation.invalid', 'Idempotency-Key');
    assert.equal(await count(), n0);
  });

  it('the portal: a retried online submission returns the same number and code', async () => {
    const body = caseBody({ title: '网上信访幂等测试' });
    delete body.channel;
    const n0 = await count('dl-xfj.dispatcher');
    const r1 = expectStatus(await ctx.publicSubmit(body, { idempotencyKey: 'web-7f3a-0001' }), 201);
    const r2 = expectStatus(await ctx.publicSubmit(body, { idempotencyKey: 'web-7f3a-0001' }), 201);
    assert.equal(r2.case.no, r1.case.no);
    assert.equal(r2.query_code, r1.query_code);
    expectError(await ctx.publicSubmit({ ...body, title: '另一件' }, { idempotencyKey: 'web-7f3a-0001' }), 422, 'idempotency.key_reused');
    assert.equal(await count('dl-xfj.dispatcher'), n0 + 1);
  });
});
