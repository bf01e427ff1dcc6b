// Code lists and the unit tree (GET /api/v1/codes, GET /api/v1/units), loaded once per session.
import { reactive } from 'vue';
import { get } from './api';

export interface Code {
  code: string;
  label: string;
  parent?: string;
}
export interface UnitRow {
  id: number;
  parent_id: number | null;
  code: string;
  name: string;
  type: string;
  level: string;
  division?: string;
  policy?: string | null;
}

export const ref = reactive<{ codes: Record<string, Code[]>; units: UnitRow[]; loaded: boolean }>({
  codes: {},
  units: [],
  loaded: false,
});

let pending: Promise<void> | null = null;
export function loadRefData(force = false): Promise<void> {
  if (ref.loaded && !force) return Promise.resolve();
  if (!pending || force)
    pending = Promise.all([get('/api/v1/codes'), get('/api/v1/units')])
      .then(([codes, units]) => {
        ref.codes = codes;
        ref.units = units.items;
        ref.loaded = true;
      })
      .finally(() => {
        pending = null;
      });
  return pending;
}

export function label(list: string, code: string | null | undefined): string {
  if (!code) return '';
  return ref.codes[list]?.find((c) => c.code === code)?.label ?? code;
}

export interface TreeNode {
  value: string | number;
  label: string;
  children?: TreeNode[];
}

/** The unit tree for pickers; `filter` keeps units (and the ancestors needed to reach them). */
export function unitTree(filter?: (u: UnitRow) => boolean): TreeNode[] {
  const kids = new Map<number | null, UnitRow[]>();
  for (const u of ref.units) {
    if (!kids.has(u.parent_id)) kids.set(u.parent_id, []);
    kids.get(u.parent_id)!.push(u);
  }
  const build = (p: number | null): TreeNode[] =>
    (kids.get(p) || []).flatMap((u) => {
      const ch = build(u.id);
      const keep = !filter || filter(u);
      if (!keep && !ch.length) return [];
      const node: TreeNode & { disabled?: boolean } = { value: u.id, label: u.name };
      if (ch.length) node.children = ch;
      if (!keep) node.disabled = true;
      return [node];
    });
  return build(null);
}

export function unitName(id: number | null | undefined): string {
  if (id === null || id === undefined) return '';
  return ref.units.find((u) => u.id === id)?.name ?? String(id);
}
