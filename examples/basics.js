// volley's first example: the k6 basics a WebSocket test is built from. It needs no server.
// Run it with `volley run examples/basics.js` (the README's first command does).
import { check, group, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';

const thinkTime = new Trend('think_time', true);
const greetings = new Counter('greetings');

export const options = {
  vus: 2,
  iterations: 6,
  thresholds: {
    checks: ['rate==1'],
    think_time: ['p(95)<500'],
  },
};

export function setup() {
  // The value returned here reaches every iteration and teardown as `data` (as JSON, like k6).
  return { greeting: 'hello', startedAt: Date.now() };
}

export default function (data) {
  group('greet', function () {
    const message = `${data.greeting} from VU ${__VU}, iteration ${__ITER}`;
    greetings.add(1, { vu_kind: __VU % 2 === 0 ? 'even' : 'odd' });
    check(message, {
      'message has the greeting': (m) => m.startsWith(data.greeting),
      'message names the VU': (m) => m.includes(`VU ${__VU}`),
    });
  });

  const pause = 0.1 + Math.random() * 0.1;
  const t0 = Date.now();
  sleep(pause);
  thinkTime.add(Date.now() - t0);
}

export function teardown(data) {
  console.log(`ran for ${Date.now() - data.startedAt} ms`);
}
