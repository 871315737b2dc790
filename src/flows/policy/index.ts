import { POLICY_SCHEMA } from './schema';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { addWorkingDays, formatSchoolTime } from '../../clock';
import type { Actor, OutMessage } from '../../core';
import { forbidden, notFound } from '../../errors';
import { enqueueSend } from '../../outbox/outbox';
import { actOnTask, refreshTask } from '../../outbox/tasks';
import { audit } from '../../store/audit';
import { once } from '../../store/counters';
import { ROLE_TITLES } from '../../config';
import { action, type Flow, type Services, type Understood } from '../types';
import { POLICY_QUESTION } from './understands';
import { loadedPolicyLibrary, policyLibrary } from './versions';
import { answerCard, answerQuestion, type AnswerView, type RequestOffer } from './answers';
import { sendTicket, ticketCard, type TicketRow } from './tickets';

export { policyLibrary, answerQuestion };

const AnswerId = z.object({ answerId: z.string().uuid() });

/**
 * A question for the policy, as the understanding step read it: a saved answer when it recognised
 * one, else the policy, with the school's request offered when the question is about one.
 */
async function answerFor(actor: Actor, u: Understood, svc: Services): Promise<OutMessage> {
  const question = u.text.trim().slice(0, 1000);
  const saved = [u.intent, ...(u.offers ?? [])].find((i) => i.startsWith('policy.saved.'));
  if (saved) return (await answerQuestion(actor, question, svc, { savedId: saved.slice('policy.saved.'.length) }))!;
  const start = u.beside && { intent: u.beside.intent, title: u.beside.title, text: question };
  return (await answerQuestion(actor, question, svc, { offers: requestOffers(actor, u), start }))!;
}

/** Requests offered beside one answer at most: a third is seldom what was meant, and crowds the card. */
const MAX_OFFERS = 2;

/**
 * The school's requests the message is about, when the understanding step found them beside its
 * reading: the nearest first, and a second that fits as well ("…home on a memory stick" is both
 * taking data home and using a USB stick).
 */
function requestOffers(actor: Actor, u: Understood): RequestOffer[] {
  const text = u.text.trim().slice(0, 2000);
  return [...new Set([u.intent, ...(u.offers ?? [])])]
    .filter((o) => o.startsWith('permissions.'))
    .map((o) => actor.school.requestTypes.find((t) => `permissions.${t.key}` === o))
    .filter((t) => t !== undefined)
    .slice(0, MAX_OFFERS)
    .map((t) => ({ requestType: t.key, title: t.title, text }));
}

/** Questions about the policy: answered from the school's own documents, or passed to a person. */
export const policyFlow: Flow = {
  id: 'policy',
  schema: POLICY_SCHEMA,
  menu: { title: 'Ask about the policy', description: 'Ask what the information-security policy says' },
  commands: ['ask a question', 'policy question', 'policy'],
  start: async (actor) => ({
    text: `Type your question in your own words, for example "Can I use a USB stick?" or "How long must my password be?". I answer from ${actor.school.name}'s policy and show where it says so.`,
  }),
  fallback: (actor, text, svc, u) => answerFor(actor, u ?? { intent: 'None', score: 0, text, entities: [] }, svc),
  /** A question another flow would have taken, answered from the policy with that flow offered beside. */
  answerFirst: (actor, u, svc, offer) =>
    answerQuestion(actor, u.text.trim().slice(0, 1000), svc, {
      onlyIfAnswered: true,
      topic: offer.topic,
      event: offer.event,
      offers: requestOffers(actor, u),
      start: u.intent.startsWith('permissions.')
        ? undefined
        : {
            intent: u.intent,
            title: offer.title,
            text: u.text.trim().slice(0, 1000),
            note: offer.note,
            lead: offer.lead,
          },
    }),
  /**
   * The question's meaning, read in the encoder's thread while the understanding step reads its
   * words. Only from policies already loaded (the web process loads them at start): loading them
   * records their versions, which is no side effect for a message to have in passing.
   */
  prefetch(actor, text, svc) {
    void loadedPolicyLibrary(svc, actor.school)
      ?.then((lib) => lib.prefetch(text.trim().slice(0, 1000)))
      .catch(() => undefined);
  },
  /** Asked only when the words gave no clear reading: the policy is then likely to answer, so it may load now. */
  async meaning(actor, text, svc) {
    const lib = await policyLibrary(svc, actor.school).catch(() => undefined);
    return lib?.meaning(text.trim().slice(0, 1000));
  },
  /** General policy questions, and each question the school's people answered (so a paraphrase finds it). */
  async understands(school, svc) {
    const saved = await svc.db.all<{ id: string; question: string }>(
      'SELECT id, question FROM curated_answers WHERE school_id = ? ORDER BY created_at DESC LIMIT 500',
      [school.id],
    );
    return [
      POLICY_QUESTION,
      ...saved.map((c) => ({
        id: `policy.saved.${c.id}`,
        title: 'See the answer given before',
        examples: [c.question],
        offerable: 'instead' as const,
      })),
    ];
  },
  onIntent: (actor, u, svc) => answerFor(actor, u, svc),

  actions: [
    action('policy.feedback', AnswerId.extend({ helpful: z.enum(['yes', 'no']) }).strict(), async (actor, d, svc) => {
      const row = await svc.db.get<{ view: string; asker_id: string }>(
        'SELECT view, asker_id FROM policy_answers WHERE id = ?',
        [d.answerId],
      );
      if (!row || row.asker_id !== actor.id) throw notFound('That answer was not found among yours.');
      await svc.db.run('UPDATE policy_answers SET helpful = ? WHERE id = ?', [d.helpful === 'yes' ? 1 : 0, d.answerId]);
      return { card: answerCard(svc, actor.school, d.answerId, JSON.parse(row.view) as AnswerView, d.helpful) };
    }),
    action('policy.ask', AnswerId.strict(), async (actor, d, svc) => {
      const now = svc.clock.now();
      const school = actor.school;
      const sent = await svc.db.transaction(async (tx) => {
        const row = await tx.get<{ question: string; asker_id: string }>(
          'SELECT question, asker_id FROM policy_answers WHERE id = ?',
          [d.answerId],
        );
        if (!row || row.asker_id !== actor.id) throw notFound('That question was not found among yours.');
        const existing = await tx.get<{ id: string }>('SELECT id FROM policy_tickets WHERE answer_id = ?', [
          d.answerId,
        ]);
        if (existing) return -1;
        const t: TicketRow = {
          id: randomUUID(),
          school_id: school.id,
          asker_id: actor.id,
          asker_name: actor.name,
          question: row.question,
          created_at: now,
          answered_at: null,
          answered_by_name: null,
          answer: null,
        };
        await tx.run(
          'INSERT INTO policy_tickets (id, school_id, answer_id, asker_id, asker_name, question, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [t.id, school.id, d.answerId, actor.id, actor.name, t.question, now],
        );
        await audit(tx, {
          at: now,
          schoolId: school.id,
          actorId: actor.id,
          action: 'policy.ticket_opened',
          subject: t.id,
        });
        return sendTicket(svc, tx, school, t, 'main');
      });
      svc.deliver();
      const who = ROLE_TITLES[school.askAPersonRole];
      if (sent === -1) return { text: `Your question is already with the ${who}. Their answer will come here.` };
      return { text: `I have sent your question to the ${who}. Their answer will come to you here.` };
    }),
    action('policy.ticket', z.object({ ticketId: z.string().uuid() }).strict(), async (actor, d, svc) => {
      const school = actor.school;
      const t = await svc.db.get<TicketRow>('SELECT * FROM policy_tickets WHERE id = ?', [d.ticketId]);
      if (!t || t.school_id !== school.id) throw notFound('That question was not found.');
      if (!(await svc.directory.holds(actor, [school.askAPersonRole])))
        throw forbidden(`Only the ${ROLE_TITLES[school.askAPersonRole]} can answer these questions.`);
      return { card: ticketCard(svc, school, t, 'waiting') };
    }),
    action(
      'policy.reply',
      z
        .object({
          ticketId: z.string().uuid(),
          reply: z.string().trim().min(1, 'please write an answer').max(4000),
          curate: z.enum(['true', 'false']).default('false'),
        })
        .strict(),
      async (actor, d, svc) => {
        const now = svc.clock.now();
        const school = actor.school;
        let retrain = false;
        const t = await svc.db.get<TicketRow>('SELECT * FROM policy_tickets WHERE id = ?', [d.ticketId]);
        if (!t || t.school_id !== school.id) throw notFound('That question was not found.');
        const card = await actOnTask({ db: svc.db, directory: svc.directory, now }, actor, {
          roles: [school.askAPersonRole],
          subject: t.id,
          refused: {
            action: 'policy.ticket_refused',
            message: `Only the ${ROLE_TITLES[school.askAPersonRole]} can answer these questions.`,
          },
          act: async (tx) => {
            const won = await tx.run(
              'UPDATE policy_tickets SET answered_at = ?, answered_by_name = ?, answer = ? WHERE id = ? AND answered_at IS NULL',
              [now, actor.name, d.reply, t.id],
            );
            const fresh = (await tx.get<TicketRow>('SELECT * FROM policy_tickets WHERE id = ?', [t.id]))!;
            if (!won.changes) return ticketCard(svc, school, fresh);
            await audit(tx, {
              at: now,
              schoolId: school.id,
              actorId: actor.id,
              action: 'policy.ticket_answered',
              subject: t.id,
              detail: { curated: d.curate === 'true' },
            });
            if (d.curate === 'true') {
              retrain = true;
              await tx.run(
                'INSERT INTO curated_answers (id, school_id, question, answer, created_by_name, created_at) VALUES (?, ?, ?, ?, ?, ?)',
                [randomUUID(), school.id, t.question, d.reply, actor.name, now],
              );
            }
            const c = ticketCard(svc, school, fresh);
            await refreshTask(tx, { school, group: `ticket:${t.id}` }, c, now);
            await enqueueSend(
              tx,
              {
                schoolId: school.id,
                tenantId: school.tenantId,
                recipient: { key: t.asker_id, aadId: t.asker_id },
                message: {
                  card: svc.cards.render('policy/reply', {
                    question: t.question,
                    answer: d.reply,
                    by: `${actor.name}, ${ROLE_TITLES[school.askAPersonRole]}`,
                  }),
                },
              },
              now,
            );
            return c;
          },
        });
        svc.deliver();
        // A saved answer is learnt by the understanding step, so a paraphrase of the question finds it.
        if (retrain) svc.understanding.changed(svc, school);
        return { card };
      },
    ),
  ],
  /** Questions nobody has answered yet, for the people who answer them (not their own). */
  async waiting(actor, svc) {
    const school = actor.school;
    if (!(await svc.directory.holds(actor, [school.askAPersonRole]))) return [];
    const open = await svc.db.all<TicketRow>(
      'SELECT * FROM policy_tickets WHERE school_id = ? AND answered_at IS NULL ORDER BY created_at LIMIT 25',
      [school.id],
    );
    return open
      .filter((t) => svc.directory.selfApprovalAllowed || t.asker_id !== actor.id)
      .map((t) => ({
        kind: 'ticket' as const,
        id: t.id,
        ref: 'Question',
        summary: t.question.length > 80 ? `${t.question.slice(0, 79)}…` : t.question,
        state: `Policy question · asked by ${t.asker_name} · waiting since ${formatSchoolTime(t.created_at, school.timezone)}`,
        since: t.created_at,
      }));
  },
  /** Unanswered questions are chased like approvals: a reminder after the school's working days. */
  async tick(svc) {
    const now = svc.clock.now();
    for (const school of svc.config.file.schools) {
      const open = await svc.db.all<TicketRow>(
        'SELECT * FROM policy_tickets WHERE school_id = ? AND answered_at IS NULL',
        [school.id],
      );
      for (const t of open) {
        if (
          now < addWorkingDays(t.created_at, school.approvals.remindAfterWorkingDays, school.timezone, school.holidays)
        )
          continue;
        await once(svc.db, [`ticket:remind:${t.id}`], now, async (tx) => {
          await sendTicket(svc, tx, school, t, 'reminder');
          await audit(tx, {
            at: now,
            schoolId: school.id,
            actorId: 'system',
            action: 'policy.ticket_reminded',
            subject: t.id,
          });
        });
      }
    }
  },
};

/**
 * Messages of each kind staff send: a report with a question, a rule, a role, how long, an app.
 * Made up, so that nothing a person wrote is read twice.
 */
const PRACTICE = [
  'I left a folder with pupil reports on the train this morning, who do I tell?',
  'can I use my own phone to read school email?',
  'how long should old class lists be kept?',
  'who is the data protection officer?',
  'is it ok to use a new quiz app with my class?',
];

/**
 * Reads a few made-up messages and answers them from the policy, as a person's would be: read,
 * searched and drawn as a card. Nobody sees them and nothing records them. The first real
 * question otherwise runs code that has not been compiled yet, in a person's turn: twice as
 * slow as the next (23 ms against 10 on the policy benchmark's first question).
 */
export async function practise(svc: Services, school: Actor['school']): Promise<void> {
  const actor: Actor = { id: 'practice', tenantId: school.tenantId, name: 'Practice', school };
  const lib = await policyLibrary(svc, school);
  for (const text of PRACTICE) {
    const reading = await svc.understanding.read(actor, text, svc);
    const first = reading.kind === 'intent' ? reading.policyFirst : undefined;
    const a = await lib.answer(text, first?.topic, first?.event);
    const passages = a.passages.map((p) => ({
      text: p.text,
      citation: p.docTitle,
      section: p.section,
      sectionText: p.text,
    }));
    answerCard(svc, school, randomUUID(), { kind: a.found ? 'policy' : 'none', passages });
  }
}
