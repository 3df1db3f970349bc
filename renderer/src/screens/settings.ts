import Settings from '../routes/Settings.svelte';
import type { Screen } from './types.ts';

export default { name: 'settings', label: 'Settings', order: 100, component: Settings } satisfies Screen;
