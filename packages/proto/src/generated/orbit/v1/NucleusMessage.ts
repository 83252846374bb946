// Original file: proto/orbit/v1/orbit.proto

import type { Command as _orbit_v1_Command, Command__Output as _orbit_v1_Command__Output } from '../../orbit/v1/Command.ts';
import type { Ack as _orbit_v1_Ack, Ack__Output as _orbit_v1_Ack__Output } from '../../orbit/v1/Ack.ts';
import type { Settings as _orbit_v1_Settings, Settings__Output as _orbit_v1_Settings__Output } from '../../orbit/v1/Settings.ts';
import type { TicketGrant as _orbit_v1_TicketGrant, TicketGrant__Output as _orbit_v1_TicketGrant__Output } from '../../orbit/v1/TicketGrant.ts';
import type { Redirect as _orbit_v1_Redirect, Redirect__Output as _orbit_v1_Redirect__Output } from '../../orbit/v1/Redirect.ts';

/**
 * Everything the Nucleus sends on the Session stream.
 */
export interface NucleusMessage {
  /**
   * Work for the Star.
   */
  'command'?: (_orbit_v1_Command | null);
  /**
   * The Nucleus has stored a result; the Star may forget it.
   */
  'ack'?: (_orbit_v1_Ack | null);
  /**
   * Session settings; sent after Hello and whenever they change.
   */
  'settings'?: (_orbit_v1_Settings | null);
  /**
   * A fresh data-plane ticket for a running command (the answer to a TicketRequest).
   */
  'ticketGrant'?: (_orbit_v1_TicketGrant | null);
  /**
   * This Nucleus does not dispatch (it stands by): dial the one that does. The stream ends after it.
   */
  'redirect'?: (_orbit_v1_Redirect | null);
  /**
   * Exactly one of these is set.
   */
  'body'?: "command"|"ack"|"settings"|"ticketGrant"|"redirect";
}

/**
 * Everything the Nucleus sends on the Session stream.
 */
export interface NucleusMessage__Output {
  /**
   * Work for the Star.
   */
  'command'?: (_orbit_v1_Command__Output | null);
  /**
   * The Nucleus has stored a result; the Star may forget it.
   */
  'ack'?: (_orbit_v1_Ack__Output | null);
  /**
   * Session settings; sent after Hello and whenever they change.
   */
  'settings'?: (_orbit_v1_Settings__Output | null);
  /**
   * A fresh data-plane ticket for a running command (the answer to a TicketRequest).
   */
  'ticketGrant'?: (_orbit_v1_TicketGrant__Output | null);
  /**
   * This Nucleus does not dispatch (it stands by): dial the one that does. The stream ends after it.
   */
  'redirect'?: (_orbit_v1_Redirect__Output | null);
  /**
   * Exactly one of these is set.
   */
  'body'?: "command"|"ack"|"settings"|"ticketGrant"|"redirect";
}
