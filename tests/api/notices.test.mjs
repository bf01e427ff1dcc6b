// notices.test.mjs - a unit that keeps running late becomes a candidate for a
// notice (通报, R22 art. 40): the scanner's supervision items (督办) per unit.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, epoch, expectError, newCase, transfer, DAY } from './helpers.mjs';

const T0 = epoch('2026-03-02T10:00:00+08:00');   // a Monday
let ctx;
before(async () => { ctx = await setup({ now: T0 }); });
after(async () => { await ctx?.close(); });

describe('notice candidates (R22 art. 40)', () => {
  it('three cases left unaccepted past their 15 days make dl-cgj a candidate; the scanner made the 督办', async () => {
    for (let i = 0; i < 3; i++) await transfer(ctx, (await newCase(ctx)).no, 'dl-cgj');
    await transfer(ctx, (await newCase(ctx)).no, 'dl-zjj');
    // twenty days later the server starts, and its scanner catches up
    await ctx.restart({ now: T0 + 20 * DAY });
    const sup = await ctx.login('dl-xfj.supervisor');
    const r = await sup.get('/api/v1/supervision/notices?from=2026-03-01&to=2026-03-31&min=3');
    assert.equal(r.status, 200, r.text);
    const byCode = Object.fromEntries(r.body.units.map((u) => [u.unit_code, u]));
    assert.ok(byCode['dl-cgj'], JSON.stringify(r.body));
    assert.equal(byCode['dl-cgj'].cases, 3);
    assert.ok(!byCode['dl-zjj'], 'one late case is not a pattern');
    const four = await sup.get('/api/v1/supervision/notices?from=2026-03-01&to=2026-03-31&min=4');
    assert.ok(!four.body.units.some((u) => u.unit_code === 'dl-cgj'));
    // the 督办 are there for the bureau that supervises dl-cgj
    const items = (await sup.get('/api/v1/escalations?level=overdue')).body.items;
    assert.ok(items.filter((e) => e.unit.name === '道里区城市管理局').length >= 3);
    // another city's bureau sees none of it
    const other = await (await ctx.login('qqhr-xfj.supervisor')).get('/api/v1/supervision/notices?min=1');
    assert.deepEqual(other.body.units, []);
    expectError(await sup.get('/api/v1/supervision/notices?min=x'), 400, 'validation.invalid', 'min');
  });
});
