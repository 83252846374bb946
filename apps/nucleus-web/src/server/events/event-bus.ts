import { EventEmitter } from 'node:events';

/** What the live views need to know to refetch: which object changed in which team. */
export interface TeamEvent {
  readonly type: 'run.changed' | 'star.changed' | 'job.changed';
  readonly id: string;
}

export interface EventBus {
  publish(teamId: string, event: TeamEvent): void;
  subscribe(teamId: string, listener: (event: TeamEvent) => void): () => void;
}

/**
 * In-process fan-out fed by the services after their transaction commits. It reaches the
 * browsers connected to this process only: with several Nucleus processes, replace it with
 * PostgreSQL LISTEN/NOTIFY behind the same interface.
 */
export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(teamId, event) {
      emitter.emit(teamId, event);
    },
    subscribe(teamId, listener) {
      emitter.on(teamId, listener);
      return () => emitter.off(teamId, listener);
    },
  };
}
