import type { RoleKey, SchoolConfig } from '../config';
import type { Clock } from '../clock';
import { formatSchoolTime } from '../clock';
import type { OutMessage } from '../core';
import type { CardRenderer } from '../cards/render';
import type { Directory } from '../identity/directory';
import { enqueueSend, enqueueUpdate, sendOrUpdate } from '../outbox/outbox';
import { refreshTask, sendTask, type TaskGroup } from '../outbox/tasks';
import type { Db } from '../store/db';
import { markStage } from './repo';
import type { RequestRecord, RequestTypeDef, StageRecord } from './types';
import { approverCard, requesterCard } from './views';

/** The approver cards of one step of a request: one task group. */
const stageTask = (school: SchoolConfig, request: RequestRecord, stage: StageRecord): TaskGroup => ({
  school,
  group: `appr:${request.id}:${stage.idx}`,
});

/**
 * What a request owes people as it moves, written in the caller's transaction and sent by the
 * outbox: each stage's approver cards (one group of copies, kept current), the requester's one
 * status card (updated in place), and a message of its own only when something needs them.
 */
export class RequestMessages {
  constructor(
    private readonly directory: Directory,
    private readonly cards: CardRenderer,
    private readonly clock: Clock,
  ) {}

  /**
   * Sends the stage's approver card to each holder of its roles (the requester excluded). When the
   * usual approver is the requester, or nobody holds the role, it goes to the next in line.
   */
  async toStage(tx: Db, school: SchoolConfig, type: RequestTypeDef, request: RequestRecord, stage: StageRecord) {
    const now = this.clock.now();
    let holders = (await this.directory.holders(school, stage.roles as RoleKey[], tx)).filter(
      (h) => this.directory.selfApprovalAllowed || h.aadId !== request.requesterId,
    );
    if (!holders.length) {
      holders = (await this.directory.holders(school, stage.escalateTo as RoleKey[], tx)).filter(
        (h) => h.aadId !== request.requesterId,
      );
      if (holders.length) {
        await markStage(tx, request.id, stage.idx, 'escalated', now);
        stage.escalatedAt = now;
      }
    }
    return sendTask(
      tx,
      stageTask(school, request, stage),
      holders,
      approverCard(this.cards, school, type, request, stage),
      now,
    );
  }

  /** Re-renders every approver card of a stage for everyone who has it; returns the card, which is also the clicker's. */
  async refreshApprovers(
    tx: Db,
    school: SchoolConfig,
    type: RequestTypeDef,
    request: RequestRecord,
    stage: StageRecord,
  ): Promise<Record<string, unknown>> {
    const card = approverCard(this.cards, school, type, request, stage);
    await refreshTask(tx, stageTask(school, request, stage), card, this.clock.now());
    return card;
  }

  /**
   * The requester's one status card, sent at the first step that moves and updated at every later
   * one. With `onlyIfSent` a card already out is brought up to date, and none is sent just for this
   * (a withdrawal).
   */
  async status(
    tx: Db,
    school: SchoolConfig,
    type: RequestTypeDef,
    request: RequestRecord,
    opts: { onlyIfSent?: boolean } = {},
  ): Promise<void> {
    const m = {
      schoolId: school.id,
      tenantId: school.tenantId,
      cardKey: `status:${request.id}`,
      message: { card: requesterCard(this.cards, school, type, request, { forRequester: true }) },
    };
    if (opts.onlyIfSent) await enqueueUpdate(tx, m, this.clock.now());
    else
      await sendOrUpdate(
        tx,
        { ...m, recipient: { key: request.requesterId, aadId: request.requesterId } },
        this.clock.now(),
      );
  }

  /** A message of its own for the requester: a question from an approver, or the outcome. */
  async tellRequester(tx: Db, school: SchoolConfig, request: RequestRecord, message: OutMessage): Promise<void> {
    await enqueueSend(
      tx,
      {
        schoolId: school.id,
        tenantId: school.tenantId,
        recipient: { key: request.requesterId, aadId: request.requesterId },
        message,
      },
      this.clock.now(),
    );
  }

  /**
   * For the chaser job: a reminder to the stage's approvers (a copy of its own, kept current with
   * the others), or the stage escalated to the next in line.
   */
  async chase(
    tx: Db,
    school: SchoolConfig,
    type: RequestTypeDef,
    request: RequestRecord,
    stage: StageRecord,
    kind: 'remind' | 'escalate',
  ): Promise<void> {
    const now = this.clock.now();
    const since = formatSchoolTime(stage.startedAt ?? request.createdAt, school.timezone);
    await markStage(tx, request.id, stage.idx, kind === 'escalate' ? 'escalated' : 'reminded', now);
    if (kind === 'escalate') stage.escalatedAt = now;
    const card = approverCard(this.cards, school, type, request, stage, [
      kind === 'escalate'
        ? `Escalated: nobody has decided since ${since}.`
        : `Reminder: this has been waiting since ${since}.`,
    ]);
    const to = (
      await this.directory.holders(school, (kind === 'escalate' ? stage.escalateTo : stage.roles) as RoleKey[], tx)
    ).filter((x) => x.aadId !== request.requesterId);
    await sendTask(tx, stageTask(school, request, stage), to, card, now, kind === 'remind' ? 'reminder' : undefined);
  }
}
