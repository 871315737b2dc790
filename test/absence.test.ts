import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionsOf, cardText, inputValue, softwareForm, startHarness, type Harness } from './helpers/harness';

/** A role holder away names a deputy: the deputy gets the cards, decides, and the record says for whom. */
describe('deputies while a role holder is away', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    for (const k of ['teacher', 'it', 'it2', 'head', 'sbm', 'dpo'] as const) await h.user(k).install();
  });
  afterEach(async () => {
    await h.close();
  });

  const approveLast = async (k: 'it' | 'head' | 'sbm') => {
    const a = actionsOf(h.user(k).lastCard()).find((x) => x.title === 'Approve')!;
    return h.user(k).click(a.verb, a.data);
  };

  it('sends the headteacher’s cards to the deputy they named, records the decision as made for them, and stops when the absence ends', async () => {
    const head = h.user('head');
    // "Away until Friday" in their own words: the form comes with Friday filled in.
    const form = (await head.say("I'm away on a course until Friday"))[0]!.attachments[0].content;
    expect(JSON.stringify(form)).toMatch(/"id":"untilOn","label":"[^"]*","value":"2026-11-27"/);
    expect(cardText(form)).toMatch(/cards for the Headteacher go to your deputy/);
    // A day it starts is the first day away, not the last; leave of any kind is being away.
    const leave = (await head.say("I'm on maternity leave from Monday"))[0]!.attachments[0].content;
    expect(inputValue(leave, 'fromOn')).toBe('2026-11-30');
    expect(inputValue(leave, 'untilOn')).toBe('');
    // Both ends named: the first day is the start, the last the day named (not the day before).
    const course = (await head.say("I'm on a course from Monday until Wednesday"))[0]!.attachments[0].content;
    expect([inputValue(course, 'fromOn'), inputValue(course, 'untilOn')]).toEqual(['2026-11-30', '2026-12-02']);
    const trip = (await head.say("i'll be out on a trip all day tomorrow"))[0]!.attachments[0].content;
    expect(actionsOf(trip).some((a) => a.verb === 'absence.save')).toBe(true);
    // Typed on a phone with no "I'm": still the person away. Two days named run from the first to
    // the last (today is Tuesday 24 November); one named on its own is the first and last day.
    const sick = (await head.say('off sick tomorrow and friday'))[0]!.attachments[0].content;
    expect(actionsOf(sick).some((a) => a.verb === 'absence.save')).toBe(true);
    expect([inputValue(sick, 'fromOn'), inputValue(sick, 'untilOn')]).toEqual(['2026-11-25', '2026-11-27']);
    const gonna = (await head.say('gonna be off tomorrow'))[0]!.attachments[0].content;
    expect([inputValue(gonna, 'fromOn'), inputValue(gonna, 'untilOn')]).toEqual(['2026-11-25', '2026-11-25']);
    const friday = (await head.say("I'm on a course on Friday"))[0]!.attachments[0].content;
    expect([inputValue(friday, 'fromOn'), inputValue(friday, 'untilOn')]).toEqual(['2026-11-27', '2026-11-27']);
    // A week named whole runs from its Monday to its Sunday.
    const week = (await head.say("I'm off the whole of next week"))[0]!.attachments[0].content;
    expect([inputValue(week, 'fromOn'), inputValue(week, 'untilOn')]).toEqual(['2026-11-30', '2026-12-06']);
    const save = actionsOf(form).find((a) => a.verb === 'absence.save')!;
    // A deputy must be someone the form offers.
    const bad = await head.click(save.verb, {
      fromOn: '2026-11-24',
      untilOn: '2026-11-27',
      deputy: h.user('teacher').aad,
    });
    expect(cardText(bad.card)).toMatch(/Pick your deputy from the list/);
    expect(JSON.stringify(bad.card)).toContain('"title":"Sam Business"');
    const saved = await head.click(save.verb, {
      fromOn: '2026-11-24',
      untilOn: '2026-11-27',
      deputy: h.user('sbm').aad,
    });
    expect(JSON.stringify(saved.body)).toMatch(/Sam Business gets your cards and decides for you/);
    await h.flush();
    expect(h.connector.to(h.user('sbm').conversationId).at(-1)!.activity.text).toMatch(
      /Helen Head is away from Tue 24 Nov 2026 to Fri 27 Nov 2026 and has named you as deputy/,
    );

    // A request reaching the headteacher's step goes to Sam, who approves it for Helen.
    const t = h.user('teacher');
    await t.click('software.submit', await softwareForm(t));
    await h.flush();
    await approveLast('it');
    await h.flush();
    const headCards = head.cards().length;
    expect(cardText(h.user('sbm').lastCard())).toMatch(/Written permission/);
    await approveLast('sbm');
    await h.flush();
    expect(head.cards()).toHaveLength(headCards);
    const stage = await h.db.get<{ decided_by_name: string }>(
      "SELECT decided_by_name FROM request_stages WHERE name = 'Written permission'",
    );
    expect(stage!.decided_by_name).toBe('Sam Business for Helen Head');
    expect(cardText(t.lastCard())).toMatch(/Sam Business for Helen Head/);

    // After Friday the cards go to Helen again, and Sam may no longer decide for her.
    h.clock.set('2026-11-30T09:00:00Z');
    await t.click('software.submit', { ...(await softwareForm(t)), name: 'Padlet' });
    await h.flush();
    await approveLast('it');
    await h.flush();
    expect(cardText(head.lastCard())).toMatch(/Padlet/);
    const late = actionsOf(head.lastCard()).find((x) => x.title === 'Approve')!;
    expect(cardText((await h.user('sbm').click(late.verb, late.data)).card)).toMatch(/Only the Headteacher/);

    // Back early from a second absence: the deputy stops at once.
    const again = (await head.say('away'))[0]!.attachments[0].content;
    const save2 = actionsOf(again).find((a) => a.verb === 'absence.save')!;
    await head.click(save2.verb, { fromOn: '2026-11-30', untilOn: '2026-12-04', deputy: h.user('sbm').aad });
    const samWaits = async () =>
      cardText((await h.user('sbm').say('waiting for me'))[0]!.attachments[0].content).includes('Padlet');
    expect(await samWaits()).toBe(true);
    expect((await head.say("I'm back"))[0]!.text).toMatch(/Welcome back/);
    expect(await samWaits()).toBe(false);
    expect((await head.say('back'))[0]!.text).toMatch(/You were not recorded as away/);
  });
});
