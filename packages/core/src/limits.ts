/**
 * Hard limits, the same on every backend. Inputs beyond them get a `VALIDATION` error.
 *
 * | limit | value |
 * | --- | --- |
 * | `minDimensions`–`maxDimensions` | 1–16,000 |
 * | `maxIdBytes` | 512 bytes of UTF-8 per id |
 * | `maxCollectionNameBytes` | 128 bytes of UTF-8 per collection name |
 * | `maxK` | 10,000 hits per search |
 * | `maxMetadataBytes` | 65,536 bytes of JSON per record's metadata |
 * | `maxMetadataDepth` | 32 levels of nesting |
 * | `maxExcludeIds` | 10,000 ids per search |
 */
export const LIMITS = {
  minDimensions: 1,
  maxDimensions: 16_000,
  maxIdBytes: 512,
  maxCollectionNameBytes: 128,
  maxK: 10_000,
  maxMetadataBytes: 65_536,
  maxMetadataDepth: 32,
  maxExcludeIds: 10_000,
  maxBatchSize: 10_000,
} as const

/**
 * The pattern of collection names: a letter or digit, then letters, digits, `_` or `-`
 * (Unicode letters and digits allowed, NFC only), at most 128 bytes of UTF-8.
 * Names are case-sensitive. No dots, slashes, spaces or quotes, so a name is safe as a file
 * name and maps to a safe SQL identifier.
 */
export const COLLECTION_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}_-]*$/u

/** HNSW presets, identical on the memory and PostgreSQL backends. */
export const HNSW_PROFILES = {
  speed: { m: 16, efConstruction: 64, efSearch: 40 },
  balanced: { m: 16, efConstruction: 64, efSearch: 100 },
  quality: { m: 16, efConstruction: 100, efSearch: 200 },
} as const
