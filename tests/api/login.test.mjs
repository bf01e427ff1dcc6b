// login.test.mjs - 等保 2.0 level 3 (GB/T 22239-2019 8.1.4.1): an account is
// locked for 15 minutes after 5 failed logins in a row; the lock tells nothing
// about whether the name exists and ends on its own.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, epoch, expectError, expectStatus, PASSWORD } from './helpers.mjs';

const T0 = epoch('2026-03-02T10:00:00+08:00');
let ctx;
before(async () => { ctx = await setup({ now: T0 }); });
after(async () => { await ctx?.close(); });

describe('login lockout', () => {
  it('five failures in a row lock the account for 15 minutes, even with the right password', async () => {
    for (let i = 1; i <= 4; i++) {
      const r = await ctx.rawLogin('dl-cgj.handler', 'Wrong@Password1');
      expectError(r, 401, 'auth.invalid_credentials');
      assert.match(r.body.error.message, new RegExp(`还可尝试${5 - i}次`));
    }
    expectError(await ctx.rawLogin('dl-cgj.handler', 'Wrong@Password1'), 423, 'auth.locked');
    const locked = await ctx.rawLogin('dl-cgj.handler', PASSWORD);
    expectError(locked, 423, 'auth.locked');
    assert.match(locked.body.error.message, /10:15后再试/);
    assert.equal(locked.cookie, null, 'no session while locked');
    // another account is not affected
    expectStatus(await ctx.rawLogin('dl-cgj.unit_head', PASSWORD));
    // 14 minutes later still locked, at 15 minutes open again
    await ctx.restart({ now: T0 + 14 * 60 });
    expectError(await ctx.rawLogin('dl-cgj.handler', PASSWORD), 423, 'auth.locked');
    await ctx.restart({ now: T0 + 15 * 60 });
    expectStatus(await ctx.rawLogin('dl-cgj.handler', PASSWORD));
  });

  it('a success resets the count; an unknown name locks the same way (no hint that it does not exist)', async () => {
    for (let i = 0; i < 4; i++) expectError(await ctx.rawLogin('dl-zjj.handler', 'Wrong@Password1'), 401, 'auth.invalid_credentials');
    expectStatus(await ctx.rawLogin('dl-zjj.handler', PASSWORD));
    for (let i = 0; i < 4; i++) expectError(await ctx.rawLogin('dl-zjj.handler', 'Wrong@Password1'), 401, 'auth.invalid_credentials');
    for (let i = 0; i < 4; i++) expectError(await ctx.rawLogin('nobody.here', 'Wrong@Password1'), 401, 'auth.invalid_credentials');
    expectError(await ctx.rawLogin('nobody.here', 'Wrong@Password1'), 423, 'auth.locked');
  });
});

describe('browser protections', () => {
  it('a state change from another origin is refused (403 auth.origin); responses carry CSP and nosniff', async () => {
    const c = await ctx.login('dl-xfj.registrar');
    const r = await c.post('/api/v1/cases', {}, { headers: { Origin: 'http://evil.example' } });
    expectError(r, 403, 'auth.origin', 'Origin');
    const ok = await c.get('/api/v1/me');
    assert.match(ok.headers.get('content-security-policy'), /frame-ancestors 'none'/);
    assert.equal(ok.headers.get('x-content-type-options'), 'nosniff');
    const login = await fetch(`${ctx.base}/api/v1/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ username: 'dl-xfj.registrar', password: PASSWORD }),
    });
    assert.equal(login.status, 403);
    const same = await fetch(`${ctx.base}/api/v1/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: ctx.base },
      body: JSON.stringify({ username: 'dl-xfj.registrar', password: PASSWORD }),
    });
    assert.equal(same.status, 200);
  });
});

describe('三员分立 (等保 2.0 level 3)', () => {
  it('the system, security and audit administrators read no case content', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await reg.registered();
    for (const admin of ['hlj-xfj.sysadmin', 'hlj-xfj.secadmin', 'hlj-xfj.auditor']) {
      const c = await ctx.login(admin);
      expectError(await c.get(`/api/v1/cases/${no}`), 404, 'case.not_found');
      expectError(await c.get(`/api/v1/cases/${no}/events`), 404, 'case.not_found');
      assert.deepEqual((await c.get('/api/v1/cases')).body.items, [], `${admin} lists cases`);
      assert.deepEqual((await c.get('/api/v1/todo')).body.items, []);
      assert.deepEqual((await c.get('/api/v1/stats/timeliness')).body.units, []);
    }
  });

  it('an administrator role cannot be combined with another role (xinfang user add)', async () => {
    const { runCli } = await import('./helpers.mjs');
    const both = await runCli(['user', 'add', 'mixed.user', '--db', ctx.db, '--unit', 'hlj-xfj', '--roles', 'sysadmin,registrar', '--password', 'Xinfang@2026demo']);
    assert.notEqual(both.code, 0);
    assert.match(both.stderr, /auth.separation_of_duties/);
    const two = await runCli(['user', 'add', 'mixed.user', '--db', ctx.db, '--unit', 'hlj-xfj', '--roles', 'sysadmin,auditor', '--password', 'Xinfang@2026demo']);
    assert.notEqual(two.code, 0);
  });
});
