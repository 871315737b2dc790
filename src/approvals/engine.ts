import { randomUUID } from 'node:crypto';
import { ROLE_TITLES, type RoleKey, type SchoolConfig, type StageConfig } from '../config';
import type { Clock } from '../clock';
import { zonedParts } from '../clock';
import type { Actor } from '../core';
import { AppError, badInput, forbidden, notFound } from '../errors';
import type { Directory } from '../identity/directory';
import { actOnTask } from '../outbox/tasks';
import { audit } from '../store/audit';
import { nextRef } from '../store/counters';
import type { Db } from '../store/db';
import type { CardRenderer } from '../cards/render';
import {
  addNote,
  cancelStages,
  decideStage,
  findByFormKey,
  insertRequest,
  loadRequest,
  setRequestStatus,
  startStage,
} from './repo';
import { RequestMessages } from './messages';
import type { RequestRecord, RequestTypeDef, StageRecord } from './types';
import { approverCard, requesterCard, questionCard, stageRolesNow } from './views';
import { conditionHolds, describeProblems } from './conditions';

export type Decision =
  | { decision: 'approve'; conditions?: string }
  | { decision: 'deny'; reason: string }
  | { decision: 'info'; question: string };

/**
 * The one approval engine: routes a request through its stages to the role holders, records
 * exactly one decision per stage (the first valid click wins), tells the requester, and updates
 * every approver's card in place. Every change happens in one transaction with the messages it
 * owes, which go out through the outbox.
 */
export class ApprovalEngine {
  private readonly schoolTypes = new Map<string, Map<string, RequestTypeDef>>();
  private readonly messages: RequestMessages;

  constructor(
    private readonly db: Db,
    private readonly directory: Directory,
    private readonly cards: CardRenderer,
    private readonly clock: Clock,
    private readonly onCommit: () => void,
  ) {
    this.messages = new RequestMessages(directory, cards, clock);
  }

  /** Registers a request type at one school: a flow's (built with the school's settings) or one its YAML defines. */
  registerForSchool(schoolId: string, type: RequestTypeDef): void {
    let m = this.schoolTypes.get(schoolId);
    if (!m) this.schoolTypes.set(schoolId, (m = new Map()));
    if (m.has(type.key)) throw new Error(`request type "${type.key}" registered twice for school ${schoolId}`);
    m.set(type.key, type);
  }

  type(school: SchoolConfig, key: string): RequestTypeDef {
    const t = this.schoolTypes.get(school.id)?.get(key);
    if (!t) throw notFound('That kind of request is not set up for your school.');
    return t;
  }

  typesFor(school: SchoolConfig): RequestTypeDef[] {
    return [...(this.schoolTypes.get(school.id)?.values() ?? [])];
  }

  /** A request type's title and its stages at this school, by key (undefined for an unknown key). */
  stagesFor(school: SchoolConfig, key: string): { title: string; stages: StageConfig[] } | undefined {
    const t = this.typesFor(school).find((x) => x.key === key);
    return t && { title: t.title, stages: this.route(school, t) };
  }

  route(school: SchoolConfig, type: RequestTypeDef): StageConfig[] {
    return school.routing[type.key]?.stages ?? type.defaultStages;
  }

  /**
   * Stores a request and sends it to its first stage. Idempotent per form: a Teams re-send or a
   * double click on the same form returns the request already made.
   */
  async submit(
    actor: Actor,
    typeKey: string,
    formId: string,
    raw: unknown,
    labels: Record<string, string> = {},
  ): Promise<{ request: RequestRecord; created: boolean }> {
    const type = this.type(actor.school, typeKey);
    const parsed = type.schema.safeParse(raw);
    if (!parsed.success) throw badInput(describeProblems(parsed.error.issues, labels));
    const data = parsed.data;
    const refused = type.refusals?.(data, actor.school) ?? [];
    if (refused.length) throw badInput(`${actor.school.name}'s policy does not allow this. ${refused.join(' ')}`);
    const now = this.clock.now();
    const stages = this.route(actor.school, type).filter((s) => conditionHolds(s.when, data));
    if (!stages.length)
      throw new AppError('internal', 'This request has no one to approve it. Please tell your IT administrator.');
    const formKey = `${actor.tenantId}:${actor.id}:${typeKey}:${formId}`;

    const result = await this.db.transaction(async (tx) => {
      const existing = await findByFormKey(tx, formKey);
      if (existing) return { request: (await loadRequest(tx, existing))!, created: false };
      const year = zonedParts(now, actor.school.timezone).year;
      const request: RequestRecord = {
        id: randomUUID(),
        schoolId: actor.school.id,
        type: type.key,
        ref: await nextRef(tx, actor.school.id, type.refPrefix, year),
        requesterId: actor.id,
        requesterName: actor.name,
        status: 'pending',
        stageIndex: 0,
        data,
        createdAt: now,
        updatedAt: now,
        version: 1,
        notes: [],
        stages: stages.map((s, idx) => ({
          idx,
          name: s.name,
          roles: s.roles,
          escalateTo: s.escalateTo ?? ['headteacher'],
          status: idx === 0 ? 'pending' : 'waiting',
          startedAt: idx === 0 ? now : null,
          decidedBy: null,
          decidedByName: null,
          decidedAt: null,
          reason: null,
          remindedAt: null,
          escalatedAt: null,
        })),
      };
      await insertRequest(tx, request, formKey);
      await audit(tx, {
        at: now,
        schoolId: actor.school.id,
        actorId: actor.id,
        action: 'request.submitted',
        subject: request.id,
        detail: { type: type.key, ref: request.ref },
      });
      await this.messages.toStage(tx, actor.school, type, request, request.stages[0]!);
      return { request, created: true };
    });
    if (result.created) this.onCommit();
    return result;
  }

  /**
   * Records a decision on a stage. Only a current holder of the stage's roles may decide; the
   * first valid decision wins, and anyone later sees who decided. Returns the card the clicker
   * should now see.
   */
  async decide(actor: Actor, requestId: string, stageIdx: number, d: Decision): Promise<Record<string, unknown>> {
    const now = this.clock.now();
    let request!: RequestRecord;
    let stage!: StageRecord;
    const card = await actOnTask({ db: this.db, directory: this.directory, now }, actor, {
      may: async (tx) => {
        const found = await loadRequest(tx, requestId);
        if (!found || found.schoolId !== actor.school.id)
          throw notFound('That request was not found. It may belong to another school.');
        request = found;
        stage = request.stages[stageIdx]!;
        if (!stage) throw notFound('That step of the request was not found.');
        return (
          (await this.directory.holds(actor, stageRolesNow(stage) as RoleKey[], tx)) &&
          (this.directory.selfApprovalAllowed || actor.id !== request.requesterId)
        );
      },
      subject: requestId,
      refused: {
        action: 'decision.refused',
        detail: { stage: stageIdx, decision: d.decision },
        message: () =>
          `Only the ${stageRolesNow(stage)
            .map((r) => ROLE_TITLES[r as RoleKey] ?? r)
            .join(' or ')} can decide on this step. Your click changed nothing.`,
      },
      act: async (tx) => {
        const type = this.type(actor.school, request.type);
        if (
          stage.status !== 'pending' ||
          request.stageIndex !== stageIdx ||
          !['pending', 'info_requested'].includes(request.status)
        ) {
          // Someone else (or this person, a moment ago) already decided: show what happened.
          return approverCard(this.cards, actor.school, type, request, stage);
        }
        if (d.decision === 'info') {
          await addNote(tx, request.id, {
            at: now,
            authorId: actor.id,
            authorName: actor.name,
            kind: 'question',
            text: d.question,
          });
          await setRequestStatus(tx, request.id, ['pending', 'info_requested'], 'info_requested', now);
          await audit(tx, {
            at: now,
            schoolId: actor.school.id,
            actorId: actor.id,
            action: 'request.info_requested',
            subject: request.id,
            detail: { stage: stageIdx },
          });
          const fresh = (await loadRequest(tx, request.id))!;
          await this.messages.status(tx, actor.school, type, fresh);
          await this.messages.tellRequester(tx, actor.school, fresh, {
            card: questionCard(this.cards, fresh, actor.name, d.question),
          });
          return this.messages.refreshApprovers(tx, actor.school, type, fresh, fresh.stages[stageIdx]!);
        }
        const to = d.decision === 'approve' ? 'approved' : 'denied';
        const reason = d.decision === 'deny' ? d.reason : (d.conditions ?? null);
        // A deputy decides in their own name, on behalf of the holder who is away: the record says both.
        const behalf = await this.directory.onBehalfOf(actor, stageRolesNow(stage) as RoleKey[], tx);
        const byName = behalf.length ? `${actor.name} for ${behalf.join(' and ')}` : actor.name;
        const won = await decideStage(tx, request.id, stageIdx, {
          status: to,
          by: actor.id,
          byName,
          at: now,
          reason,
        });
        if (!won) return approverCard(this.cards, actor.school, type, (await loadRequest(tx, request.id))!, stage);
        await audit(tx, {
          at: now,
          schoolId: actor.school.id,
          actorId: actor.id,
          action: `decision.${to}`,
          subject: request.id,
          detail: { stage: stageIdx, ...(behalf.length ? { onBehalfOf: behalf } : {}) },
        });
        if (d.decision === 'approve' && d.conditions)
          await addNote(tx, request.id, {
            at: now,
            authorId: actor.id,
            authorName: actor.name,
            kind: 'condition',
            text: d.conditions,
          });

        const next = request.stages[stageIdx + 1];
        if (d.decision === 'deny') {
          await setRequestStatus(tx, request.id, ['pending', 'info_requested'], 'denied', now);
          await cancelStages(tx, request.id);
        } else if (next) {
          await startStage(tx, request.id, next.idx, now);
          await setRequestStatus(tx, request.id, ['pending', 'info_requested'], 'pending', now, next.idx);
        } else {
          await setRequestStatus(tx, request.id, ['pending', 'info_requested'], 'approved', now);
        }
        const fresh = (await loadRequest(tx, request.id))!;
        if (fresh.status === 'approved' && type.onApproved) {
          const conditions = fresh.notes.filter((n) => n.kind === 'condition').map((n) => n.text);
          await type.onApproved(tx, fresh, { now, school: actor.school, conditions });
        }
        if (fresh.status === 'pending' && next)
          await this.messages.toStage(tx, actor.school, type, fresh, fresh.stages[next.idx]!);
        await this.messages.status(tx, actor.school, type, fresh);
        // The outcome is news: a message of its own. A step passed is not: the status card shows it.
        if (fresh.status === 'approved' || fresh.status === 'denied')
          await this.messages.tellRequester(tx, actor.school, fresh, {
            card: requesterCard(this.cards, actor.school, type, fresh, { forRequester: true }),
          });
        return this.messages.refreshApprovers(tx, actor.school, type, fresh, fresh.stages[stageIdx]!);
      },
    });
    this.onCommit();
    return card;
  }

  /** The requester answers an approver's question; the request goes back to the approvers. */
  async answer(actor: Actor, requestId: string, text: string): Promise<Record<string, unknown>> {
    const now = this.clock.now();
    const card = await this.db.transaction(async (tx) => {
      const request = await loadRequest(tx, requestId);
      if (!request || request.requesterId !== actor.id) throw notFound('That request was not found among yours.');
      const type = this.type(actor.school, request.type);
      if (request.status !== 'info_requested')
        return requesterCard(this.cards, actor.school, type, request, {
          forRequester: true,
          headline: 'This question has already been answered or the request has moved on.',
        });
      await addNote(tx, request.id, { at: now, authorId: actor.id, authorName: actor.name, kind: 'answer', text });
      await setRequestStatus(tx, request.id, ['info_requested'], 'pending', now);
      await audit(tx, {
        at: now,
        schoolId: actor.school.id,
        actorId: actor.id,
        action: 'request.info_answered',
        subject: request.id,
      });
      const fresh = (await loadRequest(tx, request.id))!;
      await this.messages.refreshApprovers(tx, actor.school, type, fresh, fresh.stages[fresh.stageIndex]!);
      await this.messages.status(tx, actor.school, type, fresh);
      return requesterCard(this.cards, actor.school, type, fresh, {
        forRequester: true,
        headline: 'Thanks: your answer has gone to the approvers.',
      });
    });
    this.onCommit();
    return card;
  }

  /** The requester withdraws a request that is still waiting. */
  async withdraw(actor: Actor, requestId: string): Promise<Record<string, unknown>> {
    const now = this.clock.now();
    const card = await this.db.transaction(async (tx) => {
      const request = await loadRequest(tx, requestId);
      if (!request || request.requesterId !== actor.id) throw notFound('That request was not found among yours.');
      const type = this.type(actor.school, request.type);
      if (!(await setRequestStatus(tx, request.id, ['pending', 'info_requested'], 'withdrawn', now))) {
        return requesterCard(this.cards, actor.school, type, request, {
          forRequester: true,
          headline: 'This request has already been decided, so it cannot be withdrawn.',
        });
      }
      await cancelStages(tx, request.id, { open: true });
      await audit(tx, {
        at: now,
        schoolId: actor.school.id,
        actorId: actor.id,
        action: 'request.withdrawn',
        subject: request.id,
      });
      const fresh = (await loadRequest(tx, request.id))!;
      await this.messages.refreshApprovers(tx, actor.school, type, fresh, fresh.stages[request.stageIndex]!);
      // A status card already out loses its Withdraw button; none is sent just for this.
      await this.messages.status(tx, actor.school, type, fresh, { onlyIfSent: true });
      return requesterCard(this.cards, actor.school, type, fresh, { forRequester: true });
    });
    this.onCommit();
    return card;
  }

  /**
   * Opens a request: as its approver from "Waiting for my decision", as its requester from "My
   * requests" (someone who holds the approving role sees their own request as they made it).
   */
  async open(actor: Actor, requestId: string, as?: 'requester' | 'approver'): Promise<Record<string, unknown>> {
    const request = await loadRequest(this.db, requestId);
    if (!request || request.schoolId !== actor.school.id) throw notFound('That request was not found.');
    const type = this.type(actor.school, request.type);
    const stage = request.stages[request.stageIndex]!;
    // Each opening is audited: a request can hold personal data (a device, a pupil's name).
    const viewed = (as: string) =>
      audit(this.db, {
        at: this.clock.now(),
        schoolId: actor.school.id,
        actorId: actor.id,
        action: 'request.viewed',
        subject: request.id,
        detail: { ref: request.ref, as },
      });
    const mine = request.requesterId === actor.id;
    // Opened from a list: the card offers the way back to it.
    const back = as === 'requester' ? 'mine' : as === 'approver' ? 'waiting' : '';
    if ((!mine || this.directory.selfApprovalAllowed) && !(mine && as === 'requester')) {
      if (await this.directory.holds(actor, stageRolesNow(stage) as RoleKey[])) {
        await viewed('approver');
        return approverCard(this.cards, actor.school, type, request, stage, [], back);
      }
    }
    if (request.requesterId === actor.id) {
      await viewed('requester');
      return requesterCard(this.cards, actor.school, type, request, { forRequester: true, back });
    }
    throw forbidden('You can only open your own requests and those waiting for you.');
  }

  /** Used by the chaser job: re-sends the stage to its approvers, or to the next role in line. */
  async chase(
    tx: Db,
    school: SchoolConfig,
    requestId: string,
    stageIdx: number,
    kind: 'remind' | 'escalate',
  ): Promise<void> {
    const request = await loadRequest(tx, requestId);
    if (!request) return;
    await this.messages.chase(tx, school, this.type(school, request.type), request, request.stages[stageIdx]!, kind);
    await audit(tx, {
      at: this.clock.now(),
      schoolId: school.id,
      actorId: 'system',
      action: `request.${kind === 'remind' ? 'reminded' : 'escalated'}`,
      subject: requestId,
      detail: { stage: stageIdx },
    });
  }
}
