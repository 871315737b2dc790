import type { UseKey } from './register';
import type { EntityHit, IntentDef } from '../types';
import { tagOf } from '../../language/parts-of-speech';
import { SOCIAL_PLATFORMS } from '../../language/words';

/** Asking whether a pupil, or a class, may appear in a photo or a video for some use. */
export const CONSENT_INTENTS: IntentDef[] = [
  {
    id: 'consent.check',
    title: 'Check photo consent',
    // A question that names no pupil or class ("where do I find out which children can be
    // photographed?") asks how consent works here: the policy answers first, with the check beside it.
    policyFirst: { unless: ['pupil', 'class'] },
    // A class or year alone names no image ("a year 11 leaver added me on Instagram"): with it, a
    // use or a word for an image.
    needs: {
      entities: ['pupil', 'use'],
      words: /\b(?:photo|picture|pic|image|video|film|filmed|filming|camera|consent|photograph|selfie)s?\b/i,
      // Consent is asked before a picture is used. "A child got onto a dodgy website" and "the
      // website crashed and showed other children's names" name a use after the fact.
      beforehand: ['use'],
      // A pupil named in a message that only tells what happened, asking nothing and naming no
      // picture ("I think I've put Amy's reading record in the wrong child's bag"), is whom it
      // happened to, not a check of their consent.
      unlessOnlyTold: ['pupil'],
    },
    examples: [
      'can I take a photo of {pupil}',
      'can I photograph {pupil} for the newsletter',
      'does {pupil} have photo consent',
      'is {pupil} allowed in photos',
      'am I allowed to film {pupil}',
      'can {pupil} be in the school play video',
      'can {pupil} go on the website',
      'can I put a picture of {pupil} on the wall',
      'is it ok to use {pupil} in the prospectus',
      'has {pupil} got consent for social media',
      'has the parent of {pupil} said yes to photos',
      'can I share a picture of {pupil} with the paper',
      'check photo consent for {pupil}',
      'photo consent {pupil}',
      'consent for {pupil} please',
      'image consent for {pupil}',
      'can we use pictures of {pupil} on our facebook page',
      'can {pupil} be on the poster outside',
      'which children in {class} have no photo consent',
      'who in {class} is not allowed in photos',
      'can I take a class photo of {class}',
      'can I film {class} for the learning platform',
      'is everyone in {class} ok for the website',
      'which pupils in {class} must not be filmed',
      'list the children in {class} without consent',
      'can I post a photo of {class} on social media',
      'who can I not take pictures of',
      'which pupils can I not photograph',
      'I need to check photo permissions',
      'check image consent',
      'are there any children I cannot take photos of',
      'is this child allowed to be photographed',
      'can a pupil appear in the local news',
      'photo permission for a child',
      'can I put pupils photos on the website',
    ],
  },
];

/** The uses a register records, from the words people use for them, where an image is shown first (see `spotUses`). */
const USE_WORDS: Array<[RegExp, UseKey]> = [
  [new RegExp(String.raw`\bsocial media\b|${SOCIAL_PLATFORMS.source}|\bx account\b`, 'gi'), 'socialMedia'],
  [/\blearning platform\b|\bonline learning\b|\bvle\b/gi, 'learningPlatform'],
  [/\bweb ?site\b|\bweb ?page\b|\bonline\b/gi, 'website'],
  [/\bprospectus\b|\bnewsletter\b|\bbrochure\b|\bprinted\b|\bleaflet\b|\bmagazine\b|\byearbook\b/gi, 'prospectus'],
  [/\boutside display\b|\boutside the school\b|\boutdoor\b|\bfront window\b|\bfence\b|\boutside\b/gi, 'displayOutside'],
  [/\bdisplay\b|\bwall\b|\bcorridor\b|\bnotice ?board\b|\bclassroom board\b|\bhall\b/gi, 'displayInside'],
  [
    /\bpress\b|\bnewspapers?\b|\b(?:local|the) paper\b|\bnews\b|\bmedia\b|\btv\b|\btelevision\b|\bradio\b|\bjournalist/gi,
    'press',
  ],
  [/\bvideos?\b|\bfilm(?:ed|ing)?\b|\bwebcam\b|\brecord(?:ing)?\b|\blive ?stream/gi, 'video'],
];

/** Just before "news" that is told or asked for, not the press: "any news", "no news", "good news". */
const NEWS_TOLD = /\b(?:any|no|some|good|bad|great|more|latest|what)\s+$/i;

/** Where the person typing is, just before a place: "…added me on", "…message us via". */
const ONESELF_THERE = /\b(?:me|us|myself|ourselves)\s+(?:on|onto|via|through|over|from)\s+(?:the\s+)?$/i;

/**
 * The uses a message names, as entities: "a class video for the website" names two, and each needs
 * its own consent. The first is where the image is shown (the website), a `use`; any other, what it
 * is or where else it goes (a video), an `otherUse`. A word within one already read is not read
 * again ("social media" is no press), and a display outside is not one inside as well. ("Recorded"
 * names no video: "does Harry have consent recorded?" asks which use.) `names`: where the pupils
 * the message names are.
 */
export function spotUses(text: string, names: ReadonlyArray<{ start: number; end: number }> = []): EntityHit[] {
  const out: EntityHit[] = [];
  for (const [re, use] of USE_WORDS) {
    for (const m of text.matchAll(re)) {
      const [start, end] = [m.index, m.index + m[0].length];
      if (out.some((e) => e.start < end && start < e.end)) continue;
      // A word of a pupil's name is no use: "Reuben Baptiste-Hall" is not in the hall.
      if (names.some((n) => n.start < end && start < n.end)) continue;
      // Where the person typing is ("a leaver added me on Instagram", "parents message us on
      // Facebook") is no place an image is shown.
      if (ONESELF_THERE.test(text.slice(0, start))) continue;
      // The press is a noun: to press a button ("should I press approve?") names no newspaper.
      if (use === 'press' && /^press$/i.test(m[0]) && tagOf(text, m[0].toLowerCase()) === 'VERB') continue;
      // Nor is news asked for ("any news on my request?", "no news yet", "good news"): the news is
      // the press only as a thing an image could be in ("the local news", "on the news").
      if (use === 'press' && /^news$/i.test(m[0]) && NEWS_TOLD.test(text.slice(0, start))) continue;
      // And a record is a file, but to record is to film: "a student's attendance record" names no video.
      if (use === 'video' && /^record$/i.test(m[0]) && tagOf(text, m[0].toLowerCase()) !== 'VERB') continue;
      if (!out.some((e) => e.value === use)) out.push({ type: 'use', value: use, text: m[0], start, end });
    }
  }
  const outside = out.some((e) => e.value === 'displayOutside');
  return out
    .filter((e) => !(outside && e.value === 'displayInside'))
    .map((e, i) => (i ? { ...e, type: 'otherUse' } : e));
}

/** "class 4A", "Year 4", "4B", "9KB", "4 Oak", "P6/7": a class or year group, as typed. */
export function spotClass(text: string, known: (name: string) => boolean): EntityHit | undefined {
  // A bare "4B" is a class only when the register has one; "class 4B" and "Year 4" say so themselves.
  const patterns: Array<[RegExp, (m: RegExpExecArray) => string, 'said' | 'if-known']> = [
    // "Year 6", "Yr 6", "Y6": a year group, however it is shortened.
    [/\b(?:year\s*|yr\.?\s*|y)(\d{1,2})\b/i, (m) => `Year ${m[1]}`, 'said'],
    [/\b(?:class|form)\s+(\d{1,2}\s?[a-z]{1,3})\b/i, (m) => m[1]!.replace(/\s/g, '').toUpperCase(), 'said'],
    // A secondary school's form, by its tutor's initials too ("9KB", "10RS").
    [/\b(\d{1,2}[A-Za-z]{1,3})\b/, (m) => m[1]!.toUpperCase(), 'if-known'],
    // A stage as Scotland's and Northern Ireland's primaries write it, and a class of two ("P6",
    // "P6/7", "S2"): a class when the register has one so.
    [/\b([a-z]{1,2}\d{1,2}(?:\s*\/\s*\d{1,2})?)(?![\w/])/i, (m) => m[1]!.replace(/\s/g, '').toUpperCase(), 'if-known'],
  ];
  // A year named with one of its classes ("the yr 11 prom slideshow, any of 11H I can't use?") asks
  // of the class: the year is where it sits, and the class is the narrower.
  let year: EntityHit | undefined;
  for (const [re, value, when] of patterns) {
    const m = re.exec(text);
    if (!m) continue;
    const v = value(m);
    if (when === 'if-known' && !known(v)) continue;
    const hit: EntityHit = {
      type: 'class',
      value: v,
      text: m[0],
      start: m.index,
      end: m.index + m[0].length,
      slot: true,
    };
    if (year || !v.startsWith('Year ')) return hit;
    year = hit;
  }
  // A class the school names ("4 Oak", "Owls"), written as the register writes it: a capitalised
  // word, after its year's number or alone, that the register has as a class.
  for (const m of text.matchAll(/\b(?:\d{1,2}\s+)?[A-Z][a-z]+\b/g)) {
    if (known(m[0]))
      return { type: 'class', value: m[0], text: m[0], start: m.index, end: m.index + m[0].length, slot: true };
  }
  return year;
}
