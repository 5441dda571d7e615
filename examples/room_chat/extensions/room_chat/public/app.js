// The page: sign-up / login, the room list, and switching rooms. One room at a time lives in room-view.js.
import { $, api, el } from './api.js';
import { RoomView } from './room-view.js';

const ROOM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
let me = null;
let view = null;
let roomsTimer = null;

function show(which) {
  document.body.dataset.view = which;
  $('auth').hidden = which !== 'auth';
  $('chat').hidden = which === 'auth' || which === 'loading';
  $('account').hidden = me === null;
  if (me !== null) $('me-name').textContent = me.name;
}

async function boot() {
  try {
    me = (await api('GET', '/api/me')).user;
  } catch {
    me = null;
  }
  if (me === null) {
    show('auth');
    $('auth-name').focus();
    return;
  }
  startChat();
}

function startChat() {
  show('rooms');
  void refreshRooms();
  clearInterval(roomsTimer);
  roomsTimer = setInterval(() => void refreshRooms(), 5000);
  openFromHash();
}

// ---- sign-up and login ----

$('auth-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const action = event.submitter?.value === 'signup' ? 'signup' : 'login';
  const error = $('auth-error');
  error.textContent = '';
  const body = { name: $('auth-name').value.trim(), password: $('auth-password').value };
  for (const button of document.querySelectorAll('#auth-form button')) button.disabled = true;
  try {
    me = (await api('POST', `/api/${action}`, body)).user;
    $('auth-password').value = '';
    startChat();
  } catch (err) {
    error.textContent = err.message;
    (err.message.startsWith('The password') ? $('auth-password') : $('auth-name')).focus();
  } finally {
    for (const button of document.querySelectorAll('#auth-form button')) button.disabled = false;
  }
});

$('logout-button').addEventListener('click', async () => {
  await api('POST', '/api/logout').catch(() => undefined);
  signedOut();
});

/** The session ended (logout here or elsewhere): back to the login form. */
function signedOut() {
  me = null;
  clearInterval(roomsTimer);
  view?.close();
  view = null;
  history.replaceState(null, '', location.pathname);
  show('auth');
  $('auth-name').focus();
}

// ---- the room list ----

async function refreshRooms() {
  let rooms;
  try {
    ({ rooms } = await api('GET', '/api/rooms'));
  } catch (err) {
    if (err.status === 401) signedOut();
    return;
  }
  const list = $('room-list');
  const focused = document.activeElement?.dataset?.room;
  list.replaceChildren(
    ...rooms.map(({ name, members }) => {
      const item = el('li');
      const button = el('button', 'room-link');
      button.type = 'button';
      button.dataset.room = name;
      if (view?.room === name) button.setAttribute('aria-current', 'true');
      button.append(el('span', 'room-link__name', `#${name}`));
      const count = el('span', 'room-link__count', String(members));
      count.setAttribute('aria-label', `${members} online`);
      count.dataset.members = String(members);
      button.append(count);
      button.addEventListener('click', () => enter(name));
      item.append(button);
      return item;
    }),
  );
  $('rooms-empty').hidden = rooms.length > 0;
  if (focused !== undefined) list.querySelector(`[data-room="${CSS.escape(focused)}"]`)?.focus();
}

$('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('join-name').value.trim().replace(/^#/, '');
  if (!ROOM_NAME.test(name)) {
    $('join-error').textContent = 'Use 1 to 64 letters, digits, “_”, “.” or “-”.';
    $('join-name').focus();
    return;
  }
  $('join-error').textContent = '';
  $('join-name').value = '';
  enter(name);
});

// ---- entering a room ----

function enter(room) {
  if (location.hash !== `#room=${room}`) history.pushState(null, '', `#room=${room}`);
  open(room);
}

function openFromHash() {
  const room = decodeURIComponent(location.hash.replace(/^#room=/, ''));
  if (ROOM_NAME.test(room)) open(room);
  else {
    view?.close();
    view = null;
    $('room').hidden = true;
    $('no-room').hidden = false;
    show('rooms');
  }
}

function open(room) {
  if (view?.room === room) return;
  view?.close();
  $('room').hidden = false;
  $('no-room').hidden = true;
  show('room');
  view = new RoomView(room, me, { onSignedOut: signedOut, onPresence: () => void refreshRooms() });
  for (const button of document.querySelectorAll('.room-link')) {
    if (button.dataset.room === room) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
  $('composer-input').focus();
}

$('back-button').addEventListener('click', () => {
  history.pushState(null, '', location.pathname);
  openFromHash();
  $('join-name').focus();
});

window.addEventListener('popstate', () => {
  if (me !== null) openFromHash();
});

void boot();
