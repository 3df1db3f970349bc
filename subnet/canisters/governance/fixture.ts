// A mainnet-sized synthetic governance state for benchmarks and scale rehearsals
// (`npm run subnet -- --neurons 400000 --proposals 150000`): neurons with mainnet-like stakes,
// delays, ages, refresh times and following (most follow a dozen known neurons), a history of
// settled proposals across topics, recent ballots, and a few open proposals created through the
// real engine. Deterministic: the same options give the same state. The ledger side (the stakes
// on the neurons' accounts) is minted by the genesis from fixtureStakes().
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Principal } from '@icp-sdk/core/principal';
import type { CallContext } from '../canister.ts';
import { Ballots } from './ballots.ts';
import {
  DAY,
  E8S_PER_ICP,
  MAX_RECENT_BALLOTS,
  MONTH,
  SIX_MONTHS,
  Topic,
  TWO_YEARS,
  U64_MAX,
  Visibility,
  Vote,
  votingPeriodSeconds,
  type GovernanceState,
  type Neuron,
  type ProposalData,
} from './model.ts';
import type { ProposalEngine } from './proposals.ts';
import { neuronAccount, neuronStakeSubaccount } from './staking.ts';

export interface FixtureOptions {
  neurons: number;
  proposals: number;
  /**
   * The principal (text) that controls the "whale" neurons (default: fixtureWhale()'s), e.g. a
   * demo identity, so that an app signed in as it sees an identity with many neurons.
   */
  owner?: string;
  /** How many neurons the owner controls (default FIXTURE_WHALE_NEURONS; at most neurons - 12). */
  ownerNeurons?: number;
}

/** Known neurons of the fixture (the first slots). */
export const FIXTURE_KNOWN_NEURONS = 12;
/** Neurons of the fixture's "whale" identity (list_neurons at 1,000 neurons). */
export const FIXTURE_WHALE_NEURONS = 1_000;
/** Open proposals at the end of the history (created through the engine). */
export const FIXTURE_OPEN_PROPOSALS = 8;
/** The whale identity: an Ed25519 key from this public seed (benchmarks sign with it). */
export const FIXTURE_WHALE_SEED = new Uint8Array(32).fill(0x57);
export const fixtureWhale = () => Ed25519KeyIdentity.generate(FIXTURE_WHALE_SEED);

const ICP = E8S_PER_ICP;
const YEAR = 31_557_600n;

/** The id of the fixture's i-th neuron (slot i): distinct, large and unordered, like mainnet's. */
export const fixtureNeuronId = (i: number) => BigInt.asUintN(64, BigInt(i + 1) * 0x9e3779b97f4a7c15n);

/** xorshift32, seeded: the fixture's only source of variety. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/** The owner of the whale neurons and how many they are (validated). */
export function fixtureOwner(opts: FixtureOptions): { whale: Principal; count: number } {
  const whale = opts.owner === undefined ? fixtureWhale().getPrincipal() : Principal.fromText(opts.owner);
  const count = opts.ownerNeurons ?? FIXTURE_WHALE_NEURONS;
  if (!Number.isInteger(count) || count < 0) throw new Error('fixture: ownerNeurons must be a non-negative integer');
  if (opts.ownerNeurons !== undefined && count > opts.neurons - FIXTURE_KNOWN_NEURONS) {
    throw new Error(`fixture: ${count} neurons for the owner need at least ${count + FIXTURE_KNOWN_NEURONS} neurons in all`);
  }
  return { whale, count };
}

const controllerOf = (i: number, whale: Principal, count = FIXTURE_WHALE_NEURONS) =>
  i >= FIXTURE_KNOWN_NEURONS && i < FIXTURE_KNOWN_NEURONS + count
    ? whale
    : Principal.fromUint8Array(new Uint8Array([0xf1, (i >>> 24) & 255, (i >>> 16) & 255, (i >>> 8) & 255, i & 255, 0x01]));

/** Stake of neuron i (e8s): known neurons hold millions, the rest log-uniform in [0.5, 5000] ICP. */
function stakeOf(i: number): bigint {
  const r = rng(0x5eed + i * 7919);
  if (i < FIXTURE_KNOWN_NEURONS) return BigInt(2_000_000 + Math.floor(r() * 8_000_000)) * ICP;
  return BigInt(Math.floor(Math.exp(Math.log(0.5) + r() * Math.log(10_000)) * 1e8)) + ICP / 2n;
}

/** The staking subaccounts (32 bytes each, concatenated) and stakes the ledger must hold. */
export function fixtureStakes(opts: FixtureOptions): { accounts: Uint8Array; e8s: Uint8Array } {
  const { whale, count } = fixtureOwner(opts);
  const accounts = new Uint8Array(opts.neurons * 32);
  const e8s = new Uint8Array(opts.neurons * 8);
  const view = new DataView(e8s.buffer);
  for (let i = 0; i < opts.neurons; i++) {
    accounts.set(neuronAccount(neuronStakeSubaccount(controllerOf(i, whale, count), BigInt(i))), i * 32);
    view.setBigUint64(i * 8, stakeOf(i), false);
  }
  return { accounts, e8s };
}

const KNOWN_NAMES = ['Aster', 'Basalt', 'Cirrus', 'Dune', 'Ember', 'Fjord', 'Gale', 'Heron', 'Iris', 'Juniper', 'Kestrel', 'Lumen'];

/** Mainnet-like topic mix of the history (weights). */
const HISTORY_TOPICS: [Topic, number][] = [
  [Topic.ExchangeRate, 30],
  [Topic.IcOsVersionDeployment, 18],
  [Topic.SubnetManagement, 14],
  [Topic.NodeAdmin, 12],
  [Topic.ParticipantManagement, 6],
  [Topic.IcOsVersionElection, 5],
  [Topic.Governance, 5],
  [Topic.NodeProviderRewards, 3],
  [Topic.ProtocolCanisterManagement, 3],
  [Topic.SnsAndCommunityFund, 2],
  [Topic.ApplicationCanisterManagement, 1],
  [Topic.NetworkEconomics, 1],
];

/**
 * Fills an empty state (and the engine) with the fixture at `nowSeconds`. The stakes must already
 * be on the ledger (fixtureStakes). Returns the neuron ids by kind for benchmarks.
 */
export function loadFixture(
  state: GovernanceState,
  engine: ProposalEngine,
  ctx: CallContext,
  opts: FixtureOptions,
): { known: bigint[]; whale: Principal } {
  if (state.neurons.size > 0 || state.proposals.size > 0) throw new Error('load_fixture: the governance state is not empty');
  const now = ctx.time / 1_000_000_000n;
  const { whale, count: whaleCount } = fixtureOwner(opts);
  const r = rng(0xf1c7);
  const known: bigint[] = [];
  const idOf = fixtureNeuronId;
  for (let i = 0; i < opts.neurons; i++) if (i < FIXTURE_KNOWN_NEURONS) known.push(idOf(i));

  // ---- neurons ----
  const secondsIn = (max: bigint) => BigInt(Math.floor(r() * Number(max)));
  for (let i = 0; i < opts.neurons; i++) {
    const isKnown = i < FIXTURE_KNOWN_NEURONS;
    const u = r();
    let dissolve: Neuron['dissolve'];
    let agingSince = now - secondsIn(6n * YEAR);
    if (isKnown || u < 0.35) dissolve = { kind: 'delay', seconds: TWO_YEARS };
    else if (u < 0.65) dissolve = { kind: 'delay', seconds: 14n * DAY + secondsIn(TWO_YEARS - 14n * DAY) };
    else if (u < 0.8) {
      dissolve = { kind: 'when', timestamp: now + DAY + secondsIn(TWO_YEARS) };
      agingSince = U64_MAX;
    } else if (u < 0.92) {
      dissolve = { kind: 'when', timestamp: now - secondsIn(YEAR) };
      agingSince = U64_MAX;
    } else dissolve = { kind: 'delay', seconds: DAY + secondsIn(12n * DAY) };
    const v = r();
    const refreshed = isKnown || v < 0.85 ? now - secondsIn(5n * MONTH) : v < 0.95 ? now - SIX_MONTHS - secondsIn(MONTH) : now - SIX_MONTHS - MONTH - secondsIn(YEAR);
    const followees = new Map<number, bigint[]>();
    if (!isKnown && known.length > 0 && r() < 0.9 && now - refreshed <= SIX_MONTHS + MONTH) {
      // About 40% follow known neuron 0 on Governance: the 100k-follower cascade of the benchmarks.
      const g = r() < 0.45 ? 0 : Math.floor(r() * known.length);
      followees.set(Topic.Unspecified, [known[Math.floor(r() * known.length)]]);
      followees.set(Topic.Governance, [known[g]]);
      followees.set(Topic.SnsAndCommunityFund, [known[Math.floor(r() * known.length)]]);
    }
    const controller = controllerOf(i, whale, whaleCount);
    const stake = stakeOf(i);
    const n: Neuron = {
      id: idOf(i),
      controller,
      hotKeys: [],
      subaccount: neuronStakeSubaccount(controller, BigInt(i)),
      cachedStakeE8s: stake,
      feesE8s: 0n,
      maturityE8s: (stake * BigInt(Math.floor(r() * 500))) / 10_000n,
      stakedMaturityE8s: r() < 0.2 ? (stake * BigInt(Math.floor(r() * 300))) / 10_000n : 0n,
      createdSeconds: agingSince === U64_MAX ? now - secondsIn(6n * YEAR) : agingSince,
      agingSinceSeconds: agingSince,
      dissolve,
      followees,
      votingPowerRefreshedSeconds: refreshed,
      autoStakeMaturity: r() < 0.3,
      visibility: isKnown ? Visibility.Public : Visibility.Private,
      maturityDisbursements: [],
      kycVerified: true,
      notForProfit: false,
      knownNeuron: isKnown
        ? {
            name: `${KNOWN_NAMES[i % KNOWN_NAMES.length]} Collective${i >= KNOWN_NAMES.length ? ` ${i}` : ''}`,
            description: 'A fictional known neuron of the fixture.',
            links: [],
            committedTopics: [],
          }
        : undefined,
    };
    state.addNeuron(n);
  }
  state.genesisTimestampSeconds = now - 2_000n * DAY;

  // ---- settled history ----
  const settledCount = Math.max(0, opts.proposals - FIXTURE_OPEN_PROPOSALS);
  const span = 1_900n * DAY;
  const step = settledCount > 0 ? span / BigInt(settledCount) : 0n;
  const topicTotal = HISTORY_TOPICS.reduce((s, [, w]) => s + w, 0);
  const totalPower = 900_000_000n * ICP; // a plausible total, the tallies are fractions of it
  const proposerOf = (id: number) => known.length > 0 ? known[id % known.length] : 1n;
  for (let k = 1; k <= settledCount; k++) {
    let pick = r() * topicTotal;
    let topic = HISTORY_TOPICS[0][0];
    for (const [t, w] of HISTORY_TOPICS) if ((pick -= w) < 0) {
      topic = t;
      break;
    }
    const id = BigInt(k);
    const created = now - span - 10n * DAY + step * id;
    const decided = created + BigInt(Math.floor(r() * 3 * 3600)) + 600n;
    const rejected = r() < 0.06;
    const yes = rejected ? totalPower / 50n : (totalPower * BigInt(60 + Math.floor(r() * 35))) / 100n;
    const no = rejected ? totalPower / 2n + 1n : totalPower / 100n;
    const p: ProposalData = {
      id,
      topic,
      proposer: proposerOf(k),
      proposal: historyProposal(k, topic),
      createdSeconds: created,
      deadlineSeconds: created + votingPeriodSeconds(topic),
      rejectCostE8s: 25n * ICP,
      ballots: new Ballots(state, 0),
      totalPotentialVotingPower: totalPower + totalPower / 10n,
      tally: { yes, no, total: totalPower, timestampSeconds: decided },
      decidedSeconds: decided,
      executedSeconds: rejected ? 0n : decided,
      failedSeconds: 0n,
      rewardEventRound: (created + votingPeriodSeconds(topic) - state.genesisTimestampSeconds) / DAY + 1n,
    };
    state.proposals.set(id, p);
  }
  state.nextProposalId = BigInt(settledCount + 1);

  // ---- recent ballots: followers voted Yes on the last settled proposals ----
  const firstRecent = Math.max(1, settledCount - MAX_RECENT_BALLOTS + 1);
  for (const n of state.neuronsBySlot) {
    if (!n || (n.followees.size === 0 && !n.knownNeuron)) continue;
    for (let k = firstRecent; k <= settledCount; k++) state.recordBallot(n.slot!, BigInt(k), Vote.Yes);
  }
  if (settledCount > 0) {
    state.latestRewardEvent = {
      dayAfterGenesis: (now - state.genesisTimestampSeconds) / DAY,
      actualTimestampSeconds: now - 600n,
      settledProposals: [...state.proposals.keys()].slice(-40),
      distributedE8sEquivalent: 20_000n * ICP,
      totalAvailableE8sEquivalent: 20_000n * ICP,
      roundsSinceLastDistribution: 1n,
      latestRoundAvailableE8sEquivalent: 20_000n * ICP,
    };
  }
  engine.reindex();

  // ---- open proposals, through the engine (real ballot snapshots) ----
  for (let k = 0; k < FIXTURE_OPEN_PROPOSALS && k < opts.proposals && known.length > 0; k++) {
    const proposer = state.neuron(known[(k + 1) % known.length])!;
    engine.makeProposal({ ...ctx, time: ctx.time + BigInt(k) }, proposer, {
      title: [`Fixture motion ${k + 1}`],
      summary: `An open motion of the fixture, number ${k + 1}.`,
      url: '',
      action: [{ Motion: { motion_text: `Open motion ${k + 1}` } }],
      self_describing_action: [],
    });
  }
  return { known, whale };
}

const NNS_FUNCTION_OF: Partial<Record<Topic, number>> = {
  [Topic.ExchangeRate]: 10,
  [Topic.IcOsVersionDeployment]: 49,
  [Topic.SubnetManagement]: 7,
  [Topic.NodeAdmin]: 11,
  [Topic.ParticipantManagement]: 2,
  [Topic.IcOsVersionElection]: 38,
  [Topic.NodeProviderRewards]: 22,
  [Topic.ProtocolCanisterManagement]: 4,
  [Topic.ApplicationCanisterManagement]: 4,
};

function historyProposal(k: number, topic: Topic) {
  const fn = NNS_FUNCTION_OF[topic];
  const title = `${Topic[topic]} proposal ${k}`;
  const summary = `Historic ${Topic[topic]} proposal number ${k} of the fixture. ` + 'It stands in for the text of a real proposal. '.repeat(6);
  const action =
    topic === Topic.NetworkEconomics
      ? { Motion: { motion_text: `Network economics note ${k}` } }
      : fn === undefined
        ? { Motion: { motion_text: `Motion ${k}` } }
        : { ExecuteNnsFunction: { nns_function: fn, payload: new Uint8Array(24).fill(k & 255) } };
  return { title: [title], summary, url: `https://forum.example.org/t/${k}`, action: [action], self_describing_action: [] };
}
