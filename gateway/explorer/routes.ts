/**
 * The explorer: GraphiQL served entirely from this process (no CDN, no external font or script),
 * so it works on a machine with no internet. GET /graphql with Accept: text/html gets the page;
 * the page's assets and its configuration (sample query, "act as" presets) live under /explorer/.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ExplorerPreset {
  /** Shown in the "act as" menu. */
  label: string;
  /** Request headers the preset fills in (Authorization, X-Purpose, X-Consent-Token …). */
  headers: Record<string, string>;
  /** A query that suits the caller better than the default (statistics for analysts). */
  query?: string;
}

export interface ExplorerOptions {
  /** The query the editor opens with. */
  defaultQuery: string;
  defaultVariables?: string;
  /** Development only: ready-made callers, so a newcomer can run queries at once. */
  presets?: ExplorerPreset[] | (() => ExplorerPreset[]);
}

const require = createRequire(import.meta.url);

interface Asset {
  type: string;
  body: Buffer;
}

/** A file of an installed package (its exports map does not list the browser bundles). */
function moduleAsset(pkg: string, file: string, type: string): Asset {
  const dir = path.dirname(require.resolve(`${pkg}/package.json`));
  return { type, body: readFileSync(path.join(dir, file)) };
}

function localAsset(name: string, type: string): Asset {
  return { type, body: readFileSync(new URL(`./assets/${name}`, import.meta.url)) };
}

const JS = 'text/javascript; charset=utf-8';

function loadAssets(): Map<string, Asset> {
  return new Map([
    ['/explorer/react.js', moduleAsset('react', 'umd/react.production.min.js', JS)],
    ['/explorer/react-dom.js', moduleAsset('react-dom', 'umd/react-dom.production.min.js', JS)],
    ['/explorer/graphiql.js', moduleAsset('graphiql', 'graphiql.min.js', JS)],
    [
      '/explorer/graphiql.css',
      moduleAsset('graphiql', 'graphiql.min.css', 'text/css; charset=utf-8'),
    ],
    ['/explorer/explorer.js', localAsset('explorer.js', JS)],
    ['/explorer/explorer.css', localAsset('explorer.css', 'text/css; charset=utf-8')],
    ['/explorer/', localAsset('index.html', 'text/html; charset=utf-8')],
  ]);
}

/** Only our own origin: the page must not reach anything else, and nothing may frame it. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export type ExplorerRoutes = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

export function createExplorerRoutes(options: ExplorerOptions): ExplorerRoutes {
  const assets = loadAssets();
  const send = (res: ServerResponse, asset: Asset, cache: string) => {
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': asset.body.length,
      'cache-control': cache,
      ...SECURITY_HEADERS,
    });
    res.end(asset.body);
  };
  return (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const wantsPage =
      (url.pathname === '/graphql' || url.pathname === '/') &&
      !url.searchParams.has('query') &&
      (req.headers.accept ?? '').includes('text/html');
    if (wantsPage) {
      send(res, assets.get('/explorer/')!, 'no-cache');
      return true;
    }
    if (url.pathname === '/explorer/config.json') {
      const presets = typeof options.presets === 'function' ? options.presets() : options.presets;
      const body = Buffer.from(
        JSON.stringify({
          endpoint: '/graphql',
          defaultQuery: options.defaultQuery,
          defaultVariables: options.defaultVariables ?? '',
          presets: presets ?? [],
        }),
      );
      send(res, { type: 'application/json; charset=utf-8', body }, 'no-store');
      return true;
    }
    const asset = assets.get(url.pathname);
    if (!asset) return false;
    send(res, asset, 'public, max-age=3600');
    return true;
  };
}
