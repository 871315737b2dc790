import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepareAnswers } from '../src/boot';
import { policyLibrary } from '../src/flows/policy';
import { EXAMPLE_CONFIG } from '../src/config';
import { SentenceEncoder } from '../src/language/sentences';
import { Understanding } from '../src/understanding';
import { IntentModel, withSubject } from '../src/understanding/model';
import {
  plannedOnly,
  toldPast,
  withHeadlinePassive,
  withIndirectQuestions,
  withoutDenials,
  withoutHearsay,
  writtenOut,
} from '../src/language/words';
import { spotClass } from '../src/flows/consent/understands';
import { countriesIn, countriesInAnyCase } from '../src/language/places';
import { BREACH_INTENTS } from '../src/flows/breach/understands';
import { spotDevices } from '../src/flows/device/understands';
import { spotApps } from '../src/flows/software/understands';
import { PEOPLE_INTENTS } from '../src/flows/people/understands';
import { REQUESTS_INTENTS } from '../src/flows/requests/understands';
import {
  actionsOf,
  cardText,
  inputValue,
  startHarness,
  TEST_CONFIG,
  type Harness,
  type TestUser,
} from './helpers/harness';

const REGISTER = [
  'Adno,Forename,Surname,Year,Reg Group,Consent Date,Website,Prospectus,Video,Learning Platform,Display Inside,Display Outside,Press,Social Media',
  '2001,Ella,Brown,3,3A,01/09/2026,Yes,No,Yes,Yes,Yes,Yes,No,No',
  '2002,Kofi,Mensah,3,3A,01/09/2026,Yes,Yes,Yes,Yes,Yes,Yes,Yes,Yes',
  '2003,Maja,Nowak,5,5B,01/09/2026,No,No,No,No,No,No,No,No',
  "2004,Ciara,O'Donnell,4,4C,01/09/2026,Yes,Yes,Yes,Yes,Yes,Yes,No,Yes",
].join('\r\n');

/** What a reply shows: its text, or its card's (a role answer carries the policy's passage on a card). */
const shown = (a: { text?: string; attachments?: Array<{ content: unknown }> }): string =>
  a.text ?? cardText(a.attachments?.[0]?.content);

/** The test school, with a few sentences of its own for its USB request (as a school would write them). */
const YAML = TEST_CONFIG.replace(
  '        refPrefix: USB',
  '        examples: [can I put school files on a memory stick, I need to copy data onto a flash drive, can I save work on an external hard drive]\n        refPrefix: USB',
);

describe('the intent model', () => {
  it('reads a word its examples never use as their word nearest in meaning', async () => {
    const model = await IntentModel.train([
      { id: 'social', examples: ['can I post about the trip on facebook', 'is facebook allowed for the class page'] },
      { id: 'lost', examples: ['I lost my laptop', 'my laptop was stolen from the car'] },
      { id: 'None', examples: ['what is for lunch', 'when is the next holiday'] },
    ]);
    expect(model.bridged('Is Twitter OK for the class page?')).toBe('Is facebook OK for the class page?');
    // A word with nothing near it in the examples stays as it was.
    expect(model.bridged('my laptop was nicked')).toBe('my laptop was nicked');
    const [top] = await model.classify('twitter?');
    expect(top!.intent).toBe('social');
    expect(top!.score).toBeGreaterThan(0.5);
  });
});

describe('messages typed on a phone', () => {
  it('reads words typed without their apostrophe as the contraction they are', async () => {
    expect(writtenOut('ive lost my phone, i dont know where. whos the dpo?')).toBe(
      "I've lost my phone, I don't know where. who's the dpo?",
    );
    // Words of their own stay as they are.
    expect(writtenOut("I'm ill, its ID badge is in the shed")).toBe("I'm ill, its ID badge is in the shed");
    // "Ex-" is "former", as a policy writes it.
    expect(writtenOut('An ex-pupil added me; Ex-staff too')).toBe('A former pupil added me; Former staff too');
    // Speech as it is typed is the words it stands for.
    expect(writtenOut('wanna check teams, dunno if ok')).toBe("want to check teams, don't know if ok");
    const model = await IntentModel.train([
      {
        id: 'lost',
        examples: ["I've lost my laptop", "I've left the register on the bus", "I've lost a memory stick"],
      },
      { id: 'usb', examples: ['can I use a memory stick', 'is a memory stick allowed', 'memory sticks for reports'] },
      { id: 'None', examples: ['what is for lunch', 'when is the next holiday'] },
    ]);
    const [top] = await model.classify('ive lost my memory stick with the reports on');
    expect(top!.intent).toBe('lost');
  });
});

describe('a message without its "I"', () => {
  it('gets it back before an event in the past or a want, not before an order to the bot', () => {
    expect(withSubject('lost my school phone what should i do')).toBe('I lost my school phone what should i do');
    expect(withSubject('want to use my home laptop for reports')).toBe('I want to use my home laptop for reports');
    expect(withSubject('just emailed the wrong parent')).toBe('I just emailed the wrong parent');
    for (const order of ['install Zoom please', 'check consent for Sam Jones', 'report a breach', 'is it ok to print'])
      expect(withSubject(order)).toBe(order);
  });

  it('leaves a question that starts with an auxiliary before its subject as it is', () => {
    for (const q of [
      'could we get Padlet for the class',
      'did I sign the policy',
      'were the reports sent home',
      'have I signed',
    ])
      expect(withSubject(q)).toBe(q);
    expect(withSubject('might have sent it to the wrong parent')).toBe('I might have sent it to the wrong parent');
    expect(withSubject('had my phone stolen on the bus')).toBe('I had my phone stolen on the bus');
  });
});

describe('what a reading needs', () => {
  it('asks "who" of the role question, and something that happened of a breach report', () => {
    const who = PEOPLE_INTENTS[0]!.needs!.words!;
    expect(who.test("what's the DPO's email")).toBe(true);
    expect(who.test('what is the email for the IT technician')).toBe(true);
    // To email someone is not to ask who they are.
    expect(who.test('I need to email the report to the nurse, how should I send it?')).toBe(false);
    // A person asked for, not one told of.
    expect(who.test('which person signs off trips')).toBe(true);
    expect(who.test('should I try to recall an email I sent to the wrong person')).toBe(false);
    expect(plannedOnly('I need to email the report to the nurse, how should I send it?')).toBe(true);
    expect(plannedOnly('I emailed the report to the wrong nurse, how should I fix it?')).toBe(false);
    expect(plannedOnly('I need to tell someone my phone was stolen')).toBe(false);
    expect(plannedOnly('a parent wants a copy of her file')).toBe(true);
    expect(plannedOnly('a parent wanted a copy and I sent the wrong file')).toBe(false);
    // "Have got" for "have" is what someone has; "has got lost" is what became of a thing.
    expect(toldPast("what has Mateo Garcia Lopez got consent for? I've got a few things in mind")).toBe(false);
    expect(toldPast('my laptop has got lost on the bus')).toBe(true);
    expect(toldPast("someone's got into my email")).toBe(true);
    // A verb whose past is its present is in the past after "have"; not after "let's".
    expect(toldPast("I think I've put the list in the wrong bag")).toBe(true);
    expect(toldPast("let's put the list on the website")).toBe(false);
    // "Would" is no past of "will" here: it tells of nothing that happened.
    expect(plannedOnly("I'm at another school on Monday and would like to bring the data on a memory stick")).toBe(
      true,
    );
    // Where or what to do, asked outright, tells of nothing; asked of what may happen, of an event.
    expect(plannedOnly('where do I write down a safeguarding worry?')).toBe(true);
    expect(plannedOnly('what do I do if I lose my laptop?')).toBe(false);
    // A plan names what it reports when it says so; the reports teachers write are no such thing.
    const event = BREACH_INTENTS[0]!.needs!.event!;
    expect(event.test('I need to report a lost laptop')).toBe(true);
    expect(event.test('need to put some reports on a memory stick to take to a meeting')).toBe(false);
  });

  it("finds the devices a message says are the person's own, each once, in the order said", () => {
    const said = (t: string) => spotDevices(t).map((d) => [d.value, t.slice(d.start, d.end)]);
    expect(said('can I use my own Laptop and my phone, or my laptop at home?')).toEqual([
      ['laptop', 'Laptop'],
      ['phone', 'phone'],
    ]);
    // The school's laptop is not theirs; a newer name is found whatever its tag.
    expect(said('the school laptop is slow, can I use my iPad instead')).toEqual([['ipad', 'iPad']]);
    expect(said('can I use my own car for the trip')).toEqual([]);
    // Said to be theirs after its name, or with a word between ("my new iPad"), but not the school's.
    expect(said('just got an iPad for myself, can I use it?')).toEqual([['ipad', 'iPad']]);
    expect(said('I have a laptop of my own')).toEqual([['laptop', 'laptop']]);
    expect(said('just got myself a new iPad, can I use it at school?')).toEqual([['ipad', 'iPad']]);
    expect(said('can I use my new tablet, not my school iPad?')).toEqual([['tablet', 'tablet']]);
    expect(said('my own Surface is faster')).toEqual([['surface', 'Surface']]);
  });

  it("asks of a person's own requests that they asked, not that someone asked them", () => {
    const mine = REQUESTS_INTENTS.find((d) => d.id === 'requests.mine')!.needs!.words!;
    for (const own of ['what have I asked for', 'what did I ask for last week', 'the things I have asked for'])
      expect(mine.test(own)).toBe(true);
    for (const asked of [
      'the network manager asked for my password, should I give it to him?',
      'someone asked me for my login, is that ok?',
    ])
      expect(mine.test(asked)).toBe(false);
  });
});

/** Phrasings written for these tests (not the benchmark's), each with where it must land. */
describe('free text understood over HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ yaml: YAML });
    const office = h.user('office');
    await office.install();
    await office.sendFile('register.csv', REGISTER);
    expect(cardText(office.lastCard())).toMatch(/Imported 4 pupils/);
  });
  afterEach(async () => {
    await h.close();
  });

  it('reads words typed wrong as the words meant, and keeps what was typed', async () => {
    const t = h.user('teacher');
    await t.install();
    // Two letters swapped ("phnoe") and a letter left out ("scool"): the report, in their own words.
    const said = 'my phnoe got stolen with my scool emails on it';
    const offer = (await t.say(said))[0]!.attachments[0].content;
    expect(cardText(offer)).toMatch(/sounds like it could be a data breach/);
    expect(inputValue(offer, 'description')).toBe(said);
    // A use typed wrong ("websit"), and a pupil's surname typed wrong in lower case beside their first name.
    const site = cardText((await t.say('can kofi mensha go on the websit'))[0]!.attachments[0].content);
    expect(site).toMatch(/Kofi Mensah/);
    expect(site).toMatch(/website/i);
    // The first name typed wrong, before the surname typed right.
    expect(cardText((await t.say('can kofo mensah go on the website'))[0]!.attachments[0].content)).toMatch(
      /Kofi Mensah/,
    );
  });

  it('offers a breach report with their words and the time they gave already in it', async () => {
    const t = h.user('teacher');
    await t.install();
    const said = 'somebody pinched my work phone from the staffroom yesterday at 2pm';
    const offer = (await t.say(said))[0]!.attachments[0].content;
    expect(cardText(offer)).toMatch(/sounds like it could be a data breach/);
    expect(inputValue(offer, 'description')).toBe(said);
    const go = actionsOf(offer)[0]!;
    const form = (await t.click(go.verb, { ...go.data, description: said })).card!;
    expect(actionsOf(form).some((a) => a.verb === 'breach.submit')).toBe(true);
    expect(inputValue(form, 'description')).toBe(said);
    const yesterday = new Date(h.clock.now() - 86_400_000).toISOString().slice(0, 10);
    expect(inputValue(form, 'discoveredOn')).toBe(yesterday);
    expect(inputValue(form, 'discoveredAt')).toBe('14:00');

    // Typed without "I": the menu cannot be it (too many words it never uses), and what is left is a breach.
    const terse = (await t.say('left the register on the bus this morning'))[0]!.attachments[0].content;
    expect(cardText(terse)).toMatch(/sounds like it could be a data breach/);
    // "Y6" is a year group (as "Year 6" and "Yr 6" are), not the name of an app.
    const y6 = (await t.say('lost a USB with the Y6 data on it'))[0]!.attachments[0].content;
    expect(cardText(y6)).toMatch(/sounds like it could be a data breach/);
    // An app named where it happened, asking nothing, is no software asked for; asked about, it is.
    const arbor = (await t.say('Office PC left logged in to Arbor with the window cleaner in the room'))[0]!
      .attachments[0].content;
    expect(cardText(arbor)).toMatch(/sounds like it could be a data breach/);
    const padlet = cardText(
      (await t.say("I've been using Padlet with year 4, is that ok?"))[0]!.attachments[0].content,
    );
    expect(padlet).toMatch(/Padlet/);
    expect(padlet).not.toMatch(/sounds like it could be a data breach/);
  });

  it('reads the day a report was told of, also when the part of the day named, or the hour, is still to come', async () => {
    const t = h.user('teacher');
    await t.install();
    const formFor = async (said: string) => {
      const offer = (await t.say(said))[0]!.attachments[0].content;
      const go = actionsOf(offer)[0]!;
      return (await t.click(go.verb, { ...go.data, description: said })).card!;
    };
    // Half past seven: "this morning" (from eight, to the recogniser) is today, a day alone (when it
    // happened); "at 2pm" was yesterday's, a day and time (when it was noticed).
    h.clock.set(new Date(2026, 10, 24, 7, 30));
    const morning = await formFor('left the register on the bus this morning');
    expect(inputValue(morning, 'happenedOn')).toBe('2026-11-24');
    const twoPm = await formFor('someone took my work phone off my desk at 2pm');
    expect(inputValue(twoPm, 'discoveredOn')).toBe('2026-11-23');
    expect(inputValue(twoPm, 'discoveredAt')).toBe('14:00');
  });

  it('answers a question about a breach or a device from the policy first, with the report or request offered beside it', async () => {
    const t = h.user('teacher');
    await t.install();
    const said = 'my work laptop was stolen from my car, who do I need to tell?';
    const card = (await t.say(said))[0]!.attachments[0].content;
    const text = cardText(card);
    expect(text).toMatch(/^If this has happened, report it now: the school has 72 hours/);
    expect(text).toMatch(/What the policy says.*lost or stolen.*headteacher is also told/s);
    const report = actionsOf(card).find((a) => a.title === 'Report a data breach')!;
    expect(report).toMatchObject({ verb: 'menu.choose', data: { intent: 'breach.report', text: said } });
    // The button starts the report with their words in it.
    const offer = (await t.click(report.verb, report.data)).card!;
    expect(cardText(offer)).toMatch(/sounds like it could be a data breach/);
    expect(inputValue(offer, 'description')).toBe(said);
    // Put in slang the whole reads less surely as a report; the clause that tells of it is sure.
    const nicked = cardText(
      (await t.say('my laptop was nicked from my car, who do I tell?'))[0]!.attachments[0].content,
    );
    expect(nicked).toMatch(/^If this has happened, report it now: the school has 72 hours/);
    expect(nicked).toMatch(/What the policy says.*lost or stolen/s);
    // What the clause that asks names, the policy never mentions: the rules on personal devices do
    // not answer it in its place, and the request for a personal device is what is offered.
    const virus = cardText(
      (await t.say('my own laptop is used for school work, does it need anti-virus?'))[0]!.attachments[0].content,
    );
    expect(virus).not.toMatch(/What the policy says/);
    expect(virus).toMatch(/^Use a personal device/);
    // Told rather than asked, it is the report straight away.
    const told = (await t.say('my work laptop was stolen from my car last night'))[0]!.attachments[0].content;
    expect(cardText(told)).toMatch(/sounds like it could be a data breach/);
    // "The wrong person" asks for nobody: no "Did you mean" between the report and who is who.
    const recall = cardText(
      (await t.say('should I try to recall an email I sent to the wrong person'))[0]!.attachments[0].content,
    );
    expect(recall).toMatch(/^If this has happened, report it now/);
    expect(recall).not.toMatch(/Did you mean/);

    // A plain question about a rule is answered with no report or request pushed at it.
    for (const q of [
      'do I need to lock my screen?',
      'can I leave papers in my car?',
      // "Is that a problem?" asks about a rule; it reports nothing.
      'My kids use my school laptop at home. Is that a problem?',
    ]) {
      const plain = (await t.say(q))[0]!.attachments[0].content;
      expect(cardText(plain)).toMatch(/What the policy says/);
      expect(cardText(plain)).not.toMatch(/If this has happened, report it now/);
      expect(actionsOf(plain).filter((a) => a.verb === 'menu.choose')).toEqual([]);
    }

    // Read as a breach however surely, a question that tells of nothing that happened is not urged as one.
    const listed = (await t.say('is the laptop on the list?'))[0]!.attachments[0].content;
    expect(cardText(listed)).toMatch(/^What the policy says/);
    // The report is still there to start, offered rather than urged.
    expect(actionsOf(listed).find((a) => a.data?.intent === 'breach.report')?.verb).toBe('menu.choose');

    // A wish told ("a parent wants…") is no event, and a clause that asks ("how long have we got")
    // starts no report: neither is a breach, whatever words they share with one.
    const wish = cardText(
      (await t.say('a parent wants copies of everything we hold on their daughter, how long have we got'))[0]!
        .attachments[0].content,
    );
    expect(wish).not.toMatch(/sounds like it could be a data breach|If this has happened, report it now/);

    // The policy never speaks of spreadsheets; it speaks of reporting a breach, which this is.
    const spreadsheet = cardText(
      (await t.say('I sent the reading levels spreadsheet to the wrong parent, who do I tell?'))[0]!.attachments[0]
        .content,
    );
    expect(spreadsheet).toMatch(/^If this has happened, report it now/);
    expect(spreadsheet).toMatch(/What the policy says.*Reporting a data breach/s);

    // A question about apps that names none is the policy's, with the software request beside it.
    const apps = (await t.say('is it fine to sign the class up to a new quiz website?'))[0]!.attachments[0].content;
    expect(cardText(apps)).toMatch(/What the policy says.*Software and online services/s);
    expect(actionsOf(apps).find((a) => a.data?.intent === 'software.ask')?.verb).toBe('menu.choose');

    const device = (await t.say('can I read my school email on my own phone?'))[0]!.attachments[0].content;
    expect(cardText(device)).toMatch(/What the policy says.*only after IT has approved and set up the device/s);
    expect(actionsOf(device).find((a) => a.data.intent === 'device.request')?.verb).toBe('menu.choose');
  });

  it('understands messages typed on a phone: no subject, no comma, no apostrophe, no capitals', async () => {
    const t = h.user('teacher');
    await t.install();
    const breach = /sounds like it could be a data breach/;
    const urged = /^If this has happened, report it now/;
    // No "I": a verb in the past starts an event. No comma or question mark before the question:
    // the event is still a clause of its own, and the question is still asked (answered first, the
    // report urged and offered, as with its question mark).
    for (const said of ['lost my school phone what should i do', 'my laptop was stolen who do I tell']) {
      const card = (await t.say(said))[0]!.attachments[0].content;
      expect(cardText(card)).toMatch(urged);
      // What the policy says of breaches, not its rule on phones in photos (which shares more words).
      expect(cardText(card)).toMatch(/What the policy says.*(?:A data breach is anything|lost or stolen)/s);
      expect(cardText(card)).not.toMatch(/What the policy says\s+Take photos/);
      expect(actionsOf(card).find((a) => a.data?.intent === 'breach.report')?.verb).toBe('menu.choose');
    }
    // Told, not asked: the report straight away, also when a clause after the event starts with a
    // question word ("which had…") or a negative ("can't…").
    for (const said of ['I lost my phone, which had pupil photos on it', "left my laptop on the train, can't find it"])
      expect(cardText((await t.say(said))[0]!.attachments[0].content)).toMatch(breach);
    // No example has its words, but its meaning is near theirs: the second opinion, by sentence vectors.
    const pickpocketed = (await t.say('my work phone was pickpocketed at the station this morning'))[0]!;
    expect(cardText(pickpocketed.attachments[0].content)).toMatch(breach);
    // Told by whoever received it, not whoever sent it: still something sent to the wrong person.
    const received = (await t.say('a grandparent says he received a letter meant for another pupil'))[0]!;
    expect(cardText(received.attachments[0].content)).toMatch(breach);
    // A question asked after a comma, without its mark, is answered from the policy.
    const printed = (await t.say('printed some reports and forgot to pick them up, is that a big deal'))[0]!
      .attachments[0].content;
    expect(cardText(printed)).toMatch(/What the policy says/);
    expect(cardText(printed)).not.toMatch(breach);
    // No apostrophe: "whos" asks who.
    expect(shown((await t.say('whos the data protection officer'))[0]!)).toMatch(/Data Protection Officer/);
    // Something that has stopped working is IT's.
    const wifi = (await t.say('who fixes the wifi when its down'))[0]!;
    expect(shown(wifi)).toMatch(/IT technician/);
    // Found by what does not work, not by IT's name: the reply says whose it is to mend.
    expect(shown((await t.say('who should I speak to if the projector stops working'))[0]!)).toMatch(
      /^That is one for IT to sort out\. Oakfield Primary School's IT technician: /,
    );
    // A newer device's name counts as a device, and a model sure of no reading at all does not
    // outweigh it.
    expect(shown((await t.say('who do i ask about getting teams on my ipad'))[0]!)).toMatch(
      /^That is one for IT to sort out/,
    );
    // Told, not asked: a device that will not, has stopped, keeps or is doing something, whatever
    // the fault is called (three of these were offered a breach report).
    for (const said of [
      'the printer in the staffroom keeps jamming',
      'my laptop screen is flickering',
      'my keyboard has stopped typing',
      'the class ipads wont update',
      // A machine in a rarer sense of its word: a monitor is first someone who supervises.
      'the monitor in my classroom keeps switching off',
    ])
      expect(shown((await t.say(said))[0]!), said).toMatch(/^That is one for IT to sort out/);
    // Not when what the device does is done to data, nor when the one who will not is a person.
    for (const said of [
      'the projector is showing the sen list to the class',
      "my account was logged in on a computer I don't recognise",
    ])
      expect(shown((await t.say(said))[0]!), said).toMatch(breach);
    // Asked for an address or a number: the office is the office, not its consent register.
    expect(shown((await t.say('whats the IT technicians email'))[0]!)).toMatch(
      /^Oakfield Primary School's IT technician: /,
    );
    expect(shown((await t.say('what is the office phone number'))[0]!)).toMatch(
      /School office: .*office@oakfield\.example/,
    );
    // "Who" after a noun says which people, and asks nobody's name; after a pronoun it may ask.
    const forms = "how long do we hang on to interview forms for people who didn't get the job";
    expect(shown((await t.say(forms))[0]!)).not.toMatch(/Who does what/);
    // "How long" asks for a length of time: a role's words and "keep" do not make it the role question.
    const files = shown((await t.say('how long do we keep safeguarding files for'))[0]!);
    expect(files).not.toMatch(/safeguarding lead/i);
    expect(files).toMatch(/What the policy says|does not seem to answer/);
    expect(shown((await t.say('is there anyone who can fix my laptop'))[0]!)).toMatch(/IT technician/);
    // A "who" that ends the message asks, as a search box is typed.
    expect(shown((await t.say('photo consent forms who'))[0]!)).toMatch(/School office/);
    // A role's words in a question that asks no "who" ("keep asking", "my own phone") are not the role question.
    const grandparents = 'grandparents keep asking me to text them about trips, can I use my own phone for that?';
    expect(shown((await t.say(grandparents))[0]!)).not.toMatch(/decided in this order/);
    // Who decides on an app may be the policy's to say: a subject ("software") claims nothing.
    const app = shown((await t.say('We want to try a new online quiz app with the class. Who has to OK it?'))[0]!);
    expect(app).toMatch(/What the policy says/);
    // Something that happened and a question who: a laptop that won't start is IT's, not a breach.
    for (const said of ["my laptop won't turn on, who do I call", 'who do I ring if my laptop is broken'])
      expect(shown((await t.say(said))[0]!), said).toMatch(
        /^That is one for IT to sort out\. Oakfield Primary School's IT technician: /,
      );
    // Words typed wrong are read as the policy's words they were meant to be.
    const typo = (await t.say('how long shuold my pasword be'))[0]!.attachments[0].content;
    expect(cardText(typo)).toMatch(/What the policy says.*password/is);
    // An app's name in lower case, after "install", is still the app (and "can you" asks the bot to).
    const form = (await t.say('please can you install audacity on my laptop'))[0]!.attachments[0].content;
    expect(inputValue(form, 'name')).toBe('audacity');
    expect(actionsOf(form).some((a) => a.verb === 'software.submit')).toBe(true);
    // After "get" or "use", a word no dictionary lists is a name; a word it lists is not. Web text
    // names products often: "spotify" has a word vector, but is no word of English.
    const got = cardText((await t.say('could we get padlet for the class'))[0]!.attachments[0].content);
    expect(got).toMatch(/Padlet is not on .* register of approved software/);
    const spotify = (await t.say('need to get spotify on the classroom pc'))[0]!.attachments[0].content;
    expect(inputValue(spotify, 'name')).toBe('spotify');
    expect(cardText(spotify)).toMatch(/Spotify is not on .* register of approved software/);
    // Needed or wanted on a device, too; and a need told is a plan, not something that happened,
    // whatever the word needed (a report was offered for "i need audacity on my laptop").
    const needed = (await t.say('i need spotify on my laptop'))[0]!.attachments[0].content;
    expect(inputValue(needed, 'name')).toBe('spotify');
    for (const said of ['i need audacity on my laptop', 'we need word on the class ipads'])
      expect(cardText((await t.say(said))[0]!.attachments[0].content), said).not.toMatch(breach);
    // A name the register does not know, wanted on the school's machines, is the app asked for,
    // however unsure the model is (it was read as a pupil, and the model's best was nothing).
    const pi = (await t.say("we'd like Sonic Pi on the ICT suite machines for coding club"))[0]!.attachments[0].content;
    expect(inputValue(pi, 'name')).toBe('Sonic Pi');
    // Also when it is to be put there, on machines a year group uses (it was read as a pupil).
    for (const [said, app] of [
      ['please can Scratch be put on the year 4 laptops', 'Scratch'],
      ['could Tinkercad be installed on the year 6 laptops please', 'Tinkercad'],
    ]) {
      const form = (await t.say(said!))[0]!.attachments[0].content;
      expect(
        actionsOf(form).some((a) => a.verb === 'software.submit'),
        said,
      ).toBe(true);
      expect(inputValue(form, 'name')).toBe(app);
    }
    // So is the service people are messaged on; a photo put on social media is a consent question.
    const whatsapp = (await t.say('can i message parents on whatsapp'))[0]!.attachments[0].content;
    expect(inputValue(whatsapp, 'name')).toBe('whatsapp');
    const photo = cardText((await t.say('can I put the class photo on instagram'))[0]!.attachments[0].content);
    expect(photo).not.toMatch(/register of approved software/);
    for (const said of ['can I use my laptop at home', 'can I get the photocopier fixed'])
      expect(cardText((await t.say(said))[0]!.attachments[0].content), said).not.toMatch(
        /register of approved software/,
      );
    // An English word typed right is that word, not a typo of a pupil's name ("Mensa" is not Mensah).
    const mensa = (await t.say("I'd like my class to use Mensa Puzzles"))[0]!.attachments[0].content;
    expect(inputValue(mensa, 'name')).toBe('Mensa Puzzles');
    expect(cardText(mensa)).not.toMatch(/Kofi/);
    // A plan, asked about, is no report: nothing in it has happened.
    const plan = cardText(
      (await t.say("I need to email a child's care plan to the school nurse. How should I send it?"))[0]!.attachments[0]
        .content,
    );
    expect(plan).not.toMatch(breach);
    expect(plan).not.toMatch(/If this has happened/);
    // Nor is being asked or told to do something, though its verb is in the past; what was then done is.
    for (const said of [
      "I've been asked to share pupil data with a researcher",
      'I was told to email the class list to a parent helper',
    ]) {
      const asked = cardText((await t.say(said))[0]!.attachments[0].content);
      expect(asked, said).not.toMatch(breach);
      expect(asked, said).not.toMatch(/If this has happened/);
    }
    expect(
      cardText(
        (await t.say('I was asked to send the list and I sent it to the wrong parent'))[0]!.attachments[0].content,
      ),
    ).toMatch(breach);
    // "messages" is no example's word; read as its nearest ("emails"), it made a role question the
    // message cannot be. Read as typed, it asks for the app.
    const seesaw = (await t.say("I'd like Seesaw for parent messages"))[0]!.attachments[0].content;
    expect(inputValue(seesaw, 'name')).toBe('Seesaw');
    // A name of four capitalised words is one name.
    const long = (await t.say('can we get Times Tables Rock Stars for year 4'))[0]!.attachments[0].content;
    expect(inputValue(long, 'name')).toBe('Times Tables Rock Stars');
  });

  it("starts reading a question's meaning as it arrives, once, while its words are read", async () => {
    const t = h.user('teacher');
    await t.install();
    // The policy's passages are read at the first question (the bot reads them at start-up).
    await t.say('what does the policy say about passwords?');
    const order: string[] = [];
    const question = SentenceEncoder.prototype.question;
    const encode = vi.spyOn(SentenceEncoder.prototype, 'question').mockImplementation(async function (
      this: SentenceEncoder,
      text: string,
    ) {
      order.push('encode');
      return question.call(this, text);
    });
    const read = Understanding.prototype.read;
    const reading = vi.spyOn(Understanding.prototype, 'read').mockImplementation(async function (
      this: Understanding,
      ...args: Parameters<Understanding['read']>
    ) {
      const r = await read.apply(this, args);
      order.push('read');
      return r;
    });
    try {
      // Typed wrong ("screnes"): the meaning read ahead is the mended question's, as the answer's is.
      const card = (await t.say('dont people need to lock their screnes when they leave the room?'))[0]!.attachments[0]
        .content;
      expect(cardText(card)).toMatch(/What the policy says/);
      // Asked for before the reading was done, and not asked again for the answer (same words, same key).
      expect(order).toEqual(['encode', 'read']);
    } finally {
      encode.mockRestore();
      reading.mockRestore();
    }
  });

  it('takes a command asked for in a few more words as that command, and nothing more', async () => {
    const head = h.user('head');
    await head.install();
    const log = cardText((await head.say('show me the breach log please'))[0]!.attachments[0].content);
    expect(log).toMatch(/^Breach log: Oakfield Primary School/);
    expect(cardText((await head.say("can you show me what's waiting for me"))[0]!.attachments[0].content)).toMatch(
      /^Waiting for you/,
    );
    // Or asked as a question of its own, typed on a phone.
    for (const said of ['whats waiting for me', 'is anything waiting for my approval?'])
      expect(cardText((await head.say(said))[0]!.attachments[0].content), said).toMatch(/^Waiting for you/);
    expect(cardText((await head.say('any new breach reports this term'))[0]!.attachments[0].content)).toMatch(
      /^Breach log: Oakfield Primary School/,
    );
    // Asked by someone it is not for: refused as the command is, not taken for a breach to report.
    const teacher = h.user('teacher');
    await teacher.install();
    const refused = (await teacher.say('can I see the breach log?'))[0]!;
    const said = (refused.text ?? '') + cardText(refused.attachments?.[0]?.content ?? {});
    expect(said).toMatch(/only for the people who handle breaches/);
    expect(said).not.toMatch(/sounds like it could be a data breach/);
    // A request of one's own, asked about, is that request, not a new one of its kind; asked to
    // make one, the kind named is offered.
    expect(cardText((await teacher.say('was my device request approved?'))[0]!.attachments[0].content)).toMatch(
      /^Your requests/,
    );
    const make = (await teacher.say('can i make a device request'))[0]!.attachments[0].content;
    expect(actionsOf(make).some((a) => a.data?.intent === 'device.request')).toBe(true);
    // More than asking to see it is a message to read.
    const how = cardText((await teacher.say('show me how to lock my screen'))[0]!.attachments[0].content);
    expect(how).toMatch(/What the policy says.*Windows key/s);
  });

  it('checks consent for the pupil and the use named, or asks which use', async () => {
    const t = h.user('teacher');
    await t.install();
    const yes = (await t.say('is Kofi Mensah ok to go in the local newspaper?'))[0]!.attachments[0].content;
    expect(cardText(yes)).toMatch(/Yes: consent is given for press and media/);
    expect(cardText(yes)).toMatch(/Kofi Mensah \(Year 3, 3A\)/);
    const no = (await t.say('can Ella Brown be in the newsletter?'))[0]!.attachments[0].content;
    expect(cardText(no)).toMatch(/Ella Brown/);
    expect(cardText(no)).toMatch(/No:|must not/i);
    const which = (await t.say('does Maja have photo permission'))[0]!.attachments[0].content;
    expect(cardText(which)).toMatch(/Which use is it for\?/);
    expect(inputValue(which, 'name')).toBe('Maja Nowak');
    // A first name alone typed in lower case on a phone is the pupil when English rarely uses it;
    // one it uses more often ("kofi" is also coffee; so "harry", "mark", "will") needs its capital.
    const video = cardText((await t.say('can maja be in the school video'))[0]!.attachments[0].content);
    expect(video).toMatch(/No: consent is not given for video.*Maja Nowak \(Year 5, 5B\)/s);
    const press = cardText((await t.say('does kofi have consent for the press'))[0]!.attachments[0].content);
    expect(press).not.toMatch(/Kofi Mensah/);
    // Whose photo it is says it is a person, however common the word: with its apostrophe or
    // without ("kofis"), also after "use" (the photo is what is used).
    for (const said of ["can i put kofi's picture in the paper", 'is it ok to use kofis photo in the press'])
      expect(cardText((await t.say(said))[0]!.attachments[0].content), said).toMatch(
        /Yes: consent is given for press and media.*Kofi Mensah/s,
      );
    // A name the register does not know, asked about with a use or consent, is a pupil not found
    // (misspelt, or not yet in the register), not an app to request.
    const unknown = cardText((await t.say('can Jake Thornbury go on the website?'))[0]!.attachments[0].content);
    expect(unknown).toMatch(/No pupil found/);
    expect(unknown).not.toMatch(/software/);
    // So when the words are as sure of either reading: the use is what the pupil reading wants.
    const tie = cardText((await t.say('can Jake Thornbury go on the school facebook?'))[0]!.attachments[0].content);
    expect(tie).toMatch(/No pupil found/);
    // "Who" asked of a class is which of its pupils, not who keeps the consent list.
    const who = (await t.say('who in 3A has no photo consent'))[0]!.attachments[0].content;
    expect(cardText(who)).toMatch(/Which use is it for\?/);
    expect(inputValue(who, 'group')).toBe('3A');
    const asked = (await t.say('does Jake Thornbury have photo consent'))[0]!.attachments[0].content;
    expect(inputValue(asked, 'name')).toBe('Jake Thornbury');
    // A name with an apostrophe, typed with it, without it on a phone, or with a possessive.
    for (const said of [
      "can Ciara O'Donnell go on our facebook page",
      'can i put ciara odonnell on our facebook page',
      "can I put Ciara O'Donnell's photo on facebook",
    ]) {
      const card = cardText((await t.say(said))[0]!.attachments[0].content);
      expect(card, said).toMatch(/Yes: consent is given for social media/);
      expect(card, said).toMatch(/Ciara O'Donnell \(Year 4, 4C\)/);
    }
    // The pupil and the use first, the question after ("is that allowed?"): the words alone leaned
    // to a reading the message cannot be, and the pupil and the use it names make it the check.
    const after = cardText(
      (await t.say('Kofi Mensah on the school facebook, is that allowed?'))[0]!.attachments[0].content,
    );
    expect(after).toMatch(/Yes: consent is given for social media.*Kofi Mensah/s);
  });

  it('answers an app question from the register and offers the request with the name filled in', async () => {
    const t = h.user('teacher');
    await t.install();
    const form = (await t.say('could my class start using Padlet?'))[0]!.attachments[0].content;
    expect(cardText(form)).toMatch(/Padlet is not on Oakfield Primary School's register of approved software/);
    expect(inputValue(form, 'name')).toBe('Padlet');
    expect(actionsOf(form).some((a) => a.verb === 'software.submit')).toBe(true);

    // An app the register does not know, asked about as a question the policy answers: the policy
    // first, saying the register does not know it, with the request beside it (name filled in).
    const said = 'is it ok to use Gmail with my class?';
    const asked = (await t.say(said))[0]!.attachments[0].content;
    expect(cardText(asked)).toMatch(/Gmail is not on the register of approved software yet/);
    expect(cardText(asked)).toMatch(/What the policy says.*personal account such as Gmail/s);
    const ask = actionsOf(asked).find((a) => a.data?.intent === 'software.ask')!;
    expect(ask.data).toMatchObject({ text: said });
    const request = (await t.click(ask.verb, ask.data)).card!;
    expect(inputValue(request, 'name')).toBe('Gmail');
    expect(actionsOf(request).some((a) => a.verb === 'software.submit')).toBe(true);

    // A question about a name the school does not know is about that name: when the policy never
    // speaks of it, the rule on approving software is not quoted as if it answered.
    // Typed in lower case, asked whether it may be used: still the name of an app.
    for (const said of ['is kahoot ok to use', 'canva allowed?', 'is padlet on the approved list?'])
      expect(cardText((await t.say(said))[0]!.attachments[0].content), said).toMatch(
        /(?:Kahoot|Canva|Padlet) is not on Oakfield Primary School's register of approved software/,
      );
    const blooket = (await t.say('Can we use Blooket with the class?'))[0]!.attachments[0].content;
    expect(cardText(blooket)).not.toMatch(/What the policy says/);
    expect(inputValue(blooket, 'name')).toBe('Blooket');
    // A name a letter away from a pupil's ("Kofa", "Kofi") is still the app it is used as; the
    // same name asked about as a person is the pupil.
    const used = (await t.say('Can we use Kofa with the class?'))[0]!.attachments[0].content;
    expect(inputValue(used, 'name')).toBe('Kofa');
    // A name of two capitalised words after "install" is the whole name.
    const two = (await t.say('could IT install Minecraft Education on the laptops'))[0]!.attachments[0].content;
    expect(inputValue(two, 'name')).toBe('Minecraft Education');
    // Initials before the name are part of it, and so is a school subject after it.
    const initials = cardText((await t.say('is TT Rockstars allowed'))[0]!.attachments[0].content);
    expect(initials).toMatch(/TT Rockstars is not on/);
    const subject = cardText(
      (await t.say('is Sparx Maths allowed for the maths department'))[0]!.attachments[0].content,
    );
    expect(subject).toMatch(/Sparx Maths is not on/);
    // A version's number after the name is part of it; a count after it is not.
    const version = cardText((await t.say('is Clicker 8 ok with my group?'))[0]!.attachments[0].content);
    expect(version).toMatch(/Clicker 8 is not on/);
    const count = cardText((await t.say('can we use Blooket 3 times a week'))[0]!.attachments[0].content);
    expect(count).toMatch(/Blooket is not on/);
    // A name nobody knows, used with a class, is not read as a pupil's instead.
    const allowed = (await t.say('am I allowed to use Blooket with my class'))[0]!.attachments[0].content;
    expect(inputValue(allowed, 'name')).toBe('Blooket');
    const pupil = cardText((await t.say('can Kofa be on the website?'))[0]!.attachments[0].content);
    expect(pupil).toMatch(/Kofi Mensah/);
    // First in the message its capital says nothing, unless English never uses the word.
    for (const [said, name] of [
      ['Padlet - can we use it', 'Padlet'],
      ['Kahoot allowed in class?', 'Kahoot'],
    ]) {
      const first = (await t.say(said!))[0]!.attachments[0].content;
      expect(inputValue(first, 'name'), said).toBe(name);
    }
    // Typed in lower case after "need" or "want": an app when it is for a class, a club or a lesson.
    const lessons = (await t.say('i need spotify for my music lessons'))[0]!.attachments[0].content;
    expect(inputValue(lessons, 'name')).toBe('spotify');
    // What it is for, as they said it, is filled in too.
    expect(inputValue(lessons, 'purpose')).toBe('For my music lessons');
    const english = (await t.say('Printers in the office: who fixes them?'))[0]!;
    expect(english.text ?? cardText(english.attachments[0].content)).not.toMatch(/register of approved software/);
    // A name after "at" is a place: the café's wifi is no app.
    const cafe = cardText(
      (await t.say('is it ok to use the wifi at Costa to do my marking'))[0]!.attachments[0].content,
    );
    expect(cafe).not.toMatch(/register of approved software/);
    // A name before a device is the device's make or kind, not an app: no software request for it.
    for (const said of ['Can we use Bose headphones?', 'Can I use Bluetooth speakers in my classroom?']) {
      const device = (await t.say(said))[0]!.attachments[0].content;
      expect(
        actionsOf(device).some((a) => a.verb === 'software.submit'),
        said,
      ).toBe(false);
      expect(cardText(device), said).not.toMatch(/not on .* register of approved software/);
    }
  });

  it('reads what is asked inside a greeting and thanks, and no name past the end of its sentence', async () => {
    const t = h.user('teacher');
    await t.install();
    // A greeting English rarely writes is no app, before the request or in it; thanks after it say nothing.
    for (const said of [
      'Hiya, could my class start using Padlet? Thanks x',
      'Hiya 😊 could my class start using Padlet?',
    ]) {
      const form = (await t.say(said))[0]!.attachments[0].content;
      expect(cardText(form), said).toMatch(/Padlet is not on Oakfield Primary School's register of approved software/);
      expect(inputValue(form, 'name'), said).toBe('Padlet');
    }
    // A name ends with its sentence: "Blooket? Asking…" is no app's name.
    const asking = (await t.say('is it ok to use Blooket? Asking for the maths department'))[0]!.attachments[0].content;
    expect(inputValue(asking, 'name')).toBe('Blooket');
    // A greeting or thanks alone is still one.
    expect(shown((await t.say('hello'))[0]!)).toMatch(/Report a data breach/);
    // The menu, asked for with words that say how and a word of why ("actually", "this term").
    expect(shown((await t.say("Hello! I'm new this term – what can I actually ask you? Thanks"))[0]!)).toMatch(
      /Report a data breach/,
    );
  });

  it('answers how photo consent works from the policy, with the check beside it, when no pupil is named', async () => {
    const t = h.user('teacher');
    await t.install();
    const card = (await t.say('where do I check which children are allowed in photos?'))[0]!.attachments[0].content;
    expect(cardText(card)).toMatch(/What the policy says.*consent list/s);
    const check = actionsOf(card).find((a) => a.data?.intent === 'consent.check')!;
    const form = (await t.click(check.verb, check.data)).card!;
    expect(cardText(form)).toMatch(/Check photo consent/i);
    // A named pupil is still the register's at once.
    const named = (await t.say('can Kofi Mensah be in photos on the website?'))[0]!.attachments[0].content;
    expect(cardText(named)).toMatch(/Kofi Mensah/);
    expect(cardText(named)).not.toMatch(/What the policy says/);
  });

  it("reaches the personal-device form, the school's own request, the person's requests and the menu", async () => {
    const t = h.user('teacher');
    await t.install();
    const device = (await t.say('I want to read my school email on my own mobile'))[0]!.attachments[0].content;
    expect(actionsOf(device).some((a) => a.verb === 'device.submit')).toBe(true);
    // A device's name is not an app's, capitalised or not.
    const ipad = (await t.say('I want my own iPad set up for school email'))[0]!.attachments[0].content;
    expect(actionsOf(ipad).some((a) => a.verb === 'device.submit')).toBe(true);
    // Nor is a phone called by its make or its system, newer than WordNet.
    const samsung = (await t.say("I'd like to read work emails on my samsung"))[0]!.attachments[0].content;
    expect(actionsOf(samsung).some((a) => a.verb === 'device.submit')).toBe(true);
    // An app to go on one's own phone: the phone is what needs permission, not the app.
    const teams = actionsOf(
      (await t.say('I want to set up Teams on my personal phone, what do I need to do?'))[0]!.attachments[0].content,
    );
    expect(teams.some((a) => a.verb === 'device.submit' || a.data?.intent === 'device.request')).toBe(true);
    expect(teams.some((a) => a.verb === 'software.submit' || a.data?.intent === 'software.ask')).toBe(false);
    // Told of one's own thing that is no device, it is not the request, and nothing offers it.
    for (const said of ['I want to bring my own kettle into the classroom', 'I want to use my own car for the trip']) {
      const card = (await t.say(said))[0]!.attachments?.[0]?.content;
      expect(card && JSON.stringify(card), said).not.toMatch(/device\.submit|Use your own device/);
    }
    const camera = (await t.say('I want to use my own camera for the sports day photos'))[0]!.attachments[0].content;
    expect(JSON.stringify(camera)).toMatch(/device\.submit|Use your own device/);
    const usb = (await t.say('I need to put the phonics scores on a flash drive'))[0]!.attachments[0].content;
    expect(cardText(usb)).toMatch(/Use removable media \(USB\)/);
    expect(actionsOf(usb).some((a) => a.verb === 'permissions.submit')).toBe(true);
    // What they wrote is already in the form, to correct rather than type again.
    expect(inputValue(usb, 'purpose')).toBe('I need to put the phonics scores on a flash drive');
    // Permission asked for in so many words opens the list of the school's requests; a request of
    // another kind (a friend request) does not.
    expect(shown((await t.say('I need to ask permission for something'))[0]!)).toMatch(/Which permission do you need/);
    const friend = shown((await t.say('a parent sent me a friend request on facebook, can I accept'))[0]!);
    expect(friend).not.toMatch(/Which permission do you need/);
    // Told, not asked: what they want is the request, and what happened a report, not a question.
    const want = (await t.say('I want to use a memory stick for my planning'))[0]!.attachments[0].content;
    expect(
      actionsOf(want).some(
        (a) => a.verb === 'permissions.submit' || (a.verb === 'permissions.form' && a.data?.requestType === 'usb'),
      ),
    ).toBe(true);
    const hacked = (await t.say('my account got hacked'))[0]!.attachments[0].content;
    expect(cardText(hacked)).toMatch(/sounds like it could be a data breach/);
    // Asked as a question, the policy answers and the request is offered beside it.
    const asked = (await t.say('may I keep my planning on a memory stick?'))[0]!.attachments[0].content;
    expect(cardText(asked)).toMatch(/What the policy says/);
    const offer = actionsOf(asked).find((a) => a.verb === 'permissions.form')!;
    expect(offer.data).toEqual({ requestType: 'usb', text: 'may I keep my planning on a memory stick?' });
    // Started from the button, the form has their words in it.
    const started = (await t.click(offer.verb, offer.data)).card!;
    expect(inputValue(started, 'purpose')).toBe('may I keep my planning on a memory stick?');
    const mine = (await t.say('any news on what I asked for?'))[0]!.attachments[0].content;
    expect(cardText(mine)).toMatch(/requests/i);
    const menu = (await t.say('hiya, what can you do for me?'))[0]!.attachments[0].content;
    expect(actionsOf(menu).map((a) => a.verb)).toContain('menu.open');
    // A greeting with a real question in it is the question, not the menu.
    const question = (await t.say('do I need to ask anyone before I take pupil books home?'))[0]!.attachments[0]
      .content;
    expect(actionsOf(question).map((a) => a.verb)).not.toContain('menu.open');
    expect(cardText(question)).toMatch(/What the policy says.*Take personal data home only with/s);
    // Thanks gets a word back, not the whole menu again; thanks with a question is the question.
    for (const said of ['thanks!', 'thank you so much', 'ta', 'ok cheers']) {
      const [reply] = await t.say(said);
      expect(reply!.text, said).toMatch(/^You are welcome/);
      expect(reply!.attachments ?? [], said).toEqual([]);
    }
    const thanked = (await t.say('thanks, and can I take pupil books home?'))[0]!;
    expect(thanked.text ?? '').not.toMatch(/^You are welcome/);
    // Thanks then news is the news.
    const news = cardText((await t.say('thanks, I lost my laptop on the bus'))[0]!.attachments[0].content);
    expect(news).toMatch(/sounds like it could be a data breach/);
  });

  it('names role holders and who handles what, from the configuration', async () => {
    const t = h.user('teacher');
    await t.install();
    expect(shown((await t.say("who's the head here?"))[0]!)).toMatch(/Headteacher: head@oakfield\.example/);
    // A role's possessive typed without its apostrophe is still the role, not everyone at once.
    expect(shown((await t.say('whats the headteachers email'))[0]!)).toMatch(
      /^Oakfield Primary School's Headteacher: head@oakfield\.example/,
    );
    // Everyone at once, by its command.
    expect((await t.say('who does what'))[0]!.text).toMatch(
      /Headteacher: head@oakfield\.example.*Data Protection Officer/s,
    );
    const breach = shown((await t.say('who deals with data breaches?'))[0]!);
    expect(breach).toMatch(/breach reports go at once to/);
    // Data lost is a breach, though the word is not said: whom to tell is the breach route, not the DPO alone.
    expect(shown((await t.say('who to notify re lost personal data'))[0]!)).toMatch(/breach reports go at once to/);
    // So is something unnamed that has been lost or leaked; not something missing from a screen.
    for (const said of [
      'who would I go to if I thought something had been leaked?',
      'who should I speak to if anything has been stolen?',
    ])
      expect(shown((await t.say(said))[0]!), said).toMatch(/breach reports go at once to/);
    expect(shown((await t.say('something is missing from my screen, who do I ask?'))[0]!)).not.toMatch(
      /breach reports go at once to/,
    );
    expect(breach).toMatch(/Data compliance officer/);
    const software = shown((await t.say('who signs off new apps?'))[0]!);
    expect(software).toMatch(/Security and licence check.*IT technician/s);
    expect(software).toMatch(/Written permission: the Headteacher \(head@oakfield\.example\)/);
    // One of the school's own requests, asked who decides it, in the words of its examples.
    const usb = shown((await t.say('who signs off putting school files on a memory stick?'))[0]!);
    expect(usb).toMatch(
      /^At Oakfield Primary School, requests to use removable media \(USB\) are decided in this order/,
    );
    // Asked who to tell, not who decides: still the policy's question.
    expect(shown((await t.say('who do I tell if I lose a memory stick?'))[0]!)).not.toMatch(/decided in this order/);
    // In words the examples never use, read first as a policy question: the role the school
    // configured, asked "who" about, makes it the role question.
    expect(shown((await t.say('who sorts out IT problems'))[0]!)).toMatch(/^Oakfield Primary School's IT technician: /);
    // Safeguarding files found in a skip are data at risk, not a question for the safeguarding lead.
    const skip = shown((await t.say('I found a pile of old safeguarding files in the skip, who do I tell?'))[0]!);
    expect(skip).not.toMatch(/Designated Safeguarding Lead/);
    expect(skip).toMatch(/report it now/i);
  });

  it('sends what does not work to IT, not to a breach report, and keeps what puts data at risk a breach', async () => {
    const t = h.user('teacher');
    await t.install();
    for (const said of [
      'I forgot my password',
      "my laptop won't turn on",
      "I'm locked out of my account",
      'my laptop keeps crashing who do i ring',
      'my laptop has died',
      // "'s" for "is", as typed.
      "wifi's down again",
      "the printer's broken",
      'our wifi is really slow',
      'the internet keeps dropping',
      // Damaged, in its own words.
      'my ipad screen is cracked',
      'the laptop battery is flat',
    ]) {
      const reply = shown((await t.say(said))[0]!);
      expect(reply, said).toMatch(/^That is one for IT to sort out\. Oakfield Primary School's IT technician: /);
      expect(reply, said).not.toMatch(/data breach/);
    }
    // Asked to be met, the need is IT's too; someone else doing it unasked is harm, and a breach.
    for (const said of ['can someone reset my password', 'how do i connect to the wifi', 'whats the wifi password'])
      expect(shown((await t.say(said))[0]!), said).toMatch(
        /^That is one for IT to sort out\. Oakfield Primary School's IT technician: /,
      );
    expect(shown((await t.say('someone reset my password without asking me'))[0]!)).toMatch(/data breach/);
    // The need is IT's: another role named first in the message does not take it.
    const dpo = shown((await t.say('I forgot my password and the DPO is off today'))[0]!);
    expect(dpo).toMatch(/^That is one for IT to sort out\. Oakfield Primary School's IT technician: /);
    // Equipment asked whom to go to about, the fault in any words: IT's, the device known by WordNet.
    for (const said of [
      'the photocopier keeps jamming, who do I call?',
      'the projector in my room is making a weird noise, who should I tell?',
      // Who one needs to, or is meant to, go to is the same question.
      'The projector has stopped talking to my laptop again. Who do I need to contact to get it fixed?',
      'the photocopier keeps jamming, who am I meant to ring?',
      // A blank screen, an error message: faults by their names.
      'the smartboard is showing a blank screen, who can sort it?',
      'my laptop keeps giving an error message, who should I tell?',
    ])
      expect(shown((await t.say(said))[0]!), said).toMatch(
        /^That is one for IT to sort out\. Oakfield Primary School's IT technician: /,
      );
    // Asked of what might happen to it, the policy answers.
    expect(shown((await t.say('who do I tell if I leave my laptop on the train?'))[0]!)).toMatch(
      /^What the policy says/,
    );
    for (const said of ["someone got into my account and now I'm locked out", 'my laptop was stolen'])
      expect(shown((await t.say(said))[0]!), said).toMatch(/data breach/);
    // A fault asked about is no breach to urge, whatever else it asks; left somewhere, it may be one.
    const bin = cardText((await t.say('my classroom laptop has died, can I just bin it?'))[0]!.attachments[0].content);
    expect(bin).not.toMatch(/If this has happened, report it now|data breach/);
    expect(shown((await t.say("I left my laptop on the bus and it's dead"))[0]!)).toMatch(/data breach/);
    // A fault that showed other people's data is not only a fault.
    expect(shown((await t.say("the register crashed and showed another class's SEN notes"))[0]!)).not.toMatch(
      /That is one for IT to sort out/,
    );
    // Named after the fact, a place pictures go is no consent check: other children's names showed.
    const shownNames = shown((await t.say("The website crashed and showed other children's names"))[0]!);
    expect(shownNames).toMatch(/data breach/);
    expect(shownNames).not.toMatch(/Check photo consent/);
    // Asked beforehand, it still is one.
    expect(shown((await t.say('which children can go on the website'))[0]!)).toMatch(/Check photo consent/);
  });

  it("shows the person's own policy confirmation", async () => {
    const t = h.user('teacher');
    await t.install();
    const card = (await t.say('have I done the policy sign-off this year?'))[0]!.attachments[0].content;
    expect(cardText(card)).toMatch(/Please confirm you have read the Information Security Policy/);
    expect(actionsOf(card).some((a) => a.verb === 'acknowledgement.confirm')).toBe(true);
    // What it covers: the policy's topics, not its own title heading.
    expect(cardText(card)).toMatch(/What it covers • Who this policy is for • Reporting a data breach/);
    expect(cardText(card)).not.toMatch(/• Oakfield Primary School: Information Security Policy/);
    // "The policy on" something asks what it says there, not for the person's own record.
    for (const said of ["what's the policy on USB sticks", 'what is the policy on phones'])
      expect(cardText((await t.say(said))[0]!.attachments[0].content), said).toMatch(/^What the policy says/);
    // The card carries the policy: wanting to read it, or not finding it, is wanting the card, and
    // a policy document not found is no breach (it was offered a report).
    for (const said of ["i can't find the policy document", 'can you send me the infosec policy']) {
      const text = cardText((await t.say(said))[0]!.attachments[0].content);
      expect(text, said).toMatch(/Please confirm you have read the Information Security Policy/);
      expect(text, said).not.toMatch(/could be a data breach/);
    }

    // Asked about the rule rather than their own record: the policy answers, the confirmation beside it.
    const rule = (await t.say('how often do we have to confirm the policy?'))[0]!.attachments[0].content;
    expect(cardText(rule)).toMatch(/What the policy says.*once a year/s);
    const mine = actionsOf(rule).find((a) => a.data?.intent === 'acknowledgement.mine')!;
    const own = (await t.click(mine.verb, mine.data)).card!;
    expect(actionsOf(own).some((a) => a.verb === 'acknowledgement.confirm')).toBe(true);
    // And when it must be done by.
    const when = (await t.say("what's the deadline for confirming I've read the policy?"))[0]!.attachments[0].content;
    expect(cardText(when)).toMatch(/What the policy says.*once a year/s);
    expect(actionsOf(when).some((a) => a.data?.intent === 'acknowledgement.mine')).toBe(true);
    // By anyone, named as they are.
    const others = (await t.say('when do new teachers need to confirm they have read it?'))[0]!.attachments[0].content;
    expect(cardText(others)).toMatch(/What the policy says/);
    expect(actionsOf(others).some((a) => a.data?.intent === 'acknowledgement.mine')).toBe(true);
    // So is whom the policy is for, asked of others than the person typing.
    const scope = (await t.say('do governors have to follow this policy?'))[0]!.attachments[0].content;
    expect(cardText(scope)).toMatch(/What the policy says.*governors/s);
    expect(actionsOf(scope).some((a) => a.data?.intent === 'acknowledgement.mine')).toBe(true);
  });

  it('asks "Did you mean…" with a button for each close reading, and acts on the one picked', async () => {
    const t = h.user('teacher');
    await t.install();
    // "My phone": a lost phone, or using one's own for work?
    const card = (await t.say('my phone'))[0]!.attachments[0].content;
    expect(cardText(card)).toMatch(/Did you mean/);
    const options = actionsOf(card);
    expect(options.map((o) => o.verb)).toEqual(['menu.choose', 'menu.choose']);
    expect(new Set(options.map((o) => o.data.intent))).toEqual(new Set(['breach.report', 'device.request']));
    expect(inputValue(card, 'text')).toBe('my phone');
    const breach = options.find((o) => o.data.intent === 'breach.report')!;
    const picked = (await t.click(breach.verb, { ...breach.data, text: 'my phone' })).card!;
    expect(cardText(picked)).toMatch(/sounds like it could be a data breach/);
    // A reading nearly as likely as nothing at all is offered beside the policy, not dropped.
    const found = (await t.say('found some papers in the car park'))[0]!.attachments[0].content;
    expect(cardText(found)).toMatch(/Did you mean/);
    expect(actionsOf(found).map((o) => o.data.intent)).toEqual(['breach.report', 'policy.question']);
    // Unless the message is clearly nearer in meaning to that reading's examples: names on it are data.
    const named = (await t.say('found a USB stick in the car park with names on it'))[0]!.attachments[0].content;
    expect(cardText(named)).toMatch(/sounds like it could be a data breach/);
    // A reading the card did not offer, or an empty message, changes nothing.
    expect(cardText((await t.click('menu.choose', { intent: 'nope', text: 'x' })).card)).toMatch(/no longer available/);
    expect(cardText((await t.click('menu.choose', { intent: 'breach.report', text: ' ' })).card)).toMatch(
      /say what you need/,
    );
  });

  it('says honestly when the policy does not answer and shows the closest sections as related', async () => {
    const t = h.user('teacher');
    await t.install();
    const card = (await t.say('what does the policy say about webcams on laptops'))[0]!.attachments[0].content;
    const text = cardText(card);
    expect(text).toMatch(/does not seem to answer that.*will not guess/);
    expect(text).toMatch(/closest sections, in case one helps \(they are not an answer\)/);
    expect(text).not.toMatch(/What the policy says/);
    expect(actionsOf(card).some((a) => a.title === 'Ask a person')).toBe(true);
  });

  it('practises at start on made-up messages that nobody sees and nothing records', async () => {
    // The policy is loaded (and its version recorded) at start before this, as main.ts does.
    await policyLibrary(h.app.svc, h.app.svc.config.file.schools[0]!);
    const before = {
      answers: (await h.db.all('SELECT id FROM policy_answers')).length,
      audit: (await h.db.all('SELECT seq FROM audit_log')).length,
      sent: h.connector.sent.length,
    };
    await prepareAnswers(h.app.svc, h.app.svc.config);
    expect((await h.db.all('SELECT id FROM policy_answers')).length).toBe(before.answers);
    expect((await h.db.all('SELECT seq FROM audit_log')).length).toBe(before.audit);
    expect(h.connector.sent.length).toBe(before.sent);
    // And a person's question after it is answered and recorded as ever.
    const t = h.user('teacher');
    await t.install();
    expect(cardText((await t.say('can I use my own phone to read school email?'))[0]!.attachments[0].content)).toMatch(
      /What the policy says/,
    );
    expect((await h.db.all('SELECT id FROM policy_answers')).length).toBe(before.answers + 1);
  });

  it("finds the DPO's saved answer when the question comes back in other words", async () => {
    const t = h.user('teacher');
    await t.install();
    await h.user('dpo').install();
    await h.user('other').install();
    const none = (await t.say('Can supply staff borrow my login for the day?'))[0]!.attachments[0].content;
    expect(cardText(none)).toMatch(/does not seem to answer that|What the policy says/);
    const ask = actionsOf(none).find((a) => a.title === 'Ask a person')!;
    await t.click(ask.verb, ask.data);
    await h.flush();
    const reply = actionsOf(h.user('dpo').lastCard()).find((a) => a.verb === 'policy.reply')!;
    await h.user('dpo').click(reply.verb, {
      ...reply.data,
      reply: 'No: supply staff get their own temporary login from IT.',
      curate: 'true',
    });
    await h.flush();
    // The model learns the saved answer in the background; a paraphrase then finds it.
    let found = '';
    for (let i = 0; i < 50 && !/temporary login from IT/.test(found); i++) {
      await new Promise((r) => setTimeout(r, 100));
      found = cardText(
        (await h.user('other').say('could the supply teacher borrow my login today?'))[0]!.attachments?.[0]?.content,
      );
    }
    expect(found).toMatch(/Answered for Oakfield Primary School.*own temporary login from IT/);
  });
});

/** A policy of these headings and paragraphs, written to a file of its own. */
function policyFile(blocks: string[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'policy-')), 'policy.md');
  writeFileSync(file, blocks.join('\n\n'));
  return file;
}

describe('a school whose policy names its people', () => {
  /** A teacher of the test school whose policy is this file, talking to the bot. */
  async function teacherWith(policy: string, talk: (t: ReturnType<Harness['user']>) => Promise<void>) {
    const h = await startHarness({
      yaml: TEST_CONFIG.replace(/path: .*oakfield-information-security\.md/, `path: ${policy}`),
    });
    try {
      const t = h.user('teacher');
      await t.install();
      await talk(t);
    } finally {
      await h.close();
    }
  }

  it('answers a role question from the configuration, with the passage of the policy that says more', async () => {
    await teacherWith(path.join(__dirname, 'fixtures', 'numbered-policy.txt'), async (t) => {
      const card = cardText((await t.say('who is the DPO here?'))[0]!.attachments[0].content);
      expect(card).toMatch(
        /Data Protection Officer: .*What the policy says.*2\.2 Our Data Protection Officer.*dpo@hazelmere-la\.example/s,
      );
      // Under another answer, not the other clauses that merely mention the DPO.
      expect(card).not.toMatch(/8\.2|9\.3/);
      // To get hold of someone, or reach them, is to contact them: the role question too.
      for (const said of ['how do I get hold of the DPO?', 'how can I reach the DPO'])
        expect(cardText((await t.say(said))[0]!.attachments[0].content), said).toMatch(
          /Data Protection Officer: .*dpo@/s,
        );
      // A role question the policy says nothing more about is the configuration's answer alone.
      const [it] = await t.say('who looks after the printers?');
      expect(it!.text).toMatch(/IT technician: /);
      expect(it!.attachments ?? []).toHaveLength(0);
    });
  });

  it("asks the policy of the role itself when the question's own words find only rules that name nobody", async () => {
    const policy = policyFile([
      '# Phones',
      'Ring parents from the office phone, never from your own phone.',
      '# Who looks after our computers',
      'Our IT technician is Sam Okoro of Northgate IT, on 01632 960 100. Do not open or mend school laptops yourself.',
      '# Visitors',
      'Visitors sign in at the office.',
      '# Incidents',
      'Do not contact the people involved yourself. The headteacher and the DPO decide what happens next.',
      '# Data protection',
      'Our DPO is provided by Vale DPO Services and can be emailed at dpo@vale.example.',
    ]);
    await teacherWith(policy, async (t) => {
      const card = cardText((await t.say('my laptop keeps crashing who do i ring'))[0]!.attachments[0].content);
      expect(card).toMatch(/^That is one for IT to sort out\..*What the policy says.*01632 960 100/s);
      // Asked how to reach a role by its name: the passage that says how, not one that only mentions it.
      const dpo = cardText((await t.say('how do I contact the DPO'))[0]!.attachments[0].content);
      expect(dpo).toMatch(/What the policy says.*dpo@vale\.example/s);
      expect(dpo).not.toMatch(/decide what happens next/);
    });
  });

  it('shows a second passage that names the role asked about and says how to reach them, when the best by the words only mentions it', async () => {
    const policy = policyFile([
      '# When something goes wrong',
      'Step 3. Do not contact the families yourself. Mr Dhillon and I will decide with the DPO who needs to be told, and whether the ICO must know within 72 hours.',
      '# Who to go to',
      'I am responsible for this guidance. Mr Ravi Dhillon, our business manager, deals with data protection each day: sbm@school.example. Our Data Protection Officer is Mrs Anita Mehta of Coastline DPO Services (dpo@coastline.example); she advises us but is not in school, so please go to Mr Dhillon first. Our computers are looked after by Harbour IT, who are in school on Mondays. Mrs Jo Lane, office manager, keeps the photo permission list.',
      '# Visitors',
      'Visitors sign in at the office.',
    ]);
    await teacherWith(policy, async (t) => {
      const card = cardText((await t.say('who is our DPO and how do I contact her?'))[0]!.attachments[0].content);
      expect(card).toMatch(/What the policy says.*dpo@coastline\.example/s);
    });
  });

  it('takes a person the policy names for a person, not an app, however it is capitalised', async () => {
    const policy = policyFile([
      '# Who to go to',
      'Our IT technician, Kieran Walsh, is on site on Wednesdays and Fridays. The office is run by Mrs Joy Adeyemi.',
      '# Software',
      'Only apps on the approved list may be used with pupils.',
    ]);
    await teacherWith(policy, async (t) => {
      for (const said of ['which days is Kieran in?', 'is Joy in today?']) {
        const card = cardText((await t.say(said))[0]!.attachments[0].content);
        expect(card, said).not.toMatch(/register of approved software/);
      }
      expect(cardText((await t.say('which days is Kieran in?'))[0]!.attachments[0].content)).toMatch(
        /Wednesdays and Fridays/,
      );
      // A name the policy gives nobody is still an app.
      const app = cardText((await t.say('is Blooket ok with my class?'))[0]!.attachments[0].content);
      expect(app).toMatch(/Blooket is not on/);
    });
  });
});

/** A teacher of a school whose office has imported the test register (or another). */
async function teacherWithRegister(h: Harness, register = REGISTER): Promise<TestUser> {
  const office = h.user('office');
  await office.install();
  await office.sendFile('register.csv', register);
  const t = h.user('teacher');
  await t.install();
  return t;
}

/** The example school as `npm run dev` starts it, its policy read from the project's folder. */
function exampleSchool(): Promise<Harness> {
  const yaml = readFileSync(EXAMPLE_CONFIG, 'utf8').replace(
    'path: policies/',
    `path: ${path.join(path.dirname(EXAMPLE_CONFIG), 'policies')}/`,
  );
  return startHarness({ yaml });
}

describe('the example school', () => {
  it('offers its requests only where they can be asked: not for a message that is none of them, nor for what has happened', async () => {
    const h = await exampleSchool();
    try {
      const t = h.user('teacher');
      await t.install();
      // The model's best reading is the USB request, once "away on Friday" is ruled out; the message
      // shares none of that request's telling words.
      const dog = cardText((await t.say('can I bring my dog to school on a friday'))[0]!.attachments[0].content);
      expect(dog).toMatch(/does not seem to answer that/);
      expect(dog).not.toMatch(/What the policy says|Send request/);
      // A message that does share them is still the request.
      const stick = (await t.say('I need to copy the class data onto a memory stick'))[0]!.attachments[0].content;
      expect(actionsOf(stick).some((a) => a.verb === 'permissions.submit')).toBe(true);
      // Saving is near the USB request's examples, but a message that names no removable media
      // ("needs" in the school's YAML) is not offered it.
      const saved = (await t.say('is it ok to save my password in chrome'))[0]!.attachments[0].content;
      expect(actionsOf(saved).some((a) => (a.data as { requestType?: string }).requestType === 'usb')).toBe(false);
      // Nor is a laptop brought in offered taking data off site: nothing goes anywhere.
      const laptop = (await t.say('can i bring in my own laptop'))[0]!.attachments[0].content;
      expect(actionsOf(laptop).some((a) => a.verb === 'permissions.form')).toBe(false);
      // What has happened is reported: no permission is offered for it, however near a request's
      // examples its words are ("send… email" is near sending data abroad).
      const recall = cardText(
        (await t.say('should I try to recall an email I sent to the wrong person'))[0]!.attachments[0].content,
      );
      expect(recall).toMatch(/^If this has happened, report it now/);
      expect(recall).not.toMatch(/Ask permission/);
      // "An SEN report" is a thing sent, no reporting of anything: how to send it is the policy's alone.
      const sending = (await t.say('how do I send an SEN report to the educational psychologist?'))[0]!.attachments[0]
        .content;
      expect(cardText(sending)).toMatch(/^What the policy says.*encrypted email/s);
      expect(actionsOf(sending).some((a) => a.data?.intent === 'breach.report')).toBe(false);
      // Asked beforehand, the request is still offered.
      const abroad = cardText(
        (await t.say('can I send pupil details to a school in Spain?'))[0]!.attachments[0].content,
      );
      expect(abroad).toMatch(/Send personal data outside the UK/);
      // A question that fits two of its requests offers both, each with the person's words.
      const both = (await t.say('can I take the SEN folder home on a memory stick'))[0]!.attachments[0].content;
      const asks = actionsOf(both).filter((a) => a.verb === 'permissions.form');
      expect(asks.map((a) => (a.data as { requestType: string }).requestType).sort()).toEqual(['offsite', 'usb']);
      expect(
        asks.every((a) => (a.data as { text: string }).text === 'can I take the SEN folder home on a memory stick'),
      ).toBe(true);
      // One that fits one offers that one alone.
      const one = (await t.say('can I take the marking home'))[0]!.attachments[0].content;
      expect(
        actionsOf(one)
          .filter((a) => a.verb === 'permissions.form')
          .map((a) => [a.title, (a.data as { requestType: string }).requestType]),
      ).toEqual([['Ask permission', 'offsite']]);
      // Each request's title is written out in full above its button, where a button would cut it short.
      expect(cardText(one)).toMatch(/Needs permission: Take personal data off site or work on it at home/);
      expect(cardText(both)).toMatch(/Needs permission: Use removable media \(USB\)/);
      expect(cardText(both)).toMatch(/Needs permission: Take personal data off site or work on it at home/);
    } finally {
      await h.close();
    }
  });

  it("answers a question about working on one's own device from the policy, with the device request beside it, filled in", async () => {
    const h = await exampleSchool();
    try {
      const t = h.user('teacher');
      await t.install();
      // The model reads it as a question for the policy; "my home computer" is the person's own device.
      const said = 'can I set up school email on my home computer';
      const card = (await t.say(said))[0]!.attachments[0].content;
      expect(cardText(card)).toMatch(/What the policy says/);
      const own = actionsOf(card).find((a) => a.data?.intent === 'device.request')!;
      expect(own).toMatchObject({ title: 'Use your own device', verb: 'menu.choose', data: { text: said } });
      // The form opens with the use it named; a computer is no kind the form lists, so that is left to them.
      const form = (await t.click(own.verb, own.data)).card!;
      expect(actionsOf(form).some((a) => a.verb === 'device.submit')).toBe(true);
      expect(inputValue(form, 'uses')).toBe('email');
      expect(inputValue(form, 'kind')).toBe('');
      // A make named is its kind and its name.
      const ipad = (await t.say('can I use my own iPad for school email and documents'))[0]!.attachments[0].content;
      const asked = actionsOf(ipad).find((a) => a.data?.intent === 'device.request')!;
      const filled = (await t.click(asked.verb, asked.data)).card!;
      expect([inputValue(filled, 'kind'), inputValue(filled, 'device'), inputValue(filled, 'uses')]).toEqual([
        'tablet',
        'iPad',
        'email,documents',
      ]);
      // Wanting to use one's own new device, asked what to do: the device request, not a breach to
      // report, though the model read the words as nearer a report.
      const bought =
        "I've just bought an iPad for myself and want to use it for teaching as well. What do I need to do?";
      const boughtCard = (await t.say(bought))[0]!.attachments[0].content;
      expect(actionsOf(boughtCard).map((a) => a.data?.intent ?? a.verb)).toContain('device.request');
      expect(JSON.stringify(boughtCard)).not.toMatch(/breach/i);
      // Not for what has happened, nor for a device that is the school's.
      for (const q of [
        'my home computer got a virus, is school email on it at risk?',
        'can I take my school laptop on holiday?',
        // (The clause that wants to use it, read alone, would be the request.)
        'I wanted to use my own iPad but it was stolen from my car, who do I tell?',
      ]) {
        const reply = (await t.say(q))[0]!.attachments[0].content;
        expect(JSON.stringify(reply), q).not.toMatch(/device\.request|Use your own device/);
      }
    } finally {
      await h.close();
    }
  });

  it('reads a message that asks nothing, typed as into a search box, by its meaning when the words only guessed a question', async () => {
    const h = await exampleSchool();
    try {
      const t = h.user('teacher');
      await t.install();
      const stick = (await t.say('usb stick for transition data'))[0]!.attachments[0].content;
      expect(actionsOf(stick).some((a) => a.verb === 'permissions.submit')).toBe(true);
      const phone = cardText((await t.say('school email on my phone'))[0]!.attachments[0].content);
      expect(phone).toMatch(/^Use a personal device for school work/);
      // Asked, it is still the policy's question first.
      const asked = cardText((await t.say('can I use a usb stick for transition data?'))[0]!.attachments[0].content);
      expect(asked).toMatch(/^What the policy says/);
    } finally {
      await h.close();
    }
  });

  it('reads a loss told as a breach, and a pupil it knows before a name it does not as a consent check', async () => {
    const h = await exampleSchool();
    try {
      const t = await teacherWithRegister(h);
      // Told, not asked: a report, though the policy's reading was nearly as likely by the words.
      const lost = cardText((await t.say('lost a memory stick with assessment data on it'))[0]!.attachments[0].content);
      expect(lost).toMatch(/sounds like it could be a data breach/);
      // The event named in its words ("hacked"), though the rest reads as a question on emailing parents.
      const hacked = cardText(
        (await t.say("someone's hacked my email and is sending messages to parents"))[0]!.attachments[0].content,
      );
      expect(hacked).toMatch(/sounds like it could be a data breach/);
      // A passive with "got" tells of it as one with "was" does.
      for (const said of [
        'the class list got emailed to a parent by mistake',
        'the behaviour log got pinned to the parents noticeboard by mistake',
      ])
        expect(cardText((await t.say(said))[0]!.attachments[0].content), said).toMatch(
          /sounds like it could be a data breach/,
        );
      // Told as a ticket is, as near to nothing as to a report by the words, but clearly nearer in
      // meaning to a report than to anything else.
      const taken = cardText(
        (await t.say('Staff laptop taken from car overnight, window smashed, police informed'))[0]!.attachments[0]
          .content,
      );
      expect(taken).toMatch(/sounds like it could be a data breach/);
      // "YouTube" is no app to request here: it is where the video of the pupil goes.
      const channel = cardText(
        (await t.say('can Maja Nowak be in a video for the school YouTube?'))[0]!.attachments[0].content,
      );
      expect(channel).toMatch(/Maja Nowak/);
      expect(channel).toMatch(/video/);
      expect(channel).not.toMatch(/software/i);
      // A pupil of the register named in a message that only tells what happened to their data is
      // whom it happened to: a report, not a check of their consent ("put" in the past by "I've").
      const bag = cardText(
        (await t.say("I think I've put Kofi Mensah's reading record in the wrong child's book bag"))[0]!.attachments[0]
          .content,
      );
      expect(bag).toMatch(/sounds like it could be a data breach/);
    } finally {
      await h.close();
    }
  });
});

describe('a message written with the story first and the ask last', () => {
  it('is read by the sentence that asks, with the whole message kept', async () => {
    const h = await exampleSchool();
    try {
      const t = await teacherWithRegister(h);
      // The story names a newspaper the bot cannot know; the last sentence asks of a pupil and a use.
      const press = cardText(
        (
          await t.say(
            'Hi, sorry to bother you. The Wirksworth Herald are doing a feature on our sixth form results. Does Kofi Mensah have consent for the press?',
          )
        )[0]!.attachments[0].content,
      );
      expect(press).toMatch(/Kofi Mensah/);
      expect(press).toMatch(/press/i);
      expect(press).not.toMatch(/software|register of approved/i);
      // The ask after "and": the story's "this weekend" is no absence.
      const home = await t.say(
        "I'm covering the trip this weekend and need to take the medical forms home on Friday. Is that ok?",
      );
      expect(JSON.stringify(home)).toMatch(/"verb":"permissions\.form","data":\{"requestType":"offsite"/);
      expect(JSON.stringify(home)).not.toMatch(/deputy/i);
      // Read whole as a report, but no sentence tells of anything that happened: what has a pupil
      // got is what Kofi has, and the sentence that asks is the reading.
      const got = (await t.say("Sorry, one more - what has Kofi Mensah got consent for? I can't find the list."))[0]!
        .attachments[0].content;
      // The check for him, asking which use.
      expect(cardText(got)).toMatch(/^Check photo consent/);
      expect(JSON.stringify(got)).toMatch(/Kofi Mensah/);
      expect(cardText(got)).not.toMatch(/data breach|72 hours/i);
      const who = shown(
        (await t.say("Who decides whether we can buy new software? I've got a couple of things in mind."))[0]!,
      );
      expect(who).toMatch(/software requests are decided in this order/);
      expect(who).not.toMatch(/data breach|72 hours/i);
    } finally {
      await h.close();
    }
  });
});

describe('capitalised words that name no app', () => {
  it('takes a place WordNet knows by name, a title and a room for what they are', async () => {
    const h = await exampleSchool();
    try {
      const t = await teacherWithRegister(h);
      // A place and a title in capitals are no apps to ask about.
      const display = cardText(
        (await t.say("We're doing a Duke of Edinburgh display in the hall, is Ella Brown alright to go on it?"))[0]!
          .attachments[0].content,
      );
      expect(display).toMatch(/Ella Brown/);
      expect(display).not.toMatch(/software|register of approved/i);
      // A room is a capital and a number; a city is where, not what.
      for (const said of ['The projector in S4 has stopped working', 'Our partner school in Lyon wants the list'])
        expect(await spotApps(said, []), said).toEqual([]);
      // A name the register does not know is still found; a year group is no app, one or several ("my Y13s").
      expect((await spotApps('Can I use Blooket in S4?', [])).map((e) => e.value)).toEqual(['Blooket']);
      expect((await spotApps('Can I use Notion with my Y13s?', [])).map((e) => e.value)).toEqual(['Notion']);
      // With a pupil of the register named, a capitalised place a photo goes is that place, not an app.
      const facebook = cardText(
        (await t.say('Is Ella Brown allowed on the school Facebook page?'))[0]!.attachments[0].content,
      );
      expect(facebook).toMatch(/Ella Brown/);
      expect(facebook).toMatch(/social media/i);
      expect(facebook).not.toMatch(/software|register of approved/i);
    } finally {
      await h.close();
    }
  });
});

describe('apps and uses among other capitalised words', () => {
  it('reads no use in a word of a pupil’s name', async () => {
    const h = await exampleSchool();
    try {
      const t = await teacherWithRegister(
        h,
        [REGISTER.split('\r\n')[0], '2101,Reuben,Baptiste-Hall,1,1A,01/09/2026,Yes,Yes,No,Yes,Yes,Yes,Yes,No'].join(
          '\r\n',
        ),
      );
      // "Hall" is his name, not the hall: the film is the one use asked about.
      const film = cardText(
        (await t.say("We're making a film of the class and Reuben Baptiste-Hall is in it, is that alright?"))[0]!
          .attachments[0].content,
      );
      expect(film).toMatch(/Reuben Baptiste-Hall/);
      expect(film).toMatch(/video/i);
      expect(film).not.toMatch(/display/i);
    } finally {
      await h.close();
    }
  });

  it('reads a name with a place a photo goes as a pupil before any register is imported', async () => {
    const h = await exampleSchool();
    try {
      const t = h.user('teacher');
      await t.install();
      for (const said of [
        'Is Ella Brown allowed on the school Facebook page?',
        'Is Ella Brown allowed on the school website?',
      ]) {
        const card = (await t.say(said))[0]!.attachments[0].content;
        expect(JSON.stringify(card), said).toMatch(/Ella Brown/);
        expect(cardText(card), said).not.toMatch(/software|register of approved/i);
      }
      // A name of an app with "Online" in it is no use of a photo: still an app.
      const widgit = cardText(
        (await t.say('can we get Widgit Online for making symbol resources'))[0]!.attachments[0].content,
      );
      expect(widgit).toMatch(/Widgit Online/);
      expect(widgit).toMatch(/software|register of approved/i);
    } finally {
      await h.close();
    }
  });

  it('reads a title with "to" in it, a greeting and who is asked for what they are', async () => {
    const names = async (said: string) => (await spotApps(said, [])).map((e) => e.value);
    expect(await names('Can I use Teach Your Monster to Read with my phonics group')).toEqual([
      'Teach Your Monster to Read',
    ]);
    // "To" before no verb ends the name.
    expect(await names('Can I send Kahoot to Sam')).toEqual(['Kahoot', 'Sam']);
    expect(await names("Hiya I've just started as an apprentice, what can this thing do")).toEqual([]);
    expect(await names('Could Sam put Busy Things on the reception iPads please')).toEqual(['Busy Things']);
    // Alone, or before no verb, the name after "can" is the app.
    expect(await names('Can Padlet export to PDF?')).toEqual(['Padlet']);
    expect(await names('Could Zoom and Teams both go on the laptops')).toEqual(['Zoom', 'Teams']);
  });
});

describe('names and one’s own standing, in other words', () => {
  it('reads a name put on a device as an app, not a pupil, with the device picked on its form, and "my status on the policy" as the person’s own confirmation', async () => {
    const h = await exampleSchool();
    try {
      const t = h.user('teacher');
      await t.install();
      // A capitalised name no register knows, put on a laptop (whatever follows): an app to ask for, not a pupil.
      const zoom = (await t.say('how do I get Zoom on my laptop for lessons'))[0]!.attachments[0].content;
      expect(cardText(zoom)).toMatch(/Zoom is not on Oakfield Primary School's register of approved software yet/);
      expect(actionsOf(zoom).some((a) => a.verb === 'software.submit')).toBe(true);
      // The form opens with the devices the message named already picked.
      expect(inputValue(zoom, 'devices')).toBe('my-laptop');
      const padlet = (await t.say('can we put Padlet on the class iPads'))[0]!.attachments[0].content;
      expect(inputValue(padlet, 'name')).toBe('Padlet');
      expect(inputValue(padlet, 'devices')).toBe('tablets');
      // Still a pupil where a pupil goes: on the website.
      const pupil = cardText((await t.say('can Jake Thornbury go on the website?'))[0]!.attachments[0].content);
      expect(pupil).not.toMatch(/register of approved software/);
      // Their own standing with the policy: the confirmation card, not a search of the policy.
      const status = (await t.say("what's my status on the policy"))[0]!.attachments[0].content;
      expect(actionsOf(status).some((a) => a.verb === 'acknowledgement.confirm')).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('a country named in a message', () => {
  it('is read as any country: the examples name two, and a message naming another reaches the same request', async () => {
    const abroad = [
      '      - key: abroad',
      '        title: Send personal data abroad',
      '        description: Ask the DPO before pupil or staff data leaves the country.',
      '        examples: [can I send pupil details to a school in Spain, the exchange school in Germany wants our class list, a company in Canada needs pupil names for a competition]',
      '        refPrefix: INT',
      '        fields:',
      '          - { id: recipient, label: Who receives it and where?, kind: text }',
      '        stages:',
      '          - { name: DPO authorisation, roles: [dpo] }',
    ].join('\n');
    const h = await startHarness({ yaml: YAML.replace('    requestTypes:\n', `    requestTypes:\n${abroad}\n`) });
    try {
      const t = h.user('teacher');
      await t.install();
      for (const said of [
        'our twinned school in Poland would like pupil emails',
        'can I send the class list to a school in France',
        'the US company that runs our reading app wants pupil names',
      ]) {
        const card = (await t.say(said))[0]!.attachments[0].content;
        // The form; or, asked as a question, the policy's answer with the form beside it, or the
        // form as one of two readings.
        const offered = actionsOf(card).some(
          (a) =>
            a.verb === 'permissions.submit' ||
            (a.verb === 'permissions.form' && (a.data as { requestType?: string }).requestType === 'abroad') ||
            (a.verb === 'menu.choose' && (a.data as { intent?: string }).intent === 'permissions.abroad'),
        );
        expect(offered, said).toBe(true);
      }
      // Read with little confidence, a statement of the request is still the request (its form, not
      // the policy's answer with the form beside it): near an example once both name a country.
      const survey = (await t.say('we want to use a survey site whose servers are in the US'))[0]!.attachments[0]
        .content;
      expect(actionsOf(survey).some((a) => a.verb === 'permissions.submit')).toBe(true);
    } finally {
      await h.close();
    }
  });

  it("is found as written: capitalised, the common short forms, and not where it starts a person's name", () => {
    expect(countriesIn('servers in the US, then the United States of America').map((c) => c.code)).toEqual([
      'US',
      'US',
    ]);
    expect(countriesIn('the Netherlands or the UAE').map((c) => c.text)).toEqual(['Netherlands', 'UAE']);
    // A person, a word in lower case, and IT (the department, not Italy) are no country.
    expect(countriesIn('Jordan Smith asked IT about the turkey for lunch')).toEqual([]);
  });

  it('is found in lower case, as phones type it, after a word of place and when it is no common word', async () => {
    const found = await countriesInAnyCase(
      'based in france, then to the netherlands, with jordan, and a trip to turkey',
    );
    expect(found.map((c) => [c.text, c.code])).toEqual([
      ['france', 'FR'],
      ['netherlands', 'NL'],
    ]);
    // The word of place may start the sentence.
    expect((await countriesInAnyCase('In spain the trip company wants names')).map((c) => c.code)).toEqual(['ES']);
    // "us" after "to" is the pronoun: a short name counts only as written in capitals.
    expect(await countriesInAnyCase('send it to us, or to the US')).toEqual([
      expect.objectContaining({ text: 'US', code: 'US' }),
    ]);
  });

  it("is found by its people's adjective before whoever the data goes to, not a language, a subject or its teacher", async () => {
    const of = async (said: string) => (await countriesInAnyCase(said)).map((c) => [c.text, c.code, c.name]);
    expect(await of('send pupil names to our french partner school')).toEqual([['french', 'FR', 'France']]);
    expect(await of('can I share the list with the German exchange families?')).toEqual([['German', 'DE', 'Germany']]);
    expect(await of('need duolingo for my french club')).toEqual([]);
    expect(await of('translate the letter to French')).toEqual([]);
    expect(await of('email the class list to the spanish teacher')).toEqual([]);
  });

  it("is what a school's request needs when it says so: data sent to a partner school or a personal email is not sent abroad", async () => {
    const h = await exampleSchool();
    try {
      const t = h.user('teacher');
      await t.install();
      // The example school's request to send data abroad needs somewhere abroad. Its examples
      // share "partner school", "send" and "pupil details" with these messages, which name nowhere.
      const partner = (await t.say('I want to share staff details with a partner school'))[0]!.attachments[0].content;
      expect(cardText(partner)).not.toMatch(/outside the UK/);
      expect(actionsOf(partner).some((a) => /^permissions\./.test(a.verb))).toBe(false);
      const secondary = cardText(
        (await t.say('can I send pupil details to the secondary school?'))[0]!.attachments[0].content,
      );
      expect(secondary).toMatch(/^What the policy says.*check every recipient/s);
      expect(secondary).not.toMatch(/outside the UK/);
      // Nor is it offered beside an answer it does not fit.
      const gmail = cardText(
        (await t.say('is it ok to use my personal gmail to send worksheets'))[0]!.attachments[0].content,
      );
      expect(gmail).toMatch(/Never forward school email to a personal account/);
      expect(gmail).not.toMatch(/outside the UK/);
      // A country, in lower case too, is somewhere abroad.
      const trip = (await t.say("the trip company is based in france and wants the children's passport numbers"))[0]!
        .attachments[0].content;
      expect(cardText(trip)).toMatch(/^Send personal data outside the UK/);
      expect(actionsOf(trip).some((a) => a.verb === 'permissions.submit')).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe("a school's own word for its policy", () => {
  it('reads "the code" as the policy where the school calls its policy a code, and only there', async () => {
    const said = 'i want to confirm ive read the code';
    for (const [title, confirms] of [
      ['Information Handling Code for Staff', true],
      ['Information Security Policy', false],
    ] as const) {
      const h = await startHarness({
        yaml: TEST_CONFIG.replace('title: Information Security Policy', `title: ${title}`),
      });
      try {
        const t = h.user('teacher');
        await t.install();
        const card = cardText((await t.say(said))[0]!.attachments[0].content);
        if (confirms) expect(card, title).toMatch(/confirm you have read the Information Handling Code for Staff/i);
        else expect(card, title).not.toMatch(/confirm you have read/i);
      } finally {
        await h.close();
      }
    }
  });
});

describe('messages written as tickets', () => {
  it('reads a headline\'s dropped "was" back, and no more', () => {
    expect(withHeadlinePassive('Staff laptop taken from car overnight, window smashed')).toBe(
      'Staff laptop was taken from car overnight, window was smashed',
    );
    expect(withHeadlinePassive('Register sheet left on the minibus')).toBe('Register sheet was left on the minibus');
    // Asked, it is "is".
    expect(withHeadlinePassive('Doodle Maths approved or not?')).toBe('Doodle Maths is approved or not?');
    // An object after the verb, or a person before it: the sentence is whole already.
    for (const whole of ['Teacher emailed the wrong parent', 'I left the class list in the hall', 'we sent it home'])
      expect(withHeadlinePassive(whole)).toBe(whole);
  });

  it('finds an app named at the start of a ticket when it is asked whether it may be used', async () => {
    expect((await spotApps('Doodle Maths approved or not? Maths lead asking', [])).map((e) => e.value)).toEqual([
      'Doodle Maths',
    ]);
    // Two capitals at the start of a sentence that asks nothing of them name no app.
    expect(await spotApps('Doodle Maths homework was set today for the whole class', [])).toEqual([]);
  });

  it('finds an app typed first in lower case, as into a search box, for a class or on a device', async () => {
    const apps = async (said: string) => (await spotApps(said, [])).map((e) => e.value);
    expect(await apps('sumdog for p5?')).toEqual(['sumdog']);
    expect(await apps('canva on class ipads')).toEqual(['canva']);
    // A word the dictionary lists names no app, and a name with nothing after it may be anything.
    expect(await apps('glow on my phone')).toEqual([]);
    expect(await apps('laptop for year 4')).toEqual([]);
    expect(await apps('sumdog')).toEqual([]);
  });

  it("finds a class by the register's own name for it", () => {
    const known = (name: string) => name.toLowerCase() === '4 oak';
    expect(spotClass('Learners in 4 Oak without consent for the displays outside', known)?.value).toBe('4 Oak');
    expect(spotClass('Oak trees in the playground', known)).toBeUndefined();
    // A secondary school's form by its tutor's initials, when the register has it.
    const forms = (name: string) => ['9KB', '10RS'].includes(name);
    expect(spotClass("Which of 9KB can't be in photos?", forms)?.value).toBe('9KB');
    expect(spotClass('photos of 10rs on the website', forms)?.value).toBe('10RS');
    expect(spotClass('the trip leaves at 10am', forms)).toBeUndefined();
    // A year named with one of its forms asks of the form; a year alone is the year.
    expect(spotClass("the yr 9 trip photos for the website, which of 9KB can't go on?", forms)?.value).toBe('9KB');
    expect(spotClass('year 9 trip photos for the website', forms)?.value).toBe('Year 9');
  });

  it('offers no breach report for a question whether something exists', async () => {
    const h = await exampleSchool();
    try {
      const t = h.user('teacher');
      await t.install();
      const reply = shown((await t.say('is there visitor parking at the school?'))[0]!);
      expect(reply).not.toMatch(/data breach/);
      // Told with it, what happened is still a report: offered beside the policy's answer.
      expect(shown((await t.say('is there a problem, I left my laptop on the train'))[0]!)).toMatch(
        /If this has happened, report it now/,
      );
    } finally {
      await h.close();
    }
  });

  it('reads what staff write whose first language is not English: a word order, a passive, an event the school has', async () => {
    const h = await exampleSchool();
    try {
      const t = await teacherWithRegister(h);
      // A name not on the register asked of as a pupil's request would be is an app asked about.
      expect(shown((await t.say('Canva is approved or no?'))[0]!)).toMatch(
        /Canva is not on Oakfield Primary School's register of approved software/,
      );
      // Data said to be lost, in either order, is a breach: whom breach reports go to.
      expect(shown((await t.say('To who I must tell if data is lost?'))[0]!)).toMatch(/breach reports go at once to/);
      // A word of English after "the" is the school's event, not an app: the pupil's consent answers.
      expect(
        shown((await t.say('I want make video with Kofi Mensah for the Eisteddfod, he have permission?'))[0]!),
      ).toMatch(/Kofi Mensah \(Year 3, 3A\) may appear in images for video/);
      // An app one's own device is set up for asks whether the device may be used.
      expect(shown((await t.say('Setting up my personal tablet for Teams'))[0]!)).toMatch(
        /Use a personal device for school work/,
      );
    } finally {
      await h.close();
    }
  });

  it('answers whom to ask, asked as a headline or a ticket asks it', async () => {
    const h = await exampleSchool();
    try {
      const t = h.user('teacher');
      await t.install();
      for (const said of [
        'Person in charge of the photo consent records?',
        'who keeps the list of which kids can be photographed',
      ])
        expect(shown((await t.say(said))[0]!), said).toMatch(/The photo-consent register is kept by the School office/);
      for (const said of ['smartboard broken who to call', 'the photocopier keeps jamming, who to ring?'])
        expect(shown((await t.say(said))[0]!), said).toMatch(/That is one for IT to sort out/);
    } finally {
      await h.close();
    }
  });

  it('takes a report written as a ticket for the report it is', async () => {
    const h = await exampleSchool();
    try {
      const t = await teacherWithRegister(
        h,
        `${REGISTER}\r\n2005,Grace,Hope,4,4 Oak,01/09/2026,Yes,Yes,Yes,Yes,Yes,Yes,Yes,Yes`,
      );
      for (const said of [
        'Staff laptop taken from car overnight, window smashed, police informed',
        // "Oak" is the class the register names, not an app.
        'Register sheet for 4 Oak left on the minibus after swimming, bus company has it now',
      ])
        expect(cardText((await t.say(said))[0]!.attachments[0].content), said).toMatch(
          /sounds like it could be a data breach/,
        );
      // The frame goes only before what happened; before a wish, whose wish it is stays.
      expect(withoutHearsay('Our TA said the register was left on the bus').trimStart()).toBe(
        'the register was left on the bus',
      );
      expect(withoutHearsay('My TA told me she wants to use Padlet')).toBe('My TA told me she wants to use Padlet');
      expect(withoutHearsay('Mr Osei told me he left the log open').trimStart()).toBe('I  left the log open');
    } finally {
      await h.close();
    }
  });
});

describe('messages written for someone else', () => {
  it('reads the news a colleague passed on as what it tells', async () => {
    const h = await exampleSchool();
    try {
      const t = await teacherWithRegister(h);
      // Whoever told of it, what happened is the report; "this morning" says when, and greets nobody.
      for (const said of [
        'My TA has just told me she left the 3A spelling tests on the bus this morning',
        'Mrs Okafor asked me to let someone know she put the allergy list in the wrong book bag yesterday',
        // A class named in it, and "she" read as the examples tell an event: "I left…".
        'Mrs Akhtar says she left the year 3 reading folder on the minibus',
      ])
        expect(cardText((await t.say(said))[0]!.attachments[0].content), said).toMatch(
          /sounds like it could be a data breach/,
        );
    } finally {
      await h.close();
    }
  });

  it('takes a name after a title for a member of staff, never a pupil or an app', async () => {
    const h = await exampleSchool();
    try {
      const t = await teacherWithRegister(h);
      // "Brown" is a pupil's surname (Ella Brown), but Mrs Brown is a teacher: the pupil asked about is Kofi.
      const film = shown((await t.say('Mrs Brown wants to film Kofi Mensah for the class video, is that ok?'))[0]!);
      expect(film).toMatch(/Kofi Mensah \(Year 3, 3A\) may appear in images for video/);
      expect(film).not.toMatch(/Ella/);
      // The app is the one asked for, not the teacher who asked.
      expect((await spotApps('Mr Dunn wants Tinkercad on the ICT suite computers', [])).map((e) => e.value)).toEqual([
        'Tinkercad',
      ]);
      expect((await spotApps('Can Dr. Helen Shah use Padlet?', [])).map((e) => e.value)).toEqual(['Padlet']);
    } finally {
      await h.close();
    }
  });
});

describe('messages that say what they are not about', () => {
  it('reads a message without the clause that denies a subject, and keeps one the rest points back to', async () => {
    const h = await exampleSchool();
    try {
      const t = await teacherWithRegister(h);
      // "Not a breach": taking books home is what is asked, not a report of anything lost.
      const books = cardText(
        (await t.say("Not a breach, I haven't lost anything: I need to take the Year 3 books home to mark"))[0]!
          .attachments[0].content,
      );
      expect(books).toMatch(/Take personal data off site or work on it at home/);
      expect(books).not.toMatch(/data breach/);
      // "not the website, the prospectus": the use asked about is the prospectus (Ella has no consent for it).
      const prospectus = shown((await t.say('not the website, the prospectus - is Ella Brown ok to be in it?'))[0]!);
      expect(prospectus).toMatch(/Ella Brown/);
      expect(prospectus).toMatch(/prospectus/i);
      expect(prospectus).not.toMatch(/may appear in images for (?:the )?website/i);
      // "Forget my Padlet request": the app wanted is the other one.
      const instead = cardText(
        (await t.say('Forget my Padlet request, could I have Mentimeter instead?'))[0]!.attachments[0].content,
      );
      expect(instead).toMatch(/Mentimeter is not on Oakfield Primary School's register of approved software/);
      // Nor is the denied clause searched in the policy: no rule on requests or memory sticks is
      // quoted as if the message were about them.
      const wordwall = cardText(
        (await t.say('Never mind my Canva request, could I get Wordwall instead?'))[0]!.attachments[0].content,
      );
      expect(wordwall).toMatch(/Wordwall is not on/);
      expect(wordwall).not.toMatch(/What the policy says/);
      // A hedge denies no subject, and a clause the rest points back to stays.
      for (const said of [
        "I'm not sure Ella Brown has consent for the website",
        "I'm not after the consent forms myself, but who looks after them?",
        "Not a question about the policy, I just need to confirm I've read it",
      ])
        expect(withoutDenials(said), said).toBe(said);
      expect(withoutDenials('Not a USB question: can I read email on my own phone?').trimStart()).toBe(
        ': can I read email on my own phone?',
      );
    } finally {
      await h.close();
    }
  });
});

describe('a question asked inside "I am not sure…", and a request followed up', () => {
  it('reads the question, not the frame of not knowing, and keeps a hedge or a loss as it is', async () => {
    expect(withIndirectQuestions("Sorry, I'm not really sure what this bot is for")).toMatch(
      /^Sorry, +what this bot is for$/,
    );
    expect(withIndirectQuestions("I don't know who to tell").trim()).toBe('who to tell');
    expect(withIndirectQuestions('not sure where to send it').trim()).toBe('where to send it');
    // A hedge before a statement frames no question; nor does where a thing is, which tells of a loss.
    // Nor does not knowing something of the past ("who he was"): that tells of what happened.
    for (const said of [
      'not sure if this counts as a breach',
      "I don't know where my laptop is",
      "I don't know who he was",
    ])
      expect(withIndirectQuestions(said), said).toBe(said);
    const h = await exampleSchool();
    try {
      const t = await teacherWithRegister(h);
      for (const said of [
        "Sorry, I'm not really sure what this bot is for",
        "Hi, somebody told me to message this bot but I'm not sure what it's for",
      ]) {
        const menu = (await t.say(said))[0]!.attachments[0].content;
        expect(
          actionsOf(menu).map((a) => a.verb),
          said,
        ).toContain('menu.open');
      }
    } finally {
      await h.close();
    }
  });

  it('takes a request told as made and asked after for that request, whatever it was for', async () => {
    const h = await exampleSchool();
    try {
      const t = await teacherWithRegister(h);
      for (const said of [
        'I asked to take books home last week and heard nothing back - is it still waiting?',
        "Hello, I asked a couple of weeks ago if I could take some files home and haven't heard anything. Has it been looked at?",
        'I put in a request for Canva on Monday, has anyone looked at it?',
        'any update on my Kahoot req?',
        // Asked for "put in for", asked after "any news" (no newspaper: Canva is no pupil to check).
        'I put in for Canva last week, any news?',
        'I asked for a visualiser for my room, where has that got to?',
        'any progress on what I asked for about working from home?',
      ])
        expect(cardText((await t.say(said))[0]!.attachments[0].content), said).toMatch(/Your requests/);
      // Told as made but not asked after, it is what it asks: a plan to take books home.
      expect(
        cardText(
          (await t.say('I asked to take books home, can I take the Year 3 ones too?'))[0]!.attachments[0].content,
        ),
      ).not.toMatch(/Your requests/);
    } finally {
      await h.close();
    }
  });
});
