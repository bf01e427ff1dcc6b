#!/usr/bin/env node
// calendar-gen.mjs - rebuild data/calendar/cn-holidays.json, the statutory
// days off and make-up working days (调休) of 2020-2026, in holiday-cn format:
//   {"source": "...", "days": [{"name": "元旦", "date": "2020-01-01", "isOffDay": true}, ...]}
// sorted by date; isOffDay false marks a make-up working day.
//
// Usage (chinese-days is installed outside the repository, never added to it):
//   mkdir -p /tmp/cd && cd /tmp/cd && npm init -y && npm install chinese-days
//   node scripts/calendar-gen.mjs /tmp/cd/node_modules/chinese-days [OUT]
// OUT defaults to data/calendar/cn-holidays.json beside this script's
// repository; "-" writes to standard output. The file is written whole or not
// at all.
//
// Sources: 2020-2024 come from the npm package `chinese-days` (its
// dist/chinese-days.json); 2025 and 2026 are written below from
// /work/shared/reference/RULES.md "Counting time" (国办发明电〔2024〕12号 and
// 〔2025〕7号) and win over the package. Every difference between the package
// and RULES.md for those years is printed to standard error.
import { readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIRST = 2020;
const LAST = 2026;

// RULES.md "Counting time", exactly: [name, first, last] off ranges, then make-up days.
const RULES = {
  2025: {
    off: [
      ['元旦', '2025-01-01', '2025-01-01'],
      ['春节', '2025-01-28', '2025-02-04'],
      ['清明节', '2025-04-04', '2025-04-06'],
      ['劳动节', '2025-05-01', '2025-05-05'],
      ['端午节', '2025-05-31', '2025-06-02'],
      ['国庆节、中秋节', '2025-10-01', '2025-10-08'],
    ],
    makeup: [
      ['春节', '2025-01-26'],
      ['春节', '2025-02-08'],
      ['劳动节', '2025-04-27'],
      ['国庆节、中秋节', '2025-09-28'],
      ['国庆节、中秋节', '2025-10-11'],
    ],
  },
  2026: {
    off: [
      ['元旦', '2026-01-01', '2026-01-03'],
      ['春节', '2026-02-15', '2026-02-23'],
      ['清明节', '2026-04-04', '2026-04-06'],
      ['劳动节', '2026-05-01', '2026-05-05'],
      ['端午节', '2026-06-19', '2026-06-21'],
      ['中秋节', '2026-09-25', '2026-09-27'],
      ['国庆节', '2026-10-01', '2026-10-07'],
    ],
    makeup: [
      ['元旦', '2026-01-04'],
      ['春节', '2026-02-14'],
      ['春节', '2026-02-28'],
      ['劳动节', '2026-05-09'],
      ['国庆节', '2026-09-20'],
      ['国庆节', '2026-10-10'],
    ],
  },
};

// chinese-days short names to the names holiday-cn uses
const NAMES = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };

function fail(msg) {
  process.stderr.write(`calendar-gen: ${msg}\n`);
  process.exit(1);
}

function checkDate(d) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) fail(`bad date ${d}`);
  const t = new Date(`${d}T00:00:00Z`);
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== d) fail(`bad date ${d}`);
  return d;
}

function nextDate(d) {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

const yearOf = (d) => Number(d.slice(0, 4));

// chinese-days: {holidays: {date: "English,中文,n"}, workdays: {...}, inLieuDays: {...}}
function readPackage(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (pkg.name !== 'chinese-days') fail(`${dir} is not the chinese-days package`);
  const data = JSON.parse(readFileSync(join(dir, 'dist', 'chinese-days.json'), 'utf8'));
  if (!data.holidays || !data.workdays) fail('dist/chinese-days.json has no holidays/workdays');
  const days = new Map(); // date -> {name, isOffDay}
  for (const [map, isOffDay] of [
    [data.holidays, true],
    [data.workdays, false],
  ]) {
    for (const [date, value] of Object.entries(map)) {
      checkDate(date);
      const short = String(value).split(',')[1] || String(value);
      const prev = days.get(date);
      if (prev && prev.isOffDay !== isOffDay) fail(`chinese-days lists ${date} as both off and workday`);
      days.set(date, { name: NAMES[short] || short, isOffDay });
    }
  }
  return { version: pkg.version, days };
}

function rulesDays(year) {
  const days = new Map();
  for (const [name, from, to] of RULES[year].off) {
    for (let d = checkDate(from); d <= checkDate(to); d = nextDate(d)) days.set(d, { name, isOffDay: true });
  }
  for (const [name, d] of RULES[year].makeup) {
    if (days.has(checkDate(d))) fail(`RULES lists ${d} twice`);
    days.set(d, { name, isOffDay: false });
  }
  return days;
}

const kindName = (x) => (x === undefined ? 'normal' : x.isOffDay ? 'off' : 'make-up workday');

function main() {
  const [pkgDir, outArg] = process.argv.slice(2);
  if (!pkgDir) fail('usage: node scripts/calendar-gen.mjs <path to chinese-days> [OUT|-]');
  const { version, days: pkgDays } = readPackage(resolve(pkgDir));
  const out = new Map();
  for (const [date, v] of pkgDays) {
    const y = yearOf(date);
    if (y >= FIRST && y <= LAST && !RULES[y]) out.set(date, v);
  }
  for (const y of Object.keys(RULES).map(Number)) {
    const rules = rulesDays(y);
    const pkgYear = new Map([...pkgDays].filter(([d]) => yearOf(d) === y));
    const all = [...new Set([...rules.keys(), ...pkgYear.keys()])].sort();
    let diffs = 0;
    for (const d of all) {
      const a = pkgYear.get(d);
      const b = rules.get(d);
      if (kindName(a) !== kindName(b)) {
        process.stderr.write(`${d}: chinese-days ${kindName(a)}, RULES.md ${kindName(b)} (RULES.md wins)\n`);
        diffs++;
      }
    }
    process.stderr.write(`${y}: ${diffs} difference(s) between chinese-days ${version} and RULES.md\n`);
    for (const [d, v] of rules) out.set(d, v);
  }
  for (let y = FIRST; y <= LAST; y++) {
    if (![...out.keys()].some((d) => yearOf(d) === y)) fail(`no days for ${y}`);
  }
  const lines = [...out.keys()]
    .sort()
    .map((d) => '    ' + JSON.stringify({ name: out.get(d).name, date: d, isOffDay: out.get(d).isOffDay }).replace(/,"/g, ', "').replace(/":/g, '": '));
  const source =
    `${FIRST}-2024: npm package chinese-days ${version}; 2025-${LAST}: RULES.md "Counting time" ` +
    '(国办发明电〔2024〕12号, 国办发明电〔2025〕7号). Generated by scripts/calendar-gen.mjs.';
  const text = `{\n  "source": ${JSON.stringify(source)},\n  "days": [\n${lines.join(',\n')}\n  ]\n}\n`;
  JSON.parse(text); // sanity
  if (outArg === '-') {
    process.stdout.write(text);
    return;
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const file = resolve(outArg || join(here, '..', 'data', 'calendar', 'cn-holidays.json'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  process.stderr.write(`wrote ${out.size} days to ${file}\n`);
}

main();
