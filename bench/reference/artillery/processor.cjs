// Time bound of pingpong.yml's loop: RUN_S seconds (10 by default) from the user's first message.
const runMs = Number(process.env.RUN_S || 10) * 1000;

function withinRunTime(context, next) {
  if (context.vars.t0 === undefined) context.vars.t0 = Date.now();
  return next(Date.now() - context.vars.t0 < runMs);
}

module.exports = { withinRunTime };
