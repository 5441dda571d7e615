/**
 * The chat page's stylesheet, inlined into the page so the demo works offline (no CDN, no web fonts).
 * Light and dark themes follow the visitor's system setting; the layout is a full-height column on phones
 * and a centred card from 720 px up.
 */
export const CHAT_PAGE_STYLE = `
:root {
  color-scheme: light dark;
  --bg: #eef1f7;
  --bg-accent: radial-gradient(1200px 600px at 10% -10%, #dfe6ff 0%, transparent 60%),
    radial-gradient(900px 500px at 110% 110%, #e3f4ef 0%, transparent 55%);
  --surface: #ffffff;
  --surface-muted: #f6f7fb;
  --border: #e2e6ef;
  --text: #161a23;
  --text-muted: #5d6678;
  --accent: #4f46e5;
  --accent-strong: #4338ca;
  --accent-text: #ffffff;
  --received: #f1f3f9;
  --ok: #16a34a;
  --warn: #d97706;
  --bad: #dc2626;
  --bad-soft: #fdecec;
  --shadow: 0 24px 60px -28px rgba(22, 26, 35, 0.35), 0 2px 6px rgba(22, 26, 35, 0.06);
  --radius: 18px;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1118;
    --bg-accent: radial-gradient(1200px 600px at 10% -10%, #1b2150 0%, transparent 60%),
      radial-gradient(900px 500px at 110% 110%, #0f2a24 0%, transparent 55%);
    --surface: #161a23;
    --surface-muted: #1c212c;
    --border: #2a3140;
    --text: #e8ebf2;
    --text-muted: #9aa3b5;
    --accent: #6366f1;
    --accent-strong: #818cf8;
    --received: #222838;
    --bad-soft: #3a1d22;
    --shadow: 0 24px 60px -28px rgba(0, 0, 0, 0.8), 0 2px 6px rgba(0, 0, 0, 0.4);
  }
}
* { box-sizing: border-box; }
html, body { height: 100%; }
body {
  margin: 0; font: 15px/1.45 var(--font); color: var(--text);
  background: var(--bg-accent), var(--bg); background-attachment: fixed;
  display: flex; justify-content: center;
}
.app {
  width: 100%; max-width: 760px; height: 100vh; height: 100dvh;
  display: flex; flex-direction: column; background: var(--surface);
}
@media (min-width: 720px) {
  body { align-items: center; padding: 32px 24px; }
  .app { height: min(820px, calc(100vh - 64px)); border: 1px solid var(--border); border-radius: var(--radius);
    box-shadow: var(--shadow); overflow: hidden; }
}
.header {
  display: flex; align-items: center; justify-content: space-between; gap: 12px;
  padding: 14px 18px; border-bottom: 1px solid var(--border); background: var(--surface);
}
.brand { display: flex; align-items: center; gap: 12px; min-width: 0; }
.brand__logo { flex: none; width: 38px; height: 38px; border-radius: 11px; display: grid; place-items: center;
  background: linear-gradient(135deg, var(--accent), #22c1a3); color: #fff; }
.brand__text { min-width: 0; }
.brand h1 { margin: 0; font-size: 17px; font-weight: 650; letter-spacing: -0.01em; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
.brand p { margin: 1px 0 0; font-size: 12.5px; color: var(--text-muted); white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.status {
  flex: none; display: inline-flex; align-items: center; gap: 7px; padding: 5px 11px 5px 9px; border-radius: 999px;
  font-size: 12.5px; font-weight: 600; border: 1px solid var(--border); background: var(--surface-muted);
  white-space: nowrap;
}
.status__dot { width: 8px; height: 8px; border-radius: 50%; background: var(--warn); }
.status[data-state="connecting"] { color: var(--warn); }
.status[data-state="connecting"] .status__dot { animation: pulse 1.1s ease-in-out infinite; }
.status[data-state="connected"] { color: var(--ok); }
.status[data-state="connected"] .status__dot { background: var(--ok); box-shadow: 0 0 0 3px rgba(22, 163, 74, 0.18); }
.status[data-state="disconnected"] { color: var(--bad); }
.status[data-state="disconnected"] .status__dot { background: var(--bad); }
@keyframes pulse { 50% { opacity: 0.25; } }
@media (prefers-reduced-motion: reduce) { .status__dot { animation: none !important; } }
.banner {
  display: flex; align-items: center; justify-content: space-between; gap: 10px; padding: 8px 18px;
  font-size: 13px; color: var(--bad); background: var(--bad-soft); border-bottom: 1px solid var(--border);
}
.banner[hidden] { display: none; }
.banner button {
  flex: none; font: inherit; font-weight: 600; color: var(--bad); background: transparent; cursor: pointer;
  border: 1px solid currentColor; border-radius: 8px; padding: 3px 10px;
}
.messages {
  flex: 1; overflow-y: auto; margin: 0; padding: 18px; list-style: none;
  display: flex; flex-direction: column; gap: 10px; background: var(--surface-muted); overscroll-behavior: contain;
}
.messages:empty::before {
  content: "Messages you send are echoed back by the server. Say hello!"; margin: auto; max-width: 260px;
  text-align: center; color: var(--text-muted); font-size: 14px;
}
.msg { max-width: min(78%, 520px); display: grid; grid-template-columns: auto 1fr; column-gap: 8px; row-gap: 2px;
  padding: 8px 12px 9px; border-radius: 14px; animation: rise 0.16s ease-out; }
@media (prefers-reduced-motion: reduce) { .msg { animation: none; } }
@keyframes rise { from { opacity: 0; transform: translateY(4px); } }
.msg__label { grid-row: 1; grid-column: 1; font-size: 12px; font-weight: 650; }
.msg__time { grid-row: 1; grid-column: 2; font: 11.5px var(--mono); opacity: 0.7; align-self: center; }
.msg__text { grid-row: 2; grid-column: 1 / -1; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg--sent { align-self: flex-end; background: var(--accent); color: var(--accent-text);
  border-bottom-right-radius: 5px; }
.msg--received { align-self: flex-start; background: var(--surface); border: 1px solid var(--border);
  border-bottom-left-radius: 5px; }
.msg--received .msg__label { color: var(--accent-strong); }
.msg--system, .msg--error { align-self: center; max-width: 92%; padding: 4px 12px; border-radius: 999px;
  font-size: 12.5px; color: var(--text-muted); background: transparent; column-gap: 6px; }
.msg--system .msg__text, .msg--error .msg__text { grid-row: 1; grid-column: 2; }
.msg--system .msg__time, .msg--error .msg__time { grid-column: 1; }
.msg--error { color: var(--bad); background: var(--bad-soft); }
.composer { display: flex; gap: 10px; padding: 12px 14px; border-top: 1px solid var(--border);
  background: var(--surface); padding-bottom: max(12px, env(safe-area-inset-bottom)); }
.composer input {
  flex: 1; min-width: 0; font: inherit; font-size: 16px; color: var(--text); padding: 11px 14px;
  border: 1px solid var(--border); border-radius: 12px; background: var(--surface-muted); outline: none;
}
.composer input:focus { border-color: var(--accent); box-shadow: 0 0 0 3px rgba(99, 102, 241, 0.2); }
.composer input:disabled { opacity: 0.6; cursor: not-allowed; }
.composer button {
  flex: none; font: inherit; font-weight: 650; color: var(--accent-text); background: var(--accent);
  border: 0; border-radius: 12px; padding: 0 20px; cursor: pointer;
}
.composer button:hover:not(:disabled) { background: var(--accent-strong); }
.composer button:disabled { opacity: 0.45; cursor: not-allowed; }
.composer button:focus-visible { outline: 3px solid rgba(99, 102, 241, 0.45); outline-offset: 2px; }
.footer { padding: 0 18px 10px; font-size: 11.5px; color: var(--text-muted); background: var(--surface);
  display: flex; justify-content: space-between; gap: 8px; }
.footer code { font-family: var(--mono); }
@media (max-width: 480px) {
  .header { padding: 12px 14px; }
  .brand p { display: none; }
  .brand h1 { font-size: 16px; line-height: 1.2; white-space: normal; }
  .brand__logo { width: 34px; height: 34px; }
  .messages { padding: 14px 12px; }
  .msg { max-width: 86%; }
  .banner { padding: 8px 14px; }
  .footer { display: none; }
}
`;
