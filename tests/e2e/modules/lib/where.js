export const where = 'lib/where.js';
