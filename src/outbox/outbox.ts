import type { OutMessage } from '../core';
import type { Recipient } from '../identity/directory';
import type { Db } from '../store/db';

/**
 * Messages owed to people are written here inside the same transaction as the change that owes
 * them, then delivered by the dispatcher. A crash between the two loses nothing.
 */
export interface OutboxEntry {
  schoolId: string;
  tenantId: string;
  recipient: Recipient;
  message: OutMessage;
  /**
   * Names a card so it can be updated later ("approver card of stage 1 for Sam"). A second send
   * with the same key is ignored, which makes enqueueing idempotent.
   */
  cardKey?: string;
  /** Cards that change together, e.g. every approver card of one stage ("appr:<request>:<stage>"). */
  cardGroup?: string;
  /** Sent once already and it may have arrived (a reply that failed ambiguously): at most one more try. */
  maybeDelivered?: boolean;
}

/** `payload`: the message already serialised, when the same one goes to many people (saves a copy per row). */
export async function enqueueSend(tx: Db, e: OutboxEntry, now: number, payload?: string): Promise<void> {
  await tx.run(
    `INSERT INTO outbox (created_at, school_id, tenant_id, recipient, kind, card_key, card_group, payload, status, next_attempt_at, attempts, uncertain)
     VALUES (?, ?, ?, ?, 'send', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [
      now,
      e.schoolId,
      e.tenantId,
      e.recipient.key,
      e.cardKey ?? null,
      e.cardGroup ?? null,
      payload ?? JSON.stringify(e.message),
      e.recipient.aadId ? 'pending' : 'waiting',
      now,
      e.maybeDelivered ? 1 : 0,
      e.maybeDelivered ? 1 : 0,
    ],
  );
}

/** Replaces a card already sent (or about to be) with a new version, for everyone who sees it. */
export async function enqueueUpdate(
  tx: Db,
  e: { schoolId: string; tenantId: string; cardKey: string; message: OutMessage },
  now: number,
): Promise<void> {
  // A card not sent yet simply goes out in its newest form.
  const merged = await tx.run(
    `UPDATE outbox SET payload = ? WHERE card_key = ? AND kind = 'send' AND status IN ('pending', 'waiting')`,
    [JSON.stringify(e.message), e.cardKey],
  );
  if (merged.changes) return;
  // A card already out, or on its way right now, gets an update; it waits for the card if needed.
  const sent = await tx.get<{ recipient: string }>(
    `SELECT recipient FROM outbox WHERE card_key = ? AND kind = 'send' AND status IN ('sent', 'sending')`,
    [e.cardKey],
  );
  if (!sent) return;
  await tx.run(
    `INSERT INTO outbox (created_at, school_id, tenant_id, recipient, kind, card_key, payload, status, next_attempt_at)
     VALUES (?, ?, ?, ?, 'update', ?, ?, 'pending', ?)`,
    [now, e.schoolId, e.tenantId, sent.recipient, e.cardKey, JSON.stringify(e.message), now],
  );
}

/** Keys of the cards of one group, e.g. every approver card of one stage ("appr:<request>:<stage>"). */
export async function cardKeysOf(tx: Db, group: string): Promise<string[]> {
  const rows = await tx.all<{ card_key: string }>(
    `SELECT card_key FROM outbox WHERE card_group = ? AND kind = 'send'`,
    [group],
  );
  return rows.map((r) => r.card_key);
}

/** Messages that waited for a person (they had never opened the bot, or could not be reached) go now. */
export async function releaseWaiting(tx: Db, tenantId: string, aadId: string, now: number): Promise<void> {
  await tx.run(
    `UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE tenant_id = ? AND recipient = ? AND status IN ('waiting', 'unreachable')`,
    [now, tenantId, aadId],
  );
}

/** Messages addressed to an email go to the person now known by it. */
export async function readdress(tx: Db, tenantId: string, from: string, toAadId: string, now: number): Promise<void> {
  await tx.run(
    `UPDATE outbox SET recipient = ?, status = 'pending', next_attempt_at = ? WHERE tenant_id = ? AND recipient = ? AND status IN ('pending', 'waiting')`,
    [toAadId, now, tenantId, from],
  );
}

/** Cards of a group not yet sent are dropped: a newer card replaces them. */
export async function supersedeUnsent(tx: Db, cardGroup: string): Promise<void> {
  await tx.run(
    `UPDATE outbox SET status = 'superseded' WHERE card_group = ? AND kind = 'send' AND status IN ('waiting', 'pending')`,
    [cardGroup],
  );
}

/**
 * A card that follows something as it changes (a request's status, a breach's progress): sent the
 * first time, replaced in place every time after. `cardKey` names it.
 */
export async function sendOrUpdate(tx: Db, e: OutboxEntry & { cardKey: string }, now: number): Promise<void> {
  await enqueueSend(tx, e, now);
  await enqueueUpdate(tx, { schoolId: e.schoolId, tenantId: e.tenantId, cardKey: e.cardKey, message: e.message }, now);
}
