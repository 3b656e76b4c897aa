import type { ScreenId } from '../../../main/ipc-contract/view.js';
import { Amount } from './Amount.js';
import { AmountEntry } from './AmountEntry.js';
import { AnotherTransaction } from './AnotherTransaction.js';
import { Balance } from './Balance.js';
import { Complaint } from './Complaint.js';
import { ComplaintTicket } from './ComplaintTicket.js';
import { Confirm } from './Confirm.js';
import { DepositConfirm } from './DepositConfirm.js';
import { DepositCount } from './DepositCount.js';
import { DepositInsert } from './DepositInsert.js';
import { DepositLargeCash } from './DepositLargeCash.js';
import { DepositReturn } from './DepositReturn.js';
import { Language } from './Language.js';
import { MaintCardBin } from './maintenance/MaintCardBin.js';
import { MaintCashUnits } from './maintenance/MaintCashUnits.js';
import { MaintDevices } from './maintenance/MaintDevices.js';
import { MaintLogin } from './maintenance/MaintLogin.js';
import { MaintMenu } from './maintenance/MaintMenu.js';
import { MaintNotice } from './maintenance/MaintNotice.js';
import { MaintReplenish } from './maintenance/MaintReplenish.js';
import { MaintReplenishConfirm } from './maintenance/MaintReplenishConfirm.js';
import { Menu } from './Menu.js';
import { MiniStatement } from './MiniStatement.js';
import { NoteMix } from './NoteMix.js';
import { Notice } from './Notice.js';
import { OutOfService } from './OutOfService.js';
import { Pin } from './Pin.js';
import { PinChange } from './PinChange.js';
import { PleaseWait } from './PleaseWait.js';
import { Rating } from './Rating.js';
import { ReceiptQuestion } from './ReceiptQuestion.js';
import { RetractNotice } from './RetractNotice.js';
import { Starting } from './Starting.js';
import { TakeCard } from './TakeCard.js';
import { TakeCash } from './TakeCash.js';
import { TransferConfirm } from './TransferConfirm.js';
import { TransferPayee } from './TransferPayee.js';
import { TransferResult } from './TransferResult.js';
import { TransferWarning } from './TransferWarning.js';
import type { ScreenProps } from './types.js';
import { Welcome } from './Welcome.js';

/** One component per screen; the Record type makes a new ScreenId without a component a compile error. */
export const SCREENS: Record<ScreenId, (props: ScreenProps) => React.JSX.Element> = {
  starting: Starting,
  welcome: Welcome,
  outOfService: OutOfService,
  pleaseWait: PleaseWait,
  language: Language,
  pin: Pin,
  menu: Menu,
  amount: Amount,
  amountEntry: AmountEntry,
  receiptQuestion: ReceiptQuestion,
  confirm: Confirm,
  takeCash: TakeCash,
  takeCard: TakeCard,
  balance: Balance,
  anotherTransaction: AnotherTransaction,
  notice: Notice,
  depositInsert: DepositInsert,
  depositCount: DepositCount,
  depositConfirm: DepositConfirm,
  depositReturn: DepositReturn,
  transferPayee: TransferPayee,
  transferAmount: AmountEntry,
  transferWarning: TransferWarning,
  transferConfirm: TransferConfirm,
  transferResult: TransferResult,
  depositLargeCash: DepositLargeCash,
  miniStatement: MiniStatement,
  pinChange: PinChange,
  noteMix: NoteMix,
  retractNotice: RetractNotice,
  rating: Rating,
  complaint: Complaint,
  complaintTicket: ComplaintTicket,
  maintLogin: MaintLogin,
  maintMenu: MaintMenu,
  maintDevices: MaintDevices,
  maintCashUnits: MaintCashUnits,
  maintReplenish: MaintReplenish,
  maintReplenishConfirm: MaintReplenishConfirm,
  maintCardBin: MaintCardBin,
  maintNotice: MaintNotice,
};
