import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { readRegister } from '../src/flows/consent/register';
import { decodeText } from '../src/decode';
import { cardText, startHarness, TEST_CONFIG, type Harness } from './helpers/harness';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const HEADER = [
  'Adno',
  'Forename',
  'Surname',
  'Year',
  'Reg Group',
  'Consent Date',
  'Website',
  'Prospectus',
  'Video',
  'Learning Platform',
  'Display Inside',
  'Display Outside',
  'Press',
  'Social Media',
];

function school() {
  const dir = mkdtempSync(path.join(tmpdir(), 'csv-'));
  const f = path.join(dir, 'school.yaml');
  writeFileSync(f, TEST_CONFIG);
  return loadConfig({ BOT_MODE: 'local', SCHOOL_CONFIG: f, DATA_DIR: dir }).file.schools[0]!;
}

const row = (id: string, first: string, surname: string, sep = ',') =>
  [id, first, surname, '4', '4B', '01/09/2026', 'Yes', 'No', 'Yes', 'Yes', 'Yes', 'No', 'No', 'No'].join(sep);

/** The shapes MIS exports (SIMS, Arbor, Bromcom) come in, as saved by the tools schools use. */
describe('the MIS export is read however it was saved', () => {
  const s = school();
  const names = (csv: string) => {
    const r = readRegister(s, csv);
    expect(r.problems).toEqual([]);
    return r.rows.map((p) => `${p.firstName} ${p.surname}`);
  };

  it('with a byte-order mark, CRLF line ends and a trailing blank line', () => {
    expect(names(`\ufeff${HEADER.join(',')}\r\n${row('1', 'Amelia', 'Khan')}\r\n\r\n`)).toEqual(['Amelia Khan']);
  });

  it('with semicolons or tabs between fields', () => {
    expect(names(`${HEADER.join(';')}\n${row('1', 'Amelia', 'Khan', ';')}\n${row('2', 'Leo', 'Ward', ';')}`)).toEqual([
      'Amelia Khan',
      'Leo Ward',
    ]);
    expect(names(`${HEADER.join('\t')}\n${row('1', 'Amelia', 'Khan', '\t')}`)).toEqual(['Amelia Khan']);
  });

  it('with a newline inside a quoted field, counting rows as a spreadsheet does', () => {
    const csv = `${HEADER.join(',')}\n${row('1', '"Amelia\nRose"', 'Khan')}\n${row('2', 'Leo', '')}`;
    const r = readRegister(s, csv);
    expect(r.problems).toEqual(['Row 3: no first name or surname.']);
  });

  it('with a stray quote inside a name, which does not swallow the rows after it', () => {
    expect(names(`${HEADER.join(',')}\n${row('1', 'Isla', 'O"Brien')}\n${row('2', 'Leo', 'Ward')}`)).toEqual([
      'Isla O"Brien',
      'Leo Ward',
    ]);
  });

  it('in Windows-1252, UTF-8 or UTF-16, names with accents intact', () => {
    const text = `${HEADER.join(',')}\r\n${row('1', 'Zoë', 'Ní Bhriain')}\r\n${row('2', 'Siobhán', 'Müller')}`;
    const want = ['Zoë Ní Bhriain', 'Siobhán Müller'];
    expect(names(decodeText(Buffer.from(text, 'latin1')))).toEqual(want); // what Excel writes on a UK PC
    expect(names(decodeText(Buffer.from(text, 'utf8')))).toEqual(want);
    expect(names(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])))).toEqual(want);
  });
});

describe('a Windows-1252 register sent in the chat', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('imports with the accents the office typed', async () => {
    h = await startHarness();
    const office = h.user('office');
    await office.install();
    const csv = `${HEADER.join(';')}\r\n${row('7', 'Zoë', 'Ní Bhriain', ';')}`;
    await office.sendFile('register.csv', Buffer.from(csv, 'latin1'));
    expect(cardText(office.lastCard())).toMatch(/Imported 1 pupils/);
    expect(await h.db.get('SELECT first_name, surname FROM pupils')).toEqual({
      first_name: 'Zoë',
      surname: 'Ní Bhriain',
    });
  });
});
