// cli.test.mjs - the `xinfang` command line for time limits: counting periods
// as Chinese law counts them (民法典 art. 201-203; RULES.md "Counting time":
// the start day is not counted, a last day off work moves to the next working
// day, working days include make-up days 调休), the holiday calendar, the
// scanner, the policies and the help text. Runs $XINFANG_BIN directly.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, demoDb, epoch } from './helpers.mjs';

let dir;
before(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'xinfang-cli-')); });
after(() => { if (!process.env.XINFANG_KEEP && dir && existsSync(dir)) rmSync(dir, { recursive: true, force: true }); });

/** Run and insist on exit 0 and nothing on stderr but log lines; the stdout. */
async function ok(args, opts) {
  const r = await runCli(args, opts);
  assert.equal(r.code, 0, `xinfang ${args.join(' ')} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** Run and insist on a failure: non-zero exit, nothing printed as a result, a message on stderr. */
async function fails(args, { code, match } = {}) {
  const r = await runCli(args);
  assert.notEqual(r.code, 0, `xinfang ${args.join(' ')} should fail: ${r.stdout}`);
  if (code !== undefined) assert.equal(r.code, code, `xinfang ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  assert.equal(r.stdout, '', `xinfang ${args.join(' ')} printed a result: ${r.stdout}`);
  assert.match(r.stderr, /^xinfang: /m, `xinfang ${args.join(' ')}: no message on stderr`);
  if (match) assert.match(r.stderr, match);
  return r;
}

describe('xinfang due START AMOUNT UNIT: the last day of a period', () => {
  const cases = [
    // [start, amount, unit, expected, why]
    ['2026-09-28', '15', 'days', '2026-10-13', '15 days, start day not counted (R22 art. 22)'],
    ['2026-09-30', '5', 'workdays', '2026-10-13', '10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13 (R22 art. 23)'],
    ['2026-09-30T16:00', '2', 'hours', '2026-09-30T18:00', '2 hours (seed 000 art. 13)'],
    ['2026-09-30T23:00', '2', 'hours', '2026-10-01T01:00', 'hours run through midnight and holidays'],
    ['2026-09-30', '1', 'days', '2026-10-08', 'a last day in the National Day holiday moves to the first working day after it'],
    ['2026-10-09', '1', 'days', '2026-10-10', 'a make-up Saturday is a working day: the period ends on it'],
    ['2026-10-09', '1', 'workdays', '2026-10-10', 'the make-up Saturday counts as a working day'],
    ['2026-03-02', '5', 'days', '2026-03-09', 'a last day on Saturday moves to Monday'],
    ['2026-03-06', '1', 'workdays', '2026-03-09', 'Friday + 1 working day = Monday'],
    ['2026-02-12', '3', 'workdays', '2026-02-24', 'Spring Festival 2026: 02-13, 02-14 (make-up), 02-24'],
    ['2025-01-27', '3', 'days', '2025-02-05', 'Spring Festival 2025 (01-28..02-04 off)'],
    ['2025-01-24', '5', 'workdays', '2025-02-07', '01-26 (make-up Sunday), 01-27, 02-05, 02-06, 02-07'],
    ['2025-02-05', '3', 'days', '2025-02-08', 'make-up Saturday 2025-02-08 is a working day'],
    ['2025-09-26', '5', 'workdays', '2025-10-10', 'National Day 2025: 09-28 (make-up), 09-29, 09-30, 10-09, 10-10'],
    ['2025-09-30', '1', 'days', '2025-10-09', 'National Day 2025 (10-01..10-08 off)'],
    ['2025-10-01', '10', 'days', '2025-10-11', 'make-up Saturday 2025-10-11'],
    ['2026-09-28', '0', 'days', '2026-09-28', '0 days on a working day: that day'],
    ['2026-10-01', '0', 'days', '2026-10-08', '0 days on a day off: the next working day'],
  ];
  for (const [start, amount, unit, want, why] of cases) {
    it(`due ${start} ${amount} ${unit} → ${want} (${why})`, async () => {
      const r = await runCli(['due', start, amount, unit]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${want}\n`);
    });
  }

  it('bad input → non-zero exit and a message on stderr', async () => {
    await fails(['due', '2026-02-30', '3', 'days'], { code: 1, match: /起算时间/ });
    await fails(['due', '2026-9-28', '3', 'days'], { code: 1, match: /validation\.invalid/ });
    await fails(['due', 'tomorrow', '3', 'days'], { code: 1 });
    await fails(['due', '2026-09-28T25:00', '3', 'hours'], { code: 1 });
    await fails(['due', '2026-09-28', '3', 'weeks'], { code: 1, match: /days、workdays 或 hours/ });
    await fails(['due', '2026-09-28', '3', 'DAYS'], { code: 1 });
    await fails(['due', '2026-09-28', '-3', 'days'], { code: 1, match: /期限/ });
    await fails(['due', '2026-09-28', '3x', 'days'], { code: 1 });
    await fails(['due', '2026-09-28', '99999', 'days'], { code: 1 });
    await fails(['due', '2026-09-28', '3'], { code: 2, match: /usage: xinfang due/ });
    await fails(['due'], { code: 2 });
    await fails(['due', '2026-09-28', '3', 'days', 'extra'], { code: 2 });
    await fails(['due', '2026-09-28', '3', 'days', '--bogus'], { code: 2, match: /unknown option/ });
  });
});

describe('xinfang workday DATE', () => {
  const cases = [
    ['2026-10-10', 'workday', 'make-up Saturday (国办发明电〔2025〕7号)'],
    ['2026-10-01', 'off', 'National Day'],
    ['2026-10-09', 'workday', 'an ordinary Friday'],
    ['2026-10-11', 'off', 'an ordinary Sunday'],
    ['2026-02-14', 'workday', 'make-up Saturday before the Spring Festival'],
    ['2026-02-23', 'off', 'last day of the Spring Festival holiday'],
    ['2025-01-26', 'workday', 'make-up Sunday 2025'],
    ['2025-10-08', 'off', 'National Day 2025, eighth day'],
    ['2025-10-11', 'workday', 'make-up Saturday 2025'],
  ];
  for (const [date, want, why] of cases) {
    it(`workday ${date} → ${want} (${why})`, async () => {
      assert.equal(await ok(['workday', date]), `${want}\n`);
    });
  }

  it('bad input → non-zero exit and a message on stderr', async () => {
    await fails(['workday'], { code: 2, match: /usage: xinfang workday/ });
    await fails(['workday', '2026-13-01'], { code: 1, match: /日期/ });
    await fails(['workday', '2026-02-29'], { code: 1 });
    await fails(['workday', '2026-10-01T10:00'], { code: 1 });
    await fails(['workday', '20261001'], { code: 1 });
  });
});

/** A 2027 arrangement in holiday-cn's format (test data). */
const HOLIDAYS_2027 = {
  $schema: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json',
  year: 2027,
  papers: ['（测试数据）'],
  days: [
    { name: '元旦', date: '2027-01-01', isOffDay: true },
    { name: '国庆节', date: '2027-09-26', isOffDay: false },
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ name: '国庆节', date: `2027-10-${d}`, isOffDay: true })),
    { name: '国庆节', date: '2027-10-09', isOffDay: false },
  ],
};

describe('xinfang calendar show / import (on a temporary database)', () => {
  let db;
  before(() => { db = path.join(dir, 'calendar.db'); });

  it('calendar show 2026 lists the days off and make-up days of 国办发明电〔2025〕7号', async () => {
    const out = await ok(['calendar', 'show', '2026', '--db', db]);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines[0], '2026: loaded');
    const days = lines.filter((l) => /^2026-\d\d-\d\d /.test(l));
    assert.equal(days.filter((l) => l.endsWith(' off')).length, 33, out);
    assert.deepEqual(days.filter((l) => l.includes('workday')).map((l) => l.slice(0, 10)),
      ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    for (const l of ['2026-10-01 off', '2026-10-07 off', '2026-10-10 workday (调休)', '2026-02-23 off', '2026-09-25 off']) {
      assert.ok(lines.includes(l), `missing "${l}":\n${out}`);
    }
    assert.ok(!lines.includes('2026-10-08 off'), '2026 National Day ends on 10-07');
    assert.match(out, /^# \S+ xinfang（随软件发布）: /m, 'the shipped arrangement is recorded');
  });

  it('calendar show 2025 lists the 2025 days; 2027 is not loaded; a bad year fails', async () => {
    const out = await ok(['calendar', 'show', '2025', '--db', db]);
    for (const l of ['2025: loaded', '2025-01-28 off', '2025-02-04 off', '2025-01-26 workday (调休)', '2025-10-08 off', '2025-10-11 workday (调休)']) {
      assert.ok(out.split('\n').includes(l), `missing "${l}":\n${out}`);
    }
    assert.equal(await ok(['calendar', 'show', '2027', '--db', db]), '2027: NOT LOADED (weekends only)\n');
    await fails(['calendar', 'show', 'abc', '--db', db], { code: 1, match: /年份/ });
    await fails(['calendar', 'list', '2026', '--db', db], { code: 2, match: /usage: xinfang calendar/ });
    await fails(['calendar', 'show', '--db', db], { code: 2 });
  });

  it('calendar show 1999 / 2100: out of range → exit 1 with a message', async () => {
    await fails(['calendar', 'show', '1999', '--db', db], { code: 1, match: /年份/ });
    await fails(['calendar', 'show', '2100', '--db', db], { code: 1, match: /年份/ });
  });

  it('a bad file is refused and nothing changes', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"days": [ {"name": "元旦", "date": "2027-01-01", "isOffDay": true}, ');
    await fails(['calendar', 'import', bad, '--db', db], { code: 1, match: /calendar\.bad_json/ });
    writeFileSync(bad, JSON.stringify({ days: [HOLIDAYS_2027.days[0], { name: '春节', date: '2027-02-30', isOffDay: true }] }));
    await fails(['calendar', 'import', bad, '--db', db], { code: 1, match: /2027-02-30/ });
    await fails(['calendar', 'import', path.join(dir, 'missing.json'), '--db', db], { code: 1, match: /cannot read/ });
    assert.equal(await ok(['calendar', 'show', '2027', '--db', db]), '2027: NOT LOADED (weekends only)\n');
  });

  it('calendar import FILE --actor NAME, then show: the year is loaded and the import recorded with who and when', async () => {
    const file = path.join(dir, '2027.json');
    writeFileSync(file, JSON.stringify(HOLIDAYS_2027, null, 2));
    const now = epoch('2026-11-25T09:30:00+08:00');
    assert.equal(await ok(['calendar', 'import', file, '--db', db, '--actor', 'hlj-xfj.sysadmin'], { now }), 'imported years: 2027\n');
    const out = await ok(['calendar', 'show', '2027', '--db', db]);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines[0], '2027: loaded');
    assert.deepEqual(lines.filter((l) => /^2027-/.test(l)), [
      '2027-01-01 off', '2027-09-26 workday (调休)', '2027-10-01 off', '2027-10-02 off', '2027-10-03 off',
      '2027-10-04 off', '2027-10-05 off', '2027-10-06 off', '2027-10-07 off', '2027-10-09 workday (调休)',
    ]);
    assert.match(out, /^# 2026-11-25T09:30:00\+08:00 hlj-xfj\.sysadmin: .*\d/m);
  });

  it('due and workday with --db count with the imported days; without --db the shipped calendar (weekends only for 2027)', async () => {
    assert.equal(await ok(['due', '2027-09-30', '5', 'workdays', '--db', db]), '2027-10-13\n');
    assert.equal(await ok(['due', '2027-09-30', '5', 'workdays']), '2027-10-07\n');
    assert.equal(await ok(['due', '2027-09-28', '5', 'days', '--db', db]), '2027-10-08\n');
    assert.equal(await ok(['due', '2027-09-28', '5', 'days']), '2027-10-04\n');
    assert.equal(await ok(['due', '2026-12-17', '15', 'days', '--db', db]), '2027-01-04\n');
    assert.equal(await ok(['due', '2026-12-17', '15', 'days']), '2027-01-01\n');
    assert.equal(await ok(['workday', '2027-10-09', '--db', db]), 'workday\n');
    assert.equal(await ok(['workday', '2027-10-09']), 'off\n');
  });

  it('importing the year again replaces it', async () => {
    const file = path.join(dir, '2027b.json');
    writeFileSync(file, JSON.stringify({ year: 2027, days: [{ name: '元旦', date: '2027-01-01', isOffDay: true }] }));
    assert.equal(await ok(['calendar', 'import', file, '--db', db]), 'imported years: 2027\n');
    const out = await ok(['calendar', 'show', '2027', '--db', db]);
    assert.deepEqual(out.split('\n').filter((l) => /^2027-/.test(l)), ['2027-01-01 off']);
    assert.equal((out.match(/^# /gm) || []).length, 2, 'both imports are recorded');
    assert.equal(await ok(['due', '2027-09-30', '5', 'workdays', '--db', db]), '2027-10-07\n');
  });
});

describe('xinfang scan / rebuild / policy on a demo database', () => {
  let db; let dir2;
  const T0 = epoch('2026-03-02T10:00:00+08:00');
  const LATER = epoch('2026-06-30T10:00:00+08:00');
  const SCAN = /^looked at (\d+) clocks: (\d+) new reminders \(催办\), (\d+) new supervision items \(督办\)$/m;

  before(async () => {
    const d = await demoDb({ cases: 40, now: T0 });
    db = d.db;
    dir2 = d.dir;
  });
  after(() => { if (!process.env.XINFANG_KEEP && dir2 && existsSync(dir2)) rmSync(dir2, { recursive: true, force: true }); });

  it('scan twice: new reminders and supervision items, then none; rebuild is still identical', async () => {
    const first = SCAN.exec(await ok(['scan', '--db', db], { now: LATER }));
    assert.ok(first, 'scan prints its counts');
    assert.ok(Number(first[2]) > 0 && Number(first[3]) > 0, `the demo cases are late by June: ${first[0]}`);
    const second = SCAN.exec(await ok(['scan', '--db', db], { now: LATER }));
    assert.ok(second);
    assert.deepEqual([second[2], second[3]], ['0', '0'], second[0]);
    const third = SCAN.exec(await ok(['scan', '--db', db], { now: LATER + 86400 }));
    assert.deepEqual([third[2], third[3]], ['0', '0'], 'a later scan adds nothing for the same crossings');
    const r = await ok(['rebuild', '--db', db]);
    assert.match(r, /^identical$/m);
  });

  it('policy show prints the policies as JSON', async () => {
    const p = JSON.parse(await ok(['policy', 'show', '--db', db]));
    const names = p.policies.map((x) => x.name);
    for (const n of ['national', 'hlj-complaint', 'binhai-stats', 'jiujiang-cgj']) assert.ok(names.includes(n), n);
    const hlj = p.policies.find((x) => x.name === 'hlj-complaint');
    assert.deepEqual(hlj.entries.find((e) => e.key === 'triage.urgent')?.amount, 2);
    assert.deepEqual(p.changes, []);
  });

  it('policy set / policy unit: recorded with --actor; bad keys and units fail', async () => {
    const now = epoch('2026-07-01T09:00:00+08:00');
    await ok(['policy', 'set', 'national', 'handle', '45', '--unit', 'days', '--db', db, '--actor', 'ops'], { now });
    await ok(['policy', 'unit', 'dl-xfj', 'national', '--db', db, '--actor', 'ops'], { now });
    const p = JSON.parse(await ok(['policy', 'show', '--db', db]));
    const e = p.policies.find((x) => x.name === 'national').entries.find((x) => x.key === 'handle');
    assert.deepEqual([e.amount, e.unit], [45, 'days']);
    assert.equal(p.changes.length, 2);
    assert.deepEqual(p.changes.map((c) => c.actor), ['ops', 'ops']);
    assert.equal(p.changes[0].at, '2026-07-01T09:00:00+08:00');
    await fails(['policy', 'set', 'national', 'nonsense', '3', '--db', db], { code: 1, match: /validation\.invalid/ });
    await fails(['policy', 'set', 'national', 'handle', '3', '--unit', 'weeks', '--db', db], { code: 1 });
    await fails(['policy', 'set', 'nowhere', 'handle', '3', '--db', db], { code: 1, match: /policy\.not_found/ });
    await fails(['policy', 'set', 'national', 'handle', 'x', '--db', db], { code: 2 });
    await fails(['policy', 'unit', 'nowhere', 'national', '--db', db], { code: 1, match: /unit\.not_found/ });
    await fails(['policy', 'frob', '--db', db], { code: 2, match: /usage: xinfang policy/ });
    assert.equal(JSON.parse(await ok(['policy', 'show', '--db', db])).changes.length, 2, 'nothing recorded by the failures');
  });
});

describe('xinfang help', () => {
  const COMMANDS = ['calendar', 'demo', 'due', 'help', 'init', 'policy', 'rebuild', 'scan', 'serve', 'unit', 'user', 'version', 'workday'];

  it('lists every command with its usage', async () => {
    const out = await ok(['help']);
    for (const c of COMMANDS) assert.match(out, new RegExp(`^  ${c}\\b`, 'm'), `help does not list ${c}`);
    for (const s of ['calendar import FILE', 'calendar show YEAR', 'due START AMOUNT days|workdays|hours',
      'workday YYYY-MM-DD', 'scan [--db FILE]', '--scan-interval', 'policy show']) {
      assert.ok(out.includes(s), `help does not mention "${s}"`);
    }
    assert.equal(await ok(['--help']), out);
  });

  it('no command prints the help and exits 2; an unknown command fails', async () => {
    const r = await runCli([]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /usage: xinfang COMMAND/);
    await fails(['frobnicate'], { code: 2, match: /unknown command 'frobnicate'/ });
  });

  it('version', async () => {
    assert.match(await ok(['version']), /^xinfang \d+\.\d+\.\d+\n$/);
  });
});
