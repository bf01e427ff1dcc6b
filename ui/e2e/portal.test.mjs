// portal.test.mjs - the petitioner's portal (/portal), no login, at phone width (390×844).
// A citizen writes a petition step by step (the server's refusal shown next to its field),
// gets the case number and query code big, and the material is uploaded afterwards with the
// query code (a file of a type not allowed keeps its Chinese error). The query page shows the
// progress in plain words (no staff names), a wrong code shows the server's message and
// nothing of the case; a case the staff drove to 已办结 shows the reply, is rated once (the
// buttons are gone afterwards, also after a new query), and review is requested through a
// confirmation dialog. No page scrolls sideways at 390 px. Screenshot: portal (the progress
// page of the closed case with the reply and the rating buttons).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startApp, launch, newPage, shot, expectClean, PHONE_VIEWPORT } from './harness.mjs';
import { Ctx, toClosed } from '../../tests/api/helpers.mjs';

let app;
let browser;
let api;
let dir;
const files = {};

/** A small valid PNG (solid red), so the server's content sniffing accepts it. */
function png(w = 16, h = 16) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, Buffer.from([0xcc, 0x22, 0x22]))]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function noSideScroll(page, where) {
  const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(w <= PHONE_VIEWPORT.width, `${where}: the page is ${w}px wide at ${PHONE_VIEWPORT.width}px`);
}

/** Pick a path in an open el-cascader (the portal's category and locality pickers). */
async function pick(page, testid, labels) {
  await page.getByTestId(testid).click();
  for (const l of labels) await page.locator('.el-cascader-node:visible', { hasText: l }).first().click();
  await page.keyboard.press('Escape');
}

before(async () => {
  app = await startApp({ cases: 120 });
  api = new Ctx(null, null, app.server);
  dir = mkdtempSync(path.join(os.tmpdir(), 'xf-portal-'));
  files.png = path.join(dir, '现场照片.png');
  writeFileSync(files.png, png());
  files.html = path.join(dir, '说明.html');
  writeFileSync(files.html, '<html><body>not allowed</body></html>');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await app?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('home: what the portal is for, and the two ways in', async () => {
  const page = await newPage(browser, { viewport: PHONE_VIEWPORT, base: app.base });
  await page.goto('/portal');
  await page.getByTestId('home-submit').waitFor();
  const text = await page.locator('main').innerText();
  for (const s of ['建议意见', '检举控告', '申诉求决', '诉讼、仲裁、行政复议', '不公开', '30 日内']) assert.ok(text.includes(s), `home mentions ${s}`);
  await noSideScroll(page, '/portal');
  await page.getByTestId('home-query').click();
  await page.waitForURL('**/portal/query');
  await page.getByTestId('query-no').waitFor();
  expectClean(page, assert);
  await page.context().close();
});

test('submit a petition step by step; number and code big; material uploaded afterwards; query it', async () => {
  const page = await newPage(browser, { viewport: PHONE_VIEWPORT, base: app.base });
  await page.goto('/portal/submit');
  await page.getByTestId('submit-kind-claim').waitFor();

  // (1) nothing chosen: the checks say what is missing, in Chinese
  await page.getByTestId('submit-next').click();
  await page.getByText('请选择反映类别').waitFor();
  await page.getByTestId('submit-kind-claim').click();
  await pick(page, 'submit-category', ['城乡建设', '城市管理']);
  await pick(page, 'submit-locality', ['黑龙江省', '哈尔滨市', '道里区']);
  await noSideScroll(page, 'submit step 1');
  await page.getByTestId('submit-next').click();

  // (2) the matter; Enter in the title goes on (textareas keep their Enter)
  await page.getByTestId('submit-title').fill('经纬街烧烤摊占道经营油烟噪声扰民');
  await page.getByTestId('submit-content').fill('经纬街夜间烧烤摊占道经营，油烟和噪声严重影响居民休息，多次向社区反映未果。');
  await page.getByTestId('submit-request').fill('请依法治理占道经营');
  await page.getByTestId('submit-title').press('Enter');

  // (3) who writes: an ID number with a wrong check digit is the server's to refuse
  await page.getByTestId('submit-name').fill('陈丽');
  await page.getByTestId('submit-phone').fill('13845100000');
  await page.getByTestId('submit-id-number').fill('230102198503150018');
  await page.getByTestId('submit-phone').press('Enter');

  // (4) material stays in the browser until the case exists
  await page.locator('[data-testid=files-pick] input[type=file]').setInputFiles([files.png, files.html]);
  await page.getByTestId('file-row').nth(1).waitFor();
  await page.getByTestId('submit-next').click();

  // (5) confirm: the promise must be ticked, then the server refuses the ID number next to its field
  await page.getByTestId('submit-confirm').waitFor();
  await page.getByTestId('submit-send').click();
  await page.getByText('请阅读并勾选承诺').waitFor();
  await page.getByTestId('submit-agree').click();
  await page.getByTestId('submit-send').click();
  await page.getByTestId('submit-error').waitFor();
  const idItem = page.locator('.el-form-item', { has: page.getByTestId('submit-id-number') });
  assert.match(await idItem.locator('.el-form-item__error').innerText(), /身份证号码.*不正确/);
  assert.ok(await page.getByTestId('submit-id-number').isVisible(), 'the form went back to the step of the refused field');
  await page.getByTestId('submit-id-number').fill('230102198503150017');
  for (let i = 0; i < 3 && !(await page.getByTestId('submit-send').isVisible()); i++) await page.getByTestId('submit-next').click();
  await page.getByTestId('submit-send').click();

  // 201: the number and the query code, big, with the warning to keep them
  await page.getByTestId('submit-done').waitFor();
  const no = (await page.getByTestId('submit-no').innerText()).trim();
  const code = (await page.getByTestId('submit-code').innerText()).trim();
  assert.match(no, /^XF\d{13}$/);
  assert.match(code, /^[A-Z0-9]{8}$/);
  assert.match(await page.getByTestId('submit-remember').innerText(), /请牢记或截图保存，查询进度需要编号和查询码/);
  // uploads one by one with X-Query-Code: the PNG is taken, the HTML refused in Chinese
  await page.getByTestId('file-done').waitFor();
  await page.getByTestId('file-error').waitFor();
  assert.match(await page.getByTestId('file-error').innerText(), /只能上传/);
  await noSideScroll(page, 'submit done');
  const fontSize = await page.getByTestId('submit-code').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(fontSize >= 22, `the query code is shown big (${fontSize}px)`);

  // the query page takes over the number and code (never through the URL)
  await page.getByTestId('submit-go-query').click();
  await page.waitForURL((u) => u.pathname === '/portal/query' && !u.search.includes(code));
  await page.getByTestId('query-result').waitFor();
  assert.equal((await page.getByTestId('query-state').innerText()).trim(), '已登记');
  const timeline = await page.getByTestId('query-timeline').innerText();
  assert.ok(timeline.includes(`您的信访事项已登记，编号${no}`), timeline);
  await page.getByTestId('query-attachment').first().waitFor();
  assert.deepEqual(await page.getByTestId('query-attachment').allInnerTexts().then((t) => t.map((x) => x.split('\n')[0].trim())), ['现场照片.png']);
  // downloaded with the query code in the X-Query-Code header
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('query-attachment-download').click()]);
  assert.equal(dl.suggestedFilename(), '现场照片.png');
  await noSideScroll(page, 'query (registered)');
  expectClean(page, assert);
  await page.context().close();
});

test('a wrong query code shows the server message and nothing of the case', async () => {
  const r = await api.publicSubmit({
    kind: 'proposal', purpose: 'suggest', category: '0102', locality: '230102',
    title: '建议在经纬街增设夜市疏导点', content: '建议在经纬街附近设置夜市疏导点，集中管理流动摊贩。', request: '增设夜市疏导点',
    petitioners: [{ name: '李明', phone: '13945100001' }],
  });
  assert.equal(r.status, 201, r.text);
  const page = await newPage(browser, { viewport: PHONE_VIEWPORT, base: app.base });
  await page.goto('/portal/query');
  await page.getByTestId('query-no').fill(r.body.case.no);
  await page.getByTestId('query-code').fill(r.body.query_code === 'ABCDEFGH' ? 'ABCDEFGJ' : 'ABCDEFGH');
  await page.getByTestId('query-code').press('Enter');
  await page.getByTestId('query-error').waitFor();
  assert.match(await page.getByTestId('query-error').innerText(), /信访事项编号或查询码不正确/);
  assert.equal(await page.getByTestId('query-result').count(), 0);
  assert.ok(!(await page.locator('main').innerText()).includes('经纬街增设夜市'), 'no data of the case');
  await noSideScroll(page, 'query (wrong code)');
  expectClean(page, assert);
  await page.context().close();
});

test('a closed case: the reply in plain words, rated once, review requested', async () => {
  const r = await api.publicSubmit({
    kind: 'claim', purpose: 'demand', category: '0102', locality: '230102',
    title: '经纬街烧烤摊夜间油烟噪声扰民', content: '经纬街烧烤摊每晚经营到凌晨两点，油烟和噪声严重影响附近居民休息。',
    request: '请依法治理占道经营', petitioners: [{ name: '陈丽', phone: '13845100000' }],
  });
  assert.equal(r.status, 201, r.text);
  const { no } = r.body.case;
  const code = r.body.query_code;
  await toClosed(api, no); // dl-xfj.dispatcher transfers to dl-cgj, dl-cgj.handler accepts and replies, approved
  const staffNames = [];
  for (const u of ['dl-xfj.dispatcher', 'dl-cgj.handler', 'dl-xfj.registrar']) staffNames.push((await api.login(u)).user.name);

  const page = await newPage(browser, { viewport: PHONE_VIEWPORT, base: app.base });
  await page.goto('/portal/query');
  await page.getByTestId('query-no').fill(no);
  await page.getByTestId('query-code').fill(code.toLowerCase()); // typed in lower case: still found
  await page.getByTestId('query-remember').click();
  await page.getByTestId('query-submit').click();
  await page.getByTestId('query-result').waitFor();
  assert.equal((await page.getByTestId('query-state').innerText()).trim(), '已办结');
  const timeline = await page.getByTestId('query-timeline').innerText();
  for (const s of ['已登记', '已转送道里区城市管理局办理', '已受理', '已出具处理意见']) assert.ok(timeline.includes(s), `timeline: ${s}\n${timeline}`);
  for (const n of staffNames) assert.ok(!timeline.includes(n), `a staff name (${n}) in the timeline`);
  const reply = await page.getByTestId('query-reply').innerText();
  assert.ok(reply.includes('予以支持') && reply.includes('《保障农民工工资支付条例》第十五条'), reply);
  await page.getByTestId('query-rate-satisfied').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('xf.portal.caseNo')), no, 'the number is remembered');
  assert.ok(!(await page.evaluate(() => JSON.stringify(localStorage))).includes(code), 'the code is never stored');
  await noSideScroll(page, 'query (closed)');
  await shot(page, 'portal-closed', { fullPage: true });

  // rate once: confirm, then the buttons are gone (also after a new query)
  await page.getByTestId('query-rate-fair').click();
  await page.locator('.el-message-box__btns .el-button--primary').click();
  await page.getByTestId('query-rated').waitFor();
  assert.match(await page.getByTestId('query-rated').innerText(), /基本满意/);
  assert.equal(await page.getByTestId('query-rate-fair').count(), 0);
  assert.ok((await page.getByTestId('query-timeline').innerText()).includes('您已评价：基本满意'));
  await page.reload();
  assert.equal(await page.getByTestId('query-no').inputValue(), no, 'the remembered number is filled in');
  await page.getByTestId('query-code').fill(code);
  await page.getByTestId('query-code').press('Enter');
  await page.getByTestId('query-result').waitFor();
  await page.getByTestId('query-rated').waitFor();
  assert.equal(await page.getByTestId('query-rate-satisfied').count(), 0, 'rated already: no rating buttons');

  // review: the deadline (R22 art. 35), a confirmation dialog with an optional reason
  const appeal = await page.getByTestId('query-appeal').innerText();
  assert.match(appeal, /30 日内/);
  assert.match(appeal, /请在 \d{4}年\d{1,2}月\d{1,2}日 前提出/);
  await page.getByTestId('query-request-review').click();
  await page.getByTestId('query-appeal-dialog').waitFor();
  await page.getByTestId('query-appeal-reason').fill('烧烤摊仍在夜间经营');
  await page.getByTestId('query-appeal-confirm').click();
  await page.getByText('已提交复查申请').waitFor();
  assert.equal((await page.getByTestId('query-state').innerText()).trim(), '复查中');
  assert.ok((await page.getByTestId('query-timeline').innerText()).includes('已申请复查'));
  assert.equal(await page.getByTestId('query-request-review').count(), 0);
  await noSideScroll(page, 'query (review)');
  expectClean(page, assert);
  await page.context().close();
});

test('an online accusation names the accused unit from the tree and is received above it (R22 art. 30)', async () => {
  const page = await newPage(browser, { viewport: PHONE_VIEWPORT, base: app.base });
  await page.goto('/portal/submit');
  await page.getByTestId('submit-kind-accusation').click();
  await page.getByTestId('submit-accused-unit').click();
  await page.getByTestId('submit-accused-unit').locator('input').first().fill('道里区城市'); // the tree filters as one types
  await page.locator('.el-tree-node__content:visible', { hasText: '道里区城市管理局' }).last().click();
  await pick(page, 'submit-category', ['城乡建设', '城市管理']);
  await pick(page, 'submit-locality', ['黑龙江省', '哈尔滨市', '道里区']);
  await page.getByTestId('submit-next').click();
  await page.getByTestId('submit-title').fill('举报城管执法队员收受摊贩好处费');
  await page.getByTestId('submit-content').fill('经纬街城管执法队员每月向摊贩收取好处费，不交的就被没收三轮车。');
  await page.getByTestId('submit-request').fill('请纪检部门调查处理');
  await page.getByTestId('submit-title').press('Enter');
  await page.getByTestId('submit-name').fill('知情人');
  await page.getByTestId('submit-phone').fill('13845109999');
  await page.getByTestId('submit-phone').press('Enter');
  for (let i = 0; i < 3 && !(await page.getByTestId('submit-send').isVisible()); i++) await page.getByTestId('submit-next').click();
  assert.match(await page.getByTestId('submit-confirm').innerText(), /被检举控告单位\s*道里区城市管理局/);
  await page.getByTestId('submit-agree').click();
  await page.getByTestId('submit-send').click();
  await page.getByTestId('submit-done').waitFor();
  const no = (await page.getByTestId('submit-no').innerText()).trim();
  // received by the bureau above the accused unit; the accused unit cannot find it
  const c = await (await api.login('dl-xfj.dispatcher')).getCase(no);
  assert.equal(c.accused_unit.name, '道里区城市管理局');
  assert.equal(c.holder_unit.name, '道里区信访局');
  const accused = await api.login('dl-cgj.handler');
  assert.equal((await accused.get(`/api/v1/cases/${no}`)).status, 404);
  await noSideScroll(page, 'accusation submitted');
  expectClean(page, assert);
  await page.context().close();
});
