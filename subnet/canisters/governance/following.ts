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
// Cost: each wave touches only the followers of the neurons that just voted (a queue of waves,
// never a rescan of all ballots).
import { Topic, Vote, type BallotData, type GovernanceState, type Neuron } from './model.ts';

/** Topics on which the catch-all (topic 0) following does not apply. */
export function catchAllApplies(topic: number): boolean {
  return topic !== Topic.Governance && topic !== Topic.SnsAndCommunityFund && topic !== Topic.NeuronManagement;
}

const ascending = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** Transient marker of a ballot collected in the current wave (never left in a ballot). */
const PENDING = -1 as Vote;

/** Indexes of `ids` in ascending id order (no sort when already ascending, the usual case). */
function ascendingOrder(ids: bigint[]): number[] {
  const order = new Array<number>(ids.length);
  let sorted = true;
  for (let i = 0; i < ids.length; i++) {
    order[i] = i;
    if (i > 0 && ids[i - 1] > ids[i]) sorted = false;
  }
  if (!sorted) order.sort((a, b) => ascending(ids[a], ids[b]));
  return order;
}

/** The vote a follower would cast now, from the ballots of its followees (Unspecified if none yet). */
export function wouldFollow(n: Neuron | undefined, topic: number, ballots: ReadonlyMap<bigint, BallotData>): Vote {
  if (!n) return Vote.Unspecified;
  let list = n.followees.get(topic);
  if ((!list || list.length === 0) && catchAllApplies(topic)) list = n.followees.get(Topic.Unspecified);
  if (!list || list.length === 0) return Vote.Unspecified;
  let yes = 0;
  let no = 0;
  for (const f of list) {
    const b = ballots.get(f);
    if (!b) continue;
    if (b.vote === Vote.Yes) yes++;
    else if (b.vote === Vote.No) no++;
  }
  if (2 * yes > list.length) return Vote.Yes;
  if (2 * no >= list.length) return Vote.No;
  return Vote.Unspecified;
}

/**
 * Casts `vote` for `voterId` (if its ballot is unspecified) and cascades through following.
 * `onCast(neuronId, vote, ballot, neuron)` is called once per ballot that gets cast (the direct
 * voter first, then wave by wave in ascending id order); `neuron` is undefined for the direct voter.
 */
export function castAndCascade(
  state: GovernanceState,
  topic: number,
  ballots: Map<bigint, BallotData>,
  voterId: bigint,
  vote: Vote,
  onCast: (neuronId: bigint, vote: Vote, ballot: BallotData, neuron?: Neuron) => void,
): void {
  const first = ballots.get(voterId);
  if (!first || first.vote !== Vote.Unspecified) return;
  first.vote = vote;
  onCast(voterId, vote, first);
  if (topic === Topic.NeuronManagement) return;
  const viaCatchAll = catchAllApplies(topic);
  let wave: bigint[] = [voterId];
  const ids: bigint[] = [];
  const pending: BallotData[] = [];
  const collect = (followers: ReadonlySet<bigint>) => {
    for (const f of followers) {
      const b = ballots.get(f);
      // Mark as pending: dedupes without a Set, and reads as "not voted" to wouldFollow.
      if (b && b.vote === Vote.Unspecified) {
        b.vote = PENDING;
        ids.push(f);
        pending.push(b);
      }
    }
  };
  while (wave.length > 0) {
    // Followers of everyone who just voted, once each, only those still to vote.
    ids.length = 0;
    pending.length = 0;
    for (const id of wave) {
      collect(state.followersOf(topic, id));
      if (viaCatchAll) collect(state.followersOf(Topic.Unspecified, id));
    }
    if (ids.length === 0) break;
    const order = ascendingOrder(ids);
    // Decide simultaneously against the ballots as they are after the previous wave.
    const votes: Vote[] = new Array(ids.length);
    const neurons: Array<Neuron | undefined> = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) votes[i] = wouldFollow((neurons[i] = state.neurons.get(ids[i])), topic, ballots);
    const next: bigint[] = [];
    for (const i of order) pending[i].vote = Vote.Unspecified;
    for (const i of order) {
      const v = votes[i];
      if (v === Vote.Unspecified) continue;
      pending[i].vote = v;
      next.push(ids[i]);
      onCast(ids[i], v, pending[i], neurons[i]);
    }
    wave = next;
  }
}
