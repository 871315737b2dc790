import { z } from 'zod';
import type { FieldConfig, RequestTypeConfig, SchoolConfig } from '../../config';
import { defineRequestType, type RequestTypeDef } from '../../approvals/types';
import { conditionHolds } from '../../approvals/conditions';
import { notFound } from '../../errors';
import { FormSubmit, newFormId, submitForm } from '../forms';
import { permissionIntents, spotCountries } from './understands';

import { action, type Flow, type Services } from '../types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The strict schema of one field a school configured. */
function fieldSchema(f: FieldConfig): z.ZodTypeAny {
  let s: z.ZodTypeAny;
  switch (f.kind) {
    case 'text':
      s = z
        .string()
        .trim()
        .min(1, 'please fill this in')
        .max(f.multiline ? 2000 : 300);
      break;
    case 'choice':
      s = z.enum(f.choices!.map((c) => c.value) as [string, ...string[]], { message: 'pick one of the choices' });
      break;
    case 'yesno':
      s = z.enum(['yes', 'no'], { message: 'answer yes or no' }).transform((v) => v === 'yes');
      break;
    case 'date':
      s = z.string().regex(DATE, 'must be a date');
      break;
  }
  return f.required ? s : s.optional();
}

function display(f: FieldConfig, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (f.kind === 'yesno') return v ? 'Yes' : 'No';
  if (f.kind === 'choice') return f.choices!.find((c) => c.value === v)?.title ?? String(v);
  return String(v);
}

/** Turns a request type from the school's YAML into one the approval engine routes. */
export function configuredType(t: RequestTypeConfig): RequestTypeDef {
  const shape = Object.fromEntries(t.fields.map((f) => [f.id, fieldSchema(f)]));
  const first = t.fields.find((f) => f.kind === 'text') ?? t.fields[0]!;
  // The fields are the school's: the answers are known only as a record of them.
  return defineRequestType<Record<string, unknown>>({
    key: t.key,
    title: t.title,
    refPrefix: t.refPrefix,
    schema: z.object(shape).strict(),
    defaultStages: t.stages,
    facts: (d) => t.fields.map((f) => ({ label: f.label, value: display(f, d[f.id]) })),
    summary: (d) => `${t.title}: ${display(first, d[first.id]).slice(0, 60)}`,
    warnings: (d) => t.warnings.filter((w) => w.when.every((c) => conditionHolds(c, d))).map((w) => w.text),
    refusals: (d) => t.refuse.filter((w) => w.when.every((c) => conditionHolds(c, d))).map((w) => w.text),
  });
}

/**
 * What they wrote, so it is not typed again: in the form's first free-text field (the school puts
 * its main question first: what to carry and why, who receives it), to correct before sending.
 */
function theirWords(type: { fields: FieldConfig[] }, text: string): Record<string, string> {
  const first = type.fields.find((f) => f.kind === 'text');
  const said = text.trim().slice(0, first?.multiline ? 2000 : 300);
  return first && said ? { [first.id]: said } : {};
}

function form(
  svc: Services,
  school: SchoolConfig,
  key: string,
  values: Record<string, unknown>,
  error = '',
): Record<string, unknown> {
  const t = school.requestTypes.find((x) => x.key === key);
  if (!t) throw notFound('That kind of request is not set up for your school. Type "menu" to see what is.');
  return svc.cards.render('permissions/request', {
    title: t.title,
    description: t.description,
    error,
    requestType: t.key,
    formId: (values.formId as string) || newFormId(),
    fields: t.fields.map((f) => ({
      id: f.id,
      label: f.label,
      kind: f.kind,
      required: f.required,
      multiline: f.multiline,
      choices: f.choices ?? [],
      value: values[f.id] === undefined ? '' : String(values[f.id]),
    })),
  });
}

/** The permissions a school defines in its YAML (USB sticks, data off site, data outside the UK, …). */
export const permissionsFlow: Flow = {
  id: 'permissions',
  menu: {
    title: 'Ask another permission',
    description: 'USB sticks, taking data home and the other permissions your school asks for',
  },
  commands: ['ask permission', 'other permissions', 'permissions', 'permission'],
  async start(actor, svc) {
    const types = actor.school.requestTypes;
    return {
      card: svc.cards.render('permissions/pick', {
        heading: 'Which permission do you need?',
        empty: 'Your school has not set up any other permissions.',
        items: types.map((t) => ({ key: t.key, title: t.title, description: t.description })),
      }),
    };
  },
  understands: (school) => permissionIntents(school),
  spot: (_actor, text) => spotCountries(text),
  /**
   * "I need to take the reports home on a memory stick": that request's form; a general ask lists
   * them. ("Can I use a USB stick?" is answered from the policy first, with the request offered
   * beside the answer: see `policyFirst` in understands.ts.)
   */
  async onIntent(actor, u, svc) {
    const key = u.intent.slice('permissions.'.length);
    const type = actor.school.requestTypes.find((t) => t.key === key);
    if (!type) return permissionsFlow.start!(actor, svc);
    return { card: form(svc, actor.school, key, theirWords(type, u.text)) };
  },
  actions: [
    action(
      'permissions.form',
      z.object({ requestType: z.string().max(40), text: z.string().max(2000).optional() }).strict(),
      async (actor, d, svc) => {
        const type = actor.school.requestTypes.find((t) => t.key === d.requestType);
        return { card: form(svc, actor.school, d.requestType, type ? theirWords(type, d.text ?? '') : {}) };
      },
    ),
    action('permissions.submit', FormSubmit, async (actor, data, svc) => {
      const key = String(data.requestType ?? '');
      if (!actor.school.requestTypes.some((t) => t.key === key))
        throw notFound('That kind of request is not set up for your school. Type "menu" to see what is.');
      const { requestType: _omit, ...rest } = data;
      const labels = Object.fromEntries(
        actor.school.requestTypes.find((t) => t.key === key)!.fields.map((f) => [f.id, f.label]),
      );
      return submitForm(
        actor,
        svc,
        key,
        rest as typeof data,
        (v, e) => ({ card: form(svc, actor.school, key, v, e) }),
        labels,
      );
    }),
  ],
};
