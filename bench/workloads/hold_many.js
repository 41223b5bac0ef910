// hold_many: many idle sockets per VU, through k6/websockets. Each VU opens
// SOCKETS sockets together; each sends a short timestamped message once a
// second, and all are closed after HOLD_S seconds. RSS with few sockets per VU
// against RSS with many gives the cost of one more held socket.
//
// Knobs (-e NAME=value): WS_URL (ws://127.0.0.1:8765/), SOCKETS (100), HOLD_S (20).
// bench/run's holdmany-N runs it with N/SOCKETS VUs beside hold-100 (one socket per VU).
import { WebSocket } from 'k6/websockets';

const url = __ENV.WS_URL || 'ws://127.0.0.1:8765/';
const sockets = Number(__ENV.SOCKETS || 100);
const holdMs = Number(__ENV.HOLD_S || 20) * 1000;

export default function () {
  for (let i = 0; i < sockets; i++) {
    const ws = new WebSocket(url, null, { tags: { scenario_kind: 'hold_many' } });
    let timer;
    ws.onopen = () => { timer = setInterval(() => ws.send('tick ' + Date.now()), 1000); };
    ws.onmessage = () => {};
    ws.onerror = (e) => console.error('socket error: ' + e.error);
    ws.onclose = () => clearInterval(timer);
    setTimeout(() => ws.close(), holdMs);
  }
}
