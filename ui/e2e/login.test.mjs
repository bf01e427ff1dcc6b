// login.test.mjs - the login form says what the server says: tries left after a wrong
// password, the lockout after five (等保 2.0 level 3 identification), the second factor the
// three administrators must give (GB/T 39786-2021), a wrong code; an expired session sends the
// user back to the form and then to the page they were on. An administrator without a
// second factor can only enrol it (Profile).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, expectClean, login, input, PASSWORD } from './harness.mjs';
import { totpCode, DEMO_TOTP_SECRET } from '../../tests/api/helpers.mjs';

let app;
let browser;

before(async () => {
  app = await startApp({ cases: 0 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** Fill and send the form; resolves with the login answer. */
async function submit(page, username, password) {
  await input(page, 'login-username').fill(username);
  await input(page, 'login-password').fill(password);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/login')),
    page.getByTestId('login-submit').click(),
  ]);
  return res;
}

test('wrong passwords: the tries left, then the lockout, even with the right password', async () => {
  const page = await newPage(browser, { base: app.base });
  await page.goto('/login');
  await submit(page, 'dl-xfj.registrar', 'not-the-password');
  const error = page.getByTestId('login-error');
  await error.waitFor();
  assert.match(await error.innerText(), /还可尝试4次/);
  for (let i = 0; i < 4; i++) await submit(page, 'dl-xfj.registrar', `wrong-${i}`);
  assert.equal((await submit(page, 'dl-xfj.registrar', PASSWORD)).status(), 423);
  await error.filter({ hasText: /锁定/ }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
  expectClean(page, assert);
  await page.context().close();
});

test('an administrator is asked for the second factor; a wrong code is refused at the field', async () => {
  const page = await newPage(browser, { base: app.base });
  await page.goto('/login');
  await submit(page, 'hlj-xfj.auditor', PASSWORD);
  const totp = input(page, 'login-totp');
  await totp.waitFor();
  const field = page.locator('.el-form-item', { has: page.getByTestId('login-totp') }).locator('.el-form-item__error');
  await field.filter({ hasText: /验证码/ }).waitFor();
  await totp.fill('000000');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/login')),
    page.getByTestId('login-submit').click(),
  ]);
  assert.equal(res.status(), 401);
  await field.filter({ hasText: /错误|已使用/ }).waitFor();
  await totp.fill(totpCode(DEMO_TOTP_SECRET, Math.floor(Date.now() / 30000) + 1));
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname === '/admin/audit');
  expectClean(page, assert);
  await page.context().close();
});

test('after logging out, a page asks for the login again and comes back to it', async () => {
  const page = await newPage(browser, { base: app.base });
  await login(page, 'dl-xfj.dispatcher');
  await page.getByTestId('logout').click();
  await page.waitForURL((u) => u.pathname === '/login');
  await page.goto('/cases?channel=visit');
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/cases?channel=visit');
  await submit(page, 'dl-xfj.dispatcher', PASSWORD);
  await page.waitForURL((u) => u.pathname === '/cases' && u.searchParams.get('channel') === 'visit');
  expectClean(page, assert);
  await page.context().close();
});
