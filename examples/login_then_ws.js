// Log in over HTTP, then open a WebSocket with what the login gave: the session cookie goes on the
// handshake from the VU's cookie jar (shared by k6/http and k6/ws), and the token as a header.
// Runs against `volley echo` (its /http/login and /ws/auth routes):
//   volley echo --addr 127.0.0.1:8765 &
//   volley run -e BASE=127.0.0.1:8765 examples/login_then_ws.js
import http from 'k6/http';
import ws from 'k6/ws';
import { check } from 'k6';

const base = __ENV.BASE || '127.0.0.1:8765';

export const options = {
  vus: 2,
  iterations: 6,
  thresholds: { http_req_failed: ['rate==0'], checks: ['rate==1'] },
};

export default function () {
  const user = `user${__VU}`;
  const login = http.post(`http://${base}/http/login`,
    JSON.stringify({ user: user, password: 'secret' }),
    { headers: { 'Content-Type': 'application/json' } });
  check(login, {
    'logged in': (r) => r.status === 200,
    'got a token': (r) => r.json('token') === `tok-${user}`,
    'got a session cookie': (r) => r.cookies.session[0].value === `sess-${user}`,
  });

  let greeting = '';
  const res = ws.connect(`ws://${base}/ws/auth`, {
    headers: { Authorization: `Bearer ${login.json('token')}` },
  }, (socket) => {
    socket.on('message', (msg) => {
      if (!greeting) {
        greeting = msg;
        socket.send('ping from ' + user);
      } else {
        socket.close();
      }
    });
    socket.setTimeout(() => socket.close(), 2000);
  });
  check(res, {
    'handshake accepted with the session': (r) => r && r.status === 101,
    'greeted by name': () => greeting === `hello ${user}`,
  });
}
