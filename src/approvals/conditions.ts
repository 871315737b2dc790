import type { Condition } from '../config';

/** Whether a stage's condition holds for a request's answers (no condition: always). */
export function conditionHolds(c: Condition | undefined, data: Record<string, unknown>): boolean {
  if (!c) return true;
  const v = data[c.field];
  if ('equals' in c) return v === c.equals || String(v) === String(c.equals);
  if ('in' in c) return c.in.includes(String(v));
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : [];
  return c.includesAny.some((x) => list.includes(x));
}

/** Turns zod's complaints into one sentence a member of staff can act on. */
export function describeProblems(
  issues: { path: (string | number)[]; message: string }[],
  labels: Record<string, string> = {},
): string {
  const parts = issues.slice(0, 5).map((i) => {
    const key = String(i.path[0] ?? '');
    return `${labels[key] ?? (key || 'the form')}: ${i.message}`;
  });
  return `Please check the form. ${parts.join('; ')}.`;
}
