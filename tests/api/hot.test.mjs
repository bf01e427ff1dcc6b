// hot.test.mjs - hot issues (seed 000 art. 20: field audits where complaints
// concentrate; issue 5): groups of similar cases in a recent window, by
// locality and category, with size and trend, in the viewer's scope.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, caseBody, expectError, expectStatus, epoch } from './helpers.mjs';

const T0 = epoch('2026-11-02T10:00:00+08:00');
let ctx;
before(async () => { ctx = await setup({ now: T0 }); });
after(async () => { await ctx?.close(); });

const NOISE = ['丽发新城小区旁的搅拌站夜间施工，噪音扰民，粉尘很大，居民无法休息，请环保部门查处。',
  '丽发新城旁边的搅拌站每天晚上施工到凌晨，噪音扰民严重，粉尘也很大，请尽快查处。',
  '我住丽发新城，旁边的搅拌站夜间施工，噪音和粉尘扰民，居民无法正常休息，请查处。',
  '丽发新城小区附近搅拌站深夜施工，噪音扰民，粉尘污染，严重影响居民休息，请环保部门依法查处。'];
const WAGES = ['锦绣城二期工地拖欠九十名农民工工资，包工头失联，请人社部门督促总包单位结清。',
  '锦绣城二期项目拖欠农民工工资，九十多名工友年底未拿到钱，请人社部门督促总包单位支付。',
  '我们在锦绣城二期工地干活，工资被拖欠，九十名农民工讨薪无门，请人社部门督促结清工资。'];

describe('hot issues', () => {
  before(async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    // two in the first half of the window, the rest later: a rising noise issue
    for (const [i, content] of NOISE.entries()) {
      if (i === 1) await ctx.restart({ now: T0 + 20 * 86400 });
      const r = await (await ctx.login('dl-xfj.registrar')).post('/api/v1/cases', caseBody({
        title: '搅拌站夜间施工噪音扰民', content, category: '0401', locality: '230102',
        petitioners: [{ name: `居民${i}`, phone: `1390000100${i}` }] }));
      assert.equal(r.status, 201, r.text);
    }
    for (const [i, content] of WAGES.entries()) {
      const r = await (await ctx.login('dl-xfj.registrar')).post('/api/v1/cases', caseBody({
        title: '拖欠农民工工资', content, petitioners: [{ name: `工友${i}`, phone: `1390000200${i}` }] }));
      assert.equal(r.status, 201, r.text);
    }
    void reg;
    expectStatus(await (await ctx.login('dl-xfj.registrar')).post('/api/v1/cases', caseBody({
      title: '反映医保报销比例过低', content: '异地住院医疗费用医保报销比例过低，希望提高。' })), 201);
  });

  it('groups the similar cases of the window, biggest first, with locality, category and trend', async () => {
    const sup = await ctx.login('dl-xfj.supervisor');
    const r = expectStatus(await sup.get('/api/v1/stats/hot?from=2026-11-01&to=2026-11-30&min=3'));
    assert.equal(r.cases_considered, 8);
    assert.equal(r.issues.length, 2, JSON.stringify(r.issues));
    const [noise, wages] = r.issues;
    assert.equal(noise.size, 4);
    assert.equal(noise.locality, '230102');
    assert.equal(noise.category, '0401');
    assert.ok(noise.locality_label && noise.category_label);
    assert.equal(noise.label, '搅拌站夜间施工噪音扰民');
    assert.deepEqual(noise.halves, { earlier: 1, recent: 3 });
    assert.equal(noise.trend, 'rising');
    assert.equal(noise.cases.length, 4);
    assert.equal(wages.size, 3);
    assert.equal(wages.label, '拖欠农民工工资');
    // min=4 leaves only the noise
    assert.equal(expectStatus(await sup.get('/api/v1/stats/hot?from=2026-11-01&to=2026-11-30&min=4')).issues.length, 1);
  });

  it('scope: another county sees none of it; roles and bad input are refused', async () => {
    const other = await ctx.login('bx-xfj.supervisor');
    const r = expectStatus(await other.get('/api/v1/stats/hot?from=2026-11-01&to=2026-11-30&min=3'));
    assert.equal(r.cases_considered, 0);
    assert.deepEqual(r.issues, []);
    const city = expectStatus(await (await ctx.login('hrb-xfj.supervisor')).get('/api/v1/stats/hot?from=2026-11-01&to=2026-11-30&min=3'));
    assert.equal(city.issues.length, 2, 'the city sees its counties');
    expectError(await (await ctx.login('dl-xfj.registrar')).get('/api/v1/stats/hot'), 403, 'auth.role_denied');
    expectError(await (await ctx.login('hlj-xfj.auditor')).get('/api/v1/stats/hot'), 403, 'auth.role_denied');
    const sup = await ctx.login('dl-xfj.supervisor');
    expectError(await sup.get('/api/v1/stats/hot?min=1'), 400, 'validation.invalid');
    expectError(await sup.get('/api/v1/stats/hot?min=x'), 400, 'validation.invalid');
    expectError(await sup.get('/api/v1/stats/hot?from=2026-13-01'), 400, 'validation.invalid');
  });
});
