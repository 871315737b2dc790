import type { Activity, TurnContext } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import { z } from 'zod';
import type { Logger } from '../log';

/** What the endpoint answers: a status and, for card clicks, a body. */
export interface EndpointAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The time the Bot Framework's signing keys may take to arrive before a request is answered 503. */
const AUTH_TIMEOUT_MS = 5000;

const Account = z.object({ id: z.string().min(1).max(512) }).passthrough();

/**
 * The parts of an activity the bot relies on. Anything else Teams sends is kept as it is; an
 * activity without these is a 400, never an error deep inside a turn.
 */
const IncomingActivity = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    name: z.string().max(256).optional(),
    channelId: z.string().max(64).optional(),
    serviceUrl: z
      .string()
      .max(2048)
      .regex(/^https?:\/\//, 'must be an http(s) URL'),
    timestamp: z.string().max(64).optional(),
    text: z.string().max(100_000).optional(),
    from: Account.extend({ aadObjectId: z.string().max(64).optional(), name: z.string().max(512).optional() }),
    recipient: Account,
    conversation: Account.extend({
      conversationType: z.string().max(64).optional(),
      tenantId: z.string().max(64).optional(),
    }),
    attachments: z
      .array(z.object({ contentType: z.string().max(256) }).passthrough())
      .max(50)
      .optional(),
    membersAdded: z.array(Account).max(1000).optional(),
    channelData: z.record(z.unknown()).optional(),
  })
  .passthrough();

/** A verification that could not finish (the keys did not arrive in time): nobody is let in, the sender may retry. */
class AuthUnavailable extends Error {}

/**
 * The Teams adapter, with authentication split from the turn so that the endpoint can answer for
 * each on its own: a bad token is a 401, keys that cannot be fetched a 503, a failed turn a 500.
 */
export class SchoolAdapter extends TeamsAdapter {
  async authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.botFrameworkAuthentication.authenticateRequest(activity, authHeader),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new AuthUnavailable('signing keys did not arrive in time')), AUTH_TIMEOUT_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(auth, activity, logic);
  }
}

/** True when the token itself was refused (as opposed to the keys to check it not being available). */
function tokenRefused(err: unknown): boolean {
  // The SDK's AuthenticationError carries 401 for a refused token and 500 when it could not load keys.
  if (err instanceof AuthenticationError) return err.statusCode !== 500;
  // The token library's own errors (a bad signature, an expired token).
  const name = (err as { name?: string }).name;
  return name === 'JsonWebTokenError' || name === 'TokenExpiredError' || name === 'NotBeforeError';
}

/**
 * Checks an incoming request and runs its turn: the caller's token (401, or 503 when the keys to
 * check it cannot be had), the activity's shape (400), then the turn (500 only for the bot's own faults).
 */
export async function processRequest(
  adapter: SchoolAdapter,
  body: unknown,
  authHeader: string,
  logic: (context: TurnContext) => Promise<void>,
  log: Logger,
): Promise<EndpointAnswer> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { status: 400, body: { error: 'not a valid activity' } };
  // The caller first: whoever has no valid token learns nothing about what the bot would accept.
  const raw = body as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  let auth: AuthenticateRequestResult;
  try {
    const seen = { ...raw, serviceUrl: str(raw.serviceUrl), channelId: str(raw.channelId) } as unknown as Activity;
    auth = await adapter.authenticate(seen, authHeader);
  } catch (err) {
    if (err instanceof AuthUnavailable || !tokenRefused(err)) {
      log.warn({ err: (err as Error).message }, 'request not authenticated: the signing keys are unavailable');
      return { status: 503, body: { error: 'try again shortly' }, headers: { 'retry-after': '5' } };
    }
    return { status: 401, body: { error: 'not authenticated' } };
  }
  const parsed = IncomingActivity.safeParse(body);
  if (!parsed.success) {
    const where = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(body)'))].slice(0, 5);
    return { status: 400, body: { error: `not a valid activity: check ${where.join(', ')}` } };
  }
  const activity = parsed.data as unknown as Activity & { rawTimestamp?: string };
  if (typeof parsed.data.timestamp === 'string') {
    activity.rawTimestamp = parsed.data.timestamp;
    activity.timestamp = new Date(parsed.data.timestamp);
  }
  try {
    const res = await adapter.run(auth, activity, logic);
    return { status: res?.status ?? 200, body: res?.body };
  } catch (err) {
    log.error({ err: (err as Error).message, type: activity.type }, 'turn failed outside the bot');
    return { status: 500, body: { error: 'the bot could not handle this' } };
  }
}
