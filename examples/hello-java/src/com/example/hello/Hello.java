package com.example.hello;

import java.util.HashMap;
import java.util.Map;

import com.huawei.services.runtime.Context;

/**
 * Greets event.name (default "world") with an APIG-style result.
 *
 * <p>The event arrives as a POJO, filled from the JSON body by the runtime; the greeting word
 * comes from the GREETING variable of function.toml, read through the context.
 */
public class Hello {
    /** The event: {"name": "..."}. */
    public static class Event {
        private String name;

        public String getName() {
            return name;
        }
    }

    /** An APIG-style answer; the runtime returns it as JSON. */
    public static class Response {
        int statusCode;
        Map<String, String> headers = new HashMap<>();
        boolean isBase64Encoded;
        String body;
    }

    public Response handler(Event event, Context context) {
        String name = event != null && event.getName() != null ? event.getName() : "world";
        String greeting = context.getUserData("GREETING");
        if (greeting == null) {
            greeting = "Hello";
        }
        context.getLogger().info("greeting " + name);
        Response response = new Response();
        response.statusCode = 200;
        response.headers.put("Content-Type", "text/plain; charset=utf-8");
        response.body = greeting + ", " + name + "!";
        return response;
    }
}
