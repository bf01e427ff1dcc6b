// attachments.test.mjs - files on a case (issue 4 "Security and
// confidentiality", Attachments): "stored under a random id outside any
// served folder; type detected from content against an allow-list (pdf, jpg,
// png, doc/docx, xls/xlsx, mp3/amr); served with Content-Disposition:
// attachment; size limit". Reading a file goes through the case's own scope
// (DESIGN.md section 7: out of scope is 404, never 403), so whistleblower
// secrecy (R22 art. 30, 46(5); seed 004 art. 7) and 三员分立 hold for files
// as they do for the case. Files are personal data (ID-card photos): sealed
// at rest with SM4 (GB/T 39786-2021). Uploads and downloads are audited
// (等保 2.0 安全审计). Events are the truth (DESIGN.md section 6): an upload is
// an `attach` event and `xinfang rebuild` regenerates the list.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import {
  setup, http, expectError, expectStatus, runCli, newCase, transfer,
} from './helpers.mjs';

const MiB = 1024 * 1024;
const LIMIT = 20 * MiB; // ATTACH_MAX_BYTES
const NS = 0xFFFFFFFF;
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

// ---- samples with their real magic numbers (see tests/unit/test_sniff.c) ----

/** A version-3 OLE2 compound file (MS-CFB) whose root holds one stream. */
function cfb(stream) {
  const b = Buffer.alloc(512 * 3);
  Buffer.from([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).copy(b, 0);
  b.writeUInt16LE(0x3E, 0x18); b.writeUInt16LE(3, 0x1A); b.writeUInt16LE(0xFFFE, 0x1C);
  b.writeUInt16LE(9, 0x1E); b.writeUInt16LE(6, 0x20);
  b.writeUInt32LE(1, 0x2C); b.writeUInt32LE(1, 0x30); b.writeUInt32LE(4096, 0x38);
  b.writeUInt32LE(0xFFFFFFFE, 0x3C); b.writeUInt32LE(0xFFFFFFFE, 0x44);
  for (let i = 0; i < 109; i++) b.writeUInt32LE(i === 0 ? 0 : NS, 0x4C + 4 * i);
  for (let i = 0; i < 128; i++) b.writeUInt32LE(NS, 512 + 4 * i);
  b.writeUInt32LE(0xFFFFFFFD, 512); // sector 0: the FAT
  b.writeUInt32LE(0xFFFFFFFE, 516); // sector 1: the directory, one sector
  const entry = (off, name, type, child) => {
    for (let i = 0; i < name.length; i++) b.writeUInt16LE(name.charCodeAt(i), off + 2 * i);
    b.writeUInt16LE(2 * (name.length + 1), off + 0x40);
    b[off + 0x42] = type; b[off + 0x43] = 1;
    b.writeUInt32LE(NS, off + 0x44); b.writeUInt32LE(NS, off + 0x48); b.writeUInt32LE(child, off + 0x4C);
  };
  entry(1024, 'Root Entry', 5, 1);
  entry(1152, stream, 2, NS);
  return b;
}

/** A ZIP of stored entries (PKWARE APPNOTE): local headers, central directory, end record. */
function zip(entries) {
  const parts = []; const central = []; let off = 0;
  for (const [name, data = ''] of entries) {
    const n = Buffer.from(name); const d = Buffer.from(data);
    const local = Buffer.alloc(30); local.write('PK\x03\x04', 0, 'latin1');
    local.writeUInt16LE(20, 4); local.writeUInt32LE(d.length, 18); local.writeUInt32LE(d.length, 22);
    local.writeUInt16LE(n.length, 26);
    const c = Buffer.alloc(46); c.write('PK\x01\x02', 0, 'latin1');
    c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt32LE(d.length, 20); c.writeUInt32LE(d.length, 24);
    c.writeUInt16LE(n.length, 28); c.writeUInt32LE(off, 42);
    parts.push(local, n, d); central.push(c, n);
    off += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22); end.write('PK\x05\x06', 0, 'latin1');
  end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
  return Buffer.concat([...parts, cd, end]);
}

/** Two MPEG-1 layer III frames (128 kbit/s, 44.1 kHz: 417 bytes each). */
function mp3() {
  const b = Buffer.alloc(834);
  for (const o of [0, 417]) Buffer.from([0xFF, 0xFB, 0x90, 0x64]).copy(b, o);
  return b;
}

const MARKER = '身份证号码230102198503150017-PLAINTEXT-MARKER';
const SAMPLES = {
  pdf: Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.from(`1 0 obj (${MARKER}) endobj\n%%EOF\n`)]),
  jpg: Buffer.from([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9]),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]), Buffer.from('IHDR'),
    Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE])]),
  doc: cfb('WordDocument'),
  xls: cfb('Workbook'),
  docx: zip([['[Content_Types].xml', '<Types/>'], ['_rels/.rels'], ['word/document.xml', `<w:t>${MARKER}</w:t>`]]),
  xlsx: zip([['[Content_Types].xml', '<Types/>'], ['_rels/.rels'], ['xl/workbook.xml']]),
  mp3: mp3(),
  amr: Buffer.from('#!AMR\n\x3c\x48\xf5\x1f\x00\x00', 'latin1'),
};
const MIME = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  png: 'image/png',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  mp3: 'audio/mpeg',
  amr: 'audio/amr',
};

// ---- requests ----

/** POST the raw file as a staff member; `query` given verbatim when a string. */
function upload(client, no, name, bytes, { headers = {}, query } = {}) {
  const q = query !== undefined ? query : name === undefined ? '' : `?name=${encodeURIComponent(name)}`;
  return client.post(`/api/v1/cases/${no}/attachments${q}`, undefined,
    { raw: bytes, headers: { 'Content-Type': 'application/octet-stream', ...headers } });
}

async function uploaded(client, no, name, bytes, opts) {
  const r = await upload(client, no, name, bytes, opts);
  assert.equal(r.status, 201, `upload ${name} as ${client.username}: ${r.status} ${r.text}`);
  return r.body.attachment;
}

/** POST as the petitioner, with the query code in X-Query-Code. */
function publicUpload(ctx, no, code, name, bytes, headers = {}) {
  const h = { 'Content-Type': 'application/octet-stream', ...headers };
  if (code !== undefined) h['X-Query-Code'] = code;
  return http(ctx.base, 'POST', `/api/public/v1/cases/${no}/attachments?name=${encodeURIComponent(name)}`, { raw: bytes, headers: h });
}

/** GET with the bytes kept as bytes. */
async function fetchBytes(base, urlPath, headers = {}) {
  const res = await fetch(base + urlPath, { headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  let body = null;
  try { body = JSON.parse(bytes.toString('utf8')); } catch { /* a file */ }
  return { status: res.status, headers: res.headers, bytes, body, text: bytes.toString('utf8') };
}

const download = (client, no, id) => fetchBytes(client.base, `/api/v1/cases/${no}/attachments/${id}`, { Cookie: client.cookie });
const publicDownload = (ctx, no, code, id) => fetchBytes(ctx.base, `/api/public/v1/cases/${no}/attachments/${id}`, { 'X-Query-Code': code });
const publicList = (ctx, no, code) => http(ctx.base, 'GET', `/api/public/v1/cases/${no}/attachments`, { headers: { 'X-Query-Code': code } });

let ctx;
let U;
const filesDir = () => `${ctx.db}.files`;
const filesOnDisk = () => (existsSync(filesDir()) ? readdirSync(filesDir()).sort() : []);

before(async () => {
  ctx = await setup();
  U = {};
  for (const c of ['dl-cgj', 'dl-zjj']) U[c] = await ctx.unitId(c);
});
after(async () => { await ctx?.close(); });

describe('the allow-list, by content (issue 4: pdf, jpg, png, doc/docx, xls/xlsx, mp3/amr)', () => {
  let no;
  before(async () => { ({ no } = await newCase(ctx)); });

  for (const [type, bytes] of Object.entries(SAMPLES)) {
    it(`${type}: stored with the detected type and read back byte for byte`, async () => {
      const reg = await ctx.login('dl-xfj.registrar');
      const a = await uploaded(reg, no, `材料-${type}.${type}`, bytes);
      assert.equal(a.type, type);
      assert.equal(a.content_type, MIME[type]);
      assert.equal(a.size, bytes.length);
      assert.equal(a.sha256, sha256(bytes));
      assert.equal(a.name, `材料-${type}.${type}`);
      assert.match(a.id, /^[0-9a-f]{32}$/);
      assert.equal(a.url, `/api/v1/cases/${no}/attachments/${a.id}`);
      assert.equal(a.uploaded_by.kind, 'staff');
      assert.equal(a.uploaded_by.unit.name, '道里区信访局');
      const d = await download(reg, no, a.id);
      assert.equal(d.status, 200, d.text);
      assert.deepEqual(d.bytes, bytes);
      assert.equal(d.headers.get('content-type'), MIME[type]);
    });
  }

  it('the declared Content-Type and extension decide nothing: a PDF called .png and sent as image/png is a PDF', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const a = await uploaded(reg, no, '照片.png', SAMPLES.pdf, { headers: { 'Content-Type': 'image/png' } });
    assert.equal(a.type, 'pdf');
    assert.equal(a.name, '照片.pdf', 'the extension follows the content');
    const b = await uploaded(reg, no, '扫描件', SAMPLES.jpg);
    assert.equal(b.name, '扫描件.jpg', 'an extension is added when there is none');
    const c = await uploaded(reg, no, 'scan.EXE', SAMPLES.docx);
    assert.equal(c.name, 'scan.docx');
    const d = await uploaded(reg, no, 'Photo.JPEG', SAMPLES.jpg);
    assert.equal(d.name, 'Photo.JPEG', "the type's own extensions are kept as written");
  });

  const refused = {
    'HTML': Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>'),
    'HTML called .pdf': Buffer.from('<html><body onload="alert(1)">'),
    'SVG': Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    'a Windows executable': Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(64)]),
    'an ELF executable': Buffer.concat([Buffer.from([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)]),
    'a plain ZIP': zip([['readme.txt', 'hello'], ['setup.exe', 'MZ']]),
    'a macro-enabled Word file (docm)': zip([['[Content_Types].xml'], ['word/document.xml'], ['word/vbaProject.bin']]),
    'a PowerPoint 97 file': cfb('PowerPoint Document'),
    'GIF': Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
    'plain text': Buffer.from('这是一段文字，不是允许的文件类型。'),
  };
  for (const [what, bytes] of Object.entries(refused)) {
    it(`${what}: 415 attachment.type_not_allowed naming the allowed types; nothing stored`, async () => {
      const reg = await ctx.login('dl-xfj.registrar');
      const before = await reg.getCase(no);
      const files = filesOnDisk();
      const e = expectError(await upload(reg, no, what === 'HTML called .pdf' ? 'x.pdf' : 'x.bin', bytes), 415,
        'attachment.type_not_allowed');
      for (const t of ['PDF', 'JPG', 'PNG', 'DOC', 'DOCX', 'XLS', 'XLSX', 'MP3', 'AMR']) assert.ok(e.message.includes(t), e.message);
      const now = await reg.getCase(no);
      assert.equal(now.version, before.version);
      assert.deepEqual(now.attachments, before.attachments);
      assert.deepEqual(filesOnDisk(), files);
    });
  }

  it('an empty body: 400 attachment.empty; nothing stored', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const before = await reg.getCase(no);
    expectError(await upload(reg, no, 'empty.pdf', Buffer.alloc(0)), 400, 'attachment.empty');
    assert.equal((await reg.getCase(no)).version, before.version);
  });
});

describe('the size limit (issue 4): 20 MiB', () => {
  it('20 MiB + 1 byte: 413 attachment.too_large, nothing stored; exactly 20 MiB is kept and read back whole', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await newCase(ctx);
    const big = Buffer.alloc(LIMIT + 1);
    SAMPLES.pdf.copy(big);
    const files = filesOnDisk();
    expectError(await upload(reg, no, 'big.pdf', big), 413, 'attachment.too_large');
    const c = await reg.getCase(no);
    assert.equal(c.version, 1, 'no event');
    assert.deepEqual(c.attachments, []);
    assert.deepEqual(filesOnDisk(), files, 'no file');
    const max = big.subarray(0, LIMIT);
    const a = await uploaded(reg, no, 'max.pdf', max);
    assert.equal(a.size, LIMIT);
    const d = await download(reg, no, a.id);
    assert.equal(d.status, 200);
    assert.equal(d.bytes.length, LIMIT);
    assert.equal(sha256(d.bytes), sha256(max));
    // the JSON endpoints keep their 1 MiB cap
    expectError(await reg.post('/api/v1/cases', undefined, { raw: 'x'.repeat(MiB + 1), headers: { 'Content-Type': 'application/json' } }),
      413, 'request.too_large');
  });
});

describe('file names (?name=, UTF-8, percent-encoded)', () => {
  let no;
  before(async () => { ({ no } = await newCase(ctx)); });

  const bad = [
    ['missing', '', 'validation.required'],
    ['empty', '?name=', 'validation.required'],
    ['a path', `?name=${encodeURIComponent('../../etc/passwd')}`, 'validation.invalid'],
    ['a Windows path', `?name=${encodeURIComponent('C:\\Users\\x.pdf')}`, 'validation.invalid'],
    ['a NUL byte', '?name=a%00b.pdf', 'validation.invalid'],
    ['a control character', '?name=a%01b.pdf', 'validation.invalid'],
    ['a newline (header injection)', '?name=a.pdf%0D%0AX-Evil:%201', 'validation.invalid'],
    ['a quote', `?name=${encodeURIComponent('a"b.pdf')}`, 'validation.invalid'],
    ['a right-to-left override (U+202E)', `?name=${encodeURIComponent('invoice\u202Efdp.exe')}`, 'validation.invalid'],
    ['bytes that are not UTF-8', '?name=%FF%FE.pdf', 'validation.invalid'],
    ['only dots', '?name=..', 'validation.invalid'],
    ['101 characters', `?name=${encodeURIComponent('档'.repeat(101))}`, 'validation.too_long'],
  ];
  for (const [what, query, code] of bad) {
    it(`${what}: 400 ${code} (field name); nothing stored`, async () => {
      const reg = await ctx.login('dl-xfj.registrar');
      const files = filesOnDisk();
      expectError(await upload(reg, no, undefined, SAMPLES.pdf, { query }), 400, code, 'name');
      assert.equal((await reg.getCase(no)).version, 1);
      assert.deepEqual(filesOnDisk(), files);
    });
  }

  it('100 Chinese characters are fine', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const a = await uploaded(reg, no, `${'档'.repeat(96)}.pdf`, SAMPLES.pdf);
    assert.equal(a.name, `${'档'.repeat(96)}.pdf`);
  });
});

describe('downloads: headers (issue 4: "served with Content-Disposition: attachment")', () => {
  it('Content-Type from the content, attachment with an ASCII fallback and the UTF-8 name, nosniff, no-store, a sandbox CSP', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await newCase(ctx);
    const a = await uploaded(reg, no, '身份证 正面.jpg', SAMPLES.jpg);
    const d = await download(reg, no, a.id);
    assert.equal(d.status, 200);
    assert.equal(d.headers.get('content-type'), 'image/jpeg');
    assert.equal(d.headers.get('content-disposition'),
      "attachment; filename=\"attachment.jpg\"; filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81%20%E6%AD%A3%E9%9D%A2.jpg");
    assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(d.headers.get('cache-control'), 'no-store');
    assert.equal(d.headers.get('content-length'), String(SAMPLES.jpg.length));
    assert.match(d.headers.get('content-security-policy'), /default-src 'none'; sandbox/);
    assert.equal(d.headers.get('x-frame-options'), 'DENY');
    const b = await uploaded(reg, no, 'Report 2026 (final).pdf', SAMPLES.pdf);
    assert.equal((await download(reg, no, b.id)).headers.get('content-disposition'),
      "attachment; filename=\"Report_2026_(final).pdf\"; filename*=UTF-8''Report%202026%20%28final%29.pdf");
  });

  it('an unknown or malformed id on a visible case: 404 attachment.not_found', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await newCase(ctx);
    expectError(await download(reg, no, '0'.repeat(32)), 404, 'attachment.not_found');
    const t = await download(reg, no, '..%2F..%2Fx.db');
    assert.equal(t.status, 404, 'no path ever reaches the disk');
    assert.ok(t.body?.error, t.text);
    expectError(await download(reg, no, 'ABCDEF'), 404, 'attachment.not_found');
  });
});

describe('scope: a file is read as its case is (DESIGN.md section 7: out of scope is 404)', () => {
  let no; let id;
  before(async () => {
    ({ no } = await newCase(ctx));
    await transfer(ctx, no, 'dl-cgj');
    id = (await uploaded(await ctx.login('dl-xfj.registrar'), no, '证据.pdf', SAMPLES.pdf)).id;
  });

  for (const user of ['qqhr-xfj.dispatcher', 'bx-xfj.dispatcher', 'dl-zjj.handler', 'dl-zjj.unit_head', 'hrb-cgj.handler', 'bx-rsj.handler']) {
    it(`${user} (not a unit the case has been with): list, download and upload all 404 case.not_found`, async () => {
      const other = await ctx.login(user);
      const e1 = expectError(await other.get(`/api/v1/cases/${no}/attachments`), 404, 'case.not_found');
      const e2 = expectError(await download(other, no, id), 404, 'case.not_found');
      // the same answer as for a case that does not exist
      const missing = 'XF2020010199999';
      const m = expectError(await download(other, missing, id), 404, 'case.not_found');
      assert.equal(e2.message.replace(no, missing), m.message);
      assert.equal(e1.message, e2.message);
      const files = filesOnDisk();
      expectError(await upload(other, no, 'x.pdf', SAMPLES.pdf), 404, 'case.not_found');
      assert.deepEqual(filesOnDisk(), files);
    });
  }

  for (const user of ['hlj-xfj.sysadmin', 'hlj-xfj.secadmin', 'hlj-xfj.auditor']) {
    it(`${user}: 三员分立, no case content: list, download and upload 404 case.not_found`, async () => {
      const admin = await ctx.login(user);
      expectError(await admin.get(`/api/v1/cases/${no}/attachments`), 404, 'case.not_found');
      expectError(await download(admin, no, id), 404, 'case.not_found');
      expectError(await upload(admin, no, 'x.pdf', SAMPLES.pdf), 404, 'case.not_found');
    });
  }

  for (const user of ['dl-xfj.dispatcher', 'hrb-xfj.dispatcher', 'hlj-xfj.leader', 'dl-cgj.handler', 'hrb-xfj.analyst']) {
    it(`${user} reads the case, so reads its files`, async () => {
      const c = await ctx.login(user);
      const l = expectStatus(await c.get(`/api/v1/cases/${no}/attachments`));
      assert.ok(l.items.some((x) => x.id === id));
      const d = await download(c, no, id);
      assert.equal(d.status, 200);
      assert.deepEqual(d.bytes, SAMPLES.pdf);
    });
  }

  it('the lead unit adds its own material; an analyst (reads statistics) may not: 403 auth.role_denied', async () => {
    const h = await ctx.login('dl-cgj.handler');
    const a = await uploaded(h, no, '调查笔录.docx', SAMPLES.docx);
    assert.equal(a.uploaded_by.unit.name, '道里区城市管理局');
    const files = filesOnDisk();
    expectError(await upload(await ctx.login('hrb-xfj.analyst'), no, 'x.pdf', SAMPLES.pdf), 403, 'auth.role_denied');
    expectError(await upload(await ctx.login('hrb-xfj.pii_reader'), no, 'x.pdf', SAMPLES.pdf), 403, 'auth.role_denied');
    assert.deepEqual(filesOnDisk(), files);
  });

  it('an accusation\'s files never reach the accused unit (R22 art. 30; seed 004 art. 7)', async () => {
    const acc = await newCase(ctx, { kind: 'accusation', purpose: 'accuse', category: '1101', accused_unit: U['dl-cgj'], accused_name: '张某' });
    await transfer(ctx, acc.no, 'dl-zjj');
    const reg = await ctx.login('dl-xfj.registrar');
    const a = await uploaded(reg, acc.no, '举报材料.pdf', SAMPLES.pdf);
    for (const user of ['dl-cgj.handler', 'dl-cgj.unit_head']) {
      const accused = await ctx.login(user);
      expectError(await accused.get(`/api/v1/cases/${acc.no}/attachments`), 404, 'case.not_found');
      expectError(await download(accused, acc.no, a.id), 404, 'case.not_found');
      expectError(await upload(accused, acc.no, 'x.pdf', SAMPLES.pdf), 404, 'case.not_found');
    }
    const handling = await ctx.login('dl-zjj.handler');
    assert.equal((await download(handling, acc.no, a.id)).status, 200);
  });
});

describe('staff uploads are state changes: login, CSRF token and Origin', () => {
  it('no session 401, no CSRF token 403 auth.csrf, a foreign Origin 403 auth.origin; nothing stored', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await newCase(ctx);
    const files = filesOnDisk();
    expectError(await http(ctx.base, 'POST', `/api/v1/cases/${no}/attachments?name=a.pdf`, { raw: SAMPLES.pdf }), 401, 'auth.required');
    expectError(await reg.post(`/api/v1/cases/${no}/attachments?name=a.pdf`, undefined, { raw: SAMPLES.pdf, csrf: false }), 403, 'auth.csrf');
    expectError(await reg.post(`/api/v1/cases/${no}/attachments?name=a.pdf`, undefined, { raw: SAMPLES.pdf, csrf: 'f'.repeat(64) }), 403, 'auth.csrf');
    expectError(await upload(reg, no, 'a.pdf', SAMPLES.pdf, { headers: { Origin: 'https://evil.example' } }), 403, 'auth.origin');
    assert.equal((await reg.getCase(no)).version, 1);
    assert.deepEqual(filesOnDisk(), files);
  });

  it('GET on the upload path lists; PUT is 405 with Allow', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await newCase(ctx);
    assert.deepEqual(expectStatus(await reg.get(`/api/v1/cases/${no}/attachments`)), { no, items: [] });
    const r = await http(ctx.base, 'PUT', `/api/v1/cases/${no}/attachments`, { headers: { Cookie: reg.cookie } });
    expectError(r, 405, 'route.method_not_allowed');
    assert.equal(r.headers.get('allow'), 'GET, POST');
  });
});

describe('events are the truth: an upload is an `attach` event (DESIGN.md section 6)', () => {
  it('the case lists its files, the history shows who added which, the version moves on', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await newCase(ctx);
    const r = await upload(reg, no, '身份证.jpg', SAMPLES.jpg);
    expectStatus(r, 201);
    assert.equal(r.body.version, 2);
    assert.equal(r.headers.get('etag'), '"2"');
    const c = await reg.getCase(no);
    assert.equal(c.version, 2);
    assert.equal(c.state, 'registered', 'a side record: the state stays');
    assert.deepEqual(c.attachments, [r.body.attachment]);
    const ev = (await reg.events(no)).at(-1);
    assert.equal(ev.action, 'attach');
    assert.equal(ev.from_state, 'registered');
    assert.equal(ev.to_state, 'registered');
    assert.equal(ev.actor_unit_name, '道里区信访局');
    assert.deepEqual(Object.keys(ev.payload).sort(), ['content_type', 'id', 'name', 'sha256', 'size', 'type', 'uploaded_by']);
    assert.equal(ev.payload.id, r.body.attachment.id);
    assert.equal(ev.payload.sha256, sha256(SAMPLES.jpg));
    // a stale If-Match after someone added a file: the usual 409
    expectError(await (await ctx.login('dl-xfj.dispatcher')).act(no, 'self_handle', {}, { ifMatch: 1 }), 409, 'case.version_conflict');
  });

  it('Idempotency-Key: a retried upload returns the first answer and stores nothing twice', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await newCase(ctx);
    const files = filesOnDisk();
    const first = await upload(reg, no, 'a.pdf', SAMPLES.pdf, { headers: { 'Idempotency-Key': 'att-retry-1' } });
    expectStatus(first, 201);
    const again = await upload(reg, no, 'a.pdf', SAMPLES.pdf, { headers: { 'Idempotency-Key': 'att-retry-1' } });
    expectStatus(again, 201);
    assert.deepEqual(again.body, first.body);
    assert.equal((await reg.getCase(no)).attachments.length, 1);
    assert.equal(filesOnDisk().length, files.length + 1);
    expectError(await upload(reg, no, 'a.pdf', SAMPLES.png, { headers: { 'Idempotency-Key': 'att-retry-1' } }), 422, 'idempotency.key_reused');
    assert.equal(filesOnDisk().length, files.length + 1);
  });
});

describe('the petitioner uploads with the query code (X-Query-Code)', () => {
  let no; let code;
  before(async () => { ({ no, code } = await newCase(ctx)); });

  it('uploads, lists and reads back their own files; staff see them as the petitioner\'s', async () => {
    const r = await publicUpload(ctx, no, code, '欠条照片.jpg', SAMPLES.jpg);
    expectStatus(r, 201);
    const a = r.body.attachment;
    assert.equal(a.type, 'jpg');
    assert.equal(a.uploaded_by, undefined, 'no staff details on the portal');
    assert.equal(a.url, `/api/public/v1/cases/${no}/attachments/${a.id}`);
    const staff = await uploaded(await ctx.login('dl-xfj.registrar'), no, '受理告知书.pdf', SAMPLES.pdf);
    const l = expectStatus(await publicList(ctx, no, code));
    assert.deepEqual(l.items.map((x) => x.id), [a.id], 'only their own uploads');
    const d = await publicDownload(ctx, no, code, a.id);
    assert.equal(d.status, 200);
    assert.deepEqual(d.bytes, SAMPLES.jpg);
    assert.equal(d.headers.get('content-disposition'),
      "attachment; filename=\"attachment.jpg\"; filename*=UTF-8''%E6%AC%A0%E6%9D%A1%E7%85%A7%E7%89%87.jpg");
    expectError(await publicDownload(ctx, no, code, staff.id), 404, 'attachment.not_found');
    const c = await (await ctx.login('dl-xfj.dispatcher')).getCase(no);
    const mine = c.attachments.find((x) => x.id === a.id);
    assert.deepEqual(mine.uploaded_by, { kind: 'petitioner' });
    const ev = (await (await ctx.login('dl-xfj.dispatcher')).events(no)).find((e) => e.payload.id === a.id);
    assert.equal(ev.actor_kind, 'petitioner');
  });

  it('a wrong code answers exactly as an unknown case (404 case.not_found); so does no code', async () => {
    const wrong = code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA';
    const files = filesOnDisk();
    const w = await publicUpload(ctx, no, wrong, 'x.pdf', SAMPLES.pdf);
    const u = await publicUpload(ctx, 'XF2020010199999', wrong, 'x.pdf', SAMPLES.pdf);
    expectError(w, 404, 'case.not_found');
    assert.deepEqual(w.body, u.body);
    expectError(await publicUpload(ctx, no, undefined, 'x.pdf', SAMPLES.pdf), 404, 'case.not_found');
    assert.deepEqual(filesOnDisk(), files);
    const lw = await publicList(ctx, no, wrong);
    assert.deepEqual(lw.body, (await publicList(ctx, 'XF2020010199999', wrong)).body);
    expectError(lw, 404, 'case.not_found');
    const any = (await publicList(ctx, no, code)).body.items[0].id;
    expectError(await publicDownload(ctx, no, wrong, any), 404, 'case.not_found');
  });

  it('the type and name rules are the same: HTML is refused (415), a bad name 400', async () => {
    expectError(await publicUpload(ctx, no, code, 'x.pdf', Buffer.from('<html>')), 415, 'attachment.type_not_allowed');
    expectError(await publicUpload(ctx, no, code, 'a/b.pdf', SAMPLES.pdf), 400, 'validation.invalid', 'name');
  });

  it(`at most 20 files from the petitioner per case: 409 attachment.too_many`, async () => {
    const c = await newCase(ctx);
    for (let i = 0; i < 20; i++) expectStatus(await publicUpload(ctx, c.no, c.code, `录音${i}.amr`, SAMPLES.amr), 201);
    const files = filesOnDisk();
    expectError(await publicUpload(ctx, c.no, c.code, '录音20.amr', SAMPLES.amr), 409, 'attachment.too_many');
    assert.deepEqual(filesOnDisk(), files);
    // staff are not held to the petitioner's count
    await uploaded(await ctx.login('dl-xfj.registrar'), c.no, '笔录.pdf', SAMPLES.pdf);
  });

  it('not once the case has ended (rejected): 409 attachment.case_ended; staff may still file documents', async () => {
    const c = await newCase(ctx);
    await (await ctx.login('dl-xfj.dispatcher')).acted(c.no, 'reject', { reason: '属仲裁事项', route: 'arbitration' });
    expectError(await publicUpload(ctx, c.no, c.code, 'x.pdf', SAMPLES.pdf), 409, 'attachment.case_ended');
    await uploaded(await ctx.login('dl-xfj.registrar'), c.no, '不予受理告知书.pdf', SAMPLES.pdf);
  });

  it('an online submission, then its material (the portal flow)', async () => {
    const body = {
      kind: 'proposal', purpose: 'suggest', category: '0802', locality: '230102', title: '建议增加公交线路',
      content: '附线路示意图。', request: '增开一条公交线路', petitioners: [{ name: '陈丽', phone: '13845100000' }],
    };
    const s = expectStatus(await ctx.publicSubmit(body), 201);
    const r = await publicUpload(ctx, s.case.no, s.query_code, '线路图.png', SAMPLES.png);
    expectStatus(r, 201);
    assert.equal(r.body.attachment.type, 'png');
  });
});

describe('at rest: sealed, under a random name, outside any served folder', () => {
  it('the file on disk is <db>.files/<id>: 0600, 32 hex digits, the plain bytes nowhere in it', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await newCase(ctx);
    const a = await uploaded(reg, no, '身份证.pdf', SAMPLES.pdf);
    const p = `${filesDir()}/${a.id}`;
    assert.ok(existsSync(p));
    assert.equal(statSync(filesDir()).mode & 0o777, 0o700);
    assert.equal(statSync(p).mode & 0o777, 0o600);
    const sealed = readFileSync(p);
    assert.equal(sealed.length, SAMPLES.pdf.length + 32, 'IV + ciphertext + tag');
    assert.equal(sealed.indexOf(Buffer.from(MARKER)), -1, 'the plain text is not on disk');
    assert.equal(sealed.indexOf(Buffer.from('%PDF')), -1);
    for (const f of filesOnDisk()) assert.match(f, /^[0-9a-f]{32}$/, `only random names, no client names: ${f}`);
    // the docx's text is not in the database either (only its metadata is)
    const db = readFileSync(ctx.db);
    assert.equal(db.indexOf(Buffer.from(MARKER)), -1);
  });

  it('a file altered or swapped on disk is refused: 500 attachment.unavailable; restored, it reads again', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await newCase(ctx);
    const one = Buffer.from(SAMPLES.pdf); const two = Buffer.from(SAMPLES.pdf);
    two[two.length - 8] ^= 1; // same length, other bytes
    const a = await uploaded(reg, no, 'a.pdf', one);
    const b = await uploaded(reg, no, 'b.pdf', two);
    const pa = `${filesDir()}/${a.id}`; const pb = `${filesDir()}/${b.id}`;
    const sa = readFileSync(pa); const sb = readFileSync(pb);
    const flipped = Buffer.from(sa); flipped[40] ^= 0x20;
    writeFileSync(pa, flipped);
    expectError(await download(reg, no, a.id), 500, 'attachment.unavailable');
    writeFileSync(pa, sb); // b's sealed file under a's name: a valid seal, the wrong content
    expectError(await download(reg, no, a.id), 500, 'attachment.unavailable');
    writeFileSync(pa, sa);
    assert.deepEqual((await download(reg, no, a.id)).bytes, one);
  });

  it('an upload whose transaction fails leaves no file behind (and no event)', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no } = await newCase(ctx);
    const sql = (s) => {
      const r = spawnSync('sqlite3', ['-bail', ctx.db, s], { encoding: 'utf8' });
      assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
    };
    // the projection's insert fails inside the transaction, after the file was written
    sql("CREATE TRIGGER test_attach_fails BEFORE INSERT ON attachments BEGIN SELECT RAISE(ABORT, 'injected'); END;");
    try {
      const files = filesOnDisk();
      expectError(await upload(reg, no, 'a.pdf', SAMPLES.pdf), 503, 'server.unavailable');
      const other = await newCase(ctx);
      expectError(await publicUpload(ctx, other.no, other.code, 'a.pdf', SAMPLES.pdf), 503, 'server.unavailable');
      assert.deepEqual(filesOnDisk(), files, 'the sealed file was removed');
      assert.deepEqual(readdirSync(filesDir()).filter((f) => f.startsWith('.')), [], 'no temp file either');
      const c = await reg.getCase(no);
      assert.equal(c.version, 1);
      assert.deepEqual(c.attachments, []);
    } finally {
      sql('DROP TRIGGER test_attach_fails;');
    }
    await uploaded(reg, no, 'a.pdf', SAMPLES.pdf);
  });
});

describe('audit (等保 2.0 安全审计)', () => {
  it('uploads and downloads are logged with the id, type and size; never the file name', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no, code } = await newCase(ctx);
    const a = await uploaded(reg, no, '张三举报材料.pdf', SAMPLES.pdf);
    assert.equal((await download(await ctx.login('dl-xfj.dispatcher'), no, a.id)).status, 200);
    const p = expectStatus(await publicUpload(ctx, no, code, '补充材料.jpg', SAMPLES.jpg), 201).attachment;
    assert.equal((await publicDownload(ctx, no, code, p.id)).status, 200);
    const rows = expectStatus(await (await ctx.login('hlj-xfj.auditor')).get('/api/v1/audit?limit=50')).items
      .filter((x) => x.object === no);
    const up = rows.find((x) => x.action === 'case.attach' && x.actor === 'dl-xfj.registrar');
    assert.ok(up, JSON.stringify(rows));
    assert.match(up.detail, new RegExp(`^sm3:[0-9a-f]{64} id=${a.id} type=pdf size=${SAMPLES.pdf.length}$`));
    assert.equal(up.result, 'ok');
    assert.ok(rows.find((x) => x.action === 'attachment.download' && x.actor === 'dl-xfj.dispatcher' && x.detail === `id=${a.id}`));
    assert.ok(rows.find((x) => x.action === 'case.attach' && x.actor === 'petitioner'));
    assert.ok(rows.find((x) => x.action === 'attachment.download' && x.actor === 'petitioner' && x.detail === `id=${p.id}`));
    for (const x of rows) assert.ok(!String(x.detail ?? '').includes('张三'), 'file names are case content');
    const v = await runCli(['audit', 'verify', '--db', ctx.db]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
  });
});

describe('rebuild (DESIGN.md section 6): the list comes back from the events', () => {
  it('`xinfang rebuild` prints identical digests; every file still lists and reads the same', async () => {
    const reg = await ctx.login('dl-xfj.registrar');
    const { no, code } = await newCase(ctx);
    const a = await uploaded(reg, no, '合同.docx', SAMPLES.docx);
    const p = expectStatus(await publicUpload(ctx, no, code, '录音.mp3', SAMPLES.mp3), 201).attachment;
    const before = await reg.getCase(no);
    for (const k of before.clocks ?? []) delete k.remaining_seconds;
    await ctx.server.stop();
    const out = await runCli(['rebuild', '--db', ctx.db]);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.match(out.stdout, /^identical$/m, out.stdout);
    ctx.sessions.clear();
    await ctx.server.start();
    const r2 = await ctx.login('dl-xfj.registrar');
    const after2 = await r2.getCase(no);
    for (const k of after2.clocks ?? []) delete k.remaining_seconds;
    assert.deepEqual(after2, before);
    assert.deepEqual((await download(r2, no, a.id)).bytes, SAMPLES.docx);
    assert.deepEqual((await publicDownload(ctx, no, code, p.id)).bytes, SAMPLES.mp3);
  });
});
