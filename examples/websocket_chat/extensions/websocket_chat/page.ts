import { CHAT_PAGE_SCRIPT } from './page-script';
import { CHAT_PAGE_STYLE } from './page-style';

/** Chat bubble icon, inline so the page needs nothing but itself. */
const LOGO = `<svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2"
  stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/>
  <path d="M8.5 12h.01M12 12h.01M15.5 12h.01"/></svg>`;

/** Same icon as a data URI, so browsers do not ask the server for /favicon.ico. */
const FAVICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#4f46e5"/>' +
      '<path d="M18 12a6 6 0 0 1-8.7 5.3L5.5 18l.8-3.4A6 6 0 1 1 18 12z" fill="#fff"/></svg>',
  );

/**
 * The whole chat page served at `/`: markup, inline CSS and inline JS, with stable ids for tests
 * (`#status`, `#message-input`, `#send-button`, `#messages`).
 */
export const CHAT_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light dark">
<title>WebSocket Echo Chat · Serv</title>
<link rel="icon" href="${FAVICON}">
<style>${CHAT_PAGE_STYLE}</style>
</head>
<body>
<main class="app">
  <header class="header">
    <div class="brand">
      <div class="brand__logo">${LOGO}</div>
      <div class="brand__text">
        <h1>WebSocket Echo Chat</h1>
        <p>A simple WebSocket echo chat demonstration using Serv</p>
      </div>
    </div>
    <div id="status" class="status" data-testid="status" data-state="connecting" role="status" aria-live="polite">
      <span class="status__dot" aria-hidden="true"></span><span id="status-text">Connecting…</span>
    </div>
  </header>
  <div id="reconnect-banner" class="banner" data-testid="reconnect-banner" hidden>
    <span id="reconnect-text"></span>
    <button id="reconnect-button" type="button">Retry now</button>
  </div>
  <ol id="messages" class="messages" data-testid="messages" aria-live="polite" aria-label="Chat history"></ol>
  <form id="composer" class="composer" autocomplete="off">
    <input id="message-input" data-testid="message-input" type="text" maxlength="4000"
      placeholder="Type a message…" aria-label="Message" disabled>
    <button id="send-button" data-testid="send-button" type="submit" disabled>Send</button>
  </form>
  <footer class="footer">
    <span>Endpoint <code id="endpoint"></code></span>
    <span>Served by Serv</span>
  </footer>
</main>
<script>${CHAT_PAGE_SCRIPT}</script>
</body>
</html>
`;
