import type { ServiceContext } from '../services/service-context.ts';

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

/** Everything a procedure starts from: the services' base context and the signed-in user, if any. */
export interface TrpcContext {
  readonly base: Omit<ServiceContext, 'actor'>;
  readonly user: SessionUser | null;
}
