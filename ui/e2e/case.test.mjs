// case.test.mjs - the case page (/cases/:no) in Chromium: the actions are the server's
// `actions` and nothing else, a transfer moves the case, the reply editor shows the server's
// refusal next to the field and changes nothing, a version conflict is told and keeps the
// dialog's input, and the page of a handled case (clocks and history) for docs/screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, expectClean, shot, login } from './harness.mjs';
import { Ctx } from '../../tests/api/helpers.mjs';

let app;
let browser;
let ctx;

before(async () => {
  app = await startApp({ cases: 120 });
  ctx = new Ctx(null, null, app.server);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

/** A page logged in as `username`, showing case `no` (optionally on a tab). */
async function openCase(username, no, tab) {
  const page = await newPage(browser, { base: app.base });
  await login(page, username);
  await page.goto(`/cases/${no}${tab ? `?tab=${tab}` : ''}`);
  await page.getByTestId('case-head').waitFor();
  await page.waitForLoadState('networkidle');
  return page;
}

async function stateLabel(page) {
  return (await page.getByTestId('case-state').innerText()).trim();
}

/** The action buttons on the page, as action names. */
async function actionButtons(page) {
  return page.getByTestId('case-actions').locator('button').evaluateAll((bs) =>
    bs.map((b) => b.getAttribute('data-testid').replace(/^action-/, '').replace(/-/g, '_')),
  );
}

/** Pick a unit by name in the dialog's unit field `testid`. */
async function pickUnit(page, testid, name) {
  await page.getByTestId('action-dialog').getByTestId(testid).click();
  await page.locator('.el-tree-node__content:visible', { hasText: name }).last().click();
}

async function register() {
  const reg = await ctx.login('dl-xfj.registrar');
  return (await reg.registered({ people_count: 12, flags: ['collective'] })).no;
}

test('only the actions the server lists are buttons; a transfer moves the case', async () => {
  const no = await register();
  const disp = await ctx.login('dl-xfj.dispatcher');
  const served = (await disp.getCase(no)).actions.map((a) => a.action);

  const page = await openCase('dl-xfj.dispatcher', no);
  assert.equal(await stateLabel(page), '已登记');
  assert.deepEqual(await actionButtons(page), served);
  assert.ok(served.includes('transfer'));

  await page.getByTestId('action-transfer').click();
  const dialog = page.getByTestId('action-dialog');
  await dialog.waitFor();
  await pickUnit(page, 'act-lead-unit', '道里区城市管理局');
  await dialog.getByTestId('act-comment').locator('textarea').fill('请依法处理并按期答复');
  await dialog.getByTestId('act-submit').click();
  await page.getByTestId('case-state').filter({ hasText: '已转交办' }).waitFor();
  assert.equal((await page.getByTestId('case-holder').innerText()).trim(), '道里区城市管理局');
  const after = await disp.getCase(no);
  assert.equal(after.state, 'dispatched');
  assert.equal(after.lead_unit.name, '道里区城市管理局');
  // the history shows the transfer with the unit by name
  await page.locator('#tab-timeline').click();
  const item = page.getByTestId('timeline-item').filter({ hasText: '转送' });
  await item.waitFor();
  assert.match(await item.innerText(), /主办单位\s*道里区城市管理局/);
  assert.match(await item.innerText(), /请依法处理并按期答复/);
  expectClean(page, assert);
  await page.context().close();

  // the handling unit: accept and return, never transfer
  const handler = await openCase('dl-cgj.handler', no);
  const h = (await (await ctx.login('dl-cgj.handler')).getCase(no)).actions.map((a) => a.action);
  assert.deepEqual(await actionButtons(handler), h);
  assert.ok(h.includes('accept'));
  assert.equal(await handler.getByTestId('action-transfer').count(), 0);
  expectClean(handler, assert);
  await handler.context().close();

  // the registrar of the same bureau sees the case with no transfer button
  const registrarPage = await openCase('dl-xfj.registrar', await register());
  assert.equal(await registrarPage.getByTestId('action-transfer').count(), 0);
  expectClean(registrarPage, assert);
  await registrarPage.context().close();
});

test('a reply without legal basis shows the server message at the field and changes nothing', async () => {
  const no = await register();
  const disp = await ctx.login('dl-xfj.dispatcher');
  await disp.acted(no, 'transfer', { lead_unit: await ctx.unitId('dl-cgj') });
  const api = await ctx.login('dl-cgj.handler');
  await api.acted(no, 'accept');

  const page = await openCase('dl-cgj.handler', no);
  assert.equal(await stateLabel(page), '办理中');
  await page.getByTestId('action-reply').click();
  const dialog = page.getByTestId('action-dialog');
  await dialog.waitFor();
  await dialog.getByTestId('act-outcome-support').click();
  await dialog.getByTestId('act-facts').locator('textarea').fill('经查，该公司确欠12名农民工工资共计38万元。');
  await dialog.getByTestId('act-opinion').locator('textarea').fill('责令该公司于12月20日前结清全部工资。');
  await dialog.getByTestId('act-delivery-signed').click();

  const before = await api.getCase(no);
  const beforeEvents = (await api.events(no)).length;
  // what the server answers to this very body
  const refused = await api.post(`/api/v1/cases/${no}/actions/reply`, {
    outcome: 'support', facts: 'x', opinion: 'y', delivery: 'signed',
  }, { ifMatch: before.version });
  assert.equal(refused.body.error.field, 'legal_basis');

  await dialog.getByTestId('act-submit').click();
  const fieldError = dialog.locator('.el-form-item', { has: page.getByTestId('act-legal-basis') }).locator('.el-form-item__error');
  await fieldError.waitFor();
  assert.equal((await fieldError.innerText()).trim(), refused.body.error.message);
  const still = await api.getCase(no);
  assert.equal(still.version, before.version);
  assert.equal(still.state, 'accepted');
  assert.equal((await api.events(no)).length, beforeEvents);
  assert.ok(await dialog.isVisible(), 'the dialog stays open with the input');

  await dialog.getByTestId('act-legal-basis').locator('textarea').fill('《保障农民工工资支付条例》第十五条');
  await dialog.getByTestId('act-submit').click();
  await page.getByTestId('case-state').filter({ hasText: '已答复待审核' }).waitFor();
  expectClean(page, assert);
  await page.context().close();

  // the bureau approves: the case closes; its page with clocks and history is the screenshot
  const bureau = await openCase('dl-xfj.dispatcher', no);
  await bureau.getByTestId('action-approve').click();
  await bureau.getByTestId('action-dialog').waitFor();
  await bureau.getByTestId('act-submit').click();
  await bureau.getByTestId('case-state').filter({ hasText: '已办结' }).waitFor();
  await bureau.locator('#tab-reply').click();
  await bureau.getByTestId('decision-reply').waitFor();
  assert.match(await bureau.getByTestId('decision-reply').innerText(), /予以支持[\s\S]*保障农民工工资支付条例/);
  // a fresh load (no toast) for the screenshots
  await bureau.goto(`/cases/${no}?tab=clocks`);
  await bureau.getByTestId('clock-row').first().waitFor();
  const states = await bureau.getByTestId('clock-row').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-state')));
  assert.ok(states.includes('stopped') && states.some((s) => s !== 'stopped'), `clock states: ${states}`);
  await shot(bureau, 'case-clocks');
  await bureau.locator('#tab-timeline').click();
  await bureau.getByTestId('timeline-item').first().waitFor();
  assert.equal(await bureau.getByTestId('timeline-item').count(), 5);
  await bureau.getByTestId('timeline-desc').click();
  assert.equal(await bureau.getByTestId('timeline-item').first().getAttribute('data-action'), 'approve');
  await bureau.getByTestId('case-clocks-brief').waitFor();
  await bureau.waitForTimeout(400); // the toggle's transition
  await shot(bureau, 'case-detail');
  expectClean(bureau, assert);
  await bureau.context().close();
});

test('a version conflict is told, the case reloaded and the dialog input kept', async () => {
  const no = await register();
  const page = await openCase('dl-xfj.dispatcher', no);
  await page.getByTestId('action-transfer').click();
  const dialog = page.getByTestId('action-dialog');
  await dialog.waitFor();
  await pickUnit(page, 'act-lead-unit', '道里区住房和城乡建设局');
  await dialog.getByTestId('act-comment').locator('textarea').fill('请核实后依法处理');

  // meanwhile someone else changes the case (an upload moves its version on)
  const reg = await ctx.login('dl-xfj.registrar');
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const up = await reg.post(`/api/v1/cases/${no}/attachments?name=${encodeURIComponent('来信原件.pdf')}`, undefined, { raw: pdf });
  assert.equal(up.status, 201, up.text);

  await dialog.getByTestId('act-submit').click();
  await dialog.getByTestId('act-error').waitFor();
  assert.match(await dialog.getByTestId('act-error').innerText(), /他人修改/);
  assert.equal(await dialog.getByTestId('act-comment').locator('textarea').inputValue(), '请核实后依法处理');
  assert.match(await dialog.getByTestId('act-lead-unit').innerText(), /道里区住房和城乡建设局/);
  assert.equal((await reg.getCase(no)).state, 'registered');
  // the page shows the new version: the file is listed
  await page.getByTestId('action-dialog').getByTestId('act-submit').click();
  await page.getByTestId('case-state').filter({ hasText: '已转交办' }).waitFor();
  await page.locator('#tab-attachments').click();
  await page.getByTestId('att-row').filter({ hasText: '来信原件.pdf' }).waitFor();
  expectClean(page, assert);
  await page.context().close();
});

test('attachments: a refused type is told in Chinese, an image uploads and previews', async () => {
  const no = await register();
  const page = await openCase('dl-xfj.registrar', no, 'attachments');
  const input = page.getByTestId('attachments').locator('input[type=file]');
  await input.setInputFiles([{ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('只是文字') }]);
  const err = page.getByTestId('att-error').first();
  await err.waitFor();
  assert.match(await err.innerText(), /note\.txt：只能上传/);
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  await input.setInputFiles([{ name: '欠条.png', mimeType: 'image/png', buffer: png }]);
  await page.getByTestId('att-row').filter({ hasText: '欠条.png' }).waitFor();
  await page.getByTestId('att-preview').first().click();
  await page.locator('.el-image-viewer__wrapper').waitFor();
  assert.match(await page.locator('.el-image-viewer__img').getAttribute('src'), /^blob:/);
  await page.keyboard.press('Escape');
  expectClean(page, assert);
  await page.context().close();
});

test('a pii_reader sees the whole values after giving a reason; others get no button', async () => {
  const no = await register();
  const clerk = await openCase('dl-xfj.dispatcher', no, 'petitioners');
  await clerk.getByTestId('petitioner-row').first().waitFor();
  assert.equal(await clerk.getByTestId('pii-unmask').count(), 0);
  await clerk.context().close();

  const page = await openCase('hrb-xfj.pii_reader', no, 'petitioners');
  // a bare pii_reader finds cases in the list, but neither exports nor saves views (both refused)
  assert.equal(await page.getByTestId('nav-cases').count(), 1);
  await page.getByTestId('nav-cases').click();
  await page.getByTestId('case-table').waitFor();
  assert.equal(await page.getByTestId('export').count(), 0);
  assert.equal(await page.getByTestId('views-menu').count(), 0);
  await page.goBack();
  await page.getByTestId('petitioner-row').first().waitFor();
  await page.getByTestId('pii-unmask').first().click();
  await page.getByTestId('pii-dialog').waitFor();
  await page.getByTestId('pii-reason').fill('核实');
  await page.getByTestId('pii-reason').press('Enter');
  await page.getByTestId('pii-dialog').locator('.el-form-item__error').waitFor();
  await page.getByTestId('pii-reason').fill('电话回访核实诉求');
  await page.getByTestId('pii-submit').click();
  await page.getByTestId('pii-result').waitFor();
  assert.equal((await page.getByTestId('pii-phone').innerText()).trim(), '13904510000');
  expectClean(page, assert);
  await page.context().close();
});
