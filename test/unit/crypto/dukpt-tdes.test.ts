import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../main/crypto/bytes.js';
import { deriveIpek, deriveTransactionKey, deriveWorkingKey } from '../../../main/crypto/dukpt-tdes.js';
import { retailMac } from '../../../main/crypto/mac.js';
import { encipherPinBlock } from '../../../main/crypto/pin-block.js';
import { tdes } from '../../../main/crypto/tdes.js';

const BDK = fromHex('0123456789ABCDEFFEDCBA9876543210');
const IPEK_KSN = fromHex('FFFF9876543210E00000');

describe('TDES DUKPT (ANSI X9.24-1:2009)', () => {
  // host-crypto §3.2: BDK 0123…3210, KSN FFFF9876543210E00000 → IPEK.
  it('IPEK', () => {
    expect(toHex(deriveIpek(BDK, IPEK_KSN))).toBe('6AC292FAA1315B4D858AB3A3D7D5933A');
  });

  // host-crypto §3.2 table (X9.24-1 Annex A): PIN key, MAC key, EPB of 1234/4012345678909, X9.19 MAC of "1234567890"×4.
  const table = [
    { ksn: 'FFFF9876543210E00001', current: '042666B49184CFA368DE9628D0397BC9', pin: '042666B49184CF5C68DE9628D0397B36', mac: '042666B4918430A368DE9628D03984C9', epb: '1B9C1845EB993A7A', x919: 'BF3DF9F4' },
    { ksn: 'FFFF9876543210E00002', pin: 'C46551CEF9FD244FAA9AD834130D3B38', mac: 'C46551CEF9FDDBB0AA9AD834130DC4C7', epb: '10A01C8D02C69107', x919: '1F05D23A' },
    { ksn: 'FFFF9876543210E10000', pin: '2F9A0C0B46ECCBA1F8287A7A071AF54B', mac: '2F9A0C0B46EC345EF8287A7A071A0AB4', epb: '19776D96D73AF1E2', x919: 'D9DFF7D6' },
    { ksn: 'FFFF9876543210EFF801', pin: '5BEE92627E9782A3911BF619DF72CAC4', mac: '5BEE92627E977D5C911BF619DF72353B', epb: '3A86BF003F835C9D', x919: '72653326' },
  ];

  it.each(table)('KSN $ksn', ({ ksn, current, pin, mac, epb, x919 }) => {
    const ipek = deriveIpek(BDK, fromHex(ksn));
    const txn = deriveTransactionKey(ipek, fromHex(ksn));
    if (current !== undefined) expect(toHex(txn)).toBe(current);
    const pinKey = deriveWorkingKey(txn, 'pin');
    const macKey = deriveWorkingKey(txn, 'mac-request');
    expect(toHex(pinKey)).toBe(pin);
    expect(toHex(macKey)).toBe(mac);
    expect(toHex(encipherPinBlock(tdes(pinKey), 0, '1234', '4012345678909'))).toBe(epb);
    const message = Buffer.from('1234567890'.repeat(4), 'ascii');
    expect(toHex(retailMac(macKey, message, 1)).slice(0, 8)).toBe(x919);
  });

  // Not in host-crypto.md: the X9.24-1 test key at counter 8, as reproduced in public DUKPT test suites
  // (e.g. the Python/Java/Ruby DUKPT libraries' tests: transaction key 27F6…4280, data keys C39B…/846E…).
  it('KSN …E00008: MAC-response and data (one-way) variants', () => {
    const ksn = fromHex('FFFF9876543210E00008');
    const txn = deriveTransactionKey(deriveIpek(BDK, ksn), ksn);
    expect(toHex(txn)).toBe('27F66D5244FF62E1AA6F6120EDEB4280');
    expect(toHex(deriveWorkingKey(txn, 'mac-response'))).toBe('27F66D52BBFF62E1AA6F612012EB4280');
    expect(toHex(deriveWorkingKey(txn, 'data-request'))).toBe('C39B2778B058AC376FB18DC906F75CBA');
    expect(toHex(deriveWorkingKey(txn, 'data-response'))).toBe('846E267CB822197406DA2B161191C6E4');
  });

  it('rejects a 9-byte KSN', () => {
    expect(() => deriveIpek(BDK, new Uint8Array(9))).toThrow(expect.objectContaining({ code: 'BAD_KSN' }));
  });
});
