import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { DEV_HOST_KEY } from '../dispenser-core/dispenser-sim.js';

/**
 * The bank host's side of the XFS4IoT end-to-end token (xfs4iot.md §5), written apart from the
 * dispenser's firmware and the kiosk's helpers so that the three cannot share a mistake:
 * `NONCE=<hex>,TOKENFORMAT=1,TOKENLENGTH=<4 digits>,DISPENSE1=<d.dd>CNY,HMACSHA256=<64 hex>`, the
 * HMAC-SHA256 keyed with XFSAuthenticateHost over the text up to and including `HMACSHA256=`.
 */
/**
 * The dispenser simulators' development XFSAuthenticateHost key (`DEV_HOST_KEY`, their default
 * `endToEnd.hostKey`), so the demo bank's tokens pay out. A real bank loads its own into both.
 */
export const DEMO_DISPENSER_HOST_KEY = Buffer.from(DEV_HOST_KEY, 'hex');

export const DISPENSE_NONCE = /^[0-9A-F]{1,128}$/;

const HMAC_HEX_LENGTH = 64;

/** `amountMinor` in hundredths: 50000 → `500.00CNY`. */
function cny(amountMinor: number): string {
  return `${Math.floor(amountMinor / 100)}.${String(amountMinor % 100).padStart(2, '0')}CNY`;
}

export function signDispenseToken(nonce: string, amountMinor: number, key: Uint8Array): string {
  const tail = `DISPENSE1=${cny(amountMinor)},HMACSHA256=`;
  // TOKENLENGTH counts the whole token, its own four digits and the HMAC included.
  const length = `NONCE=${nonce},TOKENFORMAT=1,TOKENLENGTH=0000,${tail}`.length + HMAC_HEX_LENGTH;
  const signed = `NONCE=${nonce},TOKENFORMAT=1,TOKENLENGTH=${String(length).padStart(4, '0')},${tail}`;
  return signed + createHmac('sha256', key).update(signed, 'ascii').digest('hex').toUpperCase();
}
