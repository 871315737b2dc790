import type { OutMessage } from '../core';
import type { ConversationRef } from '../identity/directory';

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** A message as the Bot Connector wants it. Text is sent as plain text, never as markdown. */
export function toActivity(message: OutMessage, ref?: ConversationRef): Record<string, unknown> {
  const activity: Record<string, unknown> = { type: 'message' };
  if (message.card) {
    activity.attachments = [{ contentType: CARD_CONTENT_TYPE, content: message.card }];
    if (message.text) activity.summary = message.text;
  } else {
    activity.text = message.text;
    activity.textFormat = 'plain';
  }
  if (ref) {
    activity.conversation = { id: ref.conversationId };
    activity.from = { id: ref.botId };
    activity.recipient = { id: ref.userId };
  }
  return activity;
}
