/**
 * `npm run package`: writes the Teams app package (appPackage.zip: manifest.json and the two icons
 * at the root), after checking the manifest offline against the schema bundled in
 * @microsoft/app-manifest. Reads MicrosoftAppId and PUBLIC_URL from the environment, and the
 * privacy and terms URLs from the school YAML (SCHOOL_CONFIG, or the example school).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ManifestUtil } from '@microsoft/app-manifest';
import { parseSchoolsFile, EXAMPLE_CONFIG } from '../src/config';
import { zip } from '../src/zip';
import { colorIcon, outlineIcon } from './icons';
import { allFlows } from '../src/flows/registry';
import type { Flow } from '../src/flows/types';

const ROOT = path.join(__dirname, '..');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MANIFEST_TEMPLATE = path.join(ROOT, 'manifest', 'manifest.json');
const SCHEMA = require.resolve('@microsoft/app-manifest/build/json-schemas/teams/v1.24/MicrosoftTeams.schema.json');

export class PackageError extends Error {}

/** The manifest with the placeholders filled; every problem is listed. */
export function fillManifest(
  env: Record<string, string | undefined>,
  template = readFileSync(MANIFEST_TEMPLATE, 'utf8'),
): Record<string, unknown> {
  const problems: string[] = [];
  const appId = env.MicrosoftAppId ?? '';
  if (!GUID.test(appId)) problems.push("MicrosoftAppId must be the bot's Entra app id (a GUID)");
  let url: URL | undefined;
  try {
    url = new URL(env.PUBLIC_URL ?? '');
    if (url.protocol !== 'https:') problems.push('PUBLIC_URL must be an https:// address Teams can reach');
  } catch {
    problems.push('PUBLIC_URL must be the https:// address the bot is reached at');
  }
  const yaml = parseSchoolsFile(
    readFileSync(env.SCHOOL_CONFIG ?? EXAMPLE_CONFIG, 'utf8'),
    env.SCHOOL_CONFIG ?? EXAMPLE_CONFIG,
  );
  const privacy = yaml.app.privacyUrl ?? '';
  const terms = yaml.app.termsUrl ?? '';
  if (!privacy.startsWith('https://')) problems.push('app.privacyUrl in the school YAML must be an https:// address');
  if (!terms.startsWith('https://')) problems.push('app.termsUrl in the school YAML must be an https:// address');
  if (problems.length) throw new PackageError(`Cannot package the app:\n  - ${problems.join('\n  - ')}`);
  const values: Record<string, string> = {
    MicrosoftAppId: appId,
    PUBLIC_URL: url!.origin,
    PUBLIC_HOST: url!.host,
    privacyUrl: privacy,
    termsUrl: terms,
  };
  const manifest = JSON.parse(template.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => values[k] ?? `{{${k}}}`)) as {
    bots?: Array<{ commandLists?: unknown[] }>;
  };
  for (const bot of manifest.bots ?? []) bot.commandLists = [{ scopes: ['personal'], commands: manifestCommands() }];
  return manifest as Record<string, unknown>;
}

/**
 * The commands Teams suggests in the 1:1 chat, from the flows themselves (each menu flow by its
 * first command and its menu description), so a new flow is listed without editing the manifest.
 * Teams shows at most ten.
 */
export function manifestCommands(flows: Flow[] = allFlows()): Array<{ title: string; description: string }> {
  return [
    { title: 'help', description: 'Show what I can do' },
    ...flows.filter((f) => f.menu).map((f) => ({ title: f.commands[0]!, description: f.menu!.description })),
  ].slice(0, 10);
}

export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
  return ManifestUtil.validateManifestAgainstSchema(manifest as never, schema);
}

export async function buildPackage(env: Record<string, string | undefined>): Promise<Buffer> {
  const manifest = fillManifest(env);
  const errors = await validateManifest(manifest);
  if (errors.length)
    throw new PackageError(`The manifest does not match the Teams schema:\n  - ${errors.join('\n  - ')}`);
  return zip([
    { name: 'manifest.json', data: JSON.stringify(manifest, null, 2) },
    { name: 'color.png', data: colorIcon() },
    { name: 'outline.png', data: outlineIcon() },
  ]);
}

if (require.main === module) {
  buildPackage(process.env).then(
    (buf) => {
      const out = path.join(ROOT, 'dist');
      mkdirSync(out, { recursive: true });
      writeFileSync(path.join(out, 'appPackage.zip'), buf);
      console.log(
        `Wrote ${path.relative(process.cwd(), path.join(out, 'appPackage.zip'))} (${buf.length} bytes): manifest valid against the Teams v1.24 schema.`,
      );
    },
    (err) => {
      console.error(err instanceof PackageError ? err.message : err);
      process.exit(1);
    },
  );
}
