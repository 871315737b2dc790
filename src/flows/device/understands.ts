import type { IntentDef } from '../types';

/** Using one's own phone, tablet or laptop for school work. */
export const DEVICE_INTENTS: IntentDef[] = [
  {
    id: 'device.request',
    title: 'Use your own device',
    policyFirst: { topic: 'using a personal device (your own phone, tablet or laptop) for school work' },
    needs: {
      words:
        /\b(?:own|personal|private|home|my (?:phone|mobile|tablet|laptop|ipad|computer|pc|device|mac))\b|\bbyod\b/i,
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
