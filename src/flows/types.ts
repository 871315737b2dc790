import type { ModuleSchema } from '../store/schema';
import type { z } from 'zod';
import type { ApprovalEngine } from '../approvals/engine';
import type { RequestTypeDef } from '../approvals/types';
import type { CardRenderer } from '../cards/render';
import type { Clock } from '../clock';
import type { AppConfig } from '../config';
import type { Actor, OutMessage, SchoolConfig } from '../core';
import type { Directory } from '../identity/directory';
import type { Logger } from '../log';
import type { Db } from '../store/db';
import type { Understanding } from '../understanding';

/** A file someone sent the bot: its name, and its content fetched on demand (size-limited). */
export interface IncomingFile {
  name: string;
  read(): Promise<string>;
}

/** What a flow may use. Nothing here knows about Teams. */
export interface Services {
  config: AppConfig;
  db: Db;
  clock: Clock;
  log: Logger;
  cards: CardRenderer;
  directory: Directory;
  approvals: ApprovalEngine;
  /** Free text to intents and entities; trained per school from the flows' declarations. */
  understanding: Understanding;
  /** The members of a team (Teams roster), when the connector can list them. */
  teamMembers?(serviceUrl: string, teamId: string): Promise<Array<{ aadObjectId: string; name: string }>>;
  /**
   * What the flows keep in memory for this set of services (a school's policy library, its consent
   * index, when its roster was last read): one named map per use, made in buildServices, so all
   * of it is seen in one place and goes with the services. The database stays the truth.
   */
  memory: Memory;
  /** Every flow, in registry order (for what gathers from all of them, like "Waiting for you"). */
  flows: readonly Flow[];
  /** Every module's tables, with what each holds about a person (see ModuleSchema.personal). */
  schemas: readonly ModuleSchema[];
  /** Asks the outbox to deliver soon; call after a commit that enqueued messages. */
  deliver(): void;
}

/**
 * A card button's handler. `verb` is an exact string (e.g. "breach.submit") used both to build the
 * card and to route the click; `schema` is strict, so data a card did not ask for is refused.
 * The result replaces the card the person clicked (only in their view).
 */
export interface FlowAction<S extends z.ZodTypeAny = z.ZodTypeAny> {
  verb: string;
  schema: S;
  handle(actor: Actor, data: z.infer<S>, svc: Services): Promise<OutMessage>;
}

/** Helper that keeps the schema and the handler's data type together. */
export function action<S extends z.ZodTypeAny>(
  verb: string,
  schema: S,
  handle: (actor: Actor, data: z.infer<S>, svc: Services) => Promise<OutMessage>,
): FlowAction {
  return { verb, schema, handle } as FlowAction;
}

/** Something picked out of a message: a pupil, a class, an app, a role… with where it was. */
export interface EntityHit {
  type: string;
  /** The canonical value (the register's name of a pupil, a use key, a role key) or the words typed. */
  value: string;
  /** The words as typed. */
  text: string;
  start: number;
  end: number;
  /** Replaced by its type before classifying (names and apps are not words the model knows). */
  slot?: boolean;
  /** Guessed from the shape of the words, not found in the school's data: loses to any hit that was found. */
  guess?: boolean;
  /**
   * Not named but said of by what the message is about ("the photocopier" for IT): an intent's claim
   * by it yields to a reading of another intent the model is sure of (see Understanding.read).
   */
  inferred?: boolean;
}

/** An intent a flow understands, with example sentences in staff's own words. */
export interface IntentDef {
  /** Unique across flows, prefixed with the flow's id: "consent.check". */
  id: string;
  /** Shown on the "Did you mean…" card. */
  title: string;
  /** A few dozen varied examples; `{pupil}`, `{app}`, `{class}` stand for a spotted entity. */
  examples: string[];
  /**
   * A message that is all of this pattern is this intent, whatever the model reads: a few words
   * the model cannot weigh ("ta", "ok cheers") have one meaning only when they are all there is.
   */
  whole?: RegExp;
  /**
   * A message matching every one of these patterns is this intent, whatever the model reads: what
   * it tells and what it asks together say what it is ("I asked to take books home last week and
   * heard nothing back" follows up a request, though its words are those of making one).
   */
  every?: RegExp[];
  /**
   * What a message must have for this reading to be possible at all: one of these entities, or
   * words matching this pattern. A photo-consent check is about an image or a named pupil, however
   * much the rest of the sentence looks like one.
   */
  needs?: {
    entities?: string[];
    words?: RegExp;
    /**
     * At most this many of the message's content words may be ones none of the examples use: the
     * menu is for "what can you do?", not for "do I need to tell anyone before I work from home?".
     */
    strangers?: number;
    /**
     * Words that say the message is not this reading, whatever else it names: "I lost my own phone
     * with school email on it, what do I need to do?" asks for no permission to use the phone.
     */
    not?: RegExp;
    /**
     * The message tells of something that has happened, or names what it reports (this pattern):
     * "I need to email a child's plan to the therapist, how should I send it?" plans an act and
     * asks how; nothing in it has happened, so it is no report of a breach.
     */
    event?: RegExp;
    /** Of those entities, the ones that count only when the message tells of nothing that has happened (no verb in the past). */
    beforehand?: string[];
    /**
     * Of those entities, the ones that do not count when the message only tells of something that
     * has happened, asking and wanting nothing: an app named there is where it happened ("Office
     * PC left logged in to Arbor…"); asked about ("I've been using Padlet, is that ok?", "I just
     * want to know whether Quizlet is approved"), it counts.
     */
    unlessOnlyTold?: string[];
  };
  /**
   * Also found by likeness to its examples, whatever the classifier read. 'beside': offered next to
   * another answer ("may I use a memory stick?" is answered from the policy, with the USB request
   * offered on the same card). 'instead': taken as the reading (a question answered before, asked
   * again in other words).
   */
  offerable?: 'beside' | 'instead';
  /**
   * A request asked before the act: never offered beside a report of something that has happened
   * (a reading whose `needs.event` the message meets, told in the past).
   */
  askedBefore?: boolean;
  /**
   * This intent starts a report or a request rather than answering. A message that asks a question
   * ("can I keep pupil photos on my phone?", "my laptop's been nicked: who do I tell?") is answered
   * from the policy first when the policy answers it, with this intent offered beside the answer;
   * `note` (optional) stands above the answer to say why the offer matters. `unless`: entity types
   * that make the message this intent's own (a named role makes "who…?" the role question). Only
   * what the school's data knows counts: an entity merely guessed at (a capitalised name the app
   * register does not know, "can I use my Gmail for school work?") leaves the question to the policy
   * first, and `unknown` says, above the answer, that the school's data does not know it.
   * `topic`: what the report or request is about, as a policy would put it; the policy is searched
   * for it with the question when the question's own words find nothing (and, for a report of
   * something that happened, when they find nothing that speaks of the topic).
   */
  policyFirst?: {
    note?: string;
    unless?: string[];
    topic?: string;
    unknown?: (name: string) => string;
    /** Only questions of this form ("how often must we…?" asks about the rule, not the person's own record). */
    when?: RegExp;
  };
  /**
   * Entity types that make a question of this form (`asks`) this intent's own whatever else its
   * words suggest, when the school's data knows the entity and the intent's needs are met: "my
   * laptop won't turn on, who do I ring?" names what only IT mends and asks who, so it is the role
   * question, not a breach; "grandparents keep asking me to text them, can I use my own phone?"
   * names the device request's route but asks no "who".
   */
  claims?: {
    entities: string[];
    asks: RegExp;
    /** Values of those entities that name a subject rather than someone ("software"): the words decide those. */
    except?: string[];
    /**
     * Entities that, named in the message, say the question is about them rather than this one's:
     * "who in 3C has no photo consent?" asks which pupils, not who keeps the consent list.
     */
    unless?: string[];
    /**
     * A statement, not a question, that tells of this need ("my laptop won't turn on", "I forgot
     * my password") claims the entity as a question would, unless it also tells of harm: "someone
     * got into my account and now I'm locked out" is a breach. `names`: the entity the need names,
     * whatever other the words name first (IT, not the DPO, in "I forgot my password and the DPO is
     * off today").
     */
    told?: {
      need: { exec(text: string): RegExpExecArray | null };
      harm: RegExp;
      names: { type: string; value: string };
    };
  };
}

/** Named in-memory maps, one per use (see Services.memory). */
export class Memory {
  private readonly maps = new Map<string, Map<string, unknown>>();

  map<T>(name: string): Map<string, T> {
    let m = this.maps.get(name);
    if (!m) this.maps.set(name, (m = new Map()));
    return m as Map<string, T>;
  }
}

/** One line of "Waiting for you": what it is, since when, and the button that opens it. */
export interface WaitingItem {
  ref: string;
  summary: string;
  state: string;
  since: number;
  /** Which Open button the list shows (each is a card verb of its own flow). */
  kind: 'approval' | 'breach' | 'info-request' | 'ticket' | 'device' | 'leaver';
  requestId?: string;
  as?: 'approver';
  breachId?: string;
  id?: string;
}

/** One part of the termly report: a heading and its figures. */
export interface TermlySection {
  title: string;
  facts: Array<{ label: string; value: string }>;
}

/** What the understanding step made of a message. */
export interface Understood {
  intent: string;
  score: number;
  text: string;
  entities: EntityHit[];
  /** Offerable intents the message is about (a second model's reading), to offer beside the answer. */
  offers?: string[];
  /**
   * A request the message names what it is for, read as a question for the policy: "can I set up
   * school email on my home computer?" is answered from the policy, with the device request offered.
   */
  beside?: { intent: string; title: string };
}

/**
 * One feature of the bot. A flow is a folder under `src/flows/`, one line in the registry, its
 * cards under `cards/` and one manifest command when it has a menu entry.
 */
export interface Flow {
  id: string;
  /** Shown as a button on the menu card and as a command in the Teams manifest. */
  menu?: { title: string; description: string };
  /** Typed commands that start the flow, matched as whole phrases (lower case, no punctuation). */
  commands: string[];
  /** What the flow shows when started from the menu or a command. */
  start?(actor: Actor, svc: Services): Promise<OutMessage>;
  actions: FlowAction[];
  /** The tables this flow owns (collected in registry order when the database opens). */
  schema?: ModuleSchema;
  /** Request types this flow adds to the approval engine. */
  requestTypes?(svc: Services, school: SchoolConfig): RequestTypeDef[];
  /**
   * What this flow understands in free text. Called when a school's model is trained (at start-up,
   * and again when the school's data the examples come from changes).
   */
  understands?(school: SchoolConfig, svc: Services): Promise<IntentDef[]> | IntentDef[];
  /** Picks this flow's entities out of a message (pupils and classes, apps, roles…). */
  spot?(actor: Actor, text: string, svc: Services): Promise<EntityHit[]> | EntityHit[];
  /**
   * A message in free text has arrived: start now any slow work its reply may need, to run while it
   * is read (the policy flow reads its meaning in the encoder's thread). Nothing waits for it.
   */
  prefetch?(actor: Actor, text: string, svc: Services): void;
  /**
   * The message's sentence vector as this flow reads it (the policy flow: its question's meaning,
   * shared with its answer), or undefined when it has none. The understanding step asks for it only
   * when the words alone gave no clear reading.
   */
  meaning?(actor: Actor, text: string, svc: Services): Promise<Float32Array | undefined>;
  /** Builds what understanding this flow needs on first use (called once when a model is trained). */
  warm?(): Promise<void> | void;
  /** Acts on one of this flow's intents, with what was understood already filled in. */
  onIntent?(actor: Actor, u: Understood, svc: Services): Promise<OutMessage>;
  /**
   * Answers a question from the policy, offering `u.intent` beside the answer, or returns undefined
   * when the policy does not answer it. Only the fallback flow (policy questions) does this.
   */
  answerFirst?(
    actor: Actor,
    u: Understood,
    svc: Services,
    offer: { title: string; note?: string; topic?: string; lead?: string; event?: boolean },
  ): Promise<OutMessage | undefined>;
  /** Answers free text nobody else recognised. Only one flow (policy questions) does this. */
  fallback?(actor: Actor, text: string, svc: Services, understood?: Understood): Promise<OutMessage>;
  /**
   * The flow's figures for a period, for the governors' termly report (counts only: nothing about
   * a person). `from` and `to` are the school's dates, both included.
   */
  termly?(svc: Services, school: SchoolConfig, from: string, to: string): Promise<TermlySection>;
  /** What waits for this person in the flow (a breach they handle, a request whose clock runs), for "Waiting for you". */
  waiting?(actor: Actor, svc: Services): Promise<WaitingItem[]>;
  /** Scheduled work; called by the job runner with the injected clock. Must be idempotent. */
  tick?(svc: Services): Promise<void>;
  /** A file sent in the 1:1 chat; the flow returns a reply, or undefined when it is not for this flow. */
  onFile?(actor: Actor, file: IncomingFile, svc: Services): Promise<OutMessage | undefined>;
  /** CSV exports by name, built for the person who asked when their one-time link is fetched. */
  exports?: Record<string, (svc: Services, actor: Actor, arg?: string) => Promise<{ filename: string; csv: string }>>;
}

/**
 * A command asked for in a few more words: "show me the breach log", "can you send me the termly report",
 * "open the consent register please", "where's the sar log?". The words around it only ask to see
 * it, so what is left, when it is a command, is that command (checked by the caller): anything more
 * ("show me how to lock my screen", "I lost my laptop, report a breach") is read by the
 * understanding step.
 */
const ASKED_TO_SEE =
  /^(?:(?:please|pls) )?(?:(?:can|could|would|may) (?:i|you|we) (?:please )?)?(?:show me|show|open|see|view|get|give me|send me|email me|bring up|pull up|export|download|look at|take me to|go to|where is|wheres|where s)(?: up)? (?:what s |whats |what is )?(?:the |our |my |a |an )?(?=\S)/;
const POLITE_END = / (?:please|pls|thanks|thank you|for me|now)$/;

/**
 * What a longer message may ask to see (see ASKED_TO_SEE), normalised: with a polite ending and
 * without ("…waiting for me" is a command, "…for me" a polite ending). The caller keeps a command.
 */
export function commandsAsked(text: string): string[] {
  const said = normaliseCommand(text);
  return [...new Set([said, said.replace(POLITE_END, '')])]
    .map((x) => x.replace(ASKED_TO_SEE, ''))
    .filter((x) => x && x !== said);
}

/** Normalises typed text for whole-command matching. */
export function normaliseCommand(text: string): string {
  return text
    .toLowerCase()
    .replace(/<at>.*?<\/at>/g, ' ')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
