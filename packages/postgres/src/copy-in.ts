import type { PgPoolClientLike } from './options'

/** The part of pg's `Connection` a COPY FROM STDIN needs. */
interface CopyConnection {
  query(text: string): void
  sendCopyFromChunk(chunk: Buffer): void
  endCopyFrom(): void
}

// Large COPY payloads go out in bounded CopyData messages so one batch never builds a single
// multi-megabyte protocol frame.
const CHUNK_BYTES = 1 << 20

/**
 * A pg "submittable": pg's client hands it the wire connection and routes the protocol
 * messages of the query to it. This is the documented extension point that pg-cursor and
 * pg-copy-streams use; vectorkit needs only the buffered, one-shot form of COPY FROM STDIN.
 */
class CopyFromBufferQuery {
  callback: ((err: Error | null, rowCount?: number) => void) | undefined
  private rowCount = 0
  private failed: Error | undefined

  constructor(
    private readonly text: string,
    private readonly data: Buffer,
  ) {}

  submit(connection: CopyConnection): void {
    connection.query(this.text)
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (let off = 0; off < this.data.length; off += CHUNK_BYTES) {
      connection.sendCopyFromChunk(this.data.subarray(off, Math.min(off + CHUNK_BYTES, this.data.length)))
    }
    connection.endCopyFrom()
  }

  handleCommandComplete(msg: { text?: string }): void {
    const m = /^COPY (\d+)/.exec(msg.text ?? '')
    if (m) this.rowCount = Number(m[1])
  }

  handleReadyForQuery(): void {
    const cb = this.callback
    this.callback = undefined
    if (this.failed) cb?.(this.failed)
    else cb?.(null, this.rowCount)
  }

  // pg clears the active query before calling this, so no ReadyForQuery reaches us afterwards.
  handleError(err: Error): void {
    this.failed = err
    const cb = this.callback
    this.callback = undefined
    cb?.(err)
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/**
 * Runs `COPY ... FROM STDIN (FORMAT binary)` on a raw pg client, sending `data` (a complete
 * binary COPY stream) and resolving with the number of rows copied.
 *
 * @example
 * ```ts
 * const n = await copyFromBuffer(client, 'copy "s"."t" (id, embedding) from stdin (format binary)', encoded)
 * ```
 */
export function copyFromBuffer(client: PgPoolClientLike, copySql: string, data: Buffer): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const q = new CopyFromBufferQuery(copySql, data)
    q.callback = (err, n) => (err ? reject(err) : resolve(n ?? 0))
    ;(client as unknown as { query(q: unknown): unknown }).query(q)
  })
}
