import type { ServerResponse } from 'node:http';
import type { LaunchAnswer } from '../core/launch-links';
import { LAUNCH_LINK_REUSED_MESSAGE } from '../core/launch-links';

/** Fixed response headers: nothing on these pages may load, run or leak the URL (it may hold a code). */
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
} as const;

/** A small static page from a loopback server of a sign-in (the PKCE listener, a launch link). */
export function sendPage(res: ServerResponse, status: number, title: string, message: string): void {
  const body =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<title>Latchkey: ${escapeHtml(title)}</title>` +
    '<style>body{font:16px system-ui,sans-serif;margin:15vh auto;max-width:32em;padding:0 1em;color:#222}</style>' +
    `</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
  res.writeHead(status, { ...PAGE_HEADERS, 'Content-Length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/**
 * The answer to a launch link (main/core/launch-links.ts). The redirect is never cached
 * (a second visit must reach the server, to be counted) and sends no Referer to the page.
 */
export function sendLaunchAnswer(res: ServerResponse, answer: Exclude<LaunchAnswer, { kind: 'not-launch' }>): void {
  switch (answer.kind) {
    case 'redirect':
      res.writeHead(302, { Location: answer.location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'Content-Length': 0 });
      res.end();
      return;
    case 'reused':
      sendPage(res, 409, 'Sign-in stopped', LAUNCH_LINK_REUSED_MESSAGE);
      return;
    case 'finished':
      sendPage(res, 410, 'Already finished', 'This sign-in already finished. You can close this tab.');
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
