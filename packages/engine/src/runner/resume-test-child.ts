import { writeFileSync } from 'node:fs';
import { loadManifest } from '../manifest/load-manifest.ts';
import { runManifest } from './run-manifest.ts';

/**
 * Test helper run as a child process by `run-resume.test.ts`: runs a manifest and freezes for good
 * (until the test SIGKILLs it) once the second read of `freezeOn` begins, i.e. mid-file.
 */
const [manifestPath, freezeOn, markerPath] = process.argv.slice(2);
if (!manifestPath || !freezeOn || !markerPath) {
  throw new Error('usage: resume-test-child.ts <manifest> <path-to-freeze-on> <marker-file>');
}
let reads = 0;
const manifest = await loadManifest(manifestPath, { env: {} });
await runManifest(manifest, {
  auditLogPath: false,
  checkpointBytes: 1024 * 1024,
  onProgress: (event) => {
    if (event.type !== 'bytes' || event.path !== freezeOn) return;
    reads++;
    if (reads < 2) return;
    writeFileSync(markerPath, String(reads));
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
});
