import { sleep } from 'k6';
import * as lib from '__BASE__/lib/big.js';
export const options = { vus: Number(__ENV.N), iterations: Number(__ENV.N) };
export default function () { lib.fn7(1, 2); sleep(8); }
