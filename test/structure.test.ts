import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFlows } from '../src/flows/registry';
import { allSchemas } from '../src/store/open';

const ROOT = path.join(__dirname, '..');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

/**
 * Who owns each table: the one module (a folder, or a file) whose code reads and writes it. Every
 * other module goes through the owner's functions (`directory.reachability`, `staff.leftAt`,
 * `countActions`, `waitingSteps`…), so retention and a person's data export have one place to ask.
 */
const TABLE_OWNERS: Record<string, string> = {
  users: 'src/identity/directory.ts',
  conversation_refs: 'src/identity/directory.ts',
  person_schools: 'src/identity/directory.ts',
  staff: 'src/identity/staff.ts',
  absences: 'src/identity/absence.ts',
  leavers: 'src/flows/leavers/',
  outbox: 'src/outbox/',
  audit_log: 'src/store/audit.ts',
  audit_heads: 'src/store/audit.ts',
  counters: 'src/store/counters.ts',
  job_marks: 'src/store/counters.ts',
  requests: 'src/approvals/',
  request_stages: 'src/approvals/',
  request_notes: 'src/approvals/',
  breaches: 'src/flows/breach/',
  breach_versions: 'src/flows/breach/',
  consents: 'src/flows/consent/',
  consent_changes: 'src/flows/consent/',
  pupils: 'src/flows/consent/',
  curated_answers: 'src/flows/policy/',
  policy_answers: 'src/flows/policy/',
  policy_tickets: 'src/flows/policy/',
  policy_versions: 'src/flows/policy/',
  device_register: 'src/flows/device/',
  software_register: 'src/flows/software/',
  acknowledgements: 'src/flows/acknowledgement/',
  export_links: 'src/exports.ts',
  processed_activities: 'src/teams/',
  info_requests: 'src/flows/info-requests/',
  retention_log: 'src/flows/retention/',
};

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

  it("every flow's card verbs carry its name, as its folder and its cards do", () => {
    const misnamed = flows.flatMap((f) => f.actions.filter((a) => !a.verb.startsWith(`${f.id}.`)).map((a) => a.verb));
    expect(misnamed).toEqual([]);
    const cardFolders = readdirSync(path.join(ROOT, 'cards'));
    const flowFolders = readdirSync(path.join(ROOT, 'src', 'flows'));
    for (const f of flows.filter((x) => x.actions.length)) {
      expect(flowFolders, `${f.id} has no folder of its name`).toContain(f.id);
      expect(cardFolders, `${f.id} has no cards folder of its name`).toContain(f.id);
    }
  });

  it('every flow folder is registered, and every intent belongs to exactly one flow', async () => {
    const folders = readdirSync(path.join(ROOT, 'src', 'flows')).filter((f) =>
      statSync(path.join(ROOT, 'src', 'flows', f)).isDirectory(),
    );
    const registry = readFileSync(path.join(ROOT, 'src', 'flows', 'registry.ts'), 'utf8');
    for (const folder of folders) expect(registry, folder).toContain(`from './${folder}'`);
    const ids = new Set<string>();
    for (const f of flows) {
      const school = {
        requestTypes: [{ key: 'usb', title: 'USB', description: '', examples: [] }],
        attestations: [],
        policies: [],
      };
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

  it("every table has one owner, its schema is in the owner's folder, and no module touches a table it does not own", () => {
    const sources = files(path.join(ROOT, 'src'), '.ts').map((f) => ({
      rel: path.relative(ROOT, f).split(path.sep).join('/'),
      text: readFileSync(f, 'utf8'),
    }));
    const schemaFile = (rel: string) => /\/schemas?\.ts$/.test(rel);
    const created = sources
      .filter((f) => schemaFile(f.rel))
      .flatMap((f) =>
        [...f.text.matchAll(/CREATE TABLE (?!IF NOT EXISTS)(\w+)/g)].map((m) => ({ table: m[1]!, rel: f.rel })),
      );
    expect(created.length).toBeGreaterThan(20);
    expect(created.filter((c) => !TABLE_OWNERS[c.table]).map((c) => c.table)).toEqual([]);
    const folderOf = (owner: string) => (owner.endsWith('/') ? owner : `${path.posix.dirname(owner)}/`);
    const misplaced = created.filter((c) => !c.rel.startsWith(folderOf(TABLE_OWNERS[c.table]!)));
    expect(misplaced.map((c) => `${c.table} is created in ${c.rel}`)).toEqual([]);
    const trespass: string[] = [];
    for (const { rel, text } of sources) {
      if (schemaFile(rel)) continue;
      for (const m of text.matchAll(/\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+(\w+)\b/g)) {
        const owner = TABLE_OWNERS[m[1]!];
        if (owner && !rel.startsWith(owner)) trespass.push(`${rel} uses ${m[1]} (owned by ${owner})`);
      }
    }
    expect([...new Set(trespass)]).toEqual([]);
  });

  it('each module says what its own tables hold about a person', () => {
    for (const s of allSchemas()) {
      const own = s.steps.map((x) => (typeof x.sql === 'string' ? x.sql : x.sql.sqlite)).join('\n');
      for (const p of s.personal ?? []) {
        expect(own, `${s.module} declares ${p.table}`).toMatch(new RegExp(`CREATE TABLE ${p.table} \\(`));
        for (const c of [...p.columns, ...(p.at ? [p.at] : [])])
          expect(own, `${p.table}.${c}`).toMatch(
            new RegExp(`CREATE TABLE ${p.table} \\([^;]*\\b${c}\\b|ALTER TABLE ${p.table} ADD COLUMN ${c}\\b`),
          );
      }
    }
    const declared = allSchemas().flatMap((s) => (s.personal ?? []).map((p) => p.table));
    expect(declared).toEqual(expect.arrayContaining(['users', 'requests', 'breaches', 'policy_answers', 'audit_log']));
  });

  it('every flow is exercised by a test, and a flow folder with a schema registers it', () => {
    const tests = files(path.join(ROOT, 'test'), '.ts')
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const said = (x: string) => tests.includes(`'${x}'`) || tests.includes(`"${x}"`);
    // A flow reached only by free text (no command, no button) is tested by what it answers instead.
    const reachable = flows.filter((f) => f.actions.length || f.commands.length);
    const untested = reachable
      .filter((f) => ![...f.actions.map((a) => a.verb), ...f.commands].some(said))
      .map((f) => f.id);
    expect(untested).toEqual([]);
    const withSchema = flows.filter((f) => f.schema).map((f) => f.schema!.module);
    for (const folder of readdirSync(path.join(ROOT, 'src', 'flows'))) {
      if (!existsSync(path.join(ROOT, 'src', 'flows', folder, 'schema.ts'))) continue;
      expect(withSchema, `src/flows/${folder}/schema.ts is not any flow's schema`).toContain(folder);
    }
  });

  it('sends and refreshes role-addressed cards only through the task primitive', () => {
    // A card to a role's holders (an approver step, a breach, a ticket, an IT task) is one group of
    // copies: sendTask / refreshTask / actOnTask in src/outbox/tasks.ts. Nobody else lists a
    // group's copies to update them.
    const outside = files(path.join(ROOT, 'src'), '.ts').filter(
      (f) => !f.includes(`${path.sep}outbox${path.sep}`) && /\bcardKeysOf\(/.test(readFileSync(f, 'utf8')),
    );
    expect(outside.map((f) => path.relative(ROOT, f))).toEqual([]);
    const users = files(path.join(ROOT, 'src'), '.ts').filter((f) =>
      /from '(?:\.\.\/)+outbox\/tasks'/.test(readFileSync(f, 'utf8')),
    );
    expect(users.map((f) => path.relative(ROOT, f)).sort()).toEqual([
      'src/approvals/engine.ts',
      'src/approvals/messages.ts',
      'src/flows/breach/access.ts',
      'src/flows/breach/changes.ts',
      'src/flows/device/index.ts',
      'src/flows/leavers/index.ts',
      'src/flows/policy/index.ts',
      'src/flows/policy/tickets.ts',
    ]);
  });

  it('keeps no state on the side: what the flows remember lives in services.memory', () => {
    // A WeakMap keyed by the services (or the database) is state nobody sees in buildServices.
    const hidden = files(path.join(ROOT, 'src'), '.ts').filter((f) => /new WeakMap\b/.test(readFileSync(f, 'utf8')));
    expect(hidden.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
