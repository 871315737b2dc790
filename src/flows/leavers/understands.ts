import type { IntentDef } from '../types';

/**
 * The person typing is the one leaving: "I'm leaving at Christmas", "before I leave", "my last day",
 * "I've handed in my notice". Not something they are leaving somewhere ("I'm leaving my laptop in
 * the car"), nor someone else leaving (the office records those: `leaver`).
 */
const OWN_LEAVING =
  /\bi(?:['’]m| am| will be|['’]ll be)\s+(?:leaving|retiring|finishing|moving on)\b(?!\s+(?:my|the|a|an|it|them|this|that|some|our)\b(?!\s+(?:school|job|post|role)\b))|\b(?:before|when|after|once)\s+i\s+(?:leave|go|finish|retire)\b(?!\s+(?:my|the|a|an|it|them|this|that|some|our|for|to|home|work)\b(?!\s+(?:school|job|post|role)\b))|\bmy last (?:day|week|term)\b|\b(?:handed|handing|given|giving|put)\s+(?:in\s+)?my notice\b|\bnew job\b|\bmy contract\s+(?:ends|is ending|finishes|runs out)\b|\bi(?:['’]ve| have) resigned\b/i;

/**
 * Someone else leaving, told by whoever records it ("Mrs Jones is leaving on Friday", "our TA
 * finished last week", "Mr Ahmed has resigned"): not the person typing, and not a thing left
 * somewhere ("she is leaving her laptop in the car").
 */
const OTHER_LEAVING = new RegExp(
  `^(?![\\s\\S]*(?:${OWN_LEAVING.source}))[\\s\\S]*(?:\\b(?:is|are|['’]s)\\s+(?:leaving|retiring|finishing)\\b(?!\\s+(?:my|his|her|their|the|a|an|it|them|this|that|some|our)\\b(?!\\s+(?:school|job|post|role)\\b))|\\b(?:has|have)\\s+(?:left|resigned|retired|finished|handed in (?:his|her|their) notice)\\b|\\b(?:finished|left)\\s+(?:last|on|yesterday|today|this)\\b|\\bleavers?\\b)`,
  'i',
);

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
  {
    id: 'leavers.record',
    title: 'Record a leaver',
    needs: { words: OTHER_LEAVING },
    examples: [
      'Sam Patel is leaving at Christmas',
      'our teaching assistant finished last week',
      'a member of staff is leaving on Friday',
      'Mr Ahmed has resigned, his last day is the 20th',
      'we have a teacher leaving at the end of term',
      'the cleaner left yesterday',
      'Mrs Green is retiring in July',
      'one of the TAs has handed in her notice',
    ],
  },
];
