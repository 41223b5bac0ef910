// Imported relatively by index.js: resolved against the remote module's own URL.
export function randomBytes(n) {
  return Array.from({ length: n }, () => Math.floor(Math.random() * 256));
}
