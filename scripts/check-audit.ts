/**
 * `npm run check-audit`: walks every school's audit chain and says whether it is intact, with the
 * fingerprint (last entry number and hash) to compare with the one the log recorded earlier.
 * Exit code 1 when an entry was changed, inserted, deleted or cut off. Uses the bot's environment
 * (SCHOOL_CONFIG, DATA_DIR or DATABASE_URL; BOT_MODE=local for the example school).
 */
import { loadConfig } from '../src/config';
import { verifyAudit } from '../src/store/audit';
import { openDb } from '../src/store/open';

async function main() {
  const config = loadConfig();
  const db = await openDb(config);
  let broken = 0;
  try {
    for (const school of config.file.schools) {
      const c = await verifyAudit(db, school.id);
      const fingerprint = `#${c.head.seq} ${c.head.hash.slice(0, 16) || '(empty)'}`;
      if (!c.problems.length)
        console.log(
          `${school.name}: ${c.entries} ${c.entries === 1 ? 'entry' : 'entries'}, intact. Fingerprint ${fingerprint}.`,
        );
      else {
        broken++;
        console.log(`${school.name}: ALTERED. Fingerprint ${fingerprint}.\n  ${c.problems.join('\n  ')}`);
      }
    }
  } finally {
    await db.close();
  }
  process.exit(broken ? 1 : 0);
}

main().catch((err) => {
  console.error((err as { userMessage?: string }).userMessage ?? (err as Error).message);
  process.exit(2);
});
