import { addDays, fromSchoolTime } from '../clock';
import type { SchoolConfig } from '../config';

/** A period of the school's own dates (both included) as instants: from its first midnight to the midnight after its last day. */
export function periodMs(school: SchoolConfig, from: string, to: string): { start: number; end: number } {
  return {
    start: fromSchoolTime(from, '00:00', school.timezone),
    end: fromSchoolTime(addDays(to, 1), '00:00', school.timezone),
  };
}

/** "3 of 4 (75%)", or "none" when there were none. */
export const share = (n: number, of: number) => (of ? `${n} of ${of} (${Math.round((n / of) * 100)}%)` : 'none');
