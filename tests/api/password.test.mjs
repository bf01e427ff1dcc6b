// password.test.mjs - passwords after the first login (等保 2.0 8.1.4.1 a: 口令定期更换;
// OWASP ASVS 2.1.5/2.1.6 change, 3.3.3 other sessions end) and what the log
// keeps of refusals and logouts (ASVS 7.1.3/7.1.4; 等保 8.1.4.3), and that a
// request path cannot forge lines in the server log (ASVS 7.3.1).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, expectError, expectStatus, http, PASSWORD } from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await ctx?.close(); });

const NEW_PW = 'Xinfang@2026changed';
const audit = async () => expectStatus(await (await ctx.login('hlj-xfj.auditor')).get('/api/v1/audit?limit=100')).items;

describe('passwords', () => {
  it('a user changes their own password: the old one is checked, the new one meets the policy, other sessions end', async () => {
    const me = await ctx.freshLogin('dl-xfj.registrar');
    const other = await ctx.freshLogin('dl-xfj.registrar');
    expectError(await me.post('/api/v1/me/password', { old_password: 'Wrong@Password1', new_password: NEW_PW }), 400, 'auth.invalid_credentials', 'old_password');
    expectError(await me.post('/api/v1/me/password', { old_password: PASSWORD, new_password: 'short' }), 400, 'auth.weak_password', 'new_password');
    expectError(await me.post('/api/v1/me/password', { old_password: PASSWORD, new_password: PASSWORD }), 400, 'auth.password_reused', 'new_password');
    expectError(await me.post('/api/v1/me/password', { old_password: PASSWORD }), 400, 'validation.required', 'new_password');
    expectStatus(await other.get('/api/v1/me'), 200);
    expectStatus(await me.post('/api/v1/me/password', { old_password: PASSWORD, new_password: NEW_PW }));
    expectStatus(await me.get('/api/v1/me'), 200, 'this session goes on');
    expectError(await other.get('/api/v1/me'), 401, 'auth.required');
    expectError(await ctx.rawLogin('dl-xfj.registrar', PASSWORD), 401, 'auth.invalid_credentials');
    expectStatus(await ctx.rawLogin('dl-xfj.registrar', NEW_PW));
    const rows = await audit();
    assert.ok(rows.some((x) => x.action === 'password.change' && x.actor === 'dl-xfj.registrar' && x.result === 'failure'));
    assert.ok(rows.some((x) => x.action === 'password.change' && x.actor === 'dl-xfj.registrar' && x.result === 'ok'));
    assert.ok(!JSON.stringify(rows).includes(NEW_PW), 'no password in the log');
  });

  it('the system administrator resets a forgotten password (others may not); the user\'s sessions end', async () => {
    const victim = await ctx.freshLogin('dl-xfj.dispatcher');
    for (const u of ['hlj-xfj.secadmin', 'hlj-xfj.auditor', 'dl-xfj.unit_head']) {
      expectError(await (await ctx.login(u)).post('/api/v1/users/dl-xfj.dispatcher/password', { password: NEW_PW }), 403, 'auth.role_denied');
    }
    expectStatus(await victim.get('/api/v1/me'), 200, 'refusals changed nothing');
    const sys = await ctx.login('hlj-xfj.sysadmin');
    expectError(await sys.post('/api/v1/users/dl-xfj.dispatcher/password', { password: 'weak' }), 400, 'auth.weak_password');
    expectError(await sys.post('/api/v1/users/hlj-xfj.sysadmin/password', { password: NEW_PW }), 403, 'auth.self_administration');
    expectError(await sys.post('/api/v1/users/nobody.here/password', { password: NEW_PW }), 404, 'user.not_found');
    expectStatus(await sys.post('/api/v1/users/dl-xfj.dispatcher/password', { password: NEW_PW }));
    expectError(await victim.get('/api/v1/me'), 401, 'auth.required');
    expectStatus(await ctx.rawLogin('dl-xfj.dispatcher', NEW_PW));
    assert.ok((await audit()).some((x) => x.action === 'password.reset' && x.object === 'dl-xfj.dispatcher' && x.actor === 'hlj-xfj.sysadmin'));
  });
});

describe('what the log keeps', () => {
  it('a refused request (403) and a logout are audit rows', async () => {
    const c = await ctx.freshLogin('dl-xfj.unit_head');
    expectError(await c.get('/api/v1/audit'), 403, 'auth.role_denied');
    expectStatus(await c.post('/api/v1/logout', {}));
    const rows = await audit();
    const denied = rows.find((x) => x.action === 'access.denied' && x.actor === 'dl-xfj.unit_head');
    assert.ok(denied, 'the refusal is recorded');
    assert.equal(denied.object, 'GET /api/v1/audit');
    assert.equal(denied.detail, 'auth.role_denied');
    assert.ok(rows.some((x) => x.action === 'logout' && x.actor === 'dl-xfj.unit_head'));
  });

  it('a path with a line break cannot forge a line in the server log', async () => {
    const r = await http(ctx.base, 'GET', '/api/v1/nothing%0A2026-01-01T00:00:00Z%20info%20forged');
    assert.equal(r.status, 404);
    assert.ok(!/\nforged|\n2026-01-01T00:00:00Z info forged/.test(ctx.server.stderr), 'no forged line');
    assert.match(ctx.server.stderr, /nothing\\x0a2026/);
  });
});
