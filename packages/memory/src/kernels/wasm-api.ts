/**
 * The part of the WebAssembly JavaScript API this package uses, typed locally: the
 * workspace compiles against `lib: ES2023` without DOM, and @types/node 20 declares no
 * `WebAssembly` global. A real `WebAssembly.Memory` satisfies {@link WasmMemory}.
 *
 * @example
 * ```ts
 * const memory: WasmMemory = new (webAssembly().Memory)({ initial: 1, maximum: 16 })
 * ```
 */
export interface WasmMemory {
  /** The current buffer; replaced (and the old one detached) by every successful grow. */
  readonly buffer: ArrayBuffer
  /** Grows by `pages` 64 KiB pages, returns the previous size in pages; throws RangeError. */
  grow(pages: number): number
}

/** An opaque compiled module. */
export type WasmModule = object

/** Constructors and functions of the global `WebAssembly` object that are used here. */
export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory
  Module: new (bytes: Uint8Array) => WasmModule
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => { readonly exports: Record<string, unknown> }
  validate(bytes: Uint8Array): boolean
}

/** The runtime's `WebAssembly` object; throws a clear error where there is none. */
export function webAssembly(): WasmApi {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly
  if (api === undefined) throw new Error('@vectorkit/memory needs WebAssembly, which this runtime lacks')
  return api
}

/** Whether the runtime has a `WebAssembly` object at all. */
export function hasWebAssembly(): boolean {
  return typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === 'object'
}
