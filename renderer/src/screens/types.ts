// A screen of the unlocked app. Each file in screens/ (other than this one) default-exports one;
// the shell finds them all (import.meta.glob), so adding a screen touches no shared file.
import type { Component } from 'svelte';

export interface Screen {
  /** The route: #/<name>/<params...>. */
  name: string;
  /** In the navigation. */
  label: string;
  /** Position in the navigation (ascending). */
  order: number;
  /** Receives the route's parameters. */
  component: Component<{ params: string[] }>;
  /** Only on the local test subnet. */
  localOnly?: boolean;
}
