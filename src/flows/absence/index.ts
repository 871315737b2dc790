import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { addDays, formatDate, schoolDate } from '../../clock';
import { ROLE_TITLES, type RoleKey } from '../../config';
import type { Actor } from '../../core';
import { absencesOn, endAbsences, recordAbsence } from '../../identity/absence';
import { enqueueSend } from '../../outbox/outbox';
import { audit } from '../../store/audit';
import { action, type Flow, type Services } from '../types';
import { ABSENCE_INTENTS } from './understands';
import { daysAway } from '../../language/dates';

/** The longest absence one form records: a term; longer is a change of role holder in the YAML. */
const MAX_DAYS = 92;

/**
 * Who may deputise: the other holders of the person's roles first, then anyone else who holds a
 * role at the school (a deputy head who is the DSL, the business manager). People the bot cannot
 * reach yet are left out.
 */
async function candidates(svc: Services, actor: Actor, roles: RoleKey[]): Promise<Array<{ id: string; name: string }>> {
  const out = new Map<string, string>();
  const all = Object.keys(actor.school.roles) as RoleKey[];
  for (const r of [
    ...(await svc.directory.holders(actor.school, roles)),
    ...(await svc.directory.holders(actor.school, all)),
  ])
    if (r.aadId && r.aadId !== actor.id) out.set(r.aadId, await svc.directory.describe(actor.school.tenantId, r));
  return [...out].map(([id, name]) => ({ id, name }));
}

async function form(svc: Services, actor: Actor, values: Record<string, string> = {}, error = '') {
  const school = actor.school;
  const roles = await svc.directory.rolesOf(actor);
  if (!roles.length)
    return { text: 'You hold no role in the bot, so nothing waits on you while you are away. Enjoy the time off.' };
  const today = schoolDate(svc.clock.now(), school.timezone);
  const mine = (await absencesOn(svc.db, school.id, today)).find((a) => a.aad_id === actor.id);
  const people = await candidates(svc, actor, roles);
  return {
    card: svc.cards.render('absence/form', {
      intro: `While you are away, cards for the ${roles.map((r) => ROLE_TITLES[r]).join(', ')} go to your deputy, who decides in your place; the record says they did it for you.`,
      current: mine ? `You are away until ${formatDate(mine.until_on)}; ${mine.deputy_name} covers for you.` : '',
      error:
        error ||
        (people.length
          ? ''
          : 'Nobody else who holds a role has opened the bot yet, so there is nobody to name: ask them to say hello to it first.'),
      fromOn: today,
      untilOn: '',
      deputy: '',
      ...values,
      candidates: people,
    }),
  };
}

const Away = z
  .object({
    fromOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'give the first day'),
    untilOn: z
      .string({ required_error: 'give the last day away' })
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'give the last day away'),
    deputy: z.string({ required_error: 'pick a deputy' }).min(1, 'pick a deputy').max(100),
  })
  .strict();

/** A role holder away for a while names a deputy, who gets their cards and may act on them. */
export const absenceFlow: Flow = {
  id: 'absence',
  commands: ['away', 'i am away', 'im away', 'i m away', 'i will be away', 'absence', 'deputy'],
  start: (actor, svc) => form(svc, actor),
  understands: () => ABSENCE_INTENTS,
  onIntent: (actor, u, svc) => {
    const { from, until } = daysAway(u.text, schoolDate(svc.clock.now(), actor.school.timezone));
    return form(svc, actor, { ...(from ? { fromOn: from } : {}), ...(until ? { untilOn: until } : {}) });
  },
  actions: [
    action('absence.save', Away, async (actor, d, svc) => {
      const school = actor.school;
      const now = svc.clock.now();
      const today = schoolDate(now, school.timezone);
      const again = (error: string) => form(svc, actor, d, error);
      const roles = await svc.directory.rolesOf(actor);
      const deputy = (await candidates(svc, actor, roles)).find((c) => c.id === d.deputy);
      if (!deputy) return again('Pick your deputy from the list.');
      if (d.fromOn < today) return again('The first day cannot be in the past.');
      if (d.untilOn < d.fromOn) return again('The last day away must be on or after the first.');
      if (d.untilOn > addDays(d.fromOn, MAX_DAYS))
        return again('That is longer than a term: ask for the school configuration to name someone else instead.');
      await svc.db.transaction(async (tx) => {
        const id = randomUUID();
        await recordAbsence(tx, {
          id,
          school_id: school.id,
          aad_id: actor.id,
          name: actor.name,
          deputy_id: deputy.id,
          deputy_name: deputy.name,
          from_on: d.fromOn,
          until_on: d.untilOn,
          created_at: now,
        });
        await audit(tx, {
          at: now,
          schoolId: school.id,
          actorId: actor.id,
          action: 'absence.recorded',
          subject: id,
          detail: { deputy: deputy.id, from: d.fromOn, until: d.untilOn },
        });
        await enqueueSend(
          tx,
          {
            schoolId: school.id,
            tenantId: school.tenantId,
            recipient: { key: deputy.id, aadId: deputy.id },
            message: {
              text: `${actor.name} is away from ${formatDate(d.fromOn)} to ${formatDate(d.untilOn)} and has named you as deputy: cards for the ${roles.map((r) => ROLE_TITLES[r]).join(', ')} come to you until then. Type "waiting for me" to see what is waiting.`,
            },
          },
          now,
        );
      });
      svc.deliver();
      return {
        text: `Saved: from ${formatDate(d.fromOn)} to ${formatDate(d.untilOn)}, ${deputy.name} gets your cards and decides for you. Type "I'm back" if you return early.`,
      };
    }),
    action('absence.back', z.object({}).strict(), (actor, _d, svc) => back(actor, svc)),
  ],
};

/** Back early: the absence ends, and cards come to the holder again. */
async function back(actor: Actor, svc: Services) {
  const now = svc.clock.now();
  const ended = await svc.db.transaction(async (tx) => {
    const n = await endAbsences(tx, actor.school.id, actor.id, now);
    if (n)
      await audit(tx, {
        at: now,
        schoolId: actor.school.id,
        actorId: actor.id,
        action: 'absence.ended',
        subject: actor.id,
      });
    return n;
  });
  return { text: ended ? 'Welcome back: your cards come to you again.' : 'You were not recorded as away.' };
}

/** "I'm back". */
export const absenceBackFlow: Flow = {
  id: 'absence-back',
  commands: ['back', 'i am back', 'im back', 'i m back'],
  start: (actor, svc) => back(actor, svc),
  actions: [],
};
