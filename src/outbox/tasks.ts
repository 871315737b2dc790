import type { RoleKey, SchoolConfig } from '../config';
import type { Actor } from '../core';
import { forbidden } from '../errors';
import type { Directory, Recipient } from '../identity/directory';
import { audit } from '../store/audit';
import type { Db } from '../store/db';
import { cardKeysOf, enqueueSend, enqueueUpdate } from './outbox';

/**
 * A task card: one card about one thing (a request's step, a breach, a question for the DPO, a
 * device for IT to set up) sent to the holders of a role. Every copy belongs to one group and is
 * replaced whenever the thing changes, so nobody acts on a card that is out of date; the first
 * valid click wins, and a click by someone who may not act is refused and audited.
 */
export interface TaskGroup {
  school: Pick<SchoolConfig, 'id' | 'tenantId'>;
  /** Names the thing, e.g. `ticket:<id>`; every copy's key starts with it. */
  group: string;
}

/**
 * Sends the card to each recipient. `slot` names a round (a reminder, an escalation) so the same
 * person can get a fresh copy later; sending the same slot twice to someone is a no-op.
 */
export async function sendTask(
  tx: Db,
  t: TaskGroup,
  to: Recipient[],
  card: Record<string, unknown>,
  now: number,
  slot?: string,
): Promise<number> {
  const payload = JSON.stringify({ card });
  for (const h of to)
    await enqueueSend(
      tx,
      {
        schoolId: t.school.id,
        tenantId: t.school.tenantId,
        recipient: h,
        message: { card },
        cardKey: `${t.group}:${slot ? `${slot}:` : ''}${h.key}`,
        cardGroup: t.group,
      },
      now,
      payload,
    );
  return to.length;
}

/** Replaces every copy of the group with `card`, for everyone who has one. */
export async function refreshTask(tx: Db, t: TaskGroup, card: Record<string, unknown>, now: number): Promise<void> {
  for (const key of await cardKeysOf(tx, t.group))
    await enqueueUpdate(
      tx,
      { schoolId: t.school.id, tenantId: t.school.tenantId, cardKey: key, message: { card } },
      now,
    );
}

/**
 * Acts on a task for a person, in one transaction: `may` says whether they may (holding one of
 * the roles, by default); `act` makes the change, guarded so that only the first click changes
 * anything. A refusal changes nothing, is audited as `refused` and ends in a clear message.
 */
export async function actOnTask<T>(
  deps: { db: Db; directory: Directory; now: number },
  actor: Actor,
  o: {
    roles?: RoleKey[];
    may?: (tx: Db) => Promise<boolean>;
    subject: string;
    /** What a refusal is audited as, and the message the person gets (a function: after `may` ran). */
    refused: { action: string; message: string | (() => string); detail?: Record<string, unknown> };
    act: (tx: Db) => Promise<T>;
  },
): Promise<T> {
  const out = await deps.db.transaction(async (tx) => {
    const allowed = o.may ? await o.may(tx) : await deps.directory.holds(actor, o.roles ?? [], tx);
    return allowed ? { value: await o.act(tx) } : undefined;
  });
  if (out) return out.value;
  // Recorded after the transaction, which has changed nothing.
  await audit(deps.db, {
    at: deps.now,
    schoolId: actor.school.id,
    actorId: actor.id,
    action: o.refused.action,
    subject: o.subject,
    detail: o.refused.detail,
  });
  throw forbidden(typeof o.refused.message === 'function' ? o.refused.message() : o.refused.message);
}
