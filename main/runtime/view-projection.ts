import type { AnyActorRef, SnapshotFrom } from 'xstate';
import type { kioskMachine } from '../../state-machines/kiosk/kiosk.machine.js';
import { menuOptions, type SessionContext } from '../../state-machines/session/session.machine.js';
import type { WithdrawalContext } from '../../state-machines/transactions/withdrawal.machine.js';
import type { BalanceContext } from '../../state-machines/transactions/balance.machine.js';
import { creditOf, isRetained, type DepositContext } from '../../state-machines/transactions/deposit.machine.js';
import {
  FRAUD_WARNING_ACKNOWLEDGED,
  REVOKE_OPTION,
  type TransferContext,
} from '../../state-machines/transactions/transfer.machine.js';
import type { PinChangeContext } from '../../state-machines/transactions/pin-change.machine.js';
import type { MiniStatementContext } from '../../state-machines/transactions/mini-statement.machine.js';
import type { ClassifiedNote } from '../../drivers/cash-acceptor/contract.js';
import type { DeviceSummary, NoteCount, ScreenData, ScreenId, SessionView } from '../ipc-contract/view.js';
import { maintenanceScreen, type MaintenanceSnapshot } from './maintenance/maintenance-view.js';

type KioskSnapshot = SnapshotFrom<typeof kioskMachine>;

interface ScreenPick {
  readonly screen: ScreenId;
  readonly options?: readonly string[];
  readonly data?: ScreenData;
}

/** A child actor's snapshot in the shape projection needs (value + context). */
interface ChildSnapshot<C> {
  readonly value: unknown;
  readonly context: C;
  readonly status: string;
  matches(value: unknown): boolean;
}

function child<C>(ref: AnyActorRef | undefined): ChildSnapshot<C> | undefined {
  return ref?.getSnapshot() as ChildSnapshot<C> | undefined;
}

/**
 * The renderer's picture of the kiosk, without `seq` (assigned when it
 * changes). The screen follows the deepest running machine: kiosk → session
 * → transaction, or kiosk → maintenance.
 */
export function projectView(
  snapshot: KioskSnapshot,
  devices: readonly DeviceSummary[],
  kioskId: string,
): Omit<SessionView, 'seq'> {
  const c = snapshot.context;
  const session = child<SessionContext>(snapshot.children.session as AnyActorRef | undefined);
  const pick =
    snapshot.matches('starting') || snapshot.matches('deciding')
      ? { screen: 'starting' as const }
      : snapshot.matches('outOfService')
        ? { screen: 'outOfService' as const }
        : snapshot.matches('maintenance')
          ? maintenanceScreen(snapshot.children.maintenance?.getSnapshot() as MaintenanceSnapshot | undefined)
          : session && snapshot.matches({ inService: 'session' })
            ? sessionScreen(session)
            : { screen: 'welcome' as const, options: ['language.zh-CN', 'language.en'] };
  const language = session?.context.language ?? c.language;
  return {
    screen: pick.screen,
    language,
    availability: c.availability,
    devices: devices.map(({ id, deviceClass, state, model }) => ({ id, deviceClass, state, model })),
    accessibility: { elderly: c.elderly, highContrast: c.highContrast, voice: c.headphones },
    options: pick.options ?? [],
    data: pick.data ?? {},
    moreTime: session?.matches({ active: { watchdog: 'asking' } }) ?? false,
    kioskId,
  };
}

function sessionScreen(session: ChildSnapshot<SessionContext>): ScreenPick {
  const s = session.context;
  const at = (state: string): boolean => session.matches(`active.flow.${state}`);
  const message = s.message === undefined ? {} : { message: s.message };
  if (at('readingCard') || at('verifyingAppointment'))
    return { screen: 'pleaseWait', data: { step: 'step.readingCard' } };
  if (at('customer.language')) return { screen: 'language', options: ['language.zh-CN', 'language.en'] };
  if (at('customer.pin')) return { screen: 'pin', data: { pinDigits: s.pinDigits, ...message } };
  if (at('customer.menu')) {
    // The masked number lets the customer check it is their card (docs/ui.md); the vault keeps the PAN.
    const card = s.identity?.kind === 'card' ? { maskedPan: s.identity.maskedPan } : {};
    return { screen: 'menu', options: menuOptions(s), data: card };
  }
  if (at('customer.wrongPinNotice')) return { screen: 'notice', data: { message: 'pin.wrong' } };
  if (at('customer.anotherTransaction'))
    return { screen: 'anotherTransaction', options: ['another.yes', 'another.no'] };
  if (at('customer.transaction')) return transactionScreen(session);
  if (at('returningCard') || at('awaitingCardTaken')) {
    return { screen: 'takeCard', data: { deadlineSeconds: Math.round(s.timeouts.takeCardMs / 1000), ...message } };
  }
  if (at('appointmentRefused')) return { screen: 'notice', data: { message: s.message ?? 'error.appointmentInvalid' } };
  if (at('capturingCard') || at('cardKeptNotice')) return { screen: 'notice', data: { message: s.message ?? 'card.captured' } };
  return { screen: 'pleaseWait', data: { step: 'step.finishing' } };
}

function transactionScreen(session: ChildSnapshot<SessionContext>): ScreenPick {
  const ref = (session as unknown as { children: Record<string, AnyActorRef | undefined> }).children.transaction;
  switch (session.context.selected) {
    case 'balance':
      return balanceScreen(child<BalanceContext>(ref));
    case 'deposit':
      return depositScreen(child<DepositContext>(ref));
    case 'transfer':
      return transferScreen(child<TransferContext>(ref));
    case 'pinChange':
      return pinChangeScreen(child<PinChangeContext>(ref));
    case 'miniStatement':
      return miniStatementScreen(child<MiniStatementContext>(ref), session.context.limits.currency);
    default:
      return withdrawalScreen(child<WithdrawalContext>(ref));
  }
}

const withMessage = (message: string | undefined): ScreenData => (message === undefined ? {} : { message });

/** The refusal and failure notices every transaction machine ends with, or undefined in any other state. */
function endNotice(t: ChildSnapshot<{ message?: string }>): ScreenPick | undefined {
  if (t.matches('refusedNotice') || t.matches('failedNotice')) {
    return { screen: 'notice', data: withMessage(t.context.message) };
  }
  return undefined;
}

const busy = (step: string, data: ScreenData = {}): ScreenPick => ({ screen: 'pleaseWait', data: { step, ...data } });

/** Notes by face value, largest first, as the deposit screens list them. */
function noteCounts(notes: readonly ClassifiedNote[]): NoteCount[] {
  const byValue = new Map<number, number>();
  for (const note of notes) byValue.set(note.value, (byValue.get(note.value) ?? 0) + 1);
  return [...byValue].sort(([a], [b]) => b - a).map(([valueMinor, count]) => ({ valueMinor, count }));
}

export function depositScreen(d: ChildSnapshot<DepositContext> | undefined): ScreenPick {
  if (!d) return busy('step.working');
  const c = d.context;
  const credited = c.escrow.filter((n) => !isRetained(n));
  const money = { currency: c.currency, amountMinor: creditOf(c.escrow) };
  const deadlineSeconds = Math.round(c.takeNotesMs / 1000);
  if (d.matches('inserting')) {
    return {
      screen: 'depositInsert',
      data: {
        ...(c.maxNotes === undefined ? {} : { maxNotes: c.maxNotes - c.escrow.length }),
        ...withMessage(c.message),
      },
    };
  }
  if (d.matches('awaitingRefusedTaken')) {
    const reason = c.refuseReason === undefined ? 'deposit.notesRejected' : `deposit.refused.${c.refuseReason}`;
    return { screen: 'depositReturn', data: { rejectedNotes: c.refusedPending, deadlineSeconds, message: reason } };
  }
  if (d.matches('counted')) {
    const room = c.maxNotes === undefined || c.escrow.length < c.maxNotes;
    return {
      screen: 'depositConfirm',
      options: room ? ['deposit.more'] : [],
      data: { ...money, notes: noteCounts(credited), ...withMessage(c.message) },
    };
  }
  if (d.matches('confirmingLargeCash')) return { screen: 'depositLargeCash', data: { ...money, message: 'deposit.largeCash' } };
  if (d.matches('askingReceipt')) {
    return {
      screen: 'receiptQuestion',
      options: ['receipt.yes', 'receipt.no'],
      data: { currency: c.currency, amountMinor: c.committedMinor },
    };
  }
  if (d.matches('awaitingReturnTaken')) {
    // List the notes only when they are what came back; an aborted count may have added notes the machine never saw.
    const known = credited.length === c.returnedNotes ? { notes: noteCounts(credited) } : {};
    return { screen: 'depositReturn', data: { ...known, deadlineSeconds, ...withMessage(c.message) } };
  }
  const notice = endNotice(d);
  if (notice) return notice;
  if (d.matches('authorizing')) return busy('step.authorizing', money);
  if (d.matches('printingReceipt')) return busy('step.printing');
  return busy('step.working');
}

/** "6222 **** **** 1234": enough to recognise the account, not enough to copy it. */
export function maskAccount(account: string): string {
  return account.length <= 8 ? account : `${account.slice(0, 4)} **** **** ${account.slice(-4)}`;
}

export function transferScreen(t: ChildSnapshot<TransferContext> | undefined): ScreenPick {
  if (!t) return busy('step.working');
  const c = t.context;
  const money = { currency: c.currency, amountMinor: c.amountMinor };
  const payee = {
    payeeAccountMasked: maskAccount(c.payeeAccount),
    ...(c.payeeNameMasked === undefined ? {} : { payeeNameMasked: c.payeeNameMasked }),
  };
  // The 24-hour notice, on every screen about a transfer that is not executed at once.
  const delay = c.mode === 'delayed' ? { creditDelayHours: c.creditDelayHours } : {};
  if (t.matches('enteringPayee'))
    return { screen: 'transferPayee', data: { maxLength: 19, ...withMessage(c.message) } };
  if (t.matches('enteringAmount')) {
    return {
      screen: 'transferAmount',
      data: { currency: c.currency, maxAmountMinor: c.maxAmountMinor, ...withMessage(c.message) },
    };
  }
  if (t.matches('warning')) return { screen: 'transferWarning', options: [FRAUD_WARNING_ACKNOWLEDGED] };
  if (t.matches('confirming')) {
    return { screen: 'transferConfirm', data: { ...money, feeMinor: c.feeMinor, ...payee, ...delay } };
  }
  if (t.matches('result')) {
    const revocable = c.result?.revocable === true && c.result.reference !== undefined;
    const message = c.message ?? (c.mode === 'delayed' ? 'transfer.pending' : 'transfer.completed');
    return {
      screen: 'notice',
      options: revocable ? [REVOKE_OPTION] : [],
      data: { ...money, ...payee, ...delay, message },
    };
  }
  if (t.matches('askingReceipt'))
    return { screen: 'receiptQuestion', options: ['receipt.yes', 'receipt.no'], data: money };
  const notice = endNotice(t);
  if (notice) return notice;
  if (t.matches('printingReceipt')) return busy('step.printing');
  return busy('step.authorizing', money);
}

export function pinChangeScreen(p: ChildSnapshot<PinChangeContext> | undefined): ScreenPick {
  if (!p) return busy('step.working');
  const c = p.context;
  if (p.matches('enteringNew') || p.matches('confirmingNew')) {
    return { screen: 'pinChange', data: { pinStage: c.stage, pinDigits: c.pinDigits, ...withMessage(c.message) } };
  }
  if (p.matches('changedNotice')) return { screen: 'notice', data: withMessage(c.message) };
  return endNotice(p) ?? busy(p.matches('changing') ? 'step.authorizing' : 'step.working');
}

export function miniStatementScreen(m: ChildSnapshot<MiniStatementContext> | undefined, currency: string): ScreenPick {
  if (m?.matches('showing')) {
    return {
      screen: 'miniStatement',
      options: m.context.receiptsAvailable ? ['receipt.print'] : [],
      data: { currency, statement: m.context.lines },
    };
  }
  const notice = m && endNotice(m);
  if (notice) return notice;
  return busy(m?.matches('printing') ? 'step.printing' : 'step.authorizing');
}

function withdrawalScreen(w: ChildSnapshot<WithdrawalContext> | undefined): ScreenPick {
  if (!w) return { screen: 'pleaseWait', data: { step: 'step.working' } };
  const c = w.context;
  const money = { currency: c.currency, amountMinor: c.amountMinor };
  const message = c.message === undefined ? {} : { message: c.message };
  if (w.matches('choosingAmount')) {
    return {
      screen: 'amount',
      options: [...c.fastCashMinor.filter((a) => a <= c.maxAmountMinor).map((a) => `amount.${a}`), 'amount.other'],
      data: { currency: c.currency, maxAmountMinor: c.maxAmountMinor, ...message },
    };
  }
  if (w.matches('enteringAmount')) {
    return {
      screen: 'amountEntry',
      data: { currency: c.currency, maxAmountMinor: c.maxAmountMinor, multipleMinor: c.noteMultipleMinor, ...message },
    };
  }
  if (w.matches('askingReceipt'))
    return { screen: 'receiptQuestion', options: ['receipt.yes', 'receipt.no'], data: money };
  if (w.matches('confirming')) return { screen: 'confirm', data: money };
  if (w.matches('presenting') || w.matches('awaitingCashTaken')) {
    return { screen: 'takeCash', data: { ...money, deadlineSeconds: Math.round(c.takeCashMs / 1000) } };
  }
  if (w.matches('refusedNotice') || w.matches('failedNotice')) return { screen: 'notice', data: { ...message } };
  const step = w.matches('authorizing')
    ? 'step.authorizing'
    : w.matches('dispensing')
      ? 'step.counting'
      : w.matches('printingReceipt')
        ? 'step.printing'
        : 'step.working';
  return { screen: 'pleaseWait', data: { step, ...money } };
}

function balanceScreen(b: ChildSnapshot<BalanceContext> | undefined): ScreenPick {
  if (b?.matches('showing')) {
    return {
      screen: 'balance',
      options: b.context.receiptsAvailable ? ['receipt.print'] : [],
      data: {
        currency: 'CNY',
        ...(b.context.result?.availableBalanceMinor === undefined
          ? {}
          : { availableBalanceMinor: b.context.result.availableBalanceMinor }),
        ...(b.context.result?.ledgerBalanceMinor === undefined
          ? {}
          : { ledgerBalanceMinor: b.context.result.ledgerBalanceMinor }),
      },
    };
  }
  if (b && (b.matches('refusedNotice') || b.matches('failedNotice'))) {
    return { screen: 'notice', data: b.context.message === undefined ? {} : { message: b.context.message } };
  }
  return { screen: 'pleaseWait', data: { step: b?.matches('printing') ? 'step.printing' : 'step.authorizing' } };
}
