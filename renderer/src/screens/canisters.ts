import Canisters from '../routes/canisters/Canisters.svelte';
import type { Screen } from './types.ts';

export default { name: 'canisters', label: 'Canisters', order: 40, component: Canisters } satisfies Screen;
