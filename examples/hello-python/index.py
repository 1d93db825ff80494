"""Greets event["name"] (default "world") with an APIG-style result.

The greeting word comes from the GREETING variable of function.toml, read through the
context as FunctionGraph event functions do.
"""


def handler(event, context):
    name = "world"
    if isinstance(event, dict) and event.get("name"):
        name = str(event["name"])
    greeting = context.getUserData("GREETING") or "Hello"
    context.getLogger().info(f"greeting {name}")
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "text/plain; charset=utf-8"},
        "isBase64Encoded": False,
        "body": f"{greeting}, {name}!",
    }
