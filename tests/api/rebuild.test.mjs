// rebuild.test.mjs - events are the source of truth (DESIGN.md section 6):
// `xinfang rebuild` regenerates every projection from the event log and the
// API answers exactly as before. Also the full demo database: it rebuilds
// identically and holds a case in every state.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  setup, runCli, demoDb, Server, Ctx, expectStatus, caseBody, decisionBody, replyBody,
  newCase, transfer, toAccepted, toReplied, toClosed,
} from './helpers.mjs';

/** Every case in `user`'s scope with its events, keyed by number. */
async function everything(ctx, user = 'hlj-xfj.dispatcher') {
  const c = await ctx.login(user);
  const out = {};
  for (const item of await c.listAll()) {
    const one = await c.getCase(item.no);
    // the time left on a clock moves with the wall clock; everything else must match
    for (const k of one.clocks ?? []) delete k.remaining_seconds;
    out[item.no] = { case: one, events: await c.events(item.no) };
  }
  return out;
}

function parseRebuild(stdout) {
  const n = /replayed (\d+) events/.exec(stdout);
  return { events: n ? Number(n[1]) : null, identical: /^identical$/m.test(stdout) };
}

describe('rebuild after many actions', () => {
  let ctx;
  before(async () => { ctx = await setup(); });
  after(async () => { await ctx?.close(); });

  it('rebuild exits 0, prints "identical", and every case reads the same before and after', async () => {
    const U = {};
    for (const c of ['dl-cgj', 'dl-zjj', 'hrb-cgj']) U[c] = await ctx.unitId(c);
    const disp = await ctx.login('dl-xfj.dispatcher');
    // the whole life cycle up to a declined repeat petition
    const full = await newCase(ctx, { flags: ['collective', 'urgent'], people_count: 4 });
    await transfer(ctx, full.no, 'dl-cgj', ['dl-zjj']);
    const h = await ctx.login('dl-cgj.handler');
    await h.acted(full.no, 'accept');
    await h.acted(full.no, 'request_extension', { days: 15, reason: '需补充调查' });
    await (await ctx.login('dl-cgj.unit_head')).acted(full.no, 'approve_extension');
    await h.acted(full.no, 'reply', replyBody());
    await disp.acted(full.no, 'send_back', { reason: '请补充法律依据' });
    await h.acted(full.no, 'reply', replyBody({ legal_basis: '《劳动合同法》第三十条' }));
    await disp.acted(full.no, 'approve');
    expectStatus(await ctx.publicAct(full.no, 'rate', full.code, { satisfaction: 'unsatisfied' }));
    expectStatus(await ctx.publicAct(full.no, 'request_review', full.code, { reason: '不服' }));
    await (await ctx.login('hrb-xfj.reviewer')).acted(full.no, 'decide_review', decisionBody());
    expectStatus(await ctx.publicAct(full.no, 'rate', full.code, { satisfaction: 'fair' }));   // one rating per decision
    expectStatus(await ctx.publicAct(full.no, 'request_recheck', full.code));
    await (await ctx.login('hlj-xfj.reviewer')).acted(full.no, 'decide_recheck', decisionBody());
    const repeat = await newCase(ctx, { repeat_of: full.no });
    await disp.acted(repeat.no, 'decline', { reason: '已复核终结', repeat_of: full.no });
    // triage paths
    const a = await newCase(ctx);
    const b = await newCase(ctx);
    await disp.acted(a.no, 'merge', { into: b.no, reason: '同一事项' });
    await disp.acted(b.no, 'assign', { lead_unit: U['dl-zjj'], co_units: [U['dl-cgj']], due_days: 20 });
    const r = await newCase(ctx);
    await disp.acted(r.no, 'reject', { reason: '属仲裁事项', route: 'arbitration' });
    const ar = await newCase(ctx);
    await disp.acted(ar.no, 'archive', { reason: '咨询已解答' });
    const sh = await newCase(ctx);
    await disp.acted(sh.no, 'self_handle');
    const ret = await newCase(ctx);
    await transfer(ctx, ret.no, 'dl-cgj');
    await h.acted(ret.no, 'return', { reason: '不属本单位' });
    await transfer(ctx, ret.no, 'dl-zjj');
    const den = await newCase(ctx);
    await toAccepted(ctx, den.no);
    await h.acted(den.no, 'request_extension', { days: 5, reason: '需补充' });
    await (await ctx.login('dl-cgj.unit_head')).acted(den.no, 'deny_extension', { reason: '按期办结' });
    await toReplied(ctx, (await newCase(ctx)).no);
    await toClosed(ctx, (await newCase(ctx)).no);
    // an accusation, a city case and an online submission
    const acc = await newCase(ctx, { kind: 'accusation', purpose: 'accuse', category: '1101', accused_unit: U['dl-cgj'], accused_name: '张某' });
    await transfer(ctx, acc.no, 'dl-zjj');
    const city = await (await ctx.login('hrb-xfj.registrar')).registered({ locality: '230100' });
    await (await ctx.login('hrb-xfj.dispatcher')).acted(city.no, 'transfer', { lead_unit: U['hrb-cgj'] });
    const web = caseBody({ title: '网上信访：小区噪声扰民', category: '0501' });
    delete web.channel;
    expectStatus(await ctx.publicSubmit(web, { idempotencyKey: 'rebuild-web-1' }), 201);

    const before = await everything(ctx);
    const nEvents = Object.values(before).reduce((s, x) => s + x.events.length, 0);
    assert.equal(Object.keys(before).length, 14, `cases: ${Object.keys(before).length}`);
    assert.ok(nEvents >= 45, `events: ${nEvents}`);
    for (const [no, x] of Object.entries(before)) {
      assert.equal(x.case.version, x.events.length, `${no}: version = number of events`);
      assert.equal(x.case.state, x.events.at(-1).to_state, `${no}: state = last event's to_state`);
    }

    await ctx.server.stop();
    const out = await runCli(['rebuild', '--db', ctx.db]);
    assert.equal(out.code, 0, `rebuild: ${out.stdout}\n${out.stderr}`);
    const p = parseRebuild(out.stdout);
    assert.ok(p.identical, `rebuild output: ${out.stdout}`);
    assert.equal(p.events, nEvents, 'every event replayed');
    // again: still identical
    const again = await runCli(['rebuild', '--db', ctx.db]);
    assert.equal(again.code, 0);
    assert.ok(parseRebuild(again.stdout).identical, again.stdout);

    ctx.sessions.clear();
    await ctx.server.start();
    const afterRebuild = await everything(ctx);
    assert.deepEqual(afterRebuild, before);
    // the portal too
    assert.equal((await ctx.publicView(full.no, full.code)).state, 'concluded');
    // and the server goes on working on the rebuilt tables
    const next = await newCase(ctx);
    assert.equal((await transfer(ctx, next.no, 'dl-cgj')).state, 'dispatched');
  });
});

describe('the full demo database (xinfang demo --cases 300)', () => {
  let dir; let db; let server; let ctx; let demoOut;
  before(async () => {
    ({ dir, db, stdout: demoOut } = await demoDb({ cases: 300 }));
  });
  after(async () => {
    if (ctx) await ctx.close();
    else if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('demo exits 0 and rebuild prints "identical"', async () => {
    assert.ok(demoOut.length > 0, 'demo prints something (the logins)');
    const out = await runCli(['rebuild', '--db', db]);
    assert.equal(out.code, 0, `rebuild: ${out.stdout}\n${out.stderr}`);
    const p = parseRebuild(out.stdout);
    assert.ok(p.identical, out.stdout);
    assert.ok(p.events >= 300, `at least one event per case: ${out.stdout}`);
  });

  it('a second demo on the same database leaves it as it is', async () => {
    const out = await runCli(['demo', '--db', db, '--cases', '5']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /already holds data/);
    // (the next test counts exactly 300 cases: nothing was added)
  });

  it('the demo holds 300 cases, every state among them, each consistent with its events', async () => {
    server = new Server(db);
    await server.start();
    ctx = new Ctx(dir, db, server);
    const root = await ctx.login('hlj-xfj.dispatcher');
    const all = await root.listAll();
    assert.equal(all.length, 300);
    const states = ['registered', 'dispatched', 'accepted', 'replied', 'closed', 'review', 'recheck',
      'concluded', 'rejected', 'declined', 'archived', 'merged'];
    const missing = [];
    for (const state of states) {
      const r = await root.list({ state, limit: 1 });
      expectStatus(r);
      if (r.body.items.length === 0) missing.push(state);
      else assert.equal(r.body.items[0].state, state);
    }
    assert.deepEqual(missing, [], `states missing from the demo: ${missing.join(', ')}`);
    // invariants on a sample of the cases
    for (const item of all.filter((_, i) => i % 10 === 0)) {
      const c = await root.getCase(item.no);
      const ev = await root.events(item.no);
      assert.equal(c.version, ev.length, `${item.no}: version = events`);
      assert.deepEqual(ev.map((e) => e.seq), ev.map((_, i) => i + 1), `${item.no}: seq 1..n`);
      assert.equal(c.state, ev.at(-1).to_state, `${item.no}: state = last to_state`);
      for (let i = 1; i < ev.length; i++) {
        assert.equal(ev[i].from_state, ev[i - 1].to_state, `${item.no}: event ${i + 1} starts where ${i} ended`);
      }
    }
    // the demo users log in with the documented password
    for (const user of ['dl-xfj.registrar', 'dl-cgj.handler', 'hrb-xfj.reviewer', 'qqhr-xfj.dispatcher', 'lj-nyj.handler']) {
      assert.equal((await ctx.login(user)).user.username, user);
    }
  });
});
