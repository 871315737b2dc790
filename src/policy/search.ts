import { StemmerEn } from '@nlpjs/lang-en-min';
import type { Section } from './sections';
import { Thesaurus } from './thesaurus';

/**
 * What kind of answer a question wants, and how a passage that gives one looks. "Who do I tell?"
 * wants a person or a role; "how long / how often" a duration or a number; "can I / may I" a rule.
 */
const ANSWER_KINDS: Array<{ asks: RegExp; gives: RegExp }> = [
  {
    asks: /\bwho\b|\bwhom\b|\bwhich (?:person|people|member)|\b(?:tell|contact|report (?:it )?to|speak to|ask)\b[^.?]*\?\s*$/i,
    gives:
      /\b(?:head ?teacher|principal|officer|manager|lead|leader|coordinator|technician|department|team|office|governors?|trustees?|director|bursar|slt|dpo|senco|ict)\b/i,
  },
  {
    asks: /\bhow (?:long|often|many|much|soon|quickly)\b|\bwhen\b|\bwithin\b/i,
    gives:
      /\b\d+\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve)\b|\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|annual(?:ly)?|daily|weekly|termly|immediately|characters?)\b/i,
  },
  {
    asks: /^\s*(?:can|may|could|should|must|do|am|is|are)\b|\ballowed\b|\bok(?:ay)?\b/i,
    gives:
      /\b(?:must|should|may|never|only|not (?:be )?(?:allowed|permitted)|prohibited|forbidden|permission|allowed)\b/i,
  },
];
/** The kinds of answer a question asks for that a text does not give. */
export function answerKindsMissing(question: string, text: string): Array<{ gives: RegExp }> {
  return ANSWER_KINDS.filter((k) => k.asks.test(question) && !k.gives.test(text));
}

/** A passage that gives the kind of answer asked for scores this much more. */
const KIND_BONUS = 1.3;

/** A synonym from the thesaurus counts for less than the word itself. */
const SYNONYM_WEIGHT = 0.6;

const STOP = new Set(
  `a an the and or but if then so of to in on at by for with from into onto about as is are was were be been being am do does did doing have has had having
   i me my mine we us our you your he him his she her it its they them their this that these those there here what which who whom whose when where why how
   can could may might must shall should will would also just very too than such any some each every all both either neither other
   get got ok okay please thanks thank need want know ask happen happens happened allowed
   during while whilst within without before after under over between through via per around across upon again ever`.split(
    /\s+/,
  ),
);

const snowball = new StemmerEn();
const stems = new Map<string, string>();

/** The Snowball (Porter 2) English stem of a word, as NLP.js computes it; cached, the vocabulary is small. */
export function stem(w: string): string {
  let s = stems.get(w);
  if (s === undefined) {
    s = w.includes('_') ? w : snowball.stemWord(w);
    if (stems.size < 50_000) stems.set(w, s);
  }
  return s;
}

/** The words of a text, lower case, apostrophes and hyphens folded ("e-mail" is "email"). */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\b([a-z])-(?=[a-z]{3,})/g, '$1')
    .split(/[^a-z0-9']+/)
    .map((w) => w.replace(/^'+|'+$/g, '').replace(/'s$/, ''))
    .filter(Boolean);
}

/** Words of a text as stems, stop words out. */
export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const x of words(text)) if (x.length >= 2 && !STOP.has(x)) out.push(stem(x));
  return out;
}

export interface Passage {
  doc: string;
  docTitle: string;
  section: string;
  sectionIndex: number;
  index: number;
  text: string;
}

export interface Hit {
  passage: Passage;
  score: number;
  /** The share of the question's weight this passage matched (0–1). */
  coverage: number;
}

interface Entry {
  passage: Passage;
  tf: Map<string, number>;
  bigrams: Set<string>;
  length: number;
}

/**
 * Ranked full-text search over passages (BM25): exact words count fully, a WordNet synonym of a
 * word the policy uses at a lower weight, words of the section title count too, and adjacent question words found together in
 * the passage add a bonus.
 */
export class PolicyIndex {
  private readonly entries: Entry[] = [];
  private readonly df = new Map<string, number>();
  private avgLength = 1;
  /** The weight of a question's word the policy never uses: a fairly rare word's (see `search`). */
  private unknownWeight = 1;
  /** Every word the policy uses, as written, for the thesaurus. */
  private readonly vocabulary = new Set<string>();
  private thesaurus?: Thesaurus;
  readonly sections: Array<{ doc: string; docTitle: string; title: string; paragraphs: string[] }> = [];

  add(doc: string, docTitle: string, sections: Section[]): void {
    for (const s of sections) {
      const sectionIndex = this.sections.push({ doc, docTitle, title: s.title, paragraphs: s.paragraphs }) - 1;
      const titleTokens = tokens(s.title);
      s.paragraphs.forEach((para, index) => {
        // A lead-in ending in a colon, or a paragraph the next one refers back to ("These would all
        // need to be reported…"), is indexed and quoted together with that next paragraph.
        const next = s.paragraphs[index + 1];
        const text =
          next && (para.endsWith(':') || para.length < 90 || /^(?:these|this|they|such|it|that)\b/i.test(next))
            ? `${para}\n${next}`
            : para;
        // A table is searched row by row, each row with the table's introduction and header, so
        // "where are financial records kept?" finds the row that says.
        const lines = text.split('\n');
        const rows = lines.filter((l) => l.startsWith('| '));
        const units =
          rows.length > 2
            ? rows.slice(1).map((r) => [...lines.filter((l) => !l.startsWith('| ')), rows[0], r].join('\n'))
            : [text];
        for (const unit of units) this.addPassage(doc, docTitle, s.title, sectionIndex, index, unit, titleTokens);
      });
    }
    this.avgLength = this.entries.reduce((a, e) => a + e.length, 0) / Math.max(1, this.entries.length);
    const idfs = [...this.df.keys()].map((w) => this.idf(w)).sort((x, y) => x - y);
    this.unknownWeight = idfs[Math.floor(idfs.length * 0.75)] ?? 1;
  }

  private addPassage(
    doc: string,
    docTitle: string,
    section: string,
    sectionIndex: number,
    index: number,
    text: string,
    titleTokens: string[],
  ): void {
    const body = tokens(text);
    for (const w of words(text)) this.vocabulary.add(w);
    // A paragraph that starts with its own short label ("Portable media devices: …") is about that label.
    const label = /^([^:\n]{3,60}):\s/.exec(text)?.[1];
    const labelTokens = label && label.split(/\s+/).length <= 6 ? tokens(label) : [];
    const all = [...body, ...titleTokens, ...titleTokens, ...labelTokens, ...labelTokens];
    const tf = new Map<string, number>();
    for (const w of all) tf.set(w, (tf.get(w) ?? 0) + 1);
    const bigrams = new Set<string>();
    for (let i = 1; i < body.length; i++) bigrams.add(`${body[i - 1]} ${body[i]}`);
    for (const w of tf.keys()) this.df.set(w, (this.df.get(w) ?? 0) + 1);
    this.entries.push({
      passage: { doc, docTitle, section, sectionIndex, index, text },
      tf,
      bigrams,
      length: all.length,
    });
  }

  get size(): number {
    return this.entries.length;
  }

  private idf(w: string): number {
    const n = this.entries.length;
    const df = this.df.get(w) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Reads the policy's words in WordNet, so a question in other words finds them. Call once all documents are added. */
  async learnSynonyms(): Promise<void> {
    this.thesaurus = await Thesaurus.forVocabulary(this.vocabulary, stem);
  }

  /** The policy's stems a question's stem stands for: itself when the policy uses it, and its synonyms. */
  private expand(w: string, next?: string): Array<{ s: string; weight: number }> {
    const out: Array<{ s: string; weight: number }> = [];
    if (this.df.has(w)) out.push({ s: w, weight: 1 });
    for (const key of next ? [w, `${w}_${next}`] : [w]) {
      for (const s of this.thesaurus?.synonyms(key) ?? []) if (s !== w) out.push({ s, weight: SYNONYM_WEIGHT });
    }
    return out;
  }

  search(query: string, limit = 3): Hit[] {
    // "How long", "how often": the question's form, which the answer kinds weigh, not its subject.
    const raw = tokens(query.replace(/\bhow (?:long|often|many|much|soon|quickly)\b/gi, ' '));
    const q = [...new Set(raw)];
    if (!q.length) return [];
    const k1 = 1.2;
    const b = 0.75;
    const forms = q.map((w) => this.expand(w, raw[raw.indexOf(w) + 1]));
    // A word the policy never uses (in any sense) weighs as a fairly rare word of the policy: the
    // policy may say it otherwise, but a question about something it never mentions ("VPN") should
    // not be answered from the other words alone.
    const weights = forms.map((f) =>
      f.length ? Math.max(...f.map((x) => this.idf(x.s) * x.weight)) : this.unknownWeight,
    );
    const total = weights.reduce((a, x) => a + x, 0) || 1;
    const qBigrams: string[] = [];
    for (let i = 1; i < raw.length; i++) qBigrams.push(`${raw[i - 1]} ${raw[i]}`);
    const kinds = ANSWER_KINDS.filter((k) => k.asks.test(query));
    const hits: Hit[] = [];
    for (const e of this.entries) {
      let score = 0;
      let matched = 0;
      forms.forEach((f, i) => {
        let best = 0;
        for (const { s, weight } of f) {
          const tf = e.tf.get(s) ?? 0;
          if (!tf) continue;
          const v = weight * this.idf(s) * ((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * e.length) / this.avgLength)));
          if (v > best) best = v;
        }
        if (best > 0) matched += weights[i]!;
        score += best;
      });
      if (score <= 0) continue;
      for (const bg of qBigrams) if (e.bigrams.has(bg)) score += 1.5;
      // Prefer passages that answer more of the question: plain BM25 lets one frequent word win.
      const coverage = matched / total;
      const kind = kinds.some((k) => k.gives.test(e.passage.text)) ? KIND_BONUS : 1;
      hits.push({ passage: e.passage, score: score * (0.25 + coverage) * kind, coverage });
    }
    hits.sort((a, b2) => b2.score - a.score);
    return hits.slice(0, limit);
  }

  /** The question's words a text has, exactly or through a synonym. */
  matchedTerms(query: string, text: string): Set<string> {
    const have = new Set(tokens(text));
    const out = new Set<string>();
    const raw = tokens(query);
    for (const w of new Set(raw)) {
      if (have.has(w) || this.expand(w, raw[raw.indexOf(w) + 1]).some((x) => have.has(x.s))) out.add(w);
    }
    return out;
  }

  /** The whole text of a section, for "read the whole section". */
  sectionText(sectionIndex: number): { title: string; docTitle: string; text: string } | undefined {
    const s = this.sections[sectionIndex];
    return s && { title: s.title, docTitle: s.docTitle, text: s.paragraphs.join('\n\n') };
  }
}
