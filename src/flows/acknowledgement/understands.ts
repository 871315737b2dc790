import type { SchoolConfig } from '../../config';
import { escapeRegExp, STOP } from '../../language/words';
import type { IntentDef } from '../types';

/** "The policy", not "the policy on photos" (which asks what it says on them). */
const POLICY_ITSELF = String.raw`\bpolic(?:y|ies)\b(?!\s+(?:on|about|for|regarding)\s+(?!(?:it|this|that|the year|my)\b)\w)`;

/** The yearly "I have read the policy" confirmation: a person's own, and the school's report. */
export const ACK_INTENTS: IntentDef[] = [
  {
    id: 'acknowledgement.mine',
    title: 'Confirm you have read the policy',
    // "How often do we have to confirm it?" asks about the rule, which the policy gives, and so does
    // whom the policy is for ("do governors have to follow this policy?", "does it apply to supply
    // staff?", "do volunteers need to read it?", asked of others than the person typing): the
    // policy answers first, with the person's own confirmation beside it.
    // So does when it must be done by ("what's the deadline for confirming…", "when do I have to
    // finish the training?"), by anyone ("when do supply teachers need to confirm?").
    policyFirst: {
      when: /\bhow (?:often|long)\b|\bwhy\b|\bwhat happens\b|\bdeadlines?\b|\bby when\b|\bwhen (?:do|must|should|does|have) (?:i|we|you|staff|everyone)\b|\bwhen (?:do|does|must|should) (?:the\s+|our\s+|new\s+)?[a-z]+(?:\s+[a-z]+)?\s+(?:have|has|need|needs)\s+to\b|\b(?:follow|apply|applies|cover|covers)\b|^\s*(?:do|does|must|should)\s+(?!(?:i|we|you)\b)(?:the\s+|our\s+|all\s+)?[a-z]+(?:\s+staff)?\s+(?:have|has|need|needs)\s+to\b/i,
    },
    // "The policy on photos" is what the policy says on something, not the policy to confirm.
    needs: {
      words: new RegExp(
        `${POLICY_ITSELF}|\\b(?:confirm\\w*|acknowledg\\w*|sign\\w*|declar\\w*|agree\\w*|read)\\b`,
        'i',
      ),
    },
    examples: [
      'have I confirmed the policy',
      'have I signed the policy this year',
      'do I still need to confirm the policy',
      'I want to confirm I have read the policy',
      'where do I sign to say I read the policy',
      'I have read the policy now',
      'confirm policy',
      'sign the policy',
      'I need to do the annual policy declaration',
      'the reminder says I have to confirm the policy',
      'have I done my policy confirmation',
      'I keep getting reminders to read the policy',
      'I read the information security policy, how do I tell you',
      'show me my policy confirmation',
      'when did I last agree to the policy',
      'what is my status on the policy',
      'am I up to date with the policy',
      // The card carries the policy itself: wanting to read it is wanting this card.
      'where can I find the policy',
      'I cannot find the policy document',
      'can you send me a copy of the policy',
      'where is the latest version of the policy',
      // What else the school asks staff to confirm (its attestations are added per school).
      'I have done the training, how do I record that',
      'where do I tick off that I have done it',
      'I finished the online course, how do I confirm it',
      'have I done everything I need to confirm this year',
    ],
  },
  {
    id: 'acknowledgement.report',
    title: 'See who has confirmed the policy',
    needs: { words: /\b(?:polic(?:y|ies)|confirm\w*|acknowledg\w*|sign\w*|declar\w*|agree\w*|read)\b/i },
    examples: [
      'who has not confirmed the policy',
      'which staff still need to read the policy',
      'show the acknowledgement report',
      'how many staff have signed the policy',
      'who is missing from the policy confirmations',
    ],
  },
];

/** The words of an attestation's title that name it ("cyber", "security", "training" of "Cyber-security training 2026-27"). */
export function titleWords(title: string): string[] {
  return [...new Set(title.toLowerCase().match(/[a-z]{4,}/g) ?? [])].filter((w) => !STOP.has(w));
}

/** What else a school's policy may be called: the kinds of document a school asks staff to read and confirm. */
const DOCUMENT_KINDS = new Set([
  'code',
  'agreement',
  'handbook',
  'procedure',
  'procedures',
  'guidance',
  'guidelines',
  'charter',
  'protocol',
  'aup',
]);

/**
 * The kinds of document the school's own policies are, by their titles, other than "policy":
 * "code" for "Information Handling: Code for Staff". Staff call it what it is called: at such a
 * school "have I read the code?" is about the policy.
 */
export function documentWords(school: SchoolConfig): string[] {
  const titled = school.policies.flatMap((p) => p.title.toLowerCase().match(/[a-z]+/g) ?? []);
  return [...new Set(titled.filter((w) => DOCUMENT_KINDS.has(w)))];
}

/**
 * The intents with the school's own attestations in them: a person's confirmation may be of one of
 * those ("I did the cyber training, how do I record it?"), in the words of its title and its
 * statement, which the school wrote. And the school's word for its policy, where its title says
 * it is a code, an agreement or a handbook: each example about the policy is said with it too.
 */
export function ackIntents(school: SchoolConfig): IntentDef[] {
  const [mine, report] = ACK_INTENTS as [IntentDef, IntentDef];
  const documents = documentWords(school);
  const named = [...school.attestations.flatMap((a) => titleWords(a.title)), ...documents];
  if (!named.length) return ACK_INTENTS;
  const called = documents.flatMap((word) =>
    mine.examples.filter((e) => /\bpolicy\b/.test(e)).map((e) => e.replace(/\bpolicy\b/g, word)),
  );
  return [
    {
      ...mine,
      needs: {
        words: new RegExp(`${mine.needs!.words!.source}|\\b(?:${named.map(escapeRegExp).join('|')})\\b`, 'i'),
      },
      examples: [...mine.examples, ...school.attestations.map((a) => a.statement), ...called],
    },
    report,
  ];
}
