import * as AC from 'adaptivecards';
import { describe, expect, it } from 'vitest';
import { inflateRawSync } from 'node:zlib';
import { CardRenderer } from '../src/cards/render';
import { allFlows } from '../src/flows/registry';
import { normaliseCommand } from '../src/flows/types';
import { buildPackage, fillManifest, MANIFEST_TEMPLATE, validateManifest } from '../scripts/package';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CARD_SAMPLES, HOSTILE } from './helpers/card-samples';

const ENV = { MicrosoftAppId: 'a0000000-0000-4000-8000-000000000001', PUBLIC_URL: 'https://bot.example.org' };

/** Names of the files in a zip, from its central directory. */
function zipEntries(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let p = 0;
  while (buf.readUInt32LE(p) === 0x04034b50) {
    const size = buf.readUInt32LE(p + 18);
    const nameLen = buf.readUInt16LE(p + 26);
    const name = buf.subarray(p + 30, p + 30 + nameLen).toString();
    out.set(name, inflateRawSync(buf.subarray(p + 30 + nameLen, p + 30 + nameLen + size)));
    p += 30 + nameLen + size;
  }
  return out;
}

describe('the Teams app package', () => {
  it('builds a zip with the manifest and both icons at the root, valid against the bundled schema', async () => {
    const files = zipEntries(await buildPackage(ENV));
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    expect(manifest.bots[0].botId).toBe(ENV.MicrosoftAppId);
    expect(manifest.validDomains).toEqual(['bot.example.org']);
    expect(manifest.developer.privacyUrl).toBe('https://example.org/privacy');
    expect(await validateManifest(manifest)).toEqual([]);
    const png = files.get('color.png')!;
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([192, 192]);
    const outline = files.get('outline.png')!;
    expect([outline.readUInt32BE(16), outline.readUInt32BE(20)]).toEqual([32, 32]);
    // The committed icons (for uploading by hand) are the ones packaged; packaging writes only dist/.
    expect(readFileSync(path.join(path.dirname(MANIFEST_TEMPLATE), 'color.png')).equals(png)).toBe(true);
    expect(readFileSync(path.join(path.dirname(MANIFEST_TEMPLATE), 'outline.png')).equals(outline)).toBe(true);
  });

  it('refuses to package without the bot id and address, and reports a manifest the schema rejects', async () => {
    await expect(buildPackage({})).rejects.toThrow(/MicrosoftAppId must be[\s\S]*PUBLIC_URL must be/);
    const broken = fillManifest(
      ENV,
      readFileSync(MANIFEST_TEMPLATE, 'utf8').replace('"Infosec helper"', `"${'x'.repeat(40)}"`),
    );
    expect((await validateManifest(broken)).join(' ')).toMatch(/name|short|30/);
  });

  it('lists the commands the flows answer to, taken from the flows', () => {
    const manifest = fillManifest(ENV) as { bots: Array<{ commandLists: Array<{ commands: { title: string }[] }> }> };
    const listed: string[] = manifest.bots[0]!.commandLists[0]!.commands.map((c) => normaliseCommand(c.title));
    expect(listed.length).toBeLessThanOrEqual(10);
    const flows = allFlows();
    const known = new Set(flows.flatMap((f) => f.commands.map(normaliseCommand)));
    for (const c of listed) expect(known, `manifest command "${c}" has no flow`).toContain(c);
    // Every flow on the menu is in the manifest too, by one of its commands.
    for (const f of flows.filter((x) => x.menu && x.id !== 'policy')) {
      expect(
        f.commands.some((c) => listed.includes(normaliseCommand(c))),
        `flow ${f.id} is missing from the manifest`,
      ).toBe(true);
    }
  });
});

describe('the cards', () => {
  const cards = new CardRenderer();

  it('has sample data for every template', () => {
    expect(cards.names().sort()).toEqual(Object.keys(CARD_SAMPLES).sort());
  });

  it.each(Object.keys(CARD_SAMPLES))(
    '%s is a valid Adaptive Card 1.5 under the size limit, with user text kept literal',
    (name) => {
      const json = cards.render(name, CARD_SAMPLES[name]!);
      expect(Number(json.version)).toBeLessThanOrEqual(1.5);
      const ctx = new AC.SerializationContext(AC.Versions.v1_5);
      const card = new AC.AdaptiveCard();
      card.parse(json, ctx);
      const problems: string[] = [];
      for (let i = 0; i < ctx.eventCount; i++) problems.push(ctx.getEventAt(i).message);
      const v = card.validateProperties();
      for (let i = 0; i < v.validationEvents.length; i++) problems.push(v.validationEvents[i]!.message);
      // Teams' native charts are not drawn by the adaptivecards renderer: each must carry a fallback.
      const charts: Array<Record<string, unknown>> = [];
      const find = (n: unknown) => {
        if (Array.isArray(n)) n.forEach(find);
        else if (n && typeof n === 'object') {
          if (String((n as { type?: unknown }).type).startsWith('Chart.')) charts.push(n as Record<string, unknown>);
          Object.values(n).forEach(find);
        }
      };
      find(json);
      for (const c of charts) expect(c.fallback, `${name}: ${String(c.type)} without a fallback`).toBeTruthy();
      expect(
        problems.filter((p) => !/^Unknown element type "Chart\.[A-Za-z.]+"\. Fallback will be used/.test(p)),
      ).toEqual([]);
      // Every date a card shows says its year (the samples as the flows fill them).
      expect(JSON.stringify(json)).not.toMatch(
        /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b(?! \d{4})/,
      );
      // Teams refuses cards over 28 KB.
      expect(Buffer.byteLength(JSON.stringify(json))).toBeLessThan(28 * 1024);

      // Wherever the hostile text lands, it is a TextRun (never markdown), an input's value, or data.
      const walk = (n: unknown, parent: Record<string, unknown> | undefined, key: string) => {
        if (Array.isArray(n)) n.forEach((x) => walk(x, parent, key));
        else if (n && typeof n === 'object')
          for (const [k, v2] of Object.entries(n)) walk(v2, n as Record<string, unknown>, k);
        else if (typeof n === 'string' && n.includes('[this](https://evil.example)')) {
          expect(n).toContain('${secret}');
          const ok =
            (parent?.type === 'TextRun' && key === 'text') ||
            (String(parent?.type).startsWith('Input.') && key === 'value');
          expect(ok, `${name}: user text in ${String(parent?.type)}.${key}`).toBe(true);
        }
      };
      walk(json, undefined, '');
      expect(
        JSON.stringify(json).includes(HOSTILE.slice(0, 10)) ||
          !JSON.stringify(CARD_SAMPLES[name]).includes(HOSTILE.slice(0, 10)),
      ).toBe(true);
    },
  );
});

describe.skipIf(!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'))('card pictures (Chromium)', () => {
  it("draws a card in headless Chromium as a PNG of the card's size", async () => {
    const { renderCards } = await import('../scripts/render-cards');
    const cards = new CardRenderer();
    const pngs = await renderCards([
      { name: 'requests/approver', json: cards.render('requests/approver', CARD_SAMPLES['requests/approver']!) },
    ]);
    const png = pngs.get('requests/approver')!;
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(460);
    expect(png.readUInt32BE(20)).toBeGreaterThan(200);
  }, 60_000);
});
