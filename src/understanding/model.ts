import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { Nlp } from '@nlpjs/nlp';

/** One intent and the example sentences it is trained from. `{pupil}` in an example stands for any pupil. */
export interface TrainingIntent {
  id: string;
  examples: string[];
}

export interface Scored {
  intent: string;
  score: number;
}

/** The word an entity is replaced by before classifying, in training and in use alike. */
export const slotWord = (type: string) => `zz${type.replace(/[^a-z]/gi, '').toLowerCase()}`;
const SLOT = /\{([a-zA-Z]+)\}/g;

/**
 * An intent classifier trained in-process with NLP.js: its English tokenizer, Snowball stemmer and
 * a small neural network over the stems. NLP.js was chosen over a home-made classifier or a hosted
 * service because it is made for bot NLU, trains in well under a second on a few hundred examples,
 * needs no model download and runs inside the bot (nothing a person types leaves the school's
 * deployment).
 */
export class IntentModel {
  private constructor(
    private readonly nlp: {
      process(locale: string, text: string, context: object): Promise<{ classifications: Scored[] }>;
    },
    readonly intents: number,
    readonly examples: number,
  ) {}

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
    for (const i of intents) {
      for (const e of i.examples) {
        nlp.addDocument(
          'en',
          e.replace(SLOT, (_m, t: string) => slotWord(t)),
          i.id,
        );
        examples++;
      }
    }
    await nlp.train();
    return new IntentModel(nlp, intents.length, examples);
  }

  /** Every intent with its score, best first. Scores add up to about 1. */
  async classify(text: string): Promise<Scored[]> {
    const r = await this.nlp.process('en', text, {});
    return [...r.classifications].sort((a, b) => b.score - a.score);
  }
}
