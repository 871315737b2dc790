// NLP.js ships no type declarations; these cover the parts this project uses.
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
    registerConfiguration(tag: string, settings: Record<string, unknown>, overwrite?: boolean): void;
    get(name: string): any; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
  export function containerBootstrap(settings?: Record<string, unknown>): Promise<Container>;
}
declare module '@nlpjs/nlp' {
  export const Nlp: unknown;
}
declare module '@nlpjs/lang-en-min' {
  export const LangEn: unknown;
  export class StemmerEn {
    stemWord(word: string): string;
  }
  export class TokenizerEn {
    tokenize(text: string, normalize?: boolean): string[];
  }
}
declare module 'wordpos' {
  export interface Synset {
    synonyms: string[];
    pos: string;
    /** WordNet's lexicographer file: "noun.person", "noun.artifact"… */
    lexName: string;
    /** Where the synset is in its part of speech's data file: with that, it names the sense. */
    synsetOffset: string;
    /**
     * Links to other synsets; "@" is the hypernym (what this is a kind of), "+" a word derived from
     * one of this synset's. `sourceTarget`: "0000" for the synsets, else the source word's number
     * and the target word's (two hex digits each, from 1).
     */
    ptrs?: Array<{ pointerSymbol: string; synsetOffset: number; pos: string; sourceTarget: string }>;
  }
  export default class WordPOS {
    constructor(options?: { stopwords?: boolean; profile?: boolean });
    lookup(word: string): Promise<Synset[]>;
    lookupNoun(word: string): Promise<Synset[]>;
    lookupVerb(word: string): Promise<Synset[]>;
    lookupAdjective(word: string): Promise<Synset[]>;
    seek(offset: number, pos: string): Promise<Synset>;
  }
}
declare module 'wink-lemmatizer' {
  export function lemmatizeVerb(word: string): string;
  export function lemmatizeNoun(word: string): string;
  export function lemmatizeAdjective(word: string): string;
}
declare module '@nlpjs/similarity' {
  export class SpellCheck {
    constructor(settings?: { features?: Record<string, number>; minLength?: number });
    checkToken(token: string, distance: number): string;
  }
}
