import { loadPolicy, PolicyLibrary } from '../src/policy/library';
import { tokens } from '../src/policy/search';
(async () => {
  const lib = new PolicyLibrary();
  lib.add(await loadPolicy('p', 'W', process.env.POLICY ?? '/work/shared/reference/policies/wigston-academies-trust-information-security-policy.txt'));
  for (const q of process.argv.slice(2)) {
    console.log(q, tokens(q, 'query'));
    for (const h of lib.index.search(q, 4)) console.log('  ', h.score.toFixed(2), h.coverage.toFixed(2), h.passage.section, '|', h.passage.text.slice(0, 90).replace(/\n/g, ' '));
  }
})();
