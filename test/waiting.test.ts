import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionsOf, cardText, deviceForm, softwareForm, startHarness, TABLET, type Harness } from './helpers/harness';

/** "Waiting for you": one list of what waits for a person, whichever flow it belongs to. */
describe('waiting for you', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    for (const k of ['teacher', 'it', 'it2', 'head', 'dpo', 'sbm'] as const) await h.user(k).install();
  });
  afterEach(async () => {
    await h.close();
  });

  // The list is the reply's card: a notice the outbox delivers meanwhile (a decision on the
  // person's own request, IT's task for a device just approved) may land in the same conversation
  // first when the machine is busy. What is queued is delivered before asking.
  const waiting = async (k: 'dpo' | 'it' | 'teacher') => {
    await h.flush();
    return (await h.user(k).say('waiting for me')).find((m) => m.attachments?.length)!.attachments[0].content;
  };

  it('lists a breach, a policy question and an approval for the DPO, and an IT task for IT, oldest first', async () => {
    const t = h.user('teacher');
    // 1. A breach with health data (the DPO handles those).
    const form = (await t.say('report a breach'))[0]!.attachments[0].content;
    const submit = actionsOf(form).find((a) => a.verb === 'breach.submit')!;
    await t.click('breach.submit', {
      ...submit.data,
      category: 'wrong-recipient',
      description: 'Sent the medical needs list to the wrong parent',
      dataKinds: 'health',
    });
    h.clock.advance(60_000);
    // 2. A question the policy does not answer, passed to the DPO.
    const none = (await t.say('Can governors see the CCTV recordings?'))[0]!.attachments[0].content;
    const ask = actionsOf(none).find((a) => a.title === 'Ask a person')!;
    await t.click(ask.verb, ask.data);
    h.clock.advance(60_000);
    // 3. A software request with pupil data: IT approves, then it waits for the DPO.
    await t.click('software.submit', { ...(await softwareForm(t)), name: 'Kahoot', personalData: 'pupils' });
    await h.flush();
    const approveIt = actionsOf(h.user('it').lastCard()).find((a) => a.title === 'Approve')!;
    await h.user('it').click(approveIt.verb, approveIt.data);
    // 4. A personal device: once approved, IT has a task to set it up.
    await t.click('device.submit', await deviceForm(t, { ...TABLET, kind: 'phone', device: 'Pixel 8' }));
    await h.flush();
    const approveDevice = actionsOf(h.user('it').lastCard()).find((a) => a.title === 'Approve')!;
    await h.user('it').click(approveDevice.verb, approveDevice.data);
    h.clock.advance(60_000);

    const forDpo = await waiting('dpo');
    expect(actionsOf(forDpo).map((a) => a.verb)).toEqual(['breach.open', 'policy.ticket', 'requests.open']);
    expect(cardText(forDpo)).toMatch(
      /BR-2026-0001.*not yet acknowledged.*Question +Can governors see the CCTV.*asked by Tara Teacher.*SW-2026-0001/s,
    );

    // Opening the question gives the answer form, with the way back to the list.
    const open = actionsOf(forDpo).find((a) => a.verb === 'policy.ticket')!;
    const ticket = (await h.user('dpo').click(open.verb, open.data)).card!;
    expect(actionsOf(ticket).map((a) => a.title)).toEqual(['Send answer', 'Back to the list']);
    // Answered, it leaves the list.
    const send = actionsOf(ticket).find((a) => a.verb === 'policy.reply')!;
    await h.user('dpo').click(send.verb, { ...send.data, reply: 'Only with the headteacher present.' });
    expect(actionsOf(await waiting('dpo')).map((a) => a.verb)).toEqual(['breach.open', 'requests.open']);

    // IT: the device to set up; done, it leaves the list. Someone else cannot open the task.
    const forIt = await waiting('it');
    expect(cardText(forIt)).toMatch(/DEV-2026-0001 +Set up Phone: Pixel 8 for Tara Teacher/);
    const task = actionsOf(forIt).find((a) => a.verb === 'device.task')!;
    expect(cardText((await t.click(task.verb, task.data)).card)).toMatch(/Only IT/);
    const taskCard = (await h.user('it').click(task.verb, task.data)).card!;
    const done = actionsOf(taskCard).find((a) => a.verb === 'device.configured')!;
    await h.user('it').click(done.verb, done.data);
    expect(actionsOf(await waiting('it')).filter((a) => a.verb === 'device.task')).toEqual([]);

    // The teacher waits on others, but nothing waits for them.
    expect(actionsOf(await waiting('teacher'))).toEqual([]);
  });
});
