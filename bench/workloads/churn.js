// churn: the cost of a whole session. Each iteration connects, sends one
// short message, closes as soon as the echo arrives, and checks the upgrade.
//
// Knobs (-e NAME=value): WS_URL (ws://127.0.0.1:8765/).
// Plain k6/ws, so the script runs unchanged under k6 and under volley.
import ws from 'k6/ws';
import { check } from 'k6';

const url = __ENV.WS_URL || 'ws://127.0.0.1:8765/';

export default function () {
  const res = ws.connect(url, {}, function (socket) {
    socket.on('open', function () { socket.send('hello'); });
    socket.on('message', function () { socket.close(); });
  });
  check(res, { 'status is 101': (r) => r && r.status === 101 });
}
