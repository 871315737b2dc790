/**
 * `npm run import-consent -- <school-id> <register.csv>`: imports the photo-consent register from
 * an MIS export on the command line, for the IT admin. All or nothing, like an import in Teams.
 * Uses the same environment as the bot (SCHOOL_CONFIG, DATA_DIR or DATABASE_URL; BOT_MODE=local
 * for the example school).
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config';
import { importRegister, readRegister } from '../src/flows/consent/register';
import { decodeText } from '../src/decode';
import { audit } from '../src/store/audit';
import { openDb } from '../src/store/open';

async function main() {
  const [schoolId, file] = process.argv.slice(2);
  if (!schoolId || !file) throw new Error('usage: npm run import-consent -- <school-id> <register.csv>');
  const config = loadConfig();
  const school = config.file.schools.find((s) => s.id === schoolId);
  if (!school)
    throw new Error(
      `no school "${schoolId}" in ${config.schoolConfigPath} (schools: ${config.file.schools.map((s) => s.id).join(', ')})`,
    );
  const { rows, problems } = readRegister(school, decodeText(readFileSync(file)));
  if (problems.length) {
    console.error(`Nothing was imported. ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const db = await openDb(config);
  const now = Date.now();
  const s = await importRegister(db, school, rows, 'cli', now);
  await audit(db, {
    at: now,
    schoolId: school.id,
    actorId: 'cli',
    action: 'consent.imported',
    subject: school.id,
    detail: { ...s },
  });
  await db.close();
  console.log(
    `Imported ${s.pupils} pupils for ${school.name}: ${s.added} new, ${s.left} left, ${s.given} consents given, ${s.withdrawn} withdrawn.${s.held.length ? `\n${s.held.length} written withdrawal(s) recorded in the bot still stand although the file disagrees:\n  ${s.held.map((x) => `${x.name}: ${x.use}`).join('\n  ')}` : ''}`,
  );
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exit(1);
});
