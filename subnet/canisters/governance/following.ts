// The following cascade (shared/reference/nns-canisters.md, "Following cascade").
//
// Starting from one direct vote: the neurons that just voted are visited in ascending id order;
// their followers on the proposal's topic (and on topic 0, the catch-all, except for Governance and
// SnsAndCommunityFund) are collected; every collected follower whose ballot is still unspecified
// decides from the ballots as they are now (simultaneously, like mainnet): its list for the topic,
// or its topic-0 list when it has none (never for Governance / SnsAndCommunityFund); Yes when more
// than half of its followees voted Yes, No when at least half voted No. The followers that decided
// are the next wave. A ballot is only ever cast while unspecified, so cycles terminate. No cascade
// on NeuronManagement (its ballots are only the managed neuron's topic-1 followees).
//
// Within a wave the order does not matter (every follower decides against the ballots as the
// previous wave left them), so waves are not sorted; mainnet iterates them in ascending id order
// with the same outcome.
//
// Cost: each wave touches only the followers of the neurons that just voted (a queue of waves of
// slots, never a rescan of all ballots).
import type { Ballots } from './ballots.ts';
import { Topic, Vote, type GovernanceState, type Neuron } from './model.ts';

/** Topics on which the catch-all (topic 0) following does not apply. */
export function catchAllApplies(topic: number): boolean {
  return topic !== Topic.Governance && topic !== Topic.SnsAndCommunityFund && topic !== Topic.NeuronManagement;
}

/** The vote a follower would cast now, from the ballots of its followees (Unspecified if none yet). */
export function wouldFollow(state: GovernanceState, n: Neuron | undefined, topic: number, ballots: Ballots): Vote {
  if (!n) return Vote.Unspecified;
  let list = n.followees.get(topic);
  if ((!list || list.length === 0) && catchAllApplies(topic)) list = n.followees.get(Topic.Unspecified);
  if (!list || list.length === 0) return Vote.Unspecified;
  let yes = 0;
  let no = 0;
  for (const f of list) {
    const slot = state.slotOf(f);
    const v = slot === undefined ? undefined : ballots.voteAt(slot);
    if (v === Vote.Yes) yes++;
    else if (v === Vote.No) no++;
  }
  if (2 * yes > list.length) return Vote.Yes;
  if (2 * no >= list.length) return Vote.No;
  return Vote.Unspecified;
}

/**
 * Casts `vote` for `voterId` (if its ballot is unspecified) and cascades through following.
 * `onCast(slot, vote)` is called once per ballot that gets cast (the direct voter first, then wave
 * by wave).
 */
export function castAndCascade(
  state: GovernanceState,
  topic: number,
  ballots: Ballots,
  voterId: bigint,
  vote: Vote,
  onCast: (slot: number, vote: Vote) => void,
): void {
  const first = state.slotOf(voterId);
  if (first === undefined || !ballots.isOpen(first)) return;
  ballots.setVoteAt(first, vote);
  onCast(first, vote);
  if (topic === Topic.NeuronManagement) return;
  const viaCatchAll = catchAllApplies(topic);
  // Each slot is collected at most once per wave (it is marked pending), so no list outgrows the
  // number of neurons: the scratch buffers are allocated once and reused (a cascade through 100k+
  // followers would otherwise allocate megabytes of growing arrays per vote).
  const scratch = cascadeScratch(state.neuronsBySlot.length);
  const wave = scratch.wave;
  let waveLength = 1;
  wave[0] = first;
  // The collected followers of the current wave, with the vote of the followee that collected each
  // and whether through the topic's list (0) or the catch-all's (1).
  const pending = scratch.pending;
  let pendingLength = 0;
  const sourceVote = scratch.sourceVote;
  const via = scratch.via;
  const votes = scratch.votes;
  // The followee being expanded: its vote, and whether through the topic's list (0) or the catch-all (1).
  let followeeVote = Vote.Unspecified;
  let through = 0;
  const collect = (f: number) => {
    // Marked pending: dedupes without a Set, and reads as "not voted" to wouldFollow.
    if (ballots.isOpen(f)) {
      ballots.markPending(f);
      pending[pendingLength] = f;
      sourceVote[pendingLength] = followeeVote;
      via[pendingLength] = through;
      pendingLength++;
    }
  };
  const neurons = state.neuronsBySlot;
  const followed = state.followedSlots();
  const topicCounts = state.followeeCountsOf(topic);
  const catchAllCounts = viaCatchAll ? state.followeeCountsOf(Topic.Unspecified) : undefined;
  while (waveLength > 0) {
    pendingLength = 0;
    for (let w = 0; w < waveLength; w++) {
      const slot = wave[w];
      if (followed[slot] === 0) continue;
      const id = state.idAt(slot);
      followeeVote = ballots.voteAt(slot)!;
      through = 0;
      state.forEachFollower(topic, id, collect);
      if (viaCatchAll) {
        through = 1;
        state.forEachFollower(Topic.Unspecified, id, collect);
      }
    }
    if (pendingLength === 0) break;
    // Decide simultaneously against the ballots as they are after the previous wave. A follower
    // with a single followee on the list that applies, collected through that list, follows that
    // followee's vote: no need to look the followee up (the common case, and the fast one).
    for (let i = 0; i < pendingLength; i++) {
      const slot = pending[i];
      votes[i] = Vote.Unspecified;
      let count = topicCounts ? topicCounts[slot] : 0;
      let through = 0;
      if (count === 0 && catchAllCounts) {
        count = catchAllCounts[slot];
        through = 1;
      }
      if (count === 0) continue;
      votes[i] = count === 1 && via[i] === through ? sourceVote[i] : wouldFollow(state, neurons[slot], topic, ballots);
    }
    for (let i = 0; i < pendingLength; i++) ballots.setVoteAt(pending[i], Vote.Unspecified);
    // The followers that decided are the next wave (written over the wave just expanded).
    waveLength = 0;
    for (let i = 0; i < pendingLength; i++) {
      const v = votes[i] as Vote;
      if (v === Vote.Unspecified) continue;
      ballots.setVoteAt(pending[i], v);
      wave[waveLength++] = pending[i];
      onCast(pending[i], v);
    }
  }
}

interface CascadeScratch {
  wave: Int32Array;
  pending: Int32Array;
  sourceVote: Uint8Array;
  via: Uint8Array;
  votes: Uint8Array;
}
let scratchBuffers: CascadeScratch | undefined;

/** Buffers for a cascade over `neurons` slots (grown when the neuron count passes their size). */
function cascadeScratch(neurons: number): CascadeScratch {
  if (!scratchBuffers || scratchBuffers.wave.length < neurons) {
    const n = Math.max(neurons, 1024, (scratchBuffers?.wave.length ?? 0) * 2);
    scratchBuffers = { wave: new Int32Array(n), pending: new Int32Array(n), sourceVote: new Uint8Array(n), via: new Uint8Array(n), votes: new Uint8Array(n) };
  }
  return scratchBuffers;
}
