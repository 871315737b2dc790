import type { RoleKey, SchoolConfig } from './config';

/** Who is acting: always taken from the authenticated activity, never from card data. */
export interface Actor {
  /** Entra object id. */
  id: string;
  tenantId: string;
  name: string;
  school: SchoolConfig;
}

/** A label and a value shown on a card; the value is user text and is always shown literally. */
export interface Fact {
  label: string;
  value: string;
}

/** What the bot says: plain text or an Adaptive Card (already expanded, as a JSON object). */
export type OutMessage = { text: string; card?: undefined } | { card: Record<string, unknown>; text?: string };

export type { RoleKey, SchoolConfig };
