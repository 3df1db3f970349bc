import NeuronsPage from '../routes/neurons/NeuronsPage.svelte';
import type { Screen } from './types.ts';

export default { name: 'neurons', label: 'Neurons', order: 20, component: NeuronsPage } satisfies Screen;
