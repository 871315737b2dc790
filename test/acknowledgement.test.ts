import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  actionsOf,
  cardText,
  deviceForm,
  PEOPLE,
  startHarness,
  TEST_CONFIG,
  type Harness,
  type TestUser,
} from './helpers/harness';

const TEAM = '19:staff@thread.tacv2';

describe('annual policy acknowledgement', () => {
  let h: Harness;
  let policyFile: string;
  beforeEach(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ack-'));
    policyFile = path.join(dir, 'policy.md');
    writeFileSync(
      policyFile,
      '# Passwords\n\nApproved by the governors in September 2026.\n\nUse long passwords.\n\n# Email\n\nUse school email only.\n',
    );
    const yaml = TEST_CONFIG.replace('    acknowledgement: { enabled: false }\n', '')
      .replace(/path: .*oakfield-information-security\.md/, `path: ${policyFile}`)
      .replace(
        '    requestTypes:',
        `    holidays:\n      - { from: 2026-12-21, to: 2027-01-01 }\n    acknowledgement:\n      enabled: true\n      keyRules: [Use a long password, Use only school email]\n      teams:\n        - { id: "${TEAM}", serviceUrl: "SERVICE_URL" }\n    requestTypes:`,
      );
    // The roster lives on the fake connector: the tests point the school's team at it and restart.
    h = await startHarness({ yaml: yaml.replace('SERVICE_URL', 'http://placeholder') });
  });
  afterEach(async () => {
    await h.close();
  });

  const roster = (keys: Array<keyof typeof PEOPLE>) =>
    h.connector.rosters.set(
      TEAM,
      keys.map((k) => ({ id: `29:${PEOPLE[k].aad}`, aadObjectId: PEOPLE[k].aad, name: PEOPLE[k].name })),
    );
  const count = (u: TestUser) => h.connector.to(u.conversationId).length;

  /** Points the school's team at the fake connector (its roster lives there), restarts, and installs two people. */
  async function useFakeRoster(): Promise<{ t: TestUser; o: TestUser }> {
    const cfg = path.join(h.dir, 'school.yaml');
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('http://placeholder', h.connector.url));
    await h.restart();
    const t = h.user('teacher');
    const o = h.user('it');
    await t.install();
    await o.install();
    return { t, o };
  }

  it('notices a leaver who used the bot (gone from the staff team), and asks them to remove school data from their device', async () => {
    const { t } = await useFakeRoster();
    roster(['teacher', 'it', 'other']);
    await h.app.jobs.tick();
    await t.click('device.submit', await deviceForm(t));
    await h.flush();
    const approve = actionsOf(h.user('it').lastCard()).find((a) => a.title === 'Approve')!;
    await h.user('it').click(approve.verb, approve.data);
    await h.flush();
    // Tara leaves: IT takes her out of the staff team. She has used the bot, which no longer keeps her on.
    roster(['it', 'other']);
    h.clock.advance(2 * 3_600_000);
    await h.app.jobs.tick();
    await h.app.jobs.tick();
    await h.flush();
    const left = await h.db.get<{ left_at: number | null }>('SELECT left_at FROM staff WHERE aad_id = ?', [t.aad]);
    expect(left!.left_at).not.toBeNull();
    expect(cardText(t.lastCard())).toMatch(/You are leaving: please remove school data from Tablet: iPad Air/);
  });

  it("sends someone who installs the bot late only the current card, not every week's", async () => {
    const { t } = await useFakeRoster();
    roster(['teacher', 'it', 'other']);
    await h.app.jobs.tick();
    for (const d of ['2026-11-30T09:00:00Z', '2026-12-07T09:00:00Z', '2026-12-14T09:00:00Z']) {
      h.clock.set(d);
      await h.app.jobs.tick();
      await h.flush();
    }
    expect(h.connector.to(t.conversationId).length).toBeGreaterThanOrEqual(4); // installed: a card each week
    const late = h.user('other');
    await late.install();
    await h.flush();
    const asks = h.connector
      .to(late.conversationId)
      .filter((r) => /Please confirm you have read/.test(cardText(r.activity.attachments?.[0]?.content)));
    expect(asks).toHaveLength(1);
  });

  it('asks joiners at once, records a confirmation, reminds weekly until confirmed, skips holidays, and asks again for a new version', async () => {
    const { t, o } = await useFakeRoster();
    roster(['teacher', 'it', 'other']);
    await h.app.jobs.tick();
    await h.flush();
    expect((await h.db.all<{ name: string }>('SELECT name FROM staff ORDER BY name')).map((r) => r.name)).toEqual([
      'Ian Tech',
      'Owen Other',
      'Tara Teacher',
    ]);
    const ask = t.lastCard();
    expect(cardText(ask)).toMatch(/Please confirm you have read the Information Security Policy.*Use a long password/);
    expect(count(o)).toBe(2); // welcome + the card
    // A version a person knows (the date the document gives itself), and the policy to read first, here.
    expect(cardText(ask)).toMatch(/September 2026 version · Oakfield Primary School/);
    const read = actionsOf(ask).find((a) => a.title === 'Read it here')!;
    const first = (await t.click(read.verb, read.data)).card!;
    expect(cardText(first)).toMatch(/section 1 of 2 Passwords Approved by the governors .*Use long passwords/s);
    expect(actionsOf(first).some((a) => a.verb === 'acknowledgement.confirm')).toBe(false);
    const next = actionsOf(first).find((a) => a.title === 'Next: Email')!;
    const second = (await t.click(next.verb, next.data)).card!;
    expect(cardText(second)).toMatch(/section 2 of 2 Email Use school email only/);
    const back = actionsOf(second).find((a) => a.title === 'Back')!;
    expect(cardText((await t.click(back.verb, back.data)).card)).toMatch(/section 1 of 2/);
    const confirm = actionsOf(second).find((a) => a.verb === 'acknowledgement.confirm')!;
    expect(cardText((await t.click(confirm.verb, confirm.data)).card)).toMatch(/Confirmed Tue 24 Nov/);
    await h.user('head').install();
    const report = (await h.user('head').say('acknowledgements'))[0]!.attachments[0].content;
    expect(cardText(report)).toMatch(/1 of 3 staff have confirmed \(33%\)/);
    expect(cardText(report)).toMatch(/last 8 weeks: 0%, 0%, 0%, 0%, 0%, 0%, 0%, 33%/);
    // Teams' own chart, the week's figures in it, with the picture for clients that cannot draw it.
    const chart = report.body.find((b: any) => b.type === 'Chart.VerticalBar');
    expect(chart.data.map((d: { y: number }) => d.y)).toEqual([0, 0, 0, 0, 0, 0, 0, 33]);
    expect(chart.data.at(-1).x).toBe('24 Nov');
    expect(chart.fallback.url).toMatch(/^data:image\/png;base64,iVBOR/);

    // Monday 08:30 London: only the person still outstanding is reminded, once, also after a restart.
    h.clock.set('2026-11-30T08:29:00Z');
    await h.app.jobs.tick();
    await h.flush();
    expect(count(o)).toBe(2);
    h.clock.set('2026-11-30T08:30:00Z');
    await h.app.jobs.tick();
    await h.restart();
    await h.app.jobs.tick();
    await h.flush();
    expect(count(o)).toBe(3);
    expect(count(t)).toBe(2);
    h.clock.set('2026-12-07T09:00:00Z');
    await h.app.jobs.tick();
    await h.flush();
    expect(count(o)).toBe(4);
    // A Monday missed altogether (the bot was down) is not made up on the Tuesday afternoon: no late
    // "weekly" reminder, and no late digest for the headteacher.
    const digests = () =>
      h.connector
        .to(h.user('head').conversationId)
        .filter((r) => /Weekly digest/.test(cardText(r.activity.attachments?.[0]?.content))).length;
    const digestsBefore = digests();
    h.clock.set('2026-12-15T12:00:00Z');
    await h.app.jobs.tick();
    await h.flush();
    expect(count(o)).toBe(4);
    expect(digests()).toBe(digestsBefore);
    // 21 and 28 December are school holidays; 4 January is not.
    for (const d of ['2026-12-21T09:00:00Z', '2026-12-28T09:00:00Z']) {
      h.clock.set(d);
      await h.app.jobs.tick();
    }
    await h.flush();
    expect(count(o)).toBe(4);
    h.clock.set('2027-01-04T09:00:00Z');
    await h.app.jobs.tick();
    await h.flush();
    expect(count(o)).toBe(5);

    // A new version of the policy asks everyone again, at once.
    writeFileSync(
      policyFile,
      '# Passwords\n\nUse passwords of at least 12 characters.\n\n# Email\n\nUse school email only.\n',
    );
    await h.restart();
    h.clock.set('2027-01-05T09:00:00Z');
    await h.app.jobs.tick();
    await h.flush();
    expect(count(t)).toBe(3);
    expect(count(o)).toBe(6);
    const old = await t.click(confirm.verb, confirm.data);
    expect(actionsOf(old.card).find((a) => a.verb === 'acknowledgement.confirm')!.data.hash).not.toBe(
      confirm.data.hash,
    );
  });

  it('handles 429 with Retry-After and marks people it cannot reach; reports them to the headteacher only', async () => {
    const { t, o } = await useFakeRoster();
    await h.user('head').install();
    roster(['teacher', 'it', 'other', 'head']);
    h.connector.failNext(429, { 'retry-after': '1' }, (c) => c === t.conversationId);
    h.connector.failNext(403, {}, (c) => c === o.conversationId);
    await h.app.jobs.tick();
    await h.flush();
    // Throttled: nothing more is sent to that chat until Retry-After has passed.
    expect(
      h.connector
        .to(t.conversationId)
        .filter((r) => cardText(r.activity.attachments?.[0]?.content).includes('Please confirm')),
    ).toHaveLength(0);
    h.clock.advance(1000);
    await h.flush();
    expect(
      h.connector
        .to(t.conversationId)
        .filter((r) => cardText(r.activity.attachments?.[0]?.content).includes('Please confirm')),
    ).toHaveLength(1);
    expect(
      (
        await h.db.get<{ status: string }>(`SELECT status FROM outbox WHERE recipient = ? AND status = 'unreachable'`, [
          o.aad,
        ])
      )?.status,
    ).toBe('unreachable');

    expect((await t.say('acknowledgements'))[0]!.text).toMatch(/for the headteacher and the DPO/);
    const reportCard = (await h.user('head').say('acknowledgements'))[0]!.attachments[0].content;
    const report = cardText(reportCard);
    expect(report).toMatch(/0 of 4 staff have confirmed \(0%\)/);
    // Nobody has confirmed: no chart of eight empty weeks, the figures in words only.
    expect(JSON.stringify(reportCard)).not.toMatch(/Chart\.VerticalBar/);
    expect(report).toMatch(/Ian Tech \(cannot be reached\)/);
    expect(report).toMatch(/Owen Other \(has not installed the bot\)/);
    expect(report).toMatch(/Not yet confirmed.*Tara Teacher/);
    expect(report).toMatch(/last 8 weeks: 0%, 0%, 0%, 0%, 0%, 0%, 0%, 0%/);

    // A leaver drops out of the list when the roster is next read (hourly).
    roster(['teacher', 'it', 'head']);
    await h.app.jobs.tick();
    expect(cardText((await h.user('head').say('acknowledgements'))[0]!.attachments[0].content)).toMatch(/0 of 4 staff/);
    h.clock.advance(3_600_000);
    await h.app.jobs.tick();
    expect(cardText((await h.user('head').say('acknowledgements'))[0]!.attachments[0].content)).toMatch(/0 of 3 staff/);
  });
});
