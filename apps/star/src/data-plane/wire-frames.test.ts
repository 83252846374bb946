import { describe, expect, it } from 'vitest';
import {
  decodeChunkFrame,
  decodeJsonBody,
  encodeChunkFrame,
  encodeJsonFrame,
  FRAME_HEADER_BYTES,
  FrameType,
  MAX_CHUNK_BYTES,
  MAX_FRAME_BODY,
} from './wire-frames.ts';

function joined(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

describe('wire frames', () => {
  it('lays out a JSON frame as length, type, body', () => {
    const frame = encodeJsonFrame(FrameType.ack, { bytes: 5 });
    const body = new TextEncoder().encode('{"bytes":5}');
    expect(Array.from(frame.subarray(0, FRAME_HEADER_BYTES))).toEqual([0, 0, 0, body.length, FrameType.ack]);
    expect(decodeJsonBody({ type: FrameType.ack, body: frame.subarray(FRAME_HEADER_BYTES) })).toEqual({
      bytes: 5,
    });
  });

  it('round-trips a CHUNK frame', () => {
    const payload = Uint8Array.from([9, 8, 7, 6]);
    const frame = joined(encodeChunkFrame({ hash: 'c0ffee', codec: 'zstd', rawLength: 4096, payload }));
    const length = new DataView(frame.buffer).getUint32(0);
    expect(frame[4]).toBe(FrameType.chunk);
    expect(length).toBe(frame.length - FRAME_HEADER_BYTES);
    expect(decodeChunkFrame(frame.subarray(FRAME_HEADER_BYTES))).toEqual({
      hash: 'c0ffee',
      codec: 'zstd',
      rawLength: 4096,
      payload,
    });
  });

  it('refuses oversized and malformed CHUNK frames', () => {
    const tooBig = new Uint8Array(MAX_FRAME_BODY);
    expect(() => encodeChunkFrame({ hash: 'aa', codec: 'none', rawLength: 1, payload: tooBig })).toThrow(
      /exceeds/,
    );
    expect(() => decodeChunkFrame(Uint8Array.from([4, 97, 98]))).toThrow(/too short/);
    const badCodec = joined(
      encodeChunkFrame({ hash: 'aa', codec: 'none', rawLength: 1, payload: new Uint8Array(1) }),
    );
    badCodec[FRAME_HEADER_BYTES + 3] = 9;
    expect(() => decodeChunkFrame(badCodec.subarray(FRAME_HEADER_BYTES))).toThrow(/unknown codec 9/);
    const huge = joined(
      encodeChunkFrame({
        hash: 'aa',
        codec: 'none',
        rawLength: MAX_CHUNK_BYTES + 1,
        payload: new Uint8Array(1),
      }),
    );
    expect(() => decodeChunkFrame(huge.subarray(FRAME_HEADER_BYTES))).toThrow(/raw length/);
  });
});
