// Original file: proto/orbit/v1/orbit.proto


/**
 * Finish running commands and accept no new ones (before an upgrade or shutdown).
 */
export interface Drain {
}

/**
 * Finish running commands and accept no new ones (before an upgrade or shutdown).
 */
export interface Drain__Output {
}
