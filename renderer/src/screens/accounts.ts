import Accounts from '../routes/Accounts.svelte';
import type { Screen } from './types.ts';

export default { name: 'accounts', label: 'Accounts', order: 10, component: Accounts } satisfies Screen;
