import type { MatrixKey } from '../../protocols/zt588/keys.js';
import type { PinPadKey } from '../contract.js';

/**
 * XFS4IoT names of the ZT588 matrix keys. The key right of 9 is unlabelled on
 * the ZT588 (smartware's layout comment); this driver gives it the backspace
 * function so that both XFS4IoT editing keys exist. A–D are the left FDKs top
 * to bottom (fdk01–04), E–H the right ones (fdk05–08).
 */
export const MATRIX_TO_XFS: Readonly<Record<MatrixKey, PinPadKey>> = {
  '0': 'zero',
  '1': 'one',
  '2': 'two',
  '3': 'three',
  '4': 'four',
  '5': 'five',
  '6': 'six',
  '7': 'seven',
  '8': 'eight',
  '9': 'nine',
  '.': 'decPoint',
  '00': 'doubleZero',
  cancel: 'cancel',
  clear: 'clear',
  blank: 'backspace',
  enter: 'enter',
  A: 'fdk01',
  B: 'fdk02',
  C: 'fdk03',
  D: 'fdk04',
  E: 'fdk05',
  F: 'fdk06',
  G: 'fdk07',
  H: 'fdk08',
};

/** The keys this pad has, as XFS4IoT names. */
export const ZT588_KEYS: readonly PinPadKey[] = Object.values(MATRIX_TO_XFS);
