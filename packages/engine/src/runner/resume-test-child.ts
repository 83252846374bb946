import { writeFileSync } from 'node:fs';
import { loadManifest } from '../manifest/load-manifest.ts';
import { runManifest } from './run-manifest.ts';

/**
 * Test helper run as a child process by `run-resume.test.ts`: runs a manifest and freezes for good
 * (until the test SIGKILLs it) once `freezeAfter` bytes of `freezeOn` went through, i.e. mid-file.
 */
const [manifestPath, freezeOn, freezeAfter, markerPath] = process.argv.slice(2);
if (!manifestPath || !freezeOn || !freezeAfter || !markerPath) {
  throw new Error('usage: resume-test-child.ts <manifest> <path-to-freeze-on> <bytes> <marker-file>');
}
let done = 0;
const manifest = await loadManifest(manifestPath, { env: {} });
await runManifest(manifest, {
  auditLogPath: false,
  checkpointBytes: 1024 * 1024,
  onProgress: (event) => {
    if (event.type !== 'bytes' || event.path !== freezeOn) return;
    done += event.read;
    if (done < Number(freezeAfter)) return;
    writeFileSync(markerPath, String(done));
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
});
