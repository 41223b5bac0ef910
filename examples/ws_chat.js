// volley's main example: the whole k6/ws Socket API against the built-in echo server.
//   volley echo &                      # ws://127.0.0.1:8765/
//   volley run examples/ws_chat.js     # or -e WS_URL=ws://host:port/path
import ws from 'k6/ws';
import { check, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';

const url = __ENV.WS_URL || 'ws://127.0.0.1:8765/';
const echoes = new Counter('chat_echoes');
const roundTrip = new Trend('chat_round_trip', true);

export const options = {
  vus: 4,
  iterations: 8,
  thresholds: {
    checks: ['rate==1'],
    ws_connecting: ['p(95)<1000'],
    chat_round_trip: ['p(95)<500'],
  },
};

export default function () {
  const sentAt = {};
  let received = 0;

  const res = ws.connect(url, { tags: { room: 'lobby' } }, function (socket) {
    socket.on('open', function open() {
      sentAt['hello'] = Date.now();
      socket.send('hello');

      // Ping the server every second; each pong becomes a ws_ping sample.
      socket.setInterval(function () {
        socket.ping();
      }, 1000);

      // Chat a little: one message every 200 ms.
      let n = 0;
      socket.setInterval(function () {
        const text = `message ${++n} from VU ${__VU}`;
        sentAt[text] = Date.now();
        socket.send(text);
      }, 200);
    });

    // Two handlers on the same event run in the order they were added.
    socket.on('message', function (message) {
      if (sentAt[message] !== undefined) {
        roundTrip.add(Date.now() - sentAt[message]);
      }
    });
    socket.on('message', function (message) {
      received++;
      echoes.add(1);
    });

    socket.on('pong', function () {
      // the round trip is measured by ws_ping
    });

    socket.on('error', function (e) {
      console.error('socket error: ' + e.error());
    });

    socket.on('close', function (code) {
      check(code, { 'closed by us (1000)': (c) => c === 1000 });
    });

    // Leave after 2.5 seconds.
    socket.setTimeout(function () {
      socket.close(1000);
    }, 2500);
  });

  check(res, { 'status is 101': (r) => r && r.status === 101 });
  check(received, { 'got echoes': (n) => n >= 5 });
  sleep(0.1);
}
