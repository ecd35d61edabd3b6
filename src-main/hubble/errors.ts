/** Typed errors of the Hubble connection, each with a message a user can act on. */
export type HubbleErrorCode =
  | 'unreachable' // nothing answers at the address
  | 'tls' // TLS on one side only, bad certificate, wrong CA
  | 'not-found' // no hubble-relay Service: Hubble Relay not enabled
  | 'not-ready' // relay pod(s) not ready
  | 'forbidden' // RBAC refused a read or the port-forward
  | 'bad-request' // the server rejected the request (e.g. invalid filter)
  | 'unavailable' // server answered but cannot serve (e.g. no nodes)
  | 'cancelled'
  | 'internal';

export class HubbleError extends Error {
  constructor(
    readonly code: HubbleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HubbleError';
  }
}
