import type { RoleKey, SchoolConfig } from '../config';
import type { Actor } from '../core';
import type { Db } from '../store/db';
import { absencesOn, type Absence } from './absence';
import { schoolDate } from '../clock';
import { readdress, releaseWaiting } from '../outbox/outbox';
import { schoolsStaffing } from './staff';

/** Where a message for a person goes: their object id once known, else the email the school named. */
export interface Recipient {
  key: string;
  aadId?: string;
}

export interface ConversationRef {
  tenantId: string;
  aadId: string;
  conversationId: string;
  serviceUrl: string;
  botId: string;
  userId: string;
}

interface UserRow {
  aad_id: string;
  name: string;
  email: string | null;
  upn: string | null;
  looked_up_at: number | null;
}

/**
 * Knows people: who holds which role in a school (from the configuration, by object id or by
 * email/UPN), how to reach each person (their conversation reference), and their display names.
 */
/** Asks Teams for a person's email and UPN now (null: no longer a member). */
export type MemberLookup = (
  ref: ConversationRef,
  timeoutMs?: number,
) => Promise<{ email?: string; upn?: string } | null>;

export class Directory {
  constructor(
    private readonly db: Db,
    /** Local mode: every person who talks to the bot holds every role, so one person can try both sides. */
    private readonly everyoneHoldsEveryRole: boolean,
    private readonly lookUp?: MemberLookup,
    /** The time now, for absences (which day it is at the school). */
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Asks Teams again for a person's email/UPN and records it: an address given to someone else
   * moves the roles named by it. Someone no longer in the organisation keeps no address. False
   * when the person cannot be asked (no conversation, no connector, or the connector failed).
   */
  async refresh(tenantId: string, aadId: string, now: number, timeoutMs?: number): Promise<boolean> {
    const ref = await this.reference(tenantId, aadId);
    if (!ref || !this.lookUp) return false;
    const m = await this.lookUp(ref, timeoutMs);
    await this.setEmails(tenantId, aadId, m?.email, m?.upn, now);
    return true;
  }

  /**
   * The school a person works at when several share their tenant: the one they chose, else the
   * only one whose staff team lists them, whose roles name them, or whose email domain is theirs.
   * Undefined when that does not settle it: then the person is asked, once.
   */
  async schoolOf(tenantId: string, aadId: string, schools: SchoolConfig[]): Promise<SchoolConfig | undefined> {
    const chosen = await this.db.get<{ school_id: string }>(
      'SELECT school_id FROM person_schools WHERE tenant_id = ? AND aad_id = ?',
      [tenantId, aadId],
    );
    const byId = (id: string | undefined) => schools.find((s) => s.id === id);
    if (chosen && byId(chosen.school_id)) return byId(chosen.school_id);
    const only = (list: SchoolConfig[]) => (list.length === 1 ? list[0] : undefined);
    const staffOf = await schoolsStaffing(this.db, aadId);
    const inTeam = only(schools.filter((s) => staffOf.includes(s.id)));
    if (inTeam) return inTeam;
    const u = await this.db.get<UserRow>('SELECT email, upn FROM users WHERE tenant_id = ? AND aad_id = ?', [
      tenantId,
      aadId,
    ]);
    const names = [aadId.toLowerCase(), u?.email, u?.upn].filter((x): x is string => Boolean(x));
    const holds = only(
      schools.filter((s) =>
        Object.values(s.roles)
          .flat()
          .some((h) => names.includes(h)),
      ),
    );
    if (holds) return holds;
    const domains = [u?.email, u?.upn].filter(Boolean).map((a) => a!.split('@')[1]!);
    return only(schools.filter((s) => s.emailDomains.some((d) => domains.includes(d.toLowerCase()))));
  }

  /** Records the school a person said they work at. */
  async chooseSchool(tenantId: string, aadId: string, schoolId: string, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO person_schools (tenant_id, aad_id, school_id, chosen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, aad_id) DO UPDATE SET school_id = excluded.school_id, chosen_at = excluded.chosen_at`,
      [tenantId, aadId, schoolId, now],
    );
  }

  /** Whether the person holds a role in their school through the email/UPN last recorded for them. */
  async holdsThroughEmail(actor: Actor): Promise<boolean> {
    const addresses = new Set(
      Object.values(actor.school.roles)
        .flat()
        .filter((h) => h.includes('@')),
    );
    if (!addresses.size) return false;
    const u = await this.db.get<UserRow>('SELECT email, upn FROM users WHERE tenant_id = ? AND aad_id = ?', [
      actor.tenantId,
      actor.id,
    ]);
    return Boolean((u?.email && addresses.has(u.email)) || (u?.upn && addresses.has(u.upn)));
  }

  /** People whose email/UPN was last asked before `before` and who can be asked (they have a conversation). */
  async lookupsDue(tenantId: string, before: number, limit: number): Promise<string[]> {
    const rows = await this.db.all<{ aad_id: string }>(
      `SELECT u.aad_id FROM users u JOIN conversation_refs c ON c.tenant_id = u.tenant_id AND c.aad_id = u.aad_id
        WHERE u.tenant_id = ? AND u.looked_up_at IS NOT NULL AND u.looked_up_at < ? AND c.unreachable_at IS NULL
        ORDER BY u.looked_up_at LIMIT ?`,
      [tenantId, before, limit],
    );
    return rows.map((r) => r.aad_id);
  }

  /** Keeps the reference of a channel the bot posts to (`aadId` is the channel's own key). */
  async rememberChannel(ref: ConversationRef, now: number, db: Db = this.db): Promise<void> {
    await db.run(
      `INSERT INTO conversation_refs (tenant_id, aad_id, conversation_id, service_url, bot_id, user_id, unreachable_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
       ON CONFLICT (tenant_id, aad_id) DO UPDATE SET conversation_id = excluded.conversation_id, service_url = excluded.service_url, bot_id = excluded.bot_id`,
      [ref.tenantId, ref.aadId, ref.conversationId, ref.serviceUrl, ref.botId, ref.userId, now],
    );
  }

  /**
   * Keeps the conversation reference of everyone who installs the bot or talks to it. Most turns
   * change nothing: one read tells, and only a change is written. Returns whether the person's
   * email/UPN still has to be looked up.
   */
  async remember(ref: ConversationRef, name: string, now: number): Promise<{ needsLookup: boolean }> {
    const known = await this.db.get<{
      name: string;
      looked_up_at: number | null;
      conversation_id: string | null;
      service_url: string | null;
      unreachable_at: number | null;
    }>(
      `SELECT u.name, u.looked_up_at, c.conversation_id, c.service_url, c.unreachable_at
         FROM users u LEFT JOIN conversation_refs c ON c.tenant_id = u.tenant_id AND c.aad_id = u.aad_id
        WHERE u.tenant_id = ? AND u.aad_id = ?`,
      [ref.tenantId, ref.aadId],
    );
    if (
      known &&
      known.name === name &&
      known.conversation_id === ref.conversationId &&
      known.service_url === ref.serviceUrl &&
      known.unreachable_at === null
    ) {
      return { needsLookup: !known.looked_up_at };
    }
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO users (tenant_id, aad_id, name, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id, aad_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
        [ref.tenantId, ref.aadId, name, now],
      );
      const changed = await tx.run(
        `INSERT INTO conversation_refs (tenant_id, aad_id, conversation_id, service_url, bot_id, user_id, unreachable_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
         ON CONFLICT (tenant_id, aad_id) DO UPDATE SET conversation_id = excluded.conversation_id,
           service_url = excluded.service_url, bot_id = excluded.bot_id, user_id = excluded.user_id,
           unreachable_at = NULL, updated_at = excluded.updated_at
         WHERE conversation_refs.conversation_id <> excluded.conversation_id
            OR conversation_refs.service_url <> excluded.service_url
            OR conversation_refs.unreachable_at IS NOT NULL`,
        [ref.tenantId, ref.aadId, ref.conversationId, ref.serviceUrl, ref.botId, ref.userId, now],
      );
      if (changed.changes) {
        // Messages that waited for this person (they had never opened the bot) can go now.
        await releaseWaiting(tx, ref.tenantId, ref.aadId, now);
      }
    });
    return { needsLookup: !known?.looked_up_at };
  }

  /** Records the email/UPN Teams gave for a person, and hands them what was addressed to that email. */
  async setEmails(
    tenantId: string,
    aadId: string,
    email: string | undefined,
    upn: string | undefined,
    now: number,
  ): Promise<void> {
    const e = email?.toLowerCase() ?? null;
    const u = upn?.toLowerCase() ?? null;
    await this.db.transaction(async (tx) => {
      await tx.run('UPDATE users SET email = ?, upn = ?, looked_up_at = ? WHERE tenant_id = ? AND aad_id = ?', [
        e,
        u,
        now,
        tenantId,
        aadId,
      ]);
      for (const addr of [e, u]) {
        if (!addr) continue;
        await readdress(tx, tenantId, `email:${addr}`, aadId, now);
      }
    });
  }

  /** Everyone in the tenant who has the bot installed, and whether the last send to them failed for good. */
  async reachability(tenantId: string, db: Db = this.db): Promise<Map<string, { unreachable: boolean }>> {
    const rows = await db.all<{ aad_id: string; unreachable_at: number | null }>(
      'SELECT aad_id, unreachable_at FROM conversation_refs WHERE tenant_id = ?',
      [tenantId],
    );
    return new Map(rows.map((r) => [r.aad_id, { unreachable: r.unreachable_at !== null }]));
  }

  /** The people of a tenant who have the bot installed, with their names. */
  installedUsers(tenantId: string): Promise<Array<{ aad_id: string; name: string }>> {
    return this.db.all(
      'SELECT u.aad_id, u.name FROM users u JOIN conversation_refs c ON c.tenant_id = u.tenant_id AND c.aad_id = u.aad_id WHERE u.tenant_id = ?',
      [tenantId],
    );
  }

  /** People of a tenant whose name contains the words, or whose email or UPN is the text given. */
  async search(
    tenantId: string,
    query: string,
    limit: number,
  ): Promise<Array<{ aadId: string; name: string; email: string }>> {
    const q = query.trim().toLowerCase();
    const rows = await this.db.all<{ aad_id: string; name: string; email: string | null; upn: string | null }>(
      `SELECT aad_id, name, email, upn FROM users WHERE tenant_id = ? AND (LOWER(name) LIKE ? OR email = ? OR upn = ?) ORDER BY name LIMIT ?`,
      [tenantId, `%${q.replace(/[%_\\]/g, '')}%`, q, q, limit],
    );
    return rows.map((r) => ({ aadId: r.aad_id, name: r.name, email: r.email ?? r.upn ?? '' }));
  }

  async reference(tenantId: string, aadId: string): Promise<ConversationRef | undefined> {
    const r = await this.db.get<{ conversation_id: string; service_url: string; bot_id: string; user_id: string }>(
      'SELECT conversation_id, service_url, bot_id, user_id FROM conversation_refs WHERE tenant_id = ? AND aad_id = ?',
      [tenantId, aadId],
    );
    return (
      r && {
        tenantId,
        aadId,
        conversationId: r.conversation_id,
        serviceUrl: r.service_url,
        botId: r.bot_id,
        userId: r.user_id,
      }
    );
  }

  async markUnreachable(tenantId: string, aadId: string, now: number): Promise<void> {
    await this.db.run('UPDATE conversation_refs SET unreachable_at = ? WHERE tenant_id = ? AND aad_id = ?', [
      now,
      tenantId,
      aadId,
    ]);
  }

  async nameOf(tenantId: string, aadId: string): Promise<string | undefined> {
    return (
      await this.db.get<{ name: string }>('SELECT name FROM users WHERE tenant_id = ? AND aad_id = ?', [
        tenantId,
        aadId,
      ])
    )?.name;
  }

  /** A recipient as a person would name them: their Teams name, else the address the school gave. */
  async describe(tenantId: string, r: Recipient, db: Db = this.db): Promise<string> {
    if (!r.aadId) return r.key.replace(/^email:/, '');
    const row = await db.get<{ name: string }>('SELECT name FROM users WHERE tenant_id = ? AND aad_id = ?', [
      tenantId,
      r.aadId,
    ]);
    return row?.name ?? 'a colleague who has not opened the bot yet';
  }

  /**
   * The configured holders of a role as a person would name them: their Teams name where the bot
   * knows them, and their email where the configuration gives one.
   */
  async describeHolders(school: SchoolConfig, role: RoleKey): Promise<string[]> {
    const out: string[] = [];
    for (const h of school.roles[role] ?? []) {
      const row = await this.db.get<{ name: string; email: string | null }>(
        h.includes('@')
          ? 'SELECT name, email FROM users WHERE tenant_id = ? AND (email = ? OR upn = ?)'
          : 'SELECT name, email FROM users WHERE tenant_id = ? AND aad_id = ? AND aad_id = ?',
        [school.tenantId, h, h],
      );
      const email = h.includes('@') ? h : (row?.email ?? undefined);
      out.push(row ? (email ? `${row.name} (${email})` : row.name) : (email ?? 'a colleague set up by their Teams id'));
    }
    return out;
  }

  /** The people who hold any of `roles` in the school, resolved to object ids where known. */
  async holders(school: SchoolConfig, roles: readonly RoleKey[], db: Db = this.db): Promise<Recipient[]> {
    const out = new Map<string, Recipient>();
    for (const role of roles) {
      for (const h of school.roles[role] ?? []) {
        if (!h.includes('@')) {
          out.set(h, { key: h, aadId: h });
          continue;
        }
        const row = await db.get<{ aad_id: string }>(
          'SELECT aad_id FROM users WHERE tenant_id = ? AND (email = ? OR upn = ?)',
          [school.tenantId, h, h],
        );
        const r: Recipient = row ? { key: row.aad_id, aadId: row.aad_id } : { key: `email:${h}` };
        out.set(r.key, r);
      }
    }
    if (this.everyoneHoldsEveryRole) {
      for (const u of await db.all<{ aad_id: string }>('SELECT aad_id FROM users WHERE tenant_id = ?', [
        school.tenantId,
      ])) {
        out.set(u.aad_id, { key: u.aad_id, aadId: u.aad_id });
      }
    }
    // A holder who is away is reached through their deputy.
    for (const a of await this.away(school, db)) {
      if (!out.has(a.aad_id)) continue;
      out.delete(a.aad_id);
      out.set(a.deputy_id, { key: a.deputy_id, aadId: a.deputy_id });
    }
    return [...out.values()];
  }

  private away(school: SchoolConfig, db: Db): Promise<Absence[]> {
    return absencesOn(db, school.id, schoolDate(this.now(), school.timezone));
  }

  /**
   * The role holders the actor covers for today who hold any of `roles` (empty when the actor
   * holds the role themselves, or covers for nobody): a decision they make is recorded as theirs
   * on that person's behalf.
   */
  async onBehalfOf(actor: Actor, roles: readonly RoleKey[], db: Db = this.db): Promise<string[]> {
    if (await this.holdsItself(actor, roles, db)) return [];
    const out: string[] = [];
    for (const a of await this.away(actor.school, db))
      if (a.deputy_id === actor.id && (await this.holdsItself({ ...actor, id: a.aad_id }, roles, db))) out.push(a.name);
    return out;
  }

  /** Whether the actor holds any of `roles` in their school, by object id or by email/UPN, or covers for someone who does. */
  async holds(actor: Actor, roles: readonly RoleKey[], db: Db = this.db): Promise<boolean> {
    if (await this.holdsItself(actor, roles, db)) return true;
    return (await this.onBehalfOf(actor, roles, db)).length > 0;
  }

  private async holdsItself(actor: Actor, roles: readonly RoleKey[], db: Db): Promise<boolean> {
    if (this.everyoneHoldsEveryRole) return true;
    const holders = new Set(roles.flatMap((r) => actor.school.roles[r] ?? []));
    if (holders.has(actor.id.toLowerCase())) return true;
    const u = await db.get<UserRow>('SELECT email, upn FROM users WHERE tenant_id = ? AND aad_id = ?', [
      actor.tenantId,
      actor.id,
    ]);
    return Boolean((u?.email && holders.has(u.email)) || (u?.upn && holders.has(u.upn)));
  }

  /** The roles the actor holds themselves (not those they cover for), for menus. */
  async rolesOf(actor: Actor, db: Db = this.db): Promise<RoleKey[]> {
    const out: RoleKey[] = [];
    for (const role of Object.keys(actor.school.roles) as RoleKey[])
      if (await this.holdsItself(actor, [role], db)) out.push(role);
    return out;
  }

  get selfApprovalAllowed(): boolean {
    return this.everyoneHoldsEveryRole;
  }
}
