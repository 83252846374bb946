import { serverEnv } from '../env.ts';
import { bootNucleus } from './boot-nucleus.ts';

/** The Node-only half of instrumentation: boot, then close the embedded database cleanly on signals. */
export async function registerNucleus(): Promise<void> {
  const booted = await bootNucleus(serverEnv());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void booted.stop().finally(() => process.kill(process.pid, signal));
    });
  }
}
