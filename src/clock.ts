/** Time is injected so tests (and the jobs) can move it. Milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can set and move. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number | string | Date): void {
    this.t = typeof t === 'number' ? t : new Date(t).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** "Tue 24 Nov, 14:05" in the school's zone: what staff read on a card. */
export function formatSchoolTime(ms: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f.format(new Date(ms));
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();
/** The wall-clock parts of an instant in a zone (for schedules and working days). */
export function zonedParts(ms: number, timeZone: string): { year: number; month: number; day: number; weekday: number; hour: number; minute: number } {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    partFormatters.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    weekday: weekdays.indexOf(get('weekday')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
  };
}

/** Adds working days (Mon–Fri in the school's zone) to an instant, keeping the time of day. */
export function addWorkingDays(ms: number, days: number, timeZone: string): number {
  let t = ms;
  let left = days;
  while (left > 0) {
    t += DAY;
    const wd = zonedParts(t, timeZone).weekday;
    if (wd !== 0 && wd !== 6) left -= 1;
  }
  return t;
}
