import { PSE_NAME, readRecord, selectByName, SW, type ResponseApdu } from '../protocols/emv/apdu.js';
import { fromHex, toHex } from '../protocols/emv/hex.js';
import { TAG } from '../protocols/emv/tags.js';
import { decodeTlv, findTlv, TlvError, type Tlv } from '../protocols/emv/tlv.js';
import { EmvKernelError } from './emv-errors.js';

/*
 * Application selection (EMV Book 1 §12): the PSE directory first, the
 * terminal's AID list when the card has no PSE or nothing in it matches.
 * Candidates come back in the card's priority order (tag 87), ties in the
 * order found.
 */

export type Exchange = (apdu: Uint8Array) => Promise<ResponseApdu>;

export interface Candidate {
  /** The AID to SELECT (the card's full AID). */
  readonly aid: string;
  readonly priority: number;
}

export function decodeOrThrow(bytes: Uint8Array, what: string): Tlv[] {
  try {
    return decodeTlv(bytes);
  } catch (err) {
    if (err instanceof TlvError) throw new EmvKernelError('badCardData', `${what}: ${err.message}`);
    throw err;
  }
}

/** A terminal AID matches a card AID equal to it or extending it (partial selection). */
function accepted(cardAid: string, terminalAids: readonly string[]): boolean {
  return terminalAids.some((t) => cardAid.startsWith(t.toUpperCase()));
}

/** Priority indicator low nibble; 0 (or absent) means no priority and sorts last. */
function priorityOf(entry: Tlv): number {
  const p = (findTlv([entry], TAG.priority)?.value[0] ?? 0) & 0x0f;
  return p === 0 ? 16 : p;
}

async function fromPse(exchange: Exchange, terminalAids: readonly string[]): Promise<Candidate[]> {
  const selected = await exchange(selectByName(PSE_NAME));
  if (selected.sw !== SW.OK) return [];
  const sfi = findTlv(decodeOrThrow(selected.data, 'PSE FCI'), TAG.sfi)?.value[0];
  if (sfi === undefined) return [];
  const out: Candidate[] = [];
  for (let record = 1; record <= 16; record++) {
    const r = await exchange(readRecord(sfi, record));
    if (r.sw === SW.RECORD_NOT_FOUND) break;
    if (r.sw !== SW.OK) return []; // a broken directory: fall back to the AID list
    for (const entry of decodeOrThrow(r.data, 'PSE record').flatMap((t) => t.children ?? [])) {
      if (entry.tag !== TAG.applicationTemplate) continue;
      const aid = findTlv([entry], TAG.aid);
      if (aid && accepted(toHex(aid.value), terminalAids)) out.push({ aid: toHex(aid.value), priority: priorityOf(entry) });
    }
  }
  return out;
}

async function fromAidList(exchange: Exchange, terminalAids: readonly string[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const aid of terminalAids) {
    const r = await exchange(selectByName(fromHex(aid)));
    if (r.sw !== SW.OK) continue;
    const fci = decodeOrThrow(r.data, 'FCI');
    const dfName = findTlv(fci, TAG.dfName);
    out.push({ aid: dfName ? toHex(dfName.value) : aid.toUpperCase(), priority: priorityOf({ tag: TAG.fciTemplate, value: r.data, children: fci }) });
  }
  return out;
}

export async function candidateList(exchange: Exchange, terminalAids: readonly string[]): Promise<Candidate[]> {
  const pse = await fromPse(exchange, terminalAids);
  const list = pse.length > 0 ? pse : await fromAidList(exchange, terminalAids);
  return list.map((c, i) => ({ c, i })).sort((a, b) => a.c.priority - b.c.priority || a.i - b.i).map(({ c }) => c);
}
