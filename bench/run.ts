/**
 * `npm run bench`            runs every benchmark that needs nothing outside the project, and
 *                            the policy benchmark when ../shared is beside the project.
 * `npm run bench -- turns`   only the HTTP turn benchmark.
 */
import { benchTurns } from './turns';

async function main() {
  const [what = 'all'] = process.argv.slice(2);
  if (what === 'all' || what === 'turns') await benchTurns({ connections: 20, turns: 3000 });
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
