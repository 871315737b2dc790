import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor, OutMessage } from '../core';
import { AppError } from '../errors';
import { requesterCard } from '../approvals/views';
import type { Services } from './types';

/**
 * What a form submit may carry before the request type's strict schema looks at it: the form's id
 * and flat input values. Anything else (nested objects, arrays) is refused here.
 */
export const FormSubmit = z
  .object({ formId: z.string().uuid() })
  .catchall(z.union([z.string().max(4000), z.boolean(), z.number()]));

export const newFormId = () => randomUUID();

/** Empty strings from untouched inputs count as "not given". */
export function dropEmpty(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([k, v]) => k !== 'formId' && v !== '' && v !== undefined));
}

/**
 * Submits a form to the approval engine. Bad input returns the same form, filled in as the person
 * left it, with the problem on top: nothing they typed is lost and nothing is stored.
 */
export async function submitForm(
  actor: Actor,
  svc: Services,
  typeKey: string,
  data: z.infer<typeof FormSubmit>,
  form: (values: Record<string, unknown>, error: string) => OutMessage,
  labels: Record<string, string> = {},
): Promise<OutMessage> {
  try {
    const { request, created } = await svc.approvals.submit(actor, typeKey, data.formId, dropEmpty(data), labels);
    const type = svc.approvals.type(actor.school, typeKey);
    return {
      card: requesterCard(svc.cards, actor.school, type, request, {
        forRequester: true,
        headline: created ? `Sent: your reference is ${request.ref}` : `Already sent: your reference is ${request.ref}`,
        lines: ['You will get a message here when someone decides. Type "my requests" to see where it is.'],
      }),
    };
  } catch (err) {
    if (err instanceof AppError && err.code === 'bad_input') return form({ ...data }, err.userMessage);
    throw err;
  }
}

/** The keys of a label map, as the tuple z.enum wants: `z.enum(keysOf({ yes: 'Yes', no: 'No' }))`. */
export const keysOf = <T extends Record<string, string>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

const splitList = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : v;

/** A multi-select input: Teams sends "a,b,c"; stored as an array of known values, at least one. */
export const multiSelect = <T extends [string, ...string[]]>(values: T, message: string) =>
  z.preprocess(splitList, z.array(z.enum(values)).min(1, message).max(values.length));

/** A multi-select whose choices each school configures: the flow checks the values against them. */
export const multiPick = (message: string, max = 12) =>
  z.preprocess(splitList, z.array(z.string().max(40)).min(1, message).max(max));
