import { BREACH_SCHEMA } from './schema';
import { z } from 'zod';
import { fromSchoolTime, isoSchoolTime } from '../../clock';
import { toCsv } from '../../csv';
import { AppError, badInput } from '../../errors';
import { exportLinkMessage } from '../../exports';
import { FormSubmit, dropEmpty, keysOf, newFormId } from '../forms';
import { action, type Flow, type Services } from '../types';
import type { Actor } from '../../core';
import { periodMs, share } from '../termly';
import { ROLE_TITLES } from '../../config';
import {
  CATEGORIES,
  CAUSES,
  DATA_KINDS,
  DEFAULT_BREACH_ROUTE,
  ICO_DETAIL_LABELS,
  IcoDetails,
  isNearMiss,
  OTHER_ORGS,
  TRAINING,
  INVOLVEMENT,
  PEOPLE_COUNT,
  RISK,
  WHOSE,
  YES_NO_UNKNOWN,
} from './model';
import { report } from './service';
import { change } from './changes';
import { icoCopy, listForLog, open, waitingFor } from './reading';
import { allForExport } from './store';
import { logRoles } from './access';
import { tick } from './deadline';
import { describeProblems } from '../../approvals/conditions';
import { logCard, reportForm } from './views';
import { BREACH_INTENTS, BREACH_LOG_INTENT, WARM_TIMES, whenSaid } from './understands';

/** A date and a time as Adaptive Card inputs send them (a time may be left empty). */
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'give the date as the date picker does');
const TIME = z.string().regex(/^(\d{2}:\d{2})?$/, 'give the time as hh:mm');

const BreachId = z.object({ breachId: z.string().uuid() });
const text = (max: number, message: string) => z.string().trim().min(1, message).max(max);

export const breachFlow: Flow = {
  id: 'breach',
  schema: BREACH_SCHEMA,
  waiting: (actor, svc) => waitingFor(svc, actor),
  /** Breaches reported in the term: by kind, whether the ICO was told, whether the 72 hours were kept. */
  async termly(svc, school, from, to) {
    const { start, end } = periodMs(school, from, to);
    const all = (await allForExport(svc, school.id)).filter(
      (b) => b.record.reportedAt >= start && b.record.reportedAt < end,
    );
    const decided = all.filter((b) => b.record.ico);
    const byKind = Object.entries(CATEGORIES)
      .map(([k, title]) => ({ title, n: all.filter((b) => b.record.report.category === k).length }))
      .filter((x) => x.n);
    return {
      title: 'Data breaches',
      facts: [
        { label: 'Reported', value: String(all.length) },
        ...byKind.map((x) => ({ label: `· ${x.title}`, value: String(x.n) })),
        {
          label: 'Near misses (no data lost, seen or changed)',
          value: String(all.filter((b) => isNearMiss(b.record)).length),
        },
        {
          label: 'Decided on within 72 hours',
          value: share(decided.filter((b) => !b.record.ico!.late).length, decided.length),
        },
        { label: 'Reported to the ICO', value: String(all.filter((b) => b.record.icoNotified).length) },
        { label: 'Still open', value: String(all.filter((b) => b.record.status !== 'closed').length) },
      ],
    };
  },
  menu: { title: 'Report a data breach', description: 'Report a data breach or a suspected one, straight away' },
  commands: ['report a breach', 'report breach', 'breach', 'data breach', 'report a data breach'],
  start: async (_actor, svc) => ({ card: reportForm(svc, { formId: newFormId() }) }),
  actions: [
    action(
      'breach.start',
      z
        .object({
          description: z.string().max(2000).optional(),
          happenedOn: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).optional(),
          happenedAt: z.union([z.literal(''), z.string().regex(/^\d{2}:\d{2}$/)]).optional(),
        })
        .strict(),
      async (_actor, d, svc) => {
        // A time said with the day is when they noticed it; a day alone is when it happened.
        const at = d.happenedOn && d.happenedAt ? { discoveredOn: d.happenedOn, discoveredAt: d.happenedAt } : {};
        return {
          card: reportForm(svc, {
            formId: newFormId(),
            description: d.description ?? '',
            happenedOn: d.happenedOn && !d.happenedAt ? d.happenedOn : '',
            ...at,
          }),
        };
      },
    ),
    action('breach.submit', FormSubmit, async (actor, data, svc) => {
      try {
        return { card: (await report(svc, actor, data.formId, dropEmpty(data))).card };
      } catch (err) {
        // Bad input: the same form comes back as they left it, with the problem on top.
        if (err instanceof AppError && err.code === 'bad_input')
          return { card: reportForm(svc, { ...data }, err.userMessage) };
        throw err;
      }
    }),
    action('breach.acknowledge', BreachId.strict(), async (actor, d, svc) => ({
      card: await change(svc, actor, d.breachId, { kind: 'acknowledge' }),
    })),
    action(
      'breach.assess',
      BreachId.extend({
        risk: z.enum(keysOf(RISK), { message: 'pick a level of risk' }),
        riskNotes: text(2000, 'give the reasons'),
      }).strict(),
      async (actor, d, svc) => ({
        card: await change(svc, actor, d.breachId, { kind: 'assess', risk: d.risk, notes: d.riskNotes }),
      }),
    ),
    action(
      'breach.decide',
      BreachId.extend({
        notifyIco: z.enum(['yes', 'no'], { message: 'say whether to tell the ICO' }),
        icoReason: text(2000, 'give the reason for the ICO decision'),
        tellAffected: z.enum(['yes', 'no'], { message: 'say whether to tell the people affected' }),
        affectedReason: text(2000, 'give the reason for telling (or not telling) the people affected'),
        delayReason: z.string().trim().max(2000).optional(),
        againstReason: z.string().trim().max(2000).optional(),
      }).strict(),
      async (actor, d, svc) => ({
        card: await change(svc, actor, d.breachId, {
          kind: 'decide',
          notify: d.notifyIco === 'yes',
          reason: d.icoReason,
          tell: d.tellAffected === 'yes',
          tellReason: d.affectedReason,
          delayReason: d.delayReason || undefined,
          againstReason: d.againstReason || undefined,
        }),
      }),
    ),
    action('breach.details', BreachId.catchall(z.union([z.string().max(4000), z.number()])), async (actor, d, svc) => {
      const { breachId, ...raw } = d;
      const parsed = IcoDetails.safeParse(dropEmpty(raw));
      if (!parsed.success) throw badInput(describeProblems(parsed.error.issues, ICO_DETAIL_LABELS));
      return { card: await change(svc, actor, breachId, { kind: 'details', details: parsed.data }) };
    }),
    action('breach.ico-copy', BreachId.strict(), async (actor, d, svc) => ({
      card: await icoCopy(svc, actor, d.breachId),
    })),
    action(
      'breach.action',
      BreachId.extend({ actionText: text(2000, 'describe the action') }).strict(),
      async (actor, d, svc) => ({
        card: await change(svc, actor, d.breachId, { kind: 'action', text: d.actionText }),
      }),
    ),
    action(
      'breach.close',
      BreachId.extend({
        closingSummary: text(4000, 'summarise the effects and what was done'),
        // Close cards sent before the notification was recorded on its own still carry this field.
        icoReference: z.string().trim().max(100).optional(),
      }).strict(),
      async (actor, d, svc) => ({
        card: await change(svc, actor, d.breachId, { kind: 'close', summary: d.closingSummary }),
      }),
    ),
    action(
      'breach.notified',
      BreachId.extend({
        who: z.enum(['ico', 'people']),
        icoOn: DATE.optional(),
        icoAt: TIME.optional(),
        icoRef: z.string().trim().max(300).optional(),
        peopleOn: DATE.optional(),
        peopleAt: TIME.optional(),
        peopleHow: z.string().trim().max(300).optional(),
      }).strict(),
      async (actor, d, svc) => {
        const [on, at, detail] = d.who === 'ico' ? [d.icoOn, d.icoAt, d.icoRef] : [d.peopleOn, d.peopleAt, d.peopleHow];
        if (!on) throw badInput('Please give the date. Nothing was saved yet.');
        if (!detail)
          throw badInput(
            d.who === 'ico'
              ? "Please give the ICO's reference. Nothing was saved yet."
              : 'Please say how the people were told. Nothing was saved yet.',
          );
        return {
          card: await change(svc, actor, d.breachId, {
            kind: 'notified',
            who: d.who,
            // A day without a time: midday, or now when that is later today than now.
            on: at
              ? fromSchoolTime(on, at, actor.school.timezone)
              : Math.min(fromSchoolTime(on, '12:00', actor.school.timezone), svc.clock.now()),
            detail,
          }),
        };
      },
    ),
    action('breach.open', BreachId.strict(), async (actor, d, svc) => ({ card: await open(svc, actor, d.breachId) })),
    action('breach.export', z.object({}).strict(), async (actor, _d, svc) => {
      await listForLog(svc, actor, 1); // the same access check as the log, audited
      return exportLinkMessage(svc, actor, 'breach-log', 'Breach log export', 'the breach log');
    }),
  ],
  understands: () => BREACH_INTENTS,
  warm: () => {
    for (const w of WARM_TIMES) whenSaid(`it happened ${w}`, new Date());
  },
  /** "I left the register on the bus yesterday": offer the report, with their words and the day filled in. */
  async onIntent(actor, u, svc) {
    // "Who do I tell?" is answered too: the people this school's reports go to first.
    const first = (actor.school.routing.breach?.stages ?? DEFAULT_BREACH_ROUTE).find((s) => !s.when);
    const who = first ? first.roles.map((r) => `the ${ROLE_TITLES[r]}`).join(' or ') : 'the people who handle breaches';
    const when = whenSaid(u.text, new Date(svc.clock.now()));
    return {
      card: svc.cards.render('breach/offer', {
        text: `That sounds like it could be a data breach. Please report it now, even if you are not sure: it goes straight to ${who}, and the school has only 72 hours to act.`,
        hint: 'Do not try to fix it yourself or delete anything first. What you wrote is already in the report.',
        button: 'Report it now',
        description: u.text.slice(0, 2000),
        happenedOn: when.date ?? '',
        happenedAt: when.time ?? '',
      }),
    };
  },
  tick: (svc) => tick(svc),
  exports: {
    'breach-log': async (svc, actor) => {
      if (!(await svc.directory.holds(actor, logRoles(actor.school)))) throw new AppError('forbidden', 'not allowed');
      const tz = actor.school.timezone;
      const t = (ms: number | undefined) => (ms ? isoSchoolTime(ms, tz) : '');
      const rows: Array<Array<string | number | undefined>> = [
        [
          'Reference',
          'Reported',
          'School aware',
          'What happened',
          'Description',
          'Whose data',
          'Kinds of data',
          'How many people',
          'Protected',
          'Contained',
          'Reporter',
          'Risk',
          'Risk reasons',
          'Near miss',
          'Cause',
          'Cause in detail',
          'People affected (number)',
          'Records affected (number)',
          'Staff involved',
          'Data-protection training',
          'Reporter last confirmed the policy',
          'Measures in place before',
          'Others told',
          'Others told (detail)',
          'ICO told',
          'ICO reason',
          'ICO decided',
          'ICO decided by',
          'Decision departs from the assessment',
          'Why it departs',
          'Delay reasons',
          'People affected told',
          'Reason',
          'Actions taken',
          'ICO reference',
          'ICO told on',
          'People affected told on',
          'How they were told',
          'Closed',
          'Effects and remedial action',
        ],
      ];
      for (const b of await allForExport(svc, actor.school.id)) {
        const r = b.record;
        if (
          r.excludedRoles.length &&
          !svc.directory.selfApprovalAllowed &&
          (await svc.directory.holds(actor, r.excludedRoles))
        )
          continue;
        rows.push([
          b.ref,
          t(r.reportedAt),
          t(r.awareAt),
          CATEGORIES[r.report.category],
          r.report.description,
          r.report.whose?.map((w) => WHOSE[w]).join('; ') ?? 'Not said',
          r.report.dataKinds?.map((k) => DATA_KINDS[k]).join('; ') ?? 'Not said',
          PEOPLE_COUNT[r.report.peopleCount],
          YES_NO_UNKNOWN[r.report.protected],
          YES_NO_UNKNOWN[r.report.contained],
          `${r.reporterName} (${INVOLVEMENT[r.report.involvement]})`,
          r.assessment ? RISK[r.assessment.risk] : '',
          r.assessment?.notes,
          isNearMiss(r) ? 'Yes' : 'No',
          r.details ? CAUSES[r.details.cause] : '',
          r.details?.causeDetail,
          r.details?.people,
          r.details?.records,
          r.details?.staffInvolved,
          r.details ? TRAINING[r.details.training] : '',
          t(r.reporterConfirmedAt),
          r.details?.measuresBefore,
          r.details?.otherOrgs?.map((o) => OTHER_ORGS[o]).join('; '),
          r.details?.otherOrgsDetail,
          r.ico ? (r.ico.notify ? (r.icoNotified ? 'Yes' : 'Decided, not yet told') : 'No') : '',
          r.ico?.reason,
          t(r.ico?.at),
          r.ico?.byName,
          r.ico?.against,
          r.ico?.againstReason,
          r.ico?.delayReason,
          r.affected ? (r.affected.tell ? 'Yes' : 'No') : '',
          r.affected?.reason,
          r.actions.map((a) => `${t(a.at)} ${a.byName}: ${a.text}`).join(' | '),
          r.icoReference,
          t(r.icoNotified?.on),
          t(r.peopleTold?.on),
          r.peopleTold?.how,
          t(r.closed?.at),
          r.closed?.summary,
        ]);
      }
      return { filename: `breach-log-${actor.school.id}.csv`, csv: toCsv(rows) };
    },
  },
};

/** The breach log as its reader may see it. */
async function showLog(actor: Actor, svc: Services) {
  return { card: logCard(svc, actor.school, await listForLog(svc, actor)) };
}

/** The breach log card: for the handler roles, the headteacher and the DPO. */
export const breachLogFlow: Flow = {
  id: 'breach-log',
  commands: ['breach log', 'breaches', 'export breach log'],
  start: (actor, svc) => showLog(actor, svc),
  actions: [],
  // "Are there any open breaches?": the log, for those it is for.
  understands: () => [BREACH_LOG_INTENT],
  onIntent: (actor, _u, svc) => showLog(actor, svc),
};
