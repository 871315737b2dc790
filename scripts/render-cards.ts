/// <reference lib="dom" />
/**
 * `npm run render-cards`: draws every card, expanded with its sample data, as people will see it
 * (the adaptivecards renderer in headless Chromium, Teams-like light theme), into docs/cards/*.png.
 * Needs Debian's chromium (`apt-get install chromium`); set CHROMIUM_PATH to use another.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CardRenderer } from '../src/cards/render';
import { CARD_SAMPLES, HOSTILE } from '../test/helpers/card-samples';

const ROOT = path.join(__dirname, '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const HOST_CONFIG = {
  fontFamily: "'Segoe UI', 'Helvetica Neue', Arial, sans-serif",
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        good: { default: '#0E7A0B' },
        warning: { default: '#8A5400' },
        attention: { default: '#C4314B' },
        accent: { default: '#5B5FC7' },
      },
    },
    emphasis: { backgroundColor: '#F5F5F5', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } },
  },
  actions: {
    maxActions: 6,
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 8 },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
  },
};

/** Renders cards to PNG buffers, one page per card. */
export async function renderCards(
  cards: Array<{ name: string; json: Record<string, unknown> }>,
  browser?: Browser,
  /** The card's width: 460 px as in a desktop chat, 360 px for a phone. */
  width = 460,
): Promise<Map<string, Buffer>> {
  const own = !browser;
  const b =
    browser ??
    (await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    }));
  const out = new Map<string, Buffer>();
  try {
    const page = await b.newPage({ viewport: { width: width + 60, height: 400 }, deviceScaleFactor: 1 });
    const lib = readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
    const css = readFileSync(require.resolve('adaptivecards/dist/adaptivecards.css'), 'utf8');
    await page.setContent(
      `<html><head><style>${css} body{margin:0;padding:16px;background:#EBEBEB} #card{width:${width}px;border-radius:6px;overflow:hidden;box-shadow:0 1px 3px rgba(0,0,0,.2);background:#fff} .ac-pushButton{border:1px solid #D1D1D1;border-radius:4px;background:#fff;padding:5px 12px;font-weight:600;font-family:inherit}</style></head><body><div id="card"></div></body></html>`,
    );
    await page.addScriptTag({ content: lib });
    for (const c of cards) {
      const problems = await page.evaluate(
        ({ json, host }) => {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the renderer's page global has no types here
          const AC = (window as unknown as { AdaptiveCards: any }).AdaptiveCards;
          const card = new AC.AdaptiveCard();
          card.hostConfig = new AC.HostConfig(host);
          const ctx = new AC.SerializationContext();
          card.parse(json, ctx);
          const el = document.getElementById('card')!;
          el.innerHTML = '';
          el.appendChild(card.render());
          const messages: string[] = [];
          for (let i = 0; i < ctx.eventCount; i++) messages.push(ctx.getEventAt(i).message);
          return messages;
        },
        { json: c.json, host: HOST_CONFIG },
      );
      // Teams' native charts are unknown to this renderer, which draws their fallback image instead.
      const real = problems.filter((p: string) => !/^Unknown element type "Chart\.[A-Za-z.]+"\. Fallback/.test(p));
      if (real.length) throw new Error(`${c.name}: ${real.join('; ')}`);
      out.set(c.name, await page.locator('#card').screenshot());
    }
  } finally {
    if (own) await b.close();
  }
  return out;
}

if (require.main === module) {
  const renderer = new CardRenderer();
  // The samples carry hostile text for the tests; the pictures show what staff would really type.
  const realistic = (v: unknown): unknown =>
    typeof v === 'string'
      ? v.split(HOSTILE).join('Video calls with parents who cannot come in')
      : Array.isArray(v)
        ? v.map(realistic)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, realistic(x)]))
          : v;
  const cards = renderer.names().map((name) => ({
    name,
    json: renderer.render(name, realistic(CARD_SAMPLES[name] ?? {}) as Record<string, unknown>),
  }));
  // Forms are also drawn at a phone's width (360 px), where staff mostly fill them in.
  const forms = cards.filter((c) => JSON.stringify(c.json).includes('"Input.'));
  Promise.all([renderCards(cards), renderCards(forms, undefined, 360)]).then(
    ([pngs, phone]) => {
      const dir = path.join(ROOT, 'docs', 'cards');
      mkdirSync(path.join(dir, 'phone'), { recursive: true });
      for (const [name, png] of pngs) writeFileSync(path.join(dir, `${name.replace('/', '-')}.png`), png);
      for (const [name, png] of phone) writeFileSync(path.join(dir, 'phone', `${name.replace('/', '-')}.png`), png);
      console.log(
        `Wrote ${pngs.size} card pictures to docs/cards/ and ${phone.size} forms at phone width to docs/cards/phone/`,
      );
    },
    (err) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
