import { z } from 'zod';
import { RoleKey } from './roles';

export const Condition = z.union([
  z.object({ field: z.string(), equals: z.union([z.string(), z.boolean(), z.number()]) }).strict(),
  z.object({ field: z.string(), in: z.array(z.string()).min(1) }).strict(),
  z.object({ field: z.string(), includesAny: z.array(z.string()).min(1) }).strict(),
]);
export type Condition = z.infer<typeof Condition>;

export const Stage = z
  .object({
    name: z.string().min(1).max(80),
    roles: z.array(RoleKey).min(1),
    when: Condition.optional(),
    /** Roles added when nobody decides in time. */
    escalateTo: z.array(RoleKey).optional(),
  })
  .strict();
export type StageConfig = z.infer<typeof Stage>;

export const Route = z.object({ stages: z.array(Stage).min(1) }).strict();
export type RouteConfig = z.infer<typeof Route>;

export const FieldId = z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'must be a short camelCase name');
export const Field = z
  .object({
    id: FieldId,
    label: z.string().min(1).max(120),
    kind: z.enum(['text', 'choice', 'yesno', 'date']),
    required: z.boolean().default(true),
    multiline: z.boolean().default(false),
    choices: z
      .array(z.object({ value: z.string().min(1).max(60), title: z.string().min(1).max(120) }).strict())
      .optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.kind === 'choice' && !f.choices?.length) {
      ctx.addIssue({ code: 'custom', message: 'a choice field needs a list of choices', path: ['choices'] });
    }
    if (f.kind !== 'choice' && f.choices) {
      ctx.addIssue({
        code: 'custom',
        message: `only a choice field has choices (this one is ${f.kind})`,
        path: ['choices'],
      });
    }
  });
export type FieldConfig = z.infer<typeof Field>;

export const RequestTypeConfig = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be lower-case letters, digits and dashes'),
    title: z.string().min(1).max(80),
    description: z.string().max(400).default(''),
    /** How staff might ask for it in their own words: the bot learns this request from them. */
    examples: z.array(z.string().min(3).max(200)).max(60).default([]),
    /**
     * What a message must name to be this request at all, however like its examples the rest of it
     * is: one of these words or phrases, or a thing of one of these kinds (`country`: any country
     * but the UK; `app`, `device`, `pupil`, `class`). Sending data abroad needs somewhere abroad:
     * "sent to her personal email" is not that request, though it shares its examples' words.
     */
    needs: z
      .object({
        words: z.array(z.string().trim().min(2).max(60)).max(40).default([]),
        entities: z.array(z.enum(['country', 'app', 'device', 'pupil', 'class'])).default([]),
      })
      .strict()
      .refine((n) => n.words.length + n.entities.length > 0, 'name at least one word or kind of thing')
      .optional(),
    refPrefix: z.string().regex(/^[A-Z]{2,4}$/, 'must be 2 to 4 capital letters'),
    fields: z.array(Field).min(1).max(12),
    stages: z.array(Stage).min(1),
    /** What the policy says when a request's answers meet every condition, shown to requester and approvers. */
    warnings: z
      .array(z.object({ when: z.array(Condition).min(1), text: z.string().min(1).max(400) }).strict())
      .default([]),
    /**
     * Answers the school's policy forbids: when every condition holds the form is refused with the
     * text (the rule, and what to do instead), and nothing is sent.
     */
    refuse: z
      .array(z.object({ when: z.array(Condition).min(1), text: z.string().min(1).max(400) }).strict())
      .default([]),
  })
  .strict()
  .superRefine((t, ctx) => {
    const ids = new Set<string>();
    t.fields.forEach((f, i) => {
      if (ids.has(f.id))
        ctx.addIssue({ code: 'custom', message: `field id "${f.id}" is used twice`, path: ['fields', i, 'id'] });
      ids.add(f.id);
    });
    for (const [list, rules] of [
      ['warnings', t.warnings],
      ['refuse', t.refuse],
    ] as const)
      rules.forEach((r, i) =>
        r.when.forEach((c, j) => {
          if (!ids.has(c.field))
            ctx.addIssue({
              code: 'custom',
              message: `condition refers to a field "${c.field}" this request type does not ask`,
              path: [list, i, 'when', j, 'field'],
            });
        }),
      );
    t.stages.forEach((s, i) => {
      if (s.when && !ids.has(s.when.field)) {
        ctx.addIssue({
          code: 'custom',
          message: `condition refers to a field "${s.when.field}" this request type does not ask`,
          path: ['stages', i, 'when', 'field'],
        });
      }
    });
  });
export type RequestTypeConfig = z.infer<typeof RequestTypeConfig>;

/**
 * What staff may ask to use a personal device for, when the school does not say. A school whose
 * policy keeps pupils' photos off personal phones marks `photos` with `refuse` (or leaves it out).
 */
export const DEFAULT_DEVICE_USES = [
  { value: 'email', title: 'School email' },
  { value: 'mis', title: 'MIS and school systems' },
  { value: 'documents', title: 'School documents' },
  { value: 'photos', title: 'Photos on a trip or event' },
];
