import type { z } from 'zod';
import type { SchoolConfig, StageConfig } from '../config';
import type { Fact } from '../core';
import type { Db } from '../store/db';

/**
 * A kind of request the approval engine routes: software, a personal device, or one a school
 * defines in its YAML. Adding one means a definition like this and nothing in the engine.
 */
export interface RequestTypeDef {
  key: string;
  title: string;
  /** Two to four capital letters that start its references, e.g. "SW". */
  refPrefix: string;
  /** Strict schema of what the requester submits; its output is what is stored. */
  schema: z.ZodType<Record<string, unknown>, z.ZodTypeDef, unknown>;
  /** The route when the school does not configure one. */
  defaultStages: StageConfig[];
  /** What approvers and the requester see, in order. Values are user text, shown literally. */
  facts(data: Record<string, unknown>): Fact[];
  /** One line naming the request in lists, e.g. "Zoom on Class 3 laptops". */
  summary(data: Record<string, unknown>): string;
  /**
   * What the school's policy says about this particular request that both the requester and the
   * approvers must see (a personal stick for pupil data; pupils' photos on a personal phone).
   */
  warnings?(data: Record<string, unknown>): string[];
  /**
   * What the school's policy forbids outright in these answers (a personal stick for pupil data,
   * pupils' photos on a personal phone): each the rule and what to do instead. The form is refused
   * with them and nothing is sent.
   */
  refusals?(data: Record<string, unknown>, school: SchoolConfig): string[];
  /** Reminders for approvers (e.g. that a data protection impact assessment may be needed). */
  approverNotes?(data: Record<string, unknown>): string[];
  /** Runs inside the transaction that approves the last stage (registers, follow-up tasks). */
  onApproved?(
    tx: Db,
    request: RequestRecord,
    ctx: { now: number; school: SchoolConfig; conditions: string[] },
  ): Promise<void>;
}

/**
 * A request type whose answers are typed: `S` is what its schema outputs, which is what is stored
 * and what every hook receives.
 */
export interface RequestTypeSpec<S extends Record<string, unknown>> {
  key: string;
  title: string;
  refPrefix: string;
  schema: z.ZodType<S, z.ZodTypeDef, unknown>;
  defaultStages: StageConfig[];
  facts(data: S): Fact[];
  summary(data: S): string;
  warnings?(data: S): string[];
  refusals?(data: S, school: SchoolConfig): string[];
  approverNotes?(data: S): string[];
  onApproved?(
    tx: Db,
    request: Omit<RequestRecord, 'data'> & { data: S },
    ctx: { now: number; school: SchoolConfig; conditions: string[] },
  ): Promise<void>;
}

/**
 * Declares a request type with typed answers. The engine hands each hook only data its own schema
 * parsed (at submission, and as stored from it), which is why this one widening is sound.
 */
export function defineRequestType<S extends Record<string, unknown>>(spec: RequestTypeSpec<S>): RequestTypeDef {
  return spec as unknown as RequestTypeDef;
}

export type RequestStatus = 'pending' | 'info_requested' | 'approved' | 'denied' | 'withdrawn';
export type StageStatus = 'waiting' | 'pending' | 'approved' | 'denied' | 'cancelled';

export interface StageRecord {
  idx: number;
  name: string;
  roles: string[];
  escalateTo: string[];
  status: StageStatus;
  startedAt: number | null;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: number | null;
  reason: string | null;
  remindedAt: number | null;
  escalatedAt: number | null;
}

export interface NoteRecord {
  at: number;
  authorId: string;
  authorName: string;
  kind: 'question' | 'answer' | 'condition';
  text: string;
}

export interface RequestRecord {
  id: string;
  schoolId: string;
  type: string;
  ref: string;
  requesterId: string;
  requesterName: string;
  status: RequestStatus;
  stageIndex: number;
  data: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  version: number;
  stages: StageRecord[];
  notes: NoteRecord[];
}
