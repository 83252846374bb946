// Original file: proto/orbit/v1/orbit.proto

/**
 * Why a command failed. Values equal the gRPC status codes so a result maps onto one without a table.
 */
export const ErrorCode = {
  /**
   * Not an error; never sent in a CommandError.
   */
  ERROR_CODE_UNSPECIFIED: 'ERROR_CODE_UNSPECIFIED',
  /**
   * The command was cancelled (Cancel, Drain deadline, or the Star shutting down).
   */
  ERROR_CODE_CANCELLED: 'ERROR_CODE_CANCELLED',
  /**
   * A failure the Star could not classify; the message says what happened.
   */
  ERROR_CODE_UNKNOWN: 'ERROR_CODE_UNKNOWN',
  /**
   * The command's arguments are invalid (bad range, unknown algorithm, malformed ticket).
   */
  ERROR_CODE_INVALID_ARGUMENT: 'ERROR_CODE_INVALID_ARGUMENT',
  /**
   * The command's deadline passed before it finished.
   */
  ERROR_CODE_DEADLINE_EXCEEDED: 'ERROR_CODE_DEADLINE_EXCEEDED',
  /**
   * The path (or the command id to cancel) does not exist.
   */
  ERROR_CODE_NOT_FOUND: 'ERROR_CODE_NOT_FOUND',
  /**
   * The destination already exists and the command must not overwrite it.
   */
  ERROR_CODE_ALREADY_EXISTS: 'ERROR_CODE_ALREADY_EXISTS',
  /**
   * The path jail refused the path (outside the allowed roots, a write under a read-only root,
   * a symlink leaving its root) or a ticket does not authorise the operation.
   */
  ERROR_CODE_PERMISSION_DENIED: 'ERROR_CODE_PERMISSION_DENIED',
  /**
   * Out of disk space, file handles or transfer slots.
   */
  ERROR_CODE_RESOURCE_EXHAUSTED: 'ERROR_CODE_RESOURCE_EXHAUSTED',
  /**
   * The Star is not in a state to run the command (draining, receive not prepared).
   */
  ERROR_CODE_FAILED_PRECONDITION: 'ERROR_CODE_FAILED_PRECONDITION',
  /**
   * The command lost a race (the file changed while it was read); retrying may succeed.
   */
  ERROR_CODE_ABORTED: 'ERROR_CODE_ABORTED',
  /**
   * An offset or length lies past the end of the file.
   */
  ERROR_CODE_OUT_OF_RANGE: 'ERROR_CODE_OUT_OF_RANGE',
  /**
   * This Star's version does not implement the command.
   */
  ERROR_CODE_UNIMPLEMENTED: 'ERROR_CODE_UNIMPLEMENTED',
  /**
   * A bug in the Star.
   */
  ERROR_CODE_INTERNAL: 'ERROR_CODE_INTERNAL',
  /**
   * The peer Star or the disk was unreachable; retrying later may succeed.
   */
  ERROR_CODE_UNAVAILABLE: 'ERROR_CODE_UNAVAILABLE',
  /**
   * Data was corrupted: a checksum did not match after transfer or on disk.
   */
  ERROR_CODE_DATA_LOSS: 'ERROR_CODE_DATA_LOSS',
  /**
   * The peer did not accept this Star's credentials on the data plane.
   */
  ERROR_CODE_UNAUTHENTICATED: 'ERROR_CODE_UNAUTHENTICATED',
} as const;

/**
 * Why a command failed. Values equal the gRPC status codes so a result maps onto one without a table.
 */
export type ErrorCode =
  /**
   * Not an error; never sent in a CommandError.
   */
  | 'ERROR_CODE_UNSPECIFIED'
  | 0
  /**
   * The command was cancelled (Cancel, Drain deadline, or the Star shutting down).
   */
  | 'ERROR_CODE_CANCELLED'
  | 1
  /**
   * A failure the Star could not classify; the message says what happened.
   */
  | 'ERROR_CODE_UNKNOWN'
  | 2
  /**
   * The command's arguments are invalid (bad range, unknown algorithm, malformed ticket).
   */
  | 'ERROR_CODE_INVALID_ARGUMENT'
  | 3
  /**
   * The command's deadline passed before it finished.
   */
  | 'ERROR_CODE_DEADLINE_EXCEEDED'
  | 4
  /**
   * The path (or the command id to cancel) does not exist.
   */
  | 'ERROR_CODE_NOT_FOUND'
  | 5
  /**
   * The destination already exists and the command must not overwrite it.
   */
  | 'ERROR_CODE_ALREADY_EXISTS'
  | 6
  /**
   * The path jail refused the path (outside the allowed roots, a write under a read-only root,
   * a symlink leaving its root) or a ticket does not authorise the operation.
   */
  | 'ERROR_CODE_PERMISSION_DENIED'
  | 7
  /**
   * Out of disk space, file handles or transfer slots.
   */
  | 'ERROR_CODE_RESOURCE_EXHAUSTED'
  | 8
  /**
   * The Star is not in a state to run the command (draining, receive not prepared).
   */
  | 'ERROR_CODE_FAILED_PRECONDITION'
  | 9
  /**
   * The command lost a race (the file changed while it was read); retrying may succeed.
   */
  | 'ERROR_CODE_ABORTED'
  | 10
  /**
   * An offset or length lies past the end of the file.
   */
  | 'ERROR_CODE_OUT_OF_RANGE'
  | 11
  /**
   * This Star's version does not implement the command.
   */
  | 'ERROR_CODE_UNIMPLEMENTED'
  | 12
  /**
   * A bug in the Star.
   */
  | 'ERROR_CODE_INTERNAL'
  | 13
  /**
   * The peer Star or the disk was unreachable; retrying later may succeed.
   */
  | 'ERROR_CODE_UNAVAILABLE'
  | 14
  /**
   * Data was corrupted: a checksum did not match after transfer or on disk.
   */
  | 'ERROR_CODE_DATA_LOSS'
  | 15
  /**
   * The peer did not accept this Star's credentials on the data plane.
   */
  | 'ERROR_CODE_UNAUTHENTICATED'
  | 16

/**
 * Why a command failed. Values equal the gRPC status codes so a result maps onto one without a table.
 */
export type ErrorCode__Output = typeof ErrorCode[keyof typeof ErrorCode]
