import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { drive, printLoad, type LoadResult } from './load';
import { TENANT, PEOPLE } from '../test/helpers/harness';

interface Target {
  child: ChildProcess;
  info: { url: string; connectorUrl: string; requestIds?: string[] };
}

function startTarget(args: string[]): Promise<Target> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []),
        ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
        '--import',
        'tsx',
        path.join(__dirname, 'target.ts'),
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => resolve({ child, info: JSON.parse(line) }));
    child.once('exit', (code) => reject(new Error(`bench target ${args[0]} exited with ${code}`)));
  });
}

let n = 0;
function activity(connectorUrl: string, who: { aad: string; name: string }, extra: Record<string, unknown>): string {
  return JSON.stringify({
    id: `bench-${++n}`,
    channelId: 'msteams',
    serviceUrl: connectorUrl,
    from: { id: `29:${who.aad}`, aadObjectId: who.aad, name: who.name },
    recipient: { id: '28:bot', name: 'bot' },
    conversation: { id: `a:1:${who.aad}`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    ...extra,
  });
}

const messages = (url: string, count: number) =>
  Array.from({ length: count }, () => activity(url, PEOPLE.teacher, { type: 'message', text: 'help' }));

/** Turns per second and latency for a message turn and an approval decision, beside an echo bot. */
export async function benchTurns(opts: { connections: number; turns: number }): Promise<LoadResult[]> {
  const { connections, turns } = opts;
  console.log(`\nTurns through /api/messages on loopback, ${connections} connections`);
  const results: LoadResult[] = [];

  const echo = await startTarget(['echo']);
  try {
    await drive('warm-up', echo.info.url, '/api/messages', messages(echo.info.connectorUrl, 300), connections);
    results.push(
      await drive(
        'teams-ai echo bot: message',
        echo.info.url,
        '/api/messages',
        messages(echo.info.connectorUrl, turns),
        connections,
      ),
    );
  } finally {
    echo.child.kill('SIGINT');
  }

  const bot = await startTarget(['bot', String(turns + 300)]);
  try {
    const { url, connectorUrl, requestIds } = bot.info;
    await drive('warm-up', url, '/api/messages', messages(connectorUrl, 300), connections);
    results.push(
      await drive(
        'this bot: message ("help" → menu card)',
        url,
        '/api/messages',
        messages(connectorUrl, turns),
        connections,
      ),
    );
    const clicks = requestIds!.map((id) =>
      activity(connectorUrl, PEOPLE.it, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'requests.decide',
            data: { requestId: id, stage: 0, decision: 'approve' },
          },
          trigger: 'manual',
        },
      }),
    );
    await drive('warm-up', url, '/api/messages', clicks.slice(0, 300), connections);
    results.push(await drive('this bot: approval decision', url, '/api/messages', clicks.slice(300), connections));
  } finally {
    bot.child.kill('SIGINT');
  }
  for (const r of results) printLoad(r);
  const echoRate = results[0]!.perSecond;
  const decision = results[2]!;
  console.log(
    `  decision throughput = ${((decision.perSecond / echoRate) * 100).toFixed(0)}% of the echo bot (target ≥ 50%); decision p99 ${decision.p99.toFixed(1)} ms (target < 50 ms)`,
  );
  return results;
}
