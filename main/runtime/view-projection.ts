import type { AnyActorRef, SnapshotFrom } from 'xstate';
import type { kioskMachine } from '../../state-machines/kiosk/kiosk.machine.js';
import { menuOptions, type SessionContext } from '../../state-machines/session/session.machine.js';
import type { WithdrawalContext } from '../../state-machines/transactions/withdrawal.machine.js';
import type { BalanceContext } from '../../state-machines/transactions/balance.machine.js';
import type { DeviceSummary, ScreenData, ScreenId, SessionView } from '../ipc-contract/view.js';

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
 * → transaction.
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
  if (at('customer.menu')) return { screen: 'menu', options: menuOptions(s) };
  if (at('customer.wrongPinNotice')) return { screen: 'notice', data: { message: 'pin.wrong' } };
  if (at('customer.anotherTransaction'))
    return { screen: 'anotherTransaction', options: ['another.yes', 'another.no'] };
  if (at('customer.transaction')) return transactionScreen(session);
  if (at('returningCard') || at('awaitingCardTaken')) {
    return { screen: 'takeCard', data: { deadlineSeconds: Math.round(s.timeouts.takeCardMs / 1000), ...message } };
  }
  if (at('capturingCard')) return { screen: 'notice', data: { message: s.message ?? 'card.captured' } };
  return { screen: 'pleaseWait', data: { step: 'step.finishing' } };
}

function transactionScreen(session: ChildSnapshot<SessionContext>): ScreenPick {
  const ref = (session as unknown as { children: Record<string, AnyActorRef | undefined> }).children.transaction;
  if (session.context.selected === 'balance') return balanceScreen(child<BalanceContext>(ref));
  return withdrawalScreen(child<WithdrawalContext>(ref));
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
