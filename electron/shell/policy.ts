// The security policy of the Electron shell as plain functions, so that they are tested under Node:
// the renderer's origin and CSP, which senders may call the API, where navigation may go, which
// links open in the user's browser, and how app:// paths map to files (no escaping the folder).
import { normalize, join, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'neuron-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The renderer's Content-Security-Policy: only its own scripts and styles, no eval, no plugins, no
 * frames, no network at all (it talks to the main process only, through window.desk); images from
 * itself and data: URLs (QR codes). Markdown from proposals is sanitized besides (renderer).
 */
export function contentSecurityPolicy(extraConnect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${extraConnect.length ? extraConnect.join(' ') : "'none'"}`,
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "worker-src 'none'",
    "manifest-src 'none'",
  ].join('; ');
}

/** Headers every renderer response carries. */
export function securityHeaders(csp = contentSecurityPolicy()): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), payment=()',
  };
}

/** Only the app's own top-level document may call the API (not an iframe, not another origin). */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  if (!frame || frame.parent) return false;
  try {
    const u = new URL(frame.url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The app never navigates away from itself (in-app routing uses the hash or history API). */
export function isAllowedNavigation(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Downloads: only what the app made itself, a blob: URL of its own origin (a CSV export the
 * renderer built); Electron then asks the user where to save it. Anything else (a remote URL, a
 * data: URL, a blob of another origin) is refused.
 */
export function isAllowedDownload(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== 'blob:') return false;
    const origin = new URL(u.pathname);
    return origin.protocol === `${APP_SCHEME}:` && origin.host === APP_HOST && !origin.username && !origin.password && !origin.port;
  } catch {
    return false;
  }
}

/** Links a user clicks open in their browser only if they are plain https URLs. */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password && u.hostname.includes('.');
  } catch {
    return false;
  }
}

/**
 * The file an app:// URL serves from `root` (the built renderer), or undefined when the URL is not
 * ours or its path would leave the folder. Paths without an extension are routes: index.html.
 */
export function resolveAppFile(root: string, url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return undefined;
  return fileUnder(root, u.pathname);
}

/** The file a URL path (still percent-encoded) names under `root`, or undefined if it would leave it. */
export function fileUnder(root: string, urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  if (path === '/' || !/\.[a-z0-9]+$/i.test(path)) path = '/index.html';
  const file = normalize(join(root, path));
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  return file.startsWith(base) ? file : undefined;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  const dot = file.lastIndexOf('.');
  return TYPES[file.slice(dot).toLowerCase()] ?? 'application/octet-stream';
}
