// Served behind /redirect: its relative import resolves against the URL it was imported by.
export { where } from './where.js';
