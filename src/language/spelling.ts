import { SpellCheck } from '@nlpjs/similarity';
import { STOP } from './words';

/**
 * Words typed wrong on a phone, read as the words of a vocabulary they were meant to be ("pasword",
 * "memroy", "phnoe"). A word of four letters or more that neither the vocabulary nor English uses
 * becomes the vocabulary's word with two letters swapped (one slip of the thumb, though two edits
 * to the checker), or else one edit away from it (two from a word of seven letters or more), the
 * most used when several are (NLP.js's spelling checker). An English word is left as typed, even
 * one a letter from a word of the vocabulary: "sick" is no "stick".
 */
export class Spelling {
  private readonly checker: SpellCheck;

  /**
   * `counts`: each word of the vocabulary (lower case) and how often it is used; `english`: whether
   * English uses a word (a word it uses is never a typo).
   */
  constructor(
    private readonly counts: ReadonlyMap<string, number>,
    private readonly english: (word: string) => boolean,
    /** The most edits a word of seven letters or more may be from the word meant (one below seven). */
    private readonly longEdits = 2,
  ) {
    this.checker = new SpellCheck({
      features: Object.fromEntries([...counts].filter(([w]) => /^[a-z]{4,}$/.test(w))),
    });
  }

  /** The word meant, in lower case, or the word as typed. */
  word(typed: string): string {
    const lower = typed.toLowerCase();
    if (lower.length < 4 || STOP.has(lower) || this.counts.has(lower) || this.english(lower)) return typed;
    for (let i = 0; i + 1 < lower.length; i++) {
      const swapped = `${lower.slice(0, i)}${lower[i + 1]}${lower[i]}${lower.slice(i + 2)}`;
      if (this.counts.has(swapped)) return swapped;
    }
    const meant = this.checker.checkToken(lower, lower.length >= 7 ? this.longEdits : 1);
    return meant === lower ? typed : meant;
  }

  /**
   * A text with each word typed wrong written as the word meant; `leave` says which words stay as
   * typed whatever they look like (a name, say).
   */
  text(typed: string, leave?: (word: string, at: number, text: string) => boolean): string {
    return typed.replace(/[A-Za-z]+/g, (w, at: number) => (leave?.(w, at, typed) ? w : this.word(w)));
  }
}
