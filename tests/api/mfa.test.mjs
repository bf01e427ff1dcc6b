// mfa.test.mjs - the second factor and the administration of staff accounts.
//
// 等保 2.0 level 3 (GB/T 22239-2019 8.1.4.1 身份鉴别): administrators identify
// with two factors (password + RFC 6238 TOTP); failed attempts, the wrong code
// included, count toward the 5-failure lock. 三员分立 (8.1.4.2 访问控制, 8.1.10.x
// 集中管控): the system administrator creates and disables accounts, the security
// administrator grants roles and resets second factors, the audit administrator
// reads the log; nobody administers their own account; every change is audited
// (8.1.4.3 安全审计). OWASP ASVS 4.0 V2.8 (one-time verifiers), V3.2/V3.3
// (session binding and termination). RFC 6238 §5.2: one step of clock drift is
// tolerated and a code is accepted once.
//
// The server's clock is fixed (XINFANG_NOW = T0), so every TOTP step used here
// is known: S0 is the step of T0, the server accepts S0-1..S0+1, each code once
// and only later than the last one the account used.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  setup, epoch, newCase, expectError, expectStatus, http, runCli, totpCode, Client, PASSWORD, DEMO_TOTP_SECRET,
} from './helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const T0 = epoch('2026-03-02T10:00:00+08:00');
const S0 = Math.floor(T0 / 30);
const SYS = 'hlj-xfj.sysadmin';
const SEC = 'hlj-xfj.secadmin';
const AUD = 'hlj-xfj.auditor';
const demoCode = (step) => totpCode(DEMO_TOTP_SECRET, step);

/** A 6-digit code that no step of the server's window (S0-1..S0+1) gives for `secret`. */
function wrongCode(secret) {
  const valid = new Set([S0 - 1, S0, S0 + 1].map((s) => totpCode(secret, s)));
  return ['000000', '111111', '222222', '333333'].find((c) => !valid.has(c));
}

let ctx;
before(async () => { ctx = await setup({ now: T0 }); });
after(async () => { await ctx?.close(); });

/** Remember that `user` used `step`, so ctx.login picks a later one. */
function used(user, step) {
  ctx.totpLast ??= new Map();
  ctx.totpLast.set(user, Math.max(ctx.totpLast.get(user) ?? -Infinity, step));
}

/** Log in with an explicit second factor (null: none); a Client on 200. */
async function loginWith(user, totp, password = PASSWORD) {
  return ctx.rawLogin(user, password, { totp });
}

function client(user, r) {
  assert.equal(r.status, 200, `login ${user}: ${r.status} ${r.text}`);
  assert.ok(r.cookie, `login ${user}: no cookie`);
  return new Client(ctx, user, r);
}

/** GET /api/v1/users (as sysadmin): username → row. */
async function userTable() {
  const sys = await ctx.login(SYS);
  const items = expectStatus(await sys.get('/api/v1/users')).items;
  return Object.fromEntries(items.map((u) => [u.username, u]));
}

/** The audit log, newest first (as the audit administrator). */
async function auditRows() {
  const aud = await ctx.login(AUD);
  return expectStatus(await aud.get('/api/v1/audit?limit=500')).items;
}

function findRow(rows, want) {
  const row = rows.find((x) => Object.entries(want).every(([k, v]) => x[k] === v));
  assert.ok(row, `no audit row ${JSON.stringify(want)} in:\n${rows.slice(0, 30).map((x) => JSON.stringify(x)).join('\n')}`);
  return row;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** POST /api/v1/login on a new TCP connection (no keep-alive reuse): {status, body, text, setCookie}. */
function freshLogin(username, totp, password = PASSWORD) {
  const payload = JSON.stringify({ username, password, totp });
  return new Promise((resolve, reject) => {
    const req = request(`${ctx.base}/api/v1/login`, {
      method: 'POST', agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), Connection: 'close' },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d) => { text += d; }).on('end', () => {
        let body = null;
        try { body = JSON.parse(text); } catch { /* not JSON */ }
        const sc = res.headers['set-cookie'];
        resolve({ status: res.statusCode, body, text, setCookie: Array.isArray(sc) ? sc.join('; ') : sc || '' });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const noSession = (r) => assert.equal(r.cookie, null, `a session cookie was set: ${r.setCookie}`);

// ---------------------------------------------------------------------------------------------
describe('administrators log in with two factors (等保 2.0 8.1.4.1 b/d; RFC 6238 §5.2)', () => {
  it('no code → 401 auth.totp_required, not counted toward the lock; a wrong code is counted; a wrong password tells nothing about the code', async () => {
    for (const admin of [SYS, SEC, AUD]) {
      const r = await loginWith(admin, null);
      expectError(r, 401, 'auth.totp_required', 'totp');
      noSession(r);
    }
    // a wrong password with the right code: the password answer, the code not spent
    const wp = await loginWith(AUD, demoCode(S0 - 1), 'Wrong@Password1');
    expectError(wp, 401, 'auth.invalid_credentials');
    assert.match(wp.body.error.message, /还可尝试4次/);
    // wrong codes: failures 2, 3, 4 of 5
    for (let left = 3; left >= 1; left--) {
      const r = await loginWith(AUD, wrongCode(DEMO_TOTP_SECRET));
      expectError(r, 401, 'auth.totp_invalid', 'totp');
      assert.match(r.body.error.message, new RegExp(`还可尝试${left}次`));
      noSession(r);
    }
    // four failures in a row: one more counted attempt would lock; a missing code is not one
    for (let i = 0; i < 3; i++) expectError(await loginWith(AUD, null), 401, 'auth.totp_required');
    expectError(await loginWith(AUD, ''), 401, 'auth.totp_required');
    const ok = await loginWith(AUD, demoCode(S0 - 1)); // one step behind the server: accepted
    const aud = client(AUD, ok);
    used(AUD, S0 - 1);
    assert.equal(ok.body.totp_enrolment_required, false);
    assert.equal(ok.body.user.totp_enabled, true);
    const rows = expectStatus(await aud.get('/api/v1/audit?limit=50')).items;
    const mine = rows.filter((x) => x.action === 'login' && x.object === AUD);
    assert.equal(mine[0].result, 'ok');
    assert.equal(mine[0].detail, 'password+totp');
    assert.deepEqual(mine.slice(1, 5).map((x) => [x.result, x.detail]),
      [['failure', 'auth.totp_invalid'], ['failure', 'auth.totp_invalid'], ['failure', 'auth.totp_invalid'],
        ['failure', 'auth.invalid_credentials']], 'the counted attempts are audited; the missing codes are not failures');
  });

  it('a code is accepted once (replay refused), one step early or late is accepted, two steps off are refused', async () => {
    // S0-1 was used by the last test: replaying it is refused
    expectError(await loginWith(AUD, demoCode(S0 - 1)), 401, 'auth.totp_invalid', 'totp');
    expectError(await loginWith(AUD, demoCode(S0 + 2)), 401, 'auth.totp_invalid', 'totp');
    expectError(await loginWith(AUD, demoCode(S0 - 2)), 401, 'auth.totp_invalid', 'totp');
    const late = await loginWith(AUD, demoCode(S0 + 1)); // one step ahead of the server
    const aud = client(AUD, late);
    used(AUD, S0 + 1);
    ctx.sessions.set(AUD, aud); // the audit administrator's session for the rest of the file
    // a code older than the last one used is refused too, although within the window
    const old = await loginWith(AUD, demoCode(S0));
    expectError(old, 401, 'auth.totp_invalid', 'totp');
    noSession(old);
    expectStatus(await aud.get('/api/v1/me'));
  });

  it('two logins racing with the same code: only one session (RFC 6238 §5.2: accept a code once)', async () => {
    // Each on its own connection; the later ones start while the first is hashing its
    // password (Argon2id, ~0.1 s), so the server's other thread takes one at the same time.
    const code = demoCode(S0);
    const pending = [];
    for (const delay of [0, 15, 25]) {
      await sleep(delay);
      pending.push(freshLogin(SEC, code));
    }
    const rs = await Promise.all(pending);
    const ok = rs.filter((r) => r.status === 200);
    if (ok.length) {
      used(SEC, S0);
      const m = /xf_session=([^;]*)/.exec(ok[0].setCookie);
      ctx.sessions.set(SEC, new Client(ctx, SEC, { cookie: `xf_session=${m[1]}`, body: ok[0].body }));
    }
    assert.equal(ok.length, 1, `the same code opened ${ok.length} sessions: ${rs.map((r) => `${r.status} ${r.body?.error?.code ?? ''}`).join(', ')}`);
    for (const r of rs.filter((x) => x.status !== 200)) expectError(r, 401, 'auth.totp_invalid');
  });

  it('`xinfang totp --secret` prints the code of the server clock', async () => {
    const r = await runCli(['totp', '--secret', DEMO_TOTP_SECRET], { now: T0 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${demoCode(S0)} \\(valid for 30 more seconds\\)`));
  });
});

// ---------------------------------------------------------------------------------------------
/** Every staff route of the table in src/http/server.c: {method, path, flags}. */
function staffRoutes() {
  const src = readFileSync(path.resolve(HERE, '../../src/http/server.c'), 'utf8');
  const start = src.indexOf('static const struct route routes[]');
  assert.ok(start > 0, 'route table not found in src/http/server.c');
  const table = src.slice(start, src.indexOf('\n};', start));
  const routes = [];
  for (const m of table.matchAll(/\{\s*"([A-Z]+)",\s*"([^"]+)",\s*(\w+),\s*([^}]*)\}/g)) {
    if (!/R_AUTH/.test(m[4])) continue;
    // values for the path segments: real ones, so a missing gate would show its effect
    const first = { cases: '2026-000001', users: 'dl-xfj.registrar', policies: 'national', units: 'dl-xfj' };
    let n = 0;
    const p = m[2].replace(/\{\}/g, () => (n++ === 0 ? (first[m[2].split('/')[3]] ?? 'x') : m[2].includes('/actions/') ? 'accept' : '1'));
    routes.push({ method: m[1], path: p, pattern: m[2], enrol: /R_ENROL/.test(m[4]), upload: /R_UPLOAD/.test(m[4]) });
  }
  return routes;
}

describe('an administrator without a second factor may only enrol one (等保 2.0 8.1.4.1 d)', () => {
  const NEW = 'hlj-xfj.auditor2';
  let s1; let s2; let s3; let secret;

  it('created by `xinfang user add` while the server runs, logs in with the password and is told to enrol', async () => {
    const add = await runCli(['user', 'add', NEW, '--db', ctx.db, '--unit', 'hlj-xfj', '--roles', 'auditor',
      '--name', '新审计员', '--password', PASSWORD], { now: T0 });
    assert.equal(add.code, 0, add.stderr);
    const r = await loginWith(NEW, null);
    s1 = client(NEW, r);
    assert.equal(r.body.totp_enrolment_required, true);
    assert.equal(r.body.user.totp_enabled, false);
    assert.deepEqual(r.body.roles, ['auditor']);
    const audit = findRow(await auditRows(), { action: 'login', object: NEW, result: 'ok' });
    assert.equal(audit.detail, 'password (totp enrolment required)');
    s2 = client(NEW, await loginWith(NEW, null));
    s3 = client(NEW, await loginWith(NEW, null));
  });

  it('every endpoint but GET /me, POST /me/totp/setup, /me/totp/enable and /logout answers 403 auth.totp_enrolment_required', async () => {
    const routes = staffRoutes();
    assert.ok(routes.length >= 30, `only ${routes.length} staff routes parsed`);
    const open = routes.filter((r) => r.enrol).map((r) => `${r.method} ${r.pattern}`).sort();
    assert.deepEqual(open, ['GET /api/v1/me', 'POST /api/v1/logout', 'POST /api/v1/me/totp/enable',
      'POST /api/v1/me/totp/setup'], 'the routes open before enrolment');
    const before = await userTable();
    for (const rt of routes.filter((r) => !r.enrol)) {
      let res;
      if (rt.method === 'GET') res = await s1.get(rt.path);
      else if (rt.upload) res = await s1.post(rt.path, undefined, { raw: 'hello', headers: { 'Content-Type': 'text/plain' } });
      else res = await s1.post(rt.path, rt.path.endsWith('/roles') ? { roles: ['registrar', 'pii_reader'] } : {}, { ifMatch: 1 });
      expectError(res, 403, 'auth.totp_enrolment_required');
    }
    assert.deepEqual(await userTable(), before, 'nothing changed');
    const me = expectStatus(await s1.get('/api/v1/me'));
    assert.equal(me.totp_enrolment_required, true);
    assert.equal(me.csrf_token, s1.csrf);
  });

  it('logout is open to the restricted session and ends it on the server', async () => {
    expectStatus(await s3.post('/api/v1/logout', {}));
    expectError(await s3.get('/api/v1/me'), 401, 'auth.required');
  });

  it('setup returns a base32 secret and an otpauth:// URI; enable with a wrong code → 400, with the right one the same session works', async () => {
    const r = expectStatus(await s1.post('/api/v1/me/totp/setup', {}));
    secret = r.secret;
    assert.match(secret, /^[A-Z2-7]{32}$/, 'a 160-bit secret in RFC 4648 base32');
    const uri = new URL(r.otpauth_uri);
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), `/Xinfang:${NEW}`);
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('issuer'), 'Xinfang');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
    assert.equal(r.digits, 6);
    assert.equal(r.period, 30);
    // ASVS 2.8: the secret is not readable in the database, nor shown again
    const db = spawnSync('sqlite3', [ctx.db, `SELECT totp_secret FROM users WHERE username='${NEW}'`], { encoding: 'utf8' });
    assert.equal(db.status, 0, db.stderr);
    assert.ok(db.stdout.trim().length > 0, 'a stored secret');
    assert.ok(!db.stdout.includes(secret), 'the TOTP secret is stored in clear');
    assert.ok(!(await s1.get('/api/v1/me')).text.includes(secret));
    assert.ok(!JSON.stringify(await userTable()).includes(secret));

    expectError(await s1.post('/api/v1/me/totp/enable', { code: wrongCode(secret) }), 400, 'auth.totp_invalid', 'code');
    expectError(await s1.post('/api/v1/me/totp/enable', { code: totpCode(secret, S0 + 2) }), 400, 'auth.totp_invalid');
    expectError(await s1.post('/api/v1/me/totp/enable', { code: 123456 }), 400, 'validation.type', 'code');
    expectError(await s1.get('/api/v1/audit'), 403, 'auth.totp_enrolment_required');
    const ok = expectStatus(await s1.post('/api/v1/me/totp/enable', { code: totpCode(secret, S0) }));
    assert.equal(ok.totp_enabled, true);
    const me = expectStatus(await s1.get('/api/v1/me'));
    assert.equal(me.totp_enrolment_required, false);
    assert.equal(me.user.totp_enabled, true);
    expectStatus(await s1.get('/api/v1/audit?limit=5'));
    // once enabled, setup cannot replace the secret (a reset by the security administrator can)
    expectError(await s1.post('/api/v1/me/totp/setup', {}), 409, 'auth.totp_already_enabled');
    const rows = await auditRows();
    findRow(rows, { action: 'totp.setup', actor: NEW, object: NEW, result: 'ok' });
    findRow(rows, { action: 'totp.enable', actor: NEW, object: NEW, result: 'ok' });
  });

  it('a second session opened with the password alone is not raised to full access by the enrolment', async () => {
    // it never presented a second factor (等保 2.0 8.1.4.1 d: administrators are identified by two)
    const r = await s2.get('/api/v1/audit?limit=5');
    assert.ok(r.status === 401 || r.status === 403,
      `a password-only session of ${NEW} reads the audit log after another session enrolled: ${r.status} ${r.text.slice(0, 200)}`);
  });

  it('the next login needs the code (the enrolment code is spent)', async () => {
    expectError(await loginWith(NEW, null), 401, 'auth.totp_required');
    expectError(await loginWith(NEW, totpCode(secret, S0)), 401, 'auth.totp_invalid');
    const r = await loginWith(NEW, totpCode(secret, S0 + 1));
    const c = client(NEW, r);
    assert.equal(r.body.totp_enrolment_required, false);
    expectStatus(await c.get('/api/v1/audit?limit=5'));
  });

  it('after the security administrator resets it, the administrator must enrol again', async () => {
    const sec = await ctx.login(SEC);
    expectStatus(await sec.post(`/api/v1/users/${NEW}/totp/reset`, {}));
    expectError(await s1.get('/api/v1/me'), 401, 'auth.required');
    const r = await loginWith(NEW, null);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.totp_enrolment_required, true);
    expectError(await client(NEW, r).get('/api/v1/audit'), 403, 'auth.totp_enrolment_required');
  });
});

// ---------------------------------------------------------------------------------------------
describe('the second factor of other staff (等保 2.0 8.1.4.1; ASVS 2.8)', () => {
  it('a normal user enrols, then needs the code, and disables it only with a valid unused code', async () => {
    const U = 'dl-xfj.handler';
    const c = client(U, await loginWith(U, null));
    assert.equal(c.user.totp_enabled, false);
    expectError(await c.post('/api/v1/me/totp/enable', { code: '123456' }), 409, 'auth.totp_not_set_up');
    expectError(await c.post('/api/v1/me/totp/disable', { code: '123456' }), 409, 'auth.totp_not_enabled');
    const { secret } = expectStatus(await c.post('/api/v1/me/totp/setup', {}));
    // set up but not enabled: the password alone still logs in
    expectStatus(await loginWith(U, null));
    expectStatus(await c.post('/api/v1/me/totp/enable', { code: totpCode(secret, S0 - 1) }));
    assert.equal(expectStatus(await c.get('/api/v1/me')).user.totp_enabled, true);
    expectError(await loginWith(U, null), 401, 'auth.totp_required');
    expectError(await loginWith(U, wrongCode(secret)), 401, 'auth.totp_invalid');
    const second = client(U, await loginWith(U, totpCode(secret, S0)));
    expectError(await second.post('/api/v1/me/totp/disable', { code: wrongCode(secret) }), 400, 'auth.totp_invalid', 'code');
    expectError(await second.post('/api/v1/me/totp/disable', { code: totpCode(secret, S0) }), 400, 'auth.totp_invalid',
      'code'); // spent by the login
    expectError(await second.post('/api/v1/me/totp/disable', {}), 400, 'validation.required', 'code');
    assert.equal((await userTable())[U].totp_enabled, true, 'refusals changed nothing');
    expectStatus(await second.post('/api/v1/me/totp/disable', { code: totpCode(secret, S0 + 1) }));
    assert.equal((await userTable())[U].totp_enabled, false);
    expectStatus(await loginWith(U, null));
    const rows = await auditRows();
    for (const action of ['totp.setup', 'totp.enable', 'totp.disable']) findRow(rows, { action, actor: U, object: U, result: 'ok' });
  });

  it('an administrator cannot disable the second factor (403 auth.totp_mandatory)', async () => {
    for (const admin of [AUD, SEC]) {
      const c = await ctx.login(admin);
      expectError(await c.post('/api/v1/me/totp/disable', { code: demoCode(S0 + 1) }), 403, 'auth.totp_mandatory');
      expectError(await c.post('/api/v1/me/totp/setup', {}), 409, 'auth.totp_already_enabled');
    }
    const t = await userTable();
    for (const admin of [SYS, SEC, AUD]) assert.equal(t[admin].totp_enabled, true);
  });

  it('the security administrator resets a user\'s second factor, which ends that user\'s sessions', async () => {
    const U = 'dl-xfj.dispatcher';
    const c = client(U, await loginWith(U, null));
    const { secret } = expectStatus(await c.post('/api/v1/me/totp/setup', {}));
    expectStatus(await c.post('/api/v1/me/totp/enable', { code: totpCode(secret, S0) }));
    const before = await userTable();
    assert.equal(before[U].totp_enabled, true);
    // 三员分立: not the system or audit administrator, not a business user
    for (const other of [SYS, AUD, 'dl-xfj.unit_head']) {
      expectError(await (await ctx.login(other)).post(`/api/v1/users/${U}/totp/reset`, {}), 403, 'auth.role_denied');
    }
    assert.deepEqual(await userTable(), before, 'refusals changed nothing');
    expectStatus(await c.get('/api/v1/me'));
    const sec = await ctx.login(SEC);
    const r = expectStatus(await sec.post(`/api/v1/users/${U}/totp/reset`, {}));
    assert.deepEqual(r, { username: U, totp_enabled: false });
    expectError(await c.get('/api/v1/me'), 401, 'auth.required');
    assert.equal((await userTable())[U].totp_enabled, false);
    expectStatus(await loginWith(U, null));
    expectError(await sec.post('/api/v1/users/no.such-user/totp/reset', {}), 404, 'user.not_found');
    const row = findRow(await auditRows(), { action: 'totp.reset', object: U });
    assert.equal(row.actor, SEC);
    assert.equal(row.result, 'ok');
    assert.equal(row.client, '127.0.0.1');
  });
});

// ---------------------------------------------------------------------------------------------
describe('account administration is split between the three administrators (三员分立)', () => {
  const NEW = 'dl-xfj.clerk2';
  const NEW_PW = 'Clerk2@Xinfang2026';
  let clerk;

  it('GET /api/v1/users: the system and security administrators only; no password hash or secret', async () => {
    for (const admin of [SYS, SEC]) {
      const r = expectStatus(await (await ctx.login(admin)).get('/api/v1/users'));
      const sys = r.items.find((u) => u.username === SYS);
      assert.deepEqual(sys.roles, ['sysadmin']);
      assert.equal(sys.totp_enabled, true);
      assert.equal(sys.disabled, false);
      assert.ok(r.items.length >= 75);
      assert.doesNotMatch(JSON.stringify(r), /argon2|pwhash|totp_secret/);
    }
    for (const other of [AUD, 'hlj-xfj.leader', 'dl-xfj.unit_head', 'dl-xfj.registrar']) {
      expectError(await (await ctx.login(other)).get('/api/v1/users'), 403, 'auth.role_denied');
    }
  });

  it('POST /api/v1/users: the system administrator only, without roles (三员分立: the secadmin grants them); weak passwords and duplicates refused, changing nothing', async () => {
    const body = { username: NEW, name: '王小红', unit: 'dl-xfj', password: NEW_PW };
    const before = await userTable();
    for (const other of [SEC, AUD, 'dl-xfj.unit_head']) {
      expectError(await (await ctx.login(other)).post('/api/v1/users', body), 403, 'auth.role_denied');
    }
    const sys = await ctx.login(SYS);
    // 等保 2.0 8.1.4.1 a: password complexity
    for (const pw of ['Short@1', 'alllowercaseletters', 'ALLUPPER12345678']) {
      expectError(await sys.post('/api/v1/users', { ...body, password: pw }), 400, 'auth.weak_password', 'password');
    }
    expectError(await sys.post('/api/v1/users', { ...body, username: 'dl-xfj.registrar' }), 409, 'user.exists', 'username');
    // 三员分立: the system administrator cannot make an account that reads cases (or another administrator)
    for (const roles of [['registrar'], ['dispatcher'], ['sysadmin'], ['registrar', 'pii_reader'], 'registrar']) {
      expectError(await sys.post('/api/v1/users', { ...body, roles }), 403, 'auth.separation_of_duties', 'roles');
    }
    expectError(await sys.post('/api/v1/users', { ...body, unit: 'no-such-unit' }), 404, 'unit.not_found');
    expectError(await sys.post('/api/v1/users', { ...body, username: 'Bad Name' }), 400, 'validation.invalid', 'username');
    expectError(await sys.post('/api/v1/users', { ...body, extra: 1 }), 400, 'validation.unknown_field', 'extra');
    assert.deepEqual(await userTable(), before, 'refusals changed nothing');
    expectError(await loginWith(NEW, null, NEW_PW), 401, 'auth.invalid_credentials');

    const r = await sys.post('/api/v1/users', body);
    expectStatus(r, 201);
    assert.deepEqual(r.body, { username: NEW, name: '王小红', unit: 'dl-xfj', roles: [] });
    const after = await userTable();
    assert.equal(Object.keys(after).length, Object.keys(before).length + 1);
    assert.deepEqual(after[NEW].roles, []);
    assert.equal(after[NEW].totp_enabled, false);
    clerk = client(NEW, await loginWith(NEW, null, NEW_PW));
    assert.deepEqual(clerk.roles, []);
    assert.equal(clerk.unit.code, 'dl-xfj');
    // an account without a role sees no case, not even its own unit's
    const { no } = await newCase(ctx);
    expectError(await clerk.get(`/api/v1/cases/${no}`), 404, 'case.not_found');
    assert.deepEqual(expectStatus(await clerk.get('/api/v1/cases')).items, []);
    const row = findRow(await auditRows(), { action: 'user.add', object: NEW });
    assert.equal(row.actor, SYS);
    assert.equal(row.result, 'ok');
  });

  it('POST /api/v1/users/{u}/roles: the security administrator only; it ends the user\'s sessions', async () => {
    const before = await userTable();
    for (const other of [SYS, AUD, 'dl-xfj.unit_head']) {
      expectError(await (await ctx.login(other)).post(`/api/v1/users/${NEW}/roles`, { roles: ['registrar', 'pii_reader'] }),
        403, 'auth.role_denied');
    }
    const sec = await ctx.login(SEC);
    expectError(await sec.post(`/api/v1/users/${NEW}/roles`, { roles: ['auditor', 'registrar'] }), 400, 'auth.separation_of_duties', 'roles');
    expectError(await sec.post(`/api/v1/users/${NEW}/roles`, { roles: [] }), 400, 'validation.required', 'roles');
    expectError(await sec.post(`/api/v1/users/${NEW}/roles`, { roles: 'registrar' }), 400, 'validation.type', 'roles');
    expectError(await sec.post('/api/v1/users/no.such-user/roles', { roles: ['registrar'] }), 404, 'user.not_found');
    assert.deepEqual(await userTable(), before, 'refusals changed nothing');
    expectStatus(await clerk.get('/api/v1/me'), 200);

    const r = expectStatus(await sec.post(`/api/v1/users/${NEW}/roles`, { roles: ['registrar', 'pii_reader'] }));
    assert.deepEqual(r.roles.sort(), ['pii_reader', 'registrar']);
    expectError(await clerk.get('/api/v1/me'), 401, 'auth.required');
    expectError(await clerk.post('/api/v1/cases', {}), 401, 'auth.required');
    clerk = client(NEW, await loginWith(NEW, null, NEW_PW));
    assert.deepEqual([...clerk.roles].sort(), ['pii_reader', 'registrar']);
    assert.deepEqual([...(await userTable())[NEW].roles].sort(), ['pii_reader', 'registrar']);
    const row = findRow(await auditRows(), { action: 'user.roles', object: NEW });
    assert.equal(row.actor, SEC);
    assert.equal(row.result, 'ok');
    assert.match(row.detail, /pii_reader/);
  });

  it('a user given an administrator role must enrol a second factor at the next login', async () => {
    const U = 'dl-xfj.supervisor';
    const c = client(U, await loginWith(U, null));
    expectStatus(await (await ctx.login(SEC)).post(`/api/v1/users/${U}/roles`, { roles: ['auditor'] }));
    expectError(await c.get('/api/v1/me'), 401, 'auth.required');
    const r = await loginWith(U, null);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.totp_enrolment_required, true);
    expectError(await client(U, r).get('/api/v1/audit'), 403, 'auth.totp_enrolment_required');
  });

  it('POST /api/v1/users/{u}/disabled: the system administrator only; a disabled user cannot log in and loses every session', async () => {
    const before = await userTable();
    for (const other of [SEC, AUD, 'dl-xfj.unit_head']) {
      expectError(await (await ctx.login(other)).post(`/api/v1/users/${NEW}/disabled`, { disabled: true }), 403, 'auth.role_denied');
    }
    const sys = await ctx.login(SYS);
    expectError(await sys.post(`/api/v1/users/${NEW}/disabled`, { disabled: 'yes' }), 400, 'validation.required', 'disabled');
    expectError(await sys.post(`/api/v1/users/${NEW}/disabled`, {}), 400, 'validation.required', 'disabled');
    expectError(await sys.post('/api/v1/users/no.such-user/disabled', { disabled: true }), 404, 'user.not_found');
    assert.deepEqual(await userTable(), before, 'refusals changed nothing');
    expectStatus(await clerk.get('/api/v1/me'));

    const other = client(NEW, await loginWith(NEW, null, NEW_PW));
    expectStatus(await sys.post(`/api/v1/users/${NEW}/disabled`, { disabled: true }));
    expectError(await clerk.get('/api/v1/me'), 401, 'auth.required');
    expectError(await other.get('/api/v1/me'), 401, 'auth.required');
    assert.equal((await userTable())[NEW].disabled, true);
    // the same answer as a wrong password: nothing tells that the account exists but is disabled
    const r = await loginWith(NEW, null, NEW_PW);
    expectError(r, 401, 'auth.invalid_credentials');
    noSession(r);
    // enabled again: the password works (and the failure above is wiped by the success)
    expectStatus(await sys.post(`/api/v1/users/${NEW}/disabled`, { disabled: false }));
    assert.equal((await userTable())[NEW].disabled, false);
    expectStatus(await loginWith(NEW, null, NEW_PW));
    const rows = await auditRows();
    const off = findRow(rows, { action: 'user.disable', object: NEW });
    const on = findRow(rows, { action: 'user.enable', object: NEW });
    for (const row of [off, on]) {
      assert.equal(row.actor, SYS);
      assert.equal(row.result, 'ok');
      assert.equal(row.unit_name, '黑龙江省信访局');
    }
    assert.ok(on.id > off.id);
  });

  it('nobody administers their own account (403 auth.self_administration)', async () => {
    const before = await userTable();
    const sys = await ctx.login(SYS);
    const sec = await ctx.login(SEC);
    expectError(await sys.post(`/api/v1/users/${SYS}/disabled`, { disabled: true }), 403, 'auth.self_administration');
    expectError(await sec.post(`/api/v1/users/${SEC}/roles`, { roles: ['sysadmin'] }), 403, 'auth.self_administration');
    expectError(await sec.post(`/api/v1/users/${SEC}/totp/reset`, {}), 403, 'auth.self_administration');
    assert.deepEqual(await userTable(), before, 'refusals changed nothing');
    expectStatus(await sys.get('/api/v1/me'));
    expectStatus(await sec.get('/api/v1/me'));
    const rows = await auditRows();
    for (const action of ['user.disable', 'user.roles', 'totp.reset']) {
      assert.ok(!rows.some((x) => x.action === action && (x.object === SYS || x.object === SEC) && x.result === 'ok'),
        `a refused ${action} on oneself was recorded as done`);
    }
  });

  it('the CLI\'s user additions are audited too', async () => {
    const row = findRow(await auditRows(), { action: 'user.add', object: 'hlj-xfj.auditor2' });
    assert.equal(row.actor, 'cli');
    assert.equal(row.result, 'ok');
  });
});

// ---------------------------------------------------------------------------------------------
describe('sessions (ASVS 3.2.1, 3.3.1)', () => {
  it('each login issues a new session id; the old one works until its logout, which ends it on the server', async () => {
    const U = 'dl-xfj.reviewer';
    const a = client(U, await loginWith(U, null));
    // a cookie presented at login (fixation) is not adopted
    const fixed = await http(ctx.base, 'POST', '/api/v1/login', {
      body: { username: U, password: PASSWORD }, headers: { Cookie: a.cookie },
    });
    assert.equal(fixed.status, 200, fixed.text);
    const m = /xf_session=([^;]*)/.exec(fixed.headers.get('set-cookie') || '');
    assert.ok(m, 'a new cookie');
    const b = new Client(ctx, U, { cookie: `xf_session=${m[1]}`, body: fixed.body });
    assert.notEqual(b.cookie, a.cookie);
    assert.notEqual(b.csrf, a.csrf);
    expectStatus(await a.get('/api/v1/me'));
    expectStatus(await b.get('/api/v1/me'));
    // one session's CSRF token is no good with another session
    expectError(await a.post('/api/v1/logout', {}, { csrf: b.csrf }), 403, 'auth.csrf');
    expectStatus(await a.post('/api/v1/logout', {}));
    expectError(await a.get('/api/v1/me'), 401, 'auth.required');
    expectError(await a.post('/api/v1/logout', {}), 401, 'auth.required');
    expectStatus(await b.get('/api/v1/me'));
  });
});

// ---------------------------------------------------------------------------------------------
describe('wrong codes lock an administrator like wrong passwords (等保 2.0 8.1.4.1 b)', () => {
  it('five wrong codes in a row → 423 auth.locked; then even the right code is refused', async () => {
    const sys = await ctx.login(SYS); // an open session is kept; only logins are refused
    for (let left = 4; left >= 1; left--) {
      const r = await loginWith(SYS, wrongCode(DEMO_TOTP_SECRET));
      expectError(r, 401, 'auth.totp_invalid', 'totp');
      assert.match(r.body.error.message, new RegExp(`还可尝试${left}次`));
    }
    expectError(await loginWith(SYS, wrongCode(DEMO_TOTP_SECRET)), 423, 'auth.locked');
    const { code } = ctx.nextTotp(SYS);
    const locked = await loginWith(SYS, code);
    expectError(locked, 423, 'auth.locked');
    noSession(locked);
    expectError(await loginWith(SYS, null), 423, 'auth.locked');
    const rows = (await auditRows()).filter((x) => x.action === 'login' && x.object === SYS);
    assert.equal(rows[0].result, 'refused (locked)');
    assert.ok(rows.some((x) => x.result === 'locked' && x.detail === 'auth.totp_invalid'));
    expectStatus(await sys.get('/api/v1/me'));
  });
});
