/**
 * Why a host request did not produce a usable response.
 * - notConnected: nothing was sent (link down or not signed on); no reversal is owed.
 * - timeout: no response within the request's time; the host may have acted on it.
 * - disconnected: the connection dropped after the request was written.
 * - macFailure: the response's MAC did not verify, or the host reported A0; keys are renewed.
 * - keyCheck: sign-on returned working keys whose check values do not match.
 * - signOnRefused: the host answered the sign-on with a response code other than 00.
 * - closed: the link was stopped.
 * - securityModule: the security module (the PIN pad) could not MAC the request, or the data key
 *   that seals a reversal's cardholder fields could not be unlocked; nothing was sent.
 */
export type HostLinkErrorCode =
  | 'notConnected'
  | 'timeout'
  | 'disconnected'
  | 'macFailure'
  | 'keyCheck'
  | 'signOnRefused'
  | 'closed'
  | 'securityModule';

export class HostLinkError extends Error {
  override readonly name = 'HostLinkError';

  constructor(
    readonly code: HostLinkErrorCode,
    detail?: string,
  ) {
    super(detail === undefined ? code : `${code}: ${detail}`);
  }

  /** True when the request never left the kiosk, so the host cannot have acted on it. */
  get notSent(): boolean {
    return this.code === 'notConnected' || this.code === 'closed' || this.code === 'securityModule';
  }
}
