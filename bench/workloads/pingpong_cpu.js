// pingpong_cpu: pingpong with script work on every message, the shape of a test whose handlers
// parse and build JSON. Each VU keeps one message in flight; every echo (a JSON document of
// about 1 KiB) is parsed, changed and serialised again WORK times before it goes back. The load
// generator, not the echo server, is then the busy side: the workload that shows how the
// generator's throughput grows with its threads (VOLLEY_WORKERS, or GOMAXPROCS for k6) on a
// machine whose cores the echo server shares.
//
// Knobs (-e NAME=value): WS_URL (ws://127.0.0.1:8765/), RUN_S (10), WORK (20).
// Plain k6/ws, so the script runs unchanged under k6 and under volley.
import ws from 'k6/ws';

const url = __ENV.WS_URL || 'ws://127.0.0.1:8765/';
const runMs = Number(__ENV.RUN_S || 10) * 1000;
const work = Number(__ENV.WORK || 20);
const items = [];
for (let i = 0; i < 20; i++) {
  items.push({ i: i, name: 'item-' + i, tags: ['alpha', 'beta'], price: i * 1.5 });
}
const doc = JSON.stringify({ seq: 0, items: items });

export default function () {
  ws.connect(url, {}, function (socket) {
    socket.on('open', function () { socket.send(doc); });
    socket.on('message', function (m) {
      let text = m;
      for (let i = 0; i < work; i++) {
        const o = JSON.parse(text);
        o.seq++;
        text = JSON.stringify(o);
      }
      socket.send(text);
    });
    socket.setTimeout(function () { socket.close(); }, runMs);
  });
}
