// register.test.mjs - 登记 (registration) and 受理凭证 (receipt) in the browser:
// a collective visit with two petitioners, the live duplicate hint while a second petition
// is typed (screenshot registration-duplicate-hint), marking it as a repeat, the query code
// shown once, the printable receipt, a server validation error next to its field with
// nothing registered, and a user without the registrar role kept away from /register.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, shot, expectClean, login, input, pickSelect, pickCascader } from './harness.mjs';

let app;
let browser;

before(async () => {
  app = await startApp({ cases: 60 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** GET an API path with the page's session. */
async function api(page, path) {
  return page.evaluate(async (p) => {
    const r = await fetch(p, { headers: { Accept: 'application/json' } });
    return { status: r.status, body: await r.json() };
  }, path);
}

async function newestCaseNo(page) {
  const r = await api(page, '/api/v1/cases?limit=1');
  assert.equal(r.status, 200);
  return r.body.items[0]?.no ?? null;
}

// The same petitioner (by phone) on nearly the same matter, twice.
const PHONE = '13945106688';
const TITLE = '丽景花园开发商逾期三年未办理房产证';
const CONTENT =
  '我们是道里区丽景花园小区的业主，2021年交房，开发商承诺两年内办理不动产权证书，至今三年过去仍未办理，' +
  '开发商以土地出让金未缴清为由推脱，业主无法落户、子女入学受到影响。';

async function fillMatter(page, { title = TITLE, content = CONTENT, request = '请求督促开发商尽快为业主办理不动产权证书。' } = {}) {
  await input(page, 'reg-title').fill(title);
  await pickSelect(page, 'reg-kind', '申诉求决');
  await pickCascader(page, 'reg-category', '住房保障');
  await pickCascader(page, 'reg-locality', '道里区');
  await page.getByTestId('reg-content').fill(content);
  await page.getByTestId('reg-request').fill(request);
}

let firstNo = '';

test('a registrar registers a collective visit with two petitioners and gets the query code once', async () => {
  const page = await newPage(browser, { base: app.base });
  await login(page, 'dl-xfj.registrar');
  await page.getByTestId('nav-register').click();
  await page.waitForURL((u) => u.pathname === '/register');
  await page.getByTestId('reg-form').waitFor();

  // the channel is a segmented choice kept in the URL
  await page.getByTestId('reg-channel-visit').click();
  await page.waitForURL((u) => u.searchParams.get('channel') === 'visit');
  await page.reload();
  await page.getByTestId('reg-people-count').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'pet-0-name', 'autofocus on the first field');

  await input(page, 'reg-people-count').fill('12');
  await page.getByTestId('reg-collective').click();
  await input(page, 'pet-0-name').fill('张秀兰');
  await pickSelect(page, 'pet-0-sex', '女');
  await input(page, 'pet-0-id-number').fill('230102198503150017');
  await input(page, 'pet-0-phone').fill(PHONE);
  await page.getByTestId('pet-0-representative').click();
  await page.getByTestId('pet-add').click();
  await input(page, 'pet-1-name').fill('刘振山');
  await input(page, 'pet-1-phone').fill('13804519900');
  await page.getByTestId('pet-1-representative').click();
  await fillMatter(page);

  // Ctrl+Enter submits
  await page.getByTestId('reg-request').press('Control+Enter');
  await page.getByTestId('reg-result').waitFor();
  firstNo = (await page.getByTestId('reg-result-no').textContent()).trim();
  assert.match(firstNo, /^XF\d{13}$/);
  assert.match((await page.getByTestId('reg-query-code').textContent()).trim(), /^[A-Z0-9]{6,12}$/);
  assert.match(await page.getByTestId('reg-result').textContent(), /查询码仅显示一次，请交给信访人/);

  const c = (await api(page, `/api/v1/cases/${firstNo}`)).body;
  assert.equal(c.channel, 'visit');
  assert.ok(c.flags.includes('collective'));
  assert.equal(c.people_count, 12);
  assert.equal(c.petitioners.length, 2);
  assert.equal(c.petitioners.filter((p) => p.representative).length, 2);
  expectClean(page, assert);
  await page.context().close();
});

test('the duplicate hint appears while typing; marking it sets repeat_of; the receipt prints the query code', async () => {
  assert.ok(firstNo, 'the first registration ran');
  const page = await newPage(browser, { base: app.base });
  await login(page, 'dl-xfj.registrar');
  await page.goto('/register?channel=phone');
  await page.getByTestId('reg-form').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'pet-0-phone', 'a call: the phone first');

  await input(page, 'pet-0-phone').fill(PHONE);
  await input(page, 'pet-0-name').fill('张秀兰');
  // returning petitioner: the lookup on leaving the phone field
  await page.getByTestId('pet-0-history-list').waitFor();
  assert.match(await page.getByTestId('pet-history-count').textContent(), /该信访人此前有 1 件信访事项/);
  await page.getByTestId(`pet-history-${firstNo}`).waitFor();

  await input(page, 'reg-title').pressSequentially('丽景花园开发商逾期三年未办房产证', { delay: 15 });
  await page.getByTestId('reg-content').pressSequentially(
    '道里区丽景花园小区2021年交房，开发商承诺两年内办理不动产权证书，三年过去仍未办理，业主无法落户、孩子入学受影响。',
    { delay: 5 },
  );
  const cand = page.getByTestId(`similar-${firstNo}`);
  await cand.getByTestId('similar-relation').filter({ hasText: '重复件' }).waitFor();
  const reasons = await cand.getByTestId('similar-reason').allTextContents();
  assert.ok(reasons.includes('同一联系电话'), `reasons: ${reasons}`);
  assert.ok(reasons.some((r) => r.startsWith('正文重合')), `reasons: ${reasons}`);
  await page.getByTestId('pet-0-history').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shot(page, 'register-duplicate-hint');

  await page.getByTestId(`similar-mark-repeat-${firstNo}`).click();
  assert.equal(await input(page, 'reg-repeat-of').inputValue(), firstNo);
  await cand.getByTestId('similar-marked').waitFor();

  await pickSelect(page, 'reg-kind', '申诉求决');
  await pickCascader(page, 'reg-category', '住房保障');
  await pickCascader(page, 'reg-locality', '道里区');
  await page.getByTestId('reg-request').fill('请求尽快办理房产证。');
  await page.getByTestId('reg-submit').click();
  await page.getByTestId('reg-result').waitFor();
  const no = (await page.getByTestId('reg-result-no').textContent()).trim();
  const code = (await page.getByTestId('reg-query-code').textContent()).trim();
  assert.notEqual(no, firstNo);
  assert.match(await page.getByTestId('reg-result-repeat').textContent(), new RegExp(firstNo));
  const c = (await api(page, `/api/v1/cases/${no}`)).body;
  assert.deepEqual(c.relations.filter((r) => r.rel === 'repeat_of').map((r) => r.no), [firstNo]);

  // the receipt: the query code travels in sessionStorage, never in the URL
  await page.getByTestId('reg-print').click();
  await page.waitForURL((u) => u.pathname === `/cases/${no}/receipt`);
  assert.ok(!page.url().includes(code));
  await page.getByTestId('receipt').waitFor();
  assert.equal((await page.getByTestId('receipt-query-code').textContent()).trim(), code);
  assert.match(await page.getByTestId('receipt-portal').textContent(), /\/portal\/query$/);
  assert.match(await page.getByTestId('receipt-petitioners').textContent(), /张秀兰/);
  await shot(page, 'register-receipt', { fullPage: true });
  await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByTestId('receipt-print').isVisible(), false, 'the print button is not printed');
  assert.equal(await page.getByTestId('logout').isVisible(), false, 'the header is not printed');
  await shot(page, 'register-receipt-print', { fullPage: true });
  expectClean(page, assert);

  // another tab (a new session) cannot show the code again
  const other = await newPage(browser, { base: app.base });
  await login(other, 'dl-xfj.registrar');
  await other.goto(`/cases/${no}/receipt`);
  await other.getByTestId('receipt-no-query-code').waitFor();
  await other.context().close();
  await page.context().close();
});

test('a server validation error shows next to its field and nothing is registered', async () => {
  const page = await newPage(browser, { base: app.base });
  await login(page, 'dl-xfj.registrar');
  await page.goto('/register?channel=letter');
  await page.getByTestId('reg-form').waitFor();
  const before = await newestCaseNo(page);

  // the client's required-field check first: nothing is sent
  let posted = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/cases') posted++;
  });
  await page.getByTestId('reg-submit').click();
  await page.getByTestId('reg-error').waitFor();
  assert.equal(posted, 0);
  assert.ok(await page.locator('.el-form-item.is-error').count() >= 5);

  await input(page, 'pet-0-name').fill('王建国');
  await input(page, 'pet-0-id-number').fill('230102198503150018'); // wrong check digit
  await fillMatter(page, { title: '反映某小区供热不达标', content: '今年入冬以来室温一直不到十六度。', request: '请求督促供热公司达标供热。' });
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/cases');
  await page.getByTestId('reg-submit').click();
  const res = await answer;
  assert.equal(res.status(), 400);
  assert.equal((await res.json()).error.code, 'validation.id_number');

  const item = page.getByTestId('pet-0-id-number').locator('xpath=ancestor::div[contains(@class,"el-form-item")][1]');
  await item.locator('.el-form-item__error').filter({ hasText: '身份证号码' }).waitFor();
  assert.match(await page.getByTestId('reg-error').textContent(), /登记未成功：身份证号码/);
  assert.equal(await newestCaseNo(page), before, 'nothing registered');
  assert.equal(await page.getByTestId('reg-result').count(), 0);

  // corrected, the same form registers (its Idempotency-Key was not spent on the refusal)
  await input(page, 'pet-0-id-number').fill('230102198503150017');
  await page.getByTestId('reg-submit').click();
  await page.getByTestId('reg-result').waitFor();
  assert.notEqual(await newestCaseNo(page), before);
  expectClean(page, assert);
  await page.context().close();
});

test('a user without the registrar role has no 登记 menu entry and is sent away from /register', async () => {
  const page = await newPage(browser, { base: app.base });
  await login(page, 'dl-cgj.handler');
  await page.getByTestId('nav-cases').waitFor();
  assert.equal(await page.getByTestId('nav-register').count(), 0);
  await page.goto('/register');
  await page.waitForURL((u) => u.pathname !== '/register');
  assert.equal(await page.getByTestId('reg-form').count(), 0);
  expectClean(page, assert);
  await page.context().close();
});
