/**
 * The kiosk's check of the dispense token an approved withdrawal brings back (xfs4iot.md §5). The
 * kiosk cannot verify the HMAC — only the host and the dispenser hold the key, which is the point —
 * so it checks what it can: the token is well formed, was signed on the nonce this request sent and
 * covers the amount asked for. The dispenser firmware does the real check; this one keeps the
 * kiosk from starting a cash-out that cannot succeed, and from trusting a reply meant for another.
 */
import { parseToken, parseTokenAmount } from '../../drivers/cash-dispenser/token.js';

/**
 * Why a withdrawal's token cannot be used:
 * - nonceFormat: the `dispenseNonce` the kiosk was given is not upper-case hex (nothing is sent);
 * - missing: a nonce was sent and no token came back;
 * - unexpected: a token came back for a request that sent no nonce;
 * - format: not the XFS4IoT token pattern (or TOKENLENGTH is wrong), or no DISPENSE1 amount;
 * - nonce: signed on another nonce than the one sent;
 * - amount: DISPENSE1 is not CNY or covers less than the amount asked for.
 */
export type DispenseTokenFault = 'nonceFormat' | 'missing' | 'unexpected' | 'format' | 'nonce' | 'amount';

/** A dispenser command nonce as XFS4IoT writes it (the token's NONCE), bounded to fit DE48. */
export const DISPENSE_NONCE = /^[0-9A-F]{1,128}$/;

const CURRENCY = 'CNY';

export function checkDispenseToken(
  token: string | undefined,
  sent: { readonly nonce: string | undefined; readonly amountMinor: number },
): { readonly token: string } | { readonly fault: Exclude<DispenseTokenFault, 'nonceFormat'> } | null {
  if (sent.nonce === undefined) return token === undefined ? null : { fault: 'unexpected' };
  if (token === undefined) return { fault: 'missing' };
  const parsed = parseToken(token);
  const covered = parseTokenAmount(parsed?.fields.get('DISPENSE1') ?? '');
  if (parsed === undefined || covered === undefined) return { fault: 'format' };
  if (parsed.nonce !== sent.nonce) return { fault: 'nonce' };
  // §5: DISPENSE1 must be at least the amount; the dispenser refuses to pay beyond it.
  if (covered.currency !== CURRENCY || covered.amount < sent.amountMinor) return { fault: 'amount' };
  return { token };
}
