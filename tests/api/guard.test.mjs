// guard.test.mjs - the HTTP guards in front of the service.
//
// - Rate limits (等保 2.0 level 3, GB/T 22239-2019 8.1.4.1 b 登录失败处理 and
//   8.1.3.x 入侵防范; OWASP ASVS 4.0 2.2.1 anti-automation, 11.1.4): logins and
//   the petitioners' portal are limited per client per minute; a refused request
//   is answered 429 with Retry-After and changes nothing (no session, no failed
//   attempt counted); staff endpoints behind a session are not limited.
// - The client address (等保 2.0 8.1.4.3 c: audit records carry the source):
//   X-Forwarded-For is believed only from --trusted-proxy peers, and then only
//   up to the right-most hop that is not itself a trusted proxy (ASVS 4.0 14.x;
//   a client can write anything to the left of what its proxy appended).
// - Response headers and request checks (ASVS 4.0 14.4.x, 13.1.5, 4.2.2 / 50.x
//   CSRF): tests/api/input.test.mjs already checks nosniff and no-store on JSON
//   and errors, and 415 on a staff POST; login.test.mjs checks CSP
//   frame-ancestors on one JSON answer and the cross-site Origin on staff POST
//   and login. Here: the rest of the header set on every kind of answer, 415 on
//   the login and the portal, and the Origin refusal coming before the session.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, epoch, expectError, expectStatus, http, runCli, freePort, PASSWORD, NO_RATE_LIMITS, Client,
} from './helpers.mjs';

const T0 = epoch('2026-03-02T10:00:00+08:00');
const AUD = 'hlj-xfj.auditor';
const RATE = ['--rate-login', '5', '--rate-public', '4'];

let ctx;
let auditor; // one audit administrator session, kept across restarts (the clock moves by minutes)
before(async () => {
  ctx = await setup({ now: T0 });
  auditor = await ctx.login(AUD);
});
after(async () => { await ctx?.close(); });

/** Restart on the same database with another clock and other serve options (rate buckets start empty). */
async function restart(now, args) {
  await ctx.server.stop();
  await ctx.server.start({ now, args });
}

/** POST /api/v1/login as it comes through a proxy: {status, body, text, headers, cookie}. */
async function login(username, password = PASSWORD, xff) {
  const headers = xff === undefined ? {} : { 'X-Forwarded-For': xff };
  const r = await http(ctx.base, 'POST', '/api/v1/login', { body: { username, password }, headers });
  const m = /xf_session=([^;]*)/.exec(r.headers.get('set-cookie') || '');
  return { ...r, cookie: m ? `xf_session=${m[1]}` : null };
}

function query(xff) {
  const headers = xff === undefined ? {} : { 'X-Forwarded-For': xff };
  return http(ctx.base, 'POST', '/api/public/v1/query', { body: { no: '2026-999999', query_code: 'ABCDEFGH' }, headers });
}

/** The audit rows (newest first). */
async function auditRows() {
  return expectStatus(await auditor.get('/api/v1/audit?limit=500')).items;
}

/** The newest login row of `username` (with `result` if given). */
async function loginRow(username, result) {
  const row = (await auditRows()).find((x) => x.action === 'login' && x.object === username && (!result || x.result === result));
  assert.ok(row, `no audit row for the login of ${username}`);
  return row;
}

/** Assert a 429 answer: stable code, Chinese message naming the wait, Retry-After, no session. */
function expectLimited(r, maxWait) {
  expectError(r, 429, 'request.rate_limited');
  const after = r.headers.get('retry-after');
  assert.match(after ?? '', /^\d+$/, `Retry-After: ${after}`);
  assert.ok(Number(after) >= 1 && Number(after) <= maxWait, `Retry-After ${after} not in 1..${maxWait}`);
  assert.match(r.body.error.message, new RegExp(`请求过于频繁，请${after}秒后再试`));
  assert.equal(r.headers.get('set-cookie'), null, 'no session on a refused login');
}

/** The headers every answer carries (ASVS 14.4.3-14.4.7). */
function expectSecureHeaders(r, what) {
  const h = (n) => r.headers.get(n);
  assert.equal(h('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(h('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.equal(h('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
  assert.match(h('content-security-policy') ?? '', /frame-ancestors 'none'/, `${what}: CSP frame-ancestors`);
  assert.match(h('content-security-policy') ?? '', /default-src '(self|none)'/, `${what}: CSP default-src`);
  assert.equal(h('cache-control'), 'no-store', `${what}: Cache-Control`);
}

// ---------------------------------------------------------------------------------------------
describe('response headers and request checks (ASVS 14.4, 13.1.5; CSRF)', () => {
  it('HEAD answers like GET without a body (RFC 9110 9.3.2), and needs the same session', async () => {
    const h = await http(ctx.base, 'HEAD', '/healthz');
    assert.equal(h.status, 200);
    assert.equal(h.text, '');
    assert.match(h.headers.get('content-type'), /application\/json/);
    assert.equal(h.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await http(ctx.base, 'HEAD', '/api/v1/cases')).status, 401);
    const reg = await ctx.login('dl-xfj.registrar');
    const r = await http(ctx.base, 'HEAD', '/api/v1/me', { headers: { Cookie: reg.cookie } });
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
    assert.equal((await http(ctx.base, 'HEAD', '/api/v1/logout', { headers: { Cookie: reg.cookie } })).status, 405,
      'HEAD of a POST-only route is not a way around CSRF');
  });

  it('every kind of answer carries nosniff, DENY framing, no-referrer, a CSP with frame-ancestors \'none\' and no-store', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const answers = {
      'JSON (GET /api/v1/me)': await reg.get('/api/v1/me'),
      'JSON (GET /healthz)': await http(ctx.base, 'GET', '/healthz'),
      'error 401': await http(ctx.base, 'GET', '/api/v1/cases'),
      'error 404': await http(ctx.base, 'GET', '/api/v1/nothing'),
      'error 405': await http(ctx.base, 'DELETE', '/api/v1/cases'),
      'error 400 (portal)': await http(ctx.base, 'POST', '/api/public/v1/query', { raw: '{', headers: { 'Content-Type': 'application/json' } }),
      'failed login': await login('dl-xfj.registrar', 'Wrong@Password1'),
      'HTML (GET /)': await http(ctx.base, 'GET', '/'),
    };
    assert.equal(answers['JSON (GET /api/v1/me)'].status, 200);
    assert.equal(answers['HTML (GET /)'].status, 200);
    assert.match(answers['HTML (GET /)'].headers.get('content-type'), /^text\/html; charset=utf-8/);
    for (const [what, r] of Object.entries(answers)) expectSecureHeaders(r, what);
  });

  it('a body that is not application/json → 415 on the login and the portal too (no session, nothing counted)', async () => {
    const form = 'username=dl-xfj.dispatcher&password=Xinfang%402026demo';
    for (const ct of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const r = await http(ctx.base, 'POST', '/api/v1/login', { raw: form, headers: { 'Content-Type': ct } });
      expectError(r, 415, 'request.unsupported_media_type', 'Content-Type');
      assert.equal(r.headers.get('set-cookie'), null);
      expectSecureHeaders(r, '415');
    }
    const json = JSON.stringify({ username: 'dl-xfj.dispatcher', password: PASSWORD });
    expectError(await http(ctx.base, 'POST', '/api/v1/login', { raw: json, headers: { 'Content-Type': 'text/plain' } }),
      415, 'request.unsupported_media_type');
    expectError(await http(ctx.base, 'POST', '/api/public/v1/query',
      { raw: JSON.stringify({ no: '2026-000001', query_code: 'ABCDEFGH' }), headers: { 'Content-Type': 'text/plain' } }),
    415, 'request.unsupported_media_type');
    expectError(await http(ctx.base, 'POST', '/api/public/v1/cases', { raw: 'title=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
      415, 'request.unsupported_media_type');
    // the refused form logins were not attempts: no audit row
    assert.ok(!(await auditRows()).some((x) => x.action === 'login' && x.object === 'dl-xfj.dispatcher'));
  });

  it('a cross-site Origin is refused before the session is looked at; another port or scheme-less origin is cross-site', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    // no cookie at all: still 403 auth.origin, not 401 (the session is never consulted)
    expectError(await http(ctx.base, 'POST', '/api/v1/cases', { body: {}, headers: { Origin: 'https://evil.example' } }),
      403, 'auth.origin', 'Origin');
    const port = Number(new URL(ctx.base).port);
    for (const origin of [`http://127.0.0.1:${port + 1}`, 'null', `http://127.0.0.1:${port}.evil.example`, `ftp://127.0.0.1:${port}`]) {
      expectError(await reg.post('/api/v1/logout', {}, { headers: { Origin: origin } }), 403, 'auth.origin', 'Origin');
    }
    expectStatus(await reg.get('/api/v1/me'), 200); // none of them logged out
    expectStatus(await reg.post('/api/v1/me/totp/setup', {}, { headers: { Origin: ctx.base } }), 200);
  });
});

// ---------------------------------------------------------------------------------------------
describe('the client address in the audit log (等保 2.0 8.1.4.3 c)', () => {
  it('without --trusted-proxy, X-Forwarded-For is ignored: the client is the peer, 127.0.0.1', async () => {
    expectStatus(await login('dl-xfj.dispatcher', PASSWORD, '203.0.113.50'));
    expectError(await login('dl-xfj.handler', 'Wrong@Password1', '203.0.113.51'), 401, 'auth.invalid_credentials');
    assert.equal((await loginRow('dl-xfj.dispatcher', 'ok')).client, '127.0.0.1');
    assert.equal((await loginRow('dl-xfj.handler', 'failure')).client, '127.0.0.1');
  });

  it('with --trusted-proxy, the right-most hop that is not a trusted proxy is the client, in every audit row', async () => {
    await restart(T0 + 60, ['--trusted-proxy', '10.0.0.0/8, 127.0.0.1,::1', ...NO_RATE_LIMITS]);
    const cases = [
      ['dl-xfj.unit_head', '203.0.113.9', '203.0.113.9'],
      // a client can write anything on the left; its proxy appended the address it saw
      ['dl-xfj.supervisor', '198.51.100.7, 203.0.113.9', '203.0.113.9'],
      // a trusted hop (10.0.0.0/8) is skipped
      ['dl-xfj.reviewer', '198.51.100.7, 10.1.2.3', '198.51.100.7'],
      ['dl-zjj.handler', '2001:db8::7', '2001:db8::7'],
      // not an address: the peer is kept
      ['dl-zjj.unit_head', 'unknown', '127.0.0.1'],
      ['dl-cgj.handler', `${'9'.repeat(60)}`, '127.0.0.1'],
    ];
    for (const [user, xff] of cases) expectStatus(await login(user, PASSWORD, xff));
    for (const [user, xff, want] of cases) assert.equal((await loginRow(user, 'ok')).client, want, `X-Forwarded-For: ${xff}`);
    expectError(await login('dl-cgj.unit_head', 'Wrong@Password1', '192.0.2.44'), 401, 'auth.invalid_credentials');
    assert.equal((await loginRow('dl-cgj.unit_head', 'failure')).client, '192.0.2.44');
    // a case registered through the proxy
    const r = await login('dl-xfj.registrar', PASSWORD, '198.51.100.99');
    const reg = new Client(ctx, 'dl-xfj.registrar', r);
    const { no } = await reg.registered({}, { headers: { 'X-Forwarded-For': '198.51.100.99' } });
    const row = (await auditRows()).find((x) => x.action === 'case.register' && x.object === no);
    assert.equal(row?.client, '198.51.100.99');
  });

  it('a bad --trusted-proxy value makes `serve` exit with status 2 and name it', async () => {
    for (const [value, bad] of [['localhost', 'localhost'], ['127.0.0.1/33', '127.0.0.1/33'],
      ['10.0.0.0/8,not-an-ip', 'not-an-ip'], ['::1/129', '::1/129'], ['10.0.0.0/', '10.0.0.0/']]) {
      const port = await freePort();
      const r = await runCli(['serve', '--db', ctx.db, '--listen', '127.0.0.1', '--port', String(port),
        '--trusted-proxy', value, ...NO_RATE_LIMITS], { timeoutMs: 15_000 });
      assert.equal(r.code, 2, `--trusted-proxy ${value}: exit ${r.code} ${r.signal ?? ''}\n${r.stderr}`);
      assert.match(r.stderr, /--trusted-proxy/);
      assert.ok(r.stderr.includes(`'${bad}'`), `the message names '${bad}': ${r.stderr}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('rate limits (等保 2.0 8.1.4.1 b; ASVS 2.2.1)', () => {
  it('the 6th login in a minute from one client → 429 with Retry-After, changing nothing; X-Forwarded-For does not make a new client', async () => {
    await restart(T0 + 120, RATE);
    const V = 'lj-nyj.unit_head';
    expectStatus(await login('dl-cgj.handler')); // 1
    // 2-5: guessing V's password, each claiming another address (not believed: no trusted proxy)
    for (let i = 2; i <= 5; i++) {
      const r = await login(V, 'Wrong@Password1', `203.0.113.${i}`);
      expectError(r, 401, 'auth.invalid_credentials');
      assert.match(r.body.error.message, new RegExp(`还可尝试${6 - i}次`));
    }
    // 6: refused before the password is looked at; had it counted, V would now be locked
    expectLimited(await login(V, 'Wrong@Password1', '203.0.113.6'), 13);
    expectLimited(await login(V, PASSWORD), 13);
    expectLimited(await login('dl-cgj.unit_head', PASSWORD, '198.51.100.200'), 13);
    const rows = (await auditRows()).filter((x) => x.action === 'login' && x.object === V);
    assert.equal(rows.length, 4, `V's login rows: ${JSON.stringify(rows)}`);
    assert.ok(rows.every((x) => x.result === 'failure'));
  });

  it('staff endpoints behind a session are not limited', async () => {
    const c = await ctx.login('dl-xfj.registrar'); // a session from before the restart
    for (let i = 0; i < 25; i++) expectStatus(await c.get('/api/v1/me'));
    for (let i = 0; i < 10; i++) expectStatus(await http(ctx.base, 'GET', '/healthz'));
    expectStatus(await c.post('/api/v1/cases', undefined, { raw: 'x', headers: { 'Content-Type': 'text/plain' } }), 415);
  });

  it('the portal: the 5th request in a minute → 429 (its own bucket, apart from logins)', async () => {
    for (let i = 1; i <= 4; i++) expectError(await query(`203.0.113.${i}`), 404, 'case.not_found');
    expectLimited(await query('203.0.113.9'), 16);
    expectLimited(await http(ctx.base, 'POST', '/api/public/v1/cases', { body: {} }), 16);
    // the limited portal does not limit the staff (who are limited only at login)
    expectStatus(await (await ctx.login('dl-xfj.registrar')).get('/api/v1/me'));
  });

  it('with --trusted-proxy, each forwarded client has its own bucket; the 429s above counted no failure', async () => {
    await restart(T0 + 180, ['--trusted-proxy', '127.0.0.1', ...RATE]);
    const V = 'lj-nyj.unit_head';
    // four failures were counted for V, not six: the right password still works
    const ok = await login(V, PASSWORD, '198.51.100.1');
    expectStatus(ok);
    assert.equal((await loginRow(V, 'ok')).client, '198.51.100.1');
    for (let i = 2; i <= 5; i++) expectError(await login('probe.nobody', 'Wrong@Password1', '198.51.100.1'), 401, 'auth.invalid_credentials');
    expectLimited(await login('dl-cgj.handler', PASSWORD, '198.51.100.1'), 13);
    // the same client behind two trusted hops is the same client
    expectLimited(await login('dl-cgj.handler', PASSWORD, '198.51.100.1, 127.0.0.1'), 13);
    // other clients of the same proxy are not held up
    expectStatus(await login('dl-cgj.handler', PASSWORD, '198.51.100.2'));
    expectStatus(await login('dl-cgj.unit_head', PASSWORD));
    for (let i = 1; i <= 4; i++) expectError(await query('198.51.100.7'), 404, 'case.not_found');
    expectLimited(await query('198.51.100.7'), 16);
    expectError(await query('198.51.100.8'), 404, 'case.not_found');
    expectError(await query(), 404, 'case.not_found');
  });
});
