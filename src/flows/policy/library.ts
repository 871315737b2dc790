import { createHash } from 'node:crypto';
import path from 'node:path';
import type { SchoolConfig } from '../../config';
import { extractText } from './extract';
import { SOCIAL_PLATFORMS, stem, terms, tokens, withoutDenials, writtenOut } from '../../language/words';
import { answerKindsMissing, HEAD_NEAR_MIN, PolicyIndex, type Focus, type Hit } from './search';
import { actAsked, givesMeasureAsked, LENGTH, MUST_GIVE, withoutClauseNumbers } from './ranking';
import { headOf, isNounTag, nounsOf, tagOf } from '../../language/parts-of-speech';
import { isPerson, isTime } from '../../language/senses';
import { splitSections, type Section } from './sections';
import { inEnglish } from './languages';
import { countriesIn } from '../../language/places';
import { BREACH_NAMES, BREACH_REPORTING } from '../breach/understands';

export interface LoadedPolicy {
  id: string;
  title: string;
  file: string;
  /** The document's version: the hash of its content. */
  hash: string;
  sections: Section[];
}

export async function loadPolicy(id: string, title: string, file: string): Promise<LoadedPolicy> {
  const text = await extractText(file);
  return {
    id,
    title,
    file,
    hash: createHash('sha256').update(text).digest('hex').slice(0, 16),
    sections: await inEnglish(splitSections(text, title)),
  };
}

export interface Answer {
  found: boolean;
  /** The passages quoted, best first. */
  passages: Array<{ text: string; section: string; docTitle: string; sectionIndex: number }>;
  /** Everything the answer says, for measuring it. */
  text: string;
  /** When nothing answers: the closest sections, for the person to judge (never shown as the answer). */
  related: Array<{ section: string; docTitle: string; sectionIndex: number }>;
}

/**
 * The best passage answers only when it matches enough of the question (its share of the
 * question's weight) and matches it well (its score), and when the policy speaks anywhere of what
 * the question is about (its focus, see PolicyIndex.focus). Otherwise the policy is taken not to
 * answer, and the closest sections are offered as related instead.
 */
const MIN_COVERAGE = 0.3;
/** Measured on policies of about a hundred passages: scaled to each policy's size (see `PolicyIndex.scoreScale`). */
const MIN_SCORE = 4;
/**
 * The least meaning (cosine of sentence vectors) the best passage needs when the question's subject
 * is in the policy only as a near word. On the policy bench's questions whose subject is found that
 * way, the answerable ones' best passages lie at 0.42–0.60, the unanswerable ones' at 0.38 and 0.46:
 * this floor keeps every answer and turns away one of the two.
 */
const NEAR_ONLY_MEANING = 0.4;
/**
 * The same, when the question names that subject as a thing of its own and the near word is quite
 * near (HEAD_NEAR_MIN): on the policy benches such answers' passages lay at 0.37–0.39 ("how long is
 * the gate camera footage kept?": a long retention list), and no unanswerable question's was kept.
 */
const NAMED_NEAR_MEANING = 0.3;
/** How many paragraphs or headings speak of social media in a policy with rules on it (see `socialMedia`). */
const SOCIAL_RULES = 2;
/**
 * How near in meaning (cosine) the best passage must be to answer a question whose words found too
 * little (`MIN_SCORE`), when the question's subject is in the policy itself. Unanswerable questions
 * of the four policies I measured came to 0.50 at most with their subject in the policy.
 */
const SURE_MEANING = 0.6;
/** The same, when the question asks for a measure and the passage gives one (see `givesMeasureAsked`). */
const MEASURE_MEANING = 0.5;
/**
 * The least a passage's meaning (cosine) may be near the question's and still answer it, however
 * many words they share: "can I shred last year's reading records?" shares "last", "year" and
 * "read" with the rule on confirming the policy once a year (0.08). Of the answers holding the
 * expected facts on the benches (eval, Northgate, fresh questions; 97 in all) the least near was
 * at 0.18.
 */
const MIN_MEANING = 0.12;
/** A section is offered as related when its passage matched at least this share of the question. */
const RELATED_COVERAGE = 0.15;
/** Further passages are quoted when nearly as good as the best. */
const ALSO_SCORE = 0.6;
const ALSO_COVERAGE = 0.35;
/**
 * A passage that speaks of what the question is about answers before a better-scored one that does
 * not, when it scores at least this share of that one's score. Measured on the policy benchmarks:
 * no answer changed on the four eval policies at 0.6 or 0.75; on a policy written for the check
 * and never tuned on, one more of 25 answers held the expected facts.
 */
const SUBJECT_SCORE = 0.75;
/**
 * A passage that gives the count or the length of time asked for answers instead of the best one,
 * which gives none, when it is as near in meaning as that one, or nearly (this much less) and holds
 * as much of the question: for "how long do I have to report a data breach?" the definition of a
 * breach came nearest (0.56) and the rule to report one within 24 hours 0.03 behind it, both holding
 * every word. ("How many pupils can I take info on for a trip?" is not answered by the rules on
 * paper records, 0.01 behind the best and holding half as much.)
 */
const GIVES_NEARLY = 0.05;
/**
 * Or when it holds every word of the question (its share of the question's weight, see
 * `Hit.coverage`) and scores by its words as the best by words does, or nearly (this share): "Tell
 * the Business Manager within an hour of noticing", under "Data breaches", is far in meaning from
 * "how quickly do I have to report a breach?" (0.37, the best 0.51), as a short rule giving only
 * what to do often is.
 */
const WHOLE_QUESTION = 0.99;
const MOST_WORDS = 0.95;

/** The policies of one school, searchable. Built from the files at start-up; the files are the truth. */
export class PolicyLibrary {
  readonly index = new PolicyIndex([{ words: BREACH_NAMES }, { words: BREACH_REPORTING, verbs: true }]);
  readonly policies: LoadedPolicy[] = [];

  static async forSchool(school: SchoolConfig, configDir: string): Promise<PolicyLibrary> {
    const lib = new PolicyLibrary();
    for (const p of school.policies) lib.add(await loadPolicy(p.id, p.title, path.resolve(configDir, p.path)));
    await lib.index.learn();
    return lib;
  }

  add(p: LoadedPolicy): void {
    this.policies.push(p);
    this.index.add(p.id, p.title, p.sections);
  }

  /**
   * The policy's answer to a question. `topic`: what a report or request the question belongs to
   * is about, in the policy's kind of words ("a personal data breach"), tried when the question's
   * own words find nothing: "I emailed a spreadsheet to the wrong person, who do I tell?" is a
   * question about reporting a breach although no policy speaks of spreadsheets.
   */
  async answer(typed: string, topic?: string, event = false): Promise<Answer> {
    const question = this.asked(typed);
    // The question's meaning is encoded only when its words say the policy answers (it costs 5–25 ms).
    let encoded: Promise<Float32Array | undefined> | undefined;
    // A meaning that cannot be read (the encoder's thread stopped) leaves the words to answer alone.
    const meaning = () => (encoded ??= this.index.meaningOf(question).catch(() => undefined));
    const plain = await this.answerFor(question, question, meaning);
    if (!topic) return plain;
    // Something that happened, and a question about it ("lost my school phone, what should I do?"):
    // what answers is what the policy says of such events. The question's own words found the rule
    // on phones in photos; a passage that speaks of the topic's last noun ("breach") is wanted.
    const subject = event ? nounsOf(topic).at(-1) : undefined;
    const about = subject ? this.index.focusOn(topic, subject) : undefined;
    const offTopic = about?.inPolicy && !this.index.speaksOfIn(about, plain.passages[0]?.text ?? '');
    if (plain.found && !offTopic) return plain;
    // A word English text never uses ("out-of-office", "INSET") that the policy does not use
    // either is what the question is about: the topic does not stand in for it.
    const focus = this.index.focus(question);
    if (focus && !focus.inPolicy && !focus.english) return plain;
    // Nor does it stand in for a thing the clause that asks names, which the policy never mentions
    // ("…my own laptop, does it need anti-virus?" is not answered by the rules on personal devices);
    // a clause that names nothing ("…who do I tell?") asks about the scene, which the topic may answer.
    const asked = this.index.askedAbout(question);
    if (asked && !asked.inPolicy) return plain;
    // The topic names what the request is about in several words ("software, apps and online
    // services"): the policy speaks of it when it uses any one of them.
    const within = await this.answerFor(`${question} ${topic}`, topic, meaning, true);
    return within.found ? within : plain;
  }

  /** A question as the search reads it: words written out, typing mended, a greeting before it left out, places abroad and social media sites said so. */
  private asked(typed: string): string {
    // (What the question says it is not about is no word to search by: "Never mind my Canva request,
    // could I get Wordwall instead?" is not about requests; see `withoutDenials`.)
    return this.socialMedia(
      abroad(byAge(this.index.withoutLeadIn(this.index.corrected(writtenOut(withoutDenials(typed)))))),
    );
  }

  /**
   * A question with a social media site the policy never names said as the policy says it ("the
   * school Instagram" → "the school social media"): a policy speaks of social media, not of each
   * site. Only a policy that has rules on social media, in more than one paragraph or heading: one
   * that names it once, as a place photos must not go, says nothing of following pupils on Instagram.
   */
  private socialMedia(question: string): string {
    if (question.search(SOCIAL_PLATFORMS) < 0 || this.index.paragraphsWith('social') < SOCIAL_RULES) return question;
    return question.replace(SOCIAL_PLATFORMS, (site) => (this.index.writes(site) ? site : 'social media'));
  }

  /**
   * Starts reading a question's meaning, so that `answer` finds it read (see Flow.prefetch). Only
   * once the passages' meanings are read (a process that never answers never loads the encoder),
   * and only when the encoder is free.
   */
  prefetch(typed: string): void {
    this.index.prefetch(this.asked(typed));
  }

  /** The question's sentence vector, as `answer` reads it (undefined when the encoder cannot say). */
  meaning(typed: string): Promise<Float32Array | undefined> {
    return this.index.meaningOf(this.asked(typed)).catch(() => undefined);
  }

  /**
   * A word English never uses, belonging to a person ("a child's EHCP", "a pupil's IEP"): whatever
   * the school calls it, it is information about that person, and the question is about them.
   */
  private ownedBy(text: string, word: string): Focus | undefined {
    const m = new RegExp(`\\b([a-z]+)['’]s\\s+(?:[a-z]+\\s+)?${word}\\b`, 'i').exec(text);
    if (!m || !isPerson(m[1]!)) return undefined;
    return this.index.focusOn(text, m[1]!);
  }

  /**
   * `about`: the text whose focus the policy must speak of (the question, or its topic). Whether
   * the policy answers at all is judged on its words (the best passage by words, and the focus);
   * which passages answer, on words and meaning together (`meaning`, the question's sentence vector).
   */
  private async answerFor(
    question: string,
    about: string,
    meaning: () => Promise<Float32Array | undefined>,
    anyNoun = false,
  ): Promise<Answer> {
    let focus = anyNoun ? this.index.focusAny(about) : this.index.focus(about);
    if (focus && !focus.inPolicy && !focus.english) focus = this.ownedBy(about, focus.word) ?? focus;
    const byWords = this.index.search(question, 8);
    const best = byWords[0];
    // (A subject the policy never names, named there by the same words before another head, near
    // it in meaning, is named: "visitor sign in sheets" and "Visitor sign-in records".)
    let answers =
      best &&
      (focus?.inPolicy !== false || this.index.namesByItsKind(about, focus.word, best.passage.text)) &&
      best.coverage >= MIN_COVERAGE &&
      best.lexical >= MIN_SCORE * this.index.scoreScale;
    // Few of the words, but the subject itself is in the policy and the best passage is close in
    // meaning ("the network manager asked for my password, should I give it to him?": the rule on
    // never sharing it): that passage answers.
    const close = !answers && best && focus?.inPolicy && !focus.nearOnly && best.coverage >= MIN_COVERAGE;
    let hits = answers || close ? this.index.search(question, 8, await meaning()) : byWords;
    if (close) {
      // A measure asked for ("what's the minimum length for a password?") that the passage gives
      // ("at least 10 characters") is evidence too: it need be less close in meaning.
      const sure = hits[0] && givesMeasureAsked(question, hits[0].passage.text) ? MEASURE_MEANING : SURE_MEANING;
      if ((hits[0]?.meaning ?? 0) >= sure) answers = true;
      else hits = byWords;
    }
    // What the question is about, found only as a near word ("Bluetooth" near "Wi-Fi", "safeguarding"
    // near "ensuring"), is weak evidence that the policy speaks of it: the best passage's meaning
    // must then be near the question's too.
    // Unless the passage names the same thing by the words before it under another head ("visitor
    // sign in sheets": the retention row for "Visitor sign-in records").
    if (answers && (hits[0]?.meaning ?? 1) < NEAR_ONLY_MEANING) {
      // (A thing the question names as a thing of its own, found as a word quite near it, is better
      // evidence: "footage" where the policy says "video", 0.74; "permission" where it says
      // "request". Its passage's meaning need agree less.)
      const named =
        focus?.nearOnly &&
        focus.nearest! >= HEAD_NEAR_MIN &&
        (hits[0]?.meaning ?? 1) >= NAMED_NEAR_MEANING &&
        namesThing(about, focus.word);
      const far = [...this.index.farNouns(about), ...(focus?.nearOnly && !named ? [focus.word] : [])];
      if (far.length && !far.every((n) => this.index.namesByItsKind(about, n, hits[0]!.passage.text))) answers = false;
    }
    let top = hits[0];
    const first = top;
    /** Puts a passage first: it answers instead of the one that was. */
    const promote = (h: Hit) => {
      hits = [h, ...hits.filter((x) => x !== h)];
      top = h;
    };
    /** A passage nearly as good by its words (this share of the best's score) that does what is wanted. */
    const rival = (share: number, fits: (h: Hit) => boolean) =>
      hits.find((h) => h.score >= top!.score * share && h.coverage >= MIN_COVERAGE && fits(h));
    // What the question is about (its focus), where the best passage never speaks of it and one
    // nearly as good does ("can I keep photos on my own phone for the blog?": the rule on photos, not
    // the one on reading email on one's own phone): that one answers.
    // A passage speaks of what its heading names ("Email and messages": "Reply to parents within
    // three working days"), as a table's row or a list's item under it does without saying so again.
    const speaksOf = (f: Focus, h: Hit) =>
      this.index.speaksOfIn(f, h.passage.text) || this.index.speaksOfIn(f, this.index.heading(h.passage.sectionIndex));
    if (answers && top && focus?.inPolicy && !anyNoun && !speaksOf(focus, top)) {
      const instead = rival(SUBJECT_SCORE, (h) => speaksOf(focus, h));
      if (instead) promote(instead);
    }
    // "How do I book…?" asks how to do that: a passage that never speaks of doing it (by its verb,
    // a synonym or a near word) does not say how, whatever else it shares with the question. One
    // nearly as good that does ("how do I email all the parents…": the rule on emailing several
    // parents, not the breach example of an email sent to the wrong one) answers instead. A passage
    // under a heading that names the doing, in its own word, speaks of it ("Emailing": "…must be
    // sent with Encrypt"); a heading's near words say less ("Taking work home" is no booking).
    // (A verb of several words, "get rid of", has no one word a heading could name it by.)
    const act = actAsked(question);
    const doing = (h: Hit) =>
      this.index.speaksOfDoing(act!, h.passage.text) ||
      (!act!.includes(' ') && terms(this.index.heading(h.passage.sectionIndex)).some((t) => t.stem === stem(act!)));
    if (answers && top && act && !doing(top)) {
      const instead = rival(ALSO_SCORE, doing);
      if (instead) promote(instead);
      else answers = false;
    }
    // Sharing words, but nothing like the question in meaning: no answer.
    if (answers && top?.meaning !== undefined && top.meaning < MIN_MEANING) answers = false;
    // A count, a length of time or a time of day asked for, and the best passage gives none: one
    // nearly as good by its words, at least as near in meaning, that gives it answers ("how long can
    // I keep photos on the iPad?": the rule on deleting images, not the one on which devices take
    // them); if none does, the policy does not say ("how much annual leave…?" is not answered by
    // how long staff files are kept).
    const gives = (h: Hit) => {
      const plain = withoutClauseNumbers(h.passage.text);
      return !MUST_GIVE.some((k) => k.asks.test(question) && !k.gives.test(plain));
    };
    // (The best passage by all the question's words stays one, when the passage taken instead for
    // speaking of the subject gives nothing asked: "how soon do I have to upload observation
    // photos?" is answered by the rule to upload photographs the same day, not by what an
    // observation is.)
    if (answers && top && !gives(top)) {
      // (Only for a length of time asked for: a number is in many passages, and one holding every
      // word of "how many pupils can I take info on for a trip?" gives the school's 72 hours.)
      const asksTime = MUST_GIVE.some((k) => k.time && k.asks.test(question));
      const mostWords = Math.max(...hits.map((h) => h.lexical));
      const instead = hits.find(
        (h) =>
          (h === first && gives(h)) ||
          (asksTime && h.lexical >= mostWords * MOST_WORDS && h.coverage >= WHOLE_QUESTION && gives(h)) ||
          (h.score >= top!.score * ALSO_SCORE &&
            h.coverage >= MIN_COVERAGE &&
            ((h.meaning ?? 0) >= (top!.meaning ?? Infinity) ||
              ((h.meaning ?? 0) >= (top!.meaning ?? Infinity) - GIVES_NEARLY && h.coverage >= top!.coverage)) &&
            gives(h)),
      );
      if (instead) promote(instead);
      else answers = false;
    }
    // A length asked for ("how long does my password need to be?") that a passage nearly as good by
    // its words gives ("at least 14 characters"): that one answers first. A length of time may
    // answer "how long" too, so it is only a preference.
    const givesLength = (h: Hit) => LENGTH.gives.test(withoutClauseNumbers(h.passage.text));
    if (answers && top && LENGTH.asks.test(question) && !givesLength(top)) {
      const instead = rival(ALSO_SCORE, givesLength);
      if (instead) promote(instead);
    }
    if (!top || !answers) {
      const related: Answer['related'] = [];
      for (const h of hits) {
        if (related.length >= 3) break;
        if (h.coverage >= RELATED_COVERAGE && !related.some((r) => r.sectionIndex === h.passage.sectionIndex))
          related.push({
            section: h.passage.section,
            docTitle: h.passage.docTitle,
            sectionIndex: h.passage.sectionIndex,
          });
      }
      return { found: false, passages: [], text: '', related };
    }
    const chosen: Hit[] = [top];
    // A passage that speaks of what the question is about, where the best one does not ("can I use
    // my fingerprint…": the one rule on biometrics), is quoted first of the others, and on less of
    // the question. (What a question's own words are about: a topic's several names are too broad.)
    const missed = !anyNoun && focus?.inPolicy && !speaksOf(focus, top) ? focus : undefined;
    const subject = (h: Hit) => Boolean(missed && speaksOf(missed, h));
    const others = hits.slice(1).sort((a, b) => Number(subject(b)) - Number(subject(a)));
    for (const h of others) {
      if (chosen.length >= 3) break;
      // A neighbour of a passage already quoted adds little: look for a different one. (Another item
      // of the same list is no neighbour: "at least 6 characters" beside "every 180 days".)
      const overlaps = chosen.some(
        (c) => c.passage.text.includes(ownLine(h.passage.text)) || h.passage.text.includes(ownLine(c.passage.text)),
      );
      if (!overlaps && h.score >= top.score * ALSO_SCORE && (h.coverage >= ALSO_COVERAGE || subject(h))) chosen.push(h);
    }
    const near = hits[0]?.meaning !== undefined ? await meaning() : undefined;
    const all = chosen.map((h, i) => {
      let text = this.index.quoted(question, h.passage.text, near);
      if (i === 0) {
        // The next paragraph joins the best one when it answers a part of the question the best one
        // does not ("I emailed the wrong parent: who do I tell?" → what a breach is, then whom to tell).
        const section = this.index.sections[h.passage.sectionIndex]!;
        const next = section.paragraphs[h.passage.index + 1];
        if (next && !h.passage.text.includes(next.split('\n')[0]!)) {
          const have = this.index.matchedTerms(question, h.passage.text);
          const adds =
            [...this.index.matchedTerms(question, next)].some((w) => !have.has(w)) ||
            answerKindsMissing(question, h.passage.text).some((k) => k.gives.test(next));
          if (adds) text = `${text}\n${this.index.quoted(question, next, near)}`;
        }
      }
      return { text, section: h.passage.section, docTitle: h.passage.docTitle, sectionIndex: h.passage.sectionIndex };
    });
    // The best passage may have taken in its next paragraph: a later one it now holds is not quoted
    // twice. Items of one list are quoted under their lead-in once.
    const passages: typeof all = [];
    const leads = new Map<(typeof all)[number], string>();
    for (const p of all) {
      const own = ownLine(p.text);
      if (passages.some((q) => q.text.includes(own))) continue;
      const lead = leadIn(p.text);
      const sibling = lead && passages.find((q) => q.sectionIndex === p.sectionIndex && leads.get(q) === lead);
      if (sibling) sibling.text = `${sibling.text}\n${own}`;
      else {
        const copy = { ...p };
        passages.push(copy);
        if (lead) leads.set(copy, lead);
      }
    }
    return { found: true, passages, text: passages.map((p) => `${p.section}: ${p.text}`).join('\n'), related: [] };
  }
}

/** A line that is a list's item or a table's row: each is searched with its lead-in (see PolicyIndex.add). */
const ITEM = /^(?:• |\| )/;

/** The line that is a passage's own: its item or row when it is one of a list's or table's, else its first. */
function ownLine(text: string): string {
  const lines = text.split('\n');
  const item = [...lines].reverse().find((l) => ITEM.test(l));
  return item ?? lines[0]!;
}

/** The lines before a list item or table row, which each of its siblings repeats; undefined for other passages. */
function leadIn(text: string): string | undefined {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => ITEM.test(l));
  return at > 0 && at === lines.length - 1 ? lines.slice(0, at).join('\n') : undefined;
}

/** A child's age said as a noun: "a three year old", "the 2-year-olds", "our four yr olds". */
const AGED =
  /\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen)[- ](?:years?|yrs?)[- ]old(s?)\b/gi;

/**
 * A question with a child named by their age said as a policy says it ("how many hours can a three
 * year old…" → "…can a child…"): a policy speaks of children, and its own ages and years ("until the
 * child is 21 years and 3 months old") are no answer to a question about the two year olds.
 */
function byAge(question: string): string {
  return question.replace(AGED, (_m, plural: string) => (plural ? 'children' : 'child'));
}

/**
 * A question with each country other than the UK said as a policy says it ("a partner school in
 * France" → "a partner school outside the UK"): a policy names no country, but says what may go
 * outside the UK, abroad or to an international organisation.
 */
function abroad(question: string): string {
  let out = question;
  for (const c of countriesIn(question).reverse()) {
    if (c.code === 'GB') continue;
    const before = /\b(?:in|to|from|into|via)\s+(?:the\s+)?$/i.exec(out.slice(0, c.start));
    const start = before ? before.index : c.start;
    out = `${out.slice(0, start)}${before ? 'outside the UK' : 'a country outside the UK'}${out.slice(c.end)}`;
  }
  return out;
}

/** How well a stored question matches a new one (share of the new question's words it has). */
export function overlap(a: string, b: string): number {
  const ta = new Set(tokens(a));
  const tb = new Set(tokens(b));
  if (!ta.size || !tb.size) return 0;
  let n = 0;
  for (const w of ta) if (tb.has(w)) n++;
  return n / Math.max(ta.size, tb.size);
}

/**
 * Whether a question names a thing by this word: a noun that heads its own phrase ("permission",
 * "the gate camera footage"), not a word that says which kind ("annual" in "annual leave") or when
 * ("a non-uniform day").
 */
function namesThing(question: string, word: string): boolean {
  return isNounTag(tagOf(question, word)) && !headOf(question, word) && !isTime(word);
}
