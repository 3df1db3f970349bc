// "Hide balances": a display preference (like the theme) kept in this browser profile. Dashboards
// show amounts through shown(), which masks them while the preference is on; it reads reactive
// state, so a template using it updates when the preference changes. Never used where the user
// must see the amount: the review dialog (what they sign) and the forms they fill in.
const KEY = 'neuron-desk-hide-balances';
export const MASK = '•••••';

function saved(): boolean {
  try {
    return localStorage.getItem(KEY) === 'hidden';
  } catch {
    return false;
  }
}

export const privacy = $state({ hidden: saved() });

export function setHideBalances(hidden: boolean): void {
  privacy.hidden = hidden;
  try {
    if (hidden) localStorage.setItem(KEY, 'hidden');
    else localStorage.removeItem(KEY);
  } catch {
    // A display preference only: it lasts until the window closes.
  }
}

export function toggleHideBalances(): void {
  setHideBalances(!privacy.hidden);
}

/** The text of an amount, or the mask while balances are hidden. */
export function shown(text: string): string {
  return privacy.hidden ? MASK : text;
}
