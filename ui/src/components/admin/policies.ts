// Time-limit policies (GET /api/v1/policies) and which unit runs on which.
//
// The server decides a unit's policy as: its own assignment (set with POST
// /api/v1/units/{code}/policy, kept in the database), else the policy file's assignment
// (`units` of each policy), else its parent's; the root falls back to `national`
// (src/service/clock.c, clock_unit_policy). GET /api/v1/units does not send the database
// assignment, so it is read from the change log that every assignment writes
// ("单位 dl-zjj（…）的时限策略改为 binhai-stats" / "… 改为 继承上级"); when the server sends
// `policy` on a unit (refdata UnitRow.policy), that wins.
import type { UnitRow } from '../../refdata';

export interface PolicyEntry {
  key: string;
  amount: number;
  unit: string;
  warn_pct: number;
  rule: string;
}
export interface Policy {
  name: string;
  label: string;
  inherits: string | null;
  units: string[];
  entries: PolicyEntry[];
}
export interface PolicyChange {
  at: string;
  actor: string;
  what: string;
}
export interface PolicyList {
  policies: Policy[];
  changes: PolicyChange[];
}

const UNIT_CHANGE = /^单位 (\S+?)（.*）的时限策略改为 (.+)$/;

/** Unit code → its own (database) assignment, null for "inherit", from the change log. */
export function unitAssignments(changes: PolicyChange[], units: UnitRow[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const c of changes) {
    const m = UNIT_CHANGE.exec(c.what);
    if (m) out.set(m[1], m[2] === '继承上级' ? null : m[2]);
  }
  for (const u of units) if (u.policy !== undefined) out.set(u.code, u.policy ?? null);
  return out;
}

export type PolicySource = 'own' | 'file' | 'inherited' | 'default';
export interface UnitPolicy {
  /** the policy the unit runs on */
  policy: string;
  source: PolicySource;
  /** for `inherited`: the unit it comes from */
  from?: string;
}

/** The policy each unit runs on, with where it comes from. */
export function effectivePolicies(units: UnitRow[], list: PolicyList): Map<number, UnitPolicy> {
  const own = unitAssignments(list.changes, units);
  const file = new Map<string, string>();
  for (const p of list.policies) for (const code of p.units) file.set(code, p.name);
  const byId = new Map(units.map((u) => [u.id, u]));
  const out = new Map<number, UnitPolicy>();
  const resolve = (u: UnitRow, depth = 0): UnitPolicy => {
    const done = out.get(u.id);
    if (done) return done;
    let r: UnitPolicy;
    const mine = own.get(u.code);
    if (mine) r = { policy: mine, source: 'own' };
    else if (file.has(u.code)) r = { policy: file.get(u.code)!, source: 'file' };
    else {
      const parent = u.parent_id !== null ? byId.get(u.parent_id) : undefined;
      if (parent && depth < 32) {
        const p = resolve(parent, depth + 1);
        r = { policy: p.policy, source: 'inherited', from: p.source === 'inherited' ? p.from : parent.code };
      } else r = { policy: 'national', source: 'default' };
    }
    out.set(u.id, r);
    return r;
  };
  for (const u of units) resolve(u);
  return out;
}

/** A policy's entries with the ones it inherits, each marked with the policy it comes from. */
export function effectiveEntries(list: Policy[], name: string): (PolicyEntry & { from: string })[] {
  const byName = new Map(list.map((p) => [p.name, p]));
  const seen = new Set<string>();
  const out: (PolicyEntry & { from: string })[] = [];
  let p = byName.get(name);
  while (p && !seen.has(p.name)) {
    seen.add(p.name);
    for (const e of p.entries) if (!out.some((x) => x.key === e.key)) out.push({ ...e, from: p.name });
    p = p.inherits ? byName.get(p.inherits) : undefined;
  }
  return out;
}
