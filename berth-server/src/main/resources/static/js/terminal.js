// The portal's web terminal: xterm.js on a WebSocket to Berth (docs/adr/0035-web-terminal.md).
// Binary frames carry bytes both ways; text frames are JSON control messages:
// {"type":"resize","cols":..,"rows":..} from here, {"type":"opened","session":..} and
// {"type":"closed","reason":..,"exitCode":..} from Berth.
(function () {
  const box = document.getElementById('terminal');
  const status = document.getElementById('terminal-status');
  if (!box || typeof Terminal === 'undefined') {
    return;
  }
  const term = new Terminal({cursorBlink: true, cols: 100, rows: 30, rendererType: 'dom', scrollback: 2000});
  term.open(box);
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const socket = new WebSocket(scheme + location.host + box.dataset.socket + '?cols=' + term.cols + '&rows=' + term.rows);
  socket.binaryType = 'arraybuffer';
  const show = (state, text) => {
    status.dataset.state = state;
    status.textContent = text;
  };
  socket.onopen = () => {
    show('open', 'Connected');
    term.focus();
  };
  socket.onmessage = (e) => {
    if (typeof e.data !== 'string') {
      term.write(new Uint8Array(e.data));
      return;
    }
    const m = JSON.parse(e.data);
    if (m.type === 'opened') {
      status.dataset.session = m.session;
      show('open', 'Connected · session ' + m.session);
    } else if (m.type === 'closed') {
      show('closed', 'Closed: ' + m.reason + ' · session ' + (status.dataset.session || ''));
    }
  };
  socket.onclose = (e) => {
    if (status.dataset.state !== 'closed') {
      show('closed', 'Closed' + (e.reason ? ': ' + e.reason : ''));
    }
  };
  const encoder = new TextEncoder();
  term.onData((keys) => {
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(encoder.encode(keys));
    }
  });
  term.onResize((size) => {
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({type: 'resize', cols: size.cols, rows: size.rows}));
    }
  });
})();
