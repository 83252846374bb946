import type { Db } from '../db/create-db.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { GridHub } from '../grid/grid-hub.ts';
import type { LeaseFence } from './lease-fence.ts';

/** What every dispatcher step needs: the database, the grid, the live-update bus and the keys. */
export interface DispatchDeps {
  readonly prisma: Db;
  readonly hub: GridHub;
  readonly events?: EventBus;
  readonly auditKey: string;
  /** The grid CA's private key: data-plane tickets are signed with it. */
  readonly caKey: CryptoKey;
  /** How long a data-plane ticket is valid. */
  readonly ticketTtlMs: number;
  readonly log: (message: string) => void;
  /** The lease term these steps run under: every write checks its epoch (`fencedWrite`). */
  readonly fence: LeaseFence;
}
