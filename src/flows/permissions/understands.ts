import type { RequestTypeConfig, SchoolConfig } from '../../config';
import { escapeRegExp } from '../../language/words';
import { countriesIn, countriesInAnyCase, type CountryHit } from '../../language/places';
import type { EntityHit, IntentDef } from '../types';

/** The country of the schools this bot is for: naming it sends nothing abroad ("a school in the UK"). */
const HOME = 'GB';

/**
 * The countries other than the school's own that a message names. Each stands in the text the
 * model reads as one word for any country, as in the examples it learnt from: "a school in Spain"
 * in the examples teaches "servers in the US" and "a school in France".
 */
export async function spotCountries(text: string): Promise<EntityHit[]> {
  return asSlots(await countriesInAnyCase(text));
}

function asSlots(hits: CountryHit[]): EntityHit[] {
  return hits
    .filter((c) => c.code !== HOME)
    .map((c) => ({ type: 'country', value: c.name ?? c.text, text: c.text, start: c.start, end: c.end, slot: true }));
}

/** An example with each country it names written as the slot the model reads for any country. */
function countrySlots(example: string): string {
  let out = example;
  for (const c of asSlots(countriesIn(example)).reverse()) out = `${out.slice(0, c.start)}{country}${out.slice(c.end)}`;
  return out;
}

/** A request type's `needs` as the understanding step reads them: its words as whole words, any case, spaced as typed. */
function needsOf(n: NonNullable<RequestTypeConfig['needs']>): IntentDef['needs'] {
  const words = n.words.map((w) => escapeRegExp(w.toLowerCase()).replace(/\s+/g, '\\s+'));
  return {
    ...(words.length ? { words: new RegExp(`\\b(?:${words.join('|')})\\b`, 'i') } : {}),
    ...(n.entities.length ? { entities: n.entities } : {}),
  };
}

/**
 * The school's own request types, learnt from what the school wrote about each: its title, its
 * description and the examples in its configuration. A school that adds a request type teaches the
 * bot to recognise it by writing a few sentences in its staff's words.
 */
export function permissionIntents(school: SchoolConfig): IntentDef[] {
  const types = school.requestTypes.map((t) => ({
    id: `permissions.${t.key}`,
    title: t.title,
    offerable: 'beside' as const,
    askedBefore: true,
    policyFirst: { topic: `${t.title}. ${t.description}` },
    ...(t.needs ? { needs: needsOf(t.needs) } : {}),
    examples: [
      t.title,
      `I need permission to ${t.title.toLowerCase()}`,
      ...(t.description ? [t.description] : []),
      ...t.examples,
    ].map(countrySlots),
  }));
  if (!types.length) return [];
  return [
    ...types,
    {
      id: 'permissions.ask',
      title: 'Ask another permission',
      // Asking for a permission says so: "a friend request from a parent, can I accept?" asks none.
      needs: { words: /\b(?:permissions?|permit\w*|approv\w*|authori[sz]\w*|consent|sign(?:ed)? off)\b/i },
      examples: [
        'I need to ask permission for something',
        'what permissions can I ask for',
        'how do I get permission',
        'who do I ask for permission to do something with data',
        'I need approval for something',
        'ask for a permission',
        'request permission',
      ],
    },
  ];
}
