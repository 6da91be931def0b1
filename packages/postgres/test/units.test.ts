import { parseFilter } from '@vectorkit/core'
import { describe, expect, it } from 'vitest'
import { beginWithSettings } from '../src/executor'
import { classifyPgError, filterToSql, isConnectionPoisoned, mapPgError, tableNameFor } from '../src/index'
import { compile } from '../src/sql-compiler'

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code })

describe('error mapping by SQLSTATE', () => {
  it.each([
    ['57014', 'TIMEOUT'],
    ['55P03', 'TIMEOUT'],
    ['08006', 'CONNECTION'],
    ['57P01', 'CONNECTION'],
    ['53300', 'CONNECTION'],
    ['42P01', 'NOT_FOUND'],
    ['23505', 'CONFLICT'],
    ['40P01', 'CONFLICT'],
    ['22P02', 'VALIDATION'],
    ['53100', 'RESOURCE_EXHAUSTED'],
    ['XX001', 'CORRUPT_DATA'],
    ['42601', 'INTERNAL'],
  ])('%s -> %s', (state, code) => {
    expect(classifyPgError(pgError(state))).toBe(code)
  })

  it('vector size errors become DIMENSION_MISMATCH; socket and client timeouts are classified', () => {
    expect(classifyPgError(pgError('22000', 'expected 3 dimensions, not 2'))).toBe('DIMENSION_MISMATCH')
    expect(classifyPgError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      'CONNECTION',
    )
    expect(classifyPgError(new Error('Query read timeout'))).toBe('TIMEOUT')
    expect(classifyPgError(new Error('Connection terminated unexpectedly'))).toBe('CONNECTION')
  })

  it('keeps the driver error as cause and the SQLSTATE in details', () => {
    const cause = pgError('57014', 'canceling statement due to statement timeout')
    const e = mapPgError(cause, 'search')
    expect(e.code).toBe('TIMEOUT')
    expect(e.cause).toBe(cause)
    expect(e.details).toEqual({ sqlstate: '57014' })
    expect(e.message).toContain('postgres search failed')
  })

  it('poisons connections only for connection failures and client-side timeouts', () => {
    expect(isConnectionPoisoned(pgError('57014'))).toBe(false)
    expect(isConnectionPoisoned(new Error('Query read timeout'))).toBe(true)
    expect(isConnectionPoisoned(pgError('57P01'))).toBe(true)
    expect(isConnectionPoisoned(pgError('23505'))).toBe(false)
  })
})

describe('table names', () => {
  it('are at most 58 bytes (room for index suffixes), readable, and distinct for distinct names', () => {
    const names = [
      'docs',
      'Docs',
      'user-42_memories',
      '日本語',
      'é'.repeat(64),
      `${'a'.repeat(127)}b`,
      `${'a'.repeat(127)}c`,
    ]
    const tables = names.map(tableNameFor)
    expect(new Set(tables).size).toBe(names.length)
    for (const t of tables) {
      expect(Buffer.byteLength(t)).toBeLessThanOrEqual(58)
      expect(t).toMatch(/^c_[a-z0-9_]*_[0-9a-f]{12}$/)
    }
    expect(tableNameFor('user-42_memories')).toMatch(/^c_user_42_memories_/)
  })

  it('refuse invalid collection names with VALIDATION', () => {
    for (const bad of ['x"; DROP TABLE t; --', "a'--", '../a', '', 'a'.repeat(129), 'has space'])
      expect(() => tableNameFor(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
  })
})

describe('filter translation', () => {
  it('binds every key and value as a parameter', () => {
    const hostileKey = `k'); drop table t; --`
    const hostileValue = `v'); drop table t; --`
    const st = compile(
      filterToSql(
        parseFilter({
          [hostileKey]: hostileValue,
          n: { $gt: 3, $in: [1, 'x'] },
          $or: [{ a: null }, { b: { $exists: false } }],
        }),
      ),
    )
    expect(st.sql).not.toContain('drop table')
    expect(st.parameters).toContain(hostileKey)
    expect(st.parameters).toContain(JSON.stringify(hostileValue))
    expect(st.sql).toMatch(/\$\d+::text/)
  })

  it('$in: [] is false and {} is true, without touching the table', () => {
    expect(compile(filterToSql(parseFilter({ k: { $in: [] } }))).sql).toBe('false')
    expect(compile(filterToSql(parseFilter({}))).sql).toBe('true')
  })
})

describe('transaction settings', () => {
  it('BEGIN and set_config(…, true) go out as one message with escaped literals', () => {
    expect(beginWithSettings({})).toEqual({ sql: 'begin', parameters: [] })
    const st = beginWithSettings({ 'hnsw.ef_search': '100', odd: "a'b" })
    expect(st.sql).toBe(
      "begin; select set_config('hnsw.ef_search', '100', true), set_config('odd', 'a''b', true)",
    )
    expect(st.parameters).toEqual([])
  })
})
