import { tokens } from '../language/words';

type Vector = Map<string, number>;

function norm(v: Vector): number {
  let n = 0;
  for (const x of v.values()) n += x * x;
  return Math.sqrt(n);
}

/**
 * The intents that may be offered beside another answer, each as its examples' weighted bags of
 * stems (tf-idf, idf over every example the bot knows). A message is near an intent when the
 * cosine with one of its examples passes a bound (the nearest example counts): "may I keep my planning on a memory stick?" is near
 * the school's USB request, whatever the classifier's own reading.
 */
export class TopicIndex {
  private readonly idf = new Map<string, number>();
  private readonly topics: Array<{ id: string; examples: Array<{ v: Vector; n: number }> }> = [];

  constructor(intents: Array<{ id: string; examples: string[] }>, allExamples: string[]) {
    const df = new Map<string, number>();
    for (const e of allExamples) for (const w of new Set(tokens(e))) df.set(w, (df.get(w) ?? 0) + 1);
    const n = Math.max(1, allExamples.length);
    for (const [w, d] of df) this.idf.set(w, Math.log(1 + n / d));
    for (const i of intents) {
      const examples = i.examples.map((e) => this.vector(e)).map((v) => ({ v, n: norm(v) }));
      this.topics.push({ id: i.id, examples: examples.filter((e) => e.n > 0) });
    }
  }

  private vector(text: string): Vector {
    const v: Vector = new Map();
    for (const w of tokens(text)) v.set(w, (v.get(w) ?? 0) + (this.idf.get(w) ?? Math.log(2)));
    return v;
  }

  /** Intents whose examples are at least `min` similar to the text, most similar first. */
  near(text: string, min: number): string[] {
    if (!this.topics.length) return [];
    const q = this.vector(text);
    const qn = norm(q);
    if (!qn) return [];
    const out: Array<{ id: string; cos: number }> = [];
    for (const t of this.topics) {
      let cos = 0;
      for (const e of t.examples) {
        let dot = 0;
        for (const [w, x] of q) dot += x * (e.v.get(w) ?? 0);
        cos = Math.max(cos, dot / (qn * e.n));
      }
      if (cos >= min) out.push({ id: t.id, cos });
    }
    return out.sort((a, b) => b.cos - a.cos).map((x) => x.id);
  }
}
