/**
 * The host link over TLS and mutual TLS on loopback, with a CA, a server and a client certificate
 * made for the test by the `openssl` CLI. Without openssl only these cases are skipped.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostSimulator } from '../../simulators/host/host-sim.js';
import { buildKiosk, connect, magstripe, startHost, tempDir, until } from './host-support.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const OPENSSL = hasOpenssl();
if (!OPENSSL) process.stderr.write('host-tls.test.ts: openssl CLI not found, TLS cases skipped\n');

interface Pki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** A throw-away CA that signs a server certificate for 127.0.0.1 and a client certificate. */
function makePki(dir: string): Pki {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const file = (name: string) => join(dir, name);
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Kiosk Test CA',
  );
  const leaf = (name: string, subject: string, extension: string) => {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    execFileSync('sh', ['-c', `printf '%s\\n' '${extension}' > ${name}.ext`], { cwd: dir });
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  };
  leaf('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1');
  leaf('client', '/CN=ATM00001', 'extendedKeyUsage=clientAuth');
  const read = (name: string) => readFileSync(file(name), 'utf8');
  return {
    ca: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    clientCert: read('client.pem'),
    clientKey: read('client.key'),
  };
}

describe.skipIf(!OPENSSL)('host link over TLS', () => {
  let dir: ReturnType<typeof tempDir>;
  let pki: Pki;
  let host: HostSimulator;

  beforeAll(async () => {
    dir = tempDir('host-tls-');
    pki = makePki(dir.path);
    host = await startHost(dir.path, {
      tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestClientCert: true },
    });
  });

  afterAll(async () => {
    await host.close();
    dir.remove();
  });

  it('mutual TLS: signs on with a client certificate and runs a balance inquiry', async () => {
    const kiosk = await buildKiosk(dir.path, {
      host: '127.0.0.1',
      port: host.port,
      tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey },
    });
    await connect(kiosk);
    expect((await kiosk.tx.perform({ kind: 'balance', card: magstripe() })).action).toBe('approve');
    await kiosk.close();
  });

  it('without a client certificate the host refuses the connection; the link stays down', async () => {
    const kiosk = await buildKiosk(dir.path, { host: '127.0.0.1', port: host.port, tls: { ca: pki.ca } });
    kiosk.link.start();
    await until(() =>
      kiosk.journal.records.some((r) =>
        ['connectFailed', 'disconnected', 'signOnFailed'].includes(String(r.payload['event'])),
      ),
    );
    expect(kiosk.link.up).toBe(false);
    await kiosk.close();
  });

  it('a host certificate from another CA is refused', async () => {
    const other = tempDir('host-tls-other-');
    const otherPki = makePki(other.path);
    const kiosk = await buildKiosk(dir.path, {
      host: '127.0.0.1',
      port: host.port,
      tls: { ca: otherPki.ca, cert: pki.clientCert, key: pki.clientKey },
    });
    kiosk.link.start();
    await until(() => kiosk.journal.events('connectFailed').length > 0);
    expect(String(kiosk.journal.events('connectFailed')[0]!.payload['error'])).toMatch(/certificate/i);
    expect(kiosk.link.up).toBe(false);
    await kiosk.close();
    other.remove();
  });
});
