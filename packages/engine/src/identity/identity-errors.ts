import { OrbitError, type OrbitErrorInit } from '../errors.ts';

/** Why a certificate was not accepted as a Star's identity. */
export type CertificateRejection = 'malformed' | 'not-a-star' | 'untrusted' | 'expired' | 'not-yet-valid';

/** Why a data-plane ticket was refused. */
export type TicketRejection =
  | 'malformed'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-job'
  | 'wrong-path'
  | 'wrong-direction'
  | 'wrong-star';

/** A certificate refused as a Star identity; `reason` says which check failed. */
export class CertificateError extends OrbitError {
  readonly reason: CertificateRejection;

  constructor(reason: CertificateRejection, message: string, init: OrbitErrorInit = {}) {
    super('INVALID_ARGUMENT', message, init);
    this.reason = reason;
  }
}

/** A data-plane ticket refused; `reason` says which check failed, the message says how. */
export class TicketError extends OrbitError {
  readonly reason: TicketRejection;

  constructor(reason: TicketRejection, message: string, init: OrbitErrorInit = {}) {
    super('INVALID_ARGUMENT', message, init);
    this.reason = reason;
  }
}
