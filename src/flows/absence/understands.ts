import { Culture, DateTimeRecognizer } from '@microsoft/recognizers-text-date-time';
import type { IntentDef } from '../types';

/** A role holder saying they will be away, in their own words. */
export const ABSENCE_INTENTS: IntentDef[] = [
  {
    id: 'absence.away',
    title: 'Name a deputy while you are away',
    needs: {
      // Only the person saying they will be away (or asking for cover): "leave them in the car" is not.
      words:
        /\b(?:i(?:'m| am|'ll be| will be| shall be)|i'm going to be)\s+(?:away|off|absent|out (?:of (?:school|the office)|all day|today|tomorrow|next|this|until|from|on)|on (?:a |an |the |my )?(?:(?:maternity|paternity|parental|sick|annual|study|compassionate|jury) )?(?:course|leave|holiday|residential|trip|visit|training|secondment|service))\b|\bdeputi[sz]e\b|\bcover (?:for me|my)\b|\b(?:set|name|need) a deputy\b/i,
    },
    examples: [
      'I am away until Friday',
      "I'll be away next week",
      'I am off sick until Monday',
      'I am on a course tomorrow and Thursday',
      'who will cover my approvals while I am off',
      'can someone deputise for me while I am away',
      'I am on annual leave from Monday',
      'I will be out of school for the residential trip',
      'I need someone to cover my requests this week',
      'set a deputy while I am away',
    ],
  },
];

const recognizer = new DateTimeRecognizer(Culture.English).getDateTimeModel();

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
  for (const r of recognizer.parse(text, now)) {
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
