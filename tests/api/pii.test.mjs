// pii.test.mjs - personal data of petitioners (issue 4; R22 art. 46(5); 等保 2.0
// level 3 个人信息保护; GB/T 39786-2021): the ID number, phone and address are
// sealed with SM4 at rest, matched by a keyed SM3 hash, shown masked
// (110***********1234, 138****5678) everywhere, and shown whole only to a user
// with the pii_reader permission who states a reason; each such view is audited.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setup, caseBody, expectError, expectStatus, idNumber, newCase, transfer, runCli } from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await ctx?.close(); });

const ID = idNumber('23010219900307123');
const PHONE = '13812345678';
const ADDRESS = '黑龙江省哈尔滨市道里区安静街12号3单元';
const person = (over = {}) => ({ name: '李秀英', id_number: ID, phone: PHONE, address: ADDRESS, ...over });
const maskedId = `${ID.slice(0, 3)}${'*'.repeat(11)}${ID.slice(14)}`;

describe('personal data', () => {
  let no;
  before(async () => {
    ({ no } = await newCase(ctx, { petitioners: [person(), person({ name: '赵六', id_number: undefined, phone: '0451-8666 1234', address: undefined })] }));
  });

  it('is masked in the registration answer, the case, the events and the idempotent replay', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const body = caseBody({ petitioners: [person()] });
    const r = await reg.post('/api/v1/cases', body, { idempotencyKey: 'pii-1' });
    assert.equal(r.status, 201, r.text);
    const again = await reg.post('/api/v1/cases', body, { idempotencyKey: 'pii-1' });
    assert.equal(again.status, 201, again.text);
    assert.equal(again.body.case.no, r.body.case.no, 'the replay answers the first registration');
    for (const c of [r.body.case, again.body.case, await reg.getCase(no)]) {
      const p = c.petitioners[0];
      assert.equal(p.id_number, maskedId);
      assert.equal(p.phone, '138****5678');
      assert.equal(p.address, '黑龙江省哈尔滨市道里区****');
      assert.equal(p.name, '李秀英', 'names are not masked for those who may see the case');
      for (const k of Object.keys(p)) assert.doesNotMatch(k, /_(enc|idx|mask)$/, `no internal field ${k}`);
    }
    const ev = await reg.events(no);
    const text = JSON.stringify(ev);
    assert.ok(!text.includes(ID) && !text.includes(PHONE) && !text.includes('安静街12号'), 'events show no plain values');
    assert.ok(!/sm4:|_enc|_idx/.test(text), 'events show no sealed values or hashes');
    assert.equal(ev[0].payload.petitioners[0].phone, '138****5678');
  });

  it('is not in the database or its WAL in plain text (sealed at rest)', async () => {
    const dir = path.dirname(ctx.db);
    for (const f of readdirSync(dir).filter((x) => x.startsWith(path.basename(ctx.db)))) {
      const bytes = readFileSync(path.join(dir, f)).toString('latin1');
      assert.ok(!bytes.includes(ID), `${f} holds the ID number`);
      assert.ok(!bytes.includes(PHONE), `${f} holds the phone`);
      assert.ok(!bytes.includes(Buffer.from('安静街12号').toString('latin1')), `${f} holds the address`);
    }
  });

  it('unmasking needs the pii_reader permission, a reason, and the case in scope', async () => {
    const reader = await ctx.login('hrb-xfj.pii_reader');
    const url = `/api/v1/cases/${no}/petitioners/0/unmask`;
    expectError(await (await ctx.login('dl-xfj.registrar')).post(url, { reason: '回访信访人核实诉求' }), 403, 'auth.role_denied');
    expectError(await (await ctx.login('hrb-xfj.leader')).post(url, { reason: '回访信访人核实诉求' }), 403, 'auth.role_denied');
    expectError(await reader.post(url, {}), 400, 'validation.required');
    expectError(await reader.post(url, { reason: '  ' }), 400, 'validation.required');
    expectError(await reader.post(url, { reason: '看看' }), 400, 'validation.reason');
    expectError(await reader.post(`/api/v1/cases/${no}/petitioners/9/unmask`, { reason: '回访信访人核实诉求' }), 404, 'petitioner.not_found');
    // a sibling city's reader: the case does not exist for them
    expectError(await (await ctx.login('qqhr-xfj.pii_reader')).post(url, { reason: '回访信访人核实诉求' }), 404, 'case.not_found');
    const full = expectStatus(await reader.post(url, { reason: '回访信访人核实诉求' }));
    assert.equal(full.id_number, ID);
    assert.equal(full.phone, PHONE);
    assert.equal(full.address, ADDRESS);
    const second = expectStatus(await reader.post(`/api/v1/cases/${no}/petitioners/1/unmask`, { reason: '电话回访核实' }));
    assert.equal(second.phone, '0451-8666 1234');
    assert.equal(second.id_number, null);
  });

  it('every unmasked view is in the audit log with who, which case and the reason', async () => {
    const auditor = await ctx.login('hlj-xfj.auditor');
    const rows = expectStatus(await auditor.get('/api/v1/audit?limit=200')).items;
    const views = rows.filter((x) => x.action === 'pii.unmask');
    assert.equal(views.length, 2, 'refused attempts show no data and are not views');
    assert.equal(views[1].actor, 'hrb-xfj.pii_reader');
    assert.equal(views[1].object, `case:${no}/petitioner:0`);
    assert.equal(views[1].detail, '回访信访人核实诉求');
    assert.equal(views[1].client, '127.0.0.1');
    assert.ok(!JSON.stringify(rows).includes(ID), 'the audit log does not repeat the number');
  });

  it('a returning petitioner is found by ID number or phone, in scope only, masked', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const byId = expectStatus(await reg.post('/api/v1/petitioners/lookup', { id_number: ID.toLowerCase() }));
    assert.ok(byId.items.some((x) => x.no === no), 'found by ID number (case-insensitive check character)');
    assert.equal(byId.items[0].id_number, maskedId);
    const byPhone = expectStatus(await reg.post('/api/v1/petitioners/lookup', { phone: '0451 86661234' }));
    assert.deepEqual(byPhone.items.map((x) => x.no), [no], 'punctuation in phones does not matter');
    assert.equal(byPhone.items[0].name, '赵六');
    // another county's registrar does not learn that the person petitioned here
    const other = expectStatus(await (await ctx.login('bx-xfj.registrar')).post('/api/v1/petitioners/lookup', { id_number: ID }));
    assert.deepEqual(other.items, []);
    expectError(await reg.post('/api/v1/petitioners/lookup', {}), 400, 'validation.required');
    expectError(await reg.post('/api/v1/petitioners/lookup', { id_number: ID, phone: PHONE }), 400, 'validation.required');
    expectError(await (await ctx.login('hlj-xfj.sysadmin')).post('/api/v1/petitioners/lookup', { id_number: ID }), 403, 'auth.role_denied');
    const rows = expectStatus(await (await ctx.login('hlj-xfj.auditor')).get('/api/v1/audit?limit=50')).items;
    assert.ok(rows.some((x) => x.action === 'pii.lookup' && x.actor === 'dl-xfj.registrar'), 'lookups are audited');
  });

  it('rebuild reproduces the sealed projection exactly (R: events are the source of truth)', async () => {
    await transfer(ctx, no, 'dl-cgj');
    await ctx.server.stop();
    const r = await runCli(['rebuild', '--db', ctx.db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /identical/);
    await ctx.server.start();
    ctx.sessions.clear();
    const full = expectStatus(await (await ctx.login('hrb-xfj.pii_reader')).post(`/api/v1/cases/${no}/petitioners/0/unmask`, { reason: '重建后核对' }));
    assert.equal(full.id_number, ID);
  });

  it('with another key the server refuses to start (and nothing is written under the wrong key)', async () => {
    await ctx.server.stop();
    const before = (await runCli(['audit', 'verify', '--db', ctx.db])).stdout;
    process.env.XINFANG_KEY = 'ab'.repeat(32);
    try {
      const r = await runCli(['serve', '--db', ctx.db, '--port', '1']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /密钥与数据库不符/);
      const v = await runCli(['rebuild', '--db', ctx.db]);
      assert.notEqual(v.code, 0, 'no command opens the database with the wrong key');
    } finally {
      delete process.env.XINFANG_KEY;
    }
    const after = await runCli(['audit', 'verify', '--db', ctx.db]);
    assert.equal(after.code, 0, after.stdout);
    assert.equal(after.stdout, before, 'the audit log is as it was');
    await ctx.server.start();
    ctx.sessions.clear();
  });

});
