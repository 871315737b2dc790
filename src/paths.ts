import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The project's folder (the one with package.json), whether the code runs from `src/` through tsx
 * or compiled from `dist/src/`: cards, the example configuration and its policies are found from it.
 */
export const PROJECT_ROOT = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'cards'))) return dir;
    if (path.dirname(dir) === dir) return path.join(__dirname, '..');
  }
})();
