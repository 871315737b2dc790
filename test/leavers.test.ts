import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionsOf, cardText, deviceForm, inputValue, startHarness, type Harness } from './helpers/harness';

/** Someone leaves: IT's checklist with its week, the reminder, the headteacher told when it is late. */
describe('leavers', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    for (const k of ['teacher', 'it', 'it2', 'head', 'office', 'other'] as const) await h.user(k).install();
  });
  afterEach(async () => {
    await h.close();
  });

  /** Tara's personal tablet, asked for and approved by IT. */
  const tabletApproved = async () => {
    const t = h.user('teacher');
    await t.click('device.submit', await deviceForm(t));
    await h.flush();
    const approve = actionsOf(h.user('it').lastCard()).find((a) => a.title === 'Approve')!;
    await h.user('it').click(approve.verb, approve.data);
    await h.flush();
  };

  const tick = async () => {
    await h.app.jobs.tick();
    await h.flush();
  };

  it("gives IT a checklist on the last day, with the leaver's devices, reminds, escalates after a week, and closes when done", async () => {
    const t = h.user('teacher');
    // Tara has a personal tablet approved for school email.
    await tabletApproved();

    // Only the office, the SBM or the headteacher records a leaver.
    const refused = (await t.say('someone is leaving'))[0]!;
    expect(refused.text).toMatch(/recorded by the office/);
    const office = h.user('office');
    const leaverForm = (await office.say('leaver'))[0]!.attachments[0].content;
    expect(JSON.stringify(leaverForm)).toContain('"title":"Tara Teacher"');
    const save = actionsOf(leaverForm).find((a) => a.verb === 'leavers.save')!;
    const answers = { person: t.aad, leavingOn: '2026-11-27', equipment: 'School laptop LT-042 and a key fob' };
    const saved = await office.click(save.verb, answers);
    expect(cardText(saved.card) + (saved.body?.value ?? '')).toMatch(
      /Tara Teacher leaves on Fri 27 Nov 2026\. IT gets their checklist that day/,
    );
    expect(JSON.stringify((await office.click(save.verb, answers)).body)).toMatch(/already recorded as leaving/);

    // Nothing for IT before the day.
    const before = h.user('it').cards().length;
    await tick();
    expect(h.user('it').cards()).toHaveLength(before);

    h.clock.set('2026-11-27T08:00:00Z');
    await tick();
    const task = h.user('it').lastCard();
    const text = cardText(task);
    expect(text).toMatch(/Tara Teacher is leaving: last day Fri 27 Nov 2026/);
    expect(text).toMatch(/Everything below by Fri 4 Dec 2026/);
    expect(text).toMatch(/Recorded: School laptop LT-042 and a key fob/);
    expect(text).toMatch(/DEV-2026-0001 Tablet: iPad Air: not confirmed yet/);
    expect(text).toMatch(/They hold no role in the bot/);
    await tick();
    expect(
      h
        .user('it')
        .cards()
        .filter((c) => /Tara Teacher is leaving/.test(cardText(c))),
    ).toHaveLength(1);

    // Half-way through the week IT is reminded, once.
    h.clock.set('2026-11-30T08:00:00Z');
    await tick();
    await tick();
    expect(cardText(h.user('it').lastCard())).toMatch(/^Reminder: Tara Teacher's checklist is due Fri 4 Dec 2026/);
    const reminders = h
      .user('it')
      .cards()
      .filter((c) => /^Reminder: Tara/.test(cardText(c)));
    expect(reminders).toHaveLength(1);

    // IT ticks two of the four; someone else cannot tick anything.
    const check = actionsOf(task).find((a) => a.verb === 'leavers.check')!;
    expect(cardText((await t.click(check.verb, { ...check.data, accounts: 'true' })).card)).toMatch(/Only IT/);
    const part = await h.user('it').click(check.verb, { ...check.data, accounts: 'true', equipment: 'true' });
    expect(cardText(part.card)).toMatch(
      /✓ Accounts disabled.*Done by Ian Tech.*✓ School equipment returned.*○ School data removed/s,
    );
    const waiting = (await h.user('it').say('waiting for me'))[0]!.attachments[0].content;
    expect(cardText(waiting)).toMatch(
      /Leaver +Tara Teacher, last day Fri 27 Nov 2026 2 of 4 done · due Fri 4 Dec 2026/,
    );

    // A week on, not done: the headteacher is told, once, and sees it waiting.
    h.clock.set('2026-12-05T08:00:00Z');
    await tick();
    await tick();
    const late = h.user('head').lastCard();
    expect(cardText(late)).toMatch(/^Late: a week after Tara Teacher's last day, their leaver's checklist is not done/);
    expect(cardText(late)).toMatch(/that day has passed/);
    expect(
      actionsOf((await h.user('head').say('waiting for me'))[0]!.attachments[0].content).map((a) => a.verb),
    ).toContain('leavers.open');

    // The rest done: every copy says so, and nothing waits any more.
    const done = await h.user('it').click(check.verb, { ...check.data, devices: 'true', roles: 'true' });
    expect(cardText(done.card)).toMatch(/^Tara Teacher is leaving.*All done/s);
    expect(actionsOf(done.card).filter((a) => a.verb === 'leavers.check')).toEqual([]);
    await h.flush();
    const headCopy = h
      .user('head')
      .cards()
      .filter((c) => /Tara Teacher is leaving/.test(cardText(c)))
      .at(-1);
    expect(cardText(headCopy)).toMatch(/All done/);
    const after = (await h.user('it').say('waiting for me'))[0]!.attachments[0].content;
    expect(actionsOf(after).filter((a) => a.verb === 'leavers.open')).toEqual([]);
    const actions = (
      await h.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'leaver.%' ORDER BY id`)
    ).map((a) => a.action);
    expect(actions).toEqual([
      'leaver.recorded',
      'leaver.task',
      'leaver.remind',
      'leaver.refused',
      'leaver.checked',
      'leaver.escalate',
      'leaver.done',
    ]);
  });

  it('tells someone who says they are leaving what to do before they go: their own devices and roles by name', async () => {
    const t = h.user('teacher');
    await tabletApproved();

    const own = cardText((await t.say("I'm leaving at christmas what do I need to do"))[0]!.attachments[0].content);
    expect(own).toMatch(/^Before you leave Oakfield Primary School/);
    expect(own).toMatch(/IT closes your accounts .* within 7 days/);
    expect(own).toMatch(/Give back everything the school lent you/);
    // Her tablet, approved above, by its name and reference.
    expect(own).toMatch(
      /Remove school email, files and apps from your own devices the school approved.*Tablet: iPad Air \(DEV-2026-0001\)/s,
    );
    expect(own).not.toMatch(/in the bot/);
    // Someone holding a role is asked to have it handed over.
    const it = cardText((await h.user('it').say('it is my last day next friday'))[0]!.attachments[0].content);
    expect(it).toMatch(
      /You are the school's IT technician and E-safety coordinator in the bot: before you go, someone else must be named in the bot's configuration/,
    );
    // Leaving a thing somewhere is no leaving the school.
    const car = cardText(
      (await t.say("I'm leaving my laptop in the car overnight, is that ok?"))[0]!.attachments[0].content,
    );
    expect(car).not.toMatch(/Before you leave/);
  });

  it('takes someone leaving, told in words, as a leaver to record: who and when filled in', async () => {
    const office = h.user('office');
    const form = (await office.say('Mrs Teacher is leaving on Friday'))[0]!.attachments[0].content;
    expect(cardText(form)).toMatch(/^Someone is leaving/);
    expect(inputValue(form, 'person')).toBe(h.user('teacher').aad);
    const day = String(inputValue(form, 'leavingOn'));
    expect(new Date(`${day}T12:00:00Z`).getUTCDay()).toBe(5);
    // Told by someone who does not record leavers: who does.
    const t = h.user('teacher');
    expect((await t.say('our TA finished last week'))[0]!.text).toMatch(/recorded by the office/);
    // A thing someone leaves somewhere is not them leaving.
    const bag = (await office.say('the supply teacher is leaving her bag in the staffroom'))[0]!;
    expect(bag.text ?? cardText(bag.attachments[0].content)).not.toMatch(/Someone is leaving|recorded by the office/);
  });

  it('gives IT a checklist for someone gone from the staff roster, without being told', async () => {
    const other = h.user('other');
    // The roster no longer lists Owen.
    await h.db.run(
      `INSERT INTO staff (school_id, aad_id, name, source, joined_at, left_at) VALUES ('oakfield', ?, 'Owen Other', 'team', 0, ?)`,
      [other.aad, h.clock.now()],
    );
    await tick();
    expect(cardText(h.user('it').lastCard())).toMatch(/Owen Other is leaving: last day Tue 24 Nov 2026/);
    await tick();
    expect((await h.db.all('SELECT 1 FROM leavers')).length).toBe(1);
  });
});
