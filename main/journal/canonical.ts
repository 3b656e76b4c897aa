import { JournalInputError } from './record.js';

/**
 * Deterministic JSON: object keys sorted, `undefined` members dropped as
 * JSON.stringify does. Anything JSON cannot carry faithfully (non-finite
 * numbers, bigint, functions, symbols, class instances such as Date or
 * Buffer) is refused rather than silently changed, because the journal is
 * evidence.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new JournalInputError('payload holds a non-finite number');
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item: unknown = value[i];
          out += item === undefined ? 'null' : canonicalJson(item);
        }
        return out + ']';
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new JournalInputError('payload holds an object that is not plain JSON');
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(key) + ':' + canonicalJson(item);
      }
      return out + '}';
    }
    default:
      throw new JournalInputError(`payload holds a ${typeof value}`);
  }
}
