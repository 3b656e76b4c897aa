import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import { deriveCommonSessionKey, deriveIccMasterKey, generateAc, generateArpcMethod1 } from '../../main/crypto/emv.js';
import { CARD_SW, parseCommand, sw, type CardCommand } from './card-apdu.js';
import type { CardProfile } from './card-profile.js';
import { dolSize, dolValue, tlv, type TlvNode } from './card-tlv.js';

/*
 * The card side of an EMV debit/credit application (EMV Book 3 §6.5): SELECT
 * (PSE directory and AIDs), GET PROCESSING OPTIONS, READ RECORD, GET DATA,
 * GENERATE AC and EXTERNAL AUTHENTICATE. Cryptograms: EMV common session key
 * from the ICC master key and the ATC; AC = retail MAC over the CDOL data ‖
 * AIP ‖ ATC (the layout of host-crypto.md §4.3); ARPC method 1.
 */

const PSE = Buffer.from('1PAY.SYS.DDF01', 'ascii');
const DIRECTORY_SFI = 1;
/** SFI 1 records 1–2 and SFI 2 record 1, none used for offline data authentication. */
const AFL = Buffer.from('08010200' + '10010100', 'hex');
/** ARCs that approve (EMV Book 4 Annex A6: 00, 08, 10, 11). */
const APPROVING_ARCS = new Set(['00', '08', '10', '11']);

const INS = {
  select: 0xa4,
  readRecord: 0xb2,
  getProcessingOptions: 0xa8,
  getData: 0xca,
  generateAc: 0xae,
  externalAuthenticate: 0x82,
  getResponse: 0xc0,
} as const;

type Selected = { kind: 'none' } | { kind: 'pse' } | { kind: 'app'; index: number };

interface Transaction {
  gpoDone: boolean;
  arqc?: Buffer;
  sessionKey?: Buffer;
  issuerAuth: 'none' | 'passed' | 'failed';
  issuerArc?: string;
  finished: boolean;
}

const freshTransaction = (): Transaction => ({ gpoDone: false, issuerAuth: 'none', finished: false });

export class EmvApplet {
  private selected: Selected = { kind: 'none' };
  private txn: Transaction = freshTransaction();
  /** Data waiting for GET RESPONSE (T=0 style). */
  private pendingResponse: Buffer | undefined;

  constructor(private profile: CardProfile) {}

  get atc(): number {
    return this.profile.atc;
  }

  get currentProfile(): CardProfile {
    return this.profile;
  }

  get selectedAid(): string | undefined {
    return this.selected.kind === 'app' ? this.profile.applications[this.selected.index]?.aid : undefined;
  }

  replaceProfile(profile: CardProfile): void {
    this.profile = profile;
    this.reset();
  }

  /** Power on or warm reset: the application state goes, the ATC stays. */
  reset(): void {
    this.selected = { kind: 'none' };
    this.txn = freshTransaction();
    this.pendingResponse = undefined;
  }

  atr(): Buffer {
    return Buffer.from(this.profile.atr, 'hex');
  }

  /** One command APDU in, one response APDU (data ‖ SW1 SW2) out. */
  handle(apdu: Uint8Array): Buffer {
    const cmd = parseCommand(apdu);
    if (!cmd) return sw(CARD_SW.wrongLength);
    if (cmd.ins === INS.getResponse && cmd.cla === 0x00) return this.getResponse(cmd);
    this.pendingResponse = undefined;
    const { data, status } = this.dispatch(cmd);
    if (status !== CARD_SW.ok || data.length === 0 || !this.profile.t0Responses) return Buffer.concat([data, sw(status)]);
    if (cmd.data.length > 0) {
      // Case 4 under T=0: the data waits for GET RESPONSE.
      this.pendingResponse = data;
      return sw(0x6100 | (data.length & 0xff));
    }
    if (cmd.le !== data.length) return sw(0x6c00 | (data.length & 0xff));
    return Buffer.concat([data, sw(status)]);
  }

  private getResponse(cmd: CardCommand): Buffer {
    const pending = this.pendingResponse;
    if (!pending) return sw(CARD_SW.conditionsNotSatisfied);
    if (cmd.le !== undefined && cmd.le !== 256 && cmd.le !== pending.length) return sw(0x6c00 | (pending.length & 0xff));
    this.pendingResponse = undefined;
    return Buffer.concat([pending, sw(CARD_SW.ok)]);
  }

  private dispatch(cmd: CardCommand): { data: Buffer; status: number } {
    const proprietary = cmd.cla === 0x80;
    if (cmd.cla !== 0x00 && !proprietary) return fail(CARD_SW.claNotSupported);
    switch (cmd.ins) {
      case INS.select:
        return proprietary ? fail(CARD_SW.claNotSupported) : this.select(cmd);
      case INS.readRecord:
        return proprietary ? fail(CARD_SW.claNotSupported) : this.readRecord(cmd);
      case INS.externalAuthenticate:
        return proprietary ? fail(CARD_SW.claNotSupported) : this.externalAuthenticate(cmd);
      case INS.getProcessingOptions:
        return proprietary ? this.getProcessingOptions(cmd) : fail(CARD_SW.claNotSupported);
      case INS.getData:
        return proprietary ? this.getData(cmd) : fail(CARD_SW.claNotSupported);
      case INS.generateAc:
        return proprietary ? this.generateAc(cmd) : fail(CARD_SW.claNotSupported);
      default:
        return fail(CARD_SW.insNotSupported);
    }
  }

  private select(cmd: CardCommand): { data: Buffer; status: number } {
    if (cmd.p1 !== 0x04 || (cmd.p2 !== 0x00 && cmd.p2 !== 0x02)) return fail(CARD_SW.wrongP1P2);
    if (cmd.data.length < 5 || cmd.data.length > 16) return fail(CARD_SW.wrongLength);
    this.selected = { kind: 'none' };
    this.txn = freshTransaction();
    if (cmd.data.equals(PSE)) {
      if (!this.profile.pse) return fail(CARD_SW.fileNotFound);
      this.selected = { kind: 'pse' };
      return ok(tlv(['6F', [['84', PSE], ['A5', [['88', Buffer.of(DIRECTORY_SFI)], ['5F2D', Buffer.from('zhen')]]]]]));
    }
    // Partial name: the first application whose AID starts with the given bytes (P2 = next is not tracked).
    const name = cmd.data.toString('hex').toUpperCase();
    const index = this.profile.applications.findIndex((a) => a.aid.startsWith(name));
    const app = this.profile.applications[index];
    if (!app) return fail(CARD_SW.fileNotFound);
    this.selected = { kind: 'app', index };
    const proprietary: TlvNode[] = [
      ['50', Buffer.from(app.label, 'ascii')],
      ['87', Buffer.of(app.priority)],
    ];
    if (app.pdol !== '') proprietary.push(['9F38', Buffer.from(app.pdol, 'hex')]);
    return ok(tlv(['6F', [['84', Buffer.from(app.aid, 'hex')], ['A5', proprietary]]]));
  }

  private readRecord(cmd: CardCommand): { data: Buffer; status: number } {
    if ((cmd.p2 & 0x07) !== 0x04) return fail(CARD_SW.wrongP1P2);
    const sfi = cmd.p2 >> 3;
    const record = this.record(sfi, cmd.p1);
    return record ? ok(record) : fail(this.selected.kind === 'none' ? CARD_SW.conditionsNotSatisfied : CARD_SW.recordNotFound);
  }

  private record(sfi: number, number: number): Buffer | undefined {
    if (this.selected.kind === 'pse') {
      if (sfi !== DIRECTORY_SFI || number !== 1) return undefined;
      const entries: TlvNode[] = this.profile.applications.map((a) => [
        '61',
        [['4F', Buffer.from(a.aid, 'hex')], ['50', Buffer.from(a.label, 'ascii')], ['87', Buffer.of(a.priority)]],
      ]);
      return tlv(['70', entries]);
    }
    if (this.selected.kind !== 'app') return undefined;
    const p = this.profile;
    const key = `${sfi}/${number}`;
    if (key === '1/1') {
      return tlv(['70', [['57', track2(p)], ['5F20', Buffer.from(p.cardholderName, 'ascii')]]]);
    }
    if (key === '1/2') {
      const items: TlvNode[] = [
        ['5A', packDigits(p.pan)],
        ['5F24', Buffer.from(p.expiry, 'hex')],
        ['5F34', Buffer.from(p.psn, 'hex')],
        ['5F28', Buffer.from('0156', 'hex')],
        ['9F07', Buffer.from('FF00', 'hex')],
        ['9F08', Buffer.from(p.applicationVersion, 'hex')],
        ['8E', Buffer.from(p.cvmList, 'hex')],
        ['9F0E', Buffer.from(p.iacDenial, 'hex')],
      ];
      if (p.effective) items.push(['5F25', Buffer.from(p.effective, 'hex')]);
      return tlv(['70', items]);
    }
    if (key === '2/1') return tlv(['70', [['8C', Buffer.from(p.cdol1, 'hex')], ['8D', Buffer.from(p.cdol2, 'hex')]]]);
    return undefined;
  }

  private getProcessingOptions(cmd: CardCommand): { data: Buffer; status: number } {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return fail(CARD_SW.wrongP1P2);
    if (this.selected.kind !== 'app' || this.txn.gpoDone) return fail(CARD_SW.conditionsNotSatisfied);
    const app = this.profile.applications[this.selected.index];
    const expected = app ? dolSize(Buffer.from(app.pdol, 'hex')) : 0;
    if (cmd.data[0] !== 0x83 || cmd.data[1] !== expected || cmd.data.length !== 2 + expected) return fail(CARD_SW.wrongLength);
    this.txn.gpoDone = true;
    const aip = Buffer.from(this.profile.aip, 'hex');
    return ok(this.profile.responseFormat === 'format1' ? tlv(['80', Buffer.concat([aip, AFL])]) : tlv(['77', [['82', aip], ['94', AFL]]]));
  }

  private getData(cmd: CardCommand): { data: Buffer; status: number } {
    const tag = ((cmd.p1 << 8) | cmd.p2).toString(16).toUpperCase().padStart(4, '0');
    if (tag === '9F36') return ok(tlv(['9F36', u16(this.profile.atc)]));
    if (tag === '9F17') return ok(tlv(['9F17', Buffer.of(this.profile.pinTryCounter)]));
    return fail(CARD_SW.dataNotFound);
  }

  private generateAc(cmd: CardCommand): { data: Buffer; status: number } {
    if (cmd.p2 !== 0 || (cmd.p1 & 0xc0) === 0xc0) return fail(CARD_SW.wrongP1P2);
    const first = this.txn.arqc === undefined;
    if (!this.txn.gpoDone || this.txn.finished) return fail(CARD_SW.conditionsNotSatisfied);
    const dol = Buffer.from(first ? this.profile.cdol1 : this.profile.cdol2, 'hex');
    if (cmd.data.length !== dolSize(dol)) return fail(CARD_SW.wrongLength);
    if (first) {
      if (this.profile.atc >= 0xffff) return fail(CARD_SW.conditionsNotSatisfied); // ATC exhausted: the card is finished
      // A new transaction: the ATC moves on before the session key is derived.
      this.profile = { ...this.profile, atc: this.profile.atc + 1 };
      this.txn.sessionKey = deriveCommonSessionKey(this.masterKey(), u16(this.profile.atc));
    }
    const requested = cmd.p1 & 0xc0;
    const cid = first ? (requested === 0x00 ? 0x00 : 0x80) : this.secondDecision(requested, dolValue(dol, cmd.data, '8A'));
    const ac = generateAc(this.txn.sessionKey as Buffer, Buffer.concat([cmd.data, Buffer.from(this.profile.aip, 'hex'), u16(this.profile.atc)]));
    if (first && cid === 0x80) this.txn.arqc = ac;
    else this.txn.finished = true;
    return ok(this.acResponse(cid, ac));
  }

  /** TC only when the terminal asks for it, the issuer was authenticated (if required) and the ARC approves. */
  private secondDecision(requested: number, cdolArc: Buffer | undefined): number {
    const arc = this.txn.issuerArc ?? cdolArc?.toString('ascii') ?? '';
    const authenticated = this.txn.issuerAuth === 'passed' || (!this.profile.requireIssuerAuthentication && this.txn.issuerAuth === 'none');
    return requested === 0x40 && authenticated && APPROVING_ARCS.has(arc) ? 0x40 : 0x00;
  }

  private acResponse(cid: number, ac: Buffer): Buffer {
    const atc = u16(this.profile.atc);
    const iad = Buffer.from(this.profile.iad, 'hex');
    if (this.profile.responseFormat === 'format1') return tlv(['80', Buffer.concat([Buffer.of(cid), atc, ac, iad])]);
    const items: TlvNode[] = [
      ['9F27', Buffer.of(cid)],
      ['9F36', atc],
      ['9F26', ac],
    ];
    if (iad.length > 0) items.push(['9F10', iad]);
    return tlv(['77', items]);
  }

  /** EXTERNAL AUTHENTICATE with tag 91 = ARPC ‖ ARC (method 1), once, between the two GENERATE ACs. */
  private externalAuthenticate(cmd: CardCommand): { data: Buffer; status: number } {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return fail(CARD_SW.wrongP1P2);
    const { arqc, sessionKey } = this.txn;
    if (!arqc || !sessionKey || this.txn.finished || this.txn.issuerAuth !== 'none') return fail(CARD_SW.conditionsNotSatisfied);
    if (cmd.data.length < 10 || cmd.data.length > 16) return fail(CARD_SW.wrongLength);
    const arc = cmd.data.subarray(8, 10);
    const expected = generateArpcMethod1(sessionKey, arqc, arc);
    const passed = timingSafeEqual(expected, cmd.data.subarray(0, 8));
    this.txn.issuerAuth = passed ? 'passed' : 'failed';
    if (!passed) return fail(CARD_SW.authenticationFailed);
    this.txn.issuerArc = arc.toString('ascii');
    return { data: Buffer.alloc(0), status: CARD_SW.ok };
  }

  private masterKey(): Buffer {
    const keys = this.profile.keys;
    if ('iccMasterKey' in keys) return Buffer.from(keys.iccMasterKey, 'hex');
    return deriveIccMasterKey(Buffer.from(keys.issuerMasterKey, 'hex'), this.profile.pan, this.profile.psn);
  }
}

const ok = (data: Buffer): { data: Buffer; status: number } => ({ data, status: CARD_SW.ok });
const fail = (status: number): { data: Buffer; status: number } => ({ data: Buffer.alloc(0), status });
const u16 = (n: number): Buffer => Buffer.of(n >> 8, n & 0xff);

/** Digits packed two per byte, an odd count padded with F (formats cn and track 2). */
function packDigits(digits: string): Buffer {
  return Buffer.from(digits.length % 2 === 0 ? digits : `${digits}F`, 'hex');
}

/** Track 2 equivalent: PAN, separator D, YYMM, service code, discretionary data. */
function track2(p: CardProfile): Buffer {
  return packDigits(`${p.pan}D${p.expiry.slice(0, 4)}${p.serviceCode}0000000000`);
}
