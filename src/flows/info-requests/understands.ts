import type { IntentDef } from '../types';

/**
 * What a request for information asks of the school: records, copies, what the school holds,
 * figures. A message must name one of these, or the request by its name, to be read as one: "a
 * parent wants to meet me about her son" asks for no information.
 */
const ASKS_FOR_INFORMATION =
  /\b(?:cop(?:y|ies)|everything|records?|files?|notes|data|information|info|figures|statistics|stats|details|emails|documents|reports?|subject access|sars?|freedom of information|foi)\b|\bhow (?:much|many)\b/i;

/**
 * Someone outside the staff asking, by any name: the requests are told of ("a parent wants…",
 * "I've had an FOI"), not made by the person typing ("can I see my own file?" is theirs to make,
 * and named by "my").
 */
const WHO_ASKS =
  /\b(?:parents?|mum|mother|dad|father|carers?|guardians?|families|family|grandparents?|solicitors?|lawyers?|journalists?|reporters?|newspapers?|paper|press|council(?:lor)?s?|member of the public|public|police|social (?:services|workers?)|insurers?|someone|somebody|a man|a woman|a lady|ex-?pupils?|former (?:pupil|student|member of staff|colleague|employee)s?|ex-?(?:employee|colleague|member of staff)s?|(?:he|she|they)\b)[^.?!]*\b(?:wants?|wanted|ask|asked|asking|asks|requested|requesting|requests|emailed|wrote|written|rang|phoned|called|demanding|demands)\b|\bsubject access\b|\bsars?\b|\bfreedom of information\b|\bfoi\b/i;

/**
 * Someone has asked the school for information: a subject access request (a person's own data, or
 * their child's: one calendar month to answer) or a freedom-of-information request (anything the
 * school holds: 20 school days). Whoever receives one passes it on the same day, since the clock
 * runs from the day it arrived, wherever it arrived.
 */
export const INFO_REQUEST_INTENTS: IntentDef[] = [
  {
    id: 'info-requests.received',
    title: 'Pass on a request for information',
    // No policy first: the law sets the time allowed and the school's configuration whom to pass it
    // to, and a policy silent on such requests would be searched for "personal data" instead.
    // What happened is that someone asked: a message telling of it ("a parent emailed asking for a
    // copy of her son's file") is this request told of, not a question for the policy.
    needs: {
      words: new RegExp(`(?=[\\s\\S]*(?:${ASKS_FOR_INFORMATION.source}))(?=[\\s\\S]*(?:${WHO_ASKS.source}))`, 'i'),
      event: WHO_ASKS,
    },
    // Their own words: what is asked for and the request's names, not who asks. "A parent" and
    // "an email" are in many breach reports too; the needs above say a request is told of.
    examples: [
      'wants a copy of all the information we hold on their child',
      'asked to see everything the school keeps about their son',
      'asking for copies of their daughter’s school records',
      'wants a copy of every document that mentions them',
      'we have had a subject access request',
      'I have received a subject access request',
      'what do I do with a subject access request',
      'what happens with a SAR',
      'asking for the notes we keep on their child',
      'a solicitor has written asking for a pupil’s school records',
      'wants a copy of their school file from years ago',
      'demanding to see the records we hold on their grandson',
      'a journalist has asked how much we spent on laptops last year',
      'a freedom of information request has come in',
      'there is an FOI request about our exclusion figures',
      'a member of the public wants to know how many staff we employ',
      'the local newspaper wants our attendance figures',
      'asked what data the school holds about them',
      'a letter asking for all the information the school holds about a pupil',
    ],
  },
];

/**
 * The person typing asking for their own data: "what do you hold on me", "a copy of my personal
 * data". A message must say it is theirs ("me", "my") and name what it asks for, or ask what is
 * held on them ("what have you got on me?"); "me" asked by
 * someone else ("a grandparent has asked me for copies of…") is a request received, not made.
 */
const OWN =
  /\b(?<!\b(?:ask|asks|asked|asking|emailed|rang|phoned|called|texted|messaged|told|sent|wrote to)\s+)(?:me|my|myself)\b[^.?!]*\b(?:cop(?:y|ies)|everything|records?|files?|data|information|info|details|emails|documents|subject access)\b|\b(?:cop(?:y|ies)|everything|records?|files?|data|information|info|details|emails|documents)\b[^.?!]*\b(?:on|about|of|mention(?:s|ing)?)\s+(?:me|myself)\b|\bwhat\s+(?:do|does|have|has)\s+(?:you|the school|school|they|we)\s+(?:got|(?:hold|keep|have|store|know)(?:s|ing)?)\s+(?:on|about)\s+me\b/i;

/**
 * A member of staff asking for what the school holds about them: a subject access request of their
 * own, which is their right. They are told how to make it and to whom, not to pass it on.
 */
export const OWN_DATA_INTENT: IntentDef = {
  id: 'info-requests.own',
  title: 'Ask for the data the school holds about you',
  needs: { words: OWN },
  examples: [
    'what data do you hold about me',
    'what information does the school keep on me',
    'I would like a copy of my personal data',
    'I want to see everything the school has on me',
    'a subject access request for my own data',
  ],
};

/**
 * Which kind of request a message tells of: a freedom-of-information one when it says so, or asks
 * of the school at large (by the press, a member of the public, or for figures: counts say nothing
 * of one person).
 */
export function kindOf(text: string): 'sar' | 'foi' {
  return /\bfreedom of information\b|\bfoi\b|\bjournalists?\b|\breporters?\b|\b(?:news)?papers?\b|\bpress\b|\bmember of the public\b|\bhow (?:much|many)\b|\bfigures\b|\bstatistics\b|\bstats\b/i.test(
    text,
  ) && !/\bsubject access\b|\bsars?\b/i.test(text)
    ? 'foi'
    : 'sar';
}
