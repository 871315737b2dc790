import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../src/clock';
import {
  actionsOf,
  cardText,
  inputValue,
  softwareForm,
  startHarness,
  TEST_CONFIG,
  type Harness,
  type TestUser,
} from './helpers/harness';

const approve = async (u: TestUser) => {
  const a = actionsOf(u.lastCard()).find((x) => x.title === 'Approve');
  if (!a) throw new Error(`${u.key} has nothing to approve`);
  return u.click(a.verb, a.data);
};

async function startForm(u: TestUser, command: string, verb: string) {
  await u.install();
  const card = (await u.say(command))[0]!.attachments[0].content;
  return actionsOf(card).find((a) => a.verb === verb)!;
}

describe('permission requests', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    for (const k of ['it', 'it2', 'head', 'dpo', 'sbm'] as const) await h.user(k).install();
  });
  afterEach(async () => {
    await h.close();
  });

  it('software that holds pupil data goes IT → DPO → headteacher, then answers from the register', async () => {
    const t = h.user('teacher');
    const submit = await startForm(t, 'install software', 'software.submit');
    // "Does data leave the UK?" has no answer chosen for the person: unanswered, nothing is sent.
    const form = t.lastCard();
    expect(JSON.stringify(form)).toMatch(/"id":"outsideUk","label":"Does data leave the UK\?","value":""/);
    const unanswered = await t.click(submit.verb, {
      ...submit.data,
      name: 'Seesaw',
      purpose: 'Class journals',
      devices: 'tablets',
      personalData: 'pupils',
    });
    expect(cardText(unanswered.card)).toMatch(/data leaves the UK \(or Don't know\)/);
    expect(await h.db.get('SELECT id FROM requests')).toBeUndefined();
    await t.click(submit.verb, {
      ...submit.data,
      name: 'Seesaw',
      purpose: 'Class journals',
      devices: 'tablets',
      personalData: 'pupils',
      outsideUk: 'yes',
      cost: 'paid',
    });
    await h.flush();
    expect(cardText(h.user('it').lastCard())).toMatch(/Step 1 of 3/);
    await approve(h.user('it'));
    await h.flush();
    const dpoCard = cardText(h.user('dpo').lastCard());
    expect(dpoCard).toMatch(/Step 2 of 3: Data protection review/);
    expect(dpoCard).toMatch(/data protection impact assessment may be needed/);
    const cond = actionsOf(h.user('dpo').lastCard()).find((x) => x.title === 'Approve')!;
    await h.user('dpo').click(cond.verb, { ...cond.data, approveConditions: 'Only first names in journals' });
    await h.flush();
    await approve(h.user('head'));
    await h.flush();
    expect(cardText(t.lastCard())).toMatch(/Your request is approved/);
    expect(cardText(t.lastCard())).toMatch(/Only first names in journals/);
    // Three steps, two messages: one status card kept current in place, and the outcome.
    const after = t.cards().filter((c) => /SW-2026-0001/.test(cardText(c)));
    expect(after).toHaveLength(2);
    expect(cardText(after[0])).toMatch(/Your request is approved/);
    expect(actionsOf(after[0]).some((a) => a.verb === 'requests.withdraw')).toBe(false);

    expect((await t.say('Is Seesaw approved?'))[0]!.text).toMatch(
      /Yes: Seesaw is approved for pupil ipads \/ tablets \(SW-2026-0001.*on condition that: Only first names in journals/,
    );
    expect((await t.say('can I install seesaw?'))[0]!.text).toMatch(/Seesaw is approved/);
    // Not on the register: said so, with the request offered and the name filled in.
    const offer = (await t.say('is TikTok approved?'))[0]!.attachments[0].content;
    expect(cardText(offer)).toMatch(/TikTok is not on Oakfield Primary School's register/);
    expect(inputValue(offer, 'name')).toBe('TikTok');
    expect((await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM requests'))!.n).toBe(1);
  });

  it("pupils' photos on a personal phone need the headteacher's written permission, which names the person and the device", async () => {
    const t = h.user('teacher');
    await h.user('head').install();
    const submit = await startForm(t, 'personal device', 'device.submit');
    const ok = await t.click(submit.verb, {
      ...submit.data,
      kind: 'phone',
      device: 'iPhone 13',
      uses: 'photos',
      checklist: 'screenLock,encryption,updates,antivirus,defaultPassword,family',
    });
    expect(cardText(ok.card)).toMatch(/need the headteacher's written permission/);
    await h.flush();
    const itCard = cardText(h.user('it').lastCard());
    expect(itCard).toMatch(/Check each pupil's photo consent first/);
    await approve(h.user('it'));
    await h.flush();
    // IT alone is not enough: the request waits for the headteacher.
    expect((await h.db.get<{ status: string }>('SELECT status FROM requests'))!.status).toBe('pending');
    expect(cardText(h.user('head').lastCard())).toMatch(/Headteacher's written permission \(pupils' photos\)/);
    await approve(h.user('head'));
    await h.flush();
    const permission = cardText(t.lastCard());
    expect(permission).toMatch(
      /Written permission for Tara Teacher: iPhone 13 for photos on a trip or event\. Approved by Ian Tech, Helen Head/,
    );
  });

  it('warns about a personal USB stick for pupil data, and sends "not sure" about personal data to the DPO', async () => {
    const t = h.user('teacher');
    await t.install();
    const pick = (await t.say('ask permission'))[0]!.attachments[0].content;
    const open = actionsOf(pick).find((a) => a.title === 'Use removable media (USB)')!;
    const form = (await t.click(open.verb, open.data)).card!;
    const usb = actionsOf(form).find((a) => a.verb === 'permissions.submit')!;
    const r = await t.click(usb.verb, {
      ...usb.data,
      purpose: 'Carry the reading assessment spreadsheet home',
      schoolIssued: 'no',
      personalData: 'yes',
    });
    expect(cardText(r.card)).toMatch(/A personal stick should not be used for it/);
    await h.flush();
    expect(cardText(h.user('it').lastCard())).toMatch(/A personal stick should not be used for it/);

    const sw = await startForm(t, 'install software', 'software.submit');
    await t.click(sw.verb, {
      ...sw.data,
      name: 'Kahoot',
      purpose: 'Quizzes',
      devices: 'online',
      personalData: 'unsure',
      outsideUk: 'no',
      cost: 'free',
    });
    const stages = await h.db.all<{ name: string }>(
      `SELECT s.name FROM request_stages s JOIN requests r ON r.id = s.request_id WHERE r.type = 'software' ORDER BY s.idx`,
    );
    expect(stages.map((s) => s.name)).toContain('Data protection review');
  });

  it('a personal device: checklist enforced, IT approves, configures, owner told; reminded before expiry and asked to remove data after', async () => {
    const t = h.user('teacher');
    const submit = await startForm(t, 'personal device', 'device.submit');
    const partial = await t.click(submit.verb, {
      ...submit.data,
      kind: 'phone',
      device: 'iPhone 13',
      uses: 'email',
      checklist: 'screenLock,encryption',
    });
    expect(cardText(partial.card)).toMatch(/every point must be true.*automatic updates are on/i);
    expect((await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM requests'))!.n).toBe(0);
    const ok = await t.click(submit.verb, {
      ...submit.data,
      kind: 'phone',
      device: 'iPhone 13',
      uses: 'email,documents',
      checklist: 'screenLock,encryption,updates,antivirus,defaultPassword,family',
    });
    expect(cardText(ok.card)).toMatch(/DEV-2026-0001/);
    await h.flush();
    await approve(h.user('it'));
    await h.flush();
    expect(cardText(t.lastCard())).toMatch(/approved/);

    // Both IT holders get the task; one marks it done and the other's card updates.
    const task = h.user('it2').lastCard();
    expect(cardText(task)).toMatch(/Configure a personal device \(DEV-2026-0001\)/);
    const done = actionsOf(task).find((a) => a.verb === 'device.configured')!;
    expect(cardText((await t.click(done.verb, done.data)).card)).toMatch(/Only IT/);
    await h.user('it2').click(done.verb, done.data);
    await h.flush();
    expect(
      cardText(
        h
          .user('it')
          .cards()
          .find((c) => cardText(c).includes('Configure a personal device'))!,
      ),
    ).toMatch(/Done by Isla Tech/);
    expect(h.connector.to(t.conversationId).at(-1)!.activity.text).toMatch(
      /IT has set up your device \(Phone: iPhone 13\)/,
    );

    const sent = () => h.connector.to(t.conversationId).length;
    const before = sent();
    h.clock.advance(340 * DAY);
    await h.app.jobs.tick();
    await h.restart();
    await h.app.jobs.tick();
    await h.flush();
    expect(sent()).toBe(before + 1);
    expect(cardText(t.lastCard())).toMatch(/ends soon/);
    h.clock.advance(30 * DAY);
    await h.app.jobs.tick();
    await h.flush();
    const ended = t.lastCard();
    expect(cardText(ended)).toMatch(/has ended.*remove school email/);
    const removed = actionsOf(ended).find((a) => a.verb === 'device.removed')!;
    await t.click(removed.verb, removed.data);
    expect((await h.db.get<{ removed_at: number | null }>('SELECT removed_at FROM device_register'))!.removed_at).toBe(
      h.clock.now(),
    );
  });

  it('asks someone who leaves the school to remove school data from their approved device', async () => {
    const t = h.user('teacher');
    const submit = await startForm(t, 'personal device', 'device.submit');
    await t.click(submit.verb, {
      ...submit.data,
      kind: 'tablet',
      device: 'iPad Air',
      uses: 'email',
      checklist: 'screenLock,encryption,updates,antivirus,defaultPassword,family',
    });
    await h.flush();
    await approve(h.user('it'));
    await h.flush();
    await h.app.jobs.tick();
    await h.flush();
    expect(cardText(t.lastCard())).not.toMatch(/remove school data/);
    // The staff list (from the Teams roster) marks them as gone.
    await h.db.run(
      `INSERT INTO staff (school_id, aad_id, name, source, joined_at, left_at) VALUES ('oakfield', ?, 'Tara Teacher', 'team', 0, ?)`,
      [t.aad, h.clock.now()],
    );
    await h.app.jobs.tick();
    await h.app.jobs.tick();
    await h.flush();
    const card = t.lastCard();
    expect(cardText(card)).toMatch(/You are leaving: please remove school data from Tablet: iPad Air/);
    const done = actionsOf(card).find((a) => a.verb === 'device.removed')!;
    expect(cardText((await t.click(done.verb, done.data)).card)).toMatch(/recorded that school data has been removed/);
    expect(
      h.connector
        .to(t.conversationId)
        .filter((r) => cardText(r.activity.attachments?.[0]?.content).includes('You are leaving')),
    ).toHaveLength(1);
  });

  it('a request type defined in the YAML: its form, its stages and its condition', async () => {
    const t = h.user('teacher');
    await t.install();
    const pick = (await t.say('ask permission'))[0]!.attachments[0].content;
    const usb = actionsOf(pick).find((a) => a.title === 'Use removable media (USB)')!;
    const form = (await t.click(usb.verb, usb.data)).card!;
    expect(cardText(form)).toMatch(/Is it a school-issued encrypted device\?/);
    const submit = actionsOf(form).find((a) => a.verb === 'permissions.submit')!;
    const bad = await t.click(submit.verb, {
      ...submit.data,
      purpose: 'Coursework marks',
      schoolIssued: 'maybe',
      personalData: 'yes',
    });
    expect(cardText(bad.card)).toMatch(/Is it a school-issued encrypted device\?: answer yes or no/);
    const r = await t.click(submit.verb, {
      ...submit.data,
      purpose: 'Coursework marks for moderation',
      schoolIssued: 'yes',
      personalData: 'yes',
    });
    expect(cardText(r.card)).toMatch(/USB-2026-0001/);
    await h.flush();
    await approve(h.user('it'));
    await h.flush();
    expect(cardText(h.user('dpo').lastCard())).toMatch(/Step 2 of 2: Data protection review/);
    await approve(h.user('dpo'));
    await h.flush();
    expect(cardText(t.lastCard())).toMatch(/Your request is approved/);
    // Without personal data, the DPO's stage does not apply.
    const r2 = await t.click(submit.verb, {
      ...submit.data,
      formId: '0b0b0b0b-1111-4111-8111-111111111111',
      purpose: 'Slides for assembly',
      schoolIssued: 'yes',
      personalData: 'no',
    });
    expect(cardText(r2.card)).toMatch(/USB-2026-0002/);
    expect(
      (
        await h.db.all('SELECT idx FROM request_stages s JOIN requests r ON r.id = s.request_id WHERE r.ref = ?', [
          'USB-2026-0002',
        ])
      ).length,
    ).toBe(1);
  });

  it('reminds approvers after two working days and escalates after two more, once each across a restart', async () => {
    // Tuesday 24 November 10:00: reminder due Thursday, escalation Monday (the weekend skipped).
    const t = h.user('teacher');
    const submit = await startForm(t, 'install software', 'software.submit');
    await t.click(submit.verb, {
      ...submit.data,
      name: 'Kahoot',
      purpose: 'Quizzes',
      devices: 'classroom',
      personalData: 'no',
      outsideUk: 'no',
    });
    await h.flush();
    const it = h.user('it');
    const n = () => h.connector.to(it.conversationId).length;
    const start = n();
    h.clock.set('2026-11-26T09:59:00Z');
    await h.app.jobs.tick();
    await h.flush();
    expect(n()).toBe(start);
    h.clock.set('2026-11-26T10:00:00Z');
    await h.app.jobs.tick();
    await h.restart();
    await h.app.jobs.tick();
    await h.flush();
    expect(n()).toBe(start + 1);
    expect(cardText(it.lastCard())).toMatch(/Reminder: this has been waiting since Tue 24 Nov/);

    const head = h.user('head');
    const headStart = h.connector.to(head.conversationId).length;
    h.clock.set('2026-11-29T12:00:00Z'); // Sunday
    await h.app.jobs.tick();
    await h.flush();
    expect(h.connector.to(head.conversationId).length).toBe(headStart);
    h.clock.set('2026-11-30T10:00:00Z'); // Monday
    await h.app.jobs.tick();
    await h.app.jobs.tick();
    await h.flush();
    expect(h.connector.to(head.conversationId).length).toBe(headStart + 1);
    expect(cardText(head.lastCard())).toMatch(/Escalated: nobody has decided/);
    const r = await approve(head);
    expect(cardText(r.card)).toMatch(/Approved by Helen Head/);
  });
});

describe('lists and withdrawing', () => {
  it('opens your own request as its requester from "My requests" even when you hold the approving role, and asks before withdrawing', async () => {
    // The local trial: everyone holds every role, so the requester could also approve.
    const h = await startHarness({ everyoneHoldsEveryRole: true });
    try {
      const t = h.user('teacher');
      await t.click('software.submit', await softwareForm(t));
      const list = (await t.say('my requests'))[0]!.attachments[0].content;
      const open = actionsOf(list).find((a) => a.verb === 'requests.open')!;
      expect(open.data.as).toBe('requester');
      const mine = (await t.click(open.verb, open.data)).card!;
      expect(actionsOf(mine).map((a) => a.title)).not.toContain('Approve');
      // Withdrawing is behind "Are you sure?".
      expect(cardText(mine)).toMatch(/Are you sure\? The approvers are told it is no longer needed/);
      const withdraw = actionsOf(mine).find((a) => a.verb === 'requests.withdraw')!;
      expect(withdraw.title).toBe('Yes, withdraw it');
      const waiting = (await t.say('waiting for me'))[0]!.attachments[0].content;
      const asApprover = actionsOf(waiting).find((a) => a.verb === 'requests.open')!;
      expect(actionsOf((await t.click(asApprover.verb, asApprover.data)).card).map((a) => a.title)).toContain(
        'Approve',
      );
    } finally {
      await h.close();
    }
  });
});

describe('approver context', () => {
  it('shows the headteacher who approved the earlier step and when, and the list says who asked and since when', async () => {
    const h = await startHarness();
    try {
      for (const k of ['it', 'head'] as const) await h.user(k).install();
      const t = h.user('teacher');
      await t.click('software.submit', await softwareForm(t));
      await h.flush();
      h.clock.advance(30 * 60_000);
      await approve(h.user('it'));
      await h.flush();
      const headCard = cardText(h.user('head').lastCard());
      expect(headCard).toMatch(
        /Earlier steps Security and licence check: approved by Ian Tech, Tue 24 Nov 2026, 10:30/,
      );
      const list = cardText((await h.user('head').say('waiting for me'))[0]!.attachments[0].content);
      expect(list).toMatch(/asked by Tara Teacher · waiting since Tue 24 Nov 2026, 10:30/);
    } finally {
      await h.close();
    }
  });
});

describe("forms that follow the school's policy", () => {
  // A school whose policy keeps pupils' photos off personal devices and personal sticks out of use.
  const YAML = TEST_CONFIG.replace(
    '    policies:',
    `    devices:
      uses:
        - { value: email, title: School email }
        - { value: photos, title: Photos of pupils, refuse: Photos of pupils are taken only on school iPads. Borrow one from the office. }
    policies:`,
  ).replace(
    '        warnings:\n          - when: [{ field: schoolIssued, equals: false }, { field: personalData, equals: true }]',
    '        refuse:\n          - when: [{ field: schoolIssued, equals: false }, { field: personalData, equals: true }]',
  );
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ yaml: YAML });
    await h.user('it').install();
  });
  afterEach(async () => {
    await h.close();
  });

  it('still answers a button on a card sent before its verb was renamed', async () => {
    const t = h.user('teacher');
    await t.install();
    const old = await t.click('approval.list', { list: 'mine' });
    expect(cardText(old.card)).toMatch(/Your requests/);
  });

  it('offers the uses the school configured and refuses a forbidden one with the rule, sending nothing', async () => {
    const t = h.user('teacher');
    const submit = await startForm(t, 'personal device', 'device.submit');
    const choices = JSON.stringify(t.lastCard()).match(/"id":"uses".*?"choices":(\[[^\]]*\])/)![1]!;
    expect(JSON.parse(choices)).toEqual([
      { title: 'School email', value: 'email' },
      { title: 'Photos of pupils', value: 'photos' },
    ]);
    const answers = {
      ...submit.data,
      kind: 'phone',
      device: 'iPhone 13',
      uses: 'email,photos',
      checklist: 'screenLock,encryption,updates,antivirus,defaultPassword,family',
    };
    const itBefore = h.user('it').cards().length;
    const refused = await t.click(submit.verb, answers);
    expect(cardText(refused.card)).toMatch(
      /policy does not allow this\. Photos of pupils: Photos of pupils are taken only on school iPads\. Borrow one from the office\./,
    );
    // The form keeps what they typed; a use the school does not offer is refused too.
    expect(inputValue(refused.card!, 'device')).toBe('iPhone 13');
    const unknown = await t.click(submit.verb, { ...answers, uses: 'email,banking' });
    expect(cardText(unknown.card)).toMatch(/"banking" is not one of the uses/);
    expect((await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM requests'))!.n).toBe(0);
    await h.flush();
    expect(h.user('it').cards()).toHaveLength(itBefore);

    // Without the forbidden use, it goes to IT, named with the school's own words.
    await t.click(submit.verb, { ...answers, uses: 'email' });
    await h.flush();
    expect(cardText(h.user('it').lastCard())).toMatch(/Used for\s*School email/);
  });

  it('refuses a personal stick for personal data, and lets a school-issued one through', async () => {
    const t = h.user('teacher');
    await t.install();
    const pick = (await t.say('ask permission'))[0]!.attachments[0].content;
    const open = actionsOf(pick).find((a) => a.title === 'Use removable media (USB)')!;
    const usb = actionsOf((await t.click(open.verb, open.data)).card!).find((a) => a.verb === 'permissions.submit')!;
    const answers = {
      ...usb.data,
      purpose: 'Carry the reading assessment home',
      schoolIssued: 'no',
      personalData: 'yes',
    };
    const r = await t.click(usb.verb, answers);
    expect(cardText(r.card)).toMatch(/does not allow this\. The policy allows personal data only on encrypted devices/);
    expect((await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM requests'))!.n).toBe(0);
    const ok = await t.click(usb.verb, { ...answers, schoolIssued: 'yes' });
    expect(cardText(ok.card)).toMatch(/Sent: your reference is USB-/);
  });
});
