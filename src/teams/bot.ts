import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Application } from '@microsoft/teams-ai';
import type { AppConfig } from '../config';
import type { Actor, OutMessage } from '../core';
import { AppError, badInput, toAppError } from '../errors';
import {
  commandsAsked,
  normaliseCommand,
  type Flow,
  type FlowAction,
  type IncomingFile,
  type Services,
} from '../flows/types';
import { welcome } from '../flows/menu';
import { noticeCard } from '../approvals/views';
import { CARD_CONTENT_TYPE } from './activity';
import { replyRef } from './adapter';
import { download, FILE_DOWNLOAD } from './files';
import { FORMER_VERBS } from './verbs';
import { ActorResolver } from './actors';
import { InvokeLedger } from './replay';
import { processRequest, SchoolAdapter, type EndpointAnswer } from './inbound';
import { DeliveryError, type Connector } from '../outbox/dispatcher';
import { enqueueSend } from '../outbox/outbox';
import { respond } from '../flows/respond';

const ACTOR = Symbol('actor');
const OUTCOME = Symbol('outcome');
/** Set once an invoke has its response. */
const ANSWERED = Symbol('answered');
const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';

/** How long a reply inside a turn may take before it is left to the outbox. */
const REPLY_TIMEOUT_MS = 5000;

/**
 * The only place that knows teams-ai: authenticates the actor, picks their school, de-duplicates
 * re-sent activities, and routes typed commands and card clicks to the flows.
 */
export class TeamsBot {
  readonly app: Application;
  private readonly commands = new Map<string, Flow>();
  /** Each card verb's flow, for the logs. */
  private readonly verbOwners = new Map<string, string>();
  private readonly actors: ActorResolver;
  private readonly ledger: InvokeLedger;

  constructor(
    private readonly config: AppConfig,
    private readonly adapter: SchoolAdapter,
    private readonly svc: Services,
    private readonly flows: Flow[],
    private readonly connector: Connector,
  ) {
    this.ledger = new InvokeLedger(svc.db, svc.clock);
    this.actors = new ActorResolver(config, svc);
    for (const f of flows) {
      for (const c of f.commands) {
        const key = normaliseCommand(c);
        if (this.commands.has(key)) throw new Error(`command "${c}" is claimed by two flows`);
        this.commands.set(key, f);
      }
    }
    this.app = new Application({
      adapter,
      botAppId: config.credentials?.appId ?? '',
      removeRecipientMention: true,
      startTypingTimer: false,
      longRunningMessages: false,
    });
    this.app.conversationUpdate('membersAdded', (ctx) => this.onInstall(ctx));
    this.app.activity(ActivityTypes.Message, (ctx) => this.onMessage(ctx));
    for (const f of flows)
      for (const a of f.actions) {
        this.verbOwners.set(a.verb, f.id);
        this.registerAction(a, f.id);
        // Cards sent before a verb was renamed still work.
        for (const [old, now] of Object.entries(FORMER_VERBS))
          if (now === a.verb) this.registerAction({ ...a, verb: old }, f.id);
      }
    this.app.error(async (ctx, err) => {
      this.logFailure(toAppError(err), ctx, { type: ctx.activity.type, name: ctx.activity.name });
    });
  }

  /** One request to the messaging endpoint: checked, authenticated, then handled (see `processRequest`). */
  process(body: unknown, authHeader: string): Promise<EndpointAnswer> {
    return processRequest(this.adapter, body, authHeader, (context) => this.handle(context), this.svc.log);
  }

  /** Entry for every authenticated activity. */
  async handle(context: TurnContext): Promise<void> {
    const started = performance.now();
    const a = context.activity;
    let outcome = 'ok';
    try {
      const actor = await this.resolveActor(context);
      if (!actor) {
        outcome = 'rejected';
        return;
      }
      if ((a.type === ActivityTypes.Message || a.type === ActivityTypes.ConversationUpdate) && a.id) {
        const r = await this.svc.db.run(
          'INSERT INTO processed_activities (activity_key, at) VALUES (?, ?) ON CONFLICT DO NOTHING',
          [`${a.conversation.id}|${a.id}`, this.svc.clock.now()],
        );
        if (!r.changes) {
          outcome = 'duplicate';
          return;
        }
      }
      context.turnState.set(ACTOR, actor);
      if (a.type === ActivityTypes.Invoke && a.name === 'adaptiveCard/action' && a.id) {
        outcome = await this.runInvokeOnce(context, `${actor.tenantId}|${a.conversation.id}|${a.id}`);
        return;
      }
      await this.app.run(context);
      outcome = (context.turnState.get(OUTCOME) as string | undefined) ?? 'ok';
    } catch (err) {
      outcome = 'error';
      const e = toAppError(err);
      this.logFailure(e, context, {
        type: a.type,
        name: a.name,
        outcome: context.turnState.get(OUTCOME) as string | undefined,
      });
      const actor = context.turnState.get(ACTOR) as Actor | undefined;
      if (a.type === ActivityTypes.Message && actor)
        await this.reply(context, { text: e.userMessage }).catch(() => undefined);
      // A click that failed before its handler ran (the database away) still gets an answer, and
      // its card stays as it is.
      if (a.type === ActivityTypes.Invoke && a.name === 'adaptiveCard/action' && !context.turnState.get(ANSWERED))
        await context
          .sendActivity({
            type: ActivityTypes.InvokeResponse,
            value: { status: 200, body: { statusCode: 200, type: MESSAGE_RESPONSE, value: e.userMessage } },
          })
          .catch(() => undefined);
    } finally {
      this.svc.log.info(
        {
          type: a.type,
          name: a.name,
          activityId: a.id,
          conversation: a.conversation?.id?.slice(-12),
          outcome,
          ms: Math.round(performance.now() - started),
        },
        'turn',
      );
    }
  }

  /**
   * Runs a card click once: a second delivery of the same activity gets the first answer again
   * (see `InvokeLedger`).
   */
  private async runInvokeOnce(context: TurnContext, key: string): Promise<string> {
    const claim = await this.ledger.claim(key);
    const notice = (text: string) => ({
      status: 200,
      body: {
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
        value: noticeCard(this.svc.cards, text, []),
      },
    });
    if (claim.kind === 'replay') {
      // The first answer again; one kept past its day is gone, and the click is still not repeated.
      const value = claim.response ?? notice('This was already done. Nothing more was changed.');
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value });
      return 'duplicate';
    }
    if (claim.kind === 'busy') {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: notice('Your earlier click is still being done. Nothing more was changed.'),
      });
      return 'duplicate-busy';
    }
    let response: unknown;
    context.onSendActivities(async (_ctx, activities, next) => {
      for (const x of activities)
        if (x.type === ActivityTypes.InvokeResponse) {
          response = x.value;
          context.turnState.set(ANSWERED, true);
        }
      return next();
    });
    try {
      await this.app.run(context);
    } catch (err) {
      if (response === undefined) await this.ledger.release(key).catch(() => undefined);
      throw err;
    }
    if (response === undefined) await this.ledger.release(key);
    else await this.ledger.done(key, response);
    return (context.turnState.get(OUTCOME) as string | undefined) ?? 'ok';
  }

  private async resolveActor(context: TurnContext): Promise<Actor | undefined> {
    const found = await this.actors.resolve(context);
    if (!found?.chooseFrom) return found?.actor;
    // Asked once; nothing else is served until they answer, so nothing goes to the wrong school.
    const a = context.activity;
    context.turnState.set(ACTOR, found.actor);
    context.turnState.set(OUTCOME, 'choose-school');
    const card = this.svc.cards.render('menu/school', {
      schools: found.chooseFrom.map((s) => ({ id: s.id, name: s.name })),
    });
    if (a.type === ActivityTypes.Invoke)
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card },
        },
      });
    else if (a.type === ActivityTypes.Message || a.membersAdded?.length) await this.reply(context, { card });
    return undefined;
  }

  /**
   * The one way a failed turn is logged, from either boundary (a message's turn, a card's click):
   * what failed (code, message), where (the activity, the verb or flow outcome) and the cause's
   * stack, never what the person typed.
   */
  private logFailure(e: AppError, context: TurnContext, where: Record<string, string | undefined>): void {
    const cause = e.cause instanceof Error ? e.cause : undefined;
    const a = context.activity;
    // A click names its verb, and so its flow, even when it failed before its handler ran.
    const verb = (a.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
    const clicked = typeof verb === 'string' ? { verb, flow: this.verbOwners.get(verb) } : {};
    this.svc.log.error(
      {
        code: e.code,
        err: e.message,
        activityId: a.id,
        conversation: a.conversation?.id?.slice(-12),
        ...clicked,
        ...where,
        stack: cause?.stack ?? e.stack,
      },
      'turn failed',
    );
  }

  /** The school picked on the "Which school?" card, when this activity is that click. */
  private actor(context: TurnContext): Actor {
    return context.turnState.get(ACTOR) as Actor;
  }

  /**
   * Replies in the conversation through the bot's own connector client, which never retries by
   * itself. A reply that fails goes to the outbox, which tries again (once only when the first
   * try may have arrived), so a person sees it at most twice and it is never lost.
   */
  private async reply(context: TurnContext, m: OutMessage): Promise<void> {
    const actor = this.actor(context);
    const ref = replyRef(context, actor.tenantId, actor.id);
    try {
      await this.connector.send(ref, m, { timeoutMs: REPLY_TIMEOUT_MS });
    } catch (err) {
      const personal = context.activity.conversation.conversationType === 'personal' || this.config.mode === 'local';
      if (!personal) throw err;
      const uncertain = err instanceof DeliveryError ? err.ambiguous : true;
      const now = this.svc.clock.now();
      await enqueueSend(
        this.svc.db,
        {
          schoolId: actor.school.id,
          tenantId: actor.tenantId,
          recipient: { key: actor.id, aadId: actor.id },
          message: m,
          maybeDelivered: uncertain,
        },
        now,
      );
      this.svc.log.warn({ status: (err as DeliveryError).status, uncertain }, 'reply left to the outbox');
      this.svc.deliver();
    }
  }

  private async onInstall(context: TurnContext): Promise<void> {
    const botAdded = context.activity.membersAdded?.some((m) => m.id === context.activity.recipient.id);
    if (!botAdded || context.activity.conversation.conversationType !== 'personal') return;
    const actor = this.actor(context);
    context.turnState.set(OUTCOME, 'welcome');
    await this.reply(context, welcome(this.svc, this.flows, actor.school.name));
  }

  private async onMessage(context: TurnContext): Promise<void> {
    const actor = this.actor(context);
    if (
      context.activity.conversation.conversationType &&
      context.activity.conversation.conversationType !== 'personal'
    ) {
      context.turnState.set(OUTCOME, 'not-personal');
      await this.reply(context, {
        text: 'Please talk to me in a 1:1 chat: what you tell me may be personal data, and it should not be shared in a group.',
      });
      return;
    }
    const file = (context.activity.attachments ?? []).find((x) => x.contentType === FILE_DOWNLOAD);
    if (file) {
      const content = file.content as { downloadUrl?: string } | undefined;
      const incoming: IncomingFile = { name: file.name ?? '', read: () => download(content?.downloadUrl) };
      for (const f of this.flows) {
        const m = await f.onFile?.(actor, incoming, this.svc);
        if (m) {
          context.turnState.set(OUTCOME, `file:${f.id}`);
          await this.reply(context, m);
          return;
        }
      }
      await this.reply(context, {
        text: 'I cannot do anything with that file. To import the photo-consent register, send it as a .csv file.',
      });
      return;
    }
    const text = context.activity.text ?? '';
    const flow = [normaliseCommand(text), ...commandsAsked(text)].map((c) => this.commands.get(c)).find(Boolean);
    if (flow?.start) {
      context.turnState.set(OUTCOME, `command:${flow.id}`);
      await this.reply(context, await flow.start(actor, this.svc));
      return;
    }
    context.turnState.set(OUTCOME, 'understanding');
    const reading = await this.svc.understanding.read(actor, text, this.svc);
    // A failure from here on is logged with the flow the message was read as.
    context.turnState.set(
      OUTCOME,
      `reading:${reading.kind === 'intent' ? reading.flow.id : reading.kind === 'choose' ? 'choose' : 'none'}`,
    );
    const { outcome, message } = await respond(reading, text, this.flows, actor, this.svc);
    context.turnState.set(OUTCOME, outcome);
    await this.reply(context, message);
  }

  private registerAction(a: FlowAction, owner: string): void {
    this.app.adaptiveCards.actionExecute(a.verb, async (context, _state, data) => {
      const actor = this.actor(context);
      context.turnState.set(OUTCOME, `verb:${a.verb}`);
      try {
        const parsed = a.schema.safeParse(data ?? {});
        if (!parsed.success) {
          const fields = parsed.error.issues.map((i) => i.path.join('.')).filter(Boolean);
          throw badInput(
            parsed.error.issues.some((i) => i.code === 'unrecognized_keys') || !fields.length
              ? 'This card is out of date or was changed, so nothing was done. Type "menu" to start again.'
              : `Please check ${[...new Set(fields)].join(', ')}: ${parsed.error.issues[0]!.message}. Nothing was saved yet.`,
          );
        }
        const out = await a.handle(actor, parsed.data, this.svc);
        if (out.card) return out.card as never;
        return noticeCard(this.svc.cards, out.text ?? '', []) as never;
      } catch (err) {
        const e = toAppError(err);
        context.turnState.set(OUTCOME, `verb:${a.verb}:${e.code}`);
        if (!(err instanceof AppError)) this.logFailure(e, context, { type: 'invoke', verb: a.verb, flow: owner });
        // When the bot failed (not the person), the card stays as it is, with what they typed in
        // it, and the message says so: they can press the button again in a minute.
        if (e.code === 'internal' || e.code === 'unavailable') return e.userMessage as never;
        return noticeCard(this.svc.cards, e.userMessage, [], 'Warning') as never;
      }
    });
  }
}

export { CARD_CONTENT_TYPE };
export { createAdapter } from './adapter';
