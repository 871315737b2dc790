// A question answered: a saved answer, or the policy's passages, or an honest miss with the way to a person.
import { randomUUID } from 'node:crypto';
import type { SchoolConfig } from '../../config';
import { formatSchoolTime } from '../../clock';
import type { Actor, OutMessage } from '../../core';
import { overlap } from './library';
import { phraseAnswer } from './llm';
import { audit } from '../../store/audit';
import { ROLE_TITLES } from '../../config';
import { type Services } from '../types';
import { policyLibrary } from './versions';
import { labelledRows } from './sections';

export interface CuratedRow {
  id: string;
  question: string;
  answer: string;
  created_by_name: string;
  created_at: number;
}

/** A school request offered beside an answer, with the person's words for its form. */
export interface RequestOffer {
  requestType: string;
  title: string;
  text?: string;
}

export interface AnswerView {
  kind: 'policy' | 'curated' | 'none';
  /** An answer a language model phrased from the passages, when one is configured. */
  summary?: string;
  passages: Array<{ text: string; citation: string; section: string; sectionText: string }>;
  curated?: { text: string; by: string; at: string; question?: string };
  /** When the policy does not answer: the closest sections, offered for the person to judge. */
  related?: Array<{ section: string; citation: string; sectionText: string }>;
  /**
   * The requests the school lets staff make about what was asked ("can I use a USB stick?"); two
   * when the message fits both ("can I take the SEN folder home on a memory stick?").
   */
  offers?: RequestOffer[];
  /** The one request offered, as answers stored before `offers` hold it. */
  offer?: RequestOffer;
  /**
   * What the message would have started had it not been a question the policy answers (a breach
   * report, a device request…): a button that starts it with their words, and why it matters.
   */
  start?: { intent: string; title: string; text: string; note?: string; lead?: string };
  /** What another answer said first, above the policy's (who holds a role, from the configuration). */
  lead?: string;
}

export function answerCard(
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
    offers: (v.offers ?? (v.offer ? [v.offer] : [])).map((o) => ({
      type: o.requestType,
      title: o.title,
      text: o.text ?? '',
    })),
    startIntent: v.start?.intent ?? '',
    startTitle: v.start?.title ?? '',
    startText: v.start?.text ?? '',
    startNote: v.start?.note ?? '',
    lead: v.lead ?? v.start?.lead ?? '',
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
 * returns the answer card. `offers` adds a button for each school request about what was asked.
 */
export async function answerQuestion(
  actor: Actor,
  question: string,
  svc: Services,
  opts: {
    savedId?: string;
    offers?: RequestOffer[];
    start?: AnswerView['start'];
    onlyIfAnswered?: boolean;
    /** What the report or request the question belongs to is about (see PolicyLibrary.answer). */
    topic?: string;
    /** The question comes with a report of something that happened (see PolicyLibrary.answer). */
    event?: boolean;
    /** At most this many passages (the best first): under another answer, one is enough. */
    most?: number;
    /** Another answer, shown above the policy's (see AnswerView.lead). */
    lead?: string;
    /** Only passages that pass this are shown: none left is no answer. */
    keep?: (passage: string) => boolean;
    /** What the policy is asked, in turn until one finds a passage shown (see `keep`): by default the question. */
    searchAs?: string[];
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
    const ask = async (q: string) => {
      const a = await lib.answer(q, opts.topic, opts.event);
      return { a, shown: (opts.keep ? a.passages.filter((p) => opts.keep!(p.text)) : a.passages).slice(0, opts.most) };
    };
    const [first, ...others] = opts.searchAs?.length ? opts.searchAs : [question];
    let { a, shown } = await ask(first!);
    for (const q of others) {
      if (a.found && shown.length) break;
      const next = await ask(q);
      if (next.a.found && next.shown.length) ({ a, shown } = next);
    }
    if (a.found && shown.length) {
      view = {
        kind: 'policy',
        passages: shown.map((p) => {
          const whole = lib.index.sectionText(p.sectionIndex);
          return {
            text: labelledRows(p.text),
            citation: `${p.docTitle} · ${p.section}`,
            section: p.section,
            sectionText: labelledRows(whole?.text ?? p.text).slice(0, 6000),
          };
        }),
      };
      source = `policy:${shown.map((p) => p.section).join('|')}`.slice(0, 300);
      if (svc.config.llm) view.summary = await phraseAnswer(svc.config.llm, question, shown, svc.log);
    } else if (a.related.length) {
      view.related = a.related.map((r) => ({
        section: r.section,
        citation: `${r.docTitle} · ${r.section}`,
        sectionText: labelledRows(lib.index.sectionText(r.sectionIndex)?.text ?? '').slice(0, 6000),
      }));
    }
  }
  if (opts.onlyIfAnswered && view.kind === 'none') return undefined;
  if (opts.offers?.length) view.offers = opts.offers;
  if (opts.start) view.start = opts.start;
  if (opts.lead) view.lead = opts.lead;
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
