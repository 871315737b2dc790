import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { AppConfig, SchoolConfig } from '../config';
import type { Actor } from '../core';
import type { Services } from '../flows/types';
import { tenantOf } from './adapter';
import { FORMER_VERBS } from './verbs';

/**
 * Who an activity comes from, and at which school: the tenant must be one the bot serves (its two
 * tenant fields agreeing), the person is remembered with how to reach them, and their email is
 * learnt so that roles named by email are recognised. In a tenant with several schools the school
 * comes from the person, or from their choice when the bot cannot tell (`chooseFrom`).
 */
export class ActorResolver {
  private readonly schoolsByTenant = new Map<string, SchoolConfig[]>();

  constructor(
    private readonly config: AppConfig,
    private readonly svc: Services,
  ) {
    for (const s of config.file.schools)
      this.schoolsByTenant.set(s.tenantId, [...(this.schoolsByTenant.get(s.tenantId) ?? []), s]);
  }

  async resolve(context: TurnContext): Promise<{ actor: Actor; chooseFrom?: SchoolConfig[] } | undefined> {
    const a = context.activity;
    const tenantId = tenantOf(context);
    if (tenantId === null) {
      this.svc.log.warn({ type: a.type }, 'activity whose two tenant fields disagree rejected');
      return undefined;
    }
    const local = this.config.mode === 'local';
    let schools = tenantId ? this.schoolsByTenant.get(tenantId) : undefined;
    if (!schools && local) schools = [this.config.file.schools[0]!];
    if (!schools) {
      // Logged without content: only that a tenant we do not serve reached us.
      this.svc.log.warn({ type: a.type, tenantKnown: false }, 'activity from an unconfigured tenant rejected');
      return undefined;
    }
    const id = a.from?.aadObjectId ?? (local ? a.from?.id : undefined);
    if (!id) return undefined;
    let school = schools[0]!;
    let unsettled = false;
    if (schools.length > 1) {
      // A trust with several schools in one tenant: the school comes from the person, never the tenant.
      const found = await this.svc.directory.schoolOf(school.tenantId, id, schools);
      const chosen = this.chosenSchool(context, schools);
      if (found) school = found;
      else if (chosen) school = chosen;
      else unsettled = true;
    }
    const actor: Actor = { id, tenantId: school.tenantId, name: a.from?.name || 'Someone', school };
    if (a.conversation?.conversationType === 'personal' || (!a.conversation?.conversationType && local)) {
      const { needsLookup } = await this.svc.directory.remember(
        {
          tenantId: school.tenantId,
          aadId: id,
          conversationId: a.conversation.id,
          serviceUrl: a.serviceUrl,
          botId: a.recipient.id,
          userId: a.from.id,
        },
        actor.name,
        this.svc.clock.now(),
      );
      if (needsLookup) await this.lookUpEmails(actor);
      // The email just learnt may say which school they are at.
      if (unsettled && needsLookup) {
        const found = await this.svc.directory.schoolOf(school.tenantId, id, schools);
        if (found) {
          actor.school = found;
          unsettled = false;
        }
      }
      // Someone who decides through a role named by email is asked about again at each click:
      // the address may have been given to someone else since (two seconds at most, within the
      // five an invoke has).
      else if (a.type === ActivityTypes.Invoke && (await this.svc.directory.holdsThroughEmail(actor)))
        await this.lookUpEmails(actor, 2000);
    }
    return unsettled ? { actor, chooseFrom: schools } : { actor };
  }

  private chosenSchool(context: TurnContext, schools: SchoolConfig[]): SchoolConfig | undefined {
    const a = context.activity;
    if (a.type !== ActivityTypes.Invoke || a.name !== 'adaptiveCard/action') return undefined;
    const v = a.value as { action?: { verb?: string; data?: { schoolId?: unknown } } } | undefined;
    const verb = v?.action?.verb;
    if (verb !== 'menu.school' && FORMER_VERBS[verb ?? ''] !== 'menu.school') return undefined;
    return schools.find((s) => s.id === v?.action?.data?.schoolId);
  }

  /** Learns the person's email/UPN, so role holders named by email are recognised. */
  private async lookUpEmails(actor: Actor, timeoutMs?: number): Promise<void> {
    try {
      await this.svc.directory.refresh(actor.tenantId, actor.id, this.svc.clock.now(), timeoutMs);
    } catch (err) {
      this.svc.log.warn({ err: (err as Error).message }, 'member look-up failed; will retry');
    }
  }
}
