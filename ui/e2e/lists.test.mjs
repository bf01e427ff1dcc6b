// lists.test.mjs - the clerk's workbench: 我的待办 (/todo) and 信访事项 (/cases).
// Overdue rows marked and first, the 全部/临期/超期 chips (screenshot workbench), full-text
// search with highlighted snippets (never server HTML), filters in the URL (Back works),
// saved views, bulk actions offering only what every selected case allows, the Excel
// export, and the one-minute auto-refresh keeping the selection.
//
// The data: a demo database made at T0, then three cases sent to 道里区城市管理局 (dl-cgj)
// at T0 and T0+3d (and a few more at T0+10d), the server restarted at T0+17d: the first is
// past its 15-day 受理告知 limit (overdue), the next ones close to it (warning).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, shot, expectClean, login, input } from './harness.mjs';
import { Ctx } from '../../tests/api/helpers.mjs';

const DAY = 86400;
const T0 = Math.floor(Date.parse('2026-11-16T09:00:00+08:00') / 1000); // a Monday

let app;
let browser;
let api;
const no = {};

async function moveClock(now) {
  await app.server.stop();
  api.sessions.clear();
  await app.server.start({ now });
}

before(async () => {
  app = await startApp({ cases: 120, now: T0 });
  api = new Ctx(null, null, app.server);
  const reg = await api.login('dl-xfj.registrar');
  const disp = await api.login('dl-xfj.dispatcher');
  const cgj = await api.unitId('dl-cgj');
  const send = async (title) => {
    const { no: n } = await reg.registered({
      category: '0102',
      title,
      content: '经纬街烧烤摊每晚经营到凌晨两点，油烟和噪音严重影响附近居民休息，多次向社区反映无果。',
      request: '请求依法治理占道经营，解决夜间噪音和油烟扰民问题。',
    });
    await disp.acted(n, 'transfer', { lead_unit: cgj });
    return n;
  };
  no.late = await send('经纬街烧烤摊夜间噪音扰民');
  await moveClock(T0 + 3 * DAY);
  const reg2 = await api.login('dl-xfj.registrar');
  const disp2 = await api.login('dl-xfj.dispatcher');
  const send2 = async (title) => {
    const { no: n } = await reg2.registered({ category: '0102', title });
    await disp2.acted(n, 'transfer', { lead_unit: cgj });
    return n;
  };
  no.a = await send2('安静街搅拌站夜间施工扰民（一）');
  no.b = await send2('安静街搅拌站夜间施工扰民（二）');
  no.c = await send2('安静街搅拌站夜间施工扰民（三）');
  // a case whose title is markup: shown as text, never as HTML
  no.markup = (await reg2.registered({ title: '<b>噪音</b><img src=x onerror=alert(1)>扰民' })).no;
  const handler = await api.login('dl-cgj.handler');
  await handler.acted(no.c, 'accept');
  // a few more, in good time, so that the workbench looks like a working day
  await moveClock(T0 + 10 * DAY);
  const reg3 = await api.login('dl-xfj.registrar');
  const disp3 = await api.login('dl-xfj.dispatcher');
  for (const [channel, category, title] of [
    ['letter', '0801', '尚志大街人行道井盖缺失存在安全隐患'],
    ['online', '0102', '中央大街周边共享单车乱停乱放堵塞盲道'],
    ['phone', '0502', '安升街餐馆油烟直排扰民'],
  ]) {
    const { no: n } = await reg3.registered({ channel, category, title });
    await disp3.acted(n, 'transfer', { lead_unit: cgj });
    if (channel !== 'letter') await (await api.login('dl-cgj.handler')).acted(n, 'accept');
  }
  await moveClock(T0 + 17 * DAY);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** Wait until the list has answered and the loading mask is gone. */
async function settled(page) {
  await page.waitForLoadState('networkidle');
  await page.locator('.case-table .el-loading-mask').waitFor({ state: 'detached' }).catch(() => {});
}

/** Rows on screen: [{no, cls, state}]. */
function rows(page) {
  return page.locator('tr.case-row').evaluateAll((trs) =>
    trs.map((t) => ({
      no: t.querySelector('[data-testid=case-no]').textContent.trim(),
      cls: t.className,
      state: t.querySelector('[data-testid=case-state]').textContent.trim(),
    })),
  );
}

const row = (page, n) => page.locator('tr.case-row', { has: page.getByTestId('case-no').filter({ hasText: n }) });

/** The list's answer to the next change made by `act`. */
async function reloadBy(page, path, act) {
  const r = page.waitForResponse((res) => new URL(res.url()).pathname === path && res.request().method() === 'GET');
  await act();
  const res = await r;
  await settled(page);
  return res;
}

test('the to-do list puts overdue cases first, marks them and filters by the chips', async () => {
  const page = await newPage(browser, { base: app.server.base });
  await login(page, 'dl-cgj.handler');
  await page.waitForURL(/\/todo/);
  await settled(page);
  const all = await rows(page);
  assert.ok(all.length >= 4, `to-do rows: ${JSON.stringify(all)}`);
  const overdue = all.filter((r) => r.cls.includes('due-overdue'));
  assert.ok(overdue.some((r) => r.no === no.late), `${no.late} is marked overdue: ${JSON.stringify(all)}`);
  assert.ok(all.find((r) => r.no === no.a).cls.includes('due-warning'), 'a case near its limit is marked as warning');
  // overdue first: no overdue row after a row that is not
  const firstOther = all.findIndex((r) => !r.cls.includes('due-overdue'));
  assert.ok(all[0].cls.includes('due-overdue'), 'the first row is overdue');
  assert.ok(all.slice(firstOther).every((r) => !r.cls.includes('due-overdue')), 'overdue rows come first');
  await assert.doesNotReject(row(page, no.late).getByText(/超期/).first().waitFor());
  // the chips count what is on the list
  assert.match(await page.getByTestId('todo-chip-all').innerText(), new RegExp(`全部\\s*${all.length}`));
  assert.match(await page.getByTestId('todo-chip-overdue').innerText(), new RegExp(`超期\\s*${overdue.length}`));
  await page.locator('.page-title > span').first().hover(); // no row under the pointer
  await page.waitForTimeout(400); // the rows' hover colour fades out
  await shot(page, 'lists-todo');

  await page.getByTestId('todo-chip-overdue').click();
  await page.waitForURL(/due=overdue/);
  const only = await rows(page);
  assert.equal(only.length, overdue.length);
  assert.ok(only.every((r) => r.cls.includes('due-overdue')));
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes('due='));
  assert.equal((await rows(page)).length, all.length);
  expectClean(page, assert);
  await page.context().close();
});

test('search shows the matching snippet with the terms marked, as text only', async () => {
  const page = await newPage(browser, { base: app.server.base });
  await login(page, 'dl-xfj.dispatcher');
  await page.goto('/cases');
  await settled(page);
  await input(page, 'filter-q').fill('噪音');
  await reloadBy(page, '/api/v1/cases', () => input(page, 'filter-q').press('Enter'));
  assert.equal(new URL(page.url()).searchParams.get('q'), '噪音');
  const found = await rows(page);
  assert.ok(found.some((r) => r.no === no.late), 'the case with 噪音 in its content is found');
  // the snippet of a content match, the term inside <mark>
  const snip = row(page, no.late).getByTestId('case-snippet');
  assert.match(await snip.innerText(), /噪音/);
  assert.deepEqual(await snip.locator('mark').allInnerTexts().then((m) => [...new Set(m)]), ['噪音']);
  // a title with markup is shown as typed, nothing of it becomes an element
  const markup = row(page, no.markup);
  assert.match(await markup.innerText(), /<b>噪音<\/b><img src=x onerror=alert\(1\)>扰民/);
  assert.equal(await markup.locator('b, img').count(), 0);
  assert.deepEqual(await markup.locator('mark').allInnerTexts(), ['噪音']);
  await shot(page, 'cases-search');

  // nothing found: how search works
  await input(page, 'filter-q').fill('噪音 不可能出现的词组');
  await reloadBy(page, '/api/v1/cases', () => input(page, 'filter-q').press('Enter'));
  const empty = page.getByTestId('cases-empty');
  await empty.waitFor();
  assert.match(await empty.innerText(), /至少一个字/);
  assert.match(await empty.innerText(), /空格/);
  // a refused query is shown at the search box, the message the server's
  await page.goto('/cases?q=' + encodeURIComponent('噪'.repeat(51)));
  await settled(page);
  assert.match(await page.locator('.case-filters .el-form-item__error').first().innerText(), /50/);
  expectClean(page, assert);
  await page.context().close();
});

test('a filter change goes into the URL and reloads the rows; Back restores them', async () => {
  const page = await newPage(browser, { base: app.server.base });
  await login(page, 'dl-xfj.dispatcher');
  await page.goto('/cases');
  await settled(page);
  const before = await rows(page);
  assert.ok(before.some((r) => r.state !== '已转交办'));

  await page.getByTestId('filter-state').click();
  await reloadBy(page, '/api/v1/cases', () => page.getByTestId('state-option-dispatched').click());
  await page.keyboard.press('Escape');
  assert.equal(new URL(page.url()).searchParams.get('state'), 'dispatched');
  const dispatched = await rows(page);
  assert.ok(dispatched.length > 0 && dispatched.every((r) => r.state === '已转交办'), JSON.stringify(dispatched));

  await reloadBy(page, '/api/v1/cases', () => page.goBack());
  assert.equal(new URL(page.url()).search, '');
  assert.equal((await rows(page)).length, before.length);

  // 问题属地 哈尔滨市 (230100) goes to the API as the prefix 2301, and shows in the picker
  await page.getByTestId('filter-locality').click();
  await page.locator('.el-cascader-node:visible', { hasText: '黑龙江省' }).click();
  const res = await reloadBy(page, '/api/v1/cases', () =>
    page.locator('.el-cascader-node:visible', { hasText: '哈尔滨市' }).locator('.el-radio').click());
  await page.keyboard.press('Escape');
  assert.equal(new URL(page.url()).searchParams.get('locality'), '2301');
  assert.equal(new URL(res.url()).searchParams.get('locality'), '2301');
  assert.match(await input(page, 'filter-locality').inputValue(), /哈尔滨市/);
  expectClean(page, assert);
  await page.context().close();
});

test('a saved view is kept on the server and applied from the menu', async () => {
  const page = await newPage(browser, { base: app.server.base });
  await login(page, 'dl-xfj.dispatcher');
  await page.goto('/cases?state=dispatched&channel=visit');
  await settled(page);
  await page.getByTestId('views-menu').click();
  await page.getByTestId('view-save').click();
  await input(page, 'view-name').fill('来访待受理');
  await input(page, 'view-name').press('Enter');
  await page.getByTestId('view-dialog').waitFor({ state: 'hidden' });
  assert.match(await page.getByTestId('views-menu').innerText(), /来访待受理/);

  // the same name again: the server's refusal next to the name, nothing saved
  await page.getByTestId('views-menu').click();
  await page.getByTestId('view-save').click();
  await input(page, 'view-name').fill('来访待受理');
  await page.getByTestId('view-save-confirm').click();
  await page.getByTestId('view-dialog').locator('.el-form-item__error').waitFor();
  await page.keyboard.press('Escape');

  await reloadBy(page, '/api/v1/cases', () => page.getByTestId('filter-reset').click());
  assert.equal(new URL(page.url()).search, '');
  await page.getByTestId('views-menu').click();
  await reloadBy(page, '/api/v1/cases', () => page.getByTestId('view-item').filter({ hasText: '来访待受理' }).click());
  const q = new URL(page.url()).searchParams;
  assert.equal(q.get('state'), 'dispatched');
  assert.equal(q.get('channel'), 'visit');

  await page.getByTestId('views-menu').click();
  await page.getByTestId('view-item').filter({ hasText: '来访待受理' }).getByTestId('view-delete').click();
  await page.locator('.el-message-box__btns .el-button--primary').click();
  await page.locator('.el-message', { hasText: '已删除视图' }).waitFor();
  const views = await page.evaluate(() => fetch('/api/v1/me/views').then((r) => r.json()));
  assert.deepEqual(views.items, []);
  expectClean(page, assert);
  await page.context().close();
});

test('bulk actions offer only what every selected case allows, and accept two cases', async () => {
  const page = await newPage(browser, { base: app.server.base });
  await login(page, 'dl-cgj.handler');
  await page.waitForURL(/\/todo/);
  await settled(page);
  const check = (n) => row(page, n).locator('.el-checkbox').click();

  // a dispatched case and an accepted one: 受理 is not offered
  await check(no.a);
  await check(no.c);
  await page.getByTestId('bulk-count').filter({ hasText: '已选 2 件' }).waitFor();
  await page.getByTestId('bulk-none').waitFor();
  assert.equal(await page.getByTestId('bulk-accept').count(), 0);

  // two dispatched cases: 受理 is
  await check(no.c);
  await check(no.b);
  await page.getByTestId('bulk-accept').waitFor();
  await page.getByTestId('bulk-accept').click();
  const dialog = page.getByTestId('bulk-dialog');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), new RegExp(no.a));
  assert.match(await dialog.innerText(), new RegExp(no.b));
  await page.getByTestId('bulk-confirm').click();
  await page.getByTestId('bulk-result').waitFor();
  assert.equal(await page.getByTestId('bulk-ok').innerText(), '2');
  assert.equal(await page.getByTestId('bulk-failed').innerText(), '0');
  await page.getByTestId('bulk-close').click();
  await settled(page);
  await page.getByTestId('bulk-bar').waitFor({ state: 'detached' });
  for (const n of [no.a, no.b]) assert.equal((await rows(page)).find((r) => r.no === n)?.state, '办理中');
  // on the server too
  const h = await api.login('dl-cgj.handler');
  for (const n of [no.a, no.b]) assert.equal((await h.getCase(n)).state, 'accepted');
  expectClean(page, assert);
  await page.context().close();
});

test('export downloads the to-do list as an .xlsx file', async () => {
  const page = await newPage(browser, { base: app.server.base });
  await login(page, 'dl-cgj.handler');
  await page.waitForURL(/\/todo/);
  await settled(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const stream = await download.createReadStream();
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  const buf = Buffer.concat(chunks);
  assert.equal(buf.subarray(0, 2).toString(), 'PK', 'an xlsx is a zip file');
  expectClean(page, assert);
  await page.context().close();
});

test('the to-do list refreshes itself every minute and keeps the selection', async () => {
  const page = await newPage(browser, { base: app.server.base });
  await page.clock.install();
  await login(page, 'dl-cgj.handler');
  await page.waitForURL(/\/todo/);
  await settled(page);
  const first = (await rows(page))[0].no;
  await row(page, first).locator('.el-checkbox').click();
  await page.getByTestId('bulk-count').filter({ hasText: '已选 1 件' }).waitFor();
  const refreshed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/todo');
  await page.clock.fastForward(61_000);
  await refreshed;
  await settled(page);
  assert.equal(await row(page, first).locator('.el-checkbox.is-checked').count(), 1, 'still selected after the refresh');
  await page.getByTestId('bulk-count').filter({ hasText: '已选 1 件' }).waitFor();
  expectClean(page, assert);
  await page.context().close();
});
