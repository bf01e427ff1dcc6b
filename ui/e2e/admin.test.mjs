// admin.test.mjs - the three separated administrators (三员分立) in the browser.
//
// The system administrator creates an account (it appears with no role) and is offered no
// 授予角色; the security administrator grants it the handler role and is offered no 新建用户;
// nobody is offered an action on their own row; the auditor reads the audit log with the
// user.add and user.roles rows of that account and has no menu entry for cases; a business
// user (dl-xfj.dispatcher) has no 系统管理 entries and is sent away from /admin/users.
//
// Each administrator logs in once: a TOTP code is good for one login per 30-second step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, login, shot, expectClean } from './harness.mjs';

let app;
let browser;
const NEW_USER = 'dl-xfj.e2e-wang';
const NEW_NAME = '王测试';

/** An Element Plus input by its data-testid (on the <input> itself or on a wrapper). */
const field = (page, id) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();

/** The menu entries of the staff layout, as their paths. */
async function menu(page) {
  await page.locator('.el-menu-item').first().waitFor();
  const ids = await page.locator('.el-menu-item[data-testid^="nav-"]').evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-testid')),
  );
  return ids.map((id) => id.replace(/^nav-/, ''));
}

before(async () => {
  app = await startApp({ cases: 20 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

test('the system administrator creates an account, which has no role, and cannot grant roles', async () => {
  const page = await newPage(browser, { base: app.base });
  await login(page, 'hlj-xfj.sysadmin');
  assert.equal(new URL(page.url()).pathname, '/admin/users');
  assert.deepEqual(await menu(page), ['admin-units', 'admin-users', 'admin-calendar', 'admin-policies', 'me']);

  await page.getByTestId('users-table').locator('.el-table__row').first().waitFor();
  // the security administrator's actions are not offered
  assert.equal(await page.locator('[data-testid^="user-grant-"]').count(), 0);
  assert.equal(await page.locator('[data-testid^="user-totp-reset-"]').count(), 0);
  assert.equal(await page.getByText('授予角色').count(), 0);
  // nothing on the own row
  await page.getByTestId('user-self-hlj-xfj.sysadmin').waitFor();
  assert.equal(await page.getByTestId('user-disable-hlj-xfj.sysadmin').count(), 0);
  assert.equal(await page.getByTestId('user-reset-password-hlj-xfj.sysadmin').count(), 0);
  assert.equal(await page.getByTestId('user-disable-hlj-xfj.secadmin').count(), 1);

  // 新建用户: Enter on an empty form names what is missing, next to each field
  await page.getByTestId('user-create').click();
  const dialog = page.getByTestId('user-create-dialog');
  await dialog.waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'user-create-username');
  await page.keyboard.press('Enter');
  await dialog.getByText('请输入用户名').waitFor();
  await dialog.getByText('请选择所属单位').waitFor();

  await field(page, 'user-create-username').fill(NEW_USER);
  await field(page, 'user-create-name').fill(NEW_NAME);
  await page.getByTestId('user-create-unit').click();
  await page.keyboard.type('道里区信访局');
  await page.locator('.el-tree-select__popper:visible .el-tree-node__content', { hasText: '道里区信访局' }).first().click();
  // a weak password: the server's message, next to the password
  await field(page, 'user-create-password').fill('short');
  await field(page, 'user-create-password').press('Enter');
  await dialog.getByText('密码至少12位').waitFor();
  await page.getByTestId('user-create-generate').click();
  await page.getByTestId('user-create-submit').click();
  await page.getByTestId('user-create-done').waitFor();
  assert.match(await page.getByTestId('user-create-done').innerText(), /尚无任何角色/);
  await page.getByTestId('user-create-close').click();

  await field(page, 'users-search').fill('e2e-wang');
  await page.getByTestId(`user-${NEW_USER}`).waitFor();
  assert.equal((await page.getByTestId(`user-rolelist-${NEW_USER}`).innerText()).trim(), '无角色');
  assert.equal(await page.getByTestId(`user-disable-${NEW_USER}`).count(), 1);
  await field(page, 'users-search').fill('');
  await page.getByTestId(`user-${NEW_USER}`).waitFor();
  await shot(page, 'admin-users');
  expectClean(page, assert);
  await page.context().close();
});

test('the security administrator grants the handler role and cannot create accounts', async () => {
  const page = await newPage(browser, { base: app.base });
  await login(page, 'hlj-xfj.secadmin');
  assert.equal(new URL(page.url()).pathname, '/admin/users');
  assert.deepEqual(await menu(page), ['admin-users', 'me']);

  await page.getByTestId('users-table').locator('.el-table__row').first().waitFor();
  assert.equal(await page.getByTestId('user-create').count(), 0);
  assert.equal(await page.getByText('新建用户').count(), 0);
  assert.equal(await page.locator('[data-testid^="user-disable-"], [data-testid^="user-reset-password-"]').count(), 0);
  await page.getByTestId('user-self-hlj-xfj.secadmin').waitFor();
  assert.equal(await page.getByTestId('user-grant-hlj-xfj.secadmin').count(), 0);

  await field(page, 'users-search').fill('e2e-wang');
  await page.getByTestId(`user-grant-${NEW_USER}`).click();
  const dialog = page.getByTestId('user-roles-dialog');
  await dialog.waitFor();
  // 三员分立: with a business role chosen, the administrator roles cannot be
  await page.getByTestId('role-handler').click();
  assert.equal(await page.getByTestId('role-auditor').locator('input').isDisabled(), true);
  await page.locator('[data-testid="role-handler"].is-checked').waitFor();
  await page.waitForTimeout(300); // the check mark's transition, for the screenshot
  await shot(page, 'admin-roles');
  await page.getByTestId('user-roles-save').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText('其已登录的会话已结束').first().waitFor();
  await page.getByTestId(`user-rolelist-${NEW_USER}`).getByText('承办员').waitFor();
  expectClean(page, assert);
  await page.context().close();
});

test('the auditor reads the audit log and nothing else', async () => {
  const page = await newPage(browser, { base: app.base });
  await login(page, 'hlj-xfj.auditor');
  assert.equal(new URL(page.url()).pathname, '/admin/audit');
  assert.deepEqual(await menu(page), ['admin-audit', 'me']);

  const table = page.getByTestId('audit-table');
  const added = table.locator('.el-table__row', { hasText: NEW_USER }).filter({ hasText: 'user.add' });
  const granted = table.locator('.el-table__row', { hasText: NEW_USER }).filter({ hasText: 'user.roles' });
  await added.first().waitFor();
  assert.match(await added.first().innerText(), /新建用户[\s\S]*hlj-xfj\.sysadmin|hlj-xfj\.sysadmin[\s\S]*新建用户/);
  assert.match(await granted.first().innerText(), /调整角色/);
  assert.match(await granted.first().innerText(), /handler/);
  // no way into case content: no case links on the page
  assert.equal(await page.locator('a[href^="/cases"]').count(), 0);
  await page.getByTestId('audit-retention-min').getByText('184').waitFor();
  await shot(page, 'admin-audit');

  // an administrator page of the others sends the auditor home
  await page.goto('/admin/users');
  await page.waitForURL((u) => u.pathname === '/admin/audit');
  expectClean(page, assert);
  await page.context().close();
});

test('a business user has no system administration', async () => {
  const page = await newPage(browser, { base: app.base });
  await login(page, 'dl-xfj.dispatcher');
  const entries = await menu(page);
  assert.ok(entries.includes('cases'), entries.join());
  assert.deepEqual(entries.filter((e) => e.startsWith('admin-')), []);
  await page.goto('/admin/users');
  await page.waitForURL((u) => u.pathname !== '/admin/users');
  assert.equal(await page.getByTestId('users-table').count(), 0);
  await page.goto('/admin/audit');
  await page.waitForURL((u) => u.pathname !== '/admin/audit');
  expectClean(page, assert);
  await page.context().close();
});
