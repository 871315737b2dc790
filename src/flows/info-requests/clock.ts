import { addCalendarMonths, addSchoolDays, nextWeekday, type Holiday } from '../../clock';

/**
 * When an answer is due, as UK law sets it for schools.
 * - Subject access (UK GDPR): one calendar month from the day the clock starts (receipt, or the
 *   day the requester's identity was confirmed when it had to be asked for); a due date on a
 *   weekend moves to the Monday. Complex or numerous requests may be extended by two further
 *   months, if the requester is told why within the first month.
 * - Freedom of information (for maintained schools and academies): 20 school days, not counting
 *   the school's holidays, or 60 working days if that comes first.
 */
export function dueOn(kind: 'sar' | 'foi', from: string, holidays: readonly Holiday[]): string {
  if (kind === 'sar') return nextWeekday(addCalendarMonths(from, 1));
  const school = addSchoolDays(from, 20, holidays);
  const working = addSchoolDays(from, 60);
  return school < working ? school : working;
}

/** The latest a subject access answer may be extended to: three calendar months from the start. */
export function extendedDueOn(from: string): string {
  return nextWeekday(addCalendarMonths(from, 3));
}
