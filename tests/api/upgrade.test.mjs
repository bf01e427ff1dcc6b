// upgrade.test.mjs - a database written by an older xinfang (schema 4: personal
// data in plain text, events without hashes, the audit chain without a head)
// is upgraded at the first start and loses nothing: the personal data is sealed
// in place (GB/T 39786-2021; nothing plain left in the file), the projections
// are rebuilt from the events, the events are hash-chained (DESIGN.md section 6),
// the old audit log still verifies, and the data reads the same.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, Server, Ctx, expectStatus } from './helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(HERE, 'fixtures', 'schema4.sql');
const KEY = 'ab'.repeat(32);
let dir; let db; let ctx;
const plain = readFileSync(FIXTURE, 'utf8');
const ids = [...plain.matchAll(/"id_number":"(\d{17}[\dX])"/g)].map((m) => m[1]);
const phones = [...plain.matchAll(/"phone":"(1\d{10})"/g)].map((m) => m[1]);

before(() => {
  process.env.XINFANG_KEY = KEY;
  dir = mkdtempSync(path.join(os.tmpdir(), 'xinfang-upgrade-'));
  db = path.join(dir, 'old.db');
  const r = spawnSync('sqlite3', [db], { input: plain, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
after(async () => {
  await ctx?.server.stop();
  delete process.env.XINFANG_KEY;
  rmSync(dir, { recursive: true, force: true });
});

describe('upgrading a schema-4 database', () => {
  it('the fixture holds plain personal data to begin with', () => {
    assert.ok(ids.length >= 5 && phones.length >= 5, 'ID numbers and phones in the old events');
    const before = readFileSync(db).toString('latin1');
    assert.ok(before.includes(ids[0]));
  });

  it('the first start seals it, chains the events, and every check passes', async () => {
    const v = await runCli(['audit', 'verify', '--db', db]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stderr, /database migrated to version 8/);
    assert.match(v.stderr, /sealed the personal data of \d+ registrations/);
    assert.match(v.stdout, /audit log intact/);
    assert.match(v.stdout, /case events intact: 60 events verified/);
    for (const f of readdirSync(dir).filter((x) => x.startsWith('old.db'))) {
      const bytes = readFileSync(path.join(dir, f)).toString('latin1');
      for (const x of [...ids, ...phones]) assert.ok(!bytes.includes(x), `${f} still holds ${x}`);
    }
    const r = await runCli(['rebuild', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /identical/);
  });

  it('the upgraded data reads the same: masked for all, whole for a pii_reader with a reason', async () => {
    const server = new Server(db);
    await server.start({ now: '2026-10-15T11:00' });
    ctx = new Ctx(dir, db, server);
    const nos = plain.match(/XF2026\d{9}/g);
    // schema 4 had no pii_reader: the operator adds one
    const add = await runCli(['user', 'add', 'hrb-xfj.pii', '--db', db, '--name', '核对员', '--unit', 'hrb-xfj',
      '--roles', 'pii_reader', '--password', 'Xinfang@2026demo']);
    assert.equal(add.code, 0, add.stderr);
    const reader = await ctx.login('hrb-xfj.pii');
    const list = expectStatus(await reader.get('/api/v1/cases?limit=100')).items;
    assert.ok(list.length > 0);
    let seen = 0;
    for (const no of new Set(nos)) {
      const r = await reader.get(`/api/v1/cases/${no}`);
      if (r.status !== 200) continue; // outside 哈尔滨
      for (const [i, p] of r.body.petitioners.entries()) {
        if (!p.id_number) continue;
        assert.match(p.id_number, /^\d{3}\*{11}[\dX]{4}$/);
        const full = expectStatus(await reader.post(`/api/v1/cases/${no}/petitioners/${i}/unmask`, { reason: '升级后核对数据' }));
        assert.ok(ids.includes(full.id_number), 'the whole value is the one written before the upgrade');
        assert.equal(full.id_number.slice(0, 3), p.id_number.slice(0, 3));
        seen++;
      }
    }
    assert.ok(seen > 0, 'some petitioner with an ID number was checked');
  });
});
