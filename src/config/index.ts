import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PROJECT_ROOT } from '../paths';
import { AppError } from '../errors';
import { SchoolsFile } from './school';

export * from './roles';
export * from './requests';
export * from './school';

const Env = z.object({
  BOT_MODE: z.enum(['production', 'local']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().optional(),
  SCHOOL_CONFIG: z.string().optional(),
  DATA_DIR: z.string().default('data'),
  DATABASE_URL: z.string().optional(),
  MicrosoftAppId: z.string().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppType: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).optional(),
  MicrosoftAppTenantId: z.string().optional(),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  JOB_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  RUN_JOBS: z.enum(['true', 'false']).default('true'),
  /** How long a message the Bot Connector could not take is tried again before it is reported as failed. */
  DELIVERY_GIVE_UP_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(72),
  /** How long an instance's claim on an outgoing message lasts unless renewed (a stopped instance's sends are taken over after it). */
  OUTBOX_CLAIM_SECONDS: z.coerce.number().min(1).max(600).default(60),
  /** The OpenID document of the channel's signing keys: only for a sovereign cloud (or a test). */
  BOT_OPENID_METADATA_URL: z.string().url().optional(),
  PUBLIC_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: z.string().optional(),
  /** Set for Azure OpenAI (then OPENAI_BASE_URL is the deployment's URL and the key goes in `api-key`). */
  OPENAI_API_VERSION: z.string().optional(),
});

export interface BotCredentials {
  appId: string;
  appType: 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string;
  password?: string;
}

export interface AppConfig {
  mode: 'production' | 'local';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  bodyLimitBytes: number;
  /** An optional language model that phrases policy answers from the passages found; off unless configured. */
  llm?: { apiKey: string; baseUrl: string; model: string; apiVersion?: string };
  /** Where people's browsers reach the bot, for one-time export links. */
  publicUrl?: string;
  jobIntervalMs: number;
  /** False on web instances when `npm run worker` runs the scheduled jobs. */
  runJobs: boolean;
  credentials?: BotCredentials;
  /** Where the channel's signing keys are published, when not the public cloud's. */
  openIdMetadataUrl?: string;
  /** How long an undelivered message is tried again. */
  deliveryGiveUpMs: number;
  outboxClaimMs: number;
  schoolConfigPath: string;
  file: SchoolsFile;
  /** Where relative paths in the school YAML are resolved from. */
  configDir: string;
}

export const EXAMPLE_CONFIG = path.join(PROJECT_ROOT, 'config', 'example-school.yaml');

function formatIssues(prefix: string, issues: z.ZodIssue[]): string[] {
  return issues.map((i) => `${prefix}${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
}

/** Parses and checks a school YAML text; every problem is listed with its path. */
export function parseSchoolsFile(text: string, source: string): SchoolsFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new AppError('config_invalid', `${source} is not valid YAML: ${(err as Error).message}`);
  }
  const parsed = SchoolsFile.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(
      'config_invalid',
      [`${source} has ${parsed.error.issues.length} problem(s):`, ...formatIssues('  - ', parsed.error.issues)].join(
        '\n',
      ),
    );
  }
  return parsed.data;
}

/**
 * Loads the whole configuration from the environment and the school YAML. Production refuses to
 * start without Bot Framework credentials; local mode (asked for explicitly) runs without them.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const e = Env.safeParse(env);
  if (!e.success)
    throw new AppError(
      'config_invalid',
      ['The environment has problems:', ...formatIssues('  - ', e.error.issues)].join('\n'),
    );
  const v = e.data;
  const local = v.BOT_MODE === 'local';

  let credentials: BotCredentials | undefined;
  if (!local) {
    const missing: string[] = [];
    if (!v.MicrosoftAppId) missing.push('MicrosoftAppId');
    if (!v.MicrosoftAppType) missing.push('MicrosoftAppType (SingleTenant or UserAssignedMSI)');
    if (!v.MicrosoftAppTenantId) missing.push('MicrosoftAppTenantId');
    if (v.MicrosoftAppType === 'MultiTenant')
      problems.push('MicrosoftAppType MultiTenant is not supported: use SingleTenant or UserAssignedMSI');
    if (v.MicrosoftAppType !== 'UserAssignedMSI' && !v.MicrosoftAppPassword)
      missing.push('MicrosoftAppPassword (needed unless MicrosoftAppType is UserAssignedMSI)');
    if (!v.SCHOOL_CONFIG) missing.push('SCHOOL_CONFIG (path of the school YAML)');
    if (missing.length)
      problems.push(
        `Production mode needs: ${missing.join(', ')}. For a local trial without credentials run "npm run dev".`,
      );
    else if (v.MicrosoftAppType !== 'MultiTenant') {
      credentials = {
        appId: v.MicrosoftAppId!,
        appType: v.MicrosoftAppType!,
        tenantId: v.MicrosoftAppTenantId!,
        password: v.MicrosoftAppPassword,
      };
    }
  }

  const schoolConfigPath = path.resolve(v.SCHOOL_CONFIG ?? EXAMPLE_CONFIG);
  let file: SchoolsFile | undefined;
  try {
    file = parseSchoolsFile(readFileSync(schoolConfigPath, 'utf8'), schoolConfigPath);
  } catch (err) {
    if (err instanceof AppError) problems.push(err.userMessage);
    else problems.push(`cannot read the school configuration ${schoolConfigPath}: ${(err as Error).message}`);
  }
  if (problems.length || !file) throw new AppError('config_invalid', problems.join('\n'));

  return {
    mode: v.BOT_MODE,
    port: v.PORT,
    // Without authentication the endpoint must never be reachable from another machine.
    host: local ? '127.0.0.1' : (v.HOST ?? '0.0.0.0'),
    dataDir: path.resolve(v.DATA_DIR),
    databaseUrl: v.DATABASE_URL,
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    publicUrl: v.PUBLIC_URL ?? (local ? `http://127.0.0.1:${v.PORT}` : undefined),
    llm: v.OPENAI_API_KEY
      ? {
          apiKey: v.OPENAI_API_KEY,
          baseUrl: v.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
          model: v.OPENAI_MODEL ?? 'gpt-4o-mini',
          apiVersion: v.OPENAI_API_VERSION,
        }
      : undefined,
    jobIntervalMs: v.JOB_INTERVAL_MS,
    runJobs: v.RUN_JOBS === 'true',
    credentials,
    openIdMetadataUrl: v.BOT_OPENID_METADATA_URL,
    deliveryGiveUpMs: v.DELIVERY_GIVE_UP_HOURS * 3600_000,
    outboxClaimMs: v.OUTBOX_CLAIM_SECONDS * 1000,
    schoolConfigPath,
    file,
    configDir: path.dirname(schoolConfigPath),
  };
}
