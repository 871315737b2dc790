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
 * message says when it starts ("on leave from Monday", "starting Tuesday").
 */
export function daysAway(text: string, today: string): { from?: string; until?: string } {
  const now = new Date(`${today}T12:00:00`);
  const back = /\bback\b/i.test(text);
  const out: { from?: string; until?: string } = {};
  const earliest = (days: string[]) => days.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d >= today).sort()[0];
  for (const r of dateTimeModel().parse(text, now)) {
    const values = (r.resolution?.values ?? []) as Array<{
      value?: string;
      start?: string;
      end?: string;
      Mod?: string;
    }>;
    if (/\b(?:from|starting|beginning|as of)\s+(?:on\s+)?$/i.test(text.slice(0, r.start))) {
      out.from ??= earliest(values.map((v) => (v.value ?? v.start ?? '').slice(0, 10)));
      continue;
    }
    out.until ??= earliest(
      values.map((v) => {
        // "Until Friday" ends on Friday; a range ("next week") ends the day before its end.
        if (v.end) return v.Mod === 'before' ? v.end.slice(0, 10) : shift(v.end.slice(0, 10), -1);
        const day = (v.value ?? v.start ?? '').slice(0, 10);
        return back && day ? shift(day, -1) : day;
      }),
    );
  }
  return out;
}

function shift(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
