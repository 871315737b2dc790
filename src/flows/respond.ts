import type { Actor, OutMessage } from '../core';
import { answerFirst, type Reading } from '../understanding';
import { chooseCard } from './menu';
import type { Flow, Services } from './types';

/**
 * What the bot replies to free text once it is read: the policy first for a question another flow
 * would take, else the reading's flow, a "Did you mean" card, or the policy search. `outcome` says
 * which, for the turn's log line. The bot and the benchmarks both answer through this.
 */
export async function respond(
  reading: Reading,
  text: string,
  flows: readonly Flow[],
  actor: Actor,
  svc: Services,
): Promise<{ outcome: string; message: OutMessage }> {
  const fb = flows.find((f) => f.fallback);
  const answered = await answerFirst(reading, fb, actor, svc);
  if (answered) return { outcome: `answer-first:${reading.kind}`, message: answered };
  if (reading.kind === 'intent' && reading.flow.onIntent)
    return {
      outcome: `intent:${reading.understood.intent}`,
      message: await reading.flow.onIntent(actor, reading.understood, svc),
    };
  if (reading.kind === 'choose')
    return {
      outcome: `choose:${reading.options.map((o) => o.understood.intent).join('|')}`,
      message: chooseCard(svc, reading.options, text),
    };
  return {
    outcome: fb ? `fallback:${fb.id}` : 'fallback',
    message: fb?.fallback
      ? await fb.fallback(actor, text, svc, reading.kind === 'none' ? reading.understood : undefined)
      : { text: 'I did not understand that. Type "menu" to see what I can do.' },
  };
}
