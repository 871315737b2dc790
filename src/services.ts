import { allSchemas } from './store/open';
import { ApprovalEngine } from './approvals/engine';
import { CardRenderer } from './cards/render';
import type { Clock } from './clock';
import type { AppConfig } from './config';
import { Memory, type Flow, type Services } from './flows/types';
import { allFlows } from './flows/registry';
import { Directory } from './identity/directory';
import type { Logger } from './log';
import { Dispatcher, type Connector, type DispatcherOptions } from './outbox/dispatcher';
import type { Db } from './store/db';
import { BotConnector } from './teams/connector';
import { JobRunner } from './jobs/runner';
import { configuredType } from './flows/permissions';
import { Understanding } from './understanding';

export interface AppDeps {
  config: AppConfig;
  db: Db;
  clock: Clock;
  log: Logger;
  /** Tests inject a fake; production talks to the Bot Connector. */
  connector?: Connector;
  dispatcher?: Partial<DispatcherOptions>;
  flows?: Flow[];
  /** Local trial: everyone who talks to the bot holds every role. Defaults to local mode. */
  everyoneHoldsEveryRole?: boolean;
}

/**
 * Wires everything but the Teams endpoint: the store, people, the approval engine, the flows, the
 * outbox and the jobs. It loads neither botbuilder nor teams-ai, so a worker process that only
 * runs the jobs and delivers the outbox (`npm run worker`) stays small.
 */
export function buildServices(deps: AppDeps) {
  const { config, db, clock, log } = deps;
  const connector = deps.connector ?? new BotConnector(config.credentials);
  const directory = new Directory(
    db,
    deps.everyoneHoldsEveryRole ?? config.mode === 'local',
    connector.member?.bind(connector),
    () => clock.now(),
  );
  const dispatcher = new Dispatcher(db, connector, directory, clock, log, {
    giveUpAfterMs: config.deliveryGiveUpMs,
    claimMs: config.outboxClaimMs,
    ...deps.dispatcher,
  });
  const cards = new CardRenderer();
  const deliver = () => dispatcher.kick();
  const approvals = new ApprovalEngine(db, directory, cards, clock, deliver);
  const flows = deps.flows ?? allFlows();
  const svc: Services = {
    config,
    db,
    clock,
    log,
    cards,
    directory,
    approvals,
    understanding: new Understanding(flows, log),
    schemas: allSchemas(),
    flows,
    memory: new Memory(),
    deliver,
    teamMembers: connector.teamMembers?.bind(connector),
  };
  for (const school of config.file.schools) {
    for (const f of flows)
      for (const t of f.requestTypes?.(svc, school) ?? []) approvals.registerForSchool(school.id, t);
    for (const t of school.requestTypes) approvals.registerForSchool(school.id, configuredType(t));
  }
  const jobs = new JobRunner(svc, flows);
  return { svc, dispatcher, jobs, flows, connector };
}
