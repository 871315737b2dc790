import en from 'i18n-iso-countries/langs/en.json';
import { escapeRegExp } from './words';
import { inDictionary } from './senses';

/** A country named in a text: where, and its ISO 3166 code. */
export interface CountryHit {
  code: string;
  text: string;
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
  return out.sort((a, b) => a.start - b.start);
}
