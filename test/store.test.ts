import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { once } from '../src/store/counters';
import { openDb } from '../src/store/open';

describe('once', () => {
  it('runs the work once per set of marks, and asks the database no more once it knows they are set', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'once-'));
    const db = await openDb({ dataDir: dir });
    let transactions = 0;
    const tx = db.transaction.bind(db);
    db.transaction = ((fn: never) => {
      transactions++;
      return tx(fn);
    }) as typeof db.transaction;
    let runs = 0;
    const work = async () => void runs++;
    expect(await once(db, ['a', 'b'], 1, work)).toBe(true);
    expect(await once(db, ['a', 'b'], 2, work)).toBe(false);
    expect(await once(db, ['b', 'c'], 3, work)).toBe(true); // "c" is new: one more run
    expect(runs).toBe(2);
    expect(transactions).toBe(2);
    await db.close();
    // After a restart (a new connection, nothing cached) the database still says the marks are set.
    const again = await openDb({ dataDir: dir });
    expect(await once(again, ['a', 'b'], 4, work)).toBe(false);
    expect(runs).toBe(2);
    await again.close();
  });

  it('leaves nothing marked when the work fails, so it is tried again', async () => {
    const db = await openDb({ dataDir: mkdtempSync(path.join(tmpdir(), 'once-')) });
    await expect(once(db, ['k'], 1, async () => Promise.reject(new Error('connector down')))).rejects.toThrow(
      'connector down',
    );
    let ran = false;
    expect(await once(db, ['k'], 2, async () => void (ran = true))).toBe(true);
    expect(ran).toBe(true);
    await db.close();
  });
});
