// Checking followees before a Follow or SetFollowing is sent: a known topic, at most the allowed
// number, no repeats, and every followee exists and may be followed (public or known, or one of the
// user's own neurons: governance refuses a private neuron of someone else).
import { Topic } from '@icp-sdk/canisters/nns';
import { invalidInput } from '../api/errors.ts';
import { toDeskError } from './errors.ts';
import type { Connection } from '../network/agents.ts';
import type { LoadedNeurons } from './neurons.ts';
import { parseNeuronId } from './neuron-input.ts';
import { TOPICS, topicName, visibilityName, type NeuronView } from './neuron-view.ts';

export interface FollowingArgs {
  neuronId: bigint | string;
  topics: Array<{ topic: number; followees: Array<bigint | string> }>;
}

export interface TopicFollowees {
  topic: Topic;
  followees: bigint[];
}

/** `follower`: the neuron whose following changes (undefined for a neuron still to be staked). */
export async function checkFollowees(
  t: { conn: Connection; loaded: LoadedNeurons; view?: NeuronView },
  topics: FollowingArgs['topics'],
): Promise<TopicFollowees[]> {
  if (!Array.isArray(topics) || topics.length === 0) throw invalidInput('Choose at least one topic to set the following of.');
  const seen = new Set<number>();
  const out: TopicFollowees[] = [];
  const max = t.loaded.limits.maxFolloweesPerTopic;
  for (const item of topics) {
    const topic = item?.topic;
    if (typeof topic !== 'number' || !TOPICS.includes(topic)) throw invalidInput(`${String(topic)} is not a proposal topic.`);
    if (seen.has(topic)) throw invalidInput(`The topic ${topicName(topic)} is given twice.`);
    seen.add(topic);
    const followees = (item.followees ?? []).map((f) => parseNeuronId(f));
    if (new Set(followees).size !== followees.length) throw invalidInput(`A followee is listed twice on ${topicName(topic)}.`);
    if (followees.length > max) throw invalidInput(`A neuron can follow at most ${max} neurons on a topic.`);
    if (t.view && followees.includes(t.view.id)) throw invalidInput(`Neuron ${t.view.id} cannot follow itself.`);
    out.push({ topic, followees });
  }
  const all = [...new Set(out.flatMap((f) => f.followees))];
  if (all.length > 0) {
    let infos;
    try {
      infos = await t.conn.governance.listNeurons({ certified: false, neuronIds: all, includeEmptyNeurons: true });
    } catch (e) {
      throw toDeskError(e, 'Checking the followees');
    }
    const found = new Map(infos.map((n) => [n.neuronId, n]));
    const own = new Set(t.loaded.raw.map((n) => n.neuronId));
    for (const f of out) {
      for (const id of f.followees) {
        const n = found.get(id);
        if (!n) throw invalidInput(`Neuron ${id} does not exist: check the followee's id.`);
        // Neuron management is exempt; elsewhere a private neuron of someone else cannot be followed.
        const already = !!t.view?.following.some((x) => x.topic === f.topic && x.followees.some((y) => y.id === id));
        const followable =
          f.topic === Topic.NeuronManagement || already || own.has(id) || t.loaded.knownNeurons.has(id) || visibilityName(n.visibility) !== 'private';
        if (!followable) throw invalidInput(`Neuron ${id} is private: only public neurons, known neurons and your own neurons can be followed.`);
      }
    }
  }
  return out;
}
