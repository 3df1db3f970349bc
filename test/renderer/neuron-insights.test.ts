// The neuron detail page's insights in isolation, with a fake core: the voting history's states
// (reading, rows with links, empty, error and retry) and the projection chart's states and
// accessible description.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { fakeCore } from './support/fake-core.ts';
import VotingHistory from '../../renderer/src/routes/neurons/VotingHistory.svelte';
import ProjectionChart from '../../renderer/src/routes/neurons/ProjectionChart.svelte';
import { limits, neuron as baseNeuron, YEAR } from './support/neurons.ts';
import type { NeuronView } from '../../electron/services/neuron-view.ts';
import type { VotingHistoryEntry } from '../../electron/services/neuron-votes.ts';


// A 2-year neuron whose voting power governance reported as 3,000 ICP.
const neuron = (p: Partial<NeuronView> = {}): NeuronView =>
  baseNeuron({ id: 42n, dissolveDelaySeconds: 2n * YEAR, potentialVotingPower: 300_000_000_000n, decidingVotingPower: 300_000_000_000n, ...p });

const entry = (id: bigint, vote: 'yes' | 'no', extra: Partial<VotingHistoryEntry> = {}): VotingHistoryEntry => ({
  proposalId: id,
  vote,
  title: `Proposal number ${id}`,
  topic: 4,
  topicName: 'Governance',
  status: 'executed',
  decidedAtSeconds: 1_800_000_000n,
  ...extra,
});

describe('VotingHistory', () => {
  it('lists the ballots with links to the proposals, ten first, then all', async () => {
    const history = [entry(30n, 'yes', { status: 'open', decidedAtSeconds: undefined }), entry(29n, 'no', { topic: 2, topicName: 'ExchangeRate' }), ...Array.from({ length: 10 }, (_, i) => entry(BigInt(20 - i), 'yes'))];
    history.push({ proposalId: 3n, vote: 'no' });
    const calls = fakeCore(() => history);
    render(VotingHistory, { neuronId: 42n });
    expect(screen.getByText('Reading the voting history…')).toBeTruthy();
    const table = await screen.findByRole('table');
    expect(calls.map(([m]) => m)).toEqual(['neurons.votingHistory']);
    const rows = table.querySelectorAll('tbody tr');
    expect(rows.length).toBe(10);
    expect(screen.getByRole('link', { name: 'Proposal 30' }).getAttribute('href')).toBe('#/proposals/30');
    expect(rows[0].textContent).toMatch(/Proposal number 30.*Governance.*Yes.*Open/);
    expect(rows[1].textContent).toMatch(/Exchange Rate.*No.*Executed.*decided 2027-01-15/);
    expect(screen.getByText(/newest first: 11 Yes, 2 No\./)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Show all 13 ballots' }));
    expect(table.querySelectorAll('tbody tr').length).toBe(13);
    expect(table.querySelectorAll('tbody tr')[12].textContent).toMatch(/Governance no longer has this proposal\./);
  });

  it('says so when the neuron has not voted, and offers a retry after an error', async () => {
    fakeCore(() => []);
    const { unmount } = render(VotingHistory, { neuronId: 42n });
    expect((await screen.findByTestId('voting-history-empty')).textContent).toBe('This neuron has not voted yet.');
    unmount();
    let fail = true;
    fakeCore(() => {
      if (fail) throw { kind: 'network', message: 'The network did not answer.' };
      return [entry(5n, 'yes')];
    });
    render(VotingHistory, { neuronId: 42n });
    expect((await screen.findByRole('alert')).textContent).toMatch(/The network did not answer\./);
    fail = false;
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect((await screen.findByRole('table')).textContent).toMatch(/Proposal number 5/);
  });
});

describe('ProjectionChart', () => {
  const rate = { yearlyRewardPerVotingPower: 0.05, dailyPoolE8s: 1n, totalPotentialVotingPower: 1n, rewardEventDay: 1n, rewardEventAtSeconds: 1n };

  it('draws two series with a summary for screen readers, the yearly values and the assumptions', async () => {
    fakeCore(() => rate);
    render(ProjectionChart, { neuron: neuron(), limits });
    const chart = await screen.findByRole('img');
    // 1,000 ICP for 2 years: 3x now, 3.75x once 4 years old.
    expect(chart.getAttribute('aria-label')).toBe(
      'Projected voting power and maturity of neuron 42 over the next 8 years. Voting power: 3,000.00 ICP now, 3,750.00 ICP in 8 years. It grows with its age bonus until it is 4 years old, in 4 years. Maturity: 0.00 ICP now, ' +
        `${screen.getAllByRole('row').at(-1)!.querySelectorAll('td')[3].textContent} ICP in 8 years.`,
    );
    expect(chart.querySelectorAll('path.series').length).toBe(2);
    expect(chart.textContent).toMatch(/Years from now/);
    const rows = screen.getByTestId('projection-table').querySelectorAll('tbody tr');
    expect(rows.length).toBe(9);
    expect(rows[0].textContent).toMatch(/^0.*3,000\.00.*0\.00$/);
    expect(rows[4].textContent).toMatch(/3,750\.00/);
    expect(screen.getByText(/^The reward rate stays at today's value: 5\.00 ICP of maturity a year per 100 ICP of voting power/)).toBeTruthy();
  });

  it('reads the rate first, shows the core\'s sentence when it fails, and projects nothing for a dissolved neuron', async () => {
    fakeCore(() => {
      throw { kind: 'network', message: 'The network did not answer.' };
    });
    const { unmount } = render(ProjectionChart, { neuron: neuron(), limits });
    expect(screen.getByText('Reading the reward rate…')).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent).toMatch(/The network did not answer\./);
    unmount();
    fakeCore(() => undefined);
    render(ProjectionChart, { neuron: neuron({ state: 'dissolved', dissolveDelaySeconds: 0n }), limits });
    expect(screen.getByTestId('projection-none').textContent).toMatch(/This neuron is dissolved: it no longer votes or earns rewards/);
    expect(screen.queryByRole('img')).toBeNull();
  });
});
