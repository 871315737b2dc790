import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionsOf, cardText, PEOPLE, softwareForm, startHarness, type Harness } from './helpers/harness';

describe("a person's own data, for a subject access request", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('lets the DPO find a person and download, once, everything the bot holds about them', async () => {
    const t = h.user('teacher');
    const form = await softwareForm(t);
    const sent = await t.click('software.submit', form);
    expect(cardText(sent.card)).toMatch(/SW-2026-0001/);
    await t.say('how long must my password be?');
    const other = h.user('other');
    await other.install();
    await other.say('can I write my password down?');

    // Nobody but the DPO or the headteacher may.
    const refused = (await t.say('personal data'))[0]!;
    expect(`${refused.text ?? ''} ${cardText(refused.attachments?.[0]?.content)}`).toMatch(
      /Only the school's DPO or headteacher/,
    );
    expect(cardText((await t.click('subject-access.export', { aadId: PEOPLE.other.aad })).card)).toMatch(
      /Only the school's DPO or headteacher/,
    );

    const dpo = h.user('dpo');
    await dpo.install();
    const start = (await dpo.say('personal data'))[0]!.attachments[0].content;
    expect(cardText(start)).toMatch(/subject access request/);
    const none = (await dpo.click('subject-access.find', { query: 'Nobody Here' })).card!;
    expect(cardText(none)).toMatch(/Nobody the bot knows matches "Nobody Here"/);
    const found = (await dpo.click('subject-access.find', { query: 'tara' })).card!;
    expect(cardText(found)).toContain('Tara Teacher');
    const exportIt = actionsOf(found).find((a) => a.verb === 'subject-access.export')!;
    expect(exportIt.data).toEqual({ aadId: PEOPLE.teacher.aad });
    const link = (await dpo.click(exportIt.verb, exportIt.data)).card!;
    expect(cardText(link)).toMatch(/What the bot holds about Tara Teacher/);
    const url = new URL((link.actions[0] as { url: string }).url);
    const res = await fetch(`${h.server.url}${url.pathname}`);
    expect(res.status).toBe(200);
    const csv = (await res.text()).replace(/^\ufeff/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('"when","what","where","record"');
    expect(csv).toMatch(/"A request they made","approvals\/requests",".*SW-2026-0001/);
    expect(csv).toMatch(/"A policy question they asked","policy\/policy_answers",".*how long must my password be/);
    expect(csv).toMatch(/"Name and email the bot knows","directory\/users"/);
    // Every row says when, in ISO 8601 with the school's offset.
    for (const l of lines.slice(1).filter((x) => !x.startsWith('"",'))) expect(l).toMatch(/^"\d{4}-\d\d-\d\dT/);
    // Only this person: the other's question is not in it.
    expect(csv).not.toContain('write my password down');
    expect((await fetch(`${h.server.url}${url.pathname}`)).status).toBe(410);
  });

  it('erases what may be erased, keeps what the law lets the school keep and says why, and refuses a role holder', async () => {
    const t = h.user('teacher');
    await t.click('software.submit', await softwareForm(t));
    await t.say('how long must my password be?');
    await t.say('can I write my password down?');
    const other = h.user('other');
    await other.install();
    await other.say('can I write my password down?');
    const dpo = h.user('dpo');
    await dpo.install();

    // First what would happen: nothing is erased yet.
    const check = (await dpo.click('subject-access.erase-check', { aadId: t.aad })).card!;
    const text = cardText(check);
    expect(text).toMatch(/Deleted .*A policy question they asked: 2 records/s);
    expect(text).toMatch(
      /Kept, and why .*A request they made: 1 record, because the school's record of what it allowed/s,
    );
    expect(text).toMatch(
      /Something they did, or that was done about them: \d+ records, because the audit trail is kept whole/,
    );
    const count = async (sql: string) => Number((await h.db.get<{ n: number }>(sql, [t.aad]))!.n);
    expect(await count('SELECT COUNT(*) AS n FROM policy_answers WHERE asker_id = ?')).toBe(2);

    // A teacher cannot; confirmed by the DPO, it happens in full and is audited.
    expect(cardText((await t.click('subject-access.erase', { aadId: PEOPLE.other.aad })).card)).toMatch(
      /Only the school's DPO or headteacher/,
    );
    const erase = actionsOf(check).find((a) => a.verb === 'subject-access.erase')!;
    const done = (await dpo.click(erase.verb, erase.data)).card!;
    expect(cardText(done)).toMatch(
      /Erased what the bot held about Tara Teacher.*Deleted now .*A policy question they asked: 2 records/s,
    );
    expect(await count('SELECT COUNT(*) AS n FROM policy_answers WHERE asker_id = ?')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM requests WHERE requester_id = ?')).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'person.erased' AND subject = ?")).toBe(1);
    // Someone else's questions are untouched.
    expect(
      Number(
        (await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM policy_answers WHERE asker_id = ?', [other.aad]))!.n,
      ),
    ).toBe(1);

    // A role holder is refused until someone else holds the role.
    await h.user('it').install();
    expect(cardText((await dpo.click('subject-access.erase-check', { aadId: PEOPLE.it.aad })).card)).toMatch(
      /Ian Tech holds a role in the bot \(IT technician, E-safety coordinator\).*Nothing was erased/,
    );
  });
});
