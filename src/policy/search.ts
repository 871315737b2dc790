import type { Section } from './sections';

const STOP = new Set(
  `a an the and or but if then so of to in on at by for with from into onto about as is are was were be been being am do does did doing have has had having
   i me my mine we us our you your he him his she her it its they them their this that these those there here what which who whom whose when where why how
   can could may might must shall should will would also just very too than such any some each every all both either neither other
   get got ok okay please thanks thank need want know ask happen happens happened allowed
   during while whilst within without before after under over between through via per around across upon again ever`.split(
    /\s+/,
  ),
);

/**
 * Words that mean the same thing in this domain. A query word also finds its group's other
 * words, at a lower weight than an exact match. Phrases are joined with "_" before matching.
 */
export const SYNONYMS: string[][] = [
  [
    'usb',
    'memory_stick',
    'pen_drive',
    'flash_drive',
    'removable_media',
    'external_drive',
    'portable_media',
    'removable',
    'portable',
    'stick',
  ],
  ['photo', 'photograph', 'image', 'picture', 'video', 'camera', 'film'],
  ['laptop', 'device', 'computer', 'tablet', 'ipad', 'pc'],
  ['phone', 'mobile', 'smartphone', 'iphone'],
  ['email', 'mail', 'e_mail'],
  ['password', 'passcode', 'passphrase', 'pin'],
  ['breach', 'incident', 'leak', 'compromise'],
  ['wrong_recipient', 'wrong_person', 'wrong_address', 'wrong_parent', 'wrong_email'],
  ['home', 'off_site', 'offsite', 'remote', 'remotely', 'outside'],
  ['personal', 'own', 'private'],
  ['gmail', 'hotmail', 'yahoo', 'personal_email', 'private_email'],
  ['print', 'printer', 'printout', 'printed', 'paper'],
  ['delete', 'remove', 'erase', 'wipe', 'destroy', 'shred'],
  ['encrypt', 'encryption', 'encrypted'],
  ['pupil', 'student', 'child', 'children', 'learner'],
  ['parent', 'carer', 'guardian', 'family'],
  ['headteacher', 'head_teacher', 'principal', 'head'],
  ['software', 'app', 'application', 'program', 'install'],
  ['cloud', 'dropbox', 'google_drive', 'onedrive', 'icloud'],
  ['train', 'bus', 'public_transport', 'travel', 'commute', 'public'],
  ['discipline', 'disciplinary', 'sanction', 'misconduct', 'break', 'breach_of_policy'],
  ['unattended', 'lock', 'locked', 'screen'],
  ['social_media', 'facebook', 'twitter', 'instagram', 'tiktok'],
  ['virus', 'malware', 'anti_virus', 'antivirus', 'ransomware'],
  ['health', 'medical', 'medicine'],
  ['finance', 'financial', 'payroll', 'salary', 'bank'],
  ['search', 'searched', 'monitor', 'monitoring', 'inspect'],
  ['exam', 'examination', 'test'],
  ['long', 'length', 'characters', 'character'],
  ['ring', 'call', 'phone_call', 'contact'],
  ['report', 'tell', 'notify', 'inform'],
  ['stolen', 'lost', 'theft', 'missing'],
  ['shred', 'dispose', 'disposal', 'bin', 'confidential_waste'],
  ['trip', 'visit', 'outing', 'excursion', 'off_site', 'school_trip', 'residential'],
  ['keep', 'store', 'stored', 'kept', 'storage'],
  ['record', 'records', 'file', 'document', 'paperwork', 'information'],
];

const PHRASES = new Map<string, string>();
for (const g of SYNONYMS) for (const w of g) if (w.includes('_')) PHRASES.set(w.replace(/_/g, ' '), w);
const PHRASE_RE = PHRASES.size
  ? new RegExp(`\\b(${[...PHRASES.keys()].sort((a, b) => b.length - a.length).join('|')})\\b`, 'g')
  : undefined;

/** A light suffix-stripping stemmer: the same word always gives the same stem, which is what matters here. */
export function stem(w: string): string {
  if (w.length <= 3 || w.includes('_')) return w;
  let s = w;
  if (s.endsWith("'s")) s = s.slice(0, -2);
  const rules: Array<[RegExp, string]> = [
    [/ational$/, 'ate'],
    [/isation$|ization$/, 'ise'],
    [/fulness$/, 'ful'],
    [/iveness$/, 'ive'],
    [/ies$/, 'y'],
    [/sses$/, 'ss'],
    [/([^aeiou])ing$/, '$1'],
    [/edly$/, ''],
    [/([^e])ed$/, '$1'],
    [/eed$/, 'ee'],
    [/ly$/, ''],
    [/ments?$/, ''],
    [/ness$/, ''],
    [/(ss|x|z|ch|sh)es$/, '$1'],
    [/([^su])s$/, '$1'],
  ];
  for (const [re, to] of rules) {
    if (re.test(s)) {
      const t = s.replace(re, to);
      if (t.length >= 3) s = t;
      break;
    }
  }
  s = s.replace(/([bcdfgklmnprt])\1$/, '$1');
  if (s.length > 4) s = s.replace(/e$/, '');
  return s;
}

const SYN_GROUPS = new Map<string, Set<string>>();
for (const g of SYNONYMS) {
  const stems = new Set(g.map(stem));
  for (const s of stems) SYN_GROUPS.set(s, new Set([...(SYN_GROUPS.get(s) ?? []), ...stems]));
}

/**
 * Words of a text as stems, stop words out, domain phrases joined. In a document a phrase also
 * counts as its words; in a question it counts once, so "USB memory stick" is not three matches.
 */
export function tokens(text: string, mode: 'document' | 'query' = 'document'): string[] {
  let t = text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/e-mail/g, 'email')
    .replace(/-/g, ' ');
  // A domain phrase counts as itself and as its words: "memory stick" is memory_stick, memory, stick.
  if (PHRASE_RE)
    t = t.replace(PHRASE_RE, (m) => (mode === 'query' ? (PHRASES.get(m) ?? m) : `${PHRASES.get(m) ?? m} ${m}`));
  const out: string[] = [];
  for (const w of t.split(/[^a-z0-9_']+/)) {
    const x = w.replace(/^'+|'+$/g, '').replace(/'s$/, '');
    if (!x || STOP.has(x) || x.length < 2) continue;
    out.push(stem(x));
  }
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
 * Ranked full-text search over passages (BM25): exact words count fully, a synonym at half
 * weight, words of the section title count too, and adjacent question words found together in
 * the passage add a bonus.
 */
export class PolicyIndex {
  private readonly entries: Entry[] = [];
  private readonly df = new Map<string, number>();
  private avgLength = 1;
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

  search(query: string, limit = 3): Hit[] {
    const q = [...new Set(tokens(query, 'query'))];
    if (!q.length) return [];
    const k1 = 1.2;
    const b = 0.75;
    const weights = q.map((w) =>
      Math.max(this.idf(w), Math.max(0, ...[...(SYN_GROUPS.get(w) ?? [])].map((s) => this.idf(s) * 0.5))),
    );
    const total = weights.reduce((a, x) => a + x, 0) || 1;
    const qBigrams: string[] = [];
    const raw = tokens(query, 'query');
    for (let i = 1; i < raw.length; i++) qBigrams.push(`${raw[i - 1]} ${raw[i]}`);
    const hits: Hit[] = [];
    for (const e of this.entries) {
      let score = 0;
      let matched = 0;
      q.forEach((w, i) => {
        let best = 0;
        const tf = e.tf.get(w) ?? 0;
        if (tf) best = this.idf(w) * ((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * e.length) / this.avgLength)));
        for (const s of SYN_GROUPS.get(w) ?? []) {
          if (s === w) continue;
          const stf = e.tf.get(s) ?? 0;
          if (!stf) continue;
          const v = 0.5 * this.idf(s) * ((stf * (k1 + 1)) / (stf + k1 * (1 - b + (b * e.length) / this.avgLength)));
          if (v > best) best = v;
        }
        if (best > 0) matched += weights[i]!;
        score += best;
      });
      if (score <= 0) continue;
      for (const bg of qBigrams) if (e.bigrams.has(bg)) score += 1.5;
      // Prefer passages that answer more of the question: plain BM25 lets one frequent word win.
      const coverage = matched / total;
      hits.push({ passage: e.passage, score: score * (0.25 + coverage), coverage });
    }
    hits.sort((a, b2) => b2.score - a.score);
    return hits.slice(0, limit);
  }

  /** The question's words a text has, exactly or through a synonym. */
  matchedTerms(query: string, text: string): Set<string> {
    const have = new Set(tokens(text));
    const out = new Set<string>();
    for (const w of new Set(tokens(query, 'query'))) {
      if (have.has(w) || [...(SYN_GROUPS.get(w) ?? [])].some((s2) => have.has(s2))) out.add(w);
    }
    return out;
  }

  /** The whole text of a section, for "read the whole section". */
  sectionText(sectionIndex: number): { title: string; docTitle: string; text: string } | undefined {
    const s = this.sections[sectionIndex];
    return s && { title: s.title, docTitle: s.docTitle, text: s.paragraphs.join('\n\n') };
  }
}
