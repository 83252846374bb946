// Original file: proto/orbit/v1/orbit.proto

import type { Settings as _orbit_v1_Settings, Settings__Output as _orbit_v1_Settings__Output } from '../../orbit/v1/Settings.ts';

/**
 * The grid accepts a Star.
 */
export interface JoinResponse {
  /**
   * The id the Nucleus assigned; also inside the certificate's SAN.
   */
  'starId'?: (string);
  /**
   * The Star's certificate followed by any intermediates, PEM.
   */
  'certificateChainPem'?: (string);
  /**
   * The grid CA certificate, PEM; the Star pins it for the control and data planes.
   */
  'caCertificatePem'?: (string);
  /**
   * The team the Star belongs to.
   */
  'teamId'?: (string);
  /**
   * Initial settings (heartbeat interval, limits); the Session may update them.
   */
  'settings'?: (_orbit_v1_Settings | null);
}

/**
 * The grid accepts a Star.
 */
export interface JoinResponse__Output {
  /**
   * The id the Nucleus assigned; also inside the certificate's SAN.
   */
  'starId': (string);
  /**
   * The Star's certificate followed by any intermediates, PEM.
   */
  'certificateChainPem': (string);
  /**
   * The grid CA certificate, PEM; the Star pins it for the control and data planes.
   */
  'caCertificatePem': (string);
  /**
   * The team the Star belongs to.
   */
  'teamId': (string);
  /**
   * Initial settings (heartbeat interval, limits); the Session may update them.
   */
  'settings': (_orbit_v1_Settings__Output | null);
}
