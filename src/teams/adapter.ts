import { CallerIdConstants, type TurnContext } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { AppConfig } from '../config';
import type { ConversationRef } from '../identity/directory';
import { SchoolAdapter } from './inbound';

/** Builds the Bot Framework adapter: authenticated in production, open (loopback only) in local mode. */
export function createAdapter(config: AppConfig): SchoolAdapter {
  const c = config.credentials;
  if (!c) return new SchoolAdapter({});
  const settings: Record<string, string | boolean> = {
    MicrosoftAppId: c.appId,
    MicrosoftAppPassword: c.password ?? '',
    MicrosoftAppType: c.appType,
    MicrosoftAppTenantId: c.tenantId,
  };
  // Another OpenID document for the channel's signing keys (a sovereign cloud, a test) means
  // spelling out the public cloud's other endpoints too: the SDK takes them all or none.
  if (config.openIdMetadataUrl)
    Object.assign(settings, {
      ToBotFromChannelOpenIdMetadataUrl: config.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      ToChannelFromBotLoginUrl: `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${c.tenantId}`,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
      ValidateAuthority: true,
    });
  return new SchoolAdapter(settings as never);
}

/** Where a reply to this activity goes. */
export function replyRef(context: TurnContext, tenantId: string, aadId: string): ConversationRef {
  const a = context.activity;
  return {
    tenantId,
    aadId,
    conversationId: a.conversation.id,
    serviceUrl: a.serviceUrl,
    botId: a.recipient.id,
    userId: a.from.id,
  };
}

/**
 * The tenant an activity comes from. Teams puts it in two places; when both are there they must
 * agree, or the activity is not served (`null`): nobody is served as another school's tenant.
 */
export function tenantOf(context: TurnContext): string | undefined | null {
  const a = context.activity;
  const fromConversation = a.conversation?.tenantId;
  const fromChannel = (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  if (fromConversation && fromChannel && fromConversation.toLowerCase() !== fromChannel.toLowerCase()) return null;
  return fromConversation ?? fromChannel;
}
