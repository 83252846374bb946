// Original file: proto/orbit/v1/orbit.proto

import type { ErrorCode as _orbit_v1_ErrorCode, ErrorCode__Output as _orbit_v1_ErrorCode__Output } from '../../orbit/v1/ErrorCode.ts';

/**
 * Why a command failed, in a form both sides can show a user.
 */
export interface CommandError {
  /**
   * The class of failure; PERMISSION_DENIED for path-jail refusals.
   */
  'code'?: (_orbit_v1_ErrorCode);
  /**
   * What went wrong, one sentence.
   */
  'message'?: (string);
  /**
   * The filesystem path the failure is about, when there is one.
   */
  'path'?: (string);
  /**
   * How to fix it, one sentence, when the Star knows.
   */
  'hint'?: (string);
}

/**
 * Why a command failed, in a form both sides can show a user.
 */
export interface CommandError__Output {
  /**
   * The class of failure; PERMISSION_DENIED for path-jail refusals.
   */
  'code': (_orbit_v1_ErrorCode__Output);
  /**
   * What went wrong, one sentence.
   */
  'message': (string);
  /**
   * The filesystem path the failure is about, when there is one.
   */
  'path': (string);
  /**
   * How to fix it, one sentence, when the Star knows.
   */
  'hint': (string);
}
