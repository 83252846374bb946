import type { Db } from '../db/create-db.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { GridHub } from '../grid/grid-hub.ts';

/** What every dispatcher step needs: the database, the grid, the live-update bus and the keys. */
export interface DispatchDeps {
  readonly prisma: Db;
  readonly hub: GridHub;
  readonly events?: EventBus;
  readonly auditKey: string;
  /** The grid CA's private key: data-plane tickets are signed with it. */
  readonly caKey: CryptoKey;
  readonly log: (message: string) => void;
}
