import { z } from 'zod';
import type { Actor, OutMessage } from '../../core';
import { notFound } from '../../errors';
import { MENU_INTENTS, THANKS } from './understands';
import { action, type Flow, type Services, type Understood } from '../types';

/** The welcome and menu card: one button per flow that has a menu entry. */
export function menuFlow(flows: () => Flow[]): Flow {
  const menu = (svc: Services, intro: string): OutMessage => ({
    card: svc.cards.render('menu/menu', {
      heading: 'What do you need to do?',
      intro,
      items: flows()
        .filter((f) => f.menu)
        .map((f) => ({ flow: f.id, title: f.menu!.title })),
    }),
  });
  return {
    id: 'menu',
    commands: ['help', 'menu', 'hi', 'hello', 'start', 'options'],
    start: async (_actor: Actor, svc) => menu(svc, ''),
    understands: () => MENU_INTENTS,
    // Thanks ends a conversation: a word back, not the whole menu again.
    onIntent: async (_actor, u, svc) =>
      THANKS.test(u.text) ? { text: 'You are welcome. Type "menu" whenever you need anything else.' } : menu(svc, ''),
    actions: [
      action(
        'menu.choose',
        z
          .object({ intent: z.string().max(80), text: z.string().trim().min(1, 'say what you need').max(1000) })
          .strict(),
        async (actor, data, svc) => {
          const owner = await svc.understanding.owner(svc, actor.school, data.intent);
          if (!owner?.flow.onIntent) throw notFound('That option is no longer available. Type "menu" to see what is.');
          const entities = await svc.understanding.spot(actor, data.text, svc);
          return owner.flow.onIntent(actor, { intent: data.intent, score: 1, text: data.text, entities }, svc);
        },
      ),
      // The answer to "Which school do you work at?" (several schools in one tenant): the bot has
      // already taken the school from this click, so it is the actor's school here.
      action('menu.school', z.object({ schoolId: z.string().max(60) }).strict(), async (actor, _data, svc) => {
        await svc.directory.chooseSchool(actor.tenantId, actor.id, actor.school.id, svc.clock.now());
        return menu(svc, `You are set up for ${actor.school.name}. Your reports and requests go to its people.`);
      }),
      action('menu.open', z.object({ flow: z.string().max(40) }).strict(), async (actor, data, svc) => {
        const flow = flows().find((f) => f.id === data.flow && f.start);
        if (!flow?.start) throw notFound('That option is no longer available. Type "menu" to see what is.');
        return flow.start(actor, svc);
      }),
    ],
  };
}

/** "Did you mean…": one button for each of two close readings of what the person typed. */
export function chooseCard(
  svc: Services,
  options: Array<{ title: string; understood: Understood }>,
  text: string,
): OutMessage {
  return {
    card: svc.cards.render('menu/choose', {
      text: text.slice(0, 1000),
      options: options.map((o) => ({ title: o.title, intent: o.understood.intent })),
    }),
  };
}

/** The first thing a person sees after installing the bot. */
export function welcome(svc: Services, flows: Flow[], schoolName: string): OutMessage {
  return {
    card: svc.cards.render('menu/menu', {
      heading: `Hello! I help ${schoolName} staff follow the information-security policy.`,
      intro:
        'You can report a data breach, ask permission for software or a personal device, check photo consent, and ask what the policy says. Everything you send here stays between you and the people who handle it.',
      items: flows.filter((f) => f.menu).map((f) => ({ flow: f.id, title: f.menu!.title })),
    }),
  };
}
