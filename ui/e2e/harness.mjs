// harness.mjs - the browser tests' harness: a demo server with the built UI, Debian's Chromium
// driven by playwright-core (never its own browser download), log-in, screenshots and a watch
// on console errors and failed API calls.
//
// The server is the one the API tests use (tests/api/helpers.mjs): a fresh demo database
// (`xinfang demo --cases N`), `xinfang serve --ui ui/dist` on a free port of 127.0.0.1.
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { Server, Ctx, runCli, totpCode, DEMO_TOTP_SECRET, NO_RATE_LIMITS, isAdmin, PASSWORD } from '../../tests/api/helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const UI_DIST = path.resolve(HERE, '../dist');
export const ROOT = path.resolve(HERE, '../..');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Screenshots go here (`make screenshots` copies the chosen ones to docs/screenshots/). */
export const SHOTS = process.env.XF_SHOTS || path.join(ROOT, 'build', 'screenshots');
export { PASSWORD };

/** A demo database with `cases` generated cases and a server on it serving the UI. */
export async function startApp({ cases = 120, now, args = [] } = {}) {
  if (!existsSync(path.join(UI_DIST, 'index.html')))
    throw new Error(`${UI_DIST}/index.html is missing: build the UI first (make ui)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xf-e2e-'));
  const db = path.join(dir, 'demo.db');
  const r = await runCli(['demo', '--db', db, '--cases', String(cases)], { now });
  if (r.code !== 0) throw new Error(`xinfang demo failed:\n${r.stderr}`);
  const server = new Server(db);
  await server.start({ now, args: [...NO_RATE_LIMITS, '--ui', UI_DIST, ...args] });
  return {
    server,
    base: server.base,
    /** the API tests' context on the same server: api.login(username) → a Client */
    api: new Ctx(dir, db, server),
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: scripts/deps.sh installs Debian's chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=zh-CN', '--font-render-hinting=none'],
  });
}

export const STAFF_VIEWPORT = { width: 1366, height: 768 };
export const PHONE_VIEWPORT = { width: 390, height: 844 };

/**
 * A new page that records problems: JavaScript errors, console errors other than the
 * browser's own "Failed to load resource" lines (those are checked by status instead), and
 * API answers of 500 or more. `page.problems` lists them; `expectClean(page)` asserts none.
 * (4xx answers are the tests' own business: they provoke many on purpose.)
 */
export async function newPage(browser, { viewport = STAFF_VIEWPORT, base } = {}) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', baseURL: base, acceptDownloads: true });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error' && !(m.type() === 'warning' && /\[Vue warn\]/.test(m.text()))) return;
    if (/Failed to load resource/.test(m.text())) return;
    page.problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500) page.problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return page;
}

export function expectClean(page, assert) {
  assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);
}

/** Log in through the form (with the demo second factor for the three administrators). */
export async function login(page, username, { password = PASSWORD } = {}) {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username); // el-input puts data-testid on the <input>
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  if (isAdmin(username)) {
    const totp = page.getByTestId('login-totp');
    await totp.waitFor();
    await totp.fill(totpCode(DEMO_TOTP_SECRET, Math.floor(Date.now() / 1000 / 30)));
    await page.getByTestId('login-submit').click();
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export async function logout(page) {
  await page.getByTestId('logout').click();
  await page.waitForURL((u) => u.pathname.startsWith('/login'));
}

/** Save a screenshot as SHOTS/<name>.png (full page unless told otherwise). */
export async function shot(page, name, { fullPage = false } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** An el-input's <input> (Element Plus puts data-testid on the input itself or on its wrapper). */
export const input = (page, id) => page.getByTestId(id).locator('xpath=descendant-or-self::input').first();
export const textarea = (page, id) => page.getByTestId(id).locator('xpath=descendant-or-self::textarea').first();

/** Choose `text` in the el-select with data-testid `id`. */
export async function pickSelect(page, id, text) {
  await page.getByTestId(id).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

/** Type `text` into the filterable el-cascader `id` and take the first suggestion. */
export async function pickCascader(page, id, text) {
  const box = page.getByTestId(id).locator('input').first();
  await box.click();
  await box.fill(text);
  await page.locator('.el-cascader__suggestion-item:visible', { hasText: text }).first().click();
}
