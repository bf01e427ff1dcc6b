// lists.test.mjs - GET /api/v1/cases: filters (state, channel, kind,
// category prefix, locality prefix, unit, from/to dates, q text), scope,
// and cursor pagination. Cases are registered on two days (XINFANG_NOW)
// so the date filters have something to tell apart. The expected answer of
// every filter is computed from a model of what was registered.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, epoch, expectStatus, caseBody } from './helpers.mjs';

const DAY1 = '2026-05-11';
const DAY2 = '2026-05-14';
let ctx;
let U;
const model = []; // {no, day, channel, kind, category, locality, state, units:[ids], text, by}

async function add(user, fields, day, after = null) {
  const c = await ctx.login(user);
  const { no } = await c.registered(caseBody(fields));
  const m = {
    no, day, by: user, state: 'registered', units: [],
    channel: fields.channel ?? 'visit', kind: fields.kind ?? 'claim', category: fields.category ?? '0301',
    locality: fields.locality ?? '230102',
    text: [fields.title, fields.content ?? caseBody().content, fields.request ?? caseBody().request].join('|'),
  };
  if (after) await after(m);
  model.push(m);
  return m;
}

before(async () => {
  ctx = await setup({ now: epoch(`${DAY1}T09:30:00+08:00`) });
  U = {};
  for (const c of ['dl-xfj', 'dl-cgj', 'dl-zjj', 'hrb-xfj']) U[c] = await ctx.unitId(c);
  const transferTo = (lead, co = []) => async (m) => {
    await (await ctx.login('dl-xfj.dispatcher')).acted(m.no, 'transfer', { lead_unit: U[lead], co_units: co.map((c) => U[c]) });
    m.state = 'dispatched';
    m.units = [U[lead], ...co.map((c) => U[c])];
  };
  // day 1
  await add('dl-xfj.registrar', { channel: 'visit', kind: 'claim', category: '0301', locality: '230102', title: '甲一 工地欠薪' }, DAY1);
  await add('dl-xfj.registrar', { channel: 'letter', kind: 'proposal', purpose: 'suggest', category: '0802', locality: '230102', title: '甲二 增开公交线路' }, DAY1);
  await add('dl-xfj.registrar', { channel: 'phone', kind: 'accusation', purpose: 'accuse', category: '1101', locality: '230102', title: '甲三 举报收受好处' }, DAY1);
  await add('hrb-xfj.registrar', { channel: 'online', kind: 'claim', category: '0103', locality: '230103', title: '甲四 物业乱收费' }, DAY1);
  await add('hrb-xfj.registrar', { channel: 'fax', kind: 'claim', category: '0302', locality: '230125', title: '甲五 社保断缴' }, DAY1);
  await add('dl-xfj.registrar', { channel: 'visit', kind: 'claim', category: '0301', locality: '230102', title: '甲六 欠薪转送' }, DAY1, transferTo('dl-cgj'));
  // day 2
  await ctx.restart({ now: epoch(`${DAY2}T15:00:00+08:00`) });
  await add('dl-xfj.registrar', { channel: 'visit', kind: 'claim', category: '0303', locality: '230102', title: '乙一 劳动合同纠纷', content: '单位拒付冬季暖气费补贴，拖了三年。' }, DAY2);
  await add('hrb-xfj.registrar', { channel: 'letter', kind: 'claim', category: '0104', locality: '230104', title: '乙二 拆迁安置', request: '请求按原面积回迁安置房' }, DAY2);
  await add('dl-xfj.registrar', { channel: 'visit', kind: 'claim', category: '0301', locality: '230102', title: '乙三 欠薪' }, DAY2, transferTo('dl-cgj'));
  await add('dl-xfj.registrar', { channel: 'visit', kind: 'proposal', purpose: 'suggest', category: '0102', locality: '230102', title: '乙四 城市管理建议' }, DAY2, transferTo('dl-zjj', ['dl-cgj']));
  await add('dl-xfj.registrar', { channel: 'phone', kind: 'claim', category: '0301', locality: '230102', title: '乙五 欠薪电话' }, DAY2);
});
after(async () => { await ctx?.close(); });

const set = (a) => [...a].sort();
function expected(pred) { return set(model.filter(pred).map((m) => m.no)); }
async function got(user, params) {
  const c = await ctx.login(user);
  const r = await c.list({ ...params, limit: 200 });
  expectStatus(r);
  assert.equal(r.body.next_cursor, null);
  return set(r.body.items.map((i) => i.no));
}

const CITY = 'hrb-xfj.dispatcher'; // sees the whole city, both days

describe('filters (docs/API.md "GET /api/v1/cases")', () => {
  it('no filter: everything in scope, newest first, list rows in the documented shape', async () => {
    const c = await ctx.login(CITY);
    const r = await c.list({ limit: 200 });
    const items = expectStatus(r).items;
    assert.deepEqual(set(items.map((i) => i.no)), expected(() => true));
    const order = model.map((m) => m.no).reverse();
    assert.deepEqual(items.map((i) => i.no), order, 'newest first');
    const row = items.find((i) => i.no === model[5].no);
    assert.equal(row.state, 'dispatched');
    assert.equal(row.state_label, '已转交办');
    assert.equal(row.holder_unit.id, U['dl-cgj']);
    assert.equal(row.lead_unit.id, U['dl-cgj']);
    assert.match(row.registered_at, new RegExp(`^${DAY1}T`));
    for (const m of model) assert.ok(m.no.startsWith(`XF${m.day.replaceAll('-', '')}`), `${m.no} numbered by its day`);
    assert.match(row.due_at, /\+08:00$/);
    assert.ok(!('id' in row) && !('content' in row) && !('query_hash' in row));
  });

  const cases = [
    ['state=registered', { state: 'registered' }, (m) => m.state === 'registered'],
    ['state=dispatched', { state: 'dispatched' }, (m) => m.state === 'dispatched'],
    ['state=registered,dispatched', { state: 'registered,dispatched' }, () => true],
    ['state=closed (none)', { state: 'closed' }, () => false],
    ['channel=visit', { channel: 'visit' }, (m) => m.channel === 'visit'],
    ['channel=online', { channel: 'online' }, (m) => m.channel === 'online'],
    ['kind=proposal', { kind: 'proposal' }, (m) => m.kind === 'proposal'],
    ['kind=accusation', { kind: 'accusation' }, (m) => m.kind === 'accusation'],
    ['category=03 (prefix)', { category: '03' }, (m) => m.category.startsWith('03')],
    ['category=0301', { category: '0301' }, (m) => m.category === '0301'],
    ['category=01 (prefix)', { category: '01' }, (m) => m.category.startsWith('01')],
    ['locality=230102', { locality: '230102' }, (m) => m.locality === '230102'],
    ['locality=2301 (prefix)', { locality: '2301' }, (m) => m.locality.startsWith('2301')],
    ['locality=2302 (none)', { locality: '2302' }, () => false],
    ['unit=dl-cgj (lead or co-unit)', { unit: 'dl-cgj' }, (m) => m.units.includes(U['dl-cgj'])],
    ['unit=dl-zjj', { unit: 'dl-zjj' }, (m) => m.units.includes(U['dl-zjj'])],
    [`from=${DAY2}`, { from: DAY2 }, (m) => m.day === DAY2],
    [`to=${DAY1} (the whole day)`, { to: DAY1 }, (m) => m.day === DAY1],
    [`from=to=${DAY1}`, { from: DAY1, to: DAY1 }, (m) => m.day === DAY1],
    ['from/to between the days (none)', { from: '2026-05-12', to: '2026-05-13' }, () => false],
    ['q=暖气费 (content)', { q: '暖气费' }, (m) => m.text.includes('暖气费')],
    ['q=回迁 (request)', { q: '回迁' }, (m) => m.text.includes('回迁')],
    ['q=欠薪 (title)', { q: '欠薪' }, (m) => m.text.includes('欠薪')],
    ['combined: channel=visit, kind=claim, category=03, from day 2', { channel: 'visit', kind: 'claim', category: '03', from: DAY2 },
      (m) => m.channel === 'visit' && m.kind === 'claim' && m.category.startsWith('03') && m.day === DAY2],
  ];
  for (const [name, params, pred] of cases) {
    it(name, async () => {
      const p = { ...params };
      if (p.unit) p.unit = U[p.unit];
      const want = expected(pred);
      const have = await got(CITY, p);
      assert.deepEqual(have, want);
      if (!['state=closed (none)', 'locality=2302 (none)', 'from/to between the days (none)'].includes(name)) {
        assert.ok(want.length > 0, 'the filter is tested on a non-empty answer');
        assert.ok(want.length < model.length || name.startsWith('state=registered,') || name.startsWith('locality=2301'),
          'the filter excludes something');
      }
    });
  }

  it('filters stay within scope: dl-xfj sees only its own subtree', async () => {
    const mine = (m) => m.by.startsWith('dl-xfj.');
    assert.deepEqual(await got('dl-xfj.dispatcher', {}), expected(mine));
    assert.deepEqual(await got('dl-xfj.dispatcher', { channel: 'letter' }), expected((m) => mine(m) && m.channel === 'letter'));
    assert.deepEqual(await got('dl-cgj.handler', {}), expected((m) => m.units.includes(U['dl-cgj'])));
    assert.deepEqual(await got('qqhr-xfj.dispatcher', {}), []);
    assert.deepEqual(await got('qqhr-xfj.dispatcher', { q: '欠薪' }), []);
  });
});

describe('cursor pagination', () => {
  async function walk(user, params, limit) {
    const c = await ctx.login(user);
    const pages = [];
    let cursor;
    for (let i = 0; i < 100; i++) {
      const r = await c.list({ ...params, limit, cursor });
      const body = expectStatus(r);
      pages.push(body.items.map((x) => x.no));
      cursor = body.next_cursor;
      if (cursor === null) break;
      assert.equal(typeof cursor, 'string');
    }
    assert.equal(cursor, null, 'the walk ends');
    return pages;
  }

  it('limit=2 walks all pages without duplicates or gaps; next_cursor null at the end', async () => {
    const all = (await (await ctx.login(CITY)).list({ limit: 200 })).body.items.map((i) => i.no);
    const pages = await walk(CITY, {}, 2);
    const flat = pages.flat();
    assert.deepEqual(flat, all, 'same cases in the same order as one big page');
    assert.equal(new Set(flat).size, flat.length, 'no duplicates');
    for (const p of pages.slice(0, -1)) assert.equal(p.length, 2);
    assert.ok(pages.at(-1).length >= 1 && pages.at(-1).length <= 2);
    assert.equal(pages.length, Math.ceil(all.length / 2));
  });

  it('limit=1 and limit=3 with a filter give the same sequence', async () => {
    const params = { state: 'registered', locality: '2301' };
    const one = (await walk(CITY, params, 1)).flat();
    const three = (await walk(CITY, params, 3)).flat();
    assert.deepEqual(one, three);
    assert.deepEqual(set(one), expected((m) => m.state === 'registered'));
  });

  it('an exact multiple of the page size ends with next_cursor null, not an empty page', async () => {
    const n = model.filter((m) => m.by.startsWith('dl-xfj.')).length;
    const pages = await walk('dl-xfj.dispatcher', {}, n);
    assert.equal(pages.length, 1);
    assert.equal(pages[0].length, n);
  });

  it('a case registered during a walk does not shift the pages already being walked', async () => {
    const c = await ctx.login(CITY);
    const first = expectStatus(await c.list({ limit: 3 }));
    const added = await add('dl-xfj.registrar', { title: '丙一 翻页期间新登记' }, DAY2);
    const rest = [];
    let cursor = first.next_cursor;
    while (cursor !== null) {
      const r = expectStatus(await c.list({ limit: 3, cursor }));
      rest.push(...r.items.map((i) => i.no));
      cursor = r.next_cursor;
    }
    const seen = [...first.items.map((i) => i.no), ...rest];
    assert.equal(new Set(seen).size, seen.length, 'no duplicates');
    assert.ok(!seen.includes(added.no), 'the newer case appears on a fresh first page, not mid-walk');
    assert.deepEqual(set(seen), set(model.filter((m) => m.no !== added.no).map((m) => m.no)), 'no gaps');
    const fresh = expectStatus(await c.list({ limit: 3 }));
    assert.equal(fresh.items[0].no, added.no);
  });
});
