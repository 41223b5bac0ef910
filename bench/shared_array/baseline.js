// The same script as shared.js without the SharedArray: the baseline.
import { sleep } from 'k6';
export const options = { vus: 1000, duration: '10s' };
export default function () {
  for (let i = 0; i < 3; i++) {
    const u = { id: i, email: 'user' + Math.floor(Math.random() * 100000) + '@example.com' };
    if (!u.email) throw new Error('bad record');
  }
  sleep(1);
}
