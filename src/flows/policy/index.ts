import { POLICY_SCHEMA } from './schema';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SchoolConfig } from '../../config';
import { addWorkingDays, formatSchoolTime } from '../../clock';
import type { Actor, OutMessage } from '../../core';
import { forbidden, notFound } from '../../errors';
import { enqueueSend } from '../../outbox/outbox';
import { actOnTask, refreshTask, sendTask } from '../../outbox/tasks';
import { PolicyLibrary, overlap } from './library';
import { phraseAnswer } from './llm';
import { audit } from '../../store/audit';
import { once } from '../../store/counters';
import type { Db } from '../../store/db';
import { ROLE_TITLES } from '../../config';
import { action, type Flow, type Services, type Understood } from '../types';
import { POLICY_QUESTION } from './understands';

/**
 * The school's policies, loaded once per process from the files the configuration names. Each
 * load records the document's version (its content hash); a changed document is noticed.
 */
export function policyLibrary(svc: Services, school: SchoolConfig): Promise<PolicyLibrary> {
  const m = svc.memory.map<Promise<PolicyLibrary>>('policy.libraries');
  let p = m.get(school.id);
  if (!p) {
    p = (async () => {
      const lib = await PolicyLibrary.forSchool(school, svc.config.configDir);
      if (lib.index.meaningsFailed)
        svc.log.warn(
          { school: school.id, err: lib.index.meaningsFailed },
          'policy questions are matched by their words only: the sentence encoder did not load',
        );
      const now = svc.clock.now();
      for (const doc of lib.policies) {
        const known = await svc.db.get<{ hash: string }>(
          'SELECT hash FROM policy_versions WHERE school_id = ? AND policy_id = ? ORDER BY imported_at DESC LIMIT 1',
          [school.id, doc.id],
        );
        if (known?.hash === doc.hash) continue;
        await svc.db.run(
          'INSERT INTO policy_versions (school_id, policy_id, hash, title, sections, imported_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
          [school.id, doc.id, doc.hash, doc.title, doc.sections.length, now],
        );
        await audit(svc.db, {
          at: now,
          schoolId: school.id,
          actorId: 'system',
          action: known ? 'policy.changed' : 'policy.imported',
          subject: doc.id,
          detail: { hash: doc.hash, sections: doc.sections.length },
        });
        svc.log.info(
          { school: school.id, policy: doc.id, hash: doc.hash, sections: doc.sections.length, changed: Boolean(known) },
          'policy imported',
        );
      }
      return lib;
    })();
    p.catch(() => m!.delete(school.id));
    m.set(school.id, p);
  }
  return p;
}

interface CuratedRow {
  id: string;
  question: string;
  answer: string;
  created_by_name: string;
  created_at: number;
}

interface AnswerView {
  kind: 'policy' | 'curated' | 'none';
  /** An answer a language model phrased from the passages, when one is configured. */
  summary?: string;
  passages: Array<{ text: string; citation: string; section: string; sectionText: string }>;
  curated?: { text: string; by: string; at: string; question?: string };
  /** When the policy does not answer: the closest sections, offered for the person to judge. */
  related?: Array<{ section: string; citation: string; sectionText: string }>;
  /** A request the school lets staff make about what was asked ("can I use a USB stick?"). */
  offer?: { requestType: string; title: string };
  /**
   * What the message would have started had it not been a question the policy answers (a breach
   * report, a device request…): a button that starts it with their words, and why it matters.
   */
  start?: { intent: string; title: string; text: string; note?: string };
}

function answerCard(
  svc: Services,
  school: SchoolConfig,
  answerId: string,
  v: AnswerView,
  feedback: '' | 'yes' | 'no' = '',
): Record<string, unknown> {
  return svc.cards.render('policy/answer', {
    answerId,
    found: v.kind !== 'none',
    heading:
      v.kind === 'policy'
        ? 'What the policy says'
        : v.kind === 'curated'
          ? `Answered for ${school.name}`
          : 'The policy does not seem to answer that',
    passages: v.passages.map((p, i) => ({ ...p, citation: v.summary ? `[${i + 1}] ${p.citation}` : p.citation })),
    related: v.related ?? [],
    offerType: v.offer?.requestType ?? '',
    startIntent: v.start?.intent ?? '',
    startTitle: v.start?.title ?? '',
    startText: v.start?.text ?? '',
    startNote: v.start?.note ?? '',
    offerTitle: v.offer ? `Ask permission: ${v.offer.title}` : '',
    summary: v.summary ?? '',
    curated: v.curated ? `${v.curated.text}` : '',
    curatedBy: v.curated ? `${v.curated.by}, ${v.curated.at}` : '',
    curatedQuestion: v.curated?.question ?? '',
    none:
      v.kind === 'none'
        ? `I could not find this in ${school.name}'s policy, and I will not guess. Ask a person: your question goes to the ${ROLE_TITLES[school.askAPersonRole]}, and their answer comes back here.`
        : '',
    feedback:
      feedback === 'yes'
        ? 'Thanks: glad it helped.'
        : feedback === 'no'
          ? 'Thanks for saying. You can ask a person below.'
          : '',
    askFeedback: v.kind !== 'none' && !feedback,
  });
}

/**
 * Answers a question from the school's own policy (or a saved answer), stores what was shown, and
 * returns the answer card. `offer` adds a button for the school's request about what was asked.
 */
export async function answerQuestion(
  actor: Actor,
  question: string,
  svc: Services,
  opts: {
    savedId?: string;
    offer?: AnswerView['offer'];
    start?: AnswerView['start'];
    onlyIfAnswered?: boolean;
    /** What the report or request the question belongs to is about (see PolicyLibrary.answer). */
    topic?: string;
  } = {},
): Promise<OutMessage | undefined> {
  const savedId = opts.savedId;
  const school = actor.school;
  const tz = school.timezone;
  let view: AnswerView = { kind: 'none', passages: [] };
  let source = 'none';
  // An answer the school's people wrote for an earlier question, when the understanding step matched
  // this one to it (a paraphrase), or the words are nearly the same.
  const curated = savedId
    ? await svc.db.get<CuratedRow>(
        'SELECT id, question, answer, created_by_name, created_at FROM curated_answers WHERE id = ? AND school_id = ?',
        [savedId, school.id],
      )
    : (
        await svc.db.all<CuratedRow>(
          'SELECT id, question, answer, created_by_name, created_at FROM curated_answers WHERE school_id = ? ORDER BY created_at DESC LIMIT 500',
          [school.id],
        )
      )
        .map((c) => ({ c, s: overlap(question, c.question) }))
        .filter((x) => x.s >= 0.6)
        .sort((a, b) => b.s - a.s)[0]?.c;
  if (curated) {
    view = {
      kind: 'curated',
      passages: [],
      curated: {
        text: curated.answer,
        by: curated.created_by_name,
        at: formatSchoolTime(curated.created_at, tz),
        question: curated.question,
      },
    };
    source = `curated:${curated.id}`;
  } else {
    const lib = await policyLibrary(svc, school);
    const a = await lib.answer(question, opts.topic);
    if (a.found) {
      view = {
        kind: 'policy',
        passages: a.passages.map((p) => {
          const whole = lib.index.sectionText(p.sectionIndex);
          return {
            text: p.text,
            citation: `${p.docTitle} · ${p.section}`,
            section: p.section,
            sectionText: (whole?.text ?? p.text).slice(0, 6000),
          };
        }),
      };
      source = `policy:${a.passages.map((p) => p.section).join('|')}`.slice(0, 300);
      if (svc.config.llm) view.summary = await phraseAnswer(svc.config.llm, question, a.passages, svc.log);
    } else if (a.related.length) {
      view.related = a.related.map((r) => ({
        section: r.section,
        citation: `${r.docTitle} · ${r.section}`,
        sectionText: (lib.index.sectionText(r.sectionIndex)?.text ?? '').slice(0, 6000),
      }));
    }
  }
  if (opts.onlyIfAnswered && view.kind === 'none') return undefined;
  if (opts.offer) view.offer = opts.offer;
  if (opts.start) view.start = opts.start;
  const id = randomUUID();
  await svc.db.transaction(async (tx) => {
    await tx.run(
      'INSERT INTO policy_answers (id, school_id, asker_id, at, question, source, view, helpful) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)',
      [id, school.id, actor.id, svc.clock.now(), question.slice(0, 1000), source, JSON.stringify(view)],
    );
    // Who asked and what kind of answer they got; the question itself stays in its own record.
    await audit(tx, {
      at: svc.clock.now(),
      schoolId: school.id,
      actorId: actor.id,
      action: 'policy.asked',
      subject: id,
      detail: { answer: view.kind },
    });
  });
  return { card: answerCard(svc, school, id, view) };
}

function ticketCard(svc: Services, school: SchoolConfig, t: TicketRow, back = ''): Record<string, unknown> {
  return svc.cards.render('policy/ticket', {
    back,
    ticketId: t.id,
    asker: t.asker_name,
    asked: formatSchoolTime(t.created_at, school.timezone),
    question: t.question,
    open: !t.answered_at,
    status: t.answered_at
      ? `Answered by ${t.answered_by_name}, ${formatSchoolTime(t.answered_at, school.timezone)}`
      : '',
    answer: t.answer ?? '',
  });
}

interface TicketRow {
  id: string;
  school_id: string;
  asker_id: string;
  asker_name: string;
  question: string;
  created_at: number;
  answered_at: number | null;
  answered_by_name: string | null;
  answer: string | null;
}

async function sendTicket(svc: Services, tx: Db, school: SchoolConfig, t: TicketRow, slot: string): Promise<number> {
  const holders = (await svc.directory.holders(school, [school.askAPersonRole], tx)).filter(
    (h) => svc.directory.selfApprovalAllowed || h.aadId !== t.asker_id,
  );
  return sendTask(tx, { school, group: `ticket:${t.id}` }, holders, ticketCard(svc, school, t), svc.clock.now(), slot);
}

const AnswerId = z.object({ answerId: z.string().uuid() });

/**
 * A question for the policy, as the understanding step read it: a saved answer when it recognised
 * one, else the policy, with the school's request offered when the question is about one.
 */
async function answerFor(actor: Actor, u: Understood, svc: Services): Promise<OutMessage> {
  const question = u.text.trim().slice(0, 1000);
  const saved = [u.intent, ...(u.offers ?? [])].find((i) => i.startsWith('policy.saved.'));
  if (saved) return (await answerQuestion(actor, question, svc, { savedId: saved.slice('policy.saved.'.length) }))!;
  return (await answerQuestion(actor, question, svc, { offer: requestOffer(actor, u) }))!;
}

/** The school's request the message is about, when the understanding step found one beside its reading. */
function requestOffer(actor: Actor, u: Understood): AnswerView['offer'] {
  const request = [u.intent, ...(u.offers ?? [])].find((o) => o.startsWith('permissions.'));
  const type = request && actor.school.requestTypes.find((t) => `permissions.${t.key}` === request);
  return type ? { requestType: type.key, title: type.title } : undefined;
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
      offer: requestOffer(actor, u),
      start: u.intent.startsWith('permissions.')
        ? undefined
        : { intent: u.intent, title: offer.title, text: u.text.trim().slice(0, 1000), note: offer.note },
    }),
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
