import { OrbitError } from '../errors.ts';
import type { Codec, CodecName } from './codec.ts';
import { noneCodec } from './none-codec.ts';
import { zstdCodec } from './zstd-codec.ts';

const registry: Readonly<Record<CodecName, Codec>> = { none: noneCodec, zstd: zstdCodec };

export const CODECS: readonly Codec[] = Object.values(registry);

export function isCodecName(value: string): value is CodecName {
  return Object.hasOwn(registry, value);
}

export function getCodec(name: CodecName): Codec {
  const codec: Codec | undefined = isCodecName(name) ? registry[name] : undefined;
  if (codec === undefined) {
    throw new OrbitError('INVALID_ARGUMENT', `unknown codec "${String(name)}"`, {
      hint: `use one of ${Object.keys(registry)
        .map((known) => `"${known}"`)
        .join(', ')}`,
    });
  }
  return codec;
}
