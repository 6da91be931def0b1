import { validationError } from '@vectorkit/core'
import type { VectorStoreConfig } from './config'

/**
 * Turns a store URL into a config:
 *
 * | URL | store |
 * | --- | --- |
 * | `memory:` | in-process memory, nothing persisted |
 * | `memory:./data`, `memory:/var/lib/vk`, `memory://./data` | memory, persisted in that directory |
 * | `postgres://user@host:5432/db`, `postgresql://…` | PostgreSQL (the URL is the connection string) |
 * | `postgres://…/db?schema=vk2` | PostgreSQL, vectorkit's tables in schema `vk2` (the parameter is not sent to the server) |
 *
 * @example
 * ```ts
 * parseStoreUrl('memory:./data')       // { backend: 'memory', path: './data' }
 * parseStoreUrl('postgres://db/app')   // { backend: 'postgres', databaseUrl: 'postgres://db/app' }
 * ```
 */
export function parseStoreUrl(url: string): VectorStoreConfig {
  if (typeof url !== 'string' || url.trim() === '')
    throw validationError('a store URL must be a non-empty string such as memory:./data or postgres://…')
  const u = url.trim()
  if (/^postgres(ql)?:\/\//i.test(u)) return parsePostgresUrl(u)
  if (/^memory:/i.test(u)) {
    let path = u.slice('memory:'.length)
    if (path.startsWith('//')) path = path.slice(2)
    return path === '' ? { backend: 'memory' } : { backend: 'memory', path }
  }
  throw validationError(
    `store URL ${JSON.stringify(redactUrl(u))} is not understood; use memory: (in-process), memory:./dir (persisted) or postgres://user@host/db`,
  )
}

/**
 * A store URL safe to print: the password of a `postgres://` URL is replaced by `***`.
 *
 * @example
 * ```ts
 * redactUrl('postgres://app:s3cret@db/app') // 'postgres://app:***@db/app'
 * ```
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@')
}

function parsePostgresUrl(u: string): VectorStoreConfig {
  let url: URL
  try {
    url = new URL(u)
  } catch (err) {
    throw validationError(`store URL ${JSON.stringify(redactUrl(u))} is not a valid URL`, {
      cause: String(err),
    })
  }
  const schema = url.searchParams.get('schema')
  if (schema === null) return { backend: 'postgres', databaseUrl: u }
  url.searchParams.delete('schema')
  return { backend: 'postgres', databaseUrl: url.toString(), postgres: { schema } }
}
