import { a } from './cycle-a.js';
export const b = 'b';
export function viaA() { return a; }
