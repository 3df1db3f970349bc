// Light, dark or the system's choice. The design system's light theme applies under
// :root[theme="light"]; the choice is a display preference kept in this browser profile.
export type ThemeChoice = 'light' | 'dark' | 'system';
const KEY = 'neuron-desk-theme';

export function savedTheme(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function applyTheme(choice: ThemeChoice = savedTheme()): void {
  const light = choice === 'light' || (choice === 'system' && matchMedia('(prefers-color-scheme: light)').matches);
  if (light) document.documentElement.setAttribute('theme', 'light');
  else document.documentElement.removeAttribute('theme');
}

export function setTheme(choice: ThemeChoice): void {
  localStorage.setItem(KEY, choice);
  applyTheme(choice);
}

matchMedia('(prefers-color-scheme: light)').addEventListener('change', () => applyTheme());
