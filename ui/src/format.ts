// Times, durations and colours as the clerk reads them.

/** "2026-11-22T09:30:00+08:00" → "2026-11-22 09:30" (the server already answers in Asia/Shanghai). */
export function fmtTime(iso?: string | null): string {
  if (!iso) return '';
  return iso.replace('T', ' ').slice(0, 16);
}
export function fmtDate(iso?: string | null): string {
  return iso ? iso.slice(0, 10) : '';
}

/** Remaining time in words: "剩 3天5小时", "超期 2天". */
export function fmtRemaining(sec?: number | null): string {
  if (sec === null || sec === undefined) return '';
  const late = sec < 0;
  let s = Math.abs(sec);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s - h * 3600) / 60);
  const txt = d > 0 ? `${d}天${h ? h + '小时' : ''}` : h > 0 ? `${h}小时${m ? m + '分' : ''}` : `${m}分钟`;
  return late ? `超期 ${txt}` : `剩 ${txt}`;
}

/** Element Plus tag type for a clock state. */
export function dueTagType(state?: string | null): 'success' | 'warning' | 'danger' | 'info' {
  if (state === 'overdue') return 'danger';
  if (state === 'warning') return 'warning';
  if (state === 'running') return 'success';
  return 'info';
}
export const DUE_LABELS: Record<string, string> = {
  running: '正常',
  warning: '临期预警',
  overdue: '已超期',
  paused: '已暂停',
  stopped: '已停止',
};

export function pct(x?: number | null): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return (x * 100).toFixed(1) + '%';
}

export const OUTCOME_LABELS: Record<string, string> = {
  support: '予以支持',
  explain: '解释说明',
  deny: '不予支持',
};
export const SATISFACTION_LABELS: Record<string, string> = {
  satisfied: '满意',
  fair: '基本满意',
  unsatisfied: '不满意',
};

/** Now in Asia/Shanghai, whatever the browser's own time zone: {date: "2026-11-22", time: "09:30:05"}. */
export function shanghaiNow(offsetDays = 0): { date: string; time: string } {
  const d = new Date(Date.now() + offsetDays * 86400000);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(d);
  const g = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { date: `${g('year')}-${g('month')}-${g('day')}`, time: `${g('hour')}:${g('minute')}:${g('second')}` };
}
