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
/**
 * The one way a time is shown to a person: the school's timezone, UK style, always with the year
 * ("Tue 24 Nov 2026, 23:10"). A permission that "lasts until Wed 24 Nov" must not be read as this year.
 */
export function formatSchoolTime(ms: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** The one way a time is written to a CSV or a record: ISO 8601 with the school's UTC offset then. */
export function isoSchoolTime(ms: number, timeZone: string): string {
  const z = zonedParts(ms, timeZone);
  const local = Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute);
  const offset = Math.round((local - Math.floor(ms / 60_000) * 60_000) / 60_000);
  const second = Math.floor(ms / 1000) % 60;
  const sign = offset < 0 ? '-' : '+';
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offset) % 60).padStart(2, '0');
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(z.year, 4)}-${pad(z.month)}-${pad(z.day)}T${pad(z.hour)}:${pad(z.minute)}:${pad(second)}${sign}${hh}:${mm}`;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();
/** The wall-clock parts of an instant in a zone (for schedules and working days). */
export function zonedParts(
  ms: number,
  timeZone: string,
): { year: number; month: number; day: number; weekday: number; hour: number; minute: number } {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
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

export interface Holiday {
  from: string;
  to: string;
}

/** "2026-12-21": the school-zone calendar date of an instant. */
export function schoolDate(ms: number, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export function isHoliday(ms: number, timeZone: string, holidays: readonly Holiday[] = []): boolean {
  const d = schoolDate(ms, timeZone);
  return holidays.some((h) => d >= h.from && d <= h.to);
}

/** Adds working days (Mon–Fri in the school's zone, school holidays skipped) to an instant, keeping the time of day. */
export function addWorkingDays(ms: number, days: number, timeZone: string, holidays: readonly Holiday[] = []): number {
  let t = ms;
  let left = days;
  while (left > 0) {
    t += DAY;
    const wd = zonedParts(t, timeZone).weekday;
    if (wd !== 0 && wd !== 6 && !isHoliday(t, timeZone, holidays)) left -= 1;
  }
  return t;
}

/**
 * The instant a school-zone wall-clock time names ("2026-03-29", "01:30" in Europe/London).
 * Found by correcting a UTC guess with the zone's offset at that moment, twice, so it holds across
 * daylight-saving changes.
 */
export function fromSchoolTime(date: string, time: string, timeZone: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wanted = Date.UTC(y, mo - 1, d, h, mi);
  let t = wanted;
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(t, timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    t += wanted - shown;
  }
  return t;
}

/** Calendar-date arithmetic on "YYYY-MM-DD" (no time, no zone): the school's own dates. */
const utcOf = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
};
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const weekdayOf = (date: string) => new Date(utcOf(date)).getUTCDay();
const inHoliday = (date: string, holidays: readonly Holiday[]) => holidays.some((h) => date >= h.from && date <= h.to);

export function addDays(date: string, days: number): string {
  return dateOf(utcOf(date) + days * DAY);
}

/** Whole days from one date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcOf(to) - utcOf(from)) / DAY);
}

/**
 * The same day of the month `months` later ("5 March" → "5 April"); when that month has no such
 * day, its last day ("31 January" → "28 February").
 */
export function addCalendarMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return dateOf(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last)));
}

/** The date itself when it is a weekday, else the Monday after. */
export function nextWeekday(date: string): string {
  const wd = weekdayOf(date);
  return wd === 6 ? addDays(date, 2) : wd === 0 ? addDays(date, 1) : date;
}

/**
 * The date `days` school days after a date: weekdays, not in the school's holidays (the day itself
 * does not count). Without holidays, working days.
 */
export function addSchoolDays(date: string, days: number, holidays: readonly Holiday[] = []): string {
  let d = date;
  for (let left = days; left > 0;) {
    d = addDays(d, 1);
    const wd = weekdayOf(d);
    if (wd !== 0 && wd !== 6 && !inHoliday(d, holidays)) left -= 1;
  }
  return d;
}

/** "Mon 21 Dec 2026": a date as a person reads it, with its year. */
export function formatDate(date: string): string {
  const d = new Date(utcOf(date));
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${days[d.getUTCDay()]} ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}
