import type { IntentDef } from '../types';

/**
 * The person typing is the one leaving: "I'm leaving at Christmas", "before I leave", "my last day",
 * "I've handed in my notice". Not something they are leaving somewhere ("I'm leaving my laptop in
 * the car"), nor someone else leaving (the office records those: `leaver`).
 */
const OWN_LEAVING =
  /\bi(?:['’]m| am| will be|['’]ll be)\s+(?:leaving|retiring|finishing|moving on)\b(?!\s+(?:my|the|a|an|it|them|this|that|some|our)\b(?!\s+(?:school|job|post|role)\b))|\b(?:before|when|after|once)\s+i\s+(?:leave|go|finish|retire)\b(?!\s+(?:my|the|a|an|it|them|this|that|some|our|for|to|home|work)\b(?!\s+(?:school|job|post|role)\b))|\bmy last (?:day|week|term)\b|\b(?:handed|handing|given|giving|put)\s+(?:in\s+)?my notice\b|\bnew job\b|\bmy contract\s+(?:ends|is ending|finishes|runs out)\b|\bi(?:['’]ve| have) resigned\b/i;

/** A member of staff who is leaving the school, asking what to do before they go. */
export const LEAVER_INTENTS: IntentDef[] = [
  {
    id: 'leavers.self',
    title: 'What to do before you leave',
    needs: { words: OWN_LEAVING },
    examples: [
      'I am leaving the school at Christmas, what do I need to do',
      'it is my last day on Friday',
      'I have handed in my notice',
      'I am leaving at the end of term',
      'what do I have to do before I leave',
      'I start a new job in September',
      'do I give my laptop back when I go',
      'I am retiring in the summer',
      'what happens to my account when I leave',
      'my contract ends next month',
      'I have resigned, what do I need to sort out',
    ],
  },
];
