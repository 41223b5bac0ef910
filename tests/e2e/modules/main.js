// A main script fetched over https: its imports resolve against its URL.
import { check } from 'k6';
import { where } from './where.js';
export const options = { iterations: 2 };
export default function () {
  check(where, { 'relative to the remote main script': (w) => w === 'where.js at the root' });
}
