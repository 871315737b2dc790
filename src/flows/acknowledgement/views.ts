// The cards of the acknowledgement flow: the confirmation card and the report (also the weekly digest).
import type { SchoolConfig } from '../../config';
import { DAY, formatDate, formatSchoolTime, schoolDate } from '../../clock';
import { barChart } from '../../png';
import { type Services } from '../types';
import { type Current, type StaffState } from './subjects';

export function card(svc: Services, school: SchoolConfig, cur: Current, confirmedAt?: number): Record<string, unknown> {
  const policy = cur.kind === 'policy';
  return svc.cards.render('acknowledgement/confirm', {
    title: policy ? `Please confirm you have read the ${cur.title}` : `Please confirm: ${cur.title}`,
    version: policy
      ? cur.edition
        ? `${cur.edition} version · ${school.name}`
        : `Version ${cur.hash.slice(0, 8)} (the document does not say its date) · ${school.name}`
      : `${cur.edition ? `${cur.edition} · ` : ''}${school.name} · asked every ${cur.validMonths} months`,
    covers: policy ? 'What it covers' : 'What you confirm',
    urlTitle: policy ? 'Read the whole policy' : 'Open it',
    confirmTitle: policy ? 'I have read and understood it' : 'I confirm this',
    sections: cur.sections.length,
    rules: cur.rules,
    url: cur.url ?? '',
    confirmed: confirmedAt
      ? `Confirmed ${formatSchoolTime(confirmedAt, school.timezone)}. Thank you. You will be asked again in ${cur.validMonths} months${policy ? ' or when the policy changes' : ''}.`
      : '',
    pending: !confirmedAt,
    policyId: cur.policyId,
    hash: cur.hash,
  });
}

export function reportCard(
  svc: Services,
  school: SchoolConfig,
  cur: Current,
  states: StaffState[],
  others: Current[],
  digest = false,
): Record<string, unknown> {
  const done = states.filter((s) => s.confirmed_at);
  const outstanding = states.filter((s) => !s.confirmed_at);
  const unreachable = outstanding.filter((s) => s.unreachable || !s.installed);
  const pct = states.length ? Math.round((done.length / states.length) * 100) : 0;
  // Completion at the end of each of the last eight weeks, for those who would rather look than read.
  const now = svc.clock.now();
  const weeks = Array.from({ length: 8 }, (_, i) => now - (7 - i) * 7 * DAY);
  const shares = weeks.map((w) =>
    states.length ? states.filter((s) => s.confirmed_at !== null && s.confirmed_at <= w).length / states.length : 0,
  );
  return svc.cards.render('acknowledgement/report', {
    // Teams draws the native chart in the person's theme; a client that cannot (iOS) shows the
    // picture, and everyone gets the figures in words below it.
    weeks: weeks.map((w, i) => ({
      x: formatDate(schoolDate(w, school.timezone)).slice(4, -5),
      y: Math.round(shares[i]! * 100),
    })),
    // Eight bars of nothing say less than the sentence below, and a chart scaled to nothing draws
    // its axis in millionths: none until someone has confirmed.
    hasChart: shares.some((x) => x > 0),
    chart: `data:image/png;base64,${barChart(shares).toString('base64')}`,
    chartAlt: `Share confirmed at the end of each of the last 8 weeks: ${shares.map((x) => `${Math.round(x * 100)}%`).join(', ')}`,
    heading: `${digest ? 'Weekly digest: ' : ''}${cur.title} (${cur.edition ? `${cur.edition}${cur.kind === 'policy' ? ' version' : ''}` : cur.kind === 'policy' ? `version ${cur.hash.slice(0, 8)}` : `every ${cur.validMonths} months`})`,
    subject: cur.policyId,
    others: others.map((o) => ({ title: o.title, subject: o.policyId })),
    summary: states.length
      ? `${school.name}: ${done.length} of ${states.length} staff have confirmed (${pct}%).`
      : `${school.name}: nobody is on the staff list yet. It fills from the staff team's roster (or, without one, from everyone who uses the bot) within the hour.`,
    percent: pct,
    outstanding: outstanding
      .filter((s) => !unreachable.includes(s))
      .slice(0, 40)
      .map((s) => s.name),
    unreachable: unreachable
      .slice(0, 40)
      .map((s) => `${s.name}${s.installed ? ' (cannot be reached)' : ' (has not installed the bot)'}`),
    more: outstanding.length > 80 ? `…and more: export the CSV for the full list.` : '',
  });
}
