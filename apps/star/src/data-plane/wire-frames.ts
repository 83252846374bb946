import { DataPlaneError } from './data-plane-error.ts';

/** Bumped on any incompatible change to PROTOCOL.md. */
export const PROTOCOL_VERSION = 3;

/** Largest raw chunk a CHUNK frame carries; chunking must cut at most this much. */
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
/** Frame body limit: one maximal chunk plus its CHUNK header, with room to spare. */
export const MAX_FRAME_BODY = MAX_CHUNK_BYTES + 4096;
/** Control frames are small JSON documents; a chunk list of a 64 GiB file at 256 KiB fits easily. */
export const MAX_CONTROL_BODY = 16 * 1024 * 1024;
export const FRAME_HEADER_BYTES = 5;

export const FrameType = {
  hello: 1,
  accept: 2,
  reject: 3,
  fileBegin: 4,
  have: 5,
  chunk: 6,
  ack: 7,
  fileEnd: 8,
  fileOk: 9,
  fileFailed: 10,
  bye: 11,
  ready: 12,
  chunkList: 13,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

const FRAME_NAMES = new Map<number, string>(Object.entries(FrameType).map(([name, type]) => [type, name]));

/** The highest frame type this version knows; anything above it is a protocol error. */
export const LAST_FRAME_TYPE = FrameType.chunkList;

export function frameName(type: number): string {
  return FRAME_NAMES.get(type) ?? `unknown(${type})`;
}

export interface Frame {
  readonly type: FrameType;
  readonly body: Uint8Array;
}

/** `[u32 BE body length][u8 type][body]`. */
export function encodeFrame(type: FrameType, body: Uint8Array): Uint8Array {
  const limit = type === FrameType.chunk ? MAX_FRAME_BODY : MAX_CONTROL_BODY;
  if (body.length > limit) {
    throw new DataPlaneError('protocol', `${frameName(type)} frame of ${body.length} bytes exceeds ${limit}`);
  }
  const frame = new Uint8Array(FRAME_HEADER_BYTES + body.length);
  new DataView(frame.buffer).setUint32(0, body.length);
  frame[4] = type;
  frame.set(body, FRAME_HEADER_BYTES);
  return frame;
}

export function encodeJsonFrame(type: FrameType, message: unknown): Uint8Array {
  return encodeFrame(type, new TextEncoder().encode(JSON.stringify(message)));
}

export function decodeJsonBody(frame: Frame): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(frame.body));
  } catch (cause) {
    throw new DataPlaneError('protocol', `${frameName(frame.type)} frame body is not UTF-8 JSON`, { cause });
  }
}

export const CODEC_IDS = { none: 0, zstd: 1 } as const;
export type WireCodec = keyof typeof CODEC_IDS;

export interface ChunkFrame {
  readonly hash: string;
  readonly codec: WireCodec;
  readonly rawLength: number;
  readonly payload: Uint8Array;
}

/**
 * CHUNK body: `[u8 hash length][hash, ASCII hex][u8 codec][u32 BE raw length][payload]`. Returned
 * as two parts, frame head and payload, so a multi-MiB payload is written without being copied.
 */
export function encodeChunkFrame({
  hash,
  codec,
  rawLength,
  payload,
}: ChunkFrame): readonly [Uint8Array, Uint8Array] {
  const hashBytes = new TextEncoder().encode(hash);
  const bodyHead = 1 + hashBytes.length + 1 + 4;
  const bodyLength = bodyHead + payload.length;
  if (bodyLength > MAX_FRAME_BODY) {
    throw new DataPlaneError('protocol', `CHUNK frame of ${bodyLength} bytes exceeds ${MAX_FRAME_BODY}`);
  }
  const head = new Uint8Array(FRAME_HEADER_BYTES + bodyHead);
  const view = new DataView(head.buffer);
  view.setUint32(0, bodyLength);
  head[4] = FrameType.chunk;
  head[5] = hashBytes.length;
  head.set(hashBytes, 6);
  head[6 + hashBytes.length] = CODEC_IDS[codec];
  view.setUint32(7 + hashBytes.length, rawLength);
  return [head, payload];
}

export function decodeChunkFrame(body: Uint8Array): ChunkFrame {
  const hashLength = body[0] ?? 0;
  const headLength = 1 + hashLength + 1 + 4;
  if (hashLength === 0 || body.length < headLength) {
    throw new DataPlaneError('protocol', `CHUNK frame of ${body.length} bytes is too short for its header`);
  }
  const hash = new TextDecoder().decode(body.subarray(1, 1 + hashLength));
  const codecId = body[1 + hashLength];
  const codec = codecId === CODEC_IDS.none ? 'none' : codecId === CODEC_IDS.zstd ? 'zstd' : undefined;
  if (codec === undefined) throw new DataPlaneError('protocol', `CHUNK frame names unknown codec ${codecId}`);
  const rawLength = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(2 + hashLength);
  if (rawLength > MAX_CHUNK_BYTES) {
    throw new DataPlaneError('protocol', `CHUNK frame raw length ${rawLength} exceeds ${MAX_CHUNK_BYTES}`);
  }
  return { hash, codec, rawLength, payload: body.subarray(headLength) };
}

/**
 * In a streamed file, a chunk whose hash was already sent for that file goes again with an empty
 * payload: the receiver copies it from where it wrote it first.
 */
export function repeatOf(chunk: { readonly hash: string; readonly length: number }): ChunkFrame {
  return { hash: chunk.hash, codec: 'none', rawLength: chunk.length, payload: new Uint8Array(0) };
}

export function isRepeat(frame: ChunkFrame): boolean {
  return frame.codec === 'none' && frame.payload.length === 0 && frame.rawLength > 0;
}
