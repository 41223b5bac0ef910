// CommonJS: no import or export, so it is wrapped (module, exports) as k6 does.
const helper = { greet: (n) => 'hi ' + n };
module.exports = helper;
module.exports.answer = 42;
