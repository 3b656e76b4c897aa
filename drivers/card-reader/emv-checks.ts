import { CVM_CONDITION, CVM_METHOD, parseCvmList, type CvmRule } from '../protocols/emv/cvm.js';
import { fromHex, toHex } from '../protocols/emv/hex.js';
import { AIP } from '../protocols/emv/tags.js';
import { TSI, TVR, type BitFlags } from '../protocols/emv/tvr.js';
import { EmvKernelError } from './emv-errors.js';
import type { TerminalConfig, TransactionInput } from './emv-terminal.js';

/*
 * The terminal checks of an online-only ATM between READ RECORD and the first
 * GENERATE AC (EMV Book 3 §10.4–10.7), reduced to what a kernel-lite needs.
 * Each one records its outcome in the TVR/TSI it is handed.
 */

export interface Flags {
  readonly tvr: BitFlags;
  readonly tsi: BitFlags;
}

/** YYMMDD → comparable YYYYMMDD with the EMV century window (YY < 50 → 20YY). */
function fullDate(yymmdd: Uint8Array): number {
  const text = toHex(yymmdd);
  const yy = Number(text.slice(0, 2));
  return (yy < 50 ? 2000 + yy : 1900 + yy) * 10000 + Number(text.slice(2));
}

/** Application versions, effective and expiry dates (§10.4). */
export function processingRestrictions(card: ReadonlyMap<string, Uint8Array>, terminal: ReadonlyMap<string, Uint8Array>, flags: Flags): void {
  const today = fullDate(terminal.get('9A') as Uint8Array);
  const iccVersion = card.get('9F08');
  const termVersion = terminal.get('9F09');
  if (iccVersion && termVersion && toHex(iccVersion) !== toHex(termVersion)) flags.tvr.set(TVR.differentVersions);
  const expiry = card.get('5F24');
  if (expiry && fullDate(expiry) < today) flags.tvr.set(TVR.expiredApplication);
  const effective = card.get('5F25');
  if (effective && fullDate(effective) > today) flags.tvr.set(TVR.notYetEffective);
}

export type CvmOutcome = 'onlinePin' | 'failed' | 'notRequired';

/** The ATM supports one method: enciphered PIN verified online. */
const SUPPORTED_METHODS = new Set<number>([CVM_METHOD.onlinePin]);
const KNOWN_METHODS = new Set<number>(Object.values(CVM_METHOD));

/** Cardholder verification (§10.5); returns the outcome and CVM Results (9F34). */
export function cardholderVerification(
  aip: Uint8Array,
  card: ReadonlyMap<string, Uint8Array>,
  txn: TransactionInput,
  flags: Flags,
): { outcome: CvmOutcome; results: Uint8Array } {
  const list = card.get('8E');
  if (((aip[0] ?? 0) & AIP.cardholderVerification) === 0) return { outcome: 'notRequired', results: Uint8Array.of(0x3f, 0x00, 0x00) };
  flags.tsi.set(TSI.cardholderVerificationPerformed);
  if (!list) {
    flags.tvr.set(TVR.iccDataMissing);
    return { outcome: 'failed', results: Uint8Array.of(0x3f, 0x00, 0x01) };
  }
  let cvm;
  try {
    cvm = parseCvmList(list);
  } catch (err) {
    throw new EmvKernelError('badCardData', (err as Error).message);
  }
  for (const rule of cvm.rules) {
    if (!conditionMet(rule, txn)) continue;
    if (rule.method === CVM_METHOD.onlinePin) {
      flags.tvr.set(TVR.onlinePinEntered);
      return { outcome: 'onlinePin', results: Uint8Array.of(rule.code, rule.condition, 0x00) };
    }
    if (!KNOWN_METHODS.has(rule.method)) flags.tvr.set(TVR.unrecognisedCvm);
    const failsHere = rule.method === CVM_METHOD.failCvm || !SUPPORTED_METHODS.has(rule.method);
    if (failsHere && rule.applyNextIfFails) continue;
    flags.tvr.set(TVR.cardholderVerificationFailed);
    return { outcome: 'failed', results: Uint8Array.of(rule.code, rule.condition, 0x01) };
  }
  flags.tvr.set(TVR.cardholderVerificationFailed);
  return { outcome: 'failed', results: Uint8Array.of(0x3f, 0x00, 0x01) };
}

/** Conditions an unattended cash terminal can judge; amount conditions (06–09) are skipped. */
function conditionMet(rule: CvmRule, txn: TransactionInput): boolean {
  switch (rule.condition) {
    case CVM_CONDITION.always:
      return true;
    case CVM_CONDITION.unattendedCash:
      return txn.type === 'cash';
    case CVM_CONDITION.notCashOrCashback:
      return txn.type !== 'cash';
    case CVM_CONDITION.terminalSupports:
      return SUPPORTED_METHODS.has(rule.method);
    default:
      return false;
  }
}

/** Terminal risk management (§10.6): only the floor limit applies to an online-only ATM. */
export function terminalRiskManagement(aip: Uint8Array, config: TerminalConfig, txn: TransactionInput, flags: Flags): void {
  if (((aip[0] ?? 0) & AIP.terminalRiskManagement) === 0) return;
  flags.tsi.set(TSI.terminalRiskManagementPerformed);
  if (txn.amount >= config.floorLimit) flags.tvr.set(TVR.floorLimitExceeded);
}

/**
 * Terminal action analysis (§10.7) for an online-only terminal: a TVR bit named
 * in the issuer's or the terminal's denial code declines offline (AAC);
 * everything else goes online (ARQC).
 */
export function firstAcRequest(card: ReadonlyMap<string, Uint8Array>, config: TerminalConfig, tvr: Uint8Array): 'ARQC' | 'AAC' {
  const iacDenial = card.get('9F0E') ?? new Uint8Array(5);
  const tacDenial = fromHex(config.tacDenial);
  return tvr.some((b, i) => (b & ((iacDenial[i] ?? 0) | (tacDenial[i] ?? 0))) !== 0) ? 'AAC' : 'ARQC';
}
