import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { Nlp } from '@nlpjs/nlp';
import { Spelling } from '../language/spelling';
import { WordVectors, type Candidates } from '../language/vectors';
import { STARTS_AWAY, usedBefore, writtenOut } from '../language/words';
import { lemmatizeVerb } from 'wink-lemmatizer';

/** One intent and the example sentences it is trained from. `{pupil}` in an example stands for any pupil. */
export interface TrainingIntent {
  id: string;
  examples: string[];
}

export interface Scored {
  intent: string;
  score: number;
}

const WORD = /[a-z][a-z']*/g;
const WORD_IN_TEXT = /[A-Za-z][A-Za-z']*/g;
/** How near in meaning a word must be to stand for one of the examples' words. */
const BRIDGE_MIN = 0.6;

/** The word an entity is replaced by before classifying, in training and in use alike. */
export const slotWord = (type: string) => `zz${type.replace(/[^a-z]/gi, '').toLowerCase()}`;
const SLOT = /\{([a-zA-Z]+)\}/g;
/** An example with its slots ("{country}") written as the words the model reads for them. */
export const slotted = (example: string) => example.replace(SLOT, (_m, t: string) => slotWord(t));

/**
 * A message typed on a phone often drops its "I" ("lost my school phone", "left the register on the
 * bus"). The examples keep it, and without it the classifier reads a past event as a question: a
 * message that starts with a verb in the past (by wink's lemmatiser: "lost" is "lose", "emailed"
 * "email") gets its "I" back, and so does one that starts with a verb no one says to the bot as an
 * order ("want to use my laptop", "need a memory stick"). An imperative ("install Zoom", "check
 * consent for Sam") is in its dictionary form and left alone; so is a word in -s or -ing.
 */
/** Verbs that start no request to the bot as an imperative: "want to use my laptop" is I who want. */
const FIRST_PERSON = new Set(['want', 'need', 'wanna', 'hope', 'think', 'wonder']);
/** English's auxiliary and modal verbs, by their dictionary forms. */
const AUXILIARIES = new Set([
  'be',
  'do',
  'have',
  'can',
  'will',
  'may',
  'shall',
  'must',
  'should',
  'would',
  'could',
  'might',
]);
/** A subject straight after the first word: a pronoun, or a noun phrase's first word ("were the reports sent"). */
const PRONOUN_SUBJECT = /^\s+(?:i|we|you|he|she|it|they|someone|somebody|anyone|anybody|everyone|there)\b/i;
const NOUN_SUBJECT = /^\s+(?:this|that|these|those|the|a|an|my|our|your|his|her|their)\b/i;

export function withSubject(text: string): string {
  // Where the person will be, with no "I'm" ("off sick tomorrow", "away next week", "on a course
  // friday"): no one orders the bot so.
  if (STARTS_AWAY.test(text)) return `I'm ${text.trimStart()}`;
  const m = /^(\s*(?:just\s+|[a-z]+ly\s+)?)([a-z]+)\b/i.exec(text);
  if (!m) return text;
  const w = m[2]!.toLowerCase();
  if (FIRST_PERSON.has(w)) return `I ${text.trimStart()}`;
  // An auxiliary before its subject asks a question ("could we get Padlet", "did I sign"); before
  // a verb it is an event missing its "I" ("might have sent it to the wrong parent").
  // After "have" a noun phrase is its object ("had my phone stolen").
  const aux = lemmatizeVerb(w);
  const rest = text.slice(m[0].length);
  if (AUXILIARIES.has(aux) && (PRONOUN_SUBJECT.test(rest) || (aux !== 'have' && NOUN_SUBJECT.test(rest)))) return text;
  if (/(?:s|ing)$/.test(w) || lemmatizeVerb(w) === w) return text;
  return `I ${text.trimStart()}`;
}

/**
 * An intent classifier trained in-process with NLP.js: its English tokenizer, Snowball stemmer and
 * a small neural network over the stems. NLP.js was chosen over a home-made classifier or a hosted
 * service because it is made for bot NLU, trains in well under a second on a few hundred examples,
 * needs no model download and runs inside the bot (nothing a person types leaves the school's
 * deployment).
 */
export class IntentModel {
  /** A word the examples never use → the examples' word nearest to it in meaning (or none). */
  private readonly bridges = new Map<string, string | null>();

  private constructor(
    private readonly nlp: {
      process(locale: string, text: string, context: object): Promise<{ classifications: Scored[] }>;
    },
    readonly intents: number,
    readonly examples: number,
    /** Every word the examples use, lower case, and how often. */
    private readonly vocabulary: ReadonlyMap<string, number>,
    private readonly vectors: WordVectors,
  ) {
    this.known = vectors.candidates([...vocabulary.keys()].filter((w) => w.length >= 3));
    this.spelling = new Spelling(vocabulary, (w) => vectors.has(w), 1);
  }

  private readonly spelling: Spelling;

  /**
   * A message with its words typed wrong on a phone written as the examples' words ("ive lost my
   * scool laptp" → "school laptop"; see `Spelling`). The classifier's own check allows one edit
   * between stems, which is not two letters swapped ("phnoe"), nor a word whose stem the typo
   * changes ("websit"). Names are left as typed: a word capitalised within a sentence ("Blooket"),
   * or one after a verb of using ("can we use kahoot"), which names an app the examples never
   * could. Long words get one edit, not the policy search's two: a pupil's surname typed in lower
   * case must not become an example's word.
   */
  corrected(text: string): string {
    return this.spelling.text(
      text,
      (w, at, all) => (/^[A-Z]/.test(w) && !/(?:^|[.!?]\s+)$/.test(all.slice(0, at))) || usedBefore(all, at),
    );
  }

  private readonly known: Candidates;

  static async train(intents: TrainingIntent[]): Promise<IntentModel> {
    const container = await containerBootstrap({ log: false });
    container.use(Nlp);
    container.use(LangEn);
    const nlp = container.get('nlp');
    nlp.settings.autoSave = false;
    nlp.settings.calculateSentiment = false;
    // Quiet training, and typos corrected against the words the examples use (staff type on phones).
    container.registerConfiguration(
      'nlu-??',
      {
        keepStopwords: true,
        nonefeatureValue: 1,
        nonedeltaMultiplier: 1.2,
        spellCheck: true,
        spellCheckDistance: 1,
        filterZeros: true,
        log: false,
      },
      true,
    );
    nlp.addLanguage('en');
    let examples = 0;
    const vocabulary = new Map<string, number>();
    for (const i of intents) {
      for (const e of i.examples) {
        for (const w of e.toLowerCase().match(WORD) ?? []) vocabulary.set(w, (vocabulary.get(w) ?? 0) + 1);
        nlp.addDocument('en', slotted(e), i.id);
        examples++;
      }
    }
    await nlp.train();
    return new IntentModel(nlp, intents.length, examples, vocabulary, WordVectors.load());
  }

  /** Every intent with its score, best first. Scores add up to about 1. */
  async classify(text: string, opts: { bridge?: boolean } = {}): Promise<Scored[]> {
    // Words typed without their apostrophe are read as written out ("ive" as "I've").
    const written = withSubject(writtenOut(text));
    const r = await this.nlp.process('en', opts.bridge === false ? written : this.bridged(written), {});
    return [...r.classifications].sort((a, b) => b.score - a.score);
  }

  /**
   * The text with each word the examples never use replaced by the examples' word nearest to it in
   * English word vectors ("pics" → "photos", "mum" → "parent"), when one is near enough. The
   * classifier knows only the examples' words; without this, every other word a person types is
   * silence to it, and a message in new words falls through to the policy search.
   */
  bridged(text: string): string {
    return text.replace(WORD_IN_TEXT, (w) => {
      const lower = w.toLowerCase();
      if (lower.length < 3 || this.vocabulary.has(lower) || lower.startsWith('zz')) return w;
      let near = this.bridges.get(lower);
      if (near === undefined) {
        near = this.vectors.nearest(lower, this.known, BRIDGE_MIN, 1)[0]?.word ?? null;
        if (this.bridges.size < 20_000) this.bridges.set(lower, near);
      }
      return near ?? w;
    });
  }
}
