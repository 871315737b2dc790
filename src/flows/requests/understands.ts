import type { IntentDef } from '../types';

/** "My request", "my Canva request", "my laptop application": a request of the person's own, named. */
const MY_REQUEST = /\bmy\s+(?:[\w-]+\s+){0,2}(?:request|application)s?\b/i;

/**
 * The person's own asking, told as done: "I asked to take…", "I asked IT for…", "I asked a couple
 * of weeks ago if I could…", "I put in a request for…", "I put in for…", "I applied for…", "my Canva
 * request".
 */
const ASKED_BEFORE = new RegExp(
  String.raw`\b(?:I|we)(?:['’]ve|\s+have|\s+had)?\s+(?:already\s+|just\s+)?(?:asked\s+(?:[\w-]+\s+){0,5}?(?:to|if|whether|for|about)|applied|requested|submitted|put\s+in\s+for|put\s+(?:in\s+)?(?:a|an|my)\s+(?:request|application)|sent\s+(?:in\s+)?(?:a|an|my)\s+(?:request|application))\b|${MY_REQUEST.source}`,
  'i',
);
/**
 * Whether it has moved on: "heard nothing back", "haven't heard anything", "any update", "any
 * movement", "has it been looked at", "is it still waiting", "what happens next", "approved yet",
 * "where's it got to".
 */
const PROGRESS =
  /\b(?:heard|hear)\s+(?:nothing|anything|back)\b|\bno\s+(?:word|reply|answer|response|news)\b|\b(?:any|an)\s+(?:update|news|word|movement|progress)\b|\bwhere(?:'s|’s|\s+is|\s+has)\s+(?:it|that|this)\s+got\s+to\b|\bstill\s+(?:waiting|pending)\b|\blooked\s+at\b|\bwhat\s+happens\s+next\b|\b(?:approved|through|done|sorted|decided)\s+yet\b/i;

/** A person's own requests, and what waits for their decision. */
export const REQUESTS_INTENTS: IntentDef[] = [
  {
    id: 'requests.mine',
    title: 'See your requests',
    // A request of one's own, told as made, and asked after: that request, whatever it was for.
    every: [ASKED_BEFORE, PROGRESS],
    // "Was my device request approved?": a request of one's own, asked about, is that request,
    // however near the words are to making a new one.
    claims: { entities: ['role', 'device', 'app'], asks: MY_REQUEST },
    // What the person asked for, not what was asked of them: "the network manager asked for my
    // password" is no request of theirs, though it shares every word with "what have I asked for".
    needs: {
      words:
        /\b(?:requests?|requested|application|approv\w*|sign(?:ed)? off|signed|withdraw|cancel|status|decid\w*|decision|permission|news|update|said yes)\b|\b(?:I|we)(?:'ve|\s+(?:have|had|just|already|did))*\s+ask(?:ed)?\b|\b(?:have|did|had)\s+(?:I|we)\s+(?:\w+\s+)?ask(?:ed)?\b/i,
    },
    examples: [
      'my requests',
      'what have I asked for',
      'where is my request',
      'has my request been approved',
      'is my software request done yet',
      'what is happening with my request',
      'any news on my application',
      'has anyone approved my laptop request',
      'did IT say yes to my app',
      'has the head signed off my request',
      'check the status of my request',
      'I want to withdraw my request',
      'cancel my request',
      'show my open requests',
      'show me what I requested',
      'list the things I have asked for',
      'what requests have I made',
      'what did I ask for last week',
      'how long will my request take',
      'is my permission through yet',
      'what did they decide about my request',
    ],
  },
  {
    id: 'requests.waiting',
    title: 'See what waits for you',
    needs: { words: /\b(?:approv\w*|sign off|decid\w*|decision|pending|waiting)\b/i },
    examples: [
      'what is waiting for me to approve',
      'requests waiting for my decision',
      'what do I need to approve',
      'anything for me to sign off',
      'show me requests I need to decide',
      'my approvals',
      'pending approvals',
      'what is waiting for me',
      'anything waiting on me',
      'do I have anything to decide',
    ],
  },
];
