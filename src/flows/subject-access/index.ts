import { z } from 'zod';
import type { Actor } from '../../core';
import { toCsv } from '../../csv';
import { badInput, forbidden, notFound } from '../../errors';
import { ROLE_TITLES } from '../../config';
import { formatSchoolTime } from '../../clock';
import { exportLinkMessage } from '../../exports';
import { audit } from '../../store/audit';
import { erasePerson, personalCsvRows, personalRows } from '../../store/personal';
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
 * A person's right to erasure: first what would go and what stays (with the reason the law lets
 * the school keep it), then, confirmed, the erasure itself, in one transaction, audited. Someone
 * who holds a role in the bot is refused until the configuration names someone else.
 */
async function erasure(actor: Actor, svc: Services, aadId: string, dryRun: boolean) {
  await mayExport(svc, actor);
  const name = await svc.directory.nameOf(actor.tenantId, aadId);
  if (!name) throw notFound('That person is not known to the bot.');
  const roles = await svc.directory.rolesOf({ id: aadId, tenantId: actor.tenantId, name, school: actor.school });
  if (roles.length)
    throw badInput(
      `${name} holds a role in the bot (${roles.map((r) => ROLE_TITLES[r]).join(', ')}): name someone else in the school's configuration first. Nothing was erased.`,
    );
  const now = svc.clock.now();
  const plan = dryRun
    ? await erasePerson(svc.db, svc.schemas, aadId, true)
    : await svc.db.transaction(async (tx) => {
        const done = await erasePerson(tx, svc.schemas, aadId, false);
        await audit(tx, {
          at: now,
          schoolId: actor.school.id,
          actorId: actor.id,
          action: 'person.erased',
          subject: aadId,
          detail: { deleted: done.deleted.map((x) => ({ table: x.table, rows: x.rows })) },
        });
        return done;
      });
  if (dryRun)
    await audit(svc.db, {
      at: now,
      schoolId: actor.school.id,
      actorId: actor.id,
      action: 'person.erasure_checked',
      subject: aadId,
    });
  const rows = (n: number) => `${n} record${n === 1 ? '' : 's'}`;
  return {
    card: svc.cards.render('subject-access/erase', {
      title: dryRun ? `Erasing what the bot holds about ${name}` : `Erased what the bot held about ${name}`,
      intro: dryRun
        ? 'What erasure would delete, and what the school keeps because the law lets it (or asks it to).'
        : `Done, ${formatSchoolTime(now, actor.school.timezone)}. The erasure itself is in the audit trail.`,
      deletedHeading: dryRun ? 'Deleted' : 'Deleted now',
      deleted: plan.deleted.map((x) => `${x.about}: ${rows(x.rows)}`),
      kept: plan.kept.map((x) => `${x.about}: ${rows(x.rows)}, because ${x.reason}`),
      canErase: dryRun && plan.deleted.length > 0,
      aadId,
    }),
  };
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
    action('subject-access.erase-check', z.object({ aadId: z.string().min(1).max(100) }).strict(), (actor, d, svc) =>
      erasure(actor, svc, d.aadId, true),
    ),
    action('subject-access.erase', z.object({ aadId: z.string().min(1).max(100) }).strict(), (actor, d, svc) =>
      erasure(actor, svc, d.aadId, false),
    ),
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
