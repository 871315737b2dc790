import { afterAll } from 'vitest';
import { SentenceEncoder } from '../../src/language/sentences';

// Each test file's process ends after its tests. The sentence encoder's thread is stopped first,
// as the bot stops it: a thread ended in the middle of a native call takes the process with it.
afterAll(async () => {
  await SentenceEncoder.close();
});
