/**
 * `bhive serve`: a local dashboard over HTTP on the loopback interface that lists the
 * evaluations under an output folder, shows their reports and compares them. Runs are
 * found again on every request, so new evaluations appear without a restart. Only files
 * of a listed run, with the extensions of evaluation outputs, are served.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { renderComparePage } from './compare-page.js';
import { escapeHtml, formatNumber, renderPage, renderTable, type Cell } from './html.js';
import { findRuns, type RunEntry } from './run-index.js';

/** The address the dashboard binds to: loopback only, so that nothing outside this machine can reach it. */
export const DASHBOARD_HOST = '127.0.0.1';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

export interface DashboardOptions {
  /** Folder searched for runs. */
  outputRoot: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Called for each request with method, path and status, for the command's log. */
  onRequest?(method: string, url: string, status: number): void;
}

/** A started dashboard. */
export interface Dashboard {
  server: Server;
  /** Base URL, such as http://127.0.0.1:8765/. */
  url: string;
  close(): Promise<void>;
}

/** Starts the dashboard on DASHBOARD_HOST and resolves once it listens. */
export function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const server = createServer((request, response) => {
    handleRequest(options, request, response).catch((error: unknown) => {
      send(response, 500, 'text/plain; charset=utf-8', `internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
    response.on('finish', () => options.onRequest?.(request.method ?? '', request.url ?? '', response.statusCode));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, DASHBOARD_HOST, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        url: `http://${DASHBOARD_HOST}:${port}/`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

async function handleRequest(options: DashboardOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, 'text/plain; charset=utf-8', 'only GET and HEAD are supported\n');
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  const runs = findRuns(options.outputRoot);

  if (url.pathname === '/') {
    send(response, 200, CONTENT_TYPES['.html'], renderIndexPage(options.outputRoot, runs));
  } else if (url.pathname === '/api/runs') {
    const list = runs.map((run) => ({ id: run.id, name: run.summary?.name, tagger: run.summary?.tagger, created: run.summary?.created, problem: run.problem }));
    send(response, 200, CONTENT_TYPES['.json'], `${JSON.stringify(list, null, 2)}\n`);
  } else if (url.pathname === '/compare') {
    const ids = url.searchParams.getAll('run');
    const selected = ids.map((id) => runs.find((run) => run.id === id));
    const missing = ids.filter((_, index) => selected[index] === undefined || selected[index]?.summary === undefined);
    if (ids.length === 0 || missing.length > 0) {
      const message = ids.length === 0 ? 'Select at least one run to compare.' : `Unknown or unreadable run(s): ${missing.join(', ')}.`;
      send(response, ids.length === 0 ? 400 : 404, CONTENT_TYPES['.html'], renderPage('bhive: comparison', `<p><a href="/">← all runs</a></p><p>${escapeHtml(message)}</p>`));
      return;
    }
    send(response, 200, CONTENT_TYPES['.html'], renderComparePage(selected as RunEntry[]));
  } else if (url.pathname.startsWith('/runs/')) {
    await serveRunFile(url.pathname, runs, response);
  } else {
    send(response, 404, 'text/plain; charset=utf-8', `not found: ${url.pathname}\n`);
  }
}

/** Serves /runs/<encoded run id>/<file name> from a listed run's folder, without subfolders. */
async function serveRunFile(pathname: string, runs: readonly RunEntry[], response: ServerResponse): Promise<void> {
  const [encodedId, fileName, ...rest] = pathname.slice('/runs/'.length).split('/');
  let id: string;
  try {
    id = decodeURIComponent(encodedId);
  } catch {
    send(response, 400, 'text/plain; charset=utf-8', 'invalid run id\n');
    return;
  }
  const run = runs.find((candidate) => candidate.id === id);
  const extension = path.extname(fileName ?? '').toLowerCase();
  if (run === undefined || rest.length > 0 || !fileName || !/^[A-Za-z0-9_.-]+$/.test(fileName) || CONTENT_TYPES[extension] === undefined) {
    send(response, 404, 'text/plain; charset=utf-8', `not found: ${pathname}\n`);
    return;
  }
  try {
    send(response, 200, CONTENT_TYPES[extension], await readFile(path.join(run.dir, fileName)));
  } catch {
    send(response, 404, 'text/plain; charset=utf-8', `not found: ${pathname}\n`);
  }
}

function renderIndexPage(outputRoot: string, runs: readonly RunEntry[]): string {
  const rows: Cell[][] = runs.map((run) => {
    const summary = run.summary;
    const checkbox = summary === undefined ? '' : `<input type="checkbox" name="run" value="${escapeHtml(run.id)}" aria-label="select ${escapeHtml(run.id)}">`;
    const aucs = summary === undefined ? run.problem ?? '' : summary.discriminants.map((d) => `${d.name} ${formatNumber(d.auc)}`).join(', ');
    return [
      { html: checkbox },
      { html: summary === undefined ? escapeHtml(run.id) : `<a href="/runs/${encodeURIComponent(run.id)}/report.html">${escapeHtml(run.id)}</a>` },
      summary?.name ?? '–',
      summary?.tagger ?? '–',
      summary?.num_jets ?? '–',
      summary?.created ?? '–',
      aucs,
    ];
  });
  const body = [
    '<h1>bhive runs</h1>',
    `<p class="muted">${runs.length} evaluation(s) under ${escapeHtml(path.resolve(outputRoot))}</p>`,
    '<form method="get" action="/compare">',
    renderTable(['', 'run', 'name', 'tagger', 'jets', 'created', 'AUC'], rows, 'data runs'),
    '<p><button type="submit" id="compare">Compare selected runs</button></p>',
    '</form>',
  ];
  return renderPage('bhive runs', body.join('\n'));
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(body);
}
