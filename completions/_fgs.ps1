
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'fgs' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'fgs'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'fgs' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke a function and show its result, log and summary (or many calls: --batch, --repeat)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the project''s functions: a table on a terminal, one URN a line in a pipe')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show one function''s configuration, environment variable names, versions and aliases')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the record of an asynchronous call (`invoke --async`), or wait for it to finish')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Write a deployed function to a directory that `invoke --local` and `serve` run: its code, function.toml, .env and saved test events')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a function''s log from LTS: a window of time, one request''s, or new lines as they come')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Get an IAM token with a user name and password, and cache it for `invoke`')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Delete the cached login token of the selected profile')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the resolved settings, or the config file in use')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve FunctionGraph''s invocation API on this machine, for the functions in DIR...')
            [CompletionResult]::new('event', 'event', [CompletionResultType]::ParameterValue, 'Trigger event templates, API Gateway events, and a function''s saved test events')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page, or a subcommand''s (roff; `fgs man invoke | man -l -`)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script, which asks fgs at each Tab (functions, profiles, ...)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'fgs;invoke' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Payload: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped, else {}]')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Payload: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped, else {}]')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Payload: the test event NAME saved on the function; with --local, DIR/events/NAME.json, else the function''s saved event (when the cloud settings are there), else the template NAME')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Memory for this call in MB (needs dynamic memory on the function)')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'Give up waiting after DURATION (`90s`, `2h`, or seconds) with exit 7; the call goes on [default: 72h, the longest an asynchronous call runs]')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Invoke once for each line of FILE (newline-delimited JSON; `-` for stdin)')
            [CompletionResult]::new('--repeat', '--repeat', [CompletionResultType]::ParameterName, 'Invoke N times with the same payload')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Calls in flight at once for --batch and --repeat')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress of --batch and --repeat on stderr [default: bar on a terminal, else plain]')
            [CompletionResult]::new('--summary', '--summary', [CompletionResultType]::ParameterName, 'Also write the summary of --batch or --repeat to FILE, as JSON')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retry up to N times when the call never reached the function (no connection, or a 429/503 turning it away), with exponential backoff; never after a timeout, 401 or 403')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print the result [default: pretty on a terminal, else raw]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print the result [default: pretty on a terminal, else raw]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Run the function in DIR on this machine instead of calling the service (no account, no network)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Add or override one of the function''s user variables (repeatable)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read user variables from a dotenv file (K=V lines, # comments)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Wait for a debugger on 127.0.0.1:PORT (Python under debugpy, Node.js with --inspect-brk, Java with JDWP, Go under Delve); the timeout is suspended [default port: any free one]')
            [CompletionResult]::new('--qualifier', '--qualifier', [CompletionResultType]::ParameterName, 'This version of the function (the URN''s last field)')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'This alias of the function, sent as !NAME (no need to type the `!`)')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--ignore-stdin', '--ignore-stdin', [CompletionResultType]::ParameterName, 'Never read stdin for the payload (send {} without --data): for loops that feed fgs''s stdin something else')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not ask for the function''s log')
            [CompletionResult]::new('--async', '--async', [CompletionResultType]::ParameterName, 'Invoke asynchronously: print the request id of the accepted call (payload up to 256 KB)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'With --async: wait until the call has finished (polling its record), and exit as it did: SUCCESS 0, FAIL or DISCARD 1')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent, and send nothing')
            [CompletionResult]::new('--no-fail', '--no-fail', [CompletionResultType]::ParameterName, 'Exit 0 even when the function reports an error')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;list' {
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Only the functions of this package (sent as package_name)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print [default: table on a terminal, else urn]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print [default: table on a terminal, else urn]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retry each request up to N times when it never got an answer, or a 429/503')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--versions', '--versions', [CompletionResultType]::ParameterName, 'Also each function''s versions and aliases, with the aliases'' weights (two more requests a function)')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;info' {
            [CompletionResult]::new('--qualifier', '--qualifier', [CompletionResultType]::ParameterName, 'This version of the function (the URN''s last field)')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'This alias of the function, sent as !NAME (no need to type the `!`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`json`: the service''s document, environment values masked, with `versions` and `aliases` added')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`json`: the service''s document, environment values masked, with `versions` and `aliases` added')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retry each request up to N times when it never got an answer, or a 429/503')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;status' {
            [CompletionResult]::new('--qualifier', '--qualifier', [CompletionResultType]::ParameterName, 'This version of the function (the URN''s last field)')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'This alias of the function, sent as !NAME (no need to type the `!`)')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'Give up waiting after DURATION (`90s`, `2h`, or seconds) with exit 7 [default: 72h, the longest an asynchronous call runs]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'How far back to search for the call (`30m`, `3d`, or seconds) [default: 72h]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retry each lookup up to N times when it never reached the service [default: 3]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`json`: the record as the service sent it')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`json`: the record as the service sent it')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the call has finished, and exit as it did: SUCCESS 0, FAIL or DISCARD 1')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;pull' {
            [CompletionResult]::new('--qualifier', '--qualifier', [CompletionResultType]::ParameterName, 'This version of the function (the URN''s last field)')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'This alias of the function, sent as !NAME (no need to type the `!`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`json`: one document saying what was written, and what was not')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`json`: one document saying what was written, and what was not')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retry each request up to N times when it never got an answer, or a 429/503')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write into DIR even when it is not empty (files of the same name are replaced)')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;logs' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'From this long ago (`10m`, `2h`, `3d`) or this time in UTC (`2024-05-01T10:00:00Z`) [default: 10m]')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Up to this long ago or this time [default: now]')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N lines, the oldest first')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Only the lines of this request (sent to LTS as a keyword)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'How often --follow asks LTS (`6s`, or seconds); LTS allows 10 reads a minute of one stream [default: 6s]')
            [CompletionResult]::new('--qualifier', '--qualifier', [CompletionResultType]::ParameterName, 'This version of the function (the URN''s last field)')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'This alias of the function, sent as !NAME (no need to type the `!`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`json`: one JSON document a line (NDJSON), as LTS sent it')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`json`: one JSON document a line (NDJSON), as LTS sent it')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retry each request up to N times when it never got an answer, or a 429/503')
            [CompletionResult]::new('--lts-endpoint', '--lts-endpoint', [CompletionResultType]::ParameterName, 'LTS endpoint [default: https://lts.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new lines as they arrive, until Ctrl-C')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new lines as they arrive, until Ctrl-C')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;login' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'IAM user name')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Account (domain) name the IAM user belongs to')
            [CompletionResult]::new('--iam-endpoint', '--iam-endpoint', [CompletionResultType]::ParameterName, 'IAM endpoint [default: https://iam.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id the token is scoped to [default: the region''s project]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4: where to log in (the IAM endpoint), and the token''s scope')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for IAM''s answer (`30s`, or seconds), at most 60 s [default: 60]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin instead of prompting')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;logout' {
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;config' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print each resolved setting and where it came from (secrets masked)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a config file (mode 0600) from flags, or by asking on a terminal; never a secret')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file in use')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'fgs;config;show' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`json`: one document with each setting''s value and source (secrets masked)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`json`: one document with each setting''s value and source (secrets masked)')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;config;init' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The region to write, e.g. cn-north-4')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'The project id to write')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'The authentication method to write')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;config;path' {
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print each resolved setting and where it came from (secrets masked)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a config file (mode 0600) from flags, or by asking on a terminal; never a secret')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file in use')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'fgs;config;help;show' {
            break
        }
        'fgs;config;help;init' {
            break
        }
        'fgs;config;help;path' {
            break
        }
        'fgs;config;help;help' {
            break
        }
        'fgs;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'The address to listen on (port 0: any free port)')
            [CompletionResult]::new('--instances', '--instances', [CompletionResultType]::ParameterName, 'Warm instances per function, each running one call at a time [default: the number of CPUs]')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Calls that may wait per function when every instance is busy; one more gets 429')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Add or override one of the function''s user variables (repeatable)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read user variables from a dotenv file (K=V lines, # comments)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Wait for a debugger on 127.0.0.1:PORT (Python under debugpy, Node.js with --inspect-brk, Java with JDWP, Go under Delve); the timeout is suspended [default port: any free one]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Serve every subdirectory of each DIR')
            [CompletionResult]::new('--allow-remote', '--allow-remote', [CompletionResultType]::ParameterName, 'Allow an address other machines can reach (fgs serve runs code for whoever can)')
            [CompletionResult]::new('--verify-aksk', '--verify-aksk', [CompletionResultType]::ParameterName, 'Require a valid SDK-HMAC-SHA256 signature by the key pair in HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK on every request, else the gateway''s 401 (APIG.0301)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;event' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the trigger event templates, or with FUNCTION the function''s saved test events')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print one template, ready for `fgs invoke -d @-`')
            [CompletionResult]::new('apig', 'apig', [CompletionResultType]::ParameterValue, 'Build the event API Gateway sends for an HTTP request (body base64-encoded)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one of a function''s saved test events: its JSON, exactly as saved')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save a test event on a function: create it, or replace the content of the one so named')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete one of a function''s saved test events')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'fgs;event;list' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print the saved events [default: table on a terminal, else name]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print the saved events [default: table on a terminal, else name]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retry each request up to N times when it never got an answer, or a 429/503')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;event;show' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;event;apig' {
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'The HTTP method')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The request path')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query parameter (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header (repeatable)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'The body: the text itself, @PATH for a file, @- for stdin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;event;get' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`json`: one document, the event as the service sent it (with `get`, its content decoded as `decoded`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`json`: one document, the event as the service sent it (with `get`, its content decoded as `decoded`)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retry each request up to N times when it never got an answer, or a 429/503')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;event;save' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The event: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped]')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'The event: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`json`: one document, `{id, name, created}`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`json`: one document, `{id, name, created}`')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retry each request up to N times when it never got an answer, or a 429/503')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;event;delete' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`json`: one document, the event as the service sent it (with `get`, its content decoded as `decoded`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`json`: one document, the event as the service sent it (with `get`, its content decoded as `decoded`)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retry each request up to N times when it never got an answer, or a 429/503')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project id (letters and digits); taken from a full URN when not given')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'IAM token, sent as X-Auth-Token')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. cn-north-4; taken from a full URN when not given')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (`5s`, or seconds) [default: 10]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Force an authentication method instead of the first one found')
            [CompletionResult]::new('--metadata-endpoint', '--metadata-endpoint', [CompletionResultType]::ParameterName, 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'A PEM file with an extra CA certificate to trust (private clouds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;event;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the trigger event templates, or with FUNCTION the function''s saved test events')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print one template, ready for `fgs invoke -d @-`')
            [CompletionResult]::new('apig', 'apig', [CompletionResultType]::ParameterValue, 'Build the event API Gateway sends for an HTTP request (body base64-encoded)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one of a function''s saved test events: its JSON, exactly as saved')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save a test event on a function: create it, or replace the content of the one so named')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete one of a function''s saved test events')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'fgs;event;help;list' {
            break
        }
        'fgs;event;help;show' {
            break
        }
        'fgs;event;help;apig' {
            break
        }
        'fgs;event;help;get' {
            break
        }
        'fgs;event;help;save' {
            break
        }
        'fgs;event;help;delete' {
            break
        }
        'fgs;event;help;help' {
            break
        }
        'fgs;man' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write fgs.1 and every subcommand''s page (fgs-invoke.1, ...) into DIR instead')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use ([profiles.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the requests and answers on stderr (secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fgs;help' {
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke a function and show its result, log and summary (or many calls: --batch, --repeat)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the project''s functions: a table on a terminal, one URN a line in a pipe')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show one function''s configuration, environment variable names, versions and aliases')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the record of an asynchronous call (`invoke --async`), or wait for it to finish')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Write a deployed function to a directory that `invoke --local` and `serve` run: its code, function.toml, .env and saved test events')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a function''s log from LTS: a window of time, one request''s, or new lines as they come')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Get an IAM token with a user name and password, and cache it for `invoke`')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Delete the cached login token of the selected profile')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the resolved settings, or the config file in use')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve FunctionGraph''s invocation API on this machine, for the functions in DIR...')
            [CompletionResult]::new('event', 'event', [CompletionResultType]::ParameterValue, 'Trigger event templates, API Gateway events, and a function''s saved test events')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page, or a subcommand''s (roff; `fgs man invoke | man -l -`)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script, which asks fgs at each Tab (functions, profiles, ...)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'fgs;help;invoke' {
            break
        }
        'fgs;help;list' {
            break
        }
        'fgs;help;info' {
            break
        }
        'fgs;help;status' {
            break
        }
        'fgs;help;pull' {
            break
        }
        'fgs;help;logs' {
            break
        }
        'fgs;help;login' {
            break
        }
        'fgs;help;logout' {
            break
        }
        'fgs;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print each resolved setting and where it came from (secrets masked)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a config file (mode 0600) from flags, or by asking on a terminal; never a secret')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file in use')
            break
        }
        'fgs;help;config;show' {
            break
        }
        'fgs;help;config;init' {
            break
        }
        'fgs;help;config;path' {
            break
        }
        'fgs;help;serve' {
            break
        }
        'fgs;help;event' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the trigger event templates, or with FUNCTION the function''s saved test events')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print one template, ready for `fgs invoke -d @-`')
            [CompletionResult]::new('apig', 'apig', [CompletionResultType]::ParameterValue, 'Build the event API Gateway sends for an HTTP request (body base64-encoded)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one of a function''s saved test events: its JSON, exactly as saved')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save a test event on a function: create it, or replace the content of the one so named')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete one of a function''s saved test events')
            break
        }
        'fgs;help;event;list' {
            break
        }
        'fgs;help;event;show' {
            break
        }
        'fgs;help;event;apig' {
            break
        }
        'fgs;help;event;get' {
            break
        }
        'fgs;help;event;save' {
            break
        }
        'fgs;help;event;delete' {
            break
        }
        'fgs;help;man' {
            break
        }
        'fgs;help;completions' {
            break
        }
        'fgs;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

# Each Tab asks fgs (COMPLETE=powershell fgs): the project's functions, profiles,
# versions, aliases and event templates too. It takes the static completion's place.
Register-ArgumentCompleter -Native -CommandName fgs -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $prev = $env:COMPLETE;
    $env:COMPLETE = "powershell";

    $args = $commandAst.Extent.Text
    $args = $args.Substring(0, [math]::Min($cursorPosition, $args.Length));
    if ($wordToComplete -eq "") {
        $args += " ''";
    }

    $results = Invoke-Expression @"
& fgs -- $args
"@;
    if ($null -eq $prev) {
        Remove-Item Env:\COMPLETE;
    } else {
        $env:COMPLETE = $prev;
    }
    $results | ForEach-Object {
        $split = $_.Split("`t");
        $cmd = $split[0];

        if ($split.Length -eq 2) {
            $help = $split[1];
        }
        else {
            $help = $split[0];
        }

        [System.Management.Automation.CompletionResult]::new($cmd, $cmd, 'ParameterValue', $help)
    }
};
        
