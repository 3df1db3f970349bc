import LocalNetwork from '../routes/LocalNetwork.svelte';
import type { Screen } from './types.ts';

export default { name: 'local', label: 'Local subnet', order: 90, component: LocalNetwork, localOnly: true } satisfies Screen;
