/**
 * `npm run bench`            runs every benchmark that needs nothing outside the project, and
 *                            the policy benchmark when ../shared is beside the project.
 * `npm run bench -- turns`   only the HTTP turn benchmark.
 * `npm run bench -- consent [pupils]`  image-consent import and look-ups.
 * `npm run bench -- ack [staff] [per-tenant rate]`  the weekly acknowledgement send.
 * `npm run bench -- understanding <intents.json> [<policy-questions.json>]`
 *                            free text: share routed to the right flow with the right entities,
 *                            training time and latency; then the policy sets, when given.
 * `npm run bench -- policy <questions.json> [policy file]`
 *                            policy answers: share holding the expected facts, and latency; then
 *                            the same questions through the bot's understanding and flows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// Each benchmark is loaded only when it runs, so that one process holds only what it measures.

/** Keep in step with the `worker` script in package.json. */
const WORKER_FLAGS = ['--max-semi-space-size=8'];
const SHARED_EVAL = path.join(__dirname, '..', '..', 'shared', 'eval', 'policy-questions.json');
const SHARED_INTENTS = path.join(__dirname, '..', '..', 'shared', 'eval', 'intents.json');

async function main() {
  const [what = 'all', ...rest] = process.argv.slice(2);
  if (what === 'all' || what === 'turns') await (await import('./turns')).benchTurns({ connections: 20, turns: 3000 });
  if (what === 'all' || what === 'consent') await (await import('./consent')).benchConsent(Number(rest[0] ?? 30_000));
  // The send runs in its own process, started as `npm run worker` starts one (same V8 flags), so that its
  // memory figure is the sender's and not the other benchmarks' leftovers.
  if (what === 'ack-run')
    await (await import('./acknowledgement')).benchAcknowledgements(Number(rest[0] ?? 10_000), Number(rest[1] ?? 50));
  if (what === 'all' || what === 'ack')
    spawnSync(
      process.execPath,
      [...WORKER_FLAGS, '--import', 'tsx', __filename, 'ack-run', ...(what === 'ack' ? rest : [])],
      { stdio: 'inherit' },
    );
  if (what === 'understanding') {
    const verbose = rest.includes('--verbose');
    const files = rest.filter((x) => !x.startsWith('--'));
    await (await import('./understanding')).benchUnderstanding(files[0] ?? SHARED_INTENTS, verbose);
    if (files[1]) await (await import('./policy')).benchPolicy(files[1], undefined, verbose);
  } else if (what === 'all' && existsSync(SHARED_INTENTS))
    await (await import('./understanding')).benchUnderstanding(SHARED_INTENTS);
  if (what === 'policy') {
    const files = rest.filter((x) => !x.startsWith('--'));
    await (await import('./policy')).benchPolicy(files[0] ?? SHARED_EVAL, files[1], rest.includes('--verbose'));
    if (!files[1])
      await (await import('./policy')).benchPolicyThroughBot(files[0] ?? SHARED_EVAL, rest.includes('--verbose'));
  } else if (what === 'all' && existsSync(SHARED_EVAL)) {
    await (await import('./policy')).benchPolicy(SHARED_EVAL);
    await (await import('./policy')).benchPolicyThroughBot(SHARED_EVAL);
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
