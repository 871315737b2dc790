import { isoSchoolTime } from '../../clock';
import type { SchoolConfig } from '../../config';
import { toCsv } from '../../csv';
import type { Services } from '../types';
import { dueOf, HOW, KINDS } from './model';
import * as store from './store';

/** The whole log as a CSV, dates in ISO 8601 with the school's offset, for the people who keep it. */
export async function logCsv(svc: Services, school: SchoolConfig): Promise<{ filename: string; csv: string }> {
  const tz = school.timezone;
  const rows = await store.all(svc.db, school.id);
  return {
    filename: 'subject-access-and-foi-log.csv',
    csv: toCsv([
      [
        'Reference',
        'Kind',
        'From',
        'Received',
        'How',
        'Identity',
        'Clock from',
        'What they asked for',
        'Due',
        'Extended to',
        'Extended because',
        'Logged by',
        'Logged at',
        'Sent on',
        'On time',
        'What was sent',
        'Closed by',
        'Closed at',
      ],
      ...rows.map((r) => {
        const due = dueOf(r);
        return [
          r.ref,
          KINDS[r.kind],
          r.requester,
          r.received_on,
          HOW[r.received_how],
          r.identity,
          r.clock_from ?? '',
          r.summary,
          r.due_on ?? '',
          r.extended_to ?? '',
          r.extension_reason ?? '',
          r.logged_by_name,
          isoSchoolTime(r.logged_at, tz),
          r.sent_on ?? '',
          r.sent_on && due ? (r.sent_on <= due ? 'yes' : 'no') : '',
          r.outcome ?? '',
          r.closed_by_name ?? '',
          r.closed_at ? isoSchoolTime(r.closed_at, tz) : '',
        ];
      }),
    ]),
  };
}
