import { StemmerEn } from '@nlpjs/lang-en-min';
import { lemmatizeVerb } from 'wink-lemmatizer';
import { isNounTag, partsOfSpeech } from './parts-of-speech';

/** Words that say how a question is put, not what it is about (and the indefinite pronouns, which name no one thing). */
export const STOP = new Set(
  `a an the and or but if then so of to in on at by for with from into onto about as is are was were be been being am do does did doing have has had having
   i me my mine i'm i've i'd i'll we us our you your he him his she her it its they them their this that these those there here what which who whom whose when where why how
   can could may might must shall should will would also just very too than such any some each every all both either neither other
   get got ok okay alright please thanks thank need want know ask happen happens happened allowed
   during while whilst within without before after under over between through via per around across upon again ever
   don't can't won't isn't aren't wasn't weren't didn't doesn't haven't hasn't hadn't couldn't shouldn't wouldn't mustn't
   you're we're they're you've we've they've what's who's where's that's there's he's she's let's
   someone somebody something somewhere anyone anybody anything anywhere everyone everybody everything everywhere
   no one nobody nothing nowhere else
   myself yourself yourselves himself herself itself ourselves themselves`.split(/\s+/),
);

const snowball = new StemmerEn();
const stems = new Map<string, string>();

/**
 * The Snowball (Porter 2) English stem of a word, as NLP.js computes it, after wink's lemmatiser
 * has taken an irregular verb to its dictionary form ("told" is "tell", "stolen" "steal", "left"
 * "leave"), which no stemmer can. Cached: the vocabulary is small.
 */
export function stem(w: string): string {
  let s = stems.get(w);
  if (s === undefined) {
    s = w.includes('_') ? w : snowball.stemWord(lemmatizeVerb(w));
    if (stems.size < 50_000) stems.set(w, s);
  }
  return s;
}

/** The words of a text, lower case, accents, apostrophes and hyphens folded ("e-mail" is "email", "café" "cafe"). */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      // A hyphenated compound is one word: "e-mail" is "email", "Wi-Fi" "wifi", "log-in" "login".
      .replace(/\b([a-z]+)-(?=[a-z])/g, '$1')
      .split(/[^a-z0-9']+/)
      .map((w) => w.replace(/^'+|'+$/g, '').replace(/'s$/, ''))
      .filter(Boolean)
  );
}

/** The titles written before an adult's name ("Mrs Patel", "Miss Clarke", "Dr. Shah"), for a regular expression. */
export const TITLES = 'Mr|Mrs|Ms|Miss|Mx|Dr';

/**
 * A title alone: the name after it is a member of staff, a parent or a visitor, never a pupil
 * (staff do not call children "Miss") and never an app.
 */
export const TITLE = new RegExp(`^(?:${TITLES})\\.?$`);

/** A person named by title and name: "Ms Jo Pennington", "Mr Osei". */
export const TITLED_NAME = new RegExp(String.raw`\b(?:${TITLES})\.?\s+[A-Z][a-z]`);

/** A string matched as itself inside a regular expression. */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Words of a text as stems, stop words out. */
export function tokens(text: string): string[] {
  return terms(text).map((t) => t.stem);
}

/** Words of a text, stop words out, each as written and as its stem. */
export function terms(text: string): Array<{ word: string; stem: string }> {
  const out: Array<{ word: string; stem: string }> = [];
  for (const x of words(text)) if (x.length >= 2 && !STOP.has(x)) out.push({ word: x, stem: stem(x) });
  return out;
}

/**
 * Words typed on a phone without their apostrophe ("ive", "dont", "whos"), as a contraction: an
 * English word of its own would read otherwise ("ive" is no word; "I've" is "I have"). Only forms
 * that are no other common word: not "ill", "id", "its", "were", "well", "shed", "wed", "lets".
 * And speech as it is typed ("wanna", "gonna", "dunno") and short forms ("pls", "req"), written out
 * as the words they stand for.
 */
const TEXTING: Record<string, string> = Object.fromEntries(
  `ive:I've im:I'm dont:don't cant:can't didnt:didn't doesnt:doesn't isnt:isn't wasnt:wasn't arent:aren't
   werent:weren't havent:haven't hasnt:hasn't hadnt:hadn't couldnt:couldn't shouldnt:shouldn't
   wouldnt:wouldn't wont:won't whats:what's whos:who's wheres:where's thats:that's theres:there's
   theyre:they're theyve:they've youre:you're youve:you've weve:we've hes:he's shes:she's
   u:you ur:your pls:please plz:please thx:thanks wanna:want_to gonna:going_to gotta:have_to dunno:don't_know
   lemme:let_me req:request reqs:requests`
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => pair.replace(/_/g, ' ').split(':') as [string, string]),
);

/**
 * A message as it would be written out in full: "ive lost my phone, i dont know where" → "I've
 * lost my phone, I don't know where". English's prefix "ex-" is the word "former" ("an ex-pupil"
 * is a former pupil), which a policy writes out: joined to its noun, it made a word nobody writes.
 */
export function writtenOut(text: string): string {
  return text
    .replace(/\b(?:(an?)\s+)?(ex)-(?=[a-z])/gi, (_m, article: string | undefined, ex: string) => {
      const former = ex === 'Ex' && !article ? 'Former' : 'former';
      return article ? `${article[0]} ${former} ` : `${former} `;
    })
    .replace(/[A-Za-z]+/g, (w) => {
      const lower = w.toLowerCase();
      if (lower === 'i') return 'I';
      return TEXTING[lower] ?? w;
    });
}

/**
 * A plan, a wish or a question about how to act: "I need to…", "we want to…", "a parent wants a
 * copy…", "how should I…", "can I…", "where do I…" (not "what do I do if…", which asks about an
 * event that may happen).
 */
const PLAN =
  /\b(?:need|needs|have|has|going|planning|hoping|about|like|supposed|allowed) to\b|\b(?:wants?|would like)\b|\b(?:i|we)\s+(?:(?:really|just|still|urgently|now)\s+)?need\b(?!\s+to\b)|\bhow (?:should|do|can|could|would|must) (?:i|we)\b|^\s*(?:can|could|may|should|must|do|shall) (?:i|we)\b|^\s*(?:where|when|what|which)\s+(?:should|do|can|could|must)\s+(?:i|we)\b(?![^?]*\b(?:if|when|after|because)\b)/i;

/**
 * Being asked or told to do something ("I've been asked to share…", "the LA asked us to send…",
 * "I was told to email…"): a request received, so a plan, though its verb is in the past.
 */
const ASKED_TO =
  /\b(?:(?:have|has|'ve|'s)\s+)?(?:(?:been|was|were)\s+)?(?:asked|told|instructed|requested)\s+(?:(?:me|us|him|her|them)\s+)?to\b/gi;

/** The same, to test for (a global expression keeps its place between tests). */
const ASKED_TO_ONCE = new RegExp(ASKED_TO.source, 'i');

/** A verb in the past ("sent", "lost", "emailed", "stolen"), by wink's lemmatiser: its dictionary form differs, and it ends in neither -s nor -ing. */
function pastVerb(w: string): boolean {
  return w.length > 2 && !/(?:s|ing)$/.test(w) && !MODALS.has(w) && lemmatizeVerb(w) !== w;
}

/**
 * Modals the lemmatiser reads as the past of another ("would" of "will"), though they tell of
 * nothing that happened: "…and would like to bring the spreadsheet on a memory stick" is a plan.
 * ("Could" stays: "I couldn't find my laptop" tells of a past.)
 */
const MODALS = new Set(['would', 'should', 'might']);

/**
 * Where or how a person says they will be, away from school: "away", "off", "absent", "out of
 * school", "on a course", "on maternity leave". Said after "I'm" ("I'm off sick tomorrow"), or,
 * typed on a phone, at the start of a message with no "I'm" ("off sick tomorrow": see `STARTS_AWAY`).
 */
export const AWAY_STATE = String.raw`(?:away|off|absent|out (?:of (?:school|the office)|all day|today|tomorrow|next|this|until|from|on)|on (?:a |an |the |my )?(?:(?:maternity|paternity|parental|sick|annual|study|compassionate|jury) )?(?:course|leave|holiday|residential|trip|visit|training|secondment|service))\b`;

/** A message that starts with where the person will be, with no "I'm" (see `AWAY_STATE`); "off the top of my head" does not. */
export const STARTS_AWAY = new RegExp(String.raw`^\s*(?!off\s+(?:the|a|an|my|our|your)\b)${AWAY_STATE}`, 'i');

/**
 * A passive with "get" as one with "be": "the class list got emailed to a parent" as "…was
 * emailed…", "my laptop's got stolen" as "…was stolen". Both say the same; the examples a model
 * learns from say it mostly with "be". Only before a past participle: "got a new laptop" and
 * "got sick" stay.
 */
export function withBePassive(text: string): string {
  return text.replace(/\b(?:got|gotten|get|gets|getting)\s+([a-z]+)\b/gi, (all, verb: string) =>
    pastVerb(verb.toLowerCase()) ? `was ${verb}` : all,
  );
}

/**
 * Headlines and tickets leave out "was": "Staff laptop taken from car overnight", "register sheet
 * left on the minibus", "window smashed". A clause that starts with what it is about (nouns, with
 * no person and no helping verb before) and goes on with a verb in the past that takes no object
 * is the passive it stands for, and is written out as one ("…laptop was taken from car…"), as the
 * examples a model learns from say it. Asked, it is "is": "Doodle Maths approved or not?" asks
 * whether it is. "Teacher emailed the wrong parent" (an object follows) and "we sent it home" (a
 * person before) are left as they are.
 */
export function withHeadlinePassive(text: string): string {
  const parts = text.split(CLAUSE_END);
  return parts.map((clause, i) => (i % 2 ? clause : headlinePassive(clause, parts[i + 1]?.includes('?')))).join('');
}

/** Where a clause ends in a ticket or headline: punctuation, or a dash between spaces. */
const CLAUSE_END = /([,;:.!?()]+|\s[-–—]\s)/;

/** Tags that may stand before a headline's verb: the thing it is about, and what says which. */
const ABOUT = new Set(['NOUN', 'PROPN', 'ADJ', 'DET', 'NUM', 'ADP', 'PUNCT', 'SYM', 'VERB']);
/** Tags after the verb that are its object: "emailed the wrong parent" is active. */
const OBJECT = new Set(['DET', 'PRON', 'NOUN', 'PROPN', 'NUM']);

function headlinePassive(clause: string, asked = false): string {
  const tags = partsOfSpeech(clause);
  const at = tags.findIndex((t) => t.pos === 'VERB' && pastVerb(t.word));
  if (at < 1) return clause;
  const before = tags.slice(0, at);
  const ok =
    before.some((t) => t.pos === 'NOUN' || t.pos === 'PROPN') &&
    before.every((t, i) => ABOUT.has(t.pos) || (t.pos === 'PRON' && before[i - 1]?.pos === 'ADP'));
  if (!ok || OBJECT.has(tags[at + 1]?.pos ?? '')) return clause;
  const verb = tags[at]!.word;
  return clause.replace(new RegExp(`\\b${escapeRegExp(verb)}\\b`, 'i'), (w) => `${asked ? 'is' : 'was'} ${w}`);
}

/**
 * Whether a message only plans or asks how to act, and tells of nothing that has happened: a plan
 * ("I need to email…", "how should I send…") and no verb in the past.
 */
export function plannedOnly(text: string): boolean {
  return plans(text) && !toldPast(text);
}

/** Whether a message plans, wishes or asks how to act ("I need to…", "I just want to know…"; see `PLAN`). */
export function plans(text: string): boolean {
  return PLAN.test(text) || ASKED_TO_ONCE.test(text);
}

/**
 * Whether a message has a verb in the past: it tells of something that has happened. Being asked
 * or told to do something, or being allowed to, is no such verb (see `ASKED_TO`, `PERMITTED`).
 */
export function toldPast(text: string): boolean {
  return (
    PERFECT_UNCHANGED.test(text) ||
    words(text.replace(ASKED_TO, ' ').replace(PERMITTED, ' ').replace(HAVE_GOT, ' ')).some(pastVerb)
  );
}

/**
 * A verb whose past is written as its present, after "have" ("I think I've put the list in the
 * wrong bag", "someone has cut…"): the word alone cannot say it happened; the perfect does. Not
 * "let's put…", and not "read" ("I've read the policy" is a confirmation, not something that
 * happened to data).
 */
const PERFECT_UNCHANGED =
  /\b(?:I|we|you|he|she|they|it|someone|somebody|who)(?:['’]ve|['’]d|\s+(?:have|has|had))\s+(?:(?:just|already|accidentally|mistakenly|maybe|possibly|probably|somehow)\s+)?(?:put|set|cut|hit|shut|spread)\b/i;

/**
 * "Have got" for "have", as British English says it ("what has Mateo got consent for?", "I've got
 * a couple of things in mind"): what someone has, not something that happened. Not where "got" is
 * followed by what became of a thing ("has got lost", "have got into my account").
 */
const HAVE_GOT =
  /\b(?:have|has|had|'ve|'s|'d)\s+(?:[A-Za-z']+\s+){0,3}?got\b(?!\s+(?:lost|stolen|deleted|hacked|sent|left|taken|broken|damaged|wet|mixed|into|in|out|through|hold|rid|access|back|caught|shared|posted|leaked|mislaid|dropped|wiped)\b)/gi;

/**
 * Being allowed, required or supposed to ("which kids aren't allowed in the paper", "are pupils
 * permitted to…", "am I required to…"): what may or must be done, not something that happened,
 * though its word is a past participle.
 */
const PERMITTED =
  /\b(?:is|are|am|was|were|be|been|being|isn't|aren't|wasn't|weren't|'s|'re|'m)\s+(?:[a-z']+\s+){0,2}?(?:not\s+)?(?:allowed|permitted|supposed|required|meant|expected|obliged|entitled)\b/gi;

/**
 * Whether the words before a position end in a verb that takes a thing one uses ("can I use …",
 * "install …", "we're trying …"): what follows is something used, not someone.
 */
export function usedBefore(text: string, at: number): boolean {
  return /\b(?:use|using|install|installing|download|downloading|try|trying)\s+(?:the\s+)?$/i.test(text.slice(0, at));
}

/**
 * The first four words a thing is said to go on or onto, straight after a position ("…Zoom on my
 * laptop for lessons": "laptop", "for", "lessons"; "…Sonic Pi on the ICT suite machines": "ict",
 * "suite", "machines"), also when it is said to be put there ("…Scratch be put on the year 4
 * laptops": "year", "4", "laptops"; not "go on the website", which pupils do): empty when it goes on
 * nothing. Which of them is a device is for WordNet to say (see `isDevice`).
 */
export function wordsPutOn(text: string, at: number): string[] {
  const m =
    /^\s+(?:(?:be|been|being|get|got)\s+)?(?:(?:put|set\s+up|installed|downloaded|loaded|added)\s+)?(?:on|onto)\s+(?:(?:my|our|the|a|an|all|every|your|their|his|her)\s+)?([a-z0-9]+)(?:\s+([a-z0-9]+))?(?:\s+([a-z0-9]+))?(?:\s+([a-z0-9]+))?/i.exec(
      text.slice(at),
    );
  return m
    ? m
        .slice(1)
        .filter((w): w is string => Boolean(w))
        .map((w) => w.toLowerCase())
    : [];
}

/** A greeting: "hi", "hiya", "hello", "hey", "good morning"; "morning" and the like only with a pause after (see `withoutPleasantries`). */
const HELLO = String.raw`(?:hi|hiya|hello|hey|heya|hey\s+up|good\s+(?:morning|afternoon|evening)|dear\s+(?:all|colleagues?|sir|madam))`;
const TIME_OF_DAY = String.raw`(?:morning|afternoon|evening|mornin)`;
/** Whom a greeting is to: "hi there", "hello all", "morning both". */
const GREETED = String.raw`(?:\s+(?:there|all|both|team|everyone|everybody|folks|guys|you))?`;
/** A pause after a greeting or before thanks: punctuation, a dash, an emoji or a kiss ("x"). */
const PAUSE = String.raw`[\s.,!?;:\-–—]|\p{Extended_Pictographic}|\uFE0F|\u200D`;
const OPENING = new RegExp(
  String.raw`^\s*(?:${HELLO}${GREETED}(?:(?:${PAUSE})+|\s+)|${TIME_OF_DAY}${GREETED}\s*(?:[.,!;:\-–—]|\p{Extended_Pictographic})(?:${PAUSE})*)`,
  'iu',
);
const CLOSING = new RegExp(
  String.raw`(?:^|[.!?),\-–—]|\p{Extended_Pictographic})(?:${PAUSE})*(?:(?:many|big)\s+)?(?:thanks|thank\s+you|thankyou|thx|ta|cheers)(?:\s+(?:so\s+much|very\s+much|a\s+lot|loads|again|in\s+advance|for\s+(?:your|the|any)\s+help))?(?:\s+x+)?(?:${PAUSE})*$`,
  'iu',
);

/**
 * A message with the greeting before it and the thanks after it blanked out, as spaces of the same
 * length, so that what the rest says keeps its place: "Hiya, can I use Canva? Thanks x" is read as
 * "can I use Canva?". Staff write to the bot as to a colleague, and a greeting is no pupil or app
 * ("Hiya"), nor does it say what is asked. The text as it is when nothing of two words or more
 * would be left ("hello", "thanks so much").
 */
export function withoutPleasantries(text: string): string {
  let out = text;
  const open = OPENING.exec(out);
  if (open) out = ' '.repeat(open[0].length) + out.slice(open[0].length);
  const close = CLOSING.exec(out);
  // The sentence's own ending stays ("…ask you? Thanks": the "?").
  if (close) {
    const from = close.index + (/^[.!?)]/.test(close[0]) ? 1 : 0);
    out = out.slice(0, from) + ' '.repeat(out.length - from);
  }
  return out
    .trim()
    .split(/\s+/)
    .filter((w) => /\p{L}/u.test(w)).length >= 2
    ? out
    : text;
}

/**
 * Someone else's news, passed on: "One of my TAs has just told me", "Mrs Patel asked me to let
 * someone know", "a parent rang the office to say", before a clause with its own subject. What
 * happened is told in that clause; the frame says only who told of it.
 */
const HEARSAY = new RegExp(
  String.raw`(?<=^\s*|[.!?]\s+)(?:[\p{L}'’-]+\s+){1,6}?(?:(?:has|have|had)\s+)?(?:just\s+|only\s+)?(?:(?:told|tells|said|says|mentioned)(?:\s+(?:me|us))?|(?:told|asked)\s+(?:me|us)\s+to\s+(?:let\s+(?:you|someone|somebody|the\s+office)\s+know|tell\s+(?:you|someone|somebody|the\s+office))|(?:rang|rung|phoned|called|emailed|messaged|texted)(?:\s+(?:me|us|the\s+office|school|the\s+school))?\s+to\s+say)\s+(?:that\s+)?(?=(?:she|he|they|we|it|someone|somebody|her|his|their|the|a|an|our|my|one)\s)`,
  'giu',
);

/** A time gone by, which says a verb that may be either ("put", "read", "set") is in the past. */
const PAST_TIME =
  /\b(?:yesterday|last\s+(?:night|week|term|(?:mon|tues|wednes|thurs|fri|satur|sun)day)|earlier\s+today|this\s+morning|ago)\b/i;

/**
 * A message with each frame of news passed on (see `HEARSAY`) blanked out, as spaces of the same
 * length, when what it frames tells of something that has happened: "my TA told me she left the
 * register on the bus" is read as "I left the register on the bus". A frame before a wish or a
 * question ("my TA told me she wants Padlet") stays: whose wish it is may matter.
 */
export function withoutHearsay(text: string): string {
  let out = text;
  for (const m of text.matchAll(HEARSAY)) {
    const at = m.index + m[0].length;
    const rest = text.slice(at).split(/[.!?](?:\s|$)/)[0]!;
    if (!toldPast(rest) && !PAST_TIME.test(rest)) continue;
    // Told as the colleague's own ("she left…"), it is read as the examples tell an event, in the
    // first person ("I left…"): what happened is the same whoever did it. Lengths stay as typed.
    const who = /^(?:she|he|they)\b/i.exec(rest)?.[0];
    out =
      out.slice(0, m.index) +
      ' '.repeat(m[0].length) +
      (who ? `I${' '.repeat(who.length - 1)}` : '') +
      out.slice(at + (who?.length ?? 0));
  }
  return out;
}

/**
 * A question asked indirectly, inside a statement of not knowing: "I'm not really sure what this
 * bot is for", "I don't know who to tell", "I was wondering how I…", "not sure what to do". The
 * frame says only that the person does not know; the question after it is what they ask. (A hedge
 * before a statement, "not sure if this counts as a breach", frames no question word and stays
 * as it is: its "if" is read with the clause. Nor "where" a thing is: "I don't know where my
 * laptop is" tells of a loss; "not sure where to send it" asks.)
 */
const NOT_KNOWING = new RegExp(
  String.raw`(?<=^\s*|[.!?,;:]\s*|\s[-–—]\s*|\b(?:but|and|so)\s+)(?:(?:i|we)(?:['’]m|\s+am|['’]re|\s+are|\s+was|\s+were)?\s+)?(?:(?:not|never)\s+(?:really\s+|quite\s+|too\s+|totally\s+|entirely\s+|100%\s+)?(?:sure|certain|clear)(?:\s+(?:about|on|of))?|(?:(?:don['’]t|do\s+not|didn['’]t|did\s+not)\s+(?:really\s+|quite\s+)?(?:know|understand|get))|(?:have\s+)?no\s+idea|(?:just\s+)?wonder(?:ing|ed)?)\s+(?=(?:what|who|whom|whose|which|when|why|how)\b|where\s+(?:to|do|does|should|can|could|would|i|we)\b)`,
  'giu',
);

/**
 * A message with each frame of not knowing before a question word (see `NOT_KNOWING`) blanked out,
 * as spaces of the same length: "Sorry, I'm not really sure what this bot is for" is read as "what
 * this bot is for", as the question it is.
 */
export function withIndirectQuestions(text: string): string {
  return text.replace(NOT_KNOWING, (m, at: number) => {
    // Not knowing something of the past ("I don't know who he was", "…what she saw") tells of it.
    const asked = text.slice(at + m.length).split(/[.!?](?:\s|$)/)[0]!;
    return PAST_SAID.test(asked) ? m : ' '.repeat(m.length);
  });
}

/** A clause in the past tense, by its auxiliary or its verb "to be" (which `toldPast` leaves out). */
const PAST_SAID = /\b(?:was|were|did|had)\b/i;

/** The social media sites staff name ("the school Instagram", "our Facebook page"). */
/** The social networks by name, and as people shorten them ("insta"). */
export const SOCIAL_PLATFORMS = /\b(?:facebook|twitter|instagram|insta|tiktok|snapchat|linkedin|bluesky)\b/gi;

/**
 * The start of a clause that says what a message is not about, and the words of that clause: "Not a
 * breach, …", "It's not a photo consent thing - …", "not the website, the prospectus", "I'm not
 * asking to install it, …", "Don't need the whole list, …", "Forget my Padlet request, …", "I haven't
 * lost anything: …". As NegEx reads clinical notes: a cue that denies, and its scope to the end of
 * the clause (a comma, colon, dash or full stop, or "but", "just", "only", "instead"). A hedge
 * ("not sure if this counts", "I don't think Duolingo needs…") denies no subject: it is no cue.
 */
const DENIAL = new RegExp(
  String.raw`(?<=^\s*|[.!?,;:]\s*|\s[-–—]\s*)(?:` +
    [
      // "Not a breach", "It's not a photo consent thing", "not the website", "Not for me"
      String.raw`(?:(?:it|this|that)(?:['’]s|\s+is)\s+|(?:it|this|that)\s+isn['’]t\s+)?not\s+(?:really\s+|just\s+|actually\s+)?(?:a|an|the|about|for)\s`,
      // "I'm not asking to install it", "Not reporting anything", "I'm not going to email it"
      String.raw`(?:i['’]m\s+|i\s+am\s+)?not\s+(?:asking|reporting|after|putting|going\s+to|trying\s+to|looking|wanting)\b`,
      // "I don't need a school laptop", "Don't need the whole list", "No need to install anything"
      String.raw`(?:i\s+)?(?:don['’]t|do\s+not)\s+need\s+(?:a|an|the|to|any)\b`,
      String.raw`(?:there['’]s\s+)?no\s+need\s+to\b`,
      // "Forget my Padlet request", "Never mind the Canva one" (not "cancel": that asks for something)
      String.raw`(?:forget|never\s*mind|ignore)\s+(?:about\s+)?(?:my|the|that)\b`,
      // "I haven't lost anything", "we didn't send anything"
      String.raw`(?:i|we)\s+(?:haven['’]t|have\s+not|didn['’]t|did\s+not)\s+[\p{L}]+\s+(?:anything|any)\b`,
    ].join('|') +
    String.raw`)[^.!?,;:]*?(?=\s*(?:[.!?,;:]|\s[-–—](?:\s|$)|\b(?:but|just|only|instead)\b|$))`,
  'giu',
);

/** A word that points back to something named before it. */
const POINTS_BACK_TO = /\b(?:them|those|these)\b|\bit\b(?!['’]s|\s+(?:is|was|has|had|will|would)\b)/i;

/**
 * A message with each clause that says what it is not about (see `DENIAL`) blanked out, as spaces
 * of the same length: "Not a breach, I need to take the mock papers home" is read as a request to
 * take papers home, and "not the website, the prospectus" asks about the prospectus. A clause the
 * rest points back to, naming nothing else first ("I'm not after the consent forms myself, but who
 * looks after them?"), stays: what is asked about is in it.
 */
export function withoutDenials(text: string): string {
  let out = text;
  for (const m of text.matchAll(DENIAL)) {
    const rest = text.slice(m.index + m[0].length);
    const back = POINTS_BACK_TO.exec(rest);
    if (back && !partsOfSpeech(rest.slice(0, back.index)).some((t) => isNounTag(t.pos))) continue;
    out = out.slice(0, m.index) + ' '.repeat(m[0].length) + out.slice(m.index + m[0].length);
  }
  // Nothing left to read: the message as typed.
  return /\p{L}{2}/u.test(out) ? out : text;
}
