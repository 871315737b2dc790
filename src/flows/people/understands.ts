import { ROLE_TITLES } from '../../config';
import { nounsOf } from '../../language/parts-of-speech';
import { mayBeDevice } from '../../language/senses';
import { words } from '../../language/words';
import type { EntityHit, IntentDef } from '../types';
import { namesDevice } from '../device/understands';

/** Asking for a role's address or number: "what's the IT technician's email", "whats the office number". */
const ASKS_FOR_CONTACT =
  /\b(?:what(?:['’]s| is)|whats)\s+(?:the|our)\b[^?.!]*\b(?:email|e-mail|number|phone|extension)\b/;
/** Something that does not work (told as a headline too: "smartboard broken, who to call"; a blank screen, an error message), a way in that is lost, or help getting in or on (a reset, the wifi's password): IT's. */
const IT_NEED =
  /(?:\b(?:is|are|has|have|keeps?|went|gone)|\w['’]s)\s+(?:down|broken|broke|crashed|frozen|stopped working)\b|\b[a-z]+ broken(?=\s*(?:$|[,.?!;:-]|who\b))|\b(?:isn'?t|aren'?t|not) working\b|\bstop(?:s|ped)? working\b|\b(?:breaks|broke) down\b|\bwon'?t (?:work|turn on|switch on|start|connect|load|print|let me (?:log|sign) ?in)\b|\b(?:fix|fixes|mend|mends|repair|repairs|reset|resets|unlock|unlocks)\b|\bhow (?:do|can|should) (?:i|we) (?:connect|get (?:on|onto|connected)|log ?(?:in|on)|sign ?in)\b|\b(?:wi-?fi|network|internet|guest)\s+(?:password|code|key|login|details)\b|\bcrash(?:ed|es|ing)?\b|\b(?:has |have |just )?(?:died|packed (?:in|up))\b|\b(?:is|are|['’]s) dead\b|\bfr(?:eez(?:es|ing)|oze|ozen)\b|\bforg[eo]t(?:ten)? (?:my |the )?(?:password|login|log-?in|pin)\b|\blocked out\b|\bpassword (?:has )?expired\b|\bcan(?:no|['’])?t (?:log|sign) ?(?:in|on)(?:to)?\b|(?:\b(?:is|are|so|very|really|too)|\w['’]s)\s+(?:(?:so|very|really|too)\s+)?slow\b|\bkeeps? (?:dropping|disconnecting|cutting out|freezing)\b|\bnot (?:loading|connecting|charging)\b|\bno (?:signal|internet|connection)\b|\b(?:blank|black|blue) screen\b|\berror (?:message|code)s?\b/i;
/**
 * A device that will not do something, has stopped, keeps doing something, or is doing something
 * with nothing done to anything ("the ipads wont update", "my keyboard has stopped typing", "the
 * printer in the staffroom keeps jamming", "my laptop screen is flickering"), or is damaged ("my
 * ipad screen is cracked", "the battery's flat"). The device is the subject: a noun before the verb
 * in the same clause that names a device in one of its common senses (see `mayBeDevice`). Whatever
 * the fault is called, it is a fault, when the words around it say nothing of data.
 */
const FAULT_VERB =
  /\b(?:(?:won['’]?t|wont|will not|can['’]?t|cant|cannot|doesn['’]?t|doesnt|don['’]?t|dont|didn['’]?t|didnt|isn['’]?t|isnt|aren['’]?t|arent)\s+(?:[a-z]+)|(?:stopped|keeps?|kept)\s+[a-z]+ing|(?:is|are|['’]s|got|has\s+been)\s+(?:all\s+)?(?:cracked|smashed|damaged|bent|flat|wet|soaked)\b|(?:is|are|['’]s)\s+(?:always\s+|constantly\s+|still\s+)?[a-z]+ing(?=\s*(?:$|[,.!?;]|\s(?:again|constantly|all the time|a lot|every|and|but|so|when|whenever|now|today)\b)))/gi;

/** Words for data or people, which make what a device does something done to them ("the screen is showing the SEN list"). */
const DATA_WORDS =
  /\b(?:data|names?|photos?|pictures?|images?|details|records?|reports?|lists?|registers?|pupils?|child|children|kids|parents?|families|staff|sen|medical|health|safeguarding|emails?|messages?|files?|documents?)\b/i;

/**
 * A word for data kept on paper or on screen: "files", "records", "notes". (Not `DATA_WORDS`, which
 * names people too: "safeguarding children" is the safeguarding lead's.)
 */
const DATA_NOUN = String.raw`(?:files?|records?|folders?|notes|logs?|information|info|data|lists?|reports?|paperwork|documents?|forms?)\b`;

/** A word that may name a machine (see `FAULT_VERB`). */
const machine = (w: string) => namesDevice(w) || mayBeDevice(w);

const DEVICE_FAULT = {
  exec(text: string): RegExpExecArray | null {
    if (DATA_WORDS.test(text)) return null;
    for (const m of text.matchAll(FAULT_VERB)) {
      const clause = text
        .slice(0, m.index)
        .split(/[,.;!?]|\b(?:and|but|so|because)\b/i)
        .at(-1)!;
      // The device does it, not a person ("…on a computer I don't recognise").
      if (/\b(?:i|you|we|he|she|they|someone|somebody|anyone|nobody)\s*$/i.test(clause)) continue;
      if (words(clause).some(machine))
        return Object.assign([m[0]], { index: m.index, input: text, groups: undefined }) as RegExpExecArray;
    }
    return null;
  },
};

/** What a message tells of that IT mends: a need in its usual words (IT_NEED), or a device's fault. */
const IT_TOLD = {
  exec: (text: string): RegExpExecArray | null => IT_NEED.exec(text) ?? DEVICE_FAULT.exec(text),
};

/**
 * Words telling that something happened to someone's data or account, not that a thing broke:
 * "someone got into my account and I'm locked out" is a breach to report, not a fault, and so is
 * "the website crashed and showed other children's names".
 */
const HARM =
  /\b(?:hack\w*|stol\w*|nick\w*|lost|los(?:e|ing)|missing|virus\w*|scam\w*|phish\w*|breach\w*|leak\w*|(?<!\b(?:can|could|will|would)\s)(?:someone|somebody)|wrong|clicked|sent|left|exposed|visible|others?|another)\b/i;
/**
 * A person asked for ("the person for data protection", "which person approves…"), not one told of
 * ("I sent it to the wrong person").
 */
const PERSON_ASKED =
  /(?:\bthe |^\s*(?:the |a |contact )?)person (?:who|for|to|in|that|responsible)\b|\b(?:which|what) person\b/i;

/** A length of time or a count asked for: "how long", "how often", "how many", "how much". */
const HOW_MUCH_ASKED = /\bhow (?:long|often|many|much|soon)\b/;

/** Words for the photo-consent register, which the office keeps; or a list said to say who may be photographed ("the list of which kids can be photographed"). */
const CONSENT_WORDS =
  /\bconsent\b|\bphoto (?:list|forms?|permissions?)\b|\b(?:list|register|records?)\b[^.?!]{0,40}\b(?:photographed|filmed)\b/i;

/**
 * Who or what the question is about: a role by its usual names (a person's, typed with or without
 * the apostrophe: "the headteachers email"), or a kind of request or report whose routing answers
 * it. Checked in order: a named role first, then the subject. A third field `false` marks words
 * that tell of a need rather than name the role ("the wifi is down").
 */
const ROLE_WORDS: Array<[RegExp, string, false?]> = [
  [/\bdata protection officer(?:['’]?s)?\b|\bdpo(?:['’]?s)?\b|\bdata protection lead(?:['’]?s)?\b/i, 'dpo'],
  [/\bdata compliance officer\b|\bdco\b/i, 'dco'],
  [/\bhead ?teacher(?:['’]?s)?\b|\bhead of school\b|\bprincipal(?:['’]?s)?\b|\bthe head(?:['’]s)?\b/i, 'headteacher'],
  [/\bbusiness manager(?:['’]?s)?\b|\bbursar(?:['’]?s)?\b|\bsbm(?:['’]?s)?\b/i, 'sbm'],
  // (Before a word for data, it says what the data is: "safeguarding files" left in a skip are a breach.)
  [new RegExp(String.raw`\b(?:safeguarding|child protection)\b(?!\s+${DATA_NOUN})|\bdsl(?:['’]?s)?\b`, 'i'), 'dsl'],
  [/\be-?safety\b|\bonline safety\b/i, 'esafety'],
  [
    /\bIT\b|\bI\.T\.?|\bICT\b|\btechnician(?:['’]?s)?\b|\btech support\b|\bnetwork manager(?:['’]?s)?\b|\bcomputer (?:person|support)\b/,
    'it',
  ],
  // (Data lost, stolen or leaked is a breach, by whatever name: "who to notify re lost personal data",
  // "who must I tell if data is lost?". So is something unnamed lost or leaked, or something gone
  // wrong with information: "who do I go to if something's been leaked?")
  [
    new RegExp(
      String.raw`\bbreach(?:es)?\b|\bincidents?\b|\bleaks?\b|\b(?:lost|lose|loses|losing|stolen|leaked|misplaced|mislaid)\s+(?:[a-z]+\s+){0,2}${DATA_NOUN}|${DATA_NOUN}\s+(?:(?:is|are|was|were|has|have|had|been|got|gets|get)\s+){1,2}(?:lost|stolen|leaked|missing|misplaced|mislaid)\b|\b(?:something|anything)(?:['’]s|\s+(?:has|had|have))?\s+been\s+(?:lost|stolen|leaked)\b|\b(?:go(?:es|ne|ing)?|went)\s+wrong\s+with\s+(?:[a-z]+\s+){0,2}${DATA_NOUN}`,
      'i',
    ),
    'breach',
  ],
  // Equipment that has stopped working, or a way in that is lost, is IT's to mend ("who do I tell
  // if the wifi is down?", "I forgot my password").
  [IT_NEED, 'it', false],
  [CONSENT_WORDS, 'office'],
  [/\bsoftware\b|\bapps?\b|\bprograms?\b|\binstall/i, 'software'],
  [/\b(?:own|personal) (?:device|phone|laptop|tablet)s?\b|\bdevice requests?\b/i, 'device'],
  [/\boffice\b|\breception\b|\badmin\b/i, 'office'],
  [/\bdata protection\b|\bgdpr\b|\bpersonal data\b/i, 'dpo'],
];

/** "Who is our DPO?", "who do I tell about a breach?": answered from the school's configuration. */
export const PEOPLE_INTENTS: IntentDef[] = [
  {
    id: 'people.who',
    title: 'Find who to ask',
    // "Who do I tell if I emailed the wrong parent?" names no role: the policy says who.
    policyFirst: { unless: ['role'] },
    claims: {
      entities: ['role', 'request'],
      asks: new RegExp(`\\bwho(?:m|['’]?s)?\\b|${ASKS_FOR_CONTACT.source}|${PERSON_ASKED.source}`, 'i'),
      // Not a subject ("a new maths app, who has to OK it?"): the policy may be the one to say who.
      except: [...new Set(ROLE_WORDS.map(([, v]) => v))].filter((v) => !(v in ROLE_TITLES)),
      // "Who in 3C…", "who of Amelia's class…": pupils, not the school's people.
      unless: ['class', 'pupil'],
      // "My laptop won't turn on", "I forgot my password": told, not asked, it is still IT's.
      told: { need: IT_TOLD, harm: HARM, names: { type: 'role', value: 'it' } },
    },
    needs: {
      // "How long do we keep safeguarding files?" asks for a length of time, not for who keeps them.
      // To contact someone is also to reach them, get hold of them or get in touch (WordNet's words).
      words: new RegExp(
        `^(?:(?=[\\s\\S]*\\bwho)|(?![\\s\\S]*${HOW_MUCH_ASKED.source}))[\\s\\S]*(?:\\b(?:who|whom|who's|contact|reach|get through to|get hold of|get in touch|email (?:address|for|of)|['’]s email|in charge|responsible|looks? after|deals? with|handles?|keeps?|name|speak to|go to)\\b|${PERSON_ASKED.source}|${ASKS_FOR_CONTACT.source})`,
        'i',
      ),
    },
    examples: [
      'who is our data protection officer',
      'who is the DPO',
      'who is the headteacher',
      'who is the school business manager',
      'who is the safeguarding lead',
      'who looks after IT',
      'who is the technician',
      'who do I speak to about IT problems',
      'who do I tell about a data breach',
      'who handles breaches',
      'who should I report a breach to',
      'who do I contact about data protection',
      'who approves software',
      'who decides on new apps',
      'who checks personal device requests',
      'who looks after the photo consent forms',
      'who has the consent register',
      'who is in charge of e-safety',
      'who can answer a question about the policy',
      'who do I go to about this',
      'how do I contact the DPO',
      'what is the email for the data protection officer',
      'who is responsible for information security',
      'who manages the school office',
      'who gives permission for USB sticks',
      'who is the person for data protection here',
      'name the person who approves requests',
    ],
  },
];

/** Asking whom to go to about something ("who do I call?", "who to ring", "who fixes…"), not who may do something. */
const WHO_TO_GO_TO =
  /\bwho (?:(?:do|should|can|would|will|must) (?:i|we) (?:(?:need|have|want|ought) to )?|to )(?:call|ring|phone|tell|ask|contact|speak to|talk to|go to|email)\b|\bwho (?:am i|are we) (?:meant|supposed) to (?:call|ring|phone|tell|ask|contact|speak to|talk to|go to|email)\b|\bwho (?:fixes|mends|repairs|sorts|looks at|deals with)\b/i;

export function spotRole(text: string): EntityHit | undefined {
  for (const [re, role] of ROLE_WORDS) {
    const m = re.exec(text);
    if (m) return { type: 'role', value: role, text: m[0], start: m.index, end: m.index + m[0].length };
  }
  // Equipment named in a question of whom to go to, with nothing told of data at risk and no "if"
  // (the breach is asked about then: "who do I tell if I leave my laptop on the train?"): IT's to
  // look at, whatever the fault is called ("the photocopier keeps jamming, who do I call?"). A
  // device is what WordNet's common senses say is one, or a name newer than WordNet ("iPad").
  if (WHO_TO_GO_TO.test(text) && !HARM.test(text) && !/\b(?:if|when|in case)\b/i.test(text)) {
    const device = nounsOf(text).find(namesDevice);
    const m = device && new RegExp(`\\b${device.replace(/[^a-z]/gi, '.')}\\b`, 'i').exec(text);
    if (m) return { type: 'role', value: 'it', text: m[0], start: m.index, end: m.index + m[0].length, inferred: true };
  }
  return undefined;
}

/** Whether a text names a role (or the kind of request or report) by one of its usual names. */
export function namesRole(text: string, role: string): boolean {
  return ROLE_WORDS.some(([re, r, names]) => r === role && names !== false && re.test(text));
}

/** Whether the words that named the office were about its photo-consent register. */
export function namesConsentList(text: string): boolean {
  return CONSENT_WORDS.test(text);
}
