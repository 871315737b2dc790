import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/** One reader for tags and sentences: each instance of the model costs about 10 MB of heap. */
let nlp: ReturnType<typeof winkNLP> | undefined;
const reader = () => (nlp ??= winkNLP(model, ['sbd', 'pos']));

/**
 * A text's sentences, by wink-nlp's sentence boundary detection, which knows that "e.g.", "Mrs."
 * or the dots of an email address end no sentence.
 */
export function sentencesIn(text: string): string[] {
  return reader().readDoc(text).sentences().out();
}

/**
 * The words of a text with their parts of speech (NOUN, PROPN, VERB, ADJ…), from wink-nlp's
 * tagger (its small English model ships in npm as `wink-eng-lite-web-model`). Words are lower
 * case, hyphenated compounds read as one word ("Wi-Fi" is "wifi", "out-of-office" one word).
 */
export function partsOfSpeech(text: string): ReadonlyArray<{ readonly word: string; readonly pos: string }> {
  // One question is tagged by several readers (its focus, its asking clause, each noun's head): the
  // last few texts are kept, so each is tagged once.
  const kept = tagged.get(text);
  if (kept) return kept;
  const doc = reader().readDoc(text.replace(/(\w)-(?=\w)/g, '$1'));
  const words = doc.tokens().out();
  const tags = doc.tokens().out(reader().its.pos);
  // "Who fixes…", "who approves…": a word in -s straight after an asking "who" is its verb, which
  // the tagger, reading it alone, may take for a plural noun. "Is email ok?", "is Zoom allowed?":
  // between a form of "be" and what is said of it (an adjective, "ok", a participle, or the end), a
  // word the tagger reads as a verb is the thing asked about; a participle there ("is it shared?")
  // stays a verb.
  const out = words.map((w, i) => {
    const word = w.toLowerCase();
    const afterWho = words[i - 1]?.toLowerCase() === 'who' && i === 1;
    if (afterWho && tags[i] === 'NOUN' && /[a-z]s$/.test(word)) return { word, pos: 'VERB' };
    const named =
      tags[i] === 'VERB' &&
      BE.test(words[i - 1] ?? '') &&
      !PARTICIPLE.test(word) &&
      (i + 1 >= words.length ||
        ['ADJ', 'INTJ', 'PUNCT'].includes(tags[i + 1]!) ||
        (tags[i + 1] === 'VERB' && PARTICIPLE.test(words[i + 1]!.toLowerCase())));
    // "Does it need anti-virus?", "should I install antivirus?": an adjective ending the clause straight
    // after a verb that takes a thing (not "look", "seem", "keep"…, which say what something is) is
    // that thing; the tagger reads a compound in "anti-" as an adjective.
    const object =
      tags[i] === 'ADJ' &&
      tags[i - 1] === 'VERB' &&
      !LINKING.test(words[i - 1]!) &&
      !PARTICIPLE.test(word) &&
      (i + 1 >= words.length || tags[i + 1] === 'PUNCT');
    // "a USB stick", "a memory stick": after "a" or "an" and a noun, a verb's bare form has no
    // subject it agrees with ("a teacher sticks…" would): it is the compound's last noun.
    const compound =
      tags[i] === 'VERB' &&
      /^an?$/i.test(words[i - 2] ?? '') &&
      isNounTag(tags[i - 1]) &&
      !/s$/.test(word) &&
      !PARTICIPLE.test(word);
    return { word, pos: named || object || compound ? 'NOUN' : tags[i]! };
  });
  if (tagged.size >= TAGGED) tagged.delete(tagged.keys().next().value!);
  tagged.set(text, out);
  return out;
}

/** Whether a tag is a noun's, common or proper. */
export const isNounTag = (pos?: string): boolean => pos === 'NOUN' || pos === 'PROPN';

/** The forms of "be" a thing asked about follows ("is email ok?"). */
const BE = /^(?:is|are|was|were|am)$/i;
/** Verbs that say what something is or becomes, with an adjective after them ("look safe", "keep it secure"). */
const LINKING =
  /^(?:look|looks|looked|seem|seems|seemed|feel|feels|felt|sound|sounds|become|becomes|became|get|gets|got|stay|stays|stayed|remain|remains|keep|keeps|kept|go|goes|went|turn|turns|turned|appear|appears|appeared|make|makes|made)$/i;
/** A verb's participle, regular or the common irregular ones: read as the verb it is. */
const PARTICIPLE = /(?:ed|ing|en|wn|ne|ght|put|set|cut|shut|read|sent|kept|lost|left|spent|built|hit|let)$/;

/** How many texts' tags are kept (see `partsOfSpeech`). */
const TAGGED = 64;
const tagged = new Map<string, ReadonlyArray<{ readonly word: string; readonly pos: string }>>();

/**
 * A question is about its nouns; its verbs and adjectives are how staff happen to say it. With
 * `withAdjectives`, an adjective before a noun counts too: "sick" in "sick days" says what is asked. A word in
 * -ing standing before a noun names a kind of it ("safeguarding records", "marking books"), whatever
 * tag the tagger gives it: it is a noun of the question too.
 */
export function nounsOf(text: string, withAdjectives = false): string[] {
  const all = partsOfSpeech(text);
  const noun = (t: { pos: string } | undefined) => isNounTag(t?.pos);
  return all
    .filter(
      (t, i) =>
        noun(t) ||
        (t.pos === 'VERB' && /[a-z]{3}ing$/.test(t.word) && noun(all[i + 1])) ||
        (withAdjectives && t.pos === 'ADJ' && noun(all[i + 1])),
    )
    .map((t) => t.word);
}

/**
 * The noun a noun modifies, when it stands before it in a compound: "speakers" for "bluetooth" in
 * "bluetooth speakers", "account" for "gmail" in "my gmail account". The last noun of a run of
 * nouns is the head, what the compound names; the ones before it say which kind.
 */
export function headOf(text: string, word: string): string | undefined {
  // An owner's mark ("'s", or the apostrophe after a plural) joins its noun to the ones after it as
  // a compound does: "parents' evenings" names evenings, "the head's office" an office.
  const noun = (t: { pos: string } | undefined) => isNounTag(t?.pos);
  const all = partsOfSpeech(text).filter(
    (t, i, tagged) =>
      !(POSSESSIVE.test(t.word) && noun(tagged[i - 1]) && (t.word.length > 1 || /s$/.test(tagged[i - 1]!.word))),
  );
  const i = all.findIndex((t) => t.word === word);
  if (i < 0 || !noun(all[i + 1])) return undefined;
  let j = i + 1;
  while (noun(all[j + 1])) j++;
  return all[j]!.word;
}

/** An owner's mark as the tagger gives it, a token of its own: "'s" or a plural's lone apostrophe. */
const POSSESSIVE = /^['’]s?$/;

/**
 * The nouns of a clause that says what something is done for, after the thing it is done with
 * ("can I take the SEN files home to write the provision maps?": "provision", "maps"): a "to" and
 * a verb straight after a noun, an adverb or a pronoun, up to the end of the clause. After a verb
 * or an adjective, the "to" starts what is wanted ("I need to lock…", "is it ok to print…").
 */
export function purposeNouns(text: string): string[] {
  const all = partsOfSpeech(text);
  const out: string[] = [];
  for (let i = 1; i + 1 < all.length; i++) {
    if (
      all[i]!.word !== 'to' ||
      all[i + 1]!.pos !== 'VERB' ||
      !['NOUN', 'PROPN', 'ADV', 'PRON'].includes(all[i - 1]!.pos)
    )
      continue;
    for (let j = i + 2; j < all.length && all[j]!.pos !== 'PUNCT'; j++)
      if (all[j]!.pos === 'NOUN' || all[j]!.pos === 'PROPN') out.push(all[j]!.word);
  }
  return out;
}

/** A word's part of speech in a text (its first use), if the text has it. */
export function tagOf(text: string, word: string): string | undefined {
  return partsOfSpeech(text).find((t) => t.word === word)?.pos;
}

/**
 * Whether a word is a noun said of another: the last of a run of nouns ("length" in "password length"),
 * followed by "of" ("the length of a password"), or by "for" after "the" ("the minimum length for a
 * password", "the time limit for reporting"; not "can I claim mileage for driving…", where the
 * mileage is what is claimed).
 */
export function saidOf(text: string, word: string): boolean {
  const all = partsOfSpeech(text);
  const i = all.findIndex((t) => t.word === word);
  const noun = (t: { pos: string } | undefined) => isNounTag(t?.pos);
  const forThe = all[i + 1]?.word === 'for' && [all[i - 1], all[i - 2]].some((t) => t?.word === 'the');
  return noun(all[i]) && ((noun(all[i - 1]) && !noun(all[i + 1])) || all[i + 1]?.word === 'of' || forThe);
}

/**
 * The text with each "who" that opens a relative clause after a noun ("forms for people who didn't
 * get the job", "parents who have left") written as "that": it says which people, and asks nobody's
 * name. After a verb ("I don't know who to tell"), a pronoun ("tell me who…", "is there anyone who
 * can fix it?") or nothing, "who" asks.
 */
export function relativeWhoAsThat(text: string): string {
  if (!/\bwho\b/i.test(text)) return text;
  const all = partsOfSpeech(text);
  const relative: boolean[] = [];
  // A "who" that ends the message opens no clause: it asks, as a search box is typed ("media consent
  // forms who?").
  const ends = (i: number) => all.slice(i + 1).every((t) => t.pos === 'PUNCT');
  all.forEach((t, i) => {
    if (t.word === 'who') relative.push((all[i - 1]?.pos === 'NOUN' || all[i - 1]?.pos === 'PROPN') && !ends(i));
  });
  let k = 0;
  return text.replace(/\bwho\b/gi, (w) => (relative[k++] ? 'that' : w));
}
