import { nounsOf } from '../../language/parts-of-speech';
import { isDevice } from '../../language/senses';
import type { EntityHit, IntentDef } from '../types';

/**
 * Asking whether, or how, one may use, set up or get something, or wanting to use it: "can I
 * use…", "am I allowed to have…", "wondered if I can use…", "would like to use it for teaching",
 * "…- how?".
 */
const USE_ASKED =
  /\b(?:can|could|may)\s+I\s+(?:\w+\s+)?(?:use|get|put|set\s+up|have|access|read|check|connect|bring|log\s*in|sign\s*in|install|add|do)\b|\b(?:am\s+I|are\s+we)\s+(?:allowed|able)\s+to\b|\bis\s+it\s+(?:ok|okay|alright|all\s+right|allowed|fine)\s+(?:to|if)\b|\bhow\s+(?:do|can|should)\s+I\s+(?:use|get|put|set\s+up|access|connect|register)\b|\b(?:if|whether)\s+I\s+(?:can|could|may)\s+(?:\w+\s+)?(?:use|get|put|set\s+up|have|access|read|check|connect|bring|install)\b|\b(?:like|want|wanting|hoping|planning)\s+to\s+(?:start\s+)?(?:use|using)\b|\bhow\s*\?\s*$/i;

/** Something that has happened to a device or to data: it was lost, stolen, hacked or leaked ("will I lose my photos?" only asks). */
const HARMED = /\b(?:lost|stolen|stole|nicked|hacked|missing|broken into|got a virus|phished|leaked)\b/i;

/** Using one's own phone, tablet or laptop for school work. */
export const DEVICE_INTENTS: IntentDef[] = [
  {
    id: 'device.request',
    title: 'Use your own device',
    policyFirst: { topic: 'using a personal device (your own phone, tablet or laptop) for school work' },
    // One's own device: "my own car for the trip" or "my own kettle" is no device, and "my work
    // phone" is the school's (see spotDevices).
    // Nor a device something has happened to ("I lost my own phone with school email on it"):
    // that is a report to make, not a permission to ask.
    needs: { entities: ['device'], words: /\bbyod\b|\bdevice requests?\b/i, not: HARMED },
    // A device of one's own, asked whether or how it may be used for work ("can I set up school
    // email on my home computer", "Work email on personal iPhone - how?"): this request, however
    // near the words are to the policy's. Not where a pupil, a class or a use of an image is named
    // ("can I take photos of 3A on my own phone?" asks about consent first), nor an app ("how do
    // I get Zoom on my laptop?" asks for the app: the readings of both decide).
    claims: {
      entities: ['device'],
      asks: USE_ASKED,
      unless: ['pupil', 'class', 'use', 'app'],
    },
    examples: [
      'can I use my own laptop for school work',
      'can I get my school email on my own phone',
      'I want to read work emails on my mobile',
      'can I put Outlook on my personal phone',
      'I would like to use my personal iPad at school',
      'can I bring my own laptop in',
      'how do I register my phone for school email',
      'can I access the school system from my home computer',
      'can I use my own tablet for taking the register',
      'I want to connect my own device',
      'can I log in to the school network on my personal laptop',
      'how do I get permission to use my own device',
      'can I check Teams on my phone',
      'my own computer for planning, is that allowed',
      'I need to set up my personal mobile for work',
      'bring your own device request',
      'personal device request',
      'can I use my phone for school work',
      'I want my work calendar on my own phone',
      'can I use my home PC to mark work',
      'can I get work email on my personal mobile',
      'is it ok to have school email on my own phone',
      'how do I get my own laptop approved',
      'I want my personal device approved for work',
      'what do I need to do to use my own phone for school',
    ],
  },
];

/** Names of devices newer than WordNet (2006), by kind, make or system ("iPad", "Samsung", "Android", "Surface"), or that WordNet knows first as something else ("tablet", "mobile"). */
const NEWER =
  /^(?:mobiles?|tablets?|ipads?|iphones?|smartphones?|macs?|macbooks?|chromebooks?|pcs?|androids?|samsungs?|galax(?:y|ies)|kindles?|surfaces?|pixels?)$/i;

/** Whether a word names a device: by WordNet's common senses, or a name newer than WordNet ("iPad", "Chromebook"). */
export function namesDevice(word: string): boolean {
  return isDevice(word) || NEWER.test(word);
}

/**
 * What says a thing is the person's own, just before its name: "my phone", "my new iPad", "my own
 * laptop", "my home PC", "got myself a new iPad" (not "my work phone", "my school iPad": those are
 * the school's).
 */
const OWNED =
  /\b(?:my|your)\s+(?:(?!(?:work|school|college|class|classroom|office|department|staff)\b)[a-z]+\s+)?$|\b(?:own|personal|private|home)\s+(?:[a-z]+\s+)?$|\b(?:bought|got|getting|buying|treated)\s+(?:myself|me)\s+(?:to\s+)?(?:a|an)\s+(?:[a-z]+\s+)?$/i;
/** Or just after it: "an iPad for myself", "a laptop of my own", "a tablet I bought". */
const OWNED_AFTER =
  /^\s+(?:for\s+myself|of\s+my\s+own|(?:that\s+)?I\s+(?:(?:have\s+)?(?:just\s+)?(?:bought|own|got)))\b/i;

/**
 * The person's own devices a message names: a noun whose common senses are a device or equipment
 * in WordNet ("laptop", "phone", "camera"), or a newer name, said to be theirs.
 */
export function spotDevices(text: string): EntityHit[] {
  const devices = new Set(nounsOf(text).filter(isDevice));
  const out: EntityHit[] = [];
  // One pass over the words, in order; a newer name is found whatever its tag ("on my mobile"
  // ends on an adjective). Each device once, where it is first said to be theirs.
  for (const m of text.matchAll(/[a-z]+/gi)) {
    const value = m[0].toLowerCase();
    if (!(devices.has(value) || NEWER.test(value)) || out.some((d) => d.value === value)) continue;
    if (OWNED.test(text.slice(0, m.index)) || OWNED_AFTER.test(text.slice(m.index + m[0].length)))
      out.push({ type: 'device', value, text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}
