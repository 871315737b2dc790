import type { Actor, OutMessage, SchoolConfig } from '../core';
import type { EntityHit, Flow, IntentDef, Services, Understood } from '../flows/types';
import type { Logger } from '../log';
import { IntentModel, slotted, slotWord, withSubject, type Scored } from './model';
import { OUT_OF_SCOPE } from './out-of-scope';
import { TopicIndex } from './topics';
import { SentenceEncoder, similarity } from '../language/sentences';
import {
  plannedOnly,
  plans,
  terms,
  toldPast,
  usedBefore,
  withBePassive,
  withHeadlinePassive,
  withoutDenials,
  withIndirectQuestions,
  withoutHearsay,
  withoutPleasantries,
  wordsPutOn,
  writtenOut,
} from '../language/words';
import { isDevice } from '../language/senses';
import { partsOfSpeech, relativeWhoAsThat, sentencesIn } from '../language/parts-of-speech';

/** What the bot makes of a message. */
export type Reading =
  | {
      kind: 'intent';
      flow: Flow;
      understood: Understood;
      /** A question this intent would take (see IntentDef.policyFirst): the policy answers first when it can. */
      policyFirst?: { title: string; note?: string; topic?: string; lead?: string; event?: boolean };
    }
  | {
      kind: 'choose';
      options: Array<{ flow: Flow; title: string; understood: Understood }>;
    }
  | { kind: 'none'; understood: Understood };

/** Readings dropped as impossible hand their share on to the rest only when the rest held this much. */
const HANDED_ON_MIN = 0.3;
/** Below this, no reading is trusted: the message goes to the policy search. */
const MIN_SCORE = 0.45;
/** Two readings closer than this, both plausible, are offered as a choice. */
const CLOSE = 0.2;
const SECOND_MIN = 0.25;
/** Words asking who decides: approves, signs off, gives permission, says yes. */
const DECIDES =
  /\b(?:approv\w*|sign(?:s|ed)? off|decid\w*|authori[sz]\w*|gives? permission|says? yes|ok(?:s|'?d)? it)\b/i;
/** A question whether something exists: "is there…", "are there any…". */
const ASKS_IF_THERE = /^\s*(?:is|are)\s+there\b/i;
/** A message that starts by telling of the person or their own ("I…", "my…", "someone…"). */
const TELLS = /^\s*(?:i|i['’](?:m|ve|d)|we|we['’](?:ve|re)|my|our|someone|somebody)\b/i;
/** A clause read on its own counts, and a reading's warning note is shown, when the model is this sure. */
const CLAUSE_MIN = 0.8;
/** A reading the model is sure of: what a message only says of (an inferred entity) claims nothing from it. */
const SURE_READING = 0.9;

/**
 * The clauses of a message of several ("…from my car, who do I tell?"), each of three words or
 * more; none when it has one. Typed on a phone the comma is often missing ("my laptop was stolen
 * who do I tell"): a question word followed by a person or an auxiliary starts a clause too. So
 * does "and" before what the person needs or wants to do ("I'm writing reports this weekend and
 * need to take the folders home"): the story, then the ask.
 */
function clausesOf(text: string): string[] {
  const parts = text
    .split(
      /[.?!;:]+\s*|,\s+|\s+-+\s+|\s+(?:but|so|and then)\s+|\s+and\s+(?=(?:i\s+)?(?:need|want|would like|would love|hope|plan)\s+to\b)|\s+(?=(?:who|what|where|when|how|why|should|can|could|do|does|am|is)\s+(?:i|we|you|do|does|should|must|shall|can|to)\b)/i,
    )
    .map((p) => p.trim())
    .filter((p) => p.split(/\s+/).length >= 3);
  return parts.length > 1 ? parts : [];
}

/**
 * The sentences of a message, where it has several (wink's sentence boundaries, read only when a
 * full stop, question or exclamation mark is followed by more). Greetings alone ("Hi.",
 * "Morning!") are no sentence.
 */
function sentencesOfMessage(text: string): string[] {
  if (!/[.?!]\s+\S/.test(text)) return [];
  return sentencesIn(text)
    .map((x) => x.trim())
    .filter((x) => x.split(/\s+/).length >= 3);
}

/** A text's content words, as stems (no stop words). */
const contentStems = (text: string) => terms(text).map((t) => t.stem);

/**
 * How many of a text's content words a vocabulary lacks, its adverbs aside: they say how or how
 * much, not what ("what can I actually ask you?" asks what "what can I ask you?" asks).
 */
function strangers(text: string, vocabulary: ReadonlySet<string>): number {
  const adverbs = new Set(
    partsOfSpeech(text)
      .filter((t) => t.pos === 'ADV')
      .flatMap((t) => contentStems(t.word)),
  );
  return contentStems(text).filter((w) => !vocabulary.has(w) && !adverbs.has(w)).length;
}

/**
 * A part of a day said as when something happened ("…on the bus this morning", "last night", "on
 * Friday afternoon"): it tells when, not what, and its noun is a greeting's word ("morning"), which
 * the menu's examples use. The model reads the message without it. A greeting stays ("good morning").
 */
const PART_OF_DAY =
  /\b(?:this|yesterday|tomorrow|in\s+the|last|every|each|(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day)\s+(?:morning|afternoon|evening|night)\b/gi;

/** An offerable intent this similar to the message (cosine of weighted stems) is offered beside the answer. */
const OFFER_MIN = 0.3;

/**
 * The second opinion (see `nearestExample`): a message at least this near in meaning to one
 * intent's examples, and this much nearer than to any other intent's, is that intent. In my trials
 * on phrasings of my own, every reading these bounds let through was right.
 */
const NEAR_EXAMPLE = 0.55;
const NEAR_MARGIN = 0.05;
/** Only a message of at least this many content words has a meaning to compare. */
const MEANING_WORDS = 3;
/** What an example's slot stands for when its meaning is read: any one of its kind. */
const SLOT_FILLERS: Record<string, string> = { pupil: 'Sam', app: 'Padlet', class: 'Year 4', country: 'France' };

/**
 * Every example's sentence vector, by intent (the out-of-scope ones as "None"), read once per set
 * of examples and cached on disk with the policy passages'. Questions answered before are left
 * out: they are found by their words ('instead'), and they change as the DPO answers.
 */
async function exampleMeanings(defs: IntentDef[]): Promise<Array<{ intent: string; vector: Float32Array }>> {
  const examples = [
    ...defs
      .filter((d) => d.offerable !== 'instead')
      .flatMap((d) =>
        d.examples.map((e) => ({
          intent: d.id,
          text: e.replace(/\{(\w+)\}/g, (_m, t: string) => SLOT_FILLERS[t] ?? t),
        })),
      ),
    ...OUT_OF_SCOPE.map((text) => ({ intent: 'None', text })),
  ];
  const encoder = await SentenceEncoder.load();
  const vectors = await encoder.passages(examples.map((e) => e.text));
  return examples.map((e, i) => ({ intent: e.intent, vector: vectors[i]! }));
}

interface SchoolModel {
  model: IntentModel;
  /** Offerable intents as word vectors, to tell what a message is about besides its reading. */
  offers: TopicIndex;
  owners: Map<string, { flow: Flow; def: IntentDef; vocabulary: Set<string> }>;
  /** The fallback flow's own reading (a question for the policy), offered when nothing else is sure. */
  fallback?: { flow: Flow; def: IntentDef };
  /**
   * The examples' meanings (see `exampleMeanings`), read at the first call: none when the encoder
   * could not read them. A process that never needs a second opinion never loads the encoder for it.
   */
  examples: () => Promise<Array<{ intent: string; vector: Float32Array }>>;
}

/**
 * The one understanding step in front of the flows. Each school gets its own model, trained from
 * every flow's declared intents and from the school's data (its request types, saved answers…).
 * A model is retrained when a flow says its data changed; the old one answers until the new one is
 * ready, so nobody waits for training.
 */
export class Understanding {
  private readonly models = new Map<string, Promise<SchoolModel>>();
  private readonly retraining = new Set<string>();
  /** Schools whose data changed again while they were retraining: trained once more afterwards. */
  private readonly again = new Set<string>();

  constructor(
    private readonly flows: Flow[],
    private readonly log: Logger,
  ) {}

  /** Trains (or returns) the school's model. */
  model(svc: Services, school: SchoolConfig): Promise<SchoolModel> {
    let m = this.models.get(school.id);
    if (!m) {
      m = this.train(svc, school);
      m.catch(() => this.models.delete(school.id));
      this.models.set(school.id, m);
    }
    return m;
  }

  /** Trains the school's model and reads its examples' meanings, so that no message waits for either. */
  async prepare(svc: Services, school: SchoolConfig): Promise<void> {
    await (await this.model(svc, school)).examples();
  }

  /** Retrains the school's model in the background (its data changed); the current one serves meanwhile. */
  changed(svc: Services, school: SchoolConfig): void {
    if (this.retraining.has(school.id)) {
      this.again.add(school.id);
      return;
    }
    if (!this.models.has(school.id)) return; // not trained yet: the first training will read the new data
    this.retraining.add(school.id);
    void this.train(svc, school)
      .then((m) => this.models.set(school.id, Promise.resolve(m)))
      .catch((err: Error) => this.log.error({ err: err.message, school: school.id }, 'retraining failed'))
      .finally(() => {
        this.retraining.delete(school.id);
        if (this.again.delete(school.id)) this.changed(svc, school);
      });
  }

  private async train(svc: Services, school: SchoolConfig): Promise<SchoolModel> {
    const t0 = performance.now();
    const owners = new Map<string, { flow: Flow; def: IntentDef; vocabulary: Set<string> }>();
    for (const flow of this.flows) {
      for (const def of (await flow.understands?.(school, svc)) ?? []) {
        if (owners.has(def.id)) throw new Error(`intent "${def.id}" is declared by two flows`);
        const vocabulary = new Set(
          def.needs?.strangers === undefined ? [] : def.examples.flatMap((e) => contentStems(e)),
        );
        if (def.examples.length) owners.set(def.id, { flow, def, vocabulary });
      }
    }
    const model = await IntentModel.train([
      ...[...owners.values()].map((o) => o.def),
      { id: 'None', examples: OUT_OF_SCOPE },
    ]);
    // Slots as the model reads them, in the examples here and in the message (see `read`): "the
    // USA", "Spain" or "the US" are each a country, and near every example that names one.
    const offers = new TopicIndex(
      [...owners.values()]
        .filter((o) => o.def.offerable)
        .map((o) => ({ id: o.def.id, examples: o.def.examples.map(slotted) })),
      [...owners.values()].flatMap((o) => o.def.examples.map(slotted)),
    );
    // The date recogniser builds its grammar on first use: build it now, not in a person's turn.
    for (const flow of this.flows) await flow.warm?.();
    this.log.info(
      { school: school.id, intents: model.intents, examples: model.examples, ms: Math.round(performance.now() - t0) },
      'understanding trained',
    );
    const fallback = [...owners.values()].find((o) => o.flow.fallback && !o.def.offerable);
    // The web process reads them before it opens (see `prepare`).
    let read: Promise<Array<{ intent: string; vector: Float32Array }>> | undefined;
    const examples = () =>
      (read ??= exampleMeanings([...owners.values()].map((o) => o.def)).catch((err: Error) => {
        this.log.warn({ school: school.id, err: err.message }, "the examples' meanings could not be read");
        return [];
      }));
    return { model, offers, owners, fallback, examples };
  }

  /** Every entity the flows spot in the text, overlaps resolved (the longer span wins). */
  async spot(actor: Actor, text: string, svc: Services): Promise<EntityHit[]> {
    const all: EntityHit[] = [];
    for (const f of this.flows) all.push(...((await f.spot?.(actor, text, svc)) ?? []));
    all.sort(
      (a, b) =>
        Number(a.guess ?? false) - Number(b.guess ?? false) || b.end - b.start - (a.end - a.start) || a.start - b.start,
    );
    const kept: EntityHit[] = [];
    for (const h of all) {
      const clash = kept.some((k) => h.start < k.end && k.start < h.end && h.slot && k.slot);
      if (!clash) kept.push(h);
    }
    // With a pupil of the register named, a name only guessed to be an app that is also where a
    // photo goes is that place ("is Summer Okafor allowed on the school Facebook page?").
    // So, with no register yet, when another name the message gives may be the pupil ("Is Ella
    // Brown allowed on the school Facebook page?").
    const atUse = (h: EntityHit) => kept.some((k) => k.type === 'use' && h.start < k.end && k.start < h.end);
    const pupil = kept.some(
      (e) => (e.type === 'pupil' && !e.guess) || (e.type === 'app' && e.guess && /\s/.test(e.value) && !atUse(e)),
    );
    const placed = (h: EntityHit) => pupil && h.guess && h.type === 'app' && atUse(h);
    // An app said to go on the person's own device ("set up Teams on my personal phone") is read as
    // its word, as the examples of using one's own device name apps: the question is whether the
    // device may be used, not which app may.
    // So is one the person's own device is set up for ("setting up my personal tablet for Teams").
    const ownFor = (h: EntityHit) =>
      kept.some(
        (d) =>
          d.type === 'device' &&
          OWN_BEFORE.test(text.slice(0, d.start)) &&
          /^\s+(?:for|with)\s+$/i.test(text.slice(d.end, h.start)),
      );
    const own = (h: EntityHit) =>
      h.type === 'app' && (OWN.test(wordsPutOn(text, h.end)[0] ?? '') || ownFor(h)) ? { ...h, slot: false } : h;
    return kept
      .filter((h) => !placed(h))
      .map(own)
      .sort((a, b) => a.start - b.start);
  }

  /** The text as the model sees it: names and apps replaced by their type, a passive with "get", or with no "was" as headlines write it, as one with "be". */
  static masked(text: string, entities: EntityHit[]): string {
    let out = '';
    let at = 0;
    for (const e of entities.filter((x) => x.slot).sort((a, b) => a.start - b.start)) {
      if (e.start < at) continue;
      out += `${text.slice(at, e.start)} ${slotWord(e.type)} `;
      at = e.end;
    }
    return withBePassive(withHeadlinePassive(out + text.slice(at))).replace(PART_OF_DAY, ' ');
  }

  /** Intent scores for a text, best first, with the entities spotted in it. */
  async classify(actor: Actor, text: string, svc: Services): Promise<{ scores: Scored[]; entities: EntityHit[] }> {
    return this.classifyWith(await this.model(svc, actor.school), actor, text, svc);
  }

  private async classifyWith(m: SchoolModel, actor: Actor, text: string, svc: Services) {
    const entities = await this.spot(actor, text, svc);
    const scores = await m.model.classify(Understanding.masked(text, entities));
    // A capitalised name no register knows may be an app or a pupil ("can Jake Thornbury go on the
    // website?"): read both ways, the reading the model is surer of says which.
    // The model reads the slot more than the words around it, so the other reading counts only when
    // the message meets its needs without the name ("…photo consent", "…on the website").
    // (Not for a name one uses or installs: "can I use Blooket with my class?" asks of no pupil.)
    // With a pupil of the register named, the message has its pupil, and the guessed name may be
    // where the photo goes ("can Zara be in a video for the school YouTube?"): the other reading
    // has it as the word it is, not an app.
    // (Nor for one put on a device: "how do I get Zoom on my laptop?".)
    const guess = entities.find(
      (e) => e.guess && e.type === 'app' && !usedBefore(text, e.start) && !onDevice(text, e.end),
    );
    const named = entities.some((e) => e.type === 'pupil' && !e.guess);
    const instead = !guess
      ? undefined
      : named
        ? entities.filter((e) => e !== guess)
        : entities.some((e) => e.type === 'pupil')
          ? undefined
          : entities.map((e) => (e === guess ? { ...e, type: 'pupil' } : e));
    if (instead) {
      const other = await m.model.classify(Understanding.masked(text, instead));
      const rest = entities.filter((e) => e !== guess);
      // As sure as the name's reading, it wins when the rest of the message names a thing it wants
      // ("can Kofi Mensah go on the school facebook?" with an empty register: a use), not the name.
      const wants = other[0] && m.owners.get(other[0].intent)?.def.needs?.entities;
      const asSure =
        other[0]?.score === scores[0]?.score && Boolean(wants?.some((t) => rest.some((e) => e.type === t)));
      // The name read as a pupil leads only to a reading that takes one ("Canva is approved or no?"
      // is no question of whether a pupil's request was approved).
      const fits = named || Boolean(wants?.includes('pupil'));
      if (
        other[0] &&
        fits &&
        (other[0].score > (scores[0]?.score ?? 0) || asSure) &&
        other[0].intent !== scores[0]?.intent &&
        Understanding.possible([other[0]], m, text, rest).length
      )
        return { scores: other, entities: instead };
      // Or the reading it can be, of those the other way gives, when it has every kind of thing it
      // wants and the rest of the message named one of them ("Is Ella Brown allowed on the school
      // website?" with no register yet: a pupil and a use, though the words leaned to a reading of
      // Ella Brown as an app, or one the message cannot be).
      const alt = Understanding.handedOn(other, Understanding.possible(other, m, text, instead))[0];
      const needs = alt && m.owners.get(alt.intent)?.def.needs?.entities;
      if (
        alt &&
        /\s/.test(guess!.value) &&
        alt.intent !== scores[0]?.intent &&
        alt.score >= MIN_SCORE &&
        needs &&
        needs.length > 1 &&
        needs.every((t) => instead.some((e) => e.type === t)) &&
        needs.some((t) =>
          rest.some((e) => e.type === t && !e.guess && (e.end <= guess!.start || e.start >= guess!.end)),
        )
      )
        return { scores: [alt, ...other.filter((x) => x.intent !== alt.intent)], entities: instead };
    }
    return { scores, entities };
  }

  /**
   * The need an intent claims that a message tells of, with no harm told (see IntentDef.claims.told):
   * "my laptop won't turn on", not "someone got into my account and I'm locked out". `written`:
   * the message as `possible` reads it.
   */
  private static toldNeed(m: SchoolModel, text: string, written: string) {
    for (const owner of m.owners.values()) {
      const told = owner.def.claims?.told;
      const match = told && !told.harm.test(written) ? told.need.exec(text) : null;
      if (told && match) return { owner, told, match };
    }
    return undefined;
  }

  /** Drops readings whose needs the message does not meet. The others keep their scores: what was dropped is not handed on. */
  private static possible(scores: Scored[], m: SchoolModel, text: string, entities: EntityHit[]): Scored[] {
    // The words as written out: "whos the DPO" asks who; "people who didn't get the job" does not.
    const written = relativeWhoAsThat(writtenOut(text));
    return scores.filter((s) => {
      const owner = m.owners.get(s.intent);
      const needs = owner?.def.needs;
      if (!needs) return true;
      if (needs.strangers !== undefined && strangers(text, owner!.vocabulary) > needs.strangers) return false;
      if (needs.not?.test(written)) return false;
      // A plan, or something that stopped working with nothing lost or seen ("my laptop has died,
      // can I bin it?"), whatever else it asks: nothing has happened to anyone's data.
      // Nor does a question whether something exists ("is there visitor parking at the school?",
      // "are there rules on…"), when it tells of nothing that happened.
      if (
        needs.event &&
        !needs.event.test(written) &&
        (plannedOnly(written) ||
          Understanding.toldNeed(m, text, written) ||
          (ASKS_IF_THERE.test(written) && !toldPast(written)))
      )
        return false;
      if (!needs.entities && !needs.words) return true;
      const past = needs.beforehand || needs.unlessOnlyTold ? toldPast(written) : false;
      const counts = (t: string) =>
        !(past && needs.beforehand?.includes(t)) &&
        !(past && needs.unlessOnlyTold?.includes(t) && !text.includes('?') && !asksQuestion(text) && !plans(written));
      return (
        Boolean(needs.entities?.some((t) => counts(t) && entities.some((e) => e.type === t))) ||
        Boolean(needs.words?.test(written))
      );
    });
  }

  /**
   * The readings left once those the message cannot be are dropped, with what the dropped ones held
   * shared among them in proportion, when the ones left held a fair share themselves
   * (HANDED_ON_MIN): "left the register on the bus" is not the menu (too many words the menu never
   * uses), and of what is left the model was surest it is a breach.
   */
  private static mass(xs: Scored[]): number {
    return xs.reduce((a, x) => a + x.score, 0);
  }

  private static handedOn(all: Scored[], kept: Scored[]): Scored[] {
    const sum = Understanding.mass;
    const left = sum(kept);
    const total = sum(all);
    if (kept.length === all.length || left < HANDED_ON_MIN) return kept;
    return kept.map((x) => ({ ...x, score: Math.min(1, (x.score * total) / left) }));
  }

  /**
   * A second opinion, when the words gave no clear reading: the intent whose examples are nearest
   * in meaning to the message (sentence vectors), when it is near enough and clearly nearer than
   * any other, and possible for the message ("my work phone was pickpocketed at the station": no
   * example has its words, but "someone took the tablet from my desk" means nearly the same). Only
   * from `among`, when given. The message's vector is the one the policy search reads anyway: of
   * the message as typed (`typed`), which the policy mends its own way.
   */
  private async nearestExample(
    m: SchoolModel,
    actor: Actor,
    text: string,
    svc: Services,
    entities: EntityHit[],
    typed: string,
    among?: string[],
  ): Promise<Scored | undefined> {
    // A message of a word or two ("my phone") means too little to tell two readings apart: ask.
    if (contentStems(text).length < MEANING_WORDS) return undefined;
    const reader = this.flows.find((f) => f.meaning);
    const [vector, examples] = await Promise.all([
      reader?.meaning?.(actor, typed, svc).catch(() => undefined),
      m.examples(),
    ]);
    if (!vector || !examples.length) return undefined;
    const best = new Map<string, number>();
    for (const e of examples) best.set(e.intent, Math.max(best.get(e.intent) ?? -1, similarity(vector, e.vector)));
    const [first, next] = [...best].sort((a, b) => b[1] - a[1]);
    if (!first || first[1] < NEAR_EXAMPLE || first[1] - (next?.[1] ?? 0) < NEAR_MARGIN) return undefined;
    const [intent, score] = first;
    if (intent === 'None' || intent === m.fallback?.def.id || (among && !among.includes(intent))) return undefined;
    if (!m.owners.has(intent) || !Understanding.possible([{ intent, score }], m, text, entities).length)
      return undefined;
    return { intent, score };
  }

  /**
   * Reads a message: a clear winner, two close readings to choose from, or nothing (the policy
   * search takes it).
   */
  async read(actor: Actor, typed: string, svc: Services): Promise<Reading> {
    for (const f of this.flows) f.prefetch?.(actor, typed, svc);
    // One model for the whole reading, even if a retrained one replaces it meanwhile.
    const m = await this.model(svc, actor.school);
    // Read with its typos mended; what the person typed is what the flows keep (a report's
    // description is theirs, in their words).
    // And without the greeting and thanks around it (see `withoutPleasantries`).
    // And without a frame saying who passed the news on (see `withoutHearsay`).
    // And without what it says it is not about (see `withoutDenials`).
    // And a question asked inside "I'm not sure…" as the question (see `withIndirectQuestions`).
    const text = withIndirectQuestions(withoutDenials(withoutHearsay(withoutPleasantries(m.model.corrected(typed)))));
    const whole = await this.readMended(actor, text, svc, m, typed);
    const reading = (await this.readBySentence(actor, text, svc, m, typed, whole)) ?? whole;
    return text === typed ? reading : Understanding.asTyped(reading, typed);
  }

  /**
   * A message of several sentences, written with the story first and the ask last ("Hi, sorry to
   * bother you. The Gazette want a piece on our results. Does Amelia Khan have consent for the
   * press?"), read as a whole is mostly story: the model, trained on short requests, makes little
   * of it. When the whole gave no sure reading (or one resting on a name only guessed at), each
   * sentence is read on its own, the last that asks first: one read surely as something to start,
   * that the whole message can be, is the reading, with the whole message's text and names (the
   * story is what a report keeps). Undefined when no sentence says more than the whole.
   */
  private async readBySentence(
    actor: Actor,
    text: string,
    svc: Services,
    m: SchoolModel,
    typed: string,
    whole: Reading,
  ): Promise<Reading | undefined> {
    const sentences = sentencesOfMessage(text);
    if (sentences.length < 2 || whole.kind === 'choose') return undefined;
    const u = whole.understood;
    const wants = m.owners.get(u.intent)?.def.needs?.entities ?? [];
    const guessed = u.entities.some((e) => e.guess && wants.includes(e.type));
    // (A question the policy surely takes stays the policy's: "My screen keeps locking. Can I make it wait longer?")
    // A report read surely of the whole, when no sentence tells of anything that happened ("…what
    // has Mateo got consent for? I can't find the list."), is no surer than the words that led to it.
    const event = m.owners.get(u.intent)?.def.needs?.event;
    const untold = event !== undefined && !sentences.some((x) => toldOf(x, event));
    const sure = whole.kind === 'intent' && u.score >= CLAUSE_MIN && !untold;
    if (sure && !guessed) return undefined;
    const asking = sentences.filter((x) => asksQuestion(x)).reverse();
    const order = [...asking, ...sentences.filter((x) => !asking.includes(x)).reverse()];
    for (const sentence of order) {
      // By its words alone: a reading by meaning is never sure enough to count here, and the
      // sentence encoder would cost a whole message's time again.
      const r = await this.readMended(actor, sentence, svc, m, sentence, false);
      if (r.kind !== 'intent' || r.understood.score < CLAUSE_MIN || r.understood.intent === m.fallback?.def.id)
        continue;
      // A report only of what the sentence tells as having happened ("My kids use my school laptop
      // at home. Is that a problem?" asks about a rule).
      const def = m.owners.get(r.understood.intent)?.def;
      if (def?.needs?.event && !toldOf(sentence, def.needs.event)) continue;
      if (whole.kind === 'intent' && r.understood.intent === u.intent) return undefined;
      // The names the whole message gives, and those only this sentence gave (where they are in it).
      const at = Math.max(0, text.indexOf(sentence));
      const entities = [
        ...u.entities.filter((e) => !(guessed && e.guess)),
        ...r.understood.entities
          .filter((e) => !u.entities.some((w) => w.type === e.type && w.value === e.value))
          .map((e) => ({ ...e, start: e.start + at, end: e.end + at })),
      ];
      if (!Understanding.possible([{ intent: r.understood.intent, score: 1 }], m, text, entities).length) continue;
      // Asked about as a whole ("…dealt with it. Do I still need to tell anyone?"), a report or request
      // is answered from the policy first, with it offered, as a clause of one sentence is.
      const policyFirst =
        r.policyFirst ?? (def && startsSomething(def) && asksQuestion(text) ? answeredFirst(def) : undefined);
      return { ...r, understood: { ...r.understood, text: typed, entities }, policyFirst };
    }
    return undefined;
  }

  /** A reading with the text as typed (see `read`). */
  private static asTyped(r: Reading, typed: string): Reading {
    if (r.kind === 'choose')
      return { ...r, options: r.options.map((o) => ({ ...o, understood: { ...o.understood, text: typed } })) };
    return { ...r, understood: { ...r.understood, text: typed } } as Reading;
  }

  /** `typed`: the message as typed, whose meaning the policy reads (its own words mended its own way). */
  private async readMended(
    actor: Actor,
    text: string,
    svc: Services,
    m: SchoolModel,
    typed: string,
    meaning = true,
  ): Promise<Reading> {
    const whole = [...m.owners.values()].find((o) => o.def.whole?.test(text.trim()));
    if (whole)
      return {
        kind: 'intent',
        flow: whole.flow,
        understood: { intent: whole.def.id, score: 1, text, entities: [], offers: [] },
      };
    const classified = await this.classifyWith(m, actor, text, svc);
    const entities = classified.entities;
    const said = writtenOut(text);
    // What it tells and asks together say what it is (see IntentDef.every), with what it names.
    const every = [...m.owners.values()].find((o) => o.def.every?.every((p) => p.test(said)));
    if (every)
      return {
        kind: 'intent',
        flow: every.flow,
        understood: { intent: every.def.id, score: 1, text, entities, offers: [] },
      };
    let scores = Understanding.handedOn(
      classified.scores,
      Understanding.possible(classified.scores, m, text, entities),
    );
    // Words the examples never use are read as their nearest example word ("messages" as "emails"),
    // a guess: when the guess led only to readings the message cannot be, it is read as typed.
    if (Understanding.mass(scores) < HANDED_ON_MIN) {
      const typed = await m.model.classify(Understanding.masked(text, entities), { bridge: false });
      const again = Understanding.handedOn(typed, Understanding.possible(typed, m, text, entities));
      if (Understanding.mass(again) >= HANDED_ON_MIN) scores = again;
    }
    // Still next to nothing, but one reading the message can be has every kind of thing it wants
    // named from the school's own data ("Rhys Pritchard on the school facebook, is that allowed?":
    // a pupil of the register and a use, though the words leaned to a reading it cannot be): that one.
    if (Understanding.mass(scores) < HANDED_ON_MIN) {
      const full = scores.filter((s) => {
        const wants = m.owners.get(s.intent)?.def.needs?.entities;
        return wants && wants.length > 1 && wants.every((t) => entities.some((e) => e.type === t && !e.guess));
      });
      if (full.length === 1) scores = [{ ...full[0]!, score: 1 }];
    }
    // A message that tells rather than asks ("my account got hacked", "I want to use a memory stick
    // for my planning", or of someone else in the past: "a parent emailed asking for…") is no
    // question for the policy: when another reading is possible, the policy's is dropped and what it
    // held is handed on.
    // So does one that opens with what happened, told of someone else as a headline tells it ("parent
    // wants copy of child's records", "police asking for pupil info"): an event an intent names,
    // from the message's first word.
    // And one the model made next to nothing of, whose readings were all impossible ("a mum has
    // asked me for a copy of everything you keep on her daughter": the person's own request, by
    // the words): the one reading whose event it names, below, when there is one.
    const fb = m.fallback?.def.id;
    const opensWithEvent = [...m.owners.values()].some((o) => o.def.needs?.event?.exec(said.trimStart())?.index === 0);
    const readAsPolicy = scores.some((s) => s.intent === fb);
    if (
      fb &&
      (readAsPolicy || Understanding.mass(scores) < HANDED_ON_MIN) &&
      !asksQuestion(text) &&
      (TELLS.test(withSubject(said)) || toldPast(said) || opensWithEvent)
    ) {
      const others = scores.filter((s) => s.intent !== fb);
      // A reading whose event the message names in its words ("someone's hacked my email and is
      // sending messages to parents") takes it however little the model made of the rest.
      const names = (intent: string) => m.owners.get(intent)?.def.needs?.event?.test(said);
      if (readAsPolicy && others[0] && (others[0].score >= SECOND_MIN || names(others[0].intent)))
        scores = Understanding.handedOn(scores, others);
      else {
        // Or one the model gave nothing at all, when it is the only one whose event the message
        // names ("a parent emailed asking for a copy of her son's file": someone asked the school).
        const told = [...m.owners.keys()].filter(
          (i) => i !== fb && names(i) && Understanding.possible([{ intent: i, score: 1 }], m, text, entities).length,
        );
        if (told.length === 1) scores = [{ intent: told[0]!, score: 1 }];
      }
    }
    // Only what the message could be: a request whose needs it does not meet is not offered either.
    const offers = m.offers
      .near(Understanding.masked(text, entities), OFFER_MIN)
      .filter((o) => Understanding.possible([{ intent: o, score: 1 }], m, text, entities).length);
    // A request is asked before the act: a reading as a report of something that has happened is
    // offered none beside it ("should I recall an email I sent to the wrong person?" is no request
    // to send data abroad, however near that request's examples its words are).
    const told = toldPast(said);
    const offered = (intent: string) =>
      told && m.owners.get(intent)?.def.needs?.event ? offers.filter((o) => !m.owners.get(o)?.def.askedBefore) : offers;
    // A request whose own entity the message names, known to the school's data ("my home computer"
    // for using one's own device): when the policy takes the message, the request is offered beside.
    // Not for what has happened: a request is asked before the act.
    const beside = told
      ? undefined
      : [...m.owners.values()].find(
          (o) =>
            startsSomething(o.def) &&
            !o.def.needs?.event &&
            o.def.needs?.entities?.some((t) => entities.some((e) => e.type === t && !e.guess)) &&
            Understanding.possible([{ intent: o.def.id, score: 1 }], m, text, entities).length,
        );
    const u = (s: Scored): Understood => ({
      intent: s.intent,
      score: s.score,
      text,
      entities,
      offers: offered(s.intent),
      ...(beside && s.intent === m.fallback?.def.id
        ? { beside: { intent: beside.def.id, title: beside.def.title } }
        : {}),
    });
    // A question answered before, asked again in other words, is that question.
    const again = offers.map((o) => m.owners.get(o)).find((o) => o?.def.offerable === 'instead');
    if (again) return { kind: 'intent', flow: again.flow, understood: u({ intent: again.def.id, score: 1 }) };
    // A question naming what the school's data knows that an intent claims (a role, asked who
    // about) is that intent's, however the words scored.
    // A request the message is about, asked who decides it ("who signs off taking data home?"),
    // counts as named: an entity of type 'request', its value the request's intent.
    const requests: EntityHit[] = DECIDES.test(text)
      ? offers
          .filter((o) => m.owners.get(o)?.def.offerable === 'beside')
          .slice(0, 1)
          .map((o) => ({ type: 'request', value: o, text: '', start: 0, end: 0 }))
      : [];
    const written = relativeWhoAsThat(said);
    const asking = asksQuestion(written);
    if (asking) {
      const named = [...entities, ...requests];
      // What is only said of ("the laptops", IT's) claims nothing from a reading the model is sure
      // of: "a journalist has asked how much we spent on laptops, who deals with that?" is a request
      // for information, whoever looks after laptops.
      // (Sure of nothing at all is no reading: "who do i ask about getting teams on my ipad".)
      const sure =
        scores[0] &&
        scores[0].intent !== m.fallback?.def.id &&
        scores[0].intent !== 'None' &&
        scores[0].score >= SURE_READING;
      const claims = (o: { def: IntentDef }, e: EntityHit) => !e.inferred || !sure || scores[0]!.intent === o.def.id;
      const claimed = [...m.owners.values()].find(
        (o) =>
          o.def.claims?.asks.test(written) &&
          // (An app counts however it was found: one asked for is mostly one the register does not
          // know yet, so guessed by its name.)
          !o.def.claims.unless?.some((t) => named.some((e) => e.type === t && (!e.guess || t === 'app'))) &&
          o.def.claims.entities.some((t) =>
            named.some((e) => e.type === t && !e.guess && !o.def.claims!.except?.includes(e.value) && claims(o, e)),
          ) &&
          Understanding.possible([{ intent: o.def.id, score: 1 }], m, text, named).length,
      );
      // A request claimed by a question ("can I set up school email on my home computer?") is
      // answered from the policy first, with the request offered, as any question it takes is.
      if (claimed)
        return {
          kind: 'intent',
          flow: claimed.flow,
          understood: { ...u({ intent: claimed.def.id, score: 1 }), entities: named },
          policyFirst: startsSomething(claimed.def) ? answeredFirst(claimed.def) : undefined,
        };
    }
    // Told, not asked, of a need an intent claims ("my laptop won't turn on"): that intent's,
    // unless the message tells of harm as well. Asked to be met, too ("can someone reset my
    // password", "how do I connect to the wifi", "what's the wifi password"): a request for help.
    const need = !asking || ASKS_FOR_HELP.test(written) ? Understanding.toldNeed(m, text, written) : undefined;
    if (need) {
      const { owner, told, match } = need;
      const named: EntityHit = {
        ...told.names,
        text: match[0],
        start: match.index,
        end: match.index + match[0].length,
      };
      const others = entities.filter((e) => e.type !== told.names.type);
      return {
        kind: 'intent',
        flow: owner.flow,
        understood: { ...u({ intent: owner.def.id, score: 1 }), entities: [...others, named] },
      };
    }
    // "My laptop was stolen from my car, who do I tell?": the event is one clause, the question
    // another, and read as a whole the message is neither. A clause that clearly starts a report
    // or request, where the whole did not, is that report or request (the question is then
    // answered from the policy first, with it offered).
    // ("Who…?" starts nothing: a clause read as the role question does not count.)
    // A whole read as a report or request, but not surely ("my laptop was nicked from my car, who
    // do I tell?": 0.72), is read clause by clause too: a clause that is surely one makes it sure.
    const unsure = !scores[0] || scores[0].score < CLAUSE_MIN;
    if (!startsSomething(scores[0] && m.owners.get(scores[0].intent)?.def) || unsure) {
      // The names and apps already spotted stay masked: each clause is only classified again.
      for (const clause of clausesOf(Understanding.masked(text, entities))) {
        // The clause that asks ("…, how long have we got") tells of nothing to report.
        if (asksQuestion(clause)) continue;
        const [best] = Understanding.possible(await m.model.classify(clause), m, clause, entities);
        // (What the rest of the message tells still rules a reading out: "I want to use my own
        // laptop but it got stolen" asks no permission for it; see IntentDef.needs.not.)
        const owner =
          best && best.score >= CLAUSE_MIN && !m.owners.get(best.intent)?.def.needs?.not?.test(written)
            ? m.owners.get(best.intent)
            : undefined;
        if (owner && startsSomething(owner.def)) {
          const policyFirst = asksQuestion(text) ? answeredFirst(owner.def) : undefined;
          return { kind: 'intent', flow: owner.flow, understood: u(best!), policyFirst };
        }
      }
    }
    // Read as a policy question, but another reading was nearly as likely and the message names
    // something the school's data knows that makes it that reading's own ("who sorts out IT
    // problems": IT is a configured role, and a role asked "who" about is the role question).
    if (scores[0] && scores[0].intent === m.fallback?.def.id) {
      const own = scores
        .slice(1)
        .find(
          (s) =>
            s.score >= SECOND_MIN &&
            m.owners
              .get(s.intent)
              ?.def.policyFirst?.unless?.some((t) => entities.some((e) => e.type === t && !e.guess)),
        );
      if (own) return { kind: 'intent', flow: m.owners.get(own.intent)!.flow, understood: u(own) };
    }
    const [best, runnerUp] = scores;
    // A message that asks nothing, read as a question for the policy and not surely, as a search box
    // is typed ("usb stick for transition data", "glow email on my phone"): the reading clearly
    // nearest in meaning, when there is one (see `nearestExample`).
    const unasked =
      meaning && !asking && best && best.intent === m.fallback?.def.id && best.score < CLAUSE_MIN
        ? await this.nearestExample(m, actor, text, svc, entities, typed)
        : undefined;
    if (unasked) return { kind: 'intent', flow: m.owners.get(unasked.intent)!.flow, understood: u(unasked) };
    const plausible = (x: Scored | undefined): x is Scored => Boolean(x && m.owners.has(x.intent));
    const twoClose =
      plausible(best) &&
      plausible(runnerUp) &&
      runnerUp.score >= SECOND_MIN &&
      best.score - runnerUp.score < CLOSE &&
      best.score + runnerUp.score >= MIN_SCORE + SECOND_MIN &&
      m.owners.get(best.intent)!.flow !== m.owners.get(runnerUp.intent)!.flow;
    // Two readings close together, neither sure ("my phone": a lost phone, or using one's own?):
    // the one clearly nearer in meaning (see `nearestExample`), else ask.
    const settled =
      twoClose && meaning
        ? await this.nearestExample(m, actor, text, svc, entities, typed, [best.intent, runnerUp.intent])
        : undefined;
    if (twoClose && !settled) {
      const a = m.owners.get(best.intent)!;
      const b = m.owners.get(runnerUp.intent)!;
      return {
        kind: 'choose',
        options: [
          { flow: a.flow, title: a.def.title, understood: u(best) },
          { flow: b.flow, title: b.def.title, understood: u(runnerUp) },
        ],
      };
    }
    // Nearly as likely as nothing at all ("found a USB stick in the car park with names on it": the
    // car park is a question for the office, the stick a breach): the reading is offered beside the
    // policy, not dropped. A question the policy answers is answered, with the reading on the card.
    // Either way round: a reading only just ahead of nothing at all is no surer than one just behind.
    const policy = m.fallback;
    const [nothing, reading] = best?.intent === 'None' ? [best, runnerUp] : [runnerUp, best];
    // Unless the message puts the app that reading wants on a device ("I'd like Spotify on the hall
    // computer"): that is what it is about, whether or not the register knows the name.
    const placed =
      plausible(reading) &&
      reading.score >= SECOND_MIN &&
      m.owners.get(reading.intent)!.def.policyFirst?.unless?.includes('app') &&
      entities.some((e) => e.type === 'app' && onDevice(text, e.end))
        ? reading
        : undefined;
    const closeToNothing =
      !placed &&
      policy &&
      nothing?.intent === 'None' &&
      plausible(reading) &&
      reading.score >= SECOND_MIN &&
      Math.abs(best!.score - runnerUp!.score) < CLOSE &&
      m.owners.get(reading.intent)!.flow !== policy.flow;
    // Unless the message is clearly nearer in meaning to that reading's examples than to any other's
    // (see `nearestExample`): "Staff laptop taken from car overnight, window smashed, police informed".
    const meant =
      closeToNothing && meaning
        ? await this.nearestExample(m, actor, text, svc, entities, typed, [reading.intent])
        : undefined;
    if (closeToNothing && !meant) {
      const b = m.owners.get(reading.intent)!;
      return {
        kind: 'choose',
        options: [
          { flow: b.flow, title: b.def.title, understood: u(reading) },
          {
            flow: policy.flow,
            title: policy.def.title,
            understood: u({ intent: policy.def.id, score: nothing.score }),
          },
        ],
      };
    }
    // Chosen by meaning where the words could not choose.
    let top = settled ?? meant ?? placed ?? best;
    let byMeaning = Boolean(settled ?? meant);
    if (!plausible(top) || top.score < MIN_SCORE) {
      const near = meaning ? await this.nearestExample(m, actor, text, svc, entities, typed) : undefined;
      if (!near) return { kind: 'none', understood: u(top ?? { intent: 'None', score: 0 }) };
      [top, byMeaning] = [near, true];
    }
    const owner = m.owners.get(top.intent)!;
    // A school's request read with little confidence, from a message that shares none of its
    // examples' telling words, was only the least unlikely reading ("can I bring my dog in on
    // Friday?": the USB request, once "away on Friday" was ruled out). The policy search takes it.
    const raw = classified.scores.find((s) => s.intent === top.intent)?.score ?? 0;
    if (owner.def.offerable === 'beside' && !byMeaning && raw < CLAUSE_MIN && !offers.includes(top.intent))
      return { kind: 'none', understood: u(top) };
    const first = owner.def.policyFirst;
    // An entity the school's data knows makes the message the intent's own; one only guessed at does not.
    const known = first?.unless?.some((t) => entities.some((e) => e.type === t && !e.guess));
    const guessed = first?.unless && entities.find((e) => e.guess && first.unless!.includes(e.type));
    const lead = guessed && first?.unknown ? first.unknown(guessed.value) : undefined;
    const policyFirst =
      first && asksQuestion(text) && !known && (!first.when || first.when.test(text))
        ? // The warning, and the search by the report's topic, only when the reading is sure: an
          // unsure one is offered, not urged, and says nothing of what the message may not be about.
          // A question about a name the school's data does not know is about that name: the topic
          // does not stand in for it ("are we allowed Bluetooth headphones?" is not answered with
          // the rule on approving software).
          top.score >= CLAUSE_MIN && (!owner.def.needs?.event || toldOf(text, owner.def.needs.event))
          ? {
              title: owner.def.title,
              note: first.note,
              topic: guessed ? undefined : first.topic,
              lead,
              event: Boolean(owner.def.needs?.event),
            }
          : { title: owner.def.title, lead }
        : undefined;
    return { kind: 'intent', flow: owner.flow, understood: u(top), policyFirst };
  }

  /** Acts on a reading the person picked from a choice card. */
  async owner(
    svc: Services,
    school: SchoolConfig,
    intent: string,
  ): Promise<{ flow: Flow; def: IntentDef } | undefined> {
    return (await this.model(svc, school)).owners.get(intent);
  }
}

/**
 * Whether a message tells of an event, as one to report: something told in the past, one named in
 * its words (`event`), or one supposed ("if I lose…", "what happens when…"). "Is the laptop on the
 * list?" tells of nothing that happened to anyone's data, however the model read it.
 */
function toldOf(text: string, event: RegExp): boolean {
  const written = writtenOut(text);
  return toldPast(written) || event.test(written) || /\b(?:if|when|whenever|in case|suppose)\b/i.test(written);
}

/** How a report or request asked about is answered from the policy first: its warning note and the search by its topic. */
function answeredFirst(def: IntentDef): NonNullable<Extract<Reading, { kind: 'intent' }>['policyFirst']> {
  return {
    title: def.title,
    note: def.policyFirst!.note,
    topic: def.policyFirst!.topic,
    event: Boolean(def.needs?.event),
  };
}

/** Whether an intent starts a report or request, answered from the policy first when asked about (not the role or status questions, which answer themselves). */
function startsSomething(d: IntentDef | undefined): boolean {
  return Boolean(d?.policyFirst && !d.policyFirst.unless && !d.policyFirst.when);
}

/**
 * The reply when the policy should answer first, or undefined when it should not or cannot: a
 * question another flow would take (see IntentDef.policyFirst), or a question read two ways of
 * which one is the policy's, answered from the policy with the other reading offered beside it.
 */
export async function answerFirst(
  reading: Reading,
  policy: Flow | undefined,
  actor: Actor,
  svc: Services,
): Promise<OutMessage | undefined> {
  if (!policy?.answerFirst) return undefined;
  if (reading.kind === 'intent' && reading.policyFirst)
    return policy.answerFirst(actor, reading.understood, svc, reading.policyFirst);
  if (reading.kind === 'choose' && asksQuestion(reading.options[0]!.understood.text)) {
    const other = reading.options.filter((o) => o.flow !== policy);
    if (other.length !== 1 || reading.options.length !== 2) return undefined;
    return policy.answerFirst(actor, other[0]!.understood, svc, { title: other[0]!.title });
  }
  return undefined;
}

/** A question asking for something to be done or told: "can someone…", "could you…", "how do I…", "what's the…". */
const ASKS_FOR_HELP =
  /^\s*(?:please\s+)?(?:(?:can|could|will|would)\s+(?:someone|somebody|anyone|you)\b|how\s+(?:do|can|should)\s+(?:i|we)\b|what(?:['’]s|\s+is)\s+(?:the|our)\b)/i;

/**
 * Whether a message asks something ("can I…?", "who do I tell?"), rather than tells something or
 * asks for something ("I've lost my phone", "I need a USB stick").
 */
export function asksQuestion(text: string): boolean {
  return (
    /\?\s*$/.test(text) ||
    /^\s*(?:can|could|may|might|should|must|do|does|is|are|am|will|would|how|what|when|where|who|whom|which|why)\b/i.test(
      text,
    ) ||
    ASKING_CLAUSE.test(text)
  );
}

/**
 * A clause after the first that asks, typed on a phone without its question mark: "printed some
 * reports and forgot them, is that a big deal", "forgot my login who do I go to", "a parent
 * messaged my own phone, what now". An auxiliary before its subject, or a question word before an
 * auxiliary or "now"/"next"; not a relative clause ("…, which had names on it", "…, who has
 * replied") nor a negative ("…, can't find it").
 */
const ASKING_CLAUSE =
  /(?:[,;:]|\s-+|\s(?=(?:who|what|where|how|when|why|is)\s))\s*(?:(?:can|could|may|should|must|shall|do|does|is|are|am|will|would)(?!n['’]?t)\s+(?:i|we|you|they|it|that|this|there|my|our|someone|anyone)\b|(?:how|what|when|where|who|why)\s+(?:do|does|did|should|can|could|must|shall|will|would|now|next|else|happens)\b)/i;

/** Words that say a device is the person's own. */
const OWN_WORDS = 'own|personal|private|home';
/** The first word of what a thing goes on, saying the device is one's own: "… on my personal phone". */
const OWN = new RegExp(`^(?:${OWN_WORDS})$`);
/** The same just before a device: "my personal tablet", "my own phone". */
const OWN_BEFORE = new RegExp(`\\b(?:${OWN_WORDS})\\s+$`, 'i');

/** The first entity of a type, if one was spotted. */
export function entity(u: Understood, type: string): EntityHit | undefined {
  return u.entities.find((e) => e.type === type);
}

/** Whether a thing is said to go on a device straight after a position ("…on my laptop"). */
function onDevice(text: string, at: number): boolean {
  return wordsPutOn(text, at).some(isDevice);
}
