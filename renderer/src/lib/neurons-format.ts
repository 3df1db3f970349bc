// How the Neurons screens show a neuron's numbers: durations, dates, voting power, APY, states and
// proposal topics in the user's words. Amounts stay bigint e8s until here (formatting only).
import { formatIcp } from '../../../electron/api/amounts.ts';
import type { NeuronLimits } from '../../../electron/services/neuron-limits.ts';
import type { NeuronStateName, NeuronView } from '../../../electron/services/neuron-view.ts';

export const DAY = 86_400;
const YEAR = 365.25 * DAY;

/** "2 years", "1 year 30 days", "14 days", "5 hours", "0 days". */
export function formatDuration(seconds: bigint | number): string {
  const s = Number(seconds);
  if (s <= 0) return '0 days';
  if (s < DAY) {
    const h = Math.max(1, Math.round(s / 3_600));
    return `${h} hour${h === 1 ? '' : 's'}`;
  }
  const years = Math.floor((s + 60) / YEAR); // a minute of slack: 730.5 days is 2 years
  const days = Math.floor((s - years * YEAR + 60) / DAY);
  const parts: string[] = [];
  if (years > 0) parts.push(`${years} year${years === 1 ? '' : 's'}`);
  if (days > 0 || years === 0) parts.push(`${days} day${days === 1 ? '' : 's'}`);
  return parts.join(' ');
}

/** A timestamp in seconds as a date (UTC, YYYY-MM-DD: the same on every machine). */
export function formatDate(seconds: bigint | number | undefined): string {
  if (seconds === undefined) return '—';
  return new Date(Number(seconds) * 1_000).toISOString().slice(0, 10);
}

export function formatDateTime(seconds: bigint | number | undefined): string {
  if (seconds === undefined) return '—';
  return new Date(Number(seconds) * 1_000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** e8s rounded to `decimals` places, with thousands separators: 362587269706n -> "3,625.87". */
export function formatE8sShort(e8s: bigint, decimals = 2): string {
  const unit = 10n ** BigInt(8 - decimals);
  const rounded = (e8s + unit / 2n) / unit; // in units of 10^-decimals
  const scale = 10n ** BigInt(decimals);
  const whole = (rounded / scale).toLocaleString('en-US');
  return decimals === 0 ? whole : `${whole}.${(rounded % scale).toString().padStart(decimals, '0')}`;
}

/** ICP with all its decimals (exact), for facts and reviews. */
export const icp = (e8s: bigint): string => `${formatIcp(e8s)} ICP`;

export function formatApy(apy: number | undefined): string {
  return apy === undefined ? '—' : `${(apy * 100).toFixed(2)}%`;
}

export const STATE_LABELS: Record<NeuronStateName, string> = {
  locked: 'Locked',
  dissolving: 'Dissolving',
  dissolved: 'Dissolved',
  spawning: 'Spawning',
  unspecified: 'Unknown',
};

/** The dissolve column: how long it stays locked, or when it dissolves. */
export function dissolveSummary(n: NeuronView): string {
  switch (n.state) {
    case 'locked':
      return formatDuration(n.dissolveDelaySeconds);
    case 'dissolving':
      return `${formatDuration(n.dissolveDelaySeconds)} left (${formatDate(n.dissolveAtSeconds)})`;
    case 'dissolved':
      return `Dissolved ${formatDate(n.dissolveAtSeconds)}`;
    case 'spawning':
      return `Spawns ${formatDate(n.spawnAtSeconds)}`;
    default:
      return '—';
  }
}

/**
 * The dissolve delay bonus of Mission 70 (1 + 2t², t = delay / maximum delay, 3x at the maximum);
 * a neuron below the minimum delay to vote has no voting power. The age bonus (up to 1.25x after
 * 4 years) comes on top for a neuron that ages.
 */
export function delayMultiplier(delaySeconds: bigint, limits: NeuronLimits): number {
  if (delaySeconds < limits.minimumDissolveDelayToVoteSeconds) return 0;
  const max = limits.maximumDissolveDelaySeconds;
  const t = Number(delaySeconds < max ? delaySeconds : max) / Number(max);
  return 1 + 2 * t * t;
}

/** Topics a neuron follows on, in the order the NNS dapp shows them, with the user's names. */
export const CATCH_ALL_TOPIC = 0;
export const NEURON_MANAGEMENT_TOPIC = 1;
export const GOVERNANCE_TOPIC = 4;
export const FOLLOW_TOPICS: Array<{ topic: number; label: string }> = [
  { topic: CATCH_ALL_TOPIC, label: 'All topics except Governance and SNS & Neurons\' Fund' },
  { topic: GOVERNANCE_TOPIC, label: 'Governance' },
  { topic: 14, label: 'SNS & Neurons\' Fund' },
  { topic: NEURON_MANAGEMENT_TOPIC, label: 'Neuron Management' },
  { topic: 2, label: 'Exchange Rate' },
  { topic: 3, label: 'Network Economics' },
  { topic: 5, label: 'Node Admin' },
  { topic: 6, label: 'Participant Management' },
  { topic: 7, label: 'Subnet Management' },
  { topic: 8, label: 'Application Canister Management' },
  { topic: 9, label: 'KYC' },
  { topic: 10, label: 'Node Provider Rewards' },
  { topic: 12, label: 'IC OS Version Deployment' },
  { topic: 13, label: 'IC OS Version Election' },
  { topic: 15, label: 'API Boundary Node Management' },
  { topic: 16, label: 'Subnet Rental' },
  { topic: 17, label: 'Protocol Canister Management' },
  { topic: 18, label: 'Service Nervous System Management' },
];

export function topicLabel(topic: number, fallback?: string): string {
  return FOLLOW_TOPICS.find((t) => t.topic === topic)?.label ?? fallback ?? `Topic ${topic}`;
}

/** "Lantern Hill Collective" for a known neuron, else its id. */
export function followeeLabel(f: { id: bigint; name?: string }): string {
  return f.name ?? String(f.id);
}

/** The distinct followees of a neuron over all topics, by name (known neurons) or id. */
export function followeeNames(n: NeuronView): string[] {
  const seen = new Set<string>();
  for (const t of n.following) for (const f of t.followees) seen.add(followeeLabel(f));
  return [...seen];
}

/** The view says a refresh is due soon; an empty neuron (nothing that votes) is left out. */
export const needsRefresh = (n: NeuronView): boolean => n.refreshNeeded && n.votingStakeE8s > 0n;

/** Compares two values of a sortable column. */
export function compare(a: bigint | number | string | undefined, b: bigint | number | string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/** Why a dissolve delay cannot be chosen, or undefined when it can (`min` exclusive when `above`). */
export function delayError(seconds: bigint, min: bigint, limits: NeuronLimits, opts: { above?: boolean } = {}): string | undefined {
  if (seconds > limits.maximumDissolveDelaySeconds) return `The dissolve delay can be at most ${formatDuration(limits.maximumDissolveDelaySeconds)}.`;
  if (opts.above ? seconds <= min : seconds < min) return `Choose ${opts.above ? 'more than' : 'at least'} ${formatDuration(min)}.`;
  return undefined;
}

/** Whole days for a delay slider (rounded up, so the maximum of 730.5 days is day 731). */
export const daysOf = (seconds: bigint): number => Math.ceil(Number(seconds) / DAY);

/** Seconds for `days` chosen on a slider, capped at the maximum delay. */
export function secondsOfDays(days: number, limits: NeuronLimits): bigint {
  const s = BigInt(Math.max(0, Math.round(Number.isFinite(days) ? days : 0))) * BigInt(DAY);
  return s > limits.maximumDissolveDelaySeconds ? limits.maximumDissolveDelaySeconds : s;
}
