import { AWAY_STATE, STARTS_AWAY } from '../../language/words';
import type { IntentDef } from '../types';

/** A role holder saying they will be away, in their own words. */
export const ABSENCE_INTENTS: IntentDef[] = [
  {
    id: 'absence.away',
    title: 'Name a deputy while you are away',
    needs: {
      // Only the person saying they will be away (or asking for cover): "leave them in the car" is
      // not. Typed on a phone the "I'm" goes ("off sick tomorrow", "away next week", "gonna be off
      // tomorrow").
      words: new RegExp(
        String.raw`\b(?:i(?:'m| am|'ll be| will be| shall be)|i'm going to be)\s+${AWAY_STATE}|^\s*(?:going to|will) be\s+${AWAY_STATE}|${STARTS_AWAY.source}|\bdeputi[sz]e\b|\bcover (?:for me|my)\b|\b(?:set|name|need) a deputy\b`,
        'i',
      ),
    },
    examples: [
      'I am away until Friday',
      "I'll be away next week",
      'I am off sick until Monday',
      'I am on a course tomorrow and Thursday',
      'who will cover my approvals while I am off',
      'can someone deputise for me while I am away',
      'I am on annual leave from Monday',
      'I will be out of school for the residential trip',
      'I need someone to cover my requests this week',
      'set a deputy while I am away',
    ],
  },
];
