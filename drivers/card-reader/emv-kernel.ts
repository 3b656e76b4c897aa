import { CanceledError } from '../common/completion.js';
import type { ApduTransport } from '../common/transport.js';
import { parseAfl, AflError } from '../protocols/emv/afl.js';
import {
  externalAuthenticate,
  generateAc,
  getProcessingOptions,
  readRecord,
  selectByName,
  splitResponse,
  SW,
  swHex,
  type AcType,
  type ResponseApdu,
} from '../protocols/emv/apdu.js';
import { buildDolData, parseDol, type DolEntry } from '../protocols/emv/dol.js';
import { fromHex, toHex } from '../protocols/emv/hex.js';
import { AIP, cryptogramType, TAG, type CryptogramType } from '../protocols/emv/tags.js';
import { collectPrimitives, encodeTlv, findTlv } from '../protocols/emv/tlv.js';
import { BitFlags, TSI, TVR } from '../protocols/emv/tvr.js';
import {
  cardholderVerification,
  firstAcRequest,
  processingRestrictions,
  terminalRiskManagement,
  type CvmOutcome,
  type Flags,
} from './emv-checks.js';
import { EmvKernelError } from './emv-errors.js';
import { candidateList, decodeOrThrow, type Exchange } from './emv-selection.js';
import { DE55_REQUEST_TAGS, terminalData, type RandomBytes, type TerminalConfig, type TransactionInput } from './emv-terminal.js';

/*
 * EMV kernel-lite for an online-only ATM (terminal type 14), over any
 * ApduTransport: application selection, GPO, READ RECORD, processing
 * restrictions, online-PIN CVM, floor-limit risk management, first GENERATE AC
 * (ARQC) and the DE55 for the host; then the issuer's answer: EXTERNAL
 * AUTHENTICATE with tag 91 and the second GENERATE AC (TC or AAC).
 * Not covered: offline data authentication (the TVR says so) and issuer
 * scripts 71/72. The PAN is returned to the caller and never logged here.
 */

export interface FirstAcResult {
  readonly aid: string;
  /** PAN digits (5A without F padding). Cardholder data: never log it. */
  readonly pan: string;
  readonly panSequenceNumber?: string;
  /** Track 2 equivalent (57) as digits with '=' for the separator, for DE35. */
  readonly track2?: string;
  /** YYMMDD (5F24). */
  readonly expiry: string;
  readonly cvm: CvmOutcome;
  /** ARQC normally; AAC when terminal action analysis or the card declined offline. */
  readonly cryptogram: CryptogramType;
  readonly tvr: Uint8Array;
  readonly tsi: Uint8Array;
  /** The DE55 TLV set of the online request (host-crypto.md §4.2). */
  readonly de55: Uint8Array;
}

export interface IssuerResponse {
  /** The host's decision (DE39 approval). */
  readonly approved: boolean;
  /** Two characters, e.g. "00" (goes into 8A as ASCII); "Z3" when the host could not be reached. */
  readonly authorisationResponseCode: string;
  /** Tag 91 from the host's DE55: ARPC ‖ ARC (method 1). */
  readonly issuerAuthenticationData?: Uint8Array;
}

export interface SecondAcResult {
  /** TC = the card approves too; AAC after a host approval means: do not dispense, reverse. */
  readonly cryptogram: 'TC' | 'AAC';
  readonly issuerAuthentication: 'passed' | 'failed' | 'notPerformed';
  readonly tvr: Uint8Array;
  readonly tsi: Uint8Array;
  /** 9F26, 9F27, 9F36, 95, 9B, 8A for the confirmation or reversal. */
  readonly de55: Uint8Array;
}

interface Pending {
  readonly data: Map<string, Uint8Array>;
  readonly flags: Flags;
  readonly aip: Uint8Array;
  readonly cdol2: readonly DolEntry[];
}

export class EmvKernel {
  private pending: Pending | undefined;

  constructor(
    private readonly transport: ApduTransport,
    private readonly config: TerminalConfig,
    private readonly random: RandomBytes,
  ) {}

  /** Runs the card up to the first GENERATE AC. The card must already be powered. */
  async firstAc(txn: TransactionInput, signal: AbortSignal): Promise<FirstAcResult> {
    this.pending = undefined;
    const exchange = this.exchanger(signal);
    const flags: Flags = { tvr: new BitFlags(5), tsi: new BitFlags(2) };
    const terminal = terminalData(this.config, txn, this.random(4));
    const { aid, card, aip } = await this.selectAndInitiate(exchange, terminal);
    await this.readRecords(exchange, card, card.get(TAG.afl) as Uint8Array);
    const missing = [TAG.pan, TAG.expiry, TAG.cdol1, TAG.cdol2].filter((t) => !card.has(t));
    if (missing.length > 0) throw new EmvKernelError('iccDataMissing', `card lacks ${missing.join(', ')}`);

    flags.tvr.set(TVR.odaNotPerformed);
    processingRestrictions(card, terminal, flags);
    const cvm = cardholderVerification(aip, card, txn, flags);
    terminalRiskManagement(aip, this.config, txn, flags);

    const data = new Map([...card, ...terminal]);
    data.set(TAG.cvmResults, cvm.results);
    data.set(TAG.dfName, fromHex(aid));
    data.set(TAG.tvr, flags.tvr.value());
    const request = firstAcRequest(card, this.config, flags.tvr.value());
    const ac = await this.generateAc(exchange, request, parseDol(card.get(TAG.cdol1) as Uint8Array), data);
    flags.tsi.set(TSI.cardRiskManagementPerformed);
    for (const [tag, value] of ac) data.set(tag, value);
    data.set(TAG.tvr, flags.tvr.value());
    data.set(TAG.tsi, flags.tsi.value());
    const cryptogram = cryptogramType(ac.get(TAG.cid)?.[0] ?? 0xc0);
    if (!cryptogram) throw new EmvKernelError('badCardData', 'first GENERATE AC returned an RFU CID');
    if (cryptogram === 'ARQC') {
      this.pending = { data, flags, aip, cdol2: parseDol(card.get(TAG.cdol2) as Uint8Array) };
    }
    const psn = card.get(TAG.psn);
    const track2 = card.get(TAG.track2);
    return {
      aid,
      pan: toHex(card.get(TAG.pan) as Uint8Array).replace(/F+$/, ''),
      ...(psn ? { panSequenceNumber: toHex(psn) } : {}),
      ...(track2 ? { track2: toHex(track2).replace('D', '=').replace(/F+$/, '') } : {}),
      expiry: toHex(card.get(TAG.expiry) as Uint8Array),
      cvm: cvm.outcome,
      cryptogram,
      tvr: flags.tvr.value(),
      tsi: flags.tsi.value(),
      de55: tlvSet(data, DE55_REQUEST_TAGS),
    };
  }

  /** Applies the issuer's answer: EXTERNAL AUTHENTICATE (if 91 came and the card supports it), then the second GENERATE AC. */
  async secondAc(response: IssuerResponse, signal: AbortSignal): Promise<SecondAcResult> {
    const pending = this.pending;
    if (!pending) throw new EmvKernelError('sequence', 'no ARQC is waiting for an issuer response');
    this.pending = undefined;
    if (!/^[\x20-\x7e]{2}$/.test(response.authorisationResponseCode)) {
      throw new RangeError('authorisation response code must be two printable characters');
    }
    const exchange = this.exchanger(signal);
    const { data, flags, aip } = pending;
    const issuerAuth = response.issuerAuthenticationData;
    data.set(TAG.arc, new TextEncoder().encode(response.authorisationResponseCode));
    let issuerAuthentication: SecondAcResult['issuerAuthentication'] = 'notPerformed';
    if (issuerAuth) {
      data.set(TAG.issuerAuthData, issuerAuth);
      if (((aip[0] ?? 0) & AIP.issuerAuthentication) !== 0) {
        const r = await exchange(externalAuthenticate(issuerAuth));
        flags.tsi.set(TSI.issuerAuthenticationPerformed);
        issuerAuthentication = r.sw === SW.OK ? 'passed' : 'failed';
        if (issuerAuthentication === 'failed') flags.tvr.set(TVR.issuerAuthenticationFailed);
      }
    }
    data.set(TAG.tvr, flags.tvr.value());
    data.set(TAG.tsi, flags.tsi.value());
    const ac = await this.generateAc(exchange, response.approved ? 'TC' : 'AAC', pending.cdol2, data);
    const cryptogram = cryptogramType(ac.get(TAG.cid)?.[0] ?? 0xc0);
    if (cryptogram !== 'TC' && cryptogram !== 'AAC') {
      throw new EmvKernelError('badCardData', `second GENERATE AC returned ${cryptogram ?? 'an RFU CID'}`);
    }
    for (const [tag, value] of ac) data.set(tag, value);
    return {
      cryptogram,
      issuerAuthentication,
      tvr: flags.tvr.value(),
      tsi: flags.tsi.value(),
      de55: tlvSet(data, ['9F26', '9F27', '9F36', '95', '9B', '8A']),
    };
  }

  private exchanger(signal: AbortSignal): Exchange {
    return async (apdu) => {
      if (signal.aborted) throw new CanceledError('EMV transaction canceled');
      const bytes = await this.transport.transmit(apdu, signal);
      try {
        return splitResponse(bytes);
      } catch (err) {
        throw new EmvKernelError('badCardData', (err as Error).message);
      }
    };
  }

  /** Final selection and GPO; a candidate that refuses GPO with 6985 is dropped (Book 3 §10.1). */
  private async selectAndInitiate(
    exchange: Exchange,
    terminal: ReadonlyMap<string, Uint8Array>,
  ): Promise<{ aid: string; card: Map<string, Uint8Array>; aip: Uint8Array }> {
    for (const candidate of await candidateList(exchange, this.config.aids)) {
      const selected = await exchange(selectByName(fromHex(candidate.aid)));
      if (selected.sw !== SW.OK) continue;
      const card = collectPrimitives(decodeOrThrow(selected.data, 'FCI'));
      const pdol = card.get(TAG.pdol);
      const pdolData = pdol ? buildDolData(parseDol(pdol), (t) => terminal.get(t)) : new Uint8Array(0);
      const gpo = await exchange(getProcessingOptions(pdolData));
      if (gpo.sw === SW.CONDITIONS_NOT_SATISFIED) continue;
      expectOk(gpo, 'GET PROCESSING OPTIONS');
      const { aip, afl } = parseGpo(gpo.data);
      card.set(TAG.aip, aip);
      card.set(TAG.afl, afl);
      return { aid: candidate.aid, card, aip };
    }
    throw new EmvKernelError('noApplication', 'no mutually supported application');
  }

  private async readRecords(exchange: Exchange, card: Map<string, Uint8Array>, afl: Uint8Array): Promise<void> {
    let entries;
    try {
      entries = parseAfl(afl);
    } catch (err) {
      if (err instanceof AflError) throw new EmvKernelError('badCardData', err.message);
      throw err;
    }
    for (const { sfi, first, last } of entries) {
      for (let record = first; record <= last; record++) {
        const r = await exchange(readRecord(sfi, record));
        expectOk(r, `READ RECORD ${sfi}/${record}`);
        const tlvs = decodeOrThrow(r.data, `record ${sfi}/${record}`);
        if (tlvs.length !== 1 || tlvs[0]?.tag !== TAG.recordTemplate) {
          throw new EmvKernelError('badCardData', `record ${sfi}/${record} is not a 70 template`);
        }
        collectPrimitives(tlvs, card);
      }
    }
  }

  private async generateAc(
    exchange: Exchange,
    type: AcType,
    cdol: readonly DolEntry[],
    data: ReadonlyMap<string, Uint8Array>,
  ): Promise<Map<string, Uint8Array>> {
    const r = await exchange(generateAc(type, buildDolData(cdol, (t) => data.get(t))));
    expectOk(r, 'GENERATE AC');
    return parseAcResponse(r.data);
  }
}

function expectOk(r: ResponseApdu, what: string): void {
  if (r.sw !== SW.OK) throw new EmvKernelError('cardError', `${what} answered ${swHex(r.sw)}`);
}

/** GPO response format 1 (80: AIP ‖ AFL) or format 2 (77 with 82 and 94). */
function parseGpo(bytes: Uint8Array): { aip: Uint8Array; afl: Uint8Array } {
  const tlvs = decodeOrThrow(bytes, 'GPO response');
  const f1 = findTlv(tlvs, TAG.responseFormat1);
  if (f1 && tlvs[0]?.tag === TAG.responseFormat1) {
    if (f1.value.length < 6) throw new EmvKernelError('badCardData', 'GPO format 1 is too short');
    return { aip: f1.value.slice(0, 2), afl: f1.value.slice(2) };
  }
  const aip = findTlv(tlvs, TAG.aip)?.value;
  const afl = findTlv(tlvs, TAG.afl)?.value;
  if (tlvs[0]?.tag !== TAG.responseFormat2 || aip?.length !== 2 || !afl) {
    throw new EmvKernelError('iccDataMissing', 'GPO response lacks AIP or AFL');
  }
  return { aip, afl };
}

/** GENERATE AC response format 1 (80: CID ‖ ATC ‖ AC ‖ IAD) or format 2 (77 with 9F27, 9F36, 9F26, 9F10). */
function parseAcResponse(bytes: Uint8Array): Map<string, Uint8Array> {
  const tlvs = decodeOrThrow(bytes, 'GENERATE AC response');
  const first = tlvs[0];
  if (first?.tag === TAG.responseFormat1) {
    const v = first.value;
    if (v.length < 11) throw new EmvKernelError('badCardData', 'GENERATE AC format 1 is too short');
    const out = new Map<string, Uint8Array>([
      [TAG.cid, v.slice(0, 1)],
      [TAG.atc, v.slice(1, 3)],
      [TAG.cryptogram, v.slice(3, 11)],
    ]);
    if (v.length > 11) out.set(TAG.iad, v.slice(11));
    return out;
  }
  if (first?.tag !== TAG.responseFormat2) throw new EmvKernelError('badCardData', 'GENERATE AC response is neither format 1 nor 2');
  const out = collectPrimitives(tlvs);
  const lacking = [TAG.cid, TAG.atc, TAG.cryptogram].filter((t) => !out.has(t));
  if (lacking.length > 0) throw new EmvKernelError('iccDataMissing', `GENERATE AC response lacks ${lacking.join(', ')}`);
  return out;
}

/** The tags of `order` that `data` has, encoded in that order. */
function tlvSet(data: ReadonlyMap<string, Uint8Array>, order: readonly string[]): Uint8Array {
  return encodeTlv(order.flatMap((tag) => {
    const value = data.get(tag);
    return value ? [{ tag, value }] : [];
  }));
}
