import { ROLE_TITLES, type SchoolConfig } from '../../config';
import { formatSchoolTime, HOUR } from '../../clock';
import type { Fact } from '../../core';
import { cleanFacts } from '../../approvals/views';
import type { Services } from '../types';
import {
  CATEGORIES,
  CAUSES,
  DATA_KINDS,
  firstSteps,
  isNearMiss,
  OTHER_ORGS,
  SPECIAL_KINDS,
  TRAINING,
  PEOPLE_COUNT,
  RISK,
  WHOSE,
  YES_NO_UNKNOWN,
  type BreachRecord,
} from './model';
import type { Breach } from './store';

const REPORTER_ROLE = {
  involved: 'was involved',
  saw: 'saw it or found it',
  heard: 'heard about it from someone else',
} as const;
const list = <T extends Record<string, string>>(o: T, values: string[]) =>
  values.map((v) => o[v as keyof T] ?? v).join(', ');
const roleList = (roles: string[]) => roles.map((r) => ROLE_TITLES[r as keyof typeof ROLE_TITLES] ?? r).join(', ');

export function reportFacts(rec: BreachRecord, tz: string): Fact[] {
  const r = rec.report;
  return cleanFacts([
    { label: 'What happened', value: CATEGORIES[r.category] },
    { label: 'Description', value: r.description },
    { label: 'When it happened', value: r.happenedOn ?? '' },
    { label: 'School aware since', value: formatSchoolTime(rec.awareAt, tz) },
    { label: 'Still happening?', value: YES_NO_UNKNOWN[r.ongoing] },
    { label: 'Whose data', value: r.whose ? list(WHOSE, r.whose) : 'Not said' },
    { label: 'Kinds of data', value: r.dataKinds ? list(DATA_KINDS, r.dataKinds) : 'Not said' },
    { label: 'How many people', value: PEOPLE_COUNT[r.peopleCount] },
    { label: 'Encrypted or password protected?', value: YES_NO_UNKNOWN[r.protected] },
    { label: 'Contained or recovered?', value: YES_NO_UNKNOWN[r.contained] },
    { label: 'Done so far', value: r.actionsSoFar ?? '' },
    { label: 'Reporter', value: `${rec.reporterName} (${REPORTER_ROLE[r.involvement]})` },
  ]);
}

function clockLine(school: SchoolConfig, rec: BreachRecord, now: number): { text: string; color: string } {
  const tz = school.timezone;
  if (isNearMiss(rec) && !rec.ico)
    return {
      text: `A near miss (assessed by ${rec.assessment!.byName}): no personal data was lost, seen or changed, so no ICO decision is owed. It stays in the breach log.`,
      color: 'Good',
    };
  if (rec.ico) {
    const when = formatSchoolTime(rec.ico.at, tz);
    if (!rec.ico.notify)
      return { text: `Not reported to the ICO (decided by ${rec.ico.byName}, ${when}).`, color: 'Good' };
    if (rec.icoNotified)
      return {
        text: `ICO told ${formatSchoolTime(rec.icoNotified.on, tz)}, reference ${rec.icoNotified.reference}.`,
        color: 'Good',
      };
    return {
      text: `ICO to be told (decided by ${rec.ico.byName}, ${when}), not recorded as told yet. The 72 hours ${now > rec.deadline ? 'ended' : 'end'} ${formatSchoolTime(rec.deadline, tz)}.`,
      color: now > rec.deadline ? 'Attention' : 'Warning',
    };
  }
  const left = rec.deadline - now;
  if (left <= 0)
    return {
      text: `The 72 hours ended ${formatSchoolTime(rec.deadline, tz)}. Record the ICO decision now, with the reasons for the delay.`,
      color: 'Attention',
    };
  const hours = Math.floor(left / HOUR);
  return {
    text: `Decide whether to tell the ICO by ${formatSchoolTime(rec.deadline, tz)} (${hours} hour${hours === 1 ? '' : 's'} left).`,
    color: hours < 24 ? 'Attention' : 'Warning',
  };
}

export function reminderLine(b: Breach, now: number): string {
  const hours = Math.max(0, Math.floor((b.record.deadline - now) / HOUR));
  return `Reminder: ${hours} hours left to decide whether to tell the ICO about ${b.ref}.`;
}

function history(b: Breach, tz: string): string[] {
  const rec = b.record;
  const out = [`${formatSchoolTime(rec.reportedAt, tz)}: reported by ${rec.reporterName}`];
  if (rec.acknowledged)
    out.push(`${formatSchoolTime(rec.acknowledged.at, tz)}: acknowledged by ${rec.acknowledged.byName}`);
  if (rec.assessment)
    out.push(
      `${formatSchoolTime(rec.assessment.at, tz)}: ${RISK[rec.assessment.risk].toLowerCase()}, assessed by ${rec.assessment.byName}. ${rec.assessment.notes}`.trim(),
    );
  if (rec.escalated) out.push('Escalated to the headteacher and the DPO: no ICO decision in time.');
  if (rec.ico) {
    out.push(
      `${formatSchoolTime(rec.ico.at, tz)}: ICO ${rec.ico.notify ? 'to be told' : 'not to be told'}, decided by ${rec.ico.byName}. Reason: ${rec.ico.reason}${rec.ico.late ? ` Delay: ${rec.ico.delayReason ?? ''}` : ''}`,
    );
    if (rec.ico.against)
      out.push(
        `The decision departs from the assessment: it was ${rec.ico.against}. Why: ${rec.ico.againstReason ?? ''}`,
      );
  }
  if (rec.details)
    out.push(
      `${formatSchoolTime(rec.details.at, tz)}: ICO details saved by ${rec.details.byName} (cause: ${CAUSES[rec.details.cause].toLowerCase()})`,
    );
  if (rec.affected)
    out.push(
      `People affected: ${rec.affected.tell ? 'to be told' : 'not told'}${!rec.affected.tell && rec.assessment?.risk === 'high' ? ', although the risk was assessed as high (the law asks for them to be told unless an exception applies: say which in the reason)' : ''}. Reason: ${rec.affected.reason}`,
    );
  if (rec.icoNotified)
    out.push(
      `${formatSchoolTime(rec.icoNotified.on, tz)}: the ICO was told (reference ${rec.icoNotified.reference}), recorded by ${rec.icoNotified.byName}`,
    );
  if (rec.peopleTold)
    out.push(
      `${formatSchoolTime(rec.peopleTold.on, tz)}: the people affected were told (${rec.peopleTold.how}), recorded by ${rec.peopleTold.byName}`,
    );
  for (const a of rec.actions) out.push(`${formatSchoolTime(a.at, tz)}: ${a.byName}: ${a.text}`);
  if (rec.icoReference && !rec.icoNotified) out.push(`ICO reference: ${rec.icoReference}`);
  if (rec.closed)
    out.push(`${formatSchoolTime(rec.closed.at, tz)}: closed by ${rec.closed.byName}. ${rec.closed.summary}`);
  return out;
}

const options = (o: Record<string, string>) => Object.entries(o).map(([value, title]) => ({ value, title }));

/** The ICO details form's values: what was saved, else what the report already says. */
function detailValues(rec: BreachRecord): Record<string, string | number> {
  const d = rec.details;
  return {
    cause: d?.cause ?? '',
    causeDetail: d?.causeDetail ?? '',
    people: d?.people ?? (rec.report.peopleCount === '1' ? 1 : ''),
    records: d?.records ?? '',
    staffInvolved: d?.staffInvolved ?? (rec.report.involvement === 'involved' ? rec.reporterName : ''),
    training: d?.training ?? '',
    measuresBefore: d?.measuresBefore ?? '',
    otherOrgs: d?.otherOrgs?.join(',') ?? '',
    otherOrgsDetail: d?.otherOrgsDetail ?? '',
  };
}

/** What the bot knows of the reporter's own training when they were involved: their policy confirmation. */
function trainingHint(rec: BreachRecord, tz: string): string {
  if (rec.report.involvement !== 'involved') return '';
  return rec.reporterConfirmedAt
    ? `${rec.reporterName} last confirmed the school's policy in the bot on ${formatSchoolTime(rec.reporterConfirmedAt, tz)}.`
    : `The bot has no confirmation of the school's policy from ${rec.reporterName}.`;
}

/**
 * The record laid out in the order of the ICO's online breach report form, to paste from: the
 * form cannot be saved part-way, so the handler has everything in one place before starting it.
 */
export function icoCopyCard(svc: Services, school: SchoolConfig, b: Breach): Record<string, unknown> {
  const rec = b.record;
  const r = rec.report;
  const tz = school.timezone;
  const d = rec.details;
  const t = (ms?: number) => (ms ? formatSchoolTime(ms, tz) : 'Not recorded');
  const missing = 'Not recorded yet (ICO details)';
  const special = (r.dataKinds ?? []).filter((k) => SPECIAL_KINDS.includes(k));
  const sections = [
    {
      heading: 'About the breach',
      facts: [
        { label: 'Our reference', value: b.ref },
        { label: 'What happened', value: `${CATEGORIES[r.category]}. ${r.description}` },
        { label: 'Cause', value: d ? `${CAUSES[d.cause]}${d.causeDetail ? `: ${d.causeDetail}` : ''}` : missing },
        { label: 'Was it a cyber incident?', value: d ? (d.cause === 'cyber' ? 'Yes' : 'No') : missing },
        { label: 'When it happened', value: r.happenedOn ?? 'Not known' },
        { label: 'When the school found out', value: t(rec.awareAt) },
        {
          label: 'How the school found out',
          value: `Reported in the school's bot by ${rec.reporterName}, ${t(rec.reportedAt)}`,
        },
        { label: 'Is it still happening?', value: YES_NO_UNKNOWN[r.ongoing] },
      ],
    },
    {
      heading: 'Personal data',
      facts: [
        { label: 'Kinds of data', value: r.dataKinds ? list(DATA_KINDS, r.dataKinds) : 'Not said' },
        {
          label: 'Special category or criminal offence data',
          value: special.length ? list(DATA_KINDS, special) : 'None reported',
        },
        { label: 'Whose data', value: r.whose ? list(WHOSE, r.whose) : 'Not said' },
        {
          label: 'How many people',
          value: d?.people !== undefined ? String(d.people) : `${PEOPLE_COUNT[r.peopleCount]} (reporter's estimate)`,
        },
        { label: 'How many records', value: d?.records !== undefined ? String(d.records) : missing },
        { label: 'Encrypted or password protected?', value: YES_NO_UNKNOWN[r.protected] },
      ],
    },
    {
      heading: 'Consequences',
      facts: [
        { label: 'Risk to people', value: rec.assessment ? RISK[rec.assessment.risk] : 'Not assessed yet' },
        { label: 'What could happen to them', value: rec.assessment?.notes ?? 'Not assessed yet' },
      ],
    },
    {
      heading: 'Staff involved and training',
      facts: [
        { label: 'Member(s) of staff involved', value: d?.staffInvolved || (d ? 'None named' : missing) },
        { label: 'Data-protection training', value: d ? TRAINING[d.training] : missing },
        ...(trainingHint(rec, tz) ? [{ label: 'On record in the bot', value: trainingHint(rec, tz) }] : []),
      ],
    },
    {
      heading: 'Before and after',
      facts: [
        { label: 'Measures in place before', value: d?.measuresBefore || missing },
        { label: 'Contained or recovered?', value: YES_NO_UNKNOWN[r.contained] },
        {
          label: 'What has been done',
          value:
            [r.actionsSoFar, ...rec.actions.map((a) => `${t(a.at)}, ${a.byName}: ${a.text}`)]
              .filter(Boolean)
              .join('\n') || 'Nothing recorded yet',
        },
      ],
    },
    {
      heading: 'Telling people',
      facts: [
        {
          label: 'The people affected',
          value: rec.peopleTold
            ? `Told ${t(rec.peopleTold.on)} (${rec.peopleTold.how})`
            : rec.affected
              ? rec.affected.tell
                ? 'To be told, not yet recorded as told'
                : `Not to be told: ${rec.affected.reason}`
              : 'Not decided yet',
        },
        {
          label: 'Other organisations told',
          value: d?.otherOrgs?.length
            ? `${list(OTHER_ORGS, d.otherOrgs)}${d.otherOrgsDetail ? ` (${d.otherOrgsDetail})` : ''}`
            : d
              ? 'None'
              : missing,
        },
      ],
    },
    {
      heading: 'Timing',
      facts: [
        { label: 'The 72 hours end', value: t(rec.deadline) },
        ...(rec.ico?.late ? [{ label: 'Why the report is late', value: rec.ico.delayReason ?? '' }] : []),
      ],
    },
  ];
  return svc.cards.render('breach/ico-copy', {
    title: `${b.ref} for the ICO's breach report form`,
    intro: `${school.name}'s record in the order the ICO's online form asks for it. The form cannot be saved part-way: have this open beside it. What is marked "not recorded yet" can be added with ICO details.`,
    sections,
    breachId: b.id,
  });
}

/** The handler's card: the report, the 72-hour clock, the history, and the next steps as buttons. */
export function handlerCard(svc: Services, school: SchoolConfig, b: Breach, banner?: string): Record<string, unknown> {
  const rec = b.record;
  const now = svc.clock.now();
  const clock = clockLine(school, rec, now);
  const open = rec.status !== 'closed';
  return svc.cards.render('breach/handler', {
    title: `Data breach report ${b.ref}`,
    subtitle: `Handled by: ${roleList(rec.handlerRoles)}${rec.escalated ? ', Headteacher, Data Protection Officer' : ''} · version ${b.version}`,
    banner: banner ?? '',
    clock: rec.status === 'closed' ? `Closed ${formatSchoolTime(rec.closed!.at, school.timezone)}.` : clock.text,
    clockColor: rec.status === 'closed' ? 'Good' : clock.color,
    facts: reportFacts(rec, school.timezone),
    history: history(b, school.timezone),
    breachId: b.id,
    canAcknowledge: open && !rec.acknowledged,
    // The copy for the ICO form, while a report to the ICO may be owed.
    canCopy: open && (rec.assessment?.risk === 'risk' || rec.assessment?.risk === 'high' || Boolean(rec.ico?.notify)),
    details: detailValues(rec),
    trainingHint: trainingHint(rec, school.timezone),
    causes: options(CAUSES),
    trainings: options(TRAINING),
    orgs: options(OTHER_ORGS),
    canAssess: open && !rec.ico,
    canDecide: open && Boolean(rec.assessment) && !isNearMiss(rec) && !rec.ico,
    late: now > rec.deadline,
    canAct: open,
    canClose: open && (Boolean(rec.ico) || isNearMiss(rec)),
    canRecordIco: open && Boolean(rec.ico?.notify) && !rec.icoNotified,
    canRecordPeople: open && Boolean(rec.affected?.tell) && !rec.peopleTold,
    risk: rec.assessment?.risk ?? '',
  });
}

/** What the reporter gets at once: a reference, what happens next, and what to do now. */
/** Exactly who the report went to, as the reporter should know it. */
function whoWasTold(b: Breach): string {
  const told = b.record.told;
  // Reports made before the names were kept say the roles.
  if (!told) return `It has gone to: ${roleList(b.record.handlerRoles)}. They will contact you.`;
  if (!told.length)
    return 'The bot could not send it to anyone: tell your headteacher in person now. Your report is kept.';
  return `It has gone to ${told.join(', ')} (${roleList(b.record.handlerRoles)}). They will contact you.`;
}

export function receiptCard(svc: Services, school: SchoolConfig, b: Breach, created: boolean): Record<string, unknown> {
  return svc.cards.render('breach/receipt', {
    headline: created ? `Thank you. Your report is ${b.ref}` : `This report was already sent: ${b.ref}`,
    next: `${whoWasTold(b)} The school has 72 hours from ${formatSchoolTime(b.record.awareAt, school.timezone)} to decide whether to tell the Information Commissioner's Office.`,
    steps: firstSteps(b.record.report.category),
    alsoTell: 'If someone could be at risk of harm now, also tell the Designated Safeguarding Lead in person.',
  });
}

export function reportForm(svc: Services, values: Record<string, unknown>, error = ''): Record<string, unknown> {
  return svc.cards.render('breach/report', {
    error,
    category: '',
    description: '',
    happenedOn: '',
    discoveredOn: '',
    discoveredAt: '',
    ongoing: 'unknown',
    whose: '',
    dataKinds: '',
    peopleCount: 'unknown',
    protected: 'unknown',
    contained: 'unknown',
    actionsSoFar: '',
    involvement: 'saw',
    concernsRole: 'none',
    ...values,
  });
}

export function logCard(svc: Services, school: SchoolConfig, items: Breach[]): Record<string, unknown> {
  return svc.cards.render('breach/log', {
    heading: `Breach log: ${school.name}`,
    empty: 'No breaches have been reported.',
    items: items.map((b) => ({
      ref: b.ref,
      summary: CATEGORIES[b.record.report.category],
      state: `${isNearMiss(b.record) ? 'near miss · ' : ''}${b.record.status}${b.record.ico ? ` · ICO ${b.record.ico.notify ? (b.record.icoNotified ? 'told' : 'decided: to be told') : 'not told'}` : ''} · reported ${formatSchoolTime(b.record.reportedAt, school.timezone)}`,
      breachId: b.id,
    })),
  });
}

/**
 * The reporter's view of their report as it is handled, kept current in place: which steps are
 * done and when, never the handlers' notes, assessment or the people affected.
 */
export function progressCard(svc: Services, school: SchoolConfig, b: Breach): Record<string, unknown> {
  const r = b.record;
  const when = (at?: number) => (at ? `, ${formatSchoolTime(at, school.timezone)}` : '');
  const steps = [
    { line: `Reported${when(r.reportedAt)}`, done: true },
    { line: `Taken up by the people who handle breaches${when(r.acknowledged?.at)}`, done: Boolean(r.acknowledged) },
    { line: `Risk to people assessed${when(r.assessment?.at)}`, done: Boolean(r.assessment) },
    { line: `Decided whether to tell the ICO${when(r.ico?.at)}`, done: Boolean(r.ico) },
    { line: `Closed${when(r.closed?.at)}`, done: Boolean(r.closed) },
  ].map((s) => ({ ...s, icon: s.done ? '✓' : '○' }));
  return svc.cards.render('breach/progress', {
    title: `Your breach report ${b.ref}`,
    summary: r.closed ? 'It has been dealt with and closed. Thank you for reporting it.' : 'It is being handled.',
    steps,
  });
}
