import { z } from 'zod';
import { addDays, daysBetween, formatDate, schoolDate } from '../../clock';
import type { SchoolConfig } from '../../config';
import type { Actor } from '../../core';
import { toCsv } from '../../csv';
import { forbidden } from '../../errors';
import { exportLinkMessage } from '../../exports';
import { enqueueSend } from '../../outbox/outbox';
import { isMarked, once } from '../../store/counters';
import { action, type Flow, type Services, type TermlySection } from '../types';

const READERS = ['headteacher', 'dpo'] as const;
/** A term that ended longer ago than this when the bot first runs is not reported late. */
const SEND_WITHIN_DAYS = 14;

interface Term {
  name: string;
  from: string;
  to: string;
}

async function mayRead(svc: Services, actor: Actor): Promise<void> {
  if (!(await svc.directory.holds(actor, READERS)))
    throw forbidden('The termly report is for the headteacher and the DPO (who present it to governors).');
}

/** The term a date falls in, else the last one that ended; without terms, the 90 days up to the date. */
function termAt(school: SchoolConfig, today: string): Term {
  const terms = [...school.terms].sort((a, b) => a.from.localeCompare(b.from));
  const now = terms.find((t) => t.from <= today && today <= t.to);
  const last = terms.filter((t) => t.to < today).pop();
  return now ?? last ?? { name: 'The last 90 days', from: addDays(today, -89), to: today };
}

/** Every flow's figures for the term, in registry order. */
async function sections(svc: Services, flows: () => Flow[], school: SchoolConfig, t: Term): Promise<TermlySection[]> {
  const out: TermlySection[] = [];
  for (const f of flows()) if (f.termly) out.push(await f.termly(svc, school, t.from, t.to));
  return out;
}

async function reportCard(svc: Services, flows: () => Flow[], school: SchoolConfig, t: Term, headline = '') {
  const today = schoolDate(svc.clock.now(), school.timezone);
  const soFar = today <= t.to ? ` (so far: ${daysBetween(t.from, today) + 1} days)` : '';
  return svc.cards.render('governors/report', {
    headline,
    title: `Information security: ${t.name}`,
    period: `${formatDate(t.from)} to ${formatDate(t.to)}${soFar}. Counts only: nobody is named.`,
    sections: await sections(svc, flows, school, t),
    from: t.from,
    to: t.to,
  });
}

/**
 * The governors' termly report: every flow's figures for the term (breaches and how they were
 * handled, subject access and FOI requests on time or late, permission requests, policy
 * confirmation, consent look-ups), as a card for the headteacher and the DPO, a CSV, and sent to
 * them at the end of each term the school's YAML lists.
 */
export function governorsFlow(flows: () => Flow[]): Flow {
  return {
    id: 'governors',
    commands: ['termly report', 'governors report', 'report for governors'],
    async start(actor, svc) {
      await mayRead(svc, actor);
      const t = termAt(actor.school, schoolDate(svc.clock.now(), actor.school.timezone));
      return { card: await reportCard(svc, flows, actor.school, t) };
    },
    actions: [
      action(
        'governors.export',
        z
          .object({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })
          .strict(),
        async (actor, d, svc) => {
          await mayRead(svc, actor);
          return exportLinkMessage(svc, actor, `termly:${d.from}_${d.to}`, 'Termly report export', 'the report');
        },
      ),
    ],
    exports: {
      termly: async (svc, actor, arg) => {
        await mayRead(svc, actor);
        const [from = '', to = ''] = (arg ?? '').split('_');
        const t = actor.school.terms.find((x) => x.from === from && x.to === to) ?? { name: 'Period', from, to };
        const rows = (await sections(svc, flows, actor.school, t)).flatMap((s) =>
          s.facts.map((f) => [s.title, f.label.replace(/^· /, ''), f.value]),
        );
        return {
          filename: `termly-report-${from}-to-${to}.csv`,
          csv: toCsv([['Term', t.name, `${from} to ${to}`], ['Section', 'Figure', 'Value'], ...rows]),
        };
      },
    },
    /** At the end of each term, the report goes to the headteacher and the DPO, once. */
    async tick(svc) {
      const now = svc.clock.now();
      for (const school of svc.config.file.schools) {
        const today = schoolDate(now, school.timezone);
        for (const t of school.terms) {
          const since = daysBetween(t.to, today);
          if (since < 1 || since > SEND_WITHIN_DAYS) continue;
          // Asked first: the report's figures are gathered once, not on every pass for two weeks.
          const mark = `termly:${school.id}:${t.from}:${t.to}`;
          if (await isMarked(svc.db, mark)) continue;
          const holders = await svc.directory.holders(school, [...READERS]);
          if (!holders.length) continue;
          const card = await reportCard(svc, flows, school, t, `${t.name} has ended: the figures for the governors`);
          await once(svc.db, [mark], now, async (tx) => {
            for (const h of holders)
              await enqueueSend(
                tx,
                {
                  schoolId: school.id,
                  tenantId: school.tenantId,
                  recipient: h,
                  message: { card },
                  cardKey: `termly:${school.id}:${t.from}:${h.key}`,
                },
                now,
              );
          });
        }
      }
    },
  };
}
