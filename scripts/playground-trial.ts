/**
 * Drives the Microsoft 365 Agents Playground as a new user would, against `npm run dev`, and saves
 * screenshots. Start the bot and the playground first:
 *   npm run dev
 *   TEAMSAPPTESTER_BROWSER=none npx @microsoft/m365agentsplayground -e http://127.0.0.1:3978/api/messages -c msteams
 * then: node --import tsx scripts/playground-trial.ts software|breach|consent|free-text|meaning|phone|typed|named|asked|meant|roles|faults|wishes|possible|mended|offers|own-device|approved|ask   (SHOTS=<dir> for the pictures)
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
const SHOTS = process.env.SHOTS ?? 'playground-shots';
mkdirSync(SHOTS, { recursive: true });
const shot = async (p: Page, n: string) => p.screenshot({ path: `${SHOTS}/${n}.png`, fullPage: false });
const last = (p: Page) => p.locator('.ac-adaptiveCard').last();
async function text(p: Page, label: string, value: string) {
  const card = last(p);
  const el = card
    .locator(
      `xpath=.//*[starts-with(normalize-space(.), "${label}") and not(*)]/following::*[self::input or self::textarea][1]`,
    )
    .first();
  await el.fill(value);
}
async function choose(p: Page, label: string, option: string) {
  const card = last(p);
  const el = card
    .locator(`xpath=.//*[starts-with(normalize-space(.), "${label}") and not(*)]/following::input[1]`)
    .first();
  await el.click();
  await p.waitForTimeout(300);
  await p.getByRole('option', { name: option, exact: true }).first().click();
  await p.waitForTimeout(200);
}
async function say(p: Page, msg: string) {
  const box = p.locator('[contenteditable=true]').first();
  await box.click();
  await box.fill(msg);
  await p.keyboard.press('Enter');
  await p.waitForTimeout(2500);
}
async function button(p: Page, name: string) {
  await p.getByRole('button', { name, exact: true }).last().click();
  await p.waitForTimeout(2500);
}
(async () => {
  const b = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const page = await b.newPage({ viewport: { width: 1280, height: 1400 } });
  await page.goto('http://localhost:56150', { waitUntil: 'networkidle' });
  await page.waitForTimeout(2000);
  const step = process.argv[2];
  if (step === 'software') {
    await say(page, 'install software');
    await shot(page, 's0');
    await text(page, 'Software, app or website', 'Zoom');
    await text(page, 'What is it for?', 'Parents evening calls with families who cannot come in');
    await choose(page, 'On which devices?', 'All staff laptops');
    await choose(page, "Will it hold pupils' or staff personal data?", 'No');
    await button(page, 'Send request');
    await shot(page, 's1');
    await page.waitForTimeout(3000);
    await shot(page, 's2');
    // In local mode this one person holds every role: the IT card, then the headteacher's, come here.
    await button(page, 'Approve');
    await page.waitForTimeout(3000);
    await shot(page, 's3');
    await button(page, 'Approve');
    await page.waitForTimeout(3000);
    await shot(page, 's4');
    await say(page, 'is Zoom approved?');
    await shot(page, 's5');
  }
  if (step === 'people') {
    // This session's flows as a new user finds them (local mode: one person holds every role).
    await say(page, "I'm away on a course until Friday");
    await shot(page, 'p1-away');
    await say(page, 'leaver');
    await shot(page, 'p2-leaver');
    await say(page, 'I sent the reading levels spreadsheet to the wrong parent, who do I tell?');
    await shot(page, 'p3-spreadsheet');
    await say(page, 'attestations');
    await shot(page, 'p4-attestations');
    await say(page, 'waiting for me');
    await shot(page, 'p5-waiting');
  }
  if (step === 'free-text') {
    // What a new member of staff types on a phone, in their own words.
    await say(page, 'hiya, what can you do?');
    await shot(page, 'f0');
    await say(page, 'someone nicked my school iPad from the staffroom yesterday at 3');
    await shot(page, 'f1');
    await button(page, 'Report it now');
    await shot(page, 'f2');
    await say(page, 'who deals with data breaches here?');
    await shot(page, 'f3');
    await say(page, 'can my class use Padlet?');
    await shot(page, 'f4');
    await say(page, 'may I keep my planning on a memory stick?');
    await shot(page, 'f5');
    await say(page, 'my phone');
    await shot(page, 'f6');
    await say(page, 'does the policy say anything about VPNs?');
    await shot(page, 'f7');
    await say(page, 'have I confirmed the policy this year?');
    await shot(page, 'f8');
    // A question a report or request would take: the policy answers first, the report is offered.
    await say(page, 'my work laptop was stolen from my car, who do I need to tell?');
    await shot(page, 'f9');
    await say(page, 'can I read my school email on my own phone?');
    await shot(page, 'f10');
  }
  /** Steps that only send messages, one screenshot each (named by the step's first letter). */
  const SAYINGS: Record<string, string[]> = {
    // Typed as on a phone, and questions about how things work rather than requests.
    phone: [
      'is it ok to use Gmail with my class?',
      'where do I check which children are allowed in photos?',
      'how often do we have to confirm the policy?',
      'ive lost my memory stick with the reports on',
      'left the register on the bus this morning',
      'My kids use my school laptop at home. Is that a problem?',
    ],
    // Typed in a hurry: no "I", no comma, no apostrophe, no capitals; a plan asked about; an app
    // asked for by a kind, and a name the register does not know.
    typed: [
      'lost my school phone what should i do',
      'my laptop was stolen who do I tell',
      'whos the data protection officer',
      'who fixes the wifi when its down',
      'please can you install audacity on my laptop',
      "I need to email a child's care plan to the school nurse. How should I send it?",
      'We want to try a new online quiz app with the class. Who has to OK it?',
      'Can we use Bose headphones?',
    ],
    // Countries, year groups, compounds and names no English text uses; a time still to come today.
    named: [
      'can I send the class list to a school in France',
      'lost a USB with the Y6 data on it',
      'Can I use Bluetooth speakers in my classroom?',
      "I need to email a child's EHCP to the speech therapist. How should I send it?",
      'Do I need to lock my Chromebook screen?',
      'How many sick days do I get?',
      'How do I report a broken window?',
      'Can I use my fingerprint to unlock my school iPad?',
    ],
    // Questions asked last and unmarked, a compound naming something the policy never mentions,
    // counts asked for.
    asked: [
      'printed some reports and forgot to pick them up, is that a big deal',
      'a parent messaged me on my personal phone, what now',
      'lost my school phone what should i do',
      'I lost my phone, which had pupil photos on it',
      'is there a staff car park',
      'how many pupils can I take info on for a trip',
      'how many characters does my password need',
      // A role asked "who" about, a name no register knows, an app named first, and thanks.
      'who sorts out IT problems',
      'can Jake Thornbury go on the website?',
      'Padlet - can we use it',
      'thanks!',
    ],
    // An app typed in lower case, a message no flow takes, one read by its meaning, a product name
    // next to a pupil's surname, and thanks in a word.
    meant: [
      'could we get padlet for the class',
      'can I bring my dog to school on a friday',
      'my work phone was pickpocketed at the station this morning',
      "i'd like my class to use Purple Mash",
      'ta',
    ],
    // Who: a role with the policy's own passage, a request asked who decides, a broken laptop, an
    // address asked for; told rather than asked; a name one uses; a password asked for by someone.
    roles: [
      'who is our DPO?',
      'who signs off requests to take data home?',
      "my laptop won't turn on, who do I call",
      'whats the IT technicians email',
      'my account got hacked',
      'am I allowed to use Blooket with my class',
      'the network manager asked for my password, should I give it to him?',
    ],
    // Told of a fault, not asked; a relative "who"; a place after "at"; a friend request; a country
    // in a statement of the request.
    faults: [
      'I forgot my password',
      "my laptop won't turn on",
      "how long do we keep application forms from people who didn't get the job",
      'is it ok to use the wifi at Costa to do my marking',
      'a parent sent me a friend request on facebook, can I accept',
      'we want to use a survey site whose servers are in the US',
      'how do I book the minibus',
    ],
    // A wish told with a question after it; a fault by its symptom; a measure asked of something;
    // "how do I…" with a near passage that does it; a question heading's words.
    wishes: [
      'a parent wants copies of everything we hold on their son, how long have we got',
      'my laptop keeps crashing who do i ring',
      "what's the minimum password length",
      'how do I email all the parents in my class without showing their addresses',
      'who fixes computer problems',
    ],
    // Typed wrong on a phone; a loss told in a few words; a verb of two words; initials in an app's name.
    mended: [
      'my phnoe got stolen with my scool emails on it',
      'lost a memory stick with assessment data on it',
      'is TT Rockstars allowed',
      'my school laptop is broken, can I just throw it away?',
      'may I store class photos on my own phone',
    ],
    possible: [
      "The website crashed and showed other children's names",
      'can I use my own car for the school trip',
      'can i check my work emails on my own ipad',
      'need to put some reports on a memory stick to take to a meeting',
      'should I try to recall an email I sent to the wrong person',
    ],
  };
  for (const [i, m] of (SAYINGS[step ?? ''] ?? []).entries()) {
    await say(page, m);
    await shot(page, `${step![0]}${i + 1}`);
  }
  if (step === 'offers') {
    // A question that fits two of the school's requests: both are offered, and either opens its form.
    await say(page, 'can I take the SEN folder home on a memory stick');
    await shot(page, 'o1');
    // Rated, the card is redrawn: both requests are still on it.
    await button(page, 'Yes');
    await shot(page, 'o1-rated');
    // Each request's title stands above its own "Ask permission" button: the USB one's.
    await last(page)
      .locator('xpath=.//*[starts-with(normalize-space(.), "Needs permission: Use removable media") and not(*)]')
      .locator('xpath=following::button[normalize-space(.)="Ask permission"][1]')
      .click();
    await page.waitForTimeout(4000);
    await shot(page, 'o2');
  }
  if (step === 'own-device') {
    // A policy question about working on one's own device: answered, with the device request beside
    // it; the form opens with the use the question named.
    await say(page, 'can I set up school email on my home computer');
    await shot(page, 'd1');
    await button(page, 'Use your own device');
    await page.waitForTimeout(1500);
    await shot(page, 'd2');
  }
  if (step === 'ask') {
    // Any messages, one screenshot each: MESSAGES="first|second"; then CLICK="a button's title" (the
    // last button of that title on the page).
    const messages = (process.env.MESSAGES ?? '').split('|').filter(Boolean);
    for (const [i, m] of messages.entries()) {
      await say(page, m);
      await shot(page, `ask${i + 1}`);
    }
    if (process.env.CLICK) {
      await button(page, process.env.CLICK);
      await page.waitForTimeout(1500);
      await shot(page, 'clicked');
    }
  }
  if (step === 'meaning') {
    // Questions put in words the policy does not use: found by their meaning (the sentence encoder).
    await say(page, 'the cover teacher wants to borrow my log-in for the afternoon, is that ok?');
    await shot(page, 'm1');
    await say(page, 'is it fine to let my own kids go on my school laptop at the weekend?');
    await shot(page, 'm2');
    await say(page, 'someone from a company rang asking for a pupil address, can I give it out?');
    await shot(page, 'm3');
    await say(page, 'my classroom laptop has died, can I just bin it?');
    await shot(page, 'm4');
    await say(page, 'should I be using a VPN at home?');
    await shot(page, 'm5');
  }
  if (step === 'breach') {
    const radio = async (name: string) => {
      await page.getByRole('radio', { name, exact: true }).last().click();
      await page.waitForTimeout(200);
    };
    const fill = async (label: string, v: string) => {
      await page
        .locator(
          `xpath=(//*[starts-with(normalize-space(.), "${label}") and not(*)])[last()]/following::*[self::input or self::textarea][1]`,
        )
        .fill(v);
    };
    await say(page, 'my laptop was stolen');
    await shot(page, 'b0');
    await button(page, 'Report it now');
    await choose(page, 'What happened?', 'Lost or stolen device or papers');
    await text(
      page,
      'Tell us what happened',
      'My school laptop was stolen from my car at the leisure centre this afternoon. It has pupil reports on it.',
    );
    await button(page, 'Send report');
    await page.waitForTimeout(3000);
    await shot(page, 'b1');
    await button(page, 'Acknowledge');
    await button(page, 'Assess');
    await radio('A risk');
    await fill(
      'Why? (what could happen to them)',
      'Reports for 30 pupils; the laptop is encrypted but was left logged in.',
    );
    await button(page, 'Save assessment');
    await page.waitForTimeout(2000);
    await shot(page, 'b2');
    await button(page, 'ICO decision');
    await radio('Yes: there is a risk to people');
    await fill(
      'Reason (kept in the breach log)',
      'The device was logged in, so the encryption may not protect the reports.',
    );
    await radio('No');
    await fill('Reason', 'Risk not high: no special-category data; the police are investigating.');
    await button(page, 'Record decision');
    await page.waitForTimeout(2000);
    // The notification itself is recorded: when, and the ICO's reference.
    await button(page, 'ICO told');
    await fill('Date the ICO was told', new Date().toISOString().slice(0, 10));
    await fill("The ICO's reference", 'IC-123456-A1B2');
    await page.getByRole('button', { name: 'Save', exact: true }).locator('visible=true').last().click();
    await page.waitForTimeout(2500);
    await shot(page, 'b2b');
    await button(page, 'Close');
    await fill(
      'Effects and remedial action (for the breach log)',
      'Laptop remotely wiped; passwords changed; staff reminded to lock screens.',
    );
    await button(page, 'Close the report');
    await page.waitForTimeout(3000);
    await shot(page, 'b3');
  }
  if (step === 'consent') {
    await say(page, "can I put Amelia Khan's photo on the school website?");
    await shot(page, 'c1');
    await say(page, 'photo consent');
    await text(page, 'Class or year (e.g. 4B, Year 4)', '1A');
    await choose(page, 'Where will the image be used?', 'social media');
    await button(page, 'Check');
    await page.waitForTimeout(2000);
    await shot(page, 'c2');
  }
  if (step === 'approve') {
    await button(page, 'Approve');
    await page.waitForTimeout(3000);
    await shot(page, 'a1');
  }
  if (step === 'approved') {
    await say(page, 'is Zoom approved?');
    await shot(page, 'q1');
  }
  await b.close();
})();
