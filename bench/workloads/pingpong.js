// pingpong: message throughput. Every VU opens one socket and keeps exactly one
// message in flight: it sends SIZE bytes on open and sends each echo straight
// back, until the socket is closed after RUN_S seconds.
//
// Knobs (-e NAME=value): WS_URL (ws://127.0.0.1:8765/), RUN_S (10), SIZE (64).
// Plain k6/ws, so the script runs unchanged under k6 and under volley.
import ws from 'k6/ws';

const url = __ENV.WS_URL || 'ws://127.0.0.1:8765/';
const runMs = Number(__ENV.RUN_S || 10) * 1000;
const payload = 'x'.repeat(Number(__ENV.SIZE || 64));

export default function () {
  ws.connect(url, {}, function (socket) {
    socket.on('open', function () { socket.send(payload); });
    socket.on('message', function (m) { socket.send(m); });
    socket.setTimeout(function () { socket.close(); }, runMs);
  });
}
