// Keyboard shortcuts, the pure part: which key (or "g" then a key) does what. The shell listens to
// the window's keys and applies the action; nothing fires while the user types in a field or while a
// dialog is open (the dialog's own keys, Escape above all, are the dialog's).

/** "g" then one of these: the screen of that name, when the app shows it. */
export const GO_KEYS: Readonly<Record<string, string>> = { a: 'accounts', n: 'neurons', p: 'proposals', c: 'canisters', s: 'settings', l: 'local' };

/** How long "g" waits for its second key. */
export const SEQUENCE_MS = 1_500;

export type ShortcutAction = { kind: 'go'; screen: string } | { kind: 'help' } | { kind: 'lock' } | { kind: 'pending' };

/** The parts of a KeyboardEvent the rules look at. */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  repeat?: boolean;
  isComposing?: boolean;
}

/** The parts of the focused element the rules look at. */
export interface FocusLike {
  tagName?: string;
  isContentEditable?: boolean;
}

/** True when keys belong to what has the focus: a field, a list box or editable text. */
export function isTypingTarget(el: FocusLike | null | undefined): boolean {
  if (!el) return false;
  const tag = (el.tagName ?? '').toUpperCase();
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable === true;
}

export interface ShortcutContext {
  /** The focus is in an input, textarea, select or editable text. */
  typing: boolean;
  /** A dialog is open. */
  dialogOpen: boolean;
}

/** The shortcuts' state machine (the pending "g"); one per shell. */
export class Shortcuts {
  private pendingSince?: number;

  constructor(
    /** The screens the app shows now (their route names). */
    private readonly screens: () => readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  /** The action of a key press, if it has one ('pending': the first key of a sequence, to be swallowed). */
  handle(e: KeyLike, ctx: ShortcutContext): ShortcutAction | undefined {
    const pending = this.pendingSince !== undefined && this.now() - this.pendingSince <= SEQUENCE_MS;
    this.pendingSince = undefined;
    if (ctx.typing || ctx.dialogOpen || e.isComposing) return undefined;
    if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'l') return e.repeat ? undefined : { kind: 'lock' };
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return undefined;
    if (e.key === '?') return { kind: 'help' };
    if (pending) {
      const screen = GO_KEYS[e.key];
      return screen !== undefined && this.screens().includes(screen) ? { kind: 'go', screen } : undefined;
    }
    if (e.key === 'g') {
      this.pendingSince = this.now();
      return { kind: 'pending' };
    }
    return undefined;
  }
}

export interface ShortcutHelpEntry {
  /** The keys, pressed one after the other (each may be a chord such as "Ctrl+Shift+L"). */
  keys: string[];
  description: string;
}

/** The list the help dialog shows: the "g" keys of the screens present, then the others. */
export function helpEntries(screens: readonly { name: string; label: string }[], mac = false): ShortcutHelpEntry[] {
  const go = Object.entries(GO_KEYS)
    .map(([key, name]) => ({ key, screen: screens.find((s) => s.name === name) }))
    .filter((x): x is { key: string; screen: { name: string; label: string } } => x.screen !== undefined)
    .map(({ key, screen }) => ({ keys: ['g', key], description: `Go to ${screen.label}` }));
  return [
    ...go,
    { keys: ['?'], description: 'Show the keyboard shortcuts' },
    { keys: [mac ? 'Cmd+Shift+L' : 'Ctrl+Shift+L'], description: 'Lock Neuron Desk' },
    { keys: ['Escape'], description: 'Close a dialog' },
  ];
}
