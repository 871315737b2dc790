import { loadPolicy, PolicyLibrary } from '../src/policy/library';
(async () => {
  const lib = new PolicyLibrary();
  lib.add(await loadPolicy('p', 'W', process.env.POLICY!));
  for (const q of process.argv.slice(2)) {
    const a = lib.answer(q);
    console.log('Q:', q, '\n  ', a.found ? a.text.replace(/\n/g, ' ⏎ ').slice(0, 260) : '(nothing found)');
  }
})();
