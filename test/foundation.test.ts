import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  actionsOf,
  cardText,
  PEOPLE,
  softwareForm,
  startHarness,
  ZOOM,
  type Harness,
  type TestUser,
} from './helpers/harness';

async function submitSoftware(h: Harness, data: Record<string, unknown> = ZOOM) {
  const teacher = h.user('teacher');
  const filled = await softwareForm(teacher, data);
  const res = await teacher.click('software.submit', filled);
  return { teacher, res, formId: filled.formId as string };
}

describe('foundation: the bot over HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('welcomes a person who installs it, and shows the menu on "help" but not on words containing it', async () => {
    const t = h.user('teacher');
    await t.install();
    expect(cardText(t.lastCard())).toContain('Oakfield Primary School');
    const menu = (await t.say('help'))[0]!;
    expect(actionsOf(menu.attachments[0].content).map((a) => a.verb)).toContain('menu.open');
    const other = (await t.say('I need helpful advice about the weather'))[0]!;
    // Not the menu: free text goes to the policy questions, which do not guess.
    expect(actionsOf(other.attachments[0].content).map((a) => a.verb)).not.toContain('menu.open');
    expect(cardText(other.attachments[0].content)).toMatch(/does not seem to answer that/);
  });

  it('answers health and readiness checks', async () => {
    expect((await fetch(`${h.server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.server.url}/readyz`)).status).toBe(200);
  });

  it('refuses bodies over the limit', async () => {
    const res = await fetch(`${h.server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(300_000) }),
    });
    expect(res.status).toBe(413);
  });

  it('routes a request through its stages, tells the requester and updates every approver card', async () => {
    const { teacher, res } = await submitSoftware(h);
    expect(res.status).toBe(200);
    expect(cardText(res.card)).toMatch(/Sent: your reference is SW-2026-0001/);
    await h.user('it').install();
    await h.user('it2').install();
    await h.flush();

    const itCard = h.user('it').lastCard();
    expect(cardText(itCard)).toContain('Step 1 of 2: Security and licence check');
    expect(cardText(h.user('it2').lastCard())).toContain('SW-2026-0001');
    const approve = actionsOf(itCard).find((a) => a.title === 'Approve')!;
    const clicked = await h.user('it').click(approve.verb, approve.data);
    expect(cardText(clicked.card)).toMatch(/Approved by Ian Tech/);
    expect(actionsOf(clicked.card)).toHaveLength(0);

    // The headteacher is named by email: recognised once they talk to the bot.
    await h.user('head').install();
    await h.flush();
    // The welcome and the card owed to the head race on install: take the approver card.
    const headCard = h
      .user('head')
      .cards()
      .find((c) => cardText(c).includes('SW-2026-0001'))!;
    expect(cardText(headCard)).toContain('Step 2 of 2: Written permission');
    // Both IT cards were updated in place for everyone.
    const updates = h.connector.updates();
    expect(updates.map((u) => u.conversationId).sort()).toEqual(
      [h.user('it').conversationId, h.user('it2').conversationId].sort(),
    );
    expect(cardText(updates[0]!.activity.attachments[0].content)).toMatch(/Approved by Ian Tech/);
    expect(cardText(teacher.lastCard())).toMatch(/Your request is with the approvers/);

    const a2 = actionsOf(headCard).find((a) => a.title === 'Approve')!;
    await h.user('head').click(a2.verb, a2.data);
    await h.flush();
    expect(cardText(teacher.lastCard())).toMatch(/Your request is approved/);
    expect(cardText(teacher.lastCard())).toMatch(/Written permission for Tara Teacher: Zoom/);
  });

  it('denies with a reason the requester sees, and refuses a denial without one', async () => {
    const { teacher } = await submitSoftware(h);
    await h.user('it').install();
    await h.flush();
    const deny = actionsOf(h.user('it').lastCard()).find((a) => a.title === 'Deny')!;
    const noReason = await h.user('it').click(deny.verb, { ...deny.data, denyReason: '  ' });
    expect(cardText(noReason.card)).toMatch(/reason/i);
    const r = await h.user('it').click(deny.verb, { ...deny.data, denyReason: 'We already license Teams for this.' });
    expect(cardText(r.card)).toMatch(/Denied by Ian Tech/);
    await h.flush();
    expect(cardText(teacher.lastCard())).toMatch(/not approved/);
    expect(cardText(teacher.lastCard())).toContain('We already license Teams for this.');
  });

  it('makes one request from a form sent twice, and one reply from a message delivered twice', async () => {
    const { teacher, formId } = await submitSoftware(h);
    const again = await teacher.click('software.submit', { formId, ...ZOOM });
    expect(cardText(again.card)).toMatch(/Already sent: your reference is SW-2026-0001/);
    const n = await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM requests');
    expect(n!.n).toBe(1);

    const msg = teacher.activity({ type: 'message', text: 'help' });
    const before = h.connector.to(teacher.conversationId).length;
    await teacher.post(msg);
    await teacher.post(msg);
    expect(h.connector.to(teacher.conversationId).length - before).toBe(1);
  });

  it('records exactly one decision when two approvers click at once', async () => {
    await submitSoftware(h);
    await h.user('it').install();
    await h.user('it2').install();
    await h.flush();
    const a = actionsOf(h.user('it').lastCard()).find((x) => x.title === 'Approve')!;
    const d = actionsOf(h.user('it2').lastCard()).find((x) => x.title === 'Deny')!;
    const [r1, r2] = await Promise.all([
      h.user('it').click(a.verb, a.data),
      h.user('it2').click(d.verb, { ...d.data, denyReason: 'No budget' }),
    ]);
    const texts = [cardText(r1.card), cardText(r2.card)];
    const winner = texts[0]!.includes('Approved by Ian Tech') ? 'approve' : 'deny';
    // Both see the same single outcome.
    for (const t of texts) expect(t).toMatch(winner === 'approve' ? /Approved by Ian Tech/ : /Denied by Isla Tech/);
    const decided = await h.db.all<{ status: string }>(`SELECT status FROM request_stages WHERE idx = 0`);
    expect(decided.map((s) => s.status)).toEqual([winner === 'approve' ? 'approved' : 'denied']);
    const audits = await h.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'decision.%'`);
    expect(audits).toHaveLength(1);
  });

  it('refuses and audits a forged click by someone who is not an approver, changing nothing', async () => {
    const { teacher } = await submitSoftware(h);
    await h.user('it').install();
    await h.flush();
    const a = actionsOf(h.user('it').lastCard()).find((x) => x.title === 'Approve')!;
    const forged = await h.user('other').click(a.verb, a.data);
    expect(cardText(forged.card)).toMatch(/Only the IT technician can decide/);
    const self = await teacher.click(a.verb, a.data);
    expect(cardText(self.card)).toMatch(/Only the IT technician can decide/);
    const s = await h.db.get<{ status: string }>('SELECT status FROM request_stages WHERE idx = 0');
    expect(s!.status).toBe('pending');
    const refused = await h.db.all<{ actor_id: string }>(
      `SELECT actor_id FROM audit_log WHERE action = 'decision.refused'`,
    );
    expect(refused.map((r) => r.actor_id).sort()).toEqual([h.user('other').aad, teacher.aad].sort());
  });

  it('answers malformed card data with a clear message and stores nothing', async () => {
    const teacher = h.user('teacher');
    await teacher.install();
    const r1 = await teacher.click('requests.decide', { requestId: 'not-a-uuid', stage: 0, decision: 'approve' });
    expect(cardText(r1.card)).toMatch(/Please check requestId/);
    const r2 = await teacher.click('software.submit', {
      formId: '6f1c1d6e-1111-4111-8111-111111111111',
      name: 'Zoom',
      isAdmin: true,
    });
    expect(cardText(r2.card)).toMatch(/Please check the form/);
    expect(r2.card!.body.find((b: any) => b.id === 'name')?.value).toBe('Zoom');
    const r3 = await teacher.click('software.submit', {
      formId: '6f1c1d6e-1111-4111-8111-111111111112',
      nested: { a: 1 },
    });
    expect(cardText(r3.card)).toMatch(/out of date|check/);
    const n = await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM requests');
    expect(n!.n).toBe(0);
  });

  it('loses nothing when the process restarts between submit and decision', async () => {
    const { teacher } = await submitSoftware(h);
    await h.restart();
    await h.user('it').install();
    await h.flush();
    const a = actionsOf(h.user('it').lastCard()).find((x) => x.title === 'Approve')!;
    await h.restart();
    const r = await h.user('it').click(a.verb, a.data);
    expect(cardText(r.card)).toMatch(/Approved by Ian Tech/);
    await h.flush();
    expect(cardText(teacher.lastCard())).toMatch(/with the approvers/);
  });

  it('lets the requester answer a question and withdraw; lists mine and what waits for an approver', async () => {
    const { teacher } = await submitSoftware(h);
    await h.user('it').install();
    await h.flush();
    const ask = actionsOf(h.user('it').lastCard()).find((x) => x.title === 'Send question')!;
    await h.user('it').click(ask.verb, { ...ask.data, infoQuestion: 'Which year groups?' });
    await h.flush();
    const q = teacher.lastCard();
    expect(cardText(q)).toContain('Which year groups?');
    const send = actionsOf(q).find((x) => x.verb === 'requests.answer')!;
    await teacher.click(send.verb, { ...send.data, answer: 'Years 5 and 6' });
    await h.flush();
    // The approver's card, updated in place, shows the answer.
    expect(cardText(h.user('it').lastCard())).toContain('Years 5 and 6');

    const waiting = (await h.user('it').say('waiting for me'))[0]!.attachments[0].content;
    expect(cardText(waiting)).toContain('SW-2026-0001');
    const mine = (await teacher.say('my requests'))[0]!.attachments[0].content;
    const open = actionsOf(mine).find((x) => x.verb === 'requests.open')!;
    const status = await teacher.click(open.verb, open.data);
    // Opened from the list, the card leads back to it.
    const back = actionsOf(status.card).find((x) => x.title === 'Back to the list')!;
    expect(back).toMatchObject({ verb: 'requests.list', data: { list: 'mine' } });
    expect(cardText((await teacher.click(back.verb, back.data)).card)).toContain('SW-2026-0001');
    const fromWaiting = actionsOf(waiting).find((x) => x.verb === 'requests.open')!;
    const asApprover = await h.user('it').click(fromWaiting.verb, fromWaiting.data);
    expect(actionsOf(asApprover.card).find((x) => x.title === 'Back to the list')?.data).toEqual({ list: 'waiting' });
    const withdraw = actionsOf(status.card).find((x) => x.verb === 'requests.withdraw')!;
    const w = await teacher.click(withdraw.verb, withdraw.data);
    expect(cardText(w.card)).toMatch(/You withdrew this request/);
    await h.flush();
    const approverCard = h
      .user('it')
      .cards()
      .find((c) => /Step 1 of/.test(cardText(c)));
    expect(cardText(approverCard)).toMatch(/Withdrawn by the requester/);
  });
});

const PG = process.env.DATABASE_URL;

describe.skipIf(!PG)('foundation on PostgreSQL (DATABASE_URL)', () => {
  it('routes, decides exactly once under concurrent clicks, and survives a restart', async () => {
    const h = await startHarness({ databaseUrl: PG });
    try {
      expect(h.db.dialect).toBe('postgres');
      const { teacher } = await submitSoftware(h);
      await h.user('it').install();
      await h.user('it2').install();
      await h.flush();
      await h.restart();
      // The approver card and the welcome card race on install: take the card that has the button.
      const approveOn = (u: TestUser) =>
        u
          .cards()
          .map((c) => actionsOf(c).find((x) => x.title === 'Approve'))
          .filter(Boolean)
          .at(-1)!;
      const a = approveOn(h.user('it'));
      const b = approveOn(h.user('it2'));
      await Promise.all([
        h.user('it').click(a.verb, a.data),
        h.user('it2').click(b.verb, b.data),
        h.user('it').click(a.verb, a.data),
      ]);
      const audits = await h.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'decision.%'`);
      expect(audits).toHaveLength(1);
      await h.user('head').install();
      await h.flush();
      const c = actionsOf(h.user('head').lastCard()).find((x) => x.title === 'Approve')!;
      await h.user('head').click(c.verb, c.data);
      await h.flush();
      expect(cardText(teacher.lastCard())).toMatch(/Your request is approved/);
      expect((await teacher.say('is Zoom approved?'))[0]!.text).toMatch(/Zoom is approved/i);
    } finally {
      await h.close();
    }
  });
});

describe.skipIf(!PG)('PostgreSQL going away (DATABASE_URL)', () => {
  it('survives a session ended in the middle of a transaction, and fails only that transaction', async () => {
    const { PostgresDb } = await import('../src/store/postgres');
    const db = new PostgresDb(PG!);
    const admin = new (await import('pg')).default.Client({ connectionString: PG });
    await admin.connect();
    try {
      const attempt = db.transaction(async (tx) => {
        const row = await tx.get<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // Only this session is ended (not the other test files'), between two of its queries.
        await admin.query('SELECT pg_terminate_backend($1)', [row!.pid]);
        await new Promise((r) => setTimeout(r, 300));
        return tx.get('SELECT 1 AS one');
      });
      await expect(attempt).rejects.toThrow();
      // The pool opens a new session for the next one.
      expect(await db.get<{ one: number }>('SELECT 1 AS one')).toEqual({ one: 1 });
    } finally {
      await admin.end();
      await db.close();
    }
  });

  it('keeps the process up when the database ends its sessions, and recovers by itself', async () => {
    // Its sessions are named, so that only they are ended: other test files share the database.
    const url = new URL(PG!);
    url.searchParams.set('application_name', 'bot-going-away');
    const h = await startHarness({ databaseUrl: url.toString() });
    const admin = new (await import('pg')).default.Client({ connectionString: PG });
    await admin.connect();
    try {
      const t = h.user('teacher');
      await t.install();
      expect((await t.say('help')).length).toBe(1);
      // A failover, or an administrator: every session of the bot is terminated.
      const ended = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'bot-going-away'",
      );
      expect(ended.rowCount).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 200));
      // Every request is answered (or cleanly refused), and the bot is soon serving again.
      const ready = await fetch(`${h.server.url}/readyz`);
      expect([200, 503]).toContain(ready.status);
      for (let i = 0; i < 5; i++) {
        const r = await t.post(t.activity({ type: 'message', text: 'help' }));
        expect(r.status).toBeLessThan(500);
      }
      expect((await fetch(`${h.server.url}/readyz`)).status).toBe(200);
      expect((await t.say('menu')).length).toBe(1);
    } finally {
      await admin.end();
      await h.close();
    }
  });
});

describe('a role named by email', () => {
  it('moves with the email: the old holder is refused at the next click, the new one may decide', async () => {
    const h = await startHarness();
    try {
      const { teacher } = await submitSoftware(h);
      for (const k of ['it', 'head', 'other'] as const) await h.user(k).install();
      await h.flush();
      const it = actionsOf(h.user('it').lastCard()).find((x) => x.title === 'Approve')!;
      await h.user('it').click(it.verb, it.data);
      await h.flush();
      const approve = actionsOf(h.user('head').lastCard()).find((x) => x.title === 'Approve')!;
      expect(approve).toBeDefined();

      // IT gives head@ to Owen; Helen keeps her account under another address.
      const helen = h.connector.members.get(`29:${PEOPLE.head.aad}`)!;
      const owen = h.connector.members.get(`29:${PEOPLE.other.aad}`)!;
      helen.email = helen.userPrincipalName = 'helen.former@oakfield.example';
      owen.email = owen.userPrincipalName = PEOPLE.head.email;

      const refused = await h.user('head').click(approve.verb, approve.data);
      expect(cardText(refused.card)).not.toMatch(/approved/i);
      expect((await h.db.get<{ status: string }>(`SELECT status FROM requests`))!.status).toBe('pending');

      // The daily look-up gives Owen the address (and the role) before he clicks anything.
      h.clock.advance(25 * 3600_000);
      await h.app.jobs.tick();
      const row = await h.db.get<{ email: string }>(`SELECT email FROM users WHERE aad_id = ?`, [PEOPLE.other.aad]);
      expect(row!.email).toBe(PEOPLE.head.email);
      await h.user('other').click(approve.verb, approve.data);
      await h.flush();
      expect((await h.db.get<{ status: string }>(`SELECT status FROM requests`))!.status).toBe('approved');
      expect(cardText(teacher.lastCard())).toMatch(/approved/i);
    } finally {
      await h.close();
    }
  });
});
