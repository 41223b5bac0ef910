import { b } from './cycle-b.js';
export const a = 'a';
export function both() { return a + b; }
