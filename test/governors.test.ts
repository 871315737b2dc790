import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionsOf, cardText, softwareForm, startHarness, TEST_CONFIG, type Harness } from './helpers/harness';

const YAML = TEST_CONFIG.replace(
  '    requestTypes:',
  '    terms:\n      - { name: Autumn 2026, from: 2026-09-02, to: 2026-12-18 }\n      - { name: Spring 2027, from: 2027-01-05, to: 2027-03-26 }\n    requestTypes:',
);

describe("the governors' termly report", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ yaml: YAML });
    for (const k of ['teacher', 'head', 'dpo', 'office', 'it'] as const) await h.user(k).install();
  });
  afterEach(async () => {
    await h.close();
  });

  it("counts what the term's flows recorded, names nobody, and goes to the headteacher and DPO when the term ends", async () => {
    const t = h.user('teacher');
    // A breach, a software request approved at IT's step and then withdrawn, a subject access request, two consent look-ups.
    const form = (await t.say('report a breach'))[0]!.attachments[0].content;
    const submit = actionsOf(form).find((a) => a.verb === 'breach.submit')!;
    await t.click('breach.submit', {
      ...submit.data,
      category: 'lost-stolen',
      description: 'Left my school laptop on the bus',
    });
    const sent = await t.click('software.submit', await softwareForm(t));
    const requestId = actionsOf(sent.card).find((a) => a.verb === 'requests.withdraw')!.data.requestId as string;
    await t.click('requests.withdraw', { requestId });
    const office = h.user('office');
    const log = (await office.say('sar log'))[0]!.attachments[0].content;
    expect(cardText(log)).toMatch(/Nothing open/);
    const sarForm = (await office.click('info-requests.new', {})).card!;
    const save = actionsOf(sarForm).find((a) => a.verb === 'info-requests.save')!;
    await office.click(save.verb, {
      ...save.data,
      kind: 'sar',
      requester: 'A parent',
      receivedOn: '2026-11-24',
      receivedHow: 'email',
      identity: 'checked',
      summary: 'Their child’s file',
    });

    // "Waiting for you" gathers what waits for the headteacher across the flows, oldest first.
    h.clock.advance(60_000);
    const waiting = (await h.user('head').say('waiting for me'))[0]!.attachments[0].content;
    const opens = actionsOf(waiting).filter((a) => a.title === 'Open');
    expect(opens.map((a) => a.verb)).toEqual(['breach.open', 'info-requests.open']);
    expect(cardText(waiting)).toMatch(/BR-2026-0001.*SAR-2026-0001/s);
    expect(cardText((await h.user('head').click(opens[1]!.verb, opens[1]!.data)).card)).toMatch(
      /SAR-2026-0001 · Subject access request/,
    );
    // A teacher has nothing of the kind waiting.
    expect(actionsOf((await t.say('waiting for me'))[0]!.attachments[0].content)).toEqual([]);

    // Only the headteacher and the DPO read it.
    const refused = (await t.say('termly report'))[0]!;
    expect(`${refused.text ?? ''} ${cardText(refused.attachments?.[0]?.content)}`).toMatch(
      /for the headteacher and the DPO/,
    );

    // Asked for in a few more words, the same.
    expect(
      cardText((await h.user('head').say('can you send me the termly report'))[0]!.attachments[0].content),
    ).toMatch(/Information security: Autumn 2026/);
    const card = (await h.user('head').say('termly report'))[0]!.attachments[0].content;
    // The card's words with each figure after its label, as a person reads them.
    const text = JSON.stringify(card)
      .replace(/"title":"([^"]*)","value":"([^"]*)"/g, '"text":"$1 $2"')
      .match(/"text":"([^"]*)"/g)!
      .map((m) => m.slice(8, -1))
      .join(' ');
    expect(text).toMatch(/Information security: Autumn 2026/);
    expect(text).toMatch(/Wed 2 Sep 2026 to Fri 18 Dec 2026 \(so far: 84 days\)/);
    expect(text).toMatch(/Data breaches Reported 1 · Lost or stolen device or papers 1 .*Still open 1/);
    expect(text).toMatch(/Permission requests Made 1 .*Withdrawn 1/);
    expect(text).toMatch(/Subject access requests received 1 · Answered on time none · Still open 1/);
    // Counts only: no name, no description.
    expect(text).not.toMatch(/Tara|bus|A parent/);

    const link = (await h.user('dpo').click('governors.export', { from: '2026-09-02', to: '2026-12-18' })).card!;
    const csv = await (
      await fetch(`${h.server.url}${new URL((link.actions[0] as { url: string }).url).pathname}`)
    ).text();
    expect(csv).toMatch(/"Term","Autumn 2026","2026-09-02 to 2026-12-18"/);
    expect(csv).toMatch(/"Data breaches","Reported","1"/);

    // The day after the term ends, the report goes to both, once.
    h.clock.set('2026-12-19T09:00:00Z');
    await h.app.jobs.tick();
    await h.flush();
    for (const k of ['head', 'dpo'] as const)
      expect(cardText(h.user(k).lastCard())).toMatch(/Autumn 2026 has ended: the figures for the governors/);
    const before = h.user('head').cards().length;
    await h.app.jobs.tick();
    await h.flush();
    expect(h.user('head').cards().length).toBe(before);
  });
});
