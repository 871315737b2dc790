import { z } from 'zod';
import type { Actor } from '../../core';
import { toCsv } from '../../csv';
import { forbidden, notFound } from '../../errors';
import { exportLinkMessage } from '../../exports';
import { audit } from '../../store/audit';
import { personalCsvRows, personalRows } from '../../store/personal';
import { action, type Flow, type Services } from '../types';

/** Who may see everything the bot holds about a person: the DPO, and the headteacher. */
const MAY_EXPORT = ['dpo', 'headteacher'] as const;

async function mayExport(svc: Services, actor: Actor): Promise<void> {
  if (!(await svc.directory.holds(actor, MAY_EXPORT)))
    throw forbidden("Only the school's DPO or headteacher can export what the bot holds about a person.");
}

function findCard(
  svc: Services,
  query: string,
  people: Array<{ aadId: string; name: string; email: string }>,
  note = '',
) {
  return svc.cards.render('subject-access/find', {
    query,
    note,
    people: people.map((p) => ({ ...p, line: p.email ? `${p.name} (${p.email})` : p.name })),
  });
}

/**
 * A person's own data, for a subject access request: the DPO (or the headteacher) finds the person
 * and downloads, once, everything the bot holds about them, as each module declares it.
 */
export const subjectAccessFlow: Flow = {
  id: 'subject-access',
  commands: ['personal data', 'subject access', 'export personal data'],
  async start(actor, svc) {
    await mayExport(svc, actor);
    return { card: findCard(svc, '', []) };
  },
  actions: [
    action(
      'subject-access.find',
      z
        .object({ query: z.string().trim().min(2, 'type at least two letters of a name or an email').max(200) })
        .strict(),
      async (actor, d, svc) => {
        await mayExport(svc, actor);
        const people = await svc.directory.search(actor.tenantId, d.query, 10);
        return {
          card: findCard(
            svc,
            d.query,
            people,
            people.length ? '' : `Nobody the bot knows matches "${d.query}". Try part of their name or their email.`,
          ),
        };
      },
    ),
    action('subject-access.export', z.object({ aadId: z.string().min(1).max(100) }).strict(), async (actor, d, svc) => {
      await mayExport(svc, actor);
      const name = await svc.directory.nameOf(actor.tenantId, d.aadId);
      if (!name) throw notFound('That person is not known to the bot.');
      const message = await exportLinkMessage(
        svc,
        actor,
        `personal-data:${d.aadId}`,
        `What the bot holds about ${name}`,
        'it',
        'One row per record: when it was made, what it is, and the record itself. The link and the download are recorded.',
      );
      await audit(svc.db, {
        at: svc.clock.now(),
        schoolId: actor.school.id,
        actorId: actor.id,
        action: 'person.export_link',
        subject: d.aadId,
      });
      return message;
    }),
  ],
  exports: {
    'personal-data': async (svc, actor, aadId) => {
      await mayExport(svc, actor);
      if (!aadId) throw notFound('No person named.');
      const rows = await personalRows(svc.db, svc.schemas, aadId);
      return {
        filename: `personal-data-${aadId.slice(0, 8)}.csv`,
        csv: toCsv([['when', 'what', 'where', 'record'], ...personalCsvRows(rows, actor.school.timezone)]),
      };
    },
  },
};
