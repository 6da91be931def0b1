export {
  createRolloutStore,
  createVectorStore,
  rolloutOf,
  type ShadowReadSample,
  withCallerKey,
} from '../../src/index'
export { stickyBucket as stickyBucketForTest } from '../../src/util/overlap'
