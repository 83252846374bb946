import { symlinkSupport } from './symlink-placer.ts';

/**
 * Places one symlink the way a Star does, in a process whose Deno permissions are scoped to one
 * folder (as a Star's are). Prints what Deno's own symlink call said, then what the placer did.
 */
const [root, name, target] = Reflect.get(globalThis, 'Deno').args as string[];
if (root === undefined || name === undefined || target === undefined)
  throw new Error('usage: scoped-placer-child.ts <root> <name> <target>');
const denoSymlink = Reflect.get(globalThis, 'Deno').symlinkSync as (target: string, path: string) => void;
let deno = 'created';
try {
  denoSymlink(target, `${root}/deno-${name}`);
} catch (error) {
  deno = error instanceof Error ? error.name : String(error);
}
const support = symlinkSupport();
if ('unavailable' in support) throw new Error(support.unavailable);
const placed = await support.placer.place({
  rootReal: root,
  folders: [],
  name,
  target,
  mtimeMs: Date.UTC(2023, 4, 5, 6, 7, 8),
});
console.log(JSON.stringify({ deno, placed }));
