import iconv from 'iconv-lite';
import type { Gb18030Encoder } from '../../drivers/protocols/escpos/glyphs.js';

/** The GB18030 encoder the receipt composer is given; the composer itself stays free of packages. */
export const gb18030Encoder: Gb18030Encoder = (text) => Uint8Array.from(iconv.encode(text, 'gb18030'));
