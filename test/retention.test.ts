import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../src/clock';
import { actionsOf, cardText, softwareForm, startHarness, TEST_CONFIG, type Harness } from './helpers/harness';

/** The school keeps policy questions 30 days, and asks (wrongly) for breach records to go after 30 days too. */
const YAML = TEST_CONFIG.replace(
  '    requestTypes:',
  '    retention: { policyQuestions: 30, breaches: 30 }\n    requestTypes:',
);

const count = async (h: Harness, table: string) =>
  Number((await h.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n);

describe('retention', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ yaml: YAML });
  });
  afterEach(async () => {
    await h.close();
  });

  it('deletes each kind of record past its period, keeps breach records their legal minimum, and keeps a register', async () => {
    const t = h.user('teacher');
    await t.say('how long must my password be?');
    const sent = await t.click('software.submit', await softwareForm(t));
    const requestId = actionsOf(sent.card).find((a) => a.verb === 'requests.withdraw')?.data.requestId as string;
    await t.click('requests.withdraw', { requestId });
    // A closed breach and an open one, as the breach flow leaves them.
    const now = h.clock.now();
    for (const [id, closed] of [
      ['b-closed', now],
      ['b-open', null],
    ] as const)
      await h.db.run(
        `INSERT INTO breaches (id, school_id, ref, form_key, reporter_id, created_at, aware_at, status, closed_at, version, record) VALUES (?, 'oakfield', ?, ?, 'x', ?, ?, ?, ?, 1, '{}')`,
        [id, id, id, now, now, closed ? 'closed' : 'reported', closed],
      );
    expect(await count(h, 'policy_answers')).toBe(1);

    // A day later nothing is old enough.
    h.clock.advance(DAY);
    await h.app.jobs.tick();
    expect(await count(h, 'policy_answers')).toBe(1);

    // Past the school's 30 days: the question goes. The withdrawn request (six years) and both
    // breach records (a closed one at least six years, whatever the YAML says; an open one never) stay.
    h.clock.advance(31 * DAY);
    await h.app.jobs.tick();
    expect(await count(h, 'policy_answers')).toBe(0);
    expect(await count(h, 'requests')).toBe(1);
    expect(await count(h, 'breaches')).toBe(2);
    // Once a day: another pass the same day deletes nothing more and records nothing more.
    await h.app.jobs.tick();
    expect(await count(h, 'retention_log')).toBe(1);

    // Seven years on, the withdrawn request goes with its steps and notes, and the closed breach
    // with its versions; the open breach is still there.
    h.clock.advance(7 * 365 * DAY);
    await h.app.jobs.tick();
    expect(await count(h, 'requests')).toBe(0);
    expect(await count(h, 'request_stages')).toBe(0);
    expect((await h.db.all<{ id: string }>('SELECT id FROM breaches')).map((b) => b.id)).toEqual(['b-open']);

    const dpo = h.user('dpo');
    await dpo.install();
    const card = (await dpo.say('retention'))[0]!.attachments[0].content;
    expect(cardText(card)).toMatch(
      /Policy questions staff asked, and the answers shown: 30 days \(set by the school\)/,
    );
    expect(cardText(card)).toMatch(/the school asked for 30 days, but these must be kept at least 6 years/);
    expect(cardText(card)).toMatch(/1 × Policy questions staff asked/);
    const link = (await dpo.click('retention.export', {})).card!;
    const csv = await (
      await fetch(`${h.server.url}${new URL((link.actions[0] as { url: string }).url).pathname}`)
    ).text();
    expect(csv).toMatch(/"policyQuestions","1"/);
    expect(csv).toMatch(/"requests","1"/);
    expect(csv).toMatch(/"breaches","1"/);
    // Every deletion is in the audit trail too.
    expect(await count(h, "audit_log WHERE action = 'retention.deleted'")).toBe(3);
    // Only the DPO and the headteacher see it.
    const refused = (await t.say('retention'))[0]!;
    expect(`${refused.text ?? ''} ${cardText(refused.attachments?.[0]?.content)}`).toMatch(
      /for the DPO and the headteacher/,
    );
  });
});
