// hold: a crowd of mostly idle sessions. One socket per VU, opened at start,
// sending a short timestamped message once a second and closed after HOLD_S
// seconds. Run it with --vus N --iterations N to hold N sockets at once.
//
// Knobs (-e NAME=value): WS_URL (ws://127.0.0.1:8765/), HOLD_S (20).
// Plain k6/ws, so the script runs unchanged under k6 and under volley.
import ws from 'k6/ws';
import { check } from 'k6';

const url = __ENV.WS_URL || 'ws://127.0.0.1:8765/';
const holdMs = Number(__ENV.HOLD_S || 20) * 1000;

export default function () {
  const res = ws.connect(url, { tags: { scenario_kind: 'hold' } }, function (socket) {
    socket.on('open', function () {
      socket.setInterval(function () { socket.send('tick ' + Date.now()); }, 1000);
    });
    socket.on('message', function () {});
    socket.setTimeout(function () { socket.close(); }, holdMs);
  });
  check(res, { 'status is 101': (r) => r && r.status === 101 });
}
