import { copyLeader } from './hard-link-placer.ts';

/**
 * Copies `leader` to `target` as a Star does where the two cannot share an inode, in a process
 * whose Deno permissions are scoped to one folder (as a Star's are: Deno then resolves symlinks
 * before it opens a path). `placeHardLink` checks the first name before it copies; this is the
 * copy's own check, for a name swapped in between. Prints the outcome, or the error that refused it.
 */
const [target, leader] = Reflect.get(globalThis, 'Deno').args as string[];
if (target === undefined || leader === undefined)
  throw new Error('usage: scoped-copy-child.ts <target> <leader>');
try {
  await copyLeader(target, leader);
  console.log(JSON.stringify({ outcome: 'copied' }));
} catch (error) {
  console.log(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
}
