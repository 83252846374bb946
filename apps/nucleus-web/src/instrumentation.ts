/** Next calls this once per server process; the database and first admin are ready before requests. */
export async function register(): Promise<void> {
  // Inline check (not env.ts) so Next can drop the Node-only boot from the edge bundle.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { registerNucleus } = await import('./server/boot/register-nucleus.ts');
  await registerNucleus();
}
