import { createHash } from 'node:crypto';
import process from 'node:process';
import { openCodePageTrim } from './code-pages.ts';

/**
 * Trims the deno executable's code pages in a process with a Star's scoped permissions, then runs
 * code again. Prints the RSS before and after the trim, the KiB trimmed and a hash computed after.
 */
// Touch some of what a Star runs (TLS, HTTP/2, hashing) so there is code to trim.
await import('node:http2');
await import('node:tls');
const opened = openCodePageTrim();
if (!('trim' in opened)) throw new Error(opened.unavailable);
const before = process.memoryUsage().rss;
const trimmedKiB = opened.trim();
const after = process.memoryUsage().rss;
// The code it needs faults back in: the process goes on working.
const hash = createHash('sha256').update('orbit').digest('hex');
console.log(JSON.stringify({ before, after, trimmedKiB, hash }));
