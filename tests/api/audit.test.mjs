// audit.test.mjs - the audit log (等保 2.0 level 3 安全审计; GB/T 39786-2021):
// logins, case events and configuration changes are recorded with who, when
// and the result; only the audit administrator reads it (三员分立); each row is
// chained with HMAC-SM3 under a key outside the database, so `xinfang audit
// verify` names the first row someone edited.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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

// 等保 2.0 level 3 (8.1.4.3 c): audit records are kept at least six months. The
// retention is the auditor's setting; rows past it are removed daily and the
// chain continues from a keyed anchor, so cutting rows by hand is still found.
describe('audit retention', () => {
  let rctx;
  const T0 = Date.parse('2026-03-02T09:00:00+08:00') / 1000;
  before(async () => { rctx = await setup({ now: T0 }); });
  after(async () => { await rctx?.close(); });

  it('is at least 184 days; only the auditor reads or sets it; a change is audited', async () => {
    const auditor = await rctx.login('hlj-xfj.auditor');
    assert.deepEqual(expectStatus(await auditor.get('/api/v1/audit/retention')), { days: 184, minimum: 184 });
    expectError(await auditor.post('/api/v1/audit/retention', { days: 183 }), 400, 'validation.invalid');
    expectError(await auditor.post('/api/v1/audit/retention', { days: '365' }), 400, 'validation.type');
    for (const u of ['hlj-xfj.sysadmin', 'hlj-xfj.secadmin', 'hlj-xfj.leader']) {
      const c = await rctx.login(u);
      expectError(await c.get('/api/v1/audit/retention'), 403, 'auth.role_denied');
      expectError(await c.post('/api/v1/audit/retention', { days: 200 }), 403, 'auth.role_denied');
    }
    assert.equal(expectStatus(await auditor.get('/api/v1/audit/retention')).days, 184, 'refusals changed nothing');
    assert.equal(expectStatus(await auditor.post('/api/v1/audit/retention', { days: 200 })).days, 200);
    const rows = expectStatus(await auditor.get('/api/v1/audit?limit=5')).items;
    assert.equal(rows[0].action, 'audit.retention');
    assert.equal(rows[0].detail, '184 -> 200 days');
  });

  it('rows past the retention are purged; the rest still verifies; a cut by hand is found', async () => {
    await newCase(rctx);
    await rctx.server.stop();
    const before = spawnSync('sqlite3', [rctx.db, 'SELECT count(*), max(id) FROM audit_log;'], { encoding: 'utf8' }).stdout.trim().split('|').map(Number);
    // 40 days later nothing is 200 days old (the demo's accounts were made 150 days before T0)
    let r = await runCli(['audit', 'purge', '--db', rctx.db], { now: T0 + 40 * 86400 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 rows/);
    // 201 days later everything but the newest row is past 200 days
    r = await runCli(['audit', 'purge', '--db', rctx.db], { now: T0 + 201 * 86400 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${before[1] - 1} rows`));
    const left = spawnSync('sqlite3', [rctx.db, "SELECT group_concat(action, ',') FROM audit_log;"], { encoding: 'utf8' }).stdout.trim();
    assert.equal(left, 'case.register,audit.purge', 'the newest row stays and the purge itself is recorded');
    r = await runCli(['audit', 'verify', '--db', rctx.db]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /intact: 2 rows/);
    // removing the oldest remaining row by hand: no anchor covers it
    const cut = spawnSync('sqlite3', [rctx.db, `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id=${before[1]};`], { encoding: 'utf8' });
    assert.equal(cut.status, 0, cut.stderr);
    r = await runCli(['audit', 'verify', '--db', rctx.db]);
    assert.equal(r.code, 3);
    assert.match(r.stdout, new RegExp(`BROKEN at row ${before[1]}\\b`));
    // nor can the anchor be moved forward by hand
    spawnSync('sqlite3', [rctx.db, `UPDATE meta SET value=replace(value, '${before[1] - 1}:', '${before[1]}:') WHERE key='audit_anchor';`], { encoding: 'utf8' });
    r = await runCli(['audit', 'verify', '--db', rctx.db]);
    assert.equal(r.code, 3);
    rctx.sessions.clear();
    await rctx.server.start({ now: T0 + 201 * 86400 });
  });
});


// The newest rows cannot be cut off either: meta.audit_head names the newest row
// with a keyed tag, so verify reports the first missing row (等保 2.0 8.1.4.3 c).
describe('audit chain head', () => {
  let hctx;
  before(async () => { hctx = await setup(); });
  after(async () => { await hctx?.close(); });

  it('rows deleted from the end of the log are found; so is a head rewritten by hand', async () => {
    await newCase(hctx);
    await hctx.server.stop();
    let r = await runCli(['audit', 'verify', '--db', hctx.db]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const last = Number(spawnSync('sqlite3', [hctx.db, 'SELECT max(id) FROM audit_log;'], { encoding: 'utf8' }).stdout.trim());
    const cut = spawnSync('sqlite3', [hctx.db, `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id >= ${last - 1};`], { encoding: 'utf8' });
    assert.equal(cut.status, 0, cut.stderr);
    r = await runCli(['audit', 'verify', '--db', hctx.db]);
    assert.equal(r.code, 3, r.stdout);
    assert.match(r.stdout, new RegExp(`BROKEN at row ${last - 1}\\b`));
    // pointing the head at the new last row needs the key
    spawnSync('sqlite3', [hctx.db, `UPDATE meta SET value=(SELECT id || ':' || mac || ':' || substr(value, length(value) - 63) FROM audit_log, meta WHERE key='audit_head' ORDER BY id DESC LIMIT 1) WHERE key='audit_head';`], { encoding: 'utf8' });
    r = await runCli(['audit', 'verify', '--db', hctx.db]);
    assert.equal(r.code, 3, r.stdout);
    hctx.sessions.clear();
    await hctx.server.start();
  });
});

// DESIGN.md section 6: the events (the source of truth) are hash-chained with SM3,
// and each event's audit row records its hash, so the keyed audit chain vouches
// for them: an edited event breaks the chain, and a chain recomputed by someone
// without the key no longer matches the audit log.
describe('case events are hash-chained (SM3) and vouched for by the audit log', () => {
  let ectx;
  before(async () => { ectx = await setup(); });
  after(async () => { await ectx?.close(); });

  const sql = (q) => {
    const r = spawnSync('sqlite3', ['-json', ectx.db, q], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim() ? JSON.parse(r.stdout) : [];
  };
  // the same construction as src/store/event.c event_hash()
  const hashOf = (prev, e) => {
    const h = createHash('sm3');
    const nums = `${e.seq}\x1f${e.at}\x1f${e.actor_user_id ?? 0}\x1f${e.actor_unit_id ?? 0}`;
    for (const v of [prev, e.case_no, nums, e.actor_kind, e.action, e.from_state, e.to_state, e.payload]) {
      h.update(`\x1e${Buffer.byteLength(v ?? '')}:`);
      h.update(v ?? '');
    }
    return h.digest('hex');
  };

  it('a clean log verifies; each event\'s hash is in its audit row', async () => {
    const { no } = await newCase(ectx);
    await transfer(ectx, no, 'dl-cgj');
    await ectx.server.stop();
    const r = await runCli(['audit', 'verify', '--db', ectx.db]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /case events intact: 2 events verified/);
    const ev = sql('SELECT id, hash FROM case_events ORDER BY id');
    const rows = sql("SELECT detail FROM audit_log WHERE action LIKE 'case.%' ORDER BY id");
    assert.deepEqual(rows.map((x) => x.detail.slice(4, 68)), ev.map((x) => x.hash));
    let prev = '';
    for (const e of sql('SELECT * FROM case_events ORDER BY id')) {
      assert.equal(e.hash, hashOf(prev, e), `event ${e.id}: SM3 chained to the one before`);
      prev = e.hash;
    }
  });

  it('an edited event breaks the chain there; a chain recomputed without the key is not vouched for', async () => {
    const edit = spawnSync('sqlite3', [ectx.db, "DROP TRIGGER case_events_no_update; UPDATE case_events SET payload=replace(payload, '拖欠', '没有拖欠') WHERE id=1;"], { encoding: 'utf8' });
    assert.equal(edit.status, 0, edit.stderr);
    let r = await runCli(['audit', 'verify', '--db', ectx.db]);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /case events BROKEN at event 1\b/);
    assert.match(r.stdout, /audit log intact/, 'the audit rows themselves are untouched');
    // the forger recomputes every hash (SM3 needs no key)
    let prev = '';
    for (const e of sql('SELECT * FROM case_events ORDER BY id')) {
      const h = hashOf(prev, e);
      sql(`UPDATE case_events SET hash='${h}' WHERE id=${e.id}`);
      prev = h;
    }
    r = await runCli(['audit', 'verify', '--db', ectx.db]);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /event 1 is not vouched for by the audit log/);
    ectx.sessions.clear();
    await ectx.server.start();
  });
});
