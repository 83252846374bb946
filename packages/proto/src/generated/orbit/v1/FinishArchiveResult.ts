// Original file: proto/orbit/v1/orbit.proto


/**
 * FinishArchive's answer.
 */
export interface FinishArchiveResult {
  /**
   * The snapshot written; empty before the last batch.
   */
  'snapshotId'?: (string);
  /**
   * Files recorded in the snapshot.
   */
  'files'?: (number);
  /**
   * Chunks in the store that this run's files refer to.
   */
  'chunks'?: (number);
}

/**
 * FinishArchive's answer.
 */
export interface FinishArchiveResult__Output {
  /**
   * The snapshot written; empty before the last batch.
   */
  'snapshotId': (string);
  /**
   * Files recorded in the snapshot.
   */
  'files': (number);
  /**
   * Chunks in the store that this run's files refer to.
   */
  'chunks': (number);
}
