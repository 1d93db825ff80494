// Greets event.name (default "world") with an APIG-style result.
//
// The greeting word comes from the GREETING variable of function.toml, read through the
// context as FunctionGraph event functions do. The handler is async: its returned value
// is the result.

exports.handler = async (event, context) => {
  const name = (event && event.name) || "world";
  const greeting = context.getUserData("GREETING") || "Hello";
  context.getLogger().info(`greeting ${name}`);
  return {
    statusCode: 200,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
    isBase64Encoded: false,
    body: `${greeting}, ${name}!`,
  };
};
