import { CONSENT_SCHEMA } from './schema';
import { z } from 'zod';
import type { OutMessage } from '../../core';
import { badInput, forbidden } from '../../errors';
import { USES, USE_KEYS, bumpVersion, type UseKey } from './register';
import { audit, countSchoolActions } from '../../store/audit';
import { periodMs } from '../termly';
import { schoolDate } from '../../clock';
import { entity } from '../../understanding';
import { action, type EntityHit, type Flow, type Services } from '../types';
import { CONSENT_INTENTS, spotClass, spotUses } from './understands';
import { checkGroup, checkPupil, KEEPERS, registerIndex, resultCard, useTitle } from './checks';
import { importText } from './office';

export { consentOfficeFlow, importText } from './office';

const UseSchema = z.enum(USE_KEYS, { message: 'pick what the image is for' });

function checkForm(svc: Services, values: Record<string, unknown> = {}, error = ''): OutMessage {
  return {
    card: svc.cards.render('consent/check', {
      name: '',
      group: '',
      use: '',
      error,
      ...values,
      uses: USE_KEYS.map((k) => ({ value: k, title: USES[k] })),
    }),
  };
}

export const consentFlow: Flow = {
  id: 'consent',
  schema: CONSENT_SCHEMA,
  /** How often the register was looked at in the term (and refused beyond the hourly limit). */
  async termly(svc, school, from, to) {
    const { start, end } = periodMs(school, from, to);
    const count = (actions: string[]) => countSchoolActions(svc.db, school.id, actions, start, end);
    return {
      title: 'Photo consent',
      facts: [
        { label: 'Look-ups', value: String(await count(['consent.lookup', 'consent.group_lookup', 'consent.search'])) },
        { label: 'Refused beyond the hourly limit', value: String(await count(['consent.rate_limited'])) },
      ],
    };
  },
  menu: { title: 'Check photo consent', description: "Check whether a pupil's or a class's photo may be used" },
  commands: ['photo consent', 'image consent', 'check consent', 'consent'],
  start: async (_actor, svc) => checkForm(svc),
  actions: [
    action(
      'consent.check',
      z
        .object({
          name: z.string().trim().max(80).optional(),
          group: z.string().trim().max(40).optional(),
          use: UseSchema,
        })
        .strict(),
      async (actor, d, svc) => {
        if (d.name) return checkPupil(svc, actor, d.name, d.use, d.group || undefined);
        if (d.group) return checkGroup(svc, actor, d.group, d.use);
        return checkForm(svc, d, "Type a pupil's name, or a class or year for a group check.");
      },
    ),
    action(
      'consent.pupil',
      z
        .object({
          pupilId: z.string().max(40),
          name: z.string().max(120),
          // Every use the question named, comma-separated ("video,website").
          use: z
            .string()
            .max(200)
            .refine((s) => s.split(',').every((k) => (USE_KEYS as readonly string[]).includes(k)), {
              message: 'pick what the image is for',
            })
            .transform((s) => s.split(',') as UseKey[]),
        })
        .strict(),
      (actor, d, svc) => checkPupil(svc, actor, d.name, d.use, undefined, d.pupilId),
    ),
    action(
      'consent.record',
      z
        .object({
          name: z.string().trim().min(3, "type the pupil's name").max(80),
          group: z.string().trim().max(40).optional(),
          use: UseSchema,
          status: z.enum(['given', 'withdrawn'], { message: 'say whether consent was given or withdrawn' }),
          receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'give the date on the note'),
          how: z.enum(['letter', 'email', 'form', 'in-person'], { message: 'say how it was received' }),
        })
        .strict(),
      async (actor, d, svc) => {
        const school = actor.school;
        if (!(await svc.directory.holds(actor, [...KEEPERS])))
          throw forbidden('Only the school office and the DPO record consent.');
        if (d.receivedOn > schoolDate(svc.clock.now(), school.timezone))
          throw badInput('The date on the note is in the future.');
        const idx = await registerIndex(svc, school.id);
        let m = idx.find(d.name);
        if (d.group) m = m.filter((p) => [p.group, p.year].some((g) => g.toLowerCase() === d.group!.toLowerCase()));
        if (m.length !== 1)
          throw badInput(
            m.length
              ? `${m.length} pupils match: ${m
                  .slice(0, 6)
                  .map((p) => `${p.first} ${p.surname} (${p.group})`)
                  .join(', ')}. Add the class to say which.`
              : `No current pupil matches "${d.name}".`,
          );
        const p = m[0]!;
        const now = svc.clock.now();
        const to = d.status === 'given' ? 'yes' : 'no';
        await svc.db.transaction(async (tx) => {
          const from =
            (
              await tx.get<{ status: string }>(
                'SELECT status FROM consents WHERE school_id = ? AND pupil_id = ? AND use_key = ?',
                [school.id, p.id, d.use],
              )
            )?.status ?? null;
          await tx.run(
            `INSERT INTO consents (school_id, pupil_id, use_key, status, recorded_on, source, updated_at) VALUES (?, ?, ?, ?, ?, 'office', ?)
             ON CONFLICT (school_id, pupil_id, use_key) DO UPDATE SET status = excluded.status, recorded_on = excluded.recorded_on, source = excluded.source, updated_at = excluded.updated_at`,
            [school.id, p.id, d.use, to, d.receivedOn, now],
          );
          await tx.run(
            'INSERT INTO consent_changes (school_id, pupil_id, use_key, from_status, to_status, at, recorded_on, source, actor_id, how) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [school.id, p.id, d.use, from, to, now, d.receivedOn, 'office', actor.id, d.how],
          );
          await bumpVersion(tx, school.id);
          await audit(tx, {
            at: now,
            schoolId: school.id,
            actorId: actor.id,
            action: 'consent.recorded',
            subject: p.id,
            detail: { use: d.use, to },
          });
        });
        return resultCard(svc, `Recorded: consent ${d.status}`, 'Good', [
          `${p.first} ${p.surname} (${p.group}), ${useTitle(d.use)}, from the parent's ${d.how.replace('-', ' ')} of ${d.receivedOn.split('-').reverse().join('/')}. It applies to checks from now.`,
        ]);
      },
    ),
  ],
  understands: () => CONSENT_INTENTS,
  async spot(actor, text, svc) {
    const idx = await registerIndex(svc, actor.school.id);
    const out: EntityHit[] = idx.spot(text).map((p) => ({
      type: 'pupil',
      // One pupil: the register's name; several (two Olivers): the words typed, for the check to tell apart.
      value: p.pupils.length === 1 ? `${p.pupils[0]!.first} ${p.pupils[0]!.surname}` : p.text,
      text: p.text,
      start: p.start,
      end: p.end,
      slot: true,
    }));
    out.push(...spotUses(text, out));
    const group = spotClass(text, (g) => idx.group(g).length > 0);
    if (group) out.push(group);
    return out;
  },
  /**
   * "Can Freya be in the paper?": answered for that pupil and use (every use named: "a video for
   * the website" needs both), or the form asks what is missing.
   */
  async onIntent(actor, u, svc) {
    const pupil = entity(u, 'pupil')?.value;
    const group = entity(u, 'class')?.value;
    const uses = [entity(u, 'use'), ...u.entities.filter((e) => e.type === 'otherUse')]
      .filter((e) => e !== undefined)
      .map((e) => e.value as UseKey);
    const use = uses[0];
    if (pupil && use) return checkPupil(svc, actor, pupil, uses);
    if (pupil) return checkForm(svc, { name: pupil }, 'Which use is it for?');
    if (group && use) return checkGroup(svc, actor, group, uses);
    if (group) return checkForm(svc, { group }, 'Which use is it for?');
    return checkForm(svc, use ? { use } : {});
  },
  async onFile(actor, file, svc) {
    if (!/\.csv$/i.test(file.name)) return undefined;
    if (!(await svc.directory.holds(actor, [...KEEPERS]))) {
      await audit(svc.db, {
        at: svc.clock.now(),
        schoolId: actor.school.id,
        actorId: actor.id,
        action: 'consent.import_refused',
        subject: actor.school.id,
      });
      throw forbidden('Only the school office and the DPO can import the consent register.');
    }
    return importText(svc, actor, await file.read());
  },
};
