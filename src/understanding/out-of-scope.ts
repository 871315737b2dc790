/**
 * Things staff say that no flow handles: the model learns them as "None", so an unrelated message
 * is not forced onto the nearest flow. They go to the policy search, which says honestly when the
 * policy does not answer.
 */
export const OUT_OF_SCOPE: string[] = [
  'what is the weather going to be like',
  'what is for lunch today',
  'when is the christmas concert',
  'when does term finish',
  'where can I park my car',
  'is there a staff meeting tonight',
  'the printer is out of toner',
  'who is on playground duty',
  'what time is assembly',
  'can I swap my PPA time',
  'I need advice about my pension',
  'when is sports day',
  'how do I book a room',
  'the heating is not working in my classroom',
  'can you order more glue sticks',
  'I am running late this morning',
  'tell me a joke',
  'what is the capital of France',
  'I like football',
  'the coffee machine is broken',
  'who won the match',
];
