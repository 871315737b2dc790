import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPolicy, PolicyLibrary } from '../src/flows/policy/library';

interface EvalFile {
  sets: Array<{ policy: string; questions: Array<{ q: string; expect: string[][] }>; unanswerable?: string[] }>;
}

const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');

/** The p-th percentile of some times. */
function percentile(times: number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Answers each question of an eval file from its policy with the local search and prints the
 * share of answers holding the expected facts, and the latency per question.
 */
export async function benchPolicy(evalFile: string, policyOverride?: string, verbose = false): Promise<void> {
  const data = JSON.parse(readFileSync(evalFile, 'utf8')) as EvalFile;
  const base = path.resolve(path.dirname(evalFile), '..');
  let pass = 0;
  let total = 0;
  let honest = 0;
  let unanswerable = 0;
  const times: number[] = [];
  console.log(`\nPolicy answers (local search) from ${evalFile}`);
  for (const set of data.sets) {
    const file = policyOverride ?? path.resolve(base, set.policy);
    const t0 = performance.now();
    const lib = new PolicyLibrary();
    lib.add(await loadPolicy('policy', path.basename(file), file));
    await lib.index.learn();
    await lib.index.learnMeanings();
    const loadMs = performance.now() - t0;
    let setPass = 0;
    for (const q of set.questions) {
      // Timed at its first asking: the question's meaning is encoded then (later askings reuse it).
      const s = performance.now();
      const a = await lib.answer(q.q);
      times.push(performance.now() - s);
      const text = fold(a.text);
      const ok = a.found && q.expect.every((group) => group.some((p) => text.includes(fold(p))));
      if (ok) setPass++;
      if (verbose || (!ok && process.env.BENCH_VERBOSE))
        console.log(
          `  ${ok ? 'PASS' : 'FAIL'} ${q.q}\n       ${a.found ? a.text.replace(/\n/g, ' ⏎ ').slice(0, 300) : '(nothing found)'}`,
        );
    }
    // A question the policy does not answer: honest when nothing is presented as the answer.
    let setHonest = 0;
    for (const q of set.unanswerable ?? []) {
      const a = await lib.answer(q);
      if (!a.found) setHonest++;
      else if (verbose || process.env.BENCH_VERBOSE)
        console.log(`  ANSWERED ${q}\n       ${a.text.replace(/\n/g, ' ⏎ ').slice(0, 200)}`);
    }
    honest += setHonest;
    unanswerable += set.unanswerable?.length ?? 0;
    pass += setPass;
    total += set.questions.length;
    console.log(
      `  ${path.basename(file)}: ${lib.index.size} passages in ${lib.index.sections.length} sections, loaded in ${loadMs.toFixed(0)} ms; ${setPass}/${set.questions.length} answers hold the expected facts; ${setHonest}/${set.unanswerable?.length ?? 0} unanswerable answered honestly`,
    );
  }
  console.log(`  unanswerable questions answered honestly: ${honest}/${unanswerable} (target: all)`);
  console.log(
    `  overall ${pass}/${total} = ${((pass / total) * 100).toFixed(1)}% (target ≥ 90%); latency per question p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms (target < 20 ms)`,
  );
}

/** What a reply shows at first sight: its text, card text and button titles (not what a "show" button hides). */
function visibleText(m: { text?: string; card?: unknown } | undefined): string {
  const out: string[] = [m?.text ?? ''];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.ShowCard') return;
      for (const k of ['text', 'title']) if (typeof o[k] === 'string') out.push(o[k]);
      for (const [k, v] of Object.entries(o)) if (k !== 'text' && k !== 'title') walk(v);
    }
  };
  walk(m?.card);
  return out.join('\n');
}

/**
 * The same questions as a person would send them: through the bot's understanding step and the
 * flow it picks (a question about a breach or a device is answered from the policy first, with the
 * report or request offered), for the example school with each set's policy as its own. Counts the
 * replies whose visible text holds the expected facts, and the unanswerable ones that present no
 * passage as the answer.
 */
export async function benchPolicyThroughBot(evalFile: string, verbose = false): Promise<void> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { buildServices } = await import('../src/services');
  const { systemClock } = await import('../src/clock');
  const { EXAMPLE_CONFIG, loadConfig } = await import('../src/config');
  const { createLogger } = await import('../src/log');
  const { openDb } = await import('../src/store/open');
  const { respond } = await import('../src/flows/respond');
  const { policyLibrary } = await import('../src/flows/policy');
  const { prepareAnswers, trainUnderstanding } = await import('../src/boot');
  const data = JSON.parse(readFileSync(evalFile, 'utf8')) as EvalFile;
  const base = path.resolve(path.dirname(evalFile), '..');
  console.log(`\nPolicy answers through the bot (understanding, then the flow it picks) from ${evalFile}`);
  let pass = 0;
  let total = 0;
  let honest = 0;
  let unanswerable = 0;
  const times: number[] = [];
  for (const set of data.sets) {
    const dir = mkdtempSync(path.join(tmpdir(), 'policy-bot-bench-'));
    const config = loadConfig({ BOT_MODE: 'local', SCHOOL_CONFIG: EXAMPLE_CONFIG, DATA_DIR: path.join(dir, 'data') });
    const school = config.file.schools[0]!;
    school.policies = [{ ...school.policies[0]!, path: path.resolve(base, set.policy) }];
    const db = await openDb(config);
    const { svc, flows } = buildServices({
      config,
      db,
      clock: systemClock,
      log: createLogger('silent'),
      connector: { send: async () => ({ activityId: 'x' }), update: async () => undefined },
    });
    const actor = { id: 'bench-person', tenantId: school.tenantId, name: 'Bench Person', school };
    const reply = async (text: string) => {
      try {
        const { outcome, message } = await respond(
          await svc.understanding.read(actor, text, svc),
          text,
          flows,
          actor,
          svc,
        );
        return { how: outcome, m: message };
      } catch (err) {
        return { how: `refused: ${(err as Error).message}`, m: undefined };
      }
    };
    // As the bot starts: the understanding trained, the policy's meanings read, a few made-up
    // messages practised. The direct run above encoded these questions already: each is timed
    // here as if asked for the first time.
    await trainUnderstanding(svc, config);
    await prepareAnswers(svc, config);
    (await policyLibrary(svc, school)).index.forgetMeanings();
    let setPass = 0;
    for (const q of set.questions) {
      const t0 = performance.now();
      const { how, m } = await reply(q.q);
      times.push(performance.now() - t0);
      const text = fold(visibleText(m));
      const ok = q.expect.every((group) => group.some((p) => text.includes(fold(p))));
      if (ok) setPass++;
      if (verbose || (!ok && process.env.BENCH_VERBOSE))
        console.log(`  ${ok ? 'PASS' : 'FAIL'} ${q.q}\n       → ${how}: ${text.replace(/\n/g, ' ⏎ ').slice(0, 200)}`);
    }
    let setHonest = 0;
    for (const q of set.unanswerable ?? []) {
      const { how, m } = await reply(q);
      const shown = visibleText(m);
      // Honest: no passage of the policy presented as the answer.
      const presents = /What the policy says/.test(shown);
      if (!presents) setHonest++;
      else if (verbose || process.env.BENCH_VERBOSE)
        console.log(`  ANSWERED ${q}\n       → ${how}: ${shown.replace(/\n/g, ' ⏎ ').slice(0, 200)}`);
    }
    console.log(
      `  ${path.basename(set.policy)}: ${setPass}/${set.questions.length} replies hold the expected facts; ${setHonest}/${set.unanswerable?.length ?? 0} unanswerable answered honestly`,
    );
    pass += setPass;
    total += set.questions.length;
    honest += setHonest;
    unanswerable += set.unanswerable?.length ?? 0;
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`  unanswerable questions answered honestly: ${honest}/${unanswerable} (target: all)`);
  console.log(
    `  overall ${pass}/${total} = ${((pass / total) * 100).toFixed(1)}% of replies hold the expected facts; per message (understanding and reply) p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms (target < 20 ms)`,
  );
}
