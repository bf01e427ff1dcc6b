// static.test.mjs - the browser front end on the API's origin (`serve --ui DIR`,
// env XINFANG_UI; src/http/ui.c, server.c send_ui; docs/API.md "Front end").
//
// A temporary DIR like a Vite build (index.html, assets/<name>-<hash>.*,
// favicon.svg) plus what must never be served: a dot-file, a hidden directory,
// links to /etc/passwd and out of DIR, a file beside DIR. Checked: the files
// and their types, the single-page fallback for client-side routes, caching
// (immutable assets, index revalidated, ETag → 304), the security headers
// (CSP, nosniff, framing, referrer; ASVS 4.0 14.4), 404 JSON for a missing
// asset, path traversal refused however it is spelt (ASVS 12.3.1; raw
// requests, since fetch() normalises `..` and `%2e%2e` itself), 405 for other
// methods, the API untouched, and the server without --ui or with a missing DIR.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, symlinkSync, rmSync, utimesSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  Server, demoDb, expectError, expectStatus, http, NO_RATE_LIMITS, PASSWORD,
} from './helpers.mjs';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
  + "font-src 'self' data:; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'self'; "
  + "form-action 'self'; frame-ancestors 'none'";
const IMMUTABLE = 'public, max-age=31536000, immutable';
const INDEX = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>信访</title>'
  + '<script type="module" src="/assets/app-abc123.js"></script></head><body><div id="app"></div></body></html>';
const JS = 'import"./chunk-def456.js";console.log("xinfang");';
const SECRET = 'SECRET-OUTSIDE-THE-UI-DIRECTORY';

let dir; let db; let ui; let server;

before(async () => {
  ({ dir, db } = await demoDb());
  ui = path.join(dir, 'dist');
  mkdirSync(path.join(ui, 'assets'), { recursive: true });
  mkdirSync(path.join(ui, '.hidden'));
  writeFileSync(path.join(ui, 'index.html'), INDEX);
  writeFileSync(path.join(ui, 'assets', 'app-abc123.js'), JS);
  writeFileSync(path.join(ui, 'assets', 'index-abc123.css'), 'body{margin:0}');
  writeFileSync(path.join(ui, 'assets', 'font-abc123.woff2'), Buffer.from('wOF2\0\0\0\0'));
  writeFileSync(path.join(ui, 'assets', 'logo-abc123.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(path.join(ui, 'assets', 'data-abc123.bin'), Buffer.from([0, 1, 2]));
  writeFileSync(path.join(ui, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(ui, '.env'), `TOKEN=${SECRET}`);
  writeFileSync(path.join(ui, '.hidden', 'secret.txt'), SECRET);
  writeFileSync(path.join(dir, 'outside.txt'), SECRET);
  symlinkSync('/etc/passwd', path.join(ui, 'passwd.txt'));
  symlinkSync('/etc/passwd', path.join(ui, 'passwd')); // no extension: still refused, not the fallback
  symlinkSync('..', path.join(ui, 'up'));
  symlinkSync(path.join(dir, 'outside.txt'), path.join(ui, 'assets', 'leak-abc123.js'));
  server = new Server(db);
  await server.start({ args: ['--ui', ui, ...NO_RATE_LIMITS] });
});

after(async () => {
  try {
    await server?.stop();
  } finally {
    if (!process.env.XINFANG_KEEP && dir) rmSync(dir, { recursive: true, force: true });
  }
});

const get = (p, headers = {}) => http(server.base, 'GET', p, { headers });

/** One request exactly as written (no URL normalisation): {status, headers, body (Buffer), text}. */
function raw(target, method = 'GET') {
  return new Promise((resolve, reject) => {
    const s = net.connect(server.port, '127.0.0.1');
    const chunks = [];
    s.setTimeout(10_000, () => { s.destroy(); reject(new Error(`${method} ${target}: no answer`)); });
    s.on('connect', () => s.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`));
    s.on('data', (d) => chunks.push(d));
    s.on('error', reject);
    s.on('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split).toString('latin1').split('\r\n');
      const headers = new Map();
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
      }
      const body = all.subarray(split + 4);
      let json = null;
      try { json = JSON.parse(body.toString('utf8')); } catch { /* not JSON */ }
      resolve({ status: Number(head[0].split(' ')[1]), headers: { get: (n) => headers.get(n.toLowerCase()) ?? null },
        body: json, raw: body, text: body.toString('utf8') });
    });
  });
}

/** The front end's header set (ASVS 14.4.3-14.4.7). */
function expectUiHeaders(r, what, cache = 'no-cache') {
  const h = (n) => r.headers.get(n);
  assert.equal(h('content-security-policy'), CSP, `${what}: CSP`);
  assert.equal(h('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(h('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.equal(h('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(h('cache-control'), cache, `${what}: Cache-Control`);
  assert.match(h('etag') ?? '', /^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/, `${what}: ETag`);
  assert.equal(h('set-cookie'), null, `${what}: no cookie`);
}

/** A JSON 404 route.not_found that leaks nothing from outside the directory. */
function expectNotFound(r, what) {
  assert.equal(r.status, 404, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
  assert.match(r.headers.get('content-type'), /^application\/json/, what);
  expectError(r, 404, 'route.not_found');
  assert.ok(!r.text.includes(SECRET) && !r.text.includes('root:'), `${what}: leaked ${r.text}`);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff', what);
}

describe('the front end on the API\'s origin (serve --ui)', () => {
  it('/ is index.html: text/html, revalidated (no-cache) with an ETag, CSP, nosniff, DENY, no-referrer', async () => {
    const r = await get('/');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text, INDEX);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(r.headers.get('content-length'), String(Buffer.byteLength(INDEX)));
    expectUiHeaders(r, 'GET /');
    const i = await get('/index.html');
    assert.equal(i.text, INDEX);
    expectUiHeaders(i, 'GET /index.html');
    assert.equal(i.headers.get('etag'), r.headers.get('etag'), 'the same file, the same tag');
  });

  it('client-side routes (no extension, no such file) answer index.html: /workbench, /cases/XF2026112200001, /portal/query', async () => {
    for (const p of ['/workbench', '/cases/XF2026112200001', '/portal/query', '/cases/', '/admin/users/12/roles',
      '/workbench?tab=todo&page=2', '/assets']) {
      const r = await get(p);
      assert.equal(r.status, 200, `${p}: ${r.status} ${r.text}`);
      assert.equal(r.text, INDEX, p);
      assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8', p);
      expectUiHeaders(r, p); // never immutable, even at /assets
    }
  });

  it('hashed assets are cached for a year (immutable); the type follows the extension', async () => {
    const types = {
      '/assets/app-abc123.js': 'text/javascript; charset=utf-8',
      '/assets/index-abc123.css': 'text/css; charset=utf-8',
      '/assets/font-abc123.woff2': 'font/woff2',
      '/assets/logo-abc123.png': 'image/png',
      '/assets/data-abc123.bin': 'application/octet-stream',
    };
    for (const [p, type] of Object.entries(types)) {
      const r = await get(p);
      assert.equal(r.status, 200, `${p}: ${r.status} ${r.text}`);
      assert.equal(r.headers.get('content-type'), type, p);
      expectUiHeaders(r, p, IMMUTABLE);
    }
    assert.equal((await get('/assets/app-abc123.js')).text, JS);
    const ico = await get('/favicon.svg');
    assert.equal(ico.status, 200);
    assert.equal(ico.headers.get('content-type'), 'image/svg+xml');
    expectUiHeaders(ico, '/favicon.svg'); // outside /assets/: revalidated
  });

  it('If-None-Match with the ETag → 304 without a body (weak and listed tags too); a changed file has a new tag', async () => {
    for (const p of ['/', '/workbench', '/assets/app-abc123.js']) {
      const first = await get(p);
      const tag = first.headers.get('etag');
      for (const inm of [tag, `W/${tag}`, `"nope", ${tag}`, '*']) {
        const r = await get(p, { 'If-None-Match': inm });
        assert.equal(r.status, 304, `${p} If-None-Match: ${inm}`);
        assert.equal(r.text, '');
        assert.equal(r.headers.get('etag'), tag);
        assert.equal(r.headers.get('cache-control'), first.headers.get('cache-control'));
        assert.equal(r.headers.get('content-security-policy'), CSP);
      }
      assert.equal((await get(p, { 'If-None-Match': '"0-0-0"' })).status, 200);
    }
    const tag = (await get('/favicon.svg')).headers.get('etag');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>';
    writeFileSync(path.join(ui, 'favicon.svg'), svg);
    utimesSync(path.join(ui, 'favicon.svg'), new Date(), new Date(Date.now() + 5000));
    const r = await get('/favicon.svg', { 'If-None-Match': tag });
    assert.equal(r.status, 200, 'a rebuilt file is sent again');
    assert.equal(r.text, svg);
    assert.notEqual(r.headers.get('etag'), tag);
  });

  it('HEAD answers like GET without the body', async () => {
    for (const p of ['/', '/workbench', '/assets/app-abc123.js']) {
      const g = await get(p);
      const h = await http(server.base, 'HEAD', p);
      assert.equal(h.status, 200, p);
      assert.equal(h.text, '', p);
      assert.equal(h.headers.get('content-length'), g.headers.get('content-length'), p);
      assert.equal(h.headers.get('content-type'), g.headers.get('content-type'), p);
      assert.equal(h.headers.get('etag'), g.headers.get('etag'), p);
      expectUiHeaders(h, `HEAD ${p}`, g.headers.get('cache-control'));
    }
    const n = await raw('/assets/nope.js', 'HEAD');
    assert.equal(n.status, 404);
    assert.equal(n.raw.length, 0);
  });

  it('a missing file with an extension → 404 JSON route.not_found (never index.html)', async () => {
    for (const p of ['/assets/nope.js', '/assets/app-abc124.js', '/favicon.ico', '/robots.txt', '/cases/XF1.json']) {
      const r = await get(p);
      expectNotFound(r, p);
      assert.equal(r.headers.get('cache-control'), 'no-store', `${p}: an error is never cached`);
    }
  });

  it('traversal, dot-files, hidden directories, links out of DIR and %00 are refused: 404, nothing leaked', async () => {
    const targets = [
      '/../outside.txt', '/assets/../../outside.txt', '/assets/../index.html', '/./index.html',
      '/%2e%2e/outside.txt', '/%2E%2E/outside.txt', '/assets/%2e%2e/%2e%2e/outside.txt', '/%2e%2e%2foutside.txt',
      '/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..', '/%2e%2e',
      '/.env', '/%2eenv', '/.hidden/secret.txt', '/.hidden', '/.hidden/', '/%2ehidden/secret.txt',
      '/passwd.txt', '/passwd', '/up/outside.txt', '/up', '/up/', '/assets/leak-abc123.js',
      '/index.html%00.js', '/workbench%00', '/%00', '//etc/passwd', '/assets//app-abc123.js', '/a%5c..%5coutside.txt',
      '/work%0abench', '/work%01bench',
    ];
    for (const t of targets) expectNotFound(await raw(t), t);
    // the raw client itself: a plain and a %-encoded name of a real file are served (decoded as libmicrohttpd does)
    for (const t of ['/assets/app-abc123.js', '/assets/%61pp-abc123.js', '/assets%2fapp-abc123.js']) {
      const r = await raw(t);
      assert.equal(r.status, 200, t);
      assert.equal(r.text, JS, t);
    }
    server.assertAlive();
  });

  it('other methods on the front end\'s paths → 405 with Allow: GET, HEAD', async () => {
    for (const [m, p] of [['POST', '/'], ['POST', '/workbench'], ['PUT', '/assets/app-abc123.js'],
      ['DELETE', '/index.html'], ['OPTIONS', '/cases/XF2026112200001'], ['PATCH', '/assets/nope.js']]) {
      const r = await http(server.base, m, p, m === 'POST' ? { body: {} } : {});
      expectError(r, 405, 'route.method_not_allowed');
      assert.equal(r.headers.get('allow'), 'GET, HEAD', `${m} ${p}`);
    }
  });

  it('the API is untouched: JSON 404 under /api/, /healthz, sessions, the API\'s own CSP and no-store', async () => {
    for (const p of ['/api/v1/nope', '/api/public/v1/nope', '/api/', '/api', '/api/v1/cases.js', '/api/v1/workbench']) {
      const r = await get(p);
      expectNotFound(r, p);
      assert.match(r.headers.get('content-security-policy'), /^default-src 'self'; frame-ancestors 'none'/, p);
    }
    const h = await get('/healthz');
    assert.equal(expectStatus(h).status, 'ok');
    assert.equal(h.headers.get('cache-control'), 'no-store');
    assert.equal(h.headers.get('x-content-type-options'), 'nosniff');
    expectError(await get('/api/v1/cases'), 401, 'auth.required');
    expectError(await http(server.base, 'DELETE', '/api/v1/cases'), 405, 'route.method_not_allowed');
    const login = await http(server.base, 'POST', '/api/v1/login', { body: { username: 'dl-xfj.registrar', password: PASSWORD } });
    assert.equal(login.status, 200, login.text);
    const cookie = /xf_session=[^;]*/.exec(login.headers.get('set-cookie'))[0];
    const me = await get('/api/v1/me', { Cookie: cookie });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.username, 'dl-xfj.registrar');
    assert.equal(me.headers.get('cache-control'), 'no-store');
  });
});

describe('serve without a front end', () => {
  it('without --ui: the API only, as before (/ is the status page; the UI\'s paths are 404 JSON)', async () => {
    await server.stop();
    await server.start({ args: NO_RATE_LIMITS });
    const root = await get('/');
    assert.equal(root.status, 200);
    assert.match(root.headers.get('content-type'), /^text\/html/);
    assert.notEqual(root.text, INDEX, 'not the front end');
    assert.match(root.text, /\/api\/v1\//);
    for (const p of ['/workbench', '/assets/app-abc123.js', '/index.html', '/favicon.svg']) expectNotFound(await get(p), p);
    expectError(await http(server.base, 'POST', '/workbench', { body: {} }), 404, 'route.not_found');
    assert.equal(expectStatus(await get('/healthz')).status, 'ok');
  });

  it('--ui DIR missing: starts, says so in one log line, answers the API; serves DIR once it exists', async () => {
    const later = path.join(dir, 'later');
    await server.stop();
    await server.start({ args: ['--ui', later, ...NO_RATE_LIMITS] });
    const lines = server.stderr.split('\n').filter((l) => l.includes(later));
    assert.equal(lines.length, 1, server.stderr);
    assert.match(lines[0], /UI directory .* is missing/);
    assert.equal(expectStatus(await get('/healthz')).status, 'ok');
    expectNotFound(await get('/workbench'), '/workbench');
    expectError(await get('/api/v1/nope'), 404, 'route.not_found');
    mkdirSync(later);
    writeFileSync(path.join(later, 'index.html'), INDEX);
    const r = await get('/workbench');
    assert.equal(r.status, 200);
    assert.equal(r.text, INDEX);
  });

  it('XINFANG_UI names the directory when --ui is not given', async () => {
    await server.stop();
    process.env.XINFANG_UI = ui; // the child's environment is a copy of this process's
    try {
      await server.start({ args: NO_RATE_LIMITS });
    } finally {
      delete process.env.XINFANG_UI;
    }
    const r = await get('/cases/XF2026112200001');
    assert.equal(r.status, 200);
    assert.equal(r.text, INDEX);
    expectUiHeaders(r, 'XINFANG_UI');
    assert.match(server.stderr, /serving the front end from/);
  });
});
