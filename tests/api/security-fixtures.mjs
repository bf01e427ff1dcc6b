// security-fixtures.mjs - shared pieces of the security tests (issue 4,
// "Security and confidentiality"): matrix.test.mjs and secrecy.test.mjs.
//
//   serverRoutes()    the route table of src/http/server.c, read from the
//                     source, so a new endpoint fails the coverage tests until
//                     the tables say who may call it;
//   advanceTo()       move the server's clock (XINFANG_NOW) and run the
//                     escalation scan (催办 / 督办) at that time;
//   anonymous()       a client without a session, with the same get/post as a
//                     logged-in Client;
//   traces()          every string that would identify a petitioner, whole or
//                     masked (docs/ARCHITECTURE.md; src/domain/mask.h);
//   assertNoTrace()   none of them appears in a response.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { http, runCli } from './helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SERVER_C = path.resolve(HERE, '../../src/http/server.c');

/** The routes of src/http/server.c: [{key: 'GET /api/v1/me', method, pattern, auth}]. */
export function serverRoutes(file = SERVER_C) {
  const src = readFileSync(file, 'utf8');
  const table = /static const struct route routes\[\] = \{([\s\S]*?)\n\};/.exec(src);
  assert.ok(table, `no "routes[]" table in ${file}`);
  const out = [];
  const re = /\{\s*"([A-Z]+)",\s*"([^"]+)",\s*(\w+),\s*([^}]*)\}/g;
  for (let m; (m = re.exec(table[1]));) {
    out.push({ key: `${m[1]} ${m[2]}`, method: m[1], pattern: m[2], handler: m[3], auth: /R_AUTH/.test(m[4]) });
  }
  assert.ok(out.length > 10, `routes[] of ${file} parsed to ${out.length} routes`);
  return out;
}

/**
 * Stop the server, run `xinfang scan` at `now` (the escalations a server
 * running then would have created), and start it again at `now`.
 * Sessions are dropped: log in again.
 */
export async function advanceTo(ctx, now) {
  await ctx.server.stop();
  const r = await runCli(['scan', '--db', ctx.db], { now });
  assert.equal(r.code, 0, `xinfang scan: ${r.stderr}`);
  ctx.sessions.clear();
  await ctx.server.start({ now });
}

/** A client with no session: get/post like helpers.mjs Client, nothing else. */
export function anonymous(ctx, { cookie } = {}) {
  const headers = cookie ? { Cookie: cookie } : {};
  return {
    username: '(anonymous)',
    get: (p) => http(ctx.base, 'GET', p, { headers }),
    post: (p, body = {}, { ifMatch, raw, headers: h = {} } = {}) => http(ctx.base, 'POST', p, {
      body: raw === undefined ? body : undefined, raw,
      headers: { ...headers, ...h, ...(ifMatch === undefined ? {} : { 'If-Match': String(ifMatch) }) },
    }),
    act: (no, action, body = {}, { ifMatch = 1 } = {}) =>
      http(ctx.base, 'POST', `/api/v1/cases/${no}/actions/${action}`, { body, headers: { ...headers, 'If-Match': String(ifMatch) } }),
  };
}

/** Mask as src/domain/mask.h does: ID number first 3 + last 4, phone first 3 + last 4. */
export function maskId(id) { return id.slice(0, 3) + '*'.repeat(id.length - 7) + id.slice(-4); }
export function maskPhone(p) { return p.slice(0, 3) + '*'.repeat(p.length - 7) + p.slice(-4); }

/**
 * The strings that identify a petitioner or a case: whole values, masked
 * forms and distinctive fragments. `p` is a petitioner of a registration
 * body; `extra` adds case-specific strings (number, title words).
 */
export function traces(p, extra = []) {
  const t = [p.name];
  if (p.id_number) t.push(p.id_number, maskId(p.id_number), p.id_number.slice(6, 14));
  if (p.phone) t.push(p.phone, maskPhone(p.phone));
  if (p.address) t.push(p.address, p.address.slice(-6));
  if (p.workplace) t.push(p.workplace);
  return [...t, ...extra].filter((s) => typeof s === 'string' && s.length >= 2);
}

/** Assert that none of `markers` occurs in `res` (a response or any JSON value). */
export function assertNoTrace(res, markers, what) {
  const text = typeof res === 'string' ? res : res && typeof res.text === 'string' ? res.text : JSON.stringify(res);
  for (const m of markers) {
    assert.ok(!text.includes(m), `${what}: reveals "${m}": ${text.slice(0, 600)}`);
  }
}

/** Assert that at least one of `markers` occurs (a positive control). */
export function assertTrace(res, markers, what) {
  const text = typeof res === 'string' ? res : res && typeof res.text === 'string' ? res.text : JSON.stringify(res);
  assert.ok(markers.some((m) => text.includes(m)), `${what}: expected one of ${JSON.stringify(markers)} in ${text.slice(0, 600)}`);
}
