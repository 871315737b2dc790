import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFlows } from '../src/flows/registry';

const ROOT = path.join(__dirname, '..');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

/** What holds the flows together, checked so that adding one cannot leave a loose end. */
describe('the shape of the code', () => {
  const flows = allFlows();
  const handlers = flows.flatMap((f) => f.actions.map((a) => a.verb));

  it('every card button has a handler, and every handler a button on some card', () => {
    const inCards = new Set<string>();
    for (const f of files(path.join(ROOT, 'cards'), '.json')) {
      for (const m of readFileSync(f, 'utf8').matchAll(/"verb":\s*"([^"$]+)"/g)) inCards.add(m[1]!);
    }
    expect([...inCards].filter((v) => !handlers.includes(v))).toEqual([]);
    expect(handlers.filter((v) => !inCards.has(v))).toEqual([]);
    expect(new Set(handlers).size).toBe(handlers.length);
  });

  it('every flow folder is registered, and every intent belongs to exactly one flow', async () => {
    const folders = readdirSync(path.join(ROOT, 'src', 'flows')).filter((f) =>
      statSync(path.join(ROOT, 'src', 'flows', f)).isDirectory(),
    );
    const registry = readFileSync(path.join(ROOT, 'src', 'flows', 'registry.ts'), 'utf8');
    for (const folder of folders) expect(registry, folder).toContain(`from './${folder}'`);
    const ids = new Set<string>();
    for (const f of flows) {
      const school = { requestTypes: [{ key: 'usb', title: 'USB', description: '', examples: [] }] };
      const svc = { db: { all: async () => [] } };
      const defs = (await f.understands?.(school as never, svc as never)) ?? [];
      for (const d of defs) {
        // An intent is named after its flow, so a reading leads to one place.
        expect(d.id.split('.')[0], `${d.id} is declared by ${f.id}`).toBe(f.id);
        expect(ids.has(d.id), d.id).toBe(false);
        ids.add(d.id);
      }
    }
  });
});
