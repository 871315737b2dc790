import { Pool } from 'undici';

export interface LoadResult {
  label: string;
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Posts `bodies` to `url` over `connections` keep-alive connections and measures each round trip. */
export async function drive(
  label: string,
  origin: string,
  path: string,
  bodies: string[],
  connections: number,
): Promise<LoadResult> {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const lat: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const t0 = performance.now();
        const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
        await res.body.text();
        lat.push(performance.now() - t0);
        if (res.statusCode >= 300) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  lat.sort((a, b) => a - b);
  return {
    label,
    requests: bodies.length,
    seconds,
    perSecond: bodies.length / seconds,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    errors,
  };
}

export function printLoad(r: LoadResult): void {
  console.log(
    `  ${r.label.padEnd(34)} ${r.perSecond.toFixed(0).padStart(6)} turns/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   (${r.requests} turns, ${r.errors} errors)`,
  );
}
