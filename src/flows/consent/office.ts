// The office's side of consent: importing the register and recording a parent's written change.
import type { Actor, OutMessage } from '../../core';
import { forbidden } from '../../errors';
import { importRegister, readRegister, USES, USE_KEYS } from './register';
import { audit } from '../../store/audit';
import { formatSchoolTime } from '../../clock';
import { type Flow, type Services } from '../types';
import { KEEPERS, resultCard } from './checks';

/** Imports a register CSV for the actor's school: all or nothing, with every bad row named. */
export async function importText(svc: Services, actor: Actor, csv: string): Promise<OutMessage> {
  const { rows, problems } = readRegister(actor.school, csv);
  const now = svc.clock.now();
  if (problems.length) {
    await audit(svc.db, {
      at: now,
      schoolId: actor.school.id,
      actorId: actor.id,
      action: 'consent.import_rejected',
      subject: actor.school.id,
      detail: { problems: problems.length },
    });
    return resultCard(svc, 'Nothing was imported', 'Attention', [
      `The file has ${problems.length} problem(s); fix them and send it again. The register has not changed.`,
      ...problems.slice(0, 15),
      ...(problems.length > 15 ? [`…and ${problems.length - 15} more.`] : []),
    ]);
  }
  const s = await importRegister(svc.db, actor.school, rows, actor.id, now);
  await audit(svc.db, {
    at: now,
    schoolId: actor.school.id,
    actorId: actor.id,
    action: 'consent.imported',
    subject: actor.school.id,
    detail: { ...s, held: s.held.length },
  });
  const held = s.held.slice(0, 20).map((x) => `${x.name}: ${USES[x.use]} (the file says ${x.fileSays ?? 'nothing'})`);
  if (s.held.length > held.length) held.push(`and ${s.held.length - held.length} more`);
  return resultCard(svc, `Imported ${s.pupils} pupils`, s.held.length ? 'Warning' : 'Good', [
    `${s.added} new, ${s.left} left the school, ${s.given} consents given and ${s.withdrawn} withdrawn since the last import. Imported ${formatSchoolTime(now, actor.school.timezone)}.`,
    ...(s.held.length
      ? [
          `${s.held.length} written withdrawal(s) recorded here still stand, although the file disagrees. Update the MIS, or, if the parent has given consent again in writing, record it here:`,
          ...held,
        ]
      : []),
  ]);
}

const recordForm = (svc: Services): OutMessage => ({
  card: svc.cards.render('consent/record', { uses: USE_KEYS.map((k) => ({ value: k, title: USES[k] })) }),
});

/** The office records a parent's written change; the register import is explained. */
export const consentOfficeFlow: Flow = {
  id: 'consent-office',
  commands: ['record consent', 'import consent', 'consent register'],
  async start(actor, svc) {
    if (!(await svc.directory.holds(actor, [...KEEPERS])))
      throw forbidden(
        'Only the school office and the DPO keep the consent register. To check a pupil, type "photo consent".',
      );
    return recordForm(svc);
  },
  actions: [],
};
