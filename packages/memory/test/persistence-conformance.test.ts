import { cpSync } from 'node:fs'
import type { VectorStore } from '@vectorkit/core'
import { runConformanceSuite } from '@vectorkit/core/testing'
import { afterAll, expect } from 'vitest'
import { MemoryStore } from '../src/index'
import { dump, tempDirs } from './persistence-helpers'

/**
 * The whole conformance suite through a persistent store: every write of every case goes
 * through the write-ahead log before it is applied, every store is snapshotted on close, and
 * after each close the directory is reopened and must hold exactly what the store held — so
 * any input the contract accepts also survives the log and snapshot codecs.
 */
const dirs = tempDirs()
afterAll(() => {
  dirs.cleanup()
  // The check must have run (the harness drops what each test created).
  expect(verified).toBeGreaterThan(50)
})

async function contents(store: VectorStore) {
  const out: Record<string, unknown> = {}
  for (const info of await store.listCollections()) {
    out[info.name] = { spec: info.spec, records: await dump(await store.collection(info.name)) }
  }
  return out
}

let verified = 0

/**
 * A persistent store whose `dropCollection` first proves the collection survives a crash: the
 * live directory (without its lock) is copied — what a crash would leave, since every
 * acknowledged write has reached the OS — the copy is opened, and it must hold exactly what
 * the store holds. The harness drops every collection a test created, so every test is checked.
 */
async function verifyingStore(): Promise<MemoryStore> {
  const path = dirs.make()
  // Reads of the store and of its copy use one frozen instant, so expiry cannot differ.
  let frozen: number | undefined
  const clock = () => frozen ?? Date.now()
  const store = await MemoryStore.open({ path, fsync: 'never', ttlSweepIntervalMs: 0, clock })
  const drop = store.dropCollection.bind(store)
  store.dropCollection = async (name: string) => {
    frozen = Date.now()
    try {
      const before = await contents(store).catch(() => undefined)
      if (before !== undefined) {
        const copy = dirs.make()
        cpSync(path, copy, { recursive: true, filter: (src) => !src.endsWith('LOCK') })
        const again = await MemoryStore.open({ path: copy, ttlSweepIntervalMs: 0, clock })
        try {
          expect(await contents(again)).toEqual(before)
          verified++
        } finally {
          await again.close()
        }
      }
    } finally {
      frozen = undefined
    }
    return drop(name)
  }
  return store
}

runConformanceSuite('memory (persistent, reopened after every test)', verifyingStore, {
  hnsw: true,
  expectedCapabilities: {
    hnsw: true,
    quantization: true,
    ttl: true,
    persistence: true,
    changeNotifications: false,
  },
})
