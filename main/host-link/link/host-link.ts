import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import type { Clock, TimerHandle } from '../../../drivers/common/clock.js';
import { EventHub, type Unsubscribe } from '../../../drivers/common/events.js';
import type { ByteTransport } from '../../../drivers/common/transport.js';
import { TcpTransport } from '../../../drivers/transports/tcp-transport.js';
import { IsoFormatError, decode, encode, macFieldFor, macInput, withMac, type IsoMessage } from '../iso8583/index.js';
import { FramedConnection, type StreamFault } from './connection.js';
import type { Db } from './db.js';
import { HostLinkError } from './errors.js';
import { noopJournal, type HostLinkJournal } from './journal.js';
import {
  NetworkCode,
  networkRequest,
  networkResponse,
  parseWorkingKeys,
  type NetworkCodeValue,
} from './network-messages.js';
import { KeyCheckError, type SecurityModule } from './security-module.js';
import { Sequences } from './sequence.js';
import type { TerminalIdentity } from './terminal.js';
import { TlsTransport, type TlsOptions } from './tls-transport.js';

export interface HostEndpoint {
  readonly host: string;
  readonly port: number;
  /** TLS to the host; with `cert` and `key` it is mutual TLS. */
  readonly tls?: TlsOptions;
}

export interface LinkTimeouts {
  /** Per request, unless the request says otherwise. */
  readonly responseMs: number;
  readonly connectMs: number;
  /** Quiet time after which an 0800 echo (DE70 301) checks the link. */
  readonly idleEchoMs: number;
  /** Reconnect backoff: doubles from min to max. */
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /** A partial frame with no new byte for this long means the stream lost sync. */
  readonly frameStallMs: number;
}

export const DEFAULT_LINK_TIMEOUTS: LinkTimeouts = {
  responseMs: 30_000,
  connectMs: 10_000,
  idleEchoMs: 60_000,
  reconnectMinMs: 1_000,
  reconnectMaxMs: 30_000,
  frameStallMs: 5_000,
};

export interface HostLinkOptions {
  readonly endpoint: HostEndpoint;
  readonly terminal: TerminalIdentity;
  readonly clock: Clock;
  /** The link's SQLite file (openLinkDb): STAN counter and reversal queue. */
  readonly db: Db;
  readonly security: SecurityModule;
  readonly journal?: HostLinkJournal;
  readonly timeouts?: Partial<LinkTimeouts>;
  /** Largest frame accepted from the host (default 8192). */
  readonly maxFrameLength?: number;
  /** Builds the byte stream; defaults to TcpTransport, or TlsTransport when `endpoint.tls` is set. */
  readonly transport?: (endpoint: HostEndpoint) => ByteTransport;
}

export interface RequestOptions {
  readonly timeoutMs?: number;
  /** MAC the request and require a valid MAC on the response (default true). */
  readonly mac?: boolean;
}

interface Pending {
  readonly resolve: (message: IsoMessage) => void;
  readonly reject: (err: HostLinkError) => void;
  readonly timer: TimerHandle;
  readonly expectMac: boolean;
}

interface LinkEvents {
  status: boolean;
  signedOn: undefined;
}

const PROFILE = 'ascii';
const MAC_BYTES = 8;
/** How many answered or expired request keys are remembered to tell duplicates and late answers from strays. */
const REMEMBERED = 1024;

/** Remembers the last REMEMBERED keys (insertion order). */
class RecentKeys {
  readonly #keys = new Set<string>();
  add(key: string): void {
    this.#keys.add(key);
    if (this.#keys.size > REMEMBERED) this.#keys.delete(this.#keys.values().next().value as string);
  }
  has(key: string): boolean {
    return this.#keys.has(key);
  }
}

/** Request and response share the MTI version and class digits ("02" for 0200/0210) and the STAN and terminal. */
function matchKey(message: IsoMessage): string | null {
  const stan = message.fields.get(11);
  const terminal = message.fields.get(41);
  if (typeof stan !== 'string') return null;
  return `${message.mti.slice(0, 2)}|${stan}|${typeof terminal === 'string' ? terminal.trimEnd() : ''}`;
}

function defaultTransport(endpoint: HostEndpoint): ByteTransport {
  return endpoint.tls === undefined
    ? new TcpTransport({ host: endpoint.host, port: endpoint.port })
    : new TlsTransport({ host: endpoint.host, port: endpoint.port, tls: endpoint.tls });
}

/**
 * The kiosk's connection to its host or ATMP: ISO 8583 (ascii profile) in 2-byte length frames.
 * Connects and signs on by itself, reconnects with backoff, echoes when idle, matches responses to
 * requests, checks MACs, and reports every protocol fault to the journal instead of throwing.
 */
export class HostLink {
  readonly sequences: Sequences;
  readonly #o: HostLinkOptions;
  readonly #t: LinkTimeouts;
  readonly #journal: HostLinkJournal;
  readonly #hub = new EventHub<LinkEvents>();
  readonly #pending = new Map<string, Pending>();
  readonly #answered = new RecentKeys();
  readonly #expired = new RecentKeys();
  #connection: FramedConnection | null = null;
  #signedOn = false;
  #signingOn = false;
  #up = false;
  #stopped = true;
  #attempt = 0;
  #reconnectTimer: TimerHandle | null = null;
  #idleTimer: TimerHandle | null = null;

  constructor(options: HostLinkOptions) {
    this.#o = options;
    this.#t = { ...DEFAULT_LINK_TIMEOUTS, ...options.timeouts };
    this.#journal = options.journal ?? noopJournal;
    this.sequences = new Sequences(options.db, options.clock, options.terminal.utcOffsetMinutes);
  }

  get terminal(): TerminalIdentity {
    return this.#o.terminal;
  }

  get clock(): Clock {
    return this.#o.clock;
  }

  /** True while connected and signed on with verified working keys. */
  get up(): boolean {
    return this.#up;
  }

  /** `host.statusChanged` for the kiosk machine: called with true/false on every change. */
  onStatus(listener: (up: boolean) => void): Unsubscribe {
    return this.#hub.on('status', listener);
  }

  /** Called after every successful sign-on (the reversal sender flushes its queue then). */
  onSignedOn(listener: () => void): Unsubscribe {
    return this.#hub.on('signedOn', listener);
  }

  /** Starts connecting in the background; status events tell the outcome. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#clearTimer('reconnect');
    this.#clearTimer('idle');
    this.#failPending(new HostLinkError('disconnected', 'link stopped'));
    const connection = this.#connection;
    this.#connection = null;
    this.#signedOn = false;
    this.#setStatus(false);
    await connection?.close();
  }

  /**
   * Sends a request and resolves with its response. Rejects with HostLinkError: `notConnected`
   * when nothing was sent, otherwise `timeout`, `disconnected` or `macFailure` (the host may have
   * acted on the request). Put the STAN (DE11) and DE41 in the message; the MAC is added here.
   */
  async request(message: IsoMessage, options: RequestOptions = {}): Promise<IsoMessage> {
    if (this.#stopped) throw new HostLinkError('closed');
    if (!this.#signedOn) throw new HostLinkError('notConnected', 'not signed on');
    return this.#exchange(message, options.mac ?? true, options.timeoutMs ?? this.#t.responseMs);
  }

  /** Signs on again now (e.g. daily key renewal). Resolves true when new keys are in use. */
  async renewKeys(): Promise<boolean> {
    return this.#resignOn('requested');
  }

  // ---- connection lifecycle ---------------------------------------------------------------------

  async #connect(): Promise<void> {
    this.#reconnectTimer = null;
    if (this.#stopped) return;
    const { endpoint, clock } = this.#o;
    const transport = (this.#o.transport ?? defaultTransport)(endpoint);
    const abort = new AbortController();
    const timer = clock.setTimeout(() => abort.abort(), this.#t.connectMs);
    try {
      await transport.open(abort.signal);
    } catch (err) {
      this.#journal.record('host.request', {
        event: 'connectFailed',
        endpoint: transport.description,
        error: String(err),
      });
      this.#scheduleReconnect();
      return;
    } finally {
      clock.clearTimeout(timer);
    }
    if (this.#stopped) {
      await transport.close();
      return;
    }
    const connection: FramedConnection = new FramedConnection(
      transport,
      clock,
      {
        // Nothing from the host may escape as an exception: whatever slips through is journaled.
        frame: (bytes) =>
          void this.#onFrame(bytes).catch((err: unknown) =>
            this.#journal.record('host.response', { event: 'receiveError', error: String(err) }),
          ),
        fault: (fault) => this.#onStreamFault(connection, fault),
        closed: (reason) => this.#onClosed(connection, reason),
      },
      { maxFrameLength: this.#o.maxFrameLength ?? 8192, stallMs: this.#t.frameStallMs },
    );
    this.#connection = connection;
    this.#journal.record('host.request', { event: 'connected', endpoint: transport.description });
    if (!(await this.#signOn())) await connection.close();
  }

  #scheduleReconnect(): void {
    if (this.#stopped || this.#reconnectTimer !== null) return;
    const delay = Math.min(this.#t.reconnectMinMs * 2 ** this.#attempt, this.#t.reconnectMaxMs);
    this.#attempt++;
    this.#reconnectTimer = this.#o.clock.setTimeout(() => void this.#connect(), delay);
  }

  #onClosed(connection: FramedConnection, reason: Error | undefined): void {
    if (connection !== this.#connection) return;
    this.#connection = null;
    this.#signedOn = false;
    this.#clearTimer('idle');
    this.#failPending(new HostLinkError('disconnected', reason?.message));
    this.#setStatus(false);
    this.#journal.record('host.response', { event: 'disconnected', reason: reason?.message ?? 'closed' });
    this.#scheduleReconnect();
  }

  #onStreamFault(connection: FramedConnection, fault: StreamFault): void {
    const { kind, ...facts } = fault;
    this.#journal.record('host.response', { event: kind, ...facts });
    void connection.close();
  }

  /** 0800 DE70 001 → 0810 with PIK and MAK under the TMK; the keys are used only once their KCVs match. */
  async #signOn(): Promise<boolean> {
    if (this.#signingOn) return false;
    this.#signingOn = true;
    try {
      const response = await this.#network(NetworkCode.signOn);
      const code = response.fields.get(39);
      if (code !== '00') throw new HostLinkError('signOnRefused', `response code ${String(code)}`);
      const keys = parseWorkingKeys(response.fields.get(62));
      if (keys === null) throw new HostLinkError('keyCheck', 'DE62 does not hold PIK and MAK with check values');
      try {
        await this.#o.security.installWorkingKeys(keys);
      } catch (err) {
        if (err instanceof KeyCheckError) throw new HostLinkError('keyCheck', err.message);
        throw err;
      }
      this.#journal.record('security', {
        event: 'workingKeysInstalled',
        pikKcv: Buffer.from(keys.pikKcv).toString('hex').toUpperCase(),
        makKcv: Buffer.from(keys.makKcv).toString('hex').toUpperCase(),
      });
      this.#signedOn = true;
      this.#attempt = 0;
      this.#setStatus(true);
      this.#armIdle();
      this.#hub.emit('signedOn', undefined);
      return true;
    } catch (err) {
      const code = err instanceof HostLinkError ? err.code : 'error';
      this.#journal.record(code === 'keyCheck' ? 'security' : 'host.response', {
        event: 'signOnFailed',
        code,
        error: String(err),
      });
      return false;
    } finally {
      this.#signingOn = false;
    }
  }

  /** After a MAC failure the working keys are suspect: sign on again on the same connection, else reconnect. */
  async #resignOn(why: string): Promise<boolean> {
    const connection = this.#connection;
    if (connection === null || this.#signingOn) return false;
    this.#journal.record('security', { event: 'reSignOn', why });
    this.#signedOn = false;
    this.#setStatus(false);
    const ok = await this.#signOn();
    if (!ok && connection === this.#connection) await connection.close();
    return ok;
  }

  #network(code: NetworkCodeValue): Promise<IsoMessage> {
    const { clock, terminal } = this.#o;
    return this.#exchange(
      networkRequest(code, this.sequences.nextStan(), clock.now(), terminal),
      false,
      this.#t.responseMs,
    );
  }

  #armIdle(): void {
    this.#clearTimer('idle');
    if (!this.#signedOn) return;
    this.#idleTimer = this.#o.clock.setTimeout(() => void this.#echo(), this.#t.idleEchoMs);
  }

  async #echo(): Promise<void> {
    this.#idleTimer = null;
    const connection = this.#connection;
    if (connection === null || !this.#signedOn) return;
    if (this.#pending.size > 0) return this.#armIdle();
    try {
      await this.#network(NetworkCode.echo);
    } catch (err) {
      this.#journal.record('host.response', { event: 'echoFailed', error: String(err) });
      if (connection === this.#connection) await connection.close();
    }
  }

  #clearTimer(which: 'idle' | 'reconnect'): void {
    const timer = which === 'idle' ? this.#idleTimer : this.#reconnectTimer;
    if (timer !== null) this.#o.clock.clearTimeout(timer);
    if (which === 'idle') this.#idleTimer = null;
    else this.#reconnectTimer = null;
  }

  #setStatus(up: boolean): void {
    if (this.#up === up) return;
    this.#up = up;
    this.#journal.record('host.response', { event: up ? 'linkUp' : 'linkDown' });
    this.#hub.emit('status', up);
  }

  #failPending(err: HostLinkError): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) {
      this.#o.clock.clearTimeout(p.timer);
      p.reject(err);
    }
  }

  // ---- requests and responses -------------------------------------------------------------------

  async #exchange(message: IsoMessage, mac: boolean, timeoutMs: number): Promise<IsoMessage> {
    const connection = this.#connection;
    if (connection === null) throw new HostLinkError('notConnected');
    const key = matchKey(message);
    if (key === null) throw new IsoFormatError('badField', 11, 'a request needs a STAN');
    if (this.#pending.has(key))
      throw new HostLinkError('notConnected', `STAN ${String(message.fields.get(11))} is already in flight`);
    const bytes = await this.#encode(message, mac);
    if (connection !== this.#connection) throw new HostLinkError('notConnected');
    const { clock } = this.#o;
    const response = new Promise<IsoMessage>((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        if (!this.#pending.delete(key)) return;
        this.#expired.add(key);
        this.#journal.record('host.response', {
          event: 'timeout',
          mti: message.mti,
          stan: message.fields.get(11),
          afterMs: timeoutMs,
        });
        reject(new HostLinkError('timeout', `no response to ${message.mti} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(key, { resolve, reject, timer, expectMac: mac });
    });
    this.#journal.record('host.request', {
      event: 'sent',
      mti: message.mti,
      stan: message.fields.get(11),
      processingCode: message.fields.get(3),
    });
    try {
      await connection.send(bytes);
    } catch (err) {
      const pending = this.#pending.get(key);
      if (pending) {
        this.#pending.delete(key);
        clock.clearTimeout(pending.timer);
        pending.reject(new HostLinkError('disconnected', `write failed: ${String(err)}`));
      }
    }
    this.#armIdle();
    return response;
  }

  async #encode(message: IsoMessage, mac: boolean): Promise<Uint8Array> {
    if (!mac) return encode(message, PROFILE);
    const fields = new Map(message.fields);
    fields.set(macFieldFor(fields), new Uint8Array(MAC_BYTES));
    const draft = encode({ mti: message.mti, fields }, PROFILE);
    let code: Uint8Array;
    try {
      code = await this.#o.security.mac(macInput(draft, PROFILE));
    } catch (err) {
      this.#journal.record('security', { event: 'macUnavailable', mti: message.mti, error: String(err) });
      throw new HostLinkError('securityModule', `no MAC for ${message.mti}`);
    }
    return withMac(draft, code, PROFILE);
  }

  async #onFrame(bytes: Uint8Array): Promise<void> {
    this.#armIdle();
    let message: IsoMessage;
    try {
      message = decode(bytes, PROFILE);
    } catch (err) {
      if (!(err instanceof IsoFormatError)) throw err;
      this.#journal.record('host.response', {
        event: 'malformedMessage',
        code: err.code,
        field: err.field,
        length: bytes.length,
      });
      return;
    }
    const key = matchKey(message);
    if (key === null) {
      this.#journal.record('host.response', {
        event: 'malformedMessage',
        code: 'noStan',
        mti: message.mti,
        length: bytes.length,
      });
      return;
    }
    const fn = message.mti[2];
    if (fn === '0' || fn === '2') return this.#onHostRequest(message);
    const pending = this.#pending.get(key);
    const facts = { mti: message.mti, stan: message.fields.get(11), responseCode: message.fields.get(39) };
    if (pending === undefined) {
      const event = this.#answered.has(key)
        ? 'duplicateResponse'
        : this.#expired.has(key)
          ? 'lateResponse'
          : 'unmatchedResponse';
      this.#journal.record('host.response', { event, ...facts });
      return;
    }
    this.#pending.delete(key);
    this.#o.clock.clearTimeout(pending.timer);
    this.#answered.add(key);
    if (message.fields.get(39) === 'A0') {
      this.#journal.record('security', { event: 'macRejectedByHost', ...facts });
      pending.reject(new HostLinkError('macFailure', 'the host could not verify our MAC (A0)'));
      void this.#resignOn('A0');
      return;
    }
    if (pending.expectMac && !(await this.#macValid(bytes, message))) {
      this.#journal.record('security', { event: 'macFailure', ...facts });
      pending.reject(new HostLinkError('macFailure', `response ${message.mti} MAC does not verify`));
      void this.#resignOn('macFailure');
      return;
    }
    this.#journal.record('host.response', { event: 'received', ...facts });
    pending.resolve(message);
  }

  async #macValid(bytes: Uint8Array, message: IsoMessage): Promise<boolean> {
    const received = message.fields.get(macFieldFor(message.fields));
    if (!(received instanceof Uint8Array) || received.length !== MAC_BYTES) return false;
    let expected: Uint8Array;
    try {
      expected = await this.#o.security.mac(macInput(bytes, PROFILE));
    } catch (err) {
      // A response the kiosk cannot verify is not a valid one.
      this.#journal.record('security', { event: 'macUnavailable', mti: message.mti, error: String(err) });
      return false;
    }
    return expected.length >= MAC_BYTES && timingSafeEqual(expected.subarray(0, MAC_BYTES), received);
  }

  /** The host may echo us: answer its 0800 301; anything else it starts is only journaled. */
  #onHostRequest(message: IsoMessage): void {
    const connection = this.#connection;
    if (message.mti === '0800' && message.fields.get(70) === NetworkCode.echo && connection !== null) {
      void connection.send(encode(networkResponse(message, this.#o.clock.now()), PROFILE)).catch(() => undefined);
      return;
    }
    this.#journal.record('host.response', {
      event: 'unsolicitedRequest',
      mti: message.mti,
      stan: message.fields.get(11),
    });
  }
}
