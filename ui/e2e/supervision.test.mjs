// supervision.test.mjs - the supervisor's boards and the leader's duties in Chromium:
// late cases by unit, reminders (催办) and supervision orders (督办) in bulk (R22 art. 38-40;
// seeds 001, 002), a leader's instruction (批示) and ownership (包案, seeds 003/004), and
// the dashboard's numbers against the API (seed 000 art. 24). Users without the role
// never see the boards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, expectClean, login, textarea } from './harness.mjs';

let app;
let browser;

before(async () => {
  app = await startApp({ cases: 300 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

const menu = (page) => page.locator('[data-testid^=nav-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid').slice(4)));

test('the supervisor sees late cases by unit and sends a supervision order to several at once', async () => {
  const sup = await app.api.login('dl-xfj.supervisor');
  const open = async (level) => (await sup.get(`/api/v1/escalations?level=${level}`)).body.items.filter((e) => !e.resolved_at);
  // the level with open items, and the cases on it the supervisor may act on
  const level = (await open('overdue')).length ? 'overdue' : 'warning';
  const items = await open(level);
  assert.ok(items.length >= 1, 'the demo has late cases under 道里区信访局');
  const actionable = [];
  for (const e of items) {
    const c = await sup.getCase(e.no);
    if (c.actions.some((a) => a.action === 'supervise')) actionable.push(e);
  }
  assert.ok(actionable.length >= 1, 'a supervisor may order supervision on open late cases');

  const page = await newPage(browser, { base: app.base });
  await login(page, 'dl-xfj.supervisor');
  assert.ok((await menu(page)).includes('supervision'));
  await page.getByTestId('nav-supervision').click();
  await page.getByTestId('sup-units').locator('tbody tr').first().waitFor();
  if (level === 'warning') await page.getByTestId('sup-level').getByText('临期预警').click();
  const table = page.getByTestId('sup-escalations');
  const pick = actionable.slice(0, 2);
  for (const e of pick) {
    const row = table.locator('tbody tr', { hasText: e.no }).first();
    await row.waitFor();
    await row.locator('.el-checkbox').click();
  }
  await page.getByTestId('sup-bulk-supervise').waitFor();
  await page.getByTestId('sup-bulk-supervise').click();
  const dialog = page.getByTestId('sup-bulk-dialog');
  await dialog.waitFor();
  await textarea(page, 'sup-bulk-reason').fill('请于5日内办结并书面报告办理情况');
  await page.getByTestId('sup-bulk-submit').click();
  const result = page.getByTestId('sup-bulk-result');
  await result.waitFor();
  assert.match(await result.innerText(), new RegExp(`成功 ${new Set(pick.map((e) => e.no)).size} 件，失败 0 件`));
  for (const e of pick) {
    const c = await sup.getCase(e.no);
    assert.equal(c.oversight[0].action, 'supervise');
    assert.equal(c.oversight[0].reason, '请于5日内办结并书面报告办理情况');
  }
  expectClean(page, assert);
  await page.context().close();

  // a handling unit's clerk has no boards
  const handler = await newPage(browser, { base: app.base });
  await login(handler, 'dl-cgj.handler');
  assert.ok(!(await menu(handler)).includes('supervision'));
  assert.ok(!(await menu(handler)).includes('dashboard'));
  await handler.goto('/supervision');
  await handler.waitForURL((u) => u.pathname !== '/supervision');
  expectClean(handler, assert);
  await handler.context().close();
});

test('a leader instructs on a case and takes ownership of it (包案)', async () => {
  const leader = await app.api.login('hrb-xfj.leader');
  const list = (await leader.get('/api/v1/cases?state=accepted&limit=50')).body.items;
  let no = null;
  for (const c of list) {
    const full = await leader.getCase(c.no);
    const acts = full.actions.map((a) => a.action);
    if (acts.includes('instruct') && acts.includes('take_ownership')) { no = c.no; break; }
  }
  assert.ok(no, 'an accepted case the leader may instruct on and own');

  const page = await newPage(browser, { base: app.base });
  await login(page, 'hrb-xfj.leader');
  await page.goto(`/cases/${no}`);
  await page.getByTestId('case-head').waitFor();
  for (const a of ['accept', 'reply', 'transfer', 'approve'])
    assert.equal(await page.getByTestId(`action-${a}`).count(), 0, `a leader does not ${a}`);
  await page.getByTestId('action-instruct').click();
  let dialog = page.getByTestId('action-dialog');
  await dialog.waitFor();
  await textarea(dialog, 'act-opinion').fill('请城管部门三日内拿出整改方案，信访局跟踪督办。');
  await dialog.getByTestId('act-submit').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByTestId('action-take-ownership').click();
  dialog = page.getByTestId('action-dialog');
  await dialog.waitFor();
  await dialog.getByTestId('act-submit').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByTestId('case-owner').waitFor();
  assert.match(await page.getByTestId('case-owner').innerText(), /包案领导/);
  // now the owner may release, and may not take it again
  await page.getByTestId('action-release-ownership').waitFor();
  assert.equal(await page.getByTestId('action-take-ownership').count(), 0);
  const c = await leader.getCase(no);
  assert.equal(c.owner.username, 'hrb-xfj.leader');
  assert.deepEqual(c.oversight.slice(0, 2).map((o) => o.action), ['take_ownership', 'instruct']);
  expectClean(page, assert);

  // the dashboard counts what the API counts
  await page.goto('/dashboard');
  await page.getByTestId('kpi-month').waitFor();
  const o = (await leader.get('/api/v1/stats/overview')).body;
  assert.match(await page.getByTestId('kpi-month').innerText(), new RegExp(`^${o.month.registered}\\b`));
  assert.match(await page.getByTestId('kpi-overdue').innerText(), new RegExp(`^${o.now.overdue}\\b`));
  await page.getByTestId('dash-hot').locator('li').first().waitFor(); // hot issues, asked separately
  expectClean(page, assert);
  await page.context().close();
});
