import { ROLE_TITLES, type RoleKey, type StageConfig } from '../../config';
import type { Actor, OutMessage } from '../../core';
import { entity } from '../../understanding';
import { DEFAULT_BREACH_ROUTE } from '../breach/model';
import { answerQuestion } from '../policy';
import type { Flow, Services, Understood } from '../types';
import { TITLED_NAME } from '../../language/words';
import { namesConsentList, namesRole, PEOPLE_INTENTS, spotRole } from './understands';

const isRole = (v: string): v is RoleKey => v in ROLE_TITLES;

async function holdersLine(svc: Services, actor: Actor, roles: readonly RoleKey[]): Promise<string> {
  const parts: string[] = [];
  for (const r of roles) {
    const who = await svc.directory.describeHolders(actor.school, r);
    parts.push(`the ${ROLE_TITLES[r]}${who.length ? ` (${who.join(', ')})` : ' (nobody is set up yet)'}`);
  }
  return parts.join(' or ');
}

async function routeLines(svc: Services, actor: Actor, stages: readonly StageConfig[]): Promise<string[]> {
  const out: string[] = [];
  for (const [i, s] of stages.entries()) {
    out.push(`${i + 1}. ${s.name}: ${await holdersLine(svc, actor, s.roles)}${s.when ? ', when it applies' : ''}.`);
  }
  return out;
}

/**
 * Names who holds a role, or who handles a kind of request or report, from the school's
 * configuration. `named`: the words that named it ("the office" is the office; "the consent
 * forms" are the office's register).
 */
async function answer(svc: Services, actor: Actor, subject: string | undefined, named?: string): Promise<OutMessage> {
  const school = actor.school;
  const reach = 'Message them in Teams, or ask here: what you start here goes to them.';
  if (subject === 'breach') {
    const lines = await routeLines(svc, actor, school.routing.breach?.stages ?? DEFAULT_BREACH_ROUTE);
    return {
      text: `At ${school.name}, breach reports go at once to:\n\n${lines.join('\n\n')}\n\nTo report one now, type "report a breach": the 72-hour clock starts when the school knows.`,
    };
  }
  if (subject === 'office' && (!named || namesConsentList(named))) {
    return {
      text: `The photo-consent register is kept by ${await holdersLine(svc, actor, ['office', 'dpo'])}. To check a pupil, type "photo consent".`,
    };
  }
  const type = subject ? svc.approvals.stagesFor(school, subject) : undefined;
  if (type) {
    return {
      text: `At ${school.name}, ${requestsOf(type.title)} are decided in this order:\n\n${(await routeLines(svc, actor, type.stages)).join('\n\n')}`,
    };
  }
  if (subject && isRole(subject)) {
    return { text: `${school.name}'s ${ROLE_TITLES[subject]}: ${await describe(svc, actor, subject)}. ${reach}` };
  }
  const all: string[] = [];
  for (const r of Object.keys(school.roles) as RoleKey[])
    all.push(`${ROLE_TITLES[r]}: ${await describe(svc, actor, r)}`);
  return { text: `Who does what at ${school.name}:\n\n${all.join('\n\n')}` };
}

async function describe(svc: Services, actor: Actor, role: RoleKey): Promise<string> {
  const who = await svc.directory.describeHolders(actor.school, role);
  return who.length ? who.join(', ') : 'nobody is set up yet; ask the school office';
}

/** Questions about who does what: the school's role holders and routing, never a guess. */
export const peopleFlow: Flow = {
  id: 'people',
  commands: ['who does what', 'contacts'],
  start: (actor, svc) => answer(svc, actor, undefined),
  actions: [],
  understands: () => PEOPLE_INTENTS,
  spot: (_actor, text) => {
    const r = spotRole(text);
    return r ? [r] : [];
  },
  onIntent: async (actor, u, svc) => {
    const role = entity(u, 'role');
    const said = await answer(svc, actor, subjectOf(u), role?.text);
    // A role found by a need ("won't turn on", "forgot my password"), not by its name: IT's, to
    // mend, and no breach.
    const byNeed = Boolean(role && !namesRole(role.text, role.value));
    return withPolicy(
      byNeed && role?.value === 'it' && said.text ? { text: `That is one for IT to sort out. ${said.text}` } : said,
      actor,
      u,
      svc,
      byNeed,
    );
  },
};

/** "Software request" → "software requests"; "Use removable media (USB)" → "requests to use removable media (USB)". */
function requestsOf(title: string): string {
  const lower = title[0]!.toLowerCase() + title.slice(1);
  return /request$/i.test(title) ? `${lower}s` : `requests to ${lower}`;
}

/** What the question asks about: a role, or the school's request it asks who decides ("permissions.usb" → "usb"). */
function subjectOf(u: Understood): string | undefined {
  return entity(u, 'role')?.value ?? entity(u, 'request')?.value.replace(/^permissions\./, '');
}

/** A way to reach someone, or their name: an email address, a phone number, a title and a surname. */
const REACH = new RegExp(
  String.raw`[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b0\d{2,4}[\s-]?\d{3}[\s-]?\d{3,4}\b|${TITLED_NAME.source}`,
);

/**
 * The configuration says who holds a role and how to reach them; the school's policy may say more
 * (a name, what they do, a number to ring): "who is our DPO?" gets both on one card, the
 * configuration's answer first and the policy's best two passages below it (the best by the words
 * may only mention the role, "Mr Petrie and I will decide with the DPO…", where the next says who
 * they are and how to reach them). Only passages the policy search presents as an answer, never a
 * weak one, and ones that name the role (or the report or request) asked about; without one, the
 * configuration's answer alone.
 */
async function withPolicy(
  said: OutMessage,
  actor: Actor,
  u: Understood,
  svc: Services,
  byNeed: boolean,
): Promise<OutMessage> {
  const role = entity(u, 'role')?.value;
  if (!said.text || !role) return said;
  const ofRole = isRole(role) ? `who is the ${ROLE_TITLES[role]}` : undefined;
  // Found by a need ("my laptop keeps crashing, who do I ring?"), the person's words tell of the
  // fault: the policy is asked of the role first. Asked of by its name ("how do I contact the
  // DPO?"), what helps is who holds it or how to reach them, not a passage that only mentions the
  // role ("the headteacher and the DPO will decide…").
  const says = (passage: string) => byNeed || REACH.test(passage);
  const question = u.text.trim().slice(0, 1000);
  const both = await answerQuestion(actor, question, svc, {
    onlyIfAnswered: true,
    most: 2,
    lead: said.text,
    // A passage that names the role asked about: "who fixes the wifi?" is not answered by the
    // rule on fixing a breach oneself.
    keep: (passage) => namesRole(passage, role) && says(passage),
    // A question in other words may find only rules that name nobody: the policy is asked of the
    // role itself then.
    searchAs: ofRole ? (byNeed ? [ofRole, question] : [question, ofRole]) : undefined,
  }).catch(() => undefined);
  return both?.card ? { text: said.text, card: both.card } : said;
}
