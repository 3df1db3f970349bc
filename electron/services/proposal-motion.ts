// Making a Motion proposal with one of the user's neurons. MakeProposal is not idempotent, so a
// confirm first looks for the proposal among the newest ones (same proposer, title, summary and url,
// made since the review was prepared): a confirm repeated after a lost answer finds it instead of
// making a second one.
import { formatIcp } from '../api/amounts.ts';
import { invalidInput } from '../api/errors.ts';
import type { Review } from '../api/review.ts';
import type { ServiceContext } from './context.ts';
import { manageNeuronCall } from './neuron-calls.ts';
import { days, prepareCommand, refuseWhen, target } from './neuron-command-kit.ts';
import { listPage, listRequest, MAX_PAGE } from './proposals.ts';

/** Governance's limits on a proposal's text (rs/nns/governance: proposal validation). */
export const TITLE_BYTES_MIN = 5;
export const TITLE_BYTES_MAX = 256;
export const SUMMARY_BYTES_MAX = 30_000;
export const URL_CHARS_MAX = 2_048;
export const MOTION_TEXT_BYTES_MAX = 10_000;

export interface MotionArgs {
  neuronId: bigint | string;
  title: string;
  /** Markdown. */
  summary: string;
  /** https:// link to the discussion (may be empty). */
  url: string;
  /** The motion's text (default: the title). */
  motionText?: string;
}

export interface MotionResult {
  proposalId: bigint;
  alreadyDone: boolean;
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export async function prepareMotion(ctx: ServiceContext, a: MotionArgs): Promise<Review> {
  const title = typeof a.title === 'string' ? a.title.trim() : '';
  const summary = typeof a.summary === 'string' ? a.summary : '';
  const url = typeof a.url === 'string' ? a.url.trim() : '';
  const motionText = (a.motionText ?? title).trim();
  if (bytes(title) < TITLE_BYTES_MIN || bytes(title) > TITLE_BYTES_MAX) throw invalidInput(`The title must be ${TITLE_BYTES_MIN} to ${TITLE_BYTES_MAX} bytes long.`);
  if (bytes(summary) > SUMMARY_BYTES_MAX) throw invalidInput(`The summary can be at most ${SUMMARY_BYTES_MAX} bytes long.`);
  if (url.length > URL_CHARS_MAX) throw invalidInput(`The link can be at most ${URL_CHARS_MAX} characters long.`);
  if (url !== '' && !/^https:\/\/[^\s/]+\S*$/.test(url)) throw invalidInput('The link must be an https:// address.');
  if (motionText === '' || bytes(motionText) > MOTION_TEXT_BYTES_MAX) throw invalidInput(`The motion text must be 1 to ${MOTION_TEXT_BYTES_MAX} bytes long.`);

  const t = await target(ctx, a.neuronId, 'controller-or-hotkey', 'make a proposal');
  const l = t.loaded.limits;
  refuseWhen(
    t.view.dissolveDelaySeconds < l.minimumDissolveDelayToProposeSeconds,
    `Neuron ${t.id} needs a dissolve delay of at least ${days(l.minimumDissolveDelayToProposeSeconds)} to make a proposal.`,
  );
  refuseWhen(t.view.stakeE8s < l.rejectCostE8s, `Neuron ${t.id} needs at least ${formatIcp(l.rejectCostE8s)} ICP of stake to make a proposal (the cost if it is rejected).`);
  const since = t.view.retrievedAtSeconds;
  return prepareCommand(
    t,
    {
      action: 'make-motion-proposal',
      title: `Propose "${title}" with neuron ${t.id}`,
      calls: [
        manageNeuronCall(t.id, {
          MakeProposal: { title, summary, url, action: { Motion: { motion_text: motionText } } },
        }),
      ],
      notes: [
        `If the proposal is rejected, ${formatIcp(l.rejectCostE8s)} ICP are taken from neuron ${t.id}'s stake.`,
        `Neuron ${t.id} votes Yes on it, and its voting power is refreshed.`,
      ],
    },
    async (): Promise<MotionResult> => {
      const existing = (await listPage(t.conn, listRequest({}, MAX_PAGE))).find(
        (p) =>
          p.proposer === t.id &&
          p.proposalTimestampSeconds >= since &&
          p.proposal?.title === title &&
          p.proposal?.url === url &&
          (p.proposal?.summary ?? summary) === summary,
      );
      if (existing?.id !== undefined) return { proposalId: existing.id, alreadyDone: true };
      const id = await t.conn.governance.makeProposal({ neuronId: t.id, title, summary, url, action: { Motion: { motionText } } });
      if (id === undefined) throw new Error('Governance made the proposal but gave no id.');
      return { proposalId: id, alreadyDone: false };
    },
  );
}
