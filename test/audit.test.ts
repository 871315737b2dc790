import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../src/clock';
import { verifyAudit, type AuditRow } from '../src/store/audit';
import { actionsOf, cardText, softwareForm, startHarness, type Harness } from './helpers/harness';

const PG = process.env.DATABASE_URL;
const SCHOOL = 'oakfield';

/** A day of work: a software request approved by IT, a click by someone who may not decide, a breach report. */
async function someHistory(h: Harness): Promise<void> {
  const teacher = h.user('teacher');
  for (const k of ['teacher', 'it', 'dpo', 'head', 'sbm'] as const) await h.user(k).install();
  await teacher.click('software.submit', await softwareForm(teacher));
  await h.flush();
  const approve = actionsOf(h.user('it').lastCard()).find((a) => a.title === 'Approve')!;
  await teacher.click(approve.verb, approve.data); // refused: the teacher is not IT
  await h.user('it').click(approve.verb, approve.data);
  await h.flush();
  const replies = await teacher.say('report a breach');
  const b = replies.flatMap((r) => actionsOf(r.attachments?.[0]?.content)).find((a) => a.verb === 'breach.submit')!;
  await teacher.click(b.verb, {
    ...b.data,
    category: 'wrong-recipient',
    description: 'Sent the class list to the wrong parent.',
    dataKinds: 'ordinary',
    peopleCount: '1',
  });
  await h.flush();
}

describe('the audit trail is tamper-evident', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await someHistory(h);
  });
  afterEach(async () => {
    await h.close();
  });

  const rows = () => h.db.all<AuditRow>(`SELECT * FROM audit_log ORDER BY seq`);

  it('finds each of seven edits made with database access, and is intact without them', async () => {
    const clean = await verifyAudit(h.db, SCHOOL);
    expect(clean.problems).toEqual([]);
    const all = await rows();
    expect(all.length).toBeGreaterThanOrEqual(4);
    const seq = (action: RegExp) => all.find((r) => action.test(r.action))!.seq!;
    const decided = seq(/^decision\.(approved|stage_approved|approve)/);
    const refused = seq(/^decision\.refused$/);
    const reported = seq(/^breach\.reported$/);
    const last = all.at(-1)!.seq!;
    const heads = await h.db.all<{ school_id: string; seq: number; hash: string }>(`SELECT * FROM audit_heads`);

    const edits: Array<[string, string[]]> = [
      ['who approved', [`UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = ${decided}`]],
      ['the decision', [`UPDATE audit_log SET action = 'decision.denied' WHERE seq = ${decided}`]],
      ['a refused click deleted', [`DELETE FROM audit_log WHERE seq = ${refused}`]],
      ['a row back-dated', [`UPDATE audit_log SET at = at - ${DAY} WHERE seq = ${decided}`]],
      [
        'a forged row inserted',
        [
          `INSERT INTO audit_log (at, school_id, actor_id, action, subject, detail) VALUES (1, '${SCHOOL}', 'x', 'decision.approved', 'SW-1', '{}')`,
        ],
      ],
      [
        'a forged row appended with a number',
        [
          `INSERT INTO audit_log (at, school_id, actor_id, action, subject, detail, seq, prev_hash, hash) VALUES (1, '${SCHOOL}', 'x', 'decision.approved', 'SW-1', '{}', ${last + 1}, 'x', 'y')`,
        ],
      ],
      ['breach history rewritten', [`UPDATE audit_log SET detail = '{"peopleCount":0}' WHERE seq = ${reported}`]],
      ['the last rows truncated', [`DELETE FROM audit_log WHERE seq >= ${last - 1}`]],
    ];
    for (const [what, sql] of edits) {
      for (const s of sql) await h.db.run(s);
      const check = await verifyAudit(h.db, SCHOOL);
      expect(check.problems.length, what).toBeGreaterThan(0);
      // Put the history back as it was for the next edit.
      await h.db.run(`DELETE FROM audit_log`);
      for (const r of all)
        await h.db.run(
          `INSERT INTO audit_log (id, at, school_id, actor_id, action, subject, detail, seq, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [r.id, r.at, r.school_id, r.actor_id, r.action, r.subject, r.detail, r.seq, r.prev_hash, r.hash],
        );
      for (const x of heads)
        await h.db.run(`UPDATE audit_heads SET seq = ?, hash = ? WHERE school_id = ?`, [x.seq, x.hash, x.school_id]);
      expect((await verifyAudit(h.db, SCHOOL)).problems, `restored after ${what}`).toEqual([]);
    }
  });

  it('tells the DPO the next day when the trail was altered, and only then', async () => {
    const dpo = h.user('dpo');
    await h.app.jobs.tick();
    await h.flush();
    const before = dpo.cards().length;
    const texts = () => h.connector.to(dpo.conversationId).map((r) => String(r.activity.text ?? ''));
    expect(texts().some((t) => /audit trail/.test(t))).toBe(false);
    await h.db.run(`UPDATE audit_log SET actor_id = 'someone-else' WHERE action LIKE 'decision.%'`);
    h.clock.advance(DAY);
    await h.app.jobs.tick();
    await h.flush();
    const alert = texts().find((t) => /audit trail .* has been altered/.test(t));
    expect(alert).toMatch(/was changed after it was written/);
    expect(dpo.cards().length).toBe(before);
    // Once a day, not on every tick.
    await h.app.jobs.tick();
    await h.flush();
    expect(texts().filter((t) => /has been altered/.test(t))).toHaveLength(1);
    expect(cardText(h.user('teacher').lastCard())).not.toMatch(/audit/);
  });
});

describe('what is audited', () => {
  it('records who asked a policy question and who opened a request, without what they typed', async () => {
    const h = await startHarness();
    try {
      await someHistory(h);
      const teacher = h.user('teacher');
      await teacher.say('how long should my password be?');
      const req = (await h.db.get<{ id: string }>(`SELECT id FROM requests`))!;
      await teacher.click('requests.open', { requestId: req.id });
      const rows = await h.db.all<AuditRow>(
        `SELECT * FROM audit_log WHERE action IN ('policy.asked', 'request.viewed') ORDER BY seq`,
      );
      expect(rows.map((r) => [r.action, r.actor_id])).toEqual([
        ['policy.asked', teacher.aad],
        ['request.viewed', teacher.aad],
      ]);
      expect(rows[0]!.detail).not.toMatch(/password/);
      expect(JSON.parse(rows[1]!.detail)).toEqual({ ref: 'SW-2026-0001', as: 'requester' });
      expect((await verifyAudit(h.db, SCHOOL)).problems).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe.skipIf(!PG)('the audit trail on PostgreSQL', () => {
  it('refuses to change, delete or truncate an entry, and chains entries written at the same time', async () => {
    const h = await startHarness({ databaseUrl: PG });
    try {
      await someHistory(h);
      await expect(h.db.run(`UPDATE audit_log SET actor_id = 'x'`)).rejects.toThrow(/append-only/);
      await expect(h.db.run(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
      await expect(h.db.run(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
      const { audit } = await import('../src/store/audit');
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          audit(h.db, { at: i, schoolId: SCHOOL, actorId: 'a', action: 'test.parallel', subject: `s${i}` }),
        ),
      );
      const check = await verifyAudit(h.db, SCHOOL);
      expect(check.problems).toEqual([]);
      expect(check.entries).toBe(Number((await h.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM audit_log`))!.n));
    } finally {
      await h.close();
    }
  });
});
