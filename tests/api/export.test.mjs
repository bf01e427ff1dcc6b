// export.test.mjs - GET /api/v1/cases/export and GET /api/v1/todo/export:
// any list as an Excel workbook (DESIGN.md section 7: "every list can be
// exported to Excel"; docs/API.md "Exports").
//
// The workbook is read back here with a ZIP reader and a sheet reader of our
// own (xlsx.mjs: stored entries, CRC-32 checked), and compared with what the
// list endpoint answers for the same filters as the same user: the same cases
// in the same order (scope included: another county's case is absent), each
// row the list row's fields as words. An export is how case data leaves the
// system, so it is audited (case.export: list, filters, rows) and refused
// beyond the row cap (422 export.too_many, nothing written; the cap is
// lowered with the documented `serve --export-max`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, epoch, expectError, expectStatus, caseBody, runCli, idNumber, NO_RATE_LIMITS } from './helpers.mjs';
import { maskId, maskPhone } from './security-fixtures.mjs';
import { readWorkbook, download } from './xlsx.mjs';

const T0 = epoch('2026-11-22T10:00:00+08:00');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = ['信访件编号', '标题', '渠道', '信访性质', '信访目的', '内容分类', '问题属地', '状态', '当前办理单位', '主办单位',
  '登记时间', '当前时限', '到期时间', '剩余时限', '时限状态', '人数', '标记', '延期', '满意度', '最后更新'];
const col = Object.fromEntries(HEADER.map((h, i) => [h, i]));
// a title with markup, quotes, a CR LF and characters XML 1.0 forbids (BEL, SOH, U+FFFE)
const ODD_TITLE = '含\u0007响铃\u0001和<b>&"\'的\r\n标题\uFFFE（导出）';
const ODD_CLEAN = '含响铃和<b>&"\'的\r\n标题（导出）';
const PERSON = { name: '导出测试人', sex: 'female', id_type: 'resident_id', id_number: idNumber('23010219900101002'),
  phone: '13645678901', address: '哈尔滨市道里区导出街9号', representative: true };

let ctx;
let U;
const C = {}; // name → case number

const local = (iso) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '');

async function exportAs(user, path) {
  return download(await ctx.login(user), path);
}

/** The workbook of an answer, asserting 200, the type and the file names. */
function workbookOf(r, list = 'cases') {
  assert.equal(r.status, 200, `${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(r.headers.get('content-type'), XLSX);
  const [ascii, cn] = list === 'cases' ? ['cases', '%E4%BF%A1%E8%AE%BF%E4%BA%8B%E9%A1%B9'] : ['todo', '%E5%BE%85%E5%8A%9E%E4%BA%8B%E9%A1%B9'];
  assert.equal(r.headers.get('content-disposition'),
    `attachment; filename="${ascii}-20261122.xlsx"; filename*=UTF-8''${cn}-20261122.xlsx`);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  return readWorkbook(r.bytes);
}

async function auditRows(action = 'case.export') {
  const auditor = await ctx.login('hlj-xfj.auditor');
  return expectStatus(await auditor.get('/api/v1/audit?limit=500')).items.filter((i) => i.action === action);
}

before(async () => {
  ctx = await setup({ now: T0 });
  U = {};
  for (const c of ['dl-xfj', 'dl-cgj', 'bx-xfj']) U[c] = await ctx.unitId(c);
  const reg = await ctx.login('dl-xfj.registrar');
  const disp = await ctx.login('dl-xfj.dispatcher');
  const add = async (key, fields, registrar = reg) => { C[key] = (await registrar.registered(caseBody(fields))).no; };
  await add('visit1', { channel: 'visit', title: '导出 甲 工地欠薪', petitioners: [PERSON] });
  await add('letter1', { channel: 'letter', kind: 'proposal', purpose: 'suggest', category: '0802', title: '导出 乙 增开公交线路' });
  await add('visit2', { channel: 'visit', category: '0101', title: ODD_TITLE, flags: ['urgent', 'collective'], people_count: 7 });
  await add('visit3', { channel: 'visit', title: '导出 丁 欠薪转送' });
  await disp.acted(C.visit3, 'transfer', { lead_unit: U['dl-cgj'] });
  await add('phone1', { channel: 'phone', title: '导出 戊 噪音扰民', content: '夜间施工噪音扰民，多次反映无果。' });
  // another county: the same filter matches it, the scope must not
  await add('bxVisit', { channel: 'visit', locality: '230125', title: '导出 宾县 来访欠薪' }, await ctx.login('bx-xfj.registrar'));
});
after(async () => { await ctx?.close(); });

describe('GET /api/v1/cases/export — the list as .xlsx (DESIGN.md §7)', () => {
  it('with a filter: the same cases as the list, in the same order, one bold frozen header row in Chinese', async () => {
    const user = 'dl-xfj.dispatcher';
    const list = await (await ctx.login(user)).listAll({ channel: 'visit' });
    const wb = workbookOf(await exportAs(user, '/api/v1/cases/export?channel=visit'));
    assert.equal(wb.sheetName, '信访事项');
    assert.deepEqual(wb.rows[0], HEADER);
    assert.deepEqual(wb.bold, [1], 'the header row, and only it, is bold');
    assert.equal(wb.frozen, 'A2', 'the first row is frozen');
    assert.equal(wb.widths.length, HEADER.length);
    assert.ok(wb.widths[col['标题']] >= 30 && wb.widths[col['人数']] <= 8, `widths ${wb.widths}`);
    const nos = wb.rows.slice(1).map((r) => r[0]);
    assert.deepEqual(nos, list.map((i) => i.no), 'same cases, same order as GET /api/v1/cases?channel=visit');
    assert.deepEqual(new Set(nos), new Set([C.visit1, C.visit2, C.visit3]));
    assert.ok(!nos.includes(C.bxVisit), 'another county\'s case is out of scope');
    // each row is the list row, with labels for codes and local times as text
    for (const [i, item] of list.entries()) {
      const row = wb.rows[i + 1];
      const want = {
        信访件编号: item.no, 标题: item.title.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''),
        渠道: '来访', 状态: item.state_label, 当前办理单位: item.holder_unit.name, 主办单位: item.lead_unit?.name ?? '',
        登记时间: local(item.registered_at), 到期时间: local(item.due_at), 当前时限: item.due_clock_label ?? '',
        时限状态: { running: '正常', warning: '临期', overdue: '超期' }[item.due_state] ?? '',
        人数: item.people_count, 最后更新: local(item.updated_at),
      };
      for (const [k, v] of Object.entries(want)) assert.equal(row[col[k]], v, `${item.no} ${k}`);
      if (item.remaining_seconds !== undefined) assert.match(row[col['剩余时限']], /^(剩余|超期)\d+(天|小时|分钟)|^已到期$/);
      else assert.equal(row[col['剩余时限']], '');
    }
    const odd = wb.rows.find((r) => r[0] === C.visit2);
    assert.equal(odd[col['标题']], ODD_CLEAN, 'markup escaped and read back; BEL, SOH and U+FFFE dropped; CR LF kept');
    assert.equal(odd[col['信访性质']], '申诉求决');
    assert.equal(odd[col['信访目的']], '求决');
    assert.equal(odd[col['内容分类']], '城乡建设/住房保障与房地产');
    assert.equal(odd[col['问题属地']], '道里区');
    assert.equal(odd[col['标记']], '紧急、集体访/联名信');
    assert.equal(odd[col['人数']], 7);
    const sent = wb.rows.find((r) => r[0] === C.visit3);
    assert.equal(sent[col['状态']], '已转交办');
    assert.equal(sent[col['主办单位']], '道里区城市管理局');
    // never a raw code in a label column
    for (const r of wb.rows.slice(1)) {
      for (const k of ['渠道', '信访性质', '信访目的', '内容分类', '问题属地', '状态', '时限状态']) {
        assert.ok(!/^[a-z_]+$|^\d{2,6}$/.test(r[col[k]]), `${r[0]} ${k}: ${r[col[k]]}`);
      }
    }
  });

  it('holds no personal data beyond the list: no petitioner name, ID number, phone or address, whole or masked', async () => {
    const r = await exportAs('dl-xfj.dispatcher', '/api/v1/cases/export');
    workbookOf(r);
    const text = r.bytes.toString('utf8');
    assert.ok(text.includes(C.visit1));
    for (const s of [PERSON.name, PERSON.id_number, PERSON.phone, PERSON.address, maskId(PERSON.id_number), maskPhone(PERSON.phone),
      '导出街', '王建国']) {
      assert.ok(!text.includes(s), `the workbook holds "${s}"`);
    }
  });

  it('scope: the county sees its own, the province both counties; the handling unit only what was sent to it', async () => {
    const nos = async (user, q = '') => workbookOf(await exportAs(user, `/api/v1/cases/export${q}`)).rows.slice(1).map((r) => r[0]);
    const province = await nos('hlj-xfj.dispatcher', '?channel=visit');
    assert.ok(province.includes(C.bxVisit) && province.includes(C.visit1));
    assert.deepEqual(province, await (await ctx.login('hlj-xfj.dispatcher')).listNos({ channel: 'visit' }));
    assert.deepEqual(await nos('bx-xfj.dispatcher', '?channel=visit'), [C.bxVisit]);
    assert.deepEqual(await nos('dl-cgj.handler'), [C.visit3]);
  });

  it('every filter of the list is taken (state, kind, category, locality, unit, from, to, q); cursor and limit are not', async () => {
    const user = 'dl-xfj.dispatcher';
    const c = await ctx.login(user);
    for (const q of [{ state: 'dispatched' }, { state: 'registered,dispatched', channel: 'visit' }, { kind: 'proposal' },
      { category: '01' }, { locality: '2301' }, { unit: U['dl-cgj'] }, { from: '2026-11-22', to: '2026-11-22' },
      { to: '2026-11-21' }, { q: '欠薪' }, { q: '噪音' }]) {
      const params = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
      const wb = workbookOf(await exportAs(user, `/api/v1/cases/export?${params}`));
      const listed = (await c.listAll(q)).map((i) => i.no);
      assert.deepEqual(wb.rows.slice(1).map((r) => r[0]), listed, `filters ${params}`);
    }
    const all = workbookOf(await exportAs(user, '/api/v1/cases/export')).rows;
    assert.deepEqual(workbookOf(await exportAs(user, '/api/v1/cases/export?limit=1&cursor=999999')).rows, all);
  });

  it('no match: a workbook with the header row only', async () => {
    const wb = workbookOf(await exportAs('dl-xfj.dispatcher', '/api/v1/cases/export?from=2020-01-01&to=2020-01-02'));
    assert.deepEqual(wb.rows, [HEADER]);
  });

  it('a bad filter is refused as on the list (400 with the field), and nothing is recorded', async () => {
    const before = (await auditRows()).length;
    expectError(await exportAs('dl-xfj.dispatcher', '/api/v1/cases/export?state=nope'), 400, 'validation.unknown_code', 'state');
    expectError(await exportAs('dl-xfj.dispatcher', '/api/v1/cases/export?locality=2x'), 400, 'validation.invalid', 'locality');
    expectError(await exportAs('dl-xfj.dispatcher', '/api/v1/todo/export?from=yesterday'), 400, 'validation.invalid', 'from');
    assert.equal((await auditRows()).length, before);
  });

  it('every export is in the audit log: case.export, which list, the filters, the row count, who and from where', async () => {
    const before = (await auditRows()).length;
    const wb = workbookOf(await exportAs('dl-xfj.supervisor', '/api/v1/cases/export?channel=visit&q=%E6%AC%A0%E8%96%AA&limit=5'));
    const rows = await auditRows();
    assert.equal(rows.length, before + 1);
    const row = rows[0]; // newest first
    assert.equal(row.actor, 'dl-xfj.supervisor');
    assert.equal(row.unit_id, U['dl-xfj']);
    assert.equal(row.object, 'cases');
    assert.equal(row.result, 'ok');
    assert.equal(row.client, '127.0.0.1');
    assert.deepEqual(JSON.parse(row.detail), { list: 'cases', filters: { channel: 'visit', q: '欠薪' }, rows: wb.rows.length - 1 });
    workbookOf(await exportAs('dl-xfj.dispatcher', '/api/v1/todo/export?kind=claim'), 'todo');
    const todoRow = (await auditRows())[0];
    assert.equal(todoRow.object, 'todo');
    assert.deepEqual(JSON.parse(todoRow.detail).filters, { kind: 'claim' });
  });

  it('roles: business roles export; the 三员 and pii_reader alone get 403 auth.role_denied (and the refusal is audited)', async () => {
    for (const u of ['dl-xfj.registrar', 'dl-xfj.handler', 'hrb-xfj.analyst', 'hrb-xfj.leader', 'dl-cgj.unit_head']) {
      workbookOf(await exportAs(u, '/api/v1/cases/export'));
    }
    for (const u of ['hlj-xfj.sysadmin', 'hlj-xfj.secadmin', 'hlj-xfj.auditor', 'hrb-xfj.pii_reader']) {
      for (const p of ['/api/v1/cases/export', '/api/v1/todo/export']) {
        expectError(await exportAs(u, p), 403, 'auth.role_denied');
      }
    }
    const denied = await auditRows('access.denied');
    assert.ok(denied.some((d) => d.actor === 'hrb-xfj.pii_reader' && d.object === 'GET /api/v1/cases/export'), 'the 403 is an audit row');
  });

  it('anonymous: 401 auth.required', async () => {
    const r = await fetch(`${ctx.base}/api/v1/cases/export`);
    assert.equal(r.status, 401);
    assert.equal((await r.json()).error.code, 'auth.required');
  });
});

describe('GET /api/v1/todo/export — the to-do list as .xlsx', () => {
  it('the same cases as GET /api/v1/todo, most urgent first; the handling unit\'s to-do is its own', async () => {
    for (const user of ['dl-xfj.dispatcher', 'dl-cgj.handler']) {
      const todo = expectStatus(await (await ctx.login(user)).todo()).items;
      const wb = workbookOf(await exportAs(user, '/api/v1/todo/export'), 'todo');
      assert.equal(wb.sheetName, '待办事项');
      assert.deepEqual(wb.rows[0], HEADER);
      assert.deepEqual(wb.rows.slice(1).map((r) => r[0]), todo.map((i) => i.no), user);
      assert.ok(todo.length > 0, `${user} has something to do`);
    }
    const cgj = workbookOf(await exportAs('dl-cgj.handler', '/api/v1/todo/export'), 'todo');
    assert.deepEqual(cgj.rows.slice(1).map((r) => r[0]), [C.visit3]);
    // with a filter
    const todo = expectStatus(await (await ctx.login('dl-xfj.dispatcher')).todo({ channel: 'letter' })).items;
    const wb = workbookOf(await exportAs('dl-xfj.dispatcher', '/api/v1/todo/export?channel=letter'), 'todo');
    assert.deepEqual(wb.rows.slice(1).map((r) => r[0]), todo.map((i) => i.no));
    assert.deepEqual(todo.map((i) => i.no), [C.letter1]);
  });
});

describe('more rows than an export may hold (serve --export-max)', () => {
  before(async () => {
    await ctx.server.stop();
    ctx.sessions.clear();
    await ctx.server.start({ now: T0, args: [...NO_RATE_LIMITS, '--export-max', '3'] });
  });
  after(async () => {
    await ctx.server.stop();
    ctx.sessions.clear();
    await ctx.server.start({ now: T0, args: NO_RATE_LIMITS });
  });

  it('422 export.too_many with a Chinese message saying to narrow the filters; nothing written, nothing audited', async () => {
    const before = (await auditRows()).length;
    const all = await (await ctx.login('dl-xfj.dispatcher')).listNos({});
    assert.ok(all.length > 3);
    const e = expectError(await exportAs('dl-xfj.dispatcher', '/api/v1/cases/export'), 422, 'export.too_many');
    assert.match(e.message, /超过3件/);
    assert.match(e.message, /缩小筛选范围/);
    const r = await exportAs('dl-xfj.dispatcher', '/api/v1/todo/export');
    if ((await (await ctx.login('dl-xfj.dispatcher')).todo()).body.items.length > 3) expectError(r, 422, 'export.too_many');
    // exactly the cap is fine
    const three = workbookOf(await exportAs('dl-xfj.dispatcher', '/api/v1/cases/export?channel=visit'));
    assert.equal(three.rows.length, 1 + 3);
    const rows = await auditRows();
    assert.equal(rows.length, before + 1, 'only the export that was made is recorded');
    assert.equal(JSON.parse(rows[0].detail).rows, 3);
  });

  it('the option is checked: more than 10000 is refused at start', async () => {
    const r = await runCli(['serve', '--db', ctx.db, '--port', '0', '--export-max', '10001']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--export-max/);
  });
});
