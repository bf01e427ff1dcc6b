// The shapes of GET /api/v1/cases/{no} and its companions (docs/API.md, "Cases", "Attachments").

export interface UnitRef {
  id: number;
  name: string;
}

export interface CaseAction {
  action: string;
  label: string;
}

export interface Petitioner {
  ord: number;
  name: string;
  sex?: string | null;
  id_type?: string | null;
  id_number?: string | null;
  phone?: string | null;
  address?: string | null;
  address_code?: string | null;
  workplace?: string | null;
  representative?: boolean;
}

export interface Clock {
  name: string;
  label: string;
  rule: string;
  state: 'running' | 'warning' | 'overdue' | 'paused' | 'stopped' | string;
  start: string;
  due: string;
  limit: string;
  escalate?: boolean;
  policy?: string | null;
  run?: number;
  unit?: UnitRef | null;
  remaining_seconds?: number | null;
  stopped?: string | null;
  on_time?: boolean;
}

/** A reply (答复) or a review / recheck decision (复查 / 复核意见). */
export interface Decision {
  outcome?: 'support' | 'explain' | 'deny' | string;
  facts?: string;
  opinion?: string;
  legal_basis?: string;
  delivery?: 'signed' | 'refused' | string;
  witness?: string | null;
  unit_id?: number;
}

export interface Attachment {
  id: string;
  name: string;
  type: string;
  content_type: string;
  size: number;
  sha256?: string;
  uploaded_at: string;
  uploaded_by: { kind: 'staff' | 'petitioner' | string; name?: string; unit?: UnitRef | null };
  url: string;
}

export interface Relation {
  rel: string;
  no: string;
}

export interface Owner {
  username: string;
  name: string;
  unit?: UnitRef | null;
  since?: string;
}

export interface OversightEntry {
  seq?: number;
  action: string;
  action_label?: string;
  at: string;
  actor_name?: string | null;
  actor_unit_name?: string | null;
  to_unit?: UnitRef | null;
  reason?: string | null;
  opinion?: string | null;
  comment?: string | null;
  due_days?: number | null;
  due_at?: string | null;
}

export interface CaseView {
  no: string;
  version: number;
  state: string;
  state_label: string;
  channel: string;
  kind: string;
  purpose: string;
  category: string;
  locality: string;
  title: string;
  content: string;
  request: string;
  flags: string[];
  people_count?: number | null;
  involved_count?: number | null;
  petition_date?: string | null;
  registered_at: string;
  updated_at?: string;
  accused_name?: string | null;
  dispatch_mode?: string | null;
  dispatched_at?: string | null;
  assign_due_days?: number | null;
  accepted_at?: string | null;
  extension?: string | null;
  extension_days?: number | null;
  reply?: Decision | null;
  replied_at?: string | null;
  closed_at?: string | null;
  stage?: number;
  satisfaction?: string | null;
  rated_at?: string | null;
  review_requested_at?: string | null;
  review_decision?: Decision | null;
  recheck_requested_at?: string | null;
  recheck_decision?: Decision | null;
  ended_reason?: string | null;
  route?: string | null;
  merged_into?: string | null;
  repeat_of?: string | null;
  suggestion?: Record<string, unknown> | null;
  suggestion_state?: string | null;
  suggestion_feedback?: Record<string, unknown> | null;
  due_at?: string | null;
  actions: CaseAction[];
  petitioners: Petitioner[];
  relations: Relation[];
  clocks: Clock[];
  attachments: Attachment[];
  co_units: UnitRef[];
  owner?: Owner | null;
  oversight?: OversightEntry[];
  registered_unit?: UnitRef | null;
  dispatch_unit?: UnitRef | null;
  holder_unit?: UnitRef | null;
  lead_unit?: UnitRef | null;
  accused_unit?: UnitRef | null;
  review_unit?: UnitRef | null;
  recheck_unit?: UnitRef | null;
  suggestion_unit?: UnitRef | null;
}

export interface CaseEvent {
  seq: number;
  at: string;
  actor_kind: 'staff' | 'petitioner' | 'system' | string;
  actor_name?: string | null;
  actor_unit_name?: string | null;
  action: string;
  from_state: string;
  to_state: string;
  payload: Record<string, unknown>;
}

export interface SimilarCandidate {
  no: string;
  holder_unit?: UnitRef | null;
  score: number;
  in_scope: boolean;
  title?: string;
  state?: string;
  state_label?: string;
  registered_at?: string;
  similarity?: number;
  relation?: 'repeat' | 'related' | 'none' | string;
  reasons?: string[];
}
