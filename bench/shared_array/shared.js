// k6/data memory measurement (docs/performance.md, "k6/data: SharedArray memory"): 1,000 VUs each
// holding a SharedArray of 100,000 records (users.json from gen_users.py, 10.2 MiB), three random
// reads per iteration, then sleep(1).
import { sleep } from 'k6';
import { SharedArray } from 'k6/data';
export const options = { vus: 1000, duration: '10s' };
const users = new SharedArray('users', () => JSON.parse(open('./users.json')));
export default function () {
  for (let i = 0; i < 3; i++) {
    const u = users[Math.floor(Math.random() * users.length)];
    if (!u.email) throw new Error('bad record');
  }
  sleep(1);
}
