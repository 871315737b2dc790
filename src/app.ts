import { buildServices, type AppDeps } from './services';
import { createAdapter, TeamsBot } from './teams/bot';

export type { AppDeps } from './services';

/** Wires the parts together, with the Teams endpoint. Nothing here does work: main.ts and the tests start it. */
export function buildApp(deps: AppDeps) {
  const core = buildServices(deps);
  const bot = new TeamsBot(deps.config, createAdapter(deps.config), core.svc, core.flows, core.connector);
  return { ...core, bot };
}

export type BuiltApp = ReturnType<typeof buildApp>;
