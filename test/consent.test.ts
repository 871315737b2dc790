import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { distance } from '../src/flows/consent/lookup';
import { spotUses } from '../src/flows/consent/understands';
import { actionsOf, cardText, startHarness, TEST_CONFIG, type Harness, type TestUser } from './helpers/harness';

const HEADER =
  'Adno,Forename,Surname,Year,Reg Group,Consent Date,Website,Prospectus,Video,Learning Platform,Display Inside,Display Outside,Press,Social Media';
const REGISTER = [
  HEADER,
  '1001,Amelia,Khan,4,4B,01/09/2026,Yes,Yes,Yes,Yes,Yes,Yes,No,No',
  '1002,Oliver,Smith,4,4B,01/09/2026,No,No,Yes,Yes,Yes,No,No,No',
  '1003,Oliver,Smith,6,6A,02/09/2026,Yes,Yes,Yes,Yes,Yes,Yes,Yes,Yes',
  '1004,Isla,"O\'Brien",4,4B,,,,,,,,,',
  '1005,Noah,Patel,5,5C,03/09/2026,Yes,Yes,Yes,Yes,Yes,Yes,Yes,Yes',
].join('\r\n');

async function sendFile(h: Harness, u: TestUser, name: string, content: string) {
  h.connector.files.set(name, content);
  await u.install();
  const before = h.connector.to(u.conversationId).length;
  await u.post(
    u.activity({
      type: 'message',
      text: '',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.teams.file.download.info',
          name,
          content: { downloadUrl: `${h.connector.url}/files/${name}`, fileType: 'csv' },
        },
      ],
    }),
  );
  return h.connector
    .to(u.conversationId)
    .slice(before)
    .map((r) => r.activity);
}

const check = async (u: TestUser, data: Record<string, unknown>) => (await u.click('consent.check', data)).card!;

describe('pupil image consent', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      yaml: TEST_CONFIG.replace('    policies:', '    consent: { lookupsPerHour: 8 }\n    policies:'),
    });
    const r = await sendFile(h, h.user('office'), 'register.csv', REGISTER);
    expect(cardText(r[0]!.attachments[0].content)).toMatch(/Imported 5 pupils/);
  });
  afterEach(async () => {
    await h.close();
  });

  it('checks one pupil with a typo, tells two pupils of the same name apart, and treats "not recorded" as no', async () => {
    const t = h.user('teacher');
    await t.install();
    const yes = cardText(await check(t, { name: 'Amelia Kahn', use: 'website' }));
    expect(yes).toMatch(/Yes: consent is given for the school website/);
    expect(yes).toMatch(/Amelia Khan \(Year 4, 4B\).*recorded 01\/09\/2026/);
    expect(yes).toMatch(/Never put a pupil's full name beside their image/);

    const two = await check(t, { name: 'Oliver Smith', use: 'press' });
    const choices = actionsOf(two);
    expect(cardText(two)).toMatch(/Which pupil\?.*Oliver Smith +· Year 4, 4B.*Oliver Smith +· Year 6, 6A/);
    expect(choices.map((c) => c.data.pupilId).sort()).toEqual(['1002', '1003']);
    const sixA = choices.find((c) => c.data.pupilId === '1003')!;
    expect(cardText((await t.click(sixA.verb, sixA.data)).card)).toMatch(/Yes: consent is given for press and media/);
    expect(cardText(await check(t, { name: 'Oliver Smith', group: '4B', use: 'press' }))).toMatch(
      /No: consent is not given/,
    );
    expect(cardText(await check(t, { name: "Isla O'Brien", use: 'website' }))).toMatch(/Not recorded: treat it as no/);
    expect(cardText(await check(t, { name: 'Am', use: 'website' }))).toMatch(/at least three letters/);

    const free = (await t.say("can I put Amelia Khan's photo on the school website?"))[0]!;
    expect(cardText(free.attachments[0].content)).toMatch(/Yes: consent is given for the school website/);
    // A capitalised word that is no pupil's name is not taken for one: the policy answers instead.
    const app = (await t.say('can I use Seesaw photos in class?'))[0]!;
    expect(cardText(app.attachments[0].content)).not.toMatch(/No pupil found|consent is/);
  });

  it('answers for every use a question names: a video for the website needs consent for both', async () => {
    const t = h.user('teacher');
    await t.install();
    const say = async (text: string) => (await t.say(text))[0]!.attachments[0].content;
    // Amelia may be filmed, but not for the paper: the use that is not allowed answers.
    const paper = cardText(await say('can Amelia Khan be in a video for the local paper'));
    expect(paper).toMatch(/No: consent is not given for press and media/);
    expect(paper).toMatch(/Each use needs its own consent: press and media, no; video, webcam and video calls, yes/);
    expect(cardText(await say('can I film Amelia Khan for the website'))).toMatch(
      /Yes: consent is given for each of the school website; video, webcam and video calls/,
    );
    // Two pupils of that name: the one picked is answered for both uses (the 4B Oliver may be
    // filmed, but not shown on the website).
    const two = await say('can Oliver Smith be in the class video for the website');
    const fourB = actionsOf(two).find((c) => c.data.pupilId === '1002')!;
    expect(fourB.data.use).toBe('website,video');
    expect(cardText((await t.click(fourB.verb, fourB.data)).card)).toMatch(
      /No: consent is not given for the school website/,
    );
    // A use the card never offered is refused, plainly, and looks no one up.
    const lookups = async () =>
      (await h.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'consent.%'"))!.n;
    const before = await lookups();
    const tampered = await t.click(fourB.verb, { ...fourB.data, use: 'website,spaceship' });
    expect(cardText(tampered.card)).toMatch(/Please check use: pick what the image is for\. Nothing was saved/);
    expect(await lookups()).toBe(before);
    // A class, for both uses: only pupils allowed both may appear.
    expect(cardText(await say('which pupils in 4B can be in a video for the website'))).toMatch(
      /4B: each of the school website; video, webcam and video calls.*1 of 3 may appear/s,
    );
  });

  it('reads no image check into a year group alone, nor into where the person typing is', async () => {
    const t = h.user('teacher');
    await t.install();
    const lookups = async () =>
      (await h.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'consent.%'"))!.n;
    const before = await lookups();
    // A follow request on Instagram is about the person typing: no pupil's image, no year group's consent.
    const text = cardText(
      (await t.say('a year 11 leaver added me on instagram, can I accept?'))[0]!.attachments[0].content,
    );
    expect(text).not.toMatch(/No such class|may appear|consent is/i);
    expect(await lookups()).toBe(before);
    // A year group with a use is still checked, also when asked who is not allowed (a permission, not a past event).
    expect(
      cardText((await t.say("which kids in 4B aren't allowed in the local paper"))[0]!.attachments[0].content),
    ).toMatch(/4B.*may appear/s);
    expect(cardText((await t.say('can year 4 go on the website?'))[0]!.attachments[0].content)).toMatch(/may appear/);
  });

  it('reads "press" as the newspapers only where it is a noun, "news" only where an image could be in it, and "record" as filming only where it is a verb', () => {
    const uses = (said: string) => spotUses(said).map((e) => e.value);
    expect(uses('can Kofi be in the local press?')).toEqual(['press']);
    expect(uses('press photo of Kofi, ok?')).toEqual(['press']);
    expect(uses("a sign-in prompt came up that I didn't start, should I press approve?")).toEqual([]);
    expect(uses('can I record the assembly?')).toEqual(['video']);
    expect(uses("the police asked for a pupil's attendance record")).toEqual([]);
    // News asked for is no newspaper; the news an image could be in is the press.
    expect(uses('I asked for Canva last week, any news?')).toEqual([]);
    expect(uses('no news yet on my request')).toEqual([]);
    expect(uses('can Kofi be on the local news?')).toEqual(['press']);
    // "Insta" is Instagram.
    expect(uses('can Kofi go on the school insta?')).toEqual(['socialMedia']);
  });

  it("reads a class as a Scottish or Northern Irish primary's register writes it (P6, P6/7), and names its stage as written", async () => {
    const stages = [
      HEADER,
      '2001,Eilidh,Fraser,P6,P6/7,19/08/2026,Yes,Yes,No,Yes,Yes,Yes,No,No',
      '2002,Finlay,Burns,P7,P6/7,19/08/2026,No,No,Yes,Yes,Yes,Yes,Yes,Yes',
      '2003,Rowan,Glen,P3,P3,19/08/2026,Yes,No,Yes,Yes,Yes,No,Yes,Yes',
    ].join('\r\n');
    expect(cardText((await sendFile(h, h.user('office'), 'stages.csv', stages))[0]!.attachments[0].content)).toMatch(
      /Imported 3 pupils/,
    );
    const t = h.user('teacher');
    await t.install();
    const group = cardText((await t.say('photo consent p6/7 for the website'))[0]!.attachments[0].content);
    expect(group).toMatch(/P6\/7: .*1 of 2 may appear/s);
    expect(group).toMatch(/Finlay Burns \(P6\/7\)/);
    // A stage is no year's number: "P6", not "Year P6".
    const one = cardText(await check(t, { name: 'Eilidh Fraser', use: 'website' }));
    expect(one).toMatch(/Eilidh Fraser \(P6, P6\/7\)/);
    expect(one).not.toMatch(/Year P6/);
  });

  it('lists the pupils of a class who must not appear', async () => {
    const t = h.user('teacher');
    await t.install();
    const g = cardText(await check(t, { group: '4B', use: 'socialMedia' }));
    expect(g).toMatch(/0 of 3 may appear/);
    expect(g).toMatch(/Amelia Khan \(4B\)/);
    expect(g).toMatch(/Isla O'Brien \(4B\): not recorded/);
    expect(cardText(await check(t, { group: 'Year 4', use: 'video' }))).toMatch(/2 of 3 may appear/);
  });

  it('records a withdrawal from the office, effective at once; refuses it from other staff', async () => {
    const t = h.user('teacher');
    await t.install();
    const data = { name: 'Amelia Khan', use: 'website', status: 'withdrawn', receivedOn: '2026-11-23', how: 'letter' };
    // The office's form, by its command; not for other staff.
    const refused = (await t.say('record consent'))[0]!;
    expect(`${refused.text ?? ''}${cardText(refused.attachments?.[0]?.content)}`).toMatch(
      /Only the school office and the DPO/,
    );
    const office = h.user('office');
    await office.install();
    const form = (await office.say('record consent'))[0]!.attachments[0].content;
    expect(actionsOf(form).map((a) => a.verb)).toContain('consent.record');
    expect(cardText((await t.click('consent.record', data)).card)).toMatch(/Only the school office and the DPO/);
    expect(cardText((await h.user('office').click('consent.record', data)).card)).toMatch(
      /Recorded: consent withdrawn/,
    );
    expect(cardText(await check(t, { name: 'Amelia Khan', use: 'website' }))).toMatch(
      /No: consent is not given.*recorded 23\/11\/2026/,
    );
    const change = await h.db.get<{ from_status: string; to_status: string; how: string }>(
      `SELECT from_status, to_status, how FROM consent_changes WHERE source = 'office'`,
    );
    expect(change).toEqual({ from_status: 'yes', to_status: 'no', how: 'letter' });
  });

  it('keeps a written withdrawal through the next MIS import, lists the disagreement, and lets the office clear it', async () => {
    const t = h.user('teacher');
    await t.install();
    const withdraw = {
      name: 'Amelia Khan',
      use: 'website',
      status: 'withdrawn',
      receivedOn: '2026-11-23',
      how: 'letter',
    };
    await h.user('office').click('consent.record', withdraw);
    // The MIS has not caught up: the next export still says Yes.
    const imported = cardText((await sendFile(h, h.user('office'), 'again.csv', REGISTER))[0]!.attachments[0].content);
    expect(imported).toMatch(/1 written withdrawal\(s\) recorded here still stand/);
    expect(imported).toMatch(/Amelia Khan: the school website \(the file says yes\)/);
    expect(cardText(await check(t, { name: 'Amelia Khan', use: 'website' }))).toMatch(/No: consent is not given/);
    // The parent gives consent again in writing; the office records it, and imports apply again.
    await h.user('office').click('consent.record', { ...withdraw, status: 'given', receivedOn: '2026-11-24' });
    const later = REGISTER.replace('1001,Amelia,Khan,4,4B,01/09/2026,Yes', '1001,Amelia,Khan,4,4B,01/09/2026,No');
    const after = cardText((await sendFile(h, h.user('office'), 'later.csv', later))[0]!.attachments[0].content);
    expect(after).not.toMatch(/still stand/);
    expect(cardText(await check(t, { name: 'Amelia Khan', use: 'website' }))).toMatch(/No: consent is not given/);
  });

  it('imports all or nothing, names each bad row, records what changed on re-import, and refuses other importers', async () => {
    const bad = [
      HEADER,
      '2001,Zara,Ali,3,3A,01/09/2026,Yes,,,,,,,',
      ',No,Id,3,3A,,,,,,,,,',
      '2003,Sam,Lee,3,3A,31-02-2026,Maybe,,,,,,,',
    ].join('\n');
    const r = cardText((await sendFile(h, h.user('office'), 'bad.csv', bad))[0]!.attachments[0].content);
    expect(r).toMatch(/Nothing was imported/);
    expect(r).toMatch(/Row 3: no pupil id/);
    expect(r).toMatch(/Row 4: "Maybe" under Website is not yes, no or blank; "31-02-2026" is not a date/);
    expect((await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM pupils'))!.n).toBe(5);

    const refused = await sendFile(h, h.user('teacher'), 'register.csv', REGISTER);
    expect(cardText(refused[0]!.attachments?.[0]?.content ?? {}) + (refused[0]!.text ?? '')).toMatch(
      /Only the school office and the DPO can import/,
    );

    // Noah left; Oliver (4B) now consents to the website.
    const next = REGISTER.replace('1002,Oliver,Smith,4,4B,01/09/2026,No', '1002,Oliver,Smith,4,4B,20/11/2026,Yes')
      .split('\r\n')
      .filter((l) => !l.startsWith('1005'))
      .join('\n');
    expect(cardText((await sendFile(h, h.user('office'), 'next.csv', next))[0]!.attachments[0].content)).toMatch(
      /0 new, 1 left the school, 1 consents given and 0 withdrawn/,
    );
    const t = h.user('teacher');
    await t.install();
    expect(cardText(await check(t, { name: 'Noah Patel', use: 'website' }))).toMatch(/No pupil found/);
  });

  it('audits every look-up and stops a person after the hourly limit', async () => {
    const t = h.user('teacher');
    await t.install();
    for (let i = 0; i < 8; i++) await check(t, { name: 'Noah Patel', use: 'website' });
    expect(cardText(await check(t, { name: 'Noah Patel', use: 'website' }))).toMatch(/limit/);
    const rows = await h.db.all<{ subject: string; detail: string }>(
      `SELECT subject, detail FROM audit_log WHERE actor_id = ? AND action = 'consent.lookup'`,
      [t.aad],
    );
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual({ subject: '1005', detail: JSON.stringify({ use: 'website' }) });
    h.clock.advance(3_600_001);
    expect(cardText(await check(t, { name: 'Noah Patel', use: 'website' }))).toMatch(/Yes/);
  });

  it('measures typos as edits, with swapped letters as one', () => {
    expect(distance('khan', 'kahn', 2)).toBe(1);
    expect(distance('amelia', 'amelai', 2)).toBe(1);
    expect(distance('smith', 'smyth', 1)).toBe(1);
    expect(distance('oliver', 'amelia', 2)).toBe(3);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('the look-up limit on PostgreSQL', () => {
  it('holds when look-ups arrive at the same moment', async () => {
    const h = await startHarness({
      databaseUrl: process.env.DATABASE_URL,
      yaml: TEST_CONFIG.replace('    policies:', '    consent: { lookupsPerHour: 8 }\n    policies:'),
    });
    try {
      await sendFile(h, h.user('office'), 'register.csv', REGISTER);
      const t = h.user('teacher');
      await t.install();
      const cards = await Promise.all(
        Array.from({ length: 20 }, () => check(t, { name: 'Noah Patel', use: 'website' })),
      );
      expect(cards.filter((c) => /limit/.test(cardText(c)))).toHaveLength(12);
      const n = await h.db.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM audit_log WHERE actor_id = ? AND action = 'consent.lookup'`,
        [t.aad],
      );
      expect(Number(n!.n)).toBe(8);
    } finally {
      await h.close();
    }
  });
});
