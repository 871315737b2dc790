import { dateTimeModel } from '../../language/dates';
import type { IntentDef } from '../types';

/**
 * What schools' policies call the event this flow reports: a "personal data breach" in one, a
 * "security incident" or a "data incident" in another, and some never use the word "breach" at all.
 * The policy search reads a question's word as the policy's (see PolicyIndex): staff say "breach"
 * whatever their policy says.
 */
export const BREACH_NAMES = ['breach', 'incident'] as const;

/**
 * What a policy tells staff to do with such an event, in the verbs policies use for it: "report it
 * to the DPO", "tell Mr Ashcroft within the hour", "inform the Headteacher", "notify IT". WordNet
 * makes them kin under "inform" but no synonyms, and the word vectors put "report" and "tell" at
 * 0.45: a question's "how quickly do I have to report a breach?" is answered by "Tell the Business
 * Manager within an hour" only when the search reads one verb as the other (see PolicyIndex). The
 * first is what staff say; it stands for the others, not they for it ("can I tell them?" is no report).
 */
export const BREACH_REPORTING = ['report', 'tell', 'inform', 'notify'] as const;

/**
 * Something that has happened to personal data, told in a person's own words. Questions about
 * what the policy says ("can I take my laptop home?") are the policy flow's; these are events.
 */
export const BREACH_INTENTS: IntentDef[] = [
  {
    id: 'breach.report',
    title: 'Report a data breach',
    // "Reports", plural, are what teachers write ("put some reports on a memory stick"), not a
    // report of anything; so is "a report" or "an SEN report", a thing named: reporting is done.
    needs: {
      event:
        /\b(?:(?<!\b(?:a|an|the|my|your|his|her|their|our|this|that|each|every|any)\s+(?:[a-z']+\s+)?)report(?:ing|ed)?|breach\w*|incidents?|leak\w*|missing|hack\w*|virus|scam)\b/i,
    },
    policyFirst: {
      topic: 'reporting a personal data breach',
      note: 'If this has happened, report it now: the school has 72 hours from finding out to decide whether to tell the ICO.',
    },
    examples: [
      'I think I have caused a data breach',
      'I need to report a breach',
      'how do I report a data breach',
      'there has been a data leak',
      'I emailed a class list to the wrong person',
      'I sent a letter about a child to the wrong address',
      'I copied in all the parents instead of using bcc',
      'I replied all with a pupil report attached',
      "I attached the wrong child's report to an email",
      'an email with staff salaries went to everyone by accident',
      'I posted the wrong letter home in a book bag',
      'I have lost my work laptop',
      'my school phone is missing',
      'my bag with the marking and pupil files was stolen',
      'our classroom was broken into and the laptop has gone',
      'I lost a usb stick with reports on it',
      'I dropped my lanyard and ID somewhere',
      'I left the register on the train',
      'I left pupil records in a cafe',
      'the car was broken into and the exam papers were taken',
      'someone took the tablet from my desk',
      'my laptop was stolen from my house',
      'I clicked a link in a dodgy email and typed my password',
      'I opened an attachment and now the computer is acting strange',
      'my account has been hacked',
      'someone else has been logging in as me',
      'a virus has encrypted all the files on the shared drive',
      'we got a scam email and I gave my login details',
      'a pupil saw the SEN register on my screen',
      "a parent saw another child's medical notes on my desk",
      'the safeguarding file was left open on the photocopier',
      'confidential papers were put in the normal recycling bin',
      'the filing cabinet with pupil files was left unlocked all weekend',
      'I shared a spreadsheet with pupil details with the whole school by mistake',
      'a document with pupil addresses was posted on the class page',
      "a child's photo went on social media without consent",
      "I overheard a colleague talking about a pupil's family in the shop",
      "a visitor walked off with a list of pupils' names",
      'personal data has been shared with the wrong parent',
      'we might have had a cyber attack',
      'my login details have been leaked',
      'I accidentally deleted pupil records',
      "a parent got someone else's child's report by mistake",
      'the wrong family was sent the invoice',
      'a box of old records was found in the skip',
      'I put the wrong name on the letter and it went out',
      'there is a suspected breach in the office',
      'I want to report an incident',
      'somebody has pinched my phone',
      'my bag got swiped on the way home with the marking in it',
      'we have been burgled and the office computer is gone',
      'someone walked off with my school tablet',
      'my car was robbed and my work laptop was in it',
      'my school phone has been snatched',
      'my ipad has disappeared from my classroom',
      'I think someone has taken my memory stick',
      'I misplaced the visitors book',
      'the reports went to the wrong email address',
      'a letter about a pupil was sent to the wrong house',
      // Told from the side of the one who received it.
      'a carer has had an email that was meant for someone else',
      'a dad says he was given the report of a different child',
      'one of the mums received a text intended for another parent',
      'I texted the wrong parent about a child',
      'I need to tell someone about a data protection problem',
      'report a security incident',
      'I cannot find my school laptop anywhere',
      'the folder of reports has gone missing',
      'I have misplaced the memory stick with the marking on',
      'someone used my login without asking',
      'a colleague logged on as me and looked at files',
      'I gave my password to someone on the phone who said they were IT',
      'I sent the {class} test scores to the wrong parent',
      'I emailed the {class} class list to the wrong family',
      'I printed the health care plans and left them on the printer',
      // Someone else's loss, found: still a breach, and the finder is often the first to know.
      'I found a memory stick with pupil names on it in the playground',
      'found some pupil reports lying in the corridor',
      'someone handed in a school laptop they found at the bus stop',
    ],
  },
];

const TIME_WORDS =
  /\b(?:yesterday|today|tonight|this morning|this afternoon|this evening|last night|last \w+|ago|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday|earlier|o'clock|noon|midday|at \d{1,2}(?::\d{2})?|\d{1,2}(?::\d{2})?\s?[ap]m|\d{1,2}(?:st|nd|rd|th)|\d{1,2}\/\d{1,2}(?:\/\d{2,4})?)\b/i;

/** A date's calendar day as the recogniser writes it (its own clock's, as `now` is read). */
const localDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The last moment, at or before now, with a clock time ("14:00:00"), as the recogniser writes a date and time. */
function lastAt(time: string, now: Date): string {
  const at = new Date(`${localDate(now)}T${time}`);
  if (at.getTime() > now.getTime() + 60_000) at.setDate(at.getDate() - 1);
  return `${localDate(at)} ${time}`;
}

/**
 * Breaches already reported, asked about as records: how many, which are open, who reported one.
 * The words must speak of breaches in the plural, or of open, reported or counted ones, and the
 * message ask: "I think I've caused a breach" tells of one.
 */
export const BREACH_LOG_INTENT: IntentDef = {
  id: 'breach-log.list',
  title: 'See the breach log',
  needs: {
    words:
      /^(?=.*(?:\?\s*$|^\s*(?:are|is|has|have|how|which|what|any|list|show)\b))(?=.*\b(?:breaches|open breach|breach(?:es)? (?:so far|this (?:term|week|month|year))|how many (?:data )?breach|(?:any|a) (?:data )?breach(?:es)? (?:open|reported|logged|still)|any (?:new |more )?(?:data )?breach (?:reports|reported))\b)/i,
  },
  examples: [
    'are there any open breaches',
    'how many breaches have we had this term',
    'which breaches are still open',
    'list the breaches reported so far',
    'has anyone logged a breach this week',
    'what breaches are waiting to be closed',
  ],
};

/**
 * Phrasings of a time for `warm`: the recogniser compiles its patterns for each kind of phrase at
 * its first use (50–180 ms), then reads one in 4–7 ms.
 */
export const WARM_TIMES = [
  'this morning',
  'yesterday at 3pm',
  'last night',
  'on Monday',
  '2 days ago',
  'at 10:30 today',
  'on the 3rd',
  'last week',
];

/** When the person said it happened ("yesterday at 3", "on Monday"), in the school's calendar terms. */
export function whenSaid(text: string, now: Date): { date?: string; time?: string } {
  // The recogniser takes tens of milliseconds on a long sentence: only ask it when a time may be there.
  const m = TIME_WORDS.exec(text);
  if (!m) return {};
  // Only the words around it: the recogniser's time grows with the length of what it reads.
  const before = text.slice(0, m.index).split(/\s+/).slice(-3).join(' ');
  const after = text.slice(m.index).split(/\s+/).slice(0, 6).join(' ');
  const today = localDate(now);
  for (const r of dateTimeModel().parse(`${before} ${after}`.trim(), now)) {
    const values = (r.resolution?.values ?? []) as Array<{ type: string; value?: string; start?: string }>;
    // A weekday alone resolves both ways: a breach is in the past, so take the latest value not after
    // now. A part of today still to come ("this morning", said at half past seven, starts at eight)
    // is today, at no time given. A time alone ("at 2pm") is the last one passed: today's, or
    // yesterday's when it is not yet that time.
    const past = values
      .map((v) => v.value ?? v.start)
      .map((v) => (v && /^\d{2}:\d{2}/.test(v) ? lastAt(v, now) : v))
      .filter((v): v is string => Boolean(v) && !/X/.test(v!))
      .filter((v) => v.slice(0, 10) <= today);
    const v = past[past.length - 1];
    if (!v) continue;
    const [date, time] = v.split(' ');
    const hasTime =
      values.some((x) => x.type === 'datetime' || x.type === 'time') &&
      new Date(v.replace(' ', 'T')).getTime() <= now.getTime() + 60_000;
    return {
      date: /^\d{4}-\d{2}-\d{2}$/.test(date ?? '') ? date : undefined,
      time: hasTime ? time?.slice(0, 5) : undefined,
    };
  }
  return {};
}
