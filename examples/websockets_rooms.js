// One VU, several sockets at once, with the browser-style API (k6/websockets): each VU joins
// ROOMS chat rooms on the echo server, sends a few messages in each on a timer, pings, waits
// for every echo, then leaves. The iteration lasts until every socket is closed.
// Runs against `volley echo`:
//   volley echo --addr 127.0.0.1:8765 &
//   volley run -e BASE=ws://127.0.0.1:8765 examples/websockets_rooms.js
import { WebSocket } from 'k6/websockets';
import { check } from 'k6';
import { Counter } from 'k6/metrics';

const base = __ENV.BASE || 'ws://127.0.0.1:8765';
const rooms = Number(__ENV.ROOMS || 5);
const messages = 3;
const echoes = new Counter('room_echoes');

export const options = {
  vus: 2,
  iterations: 4,
  thresholds: { checks: ['rate==1'], ws_session_duration: ['p(95)<5000'] },
};

function joinRoom(name) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${base}/rooms/${name}`, null, { tags: { room: name } });
    ws.binaryType = 'arraybuffer';
    const got = [];
    let sent = 0;
    ws.onopen = () => {
      ws.ping();
      const timer = setInterval(() => {
        ws.send(JSON.stringify({ room: name, n: sent }));
        if (++sent === messages) clearInterval(timer);
      }, 20);
    };
    ws.addEventListener('message', (e) => {
      got.push(JSON.parse(e.data).n);
      echoes.add(1);
      if (got.length === messages) ws.close();
    });
    ws.onerror = (e) => console.error(`room ${name}: ${e.error}`);
    ws.onclose = (e) => resolve({ name, got, code: e.code });
  });
}

export default async function () {
  const names = Array.from({ length: rooms }, (_, i) => `vu${__VU}-room${i}`);
  const results = await Promise.all(names.map(joinRoom));
  for (const r of results) {
    check(r, {
      'every message came back in order': (x) => x.got.join() === '0,1,2',
      'closed normally': (x) => x.code === 1000,
    });
  }
}
