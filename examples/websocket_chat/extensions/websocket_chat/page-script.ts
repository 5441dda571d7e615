/**
 * The chat page's browser script: connects to `/ws` on the page's own host, echoes through the history list and
 * reconnects with exponential backoff (1 s doubling to a 30 s cap, reset whenever a connection opens).
 * Plain ES2017 in a string so it runs unchanged in any current browser without a build step.
 */
export const CHAT_PAGE_SCRIPT = `
(function () {
  'use strict';
  var FIRST_RETRY_MS = 1000;
  var MAX_RETRY_MS = 30000;
  var MAX_LINES = 500;
  var url = (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/ws';

  var statusEl = document.getElementById('status');
  var statusText = document.getElementById('status-text');
  var banner = document.getElementById('reconnect-banner');
  var bannerText = document.getElementById('reconnect-text');
  var retryButton = document.getElementById('reconnect-button');
  var list = document.getElementById('messages');
  var form = document.getElementById('composer');
  var input = document.getElementById('message-input');
  var sendButton = document.getElementById('send-button');
  document.getElementById('endpoint').textContent = url;

  var socket = null;
  var failures = 0;        // consecutive connections that ended; reset when one opens
  var retryTimer = null;
  var countdownTimer = null;

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock(date) { return pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds()); }

  // kind: sent | received | system | error. Text goes in through textContent, never innerHTML.
  function addLine(kind, label, text) {
    var stick = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    var now = new Date();
    var item = document.createElement('li');
    item.className = 'msg msg--' + kind;
    item.setAttribute('data-kind', kind);
    var time = document.createElement('time');
    time.className = 'msg__time';
    time.dateTime = now.toISOString();
    time.textContent = clock(now);
    item.appendChild(time);
    if (label) {
      var labelEl = document.createElement('span');
      labelEl.className = 'msg__label';
      labelEl.textContent = label;
      item.appendChild(labelEl);
    }
    var body = document.createElement('span');
    body.className = 'msg__text';
    body.textContent = text;
    item.appendChild(body);
    list.appendChild(item);
    while (list.childElementCount > MAX_LINES) list.removeChild(list.firstElementChild);
    if (stick) list.scrollTop = list.scrollHeight;
  }

  function setStatus(state, text) {
    statusEl.setAttribute('data-state', state);
    statusText.textContent = text;
    var connected = state === 'connected';
    input.disabled = !connected;
    sendButton.disabled = !connected;
  }

  function clearRetry() {
    clearTimeout(retryTimer);
    clearInterval(countdownTimer);
    retryTimer = null;
    countdownTimer = null;
    banner.hidden = true;
  }

  function scheduleReconnect() {
    clearRetry();
    var delay = Math.min(FIRST_RETRY_MS * Math.pow(2, failures - 1), MAX_RETRY_MS);
    var due = Date.now() + delay;
    function tick() {
      var seconds = Math.max(1, Math.ceil((due - Date.now()) / 1000));
      bannerText.textContent = 'Reconnecting in ' + seconds + ' s (attempt ' + failures + ')';
    }
    tick();
    banner.hidden = false;
    countdownTimer = setInterval(tick, 250);
    retryTimer = setTimeout(connect, delay);
  }

  function connect() {
    clearRetry();
    setStatus('connecting', failures ? 'Reconnecting… (attempt ' + failures + ')' : 'Connecting…');
    var ws;
    try {
      ws = new WebSocket(url);
    } catch (err) {
      addLine('error', '', 'Could not open ' + url + ': ' + (err && err.message ? err.message : String(err)));
      failures += 1;
      setStatus('disconnected', 'Disconnected');
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.binaryType = 'arraybuffer';
    var opened = false;
    var errored = false;

    ws.onopen = function () {
      opened = true;
      failures = 0;
      setStatus('connected', 'Connected');
      addLine('system', '', 'Connected to ' + url);
      input.focus();
    };
    ws.onmessage = function (event) {
      var text = typeof event.data === 'string'
        ? event.data
        : '[binary message, ' + event.data.byteLength + ' bytes]';
      addLine('received', 'Server:', text);
    };
    // Browsers hide the cause of a WebSocket error on purpose; the close event that follows carries the code.
    ws.onerror = function () { errored = true; };
    ws.onclose = function (event) {
      if (socket !== ws) return;
      socket = null;
      failures += 1;
      var reason = event.reason || 'No reason provided';
      if (opened) {
        if (errored) addLine('error', '', 'Connection error on ' + url);
        addLine('system', '', 'Connection closed (' + event.code + '): ' + reason);
      } else if (failures === 1 || failures % 5 === 0) {
        // A server that stays down would otherwise add a line per attempt; the banner already counts them.
        addLine('error', '', 'Could not connect to ' + url + ' (' + event.code + '): ' + reason);
      }
      setStatus('disconnected', 'Disconnected (' + event.code + ')');
      scheduleReconnect();
    };
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || !socket || socket.readyState !== WebSocket.OPEN) return;
    try {
      socket.send(text);
    } catch (err) {
      addLine('error', '', 'Could not send: ' + (err && err.message ? err.message : String(err)));
      return;
    }
    addLine('sent', 'You:', text);
    input.value = '';
    input.focus();
  });

  retryButton.addEventListener('click', connect);
  window.addEventListener('online', function () { if (!socket) connect(); });

  connect();
})();
`;
