import type { ModuleSchema } from '../../store/schema';

/** Personal devices approved for school work. */
export const DEVICE_SCHEMA: ModuleSchema = {
  module: 'device',
  retention: [
    {
      kind: 'devices',
      about: 'Personal devices whose school data has been removed',
      table: 'device_register',
      from: 'removed_at',
      when: 'removed_at IS NOT NULL',
      defaultDays: 365,
      basis: 'A year after the school data was removed from the device.',
    },
  ],
  personal: [
    {
      table: 'device_register',
      about: 'A personal device approved for them',
      columns: ['owner_id'],
      at: 'approved_at',
      erase: { keep: 'the register of devices allowed school data, until its retention period ends' },
    },
  ],
  steps: [
    {
      legacy: 5,
      sql: `
  CREATE TABLE device_register (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    request_id TEXT NOT NULL UNIQUE,
    ref TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    owner_name TEXT NOT NULL,
    device TEXT NOT NULL,
    uses TEXT NOT NULL,
    approved_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    configured_at BIGINT,
    configured_by_name TEXT,
    removed_at BIGINT
  );
  CREATE INDEX device_register_school ON device_register (school_id, expires_at);
  `,
    },
  ],
};
