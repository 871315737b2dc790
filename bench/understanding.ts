import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildServices } from '../src/services';
import { systemClock } from '../src/clock';
import { EXAMPLE_CONFIG, loadConfig } from '../src/config';
import type { Actor } from '../src/core';
import { importText } from '../src/flows/consent';
import { policyLibrary } from '../src/flows/policy';
import { createLogger } from '../src/log';
import { openDb } from '../src/store/open';
import { respond } from '../src/flows/respond';
import { entity, type Reading } from '../src/understanding';
import { generateRegister } from './consent';

interface Case {
  say: string;
  flow: string;
  entities?: Record<string, string>;
}

/** The benchmark's name for what a reading does (the eval file names behaviours, not code); anything else is the policy. */
const BEHAVIOUR: Record<string, string> = { permissions: 'permission', people: 'role', menu: 'help' };
const flowOf = (intent: string): string => {
  const flow = intent.split('.')[0]!;
  return intent.includes('.') ? (BEHAVIOUR[flow] ?? flow) : 'policy';
};

const same = (a: string | undefined, b: string) =>
  (a ?? '')
    .toLowerCase()
    .replace(/[\s'’-]+/g, ' ')
    .trim() ===
  b
    .toLowerCase()
    .replace(/[\s'’-]+/g, ' ')
    .trim();

/** Heap in use after a full collection, so the growth printed is what the run kept, not garbage. */
function settledHeap(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/**
 * Runs the bot's understanding step over an intents file (what staff type, and the flow and
 * entities it should reach) with the example school, and prints the shares routed and filled right.
 */
export async function benchUnderstanding(intentsFile: string, verbose = false): Promise<void> {
  const cases = (JSON.parse(readFileSync(intentsFile, 'utf8')) as { cases: Case[] }).cases;
  const dir = mkdtempSync(path.join(tmpdir(), 'understanding-bench-'));
  const config = loadConfig({ BOT_MODE: 'local', SCHOOL_CONFIG: EXAMPLE_CONFIG, DATA_DIR: path.join(dir, 'data') });
  const db = await openDb(config);
  const log = createLogger('silent');
  const { svc, flows } = buildServices({
    config,
    db,
    clock: systemClock,
    log,
    connector: { send: async () => ({ activityId: 'x' }), update: async () => undefined },
  });
  const school = config.file.schools[0]!;
  const actor: Actor = { id: 'bench-person', tenantId: school.tenantId, name: 'Bench Person', school };
  // The pupils the file names, when their register is beside it; then a large generated register on top.
  const register = path.join(path.dirname(intentsFile), 'consent-register.csv');
  const own = existsSync(register) ? readFileSync(register, 'utf8').trim() : '';
  const big = generateRegister(30_000).split('\n');
  const csv = own ? [own, ...big.slice(1)].join('\n') : big.join('\n');
  await importText(svc, actor, csv);

  // As the web process starts: the policies are read (and their synonyms looked up) before the model is trained.
  await (await policyLibrary(svc, school)).index.learnMeanings();
  let t0 = performance.now();
  await svc.understanding.model(svc, school);
  const trainMs = performance.now() - t0;
  // As the web process starts: the examples' meanings (the second opinion) are read before it opens.
  t0 = performance.now();
  await svc.understanding.prepare(svc, school);
  const examplesMs = performance.now() - t0;
  // One message first, so the consent register's index (30,000 pupils) is loaded before the heap is measured.
  await svc.understanding.read(actor, 'can Amelia Khan be on the website?', svc);
  const heapBefore = settledHeap();

  console.log(`\nUnderstanding: ${cases.length} messages from ${intentsFile}`);
  let routed = 0;
  let routedOrOffered = 0;
  let withEntities = 0;
  let entityCases = 0;
  const times: number[] = [];
  let firstAnswers = 0;
  for (const c of cases) {
    // Warm once, then time: understanding and the reply it leads to.
    await svc.understanding.read(actor, c.say, svc);
    t0 = performance.now();
    const r: Reading = await svc.understanding.read(actor, c.say, svc);
    const u = r.kind === 'choose' ? r.options[0]!.understood : r.understood;
    // As the bot does: a question another flow would take is answered from the policy first, when it
    // can be, with that flow offered on the same card (so the reply serves both readings).
    let answeredFirst = false;
    const policy = flows.find((f) => f.fallback);
    try {
      answeredFirst = (await respond(r, c.say, flows, actor, svc)).outcome.startsWith('answer-first');
      if (answeredFirst) firstAnswers++;
    } catch {
      // A refusal (e.g. a report only some roles may see) is still a reply.
    }
    times.push(performance.now() - t0);
    if (process.env.BENCH_VERBOSE && times[times.length - 1]! > 20)
      console.log(`  slow: ${times[times.length - 1]!.toFixed(1)} ms for "${c.say}"`);
    // A question answered first serves the policy and the reading offered beside it; a choice it
    // settled is no longer a choice.
    const offeredFirst = r.kind === 'choose' ? r.options.find((o) => o.flow !== policy)?.understood : u;
    const got =
      r.kind === 'none' || (answeredFirst && c.flow === 'policy')
        ? 'policy'
        : flowOf(answeredFirst ? offeredFirst!.intent : u.intent);
    const settled = r.kind !== 'choose' || answeredFirst;
    const offered = r.kind === 'choose' && r.options.some((o) => flowOf(o.understood.intent) === c.flow);
    if (got === c.flow && settled) routed++;
    if (got === c.flow || offered) routedOrOffered++;
    let entitiesOk = true;
    if (c.entities && Object.keys(c.entities).length) {
      entityCases++;
      for (const [k, v] of Object.entries(c.entities)) {
        const have = k === 'type' ? u.intent.replace(/^permissions\./, '') : entity(u, k)?.value;
        if (!same(have, v)) entitiesOk = false;
      }
      if (entitiesOk && got === c.flow) withEntities++;
    }
    const ok = got === c.flow && settled && entitiesOk;
    if (verbose || (!ok && process.env.BENCH_VERBOSE)) {
      const ents = u.entities.map((e) => `${e.type}=${e.value}`).join(', ');
      console.log(
        `  ${ok ? 'PASS' : 'FAIL'} [${c.flow}] ${c.say}\n       → ${answeredFirst ? 'policy answer, offering ' : ''}${r.kind === 'choose' ? `choose ${r.options.map((o) => o.understood.intent).join(' | ')}` : `${r.kind === 'none' ? 'none' : u.intent} ${u.score.toFixed(2)}`} {${ents}}`,
      );
    }
  }
  const heapAfter = settledHeap();
  const share = (n: number, d: number) => `${n}/${d} = ${((n / Math.max(1, d)) * 100).toFixed(1)}%`;
  console.log(`  right flow (clear winner): ${share(routed, cases.length)} (target ≥ 95%)`);
  console.log(`  right flow, or offered on a "Did you mean" card: ${share(routedOrOffered, cases.length)}`);
  console.log(`  right flow with the right entities: ${share(withEntities, entityCases)} (target ≥ 90%)`);
  console.log(
    `  questions another flow would take, answered from the policy with that flow offered: ${firstAnswers}/${cases.length}`,
  );
  console.log(
    `  training at start-up ${trainMs.toFixed(0)} ms with a ${(30_000).toLocaleString('en-GB')}-pupil register (target < 3 s), then the examples' meanings ${examplesMs.toFixed(0)} ms; per message p50 ${pct(times, 50).toFixed(2)} ms, p99 ${pct(times, 99).toFixed(2)} ms (target < 20 ms); heap kept after the run ${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB`,
  );
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
