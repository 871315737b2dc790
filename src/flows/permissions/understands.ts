import type { SchoolConfig } from '../../config';
import type { IntentDef } from '../types';

/**
 * The school's own request types, learnt from what the school wrote about each: its title, its
 * description and the examples in its configuration. A school that adds a request type teaches the
 * bot to recognise it by writing a few sentences in its staff's words.
 */
export function permissionIntents(school: SchoolConfig): IntentDef[] {
  const types = school.requestTypes.map((t) => ({
    id: `permissions.${t.key}`,
    title: t.title,
    offerable: 'beside' as const,
    policyFirst: { topic: `${t.title}. ${t.description}` },
    examples: [
      t.title,
      `I need permission to ${t.title.toLowerCase()}`,
      ...(t.description ? [t.description] : []),
      ...t.examples,
    ],
  }));
  if (!types.length) return [];
  return [
    ...types,
    {
      id: 'permissions.ask',
      title: 'Ask another permission',
      examples: [
        'I need to ask permission for something',
        'what permissions can I ask for',
        'how do I get permission',
        'who do I ask for permission to do something with data',
        'I need approval for something',
        'ask for a permission',
        'request permission',
      ],
    },
  ];
}
