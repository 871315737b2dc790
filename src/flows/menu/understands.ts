import type { IntentDef } from '../types';

/** Thanks, after an "ok" or a "great" or two. */
const THANKING =
  '^\\W*(?:(?:ok(?:ay)?|great|brilliant|brill|perfect|lovely|cool)\\W+)*(?:thanks?|thank you|thankyou|thx|ta|cheers)';
/** A message that only thanks, asking nothing ("thanks for sorting that!", "ok cheers", "ta"). */
export const THANKS = new RegExp(`${THANKING}\\b[^?]*$`, 'i');
/** Thanks and nothing else, so short that the model cannot weigh it: "ta", "ok cheers", "great, thanks so much!". */
const ONLY_THANKS = new RegExp(
  `${THANKING}(?:\\s+(?:so much|very much|a lot|loads|again|for (?:that|this|your help|the help)))?\\W*$`,
  'i',
);

/** Greetings and questions about the bot itself: answered with the menu. */
export const MENU_INTENTS: IntentDef[] = [
  {
    id: 'menu.help',
    title: 'See what I can do',
    whole: ONLY_THANKS,
    needs: {
      words:
        /\b(?:hi|hiya|hello|hey|morning|afternoon|evening|help|menu|options?|choices|you|bot|this|start|thanks|thank|anyone|new|do|ask)\b/i,
      strangers: 1,
    },
    examples: [
      'hello',
      'hi there',
      'hiya',
      'hey',
      'good afternoon',
      'good evening',
      'morning',
      'what can you do',
      'what can you help me with',
      'what do you do',
      'what are you for',
      'someone said to message this bot',
      'how do I use this bot',
      'how do you work',
      'what is this',
      'show me the menu',
      'what choices do I have',
      'what options are there',
      'options',
      'my options',
      'what are the choices',
      'what can I do here',
      'what can I ask',
      'help please',
      'I need some help',
      'I am new here, where do I start',
      'what sort of things can I ask you',
      'list the things you can do',
      'start again',
      'is anyone there',
      'thanks',
      'thank you',
    ],
  },
];
