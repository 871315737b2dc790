import { z } from 'zod';
import { DAY, formatSchoolTime, isoSchoolTime, schoolDate } from '../../clock';
import type { SchoolConfig } from '../../config';
import type { Actor } from '../../core';
import { toCsv } from '../../csv';
import { forbidden } from '../../errors';
import { exportLinkMessage } from '../../exports';
import { audit } from '../../store/audit';
import { once } from '../../store/counters';
import type { Db } from '../../store/db';
import type { RetentionRule } from '../../store/schema';
import { action, type Flow, type Services } from '../types';
import { RETENTION_SCHEMA } from './schema';

/** At most this many records are deleted in one transaction, so a first run on an old database stays light. */
const BATCH = 500;

async function mayView(svc: Services, actor: Actor): Promise<void> {
  if (!(await svc.directory.holds(actor, ['dpo', 'headteacher'])))
    throw forbidden('What the bot keeps and deletes is for the DPO and the headteacher.');
}

function rules(svc: Services): RetentionRule[] {
  return svc.schemas.flatMap((s) => s.retention ?? []);
}

/** The school's period for a kind of record, in days: its YAML's, or the default; never below the least the record must be kept. */
const daysFor = (school: SchoolConfig, r: RetentionRule) =>
  Math.max(school.retention[r.kind] ?? r.defaultDays, r.minDays ?? 1);

const period = (days: number) =>
  days % 365 === 0 ? `${days / 365} year${days === 365 ? '' : 's'}` : `${days} day${days === 1 ? '' : 's'}`;

/**
 * Deletes one kind of record past its period, in batches, with the rows that belong to each; and
 * records how many in the register and the audit trail. Returns how many records were deleted.
 */
async function apply(svc: Services, school: SchoolConfig | undefined, r: RetentionRule, days: number): Promise<number> {
  const now = svc.clock.now();
  const before = now - days * DAY;
  const scope = r.shared ? '' : 'school_id = ? AND ';
  const where = `${scope}${r.from} IS NOT NULL AND ${r.from} < ?${r.when ? ` AND (${r.when})` : ''}`;
  const params = r.shared ? [before] : [school!.id, before];
  let total = 0;
  for (;;) {
    const n = await svc.db.transaction(async (tx: Db) => {
      let count: number;
      if (r.with?.length) {
        const ids = (
          await tx.all<{ id: string }>(`SELECT id FROM ${r.table} WHERE ${where} LIMIT ${BATCH}`, params)
        ).map((x) => x.id);
        if (!ids.length) return 0;
        const list = ids.map(() => '?').join(', ');
        for (const c of r.with!) await tx.run(`DELETE FROM ${c.table} WHERE ${c.column} IN (${list})`, ids);
        count = (await tx.run(`DELETE FROM ${r.table} WHERE id IN (${list})`, ids)).changes;
      } else {
        count = (await tx.run(`DELETE FROM ${r.table} WHERE ${where}`, params)).changes;
      }
      if (count && school) {
        await tx.run('INSERT INTO retention_log (school_id, kind, deleted, older_than, at) VALUES (?, ?, ?, ?, ?)', [
          school.id,
          r.kind,
          count,
          before,
          now,
        ]);
        await audit(tx, {
          at: now,
          schoolId: school.id,
          actorId: 'system',
          action: 'retention.deleted',
          subject: r.kind,
          detail: { deleted: count, olderThan: isoSchoolTime(before, school.timezone) },
        });
      }
      return count;
    });
    total += n;
    if (n < BATCH || !r.with?.length) return total;
  }
}

async function registerCard(svc: Services, school: SchoolConfig): Promise<Record<string, unknown>> {
  const deleted = await svc.db.all<{ kind: string; deleted: number; older_than: number; at: number }>(
    'SELECT kind, deleted, older_than, at FROM retention_log WHERE school_id = ? ORDER BY at DESC LIMIT 15',
    [school.id],
  );
  const about = new Map(rules(svc).map((r) => [r.kind, r.about]));
  return svc.cards.render('retention/register', {
    rules: rules(svc).map((r) => ({
      line: `${r.about}: ${period(daysFor(school, r))}${
        school.retention[r.kind] === undefined
          ? ''
          : school.retention[r.kind]! < (r.minDays ?? 1)
            ? ` (the school asked for ${period(school.retention[r.kind]!)}, but these must be kept at least ${period(r.minDays!)})`
            : ' (set by the school)'
      }`,
      basis: r.basis,
    })),
    deleted: deleted.map((d) => ({
      line: `${formatSchoolTime(d.at, school.timezone)}: ${d.deleted} × ${about.get(d.kind) ?? d.kind} (older than ${formatSchoolTime(d.older_than, school.timezone)})`,
    })),
  });
}

/**
 * How long the bot keeps each kind of record (each module declares its own, with a default a
 * school may change in its YAML), a daily job that deletes what is past it, and the register of
 * what was deleted. The audit trail is kept whole: it is the school's evidence, and a chain.
 */
export const retentionFlow: Flow = {
  id: 'retention',
  schema: RETENTION_SCHEMA,
  commands: ['retention', 'data retention', 'what do you keep'],
  async start(actor, svc) {
    await mayView(svc, actor);
    return { card: await registerCard(svc, actor.school) };
  },
  actions: [
    action('retention.export', z.object({}).strict(), async (actor, _d, svc) => {
      await mayView(svc, actor);
      return exportLinkMessage(
        svc,
        actor,
        'retention',
        'Retention register export',
        'the register of what was deleted, and when,',
      );
    }),
  ],
  exports: {
    retention: async (svc, actor) => {
      await mayView(svc, actor);
      const tz = actor.school.timezone;
      const rows = await svc.db.all<{ kind: string; deleted: number; older_than: number; at: number }>(
        'SELECT kind, deleted, older_than, at FROM retention_log WHERE school_id = ? ORDER BY at',
        [actor.school.id],
      );
      return {
        filename: 'retention-register.csv',
        csv: toCsv([
          ['Deleted at', 'Kind', 'Records', 'Older than'],
          ...rows.map((r) => [isoSchoolTime(r.at, tz), r.kind, r.deleted, isoSchoolTime(r.older_than, tz)]),
        ]),
      };
    },
  },
  /** Once a day: every kind of record past its school's period is deleted. */
  async tick(svc) {
    const now = svc.clock.now();
    const all = rules(svc);
    for (const school of svc.config.file.schools) {
      // Marked first: a run that fails part-way is tried again the next day, not every 30 seconds.
      const day = `retention:${school.id}:${schoolDate(now, school.timezone)}`;
      if (!(await once(svc.db, [day], now, async () => undefined))) continue;
      for (const k of Object.keys(school.retention))
        if (!all.some((r) => r.kind === k))
          svc.log.warn(
            { school: school.id, kind: k },
            'retention: the YAML names a kind of record the bot does not keep',
          );
      for (const r of all.filter((x) => !x.shared)) {
        const n = await apply(svc, school, r, daysFor(school, r));
        if (n)
          svc.log.info({ school: school.id, kind: r.kind, deleted: n }, 'retention: deleted records past their period');
      }
    }
    // Tables without a school column.
    for (const r of all.filter((x) => x.shared)) {
      // The shortest period any school keeps them for (each school's own, or the default).
      const days = Math.min(...svc.config.file.schools.map((s) => daysFor(s, r)));
      if (!Number.isFinite(days)) continue;
      const day = `retention:shared:${r.kind}:${schoolDate(now, 'UTC')}`;
      if (await once(svc.db, [day], now, async () => undefined)) await apply(svc, undefined, r, days);
    }
  },
};
