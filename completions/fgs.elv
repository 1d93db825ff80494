
use builtin;
use str;

set edit:completion:arg-completer[fgs] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'fgs'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'fgs'= {
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand invoke 'Invoke a function and show its result, log and summary (or many calls: --batch, --repeat)'
            cand list 'List the project''s functions: a table on a terminal, one URN a line in a pipe'
            cand info 'Show one function''s configuration, environment variable names, versions and aliases'
            cand status 'Show the record of an asynchronous call (`invoke --async`), or wait for it to finish'
            cand pull 'Write a deployed function to a directory that `invoke --local` and `serve` run: its code, function.toml, .env and saved test events'
            cand logs 'Print a function''s log from LTS: a window of time, one request''s, or new lines as they come'
            cand login 'Get an IAM token with a user name and password, and cache it for `invoke`'
            cand logout 'Delete the cached login token of the selected profile'
            cand config 'Show the resolved settings, or the config file in use'
            cand serve 'Serve FunctionGraph''s invocation API on this machine, for the functions in DIR...'
            cand event 'Trigger event templates, API Gateway events, and a function''s saved test events'
            cand man 'Print the manual page, or a subcommand''s (roff; `fgs man invoke | man -l -`)'
            cand completions 'Print a shell completion script, which asks fgs at each Tab (functions, profiles, ...)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'fgs;invoke'= {
            cand -d 'Payload: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped, else {}]'
            cand --data 'Payload: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped, else {}]'
            cand --event 'Payload: the test event NAME saved on the function; with --local, DIR/events/NAME.json, else the function''s saved event (when the cloud settings are there), else the template NAME'
            cand --memory 'Memory for this call in MB (needs dynamic memory on the function)'
            cand --wait-timeout 'Give up waiting after DURATION (`90s`, `2h`, or seconds) with exit 7; the call goes on [default: 72h, the longest an asynchronous call runs]'
            cand --batch 'Invoke once for each line of FILE (newline-delimited JSON; `-` for stdin)'
            cand --repeat 'Invoke N times with the same payload'
            cand --concurrency 'Calls in flight at once for --batch and --repeat'
            cand --progress 'Progress of --batch and --repeat on stderr [default: bar on a terminal, else plain]'
            cand --summary 'Also write the summary of --batch or --repeat to FILE, as JSON'
            cand --retries 'Retry up to N times when the call never reached the function (no connection, or a 429/503 turning it away), with exponential backoff; never after a timeout, 401 or 403'
            cand -o 'How to print the result [default: pretty on a terminal, else raw]'
            cand --output 'How to print the result [default: pretty on a terminal, else raw]'
            cand --local 'Run the function in DIR on this machine instead of calling the service (no account, no network)'
            cand --env 'Add or override one of the function''s user variables (repeatable)'
            cand --env-file 'Read user variables from a dotenv file (K=V lines, # comments)'
            cand --debug 'Wait for a debugger on 127.0.0.1:PORT (Python under debugpy, Node.js with --inspect-brk, Java with JDWP, Go under Delve); the timeout is suspended [default port: any free one]'
            cand --qualifier 'This version of the function (the URN''s last field)'
            cand --alias 'This alias of the function, sent as !NAME (no need to type the `!`)'
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --ignore-stdin 'Never read stdin for the payload (send {} without --data): for loops that feed fgs''s stdin something else'
            cand --no-log 'Do not ask for the function''s log'
            cand --async 'Invoke asynchronously: print the request id of the accepted call (payload up to 256 KB)'
            cand --wait 'With --async: wait until the call has finished (polling its record), and exit as it did: SUCCESS 0, FAIL or DISCARD 1'
            cand --dry-run 'Print the request that would be sent, and send nothing'
            cand --no-fail 'Exit 0 even when the function reports an error'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;list'= {
            cand --package 'Only the functions of this package (sent as package_name)'
            cand -o 'How to print [default: table on a terminal, else urn]'
            cand --output 'How to print [default: table on a terminal, else urn]'
            cand --retries 'Retry each request up to N times when it never got an answer, or a 429/503'
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --versions 'Also each function''s versions and aliases, with the aliases'' weights (two more requests a function)'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;info'= {
            cand --qualifier 'This version of the function (the URN''s last field)'
            cand --alias 'This alias of the function, sent as !NAME (no need to type the `!`)'
            cand -o '`json`: the service''s document, environment values masked, with `versions` and `aliases` added'
            cand --output '`json`: the service''s document, environment values masked, with `versions` and `aliases` added'
            cand --retries 'Retry each request up to N times when it never got an answer, or a 429/503'
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;status'= {
            cand --qualifier 'This version of the function (the URN''s last field)'
            cand --alias 'This alias of the function, sent as !NAME (no need to type the `!`)'
            cand --wait-timeout 'Give up waiting after DURATION (`90s`, `2h`, or seconds) with exit 7 [default: 72h, the longest an asynchronous call runs]'
            cand --since 'How far back to search for the call (`30m`, `3d`, or seconds) [default: 72h]'
            cand --retries 'Retry each lookup up to N times when it never reached the service [default: 3]'
            cand -o '`json`: the record as the service sent it'
            cand --output '`json`: the record as the service sent it'
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --wait 'Wait until the call has finished, and exit as it did: SUCCESS 0, FAIL or DISCARD 1'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;pull'= {
            cand --qualifier 'This version of the function (the URN''s last field)'
            cand --alias 'This alias of the function, sent as !NAME (no need to type the `!`)'
            cand -o '`json`: one document saying what was written, and what was not'
            cand --output '`json`: one document saying what was written, and what was not'
            cand --retries 'Retry each request up to N times when it never got an answer, or a 429/503'
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --force 'Write into DIR even when it is not empty (files of the same name are replaced)'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;logs'= {
            cand --since 'From this long ago (`10m`, `2h`, `3d`) or this time in UTC (`2024-05-01T10:00:00Z`) [default: 10m]'
            cand --until 'Up to this long ago or this time [default: now]'
            cand --limit 'At most N lines, the oldest first'
            cand --request-id 'Only the lines of this request (sent to LTS as a keyword)'
            cand --interval 'How often --follow asks LTS (`6s`, or seconds); LTS allows 10 reads a minute of one stream [default: 6s]'
            cand --qualifier 'This version of the function (the URN''s last field)'
            cand --alias 'This alias of the function, sent as !NAME (no need to type the `!`)'
            cand -o '`json`: one JSON document a line (NDJSON), as LTS sent it'
            cand --output '`json`: one JSON document a line (NDJSON), as LTS sent it'
            cand --retries 'Retry each request up to N times when it never got an answer, or a 429/503'
            cand --lts-endpoint 'LTS endpoint [default: https://lts.{region}.myhuaweicloud.com]'
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand -f 'Keep printing new lines as they arrive, until Ctrl-C'
            cand --follow 'Keep printing new lines as they arrive, until Ctrl-C'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;login'= {
            cand --user 'IAM user name'
            cand --domain 'Account (domain) name the IAM user belongs to'
            cand --iam-endpoint 'IAM endpoint [default: https://iam.{region}.myhuaweicloud.com]'
            cand --project-id 'Project id the token is scoped to [default: the region''s project]'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4: where to log in (the IAM endpoint), and the token''s scope'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for IAM''s answer (`30s`, or seconds), at most 60 s [default: 60]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --password-stdin 'Read the password from stdin instead of prompting'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;logout'= {
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;config'= {
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Print each resolved setting and where it came from (secrets masked)'
            cand init 'Write a config file (mode 0600) from flags, or by asking on a terminal; never a secret'
            cand path 'Print the path of the config file in use'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'fgs;config;show'= {
            cand -o '`json`: one document with each setting''s value and source (secrets masked)'
            cand --output '`json`: one document with each setting''s value and source (secrets masked)'
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;config;init'= {
            cand --region 'The region to write, e.g. cn-north-4'
            cand --project-id 'The project id to write'
            cand --auth 'The authentication method to write'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --force 'Replace an existing file'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;config;path'= {
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;config;help'= {
            cand show 'Print each resolved setting and where it came from (secrets masked)'
            cand init 'Write a config file (mode 0600) from flags, or by asking on a terminal; never a secret'
            cand path 'Print the path of the config file in use'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'fgs;config;help;show'= {
        }
        &'fgs;config;help;init'= {
        }
        &'fgs;config;help;path'= {
        }
        &'fgs;config;help;help'= {
        }
        &'fgs;serve'= {
            cand --listen 'The address to listen on (port 0: any free port)'
            cand --instances 'Warm instances per function, each running one call at a time [default: the number of CPUs]'
            cand --queue 'Calls that may wait per function when every instance is busy; one more gets 429'
            cand --env 'Add or override one of the function''s user variables (repeatable)'
            cand --env-file 'Read user variables from a dotenv file (K=V lines, # comments)'
            cand --debug 'Wait for a debugger on 127.0.0.1:PORT (Python under debugpy, Node.js with --inspect-brk, Java with JDWP, Go under Delve); the timeout is suspended [default port: any free one]'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --all 'Serve every subdirectory of each DIR'
            cand --allow-remote 'Allow an address other machines can reach (fgs serve runs code for whoever can)'
            cand --verify-aksk 'Require a valid SDK-HMAC-SHA256 signature by the key pair in HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK on every request, else the gateway''s 401 (APIG.0301)'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;event'= {
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the trigger event templates, or with FUNCTION the function''s saved test events'
            cand show 'Print one template, ready for `fgs invoke -d @-`'
            cand apig 'Build the event API Gateway sends for an HTTP request (body base64-encoded)'
            cand get 'Print one of a function''s saved test events: its JSON, exactly as saved'
            cand save 'Save a test event on a function: create it, or replace the content of the one so named'
            cand delete 'Delete one of a function''s saved test events'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'fgs;event;list'= {
            cand -o 'How to print the saved events [default: table on a terminal, else name]'
            cand --output 'How to print the saved events [default: table on a terminal, else name]'
            cand --retries 'Retry each request up to N times when it never got an answer, or a 429/503'
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;event;show'= {
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;event;apig'= {
            cand --method 'The HTTP method'
            cand --path 'The request path'
            cand --query 'A query parameter (repeatable)'
            cand --header 'A request header (repeatable)'
            cand --body 'The body: the text itself, @PATH for a file, @- for stdin'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;event;get'= {
            cand -o '`json`: one document, the event as the service sent it (with `get`, its content decoded as `decoded`)'
            cand --output '`json`: one document, the event as the service sent it (with `get`, its content decoded as `decoded`)'
            cand --retries 'Retry each request up to N times when it never got an answer, or a 429/503'
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;event;save'= {
            cand -d 'The event: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped]'
            cand --data 'The event: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped]'
            cand -o '`json`: one document, `{id, name, created}`'
            cand --output '`json`: one document, `{id, name, created}`'
            cand --retries 'Retry each request up to N times when it never got an answer, or a 429/503'
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;event;delete'= {
            cand -o '`json`: one document, the event as the service sent it (with `get`, its content decoded as `decoded`)'
            cand --output '`json`: one document, the event as the service sent it (with `get`, its content decoded as `decoded`)'
            cand --retries 'Retry each request up to N times when it never got an answer, or a 429/503'
            cand --project-id 'Project id (letters and digits); taken from a full URN when not given'
            cand --token 'IAM token, sent as X-Auth-Token'
            cand --region 'Region, e.g. cn-north-4; taken from a full URN when not given'
            cand --endpoint 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]'
            cand --timeout 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service''s 900 s limit plus a margin]'
            cand --connect-timeout 'How long to wait for a connection (`5s`, or seconds) [default: 10]'
            cand --auth 'Force an authentication method instead of the first one found'
            cand --metadata-endpoint 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]'
            cand --ca-cert 'A PEM file with an extra CA certificate to trust (private clouds)'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand --allow-http 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;event;help'= {
            cand list 'List the trigger event templates, or with FUNCTION the function''s saved test events'
            cand show 'Print one template, ready for `fgs invoke -d @-`'
            cand apig 'Build the event API Gateway sends for an HTTP request (body base64-encoded)'
            cand get 'Print one of a function''s saved test events: its JSON, exactly as saved'
            cand save 'Save a test event on a function: create it, or replace the content of the one so named'
            cand delete 'Delete one of a function''s saved test events'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'fgs;event;help;list'= {
        }
        &'fgs;event;help;show'= {
        }
        &'fgs;event;help;apig'= {
        }
        &'fgs;event;help;get'= {
        }
        &'fgs;event;help;save'= {
        }
        &'fgs;event;help;delete'= {
        }
        &'fgs;event;help;help'= {
        }
        &'fgs;man'= {
            cand --out-dir 'Write fgs.1 and every subcommand''s page (fgs-invoke.1, ...) into DIR instead'
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;completions'= {
            cand --color 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never'
            cand --profile 'Profile of the config file to use ([profiles.NAME])'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]'
            cand -q 'Print nothing on stderr but errors'
            cand --quiet 'Print nothing on stderr but errors'
            cand -v 'Show the requests and answers on stderr (secrets masked)'
            cand --verbose 'Show the requests and answers on stderr (secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fgs;help'= {
            cand invoke 'Invoke a function and show its result, log and summary (or many calls: --batch, --repeat)'
            cand list 'List the project''s functions: a table on a terminal, one URN a line in a pipe'
            cand info 'Show one function''s configuration, environment variable names, versions and aliases'
            cand status 'Show the record of an asynchronous call (`invoke --async`), or wait for it to finish'
            cand pull 'Write a deployed function to a directory that `invoke --local` and `serve` run: its code, function.toml, .env and saved test events'
            cand logs 'Print a function''s log from LTS: a window of time, one request''s, or new lines as they come'
            cand login 'Get an IAM token with a user name and password, and cache it for `invoke`'
            cand logout 'Delete the cached login token of the selected profile'
            cand config 'Show the resolved settings, or the config file in use'
            cand serve 'Serve FunctionGraph''s invocation API on this machine, for the functions in DIR...'
            cand event 'Trigger event templates, API Gateway events, and a function''s saved test events'
            cand man 'Print the manual page, or a subcommand''s (roff; `fgs man invoke | man -l -`)'
            cand completions 'Print a shell completion script, which asks fgs at each Tab (functions, profiles, ...)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'fgs;help;invoke'= {
        }
        &'fgs;help;list'= {
        }
        &'fgs;help;info'= {
        }
        &'fgs;help;status'= {
        }
        &'fgs;help;pull'= {
        }
        &'fgs;help;logs'= {
        }
        &'fgs;help;login'= {
        }
        &'fgs;help;logout'= {
        }
        &'fgs;help;config'= {
            cand show 'Print each resolved setting and where it came from (secrets masked)'
            cand init 'Write a config file (mode 0600) from flags, or by asking on a terminal; never a secret'
            cand path 'Print the path of the config file in use'
        }
        &'fgs;help;config;show'= {
        }
        &'fgs;help;config;init'= {
        }
        &'fgs;help;config;path'= {
        }
        &'fgs;help;serve'= {
        }
        &'fgs;help;event'= {
            cand list 'List the trigger event templates, or with FUNCTION the function''s saved test events'
            cand show 'Print one template, ready for `fgs invoke -d @-`'
            cand apig 'Build the event API Gateway sends for an HTTP request (body base64-encoded)'
            cand get 'Print one of a function''s saved test events: its JSON, exactly as saved'
            cand save 'Save a test event on a function: create it, or replace the content of the one so named'
            cand delete 'Delete one of a function''s saved test events'
        }
        &'fgs;help;event;list'= {
        }
        &'fgs;help;event;show'= {
        }
        &'fgs;help;event;apig'= {
        }
        &'fgs;help;event;get'= {
        }
        &'fgs;help;event;save'= {
        }
        &'fgs;help;event;delete'= {
        }
        &'fgs;help;man'= {
        }
        &'fgs;help;completions'= {
        }
        &'fgs;help;help'= {
        }
    ]
    $completions[$command]
}

# Each Tab asks fgs (COMPLETE=elvish fgs): the project's functions, profiles,
# versions, aliases and event templates too. It takes the static completion's place.
set edit:completion:arg-completer[fgs] = { |@words|
    var index = (count $words)
    set index = (- $index 1)

    put (env _CLAP_IFS="\n" _CLAP_COMPLETE_INDEX=(to-string $index) COMPLETE="elvish" fgs -- $@words) | to-lines
}

