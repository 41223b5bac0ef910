// pingpong_wsx: message throughput through k6/websockets, the shape of pingpong.js. Every VU
// opens one socket and keeps exactly one message in flight: it sends SIZE bytes on open and
// sends each echo straight back, until the socket is closed after RUN_S seconds.
//
// Knobs (-e NAME=value): WS_URL (ws://127.0.0.1:8765/), RUN_S (10), SIZE (64).
// Runs unchanged under k6 and under volley.
import { WebSocket } from 'k6/websockets';

const url = __ENV.WS_URL || 'ws://127.0.0.1:8765/';
const runMs = Number(__ENV.RUN_S || 10) * 1000;
const payload = 'x'.repeat(Number(__ENV.SIZE || 64));

export default function () {
  const ws = new WebSocket(url);
  ws.onopen = () => ws.send(payload);
  ws.onmessage = (e) => ws.send(e.data);
  setTimeout(() => ws.close(), runMs);
}
