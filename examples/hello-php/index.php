<?php
// Greets $event['name'] (default "world") with an APIG-style result.
//
// The event arrives as an associative array (the JSON body, decoded). The greeting word
// comes from the GREETING variable of function.toml, read through the context as
// FunctionGraph event functions do. An array returned is sent as its JSON.

function handler($event, $context)
{
    $name = is_array($event) && !empty($event['name']) ? (string) $event['name'] : 'world';
    $greeting = $context->getUserData('GREETING') ?? 'Hello';
    $context->getLogger()->info("greeting $name");
    return [
        'statusCode' => 200,
        'headers' => ['Content-Type' => 'text/plain; charset=utf-8'],
        'isBase64Encoded' => false,
        'body' => "$greeting, $name!",
    ];
}
