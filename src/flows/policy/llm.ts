import type { AppConfig } from '../../config';
import type { Logger } from '../../log';

export interface Passage {
  section: string;
  docTitle: string;
  text: string;
}

const SYSTEM = [
  'You help school staff follow their school information-security policy.',
  'Answer the question using only the numbered passages from the policy. Do not add anything the passages do not say.',
  'Cite the passages you use as [1], [2]. Answer in at most 80 words, in plain British English.',
  'If the passages do not answer the question, reply with exactly: NOT_FOUND',
].join(' ');

/**
 * Phrases an answer from the passages the local search found, with an OpenAI-compatible chat
 * model (OpenAI or Azure OpenAI). Returns undefined (and the quoted passages alone are shown) when
 * the model is not configured, fails, takes too long, says the passages do not answer, or gives an
 * answer that cites none of them.
 */
export async function phraseAnswer(
  llm: NonNullable<AppConfig['llm']>,
  question: string,
  passages: Passage[],
  log: Logger,
  timeoutMs = 8000,
): Promise<string | undefined> {
  const azure = Boolean(llm.apiVersion);
  const url = `${llm.baseUrl.replace(/\/+$/, '')}/chat/completions${azure ? `?api-version=${encodeURIComponent(llm.apiVersion!)}` : ''}`;
  const body = {
    ...(azure ? {} : { model: llm.model }),
    temperature: 0,
    max_tokens: 300,
    messages: [
      { role: 'system', content: SYSTEM },
      {
        role: 'user',
        content: `${passages.map((p, i) => `[${i + 1}] ${p.docTitle}, section "${p.section}":\n${p.text}`).join('\n\n')}\n\nQuestion: ${question}`,
      },
    ],
  };
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(azure ? { 'api-key': llm.apiKey } : { authorization: `Bearer ${llm.apiKey}` }),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) {
      log.warn({ status: res.status }, 'language model call failed; quoting the policy only');
      return undefined;
    }
    const data = (await res.json()) as { choices?: Array<{ message?: { content?: string } }> };
    const text = data.choices?.[0]?.message?.content?.trim();
    if (!text || text.includes('NOT_FOUND')) return undefined;
    // An answer that cites none of the passages is not grounded in them.
    const cited = [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    if (!cited.length || cited.some((n) => n < 1 || n > passages.length)) return undefined;
    return text.slice(0, 1200);
  } catch (err) {
    log.warn({ err: (err as Error).name }, 'language model unavailable; quoting the policy only');
    return undefined;
  }
}
