import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dueOn } from '../src/flows/info-requests/clock';
import {
  actionsOf,
  cardText,
  inputValue,
  startHarness,
  TEST_CONFIG,
  type Harness,
  type TestUser,
} from './helpers/harness';

/** The test school with a Christmas holiday, as schools configure their calendar. */
const YAML = TEST_CONFIG.replace(
  '    requestTypes:',
  '    holidays:\n      - { from: 2026-12-21, to: 2027-01-01 }\n    requestTypes:',
);

const lastText = (u: TestUser) => cardText(u.lastCard());

describe('the subject access and FOI log', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ yaml: YAML });
    for (const k of ['office', 'dpo', 'head', 'teacher'] as const) await h.user(k).install();
  });
  afterEach(async () => {
    await h.close();
  });

  async function logRequest(u: TestUser, values: Record<string, string>) {
    const log = (await u.say('sar log'))[0]!.attachments[0].content;
    const form = (await u.click('info-requests.new', {})).card!;
    expect(actionsOf(log).map((a) => a.verb)).toContain('info-requests.new');
    const save = actionsOf(form).find((a) => a.verb === 'info-requests.save')!;
    return (await u.click(save.verb, { ...save.data, ...values })).card!;
  }

  it('keeps each clock in the school calendar, reminds and escalates as the due date nears, and exports the log', async () => {
    const office = h.user('office');
    const dpo = h.user('dpo');
    const head = h.user('head');

    // Bad input: the form comes back as it was left, with the problem, and nothing is logged.
    const bad = await logRequest(office, {
      kind: 'sar',
      requester: '',
      receivedOn: '2026-11-24',
      receivedHow: 'email',
      summary: 'All data about my son',
    });
    expect(cardText(bad)).toMatch(/Please check who asked: say who asked\. Nothing was saved yet/);
    expect(JSON.stringify(bad)).toContain('All data about my son');

    const sar = await logRequest(office, {
      kind: 'sar',
      requester: 'Mrs P Parent, p.parent@example.com',
      receivedOn: '2026-11-24',
      receivedHow: 'email',
      identity: 'checked',
      summary: 'All data the school holds about my son',
    });
    expect(cardText(sar)).toMatch(/Logged: SAR-2026-0001/);
    // One calendar month from the day it arrived.
    expect(cardText(sar)).toMatch(/Due Thu 24 Dec 2026: 30 days left/);
    await h.flush();
    expect(lastText(dpo)).toMatch(/New subject access request logged by Olive Office/);

    // Twenty school days, not counting the Christmas holiday: 5 January, not 22 December.
    const foi = await logRequest(office, {
      kind: 'foi',
      requester: 'A journalist, news@example.com',
      receivedOn: '2026-11-24',
      receivedHow: 'email',
      summary: 'How much the school spent on software last year',
    });
    expect(cardText(foi)).toMatch(/Logged: FOI-2026-0001/);
    expect(cardText(foi)).toMatch(/Due Tue 5 Jan 2027/);

    // Only the office, the DPO and the headteacher keep the log.
    const refused = (await h.user('teacher').say('sar log'))[0]!;
    expect(`${refused.text ?? ''} ${cardText(refused.attachments?.[0]?.content)}`).toMatch(
      /for the school office, the DPO/,
    );

    // A week before the subject access answer is due, the DPO is reminded (once).
    const dpoCards = () => dpo.cards().length;
    const headCards = () => head.cards().length;
    h.clock.set('2026-12-18T09:00:00Z');
    await h.app.jobs.tick();
    await h.flush();
    expect(lastText(dpo)).toMatch(/Due in 6 days: SAR-2026-0001/);
    const [d1, h1] = [dpoCards(), headCards()];
    await h.app.jobs.tick();
    await h.flush();
    expect([dpoCards(), headCards()]).toEqual([d1, h1]);

    // Two days before, the headteacher hears too.
    h.clock.set('2026-12-23T09:00:00Z');
    await h.app.jobs.tick();
    await h.flush();
    expect(lastText(head)).toMatch(/Due in 1 day: SAR-2026-0001/);

    // Closed with what was sent: on time.
    const sarId = actionsOf(sar).find((a) => a.verb === 'info-requests.close')!.data.id as string;
    const closed = (
      await dpo.click('info-requests.close', {
        id: sarId,
        sentOn: '2026-12-23',
        outcome: 'Copy of his file sent by secure email',
      })
    ).card!;
    expect(cardText(closed)).toMatch(/Closed: answer sent Wed 23 Dec 2026, on time/);

    // The FOI passes its due date unanswered: both are told it is overdue.
    h.clock.set('2027-01-06T09:00:00Z');
    await h.app.jobs.tick();
    await h.flush();
    expect(lastText(head)).toMatch(/Overdue: FOI-2026-0001 was due Tue 5 Jan 2027/);
    expect(lastText(dpo)).toMatch(/Overdue: FOI-2026-0001/);

    const log = (await dpo.say('foi log'))[0]!.attachments[0].content;
    expect(cardText(log)).toMatch(/1 open, 1 overdue/);
    const link = (await dpo.click('info-requests.export', {})).card!;
    const res = await fetch(`${h.server.url}${new URL((link.actions[0] as { url: string }).url).pathname}`);
    const lines = (await res.text())
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^"Reference","Kind","From","Received"/);
    const row = (ref: string) => lines.find((l) => l.startsWith(`"${ref}"`));
    expect(lines).toHaveLength(3);
    expect(row('SAR-2026-0001')).toMatch(
      /^"SAR-2026-0001","Subject access request",.*"2026-12-24",.*"2026-12-23","yes","Copy of his file/,
    );
    expect(row('FOI-2026-0001')).toMatch(/^"FOI-2026-0001","Freedom of information request",.*"2027-01-05"/);
  });

  it('starts a subject access clock when proof of identity arrives, and extends it once, within the first month, with a reason', async () => {
    const office = h.user('office');
    const waiting = await logRequest(office, {
      kind: 'sar',
      requester: 'Mr Q Parent',
      receivedOn: '2026-11-24',
      receivedHow: 'letter',
      identity: 'asked',
      summary: 'Emails about my daughter',
    });
    expect(cardText(waiting)).toMatch(/Waiting for proof of identity: the clock starts when it arrives/);
    const id = actionsOf(waiting).find((a) => a.verb === 'info-requests.identity')!.data.id as string;
    expect(cardText((await office.click('info-requests.identity', { id, on: '2026-11-20' })).card)).toMatch(
      /between the day the request arrived and today/,
    );
    const started = (await office.click('info-requests.identity', { id, on: '2026-11-24' })).card!;
    expect(cardText(started)).toMatch(/Clock started: due Thu 24 Dec 2026/);

    const extended = (
      await h
        .user('dpo')
        .click('info-requests.extend', { id, reason: 'Several thousand emails to review; told Mr Parent on 25 Nov.' })
    ).card!;
    // Three calendar months from the start; 24 February 2027 is a Wednesday.
    expect(cardText(extended)).toMatch(/Extended: now due Wed 24 Feb 2027/);
    expect(actionsOf(extended).some((a) => a.verb === 'info-requests.extend')).toBe(false);
  });

  it('tells whoever receives a request, in their own words, what it is, when it is due and whom to pass it to; the office logs it from there', async () => {
    const teacher = h.user('teacher');
    const sar = (await teacher.say('a parent wants a copy of everything we hold on their son'))[0]!.attachments[0]
      .content;
    expect(cardText(sar)).toMatch(/^That sounds like a subject access request/);
    expect(cardText(sar)).toMatch(/one calendar month .* by Thu 24 Dec 2026 if it arrived today/);
    expect(cardText(sar)).toMatch(
      /Pass it on today.*School office: Olive Office \(office@oakfield\.example\)\n• Data Protection Officer: Dev DPO/s,
    );
    // Only those who keep the log are offered to log it.
    expect(actionsOf(sar)).toEqual([]);

    // Figures asked of the school by the press: a freedom-of-information request, in school days.
    const foi = cardText(
      (await teacher.say('the local paper wants to know how much we spent on laptops'))[0]!.attachments[0].content,
    );
    expect(foi).toMatch(/^That sounds like a freedom of information request.*by Tue 5 Jan 2027/s);
    // Figures are about no one person, whoever asks.
    const figures = cardText(
      (await teacher.say('a parent emailed asking for our exclusion figures'))[0]!.attachments[0].content,
    );
    expect(figures).toMatch(/^That sounds like a freedom of information request/);
    // Told in the past, of someone else, as staff tell it: what happened is the request.
    const emailed = cardText(
      (await teacher.say("a parent emailed asking for a copy of her son's file"))[0]!.attachments[0].content,
    );
    expect(emailed).toMatch(/^That sounds like a subject access request/);
    // Asked who deals with it: still the request, though laptops are IT's to look after.
    const who = cardText(
      (await teacher.say('a journalist has asked how much we spent on laptops, who deals with that?'))[0]!
        .attachments[0].content,
    );
    expect(who).toMatch(/^That sounds like a freedom of information request/);

    // Asked as a question, the same: what to do, not the policy's passages on personal data.
    const asked = cardText(
      (await teacher.say('a parent wants a copy of everything we hold on their son, what do I do?'))[0]!.attachments[0]
        .content,
    );
    expect(asked).toMatch(/^That sounds like a subject access request/);

    // Told as a headline, with no "I" and no question: who asks, then what they ask for. ("Police"
    // is no "policy" to confirm.)
    for (const headline of ["parent wants copy of child's records", 'police asking for pupil info'])
      expect(cardText((await teacher.say(headline))[0]!.attachments[0].content)).toMatch(
        /^That sounds like a subject access request/,
      );

    // A parent who asks for no information has made no request.
    const meet = cardText((await teacher.say('a parent wants to meet me about her son'))[0]!.attachments[0].content);
    expect(meet).not.toMatch(/subject access|freedom of information/);

    // The police asking for a pupil's record: a request to pass on (a record is a file here, not a
    // video for the consent check).
    const police = cardText(
      (await teacher.say("the police rang reception asking for a pupil's attendance record"))[0]!.attachments[0]
        .content,
    );
    expect(police).toMatch(/^That sounds like a subject access request/);

    // The office is offered the log's form, with the kind and their words in it.
    const office = h.user('office');
    const said = "a dad rang asking for his daughter's school records";
    const told = (await office.say(said))[0]!.attachments[0].content;
    expect(cardText(told)).toMatch(/^That sounds like a subject access request.*log it now/s);
    const log = actionsOf(told).find((a) => a.title === 'Log it')!;
    const form = (await office.click(log.verb, log.data)).card!;
    expect(inputValue(form, 'kind')).toBe('sar');
    expect(inputValue(form, 'summary')).toBe(said);
    const save = actionsOf(form).find((a) => a.verb === 'info-requests.save')!;
    const logged = (
      await office.click(save.verb, {
        ...save.data,
        kind: 'sar',
        requester: 'Mr R Parent',
        receivedOn: '2026-11-24',
        receivedHow: 'phone',
        identity: 'checked',
        summary: said,
      })
    ).card!;
    expect(cardText(logged)).toMatch(/Logged: SAR-2026-0001/);
  });

  it('tells a member of staff who asks for their own data how to ask for it, and logs nothing', async () => {
    const office = h.user('office');
    for (const said of [
      'can you tell me what data you hold on me',
      'I want a copy of my personal data',
      // Asked what is held on them, with no word for data.
      'what do you hold on me?',
      'what have you got on me',
    ]) {
      const own = (await office.say(said))[0]!.attachments[0].content;
      expect(cardText(own), said).toMatch(/^Asking for the data the school holds about you/);
      expect(cardText(own), said).toMatch(/you need give no reason.*by Thu 24 Dec 2026 if it arrives today/s);
      expect(cardText(own), said).toMatch(
        /Send it to:\n• School office: Olive Office.*Data Protection Officer: Dev DPO/s,
      );
      // Their own request: nothing to pass on, and the log keeper is not offered to log it from here.
      expect(cardText(own), said).not.toMatch(/Pass it on/);
      expect(actionsOf(own), said).toEqual([]);
      // Nothing of the card is left unfilled (it shares its template with a request received).
      expect(cardText(own), said).not.toMatch(/\$\{/);
    }
    // Asked of them by someone else, "me" is whom it was asked of: a request received, to pass on.
    const asked = (await office.say('a grandparent has asked me for a copy of everything we hold on her grandson'))[0]!
      .attachments[0].content;
    expect(cardText(asked)).toMatch(/^That sounds like a subject access request/);
    // In words the examples do not use ("keep", "you"), the same: the model's nearest reading, the
    // person's own request, is one this message cannot be, and it tells of a request received.
    const kept = (await office.say('a mum has asked me for a copy of everything you keep on her daughter'))[0]!
      .attachments[0].content;
    expect(cardText(kept)).toMatch(/^That sounds like a subject access request/);
    // Written as by someone whose first language is not English ("ask" for "asked"), the same.
    const written = (await office.say('mother of a girl in year 2 ask me for copy of all her records'))[0]!
      .attachments[0].content;
    expect(cardText(written)).toMatch(/^That sounds like a subject access request/);
    const rows = await h.db.all('SELECT id FROM info_requests');
    expect(rows).toEqual([]);
  });
});

describe('when an answer is due', () => {
  it('gives a month to the same date, or the end of a shorter month, moved off a weekend; and FOI school days around holidays', () => {
    expect(dueOn('sar', '2027-01-31', [])).toBe('2027-03-01'); // 28 Feb 2027 is a Sunday
    expect(dueOn('sar', '2026-01-30', [])).toBe('2026-03-02'); // no 30 Feb: the last day, Saturday 28th, moves to Monday
    expect(dueOn('foi', '2026-11-24', [])).toBe('2026-12-22');
    expect(dueOn('foi', '2026-11-24', [{ from: '2026-12-21', to: '2027-01-01' }])).toBe('2027-01-05');
    // A long closure cannot stretch an FOI past 60 working days.
    expect(dueOn('foi', '2026-06-01', [{ from: '2026-06-02', to: '2026-12-31' }])).toBe('2026-08-24');
  });
});

describe('a request told of, at a school whose policy says how it handles them', () => {
  /** What a teacher of the school this configuration starts is told of a parent's request for everything held on their son. */
  async function toldOfRequest(yaml: string): Promise<string> {
    const h = await startHarness({ yaml });
    try {
      const teacher = h.user('teacher');
      await teacher.install();
      const [reply] = await teacher.say('a parent has asked for everything we hold on their son, what do I do?');
      return cardText(reply!.attachments[0].content);
    } finally {
      await h.close();
    }
  }

  it("shows the policy's own procedure under the law's clock and the configured people, and nothing from a policy silent on requests", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'policy-')), 'policy.md');
    writeFileSync(
      file,
      [
        '# Passwords',
        'Use three random words for your password, and never tell it to anyone.',
        '# Requests for information',
        'A parent may ask to see their child’s educational record. Pass any such request to the Head Teacher the same day, in writing if you can: the school answers within 15 school days.',
        '# Personal data',
        'Keep personal data about pupils on the school network, not on your own devices.',
      ].join('\n\n'),
    );
    const card = await toldOfRequest(TEST_CONFIG.replace(/path: .*oakfield-information-security\.md/, `path: ${file}`));
    expect(card).toMatch(/^That sounds like a subject access request.*Pass it to:/s);
    expect(card).toMatch(/What the policy says\s+A parent may ask .*Head Teacher the same day.*15 school days/s);
    expect(card).toMatch(/Requests for information/);
    // The test school's own policy says nothing of such requests: the law and the configuration alone.
    const plain = await toldOfRequest(YAML);
    expect(plain).toMatch(/^That sounds like a subject access request/);
    expect(plain).not.toMatch(/What the policy says/);
  });
});
