import type { SchoolConfig } from '../../config';
import { PolicyLibrary } from './library';
import { audit } from '../../store/audit';
import { type Services } from '../types';

/**
 * The school's policies, loaded once per process from the files the configuration names. Each
 * load records the document's version (its content hash); a changed document is noticed.
 */
/** The school's policies when something has loaded them already (never starts a load: see `policyLibrary`). */
export function loadedPolicyLibrary(svc: Services, school: SchoolConfig): Promise<PolicyLibrary> | undefined {
  return svc.memory.map<Promise<PolicyLibrary>>('policy.libraries').get(school.id);
}

export function policyLibrary(svc: Services, school: SchoolConfig): Promise<PolicyLibrary> {
  const m = svc.memory.map<Promise<PolicyLibrary>>('policy.libraries');
  let p = m.get(school.id);
  if (!p) {
    p = (async () => {
      const lib = await PolicyLibrary.forSchool(school, svc.config.configDir);
      const now = svc.clock.now();
      for (const doc of lib.policies) {
        const known = await svc.db.get<{ hash: string }>(
          'SELECT hash FROM policy_versions WHERE school_id = ? AND policy_id = ? ORDER BY imported_at DESC LIMIT 1',
          [school.id, doc.id],
        );
        if (known?.hash === doc.hash) continue;
        await svc.db.run(
          'INSERT INTO policy_versions (school_id, policy_id, hash, title, sections, imported_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
          [school.id, doc.id, doc.hash, doc.title, doc.sections.length, now],
        );
        await audit(svc.db, {
          at: now,
          schoolId: school.id,
          actorId: 'system',
          action: known ? 'policy.changed' : 'policy.imported',
          subject: doc.id,
          detail: { hash: doc.hash, sections: doc.sections.length },
        });
        svc.log.info(
          { school: school.id, policy: doc.id, hash: doc.hash, sections: doc.sections.length, changed: Boolean(known) },
          'policy imported',
        );
      }
      return lib;
    })();
    p.catch(() => m!.delete(school.id));
    m.set(school.id, p);
  }
  return p;
}
