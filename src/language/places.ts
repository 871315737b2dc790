import en from 'i18n-iso-countries/langs/en.json';
import { escapeRegExp } from './words';
import { inDictionary, isPerson, placesOf } from './senses';
import { tagOf } from './parts-of-speech';

/** A country named in a text: where, and its ISO 3166 code. */
export interface CountryHit {
  code: string;
  text: string;
  /** The country's name, where the text names it otherwise ("french" in "our french partner school"). */
  name?: string;
  start: number;
  end: number;
}

/**
 * Every English name of every country (ISO 3166-1, with the short forms people write: "USA", "the
 * Netherlands", "UAE"), longest first so that "United States of America" is one country, not
 * "United States" and more. A name as written, capitals and all: in lower case many are other
 * words ("turkey", "china", "chad", "jersey"), and a code in capitals is only the common one a
 * person types ("US", "UK"), never a two-letter code that is a word in capitals ("IT", "IN").
 */
const NAMES: Array<{ name: string; code: string }> = Object.entries(
  (en as { countries: Record<string, string | string[]> }).countries,
)
  .flatMap(([code, names]) => (Array.isArray(names) ? names : [names]).map((name) => ({ name, code })))
  // "Korea, Republic of": a name for a list, not for a sentence.
  .filter((n) => !n.name.includes(','))
  .sort((a, b) => b.name.length - a.name.length);

const PATTERN = new RegExp(
  `(?<![\\w.])(?:${NAMES.map((n) => escapeRegExp(n.name.replace(/^The /, ''))).join('|')})(?![\\w])`,
  'g',
);
const CODE_OF = new Map(NAMES.map((n) => [n.name.replace(/^The /, ''), n.code]));

/**
 * The countries a message names ("a school in Spain", "servers in the US"), as written with their
 * capitals. A country's name that starts a longer capitalised name ("Jordan Smith", "Georgia
 * Evans") is that person's: not a country.
 */
export function countriesIn(text: string): CountryHit[] {
  const out: CountryHit[] = [];
  for (const m of text.matchAll(PATTERN)) {
    const end = m.index + m[0].length;
    if (/^ [A-Z][a-z]/.test(text.slice(end, end + 3))) continue;
    out.push({ code: CODE_OF.get(m[0])!, text: m[0], start: m.index, end });
  }
  return out;
}

/** A country's name after a word of place: "based in france", "a trip to spain", "from the netherlands". */
const AFTER_PLACE_WORD = new RegExp(
  `(?<=\\b(?:in|to|from|into|across|around|via|throughout)\\s+(?:the\\s+)?)(?:${NAMES.filter((n) => n.name.length >= 4)
    .map((n) => escapeRegExp(n.name.replace(/^The /, '').toLowerCase()))
    .join('|')})(?![\\w])`,
  // Any case for the word of place ("In france…"); the name itself must be in lower case (see below).
  'gi',
);
const CODE_OF_LOWER = new Map(NAMES.map((n) => [n.name.replace(/^The /, '').toLowerCase(), n.code]));

/**
 * The countries a message names, also as typed on a phone in lower case ("the trip company is
 * based in france"): a lower-case name counts after a word of place only, never a short one ("us"),
 * and only when WordNet knows it solely as a name, so "a trip to turkey farm" and "in china cups"
 * are not countries.
 */
export async function countriesInAnyCase(text: string): Promise<CountryHit[]> {
  const out = countriesIn(text);
  for (const m of text.matchAll(AFTER_PLACE_WORD)) {
    if (m[0] !== m[0].toLowerCase() || out.some((c) => c.start === m.index)) continue;
    // A common noun ("turkey", "china") is that word; only a name is the country.
    if (await inDictionary(m[0], { forms: false, names: false })) continue;
    out.push({ code: CODE_OF_LOWER.get(m[0])!, text: m[0], start: m.index, end: m.index + m[0].length });
  }
  // Or its people's adjective before whoever the thing goes to ("send names to our french partner
  // school", "with the Spanish exchange families"): the country it is of, by WordNet. Not a
  // language or a subject ("for my french club", "translate it to French").
  // Nor a teacher of it ("email it to the spanish teacher"): the compound's last noun is no person.
  for (const m of text.matchAll(TO_ADJECTIVE)) {
    const [before, adjective] = [m[1]!, m[2]!];
    const start = m.index + before.length;
    const after = [m[3]!, m[4]].filter((w): w is string => Boolean(w));
    const notNoun = after.findIndex((w) => tagOf(text, w.toLowerCase()) !== 'NOUN');
    const head = (notNoun < 0 ? after : after.slice(0, notNoun)).at(-1);
    if (!head || isPerson(head) || out.some((c) => c.start === start)) continue;
    const name = (await placesOf(adjective)).find((p) => CODE_OF.has(p));
    if (name) out.push({ code: CODE_OF.get(name)!, text: adjective, name, start, end: start + adjective.length });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** An adjective straight after a word of where something goes, before a noun: "to our french partner school". */
const TO_ADJECTIVE =
  /(\b(?:to|with|from)\s+(?:(?:the|a|an|our|their|my|your|his|her)\s+)?)([A-Za-z]+)\s+([a-z]+)(?:\s+([a-z]+))?/gi;
