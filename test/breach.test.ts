import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, fromSchoolTime, formatSchoolTime } from '../src/clock';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadConfig } from '../src/config';
import {
  actionsOf,
  cardText,
  PEOPLE,
  startHarness,
  TENANT,
  TEST_CONFIG,
  type Harness,
  type TestUser,
} from './helpers/harness';

const stolenLaptop = {
  category: 'lost-stolen',
  description: 'My school laptop was stolen from my car outside the leisure centre.',
  whose: 'pupils,staff',
  dataKinds: 'ordinary,health',
  peopleCount: '11-100',
  protected: 'yes',
  contained: 'no',
  involvement: 'involved',
};

async function report(who: TestUser, data: Record<string, unknown>) {
  await who.install();
  const form = (await who.say('report a breach'))[0]!.attachments[0].content;
  const submit = actionsOf(form).find((a) => a.verb === 'breach.submit')!;
  return who.click('breach.submit', { ...submit.data, ...data });
}

const click = async (u: TestUser, title: string, extra: Record<string, unknown> = {}) => {
  const a = actionsOf(u.lastCard()).find((x) => x.title === title);
  if (!a) throw new Error(`no "${title}" on ${u.key}'s card: ${actionsOf(u.lastCard()).map((x) => x.title)}`);
  return u.click(a.verb, { ...a.data, ...extra });
};

describe('report a breach', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    for (const k of ['sbm', 'head', 'dpo', 'it', 'other'] as const) await h.user(k).install();
  });
  afterEach(async () => {
    await h.close();
  });

  it('takes a report to closed: receipt, alert, acknowledge, assess, ICO decision, close, each a new version', async () => {
    const teacher = h.user('teacher');
    const r = await report(teacher, {
      category: 'wrong-recipient',
      description: 'I emailed a pupil report to the wrong parent.',
      dataKinds: 'ordinary',
      peopleCount: '1',
    });
    const receipt = cardText(r.card);
    expect(receipt).toMatch(/Your report is BR-2026-0001/);
    expect(receipt).toMatch(/recall it in Outlook/);
    expect(receipt).toMatch(/Do not try to put it right yourself/);
    await h.flush();

    // The default handler is the data compliance officer (held by the SBM in the test school).
    const sbm = h.user('sbm');
    const alert = sbm.lastCard();
    expect(cardText(alert)).toMatch(/Data breach report BR-2026-0001/);
    expect(cardText(alert)).toMatch(/I emailed a pupil report to the wrong parent\./);
    expect(cardText(alert)).toMatch(/Decide whether to tell the ICO by Fri 27 Nov 2026, 10:00 \(72 hours left\)/);
    expect(
      h
        .user('head')
        .cards()
        .some((c) => cardText(c).includes('BR-2026-0001')),
    ).toBe(false);

    await click(sbm, 'Acknowledge');
    const early = await click(sbm, 'Record decision', {
      notifyIco: 'no',
      icoReason: 'x',
      tellAffected: 'no',
      affectedReason: 'x',
    }).catch(() => undefined);
    expect(early).toBeUndefined(); // no decision button before the risk is assessed
    await h.flush();
    await click(sbm, 'Save assessment', {
      risk: 'unlikely',
      riskNotes: 'One parent, who deleted it and confirmed in writing.',
    });
    await h.flush();
    const decided = await click(sbm, 'Record decision', {
      notifyIco: 'no',
      icoReason: 'Risk unlikely: deleted unread.',
      tellAffected: 'no',
      affectedReason: 'No risk to the family.',
    });
    expect(cardText(decided.card)).toMatch(/Not reported to the ICO \(decided by Sam Business/);
    await h.flush();
    const closed = await click(sbm, 'Close the report', {
      closingSummary: 'Autocomplete turned off for parent emails; staff reminded.',
    });
    expect(cardText(closed.card)).toMatch(/Closed/);
    expect(actionsOf(closed.card)).toHaveLength(0);
    await h.flush();
    expect(teacher.cards().length + h.connector.to(teacher.conversationId).length).toBeGreaterThan(0);
    expect(h.connector.to(teacher.conversationId).at(-1)!.activity.text).toMatch(
      /BR-2026-0001 has been dealt with and closed/,
    );
    // One progress card followed the report in place, and shows its steps, never the handlers' notes.
    const progress = teacher.cards().filter((c) => /Your breach report BR-2026-0001/.test(cardText(c)));
    expect(progress).toHaveLength(1);
    expect(cardText(progress[0])).toMatch(/✓ Taken up .*✓ Risk to people assessed.*✓ Closed, /s);
    expect(cardText(progress[0])).not.toMatch(/Autocomplete/);

    const versions = await h.db.all<{ version: number; change: string }>(
      'SELECT version, change FROM breach_versions ORDER BY version',
    );
    expect(versions.map((v) => v.change)).toEqual(['reported', 'acknowledged', 'assessed', 'ico-decision', 'closed']);
    // Nothing is overwritten: version 1 still holds the report as it was sent.
    expect(
      JSON.parse((await h.db.get<{ record: string }>('SELECT record FROM breach_versions WHERE version = 1'))!.record)
        .status,
    ).toBe('reported');

    const again = await click(sbm, 'Acknowledge').catch((e) => e);
    expect(again).toBeInstanceOf(Error); // a closed card has no buttons left
  });

  it('routes by the report: a stolen laptop with health data also goes to the headteacher and the DPO', async () => {
    await report(h.user('teacher'), stolenLaptop);
    await h.flush();
    for (const k of ['sbm', 'head', 'dpo'] as const) expect(cardText(h.user(k).lastCard())).toMatch(/BR-2026-0001/);
    expect(
      h
        .user('it')
        .cards()
        .some((c) => cardText(c).includes('BR-2026-0001')),
    ).toBe(false);
  });

  it('goes to the next people in line when the usual handler reports it or is involved', async () => {
    // The data compliance officer (the SBM) reports it: the headteacher and DPO handle it.
    await report(h.user('sbm'), {
      category: 'physical',
      description: 'The SEN filing cabinet was left unlocked overnight.',
    });
    // A report about the data compliance officer: the SBM never sees it.
    await report(h.user('teacher'), {
      category: 'verbal',
      description: 'A colleague discussed a pupil health matter in the corridor.',
      concernsRole: 'dco',
    });
    await h.flush();
    const sbmSaw = h.user('sbm').cards().map(cardText).join(' ');
    expect(sbmSaw).not.toMatch(/Data breach report BR-2026-0001/);
    expect(sbmSaw).not.toMatch(/BR-2026-0002/);
    expect(
      cardText(
        h
          .user('head')
          .cards()
          .find((c) => cardText(c).includes('BR-2026-0002'))!,
      ),
    ).toMatch(/corridor/);
    expect(
      h
        .user('dpo')
        .cards()
        .some((c) => cardText(c).includes('BR-2026-0001')),
    ).toBe(true);
    const log = cardText((await h.user('sbm').say('breach log'))[0]!.attachments[0].content);
    expect(log).toContain('BR-2026-0001');
    expect(log).not.toContain('BR-2026-0002');
  });

  it('refuses an incomplete or malformed report with a clear message and creates nothing', async () => {
    const teacher = h.user('teacher');
    const r1 = await report(teacher, { category: 'other', description: 'short' });
    expect(cardText(r1.card)).toMatch(/Description: say in a sentence or two what happened/);
    expect(r1.card!.body.find((b: any) => b.id === 'category').value).toBe('other');
    const r2 = await report(teacher, { description: 'Something happened to the register.', category: 'volcano' });
    expect(cardText(r2.card)).toMatch(/What happened: pick what happened/);
    const r3 = await report(teacher, { ...stolenLaptop, discoveredOn: '2027-01-05' });
    expect(cardText(r3.card)).toMatch(/in the future/);
    const r4 = await report(teacher, { ...stolenLaptop, admin: 'yes' });
    expect(cardText(r4.card)).toMatch(/Please check the form/);
    expect((await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM breaches'))!.n).toBe(0);
    expect(
      h
        .user('sbm')
        .cards()
        .some((c) => cardText(c).includes('Data breach report')),
    ).toBe(false);
  });

  it('reminds at 24, 48 and 60 hours, escalates at 48, once each across a restart, then needs the delay explained', async () => {
    await report(h.user('teacher'), {
      category: 'unauthorised-access',
      description: 'I clicked a link in an email and typed my password.',
    });
    await h.flush();
    const sbm = h.user('sbm');
    const countFor = (u: TestUser) => h.connector.to(u.conversationId).length;
    const start = countFor(sbm);

    h.clock.advance(25 * HOUR);
    await h.app.jobs.tick();
    await h.flush();
    expect(countFor(sbm)).toBe(start + 1);
    expect(cardText(sbm.lastCard())).toMatch(/Reminder: 47 hours left/);
    await h.restart();
    await h.app.jobs.tick();
    await h.flush();
    expect(countFor(sbm)).toBe(start + 1);

    const headBefore = countFor(h.user('head'));
    h.clock.advance(24 * HOUR); // 49 h
    await h.app.jobs.tick();
    await h.app.jobs.tick();
    await h.flush();
    expect(countFor(sbm)).toBe(start + 2);
    expect(countFor(h.user('head'))).toBe(headBefore + 1);
    expect(cardText(h.user('head').lastCard())).toMatch(/Escalated to you/);
    expect(cardText(h.user('dpo').lastCard())).toMatch(/Escalated to you/);

    h.clock.advance(24 * HOUR); // 73 h
    await h.app.jobs.tick();
    await h.flush();
    expect(countFor(sbm)).toBe(start + 3); // the 60-hour reminder, once
    const audits = await h.db.all<{ action: string }>(
      `SELECT action FROM audit_log WHERE actor_id = 'system' ORDER BY id`,
    );
    expect(audits.map((a) => a.action)).toEqual([
      'breach.reminded',
      'breach.reminded',
      'breach.escalate',
      'breach.reminded',
      'breach.overdue',
    ]);

    // The updated card now asks for the reasons for the delay; the decision needs them.
    await click(sbm, 'Save assessment', {
      risk: 'risk',
      riskNotes: 'Account may have been used to read pupil records.',
    });
    await h.flush();
    expect(cardText(sbm.lastCard())).toMatch(/The 72 hours ended Fri 27 Nov 2026, 10:00/);
    const noDelay = await click(sbm, 'Record decision', {
      notifyIco: 'yes',
      icoReason: 'Possible access to pupil records.',
      tellAffected: 'no',
      affectedReason: 'Risk not high.',
    });
    expect(cardText(noDelay.card)).toMatch(/give the reasons for the delay/);
    const ok = await click(sbm, 'Record decision', {
      notifyIco: 'yes',
      icoReason: 'Possible access to pupil records.',
      tellAffected: 'no',
      affectedReason: 'Risk not high.',
      delayReason: 'Handler was off sick.',
    });
    expect(cardText(ok.card)).toMatch(/ICO to be told/);
    // The decision stops the decision reminders; the telling itself is chased instead, once a day.
    h.clock.advance(24 * HOUR);
    await h.app.jobs.tick();
    await h.app.jobs.tick();
    const system = await h.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE actor_id = 'system'`);
    expect(system.filter((r) => r.action !== 'breach.notification_chased')).toHaveLength(5);
    expect(system.filter((r) => r.action === 'breach.notification_chased')).toHaveLength(1);
  });

  it('keeps the 72-hour deadline at 72 real hours across the end of British Summer Time', () => {
    const aware = fromSchoolTime('2026-10-24', '10:00', 'Europe/London');
    expect(new Date(aware).toISOString()).toBe('2026-10-24T09:00:00.000Z');
    expect(formatSchoolTime(aware + 72 * HOUR, 'Europe/London')).toBe('Tue 27 Oct 2026, 09:00');
  });

  it('exports the breach log as CSV for handlers, once per link, and refuses other staff', async () => {
    await report(h.user('teacher'), {
      ...stolenLaptop,
      description: '=HYPERLINK("http://evil") laptop stolen, "quoted" words',
    });
    await h.flush();
    const refused = (await h.user('other').say('breach log'))[0]!;
    expect(cardText(refused.attachments?.[0]?.content ?? {}) + (refused.text ?? '')).toMatch(
      /only for the people who handle breaches/,
    );
    // Asked about in words, the breaches already reported are the log (refused the same way), not
    // a breach to report.
    const asked = (await h.user('other').say('are there any open breaches?'))[0]!;
    expect(cardText(asked.attachments?.[0]?.content ?? {}) + (asked.text ?? '')).toMatch(
      /only for the people who handle breaches/,
    );
    const counted = cardText(
      (await h.user('dpo').say('how many breaches have we had this term?'))[0]!.attachments[0].content,
    );
    expect(counted).toMatch(/^Breach log: Oakfield Primary School/);
    expect(counted).not.toMatch(/No breaches have been reported/);
    const forged = await h.user('other').click('breach.export', {});
    expect(cardText(forged.card)).toMatch(/only for the people who handle breaches/);

    const log = (await h.user('dpo').say('breach log'))[0]!.attachments[0].content;
    const exp = await h.user('dpo').click('breach.export', {});
    expect(actionsOf(log).some((a) => a.verb === 'breach.export')).toBe(true);
    const url = new URL((exp.card!.actions[0] as { url: string }).url);
    const res = await fetch(`${h.server.url}${url.pathname}`);
    expect(res.status).toBe(200);
    const csv = await res.text();
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^"Reference","Reported","School aware","What happened"/);
    expect(lines[1]).toMatch(/^"BR-2026-0001",/);
    // Times in ISO 8601 with the school's offset, so a spreadsheet and an auditor read the same instant.
    expect(lines[1]).toMatch(/^"BR-2026-0001","2026-11-24T10:00:00\+00:00",/);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"") laptop stolen, ""quoted"" words"`);
    expect(lines[1]).toContain('"Pupils; Staff"');
    expect((await fetch(`${h.server.url}${url.pathname}`)).status).toBe(410);

    const audits = (
      await h.db.all<{ action: string; actor_id: string }>(
        `SELECT action, actor_id FROM audit_log WHERE action LIKE 'breach.log%' OR action LIKE 'export.%' ORDER BY id`,
      )
    ).map((a) => a.action);
    // Each look at the log is audited, however it was asked for.
    expect(audits).toEqual([
      'breach.log_refused',
      'breach.log_refused',
      'breach.log_viewed',
      'breach.log_refused',
      'breach.log_viewed',
      'breach.log_viewed',
      'export.link_created',
      'export.downloaded',
    ]);
  });

  it('refuses and audits a handler action by someone else', async () => {
    await report(h.user('teacher'), {
      category: 'verbal',
      description: 'Overheard a conversation about a pupil in the staff room.',
    });
    await h.flush();
    const a = actionsOf(h.user('sbm').lastCard()).find((x) => x.title === 'Acknowledge')!;
    const r = await h.user('other').click(a.verb, a.data);
    expect(cardText(r.card)).toMatch(/Only the people who handle breach reports/);
    expect((await h.db.get<{ status: string }>('SELECT status FROM breaches'))!.status).toBe('reported');
    expect((await h.db.all(`SELECT 1 FROM audit_log WHERE action = 'breach.refused'`)).length).toBe(1);
  });

  it('offers to report when a message describes a breach', async () => {
    const t = h.user('teacher');
    await t.install();
    for (const text of ['I emailed the wrong parent', "I've lost my memory stick", 'my laptop was stolen']) {
      const reply = (await t.say(text))[0]!;
      expect(cardText(reply.attachments[0].content)).toMatch(
        /sounds like it could be a data breach.*goes straight to the Data compliance officer/,
      );
      const go = actionsOf(reply.attachments[0].content)[0]!;
      const form = await t.click(go.verb, go.data);
      expect(actionsOf(form.card).some((x) => x.verb === 'breach.submit')).toBe(true);
    }
  });
});

describe('breach privacy', () => {
  it('tells the data-protection channel, when configured, that a report exists and nothing more', async () => {
    const h = await startHarness({
      yaml: TEST_CONFIG.replace(
        '    requestTypes:',
        '    breach:\n      alertChannel: { conversationId: "19:dp-team@thread.tacv2", serviceUrl: "http://placeholder" }\n    requestTypes:',
      ),
    });
    try {
      const cfg = path.join(h.dir, 'school.yaml');
      writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('http://placeholder', h.connector.url));
      await h.restart();
      await report(h.user('teacher'), {
        ...stolenLaptop,
        description: 'Laptop with the Year 6 SEN plans stolen from my car.',
      });
      await h.flush();
      const posts = h.connector.to('19:dp-team@thread.tacv2');
      expect(posts).toHaveLength(1);
      expect(posts[0]!.activity.text).toMatch(/A data breach report, BR-2026-0001, was made at Tue 24 Nov 2026, 10:00/);
      expect(JSON.stringify(posts[0]!.activity)).not.toMatch(/Laptop|SEN|stolen|Tara/);
    } finally {
      await h.close();
    }
  });

  it('writes one log line per turn with ids and outcome, and never the report or the reporter', async () => {
    const lines: string[] = [];
    const h = await startHarness({ logLines: lines });
    try {
      await h.user('sbm').install();
      const r = await report(h.user('teacher'), {
        category: 'verbal',
        description: 'Overheard Mrs Jones discussing the Smith family court order.',
      });
      expect(cardText(r.card)).toMatch(/BR-2026-0001/);
      await h.flush();
      const a = actionsOf(h.user('sbm').lastCard()).find((x) => x.title === 'Acknowledge')!;
      await h.user('sbm').click(a.verb, a.data);
      const all = lines.join('\n');
      expect(all).not.toMatch(/Smith|Jones|court order|Overheard/);
      expect(all).not.toMatch(/Tara|Teacher|Sam Business/);
      const turns = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'turn');
      expect(turns.map((t) => t.outcome)).toEqual(
        expect.arrayContaining(['verb:breach.submit', 'verb:breach.acknowledge']),
      );
      for (const t of turns)
        expect(Object.keys(t).sort()).toEqual(expect.arrayContaining(['activityId', 'ms', 'outcome', 'type']));
    } finally {
      await h.close();
    }
  });
});

describe('telling the ICO and the people affected', () => {
  it('refuses "do not tell" after a risk, chases the telling past 100 hours, and records when and the reference', async () => {
    const h = await startHarness();
    try {
      for (const k of ['sbm', 'head', 'dpo'] as const) await h.user(k).install();
      await report(h.user('teacher'), stolenLaptop);
      await h.flush();
      const sbm = h.user('sbm');
      await click(sbm, 'Save assessment', {
        risk: 'high',
        riskNotes: 'Health data of 40 pupils, laptop not encrypted.',
      });
      await h.flush();
      const no = await click(sbm, 'Record decision', {
        notifyIco: 'no',
        icoReason: 'We would rather not.',
        tellAffected: 'no',
        affectedReason: 'Too many letters.',
      });
      expect(cardText(no.card)).toMatch(
        /You decided not to tell the ICO, although the risk was assessed as "a high risk to people"\. Nothing was saved/,
      );
      await click(sbm, 'Record decision', {
        notifyIco: 'yes',
        icoReason: 'High risk to pupils.',
        tellAffected: 'yes',
        affectedReason: 'Parents must be able to protect their children.',
      });
      await h.flush();
      const early = await click(sbm, 'Close the report', { closingSummary: 'Laptop wiped remotely.' });
      expect(cardText(early.card)).toMatch(/record when it was told, and its reference, before closing/);

      // 100 hours on, nothing recorded: the handlers are chased, once a day.
      h.clock.advance(100 * HOUR);
      await h.app.jobs.tick();
      await h.app.jobs.tick();
      await h.flush();
      const chase = cardText(sbm.lastCard());
      expect(chase).toMatch(/The ICO has not been recorded as told yet; the 72 hours ended Fri 27 Nov 2026, 10:00/);
      expect(chase).toMatch(/The people affected have not been recorded as told yet/);
      expect((await h.db.all(`SELECT 1 FROM audit_log WHERE action = 'breach.notification_chased'`)).length).toBe(1);

      h.clock.advance(20 * HOUR); // Sunday 10:00: a date of today without a time must not count as midday, still ahead
      const ico = actionsOf(sbm.lastCard()).find((a) => a.verb === 'breach.notified' && a.data.who === 'ico')!;
      await sbm.click(ico.verb, {
        ...ico.data,
        icoOn: '2026-11-26',
        icoAt: '15:30',
        icoRef: 'IC-123456-A1B2',
      });
      const people = actionsOf(sbm.lastCard()).find((a) => a.verb === 'breach.notified' && a.data.who === 'people')!;
      const told = await sbm.click(people.verb, {
        ...people.data,
        peopleOn: new Date(h.clock.now()).toISOString().slice(0, 10), // today, no time: accepted
        peopleHow: 'Letter to parents',
      });
      expect(cardText(told.card)).toMatch(/ICO told Thu 26 Nov 2026, 15:30, reference IC-123456-A1B2/);
      expect(cardText(told.card)).toMatch(/the people affected were told \(Letter to parents\)/);
      const closed = await click(sbm, 'Close the report', { closingSummary: 'Laptop wiped remotely.' });
      expect(cardText(closed.card)).toMatch(/Closed/);
    } finally {
      await h.close();
    }
  });
});

describe("the breach record to the ICO's list", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    for (const k of ['sbm', 'head', 'dpo'] as const) await h.user(k).install();
  });
  afterEach(async () => {
    await h.close();
  });

  const csvOf = async (who: TestUser) => {
    const exp = await who.click('breach.export', {});
    const url = new URL((exp.card!.actions[0] as { url: string }).url);
    const csv = (await (await fetch(`${h.server.url}${url.pathname}`)).text()).replace(/^\ufeff/, '');
    const [head, ...rows] = csv.trim().split('\r\n');
    const cells = (line: string) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));
    return rows.map((r) => Object.fromEntries(cells(head!).map((k, i) => [k, cells(r)[i]])));
  };

  it('records the cause, people and records, staff and training, measures and others told; a decision against the assessment needs its reason; the copy follows the ICO form', async () => {
    await report(h.user('teacher'), stolenLaptop);
    await h.flush();
    const sbm = h.user('sbm');
    await click(sbm, 'Save assessment', { risk: 'risk', riskNotes: 'Names and medical notes of a class.' });
    await h.flush();
    // The form starts from what the report says: the reporter was involved.
    expect(JSON.stringify(sbm.lastCard())).toMatch(/"id":"staffInvolved","label":"[^"]*","value":"Tara Teacher"/);
    expect(cardText(sbm.lastCard())).toMatch(/no confirmation of the school's policy from Tara Teacher/);

    const details = {
      cause: 'theft',
      causeDetail: 'Laptop taken from a locked car at the leisure centre.',
      people: '-3',
      records: '120',
      staffInvolved: 'Tara Teacher',
      training: 'recent',
      measuresBefore: 'Laptops encrypted with BitLocker; staff told not to leave devices in cars.',
      otherOrgs: 'police,insurer',
      otherOrgsDetail: 'Crime reference 43/1234/26',
    };
    const bad = await click(sbm, 'Save details', details);
    expect(cardText(bad.card)).toMatch(/How many people: .*0/);
    expect((await h.db.get<{ version: number }>('SELECT version FROM breaches'))!.version).toBe(2);
    const saved = await click(sbm, 'Save details', { ...details, people: '31' });
    expect(cardText(saved.card)).toMatch(/ICO details saved by Sam Business \(cause: theft or burglary\)/);

    // Not telling the ICO about a risk goes against the assessment: only with the reason, which is kept.
    const decision = { notifyIco: 'no', icoReason: 'Encrypted.', tellAffected: 'no', affectedReason: 'Encrypted.' };
    const refused = await click(sbm, 'Record decision', decision);
    expect(cardText(refused.card)).toMatch(
      /You decided not to tell the ICO, although the risk was assessed as "a risk to people"\. Nothing was saved: either give the reason/,
    );
    expect((await h.db.get<{ status: string }>('SELECT status FROM breaches'))!.status).toBe('assessed');
    const decided = await click(sbm, 'Record decision', {
      ...decision,
      againstReason: 'The laptop was encrypted and powered off: the data cannot be read.',
    });
    expect(cardText(decided.card)).toMatch(
      /The decision departs from the assessment: it was not to tell the ICO.*Why: The laptop was encrypted/,
    );

    // The copy for the ICO's form: its sections in the form's order, with every field recorded.
    const copy = (await click(sbm, 'Copy for the ICO form')).card!;
    const text = cardText(copy);
    const order = [
      'About the breach',
      'Personal data',
      'Consequences',
      'Staff involved and training',
      'Before and after',
      'Telling people',
      'Timing',
    ];
    expect(order.map((x) => text.indexOf(x))).toEqual([...order.map((x) => text.indexOf(x))].sort((a, b) => a - b));
    expect(text).toMatch(/Cause Theft or burglary: Laptop taken from a locked car/);
    expect(text).toMatch(/How many people 31 How many records 120/);
    expect(text).toMatch(/Special category or criminal offence data Health/);
    expect(text).toMatch(/Data-protection training Yes, in the last two years/);
    expect(text).toMatch(
      /Other organisations told The police, The insurer \(or the RPA\) \(Crime reference 43\/1234\/26\)/,
    );
    expect(actionsOf(copy).map((a) => a.verb)).toEqual(['breach.open']);
    expect(
      cardText(
        (await h.user('teacher').click('breach.ico-copy', { breachId: actionsOf(copy)[0]!.data.breachId })).card,
      ),
    ).toMatch(/Only the people who handle breach reports/);

    const [row] = await csvOf(sbm);
    expect(row).toMatchObject({
      Cause: 'Theft or burglary',
      'People affected (number)': '31',
      'Records affected (number)': '120',
      'Staff involved': 'Tara Teacher',
      'Data-protection training': 'Yes, in the last two years',
      'Measures in place before': details.measuresBefore,
      'Others told': 'The police; The insurer (or the RPA)',
      'Others told (detail)': 'Crime reference 43/1234/26',
      'ICO told': 'No',
      'ICO decided by': 'Sam Business',
      'Decision departs from the assessment':
        'not to tell the ICO, although the risk was assessed as "a risk to people"',
      'Why it departs': 'The laptop was encrypted and powered off: the data cannot be read.',
      'Near miss': 'No',
    });
  });

  it('"ICO told" only with a reference: decided, the log says so and the clock still runs', async () => {
    await report(h.user('teacher'), stolenLaptop);
    await h.flush();
    const sbm = h.user('sbm');
    await click(sbm, 'Save assessment', { risk: 'high', riskNotes: 'Health data.' });
    await h.flush();
    const decided = await click(sbm, 'Record decision', {
      notifyIco: 'yes',
      icoReason: 'High risk.',
      tellAffected: 'yes',
      affectedReason: 'High risk.',
    });
    expect(cardText(decided.card)).toMatch(
      /ICO to be told .*not recorded as told yet\. The 72 hours end Fri 27 Nov 2026, 10:00/,
    );
    const log = cardText((await sbm.say('breach log'))[0]!.attachments[0].content);
    expect(log).toMatch(/ICO decided: to be told/);
    expect((await csvOf(sbm))[0]).toMatchObject({ 'ICO told': 'Decided, not yet told', 'ICO reference': '' });
  });

  it('logs a near miss like a breach, with no ICO decision and no clock', async () => {
    await report(h.user('teacher'), {
      category: 'wrong-recipient',
      description: 'I nearly emailed the SEN list to a parent; Outlook recalled it before it was opened.',
      dataKinds: 'sen',
    });
    await h.flush();
    const sbm = h.user('sbm');
    const card = await click(sbm, 'Save assessment', { risk: 'none', riskNotes: 'Recalled before it was opened.' });
    expect(cardText(card.card)).toMatch(/A near miss .*no ICO decision is owed/);
    expect(actionsOf(card.card).map((a) => a.title)).not.toContain('ICO decision');
    const forged = await sbm.click('breach.decide', {
      breachId: actionsOf(card.card)[0]!.data.breachId,
      notifyIco: 'no',
      icoReason: 'x',
      tellAffected: 'no',
      affectedReason: 'x',
    });
    expect(cardText(forged.card)).toMatch(/assessed as a near miss, so no decision about the ICO is needed/);
    // No reminders or escalation as the hours pass.
    const before = h.connector.to(sbm.conversationId).length;
    const head = h.connector.to(h.user('head').conversationId).length;
    h.clock.advance(80 * HOUR);
    await h.app.jobs.tick();
    await h.flush();
    expect(h.connector.to(sbm.conversationId).length).toBe(before);
    expect(h.connector.to(h.user('head').conversationId).length).toBe(head);
    const closed = await click(sbm, 'Close the report', { closingSummary: 'Recall worked; delay-send switched on.' });
    expect(cardText(closed.card)).toMatch(/Closed/);
    expect(cardText((await sbm.say('breach log'))[0]!.attachments[0].content)).toMatch(/near miss · closed/);
    expect((await csvOf(sbm))[0]).toMatchObject({ 'Near miss': 'Yes', 'ICO told': '' });
  });
});

describe('a breach report always reaches someone', () => {
  // The headteacher handles breaches alone, and the school has no DPO or business manager.
  const headOnly = (extraRoles: string) =>
    TEST_CONFIG.replace(
      / {4}roles:\n(?: {6}.*\n)+/,
      `    roles:\n      headteacher: [${PEOPLE.head.aad}]\n${extraRoles}`,
    )
      .replace(
        '    routing:\n',
        '    routing:\n      breach:\n        stages:\n          - { name: Breach handler, roles: [headteacher] }\n',
      )
      .replace(/ {10}- \{ name: Data protection review, roles: \[dpo\][^\n]*\n/g, '');

  it('goes on to the next role with someone when the head reports and is the only handler, and the receipt names who was told', async () => {
    const h = await startHarness({
      yaml: headOnly(
        `      sbm: [${PEOPLE.sbm.aad}]\n      it: [${PEOPLE.it.aad}]\n      office: [${PEOPLE.office.aad}]\n`,
      ),
    });
    try {
      await h.user('sbm').install();
      const r = await report(h.user('head'), stolenLaptop);
      const receipt = cardText(r.card);
      expect(receipt).toMatch(/It has gone to Sam Business \(School Business Manager\)/);
      expect(receipt).not.toMatch(/Data Protection Officer/);
      await h.flush();
      expect(cardText(h.user('sbm').lastCard())).toMatch(/Data breach report BR-2026-0001/);
    } finally {
      await h.close();
    }
  });

  it('refuses to start with a routing that can leave a report unhandled, and says where', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bot-route-'));
    const file = path.join(dir, 'school.yaml');
    writeFileSync(file, headOnly(`      office: [${PEOPLE.office.aad}]\n`));
    expect(() => loadConfig({ BOT_MODE: 'local', SCHOOL_CONFIG: file, DATA_DIR: dir })).toThrow(
      /schools\.0\.roles: a breach report made by .* would reach nobody/,
    );
  });
});

describe('two schools in one tenant', () => {
  // A trust: Oakfield as in the other tests, and Elmwood in the same tenant with its own people.
  const ELMWOOD = `
  - id: elmwood
    name: Elmwood Academy
    tenantId: ${TENANT}
    roles:
      headteacher: [${PEOPLE.other.aad}]
      dco: [${PEOPLE.it2.aad}]
      dpo: [${PEOPLE.office.aad}]
    acknowledgement: { enabled: false }
`;

  it("serves each person as their own school: asked once when nothing settles it, and an Elmwood breach goes to Elmwood's handler", async () => {
    const h = await startHarness({ yaml: `${TEST_CONFIG.trimEnd()}\n${ELMWOOD}` });
    try {
      await h.user('sbm').install();
      await h.user('it2').install();
      // Owen holds a role at Elmwood only: he is Elmwood's without being asked.
      await h.user('other').install();
      expect(cardText(h.user('other').lastCard())).toMatch(/Elmwood Academy/);

      // Tara holds no role anywhere: she is asked, and nothing else is served until she answers.
      const t = h.user('teacher');
      await t.install();
      const ask = t.lastCard();
      expect(cardText(ask)).toMatch(/Which school do you work at\?/);
      const before = await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM breaches');
      expect(cardText((await t.say('report a breach'))[0]!.attachments[0].content)).toMatch(/Which school/);
      const elmwood = actionsOf(ask).find((a) => a.title === 'Elmwood Academy')!;
      expect(cardText((await t.click(elmwood.verb, elmwood.data)).card)).toMatch(/You are set up for Elmwood Academy/);
      expect((await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM breaches'))!.n).toBe(before!.n);

      const r = await report(t, stolenLaptop);
      expect(cardText(r.card)).toMatch(/It has gone to Isla Tech, Owen Other/);
      await h.flush();
      expect(
        h
          .user('it2')
          .cards()
          .some((c) => /Data breach report BR-2026-0001/.test(cardText(c))),
      ).toBe(true);
      expect(
        h
          .user('sbm')
          .cards()
          .some((c) => /BR-2026-0001/.test(cardText(c))),
      ).toBe(false);
      expect((await h.db.get<{ school_id: string }>('SELECT school_id FROM breaches'))!.school_id).toBe('elmwood');
      // Asked once: after a restart she is still Elmwood's.
      await h.restart();
      expect(cardText((await t.say('menu'))[0]!.attachments[0].content)).not.toMatch(/Which school/);
    } finally {
      await h.close();
    }
  });
});
