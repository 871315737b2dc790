import { formatSchoolTime } from '../../clock';
import type { RequestRecord } from '../../approvals/types';
import type { Db } from '../../store/db';
import { devicesText } from './index';

export interface RegisterEntry {
  name: string;
  devices: string;
  ref: string;
  approved_at: number;
  conditions: string;
}

export const normaliseName = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** The register of approved software: the written permission, naming software and devices. */
export async function addToRegister(tx: Db, r: RequestRecord, now: number, conditions: string[]): Promise<void> {
  const d = r.data as { name: string; devices: 'named'; deviceNames?: string };
  await tx.run(
    `INSERT INTO software_register (school_id, name_key, name, devices, request_id, ref, approved_at, conditions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.schoolId, normaliseName(d.name), d.name, devicesText(d), r.id, r.ref, now, conditions.join('; ')],
  );
}

export async function findApproved(db: Db, schoolId: string, name: string): Promise<RegisterEntry | undefined> {
  const key = normaliseName(name);
  if (key.length < 2) return undefined;
  return db.get<RegisterEntry>(
    `SELECT name, devices, ref, approved_at, conditions FROM software_register
     WHERE school_id = ? AND (name_key = ? OR name_key LIKE ?) ORDER BY approved_at DESC LIMIT 1`,
    [schoolId, key, `${key} %`],
  );
}

export function softwareRegisterLine(e: RegisterEntry, tz: string): string {
  return `Yes: ${e.name} is approved for ${e.devices.toLowerCase()} (${e.ref}, ${formatSchoolTime(e.approved_at, tz)})${e.conditions ? `, on condition that: ${e.conditions}` : ''}. For other devices, ask with "install software".`;
}
