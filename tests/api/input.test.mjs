// input.test.mjs - bad input is refused with a 4xx, a stable code, a
// Chinese message and (where there is one) the field; and nothing is created
// or changed (DESIGN.md section 7, docs/API.md "Conventions").
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, http, expectError, expectStatus, snapshot, assertUnchanged, caseBody, idNumber, badIdNumber, newCase,
} from './helpers.mjs';

let ctx;
let reg;
let U;
before(async () => {
  ctx = await setup();
  reg = await ctx.login('dl-xfj.registrar');
  U = { 'dl-cgj': await ctx.unitId('dl-cgj') };
});
after(async () => { await ctx?.close(); });

/** Assert a registration is refused as expected and creates nothing. */
async function refused(body, status, code, field, opts = {}) {
  const before = await reg.listNos();
  const r = await reg.post('/api/v1/cases', body, opts);
  const e = expectError(r, status, code, field);
  assert.deepEqual(await reg.listNos(), before, 'nothing registered');
  return e;
}

describe('registration fields (seed 003 §1.2; R22 art. 19)', () => {
  for (const f of ['channel', 'kind', 'purpose', 'category', 'locality', 'title', 'content', 'request']) {
    it(`missing ${f} → 400 validation.required (field ${f})`, async () => {
      const body = caseBody();
      delete body[f];
      await refused(body, 400, 'validation.required', f);
    });
  }

  it('blank or null required text counts as missing', async () => {
    await refused(caseBody({ title: '   ' }), 400, 'validation.required', 'title');
    await refused(caseBody({ content: null }), 400, 'validation.required', 'content');
  });

  it('petitioners are required unless the petition is anonymous', async () => {
    const body = caseBody();
    delete body.petitioners;
    await refused(body, 400, 'validation.required', 'petitioners');
    await refused(caseBody({ petitioners: [] }), 400, 'validation.required', 'petitioners');
    await refused(caseBody({ petitioners: [{ phone: '13800000000' }] }), 400, 'validation.required', 'petitioners[0].name');
    const { case: c } = await reg.registered({ ...body, petitioners: undefined, flags: ['anonymous'] });
    assert.deepEqual(c.petitioners, []);
    assert.deepEqual(c.flags, ['anonymous']);
  });

  it('wrong types → 400 validation.type', async () => {
    await refused(caseBody({ title: 123 }), 400, 'validation.type', 'title');
    await refused(caseBody({ people_count: '3' }), 400, 'validation.type', 'people_count');
    await refused(caseBody({ people_count: 2.5 }), 400, 'validation.type', 'people_count');
    await refused(caseBody({ flags: 'urgent' }), 400, 'validation.type', 'flags');
    await refused(caseBody({ petitioners: { name: '张三' } }), 400, 'validation.type', 'petitioners');
    await refused(caseBody({ petitioners: ['张三'] }), 400, 'validation.type', 'petitioners');
    await refused(caseBody({ petitioners: [{ name: '张三', representative: 'yes' }] }), 400, 'validation.type', 'petitioners[0].representative');
    await refused(caseBody({ accused_unit: String(U['dl-cgj']), kind: 'accusation' }), 400, 'validation.type', 'accused_unit');
    const before = await reg.listNos();
    expectError(await reg.post('/api/v1/cases', [caseBody()]), 400, 'validation.type', 'body');
    expectError(await reg.post('/api/v1/cases', 'text'), 400, 'validation.type', 'body');
    expectError(await reg.post('/api/v1/cases', null), 400, 'validation.type', 'body');
    assert.deepEqual(await reg.listNos(), before);
  });

  it('unknown codes → 422 validation.unknown_code', async () => {
    await refused(caseBody({ category: '99' }), 422, 'validation.unknown_code', 'category');
    await refused(caseBody({ locality: '999999' }), 422, 'validation.unknown_code', 'locality');
    await refused(caseBody({ channel: 'email' }), 422, 'validation.unknown_code', 'channel');
    await refused(caseBody({ kind: 'complaint' }), 422, 'validation.unknown_code', 'kind');
    await refused(caseBody({ purpose: 'chat' }), 422, 'validation.unknown_code', 'purpose');
    await refused(caseBody({ flags: ['urgent', 'vip'] }), 422, 'validation.unknown_code', 'flags');
    await refused(caseBody({ petitioners: [{ name: '张三', sex: 'x' }] }), 422, 'validation.unknown_code', 'petitioners[0].sex');
    await refused(caseBody({ petitioners: [{ name: '张三', address_code: '000000' }] }), 422, 'validation.unknown_code', 'petitioners[0].address_code');
  });

  it('unknown fields → 400 validation.unknown_field, also inside a petitioner', async () => {
    await refused(caseBody({ foo: 1 }), 400, 'validation.unknown_field', 'foo');
    await refused(caseBody({ Title: 'x' }), 400, 'validation.unknown_field', 'Title');
    await refused(caseBody({ petitioners: [{ name: '张三', age: 40 }] }), 400, 'validation.unknown_field', 'petitioners[0].age');
  });

  it('an ID number with a wrong check digit → 400 validation.id_number (GB 11643-1999)', async () => {
    const p = (id) => caseBody({ petitioners: [{ name: '张三', id_number: id }] });
    await refused(p(badIdNumber('23010219850315001')), 400, 'validation.id_number', 'petitioners[0].id_number');
    await refused(p('2301021985031500'), 400, 'validation.id_number');
    await refused(p('23010219850315001A'), 400, 'validation.id_number');
    // a lower-case x check character is stored upper-case (shown masked: 110***********123X;
    // the full value is checked in pii.test.mjs)
    let first = null;
    for (let i = 0; i < 100 && !first; i++) {
      const f = `2301021990010${String(1000 + i).slice(1)}0`;
      if (idNumber(f).endsWith('X')) first = f;
    }
    const { case: c } = await reg.registered({ petitioners: [{ name: '张三', id_number: `${first}x` }] });
    assert.equal(c.petitioners[0].id_number, `${first.slice(0, 3)}${'*'.repeat(11)}${first.slice(14)}X`);
    assert.equal(c.petitioners[0].id_type, 'resident_id');
    // other documents are not checked against the citizen ID rule
    await reg.registered({ petitioners: [{ name: 'John Smith', id_type: 'passport', id_number: 'E12345678' }] });
  });

  it('a malformed phone number → 400 validation.phone', async () => {
    await refused(caseBody({ petitioners: [{ name: '张三', phone: '13x00000000' }] }), 400, 'validation.phone');
    // the field names the petitioner, so a form with several can show it at the right row
    await refused(caseBody({ petitioners: [{ name: '张三', phone: '13900000000' }, { name: '李四', phone: '123' }] }),
      400, 'validation.phone', 'petitioners[1].phone');
    await refused(caseBody({ petitioners: [{ name: '张三', phone: '123' }] }), 400, 'validation.phone');
  });

  it('lengths count characters, not bytes', async () => {
    const { case: c } = await reg.registered({ title: '长'.repeat(100) });
    assert.equal(c.title, '长'.repeat(100));
    await refused(caseBody({ title: '长'.repeat(101) }), 400, 'validation.too_long', 'title');
  });

  it('the petition date is a real date, not in the future', async () => {
    await refused(caseBody({ petition_date: '2099-01-01' }), 400, 'validation.invalid', 'petition_date');
    await refused(caseBody({ petition_date: '2025-02-30' }), 400, 'validation.invalid', 'petition_date');
    await refused(caseBody({ petition_date: '2025/01/05' }), 400, 'validation.invalid', 'petition_date');
    const { case: c } = await reg.registered({ petition_date: '2025-01-05' });
    assert.equal(c.petition_date, '2025-01-05');
  });

  it('people counts: at least 1, not fewer than the petitioners registered', async () => {
    await refused(caseBody({ people_count: 0 }), 400, 'validation.invalid', 'people_count');
    await refused(caseBody({ involved_count: -1 }), 400, 'validation.invalid', 'involved_count');
  });

  it('only a registrar registers → 403 auth.role_denied', async () => {
    const before = await reg.listNos();
    for (const user of ['dl-xfj.dispatcher', 'dl-cgj.handler']) {
      expectError(await (await ctx.login(user)).register(), 403, 'auth.role_denied');
    }
    assert.deepEqual(await reg.listNos(), before);
  });
});

describe('requests', () => {
  it('a body over 1 MiB → 413 request.too_large', async () => {
    const before = await reg.listNos();
    const huge = JSON.stringify(caseBody({ content: '长'.repeat(400_000) })); // ~1.2 MB of UTF-8
    assert.ok(Buffer.byteLength(huge) > 1 << 20);
    const r = await reg.post('/api/v1/cases', undefined, { raw: huge, headers: { 'Content-Type': 'application/json' } });
    expectError(r, 413, 'request.too_large');
    const p = await http(ctx.base, 'POST', '/api/public/v1/cases', { raw: huge, headers: { 'Content-Type': 'application/json' } });
    expectError(p, 413, 'request.too_large');
    assert.deepEqual(await reg.listNos(), before);
    // the server is fine afterwards
    expectStatus(await reg.get('/api/v1/me'));
  });

  it('a content over 10000 characters but under 1 MiB → 400 validation.too_long', async () => {
    const before = await reg.listNos();
    const r = await reg.register({ content: '字'.repeat(10001) });
    expectError(r, 400, 'validation.too_long', 'content');
    assert.deepEqual(await reg.listNos(), before);
  });

  it('broken JSON → 400 request.bad_json (also duplicate keys)', async () => {
    const before = await reg.listNos();
    const json = { 'Content-Type': 'application/json' };
    for (const raw of ['{"title": "x",', '{title: 1}', '{"a":1}{"b":2}', '{"title":"a","title":"b"}', '\u0000']) {
      expectError(await reg.post('/api/v1/cases', undefined, { raw, headers: json }), 400, 'request.bad_json');
    }
    expectError(await http(ctx.base, 'POST', '/api/public/v1/query', { raw: '{"no":', headers: json }), 400, 'request.bad_json');
    assert.deepEqual(await reg.listNos(), before);
  });

  it('a body that is not application/json → 415', async () => {
    const before = await reg.listNos();
    const text = JSON.stringify(caseBody());
    expectError(await reg.post('/api/v1/cases', undefined, { raw: text, headers: { 'Content-Type': 'text/plain' } }),
      415, 'request.unsupported_media_type', 'Content-Type');
    expectError(await reg.post('/api/v1/cases', undefined, { raw: text, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
      415, 'request.unsupported_media_type');
    expectError(await reg.post('/api/v1/cases', undefined, { raw: new TextEncoder().encode(text) }),
      415, 'request.unsupported_media_type');
    const ok = await reg.post('/api/v1/cases', undefined, { raw: text, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    expectStatus(ok, 201);
    assert.equal((await reg.listNos()).length, before.length + 1);
  });
});

describe('sessions and CSRF', () => {
  it('no session → 401 auth.required; a forged cookie too', async () => {
    const before = await reg.listNos();
    expectError(await http(ctx.base, 'GET', '/api/v1/cases'), 401, 'auth.required');
    expectError(await http(ctx.base, 'GET', '/api/v1/me'), 401, 'auth.required');
    expectError(await http(ctx.base, 'GET', '/api/v1/todo'), 401, 'auth.required');
    expectError(await http(ctx.base, 'POST', '/api/v1/cases', { body: caseBody() }), 401, 'auth.required');
    expectError(await http(ctx.base, 'GET', '/api/v1/cases', { headers: { Cookie: 'xf_session=forged-token' } }), 401, 'auth.required');
    expectError(await http(ctx.base, 'GET', '/api/v1/cases', { headers: { Cookie: `xf_session=${'a'.repeat(300)}` } }), 401, 'auth.required');
    assert.deepEqual(await reg.listNos(), before);
  });

  it('login sets an HttpOnly SameSite=Strict cookie and returns the CSRF token', async () => {
    const r = await ctx.rawLogin('dl-xfj.registrar');
    assert.equal(r.status, 200);
    assert.match(r.setCookie, /xf_session=[^;]+;/);
    assert.match(r.setCookie, /HttpOnly/);
    assert.match(r.setCookie, /SameSite=Strict/);
    assert.match(r.setCookie, /Path=\//);
    assert.match(r.body.csrf_token, /^[0-9a-f]{64}$/);
    assert.equal(r.body.user.username, 'dl-xfj.registrar');
    assert.deepEqual(r.body.roles, ['registrar']);
    assert.equal(r.body.unit.code, 'dl-xfj');
    assert.ok(!JSON.stringify(r.body).includes('pwhash'));
    const me = await http(ctx.base, 'GET', '/api/v1/me', { headers: { Cookie: r.cookie } });
    assert.equal(me.body.csrf_token, r.body.csrf_token);
  });

  it('a POST without or with a wrong X-CSRF-Token → 403 auth.csrf, nothing created or changed', async () => {
    const before = await reg.listNos();
    expectError(await reg.post('/api/v1/cases', caseBody(), { csrf: false }), 403, 'auth.csrf', 'X-CSRF-Token');
    expectError(await reg.post('/api/v1/cases', caseBody(), { csrf: '0'.repeat(64) }), 403, 'auth.csrf');
    expectError(await reg.post('/api/v1/cases', caseBody(), { csrf: reg.csrf.slice(0, 63) }), 403, 'auth.csrf');
    const other = await ctx.login('dl-xfj.dispatcher');
    expectError(await reg.post('/api/v1/cases', caseBody(), { csrf: other.csrf }), 403, 'auth.csrf');
    assert.deepEqual(await reg.listNos(), before);
    const { no } = await newCase(ctx);
    const snap = await snapshot(other, no);
    expectError(await other.post(`/api/v1/cases/${no}/actions/transfer`, { lead_unit: U['dl-cgj'] }, { ifMatch: 1, csrf: false }), 403, 'auth.csrf');
    await assertUnchanged(other, no, snap);
  });

  it('a wrong password or unknown user → 401 auth.invalid_credentials (same answer)', async () => {
    const a = await ctx.rawLogin('dl-xfj.registrar', 'Xinfang@2026demO');
    const b = await ctx.rawLogin('no-such.user', 'Xinfang@2026demo');
    expectError(a, 401, 'auth.invalid_credentials');
    expectError(b, 401, 'auth.invalid_credentials');
    assert.deepEqual(a.body, b.body);
    assert.equal(a.cookie, null);
    expectError(await http(ctx.base, 'POST', '/api/v1/login', { body: { username: 'dl-xfj.registrar' } }), 400, 'validation.required', 'password');
    expectError(await http(ctx.base, 'POST', '/api/v1/login', { body: { password: 'x' } }), 400, 'validation.required', 'username');
  });

  it('logout ends the session on the server', async () => {
    const c = await ctx.freshLogin('dl-xfj.registrar');
    expectStatus(await c.get('/api/v1/me'));
    const r = await c.post('/api/v1/logout', {});
    expectStatus(r);
    assert.match(r.headers.get('set-cookie'), /Max-Age=0/);
    expectError(await c.get('/api/v1/me'), 401, 'auth.required');
  });
});

describe('responses', () => {
  it('JSON with safe headers; errors too', async () => {
    for (const r of [await reg.get('/api/v1/me'), await reg.get('/api/v1/nothing'), await http(ctx.base, 'GET', '/api/v1/cases')]) {
      assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.ok(r.body !== null, 'a JSON body');
    }
  });
});

describe('routes and actions', () => {
  it('an unknown route → 404 route.not_found; a wrong method → 405', async () => {
    expectError(await reg.get('/api/v1/nothing'), 404, 'route.not_found');
    expectError(await http(ctx.base, 'GET', '/api/v2/cases'), 404, 'route.not_found');
    expectError(await reg.get('/api/v1/cases/XF2026010100001/foo'), 404, 'route.not_found');
    expectError(await http(ctx.base, 'DELETE', '/api/v1/cases'), 405, 'route.method_not_allowed');
    expectError(await http(ctx.base, 'PUT', '/api/v1/cases/XF2026010100001'), 405, 'route.method_not_allowed');
    expectError(await http(ctx.base, 'GET', '/api/v1/login'), 405, 'route.method_not_allowed');
  });

  it('an unknown action → 404 flow.unknown_action, nothing changed', async () => {
    const { no } = await newCase(ctx);
    const disp = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await disp.act(no, 'teleport', {}), 404, 'flow.unknown_action');
    expectError(await disp.act(no, 'register', {}), 404, 'flow.unknown_action');
    await assertUnchanged(disp, no, snap);
  });

  it('action bodies are checked too: unknown field, wrong type, unknown unit', async () => {
    const { no } = await newCase(ctx);
    const disp = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(disp, no);
    expectError(await disp.act(no, 'transfer', { lead: U['dl-cgj'] }), 400, 'validation.unknown_field', 'lead');
    expectError(await disp.act(no, 'transfer', { lead_unit: String(U['dl-cgj']) }), 400, 'validation.type', 'lead_unit');
    expectError(await disp.act(no, 'transfer', { lead_unit: U['dl-cgj'], co_units: 5 }), 400, 'validation.type', 'co_units');
    expectError(await disp.act(no, 'transfer', { lead_unit: U['dl-cgj'], co_units: ['x'] }), 400, 'validation.type', 'co_units');
    expectError(await disp.act(no, 'transfer', { lead_unit: 424242 }), 422, 'validation.unknown_unit', 'lead_unit');
    expectError(await disp.act(no, 'transfer', { lead_unit: U['dl-cgj'], co_units: [424242] }), 422, 'validation.unknown_unit', 'co_units');
    expectError(await disp.act(no, 'reject', { reason: 1, route: 'other' }), 400, 'validation.type', 'reason');
    expectError(await disp.act(no, 'reject', { reason: '超长'.repeat(501), route: 'other' }), 400, 'validation.too_long', 'reason');
    await assertUnchanged(disp, no, snap);
  });

  it('the portal checks its bodies the same way', async () => {
    const before = await reg.listNos();
    const noChannel = (o) => { const b = caseBody(o); delete b.channel; return b; };
    expectError(await ctx.publicSubmit(noChannel({ foo: 1 })), 400, 'validation.unknown_field', 'foo');
    expectError(await ctx.publicSubmit(noChannel({ locality: '999999' })), 422, 'validation.unknown_code', 'locality');
    const b = noChannel();
    delete b.locality;
    expectError(await ctx.publicSubmit(b), 400, 'validation.required', 'locality');
    expectError(await ctx.publicSubmit(noChannel({ petitioners: [{ name: '张三', id_number: badIdNumber('23010219850315001') }] })), 400, 'validation.id_number');
    assert.deepEqual(await reg.listNos(), before);
    const { no, code } = await newCase(ctx);
    const staff = await ctx.login('dl-xfj.dispatcher');
    const snap = await snapshot(staff, no);
    expectError(await ctx.publicAct(no, 'rate', code, { satisfaction: 'meh' }), 422, 'validation.unknown_code', 'satisfaction');
    expectError(await ctx.publicAct(no, 'rate', code, { satisfaction: 'fair' }), 409, 'flow.invalid_transition');
    expectError(await ctx.publicAct(no, 'rate', code, { stars: 5 }), 400, 'validation.unknown_field', 'stars');
    expectError(await ctx.publicAct(no, 'request_review', code.toLowerCase()), 404, 'case.not_found');
    await assertUnchanged(staff, no, snap);
  });
});

describe('list filters are checked (400)', () => {
  const bad = [
    [{ state: 'bogus' }, 'validation.unknown_code', 'state'],
    [{ state: 'registered,bogus' }, 'validation.unknown_code', 'state'],
    [{ state: 'none' }, 'validation.unknown_code', 'state'],
    [{ channel: 'email' }, 'validation.unknown_code', 'channel'],
    [{ kind: 'x' }, 'validation.unknown_code', 'kind'],
    [{ category: '99' }, 'validation.unknown_code', 'category'],
    [{ locality: '23a' }, 'validation.invalid', 'locality'],
    [{ locality: '2' }, 'validation.invalid', 'locality'],
    [{ locality: '2301021' }, 'validation.invalid', 'locality'],
    [{ unit: 'abc' }, 'validation.invalid', 'unit'],
    [{ unit: '0' }, 'validation.invalid', 'unit'],
    [{ from: '2026-13-01' }, 'validation.invalid', 'from'],
    [{ from: 'yesterday' }, 'validation.invalid', 'from'],
    [{ to: '2026-02-30' }, 'validation.invalid', 'to'],
    [{ limit: '0' }, 'validation.invalid', 'limit'],
    [{ limit: '201' }, 'validation.invalid', 'limit'],
    [{ limit: 'ten' }, 'validation.invalid', 'limit'],
    [{ cursor: 'abc' }, 'validation.invalid', 'cursor'],
    [{ cursor: '-5' }, 'validation.invalid', 'cursor'],
    [{ q: '字'.repeat(51) }, 'validation.too_long', 'q'],
  ];
  for (const [params, code, field] of bad) {
    it(`${JSON.stringify(params).slice(0, 60)} → 400 ${code}`, async () => {
      expectError(await reg.list(params), 400, code, field);
    });
  }
});
