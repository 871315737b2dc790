// How passages are ranked beyond their words: the kind of answer a question asks for, and meaning mixed with words.
import type { Hit } from './search';
import { LETTERED } from './sections';
import { relativeWhoAsThat, saidOf, tagOf } from '../../language/parts-of-speech';
import { isMeasure, verbOfThree } from '../../language/senses';
import { terms, TITLED_NAME, words } from '../../language/words';

/**
 * "One" counts only before what it counts ("one calendar month"): as a pronoun ("hiding one may",
 * "no one", "one of them", "the one who", "request one through the bot") it gives no number.
 */
const ONE_COUNTS =
  /(?<!\bno\s)\bone\b(?=\s+(?!of\b|who\b|that\b|which\b|may\b|might\b|must\b|can\b|should\b|will\b|would\b|is\b|was\b|has\b|does\b|through\b|from\b|for\b|to\b|in\b|on\b|at\b|with\b|by\b|and\b|or\b)[a-z])/;

/** The names of the calendar's months, weekdays and seasons: "every September" is a frequency ("may" is left out: "each member may…"). */
const CALENDAR =
  'january|february|march|april|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|autumn|winter';

/** A question asking how to do something: its verb, and the two words after it (for a verb of three words). */
const HOW_TO =
  /\bhow (?:do|can|could|should|would|must|shall) (?:i|we|you|staff)\s+(?:\w+ly\s+)?([a-z]+)(?:\s+([a-z]+)\s+([a-z]+))?/i;
/** Verbs that say little of what is done ("how do I make sure…"), unless with the words after them ("get rid of"). */
const LIGHT_VERBS = new Set([
  'get',
  'do',
  'make',
  'have',
  'go',
  'be',
  'keep',
  'stop',
  'know',
  'find',
  'deal',
  'handle',
]);
/**
 * The act a question asks how to do ("how do I book the minibus?": book), when it says what is
 * done: a light verb alone says little ("how do I make sure…"), a verb of three words whole does
 * ("how do I get rid of…": get rid of). A verb the search leaves out as a stop word ("ask") says as
 * little as a light one.
 */
export function actAsked(question: string): string | undefined {
  const how = HOW_TO.exec(question);
  if (!how) return undefined;
  const whole = how[3] ? verbOfThree(how[1]!, how[2]!, how[3]) : undefined;
  if (whole) return whole.replace(/_/g, ' ');
  return !LIGHT_VERBS.has(how[1]!.toLowerCase()) && terms(how[1]!).length > 0 ? how[1] : undefined;
}

/** How long, how often, how many: a number or a length of time. */
const HOW_MUCH = {
  asks: /\bhow (?:long|often|many|much|soon|quickly)\b|\bwhen\b|\bwithin\b/i,
  gives: new RegExp(
    String.raw`\b\d+\b|${ONE_COUNTS.source}|\b(?:two|three|four|five|six|seven|eight|nine|ten|twelve)\b|\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|annual(?:ly)?|daily|weekly|termly|immediately|characters?)\b`,
    'i',
  ),
};

/** "Who do I tell?", "who is the DPO?": a person or a role. */
export const WHO = {
  asks: /\bwho\b|\bwhom\b|\bwhich (?:person|people|member)|\b(?:tell|contact|report (?:it )?to|speak to|ask)\b[^.?]*\?\s*$/i,
  gives:
    /\b(?:head ?teacher|principal|officer|manager|lead|leader|coordinator|technician|department|team|office|governors?|trustees?|director|bursar|slt|dpo|senco|ict)\b/i,
};

/**
 * What kind of answer a question wants, and how a passage that gives one looks. "Who do I tell?"
 * wants a person or a role; "how long / how often" a duration or a number; "can I / may I" a rule.
 */
export const ANSWER_KINDS: Array<{ asks: RegExp; gives: RegExp }> = [
  WHO,
  HOW_MUCH,
  {
    asks: /^\s*(?:can|may|could|should|must|do|am|is|are)\b|\ballowed\b|\bok(?:ay)?\b/i,
    gives:
      /\b(?:must|should|may|never|only|not (?:be )?(?:allowed|permitted)|prohibited|forbidden|permission|allowed)\b/i,
  },
];

/**
 * A detail asked for by the words that name it ("the DPO's email address", "the office phone
 * number", "which days is the technician in?"): a passage that gives one has what those words ask,
 * though it never writes them ("dpo@…", "01632 960418", "on Wednesdays and Fridays"). `asks`: the
 * question asks for the detail (not "can I email parents…?"); `words`: its words the detail
 * answers; `gives`: the detail as a policy writes it.
 */
export const DETAILS: Array<{ asks: RegExp; words: RegExp; gives: RegExp }> = [
  {
    // ("A parent's email", "my work email" are messages or an account: "what's the DPO's email?" asks.)
    asks: /\be-?mail address(?:es)?\b|^\s*what(?:['’]s| is)\b[^?]*\be-?mail\s*\??\s*$/i,
    words: /^(?:e-?mail|address(?:es)?)$/,
    gives: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/,
  },
  {
    asks: /\b(?:phone|telephone|mobile|contact|desk|line)\s+numbers?\b|['’]s\s+number\b|\bnumber (?:for|of) (?:the|our)\b|\bextension (?:for|number)\b/i,
    words: /^(?:numbers?|phones?|telephones?|mobiles?|extensions?)$/,
    gives: /\b0\d{2,4}[\s-]?\d{3}[\s-]?\d{3,4}\b|\bext(?:ension|\.)?\s*\d{3,5}\b/i,
  },
  {
    asks: /\b(?:which|what) days?\b/i,
    words: /^days?$/,
    gives: /\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|\bweek(?:day|end)s?\b|\bevery day\b|\bdaily\b/i,
  },
];

/** For each of a question's words, the detail it asks for, if it names one (see `DETAILS`). */
export function detailsAsked(question: string, terms: Array<{ word: string }>): Array<RegExp | undefined> {
  const asked = DETAILS.filter((d) => d.asks.test(question));
  return terms.map((t) => asked.find((d) => d.words.test(t.word))?.gives);
}

/**
 * Questions answered only by a passage that gives what they ask for. A count ("how many days…",
 * "how much annual leave…"; not "how much should I tell…", which asks how far) needs a number: a
 * passage without one ("pupils in all year groups are taught…") may share its words, but does not
 * answer it. How long or how often needs a length of time or a frequency. A time of day ("what
 * time does the office open?") needs a clock time: "within 72 hours" or "by the end of the day"
 * says how soon, not at what time. `time`: a kind that asks for a length of time.
 */
export const MUST_GIVE: Array<{ asks: RegExp; gives: RegExp; time?: true }> = [
  {
    asks: /\bhow many\b|\bhow much\b(?!\s+(?:should|can|could|do|does|did|must|may|is|are|was|were|will|would)\b)/i,
    gives: new RegExp(
      String.raw`\b\d+\b|${ONE_COUNTS.source}|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|hundred|once|twice|dozen)\b`,
      'i',
    ),
  },
  {
    // How long or how often needs a length of time or a frequency ("for six years", "every term",
    // "every September", "until the pupil is 25", "no longer than needed"): the rule on carrying
    // files says neither.
    asks: /\bhow (?:long|often)\b/i,
    time: true,
    gives: new RegExp(
      String.raw`${HOW_MUCH.gives.source}|\b(?:every|each|once a|twice a)\s+(?:[a-z]+\s+)?(?:day|week|fortnight|month|term|half[- ]term|year|lesson|session|${CALENDAR})s?\b|\b(?:until|till|end of|no longer|as long as|as soon as|regularly|permanently|indefinitely|yearly|monthly|fortnightly|hourly)\b`,
      'i',
    ),
  },
  {
    // How soon or how quickly needs a length of time or a word for at once ("within one hour",
    // "straight away", "by the end of the day"): the rule on keeping a breach log says neither.
    asks: /\bhow (?:soon|quickly|fast)\b/i,
    time: true,
    gives: new RegExp(
      String.raw`${HOW_MUCH.gives.source}|\b(?:straight away|at once|right away|without delay|promptly|as soon as|same day|end of the (?:day|week)|within)\b`,
      'i',
    ),
  },
  {
    asks: /\bwhat time\b/i,
    gives: /\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*(?:am|pm)\b|\b(?:noon|midday|midnight|o['’]clock)\b/i,
  },
  // An email address, a phone number or the days asked for need one: the rules on sending email
  // give nobody's address.
  ...DETAILS,
  {
    // Who someone is ("who is the chair of governors?", "who's our DPO?") needs a name: a title and
    // a name, two capitalised words ("Data Protection Officer: Priya Shah", "Oakbridge Data
    // Services") or an address. "Agreed by governors in November" names nobody.
    asks: /^\s*who(?:['’]s|\s+is|\s+are)\s+(?:the|our|your)\s+[\w\s'’-]+\??\s*$/i,
    gives: new RegExp(String.raw`${TITLED_NAME.source}|\b[A-Z][A-Za-z'’-]+\s+[A-Z][A-Za-z'’-]+|[\w.+-]+@[\w-]+\.`),
  },
];

/**
 * How long a thing must be ("how long does my password need to be?", "how long should a PIN be?"):
 * a length in characters, letters, digits or words, where "locks after 5 mins" is a length of time.
 */
export const LENGTH = {
  asks: /\bhow long\b[^?.!]*\bbe\s*\??\s*$/i,
  gives:
    /\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|sixteen|twenty)\s+(?:[a-z]+\s+)?(?:characters?|letters?|digits?|numbers?|words?|symbols?)\b|\b(?:characters|letters|digits)\b/i,
};

/** A clause's number at a line's start, with the space after it (see `withoutClauseNumbers`). */
const CLAUSE_NUMBER = new RegExp(String.raw`(^|\n)[ \t]*(?:\(?\d+(?:\.\d+)*[.)]?|${LETTERED})[ \t]+`, 'g');

/**
 * A reference to a part of the policy: the number after the word for the part ("under section 10",
 * "see paragraph 4.2", "Step 3", "Appendix B"), or a lettered clause's number anywhere ("as in A5.3").
 */
const REFERENCE_NUMBER = new RegExp(
  String.raw`\b((?:sections?|paragraphs?|clauses?|parts?|steps?|appendix|annex|schedule)\s+)(?:\d+(?:\.\d+)*|[A-Z]\d{0,2}(?:\.\d+)*)\b|\b(?:${LETTERED})(?!\w)`,
  'gi',
);

/**
 * A passage's text without the numbers that label its clauses ("9.2 Tell the School Business
 * Manager…", "(3) Staff must…", "A2.1 An incident is…") or refer to them ("…reported under section
 * 10"): a clause's number gives no count, time or length.
 */
export function withoutClauseNumbers(text: string): string {
  return text.replace(CLAUSE_NUMBER, '$1').replace(REFERENCE_NUMBER, '$1');
}

/**
 * Whether a word of a question names a measure of another of its nouns ("password length", "the
 * size of the file", "the minimum age"): what is asked of that noun, as "how long" or "how old"
 * would ask it, not what the question is about. A measure standing alone as a noun ("can I claim
 * mileage?") is what it is about.
 */
export function measureOf(text: string, word: string): boolean {
  const w = word.toLowerCase();
  return isMeasure(w) && (saidOf(text, w) || tagOf(text, w) === 'ADJ');
}

/**
 * The kinds of answer a question asks for ("forms for people who left" asks no "who"). A measure
 * said of something ("the minimum password length", "the size of the file") asks for a number or
 * a length of time, as "how long" does.
 */
export function answerKindsAsked(question: string): Array<{ asks: RegExp; gives: RegExp }> {
  const asked = relativeWhoAsThat(question);
  const measure = words(question).some((w) => measureOf(question, w));
  return ANSWER_KINDS.filter((k) => k.asks.test(asked) || (measure && k === HOW_MUCH));
}

/**
 * Whether a question asks for a measure (how long, how often, how many, how soon, or a measure
 * word such as "the minimum length") and this passage gives one.
 */
export function givesMeasureAsked(question: string, text: string): boolean {
  const asked = answerKindsAsked(question);
  return asked.includes(HOW_MUCH) && HOW_MUCH.gives.test(withoutClauseNumbers(text));
}

/** The kinds of answer a question asks for that a text does not give. */
export function answerKindsMissing(question: string, text: string): Array<{ gives: RegExp }> {
  const words = withoutClauseNumbers(text);
  return answerKindsAsked(question).filter((k) => !k.gives.test(words));
}

/** A passage that gives the kind of answer asked for scores this much more. */
export const KIND_BONUS = 1.3;

/**
 * How much the meaning counts against the words in the rank score: each is scaled to 0–1 over the
 * passages of this question (best = 1, worst = 0), then they are mixed (relative score fusion, as
 * hybrid search engines do). Even shares: neither kind of evidence is trusted over the other.
 */
const MEANING_SHARE = 0.5;

/** Relative score fusion: each score scaled to 0–1 over these hits, then mixed (see MEANING_SHARE). */
export function fuse(hits: Hit[]): void {
  const range = (xs: number[]) => ({ lo: Math.min(...xs), hi: Math.max(...xs) });
  const words = range(hits.map((h) => h.lexical));
  const senses = range(hits.map((h) => h.meaning ?? 0));
  const scale = (x: number, r: { lo: number; hi: number }) => (r.hi > r.lo ? (x - r.lo) / (r.hi - r.lo) : 0);
  for (const h of hits)
    h.score = (1 - MEANING_SHARE) * scale(h.lexical, words) + MEANING_SHARE * scale(h.meaning ?? 0, senses);
}
