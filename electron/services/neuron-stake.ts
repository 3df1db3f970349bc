// Staking a new neuron and adding stake to one, the NNS dapp's way: a legacy ledger transfer to the
// neuron's account (governance + a subaccount derived from the controller and a memo), then
// ClaimOrRefresh. The memo (8 random bytes), the transfer's created_at_time and every later setting
// (dissolve delay, following, visibility) are fixed when the review is prepared, and every step is
// safe to repeat: the ledger answers a repeated transfer with TxDuplicate, a claim of an existing
// neuron is a refresh, and the settings are applied only where the neuron does not have them yet.
// So after any lost answer the same review is simply confirmed again, without a second transfer.
import { NeuronVisibility, type Topic } from '@icp-sdk/canisters/nns';
import { formatIcp } from '../api/amounts.ts';
import { DeskError, invalidInput } from '../api/errors.ts';
import type { Review, ReviewCall } from '../api/review.ts';
import type { Connection } from '../network/agents.ts';
import { signingConnection, type ServiceContext } from './context.ts';
import type { Progress } from './reviews.ts';
import { toDeskError } from './errors.ts';
import {
  accountIdOf,
  governanceCall,
  manageNeuronCall,
  neuronAccountId,
  randomNonce,
  refreshNeuron,
  transferCall,
  transferOnce,
  type LegacyTransfer,
} from './neuron-calls.ts';
import { days, prepareCommand, refuseWhen, target } from './neuron-command-kit.ts';
import { checkFollowees, type FollowingArgs, type TopicFollowees } from './neuron-following.ts';
import { parseAmount, parseSeconds, parseSubaccount } from './neuron-input.ts';
import { toNeuronView, topicName } from './neuron-view.ts';
import { loadNeurons, type LoadedNeurons } from './neurons.ts';

export interface StakeArgs {
  amount: bigint | string;
  /** The new neuron's dissolve delay (a new neuron starts with governance's initial delay). */
  dissolveDelaySeconds?: bigint | number | string;
  following?: FollowingArgs['topics'];
  visibility?: 'public' | 'private';
  /** Stake from this subaccount of the identity (64 hex characters) instead of its main account. */
  fromSubaccount?: string;
}

export interface StakeResult {
  neuronId: bigint;
  /** The transfer's block (the first one's, when it was a repeat). */
  blockIndex: bigint;
  memo: bigint;
  accountId: string;
}

export interface IncreaseStakeResult {
  neuronId: bigint;
  blockIndex: bigint;
  stakeE8s: bigint;
}

const NEW_NEURON = 'the new neuron';

export class NeuronStaking {
  constructor(private readonly ctx: ServiceContext) {}

  async prepareStake(a: StakeArgs): Promise<Review> {
    const conn = signingConnection(this.ctx);
    const amount = parseAmount(a.amount);
    const fromSubaccount = a.fromSubaccount === undefined ? undefined : parseSubaccount(a.fromSubaccount);
    const loaded = await loadNeurons(conn);
    const l = loaded.limits;
    refuseWhen(amount < l.minimumStakeE8s, `A neuron needs a stake of at least ${formatIcp(l.minimumStakeE8s)} ICP.`);
    const from = accountIdOf(conn.principal, fromSubaccount);
    await requireBalance(conn, from, amount + l.transactionFeeE8s);
    const delay = a.dissolveDelaySeconds === undefined ? undefined : parseSeconds(a.dissolveDelaySeconds, 'dissolve delay');
    refuseWhen(delay !== undefined && delay > l.maximumDissolveDelaySeconds, `The dissolve delay can be at most ${days(l.maximumDissolveDelaySeconds)}.`);
    const following = a.following && a.following.length > 0 ? await checkFollowees({ conn, loaded }, a.following) : [];
    if (a.visibility !== undefined && a.visibility !== 'public' && a.visibility !== 'private') throw invalidInput('The visibility is either "public" or "private".');

    const memo = randomNonce();
    const transfer: LegacyTransfer = {
      to: neuronAccountId(conn.principal, memo),
      amountE8s: amount,
      feeE8s: l.transactionFeeE8s,
      memo,
      createdAtTimeNs: this.ctx.nowNs(),
      fromSubaccount,
    };
    const calls: ReviewCall[] = [
      transferCall(transfer),
      governanceCall('manage_neuron', { command: { ClaimOrRefresh: { by: { MemoAndController: { memo, controller: conn.principal.toText() } } } } }),
    ];
    if (delay !== undefined && delay > 0n) {
      // The addition is what the new neuron's initial delay lacks, known once it is claimed.
      const increase = { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: `${delay} minus the new neuron's initial delay` } };
      calls.push(governanceCall('manage_neuron', { neuron_id: NEW_NEURON, command: { Configure: { operation: increase } }, resulting_dissolve_delay_seconds: delay }));
    }
    if (following.length > 0) calls.push(manageNeuronCall(NEW_NEURON, { SetFollowing: { topic_following: following } }));
    if (a.visibility === 'public') calls.push(manageNeuronCall(NEW_NEURON, { Configure: { operation: { SetVisibility: { visibility: NeuronVisibility.Public } } } }));
    const notes = [
      `The stake is locked in the neuron: it comes back only after the neuron has dissolved (${delay ? days(delay) : 'its dissolve delay'} after it starts dissolving).`,
      ...(delay === undefined || delay < l.minimumDissolveDelayToVoteSeconds
        ? [`With a dissolve delay under ${days(l.minimumDissolveDelayToVoteSeconds)} the neuron cannot vote and earns no rewards.`]
        : []),
      ...following.map((f) => `Follows on ${topicName(f.topic)}: ${f.followees.map((id) => loaded.knownNeurons.get(id) ?? String(id)).join(', ') || 'no one'}.`),
      ...(a.visibility === 'public' ? ['The neuron will be public.'] : []),
    ];
    return prepareCommand(
      { ctx: this.ctx, conn },
      {
        action: 'stake-neuron',
        title: `Stake ${formatIcp(amount)} ICP in a new neuron`,
        calls,
        amountE8s: amount,
        feeE8s: l.transactionFeeE8s,
        from,
        destination: `A new neuron (account ${transfer.to})`,
        notes,
      },
      (progress) => stake(conn, loaded, transfer, { delay, following, visibility: a.visibility }, progress),
    );
  }

  /** Adds `amount` to a neuron's stake: a transfer to its account, then a refresh. */
  async prepareIncreaseStake(a: { neuronId: bigint | string; amount: bigint | string; fromSubaccount?: string }): Promise<Review> {
    const t = await target(this.ctx, a.neuronId, 'controller-or-hotkey', 'add to its stake');
    const amount = parseAmount(a.amount);
    const fromSubaccount = a.fromSubaccount === undefined ? undefined : parseSubaccount(a.fromSubaccount);
    const fee = t.loaded.limits.transactionFeeE8s;
    refuseWhen(t.view.state === 'spawning', `Neuron ${t.id} is spawning: its stake cannot change yet.`);
    refuseWhen(!t.view.accountId, `The account of neuron ${t.id} is not visible to this identity.`);
    const from = accountIdOf(t.conn.principal, fromSubaccount);
    await requireBalance(t.conn, from, amount + fee);
    const transfer: LegacyTransfer = { to: t.view.accountId!, amountE8s: amount, feeE8s: fee, memo: 0n, createdAtTimeNs: this.ctx.nowNs(), fromSubaccount };
    return prepareCommand(
      t,
      {
        action: 'increase-stake',
        title: `Add ${formatIcp(amount)} ICP to neuron ${t.id}`,
        calls: [transferCall(transfer), manageNeuronCall(t.id, { ClaimOrRefresh: { by: { NeuronIdOrSubaccount: {} } } })],
        amountE8s: amount,
        feeE8s: fee,
        from,
        destination: `Neuron ${t.id} (account ${transfer.to})`,
        notes: [
          `Neuron ${t.id} will have ${formatIcp(t.view.stakeE8s + amount)} ICP staked, locked like the rest of its stake.`,
          ...(t.view.state === 'locked' ? ['The neuron\'s age is reduced in proportion (the new ICP has no age).'] : []),
        ],
      },
      async () => {
        const blockIndex = await transferOnce(t.conn, transfer);
        await refreshNeuron(t.conn, t.id);
        const [info] = await t.conn.governance.listNeurons({ certified: true, neuronIds: [t.id], includeEmptyNeurons: true });
        return { neuronId: t.id, blockIndex, stakeE8s: info?.fullNeuron ? info.fullNeuron.cachedNeuronStake - info.fullNeuron.neuronFees : 0n } satisfies IncreaseStakeResult;
      },
    );
  }

  confirm<T = StakeResult | IncreaseStakeResult>(reviewId: string): Promise<T> {
    return this.ctx.reviews.confirm<T>(reviewId);
  }
}

async function requireBalance(conn: Connection, account: string, needed: bigint): Promise<void> {
  let balance: bigint;
  try {
    balance = await conn.ledger.accountBalance({ accountIdentifier: account, certified: false });
  } catch (e) {
    throw toDeskError(e, 'Reading the balance');
  }
  if (balance < needed) {
    throw new DeskError('insufficient-funds', `The account holds ${formatIcp(balance)} ICP: not enough for ${formatIcp(needed)} ICP (the amount plus the fee).`);
  }
}

/** The stake's steps, each safe to repeat (see the header). */
async function stake(
  conn: Connection,
  loaded: LoadedNeurons,
  transfer: LegacyTransfer,
  settings: { delay?: bigint; following: TopicFollowees[]; visibility?: 'public' | 'private' },
  progress: Progress,
): Promise<StakeResult> {
  const total = 2 + (settings.delay ? 1 : 0) + (settings.following.length > 0 ? 1 : 0) + (settings.visibility ? 1 : 0);
  let done = 0;
  const step = (name: string) => progress(name, ++done, total);
  const blockIndex = await transferOnce(conn, transfer);
  step('Transfer to the neuron account');
  const neuronId = await conn.governance.claimOrRefreshNeuronFromAccount({ memo: transfer.memo, controller: conn.principal });
  step('Claim the neuron');
  if (neuronId === undefined) throw new DeskError('rejected', 'Governance did not claim the neuron; confirm again to retry.');
  const [info] = await conn.governance.listNeurons({ certified: true, neuronIds: [neuronId], includeEmptyNeurons: true });
  if (!info) throw new DeskError('not-found', `Neuron ${neuronId} was claimed but cannot be read; confirm again to retry.`);
  const view = toNeuronView(info, { principal: loaded.principal, limits: loaded.limits, knownNeurons: loaded.knownNeurons });
  if (settings.delay !== undefined && settings.delay > view.dissolveDelaySeconds) {
    await conn.governance.increaseDissolveDelay({ neuronId, additionalDissolveDelaySeconds: Number(settings.delay - view.dissolveDelaySeconds) });
  }
  if (settings.delay) step('Set the dissolve delay');
  if (settings.following.length > 0) {
    await conn.governance.setFollowing({ neuronId, topicFollowing: settings.following.map((f) => ({ topic: f.topic as Topic, followees: f.followees })) });
    step('Set the followees');
  }
  if (settings.visibility !== undefined && view.visibility !== settings.visibility) {
    await conn.governance.setVisibility(neuronId, settings.visibility === 'public' ? NeuronVisibility.Public : NeuronVisibility.Private);
  }
  if (settings.visibility !== undefined) step('Set the visibility');
  return { neuronId, blockIndex, memo: transfer.memo, accountId: transfer.to };
}

