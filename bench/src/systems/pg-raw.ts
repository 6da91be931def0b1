import pg from 'pg'
import pgvector from 'pgvector'

/**
 * Hand-written PostgreSQL paths the bench compares vectorkit with: a bare binary `COPY` (the
 * floor for ingest), the usual 500-row text INSERT (`pgvector-naive`), and raw
 * `ORDER BY embedding <=> $1 LIMIT k` queries. Written here, independently of
 * @vectorkit/postgres, so the baselines do not inherit its choices.
 */

/** Creates `schema.table` shaped like a vectorkit collection table (id PK, vector, jsonb + GIN). */
export async function createBareTable(client: pg.ClientBase, schema: string, table: string, dim: number) {
  const t = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`
  await client.query(`create schema if not exists ${pg.escapeIdentifier(schema)}`)
  await client.query(`drop table if exists ${t}`)
  await client.query(
    `create table ${t} (id text collate "C" primary key, embedding vector(${dim}) not null, metadata jsonb)`,
  )
  await client.query(`alter table ${t} alter column embedding set storage main`)
  await client.query(`create index on ${t} using gin (metadata jsonb_path_ops)`)
  return t
}

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')

/**
 * Encodes rows in COPY's binary format: header, then per row the field count and each field as
 * length + bytes (text id; pgvector's binary vector: int16 dim, int16 0, float4 big-endian;
 * jsonb: version byte 1 + JSON text), then the -1 trailer.
 */
export function encodeCopyBinary(
  ids: string[],
  vectors: Float32Array,
  dim: number,
  metadata: string[],
): Buffer {
  const idBufs = ids.map((id) => Buffer.from(id, 'utf8'))
  const metaBufs = metadata.map((m) => Buffer.from(m, 'utf8'))
  let size = COPY_SIGNATURE.length + 8 + 2
  for (let r = 0; r < ids.length; r++)
    size += 2 + 4 + idBufs[r]!.length + 4 + 4 + 4 * dim + 4 + 1 + metaBufs[r]!.length
  const buf = Buffer.allocUnsafe(size)
  let o = COPY_SIGNATURE.copy(buf, 0)
  o = buf.writeInt32BE(0, o)
  o = buf.writeInt32BE(0, o)
  for (let r = 0; r < ids.length; r++) {
    o = buf.writeInt16BE(3, o)
    o = buf.writeInt32BE(idBufs[r]!.length, o)
    o += idBufs[r]!.copy(buf, o)
    o = buf.writeInt32BE(4 + 4 * dim, o)
    o = buf.writeInt16BE(dim, o)
    o = buf.writeInt16BE(0, o)
    // Little-endian float32 bytes copied in bulk, then swapped to network order natively.
    const bytes = new Uint8Array(vectors.buffer, vectors.byteOffset + r * dim * 4, dim * 4)
    buf.set(bytes, o)
    buf.subarray(o, o + dim * 4).swap32()
    o += dim * 4
    o = buf.writeInt32BE(1 + metaBufs[r]!.length, o)
    o = buf.writeUInt8(1, o)
    o += metaBufs[r]!.copy(buf, o)
  }
  buf.writeInt16BE(-1, o)
  return buf
}

/**
 * Runs `COPY … FROM STDIN` with `data` as the whole input. pg has no COPY API of its own; a
 * `pg.Query` whose copy-in handler sends the buffer is the smallest way onto the protocol.
 */
export function copyFrom(client: pg.ClientBase, sqlText: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const q = new pg.Query(sqlText) as pg.Query & {
      handleCopyInResponse(conn: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }): void
    }
    q.handleCopyInResponse = (conn) => {
      conn.sendCopyFromChunk(data)
      conn.endCopyFrom()
    }
    q.on('error', reject)
    q.on('end', () => resolve())
    client.query(q)
  })
}

/** The usual hand-written insert: vectors as text, multi-row VALUES, `rowsPerStatement` rows at a time, no upsert. */
export async function naiveInsert(
  client: pg.ClientBase,
  table: string,
  ids: string[],
  vectors: Float32Array,
  dim: number,
  metadata: string[],
  rowsPerStatement = 500,
): Promise<void> {
  for (let s = 0; s < ids.length; s += rowsPerStatement) {
    const end = Math.min(ids.length, s + rowsPerStatement)
    const values: unknown[] = []
    const tuples: string[] = []
    for (let r = s; r < end; r++) {
      const p = values.length
      tuples.push(`($${p + 1}, $${p + 2}, $${p + 3})`)
      values.push(ids[r], pgvector.toSql(Array.from(vectors.subarray(r * dim, (r + 1) * dim))), metadata[r])
    }
    await client.query(`insert into ${table} (id, embedding, metadata) values ${tuples.join(', ')}`, values)
  }
}

/** pgvector's text form of a query vector, as apps pass it. */
export function vectorParam(v: Float32Array): string {
  return pgvector.toSql(Array.from(v)) as string
}
