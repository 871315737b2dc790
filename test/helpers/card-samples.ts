import { barChart } from '../../src/png';
/**
 * Sample data for every card template, with hostile user text wherever a person's own words are
 * shown: markdown links, an <at> mention and a template expression must all stay literal.
 */
export const HOSTILE = 'See [this](https://evil.example) <at>Helen</at> ${secret} **now**';
const facts = [
  { label: 'Software', value: HOSTILE },
  { label: 'What it is for', value: 'Parents evening calls' },
];
const id = '6f1c1d6e-1111-4111-8111-111111111111';

export const CARD_SAMPLES: Record<string, Record<string, unknown>> = {
  'approvals/approver': {
    title: 'Software request', ref: 'SW-2026-0001', stageLine: 'Step 1 of 2: Security and licence check (IT technician)', requester: 'Tara Teacher', submitted: 'Tue 24 Nov, 10:00',
    facts, notes: [{ who: 'Ian Tech', text: HOSTILE }], reminders: ['It may hold personal data: a data protection impact assessment may be needed.'],
    statusLine: `Denied by Ian Tech, Tue 24 Nov, 10:42: ${HOSTILE}`, statusColor: 'Attention', pending: true, requestId: id, stage: 0,
  },
  'approvals/status': {
    headline: 'Your request is with the approvers', title: 'Software request', ref: 'SW-2026-0001', facts,
    steps: [{ icon: '✔', name: 'Security and licence check (IT technician)', state: 'approved by Ian Tech' }, { icon: '●', name: 'Written permission (Headteacher)', state: 'waiting for a decision' }],
    lines: [`Conditions set by Ian Tech: ${HOSTILE}`], canWithdraw: true, requestId: id,
  },
  'approvals/question': { ref: 'SW-2026-0001', asker: 'Ian Tech', question: HOSTILE, requestId: id },
  'approvals/list': { heading: 'Your requests', empty: 'None yet.', items: [{ ref: 'SW-2026-0001', summary: HOSTILE, state: 'Software request · pending · Tue 24 Nov, 10:00', requestId: id }] },
  'common/notice': { title: 'Only the IT technician can decide on this step.', lines: [HOSTILE], color: 'Warning' },
  'common/link': { title: 'Breach log export', text: 'This link works once, for 15 minutes.', url: 'https://bot.example.org/exports/abc', button: 'Download CSV' },
  'menu/menu': { heading: 'What do you need to do?', intro: '', items: [{ flow: 'breach', title: 'Report a data breach' }, { flow: 'software', title: 'Ask to install software' }] },
  'software/request': { formId: id, error: 'Please check the form. Software: give the name of the software.', name: HOSTILE, purpose: HOSTILE, devices: 'named', deviceNames: HOSTILE, personalData: 'no', outsideUk: 'no', cost: 'free', source: '' },
  'breach/report': {
    formId: id, error: '', category: 'lost-stolen', description: HOSTILE, happenedOn: '', discoveredOn: '2026-11-24', discoveredAt: '09:30', ongoing: 'no', whose: 'pupils,staff', dataKinds: 'health',
    peopleCount: '2-10', protected: 'no', contained: 'unknown', actionsSoFar: HOSTILE, involvement: 'involved', concernsRole: 'none',
  },
  'breach/receipt': { headline: 'Thank you. Your report is BR-2026-0001', next: 'It has gone to: School Business Manager.', steps: ['Report the theft to the police.'], alsoTell: 'Tell the DSL if someone could be at risk.' },
  'breach/handler': {
    title: 'Data breach report BR-2026-0001', subtitle: 'Handled by: School Business Manager · version 2', banner: 'Reminder: 47 hours left.', clock: 'Decide whether to tell the ICO by Fri 27 Nov, 10:00 (47 hours left).', clockColor: 'Warning',
    facts: [{ label: 'Description', value: HOSTILE }], history: ['Tue 24 Nov, 10:00: reported by Tara Teacher', `Tue 24 Nov, 11:00: Sam Business: ${HOSTILE}`], breachId: id,
    canAcknowledge: false, canAssess: true, canDecide: true, late: true, canAct: true, canClose: false, needsIcoRef: true, risk: 'risk',
  },
  'breach/log': { heading: 'Breach log: Oakfield Primary School', empty: 'None.', items: [{ ref: 'BR-2026-0001', summary: 'Lost or stolen device or papers', state: 'closed · ICO not told', breachId: id }] },
  'breach/offer': { text: 'That sounds like it could be a data breach.', hint: 'Do not try to fix it yourself.', button: 'Report it now', flow: 'breach' },
  'custom/pick': { heading: 'Which permission do you need?', empty: 'None.', items: [{ key: 'usb', title: 'Use removable media (USB)', description: 'Ask before you put school data on a memory stick.' }] },
  'custom/request': {
    title: 'Use removable media (USB)', description: '', error: '', requestType: 'usb', formId: id,
    fields: [
      { id: 'purpose', label: 'What do you need to carry and why?', kind: 'text', required: true, multiline: true, choices: [], value: HOSTILE },
      { id: 'schoolIssued', label: 'Is it school-issued?', kind: 'yesno', required: true, multiline: false, choices: [], value: 'yes' },
      { id: 'how', label: 'How?', kind: 'choice', required: true, multiline: false, choices: [{ value: 'paper', title: 'Paper' }], value: 'paper' },
      { id: 'until', label: 'Needed until', kind: 'date', required: false, multiline: false, choices: [], value: '' },
    ],
  },
  'device/request': { formId: id, error: '', kind: 'phone', device: HOSTILE, uses: 'email', checklist: 'screenLock', items: [{ value: 'screenLock', title: 'It locks with a PIN' }] },
  'device/task': { title: 'Configure a personal device (DEV-2026-0001)', owner: 'Tara Teacher', device: HOSTILE, uses: 'School email', status: '', pending: true, deviceId: id },
  'device/expiry': { title: 'Your permission to use Phone: iPhone 13 has ended', text: 'Please remove school email.', ended: true, deviceId: id },
  'policy/answer': {
    answerId: id, found: true, heading: 'What the policy says', passages: [{ text: 'Use a password of at least 12 characters.', citation: 'Information Security Policy · Passwords', section: 'Passwords', sectionText: 'Use a password of at least 12 characters.' }],
    curated: HOSTILE, curatedBy: 'Dev DPO, Tue 24 Nov, 10:00', none: '', summary: HOSTILE, feedback: '', askFeedback: true,
  },
  'policy/ticket': { ticketId: id, asker: 'Tara Teacher', asked: 'Tue 24 Nov, 10:00', question: HOSTILE, open: true, status: '', answer: HOSTILE },
  'policy/reply': { question: HOSTILE, answer: HOSTILE, by: 'Dev DPO, Data Protection Officer' },
  'consent/check': { name: HOSTILE, group: '4B', use: 'website', error: '', uses: [{ value: 'website', title: 'the school website' }] },
  'consent/result': { headline: 'Yes: consent is given for the school website', color: 'Good', lines: ['Amelia Khan (Year 4, 4B) may appear.', HOSTILE] },
  'consent/choose': { heading: 'Which pupil?', items: [{ label: 'Oliver Smith', detail: 'Year 4, 4B', pupilId: '1002', name: 'Oliver Smith', use: 'press' }] },
  'consent/group': { heading: '4B: social media', summary: '1 of 3 may appear.', pupils: ['Amelia Khan (4B)'], rule: "Never put a pupil's full name beside their image." },
  'consent/record': { uses: [{ value: 'website', title: 'the school website' }] },
  'acknowledgement/confirm': { title: 'Please confirm you have read the Information Security Policy', version: 'Version 0a1b2c3d · Oakfield Primary School', rules: ['Passwords', 'Email'], url: 'https://example.org/policy', confirmed: '', pending: true, policyId: 'infosec', hash: '0a1b2c3d4e5f6a7b' },
  'acknowledgement/report': { chart: `data:image/png;base64,${barChart([0.1, 0.2, 0.35, 0.5, 0.6, 0.6, 0.8, 0.9]).toString('base64')}`, chartAlt: 'Share confirmed at the end of each of the last 8 weeks: 10%, 20%, 35%, 50%, 60%, 60%, 80%, 90%', heading: 'Information Security Policy (version 0a1b2c3d)', summary: 'Oakfield: 3 of 5 staff have confirmed (60%).', percent: 60, outstanding: [HOSTILE], unreachable: ['Owen Other (has not installed the bot)'], more: '' },
};
