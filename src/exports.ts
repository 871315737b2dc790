import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from './core';
import { forbidden } from './errors';
import type { Flow, Services } from './flows/types';
import { audit } from './store/audit';

const LIFETIME_MS = 15 * 60_000;
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Exports (CSV) are fetched from a one-time link the bot gives in the 1:1 chat: it works once,
 * for 15 minutes, and only the hash of its token is stored. Both the link and the download are
 * audited, and the content is built when it is fetched, for the person who asked.
 */
export async function createExportLink(svc: Services, actor: Actor, kind: string): Promise<string> {
  if (!svc.config.publicUrl)
    throw forbidden("Exports need the bot's public address: ask your IT administrator to set PUBLIC_URL.");
  const token = randomBytes(24).toString('base64url');
  const now = svc.clock.now();
  await svc.db.transaction(async (tx) => {
    await tx.run(
      'INSERT INTO export_links (token_hash, school_id, tenant_id, actor_id, actor_name, kind, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)',
      [hash(token), actor.school.id, actor.tenantId, actor.id, actor.name, kind, now, now + LIFETIME_MS],
    );
    await audit(tx, {
      at: now,
      schoolId: actor.school.id,
      actorId: actor.id,
      action: 'export.link_created',
      subject: kind,
    });
  });
  return `${svc.config.publicUrl.replace(/\/$/, '')}/exports/${token}`;
}

export type ExportResult = { status: 200; filename: string; csv: string } | { status: 404 | 410; message: string };

export async function serveExport(svc: Services, flows: Flow[], token: string): Promise<ExportResult> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return { status: 404, message: 'No such export.' };
  const now = svc.clock.now();
  const row = await svc.db.get<{
    school_id: string;
    tenant_id: string;
    actor_id: string;
    actor_name: string;
    kind: string;
    expires_at: number;
    used_at: number | null;
  }>(
    'SELECT school_id, tenant_id, actor_id, actor_name, kind, expires_at, used_at FROM export_links WHERE token_hash = ?',
    [hash(token)],
  );
  if (!row) return { status: 404, message: 'No such export.' };
  if (row.used_at || row.expires_at < now)
    return { status: 410, message: 'This link has been used or has expired. Ask the bot for a new one.' };
  const claimed = await svc.db.run('UPDATE export_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL', [
    now,
    hash(token),
  ]);
  if (!claimed.changes) return { status: 410, message: 'This link has been used. Ask the bot for a new one.' };
  const school = svc.config.file.schools.find((s) => s.id === row.school_id);
  // A kind may carry what it is about: "personal-data:<person>".
  const [kind = '', arg] = row.kind.split(/:(.*)/s);
  const build = flows.map((f) => f.exports?.[kind]).find(Boolean);
  if (!school || !build) return { status: 404, message: 'No such export.' };
  const actor: Actor = { id: row.actor_id, tenantId: row.tenant_id, name: row.actor_name, school };
  const out = await build(svc, actor, arg);
  await audit(svc.db, {
    at: now,
    schoolId: school.id,
    actorId: actor.id,
    action: 'export.downloaded',
    subject: arg ?? kind,
    detail: arg ? { kind } : {},
  });
  return { status: 200, ...out };
}

/**
 * The card with a one-time download link: `what` is what the CSV holds ("the breach log"), `more`
 * anything the person should know besides (what is in it, that the download is recorded).
 */
export async function exportLinkMessage(
  svc: Services,
  actor: Actor,
  kind: string,
  title: string,
  what: string,
  more = '',
): Promise<{ card: Record<string, unknown> }> {
  const url = await createExportLink(svc, actor, kind);
  return {
    card: svc.cards.render('common/link', {
      title,
      text: `This link downloads ${what} as a CSV file.${more ? ` ${more}` : ''} It works once, for 15 minutes, and only for you.`,
      url,
      button: 'Download CSV',
    }),
  };
}
