// scenario.test.mjs - one petition through the whole system, in Chromium, as the people who
// handle it would (issue 6): the registrar registers a visit and sees the related case while
// typing (seed 002 精准甄别), prints the receipt with the query code (R22 art. 17, 22); the
// dispatcher transfers it from the to-do list (art. 22); the handling unit accepts and
// replies with outcome, facts, opinion and legal basis (art. 32-33; seed 004 art. 10); the
// bureau approves; the petitioner follows it on the portal with number and query code and
// rates it (art. 35 and the satisfaction rule of RULES.md). Along the way: a user without a
// permission never sees its button, and the pages the README shows are photographed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startApp, launch, newPage, expectClean, shot, login, logout, input, textarea, pickSelect, pickCascader, PHONE_VIEWPORT,
} from './harness.mjs';

let app;
let browser;

before(async () => {
  app = await startApp({ cases: 300 }); // enough history for late cases on the boards
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** An el-input's <input> (Element Plus puts data-testid on the input itself or its wrapper). */
/** The menu entries a user sees (their data-testids, without the nav- prefix). */
async function menu(page) {
  return page.locator('[data-testid^=nav-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid').slice(4)));
}

/** The action buttons on a case page, as action names. */
async function actionButtons(page) {
  return page.getByTestId('case-actions').locator('button').evaluateAll((bs) =>
    bs.map((b) => b.getAttribute('data-testid').replace(/^action-/, '').replace(/-/g, '_')));
}

async function openFromTodo(page, no) {
  await page.getByTestId('nav-todo').click();
  await page.waitForURL((u) => u.pathname === '/todo');
  const link = page.getByTestId('case-table').getByTestId('case-no').filter({ hasText: no });
  await link.waitFor();
  await link.click();
  await page.waitForURL((u) => u.pathname === `/cases/${no}`);
  await page.getByTestId('case-head').waitFor();
  await page.waitForLoadState('networkidle');
}

async function act(page, action, fill = async () => {}) {
  await page.getByTestId(`action-${action.replace(/_/g, '-')}`).click();
  const dialog = page.getByTestId('action-dialog');
  await dialog.waitFor();
  await fill(dialog);
  await dialog.getByTestId('act-submit').click();
  await dialog.waitFor({ state: 'hidden' });
}

const stateLabel = async (page) => (await page.getByTestId('case-state').innerText()).trim();

// the matter: a construction site's night work, first written up by another resident
const MATTER = '道里区安静街丽水湾工地每天夜里十一点以后还在浇筑混凝土，搅拌车和振捣声音很大，附近三栋楼的居民无法休息，'
  + '多次向工地和城管反映仍未停止，请有关部门依法查处夜间违规施工。';
const TITLE = '丽水湾工地夜间违规施工噪音扰民';

test('register → transfer → accept and reply → approve → the petitioner follows and rates it', async () => {
  // another resident reported the same matter last week (through the API: it is not the subject here)
  const reg = await app.api.login('dl-xfj.registrar');
  const earlier = await reg.registered({
    title: TITLE, content: MATTER, request: '请求依法查处夜间施工', category: '0401', locality: '230102',
    petitioners: [{ name: '周立新', phone: '13945106601' }],
  });

  // ---- 1. the registrar (登记员) registers a visit and sees the related case while typing
  const page = await newPage(browser, { base: app.base });
  await login(page, 'dl-xfj.registrar');
  assert.deepEqual(await menu(page), ['todo', 'register', 'cases', 'me'], 'a registrar: no supervision, dashboard or administration');
  await page.getByTestId('nav-register').click();
  await page.waitForURL((u) => u.pathname === '/register');
  await page.getByTestId('reg-channel-visit').click();
  await input(page, 'pet-0-name').fill('吴桂芳');
  await input(page, 'pet-0-phone').fill('13945106602');
  await input(page, 'reg-title').pressSequentially('丽水湾工地夜里施工噪音太大', { delay: 10 });
  await page.getByTestId('reg-content').pressSequentially(MATTER.replace('无法休息', '根本睡不着'), { delay: 2 });
  const cand = page.getByTestId(`similar-${earlier.no}`);
  await cand.getByTestId('similar-relation').filter({ hasText: '关联件' }).waitFor();
  const reasons = await cand.getByTestId('similar-reason').allTextContents();
  assert.ok(reasons.some((r) => r.startsWith('正文重合')), `reasons in words: ${reasons}`);
  await page.getByTestId(`similar-mark-related-${earlier.no}`).click();
  await cand.getByTestId('similar-marked-related').waitFor();
  await pickSelect(page, 'reg-kind', '申诉求决');
  await pickCascader(page, 'reg-category', '噪声');
  await pickCascader(page, 'reg-locality', '道里区');
  await page.getByTestId('reg-request').fill('请求责令工地停止夜间施工。');
  await page.locator('.el-cascader__suggestion-panel').first().waitFor({ state: 'hidden' }).catch(() => {});
  await input(page, 'reg-title').evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await shot(page, 'registration-duplicate-hint');
  await page.getByTestId('reg-submit').click();
  await page.getByTestId('reg-result').waitFor();
  const no = (await page.getByTestId('reg-result-no').textContent()).trim();
  const code = (await page.getByTestId('reg-query-code').textContent()).trim();
  assert.match(no, /^XF\d{13}$/);
  assert.match(code, /^[A-Z0-9]{8}$/);
  const registered = await reg.getCase(no);
  assert.deepEqual(registered.relations.filter((r) => r.rel === 'related').map((r) => r.no), [earlier.no]);
  assert.equal(registered.state, 'registered');
  // the receipt (受理凭证) carries the number and the query code
  await page.getByTestId('reg-print').click();
  await page.getByTestId('receipt').waitFor();
  assert.equal((await page.getByTestId('receipt-query-code').textContent()).trim(), code);
  await shot(page, 'receipt', { fullPage: true });
  // the registrar may not transfer: the case page shows no such button
  await page.goto(`/cases/${no}`);
  await page.getByTestId('case-head').waitFor();
  assert.ok(!(await actionButtons(page)).includes('transfer'));
  expectClean(page, assert);
  await logout(page);

  // ---- 2. the dispatcher (分办员) transfers it from the to-do list to the urban management bureau
  await login(page, 'dl-xfj.dispatcher');
  await openFromTodo(page, no);
  assert.equal(await stateLabel(page), '已登记');
  const served = (await (await app.api.login('dl-xfj.dispatcher')).getCase(no)).actions.map((a) => a.action);
  assert.deepEqual(await actionButtons(page), served, 'the buttons are the server\'s actions');
  await act(page, 'transfer', async (d) => {
    await d.getByTestId('act-lead-unit').click();
    await page.locator('.el-tree-node__content:visible', { hasText: '道里区城市管理局' }).last().click();
  });
  await page.getByTestId('case-state').filter({ hasText: '已转交办' }).waitFor();
  expectClean(page, assert);
  await logout(page);

  // ---- 3. the handler (承办员) accepts and replies
  await login(page, 'dl-cgj.handler');
  assert.ok(!(await menu(page)).includes('register'), 'a handler has no registration');
  await openFromTodo(page, no);
  assert.ok(!(await actionButtons(page)).includes('transfer'), 'a handler never sees 转送');
  await act(page, 'accept');
  await page.getByTestId('case-state').filter({ hasText: '办理中' }).waitFor();
  await act(page, 'reply', async (d) => {
    await d.getByTestId('act-outcome-support').click();
    await textarea(d, 'act-facts').fill('经现场核查，丽水湾工地确于夜间22时后进行混凝土浇筑，未办理夜间施工许可。');
    await textarea(d, 'act-opinion').fill('已责令施工单位立即停止夜间施工，并依法处以罚款；今后夜间施工须事先办理许可并公告。');
    await textarea(d, 'act-legal-basis').fill('《中华人民共和国噪声污染防治法》第四十三条、第七十七条');
    await d.getByTestId('act-delivery-signed').click();
  });
  await page.getByTestId('case-state').filter({ hasText: '已答复待审核' }).waitFor();
  expectClean(page, assert);
  await logout(page);

  // ---- 4. the bureau approves the reply (审核通过): the case is closed
  await login(page, 'dl-xfj.dispatcher');
  await openFromTodo(page, no);
  await act(page, 'approve');
  await page.getByTestId('case-state').filter({ hasText: '已办结' }).waitFor();
  await page.locator('#tab-timeline').click();
  await page.getByTestId('timeline-item').first().waitFor();
  await page.locator('.el-message').first().waitFor({ state: 'detached' }).catch(() => {});
  await shot(page, 'case-page');
  expectClean(page, assert);
  await page.context().close();

  // ---- 5. the petitioner follows it on the portal (a phone) and rates it
  const phone = await newPage(browser, { base: app.base, viewport: PHONE_VIEWPORT });
  await phone.goto('/portal/query');
  await input(phone, 'query-no').fill(no);
  await input(phone, 'query-code').fill(code);
  await phone.getByTestId('query-submit').click();
  await phone.getByTestId('query-result').waitFor();
  assert.match(await phone.getByTestId('query-state').innerText(), /已办结/);
  const timeline = (await phone.getByTestId('query-timeline-item').allInnerTexts()).join('\n');
  assert.match(timeline, /道里区城市管理局/, 'the timeline says where it went, in words');
  for (const staff of ['dl-xfj.dispatcher', 'dl-cgj.handler']) {
    const name = (await app.api.login(staff)).user.name;
    assert.ok(!timeline.includes(name), `no staff names on the portal (${name})`);
  }
  assert.match(await phone.getByTestId('query-reply').innerText(), /噪声污染防治法/, 'the reply with its legal basis');
  await shot(phone, 'portal', { fullPage: true });
  await phone.getByTestId('query-rate-satisfied').click();
  await phone.locator('.el-message-box__btns .el-button--primary').click(); // 确认评价
  await phone.getByTestId('query-rated').waitFor();
  assert.equal(await phone.getByTestId('query-rate-satisfied').count(), 0, 'rated once: the buttons are gone');
  assert.ok(await phone.evaluate(() => document.scrollingElement.scrollWidth <= window.innerWidth), 'no sideways scrolling on a phone');
  const events = await (await app.api.login('dl-xfj.dispatcher')).events(no);
  assert.equal(events.at(-1).action, 'rate');
  assert.equal(events.at(-1).payload.satisfaction, 'satisfied');
  expectClean(phone, assert);
  await phone.context().close();
});

test('the workbench and the dashboard: what each user sees, and their screenshots', async () => {
  // a handling unit's to-do list: the most urgent first, late ones marked (R22 art. 34 limits)
  const page = await newPage(browser, { base: app.base });
  await login(page, 'bx-rsj.handler');
  await page.waitForURL((u) => u.pathname === '/todo');
  await page.getByTestId('case-table').waitFor();
  await page.waitForLoadState('networkidle');
  const rows = page.locator('tr.case-row');
  assert.ok(await rows.count() > 0, 'the demo unit has work to do');
  assert.match(await rows.first().getAttribute('class'), /due-overdue/, 'late cases first, marked');
  await shot(page, 'workbench');
  assert.ok(!(await menu(page)).some((m) => m.startsWith('admin')), 'no administration for a handler');
  await page.goto('/admin/users');
  await page.waitForURL((u) => u.pathname !== '/admin/users');
  expectClean(page, assert);
  await logout(page);

  // the leader: supervision, dashboard; instruct and take ownership on a case in scope
  await login(page, 'hrb-xfj.leader');
  await page.goto('/supervision');
  await page.getByTestId('sup-units').waitFor();
  assert.ok((await menu(page)).includes('dashboard'));
  assert.ok(!(await menu(page)).includes('register'), 'a leader does not register');
  await page.getByTestId('nav-dashboard').click();
  await page.getByTestId('kpi-month').waitFor();
  await page.getByTestId('chart-daily').locator('canvas').waitFor();
  await page.getByTestId('dash-hot').locator('li').first().waitFor();
  await page.waitForTimeout(800); // the charts' entry animation
  await shot(page, 'dashboard');
  expectClean(page, assert);
  await page.context().close();
});
