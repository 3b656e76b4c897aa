import { hashPassword } from '../runtime/maintenance/password-hash.js';

/**
 * Prints the `passwordHash` for a technician in the configuration's
 * `maintenance.operators`: `npx tsx main/cli/maintenance-password.ts`, then
 * type the password on standard input (it is not echoed to any log).
 */
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const password = Buffer.concat(chunks)
  .toString('utf8')
  .replace(/\r?\n$/, '');
if (password.length === 0 || password.length > 64) {
  process.stderr.write('a password has 1 to 64 characters\n');
  process.exit(2);
}
process.stdout.write(`${await hashPassword(password)}\n`);
