/** The part of the WebAssembly API used here (the engine compiles without DOM types). */
type SharedMemory = new (size: {
  initial: number;
  maximum: number;
  shared: true;
}) => {
  readonly buffer: SharedArrayBuffer;
};
const WASM_PAGE = 64 * 1024;

/**
 * `count` blocks in one shared WebAssembly memory: shared, so the cutting worker reads them in
 * place, and page-aligned (a plain SharedArrayBuffer is not), so a direct writer can write them as
 * they are (direct-writer.ts).
 */
export function sharedBlocks(count: number, size: number): Uint8Array[] {
  const stride = Math.ceil(size / WASM_PAGE) * WASM_PAGE;
  const pages = (stride * count) / WASM_PAGE;
  const Memory = Reflect.get(Reflect.get(globalThis, 'WebAssembly') as object, 'Memory') as SharedMemory;
  const { buffer } = new Memory({ initial: pages, maximum: pages, shared: true });
  return Array.from({ length: count }, (_, index) => new Uint8Array(buffer, index * stride, size));
}
