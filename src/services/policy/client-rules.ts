import { ALLOW, deny, firstDenial, formatInstant, type Decision } from './decision.ts';
import { jurisdictionCovers } from './jurisdiction.ts';
import type { ClientBan, Policy } from './policy.ts';

/** The parts of a client organisation the rules look at. */
export interface ClientFacts {
  id: string;
  /** Policy keys may name a client by id or by name. */
  name?: string;
  /** law-enforcement, government, ngo, private, ... */
  type: string;
  /** ISO 3166 code, with subdivision where the client is bound to one (US-IL). */
  jurisdiction: string;
}

/** A ban is in force from `from` (inclusive) to `until` (exclusive). */
export function banInForce(ban: ClientBan, at: Date): boolean {
  const t = at.getTime();
  return (ban.from === undefined || t >= ban.from.getTime()) && (ban.until === undefined || t < ban.until.getTime());
}

/** May this client use likeness at this moment? Every protected request of a client asks. */
export function decideClient(policy: Policy, client: ClientFacts, at: Date): Decision {
  const p = policy.clients;
  return firstDenial([
    () => p.allowedTypes === undefined || p.allowedTypes.includes(client.type) ? ALLOW
      : deny('client-type-not-allowed', `client type "${client.type}" is not one of the allowed: ${p.allowedTypes.join(', ')}`),
    () => !p.deniedTypes.includes(client.type) ? ALLOW
      : deny('client-type-denied', `clients of type "${client.type}" are refused`),
    ...p.bans.map((ban) => () => {
      if (!jurisdictionCovers(ban.jurisdiction, client.jurisdiction) || !banInForce(ban, at)) return ALLOW;
      const where = ban.jurisdiction.toUpperCase() === client.jurisdiction.toUpperCase()
        ? client.jurisdiction.toUpperCase()
        : `${client.jurisdiction.toUpperCase()} (within ${ban.jurisdiction})`;
      return deny(ban.id, `client jurisdiction ${where} is excluded${period(ban)}`);
    }),
  ]);
}

function period(ban: ClientBan): string {
  const from = ban.from ? ` from ${formatInstant(ban.from)}` : '';
  const until = ban.until ? ` until ${formatInstant(ban.until)}` : '';
  return from + until;
}

/** The entry of a per-client map that applies: by id, then by name, then `*`. */
export function forClient<T>(map: Readonly<Record<string, T>>, client: Pick<ClientFacts, 'id' | 'name'>): T | undefined {
  if (Object.hasOwn(map, client.id)) return map[client.id];
  if (client.name !== undefined && Object.hasOwn(map, client.name)) return map[client.name];
  return Object.hasOwn(map, '*') ? map['*'] : undefined;
}
