import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { PROJECT_ROOT } from '../paths';

export const CARDS_DIR = path.join(PROJECT_ROOT, 'cards');

/**
 * Expands the JSON templates under `cards/` with data. Data values are inserted as values, never
 * re-parsed: templates put user text in `TextRun`s, which Teams shows literally (no markdown,
 * no mentions).
 */
export class CardRenderer {
  private readonly templates = new Map<string, ACData.Template>();

  constructor(dir = CARDS_DIR) {
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = path.join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (f.endsWith('.json') && !f.endsWith('.sample.json')) {
          this.templates.set(
            path
              .relative(dir, p)
              .replace(/\\/g, '/')
              .replace(/\.json$/, ''),
            new ACData.Template(JSON.parse(readFileSync(p, 'utf8'))),
          );
        }
      }
    };
    walk(dir);
  }

  names(): string[] {
    return [...this.templates.keys()];
  }

  render(name: string, data: Record<string, unknown>): Record<string, unknown> {
    const t = this.templates.get(name);
    if (!t) throw new Error(`no card template "${name}"`);
    // A parsed template is reusable; parsing it again on every card cost ~25x the expansion.
    return t.expand({ $root: data }) as Record<string, unknown>;
  }
}
