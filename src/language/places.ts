import en from 'i18n-iso-countries/langs/en.json';

/** A country named in a text: where, and its ISO 3166 code. */
export interface CountryHit {
  code: string;
  text: string;
  start: number;
  end: number;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
  `(?<![\\w.])(?:${NAMES.map((n) => escape(n.name.replace(/^The /, ''))).join('|')})(?![\\w])`,
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
