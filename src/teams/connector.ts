import {
  AppCredentials,
  AuthenticationConstants,
  JwtTokenProviderFactory,
  ManagedIdentityServiceClientCredentialsFactory,
  PasswordServiceClientCredentialFactory,
} from 'botframework-connector';
import type { BotCredentials } from '../config';
import type { OutMessage } from '../core';
import type { ConversationRef } from '../identity/directory';
import { DeliveryError, type Connector } from '../outbox/dispatcher';
import { toActivity } from './activity';

/** Errors that mean the request never left this machine, so nothing can have been delivered. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Sends proactive messages and card updates to the Bot Connector over plain HTTP, so that the
 * outbox alone decides about retries (the SDK's own client would retry a 5xx post and could post
 * a message twice).
 */
export class BotConnector implements Connector {
  private credentials: Promise<AppCredentials> | undefined;

  constructor(
    private readonly creds: BotCredentials | undefined,
    private readonly timeoutMs = 15_000,
  ) {}

  private async authHeader(): Promise<Record<string, string>> {
    const c = this.creds;
    if (!c) return {};
    if (!this.credentials) {
      const audience = AuthenticationConstants.ToChannelFromBotOAuthScope;
      this.credentials = (
        c.appType === 'UserAssignedMSI'
          ? new ManagedIdentityServiceClientCredentialsFactory(
              c.appId,
              new JwtTokenProviderFactory(),
            ).createCredentials(c.appId, audience)
          : new PasswordServiceClientCredentialFactory(c.appId, c.password ?? '', c.tenantId).createCredentials(
              c.appId,
              audience,
              `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${c.tenantId}`,
              true,
            )
      ) as Promise<AppCredentials>;
    }
    const token = await (await this.credentials).getToken();
    return { authorization: `Bearer ${token}` };
  }

  private async call(method: 'POST' | 'PUT', url: string, body: unknown, timeoutMs = this.timeoutMs): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', ...(await this.authHeader()) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      // A connection that was never made delivered nothing; anything later (a reset, a timeout) may have.
      const code = (err as { cause?: { code?: string } }).cause?.code ?? '';
      throw new DeliveryError(0, undefined, !NOT_CONNECTED.has(code));
    }
    if (!res.ok) {
      const ra = res.headers.get('retry-after');
      const seconds = ra === null ? undefined : Number(ra);
      await res.arrayBuffer().catch(() => undefined);
      throw new DeliveryError(
        res.status,
        seconds !== undefined && Number.isFinite(seconds) ? seconds * 1000 : undefined,
      );
    }
    const text = await res.text();
    return text ? JSON.parse(text) : {};
  }

  private base(ref: ConversationRef): string {
    return `${ref.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(ref.conversationId)}/activities`;
  }

  async send(
    ref: ConversationRef,
    message: OutMessage,
    opts: { timeoutMs?: number } = {},
  ): Promise<{ activityId: string }> {
    const r = (await this.call('POST', this.base(ref), toActivity(message, ref), opts.timeoutMs)) as { id?: string };
    return { activityId: r.id ?? '' };
  }

  async member(ref: ConversationRef, timeoutMs = this.timeoutMs): Promise<{ email?: string; upn?: string } | null> {
    const url = `${ref.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(ref.conversationId)}/members/${encodeURIComponent(ref.userId)}`;
    let res: Response;
    try {
      res = await fetch(url, { headers: await this.authHeader(), signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw new DeliveryError(0);
    }
    if (res.status === 404) return null;
    if (!res.ok) throw new DeliveryError(res.status);
    const m = (await res.json()) as { email?: string; userPrincipalName?: string };
    return { email: m.email, upn: m.userPrincipalName };
  }

  async teamMembers(serviceUrl: string, teamId: string): Promise<Array<{ aadObjectId: string; name: string }>> {
    const out: Array<{ aadObjectId: string; name: string }> = [];
    let token: string | undefined;
    do {
      const url = `${serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(teamId)}/pagedmembers?pageSize=500${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
      const res = await fetch(url, { headers: await this.authHeader(), signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) throw new DeliveryError(res.status);
      const page = (await res.json()) as {
        members?: Array<{ aadObjectId?: string; name?: string }>;
        continuationToken?: string;
      };
      for (const m of page.members ?? [])
        if (m.aadObjectId) out.push({ aadObjectId: m.aadObjectId, name: m.name ?? '' });
      token = page.continuationToken;
    } while (token);
    return out;
  }

  async update(ref: ConversationRef, activityId: string, message: OutMessage): Promise<void> {
    await this.call('PUT', `${this.base(ref)}/${encodeURIComponent(activityId)}`, {
      ...toActivity(message, ref),
      id: activityId,
    });
  }
}
