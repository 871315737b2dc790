import type { EntityHit, IntentDef } from '../types';
import { STOP, TITLE, wordsPutOn } from '../../language/words';
import { WordVectors } from '../../language/vectors';
import { inDictionary, isDevice, isPerson, isPlaceName, isVerb } from '../../language/senses';
import { namesDevice } from '../device/understands';

/** Whether an app may be used, or asking for one. `{app}` is an app the register already knows. */
export const SOFTWARE_INTENTS: IntentDef[] = [
  {
    id: 'software.ask',
    title: 'Check or ask for software',
    // A question that names no app ("who has to OK a new maths app?"), or one the register does not
    // know ("can I use my Gmail for school work?"), is the policy's first; one that names an app on
    // the register is answered from the register.
    policyFirst: {
      unless: ['app'],
      topic: 'approval of software, apps and online services',
      unknown: (name) => `${sentenceStart(name)} is not on the register of approved software yet.`,
    },
    needs: {
      entities: ['app'],
      // An app named in a telling of what has happened, which asks nothing, is where it happened
      // ("Office PC left logged in to Arbor with the window cleaner in the room"), not software
      // asked for.
      unlessOnlyTold: ['app'],
      words:
        /\b(?:apps?|software|programs?|programmes?|install\w*|download\w*|websites?|site|online|tools?|sign (?:up|the)|accounts?|licen[cs]es?|subscriptions?|games?|service)\b/i,
    },
    examples: [
      'is {app} approved',
      'is {app} on the approved list',
      'are we allowed to use {app}',
      'can I use {app} with my class',
      'can I install {app}',
      'can I download {app} on my laptop',
      'has {app} been approved by IT',
      'is it ok for the children to use {app}',
      'can pupils sign up for {app}',
      'I would like to get {app}',
      'I want {app} on the classroom computer',
      'please can {app} be put on the ipads',
      'could we have {app} for the year group',
      'can I try {app} for maths',
      'is {app} safe to use in school',
      'I need {app} for a project',
      'can I make an account on {app} for my class',
      'can I install an app',
      'I want to install some software',
      'I need a new program on my computer',
      'how do I get software installed',
      'can I download a free app for my lessons',
      'I want to use a new website with the children',
      'I found a great online tool, can I use it',
      'request new software',
      'ask for an app',
      'I need an app approving',
      'which apps are we allowed to use',
      'is this app on the approved list',
      'can I sign the class up to an online service',
      'can I put a game on the class tablets',
      'I want to trial a new reading app',
      'we would like a subscription to a website for phonics',
      'can the kids use an online quiz site',
      'how do I ask IT to install something',
      'I need {app} installed on my computer',
      'can {app} be installed in the ICT suite',
      'please install {app} on the laptops',
      'can the children sign up to {app}',
      'can I register the class on {app}',
      'can I set up accounts on {app} for my pupils',
      'is {app} allowed',
      'are we ok to use {app} in lessons',
      'I want to start using {app}',
      'do we have a licence for {app}',
      // Asked of the bot itself ("can you…"), as people ask IT.
      'can you install {app} for me',
      'could you put {app} on my laptop please',
      'can you get something installed on my computer',
      'could you download a program for my class',
    ],
  },
];

/** A name that starts a sentence: one typed all in lower case ("padlet") gets its capital; "iMovie" stays as it is. */
export function sentenceStart(name: string): string {
  return name === name.toLowerCase() ? name.charAt(0).toUpperCase() + name.slice(1) : name;
}

/** The words the software examples use for software in general, and every stop word: none is an app's name. */
const GENERIC = new Set([
  ...STOP,
  ...SOFTWARE_INTENTS.flatMap((i) => i.examples.flatMap((e) => e.toLowerCase().match(/[a-z]+/g) ?? [])),
  'something',
  'anything',
  'stuff',
]);

/** Words that start with a capital but are not apps (devices are asked about as devices: "my own iPad"). */
const NOT_APPS = new Set(
  `i i'm i've i'd im ive id uk eu it year class school mr mrs ms miss dr head headteacher monday tuesday wednesday thursday
   friday saturday sunday january february march april may june july august september october november december english
   maths science history geography art music pe christmas easter please hi hello thanks can could may might will would is
   are am do does did has have had what who when where why how which the a an my our we you they he she this that
   there here is it ok okay if and or but so for with on in at to of from
   ipad ipads iphone iphones android chromebook chromebooks macbook mac imac kindle samsung galaxy pixel surface`.split(
    /\s+/,
  ),
);

/** The subjects of the timetable, which end the names of many apps made for them. */
const SUBJECTS = new Set(['english', 'maths', 'science', 'history', 'geography', 'art', 'music']);

/** Countries and languages are capitalised too: every name the runtime knows, in English. */
const PLACES_AND_LANGUAGES = (() => {
  const out = new Set<string>();
  const regions = new Intl.DisplayNames(['en'], { type: 'region' });
  const languages = new Intl.DisplayNames(['en'], { type: 'language' });
  // Continents are no region with a code of two letters.
  for (const c of ['africa', 'america', 'americas', 'antarctica', 'asia', 'europe', 'oceania']) out.add(c);
  const A = 'A'.charCodeAt(0);
  for (let i = 0; i < 26; i++)
    for (let j = 0; j < 26; j++) {
      const code = String.fromCharCode(A + i, A + j);
      for (const name of [regions.of(code), languages.of(code.toLowerCase())])
        if (name && name !== code && name.toLowerCase() !== code.toLowerCase()) out.add(name.toLowerCase());
    }
  return out;
})();

/** What follows a name asked whether it may be used, as a ticket asks: "… approved or not?", "… - allowed?". */
const ASKED_AFTER = /^\s*[-–:,]?\s*(?:ok|okay|allowed|approved|safe|fine|alright)\b/i;

/** A name asked whether it may be used: "is kahoot ok to use", "canva allowed?", "is padlet on the approved list?". */
const ASKED_IF_ALLOWED =
  /\b(?:is|are)\s+(?:the\s+)?([a-z][a-z0-9+]*)\s+(?:ok|okay|allowed|approved|safe|fine|alright|(?:already\s+)?(?:on|in)\s+(?:the|our)\s+(?:approved\s+|software\s+|app\s+)*(?:list|register))\b|^\s*([a-z][a-z0-9+]*)\s+(?:ok|okay|allowed|approved|safe)\b/gi;

/** A service people are messaged, called or talked to on: "message parents on whatsapp". */
const MESSAGED_ON =
  /\b(?:message|messaging|chat|chatting|text|texting|contact|contacting|talk|talking|call|calling|email|emailing)\b[^.?!]{0,40}?\b(?:on|via|through|over|using)\s+([a-z][a-z0-9+]*)\b/gi;

/** What a thing is for, straight after it: a class, a club, a lesson or a subject ("…for my french club", "…for year 4", "…for p5", "…with the class"). */
const FOR_TEACHING =
  /^\s+(?:for|with|in)\s+(?:(?:my|our|the|a|an|this|next|all)\s+)?(?:[a-z]+\s+)?(?:class(?:es)?|club|clubs|lessons?|group|groups|year\s*\d+|y\d+|p[1-7]|reception|nursery|pupils|children|kids|students|homework|maths|english|science|music|french|spanish|phonics|reading|spelling|computing|art|pe|history|geography|re|dt)\b/i;

/**
 * What an app is said to be for, straight after its name, as the person put it ("…spotify for my
 * music lessons" → "For my music lessons"): a class, a club, a lesson or a subject (`FOR_TEACHING`),
 * up to the end of the clause. Undefined when nothing so is said.
 */
export function purposeSaid(text: string, end: number): string | undefined {
  const rest = text.slice(end);
  if (!FOR_TEACHING.test(rest)) return undefined;
  // "For…" says what it is for; "with the class" only who uses it.
  const phrase = /^\s+(for\s+[^.?!,;]+)/i.exec(rest)?.[1]?.trim();
  return phrase ? sentenceStart(phrase) : undefined;
}

/**
 * A version's number after an app's name: one to four digits, then the end of the clause or a word
 * that goes on about the app ("Clicker 8 with my group", "is Grid 3 approved?"), not a count of
 * something ("Kahoot 3 times a week").
 */
const VERSION =
  /^ \d{1,4}(?=\s*$|\s*[,.?!;:)]|\s+(?:with|on|for|in|into|onto|to|at|and|or|please|pls|app|is|ok|okay|allowed|approved|installed|licen[cs]es?)\b)/i;

/**
 * Apps named in a message: those on the school's register (by name, any case), and otherwise a run
 * of capitalised words in the middle of a sentence ("can I use Padlet with Year 3?"), which the
 * register does not know yet.
 */
export async function spotApps(text: string, registered: string[]): Promise<EntityHit[]> {
  const out: EntityHit[] = [];
  const lower = text.toLowerCase();
  for (const name of [...registered].sort((a, b) => b.length - a.length)) {
    const n = name.toLowerCase();
    let at = lower.indexOf(n);
    while (at >= 0) {
      const before = at === 0 || !/[a-z0-9]/.test(lower[at - 1]!);
      const after = at + n.length >= lower.length || !/[a-z0-9]/.test(lower[at + n.length]!);
      if (before && after && !out.some((o) => at < o.end && o.start < at + n.length)) {
        out.push({
          type: 'app',
          value: name,
          text: text.slice(at, at + n.length),
          start: at,
          end: at + n.length,
          slot: true,
        });
      }
      at = lower.indexOf(n, at + 1);
    }
  }
  // A name typed in lower case on a phone ("can you install audacity on my laptop"): the one word
  // after "install" or "download", unless it is a word the examples above use for software in
  // general ("install some software", "download a free app"). After a verb that takes anything
  // ("could we get padlet", "need to get spotify on the pc"), only a word no dictionary lists: "use
  // my laptop", "get a memory stick" name no app. (Not "a word the word vectors lack": they were
  // trained on web text, which names products often.)
  const english = WordVectors.load();
  const named = async (lower: string) => !NOT_APPS.has(lower) && lower.length >= 3 && !(await inDictionary(lower));
  // A word typed in lower case, no word for software in general, where no name is found already.
  const free = (word: string, start: number) =>
    word === word.toLowerCase() &&
    !GENERIC.has(word) &&
    !out.some((o) => start < o.end && o.start < start + word.length);
  const guess = (word: string, start: number) =>
    out.push({ type: 'app', value: word, text: word, start, end: start + word.length, slot: true, guess: true });
  for (const m of text.matchAll(
    /\b(install|download|use|using|get|try|need|want|have|put)\s+(?:the\s+)?([a-z][a-z0-9+]*)\b/gi,
  )) {
    const word = m[2]!;
    const start = m.index + m[0].length - word.length;
    const end = start + word.length;
    // A capitalised name is found below, with any capitalised words after it ("Minecraft Education").
    if (!free(word, start)) continue;
    if (!/^(?:install|download)$/i.test(m[1]!) && !(await named(word))) continue;
    // What is needed, wanted or had is software when it is to go on a device ("i need spotify on my
    // laptop") or to be used with a class, a club or a lesson ("need duolingo for my french club");
    // "I need padlet" alone may be anything.
    if (
      /^(?:need|want|have|put)$/i.test(m[1]!) &&
      !wordsPutOn(text, end).some(isDevice) &&
      !FOR_TEACHING.test(text.slice(end))
    )
      continue;
    guess(word, start);
  }
  // Or where people are messaged, called or talked to ("message parents on whatsapp", "chat to the
  // class via padlet"): the service it is done on, when no dictionary lists the word.
  for (const m of text.matchAll(MESSAGED_ON)) {
    const word = m[1]!;
    const start = m.index + m[0].length - word.length;
    if (free(word, start) && (await named(word))) guess(word, start);
  }
  // Or named first, as a search box or a ticket is typed, for a class or on a device ("sumdog for
  // p5?", "canva on class ipads"): a word no dictionary lists, whatever verb was left out.
  const opening = /^\s*([a-z][a-z0-9+]*)\b/i.exec(text);
  if (opening) {
    const word = opening[1]!;
    const start = opening[0].length - word.length;
    const end = start + word.length;
    if (
      free(word, start) &&
      (FOR_TEACHING.test(text.slice(end)) || wordsPutOn(text, end).some(namesDevice)) &&
      (await named(word))
    )
      guess(word, start);
  }
  // Or asked whether it may be used ("is kahoot ok to use", "canva allowed?"): a word no dictionary
  // lists, in the place of the thing asked about.
  for (const m of text.matchAll(ASKED_IF_ALLOWED)) {
    const word = (m[1] ?? m[2])!;
    const start = m.index + m[0].indexOf(word, m[1] ? 2 : 0);
    if (free(word, start) && (await named(word))) guess(word, start);
  }
  const words = [...text.matchAll(/[A-Za-z][A-Za-z0-9+.'’-]*[A-Za-z0-9+]|[A-Za-z]/g)];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const looksLikeName = (s: string) =>
      /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)*$|^[a-z]+[A-Z][A-Za-z0-9]*$/.test(s) &&
      !NOT_APPS.has(s.toLowerCase()) &&
      !PLACES_AND_LANGUAGES.has(s.toLowerCase());
    const sentenceStart =
      i === 0 || /[.!?]\s*$/.test(text.slice(words[i - 1]!.index! + words[i - 1]![0].length, w.index));
    // A school subject after a name is part of it ("Sparx Maths", "White Rose Maths"), though alone
    // it names no app.
    const goesOn = (s: string) => looksLikeName(s) || (/^[A-Z]/.test(s) && SUBJECTS.has(s.toLowerCase()));
    const gap = (k: number) => text.slice(words[k]!.index! + words[k]![0].length, words[k + 1]!.index);
    // The name goes on into the next word: only across a space, not past a sentence's end or a
    // comma ("…on Instagram? Asking for a friend").
    const goesOnAt = (k: number) => k + 1 < words.length && /^\s+$/.test(gap(k)) && goesOn(words[k + 1]![0]);
    // A capital starts every sentence, so one there says nothing, unless English never uses the
    // word ("Padlet - can we use it?", "Kahoot allowed in class?"), or more names follow it, all
    // asked whether they may be used, as a ticket asks ("Doodle Maths approved or not?").
    const named = (k: number) => {
      let end = k;
      while (end - k < 5 && goesOnAt(end)) end++;
      return end > k && ASKED_AFTER.test(text.slice(words[end]!.index! + words[end]![0].length));
    };
    if ((sentenceStart && english.has(w[0].toLowerCase()) && !named(i)) || !looksLikeName(w[0])) continue;
    // A name after "at" is where, not what: "the wifi at Costa", "a meeting at Northgate".
    if (/^at$/i.test(words[i - 1]?.[0] ?? '')) continue;
    // One after a title is a person ("Mr Dunn wants Tinkercad…", "Mrs Helen Bracewell"), as far as the names go.
    if (TITLE.test(words[i - 1]?.[0] ?? '')) {
      while (goesOnAt(i)) i++;
      continue;
    }
    // A room, a form or a set is a capital and a number ("S4", "Y7"), not a name.
    if (/^[A-Z]\d+s?$/.test(w[0])) continue;
    let j = i;
    for (;;) {
      if (j - i < 5 && goesOnAt(j)) j++;
      // A title's "to" before a capitalised verb goes on with it ("Teach Your Monster to Read").
      else if (j > i && j - i < 4 && words[j + 1]?.[0] === 'to' && (await titleVerb(words[j + 2]?.[0]))) j += 2;
      else break;
    }
    // A word alone at a sentence's start before its subject is a greeting or an exclamation, not
    // an app ("Hiya I've just started here…").
    if (sentenceStart && j === i && SUBJECT.test(words[i + 1]?.[0] ?? '')) continue;
    // A capitalised word alone that WordNet knows as a place's name is where ("our exchange school
    // in Lyon"), and one whose usual sense is a person is someone ("the Duke", "a Governor"). With
    // more names after it, it may start an app's ("Reading Eggs": Reading is a town too).
    if (j === i && (isPlaceName(w[0]) || isPerson(w[0]))) continue;
    // A word of English alone after "the" is a thing or an event the school has ("for the
    // Eisteddfod", "the school Nativity"), not an app, which goes by its name alone, unless it is
    // called one ("the Seesaw app").
    if (
      j === i &&
      THE_BEFORE.test(text.slice(0, w.index)) &&
      !CALLED_APP.test(text.slice(w.index! + w[0].length)) &&
      (await inDictionary(w[0], { names: false }))
    )
      continue;
    // Initials just before the name are part of it: "TT Rockstars", "BBC Bitesize".
    const initials = words[i - 1];
    const joined =
      initials &&
      /^[A-Z][A-Z0-9]{1,3}$/.test(initials[0]) &&
      /^ $/.test(text.slice(initials.index! + initials[0].length, w.index));
    const start = joined ? initials.index! : w.index!;
    let end = words[j]!.index! + words[j]![0].length;
    // A version's number just after it is part of the name: "Clicker 8", "Office 365", "Grid 3".
    end += VERSION.exec(text.slice(end))?.[0].length ?? 0;
    if (!out.some((o) => start < o.end && o.start < end))
      out.push({
        type: 'app',
        value: text.slice(start, end),
        text: text.slice(start, end),
        start,
        end,
        slot: true,
        guess: true,
      });
    i = j;
  }
  // A name just after the "could" or "can" that opens a question, before a verb, is who is asked
  // to do it, when an app is named after it ("Could Sam put Busy Things on the iPads?"). Alone, it
  // may be the app ("Can Padlet export to PDF?").
  const asked = async (e: EntityHit, k: number) => {
    const verb = /^\s+(?!be\b|get\b)([a-z]+)\b/.exec(text.slice(e.end))?.[1];
    return (
      e.guess &&
      !/\s/.test(e.value) &&
      k < out.length - 1 &&
      ASKED_TO_DO.test(text.slice(0, e.start)) &&
      verb !== undefined &&
      (await isVerb(verb))
    );
  };
  const kept: EntityHit[] = [];
  for (const [k, e] of out.entries()) if (!(await asked(e, k))) kept.push(e);
  return kept;
}

/** "The" just before, or before a word or two in lower case ("the school ", "the Year 6 "). */
const THE_BEFORE = /\bthe\s+(?:[a-z0-9]+\s+){0,2}$/i;
/** A word after a name that calls it software: "the Seesaw app", "the Zoom account". */
const CALLED_APP = /^\s+(?:app|apps|software|program|programme|platform|website|site|account|licen[cs]e)\b/i;

/** The start of a question that asks something of someone: "Could …", "… Can …". */
const ASKED_TO_DO = /(?:^|[.!?]\s+)(?:could|can|would|will)\s+$/i;

/** The person typing as a clause's subject: "I", "I've", "we're". */
const SUBJECT = /^(?:I|I['’](?:m|ve|d|ll)|we|we['’](?:re|ve|d|ll))$/;

/** Whether a word is a capitalised verb, as a title writes one ("Read", "Spell"). */
async function titleVerb(word: string | undefined): Promise<boolean> {
  return Boolean(word && /^[A-Z][a-z]+$/.test(word) && (await isVerb(word)));
}

/**
 * Which of the request form's device choices a message already names: "on my laptop" is the
 * person's school laptop, "the class iPads" the pupils' tablets, "the classroom computers" or "the
 * interactive whiteboard" the classroom's, "all staff laptops" everyone's. Undefined when it names
 * none, or more than one: the person picks.
 */
export function devicesSaid(text: string): string | undefined {
  const found = [
    [/\bmy (?:school |work )?laptop\b/i, 'my-laptop'],
    [/\b(?:all |every )?(?:the )?staff laptops\b/i, 'staff-laptops'],
    [
      /\bclass(?:room)? (?:computers?|pcs?|desktops?|laptops?)\b|\b(?:interactive |smart ?)(?:white)?boards?\b|\bict suite\b|\bcomputer suite\b/i,
      'classroom',
    ],
    [/\b(?:pupils?['’]?|children['’]?s?|kids['’]?|class|classroom|school) (?:i ?pads?|tablets?)\b/i, 'tablets'],
  ] as const;
  const said = found.filter(([re]) => re.test(text)).map(([, v]) => v);
  return said.length === 1 ? said[0] : undefined;
}
