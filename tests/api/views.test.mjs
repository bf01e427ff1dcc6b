// views.test.mjs - saved views (GET/POST /api/v1/me/views, POST
// /api/v1/me/views/{id}/delete): a clerk's named filters for the case list and
// the to-do list, kept on the server so they follow the user from machine to
// machine (docs/API.md "Saved views"). A view holds filters, never rows; its
// filters are checked as the list checks them, so a saved view always opens.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, epoch, expectError, expectStatus, qs } from './helpers.mjs';

const T0 = epoch('2026-11-22T10:00:00+08:00');
let ctx;

const create = async (user, body) => (await ctx.login(user)).post('/api/v1/me/views', body);
const list = async (user) => expectStatus(await (await ctx.login(user)).get('/api/v1/me/views')).items;
const del = async (user, id, body = {}) => (await ctx.login(user)).post(`/api/v1/me/views/${id}/delete`, body);

before(async () => { ctx = await setup({ now: T0 }); });
after(async () => { await ctx?.close(); });

describe('saving, listing and deleting views', () => {
  it('a new user has none; a saved view comes back as saved, with an id and the time it was saved', async () => {
    assert.deepEqual(await list('dl-xfj.registrar'), []);
    const r = await create('dl-xfj.registrar', { name: '本周来访', list: 'cases',
      query: { state: 'registered,dispatched', channel: 'visit', from: '2026-11-16', to: '2026-11-22', q: '欠薪', kind: '' } });
    const v = expectStatus(r, 201);
    assert.equal(typeof v.id, 'number');
    assert.deepEqual(v, { id: v.id, name: '本周来访', list: 'cases', created_at: '2026-11-22T10:00:00+08:00',
      // an empty value is no filter, and is not kept
      query: { state: 'registered,dispatched', channel: 'visit', from: '2026-11-16', to: '2026-11-22', q: '欠薪' } });
    assert.deepEqual(await list('dl-xfj.registrar'), [v]);
    // the saved filters open the list as they are
    expectStatus(await (await ctx.login('dl-xfj.registrar')).get(`/api/v1/cases${qs(v.query)}`));
    // a to-do view, without filters (query may be left out)
    const t = expectStatus(await create('dl-xfj.registrar', { name: '全部待办', list: 'todo' }), 201);
    assert.deepEqual(t.query, {});
    assert.deepEqual((await list('dl-xfj.registrar')).map((x) => x.name), ['本周来访', '全部待办'], 'oldest first');
  });

  it('views follow the user: another session (another machine) and a restarted server see them; other users do not', async () => {
    const mine = await list('dl-xfj.registrar');
    const other = await ctx.freshLogin('dl-xfj.registrar');
    assert.deepEqual(expectStatus(await other.get('/api/v1/me/views')).items, mine);
    assert.deepEqual(await list('dl-xfj.dispatcher'), []);
    await ctx.restart({ now: T0 });
    assert.deepEqual(await list('dl-xfj.registrar'), mine);
  });

  it('a name is unique per user (409 view.name_taken); another user may use it', async () => {
    expectError(await create('dl-xfj.registrar', { name: '本周来访', list: 'todo' }), 409, 'view.name_taken', 'name');
    expectStatus(await create('dl-xfj.dispatcher', { name: '本周来访', list: 'todo' }), 201);
  });

  it('delete: one\'s own view → 200, gone; a missing one, another user\'s, or no number → 404 view.not_found', async () => {
    const v = expectStatus(await create('dl-xfj.registrar', { name: '临时', list: 'cases', query: { kind: 'claim' } }), 201);
    const theirs = (await list('dl-xfj.dispatcher'))[0];
    expectError(await del('dl-xfj.registrar', theirs.id), 404, 'view.not_found');
    assert.deepEqual(await list('dl-xfj.dispatcher'), [theirs], 'another user\'s view is untouched');
    for (const id of ['0', '-1', 'abc', `${v.id}x`, '+1', '99999999999999999999']) {
      expectError(await del('dl-xfj.registrar', encodeURIComponent(id)), 404, 'view.not_found');
    }
    expectError(await del('dl-xfj.registrar', v.id, { force: true }), 400, 'validation.unknown_field', 'force');
    assert.deepEqual(expectStatus(await del('dl-xfj.registrar', v.id)), { ok: true });
    assert.ok(!(await list('dl-xfj.registrar')).some((x) => x.id === v.id));
    expectError(await del('dl-xfj.registrar', v.id), 404, 'view.not_found');
    // the name is free again
    expectStatus(await create('dl-xfj.registrar', { name: '临时', list: 'cases' }), 201);
  });

  it('at most 50 views a user: the 51st → 422 view.too_many; after a delete there is room again', async () => {
    const user = 'dl-xfj.handler';
    for (let i = 1; i <= 50; i++) expectStatus(await create(user, { name: `视图${i}`, list: i % 2 ? 'cases' : 'todo' }), 201);
    expectError(await create(user, { name: '第五十一个', list: 'cases' }), 422, 'view.too_many');
    const all = await list(user);
    assert.equal(all.length, 50);
    expectStatus(await del(user, all[0].id));
    expectStatus(await create(user, { name: '第五十一个', list: 'cases' }), 201);
    assert.equal((await list(user)).length, 50);
  });
});

describe('what a view may hold: the list\'s filters, checked as the list checks them', () => {
  const user = 'dl-xfj.dispatcher';
  const bad = async (body, status, code, field) => {
    const before = await list(user);
    expectError(await create(user, body), status, code, field);
    assert.deepEqual(await list(user), before, 'nothing saved');
  };

  it('name: 1-30 characters (not bytes), not blank, no control characters', async () => {
    await bad({ list: 'cases' }, 400, 'validation.required', 'name');
    await bad({ name: '', list: 'cases' }, 400, 'validation.required', 'name');
    await bad({ name: ' 　 ', list: 'cases' }, 400, 'validation.required', 'name');
    await bad({ name: '名'.repeat(31), list: 'cases' }, 400, 'validation.too_long', 'name');
    await bad({ name: 12, list: 'cases' }, 400, 'validation.type', 'name');
    await bad({ name: '换\n行', list: 'cases' }, 400, 'validation.invalid', 'name');
    expectStatus(await create(user, { name: '名'.repeat(30), list: 'cases' }), 201);
  });

  it('list: "cases" or "todo"; no other field in the body', async () => {
    await bad({ name: 'x' }, 400, 'validation.required', 'list');
    await bad({ name: 'x', list: 'escalations' }, 400, 'validation.invalid', 'list');
    await bad({ name: 'x', list: 'cases', sort: 'due' }, 400, 'validation.unknown_field', 'sort');
  });

  it('query: an object of filter names to strings; cursor, limit and unknown names are refused (400 validation.unknown_field)', async () => {
    await bad({ name: 'x', list: 'cases', query: 'state=registered' }, 400, 'validation.type', 'query');
    await bad({ name: 'x', list: 'cases', query: ['state'] }, 400, 'validation.type', 'query');
    for (const k of ['cursor', 'limit', 'sort', 'holder']) {
      await bad({ name: 'x', list: 'cases', query: { [k]: '1' } }, 400, 'validation.unknown_field', `query.${k}`);
    }
    await bad({ name: 'x', list: 'cases', query: { state: ['registered'] } }, 400, 'validation.type', 'query.state');
    await bad({ name: 'x', list: 'cases', query: { unit: 9 } }, 400, 'validation.type', 'query.unit');
  });

  it('filter values as the list takes them: unknown codes, bad dates, a too long search are refused, with the filter named', async () => {
    await bad({ name: 'x', list: 'cases', query: { state: 'registered,nope' } }, 400, 'validation.unknown_code', 'query.state');
    await bad({ name: 'x', list: 'todo', query: { channel: 'pigeon' } }, 400, 'validation.unknown_code', 'query.channel');
    await bad({ name: 'x', list: 'cases', query: { category: '99' } }, 400, 'validation.unknown_code', 'query.category');
    await bad({ name: 'x', list: 'cases', query: { locality: '23x' } }, 400, 'validation.invalid', 'query.locality');
    await bad({ name: 'x', list: 'cases', query: { unit: 'dl-xfj' } }, 400, 'validation.invalid', 'query.unit');
    await bad({ name: 'x', list: 'cases', query: { from: '2026-02-30' } }, 400, 'validation.invalid', 'query.from');
    await bad({ name: 'x', list: 'cases', query: { q: '字'.repeat(51) } }, 400, 'validation.too_long', 'query.q');
    await bad({ name: 'x', list: 'cases', query: { q: '字'.repeat(201) } }, 400, 'validation.too_long', 'query.q');
    const v = expectStatus(await create(user, { name: '全部筛选', list: 'todo', query: { state: 'registered', channel: 'letter', kind: 'claim',
      category: '03', locality: '2301', unit: String(await ctx.unitId('dl-cgj')), from: '2026-11-01', to: '2026-11-30T18:00', q: '工资 拖欠' } }), 201);
    expectStatus(await (await ctx.login(user)).get(`/api/v1/todo${qs(v.query)}`));
  });
});

describe('who may keep views', () => {
  it('every business role; the 三员 and pii_reader alone get 403 auth.role_denied on all three routes', async () => {
    for (const u of ['dl-cgj.handler', 'hrb-xfj.analyst', 'hrb-xfj.leader', 'hlj-xfj.complaint_supervisor']) {
      expectStatus(await create(u, { name: '我的视图', list: 'cases' }), 201);
    }
    for (const u of ['hlj-xfj.sysadmin', 'hlj-xfj.secadmin', 'hlj-xfj.auditor', 'hrb-xfj.pii_reader']) {
      const c = await ctx.login(u);
      expectError(await c.get('/api/v1/me/views'), 403, 'auth.role_denied');
      expectError(await c.post('/api/v1/me/views', { name: 'x', list: 'cases' }), 403, 'auth.role_denied');
      expectError(await c.post('/api/v1/me/views/1/delete', {}), 403, 'auth.role_denied');
    }
  });

  it('a session is needed (401), and a POST needs the CSRF token (403 auth.csrf)', async () => {
    for (const [m, p] of [['GET', '/api/v1/me/views'], ['POST', '/api/v1/me/views'], ['POST', '/api/v1/me/views/1/delete']]) {
      const r = await fetch(ctx.base + p, { method: m, headers: m === 'POST' ? { 'Content-Type': 'application/json' } : {}, body: m === 'POST' ? '{}' : undefined });
      assert.equal(r.status, 401, `${m} ${p}`);
    }
    const c = await ctx.login('dl-xfj.registrar');
    expectError(await c.post('/api/v1/me/views', { name: '无令牌', list: 'cases' }, { csrf: false }), 403, 'auth.csrf');
    assert.ok(!(await list('dl-xfj.registrar')).some((v) => v.name === '无令牌'));
  });
});
