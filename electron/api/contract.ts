// The contract between the renderer and the main process: every method, its arguments (validated
// here, at the boundary, before any service runs) and its result type. `window.desk` (preload.ts),
// the IPC binding (ipc.ts) and the loopback bridge (bridge/) all serve exactly this table.
import type { Review } from './review.ts';
import type { ClosingSoonProposal, DeskEvent } from './events.ts';
import type { CreatedIdentity, ExportedSecret, IdentitySummary, VaultStatus } from '../vault/types.ts';
import type { AccountWithBalance, UserAccount } from '../services/accounts.ts';
import type { AddressBookEntry } from '../services/address-book.ts';
import type { HistoryPage } from '../services/history.ts';
import type { CanisterEntry, CanisterStatus, CanisterWithStatus, ConversionRate, CyclesPreview } from '../services/cycles.ts';
import type { RecoveryReport } from '../services/canister-recovery.ts';
import type { NeuronView } from '../services/neuron-view.ts';
import type { NeuronLimits } from '../services/neuron-limits.ts';
import type { RewardRate } from '../services/neuron-apy.ts';
import type { KnownNeuronView } from '../services/neurons.ts';
import type { VotingHistoryEntry } from '../services/neuron-votes.ts';
import type { RecoveryScan } from '../services/neuron-recovery.ts';
import type { MergeReview } from '../services/neuron-split-merge.ts';
import type { ActionableProposal, ProposalPage } from '../services/proposals.ts';
import type { ProposalView } from '../services/proposal-view.ts';
import type { VotingEligibility } from '../services/voting.ts';
import type { CsvFile } from '../services/csv-export.ts';
import { arrayOf, bool, int, nat, neuronId, object, oneOf, optional, proposalId, str, type Infer, type Validator, amountText, label, opaqueId, principal } from './validate.ts';

/** What the app is connected to, in the user's terms. */
export interface NetworkSummary {
  kind: 'mainnet' | 'local' | 'custom';
  label: string;
  url: string;
}

export type SubnetState = { state: 'stopped' } | { state: 'starting' } | { state: 'running'; url: string } | { state: 'failed'; message: string };

export interface AppStatus {
  network: NetworkSummary;
  subnet: SubnetState;
}

/**
 * The network's clock: its time now (ms since the epoch) as the active connection knows it (synced
 * at connect and after the local subnet's time travel), and this machine's clock at the same moment.
 */
export interface NetworkTime {
  networkTimeMs: number;
  localTimeMs: number;
}

/** The notification settings, and the proposals closing soon announced since the last switch. */
export interface NotificationSettings {
  /** Tell the user (OS notification, in-app notice) when a proposal their neurons can vote on closes within 24 hours. */
  closingSoon: boolean;
  /** What was announced for the active identity and network, whose deadline had not passed at the last check. */
  closingSoonNow: ClosingSoonProposal[];
}

const networkChoice = (v: unknown, name: string) => {
  const kind = oneOf(['mainnet', 'local', 'custom'] as const)((v as { kind?: unknown })?.kind, `${name}.kind`);
  if (kind === 'custom')
    return object({ kind: oneOf(['custom'] as const), url: str({ min: 1, max: 300 }), rootKeyHex: optional(str({ max: 400 })) })(v, name);
  return object({ kind: oneOf([kind] as const) })(v, name) as { kind: 'mainnet' | 'local' };
};

const proposalDraft = object({
  title: str({ min: 5, max: 256 }),
  summary: str({ max: 30_000 }),
  url: optional(str({ max: 2_048 })),
});

const passphrase = str({ min: 1, max: 1_024 });
const secretText = str({ min: 1, max: 20_000 });
const withLabel = { label: optional(label) };
const autoLock = (v: unknown, name: string) => (v === null ? null : int(60_000, 24 * 3_600_000)(v, name));

/** One of the user's accounts: its number (0 = main) or its account id / ICRC-1 text. */
const accountRef = (v: unknown, name: string): number | string =>
  typeof v === 'number' ? int(0, 2 ** 31 - 1)(v, name) : str({ min: 1, max: 200 })(v, name);
const memo = (v: unknown, name: string): bigint | string =>
  typeof v === 'bigint' ? nat()(v, name) : str({ max: 80, pattern: /^(0x[0-9a-fA-F]{0,64}|\d{1,20})$/, hint: 'A memo is a whole number, or 0x followed by hex.' })(v, name);
const cyclesText = str({ min: 1, max: 40, pattern: /^\d+$/, hint: 'Cycles are a whole number.' });

const topic = int(0, 100);
const followees = arrayOf(neuronId, { max: 15 });
const following = arrayOf(object({ topic, followees }), { max: 64 });
const seconds = nat({ max: 10n ** 12n });
const percentage = int(1, 100);
const subaccountHex = str({ min: 64, max: 64, pattern: /^[0-9a-fA-F]{64}$/, hint: 'A subaccount is 64 hexadecimal characters.' });
const account = str({ min: 1, max: 200 });
const neuron = object({ neuronId });
const statusList = arrayOf(int(0, 10), { max: 10 });

/** A method: its argument validators, in order. */
const m = <A extends Validator<unknown>[]>(...args: A) => ({ args });

export const METHODS = {
  'app.status': m(),
  'app.now': m(),
  'network.select': m(networkChoice),

  // The vault: identities and their keys (the keys never leave the main process, except the
  // seed phrase shown once at creation and an export the user asks for with the passphrase).
  'vault.status': m(),
  'vault.setup': m(passphrase),
  'vault.unlock': m(passphrase),
  'vault.lock': m(),
  'vault.touch': m(),
  'vault.changePassphrase': m(passphrase, passphrase),
  'vault.setAutoLock': m(autoLock),
  'vault.create': m(optional(label)),
  'vault.importSeedPhrase': m(object({ seedPhrase: str({ min: 1, max: 1_000 }), ...withLabel })),
  'vault.importPem': m(object({ pem: secretText, ...withLabel })),
  'vault.importDfxEncrypted': m(object({ encryptedPemBase64: str({ min: 1, max: 20_000, pattern: /^[A-Za-z0-9+/=\s]+$/, hint: 'The encrypted PEM must be given as base64.' }), identityJson: str({ min: 2, max: 10_000 }), password: passphrase, ...withLabel })),
  'vault.importQuillEncrypted': m(object({ pem: secretText, password: passphrase, ...withLabel })),
  'vault.listDfxKeyring': m(),
  'vault.importDfxKeyring': m(object({ name: str({ min: 1, max: 200, pattern: /^[A-Za-z0-9._-]+$/, hint: 'A dfx identity name is letters, digits, dot, dash and underscore.' }), ...withLabel })),
  'vault.addWatchOnly': m(object({ principal, ...withLabel })),
  'vault.rename': m(opaqueId, label),
  'vault.remove': m(opaqueId),
  'vault.setActive': m(opaqueId),
  'vault.exportSecret': m(opaqueId, passphrase, oneOf(['seed', 'pem'] as const)),
  'vault.useDemoIdentity': m(),

  // The bundled subnet (local network only): lifecycle and its play-money tools.
  'subnet.start': m(),
  'subnet.stop': m(),
  'subnet.restart': m(),
  'subnet.reset': m(),
  'subnet.advanceTime': m(int(1, 10 * 365 * 86_400)),
  'subnet.faucet': m(amountText, optional(principal)),
  'subnet.openProposal': m(proposalDraft),

  // Accounts, history, address book (the ledger and the index).
  'accounts.list': m(),
  'accounts.balances': m(),
  'accounts.createSubaccount': m(label),
  'accounts.renameSubaccount': m(int(1, 2 ** 31 - 1), label),
  'accounts.discover': m(),
  'accounts.maxAmount': m(optional(accountRef)),
  'accounts.prepareSend': m(object({ from: optional(accountRef), to: str({ min: 1, max: 200 }), amount: amountText, memo: optional(memo) })),
  'history.page': m(optional(object({ account: optional(accountRef), start: optional(nat()), pageSize: optional(int(1, 500)) }))),
  'addressBook.list': m(),
  'addressBook.add': m(object({ label, address: str({ min: 1, max: 200 }) })),
  'addressBook.edit': m(opaqueId, object({ label: optional(label), address: optional(str({ min: 1, max: 200 })) })),
  'addressBook.remove': m(opaqueId),

  // Cycles and canisters (the cycles minting canister and the management canister).
  'cycles.rate': m(),
  'cycles.preview': m(object({ icp: optional(amountText), cycles: optional(cyclesText) })),
  'cycles.prepareTopUp': m(object({ canisterId: principal, amount: amountText, from: optional(accountRef) })),
  'cycles.prepareCreateCanister': m(object({ amount: amountText, from: optional(accountRef), name: optional(label) })),
  'cycles.status': m(principal),
  'cycles.canisters': m(),
  'cycles.listCanisters': m(),
  'cycles.addCanister': m(principal, optional(label)),
  'cycles.renameCanister': m(principal, label),
  'cycles.removeCanister': m(principal),
  'cycles.recover': m(),

  // Neurons (NNS governance and, for stakes, the ledger).
  'neurons.list': m(),
  'neurons.get': m(neuronId),
  'neurons.limits': m(),
  'neurons.knownNeurons': m(),
  'neurons.rewardRate': m(),
  'neurons.votingHistory': m(neuronId),
  'neurons.prepareStake': m(object({ amount: amountText, dissolveDelaySeconds: optional(seconds), following: optional(following), visibility: optional(oneOf(['public', 'private'] as const)), fromSubaccount: optional(subaccountHex) })),
  'neurons.prepareIncreaseStake': m(object({ neuronId, amount: amountText, fromSubaccount: optional(subaccountHex) })),
  'neurons.prepareIncreaseDissolveDelay': m(object({ neuronId, dissolveDelaySeconds: seconds })),
  'neurons.prepareSetDissolveTimestamp': m(object({ neuronId, timestampSeconds: seconds })),
  'neurons.prepareStartDissolving': m(neuron),
  'neurons.prepareStopDissolving': m(neuron),
  'neurons.prepareAddHotkey': m(object({ neuronId, principal })),
  'neurons.prepareRemoveHotkey': m(object({ neuronId, principal })),
  'neurons.prepareFollow': m(object({ neuronId, topic, followees })),
  'neurons.prepareSetFollowing': m(object({ neuronId, topics: following })),
  'neurons.prepareSetVisibility': m(object({ neuronId, visibility: oneOf(['public', 'private'] as const) })),
  'neurons.prepareSetAutoStakeMaturity': m(object({ neuronId, enabled: bool })),
  'neurons.prepareJoinNeuronsFund': m(neuron),
  'neurons.prepareLeaveNeuronsFund': m(neuron),
  'neurons.prepareRefreshVotingPower': m(neuron),
  'neurons.prepareSplit': m(object({ neuronId, amount: amountText })),
  'neurons.prepareMerge': m(object({ targetNeuronId: neuronId, sourceNeuronId: neuronId })),
  'neurons.prepareSpawn': m(object({ neuronId, percentage: optional(percentage), newController: optional(principal) })),
  'neurons.prepareStakeMaturity': m(object({ neuronId, percentage: optional(percentage) })),
  'neurons.prepareDisburseMaturity': m(object({ neuronId, percentage: optional(percentage), to: optional(account) })),
  'neurons.prepareDisburse': m(object({ neuronId, to: optional(account), amount: optional(amountText) })),
  'neurons.prepareDisburseToNeuron': m(object({ neuronId, amount: amountText, dissolveDelaySeconds: seconds, newController: optional(principal) })),
  'neurons.recoveryScan': m(optional(object({ subaccounts: optional(arrayOf(subaccountHex, { max: 100 })) }))),
  'neurons.prepareRecover': m(optional(object({ subaccounts: optional(arrayOf(subaccountHex, { max: 100 })) }))),

  // Proposals and voting.
  'proposals.list': m(optional(object({ topics: optional(arrayOf(topic, { max: 100 })), statuses: optional(statusList), rewardStatuses: optional(statusList), beforeProposal: optional(proposalId), limit: optional(int(1, 100)), includeAllNeuronManagement: optional(bool) }))),
  'proposals.get': m(proposalId),
  'proposals.actionable': m(),
  'proposals.prepareMotion': m(object({ neuronId, title: str({ min: 5, max: 256 }), summary: str({ max: 30_000 }), url: str({ max: 2_048 }), motionText: optional(str({ max: 100_000 })) })),
  'voting.eligibility': m(proposalId),
  'voting.prepareVote': m(object({ proposalId, vote: oneOf(['yes', 'no'] as const), neuronIds: optional(arrayOf(neuronId, { max: 1_000 })) })),

  // Reviews: every signing operation is prepared by its own method, then confirmed here.
  'reviews.get': m(opaqueId),
  'reviews.confirm': m(opaqueId),
  'reviews.cancel': m(opaqueId),

  // CSV exports of the active identity's neurons and of all its accounts' transactions.
  'export.neuronsCsv': m(),
  'export.transactionsCsv': m(),

  // Desktop notifications (proposals closing soon).
  'notifications.get': m(),
  'notifications.set': m(object({ closingSoon: bool })),

  'events.next': m(int(0, Number.MAX_SAFE_INTEGER), int(0, 25_000)),
} as const;

export type MethodName = keyof typeof METHODS;
type InferAll<T extends readonly unknown[]> = { [I in keyof T]: Infer<T[I]> };
// Trailing arguments that accept undefined may be left out, as the validators allow.
type TrailingOptional<T extends readonly unknown[]> = T extends readonly [...infer H, infer L]
  ? undefined extends L
    ? [...TrailingOptional<H>, L?]
    : T
  : T;
export type ArgsOf<K extends MethodName> = TrailingOptional<InferAll<(typeof METHODS)[K]['args']>>;

export interface Results {
  'app.status': AppStatus;
  'app.now': NetworkTime;
  'network.select': AppStatus;
  'vault.status': VaultStatus & { identities: IdentitySummary[] };
  'vault.setup': VaultStatus;
  'vault.unlock': VaultStatus;
  'vault.lock': VaultStatus;
  'vault.touch': null;
  'vault.changePassphrase': null;
  'vault.setAutoLock': VaultStatus;
  'vault.create': CreatedIdentity;
  'vault.importSeedPhrase': IdentitySummary;
  'vault.importPem': IdentitySummary;
  'vault.importDfxEncrypted': IdentitySummary;
  'vault.importQuillEncrypted': IdentitySummary;
  'vault.listDfxKeyring': string[];
  'vault.importDfxKeyring': IdentitySummary;
  'vault.addWatchOnly': IdentitySummary;
  'vault.rename': IdentitySummary;
  'vault.remove': null;
  'vault.setActive': VaultStatus;
  'vault.exportSecret': ExportedSecret;
  'vault.useDemoIdentity': IdentitySummary;
  'subnet.start': SubnetState;
  'subnet.stop': SubnetState;
  'subnet.restart': SubnetState;
  'subnet.reset': SubnetState;
  'subnet.advanceTime': { timeNs: bigint };
  'subnet.faucet': { blockIndex: bigint };
  'subnet.openProposal': { proposalId: bigint };
  'accounts.list': UserAccount[];
  'accounts.balances': { accounts: AccountWithBalance[]; totalE8s: bigint };
  'accounts.createSubaccount': UserAccount;
  'accounts.renameSubaccount': UserAccount;
  'accounts.discover': UserAccount[];
  'accounts.maxAmount': { maxE8s: bigint; balanceE8s: bigint; feeE8s: bigint };
  'accounts.prepareSend': Review;
  'history.page': HistoryPage;
  'addressBook.list': AddressBookEntry[];
  'addressBook.add': AddressBookEntry;
  'addressBook.edit': AddressBookEntry;
  'addressBook.remove': null;
  'cycles.rate': ConversionRate;
  'cycles.preview': CyclesPreview;
  'cycles.prepareTopUp': Review;
  'cycles.prepareCreateCanister': Review;
  'cycles.status': CanisterStatus;
  'cycles.canisters': CanisterWithStatus[];
  'cycles.listCanisters': CanisterEntry[];
  'cycles.addCanister': CanisterEntry;
  'cycles.renameCanister': CanisterEntry;
  'cycles.removeCanister': null;
  'cycles.recover': RecoveryReport;
  'neurons.list': NeuronView[];
  'neurons.get': NeuronView;
  'neurons.limits': NeuronLimits;
  'neurons.knownNeurons': KnownNeuronView[];
  'neurons.rewardRate': RewardRate | undefined;
  'neurons.votingHistory': VotingHistoryEntry[];
  'neurons.prepareStake': Review;
  'neurons.prepareIncreaseStake': Review;
  'neurons.prepareIncreaseDissolveDelay': Review;
  'neurons.prepareSetDissolveTimestamp': Review;
  'neurons.prepareStartDissolving': Review;
  'neurons.prepareStopDissolving': Review;
  'neurons.prepareAddHotkey': Review;
  'neurons.prepareRemoveHotkey': Review;
  'neurons.prepareFollow': Review;
  'neurons.prepareSetFollowing': Review;
  'neurons.prepareSetVisibility': Review;
  'neurons.prepareSetAutoStakeMaturity': Review;
  'neurons.prepareJoinNeuronsFund': Review;
  'neurons.prepareLeaveNeuronsFund': Review;
  'neurons.prepareRefreshVotingPower': Review;
  'neurons.prepareSplit': Review;
  'neurons.prepareMerge': MergeReview;
  'neurons.prepareSpawn': Review;
  'neurons.prepareStakeMaturity': Review;
  'neurons.prepareDisburseMaturity': Review;
  'neurons.prepareDisburse': Review;
  'neurons.prepareDisburseToNeuron': Review;
  'neurons.recoveryScan': RecoveryScan;
  'neurons.prepareRecover': Review;
  'proposals.list': ProposalPage;
  'proposals.get': ProposalView;
  'proposals.actionable': ActionableProposal[];
  'proposals.prepareMotion': Review;
  'voting.eligibility': VotingEligibility;
  'voting.prepareVote': Review;
  'reviews.get': Review;
  'reviews.confirm': unknown;
  'reviews.cancel': null;
  'export.neuronsCsv': CsvFile;
  'export.transactionsCsv': CsvFile;
  'notifications.get': NotificationSettings;
  'notifications.set': NotificationSettings;
  'events.next': DeskEvent[];
}

/** The API as the renderer calls it, and as the main process implements it. */
export type DeskApi = { [K in MethodName]: (...args: ArgsOf<K>) => Promise<Results[K]> };

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(METHODS, name);
}
