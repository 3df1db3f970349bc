// The NNS side of the demo world: known neurons, a few hundred other neurons in every state, the
// demo identities' own neurons, and a history of proposals, votes and reward events, built with
// the real canisters through their public interfaces (ledger transfers, claim_or_refresh,
// manage_neuron) while the clock runs from HISTORY_DAYS ago to now. The timers decide proposals and
// pay the daily rewards along the way, exactly as they do later.
//
// After genesis the world stays alive by itself: the known neurons are auto-voters
// (governance/auto-voters.ts), so proposals opened later (by anyone, or with POST /_/proposals)
// get their votes, their followers follow, and they are decided and rewarded as the clock moves.
//
// Everything here is fictional: names, principals (nobody holds their keys), links (example.org).
// The world is deterministic (a seeded generator) except for the wall-clock time it is built at.
import { createHash } from 'node:crypto';
import { Principal } from '@icp-sdk/core/principal';
import type { ManageNeuronCommandRequest, NetworkEconomics, ProposalActionRequest } from '../candid/generated/governance.did.ts';
import { Topic } from '../canisters/governance/model.ts';
import { neuronStakeSubaccount } from '../canisters/governance/staking.ts';
import { GOVERNANCE_ID, LEDGER_ID } from '../canisters/ids.ts';
import type { Runtime } from '../runtime/runtime.ts';

const ICP = 100_000_000n;
const HOUR = 3_600;
const DAY = 86_400;
const MONTH = 2_629_800;
const YEAR = 31_557_600;
const TWO_YEARS = 2 * YEAR;
const INITIAL_DELAY = 7 * DAY;

/** How far back the history starts. */
export const HISTORY_DAYS = 42;

export interface AutoVotePolicy {
  minDelayHours: number;
  maxDelayHours: number;
  /** Permille: Yes on a proposal the voters favour (No on the others). */
  yesPermille: number;
  /** Permille of proposals it votes on. */
  participationPermille: number;
}

export interface KnownNeuronSpec {
  name: string;
  description: string;
  links: string[];
  committedTopics: Topic[];
  stakeIcp: bigint;
  votes: AutoVotePolicy;
}

/** The known neurons (all with a 2-year dissolve delay, public, auto-voters). */
export const KNOWN_NEURONS: KnownNeuronSpec[] = [
  {
    name: 'Lantern Hill Collective',
    description:
      'A collective of protocol engineers and node operators. Votes on every proposal within a day or two and publishes the reasoning behind each vote. The default followee of new neurons on the catch-all topic.',
    links: ['https://lanternhill.example.org', 'https://forum.example.org/u/lanternhill'],
    committedTopics: [Topic.Unspecified, Topic.Governance, Topic.NetworkEconomics, Topic.SnsAndCommunityFund],
    stakeIcp: 60_000_000n,
    votes: { minDelayHours: 6, maxDelayHours: 36, yesPermille: 900, participationPermille: 1000 },
  },
  {
    name: 'Copperleaf Research Guild',
    description: 'Researchers who read every motion closely and vote early. Interested in tokenomics, voting rewards and long-term incentives.',
    links: ['https://copperleaf.example.org'],
    committedTopics: [Topic.Governance, Topic.NetworkEconomics],
    stakeIcp: 32_000_000n,
    votes: { minDelayHours: 2, maxDelayHours: 20, yesPermille: 850, participationPermille: 1000 },
  },
  {
    name: "Meridian Stakers' Circle",
    description: 'A members-run circle of long-term stakers. Votes after a weekly members call, so it is rarely first.',
    links: ['https://meridian-circle.example.org', 'https://chat.example.org/meridian'],
    committedTopics: [Topic.Governance, Topic.SnsAndCommunityFund],
    stakeIcp: 22_000_000n,
    votes: { minDelayHours: 12, maxDelayHours: 60, yesPermille: 800, participationPermille: 950 },
  },
  {
    name: 'Quillfeather Commons',
    description: 'Writers, educators and community moderators. Quick to vote on motions about documentation, onboarding and community spaces.',
    links: ['https://quillfeather.example.org'],
    committedTopics: [Topic.Governance],
    stakeIcp: 14_000_000n,
    votes: { minDelayHours: 1, maxDelayHours: 12, yesPermille: 750, participationPermille: 900 },
  },
  {
    name: 'Orchard Street Validators',
    description: 'A small team running independent verification of proposals. Cautious: votes late and says no to anything unclear.',
    links: ['https://orchardstreet.example.org'],
    committedTopics: [Topic.NetworkEconomics, Topic.Governance],
    stakeIcp: 9_000_000n,
    votes: { minDelayHours: 24, maxDelayHours: 72, yesPermille: 850, participationPermille: 900 },
  },
  {
    name: 'Saffron Delta',
    description: 'Independent builders of wallets and dapps. Votes from the perspective of app developers.',
    links: ['https://saffrondelta.example.org', 'https://code.example.org/saffron-delta'],
    committedTopics: [Topic.Governance, Topic.SnsAndCommunityFund],
    stakeIcp: 6_000_000n,
    votes: { minDelayHours: 4, maxDelayHours: 36, yesPermille: 700, participationPermille: 850 },
  },
  {
    name: 'Basalt & Pine Cooperative',
    description: 'A cooperative of node providers from mountain towns. Focus on network economics and decentralization.',
    links: ['https://basaltpine.example.org'],
    committedTopics: [Topic.NetworkEconomics],
    stakeIcp: 4_000_000n,
    votes: { minDelayHours: 24, maxDelayHours: 72, yesPermille: 800, participationPermille: 800 },
  },
  {
    name: 'Kestrel Open Governance',
    description: 'A watchdog that explains proposals in plain language and often votes against the crowd.',
    links: ['https://kestrel.example.org'],
    committedTopics: [Topic.Governance, Topic.NetworkEconomics, Topic.SnsAndCommunityFund],
    stakeIcp: 3_000_000n,
    votes: { minDelayHours: 2, maxDelayHours: 24, yesPermille: 650, participationPermille: 900 },
  },
];

/** Share of proposals the auto-voters lean towards (the others they tend to reject). */
export const FAVOURED_PERMILLE = 750;

/**
 * The neuron that opens POST /_/proposals and some of the history's proposals: large (5M ICP),
 * public, 1-year delay, far from a majority alone.
 */
export const TOWN_HALL = { label: 'town-hall', stakeIcp: 5_000_000n, delaySeconds: YEAR };

/** A neuron of one of the demo identities (funded from the reserve, so their ICP stays liquid). */
export interface PersonalNeuronSpec {
  /** The identity's name in DEMO_IDENTITIES. */
  owner: string;
  memo: bigint;
  stakeIcp: bigint;
  delaySeconds: number;
  /** Starts dissolving this many days into the history. */
  dissolveOnDay?: number;
  /** Known neurons (by index in KNOWN_NEURONS) it follows on the Governance topic. */
  followsOnGovernance?: number[];
  public?: boolean;
  autoStakeMaturity?: boolean;
  note: string;
}

export const PERSONAL_NEURONS: PersonalNeuronSpec[] = [
  { owner: 'demo', memo: 1n, stakeIcp: 500n, delaySeconds: YEAR, followsOnGovernance: [0], note: 'locked for 1 year, follows Lantern Hill on Governance (and catch-all by default)' },
  { owner: 'demo', memo: 2n, stakeIcp: 1_200n, delaySeconds: TWO_YEARS, followsOnGovernance: [1, 2, 3], note: 'locked for 2 years, follows three known neurons on Governance: maturity to spawn or stake' },
  { owner: 'demo', memo: 3n, stakeIcp: 150n, delaySeconds: 6 * MONTH, dissolveOnDay: 10, note: 'dissolving (6 months, started 32 days ago)' },
  { owner: 'demo', memo: 4n, stakeIcp: 75n, delaySeconds: 21 * DAY, dissolveOnDay: 3, note: 'dissolved: stake to disburse' },
  { owner: 'alice', memo: 1n, stakeIcp: 3_000n, delaySeconds: TWO_YEARS, followsOnGovernance: [1], public: true, autoStakeMaturity: true, note: 'locked for 2 years, public, auto-stakes maturity' },
  { owner: 'bob', memo: 1n, stakeIcp: 250n, delaySeconds: YEAR, dissolveOnDay: 20, note: 'dissolving (1 year, started 22 days ago)' },
  { owner: 'carol', memo: 1n, stakeIcp: 12n, delaySeconds: 3 * MONTH, note: 'locked for 3 months' },
];

/** A neuron controlled by a hardware-wallet-like principal with the demo identity as a hotkey. */
export const DEMO_HOTKEY_NEURON = { label: 'demo-ledger-device', stakeIcp: 300n, delaySeconds: 3 * MONTH };

/** How many other neurons there are. */
export const OTHER_NEURONS = 300;

export interface NnsWorldParams {
  /** Who pays for the stakes (the reserve: transfers keep the total supply as it is). */
  reserve: Principal;
  /** name -> principal text of the demo identities. */
  identities: { name: string; principal: string }[];
}

// ---- Building blocks over the public interfaces ------------------------------------------------

/** A principal nobody holds a key for (self-authenticating form, from a label). */
export function syntheticPrincipal(label: string): Principal {
  const h = createHash('sha224').update('neuron-desk demo world\0').update(label).digest();
  return Principal.fromUint8Array(new Uint8Array([...h, 0x02]));
}

type GovResult = { command: [] | [Record<string, unknown>] };

async function manage(rt: Runtime, controller: Principal, neuronId: bigint, command: ManageNeuronCommandRequest): Promise<Record<string, unknown>> {
  const res = await rt.admin<GovResult>(GOVERNANCE_ID, 'manage_neuron_as', {
    caller: controller,
    request: { id: [], neuron_id_or_subaccount: [{ NeuronId: { id: neuronId } }], command: [command] },
  });
  const out = res.command[0];
  if (!out || 'Error' in out) {
    const err = out?.Error as { error_message?: string } | undefined;
    throw new Error(`demo world: manage_neuron ${Object.keys(command)[0]} on ${neuronId} failed: ${err?.error_message ?? 'no answer'}`);
  }
  return out;
}

const configure = (rt: Runtime, controller: Principal, id: bigint, operation: unknown) =>
  manage(rt, controller, id, { Configure: { operation: [operation] } } as ManageNeuronCommandRequest);

interface Staked {
  id: bigint;
  controller: Principal;
}

/** Moves e8s from the reserve to the neuron account of (controller, memo) and claims the neuron. */
async function fund(rt: Runtime, reserve: Principal, controller: Principal, memo: bigint, e8s: bigint): Promise<void> {
  const r = await rt.callDecoded<{ Ok: bigint } | { Err: unknown }>(
    LEDGER_ID,
    'icrc1_transfer',
    [{ to: { owner: GOVERNANCE_ID, subaccount: [neuronStakeSubaccount(controller, memo)] }, fee: [], memo: [], from_subaccount: [], created_at_time: [], amount: e8s }],
    reserve,
  );
  if (!('Ok' in r)) throw new Error(`demo world: funding a neuron failed: ${JSON.stringify(r.Err, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
}

async function claim(rt: Runtime, controller: Principal, memo: bigint): Promise<Staked> {
  const res = await rt.admin<GovResult>(GOVERNANCE_ID, 'manage_neuron_as', {
    caller: controller,
    request: { id: [], neuron_id_or_subaccount: [], command: [{ ClaimOrRefresh: { by: [{ MemoAndController: { controller: [controller], memo } }] } }] },
  });
  const out = res.command[0] as { ClaimOrRefresh?: { refreshed_neuron_id: [] | [{ id: bigint }] }; Error?: { error_message: string } } | undefined;
  const id = out?.ClaimOrRefresh?.refreshed_neuron_id[0]?.id;
  if (id === undefined) throw new Error(`demo world: claiming a neuron failed: ${out?.Error?.error_message ?? 'no answer'}`);
  return { id, controller };
}

async function lock(rt: Runtime, n: Staked, delaySeconds: number): Promise<void> {
  if (delaySeconds > INITIAL_DELAY) {
    await configure(rt, n.controller, n.id, { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: delaySeconds - INITIAL_DELAY } });
  }
}

const followees = (ids: bigint[]) => [ids.map((id) => ({ id }))] as [{ id: bigint }[]];

async function follow(rt: Runtime, n: Staked, topics: [Topic, bigint[]][]): Promise<void> {
  if (topics.length === 0) return;
  await manage(rt, n.controller, n.id, {
    SetFollowing: { topic_following: [topics.map(([topic, ids]) => ({ topic: [topic], followees: followees(ids) }))] },
  });
}

// ---- The generator ------------------------------------------------------------------------------

/** mulberry32: a small seeded generator (the world is the same every time). */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    /** A standard normal draw (Box-Muller). */
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
}
type Rng = ReturnType<typeof rng>;

type Kind = 'locked' | 'fresh' | 'dissolving' | 'dissolved';

interface OtherNeuronPlan {
  controller: Principal;
  memo: bigint;
  stakeE8s: bigint;
  kind: Kind;
  delaySeconds: number;
  /** Seconds into the history when it starts dissolving. */
  dissolveAt?: number;
  /** 'explicit' following is set after the claim; 'default' neurons are claimed after the default followees are set. */
  following: 'explicit' | 'catch-all' | 'default' | 'none';
  topics: [Topic, number[]][];
  hotKeys: Principal[];
  public: boolean;
  autoStake: boolean;
  /** Seconds into the history when it stakes all its maturity. */
  stakeMaturityAt?: number;
}

/** Known-neuron index weighted by size (bigger ones are followed more). */
function pickKnown(r: Rng): number {
  const weights = [30, 20, 15, 11, 8, 6, 5, 5];
  let x = r.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((x -= weights[i]) < 0) return i;
  return 0;
}

function distinctKnown(r: Rng, n: number): number[] {
  const out = new Set<number>();
  while (out.size < n) out.add(pickKnown(r));
  return [...out];
}

const WHALES_ICP = [8_000_000, 7_000_000, 6_000_000, 5_000_000, 4_500_000, 4_000_000, 3_500_000, 3_000_000, 2_500_000, 2_000_000, 1_500_000, 1_000_000];
const LOCK_DELAYS = [
  [1 * MONTH, 8],
  [3 * MONTH, 10],
  [6 * MONTH, 20],
  [YEAR, 25],
  [YEAR + 6 * MONTH, 12],
  [TWO_YEARS, 25],
] as const;

function lockDelay(r: Rng): number {
  let x = r.next() * 100;
  for (const [d, w] of LOCK_DELAYS) if ((x -= w) < 0) return d;
  return TWO_YEARS;
}

function planOtherNeurons(r: Rng, historySeconds: number): OtherNeuronPlan[] {
  const holders = Array.from({ length: 220 }, (_, i) => syntheticPrincipal(`holder-${i}`));
  const plans: OtherNeuronPlan[] = [];
  for (let i = 0; i < OTHER_NEURONS; i++) {
    const whale = i < WHALES_ICP.length;
    // Most holders have one neuron; a few have several (the first holders, picked more often).
    const holder = r.next() < 0.25 ? holders[r.int(0, 29)] : holders[i % holders.length];
    const icp = whale ? WHALES_ICP[i] : Math.min(400_000, Math.max(1.5, Math.exp(Math.log(1_500) + 1.6 * r.normal())));
    const x = r.next();
    const kind: Kind = whale ? 'locked' : x < 0.58 ? 'locked' : x < 0.64 ? 'fresh' : x < 0.84 ? 'dissolving' : 'dissolved';
    let delaySeconds = INITIAL_DELAY;
    let dissolveAt: number | undefined;
    if (kind === 'locked') delaySeconds = whale ? r.pick([YEAR, TWO_YEARS, TWO_YEARS]) : lockDelay(r);
    else if (kind === 'dissolving') {
      delaySeconds = r.pick([3 * MONTH, 6 * MONTH, YEAR, TWO_YEARS]);
      dissolveAt = r.int(0, historySeconds - DAY);
    } else if (kind === 'dissolved') {
      delaySeconds = r.int(14, 30) * DAY;
      dissolveAt = r.int(0, historySeconds - delaySeconds - DAY);
    }
    const f = r.next();
    const following: OtherNeuronPlan['following'] = whale ? (f < 0.5 ? 'explicit' : 'none') : f < 0.45 ? 'explicit' : f < 0.65 ? 'catch-all' : f < 0.85 ? 'default' : 'none';
    const topics: [Topic, number[]][] = [];
    if (following === 'explicit') {
      topics.push([Topic.Governance, distinctKnown(r, r.pick([1, 1, 1, 2, 3]))]);
      if (r.next() < 0.7) topics.push([Topic.NetworkEconomics, [pickKnown(r)]]);
      if (r.next() < 0.5) topics.push([Topic.SnsAndCommunityFund, [pickKnown(r)]]);
      if (r.next() < 0.8) topics.push([Topic.Unspecified, [pickKnown(r)]]);
    } else if (following === 'catch-all') topics.push([Topic.Unspecified, distinctKnown(r, r.pick([1, 1, 2]))]);
    const hotKeys = r.next() < 0.15 ? Array.from({ length: r.int(1, 2) }, (_, k) => syntheticPrincipal(`hotkey-${i}-${k}`)) : [];
    const autoStake = r.next() < 0.2;
    plans.push({
      controller: holder,
      memo: BigInt(1000 + i),
      stakeE8s: BigInt(Math.round(icp * 100)) * 1_000_000n,
      kind,
      delaySeconds,
      dissolveAt,
      following,
      topics,
      hotKeys,
      public: whale || r.next() < 0.2,
      autoStake,
      stakeMaturityAt: kind === 'locked' && !autoStake && r.next() < 0.08 ? r.int(historySeconds - 14 * DAY, historySeconds - DAY) : undefined,
    });
  }
  return plans;
}

// ---- Proposals ----------------------------------------------------------------------------------

const VERBS = ['Adopt', 'Establish', 'Explore', 'Fund', 'Publish', 'Pilot', 'Review', 'Introduce', 'Standardise', 'Sunset', 'Prioritise', 'Clarify', 'Document', 'Measure', 'Rethink'];
const SUBJECTS = [
  'a public roadmap for neuron tooling',
  'quarterly governance retrospectives',
  'a community grants round for wallet builders',
  'plain-language summaries for every proposal',
  'a shared glossary of governance terms',
  'a minimum review period for large motions',
  'an incident report template for the play network',
  'regional community meetups',
  'a translation effort for the staking guide',
  'open office hours with known neurons',
  'a rotating moderation team for the forum',
  'a bug bounty for demo canisters',
  'a reference design for hardware-wallet neurons',
  'the way voting rewards are explained to newcomers',
  'a style guide for proposal summaries',
  'an archive of past motions with outcomes',
  'a dashboard of voting participation',
  'a mentoring programme for first-time proposers',
  'a checklist for new known neurons',
  'a long-term plan for the documentation site',
  'better defaults for new neurons',
  'a common format for vote rationales',
  'accessibility reviews of community tools',
  'a working group on neuron following',
  'a yearly survey of stakers',
  'an education track on dissolve delays',
  'a public calendar of governance events',
  'a registry of community-run explorers',
  'limits on proposal spam',
  'a process for retiring unused topics',
  'an open dataset of proposal statistics',
  'guidelines for conflicts of interest',
  'a sandbox for testing proposals',
  'a podcast about governance decisions',
  'shared tooling for tallying votes',
  'a code of conduct for governance channels',
  'onboarding material for node providers',
  'a recurring review of the reward schedule',
  'a community fund for open-source libraries',
  'a cross-community governance summit',
];

function motion(title: string, r: Rng): ProposalActionRequest {
  return { Motion: { motion_text: `${title}. ${r.pick(['This is a non-binding motion.', 'The community asks that this be done within the next quarter.', 'Details are in the summary.'])}` } };
}

function motionSummary(title: string, r: Rng): string {
  const why = r.pick([
    'Several community members raised this in recent calls.',
    'The current situation makes it harder for newcomers to take part.',
    'Other communities have tried this with good results.',
    'The topic keeps coming up on the forum without a decision.',
  ]);
  const ask = r.pick([
    'Vote Yes to signal support; the work itself would follow in separate proposals.',
    'Adopting this motion commits nobody to a budget; it records the direction.',
    'A Yes vote asks the working group to come back with a concrete plan.',
  ]);
  return `## ${title}\n\n### Background\n\n${why}\n\n### Proposal\n\n${title} on the play network, with a short public write-up of the outcome.\n\n### What a vote means\n\n${ask}\n\n_This proposal is part of the simulated demo world: names and links are fictional._`;
}

const zeroEconomics: NetworkEconomics = {
  neuron_minimum_stake_e8s: 0n,
  voting_power_economics: [],
  max_proposals_to_keep_per_topic: 0,
  neuron_management_fee_per_proposal_e8s: 0n,
  reject_cost_e8s: 0n,
  transaction_fee_e8s: 0n,
  neuron_spawn_dissolve_delay_seconds: 0n,
  minimum_icp_xdr_rate: 0n,
  maximum_node_provider_rewards_e8s: 0n,
  neurons_fund_economics: [],
};

/** ManageNetworkEconomics proposals that restate the current values (harmless either way). */
const ECONOMICS_PROPOSALS: { title: string; summary: string; change: Partial<NetworkEconomics> }[] = [
  { title: 'Keep the reject cost at 25 ICP', summary: 'Restates the cost of a rejected proposal after a forum discussion about lowering it.', change: { reject_cost_e8s: 25n * ICP } },
  { title: 'Keep the minimum neuron stake at 1 ICP', summary: 'Restates the minimum stake of a neuron.', change: { neuron_minimum_stake_e8s: ICP } },
  { title: 'Confirm the minimum ICP/XDR rate of 1 XDR', summary: 'Restates the floor of the conversion rate used for node provider rewards.', change: { minimum_icp_xdr_rate: 100n } },
  { title: 'Confirm the spawn dissolve delay of 7 days', summary: 'Restates how long a spawned neuron dissolves before its maturity is minted.', change: { neuron_spawn_dissolve_delay_seconds: BigInt(7 * DAY) } },
  { title: 'Cap monthly node provider rewards at 100,000 ICP', summary: 'Restates the cap on node provider rewards.', change: { maximum_node_provider_rewards_e8s: 100_000n * ICP } },
];

interface ProposalPlan {
  at: number; // seconds into the history
  proposer: 'town-hall' | 'known' | 'community';
  title: string;
  summary: string;
  url: string;
  action: ProposalActionRequest;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

function planProposals(r: Rng, historySeconds: number, registerCandidate: () => ProposalActionRequest): ProposalPlan[] {
  const combos: string[] = [];
  for (const v of VERBS) for (const s of SUBJECTS) combos.push(`${v} ${s}`);
  // Shuffle (Fisher-Yates) and take titles in order: no title repeats.
  for (let i = combos.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [combos[i], combos[j]] = [combos[j], combos[i]];
  }
  let next = 0;
  const plans: ProposalPlan[] = [];
  const days = Math.floor(historySeconds / DAY);
  let econ = 0;
  for (let d = 0; d < days; d++) {
    const count = r.int(3, 9);
    for (let k = 0; k < count; k++) {
      const at = d * DAY + r.int(2 * HOUR, DAY - 1);
      if (at >= historySeconds - 6 * HOUR) continue; // the last hours get their own proposals below
      const x = r.next();
      const proposer: ProposalPlan['proposer'] = x < 0.1 ? 'town-hall' : x < 0.3 ? 'known' : 'community';
      if (r.next() < 0.08) {
        const e = ECONOMICS_PROPOSALS[econ++ % ECONOMICS_PROPOSALS.length];
        plans.push({
          at,
          proposer,
          title: e.title,
          summary: `## ${e.title}\n\n${e.summary} No value changes if this is adopted.`,
          url: `https://forum.example.org/t/${slug(e.title)}/${1000 + plans.length}`,
          action: { ManageNetworkEconomics: { ...zeroEconomics, ...e.change } },
        });
        continue;
      }
      const title = combos[next++ % combos.length];
      plans.push({ at, proposer, title, summary: motionSummary(title, r), url: `https://forum.example.org/t/${slug(title)}/${1000 + plans.length}`, action: motion(title, r) });
    }
  }
  // A known neuron registered by proposal, two weeks in.
  plans.push({
    at: 14 * DAY + 10 * HOUR,
    proposer: 'community',
    title: 'Register Wren & Lark Stewards as a known neuron',
    summary: '## Register Wren & Lark Stewards\n\nA long-time staker offers its neuron as a followee for community topics.',
    url: 'https://forum.example.org/t/register-wren-lark-stewards/977',
    action: registerCandidate(),
  });
  // Fresh ones: no votes yet but the proposer's.
  for (const hoursAgo of [5, 2, 0.75]) {
    const title = combos[next++ % combos.length];
    plans.push({
      at: historySeconds - Math.round(hoursAgo * HOUR),
      proposer: 'community',
      title,
      summary: motionSummary(title, r),
      url: `https://forum.example.org/t/${slug(title)}/${1000 + plans.length}`,
      action: motion(title, r),
    });
  }
  return plans.sort((a, b) => a.at - b.at);
}

// ---- The world ----------------------------------------------------------------------------------

export interface NnsWorld {
  knownNeuronIds: bigint[];
  townHallNeuronId: bigint;
  proposals: number;
}

/**
 * Builds the NNS world. Call it with the clock HISTORY_DAYS in the past (Runtime.rewindForGenesis)
 * and with the reserve funded; it ends with the clock back at the present.
 */
export async function buildNnsWorld(rt: Runtime, params: NnsWorldParams): Promise<NnsWorld> {
  const r = rng(0x5eed_2026);
  const historySeconds = Number(rt.secondsBehind);
  if (historySeconds < 7 * DAY) throw new Error('buildNnsWorld: rewind the clock (rewindForGenesis) by at least 7 days first');
  const startSeconds = Number(rt.now() / 1_000_000_000n);
  const { reserve } = params;
  const principalOf = (name: string) => {
    const p = params.identities.find((i) => i.name === name);
    if (!p) throw new Error(`buildNnsWorld: no identity ${name}`);
    return Principal.fromText(p.principal);
  };

  // 1. Fund every neuron from the reserve (one round of transfers).
  const knownControllers = KNOWN_NEURONS.map((k) => syntheticPrincipal(`known:${k.name}`));
  const townHall = syntheticPrincipal(TOWN_HALL.label);
  const hotkeyDevice = syntheticPrincipal(DEMO_HOTKEY_NEURON.label);
  const others = planOtherNeurons(r, historySeconds);
  const personal = PERSONAL_NEURONS.map((p) => ({ ...p, controller: principalOf(p.owner) }));
  await Promise.all([
    ...KNOWN_NEURONS.map((k, i) => fund(rt, reserve, knownControllers[i], 1n, k.stakeIcp * ICP)),
    fund(rt, reserve, townHall, 1n, TOWN_HALL.stakeIcp * ICP),
    fund(rt, reserve, hotkeyDevice, 1n, DEMO_HOTKEY_NEURON.stakeIcp * ICP),
    ...others.map((o) => fund(rt, reserve, o.controller, o.memo, o.stakeE8s)),
    ...personal.map((p) => fund(rt, reserve, p.controller, p.memo, p.stakeIcp * ICP)),
  ]);

  // 2. Claim the neurons that do not take default followees, lock them, make the known ones known.
  const known = await Promise.all(knownControllers.map((c) => claim(rt, c, 1n)));
  const hall = await claim(rt, townHall, 1n);
  const explicitOthers = others.filter((o) => o.following !== 'default');
  const explicitStaked = await Promise.all(explicitOthers.map((o) => claim(rt, o.controller, o.memo)));
  await Promise.all([
    ...known.map((n) => lock(rt, n, TWO_YEARS)),
    lock(rt, hall, TOWN_HALL.delaySeconds),
    ...explicitStaked.map((n, i) => lock(rt, n, explicitOthers[i].delaySeconds)),
  ]);
  const knownIds = known.map((n) => n.id);
  for (const [i, k] of KNOWN_NEURONS.entries()) {
    await rt.admin(GOVERNANCE_ID, 'set_known_neuron', {
      neuron_id: knownIds[i],
      name: k.name,
      description: k.description,
      links: k.links,
      committed_topics: k.committedTopics,
    });
  }

  // 3. Default followees (catch-all -> the largest known neuron), then the neurons that take them.
  await rt.admin(GOVERNANCE_ID, 'set_default_followees', { followees: [[Topic.Unspecified, [knownIds[0]]]] });
  const defaultOthers = others.filter((o) => o.following === 'default');
  const [defaultStaked, personalStaked, device] = await Promise.all([
    Promise.all(defaultOthers.map((o) => claim(rt, o.controller, o.memo))),
    Promise.all(personal.map((p) => claim(rt, p.controller, p.memo))),
    claim(rt, hotkeyDevice, 1n),
  ]);
  await Promise.all([
    ...defaultStaked.map((n, i) => lock(rt, n, defaultOthers[i].delaySeconds)),
    ...personalStaked.map((n, i) => lock(rt, n, personal[i].delaySeconds)),
    lock(rt, device, DEMO_HOTKEY_NEURON.delaySeconds),
  ]);

  // 4. Following, hotkeys, visibility, auto-stake.
  const stakedOf = new Map<OtherNeuronPlan, Staked>();
  explicitOthers.forEach((o, i) => stakedOf.set(o, explicitStaked[i]));
  defaultOthers.forEach((o, i) => stakedOf.set(o, defaultStaked[i]));
  const setup: Promise<unknown>[] = [];
  for (const o of others) {
    const n = stakedOf.get(o)!;
    const topics = o.topics.map(([t, ks]) => [t, ks.map((k) => knownIds[k])] as [Topic, bigint[]]);
    setup.push(follow(rt, n, topics));
    for (const key of o.hotKeys) setup.push(configure(rt, n.controller, n.id, { AddHotKey: { new_hot_key: [key] } }));
    if (o.public) setup.push(configure(rt, n.controller, n.id, { SetVisibility: { visibility: [2] } }));
    if (o.autoStake) setup.push(configure(rt, n.controller, n.id, { ChangeAutoStakeMaturity: { requested_setting_for_auto_stake_maturity: true } }));
  }
  for (const [i, p] of personal.entries()) {
    const n = personalStaked[i];
    if (p.followsOnGovernance) setup.push(follow(rt, n, [[Topic.Governance, p.followsOnGovernance.map((k) => knownIds[k])]]));
    if (p.public) setup.push(configure(rt, n.controller, n.id, { SetVisibility: { visibility: [2] } }));
    if (p.autoStakeMaturity) setup.push(configure(rt, n.controller, n.id, { ChangeAutoStakeMaturity: { requested_setting_for_auto_stake_maturity: true } }));
  }
  setup.push(configure(rt, hall.controller, hall.id, { SetVisibility: { visibility: [2] } }));
  setup.push(configure(rt, device.controller, device.id, { AddHotKey: { new_hot_key: [principalOf('demo')] } }));
  setup.push(follow(rt, device, [[Topic.Governance, [knownIds[0]]]]));
  await Promise.all(setup);

  // 5. The known neurons vote by themselves from now on; the town hall opens admin proposals.
  await rt.admin(GOVERNANCE_ID, 'set_auto_voters', {
    voters: KNOWN_NEURONS.map((k, i) => ({
      neuron_id: knownIds[i],
      min_delay_seconds: k.votes.minDelayHours * HOUR,
      max_delay_seconds: k.votes.maxDelayHours * HOUR,
      yes_permille: k.votes.yesPermille,
      participation_permille: k.votes.participationPermille,
    })),
    favoured_permille: FAVOURED_PERMILLE,
    proposer_neuron_id: hall.id,
  });

  // 6. The history: proposals, neurons starting to dissolve, maturity being staked.
  const communityProposers = others
    .filter((o) => o.kind === 'locked' && o.delaySeconds >= 6 * MONTH && o.stakeE8s >= 500n * ICP)
    .slice(0, 15)
    .map((o) => stakedOf.get(o)!);
  const wren = others.find((o) => o.kind === 'locked' && o.public && o.delaySeconds >= YEAR && o.stakeE8s >= 100_000n * ICP && o.following === 'none');
  const registerCandidate = (): ProposalActionRequest =>
    wren
      ? {
          RegisterKnownNeuron: {
            id: [{ id: stakedOf.get(wren)!.id }],
            known_neuron_data: [
              {
                name: 'Wren & Lark Stewards',
                description: ['A long-time staker that votes on community motions and explains its votes.'],
                links: [['https://wrenlark.example.org']],
                committed_topics: [[[{ Governance: null }]]],
              },
            ],
          },
        }
      : { Motion: { motion_text: 'Thank the early stakers of the play network.' } };
  const proposals = planProposals(r, historySeconds, registerCandidate);

  type Event = { at: number; run: () => Promise<unknown> };
  const events: Event[] = [];
  for (const p of proposals) {
    const by: Staked = p.proposer === 'town-hall' ? hall : p.proposer === 'known' ? known[r.int(0, known.length - 1)] : r.pick(communityProposers);
    events.push({
      at: p.at,
      run: () => manage(rt, by.controller, by.id, { MakeProposal: { title: [p.title], summary: p.summary, url: p.url, action: [p.action] } }),
    });
  }
  for (const o of others) {
    const n = stakedOf.get(o)!;
    if (o.dissolveAt !== undefined) events.push({ at: o.dissolveAt, run: () => configure(rt, n.controller, n.id, { StartDissolving: {} }) });
    if (o.stakeMaturityAt !== undefined) {
      events.push({ at: o.stakeMaturityAt, run: () => manage(rt, n.controller, n.id, { StakeMaturity: { percentage_to_stake: [] } }).catch(() => undefined) });
    }
  }
  for (const [i, p] of personal.entries()) {
    const n = personalStaked[i];
    if (p.dissolveOnDay !== undefined) events.push({ at: p.dissolveOnDay * DAY + 9 * HOUR, run: () => configure(rt, n.controller, n.id, { StartDissolving: {} }) });
  }
  events.sort((a, b) => a.at - b.at);
  for (let i = 0; i < events.length; ) {
    const at = events[i].at;
    const nowSeconds = Number(rt.now() / 1_000_000_000n);
    const target = startSeconds + at;
    if (target > nowSeconds) await rt.advanceTime(target - nowSeconds);
    const batch: Promise<unknown>[] = [];
    for (; i < events.length && events[i].at === at; i++) batch.push(events[i].run());
    await Promise.all(batch);
  }
  await rt.advanceToPresent();
  return { knownNeuronIds: knownIds, townHallNeuronId: hall.id, proposals: proposals.length };
}
