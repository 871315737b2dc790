import { englishBySmallWords, englishShare } from '../../language/senses';
import { LETTERED, type Section } from './sections';

/** A heading's number: "3.", "3.2", "A2.". */
const NUMBER = new RegExp(String.raw`^(?:\d+(?:\.\d+)*\.?|${LETTERED})\s+`);

/** Under this share of English words a paragraph is in another language (see `englishShare`). */
const ENGLISH = 0.5;
/**
 * A document is written in two languages when at least this share of the paragraphs that can be
 * told are in another language and at least `ENGLISH_PART` in English. A policy in English has a
 * stray line of names and addresses, not a fifth of its paragraphs.
 */
const OTHER_PART = 0.2;
const ENGLISH_PART = 0.25;
/** A heading giving its name in two languages: "Torri data | Data breaches", "Diogelu / Safeguarding". */
const BOTH_NAMES = /\s+[|/]\s+/;

/**
 * A policy written in two languages, each paragraph in both (a Welsh school's: Welsh first, then
 * English), read in English alone. Staff ask in English, and the answer is quoted in English; a
 * short English rule is no longer indexed with the Welsh paragraph after it as if that went on with
 * it. A policy wholly in another language is kept as it is (nothing is left to read otherwise), as is
 * one in English. A heading giving both names keeps the English one.
 */
export async function inEnglish(sections: Section[]): Promise<Section[]> {
  // A table is kept whole, and not counted: its cells may give both languages side by side
  // ("| Cofnod / Record |"), and an English one is fragments.
  const table = (p: string) => p.split('\n').some((line) => line.startsWith('| '));
  // Most policies are English prose by their small words alone: the dictionary is asked only when
  // enough paragraphs are not for the document to be in two languages.
  const quick = sections.flatMap((s) => s.paragraphs.filter((p) => !table(p)).map(englishBySmallWords));
  const tellable = quick.filter((x) => x !== undefined).length;
  if (quick.filter((x) => x === false).length < tellable * OTHER_PART) return sections;
  const shares = await Promise.all(
    sections.map((s) => Promise.all(s.paragraphs.map((p) => (table(p) ? undefined : englishShare(p))))),
  );
  const told = shares.flat().filter((x) => x !== undefined);
  const other = told.filter((x) => x < ENGLISH).length;
  if (other < told.length * OTHER_PART || told.length - other < told.length * ENGLISH_PART) return sections;
  const out: Section[] = [];
  for (const [i, s] of sections.entries()) {
    const paragraphs: string[] = [];
    for (const [j, p] of s.paragraphs.entries()) {
      // A line too short to tell by its lower-case words ("Y Person Diogelu Dynodedig yw'r Dirprwy
      // Bennaeth, Mr Huw Bevan.") is told by all of them.
      const share = table(p) ? 1 : (shares[i]![j] ?? (await englishShare(p, { least: 3, capitals: true })));
      if (share === undefined || share >= ENGLISH) paragraphs.push(p);
    }
    if (paragraphs.length) out.push({ title: await englishName(s.title), paragraphs });
  }
  return out;
}

/** A heading's English name, where it gives two and only one is English ("3. Torri data | Data breaches" → "3. Data breaches"). */
async function englishName(title: string): Promise<string> {
  const number = NUMBER.exec(title)?.[0] ?? '';
  const names = title.slice(number.length).split(BOTH_NAMES);
  if (names.length < 2) return title;
  const shares = await Promise.all(names.map(async (n) => (await englishShare(n, { least: 1, capitals: true })) ?? 0));
  const best = shares.indexOf(Math.max(...shares));
  const alone = shares.every((x, k) => k === best || x < shares[best]!);
  return alone && shares[best]! >= ENGLISH ? number + names[best]! : title;
}
