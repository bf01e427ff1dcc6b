// similar.test.mjs - duplicate and related cases at registration (issue 5;
// seed 002 精准甄别: the same person on the same matter is a repeat petition
// 重复信访, the same matter from different people is related 关联). Candidates
// carry a score, reasons in words and a proposed relation; outside the
// viewer's scope only the number, holding unit and score; an accusation never
// reaches the unit it accuses (R22 art. 30).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, caseBody, expectError, expectStatus, idNumber, transfer, runCli } from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await ctx?.close(); });

const MATTER = '我们小区旁边的搅拌站每天晚上十点以后还在施工，噪音很大，粉尘污染严重，小区居民多次向环保部门反映，'
  + '一直没有得到解决，严重影响了居民的正常休息和身体健康，请有关部门尽快调查处理，依法责令搅拌站停止夜间施工。';
const EDITED = '这个问题我上个月已经反映过：小区旁边的搅拌站每天晚上十点以后还在施工，噪音非常大，粉尘污染也严重，'
  + '居民多次向环保部门反映，一直没有解决，严重影响了居民的正常休息和身体健康，请尽快调查处理，责令搅拌站停止夜间施工。';
const LI = { name: '李秀英', id_number: idNumber('23010219800101002'), phone: '13945670001' };
const ZHAO = { name: '赵建军', id_number: idNumber('23010219750505003'), phone: '13945670002' };
const body = (person, content, over = {}) => caseBody({
  title: '搅拌站夜间施工噪音扰民', content, category: '0401', locality: '230102', petitioners: [person], ...over,
});

describe('candidates at registration', () => {
  let first;
  it('the first petition has no candidates', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const r = expectStatus(await reg.post('/api/v1/cases', body(LI, MATTER)), 201);
    first = r.case.no;
    assert.deepEqual(r.candidates, []);
  });

  it('the same person on the same matter again: a repeat, with the reasons in words', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const r = expectStatus(await reg.post('/api/v1/cases', body(LI, EDITED)), 201);
    const c = r.candidates.find((x) => x.no === first);
    assert.ok(c, JSON.stringify(r.candidates));
    assert.equal(c.relation, 'repeat');
    assert.ok(c.reasons.includes('同一身份证号'));
    assert.ok(c.reasons.includes('同一联系电话'));
    assert.ok(c.reasons.some((x) => /^正文重合 \d+%$/.test(x)), c.reasons.join());
    assert.ok(c.reasons.includes('同一问题属地') && c.reasons.includes('同一问题类别'));
    assert.ok(c.score > 0.6 && c.score <= 1, `score ${c.score}`);
    assert.ok(c.similarity >= 0.3 && c.similarity < 1);
    assert.equal(c.in_scope, true);
    assert.equal(c.title, '搅拌站夜间施工噪音扰民');
    assert.equal(c.state, 'registered');
  });

  it('someone else on the same matter: related, not a repeat', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const r = expectStatus(await reg.post('/api/v1/cases', body(ZHAO, MATTER)), 201);
    const c = r.candidates.find((x) => x.no === first);
    assert.equal(c.relation, 'related');
    assert.ok(!c.reasons.includes('同一身份证号'));
    assert.ok(c.reasons.includes('正文重合 100%'));
  });

  it('the same person on another matter: listed (their history) but no relation', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const r = expectStatus(await reg.post('/api/v1/cases', caseBody({ petitioners: [LI] })), 201);
    const c = r.candidates.find((x) => x.no === first);
    assert.ok(c);
    assert.equal(c.relation, 'none');
    assert.ok(c.reasons.includes('同一身份证号'));
  });

  it('an unrelated petition from someone else finds none of them', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const r = expectStatus(await reg.post('/api/v1/cases', caseBody({
      title: '村委会挪用扶贫资金', content: '某村村委会挪用上级下拨的扶贫资金修建办公楼，村民多次反映无人处理，请上级纪委调查。',
      petitioners: [{ name: '孙立', phone: '13800000009' }],
    })), 201);
    assert.ok(!r.candidates.some((x) => x.no === first), JSON.stringify(r.candidates));
  });

  it('GET /cases/{no}/similar answers the same for an existing case; out of scope → 404', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const r = expectStatus(await reg.get(`/api/v1/cases/${first}/similar`));
    assert.equal(r.no, first);
    assert.ok(r.candidates.length >= 2);
    assert.ok(!r.candidates.some((x) => x.no === first), 'not itself');
    assert.ok(r.candidates.every((x, i, a) => i === 0 || a[i - 1].score >= x.score), 'best first');
    expectError(await (await ctx.login('bx-xfj.registrar')).get(`/api/v1/cases/${first}/similar`), 404, 'case.not_found');
    expectError(await (await ctx.login('hlj-xfj.sysadmin')).get(`/api/v1/cases/${first}/similar`), 403, 'auth.role_denied');
  });
});

describe('candidates while typing (POST /api/v1/cases/similar)', () => {
  it('a draft finds the repeats by ID number even with other words', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const r = expectStatus(await reg.post('/api/v1/cases/similar', {
      content: '搅拌站又在夜里施工', petitioners: [{ name: '李秀英', id_number: LI.id_number.toLowerCase() }],
    }));
    assert.ok(r.candidates.length >= 2);
    assert.ok(r.candidates.every((x) => x.reasons.includes('同一身份证号') || !x.in_scope));
    expectError(await reg.post('/api/v1/cases/similar', { content: 'x', petitioners: [{ idcard: '1' }] }), 400, 'validation.unknown_field');
    expectError(await reg.post('/api/v1/cases/similar', { category: 'nope' }), 422, 'validation.unknown_code');
  });

  it('outside the viewer\'s scope: the number, holding unit and score only', async () => {
    const other = await ctx.login('bx-xfj.registrar'); // 宾县: not under 道里区
    const r = expectStatus(await other.post('/api/v1/cases/similar', { title: '搅拌站夜间施工噪音扰民', content: MATTER,
      petitioners: [{ name: '李秀英', id_number: LI.id_number }] }));
    assert.ok(r.candidates.length > 0);
    for (const c of r.candidates) {
      assert.deepEqual(Object.keys(c).sort(), ['holder_unit', 'in_scope', 'no', 'score']);
      assert.equal(c.in_scope, false);
    }
    assert.ok(!JSON.stringify(r).includes('李秀英') && !JSON.stringify(r).includes('搅拌站'));
  });

  it('an accusation is never offered to the unit it accuses, not even its number (R22 art. 30)', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const units = await ctx.units();
    const text = '道里区城市管理局执法队员张某在拆除违建时收受业主红包，还故意刁难不送礼的商户，请纪委调查处理。';
    const acc = expectStatus(await reg.post('/api/v1/cases', caseBody({
      kind: 'accusation', title: '举报城管执法队员收受红包', content: text, accused_unit: units['dl-cgj'].id,
      petitioners: [{ name: '匿名举报人', phone: '13911112222' }],
    })), 201);
    const { no: other } = await (async () => {
      const r = expectStatus(await reg.post('/api/v1/cases', caseBody({ title: '城管执法人员收受红包', content: text })), 201);
      return { no: r.case.no };
    })();
    await transfer(ctx, other, 'dl-cgj');
    const handler = await ctx.login('dl-cgj.handler');
    const r = expectStatus(await handler.get(`/api/v1/cases/${other}/similar`));
    assert.ok(!JSON.stringify(r).includes(acc.case.no), 'no trace of the accusation');
    const d = expectStatus(await handler.post('/api/v1/cases/similar', { content: text }));
    assert.ok(!JSON.stringify(d).includes(acc.case.no));
    // the bureau above sees it
    const disp = await ctx.login('dl-xfj.dispatcher');
    assert.ok(expectStatus(await disp.get(`/api/v1/cases/${other}/similar`)).candidates.some((x) => x.no === acc.case.no));
  });

  it('the petitioner\'s portal never answers with other people\'s cases', async () => {
    const r = await ctx.publicSubmit({ ...body({ name: '王五', phone: '13900001111' }, MATTER), channel: 'online' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.candidates, undefined);
  });
});

describe('marking related cases at registration (seed 002 关联件)', () => {
  let first;
  before(async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    first = expectStatus(await reg.post('/api/v1/cases', body({ name: '钱七', phone: '13945670009' }, MATTER)), 201).case.no;
  });

  it('the registrar links the new case to the candidates marked related; the case lists them', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const r = expectStatus(await reg.post('/api/v1/cases',
      body({ name: '孙八', phone: '13945670010' }, MATTER, { related: [first, first] })), 201);
    const c = expectStatus(await reg.get(`/api/v1/cases/${r.case.no}`));
    assert.deepEqual(c.relations.filter((x) => x.rel === 'related'), [{ rel: 'related', no: first }]);
  });

  it('an unknown number, a wrong type or more than 10 are refused and register nothing', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const before = expectStatus(await reg.get('/api/v1/cases?limit=200')).items.length;
    expectError(await reg.post('/api/v1/cases', body(LI, MATTER, { related: ['XF2026010199999'] })),
      422, 'validation.unknown_case', 'related');
    expectError(await reg.post('/api/v1/cases', body(LI, MATTER, { related: first })), 400, 'validation.type', 'related');
    expectError(await reg.post('/api/v1/cases', body(LI, MATTER, { related: Array(11).fill(first) })),
      400, 'validation.invalid', 'related');
    assert.equal(expectStatus(await reg.get('/api/v1/cases?limit=200')).items.length, before);
  });

  it('the petitioner\'s portal does not take related links', async () => {
    const r = await ctx.publicSubmit({ ...body({ name: '王五', phone: '13900001111' }, MATTER), channel: 'online', related: [first] });
    expectError(r, 400, 'validation.unknown_field', 'related');
  });
});

describe('command line and rebuild', () => {
  it('`xinfang similar TEXT` explains its candidates; rebuild keeps the signatures', async () => {
    await ctx.server.stop();
    const r = await runCli(['similar', MATTER, '--db', ctx.db]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.candidates.length >= 3);
    assert.ok(out.candidates[0].reasons.some((x) => x.startsWith('正文重合')));
    const b = await runCli(['rebuild', '--db', ctx.db]);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, /identical/);
    const again = JSON.parse((await runCli(['similar', MATTER, '--db', ctx.db])).stdout);
    assert.deepEqual(again.candidates.map((x) => x.no), out.candidates.map((x) => x.no));
    ctx.sessions.clear();
    await ctx.server.start();
  });
});
