// helpers.mjs - harness for the HTTP API tests (node:test + built-in fetch).
//
// Each test file creates its own demo database (`xinfang demo --cases 0`:
// the organisation and users, no cases), starts `xinfang serve` on a free
// port of 127.0.0.1 and stops it in an `after` hook. Stopping checks that the
// server exits 0 on SIGTERM and printed no sanitizer report (the suite also
// runs against the ASan/UBSan build). XINFANG_NOW fixes the server's clock;
// restart() moves it.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const BIN = process.env.XINFANG_BIN || path.resolve(HERE, '../../build/release/xinfang');
export const PASSWORD = 'Xinfang@2026demo';
/** The demo administrators' second factor (src/cli/demo.h DEMO_TOTP_SECRET). */
export const DEMO_TOTP_SECRET = 'PBUW4ZTBNZTS2ZDFNVXS2MTGMEWWWZLZ';
/** Rate limits off, except where a test starts the server with its own arguments. */
export const NO_RATE_LIMITS = ['--rate-login', '0', '--rate-public', '0'];

/** RFC 4648 base32 → bytes. */
export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0; let value = 0; const out = [];
  for (const c of s.replace(/[=\s]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (HMAC-SHA1, 6 digits) of a 30-second step. */
export function totpCode(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

/** Is this demo user one of the three administrators (second factor required)? */
export const isAdmin = (username) => /\.(sysadmin|secadmin|auditor)$/.test(username);
export const DAY = 86400;

const SANITIZER = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|UndefinedBehaviorSanitizer|SUMMARY: \w+Sanitizer/;

/** The sanitizer report in `text` (with some context), or null. */
export function sanitizerReport(text) {
  const m = SANITIZER.exec(text);
  return m ? text.slice(Math.max(0, m.index - 300), m.index + 4000) : null;
}

function childEnv(now) {
  const env = { ...process.env };
  delete env.XINFANG_NOW;
  if (now !== undefined && now !== null) env.XINFANG_NOW = String(now);
  // make sanitizer reports fail loudly and keep them in stderr
  env.ASAN_OPTIONS = env.ASAN_OPTIONS || 'abort_on_error=0:halt_on_error=1:detect_leaks=1';
  env.UBSAN_OPTIONS = env.UBSAN_OPTIONS || 'print_stacktrace=1:halt_on_error=1';
  return env;
}

/**
 * Run the xinfang command line. Resolves {code, signal, stdout, stderr};
 * rejects when the process printed a sanitizer report.
 */
export function runCli(args, { now, timeoutMs = 600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { env: childEnv(now), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    p.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const rep = sanitizerReport(stderr) || sanitizerReport(stdout);
      if (rep) reject(new Error(`xinfang ${args.join(' ')}: sanitizer report:\n${rep}`));
      else resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One `xinfang serve` process on a database file. */
export class Server {
  constructor(db) {
    this.db = db;
    this.proc = null;
    this.stderr = '';
    this.logs = []; // stderr of every run, for post-mortems
  }

  async start({ now, args } = {}) {
    assert.equal(this.proc, null, 'server already running');
    if (args !== undefined) this.args = args;
    for (let attempt = 0; attempt < 3; attempt++) {
      this.port = await freePort();
      this.base = `http://127.0.0.1:${this.port}`;
      this.now = now;
      this.stderr = '';
      const p = spawn(BIN, ['serve', '--db', this.db, '--listen', '127.0.0.1', '--port', String(this.port),
        ...(this.args ?? NO_RATE_LIMITS)], {
        env: childEnv(now),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.proc = p;
      this.exited = new Promise((resolve) => {
        p.on('exit', (code, signal) => resolve({ code, signal }));
      });
      p.stdout.setEncoding('utf8').on('data', (d) => { this.stderr += d; });
      p.stderr.setEncoding('utf8').on('data', (d) => { this.stderr += d; });
      let exited = null;
      this.exited.then((e) => { exited = e; });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && !exited) {
        try {
          const r = await fetch(`${this.base}/healthz`);
          if (r.status === 200) {
            await r.text();
            return this;
          }
        } catch { /* not listening yet */ }
        await sleep(30);
      }
      this.proc = null;
      if (!exited) {
        p.kill('SIGKILL');
        await this.exited;
        throw new Error(`xinfang serve did not answer /healthz within 30 s:\n${this.stderr}`);
      }
      // lost the race for the port: try another one
      if (!/cannot listen/.test(this.stderr)) {
        throw new Error(`xinfang serve exited (${JSON.stringify(exited)}) at start:\n${this.stderr}`);
      }
    }
    throw new Error('xinfang serve: no free port after 3 attempts');
  }

  /** SIGTERM, wait, and insist on exit code 0 and no sanitizer report. */
  async stop() {
    const p = this.proc;
    if (!p) return;
    this.proc = null;
    p.kill('SIGTERM');
    let timer;
    const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), 20_000); });
    let res = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (res === 'timeout') {
      p.kill('SIGKILL');
      res = await this.exited;
      this.logs.push(this.stderr);
      throw new Error(`xinfang serve did not stop within 20 s of SIGTERM:\n${this.stderr.slice(-4000)}`);
    }
    // let the pipes drain
    await sleep(20);
    this.logs.push(this.stderr);
    const rep = sanitizerReport(this.stderr);
    if (rep) throw new Error(`xinfang serve: sanitizer report:\n${rep}`);
    if (res.code !== 0) {
      throw new Error(`xinfang serve exited with ${JSON.stringify(res)}:\n${this.stderr.slice(-4000)}`);
    }
  }

  /** Fail early if the server died under us (crash, sanitizer abort). */
  assertAlive() {
    const rep = sanitizerReport(this.stderr);
    if (rep) throw new Error(`xinfang serve: sanitizer report:\n${rep}`);
    assert.ok(this.proc && this.proc.exitCode === null && this.proc.signalCode === null,
      `xinfang serve is not running:\n${this.stderr.slice(-4000)}`);
  }
}

/** Plain HTTP: {status, body (parsed JSON or null), text, headers}. */
export async function http(base, method, urlPath, { body, raw, headers = {} } = {}) {
  const h = { ...headers };
  let payload;
  if (raw !== undefined) {
    payload = raw;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
  }
  const res = await fetch(base + urlPath, { method, headers: h, body: payload });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: json, text, headers: res.headers };
}

/** Query string from an object (undefined values left out). */
export function qs(params = {}) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** A logged-in staff member: keeps the xf_session cookie and the CSRF token. */
export class Client {
  constructor(ctx, username, login) {
    this.ctx = ctx;
    this.username = username;
    this.cookie = login.cookie;
    this.csrf = login.body.csrf_token;
    this.user = login.body.user;
    this.unit = login.body.unit;
    this.roles = login.body.roles;
  }

  get base() { return this.ctx.server.base; }

  get(urlPath, { headers = {} } = {}) {
    return http(this.base, 'GET', urlPath, { headers: { Cookie: this.cookie, ...headers } });
  }

  /** POST with the cookie and X-CSRF-Token; opts: ifMatch, idempotencyKey, headers, csrf (false: none), raw. */
  post(urlPath, body, { ifMatch, idempotencyKey, headers = {}, csrf = true, raw } = {}) {
    const h = { Cookie: this.cookie };
    if (csrf === true) h['X-CSRF-Token'] = this.csrf;
    else if (typeof csrf === 'string') h['X-CSRF-Token'] = csrf;
    if (ifMatch !== undefined && ifMatch !== null) h['If-Match'] = String(ifMatch);
    if (idempotencyKey !== undefined) h['Idempotency-Key'] = idempotencyKey;
    return http(this.base, 'POST', urlPath, { body, raw, headers: { ...h, ...headers } });
  }

  /** GET /api/v1/cases/{no}, asserting 200; the case JSON. */
  async getCase(no) {
    const r = await this.get(`/api/v1/cases/${no}`);
    assert.equal(r.status, 200, `GET case ${no} as ${this.username}: ${r.status} ${r.text}`);
    return r.body;
  }

  /** The events of a case (array), asserting 200. */
  async events(no) {
    const r = await this.get(`/api/v1/cases/${no}/events`);
    assert.equal(r.status, 200, `GET events ${no} as ${this.username}: ${r.status} ${r.text}`);
    return r.body.events;
  }

  /** Register a case (POST /api/v1/cases) with caseBody(overrides). */
  register(overrides = {}, opts = {}) {
    return this.post('/api/v1/cases', caseBody(overrides), opts);
  }

  /** Register and assert 201; returns {no, code, case}. */
  async registered(overrides = {}, opts = {}) {
    const r = await this.register(overrides, opts);
    assert.equal(r.status, 201, `register as ${this.username}: ${r.status} ${r.text}`);
    return { no: r.body.case.no, code: r.body.query_code, case: r.body.case };
  }

  /** Take an action; If-Match is the current version unless given. */
  async act(no, action, body = {}, { ifMatch } = {}) {
    let v = ifMatch;
    if (v === undefined) {
      const r = await this.get(`/api/v1/cases/${no}`);
      v = r.status === 200 ? r.body.version : 1;
    }
    return this.post(`/api/v1/cases/${no}/actions/${action}`, body, { ifMatch: v });
  }

  /** Act and assert 200; the new case JSON. */
  async acted(no, action, body = {}, opts = {}) {
    const r = await this.act(no, action, body, opts);
    assert.equal(r.status, 200, `${action} on ${no} as ${this.username}: ${r.status} ${r.text}`);
    return r.body;
  }

  list(params = {}) { return this.get(`/api/v1/cases${qs(params)}`); }

  /** Every item of the list, walking the cursor. */
  async listAll(params = {}) {
    const items = [];
    let cursor;
    for (let i = 0; i < 1000; i++) {
      const r = await this.list({ ...params, limit: params.limit ?? 200, cursor });
      assert.equal(r.status, 200, `list as ${this.username}: ${r.status} ${r.text}`);
      items.push(...r.body.items);
      cursor = r.body.next_cursor;
      if (cursor === null) return items;
    }
    throw new Error('list: more than 1000 pages');
  }

  async listNos(params = {}) { return (await this.listAll(params)).map((c) => c.no); }

  todo(params = {}) { return this.get(`/api/v1/todo${qs(params)}`); }
}

let serial = 0;
/** A distinct, valid registration body (a wage claim in 道里区), with overrides. */
export function caseBody(overrides = {}) {
  serial += 1;
  return {
    channel: 'visit',
    kind: 'claim',
    purpose: 'demand',
    category: '0301',
    locality: '230102',
    title: `道里区某工地拖欠农民工工资（第${serial}件）`,
    content: '我们在道里区某工地干了四个月，工资至今未结，多次找公司无果。',
    request: '请督促公司结清工资',
    petitioners: [{
      name: '王建国',
      sex: 'male',
      id_type: 'resident_id',
      id_number: idNumber('23010219850315001'),
      phone: '13904510000',
      address: '哈尔滨市道里区安静街1号',
      representative: true,
    }],
    ...overrides,
  };
}

/** A GB 11643-1999 citizen ID number: 17 digits plus the right check character. */
export function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[sum % 11];
}

/** The same ID number with a wrong check character. */
export function badIdNumber(first17) {
  const good = idNumber(first17);
  const last = good[17] === '0' ? '1' : '0';
  return first17 + last;
}

const HAN = /[\u4e00-\u9fff]/;

/** Assert an error answer: status, stable code, Chinese message, optional field. */
export function expectError(res, status, code, field) {
  const where = `${res.status} ${res.text}`;
  assert.equal(res.status, status, `expected ${status} ${code}, got ${where}`);
  assert.ok(res.body && res.body.error, `no error object: ${where}`);
  assert.equal(res.body.error.code, code, `expected ${code}, got ${where}`);
  assert.match(res.body.error.message, HAN, `message not in Chinese: ${where}`);
  if (field !== undefined) assert.equal(res.body.error.field, field, `field: ${where}`);
  return res.body.error;
}

/** Assert a success status; returns the body. */
export function expectStatus(res, status = 200) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status} ${res.text}`);
  return res.body;
}

/** Version, state and number of events of a case as a staff member sees them. */
export async function snapshot(client, no) {
  const c = await client.getCase(no);
  // the time left on a clock follows the wall clock; a refusal must change everything else not at all
  for (const k of c.clocks ?? []) delete k.remaining_seconds;
  const ev = await client.events(no);
  return { version: c.version, state: c.state, events: ev.length, case: c, eventList: ev };
}

/** Assert that nothing about a case changed since `snap`. */
export async function assertUnchanged(client, no, snap) {
  const now = await snapshot(client, no);
  assert.equal(now.version, snap.version, `version of ${no} changed`);
  assert.equal(now.state, snap.state, `state of ${no} changed`);
  assert.equal(now.events, snap.events, `events of ${no} changed`);
  assert.deepEqual(now.case, snap.case, `case ${no} changed`);
}

/** One test file's world: a demo database, a server, sessions. */
export class Ctx {
  constructor(dir, db, server) {
    this.dir = dir;
    this.db = db;
    this.server = server;
    this.sessions = new Map();
    this.unitsByCode = null;
  }

  get base() { return this.server.base; }

  /**
   * The next unused TOTP code of a demo administrator at the server's clock:
   * the server accepts steps t-1..t+1, each once (RFC 6238 5.2).
   */
  nextTotp(username) {
    this.totpLast ??= new Map();
    const now = this.server.now ?? Math.floor(Date.now() / 1000);
    const t = Math.floor((typeof now === 'number' ? now : Date.parse(now) / 1000) / 30);
    const step = Math.max(t - 1, (this.totpLast.get(username) ?? -Infinity) + 1);
    return { step, code: totpCode(DEMO_TOTP_SECRET, step) };
  }

  /** Log in (uncached): {status, body, cookie}. Administrators send their TOTP code
   * unless `totp` is given (null: none). */
  async rawLogin(username, password = PASSWORD, { totp } = {}) {
    const body = { username, password };
    let step = null;
    if (totp === undefined && isAdmin(username) && password === PASSWORD) {
      ({ step, code: body.totp } = this.nextTotp(username));
    } else if (totp !== undefined && totp !== null) {
      body.totp = totp;
    }
    const r = await http(this.base, 'POST', '/api/v1/login', { body });
    if (step !== null && r.status === 200) this.totpLast.set(username, step);
    const sc = r.headers.get('set-cookie') || '';
    const m = /xf_session=([^;]*)/.exec(sc);
    return { ...r, setCookie: sc, cookie: m ? `xf_session=${m[1]}` : null };
  }

  /** A new session for a user (not cached). */
  async freshLogin(username) {
    const r = await this.rawLogin(username);
    assert.equal(r.status, 200, `login ${username}: ${r.status} ${r.text}`);
    assert.ok(r.cookie, `login ${username}: no xf_session cookie`);
    return new Client(this, username, r);
  }

  /** A session per user, cached within the file (logins cost an Argon2id hash). */
  async login(username) {
    if (!this.sessions.has(username)) this.sessions.set(username, await this.freshLogin(username));
    return this.sessions.get(username);
  }

  /** Units by code: {id, name, ...}. */
  async units() {
    if (!this.unitsByCode) {
      const c = await this.login('hlj-xfj.dispatcher');
      const r = await c.get('/api/v1/units');
      assert.equal(r.status, 200, r.text);
      this.unitsByCode = Object.fromEntries(r.body.items.map((u) => [u.code, u]));
    }
    return this.unitsByCode;
  }

  async unitId(code) {
    const u = (await this.units())[code];
    assert.ok(u, `no unit ${code}`);
    return u.id;
  }

  // ---- petitioner portal (no login) ----
  publicSubmit(body, { idempotencyKey } = {}) {
    const headers = idempotencyKey !== undefined ? { 'Idempotency-Key': idempotencyKey } : {};
    return http(this.base, 'POST', '/api/public/v1/cases', { body, headers });
  }

  publicQuery(no, queryCode) {
    return http(this.base, 'POST', '/api/public/v1/query', { body: { no, query_code: queryCode } });
  }

  /** The public view, asserting 200. */
  async publicView(no, queryCode) {
    const r = await this.publicQuery(no, queryCode);
    assert.equal(r.status, 200, `public query ${no}: ${r.status} ${r.text}`);
    return r.body;
  }

  publicAct(no, action, queryCode, body = {}) {
    return http(this.base, 'POST', `/api/public/v1/cases/${no}/actions/${action}`,
      { body: { query_code: queryCode, ...body } });
  }

  /** Restart the server on the same database, optionally with another clock; sessions are dropped. */
  async restart({ now } = {}) {
    await this.server.stop();
    this.sessions.clear();
    await this.server.start({ now });
  }

  async close() {
    try {
      await this.server.stop();
    } finally {
      if (!process.env.XINFANG_KEEP && existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** Make a temp dir with a demo database of `cases` cases; returns {dir, db, stdout}. */
export async function demoDb({ cases = 0, now, name = 'x.db' } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinfang-api-'));
  const db = path.join(dir, name);
  const r = await runCli(['demo', '--db', db, '--cases', String(cases)], { now });
  if (r.code !== 0) throw new Error(`xinfang demo exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return { dir, db, stdout: r.stdout };
}

/** Staff usernames → personal names, from the table `xinfang demo` prints. */
export function demoUsers(stdout) {
  const users = new Map();
  for (const line of stdout.split('\n')) {
    const m = /^([a-z0-9-]+\.[a-z_]+)\s+(\S+)\s/.exec(line);
    if (m) users.set(m[1], m[2]);
  }
  return users;
}

/** Demo database (org + users) and a running server. ctx.demoUsers: username → name. */
export async function setup({ now, cases = 0 } = {}) {
  const { dir, db, stdout } = await demoDb({ cases, now });
  const server = new Server(db);
  await server.start({ now });
  const ctx = new Ctx(dir, db, server);
  ctx.demoUsers = demoUsers(stdout);
  return ctx;
}

/** Epoch seconds of an ISO time. */
export function epoch(iso) {
  return Math.floor(Date.parse(iso) / 1000);
}

/** The standard reply body (R22 art. 32: outcome, facts, opinion, legal basis; seed 004 art. 10(5): delivery). */
export function replyBody(overrides = {}) {
  return {
    outcome: 'support',
    facts: '经查，该公司确欠12名农民工工资共计38万元。',
    opinion: '责令该公司于30日内结清所欠工资。',
    legal_basis: '《保障农民工工资支付条例》第十五条',
    delivery: 'signed',
    ...overrides,
  };
}

/** A review / recheck decision body (R22 art. 35). */
export function decisionBody(overrides = {}) {
  return {
    outcome: 'explain',
    facts: '经复查，原处理意见认定事实清楚。',
    opinion: '维持原处理意见。',
    legal_basis: '《信访工作条例》第三十五条',
    ...overrides,
  };
}

// ---- driving cases through the life cycle (dl-xfj → dl-cgj by default) ----

/** Register at dl-xfj (registrar): {no, code, case}. */
export async function newCase(ctx, overrides = {}, registrar = 'dl-xfj.registrar') {
  return (await ctx.login(registrar)).registered(overrides);
}

/** dl-xfj.dispatcher transfers to `lead` (code) with co-units (codes). */
export async function transfer(ctx, no, lead = 'dl-cgj', co = [], dispatcher = 'dl-xfj.dispatcher') {
  const body = { lead_unit: await ctx.unitId(lead) };
  if (co.length) body.co_units = await Promise.all(co.map((c) => ctx.unitId(c)));
  return (await ctx.login(dispatcher)).acted(no, 'transfer', body);
}

/** Registered → dispatched → accepted at `lead`. */
export async function toAccepted(ctx, no, lead = 'dl-cgj', co = []) {
  await transfer(ctx, no, lead, co);
  return (await ctx.login(`${lead}.handler`)).acted(no, 'accept');
}

/** … → replied (back at dl-xfj). */
export async function toReplied(ctx, no, lead = 'dl-cgj', reply = {}) {
  await toAccepted(ctx, no, lead);
  return (await ctx.login(`${lead}.handler`)).acted(no, 'reply', replyBody(reply));
}

/** … → closed (reply approved by dl-xfj.dispatcher). */
export async function toClosed(ctx, no, lead = 'dl-cgj') {
  await toReplied(ctx, no, lead);
  return (await ctx.login('dl-xfj.dispatcher')).acted(no, 'approve');
}
