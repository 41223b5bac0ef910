import { sleep } from 'k6';
export const options = { vus: Number(__ENV.N), iterations: Number(__ENV.N) };
export default function () { sleep(8); }
