// Original file: proto/orbit/v1/orbit.proto

import type { Hello as _orbit_v1_Hello, Hello__Output as _orbit_v1_Hello__Output } from '../../orbit/v1/Hello.ts';
import type { Heartbeat as _orbit_v1_Heartbeat, Heartbeat__Output as _orbit_v1_Heartbeat__Output } from '../../orbit/v1/Heartbeat.ts';
import type { CommandResult as _orbit_v1_CommandResult, CommandResult__Output as _orbit_v1_CommandResult__Output } from '../../orbit/v1/CommandResult.ts';
import type { Progress as _orbit_v1_Progress, Progress__Output as _orbit_v1_Progress__Output } from '../../orbit/v1/Progress.ts';
import type { ResultPart as _orbit_v1_ResultPart, ResultPart__Output as _orbit_v1_ResultPart__Output } from '../../orbit/v1/ResultPart.ts';
import type { TicketRequest as _orbit_v1_TicketRequest, TicketRequest__Output as _orbit_v1_TicketRequest__Output } from '../../orbit/v1/TicketRequest.ts';

/**
 * Everything a Star sends on the Session stream.
 */
export interface StarMessage {
  /**
   * First message on every stream.
   */
  'hello'?: (_orbit_v1_Hello | null);
  /**
   * Periodic health report, at the interval Settings asks for.
   */
  'heartbeat'?: (_orbit_v1_Heartbeat | null);
  /**
   * The final outcome of one command; sent once per command.
   */
  'commandResult'?: (_orbit_v1_CommandResult | null);
  /**
   * How far a long command has got.
   */
  'progress'?: (_orbit_v1_Progress | null);
  /**
   * One part of a command's streamed output (scan entries, chunk lists).
   */
  'resultPart'?: (_orbit_v1_ResultPart | null);
  /**
   * A running PushChunks needs a fresh data-plane ticket (the one it holds is about to expire).
   */
  'ticketRequest'?: (_orbit_v1_TicketRequest | null);
  /**
   * Exactly one of these is set.
   */
  'body'?: "hello"|"heartbeat"|"commandResult"|"progress"|"resultPart"|"ticketRequest";
}

/**
 * Everything a Star sends on the Session stream.
 */
export interface StarMessage__Output {
  /**
   * First message on every stream.
   */
  'hello'?: (_orbit_v1_Hello__Output | null);
  /**
   * Periodic health report, at the interval Settings asks for.
   */
  'heartbeat'?: (_orbit_v1_Heartbeat__Output | null);
  /**
   * The final outcome of one command; sent once per command.
   */
  'commandResult'?: (_orbit_v1_CommandResult__Output | null);
  /**
   * How far a long command has got.
   */
  'progress'?: (_orbit_v1_Progress__Output | null);
  /**
   * One part of a command's streamed output (scan entries, chunk lists).
   */
  'resultPart'?: (_orbit_v1_ResultPart__Output | null);
  /**
   * A running PushChunks needs a fresh data-plane ticket (the one it holds is about to expire).
   */
  'ticketRequest'?: (_orbit_v1_TicketRequest__Output | null);
  /**
   * Exactly one of these is set.
   */
  'body'?: "hello"|"heartbeat"|"commandResult"|"progress"|"resultPart"|"ticketRequest";
}
