import { AsyncLocalStorage } from 'node:async_hooks'

const callerKeys = new AsyncLocalStorage<string>()

/**
 * Runs `fn` with a caller key: rollout stores route every read made inside it (however deep,
 * across awaits) by this key, so one user consistently reads from one backend while the read
 * percentage is between 0 and 100. Outside any `withCallerKey`, reads are routed at random.
 *
 * @example
 * ```ts
 * app.get('/search', (req, res) =>
 *   withCallerKey(req.user.id, async () => res.json(await docs.search(embed(req.query.q)))))
 * ```
 */
export function withCallerKey<T>(key: string, fn: () => T): T {
  return callerKeys.run(key, fn)
}

/**
 * The caller key set by the innermost {@link withCallerKey}, if any.
 *
 * @example
 * ```ts
 * withCallerKey('user-1', () => currentCallerKey()) // 'user-1'
 * ```
 */
export function currentCallerKey(): string | undefined {
  return callerKeys.getStore()
}
