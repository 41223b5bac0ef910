// The soak test's workload (scripts/soak): constant VUs, each iteration one k6/ws session of a
// few seconds with a message every 100 ms, checks on the upgrade and on every echo, a custom
// Trend and Counter, and a group, so every per-sample path of a long run is exercised.
//
// Knobs (-e NAME=value): WS_URL (ws://127.0.0.1:8765/), SESSION_MS (3000).
import ws from 'k6/ws';
import { check, group } from 'k6';
import { Counter, Trend } from 'k6/metrics';

const url = __ENV.WS_URL || 'ws://127.0.0.1:8765/';
const sessionMs = Number(__ENV.SESSION_MS || 3000);
const roundTrip = new Trend('soak_round_trip', true);
const echoes = new Counter('soak_echoes');

export default function () {
  group('session', function () {
    const res = ws.connect(url, { tags: { kind: 'soak' } }, function (socket) {
      socket.on('open', function () {
        socket.setInterval(function () {
          socket.send(JSON.stringify({ at: Date.now(), pad: 'x'.repeat(200) }));
        }, 100);
        socket.setTimeout(function () { socket.close(); }, sessionMs);
      });
      socket.on('message', function (m) {
        const o = JSON.parse(m);
        roundTrip.add(Date.now() - o.at);
        echoes.add(1);
        check(o, { 'echo intact': (x) => x.pad.length === 200 });
      });
    });
    check(res, { 'status is 101': (r) => r && r.status === 101 });
  });
}
