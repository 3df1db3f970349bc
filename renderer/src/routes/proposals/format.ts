// Names and numbers of the proposal screens: the filters' choices (governance's numbering, as
// electron/services/proposals.ts takes them) and the countdown to a deadline.
import type { ProposalView } from '../../../../electron/services/proposal-view.ts';

export interface Choice {
  value: number;
  label: string;
}

export const TOPICS: Choice[] = [
  { value: 4, label: 'Governance' },
  { value: 3, label: 'Network economics' },
  { value: 1, label: 'Neuron management' },
  { value: 2, label: 'Exchange rate' },
  { value: 5, label: 'Node admin' },
  { value: 6, label: 'Participant management' },
  { value: 7, label: 'Subnet management' },
  { value: 8, label: 'Network canister management' },
  { value: 9, label: 'KYC' },
  { value: 10, label: 'Node provider rewards' },
  { value: 12, label: 'IC OS version deployment' },
  { value: 13, label: 'IC OS version election' },
  { value: 14, label: 'SNS & Neurons\' Fund' },
  { value: 15, label: 'API boundary node management' },
  { value: 16, label: 'Subnet rental' },
  { value: 17, label: 'Protocol canister management' },
  { value: 18, label: 'Service nervous system management' },
];

export const STATUSES: Choice[] = [
  { value: 1, label: 'Open' },
  { value: 2, label: 'Rejected' },
  { value: 3, label: 'Adopted' },
  { value: 4, label: 'Executed' },
  { value: 5, label: 'Failed' },
];

export const REWARD_STATUSES: Choice[] = [
  { value: 1, label: 'Accepting votes' },
  { value: 2, label: 'Ready to settle' },
  { value: 3, label: 'Settled' },
  { value: 4, label: 'Ineligible' },
];

const STATUS_LABEL: Record<string, string> = { open: 'Open', rejected: 'Rejected', adopted: 'Adopted', executed: 'Executed', failed: 'Failed', unknown: 'Unknown' };
const REWARD_LABEL: Record<string, string> = { 'accepting-votes': 'Accepting votes', 'ready-to-settle': 'Ready to settle', settled: 'Settled', ineligible: 'Ineligible', unknown: 'Unknown' };

export const statusLabel = (p: ProposalView) => STATUS_LABEL[p.statusName] ?? p.statusName;
export const rewardLabel = (p: ProposalView) => REWARD_LABEL[p.rewardStatusName] ?? p.rewardStatusName;
export const topicLabel = (p: ProposalView) => TOPICS.find((t) => t.value === p.topic)?.label ?? p.topicName;

/** "2 d 4 h left", "35 min left", "12 s left"; undefined once past. */
export function timeLeft(deadlineSeconds: bigint, nowMs: number): string | undefined {
  const left = Number(deadlineSeconds) - Math.floor(nowMs / 1000);
  if (left <= 0) return undefined;
  const d = Math.floor(left / 86_400);
  const h = Math.floor((left % 86_400) / 3_600);
  const m = Math.floor((left % 3_600) / 60);
  if (d > 0) return `${d} d ${h} h left`;
  if (h > 0) return `${h} h ${m} min left`;
  if (m > 0) return `${m} min left`;
  return `${left} s left`;
}

export function formatDate(seconds: bigint | undefined): string {
  if (seconds === undefined || seconds === 0n) return '—';
  return new Date(Number(seconds) * 1000).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** The only links the shell opens (in the browser). */
export const isHttps = (url: string) => /^https:\/\//i.test(url.trim());

/** Voting power (e8s of stake-equivalent) in whole units, grouped: "7,553,675". */
export const formatPower = (e8s: bigint) => (e8s / 100_000_000n).toLocaleString('en-US');
