import { Buffer } from 'node:buffer';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { z } from 'zod';
import type { Clock } from '../../drivers/common/clock.js';
import { SimulatorControlError } from '../common/simulator.js';
import { BankStore } from './bank-store.js';
import { FaultPlan, FaultSchema } from './faults.js';
import { Issuer } from './issuer.js';
import { ShiftableClock } from './sim-clock.js';
import { WireError, WireFrames, decodeWire, encodeWire, frameWire, type WireMessage } from './wire.js';

export { DEMO_DISPENSER_HOST_KEY } from './dispense-token.js';

export interface HostSimulatorOptions {
  /** Folder for `host-sim.sqlite`; the books survive restarts. */
  readonly dir: string;
  readonly clock: Clock;
  /** Terminal master key shared with the kiosk's EPP (16 bytes). */
  readonly tmk: Uint8Array;
  /** Issuer master key for ARQC/ARPC (16 bytes). */
  readonly imk: Uint8Array;
  /**
   * XFSAuthenticateHost, the key the bank shares with its cash dispensers, for dispense tokens
   * (32 bytes). Must equal the dispenser simulators' `endToEnd.hostKey`; default DEMO_DISPENSER_HOST_KEY.
   */
  readonly dispenserHostKey?: Uint8Array;
  /** TLS server material; `ca` + requestClientCert make it mutual TLS. */
  readonly tls?: {
    readonly cert: string;
    readonly key: string;
    readonly ca?: string;
    readonly requestClientCert?: boolean;
  };
  /** Seed the demo accounts and cards into an empty store (default true). */
  readonly seed?: boolean;
  readonly realTimeOnConfirmation?: boolean;
  readonly random?: (length: number) => Uint8Array;
}

/** Synthetic test keys (host-crypto.md style), the launcher's defaults. */
export const DEMO_TMK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
export const DEMO_IMK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');

const RECEIVED_KEPT = 500;

const AccountBody = z
  .object({
    number: z.string().regex(/^[0-9]{6,28}$/),
    owner: z.string().min(1).max(40),
    name: z.string().min(1).max(40),
    balanceMinor: z.number().int(),
    sameBank: z.boolean().default(true),
  })
  .strict();
const CardBody = z
  .object({
    pan: z.string().regex(/^[0-9]{12,19}$/),
    account: z.string().regex(/^[0-9]{6,28}$/),
    pin: z.string().regex(/^[0-9]{4,12}$/),
    dailyLimitMinor: z.number().int().min(0).optional(),
    status: z.enum(['active', 'lost']).optional(),
    psn: z
      .string()
      .regex(/^[0-9]{2}$/)
      .optional(),
  })
  .strict();
const AppointmentBody = z
  .object({
    /** What the app shows as QR code or digits. */
    code: z.string().regex(/^[\x21-\x7e]{6,64}$/),
    /** 13-19 digits: the kiosk's format 0 PIN block takes its PAN field from them. */
    account: z.string().regex(/^[0-9]{13,19}$/),
    amountMinor: z.number().int().positive(),
    /** The withdrawal PIN set in the app (a test value). */
    pin: z.string().regex(/^[0-9]{4,12}$/),
    /** How long the booking stays valid from now on the simulator's clock. Default 24 h. */
    validForMs: z.number().int().positive().default(24 * 3_600_000),
    reference: z
      .string()
      .regex(/^[A-Z0-9]{4,20}$/)
      .optional(),
  })
  .strict();
const AdvanceBody = z.object({ ms: z.number().int().min(0) }).strict();
const BalanceBody = z.object({ account: z.string(), balanceMinor: z.number().int() }).strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success)
    throw new SimulatorControlError(
      result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  return result.data;
}

/**
 * An ISO 8583 bank host on loopback TCP (or TLS) for the kiosk's host link: its own wire codec
 * (wire.ts), its books in SQLite, and a developer API (`control`) to seed accounts, move its clock
 * and script faults.
 */
export class HostSimulator {
  readonly name = 'host';
  readonly clock: ShiftableClock;
  readonly store: BankStore;
  readonly issuer: Issuer;
  readonly faults = new FaultPlan();
  /** Every frame the kiosk sent (bounded), exactly as received. */
  readonly received: Uint8Array[] = [];
  /** Frames the simulator could not decode. */
  formatErrors = 0;
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  #port = 0;

  constructor(private readonly options: HostSimulatorOptions) {
    this.clock = new ShiftableClock(options.clock);
    this.store = new BankStore(options.dir);
    this.issuer = new Issuer({
      store: this.store,
      clock: this.clock,
      tmk: options.tmk,
      imk: options.imk,
      ...(options.dispenserHostKey === undefined ? {} : { dispenserHostKey: options.dispenserHostKey }),
      ...(options.realTimeOnConfirmation === undefined
        ? {}
        : { realTimeOnConfirmation: options.realTimeOnConfirmation }),
      ...(options.random === undefined ? {} : { random: options.random }),
    });
    if (options.seed !== false && this.store.empty) seedDemoBank(this.store);
  }

  get port(): number {
    return this.#port;
  }

  /** Listens on 127.0.0.1; port 0 picks a free one. Resolves with the port. */
  async listen(port = 0): Promise<number> {
    const { tls } = this.options;
    const onSocket = (socket: Socket): void => this.#accept(socket);
    const server = tls
      ? createTlsServer(
          {
            cert: tls.cert,
            key: tls.key,
            ...(tls.ca === undefined ? {} : { ca: tls.ca }),
            requestCert: tls.requestClientCert === true,
            rejectUnauthorized: tls.requestClientCert === true,
          },
          onSocket,
        )
      : createTcpServer(onSocket);
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    return this.#port;
  }

  /** Drops every kiosk connection (the link must reconnect and sign on again). */
  dropConnections(): void {
    for (const s of this.#sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.store.close();
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.setNoDelay(true);
    const frames = new WireFrames();
    socket.on('data', (chunk: Buffer) => {
      for (const raw of frames.push(chunk)) this.#onFrame(socket, raw);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.#sockets.delete(socket));
  }

  #onFrame(socket: Socket, raw: Uint8Array): void {
    this.received.push(raw);
    if (this.received.length > RECEIVED_KEPT) this.received.shift();
    let request: WireMessage;
    try {
      request = decodeWire(raw);
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      this.formatErrors++;
      return;
    }
    const terminal = (request.fields.get(41) ?? '').trimEnd();
    const fault = this.faults.take(request.mti);
    const send = (bytes: Uint8Array): boolean => socket.write(bytes);
    if (fault?.kind === 'oversized') {
      send(Uint8Array.of(0xff, 0xff, 0x30, 0x32));
      return;
    }
    if (fault?.kind === 'decline') {
      send(frameWire(encodeWire(this.issuer.seal(this.issuer.baseResponse(request, fault.code ?? '05'), terminal))));
      return;
    }
    if (fault !== undefined && !fault.process) {
      if (fault.kind === 'disconnect') socket.destroy();
      return;
    }
    const result = this.issuer.handle(request, raw);
    if (result === null) return;
    if (fault?.kind === 'tokenTamper') this.issuer.tamperDispenseToken(result.response);
    const response = result.mac ? this.issuer.seal(result.response, terminal) : result.response;
    const framed = frameWire(encodeWire(response));
    switch (fault?.kind) {
      case 'timeout':
        return;
      case 'disconnect':
        send(framed.subarray(0, framed.length >> 1));
        socket.end(() => socket.destroy());
        return;
      case 'badMac': {
        const corrupted = Uint8Array.from(framed);
        corrupted[corrupted.length - 1] = corrupted[corrupted.length - 1] === 0x30 ? 0x31 : 0x30;
        send(corrupted);
        return;
      }
      case 'formatError':
        send(frameWire(Buffer.from(`${response.mti}ZZ not an ISO 8583 message`, 'ascii')));
        return;
      case 'duplicate':
        send(framed);
        send(framed);
        return;
      case 'stray': {
        const other = new Map(response.fields);
        other.set(11, String((Number(response.fields.get(11) ?? '0') + 500_000) % 1_000_000).padStart(6, '0'));
        send(frameWire(encodeWire(this.issuer.seal({ mti: response.mti, fields: other }, terminal))));
        send(framed);
        return;
      }
      case 'truncated':
        send(framed.subarray(0, framed.length - 10));
        return;
      default:
        send(framed);
    }
  }

  snapshot(): unknown {
    this.issuer.settleDueTransfers();
    return {
      port: this.#port,
      now: this.clock.now(),
      clockOffsetMs: this.clock.offsetMs,
      accounts: this.store.accounts(),
      cards: this.store.cards(),
      appointments: this.store.appointments(),
      transfers: this.store.transfers(),
      largeCash: this.store.largeCash(),
      reversals: this.store.reversals(),
      faults: this.faults.list(),
      received: this.received.length,
      formatErrors: this.formatErrors,
      arqcFailures: this.issuer.arqcFailures,
    };
  }

  control(action: string, body: unknown): unknown {
    switch (action) {
      case 'fault':
        this.faults.add(parse(FaultSchema, body));
        break;
      case 'clearFaults':
        this.faults.clear();
        break;
      case 'advanceClock':
        this.clock.advance(parse(AdvanceBody, body).ms);
        break;
      case 'addAccount':
        this.store.putAccount(parse(AccountBody, body));
        break;
      case 'addCard':
        this.store.putCard(parse(CardBody, body));
        break;
      case 'addAppointment': {
        const { validForMs, reference, ...rest } = parse(AppointmentBody, body);
        if (this.store.account(rest.account) === undefined) throw new SimulatorControlError(`no account ${rest.account}`);
        this.store.putAppointment({
          ...rest,
          reference: reference ?? `AP${String(this.store.appointments().length + 1).padStart(10, '0')}`,
          expiresAt: this.clock.now() + validForMs,
        });
        break;
      }
      case 'setBalance': {
        const { account, balanceMinor } = parse(BalanceBody, body);
        const existing = this.store.account(account);
        if (existing === undefined) throw new SimulatorControlError(`no account ${account}`);
        this.store.putAccount({ ...existing, balanceMinor });
        break;
      }
      case 'dropConnections':
        this.dropConnections();
        break;
      default:
        throw new SimulatorControlError(`unknown action "${action}"`);
    }
    return this.snapshot();
  }
}

/** A few customers for developers: PINs are test values, documented in docs/host-link.md. */
export function seedDemoBank(store: BankStore): void {
  store.putAccount({
    number: '6222020000000001',
    owner: 'C001',
    name: '张小明',
    balanceMinor: 5_000_000,
    sameBank: true,
  });
  store.putAccount({
    number: '6222020000000002',
    owner: 'C001',
    name: '张小明',
    balanceMinor: 100_000,
    sameBank: true,
  });
  store.putAccount({ number: '6222020000000003', owner: 'C002', name: '李四', balanceMinor: 0, sameBank: true });
  store.putAccount({ number: '6228480000000004', owner: 'C003', name: '王五', balanceMinor: 0, sameBank: false });
  store.putCard({ pan: '6212341234567890', account: '6222020000000001', pin: '123456', psn: '01' });
  store.putCard({ pan: '6212340000000018', account: '6222020000000003', pin: '111111', psn: '01' });
}
