// The contract over HTTP on loopback, for development and end-to-end tests only (never in the
// packaged app): `npm run web` serves the built renderer and the API from 127.0.0.1 with a random
// token. The renderer reads the token from the URL's fragment (never sent over the wire as part of
// a URL) and sends it as a bearer header. Host and Origin are checked (no DNS rebinding, no other
// site's page calling in).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeWire, encodeWire } from '../api/codec.ts';
import type { Dispatch } from '../api/dispatch.ts';
import { contentSecurityPolicy, contentType, fileUnder, securityHeaders } from '../shell/policy.ts';

const MAX_BODY = 1 << 20;

export interface Bridge {
  /** Open this in a browser: the renderer with its token in the fragment. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

export async function startBridge(opts: { dispatch: Dispatch; rendererDir?: string; port?: number; token?: string }): Promise<Bridge> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  let origin = '';
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (req.headers.host !== new URL(origin).host) return send(res, 421, 'text/plain; charset=utf-8', 'wrong host');
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/api/call') {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'POST only');
      if (req.headers.origin !== undefined && req.headers.origin !== origin) return send(res, 403, 'text/plain; charset=utf-8', 'foreign origin');
      const auth = Buffer.from(req.headers.authorization ?? '');
      if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) return send(res, 401, 'text/plain; charset=utf-8', 'missing or wrong token');
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'text/plain; charset=utf-8', 'JSON only');
      let body: { method?: unknown; args?: unknown };
      try {
        body = decodeWire(await readBody(req)) as typeof body;
        if (typeof body !== 'object' || body === null) throw new SyntaxError('not an object');
      } catch (e) {
        return send(res, 400, 'text/plain; charset=utf-8', `malformed request: ${(e as Error).message.slice(0, 100)}`);
      }
      const envelope = await opts.dispatch(body.method, body.args ?? []);
      return send(res, 200, 'application/json', encodeWire(envelope));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'GET only');
    const file = rendererFile(opts.rendererDir, path);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', opts.rendererDir && existsSync(opts.rendererDir) ? 'not found' : 'The renderer is not built yet: the API is served at /api/call.');
    res.writeHead(200, { ...securityHeaders(contentSecurityPolicy(["'self'"])), 'Content-Type': contentType(file), 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function rendererFile(root: string | undefined, urlPath: string): string | undefined {
  if (!root) return undefined;
  const file = fileUnder(root, urlPath);
  return file && existsSync(file) && statSync(file).isFile() ? file : undefined;
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_BODY) {
        reject(new SyntaxError('body too large'));
        req.destroy();
        return;
      }
      parts.push(d);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
