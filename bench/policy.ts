import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPolicy, PolicyLibrary } from '../src/policy/library';

interface EvalFile {
  sets: Array<{ policy: string; questions: Array<{ q: string; expect: string[][] }>; unanswerable?: string[] }>;
}

const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');

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
    await lib.index.learnSynonyms();
    const loadMs = performance.now() - t0;
    let setPass = 0;
    for (const q of set.questions) {
      // Warm once, then time many runs of the same question.
      lib.answer(q.q);
      const runs = 50;
      let a = lib.answer(q.q);
      const s = performance.now();
      for (let i = 0; i < runs; i++) a = lib.answer(q.q);
      times.push((performance.now() - s) / runs);
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
      const a = lib.answer(q);
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
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
  console.log(`  unanswerable questions answered honestly: ${honest}/${unanswerable} (target: all)`);
  console.log(
    `  overall ${pass}/${total} = ${((pass / total) * 100).toFixed(0)}% (target ≥ 90%); latency per question p50 ${pct(50).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms (target < 20 ms)`,
  );
}
