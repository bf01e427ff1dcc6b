// audit.test.mjs - the audit log (等保 2.0 level 3 安全审计; GB/T 39786-2021):
// logins, case events and configuration changes are recorded with who, when
// and the result; only the audit administrator reads it (三员分立); each row is
// chained with HMAC-SM3 under a key outside the database, so `xinfang audit
// verify` names the first row someone edited.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { setup, expectError, expectStatus, newCase, transfer, runCli } from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await ctx?.close(); });

describe('audit log', () => {
  let no;
  it('logins, failed logins and case events are recorded; only the auditor reads them', async () => {
    expectError(await ctx.rawLogin('dl-xfj.registrar', 'Wrong@Password1'), 401, 'auth.invalid_credentials');
    ({ no } = await newCase(ctx));
    await transfer(ctx, no, 'dl-cgj');
    const auditor = await ctx.login('hlj-xfj.auditor');
    const r = expectStatus(await auditor.get('/api/v1/audit?limit=50'));
    const rows = r.items;
    const find = (pred) => rows.find(pred);
    assert.ok(find((x) => x.action === 'login' && x.actor === 'dl-xfj.registrar' && x.result === 'failure'), 'failed login');
    assert.ok(find((x) => x.action === 'login' && x.actor === 'dl-xfj.registrar' && x.result === 'ok'), 'login');
    const reg = find((x) => x.action === 'case.register' && x.object === no);
    assert.ok(reg, 'registration');
    assert.equal(reg.actor, 'dl-xfj.registrar');
    assert.equal(reg.unit_name, '道里区信访局');
    assert.match(reg.at, /\+08:00$/);
    assert.equal(reg.client, '127.0.0.1', 'the client address of the request');
    assert.ok(find((x) => x.action === 'case.transfer' && x.object === no && x.actor === 'dl-xfj.dispatcher'));
    // newest first
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].id > rows[i].id);
    for (const user of ['hlj-xfj.sysadmin', 'hlj-xfj.secadmin', 'dl-xfj.dispatcher', 'hlj-xfj.leader']) {
      expectError(await (await ctx.login(user)).get('/api/v1/audit'), 403, 'auth.role_denied');
    }
  });

  it('`xinfang audit verify` passes on the clean log and names the row after one is edited', async () => {
    const ok = await runCli(['audit', 'verify', '--db', ctx.db]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /audit log intact: \d+ rows verified/);
    await ctx.server.stop();
    // someone with the database but not the key edits row 5 (the triggers refuse updates: drop them first)
    const sql = "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail='篡改' WHERE id=5;";
    const ed = spawnSync('sqlite3', [ctx.db, sql], { encoding: 'utf8' });
    assert.equal(ed.status, 0, ed.stderr);
    const bad = await runCli(['audit', 'verify', '--db', ctx.db]);
    assert.equal(bad.code, 3);
    assert.match(bad.stdout, /BROKEN at row 5\b/);
    ctx.sessions.clear();
    await ctx.server.start();
  });

  it('the log cannot be changed or deleted through SQL triggers or the API', async () => {
    const del = spawnSync('sqlite3', [ctx.db, 'DELETE FROM audit_log WHERE id=1;'], { encoding: 'utf8' });
    assert.notEqual(del.status, 0);
    assert.match(del.stderr, /append-only/);
    const auditor = await ctx.login('hlj-xfj.auditor');
    expectError(await auditor.post('/api/v1/audit', {}), 405, 'route.method_not_allowed');
  });
});
