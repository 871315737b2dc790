import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionsOf, cardText, startHarness, TEST_CONFIG, type Harness } from './helpers/harness';

/** Yearly confirmations besides the policy, each with its audience, its reminders and its report. */
describe('attestations', () => {
  const YAML = TEST_CONFIG.replace(
    '    requestTypes:',
    `    attestations:
      - id: cyber
        title: Cyber-security training 2026-27
        statement: I have completed this year's cyber-security training
        url: https://example.org/training
        edition: "2026-27"
      - id: mfa
        title: Multi-factor sign-in
        statement: I have set up multi-factor sign-in on my school account
        audience: [it]
    requestTypes:`,
  );
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ yaml: YAML });
    for (const k of ['teacher', 'it', 'head'] as const) await h.user(k).install();
  });
  afterEach(async () => {
    await h.close();
  });

  const tick = async () => {
    await h.app.jobs.tick();
    await h.flush();
  };
  const asked = (k: 'teacher' | 'it' | 'head', title: RegExp) =>
    h
      .user(k)
      .cards()
      .filter((c) => title.test(cardText(c)) && actionsOf(c).some((a) => a.verb === 'acknowledgement.confirm'));

  it('shows the one a person names in their own words: its title, not the policy', async () => {
    const card = (await h.user('teacher').say("I've done the cyber security course, where do I tick it off?"))[0]!
      .attachments[0].content;
    expect(cardText(card)).toMatch(/^Please confirm: Cyber-security training 2026-27/);
    expect(actionsOf(card).some((a) => a.verb === 'acknowledgement.confirm')).toBe(true);
  });

  it('asks its audience, records a confirmation, reminds weekly those still owing, and reports each one', async () => {
    await tick();
    // Everyone is asked about the training; only IT about multi-factor sign-in. The policy's own
    // confirmation is off in this school, so nobody is asked about it.
    for (const k of ['teacher', 'it', 'head'] as const) expect(asked(k, /Cyber-security training/)).toHaveLength(1);
    expect(asked('it', /Multi-factor sign-in/)).toHaveLength(1);
    expect(asked('teacher', /Multi-factor/)).toHaveLength(0);
    expect(asked('teacher', /Information Security Policy/)).toHaveLength(0);
    const card = asked('teacher', /Cyber-security training/)[0];
    expect(cardText(card)).toMatch(
      /Please confirm: Cyber-security training 2026-27 2026-27 · Oakfield Primary School · asked every 12 months/,
    );
    expect(cardText(card)).toMatch(/What you confirm • I have completed this year's cyber-security training/);
    expect(JSON.stringify(card)).toContain('"title":"Open it","url":"https://example.org/training"');
    expect(actionsOf(card).map((a) => a.title)).toContain('I confirm this');

    const confirm = actionsOf(card).find((a) => a.verb === 'acknowledgement.confirm')!;
    const done = await h.user('teacher').click(confirm.verb, confirm.data);
    expect(cardText(done.card)).toMatch(
      /Confirmed Tue 24 Nov 2026, 10:00\. Thank you\. You will be asked again in 12 months\./,
    );

    // The next week: IT still owes both and is asked again; the teacher owes nothing.
    h.clock.set('2026-11-30T09:00:00Z');
    await tick();
    await tick();
    expect(asked('it', /Cyber-security training/)).toHaveLength(2);
    expect(asked('it', /Multi-factor sign-in/)).toHaveLength(2);
    expect(asked('teacher', /Cyber-security training/)).toHaveLength(1);

    // The headteacher's report: one per confirmation, with the others a click away.
    const report = (await h.user('head').say('attestations'))[0]!.attachments[0].content;
    expect(cardText(report)).toMatch(/Cyber-security training 2026-27 \(2026-27\)/);
    expect(cardText(report)).toMatch(/1 of 3 staff have confirmed \(33%\)/);
    const others = actionsOf(report).filter((a) => a.verb === 'acknowledgement.report');
    expect(others.map((a) => a.title)).toEqual(['Multi-factor sign-in']);
    const other = others[0]!;
    const mfa = (await h.user('head').click(other.verb, other.data)).card!;
    expect(cardText(mfa)).toMatch(/0 of 1 staff have confirmed \(0%\)/);
    const exp = actionsOf(report).find((a) => a.verb === 'acknowledgement.export')!;
    const link = (await h.user('head').click(exp.verb, exp.data)).card!;
    const csv = await (
      await fetch(`${h.server.url}${new URL((link.actions[0] as { url: string }).url).pathname}`)
    ).text();
    expect(csv).toMatch(/"Tara Teacher","2026-11-24T10:00:00\+00:00","2027-11-24/);
    // Not for a teacher.
    expect((await h.user('teacher').say('attestations'))[0]!.text).toMatch(/for the headteacher and the DPO/);
  });
});
