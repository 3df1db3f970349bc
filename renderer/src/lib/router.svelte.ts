// Hash routes (#/accounts, #/neurons/42...): the app is one document, navigation never leaves it
// (the shell denies navigation anyway).
export type Route = { name: string; params: string[] };

function parse(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] ?? 'accounts', params: parts.slice(1) };
}

export const router = $state({ route: parse(location.hash) });

addEventListener('hashchange', () => {
  router.route = parse(location.hash);
});

export function go(path: string): void {
  location.hash = `#/${path}`;
}
