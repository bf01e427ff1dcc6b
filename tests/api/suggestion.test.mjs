// suggestion.test.mjs - 三项建议: a supervising petition department sends a
// suggestion (improve work, improve policy, hold accountable) to a unit about a
// case (R22 art. 39); the unit answers in writing within 30 days (R05 art. 36),
// and that limit is a clock on the case like every other.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, epoch, expectError, snapshot, assertUnchanged, caseBody, newCase, transfer, toAccepted, toClosed,
} from './helpers.mjs';

const T0 = epoch('2026-03-02T10:00:00+08:00');
let ctx;
let U;
before(async () => {
  ctx = await setup({ now: T0 });
  U = {};
  for (const c of ['dl-xfj', 'dl-cgj', 'dl-zjj', 'qqhr-cgj']) U[c] = await ctx.unitId(c);
});
after(async () => { await ctx?.close(); });

const clock = (c, name) => c.clocks.filter((k) => k.name === name).at(-1); // latest run last

describe('三项建议 (R22 art. 39; R05 art. 36)', () => {
  it('the supervisor suggests, the unit sees it in its to-do and answers; the 30-day clock runs and stops', async () => {
    const { no } = await newCase(ctx);
    await toAccepted(ctx, no);
    const sup = await ctx.login('dl-xfj.supervisor');
    const before = await sup.getCase(no);
    assert.ok(before.actions.some((a) => a.action === 'suggest'), 'the supervisor is offered 三项建议');
    const c = await sup.acted(no, 'suggest', { to_unit: U['dl-cgj'], suggestion_type: 'work', opinion: '建议规范受理告知程序，按时书面告知信访人。' });
    assert.equal(c.state, 'accepted', 'a suggestion does not move the case');
    assert.equal(c.suggestion_state, 'pending');
    assert.equal(c.suggestion_unit.id, U['dl-cgj']);
    const k = clock(c, 'suggestion');
    assert.equal(k.state, 'running');
    assert.equal(k.limit, '30 days');
    assert.equal(k.unit.id, U['dl-cgj']);
    // 2026-03-02 + 30 days = 2026-04-01, a Wednesday: due at its 24:00
    assert.equal(k.due, '2026-04-02T00:00:00+08:00');
    const head = await ctx.login('dl-cgj.unit_head');
    const todo = (await head.todo()).body.items.map((i) => i.no);
    assert.ok(todo.includes(no), 'the unit head of dl-cgj must answer it');
    const done = await head.acted(no, 'suggestion_feedback', { facts: '已整改：建立受理告知台账，专人负责按时告知。' });
    assert.equal(done.suggestion_state, 'answered');
    assert.equal(clock(done, 'suggestion').state, 'stopped');
    assert.equal(clock(done, 'suggestion').on_time, true);
    // a second suggestion may follow once the first is answered
    const again = await sup.acted(no, 'suggest', { to_unit: U['dl-cgj'], suggestion_type: 'accountability', opinion: '建议对延误责任人批评教育。' });
    assert.equal(again.suggestion_state, 'pending');
  });

  it('refusals change nothing: a second pending suggestion, a missing type, the wrong role, the wrong unit answering', async () => {
    const { no } = await newCase(ctx);
    await toClosed(ctx, no);
    const sup = await ctx.login('dl-xfj.supervisor');
    expectError(await sup.act(no, 'suggest', { to_unit: U['dl-cgj'], opinion: '建议' }), 400, 'validation.required', 'suggestion_type');
    expectError(await sup.act(no, 'suggest', { to_unit: U['dl-cgj'], suggestion_type: 'praise', opinion: '建议' }), 422, 'validation.unknown_code', 'suggestion_type');
    expectError(await sup.act(no, 'suggest', { suggestion_type: 'policy', opinion: '建议' }), 400, 'validation.required', 'to_unit');
    await sup.acted(no, 'suggest', { to_unit: U['dl-cgj'], suggestion_type: 'policy', opinion: '建议完善相关政策。' });
    const snap = await snapshot(sup, no);
    expectError(await sup.act(no, 'suggest', { to_unit: U['dl-zjj'], suggestion_type: 'work', opinion: '再建议' }), 409, 'flow.suggestion_pending');
    expectError(await (await ctx.login('dl-xfj.dispatcher')).act(no, 'suggest', { to_unit: U['dl-cgj'], suggestion_type: 'work', opinion: 'x' }), 403, 'auth.role_denied');
    expectError(await (await ctx.login('dl-zjj.unit_head')).act(no, 'suggestion_feedback', { facts: 'x' }), 404, 'case.not_found');
    await assertUnchanged(sup, no, snap);
  });

  it('an accusation: no suggestion to the accused unit (R22 art. 30)', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await reg.registered(caseBody({ kind: 'accusation', purpose: 'accuse', category: '1101', accused_unit: U['dl-cgj'] }));
    await transfer(ctx, no, 'dl-zjj');
    const sup = await ctx.login('dl-xfj.supervisor');
    const snap = await snapshot(sup, no);
    expectError(await sup.act(no, 'suggest', { to_unit: U['dl-cgj'], suggestion_type: 'accountability', opinion: '建议追责' }), 422, 'flow.accused_unit', 'to_unit');
    await assertUnchanged(sup, no, snap);
  });

  it('a petition department that does not see the case cannot suggest on it', async () => {
    const { no } = await newCase(ctx);
    await toAccepted(ctx, no);
    expectError(await (await ctx.login('qqhr-xfj.supervisor')).act(no, 'suggest', { to_unit: U['qqhr-cgj'], suggestion_type: 'work', opinion: 'x' }), 404, 'case.not_found');
  });
});
