import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

let nlp: ReturnType<typeof winkNLP> | undefined;

/**
 * The words of a text with their parts of speech (NOUN, PROPN, VERB, ADJ…), from wink-nlp's
 * tagger (its small English model ships in npm as `wink-eng-lite-web-model`). Words are lower
 * case, hyphenated compounds read as one word ("Wi-Fi" is "wifi", "out-of-office" one word).
 */
export function partsOfSpeech(text: string): Array<{ word: string; pos: string }> {
  nlp ??= winkNLP(model, ['pos']);
  const doc = nlp.readDoc(text.replace(/(\w)-(?=\w)/g, '$1'));
  const words = doc.tokens().out();
  const tags = doc.tokens().out(nlp.its.pos);
  return words.map((w, i) => ({ word: w.toLowerCase(), pos: tags[i]! }));
}

/**
 * A question is about its nouns; its verbs and adjectives are how staff happen to say it. A word in
 * -ing standing before a noun names a kind of it ("safeguarding records", "marking books"), whatever
 * tag the tagger gives it: it is a noun of the question too.
 */
export function nounsOf(text: string): string[] {
  const all = partsOfSpeech(text);
  const noun = (t: { pos: string } | undefined) => t?.pos === 'NOUN' || t?.pos === 'PROPN';
  return all
    .filter((t, i) => noun(t) || (t.pos === 'VERB' && /[a-z]{3}ing$/.test(t.word) && noun(all[i + 1])))
    .map((t) => t.word);
}
