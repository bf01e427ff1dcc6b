// search.test.mjs - full-text search (issue 5, "Chinese text"): `q` on
// GET /api/v1/cases and /api/v1/todo answers Chinese queries of two characters
// and more (most Chinese words are two characters, which an FTS5 trigram index
// cannot answer), ranked (title above content above reply), with highlighted
// snippets, combined with every list filter and the viewer's scope
// (R22 art. 30 / seed 004 art. 7: an accusation stays invisible to the
// accused unit, through search too).
//
// The texts are written here so every expectation is known: the issue's own
// example (丽发新城搅拌站噪音扰民), wage arrears (拖欠, seed 003's most common
// claim), a bigram that occurs only across punctuation (噪音，扰民 has no 音扰),
// a title-only and a content-only match of the same word, a case outside
// dl-xfj's scope and an accusation against dl-cgj.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, runCli, epoch, expectStatus, expectError, caseBody, transfer, toReplied } from './helpers.mjs';

let ctx;
const C = {}; // name -> case number

// name: [registrar, fields, then]
const CASES = {
  A: ['dl-xfj.registrar', {
    channel: 'visit', title: '丽发新城搅拌站噪音扰民',
    content: '２０２６年A市丽发新城搅拌站夜间生产，噪音扰民，ABC公司拒不整改。',
    request: '请责令搅拌站停止夜间生产',
  }],
  B: ['dl-xfj.registrar', {
    channel: 'letter', title: '小区物业管理问题',
    content: '物业公司拖欠保洁员工资，小区噪音，扰民严重。',
    request: '请督促物业公司整改',
  }],
  C: ['dl-xfj.registrar', {
    channel: 'visit', title: '工地拖欠农民工工资',
    content: '某建筑公司拖欠二十名农民工工资三个月。',
    request: '请督促公司结清工资',
  }],
  D: ['dl-xfj.registrar', {
    channel: 'phone', title: '夜市占道经营',
    content: '夜市烧烤摊占道经营，深夜噪音大，油烟重。',
    request: '请依法治理',
  }],
  // the same word in the title of one and the content of the other, texts of equal length
  T: ['dl-xfj.registrar', {
    channel: 'visit', title: '路灯损坏无人维修',
    content: '我们小区的照明设施坏了很久，夜里出行很不方便。',
    request: '请尽快修复',
  }],
  U: ['dl-xfj.registrar', {
    channel: 'visit', title: '小区夜间出行不便',
    content: '我们小区的路灯损坏很久了，夜里出行很不方便。',
    request: '请尽快修复',
  }],
  // outside dl-xfj's subtree (哈尔滨市信访局 itself)
  E: ['hrb-xfj.registrar', {
    channel: 'visit', locality: '230103', title: '南岗区商铺噪音扰民',
    content: '南岗区某商铺音响噪音扰民。', request: '请处理',
  }],
  // an accusation against 道里区城市管理局, handled by its sibling 道里区住建局
  F: ['dl-xfj.registrar', {
    channel: 'letter', kind: 'accusation', purpose: 'accuse', category: '1101',
    title: '举报执法人员借噪音检查索要好处',
    content: '城管执法人员以噪音检查为名多次索要好处费。', request: '请依纪依法查处，并为我保密',
  }],
};

async function search(user, params, path = '/api/v1/cases') {
  const c = await ctx.login(user);
  const r = await c.get(`${path}?${new URLSearchParams({ limit: 200, ...params })}`);
  return expectStatus(r);
}
const nos = (body) => body.items.map((i) => i.no);
const set = (a) => [...a].sort();
const named = (...names) => set(names.map((n) => C[n]));

before(async () => {
  ctx = await setup({ now: epoch('2026-06-01T09:30:00+08:00') });
  const cgj = await ctx.unitId('dl-cgj');
  for (const [name, [registrar, fields]] of Object.entries(CASES)) {
    const extra = name === 'F' ? { accused_unit: cgj, accused_name: '某执法队员' } : {};
    C[name] = (await (await ctx.login(registrar)).registered(caseBody({ ...fields, ...extra }))).no;
  }
  await transfer(ctx, C.A, 'dl-cgj'); // dl-cgj sees A …
  await transfer(ctx, C.F, 'dl-zjj'); // … never F, which is about it
  await toReplied(ctx, C.C, 'dl-zjj', { facts: '经查，该公司所欠工资已于五月底全部结清。' });
});
after(async () => { await ctx?.close(); });

describe('issue 5: two-character and longer Chinese queries', () => {
  it('噪音 (2 characters) finds every case with it in scope; 拖欠 finds the wage cases', async () => {
    assert.deepEqual(set(nos(await search('dl-xfj.dispatcher', { q: '噪音' }))), named('A', 'B', 'D', 'F'));
    assert.deepEqual(set(nos(await search('dl-xfj.dispatcher', { q: '拖欠' }))), named('B', 'C'));
    assert.deepEqual(set(nos(await search('dl-xfj.dispatcher', { q: '路灯' }))), named('T', 'U'));
  });

  it('3- and 6-character phrases: 搅拌站, 丽发新城搅拌', async () => {
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '搅拌站' })), [C.A]);
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '丽发新城搅拌' })), [C.A]);
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '农民工工资' })), [C.C]);
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '新城丽发' })), [], 'the characters in another order');
  });

  it('no false hit for a bigram only found across punctuation: 音扰 is in A (噪音扰民), not in B (噪音，扰民)', async () => {
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '音扰' })), [C.A]);
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '噪音扰民' })), [C.A]);
    // punctuation in the query may be left out of the text, not the other way round
    assert.deepEqual(set(nos(await search('dl-xfj.dispatcher', { q: '噪音，扰民' }))), named('A', 'B'));
  });

  it('several terms are all required (AND), in any order', async () => {
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '拖欠 噪音' })), [C.B]);
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '噪音\u3000拖欠' })), [C.B], 'an ideographic space separates too');
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '噪音 不存在的词' })), []);
  });

  it('full-width letters and digits match their half-width forms, case-insensitively', async () => {
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: 'ＡＢＣ公司' })), [C.A]);
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: 'abc' })), [C.A]);
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '2026年' })), [C.A]);
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: 'a市' })), [C.A]);
  });

  it('the request and the reply are searched too (结清 in C\'s request and its reply\'s facts)', async () => {
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '停止夜间生产' })), [C.A]);
    const r = await search('dl-xfj.dispatcher', { q: '五月底' });
    assert.deepEqual(nos(r), [C.C]);
    assert.equal(r.items[0].snippet.field, 'reply');
  });
});

describe('ranking and snippets', () => {
  it('a title match ranks above a content match (路灯: T by its title, then U by its content)', async () => {
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '路灯' })), [C.T, C.U]);
    const r = nos(await search('dl-xfj.dispatcher', { q: '噪音' }));
    assert.ok(r.indexOf(C.A) < r.indexOf(C.B) && r.indexOf(C.A) < r.indexOf(C.D), `A (title) first: ${r}`);
  });

  it('every row has a snippet whose highlights are exactly the query; text is plain, never HTML', async () => {
    const r = await search('dl-xfj.dispatcher', { q: '噪音' });
    for (const item of r.items) {
      const s = item.snippet;
      assert.ok(s && typeof s.text === 'string' && ['title', 'content', 'request', 'reply'].includes(s.field), JSON.stringify(item));
      assert.ok(s.highlights.length >= 1);
      for (const [a, b] of s.highlights) assert.equal(s.text.slice(a, b), '噪音', JSON.stringify(s));
      assert.ok(!/<mark|<\/?b>/.test(s.text));
    }
    // A matches in title and content: the content gives the snippet (the title is on the row anyway)
    const a = r.items.find((i) => i.no === C.A).snippet;
    assert.equal(a.field, 'content');
    assert.equal(a.text, '２０２６年A市丽发新城搅拌站夜间生产，噪音扰民，ABC公司拒不整改。');
    assert.deepEqual(a.highlights, [[19, 21]]);
  });

  it('a phrase is highlighted as one range; several terms each; full-width text keeps its form', async () => {
    const p = (await search('dl-xfj.dispatcher', { q: '丽发新城搅拌' })).items[0].snippet;
    assert.deepEqual(p.highlights.map(([a, b]) => p.text.slice(a, b)), ['丽发新城搅拌']);
    const m = (await search('dl-xfj.dispatcher', { q: '拖欠 噪音' })).items[0].snippet;
    assert.deepEqual(m.highlights.map(([a, b]) => m.text.slice(a, b)), ['拖欠', '噪音']);
    const w = (await search('dl-xfj.dispatcher', { q: 'abc' })).items[0].snippet;
    assert.deepEqual(w.highlights.map(([a, b]) => w.text.slice(a, b)), ['ABC']);
    const n = (await search('dl-xfj.dispatcher', { q: '2026' })).items[0].snippet;
    assert.deepEqual(n.highlights.map(([a, b]) => n.text.slice(a, b)), ['２０２６']);
  });

  it('only the title matches: the title gives the snippet', async () => {
    const t = (await search('dl-xfj.dispatcher', { q: '物业管理' })).items[0];
    assert.equal(t.no, C.B);
    assert.deepEqual(t.snippet, { field: 'title', text: '小区物业管理问题', highlights: [[2, 6]] });
  });

  it('HTML in the case text comes back as text, inside a JSON string', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await reg.registered(caseBody({ title: '网页脚本测试', content: '<script>alert(1)</script>噪声<b>扰民</b>' }));
    const r = await search('dl-xfj.dispatcher', { q: '噪声' });
    const s = r.items.find((i) => i.no === no).snippet;
    assert.equal(s.text, '<script>alert(1)</script>噪声<b>扰民</b>');
    assert.deepEqual(s.highlights, [[25, 27]]);
    assert.deepEqual(set(nos(await search('dl-xfj.dispatcher', { q: 'script' }))), [no]);
  });
});

describe('scope and secrecy', () => {
  it('a case outside the user\'s scope is never returned (E at 哈尔滨市信访局; dl-xfj sees only its subtree)', async () => {
    assert.ok(!nos(await search('dl-xfj.dispatcher', { q: '噪音' })).includes(C.E));
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '商铺' })), []);
    assert.deepEqual(nos(await search('hrb-xfj.dispatcher', { q: '商铺' })), [C.E], 'positive control');
    assert.deepEqual(nos(await search('bx-xfj.dispatcher', { q: '噪音' })), [], 'another county sees nothing');
  });

  it('a handling unit finds only what was sent to it', async () => {
    assert.deepEqual(nos(await search('dl-cgj.handler', { q: '噪音' })), [C.A]);
    assert.deepEqual(nos(await search('dl-zjj.handler', { q: '拖欠' })), [C.C]);
  });

  it('the accused unit never finds the accusation against it (R22 art. 30), whatever it searches', async () => {
    for (const q of ['噪音', '索要好处', '执法人员', '举报', '保密', '好']) {
      for (const u of ['dl-cgj.handler', 'dl-cgj.unit_head']) {
        assert.ok(!nos(await search(u, { q })).includes(C.F), `${u} q=${q}`);
      }
    }
    // positive controls: the registering bureau and the handling sibling
    assert.ok(nos(await search('dl-xfj.dispatcher', { q: '索要好处' })).includes(C.F));
    assert.deepEqual(nos(await search('dl-zjj.handler', { q: '索要好处' })), [C.F]);
  });

  it('the three administrators find nothing', async () => {
    const r = await search('hlj-xfj.sysadmin', { q: '噪音' });
    assert.deepEqual(r.items, []);
  });
});

describe('filters, paging and the to-do list', () => {
  it('q combines with every filter', async () => {
    assert.deepEqual(set(nos(await search('dl-xfj.dispatcher', { q: '噪音', channel: 'letter' }))), named('B', 'F'));
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '噪音', kind: 'accusation' })), [C.F]);
    assert.deepEqual(set(nos(await search('dl-xfj.dispatcher', { q: '噪音', state: 'dispatched' }))), named('A', 'F'));
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '噪音', state: 'registered', channel: 'phone' })), [C.D]);
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '拖欠', state: 'replied' })), [C.C]);
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '噪音', unit: await ctx.unitId('dl-cgj') })), [C.A]);
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '噪音', from: '2026-06-02' })), []);
    assert.deepEqual(set(nos(await search('dl-xfj.dispatcher', { q: '噪音', to: '2026-06-01', category: '03' }))), named('A', 'B', 'D'));
  });

  it('paging a ranked list: limit=1 walks r-cursors through the same order, no gaps or repeats', async () => {
    const all = nos(await search('dl-xfj.dispatcher', { q: '噪音' }));
    assert.equal(all.length, 4);
    const walked = [];
    let cursor;
    for (let i = 0; i < 10; i++) {
      const r = await search('dl-xfj.dispatcher', { q: '噪音', limit: 1, ...(cursor ? { cursor } : {}) });
      walked.push(...nos(r));
      cursor = r.next_cursor;
      if (cursor === null) break;
      assert.match(cursor, /^r\d+$/);
    }
    assert.equal(cursor, null);
    assert.deepEqual(walked, all);
    const two = await search('dl-xfj.dispatcher', { q: '噪音', limit: 2 });
    assert.deepEqual(nos(two), all.slice(0, 2));
    assert.equal(two.next_cursor, 'r2');
    const last = await search('dl-xfj.dispatcher', { q: '噪音', limit: 2, cursor: 'r2' });
    assert.deepEqual(nos(last), all.slice(2));
    assert.equal(last.next_cursor, null, 'an exact multiple of the page ends with null');
  });

  it('a cursor of the wrong kind is refused, not misread', async () => {
    const c = await ctx.login('dl-xfj.dispatcher');
    for (const cursor of ['12', 'r', 'r-1', 'r0', 'rx', 'r1x']) {
      expectError(await c.get(`/api/v1/cases?${new URLSearchParams({ q: '噪音', cursor })}`), 400, 'validation.invalid', 'cursor');
    }
    expectError(await c.get(`/api/v1/cases?${new URLSearchParams({ cursor: 'r2' })}`), 400, 'validation.invalid', 'cursor');
  });

  it('/todo takes q as well: the registered cases dl-xfj.dispatcher must triage, with snippets', async () => {
    const r = await search('dl-xfj.dispatcher', { q: '噪音' }, '/api/v1/todo');
    assert.deepEqual(set(nos(r)), named('B', 'D'));
    for (const i of r.items) assert.ok(i.snippet.highlights.length);
    assert.deepEqual(nos(await search('dl-cgj.handler', { q: '搅拌站' }, '/api/v1/todo')), [C.A]);
    assert.deepEqual(nos(await search('dl-cgj.handler', { q: '拖欠' }, '/api/v1/todo')), []);
  });
});

describe('one character, syntax characters, limits', () => {
  it('a one-character query is answered from the unigrams, and only that character is highlighted', async () => {
    const r = await search('dl-xfj.dispatcher', { q: '噪' });
    assert.deepEqual(set(nos(r)), set([...nos(await search('dl-xfj.dispatcher', { q: '噪音' })),
      ...nos(await search('dl-xfj.dispatcher', { q: '噪声' }))]));
    for (const i of r.items) for (const [a, b] of i.snippet.highlights) assert.equal(i.snippet.text.slice(a, b), '噪');
    assert.deepEqual(set(nos(await search('dl-xfj.dispatcher', { q: '欠' }))), named('B', 'C'));
  });

  it('FTS5 syntax is searched as text, never a 500: " * NEAR ( ) - : ^ + AND OR NOT {}', async () => {
    const c = await ctx.login('dl-xfj.dispatcher');
    const base = nos(await search('dl-xfj.dispatcher', { q: '噪音' }));
    const queries = ['"', '""', '"噪音', '噪音"', '"噪音"', '噪音*', '*', '-噪音', '^噪音', '+噪音', '(噪音)', '(', ')',
      'NEAR(噪音 扰民)', 'NEAR', ':', 'title:噪音', '{title content}:噪音', '噪音 OR 拖欠', '噪音 AND', 'NOT 噪音',
      'AND', '噪音 -拖欠', "噪音'", '\\', '%', '_', '噪音%', '""""""', '"a" "b"'];
    for (const q of queries) {
      const r = await c.get(`/api/v1/cases?${new URLSearchParams({ q, limit: 200 })}`);
      assert.equal(r.status, 200, `q=${q}: ${r.status} ${r.text}`);
      assert.ok(Array.isArray(r.body.items), q);
    }
    // punctuation around a word is ignored; operators are words
    for (const q of ['"噪音"', '噪音*', '-噪音', '^噪音', '(噪音)', '噪音"', '噪音%']) {
      assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q })), base, q);
    }
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '噪音 OR 拖欠' })), [], 'OR is a word none of the cases has');
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: 'title:噪音' })), []);
    // nothing searchable at all: the plain substring filter, as before
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '"' })), []);
    assert.deepEqual(nos(await search('dl-xfj.dispatcher', { q: '，' })).length > 0, true);
  });

  it('over 50 characters is refused (400 validation.too_long)', async () => {
    const c = await ctx.login('dl-xfj.dispatcher');
    expectError(await c.get(`/api/v1/cases?${new URLSearchParams({ q: '噪'.repeat(51) })}`), 400, 'validation.too_long', 'q');
    expectStatus(await c.get(`/api/v1/cases?${new URLSearchParams({ q: '噪"'.repeat(25) })}`));
  });
});

describe('rebuild', () => {
  it('xinfang rebuild refills the index identically and search answers the same', async () => {
    const queries = ['噪音', '拖欠', '音扰', '路灯', '五月底', '噪', 'abc'];
    const before = {};
    for (const q of queries) before[q] = await search('dl-xfj.dispatcher', { q });
    await ctx.server.stop();
    const out = await runCli(['rebuild', '--db', ctx.db]);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.match(out.stdout, /^identical$/m);
    ctx.sessions.clear();
    await ctx.server.start({ now: ctx.server.now });
    for (const q of queries) {
      const r = await search('dl-xfj.dispatcher', { q });
      assert.deepEqual(r.items.map((i) => [i.no, i.snippet]), before[q].items.map((i) => [i.no, i.snippet]), q);
    }
    // and new cases are indexed as they come
    const { no } = await (await ctx.login('dl-xfj.registrar')).registered(caseBody({ title: '重建之后登记的噪音投诉' }));
    assert.ok(nos(await search('dl-xfj.dispatcher', { q: '重建之后' })).includes(no));
  });
});
