// One room on the page: its connection (the resuming @serv/websocket/client), the messages with infinite scroll
// upward, presence, "is typing", the composer and file sharing. All user text goes in with textContent.
import { connect } from '/vendor/serv-client.mjs';
import { $, api, el, hue, shortTime, size } from './api.js';

const PAGE = 50;
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const TYPING_SEND_MS = 2000; // the server forwards one typing event per user per 2 s anyway
const TYPING_SHOW_MS = 3000;
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const STATE_TEXT = { connecting: 'Connecting…', open: 'Connected', reconnecting: 'Reconnecting…', closed: 'Disconnected' };

export class RoomView {
  #conn;
  #epoch = null;
  #oldest = null; // the smallest offset shown
  #loadingOlder = false;
  #typing = new Map(); // user → timer
  #lastTypingSent = 0;
  #closed = false;
  #cleanup = [];
  #pinned = true; // the reader is at the newest message: keep them there as messages arrive and the window resizes

  constructor(room, me, { onSignedOut, onPresence }) {
    this.room = room;
    this.me = me;
    this.onSignedOut = onSignedOut;
    this.onPresence = onPresence;
    $('room-title').textContent = `#${room}`;
    $('composer-input').placeholder = `Message #${room}`;
    $('messages').replaceChildren();
    $('presence').replaceChildren();
    $('typing').textContent = '';
    $('older-button').hidden = true;
    $('history-start').hidden = true;
    this.#hideError();
    this.#wireComposer();
    const url = new URL(`/ws/rooms/${encodeURIComponent(room)}`, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.#conn = connect(url, { onState: (state) => this.#state(state) });
    this.#state(this.#conn.state);
    void this.#read();
  }

  /** Leave the room: close the connection and stop listening to the page. */
  close() {
    this.#closed = true;
    this.#conn.close();
    for (const timer of this.#typing.values()) clearTimeout(timer);
    for (const undo of this.#cleanup.splice(0)) undo();
  }

  #on(target, type, listener) {
    target.addEventListener(type, listener);
    this.#cleanup.push(() => target.removeEventListener(type, listener));
  }

  #state(state) {
    if (this.#closed) return;
    const status = $('status');
    status.dataset.state = state;
    status.textContent = STATE_TEXT[state] ?? state;
  }

  async #read() {
    for await (const text of this.#conn) {
      if (typeof text !== 'string') continue;
      let frame;
      try {
        frame = JSON.parse(text);
      } catch {
        continue;
      }
      if (Number.isInteger(frame.offset)) this.#stored(frame, true);
      else if (frame.type === 'presence') this.#presence(frame.members);
      else if (frame.type === 'typing') this.#someoneTyping(frame.user);
      else if (frame.type === 'error') this.#showError(frame.message);
    }
    // The client stops for good on 1000, 1008 and 4xxx: 4401 means the session ended.
    if (!this.#closed) {
      this.#state('closed');
      api('GET', '/api/me').catch(() => this.onSignedOut());
    }
  }

  // ---- messages ----

  /** A stored message (live, replayed after a reconnect, or from history): shown once, in offset order. */
  #stored(envelope, live) {
    const list = $('messages');
    if (this.#epoch !== null && envelope.epoch !== this.#epoch) {
      list.replaceChildren(); // the server lost that history: its offsets mean something else now
      this.#oldest = null;
    }
    this.#epoch = envelope.epoch;
    if (list.querySelector(`[data-offset="${envelope.offset}"]`) !== null) return;
    const item = this.#render(envelope);
    const after = [...list.children].find((li) => Number(li.dataset.offset) > envelope.offset);
    list.insertBefore(item, after ?? null);
    if (this.#oldest === null || envelope.offset < this.#oldest) {
      this.#oldest = envelope.offset;
      this.#updateOlder();
    }
    if (live) {
      const { data } = envelope;
      if (data.user !== undefined) this.#stopTyping(data.user);
      if (data.user !== this.me.name) $('live').textContent = `${data.user}: ${data.kind === 'file' ? `shared ${data.file.name}` : data.text}`;
      if (this.#pinned || data.user === this.me.name) this.#toBottom();
    }
  }

  #render({ offset, at, data }) {
    const item = el('li', 'message');
    item.dataset.offset = String(offset);
    item.dataset.user = String(data.user);
    if (data.user === this.me.name) item.classList.add('message--mine');
    const avatar = el('span', 'avatar', String(data.user).slice(0, 1).toUpperCase());
    avatar.style.setProperty('--hue', String(hue(String(data.user))));
    avatar.setAttribute('aria-hidden', 'true');
    const head = el('p', 'message__head');
    head.append(el('span', 'message__author', String(data.user)));
    const time = el('time', 'message__time', shortTime(at));
    time.dateTime = new Date(at).toISOString();
    time.title = new Date(at).toLocaleString();
    head.append(time);
    const body = el('div', 'message__body');
    body.append(head);
    if (data.kind === 'file') body.append(this.#file(data.file));
    else body.append(el('p', 'message__text', String(data.text)));
    item.append(avatar, body);
    return item;
  }

  #file(file) {
    const box = el('div', 'file');
    if (PREVIEWABLE.has(file.mime)) {
      const link = el('a', 'file__preview');
      link.href = file.url;
      link.target = '_blank';
      link.rel = 'noopener';
      const img = el('img');
      img.src = file.url;
      img.alt = file.name;
      img.loading = 'lazy';
      img.addEventListener('load', () => {
        if (this.#pinned) this.#toBottom();
      });
      link.append(img);
      box.append(link);
    }
    const download = el('a', 'file__download');
    download.href = `${file.url}?download=1`;
    download.download = file.name;
    download.append(el('span', 'file__icon', '⬇'), el('span', 'file__name', file.name), el('span', 'file__size', size(file.size)));
    download.setAttribute('aria-label', `Download ${file.name} (${size(file.size)})`);
    box.append(download);
    return box;
  }

  #toBottom() {
    const scroller = $('messages').parentElement;
    scroller.scrollTop = scroller.scrollHeight;
    this.#pinned = true;
  }

  // ---- older messages (infinite scroll upward) ----

  #updateOlder() {
    const more = this.#oldest !== null && this.#oldest > 1;
    $('older-button').hidden = !more;
    $('history-start').hidden = more || this.#oldest === null;
  }

  async #loadOlder() {
    if (this.#loadingOlder || this.#oldest === null || this.#oldest <= 1) return;
    this.#loadingOlder = true;
    const scroller = $('messages').parentElement;
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    try {
      const { messages } = await api('GET', `/api/rooms/${encodeURIComponent(this.room)}/history?before=${this.#oldest}&limit=${PAGE}`);
      if (this.#closed) return;
      for (const m of messages.reverse()) this.#stored(m, false);
      if (messages.length === 0) {
        this.#oldest = 1; // retention already dropped what came before
        this.#updateOlder();
      }
      scroller.scrollTop = scroller.scrollHeight - fromBottom; // the reader stays where they were
    } catch (err) {
      this.#showError(err.message);
    } finally {
      this.#loadingOlder = false;
    }
  }

  // ---- presence and typing ----

  #presence(members) {
    $('presence').replaceChildren(
      ...members.map((name) => {
        const item = el('li', 'presence__member', name);
        item.style.setProperty('--hue', String(hue(name)));
        if (name === this.me.name) item.classList.add('presence__member--me');
        return item;
      }),
    );
    this.onPresence();
  }

  #someoneTyping(user) {
    if (user === this.me.name) return;
    clearTimeout(this.#typing.get(user));
    this.#typing.set(user, setTimeout(() => this.#stopTyping(user), TYPING_SHOW_MS));
    this.#renderTyping();
  }

  #stopTyping(user) {
    if (!this.#typing.has(user)) return;
    clearTimeout(this.#typing.get(user));
    this.#typing.delete(user);
    this.#renderTyping();
  }

  #renderTyping() {
    const names = [...this.#typing.keys()];
    $('typing').textContent =
      names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…` : names.length === 2 ? `${names[0]} and ${names[1]} are typing…` : 'Several people are typing…';
  }

  // ---- errors ----

  #showError(message) {
    const box = $('room-error');
    box.textContent = message;
    box.hidden = false;
    clearTimeout(this.errorTimer);
    this.errorTimer = setTimeout(() => this.#hideError(), 6000);
  }

  #hideError() {
    $('room-error').hidden = true;
    $('room-error').textContent = '';
  }

  // ---- the composer ----

  #wireComposer() {
    const input = $('composer-input');
    input.value = '';
    this.#on($('composer'), 'submit', (event) => {
      event.preventDefault();
      this.#send();
    });
    this.#on(input, 'keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.#send();
      }
    });
    this.#on(input, 'input', () => {
      input.style.height = 'auto';
      input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
      const now = Date.now();
      if (input.value.trim() !== '' && now - this.#lastTypingSent >= TYPING_SEND_MS) {
        this.#lastTypingSent = now;
        this.#conn.sendJson({ type: 'typing' });
      }
    });
    this.#on($('file-input'), 'change', () => {
      for (const file of $('file-input').files) void this.#sendFile(file);
      $('file-input').value = '';
    });
    this.#on($('older-button'), 'click', () => void this.#loadOlder());
    const scroller = $('messages').parentElement;
    let lastTop = scroller.scrollTop;
    this.#on(scroller, 'scroll', () => {
      this.#pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
      // Only the reader scrolls up; the page itself only ever scrolls down (to the newest, or back after a page).
      if (scroller.scrollTop < lastTop && scroller.scrollTop < 60) void this.#loadOlder();
      lastTop = scroller.scrollTop;
    });
    const resized = new ResizeObserver(() => {
      if (this.#pinned) this.#toBottom();
    });
    resized.observe(scroller);
    this.#cleanup.push(() => resized.disconnect());
    const zone = $('drop-zone');
    this.#on(zone, 'dragover', (event) => {
      event.preventDefault();
      zone.classList.add('room__body--drop');
    });
    this.#on(zone, 'dragleave', () => zone.classList.remove('room__body--drop'));
    this.#on(zone, 'drop', (event) => {
      event.preventDefault();
      zone.classList.remove('room__body--drop');
      for (const file of event.dataTransfer?.files ?? []) void this.#sendFile(file);
    });
  }

  #send() {
    const input = $('composer-input');
    const text = input.value.trim();
    if (text === '') return;
    if (text.length > 4000) {
      this.#showError(`A message can be at most 4000 characters; this one has ${text.length}.`);
      return;
    }
    this.#conn.sendJson({ type: 'message', text });
    this.#lastTypingSent = 0;
    input.value = '';
    input.style.height = 'auto';
    input.focus();
  }

  async #sendFile(file) {
    if (file.size > MAX_FILE_BYTES) {
      this.#showError(`“${file.name}” has ${size(file.size)}; files can be at most 5 MiB.`);
      return;
    }
    if (file.size === 0) {
      this.#showError(`“${file.name}” is empty.`);
      return;
    }
    const bytes = await file.arrayBuffer();
    // Header and bytes go out back to back (queued together while reconnecting), as the server expects.
    this.#conn.sendJson({ type: 'file', name: file.name, mime: file.type || 'application/octet-stream', size: bytes.byteLength });
    this.#conn.send(bytes);
  }
}
