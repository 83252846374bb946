import { type Action, can, PERMISSIONS, type Role } from '../auth/permissions.ts';
import type { Db } from '../db/create-db.ts';
import { Forbidden } from '../errors.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { StarGateway } from './stars/star-gateway.ts';

/** Who is acting, as recorded in the audit log. */
export interface Actor {
  readonly type: 'user' | 'token' | 'star' | 'system';
  readonly id: string | null;
  /** A human-readable name: email, token name, Star name. */
  readonly label: string;
}

export interface RequestMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** What every service verb receives: the database, the audit key, who acts and from where. */
export interface ServiceContext {
  readonly db: Db;
  readonly auditKey: string;
  readonly events: EventBus;
  readonly actor: Actor;
  readonly meta: RequestMeta;
  /** The Nucleus' public URL, for links and commands shown to users. */
  readonly publicUrl: string;
  /** Connected Stars, or null when the grid is not running. */
  readonly stars: StarGateway | null;
}

export interface TeamRef {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

/** A service context inside one team, with the caller's role in it already loaded. */
export interface TeamContext extends ServiceContext {
  readonly team: TeamRef;
  readonly role: Role;
  /** The signed-in user, or the user who created the API token acting. */
  readonly userId: string;
}

/** Services call this first; the refusal names the role needed so the caller knows what to ask for. */
export function authorize(ctx: TeamContext, action: Action): void {
  if (!can(ctx.role, action)) {
    throw new Forbidden(`Your role (${ctx.role}) cannot ${action}: it needs ${PERMISSIONS[action]} or above`);
  }
}
