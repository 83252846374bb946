/** Next calls this once per server process; the database and first admin are ready before requests. */
export async function register(): Promise<void> {
  // Inline check (not env.ts) so Next can drop the Node-only boot from the edge bundle.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { bootNucleus } = await import('./server/boot/boot-nucleus.ts');
  const { serverEnv } = await import('./server/env.ts');
  const booted = await bootNucleus(serverEnv());
  // Close the embedded database cleanly, then let the signal end the process as usual.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void booted.stop().finally(() => process.kill(process.pid, signal));
    });
  }
}
