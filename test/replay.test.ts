import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionsOf, startHarness, TEST_CONFIG, type Harness, type TestUser } from './helpers/harness';

/** Every table's row count but the ledger's own: what an effect changes. */
async function fingerprint(h: Harness): Promise<Record<string, number>> {
  const tables = await h.db.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'processed_activities'",
  );
  const out: Record<string, number> = {};
  for (const t of tables) out[t.name] = (await h.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.name}`))!.n;
  return out;
}

/**
 * Delivers one click twice in a row, then another click 20 times at once (Teams re-sends the same
 * activity when the bot is slow; a double tap sends two). Each activity has one effect, and every
 * delivery of it gets the same answer.
 */
async function replays(h: Harness, u: TestUser, verb: string, data: () => Record<string, unknown>, table: string) {
  const once = u.clickActivity(verb, data());
  const before = await fingerprint(h);
  const first = await u.post(once);
  expect(first.status).toBe(200);
  const after = await fingerprint(h);
  expect(after[table]).toBe(before[table]! + 1);
  const again = await u.post(once);
  expect(again).toEqual(first);
  expect(await fingerprint(h)).toEqual(after);

  const burst = u.clickActivity(verb, data());
  const answers = await Promise.all(Array.from({ length: 20 }, () => u.post(burst)));
  for (const a of answers) expect(a).toEqual(answers[0]);
  expect((await fingerprint(h))[table]).toBe(after[table]! + 1);
}

describe('a card click delivered again changes nothing and gets the same answer', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      yaml: TEST_CONFIG.replace('acknowledgement: { enabled: false }', 'acknowledgement: { enabled: true }'),
    });
    for (const k of ['teacher', 'sbm', 'head', 'dpo', 'it', 'it2', 'office'] as const) await h.user(k).install();
  });
  afterEach(async () => {
    await h.close();
  });

  async function breachAcknowledged(): Promise<string> {
    const t = h.user('teacher');
    const form = (await t.say('report a breach'))[0]!.attachments[0].content;
    const submit = actionsOf(form).find((a) => a.verb === 'breach.submit')!;
    await t.click(submit.verb, {
      ...submit.data,
      category: 'wrong-recipient',
      description: 'Sent the class list to the wrong parent.',
      dataKinds: 'ordinary',
      peopleCount: '1',
    });
    await h.flush();
    const ack = actionsOf(h.user('sbm').lastCard()).find((a) => a.title === 'Acknowledge')!;
    await h.user('sbm').click(ack.verb, ack.data);
    return String(ack.data.breachId);
  }

  it('breach.assess and breach.action (versions written once)', async () => {
    const breachId = await breachAcknowledged();
    let n = 0;
    await replays(
      h,
      h.user('sbm'),
      'breach.assess',
      () => ({ breachId, risk: 'risk', riskNotes: `Reasons ${++n}` }),
      'breach_versions',
    );
    await replays(
      h,
      h.user('sbm'),
      'breach.action',
      () => ({ breachId, actionText: `Asked the parent to delete it (${++n})` }),
      'breach_versions',
    );
  });

  it('breach.export (one link made)', async () => {
    await breachAcknowledged();
    await replays(h, h.user('sbm'), 'breach.export', () => ({}), 'export_links');
  });

  it('approval.decide asking for more information (one question, one message)', async () => {
    const t = h.user('teacher');
    const form = (await t.say('install software'))[0]!.attachments[0].content;
    const submit = actionsOf(form).find((a) => a.verb === 'software.submit')!;
    await t.click(submit.verb, {
      ...submit.data,
      name: 'Padlet',
      purpose: 'Class walls',
      devices: 'online',
      personalData: 'no',
      outsideUk: 'no',
    });
    await h.flush();
    const approve = actionsOf(h.user('it').lastCard()).find((a) => a.title === 'Approve')!;
    let n = 0;
    await replays(
      h,
      h.user('it'),
      'requests.decide',
      () => ({
        requestId: approve.data.requestId,
        stage: 0,
        decision: 'info',
        infoQuestion: `Which year groups? (${++n})`,
      }),
      'request_notes',
    );
  });

  it('consent.record (one history row)', async () => {
    const office = h.user('office');
    await office.sendFile(
      'r.csv',
      'Adno,Forename,Surname,Year,Reg Group,Consent Date,Website,Prospectus,Video,Learning Platform,Display Inside,Display Outside,Press,Social Media\r\n3001,Lena,Fischer,2,2A,01/09/2026,Yes,Yes,Yes,Yes,Yes,Yes,Yes,Yes',
    );
    let n = 0;
    await replays(
      h,
      office,
      'consent.record',
      () => ({
        name: 'Lena Fischer',
        use: 'press',
        status: ++n % 2 ? 'withdrawn' : 'given',
        receivedOn: '2026-11-20',
        how: 'letter',
      }),
      'consent_changes',
    );
  });

  it('keeps a stored answer a day (cards hold what people reported), and still does not repeat the click', async () => {
    await breachAcknowledged();
    const sbm = h.user('sbm');
    const once = sbm.clickActivity('breach.export', {});
    const first = await sbm.post(once);
    expect(JSON.stringify(first.body)).toMatch(/Breach log export/);
    h.clock.advance(25 * 3_600_000);
    await sbm.click('breach.export', {}); // any later click drops answers older than a day
    const stored = await h.db.all<{ response: string | null }>(
      'SELECT response FROM processed_activities WHERE response IS NOT NULL',
    );
    expect(stored.some((r) => r.response!.includes('Breach log export'))).toBe(true); // only the new one
    expect(stored.length).toBe(1);
    const before = await fingerprint(h);
    const replay = await sbm.post(once);
    expect(JSON.stringify(replay.body)).toMatch(/This was already done\. Nothing more was changed\./);
    expect(await fingerprint(h)).toEqual(before);
  });

  it('ack.confirm (one confirmation)', async () => {
    await h.user('teacher').say('how long should my password be?'); // the policy is read, and its version recorded
    const v = (await h.db.get<{ policy_id: string; hash: string }>('SELECT policy_id, hash FROM policy_versions'))!;
    await replays(
      h,
      h.user('teacher'),
      'acknowledgement.confirm',
      () => ({ policyId: v.policy_id, hash: v.hash }),
      'acknowledgements',
    );
  });

  it('ack.export (one link made), breach.open and menu.open (nothing changed)', async () => {
    await replays(h, h.user('head'), 'acknowledgement.export', () => ({}), 'export_links');
    const breachId = await breachAcknowledged();
    // Through the harness's click, which re-sends each click and checks the answers and the database.
    await h.user('sbm').click('breach.open', { breachId });
    await h.user('teacher').click('menu.open', { flow: 'breach' });
    expect([...h.replayed]).toEqual(expect.arrayContaining(['breach.open', 'menu.open']));
  });
});
