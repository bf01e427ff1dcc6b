// authz.test.mjs - the authorisation matrix: every user of a set covering a
// county bureau's own unit, its parents, its children, a sibling county and
// another city, in every role that exists for them, against five cases of
// dl-xfj (道里区信访局) in different states, on the read endpoints and on one
// representative action per state.
//
// The expected tables below are written from the rules, not recorded from the
// server (docs/API.md "Scope" and the action table; src/store/case.c SCOPE_SQL):
//   - a petition department sees the cases any of whose units lie in its
//     subtree (dl-xfj, hrb-xfj, hlj-xfj see all of dl-xfj's cases);
//   - a handling unit sees the cases where it is lead, co-unit, holder or
//     suggestion target (dl-cgj: the three it was sent; dl-zjj: the one it is
//     co-unit of and the accusation it leads);
//   - an accusation is invisible to the accused unit's subtree (dl-cgj);
//   - the three administrators (sysadmin, secadmin, auditor of hlj-xfj) see no
//     case at all (等保 三员分立, docs/ARCHITECTURE.md);
//   - out of scope is 404 case.not_found, on reads and actions alike, and the
//     case is absent from GET /api/v1/cases and GET /api/v1/todo;
//   - an action needs the right role (403 auth.role_denied) and the unit that
//     holds the case (403 case.not_holder); when both are missing the role is
//     named first (as tests/api/scope.test.mjs expects of dl-xfj.dispatcher
//     accepting a case dl-cgj holds);
//   - the to-do list shows the cases a unit holds (or has a running clock on)
//     and on which the user can act now.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, expectError, snapshot, assertUnchanged, newCase, transfer, toAccepted, toClosed, replyBody,
} from './helpers.mjs';

// ---- the users: every role that exists for each unit in the demo --------------
const COUNTY = ['registrar', 'dispatcher', 'handler', 'unit_head', 'supervisor', 'reviewer'];
const CITY = [...COUNTY, 'leader', 'analyst'];
const PROVINCE = ['registrar', 'dispatcher', 'handler', 'unit_head', 'supervisor', 'complaint_supervisor',
  'reviewer', 'leader', 'analyst', 'sysadmin', 'secadmin', 'auditor'];
const DEPT = ['handler', 'unit_head'];
const UNIT_ROLES = {
  'dl-xfj': COUNTY,     // own unit (the county bureau that registered the cases)
  'hrb-xfj': CITY,      // parent
  'hlj-xfj': PROVINCE,  // grandparent
  'dl-cgj': DEPT,       // child (lead of the cases; the accused of the accusation)
  'dl-zjj': DEPT,       // child (co-unit of ACC; lead of the accusation)
  'bx-xfj': COUNTY,     // sibling county bureau
  'bx-rsj': DEPT,       // child of the sibling
  'qqhr-xfj': CITY,     // another city
};
const USERS = Object.entries(UNIT_ROLES).flatMap(([unit, roles]) => roles.map((r) => `${unit}.${r}`));

// ---- the cases -----------------------------------------------------------------
// REG    registered at dl-xfj (holder dl-xfj)
// DISP   transferred by dl-xfj to dl-cgj (dispatched, holder dl-cgj)
// ACC    transferred to dl-cgj with co-unit dl-zjj, accepted by dl-cgj (holder dl-cgj)
// CLOSED handled by dl-cgj, reply (support) approved by dl-xfj (holder dl-xfj; implement clock on dl-cgj)
// ACCUS  accusation against dl-cgj, transferred to dl-zjj (dispatched, holder dl-zjj)
const CASES = ['REG', 'DISP', 'ACC', 'CLOSED', 'ACCUS'];

// ---- expected reads: for each user and case, 'read' or 'hidden' ------------------
const R = 'read';
const H = 'hidden';
const row = (REG, DISP, ACC, CLOSED, ACCUS) => ({ REG, DISP, ACC, CLOSED, ACCUS });
//                                        REG DISP ACC CLOSED ACCUS
const READ = {
  'dl-xfj.registrar':              row(R, R, R, R, R),
  'dl-xfj.dispatcher':             row(R, R, R, R, R),
  'dl-xfj.handler':                row(R, R, R, R, R),
  'dl-xfj.unit_head':              row(R, R, R, R, R),
  'dl-xfj.supervisor':             row(R, R, R, R, R),
  'dl-xfj.reviewer':               row(R, R, R, R, R),
  'hrb-xfj.registrar':             row(R, R, R, R, R),
  'hrb-xfj.dispatcher':            row(R, R, R, R, R),
  'hrb-xfj.handler':               row(R, R, R, R, R),
  'hrb-xfj.unit_head':             row(R, R, R, R, R),
  'hrb-xfj.supervisor':            row(R, R, R, R, R),
  'hrb-xfj.reviewer':              row(R, R, R, R, R),
  'hrb-xfj.leader':                row(R, R, R, R, R),
  'hrb-xfj.analyst':               row(R, R, R, R, R),
  'hlj-xfj.registrar':             row(R, R, R, R, R),
  'hlj-xfj.dispatcher':            row(R, R, R, R, R),
  'hlj-xfj.handler':               row(R, R, R, R, R),
  'hlj-xfj.unit_head':             row(R, R, R, R, R),
  'hlj-xfj.supervisor':            row(R, R, R, R, R),
  'hlj-xfj.complaint_supervisor':  row(R, R, R, R, R),
  'hlj-xfj.reviewer':              row(R, R, R, R, R),
  'hlj-xfj.leader':                row(R, R, R, R, R),
  'hlj-xfj.analyst':               row(R, R, R, R, R),
  'hlj-xfj.sysadmin':              row(H, H, H, H, H), // 三员分立: no case content
  'hlj-xfj.secadmin':              row(H, H, H, H, H),
  'hlj-xfj.auditor':               row(H, H, H, H, H),
  'dl-cgj.handler':                row(H, R, R, R, H), // lead of DISP/ACC/CLOSED; accused of ACCUS
  'dl-cgj.unit_head':              row(H, R, R, R, H),
  'dl-zjj.handler':                row(H, H, R, H, R), // co-unit of ACC; lead of ACCUS
  'dl-zjj.unit_head':              row(H, H, R, H, R),
  'bx-xfj.registrar':              row(H, H, H, H, H), // sibling: not its subtree
  'bx-xfj.dispatcher':             row(H, H, H, H, H),
  'bx-xfj.handler':                row(H, H, H, H, H),
  'bx-xfj.unit_head':              row(H, H, H, H, H),
  'bx-xfj.supervisor':             row(H, H, H, H, H),
  'bx-xfj.reviewer':               row(H, H, H, H, H),
  'bx-rsj.handler':                row(H, H, H, H, H),
  'bx-rsj.unit_head':              row(H, H, H, H, H),
  'qqhr-xfj.registrar':            row(H, H, H, H, H), // another city
  'qqhr-xfj.dispatcher':           row(H, H, H, H, H),
  'qqhr-xfj.handler':              row(H, H, H, H, H),
  'qqhr-xfj.unit_head':            row(H, H, H, H, H),
  'qqhr-xfj.supervisor':           row(H, H, H, H, H),
  'qqhr-xfj.reviewer':             row(H, H, H, H, H),
  'qqhr-xfj.leader':               row(H, H, H, H, H),
  'qqhr-xfj.analyst':              row(H, H, H, H, H),
};

// ---- expected to-do: which of the five cases each user has to act on -------------
// (everyone not named: none of them)
const TODO = {
  'dl-xfj.dispatcher': ['REG'],                  // triage what dl-xfj holds
  'dl-xfj.supervisor': ['CLOSED'],               // dl-xfj holds the closed case; suggest runs dispatched … concluded
  'dl-cgj.handler': ['DISP', 'ACC', 'CLOSED'],   // accept; reply; implement the supported decision (clock on the lead)
  'dl-zjj.handler': ['ACCUS'],                   // accept the accusation
};

// ---- expected actions: one representative action per state ------------------------
// columns: transfer on REG (dispatcher of the holder dl-xfj), accept on DISP
// (handler of the holder dl-cgj), reply on ACC (handler of dl-cgj), a staff
// attempt at the petitioner's rate / request_review on CLOSED (no staff role
// may: the petitioner acts through the portal), accept on ACCUS (handler of dl-zjj).
const OK = 'ok';
const ROLE = 'auth.role_denied';
const HOLD = 'case.not_holder';
const GONE = 'case.not_found';
const acts = (transfer, accept, reply, closed, accusAccept) => ({ transfer, accept, reply, closed, accusAccept });
//                                        transfer accept reply closed accusAccept
const ACT = {
  'dl-xfj.registrar':              acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'dl-xfj.dispatcher':             acts(OK,   ROLE, ROLE, ROLE, ROLE),
  'dl-xfj.handler':                acts(ROLE, HOLD, HOLD, ROLE, HOLD),
  'dl-xfj.unit_head':              acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'dl-xfj.supervisor':             acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'dl-xfj.reviewer':               acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hrb-xfj.registrar':             acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hrb-xfj.dispatcher':            acts(HOLD, ROLE, ROLE, ROLE, ROLE),
  'hrb-xfj.handler':               acts(ROLE, HOLD, HOLD, ROLE, HOLD),
  'hrb-xfj.unit_head':             acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hrb-xfj.supervisor':            acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hrb-xfj.reviewer':              acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hrb-xfj.leader':                acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hrb-xfj.analyst':               acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hlj-xfj.registrar':             acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hlj-xfj.dispatcher':            acts(HOLD, ROLE, ROLE, ROLE, ROLE),
  'hlj-xfj.handler':               acts(ROLE, HOLD, HOLD, ROLE, HOLD),
  'hlj-xfj.unit_head':             acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hlj-xfj.supervisor':            acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hlj-xfj.complaint_supervisor':  acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hlj-xfj.reviewer':              acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hlj-xfj.leader':                acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hlj-xfj.analyst':               acts(ROLE, ROLE, ROLE, ROLE, ROLE),
  'hlj-xfj.sysadmin':              acts(GONE, GONE, GONE, GONE, GONE),
  'hlj-xfj.secadmin':              acts(GONE, GONE, GONE, GONE, GONE),
  'hlj-xfj.auditor':               acts(GONE, GONE, GONE, GONE, GONE),
  'dl-cgj.handler':                acts(GONE, OK,   OK,   ROLE, GONE),
  'dl-cgj.unit_head':              acts(GONE, ROLE, ROLE, ROLE, GONE),
  'dl-zjj.handler':                acts(GONE, GONE, HOLD, GONE, OK),
  'dl-zjj.unit_head':              acts(GONE, GONE, ROLE, GONE, ROLE),
  'bx-xfj.registrar':              acts(GONE, GONE, GONE, GONE, GONE),
  'bx-xfj.dispatcher':             acts(GONE, GONE, GONE, GONE, GONE),
  'bx-xfj.handler':                acts(GONE, GONE, GONE, GONE, GONE),
  'bx-xfj.unit_head':              acts(GONE, GONE, GONE, GONE, GONE),
  'bx-xfj.supervisor':             acts(GONE, GONE, GONE, GONE, GONE),
  'bx-xfj.reviewer':               acts(GONE, GONE, GONE, GONE, GONE),
  'bx-rsj.handler':                acts(GONE, GONE, GONE, GONE, GONE),
  'bx-rsj.unit_head':              acts(GONE, GONE, GONE, GONE, GONE),
  'qqhr-xfj.registrar':            acts(GONE, GONE, GONE, GONE, GONE),
  'qqhr-xfj.dispatcher':           acts(GONE, GONE, GONE, GONE, GONE),
  'qqhr-xfj.handler':              acts(GONE, GONE, GONE, GONE, GONE),
  'qqhr-xfj.unit_head':            acts(GONE, GONE, GONE, GONE, GONE),
  'qqhr-xfj.supervisor':           acts(GONE, GONE, GONE, GONE, GONE),
  'qqhr-xfj.reviewer':             acts(GONE, GONE, GONE, GONE, GONE),
  'qqhr-xfj.leader':               acts(GONE, GONE, GONE, GONE, GONE),
  'qqhr-xfj.analyst':              acts(GONE, GONE, GONE, GONE, GONE),
};

// Known disagreements between the tables and the server: `${user} ${column}` → todo text.
const KNOWN = {};

let ctx;
let U;
const C = {};
const OBSERVER = 'dl-xfj.dispatcher'; // sees all five cases (own subtree)

before(async () => {
  ctx = await setup();
  U = {};
  for (const c of Object.keys(UNIT_ROLES)) U[c] = await ctx.unitId(c);
  C.REG = await newCase(ctx, { title: '授权矩阵：已登记' });
  C.DISP = await newCase(ctx, { title: '授权矩阵：已转送' });
  await transfer(ctx, C.DISP.no, 'dl-cgj');
  C.ACC = await newCase(ctx, { title: '授权矩阵：办理中' });
  await toAccepted(ctx, C.ACC.no, 'dl-cgj', ['dl-zjj']);
  C.CLOSED = await newCase(ctx, { title: '授权矩阵：已办结' });
  await toClosed(ctx, C.CLOSED.no);
  C.ACCUS = await newCase(ctx, {
    title: '授权矩阵：举报道里区城市管理局', kind: 'accusation', purpose: 'accuse', category: '1101',
    accused_unit: U['dl-cgj'], accused_name: '张某',
  });
  await transfer(ctx, C.ACCUS.no, 'dl-zjj');
  const obs = await ctx.login(OBSERVER);
  const states = {};
  for (const k of CASES) states[k] = (await obs.getCase(C[k].no)).state;
  assert.deepEqual(states, { REG: 'registered', DISP: 'dispatched', ACC: 'accepted', CLOSED: 'closed', ACCUS: 'dispatched' });
});
after(async () => { await ctx?.close(); });

describe('the tables', () => {
  it('cover every user exactly once, and name only known users and cases', () => {
    assert.deepEqual(Object.keys(READ).sort(), [...USERS].sort());
    assert.deepEqual(Object.keys(ACT).sort(), [...USERS].sort());
    for (const [u, ks] of Object.entries(TODO)) {
      assert.ok(USERS.includes(u), u);
      for (const k of ks) {
        assert.ok(CASES.includes(k), k);
        assert.equal(READ[u][k], R, `${u} has ${k} to do but cannot read it`);
      }
    }
    // the accusation is hidden from every user of the accused unit
    for (const u of USERS.filter((x) => x.startsWith('dl-cgj.'))) assert.equal(READ[u].ACCUS, H, u);
    // whoever may act on a case can read it; whoever cannot read it gets 404
    const col = { transfer: 'REG', accept: 'DISP', reply: 'ACC', closed: 'CLOSED', accusAccept: 'ACCUS' };
    for (const u of USERS) {
      for (const [a, k] of Object.entries(col)) {
        assert.equal(ACT[u][a] === GONE, READ[u][k] === H, `${u} ${a}: ${ACT[u][a]} vs ${READ[u][k]}`);
      }
    }
    // exactly one staff user may take each staff action; none may take the petitioner's
    for (const a of ['transfer', 'accept', 'reply', 'accusAccept']) {
      assert.equal(USERS.filter((u) => ACT[u][a] === OK).length, 1, a);
    }
    assert.equal(USERS.filter((u) => ACT[u].closed === OK).length, 0);
  });

  it('the demo users have the unit and the single role the tables assume', async () => {
    for (const u of USERS) {
      const c = await ctx.login(u);
      const [unit, role] = u.split('.');
      assert.equal(c.unit.code, unit, u);
      assert.deepEqual(c.roles, [role], u);
    }
  });
});

/** How `client` sees case `no`: 'read', 'hidden', or a description of an inconsistency. */
async function classify(client, no, listed) {
  const one = await client.get(`/api/v1/cases/${no}`);
  const ev = await client.get(`/api/v1/cases/${no}/events`);
  const inList = listed.has(no);
  const isNotFound = (r) => r.status === 404 && r.body?.error?.code === 'case.not_found';
  if (one.status === 200 && ev.status === 200 && inList) {
    assert.equal(one.body.no, no);
    assert.equal(ev.body.no, no);
    assert.ok(ev.body.events.length >= 1);
    return R;
  }
  if (isNotFound(one) && isNotFound(ev) && !inList) {
    expectError(one, 404, 'case.not_found');
    expectError(ev, 404, 'case.not_found');
    return H;
  }
  return `inconsistent: GET ${one.status} ${one.body?.error?.code ?? ''}, events ${ev.status} ${ev.body?.error?.code ?? ''}, listed ${inList}`;
}

describe('reads: GET case, GET events, GET /cases, GET /todo', () => {
  for (const user of USERS) {
    const todo = KNOWN[`${user} read`];
    it(`${user}`, { todo }, async () => {
      const c = await ctx.login(user);
      const listed = new Set(await c.listNos());
      const got = {};
      for (const k of CASES) got[k] = await classify(c, C[k].no, listed);
      assert.deepEqual(got, READ[user], `${user}: reads`);
      const t = await c.todo();
      assert.equal(t.status, 200, t.text);
      const inTodo = CASES.filter((k) => t.body.items.some((i) => i.no === C[k].no));
      assert.deepEqual(inTodo, TODO[user] ?? [], `${user}: to-do`);
    });
  }
});

/** One action column: every refused user first (with the exact code, nothing changed), then the allowed one. */
function actionMatrix(column, caseKey, action, body, check) {
  const label = Array.isArray(action) ? action.map(([n]) => n).join(' / ') : action;
  const refused = USERS.filter((u) => ACT[u][column] !== OK);
  const allowed = USERS.filter((u) => ACT[u][column] === OK);
  for (const user of refused) {
    const expected = ACT[user][column];
    it(`${user}: ${label} on ${caseKey} → ${expected}`, { todo: KNOWN[`${user} ${column}`] }, async () => {
      const no = C[caseKey].no;
      const obs = await ctx.login(OBSERVER);
      const snap = await snapshot(obs, no);
      const c = await ctx.login(user);
      for (const [name, b] of Array.isArray(action) ? action : [[action, body]]) {
        const r = await c.act(no, name, typeof b === 'function' ? b() : b);
        if (expected === GONE) expectError(r, 404, 'case.not_found');
        else expectError(r, 403, expected);
        await assertUnchanged(obs, no, snap);
      }
    });
  }
  for (const user of allowed) {
    it(`${user}: ${action} on ${caseKey} → 200`, async () => {
      const no = C[caseKey].no;
      const c = await ctx.login(user);
      const before = (await c.getCase(no)).version;
      const res = await c.acted(no, action, typeof body === 'function' ? body() : body);
      assert.equal(res.version, before + 1);
      await check(res);
    });
  }
}

describe('transfer on a registered case: only the dispatcher of the holding bureau', () => {
  actionMatrix('transfer', 'REG', 'transfer', () => ({ lead_unit: U['dl-cgj'] }), async (res) => {
    assert.equal(res.state, 'dispatched');
    assert.equal(res.holder_unit.id, U['dl-cgj']);
  });
});

describe('accept on a dispatched case: only the handler of the unit it was sent to', () => {
  actionMatrix('accept', 'DISP', 'accept', {}, async (res) => {
    assert.equal(res.state, 'accepted');
  });
});

describe('reply on an accepted case: only the lead unit\'s handler, not the co-unit', () => {
  actionMatrix('reply', 'ACC', 'reply', () => replyBody(), async (res) => {
    assert.equal(res.state, 'replied');
    assert.equal(res.holder_unit.id, U['dl-xfj']);
  });
});

describe('accept on the accusation: only dl-zjj\'s handler; the accused dl-cgj gets 404', () => {
  actionMatrix('accusAccept', 'ACCUS', 'accept', {}, async (res) => {
    assert.equal(res.state, 'accepted');
    assert.equal(res.holder_unit.id, U['dl-zjj']);
  });
});

describe('rate / request_review on a closed case: only the petitioner, through the portal', () => {
  // no staff user may take the petitioner's actions through the staff API
  actionMatrix('closed', 'CLOSED', [['rate', { satisfaction: 'satisfied' }], ['request_review', {}]]);

  it('the portal refuses a wrong query code (404) and changes nothing', async () => {
    const no = C.CLOSED.no;
    const obs = await ctx.login(OBSERVER);
    const snap = await snapshot(obs, no);
    expectError(await ctx.publicAct(no, 'rate', C.REG.code, { satisfaction: 'unsatisfied' }), 404, 'case.not_found');
    expectError(await ctx.publicAct(no, 'request_review', C.REG.code), 404, 'case.not_found');
    await assertUnchanged(obs, no, snap);
  });

  it('the petitioner rates and asks for a review with the right query code', async () => {
    const no = C.CLOSED.no;
    const obs = await ctx.login(OBSERVER);
    const v0 = (await obs.getCase(no)).version;
    const r1 = await ctx.publicAct(no, 'rate', C.CLOSED.code, { satisfaction: 'unsatisfied' });
    assert.equal(r1.status, 200, r1.text);
    const c1 = await obs.getCase(no);
    assert.equal(c1.state, 'closed');
    assert.ok(c1.version > v0);
    const r2 = await ctx.publicAct(no, 'request_review', C.CLOSED.code, { reason: '工资仍未结清' });
    assert.equal(r2.status, 200, r2.text);
    const c2 = await obs.getCase(no);
    assert.equal(c2.state, 'review');
    assert.ok(c2.version > c1.version);
  });
});
