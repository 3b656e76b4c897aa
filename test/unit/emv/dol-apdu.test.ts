import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAfl } from '../../../drivers/protocols/emv/afl.js';
import {
  externalAuthenticate,
  generateAc,
  getData,
  getProcessingOptions,
  PSE_NAME,
  readRecord,
  selectByName,
  splitResponse,
} from '../../../drivers/protocols/emv/apdu.js';
import { parseCvmList } from '../../../drivers/protocols/emv/cvm.js';
import { buildDolData, dolLength, parseDol } from '../../../drivers/protocols/emv/dol.js';
import { toHex } from '../../../drivers/protocols/emv/hex.js';
import { TlvError } from '../../../drivers/protocols/emv/tlv.js';
import { ARQC_VECTOR_CDOL1, CDOL1, hex } from '../../fixtures/emv/atm-withdrawal.js';

describe('DOL handling', () => {
  it('parses CDOL1 into tag/length pairs (29 bytes of data)', () => {
    const dol = parseDol(hex(CDOL1));
    expect(dol.map((d) => `${d.tag}/${d.length}`)).toEqual(['9F02/6', '9F03/6', '9F1A/2', '95/5', '5F2A/2', '9A/3', '9C/1', '9F37/4']);
    expect(dolLength(dol)).toBe(29);
  });

  it('builds the CDOL1 data of the §4.3 ARQC vector from terminal data', () => {
    const terminal = new Map([
      ['9F02', hex('000000002000')],
      ['9F03', hex('000000000000')],
      ['9F1A', hex('0124')],
      ['95', hex('0000008000')],
      ['5F2A', hex('0124')],
      ['9A', hex('110309')],
      ['9C', hex('00')],
      ['9F37', hex('3804823E')],
    ]);
    expect(toHex(buildDolData(parseDol(hex(CDOL1)), (t) => terminal.get(t)))).toBe(ARQC_VECTOR_CDOL1);
  });

  it('fits values per format (Book 3 §5.4): n left, cn with F, others right; unknown = zeros', () => {
    const dol = parseDol(hex('9F0206' + '9F0202' + '5A0A' + '5003' + '9F4C04' + 'A503'));
    const data = new Map([
      ['9F02', hex('123456')], //   n: shorter → leading zeros; longer (2) → keep the rightmost
      ['5A', hex('6212341234567890')], // cn: trailing FF
      ['50', hex('5649534120')], // an: truncated on the right
    ]);
    expect(toHex(buildDolData(dol, (t) => data.get(t)))).toBe(
      '000000123456' + '3456' + '6212341234567890FFFF' + '564953' + '00000000' + '000000',
    );
  });

  it('raises TlvError for a truncated DOL', () => {
    expect(() => parseDol(hex('9F02'))).toThrowError(TlvError);
  });
});

describe('APDU builders (host-crypto.md §4.1, §4.4)', () => {
  it('SELECT PSE is 00 A4 04 00 0E "1PAY.SYS.DDF01" 00', () => {
    expect(toHex(selectByName(PSE_NAME))).toBe('00A404000E' + '315041592E5359532E4444463031' + '00');
  });

  it('GPO without PDOL is 80 A8 00 00 02 83 00 00 (as in the vpcd trace)', () => {
    expect(toHex(getProcessingOptions(new Uint8Array(0)))).toBe('80A8000002830000');
  });

  it('READ RECORD, GENERATE AC, EXTERNAL AUTHENTICATE and GET DATA', () => {
    expect(toHex(readRecord(1, 2))).toBe('00B2020C00'); // record 2, SFI 1 (P2 = 1<<3 | 4)
    expect(toHex(generateAc('ARQC', hex('0102')))).toBe('80AE8000020102' + '00');
    expect(toHex(generateAc('TC', hex('01')))).toBe('80AE40000101' + '00');
    expect(toHex(generateAc('AAC', hex('01')))).toBe('80AE00000101' + '00');
    expect(toHex(externalAuthenticate(hex('00'.repeat(16))))).toBe('0082000010' + '00'.repeat(16));
    expect(toHex(getData('9F36'))).toBe('80CA9F3600');
    expect(toHex(getData('9F17'))).toBe('80CA9F1700');
  });

  it('splits a response into data and status word', () => {
    expect(splitResponse(hex('6F009000'))).toEqual({ data: hex('6F00'), sw: 0x9000 });
    expect(() => splitResponse(hex('90'))).toThrowError(RangeError);
  });
});

describe('AFL and CVM list', () => {
  it('parses AFL entries and refuses malformed ones', () => {
    expect(parseAfl(hex('08010200' + '10010101'))).toEqual([
      { sfi: 1, first: 1, last: 2, odaRecords: 0 },
      { sfi: 2, first: 1, last: 1, odaRecords: 1 },
    ]);
    for (const bad of ['080102', '00010100', '08000100', '08020100', '08010103', '09010100']) {
      expect(() => parseAfl(hex(bad))).toThrowError();
    }
  });

  it('parses a CVM list: X, Y and rules', () => {
    const list = parseCvmList(hex('000003E8' + '00000000' + '4203' + '1E03' + '1F00'));
    expect(list.amountX).toBe(1000);
    expect(list.rules.map((r) => [r.method, r.applyNextIfFails, r.condition])).toEqual([
      [0x02, true, 0x03],
      [0x1e, false, 0x03],
      [0x1f, false, 0x00],
    ]);
  });

  it('random AFL bytes either parse or throw a plain error, never loop', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          for (const e of parseAfl(bytes)) expect(e.last).toBeGreaterThanOrEqual(e.first);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
      }),
    );
  });
});
