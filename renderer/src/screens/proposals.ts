import Proposals from '../routes/proposals/Proposals.svelte';
import type { Screen } from './types.ts';

export default { name: 'proposals', label: 'Proposals', order: 30, component: Proposals } satisfies Screen;
