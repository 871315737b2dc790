import { ANSWER_LABEL, QUESTION_LABEL, type Section } from './sections';
import {
  headOf,
  isNounTag,
  nounsOf,
  partsOfSpeech,
  purposeNouns,
  sentencesIn,
  tagOf,
} from '../../language/parts-of-speech';
import { lemmatizeNoun, lemmatizeVerb } from 'wink-lemmatizer';
import { escapeRegExp, STOP, stem, terms, TITLED_NAME, TITLES, tokens, words } from '../../language/words';
import { Thesaurus } from './thesaurus';
import { WordVectors, type Candidates } from '../../language/vectors';
import { SentenceEncoder, similarity } from '../../language/sentences';
import {
  actAsked,
  answerKindsAsked,
  detailsAsked,
  fuse,
  KIND_BONUS,
  measureOf,
  WHO,
  withoutClauseNumbers,
} from './ranking';
import { Spelling } from '../../language/spelling';
import { isDevice, isPerson, isPhrasalVerb, isTime, verbOfThree } from '../../language/senses';

export { answerKindsMissing } from './ranking';

/** A synonym from the thesaurus counts for less than the word itself. */
const SYNONYM_WEIGHT = 0.6;
/** A policy word near a question's word in the word vectors: how near, and how much it counts (× similarity). */
const NEIGHBOUR_MIN = 0.6;
const NEIGHBOUR_WEIGHT = 0.8;
/**
 * How near (cosine) the policy's word must be to what a compound names, when the kind before it was
 * found only as a near word (see `focus`): "phone" and "mobile" are 0.73 apart, "speakers" and
 * "speak" 0.6, "page" and "read" 0.68.
 */
export const HEAD_NEAR_MIN = 0.7;

/**
 * A word for what the policy says, asked for by name before its subject: "the rule on screen
 * locking", "the policy about USB sticks", "what's the guidance for trips". The subject follows it;
 * a policy need not call itself rules or guidance for it to answer.
 */
const ASKED_FOR =
  /\b(rules?|polic(?:y|ies)|guidance|guidelines?|procedures?|process|advice|position|law)\s+(?:on|about|for|regarding|around|with)\b/gi;

/** A thing asked whether it may be used: "is email ok…", "are memory sticks allowed…", "is Zoom safe…". */
const JUDGED =
  /\b(?:is|are)\s+(?:the\s+|a\s+|an\s+)?(?:[a-z]+\s+)??([a-z]+)\s+(?:ok|okay|allowed|alright|all right|safe|fine|acceptable|permitted)\b/i;

/** The same words for what the policy says, after their subject: "the password rules", "our photo policy". */
const FRAME = /^(?:rules?|polic(?:y|ies)|guidance|guidelines?|procedures?|process|advice|position|law)$/i;

/**
 * A question's nouns without the ones that name what is asked for: before their subject (see
 * `ASKED_FOR`), or after it, as the last noun of a compound ("what are the password rules?").
 */
function subjectNouns(query: string, nouns: string[]): string[] {
  const frames = framesOf(query);
  return frames.size ? nouns.filter((n) => !frames.has(n)) : nouns;
}

/** The words of a question that name what is asked for (see `subjectNouns`), in lower case. */
function framesOf(query: string): Set<string> {
  const frames = new Set([...query.matchAll(ASKED_FOR)].map((m) => m[1]!.toLowerCase()));
  for (const n of nounsOf(query, true)) {
    const head = headOf(query, n);
    if (head && FRAME.test(head)) frames.add(head.toLowerCase());
  }
  return frames;
}

/** A word of a question: its stem, the word as written, the stem after it, and whether it is a verb there. */
interface QuestionTerm {
  stem: string;
  word: string;
  next?: string;
  verb?: boolean;
}

/** The distinct stems of a question, each with the word it was written as and the stem after it. */
function questionTerms(text: string): QuestionTerm[] {
  const all = terms(text);
  const out: QuestionTerm[] = [];
  const verbs = new Set(partsOfSpeech(text).flatMap((t) => (t.pos === 'VERB' ? [t.word] : [])));
  // "In" and "on" are stop words, so no term: a verb of two words with one of them ("log in", "sign
  // on") is found in the words as written.
  const written = words(text);
  // A verb of three words ("get hold of", "get rid of") is one term: its stems joined by "_", as
  // the thesaurus keys WordNet's words (see `expand`).
  const whole = new Map<number, string>();
  for (let j = 0; j + 2 < written.length; j++) {
    const verb = verbOfThree(written[j]!, written[j + 1]!, written[j + 2]!);
    if (verb) whole.set(j, verb);
  }
  let at = 0;
  all.forEach((t, i) => {
    // The particle of a verb of two words is read with its verb (see `expand`), not on its own.
    const prev = all[i - 1];
    at = written.indexOf(t.word, at) + 1;
    // (Its first word may be a stop word, "get": the verb stands where its first term is.)
    const verb = whole.get(at - 1) ?? whole.get(at - 2) ?? whole.get(at - 3);
    if (verb) {
      const key = verb.split('_').map(stem).join('_');
      if (!out.some((o) => o.stem === key)) out.push({ stem: key, word: verb.replace(/_/g, ' ') });
      return;
    }
    if (prev && PARTICLES.has(t.word) && isPhrasalVerb(prev.word, t.word)) return;
    // Its particle may come after a pronoun: "can I throw it away?"
    const after = OBJECT_PRONOUN.test(written[at] ?? '') ? written[at + 1] : written[at];
    const next =
      after && STOP.has(after) && PARTICLES.has(after) && isPhrasalVerb(t.word, after) ? after : all[i + 1]?.stem;
    if (!out.some((o) => o.stem === t.stem)) out.push({ stem: t.stem, word: t.word, next, verb: verbs.has(t.word) });
  });
  return out;
}

/** A pronoun a verb of two words may take between its words ("throw it away", "back them up"). */
const OBJECT_PRONOUN = /^(?:it|them|this|that|these|those|everything)$/;

/**
 * The noun each verb of two words in a text makes when written as one ("logging in" → "login",
 * "backed up" → "backup", "set up" → "setup"), as a stem: a question names the thing ("can I give
 * my login to the supply teacher?") where the policy says the doing ("Passwords and logging in").
 * WordNet says which pairs are verbs of two words; the question's side is read in `expand`. Not
 * a noun the document writes itself ("backups"): where it names the thing, that says where it
 * speaks of it, and passages that only do it ("is backed up daily") keep their verb.
 */
function phrasalNouns(text: string, written: Set<string>): string[] {
  const out: string[] = [];
  const w = words(text);
  for (let i = 1; i < w.length; i++) {
    if (!PARTICLES.has(w[i]!) || !isPhrasalVerb(w[i - 1]!, w[i]!)) continue;
    const noun = stem(`${lemmatizeVerb(w[i - 1]!)}${w[i]}`);
    if (!written.has(noun)) out.push(noun);
  }
  return out;
}

/**
 * The last part of each hyphenated compound of a text, as a stem ("forward" of "auto-forwarding",
 * "virus" of "anti-virus", "factor" of "multi-factor"): the compound is read as one word (see
 * `words`), and is a kind of what its last part names, which a question may say on its own ("can
 * my email forward to my own account?"). Parts of fewer than four letters say little ("Wi-Fi").
 */
function compoundHeads(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/\b[a-z]+(?:-[a-z]+)+\b/g)) {
    const last = m[0].slice(m[0].lastIndexOf('-') + 1);
    if (last.length >= 4 && !STOP.has(last)) out.push(stem(last));
  }
  return out;
}

/**
 * The word a document calls itself by ("this policy", "this Code", "this guide"): the word it
 * writes after "this" most often, at least three times. It names the document, not every kind of
 * its thing: a policy that says "this Code" says nothing of a dress code.
 */
function ownName(text: string): string | undefined {
  const counts = new Map<string, number>();
  for (const m of text.toLowerCase().matchAll(/\bthis ([a-z]{3,})\b/g))
    if (!STOP.has(m[1]!)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  const [word, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  return word && n! >= 3 ? word : undefined;
}

/**
 * Whether a heading is a document's title: it names the kind of document ("…Acceptable Use
 * Agreement", "Staff Handbook: …"), or the school or trust with its name's capital ("Ashby Vale
 * Academy", "Kingsmere Federation of Secondary Schools"), or is all capitals ("MEADOWBANK SCHOOL").
 */
function namesDocument(heading: string): boolean {
  return (
    /\b(?:polic(?:y|ies)|guide|guidance|code|handbook|procedures?|agreement|charter|protocol)\b/i.test(heading) ||
    /\b(?:Schools?|Academy|College|Federation|Trust|Nursery)\b/.test(heading) ||
    (/[A-Z]{3}/.test(heading) && heading === heading.toUpperCase())
  );
}

/** The question `learn` asks itself (any question in staff's words would do). */
const WARM_QUESTION = "I've emailed a spreadsheet of pupils' marks to the wrong parent, who do I tell?";

/**
 * How much more a word of the sentence that asks counts than a word of the scene set before it.
 * Measured on the policy bench (four policies, direct search): 51 answers at 1 (no stress), 52 at
 * 1.5, 53 at 2, 54 from 3 to 5, 53 at 10.
 */
const ASKED_WEIGHT = 3;

/** BM25's inverse document frequency of a stem found in `df` of `n` passages. */
const idfOf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

/** The size of policy the answer's score floors were measured on (89–117 passages; see `scoreScale`). */
const REFERENCE_PASSAGES = 100;

/** A short form written in capitals as a word of its own: "DPO", "SBM's", "DPIA" (not a heading's capital words). */
const SHORT_FORM = /(?<![A-Za-z])([A-Z]{3,5})(?:['’]?s)?(?![A-Za-z])/g;
/** A word a name of several words comes after: "the", "a", "our"… (see `withShortForms`). */
const NAME_DETERMINER = /^(?:the|a|an|our|my|your|their|his|her|this|that|any|each|every)$/i;
/** A word typed in lower case is read as a name's initials only when English uses it less than this (rank by frequency). */
const RARE_RANK = 5_000;

/**
 * The stems of the sentence that asks, when a message sets a scene first ("My kids use my laptop
 * at home. Is that a problem?"): its last sentence ending in a question mark. None when the
 * message is one sentence.
 */
function askedTerms(text: string): { stems: Set<string>; clause: boolean } | undefined {
  const { asked, of } = askedSentence(text);
  if (of > 1 && asked) return { stems: new Set(terms(asked).map((t) => t.stem)), clause: false };
  // One sentence, typed as people type on a phone: the scene, a comma, and what is asked ("my own
  // laptop is used for school work, does it need anti-virus?").
  const clause = of === 1 ? ASKS_AFTER_COMMA.exec(text)?.[1] : undefined;
  return clause ? { stems: new Set(terms(clause).map((t) => t.stem)), clause: true } : undefined;
}

/** A question asked after a comma, at the end of a sentence (see `askedTerms`, `askingClause`). */
const ASKS_AFTER_COMMA =
  /,\s*((?:can|could|may|should|must|do|does|is|are|am|will|would|who|what|where|how|when)\b[^,]*)$/i;

/** The last sentence of a text that ends in a question mark, if any; its last sentence; how many it has. */
function askedSentence(text: string): { asked?: string; last?: string; of: number } {
  const sentences = text.split(/(?<=[.!?])\s+/).filter((x) => x.trim());
  return {
    asked: [...sentences].reverse().find((x) => x.trim().endsWith('?')),
    last: sentences.at(-1),
    of: sentences.length,
  };
}

/**
 * The clause of a question that asks, when it has others: the last sentence ending in "?", without
 * a condition or time clause ("if…", "when…", "while…") and, after a comma, only what follows it
 * when that asks ("…in the cupboard, can they go in the recycling?"). Undefined when it is all one.
 */
function askingClause(text: string): string | undefined {
  const { asked: question, last } = askedSentence(text);
  let asked = question ?? last ?? text;
  const afterComma = ASKS_AFTER_COMMA.exec(asked);
  if (afterComma) asked = afterComma[1]!;
  asked = asked.replace(/\s(?:if|when|whenever|while|because|unless|as soon as)\s[^,?]*/i, ' ');
  return asked.trim() === text.trim() ? undefined : asked;
}

export interface Passage {
  doc: string;
  docTitle: string;
  section: string;
  sectionIndex: number;
  index: number;
  text: string;
}

export interface Hit {
  passage: Passage;
  /** The rank score: words and meaning together (see `search`). */
  score: number;
  /** The words' score alone (BM25 with synonyms, neighbours and answer kind): the evidence that the policy speaks of it. */
  lexical: number;
  /** The share of the question's weight this passage matched (0–1). */
  coverage: number;
  /** How near the passage's meaning is to the question's (cosine of sentence vectors), when known. */
  meaning?: number;
}

interface Entry {
  passage: Passage;
  tf: Map<string, number>;
  bigrams: Set<string>;
  length: number;
  /** The text without its clauses' numbers, which give no kind of answer (see `withoutClauseNumbers`). */
  unnumbered: string;
  /** The passage's sentence vector (see `learn`). */
  meaning?: Float32Array;
  /** Each of the passage's sentences' vectors (see `learnMeanings`). */
  sentences?: Float32Array[];
  /** The defined terms whose meanings the passage is searched by already (see `withDefinitions`). */
  defined?: Set<string>;
}

/** A policy stem a question's word stands for, how much it counts, and whether only as a near word in the word vectors. */
interface Expansion {
  s: string;
  weight: number;
  near?: boolean;
}

/** The words before a person something goes to: "to the", "to our school", "to an educational". */
const RECIPIENT = /\bto\s+(?:(?:the|a|an|our|my|their|his|her|your)\s+)?(?:[a-z]+\s+)?$/i;
/** Where something goes: "to", "into" or "onto" and a determiner ("to my hotmail"; not "to do…"). */
const DESTINATION = /\b(?:to|into|onto)\s+(?:the|a|an|our|my|their|his|her|your)\s+(?:[a-z]+\s+)?$/i;
/**
 * Where something is or happened: "in", "on", "at"… and a determiner ("in the corridor", "on the
 * floor"), and what that place is of ("on the floor of the hall").
 */
const SCENE =
  /\b(?:in|on|at|under|behind|near|outside|inside|beside)\s+(?:the|a|an|our|my|their|his|her|your|this|that)\s+(?:[a-z]+\s+)?(?:[a-z]+\s+of\s+(?:the|a|an|our|my|their|his|her|your|this|that)\s+(?:[a-z]+\s+)?)?$/i;

/** Where a word first stands in a text, as a whole word (the text's length when it does not). */
function wordAt(text: string, word: string): number {
  const m = new RegExp(`\\b${escapeRegExp(word)}\\b`, 'i').exec(text);
  return m ? m.index : text.length;
}

/** A person's name after a title: "Mrs Helen Bracewell", "Dr Shah". */
const HONORIFIC = new RegExp(
  String.raw`\b(?:${TITLES}|Sister|Father|Rev)\.?\s+((?:[A-Z][a-z'’-]+\s+){0,2}[A-Z][a-z'’-]+)`,
  'g',
);
/** A name set after a word for a person, between commas: "our IT technician, Kieran Walsh, is…". */
const APPOSITION = /\b([a-z]+),\s+([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2})(?=,)/g;

/** How near in meaning another head after the same words must be to name the same thing (see `namesByItsKind`). */
const SAME_KIND_NEAR = 0.3;
/**
 * A term a policy defines, in quotes, and what it means: "'Security Incident' means any event that…",
 * "the term 'mobile devices' used in this policy refers to any removable media…".
 */
const DEFINITION =
  /["“‘']([A-Za-z][A-Za-z -]{2,60}?)["”’']\s+(?:[^.;:"“”‘’]{0,40}?\s)?(?:means|refers to|is defined as|shall mean)\s+([^.;]+)/g;
/** The words of a definition that say what the term is: its nouns and adjectives. */
const DEFINING_TAGS = new Set(['NOUN', 'PROPN', 'ADJ']);
/** A defined term used by more than this share of the passages is the policy's everyday word (see `withDefinitions`). */
const WIDELY_USED = 0.15;
/** How much a definition weighs in answer to a question that does not ask what something is (see `search`). */
const DEFINITION_WEIGHT = 0.5;
/** A question of what a thing is: "what is a portable media device?", "does a memory card count as one?", "is a near miss still a breach?". */
const ASKS_MEANING = new RegExp(
  [
    String.raw`\bwhat(?:['’]s|\s+is|\s+are)\s+(?:an?\s+|the\s+)?[\p{L} -]+\??\s*$`,
    String.raw`\bcounts?\s+as\b|\bmean(?:s|t|ing)?\b|\bdefin(?:e|ed|ition)\b`,
    // "is a near miss still a breach?", "is a memory card a portable media device?"
    String.raw`^\s*(?:is|are)\s+(?!(?:it|this|that|there|i|we|you)\b)(?:an?\s+|the\s+)?[\p{L}-]+(?:\s+[\p{L}-]+){0,2}?\s+(?:still\s+|also\s+|really\s+)?an?\s+[\p{L} -]+\??\s*$`,
  ].join('|'),
  'iu',
);
/** However short the policy, a term this few passages use is no everyday word of it. */
const FEW_USERS = 3;
/** How near in meaning the policy's kind before the same noun must be to a question's to name the same thing (see `namedAsAnotherKind`). */
const ANOTHER_KIND_NEAR = 0.4;
/** Words that say which one, not what kind (see `namesByItsKind`). */
const DETERMINERS = new Set([
  'the',
  'a',
  'an',
  'my',
  'our',
  'your',
  'his',
  'her',
  'their',
  'its',
  'this',
  'that',
  'these',
  'those',
  'old',
  'new',
]);

/** The parts of speech a question's subject can be found as in the policy (wink-nlp's tags). */
const CONTENT_TAGS = new Set(['NOUN', 'PROPN', 'VERB', 'ADJ']);

/** What a question is about (see `PolicyIndex.focus`). */
export interface Focus {
  word: string;
  stem: string;
  inPolicy: boolean;
  english: boolean;
  nearOnly: boolean;
  /** When found only as near words: the nearest one's similarity (cosine of word vectors). */
  nearest?: number;
}

/**
 * A noun closed from a verb of three letters or more and an English particle: "printout", "setup".
 * Not "in" or "on": too many plain words end so ("lesson" is not "less" + "on", nor "cabin" "cab" + "in").
 */
const CLOSING = ['out', 'up', 'off', 'down', 'over', 'back', 'away'];
const PARTICLE_COMPOUND = new RegExp(`^([a-z]{3,}?)(${CLOSING.join('|')})$`);
/** The particles a verb takes before the noun made of them, written apart ("back up", "log in"). */
const PARTICLES = new Set([...CLOSING, 'in', 'on']);

/** "How long", "how often", "how many": the form of a question, not what it is about. */
const QUESTION_FORM = /\bhow (?:long|often|many|much|soon|quickly)\b/gi;

/** A paragraph of more words than a phone shows at once (and three rules) is quoted by its rules (see `rulesOf`). */
const LONG_PARAGRAPH = 100;
/** A sentence that opens by pointing back at the one before ("This…", "They…") says nothing alone. */
const POINTS_BACK = /^(?:this|these|that|those|they|them|it|its|such|he|she|there|then|otherwise|however|but|also)\b/i;
/** A rule is quoted with the best one when it matches nearly as much (this share of it). */
const ALSO_RULE = 0.6;

/**
 * The rules of a long paragraph: each sentence, with the sentences after it that point back at it.
 * A policy written in long paragraphs states several rules in each ("…before you go home that day.
 * Do not wait… do not delete anything…"). One rule, or none for a paragraph too short to have several
 * (or a list's or table's lines).
 */
export function rulesOf(text: string): string[] {
  if (text.includes('\n') || text.split(/\s+/).length < LONG_PARAGRAPH) return [text];
  const rules: string[] = [];
  for (const sentence of sentencesIn(text)) {
    if (rules.length && POINTS_BACK.test(sentence)) rules[rules.length - 1] += ` ${sentence}`;
    else rules.push(sentence);
  }
  return rules.length >= 3 ? rules : [text];
}

/**
 * A passage's sentences for their own vectors: split after a full stop, question or exclamation
 * mark, colon or semicolon, and at line breaks (a list's items); fragments under three words
 * ("Examples include:") carry no meaning of their own.
 */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?;:])\s+|\n+/)
    .map((x) => x.trim())
    .filter((x) => x.split(/\s+/).length >= 3);
}

/**
 * How near a passage's meaning is to a question's: the mean of the whole passage's cosine and its
 * nearest sentence's. The whole says what the passage is about; the sentence, whether one line of
 * it says what was asked. Measured on the policy bench (four policies): 48 answers by the whole
 * alone, 49 by the larger of the two, 50 by their mean, 49 by the sentence alone.
 */
function nearness(question: Float32Array, e: Entry): number {
  const whole = similarity(question, e.meaning!);
  if (!e.sentences?.length) return whole;
  let best = -1;
  for (const v of e.sentences) best = Math.max(best, similarity(question, v));
  return (whole + best) / 2;
}

/** Words a school's policies use for one same thing (see the PolicyIndex constructor). */
export interface Alike {
  words: readonly string[];
  /**
   * Verbs: only the first word, as a verb of a question, stands for the others ("report it" for
   * "tell the Bursar"; "can I tell them my password?" is no report).
   */
  verbs?: boolean;
}

/**
 * Ranked full-text search over passages (BM25): exact words count fully, a WordNet synonym of a
 * word the policy uses at a lower weight, words of the section title count too, and adjacent question words found together in
 * the passage add a bonus.
 */
export class PolicyIndex {
  /**
   * `alike`: groups of words a school's policies use for one same thing, which neither WordNet nor
   * the word vectors relate (see PolicyLibrary). A question's word of a group, used by the policy
   * less than another of it, is searched by that one too, as the policy's own word for it. A group
   * of `verbs` is read so only from its first word, and only as a verb of the question ("report it",
   * not "a medical report").
   */
  constructor(alike: readonly Alike[] = []) {
    for (const { words: group, verbs } of alike) {
      const map = verbs ? this.alikeVerbs : this.alike;
      const stems = group.map((w) => stem(w));
      // (A group of verbs is read one way: its first, as staff say it, stands for the others.)
      for (const s of verbs ? stems.slice(0, 1) : stems)
        map.set(s, [...(map.get(s) ?? []), ...stems.filter((x) => x !== s)]);
    }
  }

  /** A word's stem → the stems of the words named alike with it (see the constructor). */
  private readonly alike = new Map<string, string[]>();
  /** The same, for verbs only. */
  private readonly alikeVerbs = new Map<string, string[]>();
  private readonly entries: Entry[] = [];
  private readonly df = new Map<string, number>();
  private avgLength = 1;
  /** The weight of a question's word the policy never uses: a fairly rare word's (see `search`). */
  private unknownWeight = 1;
  /** Every word the policy uses, as written, for the thesaurus. */
  private readonly vocabulary = new Set<string>();
  private thesaurus?: Thesaurus;
  private vectors?: WordVectors;
  /** The stems of the words the policy uses as nouns, verbs or adjectives (see `speaksOf`). */
  private readonly contentStems = new Set<string>();
  /** The nouns of its verbs of two words the policy does not write (see `phrasalNouns`). */
  private readonly phrasal = new Set<string>();
  /** The policy's words that have a vector. */
  private vectorVocabulary?: Candidates;
  /** A question's word → the policy's words nearest to it (questions repeat their words). */
  private readonly neighbours = new Map<string, Expansion[]>();
  readonly sections: Array<{ doc: string; docTitle: string; title: string; paragraphs: string[] }> = [];

  add(doc: string, docTitle: string, sections: Section[]): void {
    // The names of several words are read again from every document at the next search.
    this.names = undefined;
    const written = new Set(sections.flatMap((s) => [s.title, ...s.paragraphs].flatMap(tokens)));
    const own = ownName(sections.flatMap((s) => [s.title, ...s.paragraphs]).join('\n'));
    if (own) this.ownNames.add(own);
    sections.forEach((s, at) => {
      const sectionIndex = this.sections.push({ doc, docTitle, title: s.title, paragraphs: s.paragraphs }) - 1;
      // A first heading that is the document's own title ("Thornfield Nursery and Infant School",
      // "INFORMATION SECURITY POLICY") names what the whole document is about, not what its opening
      // paragraphs say: "who are the nursery governors?" is not answered by "Governors agreed it".
      const opening = at === 0 && namesDocument(s.title);
      if (opening) this.openings.add(sectionIndex);
      const titleNouns = opening ? [] : phrasalNouns(s.title, written);
      for (const n of titleNouns) this.phrasal.add(n);
      const titleTokens = opening ? [] : [...tokens(s.title), ...titleNouns];
      // A clause's number is no part of its sentence: "8.3 Lessons may be recorded…" starts one.
      for (const para of s.paragraphs) this.readCapitals(withoutClauseNumbers(para));
      for (const text of [s.title, ...s.paragraphs]) this.readNames(text);
      this.readShortForms(s.title);
      for (const para of s.paragraphs) this.readPeople(para);
      s.paragraphs.forEach((para, index) => {
        // A lead-in ending in a colon, or a paragraph the next one refers back to ("These would all
        // need to be reported…"), is indexed and quoted together with that next paragraph.
        // A question labelled so ("Q: …") is indexed with its answer, however long; and nothing
        // with the next question.
        const next = s.paragraphs[index + 1];
        const text =
          next &&
          !QUESTION_LABEL.test(next) &&
          (para.endsWith(':') ||
            para.length < 90 ||
            /^(?:these|this|they|such|it|that)\b/i.test(next) ||
            (QUESTION_LABEL.test(para) && ANSWER_LABEL.test(next)))
            ? `${para}\n${next}`
            : para;
        // A table is searched row by row, each row with the table's introduction and header, so
        // "where are financial records kept?" finds the row that says.
        // A list is searched item by item the same way, each item with its lead-in: one item of a
        // long list of rules answers a question, and the rest of the list only dilutes it.
        const lines = text.split('\n');
        const rows = lines.filter((l) => l.startsWith('| '));
        const items = lines.filter((l) => l.startsWith('• '));
        const units =
          rows.length > 2
            ? rows.slice(1).map((r) => [...lines.filter((l) => !l.startsWith('| ')), rows[0], r].join('\n'))
            : items.length > 2
              ? items.map((item) => [...lines.filter((l) => !l.startsWith('• ')), item].join('\n'))
              : [text];
        for (const unit of units)
          this.addPassage(doc, docTitle, s.title, sectionIndex, index, unit, titleTokens, phrasalNouns(unit, written));
      });
    });
    this.withNamesOfShortForms();
    this.withDefinitions();
  }

  /** The passages that define a term (see `withDefinitions`). */
  private readonly definitions = new WeakSet<Passage>();

  /**
   * A policy that defines its terms ("'Portable Media Device' means any removable storage device,
   * including USB memory sticks…") then writes the term where staff write the thing: each passage
   * that uses a term it defines is searched by the nouns and adjectives of its meaning too, so "I
   * found a memory card, what should I do with it?" finds "Any Portable Media Device found on School
   * premises shall be handed to…". A term most passages use ("Personal Data") says nothing of any one of
   * them: its meaning is left out. Read again as each document is added, as short forms are.
   */
  private withDefinitions(): void {
    const bodies = new Map(this.entries.map((e) => [e, tokens(e.passage.text)]));
    const uses = (e: Entry, term: string[]) => {
      const body = bodies.get(e)!;
      return body.some((_, i) => term.every((t, k) => body[i + k] === t));
    };
    let changed = false;
    for (const e of this.entries)
      for (const m of e.passage.text.matchAll(DEFINITION)) {
        const term = tokens(m[1]!);
        const meaning = partsOfSpeech(m[2]!)
          .filter((t) => DEFINING_TAGS.has(t.pos))
          .flatMap((t) => tokens(t.word))
          .filter((w) => !term.includes(w));
        if (!term.length || !meaning.length) continue;
        this.definitions.add(e.passage);
        const users = this.entries.filter((x) => x !== e && uses(x, term));
        if (users.length > Math.max(FEW_USERS, this.entries.length * WIDELY_USED)) continue;
        const key = term.join(' ');
        for (const x of users) {
          if (x.defined?.has(key)) continue;
          (x.defined ??= new Set()).add(key);
          const added = new Set(meaning.filter((w) => !x.tf.has(w)));
          for (const w of added) {
            x.tf.set(w, 1);
            this.df.set(w, (this.df.get(w) ?? 0) + 1);
          }
          x.length += added.size;
          changed = true;
        }
      }
    if (changed) this.reweigh();
  }

  /** The passages whose short forms have been read as their names (see `withNamesOfShortForms`). */
  private readonly named = new WeakSet<Entry>();

  /**
   * Each passage that writes a short form the policy spells out somewhere ("School Business Manager
   * (SBM)" in the list of who's who, then "SBM away → email the DPO") is searched by the name's
   * words too, so that "the business manager isn't around" finds it. Read again as each document is
   * added: a document's glossary may come after the passages that use its short forms.
   */
  private withNamesOfShortForms(): void {
    for (const e of this.entries) {
      if (this.named.has(e)) continue;
      const added = new Set<string>();
      for (const m of e.passage.text.matchAll(SHORT_FORM)) {
        const name = this.nameFor(m[1]!.toLowerCase(), true);
        if (name) for (const t of tokens(name)) if (!e.tf.has(t)) added.add(t);
      }
      if (!added.size) continue;
      this.named.add(e);
      for (const t of added) {
        e.tf.set(t, 1);
        this.df.set(t, (this.df.get(t) ?? 0) + 1);
      }
      e.length += added.size;
    }
    this.reweigh();
  }

  /** The average passage length and the weight of an unknown word, again after passages gained words. */
  private reweigh(): void {
    this.avgLength = this.entries.reduce((a, e) => a + e.length, 0) / Math.max(1, this.entries.length);
    const idfs = [...this.df.keys()].map((w) => this.idf(w)).sort((x, y) => x - y);
    this.unknownWeight = idfs[Math.floor(idfs.length * 0.75)] ?? 1;
  }

  /** Whether the policy writes this word (in any case). */
  writes(word: string): boolean {
    return this.vocabulary.has(word.toLowerCase());
  }

  /** How many of the policy's paragraphs and headings use a word (as its stem). */
  paragraphsWith(word: string): number {
    const s = stem(word.toLowerCase());
    return this.sections.flatMap((x) => [x.title, ...x.paragraphs]).filter((t) => tokens(t).includes(s)).length;
  }

  /** The sections that open a document, whose headings name the document (see `add`). */
  private readonly openings = new Set<number>();

  /** The heading that says what a section's passages are about: none for a document's opening section. */
  heading(sectionIndex: number): string {
    return this.openings.has(sectionIndex) ? '' : (this.sections[sectionIndex]?.title ?? '');
  }

  /** What each document calls itself ("this policy", "this Code"; see `ownName`). */
  private readonly ownNames = new Set<string>();

  /** Each paragraph quoted so far, as its rules (see `quoted`): the policy's own paragraphs, so no more than it has. */
  private readonly rules = new Map<string, string[]>();

  /** The words of the people's names the policy gives, in lower case (see `readPeople`). */
  private readonly people = new Set<string>();

  /**
   * The names of the people a policy names: after a title ("Mrs Helen Bracewell", "Dr Shah"), or
   * set after the role they hold ("our IT technician, Kieran Walsh, is…").
   */
  private readPeople(text: string): void {
    for (const m of text.matchAll(HONORIFIC)) for (const w of m[1]!.split(/\s+/)) this.people.add(w.toLowerCase());
    for (const m of text.matchAll(APPOSITION))
      if (isPerson(m[1]!)) for (const w of m[2]!.split(/\s+/)) this.people.add(w.toLowerCase());
  }

  /** Whether each word of a name is of a person the policy names ("Kieran", "Kieran Walsh"): no app, whatever its capitals. */
  namesPerson(name: string): boolean {
    const parts = name.toLowerCase().split(/\s+/).filter(Boolean);
    return parts.length > 0 && parts.every((w) => this.people.has(w));
  }

  /** Stems the policy writes in lower case somewhere (see `readCapitals`). */
  private readonly lowerStems = new Set<string>();
  /** Stems the policy writes only as a name, capitalised within a sentence, with the forms it writes ("windows"). */
  private readonly nameForms = new Map<string, Set<string>>();

  /**
   * Which words the policy writes as names: capitalised within a sentence, never in lower case
   * ("Windows", the software). A name is not inflected: "Windows" is not the plural of "window".
   * A word at the start of a line or sentence says nothing either way.
   */
  private readCapitals(text: string): void {
    const folded = text.replace(/(\w)-(?=\w)/g, '$1');
    for (const m of folded.matchAll(/[A-Za-z][A-Za-z']*/g)) {
      const w = m[0].toLowerCase().replace(/'s$/, '');
      if (w.length < 3 || STOP.has(w)) continue;
      const starts = /(?:^|[.!?:;•|\n])[\s"'“‘([]*$/.test(folded.slice(Math.max(0, m.index - 6), m.index));
      const s = stem(w);
      if (m[0][0] === m[0][0]!.toLowerCase()) this.lowerStems.add(s);
      else if (!starts) {
        let forms = this.nameForms.get(s);
        if (!forms) this.nameForms.set(s, (forms = new Set()));
        forms.add(w);
      }
    }
  }

  /** Whether a question's word is the policy's word for that stem: not when the policy has the stem only as a different name ("window", "Windows"). */
  private sameWord(word: string, s: string): boolean {
    const forms = this.nameForms.get(s);
    // (A short form the policy writes in capitals is its word, one or several: "IDP", "IDPs".)
    return !forms || this.lowerStems.has(s) || forms.has(word) || this.shortForms.has(word);
  }

  /** Initials → the names the policy writes in full with them ("dpo" → "Data Protection Officer"), each with how often. */
  private readonly initials = new Map<string, Map<string, number>>();

  /**
   * The names the policy writes in capitals ("Data Protection Officer", "Information
   * Commissioner's Office"), by their initials: staff type "DPO" or "ico" where the policy spells
   * the name out, and a policy may never give the short form at all. Every run of two to five
   * capitalised words counts ("of", "and", "for" between them add no initial).
   */
  private readNames(text: string): void {
    for (const run of text.matchAll(/[A-Z][a-z]+(?:['’]s)?(?:\s+(?:(?:of|and|for)\s+)?[A-Z][a-z]+(?:['’]s)?)+/g)) {
      const parts = run[0].split(/\s+/);
      for (let i = 0; i < parts.length; i++) {
        if (/^(?:of|and|for)$/.test(parts[i]!)) continue;
        for (let j = i + 1; j < Math.min(parts.length, i + 7); j++) {
          const name = parts.slice(i, j + 1);
          const caps = name.filter((w) => !/^(?:of|and|for)$/.test(w));
          if (caps.length < 2 || caps.length > 5 || /^(?:of|and|for)$/.test(name.at(-1)!)) continue;
          const key = caps.map((w) => w[0]!.toLowerCase()).join('');
          if (key.length < 3) continue;
          const phrase = name.join(' ').replace(/['’]s$/, '');
          let names = this.initials.get(key);
          if (!names) this.initials.set(key, (names = new Map()));
          names.set(phrase, (names.get(phrase) ?? 0) + 1);
        }
      }
    }
    // And the names it writes in lower case ("special educational needs", "senior leadership
    // team"), which staff shorten all the same: runs of three to five words, none a stop word,
    // that start as a name does, with a noun or an adjective ("containing personal data" is no
    // name, and "CPD" no short form of it).
    const joins = (w: string) => /^(?:of|and|for)$/.test(w);
    const named = (w: string) => /^[a-z]+$/.test(w) && !STOP.has(w);
    for (const part of text.split(/[.!?;:,()\n•|]+/)) {
      const sentence = part.trim();
      const parts = sentence.split(/\s+/);
      for (let i = 0; i < parts.length; i++) {
        if (!named(parts[i]!) || !['NOUN', 'ADJ', 'PROPN'].includes(tagOf(sentence, parts[i]!) ?? '')) continue;
        let key = '';
        for (let j = i; j < parts.length && key.length < 5; j++) {
          const w = parts[j]!;
          if (joins(w)) continue;
          if (!named(w)) break;
          key += w[0];
          if (key.length < 3) continue;
          const phrase = parts.slice(i, j + 1).join(' ');
          let names = this.lowerInitials.get(key);
          if (!names) this.lowerInitials.set(key, (names = new Map()));
          names.set(phrase, (names.get(phrase) ?? 0) + 1);
        }
      }
    }
  }

  /** The same for the names the policy writes in lower case: typed in capitals, a short form stands for one of them. */
  private readonly lowerInitials = new Map<string, Map<string, number>>();
  /** The policy's names of several words, by their stems (see `namedStems`); read at the first search. */
  private names?: string[][];

  /**
   * The stems of the policy's names of three words or more ("data protection officer", "special
   * educational needs"): one thing each, which a question's search weighs as one word, not three.
   */
  private namedStems(): string[][] {
    const out: string[][] = [];
    for (const map of [this.initials, this.lowerInitials])
      for (const names of map.values())
        for (const name of names.keys()) {
          const stems = terms(name).map((t) => t.stem);
          if (stems.length >= 3) out.push(stems);
        }
    return out;
  }

  /**
   * A question with the policy's names and their short forms as the policy writes them: short forms
   * written out where the policy spells the name out (`namesSpelledOut`), names given their short
   * form where the policy writes only that (`withShortForms`).
   */
  private spelledOut(question: string): string {
    return this.withShortForms(this.namesSpelledOut(question));
  }

  /** The short forms the policy writes in capitals as words of their own ("DPO", "SAR"), lower case. */
  private readonly shortForms = new Set<string>();

  /** The name the policy spells out with these initials, written most often; none when two are written as often. */
  private nameFor(initials: string, typedInCapitals: boolean): string | undefined {
    const names = this.initials.get(initials) ?? (typedInCapitals ? this.lowerInitials.get(initials) : undefined);
    if (!names) return undefined;
    const [first, second] = [...names].sort((a, b) => b[1] - a[1]);
    return second && second[1] === first![1] ? undefined : first![0];
  }

  /**
   * A question with the short form the policy uses after a name it spells out in full ("who is our
   * data protection officer?" + "DPO"), where the policy writes only the short form ("DPO: Priya
   * Lal"), never the name: a quick reference or a poster names roles and processes by their
   * initials alone. A run of two to five of the question's words after a determiner ("of", "and",
   * "for" between them add no initial) whose initials the policy writes in capitals as a word.
   */
  private withShortForms(question: string): string {
    const ws = [...question.matchAll(/[A-Za-z]+/g)];
    const joins = (w: string) => /^(?:of|and|for)$/i.test(w);
    for (let i = 0; i < ws.length; i++) {
      if (joins(ws[i]![0]) || STOP.has(ws[i]![0].toLowerCase())) continue;
      // A name is a noun phrase: it starts the question or follows its determiner ("our data
      // protection officer", "a subject access request"; not "…delete photos off…").
      if (i > 0 && !NAME_DETERMINER.test(ws[i - 1]![0])) continue;
      let key = '';
      for (let j = i; j < ws.length && key.length < 5; j++) {
        const w = ws[j]![0];
        if (joins(w) && j > i) continue;
        if (w.length < 2 || STOP.has(w.toLowerCase())) break;
        key += w[0]!.toLowerCase();
        if (j > i && key.length >= 3 && this.shortForms.has(key) && !this.nameFor(key, true)) {
          // The name's words give way to the short form, as a short form gives way to the name the policy spells out.
          const end = ws[j]!.index + w.length;
          return this.withShortForms(`${question.slice(0, ws[i]!.index)}${key.toUpperCase()}${question.slice(end)}`);
        }
      }
    }
    return question;
  }

  /**
   * A question with the short forms of the policy's names written out ("how do I contact the DPO"
   * → "…the Data Protection Officer"), where the policy never uses the short form as a word of its
   * own. Typed in capitals, or in lower case when English rarely uses it as a word ("dpo", "dsl",
   * not "sat" or "its"); a name the policy writes in lower case ("special educational needs"), only
   * when typed in capitals ("SEN").
   */
  private namesSpelledOut(question: string): string {
    return question.replace(/\b[A-Za-z]{3,5}\b/g, (w) => {
      const lower = w.toLowerCase();
      const name = this.nameFor(lower, w === w.toUpperCase());
      if (!name) return w;
      if (w !== w.toUpperCase() && (this.vectors?.rank(lower) ?? Infinity) < RARE_RANK) return w;
      // A policy that uses the short form as a word of its own as well says both: the question keeps
      // it and gains the name ("who is the DPO?" finds "Data Protection Officer: Priya…" beside "tell the DPO").
      return this.contentStems.has(stem(lower)) ? `${w} ${name}` : name;
    });
  }

  /** How often the policy uses each word, for correcting a question's typing (see `corrected`). */
  private readonly wordCounts = new Map<string, number>();
  private spelling?: Spelling;

  /**
   * A question with its words typed wrong on a phone written as the policy's words ("pasword",
   * "memroy", "safegaurding"): see `Spelling`.
   */
  corrected(typed: string): string {
    const question = this.spelledOut(typed);
    return this.spelling ? this.spelling.text(question) : question;
  }

  /**
   * A question without what comes before it when that says nothing the policy speaks of: a greeting
   * or an apology ("hiya,", "morning!", "sorry to bother you,"). Staff type these on a phone, and a
   * greeting English text rarely writes ("hiya") would be read as what the question is about, the
   * least common of its words. A lead-in that names something the policy speaks of ("Laptops, can
   * we take them home?"), in its word or a synonym, is part of the question and stays.
   */
  withoutLeadIn(question: string): string {
    let rest = question;
    for (let i = 0; i < 2; i++) {
      const m = /^\s*([^,!:;.?]{1,40})[,!:;.]\s+(?=\S)/.exec(rest);
      if (!m || m[1]!.trim().split(/\s+/).length > 4) break;
      const after = rest.slice(m[0].length);
      const named = terms(m[1]!).some((t) => {
        const f = this.speaksOf(t);
        return f.inPolicy && !f.nearOnly;
      });
      if (named || terms(after).length < 2) break;
      rest = after;
    }
    return rest;
  }

  /** The short forms a text writes in capitals as words of their own (see `shortForms`). */
  private readShortForms(text: string): void {
    // (Not a word of a line written in capitals: "BREACH? ACT FAST".)
    for (const m of text.matchAll(SHORT_FORM)) {
      const before = /([A-Za-z]+)\W*$/.exec(text.slice(0, m.index))?.[1];
      const after = /^\W*([A-Za-z]+)/.exec(text.slice(m.index + m[0].length))?.[1];
      const near = [before, after].filter((w) => w !== undefined);
      // (In brackets after what it stands for, it is one, whatever the capitals around: "RECORDS (SAR)".)
      const bracketed = text[m.index - 1] === '(';
      if (bracketed || !near.length || near.some((w) => w.length < 2 || w !== w.toUpperCase()))
        this.shortForms.add(m[1]!.toLowerCase());
    }
  }

  private addPassage(
    doc: string,
    docTitle: string,
    section: string,
    sectionIndex: number,
    index: number,
    text: string,
    titleTokens: string[],
    made: string[],
  ): void {
    const body = tokens(text);
    this.readShortForms(text);
    for (const w of words(text)) {
      this.vocabulary.add(w);
      this.wordCounts.set(w, (this.wordCounts.get(w) ?? 0) + 1);
    }
    // A paragraph that starts with its own short label ("Portable media devices: …") is about that label.
    const label = /^([^:\n]{3,60}):\s/.exec(text)?.[1];
    const labelTokens = label && label.split(/\s+/).length <= 6 ? tokens(label) : [];
    for (const n of made) this.phrasal.add(n);
    const all = [
      ...body,
      ...compoundHeads(text),
      ...made,
      ...titleTokens,
      ...titleTokens,
      ...labelTokens,
      ...labelTokens,
    ];
    const tf = new Map<string, number>();
    for (const w of all) tf.set(w, (tf.get(w) ?? 0) + 1);
    const bigrams = new Set<string>();
    for (let i = 1; i < body.length; i++) bigrams.add(`${body[i - 1]} ${body[i]}`);
    for (const w of tf.keys()) this.df.set(w, (this.df.get(w) ?? 0) + 1);
    this.entries.push({
      passage: { doc, docTitle, section, sectionIndex, index, text },
      tf,
      bigrams,
      length: all.length,
      unnumbered: withoutClauseNumbers(text),
    });
  }

  get size(): number {
    return this.entries.length;
  }

  private idf(w: string): number {
    return idfOf(this.entries.length, this.df.get(w) ?? 0);
  }

  /** How much a question's word weighs: its rarest policy word, as much as it stands for it; `none` when it stands for none. */
  private weightOf(forms: Expansion[], none: number): number {
    return forms.length ? Math.max(...forms.map((x) => this.idf(x.s) * x.weight)) : none;
  }

  /**
   * How a word score of this policy compares with one of a policy of `REFERENCE_PASSAGES`: a rare
   * word's idf grows with the log of the number of passages, so the same question matching the
   * same rule scores less in a short policy (39 passages: 0.78 of the score) than in a long one.
   */
  get scoreScale(): number {
    return idfOf(this.entries.length, 1) / idfOf(REFERENCE_PASSAGES, 1);
  }

  private encoder?: SentenceEncoder;
  /** Whether passages' meanings are to be read (`learn({ meanings: false })` says no), and the reading once begun. */
  private meaningsWanted = false;
  private meaningsRead?: Promise<void>;
  /** Why the passages' meanings could not be read, when they could not: the search then goes by words alone. */
  meaningsFailed?: Error;

  /**
   * Reads the policy's words in WordNet and the word vectors, so a question in other words finds
   * them. Call once all documents are added. Each passage's meaning, so that a question put quite
   * otherwise finds it too, is read at the first question that needs it (`learnMeanings`):
   * a process that only sends reminders never loads the sentence encoder. `meanings: false`
   * leaves it out (words only).
   */
  async learn(opts: { meanings?: boolean } = {}): Promise<void> {
    this.meaningsWanted = opts.meanings !== false;
    this.thesaurus = await Thesaurus.forVocabulary(this.vocabulary, stem, this.ownNames);
    this.vectors = WordVectors.load();
    const vectors = this.vectors;
    this.spelling = new Spelling(this.wordCounts, (w) => vectors.has(w));
    nounsOf('Load the tagger now, not at the first question.');
    sentencesIn('Load the sentence reader now. Not at the first answer.');
    isPhrasalVerb('read', 'up'); // and WordNet's verbs of two words (a file read, ~2 ms)
    // The stems the policy uses as a noun, verb or adjective: "even" (an adverb) is no evening.
    for (const s of this.sections)
      for (const text of [s.title, ...s.paragraphs])
        for (const t of partsOfSpeech(text))
          if (CONTENT_TAGS.has(t.pos)) for (const x of terms(t.word)) this.contentStems.add(x.stem);
    // And the nouns its verbs of two words make ("logging in": a login).
    for (const n of this.phrasal) this.contentStems.add(n);
    for (const w of this.vocabulary) {
      const st = stem(w);
      let forms = this.stemForms.get(st);
      if (!forms) this.stemForms.set(st, (forms = new Set()));
      forms.add(w);
    }
    this.vectorVocabulary = this.vectors.candidates(
      [...this.vocabulary].filter((w) => w.length >= 3 && !STOP.has(w) && this.df.has(stem(w))),
    );
    // One question of its own, so that the first person to ask does not wait for the code paths
    // and tables a question first touches (measured: 10 ms of a first answer's 13 ms).
    this.focus(WARM_QUESTION);
    this.search(WARM_QUESTION, 8);
  }

  /**
   * The policy's stems a question's word stands for: itself when the policy uses it, its WordNet
   * synonyms, and the policy's words nearest to it in the word vectors.
   */
  private expand(w: string, next?: string, raw?: string, nounsOnly = false, verb = false): Expansion[] {
    const out: Expansion[] = [];
    // A verb of two words means what they mean together, not what the first means alone: "backed
    // up" is no "supported" (WordNet's first sense of "back"), and to write a report up is more
    // than to write. The first word alone is a word related to it, as a synonym is.
    const phrasal = next !== undefined && PARTICLES.has(next) && isPhrasalVerb(raw ?? w, next);
    if (this.df.has(w) && this.sameStemWord(w, raw)) out.push({ s: w, weight: phrasal ? SYNONYM_WEIGHT : 1 });
    // The policy's own word for the same thing ("incident" where the question says "breach"), when
    // it uses the question's less (a policy may speak of a breach of its rules once, and of
    // incidents throughout): as the question's word itself.
    for (const s of [...(this.alike.get(w) ?? []), ...((verb && this.alikeVerbs.get(w)) || [])])
      if ((this.df.get(s) ?? 0) > (this.df.get(w) ?? 0) && !out.some((o) => o.s === s)) out.push({ s, weight: 1 });
    // A verb and its particle are the noun the policy may make of them: "backed up" is a backup,
    // "log in" a login, "set up" a setup.
    if (next && PARTICLES.has(next) && this.df.has(`${w}${next}`)) out.push({ s: `${w}${next}`, weight: 1 });
    for (const key of next ? (phrasal ? [`${w}_${next}`] : [w, `${w}_${next}`]) : [w]) {
      for (const s of this.thesaurus?.synonyms(key, nounsOnly, key === w ? raw : undefined) ?? [])
        if (s !== w) out.push({ s, weight: SYNONYM_WEIGHT });
    }
    if (raw && this.vectors && this.vectorVocabulary) {
      let near = this.neighbours.get(raw);
      if (!near) {
        near = this.vectors
          .nearest(raw, this.vectorVocabulary, NEIGHBOUR_MIN, 3)
          .map((n) => ({ s: stem(n.word), weight: NEIGHBOUR_WEIGHT * n.similarity, near: true }))
          .filter((n) => n.s !== w);
        if (this.neighbours.size < 20_000) this.neighbours.set(raw, near);
      }
      for (const n of near) if (!out.some((o) => o.s === n.s && o.weight >= n.weight)) out.push(n);
    }
    return out;
  }

  /** Each stem the policy uses, with the words it writes for it. */
  private readonly stemForms = new Map<string, Set<string>>();

  /**
   * Whether a question's word is the policy's word of the same stem: Snowball makes "evening"
   * "even", and a policy that says "even" only as an adverb ("even for a minute") says nothing of
   * parents' evenings. A stem the policy uses as a noun, verb or adjective is its word in any form;
   * one it uses only otherwise, only in a form it writes.
   */
  private sameStemWord(s: string, raw?: string): boolean {
    if (!raw || !this.contentStems.size || this.contentStems.has(s)) return true;
    // (A short form the policy writes in capitals is its word, one or several: "IDP", "IDPs".)
    return (this.stemForms.get(s)?.has(raw) ?? true) || this.shortForms.has(raw);
  }

  /** Questions' sentence vectors, kept for their next asking (staff repeat themselves). */
  private readonly meanings = new Map<string, Promise<Float32Array>>();

  /**
   * Loads the sentence encoder and each passage's meaning (from the cache when these passages were
   * read before), once. The web process does it at start, so no question waits for it. A failure
   * is kept in `meaningsFailed`, and the search goes by words alone.
   */
  learnMeanings(): Promise<void> {
    if (!this.meaningsWanted) return Promise.resolve();
    return (this.meaningsRead ??= (async () => {
      try {
        const encoder = await SentenceEncoder.load();
        // The passage alone: its section's title already counts on the words' side.
        const vectors = await encoder.passages(this.entries.map((e) => e.passage.text));
        this.entries.forEach((e, i) => (e.meaning = vectors[i]));
        // And each sentence's: a long passage's one vector blurs the sentence that answers.
        // A section headed by a question (a policy written as questions and answers) answers that
        // question: the heading is read as one of its sentences, the one a person's question
        // in other words is nearest to.
        const split = this.entries.map((e) => [
          ...sentencesOf(e.passage.text),
          ...(e.passage.section.endsWith('?') ? [e.passage.section] : []),
        ]);
        const flat = await encoder.passages(split.flat());
        let k = 0;
        this.entries.forEach((e, i) => (e.sentences = split[i]!.map(() => flat[k++]!)));
        await encoder.warm(this.entries.map((e) => e.passage.text));
        this.encoder = encoder;
      } catch (err) {
        this.meaningsFailed = err as Error;
      }
    })());
  }

  /**
   * Starts reading a question's meaning before anyone asks for it, when the encoder is free: a
   * guess, so it never queues ahead of a question that is waiting (a burst of messages is encoded
   * as each needs it, not all of them in arrival order).
   */
  prefetch(query: string): void {
    if (this.encoder?.idle) this.meaningOf(query).catch(() => undefined);
  }

  /** The question's sentence vector, for `search` (undefined when the index has no meanings). */
  async meaningOf(query: string): Promise<Float32Array | undefined> {
    await this.learnMeanings();
    if (!this.encoder) return undefined;
    const key = query.trim().toLowerCase();
    let v = this.meanings.get(key);
    if (!v) {
      v = this.encoder.question(query);
      if (this.meanings.size >= 2_000) this.meanings.delete(this.meanings.keys().next().value!);
      this.meanings.set(key, v);
      v.catch(() => this.meanings.delete(key));
    }
    return v;
  }

  /** Forgets the questions' vectors (a benchmark times each question as if asked for the first time). */
  forgetMeanings(): void {
    this.meanings.clear();
  }

  /**
   * The passages that answer a question best. With the question's sentence vector (`meaningOf`),
   * passages are ranked by their words and their meaning together; without, by their words.
   */
  search(query: string, limit = 3, meaning?: Float32Array): Hit[] {
    // "How long", "how often": the question's form, which the answer kinds weigh, not its subject.
    const text = query.replace(QUESTION_FORM, ' ');
    const raw = tokens(text);
    const q = questionTerms(text);
    if (!q.length) return [];
    const k1 = 1.2;
    const b = 0.75;
    const forms = q.map((t) => this.expand(t.stem, t.next, t.word, false, t.verb));
    // A word the policy never uses (in any sense) weighs as a fairly rare word of the policy: the
    // policy may say it otherwise, but a question about something it never mentions ("VPN") should
    // not be answered from the other words alone.
    // "My laptop has packed in. Can I just throw it away?": the sentence that asks says what is
    // wanted; the ones before it set the scene. Its words count for more.
    const asked = askedTerms(text);
    const stress = q.map((t) => (asked?.stems.has(t.stem) ? ASKED_WEIGHT : 1));
    // What a clause after a comma asks may refer back to the scene ("…asked for my password, should
    // I give it to him?"): its words rank the passages, but how much of the question a passage
    // covers is weighed without them.
    const covers = (i: number) => (asked?.clause ? 1 : stress[i]!);
    // A measure the policy never names ("length" in "what's the minimum password length?") is what
    // is asked of the other words, as "how long" is: it weighs nothing when they are found.
    // So is a word for what the policy says ("the rules on…", "the password rules"): it weighs nothing.
    const frames = framesOf(text);
    const counts = (i: number) =>
      (forms[i]!.length > 0 || !measureOf(text, q[i]!.word) || !forms.some((f) => f.length)) &&
      (!frames.has(q[i]!.word) || q.length === 1);
    // A name of several words is one thing: each of its words counts its share ("SEN" written out
    // as "special educational needs" weighs as one word of the question, not three).
    const share = q.map(() => 1);
    for (const name of (this.names ??= this.namedStems()))
      for (let i = 0; i + name.length <= q.length; i++)
        if (name.every((st, k) => q[i + k]!.stem === st))
          for (let k = 0; k < name.length; k++) share[i + k] = 1 / name.length;
    const weights = forms.map((f, i) =>
      !counts(i) ? 0 : this.weightOf(f, this.unknownWeight) * covers(i) * share[i]!,
    );
    const total = weights.reduce((a, x) => a + x, 0) || 1;
    const qBigrams: string[] = [];
    for (let i = 1; i < raw.length; i++) qBigrams.push(`${raw[i - 1]} ${raw[i]}`);
    const kinds = answerKindsAsked(query);
    // A detail asked for by its name is found in a passage that gives one (see `DETAILS`).
    const details = detailsAsked(query, q);
    // A definition says what a term means: it answers a question of what a thing is, and of anything
    // else what the passages that use the term say of it does (see `withDefinitions`).
    const definition = ASKS_MEANING.test(query) ? 1 : DEFINITION_WEIGHT;
    const hits: Hit[] = [];
    for (const e of this.entries) {
      const near = meaning && e.meaning ? nearness(meaning, e) : undefined;
      let score = 0;
      let matched = 0;
      forms.forEach((f, i) => {
        let best = 0;
        for (const { s, weight } of f) {
          const tf = e.tf.get(s) ?? 0;
          if (!tf) continue;
          const v = weight * this.idf(s) * ((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * e.length) / this.avgLength)));
          if (v > best) best = v;
        }
        if (!best && details[i]?.test(e.unnumbered)) {
          best =
            (this.weightOf(f, this.unknownWeight) * (k1 + 1)) / (1 + k1 * (1 - b + (b * e.length) / this.avgLength));
        }
        if (best > 0) matched += weights[i]!;
        score += best * stress[i]! * share[i]!;
      });
      if (score <= 0 && near === undefined) continue;
      for (const bg of qBigrams) if (score > 0 && e.bigrams.has(bg)) score += 1.5;
      // Prefer passages that answer more of the question: plain BM25 lets one frequent word win.
      const coverage = matched / total;
      const kind = kinds.some((k) => k.gives.test(e.unnumbered)) ? KIND_BONUS : 1;
      const lexical = score * (0.25 + coverage) * kind * (this.definitions.has(e.passage) ? definition : 1);
      hits.push({ passage: e.passage, score: lexical, lexical, coverage, meaning: near });
    }
    // (Fused with meaning, the rank is made again from the words' and the meaning's ranges: a
    // definition weighs its share there too. By words alone its score is already weighed.)
    if (meaning) {
      fuse(hits);
      if (definition < 1) for (const h of hits) if (this.definitions.has(h.passage)) h.score *= definition;
    }
    hits.sort((a, b2) => b2.score - a.score);
    return hits.slice(0, limit);
  }

  /**
   * What a question is about: of its nouns (and the adjectives before them, which may name the kind
   * that is asked about: "sick days", "public wifi"), the least common in English ("webcam" in "should I
   * cover the webcam on my school laptop?", "laptop" in "my laptop's been nicked from my car"),
   * and whether the policy speaks of it anywhere, in that word, a synonym or a near one. A policy
   * that never mentions what the question is about does not answer it, however many of the other
   * words it shares. A word English text never uses ("INSET", a compound like "out-of-office")
   * is the least common of all: when the policy does not use it either, it is not answered.
   */
  focus(query: string): Focus | undefined {
    // What is asked about may be in the clause that asks rather than in a condition ("…if I'm only
    // popping to the loo") or the scene before it ("a pile of files in the cupboard, can they go in
    // the recycling?"): that clause's subject when the policy speaks of it, else the question's
    // ("I left a printout at home, is that a problem?" is about the printout).
    // "Is email ok for sending the SATs results…?": what is asked whether it may be used is what the
    // question is about, when the policy speaks of it, however rare the other nouns.
    const judged = JUDGED.exec(query)?.[1];
    const asked = judged ? this.focusOn(query, judged) : undefined;
    if (asked?.inPolicy && !asked.nearOnly) return asked;
    const inClause = this.askedAbout(query);
    return inClause?.inPolicy && !inClause.nearOnly
      ? inClause
      : this.focusIn(query, subjectNouns(query, nounsOf(query, true)));
  }

  /**
   * What the clause that asks names, when the question has a scene before it ("my own laptop is
   * used for school work, does it need anti-virus?": anti-virus); undefined when it names nothing.
   */
  askedAbout(query: string): Focus | undefined {
    const asking = askingClause(query);
    return asking ? this.focusIn(query, subjectNouns(asking, nounsOf(asking, true))) : undefined;
  }

  /** The focus (see `focus`) of a question among these of its nouns. */
  private focusIn(query: string, nouns: string[]): Focus | undefined {
    let best: { word: string; stem: string; next?: string; rank: number } | undefined;
    const all = questionTerms(query);
    // A measure the policy never names is what is asked of another noun (see `search`). A word
    // merely near it ("length" near the policy's "long") does not name it.
    const named = (n: string) => !measureOf(query, n) || this.writesItself(n);
    if (nouns.some(named)) nouns = nouns.filter(named);
    // And a time ("at christmas", "over the summer") says when, unless the policy itself names it.
    const subject = (n: string) => this.notWhen(n);
    if (nouns.some(subject)) nouns = nouns.filter(subject);
    // And a person something goes to ("…fax a child's medical information to the GP", "send an SEN
    // report to the educational psychologist") says to whom: a policy speaks of recipients in
    // general, and of what is sent.
    // So does a place it goes to that the policy never names ("…forward to my hotmail"): the policy
    // speaks of where things may go in general ("external addresses").
    const given = (n: string) => {
      const before = query.slice(0, wordAt(query, n));
      if (isPerson(n)) return !RECIPIENT.test(before);
      return !(DESTINATION.test(before) && terms(n).every((t) => !this.speaksOf(t).inPolicy));
    };
    if (nouns.some(given)) nouns = nouns.filter(given);
    // And where something is or happened, in a place the policy never names ("found a memory stick
    // in the corridor", "left my bag on the bus"): the scene, not what is asked about.
    const thing = (n: string) => !this.inScene(query, n);
    if (nouns.some(thing)) nouns = nouns.filter(thing);
    // And whose it is, in a word the policy never uses ("a pupil's home address", "pupil data" where
    // the policy says "learners"): a policy names its people in its own words, and what is asked is
    // the thing of theirs. (A person the question asks about, "can the psychologist see…", stays;
    // so does a device WordNet first knows as a person, a "calculator" who calculates.)
    const known = (n: string) =>
      !isPerson(n) || isDevice(n) || !headOf(query, n) || terms(n).some((t) => this.speaksOf(t).inPolicy);
    if (nouns.some(known)) nouns = nouns.filter(known);
    // And what it is done for ("can I film my lesson to use for CPD?": the lesson is filmed).
    const purpose = new Set(purposeNouns(query));
    if (nouns.some((n) => !purpose.has(n))) nouns = nouns.filter((n) => !purpose.has(n));
    for (const noun of nouns) {
      // A word that, with the noun after it, names a person ("network" in "the network manager",
      // "supply" in "a supply teacher") says who, not what is asked about.
      const head = headOf(query, noun);
      if (head && isPerson(head) && !isDevice(head)) continue;
      for (const t of terms(noun)) {
        const rank = this.vectors?.rank(t.word) ?? 0;
        if (!best || rank > best.rank) best = { ...t, next: all.find((x) => x.stem === t.stem)?.next, rank };
      }
    }
    if (!best) return undefined;
    const found = this.speaksOf(best);
    // A compound WordNet knows whole, which the policy says in a word of its own ("coffee shop": the
    // policy's "café"), is in the policy, whatever its last word.
    if (found.inPolicy && this.wholeCompound(best)) return found;
    // What a compound names (its last noun) decides when the kind before it says little on its own.
    // (Not a word for what the policy says: "the password rules" are about passwords.)
    const head = headOf(query, best.word);
    const h = head && head !== best.word && named(head) && !FRAME.test(head) ? this.focusOn(query, head) : undefined;
    if (!h) return found;
    const absent = !h.inPolicy || (h.nearOnly && h.nearest! < HEAD_NEAR_MIN);
    // A kind found only as a near word ("bluetooth" near "wifi") is weak evidence, and a kind the
    // policy does speak of may come before a thing it never mentions ("the staff car park", "a trip
    // letter"): either way the thing must be in the policy too, as itself, a synonym or a word
    // quite near it ("android phone": a policy of mobile devices and smartphones speaks of it;
    // "bluetooth speakers": one that speaks of speaking does not; "a laptop bag": one of bags does).
    if (absent && (found.nearOnly || (found.inPolicy && found.english && h.english)))
      return { ...h, inPolicy: false, nearOnly: false };
    // A name English never uses ("CPOMS", "Chromebook", "iCloud") that the policy does not use
    // either, before a noun that says what kind of thing it is ("the CPOMS record", "my Chromebook
    // screen"): the question is about that thing, which the policy may speak of. Weak evidence, as
    // a near word is: the answer's meaning must agree (see PolicyLibrary).
    if (!found.english && !found.inPolicy && h.inPolicy && !h.nearOnly) return { ...h, nearOnly: true };
    // A kind the policy never names before a thing it names after a kind near it in meaning ("a USB
    // stick" where the policy says "memory sticks"): the same thing, called otherwise.
    // (Kinds said by nouns, not by what a thing is like: "sick days" are no "working days".)
    if (!found.inPolicy && h.inPolicy && !h.nearOnly && this.namedAsAnotherKind(query, best.word, head!)) return h;
    return found;
  }

  /** Whether the policy speaks of a question's word (see `focus`). */
  private speaksOf(t: { word: string; stem: string; next?: string }): Focus {
    // A stem the policy has only as an adverb or the like is another word: Snowball makes "evening"
    // "even", and a policy that says "even" says nothing of parents' evenings.
    // What the question is about is a noun: a synonym counts through a noun's sense only.
    let found = this.expand(t.stem, t.next, t.word, true).filter(
      (f) => f.s !== t.stem || ((!this.contentStems.size || this.contentStems.has(f.s)) && this.sameWord(t.word, f.s)),
    );
    // A noun made of a verb and its particle ("printout", "tidy-up", "backup", "handover") is about
    // the verb's act: a policy that speaks of printing speaks of a printout.
    const particle = !found.length && PARTICLE_COMPOUND.exec(t.word);
    if (particle) found = this.expand(stem(particle[1]!), undefined, particle[1]);
    // A thing made for doing what the policy's verb says ("printer": the policy says what may be
    // printed) is spoken of as a word near it is: weak evidence, which the answer's meaning must
    // bear out (see PolicyLibrary).
    if (!found.length)
      found = [...(this.thesaurus?.usedFor(t.stem) ?? [])]
        .filter((s) => this.df.has(s))
        .map((s) => ({ s, weight: SYNONYM_WEIGHT, near: true }));
    return {
      word: t.word,
      stem: t.stem,
      inPolicy: found.length > 0,
      english: this.vectors?.has(t.word) ?? true,
      // Found only as a word near it in the word vectors, not as itself or a WordNet synonym.
      nearOnly: found.length > 0 && found.every((f) => f.near),
      nearest: found.some((f) => f.near)
        ? Math.max(...found.filter((f) => f.near).map((f) => f.weight / NEIGHBOUR_WEIGHT))
        : undefined,
    };
  }

  /**
   * Whether a noun of the question is found in the policy only as a word not quite near it
   * ("training" as "working", 0.64; below HEAD_NEAR_MIN): weak evidence that the policy speaks of
   * what is asked, as a focus found only as a near word is.
   */
  farNoun(query: string): boolean {
    return this.farNouns(query).length > 0;
  }

  /** The nouns of a question that make it `farNoun`. */
  farNouns(query: string): string[] {
    const all = questionTerms(query);
    // What a thing is done for is no part of what is asked about it ("…home to write the provision maps").
    const purpose = new Set(purposeNouns(query));
    // (Nor is where it happened, when something else is asked about: see `inScene`.)
    const nouns = nounsOf(query).filter((n) => !purpose.has(n));
    const scene = nouns.filter((n) => this.inScene(query, n));
    return subjectNouns(query, scene.length < nouns.length ? nouns.filter((n) => !scene.includes(n)) : nouns).filter(
      (n) =>
        this.notWhen(n) &&
        terms(n).some((t) => {
          const f = this.speaksOf(t);
          return (
            f.nearOnly && f.nearest! < HEAD_NEAR_MIN && !all.some((x) => x.next === t.stem && this.wholeCompound(x))
          );
        }),
    );
  }

  /**
   * Whether a question's noun is where something is or happened ("in the corridor", "in the car
   * park"), a place the policy does not name (as itself or a synonym; a word near it is not its name).
   */
  private inScene(query: string, noun: string): boolean {
    if (!SCENE.test(query.slice(0, wordAt(query, noun))) || isTime(noun)) return false;
    // A device something is on is what it is on, not where ("email on my Android phone").
    const head = headOf(query, noun);
    if (isDevice(noun) || (head && isDevice(head))) return false;
    // Nor is a place the policy names by a word of its own for the whole ("in a coffee shop": its "café").
    const all = questionTerms(query);
    const named = (t?: QuestionTerm) => Boolean(t && this.wholeCompound(t) && this.speaksOf(t).inPolicy);
    return terms(noun).every((t) => {
      if (named(all.find((x) => x.stem === t.stem)) || named(all.find((x) => x.next === t.stem))) return false;
      const f = this.speaksOf(t);
      return !f.inPolicy || f.nearOnly;
    });
  }

  /**
   * Whether a text names the thing a question's noun names by the words before it, under another
   * head: "visitor sign in sheets" and the policy's "Visitor sign-in records"; "the staff room
   * kettle" and "the staff room cleaning rota" are not. At least two words of the question's own
   * before the noun (not "the", "my"…), which the text has in that order, then a word near the noun.
   */
  namesByItsKind(query: string, noun: string, text: string): boolean {
    const said = (t: string): string[] =>
      t
        .toLowerCase()
        .replace(/(\w)[-‐–](?=\w)/g, '$1 ')
        .match(/[a-z0-9]+/g) ?? [];
    const q = said(query);
    const at = q.indexOf(noun.toLowerCase());
    // The noun must be what its compound names, not a word that says which kind ("tea" in "the
    // staff room tea fund").
    if (headOf(query, noun.toLowerCase())) return false;
    const passage = ` ${said(text).join(' ')} `;
    // The other head must be near it in meaning: "sheets" and "records" (0.35), not "kettle" and
    // "cleaning" (0.2) after "staff room".
    const near = (a: string, b: string) =>
      Math.max(this.vectors?.similarity(a, b) ?? 0, this.vectors?.similarity(lemmatizeNoun(a), lemmatizeNoun(b)) ?? 0);
    // The two or three words before it (the tagger is no guide: "fire drill sheets" has "drill" a verb).
    for (let from = Math.max(0, at - 3); from <= at - 2; from++) {
      const run = q.slice(from, at);
      if (DETERMINERS.has(run[0]!) || run.filter((w) => !STOP.has(w)).length < 2) continue;
      const heads = passage.matchAll(new RegExp(` ${run.join(' ')} ([a-z0-9]+)(?= )`, 'g'));
      if ([...heads].some((m) => !STOP.has(m[1]!) && near(noun.toLowerCase(), m[1]!) >= SAME_KIND_NEAR)) return true;
    }
    return false;
  }

  /**
   * Whether the policy writes a noun (`head`, any form of its stem) after a noun near in meaning to
   * the noun `kind` before it in the question (see `ANOTHER_KIND_NEAR`): "memory sticks" for a "USB
   * stick".
   */
  private namedAsAnotherKind(query: string, kind: string, head: string): boolean {
    const own = stem(head.toLowerCase());
    const forms = [...(this.stemForms.get(own) ?? [])];
    if (!forms.length || !this.vectors || !isNounTag(tagOf(query, kind.toLowerCase()))) return false;
    const after = new RegExp(`\\b([a-z]{3,})[\\s-]+(?:${forms.map(escapeRegExp).join('|')})\\b`, 'g');
    for (const e of this.entries)
      for (const m of e.passage.text.toLowerCase().matchAll(after))
        if (
          !STOP.has(m[1]!) &&
          !DETERMINERS.has(m[1]!) &&
          (this.vectors.similarity(kind.toLowerCase(), m[1]!) ?? 0) >= ANOTHER_KIND_NEAR &&
          isNounTag(tagOf(e.passage.text, m[1]!))
        )
          return true;
    return false;
  }

  /**
   * Whether a question's word and the one after it are a compound WordNet knows whole, which the
   * policy says in a word of its own ("coffee shop": the policy's "café").
   */
  private wholeCompound(t: { stem: string; next?: string }): boolean {
    return Boolean(t.next && t.next !== t.stem && this.thesaurus?.synonyms(`${t.stem}_${t.next}`, true)?.size);
  }

  /** Whether a noun is no mere time the policy does not itself name (see `isTime`). */
  private notWhen(noun: string): boolean {
    return !isTime(noun) || this.writesItself(noun);
  }

  /** Whether the policy speaks of a noun as itself or a synonym, not only in a word near it. */
  private writesItself(noun: string): boolean {
    return terms(noun).some((t) => {
      const f = this.speaksOf(t);
      return f.inPolicy && !f.nearOnly;
    });
  }

  /** What a question is about when it is this word of it (see `focus`). */
  focusOn(query: string, word: string): Focus | undefined {
    const all = questionTerms(query);
    const t = terms(word)[0];
    return t && this.speaksOf({ ...t, next: all.find((x) => x.stem === t.stem)?.next });
  }

  /**
   * Like `focus`, for a text that names its subject several ways ("software, apps and online
   * services"): the first of its nouns the policy speaks of, or its first noun when it speaks of none.
   */
  focusAny(text: string): Focus | undefined {
    let first: Focus | undefined;
    for (const noun of nounsOf(text)) {
      for (const t of terms(noun)) {
        const f = this.speaksOf(t);
        if (f.inPolicy) return f;
        first ??= f;
      }
    }
    return first;
  }

  /** Whether a text speaks of what a question is about (`focus`): in its word, a synonym or a near word. */
  speaksOfIn(focus: Focus, text: string): boolean {
    return this.among(new Set(tokens(text)), { stem: focus.stem, word: focus.word }, true);
  }

  /**
   * Whether a text speaks of doing what a verb says: the verb, a synonym or a near word, used there
   * as a verb ("how do I book the minibus?" is not answered by "sign them out in the book").
   */
  speaksOfDoing(verb: string, text: string): boolean {
    // A verb of several words ("get rid of") is seldom written so: the policy's words for it are
    // what the thesaurus found, nouns among them (the "waste" one gets rid of; see Thesaurus).
    const whole = questionTerms(verb).find((t) => t.stem.includes('_'));
    if (whole) return this.among(new Set(tokens(text)), whole);
    const done = new Set<string>();
    for (const t of partsOfSpeech(text)) if (t.pos === 'VERB') for (const x of terms(t.word)) done.add(x.stem);
    const t = terms(verb)[0];
    return Boolean(t && this.among(done, t));
  }

  /**
   * What of a passage to quote for a question: a long paragraph of several rules (see `rulesOf`) is
   * quoted by the rules that answer, in its own order, not whole: the paragraph is the evidence
   * that the policy answers, but on a phone its hundreds of words hide the one rule asked about. A
   * rule answers by the question's words it has, each weighed by how rare it is in the policy, and
   * by giving the kind of answer asked (a time, a person); the best one, those that match
   * nearly as much, and the one nearest in meaning. The passage as it is when it is no such paragraph.
   */
  quoted(query: string, text: string, meaning?: Float32Array): string {
    // A paragraph's rules are read once (a sentence reading is ~0.4 ms, and answers quote up to four).
    let rules = this.rules.get(text);
    if (!rules) this.rules.set(text, (rules = rulesOf(text)));
    if (rules.length < 2) return text;
    const q = questionTerms(query.replace(QUESTION_FORM, ' '));
    const weights = q.map((t) => this.weightOf(this.expand(t.stem, t.next, t.word, false, t.verb), 0));
    const kinds = answerKindsAsked(query);
    const details = detailsAsked(query, q);
    const scores = rules.map((rule) => {
      const have = new Set(tokens(rule));
      let score = 0;
      q.forEach((t, i) => {
        if (this.among(have, t) || details[i]?.test(rule)) score += weights[i]!;
      });
      return kinds.some((k) => k.gives.test(withoutClauseNumbers(rule))) ? score * KIND_BONUS : score;
    });
    const best = Math.max(...scores);
    if (best <= 0) return text;
    // And the rule nearest the question in meaning, by its sentences' vectors: a rule asked about
    // in other words has few of the question's words.
    const entry = meaning && this.entries.find((e) => e.passage.text === text && e.sentences);
    let nearest = -1;
    if (entry) {
      const pieces = sentencesOf(text);
      let most = -Infinity;
      rules.forEach((rule, i) => {
        for (let k = 0; k < pieces.length; k++) {
          if (!rule.includes(pieces[k]!)) continue;
          const near = similarity(meaning!, entry.sentences![k]!);
          if (near > most) [most, nearest] = [near, i];
        }
      });
    }
    // Asked whom, a rule of the paragraph that names a person by title and name among the
    // question's words ("Tell Ms Pennington straight away…" for "…who do I tell?") is quoted too.
    const named = kinds.includes(WHO) ? scores.map((x, i) => x > 0 && TITLED_NAME.test(rules[i]!)) : [];
    // Asked how to do something, a rule of the paragraph that speaks of doing it is quoted too ("how
    // do I get rid of old paperwork…": where confidential paper goes, not only where paper is kept).
    const act = actAsked(query);
    const does = act ? rules.map((rule) => this.speaksOfDoing(act, rule)) : [];
    return rules.filter((_, i) => scores[i]! >= best * ALSO_RULE || i === nearest || named[i] || does[i]).join(' ');
  }

  /** The question's words a text has, exactly or through a synonym. */
  matchedTerms(query: string, text: string): Set<string> {
    const have = new Set(tokens(text));
    return new Set(
      questionTerms(query)
        .filter((t) => this.among(have, t))
        .map((t) => t.stem),
    );
  }

  /** Whether some stems hold a question's word: itself, or what it stands for (see `expand`). */
  private among(have: Set<string>, t: QuestionTerm, nounsOnly = false): boolean {
    return (
      (have.has(t.stem) && this.sameStemWord(t.stem, t.word)) ||
      this.expand(t.stem, t.next, t.word, nounsOnly, t.verb).some((x) => have.has(x.s))
    );
  }

  /** The whole text of a section, for "read the whole section". */
  sectionText(sectionIndex: number): { title: string; docTitle: string; text: string } | undefined {
    const s = this.sections[sectionIndex];
    return s && { title: s.title, docTitle: s.docTitle, text: s.paragraphs.join('\n\n') };
  }
}
