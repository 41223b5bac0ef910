// httpget: the cost of one HTTP request. Every VU loops GET on the echo server's
// /http/bytes route (SIZE bytes of body, keep-alive, so one connection per VU) and
// checks the status; nothing else happens in the iteration.
//
// Knobs (-e NAME=value): WS_URL (ws://127.0.0.1:8765/: the echo server; the request
// goes to the same host and port, http://HOST:PORT/http/bytes?n=SIZE), SIZE (64).
// Plain k6/http, so the script runs unchanged under k6 and under volley.
import http from 'k6/http';
import { check } from 'k6';

const base = (__ENV.WS_URL || 'ws://127.0.0.1:8765/').replace(/^ws(s?):\/\//, 'http$1://');
const url = base.replace(/\/*$/, '/') + 'http/bytes?n=' + Number(__ENV.SIZE || 64);

export default function () {
  const res = http.get(url);
  check(res, { 'status is 200': (r) => r.status === 200 });
}
