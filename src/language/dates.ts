// Dates and times in people's words, read with Microsoft's Recognizers-Text.
import { Culture, DateTimeRecognizer } from '@microsoft/recognizers-text-date-time';

/** The English date-and-time model, built once and shared (building one takes a moment and memory). */
let model: ReturnType<DateTimeRecognizer['getDateTimeModel']> | undefined;
export function dateTimeModel(): ReturnType<DateTimeRecognizer['getDateTimeModel']> {
  return (model ??= new DateTimeRecognizer(Culture.English).getDateTimeModel());
}

/**
 * The days away a message names, as school dates after today, read in one pass of the recogniser
 * (tens of milliseconds on a long sentence). `until`, the last: "until Friday" is Friday, "next
 * week" runs to the week's end, "back on Monday" ends the day before. `from`, the first, when the
 * message says when it starts ("on leave from Monday", "starting Tuesday"). Days named plainly are
 * the first and the last: "off on Friday" is Friday alone, "tomorrow and Friday" runs between them;
 * a span named whole ("next week") runs from its first day.
 */
export function daysAway(text: string, today: string): { from?: string; until?: string } {
  const now = new Date(`${today}T12:00:00`);
  const back = /\bback\b/i.test(text);
  const out: { from?: string; until?: string } = {};
  const named: string[] = [];
  const earliest = (days: string[]) => days.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d >= today).sort()[0];
  for (const r of dateTimeModel().parse(text, now)) {
    const values = (r.resolution?.values ?? []) as Array<{
      timex?: string;
      value?: string;
      start?: string;
      end?: string;
      Mod?: string;
    }>;
    // Both ends named ("from Monday until Wednesday", "Monday to Wednesday"): the first day is the
    // range's start, and the last is the day named, not the day before it.
    // Of the range's readings (this week's, next week's), the first that has not started yet.
    const range = values
      .filter((v) => v.timex?.startsWith('(') && v.start && v.end && v.start.slice(0, 10) >= today)
      .sort((a, b) => a.start!.localeCompare(b.start!))[0];
    if (range) {
      const from = range.start!.slice(0, 10);
      // Each day name is resolved on its own: "Monday until Wednesday" read on a Tuesday ends
      // before it starts. The end is the first such day on or after the start.
      let until = range.end!.slice(0, 10);
      while (until < from) until = shift(until, 7);
      out.from ??= from;
      out.until ??= until;
      continue;
    }
    if (/\b(?:from|starting|beginning|as of)\s+(?:on\s+)?$/i.test(text.slice(0, r.start))) {
      out.from ??= earliest(values.map((v) => (v.value ?? v.start ?? '').slice(0, 10)));
      continue;
    }
    // A span named whole ("next week", "the whole of half term") starts when it starts, or today.
    const span = values.find((v) => v.start && v.end && v.Mod !== 'before');
    if (span && !back) out.from ??= span.start!.slice(0, 10) < today ? today : span.start!.slice(0, 10);
    const day = earliest(
      values.map((v) => {
        // "Until Friday" ends on Friday; a range ("next week") ends the day before its end.
        if (v.end) return v.Mod === 'before' ? v.end.slice(0, 10) : shift(v.end.slice(0, 10), -1);
        const day = (v.value ?? v.start ?? '').slice(0, 10);
        return back && day ? shift(day, -1) : day;
      }),
    );
    // A day named on its own ("off sick tomorrow", "on a course on Friday") is a day away, the
    // first and the last; several ("tomorrow and Friday") run from the first to the last.
    if (day && !back && values.every((v) => !v.end) && !UNTIL_BEFORE.test(text.slice(0, r.start))) named.push(day);
    else out.until ??= day;
  }
  if (named.length) {
    named.sort();
    out.from ??= named[0];
    out.until ??= named.at(-1);
  }
  return out;
}

/** The words before a day that say it is the last one away: "until Friday", "till the 12th", "to Monday". */
const UNTIL_BEFORE = /\b(?:until|till|til|to|through|thru|up to|by)\s+(?:on\s+|the\s+)?$/i;

function shift(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
