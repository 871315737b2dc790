import { ACKNOWLEDGEMENT_SCHEMA } from './schema';
import { z } from 'zod';
import { isoSchoolTime } from '../../clock';
import type { Actor } from '../../core';
import { toCsv } from '../../csv';
import { AppError, forbidden } from '../../errors';
import { exportLinkMessage } from '../../exports';
import { addIfAbsent } from '../../identity/staff';
import { share } from '../termly';
import { audit } from '../../store/audit';
import type { Db } from '../../store/db';
import { ackIntents, titleWords } from './understands';
import { words } from '../../language/words';
import { action, type Flow, type Services } from '../types';
import { attestations, currentPolicy, staffStates, subject, subjects, validUntil } from './subjects';
import { card, reportCard } from './views';
import { tick } from './weekly';

const REPORT_ROLES = ['headteacher', 'dpo'] as const;

/**
 * When a person last confirmed any of the school's policies (whatever version), for records that
 * note it (a breach they were involved in). Undefined when the bot has no confirmation from them.
 */
export async function lastConfirmed(db: Db, schoolId: string, aadId: string): Promise<number | undefined> {
  const r = await db.get<{ at: number | null }>(
    'SELECT MAX(at) AS at FROM acknowledgements WHERE school_id = ? AND aad_id = ?',
    [schoolId, aadId],
  );
  return r?.at == null ? undefined : Number(r.at);
}

/** The report on one thing to confirm (the first by default), with buttons to the others. */
async function report(actor: Actor, svc: Services, id?: string) {
  if (!(await svc.directory.holds(actor, [...REPORT_ROLES])))
    throw forbidden('The acknowledgement report is for the headteacher and the DPO.');
  const all = await subjects(svc, actor.school);
  const cur = id ? await subject(svc, actor.school, id) : all[0];
  if (!cur) return { text: 'Nothing is set up for staff to confirm.' };
  await audit(svc.db, {
    at: svc.clock.now(),
    schoolId: actor.school.id,
    actorId: actor.id,
    action: 'ack.report_viewed',
    subject: actor.school.id,
    detail: { subject: cur.policyId },
  });
  const states = await staffStates(svc, svc.db, actor.school, cur);
  return {
    card: reportCard(
      svc,
      actor.school,
      cur,
      states,
      all.filter((x) => x.policyId !== cur.policyId),
    ),
  };
}

export const acknowledgementFlow: Flow = {
  id: 'acknowledgement',
  schema: ACKNOWLEDGEMENT_SCHEMA,
  /** Where the policy confirmation stands now, and how many staff the bot cannot reach. */
  async termly(svc, school) {
    const facts: Array<{ label: string; value: string }> = [];
    let unreachable = 0;
    for (const cur of await subjects(svc, school)) {
      const states = await staffStates(svc, svc.db, school, cur);
      facts.push({
        label: cur.kind === 'policy' ? 'Staff who have confirmed the current version' : `Confirmed: ${cur.title}`,
        value: share(
          states.filter((s) => s.confirmed_at && validUntil(cur, s.confirmed_at) > svc.clock.now()).length,
          states.length,
        ),
      });
      unreachable = Math.max(unreachable, states.filter((s) => s.unreachable || !s.installed).length);
    }
    return {
      title: 'Policy confirmation',
      facts: [...facts, { label: 'Staff the bot cannot reach', value: String(unreachable) }],
    };
  },
  commands: ['acknowledgements', 'acknowledgement report', 'policy confirmations'],
  start: (actor, svc) => report(actor, svc),
  understands: (school) => ackIntents(school),
  /** "Have I confirmed the policy?": the person's own card, confirmed or waiting; the report for those who see it. */
  async onIntent(actor, u, svc) {
    if (u.intent === 'acknowledgement.report' && (await svc.directory.holds(actor, [...REPORT_ROLES])))
      return report(actor, svc);
    // The attestation the message names by the words of its title, else the policy.
    const said = new Set(words(u.text));
    const named = attestations(actor.school)
      .map((a) => ({ a, n: titleWords(a.title).filter((w) => said.has(w)).length }))
      .filter((x) => x.n > 0)
      .sort((x, y) => y.n - x.n)[0]?.a;
    const cur = named ?? (await currentPolicy(svc, actor.school)) ?? attestations(actor.school)[0];
    if (!cur) return { text: `${actor.school.name} has not set up a policy to confirm.` };
    const last = await svc.db.get<{ at: number | null }>(
      'SELECT MAX(at) AS at FROM acknowledgements WHERE school_id = ? AND aad_id = ? AND policy_id = ? AND hash = ?',
      [actor.school.id, actor.id, cur.policyId, cur.hash],
    );
    const valid = last?.at && validUntil(cur, Number(last.at)) > svc.clock.now() ? Number(last.at) : undefined;
    return { card: card(svc, actor.school, cur, valid) };
  },
  actions: [
    // Reading the policy in the chat, a section at a time, before confirming it.
    action(
      'acknowledgement.read',
      z.object({ policyId: z.string().max(60), section: z.number().int().min(-1).max(500) }).strict(),
      async (actor, d, svc) => {
        const cur = await subject(svc, actor.school, d.policyId);
        const s = cur.sections[d.section];
        if (!s) return { card: card(svc, actor.school, cur) };
        const next = cur.sections[d.section + 1];
        return {
          card: svc.cards.render('acknowledgement/read', {
            heading: `${cur.title}: section ${d.section + 1} of ${cur.sections.length}`,
            title: s.title,
            text: s.text,
            policyId: cur.policyId,
            hash: cur.hash,
            next: next ? d.section + 1 : -1,
            nextTitle: next ? `Next: ${next.title}` : '',
            previous: d.section - 1,
            last: !next,
          }),
        };
      },
    ),
    action(
      'acknowledgement.confirm',
      z.object({ policyId: z.string().max(60), hash: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
      async (actor, d, svc) => {
        const school = actor.school;
        const cur = await subject(svc, school, d.policyId);
        if (cur.hash !== d.hash) return { card: card(svc, school, cur) }; // an old version's card: show the current one to read
        const now = svc.clock.now();
        await svc.db.transaction(async (tx) => {
          await addIfAbsent(tx, school.id, actor.id, actor.name, now);
          await tx.run('INSERT INTO acknowledgements (school_id, aad_id, policy_id, hash, at) VALUES (?, ?, ?, ?, ?)', [
            school.id,
            actor.id,
            cur.policyId,
            cur.hash,
            now,
          ]);
          await audit(tx, {
            at: now,
            schoolId: school.id,
            actorId: actor.id,
            action: 'ack.confirmed',
            subject: cur.policyId,
            detail: { hash: cur.hash },
          });
        });
        return { card: card(svc, school, cur, now) };
      },
    ),
    action(
      'acknowledgement.export',
      z.object({ subject: z.string().max(60).optional() }).strict(),
      async (actor, d, svc) => {
        if (!(await svc.directory.holds(actor, [...REPORT_ROLES])))
          throw forbidden('The acknowledgement report is for the headteacher and the DPO.');
        const cur = await subject(
          svc,
          actor.school,
          d.subject ?? (await subjects(svc, actor.school))[0]?.policyId ?? '',
        );
        return exportLinkMessage(svc, actor, `acknowledgements:${cur.policyId}`, `${cur.title}: export`, 'the list');
      },
    ),
    action('acknowledgement.report', z.object({ subject: z.string().max(60) }).strict(), (actor, d, svc) =>
      report(actor, svc, d.subject),
    ),
  ],
  tick,
  exports: {
    acknowledgements: async (svc, actor: Actor, arg) => {
      if (!(await svc.directory.holds(actor, [...REPORT_ROLES]))) throw new AppError('forbidden', 'not allowed');
      const cur = await subject(svc, actor.school, arg ?? '');
      const rows: Array<Array<string>> = [['Name', 'Confirmed', 'Valid until', 'Reachable']];
      for (const s of await staffStates(svc, svc.db, actor.school, cur)) {
        rows.push([
          s.name,
          s.confirmed_at ? isoSchoolTime(s.confirmed_at, actor.school.timezone) : '',
          s.confirmed_at ? isoSchoolTime(validUntil(cur, s.confirmed_at), actor.school.timezone) : '',
          s.unreachable ? 'No: cannot be reached' : s.installed ? 'Yes' : 'No: has not installed the bot',
        ]);
      }
      return { filename: `${cur.policyId.replace(/[^a-z0-9-]+/gi, '-')}-${actor.school.id}.csv`, csv: toCsv(rows) };
    },
  },
};

/** "Attestations": the report on the school's first attestation, with the others (and the policy) a click away. */
export const attestationsFlow: Flow = {
  id: 'attestations',
  commands: ['attestations', 'training confirmations'],
  start: async (actor, svc) => report(actor, svc, attestations(actor.school)[0]?.policyId),
  actions: [],
};
