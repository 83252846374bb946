import { describe, expect, it } from 'vitest';
import { OrbitError } from '../errors.ts';
import { parseManifest } from './parse-manifest.ts';

const file = '/work/orbit.manifest.toml';
const job = '[[job]]\nname = "a"\nsource = "/s"\ndestination = "/d"\nmode = "archive"\n';

describe('byte sizes in manifests', () => {
  it('accepts plain bytes and unit strings for pack_size and chunking', () => {
    const manifest = parseManifest(
      `[defaults]\npack_size = "128MiB"\n[defaults.chunking]\nmin = "64KiB"\navg = 262144\nmax = "1MiB"\n${job}pack_size = "2KiB"\n`,
      { file, env: {} },
    );
    expect(manifest.defaults.packSize).toBe(128 * 2 ** 20);
    expect(manifest.defaults.chunking).toEqual({ minSize: 65_536, avgSize: 262_144, maxSize: 1_048_576 });
    expect(manifest.jobs[0]?.packSize).toBe(2048);
  });

  it('names the key, the line and the accepted forms for a bad size', () => {
    const error = (() => {
      try {
        parseManifest(`[defaults]\npack_size = "12 parsecs"\n${job}`, { file, env: {} });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(OrbitError);
    const text = (error as OrbitError).format();
    expect(text).toContain(`${file}:2:1: defaults.pack_size: "12 parsecs" is not a size`);
    expect(text).toContain('"64MiB"');
  });
});
